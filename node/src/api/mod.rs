//! The local HTTP API: JSON endpoints and server-sent events, the one door for every
//! client (the `aviso` command, scripts, the web app next).
//!
//! Every request must carry `Authorization: Bearer <token>` (the token in `api.token`),
//! a `Host` naming the loopback address it was sent to (a DNS-rebinding page names its own
//! host), and no foreign `Origin` (a browser page on another site). Errors are JSON
//! [`wire::ApiError`]: `{"error": "...", "hint": "..."}`.
//!
//! - this module: the state, the router and its guards (Host, Origin, token).
//! - [`wire`]: every request, reply and event type, and the list of routes ([`Route`]).
//! - `status`, `feed`, `publish`, `settings`, `trust`: the handlers, by concern.
//! - `events`: the server-sent event stream (`GET /v1/events`).
//! - [`ApiClient`]: the typed client, one async method per route. (Not to be confused
//!   with [`crate::net::Client`], the handle to the event loop that the server uses.)
//!
//! The routes are registered in one place, `routes()`, with `utoipa_axum::routes!`, which
//! takes each handler's `#[utoipa::path]` attribute both for the router and for the
//! OpenAPI document served at `GET /v1/openapi.json`. A route cannot be served without
//! being documented. Tests then check that the document, [`Route::ALL`] and the router
//! agree (`api/tests.rs`) and that `node/tests/api.rs` calls every route through the
//! client ([`ApiClient::routes_used`]), so a new route without a client method and a test
//! fails the test suite.

mod agent;
mod client;
mod events;
mod feed;
mod pair;
mod panic;
mod publish;
mod respond;
mod settings;
mod status;
mod trust;
pub mod wire;

#[cfg(test)]
mod tests;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use aviso_protocol::{Community, FeedSettings, Id};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use libp2p::PeerId;
use subtle::ConstantTimeEq;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use client::{ApiClient, ClientError, EVENT_SILENCE, EventStream, MAX_EVENT_BYTES};
pub use wire::{ApiError, ApiEvent, Route};

use crate::agent::KeyAgent;
use crate::feed::{FeedPage, PageRequest, feed_page};
use crate::net::{Client, NetError};
use crate::session::Sessions;
use crate::store::{Store, StoreError};

/// Largest request body: a hex envelope (at most 128 KiB) with room for JSON around it.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Most live event streams at once. Each recomputes the feed on new envelopes; a handful
/// of `aviso watch` windows is normal, hundreds is a bug or an attack.
pub const MAX_WATCHERS: usize = 16;

/// What the API needs from the node.
#[derive(Clone)]
pub struct ApiState {
    /// Handle to the event loop.
    pub client: Client,
    /// The store (read only here).
    pub store: Arc<dyn Store>,
    /// What the member sees; shared so it can change while the node runs.
    pub settings: Arc<RwLock<FeedSettings>>,
    /// The bearer token every request must carry.
    pub token: String,
    /// Our peer id.
    pub peer_id: PeerId,
    /// The community served, if any.
    pub community: Option<Community>,
    /// When the node started, for `uptime_secs`.
    pub started: Instant,
    /// The key agent: the member's signing key, unlocked for a while.
    pub agent: KeyAgent,
    /// The home, whose member key file the agent unlocks.
    pub home: PathBuf,
    /// The web app's sign-in links and browser sessions.
    pub sessions: Arc<Sessions>,
    /// Phones on the LAN: pairing codes, paired devices, what the LAN listener serves.
    pub lan: Arc<crate::lan::Lan>,
    /// The cipher of the home's data key, for what the web app keeps in the home (the
    /// organizer desk's templates); `None` for a node without an encrypted home.
    pub seal: Option<crate::at_rest::Seal>,
}

impl std::fmt::Debug for ApiState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiState")
            .field("peer_id", &self.peer_id)
            .field("community", &self.community.as_ref().map(|c| &c.name))
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl ApiState {
    /// State for a node started now.
    pub fn new(
        client: Client,
        store: Arc<dyn Store>,
        settings: Arc<RwLock<FeedSettings>>,
        token: String,
        peer_id: PeerId,
        community: Option<Community>,
    ) -> ApiState {
        ApiState {
            client,
            store,
            settings,
            token,
            peer_id,
            community,
            started: Instant::now(),
            agent: KeyAgent::new(crate::agent::DEFAULT_IDLE),
            home: PathBuf::new(),
            sessions: Arc::new(Sessions::default()),
            lan: Arc::default(),
            seal: None,
        }
    }

    /// The same, with the key agent `agent` unlocking the member key of `home`.
    pub fn with_agent(mut self, agent: KeyAgent, home: PathBuf) -> ApiState {
        self.agent = agent;
        self.home = home;
        self
    }

    /// The same, keeping what the web app stores in the home sealed with `seal`.
    pub fn with_seal(mut self, seal: crate::at_rest::Seal) -> ApiState {
        self.seal = Some(seal);
        self
    }
}

