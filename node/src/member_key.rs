//! The member's signing key file, `HOME/member.key`, encrypted under a passphrase.
//!
//! It is JSON, mode 0600:
//!
//! ```text
//! {
//!   "format": "aviso-member-key",
//!   "version": 1,
//!   "public_key": "<64 hex>",                      in clear: `aviso id` needs no passphrase
//!   "kdf": { "algorithm": "argon2id", "argon2_version": 19,
//!            "m_cost_kib": 65536, "t_cost": 3, "p_cost": 1, "salt": "<32 hex>" },
//!   "cipher": { "algorithm": "xchacha20poly1305", "nonce": "<48 hex>",
//!               "ciphertext": "<96 hex>" }           the 32-byte seed and a 16-byte tag
//! }
//! ```
//!
//! The passphrase goes through Argon2id to a 32-byte key, which seals the ed25519 seed
//! with XChaCha20-Poly1305. The associated data binds the format tag and the public key,
//! so a file whose clear public key was swapped does not open.

use std::io::Read;
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use aviso_protocol::{PublicKey, SecretKey};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::home::HomeError;

/// Name of the member key file in the home.
pub const MEMBER_KEY_FILE: &str = "member.key";
/// The `format` tag of a member key file.
const FORMAT: &str = "aviso-member-key";
/// The file format version this code writes and reads.
const FILE_VERSION: u32 = 1;
/// Domain tag in the associated data, so the ciphertext cannot be moved to another use.
const AAD_TAG: &[u8] = b"aviso/v1/member-key";
/// Bytes of Argon2 salt: 128 bits, as RFC 9106 recommends.
pub const SALT_BYTES: usize = 16;
/// Bytes of an XChaCha20 nonce: 192 bits, safe to choose at random.
pub const NONCE_BYTES: usize = 24;
/// Bytes of the ed25519 seed.
pub const SEED_BYTES: usize = 32;
/// Bytes of a Poly1305 tag.
const TAG_BYTES: usize = 16;
/// Largest key file read: a real one is under 1 KiB.
const MAX_KEY_FILE: u64 = 64 * 1024;
/// Largest Argon2 memory cost accepted from a file (KiB): 1 GiB. A damaged or hostile file
/// must not make `aviso` allocate without bound.
const MAX_M_COST_KIB: u32 = 1024 * 1024;
/// Largest Argon2 time cost accepted from a file.
const MAX_T_COST: u32 = 64;
/// Largest Argon2 parallelism accepted from a file.
const MAX_P_COST: u32 = 16;

/// Argon2id cost parameters, as recorded in the key file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfCost {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfCost {
    /// What `aviso init` uses: 64 MiB, 3 passes, 1 lane (RFC 9106's second recommended
    /// choice, with one more pass). About half a second on a small laptop, once per
    /// signing command.
    pub const DEFAULT: KdfCost = KdfCost {
        m_cost_kib: 64 * 1024,
        t_cost: 3,
        p_cost: 1,
    };
}

/// The `kdf` object of the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KdfRecord {
    algorithm: String,
    argon2_version: u32,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

/// The `cipher` object of the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CipherRecord {
    algorithm: String,
    nonce: String,
    ciphertext: String,
}

/// The content of `member.key`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    format: String,
    version: u32,
    public_key: PublicKey,
    kdf: KdfRecord,
    cipher: CipherRecord,
}

/// Why a key file does not open (or seal).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// The passphrase is wrong, or the ciphertext or public key was altered.
    #[error("wrong passphrase (or the file was altered)")]
    WrongPassphrase,
    /// The file's structure is not what this version writes.
    #[error("{0}")]
    Damaged(String),
    /// The key derivation or the cipher failed while sealing.
    #[error("cannot encrypt the signing key: {0}")]
    Seal(String),
}

