//! A single nationally managed service, delivered locally.

use super::{Choice, DeliveryOption, Market, Request, Traits};
use crate::model::OptionKind;
use crate::model::{LayoutKind, Params};

/// National: every CCG is assigned to its nearest open site (private if none is open); one
/// national onboarding queue fed by the open sites' slots; fixed costs partly shared with a
/// national overhead; sites pool spare capacity. Sites are local teams like any other unit:
/// they can fail the checkpoint, be weak and fail in operation, at `risk.national_site_factor`
/// times the others' probabilities (version 5); and the organisation can suffer a systemic
/// disruption.
#[derive(Clone, Copy, Debug, Default)]
pub struct National;

impl DeliveryOption for National {
    fn traits(&self) -> Traits {
        Traits {
            layout: LayoutKind::Sites,
            honours_preferences: false,
            pools: true,
            negotiates_nationally: true,
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

    fn own_keys(&self) -> &'static [&'static str] {
        &[
            "costs.national_overhead",
            "risk.national_site_factor",
            "risk.p_systemic_annual",
            "risk.recovery_months",
        ]
    }

    fn risk_factor(&self, params: &Params) -> f64 {
        params.risk.national_site_factor
    }

    fn choose(&self, market: &Market, request: &Request) -> Choice {
        market
            .open_by_distance(request.ccg)
            .next()
            .map_or(Choice::Private, Choice::Unit)
    }

    fn price_paid(&self, market: &Market, _choice: Choice) -> f64 {
        market.planned_tariff
    }
}
