//! `report.html`: one self-contained page for a briefing, verdict first.

use std::fmt::Write;

use super::RunInfo;
use super::chart::Chart;
use super::table::{PRECISION_NOTE, point_label};
use crate::experiment::explain::{self, fixed};
use crate::experiment::findings::{self, FactCheck};
use crate::experiment::profile;
use crate::experiment::{ExperimentResults, Leader};
use crate::model::Metric;
use crate::stats::MeanInterval;

/// Escapes text for HTML (every report's text goes through it), dropping Unicode
/// bidirectional controls, with which a register's name could make itself read as another.
pub(super) fn escape(text: &str) -> String {
    super::without_bidi_controls(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#222}\
h1{margin-bottom:0.2em}table{border-collapse:collapse;margin:1em 0;font-size:0.9em}\
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}\
.verdict{background:#eef5fb;border-left:6px solid #0072B2;padding:0.6em 1.2em;margin:1em 0}\
.caveat{background:#fdf3e7;border-left:6px solid #D55E00;padding:0.6em 1.2em;margin:1em 0}.outside{color:#B00020;font-weight:bold}table.facts td{text-align:left}\
figure{margin:2em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}.meta td{text-align:left}";

/// One leader in words: `level` is the unit of its value, `lead` that of its margin over the
/// runner-up (a difference of shares is in percentage points, not per cent).
fn leader_sentence(leader: &Leader, what: &str, (level, lead): (&str, &str), scale: f64) -> String {
    let sure = if leader.significant {
        "a lead significant at 95%"
    } else {
        "a lead not significant at 95%"
    };
    let margin = match leader.margin(scale) {
        Some((runner_up, mean, low, high)) => {
            format!(", {mean:.2} {lead} better than {runner_up} (95% CI {low:.2} to {high:.2}), {sure}")
        }
        None => String::new(),
    };
    format!(
        "<b>{}</b> {what} at {:.2} {level}{}",
        leader.option,
        leader.mean * scale,
        escape(&margin)
    )
}

/// Units of the cost and unmet leaders: level, and lead over the runner-up.
const COST_UNITS: (&str, &str) = ("GBP/head", "GBP/head");
const UNMET_UNITS: (&str, &str) = ("% of demand", "percentage points");

fn verdict(results: &ExperimentResults) -> String {
    let verdicts = results.verdicts();
    let mut out = String::from("<div class=\"verdict\"><h2>Verdict</h2>");
    // A sweep, or many N values, reads better as a table than as near-identical sentences.
    if results.meta.sweep_keys.is_empty() && verdicts.len() <= 4 {
        out.push_str(&verdict_sentences(results, &verdicts));
    } else {
        out.push_str(&verdict_grid(results, &verdicts));
    }
    let _ = write!(
        out,
        "<p>The headline is the net cost per head: what the NHS pays, plus work left undone at its private price \
         (unmet work with a penalty on top), less negotiating savings, plus the shadow cost of overridden choice. \
         Every option sees the same CCGs in each replication, so differences are paired. {}</p></div>",
        escape(PRECISION_NOTE)
    );
    out
}

/// The verdict as a table: a row per N and sweep point, the cheapest option and the one that
/// leaves least demand unmet, each with its value and its lead over the runner-up.
fn verdict_grid(results: &ExperimentResults, verdicts: &[crate::experiment::Verdict]) -> String {
    let mut out = String::from("<table class=\"verdicts\"><tr><th>N</th>");
    for key in &results.meta.sweep_keys {
        let _ = write!(out, "<th>{}</th>", escape(key));
    }
    out.push_str(
        "<th>cheapest</th><th>net GBP/head</th><th>lead, GBP/head (95% CI)</th><th>over</th>\
         <th>least unmet</th><th>unmet, % of demand</th><th>lead, percentage points (95% CI)</th><th>over</th></tr>",
    );
    let cells = |leader: &Option<Leader>, scale: f64| match leader {
        None => "<td>-</td><td>-</td><td>-</td><td>-</td>".to_string(),
        Some(l) => {
            let (lead, over) = match l.margin(scale) {
                Some((runner_up, mean, low, high)) => (
                    format!(
                        "{mean:.2} ({low:.2} to {high:.2}){}",
                        if l.significant { "" } else { ", not significant" }
                    ),
                    runner_up.to_string(),
                ),
                None => ("-".to_string(), "-".to_string()),
            };
            format!(
                "<td><b>{}</b></td><td>{:.2}</td><td>{}</td><td>{}</td>",
                l.option,
                l.mean * scale,
                escape(&lead),
                escape(&over)
            )
        }
    };
    for v in verdicts {
        let _ = write!(out, "<tr><td>{}</td>", v.units);
        let values = results
            .cells
            .iter()
            .find(|c| c.point == v.point)
            .map(|c| c.point_values.clone())
            .unwrap_or_default();
        for (_, value) in &values {
            let _ = write!(out, "<td>{}</td>", super::number(*value));
        }
        let _ = write!(out, "{}{}</tr>", cells(&v.cheapest, 1.0), cells(&v.least_unmet, 100.0));
    }
    out.push_str("</table>");
    out
}

/// The verdict in sentences, one per N.
fn verdict_sentences(results: &ExperimentResults, verdicts: &[crate::experiment::Verdict]) -> String {
    let mut out = String::from("<ul>");
    for v in verdicts {
        let point = point_label(results, v.point);
        let at = if point.is_empty() {
            format!("N = {}", v.units)
        } else {
            format!("N = {}, {}", v.units, escape(&point))
        };
        let _ = write!(out, "<li><b>{at}</b>: ");
        if let Some(l) = &v.cheapest {
            let _ = write!(
                out,
                "{}",
                leader_sentence(l, "is cheapest on the net headline", COST_UNITS, 1.0)
            );
        }
        if let Some(l) = &v.least_unmet {
            let _ = write!(
                out,
                "; {}",
                leader_sentence(l, "leaves least demand unmet", UNMET_UNITS, 100.0)
            );
        }
        out.push_str(".</li>");
    }
    out.push_str("</ul>");
    out
}

/// The warnings of cells whose option is not what its name says.
fn caveats(results: &ExperimentResults) -> String {
    let groups = findings::caveat_groups(results);
    if groups.is_empty() {
        return String::new();
    }
    let points = results.cells.iter().map(|c| c.point).max().map_or(0, |p| p + 1);
    let strong = groups.iter().any(|g| g.strong());
    let mut out = format!(
        "<div class=\"caveat\"><h2>{}</h2><ul>",
        if strong {
            "Warning: options that are not what their names say"
        } else {
            "Note: rare market failures"
        }
    );
    for group in &groups {
        let _ = write!(out, "<li>{}.</li>", escape(&group.sentence(points)));
    }
    out.push_str("</ul>");
    if strong {
        out.push_str("<p>Read these cells' costs as the cost of the market they leave behind, not of the option as designed.</p>");
    }
    out.push_str("</div>");
    out
}

/// How undone work, leverage and choice move each cell's headline, and whether the leader
/// would differ without leverage and choice.
fn what_the_headline_rests_on(results: &ExperimentResults) -> String {
    let values = findings::values_set(results);
    let mut out = String::from(
        "<h2>What the headline rests on</h2><p>GBP per head per year, added to (+) or taken from (-) what the NHS pays.",
    );
    if !values {
        out.push_str(" Negotiating leverage and the value of choice are off in this scenario (<code>value.leverage_max</code> and <code>value.choice_per_head</code> are 0).");
    }
    out.push_str("</p><table><tr><th>option</th><th>N</th>");
    for key in &results.meta.sweep_keys {
        let _ = write!(out, "<th>{}</th>", escape(key));
    }
    out.push_str("<th>cost/head</th><th>+ undone work at private price</th><th>+ penalty on unmet work</th>");
    if values {
        out.push_str("<th>- negotiating leverage</th><th>+ overridden choice</th>");
    }
    out.push_str("<th>= net cost/head</th></tr>");
    for (cell, effect) in results.cells.iter().zip(findings::value_effects(results)) {
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", cell.option, cell.units);
        for (_, v) in &cell.point_values {
            let _ = write!(out, "<td>{v}</td>");
        }
        let _ = write!(
            out,
            "<td>{:.2}</td><td>{:.2}</td><td>{:.2}</td>",
            cell.summary(Metric::CostPerHead).mean,
            effect.undone,
            effect.penalty
        );
        if values {
            let _ = write!(out, "<td>{:.2}</td><td>{:.2}</td>", effect.leverage, effect.choice);
        }
        let _ = write!(out, "<td>{:.2}</td></tr>", cell.summary(Metric::HEADLINE).mean);
    }
    out.push_str("</table>");
    if values {
        out.push_str("<ul>");
        for shift in findings::verdict_shifts(results) {
            let place = point_label(results, shift.point);
            let at = if place.is_empty() {
                format!("N = {}", shift.units)
            } else {
                format!("N = {}, {}", shift.units, escape(&place))
            };
            let _ = write!(out, "<li><b>{at}</b>: {}.</li>", escape(&shift.sentence()));
        }
        out.push_str("</ul>");
    }
    out
}

/// The facts check of section 8b, one table per sweep point.
fn facts(results: &ExperimentResults) -> String {
    let checks = findings::facts_check(results);
    let mut out = String::from("<h2>Facts check: the 2013 configuration against 2012-13</h2>");
    if let Some(why) = findings::facts_unavailable(results) {
        let _ = write!(out, "<p>{}.</p>", escape(&why));
        return out;
    }
    for check in &checks {
        out.push_str(&fact_table(results, check));
    }
    out.push_str("<p>A figure outside its band is not an error: it says where the scenario departs from 2012-13, which a briefing must be able to explain.</p>");
    out
}

fn fact_table(results: &ExperimentResults, check: &FactCheck) -> String {
    let place = point_label(results, check.point);
    let mut out = format!(
        "<p>In 2013, 23 approved CSUs each offered all four functions to CCGs that chose them: the model's <code>hubs</code> option at N = {}{}. Each line sets what was reported beside the model's figure (mean and 95% interval).</p>",
        check.units,
        if place.is_empty() {
            String::new()
        } else {
            format!(", {}", escape(&place))
        },
    );
    out.push_str("<table class=\"facts\"><tr><th>what was reported</th><th>source</th><th>model figure</th><th>model: mean [95% CI]</th><th>band</th><th>inside?</th></tr>");
    for line in &check.lines {
        let verdict = if line.inside() {
            "inside".to_string()
        } else {
            "<span class=\"outside\">outside</span>".to_string()
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} [{}, {}]</td><td>{}</td><td>{verdict}</td></tr>",
            escape(line.fact),
            escape(line.source),
            escape(line.figure),
            line.shown.format(line.mean),
            line.shown.format(line.ci.0),
            line.shown.format(line.ci.1),
            escape(&line.band_text()),
        );
    }
    out.push_str("</table>");
    out
}

fn summary_table(results: &ExperimentResults) -> String {
    let mut out = String::from("<table><tr><th>option</th><th>N</th>");
    for key in &results.meta.sweep_keys {
        let _ = write!(out, "<th>{}</th>", escape(key));
    }
    out.push_str("<th>net cost/head [95% CI]</th><th>cost/head</th><th>total GBP m</th><th>unmet %</th><th>units serving</th><th>uncontracted at go-live</th><th>utilisation p95</th><th>private %</th><th>failures</th><th>over budget %</th></tr>");
    for cell in &results.cells {
        let mean = |m: Metric| cell.summary(m).mean;
        let h = cell.summary(Metric::HEADLINE);
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", cell.option, cell.units);
        for (_, v) in &cell.point_values {
            let _ = write!(out, "<td>{v}</td>");
        }
        let _ = write!(
            out,
            "<td>{:.2} [{:.2}, {:.2}]</td><td>{:.2}</td><td>{:.1}</td><td>{:.2}</td><td>{:.1}</td><td>{:.1}</td><td>{:.2}</td><td>{:.1}</td><td>{:.2}</td><td>{:.1}</td></tr>",
            h.mean,
            h.ci_low,
            h.ci_high,
            mean(Metric::CostPerHead),
            mean(Metric::CostTotal),
            100.0 * mean(Metric::UnmetShare),
            mean(Metric::UnitsServingMean),
            mean(Metric::UncontractedAtGoLive),
            mean(Metric::UtilisationP95),
            100.0 * mean(Metric::PrivateShare),
            mean(Metric::FailuresCheckpoint) + mean(Metric::FailuresOperating),
            100.0 * mean(Metric::OverBudgetShare),
        );
    }
    out.push_str("</table>");
    out
}

/// The cell the report's results by site speak of: the lowest mean headline at the first
/// sweep point.
fn leading_cell(results: &ExperimentResults) -> Option<&crate::experiment::CellResult> {
    results
        .cells
        .iter()
        .filter(|cell| cell.point == 0 && cell.places.is_some())
        .min_by(|a, b| {
            let headline = |c: &crate::experiment::CellResult| c.summary(Metric::HEADLINE).mean;
            headline(a).total_cmp(&headline(b))
        })
}

/// Results by NHS region: a table per quantity, a row per cell, a column per region.
fn by_region(results: &ExperimentResults) -> String {
    if results.cells.iter().all(|cell| cell.places.is_none()) {
        return String::new();
    }
    let mut out = String::from(
        "<h2>By NHS region</h2><p>Means over replications, each region's CCGs together (regions.csv has the 95% CIs          and the unmet shares by cause). A region's cost per head is its CCGs' own costs, the NHS units' costs shared          by the work each CCG sent them, and its undone work; weighted by population the regions give the national figure.</p>",
    );
    // (index in experiment::places::REGION_METRICS, title, scale, decimals)
    let tables = [
        (0, "Unmet share, % of demand", 100.0, 2),
        (4, "CCGs with a function not in service at go-live", 1.0, 1),
        (5, "Cost per head incl. undone work, GBP/year", 1.0, 2),
        (6, "Private share, % of served work", 100.0, 1),
    ];
    for (metric, title, scale, decimals) in tables {
        let _ = write!(
            out,
            "<table class=\"regions\"><caption>{}</caption><tr><th>option</th><th>N</th>",
            escape(title)
        );
        for key in &results.meta.sweep_keys {
            let _ = write!(out, "<th>{}</th>", escape(key));
        }
        for name in &results.regions.names {
            let _ = write!(out, "<th>{}</th>", escape(name));
        }
        out.push_str("</tr>");
        for cell in &results.cells {
            let Some(places) = &cell.places else { continue };
            let _ = write!(out, "<tr><td>{}</td><td>{}</td>", cell.option, cell.units);
            for (_, v) in &cell.point_values {
                let _ = write!(out, "<td>{v}</td>");
            }
            for region in &places.regions {
                let mean = region[metric].mean() * scale;
                if mean.is_nan() {
                    out.push_str("<td>-</td>");
                } else {
                    let _ = write!(out, "<td>{mean:.decimals$}</td>");
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
    out
}

/// The five sites of the leading cell that most often lost work to capacity.
fn saturated_sites(results: &ExperimentResults) -> String {
    let Some(cell) = leading_cell(results) else {
        return String::new();
    };
    let Some(places) = &cell.places else {
        return String::new();
    };
    let mut out = format!("<h2>Most saturated sites: {} at N = {}</h2>", cell.option, cell.units);
    let mut order: Vec<usize> = (0..places.units.len()).collect();
    let saturated = |u: usize| places.units[u].saturated_months_mean();
    let utilisation = |u: usize| places.units[u].utilisation_mean();
    order.sort_by(|&a, &b| {
        saturated(b)
            .total_cmp(&saturated(a))
            .then(utilisation(b).total_cmp(&utilisation(a)))
            .then(a.cmp(&b))
    });
    if order.first().is_none_or(|&u| saturated(u) == 0.0) {
        out.push_str("<p>The option with the lowest headline at the first sweep point: no unit of it lost work to capacity in any replication.</p>");
        return out;
    }
    out.push_str(
        "<p>The option with the lowest headline at the first sweep point; its units ranked by the months a          replication in which they lost work to capacity (units.csv lists every unit of every cell).</p>         <table><tr><th>site</th><th>region</th><th>function</th><th>catchment, m people</th><th>utilisation %</th>         <th>saturated months per replication</th><th>failure rate %</th></tr>",
    );
    for &u in order.iter().take(5).filter(|&&u| saturated(u) > 0.0) {
        let site = &cell.unit_sites[u];
        let ccg = &results.ccgs[site.site];
        let totals = &places.units[u];
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.1}</td><td>{:.2}</td><td>{:.1}</td></tr>",
            escape(&ccg.name),
            escape(ccg.region.as_deref().unwrap_or("-")),
            site.function.map_or("all", |f| f.key()),
            site.catchment / 1e6,
            100.0 * totals.utilisation_mean(),
            totals.saturated_months_mean(),
            100.0 * totals.failure_rate(),
        );
    }
    out.push_str("</table>");
    out
}

fn metadata(results: &ExperimentResults, run: &RunInfo) -> String {
    let meta = &results.meta;
    let mut out = String::from("<h2>Scenario changes from the defaults</h2>");
    if meta.changes.is_empty() {
        out.push_str("<p>None: every parameter takes its default.</p>");
    } else {
        out.push_str("<table class=\"meta\"><tr><th>key</th><th>value</th><th>set by</th></tr>");
        for change in &meta.changes {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&change.key),
                escape(&change.value),
                escape(&change.from)
            );
        }
        out.push_str("</table>");
    }
    let _ = write!(
        out,
        "<h2>Run</h2><table class=\"meta\"><tr><td>csu-sim version</td><td>{}</td></tr><tr><td>scenario file</td><td>{}</td></tr>\
         <tr><td>seed</td><td>{}</td></tr><tr><td>replications per cell</td><td>{}</td></tr><tr><td>register</td><td>{} ({} CCGs)</td></tr>\
         <tr><td>threads</td><td>{}</td></tr><tr><td>elapsed</td><td>{:.2} s</td></tr></table>",
        env!("CARGO_PKG_VERSION"),
        escape(&meta.file),
        meta.seed,
        meta.replications,
        escape(&meta.register),
        meta.n_ccgs,
        run.threads,
        run.elapsed_seconds,
    );
    out
}

/// Why the leader leads at each N: a sentence, a table of every part of the margin with its
/// interval, and the waterfall charts among `charts`.
fn why_the_leader_leads(results: &ExperimentResults, charts: &[(Chart, String)]) -> String {
    let explanations = explain::explanations(results);
    if explanations.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h2>Why the leader leads</h2><p>The cheapest option's margin over the runner-up, split into the parts of \
         the headline: each is the paired difference runner-up minus leader, in GBP per head per year, so a positive \
         part favours the leader and the parts add up to the margin. A reason is named only when its 95% interval \
         excludes 0.</p><ul>",
    );
    let at = |e: &explain::LeadExplanation| {
        let place = point_label(results, e.point);
        if place.is_empty() {
            format!("N = {}", e.units)
        } else {
            format!("N = {}, {place}", e.units)
        }
    };
    for e in &explanations {
        let _ = write!(out, "<li>{}</li>", escape(&e.sentence(&at(e))));
    }
    out.push_str("</ul><table><tr><th>part of the headline</th>");
    for e in &explanations {
        let _ = write!(out, "<th>{}: {} over {}</th>", escape(&at(e)), e.leader, e.runner_up);
    }
    out.push_str("</tr>");
    let rows = explanations[0].parts.len();
    for k in 0..rows {
        let _ = write!(out, "<tr><td>{}</td>", escape(explanations[0].parts[k].part.label));
        for e in &explanations {
            let _ = write!(out, "<td>{}</td>", interval_text(&e.parts[k].difference));
        }
        out.push_str("</tr>");
    }
    out.push_str("<tr><th>margin</th>");
    for e in &explanations {
        let _ = write!(out, "<th>{}</th>", interval_text(&e.margin));
    }
    out.push_str("</tr></table>");
    for (chart, svg) in charts.iter().filter(|(c, _)| c.stem.starts_with("lead_parts")) {
        let _ = write!(
            out,
            "<figure id=\"{}\" aria-label=\"{}\">{svg}</figure>",
            chart.stem,
            escape(&chart.title)
        );
    }
    out
}

/// Formats a mean and its interval with the decimals the interval supports: `0.36 (0.30 to
/// 0.43)`; a part that is 0 in every replication as `0`.
fn interval_text(i: &MeanInterval) -> String {
    if i.mean == 0.0 && i.low == 0.0 && i.high == 0.0 {
        return "0".to_string();
    }
    let d = explain::decimals_of(i);
    if i.low.is_finite() {
        format!("{} ({} to {})", fixed(i.mean, d), fixed(i.low, d), fixed(i.high, d))
    } else {
        fixed(i.mean, d)
    }
}

/// Which N is best for each option run at two or more N: the console's table, as HTML.
fn which_n(results: &ExperimentResults) -> String {
    let Some(table) = super::table::which_n_table(results) else {
        return String::new();
    };
    format!(
        "<h2>Which N for each option</h2><p>Each option's N against its own best N, paired like the comparison of \
         options (the sites for a smaller N are the first of those for a larger one, with the same draws).</p><pre>{}</pre>",
        escape(&table)
    )
}

/// How the options differ, read from the options' own code, and the keys only one option reads.
fn how_options_differ(results: &ExperimentResults) -> String {
    let profiles = profile::profiles(results);
    let mut out = String::from(
        "<h2>How the options differ</h2><p>Read from the delivery options' own code, at this scenario's values \
         (first sweep point).</p><table class=\"facts\"><tr><th></th>",
    );
    for p in &profiles {
        let _ = write!(out, "<th>{}</th>", p.option);
    }
    out.push_str("</tr>");
    let answers: Vec<Vec<(&str, String)>> = profiles.iter().map(|p| p.answers()).collect();
    if let Some(first) = answers.first() {
        for (k, (question, _)) in first.iter().enumerate() {
            let _ = write!(out, "<tr><td>{}</td>", escape(question));
            for a in &answers {
                let _ = write!(out, "<td>{}</td>", escape(&a[k].1));
            }
            out.push_str("</tr>");
        }
    }
    out.push_str("</table><p>Keys only one option reads:</p><table class=\"facts\"><tr><th>option</th><th>key</th><th>this scenario</th><th>default</th></tr>");
    for p in &profiles {
        for (path, value, default) in &p.own_keys {
            let _ = write!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                p.option,
                escape(path),
                super::number(*value),
                super::number(*default)
            );
        }
    }
    out.push_str("</table>");
    out
}

