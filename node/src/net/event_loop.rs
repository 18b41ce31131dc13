//! The event loop: the only code that touches the `Swarm`.
//!
//! One `select!` over swarm events, commands from [`Client`]s, results of ingest tasks and
//! a one-second tick (bootstrap redials, publish retries, score checks). Envelope
//! validation runs on one ingest task, in arrival order (a trust list is judged before the
//! alerts it authorizes), in batches that share one flush, fed by a bounded queue; the
//! swarm never waits for a signature check or a disk write.
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
use libp2p::swarm::{ConnectionId, SwarmEvent};
use libp2p::{
    Multiaddr, PeerId, Swarm, gossipsub, identify, identity, mdns, noise, ping, tcp, yamux,
};
use tokio::sync::{Semaphore, broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tracing::{debug, info, warn};

use super::behaviour::{
    self, BehaviourConfig, GRAYLIST_THRESHOLD, KAD_PROTOCOL, NodeBehaviour, NodeBehaviourEvent,
};
use super::client::{Client, Command, NetError, NetStatus, PeerInfo};
use super::load::{CATCH_UP_PEERS, LoadCatchUp};
use super::reach::{Reach, ReachConfig};
use super::serve::ServeLedger;
use super::sync::{
    self, MAX_SESSIONS, Proto, Request, Requester, SYNC_PROTOCOL, SyncServer, SyncStats,
};
use crate::net::Event;
use crate::pipeline::{Limit, Outcome, Pipeline, Source};

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
    /// Reachability: relay, hole punching, AutoNAT, UPnP, discovery, overlay target.
    pub reach: ReachConfig,
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
            reach: ReachConfig::default(),
        }
    }
}

/// Why the network could not start.
#[derive(Debug, thiserror::Error)]
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
type Reply = oneshot::Sender<Result<Vec<u8>, String>>;

struct Job {
    bytes: Vec<u8>,
    source: Source,
    reply: JobReply,
}

enum JobReply {
    Gossip(gossipsub::MessageId),
    Local(oneshot::Sender<Outcome>),
}

