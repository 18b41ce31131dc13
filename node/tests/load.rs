//! Attacks on the node's capacity, on real swarms on 127.0.0.1: gossip dropped for load
//! must not hide a real alert, and peers that never read what they asked for must not
//! fill the node's memory.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aviso_node::pipeline::{Outcome, Source};
use aviso_protocol::*;
use common::*;
use futures::StreamExt;
use libp2p::gossipsub;
use tokio::sync::mpsc;

/// How long any one expected delivery may take on a loaded 2-core machine.
const DELIVER: Duration = Duration::from_secs(30);

fn tempdirs(n: usize) -> Vec<tempfile::TempDir> {
    (0..n)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect()
}

/// A raw gossipsub peer driven in the background; whatever bytes are sent on the returned
/// channel are published as they are, without any validation.
async fn gossip_attacker(
    community: &CommunityId,
    to: &libp2p::Multiaddr,
) -> (mpsc::Sender<Vec<Vec<u8>>>, tokio::task::JoinHandle<()>) {
    let (mut swarm, topic) = raw_gossip_swarm(community, to, Duration::from_millis(200));
    let subscribed = tokio::time::timeout(DELIVER, async {
        loop {
            if let libp2p::swarm::SwarmEvent::Behaviour(gossipsub::Event::Subscribed { .. }) =
                swarm.select_next_some().await
            {
                return;
            }
        }
    })
    .await;
    assert!(subscribed.is_ok(), "the victim subscribed back");
    let (tx, mut rx) = mpsc::channel::<Vec<Vec<u8>>>(16);
    let task = tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(120), async {
            loop {
                tokio::select! {
                    _ = swarm.select_next_some() => {}
                    batch = rx.recv() => match batch {
                        Some(batch) => {
                            for bytes in batch {
                                let _ = swarm.behaviour_mut().publish(topic.clone(), bytes);
                            }
                        }
                        None => return,
                    },
                }
            }
        })
        .await;
    });
    (tx, task)
}

