//! Structured opening hours of a resource notice: weekly spans in a named time zone, so
//! a node can tell whether a service is open now.
//!
//! **Compatibility.** The resource body is decoded exactly (no trailing bytes), so a new
//! field would make older nodes refuse, penalize and block the peers that forward it.
//! Structured hours therefore ride in an ordinary info block in the language `zxx` (ISO
//! 639-2 "no linguistic content", a well-formed BCP 47 tag) placed after the real
//! languages: its `hours` field holds the canonical text of [`Hours`] (e.g. `mon-fri
//! 09:00-17:00; sat 10:00-14:00 @ America/Los_Angeles`), its `name` repeats the first
//! block's name and its description is empty. Older nodes accept, relay and store such a
//! notice unchanged and pick a real language's block to show (the `zxx` block comes last,
//! and nobody reads `zxx`). Newer nodes read it with [`Hours::of`]; a block that does not
//! parse means "no structured hours" and never makes the notice invalid, so the relay
//! rule stays the same on both sides.
//!
//! The time zone is an IANA name, checked here for its shape only: this crate has no
//! time-zone database. The node checks that it exists when a notice is composed and
//! evaluates "open now" with one (`aviso_node::hours`).

use std::fmt;

use crate::Resource;
use crate::ResourceInfo;
use crate::limits::MAX_SHORT;

/// The language tag of the block that carries structured hours.
pub const HOURS_LANG: &str = "zxx";

/// Most spans in a schedule: two opening periods a day, every day of the week.
pub const MAX_SPANS: usize = 14;

/// Longest time-zone name (the longest IANA name, `America/Argentina/ComodRivadavia`, has
/// 32 characters).
pub const MAX_TZ_NAME: usize = 64;

/// Minutes in a day: `24:00` closes a span at midnight.
const DAY_MINUTES: u16 = 24 * 60;

/// Days as written, Monday first (index 0 is Monday, as ISO 8601 counts).
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Why a schedule cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HoursError {
    /// A span does not follow `DAYS HH:MM-HH:MM`.
    #[error(
        "{0:?} is not an opening span: write days then times, e.g. \"mon-fri 09:00-17:00\", \"sat,sun 10:00-14:00\" or \"closed\""
    )]
    Span(String),
    /// A day name that is not `mon` ... `sun`.
    #[error("{0:?} is not a day: use mon, tue, wed, thu, fri, sat, sun")]
    Day(String),
    /// A time that is not `HH:MM` from 00:00 to 24:00.
    #[error("{0:?} is not a time: use HH:MM from 00:00 to 24:00")]
    Time(String),
    /// Opens and closes at the same minute.
    #[error("{0:?} opens and closes at the same time: write 00:00-24:00 for all day")]
    Empty(String),
    /// More spans than [`MAX_SPANS`].
    #[error("{len} opening spans; the limit is {MAX_SPANS}")]
    TooMany {
        /// How many.
        len: usize,
    },
    /// Not a time-zone name.
    #[error("{0:?} is not a time zone: use an IANA name such as America/Los_Angeles")]
    Tz(String),
    /// The schedule's text is longer than the block's `hours` field may be.
    #[error("the opening hours take {len} bytes; the limit is {MAX_SHORT}")]
    TooLong {
        /// Its length.
        len: usize,
    },
}

/// One weekly opening period: on each of `days`, from `open` to `close` (minutes after
/// local midnight). A `close` at or before `open` runs past midnight into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Days it opens on: bit 0 is Monday ... bit 6 Sunday.
    pub days: u8,
    /// Opening minute, 0 to 1439.
    pub open: u16,
    /// Closing minute, 0 to 1440.
    pub close: u16,
}

/// A weekly schedule in a time zone. No spans: closed every day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    /// Opening periods.
    pub spans: Vec<Span>,
    /// IANA time-zone name.
    pub tz: String,
}

impl Hours {
    /// Read spans as people write them, one per item (`mon-fri 09:00-17:00`, `sat,sun
    /// 10:00-14:00`, `mon 09:00-12:00 13:00-17:00`, `fri 22:00-02:00`, `closed`; items
    /// may also hold several spans separated by `;`), in time zone `tz`.
    pub fn parse<S: AsRef<str>>(items: &[S], tz: &str) -> Result<Hours, HoursError> {
        let tz = tz.trim();
        let tz_ok = !tz.is_empty()
            && tz.len() <= MAX_TZ_NAME
            && tz
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/_-+".contains(&b));
        if !tz_ok {
            return Err(HoursError::Tz(tz.chars().take(MAX_TZ_NAME).collect()));
        }
        let mut spans = Vec::new();
        for item in items {
            for part in item.as_ref().split(';').map(str::trim) {
                if part.eq_ignore_ascii_case("closed") {
                    continue;
                }
                parse_span(part, &mut spans)?;
                if spans.len() > MAX_SPANS {
                    return Err(HoursError::TooMany { len: spans.len() });
                }
            }
        }
        let hours = Hours {
            spans,
            tz: tz.to_owned(),
        };
        let len = hours.to_string().len();
        if len > MAX_SHORT {
            return Err(HoursError::TooLong { len });
        }
        Ok(hours)
    }

