//! CAP 1.2 → an Aviso alert draft for an organizer to review and sign. The mapping,
//! field by field, is in `docs/cap-mapping.md`.
//!
//! The import refuses what it must not carry (non-public, system, draft and
//! acknowledgement messages) and otherwise always produces a draft, with warnings for
//! everything it changed or dropped. A draft may still be incomplete (no area cells, a
//! cancel that names no Aviso alert): [`Alert::validate`] says so before signing.

use std::fmt;

use aviso_protocol::lang::validate_lang;
use aviso_protocol::limits::{
    MAX_AREA_PRECISION, MAX_AREAS, MAX_HEADLINE, MAX_LANGUAGES, MAX_REFERENCES, MAX_SHORT,
    MAX_TEXT, MAX_TTL_SHORT_SECS, MIN_AREA_PRECISION,
};
use aviso_protocol::{
    Alert, Area, Category, Certainty, Id, Info, MsgType, Severity, Status, Urgency,
};

use crate::export::{
    AVISO_CATEGORY, AVISO_SENDER_PREFIX, AVISO_SOURCE_REFERENCE, GEOHASH_GEOCODE,
    SOURCE_MESSAGE_PREFIX, SOURCE_NOTE_PREFIX, category_label, category_name,
};
use crate::geo::{CoverError, cover, normalize};
use crate::model::*;
use crate::parse::{ParseError, parse};
use crate::time::CapTime;

/// The precision used for polygons and circles unless asked otherwise: about 5 km cells,
/// fine enough for a town, coarse enough that a county fits in [`MAX_AREAS`] cells.
pub const DEFAULT_PRECISION: usize = 5;
/// How long a draft lives when the message gives no usable `<expires>`: CAP leaves it to
/// the recipient, and a day keeps a forgotten alert from lingering.
pub const DEFAULT_TTL_SECS: u64 = 24 * 3600;
/// CAP's language when `<language>` is absent.
pub const DEFAULT_LANGUAGE: &str = "en-US";
/// Longest contact quoted in a warning, in bytes: enough for a name and a phone number.
const MAX_CONTACT_SHOWN: usize = 120;

/// How to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The current time (unix seconds): expiry is relative to it.
    pub now: u64,
    /// Geohash precision (3 to 6) for polygons and circles.
    pub precision: usize,
    /// Use this life (seconds) instead of the message's `<expires>`.
    pub expires_in: Option<u64>,
    /// Use these cells instead of the message's areas.
    pub areas: Vec<Area>,
    /// Aviso alerts this message updates or cancels, beyond those its `<references>` name.
    pub references: Vec<Id>,
}

impl ImportOptions {
    /// The defaults at time `now`.
    pub fn new(now: u64) -> Self {
        ImportOptions {
            now,
            precision: DEFAULT_PRECISION,
            expires_in: None,
            areas: Vec::new(),
            references: Vec::new(),
        }
    }
}

/// Where a draft came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `<identifier>`.
    pub identifier: String,
    /// `<sender>`.
    pub sender: String,
    /// `<sent>`.
    pub sent: CapTime,
    /// Whether it is an Aviso export (its sender starts with `aviso:`).
    pub from_aviso: bool,
}

/// An alert draft made from a CAP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The alert to review and sign.
    pub alert: Alert,
    /// How long it should live, in seconds from `now`.
    pub ttl_secs: u64,
    /// `now + ttl_secs`.
    pub expires_at: u64,
    /// The message's own expiry had already passed, and no life was given: the draft
    /// must not be sent as it is (`ttl_secs` is then the default, a placeholder).
    pub expired: bool,
    /// The message it came from.
    pub source: Source,
    /// References to messages that are not Aviso alerts.
    pub unresolved_references: Vec<CapReference>,
    /// What was changed or dropped, for the organizer to read.
    pub warnings: Vec<Warning>,
}

