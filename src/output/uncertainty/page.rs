//! `uncertainty.html`: the analysis on one page, in the order a reader asks: how sure the
//! verdict is, what would change it, what moves the margin; then the decisions beyond
//! "cheapest at each N", the inputs and their ranges, and how it was computed.

use std::fmt::Write;

use super::words::{
    TOP, confirmation_text, decision_name, output_name, per_head_and_england, range_text, share_text, switch_sentence,
    switches, switches_in_range, top_evppi, voi_words, with_unit,
};
use crate::experiment::uncertainty::{MORRIS_LEVELS, Output, Share, UncertaintyResults};
use crate::model::OptionKind;
use crate::output::report::escape;

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\
th{background:#f2f2f2}td{text-align:left}.drivers{background:#eef5fb;border-left:6px solid #0072B2;padding:0.6em 1.2em;margin:1em 0}\
.note{background:#fdf3e7;border-left:6px solid #D55E00;padding:0.4em 1em}\
figure{margin:2em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}";

/// What the report says about the run itself.
#[derive(Clone, Debug, PartialEq)]
pub struct UncertaintyRunInfo {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Wall time \[s\].
    pub elapsed_seconds: f64,
    /// Parameter sets evaluated.
    pub sets: u64,
}

/// Returns the report of the analysis.
pub fn uncertainty_report(
    results: &UncertaintyResults,
    charts: &[(String, String, String)],
    run: &UncertaintyRunInfo,
) -> String {
    let title = escape(&run.scenario);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>csu-sim uncertainty: {title}</title><style>{STYLE}</style></head><body>\
         <h1>csu-sim uncertainty: {title}</h1><p>{} uncertain inputs; {} parameter sets, each run for every option and N with the same replication streams.</p>\
         <p class=\"note\">Every probability and value on this page holds <b>under the ranges given</b> to the inputs (listed in \
         <a href=\"#ranges\">The inputs and their ranges</a>): other ranges give other answers.</p>",
        results.inputs.len(),
        run.sets
    );
    let figure = |stem: &str| {
        charts
            .iter()
            .find(|(s, _, _)| s == stem)
            .map(|(stem, title, svg)| format!("<figure id=\"{stem}\" aria-label=\"{}\">{svg}</figure>", escape(title)))
            .unwrap_or_default()
    };
    out.push_str(&how_sure(results));
    out.push_str(&figure("probability_best"));
    out.push_str(&figure("margin_distribution"));
    out.push_str(&what_the_values_add(results));
    out.push_str(&what_would_change_it(results));
    out.push_str(&what_moves_the_margin(results));
    for v in results.verdicts.iter().filter(|v| v.runner_up.is_some()) {
        out.push_str(&figure(&format!("tornado_{}", v.units)));
    }
    out.push_str(&tornado_rivals(results));
    out.push_str(&morris_html(results));
    out.push_str(&decisions_html(results));
    out.push_str(&figure("psa_scatter"));
    out.push_str(&ranges_html(results));
    out.push_str(&method_html(results, run));
    out.push_str("</body></html>\n");
    out
}

/// The options of the analysis, in order.
fn options(results: &UncertaintyResults) -> Vec<OptionKind> {
    let mut out: Vec<OptionKind> = Vec::new();
    for &(option, _) in &results.cells {
        if !out.contains(&option) {
            out.push(option);
        }
    }
    out
}

/// Section 1: the probability each option is cheapest, ranged and with the values held.
fn how_sure(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "<div class=\"drivers\"><h2>1. How sure is the verdict?</h2><p>The share of parameter sets, drawn from the inputs' \
         ranges, in which each option has the lowest mean net cost per head, with its 95% interval (the uncertainty of \
         estimating a share from this many sets).</p><table><tr><th>N</th><th>cheapest at the scenario's values</th>\
         <th>value inputs</th>",
    );
    let options = options(results);
    for o in &options {
        let _ = write!(out, "<th>{o}</th>");
    }
    out.push_str("</tr>");
    let held = results
        .psa_held
        .as_ref()
        .map(|p| p.probability_best(&results.cells, &results.units));
    for (k, (n, shares)) in results.probability_best().into_iter().enumerate() {
        let leader = results
            .verdicts
            .iter()
            .find(|v| v.units == n)
            .map_or("-".to_string(), |v| v.leader.to_string());
        let mut rows: Vec<(&str, Vec<(OptionKind, Share)>)> = vec![("ranged", shares)];
        if let Some((_, h)) = held.as_ref().and_then(|h| h.get(k)) {
            rows.push(("held at the scenario's values", h.clone()));
        }
        for (label, shares) in rows {
            let _ = write!(out, "<tr><td>{n}</td><td>{leader}</td><td>{label}</td>");
            for o in &options {
                let text = shares
                    .iter()
                    .find(|(x, _)| x == o)
                    .map_or("-".to_string(), |(_, s)| share_text(s));
                let _ = write!(out, "<td>{text}</td>");
            }
            out.push_str("</tr>");
        }
    }
    out.push_str("</table>");
    if results.psa_held.is_some() {
        out.push_str(
            "<p>The value inputs (<code>value.*</code>: negotiating leverage, the value of choice, the penalty on unmet \
             work, spend per head) say what the analyst thinks scale buys, not how the model runs. The second row of each \
             N holds them at the scenario's values, with every other input ranged as in the first, so the difference \
             between the rows is what ranging the values adds.</p>",
        );
    }
    if let Some(text) = confirmation_text(results) {
        let _ = write!(out, "<p>{}.</p>", escape(&text));
    }
    out.push_str("</div>");
    out
}

