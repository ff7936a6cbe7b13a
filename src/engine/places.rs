//! Where the work and the cost of one cell-replication fell: per CCG and per unit
//! (docs/model.md, "Results by place"). Recorded only for cells that ask for it
//! ([`super::Cell::places`]); the metrics of section 8 never depend on it.
//!
//! Unmet and residual work are found at the desks, whose queues mix the work of every CCG in
//! service with them. Within one desk the work of one arrival month is served, pooled, lost
//! and left over as one: each CCG's share of what a desk lost from month `m'`'s arrivals is its
//! share of those arrivals. So the log keeps, per desk and arrival month, the work lost to
//! capacity, lost when the unit failed, and left at the horizon; a CCG's part is its demand
//! of the months it spent with the desk times those fractions.

use super::buffers::{emptied, refill};
use crate::model::N_FUNCTIONS;
use crate::model::places::{CcgPlace, UnitPlace};

/// A CCG-function's time with one desk: months `from..to`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Stretch {
    pub cf: u32,
    pub desk: u32,
    pub from: u32,
    pub to: u32,
}

/// What the routes log for places: each CCG-function's work sent to each kind of sink, and its
/// stretches with desks.
#[derive(Clone, Debug, Default)]
pub(super) struct RouteLog {
    /// Per CCG-function, work per sink kind (private, in-house, uncontracted, failure).
    pub sinks: Vec<[f64; 4]>,
    pub stretches: Vec<Stretch>,
}

impl RouteLog {
    /// Returns an empty log for `n_cf` CCG-functions, in the buffers of `self` (a worker's
    /// cells reuse them, so they stop growing after the first few).
    pub fn reset(self, n_cf: usize) -> RouteLog {
        RouteLog {
            sinks: refill(self.sinks, n_cf, [0.0; 4]),
            stretches: emptied(self.stretches),
        }
    }
}

/// Kinds of work a desk did not serve, in [`DeskLog::unserved`] order.
#[derive(Clone, Copy, Debug)]
pub(super) enum Unserved {
    Capacity = 0,
    Failure = 1,
    Residual = 2,
}

/// What the desks log for places.
#[derive(Clone, Debug, Default)]
pub(super) struct DeskLog {
    months: usize,
    /// Per kind, per desk and arrival month (a row of `months` per desk): work not served.
    unserved: [Vec<f64>; 3],
    desk_unit: Vec<usize>,
    pub units: Vec<UnitPlace>,
    /// Per unit, the month + 1 it was last counted saturated (0: never).
    saturated_in: Vec<u32>,
    /// Per unit, the month + 1 it was last counted serving (0: never).
    serving_in: Vec<u32>,
}

impl DeskLog {
    /// Returns an empty log, in the buffers of `self`, of desks owned by `desk_unit` (a unit
    /// number per desk) over `months` months; `opened` and `failed_checkpoint` per unit.
    pub fn reset(
        self,
        months: usize,
        desk_unit: impl Iterator<Item = usize>,
        opened: &[bool],
        failed_checkpoint: &[bool],
    ) -> DeskLog {
        let mut units = emptied(self.units);
        units.extend(
            opened
                .iter()
                .zip(failed_checkpoint)
                .map(|(&opened, &failed_checkpoint)| UnitPlace {
                    opened,
                    failed_checkpoint,
                    ..UnitPlace::default()
                }),
        );
        let mut owner = emptied(self.desk_unit);
        owner.extend(desk_unit);
        let n = owner.len() * months;
        let [a, b, c] = self.unserved;
        DeskLog {
            months,
            unserved: [refill(a, n, 0.0), refill(b, n, 0.0), refill(c, n, 0.0)],
            desk_unit: owner,
            saturated_in: refill(self.saturated_in, opened.len(), 0),
            serving_in: refill(self.serving_in, opened.len(), 0),
            units,
        }
    }

    /// Records `work` of desk `desk`'s arrivals of month `arrived` that went unserved as `kind`.
    pub fn unserved(&mut self, kind: Unserved, desk: usize, arrived: usize, work: f64) {
        if work != 0.0 && arrived < self.months {
            self.unserved[kind as usize][desk * self.months + arrived] += work;
        }
    }

    /// Records the queue `buckets` (index = age) of desk `desk` as unserved `kind`, bucket `k`
    /// holding arrivals of month `next - k`, where `next` is the month after the last served.
    pub fn unserved_queue(&mut self, kind: Unserved, desk: usize, next: usize, buckets: &[f64]) {
        for (k, &work) in buckets.iter().enumerate() {
            if let Some(arrived) = next.checked_sub(k) {
                self.unserved(kind, desk, arrived, work);
            }
        }
    }

    /// Records an open desk-month of operation: its utilisation (if it had capacity), the
    /// work it lost to capacity, and the population in service with it.
    pub fn desk_month(&mut self, desk: usize, month: u32, utilisation: Option<f64>, lost: bool, population: f64) {
        let unit = &mut self.units[self.desk_unit[desk]];
        unit.desk_months += 1;
        unit.population_months += population;
        if let Some(share) = utilisation {
            unit.utilisation_sum += share;
            unit.utilisation_months += 1;
        }
        let seen = &mut self.saturated_in[self.desk_unit[desk]];
        if lost && *seen != month + 1 {
            *seen = month + 1;
            unit.saturated_months += 1;
        }
        let seen = &mut self.serving_in[self.desk_unit[desk]];
        if population > 0.0 && *seen != month + 1 {
            *seen = month + 1;
            unit.serving_months += 1;
        }
    }

