//! The organizers' list of reports, walked page by page through `GET /v1/feed?all=true`:
//! which reports still need an organizer, in what order, where a list stops and where the
//! next one continues. The CLI's `aviso report list` and the organizer desk share it.
//! [`group`] gathers open reports of the same thing for the desk's queue.

use std::collections::HashSet;

use aviso_protocol::feed::{ReportItem, ReportState};
use aviso_protocol::{Area, Category, PublicKey, Reason};

use crate::feed::Cursor;

/// Reports asked of the node per page while listing (the API's largest page).
pub const LIST_PAGE: usize = 500;
/// Most pages read for one list: 50,000 reports. Past it the list ends early and says
/// where to continue.
pub const MAX_LIST_PAGES: usize = 100;

/// Whether an organizer still has to act on a report: unverified and only hidden (if at
/// all) because it lies outside the organizer's own areas of interest.
pub fn is_open(r: &ReportItem) -> bool {
    r.state == ReportState::Unverified && r.reasons.iter().all(|x| *x == Reason::OutsideYourAreas)
}

/// Why a listed report is not shown, in words; a dismissal is left out (the report's
/// state says it).
pub fn hidden_reasons(r: &ReportItem) -> Vec<String> {
    r.reasons
        .iter()
        .filter(|x| !matches!(x, Reason::Retracted { .. }))
        .map(ToString::to_string)
        .collect()
}

/// A list of reports being gathered from pages, newest first.
#[derive(Debug)]
pub struct Walk {
    all: bool,
    limit: usize,
    reports: Vec<ReportItem>,
    more: Option<Cursor>,
}

impl Walk {
    /// A list of at most `limit` reports: every one when `all`, else the open ones.
    pub fn new(all: bool, limit: usize) -> Walk {
        Walk {
            all,
            limit,
            reports: Vec::new(),
            more: None,
        }
    }

    /// Take one page (its reports, and where the node says the next starts); returns
    /// where to ask for the next page, or `None` when the list is complete.
    pub fn page(&mut self, mut page: Vec<ReportItem>, next: Option<Cursor>) -> Option<Cursor> {
        // A page is a range of (created_at, id), shown ones first: walk it in time order,
        // so the list can stop anywhere and continue from there.
        page.sort_by_key(|r| std::cmp::Reverse((r.created_at, r.id)));
        let last = page.len();
        for (i, r) in page.into_iter().enumerate() {
            let here = Cursor {
                created_at: r.created_at,
                id: r.id,
            };
            if self.all || is_open(&r) {
                self.reports.push(r);
            }
            if self.reports.len() >= self.limit {
                self.more = if i + 1 < last { Some(here) } else { next };
                return None;
            }
        }
        self.more = next;
        next
    }

    /// The reports, and where a following list continues (if anything is left).
    pub fn finish(self) -> (Vec<ReportItem>, Option<Cursor>) {
        (self.reports, self.more)
    }
}

/// Reports of the same category in the same cell, each seen within this many seconds
/// of another one of the group, are about the same thing: a raid or a checkpoint
/// rarely lasts longer between sightings, and neighbours who see the same vans report
/// within minutes of each other.
pub const GROUP_WINDOW_SECS: u64 = 30 * 60;

/// Open reports about the same thing: same category, same area cell (a report's first
/// cell), each seen within [`GROUP_WINDOW_SECS`] of another report of the group.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportGroup {
    /// What was seen.
    pub category: Category,
    /// Where (the reports' first cell).
    pub cell: Option<Area>,
    /// When the newest report says it was seen.
    pub newest: u64,
    /// When the oldest report says it was seen.
    pub oldest: u64,
    /// The reports, newest sighting first.
    pub reports: Vec<ReportItem>,
    /// How many distinct members reported it (one member's repeated reports count once).
    pub reporters: usize,
}

