//! `POST /v1/publish`: a signed envelope through the pipeline.

use aviso_protocol::limits::MAX_ENVELOPE_BYTES;
use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;

use super::wire::{self, ApiError, Outcome, PublishReply, PublishRequest};
use super::{AppState, Failure};

/// Validate, store and gossip a signed envelope; answers the pipeline's outcome (200 when
/// stored, 422 with `error` and `hint` when not).
#[utoipa::path(
    post,
    path = wire::paths::PUBLISH,
    tag = "messages",
    request_body = PublishRequest,
    responses(
        (status = 200, description = "stored: `accepted` or `duplicate`", body = PublishReply),
        (status = 422, description = "not stored: `ignored`, `throttled` or `rejected`, with `error` and `hint`", body = PublishReply),
        (status = 400, description = "not hex, or not JSON", body = ApiError),
        (status = 413, description = "too large", body = ApiError),
        (status = 503, description = "the network side is not running", body = ApiError),
    )
)]
pub(super) async fn publish(
    State(s): State<AppState>,
    body: Result<Json<PublishRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<PublishReply>), Failure> {
    let Json(req) = body?;
    let text = req.envelope.trim();
    if text.len() > 2 * MAX_ENVELOPE_BYTES {
        return Err(Failure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("envelope is larger than {MAX_ENVELOPE_BYTES} bytes"),
            "shorten the message; an envelope has at most 64 KiB",
        ));
    }
    let bytes = hex::decode(text).map_err(|e| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            format!("`envelope` is not hex: {e}"),
            "send the signed envelope bytes as hex",
        )
    })?;
    let outcome = s.api.client.publish(bytes).await?;
    let (error, hint) = match &outcome {
        Outcome::Accepted { .. } | Outcome::Duplicate { .. } => {
            let reply = PublishReply {
                outcome,
                error: None,
                hint: None,
            };
            return Ok((StatusCode::OK, Json(reply)));
        }
        Outcome::Ignored { reason } | Outcome::Throttled { reason, .. } => (
            format!("envelope not accepted: {reason}"),
            "it is well-formed but not accepted now: check the clock, the expiry, the rate \
             limits and that the author is on the community's trust lists",
        ),
        Outcome::Rejected { reason } => (
            format!("envelope rejected: {reason}"),
            "it is malformed or badly signed; sign it again",
        ),
    };
    let reply = PublishReply {
        outcome,
        error: Some(error),
        hint: Some(hint.to_owned()),
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(reply)))
}
