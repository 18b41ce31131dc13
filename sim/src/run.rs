//! One simulation run: build the world and the graph, start the nodes, let the meshes
//! form, measure a quiet period, publish the alerts while churn runs, wait for delivery,
//! and measure.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use aviso_node::net::{self, Client, Event, GossipTuning, NetConfig};
use aviso_node::pipeline::{Outcome, Pipeline};
use aviso_node::{MemStore, SledStore, Store};
use aviso_protocol::Id;
use futures::future::join_all;
use libp2p::{Multiaddr, PeerId, identity};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::hostile::{self, Adversary, AdversaryStats, Flood, FloodKind, Role};
use crate::link::{Hub, LinkModel, node_transport};
use crate::report::{self, Report};
use crate::rng::Rng;
use crate::stats::{cpu_seconds, load_average, rss_bytes};
use crate::topology::{Graph, Shape, TopologyError, hops};
use crate::world::{World, WorldError};

/// The gossipsub heartbeat of a node (`aviso_node`'s `behaviour::HEARTBEAT`); the
/// latency goal allows one.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// Events buffered per node for the recorder, as the node's tests do.
const EVENT_BUFFER: usize = 1_024;
/// A publisher is chosen among nodes that stay up at least this long after publishing.
const PUBLISHER_UP_AFTER: f64 = 5.0;
/// Earliest a node leaves again after coming back (it must get the chance to sync).
const MIN_UP_BETWEEN_LEAVES: f64 = 10.0;
/// Bytes per node per second below which start-up traffic counts as over: above the
/// steady state (a ping round every 15 s), far below the start-up burst.
const DRAINED_PER_NODE: u64 = 1_024;
/// Seconds in a row below [`DRAINED_PER_NODE`] that end the start-up phase (one quiet
/// second can be a lull between Kademlia query rounds).
const DRAINED_SECONDS: u32 = 3;
/// Shortest flood before the simulator counts the flooders' remaining connections: four
/// of the node's score checks (every 5 s).
const FLOOD_OBSERVED: Duration = Duration::from_secs(20);
/// How often conditions are polled while waiting.
const POLL: Duration = Duration::from_millis(250);

/// Where each node keeps its envelopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// [`MemStore`]: what the pipeline and sync need, in memory.
    Mem,
    /// A temporary sled database per node, as a real node has.
    Sled,
}

impl std::str::FromStr for StoreKind {
    type Err = String;
    fn from_str(s: &str) -> Result<StoreKind, String> {
        match s {
            "mem" => Ok(StoreKind::Mem),
            "sled" => Ok(StoreKind::Sled),
            _ => Err(format!("unknown store {s:?} (mem, sled)")),
        }
    }
}

/// What to simulate.
#[derive(Debug, Clone, Serialize)]
pub struct SimConfig {
    /// Nodes.
    pub nodes: usize,
    /// Links per node (random topology).
    pub degree: usize,
    /// Shape of the link graph.
    pub topology: Shape,
    /// Whether any node can dial any other. Off (the default), only the links of the
    /// graph exist, so the overlay is the chosen topology; on, Kademlia's discovery
    /// adds connections to whoever it finds, as on an open network.
    pub open_links: bool,
    /// Connections each node keeps before it prunes the rest.
    pub target_peers: usize,
    /// One-way latency of every link.
    #[serde(serialize_with = "ser_ms", rename = "latency_ms")]
    pub latency: Duration,
    /// Probability that a TCP segment is lost.
    pub loss: f64,
    /// Fraction of nodes that leave per minute while alerts are published.
    pub churn: f64,
    /// Shortest time a node stays away.
    #[serde(serialize_with = "ser_ms", rename = "down_min_ms")]
    pub down_min: Duration,
    /// Longest time a node stays away.
    #[serde(serialize_with = "ser_ms", rename = "down_max_ms")]
    pub down_max: Duration,
    /// Alerts published.
    pub alerts: usize,
    /// Mean gap between alerts (exponentially distributed).
    #[serde(serialize_with = "ser_ms", rename = "alert_interval_ms")]
    pub alert_interval: Duration,
    /// Organizers in the trust list; each alert is signed by one of them at random.
    pub organizers: usize,
    /// Seed of every random draw.
    pub seed: u64,
    /// Node stores.
    pub store: StoreKind,
    /// Longest wait for the meshes to form.
    #[serde(serialize_with = "ser_ms", rename = "warmup_timeout_ms")]
    pub warmup_timeout: Duration,
    /// Longest wait for start-up traffic to die down before the quiet period.
    #[serde(serialize_with = "ser_ms", rename = "drain_timeout_ms")]
    pub drain_timeout: Duration,
    /// Length of the quiet period that measures background traffic.
    #[serde(serialize_with = "ser_ms", rename = "quiet_ms")]
    pub quiet: Duration,
    /// Longest wait for full delivery after the last publish or rejoin.
    #[serde(serialize_with = "ser_ms", rename = "deadline_ms")]
    pub deadline: Duration,
    /// Fraction of nodes that are black-hole Sybils (see [`crate::hostile`]).
    pub black_holes: f64,
    /// Fraction of nodes that withhold from sync (and drop gossip).
    pub withholders: f64,
    /// Fraction of nodes that flood bad envelopes once the alerts start.
    pub flooders: f64,
    /// Envelopes per second each flooder publishes.
    pub flood_rate: u32,
    /// What flooders send.
    pub flood_kind: FloodKind,
    /// Eclipse one honest node (all its links to adversaries), then let it dial one
    /// honest node after the alerts.
    pub eclipse: bool,
    /// Gossipsub settings of the honest nodes (the node's defaults unless changed).
    pub gossip: GossipTuning,
    /// Whether nodes send their own envelopes along a Dandelion++ stem first (the node's
    /// default); off for the reference.
    pub stem: bool,
    /// q: the probability that a node relays stem envelopes for an epoch (the node's
    /// `net::stem::FORWARD_PROBABILITY` unless changed).
    pub stem_q: f64,
}