/// Group `reports` by what they are about (see [`ReportGroup`]); groups newest first.
/// Linear after one sort: each report joins the open group of its category and cell
/// if its sighting is close enough to that group's oldest one, else starts a new group.
pub fn group(mut reports: Vec<ReportItem>) -> Vec<ReportGroup> {
    reports.sort_by_key(|r| std::cmp::Reverse((r.report.seen_at, r.created_at, r.id)));
    let mut groups: Vec<ReportGroup> = Vec::new();
    let mut authors: Vec<HashSet<PublicKey>> = Vec::new();
    // The group still open for each (category, cell): reports come newest first, so only
    // the last group of a key can take an older report.
    let mut open: std::collections::HashMap<(Category, Option<Area>), usize> =
        std::collections::HashMap::new();
    for r in reports {
        let key = (r.report.category, r.report.areas.first().cloned());
        let seen = r.report.seen_at;
        let joins = open
            .get(&key)
            .copied()
            .filter(|&i| groups[i].oldest.saturating_sub(seen) <= GROUP_WINDOW_SECS);
        let i = match joins {
            Some(i) => i,
            None => {
                groups.push(ReportGroup {
                    category: key.0,
                    cell: key.1.clone(),
                    newest: seen,
                    oldest: seen,
                    reports: Vec::new(),
                    reporters: 0,
                });
                authors.push(HashSet::new());
                open.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        g.oldest = g.oldest.min(seen);
        authors[i].insert(r.author);
        g.reporters = authors[i].len();
        g.reports.push(r);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::{Category, Id, PublicKey, fixtures};

    fn item(n: u8, state: ReportState) -> ReportItem {
        ReportItem {
            id: Id([n; 32]),
            author: PublicKey([1; 32]),
            author_label: None,
            created_at: u64::from(n),
            expires_at: 100,
            shown: true,
            report: fixtures::report(Category::Patrol, &["9q8yy"], 1, "en", "vans"),
            state,
            reasons: vec![],
        }
    }

    fn seen(n: u8, author: u8, category: Category, cell: &str, seen_at: u64) -> ReportItem {
        let mut r = item(n, ReportState::Unverified);
        r.author = PublicKey([author; 32]);
        r.report = fixtures::report(category, &[cell], seen_at, "en", "vans");
        r
    }

    #[test]
    fn groups_the_same_thing_and_counts_members_once() {
        let w = GROUP_WINDOW_SECS;
        let t = 10 * w;
        let groups = group(vec![
            // Three members, one of them twice, chained within the window.
            seen(1, 1, Category::Raid, "9q8yy", t),
            seen(2, 2, Category::Raid, "9q8yy", t - w),
            seen(3, 1, Category::Raid, "9q8yy", t - w - 60),
            seen(4, 3, Category::Raid, "9q8yy", t - 2 * w),
            // Too long before the group's oldest: another sighting.
            seen(5, 4, Category::Raid, "9q8yy", t - 3 * w - 61),
            // Another category or another cell: another thing.
            seen(6, 2, Category::Patrol, "9q8yy", t),
            seen(7, 2, Category::Raid, "9q8yz", t + 5),
        ]);
        let summary: Vec<(Category, &str, usize, usize, u64)> = groups
            .iter()
            .map(|g| {
                (
                    g.category,
                    g.cell.as_ref().map_or("", |c| c.as_str()),
                    g.reports.len(),
                    g.reporters,
                    g.newest,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (Category::Raid, "9q8yz", 1, 1, t + 5),
                (Category::Patrol, "9q8yy", 1, 1, t),
                (Category::Raid, "9q8yy", 4, 3, t),
                (Category::Raid, "9q8yy", 1, 1, t - 3 * w - 61),
            ]
        );
        let ids: Vec<u8> = groups[2].reports.iter().map(|r| r.id.0[0]).collect();
        assert_eq!(ids, [1, 2, 3, 4], "newest sighting first");
        assert!(group(vec![]).is_empty());
    }

    #[test]
    fn walks_pages_newest_first_and_stops_at_the_limit() {
        let mut w = Walk::new(false, 2);
        let next = Cursor {
            created_at: 1,
            id: Id([1; 32]),
        };
        let dismissed = ReportState::Dismissed {
            by: PublicKey([2; 32]),
            why: aviso_protocol::RetractReason::False,
        };
        assert_eq!(
            w.page(
                vec![item(3, ReportState::Unverified), item(4, dismissed)],
                Some(next)
            ),
            Some(next)
        );
        assert_eq!(
            w.page(
                vec![
                    item(2, ReportState::Unverified),
                    item(1, ReportState::Unverified)
                ],
                None
            ),
            None
        );
        let (reports, more) = w.finish();
        let ids: Vec<u8> = reports.iter().map(|r| r.id.0[0]).collect();
        assert_eq!(ids, [3, 2]);
        assert_eq!(
            more,
            Some(Cursor {
                created_at: 2,
                id: Id([2; 32])
            })
        );
    }
}
