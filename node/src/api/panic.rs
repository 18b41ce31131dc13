//! `POST /v1/panic`: the panic wipe, from the CLI (`aviso panic`) or the web app's button.
//!
//! The key agent is locked, then [`crate::at_rest::wipe`] destroys the home's keys and
//! data, and the daemon is told to stop ([`crate::at_rest::request_stop`]). Nothing is
//! logged: the log must not say a wipe happened.

use axum::Json;
use axum::extract::State;

use super::AppState;
use super::wire::{self, PanicReply};

/// Destroy this home's keys and data now, then stop the node.
#[utoipa::path(post, path = wire::paths::PANIC, tag = "node", responses((status = 200, body = PanicReply)))]
pub(super) async fn panic(State(s): State<AppState>) -> Json<PanicReply> {
    s.api.agent.lock();
    let home = s.api.home.clone();
    let _ = tokio::task::spawn_blocking(move || {
        crate::at_rest::wipe(&home);
        crate::at_rest::request_stop(&home);
    })
    .await;
    Json(PanicReply {})
}
