//! Deletes users in one call (at most 50).
//!
//! ```text
//! delete_users_batch <user-id>... [--user-id-type T]
//! ```
//!
//! The client is configured from the environment: `GENAUTH_ACCESS_KEY_ID` and
//! `GENAUTH_ACCESS_KEY_SECRET`, optionally `GENAUTH_HOST`, `GENAUTH_BRAND` (`genauth` |
//! `authing`), `GENAUTH_AUTH` (`token` | `signature`), `GENAUTH_LANG`, `GENAUTH_TENANT_ID`,
//! `GENAUTH_TIMEOUT_MS`. Prints the response (`{:#?}`); on failure prints the error and exits 1.

use std::process::ExitCode;

use genauth::ManagementClient;
use genauth::types::{DeleteUsersBatchOptionsDto, DeleteUsersBatchOptionsDtoUserIdType};

mod support;
use support::{fail, print_debug};

const USAGE: &str = "usage: delete_users_batch <user-id>... [--user-id-type T]";

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
    if positional.is_empty() {
        return usage("at least one user id is required");
    }
    let user_ids = positional;

    let client = match ManagementClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    let mut request = client.delete_users_batch(user_ids);
    if let Some(t) = user_id_type {
        request = request.options(
            DeleteUsersBatchOptionsDto::new().with_user_id_type(DeleteUsersBatchOptionsDtoUserIdType::from(t)),
        );
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
