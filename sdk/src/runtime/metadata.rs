//! [`ResponseMetadata`]: what a successful call's response said besides its data, for a request
//! builder's `send_with_metadata`.

use http::HeaderMap;

use crate::runtime::envelope::Response;
use crate::runtime::secret::Scrub;

/// What a successful call's response said besides its data: returned by a request builder's
/// `send_with_metadata`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseMetadata {
    /// The request id: the `x-request-id` header, else the envelope's `requestId`. Quote it
    /// when asking GenAuth's support about a call.
    pub request_id: Option<String>,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response's HTTP headers. A value holding the call's credentials (a proxy echoing them)
    /// is replaced by `[REDACTED]`.
    pub headers: HeaderMap,
    /// How many attempts the call took (1 when the first one succeeded).
    pub attempts: u32,
}

impl ResponseMetadata {
    /// The metadata of `response`, with anything that echoes the call's credentials (the secret
    /// or an `authorization` the call sent) redacted.
    pub(crate) fn scrubbed(response: Response, scrub: &Scrub) -> Self {
        ResponseMetadata {
            request_id: response.request_id.map(|id| scrub.text(&id)),
            status: response.status,
            headers: scrub.headers(response.headers),
            attempts: response.attempts,
        }
    }
}
