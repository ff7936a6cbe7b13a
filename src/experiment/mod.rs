//! Experiments: the cross product of sweep points, options and N, run over replications in
//! parallel (docs/model.md sections 8 and 10).
//!
//! Replications are run in chunks: within a chunk rayon runs one replication per task (every
//! cell of a replication shares its draws, common random numbers); the chunk's outcomes are
//! then merged into the accumulators sequentially in replication order. Results are therefore
//! identical for any thread count, and memory depends on the chunk, not the replication count.

pub mod compare;
pub mod explain;
pub mod findings;
pub mod margin;
pub mod places;
pub mod profile;
mod results;
pub mod uncertainty;
pub mod which_n;

pub use compare::{Comparison, Comparisons, Leader};
pub use results::{CellResult, ExperimentResults, MapData, RunMeta, SCATTER_SAMPLE, UnitSite, Verdict};

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::delivery::{self, DeliveryOption};
use crate::engine::{Cell, ReplicationDraws, Workspace, run_cell_in};
use crate::model::OptionKind;
use crate::model::Outcome;
use crate::model::{Layout, LayoutKind, N_FUNCTIONS, Register};
use crate::scenario::{Scenario, SweepPoint};

/// Cell-replications held in memory at once, at most (bounds a chunk's outcomes).
const CHUNK_BUDGET: usize = 4096;

/// The same when cells record results by place, whose outcomes are some 40 times larger
/// (every CCG's and unit's part).
const CHUNK_BUDGET_PLACES: usize = 256;

/// Which option, N and sweep point a cell is.
#[derive(Clone, Debug, PartialEq)]
pub struct CellSpec {
    /// The delivery option.
    pub option: OptionKind,
    /// Number of units N.
    pub units: usize,
    /// Index of the sweep point.
    pub point: usize,
}

/// Watches a run from the thread that merges results; every method defaults to doing nothing.
pub trait Observer {
    /// Receives one replication's outcomes, one per cell in [`Experiment::cells`] order.
    fn on_replication(&mut self, _replication: u64, _outcomes: &[Outcome]) {}
    /// Reports how many replications are merged so far.
    fn on_progress(&mut self, _done: u64, _total: u64) {}
    /// Returns true to stop the run at the next chunk boundary.
    fn cancelled(&self) -> bool {
        false
    }
}

/// An observer that watches nothing.
pub struct Silent;

impl Observer for Silent {}

/// The part of `0..total` that shard `k` of `n` (1-based) takes: contiguous blocks in order,
/// `floor((k - 1) total / n)` up to `floor(k total / n)`, so the split depends on the study and
/// `n` alone, the shards' sizes differ by at most one, and shards 1 to n in turn cover every
/// item once.
pub fn shard_range(k: u64, n: u64, total: u64) -> std::ops::Range<u64> {
    let edge = |i: u64| (u128::from(i) * u128::from(total) / u128::from(n.max(1))) as u64;
    edge(k.saturating_sub(1))..edge(k.min(n))
}

/// The run was stopped by its observer before every replication was merged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the run was interrupted after {done} of {total} replications")]
pub struct Interrupted {
    /// Replications merged before the stop.
    pub done: u64,
    /// Replications asked for.
    pub total: u64,
}

/// A planned experiment: cells with their layouts, ready to run.
pub struct Experiment<'a> {
    scenario: &'a Scenario,
    register: &'a Register,
    points: Vec<SweepPoint>,
    options: Vec<Box<dyn DeliveryOption>>,
    cells: Vec<CellSpec>,
    /// Each cell's option, as an index into `options`.
    cell_options: Vec<usize>,
    layouts: Vec<Arc<Layout>>,
    /// Whether cells record results by place.
    places: bool,
}

