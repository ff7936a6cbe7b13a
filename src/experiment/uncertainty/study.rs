//! A planned analysis: its designs and every parameter set, checked, ready to evaluate whole
//! or in shards.
//!
//! Its work is two lists. The fixed parameter sets (the defaults, the Saltelli design, the
//! PSA with the values held, the Morris trajectories and the tornado, in that order) each give
//! a set of cell means that depends on no other set, but for the confirmation of PSA sets,
//! which needs only the verdict at the scenario's values. The switching-value searches (per
//! N, per input, below then above the scenario's value) each need the same verdict.

use super::confirm::confirm;
use super::evaluate::{CellMeans, Evaluator, Progress};
use super::indices::{best_units, morris, output_targets, rule_answers, sobol, tornado, value_of_information};
use super::results::{Confirmation, DefaultVerdict, Design, InputInfo, Psa, Switch, UncertaintyResults};
use super::switching::{Probe, SearchSpace, SideSearch, search_side};
use super::{
    MORRIS_LEVELS, Plan, SEARCH_PERCENTILES, TORNADO_PERCENTILES, UncertaintyError, check, gap_half_width,
    gap_to_best_rival,
};
use crate::engine::rng::{Purpose, stream, uniform};
use crate::model::OptionKind;
use crate::model::{Params, Register};
use crate::scenario::keys::shown;
use crate::scenario::{Scenario, UncertainInput};
use crate::stats::design::{Trajectory, latin_hypercube, morris_trajectories};
use crate::stats::distribution::Distribution;

/// The stages of the fixed sets: name, and whether they use the one-at-a-time replications.
const STAGES: [(&str, bool); 5] = [
    ("the scenario's values", true),
    ("PSA and Sobol' design", false),
    ("PSA with the values held", false),
    ("Morris trajectories", false),
    ("tornado", true),
];

/// One fixed parameter set's result: its cell means and, for a PSA set that needed it, the
/// means with the cells of the N that were run again replaced, and those N.
#[derive(Clone, Debug, PartialEq)]
pub struct SetOutput {
    /// Cell means at the stage's replications.
    pub means: Vec<CellMeans>,
    /// The confirmed means and the N confirmed, when the set needed confirming.
    pub confirmed: Option<(Vec<CellMeans>, Vec<usize>)>,
}