/// Regression: an attacker spent its own per-peer budget with validly signed envelopes
/// from an unlisted key (ignored without penalty), then forwarded the genuine alert first.
/// The victim dropped that copy for load, but gossipsub had recorded its message id, so
/// the honest peer's copy was dropped as a duplicate for the 10-minute duplicate window.
/// The victim must now catch up from another peer by itself, with no explicit sync and
/// no periodic sync to help.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_dropped_for_load_does_not_hide_the_real_alert() {
    let w = World::new();
    let dirs = tempdirs(2);
    // H gossips its copy (no private-publishing stem, which would hand it to V directly).
    let h = TestNode::start_tuned(dirs[0].path(), 71, Some(w.community.clone()), vec![], |c| {
        c.stem.enabled = false
    })
    .await;
    // H holds the list before V arrives, stored silently (no gossip, so no retries and no
    // session started by a trust list arriving by gossip): V gets it in its one
    // on-connection session.
    let list = w.trust_list(1, vec![]);
    let ok = h.pipeline.ingest(list.bytes(), Source::Local).await;
    assert!(matches!(ok, Outcome::Accepted { .. }), "{ok:?}");
    // Periodic sync effectively off.
    let v = TestNode::start_with(
        dirs[1].path(),
        72,
        Some(w.community.clone()),
        vec![h.addr.clone()],
        Duration::from_secs(3600),
    )
    .await;
    v.wait_has(&list.id(), "the list at V").await;
    wait_for("V's session with H to end", DELIVER, || async {
        (v.client.status().await.ok()?.sync_sessions == 0).then_some(())
    })
    .await;

    let mut events = Sources::new(v.client.subscribe());
    let (attacker, bg) = gossip_attacker(&w.community.id, &v.addr).await;
    let outsider = key(99);
    let mut n = 0u32;
    let mut junk = |count: u32| -> Vec<Vec<u8>> {
        n += count;
        (n - count..n)
            .map(|i| w.alert(&outsider, &format!("junk {i}")).into_bytes())
            .collect()
    };
    // The attack can miss: the attacker's copy is taken if it finds room in the ingest
    // queue while the attacker's bucket has refilled a little. Then the alert got
    // through and there is nothing to hide; try again with another alert.
    for attempt in 0..ATTEMPTS {
        // H has the genuine alert; it reached H from elsewhere and H has not gossiped it.
        let real = w.alert(&w.org, &format!("Raid on 24th St, {attempt}"));
        let ok = h.pipeline.ingest(real.bytes(), Source::Local).await;
        assert!(matches!(ok, Outcome::Accepted { .. }), "{ok:?}");

        // The attacker: far over its per-peer budget with junk that costs it nothing
        // (validly signed, by a key no list names), then the genuine alert, then more junk.
        let mut burst = junk(4_000);
        burst.push(real.bytes().to_vec());
        burst.extend(junk(500));
        attacker.send(burst).await.expect("attacker runs");

        // V handles one peer's gossip in order: once it stores an envelope the attacker
        // sent after the alert (a member's report, sent until the attacker's budget
        // refills), it has dealt with the attacker's copy of the alert.
        let mut m = 0;
        wait_for("V to take a marker from the attacker", DELIVER, || {
            m += 1;
            let marker = w.report(&w.member, &format!("marker {attempt}.{m}"));
            let (attacker, v) = (attacker.clone(), &v);
            async move {
                attacker.send(vec![marker.bytes().to_vec()]).await.ok()?;
                tokio::time::sleep(Duration::from_millis(300)).await;
                v.has(&marker.id()).then_some(())
            }
        })
        .await;
        if events.of(&real.id()) == Some("gossip") {
            eprintln!("attempt {attempt}: the attacker's copy was taken; again");
            continue;
        }

        // The honest peer now gossips its copy too (before the fix, V dropped it as a
        // duplicate of the attacker's copy).
        let ok = h.publish(&real).await;
        assert!(matches!(ok, Outcome::Duplicate { .. }), "{ok:?}");
        // Stored, flushed and announced: the event tells where it came from.
        let deadline = std::time::Instant::now() + DELIVER;
        let source = loop {
            if let Some(source) = events.of(&real.id()) {
                break source;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "timed out after {DELIVER:?} waiting for the real alert at V"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert_eq!(source, "sync", "V caught up on the alert from H");
        let st = v.client.status().await.expect("status");
        assert!(st.gossip_load_drops > 0 && st.catch_up_rounds > 0, "{st:?}");
        let feed = v.feed(&w.settings());
        assert!(
            feed.alerts.iter().any(|a| a.id == real.id() && a.shown),
            "V shows the real alert"
        );
        drop(attacker);
        bg.abort();
        return;
    }
    panic!("the attacker's copy of the alert got through {ATTEMPTS} times");
}

/// Attempts at hiding an alert before the test gives up on the attack itself.
const ATTEMPTS: usize = 5;

/// Where each envelope a node accepted came from, from its event stream.
struct Sources {
    rx: tokio::sync::broadcast::Receiver<aviso_node::net::Event>,
    seen: std::collections::HashMap<Id, &'static str>,
}

impl Sources {
    fn new(rx: tokio::sync::broadcast::Receiver<aviso_node::net::Event>) -> Self {
        Sources {
            rx,
            seen: Default::default(),
        }
    }

    /// Where `id` came from, if the node has announced accepting it.
    fn of(&mut self, id: &Id) -> Option<&'static str> {
        use tokio::sync::broadcast::error::TryRecvError;
        loop {
            match self.rx.try_recv() {
                Ok(aviso_node::net::Event::Accepted { id, source, .. }) => {
                    self.seen.insert(id, source);
                }
                Ok(_) | Err(TryRecvError::Lagged(_)) => {}
                Err(_) => break,
            }
        }
        self.seen.get(id).copied()
    }
}

/// Fill the store in `dir` directly, past the pipeline, before its node starts.
fn fill_store(dir: &std::path::Path, envs: &[&Envelope]) {
    use aviso_node::Store;
    let store = aviso_node::SledStore::open(&dir.join("store")).expect("store opens");
    for e in envs {
        assert!(store.insert(e).expect("insert"));
    }
    store.flush().expect("flush");
}

