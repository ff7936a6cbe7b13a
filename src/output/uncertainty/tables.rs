//! The tables of `csu-sim uncertainty`, one CSV each: every parameter set with its inputs and
//! cell means, the probabilities, the indices, the tornado, the switching values, the value of
//! information and the decisions.

use super::words::{decision_name, switch_sentence};
use crate::experiment::uncertainty::switching::SideSearch;
use crate::experiment::uncertainty::{Output, Psa, UncertaintyResults, output_value};
use crate::output::{CsvTable, OutputError, number};
use crate::scenario::keys::shown;

/// Builds a CSV from a header and rows.
fn csv_bytes(header: &[String], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, OutputError> {
    let mut table = CsvTable::new(header)?;
    for row in rows {
        table.row(&row)?;
    }
    table.finish()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Returns every table of the analysis as (file name, bytes).
pub fn uncertainty_tables(results: &UncertaintyResults) -> Result<Vec<(&'static str, Vec<u8>)>, OutputError> {
    let held = match &results.psa_held {
        Some(psa) => vec![("psa_held.csv", psa_csv(results, psa, true)?)],
        None => Vec::new(),
    };
    Ok([
        ("psa.csv", psa_csv(results, &results.psa, false)?),
        ("design.csv", design_csv(results)?),
        ("probability_best.csv", probability_csv(results)?),
        ("confirmation.csv", confirmation_csv(results)?),
        ("sobol.csv", sobol_csv(results)?),
        ("morris.csv", morris_csv(results)?),
        ("tornado.csv", tornado_csv(results)?),
        ("switching.csv", switching_csv(results)?),
        ("voi.csv", voi_csv(results)?),
        ("decisions.csv", decisions_csv(results)?),
    ]
    .into_iter()
    .chain(held)
    .collect())
}

/// The columns of one parameter set's outputs: each cell's headline and unmet share.
fn cell_columns(results: &UncertaintyResults) -> Vec<String> {
    results
        .cells
        .iter()
        .flat_map(|(o, n)| [format!("headline_{o}_{n}"), format!("unmet_{o}_{n}")])
        .collect()
}

/// `psa.csv` (every input ranged) and `psa_held.csv` (the value inputs held at the
/// scenario's values): one row per PSA parameter set (the rows of A, then B), with its input
/// values and every cell's mean headline and unmet share as the probabilities use them (at the
/// confirmation's replications where the set was run again: `replications_<N>` says how many).
fn psa_csv(results: &UncertaintyResults, psa: &Psa, held: bool) -> Result<Vec<u8>, OutputError> {
    let mut header = strings(&["set", "role", "row"]);
    header.extend(results.inputs.iter().map(|i| i.path.to_string()));
    header.extend(results.units.iter().map(|n| format!("replications_{n}")));
    header.extend(cell_columns(results));
    let design = &results.design;
    let points: Vec<(&str, usize, &Vec<f64>)> = design
        .a
        .iter()
        .enumerate()
        .map(|(row, p)| ("A", row, p))
        .chain(design.b.iter().enumerate().map(|(row, p)| ("B", row, p)))
        .collect();
    let rows = points
        .into_iter()
        .zip(&psa.sets)
        .enumerate()
        .map(|(set, ((role, row, point), means))| {
            let mut line = vec![set.to_string(), role.to_string(), row.to_string()];
            let mut values = results.values_at(point);
            if held {
                for (value, input) in values.iter_mut().zip(&results.inputs) {
                    if input.is_value {
                        *value = input.default;
                    }
                }
            }
            line.extend(values.into_iter().map(number));
            line.extend(results.units.iter().map(|&n| {
                let cell = results.cells.iter().position(|c| c.1 == n).unwrap_or(0);
                means[cell].replications.to_string()
            }));
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

/// `probability_best.csv`: per N and option, the share of PSA sets in which it is cheapest with
/// its 95% interval, with every input ranged and (when a value input is ranged) with the value
/// inputs held at the scenario's values.
fn probability_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "values",
        "units",
        "option",
        "sets_cheapest",
        "sets",
        "probability_cheapest",
        "ci95_low",
        "ci95_high",
        "default_leader",
    ]);
    let mut rows = Vec::new();
    let psas = std::iter::once(("ranged", &results.psa)).chain(results.psa_held.iter().map(|p| ("held", p)));
    for (values, psa) in psas {
        for (n, shares) in psa.probability_best(&results.cells, &results.units) {
            let leader = results.verdicts.iter().find(|v| v.units == n).map(|v| v.leader);
            for (o, share) in shares {
                let (low, high) = share.interval();
                rows.push(vec![
                    values.to_string(),
                    n.to_string(),
                    o.to_string(),
                    share.count.to_string(),
                    share.sets.to_string(),
                    number(share.value()),
                    number(low),
                    number(high),
                    (Some(o) == leader).to_string(),
                ]);
            }
        }
    }
    csv_bytes(&header, rows)
}

/// `confirmation.csv`: per N, the PSA sets run again at more replications and what changed.
fn confirmation_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "values",
        "units",
        "sets",
        "rerun",
        "changed_cheapest",
        "replications",
        "rerun_half_width_median",
        "lead_sd_over_sets",
    ]);
    let mut rows = Vec::new();
    let psas = std::iter::once(("ranged", &results.psa)).chain(results.psa_held.iter().map(|p| ("held", p)));
    for (values, psa) in psas {
        for c in &psa.confirmations {
            rows.push(vec![
                values.to_string(),
                c.units.to_string(),
                psa.sets.len().to_string(),
                c.rerun.to_string(),
                c.changed.to_string(),
                results.plan.confirm_replications.to_string(),
                number(c.half_width),
                number(c.spread),
            ]);
        }
    }
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

