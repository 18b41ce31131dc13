//! `aviso community create | invite | join | show`: the community this home serves, kept as
//! an invite code in `config.toml`.
//!
//! A community's id is derived from its root keys and its invite is signed by a root (see
//! `aviso_protocol::community`), so `join` can tell a new invite of the same community
//! (same id, same roots: accepted as is) from one that would change the roots this home
//! trusts (refused unless the member confirms with `--replace-roots` after seeing both sets
//! of fingerprints).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::config::Config;
use aviso_node::home::HomePaths;
use aviso_protocol::community::{MAX_BOOTSTRAP, SALT_LEN};
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
    /// address they can reach (a public or LAN address), not only 127.0.0.1. The
    /// community's id is derived from its root key, and your key signs the invite (it asks
    /// for your passphrase), so nobody can change its roots, name or addresses.
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
    ///
    /// Members pass on the invite they joined with, unchanged (a root's signature covers
    /// it). A root can sign a new one with other addresses with --update.
    Invite {
        /// Also draw it as a QR code.
        #[arg(long)]
        qr: bool,
        /// Roots: sign a new invite for this community (same id, same roots) with the
        /// --bootstrap addresses and this home's node; members take it with `aviso
        /// community join`.
        #[arg(long)]
        update: bool,
        /// With --update: a node to connect to first (multiaddr ending in /p2p/<peer id>),
        /// repeatable.
        #[arg(long, value_name = "MULTIADDR")]
        bootstrap: Vec<String>,
    },
    /// Join a community with the invite code an organizer gave you.
    ///
    /// You then follow the community's root lists (see `aviso trust`). Check the root
    /// fingerprints it prints with an organizer, in person or by a second channel.
    ///
    /// A new invite of the community this home already serves (same id, same roots, e.g.
    /// new bootstrap addresses) is simply taken. An invite whose root keys differ from the
    /// ones this home follows is refused, showing the old and the new fingerprints: a
    /// member should never start trusting other organizers without noticing.
    Join {
        /// The invite code (AVISO2:...).
        invite: String,
        /// Replace the community this home already serves by another one with the same
        /// root keys. A change of root keys needs --replace-roots.
        #[arg(long)]
        force: bool,
        /// Replace the community this home serves by one with other root keys. Only after
        /// checking the new root fingerprints with an organizer: from then on, alerts and
        /// trust lists of the old roots are no longer shown.
        #[arg(long)]
        replace_roots: bool,
    },
    /// Show this home's community: name, id, root key fingerprints (full keys with
    /// --json), bootstrap addresses.
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
fn loopback_warning(peer: PeerId, configured: bool, listen: &[Multiaddr]) -> String {
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
            let (mut addrs, loopback_only) = own_addrs(&listen, peer);
            // Addresses that peers confirmed they can use (AutoNAT) and relay
            // reservations come first: they work from outside this network.
            let reachability = &status["reachability"];
            let working: Vec<Multiaddr> = ["public_addrs", "reservations"]
                .iter()
                .flat_map(|k| reachability[*k].as_array().cloned().unwrap_or_default())
                .filter_map(|v| v.as_str()?.parse().ok())
                .map(|a| with_peer(a, peer))
                .collect();
            if !working.is_empty() {
                addrs.retain(|a| !working.contains(a));
                addrs.splice(0..0, working);
            }
            let warnings = if loopback_only && addrs.iter().all(|a| reach(a) != Reach::Other) {
                vec![loopback_warning(peer, true, &listen)]
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
        warnings.push(loopback_warning(peer, !mapped, &listen));
    }
    Ok((addrs, warnings, false))
}

#[derive(Serialize)]
struct RootReply {
    key: PublicKey,
    fingerprint: String,
}

impl RootReply {
    fn of(k: &PublicKey) -> RootReply {
        RootReply {
            key: *k,
            fingerprint: k.fingerprint(),
        }
    }
}

#[derive(Serialize)]
struct CommunityReply {
    id: CommunityId,
    name: String,
    roots: Vec<RootReply>,
    /// The root that signed the invite.
    signed_by: RootReply,
    bootstrap: Vec<String>,
    invite: String,
}

