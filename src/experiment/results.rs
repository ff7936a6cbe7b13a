//! Accumulated results of an experiment.

use super::{CellSpec, Experiment};
use crate::delivery::OptionKind;
use crate::engine::{Metric, N_METRICS, Outcome};
use crate::stats::{Accumulator, MetricAccumulator, Summary};

/// What identifies a run, for every output.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMeta {
    /// Scenario label.
    pub scenario: String,
    /// Scenario file as given.
    pub file: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per cell.
    pub replications: u64,
    /// The register's source.
    pub register: String,
    /// Number of CCGs in the register.
    pub n_ccgs: usize,
    /// Keys the scenario sets, with their values as written.
    pub changes: Vec<(String, String)>,
    /// Swept key paths, in axis order.
    pub sweep_keys: Vec<String>,
}

/// Everything accumulated for one cell.
#[derive(Clone, Debug)]
pub struct CellResult {
    /// The delivery option.
    pub option: OptionKind,
    /// Number of units N.
    pub units: usize,
    /// Index of the sweep point.
    pub point: usize,
    /// Swept `(key, value)` pairs of the point.
    pub point_values: Vec<(String, f64)>,
    metrics: Vec<MetricAccumulator>,
    contracted: Vec<MetricAccumulator>,
}

impl CellResult {
    fn new(spec: &CellSpec, point_values: Vec<(String, f64)>, months: usize) -> CellResult {
        CellResult {
            option: spec.option,
            units: spec.units,
            point: spec.point,
            point_values,
            metrics: vec![MetricAccumulator::default(); N_METRICS],
            contracted: vec![MetricAccumulator::default(); months],
        }
    }

    fn add(&mut self, outcome: &Outcome) {
        for (acc, &value) in self.metrics.iter_mut().zip(&outcome.values) {
            acc.add(value);
        }
        for (acc, &value) in self.contracted.iter_mut().zip(&outcome.contracted_by_month) {
            acc.add(value);
        }
    }

    /// Returns the summary of a metric over replications.
    pub fn summary(&self, metric: Metric) -> Summary {
        self.metrics[metric as usize].summary()
    }

    /// Returns the number of replications where a metric was undefined.
    pub fn undefined(&self, metric: Metric) -> u64 {
        self.metrics[metric as usize].undefined()
    }

    /// Returns, per month, the summary of CCGs with all four functions in service so far.
    pub fn contracted_by_month(&self) -> Vec<Summary> {
        self.contracted
            .iter()
            .filter(|acc| acc.summary().n > 0)
            .map(MetricAccumulator::summary)
            .collect()
    }
}

/// Results of a whole experiment.
#[derive(Clone, Debug)]
pub struct ExperimentResults {
    /// Run identification.
    pub meta: RunMeta,
    /// One result per cell, in run order.
    pub cells: Vec<CellResult>,
}

impl ExperimentResults {
    pub(super) fn new(experiment: &Experiment, months: usize) -> ExperimentResults {
        let scenario = experiment.scenario();
        let points = experiment.points();
        let meta = RunMeta {
            scenario: scenario.name.clone(),
            file: scenario.file.clone(),
            seed: scenario.seed,
            replications: scenario.replications,
            register: experiment.register().name().to_string(),
            n_ccgs: experiment.register().len(),
            changes: scenario.changes.clone(),
            sweep_keys: scenario.sweep.iter().map(|axis| axis.key.path.clone()).collect(),
        };
        let cells = experiment
            .cells()
            .iter()
            .map(|spec| CellResult::new(spec, points[spec.point].values.clone(), months))
            .collect();
        ExperimentResults { meta, cells }
    }

    pub(super) fn add_replication(&mut self, outcomes: &[Outcome]) {
        for (cell, outcome) in self.cells.iter_mut().zip(outcomes) {
            cell.add(outcome);
        }
    }
}
