//! An alert being composed by an organizer, before it is signed: from options (the CLI's
//! flags, the organizer desk's form), from an alert file (TOML or JSON), and from the alert
//! an update replaces, in that order of precedence. [`finish`] turns a draft into an alert
//! the protocol accepts, or says in one line what is missing; [`end_body`] makes the body
//! of a cancel or all-clear.
//!
//! In the node crate, not the protocol, because the file format and the words of people's
//! input (durations, `now`) are the clients' business, not the wire's; no I/O happens here:
//! callers read the file and pass its text.

use std::path::Path;

use aviso_protocol::limits::MAX_TTL_SHORT_SECS;
use aviso_protocol::{
    Alert, Area, BodyError, Category, Certainty, Id, Info, MsgType, Severity, Status, Urgency,
};
use serde::{Deserialize, Serialize};

use crate::input::{
    InputError, check_ttl, dedup, duration_of, human_secs, parse_areas, time_of, zip_blocks,
};

/// Why a draft is not an alert yet. Each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DraftError {
    /// No category.
    #[error("missing --category: raid, checkpoint, detention, patrol or other (or a CAP category)")]
    MissingCategory,
    /// No severity.
    #[error("missing --severity: extreme, severe, moderate, minor or unknown")]
    MissingSeverity,
    /// No language block.
    #[error("missing text: add a language block (--lang en --headline \"...\") or use --file")]
    MissingText,
    /// No life.
    #[error("missing --expires: how long the alert is shown, e.g. 30m, 6h or 2d (at most 30d)")]
    MissingExpires,
    /// An alert file that does not parse (the parser's message).
    #[error("not a valid alert file: {0}")]
    File(String),
    /// A draft that cannot be written as an alert file (the writer's message).
    #[error("cannot write the alert file: {0}")]
    Write(String),
    /// An option or field that does not parse.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The alert breaks a protocol rule (a limit, an empty headline...).
    #[error("invalid alert: {0}")]
    Invalid(BodyError),
}

/// The options of an alert as a person gives them, before parsing: flags on the command
/// line or fields of a form. Language blocks are given by position: the n-th headline,
/// text and instruction belong to the n-th language.
#[derive(Debug, Clone, Copy, Default)]
pub struct DraftOptions<'a> {
    /// The category.
    pub category: Option<Category>,
    /// The severity.
    pub severity: Option<Severity>,
    /// The urgency.
    pub urgency: Option<Urgency>,
    /// The certainty.
    pub certainty: Option<Certainty>,
    /// Real, drill or test.
    pub status: Option<Status>,
    /// Area cells (geohashes).
    pub areas: &'a [String],
    /// A public place description.
    pub place: Option<&'a str>,
    /// When it starts: `now` or unix seconds.
    pub onset: Option<&'a str>,
    /// How long it is shown (a duration).
    pub expires: Option<&'a str>,
    /// The language of each block.
    pub lang: &'a [String],
    /// The headline of each block.
    pub headline: &'a [String],
    /// The description of each block (none, or one per block).
    pub text: &'a [String],
    /// The instruction of each block (none, or one per block).
    pub instruction: &'a [String],
    /// Ids (or short ids) of the reports it verifies.
    pub confirms: &'a [String],
}

/// An alert being assembled from layers: options over file over updated alert.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Draft {
    /// The category.
    pub category: Option<Category>,
    /// The severity.
    pub severity: Option<Severity>,
    /// The urgency.
    pub urgency: Option<Urgency>,
    /// The certainty.
    pub certainty: Option<Certainty>,
    /// Real, drill or test.
    pub status: Option<Status>,
    /// Area cells, as given.
    pub areas: Option<Vec<String>>,
    /// A public place description.
    pub place: Option<String>,
    /// When it starts, unix seconds.
    pub onset: Option<u64>,
    /// Seconds from now.
    pub ttl: Option<u64>,
    /// The language blocks.
    pub info: Option<Vec<Info>>,
    /// Ids (or short ids) of the reports it verifies, as given.
    pub confirms: Option<Vec<String>>,
    /// Language blocks came from the command line without any --text: an update keeps
    /// each language's old description.
    pub keep_text: bool,
    /// The same for --instruction.
    pub keep_instruction: bool,
}

