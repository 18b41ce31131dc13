//! Hostile nodes: Sybils that join the mesh and drop everything, nodes that flood forged
//! or unauthorized envelopes, nodes that withhold from sync, and an eclipse of one
//! honest node.
//!
//! An adversary is not an `aviso-node`: it is a bare libp2p swarm over the same
//! simulated transport, speaking what an attacker needs to look like a member (gossipsub
//! on the community topic, identify, ping and, for withholders, `/aviso/sync/1` and
//! `/aviso/fetch/1`), and doing with it what an attacker would:
//!
//! - **Black hole**: subscribes and grafts like anyone, never validates what it receives,
//!   so gossipsub never forwards it or announces it (IHAVE lists validated messages
//!   only); publishes nothing. It costs the honest nodes a mesh slot and their copies.
//! - **Withholder**: a black hole that also answers sync, from an empty store: it claims
//!   to have nothing, so a node reconciling with it finds nothing to fetch.
//! - **Flooder**: a black hole that publishes [`SimConfig::flood_rate`] envelopes per
//!   second: *forged* (an organizer's real alert with its text changed, so the
//!   signature fails, each one distinct) or *unauthorized* (well signed by a key no
//!   trust list names).
//! - **Eclipse**: one honest node whose every link goes to an adversary; after the
//!   alerts it dials one honest node (a link the simulator kept in reserve), and must
//!   then catch up by sync.
//!
//! Adversaries redial their planned neighbours every few seconds, as a persistent
//! attacker would; a node that blocked one refuses the connection.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use aviso_node::net::sync::SyncServer;
use aviso_node::net::sync::{FETCH_PROTOCOL, MAX_FETCH_REQUEST, MAX_SYNC_MESSAGE, SYNC_PROTOCOL};
use aviso_node::net::{gossip_message_id, topic_for};
use aviso_node::pipeline::Pipeline;
use aviso_node::{Store, unix_now};
use aviso_protocol::{
    Alert, Area, Body, Category, Certainty, Community, Envelope, Info, MsgType, SecretKey,
    Severity, Status, Urgency,
};
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, StreamExt};
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::behaviour::toggle::Toggle;
use libp2p::swarm::dial_opts::DialOpts;
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{Multiaddr, PeerId, StreamProtocol, Swarm, gossipsub, identify, identity, ping};
use serde::Serialize;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinHandle;

use crate::link::{Hub, MARKER_PREFIX, node_transport};
use crate::memstore::MemStore;
use crate::rng::Rng;
use crate::run::SimConfig;
use crate::topology::Graph;

/// How often an adversary redials planned neighbours it is not connected to.
const REDIAL: Duration = Duration::from_secs(5);
/// How often a flooder publishes a batch: 100 batches a second spread its rate evenly.
const FLOOD_TICK: Duration = Duration::from_millis(10);
/// Largest gossipsub frame an adversary sends or takes: what honest nodes accept.
const MAX_TRANSMIT: usize = aviso_protocol::limits::MAX_ENVELOPE_BYTES + 4 * 1024;
/// How long flood envelopes claim to live.
const FLOOD_TTL_SECS: u64 = 24 * 3600;

/// What a node is in a hostile run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A real `aviso-node`.
    Honest,
    /// Joins the mesh, drops everything.
    BlackHole,
    /// A black hole that also answers sync from an empty store.
    Withholder,
    /// A black hole that publishes a flood of bad envelopes.
    Flooder,
}

/// What flooders send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FloodKind {
    /// Real alerts of an organizer with altered text: the signature fails (the
    /// pipeline rejects them and gossipsub penalizes the sender).
    Forged,
    /// Well-signed alerts by a key that no trust list names (the relay rule ignores
    /// them, without penalty).
    Unauthorized,
}

impl std::str::FromStr for FloodKind {
    type Err = String;
    fn from_str(s: &str) -> Result<FloodKind, String> {
        match s {
            "forged" => Ok(FloodKind::Forged),
            "unauthorized" => Ok(FloodKind::Unauthorized),
            _ => Err(format!("unknown flood kind {s:?} (forged, unauthorized)")),
        }
    }
}

