//! Scenarios: what the analyst asks for (docs/model.md section 9).
//!
//! A scenario file states only what it changes. [`Scenario::parse`] reads it in two stages:
//! the text is walked key by key against the key table in [`keys`], and the result is checked
//! as a whole at every sweep point; every problem names the file, line and key, and all
//! problems are reported together. Reading the file is the caller's job.

mod error;
pub mod keys;
mod parse;
mod resolved;
pub mod uncertain;
mod validate;

pub use error::{Problem, ScenarioError};

pub use keys::{ParamKey, Rule};
pub use parse::{MAX_CELLS, MAX_NAME, MAX_REPLICATIONS, replications_limit};
pub use validate::{MAX_RUNS, RUNS_PER_SECOND, check_params};

pub use uncertain::{DecisionRule, UncertainInput};

use std::collections::HashMap;

use crate::model::OptionKind;
use crate::model::Params;

/// One swept key and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepAxis {
    /// The numeric scalar key swept.
    pub key: &'static ParamKey,
    /// Its values, in the order given.
    pub values: Vec<f64>,
}

/// One point of a sweep's cross product: the swept values and the parameters they give.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    /// `(key path, value)` for each axis, in axis order; empty without a sweep.
    pub values: Vec<(String, f64)>,
    /// The scenario's parameters with the swept values applied.
    pub params: Params,
}

/// A validated scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The file the scenario came from, as the user named it.
    pub file: String,
    /// Label in outputs (the file stem unless `name` is given).
    pub name: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per cell.
    pub replications: u64,
    /// Delivery options to run, in the order given.
    pub options: Vec<OptionKind>,
    /// Numbers of units N to run.
    pub units: Vec<usize>,
    /// Path of a CCG register, relative to the scenario file; `None` for the built-in one.
    pub ccgs: Option<String>,
    /// Parameters before any sweep.
    pub params: Params,
    /// Sweep axes, in file order.
    pub sweep: Vec<SweepAxis>,
    /// Keys the scenario sets (sweeps as `sweep.<key>`), with their values as written and
    /// where they were set, in order; a key set again (by `--set`, say) replaces its entry.
    pub changes: Vec<Change>,
    /// Uncertain inputs (`[uncertain]`), in file order; used by the uncertainty analysis.
    pub uncertain: Vec<UncertainInput>,
    /// The decision rule of `[decision]`, if any.
    pub decision: Option<DecisionRule>,
    lines: HashMap<String, usize>,
    /// The command-line flag that set a key, for keys set that way.
    set_by: HashMap<String, String>,
}

/// A key the scenario sets.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The key, `sweep.<key>` for a sweep.
    pub key: String,
    /// Its value as written (TOML).
    pub value: String,
    /// Where: `file:line`, or the command-line flag.
    pub from: String,
}

impl Scenario {
    /// Records that `key` is set to `value` (as TOML) by `from`, replacing an earlier setting.
    pub fn note_change(&mut self, key: &str, value: String, from: String) {
        self.changes.retain(|c| c.key != key);
        self.changes.push(Change {
            key: key.to_string(),
            value,
            from,
        });
    }

    /// Returns the defaults of docs/model.md section 9 under the given file name and label.
    pub fn defaults(file: &str, name: &str) -> Scenario {
        Scenario {
            file: file.to_string(),
            name: name.to_string(),
            seed: 1,
            replications: 1000,
            options: OptionKind::ALL.to_vec(),
            units: vec![23],
            ccgs: None,
            params: Params::default(),
            sweep: Vec::new(),
            changes: Vec::new(),
            uncertain: Vec::new(),
            decision: None,
            lines: HashMap::new(),
            set_by: HashMap::new(),
        }
    }

    /// Parses and validates a scenario; `file` labels messages, `stem` is the default name.
    pub fn parse(text: &str, file: &str, stem: &str) -> Result<Scenario, ScenarioError> {
        let (scenario, problems) = Scenario::parse_all(text, file, stem);
        scenario.fail_on(problems)
    }

