//! The Rust sample program of an operation.
//!
//! The same text is shown on the operation's docs page and compiled by `cargo test` (as a
//! `no_run` doctest on the generated method), so a sample that stops matching the sdk API fails
//! the build instead of rotting on the page.
//!
//! Inputs are filled from the spec: a field's `example`, else its `default`, else a placeholder
//! that fits its type (a string placeholder is the field's wire name, never `"undefined"`).
//! The program is assembled as text, checked and laid out by `syn` + `prettyplease` (the Rust
//! emitter's formatter), and the one comment, which `syn` would drop, is put back afterwards.
//!
//! How values are passed follows the generated API's conventions:
//! - a required input is a method argument (and a required struct field a `Type::new` argument):
//!   a string as `"text"`, a string array as `["a", "b"]`, other arrays as `vec![..]`;
//! - an optional input is a builder setter taking `impl Into<T>` (`.options(..)`, and
//!   `.with_field(..)` on structs): strings as `"text"`, arrays as `vec![..]` of exact values;
//! - enums are `Type::Variant`, `oneOf` types `Type::Variant(value)` (first alternative), free-form
//!   values `serde_json::json!(..)`, maps `BTreeMap::from([..])`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

use crate::model::{Api, Field, Operation, TypeKind, TypeRef};

/// How the sample makes its client: the constructor (kept in this one place because the runtime's
/// constructor name may still change) and the comment shown above the call.
const CLIENT_CONSTRUCTOR: &str = "from_env";

/// The comment above the construction of the client `client_name`: the variables it reads.
fn client_comment(client_name: &str) -> &'static str {
    if client_name == crate::model::DEFAULT_CLIENT {
        "// Reads GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET and the other GENAUTH_* variables."
    } else {
        "// Reads GENAUTH_APP_ID, GENAUTH_APP_HOST and the other GENAUTH_* variables."
    }
}

/// The statement that prints the response, as `{:#?}` shows it (response types are
/// `Deserialize`, and `Serialize` only with the `full-serde` feature). A marker statement stands
/// in for it while the program is formatted.
const PRINT_RESPONSE: &str = "println!(\"{response:#?}\");";

/// The statement that prints one item of a paginator's stream.
const PRINT_ITEM: &str = "println!(\"{:?}\", item?);";

/// The marker statement replaced by [`PRINT_RESPONSE`] (or [`PRINT_ITEM`]).
const PRINT_MARKER: &str = "__print_response__;";

/// Named types are followed this deep; deeper (or cyclic) ones use `Default::default()`.
const MAX_DEPTH: usize = 6;

/// The statement that makes the client, e.g. `let client = ManagementClient::from_env()?;`.
pub fn client_statement(client_name: &str) -> String {
    format!("let client = {client_name}::{CLIENT_CONSTRUCTOR}()?;")
}

/// The call of `op` through the sdk (`client.kick_users("..", [..]).options(..)`, before
/// `.send()`), with inputs filled from the spec's examples, and the names of the types it uses
/// (to import from `genauth::types`). The docs sample and the conformance run both make it here.
pub fn call_chain(api: &Api, op: &Operation) -> (String, BTreeSet<String>) {
    chain_with(api, op, true)
}

/// [`call_chain`], with the optional inputs' setters only when `optional` is set.
fn chain_with(api: &Api, op: &Operation, optional: bool) -> (String, BTreeSet<String>) {
    let mut b = Builder { api, imports: BTreeSet::new(), depth: 0, optional };
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for param in &op.params {
        b.input(&param.field, &mut args, &mut setters);
    }
    if let Some(body) = &op.body {
        match api.struct_fields(&body.ty).map(|(_, fields)| fields) {
            Some(fields) => {
                for field in fields {
                    b.input(field, &mut args, &mut setters);
                }
            }
            None => {
                let example = match &body.ty {
                    TypeRef::Named(n) => api.type_named(n).and_then(|t| t.example.as_ref()),
                    _ => None,
                };
                args.push(b.expr(&body.ty, example, "body", Pos::Arg));
            }
        }
    }

    let mut chain = format!("client.{}({})", op.name, args.join(", "));
    for (name, value) in &setters {
        chain.push_str(&format!(".{name}({value})"));
    }
    (chain, b.imports)
}

/// An operation's samples once laid out: the call, and the walk through all pages if paged.
type Cached = (OnceLock<String>, OnceLock<Option<String>>);

