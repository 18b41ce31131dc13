//! The validation pipeline: the only door into the store, the same for gossip, sync and
//! local publishing.
//!
//! bounded decode → time → dedup → per-peer rate limit → signature → relay rule →
//! per-author rate limit → per-author storage quota (checked in the insert's
//! transaction, see [`crate::quota`]) → durable store → event.
//!
//! What a rate limit drops comes out as [`Outcome::Throttled`], apart from what is
//! ignored on its merits: gossipsub has already recorded the message id, so the network
//! layer must fetch such an envelope from another peer (see `net::load`).
//!
//! The per-author limit runs *after* the signature check (DESIGN.md puts it before): a
//! limit charged before verification would let anyone exhaust an organizer's budget with
//! forged messages in that organizer's name, silencing real alerts. The per-peer limit,
//! which protects our CPU from floods, stays before the signature check.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use aviso_protocol::envelope::verify_header;
use aviso_protocol::response::{self, MAX_UPDATE_HOPS};
use aviso_protocol::{
    Community, DecodeError, Envelope, Id, Kind, PublicKey, Reason, TrustView, rate::RateLimiter,
    relay_verdict_seen,
};
use libp2p::PeerId;
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::net::Event;
use crate::store::{Inserted, Prepared, Store, StoreError};

/// What the pipeline decided about one envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// New, valid, authorized, and durably stored.
    Accepted {
        /// Its id.
        #[schema(value_type = String)]
        id: Id,
        /// Its kind.
        #[schema(value_type = String)]
        kind: Kind,
    },
    /// Already stored.
    Duplicate {
        /// Its id.
        #[schema(value_type = String)]
        id: Id,
    },
    /// Well-formed but not for us now (expired, too new, unauthorized). Not the sender's
    /// fault: no penalty.
    Ignored {
        /// Why, for people.
        reason: String,
    },
    /// Not taken in for lack of capacity: a peer or an author over its rate limit. No
    /// penalty. Unlike [`Outcome::Ignored`] this says nothing about the envelope: a copy
    /// of it from elsewhere may be good, so the network layer catches up on it.
    Throttled {
        /// Why, for people.
        reason: String,
        /// Whose limit.
        limit: Limit,
    },
    /// Malformed or badly signed: the sender is penalized.
    Rejected {
        /// Why, for people.
        reason: String,
    },
}

impl Outcome {
    /// Whether the envelope is stored (now or before).
    pub fn is_stored(&self) -> bool {
        matches!(self, Outcome::Accepted { .. } | Outcome::Duplicate { .. })
    }
}

/// An [`Outcome`] with what the pipeline learned by decoding the envelope, so that the
/// network layer can act on it without decoding the envelope again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// What the pipeline decided.
    pub outcome: Outcome,
    /// The envelope's expiry (unix seconds), when it decoded.
    pub expires_at: Option<u64>,
}

impl Judged {
    fn new(outcome: Outcome, expires_at: Option<u64>) -> Self {
        Judged {
            outcome,
            expires_at,
        }
    }
}

/// Why the store could not be made durable.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum FlushError {
    /// The group-commit task is gone: the node is stopping.
    #[error("the store flusher has stopped")]
    Stopped,
    /// The store failed to flush (the message of its [`StoreError`], shared by every
    /// waiter of the group commit).
    #[error("store flush failed: {0}")]
    Store(String),
}

/// Which rate limit throttled an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The gossip peer that sent it was over its limit: that peer is flooding.
    Peer,
    /// Its author was over its limit, whoever relayed it.
    Author,
}

/// Where an envelope came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Published through this node's API.
    Local,
    /// Received by gossip from this peer.
    Gossip(PeerId),
    /// Fetched during catch-up from this peer.
    Sync(PeerId),
    /// Handed to us on a private-publishing stem by this peer (`net::stem`).
    Stem(PeerId),
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Local => "local",
            Source::Gossip(_) => "gossip",
            Source::Sync(_) => "sync",
            Source::Stem(_) => "stem",
        }
    }
}

