//! Bounded feed pages: what `GET /v1/feed` and the event stream compute, in memory and
//! reply size that do not grow with the number of stored reports.
//!
//! Only organizers (and list owners) can store trust lists, alerts, endorsements and
//! resources, so the organizer quota ([`crate::quota`]) bounds them: they are loaded
//! whole. Reports, which every member can send, come one page at a time, newest first,
//! from the `(kind, created_at, id)` index. Retractions are loaded for the messages in
//! the page only (through the references index). Every alert is loaded, so every
//! confirmation counts; with every retraction of each message, the verdicts of the
//! reports in a page are the ones [`aviso_protocol::compute_feed`] gives over the whole store.
//!
//! The display rule itself is [`aviso_protocol::compute_feed`], run on that subset.

use std::collections::HashSet;

use aviso_protocol::area::any_overlap;
use aviso_protocol::{Body, Envelope, Feed, FeedSettings, Id, Kind, compute_feed_seen};
use serde::{Deserialize, Serialize};

use crate::store::{Store, StoreError};

/// Reports in a page when the client does not say: a screenful or two of sightings,
/// newest first, well under a megabyte of JSON.
pub const DEFAULT_PAGE_REPORTS: usize = 100;
/// Most reports in one page: about 2.5 MB of JSON for the largest reports; more pages
/// cover more.
pub const MAX_PAGE_REPORTS: usize = 500;
/// Most stored reports read for one page while skipping those that cannot be shown
/// (expired, or outside the member's areas). Bounds the time of one request when most
/// reports are elsewhere; the page then ends early and `next` continues the scan.
pub const MAX_REPORTS_SCANNED: usize = 5_000;
/// Reports read from the index at a time while scanning: bounds what is held in memory
/// besides the page (reports are at most about 5 KB).
const SCAN_CHUNK: usize = 256;

/// Where a page of reports starts: strictly older (by `(created_at, id)`) than this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    /// `created_at` of the last report of the previous page.
    pub created_at: u64,
    /// Its id.
    pub id: Id,
}

/// Why a cursor did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a cursor is the 80 hex characters given as `next` by the previous page")]
pub struct CursorError;

/// Hex characters of a cursor: 16 for `created_at`, 64 for the id.
const CURSOR_HEX: usize = 16 + 64;

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}{}", self.created_at, self.id.to_hex())
    }
}

impl std::str::FromStr for Cursor {
    type Err = CursorError;

    fn from_str(s: &str) -> Result<Cursor, CursorError> {
        // `from_str_radix` would also take a sign.
        if s.len() != CURSOR_HEX || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CursorError);
        }
        let (time, id) = s.split_at(16);
        Ok(Cursor {
            created_at: u64::from_str_radix(time, 16).map_err(|_| CursorError)?,
            id: Id::from_hex(id).map_err(|_| CursorError)?,
        })
    }
}

impl Cursor {
    fn of(env: &Envelope) -> Cursor {
        Cursor {
            created_at: env.created_at(),
            id: env.id(),
        }
    }

    fn key(self) -> (u64, Id) {
        (self.created_at, self.id)
    }
}

/// Which reports a page holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Most reports in the page (at most [`MAX_PAGE_REPORTS`] is sensible).
    pub reports: usize,
    /// Start after this report (newest first); `None`: the newest.
    pub before: Option<Cursor>,
    /// Skip, while scanning, reports that cannot be shown whatever else is stored
    /// (expired, or outside the member's areas), so a page of shown reports is full.
    pub skip_hidden: bool,
}

impl Default for PageRequest {
    fn default() -> PageRequest {
        PageRequest {
            reports: DEFAULT_PAGE_REPORTS,
            before: None,
            skip_hidden: true,
        }
    }
}

/// One page of the feed.
#[derive(Debug, Clone)]
pub struct FeedPage {
    /// Every alert and resource; the page's reports (and the `also` ones asked for).
    pub feed: Feed,
    /// Where the next page starts, if more reports are stored. The page covers every
    /// report at or after it (and before the request's `before`).
    pub next: Option<Cursor>,
}

