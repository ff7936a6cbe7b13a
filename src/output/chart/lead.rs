//! The waterfall of a lead: what the cheapest option's margin over the runner-up at one N is
//! made of (docs/model.md section 8), one horizontal bar per reason.
//!
//! Each reason (a group of the headline's parts clear of Monte Carlo noise) moves the running
//! total from where the previous one left it, in the colour of the option it favours; the last
//! bar is the margin itself, from 0, with its 95% interval. The bars are those of the sentence
//! "Why the leader leads" ([`crate::experiment::explain::LeadExplanation::reasons`]).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::kit::{Axes, DrawResult, cartesian, padded_range, tick};
use super::option_colour;
use crate::experiment::explain::LeadExplanation;

/// Colour of the margin's bar and its interval.
const MARGIN: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// One bar of the waterfall: its label, where it starts and ends \[GBP per head\], its
/// colour, and the interval drawn on it, if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The reason, or "margin".
    pub label: String,
    /// Start of the bar.
    pub from: f64,
    /// End of the bar.
    pub to: f64,
    /// Colour of the option the reason favours (the margin's own colour for the last bar).
    pub colour: RGBColor,
    /// The 95% interval of the margin, on the last bar.
    pub interval: Option<(f64, f64)>,
}

/// Returns the bars of a lead, top to bottom: each named reason from the running total, the
/// other parts together when they show, and the margin from 0.
pub fn steps(e: &LeadExplanation) -> Vec<Step> {
    let reasons = e.reasons();
    let mut steps = Vec::new();
    let mut total = 0.0;
    let favours = |x: f64| option_colour(if x >= 0.0 { e.leader } else { e.runner_up });
    for (label, interval) in &reasons.named {
        steps.push(Step {
            label: (*label).to_string(),
            from: total,
            to: total + interval.mean,
            colour: favours(interval.mean),
            interval: None,
        });
        total += interval.mean;
    }
    if let Some(rest) = reasons.rest {
        steps.push(Step {
            label: "other parts (each within noise)".to_string(),
            from: total,
            to: total + rest,
            colour: favours(rest),
            interval: None,
        });
    }
    steps.push(Step {
        label: "margin".to_string(),
        from: 0.0,
        to: e.margin.mean,
        colour: MARGIN,
        interval: e.margin.low.is_finite().then_some((e.margin.low, e.margin.high)),
    });
    steps
}

