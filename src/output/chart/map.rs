//! The maps: catchments (each CCG's area filled by its planned unit) and unmet demand (filled
//! by the class of its mean unmet share), one panel per option with a London inset; their
//! colour scales, the colouring of touching catchments and the equal-scale axes. The areas
//! and the projection come from [`super::geography`].

use plotters::coord::Shift;
use plotters::prelude::*;

use super::geography::{self, mercator};
use super::kit::{DrawResult, legend_lines, padded_range};
use super::{COAST, FONT, LABEL_SIZE, PALETTE};
use crate::experiment::{ExperimentResults, MapData};
use crate::model::OptionKind;

/// Draws the catchments map of N = `units`, its legend in `side`.
pub(super) fn catchments_chart<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    side: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
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
    legend_lines(side, &lines)?;
    map(plot, results, units, false)
}

/// Draws the unmet-demand map of N = `units`, its classes' legend in `side`.
pub(super) fn unmet_chart<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    side: &DrawingArea<DB, Shift>,
    results: &ExperimentResults,
    units: usize,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let shares = unmet_shares(results, units);
    let largest = shares
        .iter()
        .flatten()
        .copied()
        .filter(|s| s.is_finite())
        .fold(0.0, f64::max);
    let entries = unmet_legend(&unmet_breaks(shares.iter().flatten().copied()), largest);
    let mut lines: Vec<(&str, Option<RGBColor>)> = vec![("Mean unmet share of", None), ("each CCG's demand, %:", None)];
    lines.extend(entries.iter().map(|(label, colour)| (label.as_str(), Some(*colour))));
    lines.extend([
        ("unit site", Some(WHITE)),
        ("crossed: serves under", Some(RARE_UNIT)),
        ("half the months", None),
        ("", None),
        ("Areas as on the", None),
        ("catchments map.", None),
    ]);
    legend_lines(side, &lines)?;
    map(plot, results, units, true)
}

/// Light fill of England behind the catchments.
const LAND: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);

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
/// each CCG on the unmet map (`unmet_class`; `None` where the share is undefined).
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
    cells: &'a [Vec<geography::Polygon>],
    england: &'a [geography::Polygon],
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
    let england = geography::outline();
    let whole = (
        padded_range(england.iter().flatten().map(|p| p.0)),
        padded_range(england.iter().flatten().map(|p| p.1)),
    );
    let london = (LONDON.0, (mercator(LONDON.1.0), mercator(LONDON.1.1)));
    let sites: Vec<(f64, f64)> = results.ccgs.iter().map(|c| (c.lon, mercator(c.lat))).collect();
    let cells = geography::voronoi_cells(&sites, &england);
    let touching = geography::neighbours(&sites, &cells);
    let london_cells: Vec<Vec<geography::Polygon>> = cells.iter().map(|parts| clipped(parts, london)).collect();
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
        let site_fills = site_fills(results, data, unmet, &unit_colour);
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

/// Each unit's square: its site, fill and whether it is crossed. On the catchments map the
/// fill is its catchment's colour; on the unmet map a unit serving any CCG in under half the
/// operating months on average is grey and crossed (its catchment is served by others or not
/// at all), the others white.
fn site_fills(
    results: &ExperimentResults,
    data: &MapData,
    unmet: bool,
    unit_colour: &dyn Fn(usize) -> RGBColor,
) -> Vec<((f64, f64), RGBColor, bool)> {
    let serving = unit_serving_shares(results, data);
    data.sites
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
        .collect()
}

/// A unit serving any CCG in less than this share of the operating months, on average, is
/// marked as rarely serving on the unmet map.
pub const RARELY_SERVING: f64 = 0.5;

/// The fill of a rarely serving unit's square.
const RARE_UNIT: RGBColor = RGBColor(0xA0, 0xA0, 0xA0);

