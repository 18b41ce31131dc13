//! The API's contract: every request, reply and event type, defined once, for the server
//! (which serializes them) and for [`super::ApiClient`] and other Rust clients (which
//! deserialize them). Each derives `Serialize`, `Deserialize` and `utoipa::ToSchema`, so
//! the OpenAPI document at `GET /v1/openapi.json` describes exactly what is sent.
//!
//! Types that belong to other modules and travel as they are ([`PeerInfo`], [`SyncStats`],
//! [`Outcome`], [`FeedReply`]) stay there and are re-exported here.
//! Types of `aviso-protocol` (feed items, bodies, verdict reasons, trust lists) are the
//! serde forms of `protocol/src/*`; with its `openapi` feature they have schemas of their
//! own, so the OpenAPI document describes them field by field; `docs/protocol.md` says
//! what they mean.
//!
//! [`Route`] lists every route: its method and path. The router, the OpenAPI document and
//! the client all use it, and tests check that the three agree (see `super` docs).

use aviso_protocol::feed::{AlertItem, ReportItem, ResourceItem};
use aviso_protocol::trust::{ChosenList, Grant};
use aviso_protocol::{Body, CommunityId, Id, Kind, PublicKey, Reason, Threshold};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::feed::FeedReply;
pub use crate::net::PeerInfo;
pub use crate::net::sync::SyncStats;
pub use crate::pipeline::{Limit, Outcome};
pub use aviso_protocol::FeedSettings;

/// Every route of the API. Adding a variant fails the build until it has a method and a
/// path, and fails `node/src/api/tests.rs` until the router serves it (and the OpenAPI
/// document lists it) and `node/tests/api.rs` until the client calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Route {
    /// `GET /v1/status`.
    Status,
    /// `GET /v1/peers`.
    Peers,
    /// `POST /v1/publish`.
    Publish,
    /// `GET /v1/feed`.
    Feed,
    /// `GET /v1/envelopes/{id}`.
    Envelope,
    /// `GET /v1/ids`.
    Ids,
    /// `GET /v1/events`.
    Events,
    /// `POST /v1/sync`.
    Sync,
    /// `GET /v1/settings`.
    GetSettings,
    /// `PUT /v1/settings`.
    PutSettings,
    /// `GET /v1/trust`.
    Trust,
    /// `GET /v1/export`.
    Export,
    /// `GET /v1/openapi.json`.
    OpenApi,
    /// `POST /v1/web/signin`.
    WebSignin,
    /// `GET /v1/agent`.
    Agent,
    /// `POST /v1/agent/unlock`.
    AgentUnlock,
    /// `POST /v1/agent/lock`.
    AgentLock,
    /// `POST /v1/agent/sign`.
    AgentSign,
    /// `POST /v1/web/pair`.
    WebPair,
    /// `GET /v1/web/devices`.
    WebDevices,
    /// `POST /v1/web/devices/{id}/revoke`.
    WebRevoke,
    /// `POST /v1/panic`.
    Panic,
    /// `GET /v1/responses/{id}`.
    Responses,
}

pub use crate::net::Reachability;