/// `tornado.csv`: per N and input, the scenario's leader's lead over its best rival at each
/// end of the input's tornado range, with that rival.
fn tornado_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "units",
        "leader",
        "runner_up",
        "default_lead",
        "input",
        "low_value",
        "high_value",
        "lead_at_low",
        "rival_at_low",
        "lead_at_high",
        "rival_at_high",
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
            bar.rival_low.to_string(),
            number(bar.at_high),
            bar.rival_high.to_string(),
            number(bar.swing(v.margin)),
        ])
    });
    csv_bytes(&header, rows)
}

/// `switching.csv`: per N, input and side of the scenario's value, the values searched and
/// the switch, if any: its value and interval, the option that takes over, whether it lies in
/// the analysis's range and whether it held at four times the replications.
fn switching_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let header = strings(&[
        "units",
        "input",
        "default",
        "range_low",
        "range_high",
        "leader",
        "side",
        "searched_low",
        "searched_high",
        "switch",
        "switch_low",
        "switch_high",
        "new_leader",
        "in_range",
        "confirmed",
        "sentence",
    ]);
    let rows = results.switching.iter().flat_map(|s| {
        let input = &results.inputs[s.input];
        let sentence = switch_sentence(results, s);
        [("below", s.below), ("above", s.above)].map(|(side, search): (&str, SideSearch)| {
            let mut row = vec![
                s.units.to_string(),
                input.path.to_string(),
                number(input.default),
                number(input.range.0),
                number(input.range.1),
                s.leader.to_string(),
                side.to_string(),
                number(search.searched.0),
                number(search.searched.1),
            ];
            match search.crossing {
                Some(c) => row.extend([
                    number(c.value),
                    number(c.interval.0),
                    number(c.interval.1),
                    c.rival.to_string(),
                    c.in_range.to_string(),
                    c.confirmed.to_string(),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 6)),
            }
            row.push(sentence.clone());
            row
        })
    });
    csv_bytes(&header, rows)
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
                    shown(rule.max_unmet_share),
                    shown(rule.confidence * 100.0)
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
