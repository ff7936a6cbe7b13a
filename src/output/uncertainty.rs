//! The outputs of `csu-sim uncertainty`: tables (CSV), the report's "What drives the verdict",
//! and the sentences a briefing can quote.

use std::fmt::Write;

use super::chart::uncertainty::UncertaintyChart;
use super::report::escape;
use super::{OutputError, number};
use crate::experiment::uncertainty::{Output, Switch, UncertaintyResults, output_value};
use crate::model::OptionKind;
use crate::scenario::keys::shown;

/// How many inputs the report's rankings show.
pub const TOP: usize = 5;

/// Formats a key's value with its unit, for sentences: `GBP 48.0 m a year`, `0.045`.
pub fn with_unit(value: f64, unit: &str) -> String {
    let significant = |x: f64| {
        if x.abs() >= 100.0 {
            format!("{x:.0}")
        } else if x.abs() >= 10.0 {
            format!("{x:.1}")
        } else {
            format!("{x:.3}")
        }
    };
    match unit {
        "GBP/year" if value.abs() >= 1e6 => format!("GBP {} m a year", significant(value / 1e6)),
        "GBP/year" => format!("GBP {} a year", significant(value)),
        "GBP/head/year" => format!("GBP {} a head a year", significant(value)),
        "share"
        | "probability"
        | "probability/year"
        | "share of spend"
        | "factor"
        | "CV"
        | "share of F_f"
        | "share of private price" => significant(value),
        _ if value.abs() >= 1e6 => format!("{} {unit}", shown(value)),
        _ => format!("{} {unit}", significant(value)),
    }
}

/// Returns the sentence a briefing can quote for one switching value.
pub fn switch_sentence(results: &UncertaintyResults, switch: &Switch) -> String {
    let input = &results.inputs[switch.input];
    let value = |v: f64| with_unit(v, input.unit);
    let lead = format!("{} stays cheapest at N = {}", switch.leader, switch.units);
    match (switch.below, switch.above) {
        (None, None) => format!(
            "{lead} whatever {} is within its range ({} to {})",
            input.path,
            value(input.range.0),
            value(input.range.1)
        ),
        (Some((v, o)), None) => format!("{lead} unless {} falls below {} (then {o} is)", input.path, value(v)),
        (None, Some((v, o))) => format!("{lead} unless {} exceeds {} (then {o} is)", input.path, value(v)),
        (Some((low, below)), Some((high, above))) => format!(
            "{lead} unless {} falls below {} (then {below} is) or exceeds {} (then {above} is)",
            input.path,
            value(low),
            value(high)
        ),
    }
}

/// Returns a name for an output: `national at N = 23` or `margin at N = 23`.
pub fn output_name(output: Output) -> String {
    match output {
        Output::Headline(option, units) => format!("{option} at N = {units}"),
        Output::Margin(units) => format!("margin at N = {units}"),
    }
}

/// Builds a CSV from a header and rows.
fn csv_bytes(header: &[String], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, OutputError> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    writer.write_record(header)?;
    for row in rows {
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|e| OutputError::Csv(e.into_error().into()))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Returns every table of the analysis as (file name, bytes).
pub fn uncertainty_tables(results: &UncertaintyResults) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    Ok(vec![
        ("psa.csv", psa_csv(results)?),
        ("design.csv", design_csv(results)?),
        ("probability_best.csv", probability_csv(results)?),
        ("sobol.csv", sobol_csv(results)?),
        ("morris.csv", morris_csv(results)?),
        ("tornado.csv", tornado_csv(results)?),
        ("switching.csv", switching_csv(results)?),
        ("voi.csv", voi_csv(results)?),
        ("decisions.csv", decisions_csv(results)?),
    ])
}

/// The columns of one parameter set's outputs: each cell's headline and unmet share.
fn cell_columns(results: &UncertaintyResults) -> Vec<String> {
    results
        .cells
        .iter()
        .flat_map(|(o, n)| [format!("headline_{o}_{n}"), format!("unmet_{o}_{n}")])
        .collect()
}

