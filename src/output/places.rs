//! Results by place: `regions.csv` (each region metric per cell and NHS region) and `units.csv`
//! (each unit of each cell: site, catchment, utilisation, saturation, failures).

use super::csv::CsvTable;
use super::spreadsheet_text;
use super::{Exporter, OutputError, number};
use crate::experiment::places::{N_REGION_METRICS, REGION_METRICS};
use crate::experiment::{CellResult, ExperimentResults};

/// `regions.csv`: `seed, option, units, param_<key>..., region, ccgs, population, metric, unit,
/// n, undefined, mean, ci95_low, ci95_high`.
pub struct RegionsCsv;

/// `units.csv`: one row per unit of every cell.
pub struct UnitsCsv;

/// Returns the `seed, option, units, param_<key>...` columns of a cell's rows.
fn cell_columns(results: &ExperimentResults, cell: &CellResult) -> Vec<String> {
    let mut row = vec![
        results.meta.seed.to_string(),
        cell.option.to_string(),
        cell.units.to_string(),
    ];
    row.extend(cell.point_values.iter().map(|(_, v)| number(*v)));
    row
}

/// Starts a table of cell rows: `seed, option, units, param_<key>...`, then `rest`.
fn cell_table(results: &ExperimentResults, rest: &[&str]) -> Result<CsvTable, OutputError> {
    CsvTable::with_params(&results.meta.sweep_keys, &["seed", "option", "units"], rest)
}

impl Exporter for RegionsCsv {
    fn file_name(&self) -> &'static str {
        "regions.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = cell_table(
            results,
            &[
                "region",
                "ccgs",
                "population",
                "metric",
                "unit",
                "n",
                "undefined",
                "mean",
                "ci95_low",
                "ci95_high",
            ],
        )?;
        let regions = &results.regions;
        let counts: Vec<usize> = (0..regions.names.len())
            .map(|r| regions.of_ccg.iter().filter(|&&of| of == r).count())
            .collect();
        for cell in &results.cells {
            let Some(places) = &cell.places else { continue };
            for (r, accs) in places.regions.iter().enumerate() {
                for (metric, acc) in REGION_METRICS.iter().zip(accs.iter().take(N_REGION_METRICS)) {
                    let mut row = cell_columns(results, cell);
                    let (mean, half) = (acc.mean(), acc.half_width());
                    row.extend([
                        spreadsheet_text(&regions.names[r]),
                        counts[r].to_string(),
                        number(regions.populations[r]),
                        metric.name.to_string(),
                        metric.unit.to_string(),
                        acc.count().to_string(),
                        acc.undefined().to_string(),
                        number(mean),
                        number(mean - half),
                        number(mean + half),
                    ]);
                    table.row(&row)?;
                }
            }
        }
        table.finish()
    }
}

impl Exporter for UnitsCsv {
    fn file_name(&self) -> &'static str {
        "units.csv"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut table = cell_table(
            results,
            &[
                "unit",
                "function",
                "site_code",
                "site_name",
                "region",
                "lat",
                "lon",
                "catchment_population",
                "population_served_mean",
                "utilisation_mean",
                "saturated_months_mean",
                "serving_months_mean",
                "opened_share",
                "failed_checkpoint_share",
                "failed_operating_share",
                "failure_rate",
            ],
        )?;
        for cell in &results.cells {
            let Some(places) = &cell.places else { continue };
            for (u, (site, totals)) in cell.unit_sites.iter().zip(&places.units).enumerate() {
                let ccg = &results.ccgs[site.site];
                let reps = totals.replications as f64;
                let mut row = cell_columns(results, cell);
                row.extend([
                    (u + 1).to_string(),
                    site.function.map_or("all", |f| f.key()).to_string(),
                    spreadsheet_text(&ccg.code),
                    spreadsheet_text(&ccg.name),
                    spreadsheet_text(ccg.region.as_deref().unwrap_or_default()),
                    number(ccg.lat),
                    number(ccg.lon),
                    number(site.catchment),
                    number(totals.population_served_mean()),
                    number(totals.utilisation_mean()),
                    number(totals.saturated_months_mean()),
                    number(totals.serving_months_mean()),
                    number(totals.opened as f64 / reps),
                    number(totals.failed_checkpoint as f64 / reps),
                    number(totals.failed_operating as f64 / reps),
                    number(totals.failure_rate()),
                ]);
                table.row(&row)?;
            }
        }
        table.finish()
    }
}
