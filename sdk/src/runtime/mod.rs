//! The hand-written half of the crate: everything but `crate::generated`.

pub mod client;
pub mod error;
pub(crate) mod support;
pub mod validation;
