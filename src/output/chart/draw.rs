//! Drawing of each chart kind on any plotters backend.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{
    CAUSE_COLOURS, Chart, ChartKind, FONT, LABEL_SIZE, LEGEND_WIDTH, PALETTE, TICK_SIZE, TITLE_SIZE, option_colour,
};
use crate::experiment::explain;
use crate::experiment::{CellResult, ExperimentResults};
use crate::model::OptionKind;
use crate::model::{Metric, calendar_month};

pub(super) type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// The plot area and the legend strip of a chart.
type Areas<DB> = (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>);

/// Colour of the minor grid lines.
pub(super) const LIGHT_GRID: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);

/// Formats a tick for an axis spanning `span`: whole numbers for wide spans.
pub(super) fn tick(value: f64, span: f64) -> String {
    if span >= 20.0 {
        format!("{value:.0}")
    } else if span >= 2.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

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

/// Returns `(lo, hi)` of finite values widened by 8% (and never empty).
pub(super) fn padded_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-6);
    (lo - pad, hi + pad)
}

/// A chart's cartesian plot in `f64` coordinates.
pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// How a plot's axes are described: their descriptions, and where a chart needs them, tick
/// counts and formats, no vertical grid lines, and a wider label area for long names.
#[derive(Default)]
pub(super) struct Axes<'f> {
    pub x_desc: &'f str,
    pub y_desc: &'f str,
    pub x_labels: Option<usize>,
    pub y_labels: Option<usize>,
    pub x_format: Option<&'f dyn Fn(&f64) -> String>,
    pub y_format: Option<&'f dyn Fn(&f64) -> String>,
    pub no_x_mesh: bool,
    pub y_area: Option<u32>,
}

/// Builds the plot most charts share (16 px margin, label areas of 56 and 90 px) over `x` and
/// `y`, and draws its grid and axes in the house style.
pub(super) fn cartesian<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    axes: &Axes,
) -> Result<Plot<'a, DB>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    let mut chart = ChartBuilder::on(area)
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(axes.y_area.unwrap_or(90))
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(LIGHT_GRID)
        .x_desc(axes.x_desc)
        .y_desc(axes.y_desc)
        .axis_desc_style((FONT, LABEL_SIZE))
        .label_style((FONT, TICK_SIZE));
    if let Some(n) = axes.x_labels {
        mesh.x_labels(n);
    }
    if let Some(n) = axes.y_labels {
        mesh.y_labels(n);
    }
    if let Some(format) = axes.x_format {
        mesh.x_label_formatter(format);
    }
    if let Some(format) = axes.y_format {
        mesh.y_label_formatter(format);
    }
    if axes.no_x_mesh {
        mesh.disable_x_mesh();
    }
    mesh.draw()?;
    Ok(chart)
}

/// Returns a tick format naming categories at whole x positions (0, 1, ...), blank elsewhere.
pub(super) fn category_ticks(labels: &[String]) -> impl Fn(&f64) -> String + '_ {
    move |x| {
        let idx = x.round();
        if (x - idx).abs() < 1e-6 && idx >= 0.0 {
            labels.get(idx as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

/// Draws the title, fills the background, and returns the plot and legend areas.
pub(super) fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<Areas<DB>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE)?;
    let (top, body) = root.split_vertically(56);
    top.draw(&Text::new(
        title.to_string(),
        (24, 14),
        (FONT, TITLE_SIZE).into_font().style(FontStyle::Bold),
    ))?;
    let (width, _) = body.dim_in_pixel();
    Ok(body.split_horizontally(width.saturating_sub(LEGEND_WIDTH)))
}

/// Draws legend entries, one coloured square and label per line, outside the data.
pub(super) fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, entries: &[(String, RGBColor)]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    for (idx, (label, colour)) in entries.iter().enumerate() {
        let y = 30 + idx as i32 * 30;
        area.draw(&Rectangle::new([(12, y), (32, y + 18)], colour.filled()))?;
        area.draw(&Text::new(label.clone(), (42, y), (FONT, TICK_SIZE).into_font()))?;
    }
    Ok(())
}

