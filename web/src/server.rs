//! The web app's routes, served by the node's own HTTP server beside the API.
//!
//! Guards, in order, on every route but the sign-in link and the static files:
//! - `Host` must name the address the server is bound to (a DNS-rebinding page names
//!   its own host);
//! - state-changing requests (`POST`) must come from this origin (`Origin` header);
//! - the session cookie must be one this node issued ([`aviso_node::session`]).
//!
//! Every answer carries a strict Content-Security-Policy: no inline script, no
//! third-party request of any kind (`default-src 'self'`), no framing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use askama::Template;
use aviso_node::agent::{AgentError, KeyAgent};
use aviso_node::api::{ApiState, WebMount};
use aviso_node::feed::{PageRequest, feed_page};
use aviso_node::net::Event;
use aviso_node::pipeline::Outcome;
use aviso_protocol::{Area, Body, Category, Feed, FeedSettings, Report, ReportText};
use axum::Router;
use axum::extract::{Form, Path, Query, RawForm, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::{Semaphore, watch};

use crate::i18n::{Tr, shipped};
use crate::pages::*;
use crate::view::{self, Context, HelpFilter, Places};
use aviso_node::session::{self, Sessions};

/// The Content-Security-Policy of every answer.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/// The cookie that keeps the page language chosen on this device.
pub const LANG_COOKIE: &str = "aviso_lang";

/// Most open live-update streams: a few phones and laptops of one household.
pub const MAX_STREAMS: usize = 16;

/// How many reports the alerts page shows.
pub const PAGE_REPORTS: usize = 50;

/// Largest form accepted: a report's text is at most a few KiB.
pub const MAX_FORM_BYTES: usize = 32 * 1024;

/// Minutes ago a report may say it was seen.
const WHEN_CHOICES: [u32; 3] = [0, 15, 60];

/// Expiry of a report sent from the web app: sightings matter for hours, not days.
pub const REPORT_TTL_SECS: u64 = 6 * 3600;

/// What the web app needs.
#[derive(Clone)]
pub struct WebState {
    /// The node's API state: store, event loop, settings, community, the key agent and
    /// the browser sessions.
    pub api: ApiState,
    /// The address the server is bound to (decides the accepted `Host` and `Origin`).
    pub addr: SocketAddr,
    /// Slots for live-update streams.
    pub streams: Arc<Semaphore>,
    /// Becomes `true` when the server shuts down, ending live-update streams.
    pub stop: watch::Receiver<bool>,
    /// Web Push, when the node has a home to keep its key and subscriptions in.
    pub push: Option<Arc<crate::webpush::Push>>,
    /// Serving phones on the LAN (HTTPS, paired devices) rather than this machine.
    pub lan: bool,
}

impl std::fmt::Debug for WebState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebState")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl WebState {
    /// The web app's state beside `api`, bound to `addr`.
    pub fn new(api: ApiState, addr: SocketAddr, stop: watch::Receiver<bool>) -> WebState {
        WebState {
            api,
            addr,
            streams: Arc::new(Semaphore::new(MAX_STREAMS)),
            stop,
            push: None,
            lan: false,
        }
    }

    fn hosts(&self) -> Vec<String> {
        if self.lan {
            return self.api.lan.served().map(|x| x.hosts()).unwrap_or_default();
        }
        let port = self.addr.port();
        let mut hosts = vec![
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
        ];
        if !self.addr.ip().is_unspecified() && !self.addr.ip().is_loopback() {
            hosts.push(self.addr.to_string().to_ascii_lowercase());
        }
        hosts
    }

    fn agent(&self) -> &KeyAgent {
        &self.api.agent
    }

    fn sessions(&self) -> &Sessions {
        &self.api.sessions
    }
}

/// The web app, for [`aviso_node::daemon::run_with_web`].
pub fn mount() -> WebMount {
    mounts().0
}

/// The web app on this machine and for phones on the LAN, for
/// [`aviso_node::daemon::run_with_apps`]. The two share one Web Push sender, started by
/// whichever is mounted first, so a device subscribed from either is pushed to once.
pub fn mounts() -> (WebMount, WebMount) {
    let push: Arc<std::sync::OnceLock<Option<Arc<crate::webpush::Push>>>> = Arc::default();
    let shared = push.clone();
    let local: WebMount = Box::new(move |api, addr, stop| {
        let mut state = WebState::new(api, addr, stop);
        state.push = push.get_or_init(|| crate::webpush::start(&state)).clone();
        router(state)
    });
    let lan: WebMount = Box::new(move |api, addr, stop| {
        let mut state = WebState {
            lan: true,
            ..WebState::new(api, addr, stop)
        };
        state.push = shared.get_or_init(|| crate::webpush::start(&state)).clone();
        router(state)
    });
    (local, lan)
}

