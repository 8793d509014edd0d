//! Subscribes to an event code and prints every event as one line of JSON, until interrupted
//! (ctrl-c) or until the subscription ends with an error.
//!
//! ```text
//! subscribe <event-code>
//! ```
//!
//! The client is configured from the environment: `GENAUTH_ACCESS_KEY_ID` and
//! `GENAUTH_ACCESS_KEY_SECRET`, optionally `GENAUTH_EVENTS_HOST` (the event service,
//! `wss://…`; default: the brand's), `GENAUTH_HOST`, `GENAUTH_BRAND` (`genauth` | `authing`),
//! `GENAUTH_AUTH` (`token` | `signature`), `GENAUTH_TIMEOUT_MS`. A message that is not JSON is
//! printed as a JSON string. On failure prints the error and exits 1.

use std::io::Write as _;
use std::process::ExitCode;

use futures::StreamExt as _;
use genauth::ManagementClient;

mod support;
use support::fail;

const USAGE: &str = "usage: subscribe <event-code>";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.as_slice() {
        [flag] if flag == "-h" || flag == "--help" => return usage(""),
        [code] => code.clone(),
        _ => return usage("exactly one event code is required"),
    };
    let client = match ManagementClient::from_env() {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    let mut events = client.subscribe(code);
    loop {
        let next = tokio::select! {
            next = events.next() => next,
            _ = tokio::signal::ctrl_c() => return ExitCode::SUCCESS,
        };
        match next {
            Some(Ok(event)) => {
                let line = match &event.json {
                    Some(json) => json.to_string(),
                    None => serde_json::Value::String(event.raw).to_string(),
                };
                let mut stdout = std::io::stdout().lock();
                // A closed pipe (`subscribe code | head -1`) ends the program quietly.
                if writeln!(stdout, "{line}").and_then(|()| stdout.flush()).is_err() {
                    return ExitCode::SUCCESS;
                }
            }
            Some(Err(e)) => return fail(&e),
            None => return ExitCode::SUCCESS,
        }
    }
}

/// Prints the problem and the usage line; exit code 2.
fn usage(problem: &str) -> ExitCode {
    support::usage(USAGE, problem)
}