/// `psa.csv`: one row per PSA parameter set (the rows of A, then B), with its input values
/// and every cell's mean headline and unmet share.
fn psa_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let mut header = strings(&["set", "role", "row"]);
    header.extend(results.inputs.iter().map(|i| i.path.to_string()));
    header.extend(cell_columns(results));
    let design = &results.design;
    let rows = [("A", &design.a, &design.f_a), ("B", &design.b, &design.f_b)]
        .into_iter()
        .flat_map(|(role, points, outputs)| {
            points
                .iter()
                .zip(outputs)
                .enumerate()
                .map(move |(row, (p, f))| (role, row, p, f))
        })
        .enumerate()
        .map(|(set, (role, row, point, means))| {
            let mut line = vec![set.to_string(), role.to_string(), row.to_string()];
            line.extend(point_values(results, point));
            line.extend(means.iter().flat_map(|m| [number(m.headline), number(m.unmet)]));
            line
        });
    csv_bytes(&header, rows)
}

/// The values of a design point's inputs (quantiles of their distributions).
fn point_values(results: &UncertaintyResults, point: &[f64]) -> Vec<String> {
    results.values_at(point).into_iter().map(number).collect()
}

/// `design.csv`: every parameter set of the Saltelli design with its role (`A`, `B`, or
/// `AB_<key>`: A's row with that key from B's row), its base row, the cumulative probability
/// and value of each input, and the outputs the indices are computed from, so that anyone can
/// recompute them.
fn design_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let mut header = strings(&["role", "row"]);
    header.extend(results.inputs.iter().map(|i| format!("p_{}", i.path)));
    header.extend(results.inputs.iter().map(|i| i.path.to_string()));
    let outputs: Vec<Output> = results.sobol.iter().map(|(o, _)| *o).collect();
    header.extend(outputs.iter().map(|&o| output_column(o)));
    let design = &results.design;
    let mut rows = Vec::new();
    let mut push = |role: String, row: usize, point: &[f64], means: &[crate::experiment::uncertainty::CellMeans]| {
        let mut line = vec![role, row.to_string()];
        line.extend(point.iter().map(|&p| number(p)));
        line.extend(point_values(results, point));
        line.extend(
            outputs
                .iter()
                .map(|&o| number(output_value(o, &results.cells, means, &results.verdicts))),
        );
        rows.push(line);
    };
    for (row, (p, f)) in design.a.iter().zip(&design.f_a).enumerate() {
        push("A".to_string(), row, p, f);
    }
    for (row, (p, f)) in design.b.iter().zip(&design.f_b).enumerate() {
        push("B".to_string(), row, p, f);
    }
    for (i, outputs_i) in design.f_ab.iter().enumerate() {
        for (row, f) in outputs_i.iter().enumerate() {
            let mut point = design.a[row].clone();
            point[i] = design.b[row][i];
            push(format!("AB_{}", results.inputs[i].path), row, &point, f);
        }
    }
    csv_bytes(&header, rows)
}

/// The column name of an output in `design.csv`.
fn output_column(output: Output) -> String {
    match output {
        Output::Headline(o, n) => format!("headline_{o}_{n}"),
        Output::Margin(n) => format!("margin_{n}"),
    }
}

fn probability_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&["units", "option", "probability_cheapest", "default_leader"]);
    let rows = results.probability_best().into_iter().flat_map(|(n, shares)| {
        let leader = results.verdicts.iter().find(|v| v.units == n).map(|v| v.leader);
        shares
            .into_iter()
            .map(move |(o, p)| vec![n.to_string(), o.to_string(), number(p), (Some(o) == leader).to_string()])
    });
    csv_bytes(&header, rows)
}

fn sobol_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "output",
        "input",
        "first_order",
        "first_low",
        "first_high",
        "total",
        "total_low",
        "total_high",
    ]);
    let rows = results.sobol.iter().flat_map(|(output, indices)| {
        indices.iter().zip(&results.inputs).map(move |(ix, input)| {
            vec![
                output_column(*output),
                input.path.to_string(),
                number(ix.first.value),
                number(ix.first.low),
                number(ix.first.high),
                number(ix.total.value),
                number(ix.total.low),
                number(ix.total.high),
            ]
        })
    });
    csv_bytes(&header, rows)
}

