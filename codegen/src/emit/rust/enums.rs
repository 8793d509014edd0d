//! String enums, emitted open: every known value is a variant, and anything else the server
//! sends decodes into the catch-all variant verbatim (and encodes back unchanged), so a value
//! added to the API later never breaks decoding. The enum and its variants' docs are written here;
//! everything that is the same for every enum (`KNOWN_VALUES`, `as_str`, serde, `Display`,
//! `FromStr`) comes from `crate::runtime::generated_api::open_enum!` (`rt::open_enum!`), given the wire value of each
//! variant.

use proc_macro2::TokenStream;
use quote::quote;

use super::Ctx;
use super::doc::{Doc, code, deprecated_attr, sanitize, type_doc};
use super::names::{ident, lit};
use crate::model::{EnumDef, Lang, TypeDef};

/// One open enum with its inherent functions and trait impls.
pub(crate) fn emit_enum(ctx: &Ctx<'_>, t: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&t.name);
    let catch = ident(&e.catch_all);
    let mut doc = type_doc(t);
    doc.line(format!(
        "Open: a value this version of the SDK does not know decodes into {} and is sent back unchanged.",
        code(&format!("{}::{}", t.name, e.catch_all))
    ));
    let doc = doc.tokens(ctx.docs);
    let deprecated = deprecated_attr(t.deprecated);

    let variants = e.values.iter().map(|v| {
        let vname = ident(&v.variant);
        let mut doc = Doc::new();
        // The wire value first, then its meaning: `user_id`: Authing user ID.
        let mut lines = match v.description.get(Lang::En) {
            Some(text) => sanitize(text),
            None => Vec::new(),
        };
        match lines.first_mut() {
            Some(first) => *first = format!("{}: {first}", code(&v.wire)),
            None => lines.push(format!("The value {}.", code(&v.wire))),
        }
        doc.para(lines);
        if let (Some(_), Some(zh)) = (v.description.exact(Lang::En), v.description.exact(Lang::Zh))
            && v.description.exact(Lang::En) != Some(zh)
        {
            doc.para(sanitize(zh));
        }
        let doc = doc.tokens(ctx.docs);
        quote!(#doc #vname,)
    });

    // The runtime's macro assumes the usual catch-all name when none is given.
    let catch_arg = if e.catch_all == "UnknownValue" { TokenStream::new() } else { quote!(#catch,) };
    let wires = e.values.iter().map(|v| {
        let vname = ident(&v.variant);
        let wire = lit(&v.wire);
        quote!(#vname(#wire))
    });

    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the SDK does not know, kept verbatim.
            #catch(String),
        }
        rt::open_enum!(#name, #catch_arg [#(#wires),*]);
    }
}
