//! `GET /v1/responses/{id}`: how many members are answering a live alert, per role, with
//! their ETAs: what the organizers' desk shows. Publishing a response goes through
//! `POST /v1/publish` like any envelope.

use aviso_protocol::{Id, PublicKey};
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use super::wire::{self, ApiError, ResponsesQuery, ResponsesReply};
use super::{AppState, Failure, current_feed};
use crate::feed::PageRequest;

/// The answers to the alert thread of `{id}` (any version of it), counted with the
/// member's lists; 404 unless that alert is live (shown, apart from the areas chosen).
#[utoipa::path(
    get,
    path = wire::paths::RESPONSES,
    tag = "feed",
    params(
        ("id" = String, Path, description = "the id of any version of the alert, 64 hex characters"),
        ResponsesQuery,
    ),
    responses(
        (status = 200, body = ResponsesReply),
        (status = 400, description = "not an id", body = ApiError),
        (status = 404, description = "no live alert with this id", body = ApiError),
    )
)]
pub(super) async fn responses(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<ResponsesQuery>, QueryRejection>,
) -> Result<Json<ResponsesReply>, Failure> {
    let Path(id) = id?;
    let Query(query) = query.map_err(|e| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            e.body_text(),
            "the only query is author=<public key, 64 hex characters>",
        )
    })?;
    let author = match query.author.as_deref().map(PublicKey::from_hex) {
        None => None,
        Some(Ok(k)) => Some(k),
        Some(Err(_)) => {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "author is not a public key",
                "a public key is 64 hex characters",
            ));
        }
    };
    let id = Id::from_hex(&id).map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "not an alert id",
            "an id is 64 hex characters",
        )
    })?;
    let req = PageRequest {
        reports: 0,
        ..PageRequest::default()
    };
    let feed = current_feed(&s.api, req, Vec::new()).await?.feed;
    let Some(tally) = crate::respond::tally_of(&feed, &id) else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no live alert {}", id.short()),
            "it may have ended or expired, or not reached this node yet",
        ));
    };
    let next_answer_at = match author {
        Some(k) => Some(
            crate::respond::next_created_at(s.api.store.as_ref(), &k, crate::unix_now())
                .map_err(Failure::internal)?,
        ),
        None => None,
    };
    Ok(Json(ResponsesReply {
        thread: tally.thread,
        tally,
        next_answer_at,
    }))
}
