//! Fixtures shared by the fuzz targets and by the seed generator (`src/bin/seeds.rs`):
//! real objects of every kind, made by code with fixed keys and times, so every seed is
//! something a real node sends or reads, and every run starts from the same corpus.
//!
//! - [`bodies`], [`envelopes`]: one body of every kind and shape, signed.
//! - [`communities`]: communities whose invite codes are seeds.
//! - [`cap_samples`]: the CAP test messages and our own exports.
//! - [`configs`]: configuration files.
//! - [`SyncFixture`]: the node's own sync server over a real sled store.
//! - [`ApiFixture`]: the node's own API router over a real node with no network.
//! - [`reencode`]: an envelope's wire bytes rebuilt independently of the decoder.
//!
//! Seeds are made per target by [`seeds`]; the input formats of the targets that take a
//! selector byte are documented there.

use std::sync::{Arc, RwLock};

use aviso_node::api::ApiState;
use aviso_node::net::sync::{FRAME_LIMIT, SyncServer, decode_envelopes, encode_ids};
use aviso_node::net::{Client, NetConfig};
use aviso_node::pipeline::Pipeline;
use aviso_node::store::{SledStore, Store};
use aviso_protocol::envelope::DOMAIN_TAG;
use aviso_protocol::{
    Alert, Area, Body, Category, Certainty, Community, CommunityId, Delegate, Endorsement,
    Envelope, FeedSettings, Id, Info, Kind, MsgType, PublicKey, Report, ReportText, Resource,
    ResourceInfo, ResourceKind, RetractReason, Retraction, Revocation, Role, SecretKey, Severity,
    Status, Threshold, TrustEntry, TrustList, Urgency,
};
use negentropy::{Negentropy, NegentropyStorageVector};
use serde::Serialize;

/// The fixed "now" of every fixture (unix seconds, June 2025): envelopes are created an
/// hour before it and are current at it.
pub const NOW: u64 = 1_750_000_000;
/// The fixtures' community.
pub const COMMUNITY: CommunityId = CommunityId([7; 32]);
/// Alerts stored beside the other fixtures in the sync store: enough that negentropy
/// splits ranges into fingerprint buckets instead of listing every id (it lists ids
/// below 32 items per range).
const SYNC_EXTRA_ALERTS: u64 = 1_000;

/// The community's root key (the organizers' list owner).
pub fn root() -> SecretKey {
    SecretKey::from_seed(&[1; 32])
}
/// An organizer on the root's list.
pub fn organizer() -> SecretKey {
    SecretKey::from_seed(&[2; 32])
}
/// A member on the root's list.
pub fn member() -> SecretKey {
    SecretKey::from_seed(&[3; 32])
}
/// A delegate list owner.
pub fn delegate() -> SecretKey {
    SecretKey::from_seed(&[4; 32])
}

/// A bootstrap address with a real peer id.
pub fn bootstrap_addr() -> String {
    let key = libp2p::identity::Keypair::ed25519_from_bytes([5; 32])
        .expect("32 bytes are an ed25519 secret key");
    format!("/ip4/192.0.2.7/tcp/7446/p2p/{}", key.public().to_peer_id())
}

fn area(s: &str) -> Area {
    Area::parse(s).expect("fixture areas are geohash cells")
}

fn id(n: u8) -> Id {
    Id([n; 32])
}

fn info(lang: &str, headline: &str, description: &str, instruction: &str) -> Info {
    Info {
        lang: lang.into(),
        headline: headline.into(),
        description: description.into(),
        instruction: instruction.into(),
    }
}

/// A raid alert in English and Spanish.
pub fn raid_alert() -> Alert {
    Alert {
        category: Category::Raid,
        severity: Severity::Severe,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: vec![area("9q8yy"), area("9q8yv")],
        area_desc: Some("24th Street BART station".into()),
        onset: Some(NOW - 4000),
        info: vec![
            info(
                "en-US",
                "Raid reported near 24th St station",
                "Two unmarked vans and agents at the corner.\n\nThey are asking for papers.",
                "Stay inside. Do not open the door. Call the hotline.",
            ),
            info(
                "es",
                "Redada cerca de la estación de la calle 24",
                "Dos camionetas sin placas y agentes en la esquina.",
                "Quédese adentro. No abra la puerta. Llame a la línea.",
            ),
        ],
        confirms: vec![id(0x31)],
    }
}

