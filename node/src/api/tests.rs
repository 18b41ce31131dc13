//! Tests of the server over raw HTTP: guards, handlers, event streams.
use std::collections::BTreeMap;
use std::sync::Mutex;

use aviso_protocol::{
    Alert, Body, Category, Certainty, CommunityId, Envelope, Info, Kind, MsgType, Role, SecretKey,
    Severity, Status, TrustEntry, TrustList, Urgency,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use aviso_protocol::{Community, FeedSettings, Id, PublicKey};
use libp2p::PeerId;
use serde_json::json;
use tokio::net::TcpListener;

use super::events::WATCH_REPORTS;
use super::*;
use crate::feed::{DEFAULT_PAGE_REPORTS, FeedReply, MAX_PAGE_REPORTS};
use crate::net::{Client, Command, Event, NetStatus, PeerInfo};
use crate::pipeline::Outcome;
use crate::store::{Store, StoreCounts, StoreError};

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const DEADLINE: Duration = Duration::from_secs(20);

/// A store in memory, enough for the API.
#[derive(Default)]
struct MemStore(Mutex<Vec<Envelope>>);

impl Store for MemStore {
    fn contains(&self, id: &Id) -> Result<bool, StoreError> {
        Ok(self.0.lock().unwrap().iter().any(|e| e.id() == *id))
    }
    fn insert_within(
        &self,
        env: &Envelope,
        _: Option<crate::store::Quota>,
    ) -> Result<crate::store::Inserted, StoreError> {
        let mut all = self.0.lock().unwrap();
        if all.iter().any(|e| e.id() == env.id()) {
            return Ok(crate::store::Inserted::Duplicate);
        }
        all.push(env.clone());
        Ok(crate::store::Inserted::Stored)
    }
    fn usage(&self, _: &PublicKey) -> Result<crate::store::Usage, StoreError> {
        Ok(crate::store::Usage::default())
    }
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
    fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .iter()
            .find(|e| e.id() == *id)
            .cloned())
    }
    fn all(&self) -> Result<Vec<Envelope>, StoreError> {
        Ok(self.0.lock().unwrap().clone())
    }
    fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError> {
        let all = self.0.lock().unwrap();
        Ok(all.iter().filter(|e| e.kind() == kind).cloned().collect())
    }
    fn referencing(&self, target: &Id) -> Result<Vec<Id>, StoreError> {
        let all = self.0.lock().unwrap();
        let refers = |e: &&Envelope| match e.body() {
            Body::Retraction(r) => r.target == *target,
            Body::Endorsement(x) => x.alert == *target,
            Body::Alert(a) => a.references.contains(target) || a.confirms.contains(target),
            _ => false,
        };
        Ok(all.iter().filter(refers).map(|e| e.id()).collect())
    }
    fn sync_items(&self, now: u64) -> Result<Vec<(u64, Id)>, StoreError> {
        let all = self.0.lock().unwrap();
        let live = all.iter().filter(|e| !e.is_expired(now));
        Ok(live.map(|e| (e.created_at(), e.id())).collect())
    }
    fn gc(&self, _: u64) -> Result<usize, StoreError> {
        Ok(0)
    }
    fn counts(&self) -> Result<StoreCounts, StoreError> {
        let all = self.0.lock().unwrap();
        let mut by_kind = BTreeMap::new();
        for e in all.iter() {
            *by_kind.entry(e.kind().as_str()).or_insert(0) += 1;
        }
        Ok(StoreCounts {
            total: all.len() as u64,
            by_kind,
        })
    }
}

/// Plays the event loop: answers commands, "publishes" into the store.
async fn fake_loop(mut rx: mpsc::Receiver<Command>, store: Arc<dyn Store>, client: Client) {
    while let Some(cmd) = rx.recv().await {
        match cmd {
            Command::Publish { bytes, reply } => {
                let outcome = match Envelope::decode(&bytes) {
                    Err(e) => Outcome::Rejected {
                        reason: e.to_string(),
                    },
                    Ok(env) if store.insert(&env).unwrap() => {
                        let _ = client.events.send(Event::Accepted {
                            id: env.id(),
                            kind: env.kind(),
                            source: "local",
                        });
                        Outcome::Accepted {
                            id: env.id(),
                            kind: env.kind(),
                        }
                    }
                    Ok(env) => Outcome::Duplicate { id: env.id() },
                };
                let _ = reply.send(outcome);
            }
            Command::Status { reply } => {
                let _ = reply.send(NetStatus {
                    peer_id: "me".into(),
                    listen_addrs: vec!["/ip4/127.0.0.1/tcp/7446".into()],
                    peers: vec![PeerInfo {
                        peer_id: "other".into(),
                        address: "/ip4/127.0.0.1/tcp/7447".into(),
                        in_mesh: true,
                        score: Some(1.0),
                        rtt_ms: Some(3),
                        last_sync: None,
                        connection: "direct".into(),
                    }],
                    sync_sessions: 0,
                    gossip_load_drops: 0,
                    catch_up_rounds: 0,
                    serving: Default::default(),
                    reachability: Default::default(),
                });
            }
            // Other commands are not used by the API: dropping the reply is
            // what a stopped loop does.
            _ => {}
        }
    }
}

