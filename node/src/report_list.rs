//! The organizers' list of reports, walked page by page through `GET /v1/feed?all=true`:
//! which reports still need an organizer, in what order, where a list stops and where the
//! next one continues. The CLI's `aviso report list` and the organizer desk share it.

use aviso_protocol::Reason;
use aviso_protocol::feed::{ReportItem, ReportState};

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
