//! The CSV tables: `summary.csv` (one row per cell and metric, long format), `comparisons.csv`,
//! `best_n.csv`, `lead_parts.csv` and `facts.csv`.

use serde::Serialize;

use super::{Exporter, OutputError, number};
use crate::experiment::ExperimentResults;
use crate::experiment::explain;
use crate::experiment::findings;
use crate::experiment::margin::PART_GROUPS;
use crate::experiment::which_n::Shape;
use crate::model::Metric;
use crate::model::OptionKind;

/// The summary table: `seed, option, units, param_<key>..., metric, n, undefined,
/// mean, sd, ci95_low, ci95_high, p5, p50, p95`.
pub struct SummaryCsv;

/// A CSV file built in memory: the one way csu-sim writes its CSV tables.
pub struct CsvTable {
    writer: ::csv::Writer<Vec<u8>>,
}

impl CsvTable {
    /// Starts a table with its header.
    pub fn new<S: AsRef<[u8]>>(header: impl IntoIterator<Item = S>) -> Result<CsvTable, OutputError> {
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        writer.write_record(header)?;
        Ok(CsvTable { writer })
    }

    /// Starts a table whose header is `lead`, the swept keys' `param_<key>` columns, then
    /// `tail`.
    pub fn with_params(sweep_keys: &[String], lead: &[&str], tail: &[&str]) -> Result<CsvTable, OutputError> {
        let params: Vec<String> = sweep_keys.iter().map(|k| format!("param_{k}")).collect();
        let header = lead
            .iter()
            .copied()
            .chain(params.iter().map(String::as_str))
            .chain(tail.iter().copied());
        CsvTable::new(header)
    }

    /// Writes a row.
    pub fn row<S: AsRef<[u8]>>(&mut self, fields: impl IntoIterator<Item = S>) -> Result<(), OutputError> {
        Ok(self.writer.write_record(fields)?)
    }

    /// Returns the file's bytes.
    pub fn finish(self) -> Result<Vec<u8>, OutputError> {
        bytes_of(self.writer)
    }

    /// Returns the bytes of a table with a fixed schema: one row per struct, the header the
    /// struct's field names in order (written from a default row when there are no rows, so
    /// that an empty table still says what it would hold).
    pub fn from_rows<T: Serialize + Default>(rows: impl IntoIterator<Item = T>) -> Result<Vec<u8>, OutputError> {
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        let mut empty = true;
        for row in rows {
            writer.serialize(row)?;
            empty = false;
        }
        if !empty {
            return bytes_of(writer);
        }
        writer.serialize(T::default())?;
        let mut bytes = bytes_of(writer)?;
        let header = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |end| end + 1);
        bytes.truncate(header);
        Ok(bytes)
    }
}

fn bytes_of(writer: ::csv::Writer<Vec<u8>>) -> Result<Vec<u8>, OutputError> {
    writer.into_inner().map_err(|e| OutputError::Csv(e.into_error().into()))
}

/// A figure in a fixed-schema table: written as [`number`] writes it (Rust's shortest
/// round-trip decimal, never an exponent; empty when undefined), like every other table.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Figure(pub f64);

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&number(self.0))
    }
}

impl Exporter for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = CsvTable::with_params(
            &results.meta.sweep_keys,
            &["seed", "option", "units"],
            &[
                "metric",
                "n",
                "undefined",
                "mean",
                "sd",
                "ci95_low",
                "ci95_high",
                "p5",
                "p50",
                "p95",
            ],
        )?;
        for cell in &results.cells {
            for &metric in Metric::ALL {
                let s = cell.summary(metric);
                let mut row = vec![
                    results.meta.seed.to_string(),
                    cell.option.to_string(),
                    cell.units.to_string(),
                ];
                row.extend(cell.point_values.iter().map(|(_, v)| number(*v)));
                row.push(metric.name().to_string());
                row.push(s.n.to_string());
                row.push(cell.undefined(metric).to_string());
                row.extend([s.mean, s.sd, s.ci_low, s.ci_high, s.p5, s.p50, s.p95].map(number));
                table.row(&row)?;
            }
        }
        table.finish()
    }
}

/// Paired comparisons: `seed, units, param_<key>..., option_a, option_b, metric, n,
/// mean_diff, sd, ci95_low, ci95_high, significant` (difference = a - b).
pub struct ComparisonsCsv;

