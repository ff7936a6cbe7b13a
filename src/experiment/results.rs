//! Accumulated results of an experiment.

use super::compare::{Comparisons, Group, Leader, leader};
use super::margin::{MarginPart, MarginParts};
use super::places::{PlaceTotals, Regions, catchments};
use super::which_n::{AcrossN, BestN, Ladder};
use super::{CellSpec, Experiment};
use crate::model::Function;
use crate::model::OptionKind;
use crate::model::{Metric, N_METRICS, Outcome};
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
    /// Total population of the register \[people\].
    pub population: f64,
    /// Keys the scenario sets, with their values as written and where.
    pub changes: Vec<crate::scenario::Change>,
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
    summaries: std::sync::OnceLock<Vec<Summary>>,
    /// Replications in which no NHS unit served any CCG in any operating month.
    pub no_unit_serving: u64,
    /// `(unmet_share, net_cost_per_head)` of the first [`SCATTER_SAMPLE`] replications.
    pub scatter: Vec<(f64, f64)>,
    /// The cell's units: host CCG (register index), function (network teams), catchment.
    pub unit_sites: Vec<UnitSite>,
    /// Results by place, when the experiment records them.
    pub places: Option<PlaceTotals>,
}

/// Where a unit of a cell sits and whom it is planned to serve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitSite {
    /// Register index of the CCG hosting it.
    pub site: usize,
    /// The function of a network team; `None` for a unit providing all four.
    pub function: Option<Function>,
    /// Population of the CCGs planned to it, `Qplan` \[people\].
    pub catchment: f64,
}

/// Replications kept per cell for scatter charts (bounded, so memory does not grow).
pub const SCATTER_SAMPLE: usize = 1000;

/// Where one option's units sit at one N, and which unit each CCG is planned to: for maps.
#[derive(Clone, Debug)]
pub struct MapData {
    /// The option.
    pub option: OptionKind,
    /// Number of units N.
    pub units: usize,
    /// `(lat, lon, unit)` per CCG; for network teams, the business intelligence team.
    pub ccgs: Vec<(f64, f64, usize)>,
    /// `(lat, lon)` per unit.
    pub sites: Vec<(f64, f64)>,
}

impl MapData {
    /// The map of `option`'s units in `layout` over `register`'s CCGs.
    pub fn new(option: OptionKind, layout: &crate::model::Layout, register: &crate::model::Register) -> MapData {
        let ccg = |i: usize| &register.ccgs()[i];
        MapData {
            option,
            units: layout.units().len(),
            ccgs: (0..register.len())
                .map(|i| {
                    (
                        ccg(i).lat,
                        ccg(i).lon,
                        layout.planned_unit(i, Function::BusinessIntelligence),
                    )
                })
                .collect(),
            sites: layout
                .units()
                .iter()
                .map(|u| (ccg(u.site).lat, ccg(u.site).lon))
                .collect(),
        }
    }
}

impl CellResult {
    fn new(spec: &CellSpec, point_values: Vec<(String, f64)>, months: usize, unit_sites: Vec<UnitSite>) -> CellResult {
        CellResult {
            option: spec.option,
            units: spec.units,
            point: spec.point,
            point_values,
            metrics: vec![MetricAccumulator::default(); N_METRICS],
            contracted: vec![MetricAccumulator::default(); months],
            summaries: std::sync::OnceLock::new(),
            no_unit_serving: 0,
            scatter: Vec::new(),
            unit_sites,
            places: None,
        }
    }

    fn add(&mut self, outcome: &Outcome, regions: &Regions) {
        if let (Some(totals), Some(places)) = (&mut self.places, &outcome.places) {
            totals.add(places, regions);
        }
        for (acc, &value) in self.metrics.iter_mut().zip(&outcome.values) {
            acc.add(value);
        }
        for (acc, &value) in self.contracted.iter_mut().zip(&outcome.contracted_by_month) {
            acc.add(value);
        }
        self.no_unit_serving += u64::from(outcome.get(Metric::UnitsServingMean) == 0.0);
        if self.scatter.len() < SCATTER_SAMPLE {
            self.scatter
                .push((outcome.get(Metric::UnmetShare), outcome.get(Metric::HEADLINE)));
        }
    }

