//! `csu-sim merge`: joins the shards of a study into the outputs one run would have written.
//!
//! A shard is untrusted input. The shards are checked first: each a regular file, whole (its
//! checksum), all from one study (the same version, command, resolved scenario, register and
//! plan) and split the same way, every shard once. The study is then rebuilt from the files and
//! arguments shard 1 embeds, every shard's totals are checked against that study (a checksum
//! proves integrity, not honesty), and every value of every payload is checked to be one the
//! model can produce, before the output folder is touched. Only then are the shards' results
//! fed, in order and one shard open at a time, through the same code a single run uses, so the
//! tables are the same to the byte and memory does not grow with the number of shards.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::{Args, Parser};

use super::load::{Files, load_from};
use super::run::{Finished, folder_name, run_study_hash};
use super::uncertainty::{
    UncertaintyArgs, analysis_error, check_search, check_set, output_folder, planned_count, study_of, write_analysis,
};
use super::{CliError, Command, worker_pool};
use crate::experiment::uncertainty::Study;
use crate::experiment::{Experiment, ExperimentResults, shard_range};
use crate::model::{Metric, Outcome};
use crate::output::shard::{Part, ShardError, ShardFile, ShardHeader};
use crate::output::{OutputDir, ReplicationLog};

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files, or folders holding them (every shard-K-of-N.csu inside)
    #[arg(required = true, value_name = "SHARDS")]
    shards: Vec<PathBuf>,
    /// Output folder [default: that of the unsharded command]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Worker threads [default: one per core]
    #[arg(long)]
    threads: Option<usize>,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

/// Most ranges of missing shards an error lists.
const MISSING_SHOWN: usize = 10;

/// Merges shards end to end.
pub fn merge(args: &MergeArgs) -> Result<(), CliError> {
    let shards = open_shards(&args.shards)?;
    let first = &shards[0];
    let command = rebuild(&first.header).map_err(|why| damaged(&first.path, &why))?;
    match command {
        Command::Run(run_args) => merge_run(args, &shards, &run_args),
        Command::Uncertainty(uncertainty_args) => merge_analysis(
            &shards,
            &uncertainty_args,
            args.out.as_deref(),
            args.threads,
            args.quiet,
        ),
        _ => Err(damaged(&first.path, "its command cannot be sharded")),
    }
}

/// Merges the shards of an analysis into the outputs one unsharded analysis would have written.
fn merge_analysis(
    shards: &[ShardFile],
    args: &UncertaintyArgs,
    out: Option<&Path>,
    threads: Option<usize>,
    quiet: bool,
) -> Result<(), CliError> {
    let started = Instant::now();
    let first = &shards[0];
    let plan = args.plan()?;
    let loaded = load_from(&Files::Embedded(&first.header.invocation.files), &args.scenario, |s| {
        args.adjust(s)
    })?;
    if study_of(&loaded, plan) != first.header.study {
        return Err(CliError::Input(anyhow!(
            "{}: its recorded scenario does not rebuild the study it names",
            first.path.display()
        )));
    }
    let pool = worker_pool(threads)?;
    let study = Study::new(&loaded.scenario, &loaded.register, plan).map_err(|e| analysis_error(&args.scenario, e))?;
    check_totals(
        shards,
        &[
            ("parameter sets", study.set_count()),
            ("searches", study.search_count()),
        ],
    )?;
    let cells = study.cells().len();
    let shard_error = |e: ShardError| CliError::Input(e.into());
    let (mut outputs, mut found) = (Vec::new(), Vec::new());
    for shard in shards {
        let count = |list: usize| shard.header.parts.get(list).map_or(0, |p| p.end - p.start);
        let mut payload = shard.payload().map_err(shard_error)?;
        for s in 0..count(0) {
            let set = payload.set(cells).map_err(shard_error)?;
            let at = shard.header.parts[0].start + s + 1;
            check_set(&set, plan)
                .map_err(|why| CliError::Input(anyhow!("{}: parameter set {at}: {why}", shard.path.display())))?;
            outputs.push(set);
        }
        for s in 0..count(1) {
            let side = payload.search().map_err(shard_error)?;
            let at = shard.header.parts[1].start + s + 1;
            check_search(&side)
                .map_err(|why| CliError::Input(anyhow!("{}: search {at}: {why}", shard.path.display())))?;
            found.push(side);
        }
        payload.end().map_err(shard_error)?;
    }
    let results = study
        .finish(outputs, found)
        .map_err(|e| analysis_error(&args.scenario, e))?;
    let dir_path = output_folder(out, &loaded.scenario.name);
    let dir = OutputDir::create(&dir_path).map_err(CliError::from_output)?;
    let sets = planned_count(&loaded, plan);
    write_analysis(dir, &dir_path, &results, &loaded, &pool, started, sets, quiet)
}