impl<'a> Experiment<'a> {
    /// Plans the cells (sweep point, then option, then N) and places units once per layout.
    ///
    /// The scenario must have passed [`Scenario::check_register`] for this register.
    pub fn new(scenario: &'a Scenario, register: &'a Register) -> Experiment<'a> {
        let points = scenario.points();
        let options: Vec<Box<dyn DeliveryOption>> = scenario.options.iter().map(|&k| delivery::build(k)).collect();
        let mut cache: HashMap<(LayoutKind, usize, [u64; N_FUNCTIONS]), Arc<Layout>> = HashMap::new();
        let mut cells = Vec::new();
        let mut cell_options = Vec::new();
        let mut layouts = Vec::new();
        for (point_idx, point) in points.iter().enumerate() {
            for (option_idx, option) in options.iter().enumerate() {
                for &units in &scenario.units {
                    let kind = option.traits().layout;
                    let scales = point.params.functions.map(|f| f.efficient_scale);
                    // Team apportionment depends on Q*_f; site placement does not.
                    let key_scales = if kind == LayoutKind::Teams {
                        scales.map(f64::to_bits)
                    } else {
                        [0; N_FUNCTIONS]
                    };
                    let layout = cache
                        .entry((kind, units, key_scales))
                        .or_insert_with(|| Arc::new(Layout::new(register, kind, units, &scales)))
                        .clone();
                    cells.push(CellSpec {
                        option: option.kind(),
                        units,
                        point: point_idx,
                    });
                    cell_options.push(option_idx);
                    layouts.push(layout);
                }
            }
        }
        Experiment {
            scenario,
            register,
            points,
            options,
            cells,
            cell_options,
            layouts,
            places: false,
        }
    }

    /// Returns the experiment recording results by region, CCG and unit
    /// ([`CellResult::places`]); they cost time, about a tenth more.
    pub fn with_places(self) -> Experiment<'a> {
        Experiment { places: true, ..self }
    }

    /// Returns whether cells record results by place.
    pub fn places(&self) -> bool {
        self.places
    }

    /// Returns the cells in run order.
    pub fn cells(&self) -> &[CellSpec] {
        &self.cells
    }

    /// Returns the sweep points.
    pub fn points(&self) -> &[SweepPoint] {
        &self.points
    }

    /// Returns the layout of a cell.
    pub fn layout(&self, cell: usize) -> &Layout {
        &self.layouts[cell]
    }

    fn engine_cells(&self) -> Vec<Cell<'_>> {
        self.cells
            .iter()
            .zip(&self.cell_options)
            .zip(&self.layouts)
            .map(|((spec, &option), layout)| {
                let option = self.options[option].as_ref();
                let cell = Cell::new(option, layout, &self.points[spec.point].params, self.register);
                if self.places { cell.with_places() } else { cell }
            })
            .collect()
    }

    /// Runs every replication of every cell, in the current rayon thread pool.
    pub fn run(&self, observer: &mut (dyn Observer + Send)) -> Result<ExperimentResults, Interrupted> {
        self.run_range(0..self.scenario.replications, observer)
    }

    /// Runs replications `range` of every cell (a shard of the study, [`shard_range`]): the
    /// same outcomes as in a whole run, since every draw is keyed by its replication. The
    /// results hold those replications only.
    ///
    /// Chunks are pipelined: while the pool computes chunk k + 1, chunk k's outcomes are merged
    /// and handed to the observer, in replication order.
    pub fn run_range(
        &self,
        range: std::ops::Range<u64>,
        observer: &mut (dyn Observer + Send),
    ) -> Result<ExperimentResults, Interrupted> {
        let mut results = ExperimentResults::new(self, self.scenario.max_months() as usize);
        self.run_into(&mut results, range, observer)?;
        Ok(results)
    }

    /// Runs replications in fixed batches of `batch` until `enough` says the results are
    /// precise enough (asked after each batch) or the scenario's replications are done; the
    /// results say how many were run. The batches do not depend on the threads, so neither
    /// does where the run stops.
    pub fn run_until(
        &self,
        batch: u64,
        observer: &mut (dyn Observer + Send),
        enough: impl Fn(&ExperimentResults) -> bool,
    ) -> Result<ExperimentResults, Interrupted> {
        let total = self.scenario.replications;
        let mut results = ExperimentResults::new(self, self.scenario.max_months() as usize);
        let mut next = 0;
        while next < total {
            let end = next.saturating_add(batch.max(1)).min(total);
            self.run_into(&mut results, next..end, observer)?;
            next = end;
            if enough(&results) {
                break;
            }
        }
        results.meta.replications = next;
        Ok(results)
    }

    /// Runs replications `range` of every cell into `results`.
    fn run_into(
        &self,
        results: &mut ExperimentResults,
        range: std::ops::Range<u64>,
        observer: &mut (dyn Observer + Send),
    ) -> Result<(), Interrupted> {
        let cells = self.engine_cells();
        let total = range.end.saturating_sub(range.start);
        let months = self.scenario.max_months() as usize;
        let budget = if self.places { CHUNK_BUDGET_PLACES } else { CHUNK_BUDGET };
        let chunk = (budget / cells.len().max(1))
            .clamp(1, 256)
            .max(rayon::current_num_threads()) as u64;
        // Each worker keeps one set of draw buffers, redrawn for every replication, and one
        // workspace, refilled by every cell.
        let compute = |start: u64, end: u64| -> Vec<Vec<Outcome>> {
            (start..end)
                .into_par_iter()
                .map_init(
                    || (None, Workspace::new()),
                    |(draws, workspace), replication| {
                        self.run_replication(&cells, draws, workspace, replication, months)
                    },
                )
                .collect()
        };
        let (mut next, mut done) = (range.start, 0);
        let mut pending: Option<(u64, Vec<Vec<Outcome>>)> = None;
        while next < range.end || pending.is_some() {
            if observer.cancelled() {
                return Err(Interrupted { done, total });
            }
            let (start, end) = (next, (next + chunk).min(range.end));
            let to_merge = pending.take();
            let merge = |results: &mut ExperimentResults, observer: &mut (dyn Observer + Send)| {
                to_merge.map(|(first, outcomes)| {
                    for (offset, replication) in outcomes.iter().enumerate() {
                        results.add_replication(replication);
                        observer.on_replication(first + offset as u64, replication);
                    }
                    first + outcomes.len() as u64
                })
            };
            let (computed, merged) = rayon::join(
                || (start < end).then(|| compute(start, end)),
                || merge(&mut *results, &mut *observer),
            );
            if let Some(merged) = merged {
                done = merged - range.start;
                observer.on_progress(done, total);
            }
            if let Some(outcomes) = computed {
                pending = Some((start, outcomes));
                next = end;
            }
        }
        Ok(())
    }

    /// Returns the empty results of this experiment, to which replications' outcomes are
    /// added in replication order ([`ExperimentResults::add_replication`]): what merge builds
    /// from shards, one shard at a time; the same results, to the bit, as [`Experiment::run`]'s.
    pub fn start_results(&self) -> ExperimentResults {
        ExperimentResults::new(self, self.scenario.max_months() as usize)
    }

    /// Builds the results of a whole run from its replications' outcomes, given in
    /// replication order (from shards, say), handing each to `observer` as a run does.
    pub fn replay<E>(
        &self,
        replications: impl Iterator<Item = Result<Vec<Outcome>, E>>,
        observer: &mut dyn Observer,
    ) -> Result<ExperimentResults, E> {
        let mut results = ExperimentResults::new(self, self.scenario.max_months() as usize);
        for (replication, outcomes) in replications.enumerate() {
            let outcomes = outcomes?;
            results.add_replication(&outcomes);
            observer.on_replication(replication as u64, &outcomes);
        }
        Ok(results)
    }

    fn run_replication(
        &self,
        cells: &[Cell],
        draws: &mut Option<ReplicationDraws>,
        workspace: &mut Workspace,
        replication: u64,
        months: usize,
    ) -> Vec<Outcome> {
        let draws = match draws {
            Some(draws) => {
                draws.redraw(replication);
                draws
            }
            None => draws.insert(ReplicationDraws::new(
                self.scenario.seed,
                replication,
                self.register.len(),
                months,
            )),
        };
        cells.iter().map(|cell| run_cell_in(cell, draws, workspace)).collect()
    }

    /// Returns the scenario.
    pub fn scenario(&self) -> &Scenario {
        self.scenario
    }

    /// Returns the register.
    pub fn register(&self) -> &Register {
        self.register
    }
}