impl Exporter for ComparisonsCsv {
    fn file_name(&self) -> &'static str {
        "comparisons.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = CsvTable::with_params(
            &results.meta.sweep_keys,
            &["seed", "units"],
            &[
                "option_a",
                "option_b",
                "metric",
                "n",
                "mean_diff",
                "sd",
                "ci95_low",
                "ci95_high",
                "significant",
            ],
        )?;
        for item in &results.comparisons.items {
            let s = item.summary();
            let mut row = vec![results.meta.seed.to_string(), item.units.to_string()];
            let point = results.groups.iter().find(|g| g.1 == item.point).map(|g| g.2[0].1);
            if let Some(cell) = point.map(|c| &results.cells[c]) {
                row.extend(cell.point_values.iter().map(|(_, v)| number(*v)));
            }
            row.extend([
                item.option_a.to_string(),
                item.option_b.to_string(),
                item.metric.name().to_string(),
            ]);
            row.push(s.n.to_string());
            row.extend([s.mean, s.sd, s.ci_low, s.ci_high].map(number));
            row.push(item.significant().to_string());
            table.row(&row)?;
        }
        table.finish()
    }
}

/// The facts check of docs/model.md section 8b: `seed, option, units, param_<key>...,
/// fact, source, model_figure, unit, mean, ci95_low, ci95_high, band_low, band_high, band,
/// inside`
/// (an open end of a band is empty; `inside` says whether the mean falls in the band).
pub struct FactsCsv;

impl Exporter for FactsCsv {
    fn file_name(&self) -> &'static str {
        "facts.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = CsvTable::with_params(
            &results.meta.sweep_keys,
            &["seed", "option", "units"],
            &[
                "fact",
                "source",
                "model_figure",
                "unit",
                "mean",
                "ci95_low",
                "ci95_high",
                "band_low",
                "band_high",
                "band",
                "inside",
            ],
        )?;
        let finite = |x: f64| if x.is_finite() { number(x) } else { String::new() };
        for check in findings::facts_check(results) {
            let Some(cell) = results.cell(OptionKind::Hubs, check.units, check.point) else {
                continue;
            };
            for line in &check.lines {
                let mut row = vec![
                    results.meta.seed.to_string(),
                    OptionKind::Hubs.to_string(),
                    check.units.to_string(),
                ];
                row.extend(cell.point_values.iter().map(|(_, v)| number(*v)));
                row.extend([line.fact, line.source, line.figure, line.shown.unit()].map(String::from));
                row.extend([line.mean, line.ci.0, line.ci.1].map(number));
                row.extend([line.band.0, line.band.1].map(finite));
                row.push(line.band_text());
                row.push(if line.inside() { "inside" } else { "outside" }.to_string());
                table.row(&row)?;
            }
        }
        table.finish()
    }
}

/// Which N is best for each option (docs/model.md section 8, "Which N"): `seed, option,
/// param_<key>..., metric, best_units, best_mean, best_sure, shape, units, n, mean_diff, sd,
/// ci95_low, ci95_high, significant`, one row per other N (difference = that N - the best N;
/// `significant` when its interval lies wholly above 0; `best_sure` when every row of the
/// best N is; `shape` for the headline with three or more N: u, unclear, falls or rises).
pub struct BestNCsv;

impl Exporter for BestNCsv {
    fn file_name(&self) -> &'static str {
        "best_n.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = CsvTable::with_params(
            &results.meta.sweep_keys,
            &["seed", "option"],
            &[
                "metric",
                "best_units",
                "best_mean",
                "best_sure",
                "shape",
                "units",
                "n",
                "mean_diff",
                "sd",
                "ci95_low",
                "ci95_high",
                "significant",
            ],
        )?;
        for metric in crate::experiment::which_n::ACROSS_N {
            for best in results.best_n(metric) {
                let shape = match best.shape {
                    Some(Shape::U) => "u",
                    Some(Shape::Unclear) => "unclear",
                    Some(Shape::Falls) => "falls",
                    Some(Shape::Rises) => "rises",
                    None => "",
                };
                for (units, s) in &best.others {
                    let mut row = vec![results.meta.seed.to_string(), best.option.to_string()];
                    row.extend(point_values(results, best.point));
                    row.extend([
                        metric.name().to_string(),
                        best.units.to_string(),
                        number(best.mean),
                        best.sure.to_string(),
                        shape.to_string(),
                        units.to_string(),
                        s.n.to_string(),
                    ]);
                    row.extend([s.mean, s.sd, s.ci_low, s.ci_high].map(number));
                    row.push((s.ci_low > 0.0).to_string());
                    table.row(&row)?;
                }
            }
        }
        table.finish()
    }
}

