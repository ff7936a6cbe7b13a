//! What one replication of one cell produces: the metrics of docs/model.md section 8 (a
//! neutral module: the engine writes them, the experiment and output read them).

/// Declares the metric enum, its names and its count from one list, so they cannot drift.
macro_rules! metrics {
    ($($variant:ident => $name:literal, $label:literal, $doc:literal;)*) => {
        /// A per-replication output metric (docs/model.md section 8), in output column order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Metric {
            $(#[doc = $doc] $variant,)*
        }

        impl Metric {
            /// Every metric in output order.
            pub const ALL: &'static [Metric] = &[$(Metric::$variant,)*];

            /// Returns the metric's output name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Metric::$variant => $name,)*
                }
            }

            /// Returns the metric's name in words, for a director's tables (no unit).
            pub fn label(self) -> &'static str {
                match self {
                    $(Metric::$variant => $label,)*
                }
            }

            /// Returns the metric's one-line meaning.
            pub fn description(self) -> &'static str {
                match self {
                    $(Metric::$variant => $doc,)*
                }
            }
        }
    };
}

metrics! {
    CostTotal => "cost_total_m", "Total cost", "Annualised cost to the NHS (GBP m/year)";
    CostPerHead => "cost_per_head", "Cost per head", "Annualised cost per head of population (GBP/year)";
    NetCostPerHead => "net_cost_per_head", "Net cost per head (headline)", "Headline: cost incl. undone work, less negotiating savings, plus the shadow cost of overridden choice, per head (GBP/year)";
    CostPerHeadInclUnmet => "cost_per_head_incl_unmet", "Cost per head with undone work", "Cost plus undone work: residual at the private price, unmet at (1 + penalty) times it, per head (GBP/year)";
    SavingsLeverage => "savings_leverage_m", "Negotiating savings", "Savings from collective negotiating power (GBP m/year)";
    CostChoice => "cost_choice_m", "Overridden choice (shadow cost)", "Shadow cost of overridden preferences, not part of the cost (GBP m/year)";
    CostUnits => "cost_units_m", "Units' running cost", "Running cost of open units (GBP m/year)";
    CostSharedFixed => "cost_shared_fixed_m", "Shared fixed cost", "Fixed cost held once nationally (GBP m/year)";
    CostOverheads => "cost_overheads_m", "Overheads", "National or network overhead (GBP m/year)";
    CostInHouse => "cost_in_house_m", "In-house provision", "In-house provision (GBP m/year)";
    CostPrivate => "cost_private_m", "Private payments", "Payments to the private sector (GBP m/year)";
    CostTransactions => "cost_transactions_m", "Procurement transactions", "Procurement transaction costs (GBP m/year)";
    CostCoordination => "cost_coordination_m", "Network coordination", "Network coordination cost (GBP m/year)";
    CostDistance => "cost_distance_m", "Distance cost", "Distance cost (GBP m/year)";
    CostRemote => "cost_remote_m", "Remote delivery surcharge", "Surcharge on pooled work (GBP m/year)";
    CostTransition => "cost_transition_m", "Transition (TUPE) cost", "TUPE transition cost on unit failures (GBP m/year)";
    CostOneOff => "cost_one_off_m", "One-off costs", "Transactions plus transition (GBP m/year)";
    ResidualShare => "residual_share", "Work queued at the horizon", "Work still queued at the horizon / demand";
    UnmetShare => "unmet_share", "Unmet demand", "Unmet work / demand";
    UnmetUncontracted => "unmet_share_uncontracted", "Unmet: no contract", "Unmet for want of a contract / demand";
    UnmetCapacity => "unmet_share_capacity", "Unmet: no capacity", "Unmet for want of capacity / demand";
    UnmetFailure => "unmet_share_failure", "Unmet: unit failed", "Unmet because a unit failed / demand";
    UnmetBusinessIntelligence => "unmet_share_business_intelligence", "Unmet: business intelligence", "Unmet / demand, business intelligence";
    UnmetClinicalProcurement => "unmet_share_clinical_procurement", "Unmet: clinical procurement", "Unmet / demand, clinical procurement";
    UnmetBusinessSupport => "unmet_share_business_support", "Unmet: business support", "Unmet / demand, business support";
    UnmetCommunications => "unmet_share_communications", "Unmet: communications", "Unmet / demand, communications";
    UncontractedAtGoLive => "uncontracted_at_go_live", "CCGs uncontracted at go-live", "CCGs with a function not in service at go-live";
    MonthsToContract => "months_to_contract_mean", "Months to contract", "Mean months from readiness to all four functions in service";
    UtilisationMean => "utilisation_mean", "Utilisation, mean", "Mean served / effective capacity over open unit-function-months";
    UtilisationP95 => "utilisation_p95", "Utilisation, 95th percentile", "95th percentile of utilisation";
    SaturatedUnitShare => "saturated_unit_share", "Unit-months short of capacity", "Share of open unit-function-months that lost work to capacity";
    PrivateShare => "private_share", "Private sector's share of work", "Share of served work done by the private sector";
    InHouseShare => "in_house_share", "In-house share of work", "Share of served work done in-house";
    PreferenceOverridden => "preference_overridden", "CCGs whose preference was overridden", "Share of CCGs whose in-house or outside-NHS preference was overridden";
    OverBudgetShare => "over_budget_share", "CCGs over budget", "Share of CCGs paying more per head than their budget";
    FailuresCheckpoint => "failures_checkpoint", "Units failing the checkpoint", "Units that failed the checkpoint";
    FailuresOperating => "failures_operating", "Units failing in operation", "Units that failed in operation";
    SystemicEvents => "systemic_events", "Systemic disruptions", "National systemic disruptions";
    DistanceKmMean => "distance_km_mean", "Distance to the serving unit", "Population-weighted mean distance to the serving NHS unit (km)";
    UnitsServingMean => "units_serving_mean", "Units serving", "Mean over operating months of NHS units with at least one CCG-function in service";
    CostUnmetAtPrivate => "cost_unmet_at_private_m", "Unmet work at the private price", "Unmet work at the private price (GBP m/year)";
    CostUnmetPenalty => "cost_unmet_penalty_m", "Penalty on unmet work", "Penalty on unmet work over its private price (GBP m/year)";
    CostResidualAtPrivate => "cost_residual_at_private_m", "Queued work at the private price", "Work still queued at the horizon at the private price (GBP m/year)";
}

