//! `GET /v1/events`: the server-sent event stream of what becomes shown or stops being
//! shown ([`ApiEvent`]).

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::time::{Duration, Instant};

use aviso_protocol::{Feed, Id, Reason};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{OwnedSemaphorePermit, broadcast, watch};

use super::wire::{
    self, ApiError, ApiEvent, ItemEvent, ItemKind, PeerEvent, ReadyEvent, WithdrawnEvent,
};
use super::{AppState, Failure, MAX_WATCHERS, current_feed};
use crate::feed::{Cursor, DEFAULT_PAGE_REPORTS, FeedPage, PageRequest};
use crate::net::Event;

/// Comment sent on a quiet event stream, so proxies and clients see it is alive.
pub(super) const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Shortest time between two feed recomputations of one event stream: under a gossip
/// burst, one recomputation covers many envelopes.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_millis(250);
/// Most node events taken in one batch before recomputing.
const MAX_BATCH: usize = 256;
/// Most server-sent events waiting on one stream; past it the client gets one `lagged`
/// event and should fetch `/v1/feed`.
const MAX_QUEUED: usize = 1024;
/// Reports an event stream follows: the newest shown ones, as the first page of
/// `/v1/feed`. A report that leaves this window (newer ones came) is no longer
/// followed; one that stops being shown inside it is announced as withdrawn.
pub(super) const WATCH_REPORTS: usize = DEFAULT_PAGE_REPORTS;
/// Newly accepted reports an event stream judges at its next recomputation even when
/// they are older than its window (caught up by sync): they are announced if shown.
/// Past this many between two recomputations, the rest wait for the window.
const WATCH_NEW_REPORTS: usize = 256;

/// What an event stream computes: the window of newest shown reports.
fn watch_request() -> PageRequest {
    PageRequest {
        reports: WATCH_REPORTS,
        before: None,
        skip_hidden: true,
    }
}

/// Server-sent events: `ready`, then `item` for each newly shown item, `withdrawn` for
/// each item that stops being shown, `peer` for peers, `lagged` when events were dropped.
#[utoipa::path(
    get,
    path = wire::paths::EVENTS,
    tag = "feed",
    responses(
        (status = 200, description = "a `text/event-stream`: each event's `event:` is the `event` of an ApiEvent, its `data:` the `data` (JSON; text for `lagged`), its `id:` the item's id", content_type = "text/event-stream", body = ApiEvent),
        (status = 503, description = "too many event streams are open", body = ApiError),
    )
)]
pub(super) async fn events(State(s): State<AppState>) -> Result<Response, Failure> {
    let permit = s.watchers.clone().try_acquire_owned().map_err(|_| {
        Failure::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("too many live event streams (at most {MAX_WATCHERS})"),
            "close another `aviso watch`",
        )
    })?;
    // Subscribe before reading the feed, so nothing accepted in between is missed.
    let events = s.api.client.subscribe();
    let page = current_feed(&s.api, watch_request(), Vec::new()).await?;
    let (shown, reports) = shown_ids(&page.feed);
    let mut watcher = Watcher {
        stop: Some(s.stop.clone()),
        shared: s,
        events,
        queue: VecDeque::new(),
        overflowed: false,
        last_refresh: Instant::now(),
        closed: false,
        shown,
        reports,
        new_reports: Vec::new(),
        floor: page.next,
        _permit: permit,
    };
    let shown_now = watcher.shown.len();
    watcher.push(None, ApiEvent::Ready(ReadyEvent { shown: shown_now }));
    let stream = futures::stream::unfold(watcher, Watcher::next);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response())
}

/// Ids of everything shown in `feed`, and of the reports among them.
fn shown_ids(feed: &Feed) -> (HashSet<Id>, HashSet<Id>) {
    let alerts = feed.alerts.iter().filter(|i| i.shown).map(|i| i.id);
    let reports: HashSet<Id> = feed
        .reports
        .iter()
        .filter(|i| i.shown)
        .map(|i| i.id)
        .collect();
    let resources = feed.resources.iter().filter(|i| i.shown).map(|i| i.id);
    let all = alerts
        .chain(reports.iter().copied())
        .chain(resources)
        .collect();
    (all, reports)
}