/// The web app's routes.
pub fn router(state: WebState) -> Router {
    if state.lan {
        return lan_router(state);
    }
    let open = Router::new()
        .route("/signin", get(signin))
        .route("/assets/{name}", get(asset))
        .route("/sw.js", get(service_worker));
    let guarded = pages()
        .route("/lang", post(set_lang))
        .route("/signout", post(signout))
        .route("/settings/devices/{id}/revoke", post(crate::lan::revoke))
        .route("/settings/pair", post(crate::lan::pair_here))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::desk::nav,
        ))
        .layer(middleware::from_fn_with_state(state.clone(), session_guard));
    finish(open.merge(guarded), state)
}

/// The pages, their fragments and live updates: the same on this machine and on the LAN.
fn pages() -> Router<WebState> {
    Router::new()
        .route("/", get(alerts_page))
        .route("/fragments/alerts", get(alerts_fragment))
        .route("/alerts/{id}", get(alert_page))
        .route("/report", get(report_page).post(report_send))
        .route("/help", get(help_page))
        .route("/settings", get(settings_page).post(settings_save))
        .route("/panic", get(crate::panic::page).post(crate::panic::wipe))
        .route("/status", get(status_page))
        .route("/unlock", get(unlock_page).post(unlock_send))
        .route("/lock", post(lock))
        .route("/events", get(events))
        .route("/push/key", get(crate::webpush::key))
        .route("/push/subscribe", post(crate::webpush::subscribe))
        .route("/push/unsubscribe", post(crate::webpush::unsubscribe))
        .merge(crate::desk::routes())
        .merge(crate::respond::routes())
}

/// The LAN router: the pairing page and the CA download are open; every page needs a
/// paired device (no sign-in link, no device list).
fn lan_router(state: WebState) -> Router {
    let open = Router::new()
        .route(
            "/pair",
            get(crate::lan::pair_get).post(crate::lan::pair_post),
        )
        .route("/ca.crt", get(crate::lan::ca_cert))
        // The language of the pairing page too, before the device is paired.
        .route("/lang", post(set_lang))
        .route("/assets/{name}", get(asset))
        .route("/sw.js", get(service_worker));
    let guarded = pages()
        .route("/signout", post(crate::lan::unpair_self))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::desk::nav,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::lan::device_guard,
        ));
    finish(open.merge(guarded), state)
}

