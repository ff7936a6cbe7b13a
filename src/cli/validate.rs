//! `csu-sim validate`: checks a scenario (with the flags `run` takes that change it) and its
//! register without running anything, and prints the warnings a run would.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;

use super::CliError;
use super::load::load;

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario file to check
    scenario: PathBuf,
    /// Set a key, as `run` does: --set risk.p_fail_annual=0.05 (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    sets: Vec<String>,
    /// Sweep a key, as `run` does: --sweep onboarding.per_unit_month=1,2,4 or FROM:TO:STEP
    /// (repeatable)
    #[arg(long = "sweep", value_name = "KEY=V1,V2,...")]
    sweeps: Vec<String>,
}

/// Checks a scenario and its register, printing what would run and any warnings.
pub fn validate(args: &ValidateArgs) -> Result<(), CliError> {
    let loaded = load(&args.scenario, |scenario| {
        let mut errors = Vec::new();
        for assignment in &args.sets {
            match scenario.clone().apply_set(assignment) {
                Ok(changed) => *scenario = changed,
                Err(e) => errors.push(CliError::Input(e.into())),
            }
        }
        for assignment in &args.sweeps {
            match scenario.clone().apply_sweep(assignment) {
                Ok(swept) => *scenario = swept,
                Err(e) => errors.push(CliError::Input(anyhow!(e))),
            }
        }
        CliError::inputs(errors).map_or(Ok(()), Err)
    })?;
    let s = &loaded.scenario;
    super::print_warnings(s, false);
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
