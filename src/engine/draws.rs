//! The draws of one replication, shared by every option, N and sweep point (common random
//! numbers, MODEL.md section 8).
//!
//! CCG draws are stored as uniforms or standard normals and transformed with each cell's
//! parameters, so a sweep over a CV still sees the same underlying draws. Unit draws are keyed
//! by site (and function), so a unit on the same site has the same cost and fate everywhere;
//! they are drawn on first use and kept for the rest of the replication.

use super::rng::{MeanOneLogNormal, Purpose, normal, stream, uniform};
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
    n_ccgs: usize,
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
    level: Vec<[f64; N_FUNCTIONS]>,
    monthly: Vec<f64>,
    demand_cache: Option<DemandCache>,
    unit_cost: Vec<Option<[f64; 2]>>,
    fate: Vec<Option<FateDraws>>,
}

/// Demand multipliers `e(i,f) * n(i,f,m)` for one pair of CVs.
#[derive(Debug)]
struct DemandCache {
    cvs: (f64, f64),
    multipliers: Vec<f64>,
}

impl ReplicationDraws {
    /// Draws everything keyed by CCG for `n_ccgs` CCGs and months `0..months`.
    pub fn new(seed: u64, replication: u64, n_ccgs: usize, months: usize) -> ReplicationDraws {
        let per_ccg = |purpose: Purpose, draw: fn(&mut super::rng::SimRng) -> f64| -> Vec<f64> {
            (0..n_ccgs)
                .map(|i| draw(&mut stream(seed, replication, purpose, (i as u64, 0))))
                .collect()
        };
        let mut systemic_rng = stream(seed, replication, Purpose::Systemic, (0, 0));
        let mut level = Vec::with_capacity(n_ccgs);
        let mut monthly = Vec::with_capacity(n_ccgs * N_FUNCTIONS * months);
        for i in 0..n_ccgs as u64 {
            level.push([0, 1, 2, 3].map(|f| normal(&mut stream(seed, replication, Purpose::DemandLevel, (i, f)))));
            for f in 0..N_FUNCTIONS as u64 {
                let mut rng = stream(seed, replication, Purpose::DemandMonth, (i, f));
                monthly.extend((0..months).map(|_| normal(&mut rng)));
            }
        }
        ReplicationDraws {
            seed,
            replication,
            months,
            n_ccgs,
            wave: per_ccg(Purpose::Wave, uniform),
            preference: per_ccg(Purpose::Preference, uniform),
            budget: per_ccg(Purpose::Budget, normal),
            procurement: per_ccg(Purpose::Procurement, uniform),
            systemic: (0..months).map(|_| uniform(&mut systemic_rng)).collect(),
            level,
            monthly,
            demand_cache: None,
            unit_cost: vec![None; n_ccgs * N_FUNCTIONS],
            fate: vec![None; n_ccgs * (N_FUNCTIONS + 1)],
        }
    }

    /// Returns the replication index.
    pub fn replication(&self) -> u64 {
        self.replication
    }

    /// Returns the number of months drawn.
    pub fn months(&self) -> usize {
        self.months
    }

    /// Computes the demand multipliers `e(i,f) n(i,f,m)` for the given CVs, unless the last
    /// call had the same CVs; [`ReplicationDraws::demand`] then returns them.
    pub fn prepare_demand(&mut self, cv_level: f64, cv_month: f64) {
        let fresh = self.demand_cache.as_ref().is_none_or(|c| c.cvs != (cv_level, cv_month));
        if fresh {
            let level_dist = MeanOneLogNormal::new(cv_level);
            let month_dist = MeanOneLogNormal::new(cv_month);
            let mut multipliers = Vec::with_capacity(self.monthly.len());
            for (cf, months) in self.monthly.chunks_exact(self.months).enumerate() {
                let level = level_dist.at(self.level[cf / N_FUNCTIONS][cf % N_FUNCTIONS]);
                multipliers.extend(months.iter().map(|&z| level * month_dist.at(z)));
            }
            self.demand_cache = Some(DemandCache {
                cvs: (cv_level, cv_month),
                multipliers,
            });
        }
    }

    /// Returns the demand multipliers of the last [`ReplicationDraws::prepare_demand`], indexed
    /// `(i * 4 + f) * months + m`; empty before the first call.
    pub fn demand(&self) -> &[f64] {
        self.demand_cache.as_ref().map_or(&[], |c| &c.multipliers)
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

    /// Returns the number of CCGs drawn for.
    pub fn n_ccgs(&self) -> usize {
        self.n_ccgs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_draws_do_not_depend_on_the_horizon() {
        let mut short = ReplicationDraws::new(5, 2, 3, 12);
        let mut long = ReplicationDraws::new(5, 2, 3, 30);
        short.prepare_demand(0.15, 0.1);
        long.prepare_demand(0.15, 0.1);
        let (a, b) = (short.demand(), long.demand());
        for cf in 0..3 * N_FUNCTIONS {
            assert_eq!(a[cf * 12..cf * 12 + 12], b[cf * 30..cf * 30 + 12]);
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
