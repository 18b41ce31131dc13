//! What `aviso init` sets up on a home: the node's files (data directory, node key, API
//! token, a commented `config.toml`) and a new member signing key, sealed under the
//! passphrase, the old one kept aside. Asking for the passphrase is the client's part.

use std::path::{Path, PathBuf};

use aviso_protocol::SecretKey;
use zeroize::Zeroizing;

use crate::config::DEFAULT_CONFIG_TOML;
use crate::home::{Home, HomeError, HomePaths, write_atomic};
use crate::member_key::{self, KdfCost, KeyFile, MEMBER_KEY_FILE, MemberKeyError, SEED_BYTES};

/// Why the home could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InitError {
    /// A signing key exists and replacing it was not asked for.
    #[error(
        "{path} already exists; keep it, or run `aviso init --force` to make a new signing key",
        path = .0.display()
    )]
    KeyExists(PathBuf),
    /// The home's files cannot be made.
    #[error(transparent)]
    Home(#[from] HomeError),
    /// The key file cannot be sealed or written.
    #[error(transparent)]
    Key(#[from] MemberKeyError),
    /// The system has no randomness to give.
    #[error("cannot get random bytes: {0}")]
    Random(String),
    /// The old key file cannot be moved aside.
    #[error("cannot move the old key aside to {path}", path = path.display())]
    Backup {
        /// Where it was to go.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// Whether the home `dir` has a signing key; an error when it has and `force` is false.
pub fn key_exists(dir: &Path, force: bool) -> Result<bool, InitError> {
    let path = member_key::key_path(dir);
    let exists = path.exists();
    if exists && !force {
        return Err(InitError::KeyExists(path));
    }
    Ok(exists)
}

/// Set up the node's files: data directory, node key, API token, and `config.toml` if
/// there is none. A node running on this home already has them; then they are not touched
/// and the answer is false.
pub fn node_files(dir: &Path) -> Result<bool, InitError> {
    let made = match Home::open(dir) {
        Ok(home) => {
            // An encrypted home has had its node key (sealed) since its first start.
            if !crate::at_rest::is_encrypted(dir) {
                home.node_keypair()?;
            }
            home.api_token()?;
            true
        }
        Err(HomeError::Locked { .. }) => false,
        Err(e) => return Err(e.into()),
    };
    let config = HomePaths::new(dir).config_path();
    if !config.exists() {
        write_atomic(&config, DEFAULT_CONFIG_TOML.as_bytes())?;
    }
    Ok(made)
}

/// A new signing key sealed under `passphrase` at `cost`, written as the home's key file;
/// an existing one is first moved aside, stamped with `now`. The key file, and where the
/// old one went.
pub fn new_key(
    dir: &Path,
    passphrase: &[u8],
    cost: KdfCost,
    now: u64,
) -> Result<(KeyFile, Option<PathBuf>), InitError> {
    let mut seed = Zeroizing::new([0u8; SEED_BYTES]);
    getrandom::fill(seed.as_mut()).map_err(|e| InitError::Random(e.to_string()))?;
    let secret = SecretKey::from_seed(&seed);
    let kf = member_key::seal_new(&secret, passphrase, cost)?;
    let path = member_key::key_path(dir);
    let mut backup = None;
    if path.exists() {
        let to = dir.join(format!("{MEMBER_KEY_FILE}.{now}.bak"));
        std::fs::rename(&path, &to).map_err(|source| InitError::Backup {
            path: to.clone(),
            source,
        })?;
        backup = Some(to);
    }
    member_key::write(dir, &kf)?;
    Ok((kf, backup))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::member_key::tests::FAST;

    #[test]
    fn a_new_key_keeps_the_old_one_aside() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(!key_exists(tmp.path(), false).unwrap());
        let (first, backup) = new_key(tmp.path(), b"passphrase", FAST, 7).unwrap();
        assert!(backup.is_none());
        assert!(matches!(
            key_exists(tmp.path(), false),
            Err(InitError::KeyExists(_))
        ));
        assert!(key_exists(tmp.path(), true).unwrap());
        let (second, backup) = new_key(tmp.path(), b"passphrase", FAST, 8).unwrap();
        assert_ne!(first.public(), second.public());
        assert_eq!(
            backup.unwrap(),
            tmp.path().join(format!("{MEMBER_KEY_FILE}.8.bak"))
        );
        assert_eq!(
            member_key::read(tmp.path()).unwrap().public(),
            second.public()
        );
    }
}
