//! Drawing of each chart kind on any plotters backend.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::kit::{Axes, DrawResult, LIGHT_GRID, cartesian, category_ticks, frame, legend, padded_range, tick};
use super::{CAUSE_COLOURS, Chart, ChartKind, FONT, LABEL_SIZE, PALETTE, TICK_SIZE, option_colour};
use crate::experiment::explain;
use crate::experiment::{CellResult, ExperimentResults};
use crate::model::OptionKind;
use crate::model::{Metric, calendar_month};

/// Cost components in stacking order, with legend labels.
const COMPONENTS: [(Metric, &str); 10] = Metric::COST_COMPONENTS;

/// Unmet causes in stacking order, with legend labels.
const CAUSES: [(Metric, &str); 3] = [
    (Metric::UnmetUncontracted, "uncontracted"),
    (Metric::UnmetCapacity, "capacity"),
    (Metric::UnmetFailure, "unit failure"),
];

/// Returns the options of a run, in run order.
fn options(results: &ExperimentResults) -> Vec<OptionKind> {
    let mut out: Vec<OptionKind> = Vec::new();
    for cell in &results.cells {
        if !out.contains(&cell.option) {
            out.push(cell.option);
        }
    }
    out
}

/// Returns the N values of a run, ascending.
fn unit_counts(results: &ExperimentResults) -> Vec<usize> {
    let mut units: Vec<usize> = results.cells.iter().map(|c| c.units).collect();
    units.sort_unstable();
    units.dedup();
    units
}

/// Returns an option's cells at the first sweep point, by ascending N.
fn series(results: &ExperimentResults, option: OptionKind) -> Vec<&CellResult> {
    let mut cells: Vec<&CellResult> = results
        .cells
        .iter()
        .filter(|c| c.option == option && c.point == 0)
        .collect();
    cells.sort_by_key(|c| c.units);
    cells
}

/// Returns the cells at the first sweep point with `units` units, in run order.
fn cells_at(results: &ExperimentResults, units: usize) -> Vec<&CellResult> {
    results
        .cells
        .iter()
        .filter(|c| c.point == 0 && c.units == units)
        .collect()
}

/// Draws one chart.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, results: &ExperimentResults, chart: &Chart) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (plot, side) = frame(root, &chart.title)?;
    let option_entries: Vec<(String, RGBColor)> = options(results)
        .iter()
        .map(|&o| (o.to_string(), option_colour(o)))
        .collect();
    match chart.kind {
        ChartKind::CostPerHead => cost_per_head(&plot, &side, results, &option_entries),
        ChartKind::UncontractedAtGoLive => {
            legend(&side, &option_entries)?;
            line_by_units(
                &plot,
                results,
                Metric::UncontractedAtGoLive,
                "CCGs (mean, 95% CI)",
                false,
            )
        }
        ChartKind::LeadParts(units) => lead_parts(&plot, &side, results, units),
        ChartKind::UnmetByCause => {
            let entries: Vec<(String, RGBColor)> = CAUSES
                .iter()
                .zip(CAUSE_COLOURS)
                .map(|((_, l), c)| (l.to_string(), c))
                .collect();
            legend(&side, &entries)?;
            unmet_by_cause(&plot, results)
        }
        ChartKind::RiskFrontier(units) => {
            legend(&side, &option_entries)?;
            risk_frontier(&plot, results, units)
        }
        ChartKind::ContractedByMonth(units) => {
            legend(&side, &option_entries)?;
            contracted_by_month(&plot, results, units)
        }
        ChartKind::Map(units) => super::map::catchments_chart(&plot, &side, results, units),
        ChartKind::MapUnmet(units) => super::map::unmet_chart(&plot, &side, results, units),
        ChartKind::Utilisation(units) => {
            legend(&side, &option_entries)?;
            utilisation(&plot, results, units)
        }
        ChartKind::CostBreakdown => {
            legend(&side, &cost_legend(results))?;
            cost_breakdown(&plot, results)
        }
        ChartKind::Sweep(axis, units) => {
            legend(&side, &option_entries)?;
            sweep(&plot, results, axis, units)
        }
    }
}

/// The headline against N, a line per option over its 95% band, each option's cheapest N
/// ringed (the legend says so).
fn cost_per_head<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    side: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    option_entries: &[(String, RGBColor)],
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    legend(side, option_entries)?;
    let note_at = 30 + option_entries.len() as i32 * 30 + 10;
    for (k, line) in ["ring: the option's", "cheapest N"].iter().enumerate() {
        side.draw(&Text::new(
            line.to_string(),
            (12, note_at + 24 * k as i32),
            (FONT, TICK_SIZE - 2).into_font(),
        ))?;
    }
    line_by_units(plot, results, Metric::HEADLINE, "GBP/head/year (mean, 95% CI)", true)
}