/// The reply of `GET /v1/feed`: the feed with one page of reports, and the cursor of
/// the next page (`?before=<next>`), `null` after the last.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeedReply {
    /// Alerts, the page's reports, resources: `{alerts, reports, resources}`, the items as
    /// `protocol/src/feed.rs` serializes them.
    #[serde(flatten)]
    pub feed: Feed,
    /// Where the next page of reports starts.
    #[serde(default)]
    pub next: Option<String>,
}

/// Compute one page of what a member with `settings` sees at `now`: every alert and
/// resource, the reports `req` selects, and also the reports `also` names (for a watcher
/// that must learn what became of reports it showed). Bounded by the organizer quotas,
/// the page size, [`MAX_REPORTS_SCANNED`] and `also`, not by the reports stored.
pub fn feed_page(
    store: &dyn Store,
    settings: &FeedSettings,
    now: u64,
    req: &PageRequest,
    also: &[Id],
) -> Result<FeedPage, StoreError> {
    let mut envelopes = Vec::new();
    for kind in [
        Kind::TrustList,
        Kind::Alert,
        Kind::Endorsement,
        Kind::Resource,
        Kind::Response,
    ] {
        envelopes.extend(store.by_kind(kind)?);
    }
    let (mut reports, next) = scan_reports(store, settings, now, req)?;
    let mut loaded: HashSet<Id> = envelopes.iter().chain(&reports).map(|e| e.id()).collect();
    for id in also {
        if loaded.contains(id) {
            continue;
        }
        if let Some(env) = store.get(id)?
            && env.kind() == Kind::Report
        {
            loaded.insert(env.id());
            reports.push(env);
        }
    }
    // Retractions of every message the feed will judge: nothing else reads them.
    let mut retractions = Vec::new();
    let targets = envelopes
        .iter()
        .filter(|e| matches!(e.body(), Body::Alert(_) | Body::Resource(_)))
        .chain(&reports);
    for target in targets {
        for id in store.referencing(&target.id())? {
            if loaded.contains(&id) {
                continue;
            }
            if let Some(env) = store.get(&id)?
                && env.kind() == Kind::Retraction
            {
                loaded.insert(id);
                retractions.push(env);
            }
        }
    }
    envelopes.extend(retractions);
    envelopes.extend(reports);
    Ok(FeedPage {
        // Revocations with `since` judge by first sightings too (DESIGN.md, backdating).
        feed: compute_feed_seen(&envelopes, settings, now, &|id| {
            store.first_seen(id).ok().flatten()
        }),
        next,
    })
}