/// Validate queued envelopes in order, a batch at a time, and report back to the loop.
async fn ingest_worker(
    pipeline: Arc<Pipeline>,
    mut jobs: mpsc::Receiver<Job>,
    done: mpsc::Sender<Done>,
) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_INGEST_BATCH {
            match jobs.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        let items = batch.iter().map(|j| (j.bytes.clone(), j.source)).collect();
        let outcomes = pipeline.ingest_batch(items).await;
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            let msg = match (job.reply, job.source) {
                (JobReply::Gossip(message_id), Source::Gossip(peer)) => Done::Gossip {
                    message_id,
                    peer,
                    outcome,
                },
                (JobReply::Local(reply), _) => Done::Local {
                    bytes: job.bytes,
                    outcome,
                    reply,
                },
                (JobReply::Gossip(_), _) => continue,
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
        outcome: Outcome,
        reply: oneshot::Sender<Outcome>,
    },
    Synced {
        peer: PeerId,
        stats: SyncStats,
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
pub struct EventLoop {
    swarm: Swarm<NodeBehaviour>,
    commands: mpsc::Receiver<Command>,
    pipeline: Arc<Pipeline>,
    topic: Option<gossipsub::IdentTopic>,
    events: broadcast::Sender<Event>,
    done_tx: mpsc::Sender<Done>,
    done_rx: mpsc::Receiver<Done>,
    jobs: mpsc::Sender<Job>,
    worker: JoinHandle<()>,
    bootstrap: Vec<Bootstrap>,
    retries: VecDeque<(Vec<u8>, Instant)>,
    addrs: HashMap<PeerId, Multiaddr>,
    rtts: HashMap<PeerId, Duration>,
    blocked: HashMap<PeerId, Instant>,
    ticks: u64,
    requester: Requester,
    requests: mpsc::Receiver<Request>,
    /// Keyed by protocol too: the sync and fetch behaviours number their requests
    /// independently, so the same id can be in flight on both.
    pending: HashMap<(Proto, OutboundRequestId), Reply>,
    sessions: HashSet<PeerId>,
    /// Connected peers whose identify lists `/aviso/sync/1`: the only ones asked to sync.
    syncers: HashSet<PeerId>,
    sync_stats: HashMap<PeerId, SyncStats>,
    server: Arc<SyncServer>,
    serving: Arc<Semaphore>,
    /// Answers to peers held in memory, from request to written.
    serve: ServeLedger<(Proto, InboundRequestId)>,
    /// Open connections this node dialed (the others were dialed by the peer).
    dialed: HashSet<ConnectionId>,
    sync_interval: Duration,
    last_periodic_sync: Instant,
    rotation: usize,
    catch_up: LoadCatchUp,
    reach: Reach,
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
        reach: cfg.reach.clone(),
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
        .with_behaviour(|key, relay_client| behaviour::build(key, &bcfg, relay_client))
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
        reach: cfg.reach.clone(),
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
    let worker = tokio::spawn(ingest_worker(pipeline.clone(), jobs_rx, done_tx.clone()));
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
        sync_stats: HashMap::new(),
        server,
        serving: Arc::new(Semaphore::new(MAX_SYNC_SERVING)),
        serve: ServeLedger::default(),
        dialed: HashSet::new(),
        sync_interval: cfg.sync_interval,
        last_periodic_sync: Instant::now(),
        rotation: 0,
        catch_up: LoadCatchUp::default(),
        reach,
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
                    why,
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
        let (requester, pipeline, server, done) = (
            self.requester.clone(),
            self.pipeline.clone(),
            self.server.clone(),
            self.done_tx.clone(),
        );
        tokio::spawn(async move {
            let stats = sync::run_session(peer, requester, pipeline, server).await;
            let _ = done.send(Done::Synced { peer, stats }).await;
        });
        true
    }

    /// Reconcile with a few peers after gossip was dropped for load, when a round is due:
    /// the best-scored peer (it delivered valid envelopes first) and one in rotation,
    /// leaving out the peers that were over their own rate limit.
    fn catch_up_after_load(&mut self) {
        let Some(left_out) = self.catch_up.due(Instant::now()) else {
            return;
        };
        let gs = &self.swarm.behaviour().gossipsub;
        let mut candidates: Vec<(PeerId, f64)> = self
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
        candidates = idle;
        candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut chosen = vec![candidates[0].0];
        let rest = &candidates[1..];
        if !rest.is_empty() {
            self.rotation = self.rotation.wrapping_add(1);
            chosen.extend(
                (0..CATCH_UP_PEERS - 1)
                    .map(|i| rest[(self.rotation + i) % rest.len()].0)
                    .take(rest.len()),
            );
        }
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
                    let Some(budget) = self.serve.admit(key, proto, peer, dialed, Instant::now())
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
                    let _ = reply.send(Err(error.to_string()));
                }
            }
            // The answer is written, or never will be: its memory is free.
            request_response::Event::ResponseSent { request_id, .. }
            | request_response::Event::InboundFailure { request_id, .. } => {
                self.serve.closed((proto, request_id));
            }
        }
    }

    fn dial(&mut self, addr: &Multiaddr) -> Result<(), String> {
        let opts = match Client::peer_of(addr) {
            Some(p) => DialOpts::peer_id(p).addresses(vec![addr.clone()]).build(),
            None => DialOpts::unknown_peer_id().address(addr.clone()).build(),
        };
        self.swarm.dial(opts).map_err(|e| e.to_string())
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
                },
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
                        self.catch_up.dropped(flooder, Instant::now());
                        gossipsub::MessageAcceptance::Ignore
                    }
                    Outcome::Duplicate { .. } | Outcome::Ignored { .. } => {
                        gossipsub::MessageAcceptance::Ignore
                    }
                };
                self.swarm
                    .behaviour_mut()
                    .gossipsub
                    .report_message_validation_result(&message_id, &peer, acceptance);
            }
            Done::Local {
                bytes,
                outcome,
                reply,
            } => {
                if outcome.is_stored() {
                    self.gossip(bytes);
                }
                let _ = reply.send(outcome);
            }
            Done::Synced { peer, stats } => {
                self.sessions.remove(&peer);
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
                    };
                }
            }
        }
    }

    /// Send our own envelope to the mesh; keep it for retry if nobody listens yet.
    fn gossip(&mut self, bytes: Vec<u8>) {
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
                let left_ms = aviso_protocol::Envelope::decode(&bytes).map_or(0, |e| {
                    e.expires_at()
                        .saturating_mul(1000)
                        .saturating_sub(crate::unix_now_ms())
                });
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

    /// Disconnect and block peers whose gossip score fell below the graylist threshold:
    /// gossipsub ignores them but never disconnects them by itself.
    fn police_scores(&mut self, now: Instant) {
        for p in self.swarm.connected_peers() {
            tracing::trace!(peer = %short(p), score = ?self.swarm.behaviour().gossipsub.peer_score(p), "score");
        }
        let bad: Vec<PeerId> = self
            .swarm
            .connected_peers()
            .filter(|p| {
                self.swarm
                    .behaviour()
                    .gossipsub
                    .peer_score(p)
                    .is_some_and(|s| s < GRAYLIST_THRESHOLD)
            })
            .copied()
            .collect();
        for p in bad {
            warn!(peer = %short(&p), "blocking peer with a bad gossip score");
            self.swarm.behaviour_mut().blocked.block_peer(p);
            self.blocked.insert(p, now + BLOCK_FOR);
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
            SwarmEvent::Behaviour(NodeBehaviourEvent::Identify(identify::Event::Received {
                peer_id,
                info,
                ..
            })) => {
                // Membership is decided by behaviour (the topic, the protocols, gossip
                // scoring), not by identify's free-text version: other libp2p
                // implementations (js-libp2p cannot set it) may join. See docs/protocol.md.
                self.reach.on_identify(&mut self.swarm, peer_id, &info);
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
