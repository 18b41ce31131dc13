//! Other libp2p clients and slow bootstraps (issue 17), with real swarms on 127.0.0.1:
//! membership is decided by behaviour, not by identify's version string; catch-up is
//! started only with peers that speak it; all of a bootstrap peer's addresses are dialled
//! at once.

mod common;

use std::time::{Duration, Instant};

use common::*;
use futures::StreamExt;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{Multiaddr, gossipsub, identify};

/// What a minimal client in another implementation would run: anonymous gossipsub with
/// Aviso's message-id rule, and identify announcing its own implementation's version (as
/// js-libp2p does; it cannot announce `/aviso/1`). No sync, no fetch, no Kademlia.
#[derive(NetworkBehaviour)]
struct Foreign {
    gossipsub: gossipsub::Behaviour,
    identify: identify::Behaviour,
}

fn foreign_client(to: &Multiaddr) -> libp2p::Swarm<Foreign> {
    let cfg = gossipsub::ConfigBuilder::default()
        .validation_mode(gossipsub::ValidationMode::Anonymous)
        .message_id_fn(|m: &gossipsub::Message| aviso_node::net::gossip_message_id(&m.data))
        .heartbeat_interval(Duration::from_millis(200))
        .build()
        .expect("config");
    let mut swarm = tcp_swarm(Duration::from_secs(60), |key| Foreign {
        gossipsub: gossipsub::Behaviour::new(gossipsub::MessageAuthenticity::Anonymous, cfg)
            .expect("gossipsub"),
        identify: identify::Behaviour::new(
            identify::Config::new("/ipfs/0.1.0".into(), key.public())
                .with_agent_version("js-libp2p/2.0.0".into()),
        ),
    });
    swarm.dial(to.clone()).expect("dials");
    swarm
}

#[tokio::test]
async fn a_client_of_another_implementation_receives_and_publishes() {
    let w = World::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let node = TestNode::start(dir.path(), 1, &w.community, vec![]).await;
    node.publish(&w.trust_list(1, vec![])).await;
    let mut client = foreign_client(&node.addr);
    let topic = aviso_node::net::topic_for(&w.community.id);
    client
        .behaviour_mut()
        .gossipsub
        .subscribe(&topic)
        .expect("subscribes");
    let client_id = *client.local_peer_id();

    // The node keeps the client (it is not disconnected for its identify version) and
    // gossips an alert to it.
    let alert = w.alert(&w.org, "Raid on 24th St");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut published = false;
    let mut got = false;
    while !got {
        assert!(Instant::now() < deadline, "the client never got the alert");
        let ev = tokio::time::timeout(Duration::from_millis(200), client.select_next_some()).await;
        match ev {
            Ok(SwarmEvent::Behaviour(ForeignEvent::Gossipsub(gossipsub::Event::Message {
                message,
                ..
            }))) => got = message.data == alert.bytes(),
            Ok(SwarmEvent::Behaviour(ForeignEvent::Gossipsub(gossipsub::Event::Subscribed {
                ..
            }))) if !published => {
                published = true;
                // Give the mesh a heartbeat to form, then publish from the node.
                let n = node.client.clone();
                let bytes = alert.bytes().to_vec();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(1500)).await;
                    let _ = n.publish(bytes).await;
                });
            }
            Ok(SwarmEvent::ConnectionClosed { .. }) => panic!("the node dropped the client"),
            _ => {}
        }
    }

    // The client publishes an organizer's alert; the node validates and stores it.
    let from_client = w.alert(&w.org, "Checkpoint on Mission St");
    client
        .behaviour_mut()
        .gossipsub
        .publish(topic.clone(), from_client.bytes().to_vec())
        .expect("publishes");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !node.has(&from_client.id()) {
        assert!(
            Instant::now() < deadline,
            "the node never stored the client's alert"
        );
        let _ = tokio::time::timeout(Duration::from_millis(100), client.select_next_some()).await;
    }

    // It speaks no sync protocol, so the node never started a catch-up session with it
    // (before, one started at once and failed with "unsupported protocol").
    let status = node.client.status().await.expect("status");
    let peer = status
        .peers
        .iter()
        .find(|p| p.peer_id == client_id.to_string())
        .expect("the client is still connected");
    assert!(peer.last_sync.is_none(), "{:?}", peer.last_sync);
}

/// An invite listing a dead address before the live one: the peer's addresses are dialled
/// together, so the live one connects on the first attempt. (Before, the live address was
/// refused while the dead dial was pending, and joining took 8 to 33 s.)
#[tokio::test]
async fn a_dead_bootstrap_address_does_not_delay_the_live_one() {
    let w = World::new();
    let (da, db) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    let a = TestNode::start(da.path(), 1, &w.community, vec![]).await;
    // A QUIC address on a UDP port nothing listens on (bound and dropped), with A's id.
    let dead_port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port();
    let dead: Multiaddr = format!("/ip4/127.0.0.1/udp/{dead_port}/quic-v1/p2p/{}", a.peer_id)
        .parse()
        .expect("addr");
    let start = Instant::now();
    let b = TestNode::start(db.path(), 2, &w.community, vec![dead, a.addr.clone()]).await;
    b.wait_connected(&a.peer_id).await;
    let took = start.elapsed();
    println!("time to first connection with a dead address first: {took:?}");
    // Generous: one dial attempt, not a wait for the dead dial's timeout and a backoff.
    assert!(took < Duration::from_secs(5), "{took:?}");
}
