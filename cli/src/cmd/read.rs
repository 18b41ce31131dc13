//! `aviso status | peers | sync | feed | watch`: what the node is doing and what the member
//! sees.
//!
//! The feed is computed by the node (the display rule lives in the protocol crate); this
//! module only renders it. Trusted alerts come first; unverified reports are always set
//! apart and labelled; exercises and tests are labelled on every line they appear.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::feed::FeedReply;
use aviso_protocol::feed::{AlertItem, ReportItem, ReportState, ResourceItem};
use aviso_protocol::lang::{choose_lang, validate_lang};
use aviso_protocol::{Feed, MsgType, PublicKey, ResourceKind, Severity, Status};
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::Cli;
use crate::api_client::Api;
use crate::cmd::alert::enum_name;
use crate::cmd::publish;
use crate::cmd::report::one_line;
use crate::cmd::resource::relang_resource;
use crate::output::{self, Style, clean, single_line};

/// Options of `aviso feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Also hidden items (expired, cancelled, replaced, untrusted ...), with the reasons.
    #[arg(long)]
    pub all: bool,
    /// Show texts in this language when a message has it (overrides your preference for
    /// this call).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
}

/// Options of `aviso watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Also show a desktop notification for each new item (when `notify-send` is installed).
    #[arg(long)]
    pub notify: bool,
}

// ---- status, peers, sync ----

/// `GET /v1/status`, the fields shown.
#[derive(Debug, Deserialize)]
struct StatusReply {
    #[serde(default)]
    version: String,
    peer_id: String,
    #[serde(default)]
    listen_addrs: Vec<String>,
    #[serde(default)]
    peers: usize,
    store: StoreReply,
    #[serde(default)]
    uptime_secs: u64,
    community: Option<CommunityReply>,
    #[serde(default)]
    reachability: Option<ReachReply>,
}

#[derive(Debug, Deserialize)]
struct ReachReply {
    summary: String,
}

#[derive(Debug, Deserialize)]
struct StoreReply {
    total: u64,
    #[serde(default)]
    by_kind: BTreeMap<String, u64>,
}

#[derive(Debug, Deserialize)]
struct CommunityReply {
    id: String,
    name: String,
    #[serde(default)]
    roots: Vec<String>,
}

/// `GET /v1/peers`.
#[derive(Debug, Deserialize)]
struct PeersReply {
    peers: Vec<PeerReply>,
}

#[derive(Debug, Deserialize)]
struct PeerReply {
    peer_id: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    in_mesh: bool,
    score: Option<f64>,
    rtt_ms: Option<u64>,
    last_sync: Option<SyncReply>,
    #[serde(default)]
    connection: String,
}

#[derive(Debug, Deserialize)]
struct SyncReply {
    at: u64,
    #[serde(default)]
    rounds: u32,
    #[serde(default)]
    bytes_received: u64,
    #[serde(default)]
    missing: u64,
    #[serde(default)]
    accepted: u64,
    #[serde(default)]
    rejected: u64,
    error: Option<String>,
}

/// `aviso status`.
pub async fn status(cli: &Cli) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let status: serde_json::Value = api.get("/v1/status").await?;
    let peers: serde_json::Value = api.get("/v1/peers").await?;
    if cli.json {
        return output::json(&serde_json::json!({ "status": status, "peers": peers["peers"] }));
    }
    let s: StatusReply =
        serde_json::from_value(status).context("unexpected status from the node")?;
    let p: PeersReply = serde_json::from_value(peers).context("unexpected peers from the node")?;
    print!(
        "{}",
        render_status(&s, &p.peers, publish::now(), Style::stdout())
    );
    Ok(())
}

fn render_status(s: &StatusReply, peers: &[PeerReply], now: u64, st: Style) -> String {
    let mut o = String::new();
    let label = |o: &mut String, l: &str| o.push_str(&st.bold(&format!("{l:<11}")));
    label(&mut o, "node");
    o.push_str(&format!(
        "{}  (aviso {}, up {})\n",
        s.peer_id,
        s.version,
        span(s.uptime_secs)
    ));
    label(&mut o, "community");
    match &s.community {
        Some(c) => o.push_str(&format!(
            "{}  id {}  ({} root{})\n",
            c.name,
            c.id.get(..12).unwrap_or(&c.id),
            c.roots.len(),
            if c.roots.len() == 1 { "" } else { "s" }
        )),
        None => o.push_str("none (run `aviso community create` or `aviso community join`)\n"),
    }
    label(&mut o, "listening");
    if s.listen_addrs.is_empty() {
        o.push_str("no addresses yet\n");
    }
    for (i, a) in s.listen_addrs.iter().enumerate() {
        if i > 0 {
            o.push_str(&" ".repeat(11));
        }
        o.push_str(a);
        o.push('\n');
    }
    if let Some(r) = &s.reachability {
        label(&mut o, "reach");
        o.push_str(&r.summary);
        o.push('\n');
    }
    label(&mut o, "peers");
    o.push_str(&format!("{} connected\n", s.peers));
    label(&mut o, "stored");
    let kinds: Vec<String> = s
        .store
        .by_kind
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    o.push_str(&format!(
        "{} envelope{}",
        s.store.total,
        if s.store.total == 1 { "" } else { "s" }
    ));
    if !kinds.is_empty() {
        o.push_str(&format!(" ({})", kinds.join(", ")));
    }
    o.push('\n');
    if !peers.is_empty() {
        label(&mut o, "last sync");
        o.push('\n');
        for p in peers {
            o.push_str(&format!("  {}  {}\n", p.peer_id, sync_summary(p, now, st)));
        }
    }
    o
}

fn sync_summary(p: &PeerReply, now: u64, st: Style) -> String {
    match &p.last_sync {
        None => st.dim("not yet"),
        Some(s) => {
            let mut t = format!(
                "{}: brought {} envelope{} ({} missing, {} in {} round{})",
                rel(s.at, now),
                s.accepted,
                if s.accepted == 1 { "" } else { "s" },
                s.missing,
                human_bytes(s.bytes_received),
                s.rounds,
                if s.rounds == 1 { "" } else { "s" },
            );
            if s.rejected > 0 {
                t.push_str(&st.yellow(&format!(", {} refused", s.rejected)));
            }
            if let Some(e) = &s.error {
                t.push_str(&st.yellow(&format!(", ended early: {e}")));
            }
            t
        }
    }
}

/// `aviso peers`.
pub async fn peers(cli: &Cli) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let v: serde_json::Value = api.get("/v1/peers").await?;
    if cli.json {
        return output::json(&v);
    }
    let p: PeersReply = serde_json::from_value(v).context("unexpected peers from the node")?;
    print!(
        "{}",
        render_peers(&p.peers, publish::now(), Style::stdout())
    );
    Ok(())
}

