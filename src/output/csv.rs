//! The CSV tables: `summary.csv` (one row per cell and metric, long format), `comparisons.csv`
//! and `facts.csv`.

use super::{Exporter, OutputError, number};
use crate::experiment::ExperimentResults;
use crate::experiment::findings;
use crate::model::Metric;
use crate::model::OptionKind;

/// The summary table: `seed, option, units, param_<key>..., metric, n, undefined,
/// mean, sd, ci95_low, ci95_high, p5, p50, p95`.
pub struct SummaryCsv;

/// Returns the `param_<key>` column names of the swept keys.
pub fn param_columns(results: &ExperimentResults) -> Vec<String> {
    results.meta.sweep_keys.iter().map(|k| format!("param_{k}")).collect()
}

impl Exporter for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = ["seed", "option", "units"].map(String::from).to_vec();
        header.extend(param_columns(results));
        header.extend(
            [
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
            ]
            .map(String::from),
        );
        writer.write_record(&header)?;
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
                writer.write_record(&row)?;
            }
        }
        writer.into_inner().map_err(|e| OutputError::Csv(e.into_error().into()))
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
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = ["seed", "units"].map(String::from).to_vec();
        header.extend(param_columns(results));
        header.extend(
            [
                "option_a",
                "option_b",
                "metric",
                "n",
                "mean_diff",
                "sd",
                "ci95_low",
                "ci95_high",
                "significant",
            ]
            .map(String::from),
        );
        writer.write_record(&header)?;
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
            writer.write_record(&row)?;
        }
        writer.into_inner().map_err(|e| OutputError::Csv(e.into_error().into()))
    }
}

/// The facts check of docs/model.md section 8b: `seed, option, units, param_<key>...,
/// fact, source, model_figure, mean, ci95_low, ci95_high, band_low, band_high, band, inside`
/// (an open end of a band is empty; `inside` says whether the mean falls in the band).
pub struct FactsCsv;

impl Exporter for FactsCsv {
    fn file_name(&self) -> &'static str {
        "facts.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut writer = ::csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = ["seed", "option", "units"].map(String::from).to_vec();
        header.extend(param_columns(results));
        header.extend(
            [
                "fact",
                "source",
                "model_figure",
                "mean",
                "ci95_low",
                "ci95_high",
                "band_low",
                "band_high",
                "band",
                "inside",
            ]
            .map(String::from),
        );
        writer.write_record(&header)?;
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
                row.extend([line.fact, line.source, line.figure].map(String::from));
                row.extend([line.mean, line.ci.0, line.ci.1].map(number));
                row.extend([line.band.0, line.band.1].map(finite));
                row.push(line.band_text());
                row.push(if line.inside() { "inside" } else { "outside" }.to_string());
                writer.write_record(&row)?;
            }
        }
        writer.into_inner().map_err(|e| OutputError::Csv(e.into_error().into()))
    }
}
