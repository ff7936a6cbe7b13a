//! Every numeric parameter of the model, with the defaults of docs/model.md (section 9).
//!
//! Defaults marked (fact) come from the 2012 sources; the rest are assumptions a scenario
//! can change. The scenario layer checks ranges; the engine trusts them.

use super::{Function, N_FUNCTIONS, OptionKind};

/// A triangular distribution of procurement durations \[months\] (section 7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Triangular {
    /// Shortest duration.
    pub min: f64,
    /// Most likely duration.
    pub mode: f64,
    /// Longest duration.
    pub max: f64,
}

impl Triangular {
    /// Returns the inverse CDF at `u` in \[0, 1\].
    ///
    /// Below `F(mode) = (mode - min) / (max - min)` it is `min + sqrt(u (max - min)(mode - min))`,
    /// above it `max - sqrt((1 - u)(max - min)(max - mode))`; a degenerate range returns `min`.
    pub fn inverse_cdf(&self, u: f64) -> f64 {
        crate::stats::distribution::triangular_quantile(self.min, self.mode, self.max, u)
    }

    /// Returns the duration for uniform `u`, rounded to whole months with halves up.
    pub fn months(&self, u: f64) -> u32 {
        round_half_up(self.inverse_cdf(u)).max(0.0) as u32
    }
}

/// Rounds to the nearest integer, halves up (`2.5 -> 3`, `-2.5 -> -2`).
pub fn round_half_up(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// Cost and capacity parameters of one function (section 5).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FunctionParams {
    /// Fixed cost of one unit, `F_f` \[GBP/year\].
    pub fixed_cost: f64,
    /// Variable cost, `v_f` \[GBP per head per year\].
    pub variable_cost: f64,
    /// Efficient scale `Q*_f`, where cost per head is lowest \[people\].
    pub efficient_scale: f64,
    /// Share `s_f` of the fixed cost held once nationally under national and network.
    pub shareable: f64,
    /// Capacity headroom over planned catchment.
    pub headroom: f64,
}

impl FunctionParams {
    const fn new(fixed_cost: f64, variable_cost: f64, efficient_scale: f64, shareable: f64) -> FunctionParams {
        FunctionParams {
            fixed_cost,
            variable_cost,
            efficient_scale,
            shareable,
            headroom: 0.10,
        }
    }
}

/// Returns the calendar month of model month `m` (section 3: month 0 is October 2012), as
/// "Oct 2012".
pub fn calendar_month(m: u32) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let from_january = 9 + m;
    format!("{} {}", NAMES[(from_january % 12) as usize], 2012 + from_january / 12)
}

/// Horizon, go-live and authorisation waves (section 3).
#[derive(Clone, Debug, PartialEq)]
pub struct TimeParams {
    /// Horizon `H` \[months\]; month 0 is October 2012.
    pub months: u32,
    /// Go-live month `G` (April 2013 = 6).
    pub go_live_month: u32,
    /// Month at which each wave 1-4 is ready to contract.
    pub wave_months: [u32; 4],
    /// Relative sizes of waves 1-4, used when a CCG's wave is drawn.
    pub wave_weights: [f64; 4],
}

/// Cost parameters outside the unit cost curve (sections 5-7).
#[derive(Clone, Debug, PartialEq)]
pub struct CostParams {
    /// Coefficient of variation of the unit cost draws.
    pub cost_cv: f64,
    /// National organisation overhead \[GBP/year\].
    pub national_overhead: f64,
    /// Network coordination overhead \[GBP/year\].
    pub network_overhead: f64,
    /// Distance cost \[GBP per CCG-function per km per year\].
    pub distance_cost_per_km: f64,
    /// Surcharge on pooled work \[GBP per population-year\].
    pub remote_cost_per_head: f64,
    /// Network coordination cost \[GBP per extra team per CCG per year\].
    pub coordination_cost: f64,
    /// TUPE transition cost on a unit failure \[GBP per head\].
    pub transition_cost_per_head: f64,
    /// Share of `F_f` an in-house CCG pays per function.
    pub in_house_fixed_share: f64,
    /// In-house premium on the variable cost.
    pub in_house_premium: f64,
}

/// Demand noise (section 6).
#[derive(Clone, Debug, PartialEq)]
pub struct DemandParams {
    /// CV of the per-replication demand level of each CCG-function.
    pub cv_level: f64,
    /// CV of the monthly demand noise.
    pub cv_month: f64,
}

