//! `aviso watch`: follow new alerts, reports and resources as the node shows them.

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use aviso_node::api::ApiEvent;
use aviso_node::api::wire::{ItemEvent, WithdrawnEvent};
use aviso_node::desktop::{self, Desktop};
use aviso_node::notify;
use aviso_protocol::MsgType;
use clap::Args;
use futures::StreamExt;

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

/// How long `watch` keeps trying to reach a node that went away before giving up.
const GIVE_UP_AFTER: Duration = Duration::from_secs(60);

/// First and longest wait between reconnection attempts.
const BACKOFF_MIN: Duration = Duration::from_millis(500);

const BACKOFF_MAX: Duration = Duration::from_secs(8);

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

/// What `watch` remembers across reconnections.
struct Watch {
    json: bool,
    st: Style,
    notifier: Option<Desktop>,
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
    fn emit(&mut self, item: &ItemEvent) -> bool {
        if !self.seen.insert(item.id()) {
            return true;
        }
        let line = if self.json {
            // One tagged shape for every line: {"event": "shown" | "withdrawn", ...}.
            desktop::shown_json(item)
        } else {
            item_line(item, aviso_node::unix_now(), self.st)
        };
        if let Some(d) = &self.notifier {
            d.show(item);
        }
        let mut out = std::io::stdout().lock();
        writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
    }

    /// What the node shows now.
    async fn shown_now(api: &Api) -> Result<Vec<ItemEvent>> {
        Ok(desktop::shown_items(
            api.feed(false, None, None).await?.feed,
        ))
    }

    /// Print what the node shows and was not seen yet: after (re)connecting, what appeared
    /// while no stream was open; after a `lagged` event, what was dropped. Returns false
    /// when stdout is closed.
    async fn catch_up(&mut self, api: &Api) -> Result<bool> {
        for item in Self::shown_now(api).await? {
            if !self.emit(&item) {
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
        let events = match api.events().await {
            Ok(s) => s,
            Err(e) => return lost(false, e),
        };
        tokio::pin!(events);
        let mut connected = false;
        while let Some(event) = events.next().await {
            let event = match event {
                Ok(ev) => ev,
                Err(e) => return lost(connected, e),
            };
            match event {
                ApiEvent::Ready(_) | ApiEvent::Lagged(_) => {
                    let lagged = matches!(event, ApiEvent::Lagged(_));
                    if lagged {
                        eprintln!("some updates were dropped; catching up from the feed");
                    }
                    if !self.connected_once && !self.json {
                        eprintln!(
                            "watching for new alerts, reports and resources (Ctrl-C to stop)"
                        );
                    } else if self.connected_once && !connected && !lagged {
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
                ApiEvent::Item(item) if !self.emit(&item) => return End::StdoutClosed,
                ApiEvent::Withdrawn(w) if !self.withdrawn(&w) => return End::StdoutClosed,
                // Peer events and anything newer are not for people here.
                _ => {}
            }
        }
        lost(connected, anyhow!("the node closed the event stream"))
    }

    /// Report an item that stopped being shown. An update's predecessor is not news (the
    /// update itself is printed as an item). Returns `false` when stdout is closed.
    fn withdrawn(&mut self, w: &WithdrawnEvent) -> bool {
        self.seen.remove(&w.id);
        if !notify::is_news(w) {
            return true;
        }
        let line = if self.json {
            desktop::withdrawn_json(w)
        } else {
            let kind = w.kind.map_or_else(|| "item".to_owned(), |k| enum_name(&k));
            let why = desktop::withdrawn_why(w);
            self.st
                .yellow(&format!("WITHDRAWN {kind} {}: {why}", w.id.short()))
        };
        writeln!(std::io::stdout(), "{line}").is_ok()
    }
}
/// `aviso watch`.
pub async fn watch(cli: &Globals, a: &WatchArgs) -> Result<()> {
    let home = cli.home_dir();
    let mut w = Watch {
        json: cli.json,
        st: Style::stdout(),
        notifier: a.notify.then(Desktop::find).flatten(),
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
    use aviso_protocol::{Severity, Status};

    #[test]
    fn watch_json_lines_have_one_tagged_shape() {
        let item = ItemEvent::Alert(alert_item(1, Severity::Severe, Status::Actual, true));
        let shown: serde_json::Value = serde_json::from_str(&desktop::shown_json(&item)).unwrap();
        assert_eq!(shown["event"], "shown");
        assert_eq!(shown["type"], "alert");
        assert!(shown["item"]["id"].is_string());
        let gone = WithdrawnEvent {
            kind: Some(aviso_node::api::wire::ItemKind::Alert),
            id: item.id(),
            reasons: vec![],
        };
        let gone: serde_json::Value =
            serde_json::from_str(&desktop::withdrawn_json(&gone)).unwrap();
        assert_eq!(gone["event"], "withdrawn");
        assert_eq!(gone["type"], "alert");
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
        let n = notify::notification(&ItemEvent::Alert(feed.alerts[0].clone()));
        assert_eq!(
            (n.urgency.as_str(), n.title.as_str()),
            ("critical", "Aviso: EXTREME raid")
        );
        let n = notify::notification(&item);
        assert_eq!(n.urgency.as_str(), "normal");
        assert!(n.title.contains("exercise, not real"), "{}", n.title);
    }
}
