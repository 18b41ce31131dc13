//! The composed libp2p behaviour and its configuration.

use std::time::Duration;

use aviso_protocol::CommunityId;
use aviso_protocol::limits::MAX_ENVELOPE_BYTES;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::NetworkBehaviour;
use libp2p::swarm::behaviour::toggle::Toggle;
use libp2p::{
    StreamProtocol, allow_block_list, connection_limits, gossipsub, identify, identity, kad, mdns,
    ping,
};

use super::codec::BytesCodec;
use super::stem;
use super::sync::{
    FETCH_PROTOCOL, MAX_FETCH_REQUEST, MAX_FETCH_RESPONSE, MAX_SYNC_MESSAGE, SYNC_PROTOCOL,
};
use sha2::{Digest, Sha256};

/// Kademlia under a private protocol name, so nodes never join the public IPFS DHT.
pub const KAD_PROTOCOL: StreamProtocol = StreamProtocol::new("/aviso/kad/1");
/// The identify protocol version we announce. Not used to decide membership: a peer of
/// another implementation may announce its own (see docs/protocol.md).
pub const IDENTIFY_PROTOCOL: &str = "/aviso/1";
/// The identify agent string we announce: the protocol version and nothing more. The
/// default (`rust-libp2p/<version>`) or our binary's version would tell every peer and
/// every relay which build, and so which platform and update habits, a member has; no
/// peer needs it to talk to us (membership is decided by behaviour, docs/protocol.md).
pub const AGENT_VERSION: &str = IDENTIFY_PROTOCOL;
/// Largest gossipsub frame: one envelope plus protobuf framing.
pub const MAX_TRANSMIT_BYTES: usize = MAX_ENVELOPE_BYTES + 4 * 1024;
/// Gossipsub heartbeat. One second is the libp2p default and keeps mesh repair quick.
pub const HEARTBEAT: Duration = Duration::from_secs(1);
/// Score below which a peer's messages are ignored and we disconnect it.
pub const GRAYLIST_THRESHOLD: f64 = -80.0;
/// How long one sync or fetch stream may live, both ways: a peer that never answers
/// cannot hold a session longer, and one that never reads our answer cannot hold its
/// memory longer (see [`super::serve`]).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// Sync (or fetch) streams open at once on one connection, ours and the peer's. An
/// honest pair uses two: one session each way, each with one request outstanding. Past
/// it, request-response drops new inbound streams at once, before reading them.
pub const MAX_STREAMS_PER_CONNECTION: usize = 4;

/// How gossipsub spreads an envelope: the settings that decide what a node sends for
/// each alert. The simulator sets them to compare (BENCHMARKS.md, "Gossip bytes and a
/// hostile mesh").
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GossipTuning {
    /// Mesh peers a node forwards every envelope to (gossipsub's D).
    pub mesh_n: usize,
    /// Fewer mesh peers than this and the heartbeat grafts more.
    pub mesh_n_low: usize,
    /// More than this and the heartbeat prunes.
    pub mesh_n_high: usize,
    /// Non-mesh peers told about recent envelopes (IHAVE) at each heartbeat, at least.
    pub gossip_lazy: usize,
    /// Heartbeats an envelope stays advertised in IHAVE.
    pub history_gossip: usize,
    /// Envelopes of at least this many bytes make a node tell its mesh peers IDONTWANT
    /// as soon as it receives them.
    pub idontwant_threshold: usize,
    /// Whether a node's own envelopes go to every peer rather than its mesh.
    pub flood_publish: bool,
    /// Share of the non-mesh peers told about recent envelopes (IHAVE), when more than
    /// `gossip_lazy`.
    pub gossip_factor: f64,
    /// Heartbeats between two tries to graft better-scored peers into a mesh whose
    /// median score is below `opportunistic_graft_threshold`.
    pub opportunistic_graft_ticks: u64,
    /// Median mesh score below which opportunistic grafting tries better peers.
    pub opportunistic_graft_threshold: f64,
    /// Envelopes that reach us first from outside our mesh, in a row while a peer is in
    /// it, before that peer is suspect of being a black hole and scored out of the mesh
    /// (see [`super::audit`]); 0: no audit.
    pub audit_rounds: u32,
    /// The application score (gossipsub's P5, weight 1) of a suspect peer: below 0 it
    /// is pruned from the mesh and its grafts refused; below the gossip threshold (-10)
    /// it is not sent IHAVE either.
    pub audit_score: f64,
    /// Reconcile with a peer outside our mesh that brought us an envelope first: our
    /// mesh failed to deliver it in time, so it may have missed others.
    pub sync_on_mesh_miss: bool,
    /// How long a peer we prune from our mesh must wait before it grafts us again (sent
    /// in the PRUNE; gossipsub's default is a minute).
    pub prune_backoff: Duration,
}

