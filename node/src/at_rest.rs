//! Encryption at rest: the node's data key, the ways it is unlocked, and the panic wipe.
//!
//! A random 32-byte **data key** encrypts what the node keeps on disk (see
//! [`crate::store::SealedStore`] and [`Seal`]). It never touches the disk in clear: the
//! file `HOME/data.key` holds it *wrapped* (XChaCha20-Poly1305) once per way to unlock:
//!
//! - a **passphrase**, through Argon2id (the same costs as the member key file);
//! - a **key file** (`--key-file`, or a systemd credential named [`CREDENTIAL_NAME`] in
//!   `$CREDENTIALS_DIRECTORY`), for a start at boot with nobody at the keyboard. Whoever
//!   holds both the key file and the home can read everything: keep the key file on
//!   another medium, or use systemd's encrypted credentials (TPM-bound).
//!
//! ```text
//! { "format": "aviso-data-key", "version": 1,
//!   "wraps": [ { "by": "passphrase", "kdf": {..argon2id..}, "nonce": hex, "ciphertext": hex },
//!              { "by": "key-file", "nonce": hex, "ciphertext": hex } ],
//!   "duress": { "kdf": {..}, "check": hex } }          optional
//! ```
//!
//! A **duress passphrase** (set with `aviso panic --set-duress`) is kept only as an
//! Argon2id check value. A passphrase that unwraps nothing is compared with it; when it
//! matches, [`wipe`] runs and the caller gets the same [`AtRestError::WrongSecret`] as for
//! any wrong passphrase. A wrong passphrase always costs both derivations, so the two
//! cannot be told apart by time either.
//!
//! [`wipe`] destroys what makes the rest readable first (the wrapped data key, the member
//! key, the node key: each overwritten with random bytes, synced, unlinked) and only then
//! deletes the rest of the home.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::home::write_atomic;
use crate::member_key::{self, KdfCost, NONCE_BYTES, SALT_BYTES};

mod files;
mod inbox;
pub use files::{is_unlocked, read_private, write_private};
pub use inbox::{InboxKey, ensure_inbox, seal_to_inbox};

/// Name of the wrapped data key in the home.
pub const DATA_KEY_FILE: &str = "data.key";
/// Name of the systemd credential (`LoadCredential=` / `LoadCredentialEncrypted=`) that
/// serves as a key file.
pub const CREDENTIAL_NAME: &str = "aviso-data-key";
/// The `format` tag of `data.key`.
const FORMAT: &str = "aviso-data-key";
/// The file format version this code writes and reads.
const FILE_VERSION: u32 = 1;
/// Bytes of a data key, of a key derived from it, and of a keyed hash.
pub const KEY_BYTES: usize = 32;
/// Bytes of a Poly1305 tag.
const TAG_BYTES: usize = 16;
/// Fewest bytes a key file must hold: 256 bits, beyond guessing.
const MIN_KEY_FILE: usize = 32;
/// Largest key file or wrapped-key file read: real ones are under 2 KiB.
const MAX_SMALL: u64 = 64 * 1024;
/// Most wraps in one `data.key`: a passphrase and a key file or two. Bounds the work a
/// damaged file can cause (each passphrase wrap costs an Argon2id derivation).
const MAX_WRAPS: usize = 8;
/// Files destroyed first by [`wipe`]: each alone makes something readable.
const KEY_FILES: [&str; 3] = [DATA_KEY_FILE, member_key::MEMBER_KEY_FILE, "node.key"];
/// Domain tags, so no derived key or ciphertext can serve another purpose.
const WRAP_AAD: &[u8] = b"aviso/v1/data-key-wrap";
const KEY_FILE_TAG: &[u8] = b"aviso/v1/key-file";
const ENC_TAG: &[u8] = b"aviso/v1/at-rest/encrypt";
const MAC_TAG: &[u8] = b"aviso/v1/at-rest/mac";
const DURESS_TAG: &[u8] = b"aviso/v1/duress";

