//! The numeric scalar keys of a scenario (MODEL.md section 9): their paths, types, allowed
//! ranges, and how each reads and writes [`Params`].
//!
//! One table serves parsing, validation, sweeps, `--set` and did-you-mean suggestions, so a
//! key cannot be accepted in one place and unknown in another.

use crate::model::{Function, Params};

/// What values a key accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Rule {
    /// A probability or share in \[0, 1\].
    Probability,
    /// Any finite number >= 0.
    NonNegative,
    /// Any finite number > 0.
    Positive,
    /// Any finite number > -1 (margins and premiums).
    AboveMinusOne,
    /// A coefficient of variation in \[0, [`MAX_CV`]\].
    Cv,
    /// An integer in the inclusive range.
    Integer(u64, u64),
}

impl Rule {
    /// Returns true for integer keys.
    pub fn is_integer(self) -> bool {
        matches!(self, Rule::Integer(..))
    }

    /// Returns what is allowed, for messages.
    pub fn allowed(self) -> String {
        match self {
            Rule::Probability => "a number from 0 to 1".to_string(),
            Rule::NonNegative => "a number >= 0".to_string(),
            Rule::Positive => "a number > 0".to_string(),
            Rule::AboveMinusOne => "a number > -1".to_string(),
            Rule::Cv => format!("a number >= 0 and <= {MAX_CV} (a coefficient of variation)"),
            Rule::Integer(lo, hi) => format!("an integer from {lo} to {hi}"),
        }
    }