/// Every operation's two samples, each made once on first use and shared by the rustdoc of its
/// method and its docs pages in both languages: laying a sample out with `syn` + `prettyplease`
/// is most of what it costs, and the text is the same for all three. Safe to share between the
/// emitters' threads; the samples are pure functions of the model, so who makes one first does
/// not change it.
pub struct Samples<'a> {
    api: &'a Api,
    /// By client and method name (two clients may have a method of one name).
    by_operation: BTreeMap<(&'a str, &'a str), Cached>,
}

impl<'a> Samples<'a> {
    /// An empty cache for the operations of `api`.
    pub fn new(api: &'a Api) -> Self {
        let by_operation =
            api.operations.iter().map(|op| ((op.client.as_str(), op.name.as_str()), Default::default())).collect();
        Samples { api, by_operation }
    }

    /// [`rust_sample`] of `op`.
    pub fn call(&self, op: &Operation) -> String {
        match self.by_operation.get(&(op.client.as_str(), op.name.as_str())) {
            Some((call, _)) => call.get_or_init(|| rust_sample(self.api, op)).clone(),
            None => rust_sample(self.api, op),
        }
    }

    /// [`paginator_sample`] of `op`.
    pub fn paginator(&self, op: &Operation) -> Option<String> {
        match self.by_operation.get(&(op.client.as_str(), op.name.as_str())) {
            Some((_, walk)) => walk.get_or_init(|| paginator_sample(self.api, op)).clone(),
            None => paginator_sample(self.api, op),
        }
    }
}

/// A complete Rust program calling `op` through the sdk with inputs filled from the spec's
/// examples, formatted, ending in a newline.
pub fn rust_sample(api: &Api, op: &Operation) -> String {
    let (chain, imports) = call_chain(api, op);
    let body = format!("let response = {chain}.send().await?;\n{PRINT_MARKER}");
    program(op, &imports, &body, PRINT_RESPONSE)
}

/// For a paged operation, a complete program printing every item of every page through the
/// paginator (required inputs only: the walk sets the page number and size itself).
pub fn paginator_sample(api: &Api, op: &Operation) -> Option<String> {
    op.pagination.as_ref()?;
    let (chain, imports) = chain_with(api, op, false);
    let body = format!(
        "let mut items = {chain}.into_paginator().items();\nwhile let Some(item) = items.next().await {{\n{PRINT_MARKER}\n}}"
    );
    Some(program(op, &imports, &body, PRINT_ITEM))
}

/// The statement that makes an application client's handle act for a signed-in user, for the
/// operations that take the user's token.
const USER_HANDLE: &str = "let client = client.with_access_token(std::env::var(\"GENAUTH_USER_ACCESS_TOKEN\")?);";

/// The comment above [`USER_HANDLE`].
const USER_HANDLE_COMMENT: &str = "// Acts for the signed-in user whose access token the variable holds.";

/// `main` around `body` (which holds [`PRINT_MARKER`], replaced by `print`), with the imports
/// and `op`'s client (a handle acting for a user when the operation takes the user's token),
/// formatted.
fn program(op: &Operation, imports: &BTreeSet<String>, body: &str, print: &str) -> String {
    let client_name = op.client.as_str();
    // The management client authenticates itself; an application client's handle carries the
    // end user's token, which the operations acting for a user need.
    let handle = op.user_token && client_name != crate::model::DEFAULT_CLIENT;
    // rustfmt's order: `genauth::ManagementClient` sorts before `genauth::types::..`.
    let mut source = format!("use genauth::{client_name};\n");
    let imports: Vec<&str> = imports.iter().map(String::as_str).collect();
    match imports.as_slice() {
        [] => {}
        [one] => source.push_str(&format!("use genauth::types::{one};\n")),
        many => source.push_str(&format!("use genauth::types::{{{}}};\n", many.join(", "))),
    }
    source.push_str(&format!(
        "#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         {}\n{}{body}\nOk(())\n}}\n",
        client_statement(client_name),
        if handle { format!("{USER_HANDLE}\n") } else { String::new() }
    ));
    let formatted = format_source(&source);
    let mut with_comment = insert_line(&formatted, &client_statement(client_name), client_comment(client_name), false);
    if handle {
        with_comment = insert_line(&with_comment, USER_HANDLE, USER_HANDLE_COMMENT, false);
    }
    insert_line(&with_comment, PRINT_MARKER, print, true)
}

