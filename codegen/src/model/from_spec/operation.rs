//! Paths -> [`Operation`]s: names, parameters, request body, success response.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::Builder;
use super::resolve::{lookup, parse_ref};
use super::schema::{NameHint, apply_constraints};
use crate::diagnostics::{child, pointer};
use crate::model::naming::{RESERVED_METHOD_NAMES, UniqueNames, pascal_ident, snake_ident};
use crate::model::{
    BodyMedia, Field, Group, HttpMethod, Operation, Param, ParamLocation, QueryStyle, RequestBody, Response, Text,
    TypeKind, TypeRef,
};

/// A curated method name for an operation (our extension, set by an overlay).
const NAME_KEY: &str = "x-genauth-name";
/// Curated per-operation override of the method's idempotency (see `Operation::idempotent`).
const IDEMPOTENT_KEY: &str = "x-genauth-idempotent";

/// Marks an operation as excluded from SDKs and docs (upstream's extension).
const HIDDEN_KEY: &str = "x-authing-hidden-from-sdk";

/// Keys that belong in a parameter's `schema` but upstream writes on the parameter itself. The
/// typed parser drops them; they are read from the raw tree, applied, and reported.
const MISPLACED_KEYS: &[&str] =
    &["maxLength", "minLength", "minimum", "maximum", "minItems", "maxItems", "pattern", "enum", "default"];

/// An operation that passed the first pass: it gets a method, and these are its names.
struct Planned<'v> {
    path: String,
    method: HttpMethod,
    operation_id: String,
    pointer: String,
    op: &'v Value,
    name: String,
    pascal_name: String,
}

/// Builds every non-hidden operation, in spec order (sorting is [`super::finalize`]'s job).
pub(super) fn build_operations(b: &mut Builder<'_>) -> Vec<Operation> {
    let planned = plan(b);
    planned.into_iter().map(|p| build_one(b, p)).collect()
}

/// First pass: which operations exist, and their unique names. Names are handed out before any
/// type is built because inline types are named after their operation.
fn plan<'v>(b: &mut Builder<'v>) -> Vec<Planned<'v>> {
    let raw = b.raw();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut names = UniqueNames::with_taken(RESERVED_METHOD_NAMES);
    let mut pascal_names = UniqueNames::new();
    let mut planned = Vec::new();
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return planned;
    };
    for (path, item) in paths {
        if path.starts_with("x-") {
            continue; // An extension, not a path.
        }
        let Some(item) = item.as_object().filter(|_| path.starts_with('/')) else {
            // Nothing in the document may be dropped without a word.
            let why = if path.starts_with('/') { "is not an object" } else { "does not start with `/`" };
            b.warn(pointer(&["paths", path]), format!("path `{path}` {why}; skipped"));
            continue;
        };
        for (method_key, op) in item {
            let at = pointer(&["paths", path, method_key]);
            let method = match method_key.as_str() {
                "get" => HttpMethod::Get,
                "put" => HttpMethod::Put,
                "post" => HttpMethod::Post,
                "delete" => HttpMethod::Delete,
                "patch" => HttpMethod::Patch,
                "head" => HttpMethod::Head,
                "options" => HttpMethod::Options,
                "trace" => {
                    b.warn(at, "TRACE operations are not supported; skipped");
                    continue;
                }
                _ => continue, // `parameters`, `summary`, `servers`, extensions.
            };
            let operation_id = op.get("operationId").and_then(Value::as_str).map(str::to_owned);
            if let Some(id) = &operation_id {
                if let Some(first) = seen_ids.get(id) {
                    let first = first.clone();
                    b.error(at.clone(), format!("duplicate operationId `{id}` (first used at `{first}`)"));
                    b.error(first, format!("duplicate operationId `{id}` (used again at `{at}`)"));
                } else {
                    seen_ids.insert(id.clone(), at.clone());
                }
            }
            if op.get(HIDDEN_KEY).and_then(Value::as_bool) == Some(true) {
                continue;
            }
            if let Some(reason) = unsupported_body(b, op, &at) {
                b.warn(child(&at, "requestBody"), format!("operation skipped: {reason}"));
                continue;
            }
            // A curated name (`x-genauth-name`, see `spec/<document>/overlays/50-names.yaml`) wins over the
            // one derived from the operationId, for operations whose derived names collide.
            let curated = op.get(NAME_KEY).and_then(Value::as_str).map(snake_ident);
            let base = match (&curated, &operation_id) {
                (Some(name), _) => name.clone(),
                (None, Some(id)) => {
                    let last = id.rsplit('_').find(|s| !s.is_empty()).unwrap_or(id);
                    snake_ident(last)
                }
                (None, None) => {
                    let name = snake_ident(&format!("{method_key} {path}"));
                    b.warn(
                        at.clone(),
                        format!("operation has no operationId; named `{name}` from its method and path"),
                    );
                    name
                }
            };
            let name = names.claim(&base);
            if name != base {
                b.warn(
                    at.clone(),
                    format!(
                        "operation is named `{name}`: `{base}` is taken by another operation or a method of the client"
                    ),
                );
            }
            let pascal_base = pascal_ident(&name);
            let pascal_name = pascal_names.claim(&pascal_base);
            if pascal_name != pascal_base {
                b.warn(
                    at.clone(),
                    format!("operation `{name}` gets type prefix `{pascal_name}`: `{pascal_base}` is taken"),
                );
            }
            planned.push(Planned {
                path: path.clone(),
                method,
                operation_id: operation_id.unwrap_or_else(|| name.clone()),
                pointer: at,
                op,
                name,
                pascal_name,
            });
        }
    }
    planned
}

