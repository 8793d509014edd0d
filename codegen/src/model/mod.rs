//! The validated model of an API: what the emitters consume.
//!
//! Everything here is already resolved: no `$ref`s, no `allOf` wrappers, every name a legal and
//! unique Rust identifier, every text in both languages (where the spec has them). The emitters
//! (`emit::rust`, `emit::docs`) never look at the OpenAPI document itself, so a quirk of the spec is
//! handled once, in [`from_spec::build`], and both outputs agree on it.
//!
//! Ordering is part of the contract: `operations` and `types` are sorted by their Rust names, and
//! fields keep the order the spec declares them in, so output is deterministic.

pub mod direction;
pub mod envelope;
pub mod from_spec;
pub mod merge;
pub mod naming;
pub mod reach;
pub mod text;

pub use text::{Lang, Text};

use serde_json::Value;

use crate::diagnostics::Diagnostic;

/// The client of a document that names none (`info.x-genauth-client`): the management client,
/// which authenticates itself (its samples need no end user's token).
pub const DEFAULT_CLIENT: &str = "ManagementClient";

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title` (a merged model: the documents' titles joined with "and").
    pub title: String,
    /// `info.version` (a merged model: the documents' versions, once each).
    pub version: String,
    /// Name of the client type the operations hang off (`ManagementClient`); from
    /// `info.x-genauth-client`, default `ManagementClient`. A merged model holds several
    /// clients' operations (see [`Operation::client`]); this is then the first document's.
    pub client_name: String,
    /// The operations that get a method, sorted by [`Operation::name`] (a merged model: then by
    /// client). Hidden ones are not here.
    pub operations: Vec<Operation>,
    /// Every named type the operations use (transitively), sorted by [`TypeDef::name`].
    pub types: Vec<TypeDef>,
    /// Operations that take a page number and size but got no paginator, and why (for the
    /// codegen report), sorted.
    pub unpaged: Vec<Unpaged>,
    /// Problems that did not stop generation (spec-invalid but meaningful input, renames made to
    /// resolve collisions, skipped operations), each with its JSON pointer.
    pub warnings: Vec<Diagnostic>,
}

/// A paged-looking operation that got no paginator, and why: the codegen report lists them so a
/// maintainer can curate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unpaged {
    /// The operation's method name.
    pub operation: String,
    /// Why it has no paginator.
    pub reason: String,
}

impl Api {
    /// The type called `name` (a [`TypeDef::name`]), if any.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        type_named(&self.types, name)
    }

    /// The name and fields of the struct `ty` refers to, if it refers to one.
    pub fn struct_fields(&self, ty: &TypeRef) -> Option<(&str, &[Field])> {
        struct_fields(&self.types, ty)
    }
}

/// The type called `name` among `types` (sorted by name, as [`Api::types`] is), if any.
pub(crate) fn type_named<'t>(types: &'t [TypeDef], name: &str) -> Option<&'t TypeDef> {
    types.binary_search_by(|t| t.name.as_str().cmp(name)).ok().map(|i| &types[i])
}

/// The name and fields of the struct `ty` refers to among `types` (sorted by name), if it
/// refers to one: for the model builder, before there is an [`Api`].
pub(crate) fn struct_fields<'t>(types: &'t [TypeDef], ty: &TypeRef) -> Option<(&'t str, &'t [Field])> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let def = type_named(types, name)?;
    match &def.kind {
        TypeKind::Struct(s) => Some((def.name.as_str(), s.fields.as_slice())),
        _ => None,
    }
}

/// HTTP methods an operation can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl HttpMethod {
    /// Upper-case name, as on the wire (`POST`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

/// One API operation, which becomes one client method and one docs page.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId` (`UsersManagementController_kickUsers`).
    pub operation_id: String,
    /// Method name: the operationId's part after the last `_`, snake_case, made a legal unique
    /// identifier (`kick_users`).
    pub name: String,
    /// PascalCase form of [`Operation::name`], unique among operations (`KickUsers`); the request
    /// builder type is `{pascal_name}Request`.
    pub pascal_name: String,
    /// HTTP method.
    pub method: HttpMethod,
    /// Path template as in the spec (`/api/v3/users/{userId}`).
    pub path: String,
    /// The group it is listed under (the docs folder): from the curated `x-genauth-tag`, else
    /// derived from the first tag.
    pub group: Group,
    /// One-line summary (`summary`).
    pub summary: Text,
    /// Longer description (`description`).
    pub description: Text,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// The curated `x-genauth-idempotent: true|false`: whether repeating the request is harmless,
    /// when that differs from what the method says (the runtime's default: `GET`, `HEAD`,
    /// `OPTIONS`, `PUT` and `DELETE` are, `POST` is not). `None` when the spec does not say.
    pub idempotent: Option<bool>,
    /// Its `security` (or the document's) accepts the `bearer` scheme: it can act for an end user
    /// with that user's token. (The Management API's bearer is the management token, which the
    /// runtime adds itself.)
    pub user_token: bool,
    /// A sign-in operation (the curated `x-genauth-sign-in`, else upstream's
    /// `x-authing-signin-api`), where the application authenticates
    /// itself (client id and secret) instead of an end user's token.
    pub sign_in: bool,
    /// Path, query and header parameters, in spec order.
    pub params: Vec<Param>,
    /// The JSON request body, if the operation takes one.
    pub body: Option<RequestBody>,
    /// The success response.
    pub response: Response,
    /// JSON pointer of the operation object (`#/paths/~1api~1v3~1kick-users/post`).
    pub pointer: String,
    /// The client type whose method it is ([`Api::client_name`] of its document:
    /// `ManagementClient`, `AuthenticationClient`); a crate generated from several documents
    /// holds operations of several clients.
    pub client: String,
    /// How to walk all pages of the response, when the operation is paged (see
    /// `from_spec::pagination`).
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// The request builder's type name (`KickUsersRequest`): what the generated method returns.
    pub fn builder_name(&self) -> String {
        format!("{}Request", self.pascal_name)
    }
}

