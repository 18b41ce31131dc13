//! `/desk`: the lock state, whose key this is (its label and what it may sign), and the
//! desk's sections, each one line of [`SECTIONS`].

use askama::Template;
use aviso_protocol::Role;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::{Desk, LockBox};
use crate::pages::Frame;
use crate::server::{WebState, html};

/// The desk's sections: title message, address, and what the count beside it counts
/// (`None`: no count). Other parts of the desk add a line here.
pub(crate) const SECTIONS: &[(&str, &str, Option<Counted>)] = &[
    (
        "desk-reports-title",
        "/desk/reports",
        Some(Counted::Reports),
    ),
    ("desk-cosign-title", "/desk/cosign", Some(Counted::Waiting)),
    ("desk-compose-title", "/desk/alerts/new", None),
    ("desk-alerts-title", "/desk/alerts", None),
    ("lists-resources-title", "/desk/resources", None),
    ("lists-trust-title", "/desk/trust", None),
    ("lists-invites-title", "/desk/invites", None),
];

/// What a section's count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    /// Open reports.
    Reports,
    /// Alerts waiting for co-signatures.
    Waiting,
}

/// One line of the list of sections.
#[derive(Debug)]
pub(crate) struct Section {
    /// Its title.
    pub title: String,
    /// Its address.
    pub href: &'static str,
    /// A count in words, or "".
    pub note: String,
}

#[derive(Template)]
#[template(path = "desk_index.html")]
struct IndexPage<'a> {
    frame: Frame<'a>,
    lock: LockBox,
    fingerprint: String,
    label: Option<String>,
    role: String,
    sections: Vec<Section>,
}

pub(super) async fn page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let (d, feed) = match Desk::with_feed(&s, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let tr = &d.tr;
    let reports = super::reports::open_reports(&feed).len() as u64;
    let waiting = super::cosign::waiting(&feed).len() as u64;
    let role = match d
        .standing
        .grants()
        .iter()
        .find(|g| g.role == Role::Organizer)
    {
        _ if !d.standing.is_organizer(d.now) => tr.t("desk-role-none"),
        Some(g) => {
            let areas = if g.scope.areas.is_empty() {
                tr.t("desk-scope-everywhere")
            } else {
                super::cells(&g.scope.areas)
            };
            let categories = if g.scope.categories.is_empty() {
                tr.t("desk-scope-every-category")
            } else {
                g.scope
                    .categories
                    .iter()
                    .map(|c| crate::view::category(tr, *c))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            tr.args(
                "desk-role-organizer",
                &[
                    ("areas", crate::i18n::Arg::Str(areas)),
                    ("categories", crate::i18n::Arg::Str(categories)),
                ],
            )
        }
        None => tr.t("desk-role-none"),
    };
    let sections = SECTIONS
        .iter()
        .map(|(title, href, counted)| Section {
            title: tr.t(title),
            href,
            note: match counted {
                Some(Counted::Reports) => tr.n("desk-count-reports", "count", reports),
                Some(Counted::Waiting) => tr.n("desk-count-waiting", "count", waiting),
                None => String::new(),
            },
        })
        .collect();
    html(IndexPage {
        frame: Frame::new(tr, "desk", "/desk"),
        lock: d.lock("/desk"),
        fingerprint: d
            .me
            .map_or_else(|| tr.t("desk-key-none"), |k| k.fingerprint()),
        label: d.label(),
        role,
        sections,
    })
}
