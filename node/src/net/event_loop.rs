//! The event loop: the only code that touches the `Swarm`.
//!
//! One `select!` over swarm events, commands from [`Client`]s, results of ingest tasks and
//! a one-second tick (bootstrap redials, publish retries, score checks). Envelope
//! validation runs on one ingest task, in arrival order (a trust list is judged before the
//! alerts it authorizes), in batches that share one flush, fed by two bounded queues: one
//! for gossip and local publishes, one for the batches that catch-up sessions fetch
//! (see [`sync::Ingest`]). The swarm never waits for a signature check or a disk write.
//!
//! Two kinds of load are bounded here with help from their own modules: gossip dropped
//! for load triggers catch-up from other peers (a timer in the `select!`, see
//! [`super::load`]), and answers to peers' sync and fetch requests hold memory only
//! within the budgets of [`super::serve`], from the request until request-response has
//! written the answer or given up on it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::transport::Boxed;
use libp2p::request_response::{self, InboundRequestId, OutboundRequestId, ResponseChannel};
use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{ConnectionId, DialError, SwarmEvent};
use libp2p::{
    Multiaddr, PeerId, Swarm, gossipsub, identify, identity, mdns, noise, ping, tcp, yamux,
};
use tokio::sync::{Semaphore, broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tracing::{debug, info, warn};

use super::audit::{Change, MeshAudit};
use super::behaviour::{
    self, BehaviourConfig, GRAYLIST_THRESHOLD, GossipTuning, KAD_PROTOCOL, NodeBehaviour,
    NodeBehaviourEvent,
};
use super::client::{Client, Command, NetError, NetStatus, PeerInfo};
use super::helpful::Helpful;
use super::load::LoadCatchUp;
use super::reach::{Reach, ReachConfig};
use super::serve::ServeLedger;
use super::stem::{Stem, StemConfig};
use super::sync::{
    self, Fetched, INGEST_QUEUE, Ingest, MAX_SESSIONS, Proto, Request, Requester, SYNC_PROTOCOL,
    SyncError, SyncServer, SyncStats,
};
use crate::net::Event;
use crate::pipeline::{Limit, Outcome, Pipeline, Source};

mod stem_glue;

/// Envelopes queued for validation. Beyond this, gossip is ignored (not penalized)
/// rather than queued, so a flood cannot grow memory; catch-up (see [`super::load`])
/// recovers anything real.
pub const MAX_INGEST_QUEUE: usize = 1_024;
/// Most envelopes validated in one batch (one flush). Bounds the latency a batch adds.
pub const MAX_INGEST_BATCH: usize = 256;
/// Commands queued from clients before senders wait.
pub const COMMAND_QUEUE: usize = 64;
/// Local publishes kept for retry while no peer is subscribed yet (e.g. just after start).
pub const MAX_PUBLISH_RETRIES: usize = 256;
/// How long a local publish is retried before sync is left to deliver it.
pub const PUBLISH_RETRY_FOR: Duration = Duration::from_secs(600);
/// Longest wait between dials to a bootstrap peer that is down.
pub const MAX_BOOTSTRAP_BACKOFF: Duration = Duration::from_secs(60);
/// How long a peer that fell below the graylist score stays blocked.
pub const BLOCK_FOR: Duration = Duration::from_secs(600);
/// Sync and fetch answers computed at once; more admitted requests wait their turn (how
/// many may wait, and the memory their answers hold, is bounded by [`super::serve`]).
/// Two: the machines nodes run on have two cores or so, so more would not answer faster,
/// and concurrent reads grow sled's memory far past its cache capacity (reading 186 MB
/// once: about 70 MiB resident from one thread, 80 from two, 120 from four, over 200
/// from eight).
pub const MAX_SYNC_SERVING: usize = 2;
/// Gossip envelopes one peer may send past its own rate limit between two score checks
/// (every 5 s), in two checks in a row, before it is disconnected and blocked like a
/// peer with a bad score. Past its limit a peer has sent more than `PEER_RATE_PER_SEC`
/// (200/s) sustained after a burst of 1,000, which no honest relay of alerts does; 200
/// more is one more second of it, and two checks in a row make it a flood of 5 to 10 s
/// rather than one burst. Needed because unauthorized envelopes (well signed by an
/// untrusted key) are ignored without a gossipsub penalty, so scoring alone never
/// disconnects their flooder.
pub const FLOOD_BLOCK_THROTTLES: u32 = 200;
/// Shortest time between two reconciliations started because a peer outside our mesh
/// brought an envelope first. A mesh taken over by black holes makes every envelope
/// come that way; one session per five seconds catches up on what it missed (a session
/// fetches everything missing) without a session per envelope.
pub const MESH_MISS_SYNC_EVERY: Duration = Duration::from_secs(5);
/// New envelopes in a row that must come first from outside our mesh before we reconcile
/// for a mesh miss. One is no evidence: an IHAVE answered at once often beats a long
/// mesh path, and at 1,000 nodes reconciling after each such race cost 0.18× the
/// envelope per node per alert for 5 envelopes of 19,980 it brought. A mesh of black
/// holes misses every envelope, so two in a row still finds it.
pub const MESH_MISSES_BEFORE_SYNC: u32 = 2;
/// Peers whose last sync result is remembered for `status`.
pub const MAX_SYNC_STATS: usize = 256;

/// Network settings of a node.
#[derive(Debug, Clone)]
pub struct NetConfig {
    /// Addresses to listen on.
    pub listen: Vec<Multiaddr>,
    /// Peers to connect to and keep connected (with `/p2p/` ids).
    pub bootstrap: Vec<Multiaddr>,
    /// Discover peers on the LAN.
    pub mdns: bool,
    /// Most connections in each direction.
    pub max_peers: u32,
    /// How long an idle connection stays open. Must be well above a minute so peers
    /// outside the gossip mesh are not dropped.
    pub idle_timeout: Duration,
    /// How often to reconcile with one connected peer (besides on every new connection).
    pub sync_interval: Duration,
    /// Gossipsub mesh and gossip settings.
    pub gossip: GossipTuning,
    /// Reachability: relay, hole punching, AutoNAT, UPnP, discovery, overlay target.
    pub reach: ReachConfig,
    /// Private publishing of own envelopes (see [`super::stem`]).
    pub stem: StemConfig,
    /// Speak `/aviso/sync/2` (see [`super::sync2`]) besides `/aviso/sync/1`. Always on in
    /// the daemon; off only to stand in for a node of an older version in tests.
    pub sync2: bool,
}

impl Default for NetConfig {
    fn default() -> Self {
        Self {
            listen: vec![],
            bootstrap: vec![],
            mdns: false,
            max_peers: 64,
            idle_timeout: Duration::from_secs(300),
            sync_interval: Duration::from_secs(300),
            gossip: GossipTuning::default(),
            reach: ReachConfig::default(),
            stem: StemConfig::default(),
            sync2: true,
        }
    }
}

/// Why the network could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpawnError {
    /// Building the transport or behaviour failed.
    #[error("cannot build the libp2p swarm: {0}")]
    Build(String),
    /// A listen address could not be used.
    #[error(
        "cannot listen on {addr}: {why} (is another node using this port? set `listen` in the config)"
    )]
    Listen {
        /// The address.
        addr: String,
        /// Why.
        why: String,
    },
}

