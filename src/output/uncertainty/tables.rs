//! The tables of `csu-sim uncertainty`, one CSV each: every parameter set with its inputs and
//! cell means, the probabilities, the indices, the tornado, the switching values, the value of
//! information and the decisions.

use super::words::{decision_name, switch_sentence};
use crate::experiment::uncertainty::switching::SideSearch;
use crate::experiment::uncertainty::{Output, Psa, UncertaintyResults, output_value};
use serde::Serialize;

use crate::output::{CsvTable, Figure, OutputError, number};
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
        line.extend(results.values_at(point).into_iter().map(number));
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

/// A row of `probability_best.csv`.
#[derive(Default, Serialize)]
struct ProbabilityRow {
    values: &'static str,
    units: usize,
    option: &'static str,
    sets_cheapest: usize,
    sets: usize,
    probability_cheapest: Figure,
    ci95_low: Figure,
    ci95_high: Figure,
    default_leader: bool,
}

/// The PSA with every input ranged, then (when a value input is ranged) the one with the
/// value inputs held, each with its name in the tables.
fn psas(results: &UncertaintyResults) -> impl Iterator<Item = (&'static str, &Psa)> {
    std::iter::once(("ranged", &results.psa)).chain(results.psa_held.iter().map(|p| ("held", p)))
}

/// `probability_best.csv`: per N and option, the share of PSA sets in which it is cheapest with
/// its 95% interval, with every input ranged and (when a value input is ranged) with the value
/// inputs held at the scenario's values.
fn probability_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let mut rows = Vec::new();
    for (values, psa) in psas(results) {
        for (units, shares) in psa.probability_best(&results.cells, &results.units) {
            let leader = results.verdicts.iter().find(|v| v.units == units).map(|v| v.leader);
            for (o, share) in shares {
                let (low, high) = share.interval();
                rows.push(ProbabilityRow {
                    values,
                    units,
                    option: o.key(),
                    sets_cheapest: share.count,
                    sets: share.sets,
                    probability_cheapest: Figure(share.value()),
                    ci95_low: Figure(low),
                    ci95_high: Figure(high),
                    default_leader: Some(o) == leader,
                });
            }
        }
    }
    CsvTable::from_rows(rows)
}

/// A row of `confirmation.csv`.
#[derive(Default, Serialize)]
struct ConfirmationRow {
    values: &'static str,
    units: usize,
    sets: usize,
    rerun: usize,
    changed_cheapest: usize,
    replications: u64,
    rerun_half_width_median: Figure,
    lead_sd_over_sets: Figure,
}

/// `confirmation.csv`: per N, the PSA sets run again at more replications and what changed.
fn confirmation_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let rows = psas(results).flat_map(|(values, psa)| {
        psa.confirmations.iter().map(move |c| ConfirmationRow {
            values,
            units: c.units,
            sets: psa.sets.len(),
            rerun: c.rerun,
            changed_cheapest: c.changed,
            replications: results.plan.confirm_replications,
            rerun_half_width_median: Figure(c.half_width),
            lead_sd_over_sets: Figure(c.spread),
        })
    });
    CsvTable::from_rows(rows)
}

/// A row of `sobol.csv`.
#[derive(Default, Serialize)]
struct SobolRow {
    output: String,
    input: &'static str,
    first_order: Figure,
    first_low: Figure,
    first_high: Figure,
    total: Figure,
    total_low: Figure,
    total_high: Figure,
}

fn sobol_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let rows = results.sobol.iter().flat_map(|(output, indices)| {
        indices.iter().zip(&results.inputs).map(move |(ix, input)| SobolRow {
            output: output_column(*output),
            input: input.path,
            first_order: Figure(ix.first.value),
            first_low: Figure(ix.first.low),
            first_high: Figure(ix.first.high),
            total: Figure(ix.total.value),
            total_low: Figure(ix.total.low),
            total_high: Figure(ix.total.high),
        })
    });
    CsvTable::from_rows(rows)
}

/// A row of `morris.csv`.
#[derive(Default, Serialize)]
struct MorrisRow {
    output: String,
    input: &'static str,
    mu: Figure,
    mu_star: Figure,
    sigma: Figure,
}

fn morris_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let rows = results.morris.iter().flat_map(|(output, effects)| {
        effects.iter().zip(&results.inputs).map(move |(e, input)| MorrisRow {
            output: output_column(*output),
            input: input.path,
            mu: Figure(e.mu),
            mu_star: Figure(e.mu_star),
            sigma: Figure(e.sigma),
        })
    });
    CsvTable::from_rows(rows)
}

