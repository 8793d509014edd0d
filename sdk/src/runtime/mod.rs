//! The hand-written half of the crate: everything but `crate::generated`.

pub(crate) mod auth;
pub mod client;
pub mod config;
pub(crate) mod env;
pub(crate) mod envelope;
pub mod error;
pub mod events;
#[cfg(test)]
mod hostile_tests;
pub mod paginate;
pub mod retry;
pub(crate) mod secret;
pub(crate) mod support;
pub(crate) mod transport;
pub mod validation;
