//! Where each CCG-function's demand goes this month, and running totals of who is in service.
//!
//! Providers change only at rare events (a decision, an onboarding, a failure), while demand
//! arrives every month for every CCG-function. So each CCG-function keeps a route: the index of
//! a desk (unit-function) or of a sink (private, in-house, uncontracted, failure; one per
//! function), updated at events. A month's demand is then routed in one branch-free pass, and
//! the populations, distances and costs that depend only on who is in service are kept as
//! running totals instead of being recounted every month.

use crate::model::N_FUNCTIONS;

/// Partial sums kept apart while routing a month's demand.
const LANES: usize = 4;

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
pub(super) struct Routes {
    n_desks: usize,
    routes: Vec<u32>,
    sinks: Vec<f64>,
    lanes: Vec<f64>,
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
}

impl Routes {
    /// Creates routes for `n_ccgs` CCGs and `n_desks` desks, everyone uncontracted.
    pub fn new(n_ccgs: usize, n_desks: usize, distance_cost_per_km: f64) -> Routes {
        let mut routes = Routes {
            n_desks,
            routes: vec![0; n_ccgs * N_FUNCTIONS],
            sinks: vec![0.0; n_desks + 4 * N_FUNCTIONS],
            lanes: vec![0.0; LANES * (n_desks + 4 * N_FUNCTIONS)],
            qact: vec![0.0; n_desks],
            in_service: vec![0; n_ccgs],
            nhs_units: vec![0; n_ccgs],
            extra_units: 0,
            distance_cost: 0.0,
            population_km: 0.0,
            population: 0.0,
            in_house_cost: 0.0,
            distance_cost_per_km_month: distance_cost_per_km / 12.0,
        };
        for cf in 0..n_ccgs * N_FUNCTIONS {
            routes.set_route(cf, routes.sink(Sink::Uncontracted, cf % N_FUNCTIONS));
        }
        routes
    }

    /// Writes a route; every route is below the number of sinks, which [`Routes::route`] relies on.
    fn set_route(&mut self, cf: usize, route: u32) {
        assert!((route as usize) < self.sinks.len(), "route {route} out of range");
        self.routes[cf] = route;
    }

    fn sink(&self, kind: Sink, function: usize) -> u32 {
        (self.n_desks + kind as usize * N_FUNCTIONS + function) as u32
    }

    /// Puts CCG-function `(ccg, f)` in service with `service` from now on; returns true when
    /// the CCG now has all four functions in service.
    pub fn start(&mut self, ccg: usize, f: usize, service: Service) -> bool {
        let cf = ccg * N_FUNCTIONS + f;
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
        self.set_route(cf, route);
        usize::from(self.in_service[ccg]) == N_FUNCTIONS
    }

    /// Takes CCG-function `(ccg, f)` out of service with a failed desk: its demand is unmet
    /// (failure) until it starts again.
    pub fn fail(&mut self, ccg: usize, f: usize, desk: usize, km: f64, population: f64) {
        self.in_service[ccg] -= 1;
        self.qact[desk] -= population;
        self.distance_cost -= self.distance_cost_per_km_month * km;
        self.population_km -= population * km;
        self.population -= population;
        if self.nhs_units[ccg] >= 2 {
            self.extra_units -= 1;
        }
        self.nhs_units[ccg] -= 1;
        self.set_route(ccg * N_FUNCTIONS + f, self.sink(Sink::Failure, f));
    }

    /// Routes one month's demand (indexed `i * 4 + f`) to desks and sinks.
    ///
    /// Neighbouring CCGs mostly share a desk, so a single array of sums would make every add
    /// wait for the previous store to the same place. CCGs are spread over [`LANES`] partial
    /// sums (CCG index modulo LANES), added up at the end, so the adds overlap.
    pub fn route(&mut self, demand: &[f64]) {
        let n_sinks = self.sinks.len();
        self.lanes.fill(0.0);
        let block = LANES * N_FUNCTIONS;
        let routes = self.routes.chunks(block);
        for (routes, demand) in routes.zip(demand.chunks(block)) {
            for (idx, (&route, &work)) in routes.iter().zip(demand).enumerate() {
                // idx / N_FUNCTIONS (< LANES) is the CCG's place in its block of LANES CCGs.
                let slot = (idx / N_FUNCTIONS) * n_sinks + route as usize;
                // SAFETY: `lanes` holds LANES * n_sinks values, idx / N_FUNCTIONS < LANES, and
                // every route is below n_sinks: `set_route` asserts it whenever a route is
                // written. This is the engine's hottest loop; the bounds check cost 10% of a
                // national cell (cargo bench -- replication/national/23: 125 -> 113 us).
                unsafe { *self.lanes.get_unchecked_mut(slot) += work };
            }
        }
        for (sink, total) in self.sinks.iter_mut().enumerate() {
            *total = (0..LANES).map(|lane| self.lanes[lane * n_sinks + sink]).sum();
        }
    }

    /// Returns the work routed to a desk this month \[population-years\].
    pub fn arrivals(&self, desk: usize) -> f64 {
        self.sinks[desk]
    }

    /// Returns the work routed to a sink for function `f` this month \[population-years\].
    pub fn sunk(&self, kind: Sink, f: usize) -> f64 {
        self.sinks[self.sink(kind, f) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demand_follows_routes_and_totals_follow_starts_and_failures() {
        let mut routes = Routes::new(2, 3, 1200.0);
        routes.start(
            0,
            1,
            Service::Desk {
                desk: 2,
                km: 10.0,
                population: 100.0,
            },
        );
        routes.start(
            1,
            1,
            Service::Desk {
                desk: 2,
                km: 20.0,
                population: 50.0,
            },
        );
        routes.start(1, 0, Service::Private);
        routes.route(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
        assert_eq!(routes.arrivals(2), 2.0 + 6.0);
        assert_eq!(routes.sunk(Sink::Private, 0), 5.0);
        assert_eq!(routes.sunk(Sink::Uncontracted, 0), 1.0);
        assert_eq!(routes.sunk(Sink::Uncontracted, 3), 4.0 + 8.0);
        assert_eq!(routes.qact[2], 150.0);
        assert_eq!(routes.distance_cost, 100.0 * 30.0);
        routes.fail(1, 1, 2, 20.0, 50.0);
        routes.route(&[1.0; 8]);
        assert_eq!(routes.sunk(Sink::Failure, 1), 1.0);
        assert_eq!(routes.qact[2], 100.0);
        assert_eq!(routes.in_service, vec![1, 1]);
    }

    #[test]
    fn extra_units_count_nhs_units_beyond_the_first() {
        let mut routes = Routes::new(1, 4, 0.0);
        for f in 0..3 {
            routes.start(
                0,
                f,
                Service::Desk {
                    desk: f,
                    km: 1.0,
                    population: 1.0,
                },
            );
        }
        routes.start(0, 3, Service::Private);
        assert_eq!(routes.extra_units, 2);
        routes.fail(0, 0, 0, 1.0, 1.0);
        assert_eq!(routes.extra_units, 1);
    }
}