/// Draws a legend of lines, each with a coloured square when it has a colour, plain text
/// (a note, a heading) when not.
fn legend_lines<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, lines: &[(&str, Option<RGBColor>)]) -> DrawResult
where
    DB::ErrorType: 'static,
{
    for (idx, (label, colour)) in lines.iter().enumerate() {
        let y = 30 + idx as i32 * 26;
        let x = match colour {
            Some(colour) => {
                area.draw(&Rectangle::new([(12, y), (32, y + 18)], colour.filled()))?;
                area.draw(&Rectangle::new([(12, y), (32, y + 18)], COAST.stroke_width(1)))?;
                42
            }
            None => 12,
        };
        area.draw(&Text::new(label.to_string(), (x, y), (FONT, TICK_SIZE - 2).into_font()))?;
    }
    Ok(())
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
        ChartKind::CostPerHead => {
            legend(&side, &option_entries)?;
            let note_at = 30 + option_entries.len() as i32 * 30 + 10;
            for (k, line) in ["ring: the option's", "cheapest N"].iter().enumerate() {
                side.draw(&Text::new(
                    line.to_string(),
                    (12, note_at + 24 * k as i32),
                    (FONT, TICK_SIZE - 2).into_font(),
                ))?;
            }
            line_by_units(
                &plot,
                results,
                Metric::HEADLINE,
                1.0,
                "GBP/head/year (mean, 95% CI)",
                true,
            )
        }
        ChartKind::UncontractedAtGoLive => {
            legend(&side, &option_entries)?;
            line_by_units(
                &plot,
                results,
                Metric::UncontractedAtGoLive,
                1.0,
                "CCGs (mean, 95% CI)",
                false,
            )
        }
        ChartKind::LeadParts(units) => {
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
            legend(&side, &entries)?;
            super::lead::waterfall(&plot, &e)
        }
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
        ChartKind::Map(units) => {
            let lines = [
                ("Each area is a CCG: the", None),
                ("part of England nearest", None),
                ("its centroid. Colour: its", None),
                ("planned unit; touching", None),
                ("catchments differ.", None),
                ("unit site", Some(WHITE)),
                ("Network: business", None),
                ("intelligence teams.", None),
                ("", None),
                ("Mercator projection;", None),
                ("outline: Natural Earth", None),
                ("1:50m (public domain)", None),
            ];
            legend_lines(&side, &lines)?;
            map(&plot, results, units, false)
        }
        ChartKind::MapUnmet(units) => {
            let shares = unmet_shares(results, units);
            let largest = shares
                .iter()
                .flatten()
                .copied()
                .filter(|s| s.is_finite())
                .fold(0.0, f64::max);
            let entries = unmet_legend(&unmet_breaks(shares.iter().flatten().copied()), largest);
            let mut lines: Vec<(&str, Option<RGBColor>)> =
                vec![("Mean unmet share of", None), ("each CCG's demand, %:", None)];
            lines.extend(entries.iter().map(|(label, colour)| (label.as_str(), Some(*colour))));
            lines.extend([
                ("unit site", Some(WHITE)),
                ("crossed: serves under", Some(RARE_UNIT)),
                ("half the months", None),
                ("", None),
                ("Areas as on the", None),
                ("catchments map.", None),
            ]);
            legend_lines(&side, &lines)?;
            map(&plot, results, units, true)
        }
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
    scale: f64,
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
        [s.ci_low * scale, s.ci_high * scale, s.mean * scale]
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
                (c.units as f64, s.mean * scale, s.ci_low * scale, s.ci_high * scale)
            })
            .collect();
        band_and_line(&mut chart, &points, colour)?;
    }
    if mark_best {
        // A ring round each option's cheapest N (docs/model.md section 8, "Which N").
        for best in results.best_n(metric).iter().filter(|b| b.point == 0) {
            let ring = Circle::new(
                (best.units as f64, best.mean * scale),
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

/// Light fill of England behind the catchments.
const LAND: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);

/// Colour of England's coastline and of the cells' edges.
const COAST: RGBColor = RGBColor(0x40, 0x40, 0x40);

/// Six classes of a sequential scale, light to dark (ColorBrewer YlOrRd).
const SEQUENTIAL: [RGBColor; 6] = [
    RGBColor(0xFF, 0xFF, 0xB2),
    RGBColor(0xFE, 0xD9, 0x76),
    RGBColor(0xFE, 0xB2, 0x4C),
    RGBColor(0xFD, 0x8D, 0x3C),
    RGBColor(0xF0, 0x3B, 0x20),
    RGBColor(0xBD, 0x00, 0x26),
];

/// The fill of CCGs with no unmet demand: a pale blue, apart from the sequential scale.
const NONE_UNMET: RGBColor = RGBColor(0xDE, 0xEB, 0xF7);

/// A mean unmet share below this shows as 0.0% and is classed as none.
const NONE_SHARE: f64 = 0.0005;

/// Returns the breaks of the unmet map's classes from every CCG's mean share in every panel:
/// the sextiles of the shares above [`NONE_SHARE`], in whole tenths of a percentage point,
/// above the smallest and without repeats; so that each class holds about a sixth of the
/// areas whatever the range, and none is empty for want of spread.
fn unmet_breaks(shares: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut some: Vec<f64> = shares.filter(|s| s.is_finite() && *s >= NONE_SHARE).collect();
    some.sort_by(f64::total_cmp);
    let mut breaks: Vec<f64> = (1..SEQUENTIAL.len())
        .filter_map(|k| some.get(k * some.len() / SEQUENTIAL.len()))
        .map(|q| (q * 1000.0).round() / 1000.0)
        .filter(|&b| some.first().is_some_and(|&least| b > least))
        .collect();
    breaks.dedup();
    breaks
}

/// Returns the class of a mean unmet share: 0 for none, else 1 plus the breaks at or below it.
fn unmet_class(share: f64, breaks: &[f64]) -> usize {
    if share < NONE_SHARE {
        0
    } else {
        1 + breaks.iter().filter(|b| share >= **b).count()
    }
}

/// Returns the colour of a class of [`unmet_class`].
fn unmet_colour(class: usize) -> RGBColor {
    match class {
        0 => NONE_UNMET,
        k => SEQUENTIAL[(k - 1).min(SEQUENTIAL.len() - 1)],
    }
}

/// Returns every CCG's mean unmet share in each option's cell at N = `units` (first sweep
/// point), in the order of the maps at that N.
fn unmet_shares(results: &ExperimentResults, units: usize) -> Vec<Vec<f64>> {
    results
        .maps
        .iter()
        .filter(|m| m.units == units)
        .map(|m| {
            results
                .cell(m.option, m.units, 0)
                .and_then(|cell| cell.places.as_ref())
                .map(|p| p.ccg_unmet.iter().map(|acc| acc.mean()).collect())
                .unwrap_or_default()
        })
        .collect()
}

/// Returns, for each option mapped at N = `units` (in map order), the option and the class of
/// each CCG on the unmet map ([`unmet_class`]; `None` where the share is undefined).
pub fn unmet_map_classes(results: &ExperimentResults, units: usize) -> Vec<(OptionKind, Vec<Option<usize>>)> {
    let shares = unmet_shares(results, units);
    let breaks = unmet_breaks(shares.iter().flatten().copied());
    let options = results.maps.iter().filter(|m| m.units == units).map(|m| m.option);
    options
        .zip(&shares)
        .map(|(option, shares)| {
            let classes = shares
                .iter()
                .map(|&s| s.is_finite().then(|| unmet_class(s, &breaks)))
                .collect();
            (option, classes)
        })
        .collect()
}

/// The legend of the unmet map: one entry per class, in percent, the last to the largest share.
fn unmet_legend(breaks: &[f64], largest: f64) -> Vec<(String, RGBColor)> {
    let mut entries = vec![("none".to_string(), unmet_colour(0))];
    let ends: Vec<f64> = std::iter::once(NONE_SHARE)
        .chain(breaks.iter().copied())
        .chain([largest.max(NONE_SHARE)])
        .collect();
    for (k, pair) in ends.windows(2).enumerate() {
        let (low, high) = (100.0 * pair[0], 100.0 * pair[1]);
        let low = if k == 0 { 0.1f64.min(high) } else { low };
        entries.push((format!("{low:.1} to {high:.1}"), unmet_colour(k + 1)));
    }
    entries
}

/// London's box on the maps' insets: longitude and latitude \[degrees\], about the 32
/// London CCGs.
pub const LONDON: ((f64, f64), (f64, f64)) = ((-0.56, 0.34), (51.27, 51.70));

/// What one view of a map draws: every CCG's area coloured by `colour_of`, England's
/// outline, and the unit sites with their fills, within the box `x` by `y` (Mercator degrees).
struct MapView<'a> {
    cells: &'a [Vec<super::geography::Polygon>],
    england: &'a [super::geography::Polygon],
    colour_of: &'a dyn Fn(usize) -> RGBColor,
    /// Per unit: where, its square's fill, and whether it is crossed out (rarely serving).
    sites: Vec<((f64, f64), RGBColor, bool)>,
    x: (f64, f64),
    y: (f64, f64),
}

/// The maps of one N, one panel per option, up to four in a row: every CCG's area (its
/// Voronoi cell about its centroid, within England's outline) filled by its unit or its
/// unmet class, units as squares, and under each England an inset of London at a larger
/// scale (its box outlined on the England map).
fn map<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
    unmet: bool,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let maps: Vec<_> = results.maps.iter().filter(|m| m.units == units).collect();
    let columns = maps.len().clamp(1, 4);
    let rows = maps.len().div_ceil(columns).max(1);
    let panels = area.split_evenly((rows, columns));
    // Mercator (conformal): x the longitude, y its stretched latitude, both in degrees, on
    // one scale in pixels, so shapes and angles are England's.
    let england = super::geography::outline();
    let whole = (
        padded_range(england.iter().flatten().map(|p| p.0)),
        padded_range(england.iter().flatten().map(|p| p.1)),
    );
    let london = (LONDON.0, (mercator(LONDON.1.0), mercator(LONDON.1.1)));
    let sites: Vec<(f64, f64)> = results.ccgs.iter().map(|c| (c.lon, mercator(c.lat))).collect();
    let cells = super::geography::voronoi_cells(&sites, &england);
    let touching = super::geography::neighbours(&sites, &cells);
    let london_cells: Vec<Vec<super::geography::Polygon>> = cells.iter().map(|parts| clipped(parts, london)).collect();
    let london_england = clipped(&england, london);
    // The class of each CCG's mean unmet share in each panel's cell.
    let classes: Vec<Vec<Option<usize>>> = unmet_map_classes(results, units).into_iter().map(|c| c.1).collect();
    for ((panel, data), classes) in panels.iter().zip(&maps).zip(&classes) {
        let colours = catchment_colours(data, &touching);
        let unit_colour = |u: usize| PALETTE[colours.get(u).copied().unwrap_or(0) % PALETTE.len()];
        let colour_of = |i: usize| -> RGBColor {
            if unmet {
                classes.get(i).copied().flatten().map_or(LAND, unmet_colour)
            } else {
                unit_colour(data.ccgs[i].2)
            }
        };
        // On the unmet map, a unit serving any CCG in under half the operating months on
        // average is grey and crossed: its catchment is served by others or not at all.
        let serving = unit_serving_shares(results, data);
        let site_fills: Vec<((f64, f64), RGBColor, bool)> = data
            .sites
            .iter()
            .enumerate()
            .map(|(u, &(la, lo))| {
                let rare = unmet && serving.get(u).is_some_and(|&s| s < RARELY_SERVING);
                let fill = match (unmet, rare) {
                    (false, _) => unit_colour(u),
                    (true, false) => WHITE,
                    (true, true) => RARE_UNIT,
                };
                ((lo, mercator(la)), fill, rare)
            })
            .collect();
        let (top, bottom) = panel.split_vertically(panel.dim_in_pixel().1 * 64 / 100);
        let view = MapView {
            cells: &cells,
            england: &england,
            colour_of: &colour_of,
            sites: site_fills.clone(),
            x: whole.0,
            y: whole.1,
        };
        let caption = format!("{} ({} units)", data.option, data.sites.len());
        draw_map_view(&top, &caption, &view, Some(london))?;
        let inset = MapView {
            cells: &london_cells,
            england: &london_england,
            sites: site_fills
                .into_iter()
                .filter(|(p, ..)| (london.0.0..=london.0.1).contains(&p.0) && (london.1.0..=london.1.1).contains(&p.1))
                .collect(),
            x: london.0,
            y: london.1,
            ..view
        };
        draw_map_view(&bottom, "London", &inset, None)?;
    }
    Ok(())
}

