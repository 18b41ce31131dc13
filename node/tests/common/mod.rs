//! Real nodes on 127.0.0.1 in one process: sled stores in temporary directories,
//! real libp2p swarms over TCP, seeded keys.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aviso_node::net::sync::SyncStats;
use aviso_node::net::{self, Client, NetConfig};
use aviso_node::pipeline::{Outcome, Pipeline};
use aviso_node::{SledStore, Store};
use aviso_protocol::*;
use libp2p::{Multiaddr, PeerId, identity};
use tokio::sync::broadcast;

pub use aviso_protocol::fixtures::{HOUR, key};

pub fn now() -> u64 {
    aviso_node::unix_now()
}

/// A community with root key `key(1)`, an organizer `key(2)` and a member `key(3)`.
pub struct World {
    pub community: Community,
    pub root: SecretKey,
    pub org: SecretKey,
    pub member: SecretKey,
}

impl World {
    pub fn new() -> Self {
        let root = key(1);
        World {
            community: fixtures::community(&root, 42, "Test community"),
            root,
            org: key(2),
            member: key(3),
        }
    }

    pub fn sign(&self, sk: &SecretKey, body: Body, ttl: u64) -> Envelope {
        fixtures::sign(sk, self.community.id, &body, now(), ttl)
    }

    pub fn trust_list(&self, version: u64, revoked: Vec<Revocation>) -> Envelope {
        self.trust_list_with(version, &[&self.org], revoked)
    }

    pub fn alert(&self, sk: &SecretKey, headline: &str) -> Envelope {
        self.sign(sk, Body::Alert(alert_body(headline)), 24 * HOUR)
    }

    pub fn settings(&self) -> FeedSettings {
        FeedSettings {
            follow: self.community.roots.clone(),
            areas: vec![],
            languages: vec!["en".into()],
        }
    }
}

impl World {
    /// A root trust list naming `organizers` as organizers and the member, revoking
    /// `revoked`. Every fixture key of a test can be listed this way.
    pub fn trust_list_with(
        &self,
        version: u64,
        organizers: &[&SecretKey],
        revoked: Vec<Revocation>,
    ) -> Envelope {
        let entry = |sk: &SecretKey, role| fixtures::entry(sk.public(), role, "test");
        let mut entries: Vec<TrustEntry> = organizers
            .iter()
            .map(|sk| entry(sk, Role::Organizer))
            .collect();
        entries.push(entry(&self.member, Role::Member));
        let mut list = fixtures::trust_list("Test list", version, entries);
        list.revoked = revoked;
        self.sign(&self.root, Body::TrustList(list), 300 * 24 * HOUR)
    }

    /// An alert of `msg_type` that applies to `target` (update, cancel or all-clear).
    pub fn lifecycle(&self, sk: &SecretKey, msg_type: MsgType, target: Id) -> Envelope {
        let mut body = alert_body(&format!("{msg_type:?} of {}", target.short()));
        body.msg_type = msg_type;
        body.references = vec![target];
        self.sign(sk, Body::Alert(body), 24 * HOUR)
    }

    /// An endorsement of `alert`.
    pub fn endorse(&self, sk: &SecretKey, alert: Id) -> Envelope {
        self.sign(sk, Body::Endorsement(Endorsement { alert }), 24 * HOUR)
    }

    /// A member's report.
    pub fn report(&self, sk: &SecretKey, text: &str) -> Envelope {
        let body = fixtures::report(Category::Patrol, &["9q8yy"], now(), "en", text);
        self.sign(sk, Body::Report(body), 24 * HOUR)
    }
}

/// `env`'s bytes with the last signature byte flipped: decodes, never verifies.
pub fn with_bad_signature(env: &Envelope) -> Vec<u8> {
    let mut bytes = env.bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last ^= 0xff;
    }
    bytes
}

pub fn alert_body(headline: &str) -> Alert {
    fixtures::raid(headline, "d", "i")
}

pub struct TestNode {
    pub client: Client,
    pub pipeline: Arc<Pipeline>,
    pub store: Arc<SledStore>,
    pub peer_id: PeerId,
    pub addr: Multiaddr,
    pub handle: tokio::task::JoinHandle<()>,
}

impl TestNode {
    /// Start a node with its store in `dir`, listening on a free loopback TCP port.
    pub async fn start(
        dir: &Path,
        seed: u8,
        community: &Community,
        bootstrap: Vec<Multiaddr>,
    ) -> TestNode {
        Self::start_with(
            dir,
            seed,
            Some(community.clone()),
            bootstrap,
            Duration::from_secs(300),
        )
        .await
    }

