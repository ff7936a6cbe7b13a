//! The draws of one replication, shared by every option, N and sweep point (common random
//! numbers, MODEL.md section 8).
//!
//! Each purpose has its own stream per replication (MODEL.md section 10), so adding a draw for
//! one purpose never shifts another's:
//! - CCG draws of a purpose are consecutive values of the purpose's stream, the CCG index (its
//!   register row) fixing the position: the same replication gives every option, N and sweep
//!   point the same CCG draws.
//! - Monthly demand noise is drawn month by month (all CCG-functions of month 0, then month 1,
//!   ...), so month m's draws never depend on the horizon.
//! - Unit draws are keyed by site (and function) in streams of their own, drawn on first use
//!   and kept for the rest of the replication, so a unit on the same site has the same cost and
//!   fate in every option and N.
//!
//! CCG draws are stored as uniforms or standard normals and transformed with each cell's
//! parameters, so a sweep over a CV still sees the same underlying draws.

use super::rng::{MeanOneLogNormal, Purpose, SimRng, normal, stream, uniform};
use crate::model::N_FUNCTIONS;

/// Function key of a unit's fate draws: 0-3 for a network team, 4 for a unit with all four.
pub const ALL_FUNCTIONS_KEY: usize = N_FUNCTIONS;

/// Fate draws of one unit (section 7).
#[derive(Clone, Debug)]
pub struct FateDraws {
    /// Uniform compared with `p_checkpoint`.
    pub checkpoint: f64,
    /// Uniform compared with `p_weak`.
    pub weak: f64,
    /// Uniform for each month, compared with `p_fail_annual / 12`.
    pub monthly: Vec<f64>,
}

/// Draws of one replication.
#[derive(Debug)]
pub struct ReplicationDraws {
    seed: u64,
    replication: u64,
    months: usize,
    /// Uniform per CCG for its wave.
    pub wave: Vec<f64>,
    /// Uniform per CCG for its preference.
    pub preference: Vec<f64>,
    /// Standard normal per CCG for its budget.
    pub budget: Vec<f64>,
    /// Uniform per CCG for its first procurement duration.
    pub procurement: Vec<f64>,
    /// Uniform per month for the national systemic disruption.
    pub systemic: Vec<f64>,
    level: Vec<f64>,
    monthly: Vec<f64>,
    demand: Demand,
    unit_cost: Vec<Option<[f64; 2]>>,
    fate: Vec<Option<FateDraws>>,
}

/// Demand `P_i / 12 * e(i,f) * n(i,f,m)` of every CCG-function and month for one pair of CVs
/// and go-live month \[population-years\]; months before go-live are never served and hold 0.
///
/// Work is stored CCG-function by CCG-function (a row of `months` values each), so whoever
/// keeps a CCG-function for months `a..b` is handed its row `a..b` at once.
#[derive(Debug)]
pub struct Demand {
    key: (f64, f64, usize),
    months: usize,
    work: Vec<f64>,
    by_function: [f64; N_FUNCTIONS],
}

impl Demand {
    /// Returns the demand of CCG-function `cf` (`i * 4 + f`) in every month.
    #[inline]
    pub fn row(&self, cf: usize) -> &[f64] {
        &self.work[cf * self.months..(cf + 1) * self.months]
    }

    /// Returns the demand of CCG-function `cf` over months `from..to`.
    #[inline]
    pub fn between(&self, cf: usize, from: usize, to: usize) -> f64 {
        self.row(cf)[from..to].iter().sum()
    }

    /// Returns the demand of function `f` over the horizon, all CCGs.
    pub fn total(&self, f: usize) -> f64 {
        self.by_function[f]
    }

    /// Returns the number of months of each row.
    pub fn months(&self) -> usize {
        self.months
    }
}

/// Returns `count` consecutive draws of the replication's stream for `purpose`.
fn sequence(seed: u64, replication: u64, purpose: Purpose, count: usize, draw: fn(&mut SimRng) -> f64) -> Vec<f64> {
    let mut rng = stream(seed, replication, purpose, (0, 0));
    (0..count).map(|_| draw(&mut rng)).collect()
}

impl ReplicationDraws {
    /// Draws everything keyed by CCG for `n_ccgs` CCGs and months `0..months`.
    pub fn new(seed: u64, replication: u64, n_ccgs: usize, months: usize) -> ReplicationDraws {
        let cells = n_ccgs * N_FUNCTIONS;
        ReplicationDraws {
            seed,
            replication,
            months,
            wave: sequence(seed, replication, Purpose::Wave, n_ccgs, uniform),
            preference: sequence(seed, replication, Purpose::Preference, n_ccgs, uniform),
            budget: sequence(seed, replication, Purpose::Budget, n_ccgs, normal),
            procurement: sequence(seed, replication, Purpose::Procurement, n_ccgs, uniform),
            systemic: sequence(seed, replication, Purpose::Systemic, months, uniform),
            level: sequence(seed, replication, Purpose::DemandLevel, cells, normal),
            monthly: sequence(seed, replication, Purpose::DemandMonth, cells * months, normal),
            demand: Demand {
                key: (f64::NAN, f64::NAN, 0),
                months: 0,
                work: Vec::new(),
                by_function: [0.0; N_FUNCTIONS],
            },
            unit_cost: vec![None; cells],
            fate: vec![None; n_ccgs * (N_FUNCTIONS + 1)],
        }
    }

