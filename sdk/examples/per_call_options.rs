//! One call with its own settings: `customize` on a request builder sets the tenant, the
//! language of messages, extra headers, the attempt timeout, the call's deadline and its retries
//! for that call only; `send_with_metadata` returns the request id and the response's headers too.
//!
//! ```text
//! per_call_options <user-id> <tenant-id>
//! ```
//!
//! Kicks the user out of every app of the tenant (`kick-users` with no app ids is refused by the
//! API, so this passes the one app id in `GENAUTH_EXAMPLE_APP_ID`, default `app-1`). The client
//! is configured from the environment as in the other examples. Prints the request id and the
//! number of attempts on stderr and the response (`{:#?}`) on stdout.

use std::process::ExitCode;
use std::time::Duration;

use genauth::{CallOptions, Lang, ManagementClient, RetryPolicy};

mod support;
use support::{fail, print_debug, usage};

const USAGE: &str = "usage: per_call_options <user-id> <tenant-id>";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [user_id, tenant_id] = match <[String; 2]>::try_from(args) {
        Ok(args) => args,
        Err(_) => return usage(USAGE, "a user id and a tenant id are required"),
    };
    let app_id = std::env::var("GENAUTH_EXAMPLE_APP_ID").unwrap_or_else(|_| "app-1".to_owned());

    let client = match ManagementClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    // Kept and reusable: the same options can be given to any number of calls.
    let options = CallOptions::new()
        .tenant_id(tenant_id)
        .lang(Lang::EnUs)
        .header("x-correlation-id", "per-call-options-example")
        .timeout(Duration::from_secs(5))
        .deadline(Duration::from_secs(12))
        // Kicking users out is a POST: retried only where it provably never reached the API.
        .retry_policy(RetryPolicy::default().with_max_attempts(2));
    match client.kick_users(user_id, [app_id]).customize(options).send_with_metadata().await {
        Ok((response, metadata)) => {
            eprintln!(
                "request id: {}, attempts: {}",
                metadata.request_id.as_deref().unwrap_or("(none)"),
                metadata.attempts
            );
            print_debug(&response)
        }
        Err(e) => fail(&e),
    }
}
