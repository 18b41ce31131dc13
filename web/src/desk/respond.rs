//! The desk's view of a response: how many members are on the way to an alert, per role,
//! with when they expect to arrive, live. Counts and times only: no responder's key or
//! name is shown here either (docs/protocol.md, "Response").

use askama::Template;
use aviso_protocol::{Id, ResponderRole, ResponseTally};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::i18n::Tr;
use crate::pages::Frame;
use crate::server::{WebState, html, load_feed, settings_of, tr_for};

/// The routes: the page and the fragment its script fetches on each change.
pub(crate) fn routes() -> Router<WebState> {
    Router::new()
        .route("/desk/alerts/{id}/responses", get(page))
        .route("/desk/alerts/{id}/responses/live", get(fragment))
}

/// One role's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleRow {
    /// The role's name (`legal-observer`), for tests and styles.
    pub role: &'static str,
    /// The role in words.
    pub words: String,
    /// How many are on the way in it.
    pub count: u32,
    /// When they expect to arrive, in words, soonest first.
    pub arrivals: String,
}

/// What the desk shows of one alert's responses.
#[derive(Debug, Clone)]
pub struct ResponsesView {
    /// The alert's id, hex.
    pub alert: String,
    /// The alert ended or expired (or is not known here).
    pub ended: bool,
    /// "3 people are responding".
    pub total: String,
    /// "1 person can't respond".
    pub cant: String,
    /// Every role, with zero counts too, so the table keeps its shape.
    pub rows: Vec<RoleRow>,
}

/// The view of `tally` (`None`: the alert is not live) at `now`.
fn view(tr: &Tr, alert: &str, tally: Option<&ResponseTally>, now: u64) -> ResponsesView {
    let empty = ResponseTally::new(Id([0; 32]));
    let t = tally.unwrap_or(&empty);
    let rows = ResponderRole::ALL
        .iter()
        .map(|role| {
            let r = t.roles.iter().find(|r| r.role == *role);
            let count = r.map_or(0, |r| r.count);
            let times: Vec<String> = r
                .map(|r| r.arrivals.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|at| tr.n("desk-responses-in", "minutes", at.saturating_sub(now) / 60))
                .collect();
            let given = u32::try_from(times.len()).unwrap_or(u32::MAX);
            let mut arrivals = times.join(", ");
            if count > given {
                if !arrivals.is_empty() {
                    arrivals.push_str(", ");
                }
                arrivals.push_str(&tr.t("desk-responses-no-eta"));
            }
            RoleRow {
                role: role.as_str(),
                words: crate::respond::role_words(tr, *role),
                count,
                arrivals: if count == 0 { String::new() } else { arrivals },
            }
        })
        .collect();
    ResponsesView {
        alert: alert.to_owned(),
        ended: tally.is_none(),
        total: tr.n("respond-count", "count", u64::from(t.responding)),
        cant: tr.n("desk-responses-cant", "count", u64::from(t.cant_respond)),
        rows,
    }
}

/// The page.
#[derive(Debug, Template)]
#[template(path = "desk_responses.html")]
pub struct ResponsesPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The counts.
    pub v: ResponsesView,
}

/// The counts alone, swapped in live.
#[derive(Debug, Template)]
#[template(path = "desk_responses_list.html")]
pub struct ResponsesFragment<'a> {
    /// For the strings.
    pub frame: Frame<'a>,
    /// The counts.
    pub v: ResponsesView,
}

async fn current(
    s: &WebState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Tr, ResponsesView), Response> {
    let tr = tr_for(headers, Some(&settings_of(s)));
    let Ok(alert) = Id::from_hex(id) else {
        return Err((StatusCode::NOT_FOUND, tr.t("error-not-found")).into_response());
    };
    let feed = load_feed(s).await?;
    let tally = aviso_node::respond::tally_of(&feed, &alert);
    let v = view(&tr, &alert.to_hex(), tally.as_ref(), aviso_node::unix_now());
    Ok((tr, v))
}

async fn page(State(s): State<WebState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    match current(&s, &headers, &id).await {
        Ok((tr, v)) => {
            let path = format!("/desk/alerts/{}/responses", v.alert);
            html(ResponsesPage {
                frame: Frame::new(&tr, "desk", path),
                v,
            })
        }
        Err(r) => r,
    }
}

async fn fragment(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    match current(&s, &headers, &id).await {
        Ok((tr, v)) => html(ResponsesFragment {
            frame: Frame::new(&tr, "desk", format!("/desk/alerts/{}/responses", v.alert)),
            v,
        }),
        Err(r) => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::response::RoleTally;

    #[test]
    fn every_role_has_a_row_and_arrivals_read_in_minutes() {
        let tr = Tr::negotiate(&["en"], None);
        let mut t = ResponseTally::new(Id([1; 32]));
        t.responding = 2;
        t.roles.push(RoleTally {
            role: ResponderRole::Driver,
            count: 2,
            arrivals: vec![1_000 + 15 * 60],
        });
        let v = view(&tr, "ab", Some(&t), 1_000);
        assert!(!v.ended);
        assert_eq!(v.rows.len(), ResponderRole::ALL.len());
        let driver = v.rows.iter().find(|r| r.role == "driver").unwrap();
        assert_eq!(driver.count, 2);
        assert_eq!(driver.arrivals, "in 15 minutes, no time given");
        assert!(view(&tr, "ab", None, 1_000).ended);
    }
}
