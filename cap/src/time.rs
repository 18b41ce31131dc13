//! CAP date-times: `2003-06-17T14:57:00-07:00`, converted to and from unix seconds.
//!
//! CAP 1.2 (§3.3.2) requires an explicit offset and forbids `Z`: UTC is written `-00:00`.
//! We write exactly that form. We read it too, and are lenient where real feeds are
//! (a `Z` suffix, fractional seconds), because refusing a tsunami warning over a `Z` helps
//! nobody.

use std::fmt;

/// A CAP date-time: the instant (unix seconds) and the offset it was written with, so it
/// can be shown back as the sender wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CapTime {
    /// Seconds since 1970-01-01T00:00:00 UTC.
    pub unix: u64,
    /// The offset from UTC in minutes (east positive) it was written with.
    pub offset_minutes: i32,
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

/// Latest instant we can write with a four-digit year: 9999-12-31T23:59:59Z.
pub const MAX_UNIX: u64 = 253_402_300_799;

impl CapTime {
    /// An instant written in UTC (`-00:00`).
    pub fn utc(unix: u64) -> Self {
        CapTime {
            unix,
            offset_minutes: 0,
        }
    }

    /// Parse `YYYY-MM-DDThh:mm:ss[.fff](±hh:mm|Z)`; `None` if it is not one (or lies before
    /// 1970, which no alert does).
    pub fn parse(s: &str) -> Option<CapTime> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 20 || !b.is_ascii() {
            return None;
        }
        let num = |from: usize, len: usize| -> Option<i64> {
            let part = b.get(from..from + len)?;
            if !part.iter().all(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(part).ok()?.parse().ok()
        };
        let sep = |at: usize, c: u8| b.get(at) == Some(&c);
        if !(sep(4, b'-') && sep(7, b'-') && (sep(10, b'T') || sep(10, b't')) && sep(13, b':'))
            || !sep(16, b':')
        {
            return None;
        }
        let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
        let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
        // The calendar (month lengths, leap years) is the `time` crate's.
        let date = time::Date::from_calendar_date(
            i32::try_from(year).ok()?,
            time::Month::try_from(u8::try_from(month).ok()?).ok()?,
            u8::try_from(day).ok()?,
        )
        .ok()?;
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            rest = &frac[digits..];
        }
        let offset_minutes = match rest.as_bytes() {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let digits = [*h1, *h2, *m1, *m2];
                if !digits.iter().all(u8::is_ascii_digit) {
                    return None;
                }
                let h = i32::from(h1 - b'0') * 10 + i32::from(h2 - b'0');
                let m = i32::from(m1 - b'0') * 10 + i32::from(m2 - b'0');
                if h > 23 || m > 59 {
                    return None;
                }
                let v = h * 60 + m;
                if *sign == b'-' { -v } else { v }
            }
            _ => return None,
        };
        // A leap second is read as the last second of its minute.
        let second = second.min(59);
        let days = i64::from(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY);
        let local = days * 86_400 + hour * 3600 + minute * 60 + second;
        let unix = local - i64::from(offset_minutes) * 60;
        let unix = u64::try_from(unix).ok()?;
        Some(CapTime {
            unix,
            offset_minutes,
        })
    }
}

impl fmt::Display for CapTime {
    /// The CAP form; instants past year 9999 are written as 9999-12-31T23:59:59 (never
    /// produced by the exporter, which refuses them first).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.unix.min(MAX_UNIX) as i64 + i64::from(self.offset_minutes) * 60;
        let t = time::OffsetDateTime::from_unix_timestamp(local.max(0))
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let (y, m, d) = (t.year(), u8::from(t.month()), t.day());
        let (hh, mm, ss) = (t.hour(), t.minute(), t.second());
        let off = self.offset_minutes;
        // CAP 1.2 §3.3.2: "The timezone for UTC MUST be represented as -00:00".
        let sign = if off > 0 { '+' } else { '-' };
        let off = off.unsigned_abs();
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}{sign}{:02}:{:02}",
            off / 60,
            off % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_show() {
        let t = CapTime::parse("2003-06-17T14:57:00-07:00").unwrap();
        assert_eq!(t.unix, 1_055_887_020);
        assert_eq!(t.offset_minutes, -420);
        assert_eq!(t.to_string(), "2003-06-17T14:57:00-07:00");
        assert_eq!(
            CapTime::utc(t.unix).to_string(),
            "2003-06-17T21:57:00-00:00"
        );
        assert_eq!(CapTime::utc(0).to_string(), "1970-01-01T00:00:00-00:00");
        let z = CapTime::parse("2010-08-30T23:25:40Z").unwrap();
        assert_eq!(z, CapTime::parse("2010-08-30T23:25:40-00:00").unwrap());
        assert_eq!(
            CapTime::parse("2024-07-12T05:50:00.250+02:00")
                .unwrap()
                .unix,
            CapTime::parse("2024-07-12T03:50:00+00:00").unwrap().unix
        );
        assert_eq!(
            CapTime::parse("2024-02-29T00:00:00+05:30")
                .unwrap()
                .to_string(),
            "2024-02-29T00:00:00+05:30"
        );
    }

    #[test]
    fn refuse_bad_times() {
        for bad in [
            "",
            "2003-06-17",
            "2003-06-17T14:57:00",
            "2003-13-17T14:57:00-07:00",
            "2023-02-29T14:57:00-07:00",
            "2003-06-17T24:57:00-07:00",
            "2003-06-17T14:57:00+7:00",
            "2003-06-17T14:57:00-07:00x",
            "1969-12-31T23:59:59-00:00",
            "2003-06-17T14:57:00.-07:00",
            "२००३-06-17T14:57:00-07:00",
        ] {
            assert_eq!(CapTime::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [0, 59, 60, 365, 10_957, 2_932_896] {
            let t = CapTime::utc(days * 86_400);
            assert_eq!(CapTime::parse(&t.to_string()), Some(t));
        }
        assert_eq!(
            CapTime::utc(MAX_UNIX).to_string(),
            "9999-12-31T23:59:59-00:00"
        );
    }
}
