//! `csu-sim run`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;

use super::load::{LoadedScenario, load};
use super::progress::{RunObserver, interrupt_flag};
use super::shared::SharedArgs;
use super::{CliError, print_out, worker_pool};
use crate::experiment::{Experiment, ExperimentResults, Observer, shard_range};
use crate::output::shard::{Invocation, Part, ShardHeader, ShardWriter, embedded_for, study_hash};
use crate::output::{self, OutputDir, Outputs, ReplicationLog, RunInfo};
use crate::scenario::{MAX_REPLICATIONS, Scenario, replications_limit};

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML)
    scenario: PathBuf,
    /// Replications per cell, overriding the scenario's
    #[arg(long)]
    replications: Option<u64>,
    /// Sweep a numeric key: --sweep onboarding.per_unit_month=1,2,4 (repeatable)
    #[arg(long = "sweep", value_name = "KEY=V1,V2,...")]
    sweeps: Vec<String>,
    /// Replicate in batches of 100 until every cell's headline 95% CI is narrower than
    /// +/- this many GBP per head, with --replications (or the scenario's) as the cap
    #[arg(long, value_name = "GBP", allow_negative_numbers = true)]
    target_ci: Option<f64>,
    /// Write only these outputs (run.json always): all, or a comma-separated list of summary,
    /// comparisons, best_n, lead_parts, facts, json, excel, regions, units, replications, charts,
    /// report
    #[arg(long, value_name = "LIST")]
    outputs: Option<String>,
    #[command(flatten)]
    shared: SharedArgs,
}

impl RunArgs {
    /// The arguments that shape the study, as a shard records them for merge to rebuild it.
    fn study_args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(replications) = self.replications {
            args.extend(["--replications".to_string(), replications.to_string()]);
        }
        for sweep in &self.sweeps {
            args.extend(["--sweep".to_string(), sweep.clone()]);
        }
        if let Some(outputs) = &self.outputs {
            args.extend(["--outputs".to_string(), outputs.clone()]);
        }
        args.extend(self.shared.study_args());
        // The scenario last, after `--`, so that a path starting with '-' parses back as one.
        args.extend(["--".to_string(), self.scenario.display().to_string()]);
        args
    }

    /// The outputs asked for, or a message naming the flag and what is allowed.
    pub(super) fn outputs(&self) -> Result<Outputs, CliError> {
        match &self.outputs {
            None => Ok(Outputs::default()),
            Some(list) => Outputs::parse(list).map_err(|why| CliError::Input(anyhow!("--outputs {list}: {why}"))),
        }
    }

    /// The scenario file.
    pub(super) fn scenario(&self) -> &Path {
        &self.scenario
    }

    pub(super) fn adjust(&self, scenario: &mut Scenario) -> Result<(), CliError> {
        let input = |e: crate::scenario::ScenarioError| CliError::Input(e.into());
        // A key given twice on the command line is ambiguous: say so rather than pick one.
        self.shared.check_given_once(&[
            ("seed", self.shared.seed.is_some()),
            ("replications", self.replications.is_some()),
        ])?;
        // Every flag is checked, and every mistake reported together.
        let mut errors = Vec::new();
        if let Err(e) = self.shared.apply(scenario) {
            errors.push(e);
        }
        for assignment in &self.sweeps {
            match scenario.clone().apply_sweep(assignment) {
                Ok(swept) => *scenario = swept,
                Err(e) => errors.push(input(e)),
            }
        }
        if let Some(replications) = self.replications
            && !(1..=MAX_REPLICATIONS).contains(&replications)
        {
            errors.push(CliError::Input(anyhow!(
                "--replications {}",
                replications_limit(replications as f64)
            )));
        }
        if let Some(error) = CliError::inputs(errors) {
            return Err(error);
        }
        if let Some(replications) = self.replications {
            scenario.replications = replications;
            scenario.note_change(
                "replications",
                replications.to_string(),
                format!("--replications {replications}"),
            );
            if let Some(message) = scenario.workload_problem() {
                return Err(CliError::Input(anyhow!("--replications {replications}: {message}")));
            }
        }
        Ok(())
    }
}

/// Returns a folder name made from a scenario name: letters, digits, `-`, `_` and `.` kept.
pub(super) fn folder_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.trim_matches('.').is_empty() {
        "scenario".to_string()
    } else {
        cleaned
    }
}

/// Replications per batch under `--target-ci`: precision is checked after each.
pub const TARGET_BATCH: u64 = 100;