impl Draft {
    /// The options layer.
    pub fn from_options(a: &DraftOptions<'_>, now: u64) -> Result<Draft, DraftError> {
        let blocks = zip_blocks(
            a.lang,
            ("--headline", a.headline),
            &[("--text", a.text), ("--instruction", a.instruction)],
        )?;
        Ok(Draft {
            category: a.category,
            severity: a.severity,
            urgency: a.urgency,
            certainty: a.certainty,
            status: a.status,
            areas: non_empty(a.areas),
            place: a.place.map(str::to_owned),
            onset: a.onset.map(|s| time_of("--onset", s, now)).transpose()?,
            ttl: a.expires.map(|s| duration_of("--expires", s)).transpose()?,
            keep_text: !blocks.is_empty() && a.text.is_empty(),
            keep_instruction: !blocks.is_empty() && a.instruction.is_empty(),
            info: (!blocks.is_empty()).then(|| blocks.into_iter().map(info_from_row).collect()),
            confirms: non_empty(a.confirms),
        })
    }

    /// Parse an alert file: JSON when the name ends in `.json` (or the text starts with
    /// `{` when read from standard input, `-`), TOML otherwise.
    pub fn from_file_text(text: &str, path: &Path, now: u64) -> Result<Draft, DraftError> {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || (path == Path::new("-") && text.trim_start().starts_with('{'));
        let f: AlertFile = if is_json {
            serde_json::from_str(text).map_err(|e| DraftError::File(e.to_string()))?
        } else {
            toml::from_str(text).map_err(|e| DraftError::File(e.to_string()))?
        };
        Ok(Draft {
            category: f.category,
            severity: f.severity,
            urgency: f.urgency,
            certainty: f.certainty,
            status: f.status,
            areas: f.areas,
            place: f.place,
            onset: match f.onset {
                None => None,
                Some(TimeValue::Unix(t)) => Some(t),
                Some(TimeValue::Text(s)) => Some(time_of("onset", &s, now)?),
            },
            ttl: f
                .expires
                .as_deref()
                .map(|s| duration_of("expires", s))
                .transpose()?,
            info: f.info.map(|v| {
                v.into_iter()
                    .map(|i| Info {
                        lang: i.lang,
                        headline: i.headline,
                        description: i.description,
                        instruction: i.instruction,
                    })
                    .collect()
            }),
            confirms: f.confirms,
            keep_text: false,
            keep_instruction: false,
        })
    }

    /// The layer of an alert being updated: everything but what it confirms; it lives as
    /// long as the old one had left.
    pub fn from_alert(a: &Alert, remaining: u64) -> Draft {
        Draft {
            category: Some(a.category),
            severity: Some(a.severity),
            urgency: Some(a.urgency),
            certainty: Some(a.certainty),
            status: Some(a.status),
            areas: Some(a.areas.iter().map(|c| c.to_string()).collect()),
            place: a.area_desc.clone(),
            onset: a.onset,
            ttl: (remaining > 0).then_some(remaining),
            info: (!a.info.is_empty()).then(|| a.info.clone()),
            confirms: None,
            keep_text: false,
            keep_instruction: false,
        }
    }

    /// `self`, with what it lacks taken from `lower`.
    pub fn over(self, lower: Draft) -> Draft {
        Draft {
            category: self.category.or(lower.category),
            severity: self.severity.or(lower.severity),
            urgency: self.urgency.or(lower.urgency),
            certainty: self.certainty.or(lower.certainty),
            status: self.status.or(lower.status),
            areas: self.areas.or(lower.areas),
            place: self.place.or(lower.place),
            onset: self.onset.or(lower.onset),
            ttl: self.ttl.or(lower.ttl),
            info: self.info.or(lower.info),
            confirms: self.confirms.or(lower.confirms),
            keep_text: self.keep_text,
            keep_instruction: self.keep_instruction,
        }
    }