/// A unit serving any CCG in less than this share of the operating months, on average, is
/// marked as rarely serving on the unmet map.
pub const RARELY_SERVING: f64 = 0.5;

/// The fill of a rarely serving unit's square.
const RARE_UNIT: RGBColor = RGBColor(0xA0, 0xA0, 0xA0);

/// Returns, per unit of a map's cell (first sweep point), the mean share of operating months
/// in which it served at least one CCG-function; empty without totals by place.
pub fn unit_serving_shares(results: &ExperimentResults, data: &crate::experiment::MapData) -> Vec<f64> {
    let Some(cell) = results.cell(data.option, data.units, 0) else {
        return Vec::new();
    };
    let operating = cell.contracted_by_month().len() as f64 - f64::from(results.go_live_month);
    cell.places.as_ref().map_or_else(Vec::new, |places| {
        places
            .units
            .iter()
            .map(|u| u.serving_months_mean() / operating)
            .collect()
    })
}

/// Returns the parts of `polygons` within the box `(x, y)`.
fn clipped(polygons: &[super::geography::Polygon], (x, y): ((f64, f64), (f64, f64))) -> Vec<super::geography::Polygon> {
    polygons
        .iter()
        .map(|p| super::geography::clip_to_box(p, x, y))
        .filter(|p| p.len() >= 3)
        .collect()
}