fn reply(c: &Community) -> CommunityReply {
    CommunityReply {
        id: c.id,
        name: c.name.clone(),
        roots: c.roots.iter().map(RootReply::of).collect(),
        signed_by: RootReply::of(&c.signer),
        bootstrap: c.bootstrap.clone(),
        invite: c.to_invite(),
    }
}

/// What `join` did, for `--json`.
#[derive(Serialize)]
struct JoinReply {
    #[serde(flatten)]
    community: CommunityReply,
    /// `joined`, `updated` (same community, new invite), `replaced` (another community,
    /// same roots) or `roots_replaced`.
    change: &'static str,
    /// The community served before, if any.
    previous: Option<PreviousReply>,
}

#[derive(Serialize)]
struct PreviousReply {
    id: CommunityId,
    name: String,
    roots: Vec<RootReply>,
}

/// The root fingerprints of `c`, for one-line messages.
fn root_fingerprints(c: &Community) -> String {
    aviso_protocol::community::fingerprints(&c.roots)
}

fn print_community(c: &Community) {
    let s = crate::output::Style::stdout();
    println!("{}", s.bold(&crate::output::single_line(&c.name)));
    println!("  id        {}", c.id);
    for (i, r) in c.roots.iter().enumerate() {
        let head = if i == 0 { "  roots    " } else { "           " };
        let signed = if *r == c.signer {
            "  (signed this invite)"
        } else {
            ""
        };
        println!("{head} {}  {}{signed}", r.fingerprint(), s.dim(&r.to_hex()));
    }
    if c.bootstrap.is_empty() {
        println!("  bootstrap (none: nodes find each other on the local network only)");
    }
    for (i, b) in c.bootstrap.iter().enumerate() {
        let head = if i == 0 { "  bootstrap" } else { "           " };
        println!("{head} {b}");
    }
}

