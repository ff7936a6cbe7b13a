//! A nationally coordinated network of specialist teams.

use super::{Choice, DeliveryOption, Market, Request, Traits};
use crate::model::OptionKind;
use crate::model::{LayoutKind, Params};

/// Network: N single-function teams; each CCG function goes to the nearest open team of that
/// function (private if none), with its own onboarding queue; fixed costs partly shared; teams
/// of a function pool spare capacity; teams are independent and can fail.
#[derive(Clone, Copy, Debug, Default)]
pub struct Network;

impl DeliveryOption for Network {
    fn traits(&self) -> Traits {
        Traits {
            layout: LayoutKind::Teams,
            honours_preferences: false,
            pools: true,
            negotiates_nationally: true,
            systemic_risk: false,
            national_queue: false,
            switch_rule: false,
        }
    }

    fn kind(&self) -> OptionKind {
        OptionKind::Network
    }

    fn own_keys(&self) -> &'static [&'static str] {
        &["costs.network_overhead", "costs.coordination_cost"]
    }

    fn shared_overhead(&self, params: &Params) -> Option<f64> {
        Some(params.costs.network_overhead)
    }

    fn choose(&self, market: &Market, request: &Request) -> Choice {
        market
            .layout
            .by_distance_of_function(request.ccg, request.function)
            .iter()
            .map(|&u| u as usize)
            .find(|&u| market.open[u])
            .map_or(Choice::Private, Choice::Unit)
    }

    fn price_paid(&self, market: &Market, _choice: Choice) -> f64 {
        market.planned_tariff
    }
}
