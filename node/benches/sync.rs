//! What offline catch-up costs on the wire: round trips and bytes to find 100 missing
//! envelopes among 100,000 and 1,000,000 stored, plus the fetch of those 100, beside the
//! size of the 100 envelopes themselves; for `/aviso/sync/1` (negentropy, the reference)
//! and `/aviso/sync/2` (rateless IBLT cells, then Get by key) in the same run.
//!
//! sync/2 is driven by the node's own [`Reconciler`] and answered by its own
//! [`sync2::handle`] (100,000) or [`Set2`] (1,000,000). The server's CPU time per session
//! is timed at 1,000,000: answering from its cached set, and building that cache.
//!
//! In process, no network: the client drives `negentropy` exactly as a session does
//! (`net::sync`: same [`FRAME_LIMIT`], same loop, same fetch framing). At 100,000 the
//! server is the node's own [`SyncServer`] over a sled store of signed alerts; at
//! 1,000,000 both sides are plain negentropy storages of `(created_at, id)` items, with
//! real envelopes only for the missing ones.
//!
//! Two shapes of "missing": the **newest** 100 (a node that was away: what it lacks is
//! what was published since) and 100 **spread** uniformly over the whole history (the
//! worst case for range-based reconciliation).
//!
//! Run with `cargo bench -p aviso-node --bench sync`. Prints a Markdown table.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aviso_node::net::sync::FETCH_RESPONSE_BUDGET;
use aviso_node::net::sync::{
    FETCH_BATCH, FRAME_LIMIT, MAX_ROUNDS, SyncServer, decode_envelopes, decode_ids, encode_ids,
};
use aviso_node::net::sync2::{self, Reconciler, Set2, Step, Sync2Request};
use aviso_node::pipeline::Pipeline;
use aviso_node::store::{SledStore, Store};
use aviso_protocol::{Body, CommunityId, Envelope, Id, SecretKey};
use negentropy::{Negentropy, NegentropyStorageVector};
use sha2::{Digest, Sha256};

const MISSING: usize = 100;
const DAY: u64 = 24 * 3600;
/// Stored envelopes were created over this many past days (alerts live at most 30).
const HISTORY_DAYS: u64 = 29;
const COMMAND: &str = "`cargo bench -p aviso-node --bench sync`";

/// A typical alert, like the protocol benchmark's: a raid in one cell, English and
/// Spanish text. About 400 bytes.
fn alert(key: &SecretKey, n: u64, created_at: u64) -> Envelope {
    let body = common::alert_body(n);
    Envelope::sign(
        key,
        CommunityId([1; 32]),
        &Body::Alert(body),
        created_at,
        created_at + 30 * DAY - 3600,
    )
    .expect("bench alert signs")
}

/// Creation time of the `i`-th of `n` items, spread evenly over the history.
fn created_at(now: u64, i: usize, n: usize) -> u64 {
    now - HISTORY_DAYS * DAY + (i as u64 * HISTORY_DAYS * DAY) / n as u64
}

/// SplitMix64: deterministic "random" positions without a dependency.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Newest,
    Spread,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Newest => "newest",
            Shape::Spread => "spread",
        }
    }

    /// Which `MISSING` of `n` positions the client lacks.
    fn positions(self, n: usize) -> BTreeSet<usize> {
        match self {
            Shape::Newest => (n - MISSING..n).collect(),
            Shape::Spread => {
                let mut s = 0x5eed_u64;
                let mut set = BTreeSet::new();
                while set.len() < MISSING {
                    set.insert((splitmix(&mut s) % n as u64) as usize);
                }
                set
            }
        }
    }
}

fn storage(items: impl IntoIterator<Item = (u64, Id)>) -> NegentropyStorageVector {
    let items: Vec<(u64, Id)> = items.into_iter().collect();
    let mut s = NegentropyStorageVector::with_capacity(items.len());
    for (t, id) in items {
        s.insert(t, negentropy::Id::from_byte_array(id.0))
            .expect("storage insert");
    }
    s.seal().expect("storage seals");
    s
}