    /// Returns the summary of a metric over replications (computed once, when first asked
    /// for after the run).
    pub fn summary(&self, metric: Metric) -> Summary {
        self.summaries
            .get_or_init(|| self.metrics.iter().map(MetricAccumulator::summary).collect())[metric as usize]
    }

    /// Returns the summary of a metric over the replications merged so far, without keeping
    /// it (for checks during a run; [`CellResult::summary`] is computed once, after it).
    pub fn summary_so_far(&self, metric: Metric) -> Summary {
        self.metrics[metric as usize].summary()
    }

    /// Returns the number of replications where a metric was undefined.
    pub fn undefined(&self, metric: Metric) -> u64 {
        self.metrics[metric as usize].undefined()
    }

    /// Returns any quantile of a metric over replications.
    pub fn quantile(&self, metric: Metric, p: f64) -> f64 {
        self.metrics[metric as usize].quantile(p)
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
    /// Paired differences between options at each N and sweep point.
    pub comparisons: Comparisons,
    /// Cells grouped by (N, sweep point), in run order.
    pub groups: Vec<Group>,
    /// Paired differences between the N of each option at each sweep point.
    pub across_n: AcrossN,
    /// The parts of the paired differences between options, per head.
    pub margin_parts: MarginParts,
    /// Unit placement of every option and N at the first sweep point.
    pub maps: Vec<MapData>,
    /// Go-live month `G` of the first sweep point.
    pub go_live_month: u32,
    /// The parameters of the first sweep point.
    pub params: crate::model::Params,
    /// The register's NHS regions.
    pub regions: Regions,
    /// The register's CCGs, for outputs that name or place them.
    pub ccgs: Vec<crate::model::Ccg>,
}

/// The verdict at one N and sweep point: cheapest on the headline, least unmet.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Number of units N.
    pub units: usize,
    /// Sweep point index.
    pub point: usize,
    /// Lowest headline, `net_cost_per_head`.
    pub cheapest: Option<Leader>,
    /// Lowest `unmet_share`.
    pub least_unmet: Option<Leader>,
}

impl RunMeta {
    fn of(experiment: &Experiment) -> RunMeta {
        let scenario = experiment.scenario();
        RunMeta {
            scenario: scenario.name.clone(),
            file: scenario.file.clone(),
            seed: scenario.seed,
            replications: scenario.replications,
            register: experiment.register().name().to_string(),
            n_ccgs: experiment.register().len(),
            population: experiment.register().total_population(),
            changes: scenario.changes.clone(),
            sweep_keys: scenario.sweep.iter().map(|axis| axis.key.path.to_string()).collect(),
        }
    }
}

/// The cells sharing an N and sweep point, in run order: the options compared with each other.
fn groups_of(cells: &[CellResult]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (idx, cell) in cells.iter().enumerate() {
        match groups.iter_mut().find(|g| g.0 == cell.units && g.1 == cell.point) {
            Some(group) => group.2.push((cell.option, idx)),
            None => groups.push((cell.units, cell.point, vec![(cell.option, idx)])),
        }
    }
    groups
}

/// Each option's cells at one sweep point, by N: the N compared with each other.
fn ladders_of(cells: &[CellResult]) -> Vec<Ladder> {
    let mut ladders: Vec<Ladder> = Vec::new();
    for (idx, cell) in cells.iter().enumerate() {
        match ladders
            .iter_mut()
            .find(|l| l.option == cell.option && l.point == cell.point)
        {
            Some(ladder) => ladder.rungs.push((cell.units, idx)),
            None => ladders.push(Ladder {
                option: cell.option,
                point: cell.point,
                rungs: vec![(cell.units, idx)],
            }),
        }
    }
    for ladder in &mut ladders {
        ladder.rungs.sort_unstable();
    }
    ladders
}

