//! What people type, read the same way for every client (the CLI's options, the web app's
//! forms, the organizer desk): one duration grammar, times, area cells, language tags and
//! language blocks given by position. Every error is one line that says what to do.
//!
//! It is here rather than in `aviso-protocol` because it is about people's input, not the
//! wire: the protocol only ever sees the values these functions make.

use aviso_protocol::Area;
use aviso_protocol::area::AreaError;
use aviso_protocol::lang::{LangError, validate_lang};

/// Why a duration does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// A bare number: the unit is missing (the number, trimmed and lower-cased).
    #[error("{0:?} has no unit: write {0}s, {0}m, {0}h or {0}d")]
    NoUnit(String),
    /// Not a number with a unit, or too large (the text as given).
    #[error("{0:?} is not a duration: use a number and a unit, like 30m, 6h, 2d or 1h30m")]
    Bad(String),
    /// Zero where a positive duration is needed (the text, trimmed).
    #[error("{0:?} is zero; give a positive duration")]
    Zero(String),
}

/// Why a time does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// A number that cannot be unix seconds (too small or too large: milliseconds?).
    #[error("{text:?} is not a unix time in seconds (e.g. `date +%s` gives {now})")]
    NotSeconds {
        /// The text, trimmed.
        text: String,
        /// The current time, as an example.
        now: u64,
    },
    /// Neither `now` nor a number.
    #[error("{text:?} is not a time: give `now` or unix seconds (e.g. {now})")]
    NotATime {
        /// The text, trimmed.
        text: String,
        /// The current time, as an example.
        now: u64,
    },
}

/// Why some input is refused. The option or field it came from is named in the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A duration that does not parse.
    #[error("{flag}: {error}")]
    Duration {
        /// The option or field.
        flag: String,
        /// Why.
        error: DurationError,
    },
    /// A time that does not parse.
    #[error("{flag}: {error}")]
    Time {
        /// The option or field.
        flag: String,
        /// Why.
        error: TimeError,
    },
    /// A life of zero seconds.
    #[error("--expires must be in the future: give a duration such as 30m, 6h or 2d")]
    ZeroTtl,
    /// A life longer than the kind allows.
    #[error("--expires {} is too long: {what} may live at most {} days", human_secs(*ttl), max / 86_400)]
    TtlTooLong {
        /// The life asked for, in seconds.
        ttl: u64,
        /// The kind's limit, in seconds.
        max: u64,
        /// The kind, with its article ("an alert").
        what: String,
    },
    /// No area cell at all.
    #[error("missing --area: give at least one cell, a geohash of 3 to 6 characters (e.g. 9q8yy)")]
    NoArea,
    /// A cell that is not one.
    #[error(transparent)]
    Area(#[from] AreaError),
    /// A language tag that is not one.
    #[error("{flag}: {error}")]
    Lang {
        /// The option or field.
        flag: String,
        /// Why.
        error: LangError,
    },
    /// A per-language value given without any language.
    #[error("{option} needs a language: put --lang TAG before it, e.g. --lang en {option} \"...\"")]
    NoLang {
        /// The option, e.g. `--headline`.
        option: String,
    },
    /// An optional per-language value given without any language.
    #[error("{option} needs a language: put --lang TAG and {required} before it")]
    NoLangFor {
        /// The optional option, e.g. `--text`.
        option: String,
        /// The option every block needs, e.g. `--headline`.
        required: String,
    },
    /// The required per-language value given a different number of times than `--lang`.
    #[error(
        "{langs} --lang but {given} {option}: each language block needs one --lang and one {option}"
    )]
    RequiredCount {
        /// How many `--lang`.
        langs: usize,
        /// How many of the option.
        given: usize,
        /// The option.
        option: String,
    },
    /// An optional per-language value given neither never nor once per language.
    #[error(
        "{langs} language blocks but {given} {option}: give {option} once per --lang \
         ({option} \"\" where there is none), or use --file"
    )]
    OptionalCount {
        /// How many `--lang`.
        langs: usize,
        /// How many of the option.
        given: usize,
        /// The option.
        option: String,
    },
}

