//! `csu-sim init`: a commented scenario to start from.

use std::io::Write;
use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;

use super::run::folder_name;
use super::{CliError, print_out};
use crate::output;
use crate::scenario::Scenario;

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The scenario's name (it labels outputs and the default output folder)
    name: String,
    /// File to write [default: <name>.toml in the current folder]; never overwritten
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Writes the scenario.
pub fn init(args: &InitArgs) -> Result<(), CliError> {
    if let Some(c) = args.name.chars().find(|c| c.is_control()) {
        return Err(CliError::Input(anyhow!(
            "the name '{}' holds a control character ({}): a name is printable text, e.g. my_study",
            args.name.escape_debug(),
            c.escape_unicode()
        )));
    }
    if args.out.is_none() && (args.name.contains(['/', '\\']) || args.name.starts_with('.')) {
        return Err(CliError::Input(anyhow!(
            "the name '{}' looks like a path: init takes a name (e.g. my_study) and writes <name>.toml here; \
             to write elsewhere give --out PATH",
            args.name
        )));
    }
    let text = output::init_scenario(&args.name);
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}.toml", folder_name(&args.name))));
    // The file must be a valid scenario as written: a bad name is refused here.
    Scenario::parse(&text, &path.display().to_string(), &args.name)
        .map_err(|e| CliError::Input(anyhow!("the name '{}': {e}", args.name.escape_debug())))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::AlreadyExists {
                "it already exists, and init never overwrites a file: give another name or --out".to_string()
            } else {
                e.to_string()
            };
            CliError::Input(anyhow!("cannot write {}: {why}", path.display()))
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        let _ = std::fs::remove_file(&path);
        CliError::Internal(anyhow!("could not write {}: {e}", path.display()))
    })?;
    print_out(&format!(
        "wrote {}: every key is listed at its default; run it with csu-sim run {}\n",
        path.display(),
        path.display()
    ))
}
