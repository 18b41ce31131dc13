//! Offline catch-up: negentropy set reconciliation (`/aviso/sync/1`) and fetching of
//! missing envelopes (`/aviso/fetch/1`).
//!
//! Items are `(created_at, id)` of stored, unexpired envelopes. The side that starts a
//! session learns which ids the peer has and it lacks, fetches them in batches and hands
//! each batch to the node's one ingest task, the same that gossip and local publishing
//! feed (see [`Ingest`]), so a peer serving forgeries gets none stored. Both sides
//! start a session when they connect, so each learns what it lacks; nobody pushes.
//! Cost grows with the difference, not with the store.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use aviso_protocol::riblt::KEY_BYTES;
use aviso_protocol::{Envelope, Id, Kind};
use libp2p::{PeerId, StreamProtocol};
use negentropy::{Negentropy, NegentropyStorageVector};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};

use crate::pipeline::{Outcome, Pipeline};
use crate::store::{Store, StoreError};

/// Reconciliation messages.
pub const SYNC_PROTOCOL: StreamProtocol = StreamProtocol::new("/aviso/sync/1");
/// Fetch of envelopes by id.
pub const FETCH_PROTOCOL: StreamProtocol = StreamProtocol::new("/aviso/fetch/1");
/// Negentropy frame limit: each message stays below it; more rounds cover the rest.
pub const FRAME_LIMIT: u64 = 60 * 1024;
/// Largest sync message on the wire (frame limit plus slack).
pub const MAX_SYNC_MESSAGE: usize = 64 * 1024;
/// Most reconciliation rounds in one session; a peer answering forever is cut off.
pub const MAX_ROUNDS: usize = 24;
/// Most ids in one fetch request.
pub const FETCH_BATCH: usize = 256;
/// Largest fetch request: a count and up to [`FETCH_BATCH`] ids.
pub const MAX_FETCH_REQUEST: usize = 4 + FETCH_BATCH * 32;
/// Soft cap of one fetch response; the server stops adding envelopes past it.
pub const FETCH_RESPONSE_BUDGET: usize = 4 * 1024 * 1024;
/// Hard cap of one fetch response: the budget plus one largest envelope and framing.
pub const MAX_FETCH_RESPONSE: usize =
    FETCH_RESPONSE_BUDGET + aviso_protocol::limits::MAX_ENVELOPE_BYTES + 8 * FETCH_BATCH;
/// Most ids fetched in one session; a later session continues.
pub const MAX_NEED_PER_SESSION: usize = 20_000;
/// Bytes of refused envelopes kept for a second pass after a trust list arrives.
pub const MAX_DEFERRED_BYTES: usize = 4 * 1024 * 1024;
/// Refused (not forged, just not relayed here) envelopes one session tolerates before it
/// stops fetching from that peer.
pub const MAX_IGNORED_PER_SESSION: usize = 1_024;
/// Sessions this node runs at once as initiator.
pub const MAX_SESSIONS: usize = 4;
/// How long the server's reconciliation snapshot may be reused when nothing changed.
const SNAPSHOT_MAX_AGE: Duration = Duration::from_secs(60);
/// Fetched batches queued for the ingest task. A session waits for the outcomes of one
/// batch before it fetches the next, so one slot per session means a session never
/// waits for room, only for its turn at the ingest task.
pub const INGEST_QUEUE: usize = MAX_SESSIONS;