fn ser_ms<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis() as u64)
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            nodes: 100,
            degree: 8,
            topology: Shape::Random,
            open_links: false,
            target_peers: aviso_node::net::ReachConfig::default().target_peers,
            latency: Duration::from_millis(50),
            loss: 0.01,
            churn: 0.0,
            down_min: Duration::from_secs(10),
            down_max: Duration::from_secs(60),
            alerts: 20,
            alert_interval: Duration::from_secs(1),
            organizers: 8,
            seed: 1,
            store: StoreKind::Mem,
            warmup_timeout: Duration::from_secs(120),
            drain_timeout: Duration::from_secs(180),
            quiet: Duration::from_secs(15),
            deadline: Duration::from_secs(60),
            black_holes: 0.0,
            withholders: 0.0,
            flooders: 0.0,
            flood_rate: 1_000,
            flood_kind: FloodKind::Forged,
            eclipse: false,
            gossip: GossipTuning::default(),
            stem: true,
            stem_q: aviso_node::net::stem::FORWARD_PROBABILITY,
        }
    }
}

/// Why a run could not take place.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The configuration is not usable.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The graph cannot be built.
    #[error(transparent)]
    Topology(#[from] TopologyError),
    /// Envelopes cannot be signed.
    #[error(transparent)]
    World(#[from] WorldError),
    /// A node could not start.
    #[error("node {node} cannot start: {why}")]
    Node {
        /// Which.
        node: usize,
        /// Why.
        why: String,
    },
}

/// Where a run is, for a progress display.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The phase: `start`, `warmup`, `quiet`, `alerts`, `settle`.
    pub phase: &'static str,
    /// Units done in this phase.
    pub done: u64,
    /// Units in this phase.
    pub total: u64,
    /// A short line for people.
    pub detail: String,
}

/// Something that happens at a planned time after the first alert phase starts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Leave(usize),
    Return(usize),
    Publish { alert: usize, node: usize },
}

/// The seeded plan of a run.
#[derive(Debug)]
struct Plan {
    /// (seconds after the alert phase starts, action), by time.
    timeline: Vec<(f64, Action)>,
    publishers: Vec<usize>,
}

impl Plan {
    /// Only `eligible` nodes publish and churn (the honest ones).
    fn new(cfg: &SimConfig, eligible: &[bool], rng: &mut Rng) -> Plan {
        let mut publish_at = Vec::with_capacity(cfg.alerts);
        let mut t = 0.0;
        for i in 0..cfg.alerts {
            if i > 0 {
                t += rng.exp(cfg.alert_interval.as_secs_f64());
            }
            publish_at.push(t);
        }
        let horizon = t;
        // Away periods per node: leaves at rate `churn` per minute while up.
        let mut away: Vec<Vec<(f64, f64)>> = vec![Vec::new(); cfg.nodes];
        if cfg.churn > 0.0 {
            let mean_up = 60.0 / cfg.churn;
            let (lo, hi) = (cfg.down_min.as_secs_f64(), cfg.down_max.as_secs_f64());
            for (node, periods) in away.iter_mut().enumerate() {
                if !eligible[node] {
                    continue;
                }
                let mut t = rng.exp(mean_up);
                while t < horizon {
                    let down = lo + (hi - lo).max(0.0) * rng.unit();
                    periods.push((t, t + down));
                    t += down + MIN_UP_BETWEEN_LEAVES + rng.exp(mean_up);
                }
            }
        }
        let up_during =
            |node: usize, from: f64, to: f64| away[node].iter().all(|&(a, b)| b <= from || a >= to);
        let mut timeline = Vec::new();
        let mut publishers = Vec::with_capacity(cfg.alerts);
        for (alert, &at) in publish_at.iter().enumerate() {
            let mut node = rng.below(cfg.nodes);
            for _ in 0..cfg.nodes * 4 {
                if eligible[node] && up_during(node, at, at + PUBLISHER_UP_AFTER) {
                    break;
                }
                node = rng.below(cfg.nodes);
            }
            if !eligible[node]
                && let Some(e) = eligible.iter().position(|&e| e)
            {
                node = e;
            }
            publishers.push(node);
            timeline.push((at, Action::Publish { alert, node }));
        }
        for (node, periods) in away.iter().enumerate() {
            for &(a, b) in periods {
                timeline.push((a, Action::Leave(node)));
                timeline.push((b, Action::Return(node)));
            }
        }
        // Stable, so equal times keep a seeded order.
        timeline.sort_by(|x, y| x.0.total_cmp(&y.0));
        Plan {
            timeline,
            publishers,
        }
    }
}

/// What the nodes reported, as it happened.
#[derive(Debug)]
struct Record {
    alert_index: HashMap<Id, usize>,
    peer_index: HashMap<PeerId, usize>,
    /// When each alert was published.
    published: Vec<Option<Instant>>,
    /// First acceptance of alert `a` at node `n`: `first[a][n]`, and whether sync brought it.
    first: Vec<Vec<Option<(Instant, bool)>>>,
    /// The first node to publish alert `a` to gossip itself, and how (`direct`, `stem`,
    /// `fallback`: see `Event::Gossiped`).
    first_gossiper: Vec<Option<(usize, &'static str)>>,
    /// Live connections as each node reports them (an edge counts when both ends do).
    links: Vec<HashSet<usize>>,
    /// Up periods of each node.
    up: Vec<Vec<(Instant, Option<Instant>)>>,
    /// Events lost to a full broadcast buffer.
    lagged: u64,
    /// The community's trust list.
    trust_list: Id,
    /// Envelopes other than the alerts and the trust list accepted by each node.
    foreign: Vec<u64>,
}

impl Record {
    fn edge(&self, a: usize, b: usize) -> bool {
        self.links[a].contains(&b) && self.links[b].contains(&a)
    }

