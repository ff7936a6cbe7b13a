//! Charts of the uncertainty analysis: the probability each option is cheapest, the
//! distribution of the leader's margin, the PSA cloud of cost against unmet demand, and a
//! tornado per N.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::kit::{Axes, DrawResult, LIGHT_GRID, cartesian, category_ticks, frame, legend, padded_range};
use super::{FONT, LABEL_SIZE, TICK_SIZE, option_colour};
use crate::experiment::uncertainty::UncertaintyResults;
use crate::model::OptionKind;

/// Inputs shown in a tornado, the widest first.
pub const TORNADO_BARS: usize = 15;

/// Bins of a margin histogram.
const BINS: usize = 30;

/// Colour of the margin histogram's bars where the scenario's leader is behind.
const BEHIND: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Colours of a tornado's low and high ends.
const LOW_END: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
const HIGH_END: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// What an uncertainty chart draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UncertaintyChart {
    /// Each option's probability of being cheapest, per N.
    ProbabilityBest,
    /// Histograms of the default leader's margin over the PSA, a panel per N.
    Margins,
    /// Headline against unmet share over the PSA at one N, a cloud per option.
    Scatter(usize),
    /// The tornado of the margin at one N.
    Tornado(usize),
}

/// Returns the options of the analysis, in order.
fn options(results: &UncertaintyResults) -> Vec<OptionKind> {
    let mut out: Vec<OptionKind> = Vec::new();
    for &(option, _) in &results.cells {
        if !out.contains(&option) {
            out.push(option);
        }
    }
    out
}

/// Draws one uncertainty chart.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    results: &UncertaintyResults,
    kind: UncertaintyChart,
    title: &str,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (plot, side) = frame(root, title)?;
    let entries: Vec<(String, RGBColor)> = options(results)
        .iter()
        .map(|&o| (o.to_string(), option_colour(o)))
        .collect();
    match kind {
        UncertaintyChart::ProbabilityBest => {
            legend(&side, &entries)?;
            probability_best(&plot, results)
        }
        UncertaintyChart::Margins => {
            let mut entries: Vec<(String, RGBColor)> = Vec::new();
            for v in &results.verdicts {
                let label = format!("{} ahead", v.leader);
                if !entries.iter().any(|(l, _)| *l == label) {
                    entries.push((label, option_colour(v.leader)));
                }
            }
            entries.push(("leader behind".to_string(), BEHIND));
            legend(&side, &entries)?;
            margins(&plot, results)
        }
        UncertaintyChart::Scatter(units) => {
            legend(&side, &entries)?;
            scatter(&plot, results, units)
        }
        UncertaintyChart::Tornado(units) => {
            legend(
                &side,
                &[
                    ("input at 5th pct".to_string(), LOW_END),
                    ("input at 95th pct".to_string(), HIGH_END),
                ],
            )?;
            tornado(&plot, results, units)
        }
    }
}

fn probability_best<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, results: &UncertaintyResults) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let groups = results.probability_best();
    let options = options(results);
    let width = 0.8 / options.len() as f64;
    let labels: Vec<String> = groups.iter().map(|(n, _)| format!("N = {n}")).collect();
    let names = category_ticks(&labels);
    let axes = Axes {
        y_desc: "Share of parameter sets in which the option is cheapest, %",
        x_labels: Some(groups.len()),
        x_format: Some(&names),
        ..Axes::default()
    };
    let mut chart = cartesian(area, (-0.5, groups.len() as f64 - 0.5), (0.0, 100.0), &axes)?;
    for (g, (_, shares)) in groups.iter().enumerate() {
        for (k, (option, share)) in shares.iter().enumerate() {
            let left = g as f64 - 0.4 + k as f64 * width;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(left, 0.0), (left + width * 0.9, share.value() * 100.0)],
                option_colour(*option).filled(),
            )))?;
        }
    }
    Ok(())
}