fn morris_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&["output", "input", "mu", "mu_star", "sigma"]);
    let rows = results.morris.iter().flat_map(|(output, effects)| {
        effects.iter().zip(&results.inputs).map(move |(e, input)| {
            vec![
                output_column(*output),
                input.path.to_string(),
                number(e.mu),
                number(e.mu_star),
                number(e.sigma),
            ]
        })
    });
    csv_bytes(&header, rows)
}

fn tornado_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "units",
        "leader",
        "runner_up",
        "default_margin",
        "input",
        "low_value",
        "high_value",
        "margin_at_low",
        "margin_at_high",
        "swing",
    ]);
    let rows = results.tornado.iter().filter_map(|bar| {
        let v = results.verdicts.iter().find(|v| v.units == bar.units)?;
        let input = &results.inputs[bar.input];
        Some(vec![
            bar.units.to_string(),
            v.leader.to_string(),
            v.runner_up.map_or(String::new(), |r| r.to_string()),
            number(v.margin),
            input.path.to_string(),
            number(input.tornado.0),
            number(input.tornado.1),
            number(bar.at_low),
            number(bar.at_high),
            number(bar.swing(v.margin)),
        ])
    });
    csv_bytes(&header, rows)
}

fn switching_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "units",
        "input",
        "default",
        "range_low",
        "range_high",
        "leader",
        "below",
        "leader_below",
        "above",
        "leader_above",
        "sentence",
    ]);
    let rows = results.switching.iter().map(|s| {
        let input = &results.inputs[s.input];
        let side = |x: Option<(f64, OptionKind)>| {
            x.map_or((String::new(), String::new()), |(v, o)| (number(v), o.to_string()))
        };
        let (below, below_leader) = side(s.below);
        let (above, above_leader) = side(s.above);
        vec![
            s.units.to_string(),
            input.path.to_string(),
            number(input.default),
            number(input.range.0),
            number(input.range.1),
            s.leader.to_string(),
            below,
            below_leader,
            above,
            above_leader,
            switch_sentence(results, s),
        ]
    });
    csv_bytes(&header, rows)
}

/// The name of a decision: `option at N = 23`, or `option and N`.
fn decision_name(units: Option<usize>) -> String {
    units.map_or("option and N".to_string(), |n| format!("option at N = {n}"))
}

fn voi_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&["decision", "input", "per_head", "gbp_m_per_year"]);
    let m = results.population / 1e6;
    let rows = results.value_of_information.iter().flat_map(|v| {
        let name = decision_name(v.units);
        std::iter::once(vec![
            name.clone(),
            "all (EVPI)".to_string(),
            number(v.evpi),
            number(v.evpi * m),
        ])
        .chain(
            v.evppi
                .iter()
                .zip(&results.inputs)
                .map(move |(&e, input)| vec![name.clone(), input.path.to_string(), number(e), number(e * m)]),
        )
    });
    csv_bytes(&header, rows)
}

