//! Endorsements (co-signatures) and retractions (withdrawals and dismissals).

use serde::{Deserialize, Serialize};

use crate::Id;

/// A second organizer's signature on an existing alert, for k-of-n thresholds.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endorsement {
    /// The alert endorsed.
    pub alert: Id,
}

/// Why a message is withdrawn.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetractReason {
    /// It was false (a report dismissed by an organizer).
    False,
    /// It was a mistake.
    Mistaken,
    /// It repeats another message.
    Duplicate,
    /// The author withdraws it (a resource that closed, say).
    Withdrawn,
}

/// Withdraws a message: its author withdrawing it, or an organizer dismissing a report.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retraction {
    /// The message withdrawn.
    pub target: Id,
    /// Why.
    pub reason: RetractReason,
}