fn key(n: u8) -> SecretKey {
    aviso_protocol::fixtures::key(n)
}

const COMMUNITY: CommunityId = CommunityId([42; 32]);

fn trust_list(now: u64) -> Envelope {
    let list = TrustList {
        name: "Mission rapid response".into(),
        version: 1,
        entries: vec![TrustEntry {
            key: key(2).public(),
            role: Role::Organizer,
            label: "organizer".into(),
            areas: vec![],
            categories: vec![],
            expires_at: None,
        }],
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    };
    let body = Body::TrustList(list);
    Envelope::sign(&key(1), COMMUNITY, &body, now - 60, now + 86_400).unwrap()
}

fn alert(now: u64, headline: &str) -> Envelope {
    let alert = Alert {
        category: Category::Raid,
        severity: Severity::Severe,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: vec![aviso_protocol::Area::parse("9q8yy").unwrap()],
        area_desc: None,
        onset: Some(now),
        info: vec![Info {
            lang: "en".into(),
            headline: headline.into(),
            description: "description".into(),
            instruction: "stay inside".into(),
        }],
        confirms: vec![],
    };
    Envelope::sign(&key(2), COMMUNITY, &Body::Alert(alert), now - 1, now + 3600).unwrap()
}

struct Harness {
    addr: SocketAddr,
    client: Client,
    store: Arc<dyn Store>,
    stop: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start() -> Harness {
    start_on(Arc::new(MemStore::default()), vec![]).await
}

/// The API over `store`, for a member following key(1) in `areas`.
async fn start_on(store: Arc<dyn Store>, areas: Vec<aviso_protocol::Area>) -> Harness {
    let (client, rx) = Client::detached();
    tokio::spawn(fake_loop(rx, store.clone(), client.clone()));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = FeedSettings {
        follow: vec![key(1).public()],
        areas,
        languages: vec!["en".into()],
    };
    // The API shows the community as given; the id is the one the fixtures sign with.
    let community = Community {
        id: COMMUNITY,
        ..Community::new(
            &key(1),
            [0; aviso_protocol::community::SALT_LEN],
            "Mission",
            vec![key(1).public()],
            vec![],
        )
        .unwrap()
    };
    let state = ApiState::new(
        client.clone(),
        store.clone(),
        Arc::new(RwLock::new(settings)),
        TOKEN.into(),
        PeerId::random(),
        Some(community),
    );
    let (stop, stopped) = oneshot::channel();
    let server = tokio::spawn(serve(listener, state, async move {
        let _ = stopped.await;
    }));
    Harness {
        addr,
        client,
        store,
        stop: Some(stop),
        server,
    }
}

struct Reply {
    status: u16,
    head: String,
    json: serde_json::Value,
}

impl Harness {
    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.addr.port())
    }

    /// A request with the right Host and token plus `extra` headers.
    async fn call(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let auth = format!("Bearer {TOKEN}");
        let headers = [("Host", self.host()), ("Authorization", auth)];
        self.raw(method, path, &headers, body).await
    }

    async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: Option<&str>,
    ) -> Reply {
        let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
        for (name, value) in headers {
            req.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            req.push_str("Content-Type: application/json\r\n");
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        req.push_str("\r\n");
        req.push_str(body.unwrap_or(""));
        let mut stream = TcpStream::connect(self.addr).await.unwrap();
        // The server may answer (413) and close before reading a large body: a failed
        // write or a reset after the response is fine; the response is what counts.
        let _ = stream.write_all(req.as_bytes()).await;
        let mut raw = Vec::new();
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            let mut buf = [0u8; 8192];
            match tokio::time::timeout_at(deadline, stream.read(&mut buf))
                .await
                .expect("response in time")
            {
                Ok(0) | Err(_) => break,
                Ok(n) => raw.extend_from_slice(&buf[..n]),
            }
        }
        let text = String::from_utf8(raw).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(!head.to_ascii_lowercase().contains("chunked"), "{head}");
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let json = serde_json::from_str(body).unwrap_or(serde_json::Value::Null);
        Reply {
            status,
            head: head.to_owned(),
            json,
        }
    }

    async fn publish(&self, env: &Envelope) -> Reply {
        let body = json!({ "envelope": hex::encode(env.bytes()) }).to_string();
        self.call("POST", "/v1/publish", Some(&body)).await
    }
}

