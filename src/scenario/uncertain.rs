//! What the analyst is unsure of: the `[uncertain]` table, mapping numeric keys to
//! distributions, and the `[decision]` table, a rule beyond "cheapest" (the uncertainty
//! analysis, `csu-sim uncertainty`).
//!
//! ```toml
//! [uncertain]
//! "costs.national_overhead" = { uniform = [5e6, 20e6] }
//! "risk.p_fail_annual" = { beta = [0.03, 0.015] }
//!
//! [decision]
//! max_unmet_share = 0.02
//! confidence = 0.95
//! ```

use super::keys::{self, ParamKey, Rule, shown};
use super::parse::{Item, Parser};
use super::{Scenario, check_params};
use crate::model::Params;
use crate::stats::distribution::Distribution;

/// Lowest and highest cumulative probability a design maps to a value: the quantiles of an
/// unbounded distribution stay finite, and every draw within the key's checked range.
pub const PROBABILITY_CLIP: (f64, f64) = (1e-9, 1.0 - 1e-9);

/// One uncertain input: a numeric key and its distribution.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertainInput {
    /// The key.
    pub key: &'static ParamKey,
    /// Its distribution.
    pub distribution: Distribution,
}

impl UncertainInput {
    /// Returns the value at cumulative probability `p`, clipped to [`PROBABILITY_CLIP`] and
    /// rounded for integer keys.
    pub fn value_at(&self, p: f64) -> f64 {
        let value = self
            .distribution
            .quantile(p.clamp(PROBABILITY_CLIP.0, PROBABILITY_CLIP.1));
        if self.key.rule.is_integer() {
            value.round()
        } else {
            value
        }
    }
}

/// A decision rule beyond "cheapest": the cheapest option whose unmet share stays at or
/// below `max_unmet_share` with probability at least `confidence` over the uncertain inputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecisionRule {
    /// Largest acceptable unmet share.
    pub max_unmet_share: f64,
    /// Probability with which it must hold.
    pub confidence: f64,
}

/// What each distribution takes, for messages.
const DISTRIBUTIONS: &str =
    "{ uniform = [low, high] }, { triangular = [min, mode, max] }, { lognormal = [mean, cv] } or { beta = [mean, sd] }";

