//! `aviso resource send | update | withdraw | list`: structured notices of legal aid,
//! helplines, shelters, food, clinics, rides, workshops and events.
//!
//! A notice is identified by its author and `--key`: sending again with the same key
//! replaces the older version everywhere (`update` is the same command).

use anyhow::{Context, Result, anyhow};
use aviso_node::compose::{self, ResourceOptions};
use aviso_protocol::feed::ResourceItem;
use aviso_protocol::lang::validate_lang;
use aviso_protocol::{Area, Body, Kind, Resource, ResourceKind, RetractReason};
use clap::{Args, Subcommand};

use crate::api_client::Api;
use crate::args::Globals;
use crate::args::kind_parser;
use crate::output::{self, Style};
use crate::render::{relang_resource, render_resource};
use crate::sign::{self, send_body_after};
/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum ResourceCmd {
    /// Sign and send a resource notice, or a new version of one.
    ///
    /// A notice is known by its author and --key: sending again with the same --key
    /// replaces the older version for everyone (`aviso resource update` is the same
    /// command). Give every field again: the new version replaces the old one whole.
    ///
    /// Repeat `--lang TAG --name TEXT [--description TEXT] [--hours TEXT]` once per
    /// language; the first block is the default. When one block has a --description (or
    /// --hours), give every block one (--description "" for none).
    #[command(visible_alias = "update")]
    Send(Box<SendArgs>),
    /// Withdraw a notice you sent (the service closed, the event was cancelled).
    Withdraw {
        /// The notice: its id, or the first characters shown by `aviso resource list`.
        id: String,
    },
    /// Resource notices shown now.
    List(ListArgs),
}

/// Options of `aviso resource send`.
#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    /// Your name for this notice, stable across versions (e.g. `mission-legal-clinic`).
    #[arg(long, value_name = "KEY")]
    pub key: String,
    /// What kind of help (`legal-aid` works too).
    #[arg(long, value_parser = kind_parser())]
    pub kind: ResourceKind,
    /// Language of a text block (BCP 47). Starts a block.
    #[arg(long, value_name = "TAG", required = true)]
    pub lang: Vec<String>,
    /// Name of the service, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub name: Vec<String>,
    /// What it offers and to whom, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub description: Vec<String>,
    /// Opening hours in words, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub hours: Vec<String>,
    /// A phone number, as people should dial it.
    #[arg(long, value_name = "NUMBER")]
    pub phone: Option<String>,
    /// A web address.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A public street address (only for services that have a public one).
    #[arg(long, value_name = "TEXT")]
    pub address: Option<String>,
    /// An area cell served (geohash of 3 to 6 characters). Repeat, or separate with commas.
    #[arg(
        long = "area",
        value_name = "CELL",
        value_delimiter = ',',
        required = true
    )]
    pub areas: Vec<String>,
    /// A language spoken there (BCP 47). Repeat.
    #[arg(long = "speaks", value_name = "TAG", value_delimiter = ',')]
    pub speaks: Vec<String>,
    /// No cost.
    #[arg(long)]
    pub free: bool,
    /// No identity document asked for.
    #[arg(long)]
    pub no_id_required: bool,
    /// Confidential.
    #[arg(long)]
    pub confidential: bool,
    /// No appointment needed.
    #[arg(long)]
    pub walk_in: bool,
    /// For events: when it starts (unix seconds or `now`).
    #[arg(long, value_name = "UNIX")]
    pub starts_at: Option<String>,
    /// For events: when it ends (unix seconds).
    #[arg(long, value_name = "UNIX")]
    pub ends_at: Option<String>,
    /// How long the notice is shown: 30d, 90d ... at most 400d.
    #[arg(long, value_name = "DURATION", default_value = "90d")]
    pub expires: String,
    /// Opening hours the web app's "open now" filter reads: days then times, e.g.
    /// "mon-fri 09:00-17:00", "sat,sun 10:00-14:00", "mon 09:00-12:00 13:00-17:00" or
    /// "closed". Repeat. Needs --tz. Nodes older than this option show the notice without
    /// them.
    #[arg(long, value_name = "SPAN", requires = "tz")]
    pub open: Vec<String>,
    /// The time zone of --open: an IANA name such as America/Los_Angeles.
    #[arg(long, value_name = "ZONE", requires = "open")]
    pub tz: Option<String>,
}

