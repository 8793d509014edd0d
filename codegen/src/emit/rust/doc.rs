//! Rustdoc text: spec prose made safe for rustdoc, and the sentences the generator writes itself.
//!
//! Spec descriptions are Markdown-ish text written for a web page. Pasted into rustdoc as they are,
//! they break the build in quiet ways: `<extIdpId>` is an unclosed HTML tag, `[x]` a broken
//! intra-doc link, a bare URL a `rustdoc::bare_urls` warning, a fenced or 4-space-indented block a
//! doctest that fails to compile, a line continuing a list item without indentation a
//! `clippy::doc_lazy_continuation` warning. [`sanitize`] fixes all of these; every piece of spec
//! text goes through it, and the generator's own sentences only use code spans.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::names::{lit, raw_lit};
use crate::model::{Constraints, Field, Lang, Text, TypeRef};

/// A doc comment being assembled, one Markdown line per entry; paragraphs are separated by one
/// blank line.
#[derive(Debug, Default, Clone)]
pub(crate) struct Doc {
    lines: Vec<String>,
}

impl Doc {
    /// An empty doc.
    pub(crate) fn new() -> Self {
        Doc::default()
    }

    /// Appends a paragraph (already Markdown-safe lines), separated from what precedes it.
    pub(crate) fn para<I: IntoIterator<Item = String>>(&mut self, lines: I) -> &mut Self {
        let lines: Vec<String> = lines.into_iter().collect();
        if lines.iter().all(|l| l.trim().is_empty()) {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(lines);
        self
    }

    /// Appends one generated line as its own paragraph (must already be Markdown-safe).
    pub(crate) fn line(&mut self, line: impl Into<String>) -> &mut Self {
        self.para([line.into()])
    }

    /// Appends spec text: the English (or, lacking it, the only) version, then the Chinese one
    /// when both exist and differ. Returns whether anything was added.
    pub(crate) fn text(&mut self, text: &Text) -> bool {
        let paras = text_versions(text);
        let added = !paras.is_empty();
        for p in paras {
            self.para(sanitize(p));
        }
        added
    }

    /// Spec text, or `fallback` (generated, Markdown-safe) when the spec has none.
    pub(crate) fn text_or(&mut self, text: &Text, fallback: &str) -> &mut Self {
        if !self.text(text) {
            self.line(fallback);
        }
        self
    }

    /// `#![doc = "..."]` attributes (module docs), one per line.
    pub(crate) fn tokens_inner(&self) -> TokenStream {
        let attrs = self.lines.iter().map(|line| {
            let text = if line.is_empty() { String::new() } else { format!(" {line}") };
            let text = lit(&text);
            quote!(#![doc = #text])
        });
        quote!(#(#attrs)*)
    }

    /// The lines, for nesting into a list item.
    pub(crate) fn lines(&self) -> &[String] {
        &self.lines
    }

    /// `#[doc = "..."]` attributes, one per line (prettyplease prints each as `///`).
    pub(crate) fn tokens(&self) -> TokenStream {
        let attrs = self.lines.iter().map(|line| {
            // A leading space gives the conventional `/// text`; it also keeps a line starting
            // with `/` from turning into `////`, which prettyplease would print as an attribute.
            let text = if line.is_empty() { String::new() } else { format!(" {line}") };
            let text = raw_lit(&text);
            quote!(#[doc = #text])
        });
        quote!(#(#attrs)*)
    }
}

/// The texts to show, in order: English (falling back to Chinese), then Chinese when both exist
/// and differ.
fn text_versions(text: &Text) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(first) = text.get(Lang::En) {
        out.push(first);
        if let (Some(_), Some(zh)) = (text.exact(Lang::En), text.exact(Lang::Zh)) {
            if zh != first {
                out.push(zh);
            }
        }
    }
    out
}

/// Spec prose as rustdoc-safe Markdown lines (see the module docs for what is fixed and why).
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', "    ");
    let mut out = Vec::new();
    // The open fence (its character and length), while inside a fenced block.
    let mut fence: Option<(char, usize)> = None;
    // Content indentation of the list item the current paragraph belongs to.
    let mut list_indent: Option<usize> = None;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some((ch, len)) = fence {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= len && trimmed[run * ch.len_utf8()..].trim().is_empty() {
                out.push(ch.to_string().repeat(len));
                fence = None;
            } else {
                out.push(line.to_owned());
            }
            continue;
        }
        if let Some(ch) = trimmed.chars().next().filter(|&c| c == '`' || c == '~') {
            let run = trimmed.chars().take_while(|&c| c == ch).count();
            if run >= 3 {
                // Whatever language the spec named, the block becomes `text`: never a doctest.
                fence = Some((ch, run));
                list_indent = None;
                out.push(format!("{}text", ch.to_string().repeat(run)));
                continue;
            }
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_indent = None;
            continue;
        }
        if let Some(width) = list_marker_width(trimmed) {
            // Keep up to 3 spaces of indentation (enough for nesting, never a code block).
            let indent = (line.len() - trimmed.len()).min(3);
            out.push(format!("{}{}", " ".repeat(indent), inline(trimmed)));
            list_indent = Some(indent + width);
            continue;
        }
        // Indentation outside lists is dropped (4 spaces would start a code block, i.e. a
        // doctest); a line continuing a list item is indented to the item's content.
        let indent = list_indent.unwrap_or(0);
        out.push(format!("{}{}", " ".repeat(indent), inline(trimmed)));
    }
    if let Some((ch, len)) = fence {
        out.push(ch.to_string().repeat(len));
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

/// Width of a list marker with its following space (`- ` is 2, `10. ` is 4), if `line` starts
/// with one.
fn list_marker_width(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    match bytes.first()? {
        b'-' | b'*' | b'+' if bytes.get(1) == Some(&b' ') => Some(2),
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            let after = bytes.get(digits..digits + 2)?;
            (digits <= 9 && (after[0] == b'.' || after[0] == b')') && after[1] == b' ').then_some(digits + 2)
        }
        _ => None,
    }
}

/// One line of prose outside code blocks: code spans kept verbatim, URLs wrapped in `<...>`,
/// `\ [ ] < >` escaped everywhere else.
fn inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let run = rest.chars().take_while(|&c| c == '`').count();
            let after = &rest[run..];
            if let Some(end) = find_backtick_run(after, run) {
                out.push_str(&rest[..run + end + run]);
                rest = &rest[run + end + run..];
            } else {
                // An unmatched run is literal text.
                out.push_str(&rest[..run]);
                rest = after;
            }
            continue;
        }
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let len = url_len(rest);
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            rest = &rest[len..];
            continue;
        }
        if matches!(c, '\\' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Byte offset in `s` of the next run of exactly `len` backticks.
fn find_backtick_run(s: &str, len: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// Length of the URL at the start of `s`: up to whitespace, a non-ASCII character or a delimiter,
/// without trailing sentence punctuation.
fn url_len(s: &str) -> usize {
    let end = s
        .char_indices()
        .find(|&(_, c)| !c.is_ascii() || c.is_ascii_whitespace() || "<>\"'`()[]{}|\\^".contains(c))
        .map_or(s.len(), |(i, _)| i);
    s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']).len()
}

/// `s` as an inline code span, whatever backticks it holds.
pub(crate) fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() { " " } else { "" };
    // Newlines would end the doc line; code spans turn them into spaces anyway.
    let s = s.replace(['\n', '\r'], " ");
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// A JSON value as shown in docs: a string as its text, anything else as compact JSON.
pub(crate) fn value_code(value: &Value) -> String {
    match value {
        Value::String(s) => code(s),
        other => code(&other.to_string()),
    }
}

/// A number as written in docs (`1`, `0.5`).
fn number(n: f64) -> String {
    format!("{n}")
}

/// Lines stating a field's (or parameter's) constraints, default, example and format.
pub(crate) fn facts(field: &Field) -> Vec<String> {
    let mut out = constraint_lines(&field.constraints);
    match &field.ty {
        TypeRef::String { format: Some(f) }
        | TypeRef::Integer { format: Some(f) }
        | TypeRef::Number { format: Some(f) } => out.push(format!("Format: {}.", code(f))),
        _ => {}
    }
    if field.nullable {
        out.push("May be `null`.".to_owned());
    }
    if let Some(default) = &field.default {
        out.push(format!("Default: {}.", value_code(default)));
    }
    if let Some(example) = &field.example {
        out.push(format!("Example: {}.", value_code(example)));
    }
    if field.deprecated {
        out.push("Deprecated.".to_owned());
    }
    out
}

/// One sentence per stated constraint.
pub(crate) fn constraint_lines(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    match (c.min_items, c.max_items) {
        (Some(min), Some(max)) => out.push(format!("{min} to {max} items.")),
        (Some(min), None) => out.push(format!("At least {min} items.")),
        (None, Some(max)) => out.push(format!("At most {max} items.")),
        (None, None) => {}
    }
    match (c.min_length, c.max_length) {
        (Some(min), Some(max)) => out.push(format!("{min} to {max} characters.")),
        (Some(min), None) => out.push(format!("At least {min} characters.")),
        (None, Some(max)) => out.push(format!("At most {max} characters.")),
        (None, None) => {}
    }
    match (c.minimum, c.maximum) {
        (Some(min), Some(max)) => out.push(format!("From {} to {}.", code(&number(min)), code(&number(max)))),
        (Some(min), None) => out.push(format!("At least {}.", code(&number(min)))),
        (None, Some(max)) => out.push(format!("At most {}.", code(&number(max)))),
        (None, None) => {}
    }
    if let Some(p) = &c.pattern {
        out.push(format!("Pattern (not checked by the SDK): {}.", code(p)));
    }
    if !c.allowed.is_empty() {
        let values: Vec<String> = c.allowed.iter().map(value_code).collect();
        out.push(format!("Allowed values: {}.", values.join(", ")));
    }
    out
}

/// The doc of a field or parameter: its description (or a generated sentence), then its facts.
pub(crate) fn field_doc(field: &Field) -> Doc {
    let mut doc = Doc::new();
    doc.text_or(&field.description, &format!("The {} field.", code(&field.wire_name)));
    doc.para(facts(field));
    doc
}

/// `doc`'s lines as one Markdown list item (`- ` + first line, the rest indented under it).
pub(crate) fn list_item(head: &str, doc: &Doc) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in doc.lines().iter().enumerate() {
        if i == 0 {
            out.push(format!("- {head}{line}"));
        } else if line.is_empty() {
            out.push(String::new());
        } else {
            out.push(format!("  {line}"));
        }
    }
    if out.is_empty() {
        out.push(format!("- {head}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html_and_links_outside_code() {
        assert_eq!(
            sanitize("format `<a>:<b>`, where <extIdpId> [x] see https://genauth.ai/docs."),
            ["format `<a>:<b>`, where \\<extIdpId\\> \\[x\\] see <https://genauth.ai/docs>."]
        );
    }

    #[test]
    fn fences_become_text_and_indentation_cannot_make_code() {
        let lines = sanitize("a\n```js\nlet x = 1;\n```\n\n    indented\n");
        assert_eq!(lines, ["a", "```text", "let x = 1;", "```", "", "indented"]);
        assert_eq!(sanitize("```\nunclosed"), ["```text", "unclosed", "```"]);
    }

    /// The case the property test once failed on (its checker closed a six-backtick fence with
    /// three): the sanitiser's output is valid.
    #[test]
    fn a_long_fence_is_closed_only_by_a_long_enough_run() {
        assert_eq!(sanitize("``````\n```"), ["``````text", "```", "``````"]);
    }

    #[test]
    fn list_continuations_are_indented() {
        let lines = sanitize("values:\n- `a`: one\nmore about a\n- `b`: two\n\nafter");
        assert_eq!(lines, ["values:", "- `a`: one", "  more about a", "- `b`: two", "", "after"]);
    }

    proptest::proptest! {
        /// Whatever the spec says: no panic, every fence closed, no line that rustdoc would read
        /// as an indented code block (a doctest).
        #[test]
        fn any_text_is_safe(text in "(\\PC|[ \t\n`~<>\\[\\]-]|```|    |- |1\\. |https://x\\.y){0,40}") {
            let lines = sanitize(&text);
            // The open fence's character and length: only a bare run of the same character, at
            // least as long, closes it (CommonMark).
            let mut fence: Option<(char, usize)> = None;
            let mut after_blank = true;
            for line in &lines {
                let t = line.trim();
                let run = |c: char| t.chars().take_while(|&x| x == c).count();
                if let Some((c, len)) = fence {
                    if t.chars().all(|x| x == c) && t.len() >= len {
                        fence = None;
                    }
                } else if t.starts_with("```") || t.starts_with("~~~") {
                    let c = t.chars().next().unwrap_or('`');
                    fence = Some((c, run(c)));
                } else {
                    // An indented code block cannot interrupt a paragraph: deep indentation is
                    // only harmful at the start or after a blank line.
                    proptest::prop_assert!(
                        !(after_blank && line.starts_with("    ")),
                        "{line:?} in {lines:?}"
                    );
                    proptest::prop_assert!(!line.contains('\t'));
                }
                proptest::prop_assert!(!line.contains('\n'));
                after_blank = line.trim().is_empty();
            }
            proptest::prop_assert!(fence.is_none(), "unclosed fence in {lines:?}");
        }
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`"), "`` ` ``");
    }
}