/// One body of every kind, in several shapes each.
pub fn bodies() -> Vec<Body> {
    let trust_list = TrustList {
        name: "Mission rapid response".into(),
        version: 3,
        entries: vec![
            TrustEntry {
                key: organizer().public(),
                role: Role::Organizer,
                label: "Ana, dispatch".into(),
                areas: vec![area("9q8"), area("9q9p")],
                categories: vec![],
                expires_at: None,
            },
            TrustEntry {
                key: member().public(),
                role: Role::Member,
                label: "Luis".into(),
                areas: vec![],
                categories: vec![Category::Raid, Category::Checkpoint, Category::Resources],
                expires_at: Some(NOW + 86_400 * 90),
            },
        ],
        revoked: vec![Revocation {
            key: PublicKey([9; 32]),
            since: NOW - 86_400,
            reason: "phone lost".into(),
        }],
        thresholds: vec![Threshold {
            category: Category::Raid,
            k: 2,
        }],
        delegates: vec![Delegate {
            key: delegate().public(),
            label: "East Bay network".into(),
            areas: vec![area("9q9")],
            categories: vec![Category::Patrol, Category::Checkpoint],
        }],
    };
    let empty_list = TrustList {
        name: "Empty".into(),
        version: 0,
        entries: vec![],
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    };
    let alert = raid_alert();
    let update = Alert {
        msg_type: MsgType::Update,
        references: vec![id(0x21), id(0x22)],
        severity: Severity::Extreme,
        urgency: Urgency::Expected,
        certainty: Certainty::Likely,
        status: Status::Exercise,
        area_desc: None,
        onset: None,
        confirms: vec![],
        info: vec![info("fr-CA", "Mise à jour", "", "")],
        ..raid_alert()
    };
    let cancel = Alert {
        msg_type: MsgType::Cancel,
        references: vec![id(0x21)],
        info: vec![],
        category: Category::Met,
        status: Status::Test,
        ..raid_alert()
    };
    let all_clear = Alert {
        msg_type: MsgType::AllClear,
        references: vec![id(0x21)],
        category: Category::Checkpoint,
        severity: Severity::Unknown,
        urgency: Urgency::Past,
        certainty: Certainty::Unknown,
        info: vec![info("ht", "Tout klè", "Ajan yo ale.", "")],
        ..raid_alert()
    };
    let report = Report {
        category: Category::Checkpoint,
        areas: vec![area("9q8yy")],
        seen_at: NOW - 600,
        note: Some(ReportText {
            lang: "es".into(),
            text: "Retén en Mission y 16.".into(),
        }),
    };
    let bare_report = Report {
        category: Category::Patrol,
        areas: vec![area("9q8yyk"), area("9q8")],
        seen_at: 0,
        note: None,
    };
    let resource = Resource {
        resource_key: "legal-clinic".into(),
        kind: ResourceKind::LegalAid,
        info: vec![
            ResourceInfo {
                lang: "en".into(),
                name: "Free legal clinic".into(),
                description: "Immigration lawyers, no appointment.".into(),
                hours: "Tue-Thu 10:00-16:00".into(),
            },
            ResourceInfo {
                lang: "zh-Hant".into(),
                name: "免費法律診所".into(),
                description: String::new(),
                hours: String::new(),
            },
        ],
        phone: Some("+1 415 555 0100".into()),
        url: Some("https://example.org/clinic".into()),
        address: Some("2900 24th St".into()),
        areas: vec![area("9q8yy")],
        languages_spoken: vec!["en".into(), "es".into(), "yue".into()],
        free: true,
        no_id_required: true,
        confidential: true,
        walk_in: false,
        starts_at: None,
        ends_at: None,
    };
    let workshop = Resource {
        resource_key: "kyr-workshop".into(),
        kind: ResourceKind::Workshop,
        info: vec![ResourceInfo {
            lang: "es".into(),
            name: "Conozca sus derechos".into(),
            description: "Taller gratuito.".into(),
            hours: String::new(),
        }],
        phone: None,
        url: None,
        address: None,
        areas: vec![area("9q8")],
        languages_spoken: vec![],
        free: false,
        no_id_required: false,
        confidential: false,
        walk_in: true,
        starts_at: Some(NOW + 86_400),
        ends_at: Some(NOW + 90_000),
    };
    vec![
        Body::TrustList(trust_list),
        Body::TrustList(empty_list),
        Body::Alert(alert),
        Body::Alert(update),
        Body::Alert(cancel),
        Body::Alert(all_clear),
        Body::Report(report),
        Body::Report(bare_report),
        Body::Resource(resource),
        Body::Resource(workshop),
        Body::Endorsement(Endorsement { alert: id(0x21) }),
        Body::Retraction(Retraction {
            target: id(0x22),
            reason: RetractReason::False,
        }),
        Body::Retraction(Retraction {
            target: id(0x23),
            reason: RetractReason::Withdrawn,
        }),
    ]
}