/// Where the answer to one of our sync or fetch requests goes.
type Reply = oneshot::Sender<Result<Vec<u8>, SyncError>>;

struct Job {
    bytes: Vec<u8>,
    source: Source,
    reply: JobReply,
}

enum JobReply {
    Gossip(gossipsub::MessageId),
    Local(oneshot::Sender<Outcome>),
    Stem,
}

/// Validate queued envelopes in order, a batch at a time, and report back to the loop
/// (gossip, local publishes) or to the session that fetched them. The one door into the
/// pipeline: nothing else in the node calls it, so batches never overlap. Ends when the
/// loop drops its queue of jobs (a fetched batch still queued is then dropped, and its
/// session ends).
async fn ingest_worker(
    pipeline: Arc<Pipeline>,
    mut jobs: mpsc::Receiver<Job>,
    mut fetched: mpsc::Receiver<Fetched>,
    done: mpsc::Sender<Done>,
) {
    loop {
        // Neither queue goes first: gossip under a flood must not starve the catch-up
        // that recovers what the flood pushed out, nor catch-up delay fresh alerts.
        let first = tokio::select! {
            job = jobs.recv() => match job {
                Some(job) => job,
                None => return,
            },
            Some(batch) = fetched.recv() => {
                let items = batch
                    .envelopes
                    .into_iter()
                    .map(|b| (b, Source::Sync(batch.peer)))
                    .collect();
                let _ = batch.reply.send(pipeline.ingest_batch(items).await);
                continue;
            }
        };
        let mut batch = vec![first];
        while batch.len() < MAX_INGEST_BATCH {
            match jobs.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let items = batch.iter().map(|j| (j.bytes.clone(), j.source)).collect();
        let judged = pipeline.judge_batch(items).await;
        for (job, judged) in batch.into_iter().zip(judged) {
            let msg = match (job.reply, job.source) {
                (JobReply::Gossip(message_id), Source::Gossip(peer)) => Done::Gossip {
                    message_id,
                    peer,
                    outcome: judged.outcome,
                },
                (JobReply::Local(reply), _) => Done::Local {
                    bytes: job.bytes,
                    expires_at: judged.expires_at,
                    outcome: judged.outcome,
                    reply,
                },
                (JobReply::Stem, Source::Stem(peer)) => Done::Stem {
                    peer,
                    bytes: job.bytes,
                    expires_at: judged.expires_at,
                    outcome: judged.outcome,
                },
                (JobReply::Gossip(_) | JobReply::Stem, _) => continue,
            };
            if done.send(msg).await.is_err() {
                return;
            }
        }
    }
}

enum Done {
    Gossip {
        message_id: gossipsub::MessageId,
        peer: PeerId,
        outcome: Outcome,
    },
    Local {
        bytes: Vec<u8>,
        /// The envelope's expiry, as the pipeline decoded it.
        expires_at: Option<u64>,
        outcome: Outcome,
        reply: oneshot::Sender<Outcome>,
    },
    Synced {
        peer: PeerId,
        stats: SyncStats,
    },
    /// An envelope a peer handed us by stem was judged.
    Stem {
        peer: PeerId,
        bytes: Vec<u8>,
        expires_at: Option<u64>,
        outcome: Outcome,
    },
    /// An answer to a peer's request is computed (`None`: it failed; refuse).
    Respond {
        proto: Proto,
        request_id: InboundRequestId,
        channel: ResponseChannel<Vec<u8>>,
        answer: Option<Vec<u8>>,
    },
}

struct Bootstrap {
    /// Every known address of the peer, dialled together in one attempt: dialled one by
    /// one, a live TCP address was refused ("dial is in progress") while a dial to a dead
    /// QUIC address hung, and joining took 8 to 33 s.
    addrs: Vec<Multiaddr>,
    peer: Option<PeerId>,
    next: Instant,
    backoff: Duration,
}

/// Owns the swarm. Run with [`spawn`].
///
/// Every collection here is bounded, by a constant or by something that is: the
/// connection limits of [`NetConfig::max_peers`] bound the per-peer maps, which lose a
/// peer's entry when its last connection closes.
pub struct EventLoop {
    /// The libp2p swarm; only this loop touches it.
    swarm: Swarm<NodeBehaviour>,
    /// Commands from [`Client`]s; at most [`COMMAND_QUEUE`] wait.
    commands: mpsc::Receiver<Command>,
    /// The validation pipeline, shared with the ingest task, the sync server and the API.
    pipeline: Arc<Pipeline>,
    /// The community's gossip topic; `None` before the node joins a community.
    topic: Option<gossipsub::IdentTopic>,
    /// Where [`Event`]s are broadcast (the API's event stream, tests); a slow listener
    /// misses events rather than holding memory (the channel's own capacity).
    events: broadcast::Sender<Event>,
    /// Cloned into the ingest task and spawned tasks (sessions, answers) to report back.
    done_tx: mpsc::Sender<Done>,
    /// Their reports; at most [`MAX_INGEST_QUEUE`] plus [`COMMAND_QUEUE`] wait.
    done_rx: mpsc::Receiver<Done>,
    /// Gossip and local publishes for the ingest task; at most [`MAX_INGEST_QUEUE`]
    /// wait (gossip beyond is ignored, local publishes wait for room).
    jobs: mpsc::Sender<Job>,
    /// What catch-up sessions fetch, for the same ingest task; at most
    /// [`sync::INGEST_QUEUE`] batches of at most [`sync::FETCH_BATCH`] wait.
    ingest: Ingest,
    /// The ingest task, awaited at shutdown so queued envelopes reach the disk.
    worker: JoinHandle<()>,
    /// The configured bootstrap peers and their redial schedule: one entry per
    /// configured address (or peer), never more.
    bootstrap: Vec<Bootstrap>,
    /// Our own envelopes waiting for a subscribed peer, with when to give up: at most
    /// [`MAX_PUBLISH_RETRIES`], the oldest dropped first.
    retries: VecDeque<(Vec<u8>, Instant)>,
    /// The remote address of each connected peer, for `status`.
    addrs: HashMap<PeerId, Multiaddr>,
    /// The last ping round trip of each connected peer, for `status`.
    rtts: HashMap<PeerId, Duration>,
    /// Peers blocked for misbehaviour, and until when ([`BLOCK_FOR`] after blocking).
    /// At most the peers that connected within [`BLOCK_FOR`]: a peer is blocked while
    /// connected, and entries expire on the tick.
    blocked: HashMap<PeerId, Instant>,
    /// Ticks (seconds) since the loop started; spaces out the less frequent chores.
    ticks: u64,
    /// Cloned into sessions: sends their requests through this loop.
    requester: Requester,
    /// Requests from sessions; at most twice [`MAX_SESSIONS`] wait.
    requests: mpsc::Receiver<Request>,
    /// Our sync and fetch requests in flight, and where their answers go: at most one
    /// per session. Keyed by protocol too: the sync and fetch behaviours number their
    /// requests independently, so the same id can be in flight on both.
    pending: HashMap<(Proto, OutboundRequestId), Reply>,
    /// Peers we run a catch-up session with now: at most [`MAX_SESSIONS`].
    sessions: HashSet<PeerId>,
    /// Connected peers whose identify lists `/aviso/sync/1`: the only ones asked to sync.
    syncers: HashSet<PeerId>,
    /// Of those, the ones whose identify also lists `/aviso/sync/2`, if we speak it.
    syncers2: HashSet<PeerId>,
    /// Whether we speak `/aviso/sync/2` ([`NetConfig::sync2`]).
    sync2: bool,
    /// The last session's result per peer, for `status`: at most [`MAX_SYNC_STATS`], the
    /// oldest forgotten first.
    sync_stats: HashMap<PeerId, SyncStats>,
    /// Answers peers' sync and fetch requests from a cached snapshot of the store.
    server: Arc<SyncServer>,
    /// Answers computed at once: [`MAX_SYNC_SERVING`] permits.
    serving: Arc<Semaphore>,
    /// Answers to peers held in memory, from request to written, within the budgets of
    /// [`super::serve`].
    serve: ServeLedger<(Proto, InboundRequestId)>,
    /// Open connections this node dialed (the others were dialed by the peer): at most
    /// the connection limits.
    dialed: HashSet<ConnectionId>,
    /// How often to reconcile with one connected peer ([`NetConfig::sync_interval`]).
    sync_interval: Duration,
    /// When the last periodic session started.
    last_periodic_sync: Instant,
    /// Turns through connected peers for periodic and catch-up sessions.
    rotation: usize,
    /// Gossip dropped for load, and when to catch up on it (bounded by [`super::load`]).
    catch_up: LoadCatchUp,
    /// Whose catch-up answers brought envelopes we lacked: asked first in a round
    /// (bounded by [`super::helpful`], forgets disconnected peers).
    helpful: Helpful,
    /// Envelopes each peer sent past its rate limit since the last score check.
    over_limit: HashMap<PeerId, u32>,
    /// Peers past [`FLOOD_BLOCK_THROTTLES`] at the last score check.
    flooding: HashSet<PeerId>,
    reach: Reach,
    /// Private publishing: epoch choices and envelopes on fallback timers (bounded by
    /// [`super::stem::MAX_PENDING`]).
    stem: Stem,
    /// Mesh peers that never bring an envelope first (bounded by
    /// [`super::audit::MAX_AUDITED`]), and what to do about them.
    audit: MeshAudit,
    /// The gossip settings this node runs with.
    gossip: GossipTuning,
    /// When we last reconciled because our mesh missed an envelope.
    last_miss_sync: Option<Instant>,
    /// New envelopes in a row that came first from outside our mesh.
    mesh_misses: u32,
}

impl std::fmt::Debug for EventLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLoop")
            .field("peer_id", self.swarm.local_peer_id())
            .finish_non_exhaustive()
    }
}

