//! Phones on the home network: the pairing page, the CA download, the device guard, and
//! the paired-devices section of the settings page.
//!
//! The LAN router ([`crate::server::mounts`]) serves over HTTPS on the node's LAN
//! address. Open to anyone there: the pairing page, the CA certificate and the static
//! files. Everything else needs a paired device's cookie (`Secure`, `HttpOnly`,
//! `SameSite=Strict`), checked on every request, so a revoked device is refused at once;
//! its open live-update stream ends when the revocation is announced.

use askama::Template;
use aviso_node::lan::pairing::{DEVICE_COOKIE, PairError, platform_name};
use aviso_node::session;
use axum::extract::{Form, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::i18n::Tr;
use crate::pages::Frame;
use crate::server::WebState;

/// The device a request came from, put in the request by [`device_guard`].
#[derive(Debug, Clone)]
pub struct DeviceId(pub String);

/// Pair this device.
#[derive(Debug, Template)]
#[template(path = "pair.html")]
pub struct PairPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// Why the last try failed, in the member's language, as HTML (from `Tr::t_code`).
    pub error: Option<String>,
    /// The node CA's SHA-256, as phones show it.
    pub fingerprint: String,
    /// A name for this device, from its platform.
    pub name: String,
}

/// A paired device, as the settings page lists it.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    /// Its short id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// "Paired 3 days ago, last used 5 minutes ago".
    pub when: String,
}

/// The settings page's phones section (on this machine only).
#[derive(Debug, Clone)]
pub struct Devices {
    /// The paired devices.
    pub rows: Vec<DeviceRow>,
    /// Whether the node serves phones on the LAN, so a pairing code can be made here.
    pub pairing: bool,
}

/// Pair a phone, from the node's own machine: a QR code of the pairing address.
#[derive(Debug, Template)]
#[template(path = "pair_code.html")]
pub struct PairCodePage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The pairing address (`https://<lan ip>:<port>/pair#<code>`), when phones are served.
    pub url: Option<String>,
    /// The one-time code alone, for typing.
    pub code: String,
    /// The QR code of `url`, as inline SVG (made here, no user input in it).
    pub qr_svg: String,
    /// The node CA's SHA-256, as phones show it.
    pub fingerprint: String,
    /// How long the code works, in minutes.
    pub minutes: u64,
}

/// `url` as an inline SVG QR code (medium error correction: a phone camera reads it off
/// a screen), without the XML declaration, labelled for screen readers.
pub(crate) fn qr_svg(url: &str, label: &str) -> String {
    use qrcode::render::svg;
    let Ok(code) = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
    else {
        return String::new();
    };
    let svg = code
        .render::<svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    let body = svg.find("<svg").map_or(svg.as_str(), |at| &svg[at..]);
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    body.replacen(
        "<svg",
        &format!(r#"<svg role="img" aria-label="{label}" class="qr""#),
        1,
    )
}

/// `POST /settings/pair` (same machine only): a new one-time pairing code, shown as a QR
/// code to scan with the phone, its address and the certificate's fingerprint; or, when
/// the node does not serve phones, how to turn that on.
pub async fn pair_here(State(s): State<WebState>, headers: HeaderMap) -> Response {
    if s.lan {
        return StatusCode::NOT_FOUND.into_response();
    }
    let tr = crate::server::tr_for(&headers, Some(&crate::server::settings_of(&s)));
    let minutes = aviso_node::lan::pairing::PAIR_CODE_TTL.as_secs() / 60;
    let mut page = PairCodePage {
        frame: Frame::new(&tr, "settings", "/settings"),
        url: None,
        code: String::new(),
        qr_svg: String::new(),
        fingerprint: fingerprint(&s),
        minutes,
    };
    if let Some(served) = s.api.lan.served() {
        match s.api.lan.pairing.new_code() {
            Ok(code) => {
                let url = format!("{}/pair#{code}", served.base_url());
                page.qr_svg = qr_svg(&url, &tr.t("pairing-qr-label"));
                page.url = Some(url);
                page.code = code;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot make a pairing code");
                let why = tr.args(
                    "error-generic",
                    &[("why", crate::i18n::Arg::Str(e.to_string()))],
                );
                return (StatusCode::INTERNAL_SERVER_ERROR, why).into_response();
            }
        }
    }
    crate::server::html(page)
}

fn device_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| session::cookie(h, DEVICE_COOKIE))
}

fn fingerprint(s: &WebState) -> String {
    s.api
        .lan
        .served()
        .map(|x| aviso_node::lan::ca::fingerprint_text(&x.ca_fingerprint))
        .unwrap_or_default()
}

