//! PLACEHOLDER: the runtime issue (H3) replaces this with the full error type.

use crate::runtime::validation::ValidationError;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The inputs break a constraint of the spec; nothing was sent.
    #[error(transparent)]
    Validation(ValidationError),
    /// A request part could not be serialised.
    #[error("could not serialise the request: {0}")]
    Serialize(String),
}

impl Error {
    pub(crate) fn serialize(e: serde_json::Error) -> Self {
        Error::Serialize(e.to_string())
    }
}