    /// Parses a scenario as [`Scenario::parse`] does, but returns the scenario with every key
    /// that was valid alone (the others at their defaults) together with the problems, so
    /// that later checks (flags, the register) can be reported in the same pass.
    pub fn parse_lenient(text: &str, file: &str, stem: &str) -> (Scenario, Option<ScenarioError>) {
        let (scenario, mut problems) = Scenario::parse_all(text, file, stem);
        if problems.is_empty() {
            return (scenario, None);
        }
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        let error = ScenarioError {
            file: scenario.file.clone(),
            problems,
        };
        (scenario, Some(error))
    }

    fn parse_all(text: &str, file: &str, stem: &str) -> (Scenario, Vec<Problem>) {
        let mut scenario = Scenario::defaults(file, stem);
        let mut parser = parse::Parser::new(text);
        parser.parse(&mut scenario);
        scenario.lines = std::mem::take(&mut parser.lines);
        scenario.changes = std::mem::take(&mut parser.changes)
            .into_iter()
            .map(|(key, value, line)| Change {
                key,
                value,
                from: format!("{file}:{line}"),
            })
            .collect();
        let mut problems = parser.problems;
        // The checks between keys run in the same pass, on the keys that were valid alone (a
        // key with a problem of its own kept its default, so a check naming it would mislead).
        let wrong: Vec<String> = problems
            .iter()
            .map(|p| p.key.clone())
            .filter(|k| !k.is_empty())
            .collect();
        let syntax_stopped = problems.iter().any(|p| p.key.is_empty());
        if !syntax_stopped {
            problems.extend(scenario.problems().into_iter().filter(|p| {
                !wrong
                    .iter()
                    .any(|k| p.key == *k || p.message.contains(&format!("'{k}'")) || p.message.contains(k.as_str()))
            }));
        }
        (scenario, problems)
    }

    fn fail_on(self, mut problems: Vec<Problem>) -> Result<Scenario, ScenarioError> {
        if problems.is_empty() {
            return Ok(self);
        }
        problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
        Err(ScenarioError {
            file: self.file,
            problems,
        })
    }

    /// Applies a command-line override `key=value`, where `value` is written as in TOML
    /// (`risk.p_fail_annual=0.05`, `options=["hubs"]`), then re-validates the scenario.
    pub fn apply_set(self, assignment: &str) -> Result<Scenario, ScenarioError> {
        let label = format!("--set {assignment}");
        let Some((key, value)) = assignment.split_once('=') else {
            return Err(self.override_error(&label, "expected key=value, e.g. --set risk.p_fail_annual=0.05"));
        };
        let key = key.trim();
        if let Some(param) = keys::find_key(key) {
            let text = value.trim();
            if text.replace('_', "").parse::<f64>().is_err() {
                let hint = if text.ends_with('%') {
                    format!(
                        " (a percentage is written as a share: {text} is {})",
                        percent_as_share(text)
                    )
                } else {
                    String::new()
                };
                return Err(self.override_error(
                    &label,
                    &format!(
                        "key '{key}': expected a number, found '{text}'{hint}; allowed is {}",
                        param.rule.allowed()
                    ),
                ));
            }
        }
        let snippet = match key.rsplit_once('.') {
            Some((table, leaf)) => format!("[{table}]\n{leaf} = {value}\n"),
            None => format!("{key} = {value}\n"),
        };
        self.apply_snippet(&label, &snippet)
    }

