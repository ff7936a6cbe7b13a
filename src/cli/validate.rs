//! `csu-sim validate`.

use std::path::PathBuf;

use clap::Args;

use super::{CliError, load::load};

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file to check
    scenario: PathBuf,
}

/// Checks a scenario and its register, printing what would run.
pub fn validate(args: &ValidateArgs) -> Result<(), CliError> {
    let loaded = load(&args.scenario, |_| Ok(()))?;
    let s = &loaded.scenario;
    let options: Vec<&str> = s.options.iter().map(|o| o.key()).collect();
    super::print_out(&format!(
        "{}: ok: '{}', {} CCGs, options [{}], N {:?}, {} sweep point(s), {} replications, seed {}\n",
        s.file,
        s.name,
        loaded.register.len(),
        options.join(", "),
        s.units,
        s.point_count(),
        s.replications,
        s.seed
    ))
}
