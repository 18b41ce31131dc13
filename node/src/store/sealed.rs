//! [`SealedStore`]: the store of an encrypted home. sled holds ciphertext only; the
//! indexes live in memory and are rebuilt when the store opens.
//!
//! On disk, one sled tree, `records`:
//!
//! | key                                   | value                                        |
//! |---------------------------------------|----------------------------------------------|
//! | HMAC(data key, "records" ‖ 0 ‖ id)    | nonce ‖ XChaCha20-Poly1305(received bytes)   |
//!
//! with the record's key as associated data, so a record moved under another key does
//! not open. Nothing on disk names an id, an author, a kind or a time: without the data
//! key the store is a bag of same-looking blobs (their sizes and number show).
//!
//! Why the indexes are not on disk: the indexes sync and expiry need (by time, by
//! expiry, by kind, by reference, by author for quotas and trust-list versions) are
//! orderings of plaintext fields; written to sled, even under keyed hashes, order and
//! equality would leak them. Kept in memory, they cost a pass over the records at open
//! (decrypt, decode, index; see BENCHMARKS.md "Encryption at rest") and about 200 bytes
//! per envelope of memory; records are decrypted again when read.
//!
//! **Integrity.** A record that fails authentication at open (bit rot, a torn write, a
//! forged or swapped record) is counted ([`SealedStore::damaged`], shown in logs and
//! status, never its content), deleted, and left out of the indexes: the sync set no
//! longer claims it, so the next reconciliation with a peer fetches it again. Records
//! that sled itself lost (it rolls its log back past damage without a word) are found
//! missing against the sealed manifest beside it (see [`super::manifest`]), counted in
//! the same number, and fetched again the same way.
//!
//! Other encrypted data (a new per-envelope field, push subscriptions, ...) goes in its
//! own tree through [`SealedStore::tree`]: keys are keyed hashes, values sealed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use aviso_protocol::{Body, Envelope, Id, Kind, PublicKey};
use sled::Tree;

use super::manifest::{self, Manifest, Op};
use super::sled_store::{prefix_bounds, reference_targets, tombstone_targets};
use super::{Inserted, Prepared, Quota, Store, StoreCounts, StoreError, Usage, is_charged};
use crate::at_rest::Seal;

/// Same bound on sled's page cache as [`super::SledStore`]: the records' working set is
/// small, and the indexes live outside sled.
const CACHE_CAPACITY: u64 = 64 * 1024 * 1024;
/// Directory of the encrypted stores in the home.
const SEALED_DIR: &str = "sealed";
/// Domain of store directory names.
const STORE_DIR_DOMAIN: &[u8] = b"store-dir";
/// Bytes of keyed hash in a store directory's name: 128 bits, unique without doubt.
const STORE_DIR_NAME_BYTES: usize = 16;
/// Name of the records tree.
const RECORDS_TREE: &str = "records";
/// Name of the tree of first sightings (envelope id -> unix seconds, sealed like the
/// records): an input of the backdating rule, kept on disk so that it survives a restart.
const FIRST_SEEN_TREE: &str = "first_seen";
/// Prefix of the associated data of every sealed value, before its tree and key.
const AAD_TAG: &[u8] = b"aviso/v1/sealed";

/// What the store keeps in memory of one envelope.
#[derive(Debug, Clone)]
struct Meta {
    created_at: u64,
    expires_at: u64,
    kind: Kind,
    author: PublicKey,
    bytes: u64,
    /// The version, for a trust list.
    list_version: Option<u64>,
    /// What it ends, for a tombstone (a retraction, a cancel, an all-clear).
    ends: Vec<Id>,
    /// What it acts on.
    refs: Vec<Id>,
}

#[derive(Default)]
struct Index {
    meta: BTreeMap<Id, Meta>,
    by_time: BTreeSet<(u64, Id)>,
    by_expiry: BTreeSet<(u64, Id)>,
    by_kind: BTreeSet<(Kind, u64, Id)>,
    refs: BTreeSet<(Id, Id)>,
    lists: BTreeSet<(PublicKey, u64, Id)>,
    usage: HashMap<PublicKey, Usage>,
    /// Inserted since the last flush began: not yet durable. Taken out again if their
    /// flush fails, so nothing stays claimed (by `contains`, the sync set) that a crash
    /// would lose, and a peer's next copy is stored again.
    unflushed: Vec<Id>,
}

