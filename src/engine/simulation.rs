//! The monthly loop of one cell in one replication (docs/model.md sections 3, 6 and 7).
//!
//! Within a month the order is fixed (section 3): systemic draw, decisions in CCG index order,
//! onboarding, then for `m >= G` demand, service, pooling, loss, ageing and costs, and last the
//! operating failure draws, effective from the next month. A CCG onboarded in month m is in
//! service from m + 1: its onboarding is recorded, and it starts at the top of the next month.

use super::ccgs::{CcgBuffers, Link, Provider};
use super::draws::ReplicationDraws;
use super::places::{DeskLog, Ledger, Unserved};
use super::queue::Entry;
use super::routes::{Routes, Service, Sink};
use super::service::{Desks, Pooling};
use super::units::{NO_DESK, UnitBook, shared_fixed_cost};
use super::workspace::Workspace;
use super::{Cell, tally::Tally};
use crate::delivery::{Choice, Market, Request, Traits};
use crate::model::metrics::{Metric, N_METRICS, Outcome, WorkLedger};
use crate::model::params::preference;
use crate::model::places::Places;
use crate::model::{Function, LayoutKind, N_FUNCTIONS};

/// Bit mask of all four functions.
const ALL_MASK: u8 = (1 << N_FUNCTIONS) - 1;

/// Iterates over the indices of the functions whose bit is set in `mask`, in section 1 order.
///
/// A loop over the set bits, not a filter over all four functions: a filter's branch on each
/// bit mispredicts whenever masks vary, as a network's one-function masks do.
fn functions_in(mask: u8) -> impl Iterator<Item = usize> {
    let mut bits = mask & ((1 << N_FUNCTIONS) - 1);
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let f = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            f
        })
    })
}

/// State of one cell while its months run.
pub(super) struct Simulation<'a> {
    cell: &'a Cell<'a>,
    draws: &'a ReplicationDraws,
    units: UnitBook,
    desks: Desks,
    routes: Routes<'a>,
    /// Queues and per-CCG state, in buffers a finished cell leaves to the next.
    ccgs: CcgBuffers,
    /// Position in `ccgs.decisions`, sorted from here on.
    next_decision: usize,
    ready: &'a [u32],
    budget: &'a [f64],
    preference: &'a [usize],
    contracted: u32,
    month: u32,
    disrupted_until: u32,
    /// Position in the units' failure schedule.
    next_failure: usize,
    /// Units with at least one CCG-function in service.
    units_serving: u32,
    /// Monthly leverage saving of the CCGs negotiating alone (private or in-house clinical
    /// procurement) \[GBP\].
    alone_saving: f64,
    tally: Tally,
    flags: OptionFlags,
    /// Results by place, when the cell records them.
    log: Option<PlaceLog>,
    /// Whether national sites failed last month, so that the CCGs waiting for them or
    /// onboarded by them are re-assigned this month (section 7, version 5).
    reassign: bool,
    /// National CCGs left with no open site to be re-assigned to, in CCG order: each goes to
    /// the private sector in step 2 of this month, in CCG order with the month's decisions.
    stranded: Vec<u32>,
}

/// What a cell recording places keeps besides the routes' log.
struct PlaceLog {
    desks: DeskLog,
    /// Per CCG: in-house, transaction and transition costs over the horizon \[GBP\].
    direct: Vec<f64>,
    /// Per CCG: a function not in service in month G.
    gaps: Vec<bool>,
}

/// What the option says about itself, asked once per cell rather than in the monthly loop.
#[derive(Clone, Copy, Debug)]
struct OptionFlags {
    /// The option's constant traits.
    traits: Traits,
    /// The transaction cost of a decision, when the option procures.
    transaction_cost: Option<f64>,
    pooling: Option<Pooling>,
    shared_overhead: Option<f64>,
    leverage: Option<Leverage>,
}

/// Negotiating leverage of a cell that counts it (docs/model.md section 5a).
#[derive(Clone, Copy, Debug)]
struct Leverage {
    /// `spend_per_head * leverage_max / 12`: a month's most saving per head \[GBP\].
    per_head_month: f64,
    /// `leverage_half` \[people\].
    half: f64,
    /// Whether one organisation negotiates for every CCG its units serve.
    national: bool,
}

impl Leverage {
    /// Returns the saving of a month of a negotiator speaking for `population` people, all of
    /// whom save in proportion to `Qn / (Qn + half)` with `Qn = population` \[GBP\].
    fn month(&self, population: f64) -> f64 {
        if population > 0.0 {
            self.per_head_month * population * population / (population + self.half)
        } else {
            0.0
        }
    }
}

