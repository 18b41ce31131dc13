//! Signature-check and feed costs, each beside its reference, measured in one run on one
//! thread (see BENCHMARKS.md):
//!
//! - `verify_strict_raw`: ed25519 `verify_strict` of a typical alert's signed bytes, the
//!   reference;
//! - `ingest_check`: `Envelope::decode` + `Envelope::verify` + `relay_verdict` of the same
//!   bytes against a root trust list of 50 organizers, what a node does per message received;
//! - `compute_feed_1000`: the feed over 1,000 stored envelopes (one trust list, alerts,
//!   endorsements, reports).

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Duration;

use aviso_protocol::*;
use common::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Length of an ed25519 signature, the tail of every envelope.
const SIG_LEN: usize = 64;
/// Organizers in the root trust list.
const ORGANIZERS: u8 = 50;
/// Members in the root trust list (authors of reports).
const MEMBERS: u8 = 50;
/// Envelopes in the feed benchmark.
const FEED_SIZE: usize = 1_000;

fn organizer(i: u8) -> SecretKey {
    key(2 + i % ORGANIZERS)
}

fn member(i: u8) -> SecretKey {
    key(2 + ORGANIZERS + i % MEMBERS)
}

/// The root's list: `ORGANIZERS` organizers scoped to the city, `MEMBERS` members.
fn root_list(w: &World) -> Envelope {
    let mut entries: Vec<TrustEntry> = (0..ORGANIZERS)
        .map(|i| entry(&organizer(i), Role::Organizer, &["9q8"], &[]))
        .collect();
    entries.extend((0..MEMBERS).map(|i| entry(&member(i), Role::Member, &[], &[])));
    w.sign(&w.root, Body::TrustList(list(1, entries)), NOW - 3 * HOUR)
}

/// One trust list, then alerts (every tenth an update of an earlier one), endorsements of
/// them by other organizers, and member reports: `FEED_SIZE` envelopes in all.
fn feed_envelopes(w: &World) -> Vec<Envelope> {
    const CELLS: [&str; 4] = ["9q8yy", "9q8yz", "9q8zn", "9q8vx"];
    const CATEGORIES: [Category; 4] = [
        Category::Raid,
        Category::Checkpoint,
        Category::Detention,
        Category::Patrol,
    ];
    let mut envs = vec![root_list(w)];
    let mut alerts: Vec<Id> = Vec::new();
    let mut i: u64 = 0;
    while envs.len() < FEED_SIZE {
        i += 1;
        let n = u8::try_from(i % 251).expect("small");
        let at = NOW - 2 * HOUR + i;
        let cell = CELLS[(i % 4) as usize];
        let env = match i % 5 {
            // Two in five: alerts.
            0 | 1 => {
                let category = CATEGORIES[(i / 5 % 4) as usize];
                let body = match alerts.last() {
                    Some(&target) if i.is_multiple_of(10) => {
                        follow_up(MsgType::Update, target, category, &[cell])
                    }
                    _ => alert(category, &[cell]),
                };
                let env = w.sign(&organizer(n), Body::Alert(body), at);
                alerts.push(env.id());
                env
            }
            // One in five: an endorsement of a recent alert by another organizer.
            2 => {
                let target = alerts[alerts.len().saturating_sub(1 + (i as usize % 3))];
                let body = Body::Endorsement(Endorsement { alert: target });
                w.sign(&organizer(n.wrapping_add(7)), body, at)
            }
            // Two in five: member reports.
            _ => w.sign(&member(n), Body::Report(report(&[cell])), at),
        };
        envs.push(env);
    }
    envs
}

fn protocol(c: &mut Criterion) {
    let w = World::new();
    let list = root_list(&w);
    let roots = w.roots(std::slice::from_ref(&list));
    assert_eq!(roots.grants(&organizer(0).public()).len(), 1);

    // A typical alert: one cell, two languages, from an organizer in the middle of the list.
    let env = w.sign(
        &organizer(ORGANIZERS / 2),
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 60,
    );
    let bytes = env.bytes().to_vec();
    let (signed, sig) = bytes.split_at(bytes.len() - SIG_LEN);
    let sig: [u8; SIG_LEN] = sig.try_into().expect("64-byte signature");
    let author = env.author();
    author
        .verify_strict(signed, &sig)
        .expect("fixture signature verifies");
    assert!(relay_verdict(&env, w.community, &roots, NOW).is_ok());

    let mut g = c.benchmark_group("protocol");
    g.sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    g.throughput(Throughput::Elements(1));
    g.bench_function("verify_strict_raw", |b| {
        b.iter(|| black_box(&author).verify_strict(black_box(signed), black_box(&sig)))
    });
    g.bench_function("ingest_check", |b| {
        b.iter(|| {
            let env = Envelope::decode(black_box(&bytes)).expect("decodes");
            env.verify().expect("verifies");
            relay_verdict(&env, w.community, black_box(&roots), NOW)
        })
    });

    let envs = feed_envelopes(&w);
    let settings = w.settings();
    assert_eq!(envs.len(), FEED_SIZE);
    assert!(envs.iter().all(|e| e.verify().is_ok()));
    let feed = compute_feed(&envs, &settings, NOW);
    assert!(feed.alerts.iter().any(|a| a.shown));
    assert!(!feed.reports.is_empty());

    // Criterion's time is per call (one feed); the throughput line is envelopes per second.
    g.throughput(Throughput::Elements(FEED_SIZE as u64));
    g.bench_function("compute_feed_1000", |b| {
        b.iter(|| compute_feed(black_box(&envs), black_box(&settings), NOW))
    });
    g.finish();
}

criterion_group!(benches, protocol);
criterion_main!(benches);