fn assert_error(reply: &Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.json);
    assert!(reply.json["error"].is_string(), "{}", reply.json);
    assert!(reply.json["hint"].is_string(), "{}", reply.json);
}

#[tokio::test]
async fn token_is_required() {
    let h = start().await;
    let host = ("Host", h.host());
    let r = h
        .raw("GET", "/v1/status", std::slice::from_ref(&host), None)
        .await;
    assert_error(&r, 401);
    assert!(
        r.head
            .to_ascii_lowercase()
            .contains("www-authenticate: bearer")
    );
    let wrong = ("Authorization", format!("Bearer {}", "0".repeat(64)));
    let r = h
        .raw("GET", "/v1/status", &[host.clone(), wrong], None)
        .await;
    assert_error(&r, 401);
    let short = ("Authorization", "Bearer 0123".to_string());
    let r = h
        .raw("GET", "/v1/status", &[host.clone(), short], None)
        .await;
    assert_error(&r, 401);
    let basic = ("Authorization", format!("Basic {TOKEN}"));
    let r = h
        .raw("GET", "/v1/status", &[host.clone(), basic], None)
        .await;
    assert_error(&r, 401);
    // Unknown routes are behind the token too.
    let r = h.raw("GET", "/nope", &[host], None).await;
    assert_error(&r, 401);
    let r = h.call("GET", "/nope", None).await;
    assert_error(&r, 404);
    let r = h.call("DELETE", "/v1/status", None).await;
    assert_error(&r, 405);
}

#[tokio::test]
async fn host_and_origin_are_checked() {
    let h = start().await;
    let port = h.addr.port();
    let auth = ("Authorization", format!("Bearer {TOKEN}"));
    for host in [
        "evil.example:80",
        "127.0.0.1:1",
        "127.0.0.1",
        "evil.example",
    ] {
        let headers = [("Host", host.to_string()), auth.clone()];
        let r = h.raw("GET", "/v1/status", &headers, None).await;
        assert_error(&r, 421);
    }
    let r = h
        .raw("GET", "/v1/status", std::slice::from_ref(&auth), None)
        .await;
    assert!(r.status == 421 || r.status == 400, "{}", r.status);
    for host in [
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        format!("[::1]:{port}"),
    ] {
        let headers = [("Host", host), auth.clone()];
        let r = h.raw("GET", "/v1/status", &headers, None).await;
        assert_eq!(r.status, 200, "{}", r.json);
    }
    for origin in ["http://evil.example", "null", "https://127.0.0.1"] {
        let headers = [("Host", h.host()), auth.clone(), ("Origin", origin.into())];
        let r = h.raw("POST", "/v1/publish", &headers, Some("{}")).await;
        assert_error(&r, 403);
    }
    let own = ("Origin", format!("http://127.0.0.1:{port}"));
    let r = h
        .raw("GET", "/v1/status", &[("Host", h.host()), auth, own], None)
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn status_and_peers() {
    let h = start().await;
    h.store.insert(&trust_list(crate::unix_now())).unwrap();
    let r = h.call("GET", "/v1/status", None).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let j = &r.json;
    assert!(!j["peer_id"].as_str().unwrap().is_empty());
    assert_eq!(j["peers"], 1);
    assert_eq!(j["listen_addrs"][0], "/ip4/127.0.0.1/tcp/7446");
    assert_eq!(j["store"]["total"], 1);
    assert_eq!(j["store"]["by_kind"]["trust_list"], 1);
    assert_eq!(j["community"]["name"], "Mission");
    assert_eq!(j["community"]["id"], COMMUNITY.to_hex());
    assert_eq!(j["version"], env!("CARGO_PKG_VERSION"));
    assert!(j["uptime_secs"].is_u64());
    let r = h.call("GET", "/v1/peers", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["peers"][0]["peer_id"], "other");
}

#[tokio::test]
async fn network_down_is_503() {
    let (client, rx) = Client::detached();
    drop(rx);
    let store = Arc::new(MemStore::default());
    let state = ApiState::new(
        client,
        store,
        Arc::default(),
        TOKEN.into(),
        PeerId::random(),
        None,
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, state, std::future::pending()));
    let h = Harness {
        addr,
        client: Client::detached().0,
        store: Arc::new(MemStore::default()),
        stop: None,
        server: tokio::spawn(async { Ok(()) }),
    };
    assert_error(&h.call("GET", "/v1/status", None).await, 503);
    assert_error(&h.call("GET", "/v1/peers", None).await, 503);
}

