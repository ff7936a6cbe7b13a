//! Running totals of one cell-replication, and their conversion into metrics (section 8).

use super::buffers::emptied;
use crate::model::cost::MarketPrices;
use crate::model::metrics::{Metric, N_METRICS};
use crate::model::{N_FUNCTIONS, Params};
use crate::stats::percentile_of_keys;

/// Horizon totals of one cell in one replication (costs in GBP, work in population-years).
#[derive(Clone, Debug, Default)]
pub(super) struct Tally {
    pub units: f64,
    pub shared_fixed: f64,
    pub overheads: f64,
    pub in_house: f64,
    pub private: f64,
    pub transactions: f64,
    pub coordination: f64,
    pub distance: f64,
    pub remote: f64,
    pub transition: f64,
    /// Negotiating savings over the operating period (section 5a) \[GBP\].
    pub leverage: f64,
    /// Sum over operating months of the NHS units serving that month.
    pub units_serving: u64,
    pub demand: [f64; N_FUNCTIONS],
    pub unmet_uncontracted: [f64; N_FUNCTIONS],
    pub unmet_capacity: [f64; N_FUNCTIONS],
    pub unmet_failure: [f64; N_FUNCTIONS],
    pub served_units: f64,
    pub served_private: f64,
    pub served_in_house: f64,
    pub distance_weighted: f64,
    pub distance_weight: f64,
    pub open_desk_months: u64,
    pub saturated_desk_months: u64,
    /// Utilisation of each open desk-month, as [`order_key`](crate::stats::order_key)s.
    pub utilisation: Vec<i64>,
    /// Sum of the utilisations, in the order they came.
    pub utilisation_sum: f64,
    pub uncontracted_at_go_live: u32,
    pub failures_checkpoint: u32,
    pub failures_operating: u32,
    pub systemic_events: u32,
    pub contracted_by_month: Vec<f64>,
}

impl Tally {
    /// Creates empty totals for `months` months, the utilisation list in `utilisation`'s buffer.
    pub fn new(months: usize, utilisation: Vec<i64>) -> Tally {
        Tally {
            contracted_by_month: vec![0.0; months],
            utilisation: emptied(utilisation),
            ..Tally::default()
        }
    }

    /// Returns a cost component's horizon total \[GBP\]; 0 for a metric that is not one.
    fn component(&self, metric: Metric) -> f64 {
        match metric {
            Metric::CostUnits => self.units,
            Metric::CostSharedFixed => self.shared_fixed,
            Metric::CostOverheads => self.overheads,
            Metric::CostInHouse => self.in_house,
            Metric::CostPrivate => self.private,
            Metric::CostTransactions => self.transactions,
            Metric::CostCoordination => self.coordination,
            Metric::CostDistance => self.distance,
            Metric::CostRemote => self.remote,
            Metric::CostTransition => self.transition,
            _ => 0.0,
        }
    }

    /// Returns unmet work of every cause and function.
    pub fn unmet_total(&self) -> f64 {
        self.unmet_by_function().iter().sum()
    }

    fn unmet_by_function(&self) -> [f64; N_FUNCTIONS] {
        std::array::from_fn(|f| self.unmet_uncontracted[f] + self.unmet_capacity[f] + self.unmet_failure[f])
    }