fn input(message: String) -> CliError {
    CliError::Input(anyhow!(message))
}

fn damaged(path: &Path, why: &str) -> CliError {
    input(format!("{}: {why}", path.display()))
}

fn shard_error(err: ShardError) -> CliError {
    CliError::Input(err.into())
}

/// Parses a shard's recorded arguments as its command's.
fn rebuild(header: &ShardHeader) -> Result<Command, String> {
    let argv = ["csu-sim", header.command.as_str()]
        .into_iter()
        .map(String::from)
        .chain(header.invocation.args.iter().cloned());
    super::Cli::try_parse_from(argv)
        .map(|cli| cli.command)
        .map_err(|e| format!("its recorded arguments do not parse: {e}"))
}

/// The lists of a command's shards, in order.
fn lists_of(command: &str) -> Option<&'static [&'static str]> {
    match command {
        "run" => Some(&["replications"]),
        "uncertainty" => Some(&["sets", "searches"]),
        _ => None,
    }
}

/// Lists the shard files named: files, and the `shard-K-of-N.csu` files of folders.
fn shard_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| input(format!("{}: {e}", path.display())))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".csu"))
                })
                .collect();
            if found.is_empty() {
                return Err(input(format!(
                    "{}: no shard files (shard-K-of-N.csu) in this folder",
                    path.display()
                )));
            }
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        return Err(input("no shard files were given".to_string()));
    }
    Ok(files)
}

/// Checks one shard's header against the first's: same program, version, command, study and
/// split, its parts the lists of its command, each part its share of the list's total.
fn check_header(shard: &ShardFile, first: &ShardFile) -> Result<(), CliError> {
    let (path, header) = (&shard.path, &shard.header);
    let ours = env!("CARGO_PKG_VERSION");
    if header.program != "csu-sim" {
        return Err(damaged(path, "it was not written by csu-sim"));
    }
    if header.version != ours {
        return Err(damaged(
            path,
            &format!(
                "it was written by csu-sim {}, and this is csu-sim {ours}: merge with the version that ran the shards",
                header.version
            ),
        ));
    }
    let Some(lists) = lists_of(&header.command) else {
        return Err(damaged(path, "its command cannot be sharded"));
    };
    let model = &first.header;
    if header.command != model.command || header.study != model.study {
        return Err(damaged(
            path,
            &format!(
                "it is from another study than {} (another command, scenario, seed, register, plan or --outputs)",
                first.path.display()
            ),
        ));
    }
    if header.invocation.args != model.invocation.args {
        return Err(damaged(
            path,
            &format!(
                "it was run with other arguments than {} ({} against {}): every shard of a study takes the same flags, --outputs included",
                first.path.display(),
                header.invocation.args.join(" "),
                model.invocation.args.join(" ")
            ),
        ));
    }
    if header.of != model.of {
        return Err(damaged(
            path,
            &format!(
                "it is shard {} of {}, but {} is one of {}: the shards were split differently",
                header.shard,
                header.of,
                first.path.display(),
                model.of
            ),
        ));
    }
    let parts_named =
        header.parts.len() == lists.len() && header.parts.iter().zip(lists).all(|(part, list)| part.list == *list);
    let split_right = (1..=header.of).contains(&header.shard)
        && parts_named
        && header.parts.iter().zip(&model.parts).all(|(part, model)| {
            part.total == model.total && (part.start..part.end) == shard_range(header.shard, header.of, part.total)
        });
    if !split_right {
        return Err(damaged(path, "its header does not describe a shard of this study"));
    }
    Ok(())
}

/// Returns the missing shards of 1..=`of` given the present ones (sorted), as ranges, at most
/// [`MISSING_SHOWN`] of them and then how many more: `2, 5-9, 12 (and 3 more ranges)`.
fn missing_ranges(present: &[u64], of: u64) -> (u64, String) {
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    let mut next = 1;
    for &k in present.iter().chain(std::iter::once(&of.saturating_add(1))) {
        if k > next {
            ranges.push((next, k - 1));
        }
        next = k.saturating_add(1);
    }
    let count = ranges.iter().map(|(a, b)| b - a + 1).sum();
    let mut text: Vec<String> = ranges
        .iter()
        .take(MISSING_SHOWN)
        .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") })
        .collect();
    if ranges.len() > MISSING_SHOWN {
        text.push(format!("and {} more ranges", ranges.len() - MISSING_SHOWN));
    }
    (count, text.join(", "))
}

