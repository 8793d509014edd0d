//! The Rust emitter: model -> the sdk crate's `src/generated/` folder.
//!
//! Three files: `mod.rs` (declares the other two), `types.rs` (every [`TypeDef`]) and
//! `operations.rs` (one client method and one request builder per [`Operation`]). Code is built
//! as token streams with `quote`, parsed back with `syn` and printed with `prettyplease`, so what
//! is written is always syntactically valid and formatted the same way on every run.
//!
//! The generated code is written against the crate-private API in the sdk's
//! `runtime/support.rs` (`ApiRequest`, `to_json`, `path_segment`, `Validate`, `Violations`,
//! `open_enum_impls!`), never against HTTP or JSON plumbing directly.
//!
//! Submodules, one job each:
//! - `names`: identifiers and literals;
//! - `doc`: rustdoc text (spec prose made safe, generated sentences);
//! - `tyref`: type references as Rust types and argument conversions;
//! - `cycles`: which fields need a `Box`;
//! - `validate`: the constraint checks;
//! - `types`, `enums`: `types.rs`;
//! - `operations`: `operations.rs`;
//! - `paginate`: the paginators of paged operations (`into_paginator` and the `Paged` impl).
//!
//! [`TypeDef`]: crate::model::TypeDef
//! [`Operation`]: crate::model::Operation

pub(crate) mod cycles;
pub(crate) mod doc;
pub(crate) mod enums;
pub(crate) mod names;
pub(crate) mod operations;
pub(crate) mod paginate;
pub(crate) mod types;
pub(crate) mod tyref;
pub(crate) mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeMap;

use crate::model::direction::Direction;
use crate::model::{Api, TypeRef};
use crate::{GeneratedFile, Options};

/// Folder the files go to, relative to the workspace root.
pub const OUTPUT_DIR: &str = "sdk/src/generated";

/// What every part of the emitter needs: the model and the facts derived from it once.
pub(crate) struct Ctx<'a> {
    /// The model.
    pub(crate) api: &'a Api,
    /// Fields and variants that must be boxed.
    pub(crate) boxing: cycles::Boxing,
    /// Which types are inputs, outputs or both.
    directions: BTreeMap<&'a str, Direction>,
}

impl<'a> Ctx<'a> {
    fn new(api: &'a Api) -> Self {
        Ctx { api, boxing: cycles::Boxing::compute(api), directions: crate::model::direction::directions(api) }
    }

    /// True when users build values of the type called `name` (it is an input): only then does
    /// it get a constructor, setters and checks. Response-only types are decoded, never built.
    pub(crate) fn is_built(&self, name: &str) -> bool {
        self.directions.get(name).copied().unwrap_or_default().is_built()
    }

    /// True when values of `ty` implement `Validate` (named structs and oneOfs).
    pub(crate) fn is_validated(&self, ty: &TypeRef) -> bool {
        validate::type_is_validated(self, ty)
    }
}

/// Emits the sdk's generated Rust files, sorted by path.
pub fn emit(api: &Api, options: &Options) -> Vec<GeneratedFile> {
    let ctx = Ctx::new(api);
    let header = super::header_text(&options.spec_path);
    let title = doc::sanitize(&api.title).join(" ");
    let title = if title.is_empty() { "the API".to_owned() } else { title };

    let mod_rs = quote! {
        #![doc = " Code generated from the API spec: request and response types, and one request"]
        #![doc = " builder per operation."]
        // prettyplease and rustfmt break long lines differently, so rustfmt is told to leave the
        // generated files alone (`cargo fmt --check` stays meaningful for hand-written code).
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod types;
    };
    // The two big files are built and formatted on their own threads: formatting is most of the
    // emitter's time and the files are independent, so this nearly halves it on two cores. Token
    // streams are not `Send`, so each thread builds its own; each file depends only on the model,
    // so the output is the same as a sequential run.
    let (types_rs, ops_rs) = std::thread::scope(|scope| {
        let types = scope.spawn(|| render(&header, types_file(&ctx, &title)));
        let ops = render(&header, operations_file(&ctx, &title));
        (types.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), ops)
    });

    let mut files = vec![
        file(&header, "mod.rs", mod_rs),
        GeneratedFile { path: format!("{OUTPUT_DIR}/operations.rs"), contents: ops_rs },
        GeneratedFile { path: format!("{OUTPUT_DIR}/types.rs"), contents: types_rs },
    ];
    files.sort();
    files
}

/// The tokens of `types.rs`.
fn types_file(ctx: &Ctx<'_>, title: &str) -> TokenStream {
    let api = ctx.api;
    let types_doc = doc::Doc::new()
        .line(format!("Request and response types of {title} {}.", doc::code(&api.version)))
        .line("Structs are `#[non_exhaustive]`: build them with `new` (the required fields) and the `with_*` methods (the optional ones). String enums are open: values this SDK does not know decode into a catch-all variant instead of failing.")
        .tokens_inner();
    let types_items = types::emit_all(ctx);
    quote! {
        #types_doc
        // Generated code refers to deprecated types and fields itself; users still get the
        // warnings where *they* use them.
        #![allow(deprecated)]
        #types_items
    }
}

/// The tokens of `operations.rs`.
fn operations_file(ctx: &Ctx<'_>, title: &str) -> TokenStream {
    let api = ctx.api;
    let ops_doc = doc::Doc::new()
        .line(format!(
            "Request builders: one per operation of {title}, returned by the methods of [`{}`](crate::{}).",
            api.client_name, api.client_name
        ))
        .line("A method takes the operation's required inputs; the builder it returns takes the optional ones, and `send().await` checks every input against the spec's constraints before anything is sent.")
        .tokens_inner();
    let ops_items = operations::emit_all(ctx);
    quote! {
        #ops_doc
        #![allow(deprecated)]
        #ops_items
    }
}

/// Formats `tokens` as a file under [`OUTPUT_DIR`], header comment first.
fn file(header: &str, name: &str, tokens: TokenStream) -> GeneratedFile {
    GeneratedFile { path: format!("{OUTPUT_DIR}/{name}"), contents: render(header, tokens) }
}

/// Parses and pretty-prints generated tokens. The tokens come from this emitter alone, with
/// every name passed through [`names::ident`] and every text through a string literal, so a
/// parse failure is a bug in the generator, never bad input.
pub(crate) fn render(header: &str, tokens: TokenStream) -> String {
    let file: syn::File = match syn::parse2(tokens) {
        Ok(file) => file,
        Err(e) => panic!("genauth-codegen bug: the Rust emitter produced unparsable tokens: {e}"),
    };
    format!("// {header}\n{}", prettyplease::unparse(&file))
}
