//! The Rust emitter: model -> the sdk crate's `src/generated/` folder.
//!
//! A folder per kind, a file per API group, so that each group is a Cargo feature (`layout`
//! decides where each item goes): `mod.rs` (declares the two folders), `operations/mod.rs` and
//! `types/mod.rs` (the gated modules and their re-exports), `operations/<group>.rs` (one client
//! method and one request builder per [`Operation`]), `types/<group>.rs` (the [`TypeDef`]s only
//! that group reaches) and `types/shared.rs` (those several groups reach, each gated by all of
//! their features). Code is built as token streams with `quote`, parsed back with `syn` and
//! printed with `prettyplease`, so what is written is always syntactically valid and formatted
//! the same way on every run; the files are built on every core (`Facts` is what they share,
//! `Ctx` what one file is built with). Blank lines set items apart (`spacing`). Doc comments, most of the text, skip that round trip:
//! each block is one marker while the file is formatted and its lines are put back afterwards
//! (`doc::spliced`, through the file's `doc::SetAside`), as prettyplease would print them.
//!
//! The generated code is written against the crate-private API in the sdk's
//! `runtime/generated_api.rs` (`ApiRequest`, `Call`, `request_builders!`, `to_json`,
//! `path_segment`, `Validate`, `Violations`, `open_enum!`), imported as `rt`, never against HTTP
//! or JSON plumbing directly.
//!
//! Submodules, one job each:
//! - `layout`: which file each operation and type goes to, and the features that gate it;
//! - `names`: identifiers and literals;
//! - `doc`: rustdoc text (spec prose made safe, generated sentences);
//! - `tyref`: type references as Rust types and argument conversions;
//! - `cycles`: which fields need a `Box`;
//! - `validate`: the constraint checks;
//! - `types`, `enums`: the types (structs, `oneOf`s, open enums);
//! - `operations`: the client methods and request builders;
//! - `paginate`: the paginators of paged operations (`into_paginator` and the `Paged` impl);
//! - `spacing`: blank lines between items, which `prettyplease` does not write.
//!
//! [`TypeDef`]: crate::model::TypeDef
//! [`Operation`]: crate::model::Operation

pub(crate) mod cycles;
pub(crate) mod doc;
pub(crate) mod enums;
pub(crate) mod layout;
pub(crate) mod names;
pub(crate) mod operations;
pub(crate) mod paginate;
mod spacing;
pub(crate) mod types;
pub(crate) mod tyref;
pub(crate) mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::BTreeMap;

use crate::emit::sample::Samples;
use crate::model::direction::{Direction, direction_of};
use crate::model::{Api, TypeRef};
use crate::{GeneratedFile, Options};
use layout::{GroupModule, Layout};

/// Folder the files go to, relative to the workspace root.
pub const OUTPUT_DIR: &str = "sdk/src/generated";

/// What every part of the emitter needs: the model and the facts derived from it once, shared by
/// the threads that build the files.
pub(crate) struct Facts<'a> {
    /// The model.
    pub(crate) api: &'a Api,
    /// Fields and variants that must be boxed.
    pub(crate) boxing: cycles::Boxing,
    /// Which types are inputs, outputs or both.
    directions: BTreeMap<&'a str, Direction>,
    /// The types that have something to check (see [`validate::checked_types`]).
    checked: std::collections::BTreeSet<&'a str>,
    /// The operations' samples, shared with the docs emitter.
    pub(crate) samples: &'a Samples<'a>,
}

impl<'a> Facts<'a> {
    fn new(api: &'a Api, samples: &'a Samples<'a>) -> Self {
        let directions = crate::model::direction::directions(api);
        let checked = validate::checked_types(api, |name| direction_of(&directions, name).is_built());
        Facts { api, boxing: cycles::Boxing::compute(api), directions, checked, samples }
    }

    /// True when users build values of the type called `name` (it is an input): only then does
    /// it get a constructor, setters and checks. Response-only types are decoded, never built.
    pub(crate) fn is_built(&self, name: &str) -> bool {
        direction_of(&self.directions, name).is_built()
    }