    pub async fn start_with(
        dir: &Path,
        seed: u8,
        community: Option<Community>,
        bootstrap: Vec<Multiaddr>,
        sync_interval: Duration,
    ) -> TestNode {
        Self::start_tuned(dir, seed, community, bootstrap, |cfg| {
            cfg.sync_interval = sync_interval
        })
        .await
    }

    /// [`TestNode::start_with`] with the network settings changed by `tune`.
    pub async fn start_tuned(
        dir: &Path,
        seed: u8,
        community: Option<Community>,
        bootstrap: Vec<Multiaddr>,
        tune: impl FnOnce(&mut NetConfig),
    ) -> TestNode {
        init_logs();
        let store = Arc::new(SledStore::open(&dir.join("store")).expect("store opens"));
        let (events, _) = broadcast::channel(1024);
        let dyn_store: Arc<dyn Store> = store.clone();
        let pipeline = Pipeline::new(dyn_store, community, events.clone()).expect("pipeline");
        let keypair = identity::Keypair::ed25519_from_bytes([seed; 32]).expect("node key");
        let peer_id = keypair.public().to_peer_id();
        let mut cfg = NetConfig {
            listen: vec!["/ip4/127.0.0.1/tcp/0".parse().expect("addr")],
            bootstrap,
            mdns: false,
            ..NetConfig::default()
        };
        tune(&mut cfg);
        let (client, handle) = net::spawn(keypair, cfg, pipeline.clone(), events).expect("spawns");
        let addr = wait_for("a listen address", Duration::from_secs(10), || async {
            client
                .status()
                .await
                .ok()?
                .listen_addrs
                .first()?
                .parse::<Multiaddr>()
                .ok()
        })
        .await;
        let addr = addr.with_p2p(peer_id).expect("adds peer id");
        TestNode {
            client,
            pipeline,
            store,
            peer_id,
            addr,
            handle,
        }
    }

    pub async fn publish(&self, env: &Envelope) -> Outcome {
        self.client
            .publish(env.bytes().to_vec())
            .await
            .expect("node running")
    }

    pub fn has(&self, id: &Id) -> bool {
        self.store.contains(id).expect("store readable")
    }

    pub async fn peers(&self) -> Vec<String> {
        self.client
            .status()
            .await
            .map(|s| s.peers.into_iter().map(|p| p.peer_id).collect())
            .unwrap_or_default()
    }

    pub async fn wait_connected(&self, other: &PeerId) {
        let want = other.to_string();
        wait_for("a connection", Duration::from_secs(20), || async {
            self.peers().await.contains(&want).then_some(())
        })
        .await;
    }

    pub async fn wait_has(&self, id: &Id, what: &str) {
        wait_for(what, Duration::from_secs(30), || async {
            self.has(id).then_some(())
        })
        .await;
    }

    /// Ids of the stored, unexpired envelopes: what this node offers in a sync.
    pub fn sync_set(&self) -> BTreeSet<Id> {
        self.store
            .sync_items(now())
            .expect("store readable")
            .into_iter()
            .map(|(_, id)| id)
            .collect()
    }

    /// The last catch-up session with `peer`, while it is connected.
    pub async fn last_sync(&self, peer: &PeerId) -> Option<SyncStats> {
        let want = peer.to_string();
        self.client
            .status()
            .await
            .ok()?
            .peers
            .into_iter()
            .find(|p| p.peer_id == want)?
            .last_sync
    }

    /// Publish `envs` concurrently (the ingest worker batches them); outcomes in order.
    pub async fn publish_all(&self, envs: &[Envelope]) -> Vec<Outcome> {
        futures::future::join_all(envs.iter().map(|e| self.publish(e))).await
    }

    pub fn feed(&self, settings: &FeedSettings) -> Feed {
        compute_feed(&self.store.all().expect("store readable"), settings, now())
    }

