//! OpenAPI Overlay Specification 1.0: a document of actions, each a JSONPath target (RFC 9535,
//! evaluated by `serde_json_path`) and either an `update` merged into every node it selects or
//! `remove: true` deleting them.
//!
//! Actions apply in order, each to the result of the ones before it. A target that selects
//! nothing is not an error (the overlay still applies) but an orphan: upstream moved or removed
//! what the action fixes, and a maintainer has to look at it.

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// One overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Its file name, for messages (`10-integers.yaml`).
    pub name: String,
    /// `info.title`.
    pub title: String,
    /// The actions, in document order.
    pub actions: Vec<Action>,
}

/// One action.
#[derive(Debug, Clone)]
pub struct Action {
    /// The target as written.
    pub target: String,
    /// The parsed target.
    path: JsonPath,
    /// Why the action exists.
    pub description: Option<String>,
    /// What it does.
    pub change: Change,
}

/// What an action does to each node it selects.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into the node: objects recursively (keys of the update win), an array
    /// node gets the value appended.
    Update(Value),
    /// Delete the node from its parent.
    Remove,
}

/// An action whose target selected nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The overlay's file name.
    pub overlay: String,
    /// The action's position in its overlay (0-based).
    pub index: usize,
    /// Its target.
    pub target: String,
    /// Its description, if any.
    pub description: Option<String>,
}

impl fmt::Display for Orphan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} action {}: `{}` selects nothing", self.overlay, self.index, self.target)?;
        if let Some(d) = &self.description {
            write!(f, " ({d})")?;
        }
        Ok(())
    }
}

/// What applying one overlay did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    /// Actions that selected at least one node.
    pub actions_applied: usize,
    /// Nodes changed.
    pub nodes_changed: usize,
    /// Actions that selected nothing.
    pub orphaned: Vec<Orphan>,
}

/// The document as written (unknown `x-` keys allowed, anything else rejected).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawOverlay {
    overlay: String,
    info: RawInfo,
    /// The document it extends: informative, layers apply to the upstream file.
    #[serde(default)]
    #[allow(dead_code)]
    extends: Option<String>,
    actions: Vec<RawAction>,
    #[serde(flatten)]
    extensions: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawInfo {
    title: String,
    #[allow(dead_code)]
    version: String,
}

#[derive(Deserialize)]
struct RawAction {
    target: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    update: Option<Value>,
    #[serde(default)]
    remove: Option<bool>,
    #[serde(flatten)]
    extensions: Map<String, Value>,
}

impl Overlay {
    /// Reads an overlay document (YAML or JSON). Every error names the file and the action.
    pub fn read(name: &str, bytes: &[u8]) -> Result<Overlay, Diagnostics> {
        let fail = |pointer: String, message: String| super::layer_error(name, pointer, message);
        let raw: RawOverlay = super::read_layer_file(name, bytes, "an Overlay 1.0 document")?;
        if !raw.overlay.starts_with("1.") {
            return Err(fail(
                "#/overlay".into(),
                format!("Overlay version {} is not supported (1.x only)", raw.overlay),
            ));
        }
        if let Some(key) = raw.extensions.keys().find(|k| !k.starts_with("x-")) {
            return Err(fail(format!("#/{key}"), format!("unknown key `{key}`")));
        }
        let mut actions = Vec::with_capacity(raw.actions.len());
        for (i, a) in raw.actions.into_iter().enumerate() {
            let at = format!("#/actions/{i}");
            if let Some(key) = a.extensions.keys().find(|k| !k.starts_with("x-")) {
                return Err(fail(at, format!("unknown key `{key}` in an action")));
            }
            let path = JsonPath::parse(&a.target).map_err(|e| {
                fail(format!("{at}/target"), format!("`{}` is not a JSONPath (RFC 9535): {e}", a.target))
            })?;
            let change = match (a.update, a.remove) {
                (Some(update), None | Some(false)) => Change::Update(update),
                (None, Some(true)) => Change::Remove,
                (Some(_), Some(true)) => {
                    return Err(fail(at, "an action has either `update` or `remove: true`, not both".into()));
                }
                (None, _) => return Err(fail(at, "an action needs `update` or `remove: true`".into())),
            };
            actions.push(Action { target: a.target, path, description: a.description, change });
        }
        Ok(Overlay { name: name.to_owned(), title: raw.info.title, actions })
    }