/// The essence of a media type (`application/json; charset=utf-8` -> `application/json`).
fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// The media type to read as JSON among `content`'s keys, if any.
fn json_media(content: &serde_json::Map<String, Value>) -> Option<&String> {
    content.keys().find(|k| {
        let e = essence(k);
        e == "application/json" || e == "*/*" || e.ends_with("+json")
    })
}

/// The media type a body is sent as among `content`'s keys, if one is supported: JSON first,
/// else a form.
fn body_media(content: &serde_json::Map<String, Value>) -> Option<(&String, BodyMedia)> {
    json_media(content).map(|k| (k, BodyMedia::Json)).or_else(|| {
        content.keys().find(|k| essence(k) == "application/x-www-form-urlencoded").map(|k| (k, BodyMedia::Form))
    })
}

/// Why the operation's body cannot be sent as JSON (multipart uploads etc.), if so.
fn unsupported_body(b: &mut Builder<'_>, op: &Value, at: &str) -> Option<String> {
    op.get("requestBody")?;
    let body_ptr = b.deref(&child(at, "requestBody"), "requestBodies")?;
    let content = lookup(b.raw(), &body_ptr)?.get("content")?.as_object()?;
    if content.is_empty() || body_media(content).is_some() {
        return None;
    }
    let types: Vec<&str> = content.keys().map(String::as_str).collect();
    Some(format!(
        "request body is neither JSON nor a form ({}); only application/json and application/x-www-form-urlencoded bodies are supported",
        types.join(", ")
    ))
}

/// The curated `x-genauth-idempotent` flag; anything but a boolean is reported and ignored.
fn idempotent(b: &mut Builder<'_>, p: &Planned<'_>) -> Option<bool> {
    let value = p.op.get(IDEMPOTENT_KEY)?;
    match value.as_bool() {
        Some(flag) => Some(flag),
        None => {
            b.warn(child(&p.pointer, IDEMPOTENT_KEY), format!("`{IDEMPOTENT_KEY}` must be true or false; ignored"));
            None
        }
    }
}

fn build_one(b: &mut Builder<'_>, p: Planned<'_>) -> Operation {
    check_security(b, &p);
    let body = build_body(b, &p);
    let mut taken = UniqueNames::new();
    if let Some(RequestBody { ty: TypeRef::Named(key), .. }) = &body
        && let Some(slot) = b.types.get(key)
        && let TypeKind::Struct(s) = &slot.def.kind
    {
        for f in &s.fields {
            taken.take(&f.rust_name);
        }
    }
    let params = build_params(b, &p, &mut taken);
    let response = build_response(b, &p);
    Operation {
        operation_id: p.operation_id.clone(),
        name: p.name.clone(),
        pascal_name: p.pascal_name.clone(),
        method: p.method,
        path: p.path.clone(),
        group: group(b, &p),
        summary: b.i18n.text(p.op, "summary"),
        description: b.i18n.text(p.op, "description"),
        deprecated: p.op.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        idempotent: idempotent(b, &p),
        user_token: accepts_bearer(b, &p),
        // The curated mark wins over upstream's (see spec/authentication/overlays/55-sign-in.yaml).
        sign_in: ["x-genauth-sign-in", "x-authing-signin-api"]
            .iter()
            .find_map(|key| p.op.get(*key).and_then(Value::as_bool))
            .unwrap_or(false),
        params,
        body,
        response,
        pointer: p.pointer,
        client: b.client_name.clone(),
        pagination: None,
    }
}

