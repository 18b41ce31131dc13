//! `aviso places set | withdraw | list`: organizers name area cells ("Mission / 24th St"
//! for `9q8yy`) so that members read and pick places, not geohashes. The rules are in
//! `aviso_protocol::place`; composing the names in `aviso_node::places`.

use anyhow::{Context, Result, anyhow};
use aviso_node::config::Config;
use aviso_node::home::HomePaths;
use aviso_protocol::limits::MAX_TTL_LONG_SECS;
use aviso_protocol::{Area, Body, Kind, NamedPlace, RetractReason};
use clap::{Args, Subcommand};

use crate::api_client::Api;
use crate::args::{Globals, check_ttl, duration_of};
use crate::output;
use crate::sign::{self, send_body_after};

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum PlacesCmd {
    /// Name an area cell, or rename it (the new names replace all of yours for the cell).
    ///
    /// Repeat `--name TEXT --lang TAG` once per language; the first is the default. A
    /// single --name without --lang is in your first language (config `feed.languages`).
    /// Needs an organizer entry whose scope covers the cell with the `resources`
    /// permission. Example:
    ///   aviso places set 9q8yy --name "Mission / 24th St" --lang en --name "Misión / calle 24" --lang es
    Set(SetArgs),
    /// Withdraw the names you gave a cell.
    Withdraw {
        /// The cell (geohash of 3 to 6 characters).
        cell: String,
    },
    /// Named places shown now, by cell.
    List,
}

/// Options of `aviso places set`.
#[derive(Debug, Clone, Args)]
pub struct SetArgs {
    /// The cell to name (geohash of 3 to 6 characters, e.g. 9q8yy).
    pub cell: String,
    /// The name in one language. Repeat, one per --lang.
    #[arg(long, value_name = "TEXT", required = true)]
    pub name: Vec<String>,
    /// The language of the --name in the same position (BCP 47). Repeat.
    #[arg(long, value_name = "TAG")]
    pub lang: Vec<String>,
    /// How long the names are shown: 90d, 365d ... at most 400d.
    #[arg(long, value_name = "DURATION", default_value = "365d")]
    pub expires: String,
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &PlacesCmd) -> Result<()> {
    match c {
        PlacesCmd::Set(a) => set(cli, a).await,
        PlacesCmd::Withdraw { cell } => {
            let cell = Area::parse(cell)?;
            let mine = own(cli, &cell).await?.ok_or_else(|| {
                anyhow!("no names of yours for {cell} are shown: see `aviso places list`")
            })?;
            sign::retract(
                cli,
                &mine.id.to_hex(),
                RetractReason::Withdrawn,
                Kind::Resource,
            )
            .await
        }
        PlacesCmd::List => list(cli).await,
    }
}

async fn set(cli: &Globals, a: &SetArgs) -> Result<()> {
    let home = cli.home_dir();
    crate::unlock::unlock_settings(&home).await?;
    let cfg = Config::load(&HomePaths::new(&home).config_path())?;
    let default_lang = cfg.feed.languages.first().map_or("en", String::as_str);
    let place = aviso_node::places::compose(&a.cell, &a.name, &a.lang, default_lang)?;
    let ttl = duration_of("--expires", &a.expires)?;
    check_ttl(ttl, MAX_TTL_LONG_SECS, "a place notice")?;
    // A new version is created after the one it replaces, even within one second.
    let after = own(cli, &place.cell)
        .await
        .ok()
        .flatten()
        .map_or(0, |p| p.created_at.saturating_add(1));
    let body = Body::Resource(place.to_resource());
    send_body_after(cli, "place notice", body, ttl, after).await
}

/// This home's shown names for `cell`, if the node runs and shows some.
async fn own(cli: &Globals, cell: &Area) -> Result<Option<NamedPlace>> {
    let home = cli.home_dir();
    let me = sign::load_public(&home)?;
    let feed = Api::connect(&home)?.feed(false, None, None).await?.feed;
    Ok(aviso_node::places::own(&feed, &me, cell).cloned())
}

async fn list(cli: &Globals) -> Result<()> {
    let home = cli.home_dir();
    let api = Api::connect(&home)?;
    let settings = api.settings().await.context("reading your languages")?;
    let feed = api.feed(false, None, None).await?.feed;
    if cli.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            places: &'a [NamedPlace],
        }
        return output::json(&Out {
            places: &feed.places,
        });
    }
    if feed.places.is_empty() {
        println!("no named places");
    }
    for p in &feed.places {
        let by = p
            .author_label
            .clone()
            .unwrap_or_else(|| p.author.fingerprint());
        println!(
            "{:<6}  {}  (by {by})",
            p.place.cell,
            p.place.name_in(&settings.languages)
        );
    }
    Ok(())
}
