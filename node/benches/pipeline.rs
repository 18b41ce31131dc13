//! Durable ingest through the whole validation pipeline into the store the node runs,
//! beside two references measured in the same run; and the resident memory of an idle
//! node that holds 10,000 envelopes, beside the same process before it opened anything.
//!
//! - **Ingest**: `Pipeline::ingest_batch` of signed alerts by authorized organizers, as
//!   catch-up feeds it (`Source::Sync`: every check, the per-author limit included), one
//!   batch after another, each batch made durable with one flush, into the encrypted
//!   [`SealedStore`] the daemon opens. Batches of 64 and 256.
//! - **References**, interleaved with the ingest runs: raw sled, one insert of a value of
//!   the envelopes' size and one flush each (the store's sled settings); and raw
//!   single-core `verify_strict` of the same envelopes (one thread, nothing else).
//! - **Memory**: a child process (this binary again) reads `VmRSS` from
//!   `/proc/self/status` first thing, then opens the store (10,000 envelopes), builds
//!   the pipeline and the swarm (`net::spawn` on `127.0.0.1:0`), idles 3 s and reads it
//!   again.
//!
//! The old plaintext `SledStore` is not measured: the node no longer runs it (it only
//! reads one to migrate a home of an older version; tests and the simulator still use
//! it). Its last figures stay in BENCHMARKS.md as history.
//!
//! Run with `cargo bench -p aviso-node --bench pipeline`. The stores live under Cargo's
//! target tmp directory, not `/tmp`, which is often a RAM disk where a flush costs
//! nothing. Prints a Markdown table.

mod common;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aviso_node::at_rest::Seal;
use aviso_node::net::{self, NetConfig};
use aviso_node::pipeline::{Outcome, Pipeline, Source};
use aviso_node::store::{SealedStore, Store};
use aviso_protocol::{Body, Community, Envelope, PublicKey, Role, SecretKey, fixtures};
use libp2p::{PeerId, identity};

/// Set in the child process to the directory of the prepared store.
const CHILD_ENV: &str = "AVISO_BENCH_IDLE_NODE";
/// How much to measure: `cargo bench` measures, `cargo test --benches` only smoke-tests.
#[derive(Clone, Copy)]
struct Sizes {
    /// Envelopes per pipeline run (a whole number of batches of both sizes).
    per_run: usize,
    /// Raw sled inserts per reference run.
    raw_per_run: usize,
    /// Runs of each measurement, interleaved (raw sled, raw verify, batches of 64,
    /// batches of 256); the medians of the rates and of each run's ratios to the
    /// references of that run are reported.
    runs: usize,
    /// Envelopes held by the idle node.
    idle: usize,
}

const BENCH: Sizes = Sizes {
    per_run: 2_048,
    raw_per_run: 500,
    runs: 7,
    idle: 10_000,
};
const SMOKE: Sizes = Sizes {
    per_run: 512,
    raw_per_run: 50,
    runs: 1,
    idle: 500,
};
/// Organizers the alerts are spread over, so no author exceeds its burst allowance.
const ORGANIZERS: u8 = 64;
const COMMAND: &str = "`cargo bench -p aviso-node --bench pipeline`";
/// The data key of the bench's stores (the child process reopens the parent's).
const SEAL_KEY: [u8; 32] = [9; 32];
/// Length of an ed25519 signature, the tail of every envelope.
const SIG_LEN: usize = 64;

fn community() -> (Community, SecretKey) {
    let root = fixtures::key(1);
    (fixtures::community(&root, 7, "Bench"), root)
}

fn organizer(n: u8) -> SecretKey {
    fixtures::key(100u8.wrapping_add(n))
}

fn trust_list(c: &Community, root: &SecretKey, now: u64) -> Envelope {
    let entries = (0..ORGANIZERS)
        .map(|n| {
            fixtures::entry(
                organizer(n).public(),
                Role::Organizer,
                format!("organizer {n}"),
            )
        })
        .collect();
    let body = Body::TrustList(fixtures::trust_list("Bench list", 1, entries));
    fixtures::sign(root, c.id, &body, now, 300 * fixtures::DAY)
}

