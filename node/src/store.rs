//! Durable storage of accepted envelopes: the [`Store`] trait and its sled implementation.

use std::collections::BTreeMap;

use aviso_protocol::{Envelope, Id, Kind};
use serde::Serialize;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened.
    #[error("cannot open the store at {path}: {source}")]
    Open {
        /// Where.
        path: String,
        /// Why.
        source: sled::Error,
    },
    /// A read or write failed.
    #[error("store error: {0}")]
    Db(#[from] sled::Error),
    /// Stored data does not decode.
    #[error("store data is corrupt: {0}")]
    Corrupt(String),
}

/// Envelopes stored, by kind.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StoreCounts {
    /// All envelopes.
    pub total: u64,
    /// Per kind name.
    pub by_kind: BTreeMap<&'static str, u64>,
}

/// Where accepted envelopes live. Only the pipeline writes to it.
pub trait Store: Send + Sync + 'static {
    /// Whether an envelope with this id is stored.
    fn contains(&self, id: &Id) -> Result<bool, StoreError>;
    /// Store a verified envelope (its received bytes) and its index entries in one atomic
    /// batch. Returns `false` if it was already stored. Durable only after [`Store::flush`].
    fn insert(&self, env: &Envelope) -> Result<bool, StoreError>;
    /// Make every insert so far durable on disk.
    fn flush(&self) -> Result<(), StoreError>;
    /// One envelope by id.
    fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError>;
    /// Every stored envelope, oldest first.
    fn all(&self) -> Result<Vec<Envelope>, StoreError>;
    /// Every stored envelope of one kind, oldest first.
    fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError>;
    /// Ids of envelopes that act on `target` (retractions, endorsements, updates, cancels,
    /// confirmations).
    fn referencing(&self, target: &Id) -> Result<Vec<Id>, StoreError>;
    /// `(created_at, id)` of every envelope not expired at `now`, ascending: the sync set.
    fn sync_items(&self, now: u64) -> Result<Vec<(u64, Id)>, StoreError>;
    /// The earliest `expires_at` after `now` of any stored envelope (`None`: none will
    /// expire): when the sync set next shrinks by itself, so a cached copy of it goes
    /// stale. The default, the next second, is always safe.
    fn next_expiry(&self, now: u64) -> Result<Option<u64>, StoreError> {
        Ok(Some(now.saturating_add(1)))
    }
    /// Remove envelopes expired at `now`; tombstones stay while a target they end is
    /// still stored and unexpired. Returns how many were removed.
    fn gc(&self, now: u64) -> Result<usize, StoreError>;
    /// Counts by kind.
    fn counts(&self) -> Result<StoreCounts, StoreError>;
}

mod sled_store;
pub use sled_store::SledStore;
