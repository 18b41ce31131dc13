//! `aviso community create | invite | join | show`: the community this home serves, kept as
//! an invite code among the member's sealed settings (`private-settings.toml`).
//!
//! A community's id is derived from its root keys and its invite is signed by a root (see
//! `aviso_protocol::community`), so `join` can tell a new invite of the same community
//! (same id, same roots: accepted as is) from one that would change the roots this home
//! trusts (refused unless the member confirms with `--replace-roots` after seeing both sets
//! of fingerprints).

use std::path::Path;

use anyhow::{Result, bail};
use aviso_node::api::wire::StatusReply;
use aviso_node::community::{self, CommunityReply, JoinReply};
use aviso_node::config::Config;
use aviso_node::invite::Change;
use aviso_protocol::Community;
use clap::Subcommand;
use libp2p::Multiaddr;

use crate::api_client::Api;
use crate::args::Globals;
use crate::render;
use crate::sign::{self, load_public, load_secret};
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

/// The running node's `/v1/status`, if a node answers on this home.
async fn node_status(home: &Path) -> Option<StatusReply> {
    let api = Api::connect(home).ok()?;
    api.status().await.ok()
}

/// This home's node addresses for an invite, warnings, and whether the node runs.
async fn node_addrs(home: &Path) -> Result<(Vec<Multiaddr>, Vec<String>, bool)> {
    if let Some(status) = node_status(home).await
        && let Some((addrs, warnings)) = community::addrs_from_status(&status)
    {
        return Ok((addrs, warnings, true));
    }
    // The node's peer id is in its sealed key file.
    crate::unlock::unlock_files(home).await?;
    let (addrs, warnings) = community::addrs_from_config(home)?;
    Ok((addrs, warnings, false))
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

fn restart_note(running: bool) {
    if running {
        eprintln!(
            "a node is running on this home: restart it (stop `aviso node` and start it again) to serve this community"
        );
    }
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &CommunityCmd) -> Result<()> {
    let home = cli.home_dir();
    // The invite is among the member's private settings, sealed.
    crate::unlock::unlock_files(&home).await?;
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
                sign::community(&home)?
            };
            let code = c.to_invite();
            if cli.json {
                return crate::output::json(&serde_json::json!({ "invite": code }));
            }
            println!("{code}");
            if *qr {
                println!();
                render::print_qr(&code)?;
            }
            Ok(())
        }
        CommunityCmd::Join {
            invite,
            force,
            replace_roots,
        } => join(cli, &home, invite, *force, *replace_roots).await,
        CommunityCmd::Show => {
            let c = sign::community(&home)?;
            if cli.json {
                return crate::output::json(&CommunityReply::of(&c));
            }
            print_community(&c);
            Ok(())
        }
    }
}

async fn join(
    cli: &Globals,
    home: &Path,
    invite: &str,
    force: bool,
    replace_roots: bool,
) -> Result<()> {
    let (path, mut cfg) = Config::load_home_file(home)?;
    if let Err(e) = cfg.community() {
        eprintln!(
            "warning: the community in this home's settings cannot be read ({e}); the invite replaces it"
        );
    }
    let joined = community::join(&mut cfg, invite, force, replace_roots)?;
    cfg.save(&path)?;
    let running = node_status(home).await.is_some();
    if cli.json {
        return crate::output::json(&JoinReply::of(&joined));
    }
    let (c, change, old) = (&joined.community, joined.change, &joined.previous);
    let s = crate::output::Style::stdout();
    match (change, old) {
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
    print_community(c);
    println!();
    let label = if c.roots.len() == 1 { "root" } else { "roots" };
    println!(
        "You now follow the trust lists of its {label} {}. Check {} with an organizer in person or by a second channel: anyone can make an invite with a convincing name.",
        root_fingerprints(c),
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
    let mut addrs = community::bootstrap_addrs(bootstrap)?;
    let (own, mut warnings, running) = node_addrs(home).await?;
    warnings.extend(community::add_own_addrs(&mut addrs, own));
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    Ok((addrs, running))
}

/// `community invite --update`: a root signs a new invite for this home's community (same
/// salt, so same id; same roots; same name) with new bootstrap addresses.
async fn update_invite(home: &Path, bootstrap: &[String]) -> Result<Community> {
    let (path, mut cfg) = Config::load_home_file(home)?;
    let old = community::check_reissue(&cfg, &load_public(home)?)?;
    let (addrs, running) = invite_addrs(home, bootstrap).await?;
    let c = community::reissue(&load_secret(home)?, &old, addrs)?;
    cfg.community = Some(c.to_invite());
    cfg.save(&path)?;
    if c.bootstrap.is_empty() {
        eprintln!(
            "warning: the invite has no bootstrap address: members' nodes find yours only on the same local network"
        );
    }
    restart_note(running);
    Ok(c)
}

async fn create(
    cli: &Globals,
    home: &Path,
    name: &str,
    bootstrap: &[String],
    force: bool,
) -> Result<()> {
    load_public(home)?;
    let (path, mut cfg) = Config::load_home_file(home)?;
    community::check_create(&cfg, force)?;
    let (addrs, running) = invite_addrs(home, bootstrap).await?;
    // The root signs the invite (name, roots, addresses).
    let c = community::create(&load_secret(home)?, name, addrs)?;
    let code = c.to_invite();
    cfg.community = Some(code.clone());
    cfg.save(&path)?;

    if cli.json {
        return crate::output::json(&CommunityReply::of(&c));
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
