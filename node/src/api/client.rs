//! The typed client of the local API: one async method per [`Route`], returning the
//! [`wire`](super::wire) types as the node sent them (callers that print other people's
//! text on a terminal clean it themselves, as the CLI does).

use std::net::SocketAddr;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use aviso_protocol::{Id, PublicKey};
use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::wire::{
    AgentReply, ApiError, ApiEvent, EnvelopeReply, ExportReply, FeedQuery, FeedReply, FeedSettings,
    IdsQuery, IdsReply, PeersReply, PublishReply, PublishRequest, Route, SignReply, SignRequest,
    StatusReply, SyncReply, TrustReply, UnlockRequest, WebSigninReply,
};
use super::wire::{DevicesReply, ResponsesQuery, ResponsesReply, RevokeReply, WebPairReply};
use crate::home::{HomeError, HomePaths};

/// How long to wait for a TCP connection to the node: it is on this machine, so a
/// refusal is immediate and a long wait means something is wrong.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long a read request may take (a large feed page on a slow disk).
const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a publish or sync may take: the pipeline flushes to disk before answering.
const WRITE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long an event stream may stay silent before it counts as lost: the node sends a
/// keep-alive every 15 s.
pub const EVENT_SILENCE: Duration = Duration::from_secs(45);
/// Largest server-sent event (or line) accepted: an item carries at most one 64 KiB
/// envelope's body as JSON, well under this. Bounds what the parser buffers.
pub const MAX_EVENT_BYTES: usize = 4 * 1024 * 1024;
/// Most bytes of a non-JSON error body quoted in an error.
const MAX_QUOTED: usize = 200;

/// Why a call to the node failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No node answers on this home: no `api.addr`, or nothing listening at it. Not an
    /// error for commands that can work without a node (they save for later).
    #[error("{0}")]
    NotRunning(String),
    /// The home's `api.addr` or `api.token` is unreadable or damaged.
    #[error(transparent)]
    Home(HomeError),
    /// The request did not complete (timeout, connection reset, ...).
    #[error("request to the node failed: {0}")]
    Http(#[source] reqwest::Error),
    /// The node answered with an error.
    #[error("{}", api_message(.error, .hint, *.status))]
    Api {
        /// The HTTP status.
        status: u16,
        /// What went wrong.
        error: String,
        /// What to do (may be empty when the body was not an [`ApiError`]).
        hint: String,
    },
    /// The node's answer is not what the API says.
    #[error("unexpected answer from the node: {0}")]
    Decode(String),
    /// The event stream broke, or the node stopped sending.
    #[error("{0}")]
    Stream(String),
}

fn api_message(error: &str, hint: &str, status: u16) -> String {
    if hint.is_empty() {
        format!("{error} (HTTP {status})")
    } else {
        format!("{error} ({hint})")
    }
}

impl ClientError {
    /// Whether no node is running on the home (see [`ClientError::NotRunning`]).
    pub fn is_not_running(&self) -> bool {
        matches!(self, ClientError::NotRunning(_))
    }

    /// The HTTP status of an [`ClientError::Api`] error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// The live events of `GET /v1/events`. Ends when the node closes the stream; yields an
/// error (then ends) when it breaks, stays silent for [`EVENT_SILENCE`] or sends an event
/// larger than [`MAX_EVENT_BYTES`].
pub type EventStream = Pin<Box<dyn Stream<Item = Result<ApiEvent, ClientError>> + Send>>;

/// Talks to the node running on a home. Cheap to clone (clones share the connection pool).
#[derive(Debug, Clone)]
pub struct ApiClient {
    base: String,
    token: String,
    http: reqwest::Client,
    /// The routes called so far, one bit per [`Route::ALL`] index: lets the API's test
    /// show it called every route.
    used: Arc<AtomicU32>,
}

impl ApiClient {
    /// Find the node running on `home` (its `api.addr` and `api.token`).
    /// [`ClientError::NotRunning`] when the home has no running node.
    pub fn connect(home: &Path) -> Result<ApiClient, ClientError> {
        let paths = HomePaths::new(home);
        let addr = paths.read_api_addr().map_err(|e| match e {
            HomeError::NotRunning { .. } => ClientError::NotRunning(e.to_string()),
            e => ClientError::Home(e),
        })?;
        // The node writes its token before its address and deletes it when it stops, and
        // the token lives in memory-backed storage that a reboot clears: no token, no node.
        let token = paths.read_api_token().map_err(|e| match e {
            HomeError::NoToken { .. } => ClientError::NotRunning(e.to_string()),
            e => ClientError::Home(e),
        })?;
        ApiClient::new(addr, token)
    }

