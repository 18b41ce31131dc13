//! Networking: the swarm and its behaviours, the event loop that owns it, and the
//! cloneable [`Client`] that everything else uses to talk to it.

pub mod audit;
mod behaviour;
mod client;
mod codec;
mod event_loop;
pub mod helpful;
pub mod load;
mod reach;
pub mod serve;
pub mod stem;
pub mod sync;
pub mod sync2;

pub use behaviour::{GossipTuning, NodeBehaviour, gossip_message_id, topic_for};
#[cfg(test)]
pub(crate) use client::Command;
pub use client::{Client, NetError, NetStatus, PeerInfo};
pub use event_loop::{
    EventLoop, MESH_MISS_SYNC_EVERY, MESH_MISSES_BEFORE_SYNC, NetConfig, SpawnError, spawn,
    spawn_with_transport,
};
pub use reach::{MAX_CIRCUIT_BYTES, ReachConfig, Reachability, relay_limits};
pub use serve::ServingStats;
pub use stem::StemConfig;

use aviso_protocol::{Id, Kind};
use libp2p::PeerId;
use serde::Serialize;

/// Something that happened in the node, broadcast to whoever listens (API, tests).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// An envelope passed the pipeline and is durably stored.
    Accepted {
        /// Its id.
        id: Id,
        /// Its kind.
        kind: Kind,
        /// Where it came from: `local`, `gossip` or `sync`.
        source: &'static str,
    },
    /// A peer connected.
    PeerConnected {
        /// The peer.
        #[serde(serialize_with = "ser_peer")]
        peer: PeerId,
    },
    /// This node published an envelope to gossip itself: its own (`direct` when it
    /// skipped the stem, `fallback` when its stem timer fired first) or one that reached
    /// the end of a stem here (`stem`). For measurements (the simulator's first
    /// gossiper); never sent to peers.
    Gossiped {
        /// Its id.
        id: Id,
        /// `direct`, `stem` or `fallback`.
        how: &'static str,
    },
    /// A peer's last connection closed.
    PeerDisconnected {
        /// The peer.
        #[serde(serialize_with = "ser_peer")]
        peer: PeerId,
    },
}

fn ser_peer<S: serde::Serializer>(p: &PeerId, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(p)
}