/// Why the PSA's mean headlines differ from the scenario's: a table of each cell's headline at
/// the scenario's values and its mean over the sets, ranged and held.
fn what_the_values_add(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "<h3>The headline at the scenario's values and over the parameter sets</h3><p>Mean net cost per head, GBP a \
         head a year. A range that is not centred on the scenario's value moves the mean over the sets away from the \
         scenario's figure: the value inputs, whose scenario values are 0 at the bottom of their ranges, do so most.</p>\
         <table><tr><th>option</th><th>N</th><th>scenario's values</th><th>over the sets, every input ranged</th>",
    );
    if results.psa_held.is_some() {
        out.push_str("<th>over the sets, value inputs held</th>");
    }
    out.push_str("</tr>");
    for (c, &(option, n)) in results.cells.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{option}</td><td>{n}</td><td>{:.2}</td><td>{:.2}</td>",
            results.defaults[c].headline,
            results.psa.mean(c)
        );
        if let Some(held) = &results.psa_held {
            let _ = write!(out, "<td>{:.2}</td>", held.mean(c));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

/// Section 2: switching values and the value of information.
fn what_would_change_it(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "<h2>2. What would change it?</h2><h3>Switching values</h3><p>One input at a time, the others at the scenario's \
         values: the value at which the cheapest option changes, searched on both sides of the scenario's value, within \
         the input's range and beyond it, with the interval the Monte Carlo noise of each run leaves it (from the last \
         value surely on the leader's side to the first surely on the rival's).</p><ul>",
    );
    let mut listed = 0;
    for s in results.switching.iter().filter(|s| switches_in_range(s)) {
        let _ = write!(out, "<li>{}.</li>", escape(&switch_sentence(results, s)));
        listed += 1;
    }
    if listed == 0 {
        out.push_str("<li>No single input changes the cheapest option within its range.</li>");
    }
    out.push_str("</ul>");
    let outside: Vec<String> = results
        .switching
        .iter()
        .filter(|s| switches(s) && !switches_in_range(s))
        .map(|s| format!("<li>{}.</li>", escape(&switch_sentence(results, s))))
        .collect();
    if !outside.is_empty() {
        let _ = write!(
            out,
            "<p>Beyond the inputs' ranges (values this analysis does not expect, which a reader may):</p><ul>{}</ul>",
            outside.concat()
        );
    }
    out.push_str(
        "<h3>What information is worth</h3><p>The expected value of perfect information (EVPI): what a decision-maker \
         should pay, at most, to learn every input exactly before choosing; the EVPPI, to learn one input. Computed \
         from the confirmed sets.</p><table><tr><th>decision</th><th>EVPI</th><th>rank</th><th>input</th><th>EVPPI</th></tr>",
    );
    for v in &results.value_of_information {
        let order = top_evppi(v);
        if order.is_empty() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td colspan=\"4\">{}</td></tr>",
                decision_name(v.units),
                escape(&voi_words(results, v))
            );
        }
        for (rank, &i) in order.iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if rank == 0 {
                    decision_name(v.units)
                } else {
                    String::new()
                },
                if rank == 0 {
                    per_head_and_england(v.evpi, results.population)
                } else {
                    String::new()
                },
                rank + 1,
                results.inputs[i].path,
                per_head_and_england(v.evppi[i], results.population)
            );
        }
    }
    out.push_str("</table>");
    out
}

