//! Every size and time limit of the wire protocol, in one place.
//!
//! These numbers are part of the protocol: two nodes that disagree on them disagree on
//! which envelopes are valid. Change them only with a new envelope version.

/// Largest encoded envelope, signature included. Keeps one message well inside a
/// gossipsub frame and bounds every allocation a decoder can make.
pub const MAX_ENVELOPE_BYTES: usize = 64 * 1024;
/// Most language blocks in one message: enough for any neighbourhood, small enough to show.
pub const MAX_LANGUAGES: usize = 16;
/// Most area cells in one message (a metro area at precision 5 is a few dozen cells).
pub const MAX_AREAS: usize = 64;
/// Most ids an alert may reference (updates, cancels) or confirm (reports).
pub const MAX_REFERENCES: usize = 32;
/// Longest headline, in bytes of UTF-8.
pub const MAX_HEADLINE: usize = 256;
/// Longest description or instruction, in bytes of UTF-8.
pub const MAX_TEXT: usize = 4096;
/// Longest short field (labels, names, phone, reasons, place descriptions), in bytes.
pub const MAX_SHORT: usize = 256;
/// Longest URL, in bytes.
pub const MAX_URL: usize = 512;
/// Longest BCP 47 language tag we accept (RFC 5646 recommends supporting 35).
pub const MAX_LANG_TAG: usize = 35;
/// Most entries in one trust list (each is about 100 bytes; 400 fit the envelope limit).
pub const MAX_TRUST_ENTRIES: usize = 400;
/// Most revocations in one trust list.
pub const MAX_REVOCATIONS: usize = 256;
/// Most per-category thresholds in one trust list.
pub const MAX_THRESHOLDS: usize = 32;
/// Most delegates in one trust list.
pub const MAX_DELEGATES: usize = 16;
/// Largest threshold k: more co-signers than this cannot be gathered in an emergency.
pub const MAX_THRESHOLD: u8 = 8;
/// Most area cells in one scope (trust entry or delegate).
pub const MAX_SCOPE_AREAS: usize = 32;
/// Shortest area cell: geohash precision 3 is about 156 km.
pub const MIN_AREA_PRECISION: usize = 3;
/// Longest area cell: geohash precision 6 is about 1.2 km; finer would locate people.
pub const MAX_AREA_PRECISION: usize = 6;
/// Most a `created_at` may lie in the future of the receiver's clock, in seconds.
pub const MAX_CLOCK_SKEW_SECS: u64 = 30 * 60;
/// Longest life of alerts, reports and endorsements: 30 days.
pub const MAX_TTL_SHORT_SECS: u64 = 30 * 24 * 3600;
/// Longest life of trust lists, resources and retractions: 400 days.
pub const MAX_TTL_LONG_SECS: u64 = 400 * 24 * 3600;
