//! The sled implementation of [`Store`].
//!
//! Trees (integers big-endian, so byte order is numeric order and range scans are time
//! scans):
//!
//! | tree          | key                                                  | value         |
//! |---------------|------------------------------------------------------|---------------|
//! | `envelopes`   | id                                                   | received bytes|
//! | `by_time`     | created_at ‖ id                                      | expires_at    |
//! | `by_expiry`   | expires_at ‖ id                                      | charge        |
//! | `by_kind`     | kind byte ‖ created_at ‖ id                          | —             |
//! | `refs`        | target id ‖ referencing id                           | —             |
//! | `resources`   | author ‖ resource_key ‖ 0 ‖ created_at ‖ id          | —             |
//! | `trust_lists` | author ‖ version ‖ id                                | —             |
//! | `usage`       | author                                               | envelopes ‖ bytes |
//!
//! Every index entry of an envelope can be derived from the envelope alone, so inserting
//! and removing are the same list of keys, written or deleted in one transaction.
//!
//! `usage` holds what each author has stored, for storage quotas: updated in the
//! transaction that inserts or removes an envelope, so it is exact, survives restarts and
//! costs one read to check. The `by_expiry` value of a charged envelope is its *charge*,
//! `author ‖ bytes`, so even a record that no longer decodes is uncharged exactly when
//! garbage collection removes it. A store written before `usage` existed gets it built
//! once, when opened (see [`USAGE_MARKER`]).

use std::convert::Infallible;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use aviso_protocol::{Body, Envelope, Id, Kind, MsgType, PublicKey};
use sled::Tree;
use sled::transaction::{
    ConflictableTransactionError, TransactionError, TransactionalTree, UnabortableTransactionError,
};

use super::{Inserted, Quota, Store, StoreCounts, StoreError, Usage, is_charged};

/// Upper bound of sled's page cache. sled's default is 1 GiB, too much for the small
/// machines (old laptops, single-board computers) community nodes run on; the working set
/// (current alerts and indexes) is a few megabytes.
const CACHE_CAPACITY: u64 = 64 * 1024 * 1024;

/// Expired envelopes removed per transaction by [`Store::gc`]: one transaction holds all
/// its writes in memory, so a store with a large backlog is collected in bounded steps.
const GC_BATCH: usize = 256;

const ID_LEN: usize = 32;
const KEY_LEN: usize = 32;
const U64_LEN: usize = 8;
/// `time ‖ id`, the shape of `by_time` and `by_expiry` keys.
const TIME_ID_LEN: usize = U64_LEN + ID_LEN;
/// `author ‖ bytes`, the shape of a charge.
const CHARGE_LEN: usize = KEY_LEN + U64_LEN;
/// Key, in the default tree, saying that `usage` and the charges in `by_expiry` are
/// complete. Absent in a store written before quotas existed: it is then built on open.
const USAGE_MARKER: &[u8] = b"usage_v1";

/// Envelopes and their indexes in a sled database. Cheap to share: sled trees are
/// internally reference-counted and safe to use from many threads.
pub struct SledStore {
    /// Where it lives; `None` for a temporary store.
    path: Option<PathBuf>,
    db: sled::Db,
    envelopes: Tree,
    by_time: Tree,
    by_expiry: Tree,
    by_kind: Tree,
    refs: Tree,
    resources: Tree,
    trust_lists: Tree,
    usage: Tree,
}

impl std::fmt::Debug for SledStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SledStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SledStore {
    /// Open (or create) the store in the directory `path`. Fails, rather than panics, if
    /// another process holds the database or its files are corrupt.
    pub fn open(path: &Path) -> Result<SledStore, StoreError> {
        let config = sled::Config::new()
            .path(path)
            .cache_capacity(CACHE_CAPACITY)
            // The pipeline decides when data is durable (group commit); a background
            // flusher would only add disk writes between its flushes.
            .flush_every_ms(None);
        Self::from_config(config, Some(path.to_path_buf()))
    }

    /// A store in a temporary directory, deleted when the store is dropped. For tests.
    pub fn temporary() -> Result<SledStore, StoreError> {
        let config = sled::Config::new()
            .temporary(true)
            .cache_capacity(CACHE_CAPACITY)
            .flush_every_ms(None);
        Self::from_config(config, None)
    }

