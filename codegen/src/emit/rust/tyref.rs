//! Model type references as Rust types, and how a value of one is accepted as an argument.
//!
//! Prelude names are written bare (`Option<String>`, `Vec<T>`, `impl Into<T>`) and the rest by
//! their crate path (`serde_json::Value`, `std::collections::BTreeMap`): the model reserves every
//! such name (`naming::RESERVED_TYPE_NAMES`), so a spec type called `Option` or `Into` is renamed
//! and generated code means the same thing whatever the spec names its types.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::names::ident;
use crate::model::{Field, TypeRef};

/// Where the code naming a type lives, which decides how a named type is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Inside the types' files: the bare name.
    Types,
    /// Inside the operations' files, which import `crate::types`: `types::Name`.
    Operations,
}

/// The Rust type of `ty`.
pub(crate) fn rust_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String { .. } => quote!(String),
        TypeRef::Integer { .. } => quote!(i64),
        TypeRef::Number { .. } => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(item) => {
            let item = rust_type(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Any => quote!(serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Operations => quote!(types::#name),
            }
        }
    }
}

/// True when a field is stored as an `Option` (not required, or `null` allowed).
pub(crate) fn is_optional(field: &Field) -> bool {
    !field.required || field.nullable
}

/// The type a field is stored as: its Rust type, boxed when `boxed`, in an `Option` when
/// [`is_optional`].
pub(crate) fn stored_type(field: &Field, boxed: bool, scope: Scope) -> TokenStream {
    let mut ty = rust_type(&field.ty, scope);
    if boxed {
        ty = quote!(Box<#ty>);
    }
    if is_optional(field) {
        ty = quote!(Option<#ty>);
    }
    ty
}

/// How a value for a field is taken as a method argument.
pub(crate) struct Input {
    /// The argument's type (`impl Into<String>`, `bool`, ...).
    pub(crate) arg_ty: TokenStream,
    /// Expression turning the argument into the stored value.
    pub(crate) convert: TokenStream,
    /// True when `convert` is the argument itself (so a struct literal can use the shorthand
    /// `name` instead of `name: name`, which clippy flags).
    pub(crate) is_identity: bool,
}

/// The argument for a field: for a required field the value itself, for a setter
/// (`setter == true`) the value that goes into the `Some`. Strings, named types and free-form
/// values take `impl Into<_>`, lists of those `impl IntoIterator<Item = impl Into<_>>`; numbers,
/// booleans and other collections their own type (so literals infer). A required field that may be
/// `null` takes the `Option` itself.
pub(crate) fn input(field: &Field, boxed: bool, scope: Scope, arg: &Ident, setter: bool) -> Input {
    let base = rust_type(&field.ty, scope);
    if !setter && field.nullable {
        let convert = if boxed { quote!(#arg.map(Box::new)) } else { quote!(#arg) };
        return Input { arg_ty: quote!(Option<#base>), convert, is_identity: !boxed };
    }
    let (arg_ty, mut convert, mut is_identity) = match &field.ty {
        TypeRef::String { .. } | TypeRef::Named(_) | TypeRef::Any => {
            (quote!(impl Into<#base>), quote!(#arg.into()), false)
        }
        TypeRef::Array(item) if matches!(**item, TypeRef::String { .. } | TypeRef::Named(_)) => {
            let item = rust_type(item, scope);
            (
                quote!(impl IntoIterator<Item = impl Into<#item>>),
                quote!(#arg.into_iter().map(Into::into).collect()),
                false,
            )
        }
        _ => (base, quote!(#arg), true),
    };
    if boxed {
        convert = quote!(Box::new(#convert));
        is_identity = false;
    }
    if setter || is_optional(field) {
        convert = quote!(Some(#convert));
        is_identity = false;
    }
    Input { arg_ty, convert, is_identity }
}

/// `name: value` for a struct literal, or the shorthand `name` when the value is the argument of
/// the same name.
pub(crate) fn field_init(name: &Ident, input: &Input) -> TokenStream {
    if input.is_identity {
        quote!(#name)
    } else {
        let convert = &input.convert;
        quote!(#name: #convert)
    }
}