fn render_peers(peers: &[PeerReply], now: u64, st: Style) -> String {
    if peers.is_empty() {
        return "no peers connected (the node keeps trying its bootstrap peers and the local network)\n".into();
    }
    let rows: Vec<Vec<Cell>> = peers
        .iter()
        .map(|p| {
            let score = p
                .score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "-".into());
            let rtt = p
                .rtt_ms
                .map(|r| format!("{r} ms"))
                .unwrap_or_else(|| "-".into());
            let last = match &p.last_sync {
                None => "-".into(),
                Some(s) => format!("{} (+{})", rel(s.at, now), s.accepted),
            };
            let mesh = if p.in_mesh { "yes" } else { "no" };
            vec![
                p.peer_id.clone().into(),
                p.address.clone().into(),
                p.connection.clone().into(),
                mesh.to_owned().into(),
                score.into(),
                rtt.into(),
                last.into(),
            ]
        })
        .collect();
    let header = [
        "PEER ID",
        "ADDRESS",
        "LINK",
        "MESH",
        "SCORE",
        "RTT",
        "LAST SYNC",
    ];
    let mut o = table(st, &header, &rows).join("\n");
    o.push('\n');
    o
}

/// `aviso sync`.
pub async fn sync(cli: &Cli) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let v: serde_json::Value = api.post("/v1/sync", &serde_json::json!({})).await?;
    if cli.json {
        return output::json(&v);
    }
    match v["started"].as_u64() {
        Some(0) => println!("no peers connected: nothing to catch up with"),
        Some(n) => println!(
            "started {n} catch-up session{}; `aviso status` shows what they brought",
            if n == 1 { "" } else { "s" }
        ),
        None => bail!("unexpected answer from the node: {v}"),
    }
    Ok(())
}

// ---- feed ----

/// `aviso feed`.
pub async fn feed(cli: &Cli, a: &FeedArgs) -> Result<()> {
    if let Some(l) = &a.lang {
        validate_lang(l).context("--lang")?;
    }
    let api = Api::connect(&cli.home_dir())?;
    let path = if a.all {
        "/v1/feed?all=true"
    } else {
        "/v1/feed"
    };
    // Typed, so `--json` keeps the API's field order with or without --lang.
    let mut reply: FeedReply = api.get(path).await?;
    if let Some(l) = &a.lang {
        relang_feed(&mut reply.feed, l);
    }
    if cli.json {
        return output::json(&reply);
    }
    let st = Style::stdout();
    print!("{}", render_feed(&reply.feed, publish::now(), st, a.all));
    if reply.next.is_some() {
        // The node sends the newest page of reports only.
        let all = if a.all { " --all" } else { "" };
        println!(
            "{}",
            st.dim(&format!(
                "(the newest reports only: `aviso report list{all} --limit 500` shows more)"
            ))
        );
    }
    Ok(())
}

/// Choose every text block again for a member who reads `lang`.
pub(crate) fn relang_feed(feed: &mut Feed, lang: &str) {
    for a in &mut feed.alerts {
        let langs: Vec<&str> = a.alert.info.iter().map(|i| i.lang.as_str()).collect();
        a.text = choose_lang(&[lang], &langs).and_then(|k| a.alert.info.get(k).cloned());
    }
    for r in &mut feed.resources {
        r.text = relang_resource(&r.resource, lang);
    }
}

/// The whole feed for people: trusted alerts, then unverified reports apart, then
/// resources. With `all`, hidden items follow the shown ones of each section.
pub(crate) fn render_feed(feed: &Feed, now: u64, st: Style, all: bool) -> String {
    let mut o = String::new();
    let shown = feed.alerts.iter().filter(|a| a.shown).count();
    o.push_str(&st.bold(&format!("ALERTS ({shown})")));
    o.push('\n');
    if feed.alerts.is_empty() {
        o.push_str(&st.dim("  no alerts right now"));
        o.push('\n');
    }
    // The node's order (shown first, then by severity, newest first), except that real
    // alerts come before exercises and tests.
    let mut alerts: Vec<&AlertItem> = feed.alerts.iter().collect();
    alerts.sort_by_key(|a| (!a.shown, a.alert.status != Status::Actual));
    for a in alerts {
        o.push('\n');
        o.push_str(&render_alert(a, now, st));
    }
    if !feed.reports.is_empty() {
        o.push('\n');
        let state = |s: fn(&ReportState) -> bool| {
            feed.reports
                .iter()
                .filter(|r| r.shown && s(&r.state))
                .count()
        };
        let n = state(|s| *s == ReportState::Unverified);
        let confirmed = state(|s| matches!(s, ReportState::Confirmed { .. }));
        o.push_str(&st.yellow(&st.bold(&format!(
            "UNVERIFIED REPORTS ({n}): sightings by members, not confirmed by organizers"
        ))));
        if confirmed > 0 {
            o.push_str(&st.dim(&format!(" · {confirmed} more confirmed by an alert")));
        }
        o.push('\n');
        for r in &feed.reports {
            o.push('\n');
            o.push_str(&render_report(r, now, st));
        }
    }
    if !feed.resources.is_empty() {
        o.push('\n');
        let n = feed.resources.iter().filter(|r| r.shown).count();
        o.push_str(&st.bold(&format!("RESOURCES ({n})")));
        o.push('\n');
        for r in &feed.resources {
            o.push('\n');
            o.push_str(&render_resource(r, now, st));
        }
    }
    if !all {
        o.push('\n');
        o.push_str(&st.dim("(`aviso feed --all` also shows hidden items and why)"));
        o.push('\n');
    }
    o
}

/// `[EXERCISE]`-style label for anything that is not a real alert.
fn status_label(s: Status, st: Style) -> Option<String> {
    match s {
        Status::Actual => None,
        Status::Exercise => Some(st.yellow(&st.bold("[EXERCISE, not real]"))),
        Status::Test => Some(st.yellow(&st.bold("[TEST, not real]"))),
    }
}

fn severity_label(s: Severity, st: Style) -> String {
    let name = enum_name(&s).to_uppercase();
    match s {
        Severity::Extreme | Severity::Severe => st.red(&name),
        Severity::Moderate => st.yellow(&name),
        Severity::Minor | Severity::Unknown => st.bold(&name),
    }
}

/// Who signed: their label on the member's lists, else their fingerprint.
pub(crate) fn who(label: Option<&str>, key: &PublicKey) -> String {
    match label {
        Some(l) if !l.trim().is_empty() => single_line(l),
        _ => key.fingerprint(),
    }
}

/// A report's state in words.
pub(crate) fn report_state(s: &ReportState) -> String {
    match s {
        ReportState::Unverified => "unverified".into(),
        ReportState::Confirmed { by } => format!("confirmed by alert {}", by.short()),
        ReportState::Dismissed { by, why } => {
            format!("dismissed ({}) by {}", enum_name(why), by.fingerprint())
        }
    }
}

fn indent(o: &mut String, text: &str, prefix: &str) {
    for line in clean(text).trim_end().lines() {
        o.push_str("  ");
        o.push_str(prefix);
        o.push_str(line);
        o.push('\n');
    }
}

