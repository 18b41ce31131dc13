//! `/aviso/sync/2` on real swarms on 127.0.0.1: a scattered difference both ways, a peer
//! of the older version (`/aviso/sync/1` only) both ways, and hostile peers: one that
//! sends malformed or oversized requests, one that answers with forged cells.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use aviso_node::Store;
use aviso_node::net::sync::SyncStats;
use aviso_node::net::sync2::{MAX_CELLS, MAX_CELLS_PER_ANSWER, SYNC2_PROTOCOL, Sync2Request};
use aviso_protocol::riblt::CELL_BYTES;
use aviso_protocol::*;
use common::*;
use futures::StreamExt;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{StreamProtocol, identify};

/// How long any one convergence may take (a loaded 2-core machine).
const CONVERGE: Duration = Duration::from_secs(30);

/// A list, 300 alerts and 8 reports. `a` holds the list, the alerts and the reports;
/// `b` the list and the alerts but every tenth (30 scattered ones), and 8 reports of its
/// own. Put in the stores directly, before the nodes start, so only catch-up can move
/// them.
fn stores(w: &World, a: &std::path::Path, b: &std::path::Path) -> (BTreeSet<Id>, usize, usize) {
    let list = w.trust_list(1, vec![]);
    let alerts: Vec<Envelope> = (0..300)
        .map(|i| w.alert(&w.org, &format!("alert {i}")))
        .collect();
    let a_reports: Vec<Envelope> = (0..8)
        .map(|i| w.report(&w.member, &format!("a {i}")))
        .collect();
    let b_reports: Vec<Envelope> = (0..8)
        .map(|i| w.report(&w.member, &format!("b {i}")))
        .collect();
    let sa = aviso_node::SledStore::open(&a.join("store")).expect("store opens");
    let sb = aviso_node::SledStore::open(&b.join("store")).expect("store opens");
    let mut union = BTreeSet::new();
    for e in std::iter::once(&list).chain(&alerts).chain(&a_reports) {
        assert!(sa.insert(e).expect("insert"));
        union.insert(e.id());
    }
    let b_lacks = alerts.iter().step_by(10).count();
    for (i, e) in std::iter::once(&list)
        .chain(
            alerts
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 10 != 0)
                .map(|(_, e)| e),
        )
        .chain(&b_reports)
        .enumerate()
    {
        assert!(sb.insert(e).expect("insert"), "#{i}");
        union.insert(e.id());
    }
    sa.flush().expect("flush");
    sb.flush().expect("flush");
    (union, b_lacks + a_reports.len(), b_reports.len())
}

async fn wait_stats(node: &TestNode, peer: &libp2p::PeerId) -> SyncStats {
    wait_for("a finished session", CONVERGE, || async {
        node.last_sync(peer).await
    })
    .await
}

/// Both new: each side's session runs over sync/2, in at most 3 round trips, and finds
/// exactly what it lacks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scattered_difference_is_caught_up_over_sync2_both_ways() {
    let w = World::new();
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let (union, b_lacks, a_lacks) = stores(&w, dirs[0].path(), dirs[1].path());
    let a = TestNode::start(dirs[0].path(), 111, &w.community, vec![]).await;
    let b = TestNode::start(dirs[1].path(), 112, &w.community, vec![a.addr.clone()]).await;
    wait_for("both to hold the union", CONVERGE, || async {
        (a.sync_set() == union && b.sync_set() == union).then_some(())
    })
    .await;
    let (sa, sb) = (
        wait_stats(&a, &b.peer_id).await,
        wait_stats(&b, &a.peer_id).await,
    );
    for (s, lacked) in [(&sa, a_lacks), (&sb, b_lacks)] {
        assert_eq!(s.protocol, "sync/2", "{s:?}");
        assert_eq!(s.error, None, "{s:?}");
        assert!(s.rounds <= 3, "{s:?}");
        assert_eq!(s.missing, lacked as u64, "{s:?}");
        assert_eq!(s.accepted, lacked as u64, "{s:?}");
    }
}

