//! `aviso cap import | export`: OASIS Common Alerting Protocol 1.2 in and out.
//!
//! Import turns an official CAP message into an alert draft for the organizer to review,
//! printed as an alert file (what `aviso alert send --file` reads), or signs and sends it
//! at once with `--send`. Export prints a stored alert as CAP 1.2 XML in every language it
//! has. The field-by-field mapping is in docs/cap-mapping.md; the work is done by the
//! `aviso-cap` crate, this module only reads, fetches, prints and sends.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use aviso_cap::import::{DEFAULT_PRECISION, Draft, complete_from_references};
use aviso_cap::parse::MAX_INPUT_BYTES;
use aviso_cap::review::{self, expired_value};
use aviso_cap::{ImportOptions, KnownAlert, SignedAlert, export_xml};
use aviso_node::alert_draft::AlertFile;
use aviso_protocol::{Alert, Body, Id};
use clap::{Args, Subcommand};

use crate::api_client::{Api, fetch_envelope, resolve_id};
use crate::args::Globals;
use crate::args::{duration_of, human_secs, parse_areas};
use crate::sign::send_body;
/// What import prints, shown by `aviso cap import --help`.
const IMPORT_HELP: &str = "\
OUTPUT
  Without --send, the draft is printed as an alert file (TOML, the format of
  `aviso alert send --file`), headed by comments that say where it came from and what was
  changed or dropped. Save it, review it, then send it:

    aviso cap import warning.xml > draft.toml
    aviso alert send --file draft.toml

  A message that has already expired gives a draft whose `expires` says so, and
  `alert send` refuses it until you replace that with a duration (or import again with
  --expires).

  With --json, one JSON object: the alert (with its message type and references), its
  life, the source message and the warnings.

MAPPING
  The file may be UTF-8, UTF-16 with a byte-order mark, or any encoding its XML
  declaration names (ISO-8859-1, Windows-1252, ...). Each <info> becomes a language block
  (CAP's default language is en-US); the category, urgency, severity and certainty come
  from the first block. Geohash geocodes are taken as they are; polygons and circles
  (also across the antimeridian) become the smallest set of cells covering them at
  --precision, coarser when more than 64 cells would be needed; other region codes (SAME,
  UGC, ...) are not used, and the draft says so. An Update of messages
  that are not Aviso alerts becomes a new alert unless --references says which Aviso
  alert it updates; an Update whose response is AllClear is an all-clear. The source
  agency is added to each description. See docs/cap-mapping.md.";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CapCmd {
    /// Turn a CAP 1.2 message into an alert draft to review, or sign and send it (--send).
    #[command(after_long_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Print a stored alert as CAP 1.2 XML, in every language it has.
    Export(ExportArgs),
}

/// Options of `cap import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CAP XML file, or - for standard input.
    pub file: PathBuf,
    /// Geohash precision for the message's polygons and circles: 3 (cells of about
    /// 156 km) to 6 (about 1.2 km).
    #[arg(long, default_value_t = DEFAULT_PRECISION as u8,
          value_parser = clap::value_parser!(u8).range(3..=6))]
    pub precision: u8,
    /// How long the alert is shown (30m, 6h, 2d; at most 30d), instead of the message's
    /// <expires>.
    #[arg(long, value_name = "DURATION")]
    pub expires: Option<String>,
    /// Area cells to use instead of the message's areas (repeat it; needed when the
    /// message names its areas only by county or region codes).
    #[arg(long = "area", value_name = "CELL")]
    pub areas: Vec<String>,
    /// The Aviso alert this message updates, cancels or ends (repeat it): CAP references
    /// to messages from outside Aviso cannot be resolved by themselves.
    #[arg(long = "references", visible_alias = "reference", value_name = "ID")]
    pub references: Vec<String>,
    /// Sign and send the alert now, instead of printing the draft.
    #[arg(long)]
    pub send: bool,
}

/// Options of `cap export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The alert: its id, or the first characters shown by `aviso feed`.
    pub id: String,
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &CapCmd) -> Result<()> {
    match c {
        CapCmd::Import(a) => import(cli, a).await,
        CapCmd::Export(a) => export(cli, a).await,
    }
}

