//! A community relay's limits (`aviso_node::net::relay_limits`), with real libp2p swarms on
//! 127.0.0.1: a peer that pushes bulk data through a relayed circuit is cut off once the
//! circuit has carried `MAX_CIRCUIT_BYTES`, and 200 homes hold reservations at once within
//! the relay's fixed bound.

use std::io;
use std::time::Duration;

use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, StreamExt};
use libp2p::multiaddr::Protocol;
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::{NetworkBehaviour, SwarmEvent};
use libp2p::{Multiaddr, PeerId, StreamProtocol, Swarm, noise, relay, tcp, yamux};

use aviso_node::net::{MAX_CIRCUIT_BYTES, relay_limits};

const PROTO: StreamProtocol = StreamProtocol::new("/test/bulk/1");
/// One bulk message: a quarter of the circuit's allowance.
const CHUNK: usize = (MAX_CIRCUIT_BYTES / 4) as usize;
const WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Default)]
struct Raw;

impl request_response::Codec for Raw {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        let mut b = Vec::new();
        io.take(2 * CHUNK as u64).read_to_end(&mut b).await?;
        Ok(b)
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        let mut b = Vec::new();
        io.take(16).read_to_end(&mut b).await?;
        Ok(b)
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        r: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        io.write_all(&r).await?;
        io.close().await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        r: Vec<u8>,
    ) -> io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        io.write_all(&r).await?;
        io.close().await
    }
}

#[derive(NetworkBehaviour)]
struct Client {
    relay: relay::client::Behaviour,
    bulk: request_response::Behaviour<Raw>,
}

fn relay_swarm() -> Swarm<relay::Behaviour> {
    libp2p::SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .expect("tcp")
        .with_behaviour(|k| {
            let mut r = relay::Behaviour::new(k.public().to_peer_id(), relay_limits());
            r.set_status(Some(relay::Status::Enable));
            r
        })
        .expect("behaviour")
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(120)))
        .build()
}

fn client_swarm() -> Swarm<Client> {
    libp2p::SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .expect("tcp")
        .with_relay_client(noise::Config::new, yamux::Config::default)
        .expect("relay client")
        .with_behaviour(|_, relay| Client {
            relay,
            bulk: request_response::Behaviour::with_codec(
                Raw,
                [(PROTO, ProtocolSupport::Full)],
                request_response::Config::default().with_request_timeout(WAIT),
            ),
        })
        .expect("behaviour")
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(120)))
        .build()
}

/// Start the relay on a free loopback port; returns its address with `/p2p/`.
async fn start_relay(relay: &mut Swarm<relay::Behaviour>) -> Multiaddr {
    relay
        .listen_on("/ip4/127.0.0.1/tcp/0".parse().expect("addr"))
        .expect("listen");
    let addr = loop {
        if let SwarmEvent::NewListenAddr { address, .. } = relay.select_next_some().await {
            break address;
        }
    };
    // A reservation names the relay's public addresses; here, its loopback one.
    relay.add_external_address(addr.clone());
    addr.with(Protocol::P2p(*relay.local_peer_id()))
}

/// Run the relay in the background for the rest of the test.
fn run_relay(mut relay: Swarm<relay::Behaviour>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            relay.select_next_some().await;
        }
    })
}

