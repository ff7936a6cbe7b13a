//! The draws of one replication, shared by every option, N and sweep point (common random
//! numbers, docs/model.md section 8).
//!
//! Each purpose has its own stream per replication (docs/model.md section 10), so adding a draw for
//! one purpose never shifts another's:
//! - CCG draws of a purpose are consecutive values of the purpose's stream, the CCG index (its
//!   register row) fixing the position: the same replication gives every option, N and sweep
//!   point the same CCG draws.
//! - Monthly demand noise has a stream per month and function (CCG i's noise in month m for
//!   function f is the i-th value of stream (m, f)), so month m's draws never depend on the
//!   horizon, and months before the earliest go-live any cell uses are never drawn. A month's
//!   four streams are drawn side by side ([`fill_normal_lane_rows`]), which lays them out in
//!   CCG-function order.
//! - Unit draws are keyed by site in streams of their own, drawn on first use and kept for the
//!   rest of the replication, so a unit on the same site has the same cost and fate in every
//!   option and N: a site's cost stream holds the `(z_F, z_v)` pair of each function in order;
//!   a unit's fate stream (keyed by site and function key) holds its checkpoint and weakness
//!   uniforms, then one failure uniform per month, so no position depends on the horizon.
//!
//! CCG draws are stored as uniforms or standard normals and transformed with each cell's
//! parameters, so a sweep over a CV still sees the same underlying draws. The buffers are
//! reused from one replication to the next ([`ReplicationDraws::redraw`]), so a worker
//! allocates them once.

use super::kernels;
use super::rng::{
    LANES, MeanOneLogNormal, Purpose, SimRng, fill_normal, fill_normal_lane_rows, fill_uniform, stream, uniform,
};
use crate::model::params::TimeParams;
use crate::model::{Ccg, N_FUNCTIONS};

/// Function key of a unit's fate draws: 0-3 for a network team, 4 for a unit with all four.
pub const ALL_FUNCTIONS_KEY: usize = N_FUNCTIONS;

// A month's noise is four streams, one per function, whose `i`-th values are CCG `i`'s.
const _: () = assert!(LANES == N_FUNCTIONS);

/// Number of fate keys per site.
const FATE_KEYS: usize = N_FUNCTIONS + 1;

/// Fate draws of one unit (section 7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FateDraws {
    /// Uniform compared with `p_checkpoint`.
    pub checkpoint: f64,
    /// Uniform compared with `p_weak`.
    pub weak: f64,
    /// Where the unit's monthly failure uniforms are ([`ReplicationDraws::monthly_failure`]).
    pub slot: usize,
}

/// Draws of one replication.
#[derive(Debug)]
pub struct ReplicationDraws {
    seed: u64,
    replication: u64,
    n_ccgs: usize,
    months: usize,
    /// Uniform per CCG for its wave.
    pub wave: Vec<f64>,
    /// Uniform per CCG for its preference.
    pub preference: Vec<f64>,
    /// Standard normal per CCG for its budget.
    pub budget: Vec<f64>,
    /// Budgets `B_i` for the last mean and CV asked for \[GBP per head per year\].
    budgets: (f64, f64, Vec<f64>),
    /// Ready months and preference categories for the last parameters asked for.
    choices: Choices,
    /// Uniform per CCG for its first procurement duration.
    pub procurement: Vec<f64>,
    /// Uniform per month for the national systemic disruption.
    pub systemic: Vec<f64>,
    level: Vec<f64>,
    /// Scratch for [`ReplicationDraws::prepare_demand`]: each CCG-function's mean monthly
    /// demand, then the lognormal factors of the noise, month by month.
    factors: Vec<f64>,
    demand: Demand,
    /// Cost draws of the units on each site.
    unit_cost: Vec<Option<SiteCosts>>,
    fate: Vec<Option<FateDraws>>,
    /// Monthly failure uniforms of every unit drawn so far, `months` per unit.
    fate_monthly: Vec<f64>,
}

/// The unit cost draws of one site: the normals `(z_F, z_v)` of each function, and the factors
/// they give under the last cost distribution asked for (`None` before the first, and for a
/// function until asked for).
#[derive(Clone, Copy, Debug)]
struct SiteCosts {
    normals: [[f64; 2]; N_FUNCTIONS],
    distribution: Option<MeanOneLogNormal>,
    factors: [Option<[f64; 2]>; N_FUNCTIONS],
}

