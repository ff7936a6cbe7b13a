//! The command line: parse arguments, read files, run, print, write.
//!
//! This and [`crate::output`] are the only modules that touch files, stdout or the clock.

mod init;
mod keys;
mod load;
mod merge;
mod progress;
mod run;
mod shared;
mod uncertainty;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use load::LoadedScenario;

/// Exit code of a bad scenario, register or argument.
pub const EXIT_BAD_INPUT: u8 = 2;

/// Exit code of an internal failure (for example a file that cannot be written).
pub const EXIT_INTERNAL: u8 = 1;

/// Exit code of a run stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Monte Carlo simulator of commissioning support options for England's CCGs
#[derive(Debug, Parser)]
#[command(name = "csu-sim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario and write its tables under output/<scenario name>/
    Run(run::RunArgs),
    /// Check a scenario (and its register) without running it
    Validate(validate::ValidateArgs),
    /// Find what drives the verdict when the scenario's [uncertain] inputs vary: PSA, tornado,
    /// switching values, Sobol' and Morris indices, value of information
    Uncertainty(uncertainty::UncertaintyArgs),
    /// List every scenario key with its default, unit, allowed range and source
    Keys(keys::KeysArgs),
    /// Write a commented scenario to start from: NAME.toml, every key at its default
    Init(init::InitArgs),
    /// Join the shards of a study (run or uncertainty with --shard K/N) into the outputs one
    /// unsharded run would have written
    Merge(merge::MergeArgs),
}

/// An error with the exit code it maps to.
#[derive(Debug)]
pub enum CliError {
    /// Bad input: exit code 2, nothing written.
    Input(anyhow::Error),
    /// Anything else: exit code 1.
    Internal(anyhow::Error),
    /// Stopped by a signal: exit code 130, nothing written.
    Interrupted(anyhow::Error),
}

impl CliError {
    /// Joins the messages of several bad-input errors into one (each on its own lines), so a
    /// user sees every mistake at once; `None` for none.
    pub fn inputs(errors: Vec<CliError>) -> Option<CliError> {
        let messages: Vec<String> = errors.iter().map(CliError::message).collect();
        (!messages.is_empty()).then(|| CliError::Input(anyhow::anyhow!("{}", messages.join("\nerror: "))))
    }

    /// Maps an output error: a refused folder is the user's to fix (exit 2), anything else an
    /// internal failure (exit 1).
    pub fn from_output(err: crate::output::OutputError) -> CliError {
        match err {
            crate::output::OutputError::Refused(_) => CliError::Input(err.into()),
            other => CliError::Internal(other.into()),
        }
    }

    /// Returns the process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Input(_) => EXIT_BAD_INPUT,
            CliError::Internal(_) => EXIT_INTERNAL,
            CliError::Interrupted(_) => EXIT_INTERRUPTED,
        })
    }

    /// Returns the message to print.
    pub fn message(&self) -> String {
        match self {
            CliError::Input(err) | CliError::Internal(err) | CliError::Interrupted(err) => format!("{err:#}"),
        }
    }
}

/// Most worker threads accepted per core: beyond this threads only contend.
const THREADS_PER_CORE: usize = 8;

/// Starts the worker pool for `--threads` (default: one per core), refusing 0 and more than
/// `THREADS_PER_CORE` per core.
pub fn worker_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, CliError> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let most = THREADS_PER_CORE * cores;
    match threads {
        Some(0) => {
            return Err(CliError::Input(anyhow::anyhow!(
                "--threads 0 is not allowed: give at least 1"
            )));
        }
        Some(n) if n > most => {
            return Err(CliError::Input(anyhow::anyhow!(
                "--threads {n}: allowed is 1 to {most} ({THREADS_PER_CORE} per core on this machine's {cores} cores)"
            )));
        }
        _ => {}
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| CliError::Internal(anyhow::anyhow!("could not start worker threads: {e}")))
}

/// Prints `text` to standard output: a closed pipe (`| head`) ends the output quietly, any
/// other failure (a full disk, `/dev/full`) is an error.
pub fn print_out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::Internal(anyhow::anyhow!(
            "could not write to standard output: {e}"
        ))),
    }
}

/// Prints, on stderr, a warning for every value the scenario sets that is far from its
/// default, as a slip of units would be; nothing with `quiet`. A closed stderr is ignored.
pub fn print_warnings(scenario: &crate::scenario::Scenario, quiet: bool) {
    use std::io::Write;
    if quiet {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    for warning in scenario.slips() {
        let _ = writeln!(stderr, "warning: {warning}");
    }
}

/// Parses the command line and runs the command.
pub fn run() -> Result<(), CliError> {
    // The signal handler goes in first, so that SIGINT or SIGTERM at any point stops cleanly.
    progress::interrupt_flag();
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Validate(args) => validate::validate(&args),
        Command::Keys(args) => keys::keys(&args),
        Command::Uncertainty(args) => uncertainty::uncertainty(&args),
        Command::Merge(args) => merge::merge(&args),
        Command::Init(args) => init::init(&args),
    }
}