    /// Applies a command-line sweep `key=v1,v2,v3`, replacing any sweep of the same key;
    /// `units=10,15,20` sets the numbers of units N (every N is always run).
    pub fn apply_sweep(self, assignment: &str) -> Result<Scenario, ScenarioError> {
        let label = format!("--sweep {assignment}");
        let Some((key, values)) = assignment.split_once('=') else {
            return Err(self.override_error(
                &label,
                "expected key=v1,v2,..., e.g. --sweep risk.p_fail_annual=0.03,0.1",
            ));
        };
        let key = key.trim();
        let values = match expand_range(values.trim()) {
            Some(Ok(list)) => list,
            Some(Err(why)) => return Err(self.override_error(&label, &why)),
            None => values.to_string(),
        };
        // Each value must be a number: a percentage or a stray word gets the help --set gives.
        for text in values.split(',').map(str::trim) {
            if text.replace('_', "").parse::<f64>().is_err() {
                let hint = if text.ends_with('%') {
                    format!(
                        " (a percentage is written as a share: {text} is {})",
                        percent_as_share(text)
                    )
                } else {
                    String::new()
                };
                return Err(self.override_error(
                    &label,
                    &format!(
                        "key '{key}': expected numbers separated by commas (e.g. 0.03,0.1) or a range FROM:TO:STEP (e.g. 10:35:5), found '{text}'{hint}"
                    ),
                ));
            }
        }
        // N is not a parameter but the list of cells: sweeping it sets the list.
        if key == "units" {
            return self.apply_snippet(&label, &format!("units = [{values}]\n"));
        }
        let snippet = format!("[sweep]\n\"{key}\" = [{values}]\n");
        self.apply_snippet(&label, &snippet)
    }

    fn override_error(&self, label: &str, message: &str) -> ScenarioError {
        ScenarioError {
            file: label.to_string(),
            problems: vec![Problem {
                line: None,
                key: String::new(),
                message: message.to_string(),
            }],
        }
    }

    fn apply_snippet(mut self, label: &str, snippet: &str) -> Result<Scenario, ScenarioError> {
        let mut parser = parse::Parser::new(snippet);
        parser.parse(&mut self);
        if !parser.problems.is_empty() {
            // Lines of the generated snippet mean nothing to the user: drop them.
            let problems = parser
                .problems
                .into_iter()
                .map(|p| Problem { line: None, ..p })
                .collect();
            return Err(ScenarioError {
                file: label.to_string(),
                problems,
            });
        }
        // A key set on the command line is no longer on its file's line: problems found later
        // (against the register, say) name the flag.
        for (key, value, _) in parser.changes {
            self.lines.remove(&key);
            self.set_by.insert(key.clone(), label.to_string());
            self.note_change(&key, value, label.to_string());
        }
        let problems = self.problems();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(ScenarioError {
                file: label.to_string(),
                problems,
            })
        }
    }

    /// Returns a warning for every value the scenario sets (or sweeps) that is allowed but
    /// far from its key's default, as a slip of units would be ([`ParamKey::slip`]), each
    /// naming where it was set.
    pub fn slips(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for change in &self.changes {
            let path = change.key.strip_prefix("sweep.").unwrap_or(&change.key);
            let Some(key) = keys::find_key(path) else {
                continue;
            };
            let values: Vec<f64> = match self.sweep.iter().find(|axis| axis.key.path == path) {
                Some(axis) if change.key.starts_with("sweep.") => axis.values.clone(),
                _ => vec![key.get(&self.params)],
            };
            for value in values {
                if let Some(why) = key.slip(value) {
                    warnings.push(format!("{}: key '{}': {why}", change.from, change.key));
                }
            }
        }
        warnings
    }

    /// Returns the line a key was set on, if the file set it.
    pub fn line_of(&self, key: &str) -> Option<usize> {
        self.lines.get(key).copied()
    }

    /// Returns the number of sweep points (1 without a sweep), saturating.
    pub fn point_count(&self) -> usize {
        self.sweep
            .iter()
            .fold(1usize, |acc, axis| acc.saturating_mul(axis.values.len()))
    }

    /// Returns every sweep point, the first axis varying slowest.
    pub fn points(&self) -> Vec<SweepPoint> {
        let mut points = vec![SweepPoint {
            values: Vec::new(),
            params: self.params.clone(),
        }];
        for axis in &self.sweep {
            points = points
                .into_iter()
                .flat_map(|point| {
                    axis.values.iter().map(move |&value| {
                        let mut next = point.clone();
                        axis.key.set(&mut next.params, value);
                        next.values.push((axis.key.path.to_string(), value));
                        next
                    })
                })
                .collect();
        }
        points
    }

    /// Returns the largest horizon over all sweep points \[months\].
    pub fn max_months(&self) -> u32 {
        self.points()
            .iter()
            .map(|p| p.params.time.months)
            .max()
            .unwrap_or(self.params.time.months)
    }
}