/// Queueing and pooling (section 6).
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceParams {
    /// `W`: age after which queued work is lost \[months\].
    pub max_wait_months: u32,
    /// Share of spare capacity usable for pooled work.
    pub pool_efficiency: f64,
}

/// Index of each preference category in [`ChoiceParams::preferences`].
pub mod preference {
    /// Prefers a CSU.
    pub const CSU: usize = 0;
    /// Prefers to do the work itself.
    pub const IN_HOUSE: usize = 1;
    /// Prefers a provider outside the NHS.
    pub const OUTSIDE_NHS: usize = 2;
    /// Has not decided; behaves as CSU.
    pub const UNDECIDED: usize = 3;
    /// Scenario keys, in cumulative-draw order.
    pub const KEYS: [&str; 4] = ["csu", "in_house", "outside_nhs", "undecided"];
}

/// CCG choice behaviour (section 7).
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceParams {
    /// Shares of csu, in_house, outside_nhs, undecided (sum 1).
    pub preferences: [f64; 4],
    /// Mean budget for all four functions \[GBP per head per year\].
    pub budget_mean: f64,
    /// CV of the budget.
    pub budget_cv: f64,
    /// Hubs search radius \[km\], inclusive.
    pub max_distance_km: f64,
    /// Expected wait that sends a CCG to the private sector \[months\].
    pub switch_wait_months: f64,
}

/// A procurement under an option whose CCGs procure (section 7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Procurement {
    /// Duration of a procurement \[months\].
    pub duration: Triangular,
    /// One-off cost of a procurement, private ones and re-procurements included \[GBP\].
    pub cost: f64,
}

/// Procurement durations and transaction costs (section 7), by option: the scenario keys
/// `procurement.<option>` (the duration) and `procurement.cost_<option>` of every option
/// that procures.
#[derive(Clone, Debug, PartialEq)]
pub struct ProcurementParams {
    /// By option, in [`OptionKind::ALL`] order; `None` for an option that assigns its CCGs.
    pub by_option: [Option<Procurement>; OptionKind::COUNT],
}

impl ProcurementParams {
    /// Returns the procurement of `option`, if its CCGs procure.
    pub fn of(&self, option: OptionKind) -> Option<Procurement> {
        self.by_option[option.index()]
    }

    /// Returns the options whose CCGs procure, with their procurement, in
    /// [`OptionKind::ALL`] order.
    pub fn procuring(&self) -> impl Iterator<Item = (OptionKind, Procurement)> + '_ {
        OptionKind::ALL
            .into_iter()
            .filter_map(|option| self.of(option).map(|p| (option, p)))
    }
}

impl Default for ProcurementParams {
    /// Hubs procure in 1 to 3 months (mode 1) at GBP 50 k, framework call-offs in 2 to 6
    /// (mode 3) at GBP 15 k; national and network assign their CCGs.
    fn default() -> ProcurementParams {
        let procurement = |min, mode, max, cost| {
            Some(Procurement {
                duration: Triangular { min, mode, max },
                cost,
            })
        };
        ProcurementParams {
            by_option: OptionKind::ALL.map(|option| match option {
                OptionKind::National | OptionKind::Network => None,
                OptionKind::Hubs => procurement(1.0, 1.0, 3.0, 50.0e3),
                OptionKind::Framework => procurement(2.0, 3.0, 6.0, 15.0e3),
            }),
        }
    }
}

/// Onboarding capacity (section 4).
#[derive(Clone, Debug, PartialEq)]
pub struct OnboardingParams {
    /// Fixed slots per unit \[CCGs per month\].
    pub per_unit_month: f64,
    /// Extra slots per million planned population \[CCGs per month\].
    pub per_million_month: f64,
    /// Private sector onboarding, all CCGs together \[entries per month\].
    pub private_per_month: u32,
}

/// Prices (section 7).
#[derive(Clone, Debug, PartialEq)]
pub struct MarketParams {
    /// Framework price margin over efficient-scale cost.
    pub price_margin: f64,
    /// Private price margin over efficient-scale cost.
    pub private_margin: f64,
}

