//! The local HTTP API: JSON endpoints and server-sent events for the `aviso` command.
//!
//! Every request must carry `Authorization: Bearer <token>` (the token in `api.token`),
//! a `Host` naming the loopback address it was sent to (a DNS-rebinding page names its own
//! host), and no foreign `Origin` (a browser page on another site). Errors are JSON
//! `{"error": "...", "hint": "..."}`.
//!
//! | route | what |
//! |---|---|
//! | `GET /v1/status` | peer id, listen addresses, peer count, store counts, uptime, community |
//! | `GET /v1/peers` | connected peers |
//! | `POST /v1/publish` | `{"envelope": "<hex>"}` through the pipeline; the [`Outcome`] |
//! | `GET /v1/feed?all=bool&reports=N&before=CURSOR` | what the member sees (`all`: hidden items too, with reasons): every alert and resource, one page of reports (newest first, default 100, at most 500) and the `next` page's cursor ([`FeedReply`]) |
//! | `GET /v1/envelopes/{id}` | one stored envelope: hex bytes and decoded body |
//! | `GET /v1/ids?prefix=HEX` | ids of stored envelopes starting with `HEX` (6 to 64 hex characters; at most 16) |
//! | `GET /v1/events` | server-sent events: `ready`, `item` (newly shown), `peer`, `lagged` |

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use aviso_protocol::limits::MAX_ENVELOPE_BYTES;
use aviso_protocol::{Community, Feed, FeedSettings, Id};
use aviso_protocol::{PublicKey, TrustView};
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use libp2p::PeerId;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast, watch};

use crate::feed::{
    Cursor, DEFAULT_PAGE_REPORTS, FeedPage, FeedReply, MAX_PAGE_REPORTS, PageRequest, feed_page,
};
use crate::net::{Client, Event, NetError};
use crate::pipeline::Outcome;
use crate::store::{Store, StoreCounts, StoreError};

/// Largest request body: a hex envelope (at most 128 KiB) with room for JSON around it.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Most live event streams at once. Each recomputes the feed on new envelopes; a handful
/// of `aviso watch` windows is normal, hundreds is a bug or an attack.
pub const MAX_WATCHERS: usize = 16;
/// Comment sent on a quiet event stream, so proxies and clients see it is alive.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Shortest time between two feed recomputations of one event stream: under a gossip
/// burst, one recomputation covers many envelopes.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_millis(250);
/// Most node events taken in one batch before recomputing.
const MAX_BATCH: usize = 256;
/// Most server-sent events waiting on one stream; past it the client gets one `lagged`
/// event and should fetch `/v1/feed`.
const MAX_QUEUED: usize = 1024;
/// Reports an event stream follows: the newest shown ones, as the first page of
/// `/v1/feed`. A report that leaves this window (newer ones came) is no longer
/// followed; one that stops being shown inside it is announced as withdrawn.
const WATCH_REPORTS: usize = DEFAULT_PAGE_REPORTS;
/// Newly accepted reports an event stream judges at its next recomputation even when
/// they are older than its window (caught up by sync): they are announced if shown.
/// Past this many between two recomputations, the rest wait for the window.
const WATCH_NEW_REPORTS: usize = 256;
/// Shortest id prefix `/v1/ids` resolves: what `aviso` accepts for a short id.
const MIN_ID_PREFIX: usize = 6;
/// Most ids `/v1/ids` returns: enough to say "ambiguous", whatever the store holds.
const MAX_ID_MATCHES: usize = 16;

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
        }
    }
}

/// The state behind the router.
struct Shared {
    api: ApiState,
    /// Accepted `Host` values, lower case.
    hosts: Vec<String>,
    /// Accepted `Origin` values, lower case.
    origins: Vec<String>,
    /// Slots for live event streams.
    watchers: Arc<Semaphore>,
    /// Becomes `true` when the server shuts down, ending event streams.
    stop: watch::Receiver<bool>,
}

type AppState = Arc<Shared>;

/// Serve the API on `listener` until `shutdown` completes, then finish open requests and
/// end event streams.
pub async fn serve(
    listener: TcpListener,
    state: ApiState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let app = build(state, addr, stop_rx);
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
    let shared = Arc::new(Shared {
        api,
        hosts,
        origins,
        watchers: Arc::new(Semaphore::new(MAX_WATCHERS)),
        stop,
    });
    Router::new()
        .route("/v1/status", get(status))
        .route("/v1/peers", get(peers))
        .route("/v1/publish", post(publish))
        .route("/v1/feed", get(feed))
        .route("/v1/envelopes/{id}", get(envelope))
        .route("/v1/ids", get(ids))
        .route("/v1/events", get(events))
        .route("/v1/sync", post(sync_now))
        .route("/v1/settings", get(get_settings).put(put_settings))
        .route("/v1/trust", get(trust))
        .route("/v1/export", get(export))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

/// An error as the API reports it.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    error: String,
    hint: String,
}

impl ApiError {
    fn new(status: StatusCode, error: impl Into<String>, hint: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            hint: hint.into(),
        }
    }

    fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "api request failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            error.to_string(),
            "this is a problem in the node; see its log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Json(json!({ "error": self.error, "hint": self.hint }));
        let mut response = (self.status, body).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<NetError> for ApiError {
    fn from(e: NetError) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            e.to_string(),
            "the node's network side is not running; restart the node",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> ApiError {
        let hint = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            format!("a request body may have at most {MAX_BODY_BYTES} bytes")
        } else {
            "send Content-Type: application/json and a body like {\"envelope\": \"<hex>\"}".into()
        };
        ApiError::new(e.status(), e.body_text(), hint)
    }
}

impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> ApiError {
        ApiError::new(e.status(), e.body_text(), "use ?all=true or ?all=false")
    }
}

impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> ApiError {
        ApiError::new(e.status(), e.body_text(), "check the URL")
    }
}

/// Host, Origin and token checks, in front of every route.
async fn guard(State(s): State<AppState>, req: Request, next: Next) -> Response {
    match check(&s, req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check(s: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase);
    if !host.as_ref().is_some_and(|h| s.hosts.contains(h)) {
        return Err(ApiError::new(
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
            return Err(ApiError::new(
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
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing bearer token",
            "send Authorization: Bearer <token>, the token in api.token in the node's data \
             directory",
        ));
    };
    let expected = s.api.token.as_bytes();
    if expected.is_empty() || !constant_time_eq(presented.as_bytes(), expected) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong bearer token",
            "use the token in api.token of the home of the node you talk to (--home / \
             AVISO_HOME)",
        ));
    }
    Ok(())
}

/// Compare without an early exit, so timing does not reveal how much of a guess matched.
/// The length is not secret (tokens are always 64 characters).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such endpoint",
        "endpoints: /v1/status, /v1/peers, /v1/publish, /v1/feed, /v1/envelopes/{id}, \
         /v1/ids, /v1/events",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method not allowed",
        "POST /v1/publish; every other endpoint is GET",
    )
}

/// Run store work (disk reads, feed computation) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ApiError::from),
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// One page of the feed with the current settings (and the reports `also` names).
async fn current_feed(
    api: &ApiState,
    req: PageRequest,
    also: Vec<Id>,
) -> Result<FeedPage, ApiError> {
    let store = api.store.clone();
    // A writer that panicked left whole settings behind (they are replaced, not edited).
    let settings = api
        .settings
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone();
    blocking(move || feed_page(store.as_ref(), &settings, crate::unix_now(), &req, &also)).await
}