    /// For an update: blocks given on the command line without --text (or --instruction)
    /// keep the old alert's text in the same language, so changing a headline does not
    /// erase the rest. Give --text "" to clear it.
    pub fn keep_old_texts(&mut self, old: &[Info]) {
        let Some(info) = &mut self.info else { return };
        for i in info {
            let Some(o) = old.iter().find(|o| o.lang.eq_ignore_ascii_case(&i.lang)) else {
                continue;
            };
            if self.keep_text {
                i.description.clone_from(&o.description);
            }
            if self.keep_instruction {
                i.instruction.clone_from(&o.instruction);
            }
        }
    }
}

/// An alert file (TOML or JSON). Unknown fields are errors, so a typo is not ignored.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertFile {
    /// The category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// The severity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The urgency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
    /// The certainty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
    /// Real, drill or test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Area cells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub areas: Option<Vec<String>>,
    /// A public place description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// When it starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub onset: Option<TimeValue>,
    /// How long it is shown (a duration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Ids of the reports it verifies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirms: Option<Vec<String>>,
    /// The language blocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub info: Option<Vec<FileInfo>>,
}

impl AlertFile {
    /// The file of `a`, with `expires` as its life (a duration, or a note that makes the
    /// file refused until a person writes one).
    pub fn from_alert(a: &Alert, expires: String) -> AlertFile {
        AlertFile {
            category: Some(a.category),
            severity: Some(a.severity),
            urgency: Some(a.urgency),
            certainty: Some(a.certainty),
            status: Some(a.status),
            areas: Some(a.areas.iter().map(Area::to_string).collect()),
            place: a.area_desc.clone(),
            onset: a.onset.map(TimeValue::Unix),
            expires: Some(expires),
            confirms: None,
            info: Some(
                a.info
                    .iter()
                    .map(|i| FileInfo {
                        lang: i.lang.clone(),
                        headline: i.headline.clone(),
                        description: i.description.clone(),
                        instruction: i.instruction.clone(),
                    })
                    .collect(),
            ),
        }
    }

    /// The file of `a` that lives `ttl` seconds, as TOML.
    pub fn toml_of(a: &Alert, ttl: u64) -> Result<String, DraftError> {
        Self::from_alert(a, human_secs(ttl)).to_toml()
    }

    /// The file as TOML.
    pub fn to_toml(&self) -> Result<String, DraftError> {
        toml::to_string_pretty(self).map_err(|e| DraftError::Write(e.to_string()))
    }
}

/// A time in a file: unix seconds, or text such as `now`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TimeValue {
    /// Unix seconds.
    Unix(u64),
    /// Text, such as `now`.
    Text(String),
}

/// One language block of an alert file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileInfo {
    /// BCP 47 tag.
    pub lang: String,
    /// One line for notifications.
    pub headline: String,
    /// What is happening.
    #[serde(default, alias = "text")]
    pub description: String,
    /// What to do.
    #[serde(default)]
    pub instruction: String,
}

fn info_from_row(row: Vec<String>) -> Info {
    let mut it = row.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Info {
        lang: next(),
        headline: next(),
        description: next(),
        instruction: next(),
    }
}