/// Who signs a body of this kind in the fixtures.
fn signer(kind: Kind) -> SecretKey {
    match kind {
        Kind::TrustList => root(),
        Kind::Report | Kind::Response => member(),
        Kind::Alert | Kind::Resource | Kind::Endorsement | Kind::Retraction => organizer(),
    }
}

/// Sign `body` as its fixture signer, created an hour before [`NOW`], for as long as its
/// kind may live (minus that hour), so it is current at [`NOW`].
pub fn sign(body: &Body, created_at: u64) -> Envelope {
    let expires_at = created_at + body.kind().max_ttl();
    Envelope::sign(
        &signer(body.kind()),
        COMMUNITY,
        body,
        created_at,
        expires_at,
    )
    .expect("fixture bodies are valid")
}

/// Every body of [`bodies`], signed.
pub fn envelopes() -> Vec<Envelope> {
    bodies().iter().map(|b| sign(b, NOW - 3600)).collect()
}

/// Communities whose invites are seeds: one root, several roots with bootstrap peers.
pub fn communities() -> Vec<Community> {
    vec![
        Community::new(
            &root(),
            [1; aviso_protocol::community::SALT_LEN],
            "Mission rapid response",
            vec![root().public()],
            vec![],
        )
        .expect("a valid community"),
        Community::new(
            &root(),
            [2; aviso_protocol::community::SALT_LEN],
            "Red de respuesta rápida",
            vec![root().public(), delegate().public(), PublicKey([0x42; 32])],
            vec![
                bootstrap_addr(),
                "/ip4/198.51.100.3/udp/7446/quic-v1/p2p/12D3KooWAbc".into(),
                "/dns4/relay.example.org/tcp/7446".into(),
            ],
        )
        .expect("a valid community"),
    ]
}

