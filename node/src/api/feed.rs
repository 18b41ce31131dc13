//! `GET /v1/feed`, `GET /v1/envelopes/{id}`, `GET /v1/ids`, `GET /v1/export`: what is
//! stored and what the member sees of it.

use aviso_protocol::Id;
use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use super::wire::{
    self, ApiError, EnvelopeReply, ExportReply, FeedQuery, FeedReply, IdsQuery, IdsReply,
};
use super::{AppState, Failure, blocking, current_feed};
use crate::feed::{Cursor, DEFAULT_PAGE_REPORTS, MAX_PAGE_REPORTS, PageRequest};

/// Shortest id prefix `/v1/ids` resolves: what `aviso` accepts for a short id.
const MIN_ID_PREFIX: usize = 6;
/// Most ids `/v1/ids` returns: enough to say "ambiguous", whatever the store holds.
const MAX_ID_MATCHES: usize = 16;

/// What the member sees: every alert and resource, one page of reports (newest first)
/// and the `next` page's cursor. With `all=true`, hidden items too, with their reasons.
#[utoipa::path(
    get,
    path = wire::paths::FEED,
    tag = "feed",
    params(FeedQuery),
    responses(
        (status = 200, description = "`{alerts, reports, resources, next}`; items as `protocol/src/feed.rs` serializes them", body = FeedReply),
        (status = 400, description = "a bad query: too many reports, a bad cursor", body = ApiError),
    )
)]
pub(super) async fn feed(
    State(s): State<AppState>,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Json<FeedReply>, Failure> {
    let Query(q) = query?;
    let reports = q.reports.unwrap_or(DEFAULT_PAGE_REPORTS);
    if reports > MAX_PAGE_REPORTS {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            format!("at most {MAX_PAGE_REPORTS} reports per page"),
            "ask for fewer and follow `next` for more",
        ));
    }
    let before = match q.before.as_deref().map(str::parse::<Cursor>) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            return Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "not a page cursor",
                e.to_string(),
            ));
        }
    };
    let req = PageRequest {
        reports,
        before,
        skip_hidden: !q.all,
    };
    let page = current_feed(&s.api, req, Vec::new()).await?;
    Ok(Json(FeedReply {
        feed: if q.all { page.feed } else { page.feed.shown() },
        next: page.next.map(|c| c.to_string()),
    }))
}

/// One stored envelope: its fields, the received bytes (hex) and the decoded body.
#[utoipa::path(
    get,
    path = wire::paths::ENVELOPE,
    tag = "messages",
    params(("id" = String, Path, description = "the envelope id, 64 hex characters")),
    responses(
        (status = 200, body = EnvelopeReply),
        (status = 400, description = "not an id", body = ApiError),
        (status = 404, description = "not stored (expired, or not received yet)", body = ApiError),
    )
)]
pub(super) async fn envelope(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<EnvelopeReply>, Failure> {
    let Path(id) = id?;
    let id = Id::from_hex(&id).map_err(|_| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "not an envelope id",
            "an id is 64 hex characters",
        )
    })?;
    let store = s.api.store.clone();
    let Some(env) = blocking(move || store.get(&id)).await? else {
        return Err(Failure::new(
            StatusCode::NOT_FOUND,
            format!("no envelope {id} is stored"),
            "it may have expired, or not reached this node yet",
        ));
    };
    Ok(Json(EnvelopeReply {
        id: env.id(),
        kind: env.kind(),
        community: env.community(),
        author: env.author(),
        created_at: env.created_at(),
        expires_at: env.expires_at(),
        bytes: hex::encode(env.bytes()),
        body: env.body().clone(),
    }))
}

/// Ids starting with a prefix: short ids people type resolve against the whole store,
/// not only the page of the feed they saw.
#[utoipa::path(
    get,
    path = wire::paths::IDS,
    tag = "messages",
    params(IdsQuery),
    responses(
        (status = 200, body = IdsReply),
        (status = 400, description = "not 6 to 64 hex characters", body = ApiError),
    )
)]
pub(super) async fn ids(
    State(s): State<AppState>,
    query: Result<Query<IdsQuery>, QueryRejection>,
) -> Result<Json<IdsReply>, Failure> {
    let Query(q) = query?;
    let prefix = q.prefix.to_ascii_lowercase();
    if !(MIN_ID_PREFIX..=64).contains(&prefix.len())
        || !prefix.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "not an id prefix",
            format!("give {MIN_ID_PREFIX} to 64 hex characters of an envelope id"),
        ));
    }
    let store = s.api.store.clone();
    let ids = blocking(move || store.ids_with_prefix(&prefix, MAX_ID_MATCHES)).await?;
    Ok(Json(IdsReply { ids }))
}

/// Every stored envelope, as hex of its received bytes, oldest first.
#[utoipa::path(
    get,
    path = wire::paths::EXPORT,
    tag = "messages",
    responses((status = 200, body = ExportReply))
)]
pub(super) async fn export(State(s): State<AppState>) -> Result<Json<ExportReply>, Failure> {
    let store = s.api.store.clone();
    let all = blocking(move || store.all()).await?;
    let envelopes = all.iter().map(|e| hex::encode(e.bytes())).collect();
    Ok(Json(ExportReply { envelopes }))
}