fn pair_page(s: &WebState, tr: &Tr, headers: &HeaderMap, error: Option<String>) -> Response {
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let page = PairPage {
        frame: Frame::new(tr, "pair", "/pair"),
        error,
        fingerprint: fingerprint(s),
        name: platform_name(ua).to_owned(),
    };
    match page.render() {
        Ok(body) => axum::response::Html(body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the pairing page failed to render");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Only paired devices get past; others see the pairing page.
pub async fn device_guard(State(s): State<WebState>, mut req: Request, next: Next) -> Response {
    let now = aviso_node::unix_now();
    let device = device_cookie(req.headers()).and_then(|c| s.api.lan.pairing.check(c, now));
    if let Some(id) = device {
        req.extensions_mut().insert(DeviceId(id));
        return next.run(req).await;
    }
    let tr = crate::server::tr_for(req.headers(), None);
    let page = pair_page(&s, &tr, req.headers(), None);
    (StatusCode::UNAUTHORIZED, page).into_response()
}

/// `GET /pair`: the code comes in the URL's fragment, which the page's script puts in
/// the form (or the member types it).
pub async fn pair_get(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr = crate::server::tr_for(&headers, None);
    pair_page(&s, &tr, &headers, None)
}

/// The pairing form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PairFields {
    code: String,
    name: String,
}

/// `POST /pair`: a right code pairs this browser and opens the alerts.
pub async fn pair_post(
    State(s): State<WebState>,
    headers: HeaderMap,
    Form(f): Form<PairFields>,
) -> Response {
    let tr = crate::server::tr_for(&headers, None);
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let name = if f.name.trim().is_empty() {
        platform_name(ua).to_owned()
    } else {
        f.name
    };
    match s
        .api
        .lan
        .pairing
        .pair(&f.code, &name, aviso_node::unix_now())
    {
        Ok((device, secret)) => {
            tracing::info!(device = %device.id, name = %device.name, "a device paired");
            let mut res = Redirect::to("/").into_response();
            let cookie =
                format!("{DEVICE_COOKIE}={secret}; Path=/; Secure; HttpOnly; SameSite=Strict");
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) => {
            let (status, key) = match e {
                PairError::Refused => (StatusCode::UNAUTHORIZED, "pair-refused"),
                PairError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "pair-too-many"),
                PairError::Full => (StatusCode::CONFLICT, "pair-full"),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, "pair-refused"),
            };
            // HTML: a command in the message becomes <code> (everything else escaped).
            (status, pair_page(&s, &tr, &headers, Some(tr.t_code(key)))).into_response()
        }
    }
}

/// `GET /ca.crt`: the node's CA certificate, for the "trust this node" step. Phones
/// offer to install a certificate served with this type.
pub async fn ca_cert(State(s): State<WebState>) -> Response {
    match s.api.lan.served() {
        Some(x) => (
            [
                (header::CONTENT_TYPE, "application/x-x509-ca-cert"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"aviso-node-ca.crt\"",
                ),
            ],
            x.ca_der.to_vec(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /signout` on the LAN: this device unpairs itself.
pub async fn unpair_self(State(s): State<WebState>, req: Request) -> Response {
    if let Some(DeviceId(id)) = req.extensions().get::<DeviceId>() {
        s.api.lan.pairing.revoke(id);
    }
    let mut res = Redirect::to("/pair").into_response();
    let cookie = format!("{DEVICE_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The paired devices for the settings page: only for a browser on the node's own
/// machine (`None` on the LAN, where a phone must not unpair the others).
pub fn device_rows(s: &WebState, cx: &crate::view::Context<'_>) -> Option<Devices> {
    if s.lan {
        return None;
    }
    let rows = s
        .api
        .lan
        .pairing
        .devices()
        .into_iter()
        .map(|d| DeviceRow {
            when: cx.tr.args(
                "devices-when",
                &[
                    ("paired", crate::i18n::Arg::Str(cx.ago(d.paired_at))),
                    ("seen", crate::i18n::Arg::Str(cx.ago(d.last_seen))),
                ],
            ),
            id: d.id,
            name: d.name,
        })
        .collect();
    Some(Devices {
        rows,
        pairing: s.api.lan.served().is_some(),
    })
}

/// `POST /settings/devices/{id}/revoke` (same machine only): unpair a device.
pub async fn revoke(State(s): State<WebState>, Path(id): Path<String>) -> Response {
    if !s.lan {
        s.api.lan.pairing.revoke(&id);
    }
    Redirect::to("/settings#devices").into_response()
}
