//! `/desk/cosign`: alerts of categories that need more than one signature and are not
//! shown yet for lack of them: the full content in every language (as members will see
//! it), who signed, what is missing, and endorse in one action, checked as
//! `aviso alert endorse` checks. The list updates itself over `/events`.

use askama::Template;
use aviso_protocol::feed::AlertItem;
use aviso_protocol::limits::MAX_TTL_SHORT_SECS;
use aviso_protocol::{Body, Endorsement, Feed, Id, MsgType, Reason, Role};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Desk, LockBox, sign_and_publish};
use crate::pages::Frame;
use crate::server::{WebState, context, html};
use crate::view::{AlertCard, Context};

/// Alerts waiting for co-signatures (see [`waiting_item`]).
pub(crate) fn waiting(feed: &Feed) -> Vec<&AlertItem> {
    feed.alerts.iter().filter(|a| waiting_item(a)).collect()
}

/// Whether `a` is not shown (or, for a cancel, all-clear or update, does not act) only
/// because signatures are missing: acting on an alert of a category that needs k
/// signatures needs k too. That it lies outside this node's own areas does not matter to
/// organizers.
pub(crate) fn waiting_item(a: &AlertItem) -> bool {
    !a.shown
        && missing(a) > 0
        && a.reasons.iter().all(|r| {
            matches!(
                r,
                Reason::NeedsSignatures { .. }
                    | Reason::OutsideYourAreas
                    | Reason::LifecycleMessage
            )
        })
}

/// Signatures `a` still lacks, as its verdict says.
pub(crate) fn missing(a: &AlertItem) -> u8 {
    a.reasons
        .iter()
        .find_map(|r| match r {
            Reason::NeedsSignatures { needed, has } => Some(needed.saturating_sub(*has)),
            _ => None,
        })
        .unwrap_or(0)
}

/// Every language block of `item`, as members will see it.
pub(crate) fn cards(cx: &Context, item: &AlertItem) -> Vec<AlertCard> {
    item.alert
        .info
        .iter()
        .filter_map(|i| crate::view::card(cx, item, Some(&i.lang)))
        .collect()
}

/// The people who signed `item`, in words.
pub(crate) fn signers(d: &Desk, item: &AlertItem) -> Vec<String> {
    std::iter::once((&item.author, &item.author_label))
        .chain(
            item.endorsers
                .iter()
                .zip(item.endorser_labels.iter().chain(std::iter::repeat(&None))),
        )
        .map(|(k, l)| match l {
            Some(l) => super::label_words(&d.tr, l),
            None => k.fingerprint(),
        })
        .collect()
}

/// One alert of the queue.
#[derive(Debug)]
pub(crate) struct WaitingRow {
    /// Its id (hex).
    pub id: String,
    /// For a cancel, all-clear or update: what it does, in words.
    pub kind: Option<String>,
    /// Each language as members will see it (for a cancel or all-clear: the alert it
    /// ends).
    pub cards: Vec<AlertCard>,
    /// Who signed, and what is missing, in words.
    pub signed: String,
    /// What is missing, in words.
    pub missing: String,
    /// Whether this key may endorse it (not its own, not yet endorsed, counts).
    pub can: bool,
    /// What an endorsement counts for, or why it is not offered.
    pub note: String,
}

