//! The CAP 1.2 message as typed Rust values: what [`crate::parse()`] reads and
//! [`crate::write()`] writes. Closed vocabularies are enums; everything else is text.
//!
//! Elements Aviso never uses are still read (so the import can say what it drops) but
//! resources keep only their description, and `derefUri` (inline base64 files) is never
//! stored.

use aviso_protocol::{Certainty, Severity, Urgency};

use crate::time::CapTime;

/// The CAP 1.2 XML namespace.
pub const CAP_1_2_NS: &str = "urn:oasis:names:tc:emergency:cap:1.2";
/// The CAP 1.1 XML namespace: read too (the structure Aviso uses is the same).
pub const CAP_1_1_NS: &str = "urn:oasis:names:tc:emergency:cap:1.1";

/// One `<alert>`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapAlert {
    /// `<identifier>`: unique for this sender.
    pub identifier: String,
    /// `<sender>`: globally unique originator.
    pub sender: String,
    /// `<sent>`.
    pub sent: CapTime,
    /// `<status>`.
    pub status: CapStatus,
    /// `<msgType>`.
    pub msg_type: CapMsgType,
    /// `<source>`.
    pub source: Option<String>,
    /// `<scope>`.
    pub scope: CapScope,
    /// `<restriction>`.
    pub restriction: Option<String>,
    /// `<addresses>`.
    pub addresses: Option<String>,
    /// `<code>` (handling codes, profiles).
    pub codes: Vec<String>,
    /// `<note>`.
    pub note: Option<String>,
    /// `<references>`, split into triplets.
    pub references: Vec<CapReference>,
    /// `<incidents>`.
    pub incidents: Option<String>,
    /// `<info>` blocks, in document order.
    pub infos: Vec<CapInfo>,
    /// Whether the message carries an XML signature (`ds:Signature`). It is never
    /// verified: the import says so. Never written.
    pub xml_signature: bool,
}

/// One earlier message named in `<references>` (`sender,identifier,sent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapReference {
    /// Its sender.
    pub sender: String,
    /// Its identifier.
    pub identifier: String,
    /// Its sent time, as written.
    pub sent: String,
}

/// `<status>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapStatus {
    /// Actionable by all targeted recipients.
    Actual,
    /// Only for designated participants of an exercise.
    Exercise,
    /// Messages that support alert network internal functions.
    System,
    /// Technical testing only.
    Test,
    /// A preliminary template or draft, not actionable.
    Draft,
}

/// `<msgType>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapMsgType {
    /// Initial information.
    Alert,
    /// Updates and supersedes the referenced messages.
    Update,
    /// Cancels the referenced messages.
    Cancel,
    /// Acknowledges receipt.
    Ack,
    /// Indicates rejection.
    Error,
}

/// `<scope>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapScope {
    /// For general dissemination.
    Public,
    /// For users with a known operational requirement.
    Restricted,
    /// For specified addresses.
    Private,
}

/// `<category>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapCategory {
    /// Geophysical.
    Geo,
    /// Meteorological.
    Met,
    /// General emergency and public safety.
    Safety,
    /// Law enforcement, military, homeland and local/private security.
    Security,
    /// Rescue and recovery.
    Rescue,
    /// Fire suppression and rescue.
    Fire,
    /// Medical and public health.
    Health,
    /// Pollution and other environmental.
    Env,
    /// Public and private transportation.
    Transport,
    /// Utility, telecommunication, other non-transport infrastructure.
    Infra,
    /// Chemical, biological, radiological, nuclear or high-yield explosive.
    Cbrne,
    /// Other events.
    Other,
}

/// `<responseType>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// Take shelter in place.
    Shelter,
    /// Relocate.
    Evacuate,
    /// Make preparations.
    Prepare,
    /// Execute a pre-planned activity.
    Execute,
    /// Avoid the subject event.
    Avoid,
    /// Attend to information sources.
    Monitor,
    /// Evaluate the information in this message.
    Assess,
    /// The subject event no longer poses a threat.
    AllClear,
    /// No action recommended.
    None,
}

/// `<eventCode>`, `<parameter>` and `<geocode>`: a name and a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuePair {
    /// `<valueName>`.
    pub name: String,
    /// `<value>`.
    pub value: String,
}

/// One `<info>` block: one language's text and the event's classification.
#[derive(Debug, Clone, PartialEq)]
pub struct CapInfo {
    /// `<language>`; CAP's default when absent is `en-US`.
    pub language: Option<String>,
    /// `<category>` (one or more).
    pub categories: Vec<CapCategory>,
    /// `<event>`.
    pub event: String,
    /// `<responseType>`.
    pub response_types: Vec<ResponseType>,
    /// `<urgency>`.
    pub urgency: Urgency,
    /// `<severity>`.
    pub severity: Severity,
    /// `<certainty>`.
    pub certainty: Certainty,
    /// `<audience>`.
    pub audience: Option<String>,
    /// `<eventCode>`.
    pub event_codes: Vec<ValuePair>,
    /// `<effective>`.
    pub effective: Option<CapTime>,
    /// `<onset>`.
    pub onset: Option<CapTime>,
    /// `<expires>`.
    pub expires: Option<CapTime>,
    /// `<senderName>`.
    pub sender_name: Option<String>,
    /// `<headline>`.
    pub headline: Option<String>,
    /// `<description>`.
    pub description: Option<String>,
    /// `<instruction>`.
    pub instruction: Option<String>,
    /// `<web>`.
    pub web: Option<String>,
    /// `<contact>`.
    pub contact: Option<String>,
    /// `<parameter>`.
    pub parameters: Vec<ValuePair>,
    /// `<resource>` descriptions (files are never fetched or stored).
    pub resources: Vec<String>,
    /// `<area>`.
    pub areas: Vec<CapArea>,
}

