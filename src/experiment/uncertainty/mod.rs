//! The uncertainty analysis (`csu-sim uncertainty`): what drives the verdict, and how sure it
//! is, when the assumptions themselves are uncertain.
//!
//! The scenario's `[uncertain]` inputs each get a distribution; everything else keeps the
//! scenario's value. Every parameter set is run for every option and N with the same
//! replication streams (common random numbers). The stages:
//!
//! 1. **Defaults**: the scenario's own values, which fix the default leader and runner-up at
//!    each N and the margin between them.
//! 2. **Saltelli design**: two independent Latin hypercubes A and B of `samples` rows, and the
//!    `d` matrices AB_i (A with column i from B). A and B together are the probabilistic
//!    sensitivity analysis (PSA) sample; the whole design gives Sobol' first-order and total
//!    indices, with bootstrap intervals, for each option's headline and each N's margin.
//! 3. **Morris**: elementary effects along random trajectories, for screening.
//! 4. **Tornado**: each input alone at its 5th and 95th percentiles.
//! 5. **Switching values**: for each input and N, the value at which the cheapest option
//!    changes, by bisection on the paired difference within the input's range.
//! 6. **Value of information**: EVPI and each input's EVPPI from the PSA sample, for the
//!    choice of option at each N and for the choice of option and N together.

mod evaluate;

pub use evaluate::{CellMeans, Counter, Evaluator, Progress, Quiet};

use crate::engine::rng::{Purpose, stream, uniform};
use crate::model::OptionKind;
use crate::model::{Params, Register};
use crate::scenario::{DecisionRule, Scenario, UncertainInput};
use crate::stats::design::{latin_hypercube, morris_trajectories};
use crate::stats::percentile_sorted;
use crate::stats::sensitivity::{MorrisEffects, SobolIndices, morris_effects, sobol_indices};
use crate::stats::voi::{evpi, evppi};

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
}

impl Default for Plan {
    fn default() -> Plan {
        Plan {
            samples: 256,
            replications: 10,
            trajectories: 20,
            oat_replications: 100,
            bootstrap: 500,
        }
    }
}

/// Grid levels of the Morris design.
pub const MORRIS_LEVELS: usize = 4;

/// Bisection steps for a switching value: the range is cut 2^12 = 4,096 times.
const BISECTION_STEPS: usize = 12;

/// Percentiles of the tornado's ends.
pub const TORNADO_PERCENTILES: (f64, f64) = (0.05, 0.95);

/// Cumulative probabilities bounding the range searched for a switching value.
pub const SEARCH_PERCENTILES: (f64, f64) = (0.001, 0.999);

/// An uncertain input as the analysis reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct InputInfo {
    /// The input as the scenario gives it.
    pub source: UncertainInput,
    /// Dotted key.
    pub path: &'static str,
    /// Unit of the key's values.
    pub unit: &'static str,
    /// The scenario's value, used when the input is not varied.
    pub default: f64,
    /// The distribution in words, e.g. `uniform [5e6, 2e7]`.
    pub distribution: String,
    /// The tornado's low and high ends (5th and 95th percentiles).
    pub tornado: (f64, f64),
    /// The range searched for a switching value.
    pub range: (f64, f64),
}

/// What an index or effect is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// An option's headline at N.
    Headline(OptionKind, usize),
    /// The default runner-up's headline minus the default leader's at N (positive: the leader
    /// is ahead).
    Margin(usize),
}

/// The verdict at one N and the scenario's values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DefaultVerdict {
    /// Number of units N.
    pub units: usize,
    /// Cheapest option.
    pub leader: OptionKind,
    /// Second cheapest, if there is one.
    pub runner_up: Option<OptionKind>,
    /// Runner-up minus leader \[GBP per head per year\].
    pub margin: f64,
}

/// One input's bar at one N: the margin with the input at each end of its range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TornadoBar {
    /// Number of units N.
    pub units: usize,
    /// Index of the input.
    pub input: usize,
    /// Margin with the input at its 5th percentile.
    pub at_low: f64,
    /// Margin with the input at its 95th percentile.
    pub at_high: f64,
}

