//! Real swarms on 127.0.0.1: propagation, the relay rule at the first hop, penalties for
//! bad peers, oversized frames, and restarts.

mod common;

use std::time::Duration;

use aviso_protocol::*;
use common::*;
use futures::StreamExt;
use libp2p::{Multiaddr, Swarm, gossipsub};

/// A hostile peer: a bare gossipsub swarm on the community topic that publishes whatever
/// bytes we give it, without any validation.
struct Rogue {
    swarm: Swarm<gossipsub::Behaviour>,
    topic: gossipsub::IdentTopic,
}

impl Rogue {
    async fn connect(community: &CommunityId, to: &Multiaddr) -> Rogue {
        let (swarm, topic) = raw_gossip_swarm(community, to, Duration::from_millis(200));
        let mut rogue = Rogue { swarm, topic };
        // Wait until the victim has subscribed back, so publishes go out.
        rogue
            .drive_until(Duration::from_secs(20), |ev| {
                matches!(
                    ev,
                    libp2p::swarm::SwarmEvent::Behaviour(gossipsub::Event::Subscribed { .. })
                )
            })
            .await;
        rogue
    }

    async fn drive_until(
        &mut self,
        limit: Duration,
        mut stop: impl FnMut(&libp2p::swarm::SwarmEvent<gossipsub::Event>) -> bool,
    ) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            match tokio::time::timeout_at(deadline, self.swarm.select_next_some()).await {
                Ok(ev) if stop(&ev) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }

    fn publish(&mut self, bytes: Vec<u8>) -> Result<(), gossipsub::PublishError> {
        self.swarm
            .behaviour_mut()
            .publish(self.topic.clone(), bytes)
            .map(|_| ())
    }

    /// Keep the swarm running in the background (so the connection stays served).
    fn spawn(mut self) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let _ = tokio::time::timeout(Duration::from_secs(60), async {
                loop {
                    self.swarm.select_next_some().await;
                }
            })
            .await;
        })
    }
}