impl Index {
    fn add(&mut self, id: Id, m: Meta) {
        self.by_time.insert((m.created_at, id));
        self.by_expiry.insert((m.expires_at, id));
        self.by_kind.insert((m.kind, m.created_at, id));
        for t in &m.refs {
            self.refs.insert((*t, id));
        }
        if let Some(v) = m.list_version {
            self.lists.insert((m.author, v, id));
        }
        if is_charged(m.kind) {
            let u = self.usage.entry(m.author).or_default();
            u.envelopes += 1;
            u.bytes = u.bytes.saturating_add(m.bytes);
        }
        self.meta.insert(id, m);
    }

    fn remove(&mut self, id: &Id) {
        let Some(m) = self.meta.remove(id) else {
            return;
        };
        self.by_time.remove(&(m.created_at, *id));
        self.by_expiry.remove(&(m.expires_at, *id));
        self.by_kind.remove(&(m.kind, m.created_at, *id));
        for t in &m.refs {
            self.refs.remove(&(*t, *id));
        }
        if let Some(v) = m.list_version {
            self.lists.remove(&(m.author, v, *id));
        }
        if is_charged(m.kind)
            && let Some(u) = self.usage.get_mut(&m.author)
        {
            u.envelopes = u.envelopes.saturating_sub(1);
            u.bytes = u.bytes.saturating_sub(m.bytes);
            if u.envelopes == 0 {
                self.usage.remove(&m.author);
            }
        }
    }

    fn is_live(&self, id: &Id, now: u64) -> bool {
        self.meta.get(id).is_some_and(|m| m.expires_at > now)
    }

    /// Whether garbage collection must keep the expired `id` (see [`super::SledStore`]'s
    /// rules: a tombstone stays while a target lives; a trust list while an older version
    /// of its owner lives).
    fn keeps(&self, id: &Id, now: u64) -> bool {
        let Some(m) = self.meta.get(id) else {
            return false;
        };
        if m.ends.iter().any(|t| self.is_live(t, now)) {
            return true;
        }
        if let Some(v) = m.list_version {
            let lo = (m.author, 0, Id([0; 32]));
            let hi = (m.author, v, Id([0; 32]));
            return self
                .lists
                .range(lo..hi)
                .any(|(_, _, older)| self.is_live(older, now));
        }
        false
    }
}

fn meta_of(env: &Envelope) -> Meta {
    Meta {
        created_at: env.created_at(),
        expires_at: env.expires_at(),
        kind: env.kind(),
        author: env.author(),
        bytes: env.bytes().len() as u64,
        list_version: match env.body() {
            Body::TrustList(t) => Some(t.version),
            _ => None,
        },
        ends: tombstone_targets(env.body()).to_vec(),
        refs: reference_targets(env.body()).copied().collect(),
    }
}

/// A sled tree of an encrypted home: keys are keyed hashes of what the caller names them
/// by, values are sealed with the tree's name and the stored key as associated data.
#[derive(Clone)]
pub struct SealedTree {
    tree: Tree,
    seal: Seal,
    name: String,
}

impl std::fmt::Debug for SealedTree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedTree")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl SealedTree {
    fn key(&self, key: &[u8]) -> [u8; 32] {
        self.seal.keyed_hash(self.name.as_bytes(), key)
    }

    fn aad(&self, stored_key: &[u8]) -> Vec<u8> {
        [AAD_TAG, self.name.as_bytes(), &[0], stored_key].concat()
    }

    /// Store `value` under `key`, encrypted. Durable after the store's flush.
    pub fn insert(&self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let e = self.seal_entry(key, value)?;
        self.tree.insert(e.key, e.value)?;
        Ok(())
    }

    /// `value` sealed under `key`, ready to write: nothing written.
    fn seal_entry(&self, key: &[u8], value: &[u8]) -> Result<SealedEntry, StoreError> {
        let k = self.key(key);
        let sealed = self
            .seal
            .encrypt(&self.aad(&k), value)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(SealedEntry {
            key: k,
            value: sealed,
        })
    }

    /// The value under `key`; `None` if absent or if it fails authentication (logged).
    pub fn get(&self, key: &[u8]) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, StoreError> {
        let k = self.key(key);
        let Some(v) = self.tree.get(k)? else {
            return Ok(None);
        };
        let plain = self.seal.decrypt(&self.aad(&k), &v);
        if plain.is_none() {
            tracing::warn!(tree = %self.name, "a stored record fails authentication; skipped");
        }
        Ok(plain)
    }

    /// Remove what is under `key`.
    pub fn remove(&self, key: &[u8]) -> Result<(), StoreError> {
        self.tree.remove(self.key(key))?;
        Ok(())
    }
}