/// The 32-byte key that `passphrase` and `salt` give at `cost` (Argon2id). Fails only for
/// parameters Argon2 refuses, which [`KeyFile::check`] bounds.
pub(crate) fn derive_key(
    passphrase: &[u8],
    salt: &[u8],
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>, OpenError> {
    let params = Params::new(cost.m_cost_kib, cost.t_cost, cost.p_cost, Some(32))
        .map_err(|e| OpenError::Damaged(format!("bad Argon2 parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, salt, key.as_mut())
        .map_err(|e| OpenError::Damaged(format!("cannot derive the key: {e}")))?;
    Ok(key)
}

/// The associated data: the domain tag and the public key.
fn aad(public: &PublicKey) -> Vec<u8> {
    let mut aad = AAD_TAG.to_vec();
    aad.extend_from_slice(public.as_bytes());
    aad
}

impl KeyFile {
    /// Encrypt `secret` under `passphrase` with the given salt and nonce (callers pass
    /// fresh random ones).
    pub fn seal(
        secret: &SecretKey,
        passphrase: &[u8],
        cost: KdfCost,
        salt: [u8; SALT_BYTES],
        nonce: [u8; NONCE_BYTES],
    ) -> Result<KeyFile, OpenError> {
        let public = secret.public();
        let key =
            derive_key(passphrase, &salt, cost).map_err(|e| OpenError::Seal(e.to_string()))?;
        let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
            .map_err(|_| OpenError::Seal("cannot set up the cipher".into()))?;
        let seed = secret.to_seed();
        let aad = aad(&public);
        let ciphertext = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: seed.as_ref(),
                    aad: &aad,
                },
            )
            .map_err(|_| OpenError::Seal("the cipher refused".into()))?;
        Ok(KeyFile {
            format: FORMAT.into(),
            version: FILE_VERSION,
            public_key: public,
            kdf: KdfRecord {
                algorithm: "argon2id".into(),
                argon2_version: 0x13,
                m_cost_kib: cost.m_cost_kib,
                t_cost: cost.t_cost,
                p_cost: cost.p_cost,
                salt: hex::encode(salt),
            },
            cipher: CipherRecord {
                algorithm: "xchacha20poly1305".into(),
                nonce: hex::encode(nonce),
                ciphertext: hex::encode(ciphertext),
            },
        })
    }

    /// The public key, in clear.
    pub fn public(&self) -> PublicKey {
        self.public_key
    }

    /// Check the structure, so the file is judged before any passphrase is asked.
    pub fn check(&self) -> Result<(), OpenError> {
        let damaged = |why: &str| Err(OpenError::Damaged(why.into()));
        if self.format != FORMAT {
            return damaged("it is not an aviso member key");
        }
        if self.version != FILE_VERSION {
            return Err(OpenError::Damaged(format!(
                "it has format version {}; this aviso reads version {FILE_VERSION}: upgrade aviso",
                self.version
            )));
        }
        if self.kdf.algorithm != "argon2id" || self.kdf.argon2_version != 0x13 {
            return damaged("unknown key derivation");
        }
        if self.cipher.algorithm != "xchacha20poly1305" {
            return damaged("unknown cipher");
        }
        let k = &self.kdf;
        if k.m_cost_kib > MAX_M_COST_KIB || k.t_cost > MAX_T_COST || k.p_cost > MAX_P_COST {
            return damaged("its key derivation costs are beyond any this tool writes");
        }
        Ok(())
    }

    /// Decrypt the secret key.
    pub fn open(&self, passphrase: &[u8]) -> Result<SecretKey, OpenError> {
        self.check()?;
        let salt = hex::decode(&self.kdf.salt)
            .ok()
            .filter(|s| s.len() == SALT_BYTES)
            .ok_or_else(|| OpenError::Damaged("bad salt".into()))?;
        let nonce: [u8; NONCE_BYTES] = hex::decode(&self.cipher.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(|| OpenError::Damaged("bad nonce".into()))?;
        let ciphertext = hex::decode(&self.cipher.ciphertext)
            .ok()
            .filter(|c| c.len() == SEED_BYTES + TAG_BYTES)
            .ok_or_else(|| OpenError::Damaged("bad ciphertext length".into()))?;
        let cost = KdfCost {
            m_cost_kib: self.kdf.m_cost_kib,
            t_cost: self.kdf.t_cost,
            p_cost: self.kdf.p_cost,
        };
        let key = derive_key(passphrase, &salt, cost)?;
        let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
            .map_err(|_| OpenError::Damaged("bad key length".into()))?;
        let aad = aad(&self.public_key);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: &ciphertext,
                        aad: &aad,
                    },
                )
                .map_err(|_| OpenError::WrongPassphrase)?,
        );
        let mut seed = Zeroizing::new([0u8; SEED_BYTES]);
        if plain.len() != SEED_BYTES {
            return Err(OpenError::Damaged("bad seed length".into()));
        }
        seed.copy_from_slice(&plain);
        let secret = SecretKey::from_seed(&seed);
        if secret.public() != self.public_key {
            return Err(OpenError::Damaged(
                "its public key does not match its secret key".into(),
            ));
        }
        Ok(secret)
    }

    /// Parse the file's text.
    pub fn parse(text: &str) -> Result<KeyFile, OpenError> {
        serde_json::from_str(text).map_err(|e| OpenError::Damaged(format!("not valid JSON: {e}")))
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a key file serializes to JSON");
        text.push('\n');
        text
    }
}

