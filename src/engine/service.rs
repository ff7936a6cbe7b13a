//! A month of service at every open desk (docs/model.md sections 5 and 6, steps 4b-4e of section
//! 3): arrivals, service oldest work first, pooling of spare capacity, loss and ageing, and the
//! units' running cost.
//!
//! Each desk's constants and monthly state sit together in one record, walked in step with the
//! desk's queue and arrivals, so the monthly pass does no index arithmetic. The part of a
//! desk's monthly cost that depends only on the population it serves is recomputed when that
//! population changes, not every month. Most desks have no backlog and more capacity than work
//! in most months: they serve their arrivals, and the pass never touches their buckets.

use super::buffers::emptied;
use super::places::{DeskLog, Unserved};
use super::queue::{WorkQueues, age, serve_oldest_first};
use super::tally::Tally;
use super::units::UnitBook;
use crate::model::N_FUNCTIONS;
use crate::model::cost::UnitCost;
use crate::stats::order_key;

/// Pooling constants of a cell whose units pool spare capacity.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pooling {
    /// Share of spare capacity usable by other units' queues.
    pub efficiency: f64,
    /// Remote-working cost per unit of pooled work \[GBP per population-year\].
    pub cost_per_head: f64,
}

/// One desk as the monthly pass sees it.
#[derive(Clone, Copy, Debug)]
struct Desk {
    open: bool,
    /// Whether the desk may hold queued work; false means every bucket is 0.
    backlog: bool,
    function: u8,
    /// Capacity before any systemic halving \[population-years per month\].
    capacity: f64,
    variable: f64,
    /// `(1 - s_f) F / 12` or `F / 12` \[GBP\].
    monthly_constant: f64,
    /// `monthly_constant + F (Qact / Q*)^2 / 12`: the desk's cost of a month before service.
    fixed_month: f64,
    /// Whether `fixed_month` waits for [`Desks::refresh`] after a change of population.
    stale: bool,
    /// This month's capacity, work served and spare capacity.
    capacity_now: f64,
    served: f64,
    spare: f64,
}

/// The desks of one cell.
#[derive(Clone, Debug, Default)]
pub(super) struct Desks {
    desks: Vec<Desk>,
    cost: Vec<UnitCost>,
    open_count: usize,
    /// Desks whose population changed since the last [`Desks::refresh`].
    stale: Vec<usize>,
    /// Queued work of every desk, open or not.
    pub queues: WorkQueues,
}

impl Desks {
    /// Lays out the desks of `units`, empty queues holding up to `max_wait` months, in the
    /// buffers of `spare` (a finished cell's desks) when given.
    pub fn new(units: &UnitBook, max_wait: usize, spare: Option<Desks>) -> Desks {
        let spare = spare.unwrap_or_default();
        let mut desks = emptied(spare.desks);
        desks.extend(units.desks.iter().map(|d| Desk {
            open: units.open[d.unit],
            backlog: false,
            function: d.function.index() as u8,
            capacity: d.capacity,
            variable: d.cost.variable,
            monthly_constant: d.monthly_constant,
            fixed_month: d.monthly_constant + d.cost.size_term(0.0) / 12.0,
            stale: false,
            capacity_now: 0.0,
            served: 0.0,
            spare: 0.0,
        }));
        let mut cost = emptied(spare.cost);
        cost.extend(units.desks.iter().map(|d| d.cost));
        Desks {
            open_count: desks.iter().filter(|d| d.open).count(),
            cost,
            stale: emptied(spare.stale),
            queues: WorkQueues::new_in(spare.queues, desks.len(), max_wait),
            desks,
        }
    }

    /// Records that the population desk `d` serves has changed; its cost of a month is
    /// recomputed once, at the next [`Desks::refresh`], however many CCGs joined or left.
    pub fn population_changed(&mut self, d: usize) {
        let desk = &mut self.desks[d];
        if !desk.stale {
            desk.stale = true;
            self.stale.push(d);
        }
    }

    /// Recomputes the cost of a month of every desk whose population changed, from `qact`,
    /// the population each desk serves.
    pub fn refresh(&mut self, qact: &[f64]) {
        for d in self.stale.drain(..) {
            let desk = &mut self.desks[d];
            desk.stale = false;
            desk.fixed_month = desk.monthly_constant + self.cost[d].size_term(qact[d]) / 12.0;
        }
    }

    /// Closes desk `d` for good; returns the work it held.
    pub fn close(&mut self, d: usize) -> f64 {
        let desk = &mut self.desks[d];
        if desk.open {
            self.open_count -= 1;
        }
        desk.open = false;
        desk.backlog = false;
        self.queues.clear(d)
    }

