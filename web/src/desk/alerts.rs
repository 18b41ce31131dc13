//! `/desk/alerts`: the alerts on this node (shown, waiting for co-signatures, ended), and
//! each alert's own desk page: its content in every language, who signed, and update,
//! cancel and all-clear, each with the content shown and a confirm step. Cancel and
//! all-clear bodies come from [`aviso_node::alert_draft::end_body`], as in the CLI.

use askama::Template;
use aviso_node::alert_draft::end_body;
use aviso_node::standing::{thread_expiry, tombstone_ttl};
use aviso_protocol::feed::AlertItem;
use aviso_protocol::limits::MAX_TTL_SHORT_SECS;
use aviso_protocol::{Body, Feed, Id, MsgType, Reason};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::cosign::{cards, signers};
use super::{Desk, LockBox, desk_feed, sign_and_publish};
use crate::pages::Frame;
use crate::server::{WebState, context, html};
use crate::view::AlertCard;

/// Where an alert stands, for organizers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Members see it.
    Shown,
    /// It waits for co-signatures.
    Waiting,
    /// It ended, or is not shown for another reason.
    Other,
}

fn stage(a: &AlertItem) -> Stage {
    if a.shown {
        Stage::Shown
    } else if super::cosign::waiting_item(a) {
        Stage::Waiting
    } else {
        Stage::Other
    }
}

/// An alert that is itself an ending, or replaced by an update: not listed.
fn listed(a: &AlertItem) -> bool {
    matches!(a.alert.msg_type, MsgType::Alert | MsgType::Update)
        && !a
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::Superseded { .. }))
}

fn state_words(d: &Desk, a: &AlertItem) -> String {
    match stage(a) {
        Stage::Shown => d.tr.t("desk-alert-shown"),
        Stage::Waiting => d.tr.n(
            "desk-cosign-missing",
            "count",
            u64::from(super::cosign::missing(a)),
        ),
        Stage::Other => {
            // How it ended, in the members' own words; other reasons as the CLI says them.
            let ended = a.reasons.iter().find_map(|r| match r {
                Reason::Cancelled { .. } => Some("ended-cancelled"),
                Reason::AllClear { .. } => Some("ended-all-clear"),
                Reason::Retracted { .. } => Some("ended-retracted"),
                Reason::Revoked { .. } => Some("ended-revoked"),
                Reason::Expired => Some("ended-expired"),
                _ => None,
            });
            match ended {
                Some(key) => d.tr.t(key),
                None => {
                    let why: Vec<String> = a.reasons.iter().map(ToString::to_string).collect();
                    d.tr.s("desk-alert-not-shown", "why", &why.join("; "))
                }
            }
        }
    }
}

/// One line of the list.
#[derive(Debug)]
struct Row {
    id: String,
    headline: String,
    lang: String,
    state: String,
}

#[derive(Template)]
#[template(path = "desk_alerts.html")]
struct ListPage<'a> {
    frame: Frame<'a>,
    lock: LockBox,
    /// Title message and rows: shown, waiting, ended.
    sections: Vec<(&'static str, Vec<Row>)>,
}

pub(super) async fn list(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let (d, feed) = match Desk::with_feed(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cx = context(&s, &d.tr, &d.settings, Some(&feed));
    let (mut shown, mut waiting, mut ended) = (vec![], vec![], vec![]);
    for a in feed.alerts.iter().filter(|a| listed(a)) {
        let Some(card) = crate::view::card(&cx, a, None) else {
            continue;
        };
        let row = Row {
            id: a.id.to_hex(),
            headline: card.headline.text,
            lang: card.headline.lang,
            state: state_words(&d, a),
        };
        match stage(a) {
            Stage::Shown => shown.push(row),
            Stage::Waiting => waiting.push(row),
            Stage::Other => ended.push(row),
        }
    }
    html(ListPage {
        frame: Frame::new(&d.tr, "desk", "/desk/alerts"),
        lock: d.lock("/desk/alerts"),
        sections: vec![
            ("desk-alerts-shown", shown),
            ("desk-alerts-waiting", waiting),
            ("desk-alerts-ended", ended),
        ],
    })
}

#[derive(Template)]
#[template(path = "desk_alert.html")]
struct AlertPage<'a> {
    frame: Frame<'a>,
    lock: LockBox,
    id: String,
    cards: Vec<AlertCard>,
    state: String,
    signed: String,
    /// It can still be updated or ended.
    open: bool,
    /// The end being confirmed.
    end: Option<EndView>,
    counts_text: String,
    notice: Option<String>,
    error: Option<String>,
}

