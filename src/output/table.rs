//! The summary table printed at the end of a run.

use std::fmt::Write;

use crate::experiment::explain::{self, fixed};
use crate::experiment::findings::{self, FactCheck};
use crate::experiment::which_n::{BestN, Shape};
use crate::experiment::{ExperimentResults, Leader};
use crate::model::Metric;
use crate::stats::{Summary, supported_decimals};

/// Column headings, in order.
const HEADINGS: [&str; 10] = [
    "net cost/head [95% CI]",
    "cost/head",
    "total GBP m",
    "unmet %",
    "units serving",
    "CCGs uncontr. at go-live",
    "util p95 %",
    "private %",
    "unit failures",
    "over budget %",
];

/// What the summary table's figures are, printed under it.
pub const SUMMARY_NOTE: &str = "Means over replications, GBP a head a year where not said; in brackets the 95% confidence \
     interval of the mean (Student t). Unit failures: units failing the checkpoint or in operation, per replication.";

/// What the verdict table's margins are, printed under it.
pub const VERDICT_NOTE: &str = "Margins: the mean paired difference, runner-up minus leader, over replications (every \
     option sees the same CCGs), with its 95% interval; sure = every rival's interval lies wholly above 0.";

/// Extra headings when leverage or choice is set: what each does to the headline.
const VALUE_HEADINGS: [&str; 2] = ["leverage GBP/head", "choice GBP/head"];

/// Returns a plain-text table: one row per option and N (and sweep point), headline first.
pub fn summary_table(results: &ExperimentResults) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["option".to_string(), "N".to_string()];
    header.extend(results.meta.sweep_keys.iter().cloned());
    header.extend(HEADINGS.iter().map(|h| h.to_string()));
    let values = findings::values_set(results);
    if values {
        header.extend(VALUE_HEADINGS.iter().map(|h| h.to_string()));
    }
    rows.push(header);
    let effects = findings::value_effects(results);
    for (cell, effect) in results.cells.iter().zip(&effects) {
        let mean = |m: Metric| cell.summary(m).mean;
        let headline = cell.summary(Metric::HEADLINE);
        let mut row = vec![cell.option.to_string(), cell.units.to_string()];
        row.extend(cell.point_values.iter().map(|(_, v)| format!("{v}")));
        row.push(if headline.ci_low.is_finite() {
            format!("{:.2} [{:.2}, {:.2}]", headline.mean, headline.ci_low, headline.ci_high)
        } else {
            // One replication has no spread, so no interval.
            format!("{:.2} [no CI: n = {}]", headline.mean, headline.n)
        });
        row.push(format!("{:.2}", mean(Metric::CostPerHead)));
        row.push(format!("{:.1}", mean(Metric::CostTotal)));
        row.push(format!("{:.2}", 100.0 * mean(Metric::UnmetShare)));
        row.push(format!("{:.1}", mean(Metric::UnitsServingMean)));
        row.push(format!("{:.1}", mean(Metric::UncontractedAtGoLive)));
        row.push(format!("{:.0}", 100.0 * mean(Metric::UtilisationP95)));
        row.push(format!("{:.1}", 100.0 * mean(Metric::PrivateShare)));
        row.push(format!(
            "{:.2}",
            mean(Metric::FailuresCheckpoint) + mean(Metric::FailuresOperating)
        ));
        row.push(format!("{:.1}", 100.0 * mean(Metric::OverBudgetShare)));
        if values {
            // A saving subtracted and a cost added, never a negative zero.
            row.push(fixed(-effect.leverage, 2));
            row.push(fixed(effect.choice, 2));
        }
        rows.push(row);
    }
    format!("{}{}\n", render(&rows), wrap(SUMMARY_NOTE, KEYS_WIDTH).join("\n"))
}

