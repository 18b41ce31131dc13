//! What `aviso watch` (and any other client that follows the event stream) does with an
//! item beyond printing it: desktop notifications through `notify-send`, the feed's shown
//! items as events, and the one-line JSON and words for a withdrawal.

use std::path::{Path, PathBuf};

use aviso_protocol::feed::Feed;

use crate::api::wire::{ItemEvent, WithdrawnEvent};
use crate::notify;

/// The freedesktop notification program.
const NOTIFY_SEND: &str = "notify-send";

/// Desktop notifications through `notify-send`, when it is installed.
#[derive(Debug, Clone)]
pub struct Desktop {
    program: PathBuf,
}

impl Desktop {
    /// `notify-send` from `PATH`, if it is there.
    pub fn find() -> Option<Desktop> {
        find_on_path(NOTIFY_SEND).map(|program| Desktop { program })
    }

    /// Show a notification for `item`; failures are silent (notifications are a
    /// convenience).
    pub fn show(&self, item: &ItemEvent) {
        let n = notify::notification(item);
        let child = std::process::Command::new(&self.program)
            .args([
                "-a",
                "Aviso",
                "-u",
                n.urgency.as_str(),
                "--",
                &n.title,
                &n.body,
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if let Ok(mut child) = child {
            // Reap it without blocking the caller.
            std::thread::spawn(move || child.wait());
        }
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

/// What `feed` shows, as the events that announced it: alerts, reports, resources.
pub fn shown_items(feed: Feed) -> Vec<ItemEvent> {
    feed.alerts
        .into_iter()
        .map(ItemEvent::Alert)
        .chain(feed.reports.into_iter().map(ItemEvent::Report))
        .chain(feed.resources.into_iter().map(ItemEvent::Resource))
        .collect()
}

/// One JSON line for a shown item: `{"event": "shown", "type", "item"}`.
pub fn shown_json(item: &ItemEvent) -> String {
    tagged(serde_json::to_value(item).unwrap_or_default(), "shown")
}

/// One JSON line for a withdrawal: `{"event": "withdrawn", "type", "id", "reasons"}`.
pub fn withdrawn_json(w: &WithdrawnEvent) -> String {
    tagged(serde_json::to_value(w).unwrap_or_default(), "withdrawn")
}

/// Why an item stopped being shown, in words.
pub fn withdrawn_why(w: &WithdrawnEvent) -> String {
    if w.reasons.is_empty() {
        "no longer shown".to_string()
    } else {
        let r: Vec<String> = w.reasons.iter().map(ToString::to_string).collect();
        r.join("; ")
    }
}

/// Mark a JSON line with its event, so every line has one tagged shape.
fn tagged(mut v: serde_json::Value, event: &str) -> String {
    if let Some(o) = v.as_object_mut() {
        o.insert("event".into(), event.into());
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::{Id, Reason};

    #[test]
    fn withdrawals_in_words_and_json() {
        let mut w = WithdrawnEvent {
            id: Id([1; 32]),
            kind: None,
            reasons: vec![],
        };
        assert_eq!(withdrawn_why(&w), "no longer shown");
        let v: serde_json::Value = serde_json::from_str(&withdrawn_json(&w)).unwrap();
        assert_eq!(v["event"], "withdrawn");
        w.reasons = vec![Reason::Expired, Reason::Expired];
        assert_eq!(withdrawn_why(&w), format!("{0}; {0}", Reason::Expired));
    }

    #[test]
    fn a_missing_program_is_not_found() {
        assert!(find_on_path("aviso-no-such-program").is_none());
    }
}
