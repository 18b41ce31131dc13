//! The data directory ("home"): one per node, selected with `--home DIR` or `AVISO_HOME`.
//!
//! ```text
//! DIR/                 mode 0700
//!   aviso.lock         exclusive lock held by the running node (with its pid)
//!   node.key           libp2p identity (protobuf encoding), mode 0600, sealed under the
//!                      data key once the home has one (at_rest::write_private)
//!   data.key           the data key, wrapped by a passphrase and/or key file (see at_rest)
//!   member.key         the member's signing key, encrypted under a passphrase
//!   sealed/<H>/        the encrypted store (see store::SealedStore) and its manifest
//!   inbox.key, .pub    the node's inbox key pair (the private half sealed)
//!   outbox/            envelopes signed while the node was down, sealed to the inbox
//!   api.addr           address the running node's API is bound to, for the CLI
//!   config.toml        configuration
//!   store/             an unencrypted store of an older version, moved into sealed/
//! RUNTIME/api.token    bearer token of the local API, in memory-backed storage
//! ```
//!
//! [`Home`] is the node's handle: it holds the lock for its whole life, so two nodes never
//! share one directory. [`HomePaths`] only names the files, for the CLI, which reads the
//! token and the API address of a running node without taking the lock.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use libp2p::identity::Keypair;

/// Name of the lock file.
const LOCK_FILE: &str = "aviso.lock";
/// Name of the node identity file.
const KEY_FILE: &str = "node.key";
/// Name of the API token file.
const TOKEN_FILE: &str = "api.token";
/// Name of the file holding the API address of the running node.
const API_ADDR_FILE: &str = "api.addr";
/// Name of the configuration file.
const CONFIG_FILE: &str = "config.toml";
/// Name of the member's private settings (the community, followed lists, areas,
/// languages), sealed under the data key.
const SETTINGS_FILE: &str = "private-settings.toml";
/// Name of the store directory.
const STORE_DIR: &str = "store";
/// Name of the directory of envelopes signed while the node was down.
const OUTBOX_DIR: &str = "outbox";
/// Bytes of the home path's hash in its runtime directory's name: 64 bits tell apart the
/// few homes of one user.
const RUNTIME_NAME_BYTES: usize = 8;
/// Bytes of randomness in an API token: 256 bits, beyond guessing.
const TOKEN_BYTES: usize = 32;
/// Largest small file (key, token, address) read from the home. A protobuf ed25519
/// keypair is 68 bytes; the bound keeps a wrong file from being read whole.
const MAX_SMALL_FILE: u64 = 4096;

/// Why the data directory could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HomeError {
    /// Another process holds the lock.
    #[error(
        "another aviso node is already running with home {dir}{pid}; stop it, or run this one \
         with another data directory: --home DIR or AVISO_HOME=DIR",
        dir = dir.display(),
        pid = pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// The pid written by the holder, if readable.
        pid: Option<u32>,
    },
    /// A file system operation failed.
    #[error("cannot {what} {path}: {source}", path = path.display())]
    Io {
        /// What was being done ("create", "read", "write", ...).
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The node key file exists but does not hold a key.
    #[error(
        "the node key {path} is unreadable ({why}); it was left as it is. Restore it from a \
         backup, or move it away to start with a new node identity (a new peer id)",
        path = path.display()
    )]
    CorruptKey {
        /// The key file.
        path: PathBuf,
        /// Why it does not decode.
        why: String,
    },
    /// A key could not be encoded.
    #[error("cannot encode the node key: {0}")]
    KeyEncoding(String),
    /// The operating system's random source failed.
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(String),
    /// No node is running with this home (no API address file).
    #[error(
        "no aviso node is running with home {dir} (no {API_ADDR_FILE}); start one with \
         `aviso node`, or point --home / AVISO_HOME at the home of a running node",
        dir = dir.display()
    )]
    NotRunning {
        /// The data directory.
        dir: PathBuf,
    },
    /// No node key yet.
    #[error("no node key in {dir}: run `aviso init`", dir = dir.display())]
    NoNodeKey {
        /// The data directory.
        dir: PathBuf,
    },
    /// No API token yet.
    #[error(
        "no API token at {path}; run `aviso node` once with this home to create it",
        path = path.display()
    )]
    NoToken {
        /// The token file.
        path: PathBuf,
    },
    /// A small file holds something unexpected.
    #[error("{path} is damaged ({why}); delete it and restart the node", path = path.display())]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// A private file is sealed under the data key and could not be opened or written.
    #[error(transparent)]
    Sealed(Box<crate::at_rest::AtRestError>),
}

