//! The Aviso web app: the pages a member's own node serves to their browsers.
//!
//! - [`i18n`]: every string through Project Fluent, language negotiation.
//! - [`view`]: what the pages show, computed from the member's feed.
//! - [`pages`]: the askama templates, compiled into the binary.
//! - [`push`]: Web Push, encrypted end to end (RFC 8291) and signed (VAPID).
//! - [`push_store`]: the VAPID key and the devices' subscriptions in the node's home.
//! - [`webpush`]: which alerts are pushed, and sending them.
//! - [`server`]: the routes, their guards (Host, Origin, session) and the CSP.
//! - [`lan`]: phones on the home network: pairing, the CA download, paired devices.
//! - [`desk`]: the organizer desk: reports, alerts, co-signatures, resources, trust list.
//! - [`respond`]: members answering an alert ("I'm responding"), and its live count.
//! - [`assets`]: the stylesheet, the script and the icons, inside the binary.
#![deny(missing_docs)]

pub mod assets;
pub mod desk;
pub mod i18n;
pub mod lan;
pub mod pages;
mod panic;
pub mod push;
pub mod push_store;
pub mod respond;
pub mod server;
pub mod view;
pub mod webpush;