/// The guards and headers around every route.
fn finish(app: Router<WebState>, state: WebState) -> Router {
    app.layer(middleware::from_fn_with_state(state.clone(), origin_guard))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(middleware::from_fn(security_headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: with `no-referrer` Chromium sends `Origin: null` on
    // the pages' own form posts, which the origin guard must refuse. Nothing leaves for
    // other sites either way: there are no links to other sites but resources' own.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(self), camera=(), microphone=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// `Host` names us; a `POST` comes from our own origin.
async fn origin_guard(State(s): State<WebState>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    let hosts = s.hosts();
    let Some(host) = host.filter(|h| hosts.contains(h)) else {
        return refused(headers, "the Host header does not name this node");
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
        let ours = if s.lan {
            // Phones reach the node over HTTPS only.
            vec![format!("https://{host}")]
        } else {
            vec![format!("http://{host}"), format!("https://{host}")]
        };
        if !origin.is_some_and(|o| ours.iter().any(|x| x.eq_ignore_ascii_case(o))) {
            return refused(headers, "cross-site request");
        }
    }
    next.run(req).await
}

fn refused(headers: &HeaderMap, why: &'static str) -> Response {
    let tr = tr_for(headers, None);
    tracing::debug!(why, "web request refused");
    (StatusCode::FORBIDDEN, tr.t("error-forbidden")).into_response()
}

/// The session cookie is one we issued; else the sign-in page.
async fn session_guard(State(s): State<WebState>, req: Request, next: Next) -> Response {
    let ok = session_of(req.headers()).is_some_and(|c| s.sessions().check(c));
    if ok {
        return next.run(req).await;
    }
    let tr = tr_for(req.headers(), None);
    let page = SigninPage {
        frame: Frame::new(&tr, "signin", "/signin"),
        used: false,
    };
    (StatusCode::UNAUTHORIZED, html(page)).into_response()
}

fn session_of(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| session::cookie(h, session::COOKIE))
}

/// The page language: this device's choice, then the member's settings, then the
/// browser's `Accept-Language`.
pub(crate) fn tr_for(headers: &HeaderMap, settings: Option<&FeedSettings>) -> Tr {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .find_map(|h| session::cookie(h, LANG_COOKIE));
    let mut chosen: Vec<&str> = cookie.into_iter().collect();
    if let Some(s) = settings {
        chosen.extend(s.languages.iter().map(String::as_str));
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok());
    Tr::negotiate(&chosen, accept)
}

pub(crate) fn html(t: impl Template) -> Response {
    match t.render() {
        Ok(body) => Html(body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "page error").into_response()
        }
    }
}

pub(crate) fn settings_of(s: &WebState) -> FeedSettings {
    s.api
        .settings
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

fn community_name(s: &WebState) -> String {
    s.api
        .community
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

pub(crate) async fn load_feed(s: &WebState) -> Result<Feed, Response> {
    let req = PageRequest {
        reports: PAGE_REPORTS,
        before: None,
        skip_hidden: true,
    };
    load_feed_page(s, req).await
}

/// The feed with the reports `req` asks for.
pub(crate) async fn load_feed_page(s: &WebState, req: PageRequest) -> Result<Feed, Response> {
    let store = s.api.store.clone();
    let settings = settings_of(s);
    tokio::task::spawn_blocking(move || {
        feed_page(store.as_ref(), &settings, aviso_node::unix_now(), &req, &[])
    })
    .await
    .map_err(|e| internal(&e))?
    .map(|p| p.feed)
    .map_err(|e| internal(&e))
}

pub(crate) fn internal(e: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %e, "web request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "the node could not answer; see its log",
    )
        .into_response()
}

/// What the views need besides the feed, now; the named places from `feed`.
pub(crate) fn context<'a>(
    s: &'a WebState,
    tr: &'a Tr,
    settings: &'a FeedSettings,
    feed: Option<&Feed>,
) -> Context<'a> {
    let languages = text_languages(tr, settings);
    Context {
        tr,
        now: aviso_node::unix_now(),
        places: feed.map_or_else(Places::default, |f| Places::from_feed(f, &languages)),
        languages,
        community: community_name(s),
        areas: &settings.areas,
    }
}

/// The member's languages for message text: the page's first.
fn text_languages(tr: &Tr, settings: &FeedSettings) -> Vec<String> {
    let mut v = vec![tr.tag().to_owned()];
    v.extend(settings.languages.iter().cloned());
    v
}

async fn alerts_view(
    s: &WebState,
    headers: &HeaderMap,
) -> Result<(Tr, view::AlertsView, bool), Response> {
    let settings = settings_of(s);
    let tr = tr_for(headers, Some(&settings));
    let feed = load_feed(s).await?;
    let cx = context(s, &tr, &settings, Some(&feed));
    let v = view::alerts(&cx, &feed);
    Ok((tr, v, !settings.areas.is_empty()))
}

async fn alerts_page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    match alerts_view(&s, &headers).await {
        Ok((tr, v, areas_set)) => html(AlertsPage {
            frame: Frame::new(&tr, "alerts", "/"),
            view: &v,
            areas_set,
        }),
        Err(r) => r,
    }
}

async fn alerts_fragment(State(s): State<WebState>, headers: HeaderMap) -> Response {
    match alerts_view(&s, &headers).await {
        Ok((tr, v, areas_set)) => html(AlertsFragment {
            frame: Frame::new(&tr, "alerts", "/"),
            view: &v,
            areas_set,
        }),
        Err(r) => r,
    }
}

#[derive(Debug, Deserialize)]
struct TextQuery {
    text: Option<String>,
}

