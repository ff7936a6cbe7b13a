//! Where each CCG-function's demand goes, and running totals of who is in service.
//!
//! Providers change only at rare events (a decision, an onboarding, a failure), while demand
//! arrives every month for every CCG-function. So each CCG-function keeps a route: the index of
//! a desk (unit-function) or of a sink (private, in-house, uncontracted, failure; one per
//! function), changed at events, and the month its route began. Work is handed over at the
//! events rather than month by month:
//! - a CCG-function that starts with a desk adds its demand of every remaining month to the
//!   desk's monthly arrivals (a desk is never reopened once its unit fails, so a row it no
//!   longer serves is never read);
//! - a sink only needs its horizon total, so a route that leaves a sink adds the demand of the
//!   months it spent there.
//!
//! The populations, distances and costs that depend only on who is in service are running
//! totals too, instead of being recounted every month.

use super::buffers::{emptied, refill};
use super::draws::Demand;
use super::places::{RouteLog, Stretch};
use crate::model::N_FUNCTIONS;

/// Kinds of sink, after the desks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sink {
    /// Served by the private sector.
    Private = 0,
    /// Served in-house.
    InHouse = 1,
    /// Unmet: no provider yet.
    Uncontracted = 2,
    /// Unmet: the provider failed and no other has taken over.
    Failure = 3,
}

/// Number of sinks: one of each kind per function.
const N_SINKS: usize = 4 * N_FUNCTIONS;

/// A provider as the routes see it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Service {
    /// A desk, with the CCG's distance to it \[km\] and population \[people\].
    Desk { desk: usize, km: f64, population: f64 },
    /// The private sector.
    Private,
    /// In-house, with its monthly cost \[GBP\].
    InHouse { monthly_cost: f64 },
}

/// Routes and running totals of one cell.
#[derive(Clone, Debug)]
pub(super) struct Routes<'d> {
    demand: &'d Demand,
    n_desks: usize,
    months: usize,
    /// First month with demand: a desk's arrivals before it are all zero.
    go_live: usize,
    routes: Vec<u32>,
    since: Vec<u32>,
    arrivals: Vec<f64>,
    sinks: [f64; N_SINKS],
    /// Population in service with each desk, `Qact` \[people\].
    pub qact: Vec<f64>,
    /// Functions in service per CCG (any provider).
    pub in_service: Vec<u8>,
    nhs_units: Vec<u8>,
    /// Sum over CCGs of NHS units in service beyond the first.
    pub extra_units: u32,
    /// Monthly distance cost of every CCG-function in service with a desk \[GBP\].
    pub distance_cost: f64,
    /// Sum of population x distance over CCG-functions in service with a desk.
    pub population_km: f64,
    /// Sum of population over CCG-functions in service with a desk.
    pub population: f64,
    /// Monthly cost of every CCG-function in service in-house \[GBP\].
    pub in_house_cost: f64,
    distance_cost_per_km_month: f64,
    /// Each CCG-function's sinks and desk stretches, when places are recorded.
    pub log: Option<RouteLog>,
}

/// The vectors of a cell's [`Routes`], kept for the next cell ([`super::Workspace`]).
#[derive(Clone, Debug, Default)]
pub(super) struct RouteBuffers {
    routes: Vec<u32>,
    since: Vec<u32>,
    arrivals: Vec<f64>,
    qact: Vec<f64>,
    in_service: Vec<u8>,
    nhs_units: Vec<u8>,
}