fn forged(w: &World, n: u32) -> Vec<u8> {
    let mut bytes = w.alert(&w.org, &format!("forged {n}")).into_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alert_crosses_a_line_of_three_and_shows_at_the_end() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..3)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let a = TestNode::start(dirs[0].path(), 11, &w.community, vec![]).await;
    let b = TestNode::start(dirs[1].path(), 12, &w.community, vec![a.addr.clone()]).await;
    let c = TestNode::start(dirs[2].path(), 13, &w.community, vec![b.addr.clone()]).await;
    c.wait_connected(&b.peer_id).await;
    b.wait_connected(&a.peer_id).await;
    assert!(
        !c.peers().await.contains(&a.peer_id.to_string()),
        "A and C are not connected"
    );

    let list = w.trust_list(1, vec![]);
    assert!(matches!(a.publish(&list).await, pipeline_accepted!()));
    c.wait_has(&list.id(), "the trust list at C").await;
    let alert = w.alert(&w.org, "Raid on 24th St");
    assert!(matches!(a.publish(&alert).await, pipeline_accepted!()));
    c.wait_has(&alert.id(), "the alert at C").await;
    let feed = c.feed(&w.settings());
    let shown: Vec<Id> = feed
        .alerts
        .iter()
        .filter(|x| x.shown)
        .map(|x| x.id)
        .collect();
    assert_eq!(shown, vec![alert.id()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_alert_stops_at_the_first_hop() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let b = TestNode::start(dirs[0].path(), 21, &w.community, vec![]).await;
    let c = TestNode::start(dirs[1].path(), 22, &w.community, vec![b.addr.clone()]).await;
    c.wait_connected(&b.peer_id).await;
    let list = w.trust_list(1, vec![]);
    b.publish(&list).await;
    c.wait_has(&list.id(), "the trust list at C").await;

    let mut rogue = Rogue::connect(&w.community.id, &b.addr).await;
    let outsider = w.alert(&key(99), "Fake raid");
    rogue
        .publish(outsider.bytes().to_vec())
        .expect("rogue publishes");
    // Then a real alert through the same hop, as a marker that gossip flowed past it.
    let real = w.alert(&w.org, "Real alert");
    let bg = rogue.spawn();
    b.publish(&real).await;
    c.wait_has(&real.id(), "the real alert at C").await;
    assert!(
        !b.has(&outsider.id()),
        "B did not store the outsider's alert"
    );
    assert!(!c.has(&outsider.id()), "C never saw the outsider's alert");
    bg.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_of_bad_signatures_gets_the_peer_dropped_and_others_served() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let b = TestNode::start(dirs[0].path(), 31, &w.community, vec![]).await;
    let c = TestNode::start(dirs[1].path(), 32, &w.community, vec![b.addr.clone()]).await;
    c.wait_connected(&b.peer_id).await;
    let list = w.trust_list(1, vec![]);
    b.publish(&list).await;
    c.wait_has(&list.id(), "the trust list at C").await;

    let mut rogue = Rogue::connect(&w.community.id, &b.addr).await;
    let rogue_id = rogue.swarm.local_peer_id().to_string();
    // A flood: thousands of forged envelopes as fast as the rogue can queue them.
    for n in 0..5_000 {
        let _ = rogue.publish(forged(&w, n));
    }
    let disconnected = rogue
        .drive_until(Duration::from_secs(30), |ev| {
            matches!(
                ev,
                libp2p::swarm::SwarmEvent::ConnectionClosed {
                    num_established: 0,
                    ..
                }
            )
        })
        .await;
    assert!(disconnected, "the node closed the connection to the forger");
    // The forger saw the close first; the node's own list follows once its connection
    // task has ended, and the forger does not come back (it is blocked).
    common::wait_for(
        "the forger gone from the node's peers",
        Duration::from_secs(10),
        || async { (!b.peers().await.contains(&rogue_id)).then_some(()) },
    )
    .await;
    assert_eq!(b.store.len(), 1, "no forged envelope was stored");
    // The node kept serving its honest peer throughout.
    let alert = w.alert(&w.org, "after the flood");
    b.publish(&alert).await;
    c.wait_has(&alert.id(), "an alert after the flood at C")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_message_is_dropped_and_the_node_keeps_serving() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let b = TestNode::start(dirs[0].path(), 41, &w.community, vec![]).await;
    let c = TestNode::start(dirs[1].path(), 42, &w.community, vec![b.addr.clone()]).await;
    c.wait_connected(&b.peer_id).await;
    let mut rogue = Rogue::connect(&w.community.id, &b.addr).await;
    rogue
        .publish(vec![7u8; 512 * 1024])
        .expect("rogue sends a huge frame");
    let bg = rogue.spawn();
    let list = w.trust_list(1, vec![]);
    b.publish(&list).await;
    c.wait_has(&list.id(), "a later envelope at C").await;
    assert_eq!(b.store.len(), 1);
    bg.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restart_keeps_store_and_peer_id_and_publishes_at_once() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let b = TestNode::start(dirs[1].path(), 52, &w.community, vec![]).await;
    let a = TestNode::start(dirs[0].path(), 51, &w.community, vec![b.addr.clone()]).await;
    a.wait_connected(&b.peer_id).await;
    let list = w.trust_list(1, vec![]);
    let first = w.alert(&w.org, "before restart");
    a.publish(&list).await;
    a.publish(&first).await;
    b.wait_has(&first.id(), "the first alert at B").await;
    let old_id = a.peer_id;
    a.stop().await;

    let a = TestNode::start(dirs[0].path(), 51, &w.community, vec![b.addr.clone()]).await;
    assert_eq!(a.peer_id, old_id, "same peer id after restart");
    assert!(
        a.has(&list.id()) && a.has(&first.id()),
        "every accepted envelope survived"
    );
    // Publish straight away: the node must deliver even if peers still hold the old
    // connection state for a moment (the retry queue and catch-up cover it).
    let second = w.alert(&w.org, "right after restart");
    assert!(matches!(a.publish(&second).await, pipeline_accepted!()));
    b.wait_has(&second.id(), "the post-restart alert at B")
        .await;
}

#[macro_export]
macro_rules! pipeline_accepted {
    () => {
        aviso_node::pipeline::Outcome::Accepted { .. }
    };
}

/// Regression: the gossip id once left the signature out, so a forged copy of a real alert
/// that arrived first made the real one a "duplicate" and got honest peers penalized.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_copy_arriving_first_does_not_hide_the_real_alert() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let b = TestNode::start(dirs[0].path(), 61, &w.community, vec![]).await;
    let a = TestNode::start(dirs[1].path(), 62, &w.community, vec![b.addr.clone()]).await;
    a.wait_connected(&b.peer_id).await;
    let list = w.trust_list(1, vec![]);
    a.publish(&list).await;
    b.wait_has(&list.id(), "the trust list at B").await;

    let mut rogue = Rogue::connect(&w.community.id, &b.addr).await;
    let real = w.alert(&w.org, "real alert");
    let mut forged = real.bytes().to_vec();
    let last = forged.len() - 1;
    forged[last] ^= 0xff;
    rogue
        .publish(forged)
        .expect("rogue publishes the forged copy");
    let rogue_id = rogue.swarm.local_peer_id().to_string();
    let bg = rogue.spawn();
    // The forgery must be judged first: wait until B has penalized the rogue for it.
    wait_for(
        "B to reject the forged copy",
        Duration::from_secs(20),
        || async {
            let status = b.client.status().await.ok()?;
            let score = status.peers.iter().find(|p| p.peer_id == rogue_id)?.score?;
            (score < 0.0).then_some(())
        },
    )
    .await;
    a.publish(&real).await;
    b.wait_has(&real.id(), "the real alert at B").await;
    assert!(
        b.peers().await.contains(&a.peer_id.to_string()),
        "the honest peer is not blocked"
    );
    bg.abort();
}

