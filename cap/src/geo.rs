//! Geometry between geohash cells and CAP areas.
//!
//! Export: a cell becomes its bounding box as a closed five-point polygon. Import: CAP
//! polygons and circles become the smallest set of cells that covers them at a chosen
//! precision. The cover is found top-down: start from the precision-3 cells under each
//! shape's bounding box, keep a cell whole when it lies inside a shape, drop it when it
//! misses every shape, and split it into its 32 children while it straddles a boundary
//! and is coarser than asked. Then full sets of 32 siblings are merged into their parent.
//! When the result has more than [`MAX_AREAS`] cells the precision is lowered until it
//! fits; a cover at a coarser precision still covers, it only warns more people.
//!
//! Coordinates are treated as a plane (longitude as x, latitude as y) and circles with
//! an equirectangular approximation around their centre: errors are far below a cell at
//! the scale of an alert.
//!
//! The antimeridian: a polygon edge spanning more than 180 degrees of longitude is taken
//! to go the short way, across the antimeridian (as GeoJSON, RFC 7946, does; no alert
//! area is wider than half the Earth). Such a polygon is unwrapped into continuous
//! longitudes beyond ±180, and covered together with its copy shifted by 360 degrees, so
//! the cells on both sides are found. A circle that reaches across is covered the same
//! way. A polygon that winds all the way around a pole is refused: every column of cells
//! meets there, so no alert can carry it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use aviso_protocol::Area;
use aviso_protocol::limits::{MAX_AREA_PRECISION, MAX_AREAS, MIN_AREA_PRECISION};

use crate::model::{Circle, Point, Polygon};

/// The geohash alphabet (base 32 without a, i, l, o).
const GEOHASH_ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// Kilometres per degree of latitude (and of longitude at the equator), mean Earth.
const KM_PER_DEGREE: f64 = 111.195;

/// How far (in degrees, about 0.1 mm) a cell is shrunk before testing it against a
/// polygon, so that sharing an edge does not count as overlapping.
const EDGE_EPSILON: f64 = 1e-9;

/// Most edge tests spent on one cover at one precision. A few tens of millions take well
/// under a second; past that the precision is lowered (coarser cells need fewer tests).
pub const MAX_COVER_WORK: u64 = 30_000_000;

/// Most cells a cover may hold before merging. Merging folds at most 32 siblings into
/// one, so a cover with more than this many can never fit in [`MAX_AREAS`]; stopping
/// early bounds memory.
const MAX_RAW_CELLS: usize = MAX_AREAS * 32;

/// A cell's bounding box as the closed polygon CAP expects: south-west, south-east,
/// north-east, north-west, south-west.
pub fn cell_polygon(cell: &Area) -> Polygon {
    let (lat0, lon0, lat1, lon1) = cell.bounds();
    let p = |lat, lon| Point { lat, lon };
    Polygon {
        points: vec![
            p(lat0, lon0),
            p(lat0, lon1),
            p(lat1, lon1),
            p(lat1, lon0),
            p(lat0, lon0),
        ],
    }
}

/// The result of [`cover`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cover {
    /// The cells, sorted, none covering another.
    pub cells: Vec<Area>,
    /// The finest precision used; lower than asked when the area had to be coarsened.
    pub precision: usize,
    /// Whether cells had to be coarser than asked (or than given) to fit.
    pub coarsened: bool,
}

/// Why no cover fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CoverError {
    /// Even at precision 3 (cells of about 156 km) more than [`MAX_AREAS`] cells are
    /// needed, or the shapes are too detailed to compute.
    #[error(
        "the area is too large for one alert: even with the largest cells (precision \
         {MIN_AREA_PRECISION}, about 156 km) it needs more than {MAX_AREAS}"
    )]
    TooLarge,
    /// A polygon winds around a pole: covering it would take every column of cells.
    #[error(
        "a polygon goes all the way around a pole: every column of geohash cells meets \
         there, so covering it would take far more than the {MAX_AREAS} cells an alert may \
         carry"
    )]
    AroundPole,
}