/// Failure and weakness of units (section 7).
#[derive(Clone, Debug, PartialEq)]
pub struct RiskParams {
    /// Probability that a unit fails the checkpoint before month 0.
    pub p_checkpoint: f64,
    /// Probability that a unit is weak.
    pub p_weak: f64,
    /// Capacity multiplier of a weak unit.
    pub weak_capacity_factor: f64,
    /// Fixed-cost multiplier of a weak unit.
    pub weak_cost_factor: f64,
    /// Annual operating failure probability of an open unit.
    pub p_fail_annual: f64,
    /// Annual probability of a national systemic disruption.
    pub p_systemic_annual: f64,
    /// Months a systemic disruption lasts.
    pub recovery_months: u32,
    /// National sites' checkpoint, weak and monthly operating failure probabilities as a
    /// multiple of every other unit's, each capped at 1 after multiplying (version 5); 0 makes
    /// national sites immune, as in version 4.
    pub national_site_factor: f64,
}

/// The uniforms below which one unit fails the checkpoint, is weak, or fails in a month of
/// operation (docs/model.md section 7).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FateThresholds {
    /// `min(1, p_checkpoint * factor)`.
    pub checkpoint: f64,
    /// `min(1, p_weak * factor)`.
    pub weak: f64,
    /// `min(1, p_fail_annual / 12 * factor)`.
    pub monthly: f64,
}

impl RiskParams {
    /// Returns the fate thresholds of a unit whose probabilities are `factor` times the
    /// scenario's, each capped at 1 after multiplying (version 5: `national_site_factor` for
    /// national sites, 1 for every other unit). A unit fails where its uniform is strictly
    /// below the threshold, so at factor 1 the thresholds are the probabilities themselves.
    pub fn thresholds(&self, factor: f64) -> FateThresholds {
        FateThresholds {
            checkpoint: (self.p_checkpoint * factor).min(1.0),
            weak: (self.p_weak * factor).min(1.0),
            monthly: (self.p_fail_annual / 12.0 * factor).min(1.0),
        }
    }
}

/// What scale buys and costs beyond running cost, and the price of undone work (docs/model.md
/// sections 5a and 8, version 4).
#[derive(Clone, Debug, PartialEq)]
pub struct ValueParams {
    /// Penalty on unmet work over its private price: unmet work is valued at
    /// `(1 + unmet_penalty)` times the private price.
    pub unmet_penalty: f64,
    /// What a CCG commissions a year per head of its population \[GBP per head per year\].
    pub spend_per_head: f64,
    /// Most a negotiator can save, as a share of the spend it negotiates for.
    pub leverage_max: f64,
    /// Population at which half of `leverage_max` is reached \[people\].
    pub leverage_half: f64,
    /// Shadow cost of an overridden preference \[GBP per head per year\].
    pub choice_per_head: f64,
}

/// All model parameters of one scenario point.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Section 3.
    pub time: TimeParams,
    /// Section 5, indexed by [`Function::index`].
    pub functions: [FunctionParams; N_FUNCTIONS],
    /// Sections 5-7.
    pub costs: CostParams,
    /// Section 6.
    pub demand: DemandParams,
    /// Section 6.
    pub service: ServiceParams,
    /// Section 7.
    pub choice: ChoiceParams,
    /// Section 7.
    pub procurement: ProcurementParams,
    /// Section 4.
    pub onboarding: OnboardingParams,
    /// Section 7.
    pub market: MarketParams,
    /// Section 7.
    pub risk: RiskParams,
    /// Sections 5a and 8.
    pub value: ValueParams,
}

impl Default for RiskParams {
    fn default() -> RiskParams {
        RiskParams {
            p_checkpoint: 3.0 / 26.0,
            p_weak: 9.0 / 23.0,
            weak_capacity_factor: 0.85,
            weak_cost_factor: 1.10,
            p_fail_annual: 0.03,
            p_systemic_annual: 0.02,
            recovery_months: 3,
            national_site_factor: 1.0,
        }
    }
}

impl Default for ValueParams {
    fn default() -> ValueParams {
        ValueParams {
            unmet_penalty: 1.0,
            spend_per_head: 1150.0,
            leverage_max: 0.0,
            leverage_half: 1.0e7,
            choice_per_head: 0.0,
        }
    }
}

impl Default for MarketParams {
    fn default() -> MarketParams {
        MarketParams {
            price_margin: 0.10,
            private_margin: 0.20,
        }
    }
}

