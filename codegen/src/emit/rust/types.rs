//! The types' files: structs and oneOf enums (string enums are in [`super::enums`]).

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::doc::{Doc, code, deprecated_attr, field_doc, list_item, type_doc};
use super::names::{ident, lit, prefixed};
use super::tyref::{Scope, field_init, input, rust_type, stored_type};
use super::validate::{field_checks, validate_impl};
use crate::model::{Field, OneOfDef, StructDef, TypeDef, TypeKind, TypeRef};

/// Clippy's default `too-many-arguments-threshold`.
pub(crate) const MAX_ARGS: usize = 7;

/// One type's items: the type, and its impls.
pub(crate) fn emit_type(ctx: &Ctx<'_>, t: &TypeDef) -> TokenStream {
    match &t.kind {
        TypeKind::Struct(s) => match ctx.envelope_data(t) {
            Some(data) => emit_envelope(ctx, t, data),
            None => emit_struct(ctx, t, s),
        },
        TypeKind::Enum(e) => super::enums::emit_enum(ctx, t, e),
        TypeKind::OneOf(o) => emit_one_of(ctx, t, o),
    }
}

/// The name serde gives the field `rust_name` on the wire: the name itself (without `r#`), or
/// with `rename_all = "camelCase"` what serde's `RenameRule::CamelCase` makes of it: each `_`
/// dropped and the letter after it capitalised, then the first letter lower-cased
/// (`user_id_type` -> `userIdType`).
fn serde_name(rust_name: &str, camel: bool) -> String {
    let name = rust_name.strip_prefix("r#").unwrap_or(rust_name);
    if !camel {
        return name.to_owned();
    }
    let mut pascal = String::with_capacity(name.len());
    let mut capitalize = true;
    for ch in name.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    chars.next().map(|first| first.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Whether `#[serde(rename_all = "camelCase")]` saves lines: a required field whose wire name
/// is not what serde derives needs a `rename` line of its own (an optional one has a
/// `skip_serializing_if` line that the rename joins), and the container attribute is a line.
fn uses_camel_case(s: &StructDef) -> bool {
    let renames =
        |camel: bool| s.fields.iter().filter(|f| f.required && serde_name(&f.rust_name, camel) != f.wire_name).count();
    renames(true) + 1 < renames(false)
}

/// A response envelope: an alias of the runtime's `Envelope<T>` around its `data`, whose doc
/// says what `data` is (the envelope's own fields are documented once, on `Envelope`).
fn emit_envelope(ctx: &Ctx<'_>, t: &TypeDef, data: &Field) -> TokenStream {
    let name = ident(&t.name);
    let mut doc = type_doc(t);
    doc.line("The API's response [`Envelope`](crate::Envelope) around this `data`:");
    doc.para(list_item("", &field_doc(data)));
    let doc = doc.tokens(ctx.docs);
    let deprecated = deprecated_attr(t.deprecated);
    let ty = stored_type(data, ctx.boxing.is_boxed(&t.name, &data.rust_name), Scope::Types);
    quote! {
        #doc
        #deprecated
        pub type #name = crate::Envelope<#ty>;
    }
}

/// A struct; for an input type also its constructor, setters and `Validate` impl (a
/// response-only type is decoded, never built or checked, so it gets none of them).
fn emit_struct(ctx: &Ctx<'_>, t: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t).tokens(ctx.docs);
    let deprecated = deprecated_attr(t.deprecated);
    let built = ctx.is_built(&t.name);
    let has_required = s.fields.iter().any(|f| f.required);
    // `new()` without arguments needs `Default` (clippy::new_without_default); all fields are
    // `Option`s then, so deriving it is exact.
    let default = if has_required || !built { TokenStream::new() } else { quote!(Default,) };

    let (serde_derive, other_serde) = ctx.serde_derives(&t.name);
    let camel = uses_camel_case(s);
    let rename_all = if camel { quote!(#[serde(rename_all = "camelCase")]) } else { TokenStream::new() };
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        let ty = stored_type(f, ctx.boxing.is_boxed(&t.name, &f.rust_name), Scope::Types);
        let doc = field_doc(f).tokens(ctx.docs);
        let wire = lit(&f.wire_name);
        let rename = (serde_name(&f.rust_name, camel) != f.wire_name).then(|| quote!(rename = #wire));
        // `skip_serializing_if` only drops `None`: `false`, `0` and `""` are always sent. A
        // missing `Option` field decodes as `None` without `default` (serde's own rule).
        let skip = (!f.required).then(|| quote!(skip_serializing_if = "Option::is_none"));
        let serde = match (rename, skip) {
            (None, None) => TokenStream::new(),
            (Some(one), None) | (None, Some(one)) => quote!(#[serde(#one)]),
            (Some(rename), Some(skip)) => quote!(#[serde(#rename, #skip)]),
        };
        let deprecated = deprecated_attr(f.deprecated);
        quote! {
            #doc
            #serde
            #deprecated
            pub #fname: #ty,
        }
    });

    let definition = quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, #default #serde_derive)]
        #other_serde
        #rename_all
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    };
    // Response-only types are decoded, never built: nothing more to write (or to format).
    if !built {
        return definition;
    }

    // Constructor: required fields are arguments, optional ones start as `None`.
    let required: Vec<_> = s.fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let arg = ident(&f.rust_name);
        let input = input(f, ctx.boxing.is_boxed(&t.name, &f.rust_name), Scope::Types, &arg, false);
        let ty = input.arg_ty;
        quote!(#arg: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        if f.required {
            let input = input(f, ctx.boxing.is_boxed(&t.name, &f.rust_name), Scope::Types, &fname, false);
            field_init(&fname, &input)
        } else {
            quote!(#fname: None)
        }
    });
    let too_many =
        if required.len() > MAX_ARGS { quote!(#[allow(clippy::too_many_arguments)]) } else { TokenStream::new() };
    let mut new_doc = Doc::new();
    if required.is_empty() {
        new_doc.line(format!("Creates a {} with no field set.", code(&t.name)));
    } else {
        let names: Vec<String> = required.iter().map(|f| code(&f.rust_name)).collect();
        new_doc.line(format!("Creates a {} from its required fields ({}).", code(&t.name), names.join(", ")));
    }
    if required.len() < s.fields.len() {
        new_doc.line("Optional fields start unset; set them with the `with_*` methods.");
    }
    let new_doc = new_doc.tokens(ctx.docs);

    let setters = s.fields.iter().filter(|f| !f.required).map(|f| {
        let fname = ident(&f.rust_name);
        let setter = prefixed("with_", &f.rust_name);
        let value = ident("value");
        let input = input(f, ctx.boxing.is_boxed(&t.name, &f.rust_name), Scope::Types, &value, true);
        let (ty, convert) = (input.arg_ty, input.convert);
        let mut doc = Doc::new();
        doc.line(format!("Sets {} (see the field's documentation).", code(&f.wire_name)));
        let doc = doc.tokens(ctx.docs);
        let deprecated = deprecated_attr(f.deprecated);
        quote! {
            #doc
            #deprecated
            pub fn #setter(mut self, #value: #ty) -> Self {
                self.#fname = #convert;
                self
            }
        }
    });

    let checks = s.fields.iter().map(|f| {
        let fname = ident(&f.rust_name);
        field_checks(ctx, &f.wire_name, f, quote!(self.#fname))
    });
    let validate = if ctx.is_validated(&TypeRef::Named(t.name.clone())) {
        validate_impl(&name, quote!(#(#checks)*))
    } else {
        TokenStream::new()
    };

    quote! {
        #definition

        impl #name {
            #new_doc
            #too_many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits),* }
            }

            #(#setters)*
        }

        #validate
    }
}

/// A oneOf: an untagged enum with one variant per alternative and a catch-all holding any other
/// JSON, so a shape the spec does not list still decodes.
fn emit_one_of(ctx: &Ctx<'_>, t: &TypeDef, o: &OneOfDef) -> TokenStream {
    let name = ident(&t.name);
    let doc = type_doc(t).tokens(ctx.docs);
    let deprecated = deprecated_attr(t.deprecated);
    let catch_all = one_of_catch_all(o);
    let (serde_derive, other_serde) = ctx.serde_derives(&t.name);
    let catch_ident = ident(&catch_all);

    let variants = o.variants.iter().map(|v| {
        let vname = ident(&v.name);
        let mut ty = rust_type(&v.ty, Scope::Types);
        if ctx.boxing.is_boxed(&t.name, &v.name) {
            ty = quote!(Box<#ty>);
        }
        let mut doc = Doc::new();
        doc.line(format!("{}.", describe(&v.ty)));
        let doc = doc.tokens(ctx.docs);
        quote!(#doc #vname(#ty),)
    });

    // A variant's value sits at the oneOf's own path, so it is checked in place (a
    // `v.nested("", ..)` would add an empty path segment). Only named structs and oneOfs have
    // anything to check: the spec states no constraints on an alternative itself.
    let arms = o.variants.iter().filter(|v| ctx.is_validated(&v.ty)).map(|v| {
        let vname = ident(&v.name);
        (quote!(Self::#vname(value)), quote!(rt::Validate::validate(value, v)))
    });
    let arms: Vec<_> = arms.collect();
    let body = if arms.is_empty() {
        TokenStream::new()
    } else if arms.len() == 1 {
        // One arm and a wildcard is clippy::single_match.
        let (pattern, call) = &arms[0];
        quote!(if let #pattern = self { #call; })
    } else {
        let arms = arms.iter().map(|(pattern, call)| quote!(#pattern => #call,));
        quote! {
            match self {
                #(#arms)*
                _ => {}
            }
        }
    };
    let validate =
        if ctx.is_validated(&TypeRef::Named(t.name.clone())) { validate_impl(&name, body) } else { TokenStream::new() };

    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, #serde_derive)]
        #other_serde
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// Any other JSON value (a shape this version of the SDK does not know).
            #catch_ident(serde_json::Value),
        }

        #validate
    }
}

/// The catch-all variant's name: `Other`, unless a variant already has it.
pub(crate) fn one_of_catch_all(o: &OneOfDef) -> String {
    let taken = |name: &str| o.variants.iter().any(|v| v.name == name);
    let mut name = "Other".to_owned();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("Other{n}");
    }
    name
}

/// A short phrase for a type (`A string`, `A list of `Foo``), for generated docs.
pub(crate) fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String { .. } => "A string".to_owned(),
        TypeRef::Integer { .. } => "An integer".to_owned(),
        TypeRef::Number { .. } => "A number".to_owned(),
        TypeRef::Boolean => "A boolean".to_owned(),
        TypeRef::Array(item) => format!("A list of: {}", lower_first(&describe(item))),
        TypeRef::Map(value) => format!("A map from strings to: {}", lower_first(&describe(value))),
        TypeRef::Any => "Any JSON value".to_owned(),
        TypeRef::Named(name) => format!("A {}", code(name)),
    }
}

fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::serde_name;

    #[test]
    fn serde_names_follow_serdes_camel_case_rule() {
        let camel = |name: &str| serde_name(name, true);
        assert_eq!(camel("user_id_type"), "userIdType");
        assert_eq!(camel("app_ids"), "appIds");
        assert_eq!(camel("id"), "id");
        assert_eq!(camel("type_"), "type", "a trailing `_` (a keyword escaped) is dropped");
        assert_eq!(camel("r#type"), "type");
        assert_eq!(camel("_private"), "private");
        assert_eq!(camel("a_1"), "a1");
        assert_eq!(serde_name("r#type", false), "type");
        assert_eq!(serde_name("user_id", false), "user_id");
    }
}
