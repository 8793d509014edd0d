//! Markdown tables and the cells in them: type names, links, values, constraints.
//!
//! Every cell goes through [`cell`], so a `|` or a line break in spec text can never break a
//! table's columns (the table test parses the tables back by splitting on unescaped `|`).

use serde_json::Value;

use super::labels::Labels;
use crate::model::{Api, Constraints, Field, Lang, TypeKind, TypeRef};

/// A table: header cells and rows of cells (already Markdown, not yet escaped).
#[derive(Debug, Default)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows; each has as many cells as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Renders the table, one line per row, each line ending in `\n`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let line = |cells: &[String]| {
            let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
            format!("| {} |\n", cells.join(" | "))
        };
        out.push_str(&line(&self.header));
        let rule: Vec<String> = self.header.iter().map(|_| "---".to_owned()).collect();
        out.push_str(&format!("|{}|\n", rule.join("|")));
        for row in &self.rows {
            out.push_str(&line(row));
        }
        out
    }
}

/// Makes `text` safe for one table cell: `|` escaped, line breaks as `<br>`, no padding.
pub fn cell(text: &str) -> String {
    let text = text.trim();
    // Most cells need nothing changed (this is called for every cell of every page).
    if !text.contains(['|', '\r', '\n']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev_backslash = false;
    for c in text.chars() {
        match c {
            // An already escaped pipe stays escaped once; a bare one gets its backslash.
            '|' if !prev_backslash => out.push_str("\\|"),
            '\r' => {}
            '\n' => {
                // Trailing spaces before a break would be invisible noise in the file.
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push_str("<br>");
            }
            _ => out.push(c),
        }
        prev_backslash = c == '\\' && !prev_backslash;
    }
    out
}

pub use crate::emit::code_span as code;

/// A value as shown in a default or sample cell: a string as its text, anything else as
/// compact JSON, in a code span.
pub fn value(v: &Value) -> String {
    match v {
        Value::String(s) if !s.is_empty() && s.trim() == s => code(s),
        other => code(&other.to_string()),
    }
}

/// A link to a named type's data-structure section.
pub fn type_link(name: &str) -> String {
    format!("<a href=\"#{name}\">{name}</a>")
}

/// The type column of a field: `string`, `integer`, `number`, `boolean`, `object`,
/// `T[]`, `map<string, T>`, or a link to a named type.
pub fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "string".into(),
        TypeRef::Integer { .. } => "integer".into(),
        TypeRef::Number { .. } => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Array(inner) => format!("{}[]", type_name(inner)),
        // Always two parameters, so `<...>` never reads as an HTML tag.
        TypeRef::Map(inner) => format!("map<string, {}>", type_name(inner)),
        TypeRef::Any => "object".into(),
        TypeRef::Named(name) => type_link(name),
    }
}

/// The named types `ty` mentions directly (through arrays and maps), in order.
pub fn named_in(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => named_in(inner, out),
        TypeRef::Named(name) => out.push(name.clone()),
        _ => {}
    }
}

/// The constraints of a field spelled out, one phrase each: "1 to 50 items", "at most 64
/// characters", "Allowed values: `a`, `b`" (also for a field whose type is a string enum).
pub fn constraint_phrases(api: &Api, field: &Field, labels: &Labels) -> Vec<String> {
    let c: &Constraints = &field.constraints;
    let l = &labels.constraints;
    let mut out = Vec::new();
    let num = |n: f64| {
        // `1`, not `1.0`, for the integral bounds specs almost always state.
        if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { n.to_string() }
    };
    let fill = |pat: &str, a: String, b: String| pat.replace("{a}", &a).replace("{b}", &b);
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => out.push(fill(l.items_range, a.to_string(), b.to_string())),
        (Some(a), None) => out.push(fill(l.items_min, a.to_string(), String::new())),
        (None, Some(b)) => out.push(fill(l.items_max, b.to_string(), String::new())),
        (None, None) => {}
    }
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => out.push(fill(l.length_range, a.to_string(), b.to_string())),
        (Some(a), None) => out.push(fill(l.length_min, a.to_string(), String::new())),
        (None, Some(b)) => out.push(fill(l.length_max, b.to_string(), String::new())),
        (None, None) => {}
    }
    if let Some(m) = c.minimum {
        out.push(fill(l.minimum, num(m), String::new()));
    }
    if let Some(m) = c.maximum {
        out.push(fill(l.maximum, num(m), String::new()));
    }
    if let Some(p) = &c.pattern {
        out.push(format!("{}{}", l.pattern, code(p)));
    }
    if let Some(f) = format_of(&field.ty) {
        out.push(format!("{}{}", l.format, code(f)));
    }
    let mut allowed: Vec<String> = c.allowed.iter().map(value).collect();
    allowed.extend(enum_values(api, &field.ty).into_iter().map(|w| code(&w)));
    if !allowed.is_empty() {
        out.push(format!("{}{}", l.allowed, allowed.join(", ")));
    }
    out
}

/// The `format` of a scalar type (or of an array's items).
fn format_of(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::String { format } | TypeRef::Integer { format } | TypeRef::Number { format } => format.as_deref(),
        TypeRef::Array(inner) => format_of(inner),
        _ => None,
    }
}

/// The wire values of the string enum `ty` names (directly or as an array's items), if it does.
pub fn enum_values(api: &Api, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Array(inner) => enum_values(api, inner),
        TypeRef::Named(name) => match api.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => e.values.iter().map(|v| v.wire.clone()).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The description cell of a field: its text in `lang` (or the other language), then the
/// deprecation and nullability notes and the constraints, each on its own line.
pub fn description(api: &Api, field: &Field, lang: Lang, labels: &Labels) -> String {
    let mut parts = Vec::new();
    if field.deprecated {
        parts.push(format!("**{}**", labels.deprecated));
    }
    if let Some(text) = field.description.get(lang) {
        parts.push(text.to_owned());
    }
    if field.nullable {
        parts.push(labels.nullable.to_owned());
    }
    parts.extend(constraint_phrases(api, field, labels));
    parts.join("\n")
}

/// The header of a field table (request parameters, response, data structures).
pub fn field_header(labels: &Labels) -> Vec<String> {
    [
        labels.col_name,
        labels.col_type,
        labels.col_required,
        labels.col_default,
        labels.col_description,
        labels.col_sample,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// One row of a field table.
pub fn field_row(api: &Api, field: &Field, lang: Lang, labels: &Labels) -> Vec<String> {
    vec![
        field.wire_name.clone(),
        type_name(&field.ty),
        if field.required { labels.yes } else { labels.no }.to_owned(),
        field.default.as_ref().map_or_else(|| "-".to_owned(), value),
        description(api, field, lang, labels),
        field.example.as_ref().map(value).unwrap_or_default(),
    ]
}

/// A field table for `fields`.
pub fn field_table<'a>(api: &Api, fields: impl IntoIterator<Item = &'a Field>, lang: Lang, labels: &Labels) -> Table {
    Table { header: field_header(labels), rows: fields.into_iter().map(|f| field_row(api, f, lang, labels)).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("a|b\nc \r\nd"), "a\\|b<br>c<br>d");
        assert_eq!(cell("a\\|b"), "a\\|b");
    }

    #[test]
    fn code_spans_outgrow_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }

    #[test]
    fn values_show_strings_bare_and_json_compact() {
        assert_eq!(value(&Value::from("user_id")), "`user_id`");
        assert_eq!(value(&serde_json::json!({"a": [1, true]})), "`{\"a\":[1,true]}`");
        assert_eq!(value(&Value::from("")), "`\"\"`");
    }
}
