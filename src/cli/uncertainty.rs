//! `csu-sim uncertainty`: what drives the verdict when the assumptions are uncertain.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::progress::interrupt_flag;
use super::run::folder_name;
use super::shared::SharedArgs;
use super::{CliError, load::load, print_out, worker_pool};
use crate::experiment::uncertainty::{self, Plan, Progress, UncertaintyError, analyse};
use crate::output::uncertainty::{
    UncertaintyRunInfo, uncertainty_charts, uncertainty_report, uncertainty_summary, uncertainty_tables,
};
use crate::output::{self, OutputDir};

/// Arguments of `uncertainty`.
#[derive(Debug, Args)]
pub struct UncertaintyArgs {
    /// Scenario file (TOML) with an [uncertain] table
    scenario: PathBuf,
    /// Rows of each Latin hypercube A and B: the PSA has twice as many parameter sets
    #[arg(long, default_value_t = Plan::default().samples)]
    samples: usize,
    /// Replications per parameter set in the PSA, Sobol' and Morris stages
    #[arg(long, default_value_t = Plan::default().replications)]
    replications: u64,
    /// Morris trajectories
    #[arg(long, default_value_t = Plan::default().trajectories)]
    trajectories: usize,
    /// Replications per evaluation of the tornado and the switching values
    #[arg(long, default_value_t = Plan::default().oat_replications)]
    oat_replications: u64,
    /// Bootstrap resamples of the Sobol' indices
    #[arg(long, default_value_t = Plan::default().bootstrap)]
    bootstrap: usize,
    #[command(flatten)]
    shared: SharedArgs,
}

/// Largest design accepted: rows of A and B, and Morris trajectories.
const MAX_SAMPLES: usize = 1 << 16;

impl UncertaintyArgs {
    /// Returns the plan, or a message naming the flag and what is allowed.
    fn plan(&self) -> Result<Plan, CliError> {
        let bad = |flag: &str, value: String, allowed: &str| {
            CliError::Input(anyhow!("--{flag} {value}: allowed is {allowed}"))
        };
        if !(8..=MAX_SAMPLES).contains(&self.samples) {
            return Err(bad(
                "samples",
                self.samples.to_string(),
                &format!("an integer from 8 to {MAX_SAMPLES}"),
            ));
        }
        if !(1..=10_000).contains(&self.replications) {
            return Err(bad(
                "replications",
                self.replications.to_string(),
                "an integer from 1 to 10000",
            ));
        }
        if !(2..=MAX_SAMPLES).contains(&self.trajectories) {
            return Err(bad(
                "trajectories",
                self.trajectories.to_string(),
                &format!("an integer from 2 to {MAX_SAMPLES}"),
            ));
        }
        if !(1..=100_000).contains(&self.oat_replications) {
            return Err(bad(
                "oat-replications",
                self.oat_replications.to_string(),
                "an integer from 1 to 100000",
            ));
        }
        if !(10..=100_000).contains(&self.bootstrap) {
            return Err(bad(
                "bootstrap",
                self.bootstrap.to_string(),
                "an integer from 10 to 100000",
            ));
        }
        Ok(Plan {
            samples: self.samples,
            replications: self.replications,
            trajectories: self.trajectories,
            oat_replications: self.oat_replications,
            bootstrap: self.bootstrap,
        })
    }
}

/// A progress bar per stage, on stderr when it is a terminal.
struct StageBar {
    bar: ProgressBar,
    done: std::sync::atomic::AtomicU64,
    stop: Arc<AtomicBool>,
}

impl Progress for StageBar {
    fn stage(&self, name: &str, sets: u64) {
        self.bar.set_length(sets);
        self.bar.set_position(0);
        self.bar.reset_eta();
        self.bar.set_message(name.to_string());
    }

    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
        self.bar.inc(n);
    }

    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// Runs the analysis end to end.
pub fn uncertainty(args: &UncertaintyArgs) -> Result<(), CliError> {
    let plan = args.plan()?;
    let loaded = load(&args.scenario, |scenario| {
        args.shared.check_given_once(&[("seed", args.shared.seed.is_some())])?;
        args.shared.apply(scenario)
    })?;
    let pool = worker_pool(args.shared.threads)?;
    // Refused before the output folder is touched.
    uncertainty::check(&loaded.scenario)
        .map_err(|err| CliError::Input(anyhow!("{}: {err}", args.scenario.display())))?;
    let dir_path =
        args.shared.out.clone().unwrap_or_else(|| {
            PathBuf::from("output").join(format!("{}-uncertainty", folder_name(&loaded.scenario.name)))
        });
    let internal = CliError::from_output;
    let mut dir = OutputDir::create(&dir_path).map_err(internal)?;
    let stop = interrupt_flag();
    let bar = if args.shared.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr())
    };
    let style = ProgressStyle::with_template("{msg:28} {bar:30} {pos}/{len} parameter sets, ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    let progress = StageBar {
        bar,
        done: Default::default(),
        stop: stop.clone(),
    };
    let started = Instant::now();
    let analysed = pool.install(|| analyse(&loaded.scenario, &loaded.register, plan, &progress));
    progress.bar.finish_and_clear();
    let results = match analysed {
        Ok(results) => results,
        Err(UncertaintyError::Interrupted) => {
            return Err(CliError::Interrupted(anyhow!(
                "the analysis was interrupted; nothing was written"
            )));
        }
        Err(err) => return Err(CliError::Input(anyhow!("{}: {err}", args.scenario.display()))),
    };
    let elapsed = started.elapsed().as_secs_f64();
    let run = UncertaintyRunInfo {
        scenario: loaded.scenario.name.clone(),
        seed: loaded.scenario.seed,
        threads: pool.current_num_threads(),
        elapsed_seconds: elapsed,
        sets: progress.done.load(Ordering::Relaxed),
    };
    for (name, bytes) in uncertainty_tables(&results).map_err(internal)? {
        dir.stage(name, &bytes).map_err(internal)?;
    }
    let charts = uncertainty_charts(&results);
    let rendered: Vec<Result<_, output::OutputError>> = pool.install(|| {
        charts
            .par_iter()
            .map(|(kind, stem, title)| {
                output::chart::uncertainty_chart(&results, *kind, stem, title)
                    .map(|(svg, png)| (stem.clone(), title.clone(), svg, png))
            })
            .collect()
    });
    let mut inline = Vec::new();
    for item in rendered {
        let (stem, title, svg, png) = item.map_err(internal)?;
        dir.stage(&format!("charts/{stem}.svg"), svg.as_bytes())
            .map_err(internal)?;
        dir.stage(&format!("charts/{stem}.png"), &png).map_err(internal)?;
        inline.push((stem, title, svg));
    }
    dir.stage(
        "uncertainty.html",
        uncertainty_report(&results, &inline, &run).as_bytes(),
    )
    .map_err(internal)?;
    dir.stage("scenario.toml", loaded.scenario.to_toml().as_bytes())
        .map_err(internal)?;
    if stop.load(Ordering::SeqCst) {
        return Err(CliError::Interrupted(anyhow!(
            "interrupted while writing the results; nothing was written"
        )));
    }
    let written = dir.commit().map_err(internal)?;
    if !args.shared.quiet {
        print_out(&format!(
            "{}\n{} parameter sets in {:.1} s; wrote {} files to {}\n",
            uncertainty_summary(&results),
            run.sets,
            elapsed,
            written.len(),
            dir_path.display()
        ))?;
    }
    Ok(())
}
