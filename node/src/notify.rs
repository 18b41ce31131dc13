//! What a new item says to a person who is not looking: how urgent a notification is, its
//! title and body, and which withdrawals are news. The same decisions for every client
//! (`aviso watch --notify`'s desktop notifications, Web Push), so an alert is never loud
//! in one and quiet in another.

use aviso_protocol::{Alert, Area, Reason, Severity, Status};
use serde::Serialize;

use crate::api::wire::{ItemEvent, WithdrawnEvent};

/// Longest report text in a notification's body, in characters.
const MAX_BODY_CHARS: usize = 200;

/// How loud a notification is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Urgency {
    /// Unverified reports and resource notices.
    Low,
    /// Alerts that are not severe, drills and tests.
    Normal,
    /// Real alerts of severe or extreme severity.
    Critical,
}

impl Urgency {
    /// Its name, as desktop notifications (`notify-send -u`) spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::Critical => "critical",
        }
    }
}

/// Whether `alert` is loud everywhere (a critical desktop notification, the web page's
/// sound and vibration, a Web Push): a real alert, severe or extreme, in one of `areas`
/// (empty: everywhere). Drills and tests never are.
pub fn is_critical(alert: &Alert, areas: &[Area]) -> bool {
    alert.status == Status::Actual
        && alert.severity.rank() >= Severity::Severe.rank()
        && (areas.is_empty() || aviso_protocol::area::any_overlap(areas, &alert.areas))
}

/// A notification of a new item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// How loud.
    pub urgency: Urgency,
    /// One line.
    pub title: String,
    /// A few lines.
    pub body: String,
}

/// The notification of `item`. Only a real alert of severe or extreme severity is
/// critical; a drill or test says it is not real in its title.
pub fn notification(item: &ItemEvent) -> Notification {
    match item {
        ItemEvent::Alert(a) => {
            let al = &a.alert;
            let real = al.status == Status::Actual;
            // The areas were filtered by the feed the item came from.
            let urgency = if is_critical(al, &[]) {
                Urgency::Critical
            } else {
                Urgency::Normal
            };
            let mut title = format!(
                "Aviso: {} {}",
                name(&al.severity).to_uppercase(),
                al.category.name()
            );
            if !real {
                title = format!("{title} ({}, not real)", name(&al.status));
            }
            let mut body = a
                .text
                .as_ref()
                .map(|t| t.headline.clone())
                .unwrap_or_default();
            if let Some(p) = &al.area_desc {
                body.push_str(&format!("\n{p}"));
            }
            Notification {
                urgency,
                title,
                body,
            }
        }
        ItemEvent::Report(r) => Notification {
            urgency: Urgency::Low,
            title: format!("Aviso: unverified report ({})", r.report.category.name()),
            body: r.report.note.as_ref().map_or_else(
                || cells(&r.report.areas),
                |n| first_line(&n.text, MAX_BODY_CHARS),
            ),
        },
        ItemEvent::Resource(r) => Notification {
            urgency: Urgency::Low,
            title: format!("Aviso: {}", name(&r.resource.kind).replace('_', " ")),
            body: r.text.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        },
    }
}

/// Whether a withdrawal is news: an item replaced by its update is not (the update itself
/// is announced).
pub fn is_news(w: &WithdrawnEvent) -> bool {
    let superseded = |r: &Reason| matches!(r, Reason::Superseded { .. });
    w.reasons.is_empty() || !w.reasons.iter().all(superseded)
}

/// The serde name of an enum value.
fn name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "?".into(),
    }
}

fn cells(areas: &[aviso_protocol::Area]) -> String {
    areas
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first line of `s` without control characters, cut to `max` characters (`…` when
/// anything was left out): what a notification, or a one-line listing, shows of a text.
pub fn first_line(s: &str, max: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect();
    let line = s.lines().next().unwrap_or("").trim();
    let cut: String = line.chars().take(max).collect();
    if cut.len() < line.len() || s.trim().lines().nth(1).is_some() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::Id;
    use aviso_protocol::fixtures::{self, NOW};

    /// One rule for every client: the web page once rang (and pushed) for an extreme
    /// drill that the desktop notification kept quiet.
    #[test]
    fn only_real_severe_alerts_in_the_areas_are_critical() {
        let real = fixtures::raid("Raid", "", "");
        let here: Vec<Area> = real.areas.clone();
        let elsewhere = vec![Area::parse("u4pru").expect("cell")];
        assert!(is_critical(&real, &[]));
        assert!(is_critical(&real, &here));
        assert!(!is_critical(&real, &elsewhere));
        let drill = Alert {
            status: Status::Exercise,
            ..real.clone()
        };
        assert!(!is_critical(&drill, &here));
        let mild = Alert {
            severity: Severity::Moderate,
            ..real
        };
        assert!(!is_critical(&mild, &here));
    }

    #[test]
    fn an_update_is_news_its_predecessor_is_not() {
        let gone = |reasons| WithdrawnEvent {
            kind: None,
            id: Id([1; 32]),
            reasons,
        };
        let superseded = Reason::Superseded { by: Id([2; 32]) };
        assert!(!is_news(&gone(vec![superseded.clone()])));
        assert!(is_news(&gone(vec![])));
        assert!(is_news(&gone(vec![superseded, Reason::Expired])));
    }

    #[test]
    fn reports_are_quiet_and_say_the_first_line() {
        let report = fixtures::report(
            aviso_protocol::Category::Patrol,
            &["9q8yy"],
            NOW,
            "es",
            "Dos camionetas\nen la esquina",
        );
        let item = ItemEvent::Report(aviso_protocol::feed::ReportItem {
            id: Id([1; 32]),
            author: fixtures::key(1).public(),
            author_label: None,
            created_at: NOW,
            expires_at: NOW + 3600,
            report,
            state: aviso_protocol::feed::ReportState::Unverified,
            shown: true,
            reasons: vec![],
        });
        let n = notification(&item);
        assert_eq!(n.urgency, Urgency::Low);
        assert_eq!(n.title, "Aviso: unverified report (patrol)");
        assert_eq!(n.body, "Dos camionetas…");
    }
}
