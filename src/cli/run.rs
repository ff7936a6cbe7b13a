//! `csu-sim run`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use rayon::prelude::*;

use super::progress::{RunObserver, interrupt_flag};
use super::shared::SharedArgs;
use super::{CliError, load::load, print_out, worker_pool};
use crate::experiment::{Experiment, ExperimentResults};
use crate::output::{self, OutputDir, ReplicationLog, RunInfo};
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
    #[command(flatten)]
    shared: SharedArgs,
}

impl RunArgs {
    fn adjust(&self, scenario: &mut Scenario) -> Result<(), CliError> {
        let input = |e: crate::scenario::ScenarioError| CliError::Input(e.into());
        // A key given twice on the command line is ambiguous: say so rather than pick one.
        self.shared.check_given_once(&[
            ("seed", self.shared.seed.is_some()),
            ("replications", self.replications.is_some()),
        ])?;
        self.shared.apply(scenario)?;
        for assignment in &self.sweeps {
            *scenario = scenario.clone().apply_sweep(assignment).map_err(input)?;
        }
        if let Some(replications) = self.replications {
            if !(1..=MAX_REPLICATIONS).contains(&replications) {
                return Err(CliError::Input(anyhow!(
                    "--replications {}",
                    replications_limit(replications as f64)
                )));
            }
            scenario.replications = replications;
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

/// Runs a scenario end to end.
pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let loaded = load(&args.scenario, |s| args.adjust(s))?;
    let pool = worker_pool(args.shared.threads)?;
    let experiment = Experiment::new(&loaded.scenario, &loaded.register);
    let dir_path = args
        .shared
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(folder_name(&loaded.scenario.name)));
    let internal = CliError::from_output;
    let mut dir = OutputDir::create(&dir_path).map_err(internal)?;
    let log = ReplicationLog::create(&mut dir, &experiment).map_err(internal)?;
    let stop = interrupt_flag();
    let mut observer = RunObserver::new(log, loaded.scenario.replications, args.shared.quiet, stop.clone());
    let started = Instant::now();
    let outcome = pool.install(|| experiment.run(&mut observer));
    observer.finish();
    let interrupted = |what: String| {
        CliError::Interrupted(anyhow!(
            "{what}; nothing was written, and the files of any earlier run in {} are as they were",
            dir_path.display()
        ))
    };
    let results = match outcome {
        Ok(results) => results,
        Err(stop) if observer.interrupted() => return Err(interrupted(stop.to_string())),
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
    if let Some(cell) = crate::experiment::findings::non_finite_headline(&results) {
        return Err(CliError::Input(anyhow!("{cell}; nothing was written")));
    }
    let elapsed = started.elapsed().as_secs_f64();
    let run = RunInfo {
        scenario: &loaded.scenario,
        threads: pool.current_num_threads(),
        elapsed_seconds: elapsed,
    };
    pool.install(|| write_outputs(&mut dir, &results, &run))
        .map_err(internal)?;
    if stop.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(interrupted("interrupted while writing the results".to_string()));
    }
    let written = dir.commit().map_err(internal)?;
    if !args.shared.quiet {
        print_out(&format!(
            "{}\n{}{}\n{} cells x {} replications in {:.2} s; wrote {} files to {}\n",
            output::summary_table(&results),
            output::verdict_table(&results),
            output::notes(&results),
            results.cells.len(),
            results.meta.replications,
            elapsed,
            written.len(),
            dir_path.display()
        ))?;
    }
    Ok(())
}

fn write_outputs(dir: &mut OutputDir, results: &ExperimentResults, run: &RunInfo) -> Result<(), output::OutputError> {
    for exporter in output::exporters() {
        let bytes = exporter.serialize(results)?;
        dir.stage(exporter.file_name(), &bytes)?;
    }
    dir.stage("run.json", &output::run_json(results, run)?)?;
    // Charts are independent: render them in parallel, then stage them in order.
    let rendered: Vec<Result<_, output::OutputError>> = output::chart::charts_for(results)
        .into_par_iter()
        .map(|chart| {
            Ok((
                output::chart::svg(results, &chart)?,
                output::chart::png(results, &chart)?,
                chart,
            ))
        })
        .collect();
    let mut inline = Vec::new();
    for item in rendered {
        let (svg, png, chart) = item?;
        dir.stage(&format!("charts/{}.svg", chart.stem), svg.as_bytes())?;
        dir.stage(&format!("charts/{}.png", chart.stem), &png)?;
        inline.push((chart, svg));
    }
    dir.stage("report.html", output::report_html(results, &inline, run).as_bytes())?;
    Ok(())
}