/// Parse a duration in whole seconds: numbers with units, e.g. `90s`, `30m`, `6h`, `2d`,
/// `1w`, `1y`, `1h30m` or `2 days`. The units are humantime's, in any case; a year is 365
/// days, as on a calendar (humantime counts 365.25).
pub fn duration(s: &str) -> Result<u64, DurationError> {
    let bad = || DurationError::Bad(s.to_owned());
    let t = s.trim().to_ascii_lowercase();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DurationError::NoUnit(t));
    }
    // Whole numbers only (humantime would take 1.5h).
    if !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut rest = t.trim_start();
    while !rest.is_empty() {
        // One number and its unit; humantime reads it, except years.
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let after = rest[digits..].trim_start();
        let letters = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let (num, unit) = (&rest[..digits], &after[..letters]);
        let secs = match unit {
            "y" | "yr" | "yrs" | "year" | "years" => num
                .parse::<u64>()
                .ok()
                .and_then(|n| n.checked_mul(365 * 86_400)),
            _ => humantime::parse_duration(&format!("{num}{unit}"))
                .ok()
                .filter(|d| d.subsec_nanos() == 0)
                .map(|d| d.as_secs()),
        };
        total = secs.and_then(|v| total.checked_add(v)).ok_or_else(bad)?;
        rest = after[letters..].trim_start();
    }
    if t.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// [`duration`] of an option, the option named in the error.
pub fn duration_of(flag: &str, s: &str) -> Result<u64, InputError> {
    duration(s).map_err(|error| InputError::Duration {
        flag: flag.to_owned(),
        error,
    })
}

/// [`duration`], more than zero.
pub fn positive_duration(s: &str) -> Result<u64, DurationError> {
    match duration(s)? {
        0 => Err(DurationError::Zero(s.trim().to_owned())),
        d => Ok(d),
    }
}

/// Seconds as a short duration in the grammar of [`duration`]: `45s`, `30m`, `1h30m`, `2d6h`.
pub fn human_secs(s: u64) -> String {
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let mut out = String::new();
    for (v, u) in [(d, "d"), (h, "h"), (m, "m"), (sec, "s")] {
        if v > 0 {
            out.push_str(&format!("{v}{u}"));
        }
    }
    if out.is_empty() { "0s".into() } else { out }
}

/// Parse `now` or unix seconds.
pub fn parse_time(s: &str, now: u64) -> Result<u64, TimeError> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    let text = t.to_owned();
    match t.parse::<u64>() {
        // Before 2001: surely milliseconds-vs-seconds confusion or a typo.
        Ok(v) if (1_000_000_000..100_000_000_000).contains(&v) => Ok(v),
        Ok(_) => Err(TimeError::NotSeconds { text, now }),
        Err(_) => Err(TimeError::NotATime { text, now }),
    }
}

/// [`parse_time`] of an option, the option named in the error.
pub fn time_of(flag: &str, s: &str, now: u64) -> Result<u64, InputError> {
    parse_time(s, now).map_err(|error| InputError::Time {
        flag: flag.to_owned(),
        error,
    })
}

/// Check a life in seconds against a kind's limit; `what` names the kind with its article.
pub fn check_ttl(ttl: u64, max: u64, what: &str) -> Result<(), InputError> {
    if ttl == 0 {
        return Err(InputError::ZeroTtl);
    }
    if ttl > max {
        return Err(InputError::TtlTooLong {
            ttl,
            max,
            what: what.to_owned(),
        });
    }
    Ok(())
}

/// Group repeated per-language options by position: the n-th value of each belongs to
/// the n-th `--lang`. `required` must appear once per language; each of `optional` either
/// never or once per language. Returns rows `[lang, required, optional...]`.
pub fn zip_blocks(
    langs: &[String],
    required: (&str, &[String]),
    optional: &[(&str, &[String])],
) -> Result<Vec<Vec<String>>, InputError> {
    let n = langs.len();
    let (rname, rvals) = required;
    if rvals.len() != n {
        if n == 0 {
            return Err(InputError::NoLang {
                option: rname.to_owned(),
            });
        }
        return Err(InputError::RequiredCount {
            langs: n,
            given: rvals.len(),
            option: rname.to_owned(),
        });
    }
    for (name, vals) in optional {
        if !vals.is_empty() && vals.len() != n {
            if n == 0 {
                return Err(InputError::NoLangFor {
                    option: (*name).to_owned(),
                    required: rname.to_owned(),
                });
            }
            return Err(InputError::OptionalCount {
                langs: n,
                given: vals.len(),
                option: (*name).to_owned(),
            });
        }
    }
    Ok((0..n)
        .map(|i| {
            let mut row = vec![langs[i].trim().to_owned(), rvals[i].clone()];
            for (_, vals) in optional {
                row.push(vals.get(i).cloned().unwrap_or_default());
            }
            row
        })
        .collect())
}

