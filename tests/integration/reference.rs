//! The independent statistical reference (`shared/checks/reference`, copied to
//! `fixtures/reference/`): another implementation of docs/model.md (version 5), written apart
//! from this one, ran six scenarios; every metric's mean here must lie within five standard errors of the
//! difference of its mean there, and be undefined where it is undefined.
//!
//! This is the test that catches a wrong model: a mechanism read differently shows as many
//! cells far out. The seed is each scenario's own and must never be changed to make the test
//! pass (see the reference's README); a cell that fails is a question about the model.

use std::collections::BTreeMap;

use csu_sim::experiment::{Experiment, Silent};
use csu_sim::model::Metric;
use csu_sim::model::Register;
use csu_sim::scenario::Scenario;

use crate::util::fixture;

/// Replications run here per cell (the reference ran 1,000 or 2,000).
const REPLICATIONS: u64 = 1000;

/// Standard errors of the difference allowed (the README: about one false alarm in 600 runs
/// of all six scenarios).
const Z: f64 = 5.0;

/// One row of a reference summary.
struct RefRow {
    n: u64,
    mean: f64,
    sd: f64,
}

/// Reads a reference summary: (option, units, metric) -> row.
fn reference(name: &str) -> BTreeMap<(String, usize, String), RefRow> {
    let path = fixture(&format!("reference/{name}/summary.csv"));
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let number = |i: usize| record[i].parse::<f64>().unwrap();
        rows.insert(
            (record[0].to_string(), record[1].parse().unwrap(), record[2].to_string()),
            RefRow {
                n: record[3].parse().unwrap(),
                mean: number(4),
                sd: number(5),
            },
        );
    }
    rows
}

/// Runs one reference scenario and returns every disagreement, described.
fn disagreements(name: &str) -> (usize, usize, Vec<String>) {
    let text = std::fs::read_to_string(fixture(&format!("reference/{name}/scenario.toml"))).unwrap();
    let mut scenario = Scenario::parse(&text, "scenario.toml", name).unwrap();
    scenario.replications = REPLICATIONS;
    let register = Register::builtin();
    let results = Experiment::new(&scenario, &register).run(&mut Silent).unwrap();
    let mut compared = 0;
    let mut problems = Vec::new();
    for ((option, units, metric_name), row) in reference(name) {
        let Some(&metric) = Metric::ALL.iter().find(|m| m.name() == metric_name) else {
            continue; // a diagnostic of the reference's own, not in docs/model.md section 8
        };
        let cell = results
            .cells
            .iter()
            .find(|c| c.option.key() == option && c.units == units)
            .unwrap_or_else(|| panic!("{name}: no cell {option} N = {units}"));
        let ours = cell.summary(metric);
        compared += 1;
        let place = format!("{name}: {option} N = {units} {metric_name}");
        match (row.n, ours.n) {
            (0, 0) => {}
            (0, n) => problems.push(format!(
                "{place}: undefined in the reference, defined here in {n} replications (mean {})",
                ours.mean
            )),
            (n, 0) => problems.push(format!(
                "{place}: defined in the reference ({n} replications, mean {}), undefined here",
                row.mean
            )),
            (n_ref, n) => {
                let bound = Z * (row.sd.powi(2) / n_ref as f64 + ours.sd.powi(2) / n as f64).sqrt() + 1e-9;
                let gap = (ours.mean - row.mean).abs();
                if gap.is_nan() || gap > bound {
                    problems.push(format!(
                        "{place}: {} here (sd {}, n {n}) vs {} in the reference (sd {}, n {n_ref}); |gap| {gap:.3e} > {bound:.3e}",
                        ours.mean, ours.sd, row.mean, row.sd
                    ));
                }
            }
        }
    }
    (compared, results.cells.len(), problems)
}

fn check(name: &str) {
    let (compared, cells, problems) = disagreements(name);
    // Every metric of section 8 is in the reference, for every cell.
    assert_eq!(
        compared,
        cells * Metric::ALL.len(),
        "{name}: some metrics have no reference"
    );
    assert!(
        problems.is_empty(),
        "{} of {compared} metrics disagree with the independent implementation:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn baseline_agrees_with_the_independent_implementation() {
    check("baseline");
}

#[test]
fn budget_tight_agrees_with_the_independent_implementation() {
    check("budget_tight");
}

#[test]
fn high_failure_agrees_with_the_independent_implementation() {
    check("high_failure");
}

#[test]
fn leverage_choice_agrees_with_the_independent_implementation() {
    check("leverage_choice");
}

#[test]
fn national_risky_agrees_with_the_independent_implementation() {
    check("national_risky");
}

#[test]
fn network_small_agrees_with_the_independent_implementation() {
    check("network_small");
}