/// Choose the role of every node from the configured fractions, seeded. Returns the
/// roles and, with `cfg.eclipse`, the eclipsed node and the honest node it will dial
/// later.
pub fn assign(cfg: &SimConfig, rng: &mut Rng) -> (Vec<Role>, Option<(usize, usize)>) {
    let n = cfg.nodes;
    let count = |f: f64| ((f.clamp(0.0, 1.0) * n as f64).round() as usize).min(n);
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut roles = vec![Role::Honest; n];
    let mut next = order.into_iter();
    for (role, k) in [
        (Role::Flooder, count(cfg.flooders)),
        (Role::Withholder, count(cfg.withholders)),
        (Role::BlackHole, count(cfg.black_holes)),
    ] {
        for i in next.by_ref().take(k) {
            roles[i] = role;
        }
    }
    let honest: Vec<usize> = next.collect();
    let eclipse = (cfg.eclipse && honest.len() >= 2 && roles.iter().any(|r| *r != Role::Honest))
        .then(|| (honest[0], honest[1]));
    (roles, eclipse)
}

/// Rewire `graph` so that every link of `victim` goes to an adversary: its links to
/// honest nodes are dropped, and it gets links to `degree` adversaries (or all of them).
/// Returns the links the hub must allow: the graph's, plus `victim` → `rescuer`, which
/// nobody dials until the simulator does.
pub fn eclipse(
    graph: &mut Graph,
    roles: &[Role],
    victim: usize,
    rescuer: usize,
    degree: usize,
    rng: &mut Rng,
) -> Vec<Vec<usize>> {
    for j in std::mem::take(&mut graph.adj[victim]) {
        graph.adj[j].retain(|&k| k != victim);
    }
    let mut bad: Vec<usize> = (0..roles.len())
        .filter(|&i| roles[i] != Role::Honest)
        .collect();
    rng.shuffle(&mut bad);
    for &j in bad.iter().take(degree.max(1)) {
        graph.adj[victim].push(j);
        graph.adj[j].push(victim);
        graph.adj[j].sort_unstable();
    }
    graph.adj[victim].sort_unstable();
    let mut reach = graph.adj.clone();
    reach[victim].push(rescuer);
    reach[victim].sort_unstable();
    reach
}

/// The bad envelopes one flooder sends, each distinct.
#[derive(Debug)]
pub struct Flood {
    kind: FloodKind,
    /// Forged: a real signed alert; its marker's 8 ASCII bytes (after the flag) are
    /// overwritten with a counter.
    template: Vec<u8>,
    at: usize,
    /// Unauthorized: the outsider's key and community.
    outsider: SecretKey,
    community: Community,
    /// Which flooder (so two flooders never send the same envelope).
    index: u64,
    sent: u64,
}

impl Flood {
    /// The flood of flooder `index`: forgeries of `real` (an organizer's signed alert
    /// carrying the simulator's marker), or envelopes signed by a key from `rng`.
    pub fn new(
        kind: FloodKind,
        real: &Envelope,
        community: Community,
        index: u64,
        rng: &mut Rng,
    ) -> Flood {
        let template = real.bytes().to_vec();
        // The flag is 3 bytes of UTF-8, then "sim" and 5 digits: 8 ASCII bytes to vary,
        // which also takes the copy counter's marker off the forgery.
        let flag = MARKER_PREFIX.len() - 3;
        let at = template
            .windows(MARKER_PREFIX.len())
            .position(|w| w == MARKER_PREFIX)
            .map_or(0, |p| p + flag);
        Flood {
            kind,
            template,
            at,
            outsider: SecretKey::from_seed(&rng.bytes32()),
            community,
            index,
            sent: 0,
        }
    }

