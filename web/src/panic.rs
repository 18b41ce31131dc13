//! The panic button: `GET /panic` asks to confirm, `POST /panic` wipes the node's home
//! ([`aviso_node::at_rest::wipe`]) and stops the node. Linked from the settings page. No
//! script: the confirm step is a page of its own. Nothing in the reply or the log says a
//! wipe happened.

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use crate::i18n::Tr;
use crate::pages::Frame;
use crate::server::{WebState, html, settings_of, tr_for};

/// The confirm step.
#[derive(Debug, Template)]
#[template(path = "panic.html")]
pub struct PanicPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
}

/// `GET /panic`: what the button does, and the button.
pub(crate) async fn page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr: Tr = tr_for(&headers, Some(&settings_of(&s)));
    html(PanicPage {
        frame: Frame::new(&tr, "settings", "/panic"),
    })
}

/// `POST /panic`: wipe, stop, and send the browser to the sign-in page.
pub(crate) async fn wipe(State(s): State<WebState>) -> Response {
    s.api.agent.lock();
    let home = s.api.home.clone();
    let _ = tokio::task::spawn_blocking(move || {
        aviso_node::at_rest::wipe(&home);
        aviso_node::at_rest::request_stop(&home);
    })
    .await;
    Redirect::to("/signin").into_response()
}