    /// Read the canonical text ([`fmt::Display`]): spans, then `@` and the time zone.
    pub fn from_text(text: &str) -> Result<Hours, HoursError> {
        let (spans, tz) = text
            .rsplit_once('@')
            .ok_or_else(|| HoursError::Tz(String::new()))?;
        Hours::parse(&[spans], tz)
    }

    /// The structured hours a notice carries, if any that can be read.
    pub fn of(r: &Resource) -> Option<Hours> {
        r.info
            .iter()
            .find(|i| i.lang == HOURS_LANG)
            .and_then(|i| Hours::from_text(&i.hours).ok())
    }

    /// Put these hours into `r`, replacing any it carried: a `zxx` block after the
    /// languages people read. `r` needs at least one text block (every valid notice has
    /// one) for the block's name.
    pub fn attach(&self, r: &mut Resource) {
        r.info.retain(|i| i.lang != HOURS_LANG);
        let name = r.info.first().map(|i| i.name.clone()).unwrap_or_default();
        r.info.push(ResourceInfo {
            lang: HOURS_LANG.into(),
            name,
            description: String::new(),
            hours: self.to_string(),
        });
    }

    /// Whether open on `weekday` (0 is Monday) at `minute` after local midnight.
    pub fn is_open_at(&self, weekday: u8, minute: u16) -> bool {
        let on = |days: u8, d: u8| days & (1 << d) != 0;
        let weekday = weekday % 7;
        let yesterday = (weekday + 6) % 7;
        self.spans.iter().any(|s| {
            if s.open < s.close {
                on(s.days, weekday) && s.open <= minute && minute < s.close
            } else {
                (on(s.days, weekday) && minute >= s.open)
                    || (on(s.days, yesterday) && minute < s.close)
            }
        })
    }
}

fn parse_span(part: &str, spans: &mut Vec<Span>) -> Result<(), HoursError> {
    let bad = || HoursError::Span(part.chars().take(64).collect());
    let mut words = part.split_whitespace();
    let days = parse_days(words.next().ok_or_else(bad)?)?;
    let mut any = false;
    for range in words {
        let (a, b) = range.split_once('-').ok_or_else(bad)?;
        let (open, close) = (parse_time(a)?, parse_time(b)?);
        if open == close || open == DAY_MINUTES {
            return Err(HoursError::Empty(range.to_owned()));
        }
        spans.push(Span { days, open, close });
        any = true;
    }
    if any { Ok(()) } else { Err(bad()) }
}

fn parse_days(word: &str) -> Result<u8, HoursError> {
    let day = |d: &str| {
        DAYS.iter()
            .position(|x| x.eq_ignore_ascii_case(d))
            .ok_or_else(|| HoursError::Day(d.chars().take(16).collect()))
    };
    let mut mask = 0u8;
    for item in word.split(',') {
        match item.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day(a)?, day(b)?);
                // `fri-mon` wraps over the weekend.
                let mut d = a;
                loop {
                    mask |= 1 << d;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => mask |= 1 << day(item)?,
        }
    }
    Ok(mask)
}

fn parse_time(s: &str) -> Result<u16, HoursError> {
    let bad = || HoursError::Time(s.chars().take(16).collect());
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let digits = |x: &str, n: usize| x.len() == n && x.bytes().all(|b| b.is_ascii_digit());
    if !(digits(h, 2) && digits(m, 2)) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    let t = h * 60 + m;
    if m >= 60 || t > DAY_MINUTES {
        return Err(bad());
    }
    Ok(t)
}

/// Days as few words as possible: `mon-fri`, `sat,sun`, `mon,wed,fri`.
fn fmt_days(mask: u8) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut d = 0;
    while d < 7 {
        if mask & (1 << d) == 0 {
            d += 1;
            continue;
        }
        let start = d;
        while d + 1 < 7 && mask & (1 << (d + 1)) != 0 {
            d += 1;
        }
        out.push(match d - start {
            0 => DAYS[start].to_owned(),
            1 => format!("{},{}", DAYS[start], DAYS[d]),
            _ => format!("{}-{}", DAYS[start], DAYS[d]),
        });
        d += 1;
    }
    out.join(",")
}