    /// Returns true when `value` is allowed.
    pub fn admits(self, value: f64) -> bool {
        value.is_finite()
            && match self {
                Rule::Probability => (0.0..=1.0).contains(&value),
                Rule::NonNegative => value >= 0.0,
                Rule::Positive => value > 0.0,
                Rule::AboveMinusOne => value > -1.0,
                Rule::Cv => (0.0..=MAX_CV).contains(&value),
                Rule::Integer(lo, hi) => value.fract() == 0.0 && value >= lo as f64 && value <= hi as f64,
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

/// Largest coefficient of variation accepted: a mean-one lognormal with CV 100 already puts one
/// draw in a thousand above 118 times its mean, and from about 1e154 on `ln(1 + cv^2)`
/// overflows and every draw is undefined.
pub const MAX_CV: f64 = 100.0;

/// Longest horizon accepted \[months\]: 50 years.
pub const MAX_MONTHS: u64 = 600;

/// A numeric scalar key of the scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamKey {
    /// Dotted path, e.g. `risk.p_fail_annual`.
    pub path: String,
    /// Allowed values.
    pub rule: Rule,
}

/// Field of a function's parameters.
const FUNCTION_FIELDS: [(&str, Rule); 5] = [
    ("fixed_cost", Rule::NonNegative),
    ("variable_cost", Rule::NonNegative),
    ("efficient_scale", Rule::Positive),
    ("shareable", Rule::Probability),
    ("headroom", Rule::NonNegative),
];

/// The scalar keys outside `functions`.
const SCALARS: [(&str, Rule); 33] = [
    ("time.months", Rule::Integer(1, MAX_MONTHS)),
    ("time.go_live_month", Rule::Integer(0, MAX_MONTHS - 1)),
    ("costs.cost_cv", Rule::Cv),
    ("costs.national_overhead", Rule::NonNegative),
    ("costs.network_overhead", Rule::NonNegative),
    ("costs.distance_cost_per_km", Rule::NonNegative),
    ("costs.remote_cost_per_head", Rule::NonNegative),
    ("costs.coordination_cost", Rule::NonNegative),
    ("costs.transition_cost_per_head", Rule::NonNegative),
    ("costs.in_house_fixed_share", Rule::NonNegative),
    ("costs.in_house_premium", Rule::AboveMinusOne),
    ("demand.cv_level", Rule::Cv),
    ("demand.cv_month", Rule::Cv),
    ("service.max_wait_months", Rule::Integer(0, MAX_MONTHS)),
    ("service.pool_efficiency", Rule::Probability),
    ("choice.budget_mean", Rule::NonNegative),
    ("choice.budget_cv", Rule::Cv),
    ("choice.max_distance_km", Rule::NonNegative),
    ("choice.switch_wait_months", Rule::NonNegative),
    ("procurement.cost_hubs", Rule::NonNegative),
    ("procurement.cost_framework", Rule::NonNegative),
    ("onboarding.per_unit_month", Rule::NonNegative),
    ("onboarding.per_million_month", Rule::NonNegative),
    ("onboarding.private_per_month", Rule::Integer(0, 1_000_000)),
    ("market.price_margin", Rule::AboveMinusOne),
    ("market.private_margin", Rule::AboveMinusOne),
    ("risk.p_checkpoint", Rule::Probability),
    ("risk.p_weak", Rule::Probability),
    ("risk.weak_capacity_factor", Rule::NonNegative),
    ("risk.weak_cost_factor", Rule::NonNegative),
    ("risk.p_fail_annual", Rule::Probability),
    ("risk.p_systemic_annual", Rule::Probability),
    ("risk.recovery_months", Rule::Integer(0, MAX_MONTHS)),
];

/// Returns every numeric scalar key, in documentation order.
pub fn all_keys() -> Vec<ParamKey> {
    let mut keys: Vec<ParamKey> = Vec::with_capacity(SCALARS.len() + 20);
    let mut push = |path: String, rule: Rule| keys.push(ParamKey { path, rule });
    for (path, rule) in SCALARS.iter().take(2) {
        push(path.to_string(), *rule);
    }
    for f in Function::ALL {
        for (field, rule) in FUNCTION_FIELDS {
            push(format!("functions.{}.{field}", f.key()), rule);
        }
    }
    for (path, rule) in SCALARS.iter().skip(2) {
        push(path.to_string(), *rule);
    }
    keys
}

/// Returns the key with this path, if it is a numeric scalar key.
pub fn find_key(path: &str) -> Option<ParamKey> {
    all_keys().into_iter().find(|k| k.path == path)
}

/// A mutable place in [`Params`] holding a key's value.
enum Slot<'a> {
    Float(&'a mut f64),
    Int(&'a mut u32),
}

fn function_slot<'a>(params: &'a mut Params, function: &str, field: &str) -> Option<Slot<'a>> {
    let fp = &mut params.functions[Function::from_key(function)?.index()];
    Some(Slot::Float(match field {
        "fixed_cost" => &mut fp.fixed_cost,
        "variable_cost" => &mut fp.variable_cost,
        "efficient_scale" => &mut fp.efficient_scale,
        "shareable" => &mut fp.shareable,
        "headroom" => &mut fp.headroom,
        _ => return None,
    }))
}

fn slot<'a>(params: &'a mut Params, path: &str) -> Option<Slot<'a>> {
    if let Some(rest) = path.strip_prefix("functions.") {
        let (function, field) = rest.split_once('.')?;
        return function_slot(params, function, field);
    }
    let p = params;
    Some(match path {
        "time.months" => Slot::Int(&mut p.time.months),
        "time.go_live_month" => Slot::Int(&mut p.time.go_live_month),
        "costs.cost_cv" => Slot::Float(&mut p.costs.cost_cv),
        "costs.national_overhead" => Slot::Float(&mut p.costs.national_overhead),
        "costs.network_overhead" => Slot::Float(&mut p.costs.network_overhead),
        "costs.distance_cost_per_km" => Slot::Float(&mut p.costs.distance_cost_per_km),
        "costs.remote_cost_per_head" => Slot::Float(&mut p.costs.remote_cost_per_head),
        "costs.coordination_cost" => Slot::Float(&mut p.costs.coordination_cost),
        "costs.transition_cost_per_head" => Slot::Float(&mut p.costs.transition_cost_per_head),
        "costs.in_house_fixed_share" => Slot::Float(&mut p.costs.in_house_fixed_share),
        "costs.in_house_premium" => Slot::Float(&mut p.costs.in_house_premium),
        "demand.cv_level" => Slot::Float(&mut p.demand.cv_level),
        "demand.cv_month" => Slot::Float(&mut p.demand.cv_month),
        "service.max_wait_months" => Slot::Int(&mut p.service.max_wait_months),
        "service.pool_efficiency" => Slot::Float(&mut p.service.pool_efficiency),
        "choice.budget_mean" => Slot::Float(&mut p.choice.budget_mean),
        "choice.budget_cv" => Slot::Float(&mut p.choice.budget_cv),
        "choice.max_distance_km" => Slot::Float(&mut p.choice.max_distance_km),
        "choice.switch_wait_months" => Slot::Float(&mut p.choice.switch_wait_months),
        "procurement.cost_hubs" => Slot::Float(&mut p.procurement.cost_hubs),
        "procurement.cost_framework" => Slot::Float(&mut p.procurement.cost_framework),
        "onboarding.per_unit_month" => Slot::Float(&mut p.onboarding.per_unit_month),
        "onboarding.per_million_month" => Slot::Float(&mut p.onboarding.per_million_month),
        "onboarding.private_per_month" => Slot::Int(&mut p.onboarding.private_per_month),
        "market.price_margin" => Slot::Float(&mut p.market.price_margin),
        "market.private_margin" => Slot::Float(&mut p.market.private_margin),
        "risk.p_checkpoint" => Slot::Float(&mut p.risk.p_checkpoint),
        "risk.p_weak" => Slot::Float(&mut p.risk.p_weak),
        "risk.weak_capacity_factor" => Slot::Float(&mut p.risk.weak_capacity_factor),
        "risk.weak_cost_factor" => Slot::Float(&mut p.risk.weak_cost_factor),
        "risk.p_fail_annual" => Slot::Float(&mut p.risk.p_fail_annual),
        "risk.p_systemic_annual" => Slot::Float(&mut p.risk.p_systemic_annual),
        "risk.recovery_months" => Slot::Int(&mut p.risk.recovery_months),
        _ => return None,
    })
}

