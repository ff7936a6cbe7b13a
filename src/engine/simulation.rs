//! The monthly loop of one cell in one replication (MODEL.md sections 3, 6 and 7).
//!
//! Within a month the order is fixed (section 3): systemic draw, decisions in CCG index order,
//! onboarding, then for `m >= G` demand, service, pooling, loss, ageing and costs, and last the
//! operating failure draws, effective from the next month.

use super::draws::ReplicationDraws;
use super::outcome::{Metric, N_METRICS, Outcome, WorkLedger};
use super::queue::{Entry, OnboardingQueue, WorkQueues};
use super::units::{NO_DESK, UnitBook, shared_fixed_cost};
use super::{Cell, tally::Tally};
use crate::delivery::{Choice, Market, Request};
use crate::engine::rng::MeanOneLogNormal;
use crate::model::params::preference;
use crate::model::{Function, LayoutKind, N_FUNCTIONS};

/// Who serves a CCG-function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Provider {
    Unit(usize),
    Private,
    InHouse,
}

/// Where a CCG-function stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    /// No provider and no decision to come within the horizon.
    Idle,
    /// A decision falls in month `at`.
    Deciding { at: u32 },
    /// Waiting in an onboarding queue.
    Waiting,
    /// In service from month `since` on.
    Serving { provider: Provider, since: u32 },
}

/// Bit mask of all four functions.
#[cfg(test)]
const ALL_MASK: u8 = (1 << N_FUNCTIONS) - 1;

/// Iterates over the functions whose bit is set in `mask`.
fn functions_in(mask: u8) -> impl Iterator<Item = Function> {
    Function::ALL.into_iter().filter(move |f| mask & (1 << f.index()) != 0)
}

/// State of one cell while its months run.
pub(super) struct Simulation<'a> {
    cell: &'a Cell<'a>,
    units: UnitBook,
    queues: WorkQueues,
    onboarding: Vec<OnboardingQueue>,
    private_queue: OnboardingQueue,
    ready: Vec<u32>,
    budget: Vec<f64>,
    preference: Vec<usize>,
    links: Vec<[Link; N_FUNCTIONS]>,
    after_failure: Vec<[bool; N_FUNCTIONS]>,
    reprocurements: Vec<u32>,
    price_paid: Vec<Option<f64>>,
    in_house: Vec<bool>,
    first_full: Vec<Option<u32>>,
    disrupted_until: u32,
    tally: Tally,
}