/// The store of an encrypted home (see the module documentation).
pub struct SealedStore {
    db: sled::Db,
    records: SealedTree,
    /// When this node first stored each envelope ([`Store::first_seen`]).
    first_seen: SealedTree,
    index: Mutex<Index>,
    /// What the store should hold, outside sled.
    manifest: Manifest,
    damaged: u64,
    /// Tests: make the next flush fail.
    #[cfg(test)]
    fail_next_flush: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for SealedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedStore")
            .field("damaged", &self.damaged)
            .finish_non_exhaustive()
    }
}

impl SealedStore {
    /// Open (or create) the store in `path`, decrypting every record to build the
    /// indexes. Records that fail authentication or do not decode are counted and
    /// deleted.
    pub fn open(path: &Path, seal: Seal) -> Result<SealedStore, StoreError> {
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_CAPACITY)
            .flush_every_ms(None);
        let open_error = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        // As in SledStore::open: some damaged files trip an assertion in sled.
        let db = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open()))
            .map_err(|_| {
                open_error(sled::Error::Io(std::io::Error::other(
                    "sled failed while opening (damaged files?)",
                )))
            })?
            .map_err(open_error)?;
        let records = SealedTree {
            tree: db.open_tree(RECORDS_TREE)?,
            seal,
            name: RECORDS_TREE.into(),
        };
        let mut index = Index::default();
        let mut bad = Vec::new();
        for item in records.tree.iter() {
            let (k, v) = item?;
            let env = records
                .seal
                .decrypt(&records.aad(&k), &v)
                .and_then(|plain| Envelope::decode(&plain).ok())
                .filter(|env| records.key(env.id().as_bytes())[..] == k[..]);
            match env {
                Some(env) => index.add(env.id(), meta_of(&env)),
                None => bad.push(k),
            }
        }
        for k in &bad {
            records.tree.remove(k)?;
        }
        if !bad.is_empty() {
            db.flush()?;
            tracing::warn!(
                damaged = bad.len(),
                "stored records failed authentication and were dropped; they will be fetched again from peers"
            );
        }
        let first_seen = SealedTree {
            tree: db.open_tree(FIRST_SEEN_TREE)?,
            seal: records.seal.clone(),
            name: FIRST_SEEN_TREE.into(),
        };
        let present = index.meta.iter().map(|(id, m)| (*id, m.expires_at));
        let (manifest, missing) = manifest::reconcile(
            path,
            &records.seal,
            present.collect(),
            |id| index.meta.contains_key(id),
            crate::unix_now(),
        )
        .map_err(|e| StoreError::Corrupt(format!("cannot write the store's manifest: {e}")))?;
        Ok(SealedStore {
            db,
            records,
            first_seen,
            index: Mutex::new(index),
            manifest,
            // A record that fails authentication is also missing by the manifest (its id
            // did not open): counted once. Records the manifest does not know (its tail
            // lost) count by authentication alone.
            damaged: (bad.len() as u64).max(missing),
            #[cfg(test)]
            fail_next_flush: Default::default(),
        })
    }

    /// The store of `community` in the encrypted `home`: `HOME/sealed/<keyed hash of the
    /// community id>` (the directory name says nothing about the community). A plaintext
    /// store an older version left in `HOME/store/` is copied in, then deleted.
    pub fn open_in_home(
        home: &crate::Home,
        seal: &Seal,
        community: Option<&aviso_protocol::Community>,
    ) -> Result<SealedStore, StoreError> {
        let name = community.map_or_else(|| "no-community".to_owned(), |c| c.id.to_hex());
        let hashed = seal.keyed_hash(STORE_DIR_DOMAIN, name.as_bytes());
        let dir = home
            .dir()
            .join(SEALED_DIR)
            .join(hex::encode(&hashed[..STORE_DIR_NAME_BYTES]));
        let store = match SealedStore::open(&dir, seal.clone()) {
            Ok(s) => s,
            Err(e) if dir.exists() => {
                // sled itself cannot read its files (damage past its own checksums): keep
                // them aside, still encrypted, and start empty; sync fetches everything
                // again from peers.
                let aside = dir.with_extension(format!("damaged-{}", crate::unix_now()));
                std::fs::rename(&dir, &aside).map_err(|io| StoreError::Open {
                    path: dir.display().to_string(),
                    source: sled::Error::Io(io),
                })?;
                // What it held is known from its manifest: reported missing, fetched again.
                let kept = std::fs::create_dir_all(&dir).and_then(|()| {
                    std::fs::copy(
                        aside.join(manifest::MANIFEST_FILE),
                        dir.join(manifest::MANIFEST_FILE),
                    )
                });
                if let Err(e) = kept {
                    tracing::warn!(error = %e, "cannot read the damaged store's manifest");
                }
                tracing::warn!(
                    error = %e,
                    moved_to = %aside.display(),
                    "the store is damaged and cannot be read; it was moved aside, and the node starts empty and fetches everything again from peers"
                );
                let mut s = SealedStore::open(&dir, seal.clone())?;
                s.damaged = s.damaged.max(1);
                s
            }
            Err(e) => return Err(e),
        };
        let plain = home.store_dir().join(&name);
        if plain.exists() {
            let old = super::SledStore::open(&plain)?;
            let mut moved = 0;
            for env in old.all()? {
                moved += usize::from(store.insert(&env)?);
            }
            store.flush()?;
            drop(old);
            let gone = std::fs::remove_dir_all(&plain)
                .and_then(|()| std::fs::remove_dir(home.store_dir()).or(Ok(())));
            match gone {
                Ok(()) => tracing::info!(
                    envelopes = moved,
                    "moved the unencrypted store of an older version into the encrypted one, and deleted it"
                ),
                Err(e) => tracing::warn!(
                    error = %e,
                    path = %plain.display(),
                    "copied the unencrypted store into the encrypted one but cannot delete it; delete it by hand"
                ),
            }
        }
        Ok(store)
    }

    /// Another encrypted tree in this database, for data beside the envelopes. `name`
    /// is stored in clear (a tree name): name the purpose, nothing about the member.
    pub fn tree(&self, name: &str) -> Result<SealedTree, StoreError> {
        Ok(SealedTree {
            tree: self.db.open_tree(name)?,
            seal: self.records.seal.clone(),
            name: name.into(),
        })
    }

    fn flush_db(&self) -> Result<(), StoreError> {
        #[cfg(test)]
        if self
            .fail_next_flush
            .swap(false, std::sync::atomic::Ordering::Relaxed)
        {
            return Err(StoreError::Db(sled::Error::Io(std::io::Error::other(
                "injected flush failure",
            ))));
        }
        self.db.flush()?;
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Index> {
        // Nothing panics while holding the lock; recover rather than cascade.
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn load(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
        let Some(plain) = self.records.get(id.as_bytes())? else {
            return Ok(None);
        };
        Ok(Envelope::decode(&plain).ok().filter(|e| e.id() == *id))
    }

    /// List in the manifest what a successful flush made durable.
    fn record_flushed(&self, batch: &[Id]) {
        let entries: Vec<(Id, u64)> = {
            let index = self.lock();
            batch
                .iter()
                .filter_map(|id| Some((*id, index.meta.get(id)?.expires_at)))
                .collect()
        };
        self.manifest.record(Op::Add, &entries);
    }

    fn load_all(&self, ids: impl IntoIterator<Item = Id>) -> Result<Vec<Envelope>, StoreError> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(env) = self.load(&id)? {
                out.push(env);
            }
        }
        Ok(out)
    }
}