impl ParamKey {
    /// Writes `value` into `params`; the caller has checked it against [`ParamKey::rule`].
    pub fn set(&self, params: &mut Params, value: f64) {
        match slot(params, &self.path) {
            Some(Slot::Float(place)) => *place = value,
            Some(Slot::Int(place)) => *place = value as u32,
            None => unreachable!("every listed key has a slot: {}", self.path),
        }
    }

    /// Reads the key's value from `params`.
    pub fn get(&self, params: &Params) -> f64 {
        let mut copy = params.clone();
        match slot(&mut copy, &self.path) {
            Some(Slot::Float(place)) => *place,
            Some(Slot::Int(place)) => f64::from(*place),
            None => unreachable!("every listed key has a slot: {}", self.path),
        }
    }
}

/// Returns the Levenshtein edit distance between two strings.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
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
        .map(|&c| (c, edit_distance(typed, c)))
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
    fn every_key_reads_back_what_it_writes() {
        for key in all_keys() {
            let mut params = Params::default();
            let value = if key.rule.is_integer() { 3.0 } else { 0.25 };
            key.set(&mut params, value);
            assert_eq!(key.get(&params), value, "{}", key.path);
        }
    }

    #[test]
    fn keys_are_unique_and_include_function_fields() {
        let keys = all_keys();
        let mut paths: Vec<&str> = keys.iter().map(|k| k.path.as_str()).collect();
        assert!(paths.contains(&"functions.business_support.efficient_scale"));
        let n = paths.len();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), n);
        assert_eq!(n, 33 + 20);
    }

    #[test]
    fn defaults_read_as_documented() {
        let params = Params::default();
        assert_eq!(find_key("risk.p_fail_annual").unwrap().get(&params), 0.03);
        assert_eq!(find_key("time.months").unwrap().get(&params), 30.0);
    }

    #[test]
    fn typos_get_a_suggestion() {
        let keys = all_keys();
        let paths = || keys.iter().map(|k| k.path.as_str());
        assert_eq!(nearest("risk.p_fail_anual", paths()), Some("risk.p_fail_annual"));
        assert_eq!(nearest("time.month", paths()), Some("time.months"));
        assert_eq!(nearest("risk.p_fail", paths()), Some("risk.p_fail_annual"));
        assert_eq!(nearest("zzzzzzzzzzzz", paths()), None);
    }

    #[test]
    fn rules_admit_their_ranges() {
        assert!(Rule::Probability.admits(1.0) && !Rule::Probability.admits(1.01));
        assert!(!Rule::Positive.admits(0.0) && Rule::NonNegative.admits(0.0));
        assert!(!Rule::AboveMinusOne.admits(-1.0) && Rule::AboveMinusOne.admits(-0.5));
        assert!(!Rule::Integer(1, 5).admits(2.5) && Rule::Integer(1, 5).admits(5.0));
        assert!(!Rule::NonNegative.admits(f64::INFINITY));
    }
}
