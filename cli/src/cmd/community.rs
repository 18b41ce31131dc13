//! `aviso community create | invite | join | show`: the community this home serves, kept as
//! an invite code in `config.toml`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::config::Config;
use aviso_node::home::HomePaths;
use aviso_protocol::community::{MAX_BOOTSTRAP, MAX_ROOTS};
use aviso_protocol::{Community, CommunityId, PublicKey};
use clap::Subcommand;
use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId};
use serde::Serialize;

use crate::Cli;
use crate::api_client::Api;
use crate::cmd::keys;

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CommunityCmd {
    /// Organizers: create a community with your key as its root, and print its invite.
    ///
    /// The invite names the community, its root key (yours) and addresses of nodes to
    /// connect to: the --bootstrap addresses, plus this home's node. Give members an
    /// address they can reach (a public or LAN address), not only 127.0.0.1.
    Create {
        /// The community's name, as members will see it.
        #[arg(long)]
        name: String,
        /// A node to connect to first (multiaddr ending in /p2p/<peer id>), repeatable.
        #[arg(long, value_name = "MULTIADDR")]
        bootstrap: Vec<String>,
        /// Replace the community this home already serves.
        #[arg(long)]
        force: bool,
    },
    /// Print the invite code of this home's community, to give to members.
    Invite {
        /// Also draw it as a QR code.
        #[arg(long)]
        qr: bool,
    },
    /// Join a community with the invite code an organizer gave you.
    ///
    /// You then follow the community's root lists (see `aviso trust`).
    Join {
        /// The invite code (AVISO1:...).
        invite: String,
        /// Replace the community this home already serves.
        #[arg(long)]
        force: bool,
    },
    /// Show this home's community: name, id, root keys, bootstrap addresses.
    Show,
}

/// The config file as written (without the `AVISO_*` environment applied, so saving it
/// does not write the environment into the file), and its path.
pub(crate) fn load_config_file(home: &Path) -> Result<(PathBuf, Config)> {
    if !home.is_dir() {
        bail!(
            "there is no aviso home at {}: run `aviso init` first (or pass the right --home)",
            home.display()
        );
    }
    let path = HomePaths::new(home).config_path();
    let cfg = Config::load_with(&path, |_| None)?;
    Ok((path, cfg))
}

/// Save the config file.
pub(crate) fn save_config(path: &Path, cfg: &Config) -> Result<()> {
    cfg.save(path)?;
    Ok(())
}

/// The running node's `/v1/status`, if a node answers on this home.
async fn node_status(home: &Path) -> Option<serde_json::Value> {
    let api = Api::connect(home).ok()?;
    api.get("/v1/status").await.ok()
}

