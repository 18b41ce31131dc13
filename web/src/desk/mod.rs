//! The organizer desk: the pages where organizers verify reports, sign and co-sign
//! alerts, keep resource notices and the trust list, and follow a response.
//!
//! Every signature goes through the node's key agent ([`aviso_node::agent`]): the browser
//! never sees a key. Each part of the desk is a submodule with its own routes, merged
//! here, and its own messages in `web/locales/<tag>/<part>.ftl`.
//!
//! - [`trust`]: the trust list, edited as a draft and published after a preview
//!   ([`trust_diff`]); [`resources`]: resource notices; [`invites`]: the invite as a QR
//!   code; [`signing`]: the lock banner and signing through the agent (`desk-lists.ftl`).
//! - [`index`]: `/desk`, the lock state, whose key this is, and the list of sections.
//! - [`reports`]: `/desk/reports`, open reports grouped by what they are about; dismiss.
//! - [`compose`]: `/desk/alerts/new`, an alert in several languages, previewed as members
//!   see it, from a report, a template or the alert it updates.
//! - [`alerts`]: `/desk/alerts` and an alert's own page: update, cancel, all-clear.
//! - [`cosign`]: `/desk/cosign`, alerts waiting for co-signatures; endorse.
//! - [`templates`]: the organizer's saved alert templates, sealed in the home.
//! - [`respond`]: `/desk/alerts/<id>/responses`, who is on the way, per role, live.

mod alerts;
mod compose;
mod cosign;
mod index;
mod reports;
pub mod respond;
pub mod templates;

use aviso_node::agent::AgentError;
use aviso_node::feed::PageRequest;
use aviso_node::outgoing;
use aviso_node::pipeline::Outcome;
use aviso_node::standing::{Standing, trust_reply};
use aviso_protocol::{Area, Body, Category, Feed, FeedSettings, Id, Kind, PublicKey, Role};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};

use crate::i18n::{Arg, Tr};
use crate::server::{WebState, internal, settings_of, tr_for};

/// Reports read for the queue: one page of the organizers' list, the newest
/// ([`aviso_node::report_list::LIST_PAGE`]); older open reports wait for the CLI's
/// `aviso report list --before`.
pub const QUEUE_REPORTS: usize = aviso_node::report_list::LIST_PAGE;

mod invites;
mod resources;
mod signing;
mod trust;
mod trust_diff;

/// The desk's routes, served beside the member pages (on this machine and to paired
/// phones), behind the same guards.
pub(crate) fn routes() -> Router<WebState> {
    Router::new()
        .merge(respond::routes())
        .merge(trust::routes())
        .merge(resources::routes())
        .merge(invites::routes())
        .route("/desk", get(index::page))
        .route("/desk/reports", get(reports::page))
        .route("/desk/fragments/reports", get(reports::fragment))
        .route("/desk/reports/dismiss", post(reports::dismiss))
        .route("/desk/alerts", get(alerts::list))
        .route("/desk/alerts/new", get(compose::page).post(compose::send))
        .route("/desk/alerts/{id}", get(alerts::page))
        .route("/desk/alerts/{id}/end", post(alerts::end))
        .route("/desk/cosign", get(cosign::page))
        .route("/desk/fragments/cosign", get(cosign::fragment))
        .route("/desk/cosign/{id}", post(cosign::endorse))
}

tokio::task_local! {
    /// Whether this request's pages link to the desk.
    static NAV: bool;
}

/// Whether the navigation of the page being rendered links to the desk: set by [`nav`]
/// for each request; `false` outside one.
pub(crate) fn nav_shown() -> bool {
    NAV.try_with(|d| *d).unwrap_or(false)
}

/// Around the pages: the navigation links to the desk only when the key this node signs
/// with (unlocked, else the configured key file's) is an organizer's in the followed lists.
pub(crate) async fn nav(State(s): State<WebState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path == "/events" || path.starts_with("/push/") {
        return next.run(req).await;
    }
    let shown = match trust_standing(&s).await {
        Ok((Some(_), standing)) => standing.is_organizer(aviso_node::unix_now()),
        _ => false,
    };
    NAV.scope(shown, next.run(req)).await
}