/// Runs a scenario end to end, or one shard of it.
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let shard = args.shared.shard()?;
    let outputs = args.outputs()?;
    check_target_ci(args.target_ci, shard.is_some())?;
    let loaded = load(&args.scenario, |s| args.adjust(s))?;
    super::print_warnings(&loaded.scenario, args.shared.quiet);
    let pool = worker_pool(args.shared.threads)?;
    let mut experiment = Experiment::new(&loaded.scenario, &loaded.register);
    if outputs.needs_places() {
        experiment = experiment.with_places();
    }
    if let Some((k, n)) = shard {
        return run_shard(args, &loaded, &experiment, &pool, k, n);
    }
    let dir_path = args
        .shared
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(folder_name(&loaded.scenario.name)));
    let internal = CliError::from_output;
    let mut dir = OutputDir::create(&dir_path).map_err(internal)?;
    let log = ReplicationLog::create(&mut dir, &experiment, outputs.wants("replications")).map_err(internal)?;
    let stop = interrupt_flag();
    let mut observer = RunObserver::new(log, loaded.scenario.replications, args.shared.quiet, stop.clone());
    let started = Instant::now();
    let outcome = pool.install(|| match args.target_ci {
        None => experiment.run(&mut observer),
        Some(target) => experiment.run_until(TARGET_BATCH, &mut observer, |results| {
            widest_half_width(results) < target
        }),
    });
    observer.finish();
    let mut results = match outcome {
        Ok(results) => results,
        Err(stop) if observer.interrupted() => return Err(interrupted(&dir_path, stop.to_string())),
        Err(stop) => {
            // The run stopped because replications.csv could not be written: say why.
            let cause = observer
                .log
                .finish()
                .err()
                .map_or_else(|| stop.to_string(), |e| format!("{:#}", anyhow::Error::from(e)));
            return Err(CliError::Internal(anyhow!(
                "{cause}; the run stopped and nothing was written"
            )));
        }
    };
    observer.log.finish().map_err(internal)?;
    let mut scenario = loaded.scenario.clone();
    let precision = match args.target_ci {
        Some(target) => record_target(target, &mut scenario, &mut results),
        None => String::new(),
    };
    let finished = Finished {
        scenario: &scenario,
        dir_path: &dir_path,
        pool: &pool,
        started,
        quiet: args.shared.quiet,
        outputs: &outputs,
    };
    finished.write(dir, &results)?;
    if !args.shared.quiet && !precision.is_empty() {
        print_out(&precision)?;
    }
    Ok(())
}

/// Checks `--target-ci`: a half-width in GBP per head, and not with `--shard`.
fn check_target_ci(target: Option<f64>, sharded: bool) -> Result<(), CliError> {
    let Some(target) = target else {
        return Ok(());
    };
    if !(target.is_finite() && target > 0.0 && target <= 1.0e6) {
        return Err(CliError::Input(anyhow!(
            "--target-ci {target}: allowed is a half-width in GBP per head above 0 and at most 1000000"
        )));
    }
    if sharded {
        return Err(CliError::Input(anyhow!(
            "--target-ci and --shard cannot be combined: shards split a fixed number of replications; give --replications instead"
        )));
    }
    Ok(())
}

/// Under `--target-ci`, records the replications the run used in the scenario and the
/// results' changes (so run.json reruns it), and returns the sentence saying whether the
/// target was reached.
fn record_target(target: f64, scenario: &mut Scenario, results: &mut ExperimentResults) -> String {
    let (used, cap, widest) = (
        results.meta.replications,
        scenario.replications,
        widest_half_width(results),
    );
    scenario.replications = used;
    scenario.note_change(
        "replications",
        used.to_string(),
        format!("--target-ci {target} (cap {cap})"),
    );
    results.meta.changes = scenario.changes.clone();
    if widest < target {
        format!(
            "--target-ci {target}: every headline's 95% CI is within +/- {widest:.4} GBP/head after {used} replications (batches of {TARGET_BATCH}, cap {cap})\n"
        )
    } else if !widest.is_finite() {
        format!(
            "--target-ci {target}: not reached by the cap of {cap} replications: with {used} replication a cell has no interval yet; give --replications at least 2 (a batch is {TARGET_BATCH})\n"
        )
    } else {
        format!(
            "--target-ci {target}: not reached by the cap of {cap} replications; the widest headline 95% CI is +/- {widest:.4} GBP/head (about {} replications would reach it)\n",
            (used as f64 * (widest / target).powi(2)).ceil()
        )
    }
}

/// The widest half-width of any cell's headline 95% CI so far (infinite while one is
/// undefined).
fn widest_half_width(results: &ExperimentResults) -> f64 {
    results
        .cells
        .iter()
        .map(|c| {
            let s = c.summary_so_far(crate::model::Metric::HEADLINE);
            let half = (s.ci_high - s.ci_low) / 2.0;
            if half.is_finite() { half } else { f64::INFINITY }
        })
        .fold(0.0, f64::max)
}

/// The message of a run stopped by a signal.
pub(super) fn interrupted(dir_path: &Path, what: String) -> CliError {
    CliError::Interrupted(anyhow!(
        "{what}; nothing was written, and the files of any earlier run in {} are as they were",
        dir_path.display()
    ))
}

