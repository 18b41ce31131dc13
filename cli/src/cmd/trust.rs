//! `aviso trust follow | unfollow | areas | languages | show`: whose trust lists this member
//! follows, where and in which languages, and who is on those lists.
//!
//! Choices are saved among the member's sealed settings (`private-settings.toml`, see
//! `aviso_node::config`) and, when a node runs on the home, also
//! sent to it (`PUT /v1/settings`) so they apply at once.

use std::path::Path;

use anyhow::{Result, anyhow};
use aviso_node::feed_choice::{self, Choice, Saved};
use aviso_protocol::community::fingerprints;
use aviso_protocol::trust::Scope;
use aviso_protocol::{Area, FeedSettings, PublicKey};
use clap::Subcommand;

use crate::api_client::{Api, not_running};
use crate::args::{Globals, dedup, lang_tags, parse_area, parse_key};
use crate::render::{date, enum_name};
/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum TrustCmd {
    /// Follow the trust list of a list owner (an organizer), besides those you follow.
    ///
    /// Until you first follow or unfollow someone, you follow the community's root keys;
    /// they stay followed when you add another.
    Follow {
        /// The list owner's public key: 64 hex characters (from `aviso id` on their
        /// device). Fingerprints are not accepted: they are too short to be a key.
        #[arg(value_parser = parse_key, value_name = "KEY")]
        key: PublicKey,
    },
    /// Stop following a list owner's trust list.
    Unfollow {
        /// The list owner's public key: 64 hex characters.
        #[arg(value_parser = parse_key, value_name = "KEY")]
        key: PublicKey,
    },
    /// Set the areas you care about (geohash cells, 3 to 6 characters, e.g. 9q8yy).
    ///
    /// Alerts and reports elsewhere are not shown. Replaces the areas set before.
    #[command(group = clap::ArgGroup::new("where").required(true).args(["cells", "everywhere"]))]
    Areas {
        /// Area cells (or --everywhere).
        #[arg(value_parser = parse_area, value_name = "CELL")]
        cells: Vec<Area>,
        /// Show alerts from everywhere (clears the areas).
        #[arg(long)]
        everywhere: bool,
    },
    /// Set your languages (BCP 47 tags such as en, es, es-MX, ht), most preferred first.
    Languages {
        /// Language tags, most preferred first.
        #[arg(required = true, value_name = "TAG")]
        tags: Vec<String>,
    },
    /// Show the trust lists you follow: their keys, roles, scopes and revocations.
    ///
    /// Needs the node to be running.
    Show,
}

/// What happened at the running node.
#[derive(Debug)]
enum Live {
    /// No node answers on this home: the config file is what counts.
    NotRunning,
    /// The node took the new settings.
    Updated,
}

/// Change the running node's feed settings with `change`. A node that is not running (no
/// `api.addr`, or nobody answering there) is not an error: it reads the config at start.
async fn update_node(home: &Path, change: impl FnOnce(&mut FeedSettings)) -> Result<Live> {
    let api = match Api::connect(home) {
        Ok(api) => api,
        Err(e) if not_running(&e) => return Ok(Live::NotRunning),
        Err(e) => return Err(e),
    };
    let mut settings: FeedSettings = match api.settings().await {
        Ok(s) => s,
        // A stale api.addr from a node that did not stop cleanly.
        Err(e) if not_running(&e) => return Ok(Live::NotRunning),
        Err(e) => return Err(e),
    };
    change(&mut settings);
    api.put_settings(&settings).await?;
    Ok(Live::Updated)
}

/// Send the change to the node; the config is already saved, so a refusal says so.
async fn apply_live(home: &Path, change: impl FnOnce(&mut FeedSettings)) -> Result<Live> {
    update_node(home, change).await.map_err(|e| {
        anyhow!(
            "saved in this home's settings, but the running node did not take the change ({e:#}); restart the node"
        )
    })
}

fn done_note(cli: &Globals, live: &Live) {
    if cli.json {
        return;
    }
    match live {
        Live::Updated => println!("The running node applies it now."),
        Live::NotRunning => println!("Saved; the node applies it when it starts."),
    }
}