/// Build the swarm, start listening, and run the event loop on a new task.
pub fn spawn(
    keypair: identity::Keypair,
    cfg: NetConfig,
    pipeline: Arc<Pipeline>,
    events: broadcast::Sender<Event>,
) -> Result<(Client, JoinHandle<()>), SpawnError> {
    let community = pipeline.community().map(|c| c.id);
    let bcfg = BehaviourConfig {
        mdns: cfg.mdns,
        max_peers: cfg.max_peers,
        community,
        gossip: cfg.gossip,
        reach: cfg.reach.clone(),
        sync2: cfg.sync2,
    };
    let idle = cfg.idle_timeout;
    let swarm = libp2p::SwarmBuilder::with_existing_identity(keypair)
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .map_err(|e| SpawnError::Build(e.to_string()))?
        .with_quic()
        .with_relay_client(noise::Config::new, yamux::Config::default)
        .map_err(|e| SpawnError::Build(e.to_string()))?
        .with_behaviour(|key, relay_client| {
            behaviour::build(key, &bcfg, relay_client).map_err(|e| Box::new(e) as Box<_>)
        })
        .map_err(|e| SpawnError::Build(e.to_string()))?
        .with_swarm_config(|c| c.with_idle_connection_timeout(idle))
        .build();
    let reach = Reach::new(cfg.reach.clone(), community, None);
    start(swarm, cfg, pipeline, events, reach)
}

/// Like [`spawn`], over a transport the caller built instead of TCP and QUIC: the
/// simulator's in-memory links with latency and loss (`aviso-sim`). The transport must
/// already be authenticated and multiplexed, as `Transport::upgrade(..).authenticate(..)
/// .multiplex(..).boxed()` makes it. Everything above the transport is what [`spawn`]
/// runs.
pub fn spawn_with_transport(
    keypair: identity::Keypair,
    cfg: NetConfig,
    pipeline: Arc<Pipeline>,
    events: broadcast::Sender<Event>,
    transport: Boxed<(PeerId, StreamMuxerBox)>,
) -> Result<(Client, JoinHandle<()>), SpawnError> {
    let bcfg = BehaviourConfig {
        mdns: cfg.mdns,
        max_peers: cfg.max_peers,
        community: pipeline.community().map(|c| c.id),
        gossip: cfg.gossip,
        reach: cfg.reach.clone(),
        sync2: cfg.sync2,
    };
    // No relayed dials over the caller's transport; its relay client behaviour still
    // needs the transport half alive (kept by `Reach`).
    let (relay_transport, relay_client) = libp2p::relay::client::new(keypair.public().to_peer_id());
    let behaviour = behaviour::build(&keypair, &bcfg, relay_client)
        .map_err(|e| SpawnError::Build(e.to_string()))?;
    let reach = Reach::new(cfg.reach.clone(), bcfg.community, Some(relay_transport));
    let swarm = Swarm::new(
        transport,
        behaviour,
        keypair.public().to_peer_id(),
        libp2p::swarm::Config::with_tokio_executor().with_idle_connection_timeout(cfg.idle_timeout),
    );
    start(swarm, cfg, pipeline, events, reach)
}