/// Returns the report: verdict, charts (inline SVG), summary table, scenario changes, run data.
pub fn report_html(results: &ExperimentResults, charts: &[(Chart, String)], run: &RunInfo) -> String {
    let title = escape(&results.meta.scenario);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>csu-sim: {title}</title><style>{STYLE}</style></head><body>\
         <h1>csu-sim: {title}</h1><p>How should commissioning support be organised? {} cells (option x N{}) compared over {} replications each.</p>",
        results.cells.len(),
        if results.meta.sweep_keys.is_empty() {
            ""
        } else {
            " x sweep point"
        },
        results.meta.replications
    );
    out.push_str(&verdict(results));
    out.push_str(&why_the_leader_leads(results, charts));
    out.push_str(&which_n(results));
    out.push_str(&caveats(results));
    out.push_str(&how_options_differ(results));
    out.push_str("<h2>Summary</h2>");
    out.push_str(&summary_table(results));
    out.push_str(&by_region(results));
    out.push_str(&saturated_sites(results));
    out.push_str(&what_the_headline_rests_on(results));
    out.push_str(&facts(results));
    out.push_str("<h2>Charts</h2>");
    for (chart, svg) in charts.iter().filter(|(c, _)| !c.stem.starts_with("lead_parts")) {
        // The SVG carries its own title; the figure is labelled for screen readers.
        let _ = write!(
            out,
            "<figure id=\"{}\" aria-label=\"{}\">{svg}</figure>",
            chart.stem,
            escape(&chart.title)
        );
    }
    out.push_str(&metadata(results, run));
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{facts_results, outcome, scenario, started};

    /// National and hubs at N = 10 over three replications: national's headline 9, 10, 11 and
    /// unmet share 2%, 3%, 4%; hubs' 10, 11, 12 and 1%, 1%, 4%.
    fn two_options(name: &str) -> (crate::scenario::Scenario, ExperimentResults) {
        let scenario = scenario(
            "replications = 3\noptions = [\"national\", \"hubs\"]\nunits = [10]\n",
            name,
        );
        let mut results = started(&scenario);
        for ((national, hubs), (unmet_national, unmet_hubs)) in [(9.0, 10.0), (10.0, 11.0), (11.0, 12.0)]
            .into_iter()
            .zip([(0.02, 0.01), (0.03, 0.01), (0.04, 0.04)])
        {
            let cell = |headline, unmet| outcome(&[(Metric::HEADLINE, headline), (Metric::UnmetShare, unmet)], 0.0);
            results.add_replication(&[cell(national, unmet_national), cell(hubs, unmet_hubs)]);
        }
        (scenario, results)
    }

    /// National is 1 a head cheaper in every replication: a lead of 1.00 with the interval
    /// [1.00, 1.00], significant. Hubs leaves less unmet (mean 2% against 3%): national less
    /// hubs is 1, 2, 0 points, mean 1, sd 1, 1 +- t(0.975, 2) / sqrt 3 = 1 +- 2.484: -1.48 to
    /// 3.48, not significant.
    #[test]
    fn the_verdict_gives_each_leader_its_lead_and_interval() {
        let (_, results) = two_options("t");
        assert_eq!(
            verdict_sentences(&results, &results.verdicts()),
            "<ul><li><b>N = 10</b>: <b>national</b> is cheapest on the net headline at 10.00 GBP/head, \
             1.00 GBP/head better than hubs (95% CI 1.00 to 1.00), a lead significant at 95%; \
             <b>hubs</b> leaves least demand unmet at 2.00 % of demand, 1.00 percentage points better than \
             national (95% CI -1.48 to 3.48), a lead not significant at 95%.</li></ul>"
        );
    }

    /// The grid gives the same figures a row per N, the unmet lead marked not significant.
    #[test]
    fn the_verdict_grid_has_a_row_per_n() {
        let (_, results) = two_options("t");
        let grid = verdict_grid(&results, &results.verdicts());
        assert!(
            grid.ends_with(
                "<tr><td>10</td><td><b>national</b></td><td>10.00</td><td>1.00 (1.00 to 1.00)</td><td>hubs</td>\
                 <td><b>hubs</b></td><td>2.00</td><td>1.00 (-1.48 to 3.48), not significant</td><td>national</td></tr></table>"
            ),
            "{grid}"
        );
    }

    /// Figures carry the decimals of their interval's half-width: 0.06 gives two, 0.4 one; a
    /// part 0 throughout is `0`; no interval (one replication) gives two; never "-0.0".
    #[test]
    fn intervals_carry_the_digits_they_support() {
        let interval = |mean: f64, half: f64| MeanInterval {
            n: 3,
            mean,
            low: mean - half,
            high: mean + half,
        };
        assert_eq!(interval_text(&interval(0.3612, 0.06)), "0.36 (0.30 to 0.42)");
        assert_eq!(interval_text(&interval(1.46, 0.4)), "1.5 (1.1 to 1.9)");
        assert_eq!(interval_text(&interval(0.0, 0.0)), "0");
        assert_eq!(interval_text(&interval(0.0, 0.3)), "0.0 (-0.3 to 0.3)");
        assert_eq!(interval_text(&interval(-0.001, 0.3)), "0.0 (-0.3 to 0.3)");
        let single = MeanInterval {
            n: 1,
            mean: 2.346,
            low: f64::NAN,
            high: f64::NAN,
        };
        assert_eq!(interval_text(&single), "2.35");
    }

    /// The one figure outside its band (GBP 700 m against at most GBP 670 m) is marked, the
    /// other six read "inside".
    #[test]
    fn the_facts_table_marks_what_lies_outside_its_band() {
        let html = facts(&facts_results());
        assert_eq!(
            html.matches("<span class=\"outside\">outside</span>").count(),
            1,
            "{html}"
        );
        assert_eq!(html.matches("<td>inside</td>").count(), 6, "{html}");
        assert!(html.contains("at most GBP 670 m</td><td><span class=\"outside\">outside</span>"));
        assert!(
            html.contains("the model's <code>hubs</code> option at N = 23."),
            "{html}"
        );
    }

    /// Text from the scenario is escaped; the page leads with the verdict, then why the leader
    /// leads, the summary, the facts check (unavailable here: it needs hubs at N = 23) and the
    /// charts.
    #[test]
    fn the_page_leads_with_the_verdict_and_escapes_its_text() {
        assert_eq!(escape("<a href=\"x\">&\u{202e}"), "&lt;a href=&quot;x&quot;&gt;&amp;");
        let (scenario, results) = two_options("A&B <x>");
        let run = RunInfo {
            scenario: &scenario,
            threads: 1,
            elapsed_seconds: 0.5,
        };
        let html = report_html(&results, &[], &run);
        assert!(html.contains("<title>csu-sim: A&amp;B &lt;x&gt;</title>"), "{html}");
        assert!(html.contains("2 cells (option x N) compared over 3 replications each"));
        let at = |heading: &str| html.find(heading).unwrap_or_else(|| panic!("no {heading}"));
        let order = [
            "<h2>Verdict</h2>",
            "<h2>Why the leader leads</h2>",
            "<h2>Summary</h2>",
            "<h2>Facts check",
            "<h2>Charts</h2>",
        ]
        .map(at);
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        assert!(!html.contains("A&B <x>"));
    }
}