impl<'a> Simulation<'a> {
    /// Sets up the cell: units, CCG draws transformed with this cell's parameters, queues.
    pub(super) fn new(cell: &'a Cell<'a>, draws: &mut ReplicationDraws) -> Simulation<'a> {
        let params = cell.params;
        let register = cell.register;
        let n = register.len();
        let units = UnitBook::new(
            cell.option,
            cell.layout,
            params,
            &cell.prices,
            register.total_population(),
            draws,
        );
        let n_units = cell.layout.units().len();
        let onboarding = if cell.option.national_queue() {
            vec![OnboardingQueue::new(units.slots.iter().sum())]
        } else {
            units.slots.iter().map(|&s| OnboardingQueue::new(s)).collect()
        };
        let budget_dist = MeanOneLogNormal::new(params.choice.budget_cv);
        let mut sim = Simulation {
            cell,
            queues: WorkQueues::new(units.desks.len(), params.service.max_wait_months as usize),
            onboarding,
            private_queue: OnboardingQueue::new(u64::from(params.onboarding.private_per_month)),
            ready: (0..n).map(|i| ready_month(cell, draws, i)).collect(),
            budget: draws
                .budget
                .iter()
                .map(|&z| params.choice.budget_mean * budget_dist.at(z))
                .collect(),
            preference: draws
                .preference
                .iter()
                .map(|&u| preference_of(&params.choice.preferences, u))
                .collect(),
            links: vec![[Link::Idle; N_FUNCTIONS]; n],
            after_failure: vec![[false; N_FUNCTIONS]; n],
            reprocurements: vec![0; n],
            price_paid: vec![None; n],
            in_house: vec![false; n],
            first_full: vec![None; n],
            disrupted_until: 0,
            tally: Tally::new(units.desks.len(), params.time.months as usize),
            units,
        };
        sim.tally.failures_checkpoint = sim.units.failed_checkpoint;
        debug_assert_eq!(sim.units.open.len(), n_units);
        sim.schedule_first_decisions(draws);
        sim
    }

    /// Sets each CCG's first decision month: `R_i`, plus the procurement duration when the
    /// option procures and the CCG does not go in-house (section 7).
    fn schedule_first_decisions(&mut self, draws: &ReplicationDraws) {
        let option = self.cell.option;
        let procurement = option.procurement(self.cell.params);
        for i in 0..self.ready.len() {
            let goes_in_house = option.honours_preferences() && self.preference[i] == preference::IN_HOUSE;
            let delay = match procurement {
                Some(tri) if !goes_in_house => tri.months(draws.procurement[i]),
                _ => 0,
            };
            let at = self.ready[i] + delay;
            if at < self.cell.params.time.months {
                self.links[i] = [Link::Deciding { at }; N_FUNCTIONS];
            }
        }
    }

    /// Runs every month and returns the outcome.
    pub(super) fn run(mut self, draws: &ReplicationDraws) -> Outcome {
        let time = &self.cell.params.time;
        let demand = draws.demand();
        for m in 0..time.months {
            let operating = m >= time.go_live_month;
            if operating && self.cell.option.systemic_risk() {
                self.systemic_draw(m, draws.systemic[m as usize]);
            }
            self.decide_month(m);
            self.onboard(m);
            self.track_contracts(m);
            if operating {
                self.demand_month(m, demand);
                self.serve_month(m);
                if self.cell.option.units_can_fail() {
                    self.failure_draws(m, draws);
                }
            }
        }
        self.finish()
    }

    fn systemic_draw(&mut self, m: u32, u: f64) {
        let risk = &self.cell.params.risk;
        if u < risk.p_systemic_annual / 12.0 {
            self.tally.systemic_events += 1;
            self.disrupted_until = self.disrupted_until.max(m + risk.recovery_months);
        }
    }

    fn market(&self) -> Market<'_> {
        Market {
            layout: self.cell.layout,
            distances: self.cell.register.distances(),
            open: &self.units.open,
            unit_price: &self.units.price,
            prices: &self.cell.prices,
            max_distance_km: self.cell.params.choice.max_distance_km,
            planned_tariff: self.units.planned_tariff,
        }
    }

    fn decide_month(&mut self, m: u32) {
        for i in 0..self.links.len() {
            let mut mask = 0u8;
            for f in Function::ALL {
                if self.links[i][f.index()] == (Link::Deciding { at: m }) {
                    mask |= 1 << f.index();
                }
            }
            if mask != 0 {
                self.decide(i, mask, m);
            }
        }
    }

    /// One decision of CCG `i` for the functions in `mask` (section 7).
    fn decide(&mut self, i: usize, mask: u8, m: u32) {
        let option = self.cell.option;
        let params = self.cell.params;
        let honoured = option.honours_preferences();
        if honoured && self.preference[i] == preference::IN_HOUSE {
            for f in functions_in(mask) {
                self.links[i][f.index()] = Link::Serving {
                    provider: Provider::InHouse,
                    since: m,
                };
            }
            self.in_house[i] = true;
            self.price_paid[i] = Some(self.in_house_price(i));
            return;
        }
        if option.procurement(params).is_some() {
            self.tally.transactions += option.transaction_cost(params);
        }
        let wants_private = honoured && self.preference[i] == preference::OUTSIDE_NHS;
        let groups: Vec<(u8, Function)> = match self.cell.layout.kind() {
            LayoutKind::Sites => functions_in(mask).next().map(|f| (mask, f)).into_iter().collect(),
            LayoutKind::Teams => functions_in(mask).map(|f| (1 << f.index(), f)).collect(),
        };
        for (group, function) in groups {
            let choice = if wants_private {
                Choice::Private
            } else {
                let request = Request {
                    ccg: i,
                    budget: self.budget[i],
                    function,
                };
                self.switch_rule(option.choose(&self.market(), &request))
            };
            self.price_paid[i] = Some(option.price_paid(&self.market(), choice));
            self.enqueue(i, group, choice);
        }
    }

    /// Sends a CCG to the private sector if its unit's expected wait is too long (section 7).
    fn switch_rule(&self, choice: Choice) -> Choice {
        match choice {
            Choice::Unit(unit) if self.cell.option.switch_rule() => {
                let wait = self.onboarding[self.queue_of(unit)].expected_wait() as f64;
                if wait > self.cell.params.choice.switch_wait_months {
                    Choice::Private
                } else {
                    choice
                }
            }
            _ => choice,
        }
    }

    fn queue_of(&self, unit: usize) -> usize {
        if self.cell.option.national_queue() { 0 } else { unit }
    }

    fn enqueue(&mut self, i: usize, mask: u8, choice: Choice) {
        let entry = Entry {
            ccg: i,
            mask,
            unit: None,
        };
        match choice {
            Choice::Unit(unit) => {
                let queue = self.queue_of(unit);
                self.onboarding[queue].push(Entry {
                    unit: Some(unit),
                    ..entry
                });
            }
            Choice::Private => self.private_queue.push(entry),
        }
        for f in functions_in(mask) {
            self.links[i][f.index()] = Link::Waiting;
        }
    }

    fn onboard(&mut self, m: u32) {
        let mut onboarded: Vec<Entry> = Vec::new();
        for queue in self
            .onboarding
            .iter_mut()
            .chain(std::iter::once(&mut self.private_queue))
        {
            onboarded.extend(queue.take_month());
        }
        for entry in onboarded {
            let provider = entry.unit.map_or(Provider::Private, Provider::Unit);
            for f in functions_in(entry.mask) {
                self.links[entry.ccg][f.index()] = Link::Serving { provider, since: m + 1 };
            }
        }
    }

    fn in_service(link: Link, m: u32) -> Option<Provider> {
        match link {
            Link::Serving { provider, since } if since <= m => Some(provider),
            _ => None,
        }
    }

    fn track_contracts(&mut self, m: u32) {
        let go_live = m == self.cell.params.time.go_live_month;
        let mut contracted = 0.0;
        for (i, links) in self.links.iter().enumerate() {
            let full = links.iter().all(|&l| Self::in_service(l, m).is_some());
            if full && self.first_full[i].is_none() {
                self.first_full[i] = Some(m);
            }
            if self.first_full[i].is_some() {
                contracted += 1.0;
            }
            if go_live && !full {
                self.tally.uncontracted_at_go_live += 1;
            }
        }
        self.tally.contracted_by_month[m as usize] = contracted;
    }

    /// Step 4a: each CCG's demand goes to its provider's queue, or is unmet (section 6).
    fn demand_month(&mut self, m: u32, demand: &[f64]) {
        let params = self.cell.params;
        let register = self.cell.register;
        let distances = register.distances();
        let km_cost = params.costs.distance_cost_per_km / 12.0;
        let teams = self.cell.layout.kind() == LayoutKind::Teams;
        let n = register.len();
        self.tally.start_month();
        for (i, ccg) in register.ccgs().iter().enumerate() {
            let mut nhs_units = 0u32;
            for f in Function::ALL {
                let fi = f.index();
                let work = demand[(m as usize * n + i) * N_FUNCTIONS + fi];
                self.tally.demand[fi] += work;
                match Self::in_service(self.links[i][fi], m) {
                    Some(Provider::Unit(unit)) => {
                        let desk = self.units.desk_of[unit][fi] as usize;
                        debug_assert_ne!(desk as u32, NO_DESK);
                        self.queues.arrive(desk, work);
                        self.tally.qact[desk] += ccg.population;
                        let km = distances.get(i, self.cell.layout.units()[unit].site);
                        self.tally.distance += km_cost * km;
                        self.tally.distance_weighted += ccg.population * km;
                        self.tally.distance_weight += ccg.population;
                        self.after_failure[i][fi] = false;
                        nhs_units += 1;
                    }
                    Some(Provider::Private) => {
                        self.tally.served_private += work;
                        self.tally.private += self.cell.prices.private[fi] * work;
                        self.after_failure[i][fi] = false;
                    }
                    Some(Provider::InHouse) => {
                        self.tally.served_in_house += work;
                        let fp = params.function(f);
                        let annual = params.costs.in_house_fixed_share * fp.fixed_cost
                            + fp.variable_cost * (1.0 + params.costs.in_house_premium) * ccg.population;
                        self.tally.in_house += annual / 12.0;
                    }
                    None if self.after_failure[i][fi] => self.tally.unmet_failure[fi] += work,
                    None => self.tally.unmet_uncontracted[fi] += work,
                }
            }
            if teams && nhs_units > 1 {
                self.tally.coordination += params.costs.coordination_cost / 12.0 * f64::from(nhs_units - 1);
            }
        }
    }

    /// Steps 4b-4e: service, pooling, loss, ageing and unit running costs (sections 5 and 6).
    fn serve_month(&mut self, m: u32) {
        let params = self.cell.params;
        let halved = m < self.disrupted_until;
        let mut capacity = vec![0.0; self.units.desks.len()];
        for (d, desk) in self.units.desks.iter().enumerate() {
            if self.units.open[desk.unit] {
                capacity[d] = if halved { desk.capacity / 2.0 } else { desk.capacity };
                self.tally.served_month[d] = self.queues.serve(d, capacity[d]);
            }
        }
        if self.cell.option.pools() {
            for f in Function::ALL {
                self.pool(f, &capacity);
            }
        }
        for (d, desk) in self.units.desks.iter().enumerate() {
            if !self.units.open[desk.unit] {
                continue;
            }
            let served = self.tally.served_month[d];
            self.tally.served_units += served;
            let lost = self.queues.age(d);
            self.tally.unmet_capacity[desk.function.index()] += lost;
            self.tally.open_desk_months += 1;
            if lost > 0.0 {
                self.tally.saturated_desk_months += 1;
            }
            if capacity[d] > 0.0 {
                self.tally.utilisation.push(served / capacity[d]);
            }
            self.tally.units +=
                desk.monthly_constant + desk.cost.size_term(self.tally.qact[d]) / 12.0 + desk.cost.variable * served;
        }
        if let Some(overhead) = self.cell.option.shared_overhead(params) {
            self.tally.shared_fixed += shared_fixed_cost(params) / 12.0;
            self.tally.overheads += overhead / 12.0;
        }
    }

    /// Pooling of function `f` across open units (section 6): `min(E, efficiency * S)` is taken
    /// in equal proportion from every bucket and delivered in proportion to spare capacity.
    fn pool(&mut self, f: Function, capacity: &[f64]) {
        let desks: Vec<usize> = (0..self.units.desks.len())
            .filter(|&d| self.units.desks[d].function == f && self.units.open[self.units.desks[d].unit])
            .collect();
        let spare: Vec<f64> = desks
            .iter()
            .map(|&d| (capacity[d] - self.tally.served_month[d]).max(0.0))
            .collect();
        let total_spare: f64 = spare.iter().sum();
        let queued: f64 = desks.iter().map(|&d| self.queues.total(d)).sum();
        if total_spare <= 0.0 || queued <= 0.0 {
            return;
        }
        let pooled = queued.min(self.cell.params.service.pool_efficiency * total_spare);
        let keep = 1.0 - pooled / queued;
        for (&d, &s) in desks.iter().zip(&spare) {
            self.queues.scale(d, keep);
            let delivered = pooled * s / total_spare;
            self.tally.served_month[d] += delivered;
        }
        self.tally.remote += self.cell.params.costs.remote_cost_per_head * pooled;
    }

    /// Step 5: each open unit fails with probability `p_fail_annual / 12` (section 7).
    fn failure_draws(&mut self, m: u32, draws: &ReplicationDraws) {
        let threshold = self.cell.params.risk.p_fail_annual / 12.0;
        for unit in 0..self.units.open.len() {
            if self.units.open[unit] && self.units.monthly_failure[unit][m as usize] < threshold {
                self.fail(unit, m, draws);
            }
        }
    }

    /// Closes a unit from `m + 1`: its queued work is lost, and its CCGs re-decide (section 7).
    fn fail(&mut self, unit: usize, m: u32, draws: &ReplicationDraws) {
        self.units.open[unit] = false;
        self.tally.failures_operating += 1;
        for f in Function::ALL {
            let desk = self.units.desk_of[unit][f.index()];
            if desk != NO_DESK {
                self.tally.unmet_failure[f.index()] += self.queues.clear(desk as usize);
            }
        }
        let queue = self.queue_of(unit);
        let waiting: Vec<Entry> = self.onboarding[queue].drain_all().collect();
        let mut moved = vec![(0u8, 0u8); self.links.len()];
        for entry in waiting {
            moved[entry.ccg].1 |= entry.mask;
        }
        for (i, links) in self.links.iter().enumerate() {
            for f in Function::ALL {
                if let Link::Serving {
                    provider: Provider::Unit(u),
                    since,
                } = links[f.index()]
                    && u == unit
                {
                    // A CCG onboarded this month counts as still waiting (section 7 fine print).
                    if since <= m {
                        moved[i].0 |= 1 << f.index()
                    } else {
                        moved[i].1 |= 1 << f.index()
                    }
                }
            }
        }
        let transition = self.cell.params.costs.transition_cost_per_head;
        for (i, &(serving, waiting)) in moved.iter().enumerate() {
            if serving | waiting == 0 {
                continue;
            }
            let population = self.cell.register.ccgs()[i].population;
            self.tally.transition += transition * population * f64::from(serving.count_ones()) / N_FUNCTIONS as f64;
            for f in functions_in(serving) {
                self.after_failure[i][f.index()] = true;
            }
            let at = m + self.redecision_delay(i, draws);
            let link = if at < self.cell.params.time.months {
                Link::Deciding { at }
            } else {
                Link::Idle
            };
            for f in functions_in(serving | waiting) {
                self.links[i][f.index()] = link;
            }
        }
    }

    /// Months until a re-decision: a fresh procurement draw (at least 1), or 1 when mandated.
    fn redecision_delay(&mut self, i: usize, draws: &ReplicationDraws) -> u32 {
        match self.cell.option.procurement(self.cell.params) {
            Some(tri) => {
                let count = self.reprocurements[i];
                self.reprocurements[i] += 1;
                tri.months(draws.reprocurement(i, count)).max(1)
            }
            None => 1,
        }
    }

    /// Returns CCG `i`'s in-house cost per head for all four functions [GBP/year].
    fn in_house_price(&self, i: usize) -> f64 {
        let params = self.cell.params;
        let population = self.cell.register.ccgs()[i].population;
        let annual: f64 = params
            .functions
            .iter()
            .map(|fp| {
                params.costs.in_house_fixed_share * fp.fixed_cost
                    + fp.variable_cost * (1.0 + params.costs.in_house_premium) * population
            })
            .sum();
        annual / population
    }

    fn finish(mut self) -> Outcome {
        let mut residual_by_function = [0.0; N_FUNCTIONS];
        for (d, desk) in self.units.desks.iter().enumerate() {
            residual_by_function[desk.function.index()] += self.queues.total(d);
        }
        let residual: f64 = residual_by_function.iter().sum();
        let cell = self.cell;
        let params = cell.params;
        let n = self.links.len() as f64;
        let overridden = if cell.option.honours_preferences() {
            0
        } else {
            self.preference
                .iter()
                .filter(|&&p| p == preference::IN_HOUSE || p == preference::OUTSIDE_NHS)
                .count()
        };
        let over_budget = self
            .price_paid
            .iter()
            .zip(&self.budget)
            .filter(|(paid, budget)| paid.is_some_and(|p| p > **budget))
            .count();
        let contract_months: Vec<f64> = (0..self.links.len())
            .filter(|&i| !self.in_house[i])
            .filter_map(|i| self.first_full[i].map(|m| f64::from(m) - f64::from(self.ready[i])))
            .collect();
        let tally = &mut self.tally;
        let mut values = [f64::NAN; N_METRICS];
        tally.write_costs(
            &mut values,
            params,
            &cell.prices,
            &residual_by_function,
            cell.register.total_population(),
        );
        let demand = tally.demand.iter().sum::<f64>();
        values[Metric::ResidualShare as usize] = residual / demand;
        values[Metric::UncontractedAtGoLive as usize] = f64::from(tally.uncontracted_at_go_live);
        values[Metric::MonthsToContract as usize] = mean(&contract_months);
        values[Metric::PreferenceOverridden as usize] = overridden as f64 / n;
        values[Metric::OverBudgetShare as usize] = over_budget as f64 / n;
        values[Metric::FailuresCheckpoint as usize] = f64::from(tally.failures_checkpoint);
        values[Metric::FailuresOperating as usize] = f64::from(tally.failures_operating);
        values[Metric::SystemicEvents as usize] = f64::from(tally.systemic_events);
        tally.write_service(&mut values);
        let served = tally.served_units + tally.served_private + tally.served_in_house;
        let unmet: f64 = tally.unmet_total();
        Outcome {
            values,
            work: WorkLedger {
                demand,
                served,
                unmet,
                residual,
            },
            contracted_by_month: std::mem::take(&mut tally.contracted_by_month),
        }
    }
}

