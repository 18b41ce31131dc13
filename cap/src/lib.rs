//! Aviso ↔ OASIS Common Alerting Protocol 1.2: pure code, no I/O, no async. Callers pass
//! the current time.
//!
//! - [`mod@parse`]: bounded, panic-free reading of CAP XML into a [`CapAlert`] (size, depth,
//!   element and point limits; no DTD, no entities; bytes decoded as their byte-order mark
//!   or XML declaration says).
//! - [`model`]: the CAP message as typed values.
//! - [`mod@write`]: a [`CapAlert`] as CAP 1.2 XML, in schema order.
//! - [`mod@export`]: a signed Aviso alert → CAP (one `<info>` per language, cells as
//!   polygons plus `geohash` geocodes).
//! - [`mod@import`]: CAP → an alert draft with warnings (polygons and circles → the smallest
//!   set of cells that covers them).
//! - [`review`]: an imported draft in front of the organizer: its header, the next step,
//!   whether it may be sent, its JSON.
//! - [`geo`]: the geometry between geohash cells and CAP areas.
//! - [`time`]: CAP date-times.
//!
//! The field-by-field mapping, and what is kept or dropped on purpose, is in
//! `docs/cap-mapping.md`.
#![deny(missing_docs)]

pub mod export;
pub mod geo;
pub mod import;
pub mod model;
pub mod parse;
pub mod review;
pub mod time;
pub mod write;

pub use export::{ExportError, KnownAlert, SignedAlert, export, export_xml};
pub use import::{Draft, ImportError, ImportOptions, Source, Warning, import, import_xml};
pub use model::CapAlert;
pub use parse::{ParseError, parse, parse_bytes};
pub use review::{JsonDraft, SendError};
pub use time::CapTime;
pub use write::write;
