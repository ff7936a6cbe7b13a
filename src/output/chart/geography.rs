//! The map's geography: England's outline (Natural Earth, embedded) and catchments as areas,
//! each CCG's Voronoi cell about its centroid clipped to the outline, in the map's projection.
//!
//! Points are `(x, y)` = (longitude, Mercator's stretched latitude), both in degrees
//! ([`mercator`]): a conformal projection, drawn at one scale on both axes.

/// England's outline: Natural Earth 1:50m admin-0 map units, map unit England (GBR/ENG), as
/// `part,lon,lat` rows (part 1 the Isle of Wight, part 2 the mainland); see
/// scenarios/data/SOURCES.md.
const OUTLINE_CSV: &str = include_str!("../../../scenarios/data/england_outline.csv");

/// Mercator's stretched latitude, in degrees.
pub fn mercator(lat: f64) -> f64 {
    let phi = lat.to_radians();
    (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln().to_degrees()
}

/// A polygon as its vertices in order (not repeating the first).
pub type Polygon = Vec<(f64, f64)>;

/// Returns England's outline as polygons of `(lon, lat)` in degrees.
pub fn outline_degrees() -> Vec<Polygon> {
    let mut parts: Vec<Polygon> = Vec::new();
    let mut current = None;
    for line in OUTLINE_CSV.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [part, lon, lat] = fields[..] else { continue };
        let (Ok(lon), Ok(lat)) = (lon.parse::<f64>(), lat.parse::<f64>()) else {
            continue;
        };
        if current != Some(part) {
            parts.push(Vec::new());
            current = Some(part);
        }
        if let Some(polygon) = parts.last_mut() {
            polygon.push((lon, lat));
        }
    }
    for polygon in &mut parts {
        // The source closes each ring by repeating its first point.
        if polygon.len() > 1 && polygon.first() == polygon.last() {
            polygon.pop();
        }
    }
    parts
}

/// Returns England's outline in the map's projection.
pub fn outline() -> Vec<Polygon> {
    outline_degrees()
        .into_iter()
        .map(|polygon| polygon.into_iter().map(|(lon, lat)| (lon, mercator(lat))).collect())
        .collect()
}

