//! Everything csu-sim writes: tables, JSON and the per-replication log.
//!
//! Exporters are pure ([`Exporter::serialize`] returns bytes); [`OutputDir`] is the only
//! writer. A run writes into a staging folder and replaces the output folder as a whole when it
//! has succeeded, so a failed, interrupted or killed run leaves the previous run's folder as it
//! was.

pub mod chart;
mod csv;
pub mod excel;
#[cfg(test)]
mod fixture;
mod folder;
mod json;
mod places;
mod replications;
mod report;
pub mod shard;
mod table;
pub mod uncertainty;
mod write;

pub use self::csv::{BestNCsv, ComparisonsCsv, CsvTable, FactsCsv, Figure, LeadPartsCsv, SummaryCsv};
pub use self::folder::{MANIFEST, OutputDir};
pub use self::json::{RunInfo, SummaryJson, run_json};
pub use self::places::{RegionsCsv, UnitsCsv};
pub use self::replications::ReplicationLog;
pub use self::report::report_html;
pub use self::table::{init_scenario, keys_table, notes, summary_table, verdict_table};
pub use self::write::{stage_analysis, stage_run};

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

/// The kinds of output a run can write, as `--outputs` names them, with their files.
pub const OUTPUT_KINDS: [(&str, &str); 12] = [
    ("summary", "summary.csv"),
    ("comparisons", "comparisons.csv"),
    ("best_n", "best_n.csv"),
    ("lead_parts", "lead_parts.csv"),
    ("facts", "facts.csv"),
    ("json", "summary.json"),
    ("excel", "results.xlsx"),
    ("regions", "regions.csv"),
    ("units", "units.csv"),
    ("replications", "replications.csv"),
    ("charts", "charts/"),
    ("report", "report.html"),
];

/// Which outputs a run writes (`--outputs`); `run.json` is always written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outputs(Vec<&'static str>);

impl Default for Outputs {
    fn default() -> Outputs {
        Outputs(OUTPUT_KINDS.iter().map(|(kind, _)| *kind).collect())
    }
}

impl Outputs {
    /// Reads a comma-separated list of kinds ([`OUTPUT_KINDS`], or `all`); the error says
    /// which name is unknown and what is allowed.
    pub fn parse(list: &str) -> Result<Outputs, String> {
        let mut kinds = Vec::new();
        for name in list.split(',').map(str::trim) {
            if name == "all" {
                return Ok(Outputs::default());
            }
            match OUTPUT_KINDS.iter().find(|(kind, _)| *kind == name) {
                Some((kind, _)) => kinds.push(*kind),
                None => {
                    let allowed: Vec<&str> = OUTPUT_KINDS.iter().map(|(kind, _)| *kind).collect();
                    let what = if name.is_empty() {
                        "an empty name".to_string()
                    } else {
                        format!("'{name}'")
                    };
                    return Err(format!(
                        "{what} is not an output; allowed, comma-separated: all, {}",
                        allowed.join(", ")
                    ));
                }
            }
        }
        // Kept in the order of OUTPUT_KINDS, each once.
        Ok(Outputs(
            OUTPUT_KINDS
                .iter()
                .map(|(kind, _)| *kind)
                .filter(|kind| kinds.contains(kind))
                .collect(),
        ))
    }

    /// Returns whether `kind` is written.
    pub fn wants(&self, kind: &str) -> bool {
        self.0.contains(&kind)
    }

    /// Returns whether the file `file_name` is written.
    pub fn wants_file(&self, file_name: &str) -> bool {
        OUTPUT_KINDS
            .iter()
            .find(|(_, file)| *file == file_name)
            .is_none_or(|(kind, _)| self.wants(kind))
    }

    /// Returns whether results by place must be recorded: for regions.csv, units.csv, the
    /// map's unmet panel and the report's tables by region and site.
    pub fn needs_places(&self) -> bool {
        ["regions", "units", "charts", "report"]
            .iter()
            .any(|kind| self.wants(kind))
    }
}

/// Returns the standard exporters of a run; `regions.csv` and `units.csv` when the run
/// recorded results by place.
pub fn exporters(results: &ExperimentResults) -> Vec<Box<dyn Exporter>> {
    let mut exporters: Vec<Box<dyn Exporter>> = vec![
        Box::new(SummaryCsv),
        Box::new(ComparisonsCsv),
        Box::new(BestNCsv),
        Box::new(LeadPartsCsv),
        Box::new(FactsCsv),
        Box::new(SummaryJson),
        Box::new(excel::ExcelWorkbook),
    ];
    if results.cells.iter().any(|cell| cell.places.is_some()) {
        exporters.extend([Box::new(RegionsCsv) as Box<dyn Exporter>, Box::new(UnitsCsv)]);
    }
    exporters
}

/// Returns register text (a code, a name, a region) safe to open in a spreadsheet: a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
/// (CSV injection), so it gets a leading `'`, as OWASP advises; Unicode bidirectional
/// controls, which can make a name read as another, are dropped.
pub fn spreadsheet_text(text: &str) -> String {
    let clean = without_bidi_controls(text);
    if clean.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{clean}")
    } else {
        clean
    }
}

/// Returns text without Unicode bidirectional controls (U+202A-U+202E, U+2066-U+2069,
/// U+200E, U+200F, U+061C).
pub fn without_bidi_controls(text: &str) -> String {
    text.chars()
        .filter(
            |c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'),
        )
        .collect()
}

/// Formats a number for CSV: shortest round-trip form, empty for NaN.
pub fn number(x: f64) -> String {
    if x.is_nan() { String::new() } else { x.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OWASP's CSV injection cases: formulas and their lookalikes get a leading quote; plain
    /// names, and names with a minus inside, stay; bidi controls go.
    #[test]
    fn register_text_cannot_be_a_formula() {
        assert_eq!(spreadsheet_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_text("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        for lead in ["+", "-", "@", "\t", "\r"] {
            assert!(spreadsheet_text(&format!("{lead}1+1")).starts_with('\''), "{lead:?}");
        }
        assert_eq!(
            spreadsheet_text("NHS Airedale - Wharfedale CCG"),
            "NHS Airedale - Wharfedale CCG"
        );
        assert_eq!(spreadsheet_text("NHS \u{202E}GCC\u{202C} Leeds"), "NHS GCC Leeds");
        assert_eq!(spreadsheet_text("\u{202E}=1"), "'=1");
    }
}