/// A planned analysis.
pub struct Study<'a> {
    scenario: &'a Scenario,
    plan: Plan,
    a: Vec<Vec<f64>>,
    b: Vec<Vec<f64>>,
    trajectories: Vec<Trajectory>,
    inputs: Vec<InputInfo>,
    /// Every fixed parameter set, in evaluation order.
    sets: Vec<Params>,
    /// Where each stage of [`STAGES`] starts in `sets`, and its end.
    stages: [usize; 6],
    evaluator: Evaluator<'a>,
    cells: Vec<(OptionKind, usize)>,
    population: f64,
}

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
        let mut stages = [0; 6];
        stages[1] = sets.len();
        sets.extend(saltelli.iter().map(|p| scenario.params_at(p)));
        stages[2] = sets.len();
        if inputs.iter().any(|i| i.is_value) {
            sets.extend(a.iter().chain(&b).map(|p| held(scenario, &inputs, p)));
        }
        stages[3] = sets.len();
        sets.extend(morris_points.map(|p| scenario.params_at(p)));
        stages[4] = sets.len();
        sets.extend(tornado);
        stages[5] = sets.len();
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

    /// Returns whether fixed set `s` is a PSA set (a row of A or B, ranged or held), which is
    /// confirmed at more replications where it needs it.
    fn is_psa(&self, s: usize) -> bool {
        let psa_ranged = self.stages[1]..self.stages[1] + 2 * self.plan.samples;
        let psa_held = self.stages[2]..self.stages[3];
        psa_ranged.contains(&s) || psa_held.contains(&s)
    }

    /// Evaluates the scenario's own values, the first fixed set, from which the verdicts come.
    pub fn evaluate_defaults(&self, progress: &dyn Progress) -> Result<Vec<CellMeans>, UncertaintyError> {
        progress.stage(STAGES[0].0, 1);
        self.evaluator
            .evaluate_all(&self.sets[..1], self.plan.oat_replications, None, progress)
            .and_then(|mut means| means.pop())
            .ok_or(UncertaintyError::Interrupted)
    }

    /// Evaluates the fixed sets `range`, in order, each stage with its own replications, and
    /// confirms the PSA sets among them against `verdicts` (the scenario's values): the same
    /// results whatever the range, since every set uses the same replication streams.
    pub fn evaluate_sets(
        &self,
        range: std::ops::Range<u64>,
        verdicts: &[DefaultVerdict],
        progress: &dyn Progress,
    ) -> Result<Vec<SetOutput>, UncertaintyError> {
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
            let psa: Vec<usize> = (from..to).filter(|&s| self.is_psa(s)).collect();
            let mut confirmed = vec![None; means.len()];
            if !psa.is_empty() {
                progress.stage("confirming close PSA sets", 0);
                let params: Vec<Params> = psa.iter().map(|&s| self.sets[s].clone()).collect();
                let quick: Vec<Vec<CellMeans>> = psa.iter().map(|&s| means[s - from].clone()).collect();
                let again = confirm(
                    &self.evaluator,
                    &self.cells,
                    verdicts,
                    &params,
                    &quick,
                    self.plan.confirm_replications,
                    progress,
                )?;
                for (&s, set) in psa.iter().zip(again) {
                    confirmed[s - from] = set;
                }
            }
            outputs.extend(
                means
                    .into_iter()
                    .zip(confirmed)
                    .map(|(means, confirmed)| SetOutput { means, confirmed }),
            );
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
    ) -> Result<Vec<SideSearch>, UncertaintyError> {
        let d = self.inputs.len();
        let end = range.end.min(self.search_count());
        progress.stage("switching values", 0);
        (range.start..end)
            .map(|s| {
                let s = s as usize;
                let (verdict, i) = (&verdicts[s / (2 * d)], (s / 2) % d);
                self.search_one(verdict, i, s % 2 == 1, progress)
            })
            .collect()
    }

    /// Searches one side of input `i`'s scenario value at the verdict's N.
    fn search_one(
        &self,
        verdict: &DefaultVerdict,
        i: usize,
        upward: bool,
        progress: &dyn Progress,
    ) -> Result<SideSearch, UncertaintyError> {
        let input = &self.inputs[i];
        let key = self.scenario.uncertain[i].key;
        let (lo, hi) = key.rule.bounds();
        let lo = if matches!(key.rule, crate::scenario::Rule::Above(..)) {
            lo.next_up()
        } else {
            lo
        };
        let space = SearchSpace {
            start: input.default,
            range: input.range,
            bounds: (lo, hi),
            integer: key.rule.is_integer(),
        };
        if verdict.runner_up.is_none() {
            return Ok(SideSearch {
                searched: (input.default, input.default),
                crossing: None,
            });
        }
        let at_n: Vec<(OptionKind, usize)> = self.cells.iter().copied().filter(|c| c.1 == verdict.units).collect();
        let probe = |value: f64, replications: u64| -> Result<Option<Probe>, UncertaintyError> {
            let params = one_at(self.scenario, i, value);
            if !key.rule.admits(value) || !self.scenario.drawn_problems(&params).is_empty() {
                return Ok(None);
            }
            let means = self
                .evaluator
                .evaluate_all(
                    std::slice::from_ref(&params),
                    replications,
                    Some(verdict.units),
                    progress,
                )
                .and_then(|mut m| m.pop())
                .ok_or(UncertaintyError::Interrupted)?;
            let (gap, rival) = gap_to_best_rival(&at_n, &means, verdict.leader, verdict.units);
            Ok(Some(Probe {
                value,
                gap,
                half_width: gap_half_width(&at_n, &means, verdict.leader, rival, verdict.units),
                rival,
            }))
        };
        search_side(&space, upward, self.plan.oat_replications, probe)
    }

    /// Returns an error unless there is an output for every set and an answer for every search.
    fn check_answers(&self, outputs: &[SetOutput], searches: &[SideSearch]) -> Result<(), UncertaintyError> {
        if outputs.len() != self.sets.len() || searches.len() as u64 != self.search_count() {
            return Err(UncertaintyError::Inconsistent(format!(
                "{} parameter sets and {} searches for a study of {} and {}",
                outputs.len(),
                searches.len(),
                self.sets.len(),
                self.search_count()
            )));
        }
        Ok(())
    }

    /// Completes the analysis from every fixed set's output and every search's answer, both
    /// in order.
    pub fn finish(
        self,
        outputs: Vec<SetOutput>,
        searches: Vec<SideSearch>,
    ) -> Result<UncertaintyResults, UncertaintyError> {
        self.check_answers(&outputs, &searches)?;
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
        let stage = |k: usize| &outputs[stages[k]..stages[k + 1]];
        let quick = |k: usize| stage(k).iter().map(|o| o.means.clone()).collect::<Vec<_>>();
        let defaults = stage(0).first().map(|o| o.means.clone()).unwrap_or_default();
        let verdicts: Vec<DefaultVerdict> = scenario
            .units
            .iter()
            .map(|&n| verdict_at(&cells, &defaults, n))
            .collect();

        let n = plan.samples;
        let design = saltelli_design(a, b, &quick(1), n);
        let targets = output_targets(&cells, &verdicts);
        let mut bootstrap_stream = stream(scenario.seed, 0, Purpose::Design, (4, 0));
        let sobol = sobol(&targets, &cells, &verdicts, &design, plan.bootstrap, || {
            uniform(&mut bootstrap_stream)
        });
        let morris = morris(&targets, &cells, &verdicts, &trajectories, &quick(3), d);
        let tornado = tornado(&cells, &verdicts, &quick(4), d);

        let switching = pair_searches(searches, &verdicts, d);

        let psa = assemble_psa(&stage(1)[..(2 * n).min(stage(1).len())], &cells, &verdicts);
        let psa_held = (stages[3] > stages[2]).then(|| assemble_psa(stage(2), &cells, &verdicts));
        let psa_points: Vec<&Vec<f64>> = design.a.iter().chain(&design.b).collect();
        let value_of_information = value_of_information(&cells, &scenario.units, &psa.sets, &psa_points, d)?;
        let best_units = best_units(&cells, &scenario.options, &psa.sets);
        let rule = scenario
            .decision
            .map(|rule| (rule, rule_answers(rule, &cells, &scenario.units, &psa.sets)));
        Ok(UncertaintyResults {
            inputs,
            cells,
            units: scenario.units.clone(),
            population,
            plan,
            defaults,
            verdicts,
            design,
            psa,
            psa_held,
            sobol,
            morris,
            tornado,
            switching,
            value_of_information,
            best_units,
            rule,
        })
    }
}

