//! From TOML text to a [`Scenario`]: every key is read from toml's spanned tree, so each
//! problem can name its line; all problems are collected before any is reported.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::Problem;
use super::keys::{self, MAX_MONTHS, PROBABILITY, Rule, shown};
use super::{Scenario, SweepAxis};
use crate::model::OptionKind;
use crate::model::params::{Triangular, preference};
use crate::model::{Function, Params};

/// Longest scenario name accepted \[characters\]: it labels every output.
pub const MAX_NAME: usize = 100;

/// Most replications accepted per cell: beyond this a run takes days, not minutes.
pub const MAX_REPLICATIONS: u64 = 10_000_000;

/// Most cells (options x N x sweep points) accepted in one run.
pub const MAX_CELLS: usize = 10_000;

/// Largest N accepted before the register is known (the register caps it further).
pub const MAX_UNITS: u64 = 5_000;

/// Explains the replication limit for a refused count.
pub fn replications_limit(n: f64) -> String {
    if n < 1.0 {
        return format!(
            "{n} is out of range: allowed is an integer from 1 to {MAX_REPLICATIONS} (at least one replication; 1,000 pin a mean to about 0.01 GBP a head)"
        );
    }
    format!(
        "{n} is out of range: allowed is an integer from 1 to {MAX_REPLICATIONS}; beyond that a run takes days \
         (about 20,000 cell-replications a second here), and the confidence intervals are already far \
         narrower than the model's assumptions: split a larger study into runs with different seeds"
    )
}

/// The keys of the procurement durations, `procurement.<option>`, of every option whose
/// CCGs procure.
fn procurement_keys() -> Vec<String> {
    Params::default()
        .procurement
        .procuring()
        .map(|(option, _)| format!("procurement.{option}"))
        .collect()
}

/// Returns the option whose procurement duration `path` names, if it names one.
fn procurement_option(path: &str) -> Option<OptionKind> {
    let option = OptionKind::from_key(path.strip_prefix("procurement.")?)?;
    Params::default().procurement.of(option).map(|_| option)
}

/// Returns every key that is not a numeric scalar.
fn special_keys() -> impl Iterator<Item = String> {
    SPECIAL_KEYS.iter().map(|s| s.to_string()).chain(procurement_keys())
}

/// Keys that are not numeric scalars, with what they take (and [`procurement_keys`]).
const SPECIAL_KEYS: [&str; 13] = [
    "name",
    "seed",
    "replications",
    "options",
    "units",
    "ccgs",
    "sweep",
    "uncertain",
    "decision",
    "time.wave_months",
    "time.wave_weights",
    "choice.preferences",
    "functions",
];

/// Sections that hold keys.
const SECTIONS: [&str; 11] = [
    "time",
    "functions",
    "costs",
    "demand",
    "service",
    "choice",
    "procurement",
    "onboarding",
    "market",
    "risk",
    "value",
];

/// Largest relative wave weight accepted: the weights only matter relative to each other,
/// and their sum must stay finite.
const MAX_WAVE_WEIGHT: f64 = 1e9;

/// A value read from the file, with the line it sits on.
pub(super) type Item<'t, 'i> = &'t Spanned<DeValue<'i>>;

/// Most bare values reported from one file before its reading stops.
const MAX_BARE_VALUES: usize = 100;

/// A `key = value` line whose value is neither a number nor quoted text nor a list.
struct BareValue {
    /// The line's bytes, without its newline.
    line: Range<usize>,
    /// The key's full path.
    key: String,
    /// What is wrong and what the key takes.
    message: String,
}