impl GossipTuning {
    /// gossipsub 0.50's defaults, which every node used before these were measured.
    pub const LIBP2P_DEFAULTS: GossipTuning = GossipTuning {
        mesh_n: 6,
        mesh_n_low: 5,
        mesh_n_high: 12,
        gossip_lazy: 6,
        history_gossip: 3,
        idontwant_threshold: 1_000,
        flood_publish: true,
        gossip_factor: 0.25,
        opportunistic_graft_ticks: 60,
        opportunistic_graft_threshold: 20.0,
        audit_rounds: 0,
        audit_score: 0.0,
        sync_on_mesh_miss: false,
        prune_backoff: Duration::from_secs(60),
    };
}

/// Mesh degree D: each envelope crosses every mesh edge about once, so the copies a node
/// receives grow with D (5.1 per node at 6, 2.9 at 4, 1.7–2.0 at 3 in the simulator).
/// Three is the only degree that meets the bytes goal of ≤ 3× the envelope per node per
/// alert (2.35× at 100 nodes, 2.72× at 500, 2.8× at 1,000, against 5.1–6.1× at 6); a
/// wider IHAVE ([`GOSSIP_LAZY`]) and catch-up on a mesh miss make up for the redundancy
/// it loses against black-hole Sybils (BENCHMARKS.md, "Gossip bytes and a hostile
/// mesh").
pub const MESH_N: usize = 3;
/// D_low: graft when a mesh of 3 is down to 1. A mesh of 2 still delivers, and IHAVE
/// covers the gap; grafting at 2 would graft after every prune.
pub const MESH_N_LOW: usize = 2;
/// D_high: prune back to 3 when grafts by others reach 4, so peers that graft us (a
/// Sybil does, to every honest node it reaches) cannot grow the mesh, and its bytes.
pub const MESH_N_HIGH: usize = 4;
/// D_lazy: non-mesh peers sent IHAVE at each heartbeat. With a mesh of 3 an envelope
/// reaches a node whose mesh peers are all black holes only through IHAVE from its honest
/// neighbours outside the mesh: with 3 of a node's 5 or so non-mesh peers chosen at
/// random, 6% of honest nodes missed the worst alert with as many black holes as honest
/// nodes; with 5 every non-mesh neighbour of a node of 8 links hears of it. Each IHAVE
/// is about 75 bytes on the wire for one id ([`GOSSIP_ID_BYTES`], the topic of
/// [`TOPIC_PREFIX`]): the larger part of what a node sends beyond the alert's copies.
pub const GOSSIP_LAZY: usize = 5;
/// Heartbeats an envelope is advertised in IHAVE: one. Alerts are rare, so the next
/// heartbeats would advertise it again to the same peers at the same cost; a node
/// that missed it is caught up by sync instead (on a mesh miss, and periodically).
pub const HISTORY_GOSSIP: usize = 1;