/// The reports of one page, newest first, and the cursor of the next page.
fn scan_reports(
    store: &dyn Store,
    settings: &FeedSettings,
    now: u64,
    req: &PageRequest,
) -> Result<(Vec<Envelope>, Option<Cursor>), StoreError> {
    let mut page = Vec::new();
    if req.reports == 0 {
        return Ok((page, None));
    }
    // Necessary conditions of being shown that need nothing but the report: whatever
    // else is stored, `compute_feed` hides a report that fails them.
    let hidden_anyway = |env: &Envelope| match env.body() {
        Body::Report(r) => env.is_expired(now) || !any_overlap(&r.areas, &settings.areas),
        _ => true,
    };
    let mut last = req.before;
    let mut scanned = 0;
    loop {
        let want = (req.reports - page.len())
            .min(MAX_REPORTS_SCANNED - scanned)
            .clamp(1, SCAN_CHUNK);
        let chunk = store.by_kind_before(Kind::Report, last.map(Cursor::key), want)?;
        let got = chunk.len();
        let mut consumed = 0;
        for env in chunk {
            consumed += 1;
            scanned += 1;
            last = Some(Cursor::of(&env));
            if !(req.skip_hidden && hidden_anyway(&env)) {
                page.push(env);
            }
            if page.len() >= req.reports || scanned >= MAX_REPORTS_SCANNED {
                break;
            }
        }
        if consumed == got && got < want {
            // The index has nothing older: this was the last page.
            return Ok((page, None));
        }
        if page.len() >= req.reports || scanned >= MAX_REPORTS_SCANNED {
            break;
        }
    }
    // Stopped with the page full (or the scan budget spent): is anything older stored?
    let more = !store
        .by_kind_before(Kind::Report, last.map(Cursor::key), 1)?
        .is_empty();
    Ok((page, last.filter(|_| more)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SledStore;
    use aviso_protocol::fixtures::{NOW, key};
    use aviso_protocol::{Area, Category, CommunityId, Report, Role, fixtures};

    fn sign(n: u8, body: &Body, created: u64) -> Envelope {
        Envelope::sign(&key(n), CommunityId([1; 32]), body, created, NOW + 86_400).expect("signs")
    }

    /// A page whose stored reports all lie outside the member's areas stops after the
    /// scan budget with a cursor, and the next pages still find the shown ones.
    #[test]
    fn scan_budget_ends_a_page_early_and_paging_goes_on() {
        let store = SledStore::temporary().expect("store");
        let list = Body::TrustList(fixtures::trust_list(
            "roots",
            1,
            vec![fixtures::entry(key(3).public(), Role::Member, "")],
        ));
        store
            .insert(&sign(1, &list, NOW - 100_000))
            .expect("insert");
        let report = |cell: &str, n: u64| {
            let body = Body::Report(Report {
                category: Category::Patrol,
                areas: vec![Area::parse(cell).expect("cell")],
                seen_at: n,
                note: None,
            });
            sign(3, &body, NOW - n)
        };
        // The three oldest are here; the newer ones elsewhere.
        let elsewhere = MAX_REPORTS_SCANNED as u64 + 100;
        let mut here = Vec::new();
        for n in 0..elsewhere + 3 {
            let env = report(if n < elsewhere { "9q9pp" } else { "9q8yy" }, n);
            if n >= elsewhere {
                here.push(env.id());
            }
            store.insert(&env).expect("insert");
        }
        let settings = FeedSettings {
            follow: vec![key(1).public()],
            areas: vec![Area::parse("9q8yy").expect("cell")],
            languages: vec![],
        };
        let req = PageRequest::default();
        let first = feed_page(&store, &settings, NOW, &req, &[]).expect("page");
        assert!(first.feed.reports.is_empty());
        let cursor = first.next.expect("more to scan");
        assert_eq!(cursor.created_at, NOW - (MAX_REPORTS_SCANNED as u64 - 1));
        let req = PageRequest {
            before: Some(cursor),
            ..PageRequest::default()
        };
        let second = feed_page(&store, &settings, NOW, &req, &[]).expect("page");
        assert_eq!(second.next, None);
        let got: Vec<Id> = second.feed.reports.iter().map(|r| r.id).collect();
        assert_eq!(got, here);
        assert!(second.feed.reports.iter().all(|r| r.shown));
        // `also` adds a report outside the page, judged like the others.
        let also =
            feed_page(&store, &settings, NOW, &PageRequest::default(), &here[..1]).expect("page");
        assert_eq!(also.feed.reports.len(), 1);
        assert!(also.feed.reports[0].shown);
    }

    #[test]
    fn cursor_round_trips_and_rejects_junk() {
        let c = Cursor {
            created_at: 1_800_000_000,
            id: Id([0xab; 32]),
        };
        let text = c.to_string();
        assert_eq!(text.len(), CURSOR_HEX);
        assert_eq!(text.parse::<Cursor>(), Ok(c));
        for junk in [
            "",
            "00",
            &text[1..],
            &format!("{text}0"),
            &format!("g{}", &text[1..]),
            &format!("+{}", &text[1..]),
            &"é".repeat(40),
        ] {
            assert_eq!(junk.parse::<Cursor>(), Err(CursorError), "{junk:?}");
        }
    }
}
