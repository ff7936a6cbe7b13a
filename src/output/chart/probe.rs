//! Reads a chart back from the SVG plotters wrote, for the chart tests (the unit tests here
//! and the integration tests, which include this file): its texts, its shapes, and the data
//! value at a pixel, from the numbers its axes print. A test that reads a point's value back
//! through the printed ticks checks the range, the mapping and the ticks together, as a
//! reader of the chart would. It needs nothing of the crate but plotters' colours.

use std::collections::HashMap;

use plotters::style::RGBColor;

/// The attributes of every `<tag ...>` element of an SVG written by plotters.
pub fn shapes(svg: &str, tag: &str) -> Vec<HashMap<String, String>> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .map(|rest| {
            let attributes = rest.split('>').next().unwrap();
            attributes
                .split("\" ")
                .filter_map(|pair| pair.split_once("=\""))
                .map(|(k, v)| (k.trim().to_string(), v.trim_end_matches(['"', '/']).to_string()))
                .collect()
        })
        .collect()
}

/// A numeric attribute of a shape.
pub fn number(shape: &HashMap<String, String>, key: &str) -> f64 {
    shape[key].parse().unwrap_or_else(|_| panic!("{key} of {shape:?}"))
}

/// A text of a chart: where it is anchored, how, its size and content.
#[derive(Clone, Debug)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub anchor: String,
    pub rotated: bool,
    pub size: f64,
    pub text: String,
}

impl Label {
    /// The box of a horizontal text, `((left, right), (top, bottom))`, estimated from its
    /// anchor, size and length (a sans-serif glyph is at most about 0.62 of the size wide).
    pub fn extent(&self) -> ((f64, f64), (f64, f64)) {
        let width = 0.62 * self.size * self.text.chars().count() as f64;
        let left = match self.anchor.as_str() {
            "middle" => self.x - width / 2.0,
            "end" => self.x - width,
            _ => self.x,
        };
        ((left, left + width), (self.y, self.y + self.size))
    }
}

/// The texts of an SVG written by plotters.
pub fn labels(svg: &str) -> Vec<Label> {
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let (tag, rest) = t.split_once('>').unwrap();
            let attributes = shapes(&format!("<text {tag}>"), "text").remove(0);
            let get = |k: &str| attributes.get(k).and_then(|v| v.parse().ok()).unwrap_or(0.0);
            Label {
                x: get("x"),
                y: get("y"),
                anchor: attributes.get("text-anchor").cloned().unwrap_or_default(),
                rotated: attributes.contains_key("transform"),
                size: get("font-size"),
                text: rest.split("</text>").next().unwrap().trim().to_string(),
            }
        })
        .collect()
}

/// The texts of the labelled ticks, in order (ticks printed blank left out).
pub fn named(ticks: &[(f64, String)]) -> Vec<&str> {
    ticks.iter().map(|t| t.1.as_str()).filter(|t| !t.is_empty()).collect()
}

/// Asserts that every labelled tick prints `decimals` decimals.
pub fn assert_decimals(ticks: &[(f64, String)], decimals: usize) {
    for tick in named(ticks) {
        assert_eq!(tick.split_once('.').map(|(_, d)| d.len()), Some(decimals), "{ticks:?}");
    }
}

/// The number a tick label prints (`12%` is 12, `1,200` is 1200).
pub fn tick_value(text: &str) -> Option<f64> {
    text.trim_end_matches('%').replace(',', "").parse().ok()
}

/// One plot of a chart, read back from its axes: the pixel box the axis lines frame, and the
/// ticks printed along them.
#[derive(Clone, Debug)]
pub struct Plot {
    /// Left and right edge \[px\].
    pub x: (f64, f64),
    /// Top and bottom edge \[px\].
    pub y: (f64, f64),
    /// `(pixel, text)` of the x axis's tick labels, left to right.
    pub x_ticks: Vec<(f64, String)>,
    /// `(pixel, text)` of the y axis's tick labels, top to bottom.
    pub y_ticks: Vec<(f64, String)>,
}

/// The black two-point polylines of an SVG: `((x1, y1), (x2, y2))`.
fn segments(svg: &str) -> Vec<((f64, f64), (f64, f64))> {
    shapes(svg, "polyline")
        .into_iter()
        .filter(|p| p.get("stroke").map(String::as_str) == Some("#000000"))
        .filter_map(|p| {
            let points: Vec<f64> = p["points"]
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            (points.len() == 4).then(|| ((points[0], points[1]), (points[2], points[3])))
        })
        .collect()
}