/// CAP messages: the CAP crate's sample messages and our own exports of the fixture
/// alerts.
pub fn cap_samples() -> Vec<String> {
    let mut out: Vec<String> = [
        include_str!("../../cap/tests/data/spec-shaped/a1-security-advisory.xml"),
        include_str!("../../cap/tests/data/spec-shaped/a2-thunderstorm-warning.xml"),
        include_str!("../../cap/tests/data/spec-shaped/a3-earthquake-update.xml"),
        include_str!("../../cap/tests/data/spec-shaped/a4-child-abduction-bilingual.xml"),
        include_str!("../../cap/tests/data/feed-shaped/allclear-bilingual.xml"),
        include_str!("../../cap/tests/data/feed-shaped/cancel-signed.xml"),
        include_str!("../../cap/tests/data/feed-shaped/met-bilingual-thunderstorm-update.xml"),
        include_str!("../../cap/tests/data/feed-shaped/meteo-four-languages-wind-update.xml"),
        include_str!("../../cap/tests/data/feed-shaped/prefixed-fire-circle.xml"),
        include_str!("../../cap/tests/data/feed-shaped/tsunami-update.xml"),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for env in envelopes() {
        if let Ok(signed) = aviso_cap::SignedAlert::from_envelope(&env) {
            out.push(aviso_cap::export_xml(&signed, &[]).expect("fixture alerts export"));
        }
    }
    out
}

/// Configuration files: the built-in defaults, one with every setting, and a minimal one.
pub fn configs() -> Vec<String> {
    let full = aviso_node::Config {
        listen: vec![
            "/ip4/127.0.0.1/tcp/0".into(),
            "/ip6/::1/udp/7446/quic-v1".into(),
        ],
        api_listen: "127.0.0.1:7447".into(),
        api_allow_remote: false,
        mdns: false,
        bootstrap: vec![bootstrap_addr()],
        community: Some(communities()[1].to_invite()),
        sync_interval_secs: 60,
        gc_interval_secs: 3600,
        max_peers: 16,
        key_agent_idle_secs: 300,
        reach: Default::default(),
        stem: true,
        web: Default::default(),
        feed: aviso_node::config::FeedConfig {
            follow: vec![root().public().to_hex()],
            areas: vec!["9q8yy".into(), "9Q9".into()],
            languages: vec!["es".into(), "en-US".into()],
        },
    };
    vec![
        aviso_node::config::DEFAULT_CONFIG_TOML.to_owned(),
        toml::to_string_pretty(&full).expect("a config serializes"),
        "mdns = false\n[feed]\nareas = [\"9q8yy\"]\n".to_owned(),
    ]
}

/// The wire bytes of `env` rebuilt from its decoded fields: the domain tag, the header as
/// postcard with the body re-encoded, and the signature that came with it. Written
/// independently of the decoder (a mirror of its private header), so a round trip that
/// differs means the decoder accepted a non-canonical form.
pub fn reencode(env: &Envelope) -> Vec<u8> {
    #[derive(Serialize)]
    struct Header<'a> {
        version: u8,
        community: CommunityId,
        kind: Kind,
        author: PublicKey,
        created_at: u64,
        expires_at: u64,
        #[serde(with = "serde_bytes_slice")]
        body: &'a [u8],
    }
    mod serde_bytes_slice {
        pub fn serialize<S: serde::Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }
    let body = env.body().encode();
    let header = Header {
        version: aviso_protocol::envelope::VERSION,
        community: env.community(),
        kind: env.kind(),
        author: env.author(),
        created_at: env.created_at(),
        expires_at: env.expires_at(),
        body: &body,
    };
    let mut out = DOMAIN_TAG.to_vec();
    out = postcard::to_extend(&header, out).expect("encoding into a Vec cannot fail");
    let bytes = env.bytes();
    out.extend_from_slice(&bytes[bytes.len().saturating_sub(64)..]);
    out
}

/// A tokio runtime with one worker thread, so spawned tasks (the event loop, the
/// pipeline's flusher) run while the fuzz target waits.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

/// A sled store in a fresh directory under the system temp dir that is removed at once:
/// the open database keeps working on its unlinked files, and nothing is left behind when
/// libFuzzer exits without running destructors.
fn scratch_store(name: &str) -> SledStore {
    let dir = std::env::temp_dir().join(format!("aviso-fuzz-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = SledStore::open(&dir).expect("a scratch sled store opens");
    let _ = std::fs::remove_dir_all(&dir);
    store
}

/// The node's sync server over a real sled store holding every fixture envelope and
/// [`SYNC_EXTRA_ALERTS`] more alerts, answering at [`NOW`]; and a client's negentropy
/// storage that shares half of them and has some of its own.
pub struct SyncFixture {
    /// Keeps the pipeline's flusher task alive.
    _runtime: tokio::runtime::Runtime,
    /// The server, as a node runs it.
    pub server: SyncServer,
    /// Ids stored on the server.
    pub stored: Vec<Id>,
    /// What a client holds.
    pub client: NegentropyStorageVector,
}

impl std::fmt::Debug for SyncFixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncFixture").finish_non_exhaustive()
    }
}

impl SyncFixture {
    /// Build the store, the server and the client storage.
    pub fn new() -> SyncFixture {
        let runtime = runtime();
        let store: Arc<dyn Store> = Arc::new(scratch_store("sync"));
        let mut envs = envelopes();
        for n in 0..SYNC_EXTRA_ALERTS {
            let mut a = raid_alert();
            a.info[0].headline = format!("Patrol seen #{n}");
            envs.push(sign(&Body::Alert(a), NOW - 3600 * 24 * 20 + n * 1_409));
        }
        let mut client = NegentropyStorageVector::new();
        for (i, env) in envs.iter().enumerate() {
            store.insert(env).expect("fixture envelopes store");
            if i % 2 == 0 {
                client
                    .insert(
                        env.created_at(),
                        negentropy::Id::from_byte_array(env.id().0),
                    )
                    .expect("insert into an unsealed storage");
            }
        }
        for n in 0..40u64 {
            let mut own = [0u8; 32];
            own[..8].copy_from_slice(&n.to_be_bytes());
            client
                .insert(NOW - 86_400 + n * 60, negentropy::Id::from_byte_array(own))
                .expect("insert into an unsealed storage");
        }
        client.seal().expect("seal once");
        store.flush().expect("the scratch store flushes");
        let (events, _) = tokio::sync::broadcast::channel(16);
        let pipeline = runtime
            .block_on(async { Pipeline::new(store, Some(communities().remove(0)), events) })
            .expect("the pipeline starts");
        SyncFixture {
            _runtime: runtime,
            server: SyncServer::new(pipeline),
            stored: envs.iter().map(Envelope::id).collect(),
            client,
        }
    }