/// How a paged operation walks its pages: where the page number and size go, and where each
/// response holds its items and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where the page number and the page size are set.
    pub input: PageInput,
    /// The page-number input (`page`, counted from 1).
    pub page: Field,
    /// The page-size input (`limit`).
    pub limit: Field,
    /// The page size a walk asks for when the user sets none: the `limit`'s `maximum`, else the
    /// curated `maxLimit`, else [`Pagination::DEFAULT_MAX_LIMIT`].
    pub max_limit: i64,
    /// Path from the response to the object that holds the list and the total (`data`); empty
    /// when the response itself holds them.
    pub parent: Vec<Step>,
    /// The total's field in that object (`totalCount`), when the response states a total.
    pub total: Option<Field>,
    /// The list's field in that object (`list`); `None` when the object is the list itself.
    pub list: Option<Field>,
    /// The type of one item.
    pub item: TypeRef,
    /// True when the curated `x-genauth-pagination` switched it on or renamed its parts.
    pub curated: bool,
}

impl Pagination {
    /// The largest page the GenAuth API serves (its docs: `limit` "at most 50"), used when a
    /// spec states no `maximum`.
    pub const DEFAULT_MAX_LIMIT: i64 = 50;

    /// Why the operation is paged, for the codegen report: `query page/limit -> data.list
    /// (totalCount)`.
    pub fn describe(&self) -> String {
        let input = match &self.input {
            PageInput::Query => "query".to_owned(),
            PageInput::Body(steps) => {
                let mut at = String::from("body");
                for s in steps {
                    at.push('.');
                    at.push_str(&s.field.wire_name);
                }
                at
            }
        };
        let mut list: Vec<&str> = self.parent.iter().map(|s| s.field.wire_name.as_str()).collect();
        if let Some(l) = &self.list {
            list.push(&l.wire_name);
        }
        let list = if list.is_empty() { "the response".to_owned() } else { list.join(".") };
        let total = match &self.total {
            Some(t) => format!(" with {}", t.wire_name),
            None => " (no total: stops at a short page)".to_owned(),
        };
        let curated = if self.curated { ", curated" } else { "" };
        format!("{input} {}/{} -> {list}{total}{curated}", self.page.wire_name, self.limit.wire_name)
    }
}

