//! The paginator of a paged operation: `into_paginator` on its request builder and the builder's
//! `Paged` impl, which tells the runtime's walker (`sdk/src/runtime/paginate.rs`) where the
//! page number and size go and where a response holds its items. Everything the same for every
//! paged operation (the walk, the stop rules, the streams) lives in the runtime.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::Ctx;
use super::doc::Doc;
use super::names::ident;
use super::tyref::{Scope, is_optional, rust_type};
use crate::model::{Field, PageInput, Pagination, Step, TypeRef};

/// `into_paginator`, for the builder's `impl` block.
pub(crate) fn into_paginator(ctx: &Ctx<'_>, p: &Pagination) -> TokenStream {
    let doc = Doc::new()
        .line("Walks every page of the response instead of one.")
        .line(format!(
            "The walk starts at the page number set on this request (default 1) and asks for the page size set on it (default {}); it sends this request once per page with every other input unchanged, never asks for a page twice, and ends after the last item or with the first error. [`Paginator::items`](crate::Paginator::items) streams the items, [`Paginator::pages`](crate::Paginator::pages) the responses.",
            p.max_limit
        ))
        .tokens(ctx.docs);
    quote! {
        #doc
        pub fn into_paginator(self) -> crate::Paginator<Self> {
            crate::Paginator::new(self)
        }
    }
}

/// The builder's `Paged` impl. `query` names the builder fields of the page number and size when
/// they are query parameters.
pub(crate) fn paged_impl(
    ctx: &Ctx<'_>,
    p: &Pagination,
    builder: &Ident,
    response: &TokenStream,
    query: Option<(Ident, Ident)>,
) -> TokenStream {
    let item = rust_type(&p.item, Scope::Operations);
    let max = proc_macro2::Literal::i64_unsuffixed(p.max_limit);
    let page = ident(&p.page.rust_name);
    let limit = ident(&p.limit.rust_name);
    let cursor = match (&p.input, query) {
        (PageInput::Query, Some((page, limit))) => quote!((&mut self.#page, &mut self.#limit)),
        (PageInput::Body(steps), _) if steps.is_empty() => quote!((&mut self.body.#page, &mut self.body.#limit)),
        (PageInput::Body(steps), _) => {
            let at = body_path(ctx, steps);
            quote! {
                #at
                (&mut at.#page, &mut at.#limit)
            }
        }
        // The emitter found no builder field for a query input (the model guarantees one).
        (PageInput::Query, None) => return TokenStream::new(),
    };
    let parts = parts_body(p);
    quote! {
        impl rt::Paged for #builder {
            type Page = #response;
            type Item = #item;
            const MAX_LIMIT: i64 = #max;
            fn cursor(&mut self) -> rt::Cursor<'_> {
                #cursor
            }
            fn parts(page: &mut Self::Page) -> Option<(Option<i64>, &mut Vec<Self::Item>)> {
                #parts
            }
            fn fetch(self) -> impl Future<Output = Result<Self::Page, crate::Error>> + Send {
                self.send()
            }
        }
    }
}

/// `let at = ...;`: the object holding the page number and size, reached from `self.body`,
/// creating the optional objects on the way (the walk sets both numbers right after).
fn body_path(ctx: &Ctx<'_>, steps: &[Step]) -> TokenStream {
    let mut expr = quote!(self.body);
    let mut is_call = false;
    for step in steps {
        let name = ident(&step.field.rust_name);
        if is_optional(&step.field) {
            let TypeRef::Named(ty) = &step.field.ty else {
                return TokenStream::new();
            };
            let ty = ident(ty);
            let make = if ctx.boxing.is_boxed(&step.owner, &step.field.rust_name) {
                quote!(|| Box::new(types::#ty::new()))
            } else {
                quote!(types::#ty::new)
            };
            expr = quote!(#expr.#name.get_or_insert_with(#make));
            is_call = true;
        } else {
            expr = quote!(#expr.#name);
            is_call = false;
        }
    }
    if is_call { quote!(let at = #expr;) } else { quote!(let at = &mut #expr;) }
}

/// The body of `parts`: the total and the list of one response.
fn parts_body(p: &Pagination) -> TokenStream {
    let mut expr = quote!(page);
    let mut is_call = false;
    for step in &p.parent {
        let name = ident(&step.field.rust_name);
        if is_optional(&step.field) {
            expr = quote!(#expr.#name.as_mut()?);
            is_call = true;
        } else {
            expr = quote!(#expr.#name);
            is_call = false;
        }
    }
    let (binding, data) = match (p.parent.is_empty(), is_call) {
        (true, _) => (TokenStream::new(), quote!(page)),
        (false, true) => (quote!(let data = #expr;), quote!(data)),
        (false, false) => (quote!(let data = &mut #expr;), quote!(data)),
    };
    let total = match &p.total {
        // A `number` total (a spec that does not say integer) is a count all the same.
        Some(t) if matches!(t.ty, TypeRef::Number { .. }) => {
            let value = field_of(&data, t);
            if is_optional(t) { quote!(#value.map(|n| n as i64)) } else { quote!(Some(#value as i64)) }
        }
        Some(t) if is_optional(t) => field_of(&data, t),
        Some(t) => {
            let t = field_of(&data, t);
            quote!(Some(#t))
        }
        None => quote!(None),
    };
    let list = match &p.list {
        Some(l) if is_optional(l) => {
            let l = field_of(&data, l);
            quote!(#l.as_mut()?)
        }
        Some(l) => {
            let l = field_of(&data, l);
            quote!(&mut #l)
        }
        None => data.clone(),
    };
    quote! {
        #binding
        Some((#total, #list))
    }
}

fn field_of(data: &TokenStream, f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    quote!(#data.#name)
}