/// Saltelli's design from the Sobol' stage's outputs in order: the `n` rows of A, the `n` of
/// B, then `n` for each A_B^(i).
fn saltelli_design(a: Vec<Vec<f64>>, b: Vec<Vec<f64>>, saltelli: &[Vec<CellMeans>], n: usize) -> Design {
    let mut chunks = saltelli.chunks(n).map(<[Vec<CellMeans>]>::to_vec);
    let f_a = chunks.next().unwrap_or_default();
    let f_b = chunks.next().unwrap_or_default();
    let f_ab: Vec<Vec<Vec<CellMeans>>> = chunks.collect();
    Design { a, b, f_a, f_b, f_ab }
}

/// Pairs the searches, in order (for each N's verdict, each input: below, then above), into
/// switching values.
fn pair_searches(searches: Vec<SideSearch>, verdicts: &[DefaultVerdict], d: usize) -> Vec<Switch> {
    let mut found = searches.into_iter();
    let mut switching = Vec::new();
    for verdict in verdicts {
        for i in 0..d {
            let (Some(below), Some(above)) = (found.next(), found.next()) else {
                break;
            };
            switching.push(Switch {
                units: verdict.units,
                input: i,
                leader: verdict.leader,
                below,
                above,
            });
        }
    }
    switching
}

