//! The numeric scalar keys of a scenario (docs/model.md section 9): one table giving each key's
//! path, allowed range, unit, source and meaning, and how it reads and writes [`Params`].
//!
//! The table serves parsing, validation, sweeps, `--set`, the resolved scenario, `csu-sim keys`
//! and did-you-mean suggestions, so a key cannot be accepted in one place and unknown in
//! another. Every range is bounded: wide enough for any policy question, narrow enough that
//! the model's arithmetic stays finite.

use std::fmt;

use crate::model::{OptionKind, Params};

/// What values a key accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// A number from the first bound to the second, both included.
    Range(f64, f64),
    /// A number above the first bound (excluded) up to the second (included).
    Above(f64, f64),
    /// An integer in the inclusive range.
    Integer(u64, u64),
}

/// A probability or share.
pub const PROBABILITY: Rule = Rule::Range(0.0, 1.0);

/// Largest amount of money accepted for a yearly or one-off cost \[GBP\]: a thousand times
/// the NHS budget.
pub const MAX_MONEY: f64 = 1e12;

/// Largest cost or value per head accepted \[GBP per head per year\].
pub const MAX_PER_HEAD: f64 = 1e6;

/// Largest population accepted where a key is a number of people: a hundred times the world's.
pub const MAX_PEOPLE: f64 = 1e12;

/// Largest multiplier accepted for factors, shares over 1, margins and penalties.
pub const MAX_FACTOR: f64 = 100.0;

/// Largest coefficient of variation accepted: a mean-one lognormal with CV 100 already puts one
/// draw in a thousand above 118 times its mean.
pub const MAX_CV: f64 = 100.0;

/// Longest horizon accepted \[months\]: 50 years.
pub const MAX_MONTHS: u64 = 600;

/// Largest onboarding rate accepted \[CCGs per month\].
pub const MAX_SLOTS: f64 = 1e6;

/// Largest distance accepted \[km\]: more than any two points on Earth.
pub const MAX_KM: f64 = 1e5;

impl Rule {
    /// Returns true for integer keys.
    pub fn is_integer(self) -> bool {
        matches!(self, Rule::Integer(..))
    }

    /// Returns what is allowed, for messages.
    pub fn allowed(self) -> String {
        match self {
            Rule::Range(lo, hi) => format!("a number from {} to {}", shown(lo), shown(hi)),
            Rule::Above(lo, hi) => format!("a number > {} and <= {}", shown(lo), shown(hi)),
            Rule::Integer(lo, hi) => format!("an integer from {lo} to {hi}"),
        }
    }

    /// Returns true when `value` is allowed.
    pub fn admits(self, value: f64) -> bool {
        value.is_finite()
            && match self {
                Rule::Range(lo, hi) => (lo..=hi).contains(&value),
                Rule::Above(lo, hi) => value > lo && value <= hi,
                Rule::Integer(lo, hi) => value.fract() == 0.0 && value >= lo as f64 && value <= hi as f64,
            }
    }

    /// Returns the lowest and highest values allowed (the lower bound of [`Rule::Above`] is
    /// not itself allowed).
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Rule::Range(lo, hi) | Rule::Above(lo, hi) => (lo, hi),
            Rule::Integer(lo, hi) => (lo as f64, hi as f64),
        }
    }
}

/// Formats a number for a message as the user would write it: plain, or in scientific notation
/// when it would take more than a handful of digits (`1e200`, not 201 digits).
pub fn shown(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && magnitude.is_finite() && !(1e-6..1e15).contains(&magnitude) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

/// Where a key's default comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A figure from the 2012-13 sources.
    Fact,
    /// Calibrated so that the model reproduces a figure from the sources.
    Calibrated,
    /// A modelling assumption a scenario should question.
    Assumption,
    /// A choice of the study, not a claim about the world (the horizon, for example).
    Setting,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Fact => "fact",
            Source::Calibrated => "calibrated",
            Source::Assumption => "assumption",
            Source::Setting => "setting",
        })
    }
}