/// Why the leader leads at N = `units` (first sweep point): the waterfall of the parts of its
/// margin; nothing when the run has no leader there.
fn lead_parts<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    side: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let Some(e) = explain::explanations(results)
        .into_iter()
        .find(|e| e.point == 0 && e.units == units)
    else {
        return Ok(());
    };
    let entries = [
        (format!("favours {}", e.leader), option_colour(e.leader)),
        (format!("favours {}", e.runner_up), option_colour(e.runner_up)),
        ("margin, 95% CI".to_string(), RGBColor(0x33, 0x33, 0x33)),
    ];
    legend(side, &entries)?;
    super::lead::waterfall(plot, &e)
}

/// Draws one option's means as a line with points, over its 95% CI band; `points` are
/// `(x, mean, ci_low, ci_high)` in x order.
fn band_and_line<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: &[(f64, f64, f64, f64)],
    colour: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let lower = points.iter().map(|p| (p.0, p.2));
    let upper = points.iter().rev().map(|p| (p.0, p.3));
    chart.draw_series(std::iter::once(Polygon::new(
        lower.chain(upper).collect::<Vec<_>>(),
        colour.mix(0.25).filled(),
    )))?;
    chart.draw_series(LineSeries::new(
        points.iter().map(|p| (p.0, p.1)),
        colour.stroke_width(3),
    ))?;
    chart.draw_series(points.iter().map(|p| Circle::new((p.0, p.1), 5, colour.filled())))?;
    Ok(())
}

/// Draws a bar at `x` stacking `(height, colour)` segments from zero; empty segments are skipped.
fn stacked_bar<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    x: f64,
    half_width: f64,
    segments: impl Iterator<Item = (f64, RGBColor)>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let mut base = 0.0;
    for (height, colour) in segments.filter(|(h, _)| *h > 0.0) {
        let bar = Rectangle::new(
            [(x - half_width, base), (x + half_width, base + height)],
            colour.filled(),
        );
        chart.draw_series(std::iter::once(bar))?;
        base += height;
    }
    Ok(())
}

/// Mean of a metric against N, one line per option with its 95% CI band.
fn line_by_units<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    metric: Metric,
    y_desc: &str,
    mark_best: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let units = unit_counts(results);
    let x_range = padded_range(units.iter().map(|&n| n as f64));
    let values = results.cells.iter().filter(|c| c.point == 0).flat_map(|c| {
        let s = c.summary(metric);
        [s.ci_low, s.ci_high, s.mean]
    });
    let values: Vec<f64> = values.collect();
    let mut y_range = padded_range(values.iter().copied());
    // A count or cost that cannot be negative gets no axis below 0.
    if values.iter().all(|v| *v >= 0.0) {
        y_range.0 = y_range.0.max(0.0);
    }
    let whole = |x: &f64| format!("{x:.0}");
    let ticks = |y: &f64| tick(*y, y_range.1 - y_range.0);
    let y_desc = if y_range.0 > 0.0 {
        format!("{y_desc}, axis from {}", tick(y_range.0, y_range.1 - y_range.0))
    } else {
        y_desc.to_string()
    };
    let axes = Axes {
        x_desc: "Number of units N",
        y_desc: &y_desc,
        x_format: Some(&whole),
        y_format: Some(&ticks),
        ..Axes::default()
    };
    let mut chart = cartesian(area, x_range, y_range, &axes)?;
    for option in options(results) {
        let colour = option_colour(option);
        let cells = series(results, option);
        let points: Vec<(f64, f64, f64, f64)> = cells
            .iter()
            .map(|c| {
                let s = c.summary(metric);
                (c.units as f64, s.mean, s.ci_low, s.ci_high)
            })
            .collect();
        band_and_line(&mut chart, &points, colour)?;
    }
    if mark_best {
        // A ring round each option's cheapest N (docs/model.md section 8, "Which N").
        for best in results.best_n(metric).iter().filter(|b| b.point == 0) {
            let ring = Circle::new(
                (best.units as f64, best.mean),
                11,
                option_colour(best.option).stroke_width(3),
            );
            chart.draw_series(std::iter::once(ring))?;
        }
    }
    Ok(())
}

/// Stacked bars of unmet share by cause against N, one panel per option.
fn unmet_by_cause<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, results: &ExperimentResults) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let parts: Vec<(Metric, RGBColor)> = CAUSES.iter().map(|(m, _)| *m).zip(CAUSE_COLOURS).collect();
    let segments = |c: &CellResult| {
        parts
            .iter()
            .map(|&(m, colour)| (100.0 * c.summary(m).mean, colour))
            .collect()
    };
    stacked_panels(area, results, &segments, &|_| 0.0, "unmet, % of demand")
}