    fn from_config(config: sled::Config, path: Option<PathBuf>) -> Result<SledStore, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path
                .as_deref()
                .map_or_else(|| "<temporary>".to_owned(), |p| p.display().to_string()),
            source,
        };
        // sled 0.34 reports most corruption as an error, but some damaged files trip an
        // assertion during recovery instead; a node must say "the store is damaged", not
        // crash with a backtrace.
        let opened = catch_unwind(AssertUnwindSafe(|| -> sled::Result<_> {
            let db = config.open()?;
            let trees = [
                db.open_tree("envelopes")?,
                db.open_tree("by_time")?,
                db.open_tree("by_expiry")?,
                db.open_tree("by_kind")?,
                db.open_tree("refs")?,
                db.open_tree("resources")?,
                db.open_tree("trust_lists")?,
                db.open_tree("usage")?,
            ];
            Ok((db, trees))
        }));
        let (db, trees) = match opened {
            Ok(result) => result.map_err(open_error)?,
            Err(panic) => {
                let why = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_owned());
                return Err(open_error(sled::Error::Io(std::io::Error::other(format!(
                    "sled failed while opening (damaged files?): {why}"
                )))));
            }
        };
        let [
            envelopes,
            by_time,
            by_expiry,
            by_kind,
            refs,
            resources,
            trust_lists,
            usage,
        ] = trees;
        let store = SledStore {
            path,
            db,
            envelopes,
            by_time,
            by_expiry,
            by_kind,
            refs,
            resources,
            trust_lists,
            usage,
        };
        if store.db.get(USAGE_MARKER)?.is_none() {
            store.build_usage()?;
        }
        Ok(store)
    }

    /// Build `usage` and the charges in `by_expiry` from the stored records, for a store
    /// written before quotas existed (or a new one). Runs before anyone else can use the
    /// store; if interrupted, the marker is absent and the next open starts over.
    fn build_usage(&self) -> Result<(), StoreError> {
        self.usage.clear()?;
        let mut totals: std::collections::HashMap<[u8; KEY_LEN], Usage> =
            std::collections::HashMap::new();
        for item in self.envelopes.iter() {
            let (key, bytes) = item?;
            let Some(env) = decode_record(&key, &bytes) else {
                continue;
            };
            let entries = Entries::of(&env);
            if let Some(charge) = &entries.charge {
                self.by_expiry
                    .insert(&entries.by_expiry[..], &charge.encode()[..])?;
                let u = totals.entry(charge.author).or_default();
                u.envelopes += 1;
                u.bytes += charge.bytes;
            }
        }
        for (author, u) in totals {
            self.usage.insert(author, &encode_usage(u)[..])?;
        }
        self.db.insert(USAGE_MARKER, &[][..])?;
        self.db.flush()?;
        Ok(())
    }

    /// Number of stored envelopes. Walks the whole `envelopes` tree (sled keeps no count).
    pub fn len(&self) -> usize {
        self.envelopes.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.envelopes.is_empty()
    }

    /// The stored trust list of `author` with the highest version (ties between two lists
    /// of one version, which only a misbehaving author signs, go to the greater id). Expired
    /// lists count until [`Store::gc`] removes them: the caller judges time.
    pub fn latest_trust_list(&self, author: &PublicKey) -> Result<Option<Envelope>, StoreError> {
        let len = KEY_LEN + U64_LEN + ID_LEN;
        self.latest_under(&self.trust_lists, author.as_bytes(), len)
    }

    /// The newest stored version (greatest `created_at`) of `author`'s resource
    /// `resource_key`.
    pub fn latest_resource(
        &self,
        author: &PublicKey,
        resource_key: &str,
    ) -> Result<Option<Envelope>, StoreError> {
        let prefix = resource_prefix(author, resource_key);
        // A key may itself contain a 0 byte, so "a" is a prefix of "a\0b"'s entries; the
        // exact length tells them apart.
        let len = prefix.len() + U64_LEN + ID_LEN;
        self.latest_under(&self.resources, &prefix, len)
    }

    /// The envelope of the greatest index key of length `len` under `prefix`, whose last
    /// [`ID_LEN`] bytes are the id. Undecodable records are skipped for the next one.
    fn latest_under(
        &self,
        tree: &Tree,
        prefix: &[u8],
        len: usize,
    ) -> Result<Option<Envelope>, StoreError> {
        for item in tree.scan_prefix(prefix).keys().rev() {
            let key = item?;
            if key.len() != len {
                continue;
            }
            if let Some(id) = id_at_end(&key)
                && let Some(env) = self.load(&id)?
            {
                return Ok(Some(env));
            }
        }
        Ok(None)
    }

    /// Read and decode one record; a record that no longer decodes is logged and treated
    /// as absent.
    fn load(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
        Ok(self
            .envelopes
            .get(id.as_bytes())?
            .and_then(|bytes| decode_record(id.as_bytes(), &bytes)))
    }

    /// Whether `id` is stored and current at `now`.
    fn is_live(&self, id: &Id, now: u64) -> Result<bool, StoreError> {
        Ok(self.load(id)?.is_some_and(|env| !env.is_expired(now)))
    }

    /// Decide what to do with the envelope that `by_expiry_key` says has expired, or
    /// `None` to keep it.
    fn doom(&self, by_expiry_key: &[u8], now: u64) -> Result<Option<Doomed>, StoreError> {
        let Some(id) = id_at_end(by_expiry_key) else {
            return Ok(Some(Doomed::Stray(by_expiry_key.to_vec())));
        };
        let Some(bytes) = self.envelopes.get(id.as_bytes())? else {
            return Ok(Some(Doomed::Stray(by_expiry_key.to_vec())));
        };
        let Some(env) = decode_record(id.as_bytes(), &bytes) else {
            // Its other index entries cannot be derived; they point at nothing once the
            // record is gone and readers skip such entries. Its charge was kept aside.
            let charge = self
                .by_expiry
                .get(by_expiry_key)?
                .and_then(|v| Charge::decode(&v));
            return Ok(Some(Doomed::Undecodable {
                id,
                by_expiry_key: by_expiry_key.to_vec(),
                charge,
            }));
        };
        for target in tombstone_targets(env.body()) {
            // A tombstone that went before its target would let the target come back
            // (from a peer that still has it) as if never withdrawn.
            if self.is_live(target, now)? {
                return Ok(None);
            }
        }
        // An expired trust list stays while an older version of the same owner lives:
        // without it the older version (and the keys the newer one revoked) would count
        // again.
        if let Body::TrustList(list) = env.body()
            && self.older_list_lives(&env.author(), list.version, now)?
        {
            return Ok(None);
        }
        Ok(Some(Doomed::Envelope(Entries::of(&env))))
    }

    /// Whether `author` has a stored, unexpired trust list older than `version`.
    fn older_list_lives(
        &self,
        author: &PublicKey,
        version: u64,
        now: u64,
    ) -> Result<bool, StoreError> {
        for entry in self.trust_lists.scan_prefix(author.as_bytes()) {
            let (key, _) = entry?;
            let Some(v) = key.get(32..40).and_then(|b| <[u8; 8]>::try_from(b).ok()) else {
                continue;
            };
            if u64::from_be_bytes(v) >= version {
                continue;
            }
            let Some(id) = id_at_end(&key) else { continue };
            if self.is_live(&id, now)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Remove `doomed` in one transaction; returns how many envelopes were removed.
    fn remove(&self, doomed: &[Doomed]) -> Result<usize, StoreError> {
        self.transaction(|tx| {
            let mut removed = 0;
            for d in doomed {
                match d {
                    Doomed::Envelope(entries) => {
                        if tx.envelopes.remove(&entries.id[..])?.is_some() {
                            removed += 1;
                            tx.uncharge(entries.charge.as_ref())?;
                        }
                        // Index entries go even if the record is already gone, so a
                        // half-removed envelope (from an older bug) heals.
                        tx.delete(entries)?;
                    }
                    Doomed::Undecodable {
                        id,
                        by_expiry_key,
                        charge,
                    } => {
                        if tx.envelopes.remove(&id.as_bytes()[..])?.is_some() {
                            removed += 1;
                            tx.uncharge(charge.as_ref())?;
                        }
                        tx.by_expiry.remove(&by_expiry_key[..])?;
                    }
                    Doomed::Stray(by_expiry_key) => {
                        tx.by_expiry.remove(&by_expiry_key[..])?;
                    }
                }
            }
            Ok(removed)
        })
    }

    /// Run `f` as one sled transaction over all trees. sled may run `f` more than once
    /// on conflict, so `f` must only read and write through `tx`.
    fn transaction<T>(
        &self,
        f: impl Fn(&Tx<'_>) -> Result<T, ConflictableTransactionError<Infallible>>,
    ) -> Result<T, StoreError> {
        use sled::Transactional;
        let trees = (
            &self.envelopes,
            &self.by_time,
            &self.by_expiry,
            &self.by_kind,
            &self.refs,
            &self.resources,
            &self.trust_lists,
            &self.usage,
        );
        trees
            .transaction(
                |(envelopes, by_time, by_expiry, by_kind, refs, resources, trust_lists, usage)| {
                    f(&Tx {
                        envelopes,
                        by_time,
                        by_expiry,
                        by_kind,
                        refs,
                        resources,
                        trust_lists,
                        usage,
                    })
                },
            )
            .map_err(|e| match e {
                TransactionError::Storage(e) => StoreError::Db(e),
                TransactionError::Abort(never) => match never {},
            })
    }

    /// Ids of the index entries under `prefix` in `tree`, in key order.
    fn ids_under(&self, tree: &Tree, prefix: &[u8], len: usize) -> Result<Vec<Id>, StoreError> {
        let mut ids = Vec::new();
        for item in tree.scan_prefix(prefix).keys() {
            let key = item?;
            match id_at_end(&key).filter(|_| key.len() == len) {
                Some(id) => ids.push(id),
                None => tracing::warn!(key = %hex::encode(&key), "malformed index key skipped"),
            }
        }
        Ok(ids)
    }
}

/// The tree of first sightings: envelope id → unix seconds (big-endian), written beside
/// the insert and pruned by [`Store::gc`]. A tree of its own, outside the insert's
/// transaction, so the envelope records keep their layout.
const FIRST_SEEN_TREE: &str = "first_seen";

impl SledStore {
    /// Drop first sightings of envelopes no longer stored: one pass over the tree.
    fn prune_first_seen(&self) -> Result<(), StoreError> {
        let tree = self.db.open_tree(FIRST_SEEN_TREE)?;
        for key in tree.iter().keys() {
            let key = key?;
            if !self.envelopes.contains_key(&key)? {
                tree.remove(&key)?;
            }
        }
        Ok(())
    }
}

impl Store for SledStore {
    fn contains(&self, id: &Id) -> Result<bool, StoreError> {
        Ok(self.envelopes.contains_key(id.as_bytes())?)
    }

    fn insert_within(&self, env: &Envelope, quota: Option<Quota>) -> Result<Inserted, StoreError> {
        let entries = Entries::of(env);
        let bytes = env.bytes();
        self.transaction(|tx| {
            // Checked inside the transaction, so two inserts of one envelope racing each
            // other write it once and exactly one of them stores it; likewise two inserts
            // by one author cannot both take its last unit of quota.
            if tx.envelopes.get(&entries.id[..])?.is_some() {
                return Ok(Inserted::Duplicate);
            }
            if let Some(charge) = &entries.charge {
                let usage = tx.usage_of(&charge.author)?;
                if let Some(q) = &quota
                    && !usage.admits(charge.bytes, q)
                {
                    return Ok(Inserted::OverQuota(usage));
                }
                tx.set_usage(
                    &charge.author,
                    Usage {
                        envelopes: usage.envelopes + 1,
                        bytes: usage.bytes.saturating_add(charge.bytes),
                    },
                )?;
            }
            tx.envelopes.insert(&entries.id[..], bytes)?;
            tx.put(&entries)?;
            Ok(Inserted::Stored)
        })
    }

    fn usage(&self, author: &PublicKey) -> Result<Usage, StoreError> {
        Ok(self
            .usage
            .get(author.as_bytes())?
            .map(|v| decode_usage(&v))
            .unwrap_or_default())
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }

    fn get(&self, id: &Id) -> Result<Option<Envelope>, StoreError> {
        self.load(id)
    }

    fn all(&self) -> Result<Vec<Envelope>, StoreError> {
        // One sequential pass over the records and a sort beats a random lookup per
        // `by_time` entry.
        let mut all = Vec::new();
        for item in self.envelopes.iter() {
            let (key, bytes) = item?;
            if let Some(env) = decode_record(&key, &bytes) {
                all.push(env);
            }
        }
        all.sort_by_key(|e| (e.created_at(), e.id()));
        Ok(all)
    }

    fn by_kind(&self, kind: Kind) -> Result<Vec<Envelope>, StoreError> {
        let len = 1 + U64_LEN + ID_LEN;
        let mut out = Vec::new();
        for id in self.ids_under(&self.by_kind, &[kind_byte(kind)], len)? {
            if let Some(env) = self.load(&id)? {
                out.push(env);
            }
        }
        Ok(out)
    }

    fn by_kind_before(
        &self,
        kind: Kind,
        before: Option<(u64, Id)>,
        limit: usize,
    ) -> Result<Vec<Envelope>, StoreError> {
        let kb = kind_byte(kind);
        let start = vec![kb];
        let end = match before {
            Some((created_at, id)) => {
                [&[kb][..], &created_at.to_be_bytes(), id.as_bytes()].concat()
            }
            None => vec![kb + 1],
        };
        let len = 1 + U64_LEN + ID_LEN;
        let mut out = Vec::new();
        for item in self.by_kind.range(start..end).keys().rev() {
            if out.len() >= limit {
                break;
            }
            let key = item?;
            let Some(id) = id_at_end(&key).filter(|_| key.len() == len) else {
                tracing::warn!(key = %hex::encode(&key), "malformed index key skipped");
                continue;
            };
            if let Some(env) = self.load(&id)? {
                out.push(env);
            }
        }
        Ok(out)
    }

    fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<Id>, StoreError> {
        let Some((lo, hi)) = prefix_bounds(prefix) else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for key in self.envelopes.range(lo.0..=hi.0).keys().take(limit) {
            if let Ok(id) = <[u8; ID_LEN]>::try_from(key?.as_ref()) {
                ids.push(Id(id));
            }
        }
        Ok(ids)
    }

    fn referencing(&self, target: &Id) -> Result<Vec<Id>, StoreError> {
        self.ids_under(&self.refs, target.as_bytes(), ID_LEN + ID_LEN)
    }

    fn sync_items(&self, now: u64) -> Result<Vec<(u64, Id)>, StoreError> {
        let mut items = Vec::new();
        for item in self.by_time.iter() {
            let (key, value) = item?;
            let parsed = split_time_id(&key).zip(be_u64(&value));
            let Some(((created_at, id), expires_at)) = parsed else {
                tracing::warn!(key = %hex::encode(&key), "malformed by_time entry skipped");
                continue;
            };
            if expires_at > now {
                items.push((created_at, id));
            }
        }
        Ok(items)
    }

    fn next_expiry(&self, now: u64) -> Result<Option<u64>, StoreError> {
        let from = now.saturating_add(1).to_be_bytes();
        for key in self.by_expiry.range(from..).keys() {
            if let Some((expires_at, _)) = split_time_id(&key?) {
                return Ok(Some(expires_at));
            }
        }
        Ok(None)
    }

    fn gc(&self, now: u64) -> Result<usize, StoreError> {
        let mut removed = 0;
        let mut doomed = Vec::with_capacity(GC_BATCH);
        // sled iterators tolerate concurrent writes, including this loop's own removals.
        for item in self.by_expiry.iter().keys() {
            let key = item?;
            match split_time_id(&key) {
                Some((expires_at, _)) if expires_at > now => break,
                _ => {}
            }
            if let Some(d) = self.doom(&key, now)? {
                doomed.push(d);
            }
            if doomed.len() >= GC_BATCH {
                removed += self.remove(&doomed)?;
                doomed.clear();
            }
        }
        if !doomed.is_empty() {
            removed += self.remove(&doomed)?;
        }
        self.prune_first_seen()?;
        Ok(removed)
    }

    fn first_seen(&self, id: &Id) -> Result<Option<u64>, StoreError> {
        let tree = self.db.open_tree(FIRST_SEEN_TREE)?;
        Ok(tree
            .get(id.as_bytes())?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map(u64::from_be_bytes))
    }

    fn set_first_seen(&self, id: &Id, at: u64) -> Result<(), StoreError> {
        let tree = self.db.open_tree(FIRST_SEEN_TREE)?;
        // The first sighting stays: a later call (a re-insert after a crash) never moves
        // it forward or back.
        let _ = tree.compare_and_swap(
            id.as_bytes(),
            None as Option<&[u8]>,
            Some(&at.to_be_bytes()[..]),
        )?;
        Ok(())
    }

    fn counts(&self) -> Result<StoreCounts, StoreError> {
        let mut counts = StoreCounts::default();
        for kind in Kind::ALL {
            let mut n = 0;
            for key in self.by_kind.scan_prefix([kind_byte(kind)]).keys() {
                key?;
                n += 1;
            }
            counts.total += n;
            counts.by_kind.insert(kind.as_str(), n);
        }
        Ok(counts)
    }
}

/// The trees inside one transaction.
struct Tx<'a> {
    envelopes: &'a TransactionalTree,
    by_time: &'a TransactionalTree,
    by_expiry: &'a TransactionalTree,
    by_kind: &'a TransactionalTree,
    refs: &'a TransactionalTree,
    resources: &'a TransactionalTree,
    trust_lists: &'a TransactionalTree,
    usage: &'a TransactionalTree,
}

impl Tx<'_> {
    fn usage_of(&self, author: &[u8; KEY_LEN]) -> Result<Usage, UnabortableTransactionError> {
        Ok(self
            .usage
            .get(&author[..])?
            .map(|v| decode_usage(&v))
            .unwrap_or_default())
    }

    /// Record `author`'s usage; an author with nothing stored has no entry.
    fn set_usage(
        &self,
        author: &[u8; KEY_LEN],
        u: Usage,
    ) -> Result<(), UnabortableTransactionError> {
        if u.envelopes == 0 {
            self.usage.remove(&author[..])?;
        } else {
            self.usage.insert(&author[..], &encode_usage(u)[..])?;
        }
        Ok(())
    }

    /// Give back what a removed envelope was charged.
    fn uncharge(&self, charge: Option<&Charge>) -> Result<(), UnabortableTransactionError> {
        let Some(c) = charge else { return Ok(()) };
        let u = self.usage_of(&c.author)?;
        self.set_usage(
            &c.author,
            Usage {
                envelopes: u.envelopes.saturating_sub(1),
                bytes: u.bytes.saturating_sub(c.bytes),
            },
        )
    }

    /// Write every index entry of one envelope.
    fn put(&self, e: &Entries) -> Result<(), UnabortableTransactionError> {
        self.by_time.insert(&e.by_time[..], &e.expires_at[..])?;
        let charge = e.charge.as_ref().map(Charge::encode).unwrap_or_default();
        self.by_expiry.insert(&e.by_expiry[..], &charge[..])?;
        self.by_kind.insert(&e.by_kind[..], &[][..])?;
        for key in &e.refs {
            self.refs.insert(&key[..], &[][..])?;
        }
        if let Some(key) = &e.resource {
            self.resources.insert(&key[..], &[][..])?;
        }
        if let Some(key) = &e.trust_list {
            self.trust_lists.insert(&key[..], &[][..])?;
        }
        Ok(())
    }

    /// Delete every index entry of one envelope.
    fn delete(&self, e: &Entries) -> Result<(), UnabortableTransactionError> {
        self.by_time.remove(&e.by_time[..])?;
        self.by_expiry.remove(&e.by_expiry[..])?;
        self.by_kind.remove(&e.by_kind[..])?;
        for key in &e.refs {
            self.refs.remove(&key[..])?;
        }
        if let Some(key) = &e.resource {
            self.resources.remove(&key[..])?;
        }
        if let Some(key) = &e.trust_list {
            self.trust_lists.remove(&key[..])?;
        }
        Ok(())
    }
}

