//! Durable write throughput of the store: what one fsync costs and how much group commit
//! (many inserts, one flush) buys.
//!
//! Run with `cargo bench -p aviso-node --bench store`. The databases live under Cargo's
//! target tmp directory, not `/tmp`, which is often a RAM disk where a flush costs nothing.

use std::hint::black_box;
use std::time::Duration;

use aviso_node::store::{SledStore, Store};
use aviso_protocol::{
    Alert, Area, Body, Category, Certainty, CommunityId, Envelope, Info, MsgType, SecretKey,
    Severity, Status, Urgency,
};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

/// Inserts per flush in the group-commit case.
const GROUP: usize = 64;
/// Value size of the raw sled case, about the size of a two-language alert.
const VALUE_LEN: usize = 1024;
const NOW: u64 = 1_800_000_000;

fn bench_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench tmp dir")
}

/// Signs distinct alerts of about [`VALUE_LEN`] bytes, one per call.
struct Alerts {
    key: SecretKey,
    next: u64,
}

impl Alerts {
    fn new() -> Self {
        Alerts {
            key: aviso_protocol::fixtures::key(2),
            next: 0,
        }
    }

    fn next(&mut self) -> Envelope {
        self.next += 1;
        let info = |lang: &str| Info {
            lang: lang.into(),
            headline: format!("Raid reported near 24th St station #{}", self.next),
            description: "Two unmarked vans and several agents at the corner. ".repeat(4),
            instruction: "Stay inside, do not open the door, call the hotline.".into(),
        };
        let alert = Alert {
            category: Category::Raid,
            severity: Severity::Severe,
            urgency: Urgency::Immediate,
            certainty: Certainty::Observed,
            status: Status::Actual,
            msg_type: MsgType::Alert,
            references: vec![],
            areas: vec![Area::parse("9q8yy").expect("bench area")],
            area_desc: None,
            onset: None,
            info: vec![info("en"), info("es")],
            confirms: vec![],
        };
        let created = NOW + self.next;
        Envelope::sign(
            &self.key,
            CommunityId([1; 32]),
            &Body::Alert(alert),
            created,
            created + 3600,
        )
        .expect("bench alert signs")
    }
}

fn raw_sled(c: &mut Criterion) {
    let dir = bench_dir();
    // The store's own settings, so the difference to `store_insert_flush` is the
    // indexes and the transaction.
    let db = sled::Config::new()
        .path(dir.path().join("raw"))
        .flush_every_ms(None)
        .open()
        .expect("raw sled opens");
    let value = vec![0xa5u8; VALUE_LEN];
    let mut n = 0u64;
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("raw_sled_insert_1k_flush", |b| {
        b.iter(|| {
            n += 1;
            db.insert(n.to_be_bytes(), black_box(&value[..]))
                .expect("insert");
            db.flush().expect("flush");
        })
    });
    group.finish();
}

fn store_insert_flush(c: &mut Criterion) {
    let dir = bench_dir();
    let store = SledStore::open(&dir.path().join("one")).expect("store opens");
    let mut alerts = Alerts::new();
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(1));
    group.bench_function("insert_flush_each", |b| {
        b.iter_batched(
            || alerts.next(),
            |env| {
                assert!(store.insert(black_box(&env)).expect("insert"));
                store.flush().expect("flush");
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn store_group_commit(c: &mut Criterion) {
    let dir = bench_dir();
    let store = SledStore::open(&dir.path().join("group")).expect("store opens");
    let mut alerts = Alerts::new();
    let mut group = c.benchmark_group("store");
    group.throughput(Throughput::Elements(GROUP as u64));
    group.bench_function("insert_64_flush_once", |b| {
        b.iter_batched(
            || (0..GROUP).map(|_| alerts.next()).collect::<Vec<_>>(),
            |envs| {
                for env in &envs {
                    assert!(store.insert(black_box(env)).expect("insert"));
                }
                store.flush().expect("flush");
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = raw_sled, store_insert_flush, store_group_commit
}
criterion_main!(benches);