    /// Applies every action in order. Fails only where an action cannot mean anything (an update
    /// merged into a string, say); a target that selects nothing is reported as an orphan.
    pub fn apply(&self, doc: &mut Value) -> Result<Applied, Diagnostics> {
        let mut applied = Applied::default();
        for (index, action) in self.actions.iter().enumerate() {
            let pointers: Vec<String> =
                action.path.query_located(doc).locations().map(|l| l.to_json_pointer()).collect();
            if pointers.is_empty() {
                applied.orphaned.push(Orphan {
                    overlay: self.name.clone(),
                    index,
                    target: action.target.clone(),
                    description: action.description.clone(),
                });
                continue;
            }
            applied.actions_applied += 1;
            applied.nodes_changed += pointers.len();
            let fail = |pointer: &str, message: &str| {
                Diagnostics(vec![Diagnostic::error(
                    format!("#{pointer}"),
                    format!("{} action {index} (`{}`): {message}", self.name, action.target),
                )])
            };
            match &action.change {
                Change::Update(update) => {
                    for pointer in &pointers {
                        let node = doc.pointer_mut(pointer).ok_or_else(|| fail(pointer, "target vanished"))?;
                        match node {
                            Value::Object(_) if update.is_object() => merge(node, update),
                            Value::Array(items) => items.push(update.clone()),
                            _ => {
                                return Err(fail(
                                    pointer,
                                    "an update must target an object (with an object) or an array",
                                ));
                            }
                        }
                    }
                }
                Change::Remove => {
                    // Deepest and last first, so removing one node never shifts another's index.
                    let mut pointers = pointers;
                    pointers.sort_by(|a, b| b.cmp(a));
                    for pointer in &pointers {
                        if pointer.is_empty() {
                            return Err(fail(pointer, "the whole document cannot be removed"));
                        }
                        remove(doc, pointer);
                    }
                }
            }
        }
        Ok(applied)
    }
}

/// Merges `update` into `node`: objects key by key, recursively; anything else replaces.
fn merge(node: &mut Value, update: &Value) {
    match (node, update) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (node, update) => *node = update.clone(),
    }
}

/// Removes the node at `pointer` (RFC 6901, non-empty) from its parent.
fn remove(doc: &mut Value, pointer: &str) {
    let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn overlay(yaml: &str) -> Overlay {
        Overlay::read("t.yaml", yaml.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn updates_merge_and_removes_delete() {
        let o = overlay(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: \"$.components.schemas[*].properties[?@.type=='number']\"\n  update: {type: integer}\n\
             - target: \"$.components.schemas['A'].properties['b'].example\"\n  remove: true\n\
             - target: $.tags\n  update: {name: new}\n\
             - target: $.nothing\n  description: gone upstream\n  update: {x: 1}\n",
        );
        let mut doc = json!({
            "components": {"schemas": {
                "A": {"properties": {"n": {"type": "number", "example": 1}, "b": {"type": "boolean", "example": " false"}}},
                "B": {"properties": {"m": {"type": "number"}, "s": {"type": "string"}}}
            }},
            "tags": []
        });
        let applied = o.apply(&mut doc).expect("applies");
        assert_eq!(doc.pointer("/components/schemas/A/properties/n"), Some(&json!({"type": "integer", "example": 1})));
        assert_eq!(doc.pointer("/components/schemas/B/properties/m/type"), Some(&json!("integer")));
        assert_eq!(doc.pointer("/components/schemas/B/properties/s/type"), Some(&json!("string")));
        assert_eq!(doc.pointer("/components/schemas/A/properties/b"), Some(&json!({"type": "boolean"})));
        assert_eq!(doc["tags"], json!([{"name": "new"}]));
        assert_eq!((applied.actions_applied, applied.nodes_changed), (3, 4));
        assert_eq!(applied.orphaned.len(), 1);
        assert_eq!(applied.orphaned[0].to_string(), "t.yaml action 3: `$.nothing` selects nothing (gone upstream)");
    }

    #[test]
    fn removing_several_array_items_removes_the_right_ones() {
        let o = overlay(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: \"$.a[?@ > 1]\"\n  remove: true\n",
        );
        let mut doc = json!({"a": [1, 2, 0, 3, 1]});
        o.apply(&mut doc).expect("applies");
        assert_eq!(doc, json!({"a": [1, 0, 1]}));
    }

    #[test]
    fn bad_documents_are_errors_naming_the_place() {
        let err = |yaml: &str| Overlay::read("o.yaml", yaml.as_bytes()).expect_err("rejected").to_string();
        assert!(
            err("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.a[\n  remove: true\n")
                .contains("#/actions/0/target")
        );
        assert!(err("overlay: 2.0.0\ninfo: {title: t, version: '1'}\nactions: []\n").contains("not supported"));
        assert!(
            err("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.a\n").contains("needs `update`")
        );
        assert!(
            err("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.a\n  updat: {}\n")
                .contains("unknown key `updat`")
        );
        assert!(err("overlay: 1.0.0\nactions: []\n").contains("o.yaml"));
        let o = overlay("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.a\n  update: {b: 1}\n");
        assert!(o.apply(&mut json!({"a": "text"})).expect_err("string target").to_string().contains("#/a"));
    }
}