/// Why this home's key file cannot be used, naming the file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum MemberKeyError {
    /// There is no key file.
    #[error("no signing key in {dir}: run `aviso init`", dir = dir.display())]
    Missing {
        /// The home.
        dir: PathBuf,
    },
    /// The file cannot be read or written.
    #[error("cannot {what} {path}: {source}", path = path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is far larger than a key file.
    #[error("{path} is too large to be a key file; restore it from a backup", path = path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// Wrong passphrase, or the file was altered.
    #[error("wrong passphrase for {path} (or the file was altered); try again", path = path.display())]
    WrongPassphrase {
        /// The file.
        path: PathBuf,
    },
    /// The file does not hold a key this version reads.
    #[error(
        "{path} is damaged ({why}); restore it from a backup, or run `aviso init --force` for a new key",
        path = path.display()
    )]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
    /// Sealing failed.
    #[error("{0}")]
    Seal(OpenError),
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] HomeError),
}

impl MemberKeyError {
    fn of(path: &Path, e: OpenError) -> MemberKeyError {
        let path = path.to_path_buf();
        match e {
            OpenError::WrongPassphrase => MemberKeyError::WrongPassphrase { path },
            OpenError::Damaged(why) => MemberKeyError::Damaged { path, why },
            e @ OpenError::Seal(_) => MemberKeyError::Seal(e),
        }
    }
}

/// `HOME/member.key`.
pub fn key_path(home: &Path) -> PathBuf {
    home.join(MEMBER_KEY_FILE)
}

/// Read and check this home's key file (no passphrase needed).
pub fn read(home: &Path) -> Result<KeyFile, MemberKeyError> {
    let path = key_path(home);
    let io = |what, source| MemberKeyError::Io {
        what,
        path: path.clone(),
        source,
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(MemberKeyError::Missing {
                dir: home.to_path_buf(),
            });
        }
        Err(e) => return Err(io("read", e)),
    };
    let mut text = String::new();
    file.take(MAX_KEY_FILE + 1)
        .read_to_string(&mut text)
        .map_err(|e| io("read", e))?;
    if text.len() as u64 > MAX_KEY_FILE {
        return Err(MemberKeyError::TooLarge { path });
    }
    let kf = KeyFile::parse(&text).map_err(|e| MemberKeyError::of(&path, e))?;
    kf.check().map_err(|e| MemberKeyError::of(&path, e))?;
    Ok(kf)
}

/// Decrypt this home's key file with `passphrase`.
pub fn open(home: &Path, kf: &KeyFile, passphrase: &[u8]) -> Result<SecretKey, MemberKeyError> {
    kf.open(passphrase)
        .map_err(|e| MemberKeyError::of(&key_path(home), e))
}

/// Seal `secret` under `passphrase` with fresh random salt and nonce, at `cost`.
pub fn seal_new(
    secret: &SecretKey,
    passphrase: &[u8],
    cost: KdfCost,
) -> Result<KeyFile, MemberKeyError> {
    let mut salt = [0u8; SALT_BYTES];
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::fill(&mut salt)
        .and_then(|()| getrandom::fill(&mut nonce))
        .map_err(|e| MemberKeyError::Write(HomeError::Random(e.to_string())))?;
    KeyFile::seal(secret, passphrase, cost, salt, nonce).map_err(MemberKeyError::Seal)
}

