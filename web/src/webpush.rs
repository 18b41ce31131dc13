//! Web Push delivery: when an alert becomes shown that the open page would notify of
//! (severe or extreme, in the member's areas: [`view::alerts`] decides, as for the
//! page), the node sends one push to every subscribed device.
//!
//! - The watcher follows the node's events, recomputes the feed after anything that can
//!   make an alert shown (an alert, an endorsement, a trust list) and compares the shown
//!   alerts with the last time. What is shown when the node starts is never pushed.
//! - The payload is the alert's id, its severity and category in the device's language,
//!   and its headline: a phone away from home usually cannot reach its node (the app is
//!   served on the home network), so a notification that only said "open the app" would
//!   say nothing where it matters. It is encrypted for the device alone and padded to
//!   one size ([`crate::push`]); the push service learns only that a message came, when,
//!   and from which node's VAPID key.
//! - Sending never blocks the pipeline or the watcher: pushes wait in a bounded queue
//!   ([`MAX_QUEUED`]; past it they are dropped with a warning), at most [`MAX_IN_FLIGHT`]
//!   requests run at once, each with a timeout, retried [`MAX_ATTEMPTS`] times with
//!   growing waits on network errors, 429 and 5xx. A 404 or 410 means the device
//!   unsubscribed: its subscription is deleted.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aviso_node::net::Event;
use aviso_protocol::{Feed, Kind};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{Semaphore, mpsc, watch};

use crate::i18n::{Arg, Tr};
use crate::push::{PushError, Subscription, SubscriptionJson, Vapid, encrypt};
use crate::push_store::{PushStore, StoreError, Stored};
use crate::server::{self, WebState};
use crate::view::{self, AlertCard};

/// Pushes waiting to be sent: a burst of 8 alerts to 32 devices.
pub const MAX_QUEUED: usize = 256;

/// Requests to push services at once: enough for a household's devices in parallel,
/// few enough that a slow push service cannot take many sockets.
pub const MAX_IN_FLIGHT: usize = 8;

/// How long one request may take: push services answer in well under a second; a
/// phone's alert that waits longer is better retried.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Tries per push: the first and three retries, after 2, 8 and 32 seconds. An alert
/// that has not reached the push service in about a minute is likely stale news for
/// the device.
pub const MAX_ATTEMPTS: u32 = 4;

/// The wait before the first retry; each further wait is four times longer.
pub const FIRST_RETRY: Duration = Duration::from_secs(2);

/// Longest a push service keeps an undelivered push (its `TTL`): the alert's remaining
/// life, at most a day (a phone switched off for longer gets the app's list instead).
pub const MAX_TTL_SECS: u64 = 24 * 3600;

/// The contact in VAPID tokens (RFC 8292 §2.1). A node has no operator address to
/// give, and the push services accept a `mailto:`.
pub const VAPID_SUBJECT: &str = "mailto:node@aviso.invalid";

/// Set to `1` to accept `http://127.0.0.1:<port>` push endpoints: only for tests that
/// stand in for the push service. Real endpoints are `https`.
pub const ALLOW_LOOPBACK_ENV: &str = "AVISO_PUSH_ALLOW_HTTP_LOOPBACK";

/// Longest headline sent, in characters: the payload is padded to
/// [`crate::push::PADDED_LEN`] bytes, which this leaves room for in any script.
const MAX_HEADLINE_CHARS: usize = 300;

/// Node events taken in one batch before recomputing the feed.
const MAX_BATCH: usize = 256;