/// Warns about security requirements naming a scheme `components.securitySchemes` does not
/// define: the runtime authenticates as its client does, whatever the operation names, so
/// nothing is guessed from them, but the document is wrong there (and outside tools may refuse
/// it).
fn check_security(b: &mut Builder<'_>, p: &Planned<'_>) {
    let Some(requirements) = p.op.get("security").and_then(Value::as_array) else { return };
    let defined = b.raw().pointer("/components/securitySchemes").and_then(Value::as_object);
    for (i, requirement) in requirements.iter().enumerate() {
        for name in requirement.as_object().into_iter().flat_map(|r| r.keys()) {
            if !defined.is_some_and(|d| d.contains_key(name)) {
                let at = child(&child(&p.pointer, "security"), &i.to_string());
                b.warn(at, format!("security scheme `{name}` is not defined in components.securitySchemes"));
            }
        }
    }
}

/// Whether the operation's security requirements (its own, else the document's) name a scheme
/// of HTTP type `bearer`.
fn accepts_bearer(b: &Builder<'_>, p: &Planned<'_>) -> bool {
    let requirements = p.op.get("security").or_else(|| b.raw().get("security")).and_then(Value::as_array);
    let schemes = b.raw().pointer("/components/securitySchemes").and_then(Value::as_object);
    let is_bearer = |name: &String| {
        schemes.and_then(|s| s.get(name)).is_some_and(|scheme| {
            scheme.get("type").and_then(Value::as_str) == Some("http")
                && scheme.get("scheme").and_then(Value::as_str).is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
        })
    };
    requirements.into_iter().flatten().filter_map(Value::as_object).any(|r| r.keys().any(is_bearer))
}

/// The operation's group: the curated `x-genauth-tag: {slug, name, en}` (see
/// `spec/<document>/overlays/40-tags.yaml`), else a slug made from the operationId's controller
/// (`UsersManagementController_kickUsers` -> `users-management`) with a warning, so a tag new
/// upstream still lands in a stable ASCII folder.
fn group(b: &mut Builder<'_>, p: &Planned<'_>) -> Group {
    let tag = p.op.get("tags").and_then(Value::as_array).and_then(|t| t.first()).and_then(Value::as_str);
    let curated = p.op.get("x-genauth-tag");
    let text = |key: &str| curated.and_then(|c| c.get(key)).and_then(Value::as_str).map(str::to_owned);
    if let Some(slug) = text("slug") {
        let legal = slug_of(&slug);
        if legal != slug {
            b.warn(
                child(&p.pointer, "x-genauth-tag"),
                format!("group slug `{slug}` is not lower-case ASCII words joined by `-`; using `{legal}`"),
            );
        }
        return Group { slug: legal, name: Text::new(text("en"), text("name").or(tag.map(str::to_owned))) };
    }
    let Some(tag) = tag else { return Group::other() };
    let controller = p.operation_id.split('_').next().unwrap_or_default();
    let slug = slug_of(controller.strip_suffix("Controller").unwrap_or(controller));
    let slug = if slug.is_empty() { Group::other().slug } else { slug };
    b.warn(
        child(&p.pointer, "tags"),
        format!(
            "tag `{tag}` has no curated group; its operations go to `{slug}` (add it to spec/<document>/overlays/40-tags.yaml)"
        ),
    );
    Group { slug, name: Text::new(None, Some(tag.to_owned())) }
}

/// `text` as a folder name: ASCII letters and digits, lower-case, words joined by `-`.
fn slug_of(text: &str) -> String {
    use heck::ToKebabCase;
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_kebab_case()
}

