//! Aviso simulation: hundreds of real `aviso-node` swarms (real gossipsub, validation
//! pipeline and sync) in one process, over simulated links with latency, loss and churn.
//!
//! - [`rng`]: the seeded generator behind every random draw.
//! - [`topology`]: random regular graphs, lines and rings; hop counts.
//! - [`hostile`]: adversaries (black holes, flooders, sync withholders) and an eclipse.
//! - [`link`]: the in-memory transport with the TCP-like link model and byte and copy
//!   counters.
//! - [`world`]: the community, its trust list and the alerts, signed from the seed.
//! - [`run`]: one run, from start-up to measurement.
//! - [`report`]: the figures beside their references and goals.
//! - [`stats`]: percentiles, memory and CPU of the process.
#![deny(missing_docs)]

pub mod hostile;
pub mod link;
pub mod report;
pub mod rng;
pub mod run;
pub mod stats;
pub mod topology;
pub mod world;

pub use report::Report;
pub use run::{Progress, SimConfig, StoreKind, run};