/// The signing key (the unlocked one, else the home's key file's) and what the followed
/// lists say about it.
async fn trust_standing(s: &WebState) -> Result<(Option<PublicKey>, Standing), Response> {
    let me = match s.api.agent.public() {
        Some(k) => Some(k),
        None if s.api.home.as_os_str().is_empty() => None,
        None => aviso_node::member_key::read(&s.api.home)
            .ok()
            .map(|f| f.public()),
    };
    let store = s.api.store.clone();
    let follow = settings_of(s).follow;
    let now = aviso_node::unix_now();
    let reply = tokio::task::spawn_blocking(move || {
        store
            .by_kind(Kind::TrustList)
            .map(|lists| trust_reply(follow, &lists, now))
    })
    .await
    .map_err(|e| internal(&e))?
    .map_err(|e| internal(&e))?;
    let standing = me
        .as_ref()
        .map(|k| Standing::of(reply.clone(), k))
        .unwrap_or_else(|| Standing::of(reply, &PublicKey([0; 32])));
    Ok((me, standing))
}

/// What every desk page knows: the language, the key, its standing, the lock.
pub(crate) struct Desk {
    /// The page language.
    pub tr: Tr,
    /// The member's settings.
    pub settings: FeedSettings,
    /// The signing key, if the home has one.
    pub me: Option<PublicKey>,
    /// Whether the agent holds it unlocked.
    pub unlocked: bool,
    /// Minutes before it locks itself.
    pub locks_in_min: u64,
    /// What the followed lists say about it.
    pub standing: Standing,
    /// Now, unix seconds.
    pub now: u64,
}

impl Desk {
    /// The desk of this request and its feed ([`desk_feed`]).
    pub async fn with_feed(s: &WebState, headers: &HeaderMap) -> Result<(Desk, Feed), Response> {
        let d = Desk::load(s, headers).await?;
        Ok((d, desk_feed(s).await?))
    }

    /// The desk of this request.
    pub async fn load(s: &WebState, headers: &HeaderMap) -> Result<Desk, Response> {
        let settings = settings_of(s);
        let tr = tr_for(headers, Some(&settings));
        let (me, standing) = trust_standing(s).await?;
        let status = s.api.agent.status();
        Ok(Desk {
            tr,
            settings,
            me,
            unlocked: status.unlocked,
            locks_in_min: status.locks_in_secs.map_or(0, |x| x.div_ceil(60)),
            standing,
            now: aviso_node::unix_now(),
        })
    }

    /// The lock box of a page at `path`.
    pub fn lock(&self, path: &str) -> LockBox {
        LockBox::new(&self.tr, self.unlocked, self.locks_in_min, path)
    }

    /// The key's label in the followed lists.
    pub fn label(&self) -> Option<String> {
        self.standing
            .grants()
            .first()
            .map(|g| label_words(&self.tr, &g.label))
    }

    /// Whether a signature of this key on an alert of `category` for `areas` counts,
    /// and what it leaves to co-signers, in words.
    pub fn counts_for(&self, areas: &[Area], category: Category) -> (bool, String) {
        self.counts(areas, category, "desk-counts-more")
    }

    /// The same for a cancel or all-clear of an alert of `category` for `areas`.
    pub fn counts_to_end(&self, areas: &[Area], category: Category) -> String {
        self.counts(areas, category, "desk-counts-more-end").1
    }

    fn counts(&self, areas: &[Area], category: Category, more: &str) -> (bool, String) {
        match self
            .standing
            .check(Role::Organizer, areas, Some(category), self.now)
        {
            Ok(()) => {
                let k = self.standing.threshold(category);
                let mut words = self.tr.args(
                    "desk-counts",
                    &[
                        (
                            "category",
                            Arg::Str(crate::view::category(&self.tr, category)),
                        ),
                        ("areas", Arg::Str(cells(areas))),
                    ],
                );
                if k > 1 {
                    words.push(' ');
                    words.push_str(&self.tr.n(more, "more", u64::from(k - 1)));
                }
                (true, words)
            }
            Err(r) => (false, self.tr.s("desk-counts-not", "why", &r.to_string())),
        }
    }
}

/// The label a list gives a key, in words (the owner's own entry has a fixed label).
pub(crate) fn label_words(tr: &Tr, label: &str) -> String {
    match label {
        aviso_protocol::trust::OWNER_LABEL => tr.t("label-list-owner"),
        l => l.to_owned(),
    }
}