/// Why a CAP message cannot become an Aviso alert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The XML is not a CAP message we read.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// `System` and `Draft` messages are not alerts to anyone.
    #[error(
        "status {0} has no Aviso counterpart: only Actual, Exercise and Test messages are alerts"
    )]
    Status(&'static str),
    /// `Ack` and `Error` messages talk between systems.
    #[error("msgType {0} is a message between alerting systems, not an alert")]
    MsgType(&'static str),
    /// `Restricted` and `Private` messages are not for a whole community.
    #[error(
        "scope {0}: the message is not public, and an Aviso alert reaches the whole community; \
         refusing to re-publish it"
    )]
    Scope(&'static str),
    /// `--precision` out of range.
    #[error("precision {0} is out of range: use {MIN_AREA_PRECISION} to {MAX_AREA_PRECISION}")]
    Precision(usize),
    /// An alert or update with no `<info>`: nothing to say.
    #[error("the message has no <info> block: an alert needs at least a headline")]
    NoInfo,
    /// A `<language>` that is not a BCP 47 tag.
    #[error("<language> {0:?} is not a BCP 47 language tag (e.g. en-US, es, fr-CA)")]
    Language(String),
    /// A geohash geocode that is not a geohash of 3 or more characters.
    #[error(
        "geocode geohash {0:?} is not a geohash cell of {MIN_AREA_PRECISION} or more characters"
    )]
    Geohash(String),
    /// The area does not fit in an alert even with the largest cells.
    #[error(transparent)]
    Area(#[from] CoverError),
}