/// One live event stream. Its memory is bounded: the ids shown now (alerts and
/// resources, bounded by the organizer quotas, and at most [`WATCH_REPORTS`] reports), at
/// most [`WATCH_NEW_REPORTS`] new report ids and at most [`MAX_QUEUED`] events waiting.
struct Watcher {
    shared: AppState,
    events: broadcast::Receiver<Event>,
    /// Ids shown at the last recomputation (reports: those in the window).
    shown: HashSet<Id>,
    /// The reports among them.
    reports: HashSet<Id>,
    /// Reports accepted since the last recomputation.
    new_reports: Vec<Id>,
    /// Where the window of reports ended at the last recomputation (`None`: it held
    /// every report). A report below it that enters the window (a newer one was hidden)
    /// is not news.
    floor: Option<Cursor>,
    queue: VecDeque<SseEvent>,
    /// Events were dropped and the client was told.
    overflowed: bool,
    last_refresh: Instant,
    /// The node's event channel closed: the node is stopping.
    closed: bool,
    /// `None` once the server's shutdown signal can no longer fire.
    stop: Option<watch::Receiver<bool>>,
    _permit: OwnedSemaphorePermit,
}

impl Watcher {
    async fn next(mut self) -> Option<(Result<SseEvent, Infallible>, Watcher)> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                if self.queue.is_empty() {
                    self.overflowed = false;
                }
                return Some((Ok(event), self));
            }
            if self.closed {
                return None;
            }
            let first = tokio::select! {
                () = stopped(&mut self.stop) => return None,
                r = self.events.recv() => r,
            };
            let mut refresh = self.absorb(first);
            if refresh {
                let wait = MIN_REFRESH_INTERVAL.saturating_sub(self.last_refresh.elapsed());
                if !wait.is_zero() {
                    tokio::select! {
                        () = stopped(&mut self.stop) => return None,
                        () = tokio::time::sleep(wait) => {}
                    }
                }
            }
            for _ in 0..MAX_BATCH {
                let r = match self.events.try_recv() {
                    Ok(event) => Ok(event),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
                    Err(TryRecvError::Closed) => Err(RecvError::Closed),
                };
                refresh |= self.absorb(r);
            }
            if refresh {
                self.refresh().await;
            }
        }
    }

    /// Take one node event; returns whether the feed must be recomputed.
    fn absorb(&mut self, r: Result<Event, RecvError>) -> bool {
        match r {
            Ok(Event::Accepted { id, kind, .. }) => {
                if kind == aviso_protocol::Kind::Report
                    && self.new_reports.len() < WATCH_NEW_REPORTS
                {
                    self.new_reports.push(id);
                }
                true
            }
            Ok(Event::PeerConnected { peer }) => {
                let peer = peer.to_string();
                self.push(None, ApiEvent::Peer(PeerEvent::PeerConnected { peer }));
                false
            }
            Ok(Event::PeerDisconnected { peer }) => {
                let peer = peer.to_string();
                self.push(None, ApiEvent::Peer(PeerEvent::PeerDisconnected { peer }));
                false
            }
            // Says nothing about what is shown.
            Ok(Event::Gossiped { .. }) => false,
            // Missed events: the feed may have changed.
            Err(RecvError::Lagged(_)) => true,
            Err(RecvError::Closed) => {
                self.closed = true;
                false
            }
        }
    }

    /// Recompute the feed and queue an `item` event for everything newly shown.
    async fn refresh(&mut self) {
        self.last_refresh = Instant::now();
        // The reports followed and the new ones are judged even outside the window: a
        // followed one may have been withdrawn as it left it.
        let mut also: Vec<Id> = self.reports.iter().copied().collect();
        let new: HashSet<Id> = self.new_reports.drain(..).collect();
        also.extend(&new);
        let page = match current_feed(&self.shared.api, watch_request(), also).await {
            Ok(page) => page,
            Err(e) => {
                tracing::warn!(error = %e.body.error, "cannot recompute the feed for an event stream");
                return;
            }
        };
        let FeedPage { mut feed, next } = page;
        // Whether a report lies in the window (at or after the next page's cursor).
        let in_window = |created_at, id| next.is_none_or(|c| Cursor { created_at, id } >= c);
        for a in feed.alerts.iter().filter(|i| i.shown) {
            if !self.shown.contains(&a.id) {
                self.push_item(a.id, ItemEvent::Alert(a.clone()));
            }
        }
        let floor = self.floor;
        let news = |created_at, id| {
            new.contains(&id) || floor.is_none_or(|f| Cursor { created_at, id } >= f)
        };
        for r in feed.reports.iter().filter(|i| i.shown) {
            if !self.shown.contains(&r.id) && news(r.created_at, r.id) {
                self.push_item(r.id, ItemEvent::Report(r.clone()));
            }
        }
        // Shown reports outside the window are no longer followed: not withdrawn, just
        // older than what the stream follows.
        let (left, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut feed.reports)
            .into_iter()
            .partition(|r| r.shown && !in_window(r.created_at, r.id));
        feed.reports = kept;
        let left: HashSet<Id> = left.into_iter().map(|r| r.id).collect();
        let (shown, reports) = shown_ids(&feed);
        for r in feed.resources.iter().filter(|i| i.shown) {
            if !self.shown.contains(&r.id) {
                self.push_item(r.id, ItemEvent::Resource(r.clone()));
            }
        }
        // What stopped being shown (cancelled, retracted, revoked, updated, expired): a
        // watcher must not keep showing it.
        let gone: Vec<Id> = self
            .shown
            .difference(&shown)
            .filter(|id| !left.contains(id))
            .copied()
            .collect();
        for id in gone {
            let found = feed
                .alerts
                .iter()
                .find(|a| a.id == id)
                .map(|a| (ItemKind::Alert, &a.reasons))
                .or_else(|| {
                    feed.reports
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| (ItemKind::Report, &r.reasons))
                })
                .or_else(|| {
                    feed.resources
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| (ItemKind::Resource, &r.reasons))
                });
            let data = match found {
                Some((kind, reasons)) => WithdrawnEvent {
                    kind: Some(kind),
                    id,
                    reasons: reasons.clone(),
                },
                // Collected from the store: it expired.
                None => WithdrawnEvent {
                    kind: None,
                    id,
                    reasons: vec![Reason::Expired],
                },
            };
            self.push(Some(id), ApiEvent::Withdrawn(data));
        }
        self.shown = shown;
        self.reports = reports;
        self.floor = next;
    }

    fn push_item(&mut self, id: Id, item: ItemEvent) {
        self.push(Some(id), ApiEvent::Item(Box::new(item)));
    }

    /// Queue `event` (with `id` as its SSE id), or one `lagged` event when the queue is
    /// full.
    fn push(&mut self, id: Option<Id>, event: ApiEvent) {
        if self.queue.len() >= MAX_QUEUED {
            if !self.overflowed {
                self.overflowed = true;
                let lagged = ApiEvent::Lagged(LAGGED.into());
                if let Some(e) = sse(None, &lagged) {
                    self.queue.push_back(e);
                }
            }
            return;
        }
        if let Some(e) = sse(id, &event) {
            self.queue.push_back(e);
        }
    }
}

