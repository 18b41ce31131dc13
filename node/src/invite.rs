//! Invites and the home's community: which of the node's addresses an invite names, and
//! whether a new invite may replace the community a home serves (never a change of root
//! keys without the member's explicit consent).

use aviso_protocol::Community;
use aviso_protocol::community::fingerprints;
use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId};

/// Why a bootstrap address or an invite is refused.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    /// Not a multiaddr.
    #[error(
        "bootstrap address {text:?} is not a multiaddr ({why}); write it like /ip4/192.0.2.7/tcp/7446/p2p/12D3KooW..."
    )]
    NotMultiaddr {
        /// What was given.
        text: String,
        /// Why it does not parse.
        why: String,
    },
    /// A bootstrap address must name its peer.
    #[error(
        "bootstrap address {0:?} must end in /p2p/<peer id> (its operator sees it with `aviso status`)"
    )]
    NoPeerId(String),
    /// Another community of the same roots, without `--force`.
    #[error(
        "this home already serves the community {old}; this invite is another community {new} of the same roots ({roots}): a home serves one community: use another --home, or add --force to replace it"
    )]
    OtherCommunity {
        /// The community served, named.
        old: String,
        /// The invite's community, named.
        new: String,
        /// Their root fingerprints.
        roots: String,
    },
    /// Other root keys, without `--replace-roots`.
    #[error(
        "this invite changes the root keys you trust: this home follows {old} with roots {old_roots}; the invite names {new} with roots {new_roots}; an invite passed on by someone else can hide a takeover, so check the new fingerprints with an organizer in person or by a second channel, then run the command again with --replace-roots (or use another --home)"
    )]
    RootsChange {
        /// The community served, named.
        old: String,
        /// Its root fingerprints.
        old_roots: String,
        /// The invite's community, named.
        new: String,
        /// Its root fingerprints.
        new_roots: String,
    },
}

/// Parse a bootstrap address; it must name its peer.
pub fn parse_bootstrap(text: &str) -> Result<Multiaddr, InviteError> {
    let addr: Multiaddr =
        text.trim()
            .parse()
            .map_err(|e: libp2p::multiaddr::Error| InviteError::NotMultiaddr {
                text: text.to_owned(),
                why: e.to_string(),
            })?;
    if !matches!(addr.iter().last(), Some(Protocol::P2p(_))) {
        return Err(InviteError::NoPeerId(text.to_owned()));
    }
    Ok(addr)
}

/// What the first component of an address says about reachability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// 0.0.0.0 or ::, or a port of 0: not dialable as written.
    Unspecified,
    /// 127.0.0.0/8 or ::1: this machine only.
    Loopback,
    /// Anything else (LAN, public, DNS).
    Other,
}

fn reach(addr: &Multiaddr) -> Reach {
    let zero_port = addr
        .iter()
        .any(|p| matches!(p, Protocol::Tcp(0) | Protocol::Udp(0)));
    match addr.iter().next() {
        _ if zero_port => Reach::Unspecified,
        Some(Protocol::Ip4(ip)) if ip.is_unspecified() => Reach::Unspecified,
        Some(Protocol::Ip6(ip)) if ip.is_unspecified() => Reach::Unspecified,
        Some(Protocol::Ip4(ip)) if ip.is_loopback() => Reach::Loopback,
        Some(Protocol::Ip6(ip)) if ip.is_loopback() => Reach::Loopback,
        _ => Reach::Other,
    }
}

/// `addr` with `/p2p/<peer>` at the end (once).
pub fn with_peer(mut addr: Multiaddr, peer: PeerId) -> Multiaddr {
    if !matches!(addr.iter().last(), Some(Protocol::P2p(_))) {
        addr.push(Protocol::P2p(peer));
    }
    addr
}

/// The addresses of this home's node worth putting in an invite: concrete ones first;
/// loopback ones only when there is nothing else. Returns them, and whether they are
/// loopback only.
pub fn own_addrs(candidates: &[Multiaddr], peer: PeerId) -> (Vec<Multiaddr>, bool) {
    let concrete: Vec<&Multiaddr> = candidates
        .iter()
        .filter(|a| reach(a) != Reach::Unspecified)
        .collect();
    let outside: Vec<&Multiaddr> = concrete
        .iter()
        .copied()
        .filter(|a| reach(a) == Reach::Other)
        .collect();
    let loopback_only = outside.is_empty() && !concrete.is_empty();
    let chosen = if outside.is_empty() {
        concrete
    } else {
        outside
    };
    let mut out: Vec<Multiaddr> = Vec::new();
    for a in chosen {
        let a = with_peer(a.clone(), peer);
        if !out.contains(&a) {
            out.push(a);
        }
    }
    (out, loopback_only)
}

