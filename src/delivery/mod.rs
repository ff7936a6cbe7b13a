//! The four delivery options of docs/model.md section 1, as implementations of one trait.
//!
//! The monthly engine is shared; an option only says what differs: how units are laid out,
//! whether fixed costs are shared, how a CCG chooses, whether it procures, whether units pool
//! spare capacity, and how units fail. [`build`] is the one place that maps an
//! [`OptionKind`] to its implementation.

mod framework;
mod hubs;
mod national;
mod network;

use crate::model::cost::MarketPrices;
use crate::model::params::Procurement;
use crate::model::{Layout, LayoutKind, Params};

use crate::model::OptionKind;
pub use framework::Framework;
pub use hubs::Hubs;
pub use national::National;
pub use network::Network;

/// A provider chosen at a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// An NHS unit, by unit number.
    Unit(usize),
    /// The private sector.
    Private,
}

/// What a CCG sees of the market when it decides (section 7).
#[derive(Clone, Copy, Debug)]
pub struct Market<'a> {
    /// Units and planned catchments.
    pub layout: &'a Layout,
    /// Whether each unit is open in the decision month.
    pub open: &'a [bool],
    /// Each unit's price for all four functions at its planned catchment \[GBP per head\].
    pub unit_price: &'a [f64],
    /// Framework and private prices.
    pub prices: &'a MarketPrices,
    /// Hubs search radius \[km\].
    pub max_distance_km: f64,
    /// Planned national or network tariff \[GBP per head\].
    pub planned_tariff: f64,
}

impl Market<'_> {
    /// Returns the distance from CCG `ccg` to unit `unit` \[km\].
    pub fn distance(&self, ccg: usize, unit: usize) -> f64 {
        self.layout.km(ccg, unit)
    }

    /// Returns the open units in order of distance from `ccg` (ties: unit number).
    pub fn open_by_distance(&self, ccg: usize) -> impl Iterator<Item = usize> + '_ {
        self.layout
            .by_distance(ccg)
            .iter()
            .map(|&u| u as usize)
            .filter(|&u| self.open[u])
    }
}

/// One CCG's decision request: which CCG, its budget, and the function (for network teams;
/// an option with all-function units decides all four functions at once).
#[derive(Clone, Copy, Debug)]
pub struct Request {
    /// CCG index.
    pub ccg: usize,
    /// Budget `B_i` \[GBP per head per year, all four functions\].
    pub budget: f64,
    /// The function being decided.
    pub function: crate::model::Function,
}

/// What an option is, as constants: the columns of docs/model.md section 7's table and the
/// organisation rules of sections 4 to 7, in one place per option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Traits {
    /// How units are laid out: sites with all four functions, or single-function teams.
    pub layout: LayoutKind,
    /// Whether in-house and outside-NHS preferences are honoured.
    pub honours_preferences: bool,
    /// Whether units of a function pool spare capacity.
    pub pools: bool,
    /// Whether one organisation negotiates for every CCG its units serve (section 5a);
    /// otherwise each unit negotiates for its own CCGs.
    pub negotiates_nationally: bool,
    /// Whether the organisation suffers national systemic disruptions.
    pub systemic_risk: bool,
    /// Whether every site's onboarding slots form one national queue.
    pub national_queue: bool,
    /// Whether a CCG switches to the private sector if its unit's queue is long.
    pub switch_rule: bool,
}

/// What distinguishes one delivery option from another.
///
/// The engine calls these once per cell or per decision, never per CCG-month, so dynamic
/// dispatch costs nothing measurable.
pub trait DeliveryOption: Send + Sync {
    /// Returns the option's key.
    fn kind(&self) -> OptionKind;

    /// Returns what the option is, as constants.
    fn traits(&self) -> Traits;

    /// Returns how CCGs procure, or `None` when the choice is mandated (no procurement, no
    /// transaction cost): the option's entry in the procurement parameters.
    fn procurement(&self, params: &Params) -> Option<Procurement> {
        params.procurement.of(self.kind())
    }

    /// Returns the yearly overhead when fixed costs are shared nationally, else `None`.
    fn shared_overhead(&self, _params: &Params) -> Option<f64> {
        None
    }

    /// Returns the multiple of the scenario's checkpoint, weak and operating failure
    /// probabilities that applies to the option's units (section 7, version 5): every unit
    /// carries them, national sites times `risk.national_site_factor`.
    fn risk_factor(&self, _params: &Params) -> f64 {
        1.0
    }

    /// Returns the dotted paths of the scenario's numeric keys that this option alone reads:
    /// the keys a reader must see beside the option to judge it (the report's table of how the
    /// options differ). Each key belongs to one option at most.
    fn own_keys(&self) -> &'static [&'static str] {
        &[]
    }

    /// Returns true when a unit with this price takes part (framework suppliers).
    fn participates(&self, _unit_price: f64, _prices: &MarketPrices) -> bool {
        true
    }

    /// Returns the provider the CCG chooses.
    fn choose(&self, market: &Market, request: &Request) -> Choice;

    /// Returns the price per head the CCG pays for the provider it chose.
    fn price_paid(&self, market: &Market, choice: Choice) -> f64;
}

/// Returns the implementation of an option.
pub fn build(kind: OptionKind) -> Box<dyn DeliveryOption> {
    match kind {
        OptionKind::National => Box::new(National),
        OptionKind::Network => Box::new(Network),
        OptionKind::Hubs => Box::new(Hubs),
        OptionKind::Framework => Box::new(Framework),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/model.md sections 4 to 7: national and network assign (preferences overridden)
    /// and pool; national alone has one queue and systemic risk; the network's teams each do
    /// one function; hubs and framework honour preferences and apply the switch rule; leverage
    /// is national under national and network.
    #[test]
    fn each_option_has_the_traits_the_model_gives_it() {
        let traits = |kind| build(kind).traits();
        let national = traits(OptionKind::National);
        assert_eq!(
            (
                national.layout,
                national.pools,
                national.national_queue,
                national.systemic_risk
            ),
            (LayoutKind::Sites, true, true, true)
        );
        let network = traits(OptionKind::Network);
        assert_eq!((network.layout, network.pools), (LayoutKind::Teams, true));
        for kind in [OptionKind::National, OptionKind::Network] {
            let t = traits(kind);
            assert!(
                !t.honours_preferences && !t.switch_rule && t.negotiates_nationally,
                "{kind}"
            );
        }
        for kind in [OptionKind::Hubs, OptionKind::Framework] {
            let t = traits(kind);
            assert_eq!(t.layout, LayoutKind::Sites);
            assert!(t.honours_preferences && t.switch_rule, "{kind}");
            assert!(
                !t.pools && !t.national_queue && !t.systemic_risk && !t.negotiates_nationally,
                "{kind}"
            );
        }
        assert!(!network.national_queue && !network.systemic_risk);
    }

    /// Section 7, version 5: every unit carries the checkpoint, weak and operating risks;
    /// national sites at `risk.national_site_factor` times the others'.
    #[test]
    fn national_sites_carry_the_unit_risks_times_their_factor() {
        let mut params = Params::default();
        params.risk.national_site_factor = 2.5;
        for kind in OptionKind::ALL {
            let expected = if kind == OptionKind::National { 2.5 } else { 1.0 };
            assert_eq!(build(kind).risk_factor(&params), expected, "{kind}");
        }
    }
}
