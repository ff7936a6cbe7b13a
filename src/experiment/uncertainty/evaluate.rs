//! Running the model at many parameter sets: every option and N with R replications each,
//! on common random numbers (replication r draws the same streams at every parameter set).
//!
//! Parameter sets are spread over the rayon pool and collected in order; each worker keeps one
//! set of draw buffers and one workspace, and a replication's draws are re-transformed only for
//! the parameters that changed. Results are therefore identical for any thread count.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::delivery::{self, DeliveryOption};
use crate::engine::{Cell, ReplicationDraws, Workspace, run_cell_in};
use crate::model::Metric;
use crate::model::OptionKind;
use crate::model::placement::apportion_teams;
use crate::model::{Layout, LayoutKind, N_FUNCTIONS, Params, Register};
use crate::stats::{Accumulator, Moments};

/// The means of one cell at one parameter set.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellMeans {
    /// Mean headline, `net_cost_per_head` \[GBP per head per year\].
    pub headline: f64,
    /// Mean unmet share of demand.
    pub unmet: f64,
    /// Replications the means are over.
    pub replications: u64,
    /// For each option of [`OptionKind::ALL`], the standard deviation (n - 1) over
    /// replications of this cell's headline minus that option's at the same N, paired by
    /// replication; NaN for the cell's own option, an option not run, or one replication.
    pub pair_sd: [f64; OptionKind::COUNT],
}

impl Default for CellMeans {
    fn default() -> CellMeans {
        CellMeans {
            headline: 0.0,
            unmet: 0.0,
            replications: 0,
            pair_sd: [f64::NAN; OptionKind::COUNT],
        }
    }
}

impl CellMeans {
    /// Returns the half-width of the 95% interval (Student t) of the mean paired difference
    /// between this cell's headline and `other`'s at the same N; NaN without one.
    pub fn paired_half_width(&self, other: OptionKind) -> f64 {
        let sd = self.pair_sd[other.index()];
        let n = self.replications;
        if n < 2 || sd.is_nan() {
            return f64::NAN;
        }
        crate::stats::t_quantile(0.975, (n - 1) as f64) * sd / (n as f64).sqrt()
    }
}

/// Watches an analysis: the count of parameter sets evaluated, and a request to stop.
pub trait Progress: Sync {
    /// Announces a stage and the parameter sets it will evaluate (an estimate for the
    /// switching values, whose bisections stop early).
    fn stage(&self, _name: &str, _sets: u64) {}
    /// Records that `n` more parameter sets have been evaluated.
    fn advance(&self, _n: u64) {}
    /// Returns true to stop at the next parameter set.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A progress that records nothing.
pub struct Quiet;

impl Progress for Quiet {}

/// A count of evaluated sets, for tests and simple callers.
#[derive(Debug, Default)]
pub struct Counter {
    /// Sets evaluated so far.
    pub done: AtomicU64,
    /// Set to stop the analysis.
    pub stop: AtomicBool,
}

impl Progress for Counter {
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Team layouts by N and apportionment (teams per function).
type TeamLayouts = HashMap<(usize, [usize; N_FUNCTIONS]), Arc<Layout>>;

/// Runs every option and N of a scenario at any parameter set.
pub struct Evaluator<'a> {
    register: &'a Register,
    seed: u64,
    options: Vec<Box<dyn DeliveryOption>>,
    units: Vec<usize>,
    months: usize,
    sites: HashMap<usize, Arc<Layout>>,
    teams: Mutex<TeamLayouts>,
}

impl<'a> Evaluator<'a> {
    /// Prepares the cells of `options` x `units`; `months` is the longest horizon any
    /// parameter set will have.
    pub fn new(
        register: &'a Register,
        seed: u64,
        options: &[OptionKind],
        units: &[usize],
        months: usize,
    ) -> Evaluator<'a> {
        let options: Vec<Box<dyn DeliveryOption>> = options.iter().map(|&k| delivery::build(k)).collect();
        let scales = Params::default().functions.map(|f| f.efficient_scale);
        let sites = units
            .iter()
            .map(|&n| (n, Arc::new(Layout::new(register, LayoutKind::Sites, n, &scales))))
            .collect();
        Evaluator {
            register,
            seed,
            options,
            units: units.to_vec(),
            months,
            sites,
            teams: Mutex::new(HashMap::new()),
        }
    }

    /// Returns the cells in evaluation order: option, then N.
    pub fn cells(&self) -> Vec<(OptionKind, usize)> {
        self.options
            .iter()
            .flat_map(|o| self.units.iter().map(move |&n| (o.kind(), n)))
            .collect()
    }