#[tokio::test]
async fn publish_feed_and_envelope() {
    let h = start().await;
    let now = crate::unix_now();
    let list = trust_list(now);
    let a = alert(now, "Raid on 24th St");
    let r = h.publish(&list).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["outcome"], "accepted");
    let r = h.publish(&a).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["id"], a.id().to_hex());
    let r = h.publish(&a).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["outcome"], "duplicate");

    let r = h
        .call("POST", "/v1/publish", Some(r#"{"envelope":"0011"}"#))
        .await;
    assert_error(&r, 422);
    assert_eq!(r.json["outcome"], "rejected");
    assert!(r.json["reason"].is_string());
    let r = h
        .call("POST", "/v1/publish", Some(r#"{"envelope":"zz"}"#))
        .await;
    assert_error(&r, 400);
    let r = h.call("POST", "/v1/publish", Some(r#"{"env":"00"}"#)).await;
    assert_error(&r, 422);
    let r = h.call("POST", "/v1/publish", Some("not json")).await;
    assert_error(&r, 400);
    let huge = format!(r#"{{"envelope":"{}"}}"#, "0".repeat(MAX_BODY_BYTES));
    let r = h.call("POST", "/v1/publish", Some(&huge)).await;
    assert_error(&r, 413);

    let r = h.call("GET", "/v1/feed", None).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let alerts = r.json["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["id"], a.id().to_hex());
    assert_eq!(alerts[0]["shown"], true);
    let r = h.call("GET", "/v1/feed?all=true", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["alerts"].as_array().unwrap().len(), 1);
    assert_error(&h.call("GET", "/v1/feed?all=maybe", None).await, 400);

    let r = h
        .call("GET", &format!("/v1/envelopes/{}", a.id()), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["bytes"], hex::encode(a.bytes()));
    assert_eq!(r.json["kind"], "alert");
    assert_eq!(r.json["body"]["type"], "alert");
    assert_eq!(r.json["author"], key(2).public().to_hex());
    let missing = format!("/v1/envelopes/{}", Id([1; 32]));
    assert_error(&h.call("GET", &missing, None).await, 404);
    let short = &a.id().to_hex()[..8].to_ascii_uppercase();
    let r = h
        .call("GET", &format!("/v1/ids?prefix={short}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["ids"], json!([a.id().to_hex()]));
    assert_error(&h.call("GET", "/v1/ids?prefix=abc", None).await, 400);
    assert_error(&h.call("GET", "/v1/ids?prefix=zzzzzzzz", None).await, 400);
    assert_error(&h.call("GET", "/v1/envelopes/xyz", None).await, 400);
}

/// Read an event stream until `want` appears in it.
async fn read_until(stream: &mut TcpStream, seen: &mut String, want: &str) {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !seen.contains(want) {
        let mut buf = [0u8; 4096];
        let n = tokio::time::timeout_at(deadline, stream.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no {want:?} in time; got {seen}"))
            .unwrap();
        assert!(n > 0, "stream closed before {want:?}; got {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[tokio::test]
async fn events_stream_newly_shown_items_and_peers() {
    let mut h = start().await;
    let now = crate::unix_now();
    let old = alert(now, "Checkpoint on Mission St");
    h.store.insert(&trust_list(now)).unwrap();
    h.store.insert(&old).unwrap();

    let mut stream = TcpStream::connect(h.addr).await.unwrap();
    let req = format!(
        "GET /v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n",
        h.host()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "event: ready").await;
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(seen.contains("text/event-stream"), "{seen}");
    read_until(&mut stream, &mut seen, r#"{"shown":1}"#).await;

    let new = alert(now, "Raid on 24th St");
    assert_eq!(h.publish(&new).await.status, 200);
    read_until(&mut stream, &mut seen, &new.id().to_hex()).await;
    assert!(seen.contains("event: item"), "{seen}");
    assert!(seen.contains(r#""type":"alert""#), "{seen}");
    assert!(seen.contains("Raid on 24th St"), "{seen}");
    // What was shown at connect time is not sent again.
    assert!(!seen.contains(&old.id().to_hex()), "{seen}");

    let peer = PeerId::random();
    h.client.events.send(Event::PeerConnected { peer }).unwrap();
    read_until(&mut stream, &mut seen, &peer.to_string()).await;
    assert!(seen.contains("event: peer"), "{seen}");
    assert!(seen.contains("peer_connected"), "{seen}");

    // Withdrawn by its author: watchers are told it is no longer shown, and why.
    let retraction = Envelope::sign(
        &key(2),
        COMMUNITY,
        &Body::Retraction(aviso_protocol::Retraction {
            target: new.id(),
            reason: aviso_protocol::RetractReason::Mistaken,
        }),
        now,
        now + 3600,
    )
    .unwrap();
    assert_eq!(h.publish(&retraction).await.status, 200);
    read_until(&mut stream, &mut seen, "event: withdrawn").await;
    read_until(&mut stream, &mut seen, r#""reason":"retracted""#).await;

    // Shutdown ends the stream, so the server can finish.
    let _ = h.stop.take().unwrap().send(());
    tokio::time::timeout(DEADLINE, &mut h.server)
        .await
        .expect("server stops with an open event stream")
        .unwrap()
        .unwrap();
}

/// A root list naming key(2) organizer and keys `members` members.
fn trust_list_with_members(now: u64, members: std::ops::Range<u8>) -> Envelope {
    let entry = |n: u8, role| TrustEntry {
        key: key(n).public(),
        role,
        label: format!("key {n}"),
        areas: vec![],
        categories: vec![],
        expires_at: None,
    };
    let mut entries = vec![entry(2, Role::Organizer)];
    entries.extend(members.map(|n| entry(n, Role::Member)));
    let list = TrustList {
        name: "Mission rapid response".into(),
        version: 1,
        entries,
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    };
    Envelope::sign(
        &key(1),
        COMMUNITY,
        &Body::TrustList(list),
        now - 60,
        now + 86_400,
    )
    .unwrap()
}

fn report(by: u8, n: usize, cell: &str, created: u64, expires: u64) -> Envelope {
    let body = Body::Report(aviso_protocol::Report {
        category: Category::Patrol,
        areas: vec![aviso_protocol::Area::parse(cell).unwrap()],
        seen_at: created,
        note: Some(aviso_protocol::ReportText {
            lang: "en".into(),
            text: format!("sighting {n}"),
        }),
    });
    Envelope::sign(&key(by), COMMUNITY, &body, created, expires).unwrap()
}

fn retract(by: u8, target: Id, now: u64) -> Envelope {
    let body = Body::Retraction(aviso_protocol::Retraction {
        target,
        reason: aviso_protocol::RetractReason::False,
    });
    Envelope::sign(&key(by), COMMUNITY, &body, now - 5, now + 86_400).unwrap()
}

/// Every page of `/v1/feed` with `query`, following `next`.
async fn all_pages(h: &Harness, query: &str) -> Vec<(FeedReply, usize)> {
    let mut pages = Vec::new();
    let mut before = String::new();
    for _ in 0..1_000 {
        let r = h
            .call("GET", &format!("/v1/feed?{query}{before}"), None)
            .await;
        assert_eq!(r.status, 200, "{}", r.json);
        let size = r.json.to_string().len();
        let reply: FeedReply = serde_json::from_value(r.json).unwrap();
        let next = reply.next.clone();
        pages.push((reply, size));
        match next {
            Some(c) => before = format!("&before={c}"),
            None => return pages,
        }
    }
    panic!("more than 1,000 pages");
}

/// With many reports stored (real sled on disk), a feed reply holds one bounded page
/// of reports; following `next` covers every report exactly once, and each report,
/// and every alert, has the verdict the whole store gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_pages_are_bounded_and_cover_every_report_once() {
    let dir = tempfile::tempdir().unwrap();
    let sled = crate::SledStore::open(&dir.path().join("store")).unwrap();
    let store: Arc<dyn Store> = Arc::new(sled);
    let now = crate::unix_now();
    let (day, hour) = (86_400, 3_600);
    store.insert(&trust_list_with_members(now, 10..18)).unwrap();
    let mut reports = Vec::new();
    for i in 0..1_050usize {
        let by = if i % 11 == 0 { 99 } else { 10 + (i % 8) as u8 }; // 99: unknown
        let cell = if i % 5 == 0 { "9q9pp" } else { "9q8yy" }; // 9q9pp: elsewhere
        // Three at a time share a second: the id breaks the tie.
        let created = now - 10 * (i / 3) as u64 - 60;
        let (created, expires) = if i % 7 == 0 {
            (created - 3 * day, now - day)
        } else {
            (created, now + day)
        };
        reports.push(report(by, i, cell, created, expires));
    }
    let mut others = Vec::new();
    for (i, r) in reports.iter().enumerate() {
        if i % 13 == 0 {
            others.push(retract(r.author().0[0], r.id(), now)); // by its author
        } else if i % 17 == 0 {
            others.push(retract(2, r.id(), now)); // dismissed by the organizer
        } else if i % 23 == 0 {
            others.push(retract(12, r.id(), now)); // by someone without authority
        }
    }
    let confirmed: Vec<Id> = reports.iter().step_by(19).map(|r| r.id()).collect();
    for (n, ids) in confirmed.chunks(30).enumerate() {
        let mut a = alert(now, &format!("confirmed {n}"));
        let Body::Alert(mut body) = a.body().clone() else {
            unreachable!()
        };
        body.confirms = ids.to_vec();
        a = Envelope::sign(
            &key(2),
            COMMUNITY,
            &Body::Alert(body),
            now - hour,
            now + day,
        )
        .unwrap();
        others.push(a);
    }
    for e in reports.iter().chain(&others) {
        assert!(store.insert(e).unwrap());
    }
    store.flush().unwrap();
    let here = vec![aviso_protocol::Area::parse("9q8yy").unwrap()];
    let settings = FeedSettings {
        follow: vec![key(1).public()],
        areas: here.clone(),
        languages: vec!["en".into()],
    };
    // The reference: the display rule over the whole store, as before pages.
    let whole = aviso_protocol::compute_feed(&store.all().unwrap(), &settings, now);
    let h = start_on(store.clone(), here).await;

    let check = |pages: &[(FeedReply, usize)], per_page: usize, mut want: Vec<Id>| {
        let mut got = Vec::new();
        for (page, size) in pages {
            assert!(page.feed.reports.len() <= per_page);
            // Bounded: a page of small reports and a few alerts, not the store.
            assert!(*size < (per_page + 50) * 2_000, "{size} bytes");
            assert_eq!(page.feed.alerts.len(), whole.alerts.len());
            for r in &page.feed.reports {
                let reference = whole.reports.iter().find(|w| w.id == r.id).unwrap();
                assert_eq!(r, reference, "same verdict as over the whole store");
                got.push(r.id);
            }
        }
        let unique: HashSet<Id> = got.iter().copied().collect();
        assert_eq!(unique.len(), got.len(), "no report twice");
        got.sort();
        want.sort();
        assert_eq!(got, want, "every report once");
    };

    // Everything, hidden too, 100 at a time.
    let pages = all_pages(&h, "all=true&reports=100").await;
    assert_eq!(pages.len(), 11);
    check(&pages, 100, reports.iter().map(|r| r.id()).collect());
    for (page, _) in &pages {
        assert_eq!(page.feed.alerts, whole.alerts);
    }
    // What is shown, 37 at a time: exactly the shown reports, newest first.
    let pages = all_pages(&h, "reports=37").await;
    let shown: Vec<Id> = whole
        .reports
        .iter()
        .filter(|r| r.shown)
        .map(|r| r.id)
        .collect();
    assert!(shown.len() > 300, "{}", shown.len());
    let confirmed_shown = whole.reports.iter().filter(|r| {
        r.shown && matches!(r.state, aviso_protocol::feed::ReportState::Confirmed { .. })
    });
    assert!(confirmed_shown.count() > 10);
    check(&pages, 37, shown);
    let order: Vec<(u64, Id)> = pages
        .iter()
        .flat_map(|(p, _)| p.feed.reports.iter().map(|r| (r.created_at, r.id)))
        .collect();
    assert!(order.windows(2).all(|w| w[0] > w[1]), "newest first");

    // The default page is bounded; `reports=0` gives alerts and resources only.
    // (Up to the page size: reports hidden for reasons that need the rest of the store,
    // such as a retraction or an unknown author, are judged after the page is read.)
    let r = h.call("GET", "/v1/feed", None).await;
    let n = r.json["reports"].as_array().unwrap().len();
    assert!(
        n > DEFAULT_PAGE_REPORTS / 2 && n <= DEFAULT_PAGE_REPORTS,
        "{n}"
    );
    assert!(r.json["next"].is_string());
    let r = h.call("GET", "/v1/feed?reports=0", None).await;
    assert_eq!(r.json["reports"].as_array().unwrap().len(), 0);
    assert!(r.json["next"].is_null());
    assert_eq!(
        r.json["alerts"].as_array().unwrap().len(),
        whole.alerts.len()
    );
    let too_many = format!("/v1/feed?reports={}", MAX_PAGE_REPORTS + 1);
    assert_error(&h.call("GET", &too_many, None).await, 400);
    assert_error(&h.call("GET", "/v1/feed?before=xyz", None).await, 400);
    assert_error(&h.call("GET", "/v1/feed?reports=-1", None).await, 400);
}

/// An event stream follows the newest shown reports: one pushed out of that window by
/// newer ones leaves it quietly and is no longer followed (its memory stays bounded);
/// one withdrawn inside it is announced; an older one that enters the window because
/// newer ones expired is not news; a newly arrived old one is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_follow_a_window_of_reports() {
    let dir = tempfile::tempdir().unwrap();
    let sled = crate::SledStore::open(&dir.path().join("store")).unwrap();
    let store: Arc<dyn Store> = Arc::new(sled);
    let now = crate::unix_now();
    store.insert(&trust_list_with_members(now, 10..11)).unwrap();
    // Newest first: reports[0] is the newest; the two newest expire in 2 s.
    let soon = now + 2;
    let reports: Vec<Envelope> = (0..WATCH_REPORTS + 1)
        .map(|i| {
            let expires = if i < 2 { soon } else { now + 86_400 };
            report(10, i, "9q8yy", now - 100 - i as u64, expires)
        })
        .collect();
    for r in &reports {
        store.insert(r).unwrap();
    }
    let h = start_on(store, vec![]).await;
    let mut stream = TcpStream::connect(h.addr).await.unwrap();
    let req = format!(
        "GET /v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n",
        h.host()
    );
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut seen = String::new();
    let shown = format!(r#"{{"shown":{WATCH_REPORTS}}}"#);
    read_until(&mut stream, &mut seen, &shown).await;

    // A new report: announced; the oldest in the window leaves it quietly.
    let left = &reports[WATCH_REPORTS - 1];
    let fresh = report(10, 9_000, "9q8yy", now - 10, now + 86_400);
    assert_eq!(h.publish(&fresh).await.status, 200);
    read_until(&mut stream, &mut seen, &fresh.id().to_hex()).await;
    // A report older than all, caught up late: announced all the same.
    let late = report(10, 9_001, "9q8yy", now - 100_000, now + 86_400);
    assert_eq!(h.publish(&late).await.status, 200);
    read_until(&mut stream, &mut seen, &late.id().to_hex()).await;
    // Retracted: inside the window, withdrawn; the one that left is not followed.
    assert_eq!(h.publish(&retract(10, left.id(), now)).await.status, 200);
    let inside = &reports[3];
    assert_eq!(h.publish(&retract(10, inside.id(), now)).await.status, 200);
    read_until(&mut stream, &mut seen, &inside.id().to_hex()).await;
    let at = seen.find(&inside.id().to_hex()).unwrap();
    assert!(seen[..at].ends_with("event: withdrawn\nid: "), "{seen}");

    // The two newest expire: withdrawn at the next recomputation (an alert triggers
    // it), and the window reaches back to reports[WATCH_REPORTS], never shown: not news.
    wait_until_clock_passes(soon).await;
    let trigger = alert(crate::unix_now(), "Checkpoint on Mission St");
    assert_eq!(h.publish(&trigger).await.status, 200);
    read_until(&mut stream, &mut seen, &trigger.id().to_hex()).await;
    for r in &reports[..2] {
        read_until(&mut stream, &mut seen, &r.id().to_hex()).await;
    }
    let below = &reports[WATCH_REPORTS];
    assert!(!seen.contains(&left.id().to_hex()), "{seen}");
    assert!(!seen.contains(&below.id().to_hex()), "{seen}");
    assert_eq!(seen.matches("event: item").count(), 3, "{seen}");
    assert_eq!(seen.matches("event: withdrawn").count(), 3, "{seen}");

    let mut h = h;
    let _ = h.stop.take().unwrap().send(());
    tokio::time::timeout(DEADLINE, &mut h.server)
        .await
        .expect("server stops")
        .unwrap()
        .unwrap();
}

/// Wait (at most a few seconds) until the clock has passed `t`: for a test whose
/// envelopes must expire.
async fn wait_until_clock_passes(t: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while crate::unix_now() <= t {
        assert!(tokio::time::Instant::now() < deadline, "the clock stopped");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[test]
fn token_comparison() {
    assert!(token_matches(b"abc", b"abc"));
    assert!(!token_matches(b"abc", b"abd"));
    assert!(!token_matches(b"abc", b"ab"));
    assert!(!token_matches(b"ab", b"abc"));
    // An empty token (a damaged home) lets nobody in.
    assert!(!token_matches(b"", b""));
}

/// Every `$ref` in `v`.
fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v.as_str()) {
                    ("$ref", Some(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The status of `method path` with the right Host and token, from the response head
/// alone (an event stream never ends).
async fn probe(h: &Harness, method: &str, path: &str) -> (u16, String) {
    let body = if method == "GET" { "" } else { "{}" };
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        h.host(),
        body.len()
    );
    let mut stream = TcpStream::connect(h.addr).await.unwrap();
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut seen = String::new();
    read_until(&mut stream, &mut seen, "\r\n\r\n").await;
    let status = seen.split(' ').nth(1).unwrap().parse().unwrap();
    if status == 404 {
        // The body tells a missing route from a missing envelope.
        read_until(&mut stream, &mut seen, r#""hint""#).await;
    }
    (status, seen)
}

/// The OpenAPI document the API serves is a valid OpenAPI 3.1 document (it parses with
/// `oas3`, every reference resolves), it lists exactly the routes of [`Route::ALL`]
/// (which the typed client calls) with their methods, and the router serves each of
/// them with exactly those methods.
#[tokio::test]
async fn openapi_document_lists_every_route_and_validates() {
    let h = start().await;
    let r = h.call("GET", wire::paths::OPENAPI, None).await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json, serde_json::to_value(openapi()).unwrap());
    // (a) Structurally valid.
    let text = r.json.to_string();
    let spec = oas3::from_json(&text).expect("an OpenAPI 3.1 document");
    spec.validate_version()
        .expect("a supported OpenAPI version");
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);
    let mut all_refs = Vec::new();
    refs(&r.json, &mut all_refs);
    assert!(!all_refs.is_empty());
    for reference in all_refs {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {reference}"));
        assert!(
            r.json["components"]["schemas"][name].is_object(),
            "{reference} does not resolve"
        );
    }
    // Protocol types are described field by field (aviso-protocol's `openapi` feature),
    // not as plain objects.
    let schemas = &r.json["components"]["schemas"];
    for field in [
        "category",
        "severity",
        "msg_type",
        "references",
        "areas",
        "info",
    ] {
        assert!(
            schemas["Alert"]["properties"][field].is_object(),
            "Alert.{field}: {}",
            schemas["Alert"]
        );
    }
    for name in [
        "Body",
        "Report",
        "Resource",
        "TrustList",
        "Reason",
        "AlertItem",
    ] {
        assert!(schemas[name].is_object(), "no schema {name}");
    }
    let mut documented = HashSet::new();
    for (path, method, op) in spec.operations() {
        assert!(op.parameters(&spec).is_ok(), "{method} {path}");
        assert!(op.request_body(&spec).is_ok(), "{method} {path}");
        let responses = op.responses(&spec);
        assert!(!responses.is_empty(), "{method} {path} has no responses");
        assert!(responses.contains_key("200"), "{method} {path}");
        for (code, resp) in &responses {
            for media in resp.content.values() {
                assert!(media.schema(&spec).is_ok(), "{method} {path} {code}");
            }
        }
        documented.insert((method.as_str().to_owned(), path));
    }
    // (b), (c) The document lists exactly the routes the client calls.
    let listed: HashSet<(String, String)> = Route::ALL
        .iter()
        .map(|r| (r.method().to_owned(), r.path().to_owned()))
        .collect();
    assert_eq!(
        documented, listed,
        "a route is served without a `Route` (and an `ApiClient` method), or the reverse"
    );
    // (b) The router serves each with exactly those methods: no fallback answers them,
    // and the other methods of their paths are refused.
    let id = Id([7; 32]).to_hex();
    for route in Route::ALL {
        let path = route.path().replace("{id}", &id);
        let (status, head) = probe(&h, route.method(), &path).await;
        assert!(
            status != 405 && !head.contains("no such endpoint"),
            "{} {} is not served: {head}",
            route.method(),
            route.path()
        );
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            let served = Route::ALL
                .iter()
                .any(|r| r.path() == route.path() && r.method() == method);
            if !served {
                let (status, _) = probe(&h, method, &path).await;
                assert_eq!(status, 405, "{method} {}", route.path());
            }
        }
    }
    // Behind the same guards as everything else.
    let host = ("Host", h.host());
    let r = h.raw("GET", wire::paths::OPENAPI, &[host], None).await;
    assert_error(&r, 401);
}

/// Writes the document for people to look at: `AVISO_OPENAPI_OUT=FILE cargo test ...`.
#[test]
fn openapi_document_can_be_written() {
    if let Some(path) = std::env::var_os("AVISO_OPENAPI_OUT") {
        std::fs::write(path, openapi().to_pretty_json().unwrap()).unwrap();
    }
}