/// Section 3: Sobol' indices of the margins.
fn what_moves_the_margin(results: &UncertaintyResults) -> String {
    let mut out = format!(
        "<h2>3. What moves the size of the lead (not what changes the winner)</h2><p>Sobol' indices measure how much of \
         the variance of the leader's margin over the runner-up each input accounts for: what moves the <i>size</i> of \
         the lead. An input can move the lead a great deal without ever overturning it: what changes the winner is in \
         sections 1 and 2. The total index counts the input with its interactions, the first-order index alone. A \
         first-order index is at most the total; one estimated above it, or below 0, is Monte Carlo noise.</p>\
         <h3>The {TOP} inputs that move each margin most</h3><table><tr><th>N</th><th>rank</th><th>input</th>\
         <th>total index [95% CI]</th><th>first-order index [95% CI]</th></tr>"
    );
    for (output, indices) in results.sobol.iter().filter(|(o, _)| matches!(o, Output::Margin(_))) {
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_by(|&x, &y| indices[y].total.value.total_cmp(&indices[x].total.value));
        for (rank, &i) in order.iter().take(TOP).enumerate() {
            let ix = indices[i];
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2} [{:.2}, {:.2}]</td><td>{:.2} [{:.2}, {:.2}]</td></tr>",
                output_name(*output),
                rank + 1,
                results.inputs[i].path,
                ix.total.value,
                ix.total.low,
                ix.total.high,
                ix.first.value,
                ix.first.low,
                ix.first.high
            );
        }
    }
    out.push_str(
        "</table><h3>Tornado</h3><p>Each input alone at its 5th and 95th percentiles, the others at the scenario's \
         values: the bars show the scenario's leader's lead over its <i>best rival at that point</i>, which need not be \
         the runner-up at the scenario's values (below 0, the leader has lost its place).</p>",
    );
    out
}

/// Where the tornado's best rival is not the runner-up at the scenario's values.
fn tornado_rivals(results: &UncertaintyResults) -> String {
    let mut items = Vec::new();
    for bar in &results.tornado {
        let Some(v) = results.verdicts.iter().find(|v| v.units == bar.units) else {
            continue;
        };
        let Some(runner_up) = v.runner_up else {
            continue;
        };
        let input = &results.inputs[bar.input];
        for (end, value, rival, lead) in [
            ("5th", input.tornado.0, bar.rival_low, bar.at_low),
            ("95th", input.tornado.1, bar.rival_high, bar.at_high),
        ] {
            if rival != runner_up {
                items.push(format!(
                    "<li>N = {}: with {} at its {end} percentile ({}), the best rival is {rival}, not {runner_up}; {}'s lead over it is {:.2}.</li>",
                    bar.units,
                    input.path,
                    escape(&with_unit(value, input.unit)),
                    v.leader,
                    lead
                ));
            }
        }
    }
    if items.is_empty() {
        return "<p>At every bar's ends the best rival is the runner-up at the scenario's values.</p>".to_string();
    }
    format!("<p>Where the best rival changes:</p><ul>{}</ul>", items.concat())
}