/// Why the leader leads: `seed, units, param_<key>..., leader, runner_up, metric, part, group,
/// n, mean, ci95_low, ci95_high`, for each N and sweep point with two or more options, one row
/// per part of the headline: the paired difference runner-up minus leader of `metric` (a cost
/// component, an undone-work part, leverage savings with their sign reversed, or choice),
/// turned into GBP per head per year, positive where the part favours the leader; then a row
/// `net_cost_per_head` (part `margin`) with the margin itself, which the parts add up to.
pub struct LeadPartsCsv;

impl Exporter for LeadPartsCsv {
    fn file_name(&self) -> &'static str {
        "lead_parts.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = CsvTable::with_params(
            &results.meta.sweep_keys,
            &["seed", "units"],
            &[
                "leader",
                "runner_up",
                "metric",
                "part",
                "group",
                "n",
                "mean",
                "ci95_low",
                "ci95_high",
            ],
        )?;
        for e in explain::explanations(results) {
            let rows = e
                .parts
                .iter()
                .map(|p| {
                    let group = PART_GROUPS
                        .iter()
                        .find(|(_, members)| members.contains(&p.part.metric))
                        .map_or("", |(label, _)| *label);
                    (p.part.metric.name(), p.part.label, group, p.difference)
                })
                .chain(std::iter::once((Metric::HEADLINE.name(), "margin", "margin", e.margin)));
            for (metric, part, group, d) in rows {
                let mut row = vec![results.meta.seed.to_string(), e.units.to_string()];
                row.extend(point_values(results, e.point));
                row.extend([e.leader.to_string(), e.runner_up.to_string()]);
                row.extend([metric, part, group].map(String::from));
                row.push(d.n.to_string());
                row.extend([d.mean, d.low, d.high].map(number));
                table.row(&row)?;
            }
        }
        table.finish()
    }
}

