//! Blank lines between items, which `prettyplease` does not write: a generated file reads like a
//! hand-written one, an item (with its docs and attributes) set apart from the one before it.

/// `printed` with a blank line before every item that follows another item at the same
/// indentation: after a closing `}` (or `};`, `);`), after the inner attributes that open a file,
/// and between runs of different one-line items (`use` lines, then a `const`). Lines inside
/// bodies and doc comments are left as they are; nothing but blank lines is added.
pub(crate) fn spaced(printed: &str) -> String {
    let mut out = String::with_capacity(printed.len() + printed.len() / 16);
    let mut previous: Option<&str> = None;
    for line in printed.split_inclusive('\n') {
        if let Some(before) = previous
            && needs_space(before, line)
        {
            out.push('\n');
        }
        out.push_str(line);
        previous = Some(line);
    }
    out
}

/// Whether a blank line belongs between `before` and `line`, two consecutive lines.
fn needs_space(before: &str, line: &str) -> bool {
    let (before_code, code) = (before.trim(), line.trim());
    if before_code.is_empty() || indent(before) != indent(line) || item_kind(code).is_none() {
        return false;
    }
    if before_code.starts_with("#![") {
        return !code.starts_with("#![");
    }
    if matches!(before_code, "}" | "};" | ");") {
        return true;
    }
    // One-line items (`use ...;`, `const X: T = v;`, `rt::request_builders!(...);`) stay
    // together with their own kind.
    before_code.ends_with(';') && item_kind(before_code).is_some_and(|kind| Some(kind) != item_kind(code))
}

/// What item `code` (a trimmed line) starts, if it starts one: its keyword (visibility aside),
/// `macro` for a call of the runtime's macros, or `doc` for the doc comment or attribute in front
/// of it.
fn item_kind(code: &str) -> Option<&'static str> {
    if code.starts_with("///") || code.starts_with("#[") {
        return Some("doc");
    }
    if code.starts_with("rt::") {
        return Some("macro");
    }
    let code = ["pub(crate) ", "pub "].iter().find_map(|vis| code.strip_prefix(vis)).unwrap_or(code);
    ["use ", "impl", "struct ", "enum ", "fn ", "const ", "type ", "mod ", "trait "]
        .into_iter()
        .find(|keyword| code.starts_with(keyword))
        .map(str::trim_end)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_set_apart_and_bodies_are_not() {
        let printed = "\
//! The module.
#![allow(deprecated)]
use crate::runtime::generated_api as rt;
use crate::types;
impl crate::ManagementClient {
    /// A method.
    pub fn a(&self) -> A {
        if x {
            y();
        }
        z()
    }
    pub fn b(&self) {}
}
/// A builder.
pub struct A {
    /// A field.
    x: u8,
    y: u8,
}
rt::request_builders!(A => B);
impl rt::Paged for A {
    type Page = B;
    type Item = C;
    const MAX_LIMIT: i64 = 50;
    fn cursor(&mut self) {}
}
";
        let expected = "\
//! The module.
#![allow(deprecated)]

use crate::runtime::generated_api as rt;
use crate::types;

impl crate::ManagementClient {
    /// A method.
    pub fn a(&self) -> A {
        if x {
            y();
        }
        z()
    }

    pub fn b(&self) {}
}

/// A builder.
pub struct A {
    /// A field.
    x: u8,
    y: u8,
}

rt::request_builders!(A => B);

impl rt::Paged for A {
    type Page = B;
    type Item = C;

    const MAX_LIMIT: i64 = 50;

    fn cursor(&mut self) {}
}
";
        assert_eq!(spaced(printed), expected);
        // Spacing twice adds nothing.
        assert_eq!(spaced(expected), expected);
    }
}