fn morris_html(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "<h3>Screening: Morris elementary effects of the margins</h3><table><tr><th>output</th><th>input</th><th>mu*</th><th>sigma</th></tr>",
    );
    for (output, effects) in results.morris.iter().filter(|(o, _)| matches!(o, Output::Margin(_))) {
        let mut order: Vec<usize> = (0..effects.len()).collect();
        order.sort_by(|&x, &y| effects[y].mu_star.total_cmp(&effects[x].mu_star));
        for &i in order.iter().take(10) {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td></tr>",
                output_name(*output),
                results.inputs[i].path,
                effects[i].mu_star,
                effects[i].sigma
            );
        }
    }
    out.push_str(
        "</table><p>An elementary effect is the change in the margin (GBP a head) when the input moves by half its \
         probability range, divided by that half: roughly the change across the input's whole distribution. mu* is the \
         mean absolute effect; sigma, how much the effect depends on the other inputs. Every output's indices and \
         effects are in sobol.csv and morris.csv.</p>",
    );
    out
}

fn decisions_html(results: &UncertaintyResults) -> String {
    let mut out = String::from("<h2>Decisions beyond \"cheapest at each N\"</h2>");
    if let Some(best) = results.best_overall() {
        let _ = write!(
            out,
            "<p>Cheapest option and N overall: <b>{} at N = {}</b>, GBP {:.2} a head a year on average over the parameter sets (95% of sets between {:.2} and {:.2}); cheapest of all cells in {:.0}% of sets.</p>",
            best.option,
            best.units,
            best.mean,
            best.interval.0,
            best.interval.1,
            100.0 * best.probability
        );
    }
    out.push_str("<table><tr><th>option</th><th>its cheapest N</th><th>mean net cost/head</th><th>95% of sets</th><th>that N cheapest in</th></tr>");
    for b in &results.best_units {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{:.2}</td><td>{:.2} to {:.2}</td><td>{:.0}% of sets</td></tr>",
            b.option,
            b.units,
            b.mean,
            b.interval.0,
            b.interval.1,
            100.0 * b.probability
        );
    }
    out.push_str("</table>");
    if let Some((rule, answers)) = &results.rule {
        let _ = write!(
            out,
            "<p>The cheapest option whose unmet share stays at or below {}% in at least {}% of parameter sets:</p><ul>",
            crate::scenario::keys::shown(100.0 * rule.max_unmet_share),
            crate::scenario::keys::shown(100.0 * rule.confidence)
        );
        for a in answers {
            let _ = write!(
                out,
                "<li>N = {}: {}</li>",
                a.units,
                a.choice
                    .map_or("no option meets the rule".to_string(), |o| o.to_string())
            );
        }
        out.push_str("</ul>");
    }
    out
}

/// The inputs and their ranges, readable, with their units.
fn ranges_html(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "<h2 id=\"ranges\">The inputs and their ranges</h2><p>Every probability above holds under these ranges. The \
         range is the 0.1st to 99.9th percentile, which the switching values search first.</p><table><tr><th>input</th>\
         <th>scenario's value</th><th>distribution</th><th>range</th><th>5th to 95th percentile</th><th>value input</th></tr>",
    );
    for input in &results.inputs {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            input.path,
            escape(&with_unit(input.default, input.unit)),
            escape(&input.distribution),
            escape(&range_text(input.range.0, input.range.1, input.unit)),
            escape(&range_text(input.tornado.0, input.tornado.1, input.unit)),
            if input.is_value { "yes" } else { "" }
        );
    }
    out.push_str("</table>");
    out
}

