//! The summary table printed at the end of a run.

use std::fmt::Write;

use crate::engine::Metric;
use crate::experiment::ExperimentResults;

/// Column headings, in order.
const HEADINGS: [&str; 9] = [
    "cost/head incl unmet [95% CI]",
    "cost/head",
    "total GBP m",
    "unmet %",
    "uncontr. go-live",
    "util p95",
    "private %",
    "failures",
    "over budget %",
];

/// Returns a plain-text table: one row per option and N (and sweep point), headline first.
pub fn summary_table(results: &ExperimentResults) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["option".to_string(), "N".to_string()];
    header.extend(results.meta.sweep_keys.iter().cloned());
    header.extend(HEADINGS.iter().map(|h| h.to_string()));
    rows.push(header);
    for cell in &results.cells {
        let mean = |m: Metric| cell.summary(m).mean;
        let headline = cell.summary(Metric::CostPerHeadInclUnmet);
        let mut row = vec![cell.option.to_string(), cell.units.to_string()];
        row.extend(cell.point_values.iter().map(|(_, v)| format!("{v}")));
        row.push(format!(
            "{:.2} [{:.2}, {:.2}]",
            headline.mean, headline.ci_low, headline.ci_high
        ));
        row.push(format!("{:.2}", mean(Metric::CostPerHead)));
        row.push(format!("{:.1}", mean(Metric::CostTotal)));
        row.push(format!("{:.2}", 100.0 * mean(Metric::UnmetShare)));
        row.push(format!("{:.1}", mean(Metric::UncontractedAtGoLive)));
        row.push(format!("{:.2}", mean(Metric::UtilisationP95)));
        row.push(format!("{:.1}", 100.0 * mean(Metric::PrivateShare)));
        row.push(format!(
            "{:.2}",
            mean(Metric::FailuresCheckpoint) + mean(Metric::FailuresOperating)
        ));
        row.push(format!("{:.1}", 100.0 * mean(Metric::OverBudgetShare)));
        rows.push(row);
    }
    render(&rows)
}

/// Lays rows out in aligned columns: text left, numbers right.
fn render(rows: &[Vec<String>]) -> String {
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
                if c == 0 {
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