/// Read at most one byte more than the parser accepts, so a huge input costs nothing.
fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    if path == Path::new("-") {
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        std::fs::File::open(path)
            .with_context(|| format!("cannot open {}", path.display()))?
            .take(limit)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    if bytes.len() > MAX_INPUT_BYTES {
        bail!(
            "{} is larger than {MAX_INPUT_BYTES} bytes: not a CAP message this reads",
            path.display()
        );
    }
    Ok(bytes)
}

async fn import(cli: &Globals, a: &ImportArgs) -> Result<()> {
    let bytes = read_limited(&a.file)?;
    let cap = aviso_cap::parse_bytes(&bytes)
        .with_context(|| format!("cannot read {} as CAP", a.file.display()))?;
    let now = aviso_node::unix_now();
    let mut opts = ImportOptions::new(now);
    opts.precision = usize::from(a.precision);
    opts.expires_in = a
        .expires
        .as_deref()
        .map(|s| duration_of("--expires", s))
        .transpose()?;
    if !a.areas.is_empty() {
        opts.areas = parse_areas(&a.areas)?;
    }
    let mut api: Option<Api> = None;
    for r in &a.references {
        let id = match Id::from_hex(r.trim()) {
            Ok(id) => id,
            Err(_) => {
                if api.is_none() {
                    api = Some(Api::connect(&cli.home_dir()).context(
                        "a short --references id is looked up on the node; give all 64 hex characters otherwise",
                    )?);
                }
                let conn = api.as_ref().expect("connected just above");
                resolve_id(conn, r).await?
            }
        };
        opts.references.push(id);
    }
    let mut draft = aviso_cap::import(&cap, &opts)?;
    let referenced = referenced_alerts(cli, &draft.alert.references).await;
    if complete_from_references(&mut draft, &referenced, !cap.infos.is_empty(), now) {
        eprintln!("note: area cells taken from the alert(s) it refers to");
    }

    for w in &draft.warnings {
        eprintln!("warning: {w}");
    }
    if a.send {
        return send(cli, draft).await;
    }
    if cli.json {
        return crate::output::json(&aviso_cap::JsonDraft::new(&draft));
    }
    print!("{}", alert_file(&draft)?);
    eprintln!("{}", review::next_step(&draft));
    Ok(())
}

/// The referenced alerts this node holds (none when it is not running).
async fn referenced_alerts(cli: &Globals, ids: &[Id]) -> Vec<(Id, Alert, u64)> {
    let mut out = Vec::new();
    if ids.is_empty() {
        return out;
    }
    let Ok(api) = Api::connect(&cli.home_dir()) else {
        return out;
    };
    for id in ids {
        if let Ok(env) = fetch_envelope(&api, id).await
            && let Body::Alert(alert) = env.body()
        {
            out.push((*id, alert.clone(), env.expires_at()));
        }
    }
    out
}

async fn send(cli: &Globals, draft: Draft) -> Result<()> {
    let what = draft.sendable()?;
    send_body(cli, what, Body::Alert(draft.alert), draft.ttl_secs).await
}

/// The draft as a commented alert file.
fn alert_file(d: &Draft) -> Result<String> {
    let life = human_secs(d.ttl_secs);
    let expires = d.expired_at().map_or(life.clone(), |at| expired_value(&at));
    let body = AlertFile::from_alert(&d.alert, expires).to_toml()?;
    Ok(format!("{}\n{body}", review::header(d, &life)))
}

// ---- export ----

