//! The Aviso node: a libp2p swarm, the validation pipeline, a durable sled store and a
//! local HTTP API, run as one daemon.
//!
//! - [`home`]: the data directory (lock, node key, API token, paths).
//! - [`at_rest`]: encryption at rest: the data key, how it is unlocked, the panic wipe.
//! - [`agent`]: the key agent that holds an unlocked signing key for the web app.
//! - [`session`]: one-time sign-in links and browser sessions of the web app.
//! - [`lan`]: phones on the home network: the per-node CA, pairing, the TLS listener.
//! - [`member_key`]: the member's signing key file, encrypted under a passphrase.
//! - [`community`]: this home's community: create, join, sign a new invite.
//! - [`compose`]: reports and resource notices from what a person gives, checked.
//! - [`invite`]: which addresses an invite names; when an invite may replace another.
//! - [`list_draft`]: an organizer's trust list being edited, before it is published.
//! - [`input`]: what people type (durations, times, cells, language blocks), read once.
//! - [`alert_draft`]: an alert being composed from options, a file and the alert it
//!   updates; checked into an alert the protocol accepts.
//! - [`config`]: configuration (TOML, embedded defaults, environment overrides).
//! - [`store`]: the [`Store`] trait, its sled implementation and an in-memory one.
//! - [`pipeline`]: the only door into the store: decode, time, dedup, rate limits,
//!   signature, relay rule, storage quota, durable store.
//! - [`quota`]: per-author storage quotas, by role.
//! - [`net`]: the swarm, its behaviours, the event loop that owns it, and the [`Client`].
//! - [`notify`]: how loud a new item's notification is, and what it says.
//! - [`standing`]: whether a key's signature will count; how long tombstones live.
//! - [`respond`]: responses to alerts: an alert's tally, the body a member signs.
//! - [`feed`]: bounded pages of the feed, for the API.
//! - [`places`], [`hours`]: named places and opening hours as organizers type them; "open
//!   now" with a time-zone database.
//! - [`api`]: the local HTTP API (JSON and server-sent events) on 127.0.0.1: router,
//!   handlers, wire types ([`api::wire`]), the OpenAPI document and the typed
//!   [`api::ApiClient`].
//! - [`daemon`]: wires everything together and runs until shutdown.
#![deny(missing_docs)]

pub mod agent;
pub mod alert_draft;
pub mod api;
pub mod at_rest;
pub mod community;
pub mod compose;
pub mod config;
pub mod daemon;
pub mod desktop;
pub mod feed;
pub mod feed_choice;
pub mod home;
pub mod hours;
pub mod init;
pub mod input;
pub mod invite;
pub mod lan;
pub mod list_draft;
pub mod member_key;
pub mod net;
pub mod notify;
pub mod outgoing;
pub mod pipeline;
pub mod places;
pub mod quota;
pub mod report_list;
pub mod respond;
pub mod session;
pub mod standing;
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
