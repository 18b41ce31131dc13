//! Responses: a member answering a live alert with "I'm responding" (a role and an
//! optional ETA), "I can't respond", or withdrawing the answer.
//!
//! Rules (docs/protocol.md, "Response"):
//! - **Relay**: the author is a member or organizer of the community's root lists; the
//!   alert it names is held and live (an alert or update, not expired, not ended by a
//!   cancel, all-clear or retraction the node holds); the response expires no later than
//!   that alert. A response to an alert the node does not hold yet is ignored, not held:
//!   catch-up fetches it again once the alert is here (as for a member's retraction).
//! - **Display**: per alert thread, the latest answer of each key (by `(created_at, id)`)
//!   counts while the thread is shown and the response has not expired; `Withdrawn`
//!   counts as no answer. Members see a count; organizers see counts per role with ETAs.
//!   No key or name of a responder is part of the tally.

use serde::{Deserialize, Serialize};

use crate::body::BodyError;
use crate::{Body, Envelope, Id, MsgType, Reason};

/// Longest ETA a responder may give, in minutes: beyond half a day an answer is not
/// "on the way" and a count of it would mislead the desk.
pub const MAX_ETA_MINUTES: u16 = 12 * 60;

/// Most update hops a node follows from the alert a response names to find what ended
/// its thread: update chains of a real incident are a handful long; the bound keeps one
/// response from costing an unbounded walk of the store.
pub const MAX_UPDATE_HOPS: usize = 32;

/// What a responder comes to do.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ResponderRole {
    /// Watches and documents what officers do, knows people's rights.
    LegalObserver,
    /// Drives people (families, the detained person's relatives) where they must go.
    Driver,
    /// Interprets between officers or lawyers and the people concerned.
    Interpreter,
    /// Stays with the people concerned (accompaniment, support).
    Accompaniment,
}

impl ResponderRole {
    /// Every role, in display order.
    pub const ALL: [ResponderRole; 4] = [
        ResponderRole::LegalObserver,
        ResponderRole::Driver,
        ResponderRole::Interpreter,
        ResponderRole::Accompaniment,
    ];

    /// A stable kebab-case name (`legal-observer`), as the CLI and the web forms take it.
    pub fn as_str(self) -> &'static str {
        match self {
            ResponderRole::LegalObserver => "legal-observer",
            ResponderRole::Driver => "driver",
            ResponderRole::Interpreter => "interpreter",
            ResponderRole::Accompaniment => "accompaniment",
        }
    }

    /// The role named `s` ([`ResponderRole::as_str`]; `_` accepted for `-`).
    pub fn parse(s: &str) -> Option<ResponderRole> {
        let s = s.trim().replace('_', "-").to_ascii_lowercase();
        ResponderRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The answer itself.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// On the way, in this role.
    Responding {
        /// The role.
        role: ResponderRole,
        /// Expected arrival, in minutes from `created_at` (at most [`MAX_ETA_MINUTES`]).
        eta_minutes: Option<u16>,
    },
    /// Cannot respond this time.
    CantRespond,
    /// Takes back this key's earlier answer to the alert.
    Withdrawn,
}

/// A member's answer to an alert.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    /// The alert answered (any version of its thread).
    pub alert: Id,
    /// The answer.
    pub answer: Answer,
}

impl Response {
    /// Check every limit and rule.
    pub fn validate(&self) -> Result<(), BodyError> {
        if let Answer::Responding {
            eta_minutes: Some(eta),
            ..
        } = self.answer
            && eta > MAX_ETA_MINUTES
        {
            return Err(BodyError::Invalid {
                field: "answer.eta_minutes",
                why: "longer than 12 hours",
            });
        }
        Ok(())
    }
}

/// The relay rule's part that looks at the alert a response names (`alert`, when this
/// node holds it), at `now`: the alert must be an alert or an update (not a cancel or
/// all-clear), not expired, and the response must not outlive it.
pub fn check_alert(response: &Envelope, alert: Option<&Envelope>, now: u64) -> Result<(), Reason> {
    let Some(alert) = alert else {
        return Err(Reason::AlertUnknown);
    };
    match alert.body() {
        Body::Alert(a) if matches!(a.msg_type, MsgType::Alert | MsgType::Update) => {}
        _ => return Err(Reason::AlertUnknown),
    }
    if alert.is_expired(now) {
        return Err(Reason::AlertNotLive);
    }
    if response.expires_at() > alert.expires_at() {
        return Err(Reason::OutlivesAlert);
    }
    Ok(())
}