/// Something the import changed or dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Cells coarser than asked were needed to stay within the cell limit.
    Coarsened {
        /// The precision asked for.
        requested: usize,
        /// The finest precision in the result.
        used: usize,
        /// How many cells.
        cells: usize,
    },
    /// No polygon, circle or geohash: the draft has no cells.
    NoGeometry {
        /// The kinds of geocodes the message had (e.g. SAME, NUTS2), which Aviso cannot map.
        geocodes: Vec<String>,
    },
    /// Region codes (SAME, UGC, postcodes, ...) beside the geometry or the cells given
    /// were not used: Aviso cannot map them to cells.
    GeocodesNotUsed {
        /// Their kinds (`valueName`), e.g. SAME, UGC.
        geocodes: Vec<String>,
    },
    /// The message's areas were replaced by the cells given.
    AreasReplaced,
    /// The message had already expired.
    Expired {
        /// Its expiry.
        at: CapTime,
    },
    /// No `<expires>`: the default life is used.
    NoExpiry,
    /// The life was cut to Aviso's longest.
    ExpiryClamped {
        /// The longest life, in days.
        max_days: u64,
    },
    /// An Update of messages that are not Aviso alerts became a new alert.
    UpdateBecameAlert,
    /// A new alert was given references, so it became an update.
    AlertBecameUpdate,
    /// A CAP `Alert` named Aviso alerts; Aviso alerts name none, so they were dropped.
    ReferencesDropped,
    /// A cancel or all-clear names no Aviso alert yet.
    NeedsReferences,
    /// More references than an alert may carry.
    TooManyReferences {
        /// How many were dropped.
        dropped: usize,
    },
    /// A second block in a language already seen was dropped.
    DuplicateLanguage(String),
    /// Blocks beyond Aviso's language limit were dropped.
    TooManyLanguages {
        /// How many were dropped.
        dropped: usize,
    },
    /// A text was shortened to its limit.
    Truncated {
        /// Which field.
        field: &'static str,
        /// In which language.
        lang: String,
    },
    /// The blocks disagree on a field that Aviso has once per alert: the first is used.
    Differs(&'static str),
    /// More than one category: the first is used.
    ExtraCategories,
    /// The message says what people should do (`responseType` other than AllClear), and
    /// an alert has no field for it.
    ResponseTypes(Vec<&'static str>),
    /// The message names a contact for follow-up (`contact`), and an alert has no field
    /// for it.
    Contact(Vec<String>),
    /// The message carries an XML signature, which the import does not verify.
    SignatureNotVerified,
    /// Elements with content that Aviso has no place for.
    Dropped(Vec<&'static str>),
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Coarsened {
                requested,
                used,
                cells,
            } => write!(
                f,
                "the area needed more cells than an alert may carry at precision {requested}: \
                 it is covered by {cells} coarser cells (precision {used}), so it may reach \
                 people outside it"
            ),
            Warning::NoGeometry { geocodes } if geocodes.is_empty() => f.write_str(
                "the message has no polygon, circle or geohash: add area cells (--area)",
            ),
            Warning::NoGeometry { geocodes } => write!(
                f,
                "the message names its areas only by geocodes Aviso cannot map ({}): add area \
                 cells (--area)",
                geocodes.join(", ")
            ),
            Warning::GeocodesNotUsed { geocodes } => write!(
                f,
                "the message's region codes ({}) were not used, as Aviso cannot map them to \
                 cells: check that the cells cover the places they name",
                geocodes.join(", ")
            ),
            Warning::AreasReplaced => {
                f.write_str("the message's areas were replaced by the cells given")
            }
            Warning::Expired { at } => write!(
                f,
                "the message expired at {at}: it is not sent as it is; give it a life \
                 (--expires, or `expires` in the draft) only if it is still relevant"
            ),
            Warning::NoExpiry => write!(
                f,
                "the message gives no expiry: the draft lives {} h",
                DEFAULT_TTL_SECS / 3600
            ),
            Warning::ExpiryClamped { max_days } => write!(
                f,
                "the expiry was cut to {max_days} days, the longest an alert may live"
            ),
            Warning::UpdateBecameAlert => f.write_str(
                "the message updates CAP messages that are not Aviso alerts: it is imported as \
                 a new alert (give --references ID to make it an update of an Aviso alert)",
            ),
            Warning::AlertBecameUpdate => {
                f.write_str("references were given: the alert is imported as an update")
            }
            Warning::ReferencesDropped => {
                f.write_str("a new alert references nothing in Aviso: its references were dropped")
            }
            Warning::NeedsReferences => f.write_str(
                "this cancels or ends CAP messages that are not Aviso alerts: give --references \
                 ID for the Aviso alert(s) it applies to",
            ),
            Warning::TooManyReferences { dropped } => write!(
                f,
                "{dropped} references beyond the limit of {MAX_REFERENCES} were dropped"
            ),
            Warning::DuplicateLanguage(l) => {
                write!(
                    f,
                    "a second <info> in {l} was dropped (one block per language)"
                )
            }
            Warning::TooManyLanguages { dropped } => write!(
                f,
                "{dropped} <info> blocks beyond {MAX_LANGUAGES} languages were dropped"
            ),
            Warning::Truncated { field, lang } => {
                write!(f, "the {field} in {lang} was shortened to fit its limit")
            }
            Warning::Differs(field) => write!(
                f,
                "the <info> blocks disagree on {field}: the first block's is used"
            ),
            Warning::ExtraCategories => {
                f.write_str("the message has several categories: the first is used")
            }
            Warning::ResponseTypes(what) => write!(
                f,
                "the message tells people what to do (responseType {}), and an Aviso alert \
                 has no field for it: make sure each language's instruction says it",
                what.join(", ")
            ),
            Warning::Contact(contacts) => write!(
                f,
                "the message's contact was dropped, as an Aviso alert has no field for it: \
                 {}; add it to the description if members should use it",
                contacts
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Warning::SignatureNotVerified => f.write_str(
                "the message carries an XML signature, which was NOT verified: Aviso does \
                 not check agency signatures, so make sure the message comes from its \
                 sender before you sign the alert",
            ),
            Warning::Dropped(what) => write!(
                f,
                "dropped (no counterpart in an Aviso alert): {}",
                what.join(", ")
            ),
        }
    }
}

/// Parse `xml` and import it.
pub fn import_xml(xml: &str, opts: &ImportOptions) -> Result<Draft, ImportError> {
    import(&parse(xml)?, opts)
}

/// An Aviso category from its snake_case name.
pub fn category_from_name(name: &str) -> Option<Category> {
    Category::ALL
        .into_iter()
        .find(|c| category_name(*c).eq_ignore_ascii_case(name.trim()))
}

/// The Aviso category for a CAP category.
pub fn category_from_cap(c: CapCategory) -> Category {
    match c {
        CapCategory::Geo => Category::Geo,
        CapCategory::Met => Category::Met,
        CapCategory::Safety => Category::Safety,
        CapCategory::Security => Category::Security,
        CapCategory::Rescue => Category::Rescue,
        CapCategory::Fire => Category::Fire,
        CapCategory::Health => Category::Health,
        CapCategory::Env => Category::Env,
        CapCategory::Transport => Category::Transport,
        CapCategory::Infra => Category::Infra,
        CapCategory::Cbrne => Category::Cbrne,
        CapCategory::Other => Category::Other,
    }
}

/// Cut `s` to at most `max` bytes at a character boundary, marking the cut with `…`.
fn truncate(s: &str, max: usize) -> (String, bool) {
    if s.len() <= max {
        return (s.to_owned(), false);
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    (format!("{}…", s[..end].trim_end()), true)
}

/// One line: runs of white space (line breaks, indentation) become one space.
fn tidy_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text block: each line trimmed (pretty-printed XML indents continuation lines),
/// paragraph breaks kept, runs of blank lines folded into one.
fn tidy_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines().map(str::trim) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(line);
        blank = 0;
    }
    out
}

