//! Stage 2: [`Spec`] -> validated [`Api`].
//!
//! One job per submodule:
//! - `resolve` decodes `$ref`s and looks pointers up;
//! - `i18n` reads bilingual texts and enum value meanings;
//! - `schema` turns schemas into [`crate::model::TypeRef`]s and named [`TypeDef`]s;
//! - `operation` turns paths into [`crate::model::Operation`]s;
//! - `finalize` hands out the final type names (unique, reported) and sorts;
//! - `pagination` finds the paged operations from their shape (and the curated switch).
//!
//! The walk reads the raw JSON tree rather than the typed one. The typed parse (in
//! [`crate::validate`]) has already checked the document's shape, but the typed tree loses what the
//! model needs: declaration order (path items come back as fixed `get`, `put`, ... fields, and
//! renames must follow declaration order), keys next to a `$ref`, the spec-invalid keys upstream
//! writes on parameters, and above all the JSON pointer of every object, which every diagnostic
//! names.
//!
//! Types are built lazily, starting from the non-hidden operations, so only reachable types
//! end up in the model. While building, a named type is known by an internal key (component or
//! inline origin); `finalize` turns keys into unique Rust names once every type is known, so
//! renames follow declaration order and not the order of discovery.

mod finalize;
mod i18n;
mod operation;
pub mod pagination;
mod resolve;
mod schema;

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::{Api, Lang, TypeDef};
use crate::validate::Spec;

/// Builds the model. `Err` holds every error found plus the warnings found on the way; on success
/// the warnings are in [`Api::warnings`] (sorted, deduplicated).
pub fn build(spec: &Spec) -> Result<Api, Diagnostics> {
    let mut b = Builder::new(spec);
    let operations = operation::build_operations(&mut b);
    let (types, mut operations) = finalize::finalize(&mut b, operations);
    let unpaged = pagination::detect(&mut b, &mut operations, &types);
    let mut diags = std::mem::take(&mut b.diags);
    diags.sort();
    diags.dedup();
    if diags.iter().any(|d| d.severity == Severity::Error) {
        // Errors first: they are what the user has to fix.
        diags.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.cmp(b)));
        return Err(Diagnostics(diags));
    }
    // `validate` checked that both are strings.
    let info = |key: &str| spec.raw.get("info").and_then(|i| i.get(key)).and_then(Value::as_str).unwrap_or_default();
    // The title in English where the catalog has it: it heads the generated docs and rustdoc.
    let title = spec.raw.get("info").map(|i| b.i18n.text(i, "title")).and_then(|t| t.get(Lang::En).map(str::to_owned));
    let client_name = b.client_name;
    diags.sort();
    diags.dedup();
    Ok(Api {
        title: title.unwrap_or_else(|| info("title").to_owned()),
        version: info("version").to_owned(),
        client_name,
        operations,
        types,
        unpaged,
        warnings: diags,
    })
}

/// `info.x-genauth-client`, made a legal type name (with a warning if that changed it).
fn client_name(diags: &mut Vec<Diagnostic>, raw: &Value) -> String {
    let Some(wanted) = raw.pointer("/info/x-genauth-client").and_then(Value::as_str) else {
        return crate::model::DEFAULT_CLIENT.to_owned();
    };
    let legal = crate::model::naming::pascal_ident(wanted);
    if legal != wanted {
        diags.push(Diagnostic::warning(
            "#/info/x-genauth-client",
            format!("client name `{wanted}` is not a legal Rust type name; using `{legal}`"),
        ));
    }
    legal
}

/// A named type under construction.
#[derive(Debug, Clone)]
struct Slot {
    /// The name it asks for (before uniquing); `def.name` is the same until [`finalize`].
    /// While its fields/variants are being built, `kind` is an empty struct (a recursive type
    /// only needs its name meanwhile).
    def: TypeDef,
    /// Where it sorts when names are handed out: components first in declaration order, then
    /// inline types in discovery order.
    rank: (u8, usize),
}

/// State shared by the build steps.
struct Builder<'a> {
    spec: &'a Spec,
    /// The client type the operations hang off (`info.x-genauth-client`).
    client_name: String,
    i18n: i18n::I18n,
    /// Errors and warnings, in discovery order.
    diags: Vec<Diagnostic>,
    /// Named types by internal key (`c:<component>` or `i:<origin>`).
    types: IndexMap<String, Slot>,
    /// Component schemas currently being resolved as aliases (inlined, unnamed): meeting one of
    /// them again means an alias refers to itself, which has no finite Rust type.
    alias_stack: Vec<String>,
    /// Declaration index of each component schema, for [`Slot::rank`].
    component_index: BTreeMap<String, usize>,
    /// Counter for inline [`Slot::rank`]s.
    inline_count: usize,
    /// How many schemas deep the current resolution is (see [`MAX_DEPTH`]).
    depth: usize,
}

/// Schema nesting the builder follows before giving up with an error. Each level costs a few
/// stack frames; this keeps hostile input from overflowing the stack, far above any real spec.
/// It also bounds how deep a generated type nests (`Vec<Vec<..>>`), which `syn` parses
/// recursively in the emitter: the hostile-input tests overflowed a 2 MiB thread stack in debug
/// with 50 nested arrays (built from a chain of array components, which the JSON nesting limit
/// of `parse` does not see), so this was lowered from 64.
const MAX_DEPTH: usize = 32;

impl<'a> Builder<'a> {
    fn new(spec: &'a Spec) -> Self {
        let component_index = spec
            .raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().enumerate().map(|(i, k)| (k.clone(), i)).collect())
            .unwrap_or_default();
        let mut diags = spec.warnings.clone();
        let client_name = client_name(&mut diags, &spec.raw);
        Builder {
            spec,
            client_name,
            i18n: i18n::I18n::from_info(&spec.raw),
            diags,
            types: IndexMap::new(),
            alias_stack: Vec::new(),
            component_index,
            inline_count: 0,
            depth: 0,
        }
    }

    fn raw(&self) -> &'a Value {
        &self.spec.raw
    }

    fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(pointer, message));
    }

    fn warn(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(pointer, message));
    }
}
