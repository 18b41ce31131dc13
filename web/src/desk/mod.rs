//! The organizer desk: the pages where organizers verify reports, sign and co-sign
//! alerts, keep resource notices and the trust list, and follow a response.
//!
//! Every signature goes through the node's key agent ([`aviso_node::agent`]): the browser
//! never sees a key. Each part of the desk is a submodule with its own routes, merged
//! here, and its own messages in `web/locales/<tag>/<part>.ftl`.

pub mod respond;

use axum::Router;

use crate::server::WebState;

/// The desk's routes, served beside the member pages (on this machine and to paired
/// phones), behind the same guards.
pub(crate) fn routes() -> Router<WebState> {
    Router::new().merge(respond::routes())
}
