//! The flags `run` and `uncertainty` share, and how they adjust a scenario.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;

use super::CliError;
use crate::scenario::Scenario;

/// Flags common to the commands that run a scenario.
#[derive(Debug, Args)]
pub struct SharedArgs {
    /// Master seed, overriding the scenario's
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads [default: one per core]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Output folder [default: output/<scenario name>; for uncertainty, <name>-uncertainty]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Set a key for this run, as in TOML: --set risk.p_fail_annual=0.05 (repeatable)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub sets: Vec<String>,
    /// Print nothing but errors, and no progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

impl SharedArgs {
    /// Refuses a key given both by `--set` and by its own flag (`flags` names the flags given:
    /// `seed`, and `replications` for `run`).
    pub fn check_given_once(&self, flags: &[(&str, bool)]) -> Result<(), CliError> {
        for &(flag, given) in flags {
            let set = self
                .sets
                .iter()
                .find(|a| a.split_once('=').is_some_and(|(k, _)| k.trim() == flag));
            if let (true, Some(assignment)) = (given, set) {
                return Err(CliError::Input(anyhow!(
                    "--set {assignment} and --{flag} both give the {flag}: give it once"
                )));
            }
        }
        Ok(())
    }

    /// Applies `--set` and then `--seed` to the scenario.
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), CliError> {
        for assignment in &self.sets {
            *scenario = scenario
                .clone()
                .apply_set(assignment)
                .map_err(|e| CliError::Input(e.into()))?;
        }
        if let Some(seed) = self.seed {
            scenario.seed = seed;
        }
        Ok(())
    }
}
