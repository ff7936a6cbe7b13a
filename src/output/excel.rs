//! `results.xlsx`: the run for people who brief from Excel.
//!
//! Sheets: `Summary` (one row per cell, every metric's mean, the headline's interval, units in
//! the headers, shown rounded but stored whole), `Verdict`, `Comparisons`, `Which N`, `Lead
//! parts` and `Facts` (the rows of comparisons.csv, best_n.csv, lead_parts.csv and facts.csv;
//! `Which N` when an option was run at two or more N, `Lead parts` with two or more options), `Dictionary` (every metric: meaning, unit, where the
//! model defines it) and `Charts` (native Excel charts of the headline against N and of the
//! cost breakdown, drawn from a data block on the same sheet).

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartMarker, ChartMarkerType, ChartType, DocProperties, ExcelDateTime, Format, Workbook,
    Worksheet, XlsxError,
};

use super::chart::cost_segments;
use super::{ComparisonsCsv, Exporter, FactsCsv, OutputError};
use crate::experiment::{ExperimentResults, Leader};
use crate::model::{Metric, OptionKind};

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

/// The Excel number format for a unit: money in GBP m to one decimal, per head to pence,
/// shares as per cent.
fn number_format(unit: &str) -> &'static str {
    match unit {
        "GBP m/year" => "#,##0.0",
        "GBP/head/year" => "0.00",
        "share of 1" => "0.0%",
        _ => "#,##0.0",
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
        csv_sheet(
            workbook.add_worksheet(),
            "Comparisons",
            &ComparisonsCsv.serialize(results)?,
            &bold,
        )?;
        if !results.across_n.ladders.is_empty() {
            csv_sheet(
                workbook.add_worksheet(),
                "Which N",
                &super::BestNCsv.serialize(results)?,
                &bold,
            )?;
        }
        if !results.groups.iter().all(|g| g.2.len() < 2) {
            csv_sheet(
                workbook.add_worksheet(),
                "Lead parts",
                &super::LeadPartsCsv.serialize(results)?,
                &bold,
            )?;
        }
        csv_sheet(workbook.add_worksheet(), "Facts", &FactsCsv.serialize(results)?, &bold)?;
        if results.cells.iter().any(|cell| cell.places.is_some()) {
            csv_sheet(
                workbook.add_worksheet(),
                "Regions",
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

fn summary_sheet(sheet: &mut Worksheet, results: &ExperimentResults, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    let mut headers: Vec<String> = vec!["option".into(), "N".into()];
    headers.extend(results.meta.sweep_keys.iter().cloned());
    headers.push("replications".into());
    let headline = format!("{} ({})", Metric::HEADLINE.name(), metric_unit(Metric::HEADLINE));
    headers.extend([format!("{headline} 95% CI low"), format!("{headline} 95% CI high")]);
    let first_metric = headers.len() as u16;
    headers.extend(
        Metric::ALL
            .iter()
            .map(|&m| format!("{} ({})", m.name(), metric_unit(m))),
    );
    sheet.write_row_with_format(0, 0, &headers, bold)?;
    let plain = Format::new();
    let two = Format::new().set_num_format("0.00");
    for (idx, cell) in results.cells.iter().enumerate() {
        let row = idx as u32 + 1;
        sheet.write_string(row, 0, cell.option.to_string())?;
        sheet.write_number(row, 1, cell.units as f64)?;
        let mut col = 2;
        for (_, value) in &cell.point_values {
            put(sheet, row, col, *value, &plain)?;
            col += 1;
        }
        let headline = cell.summary(Metric::HEADLINE);
        sheet.write_number(row, col, headline.n as f64)?;
        put(sheet, row, col + 1, headline.ci_low, &two)?;
        put(sheet, row, col + 2, headline.ci_high, &two)?;
        for (offset, &metric) in Metric::ALL.iter().enumerate() {
            let format = Format::new().set_num_format(number_format(metric_unit(metric)));
            put(
                sheet,
                row,
                first_metric + offset as u16,
                cell.summary(metric).mean,
                &format,
            )?;
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_column_width(0, 12)?;
    Ok(())
}

fn verdict_sheet(sheet: &mut Worksheet, results: &ExperimentResults, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Verdict")?;
    let mut headers: Vec<String> = vec!["N".into()];
    headers.extend(results.meta.sweep_keys.iter().cloned());
    headers.extend(
        [
            "cheapest (net GBP/head/year)",
            "net GBP/head/year",
            "lead over runner-up, GBP/head",
            "95% CI low",
            "95% CI high",
            "runner-up",
            "significant",
            "least unmet",
            "unmet, share of demand",
            "lead, share of demand",
            "95% CI low",
            "95% CI high",
            "runner-up",
            "significant",
        ]
        .map(String::from),
    );
    sheet.write_row_with_format(0, 0, &headers, bold)?;
    let two = Format::new().set_num_format("0.00");
    let share = Format::new().set_num_format("0.00%");
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
        for (leader, format) in [(&verdict.cheapest, &two), (&verdict.least_unmet, &share)] {
            leader_cells(sheet, row, col, leader.as_ref(), format)?;
            col += 7;
        }
    }
    sheet.set_column_width(1, 14)?;
    Ok(())
}

/// A leader's seven cells: option, value, lead and its interval, runner-up, significance.
fn leader_cells(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    leader: Option<&Leader>,
    format: &Format,
) -> Result<(), XlsxError> {
    let Some(leader) = leader else {
        return Ok(());
    };
    sheet.write_string(row, col, leader.option.to_string())?;
    put(sheet, row, col + 1, leader.mean, format)?;
    if let Some((runner_up, mean, low, high)) = leader.margin(1.0) {
        put(sheet, row, col + 2, mean, format)?;
        put(sheet, row, col + 3, low, format)?;
        put(sheet, row, col + 4, high, format)?;
        sheet.write_string(row, col + 5, runner_up.to_string())?;
    }
    sheet.write_boolean(row, col + 6, leader.significant)?;
    Ok(())
}

/// A sheet holding a CSV's rows: numbers as numbers, the rest as text.
fn csv_sheet(sheet: &mut Worksheet, name: &str, csv: &[u8], bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).from_reader(csv);
    for (row, record) in reader.records().filter_map(Result::ok).enumerate() {
        for (col, field) in record.iter().enumerate() {
            let (row, col) = (row as u32, col as u16);
            match field.parse::<f64>() {
                Ok(value) if row > 0 && value.is_finite() => {
                    sheet.write_number(row, col, value)?;
                }
                _ if row == 0 => {
                    sheet.write_string_with_format(row, col, field, bold)?;
                }
                _ if field.is_empty() => {}
                _ => {
                    sheet.write_string(row, col, field)?;
                }
            }
        }
    }
    Ok(())
}

fn dictionary_sheet(sheet: &mut Worksheet, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Dictionary")?;
    sheet.write_row_with_format(0, 0, ["metric", "meaning", "unit", "defined in"], bold)?;
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
            [metric.name(), metric.description(), metric_unit(metric), section],
        )?;
    }
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 90)?;
    sheet.set_column_width(2, 14)?;
    Ok(())
}

