//! Argument parsing shared by the commands: the global options, keys, and the names of the
//! protocol's enums. The grammar of durations, times, cells and language blocks is
//! `aviso_node::input`, shared with the web app. Clap value parsers return
//! `Result<_, String>`: clap prints the message after the value.

pub mod alert;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
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

pub use aviso_node::input::{check_ttl, dedup, duration_of, human_secs, lang_tags, parse_areas};

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
}