/// The node's addresses from its configured listen addresses (the node is not running):
/// 0.0.0.0 and :: become loopback; port 0 is skipped (unknown until the node starts).
/// Returns them, warnings about skipped ones, and whether any was mapped to loopback.
pub fn listen_candidates(listen: &[Multiaddr]) -> (Vec<Multiaddr>, Vec<String>, bool) {
    let mut warnings = Vec::new();
    let mut out = Vec::new();
    let mut mapped_any = false;
    for a in listen {
        if a.iter()
            .any(|p| matches!(p, Protocol::Tcp(0) | Protocol::Udp(0)))
        {
            warnings.push(format!(
                "listen address {a} has port 0 (chosen when the node starts), so it is not in the invite; \
                 create the community while the node runs, or give --bootstrap"
            ));
            continue;
        }
        let mapped: Multiaddr = a
            .iter()
            .map(|p| match p {
                Protocol::Ip4(ip) if ip.is_unspecified() => {
                    Protocol::Ip4(std::net::Ipv4Addr::LOCALHOST)
                }
                Protocol::Ip6(ip) if ip.is_unspecified() => {
                    Protocol::Ip6(std::net::Ipv6Addr::LOCALHOST)
                }
                other => other,
            })
            .collect();
        mapped_any |= &mapped != a;
        if !out.contains(&mapped) {
            out.push(mapped);
        }
    }
    (out, warnings, mapped_any)
}

/// Why the invite names the node at loopback only, and what to do. `configured`: the
/// node listens on loopback only; else it listens on 0.0.0.0 but is not running.
pub fn loopback_warning(peer: PeerId, configured: bool, listen: &[Multiaddr]) -> String {
    // The port the node listens on (or will), not the default: members must reach that.
    let port = listen
        .iter()
        .flat_map(|a| a.iter())
        .find_map(|p| match p {
            Protocol::Tcp(port) if port != 0 => Some(port.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| "<port>".into());
    let why = if configured {
        "this node listens on loopback addresses only"
    } else {
        "the node is not running, so its network addresses are unknown"
    };
    format!(
        "{why}: the invite names it at 127.0.0.1, which works on this machine only; for members \
         elsewhere add --bootstrap /ip4/<LAN or public address>/tcp/{port}/p2p/{peer}"
    )
}

/// What a join changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// This home served no community.
    Joined,
    /// The same community (same id, same roots): a new invite, e.g. other addresses.
    Updated,
    /// Another community with the same roots (`--force`).
    Replaced,
    /// Other roots (`--replace-roots`).
    RootsReplaced,
}

impl Change {
    /// The word for `--json`.
    pub fn word(self) -> &'static str {
        match self {
            Change::Joined => "joined",
            Change::Updated => "updated",
            Change::Replaced => "replaced",
            Change::RootsReplaced => "roots_replaced",
        }
    }
}