impl Metric {
    /// The headline on which options are compared (docs/model.md section 8, version 4).
    pub const HEADLINE: Metric = Metric::NetCostPerHead;

    /// The components of `cost_total_m` (docs/model.md section 8), which add up to it, in
    /// output order, each with a short label for charts and tables.
    pub const COST_COMPONENTS: [(Metric, &'static str); 10] = [
        (Metric::CostUnits, "units"),
        (Metric::CostSharedFixed, "shared fixed"),
        (Metric::CostOverheads, "overheads"),
        (Metric::CostInHouse, "in-house"),
        (Metric::CostPrivate, "private"),
        (Metric::CostTransactions, "transactions"),
        (Metric::CostCoordination, "coordination"),
        (Metric::CostDistance, "distance"),
        (Metric::CostRemote, "remote delivery"),
        (Metric::CostTransition, "transition"),
    ];
}

/// Largest magnitude a money metric can take \[GBP m a year, or GBP a head a year\]: far
/// beyond any cost the key table's bounds allow, and far below overflow when summed.
pub const MAX_MONEY_METRIC: f64 = 1e12;

/// Largest count a count metric can take (units, CCGs, events, months).
pub const MAX_COUNT_METRIC: f64 = 1e9;

impl Metric {
    /// Returns whether a replication's value of this metric is one the model can produce: a
    /// share within \[0, 1\], a cost non-negative (the headline, which subtracts savings, any
    /// sign), a count a whole non-negative number, a distance within half the Earth's
    /// circumference, every value finite; NaN only for the metrics that can be undefined
    /// (docs/model.md section 8). Merge checks a shard's values with it.
    pub fn admits(self, value: f64) -> bool {
        use Metric::*;
        if value.is_nan() {
            return matches!(
                self,
                UtilisationMean
                    | UtilisationP95
                    | SaturatedUnitShare
                    | PrivateShare
                    | InHouseShare
                    | DistanceKmMean
                    | MonthsToContract
            );
        }
        if !value.is_finite() {
            return false;
        }
        let name = self.name();
        match self {
            NetCostPerHead => value.abs() <= MAX_MONEY_METRIC,
            UncontractedAtGoLive | FailuresCheckpoint | FailuresOperating | SystemicEvents => {
                (0.0..=MAX_COUNT_METRIC).contains(&value) && value.fract() == 0.0
            }
            UnitsServingMean | MonthsToContract => (0.0..=MAX_COUNT_METRIC).contains(&value),
            DistanceKmMean => (0.0..=20_040.0).contains(&value),
            // Utilisation counts pooled work against effective capacity: at most 1, to rounding.
            _ if name.ends_with("_share")
                || name.starts_with("unmet_share")
                || name.starts_with("utilisation")
                || self == PreferenceOverridden =>
            {
                (0.0..=1.0 + 1e-9).contains(&value)
            }
            _ => (0.0..=MAX_MONEY_METRIC).contains(&value),
        }
    }
}

/// One part of the headline (docs/model.md section 8): a metric in GBP m a year and the sign
/// with which it enters `net_cost_per_head`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeadlinePart {
    /// The metric \[GBP m/year\].
    pub metric: Metric,
    /// +1 for a cost, -1 for a saving.
    pub sign: f64,
    /// A short label for tables and charts.
    pub label: &'static str,
}

