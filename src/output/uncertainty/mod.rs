//! The outputs of `csu-sim uncertainty`: its tables (`tables`), its page (`page`), the
//! sentences both share with the console (`words`), and the list of its charts.
//!
//! Everything is ordered by the questions a reader asks, in turn: how sure the verdict is,
//! what would change it, and what moves the margin.

mod page;
mod tables;
mod words;

pub use page::{UncertaintyRunInfo, uncertainty_report};
pub use tables::uncertainty_tables;
pub use words::{switch_sentence, with_unit};

use std::fmt::Write;

use super::chart::uncertainty::UncertaintyChart;
use crate::experiment::uncertainty::{Output, UncertaintyResults};
use words::{
    TOP, confirmation_text, decision_name, how_sure_lines, output_name, switches, switches_in_range, voi_words,
};

/// Switching values beyond the inputs' ranges that the console lists, the nearest first.
const BEYOND_SHOWN: usize = 8;

/// Returns how far outside its input's range a switch's nearest crossing lies, in widths of
/// the range.
fn outside_by(results: &UncertaintyResults, switch: &crate::experiment::uncertainty::Switch) -> f64 {
    let (lo, hi) = results.inputs[switch.input].range;
    let width = (hi - lo).abs().max(f64::MIN_POSITIVE);
    [switch.below, switch.above]
        .iter()
        .filter_map(|side| side.crossing)
        .map(|c| ((lo - c.value).max(c.value - hi).max(0.0)) / width)
        .fold(f64::INFINITY, f64::min)
}

/// The charts of the analysis: (kind, file stem, title).
pub fn uncertainty_charts(results: &UncertaintyResults) -> Vec<(UncertaintyChart, String, String)> {
    let mid = results.units[results.units.len() / 2];
    let mut charts = vec![
        (
            UncertaintyChart::ProbabilityBest,
            "probability_best".to_string(),
            "Probability that each option is cheapest (every input ranged)".to_string(),
        ),
        (
            UncertaintyChart::Margins,
            "margin_distribution".to_string(),
            "The scenario's leader's lead over its best rival, over the parameter sets".to_string(),
        ),
        (
            UncertaintyChart::Scatter(mid),
            "psa_scatter".to_string(),
            format!("Net cost against unmet demand over the parameter sets, N = {mid}"),
        ),
    ];
    for v in results.verdicts.iter().filter(|v| v.runner_up.is_some()) {
        charts.push((
            UncertaintyChart::Tornado(v.units),
            format!("tornado_{}", v.units),
            format!("What moves {}'s lead over its best rival at N = {}", v.leader, v.units),
        ));
    }
    charts
}

/// Returns the console summary, in the page's order: how sure, what would change it, what
/// moves the margin.
pub fn uncertainty_summary(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "How sure is the verdict? Probability each option is cheapest over the parameter sets, with 95% intervals \
         (every probability holds under the ranges given in the scenario's [uncertain] table, listed in uncertainty.html):\n",
    );
    for line in how_sure_lines(results) {
        let _ = writeln!(out, "  {line}");
    }
    if let Some(text) = confirmation_text(results) {
        let _ = writeln!(out, "  {text}.");
    }
    out.push_str(
        "\nWhat would change it: switching values, one input at a time, the others at the scenario's values:\n",
    );
    let mut listed = 0;
    for s in results.switching.iter().filter(|s| switches_in_range(s)) {
        let _ = writeln!(out, "  - {}", switch_sentence(results, s));
        listed += 1;
    }
    // Beyond the ranges, the nearest first, a few: the rest are in switching.csv and on the page.
    let mut beyond: Vec<(f64, &crate::experiment::uncertainty::Switch)> = results
        .switching
        .iter()
        .filter(|s| switches(s) && !switches_in_range(s))
        .map(|s| (outside_by(results, s), s))
        .collect();
    beyond.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, s) in beyond.iter().take(BEYOND_SHOWN) {
        let _ = writeln!(out, "  - {}", switch_sentence(results, s));
        listed += 1;
    }
    if beyond.len() > BEYOND_SHOWN {
        let _ = writeln!(
            out,
            "  ... and {} more beyond the inputs' ranges, farther out (switching.csv, uncertainty.html)",
            beyond.len() - BEYOND_SHOWN
        );
    }
    if listed == 0 {
        out.push_str("  none: no single input changes the cheapest option at any value tried\n");
    }
    for v in &results.value_of_information {
        let _ = writeln!(
            out,
            "  Value of information, {}: {}",
            decision_name(v.units),
            voi_words(results, v)
        );
    }
    out.push_str(
        "\nWhat moves the size of the lead (Sobol' total index of the margin; it says what moves the margin, not what changes the winner):\n",
    );
    for (output, indices) in results.sobol.iter().filter(|(o, _)| matches!(o, Output::Margin(_))) {
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_by(|&x, &y| indices[y].total.value.total_cmp(&indices[x].total.value));
        let top: Vec<String> = order
            .iter()
            .take(TOP)
            .map(|&i| format!("{} {:.2}", results.inputs[i].path, indices[i].total.value))
            .collect();
        let _ = writeln!(out, "  {}: {}", output_name(*output), top.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::analysis;

    /// risk.p_weak ranges over 0.1 to 0.3 (a width of 0.2): a crossing at 0.5 lies 0.2 above
    /// it, one width; with another at 0.05, 0.05 below it, the nearer is a quarter width out.
    #[test]
    fn a_switch_beyond_the_range_is_measured_in_widths_of_the_range() {
        let mut results = analysis();
        let mut switch = results.switching.remove(0);
        let mut crossing = switch.above.crossing.unwrap();
        (crossing.value, crossing.in_range) = (0.5, false);
        switch.above.crossing = Some(crossing);
        assert!((outside_by(&results, &switch) - 1.0).abs() < 1e-12);
        crossing.value = 0.05;
        switch.below.crossing = Some(crossing);
        assert!((outside_by(&results, &switch) - 0.25).abs() < 1e-12);
    }
}
