//! Where each document's curated layers live, and the layers every document shares.
//!
//! A document `spec/<name>-openapi.json` is curated by `spec/<name>/overlays/*.yaml` and
//! `spec/<name>/translations/en/*.yaml`. What both upstream documents hold alike (the schemas
//! they share, the numbers and examples upstream gets wrong the same way everywhere) is curated
//! once, in `spec/shared/overlays` and `spec/shared/translations/en`, applied to every document
//! before its own layers: a type both documents make is then the same type (the generator's
//! merge refuses two types of one name that differ).

use std::fs;
use std::path::Path;

use genauth_codegen::layers::LayerReport;

/// The folder of the layers every document shares.
pub const SHARED: &str = "spec/shared";

/// Layer files end so.
const EXTENSIONS: &[&str] = &["json", "yaml", "yml"];

/// The curated overlays of the document `name`: `spec/management/overlays`.
pub fn overlay_dir(name: &str) -> String {
    format!("spec/{name}/overlays")
}

/// The English catalog of the document `name`: `spec/management/translations/en`.
pub fn translation_dir(name: &str) -> String {
    format!("spec/{name}/translations/en")
}

/// A document's layer files, `(path relative to root, bytes)`: the shared ones first, then its
/// own, each folder sorted by name. `kind` picks the folder ([`overlay_dir`] or
/// [`translation_dir`]).
pub fn files_of(root: &Path, name: &str, kind: fn(&str) -> String) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = read_folder(root, &kind("shared"))?;
    files.extend(read_folder(root, &kind(name))?);
    Ok(files)
}

/// `(path relative to root, bytes)` of every layer file in `dir`, sorted by name (none when the
/// folder does not exist).
fn read_folder(root: &Path, dir: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for path in crate::codegen::files_below(&root.join(dir)) {
        if path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e)) {
            let name = crate::codegen::relative(root, &path);
            let bytes = fs::read(&path).map_err(|e| format!("cannot read {name}: {e}"))?;
            files.push((name, bytes));
        }
    }
    Ok(files)
}

/// A shared layer's action or entry fits when it fits any document: each document's report
/// keeps a shared orphan only when every document found it orphaned, and then only the first
/// document reports it (once is enough). Orphans of a document's own layers stay as they are.
pub fn fold_shared_orphans(reports: &mut [&mut LayerReport]) {
    let shared = |file: &str| file.starts_with(&format!("{SHARED}/"));
    let orphaned_everywhere_actions: Vec<(String, usize)> = match reports.split_first() {
        None => return,
        Some((first, rest)) => first
            .orphaned_actions
            .iter()
            .filter(|o| shared(&o.overlay))
            .filter(|o| {
                rest.iter().all(|r| r.orphaned_actions.iter().any(|p| p.overlay == o.overlay && p.index == o.index))
            })
            .map(|o| (o.overlay.clone(), o.index))
            .collect(),
    };
    let orphaned_everywhere_texts: Vec<(String, String)> = match reports.split_first() {
        None => return,
        Some((first, rest)) => first
            .translations
            .orphaned
            .iter()
            .filter(|(file, _)| shared(file))
            .filter(|entry| rest.iter().all(|r| r.translations.orphaned.contains(entry)))
            .cloned()
            .collect(),
    };
    for (i, report) in reports.iter_mut().enumerate() {
        report.orphaned_actions.retain(|o| {
            !shared(&o.overlay) || (i == 0 && orphaned_everywhere_actions.contains(&(o.overlay.clone(), o.index)))
        });
        report
            .translations
            .orphaned
            .retain(|entry| !shared(&entry.0) || (i == 0 && orphaned_everywhere_texts.contains(entry)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use genauth_codegen::layers::overlay::Orphan;

    fn orphan(file: &str, index: usize) -> Orphan {
        Orphan { overlay: file.into(), index, target: "$.x".into(), description: None }
    }

    #[test]
    fn a_shared_layer_is_orphaned_only_when_it_fits_no_document() {
        let mut a = LayerReport::default();
        let mut b = LayerReport::default();
        a.orphaned_actions = vec![orphan("spec/shared/overlays/x.yaml", 0), orphan("spec/shared/overlays/x.yaml", 1)];
        a.orphaned_actions.push(orphan("spec/a/overlays/y.yaml", 0));
        b.orphaned_actions = vec![orphan("spec/shared/overlays/x.yaml", 1)];
        a.translations.orphaned = vec![("spec/shared/translations/en/t.yaml".into(), "#/a".into())];
        b.translations.orphaned = vec![("spec/shared/translations/en/t.yaml".into(), "#/b".into())];
        fold_shared_orphans(&mut [&mut a, &mut b]);
        // Action 0 fits document b, action 1 fits neither: reported once, by the first document.
        let kept: Vec<(&str, usize)> = a.orphaned_actions.iter().map(|o| (o.overlay.as_str(), o.index)).collect();
        assert_eq!(kept, [("spec/shared/overlays/x.yaml", 1), ("spec/a/overlays/y.yaml", 0)]);
        assert!(b.orphaned_actions.is_empty());
        // Each text fits the other document.
        assert!(a.translations.orphaned.is_empty() && b.translations.orphaned.is_empty());
    }
}
