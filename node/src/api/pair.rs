//! Phones on the LAN (`/v1/web/pair`, `/v1/web/devices`): pairing codes for
//! `aviso web pair`, and the paired devices, which the member can revoke.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use super::wire::{self, ApiError, DevicesReply, RevokeReply, WebPairReply};
use super::{AppState, Failure};
use crate::lan::ca::fingerprint_text;
use crate::lan::pairing::PAIR_CODE_TTL;

/// A one-time pairing code and the URL that carries it, for a phone on the LAN.
#[utoipa::path(
    post,
    path = wire::paths::WEB_PAIR,
    tag = "web",
    responses(
        (status = 200, body = WebPairReply),
        (status = 409, description = "the node does not serve phones on the LAN", body = ApiError),
    )
)]
pub(super) async fn pair(State(s): State<AppState>) -> Result<Json<WebPairReply>, Failure> {
    let Some(served) = s.api.lan.served() else {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "this node does not serve phones on the home network",
            "turn it on with `lan = true` under [web] in config.toml (or `aviso node --lan`), \
             then restart the node",
        ));
    };
    let code = s.api.lan.pairing.new_code().map_err(Failure::internal)?;
    let base = served.base_url();
    Ok(Json(WebPairReply {
        url: format!("{base}/pair#{code}"),
        code,
        expires_in_secs: PAIR_CODE_TTL.as_secs(),
        ca_fingerprint: hex::encode(served.ca_fingerprint),
        ca_fingerprint_text: fingerprint_text(&served.ca_fingerprint),
        ca_url: format!("{base}/ca.crt"),
    }))
}

/// The devices paired with this node.
#[utoipa::path(get, path = wire::paths::WEB_DEVICES, tag = "web", responses((status = 200, body = DevicesReply)))]
pub(super) async fn devices(State(s): State<AppState>) -> Json<DevicesReply> {
    Json(DevicesReply {
        devices: s.api.lan.pairing.devices(),
    })
}

/// Unpair a device: its cookie is refused at once and its open pages stop updating.
#[utoipa::path(
    post,
    path = wire::paths::WEB_REVOKE,
    tag = "web",
    params(("id" = String, Path, description = "the device's short id")),
    responses(
        (status = 200, body = RevokeReply),
        (status = 404, description = "no such device", body = ApiError),
    )
)]
pub(super) async fn revoke(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<RevokeReply>, Failure> {
    let Path(id) = id?;
    let pairing = &s.api.lan.pairing;
    let device = pairing.devices().into_iter().find(|d| d.id == id);
    match device {
        Some(d) if pairing.revoke(&id) => Ok(Json(RevokeReply { revoked: d })),
        _ => Err(Failure::new(
            StatusCode::NOT_FOUND,
            "no paired device has this id",
            "see the ids with `aviso web devices`",
        )),
    }
}