/// Why a device could not subscribe.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SubscribeError {
    /// The subscription is malformed or its endpoint not allowed.
    #[error(transparent)]
    Invalid(#[from] PushError),
    /// It could not be stored, or too many devices are subscribed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One push to send.
#[derive(Debug)]
struct Job {
    subscription: SubscriptionJson,
    payload: Vec<u8>,
    ttl: u64,
    urgency: &'static str,
    /// When the watcher saw the change that caused it.
    since: Instant,
}

/// This node's Web Push: its key, the devices' subscriptions, the queue of pushes.
#[derive(Debug)]
pub struct Push {
    store: PushStore,
    vapid: Vapid,
    allow_loopback: bool,
    jobs: mpsc::Sender<Job>,
}

impl Push {
    /// The VAPID public key, base64url: the pages' `applicationServerKey`.
    pub fn public_key(&self) -> String {
        self.vapid.public_key()
    }

    /// Store a device's subscription; notifications to it are written in `lang`.
    pub fn subscribe(&self, json: SubscriptionJson, lang: &str) -> Result<(), SubscribeError> {
        let sub = Subscription::parse(&json, self.allow_loopback)?;
        self.store
            .add(&sub, json, lang, aviso_node::unix_now())
            .map_err(Into::into)
    }

    /// Forget the subscription of `endpoint`; whether there was one.
    pub fn unsubscribe(&self, endpoint: &str) -> Result<bool, StoreError> {
        self.store.remove(endpoint)
    }

    /// How many devices are subscribed.
    pub fn devices(&self) -> usize {
        self.store.list().len()
    }

    /// Queue a push of each fresh urgent alert of `feed` to every device.
    fn announce(&self, s: &WebState, feed: &Feed, fresh: &HashSet<String>, since: Instant) {
        let subs = self.store.list();
        if subs.is_empty() {
            return;
        }
        let mut by_lang: BTreeMap<String, Vec<Stored>> = BTreeMap::new();
        for sub in subs {
            by_lang.entry(sub.lang.clone()).or_default().push(sub);
        }
        let settings = server::settings_of(s);
        let now = aviso_node::unix_now();
        for (lang, devices) in by_lang {
            let tr = Tr::new(&lang);
            let cx = server::context(s, &tr, &settings, Some(feed));
            let cards = view::alerts(&cx, feed).alerts;
            for card in cards.iter().filter(|c| c.urgent && fresh.contains(&c.id)) {
                let payload = payload(&tr, card);
                let ttl = card.expires_at.saturating_sub(now).clamp(60, MAX_TTL_SECS);
                let urgency = match card.severity {
                    "extreme" | "severe" => "high",
                    _ => "normal",
                };
                for d in &devices {
                    let job = Job {
                        subscription: d.subscription.clone(),
                        payload: payload.clone(),
                        ttl,
                        urgency,
                        since,
                    };
                    if self.jobs.try_send(job).is_err() {
                        tracing::warn!(alert = %card.id, "web push queue full: a notification was dropped");
                    }
                }
            }
        }
    }
}

/// What the service worker shows (`assets/sw.js`): JSON, read only by the device.
fn payload(tr: &Tr, card: &AlertCard) -> Vec<u8> {
    let title = tr.args(
        "push-title",
        &[
            ("severity", Arg::Str(card.severity_text.clone())),
            ("category", Arg::Str(card.category_text.clone())),
        ],
    );
    let mut body: String = card
        .headline
        .text
        .chars()
        .take(MAX_HEADLINE_CHARS)
        .collect();
    if let Some(drill) = &card.exercise {
        body = format!("{drill} {body}");
    }
    serde_json::json!({
        "id": card.id,
        "title": title,
        "body": body,
        "lang": card.headline.lang,
        "dir": card.headline.dir,
        "url": format!("/alerts/{}", card.id),
    })
    .to_string()
    .into_bytes()
}

/// Start Web Push for the web app of `s`: open its state in the node's home, then watch
/// and send until the server stops. `None` when the node has no home (tests of the
/// pages alone) or its push state cannot be read (logged).
pub fn start(s: &WebState) -> Option<Arc<Push>> {
    let home = &s.api.home;
    if home.as_os_str().is_empty() {
        return None;
    }
    let (store, vapid) = match PushStore::open(home) {
        Ok(x) => x,
        Err(e) => {
            tracing::warn!(error = %e, "web push is off: its state cannot be read");
            return None;
        }
    };
    let http = match reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .connect_timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(c) => c,
        Err(e) => {
            tracing::warn!(error = %e, "web push is off: no HTTP client");
            return None;
        }
    };
    let (tx, rx) = mpsc::channel(MAX_QUEUED);
    let push = Arc::new(Push {
        store,
        vapid,
        allow_loopback: std::env::var(ALLOW_LOOPBACK_ENV).is_ok_and(|v| v == "1"),
        jobs: tx,
    });
    tokio::spawn(watch_feed(s.clone(), push.clone()));
    tokio::spawn(send_all(push.clone(), http, rx, s.stop.clone()));
    Some(push)
}

/// Ids (hex) of the alerts `feed` shows.
fn shown(feed: &Feed) -> HashSet<String> {
    feed.alerts
        .iter()
        .filter(|a| a.shown)
        .map(|a| a.id.to_hex())
        .collect()
}

/// Whether an accepted envelope of `kind` can make an alert shown.
fn can_show_an_alert(kind: Kind) -> bool {
    matches!(kind, Kind::Alert | Kind::Endorsement | Kind::TrustList)
}

async fn watch_feed(s: WebState, push: Arc<Push>) {
    // Subscribe before reading the feed, so nothing accepted in between is missed.
    let mut events = s.api.client.subscribe();
    let mut stop = s.stop.clone();
    // What is shown at start was shown before: not news. Unknown if the feed cannot be
    // read; then the first feed read is the baseline.
    let mut before: Option<HashSet<String>> = server::load_feed(&s).await.ok().map(|f| shown(&f));
    loop {
        let wake = tokio::select! {
            ev = events.recv() => match ev {
                Ok(Event::Accepted { kind, .. }) => can_show_an_alert(kind),
                Ok(_) => false,
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return,
            },
            _ = stop.wait_for(|v| *v) => return,
        };
        if !wake {
            continue;
        }
        let since = Instant::now();
        // One feed read covers a burst.
        for _ in 0..MAX_BATCH {
            if events.try_recv().is_err() {
                break;
            }
        }
        let Ok(feed) = server::load_feed(&s).await else {
            continue;
        };
        let now = shown(&feed);
        if let Some(before) = &before {
            let fresh: HashSet<String> = now.difference(before).cloned().collect();
            if !fresh.is_empty() {
                push.announce(&s, &feed, &fresh, since);
            }
        }
        before = Some(now);
    }
}