/// Each CCG's ready month `R_i` and preference category under one set of wave months, wave
/// weights and preference shares (the key, as bits; `None` until the first call of a
/// replication).
#[derive(Debug, Default)]
struct Choices {
    key: Option<([u32; 4], [u64; 4], [u64; 4])>,
    ready: Vec<u32>,
    preference: Vec<usize>,
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
    /// Each row's sum from go-live to the horizon, added month by month.
    totals: Vec<f64>,
    /// Each function's sum of its rows' totals, CCG by CCG: [`Demand::total`] over the whole
    /// horizon, which every cell of the replication asks for.
    function_totals: [f64; N_FUNCTIONS],
}

impl Demand {
    /// Returns the demand of CCG-function `cf` (`i * 4 + f`) in every month.
    #[inline]
    pub fn row(&self, cf: usize) -> &[f64] {
        &self.work[cf * self.months..(cf + 1) * self.months]
    }

    /// Returns the demand of CCG-function `cf` over months `from..to`, added month by month.
    #[inline]
    pub fn between(&self, cf: usize, from: usize, to: usize) -> f64 {
        // Months before go-live hold 0, so a span reaching back to them has the row's total.
        if to == self.months && from <= self.key.2 {
            self.totals[cf]
        } else {
            self.row(cf)[from..to].iter().sum()
        }
    }

    /// Returns the demand of function `f` in months before `horizon`, all CCGs.
    pub fn total(&self, f: usize, horizon: usize) -> f64 {
        if horizon >= self.months {
            self.function_totals[f]
        } else {
            self.added_up(f, horizon)
        }
    }

    /// Adds up function `f`'s demand in months before `horizon`, CCG by CCG.
    fn added_up(&self, f: usize, horizon: usize) -> f64 {
        let rows = (f..self.totals.len()).step_by(N_FUNCTIONS);
        rows.map(|cf| self.between(cf, 0, horizon.min(self.months))).sum()
    }

    /// Returns the number of months of each row.
    pub fn months(&self) -> usize {
        self.months
    }
}

/// Replaces `values` with `count` consecutive draws of the replication's stream for `purpose`.
fn sequence(
    values: &mut Vec<f64>,
    (seed, replication): (u64, u64),
    purpose: Purpose,
    count: usize,
    fill: fn(&mut SimRng, &mut [f64]),
) {
    values.clear();
    values.resize(count, 0.0);
    fill(&mut stream(seed, replication, purpose, (0, 0)), values);
}

impl ReplicationDraws {
    /// Draws everything keyed by CCG for `n_ccgs` CCGs and months `0..months` of replication
    /// `replication`; the monthly demand noise is drawn when a cell first needs it.
    pub fn new(seed: u64, replication: u64, n_ccgs: usize, months: usize) -> ReplicationDraws {
        let cells = n_ccgs * N_FUNCTIONS;
        let mut draws = ReplicationDraws {
            seed,
            replication,
            n_ccgs,
            months,
            wave: Vec::with_capacity(n_ccgs),
            preference: Vec::with_capacity(n_ccgs),
            budget: Vec::with_capacity(n_ccgs),
            budgets: (f64::NAN, f64::NAN, Vec::with_capacity(n_ccgs)),
            choices: Choices::default(),
            procurement: Vec::with_capacity(n_ccgs),
            systemic: Vec::with_capacity(months),
            level: Vec::with_capacity(cells),
            factors: vec![0.0; cells * (months + 1)],
            demand: Demand {
                key: (f64::NAN, f64::NAN, 0),
                months,
                work: vec![0.0; cells * months],
                totals: vec![0.0; cells],
                function_totals: [0.0; N_FUNCTIONS],
            },
            unit_cost: vec![None; n_ccgs],
            fate: vec![None; n_ccgs * FATE_KEYS],
            fate_monthly: Vec::new(),
        };
        draws.redraw(replication);
        draws
    }