impl<'d> Routes<'d> {
    /// Creates routes for `n_ccgs` CCGs and `n_desks` desks, everyone uncontracted; demand
    /// starts in month `go_live`, and the horizon is `horizon` months (at most `demand`'s).
    /// The vectors are those of `spare` (a finished cell's) when given.
    pub fn new(
        demand: &'d Demand,
        (n_ccgs, n_desks): (usize, usize),
        (go_live, horizon): (usize, usize),
        distance_cost_per_km: f64,
        spare: Option<RouteBuffers>,
    ) -> Routes<'d> {
        let months = horizon.min(demand.months());
        let spare = spare.unwrap_or_default();
        let mut routes = emptied(spare.routes);
        routes.extend(
            (0..n_ccgs * N_FUNCTIONS)
                .map(|cf| (n_desks + Sink::Uncontracted as usize * N_FUNCTIONS + cf % N_FUNCTIONS) as u32),
        );
        Routes {
            demand,
            n_desks,
            months,
            go_live: go_live.min(months),
            routes,
            since: refill(spare.since, n_ccgs * N_FUNCTIONS, 0),
            arrivals: refill(spare.arrivals, n_desks * months, 0.0),
            sinks: [0.0; N_SINKS],
            qact: refill(spare.qact, n_desks, 0.0),
            in_service: refill(spare.in_service, n_ccgs, 0),
            nhs_units: refill(spare.nhs_units, n_ccgs, 0),
            extra_units: 0,
            distance_cost: 0.0,
            population_km: 0.0,
            population: 0.0,
            in_house_cost: 0.0,
            distance_cost_per_km_month: distance_cost_per_km / 12.0,
            log: None,
        }
    }

    /// Logs each CCG-function's sinks and desk stretches from now on (for places), in the
    /// buffers of `log` (a finished cell's, or a new one).
    pub fn with_log(mut self, log: RouteLog) -> Routes<'d> {
        self.log = Some(log.reset(self.routes.len()));
        self
    }

    fn sink(&self, kind: Sink, function: usize) -> u32 {
        (self.n_desks + kind as usize * N_FUNCTIONS + function) as u32
    }

    /// Books the demand CCG-function `cf` sent to its sink, if its route is one, from the
    /// month the route began to month `month`.
    fn settle(&mut self, cf: usize, month: usize) {
        if let Some(sink) = (self.routes[cf] as usize).checked_sub(self.n_desks) {
            // No demand before go-live.
            let from = (self.since[cf] as usize).max(self.go_live);
            if from < month {
                let work = self.demand.between(cf, from, month);
                self.sinks[sink] += work;
                if let Some(log) = &mut self.log {
                    log.sinks[cf][sink / N_FUNCTIONS] += work;
                }
            }
        } else if let Some(log) = &mut self.log {
            log.stretches.push(Stretch {
                cf: cf as u32,
                desk: self.routes[cf],
                from: self.since[cf],
                to: month as u32,
            });
        }
    }

    /// Sends CCG-function `cf`'s demand from month `month` on to `route`.
    #[inline(always)]
    fn reroute(&mut self, cf: usize, route: u32, month: usize) {
        self.settle(cf, month);
        self.routes[cf] = route;
        self.since[cf] = month as u32;
        let desk = route as usize;
        if desk < self.n_desks {
            let from = month.max(self.go_live).min(self.months);
            let arrivals = &mut self.arrivals[desk * self.months..(desk + 1) * self.months];
            for (total, work) in arrivals[from..].iter_mut().zip(&self.demand.row(cf)[from..]) {
                *total += work;
            }
        }
    }

    /// Puts CCG-function `(ccg, f)` in service with `service` from month `month` on; returns
    /// true when the CCG now has all four functions in service.
    #[inline(always)]
    pub fn start(&mut self, ccg: usize, f: usize, service: Service, month: usize) -> bool {
        self.in_service[ccg] += 1;
        let route = match service {
            Service::Desk { desk, km, population } => {
                self.qact[desk] += population;
                self.distance_cost += self.distance_cost_per_km_month * km;
                self.population_km += population * km;
                self.population += population;
                self.nhs_units[ccg] += 1;
                if self.nhs_units[ccg] >= 2 {
                    self.extra_units += 1;
                }
                desk as u32
            }
            Service::Private => self.sink(Sink::Private, f),
            Service::InHouse { monthly_cost } => {
                self.in_house_cost += monthly_cost;
                self.sink(Sink::InHouse, f)
            }
        };
        self.reroute(ccg * N_FUNCTIONS + f, route, month);
        usize::from(self.in_service[ccg]) == N_FUNCTIONS
    }

    /// Takes CCG-function `(ccg, f)` out of service with a failed desk: its demand from month
    /// `month` on is unmet (failure) until it starts again.
    pub fn fail(&mut self, ccg: usize, f: usize, desk: usize, km: f64, population: f64, month: usize) {
        self.in_service[ccg] -= 1;
        self.qact[desk] -= population;
        self.distance_cost -= self.distance_cost_per_km_month * km;
        self.population_km -= population * km;
        self.population -= population;
        if self.nhs_units[ccg] >= 2 {
            self.extra_units -= 1;
        }
        self.nhs_units[ccg] -= 1;
        self.reroute(ccg * N_FUNCTIONS + f, self.sink(Sink::Failure, f), month);
    }

    /// Returns the work routed to each desk in each month, a row of [`Routes::months`] values
    /// per desk \[population-years\].
    pub fn arrivals(&self) -> &[f64] {
        &self.arrivals
    }

    /// Returns the number of months in the horizon.
    pub fn months(&self) -> usize {
        self.months
    }

    /// Closes the books at the horizon: every route still on a sink hands over its remaining
    /// months. Call once, after the last month.
    pub fn close(&mut self) {
        // A desk already holds the work of every month it serves, so only sinks are left (and
        // the stretches of a log).
        for cf in 0..self.routes.len() {
            self.settle(cf, self.months);
        }
    }

    /// Returns the vectors for the next cell.
    pub fn into_buffers(self) -> RouteBuffers {
        RouteBuffers {
            routes: self.routes,
            since: self.since,
            arrivals: self.arrivals,
            qact: self.qact,
            in_service: self.in_service,
            nhs_units: self.nhs_units,
        }
    }

    /// Returns the work sent to a sink for function `f` over the horizon; complete after
    /// [`Routes::close`] \[population-years\].
    pub fn sunk(&self, kind: Sink, f: usize) -> f64 {
        self.sinks[kind as usize * N_FUNCTIONS + f]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ReplicationDraws;

    /// Demand of two CCGs of 12 and 24 people over 4 months from go-live month 1, with no
    /// noise: 1 and 2 population-years a month for every function.
    fn flat_demand() -> ReplicationDraws {
        let mut draws = ReplicationDraws::new(1, 0, 2, 4);
        draws.prepare_demand(0.0, 0.0, 1, &[12.0, 24.0]);
        draws
    }

    fn desk(desk: usize, km: f64, population: f64) -> Service {
        Service::Desk { desk, km, population }
    }

    #[test]
    fn demand_follows_routes_and_totals_follow_starts_and_failures() {
        let draws = flat_demand();
        let mut routes = Routes::new(draws.demand(), (2, 3), (1, 4), 1200.0, None);
        routes.start(0, 1, desk(2, 10.0, 100.0), 0);
        routes.start(1, 1, desk(2, 20.0, 50.0), 2);
        routes.start(1, 0, Service::Private, 1);
        assert_eq!(routes.qact[2], 150.0);
        assert_eq!(routes.distance_cost, 100.0 * 30.0);
        assert_eq!(&routes.arrivals()[2 * 4..3 * 4], &[0.0, 1.0, 3.0, 3.0]);
        routes.fail(1, 1, 2, 20.0, 50.0, 3);
        assert_eq!(routes.qact[2], 100.0);
        assert_eq!(routes.in_service, vec![1, 1]);
        routes.close();
        assert_eq!(routes.sunk(Sink::Private, 0), 6.0);
        assert_eq!(routes.sunk(Sink::Uncontracted, 0), 3.0);
        assert_eq!(routes.sunk(Sink::Uncontracted, 1), 2.0);
        assert_eq!(routes.sunk(Sink::Failure, 1), 2.0);
        assert_eq!(routes.sunk(Sink::Uncontracted, 3), 3.0 + 6.0);
        assert_eq!(routes.sunk(Sink::InHouse, 2), 0.0);
        // Every month of every CCG-function went to exactly one place: a desk while it was
        // in service there, or a sink.
        let to_desk = 1.0 + 1.0 + 1.0 + 2.0;
        let sunk: f64 = (0..N_FUNCTIONS)
            .flat_map(|f| [Sink::Private, Sink::InHouse, Sink::Uncontracted, Sink::Failure].map(|k| routes.sunk(k, f)))
            .sum();
        let total: f64 = (0..N_FUNCTIONS).map(|f| draws.demand().total(f, 4)).sum();
        assert_eq!(to_desk + sunk, total);
    }

    #[test]
    fn a_shorter_horizon_sees_only_its_months() {
        let draws = flat_demand();
        let mut routes = Routes::new(draws.demand(), (2, 3), (1, 3), 0.0, None);
        routes.start(0, 1, desk(2, 10.0, 100.0), 0);
        assert_eq!(routes.arrivals().len(), 3 * 3);
        assert_eq!(&routes.arrivals()[2 * 3..3 * 3], &[0.0, 1.0, 1.0]);
        routes.close();
        // Both CCGs' business intelligence stays uncontracted: months 1 and 2 only.
        assert_eq!(routes.sunk(Sink::Uncontracted, 0), (1.0 + 1.0) + (2.0 + 2.0));
        assert_eq!(draws.demand().total(0, 3), 1.0 + 1.0 + 2.0 + 2.0);
        assert_eq!(draws.demand().total(0, 4), 3.0 + 6.0);
    }

    #[test]
    fn extra_units_count_nhs_units_beyond_the_first() {
        let draws = flat_demand();
        let mut routes = Routes::new(draws.demand(), (1, 4), (1, 4), 0.0, None);
        for f in 0..3 {
            routes.start(0, f, desk(f, 1.0, 1.0), 0);
        }
        routes.start(0, 3, Service::Private, 0);
        assert_eq!(routes.extra_units, 2);
        routes.fail(0, 0, 0, 1.0, 1.0, 1);
        assert_eq!(routes.extra_units, 1);
    }
}
