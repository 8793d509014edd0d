//! The management token's endpoint: `POST /api/v3/get-management-token` with the access key,
//! and how long the token it gives lives.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Method;
use serde::Deserialize;
use serde_json::Value;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::runtime::auth::jwt;
use crate::runtime::auth::token::ManagementToken;
use crate::runtime::encoding::build_url;
use crate::runtime::envelope;
use crate::runtime::error::{AuthError, Error};
use crate::runtime::pipeline::Pipeline;
use crate::runtime::secret::{Scrub, Secret};
use crate::runtime::transport::{self, Deadline, Outgoing};

const TOKEN_PATH: &str = "/api/v3/get-management-token";
/// The token lifetime the API documents, used when a response does not say.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(7200);

/// `POST /api/v3/get-management-token` with the access key; runs as the token cache's single
/// flight, on its own task.
pub(crate) async fn fetch(pipeline: &Pipeline, deadline: Deadline) -> Result<ManagementToken, Error> {
    const OPERATION: &str = "get_management_token";
    let config = &pipeline.config;
    let span = tracing::info_span!(
        "genauth.token",
        operation = OPERATION,
        attempt = Empty,
        status = Empty,
        request_id = Empty
    );
    async {
        let url = build_url(&config.host, TOKEN_PATH, &[])?;
        let body = serde_json::json!({
            "accessKeyId": config.access_key_id,
            "accessKeySecret": config.access_key_secret.expose(),
        });
        let body = serde_json::to_vec(&body).map_err(Error::serialize)?;
        let out = Outgoing {
            operation: OPERATION,
            method: &Method::POST,
            url: &url,
            body: Some(Bytes::from(body)),
            // A `POST`, but repeating it only issues another token: safe to retry.
            idempotent: true,
            deadline,
            timeout: config.timeout,
            retry: &config.retry,
            max_body: config.max_response_bytes,
        };
        // Shared by every caller waiting for it, so made with the config's settings only.
        let headers = &pipeline.base_headers;
        let raw = transport::send(&pipeline.http, &config.access_key_secret, &out, || Ok(headers.clone())).await?;
        // The token's life is counted on our monotonic clock from the moment the response
        // arrived, never against our wall clock (which may be off from the server's).
        let arrived = Instant::now();

        #[derive(Deserialize)]
        struct TokenEnvelope {
            // Read loosely and checked by hand: serde's messages quote the values they
            // reject, and this value is a token.
            data: Option<Value>,
        }
        let envelope: TokenEnvelope =
            envelope::decode(OPERATION, &raw, &config.access_key_secret, true).map_err(|e| match e {
                Error::Decode(mut d) => {
                    d.body_snippet = "[withheld: the response may hold a token]".to_owned();
                    Error::Decode(d)
                }
                other => other,
            })?;
        let fail = |message: &str| {
            Error::Auth(AuthError {
                message: message.to_owned(),
                status_code: None,
                api_code: None,
                request_id: raw
                    .request_id
                    .as_deref()
                    .map(|id| Scrub::new(&config.access_key_secret, &raw.authorizations).text(id)),
                retryable: false,
            })
        };
        let data = envelope.data.unwrap_or(Value::Null);
        let access_token = data
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| fail("the response has no `data.access_token`"))?;
        let claims = jwt::decode_claims(access_token).map_err(|m| fail(&m))?;
        let userpool_id = claims
            .scoped_userpool_id
            .filter(|id| !id.is_empty() && !id.chars().any(char::is_control))
            .ok_or_else(|| fail("the token has no usable `scoped_userpool_id` claim"))?;
        let lifetime = token_lifetime(data.get("expires_in"), claims.exp, claims.iat);
        tracing::debug!(lifetime_s = lifetime.as_secs(), "management token obtained");
        Ok(ManagementToken::new(Secret::new(access_token), userpool_id, arrived, lifetime))
    }
    .instrument(span)
    .await
}

/// How long a token lives, as the server counts it: `expires_in` (relative, seconds), else the
/// JWT's `exp - iat`, else the documented 7200 s. Never `exp` minus our clock: a machine whose
/// clock runs ahead would think every token already expired and fetch one for every call.
fn token_lifetime(expires_in: Option<&Value>, exp: Option<f64>, iat: Option<f64>) -> Duration {
    let seconds = |s: f64| (s.is_finite() && s >= 0.0).then(|| Duration::from_secs_f64(s.min(1e9)));
    expires_in
        .and_then(|v| v.as_f64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok())))
        .and_then(seconds)
        .or_else(|| seconds(exp? - iat?))
        .unwrap_or(DEFAULT_TOKEN_LIFETIME)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn token_lifetime_is_relative_and_ignores_the_local_clock() {
        assert_eq!(token_lifetime(None, None, None), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(&json!(60)), None, None), Duration::from_secs(60));
        assert_eq!(token_lifetime(Some(&json!("90")), None, None), Duration::from_secs(90));
        // `exp` long past on our clock does not matter: `expires_in` is relative.
        assert_eq!(token_lifetime(Some(&json!(1800)), Some(10.0), Some(0.0)), Duration::from_secs(1800));
        // Without `expires_in`, the JWT's own span.
        assert_eq!(token_lifetime(None, Some(1_000_600.0), Some(1_000_000.0)), Duration::from_secs(600));
        assert_eq!(token_lifetime(Some(&json!(-5)), Some(1_000_030.0), Some(1_000_000.0)), Duration::from_secs(30));
        assert_eq!(token_lifetime(None, Some(5.0), Some(10.0)), DEFAULT_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(None, Some(5.0), None), DEFAULT_TOKEN_LIFETIME);
    }
}