fn print_settings_json(saved: &Saved, live: &Live) -> Result<()> {
    crate::output::json(&serde_json::json!({
        "follow": saved.follow,
        "areas": saved.areas,
        "languages": saved.languages,
        "node": match live { Live::Updated => "updated", Live::NotRunning => "not_running" },
    }))
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &TrustCmd) -> Result<()> {
    let home = cli.home_dir();
    let choice = match c {
        TrustCmd::Follow { key } => Choice::Follow(*key),
        TrustCmd::Unfollow { key } => Choice::Unfollow(*key),
        TrustCmd::Areas { cells, .. } => Choice::Areas(dedup(cells)),
        TrustCmd::Languages { tags } => Choice::Languages(lang_tags(tags, "languages")?),
        TrustCmd::Show => return show(cli, &home).await,
    };
    // The choices are the member's private settings, sealed.
    crate::unlock::unlock_files(&home).await?;
    let saved = choice.save(&home)?;
    let live = apply_live(&home, |s| choice.patch(&saved, s)).await?;
    if cli.json {
        return print_settings_json(&saved, &live);
    }
    match &choice {
        Choice::Follow(key) if saved.already => {
            println!("You already follow {}.", key.fingerprint())
        }
        Choice::Follow(key) => println!("You now follow the list of {}.", key.fingerprint()),
        Choice::Unfollow(key) => println!("You no longer follow {}.", key.fingerprint()),
        Choice::Areas(_) if saved.areas.is_empty() => println!("Areas: everywhere."),
        Choice::Areas(_) => println!("Areas: {}", saved.areas.join(" ")),
        Choice::Languages(langs) => println!("Languages: {}", langs.join(", ")),
        _ => {}
    }
    if matches!(choice, Choice::Follow(_) | Choice::Unfollow(_)) {
        println!("Following: {}", fingerprints(&saved.follow));
    }
    done_note(cli, &live);
    Ok(())
}

fn scope_text(s: &Scope) -> String {
    let areas = if s.areas.is_empty() {
        "everywhere".to_string()
    } else {
        s.areas
            .iter()
            .map(Area::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let cats = if s.categories.is_empty() {
        "all categories".to_string()
    } else {
        s.categories
            .iter()
            .map(enum_name)
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!("{areas}; {cats}")
}

async fn show(cli: &Globals, home: &Path) -> Result<()> {
    let api = Api::connect(home)?;
    let t = api.trust().await?;
    if cli.json {
        return crate::output::json(&t);
    }
    let s = crate::output::Style::stdout();
    let now = aviso_node::unix_now();
    println!("{}", s.bold("Following"));
    for k in &t.follow {
        let note = if feed_choice::has_list(&t, k) {
            String::new()
        } else {
            s.yellow("  (no list from this key has reached the node yet)")
        };
        println!("  {}{note}", k.fingerprint());
    }
    if t.follow.is_empty() {
        println!("  nobody: this home has joined no community (`aviso community join`)");
    }
    for l in &t.lists {
        println!();
        let kind = if l.anchor {
            "followed".to_string()
        } else {
            format!("delegate, limited to {}", scope_text(&l.scope))
        };
        println!(
            "{} {}  version {}  by {}  ({kind})",
            s.bold("List"),
            s.bold(&l.name),
            l.version,
            l.owner.fingerprint()
        );
        for (k, g) in feed_choice::list_rows(&t, l) {
            let role = match g.role {
                aviso_protocol::Role::Organizer => s.green("organizer"),
                aviso_protocol::Role::Member => "member".to_string(),
            };
            let until = match g.expires_at {
                Some(e) if e <= now => s.red(&format!("expired {}", date(e))),
                Some(e) => format!("until {}", date(e)),
                None => "no expiry".into(),
            };
            let revoked = match k.revoked_since {
                Some(0) => s.red("  REVOKED (everything it signed)"),
                Some(since) => s.red(&format!("  REVOKED since {}", date(since))),
                None => String::new(),
            };
            println!(
                "  {}  {:<24} {role}  {}  {until}{revoked}",
                k.key.fingerprint(),
                g.label,
                scope_text(&g.scope)
            );
        }
    }
    let pending = feed_choice::pending(&t);
    if !pending.is_empty() {
        println!();
        println!(
            "{}",
            s.bold("List owners whose lists have not reached the node yet")
        );
        for (k, g) in pending {
            println!(
                "  {}  {:<24} {}",
                k.key.fingerprint(),
                g.label,
                scope_text(&g.scope)
            );
        }
    }
    if !t.revoked.is_empty() {
        println!();
        println!("{}", s.bold("Revoked"));
        for r in &t.revoked {
            let since = if r.since == 0 {
                "everything it ever signed".to_string()
            } else {
                format!("since {}", date(r.since))
            };
            println!("  {}  {since}  {}", r.key.fingerprint(), r.reason);
        }
    }
    Ok(())
}
