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

#[cfg(test)]
mod tests {
    use super::super::probe::{self, corners, hex};
    use super::*;
    use crate::experiment::uncertainty::TornadoBar;
    use crate::output::fixture::analysis;

    /// Renders one chart of `results` as SVG.
    fn drawn(results: &UncertaintyResults, kind: UncertaintyChart) -> String {
        super::super::test_svg(|root| draw(root, results, kind, "t"))
    }

    /// The hand-made analysis has two PSA sets at N = 10: national cheapest in the first
    /// (10 against 12), hubs in the second (12.9 against 11.2). Each option's bar stands over
    /// the group named "N = 10" at 50% of sets, side by side in option order.
    #[test]
    fn each_options_share_of_sets_stands_over_its_n() {
        let svg = drawn(&analysis(), UncertaintyChart::ProbabilityBest);
        let [plot] = probe::plots(&svg).try_into().unwrap();
        assert_eq!(probe::named(&plot.x_ticks), ["N = 10"]);
        assert_eq!(plot.tick_marks(&svg).0, 1, "a tick mark per N");
        let rotated = probe::labels(&svg).into_iter().filter(|l| l.rotated).map(|l| l.text);
        assert!(rotated.eq(["Share of parameter sets in which the option is cheapest, %"]));
        let group = plot.x_ticks.iter().find(|t| t.1 == "N = 10").unwrap().0;
        for option in [OptionKind::National, OptionKind::Hubs] {
            let bars: Vec<_> = probe::shapes(&svg, "rect")
                .into_iter()
                .filter(|r| r.get("fill") == Some(&hex(option_colour(option))))
                .filter(|r| plot.holds(corners(r).0))
                .collect();
            let [bar] = bars.try_into().unwrap();
            let ((left, top), (right, bottom)) = corners(&bar);
            assert!(
                (plot.y_value(top) - 50.0).abs() <= plot.y_pixel(),
                "{option}: {}",
                plot.y_value(top)
            );
            assert!(
                plot.y_value(bottom).abs() <= plot.y_pixel(),
                "{option}: {}",
                plot.y_value(bottom)
            );
            // The group spans -0.4 to 0.4 about its name (one N: the plot is 1 wide), each of
            // the two options 0.4 of it, the bar 90% of that: national -0.4 to -0.04, hubs 0
            // to 0.36.
            let unit = plot.x.1 - plot.x.0;
            let (from, to) = ((left - group) / unit, (right - group) / unit);
            let want = if option == OptionKind::National {
                (-0.4, -0.04)
            } else {
                (0.0, 0.36)
            };
            assert!(
                (from - want.0).abs() * unit <= 2.0 && (to - want.1).abs() * unit <= 2.0,
                "{option}: {from} to {to}, not {want:?}"
            );
        }
    }

    /// National's lead over hubs is 2.0 in the first set and -1.7 in the second: two bars of
    /// 50% each, the bar holding 2.0 in national's colour and the one holding -1.7 grey.
    #[test]
    fn the_margin_histogram_puts_each_set_in_its_bin_and_colours_deficits_grey() {
        let svg = drawn(&analysis(), UncertaintyChart::Margins);
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let bars: Vec<_> = probe::shapes(&svg, "rect")
            .into_iter()
            .filter(|r| probe::number(r, "height") > 0.0 && plot.holds(corners(r).0) && plot.holds(corners(r).1))
            .collect();
        assert_eq!(bars.len(), 2, "{bars:?}");
        // Margins of 2.0 and -1.7 and the 0 line: the axis runs from -1.996 to 2.296 (8% of
        // the span to spare), in 30 bins of 0.14307, each bar 95% of its bin (0.13591).
        assert!(
            (plot.x_value(plot.x.0) + 1.996).abs() <= 1.5 * plot.x_pixel(),
            "{}",
            plot.x_value(plot.x.0)
        );
        assert!(
            (plot.x_value(plot.x.1) - 2.296).abs() <= 1.5 * plot.x_pixel(),
            "{}",
            plot.x_value(plot.x.1)
        );
        for bar in &bars {
            let ((left, _), (right, _)) = corners(bar);
            let width = plot.x_value(right) - plot.x_value(left);
            assert!((width - 0.13591).abs() <= 2.0 * plot.x_pixel(), "a bar {width} wide");
        }
        // The axis runs to a tenth above the tallest bar.
        assert!(
            (plot.y_value(plot.y.0) - 55.0).abs() <= 1.5 * plot.y_pixel(),
            "{}",
            plot.y_value(plot.y.0)
        );
        for (margin, colour) in [(2.0, option_colour(OptionKind::National)), (-1.7, BEHIND)] {
            let bar = bars
                .iter()
                .find(|r| {
                    let ((left, _), (right, _)) = corners(r);
                    // A bar is drawn 95% of its bin wide: the bin runs to right / 0.95 of it.
                    let bin_end = left + (right - left) / 0.95;
                    plot.x_value(left) - plot.x_pixel() <= margin && margin <= plot.x_value(bin_end) + plot.x_pixel()
                })
                .unwrap_or_else(|| panic!("no bar holds {margin}: {bars:?}"));
            assert_eq!(bar["fill"], hex(colour), "bar of {margin}");
            let ((_, top), (_, bottom)) = corners(bar);
            assert!(
                (plot.y_value(top) - 50.0).abs() <= plot.y_pixel(),
                "{}",
                plot.y_value(top)
            );
            assert!(plot.y_value(bottom).abs() <= plot.y_pixel());
        }
    }

