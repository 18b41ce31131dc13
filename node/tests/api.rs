//! The typed API client against a real node: the daemon (sled store on disk, libp2p swarm
//! on 127.0.0.1, the HTTP API) in this process, every client method over real HTTP.

mod common;

use std::path::Path;
use std::time::Duration;

use aviso_node::api::wire::{ApiEvent, FeedQuery, ItemEvent, Outcome, Route};
use aviso_node::api::{ApiClient, ClientError};
use aviso_node::member_key::{self, KdfCost};
use aviso_node::{Config, Home};
use aviso_protocol::{Area, Body, Category, Envelope, Id, Report};
use common::World;
use futures::StreamExt;
use tokio::sync::oneshot;

/// Longest wait for anything in these tests.
const DEADLINE: Duration = Duration::from_secs(30);

/// A node running on `dir` until the sender is used or dropped.
struct Node {
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), aviso_node::daemon::DaemonError>>,
}

fn start(dir: &Path, w: &World) -> Node {
    let mut home = Home::open(dir).expect("a home");
    home.unlock(&[aviso_node::at_rest::Secret::KeyFile(
        dir.join("test-data.key"),
    )])
    .expect("the data key");
    let mut config = Config::defaults().expect("defaults");
    config.listen = vec!["/ip4/127.0.0.1/tcp/0".into()];
    config.api_listen = "127.0.0.1:0".into();
    config.mdns = false;
    config.community = Some(w.community.to_invite());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(aviso_node::daemon::run(home, config, async move {
        let _ = stopped.await;
    }));
    Node {
        stop: Some(stop),
        task,
    }
}

/// A client of the node on `dir`, once its API answers.
async fn connect(dir: &Path) -> ApiClient {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Ok(api) = ApiClient::connect(dir)
            && api.status().await.is_ok()
        {
            return api;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the node never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The next event of `events` that `want` accepts, within the deadline.
async fn next_matching(
    events: &mut aviso_node::api::EventStream,
    mut want: impl FnMut(&ApiEvent) -> bool,
) -> ApiEvent {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.next())
            .await
            .expect("the event in time")
            .expect("the stream is open")
            .expect("a well-formed event");
        if want(&ev) {
            return ev;
        }
    }
}

fn assert_api_error(e: ClientError, status: u16) {
    match e {
        ClientError::Api {
            status: got,
            ref error,
            ref hint,
        } => {
            assert_eq!(got, status, "{e}");
            assert!(!error.is_empty() && !hint.is_empty(), "{e}");
        }
        e => panic!("expected an API error {status}, got {e:?}"),
    }
}