    /// The next envelope's bytes.
    pub fn next_bytes(&mut self) -> Vec<u8> {
        let n = self.index * 1_000_000 + self.sent % 1_000_000;
        self.sent += 1;
        match self.kind {
            FloodKind::Forged => {
                let mut b = self.template.clone();
                let digits = format!("{:08}", n % 100_000_000);
                if let Some(slot) = b.get_mut(self.at..self.at + 8) {
                    slot.copy_from_slice(digits.as_bytes());
                }
                b
            }
            FloodKind::Unauthorized => {
                let now = unix_now();
                Envelope::sign(
                    &self.outsider,
                    self.community.id,
                    &Body::Alert(outsider_alert(n)),
                    now,
                    now + FLOOD_TTL_SECS,
                )
                .map(Envelope::into_bytes)
                .unwrap_or_default()
            }
        }
    }

    /// Envelopes made so far.
    pub fn sent(&self) -> u64 {
        self.sent
    }
}

/// An alert as a real one looks, by nobody the community trusts.
fn outsider_alert(n: u64) -> Alert {
    Alert {
        category: Category::Raid,
        severity: Severity::Extreme,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: Area::parse("9q8yy").ok().into_iter().collect(),
        area_desc: None,
        onset: None,
        info: vec![Info {
            lang: "en".into(),
            headline: format!("Raid at the school {n}"),
            description: "Everyone must leave now.".into(),
            instruction: "Go to the park.".into(),
        }],
        confirms: vec![],
    }
}

/// Raw bytes both ways, read to the end of the stream within a limit: the framing of
/// the node's sync and fetch protocols.
#[derive(Debug, Clone, Default)]
struct RawCodec;

async fn read_to_end<T: AsyncRead + Unpin + Send>(io: &mut T, max: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    io.take(max as u64 + 1).read_to_end(&mut buf).await?;
    if buf.len() > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "too large"));
    }
    Ok(buf)
}

impl request_response::Codec for RawCodec {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_to_end(io, MAX_SYNC_MESSAGE.max(MAX_FETCH_REQUEST)).await
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        read_to_end(io, MAX_SYNC_MESSAGE).await
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        req: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        io.write_all(&req).await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        res: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        io.write_all(&res).await
    }
}

#[derive(NetworkBehaviour)]
#[allow(missing_debug_implementations)] // libp2p behaviours do not implement Debug
struct AdversaryBehaviour {
    gossipsub: gossipsub::Behaviour,
    identify: identify::Behaviour,
    ping: ping::Behaviour,
    sync: Toggle<request_response::Behaviour<RawCodec>>,
    fetch: Toggle<request_response::Behaviour<RawCodec>>,
}

/// Why an adversary could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot start an adversary: {0}")]
pub struct AdversaryError(String);

/// A running adversary.
#[derive(Debug)]
pub struct Adversary {
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<AdversaryStats>,
}

/// What an adversary did.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct AdversaryStats {
    /// Envelopes it published.
    pub published: u64,
    /// Sync and fetch requests it answered with nothing.
    pub withheld: u64,
}

impl Adversary {
    /// Stop it and return what it did.
    pub async fn stop(mut self) -> AdversaryStats {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.handle.await.unwrap_or_default()
    }
}

