//! `GET /v1/responses/{id}`: how many members are answering a live alert, per role, with
//! their ETAs: what the organizers' desk shows. Publishing a response goes through
//! `POST /v1/publish` like any envelope.

use aviso_protocol::Id;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::wire::{self, ApiError, ResponsesReply};
use super::{AppState, Failure, current_feed};
use crate::feed::PageRequest;

/// The answers to the alert thread of `{id}` (any version of it), counted with the
/// member's lists; 404 unless that alert is live (shown, apart from the areas chosen).
#[utoipa::path(
    get,
    path = wire::paths::RESPONSES,
    tag = "feed",
    params(("id" = String, Path, description = "the id of any version of the alert, 64 hex characters")),
    responses(
        (status = 200, body = ResponsesReply),
        (status = 400, description = "not an id", body = ApiError),
        (status = 404, description = "no live alert with this id", body = ApiError),
    )
)]
pub(super) async fn responses(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ResponsesReply>, Failure> {
    let Path(id) = id?;
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
    Ok(Json(ResponsesReply {
        thread: tally.thread,
        tally,
    }))
}
