//! Responses to alerts on this node: finding an alert's tally in a computed feed, and
//! building the response a member signs. The rules are in `aviso_protocol::response`.

use aviso_protocol::feed::Feed;
use aviso_protocol::{Answer, Body, Id, Response, ResponseTally};

/// The tally of the live alert thread that `alert` (any version of it) belongs to, in
/// `feed`: empty when nobody answered; `None` when the alert is not live (not in the
/// feed, or hidden for any reason but the member's areas).
pub fn tally_of(feed: &Feed, alert: &Id) -> Option<ResponseTally> {
    let item = feed.alerts.iter().find(|a| a.id == *alert)?;
    let live = feed.alerts.iter().any(|a| {
        a.thread == item.thread
            && a.reasons
                .iter()
                .all(|r| *r == aviso_protocol::Reason::OutsideYourAreas)
    });
    if !live {
        return None;
    }
    Some(
        feed.responses
            .iter()
            .find(|t| t.thread == item.thread)
            .cloned()
            .unwrap_or_else(|| ResponseTally::new(item.thread)),
    )
}

/// The newest live version of the thread that `alert` belongs to, with its expiry: what
/// a response should name and when it must end (a response may not outlive its alert).
pub fn head_of(feed: &Feed, alert: &Id) -> Option<(Id, u64)> {
    let thread = feed.alerts.iter().find(|a| a.id == *alert)?.thread;
    feed.alerts
        .iter()
        .filter(|a| {
            a.thread == thread
                && a.reasons
                    .iter()
                    .all(|r| *r == aviso_protocol::Reason::OutsideYourAreas)
        })
        .map(|a| (a.id, a.expires_at))
        .next()
}

/// The body of `answer` to `alert`.
pub fn body(alert: Id, answer: Answer) -> Body {
    Body::Response(Response { alert, answer })
}

/// When `author`'s next response should be made: `now`, or one second after its latest
/// stored response if that is later. Responses replace each other by `created_at`, to the
/// second, so an answer changed within the same second as the one before would otherwise
/// be ordered by id, by chance.
pub fn next_created_at(
    store: &dyn crate::Store,
    author: &aviso_protocol::PublicKey,
    now: u64,
) -> Result<u64, crate::store::StoreError> {
    let latest = store
        .by_kind(aviso_protocol::Kind::Response)?
        .iter()
        .filter(|e| e.author() == *author)
        .map(|e| e.created_at())
        .max();
    Ok(latest.map_or(now, |l| now.max(l.saturating_add(1))))
}