/// Path-level and operation-level parameters merged (operation wins), as `(pointer, object)`
/// after following `$ref`s.
fn merged_params<'v>(b: &mut Builder<'v>, p: &Planned<'_>) -> Vec<(String, &'v Value)> {
    let path_ptr = pointer(&["paths", &p.path]);
    let mut merged: Vec<(String, &'v Value)> = Vec::new();
    for list in [child(&path_ptr, "parameters"), child(&p.pointer, "parameters")] {
        let count = lookup(b.raw(), &list).and_then(Value::as_array).map_or(0, Vec::len);
        for i in 0..count {
            let Some(ptr) = b.deref(&child(&list, &i.to_string()), "parameters") else {
                continue;
            };
            let Some(param) = lookup(b.raw(), &ptr) else {
                continue;
            };
            let key = |v: &Value| (v.get("name").cloned(), v.get("in").cloned());
            match merged.iter_mut().find(|(_, v)| key(v) == key(param)) {
                Some(slot) => *slot = (ptr, param),
                None => merged.push((ptr, param)),
            }
        }
    }
    merged
}

fn build_params(b: &mut Builder<'_>, p: &Planned<'_>, names: &mut UniqueNames) -> Vec<Param> {
    let mut params = Vec::new();
    let mut path_params = BTreeSet::new();
    for (ptr, param) in merged_params(b, p) {
        let wire = param.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamLocation::Path,
            Some("query") => ParamLocation::Query,
            Some("header") => ParamLocation::Header,
            _ => {
                b.warn(ptr, format!("cookie parameter `{wire}` is not supported; skipped"));
                continue;
            }
        };
        let mut field = param_field(b, p, &ptr, param, &wire);
        if location == ParamLocation::Path {
            path_params.insert(wire.clone());
            if !field.required {
                b.warn(ptr.clone(), format!("path parameter `{wire}` is not marked required; it is required"));
                field.required = true;
            }
        }
        let style =
            if location == ParamLocation::Query { query_style(b, &ptr, param, &field) } else { QueryStyle::Form };
        let base = field.rust_name.clone();
        field.rust_name = names.claim(&base);
        if field.rust_name != base {
            b.warn(
                ptr,
                format!(
                    "parameter `{wire}` is named `{}`: `{base}` is taken by a body field or another parameter",
                    field.rust_name
                ),
            );
        }
        params.push(Param { location, style, field });
    }
    let in_template: BTreeSet<String> = template_names(&p.path);
    for missing in in_template.difference(&path_params) {
        b.error(
            p.pointer.clone(),
            format!("path template `{}` has `{{{missing}}}` but no path parameter `{missing}`", p.path),
        );
    }
    for extra in path_params.difference(&in_template) {
        b.error(p.pointer.clone(), format!("path parameter `{extra}` does not appear in path template `{}`", p.path));
    }
    params
}

/// A query parameter's `style` and `explode`. The styles that write arrays are supported;
/// `deepObject` and objects in `form` would need per-key names, which no spec we take uses, so
/// they fall back to the default with a warning (the value is then sent as JSON text).
fn query_style(b: &mut Builder<'_>, ptr: &str, param: &Value, field: &Field) -> QueryStyle {
    let style = param.get("style").and_then(Value::as_str).unwrap_or("form");
    let explode = param.get("explode").and_then(Value::as_bool).unwrap_or(style == "form");
    let is_array = matches!(field.ty, TypeRef::Array(_));
    match (style, explode) {
        ("form", true) => QueryStyle::Form,
        ("form", false) if is_array => QueryStyle::FormJoined,
        ("spaceDelimited", false) if is_array => QueryStyle::SpaceDelimited,
        ("pipeDelimited", false) if is_array => QueryStyle::PipeDelimited,
        ("form", false) => QueryStyle::Form,
        (other, explode) => {
            b.warn(
                child(ptr, "style"),
                format!(
                    "query style `{other}` (explode: {explode}) is not supported for this parameter; sent as `form`"
                ),
            );
            QueryStyle::Form
        }
    }
}

/// The `{name}`s of a path template.
fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}')).map(|(name, _)| name.to_owned()).collect()
}