/// Stacked bars of `parts` (each metric's mean times `scale`) against N, one panel per option,
/// all panels on one y axis from 0; each panel names only the N values, so the labels stay
/// apart however many N there are.
fn stacked_panels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    segments: &dyn Fn(&CellResult) -> Vec<(f64, RGBColor)>,
    less: &dyn Fn(&CellResult) -> f64,
    y_desc: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let opts = options(results);
    let units = unit_counts(results);
    let total = |c: &CellResult| segments(c).iter().map(|s| s.0).sum::<f64>();
    let y_max = padded_range(results.cells.iter().filter(|c| c.point == 0).map(total).chain([0.0]))
        .1
        .max(1.0);
    // Every other N named when a panel has too little room for all of them.
    let step = units.len().div_ceil(10).max(1);
    let panels = area.split_evenly((1, opts.len()));
    for (panel, &option) in panels.iter().zip(&opts) {
        let mut chart = ChartBuilder::on(panel)
            .caption(option.to_string(), (FONT, LABEL_SIZE))
            .margin(10)
            .x_label_area_size(56)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.5..units.len() as f64 - 0.5, 0.0..y_max)?;
        chart
            .configure_mesh()
            .light_line_style(LIGHT_GRID)
            .disable_x_mesh()
            .x_labels(units.len())
            .x_desc("N")
            .y_desc(y_desc)
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .y_label_formatter(&|y| tick(*y, y_max))
            .x_label_formatter(&|x| {
                let idx = x.round();
                units
                    .get(idx as usize)
                    .filter(|_| (x - idx).abs() < 1e-6 && (idx as usize).is_multiple_of(step))
                    .map_or(String::new(), |n| n.to_string())
            })
            .draw()?;
        for cell in series(results, option) {
            let x = units.iter().position(|&n| n == cell.units).unwrap_or(0) as f64;
            let parts = segments(cell);
            let top: f64 = parts.iter().filter(|s| s.0 > 0.0).map(|s| s.0).sum();
            stacked_bar(&mut chart, x, 0.3, parts.into_iter())?;
            // A saving taken off the top: an outlined box from the net height up, so that the
            // bar's filled height ends at the net figure.
            let taken = less(cell);
            if taken > 0.0 {
                // The saving, paled over the top of the bar, and a line where the bar ends.
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.3, top - taken), (x + 0.3, top)],
                    WHITE.mix(0.55).filled(),
                )))?;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x - 0.34, top - taken), (x + 0.34, top - taken)],
                    BLACK.stroke_width(3),
                )))?;
            }
        }
    }
    Ok(())
}

/// One point per replication: unmet share against headline cost, at one N.
fn risk_frontier<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let cells = cells_at(results, units);
    let x_range = padded_range(
        cells
            .iter()
            .flat_map(|c| c.scatter.iter().map(|p| p.0 * 100.0))
            .chain([0.0]),
    );
    let y_range = padded_range(cells.iter().flat_map(|c| c.scatter.iter().map(|p| p.1)));
    let axes = Axes {
        x_desc: "Unmet demand, % (one point per replication)",
        y_desc: "Net cost, GBP per head per year",
        ..Axes::default()
    };
    let mut chart = cartesian(area, x_range, y_range, &axes)?;
    for cell in cells {
        let colour = option_colour(cell.option);
        chart.draw_series(
            cell.scatter
                .iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .map(|&(u, c)| Circle::new((u * 100.0, c), 3, colour.mix(0.45).filled())),
        )?;
    }
    Ok(())
}

/// CCGs with all four functions in service by month: mean line and 5-95% band, at one N.
fn contracted_by_month<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let cells = cells_at(results, units);
    let months = cells
        .iter()
        .map(|c| c.contracted_by_month().len())
        .max()
        .unwrap_or(1)
        .max(1);
    // Headroom over the 211 CCGs for the go-live label, clear of the curves.
    let y_max = results.meta.n_ccgs as f64 * 1.12;
    let whole = |x: &f64| format!("{x:.0}");
    // A tick each month, labelled by calendar month each quarter from January 2013 (month 0,
    // October 2012, would sit on the y axis's 0).
    let quarterly = |x: &f64| {
        let m = x.round();
        if (x - m).abs() < 1e-6 && m > 0.0 && (m as u32).is_multiple_of(3) {
            calendar_month(m as u32)
        } else {
            String::new()
        }
    };
    let axes = Axes {
        x_desc: "Month (the axis starts in October 2012)",
        y_desc: "CCGs fully in service (mean, 5-95%)",
        x_labels: Some(months),
        x_format: Some(&quarterly),
        y_format: Some(&whole),
        ..Axes::default()
    };
    let mut chart = cartesian(area, (0.0, (months - 1).max(1) as f64), (0.0, y_max), &axes)?;
    let go_live = results.go_live_month;
    chart.draw_series(LineSeries::new(
        [(f64::from(go_live), 0.0), (f64::from(go_live), y_max)],
        BLACK.stroke_width(2),
    ))?;
    // Above every curve (they end at the number of CCGs), beside the line.
    chart.draw_series(std::iter::once(Text::new(
        format!("go-live, {}", calendar_month(go_live)),
        (f64::from(go_live) + 0.3, y_max * 0.995),
        (FONT, TICK_SIZE).into_font(),
    )))?;
    for cell in cells {
        let colour = option_colour(cell.option);
        let by_month = cell.contracted_by_month();
        let lower = by_month.iter().enumerate().map(|(m, s)| (m as f64, s.p5));
        let upper = by_month.iter().enumerate().rev().map(|(m, s)| (m as f64, s.p95));
        chart.draw_series(std::iter::once(Polygon::new(
            lower.chain(upper).collect::<Vec<_>>(),
            colour.mix(0.2).filled(),
        )))?;
        chart.draw_series(LineSeries::new(
            by_month.iter().enumerate().map(|(m, s)| (m as f64, s.mean)),
            colour.stroke_width(3),
        ))?;
    }
    Ok(())
}