/// Where a paged operation takes its page number and size.
#[derive(Debug, Clone, PartialEq)]
pub enum PageInput {
    /// Query parameters (builder inputs of the same wire names).
    Query,
    /// Fields of the JSON body, reached from the body through these struct fields (empty: the
    /// body's own fields).
    Body(Vec<Step>),
}

/// One struct field on a path through nested structs.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The struct the field belongs to.
    pub owner: String,
    /// The field (its type is a named struct, or for the last step of a response path that
    /// is the list, the list).
    pub field: Field,
}

/// A group of operations: one upstream tag, with a stable ASCII name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Group {
    /// ASCII, lower-case, `-`-separated, stable across upstream updates (`users`): the docs
    /// folder.
    pub slug: String,
    /// Display name in both languages (`Users`, `管理用户/API 列表`).
    pub name: Text,
}

impl Group {
    /// The group of operations that have no tag and no curated group.
    pub fn other() -> Self {
        Group { slug: "other".to_owned(), name: Text::new(Some("Other".to_owned()), Some("其他".to_owned())) }
    }
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    /// Substituted into the path template.
    Path,
    /// In the query string.
    Query,
    /// As a request header.
    Header,
}

/// How an array query parameter is written (OpenAPI `style` + `explode`). Scalars are written
/// the same way in every style.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueryStyle {
    /// `style: form, explode: true`, the default: the key once per item (`id=a&id=b`).
    #[default]
    Form,
    /// `style: form, explode: false`: one key, items joined by `,` (`id=a,b`).
    FormJoined,
    /// `style: spaceDelimited`: items joined by a space (`id=a%20b`).
    SpaceDelimited,
    /// `style: pipeDelimited`: items joined by `|` (`id=a%7Cb`).
    PipeDelimited,
}

impl QueryStyle {
    /// The separator of a joined style, `None` for [`QueryStyle::Form`].
    pub fn separator(self) -> Option<&'static str> {
        match self {
            QueryStyle::Form => None,
            QueryStyle::FormJoined => Some(","),
            QueryStyle::SpaceDelimited => Some(" "),
            QueryStyle::PipeDelimited => Some("|"),
        }
    }
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Where it goes.
    pub location: ParamLocation,
    /// How an array value is written in the query ([`QueryStyle::Form`] for path and header
    /// parameters, whose values are scalars).
    pub style: QueryStyle,
    /// Name, type, constraints and docs. `field.rust_name` is unique among the operation's
    /// parameters *and* its flattened body fields (they share the builder's namespace).
    pub field: Field,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// Its type. When this is [`TypeRef::Named`] naming a [`TypeKind::Struct`], the builder
    /// flattens the struct's fields: required ones become method arguments, optional ones setters.
    pub ty: TypeRef,
    /// `requestBody.required`.
    pub required: bool,
    /// `requestBody.description`.
    pub description: Text,
    /// How the body is sent.
    pub media: BodyMedia,
}

