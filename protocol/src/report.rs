//! Reports: unverified sightings from members. Never shown as alerts.

use serde::{Deserialize, Serialize};

use crate::Category;
use crate::area::Area;
use crate::body::{self, BodyError};
use crate::limits::*;

/// Free text of a report in one language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportText {
    /// BCP 47 language tag.
    pub lang: String,
    /// What was seen. No names or photos of people: the schema has no place for them.
    pub text: String,
}

/// A member's sighting.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// What kind of thing was seen.
    pub category: Category,
    /// Where, as coarse cells.
    pub areas: Vec<Area>,
    /// When it was seen (unix seconds).
    pub seen_at: u64,
    /// What was seen, in the reporter's words.
    pub note: Option<ReportText>,
}

impl Report {
    /// Check every limit and rule.
    pub fn validate(&self) -> Result<(), BodyError> {
        crate::alert::check_alert_category(self.category)?;
        body::areas("areas", &self.areas, MAX_AREAS, true)?;
        if let Some(n) = &self.note {
            body::langs("note.lang", std::iter::once(n.lang.as_str()))?;
            body::required_text("note.text", &n.text, MAX_TEXT)?;
        }
        Ok(())
    }
}