    /// Returns the layout of an option's kind at N for these parameters: sites depend only on
    /// N; teams on N and their apportionment, which depends on the efficient scales.
    fn layout(&self, kind: LayoutKind, units: usize, params: &Params) -> Arc<Layout> {
        match kind {
            LayoutKind::Sites => self.sites[&units].clone(),
            LayoutKind::Teams => {
                let scales = params.functions.map(|f| f.efficient_scale);
                let teams = apportion_teams(self.register, units, &scales);
                let mut cache = self.teams.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                cache
                    .entry((units, teams))
                    .or_insert_with(|| Arc::new(Layout::new(self.register, kind, units, &scales)))
                    .clone()
            }
        }
    }

    /// Returns the mean headline and unmet share of every cell in [`Evaluator::cells`] order
    /// (restricted to the N in `only`, if given) over replications `0..replications`, using
    /// `buffers` for the draws and the cells' workspace.
    fn evaluate_in(
        &self,
        params: &Params,
        replications: u64,
        only: Option<usize>,
        buffers: &mut (Option<ReplicationDraws>, Workspace),
    ) -> Vec<CellMeans> {
        let layouts: Vec<(usize, Arc<Layout>)> = self
            .options
            .iter()
            .flat_map(|o| self.units.iter().map(move |&n| (o, n)))
            .filter(|&(_, n)| only.is_none_or(|m| m == n))
            .map(|(o, n)| (n, self.layout(o.traits().layout, n, params)))
            .collect();
        let options = self
            .options
            .iter()
            .flat_map(|o| self.units.iter().map(move |&n| (o, n)))
            .filter(|&(_, n)| only.is_none_or(|m| m == n));
        let cells: Vec<Cell> = options
            .zip(&layouts)
            .map(|((option, _), (_, layout))| Cell::new(option.as_ref(), layout, params, self.register))
            .collect();
        let mut sums = vec![CellMeans::default(); cells.len()];
        // Every two cells at the same N, for their paired differences.
        let at_n: Vec<(usize, OptionKind)> = self
            .options
            .iter()
            .flat_map(|o| self.units.iter().map(move |&n| (n, o.kind())))
            .filter(|&(n, _)| only.is_none_or(|m| m == n))
            .collect();
        let mut pairs = pairs_at_same_n(&at_n);
        let mut headlines = vec![0.0; cells.len()];
        let (draws, workspace) = buffers;
        for replication in 0..replications {
            let draws = match draws {
                Some(draws) => {
                    draws.redraw(replication);
                    draws
                }
                None => draws.insert(ReplicationDraws::new(
                    self.seed,
                    replication,
                    self.register.len(),
                    self.months,
                )),
            };
            for ((cell, sum), headline) in cells.iter().zip(&mut sums).zip(&mut headlines) {
                let outcome = run_cell_in(cell, draws, workspace);
                *headline = outcome.get(Metric::HEADLINE);
                sum.headline += *headline;
                sum.unmet += outcome.get(Metric::UnmetShare);
            }
            for (a, b, moments) in &mut pairs {
                moments.add(headlines[*a] - headlines[*b]);
            }
        }
        means_of(&sums, &pairs, &at_n, replications)
    }

    /// Evaluates every parameter set (all cells, or only those at N = `only`), in parallel,
    /// in order; `None` if `progress` asked to stop.
    pub fn evaluate_all(
        &self,
        sets: &[Params],
        replications: u64,
        only: Option<usize>,
        progress: &dyn Progress,
    ) -> Option<Vec<Vec<CellMeans>>> {
        let results: Vec<Option<Vec<CellMeans>>> = sets
            .par_iter()
            .map_init(
                || (None, Workspace::new()),
                |buffers, params| {
                    if progress.cancelled() {
                        return None;
                    }
                    let means = self.evaluate_in(params, replications, only, buffers);
                    progress.advance(1);
                    Some(means)
                },
            )
            .collect();
        results.into_iter().collect()
    }
}

/// Every two cells at the same N, `(a, b)` with a < b, each with the moments of its paired
/// headline differences to come.
fn pairs_at_same_n(at_n: &[(usize, OptionKind)]) -> Vec<(usize, usize, Moments)> {
    let mut pairs = Vec::new();
    for a in 0..at_n.len() {
        for b in a + 1..at_n.len() {
            if at_n[a].0 == at_n[b].0 {
                pairs.push((a, b, Moments::default()));
            }
        }
    }
    pairs
}

/// Each cell's means over `replications` from its sums, with the sd of its paired headline
/// difference from every other option at its N.
fn means_of(
    sums: &[CellMeans],
    pairs: &[(usize, usize, Moments)],
    at_n: &[(usize, OptionKind)],
    replications: u64,
) -> Vec<CellMeans> {
    let n = replications as f64;
    let mut means: Vec<CellMeans> = sums
        .iter()
        .map(|s| CellMeans {
            headline: s.headline / n,
            unmet: s.unmet / n,
            replications,
            pair_sd: [f64::NAN; OptionKind::COUNT],
        })
        .collect();
    for (a, b, moments) in pairs {
        let sd = moments.sample_sd();
        means[*a].pair_sd[at_n[*b].1.index()] = sd;
        means[*b].pair_sd[at_n[*a].1.index()] = sd;
    }
    means
}
