//! The cloneable handle to the event loop: one async method per command.

use libp2p::{Multiaddr, PeerId};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, mpsc, oneshot};

use crate::net::Event;
use crate::pipeline::Outcome;

/// A command for the event loop, with its reply channel.
#[derive(Debug)]
pub(crate) enum Command {
    Publish {
        bytes: Vec<u8>,
        reply: oneshot::Sender<Outcome>,
    },
    Status {
        reply: oneshot::Sender<NetStatus>,
    },
    Dial {
        addr: Multiaddr,
        reply: oneshot::Sender<Result<(), NetError>>,
    },
    SyncNow {
        reply: oneshot::Sender<usize>,
    },
    Shutdown {
        reply: oneshot::Sender<()>,
    },
}

/// Why a command failed.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum NetError {
    /// The event loop has stopped.
    #[error("the node is shutting down")]
    Stopped,
    /// A dial could not start.
    #[error("cannot dial {addr}: {why}")]
    Dial {
        /// The address.
        addr: String,
        /// Why.
        why: String,
    },
}

/// A connected peer.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PeerInfo {
    /// Its peer id.
    pub peer_id: String,
    /// The address of one connection.
    pub address: String,
    /// Whether it is in our gossip mesh.
    pub in_mesh: bool,
    /// Its gossipsub score, if known.
    pub score: Option<f64>,
    /// Round-trip time of the last ping, in milliseconds.
    pub rtt_ms: Option<u64>,
    /// The last catch-up session with this peer.
    pub last_sync: Option<crate::net::sync::SyncStats>,
    /// `direct`, or `relayed` when every connection to it goes through a relay.
    #[serde(default)]
    pub connection: String,
}

/// The network side of `status`.
#[derive(Debug, Clone, Serialize)]
pub struct NetStatus {
    /// Our peer id.
    pub peer_id: String,
    /// Addresses we listen on.
    pub listen_addrs: Vec<String>,
    /// Connected peers.
    pub peers: Vec<PeerInfo>,
    /// Catch-up sessions running now.
    pub sync_sessions: usize,
    /// Gossip messages dropped for load (a peer or author over its rate limit, the ingest
    /// queue full) since the node started.
    pub gossip_load_drops: u64,
    /// Catch-up rounds run because of those drops.
    pub catch_up_rounds: u64,
    /// Memory held by answers to peers' sync and fetch requests.
    pub serving: crate::net::ServingStats,
    /// Whether and how other nodes can reach this one.
    pub reachability: crate::net::reach::Reachability,
}

/// Cloneable handle to the node's event loop. When the last one is dropped, the loop ends.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) tx: mpsc::Sender<Command>,
    pub(crate) events: broadcast::Sender<Event>,
}

impl Client {
    async fn ask<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Command,
    ) -> Result<T, NetError> {
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(make(reply))
            .await
            .map_err(|_| NetError::Stopped)?;
        rx.await.map_err(|_| NetError::Stopped)
    }

    /// Validate, store and gossip a signed envelope created on this machine.
    pub async fn publish(&self, bytes: Vec<u8>) -> Result<Outcome, NetError> {
        self.ask(|reply| Command::Publish { bytes, reply }).await
    }

    /// Peer id, listen addresses, connected peers.
    pub async fn status(&self) -> Result<NetStatus, NetError> {
        self.ask(|reply| Command::Status { reply }).await
    }

    /// Connect to a peer by address.
    pub async fn dial(&self, addr: Multiaddr) -> Result<(), NetError> {
        self.ask(|reply| Command::Dial { addr, reply }).await?
    }

    /// Start catch-up sessions with every connected peer now; returns how many started.
    pub async fn sync_now(&self) -> Result<usize, NetError> {
        self.ask(|reply| Command::SyncNow { reply }).await
    }

    /// Stop the event loop, after in-flight envelopes are stored.
    pub async fn shutdown(&self) -> Result<(), NetError> {
        self.ask(|reply| Command::Shutdown { reply }).await
    }

    /// Subscribe to node events.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// A client with no event loop behind it: tests answer its commands themselves.
    #[cfg(test)]
    pub(crate) fn detached() -> (Client, mpsc::Receiver<Command>) {
        let (tx, rx) = mpsc::channel(16);
        let (events, _) = broadcast::channel(64);
        (Client { tx, events }, rx)
    }

    /// The peer id of `addr`'s `/p2p/` part, if any.
    pub fn peer_of(addr: &Multiaddr) -> Option<PeerId> {
        addr.iter().find_map(|p| match p {
            libp2p::multiaddr::Protocol::P2p(id) => Some(id),
            _ => None,
        })
    }
}