impl Default for GossipTuning {
    /// The settings measured in the simulator (BENCHMARKS.md, "Gossip bytes and a
    /// hostile mesh"): a mesh of 3 that advertises each envelope once to every
    /// non-mesh peer, without flood publishing, with catch-up when the mesh misses an
    /// envelope.
    fn default() -> Self {
        GossipTuning {
            mesh_n: MESH_N,
            mesh_n_low: MESH_N_LOW,
            mesh_n_high: MESH_N_HIGH,
            gossip_lazy: GOSSIP_LAZY,
            history_gossip: HISTORY_GOSSIP,
            // The publisher sends to its mesh like everyone: flooding all its links
            // costs a few percent of the bytes and shows it as the first gossiper to all
            // its neighbours at once.
            flood_publish: false,
            sync_on_mesh_miss: true,
            // IDONTWANT stays at libp2p's 1,000 bytes: below it (our alerts are about
            // 470) it cost more than it saved; alerts in many languages pass it.
            // The mesh audit stays off: its first version cut honest meshes apart in the
            // simulator and the second is not measured yet (see `super::audit`).
            ..GossipTuning::LIBP2P_DEFAULTS
        }
    }
}

/// Bytes of the community id in its gossip topic name. Every gossip message, IHAVE,
/// GRAFT and PRUNE carries the name, so its length is paid on every copy: about 7 times
/// per node per alert at our settings (two copies, five IHAVEs). The full id in hex (64
/// characters) cost 9% of the bytes a node sent per alert. Eight bytes keep communities
/// apart (two random ids share them with probability 2^-64), and a name made to collide
/// gains an attacker nothing: anyone who knows a community's id can subscribe to its
/// topic anyway, and envelopes carry the full id in their signed bytes, which the
/// pipeline checks.
pub const TOPIC_ID_BYTES: usize = 8;

/// The gossipsub topic of a community: `av3/` and the first [`TOPIC_ID_BYTES`] bytes of
/// its id in unpadded base64url (11 characters: 15 in all, 10 fewer than version 2's 16
/// hex digits after `/aviso/2/`, which took 0.15× the envelope off every node's bytes per
/// alert; see docs/protocol.md).
pub fn topic_for(community: &CommunityId) -> gossipsub::IdentTopic {
    let short = data_encoding::BASE64URL_NOPAD.encode(&community.as_bytes()[..TOPIC_ID_BYTES]);
    gossipsub::IdentTopic::new(format!("{TOPIC_PREFIX}{short}"))
}

/// What every community topic starts with: the version of the gossip wire format.
pub const TOPIC_PREFIX: &str = "av3/";

/// Everything the node speaks.
#[derive(NetworkBehaviour)]
#[allow(missing_debug_implementations)] // libp2p behaviours do not implement Debug
pub struct NodeBehaviour {
    /// Caps on connections (checked first).
    pub limits: connection_limits::Behaviour,
    /// Peers we refuse (misbehaving ones).
    pub blocked: allow_block_list::Behaviour<allow_block_list::BlockedPeers>,
    /// Alert gossip.
    pub gossipsub: gossipsub::Behaviour,
    /// Peer info exchange (addresses for Kademlia).
    pub identify: identify::Behaviour,
    /// Liveness and round-trip times.
    pub ping: ping::Behaviour,
    /// LAN discovery, when enabled.
    pub mdns: Toggle<mdns::tokio::Behaviour>,
    /// Peer discovery beyond the bootstrap list.
    pub kad: kad::Behaviour<kad::store::MemoryStore>,
    /// Set reconciliation for offline catch-up.
    pub sync: request_response::Behaviour<BytesCodec>,
    /// Fetch of missing envelopes by id.
    pub fetch: request_response::Behaviour<BytesCodec>,
    /// Rateless reconciliation and get-by-key (see [`super::sync2`]); no protocol when
    /// [`BehaviourConfig::sync2`] is off.
    pub sync2: request_response::Behaviour<BytesCodec>,
    /// The private-publishing stem (see [`super::stem`]).
    pub stem: request_response::Behaviour<BytesCodec>,
    /// NAT traversal: relay, hole punching, AutoNAT, UPnP, rendezvous (see [`super::reach`]).
    pub reach: super::reach::ReachBehaviour,
}