/// Lays out `source` like the rest of the generated code; returns it unchanged if it does not
/// parse (which the compiled-sample test would then report).
///
/// A formatter cannot lay out a macro's input (to it, tokens), so the two macros samples use are
/// written so that it need not: a `vec![..]` is formatted as the array `[__vec__, ..]` and turned
/// back, its items laid out as any array's; a `serde_json::json!(..)` keeps the JSON text it was
/// written with (`{"school": "..."}`), standing aside as a placeholder meanwhile.
fn format_source(source: &str) -> String {
    let (masked, json) = macros_as_code(source);
    let Ok(file) = syn::parse_file(&masked) else {
        return source.to_owned();
    };
    let mut out = macros_restored(&prettyplease::unparse(&file), &json);
    // One blank line between the imports and `main`, as rustfmt-formatted examples have.
    if let Some(pos) = out.find("\n#[tokio::main]")
        && !out[..pos].ends_with('\n')
    {
        out.insert(pos, '\n');
    }
    out
}

/// The first item of the array that stands for a `vec!` while a sample is formatted, and the
/// prefix of the placeholder of a `json!` input.
const VEC_MARK: &str = "__vec__";
const JSON_PLACEHOLDER: &str = "__json_";
const JSON_MACRO: &str = "serde_json::json!(";

/// `source` with each `vec![..]` written `[__vec__, ..]` and each `serde_json::json!(..)` a
/// placeholder `__json_N__`; the JSON texts, by `N`.
fn macros_as_code(source: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(source.len() + 64);
    let mut json = Vec::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            rest = copy_string(rest, &mut out);
            continue;
        }
        if let Some(after) = rest.strip_prefix(JSON_MACRO) {
            let inner = balanced(after, '(', ')');
            out.push_str(&format!("{JSON_PLACEHOLDER}{}__", json.len()));
            json.push(after[..inner].to_owned());
            rest = after.get(inner + 1..).unwrap_or_default();
            continue;
        }
        if let Some(after) = rest.strip_prefix("vec![") {
            out.push('[');
            out.push_str(VEC_MARK);
            // An empty `vec![]` is an array of the mark alone.
            if !after.trim_start().starts_with(']') {
                out.push_str(", ");
            }
            rest = after;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    (out, json)
}

/// Formatted code with [`macros_as_code`]'s stand-ins turned back into the macros: `[__vec__, `
/// (or the mark on a line of its own after `[`) becomes `vec![`, a placeholder its `json!`.
fn macros_restored(formatted: &str, json: &[String]) -> String {
    let mut out = String::with_capacity(formatted.len() + 64);
    let mut rest = formatted;
    while let Some(c) = rest.chars().next() {
        if c == '"' {
            rest = copy_string(rest, &mut out);
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some(after) = after.trim_start().strip_prefix(VEC_MARK)
        {
            out.push_str("vec![");
            // The mark and its comma, and the line break after it when the array is laid out
            // one item per line (the items keep their own indentation).
            let after = after.strip_prefix(',').unwrap_or(after);
            rest = match after.find('\n') {
                Some(end) if after[..end].trim().is_empty() && !after.starts_with(' ') => &after[end..],
                _ => after.trim_start_matches(' '),
            };
            continue;
        }
        if let Some(after) = rest.strip_prefix(JSON_PLACEHOLDER)
            && let Some((index, after)) = after.split_once("__")
            && let Some(text) = index.parse::<usize>().ok().and_then(|i| json.get(i))
        {
            out.push_str(JSON_MACRO);
            out.push_str(text);
            out.push(')');
            rest = after;
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Copies the string literal `text` starts with to `out`; what follows it.
fn copy_string<'a>(text: &'a str, out: &mut String) -> &'a str {
    let end = string_end(text);
    out.push_str(&text[..end]);
    &text[end..]
}

/// The length of the string literal `text` starts with (its quotes included; `\` escapes the next
/// character), or all of `text` when it is not closed.
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// Where the `close` that ends the group `text` is inside of is (string literals skipped), or the
/// end of `text`.
fn balanced(text: &str, open: char, close: char) -> usize {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c == '"' {
            i += string_end(&text[i..]);
            continue;
        }
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                return i;
            }
            depth -= 1;
        }
        i += c.len_utf8();
    }
    text.len()
}

/// Puts `line` (at the same indentation) above the line that is exactly `anchor`, or instead of it
/// when `replace` is set.
fn insert_line(source: &str, anchor: &str, line: &str, replace: bool) -> String {
    let mut out = String::with_capacity(source.len() + line.len() + 8);
    for current in source.lines() {
        let found = current.trim() == anchor;
        if found {
            out.push_str(&current[..current.len() - current.trim_start().len()]);
            out.push_str(line);
            out.push('\n');
        }
        if !(found && replace) {
            out.push_str(current);
            out.push('\n');
        }
    }
    out
}

