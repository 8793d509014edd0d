//! Which operations and types a set of generated Rust files defines, read back with `syn`, so
//! the xtask can say what a regeneration added or removed without keeping a manifest file.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// Operation and type names.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Inventory {
    operations: BTreeSet<String>,
    types: BTreeSet<String>,
}

impl Inventory {
    /// Reads every `.rs` file below `dir` (none: empty inventory).
    pub fn read_dir(dir: &Path, client_name: &str) -> Self {
        let mut sources = Vec::new();
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "rs") {
                    if let Ok(text) = fs::read_to_string(&path) {
                        sources.push((path.to_string_lossy().into_owned(), text));
                    }
                }
            }
        }
        Self::from_files(sources.iter().map(|(p, t)| (p.as_str(), t.as_str())), client_name)
    }

    /// Collects from `(path, source)` pairs: methods of `impl {client_name}` blocks are
    /// operations; structs and enums of `types.rs` are types. Unparsable files (hand edits) are
    /// skipped: the staleness check reports them anyway.
    pub fn from_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>, client_name: &str) -> Self {
        let mut inventory = Inventory::default();
        for (path, source) in files {
            let Ok(file) = syn::parse_file(source) else {
                continue;
            };
            let is_types = path.ends_with("types.rs");
            for item in file.items {
                match item {
                    syn::Item::Struct(s) if is_types => {
                        inventory.types.insert(s.ident.to_string());
                    }
                    syn::Item::Enum(e) if is_types => {
                        inventory.types.insert(e.ident.to_string());
                    }
                    syn::Item::Impl(block) if block.trait_.is_none() && names_client(&block.self_ty, client_name) => {
                        for impl_item in block.items {
                            if let syn::ImplItem::Fn(f) = impl_item {
                                inventory.operations.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        inventory
    }

    /// Lines like `+ operation kick_users`, `- type Foo`, from `self` to `after`.
    pub fn changes_to(&self, after: &Inventory) -> Vec<String> {
        let mut lines = Vec::new();
        let mut diff = |kind: &str, old: &BTreeSet<String>, new: &BTreeSet<String>| {
            lines.extend(new.difference(old).map(|n| format!("+ {kind} {n}")));
            lines.extend(old.difference(new).map(|n| format!("- {kind} {n}")));
        };
        diff("operation", &self.operations, &after.operations);
        diff("type", &self.types, &after.types);
        lines
    }
}

fn names_client(ty: &syn::Type, client_name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == client_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operations_and_types_and_diffs_them() {
        let old = Inventory::from_files(
            [
                ("g/types.rs", "pub struct A {} pub enum B { X }"),
                ("g/operations.rs", "impl crate::ManagementClient { pub fn kick(&self) {} } pub struct KickRequest {}"),
            ],
            "ManagementClient",
        );
        let new = Inventory::from_files(
            [
                ("g/types.rs", "pub struct A {}"),
                ("g/operations.rs", "impl ManagementClient { pub fn resign(&self) {} }"),
            ],
            "ManagementClient",
        );
        assert_eq!(new.changes_to(&new), Vec::<String>::new());
        assert_eq!(old.changes_to(&new), ["+ operation resign", "- operation kick", "- type B"]);
    }
}
