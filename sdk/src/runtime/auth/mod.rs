//! Authentication: management tokens and AK/SK request signatures.

pub(crate) mod canonical;
pub(crate) mod jwt;
pub(crate) mod signature;
pub(crate) mod token;
pub(crate) mod token_fetch;
