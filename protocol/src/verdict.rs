//! Verdicts: whether something is relayed or shown, and the reasons why not.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::area::Area;
use crate::{Category, Id, PublicKey, RetractReason, Role};

/// One reason a message is not relayed or not shown (or how it ended).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// Signed for another community.
    WrongCommunity,
    /// Past its expiry.
    Expired,
    /// Created too far in the future.
    FromTheFuture,
    /// The author is on no list this node follows (or the community's root lists).
    UnknownAuthor,
    /// The author is listed, but not with the role needed.
    NotAuthorized {
        /// The role needed.
        needs: Role,
    },
    /// The author's scope does not include this area cell.
    OutOfScopeArea {
        /// The first cell outside the scope.
        cell: Area,
    },
    /// The author's scope does not include this category.
    OutOfScopeCategory {
        /// The category.
        category: Category,
    },
    /// The author's list entry has lapsed.
    EntryExpired,
    /// The author's key is revoked.
    Revoked {
        /// Messages created at or after this time are not trusted (0: none are).
        since: u64,
    },
    /// A trust list whose author is not a root or delegate.
    NotAListOwner,
    /// A co-signing threshold is not met.
    NeedsSignatures {
        /// Signatures needed.
        needed: u8,
        /// Valid signatures present.
        has: u8,
    },
    /// A newer version replaces it.
    Superseded {
        /// The newer version.
        by: Id,
    },
    /// Cancelled.
    Cancelled {
        /// The cancelling message.
        by: Id,
    },
    /// Ended by an all-clear.
    AllClear {
        /// The all-clear message.
        by: Id,
    },
    /// Withdrawn by its author or dismissed by an organizer.
    Retracted {
        /// Who withdrew it.
        by: PublicKey,
        /// Why.
        why: RetractReason,
    },
    /// A cancel, all-clear or endorsement: shown through what it acts on, not alone.
    LifecycleMessage,
    /// Outside the member's areas of interest.
    OutsideYourAreas,
    /// An update, cancel or all-clear whose author may not act on what it references.
    NoAuthorityOverTarget,
    /// A response to an alert this node does not hold (yet), or to something that is
    /// not an alert.
    AlertUnknown,
    /// A response to an alert that has expired or ended.
    AlertNotLive,
    /// A response that would outlive the alert it answers.
    OutlivesAlert,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::WrongCommunity => write!(f, "signed for another community"),
            Reason::Expired => write!(f, "expired"),
            Reason::FromTheFuture => write!(f, "created in the future"),
            Reason::UnknownAuthor => write!(f, "unknown author"),
            Reason::NotAuthorized { needs } => write!(f, "author is not a listed {}", name(needs)),
            Reason::OutOfScopeArea { cell } => write!(f, "out of scope: area {cell}"),
            Reason::OutOfScopeCategory { category } => {
                write!(f, "out of scope: category {}", name(category))
            }
            Reason::EntryExpired => write!(f, "author's list entry expired"),
            Reason::Revoked { since: 0 } => write!(f, "revoked"),
            Reason::Revoked { since } => write!(f, "revoked since {since}"),
            Reason::NotAListOwner => write!(f, "not a root or delegate list owner"),
            Reason::NeedsSignatures { needed, has } => {
                write!(f, "needs {needed} signatures, has {has}")
            }
            Reason::Superseded { by } => write!(f, "updated by {}", by.short()),
            Reason::Cancelled { by } => write!(f, "cancelled by {}", by.short()),
            Reason::AllClear { by } => write!(f, "all clear ({})", by.short()),
            Reason::Retracted { by, why } => {
                write!(f, "retracted ({}) by {}", name(why), by.fingerprint())
            }
            Reason::LifecycleMessage => write!(f, "acts on other messages"),
            Reason::OutsideYourAreas => write!(f, "outside your areas"),
            Reason::NoAuthorityOverTarget => write!(f, "no authority over what it references"),
            Reason::AlertUnknown => write!(f, "answers an alert this node does not hold"),
            Reason::AlertNotLive => write!(f, "answers an alert that has ended or expired"),
            Reason::OutlivesAlert => write!(f, "would outlive the alert it answers"),
        }
    }
}

/// The wire name of a one-word enum value (`organizer`, `raid`, `false`), for people.
/// Roles, categories and retraction reasons are all single words, so their lower-cased
/// `Debug` form is their snake_case wire name.
fn name<T: fmt::Debug>(v: &T) -> String {
    format!("{v:?}").to_ascii_lowercase()
}

/// The outcome of a rule: empty reasons mean yes.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Why not; empty when the answer is yes.
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// A yes.
    pub fn ok() -> Self {
        Self::default()
    }
    /// A no, for one reason.
    pub fn no(reason: Reason) -> Self {
        Self {
            reasons: vec![reason],
        }
    }
    /// Whether the answer is yes.
    pub fn is_ok(&self) -> bool {
        self.reasons.is_empty()
    }
    /// Add a reason.
    pub fn push(&mut self, r: Reason) {
        if !self.reasons.contains(&r) {
            self.reasons.push(r);
        }
    }
}

impl From<Result<(), Reason>> for Verdict {
    fn from(r: Result<(), Reason>) -> Self {
        match r {
            Ok(()) => Verdict::ok(),
            Err(e) => Verdict::no(e),
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reasons.is_empty() {
            return f.write_str("ok");
        }
        for (i, r) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}