/// Returns the bare value on the line holding byte `at`, if that line is `key = value` with a
/// value TOML cannot read as a value (`20%`, `high`).
fn bare_value(text: &str, at: usize) -> Option<BareValue> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..end];
    let (key, value) = line.split_once('=')?;
    let key = key.trim().trim_matches('"');
    let value = value.split('#').next().unwrap_or("").trim();
    let simple = |c: char| c.is_ascii_alphanumeric() || "_.-".contains(c);
    if key.is_empty() || !key.chars().all(simple) || value.is_empty() || value.starts_with(['"', '\'', '[', '{']) {
        return None;
    }
    // A value TOML reads is not the problem (a key given twice, say).
    if DeTable::parse(&format!("v = {value}")).is_ok() {
        return None;
    }
    // The table the line sits in: the last [header] above it.
    let section = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| {
            l.trim_matches(|c| c == '[' || c == ']')
                .trim()
                .trim_matches('"')
                .to_string()
        });
    let path = match section {
        Some(section) if !section.is_empty() => format!("{section}.{key}"),
        _ => key.to_string(),
    };
    let message = match keys::find_key(&path) {
        Some(param) => {
            let hint = if value.ends_with('%') {
                format!(
                    " (a percentage is written as a share: {value} is {})",
                    super::percent_as_share(value)
                )
            } else {
                String::new()
            };
            format!(
                "expected a number, found '{value}'{hint}; allowed is {}",
                param.rule.allowed()
            )
        }
        None => format!(
            "'{value}' is not a value: a number is written as it is (0.05), text in quotes (\"hubs\"), a list in brackets ([10, 23])"
        ),
    };
    Some(BareValue {
        line: start..end,
        key: path,
        message,
    })
}

/// Reads one scenario file, collecting problems.
pub(super) struct Parser<'t> {
    text: &'t str,
    /// Byte offset at which each line starts, for finding a line in logarithmic time.
    line_starts: Vec<usize>,
    pub problems: Vec<Problem>,
    pub lines: HashMap<String, usize>,
    /// Keys set, with their values as written and their lines, in file order.
    pub changes: Vec<(String, String, usize)>,
}

impl<'t> Parser<'t> {
    pub fn new(text: &'t str) -> Parser<'t> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Parser {
            text,
            line_starts,
            problems: Vec::new(),
            lines: HashMap::new(),
            changes: Vec::new(),
        }
    }

    pub(super) fn line_of(&self, span: Range<usize>) -> usize {
        // The number of lines starting at or before the span's start.
        self.line_starts.partition_point(|&start| start <= span.start)
    }

    pub(super) fn problem(&mut self, span: Option<Range<usize>>, key: &str, message: impl Into<String>) {
        let line = span.map(|s| self.line_of(s));
        self.problems.push(Problem {
            line,
            key: key.to_string(),
            message: message.into(),
        });
    }

    pub(super) fn record(&mut self, key: &str, item: Item) {
        let line = self.line_of(item.span());
        self.lines.insert(key.to_string(), line);
        let raw = self.text.get(item.span()).unwrap_or("").trim().replace('\n', " ");
        self.changes.push((key.to_string(), raw, line));
    }

    /// Parses the whole text into `scenario`, which starts from the defaults.
    ///
    /// A value written bare (`20%`, `high`) is not TOML, and the syntax error would hide every
    /// other problem of the file: such a line is reported with what its key expects, blanked
    /// (every other line keeps its place), and the rest read. Any other syntax error stops the
    /// reading.
    pub fn parse(&mut self, scenario: &mut Scenario) {
        let mut text = self.text.to_string();
        for _ in 0..MAX_BARE_VALUES {
            let (span, message) = match DeTable::parse(&text) {
                Ok(_) => break,
                Err(err) => (err.span(), err.message().trim().to_string()),
            };
            match span.as_ref().and_then(|span| bare_value(&text, span.start)) {
                Some(bare) => {
                    self.problem(span, &bare.key, bare.message);
                    let blank: String = text[bare.line.clone()].chars().map(|_| ' ').collect();
                    text.replace_range(bare.line, &blank);
                }
                None => {
                    self.problem(span, "", format!("not valid TOML: {message}"));
                    return;
                }
            }
        }
        let root = match DeTable::parse(&text) {
            Ok(root) => root,
            Err(err) => {
                let message = err.message().trim().to_string();
                self.problem(err.span(), "", format!("not valid TOML: {message}"));
                return;
            }
        };
        for (key, item) in root.get_ref() {
            let name = key.get_ref().as_ref();
            if SECTIONS.contains(&name) {
                self.section(name, item, scenario);
            } else {
                self.top_level(name, item, scenario);
            }
        }
    }