impl TornadoBar {
    /// Returns the bar's width, the larger of its two departures from the default margin.
    pub fn swing(&self, default: f64) -> f64 {
        (self.at_low - default).abs().max((self.at_high - default).abs())
    }
}

/// Where the cheapest option changes as one input moves, at one N.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Switch {
    /// Number of units N.
    pub units: usize,
    /// Index of the input.
    pub input: usize,
    /// The default leader.
    pub leader: OptionKind,
    /// The crossings found below and above the default: `(value, new leader)`.
    pub below: Option<(f64, OptionKind)>,
    /// See `below`.
    pub above: Option<(f64, OptionKind)>,
}

/// The value of information for one decision.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueOfInformation {
    /// The decision: the option at this N, or `None` for option and N together.
    pub units: Option<usize>,
    /// EVPI \[GBP per head per year\].
    pub evpi: f64,
    /// EVPPI of each input \[GBP per head per year\].
    pub evppi: Vec<f64>,
}

/// One option's best N over the PSA.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BestUnits {
    /// The option.
    pub option: OptionKind,
    /// N with the lowest mean headline over the PSA.
    pub units: usize,
    /// That mean.
    pub mean: f64,
    /// 2.5th and 97.5th percentiles of the headline at that N over the PSA.
    pub interval: (f64, f64),
    /// Share of PSA sets in which this N is the option's cheapest.
    pub probability: f64,
}

/// The decision rule's answer at one N.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleAnswer {
    /// Number of units N.
    pub units: usize,
    /// The cheapest option (mean headline over the PSA) meeting the rule, if any does.
    pub choice: Option<OptionKind>,
}

/// The Saltelli design and its outputs, kept so that anyone can recompute the indices.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Rows of A, as cumulative probabilities.
    pub a: Vec<Vec<f64>>,
    /// Rows of B.
    pub b: Vec<Vec<f64>>,
    /// Cell means at the rows of A, in [`UncertaintyResults::cells`] order.
    pub f_a: Vec<Vec<CellMeans>>,
    /// Cell means at the rows of B.
    pub f_b: Vec<Vec<CellMeans>>,
    /// Cell means at the rows of AB_i, for each input i.
    pub f_ab: Vec<Vec<Vec<CellMeans>>>,
}

/// Everything the analysis found.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertaintyResults {
    /// The uncertain inputs, in scenario order.
    pub inputs: Vec<InputInfo>,
    /// The cells, option then N.
    pub cells: Vec<(OptionKind, usize)>,
    /// The N values.
    pub units: Vec<usize>,
    /// Register population \[people\], to turn per-head values into GBP m for England.
    pub population: f64,
    /// What the analysis ran.
    pub plan: Plan,
    /// Cell means at the scenario's values, with the tornado's replications.
    pub defaults: Vec<CellMeans>,
    /// The verdict at the scenario's values, per N.
    pub verdicts: Vec<DefaultVerdict>,
    /// The Saltelli design; A and B together are the PSA sample.
    pub design: Design,
    /// Sobol' indices of every input, per output.
    pub sobol: Vec<(Output, Vec<SobolIndices>)>,
    /// Morris statistics of every input, per output.
    pub morris: Vec<(Output, Vec<MorrisEffects>)>,
    /// Tornado bars, per N and input.
    pub tornado: Vec<TornadoBar>,
    /// Switching values, per N and input.
    pub switching: Vec<Switch>,
    /// Value of information, per N and then for option and N together.
    pub value_of_information: Vec<ValueOfInformation>,
    /// Each option's best N.
    pub best_units: Vec<BestUnits>,
    /// The decision rule and its answer per N, if the scenario has one.
    pub rule: Option<(DecisionRule, Vec<RuleAnswer>)>,
}

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
    let outputs = study.evaluate_sets(0..study.set_count(), progress)?;
    let verdicts = study.verdicts(&outputs[0]);
    let searches = study.search(0..study.search_count(), &verdicts, progress)?;
    Ok(study.finish(outputs, searches))
}

