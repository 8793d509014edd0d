//! What the examples share: printing a response, and how they end on an error or a bad command
//! line. Not an example of its own (Cargo builds only the files directly in `examples/`).

#![allow(dead_code, reason = "each example uses the helpers it needs")]

use std::process::ExitCode;

/// Prints `value` as pretty JSON; fails if it cannot be printed.
pub fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: could not print the response: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints `value` as Rust shows it (`{:#?}`): the generated response types are `Deserialize`
/// only, unless the `full-serde` feature adds `Serialize`.
pub fn print_debug(value: &impl std::fmt::Debug) -> ExitCode {
    println!("{value:#?}");
    ExitCode::SUCCESS
}

/// Prints the error and exits with 1.
pub fn fail(e: &genauth::Error) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

/// Prints the problem (if any) and the usage line, and exits with 2.
pub fn usage(usage: &str, problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("{usage}");
    ExitCode::from(2)
}