/// The state behind the router.
struct Shared {
    api: ApiState,
    /// The address the server is bound to, for links to itself.
    addr: SocketAddr,
    /// Accepted `Host` values, lower case.
    hosts: Vec<String>,
    /// Accepted `Origin` values, lower case.
    origins: Vec<String>,
    /// Slots for live event streams.
    watchers: Arc<Semaphore>,
    /// Becomes `true` when the server shuts down, ending event streams.
    stop: watch::Receiver<bool>,
    /// The OpenAPI document, serialized once.
    openapi: Arc<str>,
}

type AppState = Arc<Shared>;

/// Serve the API on `listener` until `shutdown` completes, then finish open requests and
/// end event streams.
pub async fn serve(
    listener: TcpListener,
    state: ApiState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with_web(listener, state, None, shutdown).await
}

/// Builds the web app's routes for a server bound to an address. The node crate does not
/// know the pages (they are `aviso-web`'s); the binary that runs the node passes them in.
pub type WebMount = Box<dyn FnOnce(ApiState, SocketAddr, watch::Receiver<bool>) -> Router + Send>;

/// [`serve`], with the web app's pages beside the API: requests that no page answers go
/// to the API and its guards.
pub async fn serve_with_web(
    listener: TcpListener,
    state: ApiState,
    web: Option<WebMount>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let api = build(state.clone(), addr, stop_rx.clone());
    let app = match web {
        Some(mount) => mount(state, addr, stop_rx).fallback_service(api),
        None => api,
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        })
        .await
}

/// The API's router for a server bound to `addr` (which decides the accepted `Host`
/// values). Its event streams end only when clients leave; [`serve`] also ends them at
/// shutdown.
pub fn router(state: ApiState, addr: SocketAddr) -> Router {
    // The sender is dropped: event streams never see a shutdown from here.
    let (_, stop_rx) = watch::channel(false);
    build(state, addr, stop_rx)
}

/// The OpenAPI document of the API, as `GET /v1/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().split_for_parts().1
}

/// The document's fixed part: title, description, the bearer token scheme.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Aviso node local API",
        description = "The local API of an Aviso node: JSON endpoints and one server-sent \
            event stream on 127.0.0.1. Every request needs `Authorization: Bearer <token>` \
            (the token in `api.token` in the node's runtime directory) and a `Host` naming the \
            address it was sent to; cross-origin requests are refused. Errors are \
            `{\"error\", \"hint\"}`. See docs/api.md."
    ),
    modifiers(&BearerToken),
    security(("token" = [])),
    components(schemas(wire::ApiError, wire::ApiEvent))
)]
struct ApiDoc;

/// Declares the bearer token scheme.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "the 64 hex characters of `api.token` in the node's runtime directory",
            ))
            .build();
        components.add_security_scheme("token", SecurityScheme::Http(scheme));
    }
}

/// Every route, with its handler: the one list the router and the OpenAPI document are
/// both made from. Register routes here only, and only with `routes!`; then add the
/// [`Route`] variant, the [`ApiClient`] method and a call in `node/tests/api.rs` (tests
/// fail until all three exist).
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(status::status))
        .routes(routes!(status::peers))
        .routes(routes!(status::sync_now))
        .routes(routes!(publish::publish))
        .routes(routes!(feed::feed))
        .routes(routes!(feed::envelope))
        .routes(routes!(feed::ids))
        .routes(routes!(feed::export))
        .routes(routes!(events::events))
        .routes(routes!(settings::get_settings, settings::put_settings))
        .routes(routes!(trust::trust))
        .routes(routes!(openapi_json))
        .routes(routes!(agent::web_signin))
        .routes(routes!(agent::status))
        .routes(routes!(agent::unlock))
        .routes(routes!(agent::lock))
        .routes(routes!(agent::sign))
        .routes(routes!(pair::pair))
        .routes(routes!(pair::devices))
        .routes(routes!(pair::revoke))
        .routes(routes!(panic::panic))
        .routes(routes!(respond::responses))
}

fn build(api: ApiState, addr: SocketAddr, stop: watch::Receiver<bool>) -> Router {
    let port = addr.port();
    let mut hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    // Bound to one specific address (not loopback, not 0.0.0.0): that address is fine too.
    if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
        hosts.push(addr.to_string().to_ascii_lowercase());
    }
    let origins = hosts.iter().map(|h| format!("http://{h}")).collect();
    let (router, doc) = routes().split_for_parts();
    let openapi = match doc.to_json() {
        Ok(json) => json.into(),
        Err(e) => {
            // Not reachable with the derived document; the API works without it.
            tracing::error!(error = %e, "cannot serialize the OpenAPI document");
            "{}".into()
        }
    };
    let shared = Arc::new(Shared {
        api,
        addr,
        hosts,
        origins,
        watchers: Arc::new(Semaphore::new(MAX_WATCHERS)),
        stop,
        openapi,
    });
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// This API's OpenAPI 3.1 document.
#[utoipa::path(
    get,
    path = wire::paths::OPENAPI,
    tag = "meta",
    responses(
        (status = 200, description = "the OpenAPI 3.1 document of this API", content_type = "application/json", body = Object),
        (status = 401, description = "missing or wrong token", body = ApiError),
    )
)]
async fn openapi_json(State(s): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        s.openapi.to_string(),
    )
        .into_response()
}