    fn live_graph(&self) -> Vec<Vec<usize>> {
        (0..self.links.len())
            .map(|a| {
                self.links[a]
                    .iter()
                    .copied()
                    .filter(|&b| self.edge(a, b))
                    .collect()
            })
            .collect()
    }

    fn is_up(&self, node: usize) -> bool {
        self.up[node].last().is_some_and(|(_, end)| end.is_none())
    }

    /// Whether `node` stayed up from `from` to `to`.
    fn up_throughout(&self, node: usize, from: Instant, to: Instant) -> bool {
        self.up[node]
            .iter()
            .any(|&(s, e)| s <= from && e.is_none_or(|e| e >= to))
    }

    fn delivered(&self) -> usize {
        self.first.iter().flatten().filter(|f| f.is_some()).count()
    }

    /// Deliveries to the nodes marked in `to`.
    fn delivered_to(&self, to: &[bool]) -> usize {
        self.first
            .iter()
            .map(|row| {
                row.iter()
                    .zip(to)
                    .filter(|(f, t)| f.is_some() && **t)
                    .count()
            })
            .sum()
    }
}

type Shared = Arc<Mutex<Record>>;

fn lock(r: &Shared) -> MutexGuard<'_, Record> {
    // Nothing panics while holding this lock; recover rather than cascade.
    r.lock().unwrap_or_else(|p| p.into_inner())
}

struct Node {
    keypair: identity::Keypair,
    store: Arc<dyn Store>,
    pipeline: Arc<Pipeline>,
    events: broadcast::Sender<Event>,
    running: Option<(Client, JoinHandle<()>)>,
    leaving: Option<JoinHandle<()>>,
}

/// A rejoin, for the catch-up figure.
#[derive(Debug)]
struct Rejoin {
    node: usize,
    at: Instant,
    /// Alerts published before it came back.
    owed: Vec<usize>,
}

struct Sim<'a> {
    cfg: &'a SimConfig,
    hub: Arc<Hub>,
    graph: Graph,
    world: World,
    nodes: Vec<Node>,
    /// Peer id of each node.
    peers: Vec<PeerId>,
    record: Shared,
    progress: &'a (dyn Fn(Progress) + Sync),
    /// What each node is.
    roles: Vec<Role>,
    /// Honest nodes outside an eclipse: the ones that publish, churn and must deliver.
    eligible: Vec<bool>,
    /// The eclipsed node and the honest node it dials after the alerts.
    eclipse: Option<(usize, usize)>,
    /// The running adversaries, by node.
    adversaries: HashMap<usize, Adversary>,
    /// Set when the alert phase starts: flooders wait for it.
    go: Arc<AtomicBool>,
    /// Flooders started so far (each gets its own flood).
    flooders: u64,
}