/// A numeric scalar key of the scenario: one row of the table.
#[derive(Clone, Copy)]
pub struct ParamKey {
    /// Dotted path, e.g. `risk.p_fail_annual`.
    pub path: &'static str,
    /// Allowed values.
    pub rule: Rule,
    /// Unit of the value, for listings.
    pub unit: &'static str,
    /// Where the default comes from.
    pub source: Source,
    /// One-line meaning, with the docs/model.md section.
    pub meaning: &'static str,
    get: fn(&Params) -> f64,
    set: fn(&mut Params, f64),
}

impl PartialEq for ParamKey {
    fn eq(&self, other: &ParamKey) -> bool {
        self.path == other.path
    }
}

impl fmt::Debug for ParamKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParamKey").field("path", &self.path).finish()
    }
}

/// How far from its default a value may be before it reads as a slip of units: a factor of
/// 50 either way (a yearly cost of GBP 10 for GBP 10 m, a headroom of 10 for 10%).
pub const SLIP_FACTOR: f64 = 50.0;

impl ParamKey {
    /// Returns a warning when `value`, though allowed, is more than [`SLIP_FACTOR`] times the
    /// default or less than its fiftieth (keys whose default is 0 have no scale, and are left
    /// alone), saying what was probably meant: a share written as a percentage, or GBP
    /// millions written as GBP.
    pub fn slip(&self, value: f64) -> Option<String> {
        let default = self.get(&Params::default());
        if default == 0.0 || value == 0.0 || !value.is_finite() {
            return None;
        }
        let ratio = value / default;
        if (1.0 / SLIP_FACTOR..=SLIP_FACTOR).contains(&ratio.abs()) {
            return None;
        }
        let near = |v: f64| (1.0 / SLIP_FACTOR..=SLIP_FACTOR).contains(&(v / default).abs());
        let shares = matches!(
            self.unit,
            "share"
                | "factor"
                | "share of F_f"
                | "share of spend"
                | "share of private price"
                | "probability"
                | "probability/year"
        );
        let guess = if ratio > 1.0 && shares && near(value / 100.0) {
            format!(
                "; if a percentage was meant, write {} for {}%",
                shown(value / 100.0),
                shown(value)
            )
        } else if ratio < 1.0 && self.unit.starts_with("GBP") && near(value * 1e6) {
            format!("; if GBP millions were meant, write {}", shown(value * 1e6))
        } else {
            String::new()
        };
        let how = if ratio > 1.0 {
            format!("{} times", shown((ratio * 10.0).round() / 10.0))
        } else {
            format!("1/{} of", shown((1.0 / ratio).round()))
        };
        Some(format!(
            "{} is {how} the default {} ({}): allowed, but far from it{guess}",
            shown(value),
            shown(default),
            self.unit
        ))
    }

    /// Writes `value` into `params`; the caller has checked it against [`ParamKey::rule`].
    /// Integer keys take the value rounded to the nearest integer.
    pub fn set(&self, params: &mut Params, value: f64) {
        (self.set)(params, value)
    }

    /// Reads the key's value from `params`.
    pub fn get(&self, params: &Params) -> f64 {
        (self.get)(params)
    }
}

/// Declares a row of [`KEYS`] for a floating-point field of [`Params`].
macro_rules! float_key {
    ($path:expr, $rule:expr, $unit:literal, $source:ident, $meaning:literal, $($field:tt)+) => {
        ParamKey {
            path: $path,
            rule: $rule,
            unit: $unit,
            source: Source::$source,
            meaning: $meaning,
            get: |p| p.$($field)+,
            set: |p, v| p.$($field)+ = v,
        }
    };
}

/// Declares a row of [`KEYS`] for an integer field of [`Params`].
macro_rules! int_key {
    ($path:expr, $rule:expr, $unit:literal, $source:ident, $meaning:literal, $($field:tt)+) => {
        ParamKey {
            path: $path,
            rule: $rule,
            unit: $unit,
            source: Source::$source,
            meaning: $meaning,
            get: |p| f64::from(p.$($field)+),
            set: |p, v| p.$($field)+ = v.round() as u32,
        }
    };
}

