//! What Web Push keeps in the node's home, in one place: this node's VAPID key and the
//! devices' push subscriptions, under `HOME/push/` (files 0600, written whole and
//! renamed into place, sealed under the home's data key by [`read_file`] and
//! [`write_file`]).
//!
//! A subscription is as much as the node must know to reach a device: the push
//! service's address for it, its public key and auth secret, and the language its page
//! was in. Nothing about the member.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::push::{PushError, Subscription, SubscriptionJson, Vapid};

/// Most devices subscribed at once: the phones and laptops of one household, with room
/// for old ones not yet removed. Every alert costs one request per device.
pub const MAX_SUBSCRIPTIONS: usize = 32;

/// Largest subscriptions file read: [`MAX_SUBSCRIPTIONS`] of at most about 2.3 KiB each
/// (a 2 KiB endpoint, keys, language), with room to spare. A bigger file is not ours.
const MAX_FILE_BYTES: u64 = 256 * 1024;

const DIR: &str = "push";
const VAPID_FILE: &str = "vapid.key";
const SUBSCRIPTIONS_FILE: &str = "subscriptions.json";

/// Why Web Push state could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file holds something else than we wrote.
    #[error("{0}: not a Web Push file of this node")]
    Corrupt(PathBuf),
    /// The key could not be made.
    #[error(transparent)]
    Key(#[from] PushError),
    /// [`MAX_SUBSCRIPTIONS`] devices are subscribed already.
    #[error("at most {MAX_SUBSCRIPTIONS} devices can receive notifications")]
    Full,
}

/// One device's subscription, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored {
    /// What the browser gave.
    pub subscription: SubscriptionJson,
    /// The page language when it subscribed: notifications are written in it.
    pub lang: String,
    /// When it subscribed, unix seconds.
    pub added_at: u64,
}

/// The subscriptions of this node's devices.
#[derive(Debug)]
pub struct PushStore {
    dir: PathBuf,
    subscriptions: Mutex<Vec<Stored>>,
}

impl PushStore {
    /// Open the push state of `home`, making the VAPID key on first use.
    pub fn open(home: &Path) -> Result<(PushStore, Vapid), StoreError> {
        let dir = home.join(DIR);
        std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
            path: dir.clone(),
            source,
        })?;
        let key_path = dir.join(VAPID_FILE);
        let vapid = match read_file(&key_path)? {
            Some(bytes) => {
                let bytes: [u8; 32] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt(key_path.clone()))?;
                Vapid::from_bytes(&bytes).ok_or(StoreError::Corrupt(key_path.clone()))?
            }
            None => {
                let v = Vapid::generate()?;
                write_file(&key_path, zeroize::Zeroizing::new(v.to_bytes()).as_slice())?;
                v
            }
        };
        let subs_path = dir.join(SUBSCRIPTIONS_FILE);
        let subscriptions = match read_file(&subs_path)? {
            Some(bytes) => {
                let mut v: Vec<Stored> = serde_json::from_slice(&bytes)
                    .map_err(|_| StoreError::Corrupt(subs_path.clone()))?;
                v.truncate(MAX_SUBSCRIPTIONS);
                v
            }
            None => Vec::new(),
        };
        Ok((
            PushStore {
                dir,
                subscriptions: Mutex::new(subscriptions),
            },
            vapid,
        ))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Stored>> {
        // Every change is one assignment: a panic elsewhere leaves the list consistent.
        self.subscriptions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every subscription.
    pub fn list(&self) -> Vec<Stored> {
        self.lock().clone()
    }

    /// Add (or renew: same endpoint) a checked subscription.
    pub fn add(
        &self,
        sub: &Subscription,
        json: SubscriptionJson,
        lang: &str,
        now: u64,
    ) -> Result<(), StoreError> {
        let mut subs = self.lock();
        let mut next: Vec<Stored> = subs
            .iter()
            .filter(|s| s.subscription.endpoint != sub.endpoint)
            .cloned()
            .collect();
        if next.len() >= MAX_SUBSCRIPTIONS {
            return Err(StoreError::Full);
        }
        next.push(Stored {
            subscription: json,
            lang: lang.to_owned(),
            added_at: now,
        });
        self.save(&next)?;
        *subs = next;
        Ok(())
    }

    /// Remove the subscription of `endpoint`; whether there was one.
    pub fn remove(&self, endpoint: &str) -> Result<bool, StoreError> {
        let mut subs = self.lock();
        let next: Vec<Stored> = subs
            .iter()
            .filter(|s| s.subscription.endpoint != endpoint)
            .cloned()
            .collect();
        if next.len() == subs.len() {
            return Ok(false);
        }
        self.save(&next)?;
        *subs = next;
        Ok(true)
    }

    fn save(&self, subs: &[Stored]) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(subs).map_err(|e| StoreError::Io {
            path: self.dir.join(SUBSCRIPTIONS_FILE),
            source: e.into(),
        })?;
        write_file(&self.dir.join(SUBSCRIPTIONS_FILE), &bytes)
    }
}