impl Metric {
    /// The parts of the headline beyond the cost components: undone work (unmet work at its
    /// private price, the penalty on it, residual work at its private price), the value of
    /// choice and, subtracted, the negotiating savings (sections 5a and 8).
    pub const VALUE_PARTS: [HeadlinePart; 5] = [
        HeadlinePart {
            metric: Metric::CostUnmetAtPrivate,
            sign: 1.0,
            label: "unmet work at private price",
        },
        HeadlinePart {
            metric: Metric::CostUnmetPenalty,
            sign: 1.0,
            label: "penalty on unmet work",
        },
        HeadlinePart {
            metric: Metric::CostResidualAtPrivate,
            sign: 1.0,
            label: "residual work at private price",
        },
        HeadlinePart {
            metric: Metric::SavingsLeverage,
            sign: -1.0,
            label: "negotiating leverage",
        },
        HeadlinePart {
            metric: Metric::CostChoice,
            sign: 1.0,
            label: "overridden choice",
        },
    ];

    /// Returns every part of the headline: the cost components of `cost_total_m`, then
    /// [`Metric::VALUE_PARTS`]. Per head, `sign x value x 1e6 / population` summed over the
    /// parts is `net_cost_per_head`.
    pub fn headline_parts() -> impl Iterator<Item = HeadlinePart> {
        Metric::COST_COMPONENTS
            .into_iter()
            .map(|(metric, label)| HeadlinePart {
                metric,
                sign: 1.0,
                label,
            })
            .chain(Metric::VALUE_PARTS)
    }
}

/// Number of parts of the headline: the cost components and the value parts.
pub const N_HEADLINE_PARTS: usize = Metric::COST_COMPONENTS.len() + Metric::VALUE_PARTS.len();

/// Number of metrics.
pub const N_METRICS: usize = Metric::ALL.len();