/// Run one simulation and measure it. `progress` is called as phases advance.
pub async fn run(
    cfg: &SimConfig,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, SimError> {
    if cfg.nodes < 2 || cfg.alerts == 0 {
        return Err(SimError::Config("need at least 2 nodes and 1 alert".into()));
    }
    if !(0.0..1.0).contains(&cfg.loss) {
        return Err(SimError::Config("loss must be in [0, 1)".into()));
    }
    if cfg.down_min > cfg.down_max {
        return Err(SimError::Config("down-min is above down-max".into()));
    }
    let wall = Instant::now();
    let mut graph = Graph::build(
        cfg.topology,
        cfg.nodes,
        cfg.degree,
        &mut Rng::derive(cfg.seed, &[1]),
    )?;
    let world = World::new(cfg.organizers, cfg.alerts, &mut Rng::derive(cfg.seed, &[2]))?;
    let (roles, eclipse) = hostile::assign(cfg, &mut Rng::derive(cfg.seed, &[5]));
    if roles.iter().all(|r| *r != Role::Honest) {
        return Err(SimError::Config("no honest node left".into()));
    }
    let reachable = match eclipse {
        Some((victim, rescuer)) => hostile::eclipse(
            &mut graph,
            &roles,
            victim,
            rescuer,
            cfg.degree,
            &mut Rng::derive(cfg.seed, &[6]),
        ),
        None => graph.adj.clone(),
    };
    let eligible: Vec<bool> = (0..cfg.nodes)
        .map(|i| roles[i] == Role::Honest && eclipse.is_none_or(|(v, _)| v != i))
        .collect();
    let plan = Plan::new(cfg, &eligible, &mut Rng::derive(cfg.seed, &[4]));
    let hub = Hub::new(
        LinkModel {
            latency: cfg.latency,
            loss: cfg.loss,
        },
        cfg.seed,
        cfg.nodes,
        cfg.alerts,
        (!cfg.open_links).then_some(reachable),
    );
    let record = Arc::new(Mutex::new(Record {
        alert_index: world
            .alerts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id(), i))
            .collect(),
        peer_index: HashMap::new(),
        published: vec![None; cfg.alerts],
        first: vec![vec![None; cfg.nodes]; cfg.alerts],
        first_gossiper: vec![None; cfg.alerts],
        links: vec![HashSet::new(); cfg.nodes],
        up: vec![Vec::new(); cfg.nodes],
        lagged: 0,
        trust_list: world.trust_list.id(),
        foreign: vec![0; cfg.nodes],
    }));
    let rss_before = rss_bytes();
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(rss_before));
    let sampler = tokio::spawn({
        let peak = peak.clone();
        async move {
            loop {
                peak.fetch_max(rss_bytes(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    });
    let mut sim = Sim {
        cfg,
        hub,
        graph,
        world,
        nodes: Vec::with_capacity(cfg.nodes),
        peers: Vec::with_capacity(cfg.nodes),
        record,
        progress,
        roles,
        eligible,
        eclipse,
        adversaries: HashMap::new(),
        go: Arc::new(AtomicBool::new(false)),
        flooders: 0,
    };
    let result = sim.go(plan, wall, rss_before, &peak).await;
    sampler.abort();
    sim.stop_all().await;
    result
}

impl Sim<'_> {
    async fn go(
        &mut self,
        plan: Plan,
        wall: Instant,
        rss_before: u64,
        peak: &std::sync::atomic::AtomicU64,
    ) -> Result<Report, SimError> {
        let cfg = self.cfg;
        // Start every node; each dials its lower-numbered neighbours, which already listen.
        let mut key_rng = Rng::derive(cfg.seed, &[3]);
        for i in 0..cfg.nodes {
            self.create(i, &mut key_rng)?;
            let lower: Vec<usize> = self.graph.adj[i]
                .iter()
                .copied()
                .filter(|&j| j < i)
                .collect();
            self.start(i, &lower)?;
            if i % 50 == 49 || i + 1 == cfg.nodes {
                (self.progress)(Progress {
                    phase: "start",
                    done: i as u64 + 1,
                    total: cfg.nodes as u64,
                    detail: "nodes started".into(),
                });
            }
            // Let the runtime breathe so early handshakes are not starved by spawning.
            if i % 25 == 24 {
                tokio::task::yield_now().await;
            }
        }
        let started = Instant::now();
        let (ready, mesh_mean, degree_mean) = self.warm_up().await;
        let warmup = started.elapsed();
        let rss_ready = rss_bytes();

        // Start-up traffic (Kademlia's automatic bootstrap refreshes its buckets each
        // time the routing table grows; identify; a sync per new connection) dies down
        // after a few seconds. Wait for it, so the quiet period measures the steady state.
        let drained_from = (Instant::now(), self.hub.totals().0);
        let startup_bytes = self.drain().await;
        let drain_secs = drained_from.0.elapsed().as_secs_f64();

        // Background traffic with nothing to gossip.
        let quiet_from = (Instant::now(), self.hub.totals());
        let quiet_cpu = cpu_seconds();
        let steps = cfg.quiet.as_millis().div_ceil(POLL.as_millis()).max(1) as u64;
        let mut last = quiet_from.1.0;
        for s in 0..steps {
            tokio::time::sleep(POLL).await;
            if s % 4 == 3 || s + 1 == steps {
                let now = self.hub.bytes_sent();
                (self.progress)(Progress {
                    phase: "quiet",
                    done: s + 1,
                    total: steps,
                    detail: format!(
                        "background {} B/s per node, {} dials refused so far",
                        (now - last) * 1000
                            / (POLL.as_millis() as u64 * 4)
                            / self.nodes.len() as u64,
                        self.hub.refused.load(std::sync::atomic::Ordering::Relaxed),
                    ),
                });
                last = now;
            }
        }
        let quiet_secs = quiet_from.0.elapsed().as_secs_f64();
        let quiet_bytes = self.hub.totals().0 - quiet_from.1.0;
        let quiet_cpu = (cpu_seconds() - quiet_cpu) / quiet_secs;

        // The alert phase.
        let degree_at_alerts = self.live_degree();
        let copies_before = self.hub.copies();
        let cpu_from = (cpu_seconds(), Instant::now());
        let window_from = (Instant::now(), self.hub.totals());
        let lag = Arc::new(Mutex::new(Vec::new()));
        let probe = tokio::spawn(probe_lag(lag.clone()));
        let flooder_links_at_start = self.flooder_links();
        self.go.store(true, Ordering::Relaxed);
        let flood_from = Instant::now();
        let (rejoins, bounds, leaves, publish_failures) = self.play(&plan).await;
        let settled = self.settle().await;
        // Let trailing gossip (IHAVE for `history_gossip` heartbeats) be counted too.
        tokio::time::sleep(HEARTBEAT * 3).await;
        let window_secs = window_from.0.elapsed().as_secs_f64();
        let window = {
            let now = self.hub.totals();
            (
                now.0 - window_from.1.0,
                now.1 - window_from.1.1,
                now.2 - window_from.1.2,
            )
        };
        probe.abort();
        let lag: Vec<f64> = lag.lock().map(|l| l.clone()).unwrap_or_default();
        let cpu_spent = cpu_seconds() - cpu_from.0;
        let cpu = cpu_spent / cpu_from.1.elapsed().as_secs_f64();
        // CPU beyond the idle rate, per node per alert: what one alert costs one node.
        let cpu_per_alert = (cpu_spent - quiet_cpu * cpu_from.1.elapsed().as_secs_f64()).max(0.0)
            / (cfg.nodes * cfg.alerts) as f64;
        let load = load_average();
        let copies: Vec<u64> = self
            .hub
            .copies()
            .iter()
            .zip(&copies_before)
            .map(|(a, b)| a - b)
            .collect();
        let hostile = if self.roles.iter().any(|r| *r != Role::Honest) {
            Some(
                self.hostile_figures(
                    &plan,
                    flood_from,
                    flooder_links_at_start,
                    rss_before,
                    peak.load(Ordering::Relaxed),
                )
                .await,
            )
        } else {
            None
        };
        let held = self.holdings();
        let rec = lock(&self.record);
        Ok(report::build(report::Inputs {
            cfg,
            graph: &self.graph,
            world: &self.world,
            publishers: &plan.publishers,
            ready,
            mesh_mean,
            degree_mean,
            degree_at_alerts,
            warmup,
            startup_bytes,
            drain_secs,
            quiet_secs,
            quiet_bytes,
            window_secs,
            window,
            copies: &copies,
            published: &rec.published,
            first: &rec.first,
            first_gossiper: &rec.first_gossiper,
            up_throughout: &|n, a, b| rec.up_throughout(n, a, b),
            bounds: &bounds,
            rejoins: &rejoins
                .iter()
                .map(|r| {
                    let done = r
                        .owed
                        .iter()
                        .map(|&a| rec.first[a][r.node].map(|(t, _)| t))
                        .collect::<Option<Vec<Instant>>>()
                        .map(|ts| ts.into_iter().max().unwrap_or(r.at));
                    (r.at, done)
                })
                .collect::<Vec<_>>(),
            leaves,
            publish_failures,
            settled,
            held,
            lagged: rec.lagged,
            rss_before,
            rss_ready,
            rss_peak: peak.load(std::sync::atomic::Ordering::Relaxed),
            cpu_busy: cpu / std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64),
            load_average: load,
            quiet_cpu,
            cpu_per_alert,
            lag: &lag,
            wall: wall.elapsed(),
            eligible: &self.eligible,
            hostile,
        }))
    }

    fn create(&mut self, i: usize, key_rng: &mut Rng) -> Result<(), SimError> {
        let fail = |why: String| SimError::Node { node: i, why };
        let keypair = identity::Keypair::ed25519_from_bytes(key_rng.bytes32())
            .map_err(|e| fail(e.to_string()))?;
        let store: Arc<dyn Store> = match self.cfg.store {
            StoreKind::Mem => Arc::new(MemStore::new()),
            StoreKind::Sled => Arc::new(SledStore::temporary().map_err(|e| fail(e.to_string()))?),
        };
        // Every member holds the community's trust list before it joins.
        store
            .insert(&self.world.trust_list)
            .and_then(|_| store.flush())
            .map_err(|e| fail(e.to_string()))?;
        let (events, rx) = broadcast::channel(EVENT_BUFFER);
        let pipeline = Pipeline::new(
            store.clone(),
            Some(self.world.community.clone()),
            events.clone(),
        )
        .map_err(|e| fail(e.to_string()))?;
        let peer = keypair.public().to_peer_id();
        lock(&self.record).peer_index.insert(peer, i);
        self.peers.push(peer);
        tokio::spawn(listen(i, rx, self.record.clone()));
        self.nodes.push(Node {
            keypair,
            store,
            pipeline,
            events,
            running: None,
            leaving: None,
        });
        Ok(())
    }

    /// Start node `i`'s network, dialing `dial` (and redialing them when they drop).
    fn start(&mut self, i: usize, dial: &[usize]) -> Result<(), SimError> {
        if self.roles[i] != Role::Honest {
            return self.start_adversary(i, dial);
        }
        let node = &mut self.nodes[i];
        let transport =
            node_transport(self.hub.clone(), i, &node.keypair).map_err(|e| SimError::Node {
                node: i,
                why: e.to_string(),
            })?;
        let bootstrap: Vec<Multiaddr> = dial
            .iter()
            .filter_map(|&j| Hub::addr(j).with_p2p(self.peers[j]).ok())
            .collect();
        let cfg = NetConfig {
            listen: vec![Hub::addr(i)],
            bootstrap,
            mdns: false,
            gossip: self.cfg.gossip,
            reach: net::ReachConfig {
                target_peers: self.cfg.target_peers,
                ..net::ReachConfig::default()
            },
            stem: net::StemConfig {
                enabled: self.cfg.stem,
                forward_probability: self.cfg.stem_q,
                // Fresh choices after each rejoin, repeatable for a seed.
                seed: Some(
                    Rng::derive(
                        self.cfg.seed,
                        &[8, i as u64, lock(&self.record).up[i].len() as u64],
                    )
                    .next_u64(),
                ),
                ..net::StemConfig::default()
            },
            ..NetConfig::default()
        };
        let (client, handle) = net::spawn_with_transport(
            node.keypair.clone(),
            cfg,
            node.pipeline.clone(),
            node.events.clone(),
            transport,
        )
        .map_err(|e| SimError::Node {
            node: i,
            why: e.to_string(),
        })?;
        node.running = Some((client, handle));
        lock(&self.record).up[i].push((Instant::now(), None));
        Ok(())
    }

    /// Start adversary `i` (see [`crate::hostile`]), dialing `dial`.
    fn start_adversary(&mut self, i: usize, dial: &[usize]) -> Result<(), SimError> {
        let role = self.roles[i];
        let flood = (role == Role::Flooder).then(|| {
            self.flooders += 1;
            let f = Flood::new(
                self.cfg.flood_kind,
                &self.world.alerts[0],
                self.world.community.clone(),
                self.flooders,
                &mut Rng::derive(self.cfg.seed, &[7, self.flooders]),
            );
            (f, self.cfg.flood_rate)
        });
        let dial = dial
            .iter()
            .map(|&j| (self.peers[j], Hub::addr(j)))
            .collect();
        let adversary = hostile::spawn(
            self.hub.clone(),
            i,
            &self.nodes[i].keypair,
            role,
            &self.world.community,
            dial,
            flood,
            self.go.clone(),
        )
        .map_err(|e| SimError::Node {
            node: i,
            why: e.to_string(),
        })?;
        self.adversaries.insert(i, adversary);
        Ok(())
    }

    /// Take node `i` down: stop its network (its store stays).
    fn leave(&mut self, i: usize) {
        let Some((client, handle)) = self.nodes[i].running.take() else {
            return;
        };
        {
            let mut rec = lock(&self.record);
            let now = Instant::now();
            if let Some(last) = rec.up[i].last_mut() {
                last.1 = Some(now);
            }
            rec.links[i].clear();
        }
        self.nodes[i].leaving = Some(tokio::spawn(async move {
            let _ = client.shutdown().await;
            let _ = handle.await;
        }));
    }

    /// Wait until every node is linked to all its planned neighbours and has a working
    /// mesh, or the warm-up timeout. Returns (nodes ready, mean mesh size, mean degree).
    async fn warm_up(&self) -> (usize, f64, f64) {
        let deadline = Instant::now() + self.cfg.warmup_timeout;
        let peer_names: HashMap<String, usize> = lock(&self.record)
            .peer_index
            .iter()
            .map(|(p, i)| (p.to_string(), *i))
            .collect();
        loop {
            let statuses = join_all(self.nodes.iter().map(|n| async {
                match &n.running {
                    Some((c, _)) => c.status().await.ok(),
                    None => None,
                }
            }))
            .await;
            let (mut ready, mut mesh, mut degree) = (0, 0usize, 0usize);
            for (i, st) in statuses.iter().enumerate() {
                let Some(st) = st else { continue };
                let linked: HashSet<usize> = st
                    .peers
                    .iter()
                    .filter_map(|p| peer_names.get(&p.peer_id).copied())
                    .collect();
                let in_mesh = st.peers.iter().filter(|p| p.in_mesh).count();
                mesh += in_mesh;
                degree += linked.len();
                let planned = &self.graph.adj[i];
                if planned.iter().all(|j| linked.contains(j))
                    && in_mesh >= planned.len().min(self.cfg.gossip.mesh_n_low)
                {
                    ready += 1;
                }
            }
            let n = self.roles.iter().filter(|r| **r == Role::Honest).count();
            (self.progress)(Progress {
                phase: "warmup",
                done: ready as u64,
                total: n as u64,
                detail: format!(
                    "nodes linked to all neighbours with a mesh (mean mesh {:.1})",
                    mesh as f64 / n as f64
                ),
            });
            if ready == n || Instant::now() >= deadline {
                // Two more heartbeats so the last grafts settle on both sides.
                tokio::time::sleep(HEARTBEAT * 2).await;
                return (ready, mesh as f64 / n as f64, degree as f64 / n as f64);
            }
            tokio::time::sleep(POLL * 2).await;
        }
    }

    /// Wait until [`DRAINED_SECONDS`] seconds in a row pass with less than
    /// [`DRAINED_PER_NODE`] bytes sent per node each, at most the configured drain
    /// timeout. Returns the bytes sent meanwhile (since warm-up).
    async fn drain(&self) -> u64 {
        let start = (Instant::now(), self.hub.bytes_sent());
        let n = self.nodes.len() as u64;
        let mut last = start.1;
        let mut calm = 0;
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let now = self.hub.bytes_sent();
            let rate = now - last;
            last = now;
            (self.progress)(Progress {
                phase: "drain",
                done: start.0.elapsed().as_secs(),
                total: self.cfg.drain_timeout.as_secs(),
                detail: format!(
                    "start-up traffic {} B/s per node, {:.1} links per node, {} dials refused",
                    rate / n,
                    self.live_degree(),
                    self.hub.refused.load(std::sync::atomic::Ordering::Relaxed),
                ),
            });
            calm = if rate <= DRAINED_PER_NODE * n {
                calm + 1
            } else {
                0
            };
            if calm >= DRAINED_SECONDS || start.0.elapsed() >= self.cfg.drain_timeout {
                return now - start.1;
            }
        }
    }

    /// Mean number of live links per node.
    fn live_degree(&self) -> f64 {
        let rec = lock(&self.record);
        let links: usize = (0..rec.links.len())
            .map(|a| rec.links[a].iter().filter(|&&b| rec.edge(a, b)).count())
            .sum();
        links as f64 / rec.links.len().max(1) as f64
    }

    /// Carry out the timeline. Returns the rejoins, the hop bounds per alert (live graph,
    /// planned graph), the number of leaves, and publishes that were not accepted.
    async fn play(&mut self, plan: &Plan) -> (Vec<Rejoin>, Vec<Bounds>, usize, usize) {
        let t0 = Instant::now();
        let mut rejoins = Vec::new();
        let mut bounds = vec![Bounds::default(); self.cfg.alerts];
        let mut leaves = 0;
        let mut publishes = Vec::new();
        let total = plan.timeline.len() as u64;
        for (step, &(at, action)) in plan.timeline.iter().enumerate() {
            tokio::time::sleep_until(t0 + Duration::from_secs_f64(at)).await;
            match action {
                Action::Leave(i) => {
                    self.leave(i);
                    leaves += 1;
                }
                Action::Return(i) => {
                    if let Some(l) = self.nodes[i].leaving.take() {
                        let _ = l.await;
                    }
                    let neighbours = self.graph.adj[i].clone();
                    if let Err(e) = self.start(i, &neighbours) {
                        tracing::warn!(node = i, error = %e, "rejoin failed");
                        continue;
                    }
                    let rec = lock(&self.record);
                    let owed = (0..self.cfg.alerts)
                        .filter(|&a| rec.published[a].is_some() && plan.publishers[a] != i)
                        .collect();
                    drop(rec);
                    rejoins.push(Rejoin {
                        node: i,
                        at: Instant::now(),
                        owed,
                    });
                }
                Action::Publish { alert, node } => {
                    let Some((client, _)) = &self.nodes[node].running else {
                        tracing::warn!(alert, node, "publisher is down; alert skipped");
                        continue;
                    };
                    let client = client.clone();
                    let bytes = self.world.alerts[alert].bytes().to_vec();
                    {
                        let mut rec = lock(&self.record);
                        let live = rec.live_graph();
                        let up: Vec<bool> = (0..self.cfg.nodes).map(|n| rec.is_up(n)).collect();
                        bounds[alert] = Bounds {
                            live: hops(&live, node, |_| true),
                            planned: self.graph.hops_from(node, |n| up[n]),
                        };
                        rec.published[alert] = Some(Instant::now());
                    }
                    publishes.push(tokio::spawn(async move {
                        matches!(client.publish(bytes).await, Ok(Outcome::Accepted { .. }))
                    }));
                }
            }
            let rec = lock(&self.record);
            let published = rec.published.iter().filter(|p| p.is_some()).count();
            let delivered = rec.delivered();
            drop(rec);
            (self.progress)(Progress {
                phase: "alerts",
                done: step as u64 + 1,
                total,
                detail: format!(
                    "{published}/{} published, {delivered} deliveries, {leaves} leaves",
                    self.cfg.alerts
                ),
            });
        }
        let failures = join_all(publishes)
            .await
            .into_iter()
            .filter(|ok| !matches!(ok, Ok(true)))
            .count();
        (rejoins, bounds, leaves, failures)
    }

    /// Wait until every node that is up holds every alert, or the deadline. Returns
    /// whether that happened.
    async fn settle(&self) -> bool {
        let deadline = Instant::now() + self.cfg.deadline;
        // Publishers count too: their own acceptance is recorded like any other.
        let expected = self.cfg.alerts * self.eligible.iter().filter(|e| **e).count();
        loop {
            let delivered = lock(&self.record).delivered_to(&self.eligible);
            (self.progress)(Progress {
                phase: "settle",
                done: delivered as u64,
                total: expected as u64,
                detail: "deliveries".into(),
            });
            if delivered >= expected
                && self
                    .holdings()
                    .iter()
                    .zip(&self.eligible)
                    .all(|(&h, &e)| h || !e)
            {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Whether each node's store holds every alert (the ground truth, independent of
    /// the event stream).
    fn holdings(&self) -> Vec<bool> {
        self.nodes
            .iter()
            .map(|n| {
                self.world
                    .alerts
                    .iter()
                    .all(|a| n.store.contains(&a.id()).unwrap_or(false))
            })
            .collect()
    }

    /// Connections between honest nodes and flooders, as the honest nodes report them.
    fn flooder_links(&self) -> usize {
        let rec = lock(&self.record);
        (0..self.roles.len())
            .filter(|&i| self.roles[i] == Role::Honest)
            .map(|i| {
                rec.links[i]
                    .iter()
                    .filter(|&&j| self.roles[j] == Role::Flooder)
                    .count()
            })
            .sum()
    }

    /// After the alerts of a hostile run: rescue the eclipsed node, stop the
    /// adversaries, and measure what they did.
    async fn hostile_figures(
        &mut self,
        plan: &Plan,
        flood_from: Instant,
        flooder_links_at_start: usize,
        rss_before: u64,
        rss_peak: u64,
    ) -> report::Hostile {
        let eclipse = match self.eclipse {
            Some((victim, rescuer)) => Some(self.rescue(victim, rescuer).await),
            None => None,
        };
        // Let the flood run long enough for several score checks (every 5 s) before
        // asking whether its senders are still connected.
        if self.roles.contains(&Role::Flooder) {
            tokio::time::sleep_until(flood_from + FLOOD_OBSERVED).await;
        }
        let flooder_links_at_end = self.flooder_links();
        let flood_secs = flood_from.elapsed().as_secs_f64();
        let stats = self.stop_adversaries().await;
        let statuses = join_all(self.nodes.iter().map(|n| async {
            match &n.running {
                Some((c, _)) => c.status().await.ok(),
                None => None,
            }
        }))
        .await;
        let (load_drops, catch_up_rounds) = statuses.iter().flatten().fold((0, 0), |(d, r), s| {
            (d + s.gossip_load_drops, r + s.catch_up_rounds)
        });
        let real: HashSet<Id> = self
            .world
            .alerts
            .iter()
            .map(|a| a.id())
            .chain([self.world.trust_list.id()])
            .collect();
        let now = aviso_node::unix_now();
        let unauthorized_stored = (0..self.nodes.len())
            .filter(|&i| self.roles[i] == Role::Honest)
            .map(|i| {
                self.nodes[i].store.sync_items(now).map_or(0, |items| {
                    items.iter().filter(|(_, id)| !real.contains(id)).count() as u64
                })
            })
            .sum();
        let honest_links = |i: usize| {
            self.graph.adj[i]
                .iter()
                .filter(|&&j| self.roles[j] == Role::Honest)
                .count()
        };
        let rec = lock(&self.record);
        let mut shares = Vec::with_capacity(self.cfg.alerts);
        // Beside each share, in the same order (an alert never published has neither).
        let mut publisher_honest_links = Vec::with_capacity(self.cfg.alerts);
        for (a, row) in rec.first.iter().enumerate() {
            let Some(t_pub) = rec.published[a] else {
                continue;
            };
            let (mut due, mut got) = (0usize, 0usize);
            for (node, first) in row.iter().enumerate() {
                if !self.eligible[node] || node == plan.publishers[a] {
                    continue;
                }
                due += 1;
                if first.is_some_and(|(t, _)| {
                    t.saturating_duration_since(t_pub) <= report::DELIVERY_WINDOW
                }) {
                    got += 1;
                }
            }
            shares.push(if due == 0 {
                1.0
            } else {
                got as f64 / due as f64
            });
            publisher_honest_links.push(honest_links(plan.publishers[a]));
        }
        let delivered_in_window_min_linked = shares
            .iter()
            .zip(&publisher_honest_links)
            .filter(|(_, links)| **links > 0)
            .map(|(s, _)| *s)
            .fold(1.0, f64::min);
        let honest_cut_off = (0..self.nodes.len())
            .filter(|&i| self.eligible[i] && honest_links(i) == 0)
            .count();
        let count = |role| self.roles.iter().filter(|r| **r == role).count();
        let honest = count(Role::Honest);
        report::Hostile {
            honest,
            black_holes: count(Role::BlackHole),
            withholders: count(Role::Withholder),
            flooders: count(Role::Flooder),
            flood_published: stats.published,
            flood_rate_reached: stats.published as f64
                / (flood_secs * count(Role::Flooder).max(1) as f64),
            withheld: stats.withheld,
            delivered_in_window_min: shares.iter().copied().fold(1.0, f64::min),
            delivered_in_window_mean: shares.iter().sum::<f64>() / shares.len().max(1) as f64,
            delivered_in_window: shares,
            publisher_honest_links,
            delivered_in_window_min_linked,
            honest_cut_off,
            unauthorized_accepted: (0..self.roles.len())
                .filter(|&i| self.roles[i] == Role::Honest)
                .map(|i| rec.foreign[i])
                .sum(),
            unauthorized_stored,
            flooder_links_at_start,
            flooder_links_at_end,
            load_drops,
            catch_up_rounds,
            rss_per_honest_node: rss_peak.saturating_sub(rss_before) / honest.max(1) as u64,
            eclipse,
        }
    }

    /// Let the eclipsed node dial one honest node, and wait until it holds every alert.
    async fn rescue(&self, victim: usize, rescuer: usize) -> report::Eclipse {
        let held = |n: &Node| {
            self.world
                .alerts
                .iter()
                .filter(|a| n.store.contains(&a.id()).unwrap_or(false))
                .count()
        };
        let node = &self.nodes[victim];
        let held_before = held(node);
        let links = self.graph.adj[victim].len();
        let start = Instant::now();
        let mut catch_up_ms = None;
        if let (Some((client, _)), Ok(addr)) = (
            &node.running,
            Hub::addr(rescuer).with_p2p(self.peers[rescuer]),
        ) {
            if let Err(e) = client.dial(addr).await {
                tracing::warn!(error = %e, "the eclipsed node cannot dial its rescuer");
            }
            let deadline = start + self.cfg.deadline;
            while Instant::now() < deadline {
                if held(node) == self.world.alerts.len() {
                    catch_up_ms = Some(start.elapsed().as_secs_f64() * 1000.0);
                    break;
                }
                (self.progress)(Progress {
                    phase: "eclipse",
                    done: held(node) as u64,
                    total: self.world.alerts.len() as u64,
                    detail: "alerts held by the eclipsed node after one honest link".into(),
                });
                tokio::time::sleep(POLL).await;
            }
        }
        report::Eclipse {
            victim,
            links,
            held_before,
            held_after: held(node),
            catch_up_ms,
        }
    }

    /// Stop every adversary and add up what they did.
    async fn stop_adversaries(&mut self) -> AdversaryStats {
        let stats = join_all(self.adversaries.drain().map(|(_, a)| a.stop())).await;
        stats
            .into_iter()
            .fold(AdversaryStats::default(), |a, b| AdversaryStats {
                published: a.published + b.published,
                withheld: a.withheld + b.withheld,
            })
    }

    /// Stop every node; waits for them so the next run (or test) starts clean.
    async fn stop_all(&mut self) {
        let mut stopping = Vec::new();
        for n in &mut self.nodes {
            if let Some((client, handle)) = n.running.take() {
                stopping.push(tokio::spawn(async move {
                    let _ = client.shutdown().await;
                    let _ = handle.await;
                }));
            }
            if let Some(l) = n.leaving.take() {
                stopping.push(l);
            }
        }
        join_all(stopping).await;
        self.stop_adversaries().await;
    }
}

/// Hop counts from an alert's publisher at the time it was published.
#[derive(Debug, Clone, Default)]
pub struct Bounds {
    /// Over the connections that were up.
    pub live: Vec<Option<u32>>,
    /// Over the planned graph, through nodes that were up.
    pub planned: Vec<Option<u32>>,
}

/// How late a 10 ms timer fires, in milliseconds, every 10 ms: when the process waits
/// for a core (its own load, or other work on the machine), every hop of every alert
/// waits too, so this is the part of the latency excess that is not the network's.
async fn probe_lag(out: Arc<Mutex<Vec<f64>>>) {
    let period = Duration::from_millis(10);
    loop {
        let t = Instant::now();
        tokio::time::sleep(period).await;
        let late = t.elapsed().saturating_sub(period).as_secs_f64() * 1000.0;
        if let Ok(mut v) = out.lock() {
            v.push(late);
        }
    }
}

/// Record what node `i` reports.
async fn listen(i: usize, mut rx: broadcast::Receiver<Event>, record: Shared) {
    loop {
        let ev = match rx.recv().await {
            Ok(ev) => ev,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                lock(&record).lagged += n;
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let now = Instant::now();
        let mut rec = lock(&record);
        // `if let` rather than `match`, so a new kind of node event does not break the sim.
        if let Event::Accepted { id, source, .. } = &ev {
            match rec.alert_index.get(id).copied() {
                Some(a) if rec.first[a][i].is_none() => {
                    rec.first[a][i] = Some((now, *source == "sync"));
                }
                Some(_) => {}
                None if *id != rec.trust_list => rec.foreign[i] += 1,
                None => {}
            }
        } else if let Event::Gossiped { id, how } = &ev {
            if let Some(a) = rec.alert_index.get(id).copied()
                && rec.first_gossiper[a].is_none()
            {
                rec.first_gossiper[a] = Some((i, *how));
            }
        } else if let Event::PeerConnected { peer } = &ev {
            if let Some(&j) = rec.peer_index.get(peer) {
                rec.links[i].insert(j);
            }
        } else if let Event::PeerDisconnected { peer } = &ev
            && let Some(&j) = rec.peer_index.get(peer)
        {
            rec.links[i].remove(&j);
        }
    }
}
