//! Per-author storage quotas: one member key cannot fill every node's disk.
//!
//! The pipeline over a real sled store on disk, no swarm: envelopes come in as catch-up
//! does (`Source::Sync`, every check applied).

mod common;

use std::path::Path;
use std::sync::Arc;

use aviso_node::pipeline::{Outcome, Pipeline, Source};
use aviso_node::quota::{MEMBER_QUOTA, ORGANIZER_QUOTA};
use aviso_node::store::Usage;
use aviso_node::{SledStore, Store};
use aviso_protocol::*;
use common::*;
use libp2p::PeerId;
use tokio::sync::broadcast;

/// The geohash alphabet.
const GEOHASH: &str = "0123456789bcdefghjkmnpqrstuvwxyz";

fn open(dir: &Path, w: &World) -> (Arc<SledStore>, Arc<Pipeline>) {
    let store = Arc::new(SledStore::open(&dir.join("store")).expect("store opens"));
    let (events, _) = broadcast::channel(16);
    let dyn_store: Arc<dyn Store> = store.clone();
    let pipeline =
        Pipeline::new(dyn_store, Some(w.community.clone()), events).expect("pipeline starts");
    (store, pipeline)
}

/// Drop the pipeline and wait until its flusher has let go of the store, so the store
/// can be opened again.
async fn close(store: Arc<SledStore>, p: Arc<Pipeline>) {
    store.flush().expect("flush");
    drop(p);
    wait_for(
        "the store to be released",
        std::time::Duration::from_secs(10),
        || async { (Arc::strong_count(&store) == 1).then_some(()) },
    )
    .await;
}

/// Reports by `sk`, `n` of them, numbered from `from`, living `ttl` seconds.
fn reports(w: &World, sk: &SecretKey, from: u64, n: u64, ttl: u64) -> Vec<Envelope> {
    (from..from + n)
        .map(|i| {
            let body = Report {
                category: Category::Patrol,
                areas: vec![Area::parse("9q8yy").expect("area")],
                seen_at: now(),
                note: Some(ReportText {
                    lang: "en".into(),
                    text: format!("sighting {i}"),
                }),
            };
            w.sign(sk, Body::Report(body), ttl)
        })
        .collect()
}

async fn ingest(p: &Arc<Pipeline>, envs: &[Envelope]) -> Vec<Outcome> {
    let peer = PeerId::random();
    let mut out = Vec::new();
    for chunk in envs.chunks(64) {
        let items = chunk
            .iter()
            .map(|e| (e.bytes().to_vec(), Source::Sync(peer)))
            .collect();
        out.extend(p.ingest_batch(items).await);
    }
    out
}

