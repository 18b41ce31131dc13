//! A small hostile community in CI: black-hole Sybils, sync withholders, flooders of
//! forged or unauthorized envelopes, and one eclipsed node. Asserts that every honest
//! node receives every alert, that no honest node accepts anything unauthorized, that
//! flooders of forgeries lose their connections, and that the eclipsed node catches up
//! once it reaches one honest peer (never how fast: the machine may be busy).

use std::time::Duration;

use aviso_sim::hostile::FloodKind;
use aviso_sim::{Report, SimConfig, run};

fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// 30 nodes: 15 honest, 9 black holes, 3 withholders, 3 flooders; one honest node
/// eclipsed.
fn hostile(kind: FloodKind) -> SimConfig {
    SimConfig {
        nodes: 30,
        degree: 8,
        latency: Duration::from_millis(10),
        loss: 0.01,
        alerts: 3,
        alert_interval: Duration::from_millis(1_000),
        organizers: 2,
        seed: 11,
        warmup_timeout: Duration::from_secs(30),
        drain_timeout: Duration::from_secs(3),
        quiet: Duration::from_secs(1),
        deadline: Duration::from_secs(45),
        black_holes: 0.3,
        withholders: 0.1,
        flooders: 0.1,
        flood_rate: 100,
        flood_kind: kind,
        eclipse: true,
        ..SimConfig::default()
    }
}

async fn simulate(cfg: SimConfig) -> Report {
    init_logs();
    let report = run(&cfg, &|_| {}).await.expect("simulation runs");
    eprintln!("{}", report.table());
    report
}

fn assert_honest_nodes_unharmed(report: &Report) {
    let d = &report.delivery;
    let h = report.hostile.as_ref().expect("a hostile run reports it");
    assert_eq!(
        (h.honest, h.black_holes, h.withholders, h.flooders),
        (15, 9, 3, 3)
    );
    assert!(h.flood_published > 0, "the flooders flooded");
    assert_eq!(d.publish_failures, 0);
    assert_eq!(
        d.delivered, d.expected,
        "every honest node accepted every alert"
    );
    assert_eq!(
        d.nodes_holding_all, d.nodes,
        "every honest store holds every alert"
    );
    assert_eq!(
        h.unauthorized_accepted, 0,
        "no honest node accepted a bad envelope"
    );
    assert_eq!(
        h.unauthorized_stored, 0,
        "no honest node stored a bad envelope"
    );
    let e = h.eclipse.as_ref().expect("an eclipse was attempted");
    assert_eq!(
        e.held_before, 0,
        "the eclipse held: nothing reached the victim"
    );
    assert_eq!(e.held_after, 3, "one honest link is enough to catch up");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sybils_withholders_and_forgers_do_not_stop_alerts() {
    let report = simulate(hostile(FloodKind::Forged)).await;
    assert_honest_nodes_unharmed(&report);
    let h = report.hostile.as_ref().expect("hostile figures");
    assert!(h.flooder_links_at_start > 0);
    assert_eq!(h.flooder_links_at_end, 0, "forgers are disconnected");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_floods_are_never_accepted() {
    // Fast enough to pass the per-peer rate limit (200/s after a burst of 1,000).
    let cfg = SimConfig {
        flood_rate: 1_000,
        ..hostile(FloodKind::Unauthorized)
    };
    let report = simulate(cfg).await;
    assert_honest_nodes_unharmed(&report);
    // Not asserted here: that these flooders lose their connections. In a debug build
    // on a busy machine the flooders cannot sign 1,000 envelopes a second, nor the
    // honest nodes verify them, so whether a flooder passes its rate limit (and is
    // blocked for it) depends on the machine; release runs measure it (BENCHMARKS.md).
}