    /// Records that unit `unit` failed in operation.
    pub fn failed(&mut self, unit: usize) {
        self.units[unit].failed_operating = true;
    }

    /// Turns the log's unserved work into shares of each desk-month's `arrivals` (a row of
    /// `months` per desk), in place; returns whether each desk left any work unserved.
    fn convert_to_shares(&mut self, arrivals: &[f64]) -> Vec<bool> {
        let mut any = vec![false; self.desk_unit.len()];
        for kind in &mut self.unserved {
            for ((work, &arrived), at) in kind.iter_mut().zip(arrivals).zip(0..) {
                if *work != 0.0 {
                    any[at / self.months.max(1)] = true;
                    *work = if arrived > 0.0 { *work / arrived } else { 0.0 };
                }
            }
        }
        any
    }
}

/// Everything a cell needs to work out its places at the end.
pub(super) struct Ledger<'a> {
    pub routes: &'a RouteLog,
    pub desks: &'a mut DeskLog,
    /// Work routed to each desk, a row of `months` per desk.
    pub arrivals: &'a [f64],
    /// Demand of each CCG-function, a row per CCG-function.
    pub demand: &'a crate::engine::draws::Demand,
    /// Distance of each desk's unit to each CCG \[km\], by `(ccg, desk)`.
    pub km: &'a dyn Fn(usize, usize) -> f64,
    pub go_live: usize,
    pub months: usize,
    /// Distance cost per km per month \[GBP\].
    pub distance_cost_month: f64,
    /// Private price per function \[GBP per population-year\].
    pub private_price: [f64; N_FUNCTIONS],
    pub unmet_penalty: f64,
    pub populations: &'a [f64],
    /// Per CCG, the costs booked to it as they happened (in-house, transactions, transition)
    /// over the horizon \[GBP\].
    pub direct: &'a [f64],
    /// Costs of the NHS units and their running (units, shared fixed, overheads, coordination,
    /// remote) over the horizon, shared by work sent to the units \[GBP\].
    pub shared: f64,
    pub gaps: &'a [bool],
    /// `12 / (H - G)`.
    pub annualise: f64,
}

impl Ledger<'_> {
    /// Works out every CCG's place; turns the desks' log into shares on the way.
    pub fn ccgs(&mut self) -> Vec<CcgPlace> {
        let n = self.populations.len();
        let mut places = vec![CcgPlace::default(); n];
        // Per CCG: work sent to desks, its undone work at the private price, its own costs.
        let mut sent = vec![0.0; n];
        let mut undone = vec![0.0; n];
        let mut own = self.direct.to_vec();
        let months = self.months;
        let lossy = self.desks.convert_to_shares(self.arrivals);
        let shares = &self.desks.unserved;
        for stretch in &self.routes.stretches {
            let (cf, desk) = (stretch.cf as usize, stretch.desk as usize);
            let (i, f) = (cf / N_FUNCTIONS, cf % N_FUNCTIONS);
            let from = (stretch.from as usize).max(self.go_live);
            let to = (stretch.to as usize).min(months);
            if from >= to {
                continue;
            }
            let work = self.demand.between(cf, from, to);
            let mut lost = [0.0; 3];
            if lossy[desk] {
                let row = &self.demand.row(cf)[from..to];
                // Each kind's share of the desk's arrivals, month by month, times the CCG's work.
                for (total, kind) in lost.iter_mut().zip(shares) {
                    let share = &kind[desk * months + from..desk * months + to];
                    *total = row.iter().zip(share).map(|(w, s)| w * s).sum();
                }
            }
            let [capacity, failure, residual] = lost;
            let place = &mut places[i];
            place.unmet[1] += capacity;
            place.unmet[2] += failure;
            place.residual += residual;
            place.served[0] += work - capacity - failure - residual;
            sent[i] += work;
            undone[i] += ((1.0 + self.unmet_penalty) * (capacity + failure) + residual) * self.private_price[f];
            own[i] += self.distance_cost_month * (self.km)(i, desk) * (to - from) as f64;
        }
        for (cf, sinks) in self.routes.sinks.iter().enumerate() {
            let (i, f) = (cf / N_FUNCTIONS, cf % N_FUNCTIONS);
            let [private, in_house, uncontracted, failure] = *sinks;
            let place = &mut places[i];
            place.served[1] += private;
            place.served[2] += in_house;
            place.unmet[0] += uncontracted;
            place.unmet[2] += failure;
            let price = self.private_price[f];
            own[i] += private * price;
            undone[i] += (1.0 + self.unmet_penalty) * (uncontracted + failure) * price;
        }
        let total_sent: f64 = sent.iter().sum();
        let total_population: f64 = self.populations.iter().sum();
        for (i, place) in places.iter_mut().enumerate() {
            place.demand = (0..N_FUNCTIONS)
                .map(|f| self.demand.between(i * N_FUNCTIONS + f, self.go_live, self.months))
                .sum();
            // The units' costs follow the work sent to them; with none sent, the population.
            let share = if total_sent > 0.0 {
                sent[i] / total_sent
            } else {
                self.populations[i] / total_population
            };
            place.cost = (own[i] + share * self.shared + undone[i]) * self.annualise;
            place.gap_at_go_live = self.gaps[i];
        }
        places
    }
}
