//! The sentences of the uncertainty analysis, written once for the console and the page: how
//! sure the verdict is, where it would switch, and what information is worth. Every number
//! carries the digits its interval supports, with its unit.

use crate::experiment::uncertainty::switching::{Crossing, SideSearch};
use crate::experiment::uncertainty::{
    Output, Psa, Share, Switch, UncertaintyResults, ValueOfInformation, gap_half_width, gap_to_best_rival,
};
use crate::model::OptionKind;
use crate::stats::supported_decimals;

/// How many inputs a ranking shows.
pub const TOP: usize = 5;

/// How a key's values are shown: the scale they are divided by and the words around them.
fn display(value: f64, unit: &str) -> (f64, &'static str, &'static str) {
    match unit {
        "GBP/year" if value.abs() >= 1e5 => (1e6, "GBP ", " m a year"),
        "GBP/year" => (1.0, "GBP ", " a year"),
        "GBP/head/year" => (1.0, "GBP ", " a head a year"),
        "GBP" if value.abs() >= 1e5 => (1e6, "GBP ", " m"),
        "GBP" => (1.0, "GBP ", ""),
        "people" if value.abs() >= 1e5 => (1e6, "", " m people"),
        "people" => (1.0, "", " people"),
        "km" => (1.0, "", " km"),
        "months" => (1.0, "", " months"),
        _ => (1.0, "", ""),
    }
}