/// Regression: peer ids are free, and request-response kept every computed fetch answer
/// (up to 4 MiB) in memory until the peer read it or the stream timed out; a few dozen
/// connections with 16 open fetch requests each and never reading held gigabytes. Now the
/// answers held are bounded per peer and in total, and peers this node dialed keep a part
/// of the budget that inbound strangers cannot take.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_that_never_read_fetch_answers_cannot_fill_memory() {
    use aviso_node::net::serve::{MAX_SERVED_BYTES, SERVED_BYTES_FOR_DIALED};
    const ATTACKERS: usize = 20;
    const OPEN_PER_ATTACKER: usize = 16;
    const WAVES: usize = 5;
    const WAVE: Duration = Duration::from_secs(1);
    const MIB: usize = 1024 * 1024;
    let w = World::new();
    let dirs = tempdirs(2);
    let list = w.trust_list(1, vec![]);
    // 300 envelopes of about 60 KB: any 256 of them make a full 4 MiB answer.
    let large: Vec<Envelope> = (0..300).map(|i| large_alert(&w, &w.org, i)).collect();
    let missing: Vec<Envelope> = (0..20)
        .map(|i| w.alert(&w.org, &format!("new {i}")))
        .collect();
    let held: Vec<&Envelope> = std::iter::once(&list).chain(&large).collect();
    fill_store(dirs[1].path(), &held);
    let mut all = held.clone();
    all.extend(&missing);
    fill_store(dirs[0].path(), &all);
    let quiet = Duration::from_secs(3600);
    let v =
        TestNode::start_with(dirs[0].path(), 81, Some(w.community.clone()), vec![], quiet).await;
    let h =
        TestNode::start_with(dirs[1].path(), 82, Some(w.community.clone()), vec![], quiet).await;

    // The attack: fresh peer ids, each with many fetch requests open, never reading.
    let ids: Vec<Id> = large.iter().map(|e| e.id()).collect();
    let waves = Arc::new(AtomicUsize::new(0));
    let mut attack = Vec::new();
    for a in 0..ATTACKERS {
        let mut swarm = never_reading_swarm(&v.addr);
        let (peer, ids, waves) = (v.peer_id, ids.clone(), waves.clone());
        attack.push(tokio::spawn(async move {
            let mut again = tokio::time::interval(WAVE);
            loop {
                tokio::select! {
                    _ = swarm.select_next_some() => {}
                    _ = again.tick() => {
                        // A new wave each time: what the victim refused, dropped or timed
                        // out is asked again.
                        for r in 0..OPEN_PER_ATTACKER {
                            let from = (a * 7 + r) % (ids.len() - 256);
                            let req = aviso_node::net::sync::encode_ids(&ids[from..from + 256]);
                            swarm.behaviour_mut().send_request(&peer, req);
                        }
                        waves.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    // Watch what the victim holds for the whole test.
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let client = v.client.clone();
    let watcher = tokio::spawn(async move {
        let mut most = 0;
        loop {
            if let Ok(st) = client.status().await {
                most = most.max(st.serving.bytes);
            }
            tokio::select! {
                _ = &mut stopped => return most,
                _ = tokio::time::sleep(Duration::from_millis(20)) => {}
            }
        }
    });
    // The attack runs for a few waves before anything else happens.
    wait_for("the attack's first waves", DELIVER, || async {
        (waves.load(Ordering::Relaxed) >= ATTACKERS * WAVES).then_some(())
    })
    .await;
    let inbound_pool = MAX_SERVED_BYTES - SERVED_BYTES_FOR_DIALED;
    wait_for("the attack to fill the inbound pool", DELIVER, || async {
        let st = v.client.status().await.ok()?;
        (st.serving.bytes + MIB > inbound_pool).then_some(())
    })
    .await;

    // Meanwhile a peer this node chose catches up from it.
    v.client.dial(h.addr.clone()).await.expect("dial starts");
    for e in &missing {
        h.wait_has(&e.id(), "a missing envelope at H").await;
    }
    let still = v.client.status().await.expect("status").serving;
    let _ = stop.send(());
    let most = watcher.await.expect("watcher");
    for a in attack {
        a.abort();
    }
    eprintln!(
        "victim held at most {most} B (peak {} B); now {still:?}",
        still.peak_bytes
    );
    assert!(
        still.bytes + MIB > inbound_pool,
        "the attack still held the inbound pool: {still:?}"
    );
    assert!(most <= MAX_SERVED_BYTES, "held {most} B");
    assert!(still.peak_bytes <= MAX_SERVED_BYTES, "{still:?}");
}

/// Regression: a peer flooding envelopes that are well signed by a key no list names is
/// ignored without a gossipsub penalty, so its score never falls and it stayed
/// connected, costing the node a rate-limit check per envelope for as long as it liked.
/// Past its rate limit in two score checks in a row it is now disconnected and blocked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_flooding_unauthorized_envelopes_is_disconnected() {
    let w = World::new();
    let dirs = tempdirs(1);
    let v = TestNode::start(dirs[0].path(), 81, &w.community, vec![]).await;
    let list = w.trust_list(1, vec![]);
    let ok = v.pipeline.ingest(list.bytes(), Source::Local).await;
    assert!(matches!(ok, Outcome::Accepted { .. }), "{ok:?}");
    let (attacker, bg) = gossip_attacker(&w.community.id, &v.addr).await;
    let outsider = key(98);
    let mut n = 0u32;
    // About 2,000 envelopes a second (10 times the per-peer rate) until V hangs up.
    wait_for("V to disconnect the flooder", DELIVER, || {
        let batch: Vec<Vec<u8>> = (n..n + 200)
            .map(|i| w.alert(&outsider, &format!("flood {i}")).into_bytes())
            .collect();
        n += 200;
        let (attacker, v) = (attacker.clone(), &v);
        async move {
            let _ = attacker.send(batch).await;
            tokio::time::sleep(Duration::from_millis(100)).await;
            let st = v.client.status().await.ok()?;
            st.peers.is_empty().then_some(())
        }
    })
    .await;
    let st = v.client.status().await.expect("status");
    assert!(
        st.gossip_load_drops > 0,
        "the flood went past the limit: {st:?}"
    );
    let stored = v
        .pipeline
        .store()
        .sync_items(aviso_node::unix_now())
        .expect("store reads");
    assert_eq!(stored.len(), 1, "only the trust list is stored");
    drop(attacker);
    bg.abort();
}