    fn top_level(&mut self, name: &str, item: Item, scenario: &mut Scenario) {
        match name {
            "name" => {
                if let Some(text) = self.string(name, item) {
                    if text.chars().count() > MAX_NAME {
                        self.problem(
                            Some(item.span()),
                            name,
                            format!(
                                "the name has {} characters: at most {MAX_NAME} are allowed (it labels outputs)",
                                text.chars().count()
                            ),
                        );
                    } else if text.chars().any(char::is_control) {
                        self.problem(
                            Some(item.span()),
                            name,
                            "the name holds a control character (a newline, tab or NUL): use plain text",
                        );
                    } else {
                        self.record(name, item);
                        scenario.name = text;
                    }
                }
            }
            "ccgs" => {
                if let Some(text) = self.string(name, item) {
                    self.record(name, item);
                    scenario.ccgs = Some(text);
                }
            }
            "seed" => {
                // TOML integers stop at 2^63 - 1: larger seeds are written as strings.
                let seed = match item.get_ref().as_str() {
                    Some(text) => text.trim().parse::<u64>().ok().or_else(|| {
                        self.problem(
                            Some(item.span()),
                            name,
                            format!("'{text}' is not a seed: allowed is an integer from 0 to {}", u64::MAX),
                        );
                        None
                    }),
                    None => self.integer(name, item, 0, i64::MAX as u64),
                };
                if let Some(seed) = seed {
                    self.record(name, item);
                    scenario.seed = seed;
                }
            }
            "replications" => match self.number(name, item, true) {
                Some(n) if (1.0..=MAX_REPLICATIONS as f64).contains(&n) => {
                    self.record(name, item);
                    scenario.replications = n as u64;
                }
                Some(n) => self.problem(Some(item.span()), name, replications_limit(n)),
                None => {}
            },
            "options" => self.options(item, scenario),
            "units" => self.units(item, scenario),
            "sweep" => self.sweep(item, scenario),
            "uncertain" => self.uncertain(item, scenario),
            "decision" => self.decision(item, scenario),
            _ => self.unknown(name, item),
        }
    }

    fn unknown(&mut self, path: &str, item: Item) {
        let mut candidates: Vec<String> = keys::all_keys().iter().map(|k| k.path.to_string()).collect();
        candidates.extend(special_keys());
        candidates.extend(SECTIONS.iter().map(|s| s.to_string()));
        // A key written without its section (`p_fail_annual` for `risk.p_fail_annual`) is found
        // by its last part, across sections; `N` is the list of units.
        let leaf = path.rsplit('.').next().unwrap_or(path);
        let by_leaf = candidates
            .iter()
            .find(|c| c.rsplit('.').next() == Some(leaf) && c.as_str() != path);
        let hint = if path.eq_ignore_ascii_case("n") {
            "; the numbers of units N are the key 'units', a list: units = [23]".to_string()
        } else if let Some(full) = by_leaf {
            let (section, key) = full.rsplit_once('.').unwrap_or(("", full));
            format!("; did you mean '{full}'? (write it under [{section}] as {key} = ...)")
        } else {
            match keys::nearest(path, candidates.iter().map(String::as_str)) {
                Some(best) => format!("; did you mean '{best}'?"),
                None => "; see the key table in README.md (csu-sim keys)".to_string(),
            }
        };
        self.problem(Some(item.span()), path, format!("unknown key{hint}"));
    }

    fn section(&mut self, section: &str, item: Item, scenario: &mut Scenario) {
        let Some(table) = item.get_ref().as_table() else {
            self.problem(
                Some(item.span()),
                section,
                format!(
                    "expected a table [{section}], found {}",
                    article(item.get_ref().type_str())
                ),
            );
            return;
        };
        for (key, value) in table {
            let path = format!("{section}.{}", key.get_ref());
            if section == "functions" {
                self.function(key.get_ref(), value, scenario);
            } else {
                self.section_key(&path, value, scenario);
            }
        }
    }

