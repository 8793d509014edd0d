//! Rust SDK for the GenAuth (formerly Authing) V3 Management API.
//!
//! # Quick start
//!
//! ```no_run
//! # async fn run() -> Result<(), genauth::Error> {
//! use genauth::{Brand, Config, ManagementClient};
//!
//! // From GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET and the optional GENAUTH_* variables...
//! let client = ManagementClient::from_env()?;
//! // ...or explicitly.
//! let client = ManagementClient::new(
//!     Config::builder()
//!         .access_key_id("your-access-key-id")
//!         .access_key_secret("your-access-key-secret")
//!         .brand(Brand::GenAuth)
//!         .build()?,
//! )?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
//!
//! Each operation of the API is a method on [`ManagementClient`] that returns a request
//! builder; optional inputs are set on the builder and `.send().await` performs the call.
//! Clients are cheap to clone and share one connection pool and one management token.
//!
//! # Paging
//!
//! The request builder of every paged operation has `into_paginator()`, a [`Paginator`] that
//! sends the request once per page and streams the items ([`Paginator::items`]) or the answers
//! ([`Paginator::pages`]):
//!
//! ```no_run
//! # async fn run(client: genauth::ManagementClient) -> Result<(), genauth::Error> {
//! let mut users = client.list_users().into_paginator().items();
//! while let Some(user) = users.next().await {
//!     println!("{}", user?.user_id);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Authentication
//!
//! * [`AuthScheme::ManagementToken`] (default): the access key is exchanged for a management
//!   token, cached per client, refreshed ahead of its expiry by a single request however many
//!   calls are waiting, and fetched again once if the server rejects it.
//! * [`AuthScheme::Signature`]: every request is signed with HMAC-SHA1 over its method,
//!   headers, path and body fields, with a fresh nonce and date.
//!
//! [`Brand`] selects GenAuth (`https://api.genauth.ai`, `x-genauth-*` headers) or Authing
//! (`https://api.authing.cn`, `x-authing-*`); [`ConfigBuilder::host`] points either at a
//! private deployment.
//!
//! # Events
//!
//! [`ManagementClient::publish`] publishes a custom event; with the `subscribe` feature (on by
//! default), `ManagementClient::subscribe` returns a `Subscription`, a `Stream` of the
//! events of one event code over the event service's WebSocket, reconnecting per its
//! `ReconnectPolicy`.
//!
//! # Errors
//!
//! Every call returns [`Error`]. The API answers almost everything with HTTP 200 and reports
//! failure in the body's `statusCode`; this crate checks it, so a business failure is
//! [`Error::Api`] (with `statusCode`, `apiCode`, message and `requestId`), never an `Ok`.
//! Invalid inputs are [`Error::Validation`] and are not sent. Retries follow the
//! [`RetryPolicy`]: a call that is not idempotent (`POST`) is retried only after failures that
//! provably never reached the API (a connection that could not be made, HTTP 429, HTTP 503); an
//! idempotent one (`GET`, `PUT`, `DELETE`) also after HTTP 502/504, timeouts and connections lost
//! mid-request; business errors never are. [`Error::is_retryable`] and
//! [`Error::is_retryable_if_idempotent`] state the same rule. Each attempt is bounded by the
//! timeout and the whole call by the deadline ([`ConfigBuilder::deadline`]), after which it
//! fails with [`Error::DeadlineExceeded`].
//!
//! # Security
//!
//! TLS certificates are verified unless [`ConfigBuilder::danger_accept_invalid_certs`] is set; a
//! cleartext `http://` host is refused unless it is loopback or
//! [`ConfigBuilder::allow_insecure_http`] is set. Neither errors nor `Debug` output nor the
//! `tracing` output ever contain the secret, a token or a request's signature, even when a
//! server echoes them back.
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

// The README's Rust code is compiled as doctests, so the front page cannot show code that does
// not build. (Its events example needs the `subscribe` feature.)
#[cfg(all(doctest, feature = "subscribe"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub use generated::{operations, types};
pub use runtime::call::{CallOptions, ResponseMetadata};
pub use runtime::client::ManagementClient;
pub use runtime::config::{AuthScheme, Brand, Config, ConfigBuilder, DEADLINE_MULTIPLE, DEFAULT_TIMEOUT, Lang};
pub use runtime::error::{
    ApiError, AuthError, ConfigError, DecodeError, Error, HttpError, SubscribeError, SubscribeErrorKind,
};
pub use runtime::events::{DEFAULT_EVENT_SOURCE, PublishRequest, Published};
#[cfg(feature = "subscribe")]
pub use runtime::events::{Event, EventEnvelope, ReconnectPolicy, SubscribeOptions, Subscription};
pub use runtime::paginate::{PageStream, Paginator};
pub use runtime::retry::RetryPolicy;
pub use runtime::validation::{Rule, ValidationError, Violation};
