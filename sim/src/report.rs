//! The figures of a run, each beside its reference and goal, as JSON and as a table.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::run::{Bounds, HEARTBEAT, SimConfig};
use crate::stats::Summary;
use crate::topology::Graph;
use crate::world::World;

/// Memory budget of the goal: 1,000 nodes in 4 GiB.
pub const MEMORY_GOAL_PER_NODE: u64 = 4 * 1024 * 1024 * 1024 / 1000;
/// Goal for bytes sent per node per alert, as a multiple of the envelope.
pub const BYTES_GOAL_RATIO: f64 = 3.0;
/// Goal for p99 latency: this multiple of the shortest-path bound, plus one heartbeat.
pub const LATENCY_GOAL_FACTOR: f64 = 1.3;

/// Everything measured in one run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// What was simulated.
    pub config: SimConfig,
    /// Start-up.
    pub setup: Setup,
    /// Who got the alerts.
    pub delivery: Delivery,
    /// How fast.
    pub latency: Latency,
    /// How often the same alert arrived.
    pub duplicates: Duplicates,
    /// What it cost on the wire.
    pub bytes: Bytes,
    /// What it cost in memory.
    pub memory: Memory,
    /// Nodes leaving and coming back.
    pub churn: Churn,
    /// Busy share of the machine's cores during the alert phase; near 1 means the figures
    /// include time spent waiting for a CPU.
    pub cpu_busy: f64,
    /// CPU cores this process kept busy during the quiet period, per node, in
    /// thousandths: the idle cost of a node (heartbeats, ticks, pings).
    pub idle_cpu_per_node_milli: f64,
    /// CPU time one alert costs one node, milliseconds (alert-phase CPU above the idle
    /// rate, over nodes × alerts): decrypting its copies, validating, forwarding. All
    /// nodes share this machine's cores, so one alert cannot spread faster than
    /// `nodes × this / cores`, a floor that real nodes, each on its own machine, do
    /// not have.
    pub cpu_ms_per_node_per_alert: f64,
    /// `nodes × cpu_ms_per_node_per_alert / cores`, milliseconds.
    pub cpu_floor_ms: f64,
    /// The machine's one-minute load average at the end of the alert phase (this
    /// process and anything else running).
    pub load_average: f64,
    /// How late a 10 ms timer fired during the alert phase, milliseconds: time spent
    /// waiting for a core, which every hop pays on top of the network.
    pub timer_lag: Summary,
    /// Whole run, seconds.
    pub wall_secs: f64,
    /// What hostile nodes did and what it cost the honest ones (runs with adversaries).
    pub hostile: Option<Hostile>,
    /// Who gossiped each alert first (private publishing, issue 14).
    pub first_gossiper: FirstGossiper,
}

/// Who was first to gossip each alert: with the Dandelion++ stem, usually not its author
/// (issue 14). Latency with and without it: compare `latency` of a `--no-stem` run.
#[derive(Debug, Clone, Serialize)]
pub struct FirstGossiper {
    /// Whether own envelopes took the stem.
    pub stem: bool,
    /// Alerts whose first gossiper was seen.
    pub alerts: usize,
    /// Of those, alerts the author gossiped first.
    pub by_author: usize,
    /// `by_author / alerts`.
    pub author_ratio: f64,
    /// The goal: at most 1 / mesh degree.
    pub goal: f64,
    /// Whether `author_ratio <= goal`.
    pub goal_met: bool,
    /// Alerts first gossiped because a fallback timer fired (a stem that died).
    pub by_fallback: usize,
}

