//! `replications.csv`: one row per cell and replication, written as replications finish.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use super::{OutputDir, OutputError, number};
use crate::experiment::{Experiment, Observer};
use crate::model::{Metric, Outcome};

/// Streams every outcome to a staged file, so memory does not grow with replications.
pub struct ReplicationLog {
    /// `None` when the file is not wanted (`--outputs` without `replications`).
    writer: Option<::csv::Writer<BufWriter<File>>>,
    prefixes: Vec<Vec<String>>,
    error: Option<OutputError>,
}

impl ReplicationLog {
    /// Opens `replications.csv` as a staged temporary in `dir` and writes its header:
    /// `seed, option, units, param_<key>..., replication, <metrics>`.
    /// Writes nothing unless `wanted`.
    pub fn create(dir: &mut OutputDir, experiment: &Experiment, wanted: bool) -> Result<ReplicationLog, OutputError> {
        if !wanted {
            return Ok(ReplicationLog {
                writer: None,
                prefixes: Vec::new(),
                error: None,
            });
        }
        let path: PathBuf = dir.stage_path("replications.csv")?;
        let file = File::create(&path).map_err(|source| OutputError::Io { path, source })?;
        let mut writer = ::csv::Writer::from_writer(BufWriter::new(file));
        let scenario = experiment.scenario();
        let mut header: Vec<String> = ["seed", "option", "units"].map(String::from).to_vec();
        header.extend(scenario.sweep.iter().map(|axis| format!("param_{}", axis.key.path)));
        header.push("replication".to_string());
        header.extend(Metric::ALL.iter().map(|m| m.name().to_string()));
        writer.write_record(&header).map_err(located)?;
        let prefixes = experiment
            .cells()
            .iter()
            .map(|spec| {
                let mut prefix = vec![
                    scenario.seed.to_string(),
                    spec.option.to_string(),
                    spec.units.to_string(),
                ];
                prefix.extend(experiment.points()[spec.point].values.iter().map(|(_, v)| number(*v)));
                prefix
            })
            .collect();
        Ok(ReplicationLog {
            writer: Some(writer),
            prefixes,
            error: None,
        })
    }

    /// Flushes the file; returns the first error met while writing, if any.
    pub fn finish(mut self) -> Result<(), OutputError> {
        if let Some(err) = self.error.take() {
            return Err(err);
        }
        let Some(writer) = &mut self.writer else {
            return Ok(());
        };
        writer.flush().map_err(|source| OutputError::Io {
            path: PathBuf::from("replications.csv"),
            source,
        })
    }

    fn write(&mut self, replication: u64, outcomes: &[Outcome]) -> Result<(), OutputError> {
        let Some(writer) = &mut self.writer else {
            return Ok(());
        };
        for (prefix, outcome) in self.prefixes.iter().zip(outcomes) {
            let mut row = prefix.clone();
            row.push(replication.to_string());
            row.extend(outcome.values.iter().map(|&v| number(v)));
            writer.write_record(&row).map_err(located)?;
        }
        Ok(())
    }
}

/// A CSV error of `replications.csv`: an I/O error (a full disk, say) names the file.
fn located(err: ::csv::Error) -> OutputError {
    if !err.is_io_error() {
        return OutputError::Csv(err);
    }
    match err.into_kind() {
        ::csv::ErrorKind::Io(source) => OutputError::Io {
            path: PathBuf::from("replications.csv"),
            source,
        },
        kind => OutputError::Io {
            path: PathBuf::from("replications.csv"),
            source: std::io::Error::other(format!("{kind:?}")),
        },
    }
}

impl Observer for ReplicationLog {
    fn on_replication(&mut self, replication: u64, outcomes: &[Outcome]) {
        if self.error.is_none()
            && let Err(err) = self.write(replication, outcomes)
        {
            self.error = Some(err);
        }
    }

    fn cancelled(&self) -> bool {
        self.error.is_some()
    }
}
