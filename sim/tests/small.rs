//! Small simulations that run in CI: they assert that every alert reaches every node
//! (never how fast; the machine may be busy), with loss on every link, and with nodes
//! leaving and catching up by sync.

use std::time::{Duration, Instant};

use aviso_sim::{Report, SimConfig, run};

fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// A configuration small enough for a debug build on two busy cores.
fn small(nodes: usize) -> SimConfig {
    SimConfig {
        nodes,
        degree: 4,
        latency: Duration::from_millis(10),
        loss: 0.02,
        alerts: 3,
        alert_interval: Duration::from_millis(300),
        organizers: 2,
        seed: 7,
        warmup_timeout: Duration::from_secs(30),
        drain_timeout: Duration::from_secs(3),
        quiet: Duration::from_secs(1),
        deadline: Duration::from_secs(30),
        ..SimConfig::default()
    }
}

async fn simulate(cfg: SimConfig) -> Report {
    init_logs();
    let start = Instant::now();
    let report = run(&cfg, &|_| {}).await.expect("simulation runs");
    eprintln!("{}", report.table());
    assert!(
        start.elapsed() < Duration::from_secs(90),
        "a small simulation must stay small"
    );
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_nodes_with_loss_all_receive_every_alert() {
    let report = simulate(small(30)).await;
    let d = &report.delivery;
    assert_eq!(d.publish_failures, 0);
    assert_eq!(d.expected, 3 * 29);
    assert_eq!(d.delivered, d.expected, "every node accepted every alert");
    assert_eq!(d.nodes_holding_all, 30, "every store holds every alert");
    assert!(d.settled);
    // The counters saw the traffic: every delivery came as at least one copy.
    assert!(report.duplicates.copies >= d.delivered as u64);
    assert!(report.bytes.window_total > 0);
    assert!(report.latency.measured.n > 0);
    assert!(
        report.latency.bound.p50 >= 10.0,
        "one hop is the link latency"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nodes_that_leave_catch_up_when_they_return() {
    let cfg = SimConfig {
        // Heavy churn on a short schedule, so nodes are away while alerts go out.
        churn: 3.0,
        down_min: Duration::from_secs(2),
        down_max: Duration::from_secs(4),
        alerts: 4,
        alert_interval: Duration::from_secs(2),
        seed: 3,
        ..small(16)
    };
    let report = simulate(cfg).await;
    let (d, c) = (&report.delivery, &report.churn);
    assert!(c.leaves > 0, "the schedule takes nodes down");
    assert_eq!(c.rejoins, c.leaves, "every node that left came back");
    assert_eq!(d.nodes_holding_all, 16, "every store holds every alert");
    assert_eq!(d.delivered, d.expected);
    assert_eq!(c.never_caught_up, 0);
}

/// Private publishing (issue 14): with the stem, every alert still reaches every node,
/// and the first node to gossip an alert is mostly not its author; without it, always
/// the author (the reference, which also shows the measurement sees the difference).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stem_hides_the_author_and_loses_nothing() {
    let cfg = SimConfig {
        alerts: 6,
        alert_interval: Duration::from_millis(200),
        seed: 11,
        ..small(16)
    };
    let stem = simulate(cfg.clone()).await;
    let d = &stem.delivery;
    assert_eq!(d.publish_failures, 0);
    assert_eq!(d.delivered, d.expected, "every node accepted every alert");
    assert_eq!(d.nodes_holding_all, 16);
    let g = &stem.first_gossiper;
    assert!(g.stem);
    assert_eq!(g.alerts, 6, "someone gossiped every alert");
    assert!(
        g.by_author < g.alerts,
        "some alerts were first gossiped by a node other than their author: {g:?}"
    );

    let direct = simulate(SimConfig { stem: false, ..cfg }).await;
    assert_eq!(direct.delivery.delivered, direct.delivery.expected);
    let g = &direct.first_gossiper;
    assert!(!g.stem);
    assert_eq!(
        (g.alerts, g.by_author),
        (6, 6),
        "without a stem, the author"
    );
}