/// A run whose replications are done (in this process, or merged from shards), and what
/// writing its outputs needs.
pub(super) struct Finished<'a> {
    pub scenario: &'a Scenario,
    pub dir_path: &'a Path,
    pub pool: &'a rayon::ThreadPool,
    pub started: Instant,
    pub quiet: bool,
    pub outputs: &'a Outputs,
}

impl Finished<'_> {
    /// Checks the results, writes every output into `dir`, swaps it into place and prints
    /// the summary.
    pub fn write(&self, mut dir: OutputDir, results: &ExperimentResults) -> Result<(), CliError> {
        let internal = CliError::from_output;
        if let Some(cell) = crate::experiment::findings::non_finite_headline(results) {
            return Err(CliError::Input(anyhow!("{cell}; nothing was written")));
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        let run = RunInfo {
            scenario: self.scenario,
            threads: self.pool.current_num_threads(),
            elapsed_seconds: elapsed,
        };
        self.pool
            .install(|| output::stage_run(&mut dir, results, &run, self.outputs))
            .map_err(internal)?;
        if interrupt_flag().load(std::sync::atomic::Ordering::SeqCst) {
            return Err(interrupted(
                self.dir_path,
                "interrupted while writing the results".to_string(),
            ));
        }
        let written = dir.commit().map_err(internal)?;
        if !self.quiet {
            print_out(&format!(
                "{}\n{}{}\n{} cells x {} replications in {:.2} s; wrote {} files to {}\n",
                output::summary_table(results),
                output::verdict_table(results),
                output::notes(results),
                results.cells.len(),
                results.meta.replications,
                elapsed,
                written.len(),
                self.dir_path.display()
            ))?;
        }
        Ok(())
    }
}

/// Runs shard `k` of `n`: its block of replications, written to `shard-K-of-N.csu`.
fn run_shard(
    args: &RunArgs,
    loaded: &LoadedScenario,
    experiment: &Experiment,
    pool: &rayon::ThreadPool,
    k: u64,
    n: u64,
) -> Result<(), CliError> {
    let total = loaded.scenario.replications;
    let range = shard_range(k, n, total);
    let header = ShardHeader {
        program: "csu-sim".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        command: "run".to_string(),
        study: run_study_hash(loaded),
        shard: k,
        of: n,
        parts: vec![Part {
            list: "replications".to_string(),
            start: range.start,
            end: range.end,
            total,
        }],
        invocation: Invocation {
            args: args.study_args(),
            files: embedded_for(k, &loaded.files),
        },
    };
    let dir_path = shard_folder(&args.shared, &loaded.scenario.name, "shards");
    let started = Instant::now();
    let writer = ShardWriter::create(&dir_path, &header).map_err(CliError::from_output)?;
    let mut observer = ShardObserver {
        writer,
        stop: interrupt_flag(),
    };
    match pool.install(|| experiment.run_range(range.clone(), &mut observer)) {
        Err(stop) if observer.stop.load(std::sync::atomic::Ordering::SeqCst) => {
            return Err(interrupted(&dir_path, stop.to_string()));
        }
        // A write error stopped it: `finish` reports it.
        Err(_) => {}
        Ok(results) => {
            // After the replications, the totals by place (order-free sums, so merge adds them).
            for totals in results.cells.iter().filter_map(|cell| cell.places.as_ref()) {
                observer.writer.put_places(totals);
            }
        }
    }
    let path = observer.writer.finish().map_err(CliError::from_output)?;
    if !args.shared.quiet {
        print_out(&format!(
            "shard {k} of {n}: replications {} to {} of {total} ({} cells) in {:.2} s; wrote {}\n\
             merge the {n} shards with: csu-sim merge {}\n",
            range.start + 1,
            range.end,
            experiment.cells().len(),
            started.elapsed().as_secs_f64(),
            path.display(),
            dir_path.display()
        ))?;
    }
    Ok(())
}

/// The study a run's shards belong to: the version, the resolved scenario and the register.
pub(super) fn run_study_hash(loaded: &LoadedScenario) -> String {
    study_hash(&[
        env!("CARGO_PKG_VERSION").as_bytes(),
        b"run",
        loaded.scenario.to_toml().as_bytes(),
        loaded.register_text().as_bytes(),
    ])
}

/// The folder shards go to: `--out`, or `output/<name>-<suffix>`.
pub(super) fn shard_folder(shared: &SharedArgs, name: &str, suffix: &str) -> PathBuf {
    shared
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-{suffix}", folder_name(name))))
}

/// Streams a shard's replications to its file, and stops on a signal or a write error.
struct ShardObserver {
    writer: ShardWriter,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Observer for ShardObserver {
    fn on_replication(&mut self, replication: u64, outcomes: &[crate::model::Outcome]) {
        self.writer.on_replication(replication, outcomes);
    }

    fn cancelled(&self) -> bool {
        self.writer.cancelled() || self.stop.load(std::sync::atomic::Ordering::SeqCst)
    }
}
