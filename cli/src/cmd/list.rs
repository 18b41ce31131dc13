//! `aviso list ...`: organizers edit their trust list as a draft, then sign and publish it.
//!
//! The draft and its file are [`aviso_node::list_draft`].

use std::path::Path;

use anyhow::{Result, bail};
use aviso_protocol::limits::MAX_THRESHOLD;
use aviso_protocol::{Area, Body, Category, Delegate, PublicKey, Revocation, Role, TrustEntry};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use aviso_node::list_draft::{self, Draft, Expiry, Since};

use crate::api_client::Api;
use crate::args::{Globals, dedup, parse_area, parse_category, parse_key};
use crate::render::{date, enum_name};
use crate::sign::{self, load_public, load_secret};

/// Default lifetime of a published list, in days.
const DEFAULT_LIST_DAYS: u64 = 365;
/// Longest lifetime of a published list, in days (the protocol's limit).
const MAX_LIST_DAYS: u64 = aviso_protocol::limits::MAX_TTL_LONG_SECS / 86_400;

/// What a listed key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Signs alerts and resource notices, confirms and dismisses reports.
    Organizer,
    /// Sends reports.
    Member,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Organizer => Role::Organizer,
            RoleArg::Member => Role::Member,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum ListCmd {
    /// Add a key to your draft list, or change its entry.
    Add {
        /// The person's public key: 64 hex characters (from `aviso id` on their device).
        #[arg(value_parser = parse_key, value_name = "KEY")]
        key: PublicKey,
        /// What the key may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who it is, for people reading the list (e.g. "Ana, Mission rapid response").
        #[arg(long)]
        label: String,
        /// An area cell it may speak for (geohash, 3 to 6 characters), repeatable.
        /// None: everywhere.
        #[arg(long = "area", value_parser = parse_area, value_name = "CELL")]
        areas: Vec<Area>,
        /// An alert category it may sign (raid, checkpoint, detention, patrol, other, or
        /// a CAP category), or `resources` to let it publish resource notices;
        /// repeatable. None: all alert categories and resource notices.
        #[arg(long = "category", value_parser = parse_category, value_name = "CATEGORY")]
        categories: Vec<Category>,
        /// When the entry lapses: a duration from now (90d, 12h, 2w, 1y) or a unix time.
        /// Default: with the list.
        #[arg(long, value_parser = parse_expiry, value_name = "DURATION_OR_UNIX")]
        expires: Option<Expiry>,
    },
    /// Take a key (or a delegate) off your draft list.
    Remove {
        /// The public key: 64 hex characters.
        #[arg(value_parser = parse_key, value_name = "KEY")]
        key: PublicKey,
    },
    /// Revoke a key that was lost, stolen or misused: what it signed is no longer trusted.
    ///
    /// Revoking also takes the key off the list. A revoked key cannot be added back.
    Revoke {
        /// The public key: 64 hex characters.
        #[arg(value_parser = parse_key, value_name = "KEY")]
        key: PublicKey,
        /// Distrust what it signed from this unix time on; 0 (the default) distrusts
        /// everything it ever signed; `now` keeps what it signed before now.
        #[arg(long, value_parser = parse_since_arg, value_name = "UNIX|0|now", default_value = "0")]
        since: Since,
        /// Why, for people reading the list.
        #[arg(long)]
        reason: String,
    },
    /// Require K organizer signatures (author and endorsers) for alerts of a category.
    ///
    /// K = 1, the default, removes the requirement. The same number of signatures is
    /// needed to update, cancel, clear or retract such an alert. Signatures count once per
    /// organizer that a followed list names; a delegate's whole list (the delegate and
    /// every key it lists) counts as one, since a delegate could list a second key of its
    /// own.
    Threshold {
        /// The category (raid, checkpoint, detention, patrol, other, or a CAP category).
        #[arg(value_parser = parse_category)]
        category: Category,
        /// Signatures needed, 1 to 8.
        #[arg(value_parser = clap::value_parser!(u8).range(1..=MAX_THRESHOLD as i64))]
        k: u8,
    },
    /// Trust another organizer's list within a scope (one level deep).
    Delegate {
        /// The delegate list owner's public key: 64 hex characters.
        #[arg(value_parser = parse_key, value_name = "KEY")]
        key: PublicKey,
        /// Who it is, for people reading the list.
        #[arg(long)]
        label: String,
        /// An area cell its list may cover, repeatable. None: everywhere.
        #[arg(long = "area", value_parser = parse_area, value_name = "CELL")]
        areas: Vec<Area>,
        /// A category its list may cover (or `resources`), repeatable. None: all.
        #[arg(long = "category", value_parser = parse_category, value_name = "CATEGORY")]
        categories: Vec<Category>,
    },
    /// Show your draft list.
    Show,
    /// Sign the draft with your key and publish it as the next version.
    ///
    /// Asks for your passphrase (or reads AVISO_PASSPHRASE). When the node is not running,
    /// the signed list waits in the outbox until it starts.
    Publish {
        /// Rename the list.
        #[arg(long)]
        name: Option<String>,
        /// Days until this version expires (1 to 400). Publish again before then.
        #[arg(long, default_value_t = DEFAULT_LIST_DAYS,
              value_parser = clap::value_parser!(u64).range(1..=MAX_LIST_DAYS))]
        expires_days: u64,
    },
}