    /// Each PSA set is a point per option at its unmet share in percent and its headline,
    /// and the axes say which is which.
    #[test]
    fn the_psa_cloud_puts_each_set_where_its_axes_say() {
        let results = analysis();
        let svg = drawn(&results, UncertaintyChart::Scatter(10));
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let rotated: Vec<String> = probe::labels(&svg)
            .into_iter()
            .filter(|l| l.rotated)
            .map(|l| l.text)
            .collect();
        assert_eq!(rotated, ["Net cost, GBP per head per year"]);
        assert!(svg.contains("Unmet demand, % (one point per parameter set)"));
        let expected: Vec<(f64, f64)> = results
            .psa
            .sets
            .iter()
            .flatten()
            .map(|m| (m.unmet * 100.0, m.headline))
            .collect();
        plot.assert_all_points(&svg, expected);
    }

    /// The hand-made tornado at N = 10 plus a narrower bar for the choice value: risk.p_weak
    /// moves national's lead of 1.5 to 2.5 at its 5th percentile and to -0.5 at its 95th;
    /// value.choice_per_head to 1.2 and 1.9. The wider is named on the top row; each end's
    /// bar runs from 1.5 to its value, on its input's row, in its end's colour.
    #[test]
    fn each_tornado_bar_runs_from_the_lead_to_its_end_on_its_named_row() {
        let mut results = analysis();
        results.tornado.push(TornadoBar {
            input: 1,
            at_low: 1.2,
            at_high: 1.9,
            ..results.tornado[0]
        });
        let svg = drawn(&results, UncertaintyChart::Tornado(10));
        let [plot] = probe::plots(&svg).try_into().unwrap();
        let rows: Vec<&(f64, String)> = plot.y_ticks.iter().filter(|t| !t.1.is_empty()).collect();
        let names: Vec<&str> = rows.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(names, ["risk.p_weak", "value.choice_per_head"]);
        assert_eq!(plot.tick_marks(&svg).1, 2, "a tick mark per row");
        let texts = probe::labels(&svg);
        let x_axis = |l: &&probe::Label| {
            l.text.starts_with("Lead of the scenario")
                && l.text.ends_with("best rival at each point, GBP per head per year")
        };
        assert!(texts.iter().any(|l| x_axis(&l)), "no x axis description");
        for label in texts.iter().filter(|l| l.anchor == "end" && l.x < plot.x.0) {
            assert!(label.extent().0.0 >= 0.0, "'{}' runs off the chart", label.text);
        }
        // Two rows share the plot's height: each centred a quarter of it from its edge.
        let quarter = (plot.y.1 - plot.y.0) / 4.0;
        assert!(
            (rows[0].0 - (plot.y.0 + quarter)).abs() <= 1.5,
            "{rows:?} in {:?}",
            plot.y
        );
        assert!(
            (rows[1].0 - (plot.y.1 - quarter)).abs() <= 1.5,
            "{rows:?} in {:?}",
            plot.y
        );
        let bars: Vec<_> = probe::shapes(&svg, "rect")
            .into_iter()
            .filter(|r| plot.holds(corners(r).0) && plot.holds(corners(r).1))
            .filter(|r| [hex(LOW_END), hex(HIGH_END)].contains(&r["fill"]))
            .collect();
        assert_eq!(bars.len(), 4, "{bars:?}");
        for ((row, _), ends) in rows.iter().zip([(2.5_f64, -0.5_f64), (1.2, 1.9)]) {
            for (end, colour) in [(ends.0, LOW_END), (ends.1, HIGH_END)] {
                let bar = bars
                    .iter()
                    .find(|r| {
                        r["fill"] == hex(colour) && {
                            let ((_, top), (_, bottom)) = corners(r);
                            ((top + bottom) / 2.0 - row).abs() <= 1.0
                        }
                    })
                    .unwrap_or_else(|| panic!("no bar at {end} on row {row}"));
                let ((left, _), (right, _)) = corners(bar);
                let (lo, hi) = (plot.x_value(left), plot.x_value(right));
                let want = (end.min(1.5), end.max(1.5));
                assert!(
                    (lo - want.0).abs() <= plot.x_pixel() && (hi - want.1).abs() <= plot.x_pixel(),
                    "{lo}-{hi}, not {want:?}"
                );
            }
        }
    }
}