    pub async fn stop(self) {
        self.client.shutdown().await.expect("shuts down");
        self.handle.await.expect("loop ends");
        // Release sled's lock before a restart on the same directory.
        drop(self.pipeline);
        drop(self.client);
        for _ in 0..100 {
            if Arc::strong_count(&self.store) == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Logs to stderr when `RUST_LOG` is set (`RUST_LOG=aviso_node=debug cargo test ...`).
pub fn init_logs() {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

/// Poll `check` every 100 ms until it yields a value, at most `limit`.
pub async fn wait_for<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A bare gossipsub swarm on the community topic, dialing `to`: no validation, no
/// pipeline. Tests use it as a hostile or listening peer.
pub fn raw_gossip_swarm(
    community: &CommunityId,
    to: &Multiaddr,
    heartbeat: Duration,
) -> (
    libp2p::Swarm<libp2p::gossipsub::Behaviour>,
    libp2p::gossipsub::IdentTopic,
) {
    use libp2p::gossipsub;
    let cfg = gossipsub::ConfigBuilder::default()
        .validation_mode(gossipsub::ValidationMode::Anonymous)
        .message_id_fn(|m: &gossipsub::Message| aviso_node::net::gossip_message_id(&m.data))
        .max_transmit_size(1024 * 1024)
        .heartbeat_interval(heartbeat)
        .build()
        .expect("config");
    let mut swarm = tcp_swarm(Duration::from_secs(60), |_| {
        gossipsub::Behaviour::new(gossipsub::MessageAuthenticity::Anonymous, cfg)
            .expect("behaviour")
    });
    let topic = aviso_node::net::topic_for(community);
    swarm.behaviour_mut().subscribe(&topic).expect("subscribes");
    swarm.dial(to.clone()).expect("dials");
    (swarm, topic)
}

/// A request-response codec for a hostile peer that sends raw requests and never reads
/// an answer: the stream stays open and unread until one side times out.
#[derive(Debug, Clone, Copy, Default)]
pub struct NeverRead;

impl libp2p::request_response::Codec for NeverRead {
    type Protocol = libp2p::StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &Self::Protocol, _: &mut T) -> std::io::Result<Vec<u8>>
    where
        T: futures::AsyncRead + Unpin + Send,
    {
        Err(std::io::Error::other("this peer only asks"))
    }

    async fn read_response<T>(&mut self, _: &Self::Protocol, _: &mut T) -> std::io::Result<Vec<u8>>
    where
        T: futures::AsyncRead + Unpin + Send,
    {
        futures::future::pending().await
    }

    async fn write_request<T>(
        &mut self,
        _: &Self::Protocol,
        io: &mut T,
        req: Vec<u8>,
    ) -> std::io::Result<()>
    where
        T: futures::AsyncWrite + Unpin + Send,
    {
        use futures::AsyncWriteExt;
        io.write_all(&req).await
    }

    async fn write_response<T>(
        &mut self,
        _: &Self::Protocol,
        _: &mut T,
        _: Vec<u8>,
    ) -> std::io::Result<()>
    where
        T: futures::AsyncWrite + Unpin + Send,
    {
        Err(std::io::Error::other("this peer only asks"))
    }
}

/// A swarm with a fresh peer id that speaks only `/aviso/fetch/1`, as a client that
/// never reads the answers, dialing `to`. Its own requests never time out.
pub fn never_reading_swarm(
    to: &Multiaddr,
) -> libp2p::Swarm<libp2p::request_response::Behaviour<NeverRead>> {
    use libp2p::request_response::{self, ProtocolSupport};
    let cfg = request_response::Config::default()
        .with_request_timeout(Duration::from_secs(3600))
        .with_max_concurrent_streams(1024);
    let mut swarm = tcp_swarm(Duration::from_secs(3600), |_| {
        request_response::Behaviour::with_codec(
            NeverRead,
            [(
                aviso_node::net::sync::FETCH_PROTOCOL,
                ProtocolSupport::Outbound,
            )],
            cfg,
        )
    });
    swarm.dial(to.clone()).expect("dials");
    swarm
}

/// A bare swarm over TCP (noise, yamux) with a fresh peer id and `behaviour`, for peers
/// that are not Aviso nodes: hostile ones, or clients of other implementations.
pub fn tcp_swarm<B: libp2p::swarm::NetworkBehaviour>(
    idle: Duration,
    behaviour: impl FnOnce(&identity::Keypair) -> B,
) -> libp2p::Swarm<B> {
    use libp2p::{noise, tcp, yamux};
    libp2p::SwarmBuilder::with_existing_identity(identity::Keypair::generate_ed25519())
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .expect("tcp")
        .with_behaviour(|key| behaviour(key))
        .expect("behaviour")
        .with_swarm_config(|c| c.with_idle_connection_timeout(idle))
        .build()
}

/// A large alert, near the envelope limit: seven languages of the longest texts.
pub fn large_alert(w: &World, sk: &SecretKey, n: usize) -> Envelope {
    let mut body = alert_body(&format!("large {n}"));
    body.info = ["en", "es", "fr", "de", "it", "pt", "nl"]
        .iter()
        .map(|lang| Info {
            lang: (*lang).into(),
            headline: format!("{n:0>256}"),
            description: "d".repeat(aviso_protocol::limits::MAX_TEXT),
            instruction: "i".repeat(aviso_protocol::limits::MAX_TEXT),
        })
        .collect();
    w.sign(sk, Body::Alert(body), 24 * HOUR)
}
