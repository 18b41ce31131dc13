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
use aviso_cap::{CapTime, ImportOptions, KnownAlert, SignedAlert, Warning, export_xml};
use aviso_protocol::{Alert, Area, Body, Id, MsgType};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::api_client::{Api, fetch_envelope, resolve_id};
use crate::args::Globals;
use crate::args::alert::{AlertFile, FileInfo, TimeValue};
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
        return crate::output::json(&JsonDraft::new(&draft));
    }
    print!("{}", alert_file(&draft)?);
    eprintln!("{}", next_step(&draft));
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

/// When the message had already expired (and no `--expires` was given), its expiry.
fn expired_at(draft: &Draft) -> Option<String> {
    if !draft.expired {
        return None;
    }
    Some(
        draft
            .warnings
            .iter()
            .find_map(|w| match w {
                Warning::Expired { at } => Some(at.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "an earlier time".into()),
    )
}

async fn send(cli: &Globals, draft: Draft) -> Result<()> {
    // With --expires the draft is not flagged: the organizer gave it a life.
    if let Some(at) = expired_at(&draft) {
        bail!(
            "the message expired at {at}: not sent; give --expires DURATION if it is still relevant"
        );
    }
    let alert = draft.alert;
    if alert.areas.is_empty() {
        bail!(
            "the alert has no area cells (the message gives no polygon, circle or geohash): \
             give --area CELL, e.g. --area 9q8yy"
        );
    }
    if matches!(alert.msg_type, MsgType::Cancel | MsgType::AllClear) && alert.references.is_empty()
    {
        bail!(
            "this {} refers to CAP messages that are not Aviso alerts: give --references ID \
             for the Aviso alert it applies to",
            if alert.msg_type == MsgType::Cancel {
                "cancel"
            } else {
                "all-clear"
            }
        );
    }
    let what = match alert.msg_type {
        MsgType::Alert => "alert",
        MsgType::Update => "update",
        MsgType::Cancel => "cancel",
        MsgType::AllClear => "all-clear",
    };
    send_body(cli, what, Body::Alert(alert), draft.ttl_secs).await
}

// ---- the draft as an alert file ----

/// The `expires` of the draft of a message that had already expired: not a duration, so
/// `aviso alert send --file` refuses the draft, quoting it, as `--send` refuses the
/// message, until the organizer writes a life in its place.
fn expired_value(at: &str) -> String {
    format!(
        "EXPIRED at {at}: replace this with a duration such as 6h only if the alert is still relevant"
    )
}

/// The draft as a commented alert file.
fn alert_file(d: &Draft) -> Result<String> {
    let a = &d.alert;
    let expired = expired_at(d);
    let file = AlertFile {
        category: Some(a.category),
        severity: Some(a.severity),
        urgency: Some(a.urgency),
        certainty: Some(a.certainty),
        status: Some(a.status),
        areas: Some(a.areas.iter().map(Area::to_string).collect()),
        place: a.area_desc.clone(),
        onset: a.onset.map(TimeValue::Unix),
        expires: Some(match &expired {
            Some(at) => expired_value(at),
            None => human_secs(d.ttl_secs),
        }),
        confirms: None,
        info: Some(
            a.info
                .iter()
                .map(|i| FileInfo {
                    lang: i.lang.clone(),
                    headline: i.headline.clone(),
                    description: i.description.clone(),
                    instruction: i.instruction.clone(),
                })
                .collect(),
        ),
    };
    let body = toml::to_string_pretty(&file).context("cannot write the alert file")?;
    let mut out = String::new();
    let s = &d.source;
    out.push_str(&format!(
        "# Alert draft from CAP message {}\n#   sender {}, sent {}\n",
        comment(&s.identifier),
        comment(&s.sender),
        s.sent
    ));
    match &expired {
        Some(at) => out.push_str(&format!(
            "#   {}; the message EXPIRED at {}: this draft is refused until `expires` says how \
             long the alert is still relevant\n",
            describe_type(a),
            comment(at)
        )),
        None => out.push_str(&format!(
            "#   {}; expires {} ({} from now)\n",
            describe_type(a),
            CapTime::utc(d.expires_at),
            human_secs(d.ttl_secs)
        )),
    }
    for r in &d.unresolved_references {
        out.push_str(&format!(
            "#   refers to CAP message {} from {} (not an Aviso alert)\n",
            comment(&r.identifier),
            comment(&r.sender)
        ));
    }
    for w in &d.warnings {
        out.push_str(&format!(
            "# warning: {}\n",
            comment_long(&w.to_string(), MAX_WARNING_CHARS)
        ));
    }
    out.push('\n');
    out.push_str(&body);
    Ok(out)
}

/// Most characters of a warning in the draft's header: warnings quote what the message
/// said (a contact in every language), which must not be cut off.
const MAX_WARNING_CHARS: usize = 1200;

/// Text safe inside a one-line TOML comment.
fn comment(s: &str) -> String {
    comment_long(s, 200)
}

/// Text safe inside a one-line TOML comment, at most `max` characters.
fn comment_long(s: &str, max: usize) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(max)
        .collect()
}

fn describe_type(a: &Alert) -> String {
    let ids = || {
        a.references
            .iter()
            .map(Id::short)
            .collect::<Vec<_>>()
            .join(", ")
    };
    match a.msg_type {
        MsgType::Alert => "a new alert".into(),
        MsgType::Update => format!("an update of {}", ids()),
        MsgType::Cancel if a.references.is_empty() => "a cancel (of no Aviso alert yet)".into(),
        MsgType::Cancel => format!("a cancel of {}", ids()),
        MsgType::AllClear if a.references.is_empty() => {
            "an all-clear (of no Aviso alert yet)".into()
        }
        MsgType::AllClear => format!("an all-clear of {}", ids()),
    }
}

/// What to run once the draft is reviewed.
fn next_step(d: &Draft) -> String {
    if let Some(at) = expired_at(d) {
        return format!(
            "the message expired at {at}: the draft is refused until you set its `expires` \
             (or run this import again with --expires DURATION) if it is still relevant"
        );
    }
    let a = &d.alert;
    let first = a
        .references
        .first()
        .map(|r| r.short())
        .unwrap_or_else(|| "ID".into());
    match a.msg_type {
        MsgType::Alert => {
            "review the draft, save it (e.g. > draft.toml), then: aviso alert send --file draft.toml"
                .into()
        }
        MsgType::Update => format!(
            "review the draft, save it (e.g. > draft.toml), then: aviso alert update {first} --file draft.toml"
        ),
        MsgType::Cancel => format!(
            "to send it: aviso alert cancel {first} (or this import again with --references ID --send)"
        ),
        MsgType::AllClear => format!(
            "to send it: aviso alert all-clear {first} (or this import again with --references ID --send)"
        ),
    }
}

/// The draft for programs.
#[derive(Debug, Serialize)]
struct JsonDraft<'a> {
    alert: &'a Alert,
    expires_in_secs: u64,
    expires_at: u64,
    expired: bool,
    source: JsonSource<'a>,
    unresolved_references: Vec<JsonReference<'a>>,
    warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
struct JsonSource<'a> {
    identifier: &'a str,
    sender: &'a str,
    sent: String,
    from_aviso: bool,
}

