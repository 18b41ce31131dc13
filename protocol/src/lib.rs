//! The Aviso wire protocol: pure code, no I/O, no async, no networking. Callers pass the
//! current time.
//!
//! - [`envelope`]: the signed wire object, bounded decoding, ids, time checks.
//! - [`keys`]: ed25519 member keys (`verify_strict` only), fingerprints.
//! - [`body`] and one module per body: [`alert`], [`report`], [`resource`],
//!   [`trust_list`], [`lifecycle`] (endorsements, retractions), [`response`] (members
//!   answering an alert).
//! - [`hours`]: structured opening hours of resources, in a block older nodes accept.
//! - [`place`]: named places (names for area cells), carried as resource notices.
//! - [`area`]: geohash area cells; [`lang`]: BCP 47 tags and language choice.
//! - [`trust`]: the trust view of a set of list owners, and the **relay rule**.
//! - [`feed`]: the **display rule**, computing what a member sees, with reasons.
//! - [`verdict`]: verdicts and their reasons.
//! - [`rate`]: token-bucket rate limiting as a state machine.
//! - [`community`]: communities (ids derived from their root keys) and root-signed invite codes.
//! - [`limits`]: every size and time limit.
//! - [`riblt`]: a rateless invertible Bloom lookup table, for catch-up (`/aviso/sync/2`).
//! - `openapi` (feature `openapi`): OpenAPI schemas of the protocol's types, for the
//!   node's API document.
//! - `fixtures` (feature `test-utils`): sample keys, communities, trust lists and
//!   messages for tests, benchmarks, the simulator and the demo.
#![deny(missing_docs)]

pub mod alert;
pub mod area;
pub mod body;
pub mod community;
pub mod envelope;
pub mod feed;
#[cfg(feature = "test-utils")]
pub mod fixtures;
pub mod hours;
mod id;
pub mod keys;
pub mod lang;
pub mod lifecycle;
pub mod limits;
#[cfg(feature = "openapi")]
mod openapi;
pub mod place;
pub mod rate;
pub mod report;
pub mod resource;
pub mod response;
pub mod riblt;
pub mod trust;
pub mod trust_list;
pub mod verdict;

pub use alert::{Alert, Category, Certainty, Info, MsgType, Severity, Status, Urgency};
pub use area::Area;
pub use body::{Body, BodyError};
pub use community::{Community, InviteError};
pub use envelope::{DecodeError, Envelope, Kind, TimeError};
pub use feed::{Feed, FeedSettings, compute_feed, compute_feed_seen};
pub use id::{CommunityId, Id};
pub use keys::{PublicKey, SecretKey, SignatureError};
pub use lifecycle::{Endorsement, RetractReason, Retraction};
pub use place::{NamedPlace, Place, PlaceName};
pub use report::{Report, ReportText};
pub use resource::{Resource, ResourceInfo, ResourceKind};
pub use response::{Answer, ResponderRole, Response, ResponseTally};
pub use trust::{
    TrustView, authorize_grants, judged_created_at, relay_verdict, relay_verdict_seen,
    relay_verdict_with_target,
};
pub use trust_list::{Delegate, Revocation, Role, Threshold, TrustEntry, TrustList};
pub use verdict::{Reason, Verdict};

/// Why text could not be parsed into a protocol value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Not the right number of hex characters.
    #[error("expected {expected} hex characters")]
    Hex {
        /// How many were expected.
        expected: usize,
    },
}
