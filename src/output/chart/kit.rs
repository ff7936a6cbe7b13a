//! The house style every chart shares: the frame (title, background, legend strip), the
//! cartesian plot with its grid and axes, tick formats, padded ranges and legends.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

use super::{COAST, FONT, LABEL_SIZE, LEGEND_WIDTH, TICK_SIZE, TITLE_SIZE};

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
pub(super) fn legend_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[(&str, Option<RGBColor>)],
) -> DrawResult
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

#[cfg(test)]
mod tests {
    use super::super::probe::{self, corners, hex};
    use super::*;

    /// Legend lines, drawn in the legend strip: each below the last, inside the strip, its
    /// text beside its square at the square's height, and a line without a colour starting
    /// where the squares do.
    #[test]
    fn legend_lines_run_down_the_strip_each_beside_its_square() {
        let colours = [RGBColor(0xAA, 0, 0), RGBColor(0, 0xAA, 0)];
        let svg = super::super::test_svg(|root| {
            let (_, side) = frame(root, "t")?;
            legend_lines(
                &side,
                &[
                    ("first", Some(colours[0])),
                    ("second", Some(colours[1])),
                    ("a note", None),
                ],
            )
        });
        let texts = probe::labels(&svg);
        let at = |text: &str| {
            texts
                .iter()
                .find(|l| l.text == text)
                .unwrap_or_else(|| panic!("no '{text}'"))
        };
        let (first, second, note) = (at("first"), at("second"), at("a note"));
        assert!(first.y < second.y && second.y < note.y, "{first:?} {second:?} {note:?}");
        let strip_left = f64::from(super::super::WIDTH - super::super::LEGEND_WIDTH);
        let mut square_left = Vec::new();
        for (label, colour) in [(first, colours[0]), (second, colours[1])] {
            let squares: Vec<_> = probe::shapes(&svg, "rect")
                .into_iter()
                .filter(|r| r["fill"] == hex(colour))
                .collect();
            let [square] = squares.try_into().unwrap();
            let ((left, top), (right, bottom)) = corners(&square);
            assert!(left >= strip_left && top >= 56.0, "{square:?} outside the strip");
            assert!(right < label.x, "'{}' not beside its square", label.text);
            assert!(
                label.y >= top - 1.0 && label.y < bottom,
                "'{}' not at its square's height",
                label.text
            );
            square_left.push(left);
        }
        assert!((note.x - square_left[0]).abs() <= 1.0, "{note:?} from {square_left:?}");
        assert!(f64::from(super::super::HEIGHT) > note.y);
    }
}