fn decisions_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "rule",
        "units",
        "option",
        "mean_headline",
        "interval_low",
        "interval_high",
        "probability",
    ]);
    let mut rows: Vec<Vec<String>> = results
        .best_units
        .iter()
        .map(|b| {
            vec![
                "option's cheapest N".to_string(),
                b.units.to_string(),
                b.option.to_string(),
                number(b.mean),
                number(b.interval.0),
                number(b.interval.1),
                number(b.probability),
            ]
        })
        .collect();
    if let Some(best) = results.best_overall() {
        rows.push(vec![
            "cheapest option and N".to_string(),
            best.units.to_string(),
            best.option.to_string(),
            number(best.mean),
            number(best.interval.0),
            number(best.interval.1),
            number(best.probability),
        ]);
    }
    if let Some((rule, answers)) = &results.rule {
        for answer in answers {
            rows.push(vec![
                format!(
                    "cheapest with unmet <= {} in {}% of sets",
                    rule.max_unmet_share,
                    rule.confidence * 100.0
                ),
                answer.units.to_string(),
                answer.choice.map_or("none".to_string(), |o| o.to_string()),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    csv_bytes(&header, rows)
}

/// The charts of the analysis: (kind, file stem, title).
pub fn uncertainty_charts(results: &UncertaintyResults) -> Vec<(UncertaintyChart, String, String)> {
    let mid = results.units[results.units.len() / 2];
    let mut charts = vec![
        (
            UncertaintyChart::ProbabilityBest,
            "probability_best".to_string(),
            "Probability that each option is cheapest".to_string(),
        ),
        (
            UncertaintyChart::Margins,
            "margin_distribution".to_string(),
            "The default leader's margin over the parameter sets".to_string(),
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
            format!(
                "What moves {}'s lead over {} at N = {}",
                v.leader,
                v.runner_up.map_or("-".to_string(), |r| r.to_string()),
                v.units
            ),
        ));
    }
    charts
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1240px;margin:2em auto;padding:0 1em;color:#222}\
table{border-collapse:collapse;margin:1em 0;font-size:0.9em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}\
th{background:#f2f2f2}td{text-align:left}.drivers{background:#eef5fb;border-left:6px solid #0072B2;padding:0.6em 1.2em;margin:1em 0}\
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

/// Returns the report of the analysis, opening with "What drives the verdict".
pub fn uncertainty_report(
    results: &UncertaintyResults,
    charts: &[(String, String, String)],
    run: &UncertaintyRunInfo,
) -> String {
    let title = escape(&run.scenario);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>csu-sim uncertainty: {title}</title><style>{STYLE}</style></head><body>\
         <h1>csu-sim uncertainty: {title}</h1><p>{} uncertain inputs; {} parameter sets, each run for every option and N with the same replication streams.</p>",
        results.inputs.len(),
        run.sets
    );
    out.push_str(&drivers(results));
    for (stem, title, svg) in charts {
        let _ = write!(
            out,
            "<figure id=\"{stem}\" aria-label=\"{}\">{svg}</figure>",
            escape(title)
        );
    }
    out.push_str(&decisions_html(results));
    out.push_str(&indices_html(results));
    out.push_str(&method_html(results, run));
    out.push_str("</body></html>\n");
    out
}

/// The opening section: probability best, top inputs by Sobol' total index and by EVPPI, the
/// switching values inside their ranges.
fn drivers(results: &UncertaintyResults) -> String {
    let mut out = String::from("<div class=\"drivers\"><h2>What drives the verdict</h2>");
    out.push_str("<h3>How likely each option is to be cheapest</h3><table><tr><th>N</th><th>cheapest at the scenario's values</th>");
    let options: Vec<OptionKind> = results.best_units.iter().map(|b| b.option).collect();
    for o in &options {
        let _ = write!(out, "<th>{o}</th>");
    }
    out.push_str("</tr>");
    for (n, shares) in results.probability_best() {
        let leader = results
            .verdicts
            .iter()
            .find(|v| v.units == n)
            .map_or("-".to_string(), |v| v.leader.to_string());
        let _ = write!(out, "<tr><td>{n}</td><td>{leader}</td>");
        for o in &options {
            let p = shares.iter().find(|(x, _)| x == o).map_or(0.0, |s| s.1);
            let _ = write!(out, "<td>{:.0}%</td>", 100.0 * p);
        }
        out.push_str("</tr>");
    }
    out.push_str("</table><p>The share of parameter sets, drawn from the inputs' distributions, in which each option has the lowest mean net cost per head.</p>");
    out.push_str(&format!(
        "<h3>The {TOP} inputs that matter most to each verdict (Sobol' total index of the margin)</h3>"
    ));
    out.push_str("<table><tr><th>N</th><th>rank</th><th>input</th><th>total index [95% CI]</th><th>first-order index [95% CI]</th></tr>");
    for (output, indices) in results.sobol.iter().filter(|(o, _)| matches!(o, Output::Margin(_))) {
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_by(|&x, &y| indices[y].total.value.total_cmp(&indices[x].total.value));
        for (rank, &i) in order.iter().take(TOP).enumerate() {
            let ix = indices[i];
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2} [{:.2}, {:.2}]</td><td>{:.2} [{:.2}, {:.2}]</td></tr>",
                match output {
                    Output::Margin(n) => n.to_string(),
                    Output::Headline(_, n) => n.to_string(),
                },
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
    out.push_str("</table><p>The total index is the share of the margin's variance due to the input, its interactions included; the first-order index counts the input alone.</p>");
    out.push_str(&format!(
        "<h3>The {TOP} inputs most worth researching (expected value of partial perfect information)</h3>"
    ));
    let m = results.population / 1e6;
    out.push_str("<table><tr><th>decision</th><th>EVPI GBP/head/year</th><th>rank</th><th>input</th><th>EVPPI GBP/head/year</th><th>GBP m a year, England</th></tr>");
    for v in &results.value_of_information {
        let order = top_evppi(v);
        if order.is_empty() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{:.4} (GBP {:.2} m)</td><td colspan=\"4\">{}</td></tr>",
                decision_name(v.units),
                v.evpi,
                v.evpi * m,
                escape(&voi_words(results, v, m))
            );
        }
        for (rank, &i) in order.iter().enumerate() {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{:.4} (GBP {:.2} m)</td><td>{}</td><td>{}</td><td>{:.4}</td><td>{:.2}</td></tr>",
                if rank == 0 {
                    decision_name(v.units)
                } else {
                    String::new()
                },
                v.evpi,
                v.evpi * m,
                rank + 1,
                results.inputs[i].path,
                v.evppi[i],
                v.evppi[i] * m
            );
        }
    }
    out.push_str("</table><p>What a decision-maker should pay, at most, to learn the input exactly before choosing; the EVPI is the value of learning every input.</p>");
    out.push_str("<h3>Switching values inside the inputs' ranges</h3><ul>");
    let mut any = false;
    for s in results
        .switching
        .iter()
        .filter(|s| s.below.is_some() || s.above.is_some())
    {
        any = true;
        let _ = write!(out, "<li>{}.</li>", escape(&switch_sentence(results, s)));
    }
    if !any {
        out.push_str("<li>No single input changes the cheapest option within its range, the others held at the scenario's values.</li>");
    }
    out.push_str("</ul></div>");
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
            "<p>The cheapest option whose unmet share stays at or below {:.1}% in at least {:.0}% of parameter sets:</p><ul>",
            100.0 * rule.max_unmet_share,
            100.0 * rule.confidence
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

fn indices_html(results: &UncertaintyResults) -> String {
    let mut out = String::from(
        "<h2>Screening: Morris elementary effects of the margins</h2><table><tr><th>N</th><th>input</th><th>mu*</th><th>sigma</th></tr>",
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
    out.push_str("</table><p>mu*: the mean absolute change in the margin (GBP a head) when the input moves across half its distribution; sigma: how much that change depends on the other inputs. Every output's indices and effects are in sobol.csv and morris.csv.</p>");
    out
}

fn method_html(results: &UncertaintyResults, run: &UncertaintyRunInfo) -> String {
    let plan = results.plan;
    let mut out = String::from("<h2>How this was computed</h2><ul>");
    let _ = write!(
        out,
        "<li>Probabilistic sensitivity analysis: two Latin hypercubes of {} parameter sets each (A and B), {} replications per set on common random numbers.</li>\
         <li>Sobol' indices from the Saltelli design (A, B and one matrix per input, {} sets): first order by Saltelli (2010), total by Jansen (1999), 95% intervals from {} bootstrap resamples. design.csv lists every set with its role, so the indices can be recomputed.</li>\
         <li>Morris: {} trajectories on a {}-level grid.</li>\
         <li>Tornado and switching values: one input at a time, the others at the scenario's values, {} replications per evaluation; switching values by bisection within the input's 0.1st to 99.9th percentiles.</li>\
         <li>EVPPI: Strong and Oakley's single-parameter method with a local linear smoother on ranks (bandwidth 0.1). Each set's means carry Monte Carlo noise from {} replications, which the smoother mostly removes but which adds a little to the EVPI.</li>\
         <li>Seed {}; {} threads; {:.1} s.</li></ul>",
        plan.samples,
        plan.replications,
        plan.samples * (results.inputs.len() + 2),
        plan.bootstrap,
        plan.trajectories,
        crate::experiment::uncertainty::MORRIS_LEVELS,
        plan.oat_replications,
        plan.replications,
        run.seed,
        run.threads,
        run.elapsed_seconds
    );
    out.push_str(
        "<table><tr><th>input</th><th>scenario value</th><th>distribution</th><th>5th to 95th percentile</th></tr>",
    );
    for input in &results.inputs {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} to {}</td></tr>",
            input.path,
            shown(input.default),
            escape(&input.distribution),
            shown(input.tornado.0),
            shown(input.tornado.1)
        );
    }
    out.push_str("</table>");
    out
}

/// Returns the inputs with a positive EVPPI, largest first, at most [`TOP`].
fn top_evppi(v: &crate::experiment::uncertainty::ValueOfInformation) -> Vec<usize> {
    let mut order: Vec<usize> = (0..v.evppi.len()).filter(|&i| v.evppi[i] > 0.0).collect();
    order.sort_by(|&x, &y| v.evppi[y].total_cmp(&v.evppi[x]));
    order.truncate(TOP);
    order
}

/// Describes one decision's value of information in words.
fn voi_words(results: &UncertaintyResults, v: &crate::experiment::uncertainty::ValueOfInformation, m: f64) -> String {
    if v.evpi == 0.0 {
        return "EVPI 0: the same choice is best in every parameter set, so no input is worth researching for it"
            .to_string();
    }
    let top = top_evppi(v);
    let inputs = if top.is_empty() {
        "no single input has a value of its own (EVPPI 0 for each): the choice turns on inputs together, or on Monte Carlo noise".to_string()
    } else {
        let list: Vec<String> = top
            .iter()
            .map(|&i| {
                format!(
                    "{} GBP {:.4} a head (GBP {:.2} m)",
                    results.inputs[i].path,
                    v.evppi[i],
                    v.evppi[i] * m
                )
            })
            .collect();
        format!("most worth researching: {}", list.join(", "))
    };
    format!(
        "EVPI GBP {:.4} a head a year (GBP {:.2} m for England); {inputs}",
        v.evpi,
        v.evpi * m
    )
}

/// Returns the console summary: "What drives the verdict" in text.
pub fn uncertainty_summary(results: &UncertaintyResults) -> String {
    let mut out = String::from("What drives the verdict\n\nProbability each option is cheapest:\n");
    for (n, shares) in results.probability_best() {
        let text: Vec<String> = shares.iter().map(|(o, p)| format!("{o} {:.0}%", 100.0 * p)).collect();
        let leader = results
            .verdicts
            .iter()
            .find(|v| v.units == n)
            .map_or("-".to_string(), |v| v.leader.to_string());
        let _ = writeln!(
            out,
            "  N = {n}: {} (cheapest at the scenario's values: {leader})",
            text.join(", ")
        );
    }
    for (output, indices) in results.sobol.iter().filter(|(o, _)| matches!(o, Output::Margin(_))) {
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_by(|&x, &y| indices[y].total.value.total_cmp(&indices[x].total.value));
        let top: Vec<String> = order
            .iter()
            .take(TOP)
            .map(|&i| format!("{} {:.2}", results.inputs[i].path, indices[i].total.value))
            .collect();
        let _ = writeln!(
            out,
            "\nTop {TOP} by Sobol' total index, {}: {}",
            output_name(*output),
            top.join(", ")
        );
    }
    let m = results.population / 1e6;
    for v in &results.value_of_information {
        let _ = writeln!(
            out,
            "\nValue of information, {}: {}",
            decision_name(v.units),
            voi_words(results, v, m)
        );
    }
    out.push_str("\nSwitching values inside the inputs' ranges:\n");
    let mut any = false;
    for s in results
        .switching
        .iter()
        .filter(|s| s.below.is_some() || s.above.is_some())
    {
        any = true;
        let _ = writeln!(out, "  - {}", switch_sentence(results, s));
    }
    if !any {
        out.push_str("  none: no single input changes the cheapest option within its range\n");
    }
    out
}
