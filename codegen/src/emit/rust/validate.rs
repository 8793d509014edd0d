//! The client-side checks: statements calling `crate::runtime::generated_api::Violations` (`rt::` in
//! the generated files), one group per
//! constrained value. Unconstrained values produce nothing, so most types' `validate` is empty.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::names::lit;
use super::tyref::is_optional;
use super::{Ctx, Facts};
use std::collections::BTreeSet;

use crate::model::{Api, Constraints, Field, TypeKind, TypeRef};

/// How the checked value is reached.
#[derive(Clone)]
pub(crate) enum Val {
    /// A place of the value's type (`self.user_id`).
    Place(TokenStream),
    /// A binding holding a reference to the value (`value`, from `if let Some(value) = &...`).
    Ref(Ident),
}

impl Val {
    /// An expression of type `&T`.
    fn reference(&self) -> TokenStream {
        match self {
            Val::Place(p) => quote!(&#p),
            Val::Ref(r) => quote!(#r),
        }
    }

    /// An expression of type `T` (only used for `Copy` numbers).
    fn copied(&self) -> TokenStream {
        match self {
            Val::Place(p) => quote!(#p),
            Val::Ref(r) => quote!(*#r),
        }
    }

    /// An expression to call methods on.
    fn receiver(&self) -> TokenStream {
        match self {
            Val::Place(p) => quote!(#p),
            Val::Ref(r) => quote!(#r),
        }
    }
}

/// Checks for a struct field or parameter stored at `place` (`self.user_id`), reported under
/// `wire`. Optional values are checked only when present.
pub(crate) fn field_checks(ctx: &Ctx<'_>, wire: &str, field: &Field, place: TokenStream) -> TokenStream {
    if is_optional(field) {
        let binding = super::names::ident("value");
        let inner = value_checks(ctx, wire, &field.ty, &field.constraints, &Val::Ref(binding.clone()));
        if inner.is_empty() {
            return inner;
        }
        quote! {
            if let Some(#binding) = &#place {
                #inner
            }
        }
    } else {
        value_checks(ctx, wire, &field.ty, &field.constraints, &Val::Place(place))
    }
}

/// Checks for one value of type `ty` with `constraints`.
pub(crate) fn value_checks(
    ctx: &Ctx<'_>,
    wire: &str,
    ty: &TypeRef,
    constraints: &Constraints,
    val: &Val,
) -> TokenStream {
    let w = lit(wire);
    let mut out = TokenStream::new();
    match ty {
        TypeRef::Array(item) => {
            if constraints.min_items.is_some() || constraints.max_items.is_some() {
                let (min, max) = (opt_u64(constraints.min_items), opt_u64(constraints.max_items));
                let recv = val.receiver();
                out.extend(quote!(v.items(#w, #recv.len(), #min, #max);));
            }
            if ctx.is_validated(item) {
                let r = val.reference();
                out.extend(quote!(v.each(#w, #r);));
            }
        }
        TypeRef::Map(value) => {
            if ctx.is_validated(value) {
                let r = val.reference();
                out.extend(quote!(v.each_value(#w, #r);));
            }
        }
        TypeRef::String { .. } => {
            let r = val.reference();
            if constraints.min_length.is_some() || constraints.max_length.is_some() {
                let (min, max) = (opt_u64(constraints.min_length), opt_u64(constraints.max_length));
                out.extend(quote!(v.length(#w, #r, #min, #max);));
            }
        }
        TypeRef::Integer { .. } | TypeRef::Number { .. } => {
            let (min, max) = (opt_f64(constraints.minimum), opt_f64(constraints.maximum));
            if min.is_some() || max.is_some() {
                let none = quote!(None);
                let (min, max) = (min.unwrap_or_else(|| none.clone()), max.unwrap_or(none));
                let value = val.copied();
                let value = if matches!(ty, TypeRef::Integer { .. }) { quote!(#value as f64) } else { value };
                out.extend(quote!(v.range(#w, #value, #min, #max);));
            }
        }
        TypeRef::Named(_) => {
            if ctx.is_validated(ty) {
                let r = val.reference();
                out.extend(quote!(v.nested(#w, #r);));
            }
        }
        TypeRef::Boolean | TypeRef::Any => {}
    }
    out
}

/// `Some(n)` / `None` for a `u64` bound.
fn opt_u64(n: Option<u64>) -> TokenStream {
    match n {
        Some(n) => {
            let n = Literal::u64_unsuffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

/// `Some(x)` for a finite `f64` bound; `None` when there is no usable bound (a non-finite number
/// cannot be written as a literal, and checks nothing anyway).
fn opt_f64(n: Option<f64>) -> Option<TokenStream> {
    let n = n.filter(|n| n.is_finite())?;
    let abs = Literal::f64_unsuffixed(n.abs());
    Some(if n.is_sign_negative() && n != 0.0 { quote!(Some(-#abs)) } else { quote!(Some(#abs)) })
}

/// `impl Validate for #name { ... }` with `body` as the checks.
pub(crate) fn validate_impl(name: &Ident, body: TokenStream) -> TokenStream {
    let param = if body.is_empty() { quote!(_v) } else { quote!(v) };
    quote! {
        impl rt::Validate for #name {
            fn validate(&self, #param: &mut rt::Violations) {
                #body
            }
        }
    }
}

/// True when values of `ty` have a `validate` to call: see [`checked_types`].
pub(crate) fn type_is_validated(facts: &Facts<'_>, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name) if facts.checked.contains(name.as_str()))
}

/// The input types (`built`) whose values have something to check: a field with a constraint
/// [`value_checks`] enforces, or a field, item, map value or oneOf variant of such a type. Only
/// these get a `Validate` impl; a type with nothing to check anywhere below it gets none, and
/// nothing calls it. Found by fixpoint, so recursive types are covered.
pub(crate) fn checked_types(api: &Api, built: impl Fn(&str) -> bool) -> BTreeSet<&str> {
    let mut checked = BTreeSet::new();
    loop {
        let before = checked.len();
        for t in &api.types {
            if checked.contains(t.name.as_str()) || !built(&t.name) {
                continue;
            }
            let has_checks = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| is_checked(&f.ty, &f.constraints, &checked)),
                TypeKind::OneOf(o) => o.variants.iter().any(|v| is_checked(&v.ty, &Constraints::default(), &checked)),
                TypeKind::Enum(_) => false,
            };
            if has_checks {
                checked.insert(t.name.as_str());
            }
        }
        if checked.len() == before {
            return checked;
        }
    }
}

/// Whether [`value_checks`] writes anything for a value of `ty` with `c`, given the named types
/// known to be checked so far.
fn is_checked(ty: &TypeRef, c: &Constraints, checked: &BTreeSet<&str>) -> bool {
    let named = |ty: &TypeRef| matches!(ty, TypeRef::Named(name) if checked.contains(name.as_str()));
    let finite = |n: Option<f64>| n.is_some_and(f64::is_finite);
    match ty {
        TypeRef::Array(item) => c.min_items.is_some() || c.max_items.is_some() || named(item),
        TypeRef::Map(value) => named(value),
        TypeRef::String { .. } => c.min_length.is_some() || c.max_length.is_some(),
        TypeRef::Integer { .. } | TypeRef::Number { .. } => finite(c.minimum) || finite(c.maximum),
        TypeRef::Named(_) => named(ty),
        TypeRef::Boolean | TypeRef::Any => false,
    }
}
