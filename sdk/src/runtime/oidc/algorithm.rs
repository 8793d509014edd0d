//! [`SigningAlgorithm`]: the JWS algorithms a [`TokenVerifier`](super::TokenVerifier) may
//! accept, as this crate's own type (so that its API does not follow the JWS library's
//! versions). There is no `none`.

use jsonwebtoken::Algorithm;

/// A JWS signing algorithm (RFC 7518), for
/// [`TokenVerifierBuilder::algorithms`](super::TokenVerifierBuilder::algorithms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs, reason = "the RFC 7518 names say it all")]
pub enum SigningAlgorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    EdDSA,
}

impl SigningAlgorithm {
    pub(crate) fn jws(self) -> Algorithm {
        match self {
            SigningAlgorithm::HS256 => Algorithm::HS256,
            SigningAlgorithm::HS384 => Algorithm::HS384,
            SigningAlgorithm::HS512 => Algorithm::HS512,
            SigningAlgorithm::RS256 => Algorithm::RS256,
            SigningAlgorithm::RS384 => Algorithm::RS384,
            SigningAlgorithm::RS512 => Algorithm::RS512,
            SigningAlgorithm::PS256 => Algorithm::PS256,
            SigningAlgorithm::PS384 => Algorithm::PS384,
            SigningAlgorithm::PS512 => Algorithm::PS512,
            SigningAlgorithm::ES256 => Algorithm::ES256,
            SigningAlgorithm::ES384 => Algorithm::ES384,
            SigningAlgorithm::EdDSA => Algorithm::EdDSA,
        }
    }
}