/// The paths of the routes, as the router and the OpenAPI document spell them.
pub mod paths {
    /// Node status.
    pub const STATUS: &str = "/v1/status";
    /// Connected peers.
    pub const PEERS: &str = "/v1/peers";
    /// Publish a signed envelope.
    pub const PUBLISH: &str = "/v1/publish";
    /// One page of the feed.
    pub const FEED: &str = "/v1/feed";
    /// One stored envelope; `{id}` is its 64 hex characters.
    pub const ENVELOPE: &str = "/v1/envelopes/{id}";
    /// Ids by prefix.
    pub const IDS: &str = "/v1/ids";
    /// The server-sent event stream.
    pub const EVENTS: &str = "/v1/events";
    /// Start catch-up now.
    pub const SYNC: &str = "/v1/sync";
    /// Feed settings (GET and PUT).
    pub const SETTINGS: &str = "/v1/settings";
    /// The trust view.
    pub const TRUST: &str = "/v1/trust";
    /// Every stored envelope.
    pub const EXPORT: &str = "/v1/export";
    /// This API's OpenAPI document.
    pub const OPENAPI: &str = "/v1/openapi.json";
    /// A one-time sign-in link for the web app.
    pub const WEB_SIGNIN: &str = "/v1/web/signin";
    /// The key agent's state.
    pub const AGENT: &str = "/v1/agent";
    /// Unlock the signing key into the agent.
    pub const AGENT_UNLOCK: &str = "/v1/agent/unlock";
    /// Lock the agent now.
    pub const AGENT_LOCK: &str = "/v1/agent/lock";
    /// Sign with the unlocked key.
    pub const AGENT_SIGN: &str = "/v1/agent/sign";
    /// A one-time pairing code for a phone on the LAN.
    pub const WEB_PAIR: &str = "/v1/web/pair";
    /// The paired devices.
    pub const WEB_DEVICES: &str = "/v1/web/devices";
    /// Unpair a device; `{id}` is its short id.
    pub const WEB_REVOKE: &str = "/v1/web/devices/{id}/revoke";
    /// Panic wipe: destroy this home's keys and data, then stop.
    pub const PANIC: &str = "/v1/panic";
    /// The answers to one alert; `{id}` is any version of it, 64 hex characters.
    pub const RESPONSES: &str = "/v1/responses/{id}";
}

impl Route {
    /// Every route.
    pub const ALL: [Route; 23] = [
        Route::Status,
        Route::Peers,
        Route::Publish,
        Route::Feed,
        Route::Envelope,
        Route::Ids,
        Route::Events,
        Route::Sync,
        Route::GetSettings,
        Route::PutSettings,
        Route::Trust,
        Route::Export,
        Route::OpenApi,
        Route::WebSignin,
        Route::Agent,
        Route::AgentUnlock,
        Route::AgentLock,
        Route::AgentSign,
        Route::WebPair,
        Route::WebDevices,
        Route::WebRevoke,
        Route::Panic,
        Route::Responses,
    ];

    /// Its HTTP method, upper case.
    pub fn method(self) -> &'static str {
        match self {
            Route::Publish
            | Route::Sync
            | Route::WebSignin
            | Route::AgentUnlock
            | Route::AgentLock
            | Route::AgentSign
            | Route::WebPair
            | Route::WebRevoke => "POST",
            Route::Panic => "POST",
            Route::PutSettings => "PUT",
            Route::Status
            | Route::Peers
            | Route::Feed
            | Route::Envelope
            | Route::Ids
            | Route::Events
            | Route::GetSettings
            | Route::Trust
            | Route::Export
            | Route::OpenApi
            | Route::Agent
            | Route::WebDevices
            | Route::Responses => "GET",
        }
    }

    /// Its path (with `{id}` where a path parameter goes).
    pub fn path(self) -> &'static str {
        match self {
            Route::Status => paths::STATUS,
            Route::Peers => paths::PEERS,
            Route::Publish => paths::PUBLISH,
            Route::Feed => paths::FEED,
            Route::Envelope => paths::ENVELOPE,
            Route::Ids => paths::IDS,
            Route::Events => paths::EVENTS,
            Route::Sync => paths::SYNC,
            Route::GetSettings | Route::PutSettings => paths::SETTINGS,
            Route::Trust => paths::TRUST,
            Route::Export => paths::EXPORT,
            Route::OpenApi => paths::OPENAPI,
            Route::WebSignin => paths::WEB_SIGNIN,
            Route::Agent => paths::AGENT,
            Route::AgentUnlock => paths::AGENT_UNLOCK,
            Route::AgentLock => paths::AGENT_LOCK,
            Route::AgentSign => paths::AGENT_SIGN,
            Route::WebPair => paths::WEB_PAIR,
            Route::WebDevices => paths::WEB_DEVICES,
            Route::WebRevoke => paths::WEB_REVOKE,
            Route::Panic => paths::PANIC,
            Route::Responses => paths::RESPONSES,
        }
    }
}