/// Cover `polygons` and `circles` at `precision` (3 to 6), together with the `fixed`
/// cells (taken as given), in at most [`MAX_AREAS`] cells.
pub fn cover(
    polygons: &[Polygon],
    circles: &[Circle],
    fixed: &[Area],
    precision: usize,
) -> Result<Cover, CoverError> {
    let precision = precision.clamp(MIN_AREA_PRECISION, MAX_AREA_PRECISION);
    let mut shapes: Vec<Shape<'_>> = Vec::new();
    for p in polygons {
        Shape::polygons(p, &mut shapes)?;
    }
    for c in circles {
        Shape::circles(*c, &mut shapes);
    }
    let finest_fixed = fixed.iter().map(|a| a.as_str().len()).max().unwrap_or(0);
    let mut cached: Option<(usize, Option<Vec<Area>>)> = None;
    for p in (MIN_AREA_PRECISION..=MAX_AREA_PRECISION).rev() {
        let shape_p = p.min(precision);
        if shapes.is_empty() && p > finest_fixed.max(MIN_AREA_PRECISION) {
            continue;
        }
        let shape_cells = match &cached {
            Some((cp, cells)) if *cp == shape_p => cells.clone(),
            _ => {
                let cells = cover_shapes(&shapes, shape_p);
                cached = Some((shape_p, cells.clone()));
                cells
            }
        };
        let Some(mut cells) = shape_cells else {
            continue; // too much work at this precision: try coarser cells
        };
        cells.extend(fixed.iter().map(|a| truncate(a, p)));
        let cells = normalize(cells);
        if cells.len() <= MAX_AREAS {
            let used = cells.iter().map(|a| a.as_str().len()).max().unwrap_or(p);
            let coarsened = (!shapes.is_empty() && shape_p < precision) || p < finest_fixed;
            return Ok(Cover {
                cells,
                precision: used,
                coarsened,
            });
        }
    }
    Err(CoverError::TooLarge)
}

/// The cell's prefix of at most `len` characters.
fn truncate(a: &Area, len: usize) -> Area {
    let s = a.as_str();
    if s.len() <= len {
        return a.clone();
    }
    Area::parse(&s[..len]).expect("a prefix of at least 3 characters of a cell is a cell")
}

/// Sort, drop duplicates and cells inside others, and merge full sets of 32 siblings.
pub fn normalize(cells: Vec<Area>) -> Vec<Area> {
    let mut set: BTreeSet<Area> = cells.into_iter().collect();
    loop {
        let mut children: BTreeMap<Area, usize> = BTreeMap::new();
        for c in &set {
            if c.as_str().len() > MIN_AREA_PRECISION {
                *children
                    .entry(truncate(c, c.as_str().len() - 1))
                    .or_default() += 1;
            }
        }
        let full: Vec<Area> = children
            .into_iter()
            .filter(|(_, n)| *n == GEOHASH_ALPHABET.len())
            .map(|(p, _)| p)
            .collect();
        if full.is_empty() {
            break;
        }
        for parent in full {
            set.retain(|c| !(c.as_str().len() == parent.as_str().len() + 1 && parent.covers(c)));
            set.insert(parent);
        }
    }
    let all: Vec<Area> = set.iter().cloned().collect();
    set.retain(|c| !all.iter().any(|o| o != c && o.covers(c)));
    set.into_iter().collect()
}

/// A rectangle in degrees.
#[derive(Debug, Clone, Copy)]
struct Rect {
    lat0: f64,
    lon0: f64,
    lat1: f64,
    lon1: f64,
}

impl Rect {
    fn of(cell: &Area) -> Rect {
        let (lat0, lon0, lat1, lon1) = cell.bounds();
        Rect {
            lat0,
            lon0,
            lat1,
            lon1,
        }
    }

    fn intersects(&self, o: &Rect) -> bool {
        self.lat0 <= o.lat1 && o.lat0 <= self.lat1 && self.lon0 <= o.lon1 && o.lon0 <= self.lon1
    }

    fn contains(&self, p: Point) -> bool {
        (self.lat0..=self.lat1).contains(&p.lat) && (self.lon0..=self.lon1).contains(&p.lon)
    }

    fn shrunk(&self, by: f64) -> Rect {
        Rect {
            lat0: self.lat0 + by,
            lon0: self.lon0 + by,
            lat1: self.lat1 - by,
            lon1: self.lon1 - by,
        }
    }

    fn corners(&self) -> [Point; 4] {
        let p = |lat, lon| Point { lat, lon };
        [
            p(self.lat0, self.lon0),
            p(self.lat0, self.lon1),
            p(self.lat1, self.lon1),
            p(self.lat1, self.lon0),
        ]
    }
}

/// How a cell lies relative to a shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Outside,
    Partial,
    Inside,
}

