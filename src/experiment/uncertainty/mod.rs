//! The uncertainty analysis (`csu-sim uncertainty`): how sure the verdict is when the
//! assumptions themselves are uncertain, what would change it, and what moves the margin.
//!
//! The scenario's `[uncertain]` inputs each get a distribution; everything else keeps the
//! scenario's value. Every parameter set is run for every option and N with the same
//! replication streams (common random numbers). The stages, each in its own file:
//!
//! 1. **Defaults** (`study`): the scenario's own values, which fix the default leader and
//!    runner-up at each N and the margin between them.
//! 2. **Saltelli design** (`study`): two independent Latin hypercubes A and B of `samples`
//!    rows, and the `d` matrices AB_i (A with column i from B). A and B together are the
//!    probabilistic sensitivity analysis (PSA) sample; the whole design gives Sobol' indices.
//!    The rows of A and B are run a second time with the value inputs (section 5a and the
//!    penalty) held at the scenario's values, so that a reader sees what the values add.
//! 3. **Confirmation** (`confirm`): every PSA set where the cheapest option is not the
//!    scenario's leader, or where the leader's lead lies within its own Monte Carlo interval,
//!    is run again at more replications before the probabilities and the value of information
//!    are computed from it, so that Monte Carlo noise is not counted as uncertainty.
//! 4. **Morris** (`study`): elementary effects along random trajectories, for screening.
//! 5. **Tornado** (`indices`): each input alone at its 5th and 95th percentiles, against the
//!    best rival at that point.
//! 6. **Switching values** (`switching`): for each input and N, where the cheapest option
//!    changes, on both sides of the scenario's value, within the input's range or beyond it.
//! 7. **Value of information** (`indices`): EVPI and each input's EVPPI from the confirmed PSA.

mod confirm;
mod evaluate;
mod indices;
mod results;
mod study;
pub mod switching;

pub use evaluate::{CellMeans, Counter, Evaluator, Progress, Quiet};
pub use results::{
    BestUnits, Confirmation, DefaultVerdict, Design, InputInfo, Output, Psa, RuleAnswer, Share, Switch, TornadoBar,
    UncertaintyResults, ValueOfInformation,
};
pub use study::{SetOutput, Study, is_value, planned_sets};

use crate::model::OptionKind;
use crate::model::Register;
use crate::scenario::Scenario;

/// How much work each stage does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// Rows of each of A and B: the PSA has twice as many parameter sets.
    pub samples: usize,
    /// Replications per parameter set in the PSA, Sobol' and Morris stages.
    pub replications: u64,
    /// Morris trajectories.
    pub trajectories: usize,
    /// Replications per evaluation of the tornado and switching values (one input at a time,
    /// so fewer evaluations, each more precise).
    pub oat_replications: u64,
    /// Bootstrap resamples of the Sobol' indices.
    pub bootstrap: usize,
    /// Replications of a PSA set run again to confirm it (0: no confirmation).
    pub confirm_replications: u64,
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            samples: 256,
            replications: 10,
            trajectories: 20,
            oat_replications: 100,
            bootstrap: 500,
            confirm_replications: 1000,
        }
    }
}

/// Most cell-replications an analysis may plan: about five hours on two cores here (the
/// shipped analysis runs some 15 million in four minutes).
pub const MAX_WORK: f64 = 1e9;

/// Most memory an analysis may plan to hold \[bytes\]: its parameter sets and their means.
pub const MAX_MEMORY: f64 = 2.0 * 1024.0 * 1024.0 * 1024.0;

/// What an analysis will cost, estimated before it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Cell-replications, the confirmations and searches at their most.
    pub work: f64,
    /// Bytes held: every fixed parameter set and its cells' means.
    pub memory: f64,
}

impl Plan {
    /// Estimates an analysis of `inputs` uncertain inputs (`values` of them value inputs)
    /// over `options` options and `units` N: the fixed sets at their replications, every PSA
    /// set confirmed to the top of the ladder at every N, and every search probing, bisecting
    /// and confirming in full; memory for every fixed set's parameters and its cells' means
    /// (twice for the PSA sets, confirmed).
    pub fn estimate(&self, inputs: usize, values: usize, options: usize, units: usize) -> Estimate {
        let (d, n, t) = (inputs as f64, self.samples as f64, self.trajectories as f64);
        let cells = (options * units) as f64;
        let held = if values > 0 { 2.0 * n } else { 0.0 };
        let design_sets = n * (d + 2.0) + held + t * (d + 1.0);
        let oat_sets = 1.0 + 2.0 * d;
        let psa = 2.0 * n + held;
        let ladder = 100.0 + 300.0 + self.confirm_replications as f64;
        let probes_per_search = (switching::RANGE_PROBES
            + 2 * switching::BEYOND_PROBES
            + switching::BISECTION_STEPS
            + 2 * switching::INTERVAL_STEPS
            + 2 * switching::CONFIRM_FACTOR as usize) as f64;
        let searches = 2.0 * d * units as f64;
        let work = design_sets * cells * self.replications as f64
            + oat_sets * cells * self.oat_replications as f64
            + psa * cells * ladder
            + searches * probes_per_search * options as f64 * self.oat_replications as f64;
        let per_set = std::mem::size_of::<crate::model::Params>() as f64
            + cells * std::mem::size_of::<CellMeans>() as f64
            + d * 8.0;
        let memory = (design_sets + oat_sets + psa) * per_set;
        Estimate { work, memory }
    }
}