impl Parser<'_> {
    /// Reads the `[uncertain]` table.
    pub(super) fn uncertain(&mut self, item: Item, scenario: &mut Scenario) {
        let Some(table) = item.get_ref().as_table() else {
            self.problem(
                Some(item.span()),
                "uncertain",
                format!("expected a table of \"dotted.key\" = {DISTRIBUTIONS}"),
            );
            return;
        };
        // The table's own order is not the file's: keep the file's, by position.
        let mut entries: Vec<_> = table.iter().collect();
        entries.sort_by_key(|(key, _)| key.span().start);
        for (key, value) in entries {
            let path = key.get_ref().as_ref();
            let label = format!("uncertain.{path}");
            let Some(param) = keys::find_key(path) else {
                let hint = keys::did_you_mean(path, keys::all_keys().iter().map(|k| k.path));
                self.problem(
                    Some(key.span()),
                    &label,
                    format!("'{path}' is not a numeric key; {hint}an uncertain input is a numeric key such as risk.p_fail_annual (see csu-sim keys)"),
                );
                continue;
            };
            if let Some(distribution) = self.distribution(&label, value) {
                if let Some(message) = range_problem(param, &distribution) {
                    self.problem(Some(value.span()), &label, message);
                    continue;
                }
                self.record(&label, value);
                scenario.uncertain.retain(|u| u.key.path != param.path);
                scenario.uncertain.push(UncertainInput {
                    key: param,
                    distribution,
                });
            }
        }
    }

    /// Reads one distribution: an inline table with exactly one of the four kinds.
    fn distribution(&mut self, label: &str, item: Item) -> Option<Distribution> {
        let table = item.get_ref().as_table().filter(|t| t.len() == 1);
        let Some((kind, values)) = table.and_then(|t| t.iter().next()) else {
            self.problem(
                Some(item.span()),
                label,
                format!("expected one distribution: {DISTRIBUTIONS}"),
            );
            return None;
        };
        let any = Rule::Range(f64::MIN, f64::MAX);
        let distribution = match kind.get_ref().as_ref() {
            "uniform" => self
                .number_list::<2>(label, values, any)
                .map(|[low, high]| Distribution::Uniform { low, high }),
            "triangular" => self
                .number_list::<3>(label, values, any)
                .map(|[min, mode, max]| Distribution::Triangular { min, mode, max }),
            "lognormal" => self
                .number_list::<2>(label, values, any)
                .map(|[mean, cv]| Distribution::LogNormal { mean, cv }),
            "beta" => self
                .number_list::<2>(label, values, any)
                .map(|[mean, sd]| Distribution::Beta { mean, sd }),
            other => {
                let hint = keys::did_you_mean(other, ["uniform", "triangular", "lognormal", "beta"]);
                self.problem(
                    Some(kind.span()),
                    label,
                    format!("unknown distribution '{other}'; {hint}allowed: {DISTRIBUTIONS}"),
                );
                return None;
            }
        }?;
        if let Some(message) = distribution.problem() {
            self.problem(Some(item.span()), label, message);
            return None;
        }
        Some(distribution)
    }

    /// Reads the `[decision]` table.
    pub(super) fn decision(&mut self, item: Item, scenario: &mut Scenario) {
        let Some(table) = item.get_ref().as_table() else {
            self.problem(
                Some(item.span()),
                "decision",
                "expected a table: [decision] max_unmet_share = 0.02, confidence = 0.95",
            );
            return;
        };
        let mut rule = DecisionRule {
            max_unmet_share: f64::NAN,
            confidence: 0.95,
        };
        // Given, even if not valid (the error then says so): "missing" is for absent keys.
        let given = table.contains_key("max_unmet_share");
        for (key, value) in table {
            let path = format!("decision.{}", key.get_ref());
            let parsed = match key.get_ref().as_ref() {
                "max_unmet_share" => self
                    .scalar(&path, keys::PROBABILITY, value)
                    .map(|v| rule.max_unmet_share = v),
                "confidence" => self
                    .scalar(&path, Rule::Above(0.0, 1.0), value)
                    .map(|v| rule.confidence = v),
                other => {
                    let hint = keys::did_you_mean(other, ["max_unmet_share", "confidence"]);
                    self.problem(
                        Some(value.span()),
                        &path,
                        format!("unknown key; {hint}allowed: max_unmet_share, confidence"),
                    );
                    None
                }
            };
            if parsed.is_some() {
                self.record(&path, value);
            }
        }
        if rule.max_unmet_share.is_nan() {
            if given {
                return;
            }
            self.problem(
                Some(item.span()),
                "decision.max_unmet_share",
                "missing: the rule needs the largest acceptable unmet share, e.g. 0.02",
            );
        } else {
            scenario.decision = Some(rule);
        }
    }
}

/// Returns why a distribution's values would leave its key's allowed range, if they would:
/// its quantiles at [`PROBABILITY_CLIP`] must be allowed values.
fn range_problem(key: &ParamKey, distribution: &Distribution) -> Option<String> {
    let ends = [PROBABILITY_CLIP.0, PROBABILITY_CLIP.1].map(|p| distribution.quantile(p));
    let ends = if key.rule.is_integer() {
        ends.map(f64::round)
    } else {
        ends
    };
    if ends.iter().all(|&v| key.rule.admits(v)) {
        return None;
    }
    Some(format!(
        "this {} takes values from {} to {}, outside what {} allows ({}); narrow it",
        distribution.name(),
        shown(ends[0]),
        shown(ends[1]),
        key.path,
        key.rule.allowed()
    ))
}

impl Scenario {
    /// Returns the parameters with each uncertain input at cumulative probability `p[j]`
    /// (input `j` in [`Scenario::uncertain`] order); the others keep the scenario's values.
    pub fn params_at(&self, p: &[f64]) -> Params {
        let mut params = self.params.clone();
        for (input, &pj) in self.uncertain.iter().zip(p) {
            input.key.set(&mut params, input.value_at(pj));
        }
        params
    }

    /// Returns the problems of a parameter set drawn from the uncertain inputs (keys that
    /// must agree, such as go-live before the horizon), each naming the inputs' values.
    pub fn drawn_problems(&self, params: &Params) -> Vec<String> {
        check_params(params)
            .into_iter()
            .map(|(key, message)| {
                let values: Vec<String> = self
                    .uncertain
                    .iter()
                    .map(|u| format!("{} = {}", u.key.path, shown(u.key.get(params))))
                    .collect();
                format!("{key}: {message} (at the drawn values {})", values.join(", "))
            })
            .collect()
    }
}