enum ShapeKind<'a> {
    /// A closed ring; its longitudes may run past ±180 (see [`unwrap_ring`]).
    Polygon(Cow<'a, [Point]>),
    /// Its centre's longitude may be shifted by 360 degrees.
    Circle(Circle),
}

struct Shape<'a> {
    kind: ShapeKind<'a>,
    /// The bounding box; may extend past ±180 degrees of longitude.
    bbox: Rect,
}

/// The ring with continuous longitudes: an edge that spans more than 180 degrees goes
/// the short way, across the antimeridian, so the points after it are moved by 360
/// degrees. Borrowed when no edge crosses. A ring that does not close once unwrapped
/// winds around a pole.
fn unwrap_ring(points: &[Point]) -> Result<Cow<'_, [Point]>, CoverError> {
    if !points
        .windows(2)
        .any(|e| (e[1].lon - e[0].lon).abs() > 180.0)
    {
        return Ok(Cow::Borrowed(points));
    }
    let mut out = Vec::with_capacity(points.len());
    let mut offset = 0.0;
    let mut prev: Option<f64> = None;
    for p in points {
        if let Some(prev) = prev {
            let step = p.lon - prev;
            if step > 180.0 {
                offset -= 360.0;
            } else if step < -180.0 {
                offset += 360.0;
            }
        }
        prev = Some(p.lon);
        out.push(Point {
            lat: p.lat,
            lon: p.lon + offset,
        });
    }
    // The ring is closed (the parser makes sure), so a net shift means it went around.
    if offset != 0.0 {
        return Err(CoverError::AroundPole);
    }
    Ok(Cow::Owned(out))
}

/// The shifts (in degrees of longitude) that bring some of `lon0..=lon1` into
/// -180..=180: none for a range inside it, 360 one way or the other for the part past
/// ±180 (only touching the line needs no copy). For a range narrower than 360 degrees, at
/// most two in all.
fn shifts(lon0: f64, lon1: f64) -> impl Iterator<Item = f64> {
    [0.0, -360.0, 360.0].into_iter().filter(move |&s| {
        if s == 0.0 {
            lon0 <= 180.0 && lon1 >= -180.0
        } else {
            lon0 + s < 180.0 && lon1 + s > -180.0
        }
    })
}

impl<'a> Shape<'a> {
    /// The polygon, and its copy on the other side of the antimeridian when it crosses.
    fn polygons(p: &'a Polygon, out: &mut Vec<Shape<'a>>) -> Result<(), CoverError> {
        let ring = unwrap_ring(&p.points)?;
        let mut bbox = Rect {
            lat0: f64::INFINITY,
            lon0: f64::INFINITY,
            lat1: f64::NEG_INFINITY,
            lon1: f64::NEG_INFINITY,
        };
        for q in ring.iter() {
            bbox.lat0 = bbox.lat0.min(q.lat);
            bbox.lat1 = bbox.lat1.max(q.lat);
            bbox.lon0 = bbox.lon0.min(q.lon);
            bbox.lon1 = bbox.lon1.max(q.lon);
        }
        if bbox.lon1 - bbox.lon0 >= 360.0 {
            // All the way around the Earth (or no points): no alert area.
            return Err(CoverError::TooLarge);
        }
        for shift in shifts(bbox.lon0, bbox.lon1) {
            let kind = if shift == 0.0 {
                ShapeKind::Polygon(ring.clone())
            } else {
                let moved: Vec<Point> = ring
                    .iter()
                    .map(|q| Point {
                        lat: q.lat,
                        lon: q.lon + shift,
                    })
                    .collect();
                ShapeKind::Polygon(Cow::Owned(moved))
            };
            out.push(Shape {
                kind,
                bbox: Rect {
                    lon0: bbox.lon0 + shift,
                    lon1: bbox.lon1 + shift,
                    ..bbox
                },
            });
        }
        Ok(())
    }

