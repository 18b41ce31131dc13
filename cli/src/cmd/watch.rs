//! `aviso watch`: follow new alerts, reports and resources as the node shows them.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use aviso_protocol::feed::{AlertItem, ReportItem, ResourceItem};
use aviso_protocol::{Feed, MsgType, Severity, Status};
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::api_client::Api;
use crate::args::Globals;
use crate::output::Style;
use crate::render::{
    cells, enum_name, expiry, kind_label, one_line, rel, severity_label, status_label, who,
};

/// Options of `aviso watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Also show a desktop notification for each new item (when `notify-send` is installed).
    #[arg(long)]
    pub notify: bool,
}

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
            item_line(&item, aviso_node::unix_now(), self.st)
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
pub async fn watch(cli: &Globals, a: &WatchArgs) -> Result<()> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::render::tests::{NOW, alert_item, plain, sample_feed};

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
}
