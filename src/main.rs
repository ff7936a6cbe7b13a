//! The `csu-sim` binary: parse, run, map errors to exit codes (0 ok, 1 internal, 2 bad input).
#![deny(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    match csu_sim::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Not eprintln!, which panics when stderr is closed (`2>&1 | true`): the exit code
            // still says what happened.
            let _ = writeln!(std::io::stderr(), "error: {}", err.message());
            err.exit_code()
        }
    }
}
