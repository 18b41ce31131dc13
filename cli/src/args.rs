//! Argument parsing shared by the commands: the global options, one duration grammar,
//! times, area cells, keys, language tags, and the names of the protocol's enums.
//! Clap value parsers return `Result<_, String>`: clap prints the message after the value.

pub mod alert;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use aviso_protocol::lang::validate_lang;
use aviso_protocol::{
    Area, Category, Certainty, PublicKey, ResourceKind, RetractReason, Severity, Status, Urgency,
};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use serde::de::DeserializeOwned;

/// The options every command takes.
#[derive(Debug, Clone)]
pub struct Globals {
    /// The data directory.
    pub home: PathBuf,
    /// Print JSON for programs instead of text for people.
    pub json: bool,
}

impl Globals {
    /// The data directory.
    pub fn home_dir(&self) -> PathBuf {
        self.home.clone()
    }
}

/// Parse a duration in whole seconds: numbers with units, e.g. `90s`, `30m`, `6h`, `2d`,
/// `1w`, `1y`, `1h30m` or `2 days`. The units are humantime's, in any case; a year is 365
/// days, as on a calendar (humantime counts 365.25).
pub fn duration(s: &str) -> Result<u64, String> {
    let bad =
        || format!("{s:?} is not a duration: use a number and a unit, like 30m, 6h, 2d or 1h30m");
    let t = s.trim().to_ascii_lowercase();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{s:?} has no unit: write {t}s, {t}m, {t}h or {t}d"));
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
pub fn duration_of(flag: &str, s: &str) -> Result<u64> {
    duration(s).map_err(|e| anyhow::anyhow!("{flag}: {e}"))
}

/// [`duration`], more than zero.
pub fn positive_duration(s: &str) -> Result<u64, String> {
    match duration(s)? {
        0 => Err(format!("{:?} is zero; give a positive duration", s.trim())),
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
pub(crate) fn parse_time(s: &str, now: u64) -> Result<u64> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    match t.parse::<u64>() {
        // Before 2001: surely milliseconds-vs-seconds confusion or a typo.
        Ok(v) if (1_000_000_000..100_000_000_000).contains(&v) => Ok(v),
        Ok(_) => bail!("{t:?} is not a unix time in seconds (e.g. `date +%s` gives {now})"),
        Err(_) => bail!("{t:?} is not a time: give `now` or unix seconds (e.g. {now})"),
    }
}

/// Check a life in seconds against a kind's limit.
pub(crate) fn check_ttl(ttl: u64, max: u64, what: &str) -> Result<()> {
    if ttl == 0 {
        bail!("--expires must be in the future: give a duration such as 30m, 6h or 2d");
    }
    if ttl > max {
        bail!(
            "--expires {} is too long: {what} may live at most {} days",
            human_secs(ttl),
            max / 86_400
        );
    }
    Ok(())
}

/// Read a file, or standard input for `-`.
pub(crate) fn read_input(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .context("cannot read standard input")?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Group repeated per-language options by position: the n-th value of each belongs to
/// the n-th `--lang`. `required` must appear once per language; each of `optional` either
/// never or once per language. Returns rows `[lang, required, optional...]`.
pub(crate) fn zip_blocks(
    langs: &[String],
    required: (&str, &[String]),
    optional: &[(&str, &[String])],
) -> Result<Vec<Vec<String>>> {
    let n = langs.len();
    let (rname, rvals) = required;
    if rvals.len() != n {
        if n == 0 {
            bail!(
                "{rname} needs a language: put --lang TAG before it, e.g. --lang en {rname} \"...\""
            );
        }
        bail!(
            "{n} --lang but {} {rname}: each language block needs one --lang and one {rname}",
            rvals.len()
        );
    }
    for (name, vals) in optional {
        if !vals.is_empty() && vals.len() != n {
            if n == 0 {
                bail!("{name} needs a language: put --lang TAG and {rname} before it");
            }
            bail!(
                "{n} language blocks but {} {name}: give {name} once per --lang \
                 ({name} \"\" where there is none), or use --file",
                vals.len()
            );
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

/// Parse area cells, dropping repeats.
pub(crate) fn parse_areas(cells: &[String]) -> Result<Vec<Area>> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        bail!(
            "missing --area: give at least one cell, a geohash of 3 to 6 characters (e.g. 9q8yy)"
        );
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

/// Parse an area cell given on the command line.
pub(crate) fn parse_area(s: &str) -> Result<Area, String> {
    Area::parse(s).map_err(|e| e.to_string())
}

/// Parse a public key given on the command line.
pub(crate) fn parse_key(s: &str) -> Result<PublicKey, String> {
    PublicKey::from_hex(s.trim()).map_err(|_| {
        "expected a public key of 64 hex characters (shown by `aviso id` on its owner's device)"
            .to_string()
    })
}

/// Language tags given as options: trimmed, checked (BCP 47), repeats dropped.
pub fn lang_tags(tags: &[String], flag: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in tags.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        validate_lang(t).with_context(|| flag.to_owned())?;
        if !out.iter().any(|l| l.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

pub fn dedup<T: Clone + PartialEq>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for i in items {
        if !out.contains(i) {
            out.push(i.clone());
        }
    }
    out
}

/// Category names, in [`Category::ALL`] order.
pub(crate) const CATEGORY_NAMES: [&str; 16] = [
    "raid",
    "checkpoint",
    "detention",
    "patrol",
    "other",
    "geo",
    "met",
    "safety",
    "security",
    "rescue",
    "fire",
    "health",
    "env",
    "transport",
    "infra",
    "cbrne",
];

pub(crate) const SEVERITY_NAMES: [&str; 5] = ["extreme", "severe", "moderate", "minor", "unknown"];

pub(crate) const URGENCY_NAMES: [&str; 5] = ["immediate", "expected", "future", "past", "unknown"];

pub(crate) const CERTAINTY_NAMES: [&str; 5] =
    ["observed", "likely", "possible", "unlikely", "unknown"];

pub(crate) const STATUS_NAMES: [&str; 3] = ["actual", "exercise", "test"];

pub(crate) const REASON_NAMES: [&str; 4] = ["false", "mistaken", "duplicate", "withdrawn"];

/// A protocol enum from its snake_case name (as in JSON).
pub(crate) fn enum_value<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.replace('-', "_"))).ok()
}

/// A clap parser that accepts exactly `names`, each a serde name of `T`.
pub(crate) fn names_parser<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(names).map(|s| {
        enum_value::<T>(&s).expect("every listed name is a serde name of the enum (tested)")
    })
}

pub(crate) fn category_parser() -> impl TypedValueParser<Value = Category> {
    names_parser(&CATEGORY_NAMES)
}

fn severity_parser() -> impl TypedValueParser<Value = Severity> {
    names_parser(&SEVERITY_NAMES)
}

fn urgency_parser() -> impl TypedValueParser<Value = Urgency> {
    names_parser(&URGENCY_NAMES)
}

fn certainty_parser() -> impl TypedValueParser<Value = Certainty> {
    names_parser(&CERTAINTY_NAMES)
}

fn status_parser() -> impl TypedValueParser<Value = Status> {
    names_parser(&STATUS_NAMES)
}

pub(crate) fn reason_parser() -> impl TypedValueParser<Value = RetractReason> {
    names_parser(&REASON_NAMES)
}

/// Resource kind names, as on the wire.
pub(crate) const KIND_NAMES: [&str; 9] = [
    "legal_aid",
    "helpline",
    "shelter",
    "food",
    "medical",
    "transport",
    "workshop",
    "event",
    "other",
];

pub(crate) fn kind_parser() -> impl TypedValueParser<Value = ResourceKind> {
    // `legal-aid` is accepted too: people type hyphens.
    let values = KIND_NAMES.iter().map(|&n| {
        let v = PossibleValue::new(n);
        if n == "legal_aid" {
            v.alias("legal-aid")
        } else {
            v
        }
    });
    PossibleValuesParser::new(values).map(|s| {
        enum_value::<ResourceKind>(&s)
            .expect("every listed name is a serde name of ResourceKind (tested)")
    })
}

/// Parse a category by its name (`raid`, `checkpoint`, ...), or `resources`, the
/// permission to publish resource notices (for trust-list entries).
pub(crate) fn parse_category(s: &str) -> Result<Category, String> {
    serde_json::from_value(serde_json::Value::String(s.trim().to_ascii_lowercase())).map_err(|_| {
        format!(
            "unknown category; use one of: {}, resources",
            CATEGORY_NAMES.join(", ")
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]

    /// Parse a command line of `words`, where `_` stands for a space inside one argument.
    pub(crate) fn parse_words<T: clap::Parser>(
        program: &str,
        line: &str,
    ) -> Result<T, clap::Error> {
        let words = line.split_whitespace().map(|w| w.replace('_', " "));
        T::try_parse_from(std::iter::once(program.to_owned()).chain(words))
    }

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
    fn categories_parse_by_name() {
        assert_eq!(parse_category("raid"), Ok(Category::Raid));
        assert_eq!(parse_category(" Checkpoint "), Ok(Category::Checkpoint));
        let e = parse_category("raids").unwrap_err();
        assert!(e.contains("raid, checkpoint, detention"), "{e}");
        assert_eq!(crate::render::enum_name(&Category::Patrol), "patrol");
    }

    #[test]
    fn keys_parse_as_hex_only() {
        let k = PublicKey([0xab; 32]);
        assert_eq!(parse_key(&k.to_hex()), Ok(k));
        assert_eq!(parse_key(&k.to_hex().to_uppercase()), Ok(k));
        assert!(parse_key(&k.fingerprint()).is_err());
    }

    #[test]
    fn ttl_limits() {
        assert!(check_ttl(3600, MAX_TTL_SHORT_SECS, "an alert").is_ok());
        assert!(check_ttl(0, MAX_TTL_SHORT_SECS, "an alert").is_err());
        let e = check_ttl(31 * 86_400, MAX_TTL_SHORT_SECS, "an alert").unwrap_err();
        assert!(e.to_string().contains("at most 30 days"), "{e}");
    }
}