/// A node of the older version (no sync/2) and a new one catch up from each other, both
/// over sync/1: the new one asks the old with sync/1 and still answers sync/1.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync1_only_peer_catches_up_both_ways() {
    let w = World::new();
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let (union, _, _) = stores(&w, dirs[0].path(), dirs[1].path());
    let new = TestNode::start(dirs[0].path(), 113, &w.community, vec![]).await;
    let old = TestNode::start_tuned(
        dirs[1].path(),
        114,
        Some(w.community.clone()),
        vec![new.addr.clone()],
        |cfg| cfg.sync2 = false,
    )
    .await;
    wait_for("both to hold the union", CONVERGE, || async {
        (new.sync_set() == union && old.sync_set() == union).then_some(())
    })
    .await;
    for s in [
        wait_stats(&new, &old.peer_id).await,
        wait_stats(&old, &new.peer_id).await,
    ] {
        assert_eq!(s.protocol, "sync/1", "{s:?}");
        assert_eq!(s.error, None, "{s:?}");
    }
}

/// Raw bytes both ways, for hostile peers.
#[derive(Debug, Clone, Copy, Default)]
struct Raw;

impl request_response::Codec for Raw {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> std::io::Result<Vec<u8>>
    where
        T: futures::AsyncRead + Unpin + Send,
    {
        read(io).await
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> std::io::Result<Vec<u8>>
    where
        T: futures::AsyncRead + Unpin + Send,
    {
        read(io).await
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        r: Vec<u8>,
    ) -> std::io::Result<()>
    where
        T: futures::AsyncWrite + Unpin + Send,
    {
        futures::AsyncWriteExt::write_all(io, &r).await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        r: Vec<u8>,
    ) -> std::io::Result<()>
    where
        T: futures::AsyncWrite + Unpin + Send,
    {
        futures::AsyncWriteExt::write_all(io, &r).await
    }
}

async fn read<T: futures::AsyncRead + Unpin + Send>(io: &mut T) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    futures::AsyncReadExt::read_to_end(&mut futures::AsyncReadExt::take(io, 1 << 20), &mut buf)
        .await?;
    Ok(buf)
}

#[derive(NetworkBehaviour)]
struct Hostile {
    identify: identify::Behaviour,
    sync2: request_response::Behaviour<Raw>,
}

fn hostile(to: &libp2p::Multiaddr) -> libp2p::Swarm<Hostile> {
    let mut swarm = tcp_swarm(Duration::from_secs(60), |key| Hostile {
        identify: identify::Behaviour::new(identify::Config::new("/aviso/1".into(), key.public())),
        sync2: request_response::Behaviour::with_codec(
            Raw,
            [
                (SYNC2_PROTOCOL, ProtocolSupport::Full),
                (aviso_node::net::sync::SYNC_PROTOCOL, ProtocolSupport::Full),
            ],
            request_response::Config::default(),
        ),
    });
    swarm.dial(to.clone()).expect("dials");
    swarm
}

/// Send `req` to `peer`; the answer's length, or `None` when refused (the node closes
/// the stream without writing, which reads as an empty answer, or fails it).
async fn ask(
    swarm: &mut libp2p::Swarm<Hostile>,
    peer: libp2p::PeerId,
    req: &[u8],
) -> Option<usize> {
    let id = swarm
        .behaviour_mut()
        .sync2
        .send_request(&peer, req.to_vec());
    tokio::time::timeout(CONVERGE, async {
        loop {
            match swarm.select_next_some().await {
                SwarmEvent::Behaviour(HostileEvent::Sync2(request_response::Event::Message {
                    message:
                        request_response::Message::Response {
                            request_id,
                            response,
                        },
                    ..
                })) if request_id == id => return Some(response.len()).filter(|&n| n > 0),
                SwarmEvent::Behaviour(HostileEvent::Sync2(
                    request_response::Event::OutboundFailure { request_id, .. },
                )) if request_id == id => return None,
                _ => {}
            }
        }
    })
    .await
    .expect("answered or refused in time")
}

