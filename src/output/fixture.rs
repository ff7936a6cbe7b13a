//! Hand-made results for the exporters' unit tests: a scenario on the built-in register fed
//! outcomes whose figures the tests choose, so that every expected cell can be worked by hand.

use crate::experiment::{Experiment, ExperimentResults};
use crate::model::{Metric, N_METRICS, Outcome, Register, WorkLedger};
use crate::scenario::Scenario;

/// The scenario `text` at seed 7, named `name`.
pub fn scenario(text: &str, name: &str) -> Scenario {
    Scenario::parse(&format!("seed = 7\n{text}"), "t.toml", name).unwrap_or_else(|e| panic!("{e}"))
}

/// The empty results of `scenario` on the built-in register.
pub fn started(scenario: &Scenario) -> ExperimentResults {
    Experiment::new(scenario, &Register::builtin()).start_results()
}

/// An outcome with the given metrics set and every other metric `rest`.
pub fn outcome(set: &[(Metric, f64)], rest: f64) -> Outcome {
    let mut values = [rest; N_METRICS];
    for &(metric, value) in set {
        values[metric as usize] = value;
    }
    Outcome {
        values,
        work: WorkLedger::default(),
        contracted_by_month: Vec::new(),
        places: None,
    }
}

/// Returns the rows of a CSV text, header first.
pub fn rows_of(text: &[u8]) -> Vec<Vec<String>> {
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(text);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Hubs at N = 23 fed the same outcome twice: cost per head 9, total GBP 700 m a year, 12%
/// over budget, 32% in-house, 6% private, 10 CCGs of the register per unit serving, 3 units
/// failing the checkpoint; every other metric undefined.
pub fn facts_results() -> ExperimentResults {
    let mut results = started(&scenario("options = [\"hubs\"]\nunits = [23]\n", "t"));
    let n_ccgs = results.meta.n_ccgs as f64;
    let outcome = outcome(
        &[
            (Metric::CostPerHead, 9.0),
            (Metric::CostTotal, 700.0),
            (Metric::OverBudgetShare, 0.12),
            (Metric::InHouseShare, 0.32),
            (Metric::PrivateShare, 0.06),
            (Metric::UnitsServingMean, n_ccgs / 10.0),
            (Metric::FailuresCheckpoint, 3.0),
        ],
        f64::NAN,
    );
    for _ in 0..2 {
        results.add_replication(std::slice::from_ref(&outcome));
    }
    results
}