async fn alert_page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<TextQuery>,
) -> Response {
    let settings = settings_of(&s);
    let tr = tr_for(&headers, Some(&settings));
    let feed = match load_feed(&s).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let cx = context(&s, &tr, &settings, Some(&feed));
    match view::alert(&cx, &feed, &id, q.text.as_deref()) {
        Some(a) => html(AlertPage {
            frame: Frame::new(&tr, "alert", format!("/alerts/{id}")),
            respond: crate::respond::answer_box(&tr, &a, !s.agent().status().unlocked),
            a: &a,
        }),
        None => (StatusCode::NOT_FOUND, tr.t("error-not-found")).into_response(),
    }
}

pub(crate) fn categories(tr: &Tr) -> Vec<(&'static str, String)> {
    Category::ALL
        .iter()
        .take(5)
        .map(|c| (c.name(), view::category(tr, *c)))
        .collect()
}

/// The named places to pick from, in the page's language and the member's.
async fn places_list(s: &WebState, tr: &Tr) -> Result<Vec<(String, String)>, Response> {
    let feed = load_feed(s).await?;
    let languages = text_languages(tr, &settings_of(s));
    Ok(Places::from_feed(&feed, &languages).choices())
}

async fn report_page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let places = match places_list(&s, &tr).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    html(ReportPage {
        frame: Frame::new(&tr, "report", "/report"),
        form: ReportForm {
            category: "raid".into(),
            ..ReportForm::default()
        },
        categories: categories(&tr),
        places,
        sent: None,
        locked: !s.agent().status().unlocked,
    })
}

/// The report form as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportFields {
    category: String,
    place: String,
    area: String,
    when: u32,
    text: String,
    passphrase: String,
}

async fn report_send(
    State(s): State<WebState>,
    headers: HeaderMap,
    Form(f): Form<ReportFields>,
) -> Response {
    let settings = settings_of(&s);
    let tr = tr_for(&headers, Some(&settings));
    let mut form = ReportForm {
        category: f.category.clone(),
        place: f.place.clone(),
        area: f.area.trim().to_owned(),
        when: if WHEN_CHOICES.contains(&f.when) {
            f.when
        } else {
            0
        },
        text: f.text.clone(),
        errors: vec![],
    };
    let category = Category::ALL
        .iter()
        .copied()
        .find(|c| c.name() == f.category);
    if category.is_none() {
        form.errors.push(FieldError {
            field: "category",
            message: tr.t("error-category"),
        });
    }
    let cell = if !form.area.is_empty() {
        form.area.clone()
    } else {
        form.place.clone()
    };
    let area = match Area::parse(&cell.to_ascii_lowercase()) {
        Ok(a) => Some(a),
        Err(_) => {
            let message = if cell.is_empty() {
                tr.s("error-required", "field", &tr.t("report-area"))
            } else {
                tr.args(
                    "error-area",
                    &[
                        ("field", crate::i18n::Arg::Str(tr.t("report-area"))),
                        (
                            "value",
                            crate::i18n::Arg::Str(cell.chars().take(20).collect()),
                        ),
                    ],
                )
            };
            form.errors.push(FieldError {
                field: "area",
                message,
            });
            None
        }
    };
    let now = aviso_node::unix_now();
    let lang = tr.tag().to_owned();
    let note = (!form.text.trim().is_empty()).then(|| ReportText {
        lang,
        text: form.text.trim().to_owned(),
    });
    let mut report = None;
    if let (Some(category), Some(area)) = (category, area) {
        let r = Report {
            category,
            areas: vec![area],
            seen_at: now.saturating_sub(u64::from(form.when) * 60),
            note,
        };
        match r.validate() {
            Ok(()) => report = Some(r),
            Err(e) => form.errors.push(FieldError {
                field: "text",
                message: tr.s("error-generic", "why", &e.to_string()),
            }),
        }
    }
    let places = places_list(&s, &tr).await.unwrap_or_default();
    let again = |s: &WebState, tr: &Tr, form: ReportForm| {
        html(ReportPage {
            frame: Frame::new(tr, "report", "/report"),
            form,
            categories: categories(tr),
            places: places.clone(),
            sent: None,
            locked: !s.agent().status().unlocked,
        })
    };
    let Some(report) = report else {
        return (StatusCode::UNPROCESSABLE_ENTITY, again(&s, &tr, form)).into_response();
    };
    if !s.agent().status().unlocked
        && let Err(e) = unlock_with(&s, f.passphrase.into_bytes()).await
    {
        form.errors.push(FieldError {
            field: "passphrase",
            message: agent_message(&tr, &e),
        });
        return (StatusCode::UNPROCESSABLE_ENTITY, again(&s, &tr, form)).into_response();
    }
    let Some(community) = s.api.community.as_ref().map(|c| c.id) else {
        form.errors.push(FieldError {
            field: "category",
            message: tr.s("error-generic", "why", "this node has joined no community"),
        });
        return (StatusCode::UNPROCESSABLE_ENTITY, again(&s, &tr, form)).into_response();
    };
    let env = match s
        .agent()
        .sign(community, &Body::Report(report), now, now + REPORT_TTL_SECS)
    {
        Ok(env) => env,
        Err(e) => {
            form.errors.push(FieldError {
                field: "passphrase",
                message: agent_message(&tr, &e),
            });
            return (StatusCode::UNPROCESSABLE_ENTITY, again(&s, &tr, form)).into_response();
        }
    };
    let sent = match s.api.client.publish(env.into_bytes()).await {
        Ok(Outcome::Accepted { .. } | Outcome::Duplicate { .. }) => tr.t("report-sent"),
        Ok(other) => {
            form.errors.push(FieldError {
                field: "text",
                message: tr.s("error-generic", "why", &outcome_words(&other)),
            });
            return (StatusCode::UNPROCESSABLE_ENTITY, again(&s, &tr, form)).into_response();
        }
        Err(_) => tr.t("report-sent-queued"),
    };
    html(ReportPage {
        frame: Frame::new(&tr, "report", "/report"),
        form: ReportForm::default(),
        categories: categories(&tr),
        places,
        sent: Some(sent),
        locked: false,
    })
}