/// Decide whether `new` may replace `old`: never a change of roots without
/// `replace_roots`, never another community without `force` (or `replace_roots`).
pub fn check_replace(
    old: Option<&Community>,
    new: &Community,
    force: bool,
    replace_roots: bool,
) -> Result<Change, InviteError> {
    let Some(old) = old else {
        return Ok(Change::Joined);
    };
    if old.same_roots(new) {
        if old.id == new.id {
            return Ok(Change::Updated);
        }
        if force || replace_roots {
            return Ok(Change::Replaced);
        }
        return Err(InviteError::OtherCommunity {
            old: format!("{:?} (id {})", old.name, old.id.short()),
            new: format!("{:?} (id {})", new.name, new.id.short()),
            roots: fingerprints(&new.roots),
        });
    }
    if replace_roots {
        return Ok(Change::RootsReplaced);
    }
    Err(InviteError::RootsChange {
        old: format!("{:?} (id {})", old.name, old.id.short()),
        old_roots: fingerprints(&old.roots),
        new: format!("{:?} (id {})", new.name, new.id.short()),
        new_roots: fingerprints(&new.roots),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::community::SALT_LEN;

    fn peer() -> PeerId {
        libp2p::identity::Keypair::ed25519_from_bytes([5; 32])
            .unwrap()
            .public()
            .to_peer_id()
    }

    fn ma(s: &str) -> Multiaddr {
        s.parse().unwrap()
    }

    #[test]
    fn own_addresses_prefer_reachable_ones() {
        let p = peer();
        let (a, w) = own_addrs(
            &[
                ma("/ip4/0.0.0.0/tcp/7446"),
                ma("/ip4/127.0.0.1/tcp/7446"),
                ma("/ip4/192.168.1.5/tcp/7446"),
                ma("/ip4/192.168.1.5/udp/7446/quic-v1"),
            ],
            p,
        );
        assert!(!w);
        assert_eq!(
            a,
            [
                ma(&format!("/ip4/192.168.1.5/tcp/7446/p2p/{p}")),
                ma(&format!("/ip4/192.168.1.5/udp/7446/quic-v1/p2p/{p}")),
            ]
        );
        let (a, w) = own_addrs(&[ma("/ip4/127.0.0.1/tcp/7446")], p);
        assert_eq!(a, [ma(&format!("/ip4/127.0.0.1/tcp/7446/p2p/{p}"))]);
        assert!(w);
        let (a, _) = own_addrs(&[ma("/ip4/0.0.0.0/tcp/7446")], p);
        assert!(a.is_empty());
    }

    #[test]
    fn unspecified_listen_maps_to_loopback_with_a_warning() {
        let (c, w, mapped) = listen_candidates(&[
            ma("/ip4/0.0.0.0/tcp/7446"),
            ma("/ip4/10.0.0.2/udp/7446/quic-v1"),
            ma("/ip4/127.0.0.1/tcp/0"),
        ]);
        assert_eq!(
            c,
            [
                ma("/ip4/127.0.0.1/tcp/7446"),
                ma("/ip4/10.0.0.2/udp/7446/quic-v1")
            ]
        );
        assert_eq!(w.len(), 1, "port 0 is skipped with a warning");
        assert!(mapped);
        let (a, _) = own_addrs(&c, peer());
        assert_eq!(
            a.len(),
            1,
            "the loopback one is dropped when another exists"
        );
    }

    #[test]
    fn joins_never_change_roots_without_replace_roots() {
        use aviso_protocol::SecretKey;
        let (a, b) = (
            aviso_protocol::fixtures::key(1),
            aviso_protocol::fixtures::key(2),
        );
        let make = |k: &SecretKey, salt: u8, boot: &[&str]| {
            let boot = boot.iter().map(|s| s.to_string()).collect();
            Community::new(k, [salt; SALT_LEN], "Mission", vec![k.public()], boot).unwrap()
        };
        let real = make(&a, 1, &[]);
        let moved = make(&a, 1, &["/ip4/192.0.2.1/tcp/1/p2p/x"]);
        let other = make(&a, 2, &[]);
        let theirs = make(&b, 1, &[]);

        assert_eq!(
            check_replace(None, &theirs, false, false).unwrap(),
            Change::Joined
        );
        assert_eq!(
            check_replace(Some(&real), &moved, false, false).unwrap(),
            Change::Updated
        );
        assert!(check_replace(Some(&real), &other, false, false).is_err());
        assert_eq!(
            check_replace(Some(&real), &other, true, false).unwrap(),
            Change::Replaced
        );
        let e = check_replace(Some(&real), &theirs, true, false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(&a.public().fingerprint())
                && e.contains(&b.public().fingerprint())
                && e.contains("--replace-roots"),
            "{e}"
        );
        assert_eq!(
            check_replace(Some(&real), &theirs, false, true).unwrap(),
            Change::RootsReplaced
        );
    }

    #[test]
    fn the_loopback_hint_names_the_port_in_use() {
        let w = loopback_warning(peer(), true, &[ma("/ip4/127.0.0.1/tcp/9123")]);
        assert!(w.contains("/tcp/9123/p2p/"), "{w}");
        assert!(!w.contains("7446"), "{w}");
    }

    #[test]
    fn bootstrap_needs_a_peer_id() {
        let p = peer();
        assert!(parse_bootstrap(&format!("/ip4/1.2.3.4/tcp/7446/p2p/{p}")).is_ok());
        let e = parse_bootstrap("/ip4/1.2.3.4/tcp/7446").unwrap_err();
        assert!(e.to_string().contains("/p2p/"), "{e}");
        assert!(parse_bootstrap("1.2.3.4:7446").is_err());
    }
}