/// An error as the API reports it: a status and the [`ApiError`] body.
#[derive(Debug)]
struct Failure {
    status: StatusCode,
    body: ApiError,
}

impl Failure {
    fn new(status: StatusCode, error: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure {
            status,
            body: ApiError {
                error: error.into(),
                hint: hint.into(),
            },
        }
    }

    fn internal(error: impl std::fmt::Display) -> Failure {
        tracing::error!(%error, "api request failed");
        Failure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            error.to_string(),
            "this is a problem in the node; see its log",
        )
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<NetError> for Failure {
    fn from(e: NetError) -> Failure {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            e.to_string(),
            "the node's network side is not running; restart the node",
        )
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure::internal(e)
    }
}

impl From<JsonRejection> for Failure {
    fn from(e: JsonRejection) -> Failure {
        let hint = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            format!("a request body may have at most {MAX_BODY_BYTES} bytes")
        } else {
            "send Content-Type: application/json and a body like {\"envelope\": \"<hex>\"}".into()
        };
        Failure::new(e.status(), e.body_text(), hint)
    }
}

impl From<QueryRejection> for Failure {
    fn from(e: QueryRejection) -> Failure {
        Failure::new(e.status(), e.body_text(), "use ?all=true or ?all=false")
    }
}

impl From<PathRejection> for Failure {
    fn from(e: PathRejection) -> Failure {
        Failure::new(e.status(), e.body_text(), "check the URL")
    }
}

/// Host, Origin and token checks, in front of every route.
async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    match check(&s, req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check(s: &Shared, headers: &HeaderMap) -> Result<(), Failure> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    if !host.as_ref().is_some_and(|h| s.hosts.contains(h)) {
        return Err(Failure::new(
            StatusCode::MISDIRECTED_REQUEST,
            "unexpected Host header",
            format!("the API answers only at http://{}", s.hosts[0]),
        ));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let ok = origin
            .to_str()
            .is_ok_and(|o| s.origins.contains(&o.to_ascii_lowercase()));
        if !ok {
            return Err(Failure::new(
                StatusCode::FORBIDDEN,
                "cross-origin requests are refused",
                "the API is for the local `aviso` command, not for web pages",
            ));
        }
    }
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let Some(presented) = presented else {
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "missing bearer token",
            "send Authorization: Bearer <token>, the token in api.token in the node's runtime \
             directory (see docs/api.md, Token)",
        ));
    };
    if !token_matches(presented.as_bytes(), s.api.token.as_bytes()) {
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "wrong bearer token",
            "use the token in api.token of the home of the node you talk to (--home / \
             AVISO_HOME)",
        ));
    }
    Ok(())
}

/// Whether `presented` is the token, compared in constant time (`subtle`), so timing
/// does not reveal how much of a guess matched. The length is not secret (tokens are
/// always 64 characters). An empty token never matches.
fn token_matches(presented: &[u8], expected: &[u8]) -> bool {
    !expected.is_empty() && bool::from(presented.ct_eq(expected))
}

async fn not_found() -> Failure {
    let endpoints: Vec<String> =
        Route::ALL
            .iter()
            .map(|r| r.path())
            .fold(Vec::new(), |mut v, p| {
                if !v.iter().any(|q: &String| q == p) {
                    v.push(p.to_owned());
                }
                v
            });
    Failure::new(
        StatusCode::NOT_FOUND,
        "no such endpoint",
        format!("endpoints: {}", endpoints.join(", ")),
    )
}

async fn method_not_allowed() -> Failure {
    Failure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed",
        "POST /v1/publish, POST /v1/sync, PUT /v1/settings; every other endpoint is GET \
         (see /v1/openapi.json)",
    )
}

/// Run store work (disk reads, feed computation) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Failure> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(Failure::from),
        Err(e) => Err(Failure::internal(e)),
    }
}

/// The member's settings now.
fn read_settings(api: &ApiState) -> FeedSettings {
    // A writer that panicked left whole settings behind (they are replaced, not edited).
    api.settings
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

/// One page of the feed with the current settings (and the reports `also` names).
async fn current_feed(
    api: &ApiState,
    req: PageRequest,
    also: Vec<Id>,
) -> Result<FeedPage, Failure> {
    let store = api.store.clone();
    let settings = read_settings(api);
    blocking(move || feed_page(store.as_ref(), &settings, crate::unix_now(), &req, &also)).await
}