/// The body of every error reply (any non-2xx status): what went wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    /// What went wrong, in one sentence.
    pub error: String,
    /// What to do about it.
    pub hint: String,
}

/// `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusReply {
    /// The node's version (`aviso-node` crate version).
    pub version: String,
    /// The node's libp2p peer id.
    pub peer_id: String,
    /// Multiaddresses the node listens on for peers.
    pub listen_addrs: Vec<String>,
    /// How many peers are connected now.
    pub peers: usize,
    /// Envelopes stored.
    pub store: StoreCounts,
    /// Seconds since the node started.
    pub uptime_secs: u64,
    /// The community served, if the node has joined one.
    pub community: Option<CommunityReply>,
    /// Whether and how other nodes can reach this one (relay, hole punching, AutoNAT).
    /// Absent from nodes older than this field.
    #[serde(default)]
    pub reachability: Reachability,
}

/// Envelopes stored, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoreCounts {
    /// All envelopes.
    pub total: u64,
    /// Per kind name (`alert`, `report`, `trust_list`, ...).
    pub by_kind: std::collections::BTreeMap<String, u64>,
    /// Records found damaged (failing authentication) and dropped when the store opened;
    /// the node fetches them again from peers.
    #[serde(default)]
    pub damaged: u64,
}

impl From<crate::store::StoreCounts> for StoreCounts {
    fn from(c: crate::store::StoreCounts) -> StoreCounts {
        StoreCounts {
            total: c.total,
            by_kind: c
                .by_kind
                .into_iter()
                .map(|(k, n)| (k.to_owned(), n))
                .collect(),
            damaged: 0,
        }
    }
}

/// The community a node serves, as `status` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CommunityReply {
    /// Its 32-byte id, hex.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its root keys, hex.
    pub roots: Vec<String>,
}

/// `GET /v1/peers`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PeersReply {
    /// The connected peers.
    pub peers: Vec<PeerInfo>,
    /// Our relay reservations, as the `/p2p-circuit` addresses peers dial.
    #[serde(default)]
    pub reservations: Vec<String>,
    /// How others reach this node, in plain words.
    #[serde(default)]
    pub reachability: String,
}

/// `POST /v1/publish` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The signed envelope bytes, hex (at most twice the 64 KiB envelope limit).
    pub envelope: String,
}

/// `POST /v1/publish` reply: the pipeline's outcome. Status 200 when the envelope is
/// stored (`accepted`, `duplicate`), 422 with `error` and `hint` otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublishReply {
    /// What the pipeline decided (`outcome` and its fields).
    #[serde(flatten)]
    pub outcome: Outcome,
    /// When not stored: what went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When not stored: what to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// `GET /v1/feed` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Include hidden items, with the reasons they are hidden.
    #[serde(default)]
    pub all: bool,
    /// Reports in the page (default 100, at most 500).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reports: Option<usize>,
    /// The previous page's `next`, to continue from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
}

/// `GET /v1/envelopes/{id}`: one stored envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EnvelopeReply {
    /// Its id (SHA-256 of the signed bytes), hex.
    pub id: Id,
    /// Its kind (`alert`, `report`, `resource`, `trust_list`, `endorsement`,
    /// `retraction`).
    pub kind: Kind,
    /// The community it is signed for, hex.
    pub community: CommunityId,
    /// The author's public key, hex.
    pub author: PublicKey,
    /// When it was signed (unix seconds).
    pub created_at: u64,
    /// When it expires (unix seconds).
    pub expires_at: u64,
    /// The received bytes, hex.
    pub bytes: String,
    /// The decoded body (`type` names the kind), as `protocol/src/body.rs` serializes it.
    pub body: Body,
}

/// `GET /v1/ids` query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IdsQuery {
    /// 6 to 64 hex characters of an envelope id.
    pub prefix: String,
}

/// `GET /v1/ids` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IdsReply {
    /// Ids of stored envelopes starting with the prefix, hex (at most 16).
    pub ids: Vec<Id>,
}