/// Draws one view of a map on `area` under `caption`, at one scale on both axes, with the box
/// `mark` outlined when given.
fn draw_map_view<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: &str,
    view: &MapView,
    mark: Option<((f64, f64), (f64, f64))>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (width, height) = area.dim_in_pixel();
    let (x, y) = same_scale(
        view.x,
        view.y,
        f64::from(width.saturating_sub(20)),
        f64::from(height.saturating_sub(40)),
    );
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, LABEL_SIZE))
        .margin(6)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    let ring = |p: &super::geography::Polygon| {
        let mut ring = p.clone();
        ring.push(p[0]);
        ring
    };
    chart.draw_series(
        view.england
            .iter()
            .map(|part| Polygon::new(part.clone(), LAND.filled())),
    )?;
    for (i, polygons) in view.cells.iter().enumerate() {
        let colour = (view.colour_of)(i);
        chart.draw_series(polygons.iter().map(|p| Polygon::new(p.clone(), colour.filled())))?;
        chart.draw_series(
            polygons
                .iter()
                .map(|p| PathElement::new(ring(p), WHITE.stroke_width(1))),
        )?;
    }
    chart.draw_series(
        view.england
            .iter()
            .map(|part| PathElement::new(ring(part), COAST.stroke_width(2))),
    )?;
    if let Some((mx, my)) = mark {
        let corners = vec![(mx.0, my.0), (mx.1, my.0), (mx.1, my.1), (mx.0, my.1), (mx.0, my.0)];
        chart.draw_series(std::iter::once(PathElement::new(corners, BLACK.stroke_width(1))))?;
    }
    chart.draw_series(view.sites.iter().map(|&(at, inside, crossed)| {
        let cross = if crossed {
            vec![(-5, -5), (5, 5), (0, 0), (-5, 5), (5, -5)]
        } else {
            vec![]
        };
        EmptyElement::at(at)
            + Rectangle::new([(-5, -5), (5, 5)], inside.filled())
            + Rectangle::new([(-5, -5), (5, 5)], BLACK.stroke_width(2))
            + PathElement::new(cross, BLACK.stroke_width(2))
    }))?;
    Ok(())
}