/// Malformed, oversized and out-of-range sync/2 requests are refused (the stream closes
/// without an answer) and hold nothing; a good one is still answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_sync2_requests_are_refused_without_holding_memory() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let node = TestNode::start(dir.path(), 115, &w.community, vec![]).await;
    let mut swarm = hostile(&node.addr);
    let mut get_too_many = vec![2u8];
    get_too_many.extend_from_slice(&300u32.to_be_bytes());
    get_too_many.extend(std::iter::repeat_n(7u8, 300 * 16));
    let bad: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff; 9],
        Sync2Request::Cells {
            from: 0,
            count: MAX_CELLS_PER_ANSWER + 1,
        }
        .encode(),
        Sync2Request::Cells {
            from: MAX_CELLS - 1,
            count: 2,
        }
        .encode(),
        Sync2Request::Cells { from: 0, count: 0 }.encode(),
        get_too_many,
        vec![2, 0, 0, 0, 1, 1, 2, 3],
    ];
    let good = Sync2Request::Cells { from: 0, count: 32 }.encode();
    let peer = node.peer_id;
    for req in &bad {
        assert_eq!(ask(&mut swarm, peer, req).await, None, "{req:?} refused");
    }
    // The refusals' slots are released as their streams close: retry until answered.
    let deadline = std::time::Instant::now() + CONVERGE;
    let len = loop {
        if let Some(n) = ask(&mut swarm, peer, &good).await {
            break n;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the good request never answered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(len, 8 + 32 * CELL_BYTES);
    let serving = wait_for("answers released", CONVERGE, || async {
        let s = node.client.status().await.ok()?.serving;
        (s.bytes == 0 && s.replies == 0).then_some(s)
    })
    .await;
    assert!(serving.peak_bytes <= 2 * 512 * 1024, "{serving:?}");
}

/// A peer that answers the node's sync/2 session with forged cells ends that session
/// with an error: nothing stored, no panic, the node still answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_cells_end_the_session_with_an_error() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    let node = TestNode::start(dir.path(), 116, &w.community, vec![]).await;
    let list = w.trust_list(1, vec![]);
    assert!(matches!(
        node.publish(&list).await,
        aviso_node::pipeline::Outcome::Accepted { .. }
    ));
    let before = node.sync_set();
    let mut swarm = hostile(&node.addr);
    let forger = *swarm.local_peer_id();
    // Every cell the same "pure" key, which peels twice; and a key the node would fetch.
    let key = [0x5a; 16];
    let cell = {
        let mut c = Vec::new();
        aviso_protocol::riblt::Cell {
            sum: key,
            check: aviso_protocol::riblt::checksum(&key),
        }
        .encode(&mut c);
        c
    };
    let stats = tokio::time::timeout(CONVERGE, async {
        loop {
            tokio::select! {
                ev = swarm.select_next_some() => {
                    if let SwarmEvent::Behaviour(HostileEvent::Sync2(request_response::Event::Message {
                        message: request_response::Message::Request { request, channel, .. },
                        ..
                    })) = ev
                    {
                        let answer = match Sync2Request::decode(&request) {
                            Ok(Sync2Request::Cells { count, .. }) => {
                                let mut a = 1_000u64.to_be_bytes().to_vec();
                                for _ in 0..count {
                                    a.extend_from_slice(&cell);
                                }
                                a
                            }
                            _ => vec![],
                        };
                        let _ = swarm.behaviour_mut().sync2.send_response(channel, answer);
                    }
                }
                _ = tokio::time::sleep(Duration::from_millis(100)) => {
                    if let Some(s) = node.last_sync(&forger).await {
                        break s;
                    }
                }
            }
        }
    })
    .await
    .expect("the session ends");
    assert_eq!(stats.protocol, "sync/2", "{stats:?}");
    assert!(
        stats
            .error
            .as_deref()
            .is_some_and(|e| e.contains("do not decode")),
        "{stats:?}"
    );
    assert_eq!(stats.missing, 0);
    assert_eq!(node.sync_set(), before);
    assert!(node.client.status().await.is_ok(), "the node still runs");
}