/// One `<area>`.
#[derive(Debug, Clone, PartialEq)]
pub struct CapArea {
    /// `<areaDesc>`.
    pub area_desc: String,
    /// `<polygon>`s (empty ones, which some feeds send, are left out).
    pub polygons: Vec<Polygon>,
    /// `<circle>`s.
    pub circles: Vec<Circle>,
    /// `<geocode>`s.
    pub geocodes: Vec<ValuePair>,
    /// `<altitude>`, as written (feet above sea level).
    pub altitude: Option<String>,
    /// `<ceiling>`, as written.
    pub ceiling: Option<String>,
}

/// A WGS 84 point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Latitude in degrees, -90 to 90.
    pub lat: f64,
    /// Longitude in degrees, -180 to 180.
    pub lon: f64,
}

/// A closed polygon: the first point equals the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// The points, closed.
    pub points: Vec<Point>,
}

/// A circle: a centre and a radius.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circle {
    /// The centre.
    pub centre: Point,
    /// The radius in kilometres (0 for a point).
    pub radius_km: f64,
}

macro_rules! cap_names {
    ($t:ty { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            /// The CAP spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }
            /// From the CAP spelling (exact, as the schema requires).
            pub fn from_cap(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)+ _ => None }
            }
        }
    };
}

cap_names!(CapStatus { Actual => "Actual", Exercise => "Exercise", System => "System", Test => "Test", Draft => "Draft" });
cap_names!(CapMsgType { Alert => "Alert", Update => "Update", Cancel => "Cancel", Ack => "Ack", Error => "Error" });
cap_names!(CapScope { Public => "Public", Restricted => "Restricted", Private => "Private" });
cap_names!(CapCategory {
    Geo => "Geo", Met => "Met", Safety => "Safety", Security => "Security", Rescue => "Rescue",
    Fire => "Fire", Health => "Health", Env => "Env", Transport => "Transport", Infra => "Infra",
    Cbrne => "CBRNE", Other => "Other",
});
cap_names!(ResponseType {
    Shelter => "Shelter", Evacuate => "Evacuate", Prepare => "Prepare", Execute => "Execute",
    Avoid => "Avoid", Monitor => "Monitor", Assess => "Assess", AllClear => "AllClear", None => "None",
});

/// CAP spellings of urgency, severity and certainty (the same five words as Aviso's).
pub(crate) fn urgency_str(u: Urgency) -> &'static str {
    match u {
        Urgency::Immediate => "Immediate",
        Urgency::Expected => "Expected",
        Urgency::Future => "Future",
        Urgency::Past => "Past",
        Urgency::Unknown => "Unknown",
    }
}

pub(crate) fn urgency_from(s: &str) -> Option<Urgency> {
    Some(match s {
        "Immediate" => Urgency::Immediate,
        "Expected" => Urgency::Expected,
        "Future" => Urgency::Future,
        "Past" => Urgency::Past,
        "Unknown" => Urgency::Unknown,
        _ => return None,
    })
}

pub(crate) fn severity_str(s: Severity) -> &'static str {
    match s {
        Severity::Extreme => "Extreme",
        Severity::Severe => "Severe",
        Severity::Moderate => "Moderate",
        Severity::Minor => "Minor",
        Severity::Unknown => "Unknown",
    }
}

pub(crate) fn severity_from(s: &str) -> Option<Severity> {
    Some(match s {
        "Extreme" => Severity::Extreme,
        "Severe" => Severity::Severe,
        "Moderate" => Severity::Moderate,
        "Minor" => Severity::Minor,
        "Unknown" => Severity::Unknown,
        _ => return None,
    })
}

pub(crate) fn certainty_str(c: Certainty) -> &'static str {
    match c {
        Certainty::Observed => "Observed",
        Certainty::Likely => "Likely",
        Certainty::Possible => "Possible",
        Certainty::Unlikely => "Unlikely",
        Certainty::Unknown => "Unknown",
    }
}

pub(crate) fn certainty_from(s: &str) -> Option<Certainty> {
    Some(match s {
        "Observed" => Certainty::Observed,
        "Likely" => Certainty::Likely,
        // Deprecated by CAP 1.1, which says to read it as Likely.
        "Very Likely" => Certainty::Likely,
        "Possible" => Certainty::Possible,
        "Unlikely" => Certainty::Unlikely,
        "Unknown" => Certainty::Unknown,
        _ => return None,
    })
}