/// Area cells, comma-separated.
pub(crate) fn cells(areas: &[Area]) -> String {
    areas
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lock state shown on every desk page (`desk_lock.html`), with a link to unlock and
/// come back.
#[derive(Debug, Clone)]
pub(crate) struct LockBox {
    /// Whether the key is unlocked.
    pub unlocked: bool,
    /// The state in words.
    pub text: String,
    /// The page to come back to after unlocking.
    pub back: String,
}

impl LockBox {
    /// The key agent's state now, for the page at `back` (pages that build no [`Desk`]).
    pub(crate) fn of(s: &WebState, tr: &Tr, back: &str) -> LockBox {
        let st = s.api.agent.status();
        let minutes = st.locks_in_secs.map_or(0, |x| x.div_ceil(60));
        LockBox::new(tr, st.unlocked, minutes, back)
    }

    fn new(tr: &Tr, unlocked: bool, minutes: u64, back: &str) -> LockBox {
        LockBox {
            unlocked,
            text: if unlocked {
                tr.n("desk-lock-unlocked", "minutes", minutes)
            } else {
                tr.t("desk-lock-locked")
            },
            back: back.to_owned(),
        }
    }

    /// The unlock page, coming back here.
    pub(crate) fn unlock_href(&self) -> String {
        format!("/unlock?back={}", urlencode(&self.back))
    }
}

/// `s` for a query value (the unlock page's `back`).
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The desk's feed: every alert (shown or not) and one page of reports, hidden ones too.
pub(crate) async fn desk_feed(s: &WebState) -> Result<Feed, Response> {
    let req = PageRequest {
        reports: QUEUE_REPORTS,
        before: None,
        skip_hidden: false,
    };
    crate::server::load_feed_page(s, req).await
}

/// A desk page: 422 when it reports a failure (the form is shown again), else 200.
pub(crate) fn answer(page: impl askama::Template, failed: bool) -> Response {
    use axum::response::IntoResponse as _;
    let status = if failed {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    (status, crate::server::html(page)).into_response()
}

/// Why a signature was not made or not taken.
#[derive(Debug)]
pub(crate) enum SignFailure {
    /// The key is locked: unlock, then send again.
    Locked,
    /// Anything else, in words.
    Other(String),
}

impl SignFailure {
    /// In words.
    pub fn words(&self, tr: &Tr) -> String {
        match self {
            SignFailure::Locked => tr.t("desk-locked-sign"),
            SignFailure::Other(w) => tr.s("error-generic", "why", w),
        }
    }
}

/// Check `body` (a `what`), sign it with the agent for `ttl` seconds, created no earlier
/// than `not_before`, and publish it through the node; its id.
pub(crate) async fn sign_and_publish(
    s: &WebState,
    tr: &Tr,
    what: &str,
    body: Body,
    ttl: u64,
    not_before: u64,
) -> Result<Id, SignFailure> {
    let now = aviso_node::unix_now();
    outgoing::check(&body, what, ttl, now).map_err(|e| SignFailure::Other(e.to_string()))?;
    let community = s
        .api
        .community
        .as_ref()
        .map(|c| c.id)
        .ok_or_else(|| SignFailure::Other(outgoing::OutgoingError::NoCommunity.to_string()))?;
    let at = now.max(not_before);
    let env = s
        .api
        .agent
        .sign(community, &body, at, at.saturating_add(ttl))
        .map_err(|e| match e {
            AgentError::Locked => SignFailure::Locked,
            other => SignFailure::Other(crate::server::agent_message(tr, &other)),
        })?;
    let id = env.id();
    match s.api.client.publish(env.into_bytes()).await {
        Ok(Outcome::Accepted { .. } | Outcome::Duplicate { .. }) => Ok(id),
        Ok(other) => Err(SignFailure::Other(crate::server::outcome_words(&other))),
        Err(e) => Err(SignFailure::Other(e.to_string())),
    }
}

/// A form's hidden ids: full hex ids only.
pub(crate) fn parse_ids<'a>(values: impl Iterator<Item = &'a str>) -> Vec<Id> {
    values
        .filter_map(|v| Id::from_hex(v.trim()).ok())
        .take(MAX_FORM_IDS)
        .collect()
}

/// Most ids one desk form acts on (a group of reports): a bound on the signatures one
/// click makes.
pub const MAX_FORM_IDS: usize = 64;

/// A form body as name-value pairs (forms repeat names).
pub(crate) fn pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

/// The first value of `name` in `pairs`, or "".
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_are_encoded() {
        assert_eq!(urlencode("/desk/trust/publish"), "/desk/trust/publish");
        assert_eq!(
            urlencode("/desk/trust?edit=a b&x"),
            "/desk/trust%3Fedit%3Da%20b%26x"
        );
    }
}