/// What an event stream computes: the window of newest shown reports.
fn watch_request() -> PageRequest {
    PageRequest {
        reports: WATCH_REPORTS,
        before: None,
        skip_hidden: true,
    }
}

#[derive(Serialize)]
struct StatusReply {
    version: &'static str,
    peer_id: String,
    listen_addrs: Vec<String>,
    peers: usize,
    store: StoreCounts,
    uptime_secs: u64,
    community: Option<CommunityReply>,
    reachability: crate::net::Reachability,
}

#[derive(Serialize)]
struct CommunityReply {
    id: String,
    name: String,
    roots: Vec<String>,
}

async fn status(State(s): State<AppState>) -> Result<Json<StatusReply>, ApiError> {
    let net = s.api.client.status().await?;
    let store = s.api.store.clone();
    let counts = blocking(move || store.counts()).await?;
    Ok(Json(StatusReply {
        version: env!("CARGO_PKG_VERSION"),
        peer_id: s.api.peer_id.to_string(),
        listen_addrs: net.listen_addrs,
        peers: net.peers.len(),
        store: counts,
        uptime_secs: s.api.started.elapsed().as_secs(),
        community: s.api.community.as_ref().map(|c| CommunityReply {
            id: c.id.to_hex(),
            name: c.name.clone(),
            roots: c.roots.iter().map(|k| k.to_hex()).collect(),
        }),
        reachability: net.reachability,
    }))
}

async fn peers(State(s): State<AppState>) -> Result<Response, ApiError> {
    let net = s.api.client.status().await?;
    Ok(Json(json!({
        "peers": net.peers,
        "reservations": net.reachability.reservations,
        "reachability": net.reachability.summary,
    }))
    .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishRequest {
    /// The signed envelope bytes, hex.
    envelope: String,
}

async fn publish(
    State(s): State<AppState>,
    body: Result<Json<PublishRequest>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(req) = body?;
    let text = req.envelope.trim();
    if text.len() > 2 * MAX_ENVELOPE_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("envelope is larger than {MAX_ENVELOPE_BYTES} bytes"),
            "shorten the message; an envelope has at most 64 KiB",
        ));
    }
    let bytes = hex::decode(text).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("`envelope` is not hex: {e}"),
            "send the signed envelope bytes as hex",
        )
    })?;
    let outcome = s.api.client.publish(bytes).await?;
    let mut body = serde_json::to_value(&outcome).map_err(ApiError::internal)?;
    let (code, error, hint) = match &outcome {
        Outcome::Accepted { .. } | Outcome::Duplicate { .. } => {
            return Ok((StatusCode::OK, Json(body)).into_response());
        }
        Outcome::Ignored { reason } | Outcome::Throttled { reason, .. } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("envelope not accepted: {reason}"),
            "it is well-formed but not accepted now: check the clock, the expiry, the rate \
             limits and that the author is on the community's trust lists",
        ),
        Outcome::Rejected { reason } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("envelope rejected: {reason}"),
            "it is malformed or badly signed; sign it again",
        ),
    };
    if let Some(map) = body.as_object_mut() {
        map.insert("error".into(), error.into());
        map.insert("hint".into(), hint.into());
    }
    Ok((code, Json(body)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedQuery {
    /// Include hidden items, with the reasons they are hidden.
    #[serde(default)]
    all: bool,
    /// Reports in the page.
    reports: Option<usize>,
    /// The previous page's `next`.
    before: Option<String>,
}

async fn feed(
    State(s): State<AppState>,
    query: Result<Query<FeedQuery>, QueryRejection>,
) -> Result<Json<FeedReply>, ApiError> {
    let Query(q) = query?;
    let reports = q.reports.unwrap_or(DEFAULT_PAGE_REPORTS);
    if reports > MAX_PAGE_REPORTS {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("at most {MAX_PAGE_REPORTS} reports per page"),
            "ask for fewer and follow `next` for more",
        ));
    }
    let before = match q.before.as_deref().map(str::parse::<Cursor>) {
        None => None,
        Some(Ok(c)) => Some(c),
        Some(Err(e)) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "not a page cursor",
                e.to_string(),
            ));
        }
    };
    let req = PageRequest {
        reports,
        before,
        skip_hidden: !q.all,
    };
    let page = current_feed(&s.api, req, Vec::new()).await?;
    Ok(Json(FeedReply {
        feed: if q.all { page.feed } else { page.feed.shown() },
        next: page.next.map(|c| c.to_string()),
    }))
}

/// Start catch-up sessions with every connected peer.
async fn sync_now(State(s): State<AppState>) -> Result<Response, ApiError> {
    let started = s.api.client.sync_now().await?;
    Ok(Json(json!({ "started": started })).into_response())
}

fn read_settings(api: &ApiState) -> FeedSettings {
    api.settings
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

async fn get_settings(State(s): State<AppState>) -> Json<FeedSettings> {
    Json(read_settings(&s.api))
}

/// Replace what the member sees (followed list owners, areas, languages) while the node
/// runs. The CLI also writes them to the config file so they survive a restart.
async fn put_settings(
    State(s): State<AppState>,
    body: Result<Json<FeedSettings>, JsonRejection>,
) -> Result<Json<FeedSettings>, ApiError> {
    let Json(new) = body?;
    let bad =
        |what: String, hint: &str| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, what, hint);
    for a in &new.areas {
        a.validate().map_err(|e| {
            bad(
                e.to_string(),
                "areas are geohash cells of 3 to 6 characters",
            )
        })?;
    }
    for l in &new.languages {
        aviso_protocol::lang::validate_lang(l)
            .map_err(|e| bad(e.to_string(), "use BCP 47 tags such as en, es, ht"))?;
    }
    if new.areas.len() > 256 || new.languages.len() > 32 || new.follow.len() > 256 {
        return Err(bad(
            "too many settings".into(),
            "at most 256 areas, 32 languages, 256 followed keys",
        ));
    }
    *s.api.settings.write().unwrap_or_else(|p| p.into_inner()) = new.clone();
    Ok(Json(new))
}

#[derive(Serialize)]
struct TrustKey {
    key: PublicKey,
    fingerprint: String,
    grants: Vec<aviso_protocol::trust::Grant>,
    revoked_since: Option<u64>,
}

/// Who the member's followed lists (and their delegates) trust, and for what.
async fn trust(State(s): State<AppState>) -> Result<Response, ApiError> {
    let settings = read_settings(&s.api);
    let store = s.api.store.clone();
    let lists = blocking(move || store.by_kind(aviso_protocol::Kind::TrustList)).await?;
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
    let revoked: Vec<serde_json::Value> = lists
        .iter()
        .filter_map(|e| match e.body() {
            aviso_protocol::Body::TrustList(l) if view.lists().iter().any(|c| c.id == e.id()) => Some(&l.revoked),
            _ => None,
        })
        .flatten()
        .map(|r| json!({ "key": r.key, "fingerprint": r.key.fingerprint(), "since": r.since, "reason": r.reason }))
        .collect();
    let mut thresholds: Vec<aviso_protocol::Threshold> = view
        .thresholds()
        .map(|(category, k)| aviso_protocol::Threshold { category, k })
        .collect();
    thresholds.sort_by_key(|t| t.category);
    Ok(Json(json!({
        "follow": settings.follow,
        "lists": view.lists(),
        "keys": keys,
        "revoked": revoked,
        "thresholds": thresholds,
    }))
    .into_response())
}