/// What a join changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
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
    fn word(self) -> &'static str {
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
fn check_replace(
    old: Option<&Community>,
    new: &Community,
    force: bool,
    replace_roots: bool,
) -> Result<Change> {
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
        bail!(
            "this home already serves the community {:?} (id {}); this invite is another community {:?} (id {}) of the same roots ({}): a home serves one community: use another --home, or add --force to replace it",
            old.name,
            old.id.short(),
            new.name,
            new.id.short(),
            root_fingerprints(new)
        );
    }
    if replace_roots {
        return Ok(Change::RootsReplaced);
    }
    bail!(
        "this invite changes the root keys you trust: this home follows {:?} (id {}) with roots {}; the invite names {:?} (id {}) with roots {}; an invite passed on by someone else can hide a takeover, so check the new fingerprints with an organizer in person or by a second channel, then run the command again with --replace-roots (or use another --home)",
        old.name,
        old.id.short(),
        root_fingerprints(old),
        new.name,
        new.id.short(),
        root_fingerprints(new)
    );
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
        CommunityCmd::Invite {
            qr,
            update,
            bootstrap,
        } => {
            if !update && !bootstrap.is_empty() {
                bail!(
                    "--bootstrap changes the invite, which a root signs: add --update (roots only)"
                );
            }
            let c = if *update {
                update_invite(&home, bootstrap).await?
            } else {
                crate::cmd::publish::community(&home)?
            };
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
        CommunityCmd::Join {
            invite,
            force,
            replace_roots,
        } => join(cli, &home, invite, *force, *replace_roots).await,
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

async fn join(
    cli: &Cli,
    home: &Path,
    invite: &str,
    force: bool,
    replace_roots: bool,
) -> Result<()> {
    let (path, mut cfg) = load_config_file(home)?;
    let old = match cfg.community() {
        Ok(old) => old,
        Err(e) => {
            eprintln!(
                "warning: the community in config.toml cannot be read ({e}); the invite replaces it"
            );
            None
        }
    };
    let c = Community::from_invite(invite).map_err(|e| match &old {
        Some(old) => anyhow!(
            "cannot join: {e} (this home still follows {:?}, roots {})",
            old.name,
            root_fingerprints(old)
        ),
        None => anyhow!("cannot join: {e}"),
    })?;
    let change = check_replace(old.as_ref(), &c, force, replace_roots)?;
    cfg.community = Some(c.to_invite());
    if change != Change::Updated {
        // Follow the new community's roots (an empty list means them); a new invite of the
        // same community keeps what the member chose to follow.
        cfg.feed.follow.clear();
    }
    save_config(&path, &cfg)?;
    let running = node_status(home).await.is_some();
    if cli.json {
        return crate::output::json(&JoinReply {
            community: reply(&c),
            change: change.word(),
            previous: old.as_ref().map(|o| PreviousReply {
                id: o.id,
                name: o.name.clone(),
                roots: o.roots.iter().map(RootReply::of).collect(),
            }),
        });
    }
    let s = crate::output::Style::stdout();
    match (change, &old) {
        (Change::RootsReplaced, Some(old)) => {
            println!("{}", s.yellow(&s.bold("The root keys you trust changed:")));
            println!("  before  {:?}  id {}", old.name, old.id.short());
            for r in &old.roots {
                println!("            {}", r.fingerprint());
            }
            println!("  now     {:?}  id {}", c.name, c.id.short());
            for r in &c.roots {
                println!("            {}", r.fingerprint());
            }
            println!(
                "Alerts and trust lists signed by the old roots are no longer shown, unless the new roots' lists name them."
            );
            println!();
            println!("Joined:");
        }
        (Change::Replaced, Some(old)) => {
            println!(
                "Replaced {:?} (id {}) by another community of the same roots:",
                old.name,
                old.id.short()
            );
        }
        (Change::Updated, _) => {
            println!("Updated the invite of this community (same id, same roots):")
        }
        _ => println!("Joined:"),
    }
    print_community(&c);
    println!();
    let label = if c.roots.len() == 1 { "root" } else { "roots" };
    println!(
        "You now follow the trust lists of its {label} {}. Check {} with an organizer in person or by a second channel: anyone can make an invite with a convincing name.",
        root_fingerprints(&c),
        if c.roots.len() == 1 {
            "this fingerprint"
        } else {
            "these fingerprints"
        }
    );
    if change == Change::Updated && !cfg.feed.follow.is_empty() {
        println!("(You chose to follow other lists too: see `aviso trust show`.)");
    }
    if !running {
        println!("Start your node with `aviso node`.");
    }
    restart_note(running);
    Ok(())
}

/// The bootstrap addresses of a new invite: `bootstrap`, then this home's node. Returns
/// them and whether the node runs.
async fn invite_addrs(home: &Path, bootstrap: &[String]) -> Result<(Vec<String>, bool)> {
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
    Ok((addrs, running))
}

/// `community invite --update`: a root signs a new invite for this home's community (same
/// salt, so same id; same roots; same name) with new bootstrap addresses.
async fn update_invite(home: &Path, bootstrap: &[String]) -> Result<Community> {
    let (path, mut cfg) = load_config_file(home)?;
    let old = cfg.community()?.ok_or_else(|| {
        anyhow!("this home has joined no community: run `aviso community create` first")
    })?;
    let me = keys::load_public(home)?;
    if !old.roots.contains(&me) {
        bail!(
            "only a root of {:?} can sign its invite, and your key {} is not one of its roots ({}); pass on the invite as it is with `aviso community invite`",
            old.name,
            me.fingerprint(),
            root_fingerprints(&old)
        );
    }
    let (addrs, running) = invite_addrs(home, bootstrap).await?;
    let secret = keys::load_secret(home)?;
    let c = Community::new(
        &secret,
        old.salt,
        old.name.clone(),
        old.roots.clone(),
        addrs,
    )
    .map_err(|e| anyhow!("cannot sign the invite: {e}"))?;
    debug_assert_eq!(c.id, old.id, "same salt and roots give the same id");
    cfg.community = Some(c.to_invite());
    save_config(&path, &cfg)?;
    if c.bootstrap.is_empty() {
        eprintln!(
            "warning: the invite has no bootstrap address: members' nodes find yours only on the same local network"
        );
    }
    restart_note(running);
    Ok(c)
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
    let (addrs, running) = invite_addrs(home, bootstrap).await?;
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("cannot get random bytes: {e}"))?;
    // The root signs the invite (name, roots, addresses).
    let secret = keys::load_secret(home)?;
    let c = Community::new(&secret, salt, name.trim(), vec![root], addrs)
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
    fn joins_never_change_roots_without_replace_roots() {
        use aviso_protocol::SecretKey;
        let (a, b) = (
            SecretKey::from_seed(&[1; 32]),
            SecretKey::from_seed(&[2; 32]),
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