fn sealed(e: crate::at_rest::AtRestError) -> HomeError {
    HomeError::Sealed(Box::new(e))
}

/// The data directory chosen by the environment: `AVISO_HOME`, else `$XDG_DATA_HOME/aviso`,
/// else `~/.local/share/aviso` (`./.aviso` when there is no home directory at all).
pub fn default_home() -> PathBuf {
    default_home_with(|k| std::env::var_os(k).map(PathBuf::from))
}

/// [`default_home`] with an injectable environment lookup (for tests).
fn default_home_with(env: impl Fn(&str) -> Option<PathBuf>) -> PathBuf {
    let set = |k: &str| env(k).filter(|p| !p.as_os_str().is_empty());
    if let Some(home) = set("AVISO_HOME") {
        return home;
    }
    // The XDG spec says relative values are invalid and must be ignored.
    if let Some(data) = set("XDG_DATA_HOME").filter(|p| p.is_absolute()) {
        return data.join("aviso");
    }
    match set("HOME") {
        Some(home) => home.join(".local").join("share").join("aviso"),
        None => PathBuf::from(".aviso"),
    }
}

/// The files of a data directory, without locking it: what the CLI needs to talk to a
/// running node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomePaths {
    dir: PathBuf,
}

impl HomePaths {
    /// Name the files of `dir`; touches nothing on disk.
    pub fn new(dir: impl Into<PathBuf>) -> HomePaths {
        HomePaths { dir: dir.into() }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `DIR/store`: the sled database.
    pub fn store_dir(&self) -> PathBuf {
        self.dir.join(STORE_DIR)
    }

    /// `DIR/config.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.dir.join(CONFIG_FILE)
    }

    /// `DIR/private-settings.toml`: the member's private settings, sealed (see
    /// [`crate::config`]).
    pub fn settings_path(&self) -> PathBuf {
        self.dir.join(SETTINGS_FILE)
    }

    /// `DIR/api.addr`: where the running node's API listens.
    pub fn api_addr_path(&self) -> PathBuf {
        self.dir.join(API_ADDR_FILE)
    }

    /// The API bearer token's file, in [`HomePaths::runtime_dir`].
    pub fn api_token_path(&self) -> PathBuf {
        self.runtime_dir().join(TOKEN_FILE)
    }

    /// Where secrets live that only the running node and the CLI need (the API token):
    /// never on persistent disk when the system offers memory-backed storage.
    /// `$XDG_RUNTIME_DIR/aviso/<H>` (a tmpfs per user on systemd systems), else
    /// `/dev/shm/aviso-<uid>/<H>`, else the home itself; `<H>` is a hash of the home's
    /// path, so several homes on one machine do not share a token.
    pub fn runtime_dir(&self) -> PathBuf {
        runtime_dir_with(&self.dir, |k| std::env::var_os(k).map(PathBuf::from))
    }

    /// `DIR/node.key`: the node's libp2p identity.
    pub fn node_key_path(&self) -> PathBuf {
        self.dir.join(KEY_FILE)
    }

    /// `DIR/aviso.lock`.
    pub fn lock_path(&self) -> PathBuf {
        self.dir.join(LOCK_FILE)
    }

    /// The API token of the node, written by the node at its first start.
    pub fn read_api_token(&self) -> Result<String, HomeError> {
        let path = self.api_token_path();
        match read_small(&path)? {
            None => Err(HomeError::NoToken { path }),
            Some(bytes) => parse_token(&bytes).ok_or_else(|| HomeError::BadFile {
                path,
                why: format!("expected {} hex characters", TOKEN_BYTES * 2),
            }),
        }
    }

    /// `DIR/outbox`: envelopes signed while the node was not running, sent when it starts.
    pub fn outbox_dir(&self) -> PathBuf {
        self.dir.join(OUTBOX_DIR)
    }