    /// Runs month `month` at every open desk and books it in `tally`. `arrivals` holds each
    /// desk's new work, a row of `months` values per desk; capacity is halved while `halved`,
    /// and spare capacity is pooled when `pooling` is given. With `log`, each desk's month is
    /// also logged for places, with `qact`, the population each desk serves.
    #[allow(clippy::too_many_arguments)]
    pub fn serve_month(
        &mut self,
        arrivals: &[f64],
        months: usize,
        month: usize,
        halved: bool,
        pooling: Option<Pooling>,
        tally: &mut Tally,
        mut log: Option<(&mut DeskLog, &[f64])>,
    ) {
        let width = self.queues.width();
        let (total_spare, queued) = self.serve_arrivals(arrivals, months, month, halved, pooling.is_some());
        let (keep, pooled) = pooled_shares(pooling, &total_spare, &queued, tally);
        let buckets = self.queues.buckets_mut();
        let mut served_units = tally.served_units;
        let mut units_cost = tally.units;
        let mut unmet = tally.unmet_capacity;
        let mut utilisation_sum = tally.utilisation_sum;
        let mut saturated = 0;
        let utilisation = &mut tally.utilisation;
        for (d, (desk, queue)) in self.desks.iter_mut().zip(buckets.chunks_exact_mut(width)).enumerate() {
            if !desk.open {
                continue;
            }
            let f = usize::from(desk.function) % N_FUNCTIONS;
            let mut done = desk.served;
            let mut lost = 0.0;
            if pooled[f] > 0.0 {
                done += pooled[f] * desk.spare / total_spare[f];
            }
            if desk.backlog {
                if pooled[f] > 0.0 {
                    for bucket in queue.iter_mut() {
                        *bucket *= keep[f];
                    }
                }
                lost = age(queue);
                unmet[f] += lost;
                saturated += u64::from(lost > 0.0);
                desk.backlog = queue.iter().any(|&work| work != 0.0);
            }
            served_units += done;
            if desk.capacity_now > 0.0 {
                let share = done / desk.capacity_now;
                utilisation.push(order_key(share));
                utilisation_sum += share;
            }
            units_cost += desk.fixed_month + desk.variable * done;
            if let Some((log, qact)) = log.as_mut() {
                // Lost work arrived `W` months ago.
                if let Some(arrived) = month.checked_sub(width - 1) {
                    log.unserved(Unserved::Capacity, d, arrived, lost);
                }
                let share = (desk.capacity_now > 0.0).then(|| done / desk.capacity_now);
                log.desk_month(d, month as u32, share, lost > 0.0, qact[d]);
            }
        }
        tally.served_units = served_units;
        tally.units = units_cost;
        tally.unmet_capacity = unmet;
        tally.utilisation_sum = utilisation_sum;
        tally.open_desk_months += self.open_count as u64;
        tally.saturated_desk_months += saturated;
    }

    /// Serves each open desk's arrivals of month `month` (oldest work first where it has a
    /// backlog or more work than capacity); with `pooling`, returns each function's spare
    /// capacity and work left queued.
    #[inline]
    fn serve_arrivals(
        &mut self,
        arrivals: &[f64],
        months: usize,
        month: usize,
        halved: bool,
        pooling: bool,
    ) -> ([f64; N_FUNCTIONS], [f64; N_FUNCTIONS]) {
        let width = self.queues.width();
        let buckets = self.queues.buckets_mut();
        // Function indices are below N_FUNCTIONS; `% N_FUNCTIONS` lets the compiler see it.
        let mut total_spare = [0.0; N_FUNCTIONS];
        let mut queued = [0.0; N_FUNCTIONS];
        let rows = self.desks.iter_mut().zip(buckets.chunks_exact_mut(width));
        for ((desk, queue), row) in rows.zip(arrivals.chunks_exact(months)) {
            if !desk.open {
                continue;
            }
            let cap = if halved { desk.capacity / 2.0 } else { desk.capacity };
            let work = row[month];
            desk.capacity_now = cap;
            let left_queued = if !desk.backlog && work <= cap {
                desk.served = work;
                0.0
            } else {
                queue[0] += work;
                desk.served = serve_oldest_first(queue, cap);
                desk.backlog = true;
                queue.iter().sum::<f64>()
            };
            if pooling {
                let f = usize::from(desk.function) % N_FUNCTIONS;
                desk.spare = (cap - desk.served).max(0.0);
                total_spare[f] += desk.spare;
                queued[f] += left_queued;
            }
        }
        (total_spare, queued)
    }
}

/// Per function, the share of each queued bucket kept and the work pooled into spare
/// capacity elsewhere (none without `pooling`), booking the remote-delivery cost.
#[inline]
fn pooled_shares(
    pooling: Option<Pooling>,
    total_spare: &[f64; N_FUNCTIONS],
    queued: &[f64; N_FUNCTIONS],
    tally: &mut Tally,
) -> ([f64; N_FUNCTIONS], [f64; N_FUNCTIONS]) {
    // Per function, the share of each bucket kept and the work pooled; 0 pooled when
    // nothing is.
    let mut keep = [1.0; N_FUNCTIONS];
    let mut pooled = [0.0; N_FUNCTIONS];
    if let Some(pooling) = pooling {
        for f in 0..N_FUNCTIONS {
            if total_spare[f] > 0.0 && queued[f] > 0.0 {
                pooled[f] = queued[f].min(pooling.efficiency * total_spare[f]);
                keep[f] = 1.0 - pooled[f] / queued[f];
                tally.remote += pooling.cost_per_head * pooled[f];
            }
        }
    }
    (keep, pooled)
}