    /// Computes each CCG-function-month's demand from month `go_live` on for the given CVs and
    /// populations, unless the last call had the same CVs and go-live month;
    /// [`ReplicationDraws::demand`] then returns it.
    pub fn prepare_demand(&mut self, cv_level: f64, cv_month: f64, go_live: usize, populations: &[f64]) {
        let key = (cv_level, cv_month, go_live);
        // The key holds NaN until the first call, and NaN equals nothing.
        if self.demand.key == key {
            return;
        }
        let level_dist = MeanOneLogNormal::new(cv_level);
        let month_dist = MeanOneLogNormal::new(cv_month);
        let months = self.months;
        let cells = self.level.len();
        let mut work = vec![0.0; cells * months];
        let mut by_function = [0.0; N_FUNCTIONS];
        for (cf, &z) in self.level.iter().enumerate() {
            let base = populations[cf / N_FUNCTIONS] / 12.0 * level_dist.at(z);
            let row = &mut work[cf * months..(cf + 1) * months];
            let mut total = 0.0;
            for (m, slot) in row.iter_mut().enumerate().skip(go_live) {
                *slot = base * month_dist.at(self.monthly[m * cells + cf]);
                total += *slot;
            }
            by_function[cf % N_FUNCTIONS] += total;
        }
        self.demand = Demand {
            key,
            months,
            work,
            by_function,
        };
    }

    /// Returns the demand of the last [`ReplicationDraws::prepare_demand`]; no months before
    /// the first call.
    pub fn demand(&self) -> &Demand {
        &self.demand
    }

    /// Returns the standard normals `(z_F, z_v)` of the unit cost draws at `(site, f)`.
    pub fn unit_cost(&mut self, site: usize, function: usize) -> [f64; 2] {
        let (seed, replication) = (self.seed, self.replication);
        *self.unit_cost[site * N_FUNCTIONS + function].get_or_insert_with(|| {
            let mut rng = stream(seed, replication, Purpose::UnitCost, (site as u64, function as u64));
            [normal(&mut rng), normal(&mut rng)]
        })
    }

    /// Returns the fate draws of the unit at `site` with function key `key`
    /// (a function index for a network team, [`ALL_FUNCTIONS_KEY`] otherwise).
    pub fn fate(&mut self, site: usize, key: usize) -> &FateDraws {
        let (seed, replication, months) = (self.seed, self.replication, self.months);
        self.fate[site * (N_FUNCTIONS + 1) + key].get_or_insert_with(|| {
            let entity = (site as u64, key as u64);
            let mut monthly_rng = stream(seed, replication, Purpose::MonthlyFailure, entity);
            FateDraws {
                checkpoint: uniform(&mut stream(seed, replication, Purpose::Checkpoint, entity)),
                weak: uniform(&mut stream(seed, replication, Purpose::Weak, entity)),
                monthly: (0..months).map(|_| uniform(&mut monthly_rng)).collect(),
            }
        })
    }

    /// Returns the uniform of CCG `ccg`'s `count`-th re-procurement (drawn when needed).
    pub fn reprocurement(&self, ccg: usize, count: u32) -> f64 {
        uniform(&mut stream(
            self.seed,
            self.replication,
            Purpose::Reprocurement,
            (ccg as u64, u64::from(count)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_draws_do_not_depend_on_the_horizon() {
        let mut short = ReplicationDraws::new(5, 2, 3, 12);
        let mut long = ReplicationDraws::new(5, 2, 3, 30);
        short.prepare_demand(0.15, 0.1, 0, &[1.0, 2.0, 3.0]);
        long.prepare_demand(0.15, 0.1, 0, &[1.0, 2.0, 3.0]);
        let (a, b) = (short.demand(), long.demand());
        for cf in 0..3 * N_FUNCTIONS {
            assert_eq!(a.row(cf).len(), 12);
            assert_eq!(a.row(cf), &b.row(cf)[..12]);
            assert_eq!(a.between(cf, 0, 12), b.between(cf, 0, 12));
        }
        assert_eq!(short.systemic[..], long.systemic[..12]);
        assert_eq!(short.fate(1, 4).monthly[..], long.fate(1, 4).monthly[..12]);
    }

    #[test]
    fn unit_draws_depend_on_site_and_function_only() {
        let mut a = ReplicationDraws::new(5, 2, 10, 30);
        let mut b = ReplicationDraws::new(5, 2, 10, 30);
        b.fate(3, 4);
        assert_eq!(a.unit_cost(7, 2), b.unit_cost(7, 2));
        assert_ne!(a.unit_cost(7, 2), a.unit_cost(7, 3));
        assert_eq!(a.fate(7, 4).checkpoint, b.fate(7, 4).checkpoint);
        let all_functions = a.fate(7, 4).checkpoint;
        assert_ne!(all_functions, a.fate(7, 0).checkpoint);
    }
}
