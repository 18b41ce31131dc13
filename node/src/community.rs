//! The community this home serves, kept as an invite code in `config.toml`: creating one,
//! signing a new invite of it, joining one, and which of this home's addresses an invite
//! names. Every client (the CLI, the web app) sets a home up with the same rules; the
//! client asks for the passphrase and says what happened. The address rules themselves are
//! [`crate::invite`].

use std::path::Path;

use aviso_protocol::community::{MAX_BOOTSTRAP, SALT_LEN, fingerprints};
use aviso_protocol::{Community, CommunityId, PublicKey, SecretKey};
use libp2p::{Multiaddr, PeerId};
use serde::Serialize;

use crate::api::wire::StatusReply;
use crate::config::{Config, ConfigError};
use crate::home::{HomeError, HomePaths};
use crate::invite::{
    Change, InviteError, check_replace, listen_candidates, loopback_warning, own_addrs,
    parse_bootstrap, with_peer,
};

/// Why a community cannot be created, joined or re-signed. Each says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommunityError {
    /// The configuration cannot be read or written.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The node's key cannot be read.
    #[error(transparent)]
    Home(#[from] HomeError),
    /// A bootstrap address or the invite's change of community is refused.
    #[error(transparent)]
    Invite(#[from] InviteError),
    /// The home already serves a community, without `force`.
    #[error(
        "this home already serves the community {0:?}; a home serves one community: use another --home, or add --force to replace it"
    )]
    Exists(String),
    /// No community to sign an invite of.
    #[error("this home has joined no community: run `aviso community create` first")]
    NoCommunity,
    /// Only a root signs the invite.
    #[error(
        "only a root of {name:?} can sign its invite, and your key {key} is not one of its roots ({roots}); pass on the invite as it is with `aviso community invite`"
    )]
    NotRoot {
        /// The community's name.
        name: String,
        /// The key's fingerprint.
        key: String,
        /// The roots' fingerprints.
        roots: String,
    },
    /// More bootstrap addresses than an invite holds.
    #[error("an invite holds at most {MAX_BOOTSTRAP} bootstrap addresses; give fewer")]
    TooManyBootstrap,
    /// No randomness for the salt.
    #[error("cannot get random bytes: {0}")]
    Random(String),
    /// The invite cannot be made (a name too long, ...).
    #[error("cannot create this community: {0}")]
    Create(aviso_protocol::community::InviteError),
    /// The new invite cannot be signed.
    #[error("cannot sign the invite: {0}")]
    Sign(aviso_protocol::community::InviteError),
    /// The invite does not decode or verify.
    #[error("cannot join: {0}")]
    BadInvite(aviso_protocol::community::InviteError),
    /// The invite does not decode or verify, and the home keeps its community.
    #[error("cannot join: {error} (this home still follows {name:?}, roots {roots})")]
    BadInviteKept {
        /// Why.
        error: aviso_protocol::community::InviteError,
        /// The community still served.
        name: String,
        /// Its roots' fingerprints.
        roots: String,
    },
}

/// This home's node addresses for an invite and warnings about them, from the running
/// node's status: addresses that peers confirmed (AutoNAT) and relay reservations first,
/// since they work from outside this network. `None` when the status names no peer id.
pub fn addrs_from_status(status: &StatusReply) -> Option<(Vec<Multiaddr>, Vec<String>)> {
    let peer = status.peer_id.parse::<PeerId>().ok()?;
    let listen: Vec<Multiaddr> = status
        .listen_addrs
        .iter()
        .filter_map(|a| a.parse().ok())
        .collect();
    let (mut addrs, loopback_only) = own_addrs(&listen, peer);
    let working: Vec<Multiaddr> = status
        .reachability
        .public_addrs
        .iter()
        .chain(&status.reachability.reservations)
        .filter_map(|a| a.parse().ok())
        .map(|a| with_peer(a, peer))
        .collect();
    let reachable_from_outside = !working.is_empty();
    if reachable_from_outside {
        addrs.retain(|a| !working.contains(a));
        addrs.splice(0..0, working);
    }
    let warnings = if loopback_only && !reachable_from_outside {
        vec![loopback_warning(peer, true, &listen)]
    } else {
        vec![]
    };
    Some((addrs, warnings))
}

/// This home's node addresses for an invite and warnings about them, when no node runs:
/// where the node would listen with this configuration and environment.
pub fn addrs_from_config(home: &Path) -> Result<(Vec<Multiaddr>, Vec<String>), CommunityError> {
    let paths = HomePaths::new(home);
    let peer = paths.node_peer_id()?;
    let cfg = Config::load(&paths.config_path())?;
    let listen = cfg.listen_addrs()?;
    let (candidates, mut warnings, mapped) = listen_candidates(&listen);
    let (addrs, loopback_only) = own_addrs(&candidates, peer);
    if loopback_only {
        warnings.push(loopback_warning(peer, !mapped, &listen));
    }
    Ok((addrs, warnings))
}