/// Grid levels of the Morris design.
pub const MORRIS_LEVELS: usize = 4;

/// Percentiles of the tornado's ends.
pub const TORNADO_PERCENTILES: (f64, f64) = (0.05, 0.95);

/// Cumulative probabilities bounding the analysis's range of an input.
pub const SEARCH_PERCENTILES: (f64, f64) = (0.001, 0.999);

/// Why the analysis could not run or finish.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum UncertaintyError {
    /// The scenario has no `[uncertain]` inputs.
    #[error(
        "the scenario has no [uncertain] inputs: give each uncertain key a distribution, as scenarios/uncertainty.toml does"
    )]
    NoInputs,
    /// The scenario sweeps keys; the analysis varies them itself.
    #[error(
        "the uncertainty analysis does not take a [sweep] (or --sweep): give the swept keys distributions under [uncertain] instead"
    )]
    Sweep,
    /// A drawn parameter set breaks a rule between keys.
    #[error("a drawn parameter set is not valid: {0}")]
    Drawn(String),
    /// The analysis was stopped.
    #[error("the analysis was interrupted")]
    Interrupted,
    /// The parts of an analysis do not fit together (shards that disagree with their study).
    #[error("the analysis's parts do not fit together: {0}")]
    Inconsistent(String),
}

/// Returns why a scenario cannot be analysed, if it cannot: it has no uncertain inputs, or it
/// sweeps keys (the analysis varies them itself).
pub fn check(scenario: &Scenario) -> Result<(), UncertaintyError> {
    if scenario.uncertain.is_empty() {
        return Err(UncertaintyError::NoInputs);
    }
    if !scenario.sweep.is_empty() {
        return Err(UncertaintyError::Sweep);
    }
    Ok(())
}

/// Runs the whole analysis.
pub fn analyse(
    scenario: &Scenario,
    register: &Register,
    plan: Plan,
    progress: &dyn Progress,
) -> Result<UncertaintyResults, UncertaintyError> {
    let study = Study::new(scenario, register, plan)?;
    let defaults = study.evaluate_defaults(progress)?;
    let verdicts = study.verdicts(&defaults);
    let outputs = study.evaluate_sets(0..study.set_count(), &verdicts, progress)?;
    let searches = study.search(0..study.search_count(), &verdicts, progress)?;
    study.finish(outputs, searches)
}

/// Returns the default leader's headline minus its best rival's at N, and that rival: positive
/// when the leader has lost its place. With no rival, minus infinity and the leader.
pub fn gap_to_best_rival(
    cells: &[(OptionKind, usize)],
    means: &[CellMeans],
    leader: OptionKind,
    units: usize,
) -> (f64, OptionKind) {
    let at_n: Vec<(OptionKind, f64)> = cells
        .iter()
        .zip(means)
        .filter(|((_, n), _)| *n == units)
        .map(|((o, _), m)| (*o, m.headline))
        .collect();
    let own = at_n.iter().find(|(o, _)| *o == leader).map_or(f64::NAN, |x| x.1);
    let (rival, best) = at_n
        .iter()
        .filter(|(o, _)| *o != leader)
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .copied()
        .unwrap_or((leader, f64::INFINITY));
    (own - best, rival)
}

/// Returns the 95% half-width of the paired gap between the leader and `rival` at N in one
/// parameter set's means; NaN without one.
pub fn gap_half_width(
    cells: &[(OptionKind, usize)],
    means: &[CellMeans],
    leader: OptionKind,
    rival: OptionKind,
    units: usize,
) -> f64 {
    cells
        .iter()
        .position(|&c| c == (leader, units))
        .map_or(f64::NAN, |c| means[c].paired_half_width(rival))
}

/// Returns an output's value from one parameter set's cell means.
pub fn output_value(
    output: Output,
    cells: &[(OptionKind, usize)],
    means: &[CellMeans],
    verdicts: &[DefaultVerdict],
) -> f64 {
    let headline = |option: OptionKind, units: usize| {
        cells
            .iter()
            .position(|&c| c == (option, units))
            .map_or(f64::NAN, |idx| means[idx].headline)
    };
    match output {
        Output::Headline(option, units) => headline(option, units),
        Output::Margin(units) => {
            let verdict = verdicts.iter().find(|v| v.units == units);
            match verdict.and_then(|v| v.runner_up.map(|r| (v.leader, r))) {
                Some((leader, runner_up)) => headline(runner_up, units) - headline(leader, units),
                None => f64::NAN,
            }
        }
    }
}