/// What one catch-up cost.
struct Cost {
    /// (client → server, server → client) bytes of each reconciliation round trip.
    rounds: Vec<(usize, usize)>,
    need: Vec<Id>,
    fetches: usize,
    fetch_up: usize,
    fetch_down: usize,
    /// Sum of the fetched envelopes' own bytes.
    envelope_bytes: usize,
    reconcile_time: Duration,
    /// Time the server spent answering (at 1,000,000 only).
    server_time: Duration,
    /// Time to build the server's set (at 1,000,000 only).
    build: Duration,
}

impl Cost {
    fn sync_bytes(&self) -> usize {
        self.rounds.iter().map(|(u, d)| u + d).sum()
    }
    fn total(&self) -> usize {
        self.sync_bytes() + self.fetch_up + self.fetch_down
    }
}

/// Reconcile and fetch as `net::sync::session` does, against `sync` and `fetch` servers.
fn catch_up(
    client: NegentropyStorageVector,
    frame_limit: u64,
    mut sync: impl FnMut(&[u8]) -> Vec<u8>,
    fetch: impl FnMut(&[u8]) -> Vec<u8>,
) -> Cost {
    let started = Instant::now();
    let mut ne = Negentropy::owned(client, frame_limit).expect("negentropy");
    let mut msg = ne.initiate().expect("initiate");
    let (mut have, mut need) = (Vec::new(), Vec::new());
    let mut rounds = Vec::new();
    loop {
        assert!(rounds.len() < MAX_ROUNDS, "too many rounds");
        let resp = sync(&msg);
        rounds.push((msg.len(), resp.len()));
        match ne
            .reconcile_with_ids(&resp, &mut have, &mut need)
            .expect("reconcile")
        {
            Some(next) => msg = next,
            None => break,
        }
        have.clear();
    }
    let reconcile_time = started.elapsed();
    let need: Vec<Id> = need.iter().map(|i| Id(i.to_bytes())).collect();
    let fetched = fetch_all(&need, encode_ids, fetch, |batch, env| {
        batch.contains(&env.id())
    });
    Cost {
        rounds,
        need,
        reconcile_time,
        ..fetched
    }
}

/// Reconcile and get as `net::sync2::session` does, against one sync/2 server.
fn catch_up2(client: Arc<Set2>, mut server: impl FnMut(&[u8]) -> Vec<u8>) -> Cost {
    let started = Instant::now();
    let mut rec = Reconciler::new(client);
    let mut msg = rec.start();
    let mut rounds = Vec::new();
    let lack = loop {
        assert!(rounds.len() < MAX_ROUNDS, "too many rounds");
        let resp = server(&msg);
        rounds.push((msg.len(), resp.len()));
        match rec.on_answer(&resp).expect("cells decode") {
            Step::Ask(next) => msg = next,
            Step::Done(lack) => break lack,
            other => panic!("unexpected {other:?}"),
        }
    };
    let reconcile_time = started.elapsed();
    let fetched = fetch_all(
        &lack,
        |batch| Sync2Request::Get(batch.to_vec()).encode(),
        server,
        |batch, env| batch.contains(&aviso_protocol::riblt::key_of(&env.id().0)),
    );
    Cost {
        rounds,
        reconcile_time,
        ..fetched
    }
}

/// Fetch `keys` in batches of [`FETCH_BATCH`] (each request `encode`d, answered by
/// `server`), checking that every batch is served whole and that each envelope is one
/// `asked` for: the fetch part of a [`Cost`] (the ids served, requests, bytes).
fn fetch_all<K>(
    keys: &[K],
    encode: impl Fn(&[K]) -> Vec<u8>,
    mut server: impl FnMut(&[u8]) -> Vec<u8>,
    asked: impl Fn(&[K], &Envelope) -> bool,
) -> Cost {
    let mut cost = Cost {
        rounds: Vec::new(),
        need: Vec::new(),
        fetches: 0,
        fetch_up: 0,
        fetch_down: 0,
        envelope_bytes: 0,
        reconcile_time: Duration::ZERO,
        server_time: Duration::ZERO,
        build: Duration::ZERO,
    };
    for batch in keys.chunks(FETCH_BATCH) {
        let req = encode(batch);
        let resp = server(&req);
        cost.fetches += 1;
        cost.fetch_up += req.len();
        cost.fetch_down += resp.len();
        let envs = decode_envelopes(&resp).expect("fetch response decodes");
        assert_eq!(envs.len(), batch.len(), "every missing envelope served");
        for bytes in envs {
            let env = Envelope::decode(bytes).expect("served envelope decodes");
            assert!(asked(batch, &env), "an envelope that was not asked for");
            cost.need.push(env.id());
            cost.envelope_bytes += bytes.len();
        }
    }
    cost
}

