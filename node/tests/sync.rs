//! Offline catch-up on real swarms on 127.0.0.1: a node that was away, two halves of a
//! partition, expired envelopes, and a peer that serves forgeries.
//!
//! Gossipsub never replays what a node missed, so everything checked here arrives by
//! negentropy reconciliation (`/aviso/sync/1`) and fetch (`/aviso/fetch/1`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use aviso_node::Store;
use aviso_node::net::sync::SyncStats;
use aviso_node::pipeline::Outcome;
use aviso_protocol::*;
use common::*;
use futures::StreamExt;
use libp2p::{Multiaddr, Swarm, gossipsub};

/// How long any one convergence may take. Sessions start on connection and take well
/// under a second here; the margin is for a loaded 2-core machine.
const CONVERGE: Duration = Duration::from_secs(30);

fn tempdirs(n: usize) -> Vec<tempfile::TempDir> {
    (0..n)
        .map(|_| tempfile::tempdir().expect("tempdir"))
        .collect()
}

fn assert_all_accepted(outcomes: &[Outcome], what: &str) {
    for (i, o) in outcomes.iter().enumerate() {
        assert!(
            matches!(o, Outcome::Accepted { .. }),
            "{what} #{i} not accepted: {o:?}"
        );
    }
}

/// Alert items by id: the whole verdict (shown, reasons, endorsers, thread, text).
fn alerts_by_id(feed: &Feed) -> BTreeMap<Id, &feed::AlertItem> {
    feed.alerts.iter().map(|a| (a.id, a)).collect()
}

/// Envelopes in `node`'s store that the relay rule admits now, judged by the roots'
/// current lists: what any node that catches up from scratch must end up storing.
fn admissible(node: &TestNode, community: &Community) -> BTreeSet<Id> {
    let t = now();
    let all = node.store.all().expect("store readable");
    let roots = TrustView::build(&community.roots, &all, t);
    all.iter()
        .filter(|e| relay_verdict(e, community.id, &roots, t).is_ok())
        .map(|e| e.id())
        .collect()
}

