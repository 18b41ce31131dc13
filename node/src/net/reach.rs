//! Reach between homes: NAT traversal, community relays, deliberate discovery of the
//! community's peers, and a bounded overlay.
//!
//! - **Reachability**: AutoNAT v2 (client and server on every node) tests the addresses
//!   that identify's observed addresses (and UPnP) suggest; an address it confirms is
//!   advertised. Addresses outside global unicast space are not advertised unless
//!   [`ReachConfig::private_addresses`] is on (test networks, community networks on private
//!   address space).
//! - **Port mapping**: libp2p's UPnP behaviour, wrapped ([`ProbedUpnp`]) so that a mapped
//!   address is only a *candidate* until AutoNAT confirms it.
//! - **Relay v2**: every node is a relay client; a node with [`ReachConfig::relay_server`]
//!   serves circuits within [`relay_limits`] and is a rendezvous point. A node that no peer
//!   confirmed as reachable reserves a slot on up to [`MAX_RESERVATIONS`] relays and
//!   advertises its `/p2p-circuit` address.
//! - **Hole punching**: DCUtR upgrades relayed connections to direct ones where the NATs
//!   allow (endpoint-independent mapping); otherwise the relayed connection stays.
//! - **Discovery on purpose**: every node registers its advertised addresses under its
//!   community's namespace at each rendezvous point it is connected to, and asks them for
//!   the namespace's registrations every [`ReachConfig::discovery_interval`], dialing the
//!   members it is not connected to, so two homes connect whatever their start order.
//! - **Bounded overlay**: above [`ReachConfig::target_peers`] connections, the node closes
//!   the least useful ones (see [`Reach::prune`]).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::num::NonZeroU32;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use libp2p::core::transport::{ListenerId, PortUse};
use libp2p::core::{Endpoint, Multiaddr};
use libp2p::multiaddr::Protocol;
use libp2p::swarm::behaviour::toggle::Toggle;
use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{
    ConnectionDenied, ConnectionId, FromSwarm, NetworkBehaviour, SwarmEvent, THandler,
    THandlerInEvent, THandlerOutEvent, ToSwarm,
};
use libp2p::{PeerId, Swarm, autonat, dcutr, identify, relay, rendezvous, upnp};
use serde::Serialize;
use tracing::{debug, info};

use super::behaviour::NodeBehaviour;

/// Relays on which a node behind NAT keeps a reservation at once. Two: one relay going
/// down does not cut the node off, and every reservation costs the relay memory and a
/// connection, so more would only add load on the community's few reachable machines.
pub const MAX_RESERVATIONS: usize = 2;
/// Registrations asked of a rendezvous point per discovery: far above a community's
/// members seen at once by one home, and bounds the answer's size.
pub const MAX_DISCOVERED: u32 = 256;
/// Members dialed from one discovery answer: the overlay is bounded anyway, and dialing
/// a few at a time keeps a large community from dialing a home all at once.
pub const MAX_DIALS_PER_DISCOVERY: usize = 8;
/// How often a registration is renewed: within the rendezvous minimum TTL (2 h), and
/// soon enough that a relay restarted in between learns the member again quickly.
pub const REGISTER_EVERY: Duration = Duration::from_secs(15 * 60);
/// The rendezvous protocol, by which a relay is recognized as a rendezvous point.
pub const RENDEZVOUS_PROTOCOL: &str = "/rendezvous/1.0.0";

/// A relay's limits: sized for alerts (at most 64 KiB each) and catch-up sessions, not
/// for bulk transfer. Each number is documented where it is set.
pub fn relay_limits() -> relay::Config {
    relay::Config {
        // 200 homes per relay with room to spare; each reservation costs the relay a few
        // KiB (a connection and a handler).
        max_reservations: 256,
        // A renewal may overlap the old reservation.
        max_reservations_per_peer: 2,
        // Clients renew before this; a gone client frees its slot within the hour.
        reservation_duration: Duration::from_secs(60 * 60),
        reservation_rate_limiters: vec![],
        // Circuits relayed at once: homes that cannot hole punch (symmetric NAT) keep
        // theirs; 256 is enough for a community of a few hundred homes with about one
        // such link each, and small in memory (two stream buffers each).
        max_circuits: 256,
        // A home keeps one circuit per peer behind a symmetric NAT, a handful at most.
        max_circuits_per_peer: 16,
        // A relayed connection is re-established after this (discovery redials it);
        // long enough that gossip between two symmetric-NAT homes rarely notices.
        max_circuit_duration: Duration::from_secs(30 * 60),
        // Per circuit: thousands of alerts or a catch-up of a few thousand envelopes,
        // never a file transfer. Past it the relay closes the circuit.
        max_circuit_bytes: MAX_CIRCUIT_BYTES,
        circuit_src_rate_limiters: vec![],
    }
    // One reservation per peer per 2 minutes on average, in bursts of up to 30.
    .reservation_rate_per_peer(
        NonZeroU32::new(30).expect("30 > 0"),
        Duration::from_secs(120),
    )
    // One new circuit per source peer every 10 s on average, in bursts of up to 60
    // (a home reconnecting to its peers after a restart).
    .circuit_src_per_peer(
        NonZeroU32::new(60).expect("60 > 0"),
        Duration::from_secs(10),
    )
}