/// Why a sync session, or the answer to a peer's sync or fetch request, failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The event loop or the ingest task is gone: the node is stopping.
    #[error("node stopping")]
    Stopping,
    /// Our request to the peer failed (timeout, closed stream, unsupported protocol).
    #[error("request failed: {0}")]
    Request(String),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Negentropy refused a message or our storage.
    #[error("reconciliation failed: {0}")]
    Reconcile(#[from] negentropy::Error),
    /// The peer kept reconciling past [`MAX_ROUNDS`].
    #[error("gave up after {0} rounds")]
    TooManyRounds(usize),
    /// A fetch request is not a count followed by exactly that many ids.
    #[error("fetch request of {0} ids is malformed")]
    BadFetchRequest(usize),
    /// A fetch request or response ends in the middle of a length or an id.
    #[error("fetch {0} truncated")]
    Truncated(&'static str),
    /// A fetch response announces an envelope longer than the limit or than the rest.
    #[error("fetch response has a bad length")]
    BadLength,
    /// The peer served too many envelopes that this node does not relay.
    #[error("peer offered {0} envelopes this node does not relay; session cut short")]
    TooManyIgnored(usize),
    /// A `/aviso/sync/2` request or answer is malformed or out of bounds.
    #[error("bad sync/2 message: {0}")]
    BadSync2(&'static str),
    /// A peer's `/aviso/sync/2` cells are not those of a set: forged or corrupt.
    #[error("sync/2 cells do not decode: {0}")]
    Decode(#[from] aviso_protocol::riblt::DecodeError),
    /// A blocking task (the snapshot) panicked or was cancelled.
    #[error("internal: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// What one session did, for `status`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SyncStats {
    /// When it ended (unix seconds).
    pub at: u64,
    /// Reconciliation round trips.
    pub rounds: u32,
    /// Fetch round trips.
    pub fetches: u32,
    /// Bytes sent in sync and fetch requests.
    pub bytes_sent: u64,
    /// Bytes received in sync and fetch responses.
    pub bytes_received: u64,
    /// Ids the peer had and we lacked.
    pub missing: u64,
    /// Envelopes stored from this session.
    pub accepted: u64,
    /// Envelopes the peer served that failed validation (forged, malformed, unasked).
    pub rejected: u64,
    /// Error that ended the session early, if any.
    pub error: Option<String>,
    /// How it reconciled: `sync/1` (negentropy), `sync/2` (cells) or `sync/2+1` (cells,
    /// then negentropy for a large difference). Empty from older nodes.
    #[serde(default)]
    pub protocol: String,
}

/// Which request-response protocol a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    /// `/aviso/sync/1`.
    Sync,
    /// `/aviso/fetch/1`.
    Fetch,
    /// `/aviso/sync/2` (see [`super::sync2`]).
    Sync2,
}

/// A request a session asks the event loop to send.
#[derive(Debug)]
pub struct Request {
    /// To whom.
    pub peer: PeerId,
    /// Which protocol.
    pub proto: Proto,
    /// Payload.
    pub bytes: Vec<u8>,
    /// Where the response goes.
    pub reply: oneshot::Sender<Result<Vec<u8>, SyncError>>,
}

/// Sends requests through the event loop (which owns the swarm).
#[derive(Debug, Clone)]
pub struct Requester(pub(crate) mpsc::Sender<Request>);

impl Requester {
    pub(super) async fn ask(
        &self,
        peer: PeerId,
        proto: Proto,
        bytes: Vec<u8>,
    ) -> Result<Vec<u8>, SyncError> {
        let (reply, rx) = oneshot::channel();
        self.0
            .send(Request {
                peer,
                proto,
                bytes,
                reply,
            })
            .await
            .map_err(|_| SyncError::Stopping)?;
        rx.await.map_err(|_| SyncError::Stopping)?
    }
}

/// Envelopes a session fetched from `peer`, on their way to the ingest task.
#[derive(Debug)]
pub struct Fetched {
    /// Who served them.
    pub peer: PeerId,
    /// Their bytes, in the order served; at most [`FETCH_BATCH`].
    pub envelopes: Vec<Vec<u8>>,
    /// Where the outcomes go, one per envelope, in order.
    pub reply: oneshot::Sender<Vec<Outcome>>,
}

/// Hands fetched envelopes to the node's one ingest task (the event loop's), which
/// validates them in turn with gossip and local publishes: one door into the pipeline.
#[derive(Debug, Clone)]
pub struct Ingest(pub(crate) mpsc::Sender<Fetched>);

impl Ingest {
    /// Validate `envelopes` served by `peer`; their outcomes, in order.
    async fn ingest(
        &self,
        peer: PeerId,
        envelopes: Vec<Vec<u8>>,
    ) -> Result<Vec<Outcome>, SyncError> {
        let mut outcomes = Vec::with_capacity(envelopes.len());
        let mut envelopes = envelopes.into_iter().peekable();
        while envelopes.peek().is_some() {
            let batch: Vec<Vec<u8>> = envelopes.by_ref().take(FETCH_BATCH).collect();
            let (reply, rx) = oneshot::channel();
            self.0
                .send(Fetched {
                    peer,
                    envelopes: batch,
                    reply,
                })
                .await
                .map_err(|_| SyncError::Stopping)?;
            outcomes.extend(rx.await.map_err(|_| SyncError::Stopping)?);
        }
        Ok(outcomes)
    }
}

fn neg_id(id: &Id) -> negentropy::Id {
    negentropy::Id::from_byte_array(id.0)
}

fn snapshot(
    store: &dyn Store,
    now: u64,
    embargo: &HashSet<Id>,
) -> Result<NegentropyStorageVector, SyncError> {
    let items = store.sync_items(now)?;
    let mut s = NegentropyStorageVector::with_capacity(items.len());
    for (t, id) in items {
        if embargo.contains(&id) {
            continue;
        }
        s.insert(t, neg_id(&id))?;
    }
    s.seal()?;
    Ok(s)
}

/// Answers peers' sync and fetch requests from a cached snapshot of the store.
pub struct SyncServer {
    store: Arc<dyn Store>,
    pipeline: Arc<Pipeline>,
    cache: Mutex<Option<Snapshot<NegentropyStorageVector>>>,
    /// The same set for `/aviso/sync/2`: its ids and first cells.
    cache2: Mutex<Option<Snapshot<super::sync2::Set2>>>,
    /// Envelopes on a private-publishing stem (`super::stem`), with a version that
    /// changes with the set: not offered or served until they are gossiped, or a peer
    /// syncing with the author during the stem would learn where they started. At most
    /// [`super::stem::MAX_PENDING`].
    embargo: Mutex<(u64, HashSet<Id>)>,
}

/// A cached reconciliation snapshot and when it goes stale.
struct Snapshot<T> {
    /// The pipeline generation it was taken at.
    generation: u64,
    /// The embargo version it left out.
    embargo: u64,
    /// When it was taken.
    at: Instant,
    /// Unix time its first item expires.
    stale_at: u64,
    storage: Arc<T>,
}

impl std::fmt::Debug for SyncServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncServer").finish_non_exhaustive()
    }
}