/// Why the data key could not be made, unlocked or changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AtRestError {
    /// No secret given opens the data key (wrong passphrase or key file).
    #[error(
        "wrong passphrase or key file for the encrypted home {dir}; try again",
        dir = dir.display()
    )]
    WrongSecret {
        /// The home.
        dir: PathBuf,
    },
    /// Nothing to unlock with.
    #[error(
        "the home {dir} is encrypted and no passphrase or key file was given: run `aviso node` in a terminal, or give --passphrase-file FILE, --key-file FILE (or AVISO_PASSPHRASE_FILE / AVISO_KEY_FILE), or a systemd credential named {CREDENTIAL_NAME}",
        dir = dir.display()
    )]
    NoSecret {
        /// The home.
        dir: PathBuf,
    },
    /// A key file is too short to be one.
    #[error(
        "{path} holds fewer than {MIN_KEY_FILE} bytes; a key file must hold at least {MIN_KEY_FILE} random bytes (make one with `head -c 32 /dev/urandom > FILE`)",
        path = path.display()
    )]
    ShortKeyFile {
        /// The key file.
        path: PathBuf,
    },
    /// `data.key` does not hold what this version writes.
    #[error("{path} is damaged ({why}); restore it from a backup", path = path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// A private file is sealed and this process has not unlocked the home.
    #[error(
        "{path} is encrypted: unlock the home with AVISO_KEY_FILE or AVISO_PASSPHRASE_FILE (or run the command in a terminal to be asked for the passphrase)",
        path = path.display()
    )]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// A file system operation failed.
    #[error("cannot {what} {path}: {source}", path = path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The home's files could not be written.
    #[error(transparent)]
    Home(#[from] crate::home::HomeError),
    /// The operating system's random source or a primitive failed.
    #[error("cannot {0}")]
    Crypto(String),
}

/// A way to unlock (or, at creation, to wrap) the data key.
pub enum Secret {
    /// A passphrase, through Argon2id.
    Passphrase(Zeroizing<Vec<u8>>),
    /// A file of random bytes (at least 32).
    KeyFile(PathBuf),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Secret::Passphrase(_) => f.write_str("Passphrase(<redacted>)"),
            Secret::KeyFile(p) => f.debug_tuple("KeyFile").field(p).finish(),
        }
    }
}

/// The data key, in memory only; zeroized on drop.
pub struct DataKey(Zeroizing<[u8; KEY_BYTES]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

impl DataKey {
    /// A fresh random key.
    fn generate() -> Result<DataKey, AtRestError> {
        Ok(DataKey(random::<KEY_BYTES>()?))
    }

    /// The cipher and keyed hash derived from this key.
    pub fn seal(&self) -> Seal {
        Seal::new(&self.0)
    }
}

/// Encryption and keyed hashing with keys derived from the data key. Records are sealed
/// with XChaCha20-Poly1305 under a random nonce, with the caller's associated data (the
/// record's key on disk, so records cannot be swapped); [`Seal::keyed_hash`] turns ids
/// into keys that reveal nothing without the data key.
#[derive(Clone)]
pub struct Seal {
    cipher: XChaCha20Poly1305,
    mac_key: Zeroizing<[u8; KEY_BYTES]>,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal(<redacted>)")
    }
}

impl Seal {
    /// Derive both keys from `key`.
    pub fn new(key: &[u8; KEY_BYTES]) -> Seal {
        let enc = hmac_sha256(key, &[ENC_TAG]);
        let mac_key = hmac_sha256(key, &[MAC_TAG]);
        Seal {
            cipher: XChaCha20Poly1305::new_from_slice(&enc[..])
                .expect("XChaCha20-Poly1305 takes a 32-byte key"),
            mac_key,
        }
    }

    /// Keyed hash (HMAC-SHA-256) of `data` in `domain`: a record key that names nothing.
    pub fn keyed_hash(&self, domain: &[u8], data: &[u8]) -> [u8; KEY_BYTES] {
        *hmac_sha256(&self.mac_key[..], &[domain, &[0], data])
    }