/// The bootstrap addresses given for a new invite: checked, repeats dropped, at most
/// [`MAX_BOOTSTRAP`].
pub fn bootstrap_addrs(bootstrap: &[String]) -> Result<Vec<String>, CommunityError> {
    let mut addrs: Vec<String> = Vec::new();
    for b in bootstrap {
        let a = parse_bootstrap(b)?.to_string();
        if !addrs.contains(&a) {
            addrs.push(a);
        }
    }
    if addrs.len() > MAX_BOOTSTRAP {
        return Err(CommunityError::TooManyBootstrap);
    }
    Ok(addrs)
}

/// Add this home's own addresses after the given ones, as many as fit; returns a warning
/// for each left out.
pub fn add_own_addrs(addrs: &mut Vec<String>, own: Vec<Multiaddr>) -> Vec<String> {
    let mut warnings = Vec::new();
    for a in own {
        let a = a.to_string();
        if addrs.len() >= MAX_BOOTSTRAP {
            warnings.push(format!(
                "at most {MAX_BOOTSTRAP} bootstrap addresses fit in an invite; {a} is left out"
            ));
            continue;
        }
        if !addrs.contains(&a) {
            addrs.push(a);
        }
    }
    warnings
}

/// Check that a community may be created in a home configured as `cfg`.
pub fn check_create(cfg: &Config, force: bool) -> Result<(), CommunityError> {
    match cfg.community() {
        Ok(Some(old)) if !force => Err(CommunityError::Exists(old.name)),
        _ => Ok(()),
    }
}

/// A new community with `root` as its only root, its invite signed by it.
pub fn create(
    root: &SecretKey,
    name: &str,
    addrs: Vec<String>,
) -> Result<Community, CommunityError> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| CommunityError::Random(e.to_string()))?;
    Community::new(root, salt, name.trim(), vec![root.public()], addrs)
        .map_err(CommunityError::Create)
}

/// The community of `cfg`, if `me` is one of its roots and may sign a new invite of it.
pub fn check_reissue(cfg: &Config, me: &PublicKey) -> Result<Community, CommunityError> {
    let old = cfg.community()?.ok_or(CommunityError::NoCommunity)?;
    if !old.roots.contains(me) {
        return Err(CommunityError::NotRoot {
            name: old.name.clone(),
            key: me.fingerprint(),
            roots: fingerprints(&old.roots),
        });
    }
    Ok(old)
}

/// A new invite of `old` (same salt, so same id; same roots; same name) with `addrs`.
pub fn reissue(
    root: &SecretKey,
    old: &Community,
    addrs: Vec<String>,
) -> Result<Community, CommunityError> {
    let c = Community::new(root, old.salt, old.name.clone(), old.roots.clone(), addrs)
        .map_err(CommunityError::Sign)?;
    debug_assert_eq!(c.id, old.id, "same salt and roots give the same id");
    Ok(c)
}

/// What joining did to a home's configuration.
#[derive(Debug)]
pub struct Joined {
    /// The community joined.
    pub community: Community,
    /// What changed.
    pub change: Change,
    /// The community served before, if any (and readable: an unreadable one is replaced).
    pub previous: Option<Community>,
}

/// Join the community of `invite` in `cfg` (the caller saves it): never a change of roots
/// without `replace_roots`, never another community without `force`. A new invite of the
/// same community keeps the lists the member chose to follow; otherwise the home follows
/// the new community's roots.
pub fn join(
    cfg: &mut Config,
    invite: &str,
    force: bool,
    replace_roots: bool,
) -> Result<Joined, CommunityError> {
    let old = cfg.community().ok().flatten();
    let c = Community::from_invite(invite).map_err(|error| match &old {
        Some(old) => CommunityError::BadInviteKept {
            error,
            name: old.name.clone(),
            roots: fingerprints(&old.roots),
        },
        None => CommunityError::BadInvite(error),
    })?;
    let change = check_replace(old.as_ref(), &c, force, replace_roots)?;
    cfg.community = Some(c.to_invite());
    if change != Change::Updated {
        // Follow the new community's roots (an empty list means them).
        cfg.feed.follow.clear();
    }
    Ok(Joined {
        community: c,
        change,
        previous: old,
    })
}

/// A root key, for programs.
#[derive(Debug, Serialize)]
pub struct RootReply {
    /// The key.
    pub key: PublicKey,
    /// Its fingerprint, as people compare it.
    pub fingerprint: String,
}