    /// The circle, and its copy on the other side of the antimeridian when it reaches
    /// across.
    fn circles(c: Circle, out: &mut Vec<Shape<'a>>) {
        let dlat = c.radius_km / KM_PER_DEGREE;
        let k = c.centre.lat.to_radians().cos().max(1e-6);
        let dlon = c.radius_km / (KM_PER_DEGREE * k);
        let (lat0, lat1) = (
            (c.centre.lat - dlat).max(-90.0),
            (c.centre.lat + dlat).min(90.0),
        );
        if dlon >= 180.0 {
            // Every longitude (near a pole, or half the Earth wide): one shape over all.
            out.push(Shape {
                kind: ShapeKind::Circle(c),
                bbox: Rect {
                    lat0,
                    lat1,
                    lon0: -180.0,
                    lon1: 180.0,
                },
            });
            return;
        }
        for shift in shifts(c.centre.lon - dlon, c.centre.lon + dlon) {
            let centre = Point {
                lat: c.centre.lat,
                lon: c.centre.lon + shift,
            };
            out.push(Shape {
                kind: ShapeKind::Circle(Circle { centre, ..c }),
                bbox: Rect {
                    lat0,
                    lat1,
                    lon0: centre.lon - dlon,
                    lon1: centre.lon + dlon,
                },
            });
        }
    }

    /// The work a classification costs, in edge tests.
    fn cost(&self) -> u64 {
        match &self.kind {
            ShapeKind::Polygon(p) => p.len() as u64,
            ShapeKind::Circle(_) => 1,
        }
    }

    fn classify(&self, r: &Rect) -> Class {
        if !self.bbox.intersects(r) {
            return Class::Outside;
        }
        match &self.kind {
            // Touching along an edge is not overlapping: a polygon drawn exactly around a
            // cell must not pull in its neighbours, so the cell is shrunk by a hair.
            ShapeKind::Polygon(pts) => classify_polygon(pts, &r.shrunk(EDGE_EPSILON)),
            ShapeKind::Circle(c) => classify_circle(c, r),
        }
    }
}

fn classify_polygon(pts: &[Point], r: &Rect) -> Class {
    if pts.windows(2).any(|e| segment_meets_rect(e[0], e[1], r)) {
        return Class::Partial;
    }
    // The boundary does not touch the cell: the cell is wholly inside or wholly outside.
    let centre = Point {
        lat: (r.lat0 + r.lat1) / 2.0,
        lon: (r.lon0 + r.lon1) / 2.0,
    };
    if point_in_polygon(centre, pts) {
        Class::Inside
    } else {
        Class::Outside
    }
}

fn classify_circle(c: &Circle, r: &Rect) -> Class {
    let k = c.centre.lat.to_radians().cos();
    let dist = |p: Point| {
        let dy = (p.lat - c.centre.lat) * KM_PER_DEGREE;
        let dx = (p.lon - c.centre.lon) * KM_PER_DEGREE * k;
        (dx * dx + dy * dy).sqrt()
    };
    let nearest = Point {
        lat: c.centre.lat.clamp(r.lat0, r.lat1),
        lon: c.centre.lon.clamp(r.lon0, r.lon1),
    };
    if dist(nearest) > c.radius_km {
        Class::Outside
    } else if r.corners().iter().all(|p| dist(*p) <= c.radius_km) {
        Class::Inside
    } else {
        Class::Partial
    }
}

/// Even-odd rule, longitude as x and latitude as y.
fn point_in_polygon(p: Point, pts: &[Point]) -> bool {
    let mut inside = false;
    for e in pts.windows(2) {
        let (a, b) = (e[0], e[1]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let x = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < x {
                inside = !inside;
            }
        }
    }
    inside
}

fn segment_meets_rect(a: Point, b: Point, r: &Rect) -> bool {
    let seg = Rect {
        lat0: a.lat.min(b.lat),
        lat1: a.lat.max(b.lat),
        lon0: a.lon.min(b.lon),
        lon1: a.lon.max(b.lon),
    };
    if !seg.intersects(r) {
        return false;
    }
    if r.contains(a) || r.contains(b) {
        return true;
    }
    let c = r.corners();
    (0..4).any(|i| segments_cross(a, b, c[i], c[(i + 1) % 4]))
}

fn orient(a: Point, b: Point, c: Point) -> f64 {
    (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
}

/// Whether segments ab and cd share a point (touching counts).
fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let (d1, d2) = (orient(c, d, a), orient(c, d, b));
    let (d3, d4) = (orient(a, b, c), orient(a, b, d));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    let on = |p: Point, q: Point, x: Point| {
        x.lat >= p.lat.min(q.lat)
            && x.lat <= p.lat.max(q.lat)
            && x.lon >= p.lon.min(q.lon)
            && x.lon <= p.lon.max(q.lon)
    };
    (d1 == 0.0 && on(c, d, a))
        || (d2 == 0.0 && on(c, d, b))
        || (d3 == 0.0 && on(a, b, c))
        || (d4 == 0.0 && on(a, b, d))
}