/// Nodes A (publisher), B (always on) and C (leaves): C misses 500 envelopes, among them
/// cancels, updates, endorsements and a trust list that revokes an organizer, and after
/// a restart holds and shows what B does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_back_from_offline_catches_up_and_shows_the_same_feed() {
    let started = Instant::now();
    let w = World::new();
    let org2 = key(4);
    let dirs = tempdirs(3);
    let a = TestNode::start(dirs[0].path(), 61, &w.community, vec![]).await;
    let b = TestNode::start(dirs[1].path(), 62, &w.community, vec![a.addr.clone()]).await;
    let c = TestNode::start(dirs[2].path(), 63, &w.community, vec![b.addr.clone()]).await;
    c.wait_connected(&b.peer_id).await;
    b.wait_connected(&a.peer_id).await;

    // Before C leaves: the first list (two organizers) and one alert.
    let v1 = w.trust_list_with(1, &[&w.org, &org2], vec![]);
    let early = w.alert(&w.org, "before C left");
    assert_all_accepted(&[a.publish(&v1).await], "v1");
    assert_all_accepted(&[a.publish(&early).await], "early alert");
    c.wait_has(&early.id(), "the early alert at C").await;
    let c_id = c.peer_id;
    c.stop().await;

    // While C is away: 500 envelopes.
    let org_alerts: Vec<Envelope> = (0..380)
        .map(|i| w.alert(&w.org, &format!("org alert {i}")))
        .collect();
    let org2_alerts: Vec<Envelope> = (0..60)
        .map(|i| w.alert(&org2, &format!("org2 alert {i}")))
        .collect();
    let reports: Vec<Envelope> = (0..30)
        .map(|i| w.report(&w.member, &format!("sighting {i}")))
        .collect();
    let cancels: Vec<Envelope> = org_alerts[..10]
        .iter()
        .map(|t| w.lifecycle(&w.org, MsgType::Cancel, t.id()))
        .collect();
    let updates: Vec<Envelope> = org_alerts[10..15]
        .iter()
        .map(|t| w.lifecycle(&w.org, MsgType::Update, t.id()))
        .collect();
    // The second organizer co-signs some of the first one's alerts before being revoked.
    let endorsements: Vec<Envelope> = org_alerts[20..34]
        .iter()
        .map(|t| w.endorse(&org2, t.id()))
        .collect();
    let first_wave: Vec<Envelope> = org_alerts
        .iter()
        .chain(&org2_alerts)
        .chain(&reports)
        .cloned()
        .collect();
    let second_wave: Vec<Envelope> = cancels
        .iter()
        .chain(&updates)
        .chain(&endorsements)
        .cloned()
        .collect();
    assert_all_accepted(&a.publish_all(&first_wave).await, "first wave");
    assert_all_accepted(&a.publish_all(&second_wave).await, "second wave");
    wait_for("B to hold what A holds", CONVERGE, || async {
        (b.sync_set() == a.sync_set()).then_some(())
    })
    .await;
    let shown_before: BTreeSet<Id> = b
        .feed(&w.settings())
        .shown()
        .alerts
        .iter()
        .map(|x| x.id)
        .collect();
    assert!(
        org2_alerts.iter().all(|e| shown_before.contains(&e.id())),
        "before the revocation B shows the second organizer's alerts"
    );

    // The 500th: the second organizer is revoked for everything it ever signed.
    let v2 = w.trust_list_with(
        2,
        &[&w.org, &org2],
        vec![Revocation {
            key: org2.public(),
            since: 0,
            reason: "key stolen".into(),
        }],
    );
    assert_all_accepted(&[a.publish(&v2).await], "v2");
    let published = first_wave.len() + second_wave.len() + 1;
    assert_eq!(published, 500);
    b.wait_has(&v2.id(), "v2 at B").await;
    let b_feed = b.feed(&w.settings());
    for e in &org2_alerts {
        let item = alerts_by_id(&b_feed)[&e.id()];
        assert!(!item.shown, "a revoked organizer's alert is hidden at B");
        assert!(item.reasons.contains(&Reason::Revoked { since: 0 }));
    }

    // C comes back with the same directory and key, and catches up on connection.
    let c = TestNode::start(dirs[2].path(), 63, &w.community, vec![b.addr.clone()]).await;
    assert_eq!(c.peer_id, c_id);
    assert!(c.has(&early.id()), "C kept what it had");
    let back = Instant::now();
    let want = admissible(&b, &w.community);
    let b_set = b.sync_set();
    // What B holds but a newcomer may refuse: exactly the revoked organizer's messages
    // (B took them in before the revocation; C may see the revocation first).
    let revoked: BTreeSet<Id> = b_set.difference(&want).copied().collect();
    let by_org2: BTreeSet<Id> = org2_alerts
        .iter()
        .chain(&endorsements)
        .map(|e| e.id())
        .collect();
    assert_eq!(revoked, by_org2);
    wait_for("C to catch up", CONVERGE, || async {
        c.sync_set().is_superset(&want).then_some(())
    })
    .await;
    let caught_up = back.elapsed();
    let c_set = c.sync_set();
    assert!(
        c_set.is_subset(&b_set),
        "C stores nothing B does not: {:?}",
        c_set.difference(&b_set).collect::<Vec<_>>()
    );

    // The feeds: what is shown is identical; every alert C holds has B's exact verdict;
    // what C lacks is only the revoked organizer's, which B hides as revoked.
    let (b_feed, c_feed) = (b.feed(&w.settings()), c.feed(&w.settings()));
    assert_eq!(c_feed.clone().shown(), b_feed.clone().shown());
    let (b_alerts, c_alerts) = (alerts_by_id(&b_feed), alerts_by_id(&c_feed));
    for (id, item) in &c_alerts {
        assert_eq!(Some(item), b_alerts.get(id), "C and B judge {id:?} alike");
    }
    for (id, item) in &b_alerts {
        if !c_alerts.contains_key(id) {
            assert_eq!(item.author, org2.public());
            assert!(!item.shown);
        }
    }
    assert_eq!(c_feed.reports, b_feed.reports);
    assert_eq!(c_feed.resources, b_feed.resources);
    // The lifecycle came through: cancels end, updates supersede, revocation hides.
    for (t, cancel) in org_alerts[..10].iter().zip(&cancels) {
        let item = c_alerts[&t.id()];
        assert!(!item.shown);
        assert!(
            item.reasons
                .contains(&Reason::Cancelled { by: cancel.id() })
        );
    }
    // Signed in the same second, an update and its target are ordered by id: one of the
    // two heads the thread and the other is superseded by it.
    for (t, update) in org_alerts[10..15].iter().zip(&updates) {
        let (t, u) = (c_alerts[&t.id()], c_alerts[&update.id()]);
        assert_eq!(t.thread, u.thread);
        assert!(t.shown != u.shown, "one of an update pair is shown");
        let (head, old) = if t.shown { (t, u) } else { (u, t) };
        assert!(old.reasons.contains(&Reason::Superseded { by: head.id }));
    }
    assert!(
        c_feed
            .alerts
            .iter()
            .filter(|x| x.shown)
            .all(|x| x.author == w.org.public()),
        "nothing of the revoked organizer is shown at C"
    );
    let shown = c_feed.alerts.iter().filter(|x| x.shown).count();
    // 1 early + 380 - 10 cancelled (each update pair shows one of its two).
    assert_eq!(shown, 1 + 380 - 10);
    assert_eq!(c_feed.reports.iter().filter(|r| r.shown).count(), 30);

    let stats = wait_for("C's session with B to end", CONVERGE, || async {
        c.last_sync(&b.peer_id).await
    })
    .await;
    assert_eq!(stats.rejected, 0, "{stats:?}");
    assert!(stats.error.is_none(), "{stats:?}");
    eprintln!(
        "caught up 500 in {caught_up:?}; C's session with B: {stats:?}; test took {:?}",
        started.elapsed()
    );
}