/// Whether `ender` (an envelope the relay rule let in) ends the alert `alert`: a cancel
/// or all-clear that references it, or a retraction of it. The node calls this on what
/// references the alert and on what references the updates of its thread (at most
/// [`MAX_UPDATE_HOPS`] of them), then refuses responses to an ended alert with
/// [`Reason::AlertNotLive`].
pub fn ends(ender: &Envelope, alert: &Id) -> bool {
    match ender.body() {
        Body::Alert(a) => {
            matches!(a.msg_type, MsgType::Cancel | MsgType::AllClear)
                && a.references.contains(alert)
        }
        Body::Retraction(r) => r.target == *alert,
        _ => false,
    }
}

/// How many are responding in one role, with their ETAs.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleTally {
    /// The role.
    pub role: ResponderRole,
    /// Responders in it.
    pub count: u32,
    /// Their expected arrival times (unix seconds), soonest first; those who gave no ETA
    /// are counted but not listed.
    pub arrivals: Vec<u64>,
}

/// The answers to one alert thread, without any key or name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseTally {
    /// The alert thread (its first alert's id, as [`crate::feed::AlertItem::thread`]).
    pub thread: Id,
    /// People on the way: what members see.
    pub responding: u32,
    /// People who said they cannot respond.
    pub cant_respond: u32,
    /// Per role (only roles with someone in them), in [`ResponderRole::ALL`] order: what
    /// the organizers' desk shows.
    pub roles: Vec<RoleTally>,
}

impl ResponseTally {
    /// An empty tally of `thread`.
    pub fn new(thread: Id) -> ResponseTally {
        ResponseTally {
            thread,
            responding: 0,
            cant_respond: 0,
            roles: Vec::new(),
        }
    }

    /// Count one key's latest answer, made at `created_at`.
    pub(crate) fn add(&mut self, answer: Answer, created_at: u64) {
        match answer {
            Answer::Responding { role, eta_minutes } => {
                self.responding = self.responding.saturating_add(1);
                let at = match self.roles.iter().position(|t| t.role == role) {
                    Some(i) => i,
                    None => {
                        self.roles.push(RoleTally {
                            role,
                            count: 0,
                            arrivals: Vec::new(),
                        });
                        self.roles.sort_by_key(|t| t.role);
                        self.roles
                            .iter()
                            .position(|t| t.role == role)
                            .expect("the role was just pushed")
                    }
                };
                let t = &mut self.roles[at];
                t.count = t.count.saturating_add(1);
                if let Some(m) = eta_minutes {
                    t.arrivals
                        .push(created_at.saturating_add(u64::from(m) * 60));
                    t.arrivals.sort_unstable();
                }
            }
            Answer::CantRespond => self.cant_respond = self.cant_respond.saturating_add(1),
            Answer::Withdrawn => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_back_from_their_names() {
        for r in ResponderRole::ALL {
            assert_eq!(ResponderRole::parse(r.as_str()), Some(r));
        }
        assert_eq!(
            ResponderRole::parse("LEGAL_OBSERVER"),
            Some(ResponderRole::LegalObserver)
        );
        assert_eq!(ResponderRole::parse("pilot"), None);
    }

    #[test]
    fn an_eta_over_the_limit_is_refused() {
        let r = |eta| Response {
            alert: Id([1; 32]),
            answer: Answer::Responding {
                role: ResponderRole::Driver,
                eta_minutes: Some(eta),
            },
        };
        assert!(r(MAX_ETA_MINUTES).validate().is_ok());
        assert!(r(MAX_ETA_MINUTES + 1).validate().is_err());
    }

    #[test]
    fn a_tally_keeps_roles_in_order_and_arrivals_soonest_first() {
        let mut t = ResponseTally::new(Id([0; 32]));
        let resp = |role, eta| Answer::Responding {
            role,
            eta_minutes: eta,
        };
        t.add(resp(ResponderRole::Driver, Some(30)), 1_000);
        t.add(resp(ResponderRole::LegalObserver, None), 1_000);
        t.add(resp(ResponderRole::Driver, Some(5)), 1_000);
        t.add(Answer::CantRespond, 1_000);
        t.add(Answer::Withdrawn, 1_000);
        assert_eq!(t.responding, 3);
        assert_eq!(t.cant_respond, 1);
        let roles: Vec<_> = t.roles.iter().map(|r| (r.role, r.count)).collect();
        assert_eq!(
            roles,
            [
                (ResponderRole::LegalObserver, 1),
                (ResponderRole::Driver, 2)
            ]
        );
        assert_eq!(t.roles[1].arrivals, [1_300, 2_800]);
    }
}
