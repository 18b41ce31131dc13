//! Trust lists: who may sign what, for which areas, until when; and who is revoked.

use serde::{Deserialize, Serialize};

use crate::area::Area;
use crate::body::{self, BodyError};
use crate::limits::*;
use crate::{Category, PublicKey};

/// What a listed key may do.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Signs alerts, resources, endorsements; confirms and dismisses reports.
    Organizer,
    /// Sends reports.
    Member,
}

/// One key on a trust list, with its scope.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustEntry {
    /// The member or organizer key.
    pub key: PublicKey,
    /// What it may do.
    pub role: Role,
    /// Who it is, for people reading the list ("Ana, Mission rapid response").
    pub label: String,
    /// Area cells it may speak for; empty means everywhere.
    pub areas: Vec<Area>,
    /// Alert categories it may sign, and [`Category::Resources`] if it may publish
    /// resource notices; empty means all of them.
    pub categories: Vec<Category>,
    /// When the entry lapses (unix seconds); `None` means with the list.
    pub expires_at: Option<u64>,
}

/// A revoked key.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revocation {
    /// The key.
    pub key: PublicKey,
    /// Messages it created at or after this time are not trusted; 0 means nothing it
    /// ever signed is.
    pub since: u64,
    /// Why, for people.
    pub reason: String,
}

/// How many organizer signatures (author plus endorsers) a category needs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Threshold {
    /// The category.
    pub category: Category,
    /// Signatures needed, 1 to [`MAX_THRESHOLD`].
    pub k: u8,
}

/// Another list owner whose list is trusted within a scope.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegate {
    /// The delegate list owner.
    pub key: PublicKey,
    /// Who it is.
    pub label: String,
    /// Areas its entries may cover; empty means everywhere.
    pub areas: Vec<Area>,
    /// Categories its entries may cover; empty means all.
    pub categories: Vec<Category>,
}

/// A versioned, signed list. The highest valid version per author wins.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustList {
    /// The list's name ("Mission rapid response").
    pub name: String,
    /// Monotonic per author.
    pub version: u64,
    /// Who may sign what.
    pub entries: Vec<TrustEntry>,
    /// Revoked keys.
    pub revoked: Vec<Revocation>,
    /// Per-category co-signing thresholds (default 1).
    pub thresholds: Vec<Threshold>,
    /// Delegated list owners.
    pub delegates: Vec<Delegate>,
}

impl TrustList {
    /// Check every limit and rule.
    pub fn validate(&self) -> Result<(), BodyError> {
        body::required_text("name", &self.name, MAX_SHORT)?;
        body::count("entries", &self.entries, MAX_TRUST_ENTRIES)?;
        body::unique(
            "entries.key",
            &self.entries.iter().map(|e| e.key).collect::<Vec<_>>(),
        )?;
        for e in &self.entries {
            body::text("entries.label", &e.label, MAX_SHORT)?;
            body::areas("entries.areas", &e.areas, MAX_SCOPE_AREAS, false)?;
            body::count("entries.categories", &e.categories, Category::ALL.len() + 1)?;
            body::unique("entries.categories", &e.categories)?;
        }
        body::count("revoked", &self.revoked, MAX_REVOCATIONS)?;
        body::unique(
            "revoked.key",
            &self.revoked.iter().map(|r| r.key).collect::<Vec<_>>(),
        )?;
        for r in &self.revoked {
            body::text("revoked.reason", &r.reason, MAX_SHORT)?;
        }
        body::count("thresholds", &self.thresholds, MAX_THRESHOLDS)?;
        body::unique(
            "thresholds.category",
            &self
                .thresholds
                .iter()
                .map(|t| t.category)
                .collect::<Vec<_>>(),
        )?;
        if self
            .thresholds
            .iter()
            .any(|t| !t.category.is_alert_category())
        {
            return Err(BodyError::Invalid {
                field: "thresholds.category",
                why: "resource notices are signed by one organizer; thresholds are for alert categories",
            });
        }
        if self
            .thresholds
            .iter()
            .any(|t| t.k == 0 || t.k > MAX_THRESHOLD)
        {
            return Err(BodyError::Invalid {
                field: "thresholds.k",
                why: "must be between 1 and 8",
            });
        }
        body::count("delegates", &self.delegates, MAX_DELEGATES)?;
        body::unique(
            "delegates.key",
            &self.delegates.iter().map(|d| d.key).collect::<Vec<_>>(),
        )?;
        for d in &self.delegates {
            body::text("delegates.label", &d.label, MAX_SHORT)?;
            body::areas("delegates.areas", &d.areas, MAX_SCOPE_AREAS, false)?;
            body::unique("delegates.categories", &d.categories)?;
            body::count(
                "delegates.categories",
                &d.categories,
                Category::ALL.len() + 1,
            )?;
        }
        Ok(())
    }
}