/// Formats a number to three significant figures, plainly (`1.05`, `0.115`, `254`, `0`).
pub fn three_figures(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (2 - x.abs().log10().floor() as i32).clamp(0, 9) as usize;
    let text = format!("{x:.decimals$}");
    // Trailing zeros after a decimal point add no information.
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Formats an input's value with its unit, to three significant figures: `GBP 10 m a year`,
/// `0.115`, `1.5 m people`.
pub fn with_unit(value: f64, unit: &str) -> String {
    let (scale, before, after) = display(value, unit);
    let words = display_unit(unit, after);
    format!("{before}{}{words}", three_figures(value / scale))
}

/// The unit words after a number, for units shown as they are named.
fn display_unit(unit: &str, after: &'static str) -> String {
    if !after.is_empty() || unit.starts_with("GBP") || unit == "people" {
        return after.to_string();
    }
    match unit {
        "share"
        | "probability"
        | "probability/year"
        | "share of spend"
        | "factor"
        | "CV"
        | "share of F_f"
        | "share of private price"
        | "" => String::new(),
        other => format!(" {other}"),
    }
}

/// Formats a range of an input's values: `GBP 5 m to 60 m a year`, `0 to 2`.
pub fn range_text(low: f64, high: f64, unit: &str) -> String {
    let (scale, before, after) = display(low.abs().max(high.abs()), unit);
    let words = display_unit(unit, after);
    format!(
        "{before}{} to {}{words}",
        three_figures(low / scale),
        three_figures(high / scale)
    )
}

/// Returns a value known within `interval` and the interval, with the digits the interval
/// supports: (`about GBP 3.9 a head a year`, `3.6 to 4.2`).
pub fn approx_parts(value: f64, interval: (f64, f64), unit: &str) -> (String, String) {
    let (scale, before, after) = display(value, unit);
    let words = display_unit(unit, after);
    let half = (interval.1 - interval.0).abs() / 2.0 / scale;
    let decimals = supported_decimals(half, 3, 6);
    // A half-width of 1 or more rounds to its first significant place: 1690 +- 700 is 1700.
    let place = (half >= 1.0).then(|| 10f64.powf(half.log10().floor()));
    let show = |x: f64| {
        let x = x / scale;
        let x = place.map_or(x, |p| (x / p).round() * p);
        crate::experiment::explain::fixed(x, decimals)
    };
    (
        format!("about {before}{}{words}", show(value)),
        format!("{} to {}", show(interval.0), show(interval.1)),
    )
}

/// Formats a share as a percentage with its 95% interval: `88% (85% to 91%)`.
pub fn share_text(share: &Share) -> String {
    let (low, high) = share.interval();
    format!(
        "{:.0}% ({:.0}% to {:.0}%)",
        100.0 * share.value(),
        100.0 * low,
        100.0 * high
    )
}

/// One side's clause of a switching sentence, or `None` when the leader never lost there.
fn side_clause(results: &UncertaintyResults, switch: &Switch, upward: bool) -> Option<String> {
    let side: &SideSearch = if upward { &switch.above } else { &switch.below };
    let c: Crossing = side.crossing?;
    let input = &results.inputs[switch.input];
    let verb = if upward { "exceeds" } else { "falls below" };
    let (value, interval) = approx_parts(c.value, c.interval, input.unit);
    let mut clause = format!("{verb} {value} ({interval}; then {} is)", c.rival);
    if !c.in_range {
        clause.push_str(&format!(
            ", beyond this analysis's range of {}",
            range_text(input.range.0, input.range.1, input.unit)
        ));
    }
    if !c.confirmed {
        clause.push_str(if level_at_scenario(results, switch.units) {
            ", not settled: at the scenario's values the leader's lead is itself within Monte Carlo noise"
        } else {
            ", not settled: at four times the replications the leader was not surely ahead on its side, or the rival on the other"
        });
    }
    Some(clause)
}

/// Returns whether the scenario's leader at N is level with its best rival at the scenario's
/// values: its lead lies within its 95% interval at the one-at-a-time replications.
pub fn level_at_scenario(results: &UncertaintyResults, units: usize) -> bool {
    let Some(v) = results.verdicts.iter().find(|v| v.units == units) else {
        return false;
    };
    let (gap, rival) = gap_to_best_rival(&results.cells, &results.defaults, v.leader, units);
    let half = gap_half_width(&results.cells, &results.defaults, v.leader, rival, units);
    let clear = gap + half < 0.0;
    !clear
}

/// Returns the sentence a briefing can quote for one switching value.
pub fn switch_sentence(results: &UncertaintyResults, switch: &Switch) -> String {
    let input = &results.inputs[switch.input];
    let lead = format!("{} stays cheapest at N = {}", switch.leader, switch.units);
    match (side_clause(results, switch, false), side_clause(results, switch, true)) {
        (None, None) => format!(
            "{lead} at every value of {} tried from {} (this analysis's range: {})",
            input.path,
            range_text(switch.below.searched.0, switch.above.searched.1, input.unit),
            range_text(input.range.0, input.range.1, input.unit)
        ),
        (Some(below), None) => format!("{lead} unless {} {below}", input.path),
        (None, Some(above)) => format!("{lead} unless {} {above}", input.path),
        (Some(below), Some(above)) => format!("{lead} unless {} {below} or {above}", input.path),
    }
}

/// Returns whether a switch has a crossing within the analysis's range.
pub fn switches_in_range(switch: &Switch) -> bool {
    [switch.below, switch.above]
        .iter()
        .any(|s| s.crossing.is_some_and(|c| c.in_range))
}

/// Returns whether a switch has a crossing on either side.
pub fn switches(switch: &Switch) -> bool {
    switch.below.crossing.is_some() || switch.above.crossing.is_some()
}

/// Returns a name for an output: `national at N = 23` or `margin at N = 23`.
pub fn output_name(output: Output) -> String {
    match output {
        Output::Headline(option, units) => format!("{option} at N = {units}"),
        Output::Margin(units) => format!("margin at N = {units}"),
    }
}

/// The name of a decision: `option at N = 23`, or `option and N`.
pub fn decision_name(units: Option<usize>) -> String {
    units.map_or("option and N".to_string(), |n| format!("option at N = {n}"))
}

/// The probability of each option at one N in words, leader first: `national 88% (85% to
/// 91%), hubs 12% (9% to 15%)`; options never cheapest are left out.
pub fn shares_text(shares: &[(OptionKind, Share)]) -> String {
    let mut sorted: Vec<&(OptionKind, Share)> = shares.iter().filter(|(_, s)| s.count > 0).collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.1.count));
    sorted
        .iter()
        .map(|(o, s)| format!("{o} {}", share_text(s)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the lines that say how sure the verdict is, per N: the probability each option is
/// cheapest with every input ranged, then with the value inputs held, and what confirmation
/// did.
pub fn how_sure_lines(results: &UncertaintyResults) -> Vec<String> {
    let held = results
        .psa_held
        .as_ref()
        .map(|psa: &Psa| psa.probability_best(&results.cells, &results.units));
    results
        .probability_best()
        .into_iter()
        .enumerate()
        .map(|(k, (n, shares))| {
            let leader = results
                .verdicts
                .iter()
                .find(|v| v.units == n)
                .map_or("-".to_string(), |v| {
                    if level_at_scenario(results, n) {
                        format!(
                            "{}, but level with {} within Monte Carlo noise",
                            v.leader,
                            v.runner_up.map_or("-".to_string(), |r| r.to_string())
                        )
                    } else {
                        v.leader.to_string()
                    }
                });
            let mut line = format!(
                "N = {n} (cheapest at the scenario's values: {leader}): {}",
                shares_text(&shares)
            );
            if let Some((_, held)) = held.as_ref().and_then(|h| h.get(k)) {
                line.push_str(&format!(
                    "; with the value inputs held at the scenario's values: {}",
                    shares_text(held)
                ));
            }
            line
        })
        .collect()
}

/// Returns a sentence on what confirmation did, or `None` when nothing was run again.
pub fn confirmation_text(results: &UncertaintyResults) -> Option<String> {
    let plan = results.plan;
    if plan.confirm_replications == 0 {
        return Some(format!(
            "No set was run again (--confirm-replications 0): each set's means carry the Monte Carlo noise of {} replications, counted here as if it were uncertainty",
            plan.replications
        ));
    }
    let parts: Vec<String> = results
        .psa
        .confirmations
        .iter()
        .map(|c| {
            let mut part = format!(
                "at N = {}, {} of {} sets were run again and {} changed their cheapest option",
                c.units,
                c.rerun,
                results.psa.sets.len(),
                c.changed
            );
            if c.unsettled > 0 {
                let narrow = if c.half_width <= c.spread / 10.0 {
                    "narrower than a tenth of the lead's spread over the sets"
                } else {
                    "wider than a tenth of the lead's spread over the sets: more --confirm-replications would settle more"
                };
                part.push_str(&format!(
                    "; {} stayed within noise at {} replications (near-ties, +-{} GBP a head, median: {narrow})",
                    c.unsettled,
                    plan.confirm_replications,
                    three_figures(c.half_width)
                ));
            }
            part
        })
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "Monte Carlo noise is not uncertainty: every set where the cheapest option was not the scenario's leader, or where the leader's lead was within its own 95% interval at {} replications, was run again (at 100, 300, then {} replications, until its lead was clear of its interval) before these probabilities were counted: {}",
        plan.replications,
        plan.confirm_replications,
        parts.join("; ")
    ))
}