/// Declares the row `procurement.cost_<option>` of an option whose CCGs procure (section 7);
/// a test checks that every such option has one, named by its key.
macro_rules! procurement_cost_key {
    ($option:ident, $name:literal, $meaning:literal) => {
        ParamKey {
            path: concat!("procurement.cost_", $name),
            rule: Rule::Range(0.0, MAX_MONEY),
            unit: "GBP/procurement",
            source: Source::Assumption,
            meaning: $meaning,
            get: |p| p.procurement.of(OptionKind::$option).map_or(f64::NAN, |x| x.cost),
            set: |p, v| {
                if let Some(x) = &mut p.procurement.by_option[OptionKind::$option as usize] {
                    x.cost = v;
                }
            },
        }
    };
}

/// Declares the five rows of one function's parameters (section 5).
macro_rules! function_keys {
    ($name:literal, $idx:literal, $scale_source:ident) => {
        [
            float_key!(
                concat!("functions.", $name, ".fixed_cost"),
                Rule::Range(0.0, MAX_MONEY),
                "GBP/year",
                Assumption,
                "fixed cost F_f of one unit (section 5)",
                functions[$idx].fixed_cost
            ),
            float_key!(
                concat!("functions.", $name, ".variable_cost"),
                Rule::Range(0.0, MAX_PER_HEAD),
                "GBP/head/year",
                Assumption,
                "variable cost v_f per head served (section 5)",
                functions[$idx].variable_cost
            ),
            float_key!(
                concat!("functions.", $name, ".efficient_scale"),
                Rule::Range(1.0, MAX_PEOPLE),
                "people",
                $scale_source,
                "efficient scale Q*_f, where cost per head is lowest (section 5)",
                functions[$idx].efficient_scale
            ),
            float_key!(
                concat!("functions.", $name, ".shareable"),
                PROBABILITY,
                "share",
                Assumption,
                "share s_f of the fixed cost held once nationally under national and network (section 5)",
                functions[$idx].shareable
            ),
            float_key!(
                concat!("functions.", $name, ".headroom"),
                Rule::Range(0.0, MAX_FACTOR),
                "share",
                Assumption,
                "capacity above the planned catchment (section 4)",
                functions[$idx].headroom
            ),
        ]
    };
}

const TIME: [ParamKey; 2] = [
    int_key!(
        "time.months",
        Rule::Integer(1, MAX_MONTHS),
        "months",
        Setting,
        "horizon H; month 0 is October 2012 (section 3)",
        time.months
    ),
    int_key!(
        "time.go_live_month",
        Rule::Integer(0, MAX_MONTHS - 1),
        "month",
        Fact,
        "go-live month G; 6 is April 2013, when CCGs took over (section 3)",
        time.go_live_month
    ),
];

const FUNCTIONS: [[ParamKey; 5]; 4] = [
    function_keys!("business_intelligence", 0, Fact),
    function_keys!("clinical_procurement", 1, Assumption),
    function_keys!("business_support", 2, Assumption),
    function_keys!("communications", 3, Assumption),
];