/// Every stored envelope, as hex of its received bytes, oldest first.
async fn export(State(s): State<AppState>) -> Result<Response, ApiError> {
    let store = s.api.store.clone();
    let all = blocking(move || store.all()).await?;
    let envelopes: Vec<String> = all.iter().map(|e| hex::encode(e.bytes())).collect();
    Ok(Json(json!({ "envelopes": envelopes })).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdsQuery {
    prefix: String,
}

/// Ids starting with a prefix: short ids people type resolve against the whole store,
/// not only the page of the feed they saw.
async fn ids(
    State(s): State<AppState>,
    query: Result<Query<IdsQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query?;
    let prefix = q.prefix.to_ascii_lowercase();
    if !(MIN_ID_PREFIX..=64).contains(&prefix.len())
        || !prefix.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "not an id prefix",
            format!("give {MIN_ID_PREFIX} to 64 hex characters of an envelope id"),
        ));
    }
    let store = s.api.store.clone();
    let ids = blocking(move || store.ids_with_prefix(&prefix, MAX_ID_MATCHES)).await?;
    Ok(Json(json!({ "ids": ids })).into_response())
}

async fn envelope(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id?;
    let id = Id::from_hex(&id).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "not an envelope id",
            "an id is 64 hex characters",
        )
    })?;
    let store = s.api.store.clone();
    let Some(env) = blocking(move || store.get(&id)).await? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no envelope {id} is stored"),
            "it may have expired, or not reached this node yet",
        ));
    };
    Ok(Json(json!({
        "id": env.id(),
        "kind": env.kind(),
        "community": env.community(),
        "author": env.author(),
        "created_at": env.created_at(),
        "expires_at": env.expires_at(),
        "bytes": hex::encode(env.bytes()),
        "body": env.body(),
    }))
    .into_response())
}

async fn events(State(s): State<AppState>) -> Result<Response, ApiError> {
    let permit = s.watchers.clone().try_acquire_owned().map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("too many live event streams (at most {MAX_WATCHERS})"),
            "close another `aviso watch`",
        )
    })?;
    // Subscribe before reading the feed, so nothing accepted in between is missed.
    let events = s.api.client.subscribe();
    let page = current_feed(&s.api, watch_request(), Vec::new()).await?;
    let (shown, reports) = shown_ids(&page.feed);
    let mut watcher = Watcher {
        stop: Some(s.stop.clone()),
        shared: s,
        events,
        queue: VecDeque::new(),
        overflowed: false,
        last_refresh: Instant::now(),
        closed: false,
        shown,
        reports,
        new_reports: Vec::new(),
        floor: page.next,
        _permit: permit,
    };
    let shown_now = watcher.shown.len();
    watcher.push_json("ready", None, &json!({ "shown": shown_now }));
    let stream = futures::stream::unfold(watcher, Watcher::next);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response())
}

/// Ids of everything shown in `feed`, and of the reports among them.
fn shown_ids(feed: &Feed) -> (HashSet<Id>, HashSet<Id>) {
    let alerts = feed.alerts.iter().filter(|i| i.shown).map(|i| i.id);
    let reports: HashSet<Id> = feed
        .reports
        .iter()
        .filter(|i| i.shown)
        .map(|i| i.id)
        .collect();
    let resources = feed.resources.iter().filter(|i| i.shown).map(|i| i.id);
    let all = alerts
        .chain(reports.iter().copied())
        .chain(resources)
        .collect();
    (all, reports)
}

/// The `data` of an `item` event.
#[derive(Serialize)]
struct ItemData<'a, T> {
    #[serde(rename = "type")]
    kind: &'static str,
    item: &'a T,
}

/// One live event stream. Its memory is bounded: the ids shown now (alerts and
/// resources, bounded by the organizer quotas, and at most [`WATCH_REPORTS`] reports), at
/// most [`WATCH_NEW_REPORTS`] new report ids and at most [`MAX_QUEUED`] events waiting.
struct Watcher {
    shared: AppState,
    events: broadcast::Receiver<Event>,
    /// Ids shown at the last recomputation (reports: those in the window).
    shown: HashSet<Id>,
    /// The reports among them.
    reports: HashSet<Id>,
    /// Reports accepted since the last recomputation.
    new_reports: Vec<Id>,
    /// Where the window of reports ended at the last recomputation (`None`: it held
    /// every report). A report below it that enters the window (a newer one was hidden)
    /// is not news.
    floor: Option<Cursor>,
    queue: VecDeque<SseEvent>,
    /// Events were dropped and the client was told.
    overflowed: bool,
    last_refresh: Instant,
    /// The node's event channel closed: the node is stopping.
    closed: bool,
    /// `None` once the server's shutdown signal can no longer fire.
    stop: Option<watch::Receiver<bool>>,
    _permit: OwnedSemaphorePermit,
}

