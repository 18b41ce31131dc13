//! `aviso trust follow | unfollow | areas | languages | show`: whose trust lists this member
//! follows, where and in which languages, and who is on those lists.
//!
//! Choices are saved in `config.toml` (`[feed]`) and, when a node runs on the home, also
//! sent to it (`PUT /v1/settings`) so they apply at once.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use aviso_node::config::Config;

use aviso_protocol::{Area, FeedSettings, PublicKey};
use clap::Subcommand;

use aviso_node::api::wire::TrustKey;
use aviso_protocol::community::fingerprints;
use aviso_protocol::trust::{Grant, Scope};

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
            "saved in config.toml, but the running node did not take the change ({e:#}); restart the node"
        )
    })
}

/// The followed keys written in the config; the community's roots when none are.
fn followed(cfg: &Config) -> Result<Vec<PublicKey>> {
    if cfg.feed.follow.is_empty() {
        let c = cfg
            .community()
            .map_err(|e| anyhow!("{e}"))?
            .map(|c| c.roots)
            .unwrap_or_default();
        return Ok(c);
    }
    cfg.feed
        .follow
        .iter()
        .map(|k| {
            PublicKey::from_hex(k).map_err(|_| {
                anyhow!("config.toml: feed.follow has {k:?}, which is not a key of 64 hex characters; fix or remove it")
            })
        })
        .collect()
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

fn print_settings_json(cfg: &Config, live: &Live) -> Result<()> {
    crate::output::json(&serde_json::json!({
        "follow": followed(cfg)?,
        "areas": cfg.feed.areas,
        "languages": cfg.feed.languages,
        "node": match live { Live::Updated => "updated", Live::NotRunning => "not_running" },
    }))
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &TrustCmd) -> Result<()> {
    let home = cli.home_dir();
    match c {
        TrustCmd::Follow { key } => {
            let (path, mut cfg) = Config::load_home_file(&home)?;
            let mut follow = followed(&cfg)?;
            let already = follow.contains(key);
            if !already {
                follow.push(*key);
            }
            cfg.feed.follow = follow.iter().map(PublicKey::to_hex).collect();
            cfg.save(&path)?;
            let keys = follow.clone();
            let live = apply_live(&home, |s| s.follow = keys).await?;
            if cli.json {
                return print_settings_json(&cfg, &live);
            }
            if already {
                println!("You already follow {}.", key.fingerprint());
            } else {
                println!("You now follow the list of {}.", key.fingerprint());
            }
            println!("Following: {}", fingerprints(&follow));
            done_note(cli, &live);
            Ok(())
        }
        TrustCmd::Unfollow { key } => {
            let (path, mut cfg) = Config::load_home_file(&home)?;
            let mut follow = followed(&cfg)?;
            if !follow.contains(key) {
                bail!(
                    "you do not follow {}; `aviso trust show` lists whom you follow",
                    key.fingerprint()
                );
            }
            follow.retain(|k| k != key);
            if follow.is_empty() {
                bail!(
                    "that would leave no list followed, and an empty list means the community's roots; follow another list first"
                );
            }
            cfg.feed.follow = follow.iter().map(PublicKey::to_hex).collect();
            cfg.save(&path)?;
            let keys = follow.clone();
            let live = apply_live(&home, |s| s.follow = keys).await?;
            if cli.json {
                return print_settings_json(&cfg, &live);
            }
            println!("You no longer follow {}.", key.fingerprint());
            println!("Following: {}", fingerprints(&follow));
            done_note(cli, &live);
            Ok(())
        }
        TrustCmd::Areas { cells, .. } => {
            let areas = dedup(cells);
            let (path, mut cfg) = Config::load_home_file(&home)?;
            cfg.feed.areas = areas.iter().map(|a| a.as_str().to_owned()).collect();
            cfg.save(&path)?;
            let set = areas.clone();
            let live = apply_live(&home, |s| s.areas = set).await?;
            if cli.json {
                return print_settings_json(&cfg, &live);
            }
            if areas.is_empty() {
                println!("Areas: everywhere.");
            } else {
                println!("Areas: {}", cfg.feed.areas.join(" "));
            }
            done_note(cli, &live);
            Ok(())
        }
        TrustCmd::Languages { tags } => {
            let langs = lang_tags(tags, "languages")?;
            let (path, mut cfg) = Config::load_home_file(&home)?;
            cfg.feed.languages = langs.clone();
            cfg.save(&path)?;
            let set = langs.clone();
            let live = apply_live(&home, |s| s.languages = set).await?;
            if cli.json {
                return print_settings_json(&cfg, &live);
            }
            println!("Languages: {}", langs.join(", "));
            done_note(cli, &live);
            Ok(())
        }
        TrustCmd::Show => show(cli, &home).await,
    }
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
        let has = t.lists.iter().any(|l| l.owner == *k);
        let note = if has {
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
        let mut rows: Vec<(&TrustKey, &Grant)> = t
            .keys
            .iter()
            .flat_map(|k| k.grants.iter().map(move |g| (k, g)))
            .filter(|(_, g)| g.owner == l.owner)
            .collect();
        rows.sort_by(|a, b| (a.1.role as u8, &a.1.label).cmp(&(b.1.role as u8, &b.1.label)));
        for (k, g) in rows {
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
    // Followed or delegated owners whose lists have not arrived: only their own grant.
    let pending: Vec<(&TrustKey, &Grant)> = t
        .keys
        .iter()
        .flat_map(|k| k.grants.iter().map(move |g| (k, g)))
        .filter(|(k, g)| g.owner == k.key && !t.lists.iter().any(|l| l.owner == g.owner))
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn followed_defaults_to_roots() {
        use aviso_protocol::fixtures;
        let mut cfg = Config::default();
        assert!(followed(&cfg).unwrap().is_empty());
        let root = fixtures::key(2);
        let c = fixtures::community(&root, 1, "x");
        cfg.community = Some(c.to_invite());
        assert_eq!(followed(&cfg).unwrap(), [root.public()]);
        cfg.feed.follow = vec![PublicKey([3; 32]).to_hex()];
        assert_eq!(followed(&cfg).unwrap(), [PublicKey([3; 32])]);
        cfg.feed.follow = vec!["nope".into()];
        assert!(followed(&cfg).is_err());
    }
}
