//! Every table row of every generated page, read back from the Markdown, agrees with the model:
//! name, type, required, default, sample value, description (in the page's language, falling
//! back to the other) and every constraint spelled out.

use crate::common_ir;
use crate::real_spec;

use common_ir::markdown::{ParsedTable, tables};
use genauth_codegen::emit::docs;
use genauth_codegen::model::*;
use genauth_codegen::{GeneratedFile, Options};
use serde_json::Value;

fn page<'a>(files: &'a [GeneratedFile], lang: Lang, op: &Operation) -> &'a str {
    let dir = if lang == Lang::En { "en" } else { "zh-CN" };
    let path = format!("docs/{dir}/{}", docs::page_path(op));
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no page {path}")).contents
}

/// The type column as the docs must show it, written out from the model independently.
fn expected_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "string".into(),
        TypeRef::Integer { .. } => "integer".into(),
        TypeRef::Number { .. } => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Array(t) => format!("{}[]", expected_type(t)),
        TypeRef::Map(t) => format!("map<string, {}>", expected_type(t)),
        TypeRef::Any => "object".into(),
        TypeRef::Named(n) => format!("<a href=\"#{n}\">{n}</a>"),
    }
}

fn code(v: &Value) -> String {
    match v {
        // A string with surrounding whitespace is shown as JSON, so the whitespace is visible.
        Value::String(s) if !s.is_empty() && s.trim() == s => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

fn num(n: f64) -> String {
    if n.fract() == 0.0 { format!("{}", n as i64) } else { n.to_string() }
}

/// The constraint phrases a field's description must contain.
fn expected_constraints(api: &Api, f: &Field, lang: Lang) -> Vec<String> {
    let c = &f.constraints;
    let en = lang == Lang::En;
    let mut out = Vec::new();
    match (c.min_items, c.max_items) {
        (Some(a), Some(b)) => out.push(if en { format!("{a} to {b} items") } else { format!("{a} 到 {b} 项") }),
        (Some(a), None) => out.push(if en { format!("at least {a} items") } else { format!("至少 {a} 项") }),
        (None, Some(b)) => out.push(if en { format!("at most {b} items") } else { format!("至多 {b} 项") }),
        (None, None) => {}
    }
    match (c.min_length, c.max_length) {
        (Some(a), Some(b)) => {
            out.push(if en { format!("{a} to {b} characters") } else { format!("{a} 到 {b} 个字符") })
        }
        (Some(a), None) => {
            out.push(if en { format!("at least {a} characters") } else { format!("至少 {a} 个字符") })
        }
        (None, Some(b)) => {
            out.push(if en { format!("at most {b} characters") } else { format!("至多 {b} 个字符") })
        }
        (None, None) => {}
    }
    if let Some(m) = c.minimum {
        out.push(if en { format!("minimum {}", num(m)) } else { format!("最小值 {}", num(m)) });
    }
    if let Some(m) = c.maximum {
        out.push(if en { format!("maximum {}", num(m)) } else { format!("最大值 {}", num(m)) });
    }
    if let Some(p) = &c.pattern {
        out.push(p.replace('|', "\\|"));
    }
    let mut allowed: Vec<String> = c.allowed.iter().map(code).collect();
    let mut ty = &f.ty;
    while let TypeRef::Array(inner) = ty {
        ty = inner;
    }
    if let TypeRef::Named(n) = ty
        && let Some(TypeDef { kind: TypeKind::Enum(e), .. }) = api.type_named(n)
    {
        allowed.extend(e.values.iter().map(|v| format!("`{}`", v.wire)));
    }
    if !allowed.is_empty() {
        let lead = if en { "Allowed values: " } else { "可选值：" };
        out.push(format!("{lead}{}", allowed.join(", ")));
    }
    out
}

/// Checks a field table against `fields`, row by row.
fn check_fields(api: &Api, table: &ParsedTable, fields: &[Field], lang: Lang, context: &str) {
    let en = lang == Lang::En;
    let header: Vec<&str> = if en {
        vec!["Name", "Type", "Required", "Default", "Description", "Sample value"]
    } else {
        vec!["名称", "类型", "必填", "默认值", "描述", "示例值"]
    };
    assert_eq!(table.header, header, "{context}: header");
    assert_eq!(table.rows.len(), fields.len(), "{context}: one row per field");
    for (row, f) in table.rows.iter().zip(fields) {
        let ctx = format!("{context}, field {}", f.wire_name);
        assert_eq!(row.len(), 6, "{ctx}: cells {row:?}");
        assert_eq!(row[0], f.wire_name, "{ctx}: name");
        assert_eq!(row[1], expected_type(&f.ty), "{ctx}: type");
        let required = match (f.required, en) {
            (true, true) => "Yes",
            (false, true) => "No",
            (true, false) => "是",
            (false, false) => "否",
        };
        assert_eq!(row[2], required, "{ctx}: required");
        assert_eq!(row[3], f.default.as_ref().map_or("-".to_owned(), code), "{ctx}: default");
        // A multi-line sample is one cell: lines joined with `<br>`, trailing spaces dropped.
        assert_eq!(row[5], f.example.as_ref().map(|v| escape_cell(&code(v))).unwrap_or_default(), "{ctx}: sample");
        let description = &row[4];
        assert!(!description.contains('\n'), "{ctx}: one line");
        if let Some(text) = f.description.get(lang) {
            let cell = escape_cell(text);
            assert!(description.contains(&cell), "{ctx}: description {description:?} lacks {cell:?}");
        } else {
            assert!(f.description.is_empty());
        }
        for phrase in expected_constraints(api, f, lang) {
            assert!(description.contains(&phrase), "{ctx}: {description:?} lacks constraint {phrase:?}");
        }
    }
}

/// Spec text as a cell must hold it: unescaped `|` escaped, line breaks as `<br>`.
/// A text as one table cell: lines joined with `<br>` (trailing spaces dropped), `|` escaped.
fn escape_cell(text: &str) -> String {
    let mut out = String::new();
    let mut escaped = false;
    let text = text.trim().lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    for c in text.chars() {
        match c {
            '|' if !escaped => out.push_str("\\|"),
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// The request-parameter rows the model implies: parameters, then the struct body's fields.
fn inputs(api: &Api, op: &Operation) -> Vec<Field> {
    let mut out: Vec<Field> = op.params.iter().map(|p| p.field.clone()).collect();
    if let Some(TypeRef::Named(n)) = op.body.as_ref().map(|b| &b.ty)
        && let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = api.type_named(n)
    {
        out.extend(s.fields.iter().cloned());
    }
    out
}

fn check_all(api: &Api) {
    let files = docs::emit(api, &Options::default());
    for lang in Lang::ALL {
        let en = lang == Lang::En;
        for op in &api.operations {
            let md = page(&files, lang, op);
            let ctx = format!("{lang:?} {}", op.name);
            let mut checked = 0;
            for table in tables(md) {
                let heading = table.heading.as_str();
                if heading == if en { "Request parameters" } else { "请求参数" } {
                    let expected = inputs(api, op);
                    let mut table = table.clone();
                    let body_is_struct = expected.len() > op.params.len();
                    if let (Some(body), false) = (&op.body, body_is_struct) {
                        // A non-struct body is one `body` row after the parameters.
                        let row = table.rows.pop().expect("body row");
                        assert_eq!(row[0], "body", "{ctx}");
                        assert_eq!(row[1], expected_type(&body.ty), "{ctx}");
                        assert_eq!(
                            row[2],
                            if !body.required {
                                "-"
                            } else if en {
                                "Yes"
                            } else {
                                "是"
                            },
                            "{ctx}"
                        );
                    }
                    check_fields(api, &table, &expected, lang, &format!("{ctx} parameters"));
                } else if heading == if en { "Request Response" } else { "请求响应" } {
                    let Some(TypeRef::Named(n)) = &op.response.ty else { panic!("{ctx}: table") };
                    let Some(TypeKind::Struct(s)) = api.type_named(n).map(|t| &t.kind) else {
                        panic!("{ctx}: response table for a non-struct")
                    };
                    check_fields(api, &table, &s.fields, lang, &format!("{ctx} response"));
                } else if let Some(rest) = heading.strip_prefix("<a id=\"") {
                    let name = &rest[..rest.find('"').expect("anchor")];
                    assert!(heading.ends_with(&format!("</a> {name}")), "{ctx}: heading {heading}");
                    let def = api.type_named(name).unwrap_or_else(|| panic!("{ctx}: unknown {name}"));
                    match &def.kind {
                        TypeKind::Struct(s) => check_fields(api, &table, &s.fields, lang, &format!("{ctx} {name}")),
                        TypeKind::Enum(e) => {
                            assert_eq!(table.rows.len(), e.values.len(), "{ctx} {name}");
                            for (row, v) in table.rows.iter().zip(&e.values) {
                                assert_eq!(row[0], format!("`{}`", v.wire));
                                assert_eq!(row[1], format!("`{name}::{}`", v.variant));
                                assert_eq!(row[2], escape_cell(v.description.get_or_empty(lang)));
                            }
                        }
                        TypeKind::OneOf(o) => {
                            assert_eq!(table.rows.len(), o.variants.len(), "{ctx} {name}");
                            for (row, v) in table.rows.iter().zip(&o.variants) {
                                assert_eq!(row[0], format!("`{name}::{}`", v.name));
                                assert_eq!(row[1], expected_type(&v.ty));
                            }
                        }
                    }
                } else {
                    panic!("{ctx}: table under unexpected heading {heading:?}");
                }
                checked += 1;
            }
            assert!(checked > 0, "{ctx}: no tables");
            // Every link has a target on the page.
            for link in md.split("<a href=\"#").skip(1) {
                let name = &link[..link.find('"').expect("closing quote")];
                assert!(md.contains(&format!("<a id=\"{name}\"></a>")), "{ctx}: dangling link #{name}");
            }
        }
    }
}

#[test]
fn tables_agree_with_the_model_for_the_three_operations() {
    check_all(&common_ir::three_ops());
}

#[test]
fn tables_agree_with_the_model_for_every_kind_of_input() {
    check_all(&common_ir::with_extras());
}

#[test]
fn kick_users_rows_spell_out_constraints_and_enum_values() {
    let api = common_ir::three_ops();
    let files = docs::emit(&api, &Options::default());
    let op = api.operations.iter().find(|o| o.name == "kick_users").unwrap();
    let en = page(&files, Lang::En, op);
    assert!(
        en.contains(
            "| appIds | string[] | Yes | - | APP ID list<br>1 to 50 items | `[\"62188e71cxxxx3075289c580\"]` |"
        ),
        "{en}"
    );
    assert!(en.contains("| options | <a href=\"#KickUsersOptionsDto\">KickUsersOptionsDto</a> | No | - | Optional parameters | `{\"userIdType\":\"user_id\"}` |"));
    assert!(en.contains("Allowed values: `user_id`, `external_id`, `phone`, `email`, `username`, `identity`, `sync_relation`, `custom_field` | `user_id` |"));
    let zh = page(&files, Lang::Zh, op);
    assert!(
        zh.contains("| appIds | string[] | 是 | - | APP ID 列表<br>1 到 50 项 | `[\"62188e71cxxxx3075289c580\"]` |"),
        "{zh}"
    );
}

#[test]
fn pipes_and_newlines_in_spec_text_stay_inside_their_cell() {
    let mut api = common_ir::three_ops();
    let TypeKind::Struct(s) = &mut api.types.iter_mut().find(|t| t.name == "KickUsersDto").unwrap().kind else {
        panic!()
    };
    s.fields[0].description = common_ir::text("a | b\nc || d\\|", "甲 | 乙");
    check_all(&api);
    let files = docs::emit(&api, &Options::default());
    let op = api.operations.iter().find(|o| o.name == "kick_users").unwrap();
    assert!(page(&files, Lang::En, op).contains("| a \\| b<br>c \\|\\| d\\| |"));
}

#[test]
fn pages_use_their_language_and_fall_back_to_the_other() {
    let mut api = common_ir::three_ops();
    let kick = api.operations.iter_mut().find(|o| o.name == "kick_users").unwrap();
    kick.description = Text::new(None, Some("只有中文描述".into()));
    kick.summary = Text::new(Some("Only English summary".into()), None);
    let TypeKind::Struct(s) = &mut api.types.iter_mut().find(|t| t.name == "KickUsersDto").unwrap().kind else {
        panic!()
    };
    s.fields[0].description = Text::new(Some("English only".into()), None);
    s.fields[1].description = Text::new(None, Some("仅中文".into()));
    let files = docs::emit(&api, &Options::default());
    let op = api.operations.iter().find(|o| o.name == "kick_users").unwrap();
    let en = page(&files, Lang::En, op);
    let zh = page(&files, Lang::Zh, op);
    assert!(en.starts_with("# Only English summary\n"));
    assert!(zh.starts_with("# Only English summary\n"), "fallback title");
    assert!(en.contains("\n只有中文描述\n") && zh.contains("\n只有中文描述\n"), "fallback description");
    assert!(en.contains("| userId | string | Yes | - | English only |"));
    assert!(zh.contains("| userId | string | 是 | - | English only |"));
    assert!(en.contains("| appIds | string[] | Yes | - | 仅中文<br>1 to 50 items |"));
    assert!(zh.contains("| appIds | string[] | 是 | - | 仅中文<br>1 到 50 项 |"));
    // Where both languages exist, each page has its own.
    let resign = api.operations.iter().find(|o| o.name == "resign_user").unwrap();
    assert!(page(&files, Lang::En, resign).starts_with("# Resign user\n"));
    assert!(page(&files, Lang::Zh, resign).starts_with("# 离职用户\n"));
    assert!(page(&files, Lang::Zh, resign).contains("| message | string | 是 | - | 描述信息 |"));
    assert!(page(&files, Lang::En, resign).contains("| message | string | Yes | - | Description |"));
    check_all(&api);
}

/// The same row-by-row check on the model of the real spec (upstream + layers): the pages that
/// are checked in (the staleness test keeps them equal to what `docs::emit` gives) agree with it.
#[test]
fn tables_agree_with_the_model_for_the_real_spec() {
    let api = real_spec::generate(false).0.api;
    assert!(api.operations.len() > 400, "{}", api.operations.len());
    check_all(&api);
}

/// And on a synthetic spec with every quirk the upstream spec has (path and query parameters,
/// maps, `oneOf`, odd enum values, Chinese-only text).
#[test]
fn tables_agree_with_the_model_for_a_synthetic_spec() {
    let bytes = genauth_synthetic::synthetic_spec_bytes(16);
    let options = Options { spec_path: "synthetic.json".into(), docs: true };
    let api = genauth_codegen::generate(&bytes, &options).unwrap_or_else(|e| panic!("{e}")).api;
    check_all(&api);
}
