//! Model -> Markdown docs, in the docs-factory's layout: a folder per group (upstream tag), one
//! page per operation in it, an index per group and a top index per language.
//!
//! Files: `docs/{en,zh-CN}/index.md` (the groups), `docs/{en,zh-CN}/{group}/index.md` (its
//! operations) and `docs/{en,zh-CN}/{group}/{op-name}.md` (the method name with `-` for `_`);
//! group folder names are the curated ASCII slugs, stable across upstream updates. English pages take the spec's English text, Chinese pages its Chinese; a missing
//! translation falls back to the other language ([`crate::model::Text::get`]), never to an empty
//! cell. Every value in a table comes from the model; the sample code is
//! [`crate::emit::sample::rust_sample`], the same text the sdk's doctests compile.

mod index;
pub mod labels;
mod page;
mod sample_json;
pub mod tables;

use crate::emit::sample::Samples;
use crate::model::{Api, Group, Lang, Operation};
use crate::{GeneratedFile, Options};

/// Emits the Markdown docs: both indexes and every operation's page in both languages.
pub fn emit(api: &Api, options: &Options) -> Vec<GeneratedFile> {
    emit_with(api, options, &Samples::new(api))
}

/// [`emit`], taking the operations' samples from `samples` (which the Rust emitter shares).
pub fn emit_with(api: &Api, options: &Options, samples: &Samples<'_>) -> Vec<GeneratedFile> {
    emit_documents(&[Part { api, options, dir: "" }], samples)
}

/// One document's share of the docs.
pub struct Part<'a> {
    /// Its model.
    pub api: &'a Api,
    /// Its options (the spec path named in the "generated" comment).
    pub options: &'a Options,
    /// Its folder below each language's folder, `""` for the language folder itself: the
    /// Management API's pages stay where the seeds put them (`docs/en/users/kick-users.md`),
    /// another API's pages go to its own folder (`docs/en/authentication/sign-in/...`).
    pub dir: &'a str,
}

/// The docs of several documents: each one's group indexes and pages in its own folder, and one
/// top index per language listing the groups of every document.
pub fn emit_documents(parts: &[Part<'_>], samples: &Samples<'_>) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    let tops: Vec<_> = parts.iter().map(|part| (part, groups(part.api))).collect();
    for lang in Lang::ALL {
        let lang_dir = labels::labels(lang).dir;
        // The top index comes from every document, and its header names them all.
        let spec_paths: Vec<&str> = parts.iter().map(|p| p.options.spec_path.as_str()).collect();
        let top_options = Options { spec_path: spec_paths.join(" and "), docs: true };
        if !tops.is_empty() {
            files.push(GeneratedFile {
                path: format!("docs/{lang_dir}/index.md"),
                contents: index::render_top(&tops, &top_options, lang),
            });
        }
        for (part, groups) in &tops {
            let dir =
                if part.dir.is_empty() { format!("docs/{lang_dir}") } else { format!("docs/{lang_dir}/{}", part.dir) };
            for (group, ops) in groups {
                files.push(GeneratedFile {
                    path: format!("{dir}/{}/index.md", group.slug),
                    contents: index::render_group(group, ops, part, lang),
                });
            }
            for op in &part.api.operations {
                files.push(GeneratedFile {
                    path: format!("{dir}/{}", page_path(op)),
                    contents: page::render(part.api, samples, op, part.options, lang),
                });
            }
        }
    }
    files.sort();
    files
}

/// The file name of an operation's page (`kick-users.md`), relative to its group's folder.
pub fn page_file(op: &Operation) -> String {
    format!("{}.md", op.name.replace('_', "-"))
}

/// The path of an operation's page relative to its language directory (`users/kick-users.md`).
pub fn page_path(op: &Operation) -> String {
    format!("{}/{}", op.group.slug, page_file(op))
}

/// A document's groups, each with its operations.
type Groups<'a> = Vec<(&'a Group, Vec<&'a Operation>)>;

/// The groups by slug, each with its operations in model order. Operations of one slug share
/// the first group seen (slugs are unique per group in the curated layer).
fn groups(api: &Api) -> Groups<'_> {
    let mut by_slug: std::collections::BTreeMap<&str, (&Group, Vec<&Operation>)> = Default::default();
    for op in &api.operations {
        by_slug.entry(op.group.slug.as_str()).or_insert_with(|| (&op.group, Vec::new())).1.push(op);
    }
    by_slug.into_values().collect()
}

/// Joins Markdown blocks with one blank line, trims trailing spaces on every line, and ends the
/// file with exactly one newline.
fn finish(blocks: &[String]) -> String {
    let mut out = String::new();
    for block in blocks.iter().map(|b| b.trim_matches('\n')).filter(|b| !b.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        for line in block.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// The "generated, do not edit" header as an HTML comment (invisible on the rendered page).
fn header_comment(options: &Options) -> String {
    // `--` may not appear inside an HTML comment; a spec path is unlikely to hold it, but a
    // broken comment would swallow the page.
    let text = crate::emit::header_text(&options.spec_path).replace("--", "- -");
    format!("<!-- {text} -->")
}
