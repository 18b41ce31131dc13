//! `GET /v1/trust`: who the member's followed lists trust, and for what.

use aviso_protocol::Kind;
use axum::Json;
use axum::extract::State;

use super::wire::{self, TrustReply};
use super::{AppState, Failure, blocking, read_settings};

/// The lists the member follows (and their delegates), each key's grants and
/// revocation, every revocation, and the signature thresholds.
#[utoipa::path(
    get,
    path = wire::paths::TRUST,
    tag = "trust",
    responses((status = 200, body = TrustReply))
)]
pub(super) async fn trust(State(s): State<AppState>) -> Result<Json<TrustReply>, Failure> {
    let settings = read_settings(&s.api);
    let store = s.api.store.clone();
    let lists = blocking(move || store.by_kind(Kind::TrustList)).await?;
    Ok(Json(crate::standing::trust_reply(
        settings.follow,
        &lists,
        crate::unix_now(),
    )))
}
