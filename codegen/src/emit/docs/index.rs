//! The index pages of a language (the docs-factory's sidebar): the top index lists the groups,
//! each group's index its operations with their one-line summaries, linked.

use super::labels::labels;
use super::tables::{Table, code};
use super::{finish, header_comment, page_file};
use crate::Options;
use crate::model::{Api, Group, Lang, Operation};

/// Renders `docs/{lang}/index.md`: the groups, linked to their own indexes.
pub fn render_top(api: &Api, groups: &[(&Group, Vec<&Operation>)], options: &Options, lang: Lang) -> String {
    let l = labels(lang);
    let mut table =
        Table { header: [l.col_group, l.col_count].iter().map(|s| (*s).to_owned()).collect(), rows: Vec::new() };
    for (group, ops) in groups {
        let name = group.name.get(lang).unwrap_or(&group.slug);
        table.rows.push(vec![format!("[{}]({}/index.md)", link_text(name), group.slug), ops.len().to_string()]);
    }
    finish(&[
        format!("# {}", l.index_title),
        header_comment(options),
        format!("{} {}", api.title, code(&api.version)),
        table.render(),
    ])
}

/// Renders `docs/{lang}/{group}/index.md`: the group's operations, linked.
pub fn render_group(api: &Api, group: &Group, ops: &[&Operation], options: &Options, lang: Lang) -> String {
    let l = labels(lang);
    let mut table = Table {
        header: [l.col_operation, l.method_name, l.col_http].iter().map(|s| (*s).to_owned()).collect(),
        rows: Vec::new(),
    };
    for op in ops {
        let summary = op.summary.get(lang).unwrap_or(&op.name);
        table.rows.push(vec![
            format!("[{}]({})", link_text(summary), page_file(op)),
            code(&format!("{}::{}", api.client_name, op.name)),
            code(&format!("{} {}", op.method.as_str(), op.path)),
        ]);
    }
    finish(&[
        format!("# {}", group.name.get(lang).unwrap_or(&group.slug)),
        header_comment(options),
        format!("[{}](../index.md)", l.index_title),
        table.render(),
    ])
}

/// A summary made safe as link text (brackets would end the link early).
fn link_text(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}