    /// `nonce ‖ ciphertext ‖ tag` of `plain`, bound to `aad`.
    pub fn encrypt(&self, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, AtRestError> {
        let nonce = random::<NONCE_BYTES>()?;
        let ct = self
            .cipher
            .encrypt(&XNonce::from(*nonce), Payload { msg: plain, aad })
            .map_err(|_| AtRestError::Crypto("encrypt a record".into()))?;
        let mut out = Vec::with_capacity(NONCE_BYTES + ct.len());
        out.extend_from_slice(&nonce[..]);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// The plaintext of what [`Seal::encrypt`] made with this `aad`; `None` when it fails
    /// authentication (damaged, swapped or forged).
    pub fn decrypt(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < NONCE_BYTES + TAG_BYTES {
            return None;
        }
        let (nonce, ct) = sealed.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        self.cipher
            .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
            .ok()
            .map(Zeroizing::new)
    }
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Zeroizing<[u8; KEY_BYTES]> {
    let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(key)
        .expect("HMAC accepts keys of any length");
    for p in parts {
        mac.update(p);
    }
    let mut out = Zeroizing::new([0u8; KEY_BYTES]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    out
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, AtRestError> {
    let mut b = Zeroizing::new([0u8; N]);
    getrandom::fill(&mut b[..])
        .map_err(|e| AtRestError::Crypto(format!("get random bytes: {e}")))?;
    Ok(b)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kdf {
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

impl Kdf {
    fn fresh() -> Result<Kdf, AtRestError> {
        let c = KdfCost::DEFAULT;
        Ok(Kdf {
            m_cost_kib: c.m_cost_kib,
            t_cost: c.t_cost,
            p_cost: c.p_cost,
            salt: hex::encode(&random::<SALT_BYTES>()?[..]),
        })
    }

    /// Argon2id of `pass`; `None` for parameters beyond what this code writes.
    fn derive(&self, pass: &[u8]) -> Option<Zeroizing<[u8; KEY_BYTES]>> {
        let d = KdfCost::DEFAULT;
        // A damaged or hostile file must not make us allocate or loop without bound.
        if self.m_cost_kib > 4 * d.m_cost_kib || self.t_cost > 4 * d.t_cost || self.p_cost > 4 {
            return None;
        }
        let salt = hex::decode(&self.salt).ok()?;
        let cost = KdfCost {
            m_cost_kib: self.m_cost_kib,
            t_cost: self.t_cost,
            p_cost: self.p_cost,
        };
        member_key::derive_key(pass, &salt, cost).ok()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wrap {
    by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kdf: Option<Kdf>,
    nonce: String,
    ciphertext: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Duress {
    kdf: Kdf,
    check: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrapFile {
    format: String,
    version: u32,
    wraps: Vec<Wrap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duress: Option<Duress>,
}

/// `HOME/data.key`.
pub fn data_key_path(home: &Path) -> PathBuf {
    home.join(DATA_KEY_FILE)
}

/// Whether the home has a data key (is encrypted).
pub fn is_encrypted(home: &Path) -> bool {
    data_key_path(home).exists()
}

/// The key-file bytes' wrapping key.
fn key_file_key(path: &Path) -> Result<Zeroizing<[u8; KEY_BYTES]>, AtRestError> {
    let bytes = Zeroizing::new(read_small(path)?.ok_or_else(|| AtRestError::Io {
        what: "read the key file",
        path: path.to_path_buf(),
        source: std::io::ErrorKind::NotFound.into(),
    })?);
    if bytes.len() < MIN_KEY_FILE {
        return Err(AtRestError::ShortKeyFile {
            path: path.to_path_buf(),
        });
    }
    Ok(hmac_sha256(KEY_FILE_TAG, &[&bytes]))
}

fn wrap_with(
    wrapping: &[u8; KEY_BYTES],
    by: &str,
    kdf: Option<Kdf>,
    key: &DataKey,
) -> Result<Wrap, AtRestError> {
    let nonce = random::<NONCE_BYTES>()?;
    let cipher = XChaCha20Poly1305::new_from_slice(&wrapping[..])
        .map_err(|_| AtRestError::Crypto("set up the cipher".into()))?;
    let ct = cipher
        .encrypt(
            &XNonce::from(*nonce),
            Payload {
                msg: &key.0[..],
                aad: WRAP_AAD,
            },
        )
        .map_err(|_| AtRestError::Crypto("wrap the data key".into()))?;
    Ok(Wrap {
        by: by.into(),
        kdf,
        nonce: hex::encode(&nonce[..]),
        ciphertext: hex::encode(ct),
    })
}

fn unwrap_with(wrapping: &[u8; KEY_BYTES], w: &Wrap) -> Option<DataKey> {
    let nonce: [u8; NONCE_BYTES] = hex::decode(&w.nonce).ok()?.try_into().ok()?;
    let ct = hex::decode(&w.ciphertext).ok()?;
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new_from_slice(&wrapping[..])
            .ok()?
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: &ct,
                    aad: WRAP_AAD,
                },
            )
            .ok()?,
    );
    let mut key = Zeroizing::new([0u8; KEY_BYTES]);
    if plain.len() != KEY_BYTES {
        return None;
    }
    key.copy_from_slice(&plain);
    Some(DataKey(key))
}

/// Make a new data key for `home`, wrapped by each of `secrets`. A key file that does not
/// exist yet is created (32 random bytes, mode 0600). Fails if the home already has one.
pub fn create(home: &Path, secrets: &[Secret]) -> Result<DataKey, AtRestError> {
    let key = create_key(home, secrets)?;
    files::remember(home, key.seal());
    Ok(key)
}

fn create_key(home: &Path, secrets: &[Secret]) -> Result<DataKey, AtRestError> {
    if secrets.is_empty() {
        return Err(AtRestError::NoSecret {
            dir: home.to_path_buf(),
        });
    }
    let key = DataKey::generate()?;
    let mut wraps = Vec::new();
    for s in secrets {
        match s {
            Secret::Passphrase(p) => {
                let kdf = Kdf::fresh()?;
                let wrapping = kdf.derive(p).ok_or_else(|| {
                    AtRestError::Crypto("derive a key from the passphrase".into())
                })?;
                wraps.push(wrap_with(&wrapping, "passphrase", Some(kdf), &key)?);
            }
            Secret::KeyFile(path) => {
                if !path.exists() {
                    write_new_secret(path, &random::<KEY_BYTES>()?[..])?;
                }
                let wrapping = key_file_key(path)?;
                wraps.push(wrap_with(&wrapping, "key-file", None, &key)?);
            }
        }
    }
    let file = WrapFile {
        format: FORMAT.into(),
        version: FILE_VERSION,
        wraps,
        duress: None,
    };
    write_wrap_file(home, &file)?;
    Ok(key)
}

fn write_wrap_file(home: &Path, file: &WrapFile) -> Result<(), AtRestError> {
    let text = serde_json::to_string_pretty(file)
        .map_err(|e| AtRestError::Crypto(format!("encode {DATA_KEY_FILE}: {e}")))?;
    write_atomic(&data_key_path(home), text.as_bytes())?;
    Ok(())
}

fn read_wrap_file(home: &Path) -> Result<WrapFile, AtRestError> {
    let path = data_key_path(home);
    let damaged = |why: String| AtRestError::Damaged {
        path: path.clone(),
        why,
    };
    let bytes = read_small(&path)?.ok_or_else(|| damaged("missing".into()))?;
    let file: WrapFile =
        serde_json::from_slice(&bytes).map_err(|e| damaged(format!("not valid JSON: {e}")))?;
    if file.format != FORMAT {
        return Err(damaged("it is not an aviso data key".into()));
    }
    if file.version != FILE_VERSION {
        return Err(damaged(format!(
            "format version {}; this aviso reads version {FILE_VERSION}: upgrade aviso",
            file.version
        )));
    }
    if file.wraps.len() > MAX_WRAPS {
        return Err(damaged(format!("more than {MAX_WRAPS} wraps")));
    }
    Ok(file)
}

/// Unlock the data key of `home` with any of `secrets`. A passphrase that is the duress
/// passphrase wipes the home ([`wipe`]) and fails exactly like a wrong one.
/// The process keeps the key's cipher for the home's private files ([`read_private`]).
pub fn unlock(home: &Path, secrets: &[Secret]) -> Result<DataKey, AtRestError> {
    let key = unlock_key(home, secrets)?;
    files::remember(home, key.seal());
    Ok(key)
}

fn unlock_key(home: &Path, secrets: &[Secret]) -> Result<DataKey, AtRestError> {
    if secrets.is_empty() {
        return Err(AtRestError::NoSecret {
            dir: home.to_path_buf(),
        });
    }
    let file = read_wrap_file(home)?;
    let mut duress = false;
    let mut key_file_error = None;
    for s in secrets {
        match s {
            Secret::KeyFile(path) => {
                let wrapping = match key_file_key(path) {
                    Ok(w) => w,
                    Err(e) => {
                        key_file_error = Some(e);
                        continue;
                    }
                };
                for w in file.wraps.iter().filter(|w| w.by == "key-file") {
                    if let Some(k) = unwrap_with(&wrapping, w) {
                        return Ok(k);
                    }
                }
            }
            Secret::Passphrase(p) => {
                for w in file.wraps.iter().filter(|w| w.by == "passphrase") {
                    if let Some(wrapping) = w.kdf.as_ref().and_then(|k| k.derive(p))
                        && let Some(k) = unwrap_with(&wrapping, w)
                    {
                        return Ok(k);
                    }
                }
                // Always derived, set or not, so a wrong passphrase costs the same time
                // whether a duress passphrase exists or matched.
                duress |= is_duress(file.duress.as_ref(), p);
            }
        }
    }
    if duress {
        // Silent by design: nothing printed or logged says a wipe happened.
        let _ = wipe(home);
    }
    let passphrase_given = secrets.iter().any(|s| matches!(s, Secret::Passphrase(_)));
    if let Some(e) = key_file_error
        && !passphrase_given
    {
        return Err(e);
    }
    Err(AtRestError::WrongSecret {
        dir: home.to_path_buf(),
    })
}

/// Whether `pass` is the duress passphrase of `home`, for the other places a passphrase
/// is asked (the key agent's unlock, the CLI's signing prompt) once it has failed there.
/// Costs one Argon2id derivation whether a duress passphrase is set or not, and whether
/// it matches or not, so that a wrong passphrase and the duress one take the same time.
/// Only checks: the caller wipes ([`wipe`], or the running node's `POST /v1/panic`).
pub fn is_duress_passphrase(home: &Path, pass: &[u8]) -> bool {
    let duress = read_wrap_file(home).ok().and_then(|f| f.duress);
    is_duress(duress.as_ref(), pass)
}

fn is_duress(duress: Option<&Duress>, pass: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    let (kdf, check) = match duress {
        Some(d) => (d.kdf.clone(), hex::decode(&d.check).unwrap_or_default()),
        // A stand-in costs the same as the real check.
        None => match Kdf::fresh() {
            Ok(k) => (k, Vec::new()),
            Err(_) => return false,
        },
    };
    let Some(derived) = kdf.derive(pass) else {
        return false;
    };
    let value = hmac_sha256(derived.as_ref(), &[DURESS_TAG]);
    check.len() == KEY_BYTES && bool::from(value[..].ct_eq(&check[..]))
}

/// Set the duress passphrase of `home`, after proving the right to with `secrets` (which
/// must unlock the data key). A duress passphrase equal to one that unlocks is refused.
pub fn set_duress(home: &Path, secrets: &[Secret], duress: &[u8]) -> Result<(), AtRestError> {
    unlock(home, secrets)?;
    if unlock(home, &[Secret::Passphrase(Zeroizing::new(duress.to_vec()))]).is_ok() {
        return Err(AtRestError::Crypto(
            "use a duress passphrase different from the one that unlocks the home".into(),
        ));
    }
    let mut file = read_wrap_file(home)?;
    let kdf = Kdf::fresh()?;
    let derived = kdf
        .derive(duress)
        .ok_or_else(|| AtRestError::Crypto("derive a key from the passphrase".into()))?;
    let check = hmac_sha256(derived.as_ref(), &[DURESS_TAG]);
    file.duress = Some(Duress {
        kdf,
        check: hex::encode(&check[..]),
    });
    write_wrap_file(home, &file)
}

/// Destroy the home: first every file that unlocks something (the wrapped data key, the
/// member key, the node key), each overwritten with random bytes, synced and unlinked, so
/// nothing stored can be read any more; then everything else in the home, `skip` aside
/// (the lock file of a running node). Returns how long the first, decisive step took.
/// Best effort throughout: a file that cannot be removed does not stop the rest.
pub fn wipe(home: &Path) -> std::time::Duration {
    let start = std::time::Instant::now();
    files::forget(home);
    for name in KEY_FILES {
        shred(&home.join(name));
    }
    if let Ok(d) = File::open(home) {
        let _ = d.sync_all();
    }
    let decisive = start.elapsed();
    let _ = fs::remove_dir_all(crate::home::HomePaths::new(home).runtime_dir());
    if let Ok(entries) = fs::read_dir(home) {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if p.is_dir() {
                fs::remove_dir_all(&p)
            } else {
                fs::remove_file(&p)
            };
        }
    }
    decisive
}

/// Homes wiped in this process whose daemon must stop (see [`request_stop`]).
static STOPS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
/// Wakes the daemons waiting in [`stop_requested`].
static STOP_NOTIFY: std::sync::LazyLock<tokio::sync::Notify> =
    std::sync::LazyLock::new(tokio::sync::Notify::new);

/// Tell the daemon running on `home` in this process to stop (after a wipe through the
/// API): it stops like on SIGTERM, quietly.
pub fn request_stop(home: &Path) {
    STOPS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(home.to_path_buf());
    STOP_NOTIFY.notify_waiters();
}

/// Whether [`request_stop`] was called for `home`.
pub fn is_stop_requested(home: &Path) -> bool {
    STOPS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .any(|h| h == home)
}

/// Completes once [`request_stop`] is called for `home`.
pub async fn stop_requested(home: &Path) {
    loop {
        let notified = STOP_NOTIFY.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if is_stop_requested(home) {
            return;
        }
        notified.await;
    }
}

/// Overwrite `path` with random bytes of its length, sync, unlink.
fn shred(path: &Path) {
    let Ok(meta) = fs::metadata(path) else { return };
    if let Ok(mut f) = OpenOptions::new().write(true).open(path) {
        let mut left = meta.len();
        let mut buf = [0u8; 4096];
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            if getrandom::fill(&mut buf[..n]).is_err() || f.write_all(&buf[..n]).is_err() {
                break;
            }
            left -= n as u64;
        }
        let _ = f.sync_all();
    }
    let _ = fs::remove_file(path);
}

/// Write a new secret file (mode 0600), never over an existing one.
fn write_new_secret(path: &Path, bytes: &[u8]) -> Result<(), AtRestError> {
    let io = |source| AtRestError::Io {
        what: "create the key file",
        path: path.to_path_buf(),
        source,
    };
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(io)?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(io)
}

fn read_small(path: &Path) -> Result<Option<Vec<u8>>, AtRestError> {
    read_small_bounded(path, MAX_SMALL)
}

/// At most `max` bytes of `path`; `None` when it does not exist.
fn read_small_bounded(path: &Path, max: u64) -> Result<Option<Vec<u8>>, AtRestError> {
    let io = |source| AtRestError::Io {
        what: "read",
        path: path.to_path_buf(),
        source,
    };
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    let mut bytes = Vec::new();
    f.take(max).read_to_end(&mut bytes).map_err(io)?;
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(p: &str) -> Secret {
        Secret::Passphrase(Zeroizing::new(p.as_bytes().to_vec()))
    }

    #[test]
    fn wraps_unlock_and_wrong_secrets_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let kf = dir.path().join("k");
        let key = create(dir.path(), &[pass("right"), Secret::KeyFile(kf.clone())]).unwrap();
        let a = unlock(dir.path(), &[pass("right")]).unwrap();
        let b = unlock(dir.path(), &[Secret::KeyFile(kf)]).unwrap();
        assert_eq!(*a.0, *key.0);
        assert_eq!(*b.0, *key.0);
        let err = unlock(dir.path(), &[pass("wrong")]).unwrap_err();
        assert!(matches!(err, AtRestError::WrongSecret { .. }), "{err:?}");
        // The key is not on disk in any form.
        let text = fs::read(data_key_path(dir.path())).unwrap();
        assert!(!text.windows(KEY_BYTES).any(|w| w == &key.0[..]));
        assert!(!String::from_utf8_lossy(&text).contains(&hex::encode(&key.0[..])));
    }

    #[test]
    fn duress_wipes_and_looks_like_a_wrong_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("h");
        fs::create_dir(&home).unwrap();
        create(&home, &[pass("right")]).unwrap();
        fs::write(home.join("member.key"), b"secret").unwrap();
        set_duress(&home, &[pass("right")], b"duress").unwrap();
        let wrong = unlock(&home, &[pass("wrong")]).unwrap_err().to_string();
        assert!(is_encrypted(&home));
        let duress = unlock(&home, &[pass("duress")]).unwrap_err().to_string();
        assert_eq!(wrong, duress);
        assert!(!is_encrypted(&home));
        assert!(!home.join("member.key").exists());
        assert!(unlock(&home, &[pass("right")]).is_err());
    }

    #[test]
    fn the_duress_passphrase_is_told_from_others() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!is_duress_passphrase(dir.path(), b"anything"), "no home");
        create(dir.path(), &[pass("right")]).unwrap();
        assert!(!is_duress_passphrase(dir.path(), b"duress"), "none set");
        set_duress(dir.path(), &[pass("right")], b"duress").unwrap();
        assert!(is_duress_passphrase(dir.path(), b"duress"));
        assert!(!is_duress_passphrase(dir.path(), b"right"));
        assert!(!is_duress_passphrase(dir.path(), b"wrong"));
        assert!(is_encrypted(dir.path()), "checking wipes nothing");
    }

    #[test]
    fn seal_binds_the_associated_data() {
        let seal = DataKey::generate().unwrap().seal();
        let ct = seal.encrypt(b"a", b"hello").unwrap();
        assert_eq!(seal.decrypt(b"a", &ct).unwrap().as_slice(), b"hello");
        assert!(seal.decrypt(b"b", &ct).is_none());
        let mut bad = ct.clone();
        bad[30] ^= 1;
        assert!(seal.decrypt(b"a", &bad).is_none());
        assert_ne!(seal.keyed_hash(b"x", b"1"), seal.keyed_hash(b"y", b"1"));
    }
}