/// A switching-value search's answer: the value where the leader changes and the option that
/// takes over, or none within the input's range.
pub type Found = Option<(f64, OptionKind)>;

/// A planned analysis: its design and every parameter set, checked, ready to evaluate whole
/// or in shards. Its work is two lists: the fixed parameter sets (the defaults, the Saltelli
/// design, the Morris trajectories and the tornado, in that order), each a set of cell means
/// that does not depend on any other; and the switching-value searches (per N, per input,
/// below then above the scenario's value), each a bisection that needs only the defaults.
pub struct Study<'a> {
    scenario: &'a Scenario,
    plan: Plan,
    a: Vec<Vec<f64>>,
    b: Vec<Vec<f64>>,
    trajectories: Vec<crate::stats::design::Trajectory>,
    inputs: Vec<InputInfo>,
    /// Every fixed parameter set, in evaluation order.
    sets: Vec<Params>,
    /// Where the defaults, Saltelli, Morris and tornado sets start in `sets`, and its end.
    stages: [usize; 5],
    evaluator: Evaluator<'a>,
    cells: Vec<(OptionKind, usize)>,
    population: f64,
}

/// The stages of the fixed sets, for progress: name, and whether they use the one-at-a-time
/// replications.
const STAGES: [(&str, bool); 4] = [
    ("the scenario's values", true),
    ("PSA and Sobol' design", false),
    ("Morris trajectories", false),
    ("tornado", true),
];