/// One sealed entry of a tree: its key on disk and its sealed value.
struct SealedEntry {
    key: [u8; 32],
    value: Vec<u8>,
}

/// What inserting one envelope writes, sealed ahead (see [`Store::prepare`]): its record
/// and, from the pipeline, its first sighting.
pub(super) struct SealedWrite {
    record: SealedEntry,
    seen: Option<SealedEntry>,
}

/// The write path of an envelope, in two steps: [`SealedStore::seal_write`] (keyed
/// hashes, encryption: pure, on any thread, ahead of the envelope's turn) and
/// [`SealedStore::write_sealed`] (checks, sled, indexes: in the envelope's turn).
impl SealedStore {
    /// The sealed record of `env` and its first sighting at `first_seen`.
    fn seal_write(&self, env: &Envelope, first_seen: u64) -> Result<SealedWrite, StoreError> {
        let id = env.id();
        Ok(SealedWrite {
            record: self.records.seal_entry(id.as_bytes(), env.bytes())?,
            seen: Some(
                self.first_seen
                    .seal_entry(id.as_bytes(), &first_seen.to_be_bytes())?,
            ),
        })
    }

    /// Store `env` as sealed in `write`, unless a duplicate or over `quota`; then its
    /// first sighting, unless one is recorded (a re-insert after a crash never moves it).
    fn write_sealed(
        &self,
        env: &Envelope,
        quota: Option<Quota>,
        write: SealedWrite,
    ) -> Result<Inserted, StoreError> {
        let id = env.id();
        {
            // Under the lock: the duplicate and quota checks and the write are one step.
            let mut index = self.lock();
            if index.meta.contains_key(&id) {
                return Ok(Inserted::Duplicate);
            }
            if is_charged(env.kind()) {
                let usage = index.usage.get(&env.author()).copied().unwrap_or_default();
                if let Some(q) = &quota
                    && !usage.admits(env.bytes().len() as u64, q)
                {
                    return Ok(Inserted::OverQuota(usage));
                }
            }
            self.records
                .tree
                .insert(write.record.key, write.record.value)?;
            index.add(id, meta_of(env));
            index.unflushed.push(id);
        }
        if let Some(seen) = write.seen {
            // As `set_first_seen`: a sighting that opens stays. One ingest task writes,
            // so the check and the write do not race.
            let t = &self.first_seen;
            super::note_first_seen(t.tree.get(seen.key).map_err(StoreError::from).and_then(
                |old| {
                    match old {
                        Some(v) if t.seal.decrypt(&t.aad(&seen.key), &v).is_some() => Ok(()),
                        _ => t
                            .tree
                            .insert(seen.key, seen.value)
                            .map(drop)
                            .map_err(Into::into),
                    }
                },
            ));
        }
        Ok(Inserted::Stored)
    }
}