fn stored_reports(store: &SledStore) -> u64 {
    store.counts().expect("counts").by_kind["report"]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_member_key_cannot_store_more_than_its_quota() {
    let w = World::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let quota = MEMBER_QUOTA.envelopes;
    {
        let (store, p) = open(dir.path(), &w);
        assert!(
            p.ingest(w.trust_list(1, vec![]).bytes(), Source::Local)
                .await
                .is_stored()
        );
        // Short-lived ones first (they expire in an hour), then long-lived ones.
        let mut flood = reports(&w, &w.member, 0, quota / 2, HOUR);
        flood.extend(reports(&w, &w.member, quota / 2, quota, 24 * HOUR));
        let outcomes = ingest(&p, &flood).await;
        let accepted = outcomes.iter().filter(|o| o.is_stored()).count() as u64;
        assert_eq!(accepted, quota, "exactly the quota is stored");
        for o in &outcomes[quota as usize..] {
            match o {
                Outcome::Ignored { reason } => assert!(reason.contains("quota"), "{reason}"),
                other => panic!("over quota must be ignored (no penalty), got {other:?}"),
            }
        }
        assert_eq!(stored_reports(&store), quota);
        let bytes: u64 = flood[..quota as usize]
            .iter()
            .map(|e| e.bytes().len() as u64)
            .sum();
        let full = Usage {
            envelopes: quota,
            bytes,
        };
        assert_eq!(store.usage(&w.member.public()).expect("usage"), full);
        // Another author is not affected, and trust lists are not charged.
        let other = reports(&w, &w.org, 10_000, 1, 24 * HOUR);
        assert!(ingest(&p, &other).await[0].is_stored());
        assert_eq!(store.usage(&w.org.public()).expect("usage").envelopes, 1);
        assert_eq!(
            store.usage(&w.root.public()).expect("usage"),
            Usage::default()
        );
        close(store, p).await;
    }
    // A restart keeps the count: the member is still at its quota.
    let (store, p) = open(dir.path(), &w);
    assert_eq!(
        store.usage(&w.member.public()).expect("usage").envelopes,
        quota
    );
    let more = reports(&w, &w.member, 20_000, 1, 24 * HOUR);
    assert!(matches!(
        ingest(&p, &more).await[0],
        Outcome::Ignored { .. }
    ));
    // Nor does publishing through this node's own API get round it.
    let local = reports(&w, &w.member, 25_000, 1, 24 * HOUR);
    assert!(matches!(
        p.ingest(local[0].bytes(), Source::Local).await,
        Outcome::Ignored { .. }
    ));
    assert_eq!(stored_reports(&store), quota + 1);

    // Garbage collection frees quota: the short-lived half goes, as many new ones fit.
    let removed = store.gc(now() + 2 * HOUR).expect("gc") as u64;
    assert_eq!(removed, quota / 2);
    let refill = reports(&w, &w.member, 30_000, quota / 2 + 5, 24 * HOUR);
    let outcomes = ingest(&p, &refill).await;
    let accepted = outcomes.iter().filter(|o| o.is_stored()).count() as u64;
    assert_eq!(accepted, quota / 2, "GC freed exactly what it removed");
    assert_eq!(stored_reports(&store), quota + 1);
    assert_eq!(
        store.usage(&w.member.public()).expect("usage").envelopes,
        quota
    );
}

/// The byte bound holds too, and organizers get their own, larger quota.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bytes_are_bounded_and_organizers_have_more_room() {
    let w = World::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, p) = open(dir.path(), &w);
    assert!(
        p.ingest(w.trust_list(1, vec![]).bytes(), Source::Local)
            .await
            .is_stored()
    );
    // The largest reports a member can sign: a 4 KiB note and 64 area cells.
    let big = |sk: &SecretKey, n: u64| {
        let body = Report {
            category: Category::Patrol,
            areas: GEOHASH
                .chars()
                .flat_map(|a| GEOHASH.chars().map(move |b| format!("9q8{a}{b}")))
                .take(limits::MAX_AREAS)
                .map(|c| Area::parse(&c).expect("area"))
                .collect(),
            seen_at: now(),
            note: Some(ReportText {
                lang: "en".into(),
                text: format!("{n:04} {}", "x".repeat(limits::MAX_TEXT - 5)),
            }),
        };
        w.sign(sk, Body::Report(body), 24 * HOUR)
    };
    let flood: Vec<Envelope> = (0..MEMBER_QUOTA.envelopes)
        .map(|n| big(&w.member, n))
        .collect();
    let size = flood[0].bytes().len() as u64;
    let fits = MEMBER_QUOTA.bytes / size;
    assert!(fits < MEMBER_QUOTA.envelopes, "the byte bound binds first");
    let outcomes = ingest(&p, &flood).await;
    let stored = outcomes.iter().filter(|o| o.is_stored()).count() as u64;
    assert_eq!(stored, fits);
    let used = store.usage(&w.member.public()).expect("usage");
    assert!(used.bytes <= MEMBER_QUOTA.bytes && used.bytes + size > MEMBER_QUOTA.bytes);

    // The organizer stores past the member quota.
    let org: Vec<Envelope> = (0..MEMBER_QUOTA.envelopes + 50)
        .map(|n| w.alert(&w.org, &format!("alert {n}")))
        .collect();
    let outcomes = ingest(&p, &org).await;
    assert!(outcomes.iter().all(Outcome::is_stored));
    assert!(store.usage(&w.org.public()).expect("usage").envelopes < ORGANIZER_QUOTA.envelopes);
}