/// Listen, subscribe, and run the event loop over a built swarm on a new task.
fn start(
    mut swarm: Swarm<NodeBehaviour>,
    cfg: NetConfig,
    pipeline: Arc<Pipeline>,
    events: broadcast::Sender<Event>,
    reach: Reach,
) -> Result<(Client, JoinHandle<()>), SpawnError> {
    let community = pipeline.community().map(|c| c.id);
    for addr in &cfg.listen {
        swarm
            .listen_on(addr.clone())
            .map_err(|e| SpawnError::Listen {
                addr: addr.to_string(),
                why: e.to_string(),
            })?;
    }
    let topic = community.map(|c| behaviour::topic_for(&c));
    if let Some(t) = &topic {
        swarm
            .behaviour_mut()
            .gossipsub
            .subscribe(t)
            .map_err(|e| SpawnError::Build(format!("cannot subscribe: {e}")))?;
    }
    let now = Instant::now();
    // One entry per bootstrap peer with all its addresses (an address without a peer id
    // is an entry of its own).
    let mut bootstrap: Vec<Bootstrap> = Vec::new();
    for addr in &cfg.bootstrap {
        let peer = Client::peer_of(addr);
        if let Some(p) = peer {
            swarm.behaviour_mut().kad.add_address(&p, addr.clone());
        }
        match bootstrap
            .iter_mut()
            .find(|b| peer.is_some() && b.peer == peer)
        {
            Some(b) if !b.addrs.contains(addr) => b.addrs.push(addr.clone()),
            Some(_) => {}
            None => bootstrap.push(Bootstrap {
                addrs: vec![addr.clone()],
                peer,
                next: now,
                backoff: Duration::from_secs(1),
            }),
        }
    }
    let (tx, commands) = mpsc::channel(COMMAND_QUEUE);
    let (done_tx, done_rx) = mpsc::channel(MAX_INGEST_QUEUE + COMMAND_QUEUE);
    let (jobs, jobs_rx) = mpsc::channel(MAX_INGEST_QUEUE);
    let (fetched_tx, fetched_rx) = mpsc::channel(INGEST_QUEUE);
    let worker = tokio::spawn(ingest_worker(
        pipeline.clone(),
        jobs_rx,
        fetched_rx,
        done_tx.clone(),
    ));
    let client = Client {
        tx,
        events: events.clone(),
    };
    let (req_tx, requests) = mpsc::channel(MAX_SESSIONS * 2);
    let server = Arc::new(SyncServer::new(pipeline.clone()));
    let el = EventLoop {
        swarm,
        commands,
        pipeline,
        topic,
        events,
        done_tx,
        done_rx,
        jobs,
        ingest: Ingest(fetched_tx),
        worker,
        bootstrap,
        retries: VecDeque::new(),
        addrs: HashMap::new(),
        rtts: HashMap::new(),
        blocked: HashMap::new(),
        ticks: 0,
        requester: Requester(req_tx),
        requests,
        pending: HashMap::new(),
        sessions: HashSet::new(),
        syncers: HashSet::new(),
        syncers2: HashSet::new(),
        sync2: cfg.sync2,
        sync_stats: HashMap::new(),
        server,
        serving: Arc::new(Semaphore::new(MAX_SYNC_SERVING)),
        serve: ServeLedger::default(),
        dialed: HashSet::new(),
        sync_interval: cfg.sync_interval,
        last_periodic_sync: Instant::now(),
        rotation: 0,
        catch_up: LoadCatchUp::default(),
        helpful: Helpful::default(),
        over_limit: HashMap::new(),
        flooding: HashSet::new(),
        reach,
        stem: Stem::new(cfg.stem.clone()),
        audit: MeshAudit::new(cfg.gossip.audit_rounds),
        gossip: cfg.gossip,
        last_miss_sync: None,
        mesh_misses: 0,
    };
    Ok((client, tokio::spawn(el.run())))
}

