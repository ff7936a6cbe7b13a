//! `csu-sim uncertainty`: what drives the verdict when the assumptions are uncertain.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::load::{LoadedScenario, load};
use super::progress::interrupt_flag;
use super::run::folder_name;
use super::shared::SharedArgs;
use super::{CliError, print_out, worker_pool};
use crate::experiment::shard_range;
use crate::experiment::uncertainty::{
    self, Plan, Progress, Study, UncertaintyError, UncertaintyResults, analyse, planned_sets,
};
use crate::output::shard::{Invocation, Part, ShardHeader, ShardWriter, embedded_for, study_hash};
use crate::output::uncertainty::{UncertaintyRunInfo, uncertainty_summary};
use crate::output::{self, OutputDir};

/// Arguments of `uncertainty`.
#[derive(Debug, Args)]
pub struct UncertaintyArgs {
    /// Scenario file (TOML) with an [uncertain] table
    pub(super) scenario: PathBuf,
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
    /// Bootstrap resamples of the Sobol' indices (at least 200)
    #[arg(long, default_value_t = Plan::default().bootstrap)]
    bootstrap: usize,
    /// Replications of a PSA set run again because its cheapest option is not the scenario's
    /// leader or the leader's lead is within Monte Carlo noise (0: none run again)
    #[arg(long, default_value_t = Plan::default().confirm_replications)]
    confirm_replications: u64,
    #[command(flatten)]
    shared: SharedArgs,
}

/// Largest design accepted: rows of A and B, and Morris trajectories.
const MAX_SAMPLES: usize = 1 << 16;

