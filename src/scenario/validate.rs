//! The checks of a scenario as a whole, after each key has passed its own: the rules between
//! keys at every sweep point, the size of the study, and N against the register.

use super::{MAX_CELLS, Problem, Scenario, ScenarioError};
use crate::model::{OptionKind, Params};

/// Most replication-runs (cells x replications) accepted in one run: about eight hours here.
pub const MAX_RUNS: u64 = 1_000_000_000;

/// Replication-runs a second on this project's two-core machine, for time estimates.
pub const RUNS_PER_SECOND: f64 = 35_000.0;

impl Scenario {
    pub(super) fn problem(&self, key: &str, message: String) -> Problem {
        Problem {
            line: self.line_of(key),
            key: key.to_string(),
            message,
        }
    }

    /// Returns the problems of the scenario as a whole, at every sweep point.
    pub(super) fn problems(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.options.contains(&OptionKind::Network)
            && let Some(&n) = self.units.iter().find(|&&n| n < OptionKind::Network.min_units())
        {
            problems.push(self.problem("units", format!("N = {n} is below 4, but network needs one team per function (N >= 4); drop it or remove network from options")));
        }
        let cells = self
            .point_count()
            .saturating_mul(self.options.len())
            .saturating_mul(self.units.len());
        if cells > MAX_CELLS {
            problems.push(self.problem("sweep", format!(
                "{cells} cells (options x units x sweep points) is more than the limit of {MAX_CELLS}: every cell keeps its statistics in memory and its rows in every output, so split the study into several runs"
            )));
            return problems;
        }
        if let Some(message) = self.workload_problem() {
            problems.push(self.problem("replications", message));
            return problems;
        }
        for point in self.points() {
            for (key, message) in check_params(&point.params) {
                let at = point
                    .values
                    .iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let message = if at.is_empty() {
                    message
                } else {
                    format!("{message} (at sweep point {at})")
                };
                let problem = self.problem(&key, message);
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
        problems
    }

    /// Returns why the study is too big to run, if it is: more than [`MAX_RUNS`] replication-runs
    /// (cells times replications), with the time it would take.
    pub fn workload_problem(&self) -> Option<String> {
        let cells = self
            .point_count()
            .saturating_mul(self.options.len())
            .saturating_mul(self.units.len()) as u64;
        let runs = cells.saturating_mul(self.replications);
        (runs > MAX_RUNS).then(|| {
            let hours = runs as f64 / RUNS_PER_SECOND / 3600.0;
            format!(
                "{cells} cells x {} replications = {runs} replication-runs, more than the limit of {MAX_RUNS}: at about {RUNS_PER_SECOND} a second on two cores that is some {hours:.0} hours; use fewer replications (1,000 pin a mean to about 0.01 GBP a head) or split the study into runs with different seeds",
                self.replications
            )
        })
    }

    /// Checks the units against the register size.
    pub fn check_register(&self, n_ccgs: usize) -> Result<(), ScenarioError> {
        let problems: Vec<Problem> = self
            .units
            .iter()
            .filter(|&&n| n > n_ccgs)
            .map(|&n| self.problem("units", format!("N = {n} is more than the {n_ccgs} CCGs of the register: each unit sits at a CCG location, so N must be 1 to {n_ccgs}")))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ScenarioError {
                file: self.set_by.get("units").cloned().unwrap_or_else(|| self.file.clone()),
                problems,
            })
        }
    }
}

/// Returns the problems of one set of parameters that involve more than one key.
pub fn check_params(params: &Params) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let months = params.time.months;
    if params.time.go_live_month >= months {
        problems.push((
            "time.go_live_month".to_string(),
            format!(
                "go-live month {} must be before the horizon time.months = {months}",
                params.time.go_live_month
            ),
        ));
    }
    if let Some(m) = params.time.wave_months.iter().find(|&&m| m >= months) {
        problems.push((
            "time.wave_months".to_string(),
            format!("wave month {m} must be below time.months = {months}"),
        ));
    }
    for (option, procurement) in params.procurement.procuring() {
        let (key, tri) = (format!("procurement.{option}"), procurement.duration);
        if !(0.0 <= tri.min && tri.min <= tri.mode && tri.mode <= tri.max) {
            problems.push((
                key,
                format!(
                    "[{}, {}, {}] is not a triangular (min, mode, max): 0 <= min <= mode <= max is required",
                    tri.min, tri.mode, tri.max
                ),
            ));
        }
    }
    problems
}
