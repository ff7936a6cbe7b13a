//! Charts for a briefing, as SVG and PNG (plotters), one function per chart kind.
//!
//! PNG text is drawn with DejaVu Sans embedded in the binary, so charts render the same on a
//! machine with no fonts installed. Every option keeps its colour across all charts.

mod draw;
mod geography;
mod kit;
pub mod lead;
mod map;
// Shared with the integration tests, which use parts the unit tests do not.
#[cfg(test)]
#[allow(dead_code)]
mod probe;
pub mod uncertainty;

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::OutputError;
use crate::experiment::ExperimentResults;
use crate::model::Metric;
use crate::model::OptionKind;

pub use self::draw::cost_segments;
pub use self::map::{LONDON, RARELY_SERVING, unit_serving_shares, unmet_map_classes};

/// Chart width \[px\].
pub const WIDTH: u32 = 1200;
/// Chart height \[px\].
pub const HEIGHT: u32 = 750;
/// Font family registered with the embedded font.
pub const FONT: &str = "sans-serif";
/// Title size \[px\].
pub const TITLE_SIZE: u32 = 30;
/// Axis description size \[px\].
pub const LABEL_SIZE: u32 = 22;
/// Tick and legend text size \[px\].
pub const TICK_SIZE: u32 = 18;
/// Width reserved at the right for the legend \[px\].
pub const LEGEND_WIDTH: u32 = 240;

/// Colour of each option (Okabe-Ito, distinguishable with colour-blindness).
pub fn option_colour(option: OptionKind) -> RGBColor {
    match option {
        OptionKind::National => RGBColor(0x00, 0x72, 0xB2),
        OptionKind::Network => RGBColor(0xE6, 0x9F, 0x00),
        OptionKind::Hubs => RGBColor(0x00, 0x9E, 0x73),
        OptionKind::Framework => RGBColor(0xCC, 0x79, 0xA7),
    }
}

/// Colour of England's coastline, of the map cells' edges and of legend swatches' borders.
pub const COAST: RGBColor = RGBColor(0x40, 0x40, 0x40);

/// Colours of the unmet causes: uncontracted, capacity, failure.
pub const CAUSE_COLOURS: [RGBColor; 3] = [
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x59, 0x59, 0x59),
];

/// Colours of cost components and of units on maps, cycled.
pub const PALETTE: [RGBColor; 12] = [
    RGBColor(0x1F, 0x77, 0xB4),
    RGBColor(0xFF, 0x7F, 0x0E),
    RGBColor(0x2C, 0xA0, 0x2C),
    RGBColor(0xD6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xBD),
    RGBColor(0x8C, 0x56, 0x4B),
    RGBColor(0xE3, 0x77, 0xC2),
    RGBColor(0x7F, 0x7F, 0x7F),
    RGBColor(0xBC, 0xBD, 0x22),
    RGBColor(0x17, 0xBE, 0xCF),
    RGBColor(0x39, 0x3B, 0x79),
    RGBColor(0xAD, 0x49, 0x4A),
];

/// One chart: its file stem, title, and what it draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// File name without extension (`cost_per_head`).
    pub stem: String,
    /// Title shown on the chart and in the report.
    pub title: String,
    /// What the chart draws.
    pub kind: ChartKind,
}

impl Chart {
    fn new(stem: &str, title: String, kind: ChartKind) -> Chart {
        Chart {
            stem: stem.to_string(),
            title,
            kind,
        }
    }
}

/// The chart kinds.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartKind {
    /// Headline cost per head against N, one line per option, 95% CI bands.
    CostPerHead,
    /// Unmet share against N, one panel per option, stacked by cause.
    UnmetByCause,
    /// CCGs without support at go-live against N.
    UncontractedAtGoLive,
    /// Headline cost against unmet share, one point per replication, at one N.
    RiskFrontier(usize),
    /// CCGs with all functions in service by month (mean, 5-95% band), at one N.
    ContractedByMonth(usize),
    /// CCGs coloured by their planned unit, one panel per option, at one N.
    Map(usize),
    /// Each CCG's mean unmet share at one N, one panel per option, on the same map.
    MapUnmet(usize),
    /// Distribution of mean utilisation per option, at one N.
    Utilisation(usize),
    /// Cost components per option and N (stacked bars).
    CostBreakdown,
    /// A swept key against cost per head and unmet share, at one N.
    Sweep(usize, usize),
    /// What the cheapest option's margin over the runner-up is made of, at one N (a
    /// waterfall of the headline's parts).
    LeadParts(usize),
}

