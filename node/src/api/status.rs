//! `GET /v1/status`, `GET /v1/peers`, `POST /v1/sync`: the node and its network.

use axum::Json;
use axum::extract::State;

use super::wire::{self, ApiError, CommunityReply, PeersReply, StatusReply, SyncReply};
use super::{AppState, Failure, blocking};

/// Version, peer id, listen addresses, peer count, store counts, uptime, community.
#[utoipa::path(
    get,
    path = wire::paths::STATUS,
    tag = "node",
    responses(
        (status = 200, body = StatusReply),
        (status = 503, description = "the network side is not running", body = ApiError),
    )
)]
pub(super) async fn status(State(s): State<AppState>) -> Result<Json<StatusReply>, Failure> {
    let net = s.api.client.status().await?;
    let store = s.api.store.clone();
    let damaged = s.api.store.damaged();
    let counts = blocking(move || store.counts()).await?;
    Ok(Json(StatusReply {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        peer_id: s.api.peer_id.to_string(),
        listen_addrs: net.listen_addrs,
        peers: net.peers.len(),
        store: wire::StoreCounts {
            damaged,
            ..counts.into()
        },
        uptime_secs: s.api.started.elapsed().as_secs(),
        community: s.api.community.as_ref().map(|c| CommunityReply {
            id: c.id.to_hex(),
            name: c.name.clone(),
            roots: c.roots.iter().map(|k| k.to_hex()).collect(),
        }),
        reachability: net.reachability,
    }))
}

/// Connected peers: peer id, address, mesh membership, score, ping, last catch-up.
#[utoipa::path(
    get,
    path = wire::paths::PEERS,
    tag = "node",
    responses(
        (status = 200, body = PeersReply),
        (status = 503, description = "the network side is not running", body = ApiError),
    )
)]
pub(super) async fn peers(State(s): State<AppState>) -> Result<Json<PeersReply>, Failure> {
    let net = s.api.client.status().await?;
    Ok(Json(PeersReply {
        peers: net.peers,
        reservations: net.reachability.reservations,
        reachability: net.reachability.summary,
    }))
}

/// Start catch-up sessions with every connected peer now.
#[utoipa::path(
    post,
    path = wire::paths::SYNC,
    tag = "node",
    responses(
        (status = 200, body = SyncReply),
        (status = 503, description = "the network side is not running", body = ApiError),
    )
)]
pub(super) async fn sync_now(State(s): State<AppState>) -> Result<Json<SyncReply>, Failure> {
    let started = s.api.client.sync_now().await?;
    Ok(Json(SyncReply { started }))
}