/// The record key and index keys of one envelope.
struct Entries {
    id: [u8; ID_LEN],
    expires_at: [u8; U64_LEN],
    by_time: Vec<u8>,
    by_expiry: Vec<u8>,
    by_kind: Vec<u8>,
    refs: Vec<Vec<u8>>,
    resource: Option<Vec<u8>>,
    trust_list: Option<Vec<u8>>,
    charge: Option<Charge>,
}

/// What one envelope counts against its author's [`Usage`].
struct Charge {
    author: [u8; KEY_LEN],
    bytes: u64,
}

impl Charge {
    fn encode(&self) -> Vec<u8> {
        [&self.author[..], &self.bytes.to_be_bytes()].concat()
    }

    fn decode(v: &[u8]) -> Option<Charge> {
        if v.len() != CHARGE_LEN {
            return None;
        }
        let (author, bytes) = v.split_at(KEY_LEN);
        Some(Charge {
            author: author.try_into().ok()?,
            bytes: be_u64(bytes)?,
        })
    }
}

impl Entries {
    fn of(env: &Envelope) -> Entries {
        let id = env.id();
        let id = id.as_bytes();
        let created = env.created_at().to_be_bytes();
        let expires_at = env.expires_at().to_be_bytes();
        let author = env.author();
        let author = author.as_bytes();
        let refs = reference_targets(env.body())
            .map(|target| [target.as_bytes().as_slice(), id].concat())
            .collect();
        let resource = match env.body() {
            Body::Resource(r) => Some(
                [
                    &resource_prefix(&env.author(), &r.resource_key)[..],
                    &created,
                    id,
                ]
                .concat(),
            ),
            _ => None,
        };
        let trust_list = match env.body() {
            Body::TrustList(t) => Some([&author[..], &t.version.to_be_bytes(), id].concat()),
            _ => None,
        };
        Entries {
            id: *id,
            expires_at,
            by_time: [&created[..], id].concat(),
            by_expiry: [&expires_at[..], id].concat(),
            by_kind: [&[kind_byte(env.kind())][..], &created, id].concat(),
            refs,
            resource,
            trust_list,
            charge: is_charged(env.kind()).then(|| Charge {
                author: *author,
                bytes: env.bytes().len() as u64,
            }),
        }
    }
}

