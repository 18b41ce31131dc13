//! `aviso-sim`: run one simulation and print its figures (a table, or `--json`).

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use aviso_node::net::GossipTuning;
use aviso_sim::hostile::FloodKind;
use aviso_sim::topology::Shape;
use aviso_sim::{Progress, SimConfig, StoreKind};
use clap::Parser;

/// Simulate an Aviso community of many nodes in one process and measure delivery,
/// latency, duplicates, bytes and memory against their references.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Nodes.
    #[arg(long, default_value_t = 100)]
    nodes: usize,
    /// Links per node (random topology).
    #[arg(long, default_value_t = 8)]
    degree: usize,
    /// Link graph: random (regular, seeded), line or ring.
    #[arg(long, default_value = "random")]
    topology: Shape,
    /// Let any node dial any other (Kademlia then adds links beyond the topology, as on
    /// an open network). By default only the topology's links exist.
    #[arg(long)]
    open_links: bool,
    /// Connections each node keeps before it prunes (the node's `[reach] target_peers`);
    /// a large value turns pruning off, to compare.
    #[arg(long, default_value_t = aviso_node::net::ReachConfig::default().target_peers)]
    target_peers: usize,
    /// One-way latency of every link, milliseconds.
    #[arg(long, default_value_t = 50)]
    latency_ms: u64,
    /// Probability that a TCP segment is lost (costs a retransmission timeout).
    #[arg(long, default_value_t = 0.01)]
    loss: f64,
    /// Fraction of nodes leaving per minute while alerts are published (0.1 = 10%).
    #[arg(long, default_value_t = 0.0)]
    churn: f64,
    /// Shortest time a leaving node stays away, seconds.
    #[arg(long, default_value_t = 10)]
    down_min_secs: u64,
    /// Longest time a leaving node stays away, seconds.
    #[arg(long, default_value_t = 60)]
    down_max_secs: u64,
    /// Alerts to publish.
    #[arg(long, default_value_t = 20)]
    alerts: usize,
    /// Mean gap between alerts, milliseconds (exponentially distributed).
    #[arg(long, default_value_t = 1000)]
    alert_interval_ms: u64,
    /// Organizers in the trust list.
    #[arg(long, default_value_t = 8)]
    organizers: usize,
    /// Seed of the topology, keys, schedule, churn and loss draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Node stores: mem (in memory) or sled (a temporary sled database per node).
    #[arg(long, default_value = "mem")]
    store: StoreKind,
    /// Longest wait for the meshes to form, seconds.
    #[arg(long, default_value_t = 120)]
    warmup_timeout_secs: u64,
    /// Longest wait for start-up traffic to die down, seconds.
    #[arg(long, default_value_t = 180)]
    drain_timeout_secs: u64,
    /// Quiet period that measures background traffic, seconds (a multiple of the 15 s
    /// ping interval averages it best).
    #[arg(long, default_value_t = 15)]
    quiet_secs: u64,
    /// Longest wait for full delivery after the last publish or rejoin, seconds.
    #[arg(long, default_value_t = 60)]
    deadline_secs: u64,
    /// Fraction of nodes that are black-hole Sybils: they join the mesh and drop
    /// everything.
    #[arg(long, default_value_t = 0.0)]
    black_holes: f64,
    /// Fraction of nodes that withhold from sync (answer from an empty store) and drop
    /// gossip.
    #[arg(long, default_value_t = 0.0)]
    withholders: f64,
    /// Fraction of nodes that flood bad envelopes while the alerts go out.
    #[arg(long, default_value_t = 0.0)]
    flooders: f64,
    /// Envelopes per second each flooder publishes.
    #[arg(long, default_value_t = 1000)]
    flood_rate: u32,
    /// What flooders send: forged (bad signatures) or unauthorized (signed by an
    /// untrusted key).
    #[arg(long, default_value = "forged")]
    flood_kind: FloodKind,
    /// Eclipse one honest node (every link to an adversary); after the alerts it dials
    /// one honest node and must catch up by sync.
    #[arg(long)]
    eclipse: bool,
    /// Gossipsub mesh degree D of honest nodes (default: the node's).
    #[arg(long)]
    mesh_n: Option<usize>,
    /// Gossipsub D_low.
    #[arg(long)]
    mesh_n_low: Option<usize>,
    /// Gossipsub D_high.
    #[arg(long)]
    mesh_n_high: Option<usize>,
    /// Gossipsub D_lazy: non-mesh peers sent IHAVE per heartbeat, at least.
    #[arg(long)]
    gossip_lazy: Option<usize>,
    /// Heartbeats an envelope stays in IHAVE.
    #[arg(long)]
    history_gossip: Option<usize>,
    /// Smallest message, bytes, for which a node sends IDONTWANT.
    #[arg(long)]
    idontwant_threshold: Option<usize>,
    /// Whether a node sends its own envelopes to all peers (true) or its mesh (false).
    #[arg(long)]
    flood_publish: Option<bool>,
    /// Seconds a peer pruned from a mesh waits before grafting again.
    #[arg(long)]
    prune_backoff_secs: Option<u64>,
    /// Gossipsub gossip_factor: share of non-mesh peers sent IHAVE, when above D_lazy.
    #[arg(long)]
    gossip_factor: Option<f64>,
    /// Heartbeats between opportunistic grafting rounds.
    #[arg(long)]
    opportunistic_graft_ticks: Option<u64>,
    /// Median mesh score below which opportunistic grafting tries better peers.
    #[arg(long)]
    opportunistic_graft_threshold: Option<f64>,
    /// Mesh audit: envelopes in a row a mesh peer may miss before it is suspect (0: off).
    #[arg(long)]
    audit_rounds: Option<u32>,
    /// Mesh audit: the application score of a suspect peer.
    #[arg(long)]
    audit_score: Option<f64>,
    /// Reconcile with a non-mesh peer that brought an envelope first.
    #[arg(long)]
    sync_on_mesh_miss: Option<bool>,
    /// Start from gossipsub 0.50's defaults (what nodes used before issue 15) instead of
    /// the node's defaults; the options above still apply.
    #[arg(long)]
    libp2p_defaults: bool,
    /// Publish own envelopes straight to gossip (the reference for private publishing):
    /// without it nodes send them along a Dandelion++ stem first, as the node does.
    #[arg(long)]
    no_stem: bool,
    /// q, the probability that a node relays stem envelopes for an epoch (default: the
    /// node's).
    #[arg(long, default_value_t = aviso_node::net::stem::FORWARD_PROBABILITY)]
    stem_q: f64,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// No progress display on stderr.
    #[arg(long)]
    no_progress: bool,
}

/// Progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise.
struct Bar {
    tty: bool,
    last: Mutex<(String, Instant)>,
}

impl Bar {
    fn show(&self, p: Progress) {
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        let changed = last.0 != p.phase;
        let finished = p.done >= p.total;
        let width = 30;
        let filled = (p.done.min(p.total) * width)
            .checked_div(p.total)
            .unwrap_or(0) as usize;
        let bar = format!(
            "{}{}",
            "#".repeat(filled),
            "-".repeat(width as usize - filled)
        );
        let text = format!("{:>7} [{bar}] {}/{} {}", p.phase, p.done, p.total, p.detail);
        let mut err = std::io::stderr().lock();
        if self.tty {
            if changed && !last.0.is_empty() {
                let _ = writeln!(err);
            }
            let _ = write!(err, "\r{text}\x1b[K");
            let _ = err.flush();
        } else if changed || finished || last.1.elapsed() >= Duration::from_secs(5) {
            let _ = writeln!(err, "{text}");
        } else {
            return;
        }
        *last = (p.phase.to_string(), Instant::now());
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cfg = SimConfig {
        nodes: args.nodes,
        degree: args.degree,
        topology: args.topology,
        open_links: args.open_links,
        target_peers: args.target_peers,
        latency: Duration::from_millis(args.latency_ms),
        loss: args.loss,
        churn: args.churn,
        down_min: Duration::from_secs(args.down_min_secs),
        down_max: Duration::from_secs(args.down_max_secs),
        alerts: args.alerts,
        alert_interval: Duration::from_millis(args.alert_interval_ms),
        organizers: args.organizers,
        seed: args.seed,
        store: args.store,
        warmup_timeout: Duration::from_secs(args.warmup_timeout_secs),
        drain_timeout: Duration::from_secs(args.drain_timeout_secs),
        quiet: Duration::from_secs(args.quiet_secs),
        deadline: Duration::from_secs(args.deadline_secs),
        black_holes: args.black_holes,
        withholders: args.withholders,
        flooders: args.flooders,
        flood_rate: args.flood_rate,
        flood_kind: args.flood_kind,
        eclipse: args.eclipse,
        stem: !args.no_stem,
        stem_q: args.stem_q,
        gossip: {
            let base = if args.libp2p_defaults {
                GossipTuning::LIBP2P_DEFAULTS
            } else {
                GossipTuning::default()
            };
            GossipTuning {
                mesh_n: args.mesh_n.unwrap_or(base.mesh_n),
                mesh_n_low: args.mesh_n_low.unwrap_or(base.mesh_n_low),
                mesh_n_high: args.mesh_n_high.unwrap_or(base.mesh_n_high),
                gossip_lazy: args.gossip_lazy.unwrap_or(base.gossip_lazy),
                history_gossip: args.history_gossip.unwrap_or(base.history_gossip),
                idontwant_threshold: args.idontwant_threshold.unwrap_or(base.idontwant_threshold),
                flood_publish: args.flood_publish.unwrap_or(base.flood_publish),
                gossip_factor: args.gossip_factor.unwrap_or(base.gossip_factor),
                opportunistic_graft_ticks: args
                    .opportunistic_graft_ticks
                    .unwrap_or(base.opportunistic_graft_ticks),
                opportunistic_graft_threshold: args
                    .opportunistic_graft_threshold
                    .unwrap_or(base.opportunistic_graft_threshold),
                audit_rounds: args.audit_rounds.unwrap_or(base.audit_rounds),
                audit_score: args.audit_score.unwrap_or(base.audit_score),
                sync_on_mesh_miss: args.sync_on_mesh_miss.unwrap_or(base.sync_on_mesh_miss),
                prune_backoff: args
                    .prune_backoff_secs
                    .map_or(base.prune_backoff, Duration::from_secs),
            }
        },
    };
    let bar = Bar {
        tty: std::io::stderr().is_terminal(),
        last: Mutex::new((String::new(), Instant::now())),
    };
    let no_progress = args.no_progress;
    let report = aviso_sim::run(&cfg, &|p| {
        if !no_progress {
            bar.show(p)
        }
    })
    .await
    .context("simulation failed")?;
    if bar.tty && !no_progress {
        eprintln!();
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.table());
    }
    Ok(())
}