    /// The `data` field of `t` when `t` is the API's response envelope, written as an alias of
    /// the runtime's `Envelope<T>` ([`crate::model::envelope::envelope_data`]).
    pub(crate) fn envelope_data<'t>(&self, t: &'t crate::model::TypeDef) -> Option<&'t crate::model::Field> {
        crate::model::envelope::envelope_data(t, direction_of(&self.directions, &t.name))
    }

    /// The serde derives of the type called `name` (and the attribute adding the rest), by the way
    /// it travels ([`Direction::serde_traits`]); the other direction behind the `full-serde`
    /// feature. Derives are most of the crate's compile time, and half of them served no request
    /// or response.
    pub(crate) fn serde_derives(&self, name: &str) -> (TokenStream, TokenStream) {
        let traits = direction_of(&self.directions, name).serde_traits();
        let path = |name: &&str| {
            let name = quote::format_ident!("{name}");
            quote!(serde::#name)
        };
        let derived = traits.iter().map(path);
        let others: Vec<TokenStream> =
            ["Serialize", "Deserialize"].iter().filter(|t| !traits.contains(t)).map(path).collect();
        let other = if others.is_empty() {
            TokenStream::new()
        } else {
            quote!(#[cfg_attr(feature = "full-serde", derive(#(#others),*))])
        };
        (quote!(#(#derived),*), other)
    }

    /// True when values of `ty` implement `Validate` (input structs and oneOfs with something to
    /// check).
    pub(crate) fn is_validated(&self, ty: &TypeRef) -> bool {
        validate::type_is_validated(self, ty)
    }
}

/// The context of one file being built: the shared [`Facts`] (which it dereferences to) and where
/// the file's doc comments go ([`doc::spliced`]).
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    facts: &'a Facts<'a>,
    /// The file's doc blocks, given to every [`doc::Doc::tokens`].
    pub(crate) docs: &'a doc::SetAside,
}

impl<'a> std::ops::Deref for Ctx<'a> {
    type Target = Facts<'a>;
    fn deref(&self) -> &Facts<'a> {
        self.facts
    }
}

/// One generated file, built and formatted on whichever thread takes it.
enum Unit<'l, 'a> {
    /// `mod.rs`: the two folders.
    Root,
    /// `operations/mod.rs`: a feature-gated module per group, re-exported.
    OperationsIndex,
    /// `types/mod.rs`: the same for the groups' types, and the shared types.
    TypesIndex,
    /// `operations/<group>.rs`.
    Operations(&'l GroupModule<'a>),
    /// `types/<group>.rs`.
    Types(&'l GroupModule<'a>),
    /// `types/shared.rs`.
    Shared,
}

impl Unit<'_, '_> {
    /// A rough measure of the unit's work: the operations and types it writes (an index counts
    /// as one). The sort by it is stable, so equal weights keep their order.
    fn weight(&self, layout: &Layout<'_>) -> usize {
        match self {
            Unit::Root | Unit::OperationsIndex | Unit::TypesIndex => 1,
            Unit::Operations(group) => group.operations.len(),
            Unit::Types(group) => group.types.len(),
            Unit::Shared => layout.shared.len(),
        }
    }
}

/// Emits the sdk's generated Rust files, sorted by path.
pub fn emit(api: &Api, options: &Options) -> Vec<GeneratedFile> {
    emit_with(api, options, &Samples::new(api))
}

/// [`emit`], taking the operations' samples from `samples` (which the docs emitter shares).
pub fn emit_with<'a>(api: &'a Api, options: &Options, samples: &'a Samples<'a>) -> Vec<GeneratedFile> {
    let facts = Facts::new(api, samples);
    let layout = Layout::new(api);
    let header = super::header_text(&options.spec_path);
    let title = doc::sanitize(&api.title).join(" ");
    let title = if title.is_empty() { "the API".to_owned() } else { title };

    let mut units = vec![Unit::Root, Unit::OperationsIndex, Unit::TypesIndex];
    for group in &layout.groups {
        units.push(Unit::Operations(group));
        if !group.types.is_empty() {
            units.push(Unit::Types(group));
        }
    }
    if !layout.shared.is_empty() {
        units.push(Unit::Shared);
    }
    // The largest files first, so that no thread starts a large one while the others are done
    // (files are sorted by path at the end, so the order of work does not show in the output).
    units.sort_by_key(|unit| std::cmp::Reverse(unit.weight(&layout)));
    // Formatting is most of the emitter's time and the files are independent, so they are built
    // and formatted on every core. Token streams are not `Send`, so each thread builds the tokens
    // of the files it takes; each file depends only on the model, so the output is the same as a
    // sequential run's.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = crate::threads::worker_threads().min(units.len()).max(1);
    let mut files: Vec<GeneratedFile> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(unit) = units.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                        done.push(unit_file(&facts, &layout, unit, &header, &title));
                    }
                    done
                })
            })
            .collect();
        workers.into_iter().flat_map(crate::threads::joined).collect()
    });
    files.sort();
    files
}