/// Options of `aviso resource list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// Only this kind.
    #[arg(long, value_parser = kind_parser())]
    pub kind: Option<ResourceKind>,
    /// Only notices serving this area cell.
    #[arg(long, value_name = "CELL")]
    pub area: Option<String>,
    /// Show texts in this language when the notice has it (overrides your preference).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Also hidden notices (expired, replaced, withdrawn), with the reasons.
    #[arg(long)]
    pub all: bool,
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &ResourceCmd) -> Result<()> {
    match c {
        ResourceCmd::Send(a) => {
            let (res, ttl) = build_resource(a, aviso_node::unix_now())?;
            // A new version is created after the one it replaces, even within one second.
            let after = previous_version(cli, &res.resource_key)
                .await
                .map_or(0, |t| t.saturating_add(1));
            send_body_after(cli, "resource", Body::Resource(res), ttl, after).await
        }
        ResourceCmd::Withdraw { id } => {
            sign::retract(cli, id, RetractReason::Withdrawn, Kind::Resource).await
        }
        ResourceCmd::List(a) => list(cli, a).await,
    }
}

/// When this home's key signed its newest stored version of the notice `resource_key`,
/// if the node runs and holds one.
async fn previous_version(cli: &Globals, resource_key: &str) -> Option<u64> {
    let home = cli.home_dir();
    let me = sign::load_public(&home).ok()?;
    let api = Api::connect(&home).ok()?;
    let feed = api.feed(true, None, None).await.ok()?.feed;
    feed.resources
        .iter()
        .filter(|r| r.author == me && r.resource.resource_key == resource_key)
        .map(|r| r.created_at)
        .max()
}

/// A resource notice and its life in seconds, from the options.
fn build_resource(a: &SendArgs, now: u64) -> Result<(Resource, u64)> {
    let o = ResourceOptions {
        key: &a.key,
        kind: a.kind,
        lang: &a.lang,
        name: &a.name,
        description: &a.description,
        hours: &a.hours,
        phone: a.phone.as_deref(),
        url: a.url.as_deref(),
        address: a.address.as_deref(),
        areas: &a.areas,
        speaks: &a.speaks,
        free: a.free,
        no_id_required: a.no_id_required,
        confidential: a.confidential,
        walk_in: a.walk_in,
        starts_at: a.starts_at.as_deref(),
        ends_at: a.ends_at.as_deref(),
        expires: &a.expires,
    };
    let (mut res, ttl) = compose::resource(&o, now)?;
    // Opening hours (a zxx block) go on the checked notice, which is checked again with them.
    if let Some(tz) = &a.tz {
        aviso_node::hours::compose(&a.open, tz)
            .context("--open/--tz")?
            .attach(&mut res);
        res.validate()
            .map_err(|e| anyhow!("invalid resource notice: {e}"))?;
    }
    Ok((res, ttl))
}

async fn list(cli: &Globals, a: &ListArgs) -> Result<()> {
    let area = a.area.as_deref().map(Area::parse).transpose()?;
    if let Some(l) = &a.lang {
        validate_lang(l).context("--lang")?;
    }
    let api = Api::connect(&cli.home_dir())?;
    let feed = api.feed(a.all, None, None).await?.feed;
    let items = filter(feed.resources, a.kind, area.as_ref(), a.lang.as_deref());
    if cli.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            resources: &'a [ResourceItem],
        }
        return output::json(&Out { resources: &items });
    }
    let st = Style::stdout();
    let now = aviso_node::unix_now();
    if items.is_empty() {
        println!(
            "no resource notices{}",
            if a.all {
                ""
            } else {
                " (use --all for hidden ones)"
            }
        );
    }
    for (i, r) in items.iter().enumerate() {
        if i > 0 {
            println!();
        }
        print!("{}", render_resource(r, now, st));
    }
    Ok(())
}

