//! `summary.json`: run metadata and every cell's summaries.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Exporter, OutputError};
use crate::experiment::ExperimentResults;
use crate::model::Metric;
use crate::scenario::Change;
use crate::stats::Summary;

/// `{ "meta": {...}, "results": [...] }`.
pub struct SummaryJson;

#[derive(Serialize)]
struct Document<'a> {
    meta: Meta<'a>,
    results: Vec<CellJson<'a>>,
}

#[derive(Serialize)]
struct Meta<'a> {
    scenario: &'a str,
    file: &'a str,
    version: &'static str,
    seed: u64,
    replications: u64,
    register: &'a str,
    n_ccgs: usize,
    sweep_keys: &'a [String],
    changes: BTreeMap<&'a str, ChangeJson<'a>>,
    metrics: BTreeMap<&'static str, &'static str>,
}

/// A key the scenario sets: its value (as JSON where the TOML reads as a value) and where it
/// was set (`file:line`, or the flag).
#[derive(Serialize)]
struct ChangeJson<'a> {
    value: serde_json::Value,
    from: &'a str,
}

/// The changes as a map from key to value and source, the same in `summary.json` and `run.json`.
fn changes_json(changes: &[Change]) -> BTreeMap<&str, ChangeJson<'_>> {
    changes
        .iter()
        .map(|c| {
            let value = toml::from_str::<toml::Table>(&format!("v = {}", c.value))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .and_then(|v| serde_json::to_value(v).ok())
                .unwrap_or_else(|| serde_json::Value::String(c.value.clone()));
            (
                c.key.as_str(),
                ChangeJson {
                    value,
                    from: c.from.as_str(),
                },
            )
        })
        .collect()
}

#[derive(Serialize)]
struct MetricJson {
    #[serde(flatten)]
    summary: Summary,
    undefined: u64,
}

#[derive(Serialize)]
struct CellJson<'a> {
    option: &'static str,
    units: usize,
    params: BTreeMap<&'a str, f64>,
    metrics: BTreeMap<&'static str, MetricJson>,
}

impl Exporter for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let meta = &results.meta;
        let document = Document {
            meta: Meta {
                scenario: &meta.scenario,
                file: &meta.file,
                version: env!("CARGO_PKG_VERSION"),
                seed: meta.seed,
                replications: meta.replications,
                register: &meta.register,
                n_ccgs: meta.n_ccgs,
                sweep_keys: &meta.sweep_keys,
                changes: changes_json(&meta.changes),
                metrics: Metric::ALL.iter().map(|m| (m.name(), m.description())).collect(),
            },
            results: results
                .cells
                .iter()
                .map(|cell| CellJson {
                    option: cell.option.key(),
                    units: cell.units,
                    params: cell.point_values.iter().map(|(k, v)| (k.as_str(), *v)).collect(),
                    metrics: Metric::ALL
                        .iter()
                        .map(|&m| {
                            (
                                m.name(),
                                MetricJson {
                                    summary: cell.summary(m),
                                    undefined: cell.undefined(m),
                                },
                            )
                        })
                        .collect(),
                })
                .collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&document)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// How a run went, beyond its results: for `run.json`.
pub struct RunInfo<'a> {
    /// The scenario as resolved (file, overrides and defaults).
    pub scenario: &'a crate::scenario::Scenario,
    /// Worker threads used.
    pub threads: usize,
    /// Wall time of the simulation \[s\].
    pub elapsed_seconds: f64,
}

#[derive(Serialize)]
struct RunDocument<'a> {
    version: &'static str,
    scenario: &'a str,
    file: &'a str,
    seed: u64,
    replications: u64,
    register: &'a str,
    threads: usize,
    elapsed_seconds: f64,
    changes: BTreeMap<&'a str, ChangeJson<'a>>,
    resolved_scenario: String,
    reproduce: String,
}

/// Returns `run.json`: everything needed to reproduce the run, with the scenario as resolved.
pub fn run_json(results: &ExperimentResults, run: &RunInfo) -> Result<Vec<u8>, OutputError> {
    let meta = &results.meta;
    let document = RunDocument {
        version: env!("CARGO_PKG_VERSION"),
        scenario: &meta.scenario,
        file: &meta.file,
        seed: meta.seed,
        replications: meta.replications,
        register: &meta.register,
        threads: run.threads,
        elapsed_seconds: run.elapsed_seconds,
        changes: changes_json(&meta.changes),
        resolved_scenario: run.scenario.to_toml(),
        reproduce: "save resolved_scenario as a .toml file beside the original and run: csu-sim run FILE".to_string(),
    };
    let mut bytes = serde_json::to_vec_pretty(&document)?;
    bytes.push(b'\n');
    Ok(bytes)
}