/// A sync/2 server over plain `set`, serving the `served` envelopes; counts its time.
fn plain_server2<'a>(
    set: &'a Set2,
    served: &'a HashMap<Id, Envelope>,
    time: &'a mut Duration,
) -> impl FnMut(&[u8]) -> Vec<u8> + 'a {
    move |m| {
        let t = Instant::now();
        let out = match Sync2Request::decode(m).expect("request") {
            Sync2Request::Cells { from, count } => set.answer_cells(from, count),
            Sync2Request::Get(keys) => {
                // The framing of `SyncServer::handle_fetch`.
                let mut out = Vec::new();
                for id in keys.iter().filter_map(|k| set.id_of(k)) {
                    if let Some(e) = served.get(&id) {
                        out.extend_from_slice(&(e.bytes().len() as u32).to_be_bytes());
                        out.extend_from_slice(e.bytes());
                    }
                }
                out
            }
            other => panic!("unexpected {other:?}"),
        };
        *time += t.elapsed();
        out
    }
}

/// 100,000 signed alerts in a sled store, served by the node's [`SyncServer`].
fn real_store(n: usize, now: u64) -> (Vec<Row>, Cost) {
    let t = Instant::now();
    let store = Arc::new(SledStore::temporary().expect("store"));
    let key = aviso_protocol::fixtures::key(2);
    let mut sizes = 0usize;
    for i in 0..n {
        let env = alert(&key, i as u64, created_at(now, i, n));
        sizes += env.bytes().len();
        assert!(store.insert(&env).expect("insert"));
    }
    eprintln!(
        "built a store of {n} alerts (mean {} B) in {:.1?}",
        sizes / n,
        t.elapsed()
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let _guard = rt.enter();
    let dyn_store: Arc<dyn Store> = store.clone();
    let (events, _) = tokio::sync::broadcast::channel(16);
    let pipeline = Pipeline::new(dyn_store, None, events).expect("pipeline");
    let server = SyncServer::new(pipeline);
    let items = store.sync_items(now).expect("sync items");
    assert_eq!(items.len(), n);
    // Warm the server's snapshot cache, as on a node that already served a peer.
    let mut warm = Negentropy::owned(storage(items.iter().copied()), FRAME_LIMIT).expect("ne");
    server
        .handle_sync(&warm.initiate().expect("initiate"), now)
        .expect("warm-up");
    let results = [Shape::Newest, Shape::Spread]
        .into_iter()
        .map(|shape| {
            let lack = shape.positions(n);
            let client = storage(
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !lack.contains(i))
                    .map(|(_, it)| *it),
            );
            let cost = catch_up(
                client,
                FRAME_LIMIT,
                |m| server.handle_sync(m, now).expect("sync answer"),
                |r| server.handle_fetch(r, now).expect("fetch answer"),
            );
            let want: BTreeSet<Id> = lack.iter().map(|&i| items[i].1).collect();
            assert_eq!(cost.need.iter().copied().collect::<BTreeSet<_>>(), want);
            let client2 = Arc::new(Set2::new(
                items
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !lack.contains(i))
                    .map(|(_, it)| it.1),
            ));
            let cost2 = catch_up2(client2, |m| {
                sync2::handle(&server, m, now, FETCH_RESPONSE_BUDGET).expect("sync/2 answer")
            });
            assert_eq!(cost2.need.iter().copied().collect::<BTreeSet<_>>(), want);
            Row {
                shape,
                n,
                sync1: cost,
                sync2: cost2,
                plain: false,
                update: Duration::ZERO,
            }
        })
        .collect();
    // What if frames were twice as large: the same spread case, plain storages.
    let served: HashMap<Id, Envelope> = Shape::Spread
        .positions(n)
        .iter()
        .map(|&i| {
            let id = items[i].1;
            (id, store.get(&id).expect("read").expect("stored"))
        })
        .collect();
    let larger = plain_catch_up(&items, &served, 2 * FRAME_LIMIT);
    (results, larger)
}