/// Options that shape the behaviour.
#[derive(Debug, Clone)]
pub struct BehaviourConfig {
    /// Discover peers on the LAN.
    pub mdns: bool,
    /// Most established connections in each direction.
    pub max_peers: u32,
    /// The community topic, for scoring parameters.
    pub community: Option<CommunityId>,
    /// Mesh and gossip settings.
    pub gossip: GossipTuning,
    /// Reachability and overlay settings.
    pub reach: super::reach::ReachConfig,
    /// Speak `/aviso/sync/2`.
    pub sync2: bool,
}

/// Bytes of a gossip message id: the first 16 of the SHA-256 of the message.
///
/// Every IHAVE and IWANT carries ids, and with a mesh of 3 an IHAVE to each non-mesh
/// peer is the larger part of what a node sends beyond the alert itself; 16 bytes instead
/// of 32 take about 80 B per node per alert off (a sixth of the alert's size). 128 bits
/// keep what the id is for: a second preimage (a forgery that would make gossipsub drop
/// the real alert as a duplicate) costs 2^128 hashes, and a collision an attacker makes
/// between two messages of their own (2^64) only drops one of their own. The pipeline,
/// the store and sync use the full envelope id, so an honest message dropped by any
/// chance would still be caught up.
pub const GOSSIP_ID_BYTES: usize = 16;

/// The gossipsub message id: the first [`GOSSIP_ID_BYTES`] of the SHA-256 of the whole
/// message, signature included.
pub fn gossip_message_id(data: &[u8]) -> gossipsub::MessageId {
    gossipsub::MessageId::new(&Sha256::digest(data)[..GOSSIP_ID_BYTES])
}

fn score_params(community: Option<CommunityId>) -> gossipsub::PeerScoreParams {
    let mut p = gossipsub::PeerScoreParams {
        // P5 is set by the mesh audit (`super::audit`) in score units.
        app_specific_weight: 1.0,
        // Many honest nodes share an address in tests and behind one home router.
        ip_colocation_factor_weight: 0.0,
        // Positive credit is capped low so that no amount of good behaviour buys the
        // right to send forgeries.
        topic_score_cap: 50.0,
        ..Default::default()
    };
    if let Some(c) = community {
        let tp = gossipsub::TopicScoreParams {
            topic_weight: 1.0,
            // P1: up to +10 after an hour in the mesh (the default reaches +3600 in 3.6 s).
            time_in_mesh_weight: 10.0 / 3600.0,
            time_in_mesh_quantum: Duration::from_secs(1),
            time_in_mesh_cap: 3600.0,
            // P2: credit for delivering new envelopes first, capped.
            first_message_deliveries_weight: 1.0,
            first_message_deliveries_cap: 40.0,
            first_message_deliveries_decay: gossipsub::score_parameter_decay(Duration::from_secs(
                600,
            )),
            // P3: alert topics are quiet most of the time; do not punish quiet mesh peers.
            mesh_message_deliveries_weight: 0.0,
            mesh_failure_penalty_weight: 0.0,
            // P4 is squared: one invalid envelope costs 50 (tolerated, above the graylist
            // at -80), two cost 200, far below it. Honest peers forward only what they
            // validated, so this only ever hits forgers. Forgotten over an hour.
            invalid_message_deliveries_weight: -50.0,
            invalid_message_deliveries_decay: gossipsub::score_parameter_decay(
                Duration::from_secs(3600),
            ),
            ..Default::default()
        };
        p.topics.insert(topic_for(&c).hash(), tp);
    }
    p
}

fn thresholds(tuning: &GossipTuning) -> gossipsub::PeerScoreThresholds {
    gossipsub::PeerScoreThresholds {
        gossip_threshold: -10.0,
        publish_threshold: -50.0,
        graylist_threshold: GRAYLIST_THRESHOLD,
        opportunistic_graft_threshold: tuning.opportunistic_graft_threshold,
        ..Default::default()
    }
}