    /// Queue signed envelope bytes in the outbox, atomically; the node publishes them when
    /// it starts. Sealed to the node's inbox (`outbox/<time>-<random>.sealed`: neither the
    /// name nor the content tells what it is) once the node has one; before that, in clear
    /// (`outbox/<id>.env`). Needs no lock and no secret: a running node reads the outbox
    /// only at start-up. Returns the file written.
    pub fn queue_outbox(&self, id_hex: &str, bytes: &[u8]) -> Result<PathBuf, HomeError> {
        let dir = self.outbox_dir();
        fs::create_dir_all(&dir).map_err(|source| HomeError::Io {
            what: "create",
            path: dir.clone(),
            source,
        })?;
        let path = match crate::at_rest::seal_to_inbox(&self.dir, bytes).map_err(sealed)? {
            Some(sealed) => {
                let mut raw = [0u8; 8];
                getrandom::fill(&mut raw).map_err(|e| HomeError::Random(e.to_string()))?;
                let name = format!("{:016x}-{}.sealed", crate::unix_now_ms(), hex::encode(raw));
                let path = dir.join(name);
                write_atomic(&path, &sealed)?;
                path
            }
            None => {
                let path = dir.join(format!("{id_hex}.env"));
                write_atomic(&path, bytes)?;
                path
            }
        };
        Ok(path)
    }

    /// The node's peer id, read from `node.key` without taking the lock (a running node
    /// may hold it). [`HomeError::NoNodeKey`] when there is none yet.
    pub fn node_peer_id(&self) -> Result<libp2p::PeerId, HomeError> {
        let path = self.node_key_path();
        let Some(bytes) =
            crate::at_rest::read_private(&self.dir, &path, MAX_SMALL_FILE).map_err(sealed)?
        else {
            return Err(HomeError::NoNodeKey {
                dir: self.dir.clone(),
            });
        };
        let key = Keypair::from_protobuf_encoding(&bytes);
        key.map(|k| k.public().to_peer_id())
            .map_err(|e| HomeError::CorruptKey {
                path,
                why: e.to_string(),
            })
    }

    /// The address the running node's API listens on.
    pub fn read_api_addr(&self) -> Result<SocketAddr, HomeError> {
        let path = self.api_addr_path();
        let Some(bytes) = read_small(&path)? else {
            return Err(HomeError::NotRunning {
                dir: self.dir.clone(),
            });
        };
        std::str::from_utf8(&bytes)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| HomeError::BadFile {
                path,
                why: "expected an address like 127.0.0.1:7447".into(),
            })
    }
}

/// An open, locked data directory. The lock is released when the `Home` is dropped.
#[derive(Debug)]
pub struct Home {
    paths: HomePaths,
    /// Held open for the lock; closing it releases the lock.
    _lock: File,
    /// The data key, once unlocked ([`Home::unlock`]).
    data_key: Option<crate::at_rest::DataKey>,
}

