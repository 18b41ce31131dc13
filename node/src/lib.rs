//! The Aviso node: a libp2p swarm, the validation pipeline, a durable sled store and a
//! local HTTP API, run as one daemon.
//!
//! - [`home`]: the data directory (lock, node key, API token, paths).
//! - [`at_rest`]: encryption at rest: the data key, how it is unlocked, the panic wipe.
//! - [`agent`]: the key agent that holds an unlocked signing key for the web app.
//! - [`session`]: one-time sign-in links and browser sessions of the web app.
//! - [`member_key`]: the member's signing key file, encrypted under a passphrase.
//! - [`invite`]: which addresses an invite names; when an invite may replace another.
//! - [`list_draft`]: an organizer's trust list being edited, before it is published.
//! - [`config`]: configuration (TOML, embedded defaults, environment overrides).
//! - [`store`]: the [`Store`] trait, its sled implementation and an in-memory one.
//! - [`pipeline`]: the only door into the store: decode, time, dedup, rate limits,
//!   signature, relay rule, storage quota, durable store.
//! - [`quota`]: per-author storage quotas, by role.
//! - [`net`]: the swarm, its behaviours, the event loop that owns it, and the [`Client`].
//! - [`feed`]: bounded pages of the feed, for the API.
//! - [`api`]: the local HTTP API (JSON and server-sent events) on 127.0.0.1: router,
//!   handlers, wire types ([`api::wire`]), the OpenAPI document and the typed
//!   [`api::ApiClient`].
//! - [`daemon`]: wires everything together and runs until shutdown.
#![deny(missing_docs)]

pub mod agent;
pub mod api;
pub mod at_rest;
pub mod config;
pub mod daemon;
pub mod feed;
pub mod home;
pub mod invite;
pub mod list_draft;
pub mod member_key;
pub mod net;
pub mod pipeline;
pub mod quota;
pub mod session;
pub mod store;

pub use config::Config;
pub use home::Home;
pub use net::{Client, Event};
pub use store::{MemStore, SledStore, Store};

/// Current unix time in seconds.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Current unix time in milliseconds.
pub fn unix_now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}
