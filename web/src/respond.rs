//! Answering an alert from its page: "I'm responding" with a role and an optional ETA,
//! "I can't respond", or withdrawing the answer, signed through the node's key agent.
//! Members see only how many are responding (on the alert page and its card), live; the
//! organizers' desk shows counts per role with ETAs (`crate::desk::respond`).
//!
//! What an answer reveals is said on the page: every node of the community sees that the
//! member's key answered this alert.

use askama::Template;
use aviso_node::pipeline::Outcome;
use aviso_protocol::{Answer, Id, ResponderRole, ResponseTally};
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::i18n::Tr;
use crate::pages::{AlertPage, Frame};
use crate::server::{WebState, context, html, load_feed, settings_of, tr_for};
use crate::view::{self, AlertCard};

/// The ETAs a member picks from, in minutes: "soon", "within the hour" and between,
/// coarse on purpose (an ETA is a promise, not a tracker).
pub const ETA_CHOICES: [u16; 5] = [5, 15, 30, 60, 120];

/// The routes of answering: the form's target and the live count.
pub(crate) fn routes() -> Router<WebState> {
    Router::new()
        .route("/alerts/{id}/respond", post(respond_send))
        .route("/fragments/alerts/{id}/responses", get(count_fragment))
}

/// How many respond to the alert thread `thread`.
pub(crate) fn responding(tallies: &[ResponseTally], thread: Id) -> u64 {
    tallies
        .iter()
        .find(|t| t.thread == thread)
        .map_or(0, |t| u64::from(t.responding))
}

/// A role in the page's language.
pub(crate) fn role_words(tr: &Tr, role: ResponderRole) -> String {
    tr.t(&format!("respond-role-{}", role.as_str()))
}

/// The answer box under an alert.
#[derive(Debug, Clone)]
pub struct RespondBox {
    /// The alert's id, hex.
    pub alert: String,
    /// "3 people are responding", in words.
    pub count: String,
    /// Role values and words.
    pub roles: Vec<(&'static str, String)>,
    /// ETA values (minutes) and words.
    pub etas: Vec<(u16, String)>,
    /// The key is locked: answering needs the unlock page first.
    pub locked: bool,
    /// What happened to the answer just sent.
    pub notice: Option<String>,
    /// Why the answer was not sent.
    pub error: Option<String>,
}

/// The answer box for `card`, in `tr`'s language.
pub fn answer_box(tr: &Tr, card: &AlertCard, locked: bool) -> RespondBox {
    RespondBox {
        alert: card.id.clone(),
        count: tr.n("respond-count", "count", card.responding),
        roles: ResponderRole::ALL
            .iter()
            .map(|r| (r.as_str(), role_words(tr, *r)))
            .collect(),
        etas: ETA_CHOICES
            .iter()
            .map(|m| (*m, tr.n("respond-eta-minutes", "minutes", u64::from(*m))))
            .collect(),
        locked,
        notice: None,
        error: None,
    }
}

/// The answer form as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnswerFields {
    /// `going`, `cant` or `withdraw`.
    answer: String,
    role: String,
    /// Minutes, one of [`ETA_CHOICES`], or empty.
    eta: String,
}

impl AnswerFields {
    fn answer(&self) -> Option<Answer> {
        match self.answer.as_str() {
            "going" => {
                let role = ResponderRole::parse(&self.role)?;
                let eta_minutes = match self.eta.trim() {
                    "" => None,
                    m => Some(m.parse().ok().filter(|m| ETA_CHOICES.contains(m))?),
                };
                Some(Answer::Responding { role, eta_minutes })
            }
            "cant" => Some(Answer::CantRespond),
            "withdraw" => Some(Answer::Withdrawn),
            _ => None,
        }
    }
}