/// `POST /v1/sync` reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SyncReply {
    /// Catch-up sessions started (one per connected peer not already syncing).
    pub started: usize,
}

/// `POST /v1/web/signin` reply: a link that signs one browser in to the web app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WebSigninReply {
    /// Open it in a browser on this machine; it works once.
    pub url: String,
    /// Seconds until it stops working.
    pub expires_in_secs: u64,
}

/// The reply of `POST /v1/panic`, sent before the node stops. Empty on purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PanicReply {}

/// The key agent's state (`GET /v1/agent` and the agent's other replies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AgentReply {
    /// Whether a signing key is unlocked in the node.
    pub unlocked: bool,
    /// Its public key, hex, when unlocked.
    pub public_key: Option<String>,
    /// Seconds until it locks itself if unused.
    pub locks_in_secs: Option<u64>,
    /// Seconds before another unlock attempt is accepted, after wrong passphrases.
    pub retry_after_secs: Option<u64>,
}

/// `POST /v1/agent/unlock` request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnlockRequest {
    /// The passphrase of the member's key file.
    pub passphrase: String,
}

impl std::fmt::Debug for UnlockRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UnlockRequest { passphrase: <redacted> }")
    }
}

/// `POST /v1/agent/sign` request: exactly what will be signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignRequest {
    /// What the body is: `trust_list`, `alert`, `report`, `resource`, `endorsement` or
    /// `retraction`.
    pub kind: aviso_protocol::Kind,
    /// The body, postcard-encoded, hex (as `Body::encode` makes it).
    pub body: String,
    /// Creation time, unix seconds.
    pub created_at: u64,
    /// Expiry, unix seconds.
    pub expires_at: u64,
}

/// `POST /v1/agent/sign` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SignReply {
    /// The signed envelope, hex: publish it with `POST /v1/publish`.
    pub envelope: String,
    /// Its id, hex.
    pub id: String,
}

/// `GET /v1/responses/{id}`: the answers to a live alert, counted per role without any
/// key or name (docs/protocol.md, "Response").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResponsesReply {
    /// The alert thread asked about (its first alert's id).
    pub thread: Id,
    /// The tally: empty while nobody answered.
    pub tally: aviso_protocol::ResponseTally,
    /// With `?author=`: when that key's next answer should be made (unix seconds): now, or
    /// one second after its latest stored response if that is later, so that the answer
    /// replaces the last one (answers replace each other by `created_at`, to the second).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_answer_at: Option<u64>,
}

/// `GET /v1/responses/{id}` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams, ToSchema)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResponsesQuery {
    /// A member's public key (64 hex characters): the reply then says when its next
    /// answer should be made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// `GET /v1/trust`: who the member's followed lists (and their delegates) trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrustReply {
    /// The list owners the member follows, hex.
    pub follow: Vec<PublicKey>,
    /// The list versions in force, anchors first (`owner`, `id`, `version`, `name`,
    /// `anchor`, `scope`).
    pub lists: Vec<ChosenList>,
    /// Every key those lists name, with its grants.
    pub keys: Vec<TrustKey>,
    /// Every revocation in those lists.
    pub revoked: Vec<RevokedKey>,
    /// Signatures needed per category, where a list sets more than one.
    pub thresholds: Vec<Threshold>,
}

/// One key of the trust view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TrustKey {
    /// The key, hex.
    pub key: PublicKey,
    /// Its short fingerprint, for people.
    pub fingerprint: String,
    /// What it may sign, and from which list (`protocol/src/trust.rs`).
    pub grants: Vec<Grant>,
    /// When revoked: messages it created at or after this time are not trusted.
    pub revoked_since: Option<u64>,
}

/// One revocation in a followed list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevokedKey {
    /// The key, hex.
    pub key: PublicKey,
    /// Its short fingerprint, for people.
    pub fingerprint: String,
    /// Messages created at or after this time are not trusted; 0: none are.
    pub since: u64,
    /// Why, for people.
    pub reason: String,
}

/// `GET /v1/export` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExportReply {
    /// Every stored envelope, hex of its received bytes, oldest first.
    pub envelopes: Vec<String>,
}

