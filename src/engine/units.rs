//! The units of one cell as they stand before month 0: drawn costs, weakness, checkpoint
//! fate, participation, capacity, onboarding slots and prices (docs/model.md sections 4, 5 and 7).

use super::buffers::{emptied, refill};
use super::draws::{ALL_FUNCTIONS_KEY, ReplicationDraws};
use super::rng::MeanOneLogNormal;
use crate::delivery::DeliveryOption;
use crate::model::cost::{MarketPrices, UnitCost};
use crate::model::params::FateThresholds;
use crate::model::params::round_half_up;
use crate::model::{Function, Layout, N_FUNCTIONS, Params, Unit};

/// Marks a function a unit does not provide in [`UnitBook::desk_of`].
pub const NO_DESK: u32 = u32::MAX;

/// One unit-function: a unit's work queue, capacity and cost curve for one function.
#[derive(Clone, Copy, Debug)]
pub struct Desk {
    /// Unit number.
    pub unit: usize,
    /// The function.
    pub function: Function,
    /// Capacity `K(u,f)` before any systemic halving \[population-years per month\].
    pub capacity: f64,
    /// Drawn cost curve (weak factor included).
    pub cost: UnitCost,
    /// Monthly constant cost: `(1 - s_f) F / 12` when sharing, else `F / 12` \[GBP\].
    pub monthly_constant: f64,
}

/// The units of one cell.
#[derive(Clone, Debug, Default)]
pub struct UnitBook {
    /// Desks in (unit, function) order.
    pub desks: Vec<Desk>,
    /// Desk index of each unit and function, or [`NO_DESK`].
    pub desk_of: Vec<[u32; N_FUNCTIONS]>,
    /// Whether each unit opens at month 0 (passed the checkpoint and participates).
    pub open: Vec<bool>,
    /// Onboarding slots per month, `slots(u)`.
    pub slots: Vec<u64>,
    /// Price per head of all functions the unit provides at `Qplan` \[GBP/year\].
    pub price: Vec<f64>,
    /// Operating failures to come, as (month, unit) in the order they happen: each unit's
    /// first month `m >= G` whose failure uniform is below its monthly threshold (a unit that
    /// has failed stays closed, so later months never matter; nor do months of a unit that
    /// is not open, which the engine checks when the month comes).
    pub failures: Vec<(u32, usize)>,
    /// Units that failed the checkpoint.
    pub failed_checkpoint: u32,
    /// Whether each unit failed the checkpoint.
    pub checkpoint_failed: Vec<bool>,
    /// Planned national or network tariff per head, if fixed costs are shared \[GBP/year\].
    pub planned_tariff: f64,
}

impl UnitBook {
    /// Builds the units of a cell from its layout, parameters and draws, in the buffers of
    /// `spare` (a finished cell's units) when given.
    pub fn new(
        option: &dyn DeliveryOption,
        layout: &Layout,
        params: &Params,
        prices: &MarketPrices,
        total_population: f64,
        draws: &mut ReplicationDraws,
        spare: Option<UnitBook>,
    ) -> UnitBook {
        let n_units = layout.units().len();
        let spare = spare.unwrap_or_default();
        let mut book = UnitBook {
            desks: emptied(spare.desks),
            desk_of: refill(spare.desk_of, n_units, [NO_DESK; N_FUNCTIONS]),
            open: refill(spare.open, n_units, true),
            slots: emptied(spare.slots),
            price: emptied(spare.price),
            failures: emptied(spare.failures),
            failed_checkpoint: 0,
            checkpoint_failed: refill(spare.checkpoint_failed, n_units, false),
            planned_tariff: 0.0,
        };
        let sharing = option.shared_overhead(params).is_some();
        let cost_dist = MeanOneLogNormal::new(params.costs.cost_cv);
        let risk = &params.risk;
        let factor = option.risk_factor(params);
        let thresholds = risk.thresholds(factor);
        for (unit_idx, unit) in layout.units().iter().enumerate() {
            // At factor 0 (national sites immune, as in version 4) no uniform can fall below a
            // threshold, so the draws are not looked up.
            let weak = factor > 0.0 && book.draw_fate(unit_idx, unit, draws, &thresholds, params);
            let price = book.add_desks(unit_idx, unit, weak, layout, params, draws, &cost_dist, sharing);
            if !option.participates(price, prices) {
                book.open[unit_idx] = false;
            }
            book.price.push(price);
            let slots = params.onboarding.per_unit_month
                + params.onboarding.per_million_month * layout.qplan_max(unit_idx) / 1e6;
            book.slots.push(round_half_up(slots).max(1.0) as u64);
        }
        book.failures.sort_unstable();
        if let Some(overhead) = option.shared_overhead(params) {
            book.planned_tariff = book.planned_cost(layout, params, overhead) / total_population;
        }
        book
    }

