//! A national specification and price, with a range of approved suppliers.

use super::{Choice, DeliveryOption, Market, Request, Traits};
use crate::model::LayoutKind;
use crate::model::OptionKind;
use crate::model::cost::MarketPrices;

/// Framework: one national price; a supplier takes part only if its own price at its planned
/// catchment is within it; CCGs procure the nearest open participant when the national price
/// is affordable or below the private price; suppliers share nothing, do not pool, and can fail.
#[derive(Clone, Copy, Debug, Default)]
pub struct Framework;

impl DeliveryOption for Framework {
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
        OptionKind::Framework
    }

    fn own_keys(&self) -> &'static [&'static str] {
        &["procurement.cost_framework", "market.price_margin"]
    }

    fn participates(&self, unit_price: f64, prices: &MarketPrices) -> bool {
        unit_price <= prices.framework_total()
    }

    /// Non-participants are never open, so the nearest open unit is the nearest participant.
    fn choose(&self, market: &Market, request: &Request) -> Choice {
        let national = market.prices.framework_total();
        if national <= request.budget || national < market.prices.private_total() {
            market
                .open_by_distance(request.ccg)
                .next()
                .map_or(Choice::Private, Choice::Unit)
        } else {
            Choice::Private
        }
    }

    fn price_paid(&self, market: &Market, choice: Choice) -> f64 {
        match choice {
            Choice::Unit(_) => market.prices.framework_total(),
            Choice::Private => market.prices.private_total(),
        }
    }
}