fn rows(d: &Desk, cx: &Context, feed: &Feed) -> Vec<WaitingRow> {
    waiting(feed)
        .into_iter()
        .map(|a| {
            let mine =
                d.me.is_some_and(|k| k == a.author || a.endorsers.contains(&k));
            let (counts, words) = d.counts_for(&a.alert.areas, a.alert.category);
            let ended = a
                .alert
                .references
                .first()
                .and_then(|t| feed.alerts.iter().find(|x| x.id == *t));
            let (kind, shown) = match a.alert.msg_type {
                MsgType::Cancel => (Some("desk-cosign-kind-cancel"), ended.unwrap_or(a)),
                MsgType::AllClear => (Some("desk-cosign-kind-all_clear"), ended.unwrap_or(a)),
                MsgType::Update => (Some("desk-cosign-kind-update"), a),
                _ => (None, a),
            };
            let mut cards = cards(cx, shown);
            if !std::ptr::eq(shown, a) {
                // The ending's own note, if it has one.
                cards.extend(self::cards(cx, a));
            }
            WaitingRow {
                id: a.id.to_hex(),
                kind: kind.map(|k| d.tr.t(k)),
                cards,
                signed: d
                    .tr
                    .s("desk-cosign-signed", "names", &signers(d, a).join(", ")),
                missing: d
                    .tr
                    .n("desk-cosign-missing", "count", u64::from(missing(a))),
                can: !mine && counts,
                note: if mine {
                    d.tr.t("desk-cosign-yours")
                } else {
                    words
                },
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "desk_cosign.html")]
struct CosignPage<'a> {
    frame: Frame<'a>,
    lock: LockBox,
    rows: Vec<WaitingRow>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "desk_cosign_list.html")]
struct CosignFragment<'a> {
    frame: Frame<'a>,
    rows: Vec<WaitingRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Done {
    endorsed: bool,
}

pub(super) async fn page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Response {
    render(&s, &headers, q.endorsed, None).await
}

async fn render(
    s: &WebState,
    headers: &HeaderMap,
    endorsed: bool,
    error: Option<String>,
) -> Response {
    let (d, feed) = match Desk::with_feed(s, headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cx = context(s, &d.tr, &d.settings, Some(&feed));
    let failed = error.is_some();
    let page = CosignPage {
        frame: Frame::new(&d.tr, "desk", "/desk/cosign"),
        lock: d.lock("/desk/cosign"),
        rows: rows(&d, &cx, &feed),
        notice: endorsed.then(|| d.tr.t("desk-cosign-done")),
        error,
    };
    super::answer(page, failed)
}

pub(super) async fn fragment(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let (d, feed) = match Desk::with_feed(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cx = context(&s, &d.tr, &d.settings, Some(&feed));
    html(CosignFragment {
        frame: Frame::new(&d.tr, "desk", "/desk/cosign"),
        rows: rows(&d, &cx, &feed),
    })
}

/// Endorse one alert: not one's own, only while it lives, only where it counts.
pub(super) async fn endorse(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let d = match Desk::load(&s, &headers).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Ok(id) = Id::from_hex(&id) else {
        return render(&s, &headers, false, Some(d.tr.t("error-not-found"))).await;
    };
    let store = s.api.store.clone();
    let target = match tokio::task::spawn_blocking(move || store.get(&id)).await {
        Ok(Ok(Some(env))) => env,
        _ => return render(&s, &headers, false, Some(d.tr.t("error-not-found"))).await,
    };
    let Body::Alert(a) = target.body() else {
        return render(&s, &headers, false, Some(d.tr.t("error-not-found"))).await;
    };
    if d.me == Some(target.author()) {
        return render(&s, &headers, false, Some(d.tr.t("desk-cosign-yours"))).await;
    }
    if let Err(why) = d
        .standing
        .check(Role::Organizer, &a.areas, Some(a.category), d.now)
    {
        let words = d.tr.s("desk-counts-not", "why", &why.to_string());
        return render(&s, &headers, false, Some(words)).await;
    }
    let ttl = target.expires_at().saturating_sub(d.now);
    if ttl == 0 {
        return render(&s, &headers, false, Some(d.tr.t("desk-expired"))).await;
    }
    let body = Body::Endorsement(Endorsement { alert: id });
    match sign_and_publish(
        &s,
        &d.tr,
        "endorsement",
        body,
        ttl.min(MAX_TTL_SHORT_SECS),
        0,
    )
    .await
    {
        Ok(_) => Redirect::to("/desk/cosign?endorsed=true").into_response(),
        Err(e) => render(&s, &headers, false, Some(e.words(&d.tr))).await,
    }
}
