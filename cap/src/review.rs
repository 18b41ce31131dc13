//! An imported [`Draft`] in front of the organizer who reviews it: a header that says
//! where it came from and what was changed or dropped, what to run next, whether it may be
//! sent as it is, and its shape for programs. Every client that imports CAP (the CLI, the
//! organizer desk) shows the same words.

use aviso_protocol::{Alert, Id, MsgType};
use serde::Serialize;

use crate::import::{Draft, Warning};
use crate::time::CapTime;

/// Most characters of a warning in the draft's header: warnings quote what the message
/// said (a contact in every language), which must not be cut off.
const MAX_WARNING_CHARS: usize = 1200;

/// Most characters of one value (an identifier, a sender) quoted in the header.
const MAX_VALUE_CHARS: usize = 200;

/// Why a draft cannot be signed and sent as it is. Each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The message had expired, and no life was given.
    #[error(
        "the message expired at {0}: not sent; give --expires DURATION if it is still relevant"
    )]
    Expired(String),
    /// No area cell could be made.
    #[error(
        "the alert has no area cells (the message gives no polygon, circle or geohash): \
         give --area CELL, e.g. --area 9q8yy"
    )]
    NoAreas,
    /// A cancel or all-clear of messages that are not Aviso alerts.
    #[error(
        "this {0} refers to CAP messages that are not Aviso alerts: give --references ID \
         for the Aviso alert it applies to"
    )]
    Unresolved(&'static str),
}

impl Draft {
    /// When the message had already expired (and no life was given), its expiry.
    pub fn expired_at(&self) -> Option<String> {
        if !self.expired {
            return None;
        }
        Some(
            self.warnings
                .iter()
                .find_map(|w| match w {
                    Warning::Expired { at } => Some(at.to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| "an earlier time".into()),
        )
    }

    /// Check that the draft may be signed as it is; returns what it is (`alert`, `update`,
    /// `cancel` or `all-clear`).
    pub fn sendable(&self) -> Result<&'static str, SendError> {
        // With a life given the draft is not flagged: the organizer gave it one.
        if let Some(at) = self.expired_at() {
            return Err(SendError::Expired(at));
        }
        let alert = &self.alert;
        if alert.areas.is_empty() {
            return Err(SendError::NoAreas);
        }
        let what = msg_type_word(alert.msg_type);
        if matches!(alert.msg_type, MsgType::Cancel | MsgType::AllClear)
            && alert.references.is_empty()
        {
            return Err(SendError::Unresolved(what));
        }
        Ok(what)
    }
}

fn msg_type_word(t: MsgType) -> &'static str {
    match t {
        MsgType::Alert => "alert",
        MsgType::Update => "update",
        MsgType::Cancel => "cancel",
        MsgType::AllClear => "all-clear",
    }
}

/// The `expires` of the draft of a message that had already expired: not a duration, so
/// an alert file with it is refused, quoting it, until the organizer writes a life in its
/// place.
pub fn expired_value(at: &str) -> String {
    format!(
        "EXPIRED at {at}: replace this with a duration such as 6h only if the alert is still relevant"
    )
}

/// The comment lines that head the draft as an alert file (each starting with `#`,
/// ending with a newline); `life` is its life in words (e.g. `6h`).
pub fn header(d: &Draft, life: &str) -> String {
    let a = &d.alert;
    let mut out = String::new();
    let s = &d.source;
    out.push_str(&format!(
        "# Alert draft from CAP message {}\n#   sender {}, sent {}\n",
        comment(&s.identifier),
        comment(&s.sender),
        s.sent
    ));
    match d.expired_at() {
        Some(at) => out.push_str(&format!(
            "#   {}; the message EXPIRED at {}: this draft is refused until `expires` says how \
             long the alert is still relevant\n",
            describe_type(a),
            comment(&at)
        )),
        None => out.push_str(&format!(
            "#   {}; expires {} ({life} from now)\n",
            describe_type(a),
            CapTime::utc(d.expires_at),
        )),
    }
    for r in &d.unresolved_references {
        out.push_str(&format!(
            "#   refers to CAP message {} from {} (not an Aviso alert)\n",
            comment(&r.identifier),
            comment(&r.sender)
        ));
    }
    for w in &d.warnings {
        out.push_str(&format!(
            "# warning: {}\n",
            comment_long(&w.to_string(), MAX_WARNING_CHARS)
        ));
    }
    out
}

/// Text safe inside a one-line TOML comment.
fn comment(s: &str) -> String {
    comment_long(s, MAX_VALUE_CHARS)
}

/// Text safe inside a one-line TOML comment, at most `max` characters.
fn comment_long(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect()
}