/// Where a value is passed; decides how strings and arrays are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    /// A required method argument or `Type::new` argument.
    Arg,
    /// A setter taking `impl Into<T>`.
    Setter,
    /// Exactly a `T` (an element of a `vec!`, a map value, a `oneOf` payload).
    Exact,
}

struct Builder<'a> {
    api: &'a Api,
    /// Type names to import from `genauth::types`, sorted.
    imports: BTreeSet<String>,
    depth: usize,
    /// Whether optional inputs get setters (with their examples) or are left out.
    optional: bool,
}

impl Builder<'_> {
    /// One operation input: required ones become arguments, optional ones with an example or
    /// default become setters, the rest are left out.
    fn input(&mut self, field: &Field, args: &mut Vec<String>, setters: &mut Vec<(String, String)>) {
        let value = given(field);
        if field.required {
            args.push(self.required_arg(field, value));
        } else if let Some(value) = value.filter(|_| self.optional) {
            let expr = self.expr(&field.ty, Some(value), &field.wire_name, Pos::Setter);
            setters.push((field.rust_name.clone(), expr));
        }
    }

    /// The argument for a required input: the value, or for one that may be `null` the
    /// `Option` the method takes (`Some(..)` of the exact type).
    fn required_arg(&mut self, field: &Field, value: Option<&Value>) -> String {
        if field.nullable {
            format!("Some({})", self.expr(&field.ty, value, &field.wire_name, Pos::Exact))
        } else {
            self.expr(&field.ty, value, &field.wire_name, Pos::Arg)
        }
    }

    /// A Rust expression of type `ty` holding `value` (or a placeholder when there is none).
    fn expr(&mut self, ty: &TypeRef, value: Option<&Value>, name: &str, pos: Pos) -> String {
        let value = value.filter(|v| !v.is_null());
        match ty {
            TypeRef::String { .. } => {
                let text = match value {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => name.to_owned(),
                };
                if pos == Pos::Exact { format!("{text:?}.to_owned()") } else { format!("{text:?}") }
            }
            TypeRef::Integer { .. } => {
                let n = value.and_then(as_integer).unwrap_or(1);
                if i32::try_from(n).is_ok() { n.to_string() } else { format!("{n}_i64") }
            }
            TypeRef::Number { .. } => {
                let n = value.and_then(Value::as_f64).filter(|n| n.is_finite()).unwrap_or(1.0);
                format!("{n:?}")
            }
            TypeRef::Boolean => value.and_then(Value::as_bool).unwrap_or(true).to_string(),
            TypeRef::Array(inner) => self.array(inner, value, name, pos),
            TypeRef::Map(inner) => self.map(inner, value, name),
            TypeRef::Any => {
                let v = value.cloned().unwrap_or_else(|| Value::Object(Default::default()));
                format!("serde_json::json!({})", json_inline(&v))
            }
            TypeRef::Named(type_name) => self.named(type_name, value, name),
        }
    }

    fn array(&mut self, inner: &TypeRef, value: Option<&Value>, name: &str, pos: Pos) -> String {
        if self.depth >= MAX_DEPTH {
            return "Vec::new()".into();
        }
        let items: Vec<Option<&Value>> = match value {
            Some(Value::Array(items)) if !items.is_empty() => items.iter().map(Some).collect(),
            _ => vec![None],
        };
        self.depth += 1;
        let string_items = matches!(inner, TypeRef::String { .. }) && pos == Pos::Arg;
        let item_pos = if string_items { Pos::Arg } else { Pos::Exact };
        let items: Vec<String> = items.into_iter().map(|v| self.expr(inner, v, name, item_pos)).collect();
        self.depth -= 1;
        // A required string-array argument takes `["a", "b"]`; every other array is a `Vec`.
        if string_items { format!("[{}]", items.join(", ")) } else { format!("vec![{}]", items.join(", ")) }
    }

    fn map(&mut self, inner: &TypeRef, value: Option<&Value>, name: &str) -> String {
        if self.depth >= MAX_DEPTH {
            return "std::collections::BTreeMap::new()".into();
        }
        let entries: Vec<(String, Option<&Value>)> = match value {
            Some(Value::Object(map)) if !map.is_empty() => map.iter().map(|(k, v)| (k.clone(), Some(v))).collect(),
            _ => vec![("key".to_owned(), None)],
        };
        self.depth += 1;
        let entries: Vec<String> = entries
            .into_iter()
            .map(|(k, v)| format!("({k:?}.to_owned(), {})", self.expr(inner, v, name, Pos::Exact)))
            .collect();
        self.depth -= 1;
        format!("std::collections::BTreeMap::from([{}])", entries.join(", "))
    }

    fn named(&mut self, type_name: &str, value: Option<&Value>, name: &str) -> String {
        let api = self.api;
        let Some(def) = api.type_named(type_name) else {
            return "Default::default()".into();
        };
        if self.depth >= MAX_DEPTH {
            return "Default::default()".into();
        }
        self.imports.insert(type_name.to_owned());
        self.depth += 1;
        let out = match &def.kind {
            TypeKind::Struct(s) => {
                let object = value.and_then(Value::as_object);
                let mut args = Vec::new();
                let mut withs = Vec::new();
                for field in &s.fields {
                    let v = match object {
                        Some(o) => o.get(&field.wire_name),
                        None => field.example.as_ref(),
                    };
                    if field.required {
                        let v = v.or_else(|| given(field));
                        args.push(self.required_arg(field, v));
                    } else if let Some(v) = v.filter(|v| !v.is_null()) {
                        let e = self.expr(&field.ty, Some(v), &field.wire_name, Pos::Setter);
                        withs.push(format!(".with_{}({e})", field.rust_name));
                    }
                }
                format!("{type_name}::new({}){}", args.join(", "), withs.concat())
            }
            TypeKind::Enum(e) => {
                let wire = value.and_then(Value::as_str);
                match e.values.iter().find(|v| Some(v.wire.as_str()) == wire).or(e.values.first()) {
                    Some(v) => format!("{type_name}::{}", v.variant),
                    // No known value at all: the catch-all variant holds the text.
                    None => format!("{type_name}::{}({:?}.to_owned())", e.catch_all, wire.unwrap_or(name)),
                }
            }
            TypeKind::OneOf(o) => match o.variants.first() {
                Some(v) => {
                    let inner = self.expr(&v.ty, value, name, Pos::Exact);
                    format!("{type_name}::{}({inner})", v.name)
                }
                None => "Default::default()".into(),
            },
        };
        self.depth -= 1;
        out
    }
}

