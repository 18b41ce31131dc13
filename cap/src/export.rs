//! Aviso alert → CAP 1.2. The mapping, field by field, is in `docs/cap-mapping.md`.

use aviso_protocol::{Alert, Body, Category, Envelope, Id, MsgType, PublicKey, Status};

use crate::geo::cell_polygon;
use crate::model::*;
use crate::time::{CapTime, MAX_UNIX};

/// `<sender>` of exported alerts is this prefix and the author's full public key in hex:
/// globally unique, and the key that verifies the envelope (a fingerprint would be
/// shorter but only 64 bits, so it could be ground to collide).
pub const AVISO_SENDER_PREFIX: &str = "aviso:";
/// `<eventCode>` `<valueName>` carrying the exact Aviso category, so the community
/// categories (raid, checkpoint, detention, patrol), which CAP files under Security,
/// survive a round trip.
pub const AVISO_CATEGORY: &str = "AVISO_CATEGORY";
/// `<geocode>` `<valueName>` carrying each geohash cell, so import recovers the exact
/// cells instead of re-covering the polygons.
pub const GEOHASH_GEOCODE: &str = "geohash";
/// `<parameter>` `<valueName>` naming the CAP message an alert relays, as a CAP reference
/// triplet `sender,identifier,sent`, so downstream systems can relate the two.
pub const AVISO_SOURCE_REFERENCE: &str = "AVISO_SOURCE_REFERENCE";
/// How the import's source note starts (the last paragraph of each description of an
/// alert imported from CAP).
pub const SOURCE_NOTE_PREFIX: &str = "Source: ";
/// The source note's last line: this prefix and the relayed message's
/// `sender,identifier,sent`. The export reads it back into [`AVISO_SOURCE_REFERENCE`].
pub const SOURCE_MESSAGE_PREFIX: &str = "CAP message: ";

/// Why an envelope cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// Only alerts have a CAP form.
    #[error("envelope {id} is a {kind}, not an alert: only alerts have a CAP form")]
    NotAnAlert {
        /// The envelope.
        id: Id,
        /// What it is.
        kind: &'static str,
    },
    /// A time past year 9999, which CAP's four-digit years cannot write.
    #[error("time {0} (unix seconds) is past year 9999 and cannot be written in CAP")]
    TimeOutOfRange(u64),
}

/// An alert with the envelope facts CAP needs.
#[derive(Debug, Clone, Copy)]
pub struct SignedAlert<'a> {
    /// The envelope id: the CAP `<identifier>`.
    pub id: Id,
    /// Who signed it.
    pub author: PublicKey,
    /// When it was signed: `<sent>`.
    pub created_at: u64,
    /// When it expires: each `<info>`'s `<expires>`.
    pub expires_at: u64,
    /// The alert.
    pub alert: &'a Alert,
}

impl<'a> SignedAlert<'a> {
    /// The alert in an envelope, or an error if the envelope holds something else.
    pub fn from_envelope(env: &'a Envelope) -> Result<SignedAlert<'a>, ExportError> {
        match env.body() {
            Body::Alert(alert) => Ok(SignedAlert {
                id: env.id(),
                author: env.author(),
                created_at: env.created_at(),
                expires_at: env.expires_at(),
                alert,
            }),
            _ => Err(ExportError::NotAnAlert {
                id: env.id(),
                kind: env.kind().as_str(),
            }),
        }
    }
}

/// What this node knows of an alert that another one references: CAP names a
/// referenced message by sender, identifier and sent time, and an Aviso alert only
/// carries the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownAlert {
    /// Its envelope id.
    pub id: Id,
    /// Who signed it.
    pub author: PublicKey,
    /// When it was signed.
    pub created_at: u64,
}

/// The CAP `<sender>` for an Aviso author.
pub fn sender_for(author: &PublicKey) -> String {
    format!("{AVISO_SENDER_PREFIX}{}", author.to_hex())
}

/// The snake_case name of a category, as in Aviso's JSON and alert files.
pub fn category_name(c: Category) -> &'static str {
    c.name()
}

/// The English words used for CAP's `<event>` (Aviso has no event text of its own).
pub fn category_label(c: Category) -> &'static str {
    match c {
        Category::Raid => "Immigration enforcement raid",
        Category::Checkpoint => "Checkpoint",
        Category::Detention => "Detention",
        Category::Patrol => "Enforcement patrol",
        Category::Other => "Community alert",
        Category::Geo => "Geophysical hazard",
        Category::Met => "Weather hazard",
        Category::Safety => "Public safety",
        Category::Security => "Security",
        Category::Rescue => "Rescue and recovery",
        Category::Fire => "Fire",
        Category::Health => "Health",
        Category::Env => "Environmental hazard",
        Category::Transport => "Transport disruption",
        Category::Infra => "Infrastructure outage",
        Category::Cbrne => "CBRNE hazard",
        // A trust-list permission; no alert carries it (`Alert::validate` refuses it).
        Category::Resources => "Resource notice",
    }
}

/// The CAP category an Aviso category is filed under.
pub fn cap_category(c: Category) -> CapCategory {
    match c {
        Category::Raid | Category::Checkpoint | Category::Detention | Category::Patrol => {
            CapCategory::Security
        }
        Category::Other => CapCategory::Other,
        Category::Geo => CapCategory::Geo,
        Category::Met => CapCategory::Met,
        Category::Safety => CapCategory::Safety,
        Category::Security => CapCategory::Security,
        Category::Rescue => CapCategory::Rescue,
        Category::Fire => CapCategory::Fire,
        Category::Health => CapCategory::Health,
        Category::Env => CapCategory::Env,
        Category::Transport => CapCategory::Transport,
        Category::Infra => CapCategory::Infra,
        Category::Cbrne => CapCategory::Cbrne,
        Category::Resources => CapCategory::Other,
    }
}