/// Catch-up between plain negentropy storages: the server holds `items`, the client all
/// but the `served` ones, which the server hands out with the node's fetch framing.
fn plain_catch_up(items: &[(u64, Id)], served: &HashMap<Id, Envelope>, frame_limit: u64) -> Cost {
    let t = Instant::now();
    let server_storage = storage(items.iter().copied());
    let build = t.elapsed();
    let mut server_time = Duration::ZERO;
    let client = storage(
        items
            .iter()
            .filter(|(_, id)| !served.contains_key(id))
            .copied(),
    );
    let cost = catch_up(
        client,
        frame_limit,
        |m| {
            // Stateless between rounds, like `SyncServer::handle_sync`.
            let t = Instant::now();
            let mut ne = Negentropy::borrowed(&server_storage, frame_limit).expect("negentropy");
            let out = ne.reconcile(m).expect("sync answer");
            server_time += t.elapsed();
            out
        },
        |r| {
            // The framing of `SyncServer::handle_fetch`.
            let mut out = Vec::new();
            for id in decode_ids(r).expect("fetch request") {
                if let Some(e) = served.get(&id) {
                    out.extend_from_slice(&(e.bytes().len() as u32).to_be_bytes());
                    out.extend_from_slice(e.bytes());
                }
            }
            out
        },
    );
    assert_eq!(
        cost.need.iter().copied().collect::<BTreeSet<_>>(),
        served.keys().copied().collect()
    );
    Cost {
        server_time,
        build,
        ..cost
    }
}

/// 1,000,000 `(created_at, id)` items, plain negentropy on both sides; the missing ones
/// are real envelopes.
fn plain(n: usize, now: u64) -> Vec<Row> {
    let key = aviso_protocol::fixtures::key(3);
    [Shape::Newest, Shape::Spread]
        .into_iter()
        .map(|shape| {
            let t = Instant::now();
            let lack = shape.positions(n);
            let mut served: HashMap<Id, Envelope> = HashMap::new();
            let mut items: Vec<(u64, Id)> = Vec::with_capacity(n);
            for i in 0..n {
                let at = created_at(now, i, n);
                if lack.contains(&i) {
                    let env = alert(&key, i as u64, at);
                    items.push((at, env.id()));
                    served.insert(env.id(), env);
                } else {
                    let mut h = Sha256::new();
                    h.update(b"item");
                    h.update((i as u64).to_be_bytes());
                    items.push((at, Id(h.finalize().into())));
                }
            }
            items.sort();
            eprintln!("built {n} items in {:.1?}", t.elapsed());
            let sync1 = plain_catch_up(&items, &served, FRAME_LIMIT);
            // The server's cache: built once per change of its set, shared by sessions.
            let t = Instant::now();
            let set = Set2::new(items.iter().map(|(_, id)| *id));
            let build = t.elapsed();
            let client = Arc::new(Set2::new(
                items
                    .iter()
                    .filter(|(_, id)| !served.contains_key(id))
                    .map(|(_, id)| *id),
            ));
            // How a node's cached set follows its store: the same set updated from one
            // without the 100 (what the server does after storing them).
            let t = Instant::now();
            let updated = Set2::update(Some(&client), items.iter().map(|(_, id)| *id));
            let update = t.elapsed();
            assert_eq!(updated.len(), n);
            drop(updated);
            let mut server_time = Duration::ZERO;
            let mut sync2 = catch_up2(client, plain_server2(&set, &served, &mut server_time));
            sync2.server_time = server_time;
            sync2.build = build;
            assert_eq!(
                sync2.need.iter().copied().collect::<BTreeSet<_>>(),
                served.keys().copied().collect()
            );
            Row {
                shape,
                n,
                sync1,
                sync2,
                plain: true,
                update,
            }
        })
        .collect()
}