/// Flows of work over the operating period, for the conservation law
/// `demand = served + unmet + residual` \[population-years\].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorkLedger {
    /// All demand arriving in months `m >= G`.
    pub demand: f64,
    /// Work served by units (including pooled work), in-house and private.
    pub served: f64,
    /// Work lost, all causes.
    pub unmet: f64,
    /// Work still queued at the horizon.
    pub residual: f64,
}

/// Everything one replication of one cell reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Metric values in [`Metric::ALL`] order; NaN where a metric is undefined.
    pub values: [f64; N_METRICS],
    /// Work flows, for checks.
    pub work: WorkLedger,
    /// CCGs that have had all four functions in service at once, by month `0..H`.
    pub contracted_by_month: Vec<f64>,
    /// Results by CCG and unit, when the cell records them.
    pub places: Option<Box<super::places::Places>>,
}

impl Outcome {
    /// Returns the value of a metric (NaN when undefined).
    pub fn get(&self, metric: Metric) -> f64 {
        self.values[metric as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Section 8: the headline is `cost_total` plus undone work (unmet at `(1 + penalty)` times
    /// its private price, residual at the private price), less leverage savings, plus choice,
    /// per head. An outcome built from arbitrary parts by that formula is their signed sum.
    #[test]
    fn the_headline_parts_add_up_to_the_headline() {
        let population = 4.0e6;
        let mut values = [f64::NAN; N_METRICS];
        let mut total = 0.0;
        for (k, (metric, _)) in Metric::COST_COMPONENTS.into_iter().enumerate() {
            values[metric as usize] = 1.0 + k as f64;
            total += 1.0 + k as f64;
        }
        let (unmet, penalty, residual, savings, choice) = (3.0, 1.5, 0.25, 2.0, 0.5);
        values[Metric::CostUnmetAtPrivate as usize] = unmet;
        values[Metric::CostUnmetPenalty as usize] = penalty;
        values[Metric::CostResidualAtPrivate as usize] = residual;
        values[Metric::SavingsLeverage as usize] = savings;
        values[Metric::CostChoice as usize] = choice;
        let headline = (total + unmet + penalty + residual - savings + choice) * 1e6 / population;
        let sum: f64 = Metric::headline_parts()
            .map(|part| part.sign * values[part.metric as usize] * 1e6 / population)
            .sum();
        assert!((sum - headline).abs() < 1e-12, "{sum} vs {headline}");
        assert_eq!(Metric::headline_parts().count(), N_HEADLINE_PARTS);
    }

    /// What the model can produce and what it cannot, metric by metric.
    #[test]
    fn metrics_admit_only_values_the_model_can_produce() {
        assert!(Metric::UnmetShare.admits(0.3) && !Metric::UnmetShare.admits(1.5));
        assert!(Metric::CostSharedFixed.admits(3.16), "a cost, not a share");
        assert!(!Metric::UnmetCapacity.admits(1.5) && !Metric::OverBudgetShare.admits(-0.1));
        assert!(!Metric::UnmetShare.admits(f64::NAN), "never undefined");
        assert!(Metric::UtilisationP95.admits(f64::NAN), "undefined with no open unit");
        assert!(!Metric::CostTotal.admits(f64::INFINITY) && !Metric::CostTotal.admits(1e308));
        assert!(!Metric::CostTotal.admits(-1.0) && Metric::CostTotal.admits(466.2));
        assert!(Metric::NetCostPerHead.admits(-3.0), "savings can exceed costs");
        assert!(Metric::FailuresOperating.admits(3.0) && !Metric::FailuresOperating.admits(2.5));
        assert!(!Metric::DistanceKmMean.admits(30_000.0));
        for &metric in Metric::ALL {
            assert!(!metric.admits(f64::NEG_INFINITY), "{}", metric.name());
        }
    }

    #[test]
    fn metric_names_are_unique_and_in_enum_order() {
        let mut names: Vec<&str> = Metric::ALL.iter().map(|m| m.name()).collect();
        for (idx, metric) in Metric::ALL.iter().enumerate() {
            assert_eq!(*metric as usize, idx);
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), N_METRICS);
    }
}