/// Opens every shard named (files, or folders of `shard-K-of-N.csu` files), checks that they
/// are one whole study, and returns them in shard order: shard 1 with the files it embeds,
/// the others with their embedded files dropped once their hashes match shard 1's, so that
/// memory does not grow with the number of shards.
pub(super) fn open_shards(paths: &[PathBuf]) -> Result<Vec<ShardFile>, CliError> {
    let files = shard_paths(paths)?;
    let mut shards: Vec<ShardFile> = Vec::with_capacity(files.len());
    for file in &files {
        let mut shard = ShardFile::open(file).map_err(shard_error)?;
        if shard.header.shard != 1 {
            for embedded in &mut shard.header.invocation.files {
                embedded.text = String::new();
            }
        }
        if let Some(first) = shards.first() {
            check_header(&shard, first)?;
        } else {
            check_header(&shard, &shard)?;
        }
        shards.push(shard);
    }
    shards.sort_by_key(|s| s.header.shard);
    for pair in shards.windows(2) {
        if pair[0].header.shard == pair[1].header.shard {
            return Err(input(format!(
                "shard {} of {} is given twice: {} and {}",
                pair[0].header.shard,
                pair[0].header.of,
                pair[0].path.display(),
                pair[1].path.display()
            )));
        }
    }
    let of = shards[0].header.of;
    let present: Vec<u64> = shards.iter().map(|s| s.header.shard).collect();
    let (missing, list) = missing_ranges(&present, of);
    if missing > 0 {
        return Err(input(format!(
            "the study has {of} shards and {missing} {} missing: {list}",
            if missing == 1 { "is" } else { "are" },
        )));
    }
    // Every shard names the files shard 1 embeds.
    let hashes = |s: &ShardFile| -> Vec<(String, String)> {
        s.header
            .invocation
            .files
            .iter()
            .map(|f| (f.path.clone(), f.sha256.clone()))
            .collect()
    };
    let first = hashes(&shards[0]);
    if let Some(other) = shards.iter().find(|s| hashes(s) != first) {
        return Err(damaged(
            &other.path,
            &format!("it names other input files than {}", shards[0].path.display()),
        ));
    }
    Ok(shards)
}

/// Checks that the shards' lists have the totals of the study rebuilt from them.
fn check_totals(shards: &[ShardFile], expected: &[(&str, u64)]) -> Result<(), CliError> {
    let first = &shards[0];
    for (part, &(list, total)) in first.header.parts.iter().zip(expected) {
        if part.total != total {
            return Err(damaged(
                &first.path,
                &format!(
                    "its header says the study has {} {list}, but the study it records has {total}",
                    part.total
                ),
            ));
        }
    }
    Ok(())
}

/// The count of a shard's items in one of its lists.
fn count(part: Option<&Part>) -> u64 {
    part.map_or(0, |p| p.end - p.start)
}

/// Returns why one replication's outcomes from a shard are not ones the model can produce,
/// naming the cell and the metric.
fn check_outcomes(outcomes: &[Outcome], experiment: &Experiment, n_ccgs: usize) -> Result<(), String> {
    for (outcome, spec) in outcomes.iter().zip(experiment.cells()) {
        let cell = || format!("{} at N = {}", spec.option, spec.units);
        for &metric in Metric::ALL {
            let value = outcome.get(metric);
            if !metric.admits(value) {
                return Err(format!(
                    "{}: {} = {value} cannot come from the model",
                    cell(),
                    metric.name()
                ));
            }
        }
        if let Some(bad) = outcome
            .contracted_by_month
            .iter()
            .find(|&&c| !(c.fract() == 0.0 && (0.0..=n_ccgs as f64).contains(&c)))
        {
            return Err(format!("{}: {bad} CCGs contracted in a month, of {n_ccgs}", cell()));
        }
    }
    Ok(())
}