    /// A client's negentropy state after it sent its first message, as in a session.
    pub fn client_session(&self) -> Negentropy<'_, NegentropyStorageVector> {
        let mut ne =
            Negentropy::borrowed(&self.client, FRAME_LIMIT).expect("the frame limit is valid");
        ne.set_initiator();
        ne
    }

    /// A whole reconciliation as a session runs it: every message the client sends and
    /// every answer of the server, in order.
    pub fn conversation(&self) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let mut ne =
            Negentropy::borrowed(&self.client, FRAME_LIMIT).expect("the frame limit is valid");
        let mut msg = ne.initiate().expect("initiate once");
        let (mut asked, mut answered) = (Vec::new(), Vec::new());
        let (mut have, mut need) = (Vec::new(), Vec::new());
        for _ in 0..aviso_node::net::sync::MAX_ROUNDS {
            asked.push(msg.clone());
            let resp = self
                .server
                .handle_sync(&msg, NOW)
                .expect("the server answers");
            answered.push(resp.clone());
            match ne
                .reconcile_with_ids(&resp, &mut have, &mut need)
                .expect("the client reads the answer")
            {
                Some(next) => msg = next,
                None => break,
            }
        }
        (asked, answered)
    }
}

impl Default for SyncFixture {
    fn default() -> Self {
        Self::new()
    }
}

/// The API router of a real node (real event loop, pipeline and sled store; no listen
/// address, no peers), driven in process.
pub struct ApiFixture {
    /// Runs the event loop and the requests.
    pub runtime: tokio::runtime::Runtime,
    /// The router, as `aviso node` serves it.
    pub router: axum::Router,
    /// The settings behind `/v1/settings`, to put back after each input.
    pub settings: Arc<RwLock<FeedSettings>>,
    /// What the settings start as.
    pub initial: FeedSettings,
    /// Keeps the event loop running (it ends when the last client is dropped).
    _client: Client,
}

impl std::fmt::Debug for ApiFixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiFixture").finish_non_exhaustive()
    }
}

/// The token the fixture's API expects.
pub const API_TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
/// The address the fixture's API believes it is bound to (it decides the accepted Host).
pub const API_ADDR: &str = "127.0.0.1:7447";

impl ApiFixture {
    /// Start the node and build its router.
    pub fn new() -> ApiFixture {
        let runtime = runtime();
        let store: Arc<dyn Store> = Arc::new(scratch_store("api"));
        let community = communities().remove(0);
        let initial = FeedSettings {
            follow: community.roots.clone(),
            areas: vec![],
            languages: vec!["en".into()],
        };
        let settings = Arc::new(RwLock::new(initial.clone()));
        let (router, client) = runtime.block_on(async {
            let (events, _) = tokio::sync::broadcast::channel(1024);
            let pipeline = Pipeline::new(store.clone(), Some(community.clone()), events.clone())
                .expect("the pipeline starts");
            let keypair = libp2p::identity::Keypair::ed25519_from_bytes([6; 32])
                .expect("32 bytes are an ed25519 secret key");
            let peer_id = keypair.public().to_peer_id();
            let (client, _task) =
                aviso_node::net::spawn(keypair, NetConfig::default(), pipeline, events)
                    .expect("the event loop starts");
            let state = ApiState::new(
                client.clone(),
                store,
                settings.clone(),
                API_TOKEN.into(),
                peer_id,
                Some(community),
            );
            let addr = API_ADDR.parse().expect("a socket address");
            (aviso_node::api::router(state, addr), client)
        });
        ApiFixture {
            runtime,
            router,
            settings,
            initial,
            _client: client,
        }
    }
}

