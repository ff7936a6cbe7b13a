//! Regional hubs, each providing all four functions to an area.

use super::{Choice, DeliveryOption, Market, Request, Traits};
use crate::model::LayoutKind;
use crate::model::OptionKind;

/// Hubs: CCGs procure; each picks the nearest affordable open hub within the search radius,
/// else the cheapest of those hubs and the private sector; hubs share nothing, do not pool,
/// and can fail.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hubs;

impl DeliveryOption for Hubs {
    fn traits(&self) -> Traits {
        Traits {
            layout: LayoutKind::Sites,
            honours_preferences: true,
            pools: false,
            negotiates_nationally: false,
            systemic_risk: false,
            national_queue: false,
            switch_rule: true,
        }
    }

    fn kind(&self) -> OptionKind {
        OptionKind::Hubs
    }

    fn own_keys(&self) -> &'static [&'static str] {
        &["procurement.cost_hubs", "choice.max_distance_km"]
    }

    /// Section 7: nearest affordable hub in range, in (distance, unit) order; otherwise the
    /// first of the cheapest hubs in range if strictly cheaper than private; otherwise private.
    fn choose(&self, market: &Market, request: &Request) -> Choice {
        let in_range = || {
            market
                .open_by_distance(request.ccg)
                .take_while(|&u| market.distance(request.ccg, u) <= market.max_distance_km)
        };
        if let Some(unit) = in_range().find(|&u| market.unit_price[u] <= request.budget) {
            return Choice::Unit(unit);
        }
        let mut cheapest: Option<usize> = None;
        for unit in in_range() {
            if cheapest.is_none_or(|c| market.unit_price[unit] < market.unit_price[c]) {
                cheapest = Some(unit);
            }
        }
        match cheapest {
            Some(unit) if market.unit_price[unit] < market.prices.private_total() => Choice::Unit(unit),
            _ => Choice::Private,
        }
    }

    fn price_paid(&self, market: &Market, choice: Choice) -> f64 {
        match choice {
            Choice::Unit(unit) => market.unit_price[unit],
            Choice::Private => market.prices.private_total(),
        }
    }
}
