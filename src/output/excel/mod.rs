//! `results.xlsx`: the run for people who brief from Excel.
//!
//! Sheets: `Summary` (a row per cell: the headline first with its 95% interval after it,
//! then every other metric's mean), `Verdict`, `Comparisons`, `Which N`, `Lead parts`,
//! `Facts` and `Regions` (the rows of comparisons.csv, best_n.csv, lead_parts.csv, facts.csv
//! and regions.csv; `Which N` when an option was run at two or more N, `Lead parts` with two
//! or more options, `Regions` with a register), `Dictionary` (every metric: its name in the
//! CSV files, its header here, meaning, unit, where the model defines it) and `Charts`
//! (native charts: the headline against N and the cost breakdown). Headers are in words with
//! units; shares show as percentages, the ends of their intervals clipped to 0-100%; every
//! figure is shown to the decimals its interval supports and stored whole; flags are booleans.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{ComparisonsCsv, Exporter, FactsCsv, OutputError};
use crate::experiment::{ExperimentResults, Leader};
use crate::model::Metric;
use crate::stats::{Summary, supported_decimals};
use charts::charts_sheet;
use tables::table_sheet;

mod charts;
mod tables;

/// The workbook exporter.
pub struct ExcelWorkbook;

impl From<XlsxError> for OutputError {
    fn from(err: XlsxError) -> OutputError {
        OutputError::Workbook(err.to_string())
    }
}

/// A metric's unit, as the Summary sheet's headers and the Dictionary give it.
pub fn metric_unit(metric: Metric) -> &'static str {
    let name = metric.name();
    if name.ends_with("_m") {
        "GBP m/year"
    } else if name.contains("per_head") {
        "GBP/head/year"
    } else if name.contains("share") || name.starts_with("utilisation") || name == "preference_overridden" {
        "share of 1"
    } else if name == "distance_km_mean" {
        "km"
    } else if name == "months_to_contract_mean" {
        "months"
    } else if name == "uncontracted_at_go_live" {
        "CCGs"
    } else if name == "units_serving_mean" || name.starts_with("failures") {
        "units"
    } else {
        "events"
    }
}

impl Exporter for ExcelWorkbook {
    fn file_name(&self) -> &'static str {
        "results.xlsx"
    }

    fn serialize(&self, results: &ExperimentResults) -> Result<Vec<u8>, OutputError> {
        let mut workbook = Workbook::new();
        // A fixed creation date (the model's month 0), not the clock: the same results give
        // the same file, whatever the machine or the threads, and merged shards too.
        let created = ExcelDateTime::from_ymd(2012, 10, 1)?;
        workbook.set_properties(
            &DocProperties::new()
                .set_title(format!("csu-sim results: {}", results.meta.scenario))
                .set_creation_datetime(&created),
        );
        let bold = Format::new().set_bold();
        summary_sheet(workbook.add_worksheet(), results, &bold)?;
        verdict_sheet(workbook.add_worksheet(), results, &bold)?;
        table_sheet(
            workbook.add_worksheet(),
            &tables::COMPARISONS,
            &ComparisonsCsv.serialize(results)?,
            &bold,
        )?;
        if !results.across_n.ladders.is_empty() {
            table_sheet(
                workbook.add_worksheet(),
                &tables::WHICH_N,
                &super::BestNCsv.serialize(results)?,
                &bold,
            )?;
        }
        if !results.groups.iter().all(|g| g.2.len() < 2) {
            table_sheet(
                workbook.add_worksheet(),
                &tables::LEAD_PARTS,
                &super::LeadPartsCsv.serialize(results)?,
                &bold,
            )?;
        }
        table_sheet(
            workbook.add_worksheet(),
            &tables::FACTS,
            &FactsCsv.serialize(results)?,
            &bold,
        )?;
        if results.cells.iter().any(|cell| cell.places.is_some()) {
            table_sheet(
                workbook.add_worksheet(),
                &tables::REGIONS,
                &super::RegionsCsv.serialize(results)?,
                &bold,
            )?;
        }
        dictionary_sheet(workbook.add_worksheet(), &bold)?;
        charts_sheet(workbook.add_worksheet(), results, &bold)?;
        Ok(workbook.save_to_buffer()?)
    }
}