/// Draws the waterfall of one lead.
pub fn waterfall<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, e: &LeadExplanation) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let steps = steps(e);
    let rows = steps.len();
    let x_range = padded_range(
        steps
            .iter()
            .flat_map(|s| {
                [
                    s.from,
                    s.to,
                    s.interval.map_or(s.to, |i| i.0),
                    s.interval.map_or(s.to, |i| i.1),
                ]
            })
            .chain([0.0]),
    );
    // Row k (top first) sits at y = rows - k.
    let labels: Vec<String> = steps.iter().rev().map(|s| s.label.clone()).collect();
    let y_format = |y: &f64| {
        let idx = y.round();
        if (y - idx).abs() < 1e-6 && idx >= 1.0 {
            labels.get(idx as usize - 1).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let span = x_range.1 - x_range.0;
    let x_format = |x: &f64| tick(*x, span);
    let x_desc = format!(
        "GBP per head per year: {} minus {} (right of 0 favours {})",
        e.runner_up, e.leader, e.leader
    );
    let axes = Axes {
        x_desc: &x_desc,
        y_desc: "",
        y_labels: Some(rows + 2),
        x_format: Some(&x_format),
        y_format: Some(&y_format),
        y_area: Some(330),
        ..Axes::default()
    };
    let mut chart = cartesian(area, x_range, (0.4, rows as f64 + 0.6), &axes)?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, 0.4), (0.0, rows as f64 + 0.6)],
        BLACK.stroke_width(1),
    )))?;
    for (k, step) in steps.iter().enumerate() {
        let y = (rows - k) as f64;
        let (lo, hi) = (step.from.min(step.to), step.from.max(step.to));
        chart.draw_series(std::iter::once(Rectangle::new(
            [(lo, y - 0.3), (hi, y + 0.3)],
            step.colour.filled(),
        )))?;
        if let Some((low, high)) = step.interval {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(low, y), (high, y)],
                BLACK.stroke_width(3),
            )))?;
            for end in [low, high] {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(end, y - 0.15), (end, y + 0.15)],
                    BLACK.stroke_width(3),
                )))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OptionKind;
    use crate::stats::MeanInterval;

    fn interval(mean: f64, half: f64) -> MeanInterval {
        MeanInterval {
            n: 1000,
            mean,
            low: mean - half,
            high: mean + half,
        }
    }

    /// National leads network by 1.33: undone work +1.20, shared fixed +0.55, coordination
    /// -0.40 (network's favour), distance within noise (-0.02 +- 0.05). Bars: 0 -> 1.20 ->
    /// 1.75 -> 1.35, then the rest -0.02 (1.35 -> 1.33), then the margin 0 -> 1.33; favouring
    /// national in its colour, network in its own.
    /// The lead of [`each_bar_starts_where_the_last_ended_and_the_margin_from_0`].
    fn national_over_network() -> LeadExplanation {
        LeadExplanation {
            units: 23,
            point: 0,
            leader: OptionKind::National,
            runner_up: OptionKind::Network,
            margin: interval(1.33, 0.05),
            groups: vec![
                ("undone work", interval(1.20, 0.04)),
                ("shared fixed costs and overheads", interval(0.55, 0.01)),
                ("network coordination", interval(-0.40, 0.02)),
                ("distance and remote delivery", interval(-0.02, 0.05)),
            ],
            parts: Vec::new(),
        }
    }

    #[test]
    fn each_bar_starts_where_the_last_ended_and_the_margin_from_0() {
        let e = national_over_network();
        let steps = steps(&e);
        let ends: Vec<(f64, f64)> = steps.iter().map(|s| (s.from, s.to)).collect();
        let expected = [(0.0, 1.20), (1.20, 1.75), (1.75, 1.35), (1.35, 1.33), (0.0, 1.33)];
        assert_eq!(ends.len(), expected.len());
        for (got, want) in ends.iter().zip(expected) {
            assert!(
                (got.0 - want.0).abs() < 1e-12 && (got.1 - want.1).abs() < 1e-12,
                "{got:?} {want:?}"
            );
        }
        let national = option_colour(OptionKind::National);
        let network = option_colour(OptionKind::Network);
        let colours: Vec<RGBColor> = steps.iter().map(|s| s.colour).collect();
        assert_eq!(colours, [national, national, network, network, MARGIN]);
        let (low, high) = steps[4].interval.unwrap();
        assert!((low - 1.28).abs() < 1e-12 && (high - 1.38).abs() < 1e-12);
    }

    /// Drawn, the waterfall of [`national_over_network`] spans -0.14 to 1.89 (0 to 1.75
    /// widened by 8% of the span), so its ticks carry one decimal; each bar, read back
    /// through them, runs between its ends on its own row, named top first.
    #[test]
    fn each_bar_is_drawn_between_its_ends_on_its_named_row() {
        let e = national_over_network();
        let svg = super::super::test_svg(|root| waterfall(root, &e));
        let [plot] = super::super::probe::plots(&svg).try_into().unwrap();
        assert!(
            super::super::probe::named(&plot.x_ticks).len() >= 3,
            "{:?}",
            plot.x_ticks
        );
        super::super::probe::assert_decimals(&plot.x_ticks, 1);
        let texts = super::super::probe::labels(&svg);
        assert!(
            texts
                .iter()
                .any(|l| l.text == "GBP per head per year: network minus national (right of 0 favours national)"),
            "the x axis says which way round"
        );
        // The row names fit on the chart, left of the plot.
        for label in texts.iter().filter(|l| l.anchor == "end" && l.x < plot.x.0) {
            assert!(label.extent().0.0 >= 0.0, "'{}' runs off the chart", label.text);
        }
        let names: Vec<&(f64, String)> = plot.y_ticks.iter().filter(|t| !t.1.is_empty()).collect();
        let labels: Vec<&str> = names.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(
            labels,
            [
                "undone work",
                "shared fixed costs and overheads",
                "network coordination",
                "other parts (each within noise)",
                "margin"
            ]
        );
        let bars: Vec<_> = super::super::probe::shapes(&svg, "rect")
            .into_iter()
            .filter(|r| r.get("fill").is_some_and(|f| f != "#FFFFFF"))
            .filter(|r| {
                let at = |k| super::super::probe::number(r, k);
                plot.holds((at("x"), at("y"))) && plot.holds((at("x") + at("width"), at("y") + at("height")))
            })
            .collect();
        assert_eq!(bars.len(), 5);
        assert_eq!(plot.tick_marks(&svg).1, 5, "a tick mark per row");
        for (step, (row, _)) in steps(&e).iter().zip(&names) {
            let at = |r: &std::collections::HashMap<String, String>, k| super::super::probe::number(r, k);
            let bar = bars
                .iter()
                .find(|r| (at(r, "y") + at(r, "height") / 2.0 - row).abs() <= 1.0)
                .unwrap_or_else(|| panic!("no bar on the row of {}", step.label));
            let (lo, hi) = (
                plot.x_value(at(bar, "x")),
                plot.x_value(at(bar, "x") + at(bar, "width")),
            );
            let (from, to) = (step.from.min(step.to), step.from.max(step.to));
            let pixel = plot.x_pixel();
            assert!(
                (lo - from).abs() <= pixel && (hi - to).abs() <= pixel,
                "{}: {lo}-{hi}, not {from}-{to}",
                step.label
            );
        }
    }

    /// A lead of 0.01 +- 0.1 with no groups is one bar, the margin (the rest, 0.01, does not
    /// show at one decimal), named once though its axis is ticked every half row; the zero
    /// line runs the plot's full height.
    #[test]
    fn a_lone_margin_is_named_once_and_the_zero_line_runs_the_full_height() {
        let e = LeadExplanation {
            groups: Vec::new(),
            margin: interval(0.01, 0.1),
            ..national_over_network()
        };
        assert_eq!(steps(&e).len(), 1);
        let svg = super::super::test_svg(|root| waterfall(root, &e));
        let [plot] = super::super::probe::plots(&svg).try_into().unwrap();
        let names = super::super::probe::named(&plot.y_ticks);
        assert_eq!(names, ["margin"], "{:?}", plot.y_ticks);
        // An axis 0.23 wide prints its ticks to two decimals.
        assert!(
            super::super::probe::named(&plot.x_ticks).len() >= 3,
            "{:?}",
            plot.x_ticks
        );
        super::super::probe::assert_decimals(&plot.x_ticks, 2);
        let points = |line: &str| -> Vec<(f64, f64)> {
            line.split_whitespace()
                .map(|xy| {
                    let (x, y) = xy.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        };
        // The line at 0, not the axis's tick mark there: the longest of the lines at 0.
        let ys: Vec<f64> = super::super::probe::shapes(&svg, "polyline")
            .into_iter()
            .map(|l| points(&l["points"]))
            .filter(|p| p.iter().all(|&(x, _)| plot.x_value(x).abs() <= plot.x_pixel()))
            .map(|p| p.iter().map(|q| q.1).collect::<Vec<f64>>())
            .max_by(|a, b| {
                let length = |v: &Vec<f64>| {
                    v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min)
                };
                length(a).total_cmp(&length(b))
            })
            .expect("a line at 0");
        assert!(
            ys.iter().any(|&y| (y - plot.y.0).abs() <= 1.0),
            "{ys:?} from {:?}",
            plot.y
        );
        assert!(
            ys.iter().any(|&y| (y - plot.y.1).abs() <= 1.0),
            "{ys:?} from {:?}",
            plot.y
        );
    }
}