/// Parse a bootstrap address; it must name its peer.
fn parse_bootstrap(text: &str) -> Result<Multiaddr> {
    let addr: Multiaddr = text.trim().parse().map_err(|e| {
        anyhow!(
            "bootstrap address {text:?} is not a multiaddr ({e}); write it like /ip4/192.0.2.7/tcp/7446/p2p/12D3KooW..."
        )
    })?;
    if !matches!(addr.iter().last(), Some(Protocol::P2p(_))) {
        bail!(
            "bootstrap address {text:?} must end in /p2p/<peer id> (its operator sees it with `aviso status`)"
        );
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
fn with_peer(mut addr: Multiaddr, peer: PeerId) -> Multiaddr {
    if !matches!(addr.iter().last(), Some(Protocol::P2p(_))) {
        addr.push(Protocol::P2p(peer));
    }
    addr
}

/// The addresses of this home's node worth putting in an invite: concrete ones first;
/// loopback ones only when there is nothing else. Returns them, and whether they are
/// loopback only.
fn own_addrs(candidates: &[Multiaddr], peer: PeerId) -> (Vec<Multiaddr>, bool) {
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
fn listen_candidates(listen: &[Multiaddr]) -> (Vec<Multiaddr>, Vec<String>, bool) {
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
fn loopback_warning(peer: PeerId, configured: bool) -> String {
    let why = if configured {
        "this node listens on loopback addresses only"
    } else {
        "the node is not running, so its network addresses are unknown"
    };
    format!(
        "{why}: the invite names it at 127.0.0.1, which works on this machine only; for members \
         elsewhere add --bootstrap /ip4/<LAN or public address>/tcp/7446/p2p/{peer}"
    )
}

/// The node's peer id from `HOME/node.key`.
fn node_peer_id(home: &Path) -> Result<PeerId> {
    let path = HomePaths::new(home).node_key_path();
    let bytes = match std::fs::read(&path) {
        Ok(b) => zeroize::Zeroizing::new(b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("no node key in {}: run `aviso init`", home.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let key = libp2p::identity::Keypair::from_protobuf_encoding(&bytes).map_err(|e| {
        anyhow!(
            "the node key {} is unreadable ({e}); restore it from a backup",
            path.display()
        )
    })?;
    Ok(key.public().to_peer_id())
}

/// This home's node addresses for an invite, warnings, and whether the node runs.
async fn node_addrs(home: &Path) -> Result<(Vec<Multiaddr>, Vec<String>, bool)> {
    if let Some(status) = node_status(home).await {
        let peer: Option<PeerId> = status["peer_id"].as_str().and_then(|p| p.parse().ok());
        if let Some(peer) = peer {
            let listen: Vec<Multiaddr> = status["listen_addrs"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()?.parse().ok()).collect())
                .unwrap_or_default();
            let (addrs, loopback_only) = own_addrs(&listen, peer);
            let warnings = if loopback_only {
                vec![loopback_warning(peer, true)]
            } else {
                vec![]
            };
            return Ok((addrs, warnings, true));
        }
    }
    let peer = node_peer_id(home)?;
    // With the environment: the node would listen where AVISO_LISTEN says.
    let cfg = Config::load(&HomePaths::new(home).config_path())?;
    let listen = cfg.listen_addrs()?;
    let (candidates, mut warnings, mapped) = listen_candidates(&listen);
    let (addrs, loopback_only) = own_addrs(&candidates, peer);
    if loopback_only {
        warnings.push(loopback_warning(peer, !mapped));
    }
    Ok((addrs, warnings, false))
}

#[derive(Serialize)]
struct RootReply {
    key: PublicKey,
    fingerprint: String,
}

#[derive(Serialize)]
struct CommunityReply {
    id: CommunityId,
    name: String,
    roots: Vec<RootReply>,
    bootstrap: Vec<String>,
    invite: String,
}

fn reply(c: &Community) -> CommunityReply {
    CommunityReply {
        id: c.id,
        name: c.name.clone(),
        roots: c
            .roots
            .iter()
            .map(|k| RootReply {
                key: *k,
                fingerprint: k.fingerprint(),
            })
            .collect(),
        bootstrap: c.bootstrap.clone(),
        invite: c.to_invite(),
    }
}

fn print_community(c: &Community) {
    let s = crate::output::Style::stdout();
    println!("{}", s.bold(&c.name));
    println!("  id        {}", c.id);
    for (i, r) in c.roots.iter().enumerate() {
        let head = if i == 0 { "  roots    " } else { "           " };
        println!("{head} {}  {}", r.fingerprint(), s.dim(&r.to_hex()));
    }
    if c.bootstrap.is_empty() {
        println!("  bootstrap (none: nodes find each other on the local network only)");
    }
    for (i, b) in c.bootstrap.iter().enumerate() {
        let head = if i == 0 { "  bootstrap" } else { "           " };
        println!("{head} {b}");
    }
}

/// Refuse to replace a different community without `--force`.
fn check_replace(cfg: &Config, new: &Community, force: bool) -> Result<()> {
    let Ok(Some(old)) = cfg.community() else {
        return Ok(());
    };
    if old.id != new.id && !force {
        bail!(
            "this home already serves the community {:?}; a home serves one community: use another --home, or add --force to replace it",
            old.name
        );
    }
    Ok(())
}

fn restart_note(running: bool) {
    if running {
        eprintln!(
            "a node is running on this home: restart it (stop `aviso node` and start it again) to serve this community"
        );
    }
}

/// Run a subcommand.
pub async fn run(cli: &Cli, c: &CommunityCmd) -> Result<()> {
    let home = cli.home_dir();
    match c {
        CommunityCmd::Create {
            name,
            bootstrap,
            force,
        } => create(cli, &home, name, bootstrap, *force).await,
        CommunityCmd::Invite { qr } => {
            let c = crate::cmd::publish::community(&home)?;
            let code = c.to_invite();
            if cli.json {
                return crate::output::json(&serde_json::json!({ "invite": code }));
            }
            println!("{code}");
            if *qr {
                println!();
                keys::print_qr(&code)?;
            }
            Ok(())
        }
        CommunityCmd::Join { invite, force } => {
            let c = Community::from_invite(invite).map_err(|e| anyhow!("cannot join: {e}"))?;
            let (path, mut cfg) = load_config_file(&home)?;
            check_replace(&cfg, &c, *force)?;
            cfg.community = Some(c.to_invite());
            // Follow the community's roots (an empty list means them).
            cfg.feed.follow.clear();
            save_config(&path, &cfg)?;
            let running = node_status(&home).await.is_some();
            if cli.json {
                return crate::output::json(&reply(&c));
            }
            println!("Joined:");
            print_community(&c);
            println!();
            println!(
                "You follow the trust lists of its roots. Check the fingerprints with the organizer who gave you the invite."
            );
            if !running {
                println!("Start your node with `aviso node`.");
            }
            restart_note(running);
            Ok(())
        }
        CommunityCmd::Show => {
            let c = crate::cmd::publish::community(&home)?;
            if cli.json {
                return crate::output::json(&reply(&c));
            }
            print_community(&c);
            Ok(())
        }
    }
}

async fn create(
    cli: &Cli,
    home: &Path,
    name: &str,
    bootstrap: &[String],
    force: bool,
) -> Result<()> {
    let root = keys::load_public(home)?;
    let (path, mut cfg) = load_config_file(home)?;
    if let Ok(Some(old)) = cfg.community()
        && !force
    {
        bail!(
            "this home already serves the community {:?}; a home serves one community: use another --home, or add --force to replace it",
            old.name
        );
    }
    let mut addrs: Vec<String> = Vec::new();
    for b in bootstrap {
        let a = parse_bootstrap(b)?.to_string();
        if !addrs.contains(&a) {
            addrs.push(a);
        }
    }
    if addrs.len() > MAX_BOOTSTRAP {
        bail!("an invite holds at most {MAX_BOOTSTRAP} bootstrap addresses; give fewer");
    }
    let (own, warnings, running) = node_addrs(home).await?;
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    for a in own {
        let a = a.to_string();
        if addrs.len() >= MAX_BOOTSTRAP {
            eprintln!(
                "warning: at most {MAX_BOOTSTRAP} bootstrap addresses fit in an invite; {a} is left out"
            );
            continue;
        }
        if !addrs.contains(&a) {
            addrs.push(a);
        }
    }
    let mut id = [0u8; 32];
    getrandom::fill(&mut id).map_err(|e| anyhow!("cannot get random bytes: {e}"))?;
    let c = Community {
        id: CommunityId(id),
        name: name.trim().to_string(),
        roots: vec![root],
        bootstrap: addrs,
    };
    debug_assert!(c.roots.len() <= MAX_ROOTS);
    c.validate()
        .map_err(|e| anyhow!("cannot create this community: {e}"))?;
    let code = c.to_invite();
    cfg.community = Some(code.clone());
    save_config(&path, &cfg)?;

    if cli.json {
        return crate::output::json(&reply(&c));
    }
    println!("Created:");
    print_community(&c);
    if c.bootstrap.is_empty() {
        eprintln!(
            "warning: the invite has no bootstrap address: members' nodes find yours only on the same local network; \
             run `aviso community create` again with --bootstrap, or once your node runs"
        );
    }
    println!();
    println!("Invite (give it to members; `aviso community invite --qr` shows a QR code):");
    println!("{code}");
    println!();
    println!(
        "Next: `aviso list add KEY --role organizer|member --label NAME` for each person, then `aviso list publish`."
    );
    restart_note(running);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn bootstrap_needs_a_peer_id() {
        let p = peer();
        assert!(parse_bootstrap(&format!("/ip4/1.2.3.4/tcp/7446/p2p/{p}")).is_ok());
        let e = parse_bootstrap("/ip4/1.2.3.4/tcp/7446").unwrap_err();
        assert!(e.to_string().contains("/p2p/"), "{e}");
        assert!(parse_bootstrap("1.2.3.4:7446").is_err());
    }
}
