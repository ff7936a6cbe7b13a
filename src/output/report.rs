//! `report.html`: one self-contained page for a briefing, verdict first.

use std::fmt::Write;

use super::RunInfo;
use super::chart::Chart;
use super::table::point_label;
use crate::engine::Metric;
use crate::experiment::{ExperimentResults, Leader};

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#222}\
h1{margin-bottom:0.2em}table{border-collapse:collapse;margin:1em 0;font-size:0.9em}\
th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{text-align:left}\
.verdict{background:#eef5fb;border-left:6px solid #0072B2;padding:0.6em 1.2em;margin:1em 0}\
figure{margin:2em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}.meta td{text-align:left}";

fn leader_sentence(leader: &Leader, what: &str, unit: &str, scale: f64) -> String {
    let sure = if leader.significant {
        "a lead significant at 95%"
    } else {
        "a lead not significant at 95%"
    };
    let margin = match leader.margin(scale) {
        Some((runner_up, mean, low, high)) => {
            format!(", {mean:.2} {unit} better than {runner_up} (95% CI {low:.2} to {high:.2}), {sure}")
        }
        None => String::new(),
    };
    format!(
        "<b>{}</b> {what} at {:.2} {unit}{}",
        leader.option,
        leader.mean * scale,
        escape(&margin)
    )
}

fn verdict(results: &ExperimentResults) -> String {
    let mut out = String::from("<div class=\"verdict\"><h2>Verdict</h2><ul>");
    for v in results.verdicts() {
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
                leader_sentence(l, "is cheapest including unmet work", "GBP/head", 1.0)
            );
        }
        if let Some(l) = &v.least_unmet {
            let _ = write!(
                out,
                "; {}",
                leader_sentence(l, "leaves least demand unmet", "% of demand", 100.0)
            );
        }
        out.push_str(".</li>");
    }
    out.push_str("</ul><p>Intervals are 95% confidence intervals of paired differences: every option sees the same CCGs in each replication.</p></div>");
    out
}

fn summary_table(results: &ExperimentResults) -> String {
    let mut out = String::from("<table><tr><th>option</th><th>N</th>");
    for key in &results.meta.sweep_keys {
        let _ = write!(out, "<th>{}</th>", escape(key));
    }
    out.push_str("<th>cost/head incl unmet [95% CI]</th><th>cost/head</th><th>total GBP m</th><th>unmet %</th><th>uncontracted at go-live</th><th>utilisation p95</th><th>private %</th><th>failures</th></tr>");
    for cell in &results.cells {
        let mean = |m: Metric| cell.summary(m).mean;
        let h = cell.summary(Metric::HEADLINE);
        let _ = write!(out, "<tr><td>{}</td><td>{}</td>", cell.option, cell.units);
        for (_, v) in &cell.point_values {
            let _ = write!(out, "<td>{v}</td>");
        }
        let _ = write!(
            out,
            "<td>{:.2} [{:.2}, {:.2}]</td><td>{:.2}</td><td>{:.1}</td><td>{:.2}</td><td>{:.1}</td><td>{:.2}</td><td>{:.1}</td><td>{:.2}</td></tr>",
            h.mean,
            h.ci_low,
            h.ci_high,
            mean(Metric::CostPerHead),
            mean(Metric::CostTotal),
            100.0 * mean(Metric::UnmetShare),
            mean(Metric::UncontractedAtGoLive),
            mean(Metric::UtilisationP95),
            100.0 * mean(Metric::PrivateShare),
            mean(Metric::FailuresCheckpoint) + mean(Metric::FailuresOperating),
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
        out.push_str("<table class=\"meta\"><tr><th>key</th><th>value</th></tr>");
        for (key, value) in &meta.changes {
            let _ = write!(out, "<tr><td>{}</td><td>{}</td></tr>", escape(key), escape(value));
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
    out.push_str("<h2>Summary</h2>");
    out.push_str(&summary_table(results));
    out.push_str("<h2>Charts</h2>");
    for (chart, svg) in charts {
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