impl OptionFlags {
    /// The option's traits and the parameters its mechanisms take in this cell.
    fn of(cell: &Cell) -> OptionFlags {
        let params = cell.params;
        let traits = cell.option.traits();
        OptionFlags {
            traits,
            transaction_cost: cell.option.procurement(params).map(|p| p.cost),
            pooling: traits.pools.then_some(Pooling {
                efficiency: params.service.pool_efficiency,
                cost_per_head: params.costs.remote_cost_per_head,
            }),
            shared_overhead: cell.option.shared_overhead(params),
            leverage: (params.value.leverage_max > 0.0).then_some(Leverage {
                per_head_month: params.value.spend_per_head * params.value.leverage_max / 12.0,
                half: params.value.leverage_half,
                national: traits.negotiates_nationally,
            }),
        }
    }
}

impl PlaceLog {
    /// For a cell that records results by place, the routes' log and the desks' log, in the
    /// buffers of `workspace` when it holds a finished cell's; `None` for the desks otherwise.
    fn start(
        cell: &Cell,
        units: &UnitBook,
        draws: &ReplicationDraws,
        workspace: &mut Workspace,
    ) -> (super::places::RouteLog, Option<PlaceLog>) {
        let n = cell.register.len();
        let months = cell.params.time.months as usize;
        let (route_log, desk_log) = match cell.places {
            true => workspace.places.take().unwrap_or_default(),
            false => Default::default(),
        };
        let log = cell.places.then(|| PlaceLog {
            desks: desk_log.reset(
                months.min(draws.demand().months()),
                units.desks.iter().map(|d| d.unit),
                &units.open,
                &units.checkpoint_failed,
            ),
            direct: vec![0.0; n],
            gaps: vec![false; n],
        });
        (route_log, log)
    }
}