    /// Replaces the draws with those of replication `replication`, reusing the buffers.
    pub fn redraw(&mut self, replication: u64) {
        self.replication = replication;
        let key = (self.seed, replication);
        let n_ccgs = self.n_ccgs;
        sequence(&mut self.wave, key, Purpose::Wave, n_ccgs, fill_uniform);
        sequence(&mut self.preference, key, Purpose::Preference, n_ccgs, fill_uniform);
        sequence(&mut self.budget, key, Purpose::Budget, n_ccgs, fill_normal);
        sequence(&mut self.procurement, key, Purpose::Procurement, n_ccgs, fill_uniform);
        sequence(&mut self.systemic, key, Purpose::Systemic, self.months, fill_uniform);
        sequence(
            &mut self.level,
            key,
            Purpose::DemandLevel,
            n_ccgs * N_FUNCTIONS,
            fill_normal,
        );
        self.demand.key = (f64::NAN, f64::NAN, 0);
        self.budgets.0 = f64::NAN;
        self.choices.key = None;
        self.unit_cost.fill(None);
        self.fate.fill(None);
        self.fate_monthly.clear();
    }

    /// Computes each CCG-function-month's demand from month `go_live` on for the given CVs and
    /// populations, unless the last call had the same CVs and go-live month;
    /// [`ReplicationDraws::demand`] then returns it.
    ///
    /// The monthly noise is drawn here, a month at a time, and turned into lognormal factors
    /// while the month's normals are still in the first-level cache; a call with other CVs
    /// draws the same normals again from their streams.
    pub fn prepare_demand(&mut self, cv_level: f64, cv_month: f64, go_live: usize, populations: &[f64]) {
        let key = (cv_level, cv_month, go_live);
        // The key holds NaN until the first call of a replication, and NaN equals nothing.
        if self.demand.key == key {
            return;
        }
        let go_live = go_live.min(self.months);
        let level_dist = MeanOneLogNormal::new(cv_level);
        let month_dist = MeanOneLogNormal::new(cv_month);
        let months = self.months;
        let cells = self.level.len();
        let Demand {
            work,
            totals: row_totals,
            ..
        } = &mut self.demand;
        let factors = &mut self.factors;
        level_dist.transform(&self.level, &mut factors[..cells]);
        for (level, population) in factors[..cells]
            .iter_mut()
            .zip(populations.iter().flat_map(|&p| [p; N_FUNCTIONS]))
        {
            *level *= population / 12.0;
        }
        let (base, noise) = factors.split_at_mut(cells);
        // Two months at a time, so that a processor with AVX-512 draws eight streams at once.
        for m in (go_live..months).step_by(2) {
            let rows = (months - m).min(2);
            let mut lanes: [[SimRng; LANES]; 2] = std::array::from_fn(|r| {
                std::array::from_fn(|f| {
                    let key = ((m + r) as u64, f as u64);
                    stream(self.seed, self.replication, Purpose::DemandMonth, key)
                })
            });
            let pair = &mut noise[m * cells..(m + rows) * cells];
            fill_normal_lane_rows(&mut lanes[..rows], pair);
            month_dist.transform_in_place(pair);
        }
        kernels::scale_rows(work, row_totals, base, noise, months, go_live);
        self.demand.key = key;
        self.demand.function_totals = std::array::from_fn(|f| self.demand.added_up(f, months));
    }

    /// Computes each CCG's budget `B_i`, lognormal with mean `mean` and CV `cv` (section 7),
    /// unless the last call had the same mean and CV; [`ReplicationDraws::budgets`] then
    /// returns them.
    pub fn prepare_budgets(&mut self, mean: f64, cv: f64) {
        let (last_mean, last_cv, budgets) = &mut self.budgets;
        // The mean holds NaN until the first call of a replication, and NaN equals nothing.
        if (*last_mean, *last_cv) == (mean, cv) {
            return;
        }
        let dist = MeanOneLogNormal::new(cv);
        budgets.clear();
        budgets.extend(self.budget.iter().map(|&z| mean * dist.at(z)));
        (*last_mean, *last_cv) = (mean, cv);
    }

    /// Computes each CCG's ready month `R_i` (its register wave, or one drawn with the wave
    /// weights; section 3) and preference category (section 7), unless the last call had the
    /// same parameters; [`ReplicationDraws::ready`] and [`ReplicationDraws::preferences`] then
    /// return them. `ccgs` is the register the draws were made for.
    pub fn prepare_choices(&mut self, time: &TimeParams, shares: &[f64; 4], ccgs: &[Ccg]) {
        let key = (
            time.wave_months,
            time.wave_weights.map(f64::to_bits),
            shares.map(f64::to_bits),
        );
        let choices = &mut self.choices;
        if choices.key == Some(key) {
            return;
        }
        let (waves, preferences) = (Categories::new(&time.wave_weights), Categories::new(shares));
        choices.ready.clear();
        choices.ready.extend(ccgs.iter().zip(&self.wave).map(|(ccg, &u)| {
            let wave = match ccg.wave {
                Some(w) => usize::from(w - 1),
                None => waves.pick(u),
            };
            time.wave_months[wave]
        }));
        choices.preference.clear();
        choices
            .preference
            .extend(self.preference.iter().map(|&u| preferences.pick(u)));
        choices.key = Some(key);
    }

