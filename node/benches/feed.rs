//! `/v1/feed` with many stored reports: time, reply size and peak memory of the bounded,
//! paged feed, beside the unbounded feed it replaces, measured in the same run.
//!
//! - **Store**: on disk (sled), 40,000 reports from 200 member keys (200 each, within
//!   the member quota, stored through the quota check), 40 alerts by an organizer (10 of
//!   them confirming reports), 400 dismissals of reports by the organizer, and the root
//!   trust list naming them all. Two shapes of report: *typical* (a one-sentence note, one
//!   area cell) and *largest* (a 4 KiB note and 64 area cells, the most a member can
//!   sign; 200 of them still fit one member's byte quota).
//! - **Reference (the old `/v1/feed`)**: `Store::all` and `compute_feed` over the whole
//!   store, then `Feed::shown` and JSON encoding, as the handler did.
//! - **Ours**: `feed::feed_page` for the default page (100 reports), `Feed::shown` and
//!   JSON encoding of the `FeedReply`, as the handler does now; the same for a page deep
//!   in the list (`before` = the cursor of the 200th page of 100); and the largest reply
//!   one request can ask for (`?all=true&reports=500`).
//! - Each variant runs in a child process (this binary again) that opens the store,
//!   reads `VmRSS`, runs the variant several times and reads `VmHWM` (the peak resident
//!   set): the growth is what one request costs at its peak. Times are medians.
//!
//! Run with `cargo bench -p aviso-node --bench feed`. The store lives under Cargo's target
//! tmp directory. Prints a Markdown table.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use aviso_node::feed::{
    Cursor, DEFAULT_PAGE_REPORTS, FeedReply, MAX_PAGE_REPORTS, PageRequest, feed_page,
};
use aviso_node::quota::{MEMBER_QUOTA, ORGANIZER_QUOTA};
use aviso_node::store::{Inserted, SledStore, Store};
use aviso_protocol::{
    Area, Body, Category, CommunityId, Envelope, FeedSettings, Report, ReportText, RetractReason,
    Retraction, Role, SecretKey, compute_feed, fixtures, limits,
};

/// Set in a child process to `<variant> <store dir>`.
const CHILD_ENV: &str = "AVISO_BENCH_FEED";
/// Set in the child of the deep page to its `before` cursor.
const BEFORE_ENV: &str = "AVISO_BENCH_FEED_BEFORE";
const COMMAND: &str = "`cargo bench -p aviso-node --bench feed`";
const COMMUNITY: CommunityId = CommunityId([7; 32]);

#[derive(Clone, Copy)]
struct Sizes {
    reports: usize,
    members: usize,
    /// Runs per variant in its child (the old one is slow: fewer).
    old_runs: usize,
    new_runs: usize,
}

const BENCH: Sizes = Sizes {
    reports: 40_000,
    members: 200,
    old_runs: 3,
    new_runs: 30,
};

/// What the reports look like.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Typical,
    Largest,
}

/// The geohash alphabet.
const GEOHASH: &str = "0123456789bcdefghjkmnpqrstuvwxyz";
const SMOKE: Sizes = Sizes {
    reports: 2_000,
    members: 10,
    old_runs: 1,
    new_runs: 2,
};

fn root() -> SecretKey {
    fixtures::key(1)
}

fn organizer() -> SecretKey {
    fixtures::key(2)
}

fn member(n: usize) -> SecretKey {
    let mut seed = [3u8; 32];
    seed[..8].copy_from_slice(&(n as u64).to_be_bytes());
    SecretKey::from_seed(&seed)
}

const CELLS: [&str; 4] = ["9q8yy", "9q8yz", "9q8zn", "9q8zp"];

fn settings() -> FeedSettings {
    FeedSettings {
        follow: vec![root().public()],
        areas: vec![],
        languages: vec!["en".into()],
    }
}

fn bench_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench tmp dir")
}