    /// A client of the API at `addr` with `token`.
    pub fn new(addr: SocketAddr, token: String) -> Result<ApiClient, ClientError> {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(ClientError::Http)?;
        Ok(ApiClient {
            base: format!("http://{addr}"),
            token,
            http,
            used: Arc::default(),
        })
    }

    /// `http://ADDR`, where the node answers.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The routes this client (and its clones) called so far, in [`Route::ALL`] order.
    pub fn routes_used(&self) -> Vec<Route> {
        let used = self.used.load(Ordering::Relaxed);
        Route::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| used & (1 << i) != 0)
            .map(|(_, r)| *r)
            .collect()
    }

    /// `GET /v1/status`.
    pub async fn status(&self) -> Result<StatusReply, ClientError> {
        self.get(Route::Status, &[]).await
    }

    /// `GET /v1/peers`.
    pub async fn peers(&self) -> Result<PeersReply, ClientError> {
        self.get(Route::Peers, &[]).await
    }

    /// `GET /v1/feed`: one page of what the member sees (`query.all`: hidden items too).
    pub async fn feed(&self, query: &FeedQuery) -> Result<FeedReply, ClientError> {
        let req = self.request(Route::Feed, None).query(query);
        self.decode(req.timeout(READ_TIMEOUT)).await
    }

    /// `POST /v1/publish`: signed envelope bytes through the node's pipeline. The reply
    /// carries the outcome whether or not the envelope was stored (422 is a reply here,
    /// not an error); other failures (bad request, node stopping) are errors.
    pub async fn publish(&self, envelope: &[u8]) -> Result<PublishReply, ClientError> {
        let body = PublishRequest {
            envelope: hex::encode(envelope),
        };
        let req = self.request(Route::Publish, None).json(&body);
        let resp = self.send(req.timeout(WRITE_TIMEOUT)).await?;
        if resp.status() == reqwest::StatusCode::UNPROCESSABLE_ENTITY {
            let text = resp.text().await.map_err(ClientError::Http)?;
            // A 422 without an outcome (a JSON body of the wrong shape) is an API error.
            return match serde_json::from_str::<PublishReply>(&text) {
                Ok(reply) => Ok(reply),
                Err(_) => Err(api_error(422, &text)),
            };
        }
        read(resp).await
    }

    /// `GET /v1/envelopes/{id}`: one stored envelope (`Api` error with status 404 when it
    /// is not stored).
    pub async fn envelope(&self, id: &Id) -> Result<EnvelopeReply, ClientError> {
        let req = self.request(Route::Envelope, Some(&id.to_hex()));
        self.decode(req.timeout(READ_TIMEOUT)).await
    }

    /// `GET /v1/responses/{id}`: the answers to the live alert `alert` (any version).
    pub async fn responses(&self, alert: &Id) -> Result<ResponsesReply, ClientError> {
        let req = self.request(Route::Responses, Some(&alert.to_hex()));
        self.decode(req.timeout(READ_TIMEOUT)).await
    }

    /// `GET /v1/responses/{id}?author=`: the same, and when `author`'s next answer should
    /// be made so that it replaces the last one (`next_answer_at`).
    pub async fn responses_for(
        &self,
        alert: &Id,
        author: &PublicKey,
    ) -> Result<ResponsesReply, ClientError> {
        let query = ResponsesQuery {
            author: Some(author.to_hex()),
        };
        let req = self
            .request(Route::Responses, Some(&alert.to_hex()))
            .query(&query);
        self.decode(req.timeout(READ_TIMEOUT)).await
    }

