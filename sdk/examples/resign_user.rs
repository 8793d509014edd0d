//! Marks a user as resigned (the resign-user operation).
//!
//! ```text
//! resign_user <user-id> [--user-id-type T]
//! ```
//!
//! The client is configured from the environment: `GENAUTH_ACCESS_KEY_ID` and
//! `GENAUTH_ACCESS_KEY_SECRET`, optionally `GENAUTH_HOST`, `GENAUTH_BRAND` (`genauth` |
//! `authing`), `GENAUTH_AUTH` (`token` | `signature`), `GENAUTH_LANG`, `GENAUTH_TENANT_ID`,
//! `GENAUTH_TIMEOUT_MS`. Prints the response (`{:#?}`); on failure prints the error and exits 1.

use std::process::ExitCode;

use genauth::ManagementClient;
use genauth::types::ResignUserReqDtoUserIdType;

mod support;
use support::{fail, print_debug};

const USAGE: &str = "usage: resign_user <user-id> [--user-id-type T]";

#[tokio::main]
async fn main() -> ExitCode {
    // Arguments: positionals, plus `--user-id-type T` anywhere.
    let mut positional = Vec::new();
    let mut user_id_type = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--user-id-type" => match args.next() {
                Some(t) => user_id_type = Some(t),
                None => return usage("--user-id-type needs a value"),
            },
            "-h" | "--help" => return usage(""),
            _ => positional.push(arg),
        }
    }
    let [user_id] = <[String; 1]>::try_from(positional).unwrap_or_else(|_| [String::new()]);
    if user_id.is_empty() {
        return usage("exactly one user id is required");
    }

    let client = match ManagementClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    let mut request = client.resign_user(user_id);
    if let Some(t) = user_id_type {
        request = request.user_id_type(ResignUserReqDtoUserIdType::from(t));
    }
    match request.send().await {
        Ok(response) => print_debug(&response),
        Err(e) => fail(&e),
    }
}

/// Prints the problem and the usage line; exit code 2.
fn usage(problem: &str) -> ExitCode {
    support::usage(USAGE, problem)
}
