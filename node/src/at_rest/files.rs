//! Private files of a home, sealed under its data key: the node key, the trust-list
//! draft, Web Push's key and subscriptions, the LAN certificates and their keys.
//!
//! ```text
//! "aviso-sealed-file/1\n" ‖ nonce ‖ XChaCha20-Poly1305(content) ‖ tag
//!                            aad = the same tag ‖ the file's path inside the home
//! ```
//!
//! so a file moved to another name does not open. Written whole (temporary file, 0600,
//! synced, renamed into place). A process that unlocked a home ([`super::unlock`],
//! [`super::create`]) keeps its key for these files until it ends or wipes the home;
//! [`read_private`] and [`write_private`] find it by the home's path.
//!
//! A home that has no data key yet (before the node's first start; `aviso init` makes
//! the node key then) is written in clear; whatever is found in clear once the home is
//! unlocked is sealed at once (the file replaced), so an older home is converted by its
//! first start. A sealed file in a home this process has not unlocked is
//! [`AtRestError::Locked`], with what to do.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use zeroize::Zeroizing;

use super::{AtRestError, Seal, is_encrypted, read_small_bounded};
use crate::home::write_atomic;

/// First bytes of a sealed file (and the start of its associated data).
const MAGIC: &[u8] = b"aviso-sealed-file/1\n";

/// Homes unlocked in this process, with the cipher of their data key.
static UNLOCKED: Mutex<Vec<(PathBuf, Seal)>> = Mutex::new(Vec::new());

fn unlocked() -> std::sync::MutexGuard<'static, Vec<(PathBuf, Seal)>> {
    // Every change is one push or retain: a panic elsewhere leaves it consistent.
    UNLOCKED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Keep `seal` for the private files of `home` (by its path as given and as resolved).
pub(super) fn remember(home: &Path, seal: Seal) {
    let mut u = unlocked();
    let mut names = vec![home.to_path_buf()];
    if let Ok(c) = home.canonicalize()
        && c != home
    {
        names.push(c);
    }
    u.retain(|(h, _)| !names.contains(h));
    for n in names {
        u.push((n, seal.clone()));
    }
}

/// Drop the key of `home` (after a wipe).
pub(super) fn forget(home: &Path) {
    let canon = home.canonicalize().ok();
    unlocked().retain(|(h, _)| h != home && Some(h) != canon.as_ref());
}

fn seal_of(home: &Path) -> Option<Seal> {
    let u = unlocked();
    let found = u.iter().find(|(h, _)| h == home).map(|(_, s)| s.clone());
    drop(u);
    found.or_else(|| {
        let c = home.canonicalize().ok()?;
        unlocked()
            .iter()
            .find(|(h, _)| *h == c)
            .map(|(_, s)| s.clone())
    })
}

/// Whether this process holds the data key of `home`.
pub fn is_unlocked(home: &Path) -> bool {
    seal_of(home).is_some()
}

fn aad(home: &Path, path: &Path) -> Vec<u8> {
    let rel = path.strip_prefix(home).unwrap_or(path);
    [MAGIC, rel.to_string_lossy().as_bytes()].concat()
}

fn locked(path: &Path) -> AtRestError {
    AtRestError::Locked {
        path: path.to_path_buf(),
    }
}

/// Write the private file `path` of `home` whole: sealed under the data key when this
/// process unlocked the home; in clear when the home has no data key yet; refused
/// ([`AtRestError::Locked`]) when it has one this process does not hold.
pub fn write_private(home: &Path, path: &Path, bytes: &[u8]) -> Result<(), AtRestError> {
    match seal_of(home) {
        Some(seal) => {
            let sealed = seal.encrypt(&aad(home, path), bytes)?;
            write_atomic(path, &[MAGIC, &sealed].concat())?;
        }
        None if is_encrypted(home) => return Err(locked(path)),
        None => write_atomic(path, bytes)?,
    }
    Ok(())
}

/// The content of the private file `path` of `home` (at most `max` bytes read), `None`
/// when there is none. A file in clear is sealed in place when the home is unlocked.
pub fn read_private(
    home: &Path,
    path: &Path,
    max: u64,
) -> Result<Option<Zeroizing<Vec<u8>>>, AtRestError> {
    let Some(bytes) = read_small_bounded(path, max)? else {
        return Ok(None);
    };
    let bytes = Zeroizing::new(bytes);
    let Some(sealed) = bytes.strip_prefix(MAGIC) else {
        if seal_of(home).is_some() {
            write_private(home, path, &bytes)?;
        }
        return Ok(Some(bytes));
    };
    let seal = seal_of(home).ok_or_else(|| locked(path))?;
    seal.decrypt(&aad(home, path), sealed)
        .map(Some)
        .ok_or_else(|| AtRestError::Damaged {
            path: path.to_path_buf(),
            why: "it fails authentication".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_when_unlocked_converted_when_found_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path();
        let f = home.join("draft");
        // No data key yet: in clear.
        write_private(home, &f, b"Zuleika").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"Zuleika");
        let pass = super::super::Secret::Passphrase(Zeroizing::new(b"p".to_vec()));
        super::super::create(home, std::slice::from_ref(&pass)).unwrap();
        // Read once unlocked: sealed in place, same content.
        assert_eq!(
            read_private(home, &f, 1024).unwrap().unwrap().as_slice(),
            b"Zuleika"
        );
        let on_disk = std::fs::read(&f).unwrap();
        assert!(on_disk.starts_with(MAGIC));
        assert!(!on_disk.windows(7).any(|w| w == b"Zuleika"));
        // Bound to its name.
        let g = home.join("other");
        std::fs::copy(&f, &g).unwrap();
        assert!(matches!(
            read_private(home, &g, 1024),
            Err(AtRestError::Damaged { .. })
        ));
        // Another process (forgotten key): locked, and no clear write either.
        forget(home);
        assert!(matches!(
            read_private(home, &f, 1024),
            Err(AtRestError::Locked { .. })
        ));
        assert!(matches!(
            write_private(home, &f, b"x"),
            Err(AtRestError::Locked { .. })
        ));
        super::super::unlock(home, &[pass]).unwrap();
        assert_eq!(
            read_private(home, &f, 1024).unwrap().unwrap().as_slice(),
            b"Zuleika"
        );
        assert!(
            read_private(home, &home.join("none"), 1024)
                .unwrap()
                .is_none()
        );
    }
}