/// Import a parsed CAP message.
pub fn import(cap: &CapAlert, opts: &ImportOptions) -> Result<Draft, ImportError> {
    if !(MIN_AREA_PRECISION..=MAX_AREA_PRECISION).contains(&opts.precision) {
        return Err(ImportError::Precision(opts.precision));
    }
    let status = match cap.status {
        CapStatus::Actual => Status::Actual,
        CapStatus::Exercise => Status::Exercise,
        CapStatus::Test => Status::Test,
        s @ (CapStatus::System | CapStatus::Draft) => return Err(ImportError::Status(s.as_str())),
    };
    if cap.scope != CapScope::Public {
        return Err(ImportError::Scope(cap.scope.as_str()));
    }
    let from_aviso = cap.sender.starts_with(AVISO_SENDER_PREFIX);
    let mut warnings = Vec::new();
    let mut dropped: Vec<&'static str> = Vec::new();

    // ---- references and message type ----
    let mut references: Vec<Id> = Vec::new();
    let mut unresolved_references = Vec::new();
    for r in &cap.references {
        match Id::from_hex(&r.identifier) {
            Ok(id) if r.sender.starts_with(AVISO_SENDER_PREFIX) => {
                if !references.contains(&id) {
                    references.push(id);
                }
            }
            _ => unresolved_references.push(r.clone()),
        }
    }
    let from_message = !references.is_empty();
    for id in &opts.references {
        if !references.contains(id) {
            references.push(*id);
        }
    }
    if references.len() > MAX_REFERENCES {
        warnings.push(Warning::TooManyReferences {
            dropped: references.len() - MAX_REFERENCES,
        });
        references.truncate(MAX_REFERENCES);
    }
    let all_clear = cap
        .infos
        .iter()
        .any(|i| i.response_types.contains(&ResponseType::AllClear));
    let msg_type = match cap.msg_type {
        CapMsgType::Alert if !opts.references.is_empty() => {
            warnings.push(Warning::AlertBecameUpdate);
            MsgType::Update
        }
        CapMsgType::Alert => {
            if from_message {
                warnings.push(Warning::ReferencesDropped);
            }
            references.clear();
            MsgType::Alert
        }
        CapMsgType::Update if all_clear => MsgType::AllClear,
        CapMsgType::Update if references.is_empty() => {
            warnings.push(Warning::UpdateBecameAlert);
            MsgType::Alert
        }
        CapMsgType::Update => MsgType::Update,
        CapMsgType::Cancel => MsgType::Cancel,
        t @ (CapMsgType::Ack | CapMsgType::Error) => return Err(ImportError::MsgType(t.as_str())),
    };
    if matches!(msg_type, MsgType::Cancel | MsgType::AllClear) && references.is_empty() {
        warnings.push(Warning::NeedsReferences);
    }
    let needs_text = matches!(msg_type, MsgType::Alert | MsgType::Update);
    if needs_text && cap.infos.is_empty() {
        return Err(ImportError::NoInfo);
    }

    // ---- classification, from the first block ----
    let first = cap.infos.first();
    let category = first
        .and_then(|i| {
            i.event_codes
                .iter()
                .filter(|c| c.name == AVISO_CATEGORY)
                .find_map(|c| category_from_name(&c.value))
        })
        .or_else(|| {
            first
                .and_then(|i| i.categories.first())
                .map(|c| category_from_cap(*c))
        })
        .unwrap_or(Category::Other);
    if first.is_some_and(|i| i.categories.len() > 1) {
        warnings.push(Warning::ExtraCategories);
    }
    let urgency = first.map_or(Urgency::Unknown, |i| i.urgency);
    let severity = first.map_or(Severity::Unknown, |i| i.severity);
    let certainty = first.map_or(Certainty::Unknown, |i| i.certainty);
    for (field, differs) in [
        ("urgency", cap.infos.iter().any(|i| i.urgency != urgency)),
        ("severity", cap.infos.iter().any(|i| i.severity != severity)),
        (
            "certainty",
            cap.infos.iter().any(|i| i.certainty != certainty),
        ),
        (
            "category",
            cap.infos.iter().any(|i| {
                i.categories.first().map(|c| category_from_cap(*c))
                    != first
                        .and_then(|f| f.categories.first())
                        .map(|c| category_from_cap(*c))
            }),
        ),
    ] {
        if differs {
            warnings.push(Warning::Differs(field));
        }
    }
    let onset = cap.infos.iter().find_map(|i| i.onset).map(|t| t.unix);
    if cap
        .infos
        .iter()
        .filter_map(|i| i.onset)
        .any(|t| Some(t.unix) != onset)
    {
        warnings.push(Warning::Differs("onset"));
    }

    // ---- life ----
    let cap_expires = cap
        .infos
        .iter()
        .filter_map(|i| i.expires)
        .max_by_key(|t| t.unix);
    let mut expired = false;
    let ttl_secs = match opts.expires_in {
        Some(t) => {
            if t > MAX_TTL_SHORT_SECS {
                warnings.push(Warning::ExpiryClamped {
                    max_days: MAX_TTL_SHORT_SECS / 86_400,
                });
            }
            t.clamp(1, MAX_TTL_SHORT_SECS)
        }
        None => match cap_expires {
            Some(t) if t.unix > opts.now => {
                let left = t.unix - opts.now;
                if left > MAX_TTL_SHORT_SECS {
                    warnings.push(Warning::ExpiryClamped {
                        max_days: MAX_TTL_SHORT_SECS / 86_400,
                    });
                }
                left.min(MAX_TTL_SHORT_SECS)
            }
            Some(t) => {
                expired = true;
                warnings.push(Warning::Expired { at: t });
                DEFAULT_TTL_SECS
            }
            None => {
                warnings.push(Warning::NoExpiry);
                DEFAULT_TTL_SECS
            }
        },
    };

    // ---- text, one block per language ----
    let mut info: Vec<Info> = Vec::new();
    let mut too_many = 0usize;
    for i in &cap.infos {
        let has_text = i.headline.is_some() || i.description.is_some() || i.instruction.is_some();
        if !has_text && !needs_text {
            continue; // a cancel's or all-clear's classification block
        }
        let lang = i
            .language
            .as_deref()
            .unwrap_or(DEFAULT_LANGUAGE)
            .replace('_', "-");
        if validate_lang(&lang).is_err() {
            return Err(ImportError::Language(
                i.language.clone().unwrap_or_default(),
            ));
        }
        if info.iter().any(|b| b.lang.eq_ignore_ascii_case(&lang)) {
            warnings.push(Warning::DuplicateLanguage(lang));
            continue;
        }
        if info.len() == MAX_LANGUAGES {
            too_many += 1;
            continue;
        }
        // Text from Aviso is taken as written; text from elsewhere is tidied.
        let line = |s: &str| {
            if from_aviso {
                s.to_owned()
            } else {
                tidy_line(s)
            }
        };
        let block = |s: &str| {
            if from_aviso {
                s.to_owned()
            } else {
                tidy_text(s)
            }
        };
        let headline = i
            .headline
            .as_deref()
            .or((!i.event.is_empty()).then_some(i.event.as_str()))
            .map(line)
            .unwrap_or_else(|| category_label(category).to_owned());
        let (headline, cut) = truncate(&headline, MAX_HEADLINE);
        if cut {
            warnings.push(Warning::Truncated {
                field: "headline",
                lang: lang.clone(),
            });
        }
        let note = if from_aviso {
            None
        } else {
            source_note(cap, i)
        };
        let description = block(i.description.as_deref().unwrap_or_default());
        let (description, cut) = match &note {
            None => truncate(&description, MAX_TEXT),
            Some(n) => {
                let sep = if description.is_empty() { "" } else { "\n\n" };
                let room = MAX_TEXT.saturating_sub(n.len() + sep.len());
                let (d, cut) = truncate(&description, room);
                let (all, cut2) = truncate(&format!("{d}{sep}{n}"), MAX_TEXT);
                (all, cut || cut2)
            }
        };
        if cut {
            warnings.push(Warning::Truncated {
                field: "description",
                lang: lang.clone(),
            });
        }
        let (instruction, cut) = truncate(
            &block(i.instruction.as_deref().unwrap_or_default()),
            MAX_TEXT,
        );
        if cut {
            warnings.push(Warning::Truncated {
                field: "instruction",
                lang: lang.clone(),
            });
        }
        info.push(Info {
            lang,
            headline,
            description,
            instruction,
        });
    }
    if too_many > 0 {
        warnings.push(Warning::TooManyLanguages { dropped: too_many });
    }

    // ---- areas ----
    let (areas, area_desc) = import_areas(cap, opts, from_aviso, &mut warnings)?;

    // ---- what has no place ----
    let mut drop = |cond: bool, what: &'static str| {
        if cond && !dropped.contains(&what) {
            dropped.push(what);
        }
    };
    drop(cap.source.is_some(), "source");
    drop(cap.restriction.is_some(), "restriction");
    drop(cap.addresses.is_some(), "addresses");
    drop(!cap.codes.is_empty(), "code");
    drop(cap.note.is_some(), "note");
    drop(cap.incidents.is_some(), "incidents");
    if cap.xml_signature {
        warnings.push(Warning::SignatureNotVerified);
    }
    let mut responses: Vec<&'static str> = Vec::new();
    let mut contacts: Vec<String> = Vec::new();
    for i in &cap.infos {
        for r in &i.response_types {
            if *r != ResponseType::AllClear && !responses.contains(&r.as_str()) {
                responses.push(r.as_str());
            }
        }
        if let Some(c) = &i.contact {
            let (c, _) = truncate(&tidy_line(c), MAX_CONTACT_SHOWN);
            if !contacts.contains(&c) && contacts.len() < MAX_LANGUAGES {
                contacts.push(c);
            }
        }
    }
    if !responses.is_empty() {
        warnings.push(Warning::ResponseTypes(responses));
    }
    if !contacts.is_empty() {
        warnings.push(Warning::Contact(contacts));
    }
    for i in &cap.infos {
        drop(i.audience.is_some(), "audience");
        drop(
            i.event_codes.iter().any(|c| c.name != AVISO_CATEGORY),
            "eventCode",
        );
        drop(i.effective.is_some(), "effective");
        drop(
            i.parameters
                .iter()
                .any(|p| p.name != AVISO_SOURCE_REFERENCE),
            "parameter",
        );
        drop(!i.resources.is_empty(), "resource");
        drop(
            !i.event.is_empty() && i.headline.is_some() && !from_aviso,
            "event",
        );
        for a in &i.areas {
            drop(
                a.altitude.is_some() || a.ceiling.is_some(),
                "altitude/ceiling",
            );
        }
    }
    if !dropped.is_empty() {
        warnings.push(Warning::Dropped(dropped));
    }

    let alert = Alert {
        category,
        severity,
        urgency,
        certainty,
        status,
        msg_type,
        references,
        areas,
        area_desc,
        onset,
        info,
        confirms: Vec::new(),
    };
    Ok(Draft {
        alert,
        ttl_secs,
        expires_at: opts.now.saturating_add(ttl_secs),
        expired,
        source: Source {
            identifier: cap.identifier.clone(),
            sender: cap.sender.clone(),
            sent: cap.sent,
            from_aviso,
        },
        unresolved_references,
        warnings,
    })
}