    /// Returns each CCG's ready month `R_i` from the last [`ReplicationDraws::prepare_choices`].
    pub fn ready(&self) -> &[u32] {
        &self.choices.ready
    }

    /// Returns each CCG's preference category (an index of `ChoiceParams::preferences`) from
    /// the last [`ReplicationDraws::prepare_choices`].
    pub fn preferences(&self) -> &[usize] {
        &self.choices.preference
    }

    /// Returns the budgets of the last [`ReplicationDraws::prepare_budgets`].
    pub fn budgets(&self) -> &[f64] {
        &self.budgets.2
    }

    /// Returns the demand of the last [`ReplicationDraws::prepare_demand`]; all zero before
    /// the first call.
    pub fn demand(&self) -> &Demand {
        &self.demand
    }

    /// Returns the standard normals `(z_F, z_v)` of the unit cost draws at `(site, f)`.
    ///
    /// A site's stream holds the pairs of all four functions in order, drawn together on first
    /// use, so a unit of any option on the site gets the same pair for the same function.
    pub fn unit_cost(&mut self, site: usize, function: usize) -> [f64; 2] {
        self.site_costs(site).normals[function]
    }

    /// Returns the cost factors `(X_F, X_v)` of `distribution` at the normals
    /// [`ReplicationDraws::unit_cost`] gives for `(site, f)`.
    ///
    /// Every option and N with a unit on the site asks for the same factors: they are worked
    /// out once per site, function and distribution, not once per unit.
    pub fn unit_cost_factors(&mut self, site: usize, function: usize, distribution: &MeanOneLogNormal) -> [f64; 2] {
        let costs = self.site_costs(site);
        if costs.distribution != Some(*distribution) {
            costs.distribution = Some(*distribution);
            costs.factors = [None; N_FUNCTIONS];
        }
        let normals = costs.normals[function];
        *costs.factors[function].get_or_insert_with(|| normals.map(|z| distribution.at(z)))
    }

    /// Returns the cost draws of `site`, drawn on first use: its stream holds the pairs of
    /// all four functions in order.
    fn site_costs(&mut self, site: usize) -> &mut SiteCosts {
        let (seed, replication) = (self.seed, self.replication);
        self.unit_cost[site].get_or_insert_with(|| {
            let mut rng = stream(seed, replication, Purpose::UnitCost, (site as u64, 0));
            let mut z = [0.0; 2 * N_FUNCTIONS];
            fill_normal(&mut rng, &mut z);
            SiteCosts {
                normals: std::array::from_fn(|f| [z[2 * f], z[2 * f + 1]]),
                distribution: None,
                factors: [None; N_FUNCTIONS],
            }
        })
    }

    /// Returns the fate draws of the unit at `site` with function key `key`
    /// (a function index for a network team, [`ALL_FUNCTIONS_KEY`] otherwise).
    ///
    /// One stream per unit: the checkpoint uniform, the weakness uniform, then one operating
    /// failure uniform per month, so month `m`'s is its `m + 2`-th value whatever the horizon.
    pub fn fate(&mut self, site: usize, key: usize) -> FateDraws {
        let (seed, replication, months) = (self.seed, self.replication, self.months);
        let monthly = &mut self.fate_monthly;
        *self.fate[site * FATE_KEYS + key].get_or_insert_with(|| {
            let mut rng = stream(seed, replication, Purpose::Fate, (site as u64, key as u64));
            let checkpoint = uniform(&mut rng);
            let weak = uniform(&mut rng);
            let slot = monthly.len() / months.max(1);
            monthly.extend((0..months).map(|_| uniform(&mut rng)));
            FateDraws { checkpoint, weak, slot }
        })
    }

