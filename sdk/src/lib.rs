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
//! [`ManagementClient::publish`] publishes a custom event; with the `events` feature (on by
//! default), `ManagementClient::subscribe` returns a `Subscription`, a `Stream` of the
//! events of one event code over the event service's WebSocket, reconnecting per its
//! `ReconnectPolicy`.
//!
//! # Errors
//!
//! Every call returns [`Error`]. The API answers almost everything with HTTP 200 and reports
//! failure in the body's `statusCode`; this crate checks it, so a business failure is
//! [`Error::Api`] (with `statusCode`, `apiCode`, message and `requestId`), never an `Ok`.
//! Invalid inputs are [`Error::Validation`] and are not sent. Connection failures, HTTP 429,
//! 502, 503 and 504 are retried per the [`RetryPolicy`]; business errors never are.
//! Neither errors nor `Debug` output nor the `tracing` spans ever contain the secret or a token.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod generated;
mod runtime;

// The README's Rust code is compiled as doctests, so the front page cannot show code that does
// not build. (Its events example needs the `events` feature.)
#[cfg(all(doctest, feature = "events"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub use generated::{operations, types};
pub use runtime::client::ManagementClient;
pub use runtime::config::{AuthScheme, Brand, Config, ConfigBuilder, DEFAULT_TIMEOUT, Lang};
pub use runtime::error::{
    ApiError, AuthError, ConfigError, DecodeError, Error, HttpError, SubscribeError, SubscribeErrorKind,
};
pub use runtime::events::{DEFAULT_EVENT_SOURCE, PublishRequest, Published};
#[cfg(feature = "events")]
pub use runtime::events::{Event, EventEnvelope, ReconnectPolicy, SubscribeOptions, Subscription};
pub use runtime::retry::RetryPolicy;
pub use runtime::validation::{Rule, ValidationError, Violation};
