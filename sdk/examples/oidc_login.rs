//! Signs a user in with the authorization code flow (PKCE), from a terminal: prints the URL to
//! open, reads back the address the browser was sent to, and prints the verified ID token's
//! claims.
//!
//! ```text
//! oidc_login <redirect-uri> [scope]
//! ```
//!
//! `<redirect-uri>` must be one of the application's callback URLs (nothing has to listen there:
//! copy the address from the browser). The scope defaults to `openid profile`. Configured from
//! the environment like `sign_in`: `GENAUTH_APP_ID`, `GENAUTH_APP_HOST`, and `GENAUTH_APP_SECRET`
//! with `GENAUTH_SIGN_IN_AUTH` for how the application authenticates at the token endpoint.

use std::io::BufRead as _;
use std::process::ExitCode;

use genauth::AuthenticationClient;
use genauth::oidc::AuthorizeRequest;

mod support;
use support::{fail, print_json};

const USAGE: &str = "usage: oidc_login <redirect-uri> [scope]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (redirect_uri, scope) = match args.as_slice() {
        [uri] => (uri.as_str(), "openid profile"),
        [uri, scope] => (uri.as_str(), scope.as_str()),
        _ => return support::usage(USAGE, "a redirect URI is required"),
    };
    let client = match AuthenticationClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    // A web app keeps `login` in the user's session until the callback; here it stays in memory.
    let (url, login) = match client.authorize_url(AuthorizeRequest::new(redirect_uri).scope(scope)) {
        Ok(pair) => pair,
        Err(e) => return fail(&e),
    };
    println!("Open this URL, sign in, then paste the address your browser was sent to:");
    println!("{url}");
    let mut redirect = String::new();
    if std::io::stdin().lock().read_line(&mut redirect).is_err() || redirect.trim().is_empty() {
        return support::usage(USAGE, "no redirect address was read");
    }
    match client.exchange_code(&login, redirect.trim()).await {
        Ok(tokens) => print_json(&tokens.id_claims()),
        Err(e) => fail(&e),
    }
}
