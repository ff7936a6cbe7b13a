//! A single nationally managed service, delivered locally.

use super::{Choice, DeliveryOption, Market, OptionKind, Request};
use crate::model::Params;

/// National: every CCG is served by its nearest site; one national onboarding queue; fixed
/// costs partly shared with a national overhead; sites pool spare capacity and never fail
/// alone, but the organisation can suffer a systemic disruption.
#[derive(Clone, Copy, Debug, Default)]
pub struct National;

impl DeliveryOption for National {
    fn kind(&self) -> OptionKind {
        OptionKind::National
    }

    fn shared_overhead(&self, params: &Params) -> Option<f64> {
        Some(params.costs.national_overhead)
    }

    fn pools(&self) -> bool {
        true
    }

    fn negotiates_nationally(&self) -> bool {
        true
    }

    fn units_can_fail(&self) -> bool {
        false
    }

    fn systemic_risk(&self) -> bool {
        true
    }

    fn national_queue(&self) -> bool {
        true
    }

    fn choose(&self, market: &Market, request: &Request) -> Choice {
        Choice::Unit(market.layout.planned_unit(request.ccg, request.function))
    }

    fn price_paid(&self, market: &Market, _choice: Choice) -> f64 {
        market.planned_tariff
    }
}