impl Default for Params {
    fn default() -> Params {
        Params {
            time: TimeParams {
                months: 30,
                go_live_month: 6,
                wave_months: [2, 3, 4, 5],
                wave_weights: [34.0, 67.0, 62.0, 48.0],
            },
            functions: [
                FunctionParams::new(1.6e6, 1.40, 5.0e6, 0.5),
                FunctionParams::new(1.0e6, 0.65, 8.0e6, 0.3),
                FunctionParams::new(3.3e6, 3.40, 20.0e6, 0.6),
                FunctionParams::new(0.4e6, 0.45, 2.0e6, 0.2),
            ],
            costs: CostParams {
                cost_cv: 0.15,
                national_overhead: 10.0e6,
                network_overhead: 5.0e6,
                distance_cost_per_km: 200.0,
                remote_cost_per_head: 0.30,
                coordination_cost: 20.0e3,
                transition_cost_per_head: 0.50,
                in_house_fixed_share: 0.15,
                in_house_premium: 0.20,
            },
            demand: DemandParams {
                cv_level: 0.15,
                cv_month: 0.10,
            },
            service: ServiceParams {
                max_wait_months: 2,
                pool_efficiency: 0.8,
            },
            choice: ChoiceParams {
                preferences: [0.50, 0.32, 0.05, 0.13],
                budget_mean: 13.0,
                budget_cv: 0.30,
                max_distance_km: 250.0,
                switch_wait_months: 2.0,
            },
            procurement: ProcurementParams::default(),
            onboarding: OnboardingParams {
                per_unit_month: 2.0,
                per_million_month: 0.5,
                private_per_month: 8,
            },
            market: MarketParams::default(),
            risk: RiskParams::default(),
            value: ValueParams::default(),
        }
    }
}

impl Params {
    /// Returns the parameters of function `f`.
    pub fn function(&self, f: Function) -> &FunctionParams {
        &self.functions[f.index()]
    }

    /// Returns the length of the operating period `H - G` \[months\].
    pub fn operating_months(&self) -> u32 {
        self.time.months - self.time.go_live_month
    }

    /// Returns the factor turning horizon totals into annual figures, `12 / (H - G)`.
    pub fn annualise(&self) -> f64 {
        12.0 / f64::from(self.operating_months())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_months_are_calendar_months_from_october_2012() {
        // Section 3: month 0 is October 2012 and go-live, month 6, is April 2013.
        assert_eq!(calendar_month(0), "Oct 2012");
        assert_eq!(calendar_month(2), "Dec 2012");
        assert_eq!(calendar_month(3), "Jan 2013");
        assert_eq!(calendar_month(6), "Apr 2013");
        assert_eq!(calendar_month(29), "Mar 2015");
    }

    #[test]
    fn triangular_inverse_cdf_hits_min_mode_max() {
        let t = Triangular {
            min: 2.0,
            mode: 3.0,
            max: 6.0,
        };
        assert_eq!(t.inverse_cdf(0.0), 2.0);
        assert!((t.inverse_cdf(0.25) - 3.0).abs() < 1e-12);
        assert!((t.inverse_cdf(1.0) - 6.0).abs() < 1e-12);
        // F(x) = (x-min)^2 / ((max-min)(mode-min)) below the mode: F(2.5) = 0.0625.
        assert!((t.inverse_cdf(0.0625) - 2.5).abs() < 1e-12);
        // 1 - F(x) = (max-x)^2 / ((max-min)(max-mode)) above it: F(5) = 1 - 1/12.
        assert!((t.inverse_cdf(1.0 - 1.0 / 12.0) - 5.0).abs() < 1e-12);
    }

    #[test]
    fn triangular_months_round_halves_up() {
        let t = Triangular {
            min: 1.0,
            mode: 1.0,
            max: 3.0,
        };
        assert_eq!(t.months(0.0), 1);
        // inverse_cdf(0.4375) = 3 - sqrt(0.5625 * 4) = 1.5, rounded up to 2.
        assert_eq!(t.months(0.4375), 2);
        assert_eq!(
            Triangular {
                min: 2.0,
                mode: 2.0,
                max: 2.0
            }
            .months(0.7),
            2
        );
    }

    #[test]
    fn round_half_up_rounds_halves_towards_positive_infinity() {
        assert_eq!(round_half_up(2.5), 3.0);
        assert_eq!(round_half_up(2.4999), 2.0);
        assert_eq!(round_half_up(3.5), 4.0);
    }
}