impl<'a> Study<'a> {
    /// Draws the designs and builds every fixed parameter set, each checked against the rules
    /// between keys before anything runs.
    pub fn new(scenario: &'a Scenario, register: &'a Register, plan: Plan) -> Result<Study<'a>, UncertaintyError> {
        check(scenario)?;
        let d = scenario.uncertain.len();
        let design_stream =
            |stage: u64, entity: usize| stream(scenario.seed, 0, Purpose::Design, (stage, entity as u64));
        let mut a_streams: Vec<_> = (0..d).map(|j| design_stream(1, j)).collect();
        let a = latin_hypercube(plan.samples, d, |j| uniform(&mut a_streams[j]));
        let mut b_streams: Vec<_> = (0..d).map(|j| design_stream(2, j)).collect();
        let b = latin_hypercube(plan.samples, d, |j| uniform(&mut b_streams[j]));
        let mut morris_streams: Vec<_> = (0..plan.trajectories).map(|t| design_stream(3, t)).collect();
        let trajectories =
            morris_trajectories(plan.trajectories, d, MORRIS_LEVELS, |t| uniform(&mut morris_streams[t]));
        let inputs = input_info(scenario);
        let mut saltelli: Vec<Vec<f64>> = a.iter().chain(&b).cloned().collect();
        for i in 0..d {
            saltelli.extend(a.iter().zip(&b).map(|(pa, pb)| {
                let mut p = pa.clone();
                p[i] = pb[i];
                p
            }));
        }
        let morris_points = trajectories.iter().flat_map(|t| t.points.iter());
        let tornado = (0..d).flat_map(|i| [inputs[i].tornado.0, inputs[i].tornado.1].map(|v| one_at(scenario, i, v)));
        let mut sets = vec![scenario.params.clone()];
        let mut stages = [0; 5];
        stages[1] = sets.len();
        sets.extend(saltelli.iter().map(|p| scenario.params_at(p)));
        stages[2] = sets.len();
        sets.extend(morris_points.map(|p| scenario.params_at(p)));
        stages[3] = sets.len();
        sets.extend(tornado);
        stages[4] = sets.len();
        for params in &sets {
            if let Some(problem) = scenario.drawn_problems(params).into_iter().next() {
                return Err(UncertaintyError::Drawn(problem));
            }
        }
        let months = sets
            .iter()
            .map(|p| p.time.months)
            .max()
            .unwrap_or(scenario.params.time.months)
            .max(scenario.params.time.months) as usize;
        let evaluator = Evaluator::new(register, scenario.seed, &scenario.options, &scenario.units, months);
        let cells = evaluator.cells();
        Ok(Study {
            scenario,
            plan,
            a,
            b,
            trajectories,
            inputs,
            sets,
            stages,
            evaluator,
            cells,
            population: register.total_population(),
        })
    }

    /// Number of fixed parameter sets.
    pub fn set_count(&self) -> u64 {
        self.sets.len() as u64
    }

    /// Number of switching-value searches: below and above each input's value, at each N.
    pub fn search_count(&self) -> u64 {
        (2 * self.inputs.len() * self.scenario.units.len()) as u64
    }

    /// The cells, option then N.
    pub fn cells(&self) -> &[(OptionKind, usize)] {
        &self.cells
    }

    /// Evaluates the fixed sets `range`, in order, each stage with its own replications: the
    /// same means whatever the range, since every set uses the same replication streams.
    pub fn evaluate_sets(
        &self,
        range: std::ops::Range<u64>,
        progress: &dyn Progress,
    ) -> Result<Vec<Vec<CellMeans>>, UncertaintyError> {
        let (start, end) = (range.start as usize, (range.end as usize).min(self.sets.len()));
        let mut outputs = Vec::with_capacity(end.saturating_sub(start));
        for (stage, &(name, one_at_a_time)) in STAGES.iter().enumerate() {
            let from = self.stages[stage].max(start);
            let to = self.stages[stage + 1].min(end);
            if from >= to {
                continue;
            }
            let replications = if one_at_a_time {
                self.plan.oat_replications
            } else {
                self.plan.replications
            };
            progress.stage(name, (to - from) as u64);
            let means = self
                .evaluator
                .evaluate_all(&self.sets[from..to], replications, None, progress)
                .ok_or(UncertaintyError::Interrupted)?;
            outputs.extend(means);
        }
        Ok(outputs)
    }

    /// The verdict at the scenario's values, per N, from the defaults' cell means.
    pub fn verdicts(&self, defaults: &[CellMeans]) -> Vec<DefaultVerdict> {
        self.scenario
            .units
            .iter()
            .map(|&n| verdict_at(&self.cells, defaults, n))
            .collect()
    }

    /// Runs the switching-value searches `range`, in order: search `s` is at N number
    /// `s / (2 d)`, for input `(s / 2) mod d`, below the scenario's value when `s` is even and
    /// above it when odd.
    pub fn search(
        &self,
        range: std::ops::Range<u64>,
        verdicts: &[DefaultVerdict],
        progress: &dyn Progress,
    ) -> Result<Vec<Found>, UncertaintyError> {
        let d = self.inputs.len();
        let end = range.end.min(self.search_count());
        progress.stage("switching values", end.saturating_sub(range.start));
        (range.start..end)
            .map(|s| {
                let s = s as usize;
                let (verdict, i) = (&verdicts[s / (2 * d)], (s / 2) % d);
                let input = &self.inputs[i];
                let end = if s.is_multiple_of(2) {
                    input.range.0
                } else {
                    input.range.1
                };
                find_switch(
                    self.scenario,
                    &self.evaluator,
                    &self.cells,
                    verdict,
                    i,
                    input.default,
                    end,
                    self.plan,
                    progress,
                )
            })
            .collect()
    }

    /// Completes the analysis from every fixed set's cell means and every search's answer,
    /// both in order.
    pub fn finish(self, outputs: Vec<Vec<CellMeans>>, searches: Vec<Found>) -> UncertaintyResults {
        let Study {
            scenario,
            plan,
            a,
            b,
            trajectories,
            inputs,
            stages,
            cells,
            population,
            ..
        } = self;
        let d = inputs.len();
        let set = |stage: usize| &outputs[stages[stage]..stages[stage + 1]];
        let defaults = set(0).first().cloned().unwrap_or_default();
        let verdicts: Vec<DefaultVerdict> = scenario
            .units
            .iter()
            .map(|&n| verdict_at(&cells, &defaults, n))
            .collect();

        // Saltelli (and PSA).
        let n = plan.samples;
        let mut chunks = set(1).chunks(n).map(<[Vec<CellMeans>]>::to_vec);
        let f_a = chunks.next().unwrap_or_default();
        let f_b = chunks.next().unwrap_or_default();
        let f_ab: Vec<Vec<Vec<CellMeans>>> = chunks.collect();
        let design = Design { a, b, f_a, f_b, f_ab };
        let targets = output_targets(&cells, &verdicts);
        let mut bootstrap_stream = stream(scenario.seed, 0, Purpose::Design, (4, 0));
        let sobol = targets
            .iter()
            .map(|&target| {
                let value = |means: &Vec<CellMeans>| output_value(target, &cells, means, &verdicts);
                let f_a: Vec<f64> = design.f_a.iter().map(value).collect();
                let f_b: Vec<f64> = design.f_b.iter().map(value).collect();
                let f_ab: Vec<Vec<f64>> = design
                    .f_ab
                    .iter()
                    .map(|rows| rows.iter().map(value).collect())
                    .collect();
                (
                    target,
                    sobol_indices(&f_a, &f_b, &f_ab, plan.bootstrap, || uniform(&mut bootstrap_stream)),
                )
            })
            .collect();

        // Morris.
        let morris_outputs = set(2);
        let morris = targets
            .iter()
            .map(|&target| {
                let mut effects = vec![Vec::new(); d];
                let mut offset = 0;
                for trajectory in &trajectories {
                    let values: Vec<f64> = morris_outputs[offset..offset + trajectory.points.len()]
                        .iter()
                        .map(|means| output_value(target, &cells, means, &verdicts))
                        .collect();
                    for (s, pair) in values.windows(2).enumerate() {
                        effects[trajectory.changed[s]].push((pair[1] - pair[0]) / trajectory.step[s]);
                    }
                    offset += trajectory.points.len();
                }
                (target, morris_effects(&effects))
            })
            .collect();

        // Tornado.
        let tornado_outputs = set(3);
        let mut tornado = Vec::new();
        for verdict in &verdicts {
            for i in 0..d {
                let margin =
                    |means: &Vec<CellMeans>| output_value(Output::Margin(verdict.units), &cells, means, &verdicts);
                tornado.push(TornadoBar {
                    units: verdict.units,
                    input: i,
                    at_low: margin(&tornado_outputs[2 * i]),
                    at_high: margin(&tornado_outputs[2 * i + 1]),
                });
            }
        }

        // Switching values, below then above each input's value.
        let mut found = searches.into_iter();
        let mut switching = Vec::new();
        for verdict in &verdicts {
            for i in 0..d {
                let below = found.next().flatten();
                let above = found.next().flatten();
                switching.push(Switch {
                    units: verdict.units,
                    input: i,
                    leader: verdict.leader,
                    below,
                    above,
                });
            }
        }

        // Value of information, best N and the decision rule, over the PSA sample (A and B).
        let psa: Vec<&Vec<CellMeans>> = design.f_a.iter().chain(&design.f_b).collect();
        let psa_points: Vec<&Vec<f64>> = design.a.iter().chain(&design.b).collect();
        let value_of_information = value_of_information(&cells, &scenario.units, &psa, &psa_points, d);
        let best_units = best_units(&cells, &scenario.options, &scenario.units, &psa);
        let rule = scenario
            .decision
            .map(|rule| (rule, rule_answers(rule, &cells, &scenario.units, &psa)));
        UncertaintyResults {
            inputs,
            cells: cells.clone(),
            units: scenario.units.clone(),
            population,
            plan,
            defaults,
            verdicts,
            design,
            sobol,
            morris,
            tornado,
            switching,
            value_of_information,
            best_units,
            rule,
        }
    }
}