#[derive(Debug, Serialize)]
struct JsonReference<'a> {
    sender: &'a str,
    identifier: &'a str,
    sent: &'a str,
}

impl<'a> JsonDraft<'a> {
    fn new(d: &'a Draft) -> Self {
        JsonDraft {
            alert: &d.alert,
            expires_in_secs: d.ttl_secs,
            expires_at: d.expires_at,
            expired: d.expired,
            source: JsonSource {
                identifier: &d.source.identifier,
                sender: &d.source.sender,
                sent: d.source.sent.to_string(),
                from_aviso: d.source.from_aviso,
            },
            unresolved_references: d
                .unresolved_references
                .iter()
                .map(|r| JsonReference {
                    sender: &r.sender,
                    identifier: &r.identifier,
                    sent: &r.sent,
                })
                .collect(),
            warnings: d.warnings.iter().map(ToString::to_string).collect(),
        }
    }
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
    use crate::args::alert;

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
        let (alert, ttl) = alert::finish(back, MsgType::Alert, vec![], vec![]).unwrap();
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
            next_step(&draft).contains("expired"),
            "{}",
            next_step(&draft)
        );
        // Once the organizer writes a life, it sends.
        let fixed = text.replace(&expired_value("2024-05-21T17:45:00-06:00"), "3h");
        assert_ne!(fixed, text);
        let back = alert::Draft::from_file_text(&fixed, Path::new("draft.toml"), now).unwrap();
        let (_, ttl) = alert::finish(back, MsgType::Alert, vec![], vec![]).unwrap();
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