/// The text of a `lagged` event.
const LAGGED: &str = "some updates were dropped; fetch /v1/feed";

/// `event` as a server-sent event: its name, `id`, and its content as `data` (JSON, plain
/// text for `lagged`).
fn sse(id: Option<Id>, event: &ApiEvent) -> Option<SseEvent> {
    let mut out = SseEvent::default().event(event.name());
    if let Some(id) = id {
        out = out.id(id.to_hex());
    }
    let data = match event {
        ApiEvent::Ready(d) => out.json_data(d),
        ApiEvent::Item(d) => out.json_data(d),
        ApiEvent::Withdrawn(d) => out.json_data(d),
        ApiEvent::Peer(d) => out.json_data(d),
        ApiEvent::Lagged(text) => Ok(out.data(text)),
    };
    match data {
        Ok(e) => Some(e),
        Err(e) => {
            tracing::warn!(error = %e, "cannot encode a server-sent event");
            None
        }
    }
}

/// Completes when the server shuts down; never, once the signal cannot fire any more.
async fn stopped(stop: &mut Option<watch::Receiver<bool>>) {
    if let Some(rx) = stop {
        if rx.wait_for(|s| *s).await.is_ok() {
            return;
        }
        *stop = None;
    }
    std::future::pending::<()>().await
}