/// Figures of a run with adversaries (see [`crate::hostile`]). Delivery, latency and
/// holdings above count honest nodes only (and not the eclipsed one).
#[derive(Debug, Clone, Serialize)]
pub struct Hostile {
    /// Honest nodes (the eclipsed one included).
    pub honest: usize,
    /// Black-hole Sybils.
    pub black_holes: usize,
    /// Sync withholders.
    pub withholders: usize,
    /// Flooders.
    pub flooders: usize,
    /// Bad envelopes the flooders published.
    pub flood_published: u64,
    /// Envelopes each flooder published per second of flood, on average: the rate
    /// reached (the configured rate is what was asked).
    pub flood_rate_reached: f64,
    /// Sync and fetch requests the withholders answered with nothing.
    pub withheld: u64,
    /// Per alert, the share of honest nodes (not its publisher, not the eclipsed node)
    /// that accepted it within [`DELIVERY_WINDOW`]: the lowest over the alerts.
    pub delivered_in_window_min: f64,
    /// The same, averaged over the alerts.
    pub delivered_in_window_mean: f64,
    /// The same for each alert, in publishing order (is the first alert, before any
    /// score was earned, the hardest?).
    pub delivered_in_window: Vec<f64>,
    /// Beside each figure of [`Hostile::delivered_in_window`], how many of that alert's
    /// publisher's links go to honest nodes. With none,
    /// the publisher is eclipsed by chance (every link a Sybil): nothing it publishes
    /// gets out until it links to an honest node (the eclipse case, which sync covers).
    pub publisher_honest_links: Vec<usize>,
    /// [`Hostile::delivered_in_window_min`] over the alerts whose publisher had an
    /// honest link (1 when there are none).
    pub delivered_in_window_min_linked: f64,
    /// Honest nodes (eligible ones) with no honest link: cut off by chance, they cannot
    /// receive anything until they link to an honest node.
    pub honest_cut_off: usize,
    /// Envelopes other than the community's real ones accepted by honest nodes
    /// (`Accepted` events): must be 0.
    pub unauthorized_accepted: u64,
    /// Envelopes other than the real ones in honest stores at the end: must be 0.
    pub unauthorized_stored: u64,
    /// Honest-to-flooder connections when the flood started.
    pub flooder_links_at_start: usize,
    /// The same at the end of the run.
    pub flooder_links_at_end: usize,
    /// Gossip envelopes honest nodes dropped for load (queue full or a peer's rate
    /// limit), summed.
    pub load_drops: u64,
    /// Catch-up rounds honest nodes ran after such drops, summed.
    pub catch_up_rounds: u64,
    /// `(rss_peak - rss_before) / honest`, bytes: everything the process holds,
    /// adversaries included, charged to the honest nodes.
    pub rss_per_honest_node: u64,
    /// The eclipse, if one was attempted.
    pub eclipse: Option<Eclipse>,
}

/// The eclipsed node.
#[derive(Debug, Clone, Serialize)]
pub struct Eclipse {
    /// Which node.
    pub victim: usize,
    /// Its links, all to adversaries.
    pub links: usize,
    /// Alerts it held when the alerts were over.
    pub held_before: usize,
    /// Alerts it held after dialing one honest node.
    pub held_after: usize,
    /// From the dial to holding every alert, milliseconds.
    pub catch_up_ms: Option<f64>,
}

/// How soon an honest node must receive a valid alert in a hostile run.
pub const DELIVERY_WINDOW: Duration = Duration::from_secs(30);

/// Start-up figures.
#[derive(Debug, Clone, Serialize)]
pub struct Setup {
    /// Nodes linked to all planned neighbours with a mesh when the alerts started.
    pub ready_nodes: usize,
    /// Time from the last node start to ready, seconds.
    pub warmup_secs: f64,
    /// Mean gossipsub mesh size.
    pub mesh_mean: f64,
    /// Mean number of connected nodes (Kademlia and identify may add links beyond the
    /// planned graph).
    pub degree_mean: f64,
    /// Mean live links per node when the first alert went out.
    pub degree_at_alerts: f64,
    /// Planned links per node.
    pub planned_degree_mean: f64,
    /// Bytes sent per node after warm-up until start-up traffic died down (Kademlia
    /// bucket refreshes, identify, sync of each new connection).
    pub startup_bytes_per_node: u64,
    /// How long that took, seconds.
    pub drain_secs: f64,
    /// Node events lost to a full buffer (0 unless the machine is overloaded).
    pub lagged_events: u64,
}