const OTHERS: [ParamKey; 37] = [
    float_key!(
        "costs.cost_cv",
        Rule::Range(0.0, MAX_CV),
        "CV",
        Assumption,
        "spread of each unit's drawn fixed and variable cost (section 5)",
        costs.cost_cv
    ),
    float_key!(
        "costs.national_overhead",
        Rule::Range(0.0, MAX_MONEY),
        "GBP/year",
        Assumption,
        "overhead of the national organisation (section 5)",
        costs.national_overhead
    ),
    float_key!(
        "costs.network_overhead",
        Rule::Range(0.0, MAX_MONEY),
        "GBP/year",
        Assumption,
        "overhead of the network's coordination (section 5)",
        costs.network_overhead
    ),
    float_key!(
        "costs.distance_cost_per_km",
        Rule::Range(0.0, MAX_PER_HEAD),
        "GBP/CCG-function/km/year",
        Assumption,
        "cost of distance between a CCG and its NHS unit (section 6)",
        costs.distance_cost_per_km
    ),
    float_key!(
        "costs.remote_cost_per_head",
        Rule::Range(0.0, MAX_PER_HEAD),
        "GBP/population-year",
        Assumption,
        "surcharge on work pooled to another unit (section 6)",
        costs.remote_cost_per_head
    ),
    float_key!(
        "costs.coordination_cost",
        Rule::Range(0.0, MAX_MONEY),
        "GBP/CCG/extra team/year",
        Assumption,
        "network: cost per CCG of each team beyond the first (section 7)",
        costs.coordination_cost
    ),
    float_key!(
        "costs.transition_cost_per_head",
        Rule::Range(0.0, MAX_PER_HEAD),
        "GBP/head",
        Assumption,
        "one-off TUPE cost when a unit fails, per head moved (section 7)",
        costs.transition_cost_per_head
    ),
    float_key!(
        "costs.in_house_fixed_share",
        Rule::Range(0.0, MAX_FACTOR),
        "share of F_f",
        Assumption,
        "share of a unit's fixed cost an in-house CCG pays per function (section 7)",
        costs.in_house_fixed_share
    ),
    float_key!(
        "costs.in_house_premium",
        Rule::Above(-1.0, MAX_FACTOR),
        "share",
        Assumption,
        "premium on the variable cost in-house (section 7)",
        costs.in_house_premium
    ),
    float_key!(
        "demand.cv_level",
        Rule::Range(0.0, MAX_CV),
        "CV",
        Assumption,
        "spread of each CCG-function's demand level, drawn once (section 6)",
        demand.cv_level
    ),
    float_key!(
        "demand.cv_month",
        Rule::Range(0.0, MAX_CV),
        "CV",
        Assumption,
        "spread of monthly demand noise (section 6)",
        demand.cv_month
    ),
    int_key!(
        "service.max_wait_months",
        Rule::Integer(0, MAX_MONTHS),
        "months",
        Assumption,
        "age W after which queued work is lost (section 6)",
        service.max_wait_months
    ),
    float_key!(
        "service.pool_efficiency",
        PROBABILITY,
        "share",
        Assumption,
        "share of spare capacity national and network can pool (section 6)",
        service.pool_efficiency
    ),
    float_key!(
        "choice.budget_mean",
        Rule::Range(0.0, MAX_PER_HEAD),
        "GBP/head/year",
        Calibrated,
        "mean budget for all four functions; about 13% find GBP 9 unaffordable (section 7)",
        choice.budget_mean
    ),
    float_key!(
        "choice.budget_cv",
        Rule::Range(0.0, MAX_CV),
        "CV",
        Calibrated,
        "spread of budgets across CCGs (section 7)",
        choice.budget_cv
    ),
    float_key!(
        "choice.max_distance_km",
        Rule::Range(0.0, MAX_KM),
        "km",
        Assumption,
        "hubs: farthest hub a CCG considers, inclusive (section 7)",
        choice.max_distance_km
    ),
    float_key!(
        "choice.switch_wait_months",
        Rule::Range(0.0, MAX_MONTHS as f64),
        "months",
        Assumption,
        "expected onboarding wait beyond which a CCG goes private (section 7)",
        choice.switch_wait_months
    ),
    procurement_cost_key!(Hubs, "hubs", "transaction cost of a hubs procurement (section 7)"),
    procurement_cost_key!(
        Framework,
        "framework",
        "transaction cost of a framework call-off (section 7)"
    ),
    float_key!(
        "onboarding.per_unit_month",
        Rule::Range(0.0, MAX_SLOTS),
        "CCGs/month",
        Assumption,
        "onboarding slots every unit has (section 4)",
        onboarding.per_unit_month
    ),
    float_key!(
        "onboarding.per_million_month",
        Rule::Range(0.0, MAX_SLOTS),
        "CCGs/month per million people",
        Assumption,
        "onboarding slots in proportion to planned catchment (section 4)",
        onboarding.per_million_month
    ),
    int_key!(
        "onboarding.private_per_month",
        Rule::Integer(0, 1_000_000),
        "CCG entries/month",
        Assumption,
        "private sector's onboarding rate, all CCGs together (section 7)",
        onboarding.private_per_month
    ),
    float_key!(
        "market.price_margin",
        Rule::Above(-1.0, MAX_FACTOR),
        "share",
        Assumption,
        "framework only: national price over efficient-scale cost (section 7)",
        market.price_margin
    ),
    float_key!(
        "market.private_margin",
        Rule::Above(-1.0, MAX_FACTOR),
        "share",
        Assumption,
        "private price over efficient-scale cost (section 7)",
        market.private_margin
    ),
    float_key!(
        "risk.p_checkpoint",
        PROBABILITY,
        "probability",
        Fact,
        "a unit fails the checkpoint before month 0; 3 of 26 candidate CSUs (section 7)",
        risk.p_checkpoint
    ),
    float_key!(
        "risk.p_weak",
        PROBABILITY,
        "probability",
        Fact,
        "a unit is weak; 9 of 23 CSUs needed rigorous management (section 7)",
        risk.p_weak
    ),
    float_key!(
        "risk.weak_capacity_factor",
        Rule::Range(0.0, MAX_FACTOR),
        "factor",
        Assumption,
        "capacity of a weak unit (section 7)",
        risk.weak_capacity_factor
    ),
    float_key!(
        "risk.weak_cost_factor",
        Rule::Range(0.0, MAX_FACTOR),
        "factor",
        Assumption,
        "fixed cost of a weak unit (section 7)",
        risk.weak_cost_factor
    ),
    float_key!(
        "risk.p_fail_annual",
        PROBABILITY,
        "probability/year",
        Assumption,
        "an open unit fails in operation (section 7)",
        risk.p_fail_annual
    ),
    float_key!(
        "risk.p_systemic_annual",
        PROBABILITY,
        "probability/year",
        Assumption,
        "national: a systemic disruption halves every site's capacity (section 7)",
        risk.p_systemic_annual
    ),
    int_key!(
        "risk.recovery_months",
        Rule::Integer(0, MAX_MONTHS),
        "months",
        Assumption,
        "national: months a systemic disruption lasts (section 7)",
        risk.recovery_months
    ),
    float_key!(
        "risk.national_site_factor",
        Rule::Range(0.0, 10.0),
        "factor",
        Assumption,
        "national sites' checkpoint, weak and operating failure probabilities over other units'; 0 is version 4 (section 7)",
        risk.national_site_factor
    ),
    float_key!(
        "value.unmet_penalty",
        Rule::Range(0.0, MAX_FACTOR),
        "share of private price",
        Assumption,
        "unmet work is valued at (1 + penalty) times its private price (section 8)",
        value.unmet_penalty
    ),
    float_key!(
        "value.spend_per_head",
        Rule::Range(0.0, MAX_PER_HEAD),
        "GBP/head/year",
        Assumption,
        "what CCGs commission a year per head, for negotiating leverage (section 5a)",
        value.spend_per_head
    ),
    float_key!(
        "value.leverage_max",
        Rule::Range(0.0, 0.1),
        "share of spend",
        Assumption,
        "most a negotiator can save of the spend it speaks for; 0 is off (section 5a)",
        value.leverage_max
    ),
    float_key!(
        "value.leverage_half",
        Rule::Above(0.0, MAX_PEOPLE),
        "people",
        Assumption,
        "population at which half the most is saved (section 5a)",
        value.leverage_half
    ),
    float_key!(
        "value.choice_per_head",
        Rule::Range(0.0, MAX_PER_HEAD),
        "GBP/head/year",
        Assumption,
        "shadow cost of a CCG assigned against its preference; 0 is off (section 5a)",
        value.choice_per_head
    ),
];