/// The precision-3 cells under a bounding box.
fn start_cells(b: &Rect, out: &mut BTreeSet<Area>) {
    // Precision 3 is 15 bits: 8 of longitude (256 columns), 7 of latitude (128 rows).
    let (w, h) = (360.0 / 256.0, 180.0 / 128.0);
    let col = |lon: f64| (((lon + 180.0) / w).floor() as i64).clamp(0, 255);
    let row = |lat: f64| (((lat + 90.0) / h).floor() as i64).clamp(0, 127);
    for r in row(b.lat0)..=row(b.lat1) {
        for c in col(b.lon0)..=col(b.lon1) {
            let lat = -90.0 + (r as f64 + 0.5) * h;
            let lon = -180.0 + (c as f64 + 0.5) * w;
            if let Ok(a) = Area::from_lat_lon(lat, lon, MIN_AREA_PRECISION) {
                out.insert(a);
            }
        }
    }
}

/// The cover of `shapes` at `precision`, or `None` when it takes more than
/// [`MAX_COVER_WORK`] or holds more than [`MAX_RAW_CELLS`] cells.
fn cover_shapes(shapes: &[Shape<'_>], precision: usize) -> Option<Vec<Area>> {
    let mut start = BTreeSet::new();
    for s in shapes {
        start_cells(&s.bbox, &mut start);
    }
    let mut stack: Vec<Area> = start.into_iter().collect();
    let mut out = Vec::new();
    let mut work: u64 = 0;
    while let Some(cell) = stack.pop() {
        let r = Rect::of(&cell);
        let mut class = Class::Outside;
        for s in shapes {
            work += s.cost();
            match s.classify(&r) {
                Class::Inside => {
                    class = Class::Inside;
                    break;
                }
                Class::Partial => class = Class::Partial,
                Class::Outside => {}
            }
        }
        if work > MAX_COVER_WORK {
            return None;
        }
        match class {
            Class::Outside => {}
            Class::Partial if cell.as_str().len() < precision => {
                for &c in GEOHASH_ALPHABET {
                    let child = format!("{cell}{}", c as char);
                    stack.push(
                        Area::parse(&child).expect("a cell plus one geohash character is a cell"),
                    );
                }
            }
            Class::Inside | Class::Partial => {
                out.push(cell);
                if out.len() > MAX_RAW_CELLS {
                    return None;
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poly(pts: &[(f64, f64)]) -> Polygon {
        Polygon {
            points: pts.iter().map(|&(lat, lon)| Point { lat, lon }).collect(),
        }
    }

    #[test]
    fn a_cell_polygon_covers_exactly_its_cell() {
        for cell in ["9q8yy", "9q8", "u4pruy", "6gkzwg"] {
            let a = Area::parse(cell).unwrap();
            let c = cover(&[cell_polygon(&a)], &[], &[], a.as_str().len()).unwrap();
            // The neighbours share an edge with the polygon but no area: left out.
            assert_eq!(c.cells, vec![a.clone()], "{cell}");
            // At a finer precision, the cell is found whole (it is inside its polygon).
            let c = cover(&[cell_polygon(&a)], &[], &[], 6).unwrap();
            assert_eq!(c.cells, vec![a], "{cell}");
        }
    }

    #[test]
    fn point_circle_is_one_cell() {
        let c = Circle {
            centre: Point {
                lat: 37.7749,
                lon: -122.4194,
            },
            radius_km: 0.0,
        };
        let got = cover(&[], &[c], &[], 5).unwrap();
        assert_eq!(got.cells, vec![Area::parse("9q8yy").unwrap()]);
        assert!(!got.coarsened);
    }

    #[test]
    fn big_shapes_are_coarsened_and_merged() {
        // A 10 x 10 degree square needs thousands of precision-5 cells.
        let sq = poly(&[
            (30.0, -100.0),
            (30.0, -90.0),
            (40.0, -90.0),
            (40.0, -100.0),
            (30.0, -100.0),
        ]);
        let got = cover(&[sq], &[], &[], 5).unwrap();
        assert!(got.coarsened);
        assert_eq!(got.precision, 3);
        assert!(got.cells.len() <= MAX_AREAS);
        // A band 20 degrees wide across the Pacific and 130 high does not fit at all (an
        // edge longer than 180 degrees of longitude goes across the antimeridian).
        let huge = poly(&[
            (-60.0, -170.0),
            (-60.0, 170.0),
            (70.0, 170.0),
            (70.0, -170.0),
            (-60.0, -170.0),
        ]);
        assert_eq!(cover(&[huge], &[], &[], 5), Err(CoverError::TooLarge));
    }

    #[test]
    fn shapes_across_the_antimeridian_get_a_copy_on_the_other_side() {
        let shifts_of = |a: f64, b: f64| shifts(a, b).collect::<Vec<_>>();
        assert_eq!(shifts_of(10.0, 20.0), [0.0]);
        assert_eq!(shifts_of(170.0, 180.0), [0.0], "touching the line");
        assert_eq!(shifts_of(179.0, 181.0), [0.0, -360.0]);
        assert_eq!(shifts_of(-181.0, -179.0), [0.0, 360.0]);
        // Unwrapped: the edge from 179.5 to -179.5 goes one degree east, not 359 west.
        let ring = poly(&[
            (1.0, 179.5),
            (1.0, -179.5),
            (0.0, -179.5),
            (0.0, 179.5),
            (1.0, 179.5),
        ]);
        let lons: Vec<f64> = unwrap_ring(&ring.points)
            .unwrap()
            .iter()
            .map(|p| p.lon)
            .collect();
        assert_eq!(lons, [179.5, 180.5, 180.5, 179.5, 179.5]);
        let got = cover(&[ring], &[], &[], 4).unwrap();
        let lon_spans: Vec<(f64, f64)> = got
            .cells
            .iter()
            .map(|c| (c.bounds().1, c.bounds().3))
            .collect();
        assert!(lon_spans.iter().any(|&(_, e)| e == 180.0), "{lon_spans:?}");
        assert!(lon_spans.iter().any(|&(w, _)| w == -180.0), "{lon_spans:?}");
        assert!(lon_spans.iter().all(|&(w, e)| w >= 179.0 || e <= -179.0));
        // A ring that goes around the pole does not close once unwrapped.
        let around = poly(&[(80.0, 0.0), (80.0, 120.0), (80.0, -120.0), (80.0, 0.0)]);
        assert_eq!(cover(&[around], &[], &[], 3), Err(CoverError::AroundPole));
    }

    #[test]
    fn normalize_merges_siblings_and_drops_covered() {
        let mut cells: Vec<Area> = GEOHASH_ALPHABET
            .iter()
            .map(|&c| Area::parse(&format!("9q8y{}", c as char)).unwrap())
            .collect();
        cells.push(Area::parse("9q8yy1").unwrap());
        cells.push(Area::parse("9q9").unwrap());
        cells.push(Area::parse("9q9zz").unwrap());
        let n = normalize(cells);
        assert_eq!(
            n,
            vec![Area::parse("9q8y").unwrap(), Area::parse("9q9").unwrap()]
        );
    }

    #[test]
    fn fixed_cells_are_kept_then_truncated_when_too_many() {
        let fixed: Vec<Area> = (0..10)
            .map(|i| Area::parse(&format!("9q8y{}", GEOHASH_ALPHABET[i] as char)).unwrap())
            .collect();
        let got = cover(&[], &[], &fixed, 3).unwrap();
        assert_eq!(got.cells, fixed);
        assert!(!got.coarsened);
        let cell = |a: usize, b: usize| {
            let s = format!(
                "9q{}{}",
                GEOHASH_ALPHABET[a] as char, GEOHASH_ALPHABET[b] as char
            );
            Area::parse(&s).unwrap()
        };
        // 100 cells in full sibling sets merge into 3 parents and 4 cells: no coarsening.
        let grouped: Vec<Area> = (0..100).map(|i| cell(i / 32, i % 32)).collect();
        let got = cover(&[], &[], &grouped, 5).unwrap();
        assert!(!got.coarsened);
        assert_eq!(got.cells.len(), 7);
        // 100 cells spread over 32 parents do not fit: coarsened to those parents.
        let spread: Vec<Area> = (0..100).map(|i| cell(i % 32, i / 32)).collect();
        let got = cover(&[], &[], &spread, 5).unwrap();
        assert!(got.coarsened);
        assert_eq!(got.precision, 3);
        assert_eq!(got.cells.len(), 32);
    }
}