/// The file of one unit.
fn unit_file(facts: &Facts<'_>, layout: &Layout<'_>, unit: &Unit<'_, '_>, header: &str, title: &str) -> GeneratedFile {
    let name = match unit {
        Unit::Root => "mod.rs".to_owned(),
        Unit::OperationsIndex => "operations/mod.rs".to_owned(),
        Unit::TypesIndex => "types/mod.rs".to_owned(),
        Unit::Operations(group) => format!("operations/{}.rs", group.module),
        Unit::Types(group) => format!("types/{}.rs", group.module),
        Unit::Shared => "types/shared.rs".to_owned(),
    };
    let contents = doc::spliced(|docs| {
        let ctx = &Ctx { facts, docs };
        unit_contents(ctx, layout, unit, header, title)
    });
    GeneratedFile { path: format!("{OUTPUT_DIR}/{name}"), contents }
}

/// The printed contents of one unit.
fn unit_contents(ctx: &Ctx<'_>, layout: &Layout<'_>, unit: &Unit<'_, '_>, header: &str, title: &str) -> String {
    match unit {
        Unit::Root => render(header, root_file()),
        Unit::OperationsIndex => render(header, operations_index(ctx, layout, title)),
        Unit::TypesIndex => render(header, types_index(ctx, layout, title)),
        Unit::Operations(group) => {
            let ops = operations::emit_group(ctx, &group.operations);
            let doc = group_doc(ctx, group, "The operations of");
            let rt = rt_import();
            let types = if group.operations.iter().any(|op| names_a_type(op)) {
                quote!(
                    use crate::types;
                )
            } else {
                TokenStream::new()
            };
            render(header, quote!(#doc #![allow(deprecated)] #rt #types #ops))
        }
        Unit::Types(group) => {
            let types = group.types.iter().map(|t| types::emit_type(ctx, t));
            let doc = group_doc(ctx, group, "The types only the operations of");
            let shared = if group.names_shared_types() {
                quote!(
                    use super::*;
                )
            } else {
                TokenStream::new()
            };
            let rt = if group.types.iter().any(|t| uses_runtime(ctx, t)) { rt_import() } else { TokenStream::new() };
            render(header, quote!(#doc #![allow(deprecated)] #shared #rt #(#types)*))
        }
        Unit::Shared => render_shared(ctx, layout, header),
    }
}

/// The import of the runtime's `generated_api` module in every generated file that calls it, so
/// generated code writes `rt::ApiRequest`, `rt::Validate`, `rt::open_enum!`.
fn rt_import() -> TokenStream {
    quote!(
        use crate::runtime::generated_api as rt;
    )
}

/// Whether an operation's code names a generated type (`types::Name`): its response or an input.
fn names_a_type(op: &crate::model::Operation) -> bool {
    fn named(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => named(inner),
            _ => false,
        }
    }
    let (mut inputs, output) = crate::model::reach::roots(op);
    inputs.any(named) || output.is_some_and(named)
}

/// Whether a type's items call the runtime: an open enum's macro, a `Validate` impl.
fn uses_runtime(ctx: &Ctx<'_>, t: &crate::model::TypeDef) -> bool {
    matches!(t.kind, crate::model::TypeKind::Enum(_)) || ctx.is_validated(&TypeRef::Named(t.name.clone()))
}

/// `mod.rs`: the two folders, left alone by rustfmt.
fn root_file() -> TokenStream {
    quote! {
        #![doc = " Code generated from the API spec: request and response types, and one request"]
        #![doc = " builder per operation, in a module per API group (each a Cargo feature)."]
        // prettyplease and rustfmt break long lines differently, so rustfmt is told to leave the
        // generated files alone (`cargo fmt --check` stays meaningful for hand-written code).
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod types;
    }
}

/// The inner doc of a group's file: what it holds and which feature compiles it.
fn group_doc(ctx: &Ctx<'_>, group: &GroupModule<'_>, holds: &str) -> TokenStream {
    let name = group.group.name.en.as_deref().or(group.group.name.zh.as_deref()).unwrap_or(&group.group.slug);
    doc::Doc::new()
        .line(format!(
            "{holds} the {} group, compiled with the Cargo feature {}.",
            doc::sanitize(name).join(" "),
            doc::code(&group.feature)
        ))
        .tokens_inner(ctx.docs)
}

/// A gated `mod` declaration and its glob re-export, one per group.
fn gated_modules<'l>(groups: impl Iterator<Item = &'l GroupModule<'l>>) -> TokenStream {
    let items = groups.map(|group| {
        let module = names::ident(&group.module);
        let cfg = cfg_meta(std::slice::from_ref(&group.feature));
        quote!(#[#cfg] mod #module; #[#cfg] pub use #module::*;)
    });
    quote!(#(#items)*)
}

/// `operations/mod.rs`.
fn operations_index(ctx: &Ctx<'_>, layout: &Layout<'_>, title: &str) -> TokenStream {
    let api = ctx.api;
    let doc = doc::Doc::new()
        .line(format!(
            "Request builders: one per operation of {title}, returned by the methods of {}.",
            clients(api)
        ))
        .line("A method takes the operation's required inputs; the builder it returns takes the optional ones, and `send().await` checks every input against the spec's constraints before anything is sent.")
        .line("Each API group is a module compiled with the Cargo feature of its name (all of them with `full`, the default).")
        .tokens_inner(ctx.docs);
    let modules = gated_modules(layout.groups.iter());
    quote!(#doc #modules)
}

/// The clients the operations hang off, linked: "[`ManagementClient`](crate::ManagementClient)".
fn clients(api: &crate::model::Api) -> String {
    let names: std::collections::BTreeSet<&str> = api.operations.iter().map(|op| op.client.as_str()).collect();
    let names = if names.is_empty() { std::collections::BTreeSet::from([api.client_name.as_str()]) } else { names };
    names.iter().rev().map(|name| format!("[`{name}`](crate::{name})")).collect::<Vec<_>>().join(" and ")
}

/// `types/mod.rs`.
fn types_index(ctx: &Ctx<'_>, layout: &Layout<'_>, title: &str) -> TokenStream {
    let doc = doc::Doc::new()
        .line(format!("Request and response types of {title} {}.", doc::code(&ctx.api.version)))
        .line("Structs are `#[non_exhaustive]`: build them with `new` (the required fields) and the `with_*` methods (the optional ones). String enums are open: values this SDK does not know decode into a catch-all variant instead of failing.")
        .line("A type is compiled when the Cargo feature of any API group that uses it is on.")
        .tokens_inner(ctx.docs);
    let modules = gated_modules(layout.groups.iter().filter(|g| !g.types.is_empty()));
    let shared = if layout.shared.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            mod shared;
            #[allow(unused_imports, reason = "empty when no group that uses a shared type is on")]
            pub use shared::*;
        }
    };
    quote!(#doc #modules #shared)
}

/// `types/shared.rs`: every item of a type carries the `cfg` of the groups that reach it.
fn render_shared(ctx: &Ctx<'_>, layout: &Layout<'_>, header: &str) -> String {
    let doc = doc::Doc::new()
        .line("The types that operations of several API groups reach: each is compiled when the Cargo feature of any of them is on.")
        .tokens_inner(ctx.docs);
    // No `use super::*`: a shared type names only shared types (see
    // `GroupModule::names_shared_types`). The runtime import is unused when no group of a shared
    // type that calls the runtime is on.
    let rt = if layout.shared.iter().any(|t| uses_runtime(ctx, t.def)) {
        let import = rt_import();
        quote!(#[allow(unused_imports, reason = "unused when no shared type is compiled")] #import)
    } else {
        TokenStream::new()
    };
    let mut file: syn::File = parse(quote!(#doc #![allow(deprecated)] #rt));
    for shared in &layout.shared {
        let mut items = parse(types::emit_type(ctx, shared.def)).items;
        if !shared.features.is_empty() {
            let cfg = cfg_meta(&shared.features);
            let attr: syn::Attribute = syn::parse_quote!(#[#cfg]);
            for item in &mut items {
                item_attrs(item).insert(0, attr.clone());
            }
        }
        file.items.extend(items);
    }
    format!("// {header}\n{}", prettyplease::unparse(&file))
}

/// `cfg(feature = "...")`, or `cfg(any(...))` of several features.
fn cfg_meta(features: &[String]) -> TokenStream {
    match features {
        [one] => quote!(cfg(feature = #one)),
        many => quote!(cfg(any(#(feature = #many),*))),
    }
}

/// The attributes of the kinds of item the type emitters write.
fn item_attrs(item: &mut syn::Item) -> &mut Vec<syn::Attribute> {
    match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        other => panic!(
            "genauth-codegen bug: a type emitter wrote an item that cannot be gated: {}",
            quote::ToTokens::to_token_stream(other)
        ),
    }
}

/// Parses and pretty-prints generated tokens. The tokens come from this emitter alone, with
/// every name passed through [`names::ident`] and every text through a string literal, so a
/// parse failure is a bug in the generator, never bad input.
pub(crate) fn render(header: &str, tokens: TokenStream) -> String {
    format!("// {header}\n{}", spacing::spaced(&prettyplease::unparse(&parse(tokens))))
}

/// Generated tokens as a file; see [`render`] for why a failure is a generator bug.
fn parse(tokens: TokenStream) -> syn::File {
    match syn::parse2(tokens) {
        Ok(file) => file,
        Err(e) => panic!("genauth-codegen bug: the Rust emitter produced unparsable tokens: {e}"),
    }
}
