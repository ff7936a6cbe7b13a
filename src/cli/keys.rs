//! `csu-sim keys`: every scenario key with its default, unit, range and source.

use std::io::Write;

use anyhow::anyhow;
use clap::Args;

use super::CliError;
use crate::output;

/// Arguments of `keys`.
#[derive(Debug, Args)]
pub struct KeysArgs {
    /// One row per key with every column (wider than 100 characters)
    #[arg(long)]
    long: bool,
}

/// Prints the key table.
pub fn keys(args: &KeysArgs) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{}", output::keys_table(args.long))
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Internal(anyhow!("could not write to standard output: {e}")))
}