/// A node meets a kind it does not know (as a newer node would send): it is not stored
/// or forwarded, and the peer that sent it is not penalized. Before unknown kinds were
/// told apart, each one was "malformed": a rejection costing the sender 50 points
/// squared, so three disconnected it (and a newer node would be cut off by older ones).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_kind_is_ignored_without_penalty() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let b = TestNode::start(dirs[0].path(), 71, &w.community, vec![]).await;
    let c = TestNode::start(dirs[1].path(), 72, &w.community, vec![b.addr.clone()]).await;
    c.wait_connected(&b.peer_id).await;
    let list = w.trust_list(1, vec![]);
    b.publish(&list).await;
    c.wait_has(&list.id(), "the trust list at C").await;

    let mut newer = Rogue::connect(&w.community.id, &b.addr).await;
    let newer_id = newer.swarm.local_peer_id().to_string();
    let sent = 3u64;
    for n in 0..sent {
        let body = format!("a kind from the future, {n}");
        let bytes =
            fixtures::unknown_kind(&w.org, w.community.id, 100, body.as_bytes(), now(), 3600);
        newer.publish(bytes).expect("the newer peer publishes");
    }
    let bg = newer.spawn();
    common::wait_for(
        "the unknown kinds judged",
        Duration::from_secs(20),
        || async { (b.pipeline.unknown_kinds() >= sent).then_some(()) },
    )
    .await;
    // A marker through the same hop, so the gossip around the unknown kinds has flowed.
    let alert = w.alert(&w.org, "after the unknown kinds");
    b.publish(&alert).await;
    c.wait_has(&alert.id(), "the marker at C").await;
    assert_eq!(b.store.len(), 2, "only the list and the marker are stored");
    assert_eq!(c.pipeline.unknown_kinds(), 0, "B did not forward them");
    let status = b.client.status().await.expect("status");
    let peer = status
        .peers
        .iter()
        .find(|p| p.peer_id == newer_id)
        .expect("the newer peer is still connected");
    assert!(
        peer.score.is_none_or(|s| s >= 0.0),
        "the newer peer was penalized: score {:?}",
        peer.score
    );
    bg.abort();
}

/// A member's response, gossiped from one node to another, shows in the other's counts;
/// its withdrawal takes it back, and the alert's end takes the tally away.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_crosses_the_mesh_and_counts_there() {
    let w = World::new();
    let dirs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect();
    let a = TestNode::start(dirs[0].path(), 81, &w.community, vec![]).await;
    let b = TestNode::start(dirs[1].path(), 82, &w.community, vec![a.addr.clone()]).await;
    b.wait_connected(&a.peer_id).await;
    let list = w.trust_list(1, vec![]);
    let alert = w.alert(&w.org, "Raid on 24th St");
    a.publish(&list).await;
    a.publish(&alert).await;
    b.wait_has(&alert.id(), "the alert at B").await;

    let respond = |answer| {
        let body = aviso_node::respond::body(alert.id(), answer);
        Envelope::sign(&w.member, w.community.id, &body, now(), alert.expires_at()).expect("signs")
    };
    let legal = Answer::Responding {
        role: ResponderRole::LegalObserver,
        eta_minutes: Some(15),
    };
    let answer = respond(legal);
    assert!(matches!(a.publish(&answer).await, pipeline_accepted!()));
    b.wait_has(&answer.id(), "the response at B").await;
    let tally = &b.feed(&w.settings()).responses;
    assert_eq!(tally.len(), 1);
    assert_eq!((tally[0].thread, tally[0].responding), (alert.id(), 1));
    assert_eq!(tally[0].roles[0].role, ResponderRole::LegalObserver);

    // Each answer a second after the one before: replacement goes by `created_at`.
    let later = |answer, after: &Envelope| {
        let body = aviso_node::respond::body(alert.id(), answer);
        let at = now().max(after.created_at() + 1);
        Envelope::sign(&w.member, w.community.id, &body, at, alert.expires_at()).expect("signs")
    };
    let withdrawn = later(Answer::Withdrawn, &answer);
    assert!(matches!(a.publish(&withdrawn).await, pipeline_accepted!()));
    b.wait_has(&withdrawn.id(), "the withdrawal at B").await;
    assert!(b.feed(&w.settings()).responses.is_empty());

    // Answer again, then the alert ends: no tally, and no new answers are relayed.
    let again = later(legal, &withdrawn);
    assert!(matches!(a.publish(&again).await, pipeline_accepted!()));
    b.wait_has(&again.id(), "the new answer at B").await;
    assert_eq!(b.feed(&w.settings()).responses.len(), 1);
    let clear = w.lifecycle(&w.org, MsgType::AllClear, alert.id());
    a.publish(&clear).await;
    b.wait_has(&clear.id(), "the all-clear at B").await;
    assert!(b.feed(&w.settings()).responses.is_empty());
    let late = respond(Answer::CantRespond);
    assert!(
        matches!(
            b.publish(&late).await,
            aviso_node::pipeline::Outcome::Ignored { .. }
        ),
        "a response to an ended alert is not relayed"
    );
}