impl fmt::Display for Hours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.spans.is_empty() {
            f.write_str("closed")?;
        }
        for (i, s) in self.spans.iter().enumerate() {
            let hm = |t: u16| format!("{:02}:{:02}", t / 60, t % 60);
            let sep = if i == 0 { "" } else { "; " };
            write!(
                f,
                "{sep}{} {}-{}",
                fmt_days(s.days),
                hm(s.open),
                hm(s.close)
            )?;
        }
        write!(f, " @ {}", self.tz)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_people_write_and_round_trips() {
        let h = Hours::parse(
            &["mon-fri 09:00-12:00 13:00-17:00", "sat,sun 10:00-14:00"],
            "America/Los_Angeles",
        )
        .unwrap();
        assert_eq!(h.spans.len(), 3);
        let text = h.to_string();
        assert_eq!(
            text,
            "mon-fri 09:00-12:00; mon-fri 13:00-17:00; sat,sun 10:00-14:00 @ America/Los_Angeles"
        );
        assert_eq!(Hours::from_text(&text).unwrap(), h);
        assert!(h.is_open_at(0, 9 * 60));
        assert!(!h.is_open_at(0, 12 * 60 + 30));
        assert!(!h.is_open_at(4, 17 * 60));
        assert!(h.is_open_at(6, 10 * 60));
        let closed = Hours::parse(&["closed"], "UTC").unwrap();
        assert_eq!(Hours::from_text(&closed.to_string()).unwrap(), closed);
        assert!((0..7).all(|d| !closed.is_open_at(d, 600)));
        let always = Hours::parse(&["mon-sun 00:00-24:00"], "UTC").unwrap();
        assert!((0..7).all(|d| always.is_open_at(d, 0) && always.is_open_at(d, 1439)));
    }

    #[test]
    fn overnight_and_wrapping_days() {
        let h = Hours::parse(&["fri-sat 22:00-02:00"], "UTC").unwrap();
        assert!(h.is_open_at(4, 23 * 60));
        assert!(h.is_open_at(6, 60)); // Saturday's night runs into Sunday.
        assert!(!h.is_open_at(4, 60));
        let weekend = Hours::parse(&["sat-mon 10:00-11:00"], "UTC").unwrap();
        assert_eq!(weekend.spans[0].days, 0b110_0001);
    }

    #[test]
    fn bad_input_says_what_to_write() {
        for (items, tz) in [
            (&["mon-fri 9-5"][..], "UTC"),
            (&["monday 09:00-17:00"][..], "UTC"),
            (&["mon 09:00-09:00"][..], "UTC"),
            (&["mon 25:00-26:00"][..], "UTC"),
            (&["mon"][..], "UTC"),
            (&["mon 09:00-17:00"][..], "Los Angeles"),
            (&["mon 09:00-17:00"][..], ""),
        ] {
            assert!(Hours::parse(items, tz).is_err(), "{items:?} {tz}");
        }
        let many: Vec<String> = (0..MAX_SPANS + 1)
            .map(|i| format!("mon 00:{i:02}-00:{:02}", i + 1))
            .collect();
        assert!(matches!(
            Hours::parse(&many, "UTC"),
            Err(HoursError::TooMany { .. })
        ));
    }

    #[test]
    fn travels_in_a_block_older_nodes_accept() {
        let mut r = crate::Resource {
            resource_key: "clinic".into(),
            kind: crate::ResourceKind::LegalAid,
            info: vec![ResourceInfo {
                lang: "en".into(),
                name: "Clinic".into(),
                description: String::new(),
                hours: "Weekdays".into(),
            }],
            phone: None,
            url: None,
            address: None,
            areas: vec![crate::Area::parse("9q8yy").unwrap()],
            languages_spoken: vec![],
            free: true,
            no_id_required: true,
            confidential: false,
            walk_in: true,
            starts_at: None,
            ends_at: None,
        };
        assert_eq!(Hours::of(&r), None);
        let h = Hours::parse(&["mon-fri 09:00-17:00"], "America/Los_Angeles").unwrap();
        h.attach(&mut r);
        h.attach(&mut r);
        assert_eq!(r.info.len(), 2, "attaching again replaces");
        assert!(
            r.validate().is_ok(),
            "the body rules of every version accept it"
        );
        assert_eq!(Hours::of(&r), Some(h));
        let langs: Vec<&str> = r.info.iter().map(|i| i.lang.as_str()).collect();
        assert_eq!(crate::lang::choose_lang(&["fr"], &langs), Some(0));
        r.info[1].hours = "whenever".into();
        assert_eq!(Hours::of(&r), None, "unreadable hours are no hours");
        assert!(r.validate().is_ok());
    }
}