impl EventLoop {
    async fn run(mut self) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut shutdown: Option<oneshot::Sender<()>> = None;
        loop {
            // Far enough never to fire when no round is due (the branch is disabled then).
            let catch_up_at = self
                .catch_up
                .deadline()
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
            let stem_at = self
                .stem
                .deadline()
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
            tokio::select! {
                ev = self.swarm.select_next_some() => self.on_swarm(ev),
                cmd = self.commands.recv() => match cmd {
                    Some(Command::Shutdown { reply }) => {
                        shutdown = Some(reply);
                        break;
                    }
                    Some(c) => self.on_command(c),
                    // Every client is gone: nobody can use this node any more.
                    None => break,
                },
                Some(done) = self.done_rx.recv() => self.on_done(done),
                Some(req) = self.requests.recv() => self.on_request(req),
                _ = tick.tick() => self.on_tick(),
                _ = tokio::time::sleep_until(catch_up_at.into()),
                    if self.catch_up.deadline().is_some() => self.catch_up_after_load(),
                _ = tokio::time::sleep_until(stem_at.into()),
                    if self.stem.deadline().is_some() => self.stem_fallbacks(),
            }
        }
        // Let queued envelopes reach the disk before we report that we are done.
        let EventLoop {
            jobs,
            worker,
            done_rx,
            pipeline,
            ..
        } = self;
        drop(jobs);
        drop(done_rx);
        let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
        if let Err(e) = pipeline.flush().await {
            warn!(error = %e, "final flush failed");
        }
        info!("network stopped");
        if let Some(reply) = shutdown {
            let _ = reply.send(());
        }
    }

    fn on_command(&mut self, cmd: Command) {
        match cmd {
            Command::Publish { bytes, reply } => {
                let jobs = self.jobs.clone();
                // Local publishes wait for room in the queue rather than being dropped.
                tokio::spawn(async move {
                    let job = Job {
                        bytes,
                        source: Source::Local,
                        reply: JobReply::Local(reply),
                    };
                    let _ = jobs.send(job).await;
                });
            }
            Command::Status { reply } => {
                let _ = reply.send(self.status());
            }
            Command::Dial { addr, reply } => {
                let r = self.dial(&addr).map_err(|why| NetError::Dial {
                    addr: addr.to_string(),
                    why: why.to_string(),
                });
                let _ = reply.send(r);
            }
            Command::SyncNow { reply } => {
                let peers: Vec<PeerId> = self.swarm.connected_peers().copied().collect();
                let started = peers.into_iter().filter(|p| self.start_session(*p)).count();
                let _ = reply.send(started);
            }
            Command::Shutdown { .. } => {}
        }
    }

    /// Start a catch-up session with `peer` unless one runs or too many do, or it does
    /// not speak `/aviso/sync/1` (by its identify protocol list).
    fn start_session(&mut self, peer: PeerId) -> bool {
        if self.pipeline.community().is_none()
            || !self.syncers.contains(&peer)
            || self.sessions.len() >= MAX_SESSIONS
            || !self.sessions.insert(peer)
        {
            return false;
        }
        let (requester, ingest, server, done) = (
            self.requester.clone(),
            self.ingest.clone(),
            self.server.clone(),
            self.done_tx.clone(),
        );
        let v2 = self.syncers2.contains(&peer);
        tokio::spawn(async move {
            let stats = sync::run_session(peer, requester, ingest, server, v2).await;
            let _ = done.send(Done::Synced { peer, stats }).await;
        });
        true
    }

    /// Reconcile with a few peers after gossip was dropped for load, when a round is due:
    /// the peer whose past answers were most often useful (ties: the best-scored, which
    /// delivered valid envelopes first) and one in rotation, leaving out the peers that
    /// were over their own rate limit (see [`super::helpful`]).
    fn catch_up_after_load(&mut self) {
        let Some(left_out) = self.catch_up.due(Instant::now()) else {
            return;
        };
        let gs = &self.swarm.behaviour().gossipsub;
        let candidates: Vec<(PeerId, f64)> = self
            .swarm
            .connected_peers()
            .filter(|p| !left_out.contains(p))
            .map(|p| (*p, gs.peer_score(p).unwrap_or(f64::MIN)))
            .collect();
        if candidates.is_empty() {
            debug!(
                left_out = left_out.len(),
                "no peer to catch up from after load drops"
            );
            return;
        }
        // Peers in a session now may have reconciled before the copy reached them: ask
        // the others, or try again when those sessions are over.
        let idle: Vec<(PeerId, f64)> = candidates
            .iter()
            .filter(|(p, _)| !self.sessions.contains(p))
            .copied()
            .collect();
        if idle.is_empty() {
            self.catch_up.retry(left_out, Instant::now());
            return;
        }
        self.rotation = self.rotation.wrapping_add(1);
        let chosen = self.helpful.choose(idle, self.rotation);
        debug!(
            peers = chosen.len(),
            left_out = left_out.len(),
            "catching up after load drops"
        );
        let started = chosen
            .into_iter()
            .filter(|p| self.start_session(*p))
            .count();
        if started == 0 {
            self.catch_up.retry(left_out, Instant::now());
        }
    }

    fn on_request(&mut self, req: Request) {
        let b = self.swarm.behaviour_mut();
        let id = match req.proto {
            Proto::Sync => b.sync.send_request(&req.peer, req.bytes),
            Proto::Fetch => b.fetch.send_request(&req.peer, req.bytes),
            Proto::Sync2 => b.sync2.send_request(&req.peer, req.bytes),
        };
        self.pending.insert((req.proto, id), req.reply);
    }

    fn on_rr(&mut self, proto: Proto, ev: request_response::Event<Vec<u8>, Vec<u8>>) {
        match ev {
            request_response::Event::Message {
                peer,
                connection_id,
                message,
            } => match message {
                request_response::Message::Request {
                    request_id,
                    request,
                    channel,
                } => {
                    // Dropping the channel refuses: the peer sees its stream closed.
                    let dialed = self.dialed.contains(&connection_id);
                    let key = (proto, request_id);
                    // A sync/2 Get is answered like a fetch, the rest like sync messages.
                    let class = match proto {
                        Proto::Sync2 => super::sync2::Sync2Request::budget_class(&request),
                        _ => proto,
                    };
                    let Some(budget) = self.serve.admit(key, class, peer, dialed, Instant::now())
                    else {
                        debug!(peer = %short(&peer), "sync request refused: no room for the answer");
                        return;
                    };
                    let (server, done) = (self.server.clone(), self.done_tx.clone());
                    let serving = self.serving.clone();
                    tokio::spawn(async move {
                        // Wait for a turn (in arrival order); skip the work if the peer's
                        // stream timed out or closed meanwhile.
                        let permit = serving.acquire_owned().await;
                        let answer = if permit.is_err() || !channel.is_open() {
                            None
                        } else {
                            let now = crate::unix_now();
                            let computed = tokio::task::spawn_blocking(move || match proto {
                                Proto::Sync => server.handle_sync(&request, now),
                                Proto::Fetch => server.handle_fetch_within(&request, now, budget),
                                Proto::Sync2 => {
                                    super::sync2::handle(&server, &request, now, budget)
                                }
                            })
                            .await;
                            match computed {
                                Ok(Ok(mut bytes)) => {
                                    // Held until the peer reads it: no spare capacity.
                                    bytes.shrink_to_fit();
                                    Some(bytes)
                                }
                                Ok(Err(e)) => {
                                    debug!(peer = %short(&peer), error = %e, "bad sync request");
                                    None
                                }
                                Err(e) => {
                                    warn!(error = %e, "sync handler failed");
                                    None
                                }
                            }
                        };
                        drop(permit);
                        let _ = done
                            .send(Done::Respond {
                                proto,
                                request_id,
                                channel,
                                answer,
                            })
                            .await;
                    });
                }
                request_response::Message::Response {
                    request_id,
                    response,
                } => {
                    if let Some(reply) = self.pending.remove(&(proto, request_id)) {
                        let _ = reply.send(Ok(response));
                    }
                }
            },
            request_response::Event::OutboundFailure {
                request_id, error, ..
            } => {
                if let Some(reply) = self.pending.remove(&(proto, request_id)) {
                    let _ = reply.send(Err(SyncError::Request(error.to_string())));
                }
            }
            // The answer is written, or never will be: its memory is free.
            request_response::Event::ResponseSent { request_id, .. }
            | request_response::Event::InboundFailure { request_id, .. } => {
                self.serve.closed((proto, request_id));
            }
        }
    }

    fn dial(&mut self, addr: &Multiaddr) -> Result<(), DialError> {
        let opts = match Client::peer_of(addr) {
            Some(p) => DialOpts::peer_id(p).addresses(vec![addr.clone()]).build(),
            None => DialOpts::unknown_peer_id().address(addr.clone()).build(),
        };
        self.swarm.dial(opts)
    }

    fn status(&self) -> NetStatus {
        let gs = &self.swarm.behaviour().gossipsub;
        let mesh: Vec<&PeerId> = gs.all_mesh_peers().collect();
        let mut peers: Vec<PeerInfo> = self
            .swarm
            .connected_peers()
            .map(|p| PeerInfo {
                peer_id: p.to_string(),
                address: self.addrs.get(p).map(|a| a.to_string()).unwrap_or_default(),
                in_mesh: mesh.contains(&p),
                score: gs.peer_score(p),
                rtt_ms: self.rtts.get(p).map(|d| d.as_millis() as u64),
                last_sync: self.sync_stats.get(p).cloned(),
                connection: match self.reach.is_direct(p) {
                    Some(false) => "relayed",
                    _ => "direct",
                }
                .to_owned(),
            })
            .collect();
        peers.sort_by(|a, b| a.peer_id.cmp(&b.peer_id));
        NetStatus {
            peer_id: self.swarm.local_peer_id().to_string(),
            listen_addrs: self.swarm.listeners().map(|a| a.to_string()).collect(),
            peers,
            sync_sessions: self.sessions.len(),
            gossip_load_drops: self.catch_up.drops(),
            catch_up_rounds: self.catch_up.rounds(),
            serving: self.serve.stats(),
            reachability: self.reach.status(&self.swarm),
        }
    }

    fn on_done(&mut self, done: Done) {
        match done {
            Done::Gossip {
                message_id,
                peer,
                outcome,
            } => {
                let acceptance = match &outcome {
                    Outcome::Accepted { kind, .. } => {
                        if *kind == aviso_protocol::Kind::TrustList {
                            // A new list may authorize envelopes we ignored earlier
                            // because they arrived first: fetch them from our peers.
                            let peers: Vec<PeerId> =
                                self.swarm.connected_peers().copied().collect();
                            for p in peers {
                                self.start_session(p);
                            }
                        }
                        self.audit_delivery(peer);
                        gossipsub::MessageAcceptance::Accept
                    }
                    Outcome::Rejected { reason } => {
                        debug!(peer = %short(&peer), %reason, "rejected gossip");
                        gossipsub::MessageAcceptance::Reject
                    }
                    Outcome::Throttled { limit, .. } => {
                        // Gossipsub keeps this message id as seen: fetch the envelope from
                        // other peers, or honest copies would be dropped as duplicates.
                        let flooder = (*limit == Limit::Peer).then_some(peer);
                        if flooder.is_some() {
                            *self.over_limit.entry(peer).or_default() += 1;
                        }
                        self.catch_up.dropped(flooder, Instant::now());
                        gossipsub::MessageAcceptance::Ignore
                    }
                    // Someone fluffed what we held on a stem timer: stored, but never
                    // gossiped by us, so pass it on like a new envelope (ignored, it
                    // would stop here and our mesh peers would miss this path).
                    Outcome::Duplicate { id } if self.stem_seen(id) => {
                        gossipsub::MessageAcceptance::Accept
                    }
                    Outcome::Duplicate { .. } => gossipsub::MessageAcceptance::Ignore,
                    Outcome::Ignored { .. } => gossipsub::MessageAcceptance::Ignore,
                };
                self.swarm
                    .behaviour_mut()
                    .gossipsub
                    .report_message_validation_result(&message_id, &peer, acceptance);
            }
            Done::Local {
                bytes,
                expires_at,
                outcome,
                reply,
            } => {
                if let (true, Some(expires_at)) = (outcome.is_stored(), expires_at) {
                    self.publish_own(&outcome, bytes, expires_at);
                }
                let _ = reply.send(outcome);
            }
            Done::Stem {
                peer,
                bytes,
                expires_at,
                outcome,
            } => self.on_stem_judged(peer, bytes, expires_at, outcome),
            Done::Synced { peer, stats } => {
                self.sessions.remove(&peer);
                if self.swarm.is_connected(&peer) {
                    self.helpful.answered(peer, stats.accepted > 0);
                }
                if stats.missing > 0 || stats.error.is_some() {
                    info!(
                        peer = %short(&peer), missing = stats.missing, accepted = stats.accepted,
                        rounds = stats.rounds, error = ?stats.error, "sync session done"
                    );
                }
                if stats.rejected > 0 {
                    // An honest node stores only valid envelopes: serving forgeries is hostile.
                    warn!(peer = %short(&peer), rejected = stats.rejected, "peer served invalid envelopes; blocking");
                    self.swarm.behaviour_mut().blocked.block_peer(peer);
                    self.blocked.insert(peer, Instant::now() + BLOCK_FOR);
                }
                if self.sync_stats.len() >= MAX_SYNC_STATS
                    && !self.sync_stats.contains_key(&peer)
                    && let Some(oldest) = self
                        .sync_stats
                        .iter()
                        .min_by_key(|(_, s)| s.at)
                        .map(|(p, _)| *p)
                {
                    self.sync_stats.remove(&oldest);
                }
                self.sync_stats.insert(peer, stats);
            }
            Done::Respond {
                proto,
                request_id,
                channel,
                answer,
            } => {
                let len = answer.as_ref().map_or(0, Vec::len);
                self.serve.answered((proto, request_id), len);
                // Without an answer the channel is dropped: the peer sees a refusal. If
                // sending fails, the stream is gone and `InboundFailure` frees the slot.
                if let Some(bytes) = answer {
                    let b = self.swarm.behaviour_mut();
                    let _ = match proto {
                        Proto::Sync => b.sync.send_response(channel, bytes),
                        Proto::Fetch => b.fetch.send_response(channel, bytes),
                        Proto::Sync2 => b.sync2.send_response(channel, bytes),
                    };
                }
            }
        }
    }

    /// Send our own envelope, expiring at `expires_at` (unix seconds), to the mesh; keep
    /// it for retry if nobody listens yet.
    fn gossip(&mut self, bytes: Vec<u8>, expires_at: u64) {
        let Some(topic) = self.topic.clone() else {
            return;
        };
        match self
            .swarm
            .behaviour_mut()
            .gossipsub
            .publish(topic, bytes.clone())
        {
            Ok(_) | Err(gossipsub::PublishError::Duplicate) => {}
            Err(e) => {
                debug!(error = %e, "publish deferred");
                if self.retries.len() >= MAX_PUBLISH_RETRIES {
                    self.retries.pop_front();
                }
                // Never retried past the envelope's own expiry: expired messages are not
                // relayed.
                let left_ms = expires_at
                    .saturating_mul(1000)
                    .saturating_sub(crate::unix_now_ms());
                let until = Instant::now() + PUBLISH_RETRY_FOR.min(Duration::from_millis(left_ms));
                self.retries.push_back((bytes, until));
            }
        }
    }

    fn retry_publishes(&mut self) {
        let now = Instant::now();
        let pending: Vec<(Vec<u8>, Instant)> = self.retries.drain(..).collect();
        let Some(topic) = self.topic.clone() else {
            return;
        };
        for (bytes, until) in pending {
            if until <= now {
                continue;
            }
            match self
                .swarm
                .behaviour_mut()
                .gossipsub
                .publish(topic.clone(), bytes.clone())
            {
                Ok(_) | Err(gossipsub::PublishError::Duplicate) => {}
                Err(_) => self.retries.push_back((bytes, until)),
            }
        }
    }

    fn on_tick(&mut self) {
        self.ticks += 1;
        let now = Instant::now();
        for i in 0..self.bootstrap.len() {
            let b = &self.bootstrap[i];
            let connected = b.peer.is_some_and(|p| self.swarm.is_connected(&p));
            if connected || b.next > now {
                continue;
            }
            let opts = match b.peer {
                Some(p) => DialOpts::peer_id(p).addresses(b.addrs.clone()).build(),
                None => DialOpts::unknown_peer_id()
                    .address(b.addrs[0].clone())
                    .build(),
            };
            if let Err(e) = self.swarm.dial(opts) {
                debug!(addrs = ?self.bootstrap[i].addrs, error = %e, "bootstrap dial failed");
            }
            let b = &mut self.bootstrap[i];
            b.next = now + b.backoff;
            b.backoff = (b.backoff * 2).min(MAX_BOOTSTRAP_BACKOFF);
        }
        let keep: HashSet<PeerId> = (self.bootstrap.iter().filter_map(|b| b.peer))
            .chain(self.sessions.iter().copied())
            .collect();
        self.reach.tick(&mut self.swarm, &keep);
        if !self.retries.is_empty() && self.ticks.is_multiple_of(2) {
            self.retry_publishes();
        }
        if self.ticks.is_multiple_of(5) {
            self.police_scores(now);
            let cleared = self.audit.expire(now);
            self.apply_audit(cleared);
            let lost = self.serve.expire(now);
            if lost > 0 {
                warn!(
                    slots = lost,
                    "released answers to peers that no stream event closed"
                );
            }
        }
        if self.last_periodic_sync.elapsed() >= self.sync_interval {
            self.last_periodic_sync = Instant::now();
            // Rotate through connected peers so every one is reconciled with in turn.
            let peers: Vec<PeerId> = self
                .swarm
                .connected_peers()
                .filter(|p| self.syncers.contains(p))
                .copied()
                .collect();
            if !peers.is_empty() {
                self.rotation = self.rotation.wrapping_add(1);
                self.start_session(peers[self.rotation % peers.len()]);
            }
        }
    }

    /// An envelope new to us came first from `source` by gossip: audit our mesh peers
    /// (see [`super::audit`]), and reconcile with `source` if it is outside our mesh.
    fn audit_delivery(&mut self, source: PeerId) {
        let Some(topic) = self.topic.as_ref().map(|t| t.hash()) else {
            return;
        };
        let mesh: Vec<PeerId> = self
            .swarm
            .behaviour()
            .gossipsub
            .mesh_peers(&topic)
            .copied()
            .collect();
        let now = Instant::now();
        let changes = self.audit.delivered(source, &mesh, now);
        self.apply_audit(changes);
        if mesh.contains(&source) {
            self.mesh_misses = 0;
            return;
        }
        self.mesh_misses = self.mesh_misses.saturating_add(1);
        if self.gossip.sync_on_mesh_miss
            && self.mesh_misses >= MESH_MISSES_BEFORE_SYNC
            && self
                .last_miss_sync
                .is_none_or(|t| now.duration_since(t) >= MESH_MISS_SYNC_EVERY)
            && self.start_session(source)
        {
            debug!(peer = %short(&source), "our mesh missed an envelope: reconciling");
            self.last_miss_sync = Some(now);
        }
    }

    fn apply_audit(&mut self, changes: Vec<Change>) {
        let gs = &mut self.swarm.behaviour_mut().gossipsub;
        for c in changes {
            let (peer, score) = match c {
                Change::Suspect(p) => (p, self.gossip.audit_score),
                Change::Cleared(p) => (p, 0.0),
            };
            debug!(peer = %short(&peer), score, "mesh audit");
            gs.set_application_score(&peer, score);
        }
    }

    /// Disconnect and block peers whose gossip score fell below the graylist threshold:
    /// gossipsub ignores them but never disconnects them by itself.
    fn police_scores(&mut self, now: Instant) {
        for p in self.swarm.connected_peers() {
            tracing::trace!(peer = %short(p), score = ?self.swarm.behaviour().gossipsub.peer_score(p), "score");
        }
        let flooding: HashSet<PeerId> = std::mem::take(&mut self.over_limit)
            .into_iter()
            .filter(|(_, n)| *n >= FLOOD_BLOCK_THROTTLES)
            .map(|(p, _)| p)
            .collect();
        let flooded_before = std::mem::replace(&mut self.flooding, flooding);
        let bad: Vec<PeerId> = self
            .swarm
            .connected_peers()
            .filter(|p| {
                self.swarm
                    .behaviour()
                    .gossipsub
                    .peer_score(p)
                    .is_some_and(|s| s < GRAYLIST_THRESHOLD)
                    || (self.flooding.contains(p) && flooded_before.contains(p))
            })
            .copied()
            .collect();
        for p in bad {
            warn!(peer = %short(&p), "blocking peer with a bad gossip score or flooding");
            self.swarm.behaviour_mut().blocked.block_peer(p);
            self.blocked.insert(p, now + BLOCK_FOR);
            // While it flooded, real envelopes may have been lost to us (seen but
            // crowded out, or never forwarded): reconcile with the other peers.
            self.catch_up.dropped(Some(p), now);
        }
        let expired: Vec<PeerId> = self
            .blocked
            .iter()
            .filter(|(_, until)| **until <= now)
            .map(|(p, _)| *p)
            .collect();
        for p in expired {
            self.blocked.remove(&p);
            self.swarm.behaviour_mut().blocked.unblock_peer(p);
        }
    }

    fn on_swarm(&mut self, ev: SwarmEvent<NodeBehaviourEvent>) {
        self.reach.observe(&mut self.swarm, &ev);
        match ev {
            SwarmEvent::NewListenAddr { address, .. } => info!(%address, "listening"),
            SwarmEvent::ConnectionEstablished {
                peer_id,
                connection_id,
                endpoint,
                num_established,
                ..
            } => {
                if endpoint.is_dialer() {
                    self.dialed.insert(connection_id);
                }
                self.addrs
                    .insert(peer_id, endpoint.get_remote_address().clone());
                for b in self
                    .bootstrap
                    .iter_mut()
                    .filter(|b| b.peer == Some(peer_id))
                {
                    b.backoff = Duration::from_secs(1);
                }
                if num_established.get() == 1 {
                    debug!(peer = %short(&peer_id), addr = %endpoint.get_remote_address(), "connected");
                    let _ = self.events.send(Event::PeerConnected { peer: peer_id });
                    // Catch-up starts when identify says the peer speaks sync.
                }
            }
            SwarmEvent::ConnectionClosed {
                connection_id,
                num_established,
                ..
            } if num_established > 0 => {
                self.dialed.remove(&connection_id);
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                connection_id,
                cause,
                ..
            } => {
                self.dialed.remove(&connection_id);
                debug!(peer = %short(&peer_id), cause = ?cause, "disconnected");
                self.addrs.remove(&peer_id);
                self.rtts.remove(&peer_id);
                self.syncers.remove(&peer_id);
                self.helpful.forget(&peer_id);
                self.syncers2.remove(&peer_id);
                self.stem.peer_gone(&peer_id);
                self.audit.disconnected(&peer_id);
                let _ = self.events.send(Event::PeerDisconnected { peer: peer_id });
            }
            SwarmEvent::OutgoingConnectionError { peer_id, error, .. } => {
                debug!(peer = ?peer_id.map(|p| short(&p)), error = %error, "dial failed");
            }
            SwarmEvent::Behaviour(NodeBehaviourEvent::Gossipsub(ev)) => self.on_gossip(ev),
            SwarmEvent::Behaviour(NodeBehaviourEvent::Reach(ev)) => {
                self.reach.on_event(&mut self.swarm, ev)
            }
            SwarmEvent::Behaviour(NodeBehaviourEvent::Sync(ev)) => self.on_rr(Proto::Sync, ev),
            SwarmEvent::Behaviour(NodeBehaviourEvent::Fetch(ev)) => self.on_rr(Proto::Fetch, ev),
            SwarmEvent::Behaviour(NodeBehaviourEvent::Sync2(ev)) => self.on_rr(Proto::Sync2, ev),
            SwarmEvent::Behaviour(NodeBehaviourEvent::Stem(ev)) => self.on_stem(ev),
            SwarmEvent::Behaviour(NodeBehaviourEvent::Identify(identify::Event::Received {
                peer_id,
                info,
                ..
            })) => {
                // Membership is decided by behaviour (the topic, the protocols, gossip
                // scoring), not by identify's free-text version: other libp2p
                // implementations (js-libp2p cannot set it) may join. See docs/protocol.md.
                self.reach.on_identify(&mut self.swarm, peer_id, &info);
                self.stem.speaks(
                    peer_id,
                    info.protocols.contains(&super::stem::STEM_PROTOCOL),
                );
                if info.protocols.contains(&KAD_PROTOCOL) {
                    let remote = self.addrs.get(&peer_id).cloned();
                    let usable = info
                        .listen_addrs
                        .into_iter()
                        .filter(|a| super::reach::usable_from(a, remote.as_ref()));
                    for addr in usable.take(16) {
                        self.swarm.behaviour_mut().kad.add_address(&peer_id, addr);
                    }
                }
                // Catch up with peers that can answer, once they said so.
                if self.sync2 && info.protocols.contains(&super::sync2::SYNC2_PROTOCOL) {
                    self.syncers2.insert(peer_id);
                }
                if info.protocols.contains(&SYNC_PROTOCOL) && self.syncers.insert(peer_id) {
                    self.start_session(peer_id);
                }
            }
            // A relay enabled later, or a new protocol: identify pushes the change.
            SwarmEvent::Behaviour(NodeBehaviourEvent::Identify(identify::Event::Pushed {
                peer_id,
                info,
                ..
            })) => self.reach.on_identify(&mut self.swarm, peer_id, &info),
            SwarmEvent::Behaviour(NodeBehaviourEvent::Mdns(mdns::Event::Discovered(list))) => {
                for (peer, addr) in list {
                    self.swarm
                        .behaviour_mut()
                        .kad
                        .add_address(&peer, addr.clone());
                    if !self.swarm.is_connected(&peer) {
                        let opts = DialOpts::peer_id(peer).addresses(vec![addr]).build();
                        let _ = self.swarm.dial(opts);
                    }
                }
            }
            SwarmEvent::Behaviour(NodeBehaviourEvent::Ping(ping::Event {
                peer,
                result: Ok(rtt),
                ..
            })) => {
                self.rtts.insert(peer, rtt);
            }
            _ => {}
        }
    }

    fn on_gossip(&mut self, ev: gossipsub::Event) {
        match ev {
            gossipsub::Event::Message {
                propagation_source,
                message_id,
                message,
            } => {
                let job = Job {
                    bytes: message.data,
                    source: Source::Gossip(propagation_source),
                    reply: JobReply::Gossip(message_id.clone()),
                };
                if self.jobs.try_send(job).is_err() {
                    // Saturated: drop without penalty, and catch up from our peers soon,
                    // since gossipsub now drops honest copies of it as duplicates. Not
                    // the sender's doing alone: every peer stays eligible to be asked.
                    self.catch_up.dropped(None, Instant::now());
                    self.swarm
                        .behaviour_mut()
                        .gossipsub
                        .report_message_validation_result(
                            &message_id,
                            &propagation_source,
                            gossipsub::MessageAcceptance::Ignore,
                        );
                }
            }
            gossipsub::Event::Subscribed { .. } if !self.retries.is_empty() => {
                self.retry_publishes();
            }
            _ => {}
        }
    }
}

/// A short peer id for logs.
fn short(p: &PeerId) -> String {
    let s = p.to_base58();
    s[s.len().saturating_sub(8)..].to_string()
}