/// Delivery figures.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    /// (alert, node) pairs that should be delivered: every node but the publisher.
    pub expected: usize,
    /// Pairs delivered (accepted into the node's store).
    pub delivered: usize,
    /// `delivered / expected`.
    pub ratio: f64,
    /// Delivered by catch-up sync rather than gossip.
    pub by_sync: usize,
    /// Nodes whose store holds every alert at the end.
    pub nodes_holding_all: usize,
    /// Nodes.
    pub nodes: usize,
    /// Whether full delivery happened before the deadline.
    pub settled: bool,
    /// Publishes that the publishing node did not accept.
    pub publish_failures: usize,
}

/// Latency figures, milliseconds from publish to acceptance, over nodes that were up
/// from publish to delivery.
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    /// Measured.
    pub measured: Summary,
    /// Shortest-path bound over the live connections at publish time (hops × link
    /// latency), for the same (alert, node) pairs: the reference.
    pub bound: Summary,
    /// The same bound over the planned graph (through nodes that were up).
    pub bound_planned: Summary,
    /// Measured minus bound, per pair.
    pub excess: Summary,
    /// `measured.p99 / bound.p99`.
    pub ratio_p99: f64,
    /// The goal for `measured.p99`: 1.3 × `bound.p99` + one heartbeat.
    pub goal_p99_ms: f64,
    /// Whether it was met.
    pub goal_met: bool,
}

/// Duplicate figures, from copies of the alerts seen in the decrypted streams.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicates {
    /// Copies of alerts received by all nodes.
    pub copies: u64,
    /// First deliveries (the useful ones).
    pub useful: usize,
    /// `(copies - useful) / useful`: extra copies per useful delivery.
    pub per_useful: f64,
}

/// Traffic figures.
#[derive(Debug, Clone, Serialize)]
pub struct Bytes {
    /// Mean size of an alert envelope: the reference.
    pub envelope: f64,
    /// Length of the alert phase, seconds.
    pub window_secs: f64,
    /// Bytes sent by all nodes in the alert phase.
    pub window_total: u64,
    /// Background bytes per node per second, from the quiet period.
    pub background_per_node_per_sec: f64,
    /// Alert-phase bytes minus the background rate over the phase.
    pub attributable: f64,
    /// `attributable / (nodes × alerts)`.
    pub per_node_per_alert: f64,
    /// `per_node_per_alert / envelope`.
    pub ratio: f64,
    /// Same ratio counting only the copies of alerts (no control or framing).
    pub payload_ratio: f64,
    /// Whether `ratio` ≤ 3.
    pub goal_met: bool,
    /// TCP segments in the alert phase.
    pub segments: u64,
    /// Segments retransmitted in the alert phase.
    pub retransmits: u64,
}

/// Memory figures.
#[derive(Debug, Clone, Serialize)]
pub struct Memory {
    /// Resident set before any node started, bytes.
    pub rss_before: u64,
    /// After warm-up.
    pub rss_ready: u64,
    /// Highest sampled.
    pub rss_peak: u64,
    /// `(rss_peak - rss_before) / nodes`.
    pub per_node: u64,
    /// Whether 1,000 such nodes fit in 4 GiB.
    pub goal_met: bool,
}

/// Churn figures.
#[derive(Debug, Clone, Serialize)]
pub struct Churn {
    /// Nodes that left.
    pub leaves: usize,
    /// Nodes that came back.
    pub rejoins: usize,
    /// From coming back to holding every alert published before, milliseconds, over
    /// rejoins that owed at least one alert.
    pub catch_up: Summary,
    /// Rejoins that never caught up.
    pub never_caught_up: usize,
}