impl Watcher {
    async fn next(mut self) -> Option<(Result<SseEvent, Infallible>, Watcher)> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                if self.queue.is_empty() {
                    self.overflowed = false;
                }
                return Some((Ok(event), self));
            }
            if self.closed {
                return None;
            }
            let first = tokio::select! {
                () = stopped(&mut self.stop) => return None,
                r = self.events.recv() => r,
            };
            let mut refresh = self.absorb(first);
            if refresh {
                let wait = MIN_REFRESH_INTERVAL.saturating_sub(self.last_refresh.elapsed());
                if !wait.is_zero() {
                    tokio::select! {
                        () = stopped(&mut self.stop) => return None,
                        () = tokio::time::sleep(wait) => {}
                    }
                }
            }
            for _ in 0..MAX_BATCH {
                let r = match self.events.try_recv() {
                    Ok(event) => Ok(event),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
                    Err(TryRecvError::Closed) => Err(RecvError::Closed),
                };
                refresh |= self.absorb(r);
            }
            if refresh {
                self.refresh().await;
            }
        }
    }

    /// Take one node event; returns whether the feed must be recomputed.
    fn absorb(&mut self, r: Result<Event, RecvError>) -> bool {
        match r {
            Ok(Event::Accepted { id, kind, .. }) => {
                if kind == aviso_protocol::Kind::Report
                    && self.new_reports.len() < WATCH_NEW_REPORTS
                {
                    self.new_reports.push(id);
                }
                true
            }
            Ok(event @ (Event::PeerConnected { .. } | Event::PeerDisconnected { .. })) => {
                self.push_json("peer", None, &event);
                false
            }
            // Missed events: the feed may have changed.
            Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => {
                self.closed = true;
                false
            }
        }
    }

    /// Recompute the feed and queue an `item` event for everything newly shown.
    async fn refresh(&mut self) {
        self.last_refresh = Instant::now();
        // The reports followed and the new ones are judged even outside the window: a
        // followed one may have been withdrawn as it left it.
        let mut also: Vec<Id> = self.reports.iter().copied().collect();
        let new: HashSet<Id> = self.new_reports.drain(..).collect();
        also.extend(&new);
        let page = match current_feed(&self.shared.api, watch_request(), also).await {
            Ok(page) => page,
            Err(e) => {
                tracing::warn!(error = %e.error, "cannot recompute the feed for an event stream");
                return;
            }
        };
        let FeedPage { mut feed, next } = page;
        // Whether a report lies in the window (at or after the next page's cursor).
        let in_window = |created_at, id| next.is_none_or(|c| Cursor { created_at, id } >= c);
        for a in feed.alerts.iter().filter(|i| i.shown) {
            if !self.shown.contains(&a.id) {
                self.push_item("alert", a.id, a);
            }
        }
        let floor = self.floor;
        let news = |created_at, id| {
            new.contains(&id) || floor.is_none_or(|f| Cursor { created_at, id } >= f)
        };
        for r in feed.reports.iter().filter(|i| i.shown) {
            if !self.shown.contains(&r.id) && news(r.created_at, r.id) {
                self.push_item("report", r.id, r);
            }
        }
        // Shown reports outside the window are no longer followed: not withdrawn, just
        // older than what the stream follows.
        let (left, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut feed.reports)
            .into_iter()
            .partition(|r| r.shown && !in_window(r.created_at, r.id));
        feed.reports = kept;
        let left: HashSet<Id> = left.into_iter().map(|r| r.id).collect();
        let (shown, reports) = shown_ids(&feed);
        for r in feed.resources.iter().filter(|i| i.shown) {
            if !self.shown.contains(&r.id) {
                self.push_item("resource", r.id, r);
            }
        }
        // What stopped being shown (cancelled, retracted, revoked, updated, expired): a
        // watcher must not keep showing it.
        let gone: Vec<Id> = self
            .shown
            .difference(&shown)
            .filter(|id| !left.contains(id))
            .copied()
            .collect();
        for id in gone {
            let found = feed
                .alerts
                .iter()
                .find(|a| a.id == id)
                .map(|a| ("alert", &a.reasons))
                .or_else(|| {
                    feed.reports
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| ("report", &r.reasons))
                })
                .or_else(|| {
                    feed.resources
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| ("resource", &r.reasons))
                });
            let data = match found {
                Some((kind, reasons)) => json!({ "type": kind, "id": id, "reasons": reasons }),
                // Collected from the store: it expired.
                None => json!({ "type": null, "id": id, "reasons": [{ "reason": "expired" }] }),
            };
            self.push_json("withdrawn", Some(id), &data);
        }
        self.shown = shown;
        self.reports = reports;
        self.floor = next;
    }

    fn push_item<T: Serialize>(&mut self, kind: &'static str, id: Id, item: &T) {
        self.push_json("item", Some(id), &ItemData { kind, item });
    }

    fn push_json<T: Serialize>(&mut self, name: &'static str, id: Option<Id>, data: &T) {
        let mut event = SseEvent::default().event(name);
        if let Some(id) = id {
            event = event.id(id.to_hex());
        }
        match event.json_data(data) {
            Ok(event) => self.push(event),
            Err(e) => tracing::warn!(error = %e, "cannot encode a server-sent event"),
        }
    }

    fn push(&mut self, event: SseEvent) {
        if self.queue.len() < MAX_QUEUED {
            self.queue.push_back(event);
        } else if !self.overflowed {
            self.overflowed = true;
            let lagged = SseEvent::default()
                .event("lagged")
                .data("some updates were dropped; fetch /v1/feed");
            self.queue.push_back(lagged);
        }
    }
}

