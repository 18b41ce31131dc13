//! Opening hours with a time-zone database: composing a schedule from what an organizer
//! types (the zone must exist), and whether a resource is open at a given instant.
//!
//! The schedule and its wire form are in `aviso_protocol::hours`; the protocol crate
//! has no time-zone database, so the zone is checked and applied here, with jiff's
//! bundled copy of the IANA database (the same answer on every platform).

use aviso_protocol::Resource;
use aviso_protocol::hours::{Hours, HoursError};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Why typed opening hours cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HoursInputError {
    /// The spans or the zone's name do not read.
    #[error(transparent)]
    Hours(#[from] HoursError),
    /// A well-formed zone name that the time-zone database does not know.
    #[error(
        "unknown time zone {0:?}: use an IANA name such as America/Los_Angeles or Europe/Madrid"
    )]
    UnknownZone(String),
}

/// A schedule from spans as people write them (`mon-fri 09:00-17:00`, `closed`) in the
/// IANA zone `tz`, which must exist.
pub fn compose<S: AsRef<str>>(items: &[S], tz: &str) -> Result<Hours, HoursInputError> {
    let hours = Hours::parse(items, tz)?;
    TimeZone::get(&hours.tz).map_err(|_| HoursInputError::UnknownZone(hours.tz.clone()))?;
    Ok(hours)
}

/// Whether `hours` are open at `now` (unix seconds); `None` when the zone is unknown to
/// this node's database (a notice from a node with a newer one).
pub fn is_open(hours: &Hours, now: u64) -> Option<bool> {
    let tz = TimeZone::get(&hours.tz).ok()?;
    let at = Timestamp::from_second(i64::try_from(now).ok()?)
        .ok()?
        .to_zoned(tz);
    let weekday = u8::try_from(at.weekday().to_monday_zero_offset()).ok()?;
    let minute = u16::try_from(i32::from(at.hour()) * 60 + i32::from(at.minute())).ok()?;
    Some(hours.is_open_at(weekday, minute))
}

/// Whether a resource is open at `now`: for events, between their start and end (three
/// hours from the start when no end is given); for the others, by their structured
/// hours. `None` when it cannot be told (no structured hours, or an unknown zone).
pub fn open_now(r: &Resource, now: u64) -> Option<bool> {
    match (r.starts_at, r.ends_at) {
        (Some(s), Some(e)) => return Some((s..=e).contains(&now)),
        (Some(s), None) => return Some(s <= now && now < s.saturating_add(EVENT_HOURS_SECS)),
        _ => {}
    }
    Hours::of(r).and_then(|h| is_open(&h, now))
}

/// How long an event without an end counts as happening: a meeting or a workshop.
pub const EVENT_HOURS_SECS: u64 = 3 * 3600;

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2026-11-30 at 17:30 UTC is 09:30 in Los Angeles (PST, UTC-8).
    const MON_1730_UTC: u64 = 1_796_059_800;

    #[test]
    fn zones_are_applied_with_the_database() {
        let h = compose(&["mon-fri 09:00-17:00"], "America/Los_Angeles").unwrap();
        assert_eq!(is_open(&h, MON_1730_UTC), Some(true));
        // 08:30 in Los Angeles: not yet.
        assert_eq!(is_open(&h, MON_1730_UTC - 3600), Some(false));
        let utc = compose(&["mon-fri 09:00-17:00"], "UTC").unwrap();
        assert_eq!(is_open(&utc, MON_1730_UTC), Some(false));
        let madrid = compose(&["mon 18:00-19:00"], "Europe/Madrid").unwrap();
        assert_eq!(is_open(&madrid, MON_1730_UTC), Some(true));
    }

    #[test]
    fn unknown_zones_are_refused_when_composing_and_unknown_when_reading() {
        assert!(matches!(
            compose(&["mon 09:00-10:00"], "Mars/Olympus_Mons"),
            Err(HoursInputError::UnknownZone(_))
        ));
        let h = Hours::parse(&["mon 09:00-10:00"], "Mars/Olympus_Mons").unwrap();
        assert_eq!(is_open(&h, MON_1730_UTC), None);
    }

    #[test]
    fn always_and_never() {
        let always = compose(&["mon-sun 00:00-24:00"], "Pacific/Kiritimati").unwrap();
        let never = compose(&["closed"], "Pacific/Pago_Pago").unwrap();
        for t in (0..14).map(|h| MON_1730_UTC + h * 43_200) {
            assert_eq!(is_open(&always, t), Some(true));
            assert_eq!(is_open(&never, t), Some(false));
        }
    }
}