/// Box plot of mean utilisation per replication: box 25-75%, whiskers 5-95%, median line.
fn utilisation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let cells = cells_at(results, units);
    let labels: Vec<String> = cells.iter().map(|c| c.option.to_string()).collect();
    let y_range = padded_range(
        cells
            .iter()
            .flat_map(|c| [0.05, 0.95].map(|p| c.quantile(Metric::UtilisationMean, p))),
    );
    let names = category_ticks(&labels);
    let axes = Axes {
        y_desc: "Served / effective capacity (per replication)",
        x_labels: Some(cells.len()),
        x_format: Some(&names),
        no_x_mesh: true,
        ..Axes::default()
    };
    let mut chart = cartesian(area, (-0.5, cells.len() as f64 - 0.5), y_range, &axes)?;
    for (idx, cell) in cells.iter().enumerate() {
        let x = idx as f64;
        let q = |p: f64| cell.quantile(Metric::UtilisationMean, p);
        if q(0.5).is_nan() {
            continue;
        }
        let colour = option_colour(cell.option);
        chart.draw_series(LineSeries::new([(x, q(0.05)), (x, q(0.95))], BLACK.stroke_width(2)))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.25, q(0.25)), (x + 0.25, q(0.75))],
            colour.filled(),
        )))?;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.25, q(0.25)), (x + 0.25, q(0.75))],
            BLACK.stroke_width(1),
        )))?;
        chart.draw_series(LineSeries::new(
            [(x - 0.25, q(0.5)), (x + 0.25, q(0.5))],
            BLACK.stroke_width(3),
        ))?;
    }
    Ok(())
}

/// Stacked bars of the mean cost components per option and N.
fn cost_breakdown<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, results: &ExperimentResults) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let population = results.meta.population;
    let segments = |c: &CellResult| {
        let (parts, _) = cost_segments(c, population);
        parts.into_iter().zip(PALETTE).collect()
    };
    let less = |c: &CellResult| cost_segments(c, population).1;
    stacked_panels(area, results, &segments, &less, "GBP per head per year (mean)")
}

/// Returns a cell's cost breakdown per head (GBP a year, means over replications): the cost
/// components in order, then undone work and overridden choice, and apart the leverage
/// savings taken off the top; so that the parts less the savings are the headline.
pub fn cost_segments(cell: &CellResult, population: f64) -> (Vec<f64>, f64) {
    const UNDONE: [Metric; 3] = [
        Metric::CostUnmetAtPrivate,
        Metric::CostUnmetPenalty,
        Metric::CostResidualAtPrivate,
    ];
    let mut parts = Vec::with_capacity(COMPONENTS.len() + 2);
    let (mut undone, mut saved) = (0.0, 0.0);
    for part in Metric::headline_parts() {
        let per_head = cell.summary(part.metric).mean * 1e6 / population;
        if part.sign < 0.0 {
            saved += per_head;
        } else if UNDONE.contains(&part.metric) {
            undone += per_head;
        } else {
            parts.push(per_head);
        }
    }
    parts.insert(COMPONENTS.len(), undone);
    (parts, saved)
}

/// The legend of the cost breakdown: the cost components, undone work and choice in stacking
/// order, and the leverage taken off the top when the run counts it.
fn cost_legend(results: &ExperimentResults) -> Vec<(String, RGBColor)> {
    let mut entries: Vec<(String, RGBColor)> = COMPONENTS
        .iter()
        .zip(PALETTE)
        .map(|((_, l), c)| (l.to_string(), c))
        .collect();
    entries.push(("undone work".to_string(), PALETTE[COMPONENTS.len()]));
    let any = |m: Metric| results.cells.iter().any(|c| c.summary(m).mean > 0.0);
    if any(Metric::CostChoice) {
        entries.push(("overridden choice".to_string(), PALETTE[COMPONENTS.len() + 1]));
    }
    if any(Metric::SavingsLeverage) {
        entries.push(("leverage (paled off)".to_string(), RGBColor(0xE4, 0xE4, 0xE4)));
    }
    entries
}