/// Returns the arithmetic mean, or NaN for no values.
fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Returns CCG `i`'s ready month `R_i`: its register wave, or one drawn with the wave weights.
fn ready_month(cell: &Cell, draws: &ReplicationDraws, i: usize) -> u32 {
    let time = &cell.params.time;
    let wave = match cell.register.ccgs()[i].wave {
        Some(w) => usize::from(w - 1),
        None => pick_category(&time.wave_weights, draws.wave[i]),
    };
    time.wave_months[wave]
}

/// Returns the preference category of uniform `u` against the cumulative shares.
fn preference_of(shares: &[f64; 4], u: f64) -> usize {
    pick_category(shares, u)
}

/// Returns the first category whose cumulative weight exceeds `u * total` (zero weights are
/// never picked; rounding at the top end falls to the last positive category).
pub(super) fn pick_category(weights: &[f64], u: f64) -> usize {
    let total: f64 = weights.iter().sum();
    let target = u * total;
    let mut cumulative = 0.0;
    let mut last_positive = 0;
    for (idx, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            last_positive = idx;
            cumulative += w;
            if target < cumulative {
                return idx;
            }
        }
    }
    last_positive
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_follow_cumulative_shares() {
        let shares = [0.50, 0.32, 0.05, 0.13];
        assert_eq!(pick_category(&shares, 0.0), 0);
        assert_eq!(pick_category(&shares, 0.4999), 0);
        assert_eq!(pick_category(&shares, 0.5), 1);
        assert_eq!(pick_category(&shares, 0.8199), 1);
        assert_eq!(pick_category(&shares, 0.86), 2);
        assert_eq!(pick_category(&shares, 0.99), 3);
        assert_eq!(pick_category(&[1.0, 0.0, 0.0, 0.0], 0.999_999), 0);
        assert_eq!(pick_category(&[0.0, 1.0, 0.0, 0.0], 0.0), 1);
    }

    #[test]
    fn masks_list_their_functions() {
        let listed: Vec<Function> = functions_in(0b1010).collect();
        assert_eq!(listed, vec![Function::ClinicalProcurement, Function::Communications]);
        assert_eq!(functions_in(ALL_MASK).count(), 4);
    }
}
