//! Signs a user in with a password, then prints the user's profile.
//!
//! ```text
//! sign_in <account> <password>
//! ```
//!
//! `<account>` is a username, email or phone number. The client is configured from the
//! environment: `GENAUTH_APP_ID` and `GENAUTH_APP_HOST` (the application's own domain,
//! `https://<app>.genauth.ai`), and `GENAUTH_APP_SECRET` when the application authenticates
//! itself on sign-in (`GENAUTH_SIGN_IN_AUTH`: `client_secret_post`, the default with a secret,
//! `client_secret_basic` or `none`); optionally `GENAUTH_BRAND`, `GENAUTH_LANG`,
//! `GENAUTH_TIMEOUT_MS`. Prints the profile (`{:#?}`); on failure prints the error and exits 1.

use std::process::ExitCode;

use genauth::AuthenticationClient;
use genauth::types::{SignInByPasswordPayloadDto, SigninByCredentialsDtoConnection};

mod support;
use support::{fail, print_debug};

const USAGE: &str = "usage: sign_in <account> <password>";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [account, password] = args.as_slice() else {
        return support::usage(USAGE, "an account and a password are required");
    };

    // One client per process; a handle per signed-in user.
    let client = match AuthenticationClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    let signed_in = client
        .sign_in_by_credentials(SigninByCredentialsDtoConnection::Password)
        .password_payload(SignInByPasswordPayloadDto::new(password.as_str()).with_account(account.as_str()))
        .send()
        .await;
    let token = match signed_in {
        Ok(response) => match response.data.access_token {
            Some(token) => token,
            None => {
                eprintln!("error: the sign-in response has no access token");
                return ExitCode::FAILURE;
            }
        },
        Err(e) => return fail(&e),
    };
    let user = client.with_access_token(token);
    match user.get_profile().send().await {
        Ok(profile) => print_debug(&profile.data),
        Err(e) => fail(&e),
    }
}