/// A swept key against the headline cost (left) and unmet share (right), at one N, with the
/// other swept keys at their first values.
fn sweep<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    axis: usize,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let first: Vec<f64> = results
        .cells
        .iter()
        .find(|c| c.point == 0)
        .map(|c| c.point_values.iter().map(|p| p.1).collect())
        .unwrap_or_default();
    let on_line = |c: &&CellResult| {
        c.units == units
            && c.point_values
                .iter()
                .enumerate()
                .all(|(a, (_, v))| a == axis || first.get(a) == Some(v))
    };
    let cells: Vec<&CellResult> = results.cells.iter().filter(on_line).collect();
    let key = results.meta.sweep_keys.get(axis).cloned().unwrap_or_default();
    let x_of = |c: &CellResult| c.point_values.get(axis).map_or(0.0, |p| p.1);
    let x_range = padded_range(cells.iter().map(|c| x_of(c)));
    let panels = area.split_evenly((1, 2));
    for (panel, (metric, scale, y_desc)) in panels.iter().zip([
        (Metric::HEADLINE, 1.0, "Net GBP per head (mean, 95% CI)"),
        (Metric::UnmetShare, 100.0, "Unmet demand, % (mean, 95% CI)"),
    ]) {
        let y_range = padded_range(cells.iter().flat_map(|c| {
            let s = c.summary(metric);
            [s.ci_low * scale, s.ci_high * scale]
        }));
        let mut chart = ChartBuilder::on(panel)
            .margin(12)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)?;
        chart
            .configure_mesh()
            .light_line_style(LIGHT_GRID)
            .x_desc(key.as_str())
            .y_desc(y_desc)
            .axis_desc_style((FONT, LABEL_SIZE - 2))
            .label_style((FONT, TICK_SIZE))
            .draw()?;
        for option in options(results) {
            let colour = option_colour(option);
            let mut line: Vec<&CellResult> = cells.iter().copied().filter(|c| c.option == option).collect();
            line.sort_by(|a, b| x_of(a).total_cmp(&x_of(b)));
            let points: Vec<(f64, f64, f64, f64)> = line
                .iter()
                .map(|c| {
                    let s = c.summary(metric);
                    (x_of(c), s.mean * scale, s.ci_low * scale, s.ci_high * scale)
                })
                .collect();
            band_and_line(&mut chart, &points, colour)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::probe;
    use super::super::{Chart, ChartKind};
    use super::*;
    use crate::output::fixture::{outcome, scenario, started};

    /// With choice and leverage counted, the cost breakdown's legend lists the ten cost
    /// components, undone work, overridden choice and the leverage paled off, in stacking
    /// order, and no two entries share a colour: a reader matches each part by its colour.
    #[test]
    fn the_cost_legend_gives_every_part_its_own_colour() {
        let mut results = started(&scenario("options = [\"hubs\"]\nunits = [10]\n", "t"));
        let counted = outcome(&[(Metric::CostChoice, 1.0), (Metric::SavingsLeverage, 2.0)], 0.0);
        results.add_replication(std::slice::from_ref(&counted));
        let legend = cost_legend(&results);
        let labels: Vec<&str> = legend.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels.len(), 13, "{labels:?}");
        assert_eq!(
            labels[10..],
            ["undone work", "overridden choice", "leverage (paled off)"]
        );
        for (i, (_, a)) in legend.iter().enumerate() {
            for (_, b) in &legend[i + 1..] {
                assert_ne!(a, b, "{labels:?}");
            }
        }
    }

    /// Renders one chart of `results` as SVG.
    fn drawn(results: &ExperimentResults, kind: ChartKind) -> String {
        super::super::test_svg(|root| draw(root, results, &Chart::new("t", "t".to_string(), kind)))
    }

    /// Hubs and national at N = 23 over three replications of hand-picked unmet share and
    /// headline: every replication is a point, inside the plot, at its unmet share in percent
    /// and its headline, read back through the printed ticks to within a pixel.
    #[test]
    fn the_risk_frontier_puts_each_replication_where_its_axes_say() {
        let mut results = started(&scenario("options = [\"hubs\", \"national\"]\nunits = [23]\n", "t"));
        let replications = [(0.02, 10.0), (0.10, 12.0), (0.05, 11.0)];
        for (unmet, cost) in replications {
            let hubs = outcome(&[(Metric::UnmetShare, unmet), (Metric::HEADLINE, cost)], 0.0);
            let national = outcome(
                &[(Metric::UnmetShare, unmet / 2.0), (Metric::HEADLINE, cost - 1.0)],
                0.0,
            );
            results.add_replication(&[hubs, national]);
        }
        let expected: Vec<(f64, f64)> = replications
            .iter()
            .flat_map(|&(u, c)| [(u * 100.0, c), (u * 50.0, c - 1.0)])
            .collect();
        let svg = drawn(&results, ChartKind::RiskFrontier(23));
        let [plot] = probe::plots(&svg).try_into().unwrap();
        assert!(
            probe::tick_value(&plot.x_ticks[0].1).unwrap() <= 0.0,
            "{:?}",
            plot.x_ticks
        );
        plot.assert_all_points(&svg, expected);
    }

    /// Each option's utilisation box sits on its name, half a category wide, and spans its
    /// quartiles: hubs 0.60-1.00 and national 0.20-0.60 in steps of 0.05 over nine
    /// replications, quartiles (type 7: the third and seventh values) 0.70-0.90 and 0.30-0.50.
    #[test]
    fn each_utilisation_box_sits_on_its_option_and_spans_its_quartiles() {
        let mut results = started(&scenario("options = [\"hubs\", \"national\"]\nunits = [23]\n", "t"));
        for k in 0..9 {
            let step = 0.05 * f64::from(k);
            results.add_replication(&[
                outcome(&[(Metric::UtilisationMean, 0.60 + step)], 0.0),
                outcome(&[(Metric::UtilisationMean, 0.20 + step)], 0.0),
            ]);
        }
        let svg = drawn(&results, ChartKind::Utilisation(23));
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let names: Vec<&(f64, String)> = plot.x_ticks.iter().filter(|t| !t.1.is_empty()).collect();
        assert_eq!(names.len(), 2, "{:?}", plot.x_ticks);
        let spacing = names[1].0 - names[0].0;
        for (option, (q25, q75)) in [(OptionKind::Hubs, (0.70, 0.90)), (OptionKind::National, (0.30, 0.50))] {
            let fill = probe::hex(option_colour(option));
            let boxes: Vec<_> = probe::shapes(&svg, "rect")
                .into_iter()
                .filter(|r| r.get("fill") == Some(&fill))
                .filter(|r| plot.holds((probe::number(r, "x"), probe::number(r, "y"))))
                .collect();
            let [b] = boxes.try_into().unwrap();
            let (x, w) = (probe::number(&b, "x"), probe::number(&b, "width"));
            let name = names.iter().find(|t| t.1 == option.to_string()).unwrap();
            assert!(
                (x + w / 2.0 - name.0).abs() <= 1.0,
                "{option}: box at {x}+{w}, name at {}",
                name.0
            );
            assert!((w - spacing / 2.0).abs() <= 1.0, "{option}: width {w} of {spacing}");
            let (top, height) = (probe::number(&b, "y"), probe::number(&b, "height"));
            let tolerance = 1.5 * plot.y_pixel();
            assert!(
                (plot.y_value(top) - q75).abs() <= tolerance,
                "{option}: top {}",
                plot.y_value(top)
            );
            assert!(
                (plot.y_value(top + height) - q25).abs() <= tolerance,
                "{option}: bottom {}",
                plot.y_value(top + height)
            );
        }
    }

    /// A sweep of the onboarding slots over 1 and 2 at N = 23: each option's mean at each
    /// slot count is a point at that count, at its mean headline on the left panel and its
    /// mean unmet share in percent on the right, read back through each panel's ticks.
    #[test]
    fn a_sweep_puts_each_mean_where_its_axes_say() {
        let text =
            "options = [\"hubs\", \"national\"]\nunits = [23]\n[sweep]\n\"onboarding.per_unit_month\" = [1, 2]\n";
        let mut results = started(&scenario(text, "t"));
        // Cost 10 + slots + (1 for national), unmet (slots + 2 for national)%, +- 0.5 and 0.1.
        let means = |c: &CellResult| {
            let slots = c.point_values[0].1;
            let national = f64::from(u8::from(c.option == OptionKind::National));
            (10.0 + slots + national, 0.01 * (slots + 2.0 * national))
        };
        for sign in [-1.0, 1.0] {
            let outcomes: Vec<_> = results
                .cells
                .iter()
                .map(|c| {
                    let (cost, unmet) = means(c);
                    let set = [
                        (Metric::HEADLINE, cost + 0.5 * sign),
                        (Metric::UnmetShare, unmet + 0.001 * sign),
                    ];
                    outcome(&set, 0.0)
                })
                .collect();
            results.add_replication(&outcomes);
        }
        let svg = drawn(&results, ChartKind::Sweep(0, 23));
        let plots = probe::plots(&svg);
        assert_eq!(plots.len(), 2, "{plots:?}");
        for (panel, (plot, scale)) in plots.iter().zip([1.0, 100.0]).enumerate() {
            let expected: Vec<(f64, f64)> = results
                .cells
                .iter()
                .map(|c| {
                    let m = means(c);
                    (c.point_values[0].1, [m.0, m.1][panel] * scale)
                })
                .collect();
            plot.assert_points(&svg, expected);
        }
        // Each panel's axis spans its intervals, 8% of the span to spare at each end. Two
        // replications +- 0.5 (cost) and +- 0.1 points (unmet): standard errors 0.5 and 0.1,
        // t(0.975, 1) = 12.7062, so intervals of +- 6.3531 about 11 to 13 (4.6469 to 19.3531,
        // axis 3.4704 to 20.5296) and +- 1.27062 about 1 to 4 (-0.71392 to 5.71392).
        for (plot, (low, high)) in plots.iter().zip([(3.4704, 20.5296), (-0.71392, 5.71392)]) {
            let tolerance = 1.5 * plot.y_pixel();
            let (bottom, top) = (plot.y_value(plot.y.1), plot.y_value(plot.y.0));
            assert!((bottom - low).abs() <= tolerance, "axis from {bottom}, not {low}");
            assert!((top - high).abs() <= tolerance, "axis to {top}, not {high}");
        }
        // Each option's band runs through its intervals' ends: mean +- 6.3531 and +- 1.27062.
        for (panel, (plot, half)) in plots.iter().zip([6.3531, 1.27062]).enumerate() {
            let ends: Vec<(f64, f64)> = results
                .cells
                .iter()
                .flat_map(|c| {
                    let mean = [means(c).0, means(c).1 * 100.0][panel];
                    [(c.point_values[0].1, mean - half), (c.point_values[0].1, mean + half)]
                })
                .collect();
            let bands: Vec<Vec<(f64, f64)>> = probe::shapes(&svg, "polygon")
                .iter()
                .map(|p| {
                    p["points"]
                        .split_whitespace()
                        .map(|xy| {
                            let (x, y) = xy.split_once(',').unwrap();
                            (x.parse().unwrap(), y.parse().unwrap())
                        })
                        .collect()
                })
                .filter(|points: &Vec<(f64, f64)>| points.iter().any(|&p| plot.holds(p)))
                .collect();
            assert_eq!(bands.len(), 2, "panel {panel}: a band per option");
            for &(x, y) in bands.iter().flatten() {
                let (x, y) = (plot.x_value(x), plot.y_value(y));
                assert!(
                    ends.iter()
                        .any(|e| (e.0 - x).abs() <= plot.x_pixel() && (e.1 - y).abs() <= 1.5 * plot.y_pixel()),
                    "panel {panel}: a band corner at ({x}, {y}), not an interval's end: {ends:?}"
                );
            }
        }
    }

    /// Hubs (headline 10 or 11) against national (12 or 13) at N = 23: the lead chart draws
    /// the waterfall of hubs' lead, ending in the margin, with a legend naming the option each
    /// colour favours.
    #[test]
    fn the_lead_chart_draws_the_leaders_waterfall() {
        let mut results = started(&scenario("options = [\"hubs\", \"national\"]\nunits = [23]\n", "t"));
        for h in [10.0, 11.0] {
            results.add_replication(&[
                outcome(&[(Metric::HEADLINE, h)], 0.0),
                outcome(&[(Metric::HEADLINE, h + 2.0)], 0.0),
            ]);
        }
        let svg = drawn(&results, ChartKind::LeadParts(23));
        let [plot] = probe::plots(&svg).try_into().unwrap();
        assert_eq!(
            plot.y_ticks.iter().filter(|t| t.1 == "margin").count(),
            1,
            "{:?}",
            plot.y_ticks
        );
        let texts: Vec<String> = probe::labels(&svg).into_iter().map(|l| l.text).collect();
        for entry in ["favours hubs", "favours national", "margin, 95% CI"] {
            assert!(texts.iter().any(|t| t == entry), "no '{entry}' in {texts:?}");
        }
    }

    /// One cost component of GBP 10 a head and leverage of GBP 2 a head taken off the top: the
    /// bar is filled to 10, the saving is paled from 8 to 10, and a line marks the net 8.
    #[test]
    fn the_leverage_is_paled_off_the_top_of_the_bar_down_to_the_headline() {
        let mut results = started(&scenario("options = [\"hubs\"]\nunits = [23]\n", "t"));
        let millions = results.meta.population / 1e6;
        let set = [
            (COMPONENTS[0].0, 10.0 * millions),
            (Metric::SavingsLeverage, 2.0 * millions),
        ];
        results.add_replication(&[outcome(&set, 0.0)]);
        let svg = drawn(&results, ChartKind::CostBreakdown);
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let pale: Vec<_> = probe::shapes(&svg, "rect")
            .into_iter()
            .filter(|r| r.get("opacity").map(String::as_str) == Some("0.55"))
            .collect();
        let [pale] = pale.try_into().unwrap();
        let ((_, top), (_, bottom)) = probe::corners(&pale);
        let pixel = plot.y_pixel();
        assert!((plot.y_value(top) - 10.0).abs() <= pixel, "{}", plot.y_value(top));
        assert!((plot.y_value(bottom) - 8.0).abs() <= pixel, "{}", plot.y_value(bottom));
        let lines: Vec<_> = probe::shapes(&svg, "polyline")
            .into_iter()
            .filter(|l| l.get("stroke-width").map(String::as_str) == Some("3"))
            .collect();
        let [line] = lines.try_into().unwrap();
        for point in line["points"].split_whitespace() {
            let y: f64 = point.split_once(',').unwrap().1.parse().unwrap();
            assert!(
                (plot.y_value(y) - 8.0).abs() <= pixel,
                "the net line at {}",
                plot.y_value(y)
            );
        }
    }

    /// Hubs at 12 (N = 10) and 11 (N = 23), national at 13 and 14, each +- 0.5 over two
    /// replications: intervals of +- 6.3531 (t(0.975, 1) = 12.7062 times a standard error of
    /// 0.5), 4.6469 to 20.3531, so the axis runs from 3.3904 to 21.6096 (8% to spare) and says
    /// it starts at 3.4; each mean is a point, and each option's cheapest N is ringed.
    #[test]
    fn the_cost_chart_spans_its_intervals_and_rings_each_options_cheapest_n() {
        let mut results = started(&scenario("options = [\"hubs\", \"national\"]\nunits = [10, 23]\n", "t"));
        let means = |c: &CellResult| match (c.option, c.units) {
            (OptionKind::Hubs, 10) => 12.0,
            (OptionKind::Hubs, _) => 11.0,
            (_, 10) => 13.0,
            _ => 14.0,
        };
        for sign in [-1.0, 1.0] {
            let outcomes: Vec<_> = results
                .cells
                .iter()
                .map(|c| outcome(&[(Metric::HEADLINE, means(c) + 0.5 * sign)], 0.0))
                .collect();
            results.add_replication(&outcomes);
        }
        let svg = drawn(&results, ChartKind::CostPerHead);
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let tolerance = 1.5 * plot.y_pixel();
        let (bottom, top) = (plot.y_value(plot.y.1), plot.y_value(plot.y.0));
        assert!((bottom - 3.3904).abs() <= tolerance, "axis from {bottom}");
        assert!((top - 21.6096).abs() <= tolerance, "axis to {top}");
        assert!(svg.contains("GBP/head/year (mean, 95% CI), axis from 3.4"));
        // An axis spanning 18.2 prints its ticks to one decimal.
        probe::assert_decimals(&plot.y_ticks, 1);
        let mut expected: Vec<(f64, f64)> = results.cells.iter().map(|c| (c.units as f64, means(c))).collect();
        expected.extend([(23.0, 11.0), (10.0, 13.0)]);
        plot.assert_all_points(&svg, expected);
    }

    /// Every single-plot chart says what each axis shows.
    #[test]
    fn each_chart_names_its_axes() {
        let mut results = started(&scenario("options = [\"hubs\"]\nunits = [10, 23]\n", "t"));
        results.add_replication(&[outcome(&[], 0.5), outcome(&[], 0.6)]);
        for (kind, x, y) in [
            (
                ChartKind::CostPerHead,
                "Number of units N",
                "GBP/head/year (mean, 95% CI)",
            ),
            (
                ChartKind::UncontractedAtGoLive,
                "Number of units N",
                "CCGs (mean, 95% CI)",
            ),
            (
                ChartKind::RiskFrontier(23),
                "Unmet demand, % (one point per replication)",
                "Net cost, GBP per head per year",
            ),
            (
                ChartKind::ContractedByMonth(23),
                "Month (the axis starts in October 2012)",
                "CCGs fully in service (mean, 5-95%)",
            ),
            (
                ChartKind::Utilisation(23),
                "",
                "Served / effective capacity (per replication)",
            ),
        ] {
            let svg = drawn(&results, kind.clone());
            let texts = probe::labels(&svg);
            let named =
                |text: &str, rotated: bool| texts.iter().any(|l| l.rotated == rotated && l.text.starts_with(text));
            assert!(x.is_empty() || named(x, false), "{kind:?}: no x axis '{x}'");
            assert!(named(y, true), "{kind:?}: no y axis '{y}'");
        }
    }

    /// Headlines of 10 and 10.5 +- 0.01 over two replications: intervals of +- 0.127, an
    /// axis under 2 wide, so its ticks carry two decimals.
    #[test]
    fn a_narrow_cost_axis_prints_two_decimals() {
        let mut results = started(&scenario("options = [\"hubs\"]\nunits = [10, 23]\n", "t"));
        for sign in [-1.0, 1.0] {
            results.add_replication(&[
                outcome(&[(Metric::HEADLINE, 10.0 + 0.01 * sign)], 0.0),
                outcome(&[(Metric::HEADLINE, 10.5 + 0.01 * sign)], 0.0),
            ]);
        }
        let svg = drawn(&results, ChartKind::CostPerHead);
        let [plot] = probe::plots(&svg).try_into().unwrap();
        assert!(plot.y_ticks.len() >= 3, "{:?}", plot.y_ticks);
        probe::assert_decimals(&plot.y_ticks, 2);
    }

    /// Thirteen months from October 2012 (month 0): the x axis names the calendar month each
    /// quarter from January 2013, the y axis counts CCGs in whole numbers; the utilisation
    /// chart draws no vertical grid lines between its boxes.
    #[test]
    fn months_read_as_quarters_and_ccgs_as_whole_numbers() {
        let mut results = started(&scenario("options = [\"hubs\"]\nunits = [23]\n", "t"));
        let mut counted = outcome(&[(Metric::UtilisationMean, 0.8)], 0.0);
        counted.contracted_by_month = (0..13).map(|m| f64::from(m) * 15.0).collect();
        results.add_replication(&[counted]);
        let svg = drawn(&results, ChartKind::ContractedByMonth(23));
        let [plot] = probe::plots(&svg).try_into().unwrap();
        assert_eq!(
            probe::named(&plot.x_ticks),
            ["Jan 2013", "Apr 2013", "Jul 2013", "Oct 2013"]
        );
        assert!(plot.y_ticks.len() >= 3, "{:?}", plot.y_ticks);
        for (_, tick) in &plot.y_ticks {
            assert!(tick.parse::<u32>().is_ok(), "{:?}", plot.y_ticks);
        }
        let svg = drawn(&results, ChartKind::Utilisation(23));
        let vertical = probe::shapes(&svg, "line")
            .into_iter()
            .filter(|l| l.get("stroke").map(String::as_str) == Some("#F0F0F0") && l["x1"] == l["x2"])
            .count();
        assert_eq!(vertical, 0);
        // A tick mark under each box and none between.
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let (marks, _) = plot.tick_marks(&svg);
        assert_eq!(marks, 1, "one option, one tick mark");
    }
}