/// The bytes of `path` (in `HOME/push/`), `None` if it does not exist: sealed under the
/// home's data key (see [`aviso_node::at_rest::read_private`]).
fn read_file(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match aviso_node::at_rest::read_private(home_of(path), path, MAX_FILE_BYTES + 1) {
        Ok(Some(b)) if b.len() as u64 > MAX_FILE_BYTES => Err(StoreError::Corrupt(path.to_owned())),
        Ok(b) => Ok(b.map(|b| b.to_vec())),
        Err(e) => Err(sealed(path, e)),
    }
}

/// Write `bytes` to `path` whole (a temporary file, 0600, synced, renamed into place, so
/// a crash leaves the old file or the new one), sealed under the home's data key.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    aviso_node::at_rest::write_private(home_of(path), path, bytes).map_err(|e| sealed(path, e))
}

/// The home of a file in `HOME/push/`.
fn home_of(path: &Path) -> &Path {
    path.parent()
        .and_then(Path::parent)
        .unwrap_or_else(|| Path::new("."))
}

fn sealed(path: &Path, e: aviso_node::at_rest::AtRestError) -> StoreError {
    StoreError::Io {
        path: path.to_owned(),
        source: std::io::Error::other(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::push::BrowserKeys;

    #[test]
    fn key_and_subscriptions_survive_a_restart() {
        let home = tempfile::tempdir().unwrap();
        let (store, vapid) = PushStore::open(home.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(home.path().join("push/vapid.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let json = BrowserKeys::generate()
            .unwrap()
            .subscription("https://push.example/a");
        let sub = Subscription::parse(&json, false).unwrap();
        store.add(&sub, json.clone(), "es", 1).unwrap();
        store.add(&sub, json.clone(), "fr", 2).unwrap();
        assert_eq!(store.list().len(), 1, "the same endpoint renews");
        let (again, vapid2) = PushStore::open(home.path()).unwrap();
        assert_eq!(vapid2.public_key(), vapid.public_key());
        assert_eq!(again.list()[0].lang, "fr");
        assert!(again.remove("https://push.example/a").unwrap());
        assert!(!again.remove("https://push.example/a").unwrap());
        assert!(PushStore::open(home.path()).unwrap().0.list().is_empty());
    }

    #[test]
    fn the_count_is_bounded() {
        let home = tempfile::tempdir().unwrap();
        let (store, _) = PushStore::open(home.path()).unwrap();
        let keys = BrowserKeys::generate().unwrap();
        for i in 0..=MAX_SUBSCRIPTIONS {
            let json = keys.subscription(&format!("https://push.example/{i}"));
            let sub = Subscription::parse(&json, false).unwrap();
            let r = store.add(&sub, json, "en", 0);
            if i < MAX_SUBSCRIPTIONS {
                r.unwrap();
            } else {
                assert!(matches!(r, Err(StoreError::Full)));
            }
        }
    }
}