/// Number of numeric scalar keys.
pub const N_KEYS: usize = TIME.len() + 5 * FUNCTIONS.len() + OTHERS.len();

/// Every numeric scalar key, in documentation order: time, functions, then the rest.
pub static KEYS: [ParamKey; N_KEYS] = concat_keys();

/// Builds [`KEYS`] from its parts.
const fn concat_keys() -> [ParamKey; N_KEYS] {
    let mut keys = [TIME[0]; N_KEYS];
    let mut k = 0;
    let mut i = 0;
    while i < TIME.len() {
        keys[k] = TIME[i];
        (k, i) = (k + 1, i + 1);
    }
    let mut f = 0;
    while f < FUNCTIONS.len() {
        let mut j = 0;
        while j < FUNCTIONS[f].len() {
            keys[k] = FUNCTIONS[f][j];
            (k, j) = (k + 1, j + 1);
        }
        f += 1;
    }
    i = 0;
    while i < OTHERS.len() {
        keys[k] = OTHERS[i];
        (k, i) = (k + 1, i + 1);
    }
    keys
}

/// Returns every numeric scalar key, in documentation order.
pub fn all_keys() -> &'static [ParamKey] {
    &KEYS
}

/// Returns the key with this path, if it is a numeric scalar key.
pub fn find_key(path: &str) -> Option<&'static ParamKey> {
    KEYS.iter().find(|k| k.path == path)
}

