//! The `csu-sim` binary: parse, run, map errors to exit codes (0 ok, 1 internal, 2 bad input).
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::process::ExitCode;

fn main() -> ExitCode {
    match csu_sim::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", err.message());
            err.exit_code()
        }
    }
}