impl UncertaintyArgs {
    /// Returns the plan, or a message naming the flag and what is allowed.
    pub(super) fn plan(&self) -> Result<Plan, CliError> {
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
        if !(200..=100_000).contains(&self.bootstrap) {
            return Err(bad(
                "bootstrap",
                self.bootstrap.to_string(),
                "an integer from 200 to 100000 (fewer resamples give intervals whose ends are themselves noise)",
            ));
        }
        if self.confirm_replications > 100_000 {
            return Err(bad(
                "confirm-replications",
                self.confirm_replications.to_string(),
                "an integer from 0 (no confirmation) to 100000",
            ));
        }
        Ok(Plan {
            samples: self.samples,
            replications: self.replications,
            trajectories: self.trajectories,
            oat_replications: self.oat_replications,
            bootstrap: self.bootstrap,
            confirm_replications: self.confirm_replications,
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

/// Runs the analysis end to end, or one shard of it.
pub fn uncertainty(args: &UncertaintyArgs) -> Result<(), CliError> {
    let plan = args.plan()?;
    let shard = args.shared.shard()?;
    let loaded = load(&args.scenario, |scenario| args.adjust(scenario))?;
    super::print_warnings(&loaded.scenario, args.shared.quiet);
    let pool = worker_pool(args.shared.threads)?;
    // Refused before the output folder is touched.
    uncertainty::check(&loaded.scenario)
        .map_err(|err| CliError::Input(anyhow!("{}: {err}", args.scenario.display())))?;
    check_estimate(&loaded, plan)?;
    let progress = StageBar::new(args.shared.quiet);
    let started = Instant::now();
    if let Some((k, n)) = shard {
        return run_shard(args, &loaded, plan, &pool, &progress, (k, n));
    }
    let dir_path = output_folder(args.shared.out.as_deref(), &loaded.scenario.name);
    let dir = OutputDir::create(&dir_path).map_err(CliError::from_output)?;
    let analysed = pool.install(|| analyse(&loaded.scenario, &loaded.register, plan, &progress));
    progress.bar.finish_and_clear();
    let results = analysed.map_err(|err| analysis_error(&args.scenario, err))?;
    // The planned count, as a merge of shards reports it: the count evaluated also holds the
    // confirmations and the searches' probes, which depend on what the sets show.
    let sets = planned_count(&loaded, plan);
    write_analysis(
        dir,
        &dir_path,
        &results,
        &loaded,
        &pool,
        started,
        sets,
        args.shared.quiet,
    )
}

/// The folder an analysis writes to: `--out`, or `output/<name>-uncertainty`
/// (`output/<name>-analysis` when the name already ends in "uncertainty", so that
/// `scenarios/uncertainty.toml` writes `output/uncertainty-analysis`, beside the plain run's
/// `output/uncertainty`).
pub(super) fn output_folder(out: Option<&Path>, name: &str) -> PathBuf {
    let name = folder_name(name);
    let suffix = if name.ends_with("uncertainty") {
        "analysis"
    } else {
        "uncertainty"
    };
    out.map_or_else(
        || PathBuf::from("output").join(format!("{name}-{suffix}")),
        Path::to_path_buf,
    )
}

/// Maps an analysis error: an interruption exits 130, anything else names the scenario.
pub(super) fn analysis_error(scenario: &Path, err: UncertaintyError) -> CliError {
    match err {
        UncertaintyError::Interrupted => {
            CliError::Interrupted(anyhow!("the analysis was interrupted; nothing was written"))
        }
        err => CliError::Input(anyhow!("{}: {err}", scenario.display())),
    }
}

impl UncertaintyArgs {
    /// Applies `--set` and `--seed`, once each.
    pub(super) fn adjust(&self, scenario: &mut crate::scenario::Scenario) -> Result<(), CliError> {
        self.shared.check_given_once(&[("seed", self.shared.seed.is_some())])?;
        self.shared.apply(scenario)
    }

    /// The arguments that shape the study, as a shard records them for merge to rebuild it.
    fn study_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for (flag, value) in [
            ("--samples", self.samples.to_string()),
            ("--replications", self.replications.to_string()),
            ("--trajectories", self.trajectories.to_string()),
            ("--oat-replications", self.oat_replications.to_string()),
            ("--bootstrap", self.bootstrap.to_string()),
            ("--confirm-replications", self.confirm_replications.to_string()),
        ] {
            args.extend([flag.to_string(), value]);
        }
        args.extend(self.shared.study_args());
        // The scenario last, after `--`, so that a path starting with '-' parses back as one.
        args.extend(["--".to_string(), self.scenario.display().to_string()]);
        args
    }
}

impl StageBar {
    fn new(quiet: bool) -> StageBar {
        let bar = if quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::with_draw_target(Some(1), ProgressDrawTarget::stderr())
        };
        let style = ProgressStyle::with_template("{msg:28} {bar:30} {pos}/{len} parameter sets, ETA {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        StageBar {
            bar,
            done: Default::default(),
            stop: interrupt_flag(),
        }
    }
}

/// The study an analysis's shards belong to: the version, the resolved scenario, the register
/// and the plan.
pub(super) fn study_of(loaded: &LoadedScenario, plan: Plan) -> String {
    study_hash(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        b"uncertainty",
        loaded.scenario.to_toml().as_bytes(),
        loaded.register_text().as_bytes(),
        format!("{plan:?}").as_bytes(),
    ])
}

/// Runs shard `k` of `n`: its block of the fixed parameter sets and its block of the
/// switching-value searches, written to `shard-K-of-N.csu`.
fn run_shard(
    args: &UncertaintyArgs,
    loaded: &LoadedScenario,
    plan: Plan,
    pool: &rayon::ThreadPool,
    progress: &StageBar,
    (k, n): (u64, u64),
) -> Result<(), CliError> {
    let started = Instant::now();
    let study = Study::new(&loaded.scenario, &loaded.register, plan).map_err(|e| analysis_error(&args.scenario, e))?;
    let sets = shard_range(k, n, study.set_count());
    let searches = shard_range(k, n, study.search_count());
    let part = |list: &str, range: &std::ops::Range<u64>, total| Part {
        list: list.to_string(),
        start: range.start,
        end: range.end,
        total,
    };
    let header = ShardHeader {
        program: "csu-sim".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        command: "uncertainty".to_string(),
        study: study_of(loaded, plan),
        shard: k,
        of: n,
        parts: vec![
            part("sets", &sets, study.set_count()),
            part("searches", &searches, study.search_count()),
        ],
        invocation: Invocation {
            args: args.study_args(),
            files: embedded_for(k, &loaded.files),
        },
    };
    let computed = pool.install(|| -> Result<_, UncertaintyError> {
        // Confirmation and the searches need the verdict at the scenario's values.
        let verdicts = study.verdicts(&study.evaluate_defaults(progress)?);
        let outputs = study.evaluate_sets(sets.clone(), &verdicts, progress)?;
        let found = study.search(searches.clone(), &verdicts, progress)?;
        Ok((outputs, found))
    });
    progress.bar.finish_and_clear();
    let (outputs, found) = computed.map_err(|e| analysis_error(&args.scenario, e))?;
    let dir_path = super::run::shard_folder(&args.shared, &loaded.scenario.name, "uncertainty-shards");
    let mut writer = ShardWriter::create(&dir_path, &header).map_err(CliError::from_output)?;
    for set in &outputs {
        writer.put_set(set);
    }
    for side in &found {
        writer.put_search(side);
    }
    let path = writer.finish().map_err(CliError::from_output)?;
    if !args.shared.quiet {
        print_out(&format!(
            "shard {k} of {n}: parameter sets {} to {} of {} and searches {} to {} of {} in {:.1} s; wrote {}\n\
             merge the {n} shards with: csu-sim merge {}\n",
            sets.start + 1,
            sets.end,
            study.set_count(),
            searches.start + 1,
            searches.end,
            study.search_count(),
            started.elapsed().as_secs_f64(),
            path.display(),
            dir_path.display()
        ))?;
    }
    Ok(())
}

/// Refuses, before anything runs, an analysis whose estimated work or memory is past the
/// limits, saying how much it would take and which flags reduce it.
fn check_estimate(loaded: &LoadedScenario, plan: Plan) -> Result<(), CliError> {
    let scenario = &loaded.scenario;
    let values = scenario
        .uncertain
        .iter()
        .filter(|input| uncertainty::is_value(input))
        .count();
    let estimate = plan.estimate(
        scenario.uncertain.len(),
        values,
        scenario.options.len(),
        scenario.units.len(),
    );
    // About 60,000 cell-replications a second on this two-core machine.
    let hours = estimate.work / 60_000.0 / 3600.0;
    let gib = estimate.memory / (1024.0 * 1024.0 * 1024.0);
    if estimate.work > uncertainty::MAX_WORK || estimate.memory > uncertainty::MAX_MEMORY {
        return Err(CliError::Input(anyhow!(
            "{}: this analysis would run up to {:.2e} cell-replications (about {:.0} hours on two cores) and hold about {:.1} GiB; \
             allowed are {:.0e} and {:.0} GiB: reduce --samples, --trajectories, --replications, --oat-replications or \
             --confirm-replications, or the inputs, options or N",
            scenario.file,
            estimate.work,
            hours.max(1.0),
            gib,
            uncertainty::MAX_WORK,
            uncertainty::MAX_MEMORY / (1024.0 * 1024.0 * 1024.0)
        )));
    }
    Ok(())
}

/// The parameter sets an analysis plans before its confirmations and searches.
pub(super) fn planned_count(loaded: &LoadedScenario, plan: Plan) -> u64 {
    let scenario = &loaded.scenario;
    let values = scenario
        .uncertain
        .iter()
        .filter(|input| uncertainty::is_value(input))
        .count();
    planned_sets(plan, scenario.uncertain.len(), values, scenario.units.len())
}

/// Returns why a fixed set's means from a shard are not ones the analysis can produce: a
/// headline beyond any cost, an unmet share outside 0 to 1, replications the plan never runs,
/// a paired sd negative or infinite.
pub(super) fn check_set(set: &uncertainty::SetOutput, plan: Plan) -> Result<(), String> {
    let rungs = [
        plan.replications,
        plan.oat_replications,
        100,
        300,
        plan.confirm_replications,
    ];
    let means = std::iter::once(&set.means).chain(set.confirmed.iter().map(|(m, _)| m));
    for (c, m) in means.flatten().enumerate() {
        let sd_ok = m.pair_sd.iter().all(|&sd| sd.is_nan() || (sd.is_finite() && sd >= 0.0));
        let ok = m.headline.is_finite()
            && m.headline.abs() <= crate::model::metrics::MAX_MONEY_METRIC
            && (0.0..=1.0).contains(&m.unmet)
            && rungs.contains(&m.replications)
            && sd_ok;
        if !ok {
            return Err(format!(
                "cell {}: means (headline {}, unmet {}, {} replications) cannot come from the analysis",
                c + 1,
                m.headline,
                m.unmet,
                m.replications
            ));
        }
    }
    Ok(())
}

/// Returns why a switching-value search's answer from a shard cannot be one the analysis
/// gives: values not finite, or an interval not ordered.
pub(super) fn check_search(side: &uncertainty::switching::SideSearch) -> Result<(), String> {
    let searched_ok = side.searched.0.is_finite() && side.searched.1.is_finite() && side.searched.0 <= side.searched.1;
    let crossing_ok = side.crossing.is_none_or(|c| {
        c.value.is_finite() && c.interval.0.is_finite() && c.interval.1.is_finite() && c.interval.0 <= c.interval.1
    });
    if searched_ok && crossing_ok {
        Ok(())
    } else {
        Err("its values cannot come from the analysis".to_string())
    }
}

/// Writes an analysis's tables, charts and report, swaps the folder into place and prints
/// the summary.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_analysis(
    mut dir: OutputDir,
    dir_path: &Path,
    results: &UncertaintyResults,
    loaded: &LoadedScenario,
    pool: &rayon::ThreadPool,
    started: Instant,
    sets: u64,
    quiet: bool,
) -> Result<(), CliError> {
    let internal = CliError::from_output;
    let elapsed = started.elapsed().as_secs_f64();
    let run = UncertaintyRunInfo {
        scenario: loaded.scenario.name.clone(),
        seed: loaded.scenario.seed,
        threads: pool.current_num_threads(),
        elapsed_seconds: elapsed,
        sets,
    };
    pool.install(|| output::stage_analysis(&mut dir, results, &run, &loaded.scenario.to_toml()))
        .map_err(internal)?;
    if interrupt_flag().load(Ordering::SeqCst) {
        return Err(CliError::Interrupted(anyhow!(
            "interrupted while writing the results; nothing was written"
        )));
    }
    let written = dir.commit().map_err(internal)?;
    if !quiet {
        print_out(&format!(
            "{}\n{} parameter sets in {:.1} s; wrote {} files to {}\n",
            uncertainty_summary(results),
            run.sets,
            elapsed,
            written.len(),
            dir_path.display()
        ))?;
    }
    Ok(())
}