/// The first pass of a run's merge: every value of every shard, one shard open at a time,
/// checked before anything is written.
fn check_run_shards(shards: &[ShardFile], experiment: &Experiment, n_ccgs: usize) -> Result<(), CliError> {
    let cells = experiment.cells().len();
    let mut template = experiment.start_results();
    for shard in shards {
        let mut payload = shard.payload().map_err(shard_error)?;
        for r in 0..count(shard.header.parts.first()) {
            let outcomes = payload.replication(cells).map_err(shard_error)?;
            check_outcomes(&outcomes, experiment, n_ccgs).map_err(|why| {
                damaged(
                    &shard.path,
                    &format!("replication {}: {why}", shard.header.parts[0].start + r + 1),
                )
            })?;
        }
        if experiment.places() {
            for cell in &mut template.cells {
                if let Some(totals) = &mut cell.places {
                    let theirs = payload.places(totals).map_err(shard_error)?;
                    theirs.check(count(shard.header.parts.first())).map_err(|why| {
                        damaged(&shard.path, &format!("{} at N = {}: {why}", cell.option, cell.units))
                    })?;
                }
            }
        }
        payload.end().map_err(|e| match e {
            ShardError::Damaged { path, .. } => damaged(
                &path,
                "its payload is longer than its study's: it was written with other --outputs or is not of this study",
            ),
            other => shard_error(other),
        })?;
    }
    Ok(())
}

/// The replay of a run's merge: each shard's replications in order, one outcome per cell;
/// the shards in order are every replication once. After its replications, a shard holds its
/// totals by place, order-free sums merged with checked arithmetic.
fn replay_run_shards(
    shards: &[ShardFile],
    experiment: &Experiment,
    log: &mut ReplicationLog,
) -> Result<ExperimentResults, CliError> {
    let cells = experiment.cells().len();
    let mut results = experiment.start_results();
    let mut replication = 0;
    for shard in shards {
        let mut payload = shard.payload().map_err(shard_error)?;
        for _ in 0..count(shard.header.parts.first()) {
            let outcomes = payload.replication(cells).map_err(shard_error)?;
            results.add_replication(&outcomes);
            crate::experiment::Observer::on_replication(log, replication, &outcomes);
            replication += 1;
        }
        if experiment.places() {
            for cell in &mut results.cells {
                if let Some(totals) = &mut cell.places {
                    let theirs = payload.places(totals).map_err(shard_error)?;
                    totals.try_merge(&theirs).map_err(|why| {
                        damaged(&shard.path, &format!("{} at N = {}: {why}", cell.option, cell.units))
                    })?;
                }
            }
        }
        payload.end().map_err(shard_error)?;
    }
    Ok(results)
}

fn merge_run(args: &MergeArgs, shards: &[ShardFile], run_args: &super::run::RunArgs) -> Result<(), CliError> {
    let first = &shards[0];
    let loaded = load_from(
        &Files::Embedded(&first.header.invocation.files),
        run_args.scenario(),
        |s| run_args.adjust(s),
    )?;
    if run_study_hash(&loaded) != first.header.study {
        return Err(damaged(
            &first.path,
            "its recorded scenario does not rebuild the study it names",
        ));
    }
    check_totals(shards, &[("replications", loaded.scenario.replications)])?;
    let pool = worker_pool(args.threads)?;
    let outputs = run_args.outputs()?;
    let mut experiment = Experiment::new(&loaded.scenario, &loaded.register);
    if outputs.needs_places() {
        experiment = experiment.with_places();
    }
    let n_ccgs = loaded.register.len();
    // First every value of every shard, one shard open at a time, before anything is written.
    check_run_shards(shards, &experiment, n_ccgs)?;
    let dir_path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(folder_name(&loaded.scenario.name)));
    let internal = CliError::from_output;
    let started = Instant::now();
    let mut dir = OutputDir::create(&dir_path).map_err(internal)?;
    let mut log = ReplicationLog::create(&mut dir, &experiment, outputs.wants("replications")).map_err(internal)?;
    let results = replay_run_shards(shards, &experiment, &mut log)?;
    log.finish().map_err(internal)?;
    let finished = Finished {
        scenario: &loaded.scenario,
        dir_path: &dir_path,
        pool: &pool,
        started,
        quiet: args.quiet,
        outputs: &outputs,
    };
    finished.write(dir, &results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_shards_are_ranges_and_bounded() {
        assert_eq!(missing_ranges(&[1, 2, 3], 3), (0, String::new()));
        assert_eq!(missing_ranges(&[1, 3, 10], 12), (9, "2, 4-9, 11-12".to_string()));
        // One shard of 10^15: a count and one range, not a list of 10^15 numbers.
        let (count, text) = missing_ranges(&[7], 1_000_000_000_000_000);
        assert_eq!(count, 999_999_999_999_999);
        assert_eq!(text, "1-6, 8-1000000000000000");
        let every_other: Vec<u64> = (1..=100).map(|k| 2 * k).collect();
        let (count, text) = missing_ranges(&every_other, 200);
        assert_eq!(count, 100);
        assert!(text.ends_with("and 90 more ranges") && text.len() < 200, "{text}");
    }
}