/// Mercator's stretched latitude, in degrees.
pub(super) fn mercator(lat: f64) -> f64 {
    let phi = lat.to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln().to_degrees()
}

/// Widens the narrower of two ranges about its middle so that both take the same units per
/// pixel in a plot of `width` by `height` pixels.
pub(super) fn same_scale(x: (f64, f64), y: (f64, f64), width: f64, height: f64) -> ((f64, f64), (f64, f64)) {
    let (width, height) = (width.max(1.0), height.max(1.0));
    let per_pixel = ((x.1 - x.0) / width).max((y.1 - y.0) / height);
    let around = |r: (f64, f64), pixels: f64| {
        let (middle, half) = ((r.0 + r.1) / 2.0, per_pixel * pixels / 2.0);
        (middle - half, middle + half)
    };
    (around(x, width), around(y, height))
}

/// A colour index per unit such that units whose catchments touch get different colours:
/// two units touch when the areas of a CCG of each share an edge (`touching`, per CCG, from
/// [`super::geography::neighbours`]); units are coloured greedily ([`greedy_colouring`]).
pub(super) fn catchment_colours(
    data: &crate::experiment::MapData,
    touching: &[std::collections::BTreeSet<usize>],
) -> Vec<usize> {
    let units = data.sites.len();
    let mut graph = vec![std::collections::BTreeSet::new(); units];
    for (i, near) in touching.iter().enumerate() {
        for &j in near {
            let (u, v) = (data.ccgs[i].2, data.ccgs[j].2);
            if u != v && u < units && v < units {
                graph[u].insert(v);
                graph[v].insert(u);
            }
        }
    }
    greedy_colouring(&graph)
}