fn describe_type(a: &Alert) -> String {
    let ids = || {
        a.references
            .iter()
            .map(Id::short)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match a.msg_type {
        MsgType::Alert => "a new alert".into(),
        MsgType::Update => format!("an update of {}", ids()),
        MsgType::Cancel if a.references.is_empty() => "a cancel (of no Aviso alert yet)".into(),
        MsgType::Cancel => format!("a cancel of {}", ids()),
        MsgType::AllClear if a.references.is_empty() => {
            "an all-clear (of no Aviso alert yet)".into()
        }
        MsgType::AllClear => format!("an all-clear of {}", ids()),
    }
}

/// What to run once the draft is reviewed.
pub fn next_step(d: &Draft) -> String {
    if let Some(at) = d.expired_at() {
        return format!(
            "the message expired at {at}: the draft is refused until you set its `expires` \
             (or run this import again with --expires DURATION) if it is still relevant"
        );
    }
    let a = &d.alert;
    let first = a
        .references
        .first()
        .map(|r| r.short())
        .unwrap_or_else(|| "ID".into());
    match a.msg_type {
        MsgType::Alert => {
            "review the draft, save it (e.g. > draft.toml), then: aviso alert send --file draft.toml"
                .into()
        }
        MsgType::Update => format!(
            "review the draft, save it (e.g. > draft.toml), then: aviso alert update {first} --file draft.toml"
        ),
        MsgType::Cancel => format!(
            "to send it: aviso alert cancel {first} (or this import again with --references ID --send)"
        ),
        MsgType::AllClear => format!(
            "to send it: aviso alert all-clear {first} (or this import again with --references ID --send)"
        ),
    }
}

/// The draft for programs.
#[derive(Debug, Serialize)]
pub struct JsonDraft<'a> {
    alert: &'a Alert,
    expires_in_secs: u64,
    expires_at: u64,
    expired: bool,
    source: JsonSource<'a>,
    unresolved_references: Vec<JsonReference<'a>>,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
struct JsonSource<'a> {
    identifier: &'a str,
    sender: &'a str,
    sent: String,
    from_aviso: bool,
}

#[derive(Debug, Serialize)]
struct JsonReference<'a> {
    sender: &'a str,
    identifier: &'a str,
    sent: &'a str,
}

impl<'a> JsonDraft<'a> {
    /// The draft `d` for programs.
    pub fn new(d: &'a Draft) -> Self {
        JsonDraft {
            alert: &d.alert,
            expires_in_secs: d.ttl_secs,
            expires_at: d.expires_at,
            expired: d.expired,
            source: JsonSource {
                identifier: &d.source.identifier,
                sender: &d.source.sender,
                sent: d.source.sent.to_string(),
                from_aviso: d.source.from_aviso,
            },
            unresolved_references: d
                .unresolved_references
                .iter()
                .map(|r| JsonReference {
                    sender: &r.sender,
                    identifier: &r.identifier,
                    sent: &r.sent,
                })
                .collect(),
            warnings: d.warnings.iter().map(ToString::to_string).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::{ImportOptions, import, parse};

    #[test]
    fn an_expired_message_is_refused_and_says_how_to_send_it() {
        let xml = include_str!("../tests/data/spec-shaped/a2-thunderstorm-warning.xml");
        let cap = parse(xml).unwrap();
        let now = cap.sent.unix + 2 * 86_400; // it expired after an hour
        let draft = import(&cap, &ImportOptions::new(now)).unwrap();
        let at = "2024-05-21T17:45:00-06:00";
        assert_eq!(draft.expired_at().as_deref(), Some(at));
        assert_eq!(draft.sendable(), Err(SendError::Expired(at.into())));
        assert!(header(&draft, "1h").contains(&format!("the message EXPIRED at {at}")));
        assert!(next_step(&draft).contains("expired"));
        // Given a life at import, it may be sent.
        let mut opts = ImportOptions::new(now);
        opts.expires_in = Some(3600);
        let draft = import(&cap, &opts).unwrap();
        assert_eq!(draft.expired_at(), None);
        assert!(header(&draft, "1h").contains("(1h from now)"));
    }

    #[test]
    fn a_cancel_of_outside_messages_needs_an_aviso_reference() {
        let xml = include_str!("../tests/data/spec-shaped/a2-thunderstorm-warning.xml");
        let cap = parse(xml).unwrap();
        let mut opts = ImportOptions::new(cap.sent.unix + 60);
        opts.areas = vec![aviso_protocol::Area::parse("9q5").unwrap()];
        let mut draft = import(&cap, &opts).unwrap();
        assert_eq!(draft.sendable(), Ok("alert"));
        draft.alert.msg_type = MsgType::Cancel;
        assert_eq!(draft.sendable(), Err(SendError::Unresolved("cancel")));
        draft.alert.areas.clear();
        assert_eq!(draft.sendable(), Err(SendError::NoAreas));
    }
}