fn param_field(b: &mut Builder<'_>, p: &Planned<'_>, ptr: &str, param: &Value, wire: &str) -> Field {
    let hint = NameHint::new(
        format!("{}{}", p.pascal_name, pascal_ident(wire)),
        format!("{} parameter {wire}", p.operation_id),
    );
    let schema_ptr = if param.get("schema").is_some() {
        Some(child(ptr, "schema"))
    } else {
        let content = param.get("content").and_then(Value::as_object);
        content.and_then(json_media).map(|mt| child(&child(&child(ptr, "content"), mt), "schema"))
    };
    let mut r = match schema_ptr {
        Some(s) if lookup(b.raw(), &s).is_some() => b.resolve_schema(&s, &hint),
        _ => {
            // The parser already repaired (and reported) a parameter without `schema`, so this is
            // a `content` parameter with no JSON schema.
            b.warn(ptr.to_owned(), format!("parameter `{wire}` has no JSON schema; typed as string"));
            super::schema::Resolved { ty: Some(TypeRef::String { format: None }), ..Default::default() }
        }
    };
    let mut direct = crate::model::Constraints::default();
    apply_constraints(&mut direct, param);
    for key in MISPLACED_KEYS {
        if param.get(*key).is_some() {
            b.warn(
                child(ptr, key),
                format!("`{key}` belongs in the parameter's schema; applied to parameter `{wire}`"),
            );
        }
    }
    // Keys on the parameter object are the more specific statement, so they win.
    let schema_constraints = std::mem::replace(&mut r.constraints, direct);
    let allowed = std::mem::take(&mut r.constraints.allowed);
    apply_constraints(&mut r.constraints, &constraints_value(&schema_constraints));
    r.constraints.allowed = if allowed.is_empty() { schema_constraints.allowed } else { allowed };
    if let Some(default) = param.get("default") {
        r.default = Some(default.clone());
    }
    if let Some(values) = param.get("enum").and_then(Value::as_array) {
        let non_null: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        r.nullable |= non_null.len() != values.len();
        if matches!(r.ty, Some(TypeRef::String { .. })) && non_null.iter().all(Value::is_string) && !non_null.is_empty()
        {
            r.ty = Some(b.inline_enum(ptr, param, &hint));
        } else {
            r.constraints.allowed = non_null;
        }
    }
    let mut description = b.i18n.text(param, "description");
    if description.is_empty() {
        description = r.description.clone();
    }
    Field {
        wire_name: wire.to_owned(),
        rust_name: snake_ident(wire),
        ty: r.ty(),
        required: param.get("required").and_then(Value::as_bool).unwrap_or(false),
        nullable: r.nullable,
        deprecated: r.deprecated || param.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
        description,
        constraints: r.constraints,
        default: r.default,
        example: param.get("example").cloned().or(r.example),
    }
}

/// Constraints written back as schema keys, so [`apply_constraints`] can merge two sets.
fn constraints_value(c: &crate::model::Constraints) -> Value {
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            m.insert(k.to_owned(), v);
        }
    };
    put("minItems", c.min_items.map(Value::from));
    put("maxItems", c.max_items.map(Value::from));
    put("minLength", c.min_length.map(Value::from));
    put("maxLength", c.max_length.map(Value::from));
    put("minimum", c.minimum.map(Value::from));
    put("maximum", c.maximum.map(Value::from));
    put("pattern", c.pattern.clone().map(Value::from));
    Value::Object(m)
}

fn build_body(b: &mut Builder<'_>, p: &Planned<'_>) -> Option<RequestBody> {
    p.op.get("requestBody")?;
    let ptr = b.deref(&child(&p.pointer, "requestBody"), "requestBodies")?;
    let body = lookup(b.raw(), &ptr)?;
    let content = body.get("content").and_then(Value::as_object)?;
    let Some((media, sent_as)) = body_media(content) else {
        b.warn(child(&ptr, "content"), "request body has no content; ignored");
        return None;
    };
    let schema_ptr = child(&child(&child(&ptr, "content"), media), "schema");
    let hint = NameHint::new(format!("{}Body", p.pascal_name), format!("{} request body", p.operation_id));
    let ty =
        if lookup(b.raw(), &schema_ptr).is_some() { b.resolve_schema(&schema_ptr, &hint).ty() } else { TypeRef::Any };
    Some(RequestBody {
        ty,
        required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
        description: b.i18n.text(body, "description"),
        media: sent_as,
    })
}