/// The confirm step of a cancel or all-clear.
#[derive(Debug)]
struct EndView {
    /// `cancel` or `all_clear`.
    kind: &'static str,
    /// The question.
    title: String,
    /// What members will see.
    what: String,
    /// The button.
    sign: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    sent: bool,
    end: String,
    ended: String,
}

fn end_kind(name: &str) -> Option<(&'static str, MsgType)> {
    match name {
        "cancel" => Some(("cancel", MsgType::Cancel)),
        "all_clear" => Some(("all_clear", MsgType::AllClear)),
        _ => None,
    }
}

fn find<'f>(feed: &'f Feed, id: &str) -> Option<&'f AlertItem> {
    feed.alerts.iter().find(|a| a.id.to_hex() == id)
}

pub(super) async fn page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Response {
    let d = match Desk::load(&s, &headers).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let notice = if q.sent {
        Some(d.tr.t("desk-sent"))
    } else if end_kind(&q.ended).is_some() {
        Some(d.tr.t(&format!("desk-ended-{}", q.ended)))
    } else {
        None
    };
    render(&s, &d, &id, end_kind(&q.end).map(|(n, _)| n), notice, None).await
}

async fn render(
    s: &WebState,
    d: &Desk,
    id: &str,
    end: Option<&'static str>,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let feed = match desk_feed(s).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let Some(a) = find(&feed, id) else {
        return (StatusCode::NOT_FOUND, d.tr.t("error-not-found")).into_response();
    };
    let cx = context(s, &d.tr, &d.settings, Some(&feed));
    let open = listed(a) && stage(a) != Stage::Other;
    let failed = error.is_some();
    let page = AlertPage {
        frame: Frame::new(&d.tr, "desk", format!("/desk/alerts/{id}")),
        lock: d.lock(&format!("/desk/alerts/{id}")),
        id: a.id.to_hex(),
        cards: cards(&cx, a),
        state: state_words(d, a),
        signed: d
            .tr
            .s("desk-cosign-signed", "names", &signers(d, a).join(", ")),
        open,
        end: end.filter(|_| open).map(|kind| EndView {
            kind,
            title: d.tr.t(&format!("desk-end-{kind}-title")),
            what: d.tr.t(&format!("desk-end-{kind}-what")),
            sign: d.tr.t(&format!("desk-end-{kind}-sign")),
        }),
        counts_text: d.counts_to_end(&a.alert.areas, a.alert.category),
        notice,
        error,
    };
    super::answer(page, failed)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EndFields {
    kind: String,
    reason: String,
}

/// Sign a cancel or all-clear of the alert: it ends the alert's whole update thread, so
/// it lives as long as the thread's last version (as `aviso alert cancel` signs it).
pub(super) async fn end(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<EndFields>,
) -> Response {
    let d = match Desk::load(&s, &headers).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Some((name, msg_type)) = end_kind(&f.kind) else {
        return render(&s, &d, &id, None, None, Some(d.tr.t("error-not-found"))).await;
    };
    let feed = match desk_feed(&s).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let Some(item) = find(&feed, &id).filter(|a| listed(a)) else {
        return render(&s, &d, &id, None, None, Some(d.tr.t("error-not-found"))).await;
    };
    let Ok(target) = Id::from_hex(&id) else {
        return (StatusCode::NOT_FOUND, d.tr.t("error-not-found")).into_response();
    };
    let last = thread_expiry(&feed, target, item.expires_at);
    let reason = f.reason.trim();
    let body = match end_body(
        &item.alert,
        target,
        msg_type,
        (!reason.is_empty()).then_some(reason),
        Some(d.tr.tag()),
    ) {
        Ok(b) => b,
        Err(e) => {
            let words = d.tr.s("error-generic", "why", &e.to_string());
            return render(&s, &d, &id, Some(name), None, Some(words)).await;
        }
    };
    let ttl = tombstone_ttl(last, d.now, MAX_TTL_SHORT_SECS);
    match sign_and_publish(&s, &d.tr, name, Body::Alert(body), ttl, 0).await {
        Ok(_) => Redirect::to(&format!("/desk/alerts/{id}?ended={name}")).into_response(),
        Err(e) => render(&s, &d, &id, Some(name), None, Some(e.words(&d.tr))).await,
    }
}