/// Who issued a message from outside Aviso, where to read more, and which message it
/// was: appended to the description, because members should know an alert relays an
/// official source, and so the export can name that message
/// ([`crate::export::source_reference`]).
fn source_note(cap: &CapAlert, i: &CapInfo) -> Option<String> {
    let who = match &i.sender_name {
        Some(name) => format!("{} ({})", tidy_line(name), cap.sender),
        None => cap.sender.clone(),
    };
    let (who, _) = truncate(&who, MAX_SHORT);
    let mut note = format!("{SOURCE_NOTE_PREFIX}{who}");
    if let Some(web) = &i.web {
        let (web, cut) = truncate(web, MAX_SHORT * 2);
        if !cut {
            note.push('\n');
            note.push_str(&web);
        }
    }
    // CAP forbids white space and commas in both; with them the triplet would be
    // ambiguous, so it is left out.
    let plain = |s: &str| !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == ',');
    let triplet = format!("{},{},{}", cap.sender, cap.identifier, cap.sent);
    if plain(&cap.sender) && plain(&cap.identifier) && triplet.len() <= MAX_SHORT * 2 {
        note.push('\n');
        note.push_str(SOURCE_MESSAGE_PREFIX);
        note.push_str(&triplet);
    }
    Some(note)
}

/// The cells and the place description, from the options or the message's areas.
fn import_areas(
    cap: &CapAlert,
    opts: &ImportOptions,
    from_aviso: bool,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<Area>, Option<String>), ImportError> {
    let mut fixed: Vec<Area> = Vec::new();
    let mut polygons: Vec<Polygon> = Vec::new();
    let mut circles: Vec<Circle> = Vec::new();
    let mut other_geocodes: Vec<String> = Vec::new();
    for a in cap.infos.iter().flat_map(|i| &i.areas) {
        let mut has_geohash = false;
        for g in &a.geocodes {
            if g.name.eq_ignore_ascii_case(GEOHASH_GEOCODE) {
                has_geohash = true;
                let v = g.value.trim().to_ascii_lowercase();
                let v = v.get(..v.len().min(MAX_AREA_PRECISION)).unwrap_or(&v);
                let cell = Area::parse(v)
                    .map_err(|_| ImportError::Geohash(g.value.chars().take(20).collect()))?;
                fixed.push(cell);
            } else if !other_geocodes.contains(&g.name) && other_geocodes.len() < 8 {
                other_geocodes.push(g.name.chars().take(40).collect());
            }
        }
        // Geohash geocodes are exact; the polygons beside them are their outlines.
        if has_geohash {
            continue;
        }
        for p in &a.polygons {
            if !polygons.contains(p) {
                polygons.push(p.clone());
            }
        }
        for c in &a.circles {
            if !circles.contains(c) {
                circles.push(*c);
            }
        }
    }
    let has_geometry = !(fixed.is_empty() && polygons.is_empty() && circles.is_empty());
    let cells = if !opts.areas.is_empty() {
        if has_geometry {
            warnings.push(Warning::AreasReplaced);
        }
        cover_and_warn(&[], &[], &opts.areas, opts.precision, warnings)?
    } else if !fixed.is_empty()
        && polygons.is_empty()
        && circles.is_empty()
        && unique(&fixed).len() <= MAX_AREAS
    {
        // Exact cells (an Aviso export): kept as they are, in their order.
        unique(&fixed)
    } else if has_geometry {
        cover_and_warn(&polygons, &circles, &fixed, opts.precision, warnings)?
    } else {
        warnings.push(Warning::NoGeometry {
            geocodes: std::mem::take(&mut other_geocodes),
        });
        Vec::new()
    };
    if !other_geocodes.is_empty() {
        warnings.push(Warning::GeocodesNotUsed {
            geocodes: other_geocodes,
        });
    }

    // The place description: the first block's areas (the others repeat them in other
    // languages).
    let mut descs: Vec<String> = Vec::new();
    if let Some(first) = cap.infos.first() {
        for a in &first.areas {
            let d = if from_aviso {
                a.area_desc.trim().to_owned()
            } else {
                tidy_line(&a.area_desc)
            };
            if !d.is_empty() && !descs.contains(&d) {
                descs.push(d);
            }
        }
    }
    let desc = descs.join("; ");
    // An Aviso export without a place description lists its cells instead.
    let generated = first_area_cells(cap).is_some_and(|cells| cells == desc);
    let area_desc = if desc.is_empty() || (from_aviso && generated) {
        None
    } else {
        let (d, cut) = truncate(&desc, MAX_SHORT);
        if cut {
            warnings.push(Warning::Truncated {
                field: "area description",
                lang: cap
                    .infos
                    .first()
                    .and_then(|i| i.language.clone())
                    .unwrap_or_else(|| DEFAULT_LANGUAGE.into()),
            });
        }
        Some(d)
    };
    Ok((cells, area_desc))
}

