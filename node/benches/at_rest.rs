//! Encryption at rest: what it costs and how fast the panic wipe is.
//!
//! - **Ingest**: the same signed alerts through the whole pipeline (`ingest_batch`,
//!   batches of 256, one flush each) into the plaintext [`SledStore`] (the reference) and
//!   into the encrypted [`SealedStore`], runs interleaved; the median of each run's ratio.
//! - **Open**: opening a store that holds `N` envelopes (the encrypted store decrypts every
//!   record and rebuilds its indexes in memory), beside opening the plaintext store.
//! - **Wipe**: [`at_rest::wipe`] of a home holding `N` envelopes: the decisive step (the
//!   wrapped data key and the signing keys overwritten, synced, unlinked) and the whole.
//!
//! Run with `cargo bench -p aviso-node --bench at_rest` (N = 100,000). Stores live under
//! Cargo's target tmp directory, not `/tmp`. Prints a Markdown table.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aviso_node::at_rest::{self, Secret};
use aviso_node::pipeline::{Outcome, Pipeline, Source};
use aviso_node::store::{SealedStore, SledStore, Store};
use aviso_protocol::{Body, Community, Envelope, Role, SecretKey, fixtures};
use libp2p::PeerId;

/// How much to measure: `cargo bench` measures, `cargo test --benches` only smoke-tests.
#[derive(Clone, Copy)]
struct Sizes {
    per_run: usize,
    runs: usize,
    stored: usize,
}

const BENCH: Sizes = Sizes {
    per_run: 2_048,
    runs: 5,
    stored: 100_000,
};
const SMOKE: Sizes = Sizes {
    per_run: 256,
    runs: 1,
    stored: 1_000,
};
/// Organizers the alerts are spread over, so no author exceeds its burst allowance.
const ORGANIZERS: u8 = 64;
/// Envelopes per flush while filling a store for the open and wipe measurements.
const FILL_BATCH: usize = 1_024;

fn community() -> (Community, SecretKey) {
    let root = fixtures::key(1);
    (fixtures::community(&root, 7, "Bench"), root)
}

fn organizer(n: usize) -> SecretKey {
    fixtures::key(100u8.wrapping_add((n % ORGANIZERS as usize) as u8))
}

fn trust_list(c: &Community, root: &SecretKey, now: u64) -> Envelope {
    let entries = (0..ORGANIZERS as usize)
        .map(|n| fixtures::entry(organizer(n).public(), Role::Organizer, format!("org {n}")))
        .collect();
    let body = Body::TrustList(fixtures::trust_list("Bench list", 1, entries));
    fixtures::sign(root, c.id, &body, now, 300 * fixtures::DAY)
}

fn alerts(c: &Community, from: usize, n: usize, now: u64) -> Vec<Envelope> {
    (from..from + n)
        .map(|i| {
            let body = Body::Alert(common::alert_body(i));
            Envelope::sign(&organizer(i), c.id, &body, now, now + 24 * 3600).expect("signs")
        })
        .collect()
}

fn bench_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench tmp dir")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn pipeline_run(p: &Arc<Pipeline>, envs: &[Envelope]) -> f64 {
    let peer = PeerId::random();
    let start = Instant::now();
    for chunk in envs.chunks(256) {
        let items = chunk
            .iter()
            .map(|e| (e.bytes().to_vec(), Source::Sync(peer)))
            .collect();
        for o in p.ingest_batch(items).await {
            assert!(matches!(o, Outcome::Accepted { .. }), "not accepted: {o:?}");
        }
    }
    envs.len() as f64 / start.elapsed().as_secs_f64()
}

fn pipeline(store: Arc<dyn Store>, c: &Community, list: &Envelope) -> Arc<Pipeline> {
    let (events, _) = tokio::sync::broadcast::channel(1024);
    let p = Pipeline::new(store, Some(c.clone()), events).expect("pipeline");
    futures::executor::block_on(async {
        let o = p.ingest(list.bytes(), Source::Local).await;
        assert!(matches!(o, Outcome::Accepted { .. }), "{o:?}");
    });
    p
}