/// Bytes one relayed circuit may carry (both ways) before the relay closes it: 4 MiB,
/// 64 of the largest envelopes or thousands of typical alerts, far from bulk transfer.
pub const MAX_CIRCUIT_BYTES: u64 = 4 * 1024 * 1024;

/// Settings of reachability and of the overlay.
#[derive(Debug, Clone)]
pub struct ReachConfig {
    /// Serve relayed circuits (and rendezvous) for others: for reachable machines.
    pub relay_server: bool,
    /// Ask the home router for a port mapping (UPnP IGD).
    pub upnp: bool,
    /// Treat non-global addresses (private ranges, documentation ranges) as usable
    /// external addresses: for test networks and community networks on private space.
    pub private_addresses: bool,
    /// Connections the node keeps; above it, it prunes.
    pub target_peers: usize,
    /// How often the node asks rendezvous points for its community's members.
    pub discovery_interval: Duration,
}

/// The library's defaults: no UPnP, so tests and the simulator never talk to a real
/// router; the daemon turns it on from its configuration (`[reach] upnp`, on by default).
impl Default for ReachConfig {
    fn default() -> Self {
        Self {
            relay_server: false,
            upnp: false,
            private_addresses: false,
            target_peers: DEFAULT_TARGET_PEERS,
            discovery_interval: DEFAULT_DISCOVERY_INTERVAL,
        }
    }
}

/// Default connection target: gossipsub's mesh wants 6 (up to 12), and a few more give
/// catch-up and discovery some choice, without growing toward a full mesh.
pub const DEFAULT_TARGET_PEERS: usize = 12;
/// Default discovery interval: a new member is found within a minute, and one query a
/// minute per home is nothing to a relay.
pub const DEFAULT_DISCOVERY_INTERVAL: Duration = Duration::from_secs(60);

/// The NAT traversal behaviours.
#[derive(NetworkBehaviour)]
#[allow(missing_debug_implementations)] // libp2p behaviours do not implement Debug
pub struct ReachBehaviour {
    /// Relay client: reservations and relayed dials.
    pub relay_client: relay::client::Behaviour,
    /// Relay server, on reachable nodes with `--relay`.
    pub relay: Toggle<relay::Behaviour>,
    /// Hole punching over relayed connections.
    pub dcutr: dcutr::Behaviour,
    /// AutoNAT v2: asks peers to dial our candidate addresses back.
    pub autonat: autonat::v2::client::Behaviour,
    /// AutoNAT v2: dials peers' candidate addresses back for them.
    pub autonat_server: autonat::v2::server::Behaviour,
    /// Port mapping on the home router.
    pub upnp: Toggle<ProbedUpnp>,
    /// Registers with and asks rendezvous points.
    pub rendezvous: rendezvous::client::Behaviour,
    /// A rendezvous point, on relays.
    pub rendezvous_server: Toggle<rendezvous::server::Behaviour>,
}

/// Build the behaviours; `relay_client` comes from the transport builder.
pub fn build(
    key: &libp2p::identity::Keypair,
    cfg: &ReachConfig,
    relay_client: relay::client::Behaviour,
) -> ReachBehaviour {
    let peer_id = key.public().to_peer_id();
    ReachBehaviour {
        relay_client,
        relay: Toggle::from(cfg.relay_server.then(|| {
            let mut r = relay::Behaviour::new(peer_id, relay_limits());
            // Serve at once: the operator says this machine is reachable.
            r.set_status(Some(relay::Status::Enable));
            r
        })),
        dcutr: dcutr::Behaviour::new(peer_id),
        autonat: autonat::v2::client::Behaviour::default(),
        autonat_server: autonat::v2::server::Behaviour::default(),
        upnp: Toggle::from(
            cfg.upnp
                .then(|| ProbedUpnp(upnp::tokio::Behaviour::default())),
        ),
        rendezvous: rendezvous::client::Behaviour::new(key.clone()),
        rendezvous_server: Toggle::from(cfg.relay_server.then(|| {
            rendezvous::server::Behaviour::new(
                rendezvous::server::Config::default()
                    // One registration per member and namespace; a few thousand members.
                    .with_max_registration_total(MAX_RENDEZVOUS_REGISTRATIONS),
            )
        })),
    }
}