/// Share of the EVPI below which an input's EVPPI is not named as worth researching.
pub const EVPPI_SHARE: f64 = 0.05;

/// Returns the inputs whose EVPPI is at least [`EVPPI_SHARE`] of the EVPI, largest first, at
/// most [`TOP`].
pub fn top_evppi(v: &ValueOfInformation) -> Vec<usize> {
    let mut order: Vec<usize> = (0..v.evppi.len())
        .filter(|&i| v.evppi[i] > 0.0 && v.evppi[i] >= EVPPI_SHARE * v.evpi)
        .collect();
    order.sort_by(|&x, &y| v.evppi[y].total_cmp(&v.evppi[x]));
    order.truncate(TOP);
    order
}

/// Formats a value per head and for England: `GBP 0.0027 a head a year (GBP 0.15 m a year
/// for England)`.
pub fn per_head_and_england(per_head: f64, population: f64) -> String {
    format!(
        "GBP {} a head a year (GBP {} m a year for England)",
        three_figures(per_head),
        three_figures(per_head * population / 1e6)
    )
}

/// Describes one decision's value of information in words.
pub fn voi_words(results: &UncertaintyResults, v: &ValueOfInformation) -> String {
    if v.evpi == 0.0 {
        return "EVPI 0: the same choice is best in every parameter set, so no input is worth researching for it"
            .to_string();
    }
    let top = top_evppi(v);
    let inputs = if top.is_empty() {
        "no single input is worth as much as 5% of it: the choice turns on inputs together".to_string()
    } else {
        let list: Vec<String> = top
            .iter()
            .map(|&i| {
                format!(
                    "{} {}",
                    results.inputs[i].path,
                    per_head_and_england(v.evppi[i], results.population)
                )
            })
            .collect();
        format!("most worth researching: {}", list.join(", "))
    };
    format!("EVPI {}; {inputs}", per_head_and_england(v.evpi, results.population))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs and decisions are named as their doc comments give them.
    #[test]
    fn outputs_and_decisions_have_their_names() {
        use crate::model::OptionKind::National;
        assert_eq!(output_name(Output::Headline(National, 23)), "national at N = 23");
        assert_eq!(output_name(Output::Margin(10)), "margin at N = 10");
        assert_eq!(decision_name(Some(23)), "option at N = 23");
        assert_eq!(decision_name(None), "option and N");
    }

    #[test]
    fn numbers_read_as_a_person_writes_them() {
        assert_eq!(three_figures(1.0529822128134703), "1.05");
        assert_eq!(three_figures(0.11538461538461539), "0.115");
        assert_eq!(three_figures(254.3), "254");
        assert_eq!(three_figures(2.0), "2");
        assert_eq!(with_unit(10e6, "GBP/year"), "GBP 10 m a year");
        assert_eq!(with_unit(2147017.7871865295, "GBP/year"), "GBP 2.15 m a year");
        assert_eq!(with_unit(0.11538461538461539, "probability"), "0.115");
        assert_eq!(with_unit(5e6, "people"), "5 m people");
        // Below GBP 100,000 (or 100,000 people) a figure reads in units, not millions.
        assert_eq!(with_unit(50_000.0, "GBP/year"), "GBP 50000 a year");
        assert_eq!(with_unit(2.5e6, "GBP"), "GBP 2.5 m");
        assert_eq!(with_unit(800.0, "GBP"), "GBP 800");
        assert_eq!(with_unit(4_000.0, "people"), "4000 people");
        assert_eq!(with_unit(12.0, "months"), "12 months");
        // GBP 0.4 a head for 50 million people is GBP 20 m a year.
        assert_eq!(
            per_head_and_england(0.4, 50e6),
            "GBP 0.4 a head a year (GBP 20 m a year for England)"
        );
        assert_eq!(
            per_head_and_england(0.0027, 55.6e6),
            "GBP 0.0027 a head a year (GBP 0.15 m a year for England)"
        );
        assert_eq!(range_text(0.0, 2.0, "GBP/head/year"), "GBP 0 to 2 a head a year");
        assert_eq!(range_text(5e6, 60e6, "GBP/year"), "GBP 5 to 60 m a year");
    }

    /// A switching value of 3.88 known to 3.6 to 4.2 (half-width 0.3) carries one decimal;
    /// one of 90.4 m known to 85 m to 95 m carries none, in millions.
    fn approx(value: f64, interval: (f64, f64), unit: &str) -> String {
        let (value, interval) = approx_parts(value, interval, unit);
        format!("{value} ({interval})")
    }

    #[test]
    fn a_switching_value_carries_the_digits_its_interval_supports() {
        assert_eq!(
            approx(3.88, (3.6, 4.2), "GBP/head/year"),
            "about GBP 3.9 a head a year (3.6 to 4.2)"
        );
        assert_eq!(
            approx(90.4e6, (85e6, 95e6), "GBP/year"),
            "about GBP 90 m a year (85 to 95)"
        );
        // A half-width of 697 rounds to hundreds.
        assert_eq!(approx(1690.0, (344.0, 1738.0), "GBP"), "about GBP 1700 (300 to 1700)");
    }

    #[test]
    fn shares_carry_their_wilson_interval() {
        let s = Share { count: 88, sets: 100 };
        assert_eq!(share_text(&s), "88% (80% to 93%)");
    }

    /// One set at N = 10 still within noise at 300 replications: with a median half-width of
    /// 0.2 against a lead spread of 1.4 over the sets, a tenth of which is 0.14, the sentence
    /// says wider (more replications would settle it); with 0.1, narrower.
    #[test]
    fn sets_left_within_noise_are_weighed_against_a_tenth_of_the_spread() {
        let mut results = crate::output::fixture::analysis();
        for (half_width, verdict) in [(0.2, "wider"), (0.1, "narrower")] {
            let c = &mut results.psa.confirmations[0];
            (c.unsettled, c.half_width, c.spread) = (1, half_width, 1.4);
            let text = confirmation_text(&results).unwrap();
            let want = format!(
                "at N = 10, 1 of 2 sets were run again and 0 changed their cheapest option; 1 stayed within noise at 300 \
                 replications (near-ties, +-{half_width} GBP a head, median: {verdict} than a tenth of the lead's spread"
            );
            assert!(text.contains(&want), "{text}");
        }
    }
}
