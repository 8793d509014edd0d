//! Which operations are paged, found from their shape rather than from a list of names, so an
//! upstream update that adds a paged operation gets its paginator without anyone listing it.
//!
//! An operation is paged when
//! - it takes a page number and a page size (`page` and `limit`: integers, numbers or numeric
//!   strings):
//!   both as query parameters, or both as fields of one object in the JSON body (the body
//!   itself, or an optional object reached through the body's fields, like
//!   `options.pagination`), and
//! - its response holds a list of items: `data.list` (with `data.totalCount` when stated), `data`
//!   itself being the list, or `list` on the response itself.
//!
//! The curated layer overrides per operation with `x-genauth-pagination`: `false` switches the
//! paginator off, an object renames the parts the heuristic looks for (`{page, limit, data,
//! list, total, maxLimit}`; `data: ""` means the response itself), for APIs that call them
//! something else. Runs on the finalized model, so it sees the final type names.

use serde_json::Value;

use super::Builder;
use crate::model::{
    Field, Operation, PageInput, Pagination, ParamLocation, Step, TypeDef, TypeRef, Unpaged, struct_fields,
};

/// The operation extension the curated layer sets.
const EXTENSION: &str = "x-genauth-pagination";

/// How deep the body is searched for the object holding `page` and `limit` (`options.pagination`
/// is two levels down).
const MAX_BODY_DEPTH: usize = 3;

/// The names the heuristic looks for, defaults or curated.
struct Names {
    page: String,
    limit: String,
    /// The field holding the list and the total; empty for the response itself.
    data: String,
    list: String,
    total: String,
    max_limit: Option<i64>,
    curated: bool,
}

impl Names {
    fn defaults() -> Self {
        Names {
            page: "page".to_owned(),
            limit: "limit".to_owned(),
            data: "data".to_owned(),
            list: "list".to_owned(),
            total: "totalCount".to_owned(),
            max_limit: None,
            curated: false,
        }
    }
}

/// Sets [`Operation::pagination`] on every paged operation; returns the operations that take a
/// page and a size but got no paginator.
pub(super) fn detect(b: &mut Builder<'_>, operations: &mut [Operation], types: &[TypeDef]) -> Vec<Unpaged> {
    let mut unpaged = Vec::new();
    for op in operations.iter_mut() {
        let at = op.pointer.trim_start_matches('#');
        let curation = b.raw().pointer(at).and_then(|o| o.get(EXTENSION)).cloned();
        let ext_pointer = format!("{}/{EXTENSION}", op.pointer);
        let names = match curation {
            None => Names::defaults(),
            Some(Value::Bool(false)) => {
                if find_input(op, types, &Names::defaults()).is_some() {
                    unpaged
                        .push(Unpaged { operation: op.name.clone(), reason: format!("switched off by {EXTENSION}") });
                }
                continue;
            }
            Some(Value::Bool(true)) => Names { curated: true, ..Names::defaults() },
            Some(Value::Object(m)) => match curated_names(&m) {
                Ok(names) => names,
                Err(message) => {
                    b.warn(ext_pointer, message);
                    continue;
                }
            },
            Some(other) => {
                b.warn(ext_pointer, format!("`{EXTENSION}` must be false, true or an object, not `{other}`"));
                continue;
            }
        };
        let Some((input, page, limit)) = find_input(op, types, &names) else {
            if names.curated {
                b.warn(
                    ext_pointer,
                    format!("no `{}` and `{}` inputs found for the paginator", names.page, names.limit),
                );
            }
            continue;
        };
        let Some(ListAt { parent, list, item, total }) = find_list(op, types, &names) else {
            let reason = format!("takes {}/{} but its response has no list of items", names.page, names.limit);
            if names.curated {
                b.warn(ext_pointer, reason.clone());
            }
            unpaged.push(Unpaged { operation: op.name.clone(), reason });
            continue;
        };
        let max_limit = limit
            .constraints
            .maximum
            .filter(|m| m.fract() == 0.0 && *m >= 1.0 && *m <= i64::MAX as f64)
            .map(|m| m as i64)
            .or(names.max_limit)
            .unwrap_or(Pagination::DEFAULT_MAX_LIMIT);
        op.pagination =
            Some(Pagination { input, page, limit, max_limit, parent, total, list, item, curated: names.curated });
    }
    unpaged.sort();
    unpaged
}