/// Returns, per unit of a map's cell (first sweep point), the mean share of operating months
/// in which it served at least one CCG-function; empty without totals by place.
pub fn unit_serving_shares(results: &ExperimentResults, data: &MapData) -> Vec<f64> {
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
fn clipped(polygons: &[geography::Polygon], (x, y): ((f64, f64), (f64, f64))) -> Vec<geography::Polygon> {
    polygons
        .iter()
        .map(|p| geography::clip_to_box(p, x, y))
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
    let ring = |p: &geography::Polygon| {
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
/// [`geography::neighbours`]); units are coloured greedily ([`greedy_colouring`]).
pub(super) fn catchment_colours(data: &MapData, touching: &[std::collections::BTreeSet<usize>]) -> Vec<usize> {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

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
            let cells = geography::voronoi_cells(&sites, &geography::outline());
            let touching = geography::neighbours(&sites, &cells);
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
        // 0.05% is the least share that counts as some (as the breaks count it).
        assert_eq!(unmet_class(0.0005, &breaks), 1);
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
        // Each entry in its class's colour, so no two alike: "0.1 to 1.1" is class 1, where
        // 0.5% falls.
        let colours: Vec<RGBColor> = legend.iter().map(|e| e.1).collect();
        assert_eq!(colours[0], unmet_colour(0));
        assert_eq!(colours[1], unmet_colour(unmet_class(0.005, &breaks)));
        for (k, colour) in colours.iter().enumerate() {
            assert_eq!(*colour, unmet_colour(k), "entry {k}");
            assert!(!colours[k + 1..].contains(colour), "entry {k}'s colour repeats");
        }
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

    /// Two units and three CCGs that all touch, the third planned to no unit of the map (an
    /// index past the last): the two units differ and the third CCG colours nothing.
    #[test]
    fn a_ccg_planned_to_no_unit_of_the_map_is_left_out_of_the_colouring() {
        let data = crate::experiment::MapData {
            option: crate::model::OptionKind::Hubs,
            units: 2,
            ccgs: vec![(52.0, -1.0, 0), (52.1, -1.1, 1), (52.2, -1.2, 2)],
            sites: vec![(52.0, -1.0), (52.1, -1.1)],
        };
        let touching: Vec<BTreeSet<usize>> = (0..3).map(|i| (0..3).filter(|&j| j != i).collect()).collect();
        let colours = catchment_colours(&data, &touching);
        assert_eq!(colours.len(), 2);
        assert_ne!(colours[0], colours[1]);
    }

    /// The London inset shows London alone: London lies inland, so its land is the inset's
    /// box itself, one per option's panel, and every area drawn below the England maps lies
    /// in a box.
    #[test]
    fn the_london_inset_draws_nothing_outside_its_box() {
        use super::super::probe;
        let svg = hubs_and_national_map();
        let polygons: Vec<(String, Vec<(f64, f64)>)> = probe::shapes(&svg, "polygon")
            .into_iter()
            .map(|p| {
                let points = p["points"]
                    .split_whitespace()
                    .map(|xy| {
                        let (x, y) = xy.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect();
                (p["fill"].clone(), points)
            })
            .collect();
        let span = |points: &[(f64, f64)]| {
            let (xs, ys): (Vec<f64>, Vec<f64>) = points.iter().copied().unzip();
            let range = |v: &[f64]| {
                (
                    v.iter().copied().fold(f64::MAX, f64::min),
                    v.iter().copied().fold(f64::MIN, f64::max),
                )
            };
            (range(&xs), range(&ys))
        };
        let boxes: Vec<((f64, f64), (f64, f64))> = polygons
            .iter()
            .filter(|(fill, points)| {
                let (x, y) = span(points);
                *fill == probe::hex(LAND)
                    && points
                        .iter()
                        .all(|p| [x.0, x.1].contains(&p.0) && [y.0, y.1].contains(&p.1))
            })
            .map(|(_, points)| span(points))
            .collect();
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        // London at a larger scale: its box is most of the inset's width, not a speck.
        for b in &boxes {
            assert!(b.0.1 - b.0.0 > 150.0, "an inset box {b:?}");
        }
        let top = boxes.iter().map(|b| b.1.0).fold(f64::MAX, f64::min);
        let inside = |&(x, y): &(f64, f64)| {
            boxes
                .iter()
                .any(|b| x >= b.0.0 - 1.0 && x <= b.0.1 + 1.0 && y >= b.1.0 - 1.0 && y <= b.1.1 + 1.0)
        };
        let mut drawn = 0;
        for (_, points) in polygons.iter().filter(|(_, points)| points.iter().any(|p| p.1 > top)) {
            drawn += 1;
            assert!(points.iter().all(inside), "an area outside the inset: {points:?}");
        }
        assert!(drawn > 2 * 20, "{drawn} areas in the insets");
        // And only the units sited in London have their squares there.
        for r in probe::shapes(&svg, "rect").iter().filter(|r| r["width"] == "10") {
            let ((left, top_edge), (right, bottom)) = probe::corners(r);
            if bottom > top {
                let centre = ((left + right) / 2.0, (top_edge + bottom) / 2.0);
                assert!(inside(&centre), "a unit's square outside the inset at {centre:?}");
            }
        }
    }

    /// The catchments map of hubs and national at N = 23 (no replications: the map is the
    /// plan).
    fn hubs_and_national_map() -> String {
        use super::super::{Chart, ChartKind};
        use crate::output::fixture::{scenario, started};
        let results = started(&scenario("options = [\"hubs\", \"national\"]\nunits = [23]\n", "t"));
        let chart = Chart::new("t", "t".to_string(), ChartKind::Map(23));
        super::super::test_svg(|root| super::super::draw::draw(root, &results, &chart))
    }

    /// Every unit's square is filled: each outlined 10-pixel square has a filled one under
    /// it, 23 units in each of the two England maps and more in the London insets.
    #[test]
    fn every_units_square_is_filled() {
        use super::super::probe::shapes;
        let svg = hubs_and_national_map();
        let squares = |filled: bool| -> Vec<(String, String)> {
            shapes(&svg, "rect")
                .into_iter()
                .filter(|r| r["width"] == "10" && r["height"] == "10" && (r["fill"] != "none") == filled)
                .map(|r| (r["x"].clone(), r["y"].clone()))
                .collect()
        };
        let (outlined, filled) = (squares(false), squares(true));
        assert!(outlined.len() > 2 * 23, "{} squares", outlined.len());
        for at in &outlined {
            assert!(filled.contains(at), "the square at {at:?} is not filled");
        }
    }
}
