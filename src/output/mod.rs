//! Everything csu-sim writes: tables, JSON and the per-replication log.
//!
//! Exporters are pure ([`Exporter::serialize`] returns bytes); [`OutputDir`] is the only
//! writer. A run writes into a staging folder and replaces the output folder as a whole when it
//! has succeeded, so a failed, interrupted or killed run leaves the previous run's folder as it
//! was.

pub mod chart;
mod csv;
pub mod excel;
mod folder;
mod json;
mod replications;
mod report;
pub mod shard;
mod table;
pub mod uncertainty;

pub use self::csv::{ComparisonsCsv, FactsCsv, SummaryCsv};
pub use self::folder::{MANIFEST, OutputDir};
pub use self::json::{RunInfo, SummaryJson, run_json};
pub use self::replications::ReplicationLog;
pub use self::report::report_html;
pub use self::table::{init_scenario, keys_table, notes, summary_table, verdict_table};

use std::path::PathBuf;

use thiserror::Error;

use crate::experiment::ExperimentResults;

/// A failure to produce or write an output file.
#[derive(Debug, Error)]
pub enum OutputError {
    /// A file operation failed.
    #[error("could not write '{path}'")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A CSV row could not be written.
    #[error("could not write CSV")]
    Csv(#[from] ::csv::Error),
    /// JSON could not be produced.
    #[error("could not produce JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The Excel workbook could not be built.
    #[error("could not write results.xlsx: {0}")]
    Workbook(String),
    /// A chart could not be drawn.
    #[error("could not draw chart {0}")]
    Chart(String),
    /// The output folder may not be written (in use, not csu-sim's, not a folder of its own).
    #[error("{0}")]
    Refused(String),
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
        Box::new(excel::ExcelWorkbook),
    ]
}

/// Formats a number for CSV: shortest round-trip form, empty for NaN.
pub fn number(x: f64) -> String {
    if x.is_nan() { String::new() } else { x.to_string() }
}
