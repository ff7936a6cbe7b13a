//! `csu-sim keys`: every scenario key with its default, unit, range and source.

use std::io::Write;

use anyhow::anyhow;
use clap::Args;

use super::CliError;
use crate::output;

/// Arguments of `keys` (none).
#[derive(Debug, Args)]
pub struct KeysArgs {}

/// Prints the key table.
pub fn keys(_args: &KeysArgs) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    write!(stdout, "{}", output::keys_table())
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Internal(anyhow!("could not write to standard output: {e}")))
}