/// Returns the charts a run gets: the nine kinds, N-specific ones at the middle N.
pub fn charts_for(results: &ExperimentResults) -> Vec<Chart> {
    let mut units: Vec<usize> = results.cells.iter().map(|c| c.units).collect();
    units.sort_unstable();
    units.dedup();
    let mid = units[units.len() / 2];
    let mut point = super::table::point_label(results, 0);
    if !point.is_empty() {
        point = format!(" ({point})");
    }
    let chart = Chart::new;
    // With leverage counted, the saving is paled off the top and the headline is a black line.
    let levered = results
        .cells
        .iter()
        .any(|c| c.summary(Metric::SavingsLeverage).mean > 0.0);
    let ends = if levered { "black line" } else { "bar height" };
    let mut charts = vec![
        chart(
            "cost_per_head",
            format!("Net cost per head (incl. undone work), by number of units{point}"),
            ChartKind::CostPerHead,
        ),
        chart(
            "unmet_by_cause",
            format!("Unmet demand by cause{point}"),
            ChartKind::UnmetByCause,
        ),
        chart(
            "uncontracted_at_go_live",
            format!("CCGs without full support at go-live{point}"),
            ChartKind::UncontractedAtGoLive,
        ),
        chart(
            "risk_frontier",
            format!("Cost against unmet demand, one point per replication, N = {mid}{point}"),
            ChartKind::RiskFrontier(mid),
        ),
        chart(
            "contracted_by_month",
            format!("CCGs with all four functions in service, N = {mid}{point}"),
            ChartKind::ContractedByMonth(mid),
        ),
        chart("map", format!("Planned catchments, N = {mid}"), ChartKind::Map(mid)),
        chart(
            "utilisation",
            format!("Mean unit utilisation per replication, N = {mid}{point}"),
            ChartKind::Utilisation(mid),
        ),
        chart(
            "cost_breakdown",
            format!("Net cost per head by component: {ends} = the headline{point}"),
            ChartKind::CostBreakdown,
        ),
    ];
    charts.extend(lead_parts_charts(results, &point));
    // Where unmet work falls needs the results by place.
    if results.cells.iter().any(|c| c.places.is_some()) {
        let at = charts
            .iter()
            .position(|c| c.stem == "map")
            .map_or(charts.len(), |i| i + 1);
        charts.insert(
            at,
            chart(
                "map_unmet",
                format!("Unmet share of demand by CCG, N = {mid}{point}"),
                ChartKind::MapUnmet(mid),
            ),
        );
    }
    charts.extend(sweep_charts(results, mid));
    charts
}

/// Why the leader leads, at each N of the first sweep point with two or more options.
fn lead_parts_charts(results: &ExperimentResults, point: &str) -> Vec<Chart> {
    crate::experiment::explain::explanations(results)
        .iter()
        .filter(|e| e.point == 0)
        .map(|e| {
            Chart::new(
                &format!("lead_parts_n{}", e.units),
                format!(
                    "What {}'s lead over {} is made of, N = {}{point}",
                    e.leader, e.runner_up, e.units
                ),
                ChartKind::LeadParts(e.units),
            )
        })
        .collect()
}

/// A chart per swept key at N = `mid`: a sweep over several keys is drawn one key at a time,
/// the others at their first values.
fn sweep_charts(results: &ExperimentResults, mid: usize) -> Vec<Chart> {
    let first: Vec<(String, f64)> = results
        .cells
        .iter()
        .find(|c| c.point == 0)
        .map(|c| c.point_values.clone())
        .unwrap_or_default();
    let mut charts = Vec::new();
    for (axis, key) in results.meta.sweep_keys.iter().enumerate() {
        let stem = format!("sweep_{}", key.replace('.', "_"));
        let held: Vec<String> = first
            .iter()
            .enumerate()
            .filter(|(a, _)| *a != axis)
            .map(|(_, (k, v))| format!("{k} = {}", super::number(*v)))
            .collect();
        let held = if held.is_empty() {
            String::new()
        } else {
            format!("; {} held", held.join(", "))
        };
        charts.push(Chart::new(
            &stem,
            format!("Sweep of {key}, N = {mid}{held}"),
            ChartKind::Sweep(axis, mid),
        ));
    }
    charts
}

static FONTS: Once = Once::new();

/// Registers the embedded font once per process.
fn register_fonts() {
    FONTS.call_once(|| {
        // The embedded font is a valid TrueType file, checked by the chart tests.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Returns the chart as SVG text.
pub fn svg(results: &ExperimentResults, chart: &Chart) -> Result<String, OutputError> {
    render_svg(&chart.stem, |root| draw::draw(root, results, chart))
}

/// Returns the chart as PNG bytes.
pub fn png(results: &ExperimentResults, chart: &Chart) -> Result<Vec<u8>, OutputError> {
    render_png(&chart.stem, |root| draw::draw(root, results, chart))
}

/// Returns an uncertainty chart as SVG text and PNG bytes.
pub fn uncertainty_chart(
    results: &crate::experiment::uncertainty::UncertaintyResults,
    kind: uncertainty::UncertaintyChart,
    stem: &str,
    title: &str,
) -> Result<(String, Vec<u8>), OutputError> {
    let svg = render_svg(stem, |root| uncertainty::draw(root, results, kind, title))?;
    let png = render_png(stem, |root| uncertainty::draw(root, results, kind, title))?;
    Ok((svg, png))
}

/// Renders a chart to SVG text with `draw`.
fn render_svg(
    stem: &str,
    draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> kit::DrawResult,
) -> Result<String, OutputError> {
    register_fonts();
    let error = |e: &dyn std::fmt::Display| OutputError::Chart(format!("{stem}: {e}"));
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root).map_err(|e| error(&e))?;
        root.present().map_err(|e| error(&e))?;
    }
    Ok(text)
}

/// Renders a chart to SVG text with `draw`, for the chart tests.
#[cfg(test)]
fn test_svg(draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> kit::DrawResult) -> String {
    render_svg("test", draw).unwrap_or_else(|e| panic!("{e}"))
}

/// Renders a chart to PNG bytes with `draw`.
fn render_png(
    stem: &str,
    draw: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> kit::DrawResult,
) -> Result<Vec<u8>, OutputError> {
    register_fonts();
    let error = |e: &dyn std::fmt::Display| OutputError::Chart(format!("{stem}: {e}"));
    let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root).map_err(|e| error(&e))?;
        root.present().map_err(|e| error(&e))?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = ::png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| error(&e))?;
        writer.write_image_data(&pixels).map_err(|e| error(&e))?;
    }
    Ok(bytes)
}