/// Start adversary `node` with `role`, dialing `dial` (peer, address) and redialing
/// them while disconnected. A flooder sends `flood` (envelopes, rate per second) once
/// `go` is set.
#[allow(clippy::too_many_arguments)]
pub fn spawn(
    hub: Arc<Hub>,
    node: usize,
    keypair: &identity::Keypair,
    role: Role,
    community: &Community,
    dial: Vec<(PeerId, Multiaddr)>,
    flood: Option<(Flood, u32)>,
    go: Arc<AtomicBool>,
) -> Result<Adversary, AdversaryError> {
    let err = |e: &dyn std::fmt::Display| AdversaryError(e.to_string());
    let transport = node_transport(hub, node, keypair).map_err(|e| err(&e))?;
    let gs_config = gossipsub::ConfigBuilder::default()
        .validation_mode(gossipsub::ValidationMode::Anonymous)
        .message_id_fn(|m: &gossipsub::Message| gossip_message_id(&m.data))
        // Never validated: nothing received is forwarded or announced.
        .validate_messages()
        .max_transmit_size(MAX_TRANSMIT)
        .build()
        .map_err(|e| err(&e))?;
    let mut gossipsub =
        gossipsub::Behaviour::new(gossipsub::MessageAuthenticity::Anonymous, gs_config)
            .map_err(|e| err(&e))?;
    let topic = topic_for(&community.id);
    gossipsub.subscribe(&topic).map_err(|e| err(&e))?;
    let withholds = role == Role::Withholder;
    let rr = |p: StreamProtocol| {
        request_response::Behaviour::with_codec(
            RawCodec,
            [(p, ProtocolSupport::Inbound)],
            request_response::Config::default(),
        )
    };
    let behaviour = AdversaryBehaviour {
        gossipsub,
        identify: identify::Behaviour::new(identify::Config::new(
            "/aviso/1".into(),
            keypair.public(),
        )),
        ping: ping::Behaviour::new(ping::Config::new().with_interval(Duration::from_secs(15))),
        sync: Toggle::from(withholds.then(|| rr(SYNC_PROTOCOL))),
        fetch: Toggle::from(withholds.then(|| rr(FETCH_PROTOCOL))),
    };
    let mut swarm = Swarm::new(
        transport,
        behaviour,
        keypair.public().to_peer_id(),
        libp2p::swarm::Config::with_tokio_executor()
            .with_idle_connection_timeout(Duration::from_secs(300)),
    );
    swarm.listen_on(Hub::addr(node)).map_err(|e| err(&e))?;
    // The withholder's "store": empty, so every reconciliation says it has nothing.
    let server = if withholds {
        let store: Arc<dyn Store> = Arc::new(MemStore::new());
        let (events, _) = broadcast::channel(1);
        let pipeline =
            Pipeline::new(store, Some(community.clone()), events).map_err(|e| err(&e))?;
        Some(Arc::new(SyncServer::new(pipeline)))
    } else {
        None
    };
    let (stop, stopped) = oneshot::channel();
    let handle = tokio::spawn(run(swarm, topic, dial, flood, go, server, stopped));
    Ok(Adversary {
        stop: Some(stop),
        handle,
    })
}