/// Sustained envelopes per second accepted from one gossip peer. A busy honest mesh
/// carries a few alerts a minute; 200/s leaves room for bursts after a partition heals.
pub const PEER_RATE_PER_SEC: u32 = 200;
/// Burst allowance per gossip peer.
pub const PEER_BURST: u32 = 1_000;
/// Sustained envelopes per second from one author: an organizer publishing a trust list
/// and a flurry of alerts in a raid stays well below it.
pub const AUTHOR_RATE_PER_SEC: u32 = 20;
/// Burst allowance per author.
pub const AUTHOR_BURST: u32 = 1_000;
/// Peers and authors tracked by the rate limiters; bounded so floods of fresh keys
/// cannot grow memory.
pub const MAX_TRACKED_KEYS: usize = 10_000;
/// Pending flush requests queued before senders wait (back-pressure on ingest).
const FLUSH_QUEUE: usize = 1_024;

struct State {
    roots: TrustView,
    /// The value of [`Pipeline::trust_changes`] that `roots` was built after: a view
    /// built from an older reading never replaces a newer one.
    roots_at: u64,
    peers: RateLimiter<PeerId>,
    authors: RateLimiter<PublicKey>,
}

/// A flush request: where the group-commit task sends the result.
type FlushWaiter = oneshot::Sender<Result<(), FlushError>>;

/// The validation pipeline. Cheap to share: wrap in an `Arc`.
pub struct Pipeline {
    store: Arc<dyn Store>,
    community: Option<Community>,
    state: Mutex<State>,
    flush: mpsc::Sender<FlushWaiter>,
    events: broadcast::Sender<Event>,
    generation: AtomicU64,
    /// Counts trust lists inserted; read before a reload reads the store.
    trust_changes: AtomicU64,
    /// Envelopes of unknown kinds ignored ([`Pipeline::unknown_kinds`]).
    unknown_kinds: AtomicU64,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("community", &self.community.as_ref().map(|c| c.id))
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// A pipeline for `community` (none: nothing is accepted) over `store`, announcing
    /// accepted envelopes on `events`. Spawns the group-commit flusher on the current
    /// tokio runtime.
    pub fn new(
        store: Arc<dyn Store>,
        community: Option<Community>,
        events: broadcast::Sender<Event>,
    ) -> Result<Arc<Pipeline>, StoreError> {
        let (flush, rx) = mpsc::channel(FLUSH_QUEUE);
        tokio::spawn(group_commit(store.clone(), rx));
        let p = Pipeline {
            store,
            community,
            state: Mutex::new(State {
                roots: TrustView::default(),
                roots_at: 0,
                peers: RateLimiter::new(PEER_RATE_PER_SEC, PEER_BURST, MAX_TRACKED_KEYS),
                authors: RateLimiter::new(AUTHOR_RATE_PER_SEC, AUTHOR_BURST, MAX_TRACKED_KEYS),
            }),
            flush,
            events,
            generation: AtomicU64::new(0),
            trust_changes: AtomicU64::new(0),
            unknown_kinds: AtomicU64::new(0),
        };
        p.reload_trust()?;
        Ok(Arc::new(p))
    }

    /// The community served, if any.
    pub fn community(&self) -> Option<&Community> {
        self.community.as_ref()
    }