/// Fill a store in `dir` with the set described at the top; returns the reports,
/// newest first, as cursors.
fn prepare(dir: &Path, z: Sizes, shape: Shape) -> Vec<Cursor> {
    let store = SledStore::open(dir).expect("store opens");
    let now = aviso_node::unix_now();
    let day = 86_400;
    let entry = |key: &SecretKey, role, label: String| fixtures::entry(key.public(), role, label);
    let mut entries = vec![entry(&organizer(), Role::Organizer, "organizer".into())];
    entries.extend((0..z.members).map(|m| entry(&member(m), Role::Member, format!("m{m}"))));
    let list = Body::TrustList(fixtures::trust_list("Bench list", 1, entries));
    let list =
        Envelope::sign(&root(), COMMUNITY, &list, now - day, now + 300 * day).expect("signs");
    assert!(store.insert(&list).expect("insert"));
    let keys: Vec<SecretKey> = (0..z.members).map(member).collect();
    let mut ids = Vec::with_capacity(z.reports);
    for n in 0..z.reports {
        let body = Body::Report(Report {
            category: Category::Patrol,
            areas: match shape {
                Shape::Typical => vec![Area::parse(CELLS[n % CELLS.len()]).expect("cell")],
                Shape::Largest => GEOHASH
                    .chars()
                    .flat_map(|a| GEOHASH.chars().map(move |b| format!("9q8{a}{b}")))
                    .take(limits::MAX_AREAS)
                    .map(|c| Area::parse(&c).expect("cell"))
                    .collect(),
            },
            seen_at: now - (n as u64),
            note: Some(ReportText {
                lang: "en".into(),
                text: match shape {
                    Shape::Typical => {
                        format!("Two unmarked vans parked outside the laundromat, sighting {n}")
                    }
                    Shape::Largest => format!("{n:06} {}", "x".repeat(limits::MAX_TEXT - 7)),
                },
            }),
        });
        let created = now - 60 - (n as u64) * 20; // spread over the last nine days
        let env = Envelope::sign(
            &keys[n % z.members],
            COMMUNITY,
            &body,
            created,
            now + 20 * day,
        )
        .expect("signs");
        let o = store
            .insert_within(&env, Some(MEMBER_QUOTA))
            .expect("insert");
        assert_eq!(o, Inserted::Stored, "every member stays within its quota");
        ids.push(Cursor {
            created_at: env.created_at(),
            id: env.id(),
        });
    }
    let org = organizer();
    for n in 0..40 {
        let mut body = common::alert_body(n);
        if n < 10 {
            body.confirms = ids
                .iter()
                .skip(n * 97)
                .step_by(1_000)
                .take(30)
                .map(|c| c.id)
                .collect();
        }
        let env = Envelope::sign(&org, COMMUNITY, &Body::Alert(body), now - 3_600, now + day)
            .expect("signs");
        let o = store
            .insert_within(&env, Some(ORGANIZER_QUOTA))
            .expect("insert");
        assert_eq!(o, Inserted::Stored);
    }
    for target in ids.iter().step_by((z.reports / 400).max(1)) {
        let body = Body::Retraction(Retraction {
            target: target.id,
            reason: RetractReason::False,
        });
        let env = Envelope::sign(&org, COMMUNITY, &body, now - 60, now + 20 * day).expect("signs");
        let o = store
            .insert_within(&env, Some(ORGANIZER_QUOTA))
            .expect("insert");
        assert_eq!(o, Inserted::Stored);
    }
    store.flush().expect("flush");
    ids
}

/// A `/proc/self/status` figure, in KiB.
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a status line")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One variant, in this (child) process: prints `result <ms> <bytes> <reports> <rss kib>
/// <hwm kib>`.
fn child(variant: &str, dir: &Path, z: Sizes) {
    let store = SledStore::open(dir).expect("store opens");
    let settings = settings();
    let rss = status_kib("VmRSS:");
    let before = std::env::var(BEFORE_ENV)
        .ok()
        .map(|c| c.parse::<Cursor>().expect("a cursor"));
    let runs = if variant == "old" {
        z.old_runs
    } else {
        z.new_runs
    };
    let mut times = Vec::new();
    let (mut bytes, mut reports) = (0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        let now = aviso_node::unix_now();
        let json = if variant == "old" {
            let all = store.all().expect("all");
            let feed = compute_feed(&all, &settings, now).shown();
            reports = feed.reports.len();
            serde_json::to_vec(&feed).expect("json")
        } else {
            // "max": `?all=true&reports=500`; otherwise the default page, shown items.
            let max = variant == "max";
            let req = PageRequest {
                before,
                reports: if max {
                    MAX_PAGE_REPORTS
                } else {
                    DEFAULT_PAGE_REPORTS
                },
                skip_hidden: !max,
            };
            let page = feed_page(&store, &settings, now, &req, &[]).expect("page");
            let reply = FeedReply {
                feed: if max { page.feed } else { page.feed.shown() },
                next: page.next.map(|c| c.to_string()),
            };
            reports = reply.feed.reports.len();
            serde_json::to_vec(&reply).expect("json")
        };
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        bytes = json.len();
        drop(json);
    }
    let hwm = status_kib("VmHWM:");
    println!("result {:.3} {bytes} {reports} {rss} {hwm}", median(times));
}

