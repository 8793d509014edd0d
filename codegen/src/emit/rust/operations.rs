//! The operations' files: one method per operation on the client, returning one request builder per
//! operation. Required inputs are method arguments, optional ones builder setters, and
//! `send().await` checks the constraints and hands an `ApiRequest` to the runtime.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::Ctx;
use super::doc::{Doc, code, field_doc, list_item};
use super::names::{ident, lit, unique};
use super::paginate;
use super::types::MAX_ARGS;
use super::tyref::{Input, Scope, field_init, input, rust_type, stored_type};
use super::validate::field_checks;
use crate::model::{Api, BodyMedia, Field, HttpMethod, Operation, ParamLocation, QueryStyle, TypeKind, TypeRef};

/// Names std traits give their methods; a generated method with one of these names and a
/// matching signature trips `clippy::should_implement_trait`, which the generated code allows.
const TRAIT_METHOD_NAMES: &[&str] = &[
    "add",
    "as_mut",
    "as_ref",
    "bitand",
    "bitor",
    "bitxor",
    "borrow",
    "borrow_mut",
    "clone",
    "cmp",
    "default",
    "deref",
    "deref_mut",
    "div",
    "drop",
    "eq",
    "from_iter",
    "from_str",
    "hash",
    "index",
    "index_mut",
    "into_iter",
    "mul",
    "neg",
    "next",
    "not",
    "rem",
    "shl",
    "shr",
    "sub",
];

/// Builder fields and methods the generator itself uses; inputs never take these names.
const RESERVED: &[&str] =
    &["call", "client", "body", "request", "customize", "send", "send_with_metadata", "into_paginator"];

/// The operations of a group, each kept together as a reader looks for it: its client method (in
/// an `impl` block of the client of its own), then its request builder.
pub(crate) fn emit_group<'a>(ctx: &Ctx<'a>, operations: &[&'a Operation]) -> TokenStream {
    let items = operations.iter().map(|op| {
        let plan = Plan::new(ctx, op);
        let client = ident(&op.client);
        let method = plan.client_method(ctx);
        let builder = plan.builder(ctx);
        quote! {
            impl crate::#client {
                #method
            }

            #builder
        }
    });
    quote!(#(#items)*)
}

/// One input of an operation, as the builder sees it.
pub(crate) struct InputSpec {
    /// Argument, setter and (for parameters) builder field name; unique within the operation.
    pub(crate) name: String,
    /// The field: a parameter's, a flattened body field, or a stand-in for a whole body.
    pub(crate) field: Field,
    /// Where it goes.
    pub(crate) kind: InputKind,
    /// Boxed in its struct (flattened body fields of recursive types only).
    pub(crate) boxed: bool,
}

/// Where an input of the builder goes.
pub(crate) enum InputKind {
    /// A path, query or header parameter, stored in a builder field.
    Param(ParamLocation),
    /// A field of the flattened body struct, stored in `self.body.<rust_name>`.
    BodyField,
    /// The whole body (not a struct), stored in `self.body`.
    Body,
}

/// What one operation's code is made from.
struct Plan<'a> {
    op: &'a Operation,
    builder: Ident,
    /// Params in spec order, then body fields (or the body) in declaration order.
    inputs: Vec<InputSpec>,
    /// The flattened body's type name, when the body is a named struct.
    body_struct: Option<&'a str>,
}

impl<'a> Plan<'a> {
    fn new(ctx: &Ctx<'a>, op: &'a Operation) -> Self {
        let (inputs, body_struct) = builder_inputs(ctx.api, op, |owner, field| ctx.boxing.is_boxed(owner, field));
        Plan { op, builder: ident(&op.builder_name()), inputs, body_struct }
    }

    fn required(&self) -> impl Iterator<Item = &InputSpec> {
        self.inputs.iter().filter(|i| i.field.required)
    }

    fn optional(&self) -> impl Iterator<Item = &InputSpec> {
        self.inputs.iter().filter(|i| !i.field.required)
    }

    fn input_for(&self, i: &InputSpec, arg: &Ident, setter: bool) -> Input {
        input(&i.field, i.boxed, Scope::Operations, arg, setter)
    }