/// Returns the number of parameter sets the analysis evaluates before the switching values
/// (whose bisections stop early), for a progress bar.
pub fn planned_sets(plan: Plan, inputs: usize, units: usize) -> u64 {
    let saltelli = plan.samples * (inputs + 2);
    let morris = plan.trajectories * (inputs + 1);
    (1 + saltelli + morris + 2 * inputs + 2 * inputs * units) as u64
}

/// Describes each uncertain input.
fn input_info(scenario: &Scenario) -> Vec<InputInfo> {
    scenario
        .uncertain
        .iter()
        .map(|input| {
            use crate::scenario::keys::shown;
            use crate::stats::distribution::Distribution;
            let distribution = match input.distribution {
                Distribution::Uniform { low, high } => format!("uniform [{}, {}]", shown(low), shown(high)),
                Distribution::Triangular { min, mode, max } => {
                    format!("triangular [{}, {}, {}]", shown(min), shown(mode), shown(max))
                }
                Distribution::LogNormal { mean, cv } => format!("lognormal mean {}, cv {}", shown(mean), shown(cv)),
                Distribution::Beta { mean, sd } => format!("beta mean {}, sd {}", shown(mean), shown(sd)),
            };
            InputInfo {
                source: input.clone(),
                path: input.key.path,
                unit: input.key.unit,
                default: input.key.get(&scenario.params),
                distribution,
                tornado: (
                    input.value_at(TORNADO_PERCENTILES.0),
                    input.value_at(TORNADO_PERCENTILES.1),
                ),
                range: (
                    input.value_at(SEARCH_PERCENTILES.0),
                    input.value_at(SEARCH_PERCENTILES.1),
                ),
            }
        })
        .collect()
}