/// Returns the candidate nearest to `typed`, if it is close enough to be a likely typo.
pub fn nearest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    // A key the user started typing (`risk.p_fail` for `risk.p_fail_annual`) is the best guess.
    let prefixed = candidates
        .iter()
        .copied()
        .filter(|c| c.starts_with(typed) && !typed.is_empty())
        .min_by_key(|c| c.len());
    if prefixed.is_some() {
        return prefixed;
    }
    let (best, distance) = candidates
        .iter()
        .map(|&c| (c, strsim::levenshtein(typed, c)))
        .min_by_key(|&(_, d)| d)?;
    (distance <= (typed.len() / 3).max(2)).then_some(best)
}

/// Returns "did you mean 'x'? " for the nearest candidate, or "" when none is close.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(typed, candidates)
        .map(|best| format!("did you mean '{best}'? "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each option whose CCGs procure by default has its transaction-cost key, named by the
    /// option's key, reading and writing that option's cost; no other option has one. (The
    /// rows are the one place per option the compiler does not point to.)
    #[test]
    fn every_procuring_option_has_its_cost_key_and_no_other_does() {
        let defaults = Params::default();
        for option in OptionKind::ALL {
            let key = find_key(&format!("procurement.cost_{option}"));
            match defaults.procurement.of(option) {
                Some(procurement) => {
                    let key = key.unwrap_or_else(|| panic!("{option}: no procurement.cost_{option}"));
                    assert_eq!(key.get(&defaults), procurement.cost);
                    let mut params = defaults.clone();
                    key.set(&mut params, 123.0);
                    assert_eq!(params.procurement.of(option).map(|p| p.cost), Some(123.0));
                    let mut others = OptionKind::ALL.into_iter().filter(|&o| o != option);
                    assert!(others.all(|o| params.procurement.of(o) == defaults.procurement.of(o)));
                }
                None => assert!(key.is_none(), "{option} does not procure"),
            }
        }
        let costs = all_keys()
            .iter()
            .filter(|k| k.path.starts_with("procurement.cost_"))
            .count();
        assert_eq!(costs, defaults.procurement.procuring().count());
    }

    /// Issue 27's slips: a headroom of 10 (1,000%), an overhead of GBP 10 a year, an in-house
    /// premium of 20 are warned of, with what was probably meant; ordinary values are not.
    #[test]
    fn unit_slips_are_warned_of_with_what_was_meant() {
        let key = |path| find_key(path).unwrap();
        let headroom = key("functions.business_support.headroom").slip(10.0).unwrap();
        assert!(
            headroom.contains("100 times") && headroom.contains("write 0.1 for 10%"),
            "{headroom}"
        );
        let overhead = key("costs.national_overhead").slip(10.0).unwrap();
        assert!(overhead.contains("write 10000000"), "{overhead}");
        assert!(
            key("costs.in_house_premium")
                .slip(20.0)
                .unwrap()
                .contains("write 0.2 for 20%")
        );
        assert_eq!(key("risk.p_fail_annual").slip(0.5), None);
        assert_eq!(key("costs.national_overhead").slip(60e6), None);
        assert_eq!(
            key("value.leverage_max").slip(0.002),
            None,
            "a default of 0 has no scale"
        );
    }

    #[test]
    fn numbers_in_messages_stay_short() {
        assert_eq!(shown(1e200), "1e200");
        assert_eq!(shown(-2.5e-9), "-2.5e-9");
        assert_eq!(shown(0.15), "0.15");
        assert_eq!(shown(30.0), "30");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(f64::INFINITY), "inf");
    }

    #[test]
    fn every_key_reads_back_what_it_writes_into_a_field_of_its_own() {
        // Each key gets a distinct value in one parameter set; two keys sharing a field
        // would read back the other's value.
        let mut params = Params::default();
        let value = |k: usize| (k + 1) as f64 / if KEYS[k].rule.is_integer() { 1.0 } else { 64.0 };
        for (k, key) in all_keys().iter().enumerate() {
            key.set(&mut params, value(k));
        }
        for (k, key) in all_keys().iter().enumerate() {
            assert_eq!(key.get(&params), value(k), "{}", key.path);
        }
        find_key("time.months").unwrap().set(&mut params, 2.6);
        assert_eq!(params.time.months, 3, "integer keys round");
    }

    #[test]
    fn keys_are_unique_and_include_function_fields() {
        let keys = all_keys();
        let mut paths: Vec<&str> = keys.iter().map(|k| k.path).collect();
        assert!(paths.contains(&"functions.business_support.efficient_scale"));
        let n = paths.len();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), n);
        assert_eq!(n, 39 + 20);
    }

    #[test]
    fn defaults_read_as_documented() {
        let params = Params::default();
        assert_eq!(find_key("risk.p_fail_annual").unwrap().get(&params), 0.03);
        assert_eq!(find_key("time.months").unwrap().get(&params), 30.0);
        let factor = find_key("risk.national_site_factor").unwrap();
        assert_eq!(factor.get(&params), 1.0);
        assert_eq!(factor.rule, Rule::Range(0.0, 10.0));
    }

    #[test]
    fn typos_get_a_suggestion() {
        let keys = all_keys();
        let paths = || keys.iter().map(|k| k.path);
        assert_eq!(nearest("risk.p_fail_anual", paths()), Some("risk.p_fail_annual"));
        assert_eq!(nearest("time.month", paths()), Some("time.months"));
        assert_eq!(nearest("risk.p_fail", paths()), Some("risk.p_fail_annual"));
        assert_eq!(nearest("zzzzzzzzzzzz", paths()), None);
    }

    #[test]
    fn rules_admit_their_ranges() {
        assert!(PROBABILITY.admits(1.0) && !PROBABILITY.admits(1.01) && !PROBABILITY.admits(-1e-300));
        assert!(!Rule::Above(0.0, 1.0).admits(0.0) && Rule::Range(0.0, 1.0).admits(0.0));
        assert!(!Rule::Above(-1.0, 2.0).admits(-1.0) && Rule::Above(-1.0, 2.0).admits(-0.5));
        assert!(Rule::Above(-1.0, 2.0).admits(2.0) && !Rule::Above(-1.0, 2.0).admits(2.0000001));
        assert!(!Rule::Integer(1, 5).admits(2.5) && Rule::Integer(1, 5).admits(5.0));
        assert!(!Rule::Range(0.0, MAX_MONEY).admits(f64::INFINITY) && !Rule::Range(0.0, MAX_MONEY).admits(1.1e12));
        assert_eq!(
            Rule::Range(0.0, MAX_MONEY).allowed(),
            "a number from 0 to 1000000000000"
        );
        assert_eq!(Rule::Above(0.0, 1e15).allowed(), "a number > 0 and <= 1e15");
    }
}