impl SyncServer {
    /// A server over the pipeline's store.
    pub fn new(pipeline: Arc<Pipeline>) -> Self {
        Self {
            store: pipeline.store().clone(),
            pipeline,
            cache: Mutex::new(None),
            cache2: Mutex::new(None),
            embargo: Mutex::new((0, HashSet::new())),
        }
    }

    /// Hold back `ids` (envelopes on a stem) from answers until the next call.
    pub fn set_embargo(&self, ids: HashSet<Id>) {
        let mut e = self.embargo.lock().unwrap_or_else(|p| p.into_inner());
        if e.1 != ids {
            e.0 += 1;
            e.1 = ids;
        }
    }

    fn embargoed(&self) -> (u64, HashSet<Id>) {
        self.embargo
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The reconciliation snapshot of the store at `now`, cached: shared by the
    /// sessions this node serves and the ones it starts (catch-up rounds after load
    /// drops come every second under a flood; they must not rebuild it each time).
    fn storage(&self, now: u64) -> Result<Arc<NegentropyStorageVector>, SyncError> {
        self.cached(&self.cache, now, |store, now, embargo, _| {
            snapshot(store, now, embargo)
        })
    }

    /// The `/aviso/sync/2` set at `now`, cached like [`SyncServer::storage`], and
    /// updated from the last one (only the keys that came or went touch the cells).
    pub(super) fn set2(&self, now: u64) -> Result<Arc<super::sync2::Set2>, SyncError> {
        self.cached(&self.cache2, now, super::sync2::Set2::of_store)
    }

    fn cached<T>(
        &self,
        slot: &Mutex<Option<Snapshot<T>>>,
        now: u64,
        build: impl FnOnce(&dyn Store, u64, &HashSet<Id>, Option<&T>) -> Result<T, SyncError>,
    ) -> Result<Arc<T>, SyncError> {
        let generation = self.pipeline.generation();
        let (embargo_version, embargo) = self.embargoed();
        let mut cache = slot.lock().unwrap_or_else(|p| p.into_inner());
        // Reused only while nothing was added and nothing in it has expired: a peer is
        // never offered an envelope that has expired since the snapshot was taken.
        if let Some(s) = cache.as_ref()
            && s.generation == generation
            && s.embargo == embargo_version
            && s.at.elapsed() < SNAPSHOT_MAX_AGE
            && now < s.stale_at
        {
            return Ok(s.storage.clone());
        }
        let stale_at = self.store.next_expiry(now)?.unwrap_or(u64::MAX);
        let old = cache.as_ref().map(|s| s.storage.clone());
        let storage = Arc::new(build(self.store.as_ref(), now, &embargo, old.as_deref())?);
        *cache = Some(Snapshot {
            generation,
            embargo: embargo_version,
            at: Instant::now(),
            stale_at,
            storage: storage.clone(),
        });
        Ok(storage)
    }

    /// Answer one reconciliation message. Stateless between rounds.
    pub fn handle_sync(&self, msg: &[u8], now: u64) -> Result<Vec<u8>, SyncError> {
        let storage = self.storage(now)?;
        let mut ne = Negentropy::borrowed(storage.as_ref(), FRAME_LIMIT)?;
        Ok(ne.reconcile(msg)?)
    }

    /// Answer a fetch: the requested envelopes we hold and that are unexpired, trust
    /// lists first (the receiver needs them to judge the rest), within the budget.
    pub fn handle_fetch(&self, req: &[u8], now: u64) -> Result<Vec<u8>, SyncError> {
        self.handle_fetch_within(req, now, FETCH_RESPONSE_BUDGET)
    }

    /// [`SyncServer::handle_fetch`] in at most `budget` bytes (but always at least one
    /// envelope, if any is held: an answer with none tells the peer we have none).
    pub fn handle_fetch_within(
        &self,
        req: &[u8],
        now: u64,
        budget: usize,
    ) -> Result<Vec<u8>, SyncError> {
        let budget = budget.min(FETCH_RESPONSE_BUDGET);
        let mut ids = decode_ids(req)?;
        // A repeated id would let a small request ask for the same large envelope again
        // and again.
        ids.sort_unstable();
        ids.dedup();
        let (_, embargo) = self.embargoed();
        ids.retain(|id| !embargo.contains(id));
        let mut envs: Vec<Envelope> = Vec::with_capacity(ids.len());
        let mut loaded = 0usize;
        for id in &ids {
            // Stop loading once the answer is full (plus the largest envelope's slack).
            if loaded > budget + aviso_protocol::limits::MAX_ENVELOPE_BYTES {
                break;
            }
            if let Some(e) = self.store.get(id)?
                && !e.is_expired(now)
            {
                loaded += e.bytes().len();
                envs.push(e);
            }
        }
        envs.sort_by_key(|e| (e.kind() != Kind::TrustList, e.created_at()));
        // What fits, then one allocation of exactly that size: the answer may wait in
        // memory for a slow reader, and the serving budget counts its length.
        let (mut len, mut count) = (0usize, 0usize);
        for e in &envs {
            if count > 0 && len + 4 + e.bytes().len() > budget {
                break;
            }
            len += 4 + e.bytes().len();
            count += 1;
        }
        let mut out = Vec::with_capacity(len);
        for e in envs.iter().take(count) {
            out.extend_from_slice(&(e.bytes().len() as u32).to_be_bytes());
            out.extend_from_slice(e.bytes());
        }
        Ok(out)
    }
}

/// Encode a fetch request.
pub fn encode_ids(ids: &[Id]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + ids.len() * 32);
    out.extend_from_slice(&(ids.len() as u32).to_be_bytes());
    for id in ids {
        out.extend_from_slice(&id.0);
    }
    out
}