/// Writes a number, or leaves the cell empty where it is undefined.
fn put(sheet: &mut Worksheet, row: u32, col: u16, value: f64, format: &Format) -> Result<(), XlsxError> {
    if value.is_finite() {
        sheet.write_number_with_format(row, col, value, format)?;
    }
    Ok(())
}

/// A unit as the CSV files name it, in words, and whether it is a share (a fraction, shown
/// as a percentage).
fn unit_in_words(unit: &str) -> (&str, bool) {
    match unit {
        "GBP m/year" => ("GBP m a year", false),
        "GBP/head/year" => ("GBP a head a year", false),
        "share of 1" => ("%", true),
        other => (other, false),
    }
}

/// How a metric shows in the workbook: its unit in words, and whether it is a share.
fn shown_unit(metric: Metric) -> (&'static str, bool) {
    unit_in_words(metric_unit(metric))
}

/// A metric's header in words with its unit, as the Summary sheet gives it.
pub fn metric_header(metric: Metric) -> String {
    format!("{}, {}", metric.label(), shown_unit(metric).0)
}

/// The number format showing the decimals an interval of half-width `half_width` supports
/// (2 where it has none, at most 4; shares as a percentage, the decimals of the percentage).
fn supported_format(half_width: f64, share: bool) -> Format {
    Format::new().set_num_format(supported_pattern(half_width, share))
}

/// The Excel pattern of [`supported_format`].
fn supported_pattern(half_width: f64, share: bool) -> String {
    let scale = if share { 100.0 } else { 1.0 };
    let decimals = supported_decimals(scale * half_width, 2, 4);
    let places = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(decimals))
    };
    if share {
        format!("0{places}%")
    } else {
        format!("#,##0{places}")
    }
}

