//! The mesh audit (issue 15) with real swarms on 127.0.0.1: a peer in a node's gossip
//! mesh that never forwards anything (a black-hole Sybil) is scored out of the mesh once
//! a few envelopes have come first from others, while the honest peer that brought them
//! stays. Counted in envelopes, not time: nothing is suspected while nothing is sent.

mod common;

use std::time::Duration;

use common::*;
use futures::StreamExt;
use libp2p::gossipsub;

/// Mesh misses before a peer is suspect (the audit is off by default; see
/// `aviso_node::net::audit`).
const ROUNDS: u32 = 3;

/// A black hole: subscribes and grafts like any member, but never validates what it
/// receives, so gossipsub never forwards or announces any of it.
fn black_hole(
    community: &aviso_protocol::CommunityId,
    to: &libp2p::Multiaddr,
) -> libp2p::Swarm<gossipsub::Behaviour> {
    let cfg = gossipsub::ConfigBuilder::default()
        .validation_mode(gossipsub::ValidationMode::Anonymous)
        .message_id_fn(|m: &gossipsub::Message| aviso_node::net::gossip_message_id(&m.data))
        .validate_messages()
        .heartbeat_interval(Duration::from_millis(200))
        .build()
        .expect("config");
    let mut swarm = tcp_swarm(Duration::from_secs(60), |_| {
        gossipsub::Behaviour::new(gossipsub::MessageAuthenticity::Anonymous, cfg)
            .expect("behaviour")
    });
    let topic = aviso_node::net::topic_for(community);
    swarm.behaviour_mut().subscribe(&topic).expect("subscribes");
    swarm.dial(to.clone()).expect("dials");
    swarm
}

/// `peer`'s entry in `node`'s status: (in our mesh, score).
async fn standing(node: &TestNode, peer: &libp2p::PeerId) -> Option<(bool, f64)> {
    let want = peer.to_string();
    let p = node
        .client
        .status()
        .await
        .ok()?
        .peers
        .into_iter()
        .find(|p| p.peer_id == want)?;
    Some((p.in_mesh, p.score.unwrap_or(0.0)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mesh_peer_that_never_forwards_is_scored_out_of_the_mesh() {
    let w = World::new();
    let (da, db) = (
        tempfile::tempdir().expect("tmp"),
        tempfile::tempdir().expect("tmp"),
    );
    // Own envelopes straight to gossip (no stem), so A receives B's by gossip from B.
    // A keeps a mesh of one, so that once the black hole holds that place, everything
    // A receives comes from outside its mesh: what a node whose mesh Sybils took sees.
    let a = TestNode::start_tuned(da.path(), 1, Some(w.community.clone()), vec![], |c| {
        c.stem.enabled = false;
        c.gossip.mesh_n = 1;
        c.gossip.mesh_n_low = 1;
        c.gossip.mesh_n_high = 1;
        c.gossip.audit_rounds = ROUNDS;
        c.gossip.audit_score = -20.0;
    })
    .await;
    let mut hole = black_hole(&w.community.id, &a.addr);
    let hole_id = *hole.local_peer_id();
    let driver = tokio::spawn(async move {
        loop {
            hole.select_next_some().await;
        }
    });
    wait_for(
        "the black hole in A's mesh",
        Duration::from_secs(30),
        || async {
            standing(&a, &hole_id)
                .await
                .and_then(|(m, _)| m.then_some(()))
        },
    )
    .await;
    let b = TestNode::start_tuned(
        db.path(),
        2,
        Some(w.community.clone()),
        vec![a.addr.clone()],
        |c| c.stem.enabled = false,
    )
    .await;
    a.wait_connected(&b.peer_id).await;
    let list = w.trust_list(1, vec![]);
    b.publish(&list).await;
    a.wait_has(&list.id(), "the trust list at A").await;
    // Every one comes first from B, outside A's mesh; the black hole, in it, brings none.
    for n in 0..ROUNDS + 1 {
        let alert = w.alert(&w.org, &format!("alert {n}"));
        b.publish(&alert).await;
        a.wait_has(&alert.id(), "an alert at A").await;
    }
    let (_, score) = wait_for(
        "A to score the black hole out of its mesh",
        Duration::from_secs(30),
        || async {
            standing(&a, &hole_id)
                .await
                .filter(|(in_mesh, score)| !in_mesh && *score < 0.0)
        },
    )
    .await;
    assert!(score < 0.0);
    let (_, b_score) = standing(&a, &b.peer_id).await.expect("B connected");
    assert!(b_score >= 0.0, "the peer that delivers keeps its standing");
    driver.abort();
}