/// Every route through the typed client, on a real node; then the client says it called
/// every route of the API (a new route without a client method and a call here fails).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_typed_client_drives_every_route_of_a_real_node() {
    let w = World::new();
    let dir = tempfile::tempdir().unwrap();
    // No node yet: a distinguishable error, so commands can save for later.
    let e = ApiClient::connect(dir.path()).unwrap_err();
    assert!(e.is_not_running(), "{e:?}");

    let mut node = start(dir.path(), &w);
    let api = connect(dir.path()).await;

    let status = api.status().await.unwrap();
    assert_eq!(status.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(status.peers, 0);
    assert!(!status.listen_addrs.is_empty());
    let community = status.community.expect("the community");
    assert_eq!(community.id, w.community.id.to_hex());
    assert_eq!(community.roots, vec![w.root.public().to_hex()]);
    assert!(api.peers().await.unwrap().peers.is_empty());

    // Settings: the community's roots are followed; a change applies at once.
    let mut settings = api.settings().await.unwrap();
    assert_eq!(settings.follow, vec![w.root.public()]);
    settings.languages = vec!["en".into(), "es".into()];
    assert_eq!(api.put_settings(&settings).await.unwrap(), settings);
    assert_eq!(api.settings().await.unwrap(), settings);
    let mut bad = settings.clone();
    bad.areas = vec![Area::parse("9q8yy").unwrap()];
    bad.languages = vec!["not a language tag".into()];
    assert_api_error(api.put_settings(&bad).await.unwrap_err(), 422);

    // The event stream starts with `ready`, then shows what is published.
    let mut events = api.events().await.unwrap();
    let first = next_matching(&mut events, |_| true).await;
    assert_eq!(
        first,
        ApiEvent::Ready(aviso_node::api::wire::ReadyEvent { shown: 0 })
    );

    let list = w.trust_list(1, vec![]);
    let alert = w.alert(&w.org, "Raid on 24th St");
    let reply = api.publish(list.bytes()).await.unwrap();
    assert!(
        matches!(reply.outcome, Outcome::Accepted { .. }),
        "{reply:?}"
    );
    let reply = api.publish(alert.bytes()).await.unwrap();
    assert_eq!(
        reply.outcome,
        Outcome::Accepted {
            id: alert.id(),
            kind: alert.kind()
        }
    );
    assert_eq!(reply.error, None);
    let reply = api.publish(alert.bytes()).await.unwrap();
    assert_eq!(reply.outcome, Outcome::Duplicate { id: alert.id() });
    // Not stored: still a reply, with the outcome, what went wrong and what to do.
    let reply = api.publish(&[1, 2, 3]).await.unwrap();
    assert!(
        matches!(reply.outcome, Outcome::Rejected { .. }),
        "{reply:?}"
    );
    assert!(reply.error.is_some() && reply.hint.is_some(), "{reply:?}");

    let shown = next_matching(&mut events, |e| matches!(e, ApiEvent::Item(_))).await;
    let ApiEvent::Item(item) = shown else {
        panic!("expected an item, got {shown:?}");
    };
    let ItemEvent::Alert(item) = *item else {
        panic!("expected an alert");
    };
    assert_eq!(item.id, alert.id());
    assert!(item.shown);
    assert_eq!(item.alert.info[0].headline, "Raid on 24th St");

    // The feed, shown items and all of them.
    let feed = api.feed(&FeedQuery::default()).await.unwrap();
    assert_eq!(feed.feed.alerts.len(), 1);
    assert_eq!(feed.feed.alerts[0].id, alert.id());
    assert_eq!(feed.next, None);
    let query = FeedQuery {
        all: true,
        reports: Some(10),
        before: None,
    };
    assert_eq!(api.feed(&query).await.unwrap().feed.alerts.len(), 1);
    let too_many = FeedQuery {
        reports: Some(10_000),
        ..FeedQuery::default()
    };
    assert_api_error(api.feed(&too_many).await.unwrap_err(), 400);
    let bad_cursor = FeedQuery {
        before: Some("xyz".into()),
        ..FeedQuery::default()
    };
    assert_api_error(api.feed(&bad_cursor).await.unwrap_err(), 400);

    // Envelopes and ids.
    let env = api.envelope(&alert.id()).await.unwrap();
    assert_eq!(env.bytes, hex::encode(alert.bytes()));
    assert_eq!(env.author, w.org.public());
    assert_eq!(&env.body, alert.body());
    assert_api_error(api.envelope(&Id([9; 32])).await.unwrap_err(), 404);
    let prefix = &alert.id().to_hex()[..8];
    assert_eq!(api.ids(prefix).await.unwrap().ids, vec![alert.id()]);
    assert_api_error(api.ids("abc").await.unwrap_err(), 400);

    // Responses: the live alert has an empty tally; another id is no live alert.
    let answers = api.responses(&alert.id()).await.unwrap();
    assert_eq!((answers.thread, answers.tally.responding), (alert.id(), 0));
    assert_api_error(api.responses(&Id([9; 32])).await.unwrap_err(), 404);

    // Trust, sync, export, the document.
    let trust = api.trust().await.unwrap();
    assert_eq!(trust.lists.len(), 1);
    assert_eq!(trust.lists[0].id, list.id());
    assert!(trust.keys.iter().any(|k| k.key == w.org.public()));
    assert_eq!(api.sync().await.unwrap().started, 0);
    let export = api.export().await.unwrap();
    let mut want = vec![hex::encode(list.bytes()), hex::encode(alert.bytes())];
    let mut got = export.envelopes.clone();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    let doc = api.openapi().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");

    // The key agent: no key file yet, then a wrong passphrase, then signing once
    // unlocked, and nothing after locking.
    let report = Body::Report(Report {
        category: Category::Patrol,
        areas: vec![Area::parse("9q8yy").unwrap()],
        seen_at: aviso_node::unix_now(),
        note: None,
    });
    let now = aviso_node::unix_now();
    assert!(!api.agent().await.unwrap().unlocked);
    assert_api_error(api.unlock("pw").await.unwrap_err(), 404);
    let fast = KdfCost {
        m_cost_kib: 8,
        t_cost: 1,
        p_cost: 1,
    };
    let member = aviso_protocol::fixtures::key(77);
    let kf = member_key::seal_new(&member, b"pw", fast).unwrap();
    member_key::write(dir.path(), &kf).unwrap();
    assert_api_error(api.unlock("wrong").await.unwrap_err(), 422);
    assert_api_error(api.sign(&report, now, now + 3600).await.unwrap_err(), 409);
    let unlocked = api.unlock("pw").await.unwrap();
    assert!(unlocked.unlocked);
    assert_eq!(unlocked.public_key, Some(member.public().to_hex()));
    let signed = Envelope::decode(&api.sign(&report, now, now + 3600).await.unwrap()).unwrap();
    assert_eq!(signed.author(), member.public());
    assert_eq!(signed.community(), w.community.id);
    assert!(!api.lock().await.unwrap().unlocked);
    assert_api_error(api.sign(&report, now, now + 3600).await.unwrap_err(), 409);
    let link = api.web_signin().await.unwrap();
    assert!(link.url.contains("/signin?code="), "{}", link.url);
    // Phones: the LAN listener is off here, so no pairing code; no devices to revoke.
    assert_api_error(api.web_pair().await.unwrap_err(), 409);
    assert!(api.web_devices().await.unwrap().devices.is_empty());
    assert_api_error(api.web_revoke("0badc0de").await.unwrap_err(), 404);

    // A wrong token: refused, with what to do.
    let addr = api
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let stranger = ApiClient::new(addr, "0".repeat(64)).unwrap();
    assert_api_error(stranger.status().await.unwrap_err(), 401);
    assert_api_error(stranger.events().await.err().unwrap(), 401);

    // Last, the panic wipe: the keys and the store are gone, and the node stops by itself.
    api.panic().await.unwrap();
    assert!(!dir.path().join("data.key").exists());
    assert!(!dir.path().join("member.key").exists());

    assert_eq!(
        api.routes_used(),
        Route::ALL.to_vec(),
        "every route of the API is called here through the typed client"
    );

    // The node stops: the event stream ends, and the home has no running node.
    drop(node.stop.take());
    tokio::time::timeout(DEADLINE, &mut node.task)
        .await
        .expect("the node stops")
        .unwrap()
        .unwrap();
    let end = tokio::time::timeout(DEADLINE, async {
        while let Some(r) = events.next().await {
            if r.is_err() {
                break;
            }
        }
    });
    end.await.expect("the event stream ends with the node");
    let e = ApiClient::connect(dir.path()).unwrap_err();
    assert!(e.is_not_running(), "{e:?}");
    // A stale api.addr (a node that died without cleaning up): not running either.
    std::fs::write(dir.path().join("api.addr"), addr.to_string()).unwrap();
    let e = match ApiClient::connect(dir.path()) {
        Ok(api) => api.status().await.unwrap_err(),
        Err(e) => e,
    };
    assert!(e.is_not_running(), "{e:?}");
}