/// A field's example, else its default (`null` counts as none).
fn given(field: &Field) -> Option<&Value> {
    field.example.as_ref().filter(|v| !v.is_null()).or(field.default.as_ref().filter(|v| !v.is_null()))
}

/// An integer example: an integral JSON number (or a numeric string).
fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
        }
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// JSON as `serde_json::json!` input, spaced like Rust (`{"a": 1, "b": [true]}`).
fn json_inline(v: &Value) -> String {
    match v {
        Value::Array(items) => {
            format!("[{}]", items.iter().map(json_inline).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => {
            let entries: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", Value::from(k.as_str()), json_inline(v))).collect();
            format!("{{{}}}", entries.join(", "))
        }
        // `json!` types a bare integer literal as `i32`, so a millisecond timestamp needs a suffix.
        Value::Number(n) if n.as_i64().is_some_and(|i| i32::try_from(i).is_err()) => format!("{n}_i64"),
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_some() => format!("{n}_u64"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two macros come out laid out as hand-written code: a `vec!`'s items as an array's, a
    /// `json!` input as it was written, brackets and parentheses inside strings left alone.
    #[test]
    fn macro_inputs_are_laid_out_like_code() {
        let source = r#"fn main() {
            client.create_user().identities(vec![Identity::new("wechat:pc".to_owned(), "oj7Nq05R-RRaqak0_YlMLnnIwsvg".to_owned()).with_user_info_in_idp(serde_json::json!({"openid": "o(j]7", "tags": ["a", "b"]}))]).custom_data(serde_json::json!({"school": "北京大学", "age": 22})).ids(vec![vec!["x]".to_owned()], vec![]]);
        }"#;
        let formatted = format_source(source);
        assert!(
            formatted.contains(r#".custom_data(serde_json::json!({"school": "北京大学", "age": 22}))"#),
            "{formatted}"
        );
        assert!(formatted.contains(r#"serde_json::json!({"openid": "o(j]7", "tags": ["a", "b"]})"#), "{formatted}");
        assert!(formatted.contains("        .identities(vec![\n            Identity::new(\n"), "{formatted}");
        assert!(formatted.contains(r#".ids(vec![vec!["x]".to_owned()], vec![]])"#), "{formatted}");
        assert!(!formatted.contains("__"), "a stand-in was left: {formatted}");
        assert!(syn::parse_file(&formatted).is_ok(), "{formatted}");
    }

    #[test]
    fn unclosed_input_does_not_panic() {
        for source in ["vec![", "serde_json::json!(", "\"open", "]", "vec![]]"] {
            let _ = format_source(source);
            let _ = macros_restored(source, &[]);
        }
    }
}