/// The Summary: a row per cell; the headline first, with its 95% interval after it, then the
/// replications and every other metric's mean, headers in words with units, each to the
/// decimals its own interval supports.
fn summary_sheet(sheet: &mut Worksheet, results: &ExperimentResults, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    let mut headers: Vec<String> = vec!["option".into(), "N".into()];
    headers.extend(results.meta.sweep_keys.iter().cloned());
    headers.extend([
        metric_header(Metric::HEADLINE),
        "95% CI low".to_string(),
        "95% CI high".to_string(),
        "replications".to_string(),
    ]);
    let others: Vec<Metric> = Metric::ALL.iter().copied().filter(|&m| m != Metric::HEADLINE).collect();
    headers.extend(others.iter().map(|&m| metric_header(m)));
    sheet.write_row_with_format(0, 0, &headers, bold)?;
    for (idx, cell) in results.cells.iter().enumerate() {
        let row = idx as u32 + 1;
        sheet.write_string(row, 0, cell.option.to_string())?;
        sheet.write_number(row, 1, cell.units as f64)?;
        let mut col = 2;
        for (_, value) in &cell.point_values {
            put(sheet, row, col, *value, &Format::new())?;
            col += 1;
        }
        let headline = cell.summary(Metric::HEADLINE);
        let format = supported_format(half_width(&headline), false);
        for value in [headline.mean, headline.ci_low, headline.ci_high] {
            put(sheet, row, col, value, &format)?;
            col += 1;
        }
        sheet.write_number(row, col, headline.n as f64)?;
        col += 1;
        for &metric in &others {
            let summary = cell.summary(metric);
            let format = supported_format(half_width(&summary), shown_unit(metric).1);
            put(sheet, row, col, summary.mean, &format)?;
            col += 1;
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_column_width(0, 12)?;
    Ok(())
}

/// The half-width of a summary's 95% interval (NaN without one).
fn half_width(summary: &Summary) -> f64 {
    (summary.ci_high - summary.ci_low) / 2.0
}

/// The verdict at each N and sweep point: the cheapest option and the one leaving the least
/// work undone, each with its lead over the runner-up, the lead's 95% interval and whether
/// the lead is sure; figures to the decimals the lead's interval supports.
fn verdict_sheet(sheet: &mut Worksheet, results: &ExperimentResults, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Verdict")?;
    let mut headers: Vec<String> = vec!["N".into()];
    headers.extend(results.meta.sweep_keys.iter().cloned());
    let sure = "lead sure (interval excludes 0)";
    headers.extend(
        [
            "cheapest option",
            "its net cost (GBP a head a year)",
            "lead over the runner-up (GBP a head a year)",
            "95% CI low",
            "95% CI high",
            "runner-up",
            sure,
            "option leaving least demand unmet",
            "its unmet demand (% of demand)",
            "lead over the runner-up (% of demand)",
            "95% CI low",
            "95% CI high",
            "runner-up",
            sure,
        ]
        .map(String::from),
    );
    sheet.write_row_with_format(0, 0, &headers, bold)?;
    for (idx, verdict) in results.verdicts().iter().enumerate() {
        let row = idx as u32 + 1;
        sheet.write_number(row, 0, verdict.units as f64)?;
        let mut col = 1;
        if let Some(cell) = results.cells.iter().find(|c| c.point == verdict.point) {
            for (_, value) in &cell.point_values {
                sheet.write_number(row, col, *value)?;
                col += 1;
            }
        }
        for (leader, share) in [(&verdict.cheapest, false), (&verdict.least_unmet, true)] {
            leader_cells(sheet, row, col, leader.as_ref(), share)?;
            col += 7;
        }
    }
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// A leader's seven cells: option, value, lead and its interval, runner-up, whether the lead
/// is sure.
fn leader_cells(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    leader: Option<&Leader>,
    share: bool,
) -> Result<(), XlsxError> {
    let Some(leader) = leader else {
        return Ok(());
    };
    let margin = leader.margin(1.0);
    let half_width = margin.map_or(f64::NAN, |(_, _, low, high)| (high - low) / 2.0);
    let format = supported_format(half_width, share);
    sheet.write_string(row, col, leader.option.to_string())?;
    put(sheet, row, col + 1, leader.mean, &format)?;
    if let Some((runner_up, mean, low, high)) = margin {
        put(sheet, row, col + 2, mean, &format)?;
        put(sheet, row, col + 3, low, &format)?;
        put(sheet, row, col + 4, high, &format)?;
        sheet.write_string(row, col + 5, runner_up.to_string())?;
    }
    sheet.write_boolean(row, col + 6, leader.significant)?;
    Ok(())
}

fn dictionary_sheet(sheet: &mut Worksheet, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Dictionary")?;
    sheet.write_row_with_format(
        0,
        0,
        ["metric", "in the Summary as", "meaning", "unit", "defined in"],
        bold,
    )?;
    for (idx, &metric) in Metric::ALL.iter().enumerate() {
        let row = idx as u32 + 1;
        let section = if metric.name().starts_with("cost_unmet") || metric.name().starts_with("cost_residual") {
            "docs/model.md section 8 (undone work)"
        } else {
            "docs/model.md section 8"
        };
        sheet.write_row(
            row,
            0,
            [
                metric.name(),
                &metric_header(metric),
                metric.description(),
                metric_unit(metric),
                section,
            ],
        )?;
    }
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 44)?;
    sheet.set_column_width(2, 90)?;
    sheet.set_column_width(3, 14)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decimals to the first significant digit of the half-width: 9.58 +- 0.25 shows one,
    /// 466 +- 3 none, a share of +- 0.003 (0.3 points) one decimal of a percentage, +- 0.02
    /// (2 points) none; no interval gives two, and no figure more than four.
    #[test]
    fn a_figure_shows_the_decimals_its_interval_supports() {
        for (half_width, share, pattern) in [
            (0.25, false, "#,##0.0"),
            (3.0, false, "#,##0"),
            (0.05, false, "#,##0.00"),
            (1e-9, false, "#,##0.0000"),
            (f64::NAN, false, "#,##0.00"),
            (0.0, false, "#,##0.00"),
            (0.003, true, "0.0%"),
            (0.02, true, "0%"),
            (f64::NAN, true, "0.00%"),
        ] {
            assert_eq!(supported_pattern(half_width, share), pattern, "+- {half_width}");
        }
    }

    /// Units in words, shares flagged; a metric's header is its label and unit.
    #[test]
    fn headers_give_units_in_words() {
        assert_eq!(unit_in_words("GBP m/year"), ("GBP m a year", false));
        assert_eq!(unit_in_words("GBP/head/year"), ("GBP a head a year", false));
        assert_eq!(unit_in_words("share of 1"), ("%", true));
        assert_eq!(unit_in_words("km"), ("km", false));
        assert_eq!(metric_header(Metric::CostTotal), "Total cost, GBP m a year");
        assert_eq!(metric_header(Metric::UnmetShare), "Unmet demand, %");
    }
}
