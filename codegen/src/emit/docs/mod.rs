//! PLACEHOLDER (H5 replaces): model -> Markdown pages.
use crate::{GeneratedFile, Options, model::Api};

/// Emits the Markdown docs.
pub fn emit(api: &Api, options: &Options) -> Vec<GeneratedFile> {
    let _ = (api, options);
    Vec::new()
}