/// Returns the signed area of a polygon (positive when anticlockwise), by the shoelace formula.
pub fn signed_area(polygon: &[(f64, f64)]) -> f64 {
    let n = polygon.len();
    (0..n)
        .map(|i| {
            let (a, b) = (polygon[i], polygon[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

/// Clips `polygon` to the half-plane where `side` is at most 0, `side` affine
/// (Sutherland-Hodgman against one edge: the half-plane is convex, so a non-convex subject
/// is clipped correctly, possibly with zero-width joins along the edge).
fn clip_half(polygon: &[(f64, f64)], side: impl Fn((f64, f64)) -> f64) -> Polygon {
    let mut out = Vec::with_capacity(polygon.len() + 2);
    for i in 0..polygon.len() {
        let (a, b) = (polygon[i], polygon[(i + 1) % polygon.len()]);
        let (sa, sb) = (side(a), side(b));
        if sa <= 0.0 {
            out.push(a);
        }
        if (sa < 0.0 && sb > 0.0) || (sa > 0.0 && sb < 0.0) {
            let t = sa / (sa - sb);
            out.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }
    out
}

/// Clips `polygon` to the half-plane of points at least as near `p` as `q`.
fn clip_nearer(polygon: &[(f64, f64)], p: (f64, f64), q: (f64, f64)) -> Polygon {
    // Inside when (x - m) . (q - p) <= 0, m the midpoint of p and q.
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let m = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
    clip_half(polygon, |x| (x.0 - m.0) * dx + (x.1 - m.1) * dy)
}

/// Clips `polygon` to the box `x` by `y` (ranges); empty when they do not meet.
pub fn clip_to_box(polygon: &[(f64, f64)], x: (f64, f64), y: (f64, f64)) -> Polygon {
    let mut out = clip_half(polygon, |p| x.0 - p.0);
    out = clip_half(&out, |p| p.0 - x.1);
    out = clip_half(&out, |p| y.0 - p.1);
    clip_half(&out, |p| p.1 - y.1)
}

/// Returns each site's Voronoi cell within `region` (polygons), as polygons: the part of the
/// region nearer that site than any other (ties to both).
pub fn voronoi_cells(sites: &[(f64, f64)], region: &[Polygon]) -> Vec<Vec<Polygon>> {
    sites
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            region
                .iter()
                .filter_map(|part| {
                    let mut cell = part.clone();
                    for (j, &q) in sites.iter().enumerate() {
                        if j != i && q != p && !cell.is_empty() {
                            cell = clip_nearer(&cell, p, q);
                        }
                    }
                    (cell.len() >= 3 && signed_area(&cell).abs() > 0.0).then_some(cell)
                })
                .collect()
        })
        .collect()
}

/// Returns, per site, the sites whose cells share an edge of positive length with its own:
/// an edge of cell i lies on the bisector of i and j when both its ends are as near j as i.
pub fn neighbours(sites: &[(f64, f64)], cells: &[Vec<Polygon>]) -> Vec<std::collections::BTreeSet<usize>> {
    let mut near = vec![std::collections::BTreeSet::new(); sites.len()];
    let d2 = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2);
    for (i, polygons) in cells.iter().enumerate() {
        let p = sites[i];
        for polygon in polygons {
            for k in 0..polygon.len() {
                let (a, b) = (polygon[k], polygon[(k + 1) % polygon.len()]);
                if d2(a, b) < 1e-12 {
                    continue;
                }
                for (j, &q) in sites.iter().enumerate() {
                    let scale = d2(p, q).max(1e-12);
                    let on = |x: (f64, f64)| (d2(x, p) - d2(x, q)).abs() < 1e-9 * scale;
                    if j != i && on(a) && on(b) {
                        near[i].insert(j);
                        near[j].insert(i);
                    }
                }
            }
        }
    }
    near
}

#[cfg(test)]
mod tests {
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

    fn area(polygons: &[Polygon]) -> f64 {
        polygons.iter().map(|p| signed_area(p).abs()).sum()
    }

    #[test]
    fn clipping_to_a_box_keeps_the_overlap() {
        // A triangle (0,0), (4,0), (0,4) against the box [1, 3] x [0, 2]: the overlap is the
        // box less the corner above x + y = 4, i.e. 4 - (1/2)(1)(1) = 3.5.
        let triangle = vec![(0.0, 0.0), (4.0, 0.0), (0.0, 4.0)];
        let clipped = clip_to_box(&triangle, (1.0, 3.0), (0.0, 2.0));
        assert!((signed_area(&clipped).abs() - 3.5).abs() < 1e-12, "{clipped:?}");
        // Apart: nothing left.
        assert!(signed_area(&clip_to_box(&triangle, (5.0, 6.0), (5.0, 6.0))).abs() < 1e-12);
        // Wholly inside: unchanged area.
        assert!((signed_area(&clip_to_box(&triangle, (-1.0, 9.0), (-1.0, 9.0))).abs() - 8.0).abs() < 1e-12);
    }

    #[test]
    fn englands_outline_has_its_published_area() {
        // England's area: 130,279 km^2 (ONS Standard Area Measurements, to mean high water).
        // On a sphere of radius 6,371 km, a small polygon's area is the shoelace area of
        // (lon cos(lat0), lat) in radians times R^2, lat0 its mean latitude.
        let parts = outline_degrees();
        assert_eq!(parts.len(), 2);
        let r = 6371.0_f64;
        let lat0 = (52.5_f64).to_radians();
        let km2: f64 = parts
            .iter()
            .map(|p| {
                let flat: Polygon = p
                    .iter()
                    .map(|&(lon, lat)| (lon.to_radians() * lat0.cos(), lat.to_radians()))
                    .collect();
                signed_area(&flat).abs() * r * r
            })
            .sum();
        // The 1:50m outline leaves out small islands and estuaries: within 4%.
        assert!((km2 - 130_279.0).abs() / 130_279.0 < 0.04, "{km2} km^2");
        // Its extent: Land's End (5.7 W) to Lowestoft (1.76 E), the Lizard (49.96 N) to
        // Marshall Meadows (55.81 N).
        let all = || parts.iter().flatten();
        let lon = all()
            .map(|p| p.0)
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
        let lat = all()
            .map(|p| p.1)
            .fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
        assert!((lon.0 + 5.7).abs() < 0.1 && (lon.1 - 1.76).abs() < 0.1, "{lon:?}");
        assert!((lat.0 - 49.96).abs() < 0.1 && (lat.1 - 55.81).abs() < 0.1, "{lat:?}");
    }

    #[test]
    fn two_sites_split_a_square_at_their_bisector() {
        // The square [0, 4] x [0, 2]; sites (1, 1) and (3, 1): the bisector is x = 2.
        let square = vec![vec![(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0)]];
        let cells = voronoi_cells(&[(1.0, 1.0), (3.0, 1.0)], &square);
        assert_eq!(area(&cells[0]), 4.0);
        assert_eq!(area(&cells[1]), 4.0);
        assert!(cells[0][0].iter().all(|p| p.0 <= 2.0));
        assert!(cells[1][0].iter().all(|p| p.0 >= 2.0));
        // A third site at (2, 3), above the square. Nearer it than (1, 1): x + 2y >= 5.5; than
        // (3, 1): y >= x / 2 + 0.75. Within y <= 2 that is the triangle (1.5, 2), (2.5, 2),
        // (2, 1.75): area 1 x 0.25 / 2 = 0.125; the other two share the rest equally.
        let cells = voronoi_cells(&[(1.0, 1.0), (3.0, 1.0), (2.0, 3.0)], &square);
        assert!((area(&cells[2]) - 0.125).abs() < 1e-12);
        assert!((area(&cells[0]) - 3.9375).abs() < 1e-12);
        assert!((area(&cells[1]) - 3.9375).abs() < 1e-12);
        // All three touch (the triangle's sides lie on two bisectors, x = 2 below it on the
        // third).
        let near = neighbours(&[(1.0, 1.0), (3.0, 1.0), (2.0, 3.0)], &cells);
        assert_eq!(near[2], [0, 1].into());
        assert_eq!(near[0], [1, 2].into());
        // Four sites in a row across a long strip: each touches only the next.
        let strip = vec![vec![(0.0, 0.0), (8.0, 0.0), (8.0, 1.0), (0.0, 1.0)]];
        let sites = [(1.0, 0.5), (3.0, 0.5), (5.0, 0.5), (7.0, 0.5)];
        let near = neighbours(&sites, &voronoi_cells(&sites, &strip));
        assert_eq!(near, vec![[1].into(), [0, 2].into(), [1, 3].into(), [2].into()]);
    }

    /// Four unit squares about (0.5, 0.5), (1.5, 0.5), (0.5, 1.5) and (1.5, 1.5) meet at
    /// (1, 1): the diagonal ones touch at that point only, so they are not neighbours, even
    /// where clipping leaves the first a sliver of an edge there (7e-8 long, on the diagonal
    /// pair's bisector x + y = 2).
    #[test]
    fn cells_meeting_at_a_corner_are_not_neighbours() {
        let square = |x: f64, y: f64| vec![vec![(x, y), (x + 1.0, y), (x + 1.0, y + 1.0), (x, y + 1.0)]];
        let sliver = vec![vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (1.0 - 5e-8, 1.0 + 5e-8),
            (0.0, 1.0),
        ]];
        let cells = vec![sliver, square(1.0, 0.0), square(0.0, 1.0), square(1.0, 1.0)];
        let sites = [(0.5, 0.5), (1.5, 0.5), (0.5, 1.5), (1.5, 1.5)];
        let near = neighbours(&sites, &cells);
        assert_eq!(near, vec![[1, 2].into(), [0, 3].into(), [0, 3].into(), [1, 2].into()]);
    }

    #[test]
    fn the_ccgs_cells_tile_england() {
        let register = crate::model::Register::builtin();
        let sites: Vec<(f64, f64)> = register.ccgs().iter().map(|c| (c.lon, mercator(c.lat))).collect();
        let england = outline();
        let cells = voronoi_cells(&sites, &england);
        let covered: f64 = cells.iter().map(|c| area(c)).sum();
        let whole = area(&england);
        assert!((covered - whole).abs() < 1e-9 * whole, "{covered} vs {whole}");
        // Every CCG with a centroid on land gets an area.
        let empty = cells.iter().filter(|c| c.is_empty()).count();
        assert_eq!(empty, 0);
    }
}