    /// The store behind the pipeline.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Changes whenever an envelope is accepted: lets readers cache derived views.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    /// Rebuild the roots' trust view from the stored trust lists.
    pub fn reload_trust(&self) -> Result<(), StoreError> {
        let Some(c) = &self.community else {
            return Ok(());
        };
        // The node's one ingest task runs batches one after another, so reloads do not
        // overlap there. Should two callers of this library overlap anyway, the view
        // built from the later reading of the store wins, whichever finishes last.
        let at = self.trust_changes.load(Ordering::Acquire);
        let lists = self.store.by_kind(aviso_protocol::Kind::TrustList)?;
        let view = TrustView::build(&c.roots, &lists, crate::unix_now());
        let mut st = self.lock();
        if at >= st.roots_at {
            st.roots = view;
            st.roots_at = at;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the limiter or view half-updated in
        // a way that matters, so recover the guard rather than propagate the poison.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Run `bytes` through every check and, if it passes, store it durably.
    pub async fn ingest(self: &Arc<Self>, bytes: &[u8], source: Source) -> Outcome {
        let mut out = self.ingest_batch(vec![(bytes.to_vec(), source)]).await;
        out.pop().unwrap_or(Outcome::Ignored {
            reason: "internal: no outcome".into(),
        })
    }

    /// Run a batch through the checks **in order** (a trust list early in the batch
    /// authorizes the alerts after it), then make the accepted ones durable with one flush
    /// (group commit). Signature checks run on a blocking thread, off the async workers.
    pub async fn ingest_batch(self: &Arc<Self>, items: Vec<(Vec<u8>, Source)>) -> Vec<Outcome> {
        self.judge_batch(items)
            .await
            .into_iter()
            .map(|j| j.outcome)
            .collect()
    }

    /// [`Pipeline::ingest_batch`], with each envelope's expiry beside its outcome.
    pub async fn judge_batch(self: &Arc<Self>, items: Vec<(Vec<u8>, Source)>) -> Vec<Judged> {
        let me = self.clone();
        let names: Vec<&'static str> = items.iter().map(|(_, s)| s.name()).collect();
        let (now, now_ms) = (crate::unix_now(), crate::unix_now_ms());
        let admitted =
            tokio::task::spawn_blocking(move || me.admit_batch(&items, now, now_ms)).await;
        let mut judged = match admitted {
            Ok(o) => o,
            Err(e) => {
                let ignored = Outcome::Ignored {
                    reason: format!("internal: {e}"),
                };
                return names
                    .iter()
                    .map(|_| Judged::new(ignored.clone(), None))
                    .collect();
            }
        };
        if judged
            .iter()
            .any(|j| matches!(j.outcome, Outcome::Accepted { .. }))
            && let Err(e) = self.flush().await
        {
            for j in judged
                .iter_mut()
                .filter(|j| matches!(j.outcome, Outcome::Accepted { .. }))
            {
                j.outcome = Outcome::Ignored {
                    reason: e.to_string(),
                };
            }
            return judged;
        }
        for (j, source) in judged.iter().zip(names) {
            if let Outcome::Accepted { id, kind } = &j.outcome {
                self.generation.fetch_add(1, Ordering::Relaxed);
                let _ = self.events.send(Event::Accepted {
                    id: *id,
                    kind: *kind,
                    source,
                });
            }
        }
        judged
    }

    /// Every check, then inserts that are not yet durable (`Accepted` here means
    /// "inserted"; [`Pipeline::ingest_batch`] flushes before anyone is told). In order,
    /// with the pure work spread over the machine's cores: decoding before the cheap
    /// ordered checks, then the signature checks and the store's work ahead of each
    /// insert ([`Store::prepare`]: the encrypted store's sealing) before the ordered
    /// relay rule and inserts.
    pub fn admit_batch(&self, items: &[(Vec<u8>, Source)], now: u64, now_ms: u64) -> Vec<Judged> {
        let decoded = on_cores(items, |(bytes, _)| Envelope::decode(bytes));
        let staged: Vec<Result<Envelope, Judged>> = decoded
            .into_iter()
            .zip(items)
            .map(|(d, (bytes, s))| self.precheck(d, bytes, *s, now, now_ms))
            .collect();
        let checked = on_cores(&staged, |s| {
            let env = s.as_ref().ok()?;
            Some(match env.verify() {
                Ok(()) => Ok(self.store.prepare(env, now)),
                Err(e) => Err(e.to_string()),
            })
        });
        staged
            .into_iter()
            .zip(checked)
            .zip(items)
            .map(|((staged, checked), (_, source))| match (staged, checked) {
                (Err(judged), _) => judged,
                (Ok(env), Some(Err(reason))) => {
                    Judged::new(Outcome::Rejected { reason }, Some(env.expires_at()))
                }
                (Ok(env), prepared) => {
                    let expires_at = Some(env.expires_at());
                    let prepared = prepared.and_then(Result::ok).unwrap_or_default();
                    Judged::new(
                        self.authorize_and_insert(env, prepared, *source, now, now_ms),
                        expires_at,
                    )
                }
            })
            .collect()
    }

    /// The checks that cost less than a signature, on a decoded envelope: community,
    /// time, dedup, and the per-peer limit that protects the signature check from floods.
    fn precheck(
        &self,
        decoded: Result<Envelope, aviso_protocol::DecodeError>,
        bytes: &[u8],
        source: Source,
        now: u64,
        now_ms: u64,
    ) -> Result<Envelope, Judged> {
        let Some(community) = &self.community else {
            return Err(Judged::new(
                Outcome::Ignored {
                    reason: "this node has not joined a community".into(),
                },
                None,
            ));
        };
        let env = decoded.map_err(|e| {
            let outcome = match e {
                DecodeError::UnknownKind { tag } => {
                    self.unknown_kind(bytes, tag, community, source, now_ms)
                }
                e => Outcome::Rejected {
                    reason: e.to_string(),
                },
            };
            Judged::new(outcome, None)
        })?;
        let judged = |outcome| Judged::new(outcome, Some(env.expires_at()));
        if env.community() != community.id {
            return Err(judged(Outcome::Rejected {
                reason: "signed for another community".into(),
            }));
        }
        if let Err(e) = env.check_time(now) {
            return Err(judged(Outcome::Ignored {
                reason: e.to_string(),
            }));
        }
        match self.store.contains(&env.id()) {
            Ok(true) => return Err(judged(Outcome::Duplicate { id: env.id() })),
            Ok(false) => {}
            Err(e) => {
                return Err(judged(Outcome::Ignored {
                    reason: format!("store unavailable: {e}"),
                }));
            }
        }
        if let Source::Gossip(peer) | Source::Stem(peer) = source
            && !self.lock().peers.check(&peer, now_ms)
        {
            return Err(judged(Outcome::Throttled {
                reason: "peer over its rate limit".into(),
                limit: Limit::Peer,
            }));
        }
        Ok(env)
    }

    /// An envelope of a kind this node does not know (`tag`), from a newer node: ignored
    /// without penalty (not stored, not forwarded) when its header is well-formed, its
    /// community ours and its signature good, so that today's nodes never punish the
    /// first nodes that send a new kind. Anything else about it is the sender's fault.
    /// The per-peer limit runs first, as for known kinds: it protects the signature check.
    fn unknown_kind(
        &self,
        bytes: &[u8],
        tag: u32,
        community: &Community,
        source: Source,
        now_ms: u64,
    ) -> Outcome {
        if let Source::Gossip(peer) | Source::Stem(peer) = source
            && !self.lock().peers.check(&peer, now_ms)
        {
            return Outcome::Throttled {
                reason: "peer over its rate limit".into(),
                limit: Limit::Peer,
            };
        }
        match verify_header(bytes) {
            Ok(h) if h.community == community.id => {
                self.unknown_kinds.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(tag, "ignored an envelope of an unknown kind");
                Outcome::Ignored {
                    reason: format!("unknown kind {tag} (from a newer version?)"),
                }
            }
            Ok(_) => Outcome::Rejected {
                reason: "signed for another community".into(),
            },
            Err(e) => Outcome::Rejected {
                reason: e.to_string(),
            },
        }
    }

    /// Envelopes of unknown kinds ignored so far (well-formed and well signed: from newer
    /// nodes). See `docs/protocol.md`, "Unknown kinds".
    pub fn unknown_kinds(&self) -> u64 {
        self.unknown_kinds.load(Ordering::Relaxed)
    }

    /// Whether a cancel, all-clear or retraction this node holds ends the alert `alert`
    /// or a later version of its thread (following at most [`MAX_UPDATE_HOPS`] updates):
    /// a response to it is then not relayed. The relay rule's view: the display rule
    /// judges the enders' authority itself.
    fn alert_ended(&self, alert: &Id) -> bool {
        let mut todo = vec![*alert];
        let mut seen = std::collections::HashSet::new();
        while let Some(id) = todo.pop() {
            if !seen.insert(id) || seen.len() > MAX_UPDATE_HOPS {
                continue;
            }
            for r in self.store.referencing(&id).unwrap_or_default() {
                let Ok(Some(env)) = self.store.get(&r) else {
                    continue;
                };
                if response::ends(&env, &id) {
                    return true;
                }
                if let aviso_protocol::Body::Alert(a) = env.body()
                    && a.msg_type == aviso_protocol::MsgType::Update
                {
                    todo.push(env.id());
                }
            }
        }
        false
    }

    /// Relay rule, per-author limit and insert, for an envelope whose signature is good.
    /// Runs in arrival order, so a trust list authorizes the envelopes after it.
    fn authorize_and_insert(
        &self,
        env: Envelope,
        prepared: Prepared,
        source: Source,
        now: u64,
        now_ms: u64,
    ) -> Outcome {
        let Some(community) = &self.community else {
            return Outcome::Ignored {
                reason: "this node has not joined a community".into(),
            };
        };
        // A retraction or endorsement is judged against the message it names, when held.
        let target = match env.body() {
            aviso_protocol::Body::Retraction(r) => self.store.get(&r.target).ok().flatten(),
            aviso_protocol::Body::Endorsement(e) => self.store.get(&e.alert).ok().flatten(),
            aviso_protocol::Body::Response(r) => self.store.get(&r.alert).ok().flatten(),
            _ => None,
        };
        if let aviso_protocol::Body::Response(r) = env.body()
            && target.is_some()
            && self.alert_ended(&r.alert)
        {
            return Outcome::Ignored {
                reason: Reason::AlertNotLive.to_string(),
            };
        }
        let quota = {
            let mut st = self.lock();
            // First seen now: a revoked key's envelope arriving after its revocation
            // counts as made now, whatever its `created_at` says (backdating).
            let verdict = relay_verdict_seen(
                &env,
                community.id,
                &st.roots,
                target.as_ref(),
                now,
                Some(now),
            );
            if !verdict.is_ok() {
                return Outcome::Ignored {
                    reason: verdict.to_string(),
                };
            }
            if source != Source::Local && !st.authors.check(&env.author(), now_ms) {
                return Outcome::Throttled {
                    reason: "author over its rate limit".into(),
                    limit: Limit::Author,
                };
            }
            crate::quota::quota_for(&env, &st.roots, now)
        };
        // Recording the first sighting now: without it the display rule judges by
        // `created_at` alone, as before (a failure is logged by the store).
        match self.store.insert_prepared(&env, quota, now, prepared) {
            Ok(Inserted::Stored) if env.kind() == Kind::TrustList => {
                self.trust_changes.fetch_add(1, Ordering::AcqRel);
            }
            Ok(Inserted::Stored) => {}
            // A copy earlier in the same batch got in first.
            Ok(Inserted::Duplicate) => return Outcome::Duplicate { id: env.id() },
            // Not the forwarding peer's fault: ignored, like the rate limits.
            Ok(Inserted::OverQuota(used)) => {
                return Outcome::Ignored {
                    reason: format!(
                        "author over its storage quota ({} envelopes, {} bytes stored)",
                        used.envelopes, used.bytes
                    ),
                };
            }
            Err(e) => {
                return Outcome::Ignored {
                    reason: format!("store write failed: {e}"),
                };
            }
        }
        if env.kind() == Kind::TrustList
            && let Err(e) = self.reload_trust()
        {
            tracing::warn!(error = %e, "cannot reload trust lists");
        }
        tracing::debug!(id = %env.id().short(), kind = env.kind().as_str(), source = source.name(), "accepted");
        Outcome::Accepted {
            id: env.id(),
            kind: env.kind(),
        }
    }

    /// Wait until everything inserted so far is on disk. Concurrent callers share one
    /// flush (group commit).
    pub async fn flush(&self) -> Result<(), FlushError> {
        let (tx, rx) = oneshot::channel();
        self.flush.send(tx).await.map_err(|_| FlushError::Stopped)?;
        rx.await.map_err(|_| FlushError::Stopped)?
    }
}

/// Below this many items a batch's pure work (decoding, signature checks) runs on the
/// calling thread: starting threads costs more than it saves.
const PARALLEL_MIN: usize = 16;

/// `f` of every item, in order, on up to as many threads as the machine has cores.
/// Nothing `f` is given to do may panic (it is peer input); should it anyway, the panic
/// goes on to the caller, as on one thread.
fn on_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if items.len() < PARALLEL_MIN || threads < 2 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let mut parts = items.chunks(chunk);
        // The calling thread takes the first part itself.
        let first = parts.next().unwrap_or_default();
        let others: Vec<_> = parts
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out: Vec<R> = first.iter().map(f).collect();
        for h in others {
            out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        out
    })
}

/// Flush once for every group of waiting inserts.
async fn group_commit(store: Arc<dyn Store>, mut rx: mpsc::Receiver<FlushWaiter>) {
    while let Some(first) = rx.recv().await {
        let mut waiters = vec![first];
        while let Ok(w) = rx.try_recv() {
            waiters.push(w);
        }
        let s = store.clone();
        let result = match tokio::task::spawn_blocking(move || s.flush()).await {
            Ok(r) => r.map_err(|e| FlushError::Store(e.to_string())),
            Err(e) => Err(FlushError::Store(format!("the flush task failed: {e}"))),
        };
        for w in waiters {
            let _ = w.send(result.clone());
        }
    }
}