    /// Returns the monthly failure uniforms of the unit whose fate has slot `slot`, one per
    /// month.
    pub fn monthly_failure(&self, slot: usize) -> &[f64] {
        &self.fate_monthly[slot * self.months..(slot + 1) * self.months]
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

/// Category weights, set up once to pick a category for each of many uniforms.
#[derive(Clone, Copy, Debug)]
pub(super) struct Categories {
    total: f64,
    /// Cumulative weight up to and including each category, and whether it can be picked.
    cumulative: [(f64, bool); 4],
    last_positive: usize,
}

impl Categories {
    pub(super) fn new(weights: &[f64; 4]) -> Categories {
        let mut cumulative = 0.0;
        let mut last_positive = 0;
        let cumulative = std::array::from_fn(|idx| {
            let w = weights[idx];
            if w > 0.0 {
                last_positive = idx;
                cumulative += w;
            }
            (cumulative, w > 0.0)
        });
        Categories {
            total: weights.iter().sum(),
            cumulative,
            last_positive,
        }
    }

    /// Returns the first category whose cumulative weight exceeds `u * total` (zero weights
    /// are never picked; rounding at the top end falls to the last positive category).
    ///
    /// Every category is looked at, from the last, keeping the earliest that qualifies: a
    /// select per category rather than a branch that mispredicts on every other uniform.
    pub(super) fn pick(&self, u: f64) -> usize {
        let target = u * self.total;
        let mut picked = self.last_positive;
        for (idx, &(cumulative, positive)) in self.cumulative.iter().enumerate().rev() {
            picked = if positive && target < cumulative { idx } else { picked };
        }
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_follow_their_parameters_and_the_register_waves() {
        let register = crate::model::Register::builtin();
        let ccgs = register.ccgs();
        let mut draws = ReplicationDraws::new(5, 2, ccgs.len(), 30);
        let mut time = crate::model::Params::default().time;
        let shares = [0.5, 0.32, 0.05, 0.13];
        draws.prepare_choices(&time, &shares, ccgs);
        let first = draws.ready().to_vec();
        assert!(first.iter().all(|m| time.wave_months.contains(m)));
        assert!(draws.preferences().contains(&1));
        time.wave_weights = [0.0, 0.0, 0.0, 1.0];
        draws.prepare_choices(&time, &[0.0, 0.0, 1.0, 0.0], ccgs);
        assert!(draws.ready().iter().all(|&m| m == time.wave_months[3]));
        assert!(draws.preferences().iter().all(|&p| p == 2));
        // The same parameters give the same choices after another call.
        time.wave_weights = crate::model::Params::default().time.wave_weights;
        draws.prepare_choices(&time, &shares, ccgs);
        assert_eq!(draws.ready(), &first[..]);
    }

    #[test]
    fn categories_follow_cumulative_shares() {
        let shares = [0.50, 0.32, 0.05, 0.13];
        assert_eq!(Categories::new(&shares).pick(0.0), 0);
        assert_eq!(Categories::new(&shares).pick(0.4999), 0);
        assert_eq!(Categories::new(&shares).pick(0.5), 1);
        assert_eq!(Categories::new(&shares).pick(0.8199), 1);
        assert_eq!(Categories::new(&shares).pick(0.86), 2);
        assert_eq!(Categories::new(&shares).pick(0.99), 3);
        assert_eq!(Categories::new(&[1.0, 0.0, 0.0, 0.0]).pick(0.999_999), 0);
        assert_eq!(Categories::new(&[0.0, 1.0, 0.0, 0.0]).pick(0.0), 1);
        // The same picks as walking the cumulative weights and stopping at the first above
        // the target, zero weights and the top end included.
        let walk = |weights: &[f64; 4], u: f64| {
            let target = u * weights.iter().sum::<f64>();
            let (mut cumulative, mut last_positive) = (0.0, 0);
            for (idx, &w) in weights.iter().enumerate().filter(|(_, w)| **w > 0.0) {
                last_positive = idx;
                cumulative += w;
                if target < cumulative {
                    return idx;
                }
            }
            last_positive
        };
        for weights in [shares, [0.1, 0.0, 0.7, 0.2], [0.0, 0.3, 0.0, 0.0], [0.1, 0.2, 0.3, 0.4]] {
            let categories = Categories::new(&weights);
            for k in 0..=1000 {
                let u = k as f64 / 1000.0;
                assert_eq!(categories.pick(u), walk(&weights, u), "{weights:?} at {u}");
            }
        }
    }

    #[test]
    fn function_totals_add_up_the_rows_ccg_by_ccg() {
        let mut draws = ReplicationDraws::new(5, 2, 3, 30);
        for (cv_month, go_live) in [(0.1, 6), (0.2, 0), (0.1, 6)] {
            draws.prepare_demand(0.15, cv_month, go_live, &[1.0e5, 2.0e5, 3.0e5]);
            let demand = draws.demand();
            for f in 0..N_FUNCTIONS {
                let rows = (f..3 * N_FUNCTIONS).step_by(N_FUNCTIONS);
                let by_row: f64 = rows.clone().map(|cf| demand.row(cf).iter().sum::<f64>()).sum();
                let added: f64 = rows.map(|cf| demand.between(cf, 0, 30)).sum();
                assert_eq!(demand.total(f, 30).to_bits(), added.to_bits());
                assert_eq!(demand.total(f, 40).to_bits(), added.to_bits());
                assert!((demand.total(f, 30) - by_row).abs() < 1e-9 * by_row);
            }
        }
    }

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
        let (a, b) = (short.fate(1, 4).slot, long.fate(1, 4).slot);
        assert_eq!(short.monthly_failure(a)[..], long.monthly_failure(b)[..12]);
    }

    #[test]
    fn unit_draws_depend_on_site_and_function_only() {
        let mut a = ReplicationDraws::new(5, 2, 10, 30);
        let mut b = ReplicationDraws::new(5, 2, 10, 30);
        b.fate(3, 4);
        assert_eq!(a.unit_cost(7, 2), b.unit_cost(7, 2));
        assert_ne!(a.unit_cost(7, 2), a.unit_cost(7, 3));
        // Factors are the distribution at the normals, whichever was asked for first.
        let (narrow, wide) = (MeanOneLogNormal::new(0.1), MeanOneLogNormal::new(0.3));
        let [z_fixed, z_variable] = a.unit_cost(7, 2);
        assert_eq!(
            b.unit_cost_factors(7, 2, &wide),
            [wide.at(z_fixed), wide.at(z_variable)]
        );
        for distribution in [narrow, wide, narrow] {
            let factors = [distribution.at(z_fixed), distribution.at(z_variable)];
            assert_eq!(a.unit_cost_factors(7, 2, &distribution), factors);
            assert_eq!(a.unit_cost_factors(7, 2, &distribution), factors);
        }
        assert_eq!(a.unit_cost_factors(7, 3, &wide), a.unit_cost(7, 3).map(|z| wide.at(z)));
        assert_eq!(a.fate(7, 4).checkpoint, b.fate(7, 4).checkpoint);
        let all_functions = a.fate(7, 4).checkpoint;
        assert_ne!(all_functions, a.fate(7, 0).checkpoint);
    }

    #[test]
    fn a_redrawn_replication_equals_a_fresh_one() {
        let populations = [1.0, 2.0, 3.0];
        let mut reused = ReplicationDraws::new(5, 2, 3, 12);
        reused.prepare_demand(0.15, 0.1, 4, &populations);
        reused.fate(1, 4);
        reused.redraw(7);
        reused.prepare_demand(0.15, 0.1, 2, &populations);
        let mut fresh = ReplicationDraws::new(5, 7, 3, 12);
        fresh.prepare_demand(0.15, 0.1, 2, &populations);
        assert_eq!(reused.demand().row(5), fresh.demand().row(5));
        assert_eq!(reused.wave, fresh.wave);
        let (a, b) = (reused.fate(2, 1), fresh.fate(2, 1));
        assert_eq!(a, b);
        assert_eq!(reused.monthly_failure(a.slot), fresh.monthly_failure(b.slot));
    }

    #[test]
    fn noise_of_a_month_does_not_depend_on_which_months_were_drawn_first() {
        let populations = [1.0, 2.0];
        let mut late_first = ReplicationDraws::new(5, 2, 2, 10);
        late_first.prepare_demand(0.0, 0.2, 6, &populations);
        let late = late_first.demand().row(3)[6..].to_vec();
        late_first.prepare_demand(0.0, 0.2, 2, &populations);
        let mut early = ReplicationDraws::new(5, 2, 2, 10);
        early.prepare_demand(0.0, 0.2, 2, &populations);
        assert_eq!(late_first.demand().row(3), early.demand().row(3));
        assert_eq!(late[..], early.demand().row(3)[6..]);
        assert_eq!(early.demand().row(3)[..2], [0.0, 0.0]);
    }
}
