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
use crate::model::{Constraints, Field, Lang, Text, TypeDef, TypeRef};

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

    /// `#![doc = "..."]` attributes (module docs), one per line; see [`Doc::tokens`].
    pub(crate) fn tokens_inner(&self, aside: &SetAside) -> TokenStream {
        if let Some(marker) = aside.defer(Style::Inner, &self.lines) {
            return quote!(#![doc = #marker]);
        }
        let attrs = self.lines.iter().map(|line| {
            let text = lit(&doc_text(line));
            quote!(#![doc = #text])
        });
        quote!(#(#attrs)*)
    }

    /// The lines, for nesting into a list item.
    pub(crate) fn lines(&self) -> &[String] {
        &self.lines
    }

    /// `#[doc = "..."]` attributes, one per line (prettyplease prints each as `///`).
    ///
    /// With the [`SetAside`] of a [`spliced`] file, the lines are kept aside and only one marker
    /// attribute is written; the printed file gets the lines back in its place.
    pub(crate) fn tokens(&self, aside: &SetAside) -> TokenStream {
        if let Some(marker) = aside.defer(Style::Outer, &self.lines) {
            return quote!(#[doc = #marker]);
        }
        let attrs = self.lines.iter().map(|line| {
            let text = raw_lit(&doc_text(line));
            quote!(#[doc = #text])
        });
        quote!(#(#attrs)*)
    }
}

/// A doc line's attribute value: a leading space gives the conventional `/// text`; it also keeps
/// a line starting with `/` from turning into `////`, which prettyplease would print as an
/// attribute.
fn doc_text(line: &str) -> String {
    if line.is_empty() { String::new() } else { format!(" {line}") }
}

/// Outer (`///`) or inner (`//!`) doc comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Outer,
    Inner,
}

impl Style {
    fn prefix(self) -> &'static str {
        match self {
            Style::Outer => "///",
            Style::Inner => "//!",
        }
    }
}

/// What a marker's text starts with: a control character, which no other line of printed code
/// can start with (string literals escape it, and doc text only reaches the output through
/// here).
const MARKER: char = '\u{1}';

/// A doc block set aside: how it is printed and its lines.
type Block = (Style, Vec<String>);

/// Where the doc blocks of one file being built go: set aside while [`spliced`] prints the file
/// (markers in their place), or, in the tests' `SetAside::none`, written as attributes.
#[derive(Debug)]
pub(crate) struct SetAside(Option<std::cell::RefCell<Vec<Block>>>);

impl SetAside {
    /// Nothing set aside: every doc is written as its attributes (what [`spliced`] must print
    /// the same as).
    #[cfg(test)]
    pub(crate) fn none() -> Self {
        SetAside(None)
    }

    /// Keeps `lines` aside and returns the marker that stands for them. `None` when nothing is
    /// set aside, or when prettyplease would not print every line as a line comment (a line
    /// holding a line break), so the attributes are written as they are.
    fn defer(&self, style: Style, lines: &[String]) -> Option<proc_macro2::Literal> {
        let blocks = self.0.as_ref()?;
        if lines.iter().any(|line| line.contains('\n')) {
            return None;
        }
        let mut blocks = blocks.borrow_mut();
        blocks.push((style, lines.to_vec()));
        Some(lit(&format!("{MARKER}{}", blocks.len() - 1)))
    }
}

/// Runs `print`, which builds and prints one file, with every [`Doc`] it writes through the
/// [`SetAside`] it is given set aside and a one-line marker printed instead, then puts the doc
/// lines back in place of the markers.
///
/// Docs are most of the generated text. As attributes, every line would be lexed into a token,
/// parsed by syn and printed by prettyplease, which takes about half of the formatting time; a
/// marker costs one attribute per block. The result is byte for byte what prettyplease prints
/// for the attributes themselves: `///` (or `//!`) at the item's indentation, then the text with
/// trailing spaces trimmed.
pub(crate) fn spliced(print: impl FnOnce(&SetAside) -> String) -> String {
    let aside = SetAside(Some(Default::default()));
    let printed = print(&aside);
    let blocks = aside.0.map(std::cell::RefCell::into_inner).unwrap_or_default();
    if blocks.is_empty() {
        return printed;
    }
    let extra: usize = blocks.iter().flat_map(|(_, lines)| lines).map(|l| l.len() + 16).sum();
    let mut out = String::with_capacity(printed.len() + extra);
    let mut printed_yet = vec![false; blocks.len()];
    for line in printed.split_inclusive('\n') {
        let code = line.trim_start_matches(' ');
        let indent = &line[..line.len() - code.len()];
        let index = [Style::Outer, Style::Inner].into_iter().find_map(|style| {
            let rest = code.strip_prefix(style.prefix())?.strip_prefix(MARKER)?;
            Some((style, rest.trim_end().parse::<usize>().ok()?))
        });
        let Some((style, index)) = index else {
            out.push_str(line);
            continue;
        };
        // A marker is printed as the kind of comment it was made for (more than once when its
        // tokens were written in several places).
        let Some((made_as, lines)) = blocks.get(index) else {
            panic!("genauth-codegen bug: doc marker {index} is unknown");
        };
        assert!(*made_as == style, "genauth-codegen bug: doc marker {index} printed as the wrong kind of comment");
        printed_yet[index] = true;
        for text in lines {
            out.push_str(indent);
            out.push_str(style.prefix());
            out.push_str(doc_text(text).trim_end_matches(' '));
            out.push('\n');
        }
    }
    let lost = printed_yet.iter().filter(|printed| !**printed).count();
    assert!(
        lost == 0,
        "genauth-codegen bug: {lost} doc markers were not printed as doc comments (inside a macro call?)"
    );
    out
}

/// The texts to show, in order: English (falling back to Chinese), then Chinese when both exist
/// and differ.
fn text_versions(text: &Text) -> Vec<&str> {
    let mut out = Vec::new();
    if let Some(first) = text.get(Lang::En) {
        out.push(first);
        if let (Some(_), Some(zh)) = (text.exact(Lang::En), text.exact(Lang::Zh))
            && zh != first
        {
            out.push(zh);
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

/// `s` as an inline code span, whatever backticks it holds, on one line: a line break would end
/// the doc comment's line (a code span renders it as a space anyway).
pub(crate) fn code(s: &str) -> String {
    crate::emit::code_span(&s.replace(['\n', '\r'], " "))
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

/// The doc of a named type: its description (or a sentence naming its origin), its example.
pub(crate) fn type_doc(t: &TypeDef) -> Doc {
    let mut doc = Doc::new();
    doc.text_or(&t.description, &format!("The {} type.", code(&t.origin)));
    if let Some(example) = &t.example {
        doc.line(format!("Example: {}.", value_code(example)));
    }
    doc
}

/// `#[deprecated]` when `deprecated`.
pub(crate) fn deprecated_attr(deprecated: bool) -> TokenStream {
    if deprecated { quote!(#[deprecated]) } else { TokenStream::new() }
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

    /// A file with outer docs at two depths (one block with an empty line, trailing spaces, a
    /// leading `/` and a `"#`), an inner doc and an undocumented item.
    fn documented_file(aside: &SetAside) -> String {
        let mut item = Doc::new();
        item.line("A struct.").line("  trailing spaces   ").line("/ not a fourth slash, \"# not the end");
        let (item, field) = (item.tokens(aside), Doc::new().line("A field.").tokens(aside));
        let module = Doc::new().line("The module.").tokens_inner(aside);
        super::super::render(
            "header",
            quote! {
                #module
                #item
                pub struct S { #field pub f: u8 }
                impl S { #field pub fn g(&self) {} }
                pub struct Undocumented;
            },
        )
    }

    #[test]
    fn spliced_docs_print_as_their_attributes_would() {
        let direct = documented_file(&SetAside::none());
        assert!(direct.contains("    /// A field.\n") && direct.contains("//! The module.\n"), "{direct}");
        let spliced = spliced(documented_file);
        assert_eq!(spliced, direct);
    }

    #[test]
    #[should_panic(expected = "1 doc markers were not printed")]
    fn a_doc_marker_lost_inside_a_macro_call_is_a_bug_not_silence() {
        spliced(|aside| {
            let doc = Doc::new().line("Inside a macro.").tokens(aside);
            super::super::render("header", quote!(m! { #doc struct S; }))
        });
    }

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
