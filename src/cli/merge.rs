//! `csu-sim merge`: joins the shards of a study into the outputs one run would have written.
//!
//! The shards are checked first: each whole (its checksum), all from one study (the same
//! version, command, resolved scenario, register and plan) and split the same way, every shard
//! once. The study is then rebuilt from the files and arguments the shards embed, and the
//! shards' results are fed, in order, through the same code a single run uses, so the tables
//! are the same to the byte.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::{Args, Parser};

use super::load::{Files, load_from};
use super::run::{Finished, folder_name, run_study_hash};
use super::{CliError, Command, worker_pool};
use crate::experiment::{Experiment, shard_range};
use crate::output::shard::{ShardError, ShardFile, ShardHeader};
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

/// Merges shards end to end.
pub fn merge(args: &MergeArgs) -> Result<(), CliError> {
    let shards = open_shards(&args.shards)?;
    let first = &shards[0];
    let command = rebuild(&first.header).map_err(|why| damaged(&first.path, &why))?;
    match command {
        Command::Run(run_args) => merge_run(args, &shards, &run_args),
        Command::Uncertainty(uncertainty_args) => super::uncertainty::merge(
            &shards,
            &uncertainty_args,
            args.out.as_deref(),
            args.threads,
            args.quiet,
        ),
        _ => Err(damaged(&first.path, "its command cannot be sharded")),
    }
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

/// Opens every shard named (files, or folders of `shard-K-of-N.csu` files) and checks that
/// they are one whole study: returns them in shard order.
pub(super) fn open_shards(paths: &[PathBuf]) -> Result<Vec<ShardFile>, CliError> {
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
    let mut shards = files
        .iter()
        .map(|f| ShardFile::open(f).map_err(shard_error))
        .collect::<Result<Vec<_>, _>>()?;
    let ours = env!("CARGO_PKG_VERSION");
    let Some(first) = shards.first().map(|s| (s.path.clone(), s.header.clone())) else {
        return Err(input("no shard files were given".to_string()));
    };
    let (first_path, first) = first;
    for shard in &shards {
        let (path, header) = (&shard.path, &shard.header);
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
        if header.command != first.command || header.study != first.study {
            return Err(damaged(
                path,
                &format!(
                    "it is from another study than {} (another command, scenario, seed, register or plan)",
                    first_path.display()
                ),
            ));
        }
        if header.of != first.of {
            return Err(damaged(
                path,
                &format!(
                    "it is shard {} of {}, but {} is one of {}: the shards were split differently",
                    header.shard,
                    header.of,
                    first_path.display(),
                    first.of
                ),
            ));
        }
        let split_right = (1..=header.of).contains(&header.shard)
            && header.parts.len() == first.parts.len()
            && header.parts.iter().zip(&first.parts).all(|(part, model)| {
                let expected = shard_range(header.shard, header.of, part.total);
                part.list == model.list && part.total == model.total && (part.start..part.end) == expected
            });
        if !split_right {
            return Err(damaged(path, "its header does not describe a shard of this study"));
        }
    }
    shards.sort_by_key(|s| s.header.shard);
    for pair in shards.windows(2) {
        if pair[0].header.shard == pair[1].header.shard {
            return Err(input(format!(
                "shard {} of {} is given twice: {} and {}",
                pair[0].header.shard,
                first.of,
                pair[0].path.display(),
                pair[1].path.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=first.of)
        .filter(|k| !shards.iter().any(|s| s.header.shard == *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(input(format!(
            "the study has {} shards and {} missing: {}",
            first.of,
            if missing.len() == 1 { "this one is" } else { "these are" },
            missing.join(", ")
        )));
    }
    Ok(shards)
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
    let pool = worker_pool(args.threads)?;
    let outputs = run_args.outputs()?;
    let mut experiment = Experiment::new(&loaded.scenario, &loaded.register);
    if outputs.needs_places() {
        experiment = experiment.with_places();
    }
    let dir_path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(folder_name(&loaded.scenario.name)));
    let internal = CliError::from_output;
    let started = Instant::now();
    let mut dir = OutputDir::create(&dir_path).map_err(internal)?;
    let mut log = ReplicationLog::create(&mut dir, &experiment, outputs.wants("replications")).map_err(internal)?;
    let cells = experiment.cells().len();
    // Each shard's payload is its replications in order, one outcome per cell; the shards
    // in order are every replication once.
    let mut readers = Vec::new();
    for shard in shards {
        readers.push((shard, shard.payload().map_err(shard_error)?));
    }
    let mut stream = readers.iter_mut().flat_map(|(shard, payload)| {
        let count = shard.header.parts[0].end - shard.header.parts[0].start;
        (0..count).map(move |_| payload.replication(cells))
    });
    let mut results = experiment
        .replay(std::iter::from_fn(|| stream.next()), &mut log)
        .map_err(shard_error)?;
    for (_, mut payload) in readers {
        // After its replications, a shard holds its totals by place.
        if experiment.places() {
            for cell in &mut results.cells {
                if let Some(totals) = &mut cell.places {
                    totals.merge(&payload.places(totals).map_err(shard_error)?);
                }
            }
        }
        payload.end().map_err(shard_error)?;
    }
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