/// Registrations a rendezvous point holds in all: bounds its memory (a registration is a
/// signed peer record of a few hundred bytes).
pub const MAX_RENDEZVOUS_REGISTRATIONS: usize = 4_096;

/// UPnP whose mapped address is only a candidate: AutoNAT confirms it before it is
/// advertised (a router may map a port that its upstream, e.g. carrier-grade NAT, blocks).
#[allow(missing_debug_implementations)]
pub struct ProbedUpnp(upnp::tokio::Behaviour);

impl NetworkBehaviour for ProbedUpnp {
    type ConnectionHandler = <upnp::tokio::Behaviour as NetworkBehaviour>::ConnectionHandler;
    type ToSwarm = upnp::Event;

    fn handle_pending_inbound_connection(
        &mut self,
        c: ConnectionId,
        l: &Multiaddr,
        r: &Multiaddr,
    ) -> Result<(), ConnectionDenied> {
        self.0.handle_pending_inbound_connection(c, l, r)
    }

    fn handle_established_inbound_connection(
        &mut self,
        c: ConnectionId,
        p: PeerId,
        l: &Multiaddr,
        r: &Multiaddr,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        self.0.handle_established_inbound_connection(c, p, l, r)
    }

    fn handle_pending_outbound_connection(
        &mut self,
        c: ConnectionId,
        p: Option<PeerId>,
        a: &[Multiaddr],
        e: Endpoint,
    ) -> Result<Vec<Multiaddr>, ConnectionDenied> {
        self.0.handle_pending_outbound_connection(c, p, a, e)
    }

    fn handle_established_outbound_connection(
        &mut self,
        c: ConnectionId,
        p: PeerId,
        a: &Multiaddr,
        e: Endpoint,
        u: PortUse,
    ) -> Result<THandler<Self>, ConnectionDenied> {
        self.0.handle_established_outbound_connection(c, p, a, e, u)
    }

    fn on_swarm_event(&mut self, event: FromSwarm) {
        self.0.on_swarm_event(event)
    }

    fn on_connection_handler_event(
        &mut self,
        p: PeerId,
        c: ConnectionId,
        e: THandlerOutEvent<Self>,
    ) {
        self.0.on_connection_handler_event(p, c, e)
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<ToSwarm<upnp::Event, THandlerInEvent<Self>>> {
        match self.0.poll(cx) {
            Poll::Ready(ToSwarm::ExternalAddrConfirmed(a)) => {
                Poll::Ready(ToSwarm::NewExternalAddrCandidate(a))
            }
            other => other,
        }
    }
}

/// Whether `addr` goes through a relay.
pub fn is_relayed(addr: &Multiaddr) -> bool {
    addr.iter().any(|p| matches!(p, Protocol::P2pCircuit))
}

/// Whether `addr`'s IP is loopback.
pub fn is_loopback(addr: &Multiaddr) -> bool {
    addr.iter().any(|p| match p {
        Protocol::Ip4(a) => a.is_loopback(),
        Protocol::Ip6(a) => a.is_loopback(),
        _ => false,
    })
}

/// Whether `addr`'s IP is global unicast (not private, loopback, link-local, shared
/// (carrier-grade NAT), documentation, benchmarking or reserved space). Addresses without
/// an IP (DNS names) count as global.
pub fn is_global(addr: &Multiaddr) -> bool {
    for p in addr.iter() {
        match p {
            Protocol::Ip4(a) => {
                let o = a.octets();
                return !(a.is_private()
                    || a.is_loopback()
                    || a.is_link_local()
                    || a.is_unspecified()
                    || a.is_broadcast()
                    || a.is_documentation()
                    || a.is_multicast()
                    || o[0] == 0
                    || (o[0] == 100 && (o[1] & 0xc0) == 64) // 100.64.0.0/10, shared
                    || (o[0] == 198 && (o[1] & 0xfe) == 18) // 198.18.0.0/15, benchmarking
                    || (o[0] == 192 && o[1] == 0 && o[2] == 0) // 192.0.0.0/24
                    || o[0] >= 240);
            }
            Protocol::Ip6(a) => {
                let s = a.segments();
                return !(a.is_loopback()
                    || a.is_unspecified()
                    || a.is_multicast()
                    || (s[0] & 0xfe00) == 0xfc00 // unique local
                    || (s[0] & 0xffc0) == 0xfe80 // link local
                    || (s[0] == 0x2001 && s[1] == 0x0db8)); // documentation
            }
            _ => {}
        }
    }
    true
}

/// Whether an address a peer announced is worth keeping for it, given the address we
/// reach that peer at: loopback addresses only for a peer on this machine.
pub fn usable_from(addr: &Multiaddr, remote: Option<&Multiaddr>) -> bool {
    !is_loopback(addr) || remote.is_some_and(is_loopback)
}

/// The reachability part of `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Reachability {
    /// `direct` (peers can dial us), `relayed` (through a relay reservation) or `unknown`.
    pub state: String,
    /// One line in plain words.
    pub summary: String,
    /// Addresses peers confirmed they can dial (AutoNAT).
    pub public_addrs: Vec<String>,
    /// Our relay reservations, as the `/p2p-circuit` addresses peers dial.
    pub reservations: Vec<String>,
    /// Whether this node serves as a relay for others.
    pub relay_server: bool,
    /// Circuits this relay serves now (0 unless `relay_server`).
    pub relayed_circuits: usize,
    /// Reservations this relay holds for others now.
    pub relay_reservations_served: usize,
    /// Hole punches (DCUtR) that ended in a direct connection.
    pub hole_punch_ok: u64,
    /// Hole punches that failed (the connection stays relayed).
    pub hole_punch_failed: u64,
    /// The UPnP state, if enabled: `searching`, `mapped <addr>`, `no gateway` or
    /// `gateway not routable`.
    pub upnp: Option<String>,
}