    fn function(&mut self, function: &str, item: Item, scenario: &mut Scenario) {
        let path = format!("functions.{function}");
        if Function::from_key(function).is_none() {
            let names = Function::ALL.map(Function::key);
            let hint = keys::did_you_mean(function, names);
            self.problem(
                Some(item.span()),
                &path,
                format!("unknown function; {hint}allowed: {}", names.join(", ")),
            );
            return;
        }
        let Some(table) = item.get_ref().as_table() else {
            self.problem(
                Some(item.span()),
                &path,
                "expected a table of fixed_cost, variable_cost, efficient_scale, shareable, headroom",
            );
            return;
        };
        for (key, value) in table {
            self.section_key(&format!("{path}.{}", key.get_ref()), value, scenario);
        }
    }

    fn section_key(&mut self, path: &str, item: Item, scenario: &mut Scenario) {
        let params = &mut scenario.params;
        if let Some(option) = procurement_option(path) {
            if let Some([min, mode, max]) = self.number_list::<3>(path, item, Rule::Range(0.0, MAX_MONTHS as f64)) {
                self.record(path, item);
                if let Some(procurement) = &mut params.procurement.by_option[option.index()] {
                    procurement.duration = Triangular { min, mode, max };
                }
            }
            return;
        }
        match path {
            "time.wave_months" => {
                if let Some(months) = self.integer_list::<4>(path, item, 0, MAX_MONTHS - 1) {
                    self.record(path, item);
                    params.time.wave_months = months.map(|m| m as u32);
                }
            }
            "time.wave_weights" => {
                if let Some(weights) = self.number_list::<4>(path, item, Rule::Above(0.0, MAX_WAVE_WEIGHT)) {
                    self.record(path, item);
                    params.time.wave_weights = weights;
                }
            }
            "choice.preferences" => self.preferences(item, params),
            _ => match keys::find_key(path) {
                Some(key) => {
                    if let Some(value) = self.scalar(key.path, key.rule, item) {
                        self.record(path, item);
                        key.set(params, value);
                    }
                }
                None => self.unknown(path, item),
            },
        }
    }