impl Default for ApiFixture {
    fn default() -> Self {
        Self::new()
    }
}

/// The API routes the `api` target drives, chosen by the input's first byte.
pub const API_ROUTES: usize = 4;

/// Seeds of every target: `(target, inputs)`.
///
/// Input formats:
/// - `envelope`, `cap_export`: envelope bytes.
/// - `body`: a kind byte (index into [`Kind::ALL`], modulo its length), then the body bytes.
/// - `invite`: invite text. `cap`: CAP XML. `config`: TOML text.
/// - `sync`: `0` then a client's message to the server, or `1` then a server's answer to
///   a client.
/// - `fetch`: `0` then a fetch request to the server, or `1` then a fetch response to a
///   client.
/// - `api`: a route byte (modulo [`API_ROUTES`]: `0` PUT /v1/settings, `1` POST
///   /v1/publish, `2` GET /v1/feed?query, `3` GET /v1/envelopes/path), then the body, query
///   or path.
pub fn seeds() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let envs = envelopes();
    let env_bytes: Vec<Vec<u8>> = envs.iter().map(|e| e.bytes().to_vec()).collect();

    let body = bodies()
        .iter()
        .map(|b| {
            let kind = Kind::ALL
                .iter()
                .position(|k| *k == b.kind())
                .expect("every kind is in Kind::ALL");
            let mut v = vec![kind as u8];
            v.extend(b.encode());
            v
        })
        .collect();

    let mut invite: Vec<Vec<u8>> = communities()
        .iter()
        .map(|c| c.to_invite().into_bytes())
        .collect();
    // As people paste them: lower case, wrapped.
    let wrapped = communities()[1].to_invite().to_lowercase();
    let (a, b) = wrapped.split_at(40);
    invite.push(format!("  {a}\n{b}\n").into_bytes());

    let cap = cap_samples().into_iter().map(String::into_bytes).collect();
    let config = configs().into_iter().map(String::into_bytes).collect();

    let sync_fixture = SyncFixture::new();
    let (asked, answered) = sync_fixture.conversation();
    let mut sync = Vec::new();
    for m in asked {
        sync.push([&[0u8][..], &m].concat());
    }
    for m in answered {
        sync.push([&[1u8][..], &m].concat());
    }

    let mut fetch = Vec::new();
    // A dozen stored ids: a response seed of a dozen envelopes (a full one would make
    // every input the fuzzer derives from it slow).
    let some: Vec<Id> = sync_fixture.stored.iter().step_by(97).copied().collect();
    let mut ask = some.clone();
    ask.push(Id([0xee; 32]));
    for ids in [&some[..], &ask[..], &[]] {
        fetch.push([&[0u8][..], &encode_ids(ids)].concat());
    }
    let served = sync_fixture
        .server
        .handle_fetch(&encode_ids(&some), NOW)
        .expect("the server answers a fetch");
    assert!(
        decode_envelopes(&served).is_ok_and(|e| !e.is_empty()),
        "the fetch seed holds envelopes"
    );
    fetch.push([&[1u8][..], &served].concat());

    let mut api = Vec::new();
    let settings = FeedSettings {
        follow: vec![root().public(), organizer().public()],
        areas: vec![area("9q8yy"), area("9q9")],
        languages: vec!["es".into(), "en".into()],
    };
    api.push(
        [
            &[0u8][..],
            &serde_json::to_vec(&settings).expect("settings serialize"),
        ]
        .concat(),
    );
    for e in env_bytes.iter().take(4) {
        let req = serde_json::json!({ "envelope": hex::encode(e) });
        api.push([&[1u8][..], req.to_string().as_bytes()].concat());
    }
    api.push(b"\x02all=true".to_vec());
    api.push(b"\x02".to_vec());
    api.push([&[3u8][..], envs[2].id().to_hex().as_bytes()].concat());

    vec![
        ("envelope", env_bytes.clone()),
        ("body", body),
        ("invite", invite),
        ("cap", cap),
        ("cap_export", env_bytes),
        ("sync", sync),
        ("fetch", fetch),
        ("config", config),
        ("api", api),
    ]
}