/// Parse area cells, dropping repeats and blanks; at least one is needed.
pub fn parse_areas(cells: &[String]) -> Result<Vec<Area>, InputError> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Err(InputError::NoArea);
    }
    let mut out: Vec<Area> = Vec::new();
    for c in cells.iter().filter(|c| !c.trim().is_empty()) {
        let a = Area::parse(c)?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

/// Language tags given as options: trimmed, checked (BCP 47), repeats dropped.
pub fn lang_tags(tags: &[String], flag: &str) -> Result<Vec<String>, InputError> {
    let mut out: Vec<String> = Vec::new();
    for t in tags.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        validate_lang(t).map_err(|error| InputError::Lang {
            flag: flag.to_owned(),
            error,
        })?;
        if !out.iter().any(|l| l.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// `items` without repeats, in their first order.
pub fn dedup<T: Clone + PartialEq>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::limits::MAX_TTL_SHORT_SECS;

    const NOW: u64 = 1_750_000_000;

    #[test]
    fn durations() {
        assert_eq!(duration("30m").unwrap(), 1800);
        assert_eq!(duration("6h").unwrap(), 6 * 3600);
        assert_eq!(duration("2d").unwrap(), 2 * 86_400);
        assert_eq!(duration("1w").unwrap(), 7 * 86_400);
        assert_eq!(duration("1h30m").unwrap(), 5400);
        assert_eq!(duration(" 1h 30m ").unwrap(), 5400);
        assert_eq!(duration("90s").unwrap(), 90);
        assert_eq!(duration("2 days").unwrap(), 2 * 86_400);
        assert_eq!(duration("6H").unwrap(), 6 * 3600);
        for bad in [
            "",
            "h",
            "6",
            "6x",
            "1.5h",
            "-2h",
            "h6",
            "99999999999999999999d",
        ] {
            assert!(duration(bad).is_err(), "{bad}");
        }
        let e = duration("6").unwrap_err().to_string();
        assert!(e.contains("no unit"), "{e}");
        assert_eq!(human_secs(5400), "1h30m");
        assert_eq!(human_secs(40 * 86_400), "40d");
        assert_eq!(human_secs(0), "0s");
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("now", NOW).unwrap(), NOW);
        assert_eq!(parse_time("1750000100", NOW).unwrap(), 1_750_000_100);
        assert!(parse_time("12", NOW).is_err());
        assert!(parse_time("1750000000000", NOW).is_err()); // milliseconds
        assert!(parse_time("tomorrow", NOW).is_err());
    }

    #[test]
    fn list_durations() {
        assert_eq!(positive_duration("90d"), Ok(90 * 86_400));
        assert_eq!(positive_duration("12h"), Ok(12 * 3_600));
        assert_eq!(positive_duration("1w2d"), Ok(9 * 86_400));
        assert_eq!(positive_duration("30m"), Ok(1_800));
        assert_eq!(positive_duration("45s"), Ok(45));
        assert_eq!(positive_duration("1Y"), Ok(365 * 86_400));
        for bad in [
            "",
            "d",
            "12",
            "12x",
            "0d",
            "1.5d",
            "-3d",
            "99999999999999999999y",
        ] {
            assert!(positive_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ttl_limits() {
        assert!(check_ttl(3600, MAX_TTL_SHORT_SECS, "an alert").is_ok());
        assert!(check_ttl(0, MAX_TTL_SHORT_SECS, "an alert").is_err());
        let e = check_ttl(31 * 86_400, MAX_TTL_SHORT_SECS, "an alert").unwrap_err();
        assert!(e.to_string().contains("at most 30 days"), "{e}");
    }
}
