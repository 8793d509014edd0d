//! PLACEHOLDER (H1 replaces): spec -> validated model.
use crate::{diagnostics::Diagnostics, model::Api, parse::Spec};

/// Builds the model.
pub fn build(spec: &Spec) -> Result<Api, Diagnostics> {
    let _ = spec;
    Err(Diagnostics(vec![crate::Diagnostic::error("#", "placeholder")]))
}