impl Home {
    /// Create `dir` if missing (mode 0700) and lock it, or fail with
    /// [`HomeError::Locked`] if another node is using it.
    pub fn open(dir: &Path) -> Result<Home, HomeError> {
        create_private_dir(dir)?;
        let paths = HomePaths::new(dir);
        let lock_path = paths.lock_path();
        let io_err = |what, source| HomeError::Io {
            what,
            path: lock_path.clone(),
            source,
        };
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| io_err("open the lock file", e))?;
        // Called through the trait: newer std has inherent `File` lock methods with other
        // signatures.
        let locked = fs4::fs_std::FileExt::try_lock_exclusive(&lock)
            .map_err(|e| io_err("lock the lock file", e))?;
        if !locked {
            let mut text = String::new();
            let pid = (&lock)
                .take(32)
                .read_to_string(&mut text)
                .ok()
                .and_then(|_| text.trim().parse().ok());
            return Err(HomeError::Locked {
                dir: dir.to_path_buf(),
                pid,
            });
        }
        // The pid is only for the message another process prints; failing to write it
        // does not matter.
        let _ = lock
            .set_len(0)
            .and_then(|()| write!(lock, "{}", std::process::id()))
            .and_then(|()| lock.flush());
        Ok(Home {
            paths,
            _lock: lock,
            data_key: None,
        })
    }

    /// Unlock the data key with any of `secrets`, or make one wrapped by all of them if
    /// the home has none yet (see [`crate::at_rest`]).
    pub fn unlock(
        &mut self,
        secrets: &[crate::at_rest::Secret],
    ) -> Result<(), crate::at_rest::AtRestError> {
        let dir = self.paths.dir();
        let key = if crate::at_rest::is_encrypted(dir) {
            crate::at_rest::unlock(dir, secrets)?
        } else {
            crate::at_rest::create(dir, secrets)?
        };
        self.data_key = Some(key);
        Ok(())
    }

    /// The cipher of the unlocked data key; `None` before [`Home::unlock`].
    pub fn seal(&self) -> Option<crate::at_rest::Seal> {
        self.data_key.as_ref().map(|k| k.seal())
    }

    /// The file names of this home.
    pub fn paths(&self) -> &HomePaths {
        &self.paths
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        self.paths.dir()
    }

    /// `DIR/store`: the sled database.
    pub fn store_dir(&self) -> PathBuf {
        self.paths.store_dir()
    }

    /// `DIR/config.toml`.
    pub fn config_path(&self) -> PathBuf {
        self.paths.config_path()
    }

    /// `DIR/api.addr`: where the daemon writes its bound API address.
    pub fn api_addr_path(&self) -> PathBuf {
        self.paths.api_addr_path()
    }

    /// The node's libp2p identity: loaded from `node.key`, or created (ed25519, mode 0600)
    /// on first use. A damaged key file is an error and is never replaced.
    pub fn node_keypair(&self) -> Result<Keypair, HomeError> {
        let path = self.paths.node_key_path();
        let dir = self.paths.dir();
        if let Some(bytes) =
            crate::at_rest::read_private(dir, &path, MAX_SMALL_FILE).map_err(sealed)?
        {
            let key = Keypair::from_protobuf_encoding(&bytes);
            restrict_permissions(&path);
            return key.map_err(|e| HomeError::CorruptKey {
                path,
                why: e.to_string(),
            });
        }
        let key = Keypair::generate_ed25519();
        let mut bytes = key
            .to_protobuf_encoding()
            .map_err(|e| HomeError::KeyEncoding(e.to_string()))?;
        // Sealed under the data key once the home has one (a node key made by `aviso
        // init`, before it, is sealed at the node's first start).
        let written = crate::at_rest::write_private(dir, &path, &bytes).map_err(sealed);
        wipe(&mut bytes);
        written?;
        Ok(key)
    }

    /// The API bearer token: loaded from `api.token`, or created (32 random bytes as hex,
    /// mode 0600). A damaged token file is replaced: the token is no identity.
    pub fn api_token(&self) -> Result<String, HomeError> {
        let path = self.paths.api_token_path();
        if let Some(bytes) = read_small(&path)? {
            if let Some(token) = parse_token(&bytes) {
                restrict_permissions(&path);
                return Ok(token);
            }
            tracing::warn!(path = %path.display(), "api token file is damaged; writing a new token");
        }
        let mut raw = [0u8; TOKEN_BYTES];
        getrandom::fill(&mut raw).map_err(|e| HomeError::Random(e.to_string()))?;
        let token = hex::encode(raw);
        if let Some(dir) = path.parent() {
            create_private_dir(dir)?;
        }
        write_atomic(&path, token.as_bytes())?;
        Ok(token)
    }

    /// Record where the API listens, for the CLI.
    pub fn write_api_addr(&self, addr: SocketAddr) -> Result<(), HomeError> {
        write_atomic(&self.paths.api_addr_path(), addr.to_string().as_bytes())
    }

    /// Remove the API address file and the token (at shutdown), so the CLI says "not
    /// running" rather than failing to connect, and no token outlives the node. A missing
    /// file is fine.
    pub fn remove_api_addr(&self) -> Result<(), HomeError> {
        let _ = fs::remove_file(self.paths.api_token_path());
        let path = self.paths.api_addr_path();
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(HomeError::Io {
                what: "remove",
                path,
                source: e,
            }),
            _ => Ok(()),
        }
    }
}

