//! A store in memory, for tests and for simulating many nodes in one process.
//!
//! Why not `SledStore::temporary()` for every simulated node: each sled database keeps
//! its own page cache, file segments and, on flush, writes and syncs a file; a thousand
//! of them in one process measure sled and the file system, not the network, and put
//! the memory figure out of reach (the simulator's `--store sled` keeps it possible to
//! compare at smaller sizes). This store keeps records by id, the `(created_at, id)`
//! sync set and each author's usage (for the pipeline's quotas); nothing is durable.
//!
//! One method is deliberately shallow: [`Store::gc`] removes nothing (the tombstone
//! rules of [`crate::SledStore`]'s collection are not repeated here; tests and simulated
//! runs are far shorter than any envelope's lifetime, and only the daemon's timer calls
//! it). [`Store::referencing`] scans every record.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

use aviso_protocol::{Body, Envelope, Id, Kind, PublicKey};

use super::{Inserted, Quota, Store, StoreCounts, StoreError, Usage, is_charged};

#[derive(Default)]
struct Inner {
    by_id: BTreeMap<Id, Envelope>,
    by_time: BTreeSet<(u64, Id)>,
    /// What each author has stored, for the pipeline's quotas.
    usage: BTreeMap<PublicKey, Usage>,
    /// When each envelope was first stored (unix seconds).
    first_seen: BTreeMap<Id, u64>,
}

/// Envelopes in memory: a [`Store`] for tests and the simulator.
#[derive(Default)]
pub struct MemStore {
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for MemStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemStore")
            .field("len", &self.lock().by_id.len())
            .finish()
    }
}

impl MemStore {
    /// An empty store.
    pub fn new() -> MemStore {
        MemStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock; recover rather than cascade.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sorted(&self, keep: impl Fn(&Envelope) -> bool) -> Vec<Envelope> {
        let inner = self.lock();
        inner
            .by_time
            .iter()
            .filter_map(|(_, id)| inner.by_id.get(id))
            .filter(|e| keep(e))
            .cloned()
            .collect()
    }
}

impl Store for MemStore {
    fn contains(&self, id: &Id) -> Result<bool, StoreError> {
        Ok(self.lock().by_id.contains_key(id))
    }

    fn insert_within(&self, env: &Envelope, quota: Option<Quota>) -> Result<Inserted, StoreError> {
        let mut inner = self.lock();
        if inner.by_id.contains_key(&env.id()) {
            return Ok(Inserted::Duplicate);
        }
        if is_charged(env.kind()) {
            let bytes = env.bytes().len() as u64;
            let usage = inner.usage.entry(env.author()).or_default();
            if let Some(q) = &quota
                && !usage.admits(bytes, q)
            {
                return Ok(Inserted::OverQuota(*usage));
            }
            usage.envelopes += 1;
            usage.bytes += bytes;
        }
        inner.by_time.insert((env.created_at(), env.id()));
        inner.by_id.insert(env.id(), env.clone());
        Ok(Inserted::Stored)
    }

    fn usage(&self, author: &PublicKey) -> Result<Usage, StoreError> {
        Ok(self.lock().usage.get(author).copied().unwrap_or_default())
    }

    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
        Ok(self.lock().by_id.get(id).cloned())
    }

    fn all(&self) -> Result<Vec<Envelope>, StoreError> {
        Ok(self.sorted(|_| true))
    }

    fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError> {
        Ok(self.sorted(|e| e.kind() == kind))
    }

    fn referencing(&self, target: &Id) -> Result<Vec<Id>, StoreError> {
        let refers = |e: &Envelope| match e.body() {
            Body::Retraction(r) => r.target == *target,
            Body::Endorsement(x) => x.alert == *target,
            Body::Alert(a) => a.references.contains(target) || a.confirms.contains(target),
            _ => false,
        };
        Ok(self
            .lock()
            .by_id
            .values()
            .filter(|e| refers(e))
            .map(|e| e.id())
            .collect())
    }

    fn sync_items(&self, now: u64) -> Result<Vec<(u64, Id)>, StoreError> {
        let inner = self.lock();
        Ok(inner
            .by_time
            .iter()
            .filter(|(_, id)| inner.by_id.get(id).is_some_and(|e| e.expires_at() > now))
            .copied()
            .collect())
    }

    fn gc(&self, _: u64) -> Result<usize, StoreError> {
        Ok(0)
    }

    fn first_seen(&self, id: &Id) -> Result<Option<u64>, StoreError> {
        Ok(self.lock().first_seen.get(id).copied())
    }

    fn set_first_seen(&self, id: &Id, at: u64) -> Result<(), StoreError> {
        self.lock().first_seen.entry(*id).or_insert(at);
        Ok(())
    }

    fn counts(&self) -> Result<StoreCounts, StoreError> {
        let inner = self.lock();
        let mut counts = StoreCounts {
            total: inner.by_id.len() as u64,
            ..Default::default()
        };
        for e in inner.by_id.values() {
            *counts.by_kind.entry(e.kind().as_str()).or_default() += 1;
        }
        Ok(counts)
    }
}