/// Completes when the server shuts down; never, once the signal cannot fire any more.
async fn stopped(stop: &mut Option<watch::Receiver<bool>>) {
    if let Some(rx) = stop {
        if rx.wait_for(|s| *s).await.is_ok() {
            return;
        }
        *stop = None;
    }
    std::future::pending::<()>().await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    use aviso_protocol::{
        Alert, Body, Category, Certainty, CommunityId, Envelope, Info, Kind, MsgType, Role,
        SecretKey, Severity, Status, TrustEntry, TrustList, Urgency,
    };
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;
    use tokio::sync::{mpsc, oneshot};

    use super::*;
    use crate::net::Command;
    use crate::net::{NetStatus, PeerInfo};

    const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const DEADLINE: Duration = Duration::from_secs(20);

    /// A store in memory, enough for the API.
    #[derive(Default)]
    struct MemStore(Mutex<Vec<Envelope>>);

    impl Store for MemStore {
        fn contains(&self, id: &Id) -> Result<bool, StoreError> {
            Ok(self.0.lock().unwrap().iter().any(|e| e.id() == *id))
        }
        fn insert_within(
            &self,
            env: &Envelope,
            _: Option<crate::store::Quota>,
        ) -> Result<crate::store::Inserted, StoreError> {
            let mut all = self.0.lock().unwrap();
            if all.iter().any(|e| e.id() == env.id()) {
                return Ok(crate::store::Inserted::Duplicate);
            }
            all.push(env.clone());
            Ok(crate::store::Inserted::Stored)
        }
        fn usage(&self, _: &PublicKey) -> Result<crate::store::Usage, StoreError> {
            Ok(crate::store::Usage::default())
        }
        fn flush(&self) -> Result<(), StoreError> {
            Ok(())
        }
        fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
            Ok(self
                .0
                .lock()
                .unwrap()
                .iter()
                .find(|e| e.id() == *id)
                .cloned())
        }
        fn all(&self) -> Result<Vec<Envelope>, StoreError> {
            Ok(self.0.lock().unwrap().clone())
        }
        fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError> {
            let all = self.0.lock().unwrap();
            Ok(all.iter().filter(|e| e.kind() == kind).cloned().collect())
        }
        fn referencing(&self, target: &Id) -> Result<Vec<Id>, StoreError> {
            let all = self.0.lock().unwrap();
            let refers = |e: &&Envelope| match e.body() {
                Body::Retraction(r) => r.target == *target,
                Body::Endorsement(x) => x.alert == *target,
                Body::Alert(a) => a.references.contains(target) || a.confirms.contains(target),
                _ => false,
            };
            Ok(all.iter().filter(refers).map(|e| e.id()).collect())
        }
        fn sync_items(&self, now: u64) -> Result<Vec<(u64, Id)>, StoreError> {
            let all = self.0.lock().unwrap();
            let live = all.iter().filter(|e| !e.is_expired(now));
            Ok(live.map(|e| (e.created_at(), e.id())).collect())
        }
        fn gc(&self, _: u64) -> Result<usize, StoreError> {
            Ok(0)
        }
        fn counts(&self) -> Result<StoreCounts, StoreError> {
            let all = self.0.lock().unwrap();
            let mut by_kind = BTreeMap::new();
            for e in all.iter() {
                *by_kind.entry(e.kind().as_str()).or_insert(0) += 1;
            }
            Ok(StoreCounts {
                total: all.len() as u64,
                by_kind,
            })
        }
    }

    /// Plays the event loop: answers commands, "publishes" into the store.
    async fn fake_loop(mut rx: mpsc::Receiver<Command>, store: Arc<dyn Store>, client: Client) {
        while let Some(cmd) = rx.recv().await {
            match cmd {
                Command::Publish { bytes, reply } => {
                    let outcome = match Envelope::decode(&bytes) {
                        Err(e) => Outcome::Rejected {
                            reason: e.to_string(),
                        },
                        Ok(env) if store.insert(&env).unwrap() => {
                            let _ = client.events.send(Event::Accepted {
                                id: env.id(),
                                kind: env.kind(),
                                source: "local",
                            });
                            Outcome::Accepted {
                                id: env.id(),
                                kind: env.kind(),
                            }
                        }
                        Ok(env) => Outcome::Duplicate { id: env.id() },
                    };
                    let _ = reply.send(outcome);
                }
                Command::Status { reply } => {
                    let _ = reply.send(NetStatus {
                        peer_id: "me".into(),
                        listen_addrs: vec!["/ip4/127.0.0.1/tcp/7446".into()],
                        peers: vec![PeerInfo {
                            peer_id: "other".into(),
                            address: "/ip4/127.0.0.1/tcp/7447".into(),
                            in_mesh: true,
                            score: Some(1.0),
                            rtt_ms: Some(3),
                            last_sync: None,
                            connection: "direct",
                        }],
                        sync_sessions: 0,
                        gossip_load_drops: 0,
                        catch_up_rounds: 0,
                        serving: Default::default(),
                        reachability: Default::default(),
                    });
                }
                // Other commands are not used by the API: dropping the reply is
                // what a stopped loop does.
                _ => {}
            }
        }
    }

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed(&[n; 32])
    }

    const COMMUNITY: CommunityId = CommunityId([42; 32]);

    fn trust_list(now: u64) -> Envelope {
        let list = TrustList {
            name: "Mission rapid response".into(),
            version: 1,
            entries: vec![TrustEntry {
                key: key(2).public(),
                role: Role::Organizer,
                label: "organizer".into(),
                areas: vec![],
                categories: vec![],
                expires_at: None,
            }],
            revoked: vec![],
            thresholds: vec![],
            delegates: vec![],
        };
        let body = Body::TrustList(list);
        Envelope::sign(&key(1), COMMUNITY, &body, now - 60, now + 86_400).unwrap()
    }

    fn alert(now: u64, headline: &str) -> Envelope {
        let alert = Alert {
            category: Category::Raid,
            severity: Severity::Severe,
            urgency: Urgency::Immediate,
            certainty: Certainty::Observed,
            status: Status::Actual,
            msg_type: MsgType::Alert,
            references: vec![],
            areas: vec![aviso_protocol::Area::parse("9q8yy").unwrap()],
            area_desc: None,
            onset: Some(now),
            info: vec![Info {
                lang: "en".into(),
                headline: headline.into(),
                description: "description".into(),
                instruction: "stay inside".into(),
            }],
            confirms: vec![],
        };
        Envelope::sign(&key(2), COMMUNITY, &Body::Alert(alert), now - 1, now + 3600).unwrap()
    }

    struct Harness {
        addr: SocketAddr,
        client: Client,
        store: Arc<dyn Store>,
        stop: Option<oneshot::Sender<()>>,
        server: tokio::task::JoinHandle<std::io::Result<()>>,
    }

    async fn start() -> Harness {
        start_on(Arc::new(MemStore::default()), vec![]).await
    }

    /// The API over `store`, for a member following key(1) in `areas`.
    async fn start_on(store: Arc<dyn Store>, areas: Vec<aviso_protocol::Area>) -> Harness {
        let (client, rx) = Client::detached();
        tokio::spawn(fake_loop(rx, store.clone(), client.clone()));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let settings = FeedSettings {
            follow: vec![key(1).public()],
            areas,
            languages: vec!["en".into()],
        };
        // The API shows the community as given; the id is the one the fixtures sign with.
        let community = Community {
            id: COMMUNITY,
            ..Community::new(
                &key(1),
                [0; aviso_protocol::community::SALT_LEN],
                "Mission",
                vec![key(1).public()],
                vec![],
            )
            .unwrap()
        };
        let state = ApiState::new(
            client.clone(),
            store.clone(),
            Arc::new(RwLock::new(settings)),
            TOKEN.into(),
            PeerId::random(),
            Some(community),
        );
        let (stop, stopped) = oneshot::channel();
        let server = tokio::spawn(serve(listener, state, async move {
            let _ = stopped.await;
        }));
        Harness {
            addr,
            client,
            store,
            stop: Some(stop),
            server,
        }
    }

    struct Reply {
        status: u16,
        head: String,
        json: serde_json::Value,
    }

    impl Harness {
        fn host(&self) -> String {
            format!("127.0.0.1:{}", self.addr.port())
        }

        /// A request with the right Host and token plus `extra` headers.
        async fn call(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
            let auth = format!("Bearer {TOKEN}");
            let headers = [("Host", self.host()), ("Authorization", auth)];
            self.raw(method, path, &headers, body).await
        }

        async fn raw(
            &self,
            method: &str,
            path: &str,
            headers: &[(&str, String)],
            body: Option<&str>,
        ) -> Reply {
            let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
            for (name, value) in headers {
                req.push_str(&format!("{name}: {value}\r\n"));
            }
            if let Some(body) = body {
                req.push_str("Content-Type: application/json\r\n");
                req.push_str(&format!("Content-Length: {}\r\n", body.len()));
            }
            req.push_str("\r\n");
            req.push_str(body.unwrap_or(""));
            let mut stream = TcpStream::connect(self.addr).await.unwrap();
            // The server may answer (413) and close before reading a large body: a failed
            // write or a reset after the response is fine; the response is what counts.
            let _ = stream.write_all(req.as_bytes()).await;
            let mut raw = Vec::new();
            let deadline = tokio::time::Instant::now() + DEADLINE;
            loop {
                let mut buf = [0u8; 8192];
                match tokio::time::timeout_at(deadline, stream.read(&mut buf))
                    .await
                    .expect("response in time")
                {
                    Ok(0) | Err(_) => break,
                    Ok(n) => raw.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8(raw).unwrap();
            let (head, body) = text.split_once("\r\n\r\n").unwrap();
            assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
            let status = head.split(' ').nth(1).unwrap().parse().unwrap();
            let json = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
            Reply {
                status,
                head: head.to_owned(),
                json,
            }
        }

        async fn publish(&self, env: &Envelope) -> Reply {
            let body = json!({ "envelope": hex::encode(env.bytes()) }).to_string();
            self.call("POST", "/v1/publish", Some(&body)).await
        }
    }

    fn assert_error(reply: &Reply, status: u16) {
        assert_eq!(reply.status, status, "{}", reply.json);
        assert!(reply.json["error"].is_string(), "{}", reply.json);
        assert!(reply.json["hint"].is_string(), "{}", reply.json);
    }

    #[tokio::test]
    async fn token_is_required() {
        let h = start().await;
        let host = ("Host", h.host());
        let r = h
            .raw("GET", "/v1/status", std::slice::from_ref(&host), None)
            .await;
        assert_error(&r, 401);
        assert!(
            r.head
                .to_ascii_lowercase()
                .contains("www-authenticate: bearer")
        );
        let wrong = ("Authorization", format!("Bearer {}", "0".repeat(64)));
        let r = h
            .raw("GET", "/v1/status", &[host.clone(), wrong], None)
            .await;
        assert_error(&r, 401);
        let short = ("Authorization", "Bearer 0123".to_string());
        let r = h
            .raw("GET", "/v1/status", &[host.clone(), short], None)
            .await;
        assert_error(&r, 401);
        let basic = ("Authorization", format!("Basic {TOKEN}"));
        let r = h
            .raw("GET", "/v1/status", &[host.clone(), basic], None)
            .await;
        assert_error(&r, 401);
        // Unknown routes are behind the token too.
        let r = h.raw("GET", "/nope", &[host], None).await;
        assert_error(&r, 401);
        let r = h.call("GET", "/nope", None).await;
        assert_error(&r, 404);
        let r = h.call("DELETE", "/v1/status", None).await;
        assert_error(&r, 405);
    }

    #[tokio::test]
    async fn host_and_origin_are_checked() {
        let h = start().await;
        let port = h.addr.port();
        let auth = ("Authorization", format!("Bearer {TOKEN}"));
        for host in [
            "evil.example:80",
            "127.0.0.1:1",
            "127.0.0.1",
            "evil.example",
        ] {
            let headers = [("Host", host.to_string()), auth.clone()];
            let r = h.raw("GET", "/v1/status", &headers, None).await;
            assert_error(&r, 421);
        }
        let r = h
            .raw("GET", "/v1/status", std::slice::from_ref(&auth), None)
            .await;
        assert!(r.status == 421 || r.status == 400, "{}", r.status);
        for host in [
            format!("localhost:{port}"),
            format!("LOCALHOST:{port}"),
            format!("[::1]:{port}"),
        ] {
            let headers = [("Host", host), auth.clone()];
            let r = h.raw("GET", "/v1/status", &headers, None).await;
            assert_eq!(r.status, 200, "{}", r.json);
        }
        for origin in ["http://evil.example", "null", "https://127.0.0.1"] {
            let headers = [("Host", h.host()), auth.clone(), ("Origin", origin.into())];
            let r = h.raw("POST", "/v1/publish", &headers, Some("{}")).await;
            assert_error(&r, 403);
        }
        let own = ("Origin", format!("http://127.0.0.1:{port}"));
        let r = h
            .raw("GET", "/v1/status", &[("Host", h.host()), auth, own], None)
            .await;
        assert_eq!(r.status, 200);
    }

    #[tokio::test]
    async fn status_and_peers() {
        let h = start().await;
        h.store.insert(&trust_list(crate::unix_now())).unwrap();
        let r = h.call("GET", "/v1/status", None).await;
        assert_eq!(r.status, 200, "{}", r.json);
        let j = &r.json;
        assert!(!j["peer_id"].as_str().unwrap().is_empty());
        assert_eq!(j["peers"], 1);
        assert_eq!(j["listen_addrs"][0], "/ip4/127.0.0.1/tcp/7446");
        assert_eq!(j["store"]["total"], 1);
        assert_eq!(j["store"]["by_kind"]["trust_list"], 1);
        assert_eq!(j["community"]["name"], "Mission");
        assert_eq!(j["community"]["id"], COMMUNITY.to_hex());
        assert_eq!(j["version"], env!("CARGO_PKG_VERSION"));
        assert!(j["uptime_secs"].is_u64());
        let r = h.call("GET", "/v1/peers", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json["peers"][0]["peer_id"], "other");
    }

    #[tokio::test]
    async fn network_down_is_503() {
        let (client, rx) = Client::detached();
        drop(rx);
        let store = Arc::new(MemStore::default());
        let state = ApiState::new(
            client,
            store,
            Arc::default(),
            TOKEN.into(),
            PeerId::random(),
            None,
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(serve(listener, state, std::future::pending()));
        let h = Harness {
            addr,
            client: Client::detached().0,
            store: Arc::new(MemStore::default()),
            stop: None,
            server: tokio::spawn(async { Ok(()) }),
        };
        assert_error(&h.call("GET", "/v1/status", None).await, 503);
        assert_error(&h.call("GET", "/v1/peers", None).await, 503);
    }

    #[tokio::test]
    async fn publish_feed_and_envelope() {
        let h = start().await;
        let now = crate::unix_now();
        let list = trust_list(now);
        let a = alert(now, "Raid on 24th St");
        let r = h.publish(&list).await;
        assert_eq!(r.status, 200, "{}", r.json);
        assert_eq!(r.json["outcome"], "accepted");
        let r = h.publish(&a).await;
        assert_eq!(r.status, 200, "{}", r.json);
        assert_eq!(r.json["id"], a.id().to_hex());
        let r = h.publish(&a).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json["outcome"], "duplicate");

        let r = h
            .call("POST", "/v1/publish", Some(r#"{"envelope":"0011"}"#))
            .await;
        assert_error(&r, 422);
        assert_eq!(r.json["outcome"], "rejected");
        assert!(r.json["reason"].is_string());
        let r = h
            .call("POST", "/v1/publish", Some(r#"{"envelope":"zz"}"#))
            .await;
        assert_error(&r, 400);
        let r = h.call("POST", "/v1/publish", Some(r#"{"env":"00"}"#)).await;
        assert_error(&r, 422);
        let r = h.call("POST", "/v1/publish", Some("not json")).await;
        assert_error(&r, 400);
        let huge = format!(r#"{{"envelope":"{}"}}"#, "0".repeat(MAX_BODY_BYTES));
        let r = h.call("POST", "/v1/publish", Some(&huge)).await;
        assert_error(&r, 413);

        let r = h.call("GET", "/v1/feed", None).await;
        assert_eq!(r.status, 200, "{}", r.json);
        let alerts = r.json["alerts"].as_array().unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0]["id"], a.id().to_hex());
        assert_eq!(alerts[0]["shown"], true);
        let r = h.call("GET", "/v1/feed?all=true", None).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.json["alerts"].as_array().unwrap().len(), 1);
        assert_error(&h.call("GET", "/v1/feed?all=maybe", None).await, 400);

        let r = h
            .call("GET", &format!("/v1/envelopes/{}", a.id()), None)
            .await;
        assert_eq!(r.status, 200, "{}", r.json);
        assert_eq!(r.json["bytes"], hex::encode(a.bytes()));
        assert_eq!(r.json["kind"], "alert");
        assert_eq!(r.json["body"]["type"], "alert");
        assert_eq!(r.json["author"], key(2).public().to_hex());
        let missing = format!("/v1/envelopes/{}", Id([1; 32]));
        assert_error(&h.call("GET", &missing, None).await, 404);
        let short = &a.id().to_hex()[..8].to_ascii_uppercase();
        let r = h
            .call("GET", &format!("/v1/ids?prefix={short}"), None)
            .await;
        assert_eq!(r.status, 200, "{}", r.json);
        assert_eq!(r.json["ids"], json!([a.id().to_hex()]));
        assert_error(&h.call("GET", "/v1/ids?prefix=abc", None).await, 400);
        assert_error(&h.call("GET", "/v1/ids?prefix=zzzzzzzz", None).await, 400);
        assert_error(&h.call("GET", "/v1/envelopes/xyz", None).await, 400);
    }

    /// Read an event stream until `want` appears in it.
    async fn read_until(stream: &mut TcpStream, seen: &mut String, want: &str) {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        while !seen.contains(want) {
            let mut buf = [0u8; 4096];
            let n = tokio::time::timeout_at(deadline, stream.read(&mut buf))
                .await
                .unwrap_or_else(|_| panic!("no {want:?} in time; got {seen}"))
                .unwrap();
            assert!(n > 0, "stream closed before {want:?}; got {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }

    #[tokio::test]
    async fn events_stream_newly_shown_items_and_peers() {
        let mut h = start().await;
        let now = crate::unix_now();
        let old = alert(now, "Checkpoint on Mission St");
        h.store.insert(&trust_list(now)).unwrap();
        h.store.insert(&old).unwrap();

        let mut stream = TcpStream::connect(h.addr).await.unwrap();
        let req = format!(
            "GET /v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n",
            h.host()
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut seen = String::new();
        read_until(&mut stream, &mut seen, "event: ready").await;
        assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
        assert!(seen.contains("text/event-stream"), "{seen}");
        read_until(&mut stream, &mut seen, r#"{"shown":1}"#).await;

        let new = alert(now, "Raid on 24th St");
        assert_eq!(h.publish(&new).await.status, 200);
        read_until(&mut stream, &mut seen, &new.id().to_hex()).await;
        assert!(seen.contains("event: item"), "{seen}");
        assert!(seen.contains(r#""type":"alert""#), "{seen}");
        assert!(seen.contains("Raid on 24th St"), "{seen}");
        // What was shown at connect time is not sent again.
        assert!(!seen.contains(&old.id().to_hex()), "{seen}");

        let peer = PeerId::random();
        h.client.events.send(Event::PeerConnected { peer }).unwrap();
        read_until(&mut stream, &mut seen, &peer.to_string()).await;
        assert!(seen.contains("event: peer"), "{seen}");
        assert!(seen.contains("peer_connected"), "{seen}");

        // Withdrawn by its author: watchers are told it is no longer shown, and why.
        let retraction = Envelope::sign(
            &key(2),
            COMMUNITY,
            &Body::Retraction(aviso_protocol::Retraction {
                target: new.id(),
                reason: aviso_protocol::RetractReason::Mistaken,
            }),
            now,
            now + 3600,
        )
        .unwrap();
        assert_eq!(h.publish(&retraction).await.status, 200);
        read_until(&mut stream, &mut seen, "event: withdrawn").await;
        read_until(&mut stream, &mut seen, r#""reason":"retracted""#).await;

        // Shutdown ends the stream, so the server can finish.
        let _ = h.stop.take().unwrap().send(());
        tokio::time::timeout(DEADLINE, &mut h.server)
            .await
            .expect("server stops with an open event stream")
            .unwrap()
            .unwrap();
    }

    /// A root list naming key(2) organizer and keys `members` members.
    fn trust_list_with_members(now: u64, members: std::ops::Range<u8>) -> Envelope {
        let entry = |n: u8, role| TrustEntry {
            key: key(n).public(),
            role,
            label: format!("key {n}"),
            areas: vec![],
            categories: vec![],
            expires_at: None,
        };
        let mut entries = vec![entry(2, Role::Organizer)];
        entries.extend(members.map(|n| entry(n, Role::Member)));
        let list = TrustList {
            name: "Mission rapid response".into(),
            version: 1,
            entries,
            revoked: vec![],
            thresholds: vec![],
            delegates: vec![],
        };
        Envelope::sign(
            &key(1),
            COMMUNITY,
            &Body::TrustList(list),
            now - 60,
            now + 86_400,
        )
        .unwrap()
    }

    fn report(by: u8, n: usize, cell: &str, created: u64, expires: u64) -> Envelope {
        let body = Body::Report(aviso_protocol::Report {
            category: Category::Patrol,
            areas: vec![aviso_protocol::Area::parse(cell).unwrap()],
            seen_at: created,
            note: Some(aviso_protocol::ReportText {
                lang: "en".into(),
                text: format!("sighting {n}"),
            }),
        });
        Envelope::sign(&key(by), COMMUNITY, &body, created, expires).unwrap()
    }

    fn retract(by: u8, target: Id, now: u64) -> Envelope {
        let body = Body::Retraction(aviso_protocol::Retraction {
            target,
            reason: aviso_protocol::RetractReason::False,
        });
        Envelope::sign(&key(by), COMMUNITY, &body, now - 5, now + 86_400).unwrap()
    }

    /// Every page of `/v1/feed` with `query`, following `next`.
    async fn all_pages(h: &Harness, query: &str) -> Vec<(FeedReply, usize)> {
        let mut pages = Vec::new();
        let mut before = String::new();
        for _ in 0..1_000 {
            let r = h
                .call("GET", &format!("/v1/feed?{query}{before}"), None)
                .await;
            assert_eq!(r.status, 200, "{}", r.json);
            let size = r.json.to_string().len();
            let reply: FeedReply = serde_json::from_value(r.json).unwrap();
            let next = reply.next.clone();
            pages.push((reply, size));
            match next {
                Some(c) => before = format!("&before={c}"),
                None => return pages,
            }
        }
        panic!("more than 1,000 pages");
    }

    /// With many reports stored (real sled on disk), a feed reply holds one bounded page
    /// of reports; following `next` covers every report exactly once, and each report,
    /// and every alert, has the verdict the whole store gives.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn feed_pages_are_bounded_and_cover_every_report_once() {
        let dir = tempfile::tempdir().unwrap();
        let sled = crate::SledStore::open(&dir.path().join("store")).unwrap();
        let store: Arc<dyn Store> = Arc::new(sled);
        let now = crate::unix_now();
        let (day, hour) = (86_400, 3_600);
        store.insert(&trust_list_with_members(now, 10..18)).unwrap();
        let mut reports = Vec::new();
        for i in 0..1_050usize {
            let by = if i % 11 == 0 { 99 } else { 10 + (i % 8) as u8 }; // 99: unknown
            let cell = if i % 5 == 0 { "9q9pp" } else { "9q8yy" }; // 9q9pp: elsewhere
            // Three at a time share a second: the id breaks the tie.
            let created = now - 10 * (i / 3) as u64 - 60;
            let (created, expires) = if i % 7 == 0 {
                (created - 3 * day, now - day)
            } else {
                (created, now + day)
            };
            reports.push(report(by, i, cell, created, expires));
        }
        let mut others = Vec::new();
        for (i, r) in reports.iter().enumerate() {
            if i % 13 == 0 {
                others.push(retract(r.author().0[0], r.id(), now)); // by its author
            } else if i % 17 == 0 {
                others.push(retract(2, r.id(), now)); // dismissed by the organizer
            } else if i % 23 == 0 {
                others.push(retract(12, r.id(), now)); // by someone without authority
            }
        }
        let confirmed: Vec<Id> = reports.iter().step_by(19).map(|r| r.id()).collect();
        for (n, ids) in confirmed.chunks(30).enumerate() {
            let mut a = alert(now, &format!("confirmed {n}"));
            let Body::Alert(mut body) = a.body().clone() else {
                unreachable!()
            };
            body.confirms = ids.to_vec();
            a = Envelope::sign(
                &key(2),
                COMMUNITY,
                &Body::Alert(body),
                now - hour,
                now + day,
            )
            .unwrap();
            others.push(a);
        }
        for e in reports.iter().chain(&others) {
            assert!(store.insert(e).unwrap());
        }
        store.flush().unwrap();
        let here = vec![aviso_protocol::Area::parse("9q8yy").unwrap()];
        let settings = FeedSettings {
            follow: vec![key(1).public()],
            areas: here.clone(),
            languages: vec!["en".into()],
        };
        // The reference: the display rule over the whole store, as before pages.
        let whole = aviso_protocol::compute_feed(&store.all().unwrap(), &settings, now);
        let h = start_on(store.clone(), here).await;

        let check = |pages: &[(FeedReply, usize)], per_page: usize, mut want: Vec<Id>| {
            let mut got = Vec::new();
            for (page, size) in pages {
                assert!(page.feed.reports.len() <= per_page);
                // Bounded: a page of small reports and a few alerts, not the store.
                assert!(*size < (per_page + 50) * 2_000, "{size} bytes");
                assert_eq!(page.feed.alerts.len(), whole.alerts.len());
                for r in &page.feed.reports {
                    let reference = whole.reports.iter().find(|w| w.id == r.id).unwrap();
                    assert_eq!(r, reference, "same verdict as over the whole store");
                    got.push(r.id);
                }
            }
            let unique: HashSet<Id> = got.iter().copied().collect();
            assert_eq!(unique.len(), got.len(), "no report twice");
            got.sort();
            want.sort();
            assert_eq!(got, want, "every report once");
        };

        // Everything, hidden too, 100 at a time.
        let pages = all_pages(&h, "all=true&reports=100").await;
        assert_eq!(pages.len(), 11);
        check(&pages, 100, reports.iter().map(|r| r.id()).collect());
        for (page, _) in &pages {
            assert_eq!(page.feed.alerts, whole.alerts);
        }
        // What is shown, 37 at a time: exactly the shown reports, newest first.
        let pages = all_pages(&h, "reports=37").await;
        let shown: Vec<Id> = whole
            .reports
            .iter()
            .filter(|r| r.shown)
            .map(|r| r.id)
            .collect();
        assert!(shown.len() > 300, "{}", shown.len());
        let confirmed_shown = whole.reports.iter().filter(|r| {
            r.shown && matches!(r.state, aviso_protocol::feed::ReportState::Confirmed { .. })
        });
        assert!(confirmed_shown.count() > 10);
        check(&pages, 37, shown);
        let order: Vec<(u64, Id)> = pages
            .iter()
            .flat_map(|(p, _)| p.feed.reports.iter().map(|r| (r.created_at, r.id)))
            .collect();
        assert!(order.windows(2).all(|w| w[0] > w[1]), "newest first");

        // The default page is bounded; `reports=0` gives alerts and resources only.
        // (Up to the page size: reports hidden for reasons that need the rest of the store,
        // such as a retraction or an unknown author, are judged after the page is read.)
        let r = h.call("GET", "/v1/feed", None).await;
        let n = r.json["reports"].as_array().unwrap().len();
        assert!(
            n > DEFAULT_PAGE_REPORTS / 2 && n <= DEFAULT_PAGE_REPORTS,
            "{n}"
        );
        assert!(r.json["next"].is_string());
        let r = h.call("GET", "/v1/feed?reports=0", None).await;
        assert_eq!(r.json["reports"].as_array().unwrap().len(), 0);
        assert!(r.json["next"].is_null());
        assert_eq!(
            r.json["alerts"].as_array().unwrap().len(),
            whole.alerts.len()
        );
        let too_many = format!("/v1/feed?reports={}", MAX_PAGE_REPORTS + 1);
        assert_error(&h.call("GET", &too_many, None).await, 400);
        assert_error(&h.call("GET", "/v1/feed?before=xyz", None).await, 400);
        assert_error(&h.call("GET", "/v1/feed?reports=-1", None).await, 400);
    }

    /// An event stream follows the newest shown reports: one pushed out of that window by
    /// newer ones leaves it quietly and is no longer followed (its memory stays bounded);
    /// one withdrawn inside it is announced; an older one that enters the window because
    /// newer ones expired is not news; a newly arrived old one is.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn events_follow_a_window_of_reports() {
        let dir = tempfile::tempdir().unwrap();
        let sled = crate::SledStore::open(&dir.path().join("store")).unwrap();
        let store: Arc<dyn Store> = Arc::new(sled);
        let now = crate::unix_now();
        store.insert(&trust_list_with_members(now, 10..11)).unwrap();
        // Newest first: reports[0] is the newest; the two newest expire in 2 s.
        let soon = now + 2;
        let reports: Vec<Envelope> = (0..WATCH_REPORTS + 1)
            .map(|i| {
                let expires = if i < 2 { soon } else { now + 86_400 };
                report(10, i, "9q8yy", now - 100 - i as u64, expires)
            })
            .collect();
        for r in &reports {
            store.insert(r).unwrap();
        }
        let h = start_on(store, vec![]).await;
        let mut stream = TcpStream::connect(h.addr).await.unwrap();
        let req = format!(
            "GET /v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n",
            h.host()
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut seen = String::new();
        let shown = format!(r#"{{"shown":{WATCH_REPORTS}}}"#);
        read_until(&mut stream, &mut seen, &shown).await;

        // A new report: announced; the oldest in the window leaves it quietly.
        let left = &reports[WATCH_REPORTS - 1];
        let fresh = report(10, 9_000, "9q8yy", now - 10, now + 86_400);
        assert_eq!(h.publish(&fresh).await.status, 200);
        read_until(&mut stream, &mut seen, &fresh.id().to_hex()).await;
        // A report older than all, caught up late: announced all the same.
        let late = report(10, 9_001, "9q8yy", now - 100_000, now + 86_400);
        assert_eq!(h.publish(&late).await.status, 200);
        read_until(&mut stream, &mut seen, &late.id().to_hex()).await;
        // Retracted: inside the window, withdrawn; the one that left is not followed.
        assert_eq!(h.publish(&retract(10, left.id(), now)).await.status, 200);
        let inside = &reports[3];
        assert_eq!(h.publish(&retract(10, inside.id(), now)).await.status, 200);
        read_until(&mut stream, &mut seen, &inside.id().to_hex()).await;
        let at = seen.find(&inside.id().to_hex()).unwrap();
        assert!(seen[..at].ends_with("event: withdrawn\nid: "), "{seen}");

        // The two newest expire: withdrawn at the next recomputation (an alert triggers
        // it), and the window reaches back to reports[WATCH_REPORTS], never shown: not news.
        wait_until_clock_passes(soon).await;
        let trigger = alert(crate::unix_now(), "Checkpoint on Mission St");
        assert_eq!(h.publish(&trigger).await.status, 200);
        read_until(&mut stream, &mut seen, &trigger.id().to_hex()).await;
        for r in &reports[..2] {
            read_until(&mut stream, &mut seen, &r.id().to_hex()).await;
        }
        let below = &reports[WATCH_REPORTS];
        assert!(!seen.contains(&left.id().to_hex()), "{seen}");
        assert!(!seen.contains(&below.id().to_hex()), "{seen}");
        assert_eq!(seen.matches("event: item").count(), 3, "{seen}");
        assert_eq!(seen.matches("event: withdrawn").count(), 3, "{seen}");

        let mut h = h;
        let _ = h.stop.take().unwrap().send(());
        tokio::time::timeout(DEADLINE, &mut h.server)
            .await
            .expect("server stops")
            .unwrap()
            .unwrap();
    }

    /// Wait (at most a few seconds) until the clock has passed `t`: for a test whose
    /// envelopes must expire.
    async fn wait_until_clock_passes(t: u64) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while crate::unix_now() <= t {
            assert!(tokio::time::Instant::now() < deadline, "the clock stopped");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(constant_time_eq(b"", b""));
    }
}