fn time(unix: u64) -> Result<CapTime, ExportError> {
    if unix > MAX_UNIX {
        return Err(ExportError::TimeOutOfRange(unix));
    }
    Ok(CapTime::utc(unix))
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The CAP message an alert imported from CAP relays, read from the source note the
/// import appended to its descriptions: their last paragraph starts with
/// [`SOURCE_NOTE_PREFIX`] and ends with a [`SOURCE_MESSAGE_PREFIX`] line holding one
/// `sender,identifier,sent` triplet.
pub fn source_reference(alert: &Alert) -> Option<CapReference> {
    alert.info.iter().find_map(|i| {
        let last = i.description.rsplit("\n\n").next()?;
        if !last.starts_with(SOURCE_NOTE_PREFIX) {
            return None;
        }
        let triplet = last.lines().last()?.strip_prefix(SOURCE_MESSAGE_PREFIX)?;
        match crate::parse::parse_references(triplet).ok()?.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    })
}

/// The CAP message for a signed alert, in every language it has. `known` lists what
/// this node knows of the alerts it references; references it does not know cannot be
/// written as CAP triplets and are named in `<note>` instead.
pub fn export(s: &SignedAlert<'_>, known: &[KnownAlert]) -> Result<CapAlert, ExportError> {
    let a = s.alert;
    let mut references = Vec::new();
    let mut unknown = Vec::new();
    for r in &a.references {
        match known.iter().find(|k| k.id == *r) {
            Some(k) => references.push(CapReference {
                sender: sender_for(&k.author),
                identifier: k.id.to_hex(),
                sent: time(k.created_at)?.to_string(),
            }),
            None => unknown.push(r.to_hex()),
        }
    }
    let note = (!unknown.is_empty()).then(|| {
        format!(
            "Also applies to Aviso alerts this node no longer holds, so they cannot be named \
             as CAP references: {}",
            unknown.join(" ")
        )
    });
    let cells: Vec<String> = a.areas.iter().map(|c| c.as_str().to_owned()).collect();
    let area = CapArea {
        area_desc: a.area_desc.clone().unwrap_or_else(|| cells.join(", ")),
        polygons: a.areas.iter().map(cell_polygon).collect(),
        circles: Vec::new(),
        geocodes: cells
            .iter()
            .map(|c| ValuePair {
                name: GEOHASH_GEOCODE.into(),
                value: c.clone(),
            })
            .collect(),
        altitude: None,
        ceiling: None,
    };
    let onset = a.onset.map(time).transpose()?;
    let expires = Some(time(s.expires_at)?);
    let template = CapInfo {
        language: None,
        categories: vec![cap_category(a.category)],
        event: category_label(a.category).into(),
        // CAP has no all-clear message type: an Update whose response is AllClear.
        response_types: if a.msg_type == MsgType::AllClear {
            vec![ResponseType::AllClear]
        } else {
            Vec::new()
        },
        urgency: a.urgency,
        severity: a.severity,
        certainty: a.certainty,
        audience: None,
        event_codes: vec![ValuePair {
            name: AVISO_CATEGORY.into(),
            value: category_name(a.category).into(),
        }],
        effective: None,
        onset,
        expires,
        sender_name: Some(format!("Aviso organizer {}", s.author.fingerprint())),
        headline: None,
        description: None,
        instruction: None,
        web: None,
        contact: None,
        // The CAP message the alert relays, when it was imported from one.
        parameters: source_reference(a)
            .map(|r| ValuePair {
                name: AVISO_SOURCE_REFERENCE.into(),
                value: format!("{},{},{}", r.sender, r.identifier, r.sent),
            })
            .into_iter()
            .collect(),
        resources: Vec::new(),
        areas: vec![area],
    };
    let infos = if a.info.is_empty() {
        // A cancel or all-clear without text still carries the classification and the
        // area, in one text-less block (CAP's default language applies).
        vec![template]
    } else {
        a.info
            .iter()
            .map(|i| CapInfo {
                language: Some(i.lang.clone()),
                headline: Some(i.headline.clone()),
                description: non_empty(&i.description),
                instruction: non_empty(&i.instruction),
                ..template.clone()
            })
            .collect()
    };
    Ok(CapAlert {
        identifier: s.id.to_hex(),
        sender: sender_for(&s.author),
        sent: time(s.created_at)?,
        status: match a.status {
            Status::Actual => CapStatus::Actual,
            Status::Exercise => CapStatus::Exercise,
            Status::Test => CapStatus::Test,
        },
        msg_type: match a.msg_type {
            MsgType::Alert => CapMsgType::Alert,
            MsgType::Update | MsgType::AllClear => CapMsgType::Update,
            MsgType::Cancel => CapMsgType::Cancel,
        },
        source: None,
        scope: CapScope::Public,
        restriction: None,
        addresses: None,
        codes: Vec::new(),
        note,
        references,
        incidents: None,
        infos,
        xml_signature: false,
    })
}

/// [`export`], written as CAP 1.2 XML.
pub fn export_xml(s: &SignedAlert<'_>, known: &[KnownAlert]) -> Result<String, ExportError> {
    Ok(crate::write::write(&export(s, known)?))
}