/// Decode a fetch request, refusing anything but a count and exactly that many ids.
pub fn decode_ids(b: &[u8]) -> Result<Vec<Id>, SyncError> {
    let (count, rest) = b
        .split_first_chunk::<4>()
        .ok_or(SyncError::Truncated("request"))?;
    let n = u32::from_be_bytes(*count) as usize;
    if n > FETCH_BATCH || rest.len() != n * 32 {
        return Err(SyncError::BadFetchRequest(n));
    }
    Ok(rest
        .chunks_exact(32)
        .map(|c| {
            let mut id = [0u8; 32];
            id.copy_from_slice(c);
            Id(id)
        })
        .collect())
}

/// Split a fetch response into envelopes' bytes.
pub fn decode_envelopes(mut b: &[u8]) -> Result<Vec<&[u8]>, SyncError> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (len, rest) = b
            .split_first_chunk::<4>()
            .ok_or(SyncError::Truncated("response"))?;
        let len = u32::from_be_bytes(*len) as usize;
        if len > aviso_protocol::limits::MAX_ENVELOPE_BYTES || len > rest.len() {
            return Err(SyncError::BadLength);
        }
        let (env, rest) = rest.split_at(len);
        out.push(env);
        b = rest;
    }
    Ok(out)
}

/// Run one catch-up session with `peer` as initiator, from `server`'s snapshot, handing
/// what it fetches to `ingest`: over `/aviso/sync/2` when `v2` (the peer speaks it),
/// else over `/aviso/sync/1`.
pub async fn run_session(
    peer: PeerId,
    requester: Requester,
    ingest: Ingest,
    server: Arc<SyncServer>,
    v2: bool,
) -> SyncStats {
    let mut stats = SyncStats {
        protocol: if v2 { "sync/2" } else { "sync/1" }.into(),
        ..SyncStats::default()
    };
    let result = if v2 {
        super::sync2::session(peer, &requester, &ingest, server, &mut stats).await
    } else {
        session(peer, &requester, &ingest, server, &mut stats).await
    };
    if let Err(e) = result {
        stats.error = Some(e.to_string());
    }
    stats.at = crate::unix_now();
    stats
}