/// What [`build`] needs.
pub(crate) struct Inputs<'a> {
    pub cfg: &'a SimConfig,
    pub graph: &'a Graph,
    pub world: &'a World,
    pub publishers: &'a [usize],
    pub ready: usize,
    pub mesh_mean: f64,
    pub degree_mean: f64,
    pub degree_at_alerts: f64,
    pub warmup: Duration,
    pub startup_bytes: u64,
    pub drain_secs: f64,
    pub quiet_secs: f64,
    pub quiet_bytes: u64,
    pub window_secs: f64,
    /// (bytes, segments, retransmits) in the alert phase.
    pub window: (u64, u64, u64),
    pub copies: &'a [u64],
    pub published: &'a [Option<Instant>],
    pub first: &'a [Vec<Option<(Instant, bool)>>],
    /// The first node to gossip each alert, and how.
    pub first_gossiper: &'a [Option<(usize, &'static str)>],
    pub up_throughout: &'a dyn Fn(usize, Instant, Instant) -> bool,
    pub bounds: &'a [Bounds],
    /// (came back, caught up) per rejoin that owed alerts.
    pub rejoins: &'a [(Instant, Option<Instant>)],
    pub leaves: usize,
    pub publish_failures: usize,
    pub settled: bool,
    pub held: Vec<bool>,
    pub lagged: u64,
    pub rss_before: u64,
    pub rss_ready: u64,
    pub rss_peak: u64,
    pub cpu_busy: f64,
    pub load_average: f64,
    /// Cores busy during the quiet period.
    pub quiet_cpu: f64,
    /// CPU seconds per node per alert.
    pub cpu_per_alert: f64,
    pub lag: &'a [f64],
    pub wall: Duration,
    /// Nodes that must deliver (honest, not eclipsed).
    pub eligible: &'a [bool],
    pub hostile: Option<Hostile>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Compute the report.
pub(crate) fn build(i: Inputs<'_>) -> Report {
    let gossiper = first_gossiper(&i);
    let cfg = i.cfg;
    let n = cfg.nodes;
    let link_ms = ms(cfg.latency);
    let (mut expected, mut delivered, mut by_sync) = (0, 0, 0);
    let (mut lat, mut bound, mut planned, mut excess) = (vec![], vec![], vec![], vec![]);
    for (a, row) in i.first.iter().enumerate() {
        let publisher = i.publishers[a];
        let Some(t_pub) = i.published[a] else {
            continue;
        };
        for (node, got) in row.iter().enumerate() {
            if node == publisher || !i.eligible[node] {
                continue;
            }
            expected += 1;
            let Some((t, sync)) = *got else { continue };
            delivered += 1;
            by_sync += usize::from(sync);
            if !(i.up_throughout)(node, t_pub, t) {
                continue;
            }
            let l = ms(t.saturating_duration_since(t_pub));
            lat.push(l);
            if let Some(h) = i.bounds[a].live.get(node).copied().flatten() {
                let b = f64::from(h) * link_ms;
                bound.push(b);
                excess.push(l - b);
            }
            if let Some(h) = i.bounds[a].planned.get(node).copied().flatten() {
                planned.push(f64::from(h) * link_ms);
            }
        }
    }
    let measured = Summary::of(&lat);
    let bound = Summary::of(&bound);
    let goal_p99_ms = LATENCY_GOAL_FACTOR * bound.p99 + ms(HEARTBEAT);
    let latency = Latency {
        measured,
        bound,
        bound_planned: Summary::of(&planned),
        excess: Summary::of(&excess),
        ratio_p99: ratio(measured.p99, bound.p99),
        goal_p99_ms,
        goal_met: measured.n > 0 && measured.p99 <= goal_p99_ms,
    };

    let copies: u64 = i.copies.iter().sum();
    let duplicates = Duplicates {
        copies,
        useful: delivered,
        per_useful: ratio(copies as f64 - delivered as f64, delivered as f64),
    };

    let envelope = i
        .world
        .alerts
        .iter()
        .map(|a| a.bytes().len() as f64)
        .sum::<f64>()
        / i.world.alerts.len().max(1) as f64;
    let background = i.quiet_bytes as f64 / i.quiet_secs.max(1e-9);
    let attributable = (i.window.0 as f64 - background * i.window_secs).max(0.0);
    let per_node_per_alert = attributable / (n * cfg.alerts) as f64;
    let bytes_ratio = ratio(per_node_per_alert, envelope);
    let bytes = Bytes {
        envelope,
        window_secs: i.window_secs,
        window_total: i.window.0,
        background_per_node_per_sec: background / n as f64,
        attributable,
        per_node_per_alert,
        ratio: bytes_ratio,
        payload_ratio: ratio(copies as f64 * envelope, (n * cfg.alerts) as f64 * envelope),
        goal_met: bytes_ratio <= BYTES_GOAL_RATIO,
        segments: i.window.1,
        retransmits: i.window.2,
    };

    let per_node = i.rss_peak.saturating_sub(i.rss_before) / n as u64;
    let catch: Vec<f64> = i
        .rejoins
        .iter()
        .filter_map(|(at, done)| done.map(|d| ms(d.saturating_duration_since(*at))))
        .collect();
    Report {
        config: cfg.clone(),
        setup: Setup {
            ready_nodes: i.ready,
            warmup_secs: i.warmup.as_secs_f64(),
            mesh_mean: i.mesh_mean,
            degree_mean: i.degree_mean,
            degree_at_alerts: i.degree_at_alerts,
            planned_degree_mean: i.graph.adj.iter().map(Vec::len).sum::<usize>() as f64 / n as f64,
            startup_bytes_per_node: i.startup_bytes / n as u64,
            drain_secs: i.drain_secs,
            lagged_events: i.lagged,
        },
        delivery: Delivery {
            expected,
            delivered,
            ratio: ratio(delivered as f64, expected as f64),
            by_sync,
            nodes_holding_all: i
                .held
                .iter()
                .zip(i.eligible)
                .filter(|(h, e)| **h && **e)
                .count(),
            nodes: i.eligible.iter().filter(|e| **e).count(),
            settled: i.settled,
            publish_failures: i.publish_failures,
        },
        latency,
        duplicates,
        bytes,
        memory: Memory {
            rss_before: i.rss_before,
            rss_ready: i.rss_ready,
            rss_peak: i.rss_peak,
            per_node,
            goal_met: per_node <= MEMORY_GOAL_PER_NODE,
        },
        churn: Churn {
            leaves: i.leaves,
            rejoins: i.rejoins.len(),
            catch_up: Summary::of(&catch),
            never_caught_up: i.rejoins.iter().filter(|(_, d)| d.is_none()).count(),
        },
        cpu_busy: i.cpu_busy,
        idle_cpu_per_node_milli: i.quiet_cpu * 1000.0 / n as f64,
        cpu_ms_per_node_per_alert: i.cpu_per_alert * 1000.0,
        cpu_floor_ms: i.cpu_per_alert * 1000.0 * n as f64
            / std::thread::available_parallelism().map_or(1.0, |c| c.get() as f64),
        load_average: i.load_average,
        timer_lag: Summary::of(i.lag),
        wall_secs: i.wall.as_secs_f64(),
        hostile: i.hostile,
        first_gossiper: gossiper,
    }
}