fn cells(areas: &[aviso_protocol::Area]) -> String {
    areas
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn hidden_line(o: &mut String, shown: bool, reasons: &[aviso_protocol::Reason], st: Style) {
    if !shown {
        let r: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        o.push_str(&st.dim(&format!("  not shown: {}", r.join("; "))));
        o.push('\n');
    }
}

/// One alert, several lines.
pub(crate) fn render_alert(a: &AlertItem, now: u64, st: Style) -> String {
    let mut o = String::new();
    let al = &a.alert;
    // Labels that change how to read the alert come first, apart from the details.
    let mut labels: Vec<String> = Vec::new();
    if let Some(l) = status_label(al.status, st) {
        labels.push(l);
    }
    match al.msg_type {
        MsgType::Alert => {}
        MsgType::Update => labels.push(st.bold("UPDATE:")),
        MsgType::Cancel => labels.push(st.bold(&format!("CANCEL of {}:", refs(&al.references)))),
        MsgType::AllClear => {
            labels.push(st.green(&format!("ALL CLEAR for {}:", refs(&al.references))))
        }
    }
    labels.push(severity_label(al.severity, st));
    let mut head = vec![labels.join(" ")];
    head.push(enum_name(&al.category));
    head.push(cells(&al.areas));
    if let Some(p) = &al.area_desc {
        head.push(single_line(p));
    }
    o.push_str(&head.join(" · "));
    o.push('\n');
    match &a.text {
        Some(t) => {
            o.push_str("  ");
            o.push_str(&st.bold(&single_line(&t.headline)));
            o.push('\n');
            indent(&mut o, &t.description, "");
            if !t.instruction.trim().is_empty() {
                indent(&mut o, &t.instruction, "> ");
            }
        }
        // A cancel or all-clear need not explain itself.
        None if matches!(al.msg_type, MsgType::Cancel | MsgType::AllClear) => {}
        None => o.push_str(&st.dim("  (no text)\n")),
    }
    let mut meta: Vec<String> = Vec::new();
    if let Some(on) = al.onset {
        meta.push(if on <= now {
            format!("started {}", rel(on, now))
        } else {
            format!("starts {}", rel(on, now))
        });
    }
    meta.push(format!("sent {}", rel(a.created_at, now)));
    meta.push(expiry(a.expires_at, now));
    let mut signers = format!("signed by {}", who(a.author_label.as_deref(), &a.author));
    if !a.endorsers.is_empty() {
        let co: Vec<String> = a
            .endorsers
            .iter()
            .enumerate()
            .map(|(i, k)| who(a.endorser_labels.get(i).and_then(Option::as_deref), k))
            .collect();
        signers.push_str(&format!(", co-signed by {}", co.join(", ")));
    }
    meta.push(format!(
        "{signers} ({} of {} signatures)",
        a.signatures, a.needed
    ));
    if al.info.len() > 1 {
        let langs: Vec<&str> = al.info.iter().map(|i| i.lang.as_str()).collect();
        meta.push(format!("in {}", langs.join(", ")));
    }
    if !al.confirms.is_empty() {
        let n = al.confirms.len();
        meta.push(format!(
            "confirms {n} report{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    meta.push(format!("id {}", a.id.short()));
    o.push_str(&st.dim(&format!("  {}", meta.join(" · "))));
    o.push('\n');
    hidden_line(&mut o, a.shown, &a.reasons, st);
    o
}

fn refs(ids: &[aviso_protocol::Id]) -> String {
    ids.iter().map(|i| i.short()).collect::<Vec<_>>().join(", ")
}

fn expiry(t: u64, now: u64) -> String {
    if t <= now {
        format!("expired {}", rel(t, now))
    } else {
        format!("expires {}", rel(t, now))
    }
}

/// One report, several lines, always labelled as unverified (or how it ended).
pub(crate) fn render_report(r: &ReportItem, now: u64, st: Style) -> String {
    let mut o = String::new();
    let state = match &r.state {
        ReportState::Unverified => st.yellow("UNVERIFIED"),
        ReportState::Confirmed { by } => {
            format!("{} by alert {}", st.green("CONFIRMED"), by.short())
        }
        ReportState::Dismissed { by, why } => format!(
            "{} ({}) by {}",
            st.bold("DISMISSED"),
            enum_name(why),
            by.fingerprint()
        ),
    };
    o.push_str(&format!(
        "{state} · {} · {} · seen {}\n",
        enum_name(&r.report.category),
        cells(&r.report.areas),
        rel(r.report.seen_at, now)
    ));
    if let Some(n) = &r.report.note {
        indent(&mut o, &n.text, &format!("[{}] ", n.lang));
    }
    o.push_str(&st.dim(&format!(
        "  sent by {} · {} · {} · id {}",
        who(r.author_label.as_deref(), &r.author),
        rel(r.created_at, now),
        expiry(r.expires_at, now),
        r.id.short()
    )));
    o.push('\n');
    hidden_line(&mut o, r.shown, &r.reasons, st);
    o
}

fn kind_label(k: ResourceKind) -> String {
    enum_name(&k).replace('_', " ").to_uppercase()
}

/// One resource notice, several lines.
pub(crate) fn render_resource(r: &ResourceItem, now: u64, st: Style) -> String {
    let mut o = String::new();
    let res = &r.resource;
    let name = r
        .text
        .as_ref()
        .map(|t| t.name.as_str())
        .unwrap_or("(no name)");
    o.push_str(&format!(
        "{} · {} · {}\n",
        st.bold(&kind_label(res.kind)),
        st.bold(&single_line(name)),
        cells(&res.areas)
    ));
    if let Some(t) = &r.text {
        indent(&mut o, &t.description, "");
        if !t.hours.trim().is_empty() {
            indent(&mut o, &t.hours, "hours: ");
        }
    }
    let contact: Vec<String> = [
        res.phone
            .as_ref()
            .map(|p| format!("phone {}", single_line(p))),
        res.url.as_deref().map(single_line),
        res.address.as_deref().map(single_line),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !contact.is_empty() {
        o.push_str(&format!("  {}\n", contact.join(" · ")));
    }
    let mut flags: Vec<String> = Vec::new();
    if !res.languages_spoken.is_empty() {
        flags.push(format!("speaks {}", res.languages_spoken.join(", ")));
    }
    for (on, what) in [
        (res.free, "free"),
        (res.no_id_required, "no ID required"),
        (res.confidential, "confidential"),
        (res.walk_in, "walk-in"),
    ] {
        if on {
            flags.push(what.into());
        }
    }
    if let Some(s) = res.starts_at {
        flags.push(if s <= now {
            format!("started {}", rel(s, now))
        } else {
            format!("starts {}", rel(s, now))
        });
    }
    if let Some(e) = res.ends_at {
        flags.push(if e <= now {
            format!("ended {}", rel(e, now))
        } else {
            format!("ends {}", rel(e, now))
        });
    }
    if !flags.is_empty() {
        o.push_str(&format!("  {}\n", flags.join(" · ")));
    }
    o.push_str(&st.dim(&format!(
        "  by {} · key {} · updated {} · {} · id {}",
        who(r.author_label.as_deref(), &r.author),
        res.resource_key,
        rel(r.created_at, now),
        expiry(r.expires_at, now),
        r.id.short()
    )));
    o.push('\n');
    hidden_line(&mut o, r.shown, &r.reasons, st);
    o
}

// ---- watch ----

/// Longest time without a byte from the node before the stream counts as lost. The node
/// sends a keep-alive every 15 s.
const STREAM_SILENCE: Duration = Duration::from_secs(45);
/// How long `watch` keeps trying to reach a node that went away before giving up.
const GIVE_UP_AFTER: Duration = Duration::from_secs(60);
/// First and longest wait between reconnection attempts.
const BACKOFF_MIN: Duration = Duration::from_millis(500);
const BACKOFF_MAX: Duration = Duration::from_secs(8);
/// Largest server-sent event accepted: an item carries at most one 64 KiB envelope's
/// body as JSON, well under this.
const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;

/// One server-sent event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` name (`message` when absent).
    pub event: String,
    /// The `data:` lines, joined with newlines.
    pub data: String,
    /// The `id:` field, if any.
    pub id: Option<String>,
}

/// Splits a `text/event-stream` body, fed in arbitrary chunks, into events.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    buf: Vec<u8>,
}

impl SseParser {
    /// Take a chunk; return the events it completes. Fails when one event grows past
    /// [`MAX_EVENT_BYTES`].
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<SseEvent>> {
        self.buf.extend_from_slice(chunk);
        let mut out = Vec::new();
        while let Some((end, sep)) = blank_line(&self.buf) {
            let block: Vec<u8> = self.buf.drain(..end + sep).collect();
            if let Some(ev) = parse_block(&String::from_utf8_lossy(&block[..end])) {
                out.push(ev);
            }
        }
        if self.buf.len() > MAX_EVENT_BYTES {
            self.buf.clear();
            bail!("the node sent an event larger than {MAX_EVENT_BYTES} bytes");
        }
        Ok(out)
    }
}

/// Where the first blank line (end of an event) is: its start and its length.
fn blank_line(b: &[u8]) -> Option<(usize, usize)> {
    let lf = b.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let crlf = b.windows(4).position(|w| w == b"\r\n\r\n").map(|i| (i, 4));
    match (lf, crlf) {
        (Some(a), Some(c)) => Some(if a.0 <= c.0 { a } else { c }),
        (a, c) => a.or(c),
    }
}

fn parse_block(text: &str) -> Option<SseEvent> {
    let mut ev = SseEvent::default();
    let mut data: Vec<&str> = Vec::new();
    let mut any = false;
    for line in text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)) {
        if line.is_empty() || line.starts_with(':') {
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => ev.event = value.to_owned(),
            "data" => data.push(value),
            "id" => ev.id = Some(value.to_owned()),
            _ => continue,
        }
        any = true;
    }
    if !any {
        return None;
    }
    if ev.event.is_empty() {
        ev.event = "message".into();
    }
    // The data is JSON carrying other people's text: clean every string in it (an
    // escape is `\u001b` in the JSON text, so cleaning the text itself is not enough).
    let joined = data.join("\n");
    ev.data = match serde_json::from_str::<serde_json::Value>(&joined) {
        Ok(v) => crate::output::clean_json(v).to_string(),
        Err(_) => crate::output::clean(&joined).into_owned(),
    };
    Some(ev)
}

/// The `data` of an `item` event: `{"type": ..., "item": ...}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", content = "item", rename_all = "snake_case")]
pub(crate) enum ItemEvent {
    /// A newly shown alert.
    Alert(AlertItem),
    /// A newly shown report.
    Report(ReportItem),
    /// A newly shown resource notice.
    Resource(ResourceItem),
}

impl ItemEvent {
    fn id(&self) -> aviso_protocol::Id {
        match self {
            ItemEvent::Alert(i) => i.id,
            ItemEvent::Report(i) => i.id,
            ItemEvent::Resource(i) => i.id,
        }
    }
}

/// One line per item, for `aviso watch`.
pub(crate) fn item_line(item: &ItemEvent, now: u64, st: Style) -> String {
    match item {
        ItemEvent::Alert(a) => {
            let al = &a.alert;
            let mut parts = vec![st.bold("ALERT")];
            if let Some(l) = status_label(al.status, st) {
                parts.push(l);
            }
            if al.msg_type == MsgType::Update {
                parts.push("UPDATE".into());
            }
            parts.push(severity_label(al.severity, st));
            parts.push(enum_name(&al.category));
            parts.push(cells(&al.areas));
            let mut line = parts.join(" ");
            if let Some(t) = &a.text {
                line.push_str(&format!(" · {}", st.bold(&t.headline)));
            }
            if let Some(p) = &al.area_desc {
                line.push_str(&format!(" · {p}"));
            }
            line.push_str(&st.dim(&format!(
                " · by {} {}/{} · {} · id {}",
                who(a.author_label.as_deref(), &a.author),
                a.signatures,
                a.needed,
                expiry(a.expires_at, now),
                a.id.short()
            )));
            line
        }
        ItemEvent::Report(r) => {
            let mut line = format!(
                "{} {} {} · seen {}",
                st.yellow("REPORT (unverified)"),
                enum_name(&r.report.category),
                cells(&r.report.areas),
                rel(r.report.seen_at, now)
            );
            if let Some(n) = &r.report.note {
                line.push_str(&format!(" · [{}] {}", n.lang, one_line(&n.text, 100)));
            }
            line.push_str(&st.dim(&format!(
                " · by {} · id {}",
                who(r.author_label.as_deref(), &r.author),
                r.id.short()
            )));
            line
        }
        ItemEvent::Resource(r) => {
            let name = r
                .text
                .as_ref()
                .map(|t| t.name.as_str())
                .unwrap_or("(no name)");
            format!(
                "{} {} · {} · {}{}",
                st.bold("RESOURCE"),
                kind_label(r.resource.kind),
                name,
                cells(&r.resource.areas),
                st.dim(&format!(" · id {}", r.id.short()))
            )
        }
    }
}

/// A desktop notification's urgency, title and body.
fn notification(item: &ItemEvent) -> (&'static str, String, String) {
    match item {
        ItemEvent::Alert(a) => {
            let al = &a.alert;
            let real = al.status == Status::Actual;
            let urgency = if real && al.severity.rank() >= Severity::Severe.rank() {
                "critical"
            } else {
                "normal"
            };
            let mut title = format!(
                "Aviso: {} {}",
                enum_name(&al.severity).to_uppercase(),
                enum_name(&al.category)
            );
            if !real {
                title = format!("{title} ({}, not real)", enum_name(&al.status));
            }
            let mut body = a
                .text
                .as_ref()
                .map(|t| t.headline.clone())
                .unwrap_or_default();
            if let Some(p) = &al.area_desc {
                body.push_str(&format!("\n{p}"));
            }
            (urgency, title, body)
        }
        ItemEvent::Report(r) => (
            "low",
            format!(
                "Aviso: unverified report ({})",
                enum_name(&r.report.category)
            ),
            r.report
                .note
                .as_ref()
                .map(|n| one_line(&n.text, 200))
                .unwrap_or_else(|| cells(&r.report.areas)),
        ),
        ItemEvent::Resource(r) => (
            "low",
            format!("Aviso: {}", kind_label(r.resource.kind).to_lowercase()),
            r.text.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        ),
    }
}

/// The full path of `program` if it is on `PATH`.
fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Show a desktop notification; failures are silent (notifications are a convenience).
fn notify(program: &Path, item: &ItemEvent) {
    let (urgency, title, body) = notification(item);
    let child = std::process::Command::new(program)
        .args(["-a", "Aviso", "-u", urgency, "--", &title, &body])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reap it without blocking the stream.
        std::thread::spawn(move || child.wait());
    }
}

