//! Area cells: geohash prefixes of precision 3 to 6. Nobody publishes a precise location.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::limits::{MAX_AREA_PRECISION, MIN_AREA_PRECISION};

/// The geohash alphabet (base 32 without a, i, l, o).
const GEOHASH_ALPHABET: &[u8] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// A geohash cell, e.g. `9q8yy` (about 5 km). Validated when a body is validated and when
/// parsed from text with [`Area::parse`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Area(String);

/// Why a string is not an area cell.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AreaError {
    /// Too short or too long.
    #[error(
        "area cell {0:?} must be a geohash of {MIN_AREA_PRECISION} to {MAX_AREA_PRECISION} characters (e.g. 9q8yy)"
    )]
    Precision(String),
    /// A character outside the geohash alphabet.
    #[error("area cell {0:?} is not a geohash: use only 0-9 and b-z without a, i, l, o")]
    Alphabet(String),
}

impl Area {
    /// Parse and validate a cell; upper case is accepted and folded.
    pub fn parse(s: &str) -> Result<Self, AreaError> {
        let cell = s.trim().to_ascii_lowercase();
        Self::check(&cell)?;
        Ok(Self(cell))
    }

    /// Check an already-decoded cell (from the wire: must already be lower case).
    pub fn validate(&self) -> Result<(), AreaError> {
        Self::check(&self.0)
    }

    fn check(cell: &str) -> Result<(), AreaError> {
        if !(MIN_AREA_PRECISION..=MAX_AREA_PRECISION).contains(&cell.len()) {
            return Err(AreaError::Precision(truncate(cell)));
        }
        if !cell.bytes().all(|b| GEOHASH_ALPHABET.contains(&b)) {
            return Err(AreaError::Alphabet(truncate(cell)));
        }
        Ok(())
    }

    /// The cell text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this cell contains `other` (it is a prefix of it, or equal).
    pub fn covers(&self, other: &Area) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Whether the two cells overlap: one contains the other.
    pub fn overlaps(&self, other: &Area) -> bool {
        self.covers(other) || other.covers(self)
    }

    /// Encode a latitude and longitude at `precision` characters (3 to 6).
    ///
    /// Used by tools that turn a place into a cell on the member's own device; the
    /// position itself never leaves it.
    pub fn from_lat_lon(lat: f64, lon: f64, precision: usize) -> Result<Self, AreaError> {
        let precision = precision.clamp(MIN_AREA_PRECISION, MAX_AREA_PRECISION);
        let (mut lat_lo, mut lat_hi) = (-90.0_f64, 90.0_f64);
        let (mut lon_lo, mut lon_hi) = (-180.0_f64, 180.0_f64);
        let mut out = String::with_capacity(precision);
        let mut even = true;
        let (mut bit, mut ch) = (0, 0usize);
        while out.len() < precision {
            let (lo, hi, v) = if even {
                (&mut lon_lo, &mut lon_hi, lon)
            } else {
                (&mut lat_lo, &mut lat_hi, lat)
            };
            let mid = (*lo + *hi) / 2.0;
            ch <<= 1;
            if v >= mid {
                ch |= 1;
                *lo = mid;
            } else {
                *hi = mid;
            }
            even = !even;
            bit += 1;
            if bit == 5 {
                out.push(GEOHASH_ALPHABET[ch] as char);
                bit = 0;
                ch = 0;
            }
        }
        Self::parse(&out)
    }

    /// The cell's bounding box: (min latitude, min longitude, max latitude, max longitude).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let (mut lat_lo, mut lat_hi) = (-90.0_f64, 90.0_f64);
        let (mut lon_lo, mut lon_hi) = (-180.0_f64, 180.0_f64);
        let mut even = true;
        for b in self.0.bytes() {
            let v = GEOHASH_ALPHABET.iter().position(|&c| c == b).unwrap_or(0);
            for shift in (0..5).rev() {
                let bit = (v >> shift) & 1 == 1;
                let (lo, hi) = if even {
                    (&mut lon_lo, &mut lon_hi)
                } else {
                    (&mut lat_lo, &mut lat_hi)
                };
                let mid = (*lo + *hi) / 2.0;
                if bit {
                    *lo = mid;
                } else {
                    *hi = mid;
                }
                even = !even;
            }
        }
        (lat_lo, lon_lo, lat_hi, lon_hi)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(16).collect()
}

impl fmt::Debug for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Area({})", self.0)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Area {
    type Err = AreaError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Whether any cell of `a` overlaps any cell of `b`. An empty `b` means "everywhere".
pub fn any_overlap(a: &[Area], b: &[Area]) -> bool {
    b.is_empty() || a.iter().any(|x| b.iter().any(|y| x.overlaps(y)))
}

/// Whether every cell of `cells` lies inside some cell of `scope`. An empty scope is
/// unrestricted. Returns the first cell outside the scope.
pub fn first_outside<'a>(cells: &'a [Area], scope: &[Area]) -> Option<&'a Area> {
    if scope.is_empty() {
        return None;
    }
    cells.iter().find(|c| !scope.iter().any(|s| s.covers(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_cover() {
        let a = Area::parse("9Q8").unwrap();
        let b = Area::parse("9q8yy").unwrap();
        assert!(a.covers(&b) && !b.covers(&a) && b.overlaps(&a));
        assert!(Area::parse("9q").is_err());
        assert!(Area::parse("9q8yyyy").is_err());
        assert!(Area::parse("9qa").is_err());
        assert_eq!(
            first_outside(std::slice::from_ref(&b), std::slice::from_ref(&a)),
            None
        );
        assert_eq!(
            first_outside(std::slice::from_ref(&a), std::slice::from_ref(&b)),
            Some(&a)
        );
    }

    #[test]
    fn encode_known_places() {
        // San Francisco is in 9q8yy; the bounds of a cell contain the point it came from.
        let sf = Area::from_lat_lon(37.7749, -122.4194, 5).unwrap();
        assert_eq!(sf.as_str(), "9q8yy");
        let (la0, lo0, la1, lo1) = sf.bounds();
        assert!(la0 <= 37.7749 && 37.7749 <= la1 && lo0 <= -122.4194 && -122.4194 <= lo1);
    }
}
