//! PLACEHOLDER (H2 replaces): model -> Rust files.
use crate::{GeneratedFile, Options, model::Api};

/// Emits the sdk's generated Rust files.
pub fn emit(api: &Api, options: &Options) -> Vec<GeneratedFile> {
    let _ = (api, options);
    Vec::new()
}