    /// Draws a unit's fate on its site (and function, for a team): whether it fails the
    /// checkpoint (then it never opens) and the month it fails in operation, if any; returns
    /// whether it is weak.
    fn draw_fate(
        &mut self,
        unit_idx: usize,
        unit: &Unit,
        draws: &mut ReplicationDraws,
        thresholds: &FateThresholds,
        params: &Params,
    ) -> bool {
        let go_live = params.time.go_live_month as usize;
        // The key is the site (and function, for a team), whatever the option: a hub, a
        // framework supplier and a national site on the same site share their fate.
        let fate = draws.fate(unit.site, unit.function.map_or(ALL_FUNCTIONS_KEY, Function::index));
        let weak = fate.weak < thresholds.weak;
        if fate.checkpoint < thresholds.checkpoint {
            self.open[unit_idx] = false;
            self.failed_checkpoint += 1;
            self.checkpoint_failed[unit_idx] = true;
        }
        let months = &draws.monthly_failure(fate.slot)[..params.time.months as usize];
        if let Some(offset) = months[go_live.min(months.len())..]
            .iter()
            .position(|&u| u < thresholds.monthly)
        {
            self.failures.push(((go_live + offset) as u32, unit_idx));
        }
        weak
    }

    /// Adds a desk for each function the unit provides, with its drawn cost (raised if weak),
    /// capacity (lowered if weak) and the part of its fixed cost held locally; returns the
    /// unit's price per head at its planned catchment.
    #[allow(clippy::too_many_arguments)]
    fn add_desks(
        &mut self,
        unit_idx: usize,
        unit: &Unit,
        weak: bool,
        layout: &Layout,
        params: &Params,
        draws: &mut ReplicationDraws,
        cost_dist: &MeanOneLogNormal,
        sharing: bool,
    ) -> f64 {
        let risk = &params.risk;
        let mut price = 0.0;
        for f in Function::ALL.into_iter().filter(|&f| unit.provides(f)) {
            let fp = params.function(f);
            let [x_fixed, x_variable] = draws.unit_cost_factors(unit.site, f.index(), cost_dist);
            let weak_factor = if weak { risk.weak_cost_factor } else { 1.0 };
            let cost = UnitCost {
                fixed: fp.fixed_cost * x_fixed * weak_factor,
                variable: fp.variable_cost * x_variable,
                efficient_scale: fp.efficient_scale,
            };
            let qplan = layout.qplan(unit_idx, f);
            price += cost.per_head(qplan);
            let capacity_factor = if weak { risk.weak_capacity_factor } else { 1.0 };
            let constant_share = if sharing { 1.0 - fp.shareable } else { 1.0 };
            self.desk_of[unit_idx][f.index()] = self.desks.len() as u32;
            self.desks.push(Desk {
                unit: unit_idx,
                function: f,
                capacity: (1.0 + fp.headroom) * qplan / 12.0 * capacity_factor,
                cost,
                monthly_constant: constant_share * cost.fixed / 12.0,
            });
        }
        price
    }

    /// Returns the planned yearly cost of every unit at `Qplan`, with sharing, plus the shared
    /// fixed cost and the overhead \[GBP/year\] (section 7, price paid under national/network).
    fn planned_cost(&self, layout: &Layout, params: &Params, overhead: f64) -> f64 {
        let units: f64 = self
            .desks
            .iter()
            .map(|desk| {
                let qplan = layout.qplan(desk.unit, desk.function);
                12.0 * desk.monthly_constant + desk.cost.variable * qplan + desk.cost.size_term(qplan)
            })
            .sum();
        units + shared_fixed_cost(params) + overhead
    }
}

/// Returns `sum_f s_f F_f` with base parameters, the fixed cost held once nationally \[GBP/year\].
pub fn shared_fixed_cost(params: &Params) -> f64 {
    params.functions.iter().map(|f| f.shareable * f.fixed_cost).sum()
}
