//! Resource notices: legal aid, helplines, shelters, workshops. Updatable by key.

use serde::{Deserialize, Serialize};

use crate::area::Area;
use crate::body::{self, BodyError};
use crate::limits::*;

/// What kind of help a resource offers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// Lawyers, legal clinics, accredited representatives.
    LegalAid,
    /// A phone line (rapid response, legal, crisis).
    Helpline,
    /// A place to stay.
    Shelter,
    /// Food banks, meals.
    Food,
    /// Clinics, medical help.
    Medical,
    /// Rides, accompaniment.
    Transport,
    /// Know-your-rights workshops and trainings.
    Workshop,
    /// Other events (meetings, vigils).
    Event,
    /// Anything else.
    Other,
}

impl ResourceKind {
    /// Its snake_case name, as in JSON and the web app's filter.
    pub fn name(self) -> &'static str {
        match self {
            ResourceKind::LegalAid => "legal_aid",
            ResourceKind::Helpline => "helpline",
            ResourceKind::Shelter => "shelter",
            ResourceKind::Food => "food",
            ResourceKind::Medical => "medical",
            ResourceKind::Transport => "transport",
            ResourceKind::Workshop => "workshop",
            ResourceKind::Event => "event",
            ResourceKind::Other => "other",
        }
    }
}

/// One language's text of a resource notice.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceInfo {
    /// BCP 47 language tag.
    pub lang: String,
    /// Name of the service.
    pub name: String,
    /// What it offers, who it serves.
    pub description: String,
    /// Opening hours in words.
    pub hours: String,
}

/// A resource notice. A newer version from the same author with the same
/// `resource_key` replaces the older.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    /// Chosen by the author; stable across versions.
    pub resource_key: String,
    /// What kind of help.
    pub kind: ResourceKind,
    /// One block per language; the first is the default.
    pub info: Vec<ResourceInfo>,
    /// A phone number, as written.
    pub phone: Option<String>,
    /// A web address.
    pub url: Option<String>,
    /// A public street address, for services that have one.
    pub address: Option<String>,
    /// Area cells served.
    pub areas: Vec<Area>,
    /// BCP 47 tags of languages spoken there.
    pub languages_spoken: Vec<String>,
    /// No cost.
    pub free: bool,
    /// No identity document asked for.
    pub no_id_required: bool,
    /// Confidential service.
    pub confidential: bool,
    /// No appointment needed.
    pub walk_in: bool,
    /// For events: start (unix seconds).
    pub starts_at: Option<u64>,
    /// For events: end (unix seconds).
    pub ends_at: Option<u64>,
}

impl Resource {
    /// Check every limit and rule.
    pub fn validate(&self) -> Result<(), BodyError> {
        body::required_text("resource_key", &self.resource_key, MAX_SHORT)?;
        body::areas("areas", &self.areas, MAX_AREAS, true)?;
        if self.info.is_empty() {
            return Err(BodyError::Empty("info"));
        }
        body::count("info", &self.info, MAX_LANGUAGES)?;
        body::langs("info.lang", self.info.iter().map(|i| i.lang.as_str()))?;
        for i in &self.info {
            let l = Some(i.lang.as_str());
            body::required_text_in("info.name", l, &i.name, MAX_SHORT)?;
            body::text_in("info.description", l, &i.description, MAX_TEXT)?;
            body::text_in("info.hours", l, &i.hours, MAX_SHORT)?;
        }
        body::opt_text("phone", &self.phone, MAX_SHORT)?;
        body::opt_text("url", &self.url, MAX_URL)?;
        body::opt_text("address", &self.address, MAX_SHORT)?;
        body::count("languages_spoken", &self.languages_spoken, MAX_LANGUAGES)?;
        body::langs(
            "languages_spoken",
            self.languages_spoken.iter().map(String::as_str),
        )?;
        if let (Some(s), Some(e)) = (self.starts_at, self.ends_at)
            && e < s
        {
            return Err(BodyError::Invalid {
                field: "ends_at",
                why: "ends before it starts",
            });
        }
        Ok(())
    }
}