/// Sign and publish the member's answer, then show the alert page again with what
/// happened. Refused with the unlock link while the key is locked.
async fn respond_send(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<AnswerFields>,
) -> Response {
    let settings = settings_of(&s);
    let tr = tr_for(&headers, Some(&settings));
    let feed = match load_feed(&s).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let cx = context(&s, &tr, &settings, Some(&feed));
    let Some(card) = view::alert(&cx, &feed, &id, None) else {
        return (StatusCode::NOT_FOUND, tr.t("respond-not-live")).into_response();
    };
    let locked = !s.api.agent.status().unlocked;
    let mut answer_box = answer_box(&tr, &card, locked);
    let page = |status: StatusCode, b: RespondBox| {
        let path = format!("/alerts/{}", card.id);
        let page = AlertPage {
            frame: Frame::new(&tr, "alert", path),
            a: &card,
            respond: b,
        };
        (status, html(page)).into_response()
    };
    let Some(answer) = f.answer() else {
        answer_box.error = Some(tr.t("respond-bad-form"));
        return page(StatusCode::UNPROCESSABLE_ENTITY, answer_box);
    };
    let (Some(community), Some((head, expires_at))) = (
        s.api.community.as_ref().map(|c| c.id),
        Id::from_hex(&card.id)
            .ok()
            .and_then(|id| aviso_node::respond::head_of(&feed, &id)),
    ) else {
        return (StatusCode::NOT_FOUND, tr.t("respond-not-live")).into_response();
    };
    let now = aviso_node::unix_now();
    if expires_at <= now {
        return (StatusCode::NOT_FOUND, tr.t("respond-not-live")).into_response();
    }
    let body = aviso_node::respond::body(head, answer);
    // After this key's previous answer, so that this one replaces it.
    let created = match s.api.agent.status().public_key {
        Some(me) => {
            aviso_node::respond::next_created_at(s.api.store.as_ref(), &me, now).unwrap_or(now)
        }
        None => now,
    };
    if created >= expires_at {
        return (StatusCode::NOT_FOUND, tr.t("respond-not-live")).into_response();
    }
    let env = match s.api.agent.sign(community, &body, created, expires_at) {
        Ok(env) => env,
        Err(aviso_node::agent::AgentError::Locked) => {
            answer_box.locked = true;
            answer_box.error = Some(tr.t("respond-locked"));
            return page(StatusCode::CONFLICT, answer_box);
        }
        Err(e) => {
            answer_box.error = Some(tr.s("respond-failed", "why", &e.to_string()));
            return page(StatusCode::UNPROCESSABLE_ENTITY, answer_box);
        }
    };
    match s.api.client.publish(env.into_bytes()).await {
        Ok(Outcome::Accepted { .. } | Outcome::Duplicate { .. }) => {
            let key = match answer {
                Answer::Responding { .. } => "respond-sent-going",
                Answer::CantRespond => "respond-sent-cant",
                Answer::Withdrawn => "respond-sent-withdrawn",
            };
            answer_box.notice = Some(tr.t(key));
            // The count as it is now, with this answer in it.
            if let Ok(feed) = load_feed(&s).await {
                let n = aviso_node::respond::tally_of(&feed, &head).map_or(0, |t| t.responding);
                answer_box.count = tr.n("respond-count", "count", u64::from(n));
            }
            page(StatusCode::OK, answer_box)
        }
        Ok(other) => {
            let why = match other {
                Outcome::Ignored { reason }
                | Outcome::Rejected { reason }
                | Outcome::Throttled { reason, .. } => reason,
                other => format!("{other:?}"),
            };
            answer_box.error = Some(tr.s("respond-failed", "why", &why));
            page(StatusCode::UNPROCESSABLE_ENTITY, answer_box)
        }
        Err(e) => {
            answer_box.error = Some(tr.s("respond-failed", "why", &e.to_string()));
            page(StatusCode::SERVICE_UNAVAILABLE, answer_box)
        }
    }
}

/// The live count under an alert: a count only, never who.
async fn count_fragment(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let feed = match load_feed(&s).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let words = match Id::from_hex(&id)
        .ok()
        .and_then(|id| aviso_node::respond::tally_of(&feed, &id))
    {
        Some(t) => tr.n("respond-count", "count", u64::from(t.responding)),
        None => tr.t("respond-not-live"),
    };
    html(CountFragment { words })
}

/// The live count alone, which the page's script swaps in.
#[derive(Debug, Template)]
#[template(path = "respond_count.html")]
struct CountFragment {
    /// "3 people are responding", or that the alert ended.
    words: String,
}