struct RelayCandidate {
    /// Where we reach it (a direct address we dialed).
    addr: Multiaddr,
    listener: Option<ListenerId>,
}

/// Reachability state, kept beside the swarm by the event loop.
pub struct Reach {
    cfg: ReachConfig,
    namespace: Option<rendezvous::Namespace>,
    /// Kept alive for swarms built over another transport (the simulator): the relay
    /// client behaviour stops once its transport is dropped.
    _relay_transport: Option<relay::client::Transport>,
    /// Relays we know of (their identify lists the hop protocol), with our listener.
    relays: HashMap<PeerId, RelayCandidate>,
    /// Confirmed reservations: relay -> circuit address.
    reserved: HashMap<PeerId, Multiaddr>,
    /// Connected rendezvous points, with the cookie of their last answer.
    points: HashMap<PeerId, Option<rendezvous::Cookie>>,
    last_discovery: Option<Instant>,
    last_register: Option<Instant>,
    /// Open connections: whether each is relayed, and its remote address.
    conns: HashMap<ConnectionId, (PeerId, bool, Multiaddr, bool)>,
    /// Confirmed direct external addresses.
    public: BTreeSet<Multiaddr>,
    circuits: HashSet<(PeerId, PeerId)>,
    served_reservations: HashSet<PeerId>,
    punched: u64,
    punch_failed: u64,
    upnp: Option<String>,
}

