//! A single nationally managed service, delivered locally.

use super::{Choice, DeliveryOption, Market, OptionKind, Request, Traits};
use crate::model::{LayoutKind, Params};

/// National: every CCG is served by its nearest site; one national onboarding queue; fixed
/// costs partly shared with a national overhead; sites pool spare capacity and never fail
/// alone, but the organisation can suffer a systemic disruption.
#[derive(Clone, Copy, Debug, Default)]
pub struct National;

impl DeliveryOption for National {
    fn traits(&self) -> Traits {
        Traits {
            layout: LayoutKind::Sites,
            honours_preferences: false,
            pools: true,
            negotiates_nationally: true,
            units_can_fail: false,
            systemic_risk: true,
            national_queue: true,
            switch_rule: false,
        }
    }

    fn kind(&self) -> OptionKind {
        OptionKind::National
    }

    fn shared_overhead(&self, params: &Params) -> Option<f64> {
        Some(params.costs.national_overhead)
    }

    fn choose(&self, market: &Market, request: &Request) -> Choice {
        Choice::Unit(market.layout.planned_unit(request.ccg, request.function))
    }

    fn price_paid(&self, market: &Market, _choice: Choice) -> f64 {
        market.planned_tariff
    }
}