/// Returns the swept values of a sweep point, as CSV fields.
fn point_values(results: &ExperimentResults, point: usize) -> Vec<String> {
    results
        .cells
        .iter()
        .find(|c| c.point == point)
        .map(|c| c.point_values.iter().map(|(_, v)| number(*v)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Metric, N_METRICS, Outcome};
    use crate::output::fixture::{outcome as outcome_of, rows_of, scenario};

    /// An outcome whose four compared metrics are all `value`, every other metric undefined.
    fn outcome(value: f64) -> Outcome {
        let set: Vec<(Metric, f64)> = crate::experiment::compare::COMPARED
            .iter()
            .map(|&m| (m, value))
            .collect();
        outcome_of(&set, f64::NAN)
    }

    /// National and hubs at N = 10 (seed 7), fed hand-made headlines per replication.
    fn results_of(replications: &[[f64; 2]]) -> ExperimentResults {
        let mut results = started("options = [\"national\", \"hubs\"]\nunits = [10]\n");
        for pair in replications {
            results.add_replication(&pair.map(outcome));
        }
        results
    }

    /// The empty results of the scenario `text` at seed 7 on the built-in register.
    fn started(text: &str) -> ExperimentResults {
        crate::output::fixture::started(&scenario(text, "t"))
    }

    /// Asserts that the fields of `row` from `first` on read as `want`, to 1e-9.
    fn assert_figures(row: &[String], first: usize, want: &[f64]) {
        for (i, want) in want.iter().enumerate() {
            let got: f64 = row[first + i].parse().unwrap_or(f64::NAN);
            assert!(
                (got - want).abs() < 1e-9,
                "column {}: {got} against {want} in {row:?}",
                first + i
            );
        }
    }

    /// Half-width of a 95% interval of three values with sd 1: t(0.975, 2) / sqrt 3.
    const HALF_SD1_N3: f64 = 4.302_652_729_749_464 / 1.732_050_807_568_877_2;

    /// Hubs at N = 10, 23 and 35 with headlines (12, 14, 16), (10, 11, 12) and (11, 10, 15):
    /// means 14, 11 and 12, so N = 23 is best. N = 10 less N = 23 is 2, 3, 4 (mean 3, sd 1,
    /// 3 +- 2.484138, above 0: significant); N = 35 less N = 23 is 1, -1, 3 (mean 1, sd 2,
    /// 1 +- 4.968276, across 0: not), so the best N is not sure and, with an end not surely
    /// dearer, its shape is unclear. The unmet share, fed the same values, reads the same.
    #[test]
    fn best_n_csv_sets_each_other_n_against_the_best() {
        let mut results = started("options = [\"hubs\"]\nunits = [10, 23, 35]\n");
        for values in [[12.0, 10.0, 11.0], [14.0, 11.0, 10.0], [16.0, 12.0, 15.0]] {
            results.add_replication(&values.map(outcome));
        }
        let rows = rows_of(&BestNCsv.serialize(&results).unwrap());
        assert_eq!(
            rows[0].join(","),
            "seed,option,metric,best_units,best_mean,best_sure,shape,units,n,mean_diff,sd,ci95_low,ci95_high,significant"
        );
        assert_eq!(rows.len(), 1 + 2 * 2, "two other N for each of two metrics");
        for (metric, pair) in [("net_cost_per_head", &rows[1..3]), ("unmet_share", &rows[3..5])] {
            for row in pair {
                assert_eq!(row[..7], ["7", "hubs", metric, "23", "11", "false", "unclear"]);
            }
            assert_eq!(pair[0][7..9], ["10", "3"]);
            assert_figures(&pair[0], 9, &[3.0, 1.0, 3.0 - HALF_SD1_N3, 3.0 + HALF_SD1_N3]);
            assert_eq!(pair[0][13], "true");
            assert_eq!(pair[1][7..9], ["35", "3"]);
            assert_figures(
                &pair[1],
                9,
                &[1.0, 2.0, 1.0 - 2.0 * HALF_SD1_N3, 1.0 + 2.0 * HALF_SD1_N3],
            );
            assert_eq!(pair[1][13], "false");
        }
        // N = 35 less N = 23 of 2, 3, 4 as well: both ends surely dearer, the means falling to
        // N = 23 and rising after it: sure, and a U.
        let mut results = started("options = [\"hubs\"]\nunits = [10, 23, 35]\n");
        for values in [[12.0, 10.0, 12.0], [14.0, 11.0, 14.0], [16.0, 12.0, 16.0]] {
            results.add_replication(&values.map(outcome));
        }
        let rows = rows_of(&BestNCsv.serialize(&results).unwrap());
        assert!(rows[1..].iter().all(|r| r[5..7] == ["true", "u"]), "{rows:?}");
    }

    /// National at N = 10 costs 5, 6, 7 a head in units and saves 1 a head by leverage
    /// (headline 4, 5, 6); hubs costs 8 a head in units (headline 8). National leads: the margin
    /// is 4, 3, 2 (mean 3, sd 1); units' part 3, 2, 1 (mean 2, sd 1); leverage's part +1 each
    /// time (saved by the leader, so in its favour); every other part 0; the parts add to 3.
    #[test]
    fn lead_parts_csv_splits_the_margin_into_its_parts() {
        let mut results = started("options = [\"national\", \"hubs\"]\nunits = [10]\n");
        let gbp_m = results.meta.population / 1e6;
        let priced = |units: f64, saved: f64| {
            let set = [
                (Metric::CostUnits, units * gbp_m),
                (Metric::SavingsLeverage, saved * gbp_m),
                (Metric::HEADLINE, units - saved),
            ];
            outcome_of(&set, 0.0)
        };
        for units in [5.0, 6.0, 7.0] {
            results.add_replication(&[priced(units, 1.0), priced(8.0, 0.0)]);
        }
        let rows = rows_of(&LeadPartsCsv.serialize(&results).unwrap());
        assert_eq!(
            rows[0].join(","),
            "seed,units,leader,runner_up,metric,part,group,n,mean,ci95_low,ci95_high"
        );
        assert_eq!(
            rows.len(),
            1 + 15 + 1,
            "ten cost components, five value parts, the margin"
        );
        for row in &rows[1..] {
            assert_eq!(row[..4], ["7", "10", "national", "hubs"]);
            assert_eq!(row[7], "3");
        }
        let find = |metric: &str| rows.iter().find(|r| r[4] == metric).unwrap();
        let units = find("cost_units_m");
        assert_eq!(units[5..7], ["units", "units' running costs"]);
        assert_figures(units, 8, &[2.0, 2.0 - HALF_SD1_N3, 2.0 + HALF_SD1_N3]);
        let leverage = find("savings_leverage_m");
        assert_eq!(leverage[5..7], ["negotiating leverage", "negotiating leverage"]);
        assert_figures(leverage, 8, &[1.0, 1.0, 1.0]);
        let margin = rows.last().unwrap();
        assert_eq!(margin[4..7], ["net_cost_per_head", "margin", "margin"]);
        assert_figures(margin, 8, &[3.0, 3.0 - HALF_SD1_N3, 3.0 + HALF_SD1_N3]);
        let zero: Vec<_> = rows[1..16]
            .iter()
            .filter(|r| r[4] != "cost_units_m" && r[4] != "savings_leverage_m")
            .collect();
        assert_eq!(zero.len(), 13);
        for row in zero {
            assert_figures(row, 8, &[0.0, 0.0, 0.0]);
        }
        let unmet = find("cost_unmet_at_private_m");
        assert_eq!(unmet[5..7], ["unmet work at private price", "undone work"]);
    }

    /// The facts check of hubs at N = 23 ([`crate::output::fixture::facts_results`]): each
    /// model figure is its metric's mean (CCGs per unit: the register's CCGs over the units
    /// serving), in its unit, against its band; GBP 700 m is outside "at most GBP 670 m", the
    /// rest inside.
    #[test]
    fn facts_csv_sets_each_figure_beside_its_band() {
        let results = crate::output::fixture::facts_results();
        let text = String::from_utf8(FactsCsv.serialize(&results).unwrap()).unwrap();
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        // model_figure, unit, mean, band, inside.
        let want = [
            ("cost per head", "GBP/head/year", 9.0, "GBP 5 to GBP 15", "inside"),
            ("total cost a year", "GBP m/year", 700.0, "at most GBP 670 m", "outside"),
            (
                "share of CCGs paying more than their budget",
                "share of 1",
                0.12,
                "6% to 20%",
                "inside",
            ),
            (
                "share of work done in-house",
                "share of 1",
                0.32,
                "20% to 40%",
                "inside",
            ),
            (
                "share of work done privately",
                "share of 1",
                0.06,
                "at least 5%",
                "inside",
            ),
            (
                "CCGs in the register per unit serving",
                "number",
                10.0,
                "8 to 18",
                "inside",
            ),
            (
                "units failing the checkpoint (of 23)",
                "number",
                3.0,
                "1 to 6",
                "inside",
            ),
        ];
        assert_eq!(rows.len(), want.len());
        for (row, (figure, unit, mean, band, inside)) in rows.iter().zip(want) {
            assert_eq!(row[..3], ["7", "hubs", "23"]);
            assert_eq!((row[5].as_str(), row[6].as_str()), (figure, unit));
            let got: f64 = row[7].parse().unwrap();
            assert!((got - mean).abs() < 1e-9, "{figure}: {got}");
            assert_eq!((row[12].as_str(), row[13].as_str()), (band, inside), "{figure}");
        }
    }

    /// National is 1 below hubs in each of three replications: every compared metric's paired
    /// difference is -1 with sd 0, an interval of exactly [-1, -1], so significant.
    #[test]
    fn comparisons_csv_holds_each_paired_difference() {
        let results = results_of(&[[9.0, 10.0], [10.0, 11.0], [11.0, 12.0]]);
        let text = String::from_utf8(ComparisonsCsv.serialize(&results).unwrap()).unwrap();
        let row = |metric: &str| format!("7,10,national,hubs,{metric},3,-1,0,-1,-1,true\n");
        assert_eq!(
            text,
            format!(
                "seed,units,option_a,option_b,metric,n,mean_diff,sd,ci95_low,ci95_high,significant\n{}{}{}{}",
                row("net_cost_per_head"),
                row("cost_per_head_incl_unmet"),
                row("cost_per_head"),
                row("unmet_share")
            )
        );
        // Differences -1, +1, 0: mean 0, an interval across zero, not significant.
        let across = results_of(&[[9.0, 10.0], [11.0, 10.0], [10.0, 10.0]]);
        let text = String::from_utf8(ComparisonsCsv.serialize(&across).unwrap()).unwrap();
        assert!(text.lines().skip(1).all(|line| line.ends_with(",false")), "{text}");
    }

    /// National's headline 9, 10, 11: mean 10, sd 1, a 95% interval of 10 +- t(0.975, 2) / sqrt 3
    /// (t = 4.302653, so +- 2.484138), type-7 percentiles 9.1, 10 and 10.9; the metrics left
    /// undefined have n 0 and three undefined.
    #[test]
    fn summary_csv_holds_each_metric_of_each_cell() {
        let results = results_of(&[[9.0, 1.0], [10.0, 1.0], [11.0, 1.0]]);
        let text = String::from_utf8(SummaryCsv.serialize(&results).unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("seed,option,units,metric,n,undefined,mean,sd,ci95_low,ci95_high,p5,p50,p95")
        );
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        assert_eq!(rows.len(), 2 * N_METRICS, "a row per cell and metric");
        let headline = rows
            .iter()
            .find(|r| r[1] == "national" && r[3] == "net_cost_per_head")
            .unwrap();
        assert_eq!(headline[..6], ["7", "national", "10", "net_cost_per_head", "3", "0"]);
        let value = |i: usize| headline[i].parse::<f64>().unwrap();
        let half = 4.302_652_729_749_464 / 3f64.sqrt();
        for (i, want) in [
            (6, 10.0),
            (7, 1.0),
            (8, 10.0 - half),
            (9, 10.0 + half),
            (10, 9.1),
            (11, 10.0),
            (12, 10.9),
        ] {
            assert!(
                (value(i) - want).abs() < 1e-9,
                "column {i}: {} against {want}",
                headline[i]
            );
        }
        let undefined = rows.iter().find(|r| r[1] == "hubs" && r[3] == "cost_total_m").unwrap();
        assert_eq!(undefined[4..], ["0", "3", "", "", "", "", "", "", ""]);
    }

    /// A fixed-schema table: the header is the struct's fields, figures print as every other
    /// table prints them (no exponent, empty when undefined), absent options empty, text with
    /// a comma quoted; with no rows, the header alone.
    #[test]
    fn a_fixed_schema_table_writes_its_fields_in_order() {
        #[derive(Default, Serialize)]
        struct Row {
            name: &'static str,
            n: usize,
            share: Figure,
            low: Option<Figure>,
            sure: bool,
        }
        let rows = [
            Row {
                name: "a, b",
                n: 3,
                share: Figure(1e-7),
                low: Some(Figure(-0.5)),
                sure: true,
            },
            Row {
                name: "c",
                n: 0,
                share: Figure(f64::NAN),
                low: None,
                sure: false,
            },
        ];
        let text = CsvTable::from_rows(rows).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "name,n,share,low,sure\n\"a, b\",3,0.0000001,-0.5,true\nc,0,,,false\n"
        );
        let empty = CsvTable::from_rows(Vec::<Row>::new()).unwrap();
        assert_eq!(empty, b"name,n,share,low,sure\n");
    }

    /// The header is the leading columns, a `param_<key>` column per swept key, then the rest;
    /// rows follow, a field holding a comma or a quote quoted (RFC 4180).
    #[test]
    fn a_table_has_its_swept_keys_between_lead_and_tail() {
        let keys = ["risk.p_weak".to_string(), "units".to_string()];
        let mut table = CsvTable::with_params(&keys, &["seed", "option"], &["metric", "mean"]).unwrap();
        table.row(["1", "hubs", "0.1", "23", "unmet_share", "0.5"]).unwrap();
        table.row(["1", "a, \"b\"", "0.3", "10", "x", ""]).unwrap();
        let text = String::from_utf8(table.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "seed,option,param_risk.p_weak,param_units,metric,mean\n\
             1,hubs,0.1,23,unmet_share,0.5\n\
             1,\"a, \"\"b\"\"\",0.3,10,x,\n"
        );
        let bare = CsvTable::with_params(&[], &["seed"], &["n"]).unwrap().finish().unwrap();
        assert_eq!(bare, b"seed,n\n");
    }
}