/// Native charts over a data block on the same sheet (the first sweep point): the headline
/// against N, a line per option; and the cost components per option and N, stacked.
fn charts_sheet(sheet: &mut Worksheet, results: &ExperimentResults, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name("Charts")?;
    let mut units: Vec<usize> = results.cells.iter().map(|c| c.units).collect();
    units.sort_unstable();
    units.dedup();
    let options: Vec<OptionKind> = OptionKind::ALL
        .into_iter()
        .filter(|o| results.cells.iter().any(|c| c.option == *o))
        .collect();
    let at = |option: OptionKind, n: usize| {
        results
            .cells
            .iter()
            .find(|c| c.point == 0 && c.option == option && c.units == n)
    };
    // Block 1, from row 0: N, then each option's headline.
    sheet.write_string_with_format(0, 0, "N", bold)?;
    for (j, option) in options.iter().enumerate() {
        sheet.write_string_with_format(0, j as u16 + 1, option.to_string(), bold)?;
    }
    for (i, &n) in units.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, n as f64)?;
        for (j, &option) in options.iter().enumerate() {
            if let Some(cell) = at(option, n) {
                put(
                    sheet,
                    row,
                    j as u16 + 1,
                    cell.summary(Metric::HEADLINE).mean,
                    &Format::new(),
                )?;
            }
        }
    }
    let last = units.len() as u32;
    let mut line = Chart::new(ChartType::Line);
    for j in 0..options.len() {
        let col = j as u16 + 1;
        line.add_series()
            .set_name(("Charts", 0, col))
            .set_categories(("Charts", 1, 0, last, 0))
            .set_values(("Charts", 1, col, last, col));
    }
    line.title()
        .set_name("Net cost per head (incl. undone work) by number of units");
    line.x_axis().set_name("Number of units N");
    line.y_axis().set_name("GBP per head per year (mean)");
    // Block 2, below: a row per option and N, the headline's parts per head (as in the
    // cost-breakdown chart), the leverage as a negative, and the headline they sum to.
    let start = last + 3;
    let headers: Vec<&str> = Metric::COST_COMPONENTS
        .iter()
        .map(|(_, label)| *label)
        .chain(["undone work", "overridden choice", "less leverage", "headline"])
        .collect();
    sheet.write_string_with_format(start, 0, "option and N", bold)?;
    for (k, label) in headers.iter().enumerate() {
        sheet.write_string_with_format(start, k as u16 + 1, *label, bold)?;
    }
    let mut row = start;
    for &option in &options {
        for &n in &units {
            let Some(cell) = at(option, n) else { continue };
            row += 1;
            sheet.write_string(row, 0, format!("{option} {n}"))?;
            let (parts, saved) = cost_segments(cell, results.meta.population);
            let values = parts.into_iter().chain([-saved, cell.summary(Metric::HEADLINE).mean]);
            for (k, value) in values.enumerate() {
                put(sheet, row, k as u16 + 1, value, &Format::new())?;
            }
        }
    }
    let headline_col = headers.len() as u16;
    let mut stacked = Chart::new(ChartType::ColumnStacked);
    for col in 1..headline_col {
        stacked
            .add_series()
            .set_name(("Charts", start, col))
            .set_categories(("Charts", start + 1, 0, row, 0))
            .set_values(("Charts", start + 1, col, row, col));
    }
    // The headline as a marker over each bar: where the parts less the leverage end.
    let mut net = Chart::new(ChartType::Line);
    net.add_series()
        .set_name(("Charts", start, headline_col))
        .set_categories(("Charts", start + 1, 0, row, 0))
        .set_values(("Charts", start + 1, headline_col, row, headline_col))
        .set_format(ChartFormat::new().set_no_line())
        .set_marker(ChartMarker::new().set_type(ChartMarkerType::Diamond).set_size(9));
    stacked.combine(&net);
    stacked
        .title()
        .set_name("Net cost per head by component (diamond = the headline)");
    stacked.x_axis().set_name("Option and N");
    stacked.y_axis().set_name("GBP per head per year (mean)");
    sheet.insert_chart(0, 14, &line)?;
    sheet.insert_chart(22, 14, &stacked)?;
    Ok(())
}