/// Why the behaviour could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The gossipsub configuration is inconsistent.
    #[error("gossipsub configuration: {0}")]
    GossipConfig(#[from] gossipsub::ConfigBuilderError),
    /// Gossipsub refused its authenticity mode or its scoring parameters.
    #[error("gossipsub: {0}")]
    Gossipsub(String),
    /// mDNS could not open its socket.
    #[error("mDNS: {0}")]
    Mdns(#[from] std::io::Error),
}

/// Build the behaviour for `key`.
pub fn build(
    key: &identity::Keypair,
    cfg: &BehaviourConfig,
    relay_client: libp2p::relay::client::Behaviour,
) -> Result<NodeBehaviour, BuildError> {
    let peer_id = key.public().to_peer_id();
    let gs_config = gossipsub::ConfigBuilder::default()
        .validation_mode(gossipsub::ValidationMode::Anonymous)
        // The gossip id covers every byte, signature included. With the envelope id (which
        // leaves the signature out) one forged copy of a real alert, arriving first, would
        // make gossipsub drop the real one as a duplicate and penalize every honest peer
        // that delivers it. The pipeline still deduplicates by envelope id.
        .message_id_fn(|m: &gossipsub::Message| gossip_message_id(&m.data))
        .validate_messages()
        .max_transmit_size(MAX_TRANSMIT_BYTES)
        .heartbeat_interval(HEARTBEAT)
        // Remember ids for 10 minutes so a message that loops back late is not reprocessed.
        .duplicate_cache_time(Duration::from_secs(600))
        .mesh_n(cfg.gossip.mesh_n)
        .mesh_n_low(cfg.gossip.mesh_n_low)
        .mesh_n_high(cfg.gossip.mesh_n_high)
        .mesh_outbound_min((cfg.gossip.mesh_n / 2).min(cfg.gossip.mesh_n_low).min(2))
        .gossip_lazy(cfg.gossip.gossip_lazy)
        .history_gossip(cfg.gossip.history_gossip)
        .idontwant_message_size_threshold(cfg.gossip.idontwant_threshold)
        .flood_publish(cfg.gossip.flood_publish)
        .gossip_factor(cfg.gossip.gossip_factor)
        .opportunistic_graft_ticks(cfg.gossip.opportunistic_graft_ticks)
        .prune_backoff(cfg.gossip.prune_backoff)
        .build()?;
    let mut gossipsub =
        gossipsub::Behaviour::new(gossipsub::MessageAuthenticity::Anonymous, gs_config)
            .map_err(|e| BuildError::Gossipsub(e.to_string()))?;
    gossipsub
        .with_peer_score(score_params(cfg.community), thresholds(&cfg.gossip))
        .map_err(BuildError::Gossipsub)?;

    let identify = identify::Behaviour::new(
        identify::Config::new(IDENTIFY_PROTOCOL.to_string(), key.public())
            .with_agent_version(AGENT_VERSION.to_string())
            .with_push_listen_addr_updates(true),
    );
    let ping = ping::Behaviour::new(ping::Config::new().with_interval(Duration::from_secs(15)));
    let mdns = if cfg.mdns {
        Some(mdns::tokio::Behaviour::new(
            mdns::Config {
                // The default re-queries every 5 minutes; a home LAN wants quicker discovery.
                query_interval: Duration::from_secs(30),
                ..Default::default()
            },
            peer_id,
        )?)
    } else {
        None
    };
    let mut kad_cfg = kad::Config::new(KAD_PROTOCOL);
    kad_cfg.set_query_timeout(Duration::from_secs(30));
    // Kademlia's lookups connect to many peers (with open links, every node ended up
    // connected to nearly every other: see BENCHMARKS.md, Simulation). Its automatic
    // bootstrap cannot be turned off in this libp2p version (it stops once the routing
    // table holds 20 peers); the overlay is pruned to its target instead (see
    // `super::reach`), and members find each other through rendezvous.
    let mut kad =
        kad::Behaviour::with_config(peer_id, kad::store::MemoryStore::new(peer_id), kad_cfg);
    // Without an external-address confirmation Kademlia stays a client and nobody answers.
    kad.set_mode(Some(kad::Mode::Server));
    let limits = connection_limits::Behaviour::new(
        connection_limits::ConnectionLimits::default()
            .with_max_established_incoming(Some(cfg.max_peers))
            .with_max_established_outgoing(Some(cfg.max_peers))
            .with_max_established_per_peer(Some(2))
            .with_max_pending_incoming(Some(32))
            .with_max_pending_outgoing(Some(32)),
    );
    let rr = request_response::Config::default()
        .with_request_timeout(REQUEST_TIMEOUT)
        .with_max_concurrent_streams(MAX_STREAMS_PER_CONNECTION);
    let sync = request_response::Behaviour::with_codec(
        BytesCodec::new(MAX_SYNC_MESSAGE, MAX_SYNC_MESSAGE),
        [(SYNC_PROTOCOL, ProtocolSupport::Full)],
        rr.clone(),
    );
    let fetch = request_response::Behaviour::with_codec(
        BytesCodec::new(MAX_FETCH_REQUEST, MAX_FETCH_RESPONSE),
        [(FETCH_PROTOCOL, ProtocolSupport::Full)],
        rr.clone(),
    );
    let sync2 = request_response::Behaviour::with_codec(
        BytesCodec::new(super::sync2::MAX_SYNC2_REQUEST, MAX_FETCH_RESPONSE),
        cfg.sync2
            .then_some((super::sync2::SYNC2_PROTOCOL, ProtocolSupport::Full)),
        rr.clone(),
    );
    let stem = request_response::Behaviour::with_codec(
        BytesCodec::new(stem::MAX_STEM_REQUEST, stem::MAX_STEM_RESPONSE),
        [(stem::STEM_PROTOCOL, ProtocolSupport::Full)],
        rr.with_max_concurrent_streams(stem::MAX_STEM_STREAMS),
    );
    Ok(NodeBehaviour {
        limits,
        sync,
        fetch,
        sync2,
        stem,
        blocked: Default::default(),
        gossipsub,
        identify,
        ping,
        mdns: Toggle::from(mdns),
        kad,
        reach: super::reach::build(key, &cfg.reach, relay_client),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_short_and_keep_communities_apart() {
        let a = CommunityId([0xab; 32]);
        let mut b = a;
        b.0[TOPIC_ID_BYTES] ^= 1;
        let topic = topic_for(&a).hash().into_string();
        assert_eq!(topic, "av3/q6urq6urq6s");
        assert_eq!(topic.len(), TOPIC_PREFIX.len() + 11);
        // Only the first TOPIC_ID_BYTES name the topic; the envelope carries the rest.
        assert_eq!(topic_for(&b).hash(), topic_for(&a).hash());
        b.0[0] ^= 1;
        assert_ne!(topic_for(&b).hash(), topic_for(&a).hash());
    }

    #[test]
    fn gossip_ids_cover_the_signature_envelope_ids_do_not() {
        use aviso_protocol::{Body, Endorsement, Envelope, Id};
        let env = Envelope::sign(
            &aviso_protocol::fixtures::key(1),
            CommunityId([2; 32]),
            &Body::Endorsement(Endorsement { alert: Id([3; 32]) }),
            10,
            20,
        )
        .expect("signs");
        assert_eq!(aviso_protocol::envelope::id_of(env.bytes()), env.id());
        // A copy with another signature is another gossip message.
        let mut forged = env.bytes().to_vec();
        let last = forged.len() - 1;
        forged[last] ^= 1;
        assert_eq!(aviso_protocol::envelope::id_of(&forged), env.id());
        assert_ne!(gossip_message_id(&forged), gossip_message_id(env.bytes()));
        assert_eq!(gossip_message_id(env.bytes()).0.len(), GOSSIP_ID_BYTES);
    }
}
