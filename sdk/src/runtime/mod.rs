//! The hand-written half of the crate: everything but `crate::generated`.

pub(crate) mod auth;
pub mod authentication;
pub mod call_options;
pub mod client;
pub mod config;
pub(crate) mod encoding;
pub(crate) mod env;
pub(crate) mod envelope;
pub mod error;
pub mod events;
// The generated code is the only caller of `generated_api`: in a build with only some API groups
// (or none), the helpers that only the other groups call are unused. The full build, which CI
// lints too, is where dead code there is judged.
#[cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]
pub(crate) mod generated_api;
pub(crate) mod headers;
pub(crate) mod metadata;
#[cfg(feature = "oidc")]
pub mod oidc;
// The hostile-input tests decode into the seed operations' types, so they need the API groups;
// `full` is the one group feature every generated sdk has (a group's name depends on the spec).
// They compare what was decoded, encoded again, with an oracle: response types are `Serialize`
// only with `full-serde` (which the workspace's tests turn on).
#[cfg(all(test, feature = "full", feature = "full-serde"))]
mod hostile_tests;
pub mod paginate;
pub(crate) mod pipeline;
#[cfg(feature = "axum")]
pub mod resource_server;
pub mod response_envelope;
pub mod retry;
pub(crate) mod secret;
pub(crate) mod transport;
pub mod validation;