/// Write `kf` as this home's key file, atomically, mode 0600.
pub fn write(home: &Path, kf: &KeyFile) -> Result<(), MemberKeyError> {
    crate::home::write_atomic(&key_path(home), kf.to_text().as_bytes())?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Cheap parameters, for tests only: 8 KiB, one pass.
    pub(crate) const FAST: KdfCost = KdfCost {
        m_cost_kib: 8,
        t_cost: 1,
        p_cost: 1,
    };

    fn sealed(pass: &str) -> (SecretKey, KeyFile) {
        let secret = aviso_protocol::fixtures::key(7);
        let kf = KeyFile::seal(&secret, pass.as_bytes(), FAST, [1; 16], [2; 24]).unwrap();
        (secret, kf)
    }

    #[test]
    fn round_trip_through_text() {
        let (secret, kf) = sealed("correct horse");
        let text = kf.to_text();
        assert!(text.contains(&secret.public().to_hex()));
        assert!(!text.contains(&hex::encode([7u8; 32])), "seed in clear");
        assert!(text.contains("\"m_cost_kib\": 8"));
        let back = KeyFile::parse(&text).unwrap();
        assert_eq!(back.public(), secret.public());
        let opened = back.open(b"correct horse").unwrap();
        assert_eq!(opened.public(), secret.public());
        assert_eq!(*opened.to_seed(), [7; 32]);
    }

    #[test]
    fn wrong_passphrase() {
        let (_, kf) = sealed("correct horse");
        assert_eq!(
            kf.open(b"correct hors").unwrap_err(),
            OpenError::WrongPassphrase
        );
    }

    #[test]
    fn tampering_is_detected() {
        let (_, kf) = sealed("pw");
        // Any flipped bit of the ciphertext or tag.
        let ct = hex::decode(&kf.cipher.ciphertext).unwrap();
        for i in [0, 17, ct.len() - 1] {
            let mut bad = kf.clone();
            let mut c = ct.clone();
            c[i] ^= 0x01;
            bad.cipher.ciphertext = hex::encode(c);
            assert_eq!(bad.open(b"pw").unwrap_err(), OpenError::WrongPassphrase);
        }
        // A swapped clear public key (bound as associated data).
        let mut bad = kf.clone();
        bad.public_key = aviso_protocol::fixtures::key(8).public();
        assert_eq!(bad.open(b"pw").unwrap_err(), OpenError::WrongPassphrase);
        // A changed nonce or salt.
        let mut bad = kf.clone();
        bad.cipher.nonce = hex::encode([3u8; 24]);
        assert_eq!(bad.open(b"pw").unwrap_err(), OpenError::WrongPassphrase);
        let mut bad = kf.clone();
        bad.kdf.salt = hex::encode([3u8; 16]);
        assert_eq!(bad.open(b"pw").unwrap_err(), OpenError::WrongPassphrase);
        // Structural damage is reported as such.
        let mut bad = kf.clone();
        bad.cipher.ciphertext.pop();
        assert!(matches!(bad.open(b"pw"), Err(OpenError::Damaged(_))));
        let mut bad = kf.clone();
        bad.kdf.m_cost_kib = u32::MAX;
        assert!(matches!(bad.open(b"pw"), Err(OpenError::Damaged(_))));
        let mut bad = kf.clone();
        bad.version = 2;
        assert!(matches!(bad.open(b"pw"), Err(OpenError::Damaged(m)) if m.contains("upgrade")));
        assert!(matches!(KeyFile::parse("{}"), Err(OpenError::Damaged(_))));
    }

    #[test]
    fn default_cost_is_valid() {
        let c = KdfCost::DEFAULT;
        assert!(Params::new(c.m_cost_kib, c.t_cost, c.p_cost, Some(32)).is_ok());
        assert!(c.m_cost_kib <= MAX_M_COST_KIB);
    }

    #[test]
    fn files_are_private_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let (secret, kf) = sealed("pw");
        let err = read(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("run `aviso init`"), "{err}");
        write(tmp.path(), &kf).unwrap();
        let path = key_path(tmp.path());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(read(tmp.path()).unwrap().public(), secret.public());
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [MEMBER_KEY_FILE]);
        let msg = open(Path::new("/h"), &kf, b"nope").unwrap_err().to_string();
        assert!(
            msg.starts_with("wrong passphrase for /h/member.key"),
            "{msg}"
        );
    }
}