pub(crate) fn outcome_words(o: &Outcome) -> String {
    match o {
        Outcome::Ignored { reason } | Outcome::Rejected { reason } => reason.clone(),
        Outcome::Throttled { reason, .. } => reason.clone(),
        other => format!("{other:?}"),
    }
}

async fn unlock_with(s: &WebState, passphrase: Vec<u8>) -> Result<(), AgentError> {
    let agent = s.agent().clone();
    let home = s.api.home.clone();
    let passphrase = zeroize::Zeroizing::new(passphrase);
    tokio::task::spawn_blocking(move || {
        let file =
            aviso_node::member_key::read(&home).map_err(|e| AgentError::KeyFile(e.to_string()))?;
        agent.unlock_home(&home, &file, &passphrase).map(|_| ())
    })
    .await
    .map_err(|e| AgentError::KeyFile(e.to_string()))?
}

pub(crate) fn agent_message(tr: &Tr, e: &AgentError) -> String {
    match e {
        AgentError::WrongPassphrase { .. } => tr.t("unlock-wrong"),
        AgentError::TooSoon { retry_after } => {
            tr.n("unlock-wait", "seconds", retry_after.as_secs().max(1))
        }
        AgentError::Locked => tr.t("unlock-state-locked"),
        other => tr.s("error-generic", "why", &other.to_string()),
    }
}

async fn help_page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(filter): Query<HelpFilter>,
) -> Response {
    let settings = settings_of(&s);
    let tr = tr_for(&headers, Some(&settings));
    let feed = match load_feed(&s).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let cx = context(&s, &tr, &settings, Some(&feed));
    let all = view::resources(&cx, &feed, &HelpFilter::default());
    let mut spoken: Vec<(String, String)> = Vec::new();
    for c in &all {
        for (tag, name) in c.language_tags.iter().zip(&c.languages) {
            if !spoken.iter().any(|(t, _)| t == tag) {
                spoken.push((tag.clone(), name.clone()));
            }
        }
    }
    let cards = view::resources(&cx, &feed, &filter);
    html(HelpPage {
        frame: Frame::new(&tr, "help", "/help"),
        filter,
        kinds: view::KINDS
            .iter()
            .map(|k| (k.name(), tr.t(&format!("kind-{}", k.name()))))
            .collect(),
        spoken,
        cards,
    })
}

fn follows(s: &WebState, settings: &FeedSettings) -> Vec<(String, String)> {
    let name = community_name(s);
    settings
        .follow
        .iter()
        .map(|k| {
            let is_root = s
                .api
                .community
                .as_ref()
                .is_some_and(|c| c.roots.contains(k));
            (
                if is_root { name.clone() } else { String::new() },
                k.fingerprint(),
            )
        })
        .collect()
}