/// P1–P2 and Q1–Q2 publish apart; one link P1–Q1 brings all four to the union.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn halves_of_a_partition_converge_once_linked() {
    let started = Instant::now();
    let w = World::new();
    let dirs = tempdirs(4);
    // Default settings (periodic sync every 5 minutes). The link's two ends reconcile on
    // connection; the far node of each half learns of the other half's nodes (identify,
    // Kademlia), connects, and reconciles on that new connection. Gossip alone would
    // deliver nothing: it never replays what was published before the link.
    let p1 = TestNode::start(dirs[0].path(), 71, &w.community, vec![]).await;
    let p2 = TestNode::start(dirs[1].path(), 72, &w.community, vec![p1.addr.clone()]).await;
    let q1 = TestNode::start(dirs[2].path(), 73, &w.community, vec![]).await;
    let q2 = TestNode::start(dirs[3].path(), 74, &w.community, vec![q1.addr.clone()]).await;
    p2.wait_connected(&p1.peer_id).await;
    q2.wait_connected(&q1.peer_id).await;

    let list = w.trust_list(1, vec![]);
    assert_all_accepted(&[p1.publish(&list).await], "list on P");
    assert_all_accepted(&[q1.publish(&list).await], "list on Q");
    // The second node of each half must hold the list before it can accept alerts.
    p2.wait_has(&list.id(), "the list at P2").await;
    q2.wait_has(&list.id(), "the list at Q2").await;
    let p_envs: Vec<Envelope> = (0..40)
        .map(|i| w.alert(&w.org, &format!("P side {i}")))
        .collect();
    let q_envs: Vec<Envelope> = (0..30)
        .map(|i| w.alert(&w.org, &format!("Q side {i}")))
        .chain((0..10).map(|i| w.report(&w.member, &format!("Q sighting {i}"))))
        .collect();
    assert_all_accepted(&p2.publish_all(&p_envs).await, "P's envelopes");
    assert_all_accepted(&q2.publish_all(&q_envs).await, "Q's envelopes");
    wait_for("each half to agree within itself", CONVERGE, || async {
        (p1.sync_set() == p2.sync_set() && q1.sync_set() == q2.sync_set()).then_some(())
    })
    .await;
    let (p_set, q_set) = (p1.sync_set(), q1.sync_set());
    assert_eq!(p_set.len(), 41);
    assert_eq!(q_set.len(), 41);
    assert_eq!(
        p_set.intersection(&q_set).count(),
        1,
        "only the list is shared"
    );
    let q_ids = [q1.peer_id.to_string(), q2.peer_id.to_string()];
    for n in [&p1, &p2] {
        assert!(
            n.peers().await.iter().all(|p| !q_ids.contains(p)),
            "no link between the halves yet"
        );
    }

    let linked = Instant::now();
    p1.client.dial(q1.addr.clone()).await.expect("dial starts");
    let union: BTreeSet<Id> = p_set.union(&q_set).copied().collect();
    wait_for("the link's ends to converge", CONVERGE, || async {
        (p1.sync_set() == union && q1.sync_set() == union).then_some(())
    })
    .await;
    let ends = linked.elapsed();
    wait_for("all four to converge", CONVERGE, || async {
        [&p1, &p2, &q1, &q2]
            .iter()
            .all(|n| n.sync_set() == union)
            .then_some(())
    })
    .await;
    eprintln!(
        "link ends converged in {ends:?}, all four in {:?}; test took {:?}",
        linked.elapsed(),
        started.elapsed()
    );
    let feed = p2.feed(&w.settings());
    assert_eq!(feed.alerts.iter().filter(|x| x.shown).count(), 70);
}