/// [`HomePaths::runtime_dir`] with an injectable environment lookup.
fn runtime_dir_with(dir: &Path, env: impl Fn(&str) -> Option<PathBuf>) -> PathBuf {
    use sha2::Digest;
    let abs = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let hash = sha2::Sha256::digest(abs.as_os_str().as_encoded_bytes());
    let name = hex::encode(&hash[..RUNTIME_NAME_BYTES]);
    if let Some(run) = env("XDG_RUNTIME_DIR").filter(|p| p.is_absolute() && p.is_dir()) {
        return run.join("aviso").join(name);
    }
    let shm = Path::new("/dev/shm");
    #[cfg(unix)]
    if shm.is_dir() {
        use std::os::unix::fs::MetadataExt;
        let uid = fs::metadata(&abs).map(|m| m.uid()).unwrap_or(u32::MAX);
        return shm.join(format!("aviso-{uid}")).join(name);
    }
    let _ = shm;
    dir.to_path_buf()
}

/// Parse a token file's content: exactly 64 hex characters, surrounding white space allowed.
fn parse_token(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    (text.len() == TOKEN_BYTES * 2 && text.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| text.to_ascii_lowercase())
}

/// Overwrite secret bytes before they are freed.
fn wipe(bytes: &mut [u8]) {
    bytes.fill(0);
    // Keeps the compiler from dropping the fill as a dead store.
    std::hint::black_box(&*bytes);
}

/// Create a directory (and its parents) readable by its owner only.
fn create_private_dir(dir: &Path) -> Result<(), HomeError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| HomeError::Io {
        what: "create the data directory",
        path: dir.to_path_buf(),
        source,
    })
}

/// Read a small file whole; `None` if it does not exist.
fn read_small(path: &Path) -> Result<Option<Vec<u8>>, HomeError> {
    let io_err = |source| HomeError::Io {
        what: "read",
        path: path.to_path_buf(),
        source,
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(e)),
    };
    let mut bytes = Vec::new();
    file.take(MAX_SMALL_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io_err)?;
    if bytes.len() as u64 > MAX_SMALL_FILE {
        return Err(HomeError::BadFile {
            path: path.to_path_buf(),
            why: format!("larger than {MAX_SMALL_FILE} bytes"),
        });
    }
    Ok(Some(bytes))
}

/// Tighten a secret file that someone made readable by others back to 0600.
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            tracing::warn!(path = %path.display(), "secret file was readable by others; restricting it to mode 0600");
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Replace a file atomically (temporary file beside it, fsync, rename), mode 0600: readers
/// see the old content or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), HomeError> {
    let tmp = write_temp(path, bytes)?;
    tmp.persist(path).map_err(|e| HomeError::Io {
        what: "replace",
        path: path.to_path_buf(),
        source: e.error,
    })?;
    sync_dir(path);
    Ok(())
}

/// `bytes` in a new temporary file beside `path` (mode 0600, synced), removed on drop
/// unless persisted.
fn write_temp(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, HomeError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".aviso-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|source| HomeError::Io {
            what: "create a temporary file in",
            path: dir.to_path_buf(),
            source,
        })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|source| HomeError::Io {
            what: "write",
            path: tmp.path().to_path_buf(),
            source,
        })?;
    Ok(tmp)
}