struct Figures {
    ms: f64,
    bytes: usize,
    reports: usize,
    /// Peak growth of the resident set over the process after opening the store, KiB.
    peak_kib: u64,
}

fn run_child(variant: &str, dir: &Path, before: Option<Cursor>, bench: bool) -> Figures {
    let mut cmd = std::process::Command::new(std::env::current_exe().expect("own path"));
    cmd.env(CHILD_ENV, format!("{variant} {}", dir.display()));
    if let Some(c) = before {
        cmd.env(BEFORE_ENV, c.to_string());
    }
    if bench {
        cmd.arg("--bench");
    }
    let out = cmd.output().expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("result "))
        .expect("child reports");
    let v: Vec<f64> = line
        .split_whitespace()
        .map(|x| x.parse().expect("a number"))
        .collect();
    Figures {
        ms: v[0],
        bytes: v[1] as usize,
        reports: v[2] as usize,
        peak_kib: (v[4] - v[3]) as u64,
    }
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
    // `cargo bench` passes `--bench`; `cargo test --benches` does not: then a quick smoke run.
    let bench = std::env::args().any(|a| a == "--bench");
    let z = if bench { BENCH } else { SMOKE };
    if let Some(arg) = std::env::var_os(CHILD_ENV) {
        let arg = arg.to_string_lossy().into_owned();
        let (variant, dir) = arg.split_once(' ').expect("variant and dir");
        child(variant, &PathBuf::from(dir), z);
        return;
    }
    println!("\n| figure | ours | reference: the whole store, as before | ratio | command |");
    println!("|---|---|---|---|---|");
    for shape in [Shape::Typical, Shape::Largest] {
        let dir = bench_dir();
        let path = dir.path().join("store");
        let t = Instant::now();
        let ids = prepare(&path, z, shape);
        let bytes = dir_bytes(&path);
        eprintln!(
            "prepared {} reports ({} MB on disk) in {:.1?}",
            ids.len(),
            bytes / 1_000_000,
            t.elapsed()
        );
        // The 200th page of 100 (in the smoke run, the middle) starts after this report.
        let deep_at = ids[(199 * 100).min(ids.len() / 2)];
        let old = run_child("old", &path, None, bench);
        let new = run_child("new", &path, None, bench);
        let deep = run_child("deep", &path, Some(deep_at), bench);
        let max = run_child("max", &path, None, bench);
        for (name, f) in [("old", &old), ("new", &new), ("deep", &deep), ("max", &max)] {
            eprintln!(
                "{name}: {:.2} ms, {} B, {} reports, +{} KiB",
                f.ms, f.bytes, f.reports, f.peak_kib
            );
        }
        let what = format!(
            "{} {} reports",
            thousands(z.reports as u64),
            match shape {
                Shape::Typical => "typical",
                Shape::Largest => "largest",
            }
        );
        let row = |figure: &str, ours: String, reference: String, ratio: f64| {
            println!("| {what}: {figure} | {ours} | {reference} | {ratio:.4}× | {COMMAND} |");
        };
        let ms = |f: &Figures| format!("{:.1} ms", f.ms);
        let size = |f: &Figures| {
            format!(
                "{} B ({} reports)",
                thousands(f.bytes as u64),
                thousands(f.reports as u64)
            )
        };
        let mib = |f: &Figures| format!("{:.1} MiB", f.peak_kib as f64 / 1024.0);
        let peak = |f: &Figures| f.peak_kib.max(1) as f64;
        row(
            "`/v1/feed` time (feed + JSON), default page",
            ms(&new),
            ms(&old),
            new.ms / old.ms,
        );
        row(
            "the same, 200 pages deep (`before`)",
            ms(&deep),
            ms(&old),
            deep.ms / old.ms,
        );
        row(
            "the same, largest page (`all=true&reports=500`)",
            ms(&max),
            ms(&old),
            max.ms / old.ms,
        );
        row(
            "reply size, default page",
            size(&new),
            size(&old),
            new.bytes as f64 / old.bytes as f64,
        );
        row(
            "reply size, largest page",
            size(&max),
            size(&old),
            max.bytes as f64 / old.bytes as f64,
        );
        row(
            "peak memory of one request, default page",
            mib(&new),
            mib(&old),
            peak(&new) / peak(&old),
        );
        row(
            "peak memory of one request, largest page",
            mib(&max),
            mib(&old),
            peak(&max) / peak(&old),
        );
    }
}

/// Bytes of the files under `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).expect("store dir").flatten() {
        let meta = entry.metadata().expect("metadata");
        total += if meta.is_dir() {
            dir_bytes(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}