/// Returns `6%` as `0.06`, or the text unchanged if it is not a percentage.
/// Most values a range `FROM:TO:STEP` may expand to.
const MAX_RANGE_VALUES: f64 = 1000.0;

/// Expands a sweep range `FROM:TO:STEP` (both ends included when TO is on the step) to a
/// comma-separated list; `None` when the text is not a range (a list, then), an error when it
/// is a malformed one. `10..35` gets the syntax explained.
fn expand_range(text: &str) -> Option<Result<String, String>> {
    if text.contains("..") {
        return Some(Err(format!(
            "'{text}' is not a sweep: give values separated by commas (10,23,35) or a range FROM:TO:STEP (10:35:5)"
        )));
    }
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    if parts.len() == 1 {
        return None;
    }
    let numbers: Option<Vec<f64>> = parts.iter().map(|p| p.replace('_', "").parse::<f64>().ok()).collect();
    let (from, to, step) = match (parts.len(), numbers.as_deref()) {
        (3, Some(&[from, to, step])) if from.is_finite() && to.is_finite() && step.is_finite() => (from, to, step),
        _ => {
            return Some(Err(format!(
                "'{text}' is not a range: write FROM:TO:STEP with three numbers, e.g. 10:35:5"
            )));
        }
    };
    // A TO on the step is included, rounding aside: (0.3 - 0.1) / 0.1 is 1.9999999999999998.
    let count = ((to - from) / step + 1e-9).floor();
    if step <= 0.0 || to < from || count + 1.0 > MAX_RANGE_VALUES {
        return Some(Err(format!(
            "'{text}': a range FROM:TO:STEP needs FROM <= TO and STEP > 0, and at most {MAX_RANGE_VALUES} values"
        )));
    }
    // Each value from FROM by whole steps, so that 0.1:0.3:0.1 gives 0.1, 0.2, 0.3.
    let values: Vec<String> = (0..=count as usize)
        .map(|k| {
            // Twelve significant figures: 0.1 + 2 x 0.1 is 0.3, not 0.30000000000000004.
            let v = from + k as f64 * step;
            let rounded: f64 = format!("{v:.11e}").parse().unwrap_or(v);
            format!("{rounded}")
        })
        .collect();
    Some(Ok(values.join(",")))
}