async fn export(cli: &Globals, a: &ExportArgs) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let id = resolve_id(&api, &a.id).await?;
    let env = fetch_envelope(&api, &id).await?;
    env.verify()
        .map_err(|e| anyhow!("envelope {} has a bad signature: {e}", id.short()))?;
    let signed = SignedAlert::from_envelope(&env)?;
    let mut known = Vec::new();
    for r in &signed.alert.references {
        match fetch_envelope(&api, r).await {
            Ok(e) => known.push(KnownAlert {
                id: *r,
                author: e.author(),
                created_at: e.created_at(),
            }),
            Err(_) => eprintln!(
                "note: alert {} it refers to is not on this node: named in <note>, not in <references>",
                r.short()
            ),
        }
    }
    let xml = export_xml(&signed, &known)?;
    if cli.json {
        return crate::output::json(&serde_json::json!({ "id": id, "xml": xml }));
    }
    print!("{xml}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::alert::{self, finish};
    use aviso_protocol::{Area, MsgType};

    const SAMPLE: &str =
        include_str!("../../../cap/tests/data/spec-shaped/a4-child-abduction-bilingual.xml");

    #[test]
    fn the_printed_draft_is_an_alert_file_that_alert_send_reads() {
        let cap = aviso_cap::parse(SAMPLE).unwrap();
        let now = cap.sent.unix + 60;
        let mut opts = ImportOptions::new(now);
        opts.areas = vec![Area::parse("9q5").unwrap()];
        let draft = aviso_cap::import(&cap, &opts).unwrap();
        let text = alert_file(&draft).unwrap();
        assert!(
            text.starts_with("# Alert draft from CAP message ECPD-AMBER-20240915-2005\n"),
            "{text}"
        );
        let back = alert::Draft::from_file_text(&text, Path::new("draft.toml"), now).unwrap();
        let (alert, ttl) = finish(back, MsgType::Alert, vec![], vec![]).unwrap();
        assert_eq!(alert, draft.alert);
        assert_eq!(ttl, draft.ttl_secs);
    }

    #[test]
    fn an_expired_message_gives_a_draft_that_alert_send_refuses() {
        let xml = include_str!("../../../cap/tests/data/spec-shaped/a2-thunderstorm-warning.xml");
        let cap = aviso_cap::parse(xml).unwrap();
        let now = cap.sent.unix + 2 * 86_400; // it expired after an hour
        let draft = aviso_cap::import(&cap, &ImportOptions::new(now)).unwrap();
        assert!(draft.expired);
        let text = alert_file(&draft).unwrap();
        assert!(
            text.contains("the message EXPIRED at 2024-05-21T17:45:00-06:00"),
            "{text}"
        );
        // Saved and sent as it is, the draft is refused, saying why.
        let e = alert::Draft::from_file_text(&text, Path::new("draft.toml"), now).unwrap_err();
        let e = format!("{e:#}");
        assert!(
            e.contains("EXPIRED at 2024-05-21T17:45:00-06:00")
                && e.contains("only if the alert is still relevant"),
            "{e}"
        );
        assert!(
            review::next_step(&draft).contains("expired"),
            "{}",
            review::next_step(&draft)
        );
        // Once the organizer writes a life, it sends.
        let fixed = text.replace(&expired_value("2024-05-21T17:45:00-06:00"), "3h");
        assert_ne!(fixed, text);
        let back = alert::Draft::from_file_text(&fixed, Path::new("draft.toml"), now).unwrap();
        let (_, ttl) = finish(back, MsgType::Alert, vec![], vec![]).unwrap();
        assert_eq!(ttl, 3 * 3600);
        // Given --expires at import, the draft is an ordinary one.
        let mut opts = ImportOptions::new(now);
        opts.expires_in = Some(3600);
        let draft = aviso_cap::import(&cap, &opts).unwrap();
        let text = alert_file(&draft).unwrap();
        assert!(text.contains("expires = \"1h\""), "{text}");
    }

    #[test]
    fn warnings_are_shown_whole_in_the_draft() {
        // Two contacts, one per language, are quoted in full in the header.
        let cap = aviso_cap::parse(SAMPLE).unwrap();
        let mut opts = ImportOptions::new(cap.sent.unix + 60);
        opts.areas = vec![Area::parse("9q5").unwrap()];
        let draft = aviso_cap::import(&cap, &opts).unwrap();
        let text = alert_file(&draft).unwrap();
        assert!(
            text.contains(
                "unidad de personas desaparecidas, 555-0142\"; add it to the description"
            ),
            "{text}"
        );
    }
}