/// Colours a graph greedily (Welsh and Powell): vertices by falling degree (ties by index),
/// each the lowest of the `PALETTE`'s colours that no vertex within two steps has, so that
/// catchments a reader sees side by side differ too; where none is left, the lowest that no
/// neighbour has (neighbours always differ).
pub(super) fn greedy_colouring(neighbours: &[std::collections::BTreeSet<usize>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..neighbours.len()).collect();
    order.sort_by(|&a, &b| neighbours[b].len().cmp(&neighbours[a].len()).then(a.cmp(&b)));
    let mut colour = vec![usize::MAX; neighbours.len()];
    for v in order {
        let near: std::collections::BTreeSet<usize> = neighbours[v].iter().map(|&u| colour[u]).collect();
        let two_steps: std::collections::BTreeSet<usize> = neighbours[v]
            .iter()
            .flat_map(|&u| neighbours[u].iter().map(|&w| colour[w]))
            .chain(near.iter().copied())
            .collect();
        colour[v] = (0..PALETTE.len())
            .find(|c| !two_steps.contains(c))
            .or_else(|| (0..).find(|c| !near.contains(c)))
            .unwrap_or(0);
    }
    colour
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
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn mercator_inverts_by_the_gudermannian_and_stretches_latitude_as_the_closed_form_says() {
        // At 60 degrees the stretched latitude is ln(tan(75 deg)) = 1.3170 rad = 75.46 deg.
        assert!((mercator(60.0) - 1.316_957_896_924_816_7f64.to_degrees()).abs() < 1e-9);
        assert!(mercator(0.0).abs() < 1e-12);
        // The closed form's inverse, the Gudermannian: lat = 2 atan(e^y) - pi / 2.
        for lat in [49.8, 51.5, 53.0, 55.9] {
            let y = mercator(lat).to_radians();
            let back = (2.0 * y.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
            assert!((back - lat).abs() < 1e-9);
        }
    }

    #[test]
    fn both_axes_take_the_same_units_per_pixel() {
        let (x, y) = same_scale((0.0, 10.0), (0.0, 10.0), 400.0, 200.0);
        assert_eq!(y, (0.0, 10.0));
        assert_eq!(x, (-5.0, 15.0));
        assert!(((x.1 - x.0) / 400.0 - (y.1 - y.0) / 200.0).abs() < 1e-12);
    }

    /// A wheel: a hub touching a ring of six. The hub and every ring vertex differ, ring
    /// neighbours differ, and within two steps (everything here) all colours differ while the
    /// palette lasts.
    #[test]
    fn on_the_real_register_catchments_whose_areas_touch_differ_in_colour() {
        use crate::model::{Layout, LayoutKind, Register};
        let register = Register::builtin();
        for n in [10, 23, 35] {
            let layout = Layout::new(&register, LayoutKind::Sites, n, &[1.0e6; 4]);
            let data = crate::experiment::MapData::new(crate::model::OptionKind::Hubs, &layout, &register);
            let sites: Vec<(f64, f64)> = register.ccgs().iter().map(|c| (c.lon, mercator(c.lat))).collect();
            let cells = super::super::geography::voronoi_cells(&sites, &super::super::geography::outline());
            let touching = super::super::geography::neighbours(&sites, &cells);
            let colours = catchment_colours(&data, &touching);
            let mut pairs = 0;
            for (i, near) in touching.iter().enumerate() {
                for &j in near {
                    let (u, v) = (data.ccgs[i].2, data.ccgs[j].2);
                    if u != v {
                        pairs += 1;
                        assert_ne!(colours[u], colours[v], "N={n}: units {u} and {v} touch");
                    }
                }
            }
            assert!(pairs > n, "N={n}: catchments touch");
        }
    }

    #[test]
    fn unmet_classes_are_sextiles_with_a_class_for_none() {
        // 60 shares 0.001, 0.002, ..., 0.060 and ten zeros: the sextiles of the 60 positive
        // ones are the 11th, 21st, ... smallest, 0.011 to 0.051.
        let shares: Vec<f64> = (1..=60).map(|k| k as f64 / 1000.0).chain([0.0; 10]).collect();
        let breaks = unmet_breaks(shares.iter().copied());
        let want = [0.011, 0.021, 0.031, 0.041, 0.051];
        assert_eq!(breaks.len(), want.len());
        for (got, want) in breaks.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{breaks:?}");
        }
        assert_eq!(unmet_class(0.0, &breaks), 0);
        assert_eq!(unmet_class(0.0004, &breaks), 0);
        assert_eq!(unmet_class(0.010, &breaks), 1);
        assert_eq!(unmet_class(0.011, &breaks), 2);
        assert_eq!(unmet_class(0.060, &breaks), 6);
        let legend = unmet_legend(&breaks, 0.060);
        let labels: Vec<&str> = legend.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(
            labels,
            [
                "none",
                "0.1 to 1.1",
                "1.1 to 2.1",
                "2.1 to 3.1",
                "3.1 to 4.1",
                "4.1 to 5.1",
                "5.1 to 6.0"
            ]
        );
        // All equal: one class, no breaks.
        assert!(unmet_breaks([0.07; 20].into_iter()).is_empty());
        assert_eq!(unmet_legend(&[], 0.07)[1].0, "0.1 to 7.0");
    }

    #[test]
    fn touching_catchments_never_share_a_colour() {
        let mut graph = vec![BTreeSet::new(); 7];
        let mut touch = |a: usize, b: usize| {
            graph[a].insert(b);
            graph[b].insert(a);
        };
        for r in 1..=6 {
            touch(0, r);
            touch(r, r % 6 + 1);
        }
        let colours = greedy_colouring(&graph);
        for (v, near) in graph.iter().enumerate() {
            for &u in near {
                assert_ne!(colours[u], colours[v], "{u} and {v} touch");
            }
        }
        let distinct: BTreeSet<usize> = colours.iter().copied().collect();
        assert_eq!(distinct.len(), 7, "{colours:?}");
        // More vertices than colours, all touching: neighbours still differ.
        let complete: Vec<BTreeSet<usize>> = (0..15).map(|v| (0..15).filter(|&u| u != v).collect()).collect();
        let colours = greedy_colouring(&complete);
        assert_eq!(colours.iter().collect::<BTreeSet<_>>().len(), 15);
    }
}