/// The plots of a chart, left to right and top to bottom: each y axis line (vertical, longer
/// than 100 px) with the x axis line that starts at its foot.
pub fn plots(svg: &str) -> Vec<Plot> {
    let lines = segments(svg);
    let texts = labels(svg);
    let mut plots: Vec<Plot> = lines
        .iter()
        .filter(|(a, b)| a.0 == b.0 && (b.1 - a.1).abs() > 100.0)
        .filter_map(|&(a, b)| {
            let (top, bottom) = (a.1.min(b.1), a.1.max(b.1));
            let axis = lines
                .iter()
                .find(|(p, q)| p.1 == q.1 && (p.1 - bottom).abs() <= 1.0 && (p.0.min(q.0) - a.0).abs() <= 1.0)?;
            let (left, right) = (a.0, axis.0.0.max(axis.1.0));
            let mut x_ticks: Vec<(f64, String)> = texts
                .iter()
                .filter(|t| !t.rotated && t.anchor == "middle")
                .filter(|t| t.x >= left - 1.0 && t.x <= right + 1.0 && t.y > bottom && t.y < bottom + 30.0)
                .map(|t| (t.x, t.text.clone()))
                .collect();
            x_ticks.sort_by(|p, q| p.0.total_cmp(&q.0));
            let mut y_ticks: Vec<(f64, String)> = texts
                .iter()
                .filter(|t| !t.rotated && t.anchor == "end")
                .filter(|t| t.x < left && t.x > left - 30.0 && t.y >= top - 1.0 && t.y <= bottom + 1.0)
                .map(|t| (t.y, t.text.clone()))
                .collect();
            y_ticks.sort_by(|p, q| p.0.total_cmp(&q.0));
            Some(Plot {
                x: (left, right),
                y: (top, bottom),
                x_ticks,
                y_ticks,
            })
        })
        .collect();
    plots.sort_by(|p, q| (p.y.0, p.x.0).partial_cmp(&(q.y.0, q.x.0)).unwrap());
    plots
}

/// The linear map from pixels to values through the first and last numeric tick.
fn scale(ticks: &[(f64, String)]) -> impl Fn(f64) -> f64 {
    let numeric: Vec<(f64, f64)> = ticks
        .iter()
        .filter_map(|(px, text)| tick_value(text).map(|v| (*px, v)))
        .collect();
    assert!(numeric.len() >= 2, "fewer than two numeric ticks: {ticks:?}");
    let ((p0, v0), (p1, v1)) = (numeric[0], numeric[numeric.len() - 1]);
    move |px| v0 + (px - p0) * (v1 - v0) / (p1 - p0)
}

impl Plot {
    /// The value at pixel `px` on the x axis, read through its first and last tick.
    pub fn x_value(&self, px: f64) -> f64 {
        scale(&self.x_ticks)(px)
    }

    /// The value at pixel `py` on the y axis, read through its first and last tick.
    pub fn y_value(&self, py: f64) -> f64 {
        scale(&self.y_ticks)(py)
    }

    /// The x value one pixel spans.
    pub fn x_pixel(&self) -> f64 {
        (self.x_value(1.0) - self.x_value(0.0)).abs()
    }

    /// The y value one pixel spans.
    pub fn y_pixel(&self) -> f64 {
        (self.y_value(1.0) - self.y_value(0.0)).abs()
    }

    /// Whether a pixel lies in the plot's box (to within a pixel).
    pub fn holds(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x.0 - 1.0 && x <= self.x.1 + 1.0 && y >= self.y.0 - 1.0 && y <= self.y.1 + 1.0
    }
}

/// How plotters writes a colour in SVG (`#0072B2`).
pub fn hex(colour: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
}

/// The corners of a `<rect>`: `((left, top), (right, bottom))` \[px\].
pub fn corners(rect: &HashMap<String, String>) -> ((f64, f64), (f64, f64)) {
    let (x, y) = (number(rect, "x"), number(rect, "y"));
    ((x, y), (x + number(rect, "width"), y + number(rect, "height")))
}

impl Plot {
    /// Reads the circles of `svg` inside this plot back to data points and checks they are
    /// `expected`, one circle per point, each to within a pixel on both axes.
    pub fn assert_points(&self, svg: &str, mut expected: Vec<(f64, f64)>) {
        let centre = |c: &HashMap<String, String>| (number(c, "cx"), number(c, "cy"));
        for px in shapes(svg, "circle").iter().map(centre).filter(|&px| self.holds(px)) {
            let (x, y) = (self.x_value(px.0), self.y_value(px.1));
            let at = expected
                .iter()
                .position(|e| (e.0 - x).abs() <= self.x_pixel() && (e.1 - y).abs() <= self.y_pixel())
                .unwrap_or_else(|| panic!("a point at ({x}, {y}) where none is expected: {expected:?}"));
            expected.remove(at);
        }
        assert!(expected.is_empty(), "not drawn in the plot: {expected:?}");
    }

    /// As [`Plot::assert_points`], for a chart whose every circle is in this plot.
    pub fn assert_all_points(&self, svg: &str, expected: Vec<(f64, f64)>) {
        assert_eq!(shapes(svg, "circle").len(), expected.len(), "a point outside the plot");
        self.assert_points(svg, expected);
    }

    /// The tick marks under the x axis and left of the y axis.
    pub fn tick_marks(&self, svg: &str) -> (usize, usize) {
        let lines = segments(svg);
        let x = lines
            .iter()
            .filter(|(a, b)| a.0 == b.0 && a.1.min(b.1) >= self.y.1 && (a.1 - b.1).abs() < 10.0)
            .filter(|(a, _)| a.0 >= self.x.0 - 1.0 && a.0 <= self.x.1 + 1.0)
            .count();
        let y = lines
            .iter()
            .filter(|(a, b)| a.1 == b.1 && a.0.max(b.0) <= self.x.0 && (a.0 - b.0).abs() < 10.0)
            .filter(|(a, _)| a.1 >= self.y.0 - 1.0 && a.1 <= self.y.1 + 1.0)
            .count();
        (x, y)
    }
}