    /// Reads a number; integers are accepted where floats are expected, not the reverse.
    pub(super) fn number(&mut self, path: &str, item: Item, integer: bool) -> Option<f64> {
        let value = match item.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .ok()
                .map(|v| v as f64),
            DeValue::Float(f) if integer => {
                self.problem(
                    Some(item.span()),
                    path,
                    format!(
                        "an integer is required, not {} (write it without a decimal point)",
                        f.as_str()
                    ),
                );
                return None;
            }
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            other => {
                let kind = if integer { "an integer" } else { "a number" };
                self.problem(
                    Some(item.span()),
                    path,
                    format!("expected {kind}, found {}", article(other.type_str())),
                );
                return None;
            }
        };
        match value {
            Some(v) if v.is_finite() => Some(v),
            _ if matches!(item.get_ref(), DeValue::Integer(_)) => {
                self.problem(
                    Some(item.span()),
                    path,
                    "the integer is too large for TOML (at most 9223372036854775807); a larger seed is written as a string, seed = \"18446744073709551615\"",
                );
                None
            }
            _ => {
                self.problem(Some(item.span()), path, "not a finite number");
                None
            }
        }
    }

    pub(super) fn scalar(&mut self, path: &str, rule: Rule, item: Item) -> Option<f64> {
        let value = self.number(path, item, rule.is_integer())?;
        if rule.admits(value) {
            Some(value)
        } else {
            self.problem(
                Some(item.span()),
                path,
                format!("{} is out of range: allowed is {}", shown(value), rule.allowed()),
            );
            None
        }
    }

    fn integer(&mut self, path: &str, item: Item, lo: u64, hi: u64) -> Option<u64> {
        self.scalar(path, Rule::Integer(lo, hi), item).map(|v| v as u64)
    }

    fn string(&mut self, path: &str, item: Item) -> Option<String> {
        match item.get_ref().as_str() {
            Some(text) if !text.trim().is_empty() => Some(text.to_string()),
            Some(_) => {
                self.problem(Some(item.span()), path, "must not be empty");
                None
            }
            None => {
                self.problem(
                    Some(item.span()),
                    path,
                    format!("expected a string, found {}", article(item.get_ref().type_str())),
                );
                None
            }
        }
    }

    pub(super) fn array<'a, 'i>(
        &mut self,
        path: &str,
        item: &'a Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<&'a [Spanned<DeValue<'i>>]> {
        match item.get_ref().as_array() {
            Some(array) => Some(&array[..]),
            None => {
                // A lone value where a list is due: show the list it probably meant.
                let hint = match item.get_ref() {
                    DeValue::Integer(i) => format!(": write [{}]", i.as_str()),
                    DeValue::Float(f) => format!(": write [{}]", f.as_str()),
                    DeValue::String(text) => format!(": write [\"{text}\"]"),
                    _ => String::new(),
                };
                self.problem(
                    Some(item.span()),
                    path,
                    format!(
                        "expected an array of {what}, found {}{hint}",
                        article(item.get_ref().type_str())
                    ),
                );
                None
            }
        }
    }

    pub(super) fn number_list<const N: usize>(&mut self, path: &str, item: Item, rule: Rule) -> Option<[f64; N]> {
        let array = self.array(path, item, &format!("{N} numbers"))?;
        if array.len() != N {
            self.problem(
                Some(item.span()),
                path,
                format!("expected exactly {N} numbers, found {}", array.len()),
            );
            return None;
        }
        let mut out = [0.0; N];
        let mut ok = true;
        for (slot, element) in out.iter_mut().zip(array) {
            match self.number(path, element, rule.is_integer()) {
                Some(v) if rule.admits(v) => *slot = v,
                Some(v) => {
                    self.problem(
                        Some(element.span()),
                        path,
                        format!("{} is out of range: each must be {}", shown(v), rule.allowed()),
                    );
                    ok = false;
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn integer_list<const N: usize>(&mut self, path: &str, item: Item, lo: u64, hi: u64) -> Option<[u64; N]> {
        self.number_list::<N>(path, item, Rule::Integer(lo, hi))
            .map(|v| v.map(|x| x as u64))
    }

    fn options(&mut self, item: Item, scenario: &mut Scenario) {
        let Some(array) = self.array("options", item, "option names") else {
            return;
        };
        let mut options = Vec::new();
        for element in array {
            let allowed = OptionKind::ALL.map(OptionKind::key).join(", ");
            match element.get_ref().as_str().map(|s| (s, OptionKind::from_key(s))) {
                Some((_, Some(kind))) if options.contains(&kind) => {
                    self.problem(Some(element.span()), "options", format!("'{kind}' is listed twice"));
                }
                Some((_, Some(kind))) => options.push(kind),
                Some((name, None)) => {
                    let hint = keys::did_you_mean(name, OptionKind::ALL.map(OptionKind::key));
                    self.problem(
                        Some(element.span()),
                        "options",
                        format!("unknown option '{name}'; {hint}allowed: {allowed}"),
                    );
                }
                None => self.problem(
                    Some(element.span()),
                    "options",
                    format!("expected an option name, one of {allowed}"),
                ),
            }
        }
        if array.is_empty() {
            self.problem(
                Some(item.span()),
                "options",
                "the list is empty: name at least one of national, network, hubs, framework",
            );
        }
        self.record("options", item);
        scenario.options = options;
    }

    /// Reads one N: an integer of at least 1 (the register caps it later, at its number of
    /// CCGs; [`MAX_UNITS`] only bounds it before the register is read).
    fn units_value(&mut self, element: Item) -> Option<u64> {
        let n = self.number("units", element, true)?;
        if (1.0..=MAX_UNITS as f64).contains(&n) {
            Some(n as u64)
        } else {
            self.problem(
                Some(element.span()),
                "units",
                format!(
                    "N = {} is out of range: allowed is an integer from 1 to the register's number of CCGs (211 in the built-in register)",
                    shown(n)
                ),
            );
            None
        }
    }

    fn units(&mut self, item: Item, scenario: &mut Scenario) {
        let Some(array) = self.array("units", item, "integers") else {
            return;
        };
        let mut units = Vec::new();
        for element in array {
            if let Some(n) = self.units_value(element) {
                if units.contains(&(n as usize)) {
                    self.problem(Some(element.span()), "units", format!("N = {n} is listed twice"));
                } else {
                    units.push(n as usize);
                }
            }
        }
        if array.is_empty() {
            self.problem(
                Some(item.span()),
                "units",
                "the list is empty: give at least one number of units, e.g. [23]",
            );
        }
        self.record("units", item);
        scenario.units = units;
    }

    fn preferences(&mut self, item: Item, params: &mut Params) {
        let path = "choice.preferences";
        let Some(table) = item.get_ref().as_table() else {
            self.problem(
                Some(item.span()),
                path,
                "expected a table such as { csu = 0.5, in_house = 0.32, outside_nhs = 0.05, undecided = 0.13 }",
            );
            return;
        };
        let mut shares = [0.0; 4];
        let mut ok = true;
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            let Some(idx) = preference::KEYS.iter().position(|k| *k == name) else {
                let hint = keys::did_you_mean(name, preference::KEYS);
                self.problem(
                    Some(value.span()),
                    &format!("{path}.{name}"),
                    format!("unknown preference; {hint}allowed: {}", preference::KEYS.join(", ")),
                );
                ok = false;
                continue;
            };
            match self.scalar(&format!("{path}.{name}"), PROBABILITY, value) {
                Some(v) => shares[idx] = v,
                None => ok = false,
            }
        }
        let total: f64 = shares.iter().sum();
        if ok && (total - 1.0).abs() > 1e-9 {
            self.problem(
                Some(item.span()),
                path,
                format!(
                    "shares sum to {}, not 1 (missing categories count as 0)",
                    (total * 1e9).round() / 1e9
                ),
            );
            ok = false;
        }
        if ok {
            self.record(path, item);
            params.choice.preferences = shares;
        }
    }

    fn sweep(&mut self, item: Item, scenario: &mut Scenario) {
        let Some(table) = item.get_ref().as_table() else {
            self.problem(
                Some(item.span()),
                "sweep",
                "expected a table of \"dotted.key\" = [values]",
            );
            return;
        };
        let table_line = self.line_of(item.span());
        self.lines.insert("sweep".to_string(), table_line);
        let mut axes: BTreeMap<usize, SweepAxis> = BTreeMap::new();
        for (key, value) in table {
            let path = key.get_ref().as_ref();
            let sweep_path = format!("sweep.{path}");
            let Some(param) = keys::find_key(path) else {
                let hint = keys::did_you_mean(path, keys::all_keys().iter().map(|k| k.path));
                let why = if special_keys().any(|k| k == path) {
                    "is not a numeric scalar key"
                } else {
                    "is not a key"
                };
                self.problem(
                    Some(key.span()),
                    &sweep_path,
                    format!("'{path}' {why}; {hint}a sweep takes a numeric scalar key such as risk.p_fail_annual"),
                );
                continue;
            };
            let Some(array) = self.array(&sweep_path, value, "values") else {
                continue;
            };
            if array.is_empty() {
                self.problem(Some(value.span()), &sweep_path, "the list of values is empty");
                continue;
            }
            let values: Vec<Option<f64>> = array.iter().map(|v| self.scalar(&sweep_path, param.rule, v)).collect();
            let given: Vec<f64> = values.iter().flatten().copied().collect();
            if let Some((idx, v)) = given.iter().enumerate().find(|(idx, v)| given[..*idx].contains(v)) {
                self.problem(
                    Some(array[idx].span()),
                    &sweep_path,
                    format!("{} is listed twice: each sweep value once", shown(*v)),
                );
                continue;
            }
            if values.iter().all(Option::is_some) {
                let line = self.line_of(key.span());
                self.lines.insert(sweep_path.clone(), line);
                let raw = self.text.get(value.span()).unwrap_or("").trim().replace('\n', " ");
                self.changes.push((sweep_path.clone(), raw, line));
                // Keyed by position in the file, not by line: an inline table holds several
                // axes on one line.
                axes.insert(
                    key.span().start,
                    SweepAxis {
                        key: param,
                        values: values.into_iter().flatten().collect(),
                    },
                );
            }
        }
        for axis in axes.into_values() {
            // A later sweep of the same key (from --sweep) replaces the earlier one.
            match scenario.sweep.iter_mut().find(|a| a.key.path == axis.key.path) {
                Some(existing) => *existing = axis,
                None => scenario.sweep.push(axis),
            }
        }
    }
}

/// Returns a type's name with its article: "an integer", "a string".
fn article(name: &str) -> String {
    if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}
