//! `/desk/reports`: the open reports, grouped by what they are about
//! ([`aviso_node::report_list::group`]), newest first, with how many members reported
//! the same thing; confirm (a pre-filled alert) or dismiss (a signed retraction, as
//! `aviso report dismiss` does). The list updates itself over `/events`.

use askama::Template;
use aviso_node::report_list::{ReportGroup, group, is_open};
use aviso_node::standing::tombstone_ttl;
use aviso_protocol::feed::ReportItem;
use aviso_protocol::{Body, Feed, Kind, RetractReason, Retraction, Role};
use axum::extract::{Query, RawForm, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Desk, LockBox, field, pairs, parse_ids, sign_and_publish};
use crate::i18n::Tr;
use crate::pages::Frame;
use crate::server::{WebState, context, html};
use crate::view::{Context, Text};

/// Reasons offered for a dismissal, as the CLI names them.
const REASONS: [(&str, RetractReason); 3] = [
    ("false", RetractReason::False),
    ("duplicate", RetractReason::Duplicate),
    ("mistaken", RetractReason::Mistaken),
];

/// One report of a group.
#[derive(Debug)]
pub(crate) struct ReportLine {
    /// Its id (hex).
    pub id: String,
    /// When it was seen, in words.
    pub seen: String,
    /// Unix seconds, for the page's script.
    pub seen_at: u64,
    /// Its reporter's label, or fingerprint.
    pub who: String,
    /// What they wrote.
    pub note: Option<Text>,
}

/// One group of the queue.
#[derive(Debug)]
pub(crate) struct GroupRow {
    /// The newest report's id (hex): the group's anchor.
    pub id: String,
    /// The category in words.
    pub category: String,
    /// Where, in words.
    pub place: String,
    /// How many members, in words.
    pub reporters: String,
    /// The reports.
    pub reports: Vec<ReportLine>,
    /// Where confirming it leads.
    pub confirm: String,
}

#[derive(Template)]
#[template(path = "desk_reports.html")]
struct ReportsPage<'a> {
    frame: Frame<'a>,
    lock: LockBox,
    groups: Vec<GroupRow>,
    reasons: Vec<(&'static str, String)>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "desk_reports_list.html")]
struct ReportsFragment<'a> {
    frame: Frame<'a>,
    groups: Vec<GroupRow>,
    reasons: Vec<(&'static str, String)>,
}

/// The open reports of `feed`.
pub(crate) fn open_reports(feed: &Feed) -> Vec<ReportItem> {
    feed.reports
        .iter()
        .filter(|r| is_open(r))
        .cloned()
        .collect()
}

fn rows(cx: &Context, feed: &Feed) -> Vec<GroupRow> {
    let tr = cx.tr;
    group(open_reports(feed))
        .into_iter()
        .map(|g: ReportGroup| {
            let confirm: Vec<String> = g
                .reports
                .iter()
                .take(super::MAX_FORM_IDS)
                .map(|r| format!("confirm={}", r.id.to_hex()))
                .collect();
            GroupRow {
                id: g.reports.first().map(|r| r.id.to_hex()).unwrap_or_default(),
                category: crate::view::category(tr, g.category),
                place: g
                    .cell
                    .as_ref()
                    .map(|c| cx.places.describe(std::slice::from_ref(c)))
                    .unwrap_or_default(),
                reporters: tr.n("desk-reports-members", "count", g.reporters as u64),
                reports: g
                    .reports
                    .iter()
                    .map(|r| ReportLine {
                        id: r.id.to_hex(),
                        seen: tr.s("report-seen", "ago", &cx.ago(r.report.seen_at)),
                        seen_at: r.report.seen_at,
                        who: r
                            .author_label
                            .as_deref()
                            .map(|l| super::label_words(tr, l))
                            .unwrap_or_else(|| r.author.fingerprint()),
                        note: r.report.note.as_ref().map(|n| Text::new(&n.text, &n.lang)),
                    })
                    .collect(),
                confirm: format!("/desk/alerts/new?{}", confirm.join("&")),
            }
        })
        .collect()
}

fn reasons(tr: &Tr) -> Vec<(&'static str, String)> {
    REASONS
        .iter()
        .map(|(name, _)| (*name, tr.t(&format!("desk-dismiss-{name}"))))
        .collect()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Done {
    dismissed: Option<u64>,
}

pub(super) async fn page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<Done>,
) -> Response {
    render(&s, &headers, q.dismissed, None).await
}

async fn render(
    s: &WebState,
    headers: &HeaderMap,
    dismissed: Option<u64>,
    error: Option<String>,
) -> Response {
    let (d, feed) = match Desk::with_feed(s, headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cx = context(s, &d.tr, &d.settings, Some(&feed));
    let failed = error.is_some();
    let page = ReportsPage {
        frame: Frame::new(&d.tr, "desk", "/desk/reports"),
        lock: d.lock("/desk/reports"),
        groups: rows(&cx, &feed),
        reasons: reasons(&d.tr),
        notice: dismissed.map(|n| d.tr.n("desk-dismissed", "count", n)),
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
    html(ReportsFragment {
        frame: Frame::new(&d.tr, "desk", "/desk/reports"),
        groups: rows(&cx, &feed),
        reasons: reasons(&d.tr),
    })
}

/// Dismiss every report of a group: one signed retraction each, checked first as the
/// CLI checks (an organizer for the report's area and category, or its author).
pub(super) async fn dismiss(
    State(s): State<WebState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let form = pairs(&body);
    let d = match Desk::load(&s, &headers).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let Some(reason) = REASONS
        .iter()
        .find(|(n, _)| *n == field(&form, "reason"))
        .map(|(_, r)| *r)
    else {
        return render(
            &s,
            &headers,
            None,
            Some(d.tr.t("desk-dismiss-reason-missing")),
        )
        .await;
    };
    let ids = parse_ids(
        form.iter()
            .filter(|(k, _)| k == "id")
            .map(|(_, v)| v.as_str()),
    );
    if ids.is_empty() {
        return render(&s, &headers, None, Some(d.tr.t("error-not-found"))).await;
    }
    let mut done = 0u64;
    for id in ids {
        let store = s.api.store.clone();
        let target = match tokio::task::spawn_blocking(move || store.get(&id)).await {
            Ok(Ok(Some(env))) => env,
            _ => return render(&s, &headers, None, Some(d.tr.t("error-not-found"))).await,
        };
        let Body::Report(r) = target.body() else {
            return render(&s, &headers, None, Some(d.tr.t("error-not-found"))).await;
        };
        if d.me != Some(target.author())
            && let Err(why) = d
                .standing
                .check(Role::Organizer, &r.areas, Some(r.category), d.now)
        {
            let words = d.tr.s("desk-counts-not", "why", &why.to_string());
            return render(&s, &headers, None, Some(words)).await;
        }
        let ttl = tombstone_ttl(target.expires_at(), d.now, Kind::Retraction.max_ttl());
        let body = Body::Retraction(Retraction { target: id, reason });
        match sign_and_publish(&s, &d.tr, "retraction", body, ttl, 0).await {
            Ok(_) => done += 1,
            Err(e) => {
                return render(&s, &headers, None, Some(e.words(&d.tr))).await;
            }
        }
    }
    Redirect::to(&format!("/desk/reports?dismissed={done}")).into_response()
}
