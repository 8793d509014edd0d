//! The index pages of a language (the docs-factory's sidebar): the top index lists the groups,
//! each group's index its operations with their one-line summaries, linked.

use super::labels::labels;
use super::tables::{Table, code};
use super::{Groups, Part, finish, header_comment, page_file};
use crate::Options;
use crate::model::{Group, Lang, Operation};

/// Renders `docs/{lang}/index.md`: each document's title and version, then its groups, linked to
/// their own indexes (in the document's folder).
pub fn render_top(documents: &[(&Part<'_>, Groups<'_>)], options: &Options, lang: Lang) -> String {
    let l = labels(lang);
    let mut blocks = vec![format!("# {}", l.index_title), header_comment(options)];
    for (part, groups) in documents {
        let mut table =
            Table { header: [l.col_group, l.col_count].iter().map(|s| (*s).to_owned()).collect(), rows: Vec::new() };
        let prefix = if part.dir.is_empty() { String::new() } else { format!("{}/", part.dir) };
        for (group, ops) in groups {
            let name = group.name.get(lang).unwrap_or(&group.slug);
            table
                .rows
                .push(vec![format!("[{}]({prefix}{}/index.md)", link_text(name), group.slug), ops.len().to_string()]);
        }
        let heading = format!("{} {}", part.api.title, code(&part.api.version));
        // One document keeps the single-API layout; several get a heading each.
        blocks.push(if documents.len() > 1 { format!("## {heading}") } else { heading });
        blocks.push(table.render());
    }
    finish(&blocks)
}

/// Renders a group's `index.md`: the group's operations, linked.
pub fn render_group(group: &Group, ops: &[&Operation], part: &Part<'_>, lang: Lang) -> String {
    let l = labels(lang);
    let mut table = Table {
        header: [l.col_operation, l.method_name, l.col_http].iter().map(|s| (*s).to_owned()).collect(),
        rows: Vec::new(),
    };
    for op in ops {
        let summary = op.summary.get(lang).unwrap_or(&op.name);
        table.rows.push(vec![
            format!("[{}]({})", link_text(summary), page_file(op)),
            code(&format!("{}::{}", op.client, op.name)),
            code(&format!("{} {}", op.method.as_str(), op.path)),
        ]);
    }
    // The top index is one folder up, or two from a document's own folder.
    let up = if part.dir.is_empty() { "../" } else { "../../" };
    finish(&[
        format!("# {}", group.name.get(lang).unwrap_or(&group.slug)),
        header_comment(part.options),
        format!("[{}]({up}index.md)", l.index_title),
        table.render(),
    ])
}

/// A summary made safe as link text (brackets would end the link early).
fn link_text(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}