/// The settings form filled with `settings`: the named places it follows ticked in
/// `places`, the other cells typed.
fn settings_form(settings: &FeedSettings, places: &[(String, String)]) -> SettingsForm {
    let named = |a: &Area| places.iter().any(|(cell, _)| cell == a.as_str());
    SettingsForm {
        languages: settings.languages.join(", "),
        areas: settings
            .areas
            .iter()
            .filter(|a| !named(a))
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        places: places
            .iter()
            .map(|(cell, words)| {
                let on = settings.areas.iter().any(|a| a.as_str() == cell);
                (cell.clone(), words.clone(), on)
            })
            .collect(),
        ..SettingsForm::default()
    }
}

async fn settings_page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let settings = settings_of(&s);
    let tr = tr_for(&headers, Some(&settings));
    let places = match places_list(&s, &tr).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    html(SettingsPage {
        frame: Frame::new(&tr, "settings", "/settings"),
        form: settings_form(&settings, &places),
        follows: follows(&s, &settings),
        saved: false,
        devices: crate::lan::device_rows(&s, &context(&s, &tr, &settings, None)),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsFields {
    languages: String,
    areas: String,
    notify: bool,
    sound: bool,
}

/// Most areas and languages a member sets from the page.
const MAX_SETTINGS_ITEMS: usize = 32;

async fn settings_save(
    State(s): State<WebState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    // The named places ticked come as repeated `place` fields, which a struct cannot
    // take: the same body is read twice.
    let Ok(f) = serde_urlencoded::from_bytes::<SettingsFields>(&body) else {
        return (StatusCode::BAD_REQUEST, "malformed form").into_response();
    };
    let picked: Vec<String> = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k == "place")
        .map(|(_, v)| v)
        .take(MAX_SETTINGS_ITEMS)
        .collect();
    let current = settings_of(&s);
    let tr = tr_for(&headers, Some(&current));
    let places = places_list(&s, &tr).await.unwrap_or_default();
    let mut form = SettingsForm {
        languages: f.languages.clone(),
        areas: f.areas.clone(),
        places: places
            .iter()
            .map(|(cell, words)| (cell.clone(), words.clone(), picked.contains(cell)))
            .collect(),
        notify: f.notify,
        sound: f.sound,
        errors: vec![],
    };
    let split = |t: &str| -> Vec<String> {
        t.split([',', ' '])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut languages = Vec::new();
    for l in split(&f.languages).into_iter().take(MAX_SETTINGS_ITEMS) {
        match aviso_protocol::lang::validate_lang(&l) {
            Ok(()) => languages.push(l),
            Err(e) => form.errors.push(FieldError {
                field: "languages",
                message: tr.s("error-generic", "why", &e.to_string()),
            }),
        }
    }
    let mut areas: Vec<Area> = picked.iter().filter_map(|c| Area::parse(c).ok()).collect();
    for a in split(&f.areas).into_iter().take(MAX_SETTINGS_ITEMS) {
        match Area::parse(&a.to_ascii_lowercase()) {
            Ok(area) if areas.contains(&area) => {}
            Ok(area) => areas.push(area),
            Err(_) => form.errors.push(FieldError {
                field: "areas",
                message: tr.args(
                    "error-area",
                    &[
                        ("field", crate::i18n::Arg::Str(tr.t("settings-areas"))),
                        ("value", crate::i18n::Arg::Str(a.chars().take(20).collect())),
                    ],
                ),
            }),
        }
    }
    if !form.errors.is_empty() {
        let page = SettingsPage {
            frame: Frame::new(&tr, "settings", "/settings"),
            form,
            follows: follows(&s, &current),
            saved: false,
            devices: crate::lan::device_rows(&s, &context(&s, &tr, &current, None)),
        };
        return (StatusCode::UNPROCESSABLE_ENTITY, html(page)).into_response();
    }
    let new = FeedSettings {
        follow: current.follow.clone(),
        areas,
        languages,
    };
    *s.api.settings.write().unwrap_or_else(|p| p.into_inner()) = new.clone();
    // Saved in the config file too, the way `aviso trust` saves them, so they survive a
    // restart (comments in the file are kept).
    if let Err(e) = save_settings(&s, &new).await {
        tracing::warn!(error = %e, "cannot save the settings to the config file");
    }
    let tr = tr_for(&headers, Some(&new));
    html(SettingsPage {
        frame: Frame::new(&tr, "settings", "/settings"),
        form: SettingsForm {
            notify: form.notify,
            sound: form.sound,
            ..settings_form(&new, &places)
        },
        follows: follows(&s, &new),
        saved: true,
        devices: crate::lan::device_rows(&s, &context(&s, &tr, &new, None)),
    })
}

/// Write the member's areas and languages into the home's (sealed) private settings.
async fn save_settings(s: &WebState, new: &FeedSettings) -> Result<(), String> {
    let home = s.api.home.clone();
    if home.as_os_str().is_empty() {
        return Ok(());
    }
    let areas: Vec<String> = new.areas.iter().map(|a| a.to_string()).collect();
    let languages = new.languages.clone();
    tokio::task::spawn_blocking(move || {
        let (path, mut cfg) =
            aviso_node::Config::load_home_file(&home).map_err(|e| e.to_string())?;
        cfg.feed.areas = areas;
        cfg.feed.languages = languages;
        cfg.save(&path).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())?
}

async fn status_page(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let status = s.api.client.status().await;
    let (connected, catch_up, reach) = match &status {
        Ok(st) => (
            tr.n("status-connected", "peers", st.peers.len() as u64),
            // The newest catch-up with any connected peer.
            match st
                .peers
                .iter()
                .filter_map(|p| p.last_sync.as_ref())
                .map(|x| x.at)
                .max()
            {
                Some(at) => tr.s(
                    "status-catch-up",
                    "ago",
                    &context(&s, &tr, &settings_of(&s), None).ago(at),
                ),
                None => tr.t("status-catch-up-never"),
            },
            reach_in_words(&tr, &st.reachability),
        ),
        Err(e) => (
            tr.s("error-generic", "why", &e.to_string()),
            tr.t("status-catch-up-never"),
            String::new(),
        ),
    };
    html(StatusPage {
        frame: Frame::new(&tr, "status", "/status"),
        community: community_name(&s),
        connected,
        catch_up,
        reach,
    })
}

/// How others reach this node, in the page's language (the API's `summary` is English).
fn reach_in_words(tr: &Tr, r: &aviso_node::net::Reachability) -> String {
    match r.state.as_str() {
        "direct" if r.relay_server => tr.t("status-reach-direct-relay"),
        "direct" => tr.t("status-reach-direct"),
        "relayed" => tr.t("status-reach-relayed"),
        _ => tr.t("status-reach-unknown"),
    }
}

#[derive(Debug, Deserialize)]
struct BackQuery {
    back: Option<String>,
}

/// A local path to return to: never another site.
pub(crate) fn local_path(back: Option<&str>) -> String {
    match back {
        Some(b)
            if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') && b.len() < 256 =>
        {
            b.to_owned()
        }
        _ => "/".into(),
    }
}

async fn unlock_page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<BackQuery>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    html(UnlockPage {
        frame: Frame::new(&tr, "unlock", "/unlock"),
        intro: tr.n(
            "unlock-intro",
            "minutes",
            aviso_node::agent::DEFAULT_IDLE.as_secs() / 60,
        ),
        form: UnlockForm::default(),
        back: local_path(q.back.as_deref()),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UnlockFields {
    passphrase: String,
    back: String,
}

async fn unlock_send(
    State(s): State<WebState>,
    headers: HeaderMap,
    Form(f): Form<UnlockFields>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let back = local_path(Some(&f.back));
    match unlock_with(&s, f.passphrase.into_bytes()).await {
        Ok(()) => Redirect::to(&back).into_response(),
        Err(e) => {
            let status = match e {
                AgentError::TooSoon { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let page = UnlockPage {
                frame: Frame::new(&tr, "unlock", "/unlock"),
                intro: tr.n(
                    "unlock-intro",
                    "minutes",
                    aviso_node::agent::DEFAULT_IDLE.as_secs() / 60,
                ),
                form: UnlockForm {
                    errors: vec![FieldError {
                        field: "passphrase",
                        message: agent_message(&tr, &e),
                    }],
                },
                back,
            };
            (status, html(page)).into_response()
        }
    }
}

async fn lock(State(s): State<WebState>) -> Response {
    s.agent().lock();
    Redirect::to("/").into_response()
}

#[derive(Debug, Deserialize)]
struct LangFields {
    to: String,
    back: Option<String>,
}

async fn set_lang(Form(f): Form<LangFields>) -> Response {
    let back = local_path(f.back.as_deref());
    let Some(lang) = shipped(&f.to) else {
        return Redirect::to(&back).into_response();
    };
    let mut res = Redirect::to(&back).into_response();
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Strict",
        lang.tag
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Debug, Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

async fn signin(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<CodeQuery>,
) -> Response {
    let tr = tr_for(&headers, None);
    let session = match q.code.as_deref().map(|c| s.sessions().redeem(c)) {
        Some(Ok(Some(session))) => session,
        Some(Err(e)) => return internal(&e),
        Some(Ok(None)) => {
            let page = SigninPage {
                frame: Frame::new(&tr, "signin", "/signin"),
                used: true,
            };
            return (StatusCode::UNAUTHORIZED, html(page)).into_response();
        }
        None => {
            return html(SigninPage {
                frame: Frame::new(&tr, "signin", "/signin"),
                used: false,
            });
        }
    };
    let mut res = Redirect::to("/").into_response();
    let cookie = format!(
        "{}={session}; Path=/; HttpOnly; SameSite=Strict",
        session::COOKIE
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn signout(State(s): State<WebState>, headers: HeaderMap) -> Response {
    if let Some(c) = session_of(&headers) {
        s.sessions().end(c);
    }
    let mut res = Redirect::to("/signin").into_response();
    let cookie = format!(
        "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
        session::COOKIE
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn asset(Path(name): Path<String>) -> Response {
    match crate::assets::get(&name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            a.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn service_worker() -> Response {
    match crate::assets::get("sw.js") {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            a.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// How often an idle live-update stream sends a comment, so proxies and phones keep it.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Live updates: a `feed` event whenever something that may change the pages was
/// stored. The page then fetches its list again, rendered by the server.
async fn events(
    State(s): State<WebState>,
    device: Option<axum::Extension<crate::lan::DeviceId>>,
) -> Response {
    let Ok(permit) = s.streams.clone().try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many open pages").into_response();
    };
    let mut rx = s.api.client.subscribe();
    let mut stop = s.stop.clone();
    // A paired device's stream ends as soon as the device is revoked.
    let mut revoked = s.api.lan.pairing.revocations();
    let lan = s.api.lan.clone();
    let device = device.map(|d| d.0.0);
    let stream = async_stream(move |tx| async move {
        let _permit = permit;
        let _ = tx.send("retry: 3000\n\n".to_owned()).await;
        loop {
            let msg = tokio::select! {
                ev = rx.recv() => match ev {
                    Ok(Event::Accepted { .. }) => "event: feed\ndata: {}\n\n".to_owned(),
                    Ok(_) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => "event: feed\ndata: {}\n\n".to_owned(),
                    Err(_) => return,
                },
                _ = tokio::time::sleep(KEEP_ALIVE) => ": keep-alive\n\n".to_owned(),
                _ = stop.wait_for(|s| *s) => return,
                r = revoked.changed(), if device.is_some() => {
                    let paired = device.as_deref().is_some_and(|id| lan.pairing.is_paired(id));
                    if r.is_err() || !paired {
                        return;
                    }
                    continue;
                }
            };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}

/// A stream of strings fed by a task, ending when the task ends or the reader leaves.
fn async_stream<F, Fut>(
    f: F,
) -> impl tokio_stream::Stream<Item = Result<String, std::convert::Infallible>>
where
    F: FnOnce(tokio::sync::mpsc::Sender<String>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use tokio_stream::StreamExt as _;
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(f(tx));
    tokio_stream::wrappers::ReceiverStream::new(rx).map(Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The status page said how others reach the node in English in every language.
    #[test]
    fn reachability_is_in_the_page_language() {
        for relay_server in [false, true] {
            for state in ["direct", "relayed", "unknown"] {
                let r = aviso_node::net::Reachability {
                    state: state.into(),
                    relay_server,
                    ..Default::default()
                };
                let english = reach_in_words(&Tr::new("en"), &r);
                for lang in crate::i18n::LANGUAGES.iter().filter(|l| l.tag != "en") {
                    let words = reach_in_words(&Tr::new(lang.tag), &r);
                    assert!(
                        words != english && !words.starts_with("status-"),
                        "{}: {words}",
                        lang.tag
                    );
                }
            }
        }
    }

    #[test]
    fn back_paths_stay_local() {
        assert_eq!(local_path(Some("/report")), "/report");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }
}
