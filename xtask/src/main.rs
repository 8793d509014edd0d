//! `cargo xtask`: the project's own commands (an alias in `.cargo/config.toml`).
//!
//! - `cargo xtask codegen`: regenerate the sdk's generated code and the docs from `spec/`, and say
//!   what changed; when the API changed, the full report goes to `target/api-changes.md` and an
//!   entry listing every change to `sdk/CHANGELOG.md`.
//! - `cargo xtask codegen --check`: write nothing; fail, naming the stale files, when anything
//!   checked in differs from what the spec gives, or when a curated layer no longer fits it.
//! - `--timings` (with either): also print how long each stage took and the peak memory.
//! - `cargo xtask translations`: print the translator's work list (missing and stale English, with
//!   the Chinese source), as catalog entries to fill in.
//! - `cargo xtask effective-spec [DOCUMENT] OUT.json`: write an upstream document (`management`,
//!   the default, or `authentication`) with every curated layer applied (what the sdk and docs
//!   are generated from), for outside tools.

mod changelog;
mod codegen;
mod layers;
mod paginators;
mod timings;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--timings] | cargo xtask effective-spec [DOCUMENT] OUT.json | cargo xtask translations";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    // `--timings` may come anywhere after `codegen`.
    let timings = args.first() == Some(&"codegen") && args.contains(&"--timings");
    args.retain(|arg| !timings || *arg != "--timings");
    let mode = match args.as_slice() {
        ["codegen"] => codegen::Mode::Write,
        ["codegen", "--check"] => codegen::Mode::Check,
        ["translations"] => {
            return match codegen::translation_work_list(&codegen::workspace_root()) {
                Ok(list) => {
                    print!("{list}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        ["effective-spec", .., out] if args.len() <= 3 => {
            let document = if args.len() == 3 { args[1] } else { "management" };
            return match codegen::write_effective_spec(&codegen::workspace_root(), document, std::path::Path::new(out))
            {
                Ok(report) => {
                    print!("{report}");
                    println!("wrote {out}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            };
        }
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match codegen::run(&codegen::workspace_root(), mode) {
        Ok(report) => {
            print!("{report}");
            if timings {
                print!("{}", report.timings);
            }
            if report.is_failure() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