/// Returns the scenario's parameters with input `i` alone set to `value`.
fn one_at(scenario: &Scenario, i: usize, value: f64) -> Params {
    let mut params = scenario.params.clone();
    scenario.uncertain[i].key.set(&mut params, value);
    params
}

/// Returns the cheapest and second cheapest options at N.
fn verdict_at(cells: &[(OptionKind, usize)], means: &[CellMeans], units: usize) -> DefaultVerdict {
    let mut ranked: Vec<(OptionKind, f64)> = cells
        .iter()
        .zip(means)
        .filter(|((_, n), _)| *n == units)
        .map(|((o, _), m)| (*o, m.headline))
        .collect();
    ranked.sort_by(|x, y| x.1.total_cmp(&y.1));
    DefaultVerdict {
        units,
        leader: ranked[0].0,
        runner_up: ranked.get(1).map(|r| r.0),
        margin: ranked.get(1).map_or(0.0, |r| r.1 - ranked[0].1),
    }
}

/// Returns every output the indices are computed for: each cell's headline, then each N's
/// margin (where there is a runner-up).
fn output_targets(cells: &[(OptionKind, usize)], verdicts: &[DefaultVerdict]) -> Vec<Output> {
    cells
        .iter()
        .map(|&(o, n)| Output::Headline(o, n))
        .chain(
            verdicts
                .iter()
                .filter(|v| v.runner_up.is_some())
                .map(|v| Output::Margin(v.units)),
        )
        .collect()
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

/// Returns the paired difference leader minus best rival at N, and the best rival: positive
/// when the default leader has lost its place.
fn switch_gap(
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

/// Searches between the default and `end` for the value of input `i` at which the default
/// leader at N stops being cheapest: `None` if it is still cheapest at `end`, else the value
/// found by bisection (to 1/4,096 of the distance; whole numbers for integer keys) and the
/// option that leads beyond it.
#[allow(clippy::too_many_arguments)]
fn find_switch(
    scenario: &Scenario,
    evaluator: &Evaluator,
    cells: &[(OptionKind, usize)],
    verdict: &DefaultVerdict,
    i: usize,
    start: f64,
    end: f64,
    plan: Plan,
    progress: &dyn Progress,
) -> Result<Option<(f64, OptionKind)>, UncertaintyError> {
    if verdict.runner_up.is_none() || end == start {
        return Ok(None);
    }
    let integer = scenario.uncertain[i].key.rule.is_integer();
    let gap_at = |value: f64| -> Result<(f64, OptionKind), UncertaintyError> {
        let params = one_at(scenario, i, value);
        if let Some(problem) = scenario.drawn_problems(&params).into_iter().next() {
            return Err(UncertaintyError::Drawn(problem));
        }
        let sets = std::slice::from_ref(&params);
        let means = evaluator
            .evaluate_all(sets, plan.oat_replications, Some(verdict.units), progress)
            .ok_or(UncertaintyError::Interrupted)?
            .remove(0);
        let at_n: Vec<(OptionKind, usize)> = cells.iter().copied().filter(|c| c.1 == verdict.units).collect();
        Ok(switch_gap(&at_n, &means, verdict.leader, verdict.units))
    };
    let (gap, rival) = gap_at(end)?;
    if gap <= 0.0 {
        return Ok(None);
    }
    let (mut inside, mut outside, mut beyond) = (start, end, rival);
    for _ in 0..BISECTION_STEPS {
        let mut middle = 0.5 * (inside + outside);
        if integer {
            middle = middle.round();
            if middle == inside || middle == outside {
                break;
            }
        }
        let (gap, rival) = gap_at(middle)?;
        if gap > 0.0 {
            outside = middle;
            beyond = rival;
        } else {
            inside = middle;
        }
    }
    Ok(Some((outside, beyond)))
}

/// Returns the EVPI and each input's EVPPI for the choice of option at each N, then for the
/// choice of option and N together; net benefit is minus the headline.
fn value_of_information(
    cells: &[(OptionKind, usize)],
    units: &[usize],
    psa: &[&Vec<CellMeans>],
    points: &[&Vec<f64>],
    inputs: usize,
) -> Vec<ValueOfInformation> {
    let decisions: Vec<(Option<usize>, Vec<usize>)> = units
        .iter()
        .map(|&n| (Some(n), (0..cells.len()).filter(|&c| cells[c].1 == n).collect()))
        .chain(std::iter::once((None, (0..cells.len()).collect())))
        .collect();
    decisions
        .into_iter()
        .map(|(units, columns)| {
            let nb: Vec<Vec<f64>> = psa
                .iter()
                .map(|means| columns.iter().map(|&c| -means[c].headline).collect())
                .collect();
            let evppi = (0..inputs)
                .map(|i| {
                    let theta: Vec<f64> = points.iter().map(|p| p[i]).collect();
                    evppi(&theta, &nb)
                })
                .collect();
            ValueOfInformation {
                units,
                evpi: evpi(&nb),
                evppi,
            }
        })
        .collect()
}

/// Returns each option's N with the lowest mean headline over the PSA.
fn best_units(
    cells: &[(OptionKind, usize)],
    options: &[OptionKind],
    units: &[usize],
    psa: &[&Vec<CellMeans>],
) -> Vec<BestUnits> {
    let mean = |c: usize| psa.iter().map(|m| m[c].headline).sum::<f64>() / psa.len() as f64;
    options
        .iter()
        .filter_map(|&option| {
            let columns: Vec<usize> = (0..cells.len()).filter(|&c| cells[c].0 == option).collect();
            let &best = columns.iter().min_by(|&&x, &&y| mean(x).total_cmp(&mean(y)))?;
            let wins = psa
                .iter()
                .filter(|m| columns.iter().all(|&c| m[best].headline <= m[c].headline))
                .count();
            let mut values: Vec<f64> = psa.iter().map(|m| m[best].headline).collect();
            values.sort_by(f64::total_cmp);
            let _ = units;
            Some(BestUnits {
                option,
                units: cells[best].1,
                mean: mean(best),
                interval: (percentile_sorted(&values, 0.025), percentile_sorted(&values, 0.975)),
                probability: wins as f64 / psa.len() as f64,
            })
        })
        .collect()
}

/// Returns, per N, the cheapest option (mean headline over the PSA) whose unmet share stays at
/// or below the rule's limit in at least the rule's share of PSA sets.
fn rule_answers(
    rule: DecisionRule,
    cells: &[(OptionKind, usize)],
    units: &[usize],
    psa: &[&Vec<CellMeans>],
) -> Vec<RuleAnswer> {
    let k = psa.len() as f64;
    units
        .iter()
        .map(|&n| {
            let choice = (0..cells.len())
                .filter(|&c| cells[c].1 == n)
                .filter(|&c| {
                    psa.iter().filter(|m| m[c].unmet <= rule.max_unmet_share).count() as f64 / k >= rule.confidence
                })
                .min_by(|&x, &y| {
                    let mean = |c: usize| psa.iter().map(|m| m[c].headline).sum::<f64>();
                    mean(x).total_cmp(&mean(y))
                })
                .map(|c| cells[c].0);
            RuleAnswer { units: n, choice }
        })
        .collect()
}

impl UncertaintyResults {
    /// Returns the PSA sample's cell means: the rows of A, then of B.
    pub fn psa(&self) -> Vec<&Vec<CellMeans>> {
        self.design.f_a.iter().chain(&self.design.f_b).collect()
    }

    /// Returns, per N, each option's share of PSA sets in which it is cheapest.
    pub fn probability_best(&self) -> Vec<(usize, Vec<(OptionKind, f64)>)> {
        let psa = self.psa();
        self.units
            .iter()
            .map(|&n| {
                let columns: Vec<usize> = (0..self.cells.len()).filter(|&c| self.cells[c].1 == n).collect();
                let mut wins = vec![0usize; columns.len()];
                for means in &psa {
                    if let Some(best) = (0..columns.len())
                        .min_by(|&x, &y| means[columns[x]].headline.total_cmp(&means[columns[y]].headline))
                    {
                        wins[best] += 1;
                    }
                }
                let shares = columns
                    .iter()
                    .zip(wins)
                    .map(|(&c, w)| (self.cells[c].0, w as f64 / psa.len() as f64))
                    .collect();
                (n, shares)
            })
            .collect()
    }

    /// Returns, per N, the default leader's margin over its best rival in every PSA set
    /// (negative where it is not cheapest).
    pub fn margins(&self) -> Vec<(usize, Vec<f64>)> {
        let psa = self.psa();
        self.verdicts
            .iter()
            .map(|v| {
                let margins = psa
                    .iter()
                    .map(|means| -switch_gap(&self.cells, means, v.leader, v.units).0)
                    .collect();
                (v.units, margins)
            })
            .collect()
    }

    /// Returns the input values at a design point of cumulative probabilities.
    pub fn values_at(&self, point: &[f64]) -> Vec<f64> {
        self.inputs
            .iter()
            .zip(point)
            .map(|(input, &p)| input.source.value_at(p))
            .collect()
    }

    /// Returns the cell with the lowest mean headline over the PSA, every option and N
    /// together, with its interval over the PSA and the share of sets it is cheapest in.
    pub fn best_overall(&self) -> Option<BestUnits> {
        let psa = self.psa();
        let mean = |c: usize| psa.iter().map(|m| m[c].headline).sum::<f64>() / psa.len() as f64;
        let best = (0..self.cells.len()).min_by(|&x, &y| mean(x).total_cmp(&mean(y)))?;
        let wins = psa
            .iter()
            .filter(|m| (0..self.cells.len()).all(|c| m[best].headline <= m[c].headline))
            .count();
        let mut values: Vec<f64> = psa.iter().map(|m| m[best].headline).collect();
        values.sort_by(f64::total_cmp);
        Some(BestUnits {
            option: self.cells[best].0,
            units: self.cells[best].1,
            mean: mean(best),
            interval: (percentile_sorted(&values, 0.025), percentile_sorted(&values, 0.975)),
            probability: wins as f64 / psa.len() as f64,
        })
    }

    /// Returns the default margin at N.
    pub fn default_margin(&self, units: usize) -> f64 {
        self.verdicts
            .iter()
            .find(|v| v.units == units)
            .map_or(f64::NAN, |v| v.margin)
    }
}