fn method_html(results: &UncertaintyResults, run: &UncertaintyRunInfo) -> String {
    let plan = results.plan;
    let mut out = String::from("<h2>How this was computed</h2><ul>");
    let _ = write!(
        out,
        "<li>Probabilistic sensitivity analysis: two Latin hypercubes of {} parameter sets each (A and B), {} replications per set on common random numbers; the same sets again with the value inputs held at the scenario's values.</li>\
         <li>Confirmation: every PSA set where the cheapest option was not the scenario's leader, or the leader's lead lay within its 95% Monte Carlo interval (Student t on the paired per-replication differences), was run again at that N with {} replications; the probabilities and the value of information use those means. Probabilities carry Wilson's 95% score interval for a share of {} sets.</li>\
         <li>Sobol' indices from the Saltelli design (A, B and one matrix per input, {} sets): first order by Saltelli et al. (2010), centred on the mean of all outputs, total by Jansen (1999), 95% intervals from {} bootstrap resamples. design.csv lists every set with its role, so the indices can be recomputed.</li>\
         <li>Morris: {} trajectories on a {}-level grid.</li>\
         <li>Tornado and switching values: one input at a time, the others at the scenario's values, {} replications per run; a switching value's search probes outward from the scenario's value through the range and beyond it, bisects the bracket 12 times (on the logarithm of the value when it spans a factor of 10 or more), and runs the bracket's ends again at four times the replications.</li>\
         <li>EVPPI: the nonparametric regression method of Strong, Oakley and Brennan (2014), one input at a time, with a local linear smoother on the input's ranks (bandwidth 0.1).</li>\
         <li>Seed {}; {} threads; {:.1} s.</li></ul>",
        plan.samples,
        plan.replications,
        plan.confirm_replications,
        2 * plan.samples,
        plan.samples * (results.inputs.len() + 2),
        plan.bootstrap,
        plan.trajectories,
        MORRIS_LEVELS,
        plan.oat_replications,
        run.seed,
        run.threads,
        run.elapsed_seconds
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::analysis;

    /// The hand-made analysis at N = 10: national and hubs each cheapest in one of the two
    /// ranged sets, national in both with the values held. Wilson's 95% interval, z = 1.96:
    /// for 1 of 2, centre (0.5 + 0.9604) / 2.9208 = 0.5 and half-width 1.96 sqrt(0.125 +
    /// 0.2401) / 2.9208 = 0.405, so 9% to 91%; for 2 of 2, centre 0.671 and half-width 0.329,
    /// 34% to 100%; for 0 of 2, 0% to 66%.
    #[test]
    fn how_sure_gives_each_options_share_ranged_and_held() {
        let text = how_sure(&analysis());
        assert!(
            text.contains("<th>value inputs</th><th>national</th><th>hubs</th></tr>"),
            "{text}"
        );
        assert!(
            text.contains(
                "<tr><td>10</td><td>national</td><td>ranged</td><td>50% (9% to 91%)</td><td>50% (9% to 91%)</td></tr>\
                 <tr><td>10</td><td>national</td><td>held at the scenario's values</td><td>100% (34% to 100%)</td>\
                 <td>0% (0% to 66%)</td></tr>"
            ),
            "{text}"
        );
    }

    /// At the hand-made tornado's ends the best rival is hubs, the runner-up: nothing to
    /// list. With network the best rival at risk.p_weak's 95th percentile (0.29), that end
    /// is listed with national's lead there, -0.5.
    #[test]
    fn the_tornado_lists_only_the_ends_whose_best_rival_is_not_the_runner_up() {
        let mut results = analysis();
        assert_eq!(
            tornado_rivals(&results),
            "<p>At every bar's ends the best rival is the runner-up at the scenario's values.</p>"
        );
        results.tornado[0].rival_high = OptionKind::Network;
        assert_eq!(
            tornado_rivals(&results),
            "<p>Where the best rival changes:</p><ul><li>N = 10: with risk.p_weak at its 95th percentile (0.29), the best \
             rival is network, not hubs; national's lead over it is -0.50.</li></ul>"
        );
    }

    /// The hand-made analysis switches within risk.p_weak's range: the page lists it, and
    /// does not say that no input changes the cheapest option.
    #[test]
    fn a_switch_within_range_is_listed_and_not_denied() {
        let results = analysis();
        let text = what_would_change_it(&results);
        let sentence = escape(&switch_sentence(&results, &results.switching[0]));
        assert!(text.contains(&format!("<ul><li>{sentence}.</li></ul>")), "{text}");
        assert!(!text.contains("No single input changes"), "{text}");
    }
}
