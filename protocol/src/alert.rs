//! Alerts: verified warnings signed by organizers, with CAP-like fields and one text
//! block per language.

use serde::{Deserialize, Serialize};

use crate::Id;
use crate::area::Area;
use crate::body::{self, BodyError};
use crate::limits::*;

/// What an alert (or a report) is about. The first five are the community's own; the
/// rest are the CAP 1.2 categories, so official alerts can be carried too.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Immigration enforcement operation at homes or workplaces.
    Raid,
    /// A checkpoint or roadblock.
    Checkpoint,
    /// Someone was detained.
    Detention,
    /// Agents patrolling or waiting in an area.
    Patrol,
    /// Anything else.
    Other,
    /// CAP: geophysical (e.g. landslide).
    Geo,
    /// CAP: meteorological.
    Met,
    /// CAP: general emergency and public safety.
    Safety,
    /// CAP: law enforcement, military, homeland and local/private security.
    Security,
    /// CAP: rescue and recovery.
    Rescue,
    /// CAP: fire suppression and rescue.
    Fire,
    /// CAP: medical and public health.
    Health,
    /// CAP: pollution and other environmental.
    Env,
    /// CAP: public and private transportation.
    Transport,
    /// CAP: utility, telecommunication, other non-transport infrastructure.
    Infra,
    /// CAP: chemical, biological, radiological, nuclear or high-yield explosive.
    Cbrne,
    /// Not a category of alerts or reports: on a trust list, the permission to publish
    /// resource notices. A key whose entry lists categories may publish resources only
    /// when `resources` is among them, so a key listed for `fire` alone (a weather feed,
    /// say) cannot post a "free legal clinic" that members would take as trusted.
    Resources,
}

impl Category {
    /// Every category, in order.
    pub const ALL: [Category; 16] = [
        Category::Raid,
        Category::Checkpoint,
        Category::Detention,
        Category::Patrol,
        Category::Other,
        Category::Geo,
        Category::Met,
        Category::Safety,
        Category::Security,
        Category::Rescue,
        Category::Fire,
        Category::Health,
        Category::Env,
        Category::Transport,
        Category::Infra,
        Category::Cbrne,
    ];

    /// Its snake_case name, as in JSON, alert files, the CLI and the web app.
    pub fn name(self) -> &'static str {
        match self {
            Category::Raid => "raid",
            Category::Checkpoint => "checkpoint",
            Category::Detention => "detention",
            Category::Patrol => "patrol",
            Category::Other => "other",
            Category::Geo => "geo",
            Category::Met => "met",
            Category::Safety => "safety",
            Category::Security => "security",
            Category::Rescue => "rescue",
            Category::Fire => "fire",
            Category::Health => "health",
            Category::Env => "env",
            Category::Transport => "transport",
            Category::Infra => "infra",
            Category::Cbrne => "cbrne",
            Category::Resources => "resources",
        }
    }

    /// Whether alerts and reports may carry this category (every one but
    /// [`Category::Resources`], which is a trust-list permission).
    pub fn is_alert_category(self) -> bool {
        self != Category::Resources
    }
}

/// Refuse [`Category::Resources`] on an alert or a report.
pub(crate) fn check_alert_category(category: Category) -> Result<(), BodyError> {
    if category.is_alert_category() {
        Ok(())
    } else {
        Err(BodyError::Invalid {
            field: "category",
            why: "`resources` is a trust-list permission, not a category of alerts or reports",
        })
    }
}

/// CAP severity.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Extraordinary threat to life or liberty.
    Extreme,
    /// Significant threat.
    Severe,
    /// Possible threat.
    Moderate,
    /// Minimal threat.
    Minor,
    /// Not known.
    Unknown,
}

impl Severity {
    /// Higher is more severe; used to order the feed.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Extreme => 4,
            Severity::Severe => 3,
            Severity::Moderate => 2,
            Severity::Minor => 1,
            Severity::Unknown => 0,
        }
    }
}

/// CAP urgency.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Act now.
    Immediate,
    /// Act within the next hour.
    Expected,
    /// Act in the near future.
    Future,
    /// No longer required.
    Past,
    /// Not known.
    Unknown,
}

/// CAP certainty.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Determined to have occurred or to be ongoing.
    Observed,
    /// More likely than not.
    Likely,
    /// Possible but not likely.
    Possible,
    /// Not expected.
    Unlikely,
    /// Not known.
    Unknown,
}

/// CAP status: whether the alert is real.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Actionable by all targeted recipients.
    Actual,
    /// A drill; shown labelled as such.
    Exercise,
    /// A technical test; shown labelled as such.
    Test,
}

/// What the alert does to earlier ones.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MsgType {
    /// A new alert.
    Alert,
    /// Replaces the alerts it references.
    Update,
    /// Withdraws the alerts it references (they were wrong or are no longer relevant).
    Cancel,
    /// Ends the alerts it references: the danger is over.
    AllClear,
}

/// One language's text of an alert.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// BCP 47 language tag.
    pub lang: String,
    /// One line for notifications.
    pub headline: String,
    /// What is happening.
    pub description: String,
    /// What to do.
    pub instruction: String,
}

/// A verified warning, signed by an organizer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// What it is about.
    pub category: Category,
    /// How bad.
    pub severity: Severity,
    /// How soon to act.
    pub urgency: Urgency,
    /// How sure.
    pub certainty: Certainty,
    /// Real, exercise or test.
    pub status: Status,
    /// New, update, cancel or all-clear.
    pub msg_type: MsgType,
    /// The alerts an update, cancel or all-clear applies to.
    pub references: Vec<Id>,
    /// Area cells (geohash prefixes).
    pub areas: Vec<Area>,
    /// An optional public place description ("the 24th Street BART station").
    pub area_desc: Option<String>,
    /// When the event starts or started (unix seconds), if known.
    pub onset: Option<u64>,
    /// One block per language; the first is the default.
    pub info: Vec<Info>,
    /// Reports this alert verifies.
    pub confirms: Vec<Id>,
}

impl Alert {
    /// Check every limit and rule.
    pub fn validate(&self) -> Result<(), BodyError> {
        check_alert_category(self.category)?;
        body::areas("areas", &self.areas, MAX_AREAS, true)?;
        body::opt_text("area_desc", &self.area_desc, MAX_SHORT)?;
        body::count("references", &self.references, MAX_REFERENCES)?;
        body::unique("references", &self.references)?;
        body::count("confirms", &self.confirms, MAX_REFERENCES)?;
        body::unique("confirms", &self.confirms)?;
        match self.msg_type {
            MsgType::Alert if !self.references.is_empty() => {
                return Err(BodyError::Invalid {
                    field: "references",
                    why: "a new alert references nothing; use msg_type update",
                });
            }
            MsgType::Update | MsgType::Cancel | MsgType::AllClear if self.references.is_empty() => {
                return Err(BodyError::Empty("references"));
            }
            _ => {}
        }
        if matches!(self.msg_type, MsgType::Alert | MsgType::Update) && self.info.is_empty() {
            return Err(BodyError::Empty("info"));
        }
        body::count("info", &self.info, MAX_LANGUAGES)?;
        body::langs("info.lang", self.info.iter().map(|i| i.lang.as_str()))?;
        for i in &self.info {
            let l = Some(i.lang.as_str());
            body::required_text_in("info.headline", l, &i.headline, MAX_HEADLINE)?;
            body::text_in("info.description", l, &i.description, MAX_TEXT)?;
            body::text_in("info.instruction", l, &i.instruction, MAX_TEXT)?;
        }
        Ok(())
    }
}