fn percent_as_share(text: &str) -> String {
    text.trim_end_matches('%')
        .trim()
        .parse::<f64>()
        .map_or_else(|_| text.to_string(), |p| keys::shown(p / 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::parse(text, "test.toml", "test")
    }

    #[test]
    fn empty_scenario_takes_every_default() {
        let scenario = parse("").unwrap();
        assert_eq!(scenario.params, Params::default());
        assert_eq!(scenario.units, vec![23]);
        assert_eq!(scenario.options.len(), 4);
        assert_eq!(scenario.replications, 1000);
        assert_eq!(scenario.name, "test");
    }

    #[test]
    fn the_model_md_example_parses() {
        let text = r#"
name = "baseline-2012"
seed = 20121001
replications = 1000
options = ["national", "network", "hubs", "framework"]
units = [10, 23, 35]

[time]
months = 30
go_live_month = 6

[functions.business_intelligence]
fixed_cost = 1.6e6
variable_cost = 1.40
efficient_scale = 5.0e6

[sweep]
"functions.business_support.efficient_scale" = [1.0e7, 2.0e7, 4.0e7]
"#;
        let scenario = parse(text).unwrap();
        assert_eq!(scenario.name, "baseline-2012");
        assert_eq!(scenario.units, vec![10, 23, 35]);
        assert_eq!(scenario.sweep.len(), 1);
        let points = scenario.points();
        assert_eq!(points.len(), 3);
        assert_eq!(points[2].params.functions[2].efficient_scale, 4.0e7);
        assert_eq!(scenario.line_of("units"), Some(6));
    }

    fn check(text: &str, line: Option<usize>, key: &str, fragment: &str) {
        let err = parse(text).unwrap_err();
        let found = err
            .problems
            .iter()
            .any(|p| p.line == line && p.key == key && p.message.contains(fragment));
        assert!(found, "wanted line {line:?} key {key} '{fragment}', got:\n{err}");
    }

    #[test]
    fn bad_scenarios_name_line_key_and_what_is_allowed() {
        check("seed = 1\nbogus = 3\n", Some(2), "bogus", "unknown key");
        check(
            "[risk]\np_fail_anual = 0.1\n",
            Some(2),
            "risk.p_fail_anual",
            "did you mean 'risk.p_fail_annual'",
        );
        check("[risk]\np_weak = 1.5\n", Some(2), "risk.p_weak", "from 0 to 1");
        check("[time]\nmonths = 30.0\n", Some(2), "time.months", "integer is required");
        check(
            "[time]\nmonths = 10\ngo_live_month = 10\n",
            Some(3),
            "time.go_live_month",
            "before the horizon",
        );
        check("[costs]\ncost_cv = -0.1\n", Some(2), "costs.cost_cv", "from 0 to 100");
        check(
            "[functions.business_support]\nefficient_scale = 0\n",
            Some(2),
            "functions.business_support.efficient_scale",
            "from 1 to",
        );
        check("[market]\nprice_margin = -1\n", Some(2), "market.price_margin", "> -1");
        check(
            "[choice]\npreferences = { csu = 0.5 }\n",
            Some(2),
            "choice.preferences",
            "sum to 0.5",
        );
        check(
            "[procurement]\nhubs = [3, 1, 2]\n",
            Some(2),
            "procurement.hubs",
            "min <= mode <= max",
        );
        check("options = []\n", Some(1), "options", "empty");
        check("units = [10, 10]\n", Some(1), "units", "twice");
        check("units = [3]\n", Some(1), "units", "network needs");
        check(
            "[sweep]\nname = [1, 2]\n",
            Some(2),
            "sweep.name",
            "not a numeric scalar key",
        );
        check("seed = 1\nseed = 2\n", Some(2), "", "not valid TOML");
        check(
            "[time]\nwave_months = [2, 3, 4]\n",
            Some(2),
            "time.wave_months",
            "exactly 4",
        );
        check(
            "[time]\nwave_weights = [1, 0, 1, 1]\n",
            Some(2),
            "time.wave_weights",
            "> 0",
        );
        check(
            "replications = 1000000000000\n",
            Some(1),
            "replications",
            "out of range",
        );
        check("options = [\"hub\"]\n", Some(1), "options", "did you mean 'hubs'");
    }

    /// Issue 17: an inline sweep table holds both its axes, in the order written.
    #[test]
    fn r17_an_inline_sweep_on_one_line_keeps_every_axis() {
        let scenario =
            parse("sweep = {\"risk.p_weak\" = [0.1, 0.2], \"risk.p_fail_annual\" = [0.01, 0.02, 0.03]}\n").unwrap();
        let paths: Vec<&str> = scenario.sweep.iter().map(|a| a.key.path).collect();
        assert_eq!(paths, vec!["risk.p_weak", "risk.p_fail_annual"]);
        assert_eq!(scenario.point_count(), 6);
    }

    #[test]
    fn uncertain_inputs_name_line_key_and_what_is_allowed() {
        let u = |line: &str| format!("[uncertain]\n{line}\n");
        check(
            &u("\"risk.p_fail\" = { uniform = [0, 0.1] }"),
            Some(2),
            "uncertain.risk.p_fail",
            "did you mean 'risk.p_fail_annual'",
        );
        check(
            &u("\"seed\" = { uniform = [1, 2] }"),
            Some(2),
            "uncertain.seed",
            "not a numeric key",
        );
        check(
            &u("\"risk.p_weak\" = { uniform = [0.5, 0.1] }"),
            Some(2),
            "uncertain.risk.p_weak",
            "low <= high",
        );
        check(
            &u("\"risk.p_weak\" = { uniform = [0.1, 1.5] }"),
            Some(2),
            "uncertain.risk.p_weak",
            "outside what risk.p_weak allows",
        );
        check(
            &u("\"costs.cost_cv\" = { lognormal = [0.15, -0.1] }"),
            Some(2),
            "uncertain.costs.cost_cv",
            "cv from 0 to 100",
        );
        check(
            &u("\"risk.p_weak\" = { beta = [1.2, 0.1] }"),
            Some(2),
            "uncertain.risk.p_weak",
            "0 < mean < 1",
        );
        check(
            &u("\"risk.p_weak\" = { beta = [0.5, 0.6] }"),
            Some(2),
            "uncertain.risk.p_weak",
            "impossible",
        );
        check(
            &u("\"risk.p_weak\" = { normal = [0.5, 0.1] }"),
            Some(2),
            "uncertain.risk.p_weak",
            "unknown distribution",
        );
        check(
            &u("\"risk.p_weak\" = { triangular = [0.1, 0.3] }"),
            Some(2),
            "uncertain.risk.p_weak",
            "exactly 3 numbers",
        );
        check(
            &u("\"risk.p_weak\" = 0.3"),
            Some(2),
            "uncertain.risk.p_weak",
            "expected one distribution",
        );
        check(
            &u("\"functions.communications.efficient_scale\" = { beta = [0.5, 0.1] }"),
            Some(2),
            "uncertain.functions.communications.efficient_scale",
            "outside what",
        );
        check(
            &u("\"costs.national_overhead\" = { lognormal = [1e12, 0.5] }"),
            Some(2),
            "uncertain.costs.national_overhead",
            "narrow it",
        );
        check(
            "[decision]\nconfidence = 0.9\n",
            Some(1),
            "decision.max_unmet_share",
            "missing",
        );
        check(
            "[decision]\nmax_unmet_share = 2\n",
            Some(2),
            "decision.max_unmet_share",
            "from 0 to 1",
        );
        check(
            "[decision]\nmax_unmet_share = 0.02\nconfidence = 0\n",
            Some(3),
            "decision.confidence",
            "> 0",
        );
        let scenario = parse(&u(
            "\"service.max_wait_months\" = { uniform = [1, 3] }\n\"risk.p_weak\" = { beta = [0.4, 0.1] }",
        ))
        .unwrap();
        assert_eq!(scenario.uncertain.len(), 2);
        // Integer keys are rounded: the uniform's median 2 stays 2, its 0.8 quantile 2.6 becomes 3.
        assert_eq!(scenario.params_at(&[0.8, 0.5]).service.max_wait_months, 3);
        let drawn = scenario.params_at(&[0.5, 0.5]);
        assert_eq!(drawn.service.max_wait_months, 2);
        assert!(
            (drawn.risk.p_weak - 0.4).abs() < 0.03,
            "the beta's median is near its mean"
        );
        let horizon = parse(&u("\"time.months\" = { uniform = [3, 40] }")).unwrap();
        let short = horizon.params_at(&[0.01]);
        assert!(horizon.drawn_problems(&short)[0].contains("before the horizon"));
    }

    #[test]
    fn value_keys_name_line_key_and_what_is_allowed() {
        check(
            "[value]\nunmet_penalty = -0.5\n",
            Some(2),
            "value.unmet_penalty",
            "from 0 to 100",
        );
        check(
            "[value]\nspend_per_head = -1\n",
            Some(2),
            "value.spend_per_head",
            "from 0 to",
        );
        check(
            "[value]\nleverage_max = 0.2\n",
            Some(2),
            "value.leverage_max",
            "from 0 to 0.1",
        );
        check(
            "[value]\nleverage_max = -0.001\n",
            Some(2),
            "value.leverage_max",
            "from 0 to 0.1",
        );
        check("[value]\nleverage_half = 0\n", Some(2), "value.leverage_half", "> 0");
        check(
            "[value]\nchoice_per_head = -2\n",
            Some(2),
            "value.choice_per_head",
            "from 0 to",
        );
        check(
            "[value]\nleverage = 0.002\n",
            Some(2),
            "value.leverage",
            "did you mean 'value.leverage_max'",
        );
        let scenario = parse("[value]\nleverage_max = 0.1\nleverage_half = 1\nunmet_penalty = 0\n").unwrap();
        assert_eq!(scenario.params.value.leverage_max, 0.1);
        assert_eq!(scenario.params.value.leverage_half, 1.0);
        assert_eq!(scenario.params.value.unmet_penalty, 0.0);
    }

    #[test]
    fn all_problems_are_reported_together() {
        let err = parse("[risk]\np_weak = 2\np_checkpoint = -1\n").unwrap_err();
        assert_eq!(err.problems.len(), 2);
        assert_eq!(err.to_string().lines().count(), 3);
    }

    #[test]
    fn sweep_points_that_break_a_cross_check_are_reported() {
        check(
            "[sweep]\n\"time.months\" = [30, 5]\n",
            None,
            "time.go_live_month",
            "at sweep point time.months = 5",
        );
    }

    #[test]
    fn huge_sweeps_are_refused_before_expansion() {
        let values: Vec<String> = (0..1000).map(|v| (f64::from(v) / 10.0).to_string()).collect();
        let list = values.join(", ");
        let text = format!("[sweep]\n\"costs.cost_cv\" = [{list}]\n\"demand.cv_level\" = [{list}]\n");
        check(&text, Some(1), "sweep", "more than the limit");
    }

    #[test]
    fn command_line_overrides_apply_on_top_of_the_file() {
        let scenario = parse("units = [10]\n").unwrap();
        let scenario = scenario.apply_set("risk.p_fail_annual=0.2").unwrap();
        assert_eq!(scenario.params.risk.p_fail_annual, 0.2);
        let scenario = scenario.apply_set("options=[\"hubs\"]").unwrap();
        assert_eq!(scenario.options, vec![OptionKind::Hubs]);
        let scenario = scenario.apply_sweep("onboarding.per_unit_month=1,2,4").unwrap();
        assert_eq!(scenario.point_count(), 3);
        let scenario = scenario.apply_sweep("onboarding.per_unit_month=1,2").unwrap();
        assert_eq!(scenario.point_count(), 2, "a second sweep of a key replaces the first");
        assert_eq!(scenario.units, vec![10]);
    }

    #[test]
    fn mistyped_override_paths_suggest_the_nearest_key() {
        let err = parse("").unwrap().apply_sweep("risk.p_fail_anual=0.1,0.2").unwrap_err();
        assert!(err.to_string().contains("did you mean 'risk.p_fail_annual'"), "{err}");
        let err = parse("").unwrap().apply_set("risk.p_weak=7").unwrap_err();
        assert!(
            err.to_string().contains("--set risk.p_weak=7") && err.to_string().contains("from 0 to 1"),
            "{err}"
        );
        assert!(parse("").unwrap().apply_set("nonsense").is_err());
        let err = parse("").unwrap().apply_set("time.months=4").unwrap_err();
        assert!(err.to_string().contains("before the horizon"), "{err}");
    }

    #[test]
    fn units_are_checked_against_the_register() {
        let scenario = parse("units = [10, 300]\n").unwrap();
        let err = scenario.check_register(211).unwrap_err();
        assert!(err.to_string().contains("N = 300 is more than the 211 CCGs"), "{err}");
        assert_eq!(err.problems[0].line, Some(1));
    }
}