/// One case, both protocols.
struct Row {
    shape: Shape,
    n: usize,
    sync1: Cost,
    sync2: Cost,
    /// Both sides plain sets (1,000,000), with the server's time measured.
    plain: bool,
    /// Time to update the server's sync/2 set after 100 new envelopes (1,000,000 only).
    update: Duration,
}

fn summary(c: &Cost) -> String {
    format!(
        "{} + {} fetch round trips; {} B (sync {} B, fetch {} B)",
        c.rounds.len(),
        c.fetches,
        thousands(c.total()),
        thousands(c.sync_bytes()),
        thousands(c.fetch_up + c.fetch_down),
    )
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then a quick smoke run.
    let (stored, large) = if std::env::args().any(|a| a == "--bench") {
        (100_000, 1_000_000)
    } else {
        (2_000, 20_000)
    };
    let now = aviso_node::unix_now();
    let (mut results, larger) = real_store(stored, now);
    results.extend(plain(large, now));

    println!(
        "\n| figure | ours: sync/2 | reference: sync/1 (today), same run | ratio to the {MISSING} envelopes: sync/2 (sync/1) | goal | command |"
    );
    println!("|---|---|---|---|---|---|");
    for r in &results {
        let c = &r.sync2;
        let budget = c.envelope_bytes * 6 / 5 + 4096;
        let ok = c.rounds.len() <= 3 && c.total() <= budget;
        let ok1 = r.sync1.rounds.len() <= 3 && r.sync1.total() <= budget;
        println!(
            "| catch-up of {MISSING} missing ({}) among {} stored: reconciliation round trips, bytes of sync + fetch; the {MISSING} envelopes are {} B | {} | {} | {:.2}× ({:.2}×) | ≤ 3 round trips, ≤ 1.2× + 4 KiB = {} B: {} (sync/1: {}) | {COMMAND} |",
            r.shape.name(),
            thousands(r.n),
            thousands(c.envelope_bytes),
            summary(c),
            summary(&r.sync1),
            c.total() as f64 / c.envelope_bytes as f64,
            r.sync1.total() as f64 / r.sync1.envelope_bytes as f64,
            thousands(budget),
            if ok { "met" } else { "missed" },
            if ok1 { "met" } else { "missed" },
        );
    }
    println!();
    for r in &results {
        for (name, c) in [("sync/1", &r.sync1), ("sync/2", &r.sync2)] {
            let per_round: Vec<String> = c
                .rounds
                .iter()
                .map(|(u, d)| format!("{}↑/{}↓", thousands(*u), thousands(*d)))
                .collect();
            println!(
                "- {} stored, {} missing, {name}: rounds {}; fetch {}↑/{}↓; reconciliation took {:.1?} (client and server CPU, one thread)",
                thousands(r.n),
                r.shape.name(),
                per_round.join(", "),
                thousands(c.fetch_up),
                thousands(c.fetch_down),
                c.reconcile_time,
            );
        }
        if r.plain {
            println!(
                "- {} stored, {} missing: server CPU for the session, answering from its cached set: sync/2 {:.1?}, sync/1 {:.1?}; building that set once per change of the store: sync/2 (ids sorted, {} cells) {:.1?} from scratch, {:.1?} updated from the set before 100 new envelopes; sync/1 (negentropy storage) {:.1?}",
                thousands(r.n),
                r.shape.name(),
                r.sync2.server_time,
                r.sync1.server_time,
                sync2::MAX_CELLS,
                r.sync2.build,
                r.update,
                r.sync1.build,
            );
        }
    }
    println!(
        "- {} stored, spread missing, sync/1 with frames of {} KiB instead of {} KiB: {} round trips, sync {} B",
        thousands(stored),
        2 * FRAME_LIMIT / 1024,
        FRAME_LIMIT / 1024,
        larger.rounds.len(),
        thousands(larger.sync_bytes()),
    );
}