/// A typical alert (a raid in one cell, English and Spanish): about 400 bytes.
fn alert(c: &Community, key: &SecretKey, n: usize, now: u64) -> Envelope {
    let body = common::alert_body(n);
    Envelope::sign(key, c.id, &Body::Alert(body), now, now + 24 * 3600).expect("alert signs")
}

fn bench_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench tmp dir")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Resident set size of this process, in KiB.
fn vm_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS line")
}

/// Raw sled: insert one value and flush, `n` times. Inserts per second.
fn raw_sled_run(db: &sled::Db, value: &[u8], next: &mut u64, n: usize) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        *next += 1;
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&next.to_be_bytes());
        db.insert(key, value).expect("insert");
        db.flush().expect("flush");
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Raw `verify_strict` (ed25519-dalek, through [`PublicKey::verify_strict`], which also
/// decompresses the key: the protocol bench's reference) of `envs` on this one thread,
/// nothing else. Signatures per second.
fn raw_verify_run(envs: &[Envelope]) -> f64 {
    let parts: Vec<(PublicKey, &[u8], [u8; SIG_LEN])> = envs
        .iter()
        .map(|e| {
            let (signed, sig) = e.bytes().split_at(e.bytes().len() - SIG_LEN);
            (
                e.author(),
                signed,
                sig.try_into().expect("64-byte signature"),
            )
        })
        .collect();
    let start = Instant::now();
    for (key, signed, sig) in &parts {
        black_box(key)
            .verify_strict(black_box(signed), black_box(sig))
            .expect("verifies");
    }
    envs.len() as f64 / start.elapsed().as_secs_f64()
}

/// `envs` through the pipeline in batches of `batch`. Envelopes per second.
async fn pipeline_run(p: &Arc<Pipeline>, envs: Vec<Envelope>, batch: usize) -> f64 {
    let peer = PeerId::random();
    let batches: Vec<Vec<(Vec<u8>, Source)>> = envs
        .chunks(batch)
        .map(|c| {
            c.iter()
                .map(|e| (e.bytes().to_vec(), Source::Sync(peer)))
                .collect()
        })
        .collect();
    let start = Instant::now();
    for items in batches {
        for o in p.ingest_batch(items).await {
            assert!(matches!(o, Outcome::Accepted { .. }), "not accepted: {o:?}");
        }
    }
    envs.len() as f64 / start.elapsed().as_secs_f64()
}

/// One batch size's figures: median envelopes/s, and the medians of each run's ratio to
/// the two references measured in that run.
struct ByBatch {
    batch: usize,
    rate: f64,
    to_sled: f64,
    to_verify: f64,
}

struct Ingest {
    /// Median raw sled inserts (+ flush each) per second.
    raw: f64,
    /// Median raw single-core `verify_strict` per second.
    verify: f64,
    by_batch: Vec<ByBatch>,
    parts: Breakdown,
    envelope_len: usize,
}

/// The store the node runs: [`SealedStore`], opened as `SealedStore::open_in_home` opens
/// it (that function only picks the directory and migrates an old plaintext store).
fn sealed_store(dir: &Path) -> SealedStore {
    SealedStore::open(dir, Seal::new(&SEAL_KEY)).expect("store opens")
}

fn ingest(z: Sizes) -> Ingest {
    let (c, root) = community();
    let now = aviso_node::unix_now();
    let t = Instant::now();
    // Every run gets envelopes never seen before, signed up front.
    let mut signed = (0..(z.runs * 2 + 1) * z.per_run)
        .map(|n| alert(&c, &organizer((n % ORGANIZERS as usize) as u8), n, now));
    let mut take = |k: usize| -> Vec<Envelope> { signed.by_ref().take(k).collect() };
    let first = take(z.per_run);
    let envelope_len = first.iter().map(|e| e.bytes().len()).sum::<usize>() / first.len();
    let mut runs: Vec<Vec<Envelope>> = vec![first];
    runs.extend((1..z.runs * 2).map(|_| take(z.per_run)));
    eprintln!(
        "signed {} alerts of {envelope_len} B in {:.1?}",
        (z.runs * 2 + 1) * z.per_run,
        t.elapsed()
    );

    let dir = bench_dir();
    let db = sled::Config::new()
        .path(dir.path().join("raw"))
        .flush_every_ms(None)
        .open()
        .expect("raw sled opens");
    let value = vec![0xa5u8; envelope_len];
    let mut next = 0;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (raws, verifies, by_batch) = rt.block_on(async {
        let store: Arc<dyn Store> = Arc::new(sealed_store(&dir.path().join("node")));
        let (events, _) = tokio::sync::broadcast::channel(1024);
        let p = Pipeline::new(store, Some(c.clone()), events).expect("pipeline");
        let list = trust_list(&c, &root, now);
        let o = p.ingest(list.bytes(), Source::Local).await;
        assert!(matches!(o, Outcome::Accepted { .. }), "{o:?}");
        let (mut raws, mut verifies, mut b64, mut b256) = (vec![], vec![], vec![], vec![]);
        let mut runs = runs.into_iter();
        for _ in 0..z.runs {
            let (r64, r256) = (runs.next().expect("run"), runs.next().expect("run"));
            raws.push(raw_sled_run(&db, &value, &mut next, z.raw_per_run));
            verifies.push(raw_verify_run(&r64));
            b64.push(pipeline_run(&p, r64, 64).await);
            b256.push(pipeline_run(&p, r256, 256).await);
        }
        eprintln!(
            "raw sled {raws:.0?}; raw verify {verifies:.0?}; batch 64 {b64:.0?}; batch 256 {b256:.0?}"
        );
        let ratio = |b: &[f64], to: &[f64]| median(b.iter().zip(to).map(|(p, r)| p / r).collect());
        let by_batch = [(64, b64), (256, b256)]
            .into_iter()
            .map(|(batch, rates)| ByBatch {
                batch,
                to_sled: ratio(&rates, &raws),
                to_verify: ratio(&rates, &verifies),
                rate: median(rates),
            })
            .collect();
        (raws, verifies, by_batch)
    });
    let parts = breakdown(take(z.per_run));
    Ingest {
        raw: median(raws),
        verify: median(verifies),
        by_batch,
        parts,
        envelope_len,
    }
}

/// Where a batch of 256 spends its time outside the pipeline, per envelope, on one
/// thread: decode + verify, the store inserts (record and first sighting, sealed), and
/// the batch's one flush. Microseconds.
struct Breakdown {
    verify: f64,
    insert: f64,
    flush: f64,
}

fn breakdown(envs: Vec<Envelope>) -> Breakdown {
    let dir = bench_dir();
    let store = sealed_store(&dir.path().join("parts"));
    let now = aviso_node::unix_now();
    let (mut verify, mut insert, mut flush) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for batch in envs.chunks(256) {
        let t = Instant::now();
        for e in batch {
            let d = Envelope::decode(e.bytes()).expect("decodes");
            d.verify().expect("verifies");
        }
        verify += t.elapsed();
        let t = Instant::now();
        for e in batch {
            assert!(store.insert(e).expect("insert"));
            store.set_first_seen(&e.id(), now).expect("first seen");
        }
        insert += t.elapsed();
        let t = Instant::now();
        store.flush().expect("flush");
        flush += t.elapsed();
    }
    let per = |d: Duration| d.as_secs_f64() * 1e6 / envs.len() as f64;
    Breakdown {
        verify: per(verify),
        insert: per(insert),
        flush: per(flush),
    }
}

/// Fill a store with the trust list and alerts: `n` in all.
fn prepare_idle_store(dir: &Path, n: usize) {
    let (c, root) = community();
    let now = aviso_node::unix_now();
    let store = sealed_store(&dir.join("store"));
    assert!(store.insert(&trust_list(&c, &root, now)).expect("insert"));
    for i in 1..n {
        let env = alert(&c, &organizer((i % ORGANIZERS as usize) as u8), i, now);
        assert!(store.insert(&env).expect("insert"));
    }
    store.flush().expect("flush");
}

/// The child: bare RSS, then an idle node on the prepared store. Prints
/// `rss <bare KiB> <idle KiB> <envelopes>`.
fn idle_node_child(dir: PathBuf) {
    let bare = vm_rss_kib();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (c, _) = community();
        let store = Arc::new(sealed_store(&dir.join("store")));
        let (events, _) = tokio::sync::broadcast::channel(1024);
        let dyn_store: Arc<dyn Store> = store.clone();
        let pipeline = Pipeline::new(dyn_store, Some(c), events.clone()).expect("pipeline");
        let keypair = identity::Keypair::ed25519_from_bytes([9; 32]).expect("node key");
        let cfg = NetConfig {
            listen: vec!["/ip4/127.0.0.1/tcp/0".parse().expect("addr")],
            ..NetConfig::default()
        };
        let (client, handle) = net::spawn(keypair, cfg, pipeline, events).expect("spawns");
        let deadline = Instant::now() + Duration::from_secs(10);
        while client
            .status()
            .await
            .map(|s| s.listen_addrs.is_empty())
            .unwrap_or(true)
        {
            assert!(Instant::now() < deadline, "the node never listened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Idle: no peers, nothing to do but ticks.
        tokio::time::sleep(Duration::from_secs(3)).await;
        let idle = vm_rss_kib();
        println!(
            "rss {bare} {idle} {}",
            store.counts().expect("counts").total
        );
        client.shutdown().await.expect("shuts down");
        let _ = handle.await;
    });
}

fn idle_node(n: usize) -> (u64, u64) {
    let dir = bench_dir();
    let t = Instant::now();
    prepare_idle_store(dir.path(), n);
    eprintln!("prepared a store of {n} envelopes in {:.1?}", t.elapsed());
    let out = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env(CHILD_ENV, dir.path())
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("rss "))
        .expect("child reports rss");
    let v: Vec<u64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    assert_eq!(v.get(2).copied(), Some(n as u64), "the node held them all");
    (v[0], v[1])
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn main() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        idle_node_child(PathBuf::from(dir));
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then a quick smoke run.
    let z = if std::env::args().any(|a| a == "--bench") {
        BENCH
    } else {
        SMOKE
    };
    let (bare, idle) = idle_node(z.idle);
    let ing = ingest(z);

    println!("\n| figure | ours | reference | ratio | goal | command |");
    println!("|---|---|---|---|---|---|");
    for b in &ing.by_batch {
        let what = format!(
            "durable ingest through the pipeline into the encrypted store (decode, checks, verify, relay rule, sealed insert; one flush per batch of {})",
            b.batch
        );
        println!(
            "| {what}, envelopes/s | {} /s | raw sled, insert of {} B + flush each: {} /s | {:.2}× | ≥ 1× | {COMMAND} |",
            thousands(b.rate as u64),
            ing.envelope_len,
            thousands(ing.raw as u64),
            b.to_sled,
        );
        println!(
            "| the same | {} /s | raw `verify_strict`, one thread: {} /s | {:.2}× | ≥ 0.7× | {COMMAND} |",
            thousands(b.rate as u64),
            thousands(ing.verify as u64),
            b.to_verify,
        );
    }
    println!(
        "| resident memory of an idle node (store, pipeline, swarm on 127.0.0.1) holding {} envelopes | {:.1} MiB | the bare process before opening anything: {:.1} MiB | {:.2}× | informational | {COMMAND} |",
        thousands(z.idle as u64),
        idle as f64 / 1024.0,
        bare as f64 / 1024.0,
        idle as f64 / bare as f64,
    );
    let p = &ing.parts;
    println!(
        "\nPer envelope, outside the pipeline, batches of 256: decode + verify {:.1} µs, store inserts (sealed record and first sighting) {:.1} µs, flush {:.1} µs (one per batch, shared).",
        p.verify, p.insert, p.flush
    );
}
