//! One operation's page, section by section in the docs-factory's order: title, "do not edit"
//! comment, description, method name, request parameters, sample code (and for a paged operation,
//! walking all pages), response, sample result, data structures.

use std::collections::BTreeSet;

use super::labels::{Labels, labels};
use super::tables::{self, Table, code, field_table, named_in, type_name};
use super::{finish, header_comment, sample_json};
use crate::Options;
use crate::emit::sample::Samples;
use crate::model::{Api, Field, Lang, Operation, Text, TypeDef, TypeKind, TypeRef};

/// Renders the page of `op` in `lang`.
pub fn render(api: &Api, samples: &Samples<'_>, op: &Operation, options: &Options, lang: Lang) -> String {
    let l = labels(lang);
    let title = op.summary.get(lang).unwrap_or(&op.name).replace('\n', " ");
    let description = op.description.get(lang).unwrap_or(&title).to_owned();
    let mut blocks = vec![format!("# {title}"), header_comment(options), description];
    if op.deprecated {
        blocks.push(format!("> **{}**", l.deprecated));
    }

    blocks.push(format!("## {}", l.method_name));
    blocks.push(code(&format!("{}::{}", op.client, op.name)));
    blocks.push(format!("{}{}", l.http_request, code(&format!("{} {}", op.method.as_str(), op.path))));

    // Types linked from the tables, collected in order of first mention for "Data Structure".
    let mut mentioned = Vec::new();

    blocks.push(format!("## {}", l.request_parameters));
    let inputs = request_inputs(api, op);
    for field in &inputs {
        named_in(&field.ty, &mut mentioned);
    }
    if inputs.is_empty() {
        blocks.push(l.no_parameters.to_owned());
    } else {
        blocks.push(field_table(api, &inputs, lang, l).render());
    }

    blocks.push(format!("## {}", l.sample_code));
    blocks.push(format!("```rust\n{}```", samples.call(op)));
    if let (Some(p), Some(sample)) = (&op.pagination, samples.paginator(op)) {
        blocks.push(format!("## {}", l.all_pages));
        blocks.push(l.all_pages_intro.replace("{limit}", &p.max_limit.to_string()));
        blocks.push(format!("```rust\n{sample}```"));
    }

    blocks.push(format!("## {}", l.response));
    blocks.extend(response_blocks(api, op, lang, l, &mut mentioned));

    blocks.push(format!("## {}", l.sample_result));
    let sample = sample_json::sample_result(api, op.response.ty.as_ref());
    blocks.push(format!("```json\n{sample}\n```"));

    blocks.push(format!("## {}", l.data_structures));
    let types = reachable(api, mentioned);
    if types.is_empty() {
        blocks.push(l.no_data_structures.to_owned());
    }
    for def in types {
        blocks.extend(type_blocks(api, def, lang, l));
    }
    finish(&blocks)
}

/// The rows of the request-parameters table: path, query and header parameters, then the body's
/// top-level fields when it is a struct (the builder flattens them), else one `body` row.
pub fn request_inputs(api: &Api, op: &Operation) -> Vec<Field> {
    let mut out: Vec<Field> = op.params.iter().map(|p| p.field.clone()).collect();
    if let Some(body) = &op.body {
        let def = match &body.ty {
            TypeRef::Named(name) => api.type_named(name),
            _ => None,
        };
        match def.map(|d| (&d.kind, d)) {
            Some((TypeKind::Struct(s), _)) => out.extend(s.fields.iter().cloned()),
            other => out.push(body.as_field(other.and_then(|(_, d)| d.example.clone()))),
        }
    }
    out
}

/// The response section: its type, description and (for a struct) its field table.
fn response_blocks(api: &Api, op: &Operation, lang: Lang, l: &Labels, mentioned: &mut Vec<String>) -> Vec<String> {
    let Some(ty) = &op.response.ty else {
        return vec![l.no_response_schema.to_owned()];
    };
    let mut blocks = Vec::new();
    let fields = match ty {
        TypeRef::Named(name) => match api.type_named(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => Some((name, &s.fields)),
            _ => None,
        },
        _ => None,
    };
    match fields {
        Some((name, fields)) => {
            blocks.push(format!("{}{}", l.type_prefix, code(name)));
            push_text(&mut blocks, &op.response.description, lang);
            for field in fields {
                named_in(&field.ty, mentioned);
            }
            blocks.push(field_table(api, fields, lang, l).render());
        }
        None => {
            // Not a struct: link the type itself; its section lists what it is.
            blocks.push(format!("{}{}", l.type_prefix, type_name(ty)));
            push_text(&mut blocks, &op.response.description, lang);
            named_in(ty, mentioned);
        }
    }
    blocks
}

/// The named types reachable from `roots`, breadth first, each once, in order of first mention.
fn reachable(api: &Api, roots: Vec<String>) -> Vec<&TypeDef> {
    let mut seen = BTreeSet::new();
    let mut queue = roots;
    let mut out = Vec::new();
    let mut i = 0;
    while i < queue.len() {
        let name = queue[i].clone();
        i += 1;
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = api.type_named(&name) else {
            continue;
        };
        match &def.kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| named_in(&f.ty, &mut queue)),
            TypeKind::OneOf(o) => o.variants.iter().for_each(|v| named_in(&v.ty, &mut queue)),
            TypeKind::Enum(_) => {}
        }
        out.push(def);
    }
    out
}

/// One type's data-structure section: anchor heading, description, table.
fn type_blocks(api: &Api, def: &TypeDef, lang: Lang, l: &Labels) -> Vec<String> {
    let mut blocks = vec![format!("### <a id=\"{0}\"></a> {0}", def.name)];
    if def.deprecated {
        blocks.push(format!("> **{}**", l.deprecated));
    }
    push_text(&mut blocks, &def.description, lang);
    match &def.kind {
        TypeKind::Struct(s) if s.fields.is_empty() => blocks.push(l.no_fields.to_owned()),
        TypeKind::Struct(s) => blocks.push(field_table(api, &s.fields, lang, l).render()),
        TypeKind::Enum(e) => {
            let table = Table {
                header: vec![l.col_value.into(), l.col_variant.into(), l.col_description.into()],
                rows: e
                    .values
                    .iter()
                    .map(|v| {
                        vec![
                            code(&v.wire),
                            code(&format!("{}::{}", def.name, v.variant)),
                            v.description.get_or_empty(lang).to_owned(),
                        ]
                    })
                    .collect(),
            };
            blocks.push(table.render());
            let catch_all = code(&format!("{}::{}", def.name, e.catch_all));
            blocks.push(l.catch_all_note.replace("{}", &catch_all));
        }
        TypeKind::OneOf(o) => {
            blocks.push(l.one_of_note.to_owned());
            let table = Table {
                header: vec![l.col_variant.into(), l.col_type.into()],
                rows: o
                    .variants
                    .iter()
                    .map(|v| vec![code(&format!("{}::{}", def.name, v.name)), tables::type_name(&v.ty)])
                    .collect(),
            };
            blocks.push(table.render());
        }
    }
    blocks
}

/// Adds `text` in `lang` (or the other language) as a paragraph, if there is any.
fn push_text(blocks: &mut Vec<String>, text: &Text, lang: Lang) {
    if let Some(t) = text.get(lang) {
        blocks.push(t.to_owned());
    }
}