/// Make a rename or link in `path`'s directory durable. Best effort: not every platform
/// can open a directory.
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent()
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_private_dir_and_locks() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a").join("home");
        let home = Home::open(&dir).unwrap();
        assert!(dir.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let err = Home::open(&dir).unwrap_err();
        match &err {
            HomeError::Locked { dir: d, pid } => {
                assert_eq!(d, &dir);
                assert_eq!(*pid, Some(std::process::id()));
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        let msg = err.to_string();
        assert!(msg.contains("already running"), "{msg}");
        assert!(
            msg.contains("--home") && msg.contains("AVISO_HOME"),
            "{msg}"
        );
        drop(home);
        // Released on drop.
        Home::open(&dir).unwrap();
    }

    #[test]
    fn node_key_is_created_once_and_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::open(tmp.path()).unwrap();
        let a = home.node_keypair().unwrap();
        let b = home.node_keypair().unwrap();
        assert_eq!(a.public().to_peer_id(), b.public().to_peer_id());
        let path = home.paths().node_key_path();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary files are left behind.
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| !n.ends_with(".tmp")), "{names:?}");
    }

    /// The node key (the peer id others see on the network) is sealed under the data key
    /// once the home has one; a key made in clear before (by `aviso init`) is sealed by
    /// the first unlocked read, and stays the same key.
    #[test]
    fn node_key_is_sealed_in_an_unlocked_home() {
        let tmp = tempfile::tempdir().unwrap();
        let mut home = Home::open(tmp.path()).unwrap();
        let before = home.node_keypair().unwrap().public().to_peer_id();
        let path = home.paths().node_key_path();
        let plain = fs::read(&path).unwrap();
        let pass = crate::at_rest::Secret::Passphrase(zeroize::Zeroizing::new(b"p".to_vec()));
        home.unlock(&[pass]).unwrap();
        assert_eq!(home.node_keypair().unwrap().public().to_peer_id(), before);
        assert_eq!(home.paths().node_peer_id().unwrap(), before);
        let sealed = fs::read(&path).unwrap();
        assert_ne!(sealed, plain);
        assert!(
            !sealed
                .windows(32)
                .any(|w| plain.windows(32).any(|p| p == w))
        );
    }

    #[test]
    fn corrupt_key_is_an_error_and_not_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::open(tmp.path()).unwrap();
        let path = home.paths().node_key_path();
        fs::write(&path, b"not a key").unwrap();
        let err = home.node_keypair().unwrap_err();
        assert!(matches!(err, HomeError::CorruptKey { .. }), "{err:?}");
        assert!(err.to_string().contains("move it away"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"not a key");
    }

    #[test]
    fn api_token_and_addr_round_trip_through_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let home = Home::open(tmp.path()).unwrap();
        let paths = HomePaths::new(tmp.path());
        assert!(matches!(
            paths.read_api_token(),
            Err(HomeError::NoToken { .. })
        ));
        let token = home.api_token().unwrap();
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(home.api_token().unwrap(), token);
        assert_eq!(paths.read_api_token().unwrap(), token);

        assert!(matches!(
            paths.read_api_addr(),
            Err(HomeError::NotRunning { .. })
        ));
        let addr: SocketAddr = "127.0.0.1:7447".parse().unwrap();
        home.write_api_addr(addr).unwrap();
        assert_eq!(paths.read_api_addr().unwrap(), addr);
        home.remove_api_addr().unwrap();
        home.remove_api_addr().unwrap();
        assert!(matches!(
            paths.read_api_addr(),
            Err(HomeError::NotRunning { .. })
        ));

        fs::write(paths.api_token_path(), "short").unwrap();
        assert!(matches!(
            paths.read_api_token(),
            Err(HomeError::BadFile { .. })
        ));
        let fresh = home.api_token().unwrap();
        assert_ne!(fresh, token);
        assert_eq!(fresh.len(), 64);
    }

    #[test]
    fn paths_are_under_the_dir() {
        let home = HomePaths::new("/x/y");
        assert_eq!(home.dir(), Path::new("/x/y"));
        assert_eq!(home.store_dir(), Path::new("/x/y/store"));
        assert_eq!(home.config_path(), Path::new("/x/y/config.toml"));
        assert_eq!(home.api_addr_path(), Path::new("/x/y/api.addr"));
    }

    #[test]
    fn default_home_precedence() {
        fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<PathBuf> + use<> {
            let vars: Vec<(String, PathBuf)> = vars
                .iter()
                .map(|(k, v)| (k.to_string(), PathBuf::from(v)))
                .collect();
            move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        }
        let all = [
            ("AVISO_HOME", "/h"),
            ("XDG_DATA_HOME", "/xdg"),
            ("HOME", "/home/u"),
        ];
        assert_eq!(default_home_with(env(&all)), Path::new("/h"));
        assert_eq!(
            default_home_with(env(&[("AVISO_HOME", ""), ("XDG_DATA_HOME", "/xdg")])),
            Path::new("/xdg/aviso")
        );
        assert_eq!(
            default_home_with(env(&[("XDG_DATA_HOME", "rel"), ("HOME", "/home/u")])),
            Path::new("/home/u/.local/share/aviso")
        );
        assert_eq!(default_home_with(env(&[])), Path::new(".aviso"));
    }
}
