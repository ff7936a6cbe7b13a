//! The flags `run` and `uncertainty` share, and how they adjust a scenario.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;

use super::CliError;
use crate::scenario::Scenario;

/// Flags common to the commands that run a scenario.
#[derive(Debug, Args)]
pub struct SharedArgs {
    /// Master seed, overriding the scenario's (a whole number from 0 to 18446744073709551615)
    #[arg(long, value_parser = parse_seed)]
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
    /// Run only shard K of N (1 <= K <= N) and write it to shard-K-of-N.csu in the output
    /// folder [default: output/<name>-shards]; `csu-sim merge` joins the N shards
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// Reads `--seed`: the message says what is allowed.
fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| format!("allowed is a whole number from 0 to {}, not '{text}'", u64::MAX))
}

/// Most shards a study may be split into.
pub const MAX_SHARDS: u64 = 100_000;

impl SharedArgs {
    /// The shard asked for, as `(K, N)`, or a message naming the flag and what is allowed.
    pub fn shard(&self) -> Result<Option<(u64, u64)>, CliError> {
        let Some(given) = &self.shard else {
            return Ok(None);
        };
        let bad = |why: String| CliError::Input(anyhow!("--shard {given}: {why}"));
        let (k, n) = given
            .split_once('/')
            .ok_or_else(|| bad("write it as K/N, shard K of N, for example 2/4".to_string()))?;
        let number = |text: &str, what: &str| {
            text.trim()
                .parse::<u64>()
                .map_err(|_| bad(format!("{what} must be a whole number, not '{text}'")))
        };
        let (k, n) = (number(k, "K")?, number(n, "N")?);
        if !(1..=MAX_SHARDS).contains(&n) {
            return Err(bad(format!("N must be from 1 to {MAX_SHARDS}")));
        }
        if !(1..=n).contains(&k) {
            return Err(bad(format!("K must be from 1 to N ({n}); shards are numbered from 1")));
        }
        Ok(Some((k, n)))
    }

    /// The flags that shape the study (`--seed`, `--set`), as arguments.
    pub fn study_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(seed) = self.seed {
            args.extend(["--seed".to_string(), seed.to_string()]);
        }
        for set in &self.sets {
            args.extend(["--set".to_string(), set.clone()]);
        }
        args
    }

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

    /// Applies `--set` and then `--seed` to the scenario; every `--set` that cannot be applied
    /// is reported, together.
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), CliError> {
        let mut errors = Vec::new();
        for assignment in &self.sets {
            match scenario.clone().apply_set(assignment) {
                Ok(changed) => *scenario = changed,
                Err(e) => errors.push(CliError::Input(e.into())),
            }
        }
        if let Some(error) = CliError::inputs(errors) {
            return Err(error);
        }
        if let Some(seed) = self.seed {
            scenario.seed = seed;
            scenario.note_change("seed", seed.to_string(), format!("--seed {seed}"));
        }
        Ok(())
    }
}