/// What [`Store::gc`] removes for one expired `by_expiry` entry.
enum Doomed {
    /// A decodable envelope: its record and every index entry.
    Envelope(Entries),
    /// A record that no longer decodes: the record and its expiry entry, and its charge.
    Undecodable {
        id: Id,
        by_expiry_key: Vec<u8>,
        charge: Option<Charge>,
    },
    /// An expiry entry without a record (or malformed): the entry alone.
    Stray(Vec<u8>),
}

/// The on-disk byte of each kind, fixed here rather than taken from the enum's order so
/// that reordering `Kind` cannot silently reinterpret a store.
fn kind_byte(kind: Kind) -> u8 {
    match kind {
        Kind::TrustList => 0,
        Kind::Alert => 1,
        Kind::Report => 2,
        Kind::Resource => 3,
        Kind::Endorsement => 4,
        Kind::Retraction => 5,
        Kind::Response => 6,
    }
}

/// Every message a body acts on: what [`Store::referencing`] answers for.
pub(super) fn reference_targets(body: &Body) -> Box<dyn Iterator<Item = &Id> + '_> {
    match body {
        Body::Retraction(r) => Box::new(std::iter::once(&r.target)),
        Body::Endorsement(e) => Box::new(std::iter::once(&e.alert)),
        Body::Alert(a) => Box::new(a.references.iter().chain(&a.confirms)),
        // Responses are read by kind with the feed: indexing them under their alert
        // would make every lookup of what ends an alert read all its responses.
        Body::TrustList(_) | Body::Report(_) | Body::Resource(_) | Body::Response(_) => {
            Box::new(std::iter::empty())
        }
    }
}