/// What `watch` remembers across reconnections.
struct Watch {
    json: bool,
    st: Style,
    notifier: Option<PathBuf>,
    /// Ids already printed, or shown when watching began.
    seen: HashSet<aviso_protocol::Id>,
    /// Whether an event stream was ever established.
    connected_once: bool,
}

/// Why a session ended.
enum End {
    /// Stdout is closed (e.g. piped into `head`): stop quietly.
    StdoutClosed,
    /// The stream ended or failed; `connected` tells whether it had started.
    Lost {
        connected: bool,
        error: anyhow::Error,
    },
}

impl Watch {
    /// Print `item` unless it was seen; returns false when stdout is closed.
    fn emit(&mut self, item: ItemEvent, raw: Option<&str>) -> bool {
        if !self.seen.insert(item.id()) {
            return true;
        }
        let line = if self.json {
            // One tagged shape for every line: {"event": "shown" | "withdrawn", ...}.
            let mut v = match raw.and_then(|r| serde_json::from_str(r).ok()) {
                Some(v) => v,
                None => serde_json::to_value(&item).unwrap_or_default(),
            };
            tag_event(&mut v, "shown");
            v.to_string()
        } else {
            item_line(&item, publish::now(), self.st)
        };
        if let Some(p) = &self.notifier {
            notify(p, &item);
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
    }

    /// Ids of what the node shows now.
    async fn shown_now(api: &Api) -> Result<Vec<ItemEvent>> {
        let feed: Feed = api.get("/v1/feed").await?;
        Ok(feed
            .alerts
            .into_iter()
            .map(ItemEvent::Alert)
            .chain(feed.reports.into_iter().map(ItemEvent::Report))
            .chain(feed.resources.into_iter().map(ItemEvent::Resource))
            .collect())
    }

    /// Print what the node shows and was not seen yet: after (re)connecting, what appeared
    /// while no stream was open; after a `lagged` event, what was dropped. Returns false
    /// when stdout is closed.
    async fn catch_up(&mut self, api: &Api) -> Result<bool> {
        for item in Self::shown_now(api).await? {
            if !self.emit(item, None) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// One connection to the node's event stream, until it ends.
    async fn session(&mut self, home: &Path) -> End {
        let lost = |connected, error| End::Lost { connected, error };
        let api = match Api::connect(home) {
            Ok(a) => a,
            Err(e) => return lost(false, e),
        };
        let mut resp = match api.events().await {
            Ok(r) => r,
            Err(e) => return lost(false, e),
        };
        let mut parser = SseParser::default();
        let mut connected = false;
        loop {
            let chunk = match tokio::time::timeout(STREAM_SILENCE, resp.chunk()).await {
                Err(_) => return lost(connected, anyhow!("the node stopped sending")),
                Ok(Err(e)) => return lost(connected, anyhow!("the event stream broke: {e}")),
                Ok(Ok(None)) => {
                    return lost(connected, anyhow!("the node closed the event stream"));
                }
                Ok(Ok(Some(c))) => c,
            };
            let events = match parser.push(&chunk) {
                Ok(ev) => ev,
                Err(e) => return lost(connected, e),
            };
            for ev in events {
                match ev.event.as_str() {
                    "ready" | "lagged" => {
                        if ev.event == "lagged" {
                            eprintln!("some updates were dropped; catching up from the feed");
                        }
                        if !self.connected_once && !self.json {
                            eprintln!(
                                "watching for new alerts, reports and resources (Ctrl-C to stop)"
                            );
                        } else if self.connected_once && !connected && ev.event == "ready" {
                            eprintln!("reconnected to the node");
                        }
                        connected = true;
                        self.connected_once = true;
                        match self.catch_up(&api).await {
                            Ok(true) => {}
                            Ok(false) => return End::StdoutClosed,
                            Err(e) => return lost(connected, e),
                        }
                    }
                    "item" => match serde_json::from_str::<ItemEvent>(&ev.data) {
                        Ok(item) => {
                            if !self.emit(item, Some(&ev.data)) {
                                return End::StdoutClosed;
                            }
                        }
                        Err(e) => tracing::warn!(error = %e, "unreadable item event"),
                    },
                    "withdrawn" if !self.withdrawn(&ev.data) => return End::StdoutClosed,
                    // Peer events and anything newer are not for people here.
                    _ => {}
                }
            }
        }
    }
}

impl Watch {
    /// Report an item that stopped being shown. An update's predecessor is not news (the
    /// update itself is printed as an item). Returns `false` when stdout is closed.
    fn withdrawn(&mut self, data: &str) -> bool {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(data) else {
            tracing::warn!("unreadable withdrawn event");
            return true;
        };
        let reasons: Vec<String> = v["reasons"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    .filter_map(|r| r["reason"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(id) = v["id"]
            .as_str()
            .and_then(|h| aviso_protocol::Id::from_hex(h).ok())
        {
            self.seen.remove(&id);
        }
        if reasons.iter().all(|r| r == "superseded") && !reasons.is_empty() {
            return true;
        }
        let line = if self.json {
            let mut v = v.clone();
            tag_event(&mut v, "withdrawn");
            v.to_string()
        } else {
            let kind = v["type"].as_str().unwrap_or("item");
            let id = v["id"].as_str().unwrap_or("");
            let short = id.get(..12).unwrap_or(id);
            let why = if reasons.is_empty() {
                "no longer shown".to_string()
            } else {
                reasons.join(", ").replace('_', " ")
            };
            self.st.yellow(&format!("WITHDRAWN {kind} {short}: {why}"))
        };
        use std::io::Write;
        writeln!(std::io::stdout(), "{line}").is_ok()
    }
}

/// Mark a `watch --json` line with its event: `"event": "shown"` (then `type` and
/// `item`) or `"event": "withdrawn"` (then `type`, `id` and `reasons`).
fn tag_event(v: &mut serde_json::Value, event: &str) {
    if let Some(o) = v.as_object_mut() {
        o.insert("event".into(), event.into());
    }
}

/// `aviso watch`.
pub async fn watch(cli: &Cli, a: &WatchArgs) -> Result<()> {
    let home = cli.home_dir();
    let mut w = Watch {
        json: cli.json,
        st: Style::stdout(),
        notifier: a.notify.then(|| find_on_path("notify-send")).flatten(),
        seen: HashSet::new(),
        connected_once: false,
    };
    // What is shown before the stream opens is not news. The first `ready` prints what
    // appeared between this read and the stream's start; `seen` keeps it to once.
    let api = Api::connect(&home)?;
    w.seen
        .extend(Watch::shown_now(&api).await?.iter().map(ItemEvent::id));
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    let mut backoff = BACKOFF_MIN;
    let mut lost_at: Option<Instant> = None;
    loop {
        let end = tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            end = w.session(&home) => end,
        };
        let (connected, error) = match end {
            End::StdoutClosed => return Ok(()),
            End::Lost { connected, error } => (connected, error),
        };
        if !w.connected_once {
            // Never reached the node: nothing to reconnect to.
            return Err(error);
        }
        if connected {
            eprintln!("lost the node ({error:#}); reconnecting");
            backoff = BACKOFF_MIN;
            lost_at = Some(Instant::now());
        }
        let since = *lost_at.get_or_insert_with(Instant::now);
        if since.elapsed() >= GIVE_UP_AFTER {
            bail!(
                "the node has not answered for {} s; giving up: {error:#}",
                since.elapsed().as_secs()
            );
        }
        tokio::select! {
            _ = &mut ctrl_c => return Ok(()),
            () = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(BACKOFF_MAX);
    }
}

// ---- small formatting helpers ----

/// How a table cell is painted (after padding, so colour codes do not skew the columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paint {
    Plain,
    Yellow,
    Green,
    Dim,
}

/// A table cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell(pub String, pub Paint);

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell(s, Paint::Plain)
    }
}

/// Lay out `rows` under `header` in columns two spaces apart; returns the header line and
/// one line per row, without trailing spaces.
pub(crate) fn table(st: Style, header: &[&str], rows: &[Vec<Cell>]) -> Vec<String> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.0.chars().count());
            }
        }
    }
    let line = |cells: Vec<(String, Paint)>| {
        let last = cells.len().saturating_sub(1);
        let mut out = String::new();
        for (i, (text, paint)) in cells.into_iter().enumerate() {
            let pad = widths.get(i).copied().unwrap_or(0);
            let padded = if i == last {
                text
            } else {
                format!("{text:<pad$}  ")
            };
            out.push_str(&match paint {
                Paint::Plain => padded,
                Paint::Yellow => st.yellow(&padded),
                Paint::Green => st.green(&padded),
                Paint::Dim => st.dim(&padded),
            });
        }
        out.trim_end().to_owned()
    };
    let mut lines = vec![
        st.bold(&line(
            header
                .iter()
                .map(|h| (h.to_string(), Paint::Plain))
                .collect(),
        )),
    ];
    for row in rows {
        lines.push(line(row.iter().map(|c| (c.0.clone(), c.1)).collect()));
    }
    lines
}