/// A row of `tornado.csv`.
#[derive(Default, Serialize)]
struct TornadoRow {
    units: usize,
    leader: &'static str,
    runner_up: &'static str,
    default_lead: Figure,
    input: &'static str,
    low_value: Figure,
    high_value: Figure,
    lead_at_low: Figure,
    rival_at_low: &'static str,
    lead_at_high: Figure,
    rival_at_high: &'static str,
    swing: Figure,
}

/// `tornado.csv`: per N and input, the scenario's leader's lead over its best rival at each
/// end of the input's tornado range, with that rival.
fn tornado_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let rows = results.tornado.iter().filter_map(|bar| {
        let v = results.verdicts.iter().find(|v| v.units == bar.units)?;
        let input = &results.inputs[bar.input];
        Some(TornadoRow {
            units: bar.units,
            leader: v.leader.key(),
            runner_up: v.runner_up.map_or("", |r| r.key()),
            default_lead: Figure(v.margin),
            input: input.path,
            low_value: Figure(input.tornado.0),
            high_value: Figure(input.tornado.1),
            lead_at_low: Figure(bar.at_low),
            rival_at_low: bar.rival_low.key(),
            lead_at_high: Figure(bar.at_high),
            rival_at_high: bar.rival_high.key(),
            swing: Figure(bar.swing(v.margin)),
        })
    });
    CsvTable::from_rows(rows)
}

/// A row of `switching.csv`: the switch's fields are empty where the side has none.
#[derive(Default, Serialize)]
struct SwitchingRow {
    units: usize,
    input: &'static str,
    default: Figure,
    range_low: Figure,
    range_high: Figure,
    leader: &'static str,
    side: &'static str,
    searched_low: Figure,
    searched_high: Figure,
    switch: Option<Figure>,
    switch_low: Option<Figure>,
    switch_high: Option<Figure>,
    new_leader: Option<&'static str>,
    in_range: Option<bool>,
    confirmed: Option<bool>,
    sentence: String,
}

/// `switching.csv`: per N, input and side of the scenario's value, the values searched and
/// the switch, if any: its value and interval, the option that takes over, whether it lies in
/// the analysis's range and whether it held at four times the replications.
fn switching_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let rows = results.switching.iter().flat_map(|s| {
        let input = &results.inputs[s.input];
        let sentence = switch_sentence(results, s);
        [("below", s.below), ("above", s.above)].map(|(side, search): (&'static str, SideSearch)| {
            let c = search.crossing;
            SwitchingRow {
                units: s.units,
                input: input.path,
                default: Figure(input.default),
                range_low: Figure(input.range.0),
                range_high: Figure(input.range.1),
                leader: s.leader.key(),
                side,
                searched_low: Figure(search.searched.0),
                searched_high: Figure(search.searched.1),
                switch: c.map(|c| Figure(c.value)),
                switch_low: c.map(|c| Figure(c.interval.0)),
                switch_high: c.map(|c| Figure(c.interval.1)),
                new_leader: c.map(|c| c.rival.key()),
                in_range: c.map(|c| c.in_range),
                confirmed: c.map(|c| c.confirmed),
                sentence: sentence.clone(),
            }
        })
    });
    CsvTable::from_rows(rows)
}

/// A row of `voi.csv`.
#[derive(Default, Serialize)]
struct VoiRow {
    decision: String,
    input: &'static str,
    per_head: Figure,
    gbp_m_per_year: Figure,
}

fn voi_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let m = results.population / 1e6;
    let rows = results.value_of_information.iter().flat_map(|v| {
        let decision = decision_name(v.units);
        let row = move |input: &'static str, per_head: f64| VoiRow {
            decision: decision.clone(),
            input,
            per_head: Figure(per_head),
            gbp_m_per_year: Figure(per_head * m),
        };
        std::iter::once(row("all (EVPI)", v.evpi)).chain(
            v.evppi
                .iter()
                .zip(&results.inputs)
                .map(move |(&e, input)| row(input.path, e)),
        )
    });
    CsvTable::from_rows(rows)
}

/// A row of `decisions.csv`: the figures are empty for the decision rule's answers.
#[derive(Default, Serialize)]
struct DecisionRow {
    rule: String,
    units: usize,
    option: &'static str,
    mean_headline: Option<Figure>,
    interval_low: Option<Figure>,
    interval_high: Option<Figure>,
    probability: Option<Figure>,
}

impl DecisionRow {
    fn best(rule: &str, b: &crate::experiment::uncertainty::BestUnits) -> DecisionRow {
        DecisionRow {
            rule: rule.to_string(),
            units: b.units,
            option: b.option.key(),
            mean_headline: Some(Figure(b.mean)),
            interval_low: Some(Figure(b.interval.0)),
            interval_high: Some(Figure(b.interval.1)),
            probability: Some(Figure(b.probability)),
        }
    }
}