/// The least and the greatest id whose lower-case hex starts with `prefix`: every id
/// starting with it lies between it padded with 0s and with fs. `None` for a prefix that
/// is not hex or too long.
pub(super) fn prefix_bounds(prefix: &str) -> Option<(Id, Id)> {
    let bound = |pad: char| {
        let mut hex = prefix.to_owned();
        while hex.len() < 2 * ID_LEN {
            hex.push(pad);
        }
        Id::from_hex(&hex).ok()
    };
    Some((bound('0')?, bound('f')?))
}

/// The messages a tombstone ends; empty if the body is not a tombstone. An update is not
/// one: it replaces its targets but is itself an alert that should end on time.
pub(super) fn tombstone_targets(body: &Body) -> &[Id] {
    match body {
        Body::Retraction(r) => std::slice::from_ref(&r.target),
        Body::Alert(a) if matches!(a.msg_type, MsgType::Cancel | MsgType::AllClear) => {
            &a.references
        }
        _ => &[],
    }
}

fn resource_prefix(author: &PublicKey, resource_key: &str) -> Vec<u8> {
    [author.as_bytes(), resource_key.as_bytes(), &[0]].concat()
}

/// Decode a stored record. We validated it before storing it, so failure means the disk
/// (or sled) damaged it: log and skip rather than fail every read of the store.
fn decode_record(key: &[u8], bytes: &[u8]) -> Option<Envelope> {
    match Envelope::decode(bytes) {
        Ok(env) if env.id().as_bytes()[..] == *key => Some(env),
        Ok(env) => {
            tracing::warn!(
                key = %hex::encode(key),
                id = %env.id(),
                "stored record is filed under another id; skipped"
            );
            None
        }
        Err(e) => {
            tracing::warn!(key = %hex::encode(key), error = %e, "stored record does not decode; skipped");
            None
        }
    }
}

fn encode_usage(u: Usage) -> [u8; 2 * U64_LEN] {
    let mut v = [0; 2 * U64_LEN];
    v[..U64_LEN].copy_from_slice(&u.envelopes.to_be_bytes());
    v[U64_LEN..].copy_from_slice(&u.bytes.to_be_bytes());
    v
}

/// A `usage` value; one that does not decode (disk damage) counts as nothing stored.
fn decode_usage(v: &[u8]) -> Usage {
    let (envelopes, bytes) = v.split_at(v.len().min(U64_LEN));
    match be_u64(envelopes).zip(be_u64(bytes)) {
        Some((envelopes, bytes)) => Usage { envelopes, bytes },
        None => {
            tracing::warn!(value = %hex::encode(v), "malformed usage entry read as empty");
            Usage::default()
        }
    }
}

fn be_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

/// Split a `time ‖ id` key.
fn split_time_id(key: &[u8]) -> Option<(u64, Id)> {
    if key.len() != TIME_ID_LEN {
        return None;
    }
    let (time, id) = key.split_at(U64_LEN);
    Some((be_u64(time)?, Id(id.try_into().ok()?)))
}