    /// `METHOD /path`, as docs show it.
    fn endpoint(&self) -> String {
        code(&format!("{} {}", self.op.method.as_str(), self.op.path))
    }

    /// The client method: required inputs in, builder out.
    fn client_method(&self, ctx: &Ctx<'_>) -> TokenStream {
        let op = self.op;
        let name = ident(&op.name);
        let builder = &self.builder;
        let required: Vec<_> = self.required().collect();

        let mut doc = Doc::new();
        doc.text_or(&op.summary, &format!("Calls {}.", self.endpoint()));
        // Many operations' description only repeats the summary.
        if op.description != op.summary {
            doc.text(&op.description);
        }
        doc.line(self.endpoint());
        if !required.is_empty() {
            doc.line("# Arguments");
            let items: Vec<String> = required
                .iter()
                .flat_map(|i| list_item(&format!("{}: ", code(&i.name)), &field_doc(&i.field)))
                .collect();
            doc.para(items);
        }
        let optional: Vec<String> = self.optional().map(|i| code(&i.name)).collect();
        if !optional.is_empty() {
            doc.line(format!("Optional inputs are set on the returned builder: {}.", optional.join(", ")));
        }
        doc.line(format!("Nothing is sent until [`{builder}::send`] is awaited."));
        // The same program the docs page shows; as a `no_run` doctest `cargo test` compiles it,
        // so a page can never show a sample that does not build against this very code.
        doc.line("# Example");
        let sample = ctx.samples.call(op);
        doc.para(code_block(&sample));
        if let (Some(p), Some(sample)) = (&op.pagination, ctx.samples.paginator(op)) {
            doc.line("# Walking every page");
            doc.line(format!(
                "[`{builder}::into_paginator`] walks all pages ({} items per page unless the request sets a size) and streams every item:",
                p.max_limit
            ));
            doc.para(code_block(&sample));
        }
        let doc = doc.tokens(ctx.docs);

        let args = required.iter().map(|i| {
            let arg = ident(&i.name);
            let ty = self.input_for(i, &arg, false).arg_ty;
            quote!(#arg: #ty)
        });
        let mut inits = vec![quote!(call: self.into())];
        if let Some(body_ty) = self.body_struct {
            let body_ty = ident(body_ty);
            let body_args = required.iter().filter(|i| matches!(i.kind, InputKind::BodyField)).map(|i| ident(&i.name));
            inits.push(quote!(body: types::#body_ty::new(#(#body_args),*)));
        }
        for i in &self.inputs {
            if matches!(i.kind, InputKind::BodyField) {
                continue;
            }
            let fname = ident(&i.name);
            if i.field.required {
                inits.push(field_init(&fname, &self.input_for(i, &fname, false)));
            } else {
                inits.push(quote!(#fname: None));
            }
        }

        let deprecated = if op.deprecated { quote!(#[deprecated]) } else { TokenStream::new() };
        let mut allows = Vec::new();
        // Clippy counts `&self` too.
        if required.len() + 1 > MAX_ARGS {
            allows.push(quote!(clippy::too_many_arguments));
        }
        if TRAIT_METHOD_NAMES.contains(&op.name.as_str()) {
            allows.push(quote!(clippy::should_implement_trait));
        }
        let allow = if allows.is_empty() { TokenStream::new() } else { quote!(#[allow(#(#allows),*)]) };
        quote! {
            #doc
            #deprecated
            #allow
            pub fn #name(&self, #(#args),*) -> #builder {
                #builder { #(#inits),* }
            }
        }
    }

    /// The builder type, its setters and `request`; the runtime macro adds `customize` and `send`.
    fn builder(&self, ctx: &Ctx<'_>) -> TokenStream {
        let op = self.op;
        let builder = &self.builder;
        let method_path = format!("crate::{}::{}", op.client, op.name);

        let mut doc = Doc::new();
        doc.line(format!("The request of [`{}::{}`]({method_path}) ({}).", op.client, op.name, self.endpoint()));
        doc.text(&op.summary);
        if op.deprecated {
            doc.line("Deprecated: the operation is deprecated in the API.");
        }
        doc.line(
            "Set optional inputs with its methods and per-call options with [`customize`](Self::customize), then send it with [`send`](Self::send).",
        );
        let doc = doc.tokens(ctx.docs);

        let mut fields = vec![quote!(call: rt::Call,)];
        if let Some(body_ty) = self.body_struct {
            let body_ty = ident(body_ty);
            fields.push(quote!(body: types::#body_ty,));
        }
        for i in &self.inputs {
            if matches!(i.kind, InputKind::BodyField) {
                continue;
            }
            let fname = ident(&i.name);
            let ty = stored_type(&i.field, i.boxed, Scope::Operations);
            fields.push(quote!(#fname: #ty,));
        }

        let setters = self.optional().map(|i| self.setter(ctx, i));
        let request = self.request(ctx);
        let response = self.response();
        let (into_paginator, paged) = match &op.pagination {
            Some(p) => {
                let query = self.query_input(&p.page).zip(self.query_input(&p.limit));
                (paginate::into_paginator(ctx, p), paginate::paged_impl(ctx, p, builder, &self.response(), query))
            }
            None => (TokenStream::new(), TokenStream::new()),
        };
        quote! {
            #doc
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until `.send().await`"]
            pub struct #builder {
                #(#fields)*
            }

            impl #builder {
                #(#setters)*

                #request

                #into_paginator
            }

            rt::request_builders!(#builder => #response);

            #paged
        }
    }

    /// The builder field of a query parameter, by the parameter's wire name.
    fn query_input(&self, field: &Field) -> Option<Ident> {
        self.params(ParamLocation::Query).find(|i| i.field.wire_name == field.wire_name).map(|i| ident(&i.name))
    }

    /// The type `send` returns.
    fn response(&self) -> TokenStream {
        match &self.op.response.ty {
            Some(ty) => rust_type(ty, Scope::Operations),
            None => quote!(serde_json::Value),
        }
    }

    /// A setter for an optional input.
    fn setter(&self, ctx: &Ctx<'_>, i: &InputSpec) -> TokenStream {
        let name = ident(&i.name);
        let value = ident("value");
        let Input { arg_ty, convert, .. } = self.input_for(i, &value, true);
        let target = match i.kind {
            InputKind::BodyField => {
                let fname = ident(&i.field.rust_name);
                quote!(self.body.#fname)
            }
            InputKind::Param(_) | InputKind::Body => quote!(self.#name),
        };
        let doc = field_doc(&i.field).tokens(ctx.docs);
        let deprecated = if i.field.deprecated { quote!(#[deprecated]) } else { TokenStream::new() };
        let allow = if TRAIT_METHOD_NAMES.contains(&i.name.as_str()) {
            quote!(#[allow(clippy::should_implement_trait)])
        } else {
            TokenStream::new()
        };
        quote! {
            #doc
            #deprecated
            #allow
            pub fn #name(mut self, #value: #arg_ty) -> Self {
                #target = #convert;
                self
            }
        }
    }

    /// `request`: check the inputs, build the `ApiRequest` (the runtime's `send` sends it).
    fn request(&self, ctx: &Ctx<'_>) -> TokenStream {
        let op = self.op;
        let operation = lit(&op.name);

        // Checks: parameters under their wire names, body fields at the root (`appIds`, not
        // `body.appIds`), a whole non-struct body under `body`.
        let mut checks = TokenStream::new();
        for i in &self.inputs {
            match i.kind {
                InputKind::Param(_) | InputKind::Body => {
                    let fname = ident(&i.name);
                    checks.extend(field_checks(ctx, &i.field.wire_name, &i.field, quote!(self.#fname)));
                }
                InputKind::BodyField => {}
            }
        }
        if let Some(body_ty) = self.body_struct
            && ctx.is_validated(&TypeRef::Named(body_ty.to_owned()))
        {
            checks.extend(quote!(rt::Validate::validate(&self.body, &mut v);));
        }
        let checks = if checks.is_empty() {
            checks
        } else {
            quote! {
                let mut v = rt::Violations::new(#operation);
                #checks
                v.finish()?;
            }
        };

        // The request, built in one chain: the runtime's `ApiRequest` methods do the rest.
        let path = self.path_expr(ctx);
        let mut request = match op.method {
            HttpMethod::Get => quote!(rt::get(#operation, #path)),
            HttpMethod::Post => quote!(rt::post(#operation, #path)),
            HttpMethod::Put => quote!(rt::put(#operation, #path)),
            HttpMethod::Patch => quote!(rt::patch(#operation, #path)),
            HttpMethod::Delete => quote!(rt::delete(#operation, #path)),
            HttpMethod::Head | HttpMethod::Options => {
                let method = ident(op.method.as_str());
                quote!(rt::ApiRequest::new(#operation, rt::Method::#method, #path))
            }
        };
        // Each step and whether it can fail; the last one's result is returned as it is.
        let mut steps: Vec<(TokenStream, bool)> = Vec::new();
        for i in self.params(ParamLocation::Query) {
            let (wire, fname) = (lit(&i.field.wire_name), ident(&i.name));
            steps.push(match self.query_style(i).and_then(QueryStyle::separator) {
                Some(separator) => (quote!(query_joined(#wire, &self.#fname, #separator)), true),
                None => (quote!(query(#wire, &self.#fname)), true),
            });
        }
        for i in self.params(ParamLocation::Header) {
            let (wire, fname) = (lit(&i.field.wire_name), ident(&i.name));
            steps.push((quote!(header(#wire, &self.#fname)), true));
        }
        if self.body_struct.is_some() || self.inputs.iter().any(|i| matches!(i.kind, InputKind::Body)) {
            match op.body.as_ref().map(|b| b.media) {
                Some(BodyMedia::Form) => steps.push((quote!(form(&self.body)), true)),
                _ => steps.push((quote!(json(&self.body)), true)),
            }
        }
        // Only a curated override is written; otherwise the runtime derives it from the method.
        if let Some(flag) = op.idempotent {
            steps.push((quote!(idempotent(#flag)), false));
        }
        // A sign-in authenticates the application, not a user: the runtime adds the app's
        // credentials as the client's config says.
        if op.sign_in {
            steps.push((quote!(sign_in()), false));
        }
        // Whether the spec describes the response as an envelope (with `statusCode`): then the
        // runtime requires the field. A few upstream responses describe only the data.
        let envelope = match &op.response.ty {
            Some(TypeRef::Named(name)) => ctx.api.type_named(name).is_some_and(
                |t| matches!(&t.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.wire_name == "statusCode")),
            ),
            _ => false,
        };
        if !envelope {
            steps.push((quote!(bare()), false));
        }
        // The flags first: a chain whose fallible steps come last returns their `Result` as it
        // is, without `?` and `Ok(..)` around it.
        steps.sort_by_key(|(_, fallible)| *fallible);
        let returns_result = steps.last().is_some_and(|(_, fallible)| *fallible);
        let last = steps.len().saturating_sub(1);
        for (n, (step, fallible)) in steps.into_iter().enumerate() {
            request = if fallible && n != last { quote!(#request.#step?) } else { quote!(#request.#step) };
        }
        let request = if returns_result { request } else { quote!(Ok(#request)) };

        // `#[inline]`, like the `send` that calls it: compiled in the crate that sends the
        // request, not in every build of this one (see `rt::request_builders!`).
        quote! {
            #[inline]
            fn request(&self) -> Result<rt::ApiRequest, crate::Error> {
                #checks
                #request
            }
        }
    }

    /// The `style` of the query parameter behind `input`.
    fn query_style(&self, input: &InputSpec) -> Option<QueryStyle> {
        self.op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.field.wire_name == input.field.wire_name)
            .map(|p| p.style)
    }

    fn params(&self, location: ParamLocation) -> impl Iterator<Item = &InputSpec> {
        self.inputs.iter().filter(move |i| matches!(i.kind, InputKind::Param(l) if l == location))
    }

    /// The path with each `{name}` replaced by its percent-encoded parameter.
    fn path_expr(&self, ctx: &Ctx<'_>) -> TokenStream {
        let mut template = String::new();
        let mut args = Vec::new();
        let mut rest = self.op.path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            let wire = &rest[open + 1..close];
            let param = self.params(ParamLocation::Path).find(|i| i.field.wire_name == wire);
            template.push_str(&escape_braces(&rest[..open]));
            match param {
                Some(i) => {
                    let fname = ident(&i.name);
                    let text = text_of(ctx, &i.field.ty, quote!(&self.#fname));
                    template.push_str("{}");
                    args.push(quote!(rt::path_segment(#text)));
                }
                // No such parameter (the model should not allow it): keep the text as is.
                None => template.push_str(&escape_braces(&rest[open..=close])),
            }
            rest = &rest[close + 1..];
        }
        if args.is_empty() {
            let path = lit(&self.op.path);
            return quote!(#path);
        }
        template.push_str(&escape_braces(rest));
        let template = lit(&template);
        quote!(format!(#template, #(#args),*))
    }
}

/// The inputs of `op`'s request builder, in order (parameters in spec order, then the body's
/// fields, or the body), and the flattened body's type name when the body is a named struct.
/// `is_boxed(struct, field)` says which flattened body fields are boxed. The API manifest lists
/// the same inputs, so it reads them from here rather than repeating the rules.
pub(crate) fn builder_inputs<'a>(
    api: &'a Api,
    op: &'a Operation,
    is_boxed: impl Fn(&str, &str) -> bool,
) -> (Vec<InputSpec>, Option<&'a str>) {
    let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
    let mut inputs = Vec::new();
    for p in &op.params {
        let mut field = p.field.clone();
        // A path parameter cannot be left out (OpenAPI requires `required: true` for them).
        if p.location == ParamLocation::Path {
            field.required = true;
            field.nullable = false;
        }
        inputs.push(InputSpec {
            name: unique(&field.rust_name, &mut taken),
            field,
            kind: InputKind::Param(p.location),
            boxed: false,
        });
    }
    let mut body_struct = None;
    if let Some(body) = &op.body {
        let flattened = match &body.ty {
            TypeRef::Named(name) => match api.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => Some((name.as_str(), s)),
                _ => None,
            },
            _ => None,
        };
        if let Some((name, s)) = flattened {
            body_struct = Some(name);
            for f in &s.fields {
                inputs.push(InputSpec {
                    name: unique(&f.rust_name, &mut taken),
                    field: f.clone(),
                    kind: InputKind::BodyField,
                    boxed: is_boxed(name, &f.rust_name),
                });
            }
        } else {
            inputs.push(InputSpec {
                name: "body".to_owned(),
                field: body.as_field(None),
                kind: InputKind::Body,
                boxed: false,
            });
        }
    }
    (inputs, body_struct)
}

/// How a parameter becomes text (for a path segment or a header).
fn has_wire_display(ctx: &Ctx<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Integer { .. } | TypeRef::Number { .. } | TypeRef::Boolean => true,
        // Open enums' `Display` is their wire value.
        TypeRef::Named(name) => matches!(ctx.api.type_named(name).map(|t| &t.kind), Some(TypeKind::Enum(_))),
        _ => false,
    }
}

/// A `&str` expression for a value given by reference: a string as it is, numbers, booleans and
/// enums by `Display`, anything else as compact JSON.
fn text_of(ctx: &Ctx<'_>, ty: &TypeRef, value: TokenStream) -> TokenStream {
    if matches!(ty, TypeRef::String { .. }) {
        value
    } else {
        let owned = owned_text_of(ctx, ty, value);
        quote!(&#owned)
    }
}

/// An owned `String` for a value given by reference (same rules as [`text_of`]).
fn owned_text_of(ctx: &Ctx<'_>, ty: &TypeRef, value: TokenStream) -> TokenStream {
    if matches!(ty, TypeRef::String { .. }) {
        quote!(Clone::clone(#value))
    } else if has_wire_display(ctx, ty) {
        quote!(ToString::to_string(#value))
    } else {
        quote!(rt::to_json(#value)?.to_string())
    }
}

/// A `no_run` doctest block of `sample`, as doc lines.
fn code_block(sample: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once("```no_run".to_owned()).chain(sample.lines().map(str::to_owned)).chain(["```".to_owned()])
}

/// `s` with `{` and `}` doubled, for a `format!` template.
fn escape_braces(s: &str) -> String {
    s.replace('{', "{{").replace('}', "}}")
}