/// Returns the PSA as the probabilities use it, confirmed sets replaced, with the counts of
/// what confirmation did at each N.
fn assemble_psa(outputs: &[SetOutput], cells: &[(OptionKind, usize)], verdicts: &[DefaultVerdict]) -> Psa {
    let sets: Vec<Vec<CellMeans>> = outputs
        .iter()
        .map(|o| o.confirmed.as_ref().map_or_else(|| o.means.clone(), |(m, _)| m.clone()))
        .collect();
    let confirmations = verdicts
        .iter()
        .filter(|v| v.runner_up.is_some())
        .map(|v| {
            let cheapest = |means: &[CellMeans]| {
                let (gap, rival) = gap_to_best_rival(cells, means, v.leader, v.units);
                if gap > 0.0 { rival } else { v.leader }
            };
            let rerun: Vec<&SetOutput> = outputs
                .iter()
                .filter(|o| o.confirmed.as_ref().is_some_and(|(_, at)| at.contains(&v.units)))
                .collect();
            let changed = rerun
                .iter()
                .filter(|o| {
                    o.confirmed
                        .as_ref()
                        .is_some_and(|(m, _)| cheapest(m) != cheapest(&o.means))
                })
                .count();
            let mut halves: Vec<f64> = rerun
                .iter()
                .filter_map(|o| {
                    let (m, _) = o.confirmed.as_ref()?;
                    let (gap, rival) = gap_to_best_rival(cells, m, v.leader, v.units);
                    let half = gap_half_width(cells, m, v.leader, rival, v.units);
                    let clear = gap + half < 0.0 || gap - half > 0.0;
                    (!clear).then_some(half)
                })
                .collect();
            let unsettled = halves.len();
            halves.retain(|h| h.is_finite());
            halves.sort_by(f64::total_cmp);
            let leads: Vec<f64> = sets
                .iter()
                .map(|m| -gap_to_best_rival(cells, m, v.leader, v.units).0)
                .collect();
            let mean = leads.iter().sum::<f64>() / leads.len() as f64;
            let spread = (leads.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (leads.len() as f64 - 1.0)).sqrt();
            Confirmation {
                units: v.units,
                rerun: rerun.len(),
                changed,
                unsettled,
                half_width: crate::stats::percentile_sorted(&halves, 0.5),
                spread,
            }
        })
        .collect();
    Psa { sets, confirmations }
}

/// Returns the number of parameter sets the analysis evaluates before the confirmations and
/// the switching values (which depend on what the sets show), for a progress bar.
pub fn planned_sets(plan: Plan, inputs: usize, values: usize, units: usize) -> u64 {
    let saltelli = plan.samples * (inputs + 2);
    let held = if values > 0 { 2 * plan.samples } else { 0 };
    let morris = plan.trajectories * (inputs + 1);
    (1 + saltelli + held + morris + 2 * inputs + 2 * inputs * units) as u64
}

/// Returns the parameters at design point `p` with every value input at the scenario's value.
fn held(scenario: &Scenario, inputs: &[InputInfo], p: &[f64]) -> Params {
    let mut params = scenario.params_at(p);
    for (input, info) in scenario.uncertain.iter().zip(inputs) {
        if info.is_value {
            input.key.set(&mut params, info.default);
        }
    }
    params
}

/// Returns whether an input is a value of section 5a or the penalty on unmet work: what
/// the analyst thinks scale buys or undone work costs, not how the model runs.
pub fn is_value(input: &UncertainInput) -> bool {
    input.key.path.starts_with("value.")
}

/// Describes each uncertain input.
fn input_info(scenario: &Scenario) -> Vec<InputInfo> {
    scenario
        .uncertain
        .iter()
        .map(|input| {
            let distribution = match input.distribution {
                Distribution::Uniform { low, high } => format!("uniform {} to {}", shown(low), shown(high)),
                Distribution::Triangular { min, mode, max } => {
                    format!("triangular {} to {}, mode {}", shown(min), shown(max), shown(mode))
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
                is_value: is_value(input),
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
        leader: ranked.first().map_or(OptionKind::National, |r| r.0),
        runner_up: ranked.get(1).map(|r| r.0),
        margin: ranked.get(1).map_or(0.0, |r| r.1 - ranked[0].1),
    }
}