async fn send_all(
    push: Arc<Push>,
    http: reqwest::Client,
    mut jobs: mpsc::Receiver<Job>,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    loop {
        let job = tokio::select! {
            j = jobs.recv() => match j {
                Some(j) => j,
                None => return,
            },
            _ = stop.wait_for(|v| *v) => return,
        };
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let (push, http, stop) = (push.clone(), http.clone(), stop.clone());
        tokio::spawn(async move {
            let _slot = slot;
            send(&push, &http, job, stop).await;
        });
    }
}

/// What became of one request.
enum Sent {
    Done,
    Gone,
    Retry,
    Refused(u16),
}

async fn send(push: &Push, http: &reqwest::Client, job: Job, mut stop: watch::Receiver<bool>) {
    let endpoint = job.subscription.endpoint.clone();
    let Ok(sub) = Subscription::parse(&job.subscription, push.allow_loopback) else {
        return;
    };
    let mut wait = FIRST_RETRY;
    for attempt in 1..=MAX_ATTEMPTS {
        match send_once(push, http, &sub, &job).await {
            Sent::Done => {
                tracing::debug!(
                    after_change_ms = job.since.elapsed().as_millis() as u64,
                    attempt,
                    "web push sent"
                );
                return;
            }
            Sent::Gone => {
                tracing::info!("a device unsubscribed from web push: its subscription is deleted");
                if let Err(e) = push.store.remove(&endpoint) {
                    tracing::warn!(error = %e, "cannot delete a web push subscription");
                }
                return;
            }
            Sent::Refused(status) => {
                tracing::warn!(status, "the push service refused a notification");
                return;
            }
            Sent::Retry if attempt < MAX_ATTEMPTS => {
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = stop.wait_for(|v| *v) => return,
                }
                wait *= 4;
            }
            Sent::Retry => {}
        }
    }
    tracing::warn!(
        attempts = MAX_ATTEMPTS,
        "a web push notification could not be delivered"
    );
}

async fn send_once(push: &Push, http: &reqwest::Client, sub: &Subscription, job: &Job) -> Sent {
    let body = match encrypt(sub, &job.payload) {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "cannot encrypt a web push notification");
            return Sent::Retry;
        }
    };
    let auth = push
        .vapid
        .authorization(&sub.endpoint, VAPID_SUBJECT, aviso_node::unix_now());
    let res = http
        .post(&sub.endpoint)
        .header("TTL", job.ttl.to_string())
        .header("Urgency", job.urgency)
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("Authorization", auth)
        .body(body)
        .send()
        .await;
    match res {
        Ok(r) if r.status().is_success() => Sent::Done,
        Ok(r) if matches!(r.status().as_u16(), 404 | 410) => Sent::Gone,
        Ok(r) if r.status().as_u16() == 429 || r.status().is_server_error() => Sent::Retry,
        Ok(r) => Sent::Refused(r.status().as_u16()),
        Err(e) => {
            tracing::debug!(error = %e, "web push request failed");
            Sent::Retry
        }
    }
}

/// `GET /push/key`: the VAPID public key for the page's `pushManager.subscribe`; 404
/// when Web Push is off.
pub(crate) async fn key(State(s): State<WebState>) -> Response {
    match &s.push {
        Some(p) => Json(serde_json::json!({ "key": p.public_key() })).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /push/subscribe`: the browser's `PushSubscription.toJSON()`. Notifications to
/// it are written in the page's language.
pub(crate) async fn subscribe(
    State(s): State<WebState>,
    headers: HeaderMap,
    Json(sub): Json<SubscriptionJson>,
) -> Response {
    let Some(p) = &s.push else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let tr = server::tr_for(&headers, Some(&server::settings_of(&s)));
    match p.subscribe(sub, tr.tag()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(SubscribeError::Store(StoreError::Full)) => {
            (StatusCode::CONFLICT, StoreError::Full.to_string()).into_response()
        }
        Err(SubscribeError::Invalid(e)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "cannot store a web push subscription");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What `POST /push/unsubscribe` takes.
#[derive(Debug, Deserialize)]
pub(crate) struct Unsubscribe {
    endpoint: String,
}

/// `POST /push/unsubscribe`: forget a device's subscription (204 whether or not it was
/// known, so the answer says nothing about other devices).
pub(crate) async fn unsubscribe(State(s): State<WebState>, Json(u): Json<Unsubscribe>) -> Response {
    let Some(p) = &s.push else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match p.unsubscribe(&u.endpoint) {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot delete a web push subscription");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
