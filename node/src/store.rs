//! Durable storage of accepted envelopes: the [`Store`] trait, its sled implementation
//! and [`MemStore`], in memory, for tests and the simulator.

use std::collections::BTreeMap;

use aviso_protocol::{Envelope, Id, Kind, PublicKey};
use serde::Serialize;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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

/// What one author has stored, as charged against storage quotas: every envelope it
/// signed that is still in the store, except trust lists (see [`is_charged`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Envelopes.
    pub envelopes: u64,
    /// Their received bytes.
    pub bytes: u64,
}

/// A bound on one author's [`Usage`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quota {
    /// Most envelopes stored at once.
    pub envelopes: u64,
    /// Most bytes stored at once.
    pub bytes: u64,
}

impl Usage {
    /// Whether one more envelope of `bytes` bytes keeps this usage within `quota`.
    pub fn admits(&self, bytes: u64, quota: &Quota) -> bool {
        self.envelopes < quota.envelopes && self.bytes.saturating_add(bytes) <= quota.bytes
    }
}

/// Whether an envelope of `kind` is charged to its author's [`Usage`]. Trust lists are
/// not: only list owners (the roots and the delegates they name) can store them, and
/// refusing one could keep a revocation from taking effect.
pub fn is_charged(kind: Kind) -> bool {
    kind != Kind::TrustList
}

/// What [`Store::insert_within`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// Stored now.
    Stored,
    /// Already stored; nothing written.
    Duplicate,
    /// Not stored: its author would exceed the quota. What the author has stored.
    OverQuota(Usage),
}

/// The part of an insert that can be done before the envelope's turn, off the ordered
/// path: for the encrypted store, the keyed hashes and the encryption of the record and
/// of its first sighting. Made by [`Store::prepare`] (the pipeline calls it beside the
/// signature checks, on every core), used by [`Store::insert_prepared`]. Stores with
/// nothing to do ahead leave it empty.
#[derive(Default)]
pub struct Prepared(Option<sealed::SealedWrite>);

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Prepared").field(&self.0.is_some()).finish()
    }
}

/// Where accepted envelopes live. Only the pipeline writes to it.
pub trait Store: Send + Sync + 'static {
    /// Whether an envelope with this id is stored.
    fn contains(&self, id: &Id) -> Result<bool, StoreError>;
    /// Store a verified envelope (its received bytes) and its index entries in one atomic
    /// batch, with no quota. Returns `false` if it was already stored. Durable only after
    /// [`Store::flush`].
    fn insert(&self, env: &Envelope) -> Result<bool, StoreError> {
        Ok(self.insert_within(env, None)? == Inserted::Stored)
    }
    /// Like [`Store::insert`], but when the envelope is charged ([`is_charged`]) and
    /// `quota` is given, store it only if its author's usage stays within `quota`. The
    /// check and the usage update are atomic with the insert: concurrent inserts cannot
    /// together overshoot a quota.
    fn insert_within(&self, env: &Envelope, quota: Option<Quota>) -> Result<Inserted, StoreError>;
    /// The work of a later [`Store::insert_prepared`] of `env` (first seen at
    /// `first_seen`) that does not depend on the store's state, done now. Pure: any
    /// thread, any order, and nothing is written.
    fn prepare(&self, env: &Envelope, first_seen: u64) -> Prepared {
        let _ = (env, first_seen);
        Prepared::default()
    }
    /// [`Store::insert_within`], then, when stored, [`Store::set_first_seen`] with
    /// `first_seen` (a failure of the latter is logged, not returned: without it the
    /// display rule judges by `created_at` alone), using what [`Store::prepare`] did
    /// ahead for this envelope and time.
    fn insert_prepared(
        &self,
        env: &Envelope,
        quota: Option<Quota>,
        first_seen: u64,
        prepared: Prepared,
    ) -> Result<Inserted, StoreError> {
        let _ = prepared;
        let inserted = self.insert_within(env, quota)?;
        if inserted == Inserted::Stored {
            note_first_seen(self.set_first_seen(&env.id(), first_seen));
        }
        Ok(inserted)
    }
    /// What `author` has stored (charged envelopes only).
    fn usage(&self, author: &PublicKey) -> Result<Usage, StoreError>;
    /// Make every insert so far durable on disk.
    fn flush(&self) -> Result<(), StoreError>;
    /// One envelope by id.
    fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError>;
    /// Every stored envelope, oldest first.
    fn all(&self) -> Result<Vec<Envelope>, StoreError>;
    /// Every stored envelope of one kind, oldest first.
    fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError>;
    /// Up to `limit` stored envelopes of one kind, newest first (by `(created_at, id)`),
    /// strictly older than `before` if given: one page of a long list. The default reads
    /// the whole kind; stores with an index override it.
    fn by_kind_before(
        &self,
        kind: Kind,
        before: Option<(u64, Id)>,
        limit: usize,
    ) -> Result<Vec<Envelope>, StoreError> {
        let mut all = self.by_kind(kind)?;
        all.retain(|e| before.is_none_or(|b| (e.created_at(), e.id()) < b));
        all.sort_by_key(|e| std::cmp::Reverse((e.created_at(), e.id())));
        all.truncate(limit);
        Ok(all)
    }
    /// Ids of stored envelopes whose lower-case hex starts with `prefix`, in id order, at
    /// most `limit`: resolving the short ids people type. The default reads every record;
    /// stores keyed by id override it with a range scan.
    fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Id>, StoreError> {
        let mut ids: Vec<Id> = self
            .all()?
            .iter()
            .map(|e| e.id())
            .filter(|id| id.to_hex().starts_with(prefix))
            .collect();
        ids.sort();
        ids.truncate(limit);
        Ok(ids)
    }
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
    /// When this node first stored `id` (unix seconds), if recorded: an input of the
    /// backdating rule ([`aviso_protocol::judged_created_at`]). Never sent to peers.
    fn first_seen(&self, id: &Id) -> Result<Option<u64>, StoreError> {
        let _ = id;
        Ok(None)
    }
    /// Record that this node first stored `id` at `at` (kept if one is recorded
    /// already). Durable with the next [`Store::flush`], like the insert before it.
    fn set_first_seen(&self, id: &Id, at: u64) -> Result<(), StoreError> {
        let _ = (id, at);
        Ok(())
    }
    /// Records found damaged (failing authentication) and dropped when the store opened;
    /// sync fetches them again. Stores that cannot tell say 0.
    fn damaged(&self) -> u64 {
        0
    }
}

/// Log a failure to record a first sighting: not fatal (see [`Store::insert_prepared`]).
fn note_first_seen(result: Result<(), StoreError>) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "cannot record when an envelope was first seen");
    }
}

mod manifest;
mod mem;
mod sealed;
mod sled_store;
pub use mem::MemStore;
pub use sealed::{SealedStore, SealedTree};
pub use sled_store::SledStore;