fn curated_names(m: &serde_json::Map<String, Value>) -> Result<Names, String> {
    let mut names = Names { curated: true, ..Names::defaults() };
    for (key, value) in m {
        let slot =
            match key.as_str() {
                "page" => &mut names.page,
                "limit" => &mut names.limit,
                "data" => &mut names.data,
                "list" => &mut names.list,
                "total" => &mut names.total,
                "maxLimit" => {
                    names.max_limit =
                        Some(value.as_i64().filter(|n| *n >= 1).ok_or_else(|| {
                            format!("`{EXTENSION}.maxLimit` must be a positive integer, not `{value}`")
                        })?);
                    continue;
                }
                other => {
                    return Err(format!(
                        "unknown key `{other}` in `{EXTENSION}` (expected page, limit, data, list, total, maxLimit)"
                    ));
                }
            };
        *slot =
            value.as_str().ok_or_else(|| format!("`{EXTENSION}.{key}` must be a string, not `{value}`"))?.to_owned();
    }
    Ok(names)
}

/// A page number or size: an integer, a `number` (specs that do not say integer), or a string
/// holding one (some upstream operations).
fn is_page_number(f: &Field) -> bool {
    matches!(f.ty, TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::String { .. })
}

fn named<'f>(fields: impl IntoIterator<Item = &'f Field>, wire: &str) -> Option<&'f Field> {
    fields.into_iter().find(|f| f.wire_name == wire)
}

/// Where the operation takes its page number and size.
fn find_input(op: &Operation, types: &[TypeDef], names: &Names) -> Option<(PageInput, Field, Field)> {
    let query = op.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| &p.field);
    if let (Some(page), Some(limit)) = (named(query.clone(), &names.page), named(query, &names.limit))
        && is_page_number(page)
        && is_page_number(limit)
    {
        return Some((PageInput::Query, page.clone(), limit.clone()));
    }
    let body = op.body.as_ref()?;
    let (owner, fields) = struct_fields(types, &body.ty)?;
    let mut path = Vec::new();
    search_body(types, owner, fields, names, &mut path).map(|(page, limit)| (PageInput::Body(path), page, limit))
}

/// Depth-first search for the object holding both inputs; `path` ends as the steps to it. Only
/// optional fields of structs with no required fields are followed (the paginator creates the
/// missing ones with `new()`), and required struct fields (always present).
fn search_body(
    types: &[TypeDef],
    owner: &str,
    fields: &[Field],
    names: &Names,
    path: &mut Vec<Step>,
) -> Option<(Field, Field)> {
    if let (Some(page), Some(limit)) = (named(fields, &names.page), named(fields, &names.limit))
        && is_page_number(page)
        && is_page_number(limit)
    {
        return Some((page.clone(), limit.clone()));
    }
    if path.len() == MAX_BODY_DEPTH {
        return None;
    }
    for field in fields {
        let Some((name, inner)) = struct_fields(types, &field.ty) else {
            continue;
        };
        let creatable = field.required && !field.nullable || inner.iter().all(|f| !f.required);
        if !creatable {
            continue;
        }
        path.push(Step { owner: owner.to_owned(), field: field.clone() });
        if let Some(found) = search_body(types, name, inner, names, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

/// Where a response holds its items.
struct ListAt {
    /// The steps to the object holding them.
    parent: Vec<Step>,
    /// The list's field in it (`None` when the object is the list).
    list: Option<Field>,
    /// The item type.
    item: TypeRef,
    /// The total's field in it.
    total: Option<Field>,
}

fn find_list(op: &Operation, types: &[TypeDef], names: &Names) -> Option<ListAt> {
    let response = op.response.ty.as_ref()?;
    let (root_name, root) = struct_fields(types, response)?;
    let (fields, parent) = if names.data.is_empty() {
        (root, Vec::new())
    } else {
        let data = named(root, &names.data)?;
        let step = Step { owner: root_name.to_owned(), field: data.clone() };
        if let TypeRef::Array(item) = &data.ty {
            return Some(ListAt { parent: vec![step], list: None, item: (**item).clone(), total: None });
        }
        let (_, fields) = struct_fields(types, &data.ty)?;
        (fields, vec![step])
    };
    let list = named(fields, &names.list)?;
    let TypeRef::Array(item) = &list.ty else {
        return None;
    };
    let total = named(fields, &names.total)
        .filter(|t| matches!(t.ty, TypeRef::Integer { .. } | TypeRef::Number { .. }))
        .cloned();
    Some(ListAt { parent, list: Some(list.clone()), item: (**item).clone(), total })
}