impl std::fmt::Debug for Reach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reach")
            .field("reserved", &self.reserved)
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl Reach {
    /// New state for a node of `community` (its rendezvous namespace).
    pub fn new(
        cfg: ReachConfig,
        community: Option<aviso_protocol::CommunityId>,
        relay_transport: Option<relay::client::Transport>,
    ) -> Self {
        let upnp = cfg.upnp.then(|| "searching".to_string());
        Self {
            namespace: community
                .and_then(|c| rendezvous::Namespace::new(format!("aviso/{}", c.to_hex())).ok()),
            cfg,
            _relay_transport: relay_transport,
            relays: HashMap::new(),
            reserved: HashMap::new(),
            points: HashMap::new(),
            last_discovery: None,
            last_register: None,
            conns: HashMap::new(),
            public: BTreeSet::new(),
            circuits: HashSet::new(),
            served_reservations: HashSet::new(),
            punched: 0,
            punch_failed: 0,
            upnp,
        }
    }

    /// Whether the node's connection to `peer` is direct: some open connection to it does
    /// not go through a relay. `None` when not connected.
    pub fn is_direct(&self, peer: &PeerId) -> Option<bool> {
        let mut any = None;
        for (p, relayed, _, _) in self.conns.values() {
            if p == peer {
                any = Some(any.unwrap_or(false) || !relayed);
            }
        }
        any
    }

    /// Follow the swarm events that reachability depends on (called for every event
    /// before the event loop handles it).
    pub fn observe<E>(&mut self, swarm: &mut Swarm<NodeBehaviour>, ev: &SwarmEvent<E>) {
        match ev {
            SwarmEvent::ConnectionEstablished {
                peer_id,
                connection_id,
                endpoint,
                ..
            } => {
                let remote = endpoint.get_remote_address().clone();
                self.conns.insert(
                    *connection_id,
                    (
                        *peer_id,
                        endpoint.is_relayed(),
                        remote,
                        endpoint.is_dialer(),
                    ),
                );
            }
            SwarmEvent::ConnectionClosed {
                peer_id,
                connection_id,
                num_established,
                ..
            } => {
                self.conns.remove(connection_id);
                if *num_established == 0 {
                    self.points.remove(peer_id);
                }
            }
            SwarmEvent::ExternalAddrConfirmed { address } => {
                if is_relayed(address) {
                    // A reservation's address is now advertised: tell rendezvous points.
                    self.register_everywhere(swarm);
                    return;
                }
                if !self.cfg.private_addresses && !is_global(address) {
                    debug!(%address, "not advertising a non-global address");
                    swarm.remove_external_address(address);
                    return;
                }
                if self.public.insert(address.clone()) {
                    info!(%address, "reachable directly (confirmed by a peer)");
                    self.register_everywhere(swarm);
                }
            }
            SwarmEvent::ExternalAddrExpired { address } => {
                self.public.remove(address);
            }
            SwarmEvent::NewListenAddr { address, .. }
                if self.cfg.relay_server
                    && !is_relayed(address)
                    && !is_loopback(address)
                    && (self.cfg.private_addresses || is_global(address)) =>
            {
                // A relay's operator declares it reachable (`--relay`): AutoNAT could not
                // tell, as it only asks peers this node dialed, and a relay is dialed.
                swarm.add_external_address(address.clone());
                self.public.insert(address.clone());
            }
            SwarmEvent::NewListenAddr { address, .. } if is_relayed(address) => {
                // The relay client confirms the circuit address as external; remember it.
                if let Some(relay) = relay_of(address) {
                    info!(%address, "reachable through a relay");
                    self.reserved.insert(relay, address.clone());
                    self.register_everywhere(swarm);
                }
            }
            SwarmEvent::ListenerClosed { listener_id, .. } => {
                let gone: Vec<PeerId> = self
                    .relays
                    .iter()
                    .filter(|(_, r)| r.listener == Some(*listener_id))
                    .map(|(p, _)| *p)
                    .collect();
                for p in gone {
                    self.relays.remove(&p);
                    self.reserved.remove(&p);
                }
            }
            _ => {}
        }
    }

    /// Identify told us what `peer` speaks: reserve on relays, use rendezvous points.
    pub fn on_identify(
        &mut self,
        swarm: &mut Swarm<NodeBehaviour>,
        peer: PeerId,
        info: &identify::Info,
    ) {
        let speaks = |name: &str| info.protocols.iter().any(|p| p.as_ref() == name);
        if speaks(relay::HOP_PROTOCOL_NAME.as_ref()) && !self.relays.contains_key(&peer) {
            // Reserve through a direct connection we dialed: its address is one we can
            // reach again.
            let addr = self
                .conns
                .values()
                .find(|(p, relayed, _, dialer)| *p == peer && !relayed && *dialer)
                .map(|(_, _, a, _)| a.clone());
            if let Some(addr) = addr {
                self.relays.insert(
                    peer,
                    RelayCandidate {
                        addr,
                        listener: None,
                    },
                );
                self.reserve(swarm);
            }
        }
        if speaks(RENDEZVOUS_PROTOCOL)
            && !self.points.contains_key(&peer)
            && peer != *swarm.local_peer_id()
        {
            self.points.insert(peer, None);
            self.register_at(swarm, peer);
            self.discover_at(swarm, peer);
        }
    }

    /// Keep reservations on up to [`MAX_RESERVATIONS`] relays while no peer confirmed a
    /// direct address of ours.
    fn reserve(&mut self, swarm: &mut Swarm<NodeBehaviour>) {
        if !self.public.is_empty() {
            return;
        }
        let held = self
            .relays
            .values()
            .filter(|r| r.listener.is_some())
            .count();
        let mut room = MAX_RESERVATIONS.saturating_sub(held);
        for (peer, r) in self.relays.iter_mut() {
            if room == 0 {
                break;
            }
            if r.listener.is_some() {
                continue;
            }
            let circuit = r
                .addr
                .clone()
                .with_p2p(*peer)
                .unwrap_or_else(|a| a)
                .with(Protocol::P2pCircuit);
            match swarm.listen_on(circuit.clone()) {
                Ok(id) => {
                    debug!(%circuit, "asking for a relay reservation");
                    r.listener = Some(id);
                    room -= 1;
                }
                Err(e) => debug!(%circuit, error = %e, "cannot listen through relay"),
            }
        }
    }

    fn register_everywhere(&mut self, swarm: &mut Swarm<NodeBehaviour>) {
        let points: Vec<PeerId> = self.points.keys().copied().collect();
        for p in points {
            self.register_at(swarm, p);
        }
        self.last_register = Some(Instant::now());
    }

    fn register_at(&mut self, swarm: &mut Swarm<NodeBehaviour>, point: PeerId) {
        let Some(ns) = self.namespace.clone() else {
            return;
        };
        if swarm.external_addresses().next().is_none() {
            // Nothing to advertise yet; registration follows the first confirmed address.
            return;
        }
        if let Err(e) = swarm
            .behaviour_mut()
            .reach
            .rendezvous
            .register(ns, point, None)
        {
            debug!(error = %e, "cannot register at rendezvous point");
        }
    }

    fn discover_at(&mut self, swarm: &mut Swarm<NodeBehaviour>, point: PeerId) {
        let Some(ns) = self.namespace.clone() else {
            return;
        };
        let cookie = self.points.get(&point).cloned().flatten();
        swarm.behaviour_mut().reach.rendezvous.discover(
            Some(ns),
            cookie,
            Some(u64::from(MAX_DISCOVERED)),
            point,
        );
    }

    /// Once a second: discovery, registration renewal, reservations, pruning.
    pub fn tick(&mut self, swarm: &mut Swarm<NodeBehaviour>, keep: &HashSet<PeerId>) {
        let now = Instant::now();
        if self
            .last_discovery
            .is_none_or(|t| now.duration_since(t) >= self.cfg.discovery_interval)
        {
            self.last_discovery = Some(now);
            let points: Vec<PeerId> = self.points.keys().copied().collect();
            for p in points {
                self.discover_at(swarm, p);
            }
        }
        if self
            .last_register
            .is_none_or(|t| now.duration_since(t) >= REGISTER_EVERY)
        {
            self.register_everywhere(swarm);
        }
        if self.reserved.len() < MAX_RESERVATIONS {
            self.reserve(swarm);
        }
        self.prune(swarm, keep);
    }

    /// Close connections above the target, never to `keep` (bootstrap peers, peers in a
    /// catch-up session), relays we reserve on, peers holding a reservation with us, or
    /// gossip mesh peers. Connections this node dialed go first (a peer that dialed us
    /// may need us, e.g. as its bootstrap peer, and would dial again at once); those a
    /// peer dialed only above twice the target. Lowest gossip score first. Relayed
    /// connections to a peer we also reach directly are closed in any case.
    fn prune(&mut self, swarm: &mut Swarm<NodeBehaviour>, keep: &HashSet<PeerId>) {
        // Superfluous relayed connections (a direct one to the same peer exists).
        let dup: Vec<ConnectionId> = self
            .conns
            .iter()
            .filter(|(_, (p, relayed, _, _))| *relayed && self.is_direct(p) == Some(true))
            .map(|(c, _)| *c)
            .collect();
        for c in dup {
            swarm.close_connection(c);
        }
        let peers: Vec<PeerId> = swarm.connected_peers().copied().collect();
        if peers.len() <= self.cfg.target_peers {
            return;
        }
        let gs = &swarm.behaviour().gossipsub;
        let mesh: HashSet<PeerId> = gs.all_mesh_peers().copied().collect();
        let mut candidates: Vec<(PeerId, f64)> = peers
            .iter()
            .filter(|p| {
                !keep.contains(p)
                    && !mesh.contains(p)
                    && !self.relays.contains_key(p)
                    && !self.points.contains_key(p)
                    && !self.served_reservations.contains(p)
            })
            .map(|p| (*p, gs.peer_score(p).unwrap_or(0.0)))
            .collect();
        candidates.sort_by(|a, b| {
            (!self.dialed_only(&a.0), a.1)
                .partial_cmp(&(!self.dialed_only(&b.0), b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.cmp(&b.0))
        });
        let hard = 2 * self.cfg.target_peers;
        let dialed = candidates
            .iter()
            .take_while(|(p, _)| self.dialed_only(p))
            .count();
        let excess = peers.len() - self.cfg.target_peers;
        // Peers that dialed us are pruned only down to the hard cap.
        let excess = excess.min(dialed + peers.len().saturating_sub(hard));
        for (p, _) in candidates.into_iter().take(excess) {
            debug!(peer = %p, "pruning a connection above the target");
            let _ = swarm.disconnect_peer_id(p);
        }
    }

    /// Whether every open connection to `peer` was dialed by this node.
    fn dialed_only(&self, peer: &PeerId) -> bool {
        self.conns
            .values()
            .filter(|(p, ..)| p == peer)
            .all(|(_, _, _, dialer)| *dialer)
    }

    /// Whether the overlay has room for another connection.
    pub fn has_room(&self, swarm: &Swarm<NodeBehaviour>) -> bool {
        swarm.connected_peers().count() < self.cfg.target_peers
    }

    /// Handle an event of the reach behaviours.
    pub fn on_event(&mut self, swarm: &mut Swarm<NodeBehaviour>, ev: ReachBehaviourEvent) {
        match ev {
            ReachBehaviourEvent::Rendezvous(rendezvous::client::Event::Discovered {
                rendezvous_node,
                registrations,
                cookie,
            }) => {
                self.points.insert(rendezvous_node, Some(cookie));
                let me = *swarm.local_peer_id();
                let mut dialed = 0;
                for r in registrations {
                    let peer = r.record.peer_id();
                    if peer == me || swarm.is_connected(&peer) {
                        continue;
                    }
                    if dialed >= MAX_DIALS_PER_DISCOVERY || !self.has_room(swarm) {
                        break;
                    }
                    let addrs: Vec<Multiaddr> = r
                        .record
                        .addresses()
                        .iter()
                        .filter(|a| usable_from(a, None))
                        .cloned()
                        .collect();
                    if addrs.is_empty() {
                        continue;
                    }
                    debug!(peer = %peer, ?addrs, "dialing a member found by rendezvous");
                    dialed += 1;
                    let _ = swarm.dial(DialOpts::peer_id(peer).addresses(addrs).build());
                }
            }
            ReachBehaviourEvent::Rendezvous(rendezvous::client::Event::DiscoverFailed {
                rendezvous_node,
                error,
                ..
            }) => {
                debug!(point = %rendezvous_node, ?error, "rendezvous discovery failed");
                // A stale cookie is refused: start over.
                self.points.insert(rendezvous_node, None);
            }
            ReachBehaviourEvent::Rendezvous(rendezvous::client::Event::Registered {
                rendezvous_node,
                ..
            }) => debug!(point = %rendezvous_node, "registered at rendezvous point"),
            ReachBehaviourEvent::Rendezvous(rendezvous::client::Event::RegisterFailed {
                rendezvous_node,
                error,
                ..
            }) => debug!(point = %rendezvous_node, ?error, "rendezvous registration failed"),
            ReachBehaviourEvent::Dcutr(dcutr::Event {
                remote_peer_id,
                result,
            }) => match result {
                Ok(_) => {
                    self.punched += 1;
                    info!(peer = %remote_peer_id, "hole punched: connected directly");
                }
                Err(e) => {
                    self.punch_failed += 1;
                    info!(peer = %remote_peer_id, error = %e, "hole punch failed: staying relayed");
                }
            },
            ReachBehaviourEvent::RelayClient(relay::client::Event::ReservationReqAccepted {
                relay_peer_id,
                ..
            }) => debug!(relay = %relay_peer_id, "relay reservation accepted"),
            ReachBehaviourEvent::Relay(ev) => match ev {
                relay::Event::ReservationReqAccepted { src_peer_id, .. } => {
                    self.served_reservations.insert(src_peer_id);
                }
                relay::Event::ReservationTimedOut { src_peer_id } => {
                    self.served_reservations.remove(&src_peer_id);
                }
                relay::Event::CircuitReqAccepted {
                    src_peer_id,
                    dst_peer_id,
                } => {
                    self.circuits.insert((src_peer_id, dst_peer_id));
                }
                relay::Event::CircuitClosed {
                    src_peer_id,
                    dst_peer_id,
                    error,
                } => {
                    if let Some(e) = error {
                        info!(src = %src_peer_id, dst = %dst_peer_id, error = %e, "relayed circuit closed");
                    }
                    self.circuits.remove(&(src_peer_id, dst_peer_id));
                }
                _ => {}
            },
            ReachBehaviourEvent::Upnp(ev) => {
                self.upnp = Some(match ev {
                    upnp::Event::NewExternalAddr { external_addr, .. } => {
                        format!("mapped {external_addr}")
                    }
                    upnp::Event::ExpiredExternalAddr { .. } => "searching".into(),
                    upnp::Event::GatewayNotFound => "no gateway".into(),
                    upnp::Event::NonRoutableGateway => "gateway not routable".into(),
                });
            }
            ReachBehaviourEvent::Autonat(ev) => {
                debug!(addr = %ev.tested_addr, server = %ev.server, ok = ev.result.is_ok(), "autonat probe");
            }
            _ => {}
        }
    }

    /// The reachability part of `status`.
    pub fn status(&self, swarm: &Swarm<NodeBehaviour>) -> Reachability {
        let public: Vec<String> = self.public.iter().map(|a| a.to_string()).collect();
        let mut reservations: Vec<String> = self
            .reserved
            .values()
            .map(|a| {
                a.clone()
                    .with_p2p(*swarm.local_peer_id())
                    .unwrap_or_else(|a| a)
                    .to_string()
            })
            .collect();
        reservations.sort();
        let (state, summary) = if !public.is_empty() && self.cfg.relay_server {
            (
                "direct",
                format!(
                    "reachable directly at {} (declared by --relay), serving as a community \
                     relay: {} reservations, {} circuits",
                    public.join(", "),
                    self.served_reservations.len(),
                    self.circuits.len()
                ),
            )
        } else if !public.is_empty() {
            (
                "direct",
                format!("reachable directly at {}", public.join(", ")),
            )
        } else if !reservations.is_empty() {
            (
                "relayed",
                format!(
                    "behind a router: reachable through relay {}",
                    reservations.join(", ")
                ),
            )
        } else if self.relays.is_empty() {
            (
                "unknown",
                "not reachable yet: no peer has confirmed an address of this node and no \
                 community relay is connected (add a relay's address with --bootstrap or \
                 join with an invite that has one)"
                    .to_string(),
            )
        } else {
            (
                "unknown",
                "not reachable yet: asking a relay for a reservation".to_string(),
            )
        };
        Reachability {
            state: state.to_owned(),
            summary,
            public_addrs: public,
            reservations,
            relay_server: self.cfg.relay_server,
            relayed_circuits: self.circuits.len(),
            relay_reservations_served: self.served_reservations.len(),
            hole_punch_ok: self.punched,
            hole_punch_failed: self.punch_failed,
            upnp: self.upnp.clone(),
        }
    }
}

/// The relay's peer id in a `/p2p-circuit` address (the `/p2p/` before the circuit).
fn relay_of(addr: &Multiaddr) -> Option<PeerId> {
    let mut last = None;
    for p in addr.iter() {
        match p {
            Protocol::P2p(id) => last = Some(id),
            Protocol::P2pCircuit => return last,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ma(s: &str) -> Multiaddr {
        s.parse().expect("multiaddr")
    }

    #[test]
    fn documentation_and_private_ranges_are_not_global() {
        for a in [
            "/ip4/198.51.100.7/tcp/1",
            "/ip4/203.0.113.7/tcp/1",
            "/ip4/192.168.1.2/tcp/1",
            "/ip4/10.0.0.1/tcp/1",
            "/ip4/100.64.0.1/tcp/1",
            "/ip4/127.0.0.1/tcp/1",
            "/ip6/::1/tcp/1",
            "/ip6/fd00::1/tcp/1",
        ] {
            assert!(!is_global(&ma(a)), "{a}");
        }
        assert!(is_global(&ma("/ip4/93.184.215.14/tcp/1")));
        assert!(is_global(&ma("/dns4/relay.example.org/tcp/1")));
    }

    #[test]
    fn loopback_is_kept_only_for_peers_on_this_machine() {
        let lo = ma("/ip4/127.0.0.1/tcp/7446");
        assert!(!usable_from(&lo, Some(&ma("/ip4/203.0.113.5/tcp/7446"))));
        assert!(usable_from(&lo, Some(&ma("/ip4/127.0.0.1/tcp/5000"))));
        assert!(usable_from(&ma("/ip4/203.0.113.5/tcp/7446"), None));
    }

    #[test]
    fn the_relay_of_a_circuit_address() {
        let relay: PeerId = "12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN"
            .parse()
            .expect("peer id");
        let a = ma(&format!(
            "/ip4/203.0.113.1/tcp/7446/p2p/{relay}/p2p-circuit"
        ));
        assert!(is_relayed(&a));
        assert_eq!(relay_of(&a), Some(relay));
        assert_eq!(relay_of(&ma("/ip4/203.0.113.1/tcp/7446")), None);
    }
}