/// Returns the sweep values of a point as `key = value, ...` (empty without a sweep).
pub fn point_label(results: &ExperimentResults, point: usize) -> String {
    let values = results
        .cells
        .iter()
        .find(|c| c.point == point)
        .map(|c| c.point_values.clone())
        .unwrap_or_default();
    values
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Formats a leader's margin over the runner-up (runner-up minus leader, so positive):
/// `0.42 [0.39, 0.45] vs hubs`.
pub fn lead_text(leader: &Leader, scale: f64, decimals: usize) -> String {
    match leader.margin(scale) {
        Some((runner_up, mean, low, high)) if low.is_finite() && high.is_finite() => {
            format!("{mean:.d$} [{low:.d$}, {high:.d$}] vs {runner_up}", d = decimals)
        }
        Some((runner_up, mean, _, _)) => format!("{mean:.d$} [no CI] vs {runner_up}", d = decimals),
        None => "only option".to_string(),
    }
}

/// Returns the verdict: per N (and sweep point), the cheapest option on the headline with its
/// paired lead over the runner-up and the option leaving least demand unmet; then, for each
/// option run at two or more N, which N is best. With a single option, which N is best is the
/// verdict.
pub fn verdict_table(results: &ExperimentResults) -> String {
    let single = results.groups.iter().all(|g| g.2.len() < 2);
    let which = which_n_table(results);
    match (single, which) {
        (true, Some(which)) => which,
        (false, Some(which)) => format!("{}\n{which}", options_table(results)),
        (_, None) => options_table(results),
    }
}

/// Formats the paired difference of an N from its option's best N, times `scale`, with the
/// decimals its interval supports: `+0.51 [0.45, 0.58]`.
fn difference_text(s: &Summary, scale: f64) -> String {
    let d = supported_decimals(scale * (s.ci_high - s.ci_low) / 2.0, 2, 2);
    let show = |x: f64| fixed(scale * x, d);
    if s.ci_low.is_finite() {
        format!(
            "{}{} [{}, {}]",
            if s.mean >= 0.0 { "+" } else { "" },
            show(s.mean),
            show(s.ci_low),
            show(s.ci_high)
        )
    } else {
        format!("{} [no CI]", show(s.mean))
    }
}

/// Returns the table of which N is best for each option and sweep point run at two or more
/// N (docs/model.md section 8, "Which N"): every N with its mean headline and unmet share and
/// their paired differences from the option's best N on each, then a line per option saying
/// which N is best and how sure; `None` when no option was run at two N.
pub fn which_n_table(results: &ExperimentResults) -> Option<String> {
    let costs = results.best_n(Metric::HEADLINE);
    if costs.is_empty() {
        return None;
    }
    let unmet = results.best_n(Metric::UnmetShare);
    let mut rows = vec![
        [
            "option",
            "sweep point",
            "N",
            "net cost/head",
            "vs cheapest N: GBP/head [95% CI]",
            "unmet %",
            "vs least-unmet N: pp [95% CI]",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let mut lines = Vec::new();
    for best in &costs {
        let least = unmet.iter().find(|u| u.option == best.option && u.point == best.point);
        let Some(ladder) = results
            .across_n
            .ladders
            .iter()
            .find(|l| l.option == best.option && l.point == best.point)
        else {
            continue;
        };
        for &(n, cell) in &ladder.rungs {
            let cell = &results.cells[cell];
            let versus = |b: Option<&BestN>, scale: f64, label: &str| match b {
                Some(b) if b.units == n => label.to_string(),
                Some(b) => b
                    .others
                    .iter()
                    .find(|(m, _)| *m == n)
                    .map_or("-".to_string(), |(_, s)| difference_text(s, scale)),
                None => "-".to_string(),
            };
            rows.push(vec![
                best.option.to_string(),
                point_label(results, best.point),
                n.to_string(),
                fixed(cell.summary(Metric::HEADLINE).mean, 2),
                versus(Some(best), 1.0, "cheapest"),
                fixed(100.0 * cell.summary(Metric::UnmetShare).mean, 2),
                versus(least, 100.0, "least unmet"),
            ]);
        }
        let place = point_label(results, best.point);
        let at = if place.is_empty() {
            String::new()
        } else {
            format!(" ({place})")
        };
        let mut line = format!("  {}{at}: {}", best.option, best_clause(best, "cheapest"));
        if let Some(least) = least {
            line.push_str(&format!("; {}", best_clause(least, "least unmet")));
        }
        lines.push(line);
    }
    if results.meta.sweep_keys.is_empty() {
        rows.iter_mut().for_each(|r| {
            r.remove(1);
        });
    }
    Some(format!(
        "Which N is best for each option (paired differences of each N from the option's best N, with their 95% intervals):\n{}\n{}\n",
        render(&rows),
        lines.join("\n")
    ))
}

/// Says which N is best on one metric, how sure, and, for the headline, how it runs in N.
fn best_clause(best: &BestN, what: &str) -> String {
    let sure = if best.sure {
        "every other N surely worse"
    } else {
        "not sure: an interval includes 0"
    };
    let shape = match best.shape {
        Some(Shape::U) if best.metric == Metric::HEADLINE => ", U-shaped in N",
        Some(Shape::Falls) if best.metric == Metric::HEADLINE => {
            ", still falling at the largest N run, so a larger N may be cheaper still"
        }
        Some(Shape::Rises) if best.metric == Metric::HEADLINE => {
            ", rising from the smallest N run, so a smaller N may be cheaper still"
        }
        _ => "",
    };
    format!("{what} at N = {} ({sure}{shape})", best.units)
}

/// Returns the table of options at each N (and sweep point): the cheapest on the headline with
/// its paired lead over the runner-up, and the option leaving least demand unmet.
fn options_table(results: &ExperimentResults) -> String {
    let mut rows = vec![
        [
            "N",
            "sweep point",
            "cheapest (net)",
            "margin GBP/head [95% CI]",
            "sure?",
            "least unmet",
            "margin pp [95% CI]",
            "sure?",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let sure = |l: &Leader| if l.significant { "yes" } else { "no" }.to_string();
    for verdict in results.verdicts() {
        let mut row = vec![verdict.units.to_string(), point_label(results, verdict.point)];
        for (leader, scale, decimals) in [(&verdict.cheapest, 1.0, 2), (&verdict.least_unmet, 100.0, 2)] {
            match leader {
                Some(l) => row.extend([l.option.to_string(), lead_text(l, scale, decimals), sure(l)]),
                None => row.extend(["-", "-", "-"].map(String::from)),
            }
        }
        rows.push(row);
    }
    if results.meta.sweep_keys.is_empty() {
        rows.iter_mut().for_each(|r| {
            r.remove(1);
        });
    }
    format!("{}{}\n", render(&rows), wrap(VERDICT_NOTE, KEYS_WIDTH).join("\n"))
}

/// Lays rows out in aligned columns: the first left, the others (numbers) right.
fn render(rows: &[Vec<String>]) -> String {
    render_aligned(rows, true)
}

/// Lays rows out in aligned columns, every column left-aligned unless `numbers_right`, which
/// right-aligns all but the first.
fn render_aligned(rows: &[Vec<String>], numbers_right: bool) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for (idx, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, text)| {
                if c == 0 || !numbers_right {
                    format!("{text:<w$}", w = widths[c])
                } else {
                    format!("{text:>w$}", w = widths[c])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join("  ").trim_end());
        if idx == 0 {
            let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
            let _ = writeln!(out, "{}", rule.join("  "));
        }
    }
    out
}

/// The sentence every verdict carries: what its intervals measure, and what they do not.
pub const PRECISION_NOTE: &str = "Every interval here measures Monte Carlo precision at the scenario's \
     fixed assumptions, not uncertainty about the assumptions themselves; a lead that is \"sure\" \
     here can still turn on an assumption. To find which assumptions would change the answer, give them ranges under \
     [uncertain] and run csu-sim uncertainty (scenarios/uncertainty.toml is a start).";

/// Returns the notes printed after the tables: caveats, what the values of section 5a do to
/// the verdict, and the facts check in one line per sweep point.
pub fn notes(results: &ExperimentResults) -> String {
    let mut out = String::new();
    let groups = findings::caveat_groups(results);
    let points = results.cells.iter().map(|c| c.point).max().map_or(0, |p| p + 1);
    if !groups.is_empty() {
        out.push_str(if groups.iter().any(|g| g.strong()) {
            "\nWarning: some options are not what their names say:\n"
        } else {
            "\nNote: rare market failures:\n"
        });
        for group in &groups {
            let _ = writeln!(out, "  - {}", group.sentence(points));
        }
    }
    if findings::values_set(results) {
        out.push_str("\nThe headline includes negotiating leverage and the value of choice (columns above).\n");
        for shift in findings::verdict_shifts(results) {
            let place = point_label(results, shift.point);
            let at = if place.is_empty() {
                format!("N = {}", shift.units)
            } else {
                format!("N = {}, {place}", shift.units)
            };
            let _ = writeln!(out, "  {at}: {}", shift.sentence());
        }
    }
    let explanations = explain::explanations(results);
    if !explanations.is_empty() {
        out.push_str("\nWhy the leader leads (paired differences of the headline's parts, GBP per head):\n");
        for e in &explanations {
            let place = point_label(results, e.point);
            let at = if place.is_empty() {
                format!("N = {}", e.units)
            } else {
                format!("N = {}, {place}", e.units)
            };
            let _ = writeln!(out, "  {}", e.sentence(&at));
        }
    }
    for check in findings::facts_check(results) {
        let _ = writeln!(out, "\n{}", facts_summary(results, &check));
    }
    if let Some(why) = findings::facts_unavailable(results) {
        let _ = writeln!(out, "\n{why}.");
    }
    let _ = writeln!(out, "\n{PRECISION_NOTE}");
    out
}

/// Returns the facts check of one sweep point in one line: how many facts the hubs cell
/// reproduces, and which it does not.
pub fn facts_summary(results: &ExperimentResults, check: &FactCheck) -> String {
    let inside = check.lines.iter().filter(|l| l.inside()).count();
    let outside: Vec<&str> = check.lines.iter().filter(|l| !l.inside()).map(|l| l.figure).collect();
    let place = point_label(results, check.point);
    let place = if place.is_empty() {
        String::new()
    } else {
        format!(", {place}")
    };
    let mut line = format!(
        "Facts check (hubs, N = {}{place}, against 2012-13): {inside} of {} figures inside their bands",
        check.units,
        check.lines.len()
    );
    if !outside.is_empty() {
        let _ = write!(line, "; outside: {}", outside.join(", "));
    }
    line.push_str("; see facts.csv");
    line
}

/// Returns the scenario keys as a table: every numeric key of the parameter table with its
/// default, unit, allowed range and source, then the keys that take lists or tables.
pub fn keys_table(long: bool) -> String {
    let all: Vec<[String; 6]> = run_key_rows().into_iter().chain(key_rows()).collect();
    if long {
        let mut rows = vec![
            ["key", "default", "unit", "allowed", "source", "meaning"]
                .map(String::from)
                .to_vec(),
        ];
        rows.extend(all.into_iter().map(|row| row.to_vec()));
        return render_aligned(&rows, false);
    }
    // Within 100 columns: the key, its default and source on one line, what is allowed and
    // what it means on the next, wrapped.
    let width = all.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
    let mut out = String::from("Every scenario key (csu-sim keys --long for one row each):\n\n");
    for [key, default, unit, allowed, source, meaning] in all {
        let default = if default.chars().count() > 40 {
            format!("{}...", default.chars().take(37).collect::<String>())
        } else {
            default
        };
        let source = if source.is_empty() {
            String::new()
        } else {
            format!("  ({source})")
        };
        let _ = writeln!(out, "{key:<width$}  {default}{source}");
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" [{unit}]")
        };
        for line in wrap(&format!("{allowed}{unit}: {meaning}"), KEYS_WIDTH - 4) {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

/// Columns the short form of `csu-sim keys` fits in.
pub const KEYS_WIDTH: usize = 100;

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The keys that say what a run is (docs/model.md section 9): name, seed, replications,
/// options, units and the register.
pub fn run_key_rows() -> Vec<[String; 6]> {
    let row = |key: &str, default: &str, unit: &str, allowed: String, source: &str, meaning: &str| {
        [key, default, unit, &allowed, source, meaning].map(String::from)
    };
    vec![
        row(
            "name",
            "the file's stem",
            "",
            "text".to_string(),
            "setting",
            "labels the outputs and the default output folder",
        ),
        row(
            "seed",
            "1",
            "",
            "a whole number from 0 to 2^63 - 1".to_string(),
            "setting",
            "master seed of every random stream (section 10)",
        ),
        row(
            "replications",
            "1000",
            "",
            format!("an integer from 1 to {}", crate::scenario::MAX_REPLICATIONS),
            "setting",
            "replications of every cell (option x N x sweep point)",
        ),
        row(
            "options",
            "all four",
            "",
            "a list of national, network, hubs, framework, no repeats".to_string(),
            "",
            "the delivery options compared (section 1)",
        ),
        row(
            "units",
            "[23]",
            "units",
            "a list of integers from 1 to the register's CCGs (network: at least 4), no repeats".to_string(),
            "fact",
            "the numbers of units N run; 23 CSUs were approved in 2012 (section 4)",
        ),
        row(
            "ccgs",
            "built-in 2013 register",
            "",
            "a CSV path, relative to the scenario".to_string(),
            "fact",
            "the CCG register (section 2)",
        ),
    ]
}

/// Every scenario key with its default (as TOML), unit, allowed values, source and meaning:
/// the numeric keys of the parser's table, then the keys that take lists or tables.
pub fn key_rows() -> Vec<[String; 6]> {
    use crate::model::params::preference;
    use crate::scenario::keys::{all_keys, shown};
    let defaults = crate::model::Params::default();
    let mut rows = Vec::new();
    for key in all_keys() {
        rows.push([
            key.path.to_string(),
            shown(key.get(&defaults)),
            key.unit.to_string(),
            key.rule.allowed(),
            key.source.to_string(),
            key.meaning.to_string(),
        ]);
    }
    let list = |values: &[f64]| format!("[{}]", values.iter().map(|&v| shown(v)).collect::<Vec<_>>().join(", "));
    let time = &defaults.time;
    let triangular = |t: crate::model::params::Triangular| list(&[t.min, t.mode, t.max]);
    let shares: Vec<String> = preference::KEYS
        .iter()
        .zip(defaults.choice.preferences)
        .map(|(k, v)| format!("{k} = {}", shown(v)))
        .collect();
    let others = [
        (
            "time.wave_months",
            list(&time.wave_months.map(f64::from)),
            "months",
            "four integers below time.months",
            "fact",
            "month each authorisation wave is ready (section 3)",
        ),
        (
            "time.wave_weights",
            list(&time.wave_weights),
            "relative",
            "four numbers > 0 and <= 1e9",
            "fact",
            "sizes of the waves, for drawn waves (section 3)",
        ),
        (
            "choice.preferences",
            format!("{{ {} }}", shares.join(", ")),
            "shares",
            "shares from 0 to 1 summing to 1",
            "fact",
            "survey of CCGs' preferences (section 7)",
        ),
    ];
    for (path, default, unit, allowed, source, meaning) in others {
        rows.push([
            path.to_string(),
            default,
            unit.to_string(),
            allowed.to_string(),
            source.to_string(),
            meaning.to_string(),
        ]);
    }
    for (option, procurement) in defaults.procurement.procuring() {
        rows.push([
            format!("procurement.{option}"),
            triangular(procurement.duration),
            "months".to_string(),
            "0 <= min <= mode <= max <= 600".to_string(),
            "assumption".to_string(),
            format!("triangular procurement duration, {option} (section 7)"),
        ]);
    }
    rows
}

/// A scenario to start from (`csu-sim init`): the run's own keys set, and every other key
/// commented out at its default with its unit, allowed values, source and meaning, in a table
/// whose header is given, so that uncommenting any line changes just that key.
pub fn init_scenario(name: &str) -> String {
    let quoted = toml::Value::String(name.to_string()).to_string();
    let mut out = format!(
        "# csu-sim scenario '{name}', written by `csu-sim init`. Run it with `csu-sim run FILE`.\n\
         # Every key below the first block is commented out at its default: uncomment a line to\n\
         # change that key. `csu-sim keys` lists the same keys; docs/model.md explains them.\n\n\
         name = {quoted}\n\
         seed = 1\n\
         replications = 1000\n\
         options = [\"national\", \"network\", \"hubs\", \"framework\"]\n\
         units = [10, 23, 35]\n\
         # ccgs = \"my_register.csv\"  # a register of your own (code, name, population, lat, lon)\n"
    );
    // Each table once, in the order its first key comes.
    let mut tables: Vec<(String, String)> = Vec::new();
    for [path, default, unit, allowed, source, meaning] in key_rows() {
        let (table, key) = path.rsplit_once('.').unwrap_or(("", path.as_str()));
        let line = format!("# {key} = {default}  # {unit}; {allowed}; {source}: {meaning}\n");
        match tables.iter_mut().find(|(t, _)| t == table) {
            Some((_, lines)) => lines.push_str(&line),
            None => tables.push((table.to_string(), line)),
        }
    }
    for (table, lines) in tables {
        let _ = write!(out, "\n[{table}]\n{lines}");
    }
    out.push_str(
        "\n# Sweep keys over values: every combination is a cell of the run.\n\
         # [sweep]\n\
         # \"risk.p_fail_annual\" = [0.01, 0.05, 0.1]\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{outcome, scenario, started};

    /// Hubs at N = 10, 23 and 35: headlines (12, 14, 16), (10, 11, 12), (11, 10, 15) and unmet
    /// shares 2%, 3% and 1% throughout. Cheapest N = 23: N = 10 is +3 (sd 1, 3 +- 2.484, which
    /// supports no decimals: [1, 5]), N = 35 +1 (sd 2: [-4, 6]), so not sure. Least unmet
    /// N = 35: N = 10 is +1 point and N = 23 +2 points in every replication (no spread: two
    /// decimals), so sure. Text columns left, numbers right, two spaces apart.
    #[test]
    fn the_which_n_table_reads_as_worked_by_hand() {
        let mut results = started(&scenario("options = [\"hubs\"]\nunits = [10, 23, 35]\n", "t"));
        for headlines in [[12.0, 10.0, 11.0], [14.0, 11.0, 10.0], [16.0, 12.0, 15.0]] {
            let cells: Vec<_> = headlines
                .iter()
                .zip([0.02, 0.03, 0.01])
                .map(|(&h, u)| outcome(&[(Metric::HEADLINE, h), (Metric::UnmetShare, u)], 0.0))
                .collect();
            results.add_replication(&cells);
        }
        assert_eq!(
            which_n_table(&results).unwrap(),
            "Which N is best for each option (paired differences of each N from the option's best N, with their 95% intervals):\n\
             option   N  net cost/head  vs cheapest N: GBP/head [95% CI]  unmet %  vs least-unmet N: pp [95% CI]\n\
             ------  --  -------------  --------------------------------  -------  -----------------------------\n\
             hubs    10          14.00                         +3 [1, 5]     2.00             +1.00 [1.00, 1.00]\n\
             hubs    23          11.00                          cheapest     3.00             +2.00 [2.00, 2.00]\n\
             hubs    35          12.00                        +1 [-4, 6]     1.00                    least unmet\n\
             \n  hubs: cheapest at N = 23 (not sure: an interval includes 0); least unmet at N = 35 (every other N surely worse)\n"
        );
        // With one option, which N is best is the verdict.
        assert_eq!(verdict_table(&results), which_n_table(&results).unwrap());
    }

    /// The shape of the means across N is said of the headline alone: a U-shaped unmet share
    /// says nothing about where the cost turns.
    #[test]
    fn only_the_headline_gets_its_shape_in_n() {
        for (metric, shape, want) in [
            (
                Metric::HEADLINE,
                Shape::U,
                "cheapest at N = 23 (every other N surely worse, U-shaped in N)",
            ),
            (
                Metric::UnmetShare,
                Shape::U,
                "cheapest at N = 23 (every other N surely worse)",
            ),
            (
                Metric::HEADLINE,
                Shape::Falls,
                "cheapest at N = 23 (every other N surely worse, still falling at the largest N run, so a larger N may \
                 be cheaper still)",
            ),
            (
                Metric::UnmetShare,
                Shape::Falls,
                "cheapest at N = 23 (every other N surely worse)",
            ),
            (
                Metric::HEADLINE,
                Shape::Rises,
                "cheapest at N = 23 (every other N surely worse, rising from the smallest N run, so a smaller N may be \
                 cheaper still)",
            ),
            (
                Metric::UnmetShare,
                Shape::Rises,
                "cheapest at N = 23 (every other N surely worse)",
            ),
        ] {
            let best = BestN {
                option: crate::model::OptionKind::Hubs,
                point: 0,
                metric,
                units: 23,
                mean: 10.0,
                others: Vec::new(),
                sure: true,
                shape: Some(shape),
            };
            assert_eq!(best_clause(&best, "cheapest"), want);
        }
    }
}