/// `cells` without repeats, in their first order.
fn unique(cells: &[Area]) -> Vec<Area> {
    let mut out: Vec<Area> = Vec::with_capacity(cells.len());
    for c in cells {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// The geohash geocodes of the first block's first area, joined as the exporter writes
/// them when there is no place description.
fn first_area_cells(cap: &CapAlert) -> Option<String> {
    let area = cap.infos.first()?.areas.first()?;
    let cells: Vec<&str> = area
        .geocodes
        .iter()
        .filter(|g| g.name == GEOHASH_GEOCODE)
        .map(|g| g.value.as_str())
        .collect();
    Some(cells.join(", "))
}

fn cover_and_warn(
    polygons: &[Polygon],
    circles: &[Circle],
    fixed: &[Area],
    precision: usize,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Area>, ImportError> {
    let c = cover(polygons, circles, &normalize(fixed.to_vec()), precision)?;
    if c.coarsened {
        warnings.push(Warning::Coarsened {
            requested: precision,
            used: c.precision,
            cells: c.cells.len(),
        });
    }
    Ok(c.cells)
}

/// What a message that refers to Aviso alerts lacks is taken from them, as `aviso alert
/// cancel` does: with no area of its own it applies where they did; with no `<info>` (a
/// bare cancel) it has their category and scales, which trust rules depend on; and a
/// cancel or all-clear outlives what it ends.
///
/// Returns whether the area cells were taken from them.
pub fn complete_from_references(
    draft: &mut Draft,
    referenced: &[(Id, Alert, u64)],
    had_info: bool,
    now: u64,
) -> bool {
    let mut took_areas = false;
    if let (false, Some((_, old, _))) = (had_info, referenced.first()) {
        let a = &mut draft.alert;
        a.category = old.category;
        a.severity = old.severity;
        a.urgency = if a.msg_type == MsgType::AllClear {
            Urgency::Past
        } else {
            old.urgency
        };
        a.certainty = old.certainty;
    }
    if draft.alert.areas.is_empty() && !referenced.is_empty() {
        let cells: Vec<Area> = referenced
            .iter()
            .flat_map(|(_, a, _)| a.areas.iter().cloned())
            .collect();
        if let Ok(cover) = cover(&[], &[], &normalize(cells), 6)
            && !cover.cells.is_empty()
            && cover.cells.len() <= MAX_AREAS
        {
            draft.alert.areas = cover.cells;
            draft
                .warnings
                .retain(|w| !matches!(w, Warning::NoGeometry { .. }));
            took_areas = true;
        }
        if draft.alert.area_desc.is_none() {
            draft.alert.area_desc = referenced.iter().find_map(|(_, a, _)| a.area_desc.clone());
        }
    }
    if matches!(draft.alert.msg_type, MsgType::Cancel | MsgType::AllClear) {
        let last = referenced.iter().map(|(_, _, exp)| *exp).max().unwrap_or(0);
        let needed = last.saturating_sub(now).min(MAX_TTL_SHORT_SECS);
        if needed > draft.ttl_secs {
            draft.ttl_secs = needed;
            draft.expires_at = now + needed;
        }
    }
    took_areas
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SAMPLE: &str = include_str!("../tests/data/spec-shaped/a4-child-abduction-bilingual.xml");

    #[test]
    fn cancels_take_area_and_life_from_what_they_end() {
        let xml = include_str!("../tests/data/feed-shaped/cancel-signed.xml");
        let cap = crate::parse(xml).unwrap();
        let now = cap.sent.unix;
        let mut opts = ImportOptions::new(now);
        opts.references = vec![Id([4; 32])];
        let mut draft = crate::import(&cap, &opts).unwrap();
        let mut old = crate::import_xml(SAMPLE, &ImportOptions::new(now))
            .unwrap()
            .alert;
        old.areas = vec![Area::parse("9q5").unwrap()];
        let far = now + 5 * 86_400;
        complete_from_references(&mut draft, &[(Id([4; 32]), old, far)], false, now);
        assert_eq!(draft.alert.areas, vec![Area::parse("9q5").unwrap()]);
        assert_eq!(draft.alert.category, aviso_protocol::Category::Rescue);
        assert_eq!(draft.alert.severity, aviso_protocol::Severity::Severe);
        assert_eq!(draft.ttl_secs, 5 * 86_400);
        assert_eq!(draft.alert.validate(), Ok(()));
        assert!(
            !draft
                .warnings
                .iter()
                .any(|w| matches!(w, Warning::NoGeometry { .. }))
        );
    }
}