/// Parse `--expires`: a duration or a unix time.
fn parse_expiry(s: &str) -> Result<Expiry, String> {
    Expiry::parse(s).map_err(|e| e.to_string())
}

fn parse_since_arg(s: &str) -> Result<Since, String> {
    Since::parse(s).map_err(|e| e.to_string())
}

fn words<T>(items: &[T], empty: &str, f: impl Fn(&T) -> String) -> String {
    if items.is_empty() {
        empty.to_string()
    } else {
        items.iter().map(f).collect::<Vec<_>>().join(" ")
    }
}

fn print_draft(d: &Draft, home: &Path) {
    let s = crate::output::Style::stdout();
    let published = if d.published_version == 0 {
        "never published".to_string()
    } else {
        format!("version {} published", d.published_version)
    };
    println!(
        "{}  (draft of version {}; {published})",
        s.bold(&d.list.name),
        d.list.version
    );
    println!(
        "  {}",
        s.dim(&list_draft::draft_path(home).display().to_string())
    );
    println!("Entries ({}):", d.list.entries.len());
    for e in &d.list.entries {
        let role = match e.role {
            Role::Organizer => s.green("organizer"),
            Role::Member => "member".to_string(),
        };
        let until = e
            .expires_at
            .map(|t| format!("until {}", date(t)))
            .unwrap_or_else(|| "with the list".into());
        println!(
            "  {}  {:<24} {role}  areas: {}  categories: {}  {until}",
            e.key.fingerprint(),
            e.label,
            words(&e.areas, "everywhere", |a| a.to_string()),
            words(&e.categories, "all", enum_name),
        );
    }
    if !d.list.delegates.is_empty() {
        println!("Delegates:");
        for x in &d.list.delegates {
            println!(
                "  {}  {:<24} areas: {}  categories: {}",
                x.key.fingerprint(),
                x.label,
                words(&x.areas, "everywhere", |a| a.to_string()),
                words(&x.categories, "all", enum_name),
            );
        }
    }
    if !d.list.thresholds.is_empty() {
        println!("Thresholds:");
        for t in &d.list.thresholds {
            println!("  {}: {} signatures", enum_name(&t.category), t.k);
        }
    }
    if !d.list.revoked.is_empty() {
        println!("Revoked:");
        for r in &d.list.revoked {
            let since = if r.since == 0 {
                "everything it ever signed".to_string()
            } else {
                format!("since {}", date(r.since))
            };
            println!("  {}  {since}  {}", r.key.fingerprint(), r.reason);
        }
    }
}

/// The draft, or a new one named after the community.
fn draft_or_new(home: &Path) -> Result<Draft> {
    if let Some(d) = list_draft::load(home)? {
        return Ok(d);
    }
    let name = sign::community(home)
        .map(|c| c.name)
        .unwrap_or_else(|_| "Trust list".into());
    Ok(Draft::new(&name))
}

/// Edit the draft with `f`, check it, write it, and say what changed.
fn edit(cli: &Globals, home: &Path, f: impl FnOnce(&mut Draft) -> Result<String>) -> Result<()> {
    let mut d = draft_or_new(home)?;
    let said = f(&mut d)?;
    list_draft::save(home, &d)?;
    if cli.json {
        return crate::output::json(&d);
    }
    println!("{said}");
    println!("Draft saved; `aviso list publish` signs and sends it.");
    Ok(())
}