impl ExperimentResults {
    pub(super) fn new(experiment: &Experiment, months: usize) -> ExperimentResults {
        let points = experiment.points();
        let meta = RunMeta::of(experiment);
        let regions = Regions::of(experiment.register());
        let cells: Vec<CellResult> = experiment
            .cells()
            .iter()
            .enumerate()
            .map(|(idx, spec)| {
                let layout = experiment.layout(idx);
                let sites = layout
                    .units()
                    .iter()
                    .zip(catchments(layout))
                    .map(|(unit, catchment)| UnitSite {
                        site: unit.site,
                        function: unit.function,
                        catchment,
                    })
                    .collect();
                let mut cell = CellResult::new(spec, points[spec.point].values.clone(), months, sites);
                if experiment.places() {
                    cell.places = Some(PlaceTotals::new(&regions, layout.units().len()));
                }
                cell
            })
            .collect();
        let groups = groups_of(&cells);
        let ladders = ladders_of(&cells);
        let register = experiment.register();
        let maps = cells
            .iter()
            .enumerate()
            .filter(|(_, cell)| cell.point == 0)
            .map(|(idx, cell)| MapData::new(cell.option, experiment.layout(idx), register))
            .collect();
        let go_live_month = points.first().map_or(0, |p| p.params.time.go_live_month);
        let params = points.first().map(|p| p.params.clone()).unwrap_or_default();
        ExperimentResults {
            meta,
            comparisons: Comparisons::new(&groups),
            across_n: AcrossN::new(ladders),
            margin_parts: MarginParts::new(&groups, register.total_population()),
            cells,
            groups,
            maps,
            go_live_month,
            params,
            regions,
            ccgs: register.ccgs().to_vec(),
        }
    }

    /// Adds one replication's outcomes, one per cell in run order, as a run does.
    pub fn add_replication(&mut self, outcomes: &[Outcome]) {
        for (cell, outcome) in self.cells.iter_mut().zip(outcomes) {
            cell.add(outcome, &self.regions);
        }
        self.comparisons.add(outcomes);
        self.across_n.add(outcomes);
        self.margin_parts.add(outcomes);
    }

    /// Returns the best N of each option at each sweep point with two or more N, on `metric`
    /// (the headline or the unmet share; docs/model.md section 8, "Which N").
    pub fn best_n(&self, metric: Metric) -> Vec<BestN> {
        self.across_n.best(metric, |c| self.cells[c].summary(metric).mean)
    }

    /// Returns the parts of the cheapest option's margin over the runner-up at a verdict's N
    /// and sweep point (runner-up minus leader, per head, in [`Metric::headline_parts`] order);
    /// `None` with a single option.
    pub fn margin_of(&self, verdict: &Verdict) -> Option<Vec<MarginPart>> {
        let leader = verdict.cheapest.as_ref()?;
        let runner_up = leader.runner_up?;
        let group = self
            .groups
            .iter()
            .position(|g| g.0 == verdict.units && g.1 == verdict.point)?;
        let cell_of = |option| {
            self.groups[group]
                .2
                .iter()
                .find(|&&(o, _)| o == option)
                .map(|&(_, c)| c)
        };
        self.margin_parts
            .margin(group, cell_of(leader.option)?, cell_of(runner_up)?)
    }

    /// Returns the verdict of every (N, sweep point), in run order: cheapest on the headline.
    pub fn verdicts(&self) -> Vec<Verdict> {
        self.verdicts_on(Metric::HEADLINE)
    }

    /// Returns the verdict of every (N, sweep point) with "cheapest" judged on `cost`, one of
    /// the compared metrics ([`super::compare::COMPARED`]).
    pub fn verdicts_on(&self, cost: Metric) -> Vec<Verdict> {
        self.groups
            .iter()
            .map(|group| {
                let best =
                    |metric: Metric| leader(group, &self.comparisons, |c| self.cells[c].summary(metric).mean, metric);
                Verdict {
                    units: group.0,
                    point: group.1,
                    cheapest: best(cost),
                    least_unmet: best(Metric::UnmetShare),
                }
            })
            .collect()
    }

    /// Returns the cell of an option at (units, point), if it was run.
    pub fn cell(&self, option: OptionKind, units: usize, point: usize) -> Option<&CellResult> {
        self.cells
            .iter()
            .find(|c| c.option == option && c.units == units && c.point == point)
    }
}