/// Keep the notices of `kind` serving `area`, with texts in `lang` when they have it.
fn filter(
    items: Vec<ResourceItem>,
    kind: Option<ResourceKind>,
    area: Option<&Area>,
    lang: Option<&str>,
) -> Vec<ResourceItem> {
    items
        .into_iter()
        .filter(|r| kind.is_none_or(|k| r.resource.kind == k))
        .filter(|r| area.is_none_or(|c| r.resource.areas.iter().any(|x| x.overlaps(c))))
        .map(|mut r| {
            if let Some(l) = lang {
                r.text = relang_resource(&r.resource, l);
            }
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::args::tests::parse_words;
    use aviso_protocol::{Id, PublicKey};
    use clap::Parser;

    const NOW: u64 = 1_750_000_000;

    #[derive(Debug, Parser)]
    struct T {
        #[command(subcommand)]
        cmd: ResourceCmd,
    }

    fn parse(line: &str) -> Result<ResourceCmd, clap::Error> {
        parse_words::<T>("resource", line).map(|t| t.cmd)
    }

    const BASE: &str = "--key clinic --kind legal-aid --area 9q8yy --lang en --name Legal_clinic";

    fn send(extra: &str) -> SendArgs {
        match parse(&format!("send {BASE} {extra}")).unwrap() {
            ResourceCmd::Send(a) => *a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn resource_from_args() {
        let a = send(
            "--description Free_consultations --hours Mon-Fri_9-5 \
             --lang es --name Clínica_legal --description Consultas_gratis --hours lun-vie_9-5 \
             --speaks es,en --free --walk-in --phone 415-555-0100",
        );
        let (r, ttl) = build_resource(&a, NOW).unwrap();
        assert_eq!(ttl, 90 * 86_400);
        assert_eq!(r.resource_key, "clinic");
        assert_eq!(r.kind, ResourceKind::LegalAid);
        assert_eq!(r.info.len(), 2);
        assert_eq!(r.info[0].name, "Legal clinic");
        assert_eq!(r.info[1].name, "Clínica legal");
        assert_eq!(r.info[1].hours, "lun-vie 9-5");
        assert_eq!(r.languages_spoken, ["es", "en"]);
        assert!(r.free && r.walk_in && !r.confidential && !r.no_id_required);
        assert_eq!(r.phone.as_deref(), Some("415-555-0100"));
        // `update` is the same command.
        assert!(matches!(
            parse(&format!("update {BASE}")).unwrap(),
            ResourceCmd::Send(_)
        ));
    }

    #[test]
    fn resource_errors() {
        let e = |extra: &str| build_resource(&send(extra), NOW).unwrap_err().to_string();
        assert!(e("--expires 401d").contains("400 days"));
        assert!(e("--lang es").contains("2 --lang but 1 --name"));
        assert!(e("--speaks spanish!").contains("--speaks"));
        assert!(e("--starts-at 1750000100 --ends-at 1750000000").contains("before"));
        assert!(e("--lang EN --name x").contains("twice"));
        assert!(e("--lang es --name _").contains("--name is empty"));
        assert!(parse("send --key k --kind church --lang en --name x --area 9q8yy").is_err());
        assert!(build_resource(&send("--expires 400d"), NOW).is_ok());
    }

    #[test]
    fn opening_hours_from_args() {
        let a = send("--open mon-fri_09:00-17:00 --open sat_10:00-14:00 --tz Europe/Madrid");
        let (r, _) = build_resource(&a, NOW).unwrap();
        let h = aviso_protocol::hours::Hours::of(&r).expect("structured hours");
        assert_eq!(h.spans.len(), 2);
        assert_eq!(h.tz, "Europe/Madrid");
        assert_eq!(r.info[0].lang, "en", "the words stay first");
        let e = |extra: &str| format!("{:#}", build_resource(&send(extra), NOW).unwrap_err());
        assert!(e("--open mon-fri_9-5 --tz Europe/Madrid").contains("HH:MM"));
        assert!(e("--open monday_09:00-17:00 --tz Europe/Madrid").contains("not a day"));
        assert!(e("--open mon_09:00-17:00 --tz Mars/Base").contains("unknown time zone"));
        assert!(parse(&format!("send {BASE} --open mon_09:00-17:00")).is_err());
        assert!(parse(&format!("send {BASE} --tz Europe/Madrid")).is_err());
    }

    #[test]
    fn every_kind_name_parses() {
        for n in crate::args::KIND_NAMES {
            assert!(crate::args::enum_value::<ResourceKind>(n).is_some(), "{n}");
            let args = [
                "resource", "send", "--key", "k", "--kind", n, "--lang", "en",
            ];
            let args = args.into_iter().chain(["--name", "x", "--area", "9q8yy"]);
            assert!(T::try_parse_from(args).is_ok(), "{n}");
        }
    }

    #[test]
    fn list_filters_and_relang() {
        let (res, _) = build_resource(&send("--lang es --name Clínica_legal"), NOW).unwrap();
        let item = ResourceItem {
            id: Id([1; 32]),
            author: PublicKey([2; 32]),
            author_label: None,
            created_at: NOW,
            expires_at: NOW + 1000,
            text: res.info.first().cloned(),
            resource: res,
            shown: true,
            reasons: vec![],
        };
        let cell = Area::parse("9q8").unwrap();
        let out = filter(vec![item.clone()], None, Some(&cell), Some("es-MX"));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].text.as_ref().unwrap().name, "Clínica legal");
        let other = Area::parse("dr5").unwrap();
        assert!(filter(vec![item.clone()], None, Some(&other), None).is_empty());
        assert!(filter(vec![item], Some(ResourceKind::Food), None, None).is_empty());
    }
}