/// The highest version of our own list the running node holds, if it runs and follows us.
async fn node_version(home: &Path, owner: &PublicKey) -> Option<u64> {
    let api = Api::connect(home).ok()?;
    list_draft::known_version(&api.trust().await.ok()?, owner)
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &ListCmd) -> Result<()> {
    let home = cli.home_dir();
    // The draft is sealed under the home's data key: its labels name people.
    crate::unlock::unlock_files(&home).await?;
    match c {
        ListCmd::Add {
            key,
            role,
            label,
            areas,
            categories,
            expires,
        } => {
            let expires_at = expires
                .map(|e| e.resolve(aviso_node::unix_now()))
                .transpose()?;
            let entry = TrustEntry {
                key: *key,
                role: (*role).into(),
                label: label.trim().to_owned(),
                areas: dedup(areas),
                categories: dedup(categories),
                expires_at,
            };
            edit(cli, &home, |d| {
                let replaced = d.add(entry)?;
                Ok(format!(
                    "{} {} ({}) as {}. Check that `aviso id` on their device shows this fingerprint.",
                    if replaced { "Updated" } else { "Added" },
                    label.trim(),
                    key.fingerprint(),
                    match role {
                        RoleArg::Organizer => "organizer",
                        RoleArg::Member => "member",
                    }
                ))
            })
        }
        ListCmd::Remove { key } => edit(cli, &home, |d| {
            d.remove(key)?;
            Ok(format!("Removed {}.", key.fingerprint()))
        }),
        ListCmd::Revoke { key, since, reason } => {
            let owner = load_public(&home)?;
            let since = since.resolve(aviso_node::unix_now())?;
            let rev = Revocation {
                key: *key,
                since,
                reason: reason.trim().to_owned(),
            };
            edit(cli, &home, |d| {
                d.revoke(&owner, rev)?;
                Ok(format!(
                    "Revoked {}: {}. Publish soon: it takes effect when nodes receive the list.",
                    key.fingerprint(),
                    if since == 0 {
                        "nothing it ever signed is trusted".to_string()
                    } else {
                        format!("what it signed since {} is not trusted", date(since))
                    }
                ))
            })
        }
        ListCmd::Threshold { category, k } => edit(cli, &home, |d| {
            if !category.is_alert_category() {
                bail!(
                    "resource notices are signed by one organizer: thresholds are for alert categories"
                );
            }
            d.threshold(*category, *k);
            Ok(if *k > 1 {
                format!(
                    "Alerts of category {} now need {k} organizer signatures.",
                    enum_name(category)
                )
            } else {
                format!(
                    "Alerts of category {} need one signature.",
                    enum_name(category)
                )
            })
        }),
        ListCmd::Delegate {
            key,
            label,
            areas,
            categories,
        } => {
            let owner = load_public(&home)?;
            let del = Delegate {
                key: *key,
                label: label.trim().to_owned(),
                areas: dedup(areas),
                categories: dedup(categories),
            };
            edit(cli, &home, |d| {
                let replaced = d.delegate(&owner, del)?;
                Ok(format!(
                    "{} delegate {} ({}).",
                    if replaced { "Updated" } else { "Added" },
                    label.trim(),
                    key.fingerprint()
                ))
            })
        }
        ListCmd::Show => {
            let d = list_draft::load_started(&home)?;
            if cli.json {
                return crate::output::json(&d);
            }
            print_draft(&d, &home);
            Ok(())
        }
        ListCmd::Publish { name, expires_days } => {
            publish_list(cli, &home, name.as_deref(), *expires_days).await
        }
    }
}

#[derive(Serialize)]
struct PublishReply {
    id: String,
    status: &'static str,
    version: u64,
    expires_at: u64,
}

async fn publish_list(cli: &Globals, home: &Path, name: Option<&str>, days: u64) -> Result<()> {
    let mut d = list_draft::load_started(home)?;
    let community = sign::community(home)?;
    let owner = load_public(home)?;
    if !community.roots.contains(&owner) {
        eprintln!(
            "warning: your key is not a root of {:?}: your list is relayed only if a root's list names you as a delegate",
            community.name
        );
    }
    let known = node_version(home, &owner).await.unwrap_or(0);
    let version = d.prepare(name, known)?;
    let ttl = days * 86_400;
    let secret = load_secret(home)?;
    let env = sign::sign(home, &secret, &Body::TrustList(d.list.clone()), ttl)?;
    drop(secret);
    let sent = sign::send_envelope(cli, &env).await?;
    d.published(version);
    list_draft::save(home, &d)?;
    if cli.json {
        return crate::output::json(&PublishReply {
            id: sent.id,
            status: sent.status,
            version,
            expires_at: env.expires_at(),
        });
    }
    let what = format!("trust list {:?} version {version}", d.list.name);
    match sent.status {
        "queued" => println!("{what} signed and queued: {}", sent.id),
        "duplicate" => println!("{what} was already stored: {}", sent.id),
        _ => println!("{what} published: {}", sent.id),
    }
    println!(
        "It expires {}; publish again before then.",
        date(env.expires_at())
    );
    Ok(())
}
