//! Rust SDK for the GenAuth (formerly Authing) V3 Management API.
//!
//! PLACEHOLDER crate docs: the runtime issue writes the real ones (quick start, auth schemes,
//! errors).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod generated;
mod runtime;

pub use generated::{operations, types};
pub use runtime::client::ManagementClient;
pub use runtime::error::Error;
pub use runtime::validation::{Rule, ValidationError, Violation};