/// An expired envelope is neither offered in reconciliation nor fetched, even when the
/// serving node cached its sync snapshot while the envelope was still valid.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_envelopes_are_not_offered_or_fetched() {
    let w = World::new();
    let dirs = tempdirs(3);
    let a = TestNode::start(dirs[0].path(), 81, &w.community, vec![]).await;
    // Z is there only so A's publishes go out at once (nothing waits in A's retry queue);
    // it leaves before B arrives.
    let z = TestNode::start(dirs[1].path(), 82, &w.community, vec![a.addr.clone()]).await;
    z.wait_connected(&a.peer_id).await;
    let list = w.trust_list(1, vec![]);
    // Six seconds is longer than gossipsub advertises a message (3 heartbeats of 1 s), so
    // once it has expired nothing can reach B by gossip either.
    let short = w.sign(&w.org, Body::Alert(alert_body("short-lived")), 6);
    let normal = w.alert(&w.org, "normal");
    for e in [&list, &short, &normal] {
        assert_all_accepted(&[a.publish(e).await], "A's");
    }
    z.wait_has(&normal.id(), "the normal alert at Z").await;
    // Z reconciles again, so A's sync server caches a snapshot taken while the short-lived
    // alert was still valid. It must not offer it from that snapshot after it expired.
    wait_for("a new session of Z with A", CONVERGE, || async {
        (z.client.sync_now().await.ok()? == 1).then_some(())
    })
    .await;
    wait_for("Z's session to end", CONVERGE, || async {
        (z.client.status().await.ok()?.sync_sessions == 0).then_some(())
    })
    .await;
    z.stop().await;
    wait_for(
        "the short-lived alert to expire",
        Duration::from_secs(15),
        || async { short.is_expired(now()).then_some(()) },
    )
    .await;
    assert!(a.has(&short.id()), "A still stores it until gc");
    assert!(!a.sync_set().contains(&short.id()), "but does not offer it");

    let b = TestNode::start(dirs[2].path(), 83, &w.community, vec![a.addr.clone()]).await;
    b.wait_has(&normal.id(), "the normal alert at B").await;
    let stats: SyncStats = wait_for("B's session with A to end", CONVERGE, || async {
        b.last_sync(&a.peer_id).await
    })
    .await;
    assert!(!b.has(&short.id()), "B never stored the expired alert");
    // B lacked exactly the list and the normal alert: the expired one was never listed.
    assert_eq!(stats.missing, 2, "{stats:?}");
    assert_eq!(stats.accepted, 2, "{stats:?}");
    assert_eq!(stats.fetches, 1, "{stats:?}");
    assert_eq!(stats.rejected, 0, "{stats:?}");
    assert!(stats.error.is_none(), "{stats:?}");
    // The fetch response holds just those two envelopes (length-prefixed).
    let fetched = (4 + list.bytes().len() + 4 + normal.bytes().len()) as u64;
    assert!(stats.bytes_received >= fetched, "{stats:?}");
    let a_stats = wait_for("A's session with B to end", CONVERGE, || async {
        a.last_sync(&b.peer_id).await
    })
    .await;
    assert_eq!(a_stats.missing, 0, "A lacks nothing: {a_stats:?}");
    assert_eq!(b.sync_set(), a.sync_set());
}

/// A bare gossipsub peer on the community topic that records what it receives.
struct Listener {
    swarm: Swarm<gossipsub::Behaviour>,
}

