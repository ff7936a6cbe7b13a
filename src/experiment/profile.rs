//! How the delivery options differ, read from their own code (docs/model.md sections 4 to 7):
//! what each does, which risks it carries and which keys it alone reads, so the report's table
//! cannot drift from the model.

use super::ExperimentResults;
use crate::delivery::{self, Traits};
use crate::model::LayoutKind;
use crate::model::OptionKind;
use crate::model::params::Procurement;
use crate::scenario::keys::find_key;

/// One option as the model has it, at the scenario's values (first sweep point).
#[derive(Clone, Debug, PartialEq)]
pub struct OptionProfile {
    /// The option.
    pub option: OptionKind,
    /// Its constant traits.
    pub traits: Traits,
    /// How its CCGs procure, or `None` when assigned.
    pub procurement: Option<Procurement>,
    /// Its overhead when fixed costs are shared \[GBP/year\].
    pub overhead: Option<f64>,
    /// Multiple of the unit risks its units carry.
    pub risk_factor: f64,
    /// Keys it alone reads, with the scenario's values: `(path, value, default)`.
    pub own_keys: Vec<(&'static str, f64, f64)>,
}

/// Returns the profile of every option the run has, in run order.
pub fn profiles(results: &ExperimentResults) -> Vec<OptionProfile> {
    let mut options: Vec<OptionKind> = Vec::new();
    for cell in &results.cells {
        if !options.contains(&cell.option) {
            options.push(cell.option);
        }
    }
    let params = &results.params;
    let defaults = crate::model::Params::default();
    options
        .into_iter()
        .map(|option| {
            let code = delivery::build(option);
            OptionProfile {
                option,
                traits: code.traits(),
                procurement: code.procurement(params),
                overhead: code.shared_overhead(params),
                risk_factor: code.risk_factor(params),
                own_keys: code
                    .own_keys()
                    .iter()
                    .filter_map(|&path| {
                        let key = find_key(path)?;
                        Some((path, key.get(params), key.get(&defaults)))
                    })
                    .collect(),
            }
        })
        .collect()
}

impl OptionProfile {
    /// Returns the rows of the comparison table: `(question, this option's answer)`.
    pub fn answers(&self) -> Vec<(&'static str, String)> {
        let t = &self.traits;
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        vec![
            (
                "units",
                match t.layout {
                    LayoutKind::Sites => "N sites, each doing all four functions".to_string(),
                    LayoutKind::Teams => "N teams, each doing one function".to_string(),
                },
            ),
            (
                "who chooses the provider",
                if t.honours_preferences {
                    "the CCG (in-house and outside-NHS preferences honoured)".to_string()
                } else {
                    "assigned: the nearest open unit (preferences overridden)".to_string()
                },
            ),
            (
                "who procures",
                match self.procurement {
                    Some(p) => format!(
                        "each CCG: {}, {}, {} months (min, mode, max), GBP {:.0} each",
                        p.duration.min, p.duration.mode, p.duration.max, p.cost
                    ),
                    None => "no one: CCGs are assigned when ready".to_string(),
                },
            ),
            (
                "onboarding",
                if t.national_queue {
                    "one national queue, fed by the open sites' slots".to_string()
                } else {
                    "a queue per unit".to_string()
                },
            ),
            ("goes private when the wait is long", yes_no(t.switch_rule)),
            ("pools spare capacity", yes_no(t.pools)),
            (
                "shares fixed costs",
                match self.overhead {
                    Some(overhead) => format!(
                        "yes: a share of each function's fixed cost is held once, plus GBP {:.1} m a year overhead",
                        overhead / 1e6
                    ),
                    None => "no".to_string(),
                },
            ),
            (
                "negotiates for",
                if t.negotiates_nationally {
                    "every CCG it serves, as one".to_string()
                } else {
                    "each unit's own CCGs".to_string()
                },
            ),
            (
                "unit risks (checkpoint, weak, operating failure)",
                if self.risk_factor == 1.0 {
                    "yes, at the scenario's probabilities".to_string()
                } else if self.risk_factor == 0.0 {
                    "none: its units never fail and are never weak (factor 0)".to_string()
                } else {
                    format!("yes, at {} times the scenario's probabilities", self.risk_factor)
                },
            ),
            ("national systemic disruption", yes_no(t.systemic_risk)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key an option claims is a numeric key of the scenario, and no key is claimed by
    /// two options.
    #[test]
    fn each_own_key_is_a_real_key_of_one_option() {
        let mut seen: Vec<&str> = Vec::new();
        for option in OptionKind::ALL {
            for &path in delivery::build(option).own_keys() {
                assert!(find_key(path).is_some(), "{option}: {path} is not a key");
                assert!(!seen.contains(&path), "{path} claimed twice");
                seen.push(path);
            }
        }
        assert!(seen.contains(&"risk.national_site_factor"));
    }
}
