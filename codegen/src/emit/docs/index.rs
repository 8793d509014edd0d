//! The index page of a language: every operation with its one-line summary, linked (the
//! docs-factory's sidebar).

use super::labels::labels;
use super::tables::{Table, code};
use super::{finish, header_comment, page_file};
use crate::Options;
use crate::model::{Api, Lang};

/// Renders `docs/{lang}/index.md`.
pub fn render(api: &Api, options: &Options, lang: Lang) -> String {
    let l = labels(lang);
    let mut table = Table {
        header: [l.col_operation, l.method_name, l.col_http].iter().map(|s| (*s).to_owned()).collect(),
        rows: Vec::new(),
    };
    for op in &api.operations {
        let summary = op.summary.get(lang).unwrap_or(&op.name);
        table.rows.push(vec![
            format!("[{}]({})", link_text(summary), page_file(op)),
            code(&format!("{}::{}", api.client_name, op.name)),
            code(&format!("{} {}", op.method.as_str(), op.path)),
        ]);
    }
    finish(&[
        format!("# {}", l.index_title),
        header_comment(options),
        format!("{} {}", api.title, code(&api.version)),
        table.render(),
    ])
}

/// A summary made safe as link text (brackets would end the link early).
fn link_text(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}
