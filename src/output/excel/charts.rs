//! The `Charts` sheet: native Excel charts drawn from data blocks on the same sheet (the first
//! sweep point): the headline against N, a line per option, and the headline's parts per
//! option and N, stacked, with the headline as a marker where the parts less the leverage end.

use rust_xlsxwriter::{Chart, ChartFormat, ChartMarker, ChartMarkerType, ChartType, Format, Worksheet, XlsxError};

use super::{half_width, put, supported_format};
use crate::experiment::{CellResult, ExperimentResults};
use crate::model::{Metric, OptionKind};
use crate::output::chart::cost_segments;

/// The sheet's name, as the charts' ranges refer to it.
const SHEET: &str = "Charts";

/// The options and N of the first sweep point, and its cells.
struct Grid<'a> {
    results: &'a ExperimentResults,
    options: Vec<OptionKind>,
    units: Vec<usize>,
}

impl Grid<'_> {
    fn cell(&self, option: OptionKind, n: usize) -> Option<&CellResult> {
        self.results
            .cells
            .iter()
            .find(|c| c.point == 0 && c.option == option && c.units == n)
    }
}

/// Writes the sheet: the two data blocks and their charts.
pub(super) fn charts_sheet(sheet: &mut Worksheet, results: &ExperimentResults, bold: &Format) -> Result<(), XlsxError> {
    sheet.set_name(SHEET)?;
    let mut units: Vec<usize> = results.cells.iter().map(|c| c.units).collect();
    units.sort_unstable();
    units.dedup();
    let options: Vec<OptionKind> = OptionKind::ALL
        .into_iter()
        .filter(|o| results.cells.iter().any(|c| c.option == *o))
        .collect();
    let grid = Grid {
        results,
        options,
        units,
    };
    let line = headline_block(sheet, &grid, bold)?;
    let stacked = breakdown_block(sheet, &grid, grid.units.len() as u32 + 3, bold)?;
    sheet.insert_chart(0, 14, &line)?;
    sheet.insert_chart(22, 14, &stacked)?;
    Ok(())
}

/// Block 1, from row 0: N, then each option's headline; and its line chart.
fn headline_block(sheet: &mut Worksheet, grid: &Grid, bold: &Format) -> Result<Chart, XlsxError> {
    sheet.write_string_with_format(0, 0, "N", bold)?;
    for (j, option) in grid.options.iter().enumerate() {
        sheet.write_string_with_format(0, j as u16 + 1, option.to_string(), bold)?;
    }
    for (i, &n) in grid.units.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, n as f64)?;
        for (j, &option) in grid.options.iter().enumerate() {
            if let Some(cell) = grid.cell(option, n) {
                let headline = cell.summary(Metric::HEADLINE);
                let format = supported_format(half_width(&headline), false);
                put(sheet, row, j as u16 + 1, headline.mean, &format)?;
            }
        }
    }
    let last = grid.units.len() as u32;
    let mut line = Chart::new(ChartType::Line);
    for j in 0..grid.options.len() {
        let col = j as u16 + 1;
        line.add_series()
            .set_name((SHEET, 0, col))
            .set_categories((SHEET, 1, 0, last, 0))
            .set_values((SHEET, 1, col, last, col));
    }
    line.title()
        .set_name("Net cost per head (incl. undone work) by number of units");
    line.x_axis().set_name("Number of units N");
    line.y_axis().set_name("GBP per head per year (mean)");
    Ok(line)
}

/// Block 2, from row `start`: a row per option and N, the headline's parts per head (as in
/// the cost-breakdown chart), the leverage as a negative, and the headline they sum to; and
/// its stacked chart with the headline as a diamond.
fn breakdown_block(sheet: &mut Worksheet, grid: &Grid, start: u32, bold: &Format) -> Result<Chart, XlsxError> {
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
    for &option in &grid.options {
        for &n in &grid.units {
            let Some(cell) = grid.cell(option, n) else { continue };
            row += 1;
            sheet.write_string(row, 0, format!("{option} {n}"))?;
            let (parts, saved) = cost_segments(cell, grid.results.meta.population);
            let headline = cell.summary(Metric::HEADLINE);
            // Each part to the decimals the headline's interval supports.
            let format = supported_format(half_width(&headline), false);
            let values = parts.into_iter().chain([-saved, headline.mean]);
            for (k, value) in values.enumerate() {
                put(sheet, row, k as u16 + 1, value, &format)?;
            }
        }
    }
    let headline_col = headers.len() as u16;
    let mut stacked = Chart::new(ChartType::ColumnStacked);
    for col in 1..headline_col {
        stacked
            .add_series()
            .set_name((SHEET, start, col))
            .set_categories((SHEET, start + 1, 0, row, 0))
            .set_values((SHEET, start + 1, col, row, col));
    }
    let mut net = Chart::new(ChartType::Line);
    net.add_series()
        .set_name((SHEET, start, headline_col))
        .set_categories((SHEET, start + 1, 0, row, 0))
        .set_values((SHEET, start + 1, headline_col, row, headline_col))
        .set_format(ChartFormat::new().set_no_line())
        .set_marker(ChartMarker::new().set_type(ChartMarkerType::Diamond).set_size(9));
    stacked.combine(&net);
    stacked
        .title()
        .set_name("Net cost per head by component (diamond = the headline)");
    stacked.x_axis().set_name("Option and N");
    stacked.y_axis().set_name("GBP per head per year (mean)");
    Ok(stacked)
}
