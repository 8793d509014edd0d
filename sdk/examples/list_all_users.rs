//! Prints the id of every user in the pool, one per line, however many pages that takes.
//!
//! ```text
//! list_all_users [--page-size N]
//! ```
//!
//! The client is configured from the environment: `GENAUTH_ACCESS_KEY_ID` and
//! `GENAUTH_ACCESS_KEY_SECRET`, optionally `GENAUTH_HOST`, `GENAUTH_BRAND` (`genauth` |
//! `authing`), `GENAUTH_AUTH` (`token` | `signature`), `GENAUTH_LANG`, `GENAUTH_TENANT_ID`,
//! `GENAUTH_TIMEOUT_MS`. The users come from `list_users` through its paginator, which asks for
//! one page after another (50 users each unless `--page-size` says otherwise) and stops after
//! the last. On failure prints the error and exits 1 (the ids printed before it stand).

use std::process::ExitCode;

use genauth::ManagementClient;
use genauth::types::{ListUsersOptionsDto, PaginationDto};

mod support;
use support::fail;

const USAGE: &str = "usage: list_all_users [--page-size N]";

#[tokio::main]
async fn main() -> ExitCode {
    let mut page_size = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--page-size" => match args.next().and_then(|n| n.parse::<i64>().ok()) {
                Some(n) => page_size = Some(n),
                None => return usage("--page-size needs a number"),
            },
            "-h" | "--help" => return usage(""),
            other => return usage(&format!("unexpected argument `{other}`")),
        }
    }

    let client = match ManagementClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    let mut request = client.list_users();
    if let Some(n) = page_size {
        request = request.options(ListUsersOptionsDto::new().with_pagination(PaginationDto::new().with_limit(n)));
    }
    let mut users = request.into_paginator().items();
    while let Some(user) = users.next().await {
        match user {
            Ok(user) => println!("{}", user.user_id),
            Err(e) => return fail(&e),
        }
    }
    ExitCode::SUCCESS
}

/// Prints the problem and the usage line; exit code 2.
fn usage(problem: &str) -> ExitCode {
    support::usage(USAGE, problem)
}