    /// `GET /v1/ids`: stored ids starting with `prefix` (6 to 64 hex characters).
    pub async fn ids(&self, prefix: &str) -> Result<IdsReply, ClientError> {
        let query = IdsQuery {
            prefix: prefix.to_owned(),
        };
        let req = self.request(Route::Ids, None).query(&query);
        self.decode(req.timeout(READ_TIMEOUT)).await
    }

    /// `GET /v1/settings`.
    pub async fn settings(&self) -> Result<FeedSettings, ClientError> {
        self.get(Route::GetSettings, &[]).await
    }

    /// `PUT /v1/settings`: replace the settings; returns those now in force.
    pub async fn put_settings(&self, settings: &FeedSettings) -> Result<FeedSettings, ClientError> {
        self.write(Route::PutSettings, settings).await
    }

    /// `GET /v1/trust`.
    pub async fn trust(&self) -> Result<TrustReply, ClientError> {
        self.get(Route::Trust, &[]).await
    }

    /// `POST /v1/sync`: start catch-up with every connected peer now.
    pub async fn sync(&self) -> Result<SyncReply, ClientError> {
        self.write(Route::Sync, &serde_json::json!({})).await
    }

    /// `GET /v1/export`: every stored envelope.
    pub async fn export(&self) -> Result<ExportReply, ClientError> {
        self.get(Route::Export, &[]).await
    }

    /// `POST /v1/web/signin`: a one-time link that signs a browser in to the web app.
    pub async fn web_signin(&self) -> Result<WebSigninReply, ClientError> {
        self.write(Route::WebSignin, &serde_json::json!({})).await
    }

    /// `POST /v1/web/pair`: a one-time pairing code for a phone on the LAN.
    pub async fn web_pair(&self) -> Result<WebPairReply, ClientError> {
        self.write(Route::WebPair, &serde_json::json!({})).await
    }

    /// `GET /v1/web/devices`: the paired devices.
    pub async fn web_devices(&self) -> Result<DevicesReply, ClientError> {
        self.get(Route::WebDevices, &[]).await
    }

    /// `POST /v1/web/devices/{id}/revoke`: unpair a device now.
    pub async fn web_revoke(&self, id: &str) -> Result<RevokeReply, ClientError> {
        let req = self
            .request(Route::WebRevoke, Some(id))
            .json(&serde_json::json!({}));
        self.decode(req.timeout(WRITE_TIMEOUT)).await
    }

    /// `GET /v1/agent`: whether a signing key is unlocked in the node.
    pub async fn agent(&self) -> Result<AgentReply, ClientError> {
        self.get(Route::Agent, &[]).await
    }

    /// `POST /v1/agent/unlock`: unlock the member's key into the node's agent.
    pub async fn unlock(&self, passphrase: &str) -> Result<AgentReply, ClientError> {
        let req = UnlockRequest {
            passphrase: passphrase.to_owned(),
        };
        // Argon2id takes about half a second; on a small machine several.
        let req = self.request(Route::AgentUnlock, None).json(&req);
        self.decode(req.timeout(WRITE_TIMEOUT)).await
    }

    /// `POST /v1/agent/lock`: lock the agent now.
    pub async fn lock(&self) -> Result<AgentReply, ClientError> {
        self.write(Route::AgentLock, &serde_json::json!({})).await
    }

    /// `POST /v1/panic`: destroy the node's keys and data, then stop it.
    pub async fn panic(&self) -> Result<super::wire::PanicReply, ClientError> {
        self.write(Route::Panic, &serde_json::json!({})).await
    }

    /// `POST /v1/agent/sign`: sign `body` with the unlocked key; the envelope's bytes.
    pub async fn sign(
        &self,
        body: &aviso_protocol::Body,
        created_at: u64,
        expires_at: u64,
    ) -> Result<Vec<u8>, ClientError> {
        let req = SignRequest {
            kind: body.kind(),
            body: hex::encode(body.encode()),
            created_at,
            expires_at,
        };
        let reply: SignReply = self.write(Route::AgentSign, &req).await?;
        hex::decode(&reply.envelope)
            .map_err(|e| ClientError::Decode(format!("envelope is not hex: {e}")))
    }

    /// `GET /v1/openapi.json`: the API's OpenAPI 3.1 document.
    pub async fn openapi(&self) -> Result<serde_json::Value, ClientError> {
        self.get(Route::OpenApi, &[]).await
    }