/// The success response: 200, else 201, else the lowest other 2xx (a `2XX` range counts as 200),
/// else `default` (reported as 200).
fn build_response(b: &mut Builder<'_>, p: &Planned<'_>) -> Response {
    let responses_ptr = child(&p.pointer, "responses");
    let keys: Vec<String> = lookup(b.raw(), &responses_ptr)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    // Preference: 0 = `200`, 1 = `201`, 2 = any other 2xx (lowest first; `2XX` counts as 200).
    let rank = |k: &String| -> Option<(u8, u16)> {
        match k.as_str() {
            "200" => Some((0, 200)),
            "201" => Some((1, 201)),
            "2XX" | "2xx" => Some((2, 200)),
            other => other.parse::<u16>().ok().filter(|c| (200..300).contains(c)).map(|c| (2, c)),
        }
    };
    let best = keys.iter().filter_map(|k| rank(k).map(|r| (r, k))).min();
    let chosen = best.map(|((_, code), k)| (code, k.clone())).or_else(|| {
        let default = keys.iter().find(|k| *k == "default")?;
        let others: Vec<&str> = keys.iter().filter(|k| *k != "default").map(String::as_str).collect();
        if !others.is_empty() {
            // Not a guess left unsaid: the `default` response is what a success decodes as.
            b.warn(
                responses_ptr.clone(),
                format!(
                    "no 2xx response; a success is decoded as the `default` response (the others, {}, are errors \
                     to the client)",
                    others.join(", ")
                ),
            );
        }
        Some((200, default.clone()))
    });
    let Some((status, key)) = chosen else {
        b.warn(responses_ptr, "no success response described; the method returns the raw JSON value");
        return Response { status: 200, ty: None, description: Text::default() };
    };
    let Some(ptr) = b.deref(&child(&responses_ptr, &key), "responses") else {
        return Response { status, ty: None, description: Text::default() };
    };
    let Some(response) = lookup(b.raw(), &ptr) else {
        return Response { status, ty: None, description: Text::default() };
    };
    let description = b.i18n.text(response, "description");
    let content = response.get("content").and_then(Value::as_object);
    let ty = match content {
        None => None,
        Some(c) if c.is_empty() => None,
        Some(c) => match json_media(c) {
            Some(media) => {
                let schema_ptr = child(&child(&child(&ptr, "content"), media), "schema");
                let hint = NameHint::new(format!("{}Response", p.pascal_name), format!("{} response", p.operation_id));
                Some(if lookup(b.raw(), &schema_ptr).is_some() {
                    b.resolve_schema(&schema_ptr, &hint).ty()
                } else {
                    TypeRef::Any
                })
            }
            None => {
                b.warn(child(&ptr, "content"), "success response is not JSON; the method returns the raw JSON value");
                None
            }
        },
    };
    Response { status, ty, description }
}

impl Builder<'_> {
    /// Follows `$ref`s from the object at `at` to a component of `kind`; the final pointer, or
    /// `None` after reporting a dangling, external or cyclic reference.
    pub(super) fn deref(&mut self, at: &str, kind: &str) -> Option<String> {
        let mut current = at.to_owned();
        let mut seen: Vec<String> = Vec::new();
        loop {
            let value = lookup(self.raw(), &current)?;
            let Some(reference) = value.get("$ref") else {
                return Some(current);
            };
            let ref_at = child(&current, "$ref");
            let Some(reference) = reference.as_str() else {
                self.error(ref_at, "`$ref` is not a string");
                return None;
            };
            let target = match parse_ref(reference, kind) {
                Ok(t) => t,
                Err(message) => {
                    self.error(ref_at, message);
                    return None;
                }
            };
            if seen.contains(&target.pointer) {
                self.error(ref_at, format!("cyclic reference through `{}`", target.pointer));
                return None;
            }
            if lookup(self.raw(), &target.pointer).is_none() {
                self.error(ref_at, format!("dangling reference `{reference}`: no such {kind} component"));
                return None;
            }
            seen.push(target.pointer.clone());
            current = target.pointer;
        }
    }
}