/// The media type a request body is sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyMedia {
    /// `application/json` (or `*/*`, `…+json`): the body as JSON.
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`: the body's top-level fields as form fields, written
    /// as query parameters are (strings as they are, an array as one field per item, anything
    /// else as compact JSON).
    Form,
}

impl RequestBody {
    /// The whole body as one input named `body`: how a body that is not flattened into its
    /// fields (an array, a map, a free-form value, a `oneOf`) is passed, and how the docs list it.
    pub fn as_field(&self, example: Option<Value>) -> Field {
        Field {
            description: self.description.clone(),
            example,
            ..Field::plain("body", "body", self.ty.clone(), self.required)
        }
    }
}

/// The success response of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status code it is described under (200, 201, ...).
    pub status: u16,
    /// Its JSON type; `None` when the spec describes no content (the method then returns
    /// `serde_json::Value`, so nothing the server sends is dropped).
    pub ty: Option<TypeRef>,
    /// The response's `description`.
    pub description: Text,
}

/// A named type, emitted as a Rust struct or enum.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name, PascalCase, unique among types (`KickUsersOptionsDto`).
    pub name: String,
    /// Where it comes from: the component name (`KickUsersOptionsDto`), or for an inline schema
    /// that had to be named, `Owner.property` (`KickUsersOptionsDto.userIdType`).
    pub origin: String,
    /// Its description.
    pub description: Text,
    /// The schema's `example`, if any.
    pub example: Option<Value>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// JSON pointer of the schema.
    pub pointer: String,
    /// What it is.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with declared properties.
    Struct(StructDef),
    /// A string enum; emitted open (an unknown value decodes into a catch-all variant).
    Enum(EnumDef),
    /// `oneOf` / `anyOf`: one of several types (emitted untagged, with a catch-all variant).
    OneOf(OneOfDef),
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Properties in spec order.
    pub fields: Vec<Field>,
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// Known values in spec order.
    pub values: Vec<EnumValue>,
    /// Name of the catch-all variant holding unknown values (`UnknownValue`), chosen so that it
    /// collides with no known value's variant.
    pub catch_all: String,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The value on the wire (`wechat:pc`).
    pub wire: String,
    /// Rust variant name, PascalCase, unique within the enum (`WechatPc`).
    pub variant: String,
    /// Its meaning, where the spec gives one (e.g. an `x-enum-descriptions` list, or a
    /// `- value: meaning` line of the description).
    pub description: Text,
}

/// A `oneOf` / `anyOf` type.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfDef {
    /// The alternatives, in spec order.
    pub variants: Vec<OneOfVariant>,
}

/// One alternative of a [`OneOfDef`].
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    /// Rust variant name, unique within the type.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
}

/// A struct field or a parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire (`userIdType`).
    pub wire_name: String,
    /// Rust name, snake_case, legal, unique within its struct (`user_id_type`; `type_` for
    /// `type`).
    pub rust_name: String,
    /// Its type.
    pub ty: TypeRef,
    /// In the `required` list (or `required: true` for a parameter).
    pub required: bool,
    /// `nullable: true`: `null` is a legal value.
    pub nullable: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Its description; for an `allOf` wrapper, the wrapper's own description.
    pub description: Text,
    /// The constraints the spec states.
    pub constraints: Constraints,
    /// `default`, if any.
    pub default: Option<Value>,
    /// `example`, if any (for an `allOf` wrapper, the wrapper's own example).
    pub example: Option<Value>,
}

impl Field {
    /// A field called `wire` on the wire and `rust` in Rust, with no flags, text, constraints,
    /// default or example: the start of every field the model makes up rather than reads.
    pub fn plain(wire: &str, rust: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire_name: wire.to_owned(),
            rust_name: rust.to_owned(),
            ty,
            required,
            nullable: false,
            deprecated: false,
            description: Text::default(),
            constraints: Constraints::default(),
            default: None,
            example: None,
        }
    }
}

/// Constraints a spec states on a value. The SDK checks them before sending; the docs spell them
/// out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `minLength` (in characters).
    pub min_length: Option<u64>,
    /// `maxLength` (in characters).
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `pattern` (documented, not checked: ECMA regexes are not Rust regexes).
    pub pattern: Option<String>,
    /// Allowed values of a non-string `enum` (string enums become [`EnumDef`]s instead).
    pub allowed: Vec<Value>,
}

impl Constraints {
    /// True when no constraint is stated.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// A reference to a type, as fields, parameters and bodies use it.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `string`; `format` kept for docs (`date-time`, `email`, ...). Rust: `String`.
    String {
        /// The spec's `format`, if any.
        format: Option<String>,
    },
    /// `integer`. Rust: `i64` (never narrower: millisecond timestamps must not overflow).
    Integer {
        /// The spec's `format`, if any.
        format: Option<String>,
    },
    /// `number`. Rust: `f64` (exact for integers up to 2^53, so millisecond timestamps fit).
    Number {
        /// The spec's `format`, if any.
        format: Option<String>,
    },
    /// `boolean`. Rust: `bool`.
    Boolean,
    /// `array`. Rust: `Vec<T>`.
    Array(Box<TypeRef>),
    /// An object with `additionalProperties: <schema>` and no properties. Rust:
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// A free-form value (object without properties, `{}`, `additionalProperties: true`).
    /// Rust: `serde_json::Value`.
    Any,
    /// A [`TypeDef`] by its Rust name.
    Named(String),
}