fn decisions_csv(results: &UncertaintyResults) -> Result<Vec<u8>, OutputError> {
    let mut rows: Vec<DecisionRow> = results
        .best_units
        .iter()
        .map(|b| DecisionRow::best("option's cheapest N", b))
        .collect();
    rows.extend(
        results
            .best_overall()
            .map(|best| DecisionRow::best("cheapest option and N", &best)),
    );
    if let Some((rule, answers)) = &results.rule {
        let name = format!(
            "cheapest with unmet <= {} in {}% of sets",
            shown(rule.max_unmet_share),
            shown(rule.confidence * 100.0)
        );
        rows.extend(answers.iter().map(|answer| DecisionRow {
            rule: name.clone(),
            units: answer.units,
            option: answer.choice.map_or("none", |o| o.key()),
            ..DecisionRow::default()
        }));
    }
    CsvTable::from_rows(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture::{analysis, rows_of};

    /// Asserts that table `name` reads as `want`, line by line and field by field: fields
    /// that are numbers to 1e-9, the rest exactly.
    fn assert_table(tables: &[(&str, Vec<u8>)], name: &str, want: &[&str]) {
        let got = rows_of(&tables.iter().find(|(n, _)| *n == name).unwrap().1);
        assert_eq!(got.len(), want.len(), "{name}: {got:?}");
        for (row, line) in got.iter().zip(want) {
            let fields: Vec<&str> = line.split(',').collect();
            assert_eq!(row.len(), fields.len(), "{name}: {row:?} against {line}");
            for (g, w) in row.iter().zip(fields) {
                match (g.parse::<f64>(), w.parse::<f64>()) {
                    (Ok(g), Ok(w)) => assert!((g - w).abs() < 1e-9, "{name}: {g} against {w} in {row:?}"),
                    _ => assert_eq!(g, w, "{name}: {row:?} against {line}"),
                }
            }
        }
    }

    /// Each set's input values are the uniform quantiles of its row (0.1 + 0.25 x 0.2 = 0.15,
    /// 0 + 0.5 x 2 = 1, ...); the held table puts value.choice_per_head at its scenario value 0;
    /// `replications_10` is 300 where the set was confirmed.
    #[test]
    fn psa_tables_hold_each_set_and_its_values() {
        let tables = uncertainty_tables(&analysis()).unwrap();
        let header = "set,role,row,risk.p_weak,value.choice_per_head,replications_10,\
                      headline_national_10,unmet_national_10,headline_hubs_10,unmet_hubs_10";
        assert_table(
            &tables,
            "psa.csv",
            &[
                header,
                "0,A,0,0.15,1,10,10,0.1,12,0.2",
                "1,B,0,0.25,0.5,300,12.9,0.3,11.2,0.1",
            ],
        );
        assert_table(
            &tables,
            "psa_held.csv",
            &[
                header,
                "0,A,0,0.15,0,10,10,0.1,12,0.2",
                "1,B,0,0.25,0,10,11.5,0.3,12,0.1",
            ],
        );
    }

    /// design.csv: A, B and each AB_i (A's row with input i from B's), with the margin hubs
    /// minus national: 12 - 10, 11 - 13, 12 - 11, 10.5 - 10.
    #[test]
    fn design_csv_lets_anyone_recompute_the_indices() {
        let tables = uncertainty_tables(&analysis()).unwrap();
        assert_table(
            &tables,
            "design.csv",
            &[
                "role,row,p_risk.p_weak,p_value.choice_per_head,risk.p_weak,value.choice_per_head,margin_10",
                "A,0,0.25,0.5,0.15,1,2",
                "B,0,0.75,0.25,0.25,0.5,-2",
                "AB_risk.p_weak,0,0.75,0.5,0.25,1,1",
                "AB_value.choice_per_head,0,0.25,0.25,0.15,0.5,0.5",
            ],
        );
    }

    /// Ranged: national cheapest in set 0 (10 < 12), hubs in set 1 (11.2 < 12.9): 1 of 2 each,
    /// Wilson's interval with z = 1.959964: centre 0.5 + z^2/4 = 1.460365, spread
    /// z sqrt(0.125 + z^2/16) = 1.184264, over 1 + z^2/2 = 2.920730: 0.094531 to 0.905469.
    /// Held: national both times (11.5 < 12): 2 of 2, 1 / 2.920730 = 0.342380 to 1, hubs 0 to
    /// (z^2/2) / 2.920730 = 0.657620.
    #[test]
    fn probability_best_csv_counts_sets_with_their_wilson_interval() {
        let tables = uncertainty_tables(&analysis()).unwrap();
        assert_table(
            &tables,
            "probability_best.csv",
            &[
                "values,units,option,sets_cheapest,sets,probability_cheapest,ci95_low,ci95_high,default_leader",
                "ranged,10,national,1,2,0.5,0.09453120463920085,0.9054687953607992,true",
                "ranged,10,hubs,1,2,0.5,0.09453120463920085,0.9054687953607992,false",
                "held,10,national,2,2,1,0.34238022395464934,1,true",
                "held,10,hubs,0,2,0,0,0.6576197760453506,false",
            ],
        );
        assert_table(
            &tables,
            "confirmation.csv",
            &[
                "values,units,sets,rerun,changed_cheapest,replications,rerun_half_width_median,lead_sd_over_sets",
                "ranged,10,2,1,0,300,0.05,1.4",
                "held,10,2,0,0,300,,1",
            ],
        );
    }

    /// The indices and effects row by row; the tornado's swing is the larger departure from
    /// the scenario's lead of 1.5: max(|2.5 - 1.5|, |-0.5 - 1.5|) = 2.
    #[test]
    fn index_and_tornado_tables_name_each_input() {
        let tables = uncertainty_tables(&analysis()).unwrap();
        assert_table(
            &tables,
            "sobol.csv",
            &[
                "output,input,first_order,first_low,first_high,total,total_low,total_high",
                "margin_10,risk.p_weak,0.6,0.5,0.7,0.65,0.55,0.75",
                "margin_10,value.choice_per_head,0.2,0.1,0.3,0.3,0.2,0.4",
            ],
        );
        assert_table(
            &tables,
            "morris.csv",
            &[
                "output,input,mu,mu_star,sigma",
                "headline_national_10,risk.p_weak,-0.5,0.8,0.3",
                "headline_national_10,value.choice_per_head,0.1,0.1,0",
            ],
        );
        assert_table(
            &tables,
            "tornado.csv",
            &[
                "units,leader,runner_up,default_lead,input,low_value,high_value,lead_at_low,rival_at_low,lead_at_high,rival_at_high,swing",
                "10,national,hubs,1.5,risk.p_weak,0.11,0.29,2.5,hubs,-0.5,hubs,2",
            ],
        );
    }

    /// Value of information per head and for England (50 million people: 0.4 a head is GBP
    /// 20 m a year); the decisions: each option's best N as given, the cheapest cell over the
    /// PSA (national, mean (10 + 12.9) / 2 = 11.45, type-7 percentiles 10 + 0.025 x 2.9 and
    /// 10 + 0.975 x 2.9, cheapest in 1 of 2 sets), and the rule met by no option.
    #[test]
    fn voi_and_decision_tables_read_by_hand() {
        let tables = uncertainty_tables(&analysis()).unwrap();
        assert_table(
            &tables,
            "voi.csv",
            &[
                "decision,input,per_head,gbp_m_per_year",
                "option at N = 10,all (EVPI),0.4,20",
                "option at N = 10,risk.p_weak,0.3,15",
                "option at N = 10,value.choice_per_head,0.05,2.5",
                "option and N,all (EVPI),0.5,25",
                "option and N,risk.p_weak,0.35,17.5",
                "option and N,value.choice_per_head,0.1,5",
            ],
        );
        assert_table(
            &tables,
            "decisions.csv",
            &[
                "rule,units,option,mean_headline,interval_low,interval_high,probability",
                "option's cheapest N,10,hubs,11.6,11,12,1",
                "cheapest option and N,10,national,11.45,10.0725,12.8275,0.5",
                "cheapest with unmet <= 0.05 in 90% of sets,10,none,,,,",
            ],
        );
    }

    /// One row per side of the scenario's value: below, no switch (six empty fields); above,
    /// hubs takes over at 0.26 (0.25 to 0.27), in range but not confirmed; both rows carry the
    /// sentence.
    #[test]
    fn switching_csv_has_a_row_per_side() {
        let tables = uncertainty_tables(&analysis()).unwrap();
        let rows = &rows_of(&tables.iter().find(|(n, _)| *n == "switching.csv").unwrap().1)[1..];
        assert_eq!(rows.len(), 2);
        let fields = |line: &str| line.split(',').map(String::from).collect::<Vec<_>>();
        assert_eq!(
            rows[0][..15],
            fields("10,risk.p_weak,0.2,0.1,0.3,national,below,0.1,0.2,,,,,,")
        );
        assert_eq!(
            rows[1][..15],
            fields("10,risk.p_weak,0.2,0.1,0.3,national,above,0.2,0.3,0.26,0.25,0.27,hubs,true,false")
        );
        assert_eq!(rows[0][15], rows[1][15]);
        assert!(
            rows[1][15].starts_with("national stays cheapest at N = 10 unless risk.p_weak exceeds ")
                && rows[1][15].contains("then hubs is"),
            "{}",
            rows[1][15]
        );
    }
}
