//! Everything csu-sim writes: tables, JSON and the per-replication log.
//!
//! Exporters are pure ([`Exporter::serialize`] returns bytes); [`OutputDir`] is the only
//! writer. Every file is first written to a temporary file in the output folder and renamed
//! into place only when the whole run has succeeded, so a failed or interrupted run leaves
//! the previous run's files as they were.

pub mod chart;
mod csv;
mod json;
mod replications;
mod report;
mod table;
pub mod uncertainty;

pub use self::csv::{ComparisonsCsv, FactsCsv, SummaryCsv};
pub use self::json::{RunInfo, SummaryJson, run_json};
pub use self::replications::ReplicationLog;
pub use self::report::report_html;
pub use self::table::{keys_table, notes, summary_table, verdict_table};

use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::experiment::ExperimentResults;

/// A failure to produce or write an output file.
#[derive(Debug, Error)]
pub enum OutputError {
    /// A file operation failed.
    #[error("could not write '{path}': {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A CSV row could not be written.
    #[error("could not write CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// JSON could not be produced.
    #[error("could not produce JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A chart could not be drawn.
    #[error("could not draw chart {0}")]
    Chart(String),
}

/// Turns results into the bytes of one file.
pub trait Exporter {
    /// Returns the file name the bytes go to.
    fn file_name(&self) -> &'static str;
    /// Returns the file's contents.
    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError>;
}

/// Returns the standard exporters of a run.
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(SummaryCsv),
        Box::new(ComparisonsCsv),
        Box::new(FactsCsv),
        Box::new(SummaryJson),
    ]
}

/// Formats a number for CSV: shortest round-trip form, empty for NaN.
pub fn number(x: f64) -> String {
    if x.is_nan() { String::new() } else { x.to_string() }
}

/// An output folder whose files are staged as temporaries and renamed into place together.
#[derive(Debug)]
pub struct OutputDir {
    dir: PathBuf,
    staged: Vec<(PathBuf, PathBuf)>,
}

impl OutputDir {
    /// Creates the folder if needed.
    pub fn create(dir: &Path) -> Result<OutputDir, OutputError> {
        fs::create_dir_all(dir).map_err(|source| OutputError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(OutputDir {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
        })
    }

    /// Returns the folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Returns a fresh temporary path for `name` (which may sit in a subfolder such as
    /// `charts/`), to be renamed into place by [`OutputDir::commit`].
    pub fn stage_path(&mut self, name: &str) -> Result<PathBuf, OutputError> {
        let target = self.dir.join(name);
        let folder = target.parent().unwrap_or(&self.dir).to_path_buf();
        fs::create_dir_all(&folder).map_err(|source| OutputError::Io {
            path: folder.clone(),
            source,
        })?;
        let file = target
            .file_name()
            .map_or_else(|| name.to_string(), |f| f.to_string_lossy().to_string());
        let temporary = folder.join(format!(".{file}.tmp-{}", std::process::id()));
        self.staged.push((temporary.clone(), target));
        Ok(temporary)
    }

    /// Writes `bytes` to a staged temporary for `name`.
    pub fn stage(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.stage_path(name)?;
        fs::write(&path, bytes).map_err(|source| OutputError::Io { path, source })
    }

    /// Renames every staged file into place.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let staged = std::mem::take(&mut self.staged);
        let mut written = Vec::new();
        for (temporary, target) in staged {
            fs::rename(&temporary, &target).map_err(|source| OutputError::Io {
                path: target.clone(),
                source,
            })?;
            written.push(target);
        }
        Ok(written)
    }

    fn remove_staged(&mut self) {
        for (temporary, _) in self.staged.drain(..) {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// Dropping an uncommitted folder deletes its staged temporaries; the previous files stay.
impl Drop for OutputDir {
    fn drop(&mut self) {
        self.remove_staged();
    }
}