/// A span of seconds for people, to the nearest minute (then hour) so that a 6 h expiry
/// read a second later still says 6 h: `45 s`, `12 min`, `2 h 5 min`, `1 day`, `3 days 4 h`.
pub(crate) fn span(d: u64) -> String {
    if d < 60 {
        return format!("{d} s");
    }
    let m = (d + 30) / 60;
    if m < 60 {
        return format!("{m} min");
    }
    let (h, mm) = (m / 60, m % 60);
    if h < 24 {
        return if mm == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {mm} min")
        };
    }
    let hours = (m + 30) / 60;
    let (days, hh) = (hours / 24, hours % 24);
    let days = if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    };
    if hh == 0 {
        days
    } else {
        format!("{days} {hh} h")
    }
}

/// `5 min ago` or `in 6 h`, relative to `now`.
pub(crate) fn rel(t: u64, now: u64) -> String {
    if t <= now {
        format!("{} ago", span(now - t))
    } else {
        format!("in {}", span(t - now))
    }
}

fn human_bytes(b: u64) -> String {
    match b {
        0..=1023 => format!("{b} B"),
        1024..=1_048_575 => format!("{:.1} KiB", b as f64 / 1024.0),
        _ => format!("{:.1} MiB", b as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::{
        Alert, Area, Category, Certainty, Id, Info, Reason, Report, ReportText, Resource,
        ResourceInfo, RetractReason, Urgency,
    };

    const NOW: u64 = 1_750_000_000;

    /// Text without colour codes, whatever the terminal running the tests.
    fn plain(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\x1b' {
                for c in it.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    fn info(lang: &str, headline: &str) -> Info {
        Info {
            lang: lang.into(),
            headline: headline.into(),
            description: format!("{headline}: description"),
            instruction: format!("{headline}: instruction"),
        }
    }

    fn alert_item(id: u8, severity: Severity, status: Status, shown: bool) -> AlertItem {
        let alert = Alert {
            category: Category::Raid,
            severity,
            urgency: Urgency::Immediate,
            certainty: Certainty::Observed,
            status,
            msg_type: MsgType::Alert,
            references: vec![],
            areas: vec![Area::parse("9q8yy").unwrap()],
            area_desc: Some("24th St BART".into()),
            onset: None,
            info: vec![info("en", "Agents at BART"), info("es", "Agentes en BART")],
            confirms: vec![],
        };
        AlertItem {
            id: Id([id; 32]),
            thread: Id([id; 32]),
            author: PublicKey([1; 32]),
            author_label: Some("maria".into()),
            endorsers: vec![PublicKey([2; 32])],
            endorser_labels: vec![Some("beto".into())],
            signatures: 2,
            needed: 2,
            created_at: NOW - 300,
            expires_at: NOW + 6 * 3600,
            text: Some(alert.info[0].clone()),
            alert,
            shown,
            reasons: if shown {
                vec![]
            } else {
                vec![Reason::NeedsSignatures { needed: 2, has: 1 }]
            },
        }
    }

    fn sample_feed() -> Feed {
        let report = ReportItem {
            id: Id([9; 32]),
            author: PublicKey([3; 32]),
            author_label: None,
            created_at: NOW - 120,
            expires_at: NOW + 3600,
            report: Report {
                category: Category::Patrol,
                areas: vec![Area::parse("9q8yv").unwrap()],
                seen_at: NOW - 600,
                note: Some(ReportText {
                    lang: "es".into(),
                    text: "Dos camionetas".into(),
                }),
            },
            state: ReportState::Unverified,
            shown: true,
            reasons: vec![],
        };
        let resource = ResourceItem {
            id: Id([7; 32]),
            author: PublicKey([1; 32]),
            author_label: Some("maria".into()),
            created_at: NOW - 86_400,
            expires_at: NOW + 30 * 86_400,
            text: Some(ResourceInfo {
                lang: "en".into(),
                name: "Legal clinic".into(),
                description: "Free consultations".into(),
                hours: "Mon-Fri 9-5".into(),
            }),
            resource: Resource {
                resource_key: "clinic".into(),
                kind: ResourceKind::LegalAid,
                info: vec![
                    ResourceInfo {
                        lang: "en".into(),
                        name: "Legal clinic".into(),
                        description: "Free consultations".into(),
                        hours: "Mon-Fri 9-5".into(),
                    },
                    ResourceInfo {
                        lang: "es".into(),
                        name: "Clínica legal".into(),
                        description: "Consultas gratis".into(),
                        hours: "lun-vie 9-5".into(),
                    },
                ],
                phone: Some("415-555-0100".into()),
                url: None,
                address: None,
                areas: vec![Area::parse("9q8").unwrap()],
                languages_spoken: vec!["es".into(), "en".into()],
                free: true,
                no_id_required: true,
                confidential: false,
                walk_in: false,
                starts_at: None,
                ends_at: None,
            },
            shown: true,
            reasons: vec![],
        };
        Feed {
            alerts: vec![
                alert_item(4, Severity::Extreme, Status::Actual, true),
                alert_item(5, Severity::Minor, Status::Exercise, true),
                alert_item(6, Severity::Severe, Status::Actual, false),
            ],
            reports: vec![report],
            resources: vec![resource],
        }
    }

    #[test]
    fn feed_rendering() {
        let feed = sample_feed();
        let out = plain(&render_feed(&feed, NOW, Style::stdout(), true));
        // Alerts first, in the node's order; then reports apart; then resources.
        let a = out.find("ALERTS (2)").unwrap();
        let r = out.find("UNVERIFIED REPORTS (1)").unwrap();
        let s = out.find("RESOURCES (1)").unwrap();
        assert!(a < r && r < s, "{out}");
        assert!(
            out.contains("EXTREME · raid · 9q8yy · 24th St BART"),
            "{out}"
        );
        assert!(out.contains("  Agents at BART\n"), "{out}");
        assert!(out.contains("  Agents at BART: description\n"), "{out}");
        assert!(out.contains("  > Agents at BART: instruction\n"), "{out}");
        assert!(
            out.contains("sent 5 min ago · expires in 6 h · signed by maria, co-signed by beto (2 of 2 signatures) · in en, es"),
            "{out}"
        );
        assert!(out.contains("id 040404040404"), "{out}");
        // Confirmed reports are not counted as unverified (regression, issue 17).
        let mut confirmed = feed.clone();
        let mut r = confirmed.reports[0].clone();
        r.id = Id([9; 32]);
        r.state = ReportState::Confirmed { by: Id([4; 32]) };
        confirmed.reports.push(r);
        let two = plain(&render_feed(&confirmed, NOW, Style::stdout(), true));
        assert!(
            two.contains("UNVERIFIED REPORTS (1)") && two.contains("1 more confirmed by an alert"),
            "{two}"
        );
        // Exercises are labelled.
        assert!(out.contains("[EXERCISE, not real] MINOR · raid"), "{out}");
        // Hidden items carry their reasons.
        assert!(
            out.contains("not shown: needs 2 signatures, has 1"),
            "{out}"
        );
        // Reports: state, reporter fingerprint, text.
        assert!(
            out.contains("UNVERIFIED · patrol · 9q8yv · seen 10 min ago"),
            "{out}"
        );
        assert!(out.contains("  [es] Dos camionetas\n"), "{out}");
        assert!(out.contains(&PublicKey([3; 32]).fingerprint()), "{out}");
        // Resources.
        assert!(out.contains("LEGAL AID · Legal clinic · 9q8"), "{out}");
        assert!(
            out.contains("speaks es, en · free · no ID required"),
            "{out}"
        );
        assert!(out.contains("phone 415-555-0100"), "{out}");
        assert!(!out.contains("--all"), "{out}");

        let out = plain(&render_feed(&Feed::default(), NOW, Style::stdout(), false));
        assert!(out.contains("no alerts right now"), "{out}");
        assert!(out.contains("aviso feed --all"), "{out}");
        assert!(!out.contains("UNVERIFIED REPORTS"), "{out}");
    }

    #[test]
    fn real_alerts_before_exercises() {
        let feed = Feed {
            alerts: vec![
                alert_item(1, Severity::Extreme, Status::Test, true),
                alert_item(2, Severity::Minor, Status::Actual, true),
                alert_item(3, Severity::Extreme, Status::Actual, false),
            ],
            ..Feed::default()
        };
        let out = plain(&render_feed(&feed, NOW, Style::stdout(), true));
        let pos = |id: &str| out.find(id).unwrap();
        assert!(pos("id 020202020202") < pos("id 010101010101"), "{out}");
        assert!(pos("id 010101010101") < pos("id 030303030303"), "{out}");
        assert!(out.contains("[TEST, not real] EXTREME"), "{out}");
    }

    #[test]
    fn relative_times() {
        assert_eq!(rel(NOW - 5, NOW), "5 s ago");
        assert_eq!(rel(NOW + 6 * 3600 - 1, NOW), "in 6 h");
        assert_eq!(rel(NOW + 3600 + 5 * 60, NOW), "in 1 h 5 min");
        assert_eq!(rel(NOW - 86_400, NOW), "1 day ago");
        assert_eq!(rel(NOW + 90 * 86_400 - 2, NOW), "in 90 days");
        assert_eq!(rel(NOW + 86_400 + 3 * 3600, NOW), "in 1 day 3 h");
        assert_eq!(span(59), "59 s");
        assert_eq!(span(89), "1 min");
    }

    #[test]
    fn report_states_in_words() {
        assert_eq!(report_state(&ReportState::Unverified), "unverified");
        assert_eq!(
            report_state(&ReportState::Confirmed { by: Id([1; 32]) }),
            "confirmed by alert 010101010101"
        );
        let d = ReportState::Dismissed {
            by: PublicKey([2; 32]),
            why: RetractReason::False,
        };
        assert!(report_state(&d).starts_with("dismissed (false) by "));
    }

    #[test]
    fn feed_language_override() {
        let mut feed = sample_feed();
        relang_feed(&mut feed, "es-MX");
        assert_eq!(
            feed.alerts[0].text.as_ref().unwrap().headline,
            "Agentes en BART"
        );
        assert_eq!(
            feed.resources[0].text.as_ref().unwrap().name,
            "Clínica legal"
        );
        relang_feed(&mut feed, "fr");
        assert_eq!(
            feed.alerts[0].text.as_ref().unwrap().headline,
            "Agents at BART"
        );
    }

    #[test]
    fn feed_json_round_trips() {
        // `feed --lang --json` re-serializes the typed feed: same field names as the API.
        let feed = sample_feed();
        let v = serde_json::to_value(&feed).unwrap();
        assert!(v["alerts"][0]["alert"]["severity"] == "extreme");
        let back: Feed = serde_json::from_value(v).unwrap();
        assert_eq!(back, feed);
    }

    #[test]
    fn watch_json_lines_have_one_tagged_shape() {
        let item = ItemEvent::Alert(alert_item(1, Severity::Severe, Status::Actual, true));
        let mut shown = serde_json::to_value(&item).unwrap();
        tag_event(&mut shown, "shown");
        assert_eq!(shown["event"], "shown");
        assert_eq!(shown["type"], "alert");
        assert!(shown["item"]["id"].is_string());
        let mut gone = serde_json::json!({"type": "alert", "id": "ab", "reasons": []});
        tag_event(&mut gone, "withdrawn");
        assert_eq!(gone["event"], "withdrawn");
        assert_eq!(gone["type"], "alert");
    }

    #[test]
    fn sse_parsing_across_chunks() {
        let stream = "event: ready\ndata: {\"shown\":1}\n\n: keep-alive\n\nevent: item\nid: ab\ndata: {\"a\":\ndata: 1}\n\nevent: peer\r\ndata: x\r\n\r\n";
        // Any split of the bytes gives the same events.
        for split in 0..stream.len() {
            let mut p = SseParser::default();
            let (x, y) = stream.as_bytes().split_at(split);
            let mut evs = p.push(x).unwrap();
            evs.extend(p.push(y).unwrap());
            assert_eq!(evs.len(), 3, "split {split}: {evs:?}");
            assert_eq!(evs[0].event, "ready");
            assert_eq!(evs[0].data, "{\"shown\":1}");
            assert_eq!(evs[1].event, "item");
            assert_eq!(evs[1].id.as_deref(), Some("ab"));
            assert_eq!(evs[1].data, "{\"a\":1}");
            assert_eq!(evs[2].event, "peer");
            assert_eq!(evs[2].data, "x");
        }
        // A multi-byte character split between chunks survives.
        let text = "event: item\ndata: café\n\n".as_bytes();
        let mut p = SseParser::default();
        let cut = text.iter().position(|&b| b == 0xc3).unwrap() + 1;
        assert!(p.push(&text[..cut]).unwrap().is_empty());
        assert_eq!(p.push(&text[cut..]).unwrap()[0].data, "café");
        // Escapes inside the JSON (as the node encodes them) are cleaned out.
        let text = "event: item\ndata: {\"t\":\"seen\\u001b[2K\\u001b[1A\\rSEVERE\u{202e}\"}\n\n";
        let ev = &SseParser::default().push(text.as_bytes()).unwrap()[0];
        assert_eq!(ev.data, "{\"t\":\"seenSEVERE\"}");
        // An endless event is refused rather than buffered forever.
        let mut p = SseParser::default();
        assert!(p.push(&vec![b'x'; MAX_EVENT_BYTES + 1]).is_err());
    }

    #[test]
    fn item_events_and_lines() {
        let feed = sample_feed();
        let item = ItemEvent::Alert(feed.alerts[1].clone());
        let json = serde_json::to_string(&item).unwrap();
        assert!(
            json.starts_with(r#"{"type":"alert","item":{"id":"#),
            "{json}"
        );
        let back: ItemEvent = serde_json::from_str(&json).unwrap();
        let line = plain(&item_line(&back, NOW, Style::stdout()));
        assert!(!line.contains('\n'));
        assert!(
            line.starts_with("ALERT [EXERCISE, not real] MINOR raid 9q8yy · Agents at BART"),
            "{line}"
        );
        let line = plain(&item_line(
            &ItemEvent::Report(feed.reports[0].clone()),
            NOW,
            Style::stdout(),
        ));
        assert!(
            line.starts_with(
                "REPORT (unverified) patrol 9q8yv · seen 10 min ago · [es] Dos camionetas"
            ),
            "{line}"
        );
        let line = plain(&item_line(
            &ItemEvent::Resource(feed.resources[0].clone()),
            NOW,
            Style::stdout(),
        ));
        assert!(
            line.starts_with("RESOURCE LEGAL AID · Legal clinic · 9q8"),
            "{line}"
        );
        let (urgency, title, _) = notification(&ItemEvent::Alert(feed.alerts[0].clone()));
        assert_eq!(
            (urgency, title.as_str()),
            ("critical", "Aviso: EXTREME raid")
        );
        let (urgency, title, _) = notification(&item);
        assert_eq!(urgency, "normal");
        assert!(title.contains("exercise, not real"), "{title}");
    }

    #[test]
    fn status_and_peers_rendering() {
        let s: StatusReply = serde_json::from_value(serde_json::json!({
            "version": "0.1.0", "peer_id": "12D3KooWabc",
            "listen_addrs": ["/ip4/127.0.0.1/tcp/7446", "/ip4/127.0.0.1/udp/7446/quic-v1"],
            "peers": 1, "store": {"total": 3, "by_kind": {"alert": 2, "trust_list": 1, "report": 0}},
            "uptime_secs": 7500,
            "community": {"id": "00112233445566778899", "name": "Mission", "roots": ["aa"]},
            "reachability": {"summary": "behind a router: reachable through relay /ip4/203.0.113.1/tcp/7446/p2p/12D3KooWrelay/p2p-circuit/p2p/12D3KooWabc"}
        }))
        .unwrap();
        let p: PeersReply = serde_json::from_value(serde_json::json!({"peers": [{
            "peer_id": "12D3KooWpeer", "address": "/ip4/127.0.0.1/tcp/9", "in_mesh": true,
            "score": 1.5, "rtt_ms": 3, "connection": "relayed",
            "last_sync": {"at": NOW - 120, "rounds": 2, "fetches": 1, "bytes_sent": 10,
                          "bytes_received": 2048, "missing": 4, "accepted": 4, "rejected": 0,
                          "error": null}
        }]}))
        .unwrap();
        let out = plain(&render_status(&s, &p.peers, NOW, Style::stdout()));
        assert!(
            out.contains("12D3KooWabc  (aviso 0.1.0, up 2 h 5 min)"),
            "{out}"
        );
        assert!(out.contains("Mission  id 001122334455  (1 root)"), "{out}");
        assert!(
            out.contains("           /ip4/127.0.0.1/udp/7446/quic-v1"),
            "{out}"
        );
        assert!(out.contains("3 envelopes (alert 2, trust_list 1)"), "{out}");
        assert!(
            out.contains("reach      behind a router: reachable through relay /ip4/203.0.113.1"),
            "{out}"
        );
        assert!(
            out.contains(
                "12D3KooWpeer  2 min ago: brought 4 envelopes (4 missing, 2.0 KiB in 2 rounds)"
            ),
            "{out}"
        );
        let out = plain(&render_peers(&p.peers, NOW, Style::stdout()));
        assert!(out.contains("yes"), "{out}");
        assert!(out.contains("1.5"), "{out}");
        assert!(out.contains("relayed"), "{out}");
        assert!(out.contains("3 ms"), "{out}");
        assert!(out.contains("2 min ago (+4)"), "{out}");
        assert!(render_peers(&[], NOW, Style::stdout()).contains("no peers"));
    }
}