/// Reserve a slot on the relay; completes when the reservation is accepted.
async fn reserve(c: &mut Swarm<Client>, relay_addr: &Multiaddr) {
    c.listen_on(relay_addr.clone().with(Protocol::P2pCircuit))
        .expect("listen through the relay");
    tokio::time::timeout(WAIT, async {
        loop {
            if let SwarmEvent::Behaviour(ClientEvent::Relay(
                relay::client::Event::ReservationReqAccepted { .. },
            )) = c.select_next_some().await
            {
                return;
            }
        }
    })
    .await
    .expect("reservation accepted in time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_pushing_bulk_through_a_circuit_is_cut_off() {
    let mut relay = relay_swarm();
    let relay_addr = start_relay(&mut relay).await;
    let _relay_task = run_relay(relay);

    // B, behind NAT, reserves a slot and answers every bulk message with "ok".
    let mut b = client_swarm();
    reserve(&mut b, &relay_addr).await;
    let b_id: PeerId = *b.local_peer_id();
    let b_task = tokio::spawn(async move {
        loop {
            if let SwarmEvent::Behaviour(ClientEvent::Bulk(request_response::Event::Message {
                message: request_response::Message::Request { channel, .. },
                ..
            })) = b.select_next_some().await
            {
                let _ = b
                    .behaviour_mut()
                    .bulk
                    .send_response(channel, b"ok".to_vec());
            }
        }
    });

    // A dials B through the relay and pushes chunks until the circuit breaks.
    let mut a = client_swarm();
    let circuit = relay_addr
        .with(Protocol::P2pCircuit)
        .with(Protocol::P2p(b_id));
    a.dial(circuit).expect("dial through the relay");
    let mut delivered: u64 = 0;
    let mut sent = 0;
    let cut = tokio::time::timeout(WAIT, async {
        loop {
            match a.select_next_some().await {
                SwarmEvent::ConnectionEstablished {
                    peer_id, endpoint, ..
                } if peer_id == b_id => {
                    assert!(endpoint.is_relayed(), "the only way to B is the relay");
                    a.behaviour_mut().bulk.send_request(&b_id, vec![7u8; CHUNK]);
                    sent += 1;
                }
                SwarmEvent::Behaviour(ClientEvent::Bulk(request_response::Event::Message {
                    message: request_response::Message::Response { .. },
                    ..
                })) => {
                    delivered += CHUNK as u64;
                    assert!(
                        sent < 64,
                        "the relay carried {delivered} bytes and never cut the circuit"
                    );
                    a.behaviour_mut().bulk.send_request(&b_id, vec![7u8; CHUNK]);
                    sent += 1;
                }
                SwarmEvent::ConnectionClosed {
                    peer_id, endpoint, ..
                } if peer_id == b_id && endpoint.is_relayed() => {
                    return;
                }
                _ => {}
            }
        }
    })
    .await;
    assert!(cut.is_ok(), "the circuit was not closed within {WAIT:?}");
    eprintln!(
        "bulk through a circuit: cut off after {delivered} bytes delivered ({sent} chunks of {CHUNK} sent)"
    );
    // Cut off at the limit: everything delivered fit in it.
    assert!(
        delivered <= MAX_CIRCUIT_BYTES,
        "delivered {delivered} bytes, limit {MAX_CIRCUIT_BYTES}"
    );
    assert!(
        delivered >= MAX_CIRCUIT_BYTES / 2,
        "an honest amount ({delivered} bytes) went through before the cut"
    );
    b_task.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_homes_hold_reservations_within_the_bound() {
    let limits = relay_limits();
    assert!(limits.max_reservations >= 200 && limits.max_reservations <= 1024);
    let before = rss_bytes();
    let mut relay = relay_swarm();
    let relay_addr = start_relay(&mut relay).await;
    let _relay_task = run_relay(relay);
    let mut homes = Vec::new();
    for _ in 0..200 {
        let mut c = client_swarm();
        reserve(&mut c, &relay_addr).await;
        // Keep polling it so its connection and reservation stay alive.
        homes.push(tokio::spawn(async move {
            loop {
                c.select_next_some().await;
            }
        }));
    }
    assert_eq!(homes.len(), 200);
    // The relay and its 200 homes share this process, so this is an upper bound on the
    // relay's part: about 2 MiB per home, most of it the homes' own swarms.
    let grown = rss_bytes().saturating_sub(before);
    eprintln!(
        "200 reservations: process grew {} KiB ({} KiB per home, relay and client together)",
        grown / 1024,
        grown / 1024 / 200
    );
    assert!(grown < 1024 * 1024 * 1024, "grew {grown} bytes");
    for h in homes {
        h.abort();
    }
}

/// Resident memory of this process (Linux), 0 where unknown.
fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096)
}
