//! A member's outgoing messages before they are signed: the checks that cost no passphrase
//! (the body is valid, its lifetime allowed, an alert's onset before its expiry), signing
//! for the home's community, and what a retraction of a message needs to count. Clients
//! (the CLI, the web app, the organizer desk) ask for the key only after these pass.

use std::path::Path;

use aviso_protocol::{Area, Body, Category, Community, CommunityId, Envelope, Kind, SecretKey};

use crate::config::{Config, ConfigError};
use crate::home::HomePaths;
use crate::input::{InputError, check_ttl};
use crate::standing::Standing;

/// Why a message cannot be signed as given.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingError {
    /// The configuration cannot be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The home has joined no community, so there is nothing to sign for.
    #[error(
        "this home has joined no community: run `aviso community create` (organizers) or `aviso community join INVITE`"
    )]
    NoCommunity,
    /// The body breaks a protocol rule.
    #[error("invalid {what}: {why}")]
    Invalid {
        /// What the message is, for people ("alert", "report" ...).
        what: String,
        /// The broken rule.
        why: String,
    },
    /// The lifetime is zero or longer than the kind allows.
    #[error(transparent)]
    Ttl(#[from] InputError),
    /// An alert's onset is after it expires.
    #[error("the onset is after the alert expires: give a later --expires, or an earlier --onset")]
    OnsetAfterExpiry,
    /// The expiry is outside what the kind allows.
    #[error("the expiry must be between 1 second and {max_days} days from now")]
    Expiry {
        /// The longest lifetime of the kind, in days.
        max_days: u64,
    },
    /// Signing failed.
    #[error("cannot sign: {0}")]
    Sign(String),
}

/// The community the home `dir` serves, from its config.
pub fn community(dir: &Path) -> Result<Community, OutgoingError> {
    let cfg = Config::load(&HomePaths::new(dir).config_path())?;
    cfg.community()?.ok_or(OutgoingError::NoCommunity)
}

/// Check `body` (a `what`, for messages) to be signed now, valid for `ttl` seconds.
pub fn check(body: &Body, what: &str, ttl: u64, now: u64) -> Result<(), OutgoingError> {
    body.validate().map_err(|e| OutgoingError::Invalid {
        what: what.to_owned(),
        why: e.to_string(),
    })?;
    check_ttl(ttl, body.kind().max_ttl(), &format!("a {what}"))?;
    if let Body::Alert(a) = body
        && let Some(onset) = a.onset
        && onset >= now.saturating_add(ttl)
    {
        return Err(OutgoingError::OnsetAfterExpiry);
    }
    Ok(())
}

/// Sign `body` with `secret` for `community`, created at `now` but no earlier than
/// `not_before` (a new version of a resource notice is created after the version it
/// replaces even when both are signed within one second), valid for `ttl` seconds.
pub fn sign(
    community: &Community,
    secret: &SecretKey,
    body: &Body,
    ttl: u64,
    now: u64,
    not_before: u64,
) -> Result<Envelope, OutgoingError> {
    sign_for(community.id, secret, body, ttl, now, not_before)
}

/// [`sign`] for the community of id `community` (as the running node reports it).
pub fn sign_for(
    community: CommunityId,
    secret: &SecretKey,
    body: &Body,
    ttl: u64,
    now: u64,
    not_before: u64,
) -> Result<Envelope, OutgoingError> {
    let t = now.max(not_before);
    let max = body.kind().max_ttl();
    if ttl == 0 || ttl > max {
        return Err(OutgoingError::Expiry {
            max_days: max / 86_400,
        });
    }
    Envelope::sign(secret, community, body, t, t + ttl)
        .map_err(|e| OutgoingError::Sign(e.to_string()))
}

/// What withdrawing a message with `body` needs from someone not its author: an
/// organizer grant for its areas and category (resource notices: `resources`), and how
/// many signatures its category needs.
pub fn retract_scope<'a>(
    body: &'a Body,
    standing: &Standing,
) -> (&'a [Area], Option<Category>, u8) {
    match body {
        Body::Alert(a) => (
            a.areas.as_slice(),
            Some(a.category),
            standing.threshold(a.category),
        ),
        Body::Report(r) => (r.areas.as_slice(), Some(r.category), 1),
        Body::Resource(r) => (r.areas.as_slice(), Some(Category::Resources), 1),
        _ => (&[][..], None, 1),
    }
}

/// "an alert", "a report" ...: a kind with its article, for messages.
pub fn a_kind(kind: Kind) -> String {
    let name = kind.as_str().replace('_', " ");
    match kind {
        Kind::Alert | Kind::Endorsement => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::fixtures;

    #[test]
    fn signing_checks_the_lifetime() {
        let root = fixtures::key(1);
        let c = fixtures::community(&root, 1, "x");
        let body = Body::Alert(fixtures::raid("Vans", "Two vans.", "Stay inside."));
        let max = body.kind().max_ttl();
        let env = sign(&c, &root, &body, 60, 1_000, 2_000).unwrap();
        assert_eq!(env.expires_at(), 2_060);
        assert!(matches!(
            sign(&c, &root, &body, 0, 1_000, 0),
            Err(OutgoingError::Expiry { .. })
        ));
        assert!(sign(&c, &root, &body, max + 1, 1_000, 0).is_err());
        assert!(check(&body, "alert", 60, 1_000).is_ok());
        assert!(check(&body, "alert", 0, 1_000).is_err());
    }

    #[test]
    fn kinds_in_words() {
        assert_eq!(a_kind(Kind::Alert), "an alert");
        assert_eq!(a_kind(Kind::TrustList), "a trust list");
    }
}
