#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod generated;
mod runtime;

/// Walking every page of a paged operation: the [`Paginator`] a paged request builder's
/// `into_paginator` returns, its [`PageStream`]s, and the traits the generated builders
/// implement for it.
pub mod pagination {
    pub use crate::runtime::paginate::{Cursor, PageField, PageStream, Paged, Paginator};
}

// The repository README's Rust code is compiled as doctests too, so the front page cannot show
// code that does not build (its examples call operations of the `users`, `sign-in` and `profile`
// groups, so they need both APIs: `full`, which every generated feature set has, unlike a group;
// and the token verifier, `oidc`). This crate's own
// README is the crate documentation above, doctested as such.
#[cfg(all(doctest, feature = "full", feature = "oidc"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub use generated::{operations, types};
pub use runtime::authentication::{
    AuthenticationClient, AuthenticationConfig, AuthenticationConfigBuilder, ClientAuth,
};
pub use runtime::call_options::CallOptions;
pub use runtime::client::ManagementClient;
pub use runtime::config::{
    AuthScheme, Brand, Config, ConfigBuilder, DEADLINE_MULTIPLE, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, Lang,
};
pub use runtime::error::{
    ApiError, AuthError, ConfigError, DecodeError, Error, HttpError, SubscribeError, SubscribeErrorKind,
};
pub use runtime::events::{DEFAULT_EVENT_SOURCE, PublishRequest, Published};
#[cfg(feature = "subscribe")]
pub use runtime::events::{
    DEFAULT_MAX_MESSAGE_BYTES, Event, EventEnvelope, ReconnectPolicy, SubscribeOptions, Subscription,
};
pub use runtime::metadata::ResponseMetadata;
#[cfg(feature = "oidc")]
pub use runtime::oidc;
pub use runtime::paginate::{PageStream, Paginator};
#[cfg(feature = "axum")]
pub use runtime::resource_server;
pub use runtime::response_envelope::Envelope;
pub use runtime::retry::RetryPolicy;
pub use runtime::validation::{Rule, ValidationError, Violation};