fn first_gossiper(i: &Inputs<'_>) -> FirstGossiper {
    let seen: Vec<(usize, (usize, &str))> = i
        .first_gossiper
        .iter()
        .enumerate()
        .filter_map(|(a, g)| g.map(|g| (a, g)))
        .collect();
    let by_author = seen
        .iter()
        .filter(|(a, (node, _))| i.publishers.get(*a) == Some(node))
        .count();
    let author_ratio = ratio(by_author as f64, seen.len() as f64);
    let goal = 1.0 / i.cfg.gossip.mesh_n.max(1) as f64;
    FirstGossiper {
        stem: i.cfg.stem,
        alerts: seen.len(),
        by_author,
        author_ratio,
        goal,
        goal_met: author_ratio <= goal,
        by_fallback: seen
            .iter()
            .filter(|(_, (_, how))| *how == "fallback")
            .count(),
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 { a / b } else { f64::NAN }
}

fn mark(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

impl Report {
    /// A table for people: figure, ours, reference, ratio, goal.
    pub fn table(&self) -> String {
        let c = &self.config;
        let (l, d, b) = (&self.latency, &self.delivery, &self.bytes);
        let mut rows: Vec<[String; 5]> = vec![[
            "delivery".into(),
            format!("{:.2}% ({}/{})", d.ratio * 100.0, d.delivered, d.expected),
            "100%".into(),
            format!("{:.4}", d.ratio),
            format!("100%: {}", mark(d.ratio >= 1.0)),
        ]];
        for (name, m, r) in [
            ("latency p50", l.measured.p50, l.bound.p50),
            ("latency p95", l.measured.p95, l.bound.p95),
            ("latency p99", l.measured.p99, l.bound.p99),
            ("latency max", l.measured.max, l.bound.max),
        ] {
            let goal = if name == "latency p99" {
                format!("≤ {:.0} ms: {}", l.goal_p99_ms, mark(l.goal_met))
            } else {
                String::new()
            };
            rows.push([
                name.into(),
                format!("{m:.0} ms"),
                format!("{r:.0} ms (hops × {} ms)", c.latency.as_millis()),
                format!("{:.2}×", ratio(m, r)),
                goal,
            ]);
        }
        let g = &self.first_gossiper;
        rows.push([
            format!(
                "first gossiper is the author ({})",
                if g.stem { "stem" } else { "no stem" }
            ),
            format!(
                "{:.0}% ({}/{}, {} by fallback)",
                g.author_ratio * 100.0,
                g.by_author,
                g.alerts,
                g.by_fallback
            ),
            "100% (no stem)".into(),
            String::new(),
            format!("≤ 1/D = {:.0}%: {}", g.goal * 100.0, mark(g.goal_met)),
        ]);
        rows.push([
            "extra copies per delivery".into(),
            format!("{:.2}", self.duplicates.per_useful),
            "0".into(),
            String::new(),
            String::new(),
        ]);
        rows.push([
            "bytes sent per node per alert".into(),
            format!("{:.0} B", b.per_node_per_alert),
            format!("{:.0} B (envelope)", b.envelope),
            format!("{:.2}× (payload {:.2}×)", b.ratio, b.payload_ratio),
            format!("≤ 3×: {}", mark(b.goal_met)),
        ]);
        rows.push([
            "background per node".into(),
            format!("{:.0} B/s", b.background_per_node_per_sec),
            String::new(),
            String::new(),
            String::new(),
        ]);
        rows.push([
            "memory per node".into(),
            format!("{:.0} KiB", self.memory.per_node as f64 / 1024.0),
            format!(
                "{:.0} KiB (4 GiB / 1000)",
                MEMORY_GOAL_PER_NODE as f64 / 1024.0
            ),
            format!(
                "{:.2}×",
                self.memory.per_node as f64 / MEMORY_GOAL_PER_NODE as f64
            ),
            format!("≤ 1×: {}", mark(self.memory.goal_met)),
        ]);
        if self.churn.leaves > 0 {
            rows.push([
                "nodes holding every alert at the end".into(),
                format!("{}/{}", d.nodes_holding_all, d.nodes),
                "all".into(),
                String::new(),
                format!("100%: {}", mark(d.nodes_holding_all == d.nodes)),
            ]);
            let cu = &self.churn.catch_up;
            rows.push([
                "catch-up after rejoin p50/p95/max".into(),
                format!("{:.0}/{:.0}/{:.0} ms", cu.p50, cu.p95, cu.max),
                format!("{} rejoins", self.churn.rejoins),
                String::new(),
                String::new(),
            ]);
        }
        if let Some(h) = &self.hostile {
            rows.push([
                format!(
                    "honest delivery within {} s (min / mean over alerts)",
                    DELIVERY_WINDOW.as_secs()
                ),
                format!(
                    "{:.2}% / {:.2}%",
                    h.delivered_in_window_min * 100.0,
                    h.delivered_in_window_mean * 100.0
                ),
                format!(
                    "{} honest, {} black holes, {} withholders, {} flooders",
                    h.honest, h.black_holes, h.withholders, h.flooders
                ),
                String::new(),
                format!("≥ 99%: {}", mark(h.delivered_in_window_min >= 0.99)),
            ]);
            let eclipsed = h.publisher_honest_links.iter().filter(|l| **l == 0).count();
            if eclipsed > 0 || h.honest_cut_off > 0 {
                rows.push([
                    "the same, alerts whose publisher had an honest link".into(),
                    format!("{:.2}% (min)", h.delivered_in_window_min_linked * 100.0),
                    format!(
                        "{eclipsed} alerts' publishers had no honest link ({} honest nodes had none)",
                        h.honest_cut_off
                    ),
                    String::new(),
                    format!(
                        "≥ 99%: {}",
                        mark(h.delivered_in_window_min_linked >= 0.99)
                    ),
                ]);
            }
            rows.push([
                "unauthorized accepted / stored by honest nodes".into(),
                format!("{} / {}", h.unauthorized_accepted, h.unauthorized_stored),
                format!(
                    "{} flood envelopes sent ({:.0}/s per flooder)",
                    h.flood_published, h.flood_rate_reached
                ),
                String::new(),
                format!(
                    "0: {}",
                    mark(h.unauthorized_accepted == 0 && h.unauthorized_stored == 0)
                ),
            ]);
            if h.flooders > 0 {
                rows.push([
                    "honest links to flooders (flood start → end)".into(),
                    format!("{} → {}", h.flooder_links_at_start, h.flooder_links_at_end),
                    format!(
                        "{} load drops, {} catch-up rounds",
                        h.load_drops, h.catch_up_rounds
                    ),
                    String::new(),
                    format!("0 at end: {}", mark(h.flooder_links_at_end == 0)),
                ]);
            }
            rows.push([
                "memory per honest node (all of the process)".into(),
                format!("{:.0} KiB", h.rss_per_honest_node as f64 / 1024.0),
                String::new(),
                String::new(),
                String::new(),
            ]);
            if let Some(e) = &h.eclipse {
                rows.push([
                    "eclipsed node: alerts held before → after one honest link".into(),
                    format!("{} → {}", e.held_before, e.held_after),
                    format!("{} links, all to adversaries", e.links),
                    e.catch_up_ms
                        .map(|ms| format!("{ms:.0} ms"))
                        .unwrap_or_default(),
                    format!("all: {}", mark(e.held_after == c.alerts)),
                ]);
            }
        }
        let widths: Vec<usize> = (0..5)
            .map(|k| {
                rows.iter()
                    .map(|r| r[k].chars().count())
                    .chain([["figure", "ours", "reference", "ratio", "goal"][k].len()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} nodes ({:?}, degree {}, {}), {} ms links, {:.1}% loss, churn {:.0}%/min, {} alerts, seed {}",
            c.nodes,
            c.topology,
            c.degree,
            if c.open_links {
                "open links"
            } else {
                "topology links only"
            },
            c.latency.as_millis(),
            c.loss * 100.0,
            c.churn * 100.0,
            c.alerts,
            c.seed
        );
        let _ = writeln!(
            out,
            "ready {}/{} after {:.1} s; mean mesh {:.1}; mean links {:.1} at alerts (planned {:.1}); start-up {:.0} KiB/node over {:.0} s; cpu busy {:.0}%, {:.2} ms per node per alert (floor {:.0} ms), load {:.1}, timer lag p50/p99 {:.1}/{:.1} ms; wall {:.0} s",
            self.setup.ready_nodes,
            c.nodes,
            self.setup.warmup_secs,
            self.setup.mesh_mean,
            self.setup.degree_at_alerts,
            self.setup.planned_degree_mean,
            self.setup.startup_bytes_per_node as f64 / 1024.0,
            self.setup.drain_secs,
            self.cpu_busy * 100.0,
            self.cpu_ms_per_node_per_alert,
            self.cpu_floor_ms,
            self.load_average,
            self.timer_lag.p50,
            self.timer_lag.p99,
            self.wall_secs
        );
        let line = |out: &mut String, cells: [&str; 5]| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(s, w)| format!("{s:<w$}", w = *w))
                .collect();
            let _ = writeln!(out, "{}", padded.join("  ").trim_end());
        };
        line(&mut out, ["figure", "ours", "reference", "ratio", "goal"]);
        for r in &rows {
            line(
                &mut out,
                [
                    r[0].as_str(),
                    r[1].as_str(),
                    r[2].as_str(),
                    r[3].as_str(),
                    r[4].as_str(),
                ],
            );
        }
        out
    }
}
