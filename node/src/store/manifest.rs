//! The sealed manifest of an encrypted store: which envelopes it should hold, kept
//! outside sled so that sled's own silent losses show.
//!
//! Why: when sled meets damage in the middle of its log (bit rot, a bad sector) its
//! checksums make it roll back to the last intact write and open without a word. Every
//! record written after the damage is gone, and the store looks consistent, so the
//! per-record authentication of [`super::SealedStore`] has nothing to catch. A list kept
//! in sled would roll back with it; this one is a file of its own.
//!
//! The file `manifest` (in the store's directory) is a sequence of frames:
//!
//! ```text
//! len: u32 BE ‖ nonce ‖ XChaCha20-Poly1305(entries) ‖ tag     aad = tag ‖ frame index u64 BE
//! entry = op (1 add, 0 remove) ‖ envelope id (32) ‖ expires_at u64 BE
//! ```
//!
//! Appended after each successful flush (the ids made durable) and each garbage
//! collection (the ids removed); rewritten in one piece (atomic replace) when the store
//! opens and when it grows past twice what it describes. On open, what the manifest
//! lists, is not expired, and is not in sled is **missing**: counted with the damaged
//! records, logged (the count, never an id), and left out of the sync set, so the next
//! reconciliation with a peer fetches it again. Missing ids stay listed until they come
//! back or expire, so a restart before the catch-up still knows them.
//!
//! Appends are not synced on their own (that would double the flush cost of ingest): a
//! process kill keeps them (the page cache does), a power cut can lose the last ones,
//! and then damage to exactly those records goes unnoticed, as it did before. A torn or
//! damaged frame ends the reading there; it is logged and the file rewritten.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use aviso_protocol::Id;

use crate::at_rest::Seal;

/// Name of the manifest file in the store's directory (sled ignores files it does not
/// name itself).
pub(super) const MANIFEST_FILE: &str = "manifest";
/// Associated-data tag of a frame, before its index.
const AAD_TAG: &[u8] = b"aviso/v1/sealed/manifest";
/// Bytes of one entry: op, id, expiry.
const ENTRY_BYTES: usize = 1 + 32 + 8;
/// Most entries in one frame: bounds what one frame makes the reader allocate (about
/// 168 KiB) while keeping the per-frame overhead (44 bytes) small.
const MAX_FRAME_ENTRIES: usize = 4096;
/// Largest frame length accepted: a full frame plus nonce and tag.
const MAX_FRAME_BYTES: usize = MAX_FRAME_ENTRIES * ENTRY_BYTES + 24 + 16;
/// Bytes of a file describing nothing beyond which it is rewritten anyway: appends of a
/// day of small flushes on a quiet node, so a rewrite is rare.
const COMPACT_SLACK: u64 = 1024 * 1024;

/// What one entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    /// The envelope is stored (durably).
    Add = 1,
    /// The envelope was removed on purpose (garbage collection).
    Remove = 0,
}

/// What a manifest file says the store should hold.
#[derive(Debug, Default)]
pub(super) struct Expected {
    /// Id -> expires_at.
    pub ids: HashMap<Id, u64>,
    /// Whether reading stopped at a frame that is torn or fails authentication.
    pub damaged_tail: bool,
}

struct Writer {
    file: File,
    next: u64,
    bytes: u64,
}

/// An open manifest, appended to as the store changes.
pub(super) struct Manifest {
    path: PathBuf,
    seal: Seal,
    writer: Mutex<Option<Writer>>,
}

impl std::fmt::Debug for Manifest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manifest")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn aad(index: u64) -> Vec<u8> {
    [AAD_TAG, &index.to_be_bytes()[..]].concat()
}

/// Read the manifest at `path` (none: nothing expected).
pub(super) fn read(path: &Path, seal: &Seal) -> Expected {
    let mut out = Expected::default();
    let Ok(f) = File::open(path) else {
        return out;
    };
    let mut r = BufReader::new(f);
    for index in 0u64.. {
        let mut len = [0u8; 4];
        match r.read_exact(&mut len) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(_) => {
                out.damaged_tail = true;
                break;
            }
        }
        let len = u32::from_be_bytes(len) as usize;
        if len > MAX_FRAME_BYTES {
            out.damaged_tail = true;
            break;
        }
        let mut frame = vec![0u8; len];
        let plain = r
            .read_exact(&mut frame)
            .ok()
            .and_then(|()| seal.decrypt(&aad(index), &frame));
        let Some(plain) = plain else {
            out.damaged_tail = true;
            break;
        };
        for e in plain.chunks(ENTRY_BYTES) {
            let Some((op, id, exp)) = parse_entry(e) else {
                continue;
            };
            if op == Op::Add as u8 {
                out.ids.insert(id, exp);
            } else {
                out.ids.remove(&id);
            }
        }
    }
    out
}

fn parse_entry(e: &[u8]) -> Option<(u8, Id, u64)> {
    let (&op, rest) = e.split_first()?;
    let (id, exp) = rest.split_at_checked(32)?;
    Some((
        op,
        Id(id.try_into().ok()?),
        u64::from_be_bytes(exp.try_into().ok()?),
    ))
}