impl RootReply {
    /// The reply of `k`.
    pub fn of(k: &PublicKey) -> RootReply {
        RootReply {
            key: *k,
            fingerprint: k.fingerprint(),
        }
    }
}

/// A community, for programs.
#[derive(Debug, Serialize)]
pub struct CommunityReply {
    /// Its id.
    pub id: CommunityId,
    /// Its name.
    pub name: String,
    /// Its root keys.
    pub roots: Vec<RootReply>,
    /// The root that signed the invite.
    pub signed_by: RootReply,
    /// Its bootstrap addresses.
    pub bootstrap: Vec<String>,
    /// Its invite code.
    pub invite: String,
}

impl CommunityReply {
    /// The reply of `c`.
    pub fn of(c: &Community) -> CommunityReply {
        CommunityReply {
            id: c.id,
            name: c.name.clone(),
            roots: c.roots.iter().map(RootReply::of).collect(),
            signed_by: RootReply::of(&c.signer),
            bootstrap: c.bootstrap.clone(),
            invite: c.to_invite(),
        }
    }
}

/// What a join did, for programs.
#[derive(Debug, Serialize)]
pub struct JoinReply {
    /// The community joined.
    #[serde(flatten)]
    pub community: CommunityReply,
    /// `joined`, `updated` (same community, new invite), `replaced` (another community,
    /// same roots) or `roots_replaced`.
    pub change: &'static str,
    /// The community served before, if any.
    pub previous: Option<PreviousReply>,
}

/// The community a home served before a join, for programs.
#[derive(Debug, Serialize)]
pub struct PreviousReply {
    /// Its id.
    pub id: CommunityId,
    /// Its name.
    pub name: String,
    /// Its root keys.
    pub roots: Vec<RootReply>,
}

impl JoinReply {
    /// The reply of `j`.
    pub fn of(j: &Joined) -> JoinReply {
        JoinReply {
            community: CommunityReply::of(&j.community),
            change: j.change.word(),
            previous: j.previous.as_ref().map(|o| PreviousReply {
                id: o.id,
                name: o.name.clone(),
                roots: o.roots.iter().map(RootReply::of).collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::fixtures;

    #[test]
    fn join_keeps_what_is_followed_only_for_a_new_invite_of_the_same_community() {
        let root = fixtures::key(3);
        let first = create(&root, "Mission", vec![]).unwrap();
        let mut cfg = Config::default();
        let j = join(&mut cfg, &first.to_invite(), false, false).unwrap();
        assert_eq!(j.change, Change::Joined);
        cfg.feed.follow = vec![fixtures::key(5).public().to_hex()];
        // Same community, new addresses: what the member follows stays.
        let again = reissue(&root, &first, vec![]).unwrap();
        let j = join(&mut cfg, &again.to_invite(), false, false).unwrap();
        assert_eq!(j.change, Change::Updated);
        assert_eq!(cfg.feed.follow.len(), 1);
        // Another community of the same root needs --force, then follows its roots.
        let other = create(&root, "Other", vec![]).unwrap();
        assert!(matches!(
            join(&mut cfg, &other.to_invite(), false, false),
            Err(CommunityError::Invite(InviteError::OtherCommunity { .. }))
        ));
        let j = join(&mut cfg, &other.to_invite(), true, false).unwrap();
        assert_eq!(j.change, Change::Replaced);
        assert!(cfg.feed.follow.is_empty());
        // A bad invite names the community still served.
        let e = join(&mut cfg, "AVISO2:nonsense", false, false).unwrap_err();
        assert!(
            e.to_string().contains("this home still follows \"Other\""),
            "{e}"
        );
    }

    #[test]
    fn only_a_root_reissues_and_invites_hold_a_bounded_number_of_addresses() {
        let root = fixtures::key(3);
        let c = create(&root, "Mission", vec![]).unwrap();
        let cfg = Config {
            community: Some(c.to_invite()),
            ..Config::default()
        };
        assert!(check_reissue(&cfg, &root.public()).is_ok());
        let e = check_reissue(&cfg, &fixtures::key(4).public()).unwrap_err();
        assert!(e.to_string().contains("only a root of \"Mission\""), "{e}");
        assert!(matches!(
            check_create(&cfg, false),
            Err(CommunityError::Exists(_))
        ));
        assert!(check_create(&cfg, true).is_ok());
        let mut addrs = vec![];
        let own: Vec<Multiaddr> = (0..MAX_BOOTSTRAP + 1)
            .map(|i| format!("/ip4/192.0.2.{i}/tcp/7446").parse().unwrap())
            .collect();
        let warnings = add_own_addrs(&mut addrs, own);
        assert_eq!(addrs.len(), MAX_BOOTSTRAP);
        assert_eq!(warnings.len(), 1);
    }
}