/// One server-sent event of `GET /v1/events`. On the stream, the `event:` field is the
/// variant's name and `data:` its content (JSON, but plain text for `lagged`); in JSON
/// (this type's serde form) it is `{"event": NAME, "data": CONTENT}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "event", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApiEvent {
    /// First event: the stream is live; what was shown at that moment is not sent again
    /// (fetch `/v1/feed` for it).
    Ready(ReadyEvent),
    /// An item newly shown (boxed: items are large, the other events small).
    Item(Box<ItemEvent>),
    /// An item that stopped being shown, and why.
    Withdrawn(WithdrawnEvent),
    /// A peer connected or disconnected.
    Peer(PeerEvent),
    /// Events were dropped because the client read too slowly: fetch `/v1/feed`. The
    /// text says so for people.
    Lagged(String),
}

impl ApiEvent {
    /// The `event:` name of this event on the stream.
    pub fn name(&self) -> &'static str {
        match self {
            ApiEvent::Ready(_) => "ready",
            ApiEvent::Item(_) => "item",
            ApiEvent::Withdrawn(_) => "withdrawn",
            ApiEvent::Peer(_) => "peer",
            ApiEvent::Lagged(_) => "lagged",
        }
    }
}

/// The `data` of a `ready` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReadyEvent {
    /// How many items were shown when the stream started.
    pub shown: usize,
}

/// The `data` of an `item` event: `{"type": "alert" | "report" | "resource", "item": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "item", rename_all = "snake_case")]
pub enum ItemEvent {
    /// A newly shown alert (`protocol/src/feed.rs` `AlertItem`).
    Alert(AlertItem),
    /// A newly shown report (`ReportItem`).
    Report(ReportItem),
    /// A newly shown resource notice (`ResourceItem`).
    Resource(ResourceItem),
}

impl ItemEvent {
    /// The item's envelope id.
    pub fn id(&self) -> Id {
        match self {
            ItemEvent::Alert(i) => i.id,
            ItemEvent::Report(i) => i.id,
            ItemEvent::Resource(i) => i.id,
        }
    }
}

/// What kind of item an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// An alert.
    Alert,
    /// A report.
    Report,
    /// A resource notice.
    Resource,
}

/// The `data` of a `withdrawn` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WithdrawnEvent {
    /// What it was; `null` when it is no longer stored (it expired).
    #[serde(rename = "type")]
    pub kind: Option<ItemKind>,
    /// Its id, hex.
    pub id: Id,
    /// Why it is no longer shown (`{"reason": "retracted"}`, ...; see
    /// `protocol/src/verdict.rs`).
    pub reasons: Vec<Reason>,
}

/// The `data` of a `peer` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PeerEvent {
    /// A peer connected.
    PeerConnected {
        /// Its peer id.
        peer: String,
    },
    /// A peer's last connection closed.
    PeerDisconnected {
        /// Its peer id.
        peer: String,
    },
}

/// `POST /v1/web/pair` reply: what `aviso web pair` shows, as text and as a QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WebPairReply {
    /// `https://<lan address>:<port>/pair#<code>`: open it on the phone (the code is in
    /// the fragment, which the browser never sends anywhere).
    pub url: String,
    /// The one-time pairing code, for typing by hand.
    pub code: String,
    /// Seconds until the code stops working.
    pub expires_in_secs: u64,
    /// SHA-256 of the node's CA certificate, 64 hex characters.
    pub ca_fingerprint: String,
    /// The same, as phones show it: 32 pairs of upper-case hex digits.
    pub ca_fingerprint_text: String,
    /// Where the phone downloads the CA certificate to trust it.
    pub ca_url: String,
}

/// `GET /v1/web/devices` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DevicesReply {
    /// The paired devices, oldest first.
    pub devices: Vec<crate::lan::Device>,
}

/// `POST /v1/web/devices/{id}/revoke` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevokeReply {
    /// The device unpaired (its cookie is refused from now on).
    pub revoked: crate::lan::Device,
}
