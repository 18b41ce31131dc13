//! Issue 14 with real swarms on 127.0.0.1: private publishing (the Dandelion++ stem) and
//! the backdating rule with first sightings kept in the store.

mod common;

use std::time::{Duration, Instant};

use aviso_node::Event;
use aviso_node::feed::{PageRequest, feed_page};
use aviso_node::net::stem::STEM_PROTOCOL;
use aviso_node::net::{NetConfig, StemConfig};
use aviso_node::pipeline::Outcome;
use aviso_node::{SledStore, Store};
use common::*;
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, StreamExt};
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{Multiaddr, StreamProtocol, gossipsub, identify};
use tokio::sync::broadcast;

/// Reads a stem request to its end (bounded) and never answers.
#[derive(Debug, Clone, Copy, Default)]
struct Swallow;

impl request_response::Codec for Swallow {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T: AsyncRead + Unpin + Send>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
    ) -> std::io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        io.take(128 * 1024).read_to_end(&mut buf).await?;
        Ok(buf)
    }

    async fn read_response<T: AsyncRead + Unpin + Send>(
        &mut self,
        _: &StreamProtocol,
        _: &mut T,
    ) -> std::io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    async fn write_request<T: AsyncWrite + Unpin + Send>(
        &mut self,
        _: &StreamProtocol,
        _: &mut T,
        _: Vec<u8>,
    ) -> std::io::Result<()> {
        Ok(())
    }

    async fn write_response<T: AsyncWrite + Unpin + Send>(
        &mut self,
        _: &StreamProtocol,
        _: &mut T,
        _: Vec<u8>,
    ) -> std::io::Result<()> {
        Ok(())
    }
}

/// A community member that takes stem envelopes and drops them: it subscribes to the
/// topic and announces the stem protocol, so a node may pick it as its successor.
#[derive(NetworkBehaviour)]
struct BlackHole {
    gossipsub: gossipsub::Behaviour,
    identify: identify::Behaviour,
    stem: request_response::Behaviour<Swallow>,
}

fn black_hole(w: &World, to: &Multiaddr) -> libp2p::Swarm<BlackHole> {
    let cfg = gossipsub::ConfigBuilder::default()
        .validation_mode(gossipsub::ValidationMode::Anonymous)
        .message_id_fn(|m: &gossipsub::Message| aviso_node::net::gossip_message_id(&m.data))
        .heartbeat_interval(Duration::from_millis(200))
        .build()
        .expect("config");
    let mut swarm = tcp_swarm(Duration::from_secs(60), |key| BlackHole {
        gossipsub: gossipsub::Behaviour::new(gossipsub::MessageAuthenticity::Anonymous, cfg)
            .expect("gossipsub"),
        identify: identify::Behaviour::new(identify::Config::new("/aviso/1".into(), key.public())),
        stem: request_response::Behaviour::with_codec(
            Swallow,
            [(STEM_PROTOCOL, ProtocolSupport::Full)],
            request_response::Config::default(),
        ),
    });
    swarm
        .behaviour_mut()
        .gossipsub
        .subscribe(&aviso_node::net::topic_for(&w.community.id))
        .expect("subscribes");
    swarm.dial(to.clone()).expect("dials");
    swarm
}

/// Whether `rx` has said `id` was gossiped by this node, and how.
fn gossiped(rx: &mut broadcast::Receiver<Event>, id: &aviso_protocol::Id) -> Option<&'static str> {
    while let Ok(ev) = rx.try_recv() {
        if let Event::Gossiped { id: got, how } = ev
            && got == *id
        {
            return Some(how);
        }
    }
    None
}

