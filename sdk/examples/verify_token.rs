//! Verifies one access token, as a resource server does on every request.
//!
//! ```text
//! verify_token <access-token>
//! ```
//!
//! Configured from the environment: `GENAUTH_APP_HOST` (the application's own domain,
//! `https://<app>.genauth.ai`; its origin plus `/oidc` is the issuer) and `GENAUTH_APP_ID` (the
//! audience), and `GENAUTH_APP_SECRET` where HS256 tokens are to be accepted. On success prints
//! the verified claims as one line of JSON and exits 0; on refusal prints the error, which names
//! the check that failed, and exits 1.

use std::process::ExitCode;

use genauth::AuthenticationConfig;
use genauth::oidc::TokenVerifier;

mod support;
use support::fail;

const USAGE: &str = "usage: verify_token <access-token>";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [token] = args.as_slice() else {
        return support::usage(USAGE, "one access token is required");
    };
    // In a service: build the verifier once, at start-up, and share it (it caches the keys).
    let verifier = match AuthenticationConfig::from_env()
        .and_then(|config| TokenVerifier::builder_for(&config))
        .and_then(|builder| builder.build())
    {
        Ok(verifier) => verifier,
        Err(e) => return fail(&e),
    };
    match verifier.verify_access_token(token).await {
        Ok(claims) => match serde_json::to_string(&claims) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: could not print the claims: {e}");
                ExitCode::FAILURE
            }
        },
        Err(refused) => {
            eprintln!("error: {refused}");
            ExitCode::FAILURE
        }
    }
}
