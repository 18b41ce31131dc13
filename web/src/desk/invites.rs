//! `/desk/invites`: the community's invite, as a QR code to scan from the screen and as
//! text to copy, with what it gives and how long it holds.
//!
//! The invite is the one `aviso community invite` prints: signed by a root, naming the
//! community, its root keys and addresses of nodes to start from. Showing it signs
//! nothing. It lets a phone or a computer join and follow the roots' lists; it makes no
//! one a member or an organizer (that is the trust list's work).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::LockBox;
use crate::i18n::Tr;
use crate::pages::Frame;
use crate::server::{WebState, html, settings_of, tr_for};

/// The routes.
pub(crate) fn routes() -> Router<WebState> {
    Router::new().route("/desk/invites", get(page))
}

/// The invite page.
#[derive(Template)]
#[template(path = "desk_invites.html")]
pub(crate) struct InvitePage<'a> {
    pub frame: Frame<'a>,
    pub lock: LockBox,
    /// The community's name.
    pub community: String,
    /// The invite code.
    pub code: String,
    /// Its QR code, an SVG element.
    pub qr: String,
    /// The root keys' fingerprints.
    pub roots: Vec<String>,
    /// How many root keys it names, in words.
    pub roots_words: String,
    /// How many node addresses it carries, in words.
    pub addresses_words: String,
}

async fn page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr: Tr = tr_for(&headers, Some(&settings_of(&s)));
    let Some(c) = s.api.community.as_ref() else {
        return (StatusCode::NOT_FOUND, tr.t("lists-no-community")).into_response();
    };
    let code = c.to_invite();
    // Drawn as the pairing page draws its code; empty when the text does not fit.
    let qr = crate::lan::qr_svg(&code, &tr.s("lists-invite-qr-label", "community", &c.name));
    if qr.is_empty() {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            tr.t("lists-invite-too-long"),
        )
            .into_response();
    }
    html(InvitePage {
        frame: Frame::new(&tr, "desk", "/desk/invites"),
        lock: LockBox::of(&s, &tr, "/desk/invites"),
        community: c.name.clone(),
        code,
        qr,
        roots: c.roots.iter().map(|k| k.fingerprint()).collect(),
        roots_words: tr.n("lists-invite-gives-roots", "count", c.roots.len() as u64),
        addresses_words: tr.n(
            "lists-invite-gives-addresses",
            "count",
            c.bootstrap.len() as u64,
        ),
    })
}