impl<'a> Simulation<'a> {
    /// Sets up the cell: units, CCG draws transformed with this cell's parameters, queues;
    /// its vectors come from `workspace` when it holds a finished cell's.
    pub(super) fn new(
        cell: &'a Cell<'a>,
        units: UnitBook,
        draws: &'a ReplicationDraws,
        workspace: &mut Workspace,
    ) -> Simulation<'a> {
        let params = cell.params;
        let n = cell.register.len();
        let n_desks = units.desks.len();
        let months = params.time.months as usize;
        let ccgs = workspace.ccgs.take().unwrap_or_default().reset(
            n,
            (&units.slots, &units.open),
            cell.option.traits().national_queue,
            u64::from(params.onboarding.private_per_month),
        );
        let (route_log, log) = PlaceLog::start(cell, &units, draws, workspace);
        let routes = Routes::new(
            draws.demand(),
            (n, n_desks),
            (params.time.go_live_month as usize, months),
            params.costs.distance_cost_per_km,
            workspace.routes.take(),
        );
        let mut sim = Simulation {
            cell,
            draws,
            desks: Desks::new(&units, params.service.max_wait_months as usize, workspace.desks.take()),
            routes: if cell.places {
                routes.with_log(route_log)
            } else {
                routes
            },
            ccgs,
            next_decision: 0,
            ready: draws.ready(),
            budget: draws.budgets(),
            preference: draws.preferences(),
            contracted: 0,
            month: 0,
            disrupted_until: 0,
            next_failure: 0,
            units_serving: 0,
            alone_saving: 0.0,
            tally: Tally::new(months, std::mem::take(&mut workspace.utilisation)),
            flags: OptionFlags::of(cell),
            units,
            log,
            reassign: false,
            stranded: Vec::new(),
        };
        sim.tally.failures_checkpoint = sim.units.failed_checkpoint;
        sim.tally
            .utilisation
            .reserve(n_desks * params.operating_months() as usize);
        sim.schedule_first_decisions();
        sim
    }

    /// Sets each CCG's first decision month: `R_i`, plus the procurement duration when the
    /// option procures and the CCG does not go in-house (section 7).
    fn schedule_first_decisions(&mut self) {
        let draws = self.draws;
        let option = self.cell.option;
        let procurement = option.procurement(self.cell.params);
        for i in 0..self.ready.len() {
            let goes_in_house = self.flags.traits.honours_preferences && self.preference[i] == preference::IN_HOUSE;
            let delay = match procurement {
                Some(p) if !goes_in_house => p.duration.months(draws.procurement[i]),
                _ => 0,
            };
            let at = self.ready[i].saturating_add(delay);
            let link = if at < self.cell.params.time.months {
                self.ccgs.decisions.push((at, i as u32));
                Link::Deciding { at }
            } else {
                Link::Idle
            };
            self.ccgs.links[i] = [link; N_FUNCTIONS];
        }
        sort_by_month(
            &mut self.ccgs.decisions,
            &mut self.ccgs.sorted,
            self.cell.params.time.months as usize,
        );
    }

    /// Sets the functions in `mask` of CCG `i` to decide in month `at` (never, if at or after H).
    fn schedule(&mut self, i: usize, mask: u8, at: u32) {
        let link = if at < self.cell.params.time.months {
            // After the first decisions a decision is rare (a failure's): it goes into its
            // place in the schedule.
            let entry = (at, i as u32);
            let pending = &self.ccgs.decisions[self.next_decision..];
            let place = self.next_decision + pending.partition_point(|&due| due <= entry);
            self.ccgs.decisions.insert(place, entry);
            Link::Deciding { at }
        } else {
            Link::Idle
        };
        for f in functions_in(mask) {
            self.ccgs.links[i][f] = link;
        }
    }

    /// Runs every month and returns the outcome.
    pub(super) fn run(mut self, workspace: &mut Workspace) -> Outcome {
        let time = &self.cell.params.time;
        let draws = self.draws;
        for m in 0..time.months {
            self.month = m;
            if self.reassign {
                self.reassign_to_open_sites();
            }
            self.start_onboarded();
            let operating = m >= time.go_live_month;
            if operating && self.flags.traits.systemic_risk {
                self.systemic_draw(m, draws.systemic[m as usize]);
            }
            self.decide_month(m);
            self.onboard();
            self.track_contracts(m);
            if operating {
                self.account_running_costs();
                self.serve_month(m);
                self.failure_draws(m);
            }
        }
        self.finish(workspace)
    }

    fn systemic_draw(&mut self, m: u32, u: f64) {
        let risk = &self.cell.params.risk;
        if u < risk.p_systemic_annual / 12.0 {
            self.tally.systemic_events += 1;
            self.disrupted_until = self.disrupted_until.max(m.saturating_add(risk.recovery_months));
        }
    }

    fn market(&self) -> Market<'_> {
        Market {
            layout: self.cell.layout,
            open: &self.units.open,
            unit_price: &self.units.price,
            prices: &self.cell.prices,
            max_distance_km: self.cell.params.choice.max_distance_km,
            planned_tariff: self.units.planned_tariff,
        }
    }

    /// Step 2: the decisions due this month, in CCG index order.
    fn decide_month(&mut self, m: u32) {
        let mut last = None;
        while let Some(&(at, i)) = self.ccgs.decisions.get(self.next_decision) {
            if at != m {
                break;
            }
            self.next_decision += 1;
            // A CCG scheduled twice for the month decides once, for all its functions due.
            if last.replace(i) == Some(i) {
                continue;
            }
            if !self.stranded.is_empty() {
                self.send_stranded_private(Some(i));
            }
            let i = i as usize;
            let mask = Function::ALL
                .into_iter()
                .filter(|f| self.ccgs.links[i][f.index()] == (Link::Deciding { at: m }))
                .fold(0u8, |mask, f| mask | 1 << f.index());
            if mask != 0 {
                self.decide(i, mask);
            }
        }
        if !self.stranded.is_empty() {
            self.send_stranded_private(None);
        }
    }

    /// Sends the stranded national CCGs (no site open to re-assign them to) with an index
    /// below `before` (all, for `None`) to the private sector, each as one entry for all four
    /// functions (section 7, version 5).
    fn send_stranded_private(&mut self, before: Option<u32>) {
        let count = before.map_or(self.stranded.len(), |i| self.stranded.partition_point(|&s| s < i));
        let sent: Vec<u32> = self.stranded.drain(..count).collect();
        for ccg in sent {
            self.enqueue(ccg as usize, ALL_MASK, Choice::Private);
        }
    }

    /// Re-assigns, at the start of the month after national sites failed, the CCGs waiting in
    /// the national queue for a failed site and those a failed site onboarded in its last
    /// month, to the nearest site open now (ties: lower unit number), at no cost and keeping
    /// their place; with no site open, they become stranded (section 7, version 5). Sites that
    /// failed in the same month are thus handled together.
    fn reassign_to_open_sites(&mut self) {
        self.reassign = false;
        let layout = self.cell.layout;
        let open = &self.units.open;
        let nearest = |ccg: u32| {
            layout
                .by_distance(ccg as usize)
                .iter()
                .copied()
                .find(|&u| open[u as usize])
        };
        let ccgs = &mut self.ccgs;
        let mut stranded = std::mem::take(&mut self.stranded);
        ccgs.onboarded.retain_mut(|entry| {
            let Some(unit) = entry.unit.filter(|&u| !open[u as usize]) else {
                return true;
            };
            let new = nearest(entry.ccg);
            for f in functions_in(entry.mask) {
                let link = &mut ccgs.links[entry.ccg as usize][f];
                debug_assert_eq!(*link, Link::Onboarded(Provider::Unit(unit)));
                *link = match new {
                    Some(site) => Link::Onboarded(Provider::Unit(site)),
                    None => Link::Waiting,
                };
            }
            entry.unit = new;
            if new.is_none() {
                stranded.push(entry.ccg);
            }
            new.is_some()
        });
        let queue = &mut ccgs.onboarding[0];
        if open.iter().any(|&o| o) {
            for entry in queue.waiting_mut() {
                if entry.unit.is_some_and(|u| !open[u as usize]) {
                    entry.unit = nearest(entry.ccg);
                }
            }
        } else {
            stranded.extend(queue.drain_all().iter().map(|entry| entry.ccg));
        }
        stranded.sort_unstable();
        self.stranded = stranded;
    }

    /// One decision of CCG `i` for the functions in `mask` (section 7).
    fn decide(&mut self, i: usize, mask: u8) {
        let option = self.cell.option;
        let honoured = self.flags.traits.honours_preferences;
        if honoured && self.preference[i] == preference::IN_HOUSE {
            for f in functions_in(mask) {
                self.start(i, f, Provider::InHouse);
            }
            self.ccgs.in_house[i] = true;
            self.ccgs.price_paid[i] = Some(self.in_house_price(i));
            return;
        }
        if let Some(cost) = self.flags.transaction_cost {
            self.tally.transactions += cost;
            if let Some(log) = &mut self.log {
                log.direct[i] += cost;
            }
        }
        let wants_private = honoured && self.preference[i] == preference::OUTSIDE_NHS;
        let mut groups = [(0u8, Function::BusinessIntelligence); N_FUNCTIONS];
        let n_groups = match self.cell.layout.kind() {
            LayoutKind::Sites => {
                groups[0] = (
                    mask,
                    functions_in(mask)
                        .next()
                        .map_or(Function::BusinessIntelligence, |f| Function::ALL[f]),
                );
                1
            }
            LayoutKind::Teams => {
                let mut count = 0;
                for f in functions_in(mask) {
                    groups[count] = (1 << f, Function::ALL[f]);
                    count += 1;
                }
                count
            }
        };
        let budget = self.budget[i];
        for &(group, function) in &groups[..n_groups] {
            let market = self.market();
            let choice = if wants_private {
                Choice::Private
            } else {
                let request = Request {
                    ccg: i,
                    budget,
                    function,
                };
                self.switch_rule(option.choose(&market, &request))
            };
            self.ccgs.price_paid[i] = Some(option.price_paid(&market, choice));
            self.enqueue(i, group, choice);
        }
    }

    /// Sends a CCG to the private sector if its unit's expected wait is too long (section 7).
    fn switch_rule(&self, choice: Choice) -> Choice {
        match choice {
            Choice::Unit(unit) if self.flags.traits.switch_rule => {
                let wait = self.ccgs.onboarding[self.queue_of(unit)].expected_wait() as f64;
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
        if self.flags.traits.national_queue { 0 } else { unit }
    }

    fn enqueue(&mut self, i: usize, mask: u8, choice: Choice) {
        let entry = Entry {
            ccg: i as u32,
            mask,
            unit: None,
        };
        match choice {
            Choice::Unit(unit) => {
                let queue = self.queue_of(unit);
                self.ccgs.onboarding[queue].push(Entry {
                    unit: Some(unit as u32),
                    ..entry
                });
            }
            Choice::Private => self.ccgs.private_queue.push(entry),
        }
        for f in functions_in(mask) {
            self.ccgs.links[i][f] = Link::Waiting;
        }
    }

    /// Step 3: each queue takes up to its slots; those onboarded are in service next month.
    fn onboard(&mut self) {
        for queue in self
            .ccgs
            .onboarding
            .iter_mut()
            .chain(std::iter::once(&mut self.ccgs.private_queue))
        {
            self.ccgs.onboarded.extend(queue.take_month());
        }
        for entry in &self.ccgs.onboarded {
            let provider = entry.unit.map_or(Provider::Private, Provider::Unit);
            for f in functions_in(entry.mask) {
                self.ccgs.links[entry.ccg as usize][f] = Link::Onboarded(provider);
            }
        }
    }

    /// Puts last month's onboarded CCG-functions in service (unless their unit failed since).
    fn start_onboarded(&mut self) {
        let onboarded = std::mem::take(&mut self.ccgs.onboarded);
        for entry in &onboarded {
            let provider = entry.unit.map_or(Provider::Private, Provider::Unit);
            let ccg = entry.ccg as usize;
            let starting = functions_in(entry.mask)
                .filter(|&f| self.ccgs.links[ccg][f] == Link::Onboarded(provider))
                .fold(0u8, |mask, f| mask | 1 << f);
            match provider {
                Provider::Unit(unit) => self.start_with_unit(ccg, starting, unit as usize),
                Provider::Private | Provider::InHouse => {
                    for f in functions_in(starting) {
                        self.start(ccg, f, provider);
                    }
                }
            }
        }
        self.ccgs.onboarded = onboarded;
        self.ccgs.onboarded.clear();
    }

    /// Puts CCG-function `(i, f)` (a function index) in service with `provider` from the
    /// current month.
    fn start(&mut self, i: usize, f: usize, provider: Provider) {
        let service = match provider {
            Provider::Unit(unit) => return self.start_with_unit(i, 1 << f, unit as usize),
            Provider::Private => Service::Private,
            Provider::InHouse => {
                let monthly_cost = self.in_house_annual(i, Function::ALL[f]) / 12.0;
                if let Some(log) = &mut self.log {
                    // In-house provision never ends: it costs every operating month from now.
                    let time = &self.cell.params.time;
                    let months = time.months.saturating_sub(self.month.max(time.go_live_month));
                    log.direct[i] += monthly_cost * f64::from(months);
                }
                Service::InHouse { monthly_cost }
            }
        };
        self.ccgs.links[i][f] = Link::Serving(provider);
        if let Some(leverage) = self.flags.leverage
            && f == Function::ClinicalProcurement.index()
        {
            // Private and in-house provision never ends: the CCG negotiates alone from now on.
            self.alone_saving += leverage.month(self.cell.populations[i]);
        }
        let full = self.routes.start(i, f, service, self.month as usize);
        self.record_full(i, full);
    }

    /// Puts the functions in `mask` of CCG `i` in service with `unit` from the current month,
    /// looking the distance and population up once.
    #[inline(always)]
    fn start_with_unit(&mut self, i: usize, mask: u8, unit: usize) {
        let km = self.distance(i, unit);
        let population = self.cell.populations[i];
        if mask != 0 {
            if self.ccgs.unit_links[unit] == 0 {
                self.units_serving += 1;
            }
            self.ccgs.unit_links[unit] += mask.count_ones();
        }
        for f in functions_in(mask) {
            self.ccgs.links[i][f] = Link::Serving(Provider::Unit(unit as u32));
            let desk = self.units.desk_of[unit][f] as usize;
            let service = Service::Desk { desk, km, population };
            let full = self.routes.start(i, f, service, self.month as usize);
            self.desks.population_changed(desk);
            self.record_full(i, full);
        }
    }

    /// Records the month CCG `i` first has all four functions in service, once `full`.
    fn record_full(&mut self, i: usize, full: bool) {
        if full && self.ccgs.first_full[i].is_none() {
            self.ccgs.first_full[i] = Some(self.month);
            self.contracted += 1;
        }
    }

    fn distance(&self, i: usize, unit: usize) -> f64 {
        self.cell.layout.km(i, unit)
    }

    /// Records contract progress in month `m`; first-full months are set as functions start.
    fn track_contracts(&mut self, m: u32) {
        if m == self.cell.params.time.go_live_month {
            let short = self
                .routes
                .in_service
                .iter()
                .filter(|&&c| (c as usize) < N_FUNCTIONS)
                .count();
            self.tally.uncontracted_at_go_live = short as u32;
            if let Some(log) = &mut self.log {
                for (gap, &count) in log.gaps.iter_mut().zip(&self.routes.in_service) {
                    *gap = usize::from(count) < N_FUNCTIONS;
                }
            }
        }
        self.tally.contracted_by_month[m as usize] = f64::from(self.contracted);
    }

    /// Step 4a: books the month's costs of who is in service (section 6); the demand itself is
    /// booked by the routes.
    fn account_running_costs(&mut self) {
        let routes = &self.routes;
        let tally = &mut self.tally;
        tally.in_house += routes.in_house_cost;
        tally.distance += routes.distance_cost;
        tally.distance_weighted += routes.population_km;
        tally.distance_weight += routes.population;
        if self.flags.traits.layout == LayoutKind::Teams {
            tally.coordination += self.cell.params.costs.coordination_cost / 12.0 * f64::from(routes.extra_units);
        }
        tally.units_serving += u64::from(self.units_serving);
        if let Some(leverage) = self.flags.leverage {
            let saving = self.alone_saving + self.negotiated_saving(leverage);
            self.tally.leverage += saving;
        }
    }

    /// Returns this month's leverage saving of the CCGs in service with NHS units for clinical
    /// procurement (section 5a): one negotiator for all of them under national and network,
    /// else one per unit \[GBP\].
    fn negotiated_saving(&self, leverage: Leverage) -> f64 {
        let procurement = self
            .units
            .desks
            .iter()
            .zip(&self.routes.qact)
            .filter(|(desk, _)| desk.function == Function::ClinicalProcurement)
            .map(|(_, &population)| population);
        if leverage.national {
            leverage.month(procurement.sum())
        } else {
            procurement.map(|population| leverage.month(population)).sum()
        }
    }

    /// Books the demand that went to sinks over the horizon, and the whole demand.
    fn account_sinks(&mut self) {
        self.routes.close();
        let routes = &self.routes;
        let tally = &mut self.tally;
        for f in 0..N_FUNCTIONS {
            let private = routes.sunk(Sink::Private, f);
            tally.demand[f] = self.draws.demand().total(f, routes.months());
            tally.served_private += private;
            tally.private += self.cell.prices.private[f] * private;
            tally.served_in_house += routes.sunk(Sink::InHouse, f);
            tally.unmet_uncontracted[f] += routes.sunk(Sink::Uncontracted, f);
            tally.unmet_failure[f] += routes.sunk(Sink::Failure, f);
        }
    }

    /// Steps 4b-4e: service, pooling, loss, ageing and unit running costs (sections 5 and 6).
    fn serve_month(&mut self, m: u32) {
        self.desks.refresh(&self.routes.qact);
        self.desks.serve_month(
            self.routes.arrivals(),
            self.routes.months(),
            m as usize,
            m < self.disrupted_until,
            self.flags.pooling,
            &mut self.tally,
            self.log.as_mut().map(|log| (&mut log.desks, &self.routes.qact[..])),
        );
        if let Some(overhead) = self.flags.shared_overhead {
            self.tally.shared_fixed += shared_fixed_cost(self.cell.params) / 12.0;
            self.tally.overheads += overhead / 12.0;
        }
    }

    /// Step 5: each open unit fails with probability `p_fail_annual / 12` (section 7); the
    /// months were found from the draws when the units were set up.
    fn failure_draws(&mut self, m: u32) {
        while let Some(&(month, unit)) = self.units.failures.get(self.next_failure) {
            if month > m {
                break;
            }
            self.next_failure += 1;
            if self.units.open[unit] {
                self.fail(unit, m);
            }
        }
    }

    /// Closes a unit from `m + 1`: its queued work is lost, and its CCGs re-decide (section 7).
    fn fail(&mut self, unit: usize, m: u32) {
        self.units.open[unit] = false;
        self.tally.failures_operating += 1;
        if let Some(log) = &mut self.log {
            log.desks.failed(unit);
        }
        for f in Function::ALL {
            let desk = self.units.desk_of[unit][f.index()];
            if desk != NO_DESK {
                if let Some(log) = &mut self.log {
                    // Served and aged: bucket k holds the arrivals of month m + 1 - k.
                    let buckets = self.desks.queues.desk(desk as usize);
                    log.desks
                        .unserved_queue(Unserved::Failure, desk as usize, m as usize + 1, buckets);
                }
                self.tally.unmet_failure[f.index()] += self.desks.close(desk as usize);
            }
        }
        if self.ccgs.unit_links[unit] > 0 {
            // Every CCG-function in service with the unit leaves it below.
            self.units_serving -= 1;
        }
        let mut moved = vec![(0u8, 0u8); self.ccgs.links.len()];
        let national = self.flags.traits.national_queue;
        if national {
            // Version 5: the national queue keeps its CCGs and their places; those waiting for
            // this site, or onboarded by it this month, are re-assigned next month
            // ([`Simulation::reassign_to_open_sites`]), and the queue loses the site's slots.
            let queue = &mut self.ccgs.onboarding[0];
            queue.slots = queue.slots.saturating_sub(self.units.slots[unit]);
            self.reassign = true;
        } else {
            for entry in self.ccgs.onboarding[unit].drain_all() {
                moved[entry.ccg as usize].1 |= entry.mask;
            }
        }
        for (i, links) in self.ccgs.links.iter().enumerate() {
            for f in Function::ALL {
                match links[f.index()] {
                    Link::Serving(Provider::Unit(u)) if u as usize == unit => moved[i].0 |= 1 << f.index(),
                    // A CCG onboarded this month counts as still waiting (section 7 fine print).
                    Link::Onboarded(Provider::Unit(u)) if u as usize == unit && !national => {
                        moved[i].1 |= 1 << f.index()
                    }
                    _ => {}
                }
            }
        }
        let transition = self.cell.params.costs.transition_cost_per_head;
        for (i, &(serving, waiting)) in moved.iter().enumerate() {
            if serving | waiting == 0 {
                continue;
            }
            let population = self.cell.populations[i];
            let cost = transition * population * f64::from(serving.count_ones()) / N_FUNCTIONS as f64;
            self.tally.transition += cost;
            if let Some(log) = &mut self.log {
                log.direct[i] += cost;
            }
            let km = self.distance(i, unit);
            for f in functions_in(serving) {
                let desk = self.units.desk_of[unit][f] as usize;
                self.routes.fail(i, f, desk, km, population, m as usize + 1);
                self.desks.population_changed(desk);
            }
            self.ccgs.unit_links[unit] -= serving.count_ones();
            let at = m.saturating_add(self.redecision_delay(i));
            self.schedule(i, serving | waiting, at);
        }
    }

    /// Months until a re-decision: a fresh procurement draw (at least 1), or 1 when mandated.
    fn redecision_delay(&mut self, i: usize) -> u32 {
        match self.cell.option.procurement(self.cell.params) {
            Some(p) => {
                let count = self.ccgs.reprocurements[i];
                self.ccgs.reprocurements[i] += 1;
                p.duration.months(self.draws.reprocurement(i, count)).max(1)
            }
            None => 1,
        }
    }

    /// Works out the results by place, when the cell records them; call after the books are
    /// closed ([`Simulation::account_sinks`]).
    fn places(&mut self) -> Option<Places> {
        let log = self.log.as_mut()?;
        let months = self.routes.months();
        for d in 0..self.units.desks.len() {
            // After the last month, bucket k holds the arrivals of month H - k.
            log.desks
                .unserved_queue(Unserved::Residual, d, months, self.desks.queues.desk(d));
        }
        let log = self.log.as_mut()?;
        let routes = self.routes.log.as_ref()?;
        let tally = &self.tally;
        let params = self.cell.params;
        let (layout, units) = (self.cell.layout, &self.units);
        let km = |i: usize, desk: usize| layout.km(i, units.desks[desk].unit);
        let mut ledger = Ledger {
            routes,
            desks: &mut log.desks,
            arrivals: self.routes.arrivals(),
            demand: self.draws.demand(),
            km: &km,
            go_live: params.time.go_live_month as usize,
            months,
            distance_cost_month: params.costs.distance_cost_per_km / 12.0,
            private_price: self.cell.prices.private,
            unmet_penalty: params.value.unmet_penalty,
            populations: &self.cell.populations,
            direct: &log.direct,
            shared: tally.units + tally.shared_fixed + tally.overheads + tally.coordination + tally.remote,
            gaps: &log.gaps,
            annualise: params.annualise(),
        };
        let ccgs = ledger.ccgs();
        Some(Places {
            ccgs,
            units: log.desks.units.clone(),
        })
    }

    /// Returns CCG `i`'s yearly in-house cost of function `f`:
    /// `in_house_fixed_share * F_f + v_f (1 + in_house_premium) P_i` (base parameters) \[GBP\].
    fn in_house_annual(&self, i: usize, f: Function) -> f64 {
        let params = self.cell.params;
        let fp = params.function(f);
        params.costs.in_house_fixed_share * fp.fixed_cost
            + fp.variable_cost * (1.0 + params.costs.in_house_premium) * self.cell.populations[i]
    }

    /// Returns CCG `i`'s in-house cost per head for all four functions \[GBP/year\].
    fn in_house_price(&self, i: usize) -> f64 {
        let annual: f64 = Function::ALL.into_iter().map(|f| self.in_house_annual(i, f)).sum();
        annual / self.cell.populations[i]
    }

    /// Works out the metrics and leaves the cell's buffers in `workspace`.
    fn finish(mut self, workspace: &mut Workspace) -> Outcome {
        self.account_sinks();
        let mut residual_by_function = [0.0; N_FUNCTIONS];
        for (d, desk) in self.units.desks.iter().enumerate() {
            residual_by_function[desk.function.index()] += self.desks.queues.total(d);
        }
        let residual: f64 = residual_by_function.iter().sum();
        let cell = self.cell;
        let params = cell.params;
        let n = self.ccgs.links.len() as f64;
        let (overridden, overridden_population) = self.overridden();
        let over_budget = self
            .ccgs
            .price_paid
            .iter()
            .zip(self.budget)
            .filter(|(paid, budget)| paid.is_some_and(|p| p > **budget))
            .count();
        let ccgs = &mut self.ccgs;
        let ready = self.ready;
        ccgs.contract_months.extend(
            (0..ccgs.links.len())
                .filter(|&i| !ccgs.in_house[i])
                .filter_map(|i| ccgs.first_full[i].map(|m| f64::from(m) - f64::from(ready[i]))),
        );
        let tally = &mut self.tally;
        let mut values = [f64::NAN; N_METRICS];
        tally.write_costs(
            &mut values,
            params,
            &cell.prices,
            &residual_by_function,
            cell.register.total_population(),
        );
        values[Metric::UnitsServingMean as usize] = tally.units_serving as f64 / f64::from(params.operating_months());
        tally.write_values(
            &mut values,
            params,
            overridden_population,
            cell.register.total_population(),
        );
        let demand = tally.demand.iter().sum::<f64>();
        values[Metric::ResidualShare as usize] = residual / demand;
        values[Metric::UncontractedAtGoLive as usize] = f64::from(tally.uncontracted_at_go_live);
        values[Metric::MonthsToContract as usize] = mean(&self.ccgs.contract_months);
        values[Metric::PreferenceOverridden as usize] = overridden as f64 / n;
        values[Metric::OverBudgetShare as usize] = over_budget as f64 / n;
        values[Metric::FailuresCheckpoint as usize] = f64::from(tally.failures_checkpoint);
        values[Metric::FailuresOperating as usize] = f64::from(tally.failures_operating);
        values[Metric::SystemicEvents as usize] = f64::from(tally.systemic_events);
        tally.write_service(&mut values);
        let served = tally.served_units + tally.served_private + tally.served_in_house;
        let unmet: f64 = tally.unmet_total();
        let places = self.places().map(Box::new);
        let tally = &mut self.tally;
        let outcome = Outcome {
            values,
            work: WorkLedger {
                demand,
                served,
                unmet,
                residual,
            },
            contracted_by_month: std::mem::take(&mut tally.contracted_by_month),
            places,
        };
        self.hand_over(workspace);
        outcome
    }

    /// Section 5a: under national and network every in-house or outside-NHS preference is
    /// overridden, whether or not the CCG is onboarded within the horizon. Returns the count
    /// and population of the CCGs overridden.
    fn overridden(&self) -> (usize, f64) {
        let cell = self.cell;
        if cell.option.traits().honours_preferences {
            return (0, 0.0);
        }
        self.preference
            .iter()
            .zip(&cell.populations)
            .filter(|&(&p, _)| p == preference::IN_HOUSE || p == preference::OUTSIDE_NHS)
            .fold((0, 0.0), |(count, population), (_, &p_i)| (count + 1, population + p_i))
    }

    /// Leaves the cell's buffers in `workspace` for the worker's next cell.
    fn hand_over(mut self, workspace: &mut Workspace) {
        workspace.utilisation = std::mem::take(&mut self.tally.utilisation);
        workspace.units = Some(self.units);
        workspace.desks = Some(self.desks);
        if let (Some(route_log), Some(log)) = (self.routes.log.take(), self.log.take()) {
            workspace.places = Some((route_log, log.desks));
        }
        workspace.routes = Some(self.routes.into_buffers());
        workspace.ccgs = Some(self.ccgs);
    }
}

/// Sorts decisions `(month, CCG)` listed in CCG order, every month below `months`, by month
/// and then CCG: a counting sort, stable, so CCG order holds within each month. `scratch`
/// is swapped in as the sorted list.
fn sort_by_month(decisions: &mut Vec<(u32, u32)>, scratch: &mut Vec<(u32, u32)>, months: usize) {
    let mut next = vec![0usize; months + 1];
    for &(at, _) in decisions.iter() {
        next[at as usize + 1] += 1;
    }
    for m in 1..=months {
        next[m] += next[m - 1];
    }
    scratch.clear();
    scratch.resize(decisions.len(), (0, 0));
    for &(at, i) in decisions.iter() {
        scratch[next[at as usize]] = (at, i);
        next[at as usize] += 1;
    }
    std::mem::swap(decisions, scratch);
}

/// Returns the arithmetic mean, or NaN for no values.
fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_sort_by_month_then_ccg() {
        let mut decisions = vec![(4, 0), (2, 1), (4, 2), (0, 3), (2, 4), (5, 5)];
        sort_by_month(&mut decisions, &mut Vec::new(), 6);
        assert_eq!(decisions, vec![(0, 3), (2, 1), (2, 4), (4, 0), (4, 2), (5, 5)]);
    }

    #[test]
    fn masks_list_their_functions() {
        let listed: Vec<usize> = functions_in(0b1010).collect();
        assert_eq!(
            listed,
            vec![Function::ClinicalProcurement.index(), Function::Communications.index()]
        );
        assert_eq!(functions_in(ALL_MASK).count(), 4);
    }
}