/// A stem node that drops the envelope does not stop delivery: the author's fallback
/// timer fires and it gossips the envelope itself. The stem request carries the
/// envelope's bytes and nothing else (no hop counter, no origin flag).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stem_node_that_drops_the_envelope_does_not_stop_delivery() {
    let w = World::new();
    let (da, dc) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let a = TestNode::start(da.path(), 1, &w.community, vec![]).await;
    assert!(matches!(
        a.publish(&w.trust_list(1, vec![])).await,
        Outcome::Accepted { .. }
    ));
    let mut events = a.client.subscribe();
    let mut hole = black_hole(&w, &a.addr);

    // Publish alerts until one goes to the black hole by stem: before the node knows the
    // hole speaks the stem protocol and follows the topic, it gossips them directly.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut n = 0;
    let mut current: Option<aviso_protocol::Envelope> = None;
    let dropped = loop {
        assert!(Instant::now() < deadline, "no envelope ever came by stem");
        if current.is_none() {
            n += 1;
            let alert = w.alert(&w.org, &format!("raid {n}"));
            let client = a.client.clone();
            let bytes = alert.bytes().to_vec();
            tokio::spawn(async move { client.publish(bytes).await });
            current = Some(alert);
        }
        let Some(alert) = current.clone() else {
            continue;
        };
        let ev = tokio::time::timeout(Duration::from_millis(200), hole.select_next_some()).await;
        match ev {
            Ok(SwarmEvent::Behaviour(BlackHoleEvent::Stem(request_response::Event::Message {
                message: request_response::Message::Request { request, .. },
                ..
            }))) => {
                assert_eq!(request, alert.bytes(), "the envelope, byte for byte, only");
                break alert;
            }
            Ok(SwarmEvent::Behaviour(BlackHoleEvent::Gossipsub(gossipsub::Event::Message {
                message,
                ..
            }))) if message.data == alert.bytes() => {
                // Gossiped directly: the node did not count the hole as a stem peer yet.
                tokio::time::sleep(Duration::from_millis(300)).await;
                current = None;
            }
            _ => {}
        }
    };
    let dropped_at = Instant::now();
    assert_eq!(
        gossiped(&mut events, &dropped.id()),
        None,
        "not gossiped yet"
    );

    // Another node joins; the dropped alert reaches it once the fallback fires.
    let c = TestNode::start(dc.path(), 3, &w.community, vec![a.addr.clone()]).await;
    let mut how = None;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !(c.has(&dropped.id()) && how.is_some()) {
        assert!(
            Instant::now() < deadline,
            "the fallback never delivered it (gossiped: {how:?})"
        );
        let _ = tokio::time::timeout(Duration::from_millis(100), hole.select_next_some()).await;
        how = how.or_else(|| gossiped(&mut events, &dropped.id()));
    }
    assert_eq!(how, Some("fallback"), "the author's fallback timer fired");
    eprintln!(
        "dropped on the stem, gossiped by the author's fallback after {:?}",
        dropped_at.elapsed()
    );
    c.stop().await;
    a.stop().await;
}

fn relayer(cfg: &mut NetConfig) {
    cfg.stem = StemConfig {
        forward_probability: 1.0,
        ..StemConfig::default()
    };
}

fn diffuser(cfg: &mut NetConfig) {
    cfg.stem = StemConfig {
        forward_probability: 0.0,
        ..StemConfig::default()
    };
    // One connection each way at most: the node already dials a, so discovery cannot
    // connect the two ends of the line to each other (they would stem to each other).
    cfg.max_peers = 1;
}

/// The time `rx` says `id` was accepted, and from where.
async fn accepted(
    rx: &mut broadcast::Receiver<Event>,
    id: &aviso_protocol::Id,
) -> (Instant, &'static str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(Event::Accepted {
                id: got, source, ..
            })) if got == *id => {
                return (Instant::now(), source);
            }
            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(e)) => panic!("event stream: {e}"),
            Err(_) => panic!("never accepted {}", id.short()),
        }
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The author's direct peers see its own envelopes arrive by stem exactly as envelopes it
/// relays for others: same protocol, same bytes, and the same hop time from "stored at
/// the author" to "stored at the peer" (printed; not asserted, machines vary).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn own_envelopes_reach_the_next_hop_like_relayed_ones() {
    let w = World::new();
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    // x — a — b: a relays every stem (q = 1); x and b fluff what they get.
    let a = TestNode::start_tuned(
        dirs[0].path(),
        12,
        Some(w.community.clone()),
        vec![],
        relayer,
    )
    .await;
    let x = TestNode::start_tuned(
        dirs[1].path(),
        11,
        Some(w.community.clone()),
        vec![a.addr.clone()],
        diffuser,
    )
    .await;
    let b = TestNode::start_tuned(
        dirs[2].path(),
        13,
        Some(w.community.clone()),
        vec![a.addr.clone()],
        diffuser,
    )
    .await;
    let list = w.trust_list(1, vec![]);
    a.publish(&list).await;
    for n in [&x, &b] {
        n.wait_has(&list.id(), "the trust list").await;
    }
    // Both of a's peers in its mesh, and a in theirs: subscribed, identified.
    wait_for("a full mesh around a", Duration::from_secs(30), || async {
        let meshed = |s: aviso_node::net::NetStatus| s.peers.iter().filter(|p| p.in_mesh).count();
        let ok = meshed(a.client.status().await.ok()?) == 2
            && meshed(x.client.status().await.ok()?) == 1
            && meshed(b.client.status().await.ok()?) == 1;
        ok.then_some(())
    })
    .await;

    let (mut ra, mut rx, mut rb) = (
        a.client.subscribe(),
        x.client.subscribe(),
        b.client.subscribe(),
    );
    let mut a_gossiped = a.client.subscribe();
    let (mut own, mut relayed) = (Vec::new(), Vec::new());
    for round in 0..5 {
        // Relayed: x's alert comes to a by stem, and a hands it on to b.
        let r = w.alert(&w.org, &format!("x's alert {round}"));
        x.publish(&r).await;
        let (at_a, from) = accepted(&mut ra, &r.id()).await;
        assert_eq!(from, "stem");
        let (at_b, from) = accepted(&mut rb, &r.id()).await;
        assert_eq!(from, "stem", "b got the relayed one by stem");
        relayed.push(at_b - at_a);
        x.wait_has(&r.id(), "x's alert back by gossip").await;

        // Own: a's alert goes to its successor for own envelopes (x or b).
        let o = w.alert(&w.org, &format!("a's alert {round}"));
        a.publish(&o).await;
        let (at_a, from) = accepted(&mut ra, &o.id()).await;
        assert_eq!(from, "local");
        // Both awaited at once, so each time is when that node's event arrived (awaited
        // one after the other, the second would be timed when the first arrived).
        let oid = o.id();
        let (ax, ab) = tokio::join!(accepted(&mut rx, &oid), accepted(&mut rb, &oid));
        let first = if ax.0 <= ab.0 { ax } else { ab };
        assert_eq!(
            first.1, "stem",
            "the first peer to store a's own alert got it by stem"
        );
        own.push(first.0 - at_a);
    }
    // a never announced anything itself, its own or relayed: its peers did.
    while let Ok(ev) = a_gossiped.try_recv() {
        assert!(!matches!(ev, Event::Gossiped { .. }), "a gossiped: {ev:?}");
    }
    let (own, relayed) = (median(own), median(relayed));
    eprintln!(
        "stored at a → stored at the next hop, median of 5: own {own:?}, relayed {relayed:?}, \
         difference {:?}",
        own.abs_diff(relayed)
    );
    for n in [x, b, a] {
        n.stop().await;
    }
}