impl Listener {
    async fn connect(community: &CommunityId, to: &Multiaddr) -> Listener {
        // The default heartbeat: this peer only listens.
        let (swarm, _) = raw_gossip_swarm(community, to, Duration::from_secs(1));
        Listener { swarm }
    }

    /// Collect received envelope ids until `stop` is among them, at most `limit`.
    async fn receive_until(&mut self, stop: Id, limit: Duration) -> Vec<Id> {
        let deadline = tokio::time::Instant::now() + limit;
        let mut got = Vec::new();
        while !got.contains(&stop) {
            match tokio::time::timeout_at(deadline, self.swarm.select_next_some()).await {
                Ok(libp2p::swarm::SwarmEvent::Behaviour(gossipsub::Event::Message {
                    message,
                    ..
                })) => got.push(aviso_protocol::envelope::id_of(&message.data)),
                Ok(_) => {}
                Err(_) => panic!("timed out after {limit:?}; received {got:?}"),
            }
        }
        got
    }
}

/// A publish made while no peer listens waits in a retry queue; it must not be sent once
/// the envelope has expired (expired messages are not relayed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_envelopes_are_not_gossiped_from_the_retry_queue() {
    let w = World::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = TestNode::start(dir.path(), 91, &w.community, vec![]).await;
    let list = w.trust_list(1, vec![]);
    let short = w.sign(&w.org, Body::Alert(alert_body("short-lived")), 2);
    let normal = w.alert(&w.org, "normal");
    // In this order: a retried publish of `short` would reach the listener before `normal`.
    for e in [&list, &short, &normal] {
        assert_all_accepted(&[a.publish(e).await], "A's");
    }
    wait_for(
        "the short-lived alert to expire",
        Duration::from_secs(15),
        || async { short.is_expired(now()).then_some(()) },
    )
    .await;
    let mut listener = Listener::connect(&w.community.id, &a.addr).await;
    let got = listener
        .receive_until(normal.id(), Duration::from_secs(20))
        .await;
    assert!(got.contains(&list.id()));
    assert!(
        !got.contains(&short.id()),
        "an expired envelope was gossiped"
    );
}

/// R's store holds valid envelopes and forgeries (put there past the pipeline); H takes
/// the valid ones, none of the forged, and blocks R.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_serving_forged_envelopes_gets_none_stored_and_is_blocked() {
    let w = World::new();
    let dirs = tempdirs(2);
    let list = w.trust_list(1, vec![]);
    let valid: Vec<Envelope> = (0..5)
        .map(|i| w.alert(&w.org, &format!("valid {i}")))
        .collect();
    let forged: Vec<Envelope> = (0..5)
        .map(|i| {
            let real = w.alert(&w.org, &format!("forged {i}"));
            Envelope::decode(&with_bad_signature(&real)).expect("a bad signature still decodes")
        })
        .collect();
    assert!(forged.iter().all(|e| e.verify().is_err()));
    {
        // Poison R's store directly, past the pipeline, before its network starts.
        let store =
            aviso_node::SledStore::open(&dirs[0].path().join("store")).expect("store opens");
        for e in std::iter::once(&list).chain(&valid).chain(&forged) {
            assert!(store.insert(e).expect("insert"));
        }
        store.flush().expect("flush");
    }
    let r = TestNode::start(dirs[0].path(), 101, &w.community, vec![]).await;
    assert_eq!(r.sync_set().len(), 11);
    let h = TestNode::start(dirs[1].path(), 102, &w.community, vec![r.addr.clone()]).await;
    for e in std::iter::once(&list).chain(&valid) {
        h.wait_has(&e.id(), "a valid envelope at H").await;
    }
    let r_id = r.peer_id.to_string();
    wait_for("H to block R", CONVERGE, || async {
        (!h.peers().await.contains(&r_id)).then_some(())
    })
    .await;
    for e in &forged {
        assert!(!h.has(&e.id()), "a forged envelope was stored");
    }
    assert_eq!(h.sync_set().len(), 6);
    // R is blocked, not just disconnected: H's bootstrap redials (1 s, then 2 s) fail.
    let redials = Instant::now() + Duration::from_secs(3);
    while Instant::now() < redials {
        assert!(!h.peers().await.contains(&r_id), "R reconnected");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