async fn run(
    mut swarm: Swarm<AdversaryBehaviour>,
    topic: gossipsub::IdentTopic,
    dial: Vec<(PeerId, Multiaddr)>,
    mut flood: Option<(Flood, u32)>,
    go: Arc<AtomicBool>,
    server: Option<Arc<SyncServer>>,
    mut stopped: oneshot::Receiver<()>,
) -> AdversaryStats {
    let mut stats = AdversaryStats::default();
    let mut redial = tokio::time::interval(REDIAL);
    let mut tick = tokio::time::interval(FLOOD_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Fractional envelopes owed, so any rate is kept on average.
    let mut owed = 0.0f64;
    let per_tick = flood
        .as_ref()
        .map_or(0.0, |(_, rate)| f64::from(*rate) * FLOOD_TICK.as_secs_f64());
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            ev = swarm.select_next_some() => {
                let answer = |req: &[u8], fetch: bool| -> Vec<u8> {
                    let now = unix_now();
                    match &server {
                        Some(s) if fetch => s.handle_fetch(req, now).unwrap_or_default(),
                        Some(s) => s.handle_sync(req, now).unwrap_or_default(),
                        None => Vec::new(),
                    }
                };
                match ev {
                    SwarmEvent::Behaviour(AdversaryBehaviourEvent::Sync(
                        request_response::Event::Message {
                            message: request_response::Message::Request { request, channel, .. },
                            ..
                        },
                    )) => {
                        stats.withheld += 1;
                        let a = answer(&request, false);
                        if let Some(b) = swarm.behaviour_mut().sync.as_mut() {
                            let _ = b.send_response(channel, a);
                        }
                    }
                    SwarmEvent::Behaviour(AdversaryBehaviourEvent::Fetch(
                        request_response::Event::Message {
                            message: request_response::Message::Request { request, channel, .. },
                            ..
                        },
                    )) => {
                        stats.withheld += 1;
                        let a = answer(&request, true);
                        if let Some(b) = swarm.behaviour_mut().fetch.as_mut() {
                            let _ = b.send_response(channel, a);
                        }
                    }
                    _ => {}
                }
            }
            _ = redial.tick() => {
                for (peer, addr) in &dial {
                    if !swarm.is_connected(peer) {
                        let opts = DialOpts::peer_id(*peer).addresses(vec![addr.clone()]).build();
                        let _ = swarm.dial(opts);
                    }
                }
            }
            _ = tick.tick(), if flood.is_some() => {
                if !go.load(Ordering::Relaxed) {
                    continue;
                }
                owed += per_tick;
                if let Some((f, _)) = flood.as_mut() {
                    while owed >= 1.0 {
                        owed -= 1.0;
                        let bytes = f.next_bytes();
                        // Errors (nobody subscribed yet, queues full) are the attacker's loss.
                        let _ = swarm.behaviour_mut().gossipsub.publish(topic.clone(), bytes);
                    }
                    stats.published = f.sent();
                }
            }
        }
    }
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    #[test]
    fn forgeries_are_distinct_badly_signed_and_unmarked() {
        let w = World::new(2, 1, &mut Rng::new(5)).expect("signs");
        let mut f = Flood::new(
            FloodKind::Forged,
            &w.alerts[0],
            w.community.clone(),
            3,
            &mut Rng::new(6),
        );
        let (a, b) = (f.next_bytes(), f.next_bytes());
        assert_ne!(a, b);
        for x in [&a, &b] {
            let env = Envelope::decode(x).expect("still well-formed");
            assert_eq!(
                env.author(),
                w.alerts[0].author(),
                "claims a real organizer"
            );
            assert!(env.verify().is_err(), "the signature fails");
            assert!(!x.windows(MARKER_PREFIX.len()).any(|w| w == MARKER_PREFIX));
        }
    }

    #[test]
    fn unauthorized_envelopes_are_well_signed_by_an_outsider() {
        let w = World::new(2, 1, &mut Rng::new(5)).expect("signs");
        let mut f = Flood::new(
            FloodKind::Unauthorized,
            &w.alerts[0],
            w.community.clone(),
            0,
            &mut Rng::new(6),
        );
        let env = Envelope::decode(&f.next_bytes()).expect("decodes");
        assert!(env.verify().is_ok());
        assert_ne!(env.author(), w.alerts[0].author());
        assert_eq!(env.community(), w.community.id);
    }

    #[test]
    fn roles_follow_the_fractions_and_the_eclipse_is_total() {
        let cfg = SimConfig {
            nodes: 40,
            degree: 4,
            black_holes: 0.25,
            flooders: 0.1,
            eclipse: true,
            ..SimConfig::default()
        };
        let (roles, ecl) = assign(&cfg, &mut Rng::new(1));
        assert_eq!(roles.iter().filter(|r| **r == Role::BlackHole).count(), 10);
        assert_eq!(roles.iter().filter(|r| **r == Role::Flooder).count(), 4);
        let (victim, rescuer) = ecl.expect("an eclipse");
        assert_eq!(roles[victim], Role::Honest);
        assert_eq!(roles[rescuer], Role::Honest);
        let mut g =
            Graph::build(crate::topology::Shape::Random, 40, 4, &mut Rng::new(2)).expect("graph");
        let reach = eclipse(&mut g, &roles, victim, rescuer, 4, &mut Rng::new(3));
        assert_eq!(g.adj[victim].len(), 4);
        assert!(g.adj[victim].iter().all(|&j| roles[j] != Role::Honest));
        assert!(
            g.adj
                .iter()
                .enumerate()
                .all(|(i, a)| a.iter().all(|&j| g.adj[j].contains(&i)))
        );
        assert!(reach[victim].contains(&rescuer));
        assert!(!g.adj[rescuer].contains(&victim));
    }
}
