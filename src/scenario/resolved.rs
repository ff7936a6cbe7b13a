//! The scenario as resolved: every key with the value a run used, as TOML that parses back to
//! the same scenario (written into `run.json` so any run can be reproduced).

use std::fmt::Write;

use super::Scenario;
use super::keys::{self, Rule};
use crate::model::Params;
use crate::model::params::preference;
use crate::stats::distribution::Distribution;

/// Formats a TOML string literal, every special character escaped.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

/// Formats a number for TOML: integers for integer keys, floats keep a decimal point or exponent.
fn value(x: f64, integer: bool) -> String {
    if integer {
        format!("{}", x as u64)
    } else {
        let text = format!("{x:?}");
        if text.contains(['.', 'e', 'E']) {
            text
        } else {
            format!("{text}.0")
        }
    }
}

fn list(values: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", values.into_iter().collect::<Vec<_>>().join(", "))
}

impl Scenario {
    /// Returns TOML stating every key of the scenario with its resolved value.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        self.write_top(&mut out);
        write_params(&mut out, &self.params);
        self.write_sweep(&mut out);
        self.write_uncertain(&mut out);
        if let Some(rule) = self.decision {
            let _ = writeln!(
                out,
                "\n[decision]\nmax_unmet_share = {}\nconfidence = {}",
                value(rule.max_unmet_share, false),
                value(rule.confidence, false)
            );
        }
        out
    }

    /// The keys above the first table: name, seed, replications, options, units, register.
    fn write_top(&self, out: &mut String) {
        let _ = writeln!(out, "name = {}", quoted(&self.name));
        // TOML integers stop at 2^63 - 1: a larger seed is written as a string, which the
        // parser reads back.
        if self.seed > i64::MAX as u64 {
            let _ = writeln!(out, "seed = \"{}\"", self.seed);
        } else {
            let _ = writeln!(out, "seed = {}", self.seed);
        }
        let _ = writeln!(out, "replications = {}", self.replications);
        let _ = writeln!(out, "options = {}", list(self.options.iter().map(|o| quoted(o.key()))));
        let _ = writeln!(out, "units = {}", list(self.units.iter().map(|n| n.to_string())));
        if let Some(ccgs) = &self.ccgs {
            let _ = writeln!(out, "ccgs = {}", quoted(ccgs));
        }
    }

    /// The `[sweep]` table, when there is one.
    fn write_sweep(&self, out: &mut String) {
        if self.sweep.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n[sweep]");
        for axis in &self.sweep {
            let integer = axis.key.rule.is_integer();
            let _ = writeln!(
                out,
                "{} = {}",
                quoted(axis.key.path),
                list(axis.values.iter().map(|&v| value(v, integer)))
            );
        }
    }

    /// The `[uncertain]` table, when there is one.
    fn write_uncertain(&self, out: &mut String) {
        if self.uncertain.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n[uncertain]");
        for input in &self.uncertain {
            let numbers = |values: &[f64]| list(values.iter().map(|&v| value(v, false)));
            let text = match input.distribution {
                Distribution::Uniform { low, high } => format!("uniform = {}", numbers(&[low, high])),
                Distribution::Triangular { min, mode, max } => {
                    format!("triangular = {}", numbers(&[min, mode, max]))
                }
                Distribution::LogNormal { mean, cv } => format!("lognormal = {}", numbers(&[mean, cv])),
                Distribution::Beta { mean, sd } => format!("beta = {}", numbers(&[mean, sd])),
            };
            let _ = writeln!(out, "{} = {{ {text} }}", quoted(input.key.path));
        }
    }
}

/// Every parameter, table by table in the key table's order: the numeric keys, and at the
/// head of its table each key that is not a number.
fn write_params(out: &mut String, p: &Params) {
    let mut section = String::new();
    for key in keys::all_keys() {
        let (table, leaf) = key.path.rsplit_once('.').unwrap_or(("", key.path));
        if table != section {
            section = table.to_string();
            let _ = writeln!(out, "\n[{section}]");
            write_lists(out, table, p);
        }
        let _ = writeln!(
            out,
            "{leaf} = {}",
            value(key.get(p), matches!(key.rule, Rule::Integer(..)))
        );
    }
}

/// The keys of a table that are not numbers: lists, the preference shares, the procurement
/// durations.
fn write_lists(out: &mut String, table: &str, p: &Params) {
    match table {
        "time" => {
            let _ = writeln!(out, "wave_months = {}", list(p.time.wave_months.map(|m| m.to_string())));
            let _ = writeln!(
                out,
                "wave_weights = {}",
                list(p.time.wave_weights.map(|w| value(w, false)))
            );
        }
        "choice" => {
            let shares: Vec<String> = preference::KEYS
                .iter()
                .zip(p.choice.preferences)
                .map(|(k, v)| format!("{k} = {}", value(v, false)))
                .collect();
            let _ = writeln!(out, "preferences = {{ {} }}", shares.join(", "));
        }
        "procurement" => {
            for (option, procurement) in p.procurement.procuring() {
                let tri = procurement.duration;
                let _ = writeln!(
                    out,
                    "{option} = {}",
                    list([tri.min, tri.mode, tri.max].map(|v| value(v, false)))
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;

    #[test]
    fn resolved_toml_parses_back_to_the_same_scenario() {
        let text = "name = \"x\"\nseed = 9\nunits = [10, 23]\noptions = [\"hubs\", \"network\"]\n[risk]\np_fail_annual = 0.07\n[choice]\npreferences = { csu = 0.6, in_house = 0.4 }\n[sweep]\n\"time.months\" = [30, 36]\n\"costs.cost_cv\" = [0.1, 0.3]\n[uncertain]\n\"risk.p_weak\" = { beta = [0.4, 0.1] }\n\"service.max_wait_months\" = { triangular = [1, 2, 4] }\n[decision]\nmax_unmet_share = 0.02\n";
        let scenario = Scenario::parse(text, "x.toml", "x").unwrap();
        let resolved = scenario.to_toml();
        let again = Scenario::parse(&resolved, "resolved.toml", "x").unwrap();
        assert_eq!(again.params, scenario.params);
        assert_eq!(again.sweep, scenario.sweep);
        assert_eq!(again.uncertain, scenario.uncertain);
        assert_eq!(again.uncertain.len(), 2);
        assert_eq!(again.decision, scenario.decision);
        assert_eq!(
            (again.seed, again.units.clone(), again.options.clone()),
            (9, vec![10, 23], scenario.options.clone())
        );
        let defaults = Scenario::parse(&Scenario::parse("", "d", "d").unwrap().to_toml(), "d", "d").unwrap();
        assert_eq!(defaults.params, crate::model::Params::default());
    }
}