#[cfg(test)]
mod tests {
    use super::shard_range;

    #[test]
    fn shards_are_contiguous_blocks_of_floor_k_t_over_n() {
        // 10 items in 3 shards: floor(10/3) = 3, floor(20/3) = 6, 10.
        assert_eq!([1, 2, 3].map(|k| shard_range(k, 3, 10)), [0..3, 3..6, 6..10]);
        // More shards than items: some are empty, in a fixed place.
        assert_eq!([1, 2, 3, 4].map(|k| shard_range(k, 4, 2)), [0..0, 0..1, 1..1, 1..2]);
        assert_eq!(shard_range(1, 1, 7), 0..7);
        for n in 1..=9 {
            for total in [0, 1, 5, 100, 1001] {
                let ranges: Vec<_> = (1..=n).map(|k| shard_range(k, n, total)).collect();
                assert_eq!(ranges[0].start, 0);
                assert_eq!(ranges[n as usize - 1].end, total);
                for pair in ranges.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start);
                }
                let sizes: Vec<u64> = ranges.iter().map(|r| r.end - r.start).collect();
                assert!(
                    sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1,
                    "{sizes:?}"
                );
            }
        }
        // No overflow at the largest counts.
        assert_eq!(shard_range(2, 2, u64::MAX), u64::MAX / 2..u64::MAX);
    }
}
