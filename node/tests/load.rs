//! Attacks on the node's capacity, on real swarms on 127.0.0.1: gossip dropped for load
//! must not hide a real alert, and peers that never read what they asked for must not
//! fill the node's memory.

mod common;

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
    let h = TestNode::start(dirs[0].path(), 71, &w.community, vec![]).await;
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
        v.wait_has(&real.id(), "the real alert at V").await;
        assert_eq!(
            events.of(&real.id()),
            Some("sync"),
            "V caught up on the alert from H"
        );
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