/// Median envelopes/s into the plaintext and the encrypted store, and the median ratio.
fn ingest(z: Sizes) -> (f64, f64, f64) {
    let (c, root) = community();
    let now = aviso_node::unix_now();
    let list = trust_list(&c, &root, now);
    let dir = bench_dir();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let plain: Arc<dyn Store> =
            Arc::new(SledStore::open(&dir.path().join("plain")).expect("opens"));
        let sealed: Arc<dyn Store> = Arc::new(
            SealedStore::open(&dir.path().join("sealed"), at_rest::Seal::new(&[9; 32]))
                .expect("opens"),
        );
        let p_plain = pipeline(plain, &c, &list);
        let p_sealed = pipeline(sealed, &c, &list);
        let (mut a, mut b, mut r) = (vec![], vec![], vec![]);
        for run in 0..z.runs {
            let envs = alerts(&c, run * z.per_run, z.per_run, now);
            let x = pipeline_run(&p_plain, &envs).await;
            let y = pipeline_run(&p_sealed, &envs).await;
            a.push(x);
            b.push(y);
            r.push(y / x);
        }
        eprintln!("plain {a:.0?}; encrypted {b:.0?}");
        (median(a), median(b), median(r))
    })
}

/// Fill `store` with `n` alerts (plus the list), flushing every [`FILL_BATCH`].
fn fill(store: &dyn Store, n: usize) {
    let (c, root) = community();
    let now = aviso_node::unix_now();
    store.insert(&trust_list(&c, &root, now)).expect("insert");
    let mut i = 0;
    while i < n {
        let k = FILL_BATCH.min(n - i);
        for e in alerts(&c, i, k, now) {
            store.insert(&e).expect("insert");
        }
        store.flush().expect("flush");
        i += k;
    }
}

struct Opened {
    plain: Duration,
    sealed: Duration,
    wipe_decisive: Duration,
    wipe_total: Duration,
}

fn open_and_wipe(n: usize) -> Opened {
    let dir = bench_dir();
    let plain_dir = dir.path().join("plain");
    fill(&SledStore::open(&plain_dir).expect("opens"), n);
    let t = Instant::now();
    let s = SledStore::open(&plain_dir).expect("opens");
    let plain = t.elapsed();
    assert!(s.counts().expect("counts").total as usize > n);
    drop(s);

    // A real encrypted home: data key, member key, node key, the store.
    let home = dir.path().join("home");
    std::fs::create_dir(&home).expect("home");
    let key = at_rest::create(&home, &[Secret::KeyFile(dir.path().join("key"))]).expect("key");
    std::fs::write(home.join("member.key"), [1u8; 300]).expect("member key");
    std::fs::write(home.join("node.key"), [2u8; 68]).expect("node key");
    let store_dir = home.join("sealed").join("x");
    fill(
        &SealedStore::open(&store_dir, key.seal()).expect("opens"),
        n,
    );
    let t = Instant::now();
    let s = SealedStore::open(&store_dir, key.seal()).expect("opens");
    let sealed = t.elapsed();
    assert!(s.counts().expect("counts").total as usize > n);
    assert_eq!(s.damaged(), 0);
    // Wiped with the store open, as with the node running.
    let t = Instant::now();
    let wipe_decisive = at_rest::wipe(&home);
    let wipe_total = t.elapsed();
    drop(s);
    assert!(!home.join("data.key").exists());
    Opened {
        plain,
        sealed,
        wipe_decisive,
        wipe_total,
    }
}

fn main() {
    let z = if std::env::args().any(|a| a == "--bench") {
        BENCH
    } else {
        SMOKE
    };
    let (plain, sealed, ratio) = ingest(z);
    let o = open_and_wipe(z.stored);
    let n = z.stored;
    println!("`cargo bench -p aviso-node --bench at_rest`\n");
    println!("| measure | value | reference (same run) | ratio |");
    println!("|---|---|---|---|");
    println!(
        "| pipeline ingest, batches of 256, encrypted store | {sealed:.0} envelopes/s | plaintext sled store {plain:.0} envelopes/s | {ratio:.2} |"
    );
    println!(
        "| open a store of {n} envelopes, encrypted (decrypt all, indexes in memory) | {:.2} s | plaintext sled store {:.2} s | {:.1} |",
        o.sealed.as_secs_f64(),
        o.plain.as_secs_f64(),
        o.sealed.as_secs_f64() / o.plain.as_secs_f64().max(1e-9)
    );
    println!(
        "| panic wipe with {n} envelopes: keys destroyed (nothing readable) | {:.1} ms | | |",
        o.wipe_decisive.as_secs_f64() * 1e3
    );
    println!(
        "| panic wipe with {n} envelopes: whole home deleted | {:.1} ms | | |",
        o.wipe_total.as_secs_f64() * 1e3
    );
    if z.runs > 1 {
        assert!(
            o.wipe_decisive < Duration::from_secs(1),
            "the wipe must make everything unreadable in under a second"
        );
    }
}