    /// Writes the cost metrics (section 3: horizon totals times `12 / (H - G)`).
    pub fn write_costs(
        &self,
        values: &mut [f64; N_METRICS],
        params: &Params,
        prices: &MarketPrices,
        residual: &[f64; N_FUNCTIONS],
        population: f64,
    ) {
        let annual = params.annualise();
        let mut total = 0.0;
        for (metric, _) in Metric::COST_COMPONENTS {
            let horizon = self.component(metric);
            values[metric as usize] = horizon * annual / 1e6;
            total += horizon;
        }
        let total_annual = total * annual;
        values[Metric::CostTotal as usize] = total_annual / 1e6;
        values[Metric::CostOneOff as usize] = (self.transactions + self.transition) * annual / 1e6;
        values[Metric::CostPerHead as usize] = total_annual / population;
        // Section 8 (version 4): undone work at its private price, unmet work at (1 + penalty)
        // times it.
        let unmet = self.unmet_by_function();
        let at_private =
            |work: &[f64; N_FUNCTIONS]| -> f64 { (0..N_FUNCTIONS).map(|f| work[f] * prices.private[f]).sum() };
        let unmet_at_private = at_private(&unmet);
        let penalty = params.value.unmet_penalty * unmet_at_private;
        let residual_at_private = at_private(residual);
        values[Metric::CostUnmetAtPrivate as usize] = unmet_at_private * annual / 1e6;
        values[Metric::CostUnmetPenalty as usize] = penalty * annual / 1e6;
        values[Metric::CostResidualAtPrivate as usize] = residual_at_private * annual / 1e6;
        // Summed per function as `((1 + penalty) unmet + residual) pp_f`, so that with no
        // penalty the headline is version 3.2's to the bit.
        let weight = 1.0 + params.value.unmet_penalty;
        let shortfall: f64 = (0..N_FUNCTIONS)
            .map(|f| (weight * unmet[f] + residual[f]) * prices.private[f])
            .sum();
        values[Metric::CostPerHeadInclUnmet as usize] = (total + shortfall) * annual / population;
    }

    /// Writes the values of section 5a and the headline (section 8): negotiating savings, the
    /// shadow cost of the `overridden` population's preferences, and `net_cost_per_head`.
    /// Call after [`Tally::write_costs`].
    pub fn write_values(&self, values: &mut [f64; N_METRICS], params: &Params, overridden: f64, population: f64) {
        let savings = self.leverage * params.annualise();
        let choice = params.value.choice_per_head * overridden;
        values[Metric::SavingsLeverage as usize] = savings / 1e6;
        values[Metric::CostChoice as usize] = choice / 1e6;
        values[Metric::NetCostPerHead as usize] =
            values[Metric::CostPerHeadInclUnmet as usize] - savings / population + choice / population;
    }

    /// Writes the unmet, utilisation, share and distance metrics (section 8).
    pub fn write_service(&mut self, values: &mut [f64; N_METRICS]) {
        let demand: f64 = self.demand.iter().sum();
        let unmet = self.unmet_by_function();
        values[Metric::UnmetShare as usize] = unmet.iter().sum::<f64>() / demand;
        values[Metric::UnmetUncontracted as usize] = self.unmet_uncontracted.iter().sum::<f64>() / demand;
        values[Metric::UnmetCapacity as usize] = self.unmet_capacity.iter().sum::<f64>() / demand;
        values[Metric::UnmetFailure as usize] = self.unmet_failure.iter().sum::<f64>() / demand;
        let by_function = [
            Metric::UnmetBusinessIntelligence,
            Metric::UnmetClinicalProcurement,
            Metric::UnmetBusinessSupport,
            Metric::UnmetCommunications,
        ];
        for (f, metric) in by_function.into_iter().enumerate() {
            values[metric as usize] = unmet[f] / self.demand[f];
        }
        if !self.utilisation.is_empty() {
            values[Metric::UtilisationMean as usize] = self.utilisation_sum / self.utilisation.len() as f64;
            values[Metric::UtilisationP95 as usize] = percentile_of_keys(&mut self.utilisation, 0.95);
        }
        if self.open_desk_months > 0 {
            values[Metric::SaturatedUnitShare as usize] =
                self.saturated_desk_months as f64 / self.open_desk_months as f64;
        }
        let served = self.served_units + self.served_private + self.served_in_house;
        if served > 0.0 {
            values[Metric::PrivateShare as usize] = self.served_private / served;
            values[Metric::InHouseShare as usize] = self.served_in_house / served;
        }
        if self.distance_weight > 0.0 {
            values[Metric::DistanceKmMean as usize] = self.distance_weighted / self.distance_weight;
        }
    }
}