pub(super) async fn session(
    peer: PeerId,
    requester: &Requester,
    ingest: &Ingest,
    server: Arc<SyncServer>,
    stats: &mut SyncStats,
) -> Result<(), SyncError> {
    let now = crate::unix_now();
    let storage = tokio::task::spawn_blocking(move || server.storage(now)).await??;
    let mut ne = Negentropy::borrowed(storage.as_ref(), FRAME_LIMIT)?;
    let mut msg = ne.initiate()?;
    let (mut have, mut need) = (Vec::new(), Vec::new());
    loop {
        if stats.rounds as usize >= MAX_ROUNDS {
            return Err(SyncError::TooManyRounds(MAX_ROUNDS));
        }
        stats.rounds += 1;
        stats.bytes_sent += msg.len() as u64;
        let resp = requester.ask(peer, Proto::Sync, msg).await?;
        stats.bytes_received += resp.len() as u64;
        // `have` (ids the peer lacks) is the peer's business: it runs its own session.
        match ne.reconcile_with_ids(&resp, &mut have, &mut need)? {
            Some(next) => msg = next,
            None => break,
        }
        have.clear();
        if need.len() > MAX_NEED_PER_SESSION {
            break;
        }
    }
    need.truncate(MAX_NEED_PER_SESSION);
    stats.missing = need.len() as u64;
    let need: Vec<Id> = need.iter().map(|i| Id(i.to_bytes())).collect();
    fetch_missing(peer, requester, ingest, need, FetchBy::Id, stats).await
}

/// How a session names the envelopes it fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FetchBy {
    /// Whole ids, over `/aviso/fetch/1`.
    Id,
    /// Keys (16-byte id prefixes, zero-padded), over `/aviso/sync/2`'s Get.
    Key,
}

impl FetchBy {
    /// What names `id` in a request.
    pub(super) fn normalize(self, id: &Id) -> Id {
        match self {
            FetchBy::Id => *id,
            FetchBy::Key => {
                let mut k = [0u8; 32];
                k[..KEY_BYTES].copy_from_slice(&id.0[..KEY_BYTES]);
                Id(k)
            }
        }
    }

    fn request(self, batch: &[Id]) -> (Proto, Vec<u8>) {
        match self {
            FetchBy::Id => (Proto::Fetch, encode_ids(batch)),
            FetchBy::Key => (
                Proto::Sync2,
                super::sync2::Sync2Request::Get(
                    batch
                        .iter()
                        .map(|id| aviso_protocol::riblt::key_of(&id.0))
                        .collect(),
                )
                .encode(),
            ),
        }
    }
}