impl Store for SealedStore {
    fn contains(&self, id: &Id) -> Result<bool, StoreError> {
        Ok(self.lock().meta.contains_key(id))
    }

    fn insert_within(&self, env: &Envelope, quota: Option<Quota>) -> Result<Inserted, StoreError> {
        let record = self.records.seal_entry(env.id().as_bytes(), env.bytes())?;
        self.write_sealed(env, quota, SealedWrite { record, seen: None })
    }

    fn prepare(&self, env: &Envelope, first_seen: u64) -> Prepared {
        Prepared(self.seal_write(env, first_seen).ok())
    }

    fn insert_prepared(
        &self,
        env: &Envelope,
        quota: Option<Quota>,
        first_seen: u64,
        prepared: Prepared,
    ) -> Result<Inserted, StoreError> {
        let write = match prepared.0 {
            Some(w) => w,
            None => self.seal_write(env, first_seen)?,
        };
        self.write_sealed(env, quota, write)
    }

    fn usage(&self, author: &PublicKey) -> Result<Usage, StoreError> {
        Ok(self.lock().usage.get(author).copied().unwrap_or_default())
    }

    fn flush(&self) -> Result<(), StoreError> {
        // Inserts after this point may miss this flush; they wait for the next one.
        let batch = std::mem::take(&mut self.lock().unflushed);
        let flushed = self.flush_db();
        if flushed.is_ok() {
            self.record_flushed(&batch);
        }
        if let Err(e) = &flushed {
            tracing::warn!(error = %e, undone = batch.len(), "store flush failed; its inserts are undone");
            let mut index = self.lock();
            for id in &batch {
                index.remove(id);
                let _ = self.records.remove(id.as_bytes());
                let _ = self.first_seen.remove(id.as_bytes());
            }
        }
        flushed
    }

    fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
        if !self.contains(id)? {
            return Ok(None);
        }
        self.load(id)
    }

    fn all(&self) -> Result<Vec<Envelope>, StoreError> {
        let ids: Vec<Id> = self.lock().by_time.iter().map(|(_, id)| *id).collect();
        self.load_all(ids)
    }

    fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError> {
        let ids: Vec<Id> = self
            .lock()
            .by_kind
            .range((kind, 0, Id([0; 32]))..)
            .take_while(|(k, _, _)| *k == kind)
            .map(|(_, _, id)| *id)
            .collect();
        self.load_all(ids)
    }

    fn by_kind_before(
        &self,
        kind: Kind,
        before: Option<(u64, Id)>,
        limit: usize,
    ) -> Result<Vec<Envelope>, StoreError> {
        let ids: Vec<Id> = {
            let index = self.lock();
            let lo = (kind, 0, Id([0; 32]));
            let it = index.by_kind.range(lo..);
            let it = it.take_while(|(k, c, id)| *k == kind && before.is_none_or(|b| (*c, *id) < b));
            let all: Vec<Id> = it.map(|(_, _, id)| *id).collect();
            all.into_iter().rev().take(limit).collect()
        };
        self.load_all(ids)
    }

    fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Id>, StoreError> {
        let Some((lo, hi)) = prefix_bounds(prefix) else {
            return Ok(Vec::new());
        };
        Ok(self
            .lock()
            .meta
            .range(lo..=hi)
            .take(limit)
            .map(|(id, _)| *id)
            .collect())
    }

    fn referencing(&self, target: &Id) -> Result<Vec<Id>, StoreError> {
        Ok(self
            .lock()
            .refs
            .range((*target, Id([0; 32]))..=(*target, Id([0xff; 32])))
            .map(|(_, id)| *id)
            .collect())
    }

    fn sync_items(&self, now: u64) -> Result<Vec<(u64, Id)>, StoreError> {
        let index = self.lock();
        Ok(index
            .by_time
            .iter()
            .filter(|(_, id)| index.is_live(id, now))
            .copied()
            .collect())
    }

    fn next_expiry(&self, now: u64) -> Result<Option<u64>, StoreError> {
        Ok(self
            .lock()
            .by_expiry
            .range((now.saturating_add(1), Id([0; 32]))..)
            .next()
            .map(|(t, _)| *t))
    }

    fn gc(&self, now: u64) -> Result<usize, StoreError> {
        let mut index = self.lock();
        let doomed: Vec<Id> = index
            .by_expiry
            .range(..(now.saturating_add(1), Id([0; 32])))
            .map(|(_, id)| *id)
            .filter(|id| !index.keeps(id, now))
            .collect();
        let mut batch = sled::Batch::default();
        for id in &doomed {
            batch.remove(&self.records.key(id.as_bytes())[..]);
        }
        self.records.tree.apply_batch(batch)?;
        let gone: Vec<(Id, u64)> = doomed
            .iter()
            .filter_map(|id| Some((*id, index.meta.get(id)?.expires_at)))
            .collect();
        for id in &doomed {
            index.remove(id);
            self.first_seen.remove(id.as_bytes())?;
        }
        self.manifest.record(Op::Remove, &gone);
        self.manifest.compact_if_large(index.meta.len(), || {
            index
                .meta
                .iter()
                .map(|(id, m)| (*id, m.expires_at))
                .collect()
        });
        Ok(doomed.len())
    }

    fn first_seen(&self, id: &Id) -> Result<Option<u64>, StoreError> {
        Ok(self
            .first_seen
            .get(id.as_bytes())?
            .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
            .map(u64::from_be_bytes))
    }

    fn set_first_seen(&self, id: &Id, at: u64) -> Result<(), StoreError> {
        // The first sighting stays: a later call (a re-insert after a crash) never moves
        // it. One ingest task writes, so the check and the write do not race.
        if self.first_seen(id)?.is_none() {
            self.first_seen.insert(id.as_bytes(), &at.to_be_bytes())?;
        }
        Ok(())
    }

    fn damaged(&self) -> u64 {
        self.damaged
    }

    fn counts(&self) -> Result<StoreCounts, StoreError> {
        let index = self.lock();
        let mut counts = StoreCounts {
            total: index.meta.len() as u64,
            ..Default::default()
        };
        for kind in Kind::ALL {
            counts.by_kind.insert(kind.as_str(), 0);
        }
        for m in index.meta.values() {
            *counts.by_kind.entry(m.kind.as_str()).or_default() += 1;
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::fixtures::{self, DAY, NOW};
    use aviso_protocol::{CommunityId, Envelope};

    fn alert(signer: u8) -> Envelope {
        let body = Body::Alert(fixtures::raid("secret headline", "", ""));
        fixtures::sign(
            &fixtures::key(signer),
            CommunityId([1; 32]),
            &body,
            NOW,
            DAY,
        )
    }

    fn seal() -> Seal {
        Seal::new(&[7; 32])
    }

    #[test]
    fn records_survive_reopen_and_hold_no_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let env = alert(1);
        {
            let s = SealedStore::open(dir.path(), seal()).unwrap();
            assert!(s.insert(&env).unwrap());
            assert!(!s.insert(&env).unwrap());
            s.flush().unwrap();
        }
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.get(&env.id()).unwrap().unwrap().id(), env.id());
        assert_eq!(s.sync_items(NOW).unwrap(), vec![(NOW, env.id())]);
        assert_eq!(s.damaged(), 0);
        drop(s);
        let id = env.id();
        for f in walk(dir.path()) {
            let bytes = std::fs::read(&f).unwrap();
            assert!(!bytes.windows(32).any(|w| w == id.as_bytes()), "{f:?}");
            assert!(
                !bytes.windows(32).any(|w| w == env.author().as_bytes()),
                "{f:?}"
            );
        }
        // Another key opens nothing and reports it.
        let other = SealedStore::open(dir.path(), Seal::new(&[8; 32])).unwrap();
        assert_eq!(other.damaged(), 1);
        assert!(other.sync_items(NOW).unwrap().is_empty());
    }

    #[test]
    fn gc_removes_expired() {
        let dir = tempfile::tempdir().unwrap();
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        let env = alert(1);
        s.insert(&env).unwrap();
        assert_eq!(s.next_expiry(NOW).unwrap(), Some(NOW + DAY));
        assert_eq!(s.gc(NOW).unwrap(), 0);
        assert_eq!(s.gc(NOW + DAY).unwrap(), 1);
        assert!(!s.contains(&env.id()).unwrap());
        assert_eq!(s.counts().unwrap().total, 0);
    }

    /// The backdating rule needs when this node first saw an envelope, after a restart
    /// too; the encrypted store keeps it sealed, and the first sighting never moves.
    #[test]
    fn first_seen_survives_a_restart_and_stays_first() {
        let dir = tempfile::tempdir().unwrap();
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        let env = alert(1);
        s.insert(&env).unwrap();
        s.set_first_seen(&env.id(), NOW + 5).unwrap();
        s.set_first_seen(&env.id(), NOW + 99).unwrap();
        s.flush().unwrap();
        drop(s);
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.first_seen(&env.id()).unwrap(), Some(NOW + 5));
        assert_eq!(s.gc(NOW + DAY).unwrap(), 1);
        assert_eq!(s.first_seen(&env.id()).unwrap(), None);
    }

    /// Regression: a failed flush left the envelope inserted (so claimed by `contains`
    /// and the sync set, and refused as a duplicate when a peer sent it again) though the
    /// pipeline reported it as not accepted and a crash would lose it.
    #[test]
    fn a_failed_flush_undoes_its_inserts() {
        let dir = tempfile::tempdir().unwrap();
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        let env = alert(1);
        assert!(s.insert(&env).unwrap());
        s.fail_next_flush
            .store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(s.flush().is_err());
        assert!(!s.contains(&env.id()).unwrap());
        assert!(s.sync_items(NOW).unwrap().is_empty());
        assert_eq!(s.usage(&env.author()).unwrap(), Usage::default());
        assert!(s.insert(&env).unwrap(), "a later copy is stored again");
        s.flush().unwrap();
        drop(s);
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert!(s.contains(&env.id()).unwrap());
    }

    /// The pipeline's path: sealed ahead (on any thread), written in turn. The same
    /// guarantees as `insert_within` + `set_first_seen`: duplicates and quotas checked at
    /// write time, the first sighting kept, a failed flush undoing both.
    #[test]
    fn prepared_inserts_keep_the_write_guarantees() {
        let dir = tempfile::tempdir().unwrap();
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        let (a, b) = (alert(1), alert(2));
        let pa = s.prepare(&a, NOW + 5);
        let pa_again = s.prepare(&a, NOW + 9);
        assert_eq!(s.counts().unwrap().total, 0, "preparing writes nothing");
        assert_eq!(
            s.insert_prepared(&a, None, NOW + 5, pa).unwrap(),
            Inserted::Stored
        );
        assert_eq!(
            s.insert_prepared(&a, None, NOW + 9, pa_again).unwrap(),
            Inserted::Duplicate
        );
        assert_eq!(s.first_seen(&a.id()).unwrap(), Some(NOW + 5));
        let none = Quota {
            envelopes: 1,
            bytes: u64::MAX,
        };
        let pb = s.prepare(&b, NOW);
        assert!(matches!(
            s.insert_prepared(&b, Some(none), NOW, pb).unwrap(),
            Inserted::Stored
        ));
        let c = fixtures::sign(
            &fixtures::key(2),
            CommunityId([1; 32]),
            &Body::Alert(fixtures::raid("another", "", "")),
            NOW,
            DAY,
        );
        let pc = s.prepare(&c, NOW);
        assert!(matches!(
            s.insert_prepared(&c, Some(none), NOW, pc).unwrap(),
            Inserted::OverQuota(_)
        ));
        assert!(!s.contains(&c.id()).unwrap());
        s.flush().unwrap();

        // A failed flush undoes the prepared writes too, first sighting included.
        let pc = s.prepare(&c, NOW + 7);
        assert_eq!(
            s.insert_prepared(&c, None, NOW + 7, pc).unwrap(),
            Inserted::Stored
        );
        s.fail_next_flush
            .store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(s.flush().is_err());
        assert!(!s.contains(&c.id()).unwrap());
        assert_eq!(s.first_seen(&c.id()).unwrap(), None);
        drop(s);
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.counts().unwrap().total, 2);
        assert_eq!(s.first_seen(&a.id()).unwrap(), Some(NOW + 5));
        assert_eq!(s.damaged(), 0);
    }

    #[test]
    fn a_damaged_record_is_dropped_and_leaves_the_sync_set() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (alert(1), alert(2));
        {
            let s = SealedStore::open(dir.path(), seal()).unwrap();
            s.insert(&a).unwrap();
            s.insert(&b).unwrap();
            s.flush().unwrap();
            // Flip one byte of `a`'s ciphertext, as bit rot would.
            let k = s.records.key(a.id().as_bytes());
            let mut v = s.records.tree.get(k).unwrap().unwrap().to_vec();
            let mid = v.len() / 2;
            v[mid] ^= 0x40;
            s.records.tree.insert(k, v).unwrap();
            s.flush().unwrap();
        }
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.damaged(), 1);
        assert!(!s.contains(&a.id()).unwrap());
        assert_eq!(s.sync_items(NOW).unwrap(), vec![(NOW, b.id())]);
        assert!(s.insert(&a).unwrap(), "fetched again, it is stored again");
    }

    /// Regression: sled rolls its log back past damage without a word, so records it
    /// lost were not reported (`damaged` 0) though the node no longer held them. The
    /// manifest beside sled lists them: they count as damaged, stay out of the sync set
    /// and are stored again when fetched; expired ones are not asked for.
    #[test]
    fn records_sled_lost_are_reported_missing() {
        let dir = tempfile::tempdir().unwrap();
        // Signed now: what is missing is judged against the clock.
        let now = crate::unix_now();
        let body = Body::Alert(fixtures::raid("secret headline", "", ""));
        let signed = |k| fixtures::sign(&fixtures::key(k), CommunityId([1; 32]), &body, now, DAY);
        let (a, b) = (signed(1), signed(2));
        {
            let s = SealedStore::open(dir.path(), seal()).unwrap();
            s.insert(&a).unwrap();
            s.insert(&b).unwrap();
            s.flush().unwrap();
            // sled loses `a` and says nothing.
            s.records
                .tree
                .remove(s.records.key(a.id().as_bytes()))
                .unwrap();
            s.flush().unwrap();
        }
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.damaged(), 1);
        assert!(!s.contains(&a.id()).unwrap());
        drop(s);
        // Still missing after a restart before any catch-up.
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.damaged(), 1);
        assert!(s.insert(&a).unwrap(), "fetched again, it is stored again");
        s.flush().unwrap();
        drop(s);
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.damaged(), 0);
        // Collected on purpose: not missing.
        assert_eq!(s.gc(now + DAY).unwrap(), 2);
        drop(s);
        let s = SealedStore::open(dir.path(), seal()).unwrap();
        assert_eq!(s.damaged(), 0);
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }
}
