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

/// A node A whose mesh of one is held by a black hole, and an honest node B linked to
/// it outside that mesh; both hold the trust list. A is tuned by `tune` on top of that.
/// Own envelopes go straight to gossip (no stem), so A receives B's by gossip from B:
/// everything A receives comes from outside its mesh, as for a node whose mesh Sybils
/// took. The black hole runs until the returned task is aborted.
struct HeldMesh {
    w: World,
    a: TestNode,
    b: TestNode,
    hole: libp2p::PeerId,
    driver: tokio::task::JoinHandle<()>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

async fn mesh_held_by_a_black_hole(tune: impl FnOnce(&mut aviso_node::net::NetConfig)) -> HeldMesh {
    let w = World::new();
    let (da, db) = (
        tempfile::tempdir().expect("tmp"),
        tempfile::tempdir().expect("tmp"),
    );
    let a = TestNode::start_tuned(da.path(), 1, Some(w.community.clone()), vec![], |c| {
        c.stem.enabled = false;
        c.gossip.mesh_n = 1;
        c.gossip.mesh_n_low = 1;
        c.gossip.mesh_n_high = 1;
        tune(c);
    })
    .await;
    let mut swarm = black_hole(&w.community.id, &a.addr);
    let hole = *swarm.local_peer_id();
    let driver = tokio::spawn(async move {
        loop {
            swarm.select_next_some().await;
        }
    });
    wait_for(
        "the black hole in A's mesh",
        Duration::from_secs(30),
        || async { standing(&a, &hole).await.and_then(|(m, _)| m.then_some(())) },
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
    HeldMesh {
        w,
        a,
        b,
        hole,
        driver,
        _dirs: (da, db),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mesh_peer_that_never_forwards_is_scored_out_of_the_mesh() {
    let HeldMesh {
        w,
        a,
        b,
        hole,
        driver,
        _dirs,
    } = mesh_held_by_a_black_hole(|c| {
        c.gossip.audit_rounds = ROUNDS;
        c.gossip.audit_score = -20.0;
    })
    .await;
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
            standing(&a, &hole)
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

/// Catch-up on a mesh miss (on by default): when new envelopes keep coming first from
/// outside a node's mesh (its mesh a black hole), it reconciles with the peer that brought
/// them, and gets what gossip never carried. Not after one such envelope (an IHAVE can
/// win a race against a long mesh path), after
/// [`aviso_node::net::MESH_MISSES_BEFORE_SYNC`] in a row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_whose_mesh_misses_envelopes_reconciles_with_the_peer_that_brought_them() {
    let HeldMesh {
        w,
        a,
        b,
        driver,
        _dirs,
        ..
    } = mesh_held_by_a_black_hole(|c| assert!(c.gossip.sync_on_mesh_miss, "on by default")).await;
    // Held by B and never gossiped: only a reconciliation brings it to A.
    let held = w.alert(&w.org, "held by B only");
    let stored = b
        .pipeline
        .ingest(held.bytes(), aviso_node::pipeline::Source::Sync(a.peer_id))
        .await;
    assert!(
        matches!(stored, aviso_node::pipeline::Outcome::Accepted { .. }),
        "{stored:?}"
    );
    for n in 0..aviso_node::net::MESH_MISSES_BEFORE_SYNC {
        let alert = w.alert(&w.org, &format!("alert {n}"));
        b.publish(&alert).await;
        a.wait_has(&alert.id(), "an alert at A, from outside its mesh")
            .await;
    }
    a.wait_has(
        &held.id(),
        "the envelope gossip never carried, by reconciliation",
    )
    .await;
    driver.abort();
}
