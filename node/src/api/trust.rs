//! `GET /v1/trust`: who the member's followed lists trust, and for what.

use aviso_protocol::{Body, Kind, Threshold, TrustView};
use axum::Json;
use axum::extract::State;

use super::wire::{self, RevokedKey, TrustKey, TrustReply};
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
    let now = crate::unix_now();
    let view = TrustView::build(&settings.follow, &lists, now);
    let mut keys: Vec<TrustKey> = view
        .keys()
        .map(|k| TrustKey {
            key: *k,
            fingerprint: k.fingerprint(),
            grants: view.grants(k).to_vec(),
            revoked_since: view.revocation(k),
        })
        .collect();
    keys.sort_by_key(|k| k.key);
    let revoked: Vec<RevokedKey> = lists
        .iter()
        .filter_map(|e| match e.body() {
            Body::TrustList(l) if view.lists().iter().any(|c| c.id == e.id()) => Some(&l.revoked),
            _ => None,
        })
        .flatten()
        .map(|r| RevokedKey {
            key: r.key,
            fingerprint: r.key.fingerprint(),
            since: r.since,
            reason: r.reason.clone(),
        })
        .collect();
    let mut thresholds: Vec<Threshold> = view
        .thresholds()
        .map(|(category, k)| Threshold { category, k })
        .collect();
    thresholds.sort_by_key(|t| t.category);
    Ok(Json(TrustReply {
        follow: settings.follow,
        lists: view.lists().to_vec(),
        keys,
        revoked,
        thresholds,
    }))
}