/// The id that ends an index key.
fn id_at_end(key: &[u8]) -> Option<Id> {
    let start = key.len().checked_sub(ID_LEN)?;
    Some(Id(key.get(start..)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::fixtures::{self, DAY, HOUR, NOW, key};
    use aviso_protocol::{
        Alert, Area, Category, CommunityId, Endorsement, Report, Resource, ResourceInfo,
        ResourceKind, RetractReason, Retraction, Role,
    };

    fn sign(signer: u8, body: Body, created: u64, expires: u64) -> Envelope {
        Envelope::sign(&key(signer), CommunityId([1; 32]), &body, created, expires)
            .expect("test envelope signs")
    }

    fn area() -> Area {
        fixtures::area("9q8yy")
    }

    fn alert(headline: &str) -> Alert {
        fixtures::raid(headline, "", "")
    }

    fn follow_up(msg_type: MsgType, target: Id) -> Body {
        let mut a = alert("follow-up");
        a.msg_type = msg_type;
        a.references = vec![target];
        if msg_type != MsgType::Update {
            a.info.clear();
        }
        Body::Alert(a)
    }

    fn report() -> Body {
        Body::Report(Report {
            category: Category::Raid,
            areas: vec![area()],
            seen_at: NOW,
            note: None,
        })
    }

    fn retraction(target: Id) -> Body {
        Body::Retraction(Retraction {
            target,
            reason: RetractReason::Mistaken,
        })
    }

    fn resource(resource_key: &str, name: &str) -> Body {
        Body::Resource(Resource {
            resource_key: resource_key.into(),
            kind: ResourceKind::LegalAid,
            info: vec![ResourceInfo {
                lang: "en".into(),
                name: name.into(),
                description: String::new(),
                hours: String::new(),
            }],
            phone: None,
            url: None,
            address: None,
            areas: vec![area()],
            languages_spoken: vec![],
            free: true,
            no_id_required: true,
            confidential: true,
            walk_in: false,
            starts_at: None,
            ends_at: None,
        })
    }

    fn trust_list(version: u64) -> Body {
        Body::TrustList(fixtures::trust_list(
            "Mission rapid response",
            version,
            vec![fixtures::entry(key(9).public(), Role::Organizer, "")],
        ))
    }

    fn open(dir: &tempfile::TempDir) -> SledStore {
        SledStore::open(&dir.path().join("store")).expect("store opens")
    }

    fn insert_all(store: &SledStore, envs: &[&Envelope]) {
        for env in envs {
            assert!(store.insert(env).expect("insert"), "first insert stores");
        }
    }

    fn ids(envs: &[&Envelope]) -> Vec<Id> {
        let mut ids: Vec<Id> = envs.iter().map(|e| e.id()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn round_trip_keeps_received_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = open(&dir);
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        assert!(!store.contains(&a.id()).expect("contains"));
        assert!(store.get(&a.id()).expect("get").is_none());

        assert!(store.insert(&a).expect("insert"));
        assert!(store.contains(&a.id()).expect("contains"));
        let got = store.get(&a.id()).expect("get").expect("stored");
        assert_eq!(got.bytes(), a.bytes());
        assert_eq!(got, a);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn duplicate_insert_returns_false_and_writes_nothing() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        assert!(store.insert(&a).expect("insert"));
        assert!(!store.insert(&a).expect("second insert"));
        assert_eq!(store.len(), 1);
        assert_eq!(store.sync_items(NOW).expect("sync"), vec![(NOW, a.id())]);
        assert_eq!(store.counts().expect("counts").total, 1);
    }

    #[test]
    fn flushed_data_survives_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        let t = sign(2, retraction(a.id()), NOW + 1, NOW + 300 * DAY);
        {
            let store = open(&dir);
            insert_all(&store, &[&a, &t]);
            store.flush().expect("flush");
        }
        let store = open(&dir);
        assert_eq!(
            store.get(&a.id()).expect("get").expect("kept").bytes(),
            a.bytes()
        );
        assert_eq!(store.all().expect("all"), vec![a.clone(), t.clone()]);
        assert_eq!(store.referencing(&a.id()).expect("refs"), vec![t.id()]);
        assert_eq!(
            store.sync_items(NOW).expect("sync"),
            vec![(NOW, a.id()), (NOW + 1, t.id())]
        );
    }

    #[test]
    fn second_open_of_a_held_store_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let _held = open(&dir);
        match SledStore::open(&dir.path().join("store")) {
            Err(StoreError::Open { path, .. }) => assert!(path.ends_with("store")),
            other => panic!("expected an open error, got {other:?}"),
        }
    }

    #[test]
    fn damaged_files_give_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store");
        {
            let store = SledStore::open(&path).expect("store opens");
            let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
            store.insert(&a).expect("insert");
            store.flush().expect("flush");
        }
        std::fs::write(path.join("conf"), b"\xff\xfe garbage, not a sled config")
            .expect("damage conf");
        assert!(matches!(
            SledStore::open(&path),
            Err(StoreError::Open { .. })
        ));
    }

    #[test]
    fn undecodable_record_is_skipped() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        let b = sign(2, Body::Alert(alert("other")), NOW + 1, NOW + DAY);
        insert_all(&store, &[&a, &b]);
        // Simulate disk damage: the record of `b` no longer decodes.
        store
            .envelopes
            .insert(b.id().as_bytes(), &b"not an envelope"[..])
            .expect("overwrite");
        assert!(store.get(&b.id()).expect("get").is_none());
        assert_eq!(store.all().expect("all"), vec![a.clone()]);
        assert_eq!(
            store.by_kind(Kind::Alert).expect("by kind"),
            vec![a.clone()]
        );
        // Collecting it after expiry removes the damaged record too.
        assert_eq!(store.gc(NOW + DAY).expect("gc"), 2);
        assert!(store.is_empty());
    }

    #[test]
    fn next_expiry_is_the_first_expiry_after_now() {
        let store = SledStore::temporary().expect("store");
        assert_eq!(store.next_expiry(NOW).expect("read"), None);
        let gone = sign(2, report(), NOW - 2 * HOUR, NOW - HOUR);
        let soon = sign(3, report(), NOW - 10, NOW + 5);
        let later = sign(4, report(), NOW - 10, NOW + DAY);
        insert_all(&store, &[&later, &gone, &soon]);
        assert_eq!(store.next_expiry(NOW).expect("read"), Some(NOW + 5));
        assert_eq!(store.next_expiry(NOW + 5).expect("read"), Some(NOW + DAY));
        assert_eq!(store.next_expiry(NOW + DAY).expect("read"), None);
    }

    #[test]
    fn sync_items_are_ascending_and_skip_expired() {
        let store = SledStore::temporary().expect("store");
        let late = sign(2, report(), NOW + 10, NOW + DAY);
        let early = sign(3, report(), NOW - 10, NOW + DAY);
        let gone = sign(4, report(), NOW - 2 * HOUR, NOW - HOUR);
        let ends_now = sign(5, report(), NOW - HOUR, NOW);
        let middle = sign(6, Body::Alert(alert("raid")), NOW, NOW + 1);
        insert_all(&store, &[&late, &gone, &middle, &early, &ends_now]);

        assert_eq!(
            store.sync_items(NOW).expect("sync"),
            vec![
                (NOW - 10, early.id()),
                (NOW, middle.id()),
                (NOW + 10, late.id())
            ]
        );
        assert_eq!(
            store.sync_items(NOW + 1).expect("sync"),
            vec![(NOW - 10, early.id()), (NOW + 10, late.id())]
        );
        assert_eq!(store.sync_items(NOW - 3 * HOUR).expect("sync").len(), 5);
        // `all` is in the same order and still has the expired ones until gc.
        let all: Vec<Id> = store.all().expect("all").iter().map(|e| e.id()).collect();
        assert_eq!(
            all,
            vec![gone.id(), ends_now.id(), early.id(), middle.id(), late.id()]
        );
    }

    #[test]
    fn gc_removes_expired_envelopes_and_their_index_entries() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW - 2 * HOUR, NOW - HOUR);
        let live = sign(2, Body::Alert(alert("live")), NOW, NOW + DAY);
        let e = sign(
            3,
            Body::Endorsement(Endorsement { alert: a.id() }),
            NOW - HOUR,
            NOW,
        );
        let r = sign(4, resource("clinic", "Clinic"), NOW - 2 * DAY, NOW - DAY);
        let tl = sign(5, trust_list(1), NOW - 2 * DAY, NOW - DAY);
        insert_all(&store, &[&a, &live, &e, &r, &tl]);

        assert_eq!(store.gc(NOW - HOUR - 1).expect("gc"), 2, "only r and tl");
        assert_eq!(store.gc(NOW).expect("gc"), 2, "a and e");
        assert_eq!(store.gc(NOW).expect("gc"), 0, "nothing left to do");

        assert_eq!(store.all().expect("all"), vec![live.clone()]);
        assert_eq!(store.sync_items(0).expect("sync"), vec![(NOW, live.id())]);
        assert!(store.referencing(&a.id()).expect("refs").is_empty());
        assert!(store.by_kind(Kind::Endorsement).expect("kind").is_empty());
        assert!(
            store
                .latest_resource(&key(4).public(), "clinic")
                .expect("resource")
                .is_none()
        );
        assert!(
            store
                .latest_trust_list(&key(5).public())
                .expect("list")
                .is_none()
        );
        for tree in [&store.by_time, &store.by_expiry, &store.by_kind] {
            assert_eq!(tree.len(), 1, "only the live alert is indexed");
        }
        for tree in [&store.refs, &store.resources, &store.trust_lists] {
            assert!(tree.is_empty(), "index entries of removed envelopes gone");
        }
    }

    #[test]
    fn gc_keeps_an_expired_newest_trust_list_while_an_older_one_lives() {
        let store = SledStore::temporary().expect("store");
        let v1 = sign(5, trust_list(1), NOW, NOW + 300 * DAY);
        let v2 = sign(5, trust_list(2), NOW + 1, NOW + HOUR);
        insert_all(&store, &[&v1, &v2]);
        assert_eq!(
            store.gc(NOW + 2 * HOUR).expect("gc"),
            0,
            "v2 still hides v1"
        );
        assert!(store.contains(&v2.id()).expect("read"));
        assert_eq!(
            store.gc(NOW + 301 * DAY).expect("gc"),
            2,
            "both go once v1 expires too"
        );
    }

    #[test]
    fn gc_keeps_tombstones_while_their_target_lives() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        let b = sign(2, Body::Alert(alert("other raid")), NOW, NOW + 2 * DAY);
        let retract = sign(2, retraction(a.id()), NOW, NOW + HOUR);
        let cancel = sign(2, follow_up(MsgType::Cancel, b.id()), NOW, NOW + HOUR);
        let clear = sign(2, follow_up(MsgType::AllClear, b.id()), NOW, NOW + HOUR);
        // An update is not a tombstone: it ends on time even though its target lives.
        let update = sign(2, follow_up(MsgType::Update, b.id()), NOW, NOW + HOUR);
        // A retraction of something never stored protects nothing.
        let orphan = sign(2, retraction(Id([7; 32])), NOW, NOW + HOUR);
        insert_all(
            &store,
            &[&a, &b, &retract, &cancel, &clear, &update, &orphan],
        );

        assert_eq!(store.gc(NOW + 2 * HOUR).expect("gc"), 2, "update, orphan");
        assert!(store.contains(&retract.id()).expect("contains"));
        assert!(store.contains(&cancel.id()).expect("contains"));
        assert!(store.contains(&clear.id()).expect("contains"));
        // Kept tombstones are expired: they are no longer offered to peers.
        let mut live = vec![(NOW, a.id()), (NOW, b.id())];
        live.sort();
        assert_eq!(store.sync_items(NOW + 2 * HOUR).expect("sync"), live);

        // `a` expires: it goes, and its retraction with it.
        assert_eq!(store.gc(NOW + DAY).expect("gc"), 2);
        assert!(!store.contains(&retract.id()).expect("contains"));
        assert!(store.contains(&cancel.id()).expect("contains"));

        // `b` expires: the cancel and all-clear go with it.
        assert_eq!(store.gc(NOW + 2 * DAY).expect("gc"), 3);
        assert!(store.is_empty());
        assert_eq!(store.counts().expect("counts").total, 0);
        assert!(store.by_expiry.is_empty() && store.refs.is_empty());
    }

    #[test]
    fn tombstone_goes_once_its_target_was_collected_earlier() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + HOUR);
        let retract = sign(2, retraction(a.id()), NOW, NOW + 300 * DAY);
        insert_all(&store, &[&a, &retract]);
        assert_eq!(store.gc(NOW + HOUR).expect("gc"), 1);
        assert!(!store.contains(&a.id()).expect("contains"));
        assert!(store.contains(&retract.id()).expect("not yet expired"));
        assert_eq!(store.gc(NOW + 300 * DAY).expect("gc"), 1);
        assert!(store.is_empty());
    }

    fn usage_of(store: &SledStore, signer: u8) -> Usage {
        store.usage(&key(signer).public()).expect("usage")
    }

    fn charged(envs: &[&Envelope]) -> Usage {
        Usage {
            envelopes: envs.len() as u64,
            bytes: envs.iter().map(|e| e.bytes().len() as u64).sum(),
        }
    }

    #[test]
    fn usage_follows_inserts_and_gc_exactly() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        let short = sign(2, Body::Alert(alert("short")), NOW, NOW + HOUR);
        let retract = sign(2, retraction(a.id()), NOW, NOW + HOUR);
        let r1 = sign(3, report(), NOW, NOW + HOUR);
        let r2 = sign(3, report(), NOW + 1, NOW + DAY);
        let tl = sign(5, trust_list(1), NOW, NOW + DAY);
        insert_all(&store, &[&a, &short, &retract, &r1, &r2, &tl]);
        assert_eq!(usage_of(&store, 2), charged(&[&a, &short, &retract]));
        assert_eq!(usage_of(&store, 3), charged(&[&r1, &r2]));
        assert_eq!(
            usage_of(&store, 5),
            Usage::default(),
            "trust lists are free"
        );

        // `short` and `r1` go; the retraction stays while `a` lives, and still counts.
        assert_eq!(store.gc(NOW + HOUR).expect("gc"), 2);
        assert_eq!(usage_of(&store, 2), charged(&[&a, &retract]));
        assert_eq!(usage_of(&store, 3), charged(&[&r2]));

        // A record damaged on disk is uncharged all the same when collected.
        store
            .envelopes
            .insert(r2.id().as_bytes(), &b"not an envelope"[..])
            .expect("overwrite");
        assert_eq!(store.gc(NOW + DAY).expect("gc"), 4, "a, retract, r2, tl");
        assert_eq!(usage_of(&store, 2), Usage::default());
        assert_eq!(usage_of(&store, 3), Usage::default());
        assert!(
            store.usage.is_empty(),
            "no entry for authors with nothing stored"
        );
    }

    #[test]
    fn quota_is_checked_with_the_insert() {
        let store = SledStore::temporary().expect("store");
        let r: Vec<Envelope> = (0..3)
            .map(|i| sign(3, report(), NOW + i, NOW + DAY))
            .collect();
        let size = r[0].bytes().len() as u64;
        let two = Quota {
            envelopes: 2,
            bytes: u64::MAX,
        };
        assert_eq!(
            store.insert_within(&r[0], Some(two)).expect("insert"),
            Inserted::Stored
        );
        assert_eq!(
            store.insert_within(&r[1], Some(two)).expect("insert"),
            Inserted::Stored
        );
        let full = charged(&[&r[0], &r[1]]);
        assert_eq!(
            store.insert_within(&r[2], Some(two)).expect("insert"),
            Inserted::OverQuota(full)
        );
        assert!(!store.contains(&r[2].id()).expect("contains"));
        assert_eq!(
            store.insert_within(&r[1], Some(two)).expect("insert"),
            Inserted::Duplicate,
            "a duplicate is a duplicate, not over quota"
        );
        let bytes = Quota {
            envelopes: 100,
            bytes: 2 * size + size / 2,
        };
        assert!(matches!(
            store.insert_within(&r[2], Some(bytes)).expect("insert"),
            Inserted::OverQuota(_)
        ));
        // Trust lists are never refused for quota; no quota means none.
        let tl = sign(3, trust_list(1), NOW, NOW + DAY);
        let none = Quota {
            envelopes: 0,
            bytes: 0,
        };
        assert_eq!(
            store.insert_within(&tl, Some(none)).expect("insert"),
            Inserted::Stored
        );
        assert_eq!(
            store.insert_within(&r[2], None).expect("insert"),
            Inserted::Stored
        );
        assert_eq!(usage_of(&store, 3), charged(&[&r[0], &r[1], &r[2]]));
    }

    #[test]
    fn concurrent_inserts_do_not_overshoot_a_quota() {
        let store = std::sync::Arc::new(SledStore::temporary().expect("store"));
        let quota = Quota {
            envelopes: 60,
            bytes: u64::MAX,
        };
        let stored: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..4u64)
                .map(|t| {
                    let store = store.clone();
                    scope.spawn(move || {
                        (0..50)
                            .map(|i| sign(3, report(), NOW + t * 100 + i, NOW + DAY))
                            .filter(|e| {
                                store.insert_within(e, Some(quota)).expect("insert")
                                    == Inserted::Stored
                            })
                            .count()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().expect("worker")).sum()
        });
        assert_eq!(stored, 60);
        assert_eq!(usage_of(&store, 3).envelopes, 60);
        assert_eq!(store.len(), 60);
    }

    #[test]
    fn usage_is_built_for_a_store_from_before_quotas() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        let r = sign(3, report(), NOW, NOW + HOUR);
        let tl = sign(5, trust_list(1), NOW, NOW + DAY);
        {
            let store = open(&dir);
            insert_all(&store, &[&a, &r, &tl]);
            // What a store written before quotas looks like: no usage, no charges.
            store.usage.clear().expect("clear");
            for key in store.by_expiry.iter().keys() {
                let key = key.expect("key");
                store.by_expiry.insert(key, &[][..]).expect("rewrite");
            }
            store.db.remove(USAGE_MARKER).expect("unmark");
            store.flush().expect("flush");
        }
        let store = open(&dir);
        assert_eq!(usage_of(&store, 2), charged(&[&a]));
        assert_eq!(usage_of(&store, 3), charged(&[&r]));
        assert_eq!(usage_of(&store, 5), Usage::default());
        assert_eq!(store.gc(NOW + DAY).expect("gc"), 3);
        assert!(store.usage.is_empty());
    }

    #[test]
    fn ids_with_prefix_finds_by_the_first_hex_characters() {
        let store = SledStore::temporary().expect("store");
        let envs: Vec<Envelope> = (0..40)
            .map(|i| sign(3, report(), NOW + i, NOW + DAY))
            .collect();
        for e in &envs {
            store.insert(e).expect("insert");
        }
        for e in &envs {
            let hex = e.id().to_hex();
            for len in [1, 5, 6, 12, 64] {
                let p = &hex[..len];
                let mut want: Vec<Id> = envs
                    .iter()
                    .map(|x| x.id())
                    .filter(|id| id.to_hex().starts_with(p))
                    .collect();
                want.sort();
                assert_eq!(store.ids_with_prefix(p, 100).expect("ids"), want, "{p}");
            }
        }
        assert_eq!(store.ids_with_prefix("", 3).expect("ids").len(), 3);
        assert!(store.ids_with_prefix("xyz", 3).expect("ids").is_empty());
        assert!(
            store
                .ids_with_prefix(&"0".repeat(65), 3)
                .expect("ids")
                .is_empty()
        );
    }

    #[test]
    fn by_kind_before_pages_newest_first() {
        let store = SledStore::temporary().expect("store");
        // Two share a second: the id orders them.
        let r: Vec<Envelope> = (0..5)
            .map(|i| sign(3 + i as u8, report(), NOW + i / 2, NOW + DAY))
            .collect();
        let a = sign(2, Body::Alert(alert("raid")), NOW + 10, NOW + DAY);
        insert_all(&store, &[&r[0], &r[1], &r[2], &r[3], &r[4], &a]);
        let mut newest: Vec<&Envelope> = r.iter().collect();
        newest.sort_by_key(|e| std::cmp::Reverse((e.created_at(), e.id())));
        let page = |before: Option<&Envelope>, n| {
            store
                .by_kind_before(Kind::Report, before.map(|e| (e.created_at(), e.id())), n)
                .expect("page")
        };
        let first = page(None, 2);
        assert_eq!(first, vec![newest[0].clone(), newest[1].clone()]);
        let second = page(first.last(), 2);
        assert_eq!(second, vec![newest[2].clone(), newest[3].clone()]);
        let third = page(second.last(), 2);
        assert_eq!(third, vec![newest[4].clone()]);
        assert!(page(third.last(), 2).is_empty());
        assert!(page(None, 0).is_empty());
    }

    #[test]
    fn counts_by_kind() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("one")), NOW, NOW + DAY);
        let b = sign(2, Body::Alert(alert("two")), NOW, NOW + DAY);
        let r = sign(3, report(), NOW, NOW + DAY);
        let t = sign(2, retraction(a.id()), NOW, NOW + DAY);
        insert_all(&store, &[&a, &b, &r, &t]);

        let counts = store.counts().expect("counts");
        assert_eq!(counts.total, 4);
        assert_eq!(counts.by_kind.get("alert"), Some(&2));
        assert_eq!(counts.by_kind.get("report"), Some(&1));
        assert_eq!(counts.by_kind.get("retraction"), Some(&1));
        assert_eq!(counts.by_kind.get("resource"), Some(&0));
        assert_eq!(counts.by_kind.len(), Kind::ALL.len());

        assert_eq!(
            store.by_kind(Kind::Alert).expect("by kind"),
            if (a.created_at(), a.id()) < (b.created_at(), b.id()) {
                vec![a.clone(), b.clone()]
            } else {
                vec![b.clone(), a.clone()]
            }
        );
        assert_eq!(store.by_kind(Kind::Report).expect("by kind"), vec![r]);
    }

    #[test]
    fn refs_index_covers_every_kind_of_reference() {
        let store = SledStore::temporary().expect("store");
        let a = sign(2, Body::Alert(alert("raid")), NOW, NOW + DAY);
        let r = sign(3, report(), NOW, NOW + DAY);
        let endorse = sign(
            4,
            Body::Endorsement(Endorsement { alert: a.id() }),
            NOW,
            NOW + DAY,
        );
        let update = sign(2, follow_up(MsgType::Update, a.id()), NOW + 1, NOW + DAY);
        let cancel = sign(2, follow_up(MsgType::Cancel, a.id()), NOW + 2, NOW + DAY);
        let mut confirming = alert("confirmed raid");
        confirming.confirms = vec![r.id()];
        let confirm = sign(2, Body::Alert(confirming), NOW, NOW + DAY);
        let dismiss = sign(2, retraction(r.id()), NOW, NOW + DAY);
        insert_all(
            &store,
            &[&a, &r, &endorse, &update, &cancel, &confirm, &dismiss],
        );

        assert_eq!(
            store.referencing(&a.id()).expect("refs"),
            ids(&[&endorse, &update, &cancel])
        );
        assert_eq!(
            store.referencing(&r.id()).expect("refs"),
            ids(&[&confirm, &dismiss])
        );
        assert!(store.referencing(&update.id()).expect("refs").is_empty());
    }

    #[test]
    fn latest_trust_list_is_the_highest_version_of_that_author() {
        let store = SledStore::temporary().expect("store");
        let v1 = sign(2, trust_list(1), NOW, NOW + DAY);
        let v3 = sign(2, trust_list(3), NOW - HOUR, NOW + DAY);
        let v2 = sign(2, trust_list(2), NOW + HOUR, NOW + DAY);
        let other = sign(3, trust_list(9), NOW, NOW + DAY);
        insert_all(&store, &[&v1, &v3, &v2, &other]);

        let latest = store.latest_trust_list(&key(2).public()).expect("latest");
        assert_eq!(latest, Some(v3));
        let latest = store.latest_trust_list(&key(3).public()).expect("latest");
        assert_eq!(latest, Some(other));
        assert_eq!(
            store.latest_trust_list(&key(4).public()).expect("latest"),
            None
        );
    }

    #[test]
    fn latest_resource_is_the_newest_version_of_that_key() {
        let store = SledStore::temporary().expect("store");
        let old = sign(2, resource("clinic", "Clinic"), NOW - DAY, NOW + DAY);
        let new = sign(2, resource("clinic", "Clinic (new hours)"), NOW, NOW + DAY);
        // Its index entries start with the bytes of "clinic" ‖ 0 too.
        let lookalike = sign(2, resource("clinic\0b", "Other"), NOW + HOUR, NOW + DAY);
        let other_author = sign(3, resource("clinic", "Theirs"), NOW + HOUR, NOW + DAY);
        insert_all(&store, &[&new, &old, &lookalike, &other_author]);

        let author = key(2).public();
        assert_eq!(
            store.latest_resource(&author, "clinic").expect("latest"),
            Some(new)
        );
        assert_eq!(
            store.latest_resource(&author, "clinic\0b").expect("latest"),
            Some(lookalike)
        );
        assert_eq!(
            store.latest_resource(&author, "shelter").expect("latest"),
            None
        );
    }
}