fn margins<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, results: &UncertaintyResults) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let all = results.margins();
    let panels = area.split_evenly((1, all.len().max(1)));
    for (panel, (units, values)) in panels.iter().zip(&all) {
        let (lo, hi) = padded_range(values.iter().copied().chain([0.0]));
        let step = (hi - lo) / BINS as f64;
        let mut counts = vec![0usize; BINS];
        for &v in values {
            counts[(((v - lo) / step) as usize).min(BINS - 1)] += 1;
        }
        let top = counts.iter().copied().max().unwrap_or(1) as f64 * 100.0 / values.len().max(1) as f64;
        let leader = results.verdicts.iter().find(|v| v.units == *units).map(|v| v.leader);
        let mut chart = ChartBuilder::on(panel)
            .margin(12)
            .caption(
                format!(
                    "N = {units}: {} ahead by",
                    leader.map_or("-".to_string(), |o| o.to_string())
                ),
                (FONT, LABEL_SIZE),
            )
            .x_label_area_size(56)
            .y_label_area_size(70)
            .build_cartesian_2d(lo..hi, 0.0..top * 1.1)?;
        chart
            .configure_mesh()
            .light_line_style(LIGHT_GRID)
            .x_labels(5)
            .x_desc("GBP per head per year")
            .y_desc("% of parameter sets")
            .axis_desc_style((FONT, LABEL_SIZE))
            .label_style((FONT, TICK_SIZE))
            .draw()?;
        let ahead = leader.map_or(BEHIND, option_colour);
        chart.draw_series(counts.iter().enumerate().map(|(b, &c)| {
            let x = lo + b as f64 * step;
            // A bin is the leader's when its middle is a lead (> 0), grey when a deficit.
            let colour = if x + step / 2.0 > 0.0 { ahead } else { BEHIND };
            Rectangle::new(
                [(x, 0.0), (x + step * 0.95, c as f64 * 100.0 / values.len() as f64)],
                colour.filled(),
            )
        }))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (0.0, top * 1.1)],
            BLACK.stroke_width(2),
        )))?;
    }
    Ok(())
}

fn scatter<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, results: &UncertaintyResults, units: usize) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let psa = &results.psa.sets;
    let columns: Vec<usize> = (0..results.cells.len())
        .filter(|&c| results.cells[c].1 == units)
        .collect();
    let x_range = padded_range(
        psa.iter()
            .flat_map(|m| columns.iter().map(|&c| m[c].unmet * 100.0))
            .chain([0.0]),
    );
    let y_range = padded_range(psa.iter().flat_map(|m| columns.iter().map(|&c| m[c].headline)));
    let axes = Axes {
        x_desc: "Unmet demand, % (one point per parameter set)",
        y_desc: "Net cost, GBP per head per year",
        ..Axes::default()
    };
    let mut chart = cartesian(area, x_range, y_range, &axes)?;
    for &c in &columns {
        let colour = option_colour(results.cells[c].0);
        chart.draw_series(
            psa.iter()
                .filter(|m| m[c].unmet.is_finite() && m[c].headline.is_finite())
                .map(|m| Circle::new((m[c].unmet * 100.0, m[c].headline), 3, colour.mix(0.5).filled())),
        )?;
    }
    Ok(())
}

/// Returns the tornado's bars at N, widest first, at most [`TORNADO_BARS`]: (input, lead over
/// the best rival at the 5th percentile, at the 95th).
pub fn tornado_bars(results: &UncertaintyResults, units: usize) -> Vec<(usize, f64, f64)> {
    let default = results.default_margin(units);
    let mut bars: Vec<_> = results.tornado.iter().filter(|b| b.units == units).collect();
    bars.sort_by(|x, y| {
        y.swing(default)
            .total_cmp(&x.swing(default))
            .then(x.input.cmp(&y.input))
    });
    bars.iter()
        .take(TORNADO_BARS)
        .map(|b| (b.input, b.at_low, b.at_high))
        .collect()
}

fn tornado<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, results: &UncertaintyResults, units: usize) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let default = results.default_margin(units);
    let bars = tornado_bars(results, units);
    let (lo, hi) = padded_range(bars.iter().flat_map(|b| [b.1, b.2]).chain([default, 0.0]));
    let rows = bars.len().max(1) as f64;
    // The widest bar at the top: row k from the bottom is the (n - 1 - k)-th widest.
    let names: Vec<String> = bars
        .iter()
        .rev()
        .map(|b| results.inputs[b.0].path.to_string())
        .collect();
    let rows_named = category_ticks(&names);
    let axes = Axes {
        x_desc: "Lead of the scenario's leader over its best rival at each point, GBP per head per year",
        y_labels: Some(bars.len().max(1)),
        y_format: Some(&rows_named),
        y_area: Some(420),
        ..Axes::default()
    };
    let mut chart = cartesian(area, (lo, hi), (-0.5, rows - 0.5), &axes)?;
    for (rank, &(_, at_low, at_high)) in bars.iter().enumerate() {
        let y = (bars.len() - 1 - rank) as f64;
        for (end, colour) in [(at_low, LOW_END), (at_high, HIGH_END)] {
            let (a, b) = if end < default { (end, default) } else { (default, end) };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y - 0.35), (b, y + 0.35)],
                colour.mix(0.85).filled(),
            )))?;
        }
    }
    for (x, style) in [
        (default, BLACK.stroke_width(2)),
        (0.0, RGBColor(0xB0, 0x00, 0x20).stroke_width(2)),
    ] {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, -0.5), (x, rows - 0.5)],
            style,
        )))?;
    }
    Ok(())
}