fn frames(
    seal: &Seal,
    first: u64,
    op: Op,
    entries: &[(Id, u64)],
) -> Result<(Vec<u8>, u64), crate::at_rest::AtRestError> {
    let mut out = Vec::new();
    let mut index = first;
    for chunk in entries.chunks(MAX_FRAME_ENTRIES) {
        let mut plain = zeroize::Zeroizing::new(Vec::with_capacity(chunk.len() * ENTRY_BYTES));
        for (id, exp) in chunk {
            plain.push(op as u8);
            plain.extend_from_slice(id.as_bytes());
            plain.extend_from_slice(&exp.to_be_bytes());
        }
        let sealed = seal.encrypt(&aad(index), &plain)?;
        out.extend_from_slice(&(sealed.len() as u32).to_be_bytes());
        out.extend_from_slice(&sealed);
        index += 1;
    }
    Ok((out, index))
}

impl Manifest {
    /// Replace the manifest at `path` with one listing `entries` (atomic), and open it
    /// for appending.
    pub(super) fn rewrite(
        path: &Path,
        seal: &Seal,
        entries: &[(Id, u64)],
    ) -> Result<Manifest, std::io::Error> {
        let m = Manifest {
            path: path.to_path_buf(),
            seal: seal.clone(),
            writer: Mutex::new(None),
        };
        m.replace(entries)?;
        Ok(m)
    }

    fn replace(&self, entries: &[(Id, u64)]) -> Result<(), std::io::Error> {
        let (bytes, next) =
            frames(&self.seal, 0, Op::Add, entries).map_err(std::io::Error::other)?;
        crate::home::write_atomic(&self.path, &bytes).map_err(std::io::Error::other)?;
        let file = OpenOptions::new().append(true).open(&self.path)?;
        *self.lock() = Some(Writer {
            file,
            next,
            bytes: bytes.len() as u64,
        });
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Writer>> {
        // Nothing panics while holding the lock; recover rather than cascade.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Append `entries` under `op`. Best effort: a failure is logged, and only costs
    /// the detection of damage to these records.
    pub(super) fn record(&self, op: Op, entries: &[(Id, u64)]) {
        if entries.is_empty() {
            return;
        }
        let mut w = self.lock();
        let Some(w) = w.as_mut() else { return };
        let written = frames(&self.seal, w.next, op, entries)
            .map_err(std::io::Error::other)
            .and_then(|(bytes, next)| {
                w.file.write_all(&bytes)?;
                w.next = next;
                w.bytes += bytes.len() as u64;
                Ok(())
            });
        if let Err(e) = written {
            tracing::warn!(error = %e, "cannot append to the store's manifest; damage to the newest records may go unnoticed");
        }
    }

    /// Rewrite the manifest from what `live` lists (`count` entries) when it has grown
    /// well past that.
    pub(super) fn compact_if_large(&self, count: usize, live: impl FnOnce() -> Vec<(Id, u64)>) {
        let size = self.lock().as_ref().map_or(0, |w| w.bytes);
        let needed = (count * ENTRY_BYTES) as u64;
        if size > 2 * needed + COMPACT_SLACK
            && let Err(e) = self.replace(&live())
        {
            tracing::warn!(error = %e, "cannot rewrite the store's manifest");
        }
    }
}

/// Open the manifest of the store in `dir` against what sled holds (`present`: id and
/// expiry of every record that opened; `is_present` the same as a lookup): count what it
/// lists, is not expired at `now` and is not there (logged, the count only), then
/// rewrite it as `present` plus those missing ids.
pub(super) fn reconcile(
    dir: &Path,
    seal: &Seal,
    present: Vec<(Id, u64)>,
    is_present: impl Fn(&Id) -> bool,
    now: u64,
) -> Result<(Manifest, u64), std::io::Error> {
    let path = dir.join(MANIFEST_FILE);
    let expected = read(&path, seal);
    if expected.damaged_tail {
        tracing::warn!("the end of the store's manifest is damaged; it is written again");
    }
    let missing: Vec<(Id, u64)> = expected
        .ids
        .into_iter()
        .filter(|(id, exp)| *exp > now && !is_present(id))
        .collect();
    if !missing.is_empty() {
        tracing::warn!(
            missing = missing.len(),
            "stored records are missing (the store file is damaged); they will be fetched again from peers"
        );
    }
    let mut entries = present;
    entries.extend_from_slice(&missing);
    let m = Manifest::rewrite(&path, seal, &entries)?;
    Ok((m, missing.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_and_removals_replay_and_damage_ends_the_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(MANIFEST_FILE);
        let seal = Seal::new(&[3; 32]);
        let m = Manifest::rewrite(&path, &seal, &[(Id([1; 32]), 10)]).unwrap();
        m.record(Op::Add, &[(Id([2; 32]), 20), (Id([3; 32]), 30)]);
        m.record(Op::Remove, &[(Id([1; 32]), 10)]);
        let e = read(&path, &seal);
        assert!(!e.damaged_tail);
        let mut ids: Vec<_> = e.ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, vec![(Id([2; 32]), 20), (Id([3; 32]), 30)]);
        // Nothing in it names an id.
        let bytes = std::fs::read(&path).unwrap();
        assert!(!bytes.windows(32).any(|w| w == [2; 32]));
        // Another key reads nothing; a flipped byte stops the reading there.
        assert!(read(&path, &Seal::new(&[4; 32])).damaged_tail);
        let mut bad = bytes.clone();
        let last = bad.len() - 3;
        bad[last] ^= 1;
        std::fs::write(&path, &bad).unwrap();
        let e = read(&path, &seal);
        assert!(e.damaged_tail);
        assert_eq!(e.ids.len(), 3, "the frames before the damage still count");
    }
}