    /// `GET /v1/events`: the live event stream, starting with [`ApiEvent::Ready`]. Events
    /// of names this client does not know (from a newer node) are skipped.
    pub async fn events(&self) -> Result<EventStream, ClientError> {
        let resp = self.send(self.request(Route::Events, None)).await?;
        if !resp.status().is_success() {
            return Err(read::<serde_json::Value>(resp)
                .await
                .err()
                .unwrap_or_else(|| ClientError::Stream("event stream refused".into())));
        }
        let bytes = bounded(resp.bytes_stream());
        let events = bytes.eventsource().filter_map(|r| async move {
            match r {
                Ok(ev) => parse_event(&ev.event, &ev.data).transpose(),
                Err(eventsource_stream::EventStreamError::Transport(e)) => Some(Err(e)),
                Err(e) => Some(Err(ClientError::Stream(format!(
                    "the event stream broke: {e}"
                )))),
            }
        });
        // The first error ends the stream.
        let mut failed = false;
        let events = events.take_while(move |r| {
            let go = !failed;
            failed |= r.is_err();
            futures::future::ready(go)
        });
        Ok(Box::pin(events))
    }

    /// A request for `route` (with `param` in place of its `{id}`), with the token.
    fn request(&self, route: Route, param: Option<&str>) -> reqwest::RequestBuilder {
        if let Some(i) = Route::ALL.iter().position(|r| *r == route) {
            self.used.fetch_or(1 << i, Ordering::Relaxed);
        }
        let path = match param {
            Some(p) => route.path().replace("{id}", p),
            None => route.path().to_owned(),
        };
        let url = format!("{}{path}", self.base);
        let method = match route.method() {
            "POST" => reqwest::Method::POST,
            "PUT" => reqwest::Method::PUT,
            _ => reqwest::Method::GET,
        };
        self.http.request(method, url).bearer_auth(&self.token)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        route: Route,
        query: &[(&str, &str)],
    ) -> Result<T, ClientError> {
        let req = self.request(route, None).query(query);
        self.decode(req.timeout(READ_TIMEOUT)).await
    }

    async fn write<T: DeserializeOwned>(
        &self,
        route: Route,
        body: &impl Serialize,
    ) -> Result<T, ClientError> {
        let req = self.request(route, None).json(body);
        self.decode(req.timeout(WRITE_TIMEOUT)).await
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, ClientError> {
        req.send().await.map_err(|e| {
            if e.is_connect() {
                ClientError::NotRunning(format!(
                    "the node at {} is not answering: is `aviso node` running on this home? ({e})",
                    self.base
                ))
            } else {
                ClientError::Http(e)
            }
        })
    }

    async fn decode<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, ClientError> {
        read(self.send(req).await?).await
    }
}

/// The body of `resp`: `T` on success, the [`ClientError::Api`] error otherwise.
async fn read<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, ClientError> {
    let status = resp.status();
    let text = resp.text().await.map_err(ClientError::Http)?;
    if !status.is_success() {
        return Err(api_error(status.as_u16(), &text));
    }
    serde_json::from_str(&text).map_err(|e| ClientError::Decode(e.to_string()))
}

/// The error an error reply carries: its [`ApiError`] body, or the start of its text.
fn api_error(status: u16, text: &str) -> ClientError {
    match serde_json::from_str::<ApiError>(text) {
        Ok(ApiError { error, hint }) => ClientError::Api {
            status,
            error,
            hint,
        },
        Err(_) => {
            let mut end = text.len().min(MAX_QUOTED);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            ClientError::Api {
                status,
                error: text[..end].to_owned(),
                hint: String::new(),
            }
        }
    }
}

/// One server-sent event as an [`ApiEvent`]; `None` for names this client does not know.
fn parse_event(name: &str, data: &str) -> Result<Option<ApiEvent>, ClientError> {
    fn json<T: DeserializeOwned>(name: &str, data: &str) -> Result<T, ClientError> {
        serde_json::from_str(data)
            .map_err(|e| ClientError::Decode(format!("a `{name}` event: {e}")))
    }
    Ok(Some(match name {
        "ready" => ApiEvent::Ready(json(name, data)?),
        "item" => ApiEvent::Item(json(name, data)?),
        "withdrawn" => ApiEvent::Withdrawn(json(name, data)?),
        "peer" => ApiEvent::Peer(json(name, data)?),
        "lagged" => ApiEvent::Lagged(data.to_owned()),
        _ => return Ok(None),
    }))
}

/// Where a byte stream is in the server-sent event syntax, to bound it.
#[derive(Debug, Default)]
struct Sizes {
    /// Bytes since the last line end.
    line: usize,
    /// Bytes since the last blank line (the end of an event).
    event: usize,
    /// The last byte was `\r` (a `\n` right after it ends the same line).
    after_cr: bool,
}

impl Sizes {
    /// Account for `chunk`; `false` when an event grows past [`MAX_EVENT_BYTES`].
    fn take(&mut self, chunk: &[u8]) -> bool {
        for &b in chunk {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    if self.line == 0 {
                        self.event = 0;
                    }
                    self.line = 0;
                    self.after_cr = b == b'\r';
                }
                _ => {
                    self.after_cr = false;
                    self.line += 1;
                    self.event += 1;
                }
            }
        }
        self.event <= MAX_EVENT_BYTES
    }
}

