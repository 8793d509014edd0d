//! Curated layers: what we add to the pristine upstream document, applied before the model is
//! built.
//!
//! The upstream document is committed byte for byte and never edited; a maintainer takes an
//! upstream update by replacing that one file. Everything we change lives beside it, in two kinds
//! of layer, applied in this order:
//!
//! 1. [`overlay`]: OpenAPI Overlay 1.0 documents (actions with RFC 9535 JSONPath targets,
//!    `update` / `remove`), for structural fixes: integral numbers, examples that contradict
//!    their schemas, tag names, texts upstream lacks.
//! 2. [`translations`]: the English catalog, keyed by the JSON pointer of each text and holding
//!    the Chinese source it was written from, so a changed source is noticed instead of silently
//!    mistranslated.
//!
//! Applying is pure and reports, rather than hides, what no longer fits: an overlay action whose
//! target matches nothing, a translation whose text is gone or whose source changed. The xtask
//! prints these and `--check` fails on them.

pub mod overlay;
pub mod translations;

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};

pub use overlay::Overlay;
pub use translations::Catalog;

/// Every curated layer, in the order they apply.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// Overlay documents, applied in this order (the xtask sorts them by file name).
    pub overlays: Vec<Overlay>,
    /// The English catalog, applied after the overlays.
    pub translations: Catalog,
}

impl Layers {
    /// Reads layers from `(file name, bytes)` pairs: overlays and translation files (YAML or
    /// JSON). Errors name the file.
    pub fn read<'a>(
        overlays: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        translations: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Layers, Diagnostics> {
        let overlays =
            overlays.into_iter().map(|(name, bytes)| Overlay::read(name, bytes)).collect::<Result<Vec<_>, _>>()?;
        let translations = Catalog::read(translations)?;
        Ok(Layers { overlays, translations })
    }

    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.overlays.is_empty() && self.translations.is_empty()
    }
}

/// An error in the layer file `name` at `pointer` (within that file).
fn layer_error(name: &str, pointer: impl Into<String>, message: impl std::fmt::Display) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(pointer, format!("{name}: {message}"))])
}

/// Reads the layer file `name` (YAML or JSON) as a `what` (`an Overlay 1.0 document`): a syntax
/// error or a wrong shape names the file and the pointer within it.
fn read_layer_file<T: DeserializeOwned>(name: &str, bytes: &[u8], what: &str) -> Result<T, Diagnostics> {
    let tree = crate::read::read_tree(bytes, name).map_err(|m| layer_error(name, "#", m))?;
    serde_path_to_error::deserialize(&tree).map_err(|e| {
        layer_error(name, crate::read::path_to_pointer(e.path()), format_args!("not {what}: {}", e.inner()))
    })
}

/// What applying the layers found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayerReport {
    /// Overlay actions applied, and how many nodes they changed.
    pub actions_applied: usize,
    /// Nodes changed by overlay actions.
    pub nodes_changed: usize,
    /// Overlay actions whose target matched nothing: upstream moved or removed what they fix.
    pub orphaned_actions: Vec<overlay::Orphan>,
    /// The translation catalog's state.
    pub translations: translations::TranslationReport,
}

impl LayerReport {
    /// True when a layer no longer fits the document: an orphaned overlay action, or a stale or
    /// orphaned translation. `--check` fails on it.
    pub fn has_problems(&self) -> bool {
        !self.orphaned_actions.is_empty() || self.translations.has_problems()
    }
}

impl fmt::Display for LayerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "overlays: {} actions applied to {} nodes, {} orphaned",
            self.actions_applied,
            self.nodes_changed,
            self.orphaned_actions.len()
        )?;
        for orphan in &self.orphaned_actions {
            writeln!(f, "  orphaned: {orphan}")?;
        }
        write!(f, "{}", self.translations)
    }
}

/// Applies every layer to the upstream document's tree: the effective document, which the model
/// is built from and `cargo xtask effective-spec` writes out.
pub fn apply(upstream: Value, layers: &Layers) -> Result<(Value, LayerReport), Diagnostics> {
    let mut doc = upstream;
    let mut report = LayerReport::default();
    for overlay in &layers.overlays {
        let applied = overlay.apply(&mut doc)?;
        report.actions_applied += applied.actions_applied;
        report.nodes_changed += applied.nodes_changed;
        report.orphaned_actions.extend(applied.orphaned);
    }
    report.translations = layers.translations.apply(&mut doc);
    Ok((doc, report))
}
