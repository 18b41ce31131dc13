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

use super::signing::LockState;
use crate::i18n::Tr;
use crate::pages::Frame;
use crate::server::{WebState, html, settings_of, tr_for};

/// Light modules around the code, as the QR specification asks, so phones find it.
const QUIET_ZONE: usize = 4;

/// The routes.
pub(crate) fn routes() -> Router<WebState> {
    Router::new().route("/desk/invites", get(page))
}

/// The invite page.
#[derive(Template)]
#[template(path = "desk_invites.html")]
pub(crate) struct InvitePage<'a> {
    pub frame: Frame<'a>,
    pub lock: LockState,
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

/// `text` as a QR code in SVG (error correction M, as the CLI prints it): one path of
/// dark modules on a white square, sized by its attributes (no style: the CSP forbids
/// inline styles). `None` if the text does not fit in a QR code.
pub(crate) fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let w = code.width();
    let size = w + 2 * QUIET_ZONE;
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (x, y) = (i % w + QUIET_ZONE, i / w + QUIET_ZONE);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let label = label
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;");
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"{label}\" \
         viewBox=\"0 0 {size} {size}\" width=\"288\" height=\"288\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
    ))
}

async fn page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr: Tr = tr_for(&headers, Some(&settings_of(&s)));
    let Some(c) = s.api.community.as_ref() else {
        return (StatusCode::NOT_FOUND, tr.t("lists-no-community")).into_response();
    };
    let code = c.to_invite();
    let Some(qr) = qr_svg(&code, &tr.s("lists-invite-qr-label", "community", &c.name)) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            tr.t("lists-invite-too-long"),
        )
            .into_response();
    };
    html(InvitePage {
        frame: Frame::new(&tr, "lists-invites", "/desk/invites"),
        lock: LockState::of(&s, &tr, "/desk/invites"),
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_svg_draws_the_code() {
        let svg = qr_svg("AVISO2:ABC", "a <label> & \"quotes\"").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-label=\"a &lt;label> &amp; &quot;quotes&quot;\""));
        let code =
            qrcode::QrCode::with_error_correction_level(b"AVISO2:ABC", qrcode::EcLevel::M).unwrap();
        let dark = code
            .to_colors()
            .iter()
            .filter(|c| **c == qrcode::Color::Dark)
            .count();
        assert_eq!(svg.matches("h1v1h-1z").count(), dark);
        let size = code.width() + 2 * QUIET_ZONE;
        assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")));
        assert!(qr_svg(&"x".repeat(10_000), "too long").is_none());
    }
}