/// `bytes` with its events bounded to [`MAX_EVENT_BYTES`] (so the parser's buffer is
/// too) and its silences to [`EVENT_SILENCE`]; ends after the first error.
fn bounded<B: AsRef<[u8]> + Send + 'static>(
    bytes: impl Stream<Item = Result<B, reqwest::Error>> + Send + 'static,
) -> impl Stream<Item = Result<B, ClientError>> + Send + 'static {
    let state = (Box::pin(bytes), Sizes::default(), false);
    futures::stream::unfold(state, |(mut bytes, mut sizes, done)| async move {
        if done {
            return None;
        }
        let item = match tokio::time::timeout(EVENT_SILENCE, bytes.next()).await {
            Err(_) => Err(ClientError::Stream("the node stopped sending".into())),
            Ok(None) => return None,
            Ok(Some(Err(e))) => Err(ClientError::Stream(format!("the event stream broke: {e}"))),
            Ok(Some(Ok(chunk))) if !sizes.take(chunk.as_ref()) => Err(ClientError::Stream(
                format!("the node sent an event larger than {MAX_EVENT_BYTES} bytes"),
            )),
            Ok(Some(Ok(chunk))) => Ok(chunk),
        };
        let failed = item.is_err();
        Some((item, (bytes, sizes, failed)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_sizes_are_bounded() {
        let mut s = Sizes::default();
        assert!(s.take(b"event: item\ndata: {}\n\n"));
        assert_eq!(s.event, 0);
        assert!(s.take(b"event: item\r\ndata: x\r\n\r\n"));
        assert_eq!(s.event, 0);
        // Many lines without a blank one: one event, however it is split.
        let line = vec![b'x'; 1024];
        let mut ok = true;
        for _ in 0..(MAX_EVENT_BYTES / 1024 + 1) {
            ok &= s.take(&line);
            ok &= s.take(b"\n");
        }
        assert!(!ok);
    }

    #[test]
    fn events_parse_and_unknown_names_are_skipped() {
        let ev = parse_event("ready", r#"{"shown":3}"#).unwrap();
        assert_eq!(
            ev,
            Some(ApiEvent::Ready(super::super::wire::ReadyEvent { shown: 3 }))
        );
        assert_eq!(parse_event("future", "{}").unwrap(), None);
        assert!(matches!(
            parse_event("lagged", "text").unwrap(),
            Some(ApiEvent::Lagged(_))
        ));
        assert!(parse_event("item", "{").is_err());
    }

    #[test]
    fn error_bodies_become_api_errors() {
        let e = api_error(400, r#"{"error":"bad","hint":"do this"}"#);
        assert_eq!(e.to_string(), "bad (do this)");
        assert_eq!(e.status(), Some(400));
        let e = api_error(502, "é".repeat(300).as_str());
        assert!(e.to_string().ends_with("(HTTP 502)"));
    }
}