/// The attack of issue 14 on a real node: a stolen key signs alerts dated before the
/// revocation's `since`. One reaches the node before the revocation does (stored, first
/// seen after `since`, hidden once the revocation arrives); one after (not stored). An
/// honest alert the node saw before `since` stays shown. First sightings survive a restart.
#[tokio::test]
async fn backdated_alerts_from_a_stolen_key_are_not_shown() {
    let w = World::new();
    let dir = tempfile::tempdir().expect("dir");
    let node = TestNode::start(dir.path(), 1, &w.community, vec![]).await;
    node.publish(&w.trust_list(1, vec![])).await;
    let sign = |headline: &str, created_at: u64| {
        aviso_protocol::fixtures::sign(
            &w.org,
            w.community.id,
            &aviso_protocol::Body::Alert(alert_body(headline)),
            created_at,
            24 * HOUR,
        )
    };
    let honest = sign("honest, before the theft", now() - 60);
    assert!(matches!(
        node.publish(&honest).await,
        Outcome::Accepted { .. }
    ));
    // The key is stolen a moment from now.
    let since = now() + 1;
    wait_for("the theft", Duration::from_secs(10), || async {
        (now() > since).then_some(())
    })
    .await;
    let early = sign("forged, arrives before the revocation", since - 30);
    assert!(matches!(
        node.publish(&early).await,
        Outcome::Accepted { .. }
    ));
    let revocation = aviso_protocol::Revocation {
        key: w.org.public(),
        since,
        reason: "key stolen".into(),
    };
    node.publish(&w.trust_list(2, vec![revocation])).await;
    let late = sign("forged, arrives after the revocation", since - 20);
    match node.publish(&late).await {
        Outcome::Ignored { reason } => assert!(reason.contains("revoked"), "{reason}"),
        other => panic!("a backdated alert after the revocation was taken: {other:?}"),
    }

    let seen = |id: &aviso_protocol::Id| {
        node.store
            .first_seen(id)
            .expect("readable")
            .expect("recorded")
    };
    assert!(seen(&honest.id()) < since);
    assert!(seen(&early.id()) >= since);
    let shown = |store: &dyn Store| -> Vec<aviso_protocol::Id> {
        let page =
            feed_page(store, &w.settings(), now(), &PageRequest::default(), &[]).expect("feed");
        page.feed
            .alerts
            .iter()
            .filter(|a| a.shown)
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(shown(node.store.as_ref()), vec![honest.id()]);
    // By `created_at` alone (the rule before first sightings) the forgery was shown.
    assert_eq!(
        node.feed(&w.settings())
            .alerts
            .iter()
            .filter(|a| a.shown)
            .count(),
        2
    );

    // First sightings are on disk with the envelopes.
    let honest_seen = seen(&honest.id());
    node.stop().await;
    let store = SledStore::open(&dir.path().join("store")).expect("reopens");
    assert_eq!(
        store.first_seen(&honest.id()).expect("readable"),
        Some(honest_seen)
    );
    assert_eq!(shown(&store), vec![honest.id()]);
}