/// Fetch `need` (named as `by` says) from `peer` in batches and hand what comes to
/// `ingest`.
pub(super) async fn fetch_missing(
    peer: PeerId,
    requester: &Requester,
    ingest: &Ingest,
    need: Vec<Id>,
    by: FetchBy,
    stats: &mut SyncStats,
) -> Result<(), SyncError> {
    // Envelopes that were refused only because their author's trust list (or the alert a
    // response answers) had not arrived yet get a second pass once one was accepted in
    // this session.
    let mut deferred: Vec<Vec<u8>> = Vec::new();
    let mut deferred_bytes = 0usize;
    let mut ignored = 0usize;
    let mut trust_changed = false;
    let mut queue: std::collections::VecDeque<Id> = need.into();
    while !queue.is_empty() {
        let batch: Vec<Id> = queue.drain(..queue.len().min(FETCH_BATCH)).collect();
        let (proto, req) = by.request(&batch);
        stats.fetches += 1;
        stats.bytes_sent += req.len() as u64;
        let resp = requester.ask(peer, proto, req).await?;
        stats.bytes_received += resp.len() as u64;
        let envs = decode_envelopes(&resp)?;
        if envs.is_empty() {
            // The peer no longer has them (expired or collected): stop asking.
            break;
        }
        let mut served = std::collections::HashSet::new();
        let mut items = Vec::with_capacity(envs.len());
        for bytes in envs {
            let id = by.normalize(&aviso_protocol::envelope::id_of(bytes));
            if !batch.contains(&id) || !served.insert(id) {
                stats.rejected += 1;
                continue;
            }
            items.push(bytes.to_vec());
        }
        let outcomes = ingest.ingest(peer, items.clone()).await?;
        for (bytes, outcome) in items.into_iter().zip(outcomes) {
            match outcome {
                Outcome::Accepted { kind, .. } => {
                    stats.accepted += 1;
                    // A new alert lets in the responses to it that came first.
                    trust_changed |= matches!(kind, Kind::TrustList | Kind::Alert);
                }
                Outcome::Rejected { .. } => stats.rejected += 1,
                Outcome::Duplicate { .. } => {}
                Outcome::Ignored { .. } | Outcome::Throttled { .. } => {
                    ignored += 1;
                    if deferred_bytes + bytes.len() <= MAX_DEFERRED_BYTES {
                        deferred_bytes += bytes.len();
                        deferred.push(bytes);
                    }
                }
            }
        }
        if served.is_empty() {
            break;
        }
        if ignored > MAX_IGNORED_PER_SESSION {
            // Validly signed but unauthorized (or stale) envelopes cost our bandwidth and
            // signature checks without penalty: stop pulling them from this peer.
            return Err(SyncError::TooManyIgnored(ignored));
        }
        // What the peer left out to stay within its budget goes back in the queue; every
        // pass serves at least one id, so this ends.
        queue.extend(batch.iter().filter(|id| !served.contains(*id)));
    }
    if trust_changed && !deferred.is_empty() {
        let outcomes = ingest.ingest(peer, deferred).await?;
        stats.accepted += outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Accepted { .. }))
            .count() as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fetch answer stays within the budget it is given, but always carries one
    /// envelope (an empty answer would tell the peer we have none).
    #[tokio::test]
    async fn fetch_answers_keep_to_their_budget() {
        use aviso_protocol::{Body, CommunityId, Endorsement};
        let store: Arc<dyn Store> = Arc::new(crate::SledStore::temporary().expect("store"));
        let (events, _) = tokio::sync::broadcast::channel(4);
        let pipeline = Pipeline::new(store.clone(), None, events).expect("pipeline");
        let now = crate::unix_now();
        let ids: Vec<Id> = (0..50u8)
            .map(|n| {
                let env = Envelope::sign(
                    &aviso_protocol::fixtures::key(n),
                    CommunityId([1; 32]),
                    &Body::Endorsement(Endorsement { alert: Id([n; 32]) }),
                    now,
                    now + 3600,
                )
                .expect("signs");
                assert!(store.insert(&env).expect("insert"));
                env.id()
            })
            .collect();
        let server = SyncServer::new(pipeline);
        let req = encode_ids(&ids);
        let whole = server.handle_fetch(&req, now).expect("answer");
        assert_eq!(decode_envelopes(&whole).expect("framing").len(), 50);
        let one = whole.len() / 50;
        for budget in [0, one - 1, one, 3 * one + 1, 10 * one] {
            let part = server
                .handle_fetch_within(&req, now, budget)
                .expect("answer");
            let n = decode_envelopes(&part).expect("framing").len();
            assert_eq!(n, (budget / one).max(1), "budget {budget}");
            assert!(part.len() <= budget.max(one));
            assert_eq!(part.capacity(), part.len(), "no spare capacity");
        }
    }

    #[test]
    fn fetch_framing_round_trip_and_bounds() {
        let ids = vec![Id([1; 32]), Id([2; 32])];
        assert_eq!(decode_ids(&encode_ids(&ids)).unwrap(), ids);
        assert!(decode_ids(&[0, 0, 0, 3]).is_err());
        assert!(decode_ids(&[0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(decode_envelopes(&[0, 0, 0, 9, 1]).is_err());
        assert!(decode_envelopes(&[0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(decode_envelopes(&[]).unwrap().is_empty());
    }
}