/// Check a draft and turn it into an alert and its life in seconds. Every error is one
/// line that says what to do.
pub fn finish(
    d: Draft,
    msg_type: MsgType,
    references: Vec<Id>,
    confirms: Vec<Id>,
) -> Result<(Alert, u64), DraftError> {
    let category = d.category.ok_or(DraftError::MissingCategory)?;
    let severity = d.severity.ok_or(DraftError::MissingSeverity)?;
    let areas = parse_areas(d.areas.as_deref().unwrap_or_default())?;
    let place = d
        .place
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    let info = d.info.unwrap_or_default();
    if info.is_empty() {
        return Err(DraftError::MissingText);
    }
    let ttl = d.ttl.ok_or(DraftError::MissingExpires)?;
    check_ttl(ttl, MAX_TTL_SHORT_SECS, "an alert")?;
    let unique_confirms = dedup(&confirms);
    let alert = Alert {
        category,
        severity,
        urgency: d.urgency.unwrap_or(Urgency::Immediate),
        certainty: d.certainty.unwrap_or(Certainty::Observed),
        status: d.status.unwrap_or(Status::Actual),
        msg_type,
        references,
        areas,
        area_desc: place,
        onset: d.onset,
        info,
        confirms: unique_confirms,
    };
    alert.validate().map_err(DraftError::Invalid)?;
    Ok((alert, ttl))
}

/// The body of a cancel or all-clear of `old` (whose id is `id`), with an optional short
/// explanation in `lang` (by default the alert's first language).
pub fn end_body(
    old: &Alert,
    id: Id,
    msg_type: MsgType,
    reason_text: Option<&str>,
    lang: Option<&str>,
) -> Result<Alert, DraftError> {
    let info = match reason_text.map(str::trim).filter(|t| !t.is_empty()) {
        None => vec![],
        Some(text) => {
            let lang = lang
                .map(str::to_owned)
                .or_else(|| old.info.first().map(|i| i.lang.clone()))
                .unwrap_or_else(|| "en".into());
            vec![Info {
                lang,
                headline: text.to_owned(),
                description: String::new(),
                instruction: String::new(),
            }]
        }
    };
    let alert = Alert {
        category: old.category,
        severity: old.severity,
        urgency: if msg_type == MsgType::AllClear {
            Urgency::Past
        } else {
            old.urgency
        },
        certainty: old.certainty,
        status: old.status,
        msg_type,
        references: vec![id],
        areas: old.areas.clone(),
        area_desc: old.area_desc.clone(),
        onset: None,
        info,
        confirms: vec![],
    };
    alert.validate().map_err(DraftError::Invalid)?;
    Ok(alert)
}

fn non_empty(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const NOW: u64 = 1_750_000_000;

    #[test]
    fn alert_from_the_example_toml_file() {
        let text = include_str!("../../examples/alert.toml");
        let d = Draft::from_file_text(text, Path::new("alert.toml"), NOW).unwrap();
        let (alert, ttl) = finish(d, MsgType::Alert, vec![], vec![]).unwrap();
        assert_eq!(alert.category, Category::Raid);
        assert_eq!(alert.onset, Some(NOW));
        assert_eq!(alert.info.len(), 2);
        assert_eq!(alert.info[0].lang, "en");
        assert_eq!(alert.info[1].lang, "es");
        assert!(alert.info[1].instruction.contains("orden firmada"));
        assert_eq!(ttl, 6 * 3600);
        // An alert written back as a file reads as the same alert.
        let back = Draft::from_file_text(
            &AlertFile::toml_of(&alert, ttl).unwrap(),
            Path::new("a.toml"),
            NOW,
        )
        .unwrap();
        assert_eq!(
            finish(back, MsgType::Alert, vec![], vec![]).unwrap(),
            (alert, ttl)
        );
    }

    #[test]
    fn options_layer_zips_blocks_and_names_the_option_in_errors() {
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (lang, headline) = (s(&["en", "es"]), s(&["Raid"]));
        let o = DraftOptions {
            lang: &lang,
            headline: &headline,
            ..DraftOptions::default()
        };
        let e = Draft::from_options(&o, NOW).unwrap_err().to_string();
        assert!(e.contains("2 --lang but 1 --headline"), "{e}");
        let onset = "tomorrow";
        let o = DraftOptions {
            onset: Some(onset),
            ..DraftOptions::default()
        };
        let e = Draft::from_options(&o, NOW).unwrap_err().to_string();
        assert!(e.starts_with("--onset: \"tomorrow\" is not a time"), "{e}");
    }
}
