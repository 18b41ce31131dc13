//! `aviso init`, `aviso id`, and the member's encrypted key file.
//!
//! `HOME/member.key` is JSON, mode 0600:
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

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use argon2::{Algorithm, Argon2, Params, Version};
use aviso_node::config::DEFAULT_CONFIG_TOML;
use aviso_node::home::{Home, HomeError, HomePaths};
use aviso_protocol::{PublicKey, SecretKey};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use clap::Args;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::Cli;

/// Name of the member key file in the home.
pub const MEMBER_KEY_FILE: &str = "member.key";
/// Environment variable that supplies the passphrase instead of a prompt (for scripts and
/// services). Never a flag: flags show up in `ps` and shell history.
pub const PASSPHRASE_ENV: &str = "AVISO_PASSPHRASE";

/// The `format` tag of a member key file.
const FORMAT: &str = "aviso-member-key";
/// The file format version this code writes and reads.
const FILE_VERSION: u32 = 1;
/// Domain tag in the associated data, so the ciphertext cannot be moved to another use.
const AAD_TAG: &[u8] = b"aviso/v1/member-key";
/// Bytes of Argon2 salt: 128 bits, as RFC 9106 recommends.
const SALT_BYTES: usize = 16;
/// Bytes of an XChaCha20 nonce: 192 bits, safe to choose at random.
const NONCE_BYTES: usize = 24;
/// Bytes of the ed25519 seed.
const SEED_BYTES: usize = 32;
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

/// Options of `aviso init`.
#[derive(Debug, Args)]
#[command(
    after_help = "The passphrase that encrypts your signing key is asked twice on the \
    terminal, or taken from the AVISO_PASSPHRASE environment variable (for scripts); never \
    from a flag. With --force on an existing home, only the signing key is replaced: the \
    node's files and configuration stay."
)]
pub struct InitArgs {
    /// Replace an existing signing key. The old key file is kept beside it as
    /// member.key.<time>.bak; anything signed with the old key stays signed by it.
    #[arg(long)]
    pub force: bool,
}

/// Options of `aviso id`.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// Also draw the public key as a QR code, for an organizer to scan.
    #[arg(long)]
    pub qr: bool,
}

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

/// Why a key file does not open.
#[derive(Debug, PartialEq, Eq)]
pub enum OpenError {
    /// The passphrase is wrong, or the ciphertext or public key was altered.
    WrongPassphrase,
    /// The file's structure is not what this version writes.
    Damaged(String),
}

fn derive_key(
    passphrase: &[u8],
    salt: &[u8],
    cost: KdfCost,
) -> Result<Zeroizing<[u8; 32]>, String> {
    let params = Params::new(cost.m_cost_kib, cost.t_cost, cost.p_cost, Some(32))
        .map_err(|e| format!("bad Argon2 parameters: {e}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(passphrase, salt, key.as_mut())
        .map_err(|e| format!("cannot derive the key: {e}"))?;
    Ok(key)
}

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
    ) -> Result<KeyFile> {
        let public = secret.public();
        let key = derive_key(passphrase, &salt, cost).map_err(|e| anyhow!(e))?;
        let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
            .map_err(|_| anyhow!("cannot set up the cipher"))?;
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
            .map_err(|_| anyhow!("cannot encrypt the signing key"))?;
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
        let key = derive_key(passphrase, &salt, cost).map_err(OpenError::Damaged)?;
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

/// `HOME/member.key`.
pub fn key_path(home: &Path) -> PathBuf {
    home.join(MEMBER_KEY_FILE)
}

/// Read and parse the key file, with errors that say what to do.
fn read_key_file(home: &Path) -> Result<KeyFile> {
    let path = key_path(home);
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("no signing key in {}: run `aviso init`", home.display())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut text = String::new();
    file.take(MAX_KEY_FILE + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if text.len() as u64 > MAX_KEY_FILE {
        bail!(
            "{} is too large to be a key file; restore it from a backup",
            path.display()
        );
    }
    let kf = KeyFile::parse(&text).map_err(|e| open_error(&path, e))?;
    kf.check().map_err(|e| open_error(&path, e))?;
    Ok(kf)
}

fn open_error(path: &Path, e: OpenError) -> anyhow::Error {
    match e {
        OpenError::WrongPassphrase => anyhow!(
            "wrong passphrase for {} (or the file was altered); try again",
            path.display()
        ),
        OpenError::Damaged(why) => anyhow!(
            "{} is damaged ({why}); restore it from a backup, or run `aviso init --force` for a new key",
            path.display()
        ),
    }
}

/// Where a passphrase comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Confirm {
    /// Asked once (to unlock).
    Once,
    /// Asked twice (to set).
    Twice,
}

/// The passphrase from `AVISO_PASSPHRASE`, else from the terminal.
fn passphrase(prompt: &str, confirm: Confirm) -> Result<Zeroizing<String>> {
    if let Some(v) = std::env::var_os(PASSPHRASE_ENV) {
        let v = Zeroizing::new(v.into_string().map_err(|_| {
            anyhow!("{PASSPHRASE_ENV} is not valid UTF-8; set it to the passphrase as text")
        })?);
        if v.is_empty() {
            bail!(
                "{PASSPHRASE_ENV} is set but empty; set it to your passphrase, or unset it to be asked"
            );
        }
        return Ok(v);
    }
    let ask = |p: &str| -> Result<Zeroizing<String>> {
        rpassword::prompt_password(p)
            .map(Zeroizing::new)
            .map_err(|e| {
                anyhow!("no terminal to ask for the passphrase ({e}): set {PASSPHRASE_ENV} instead")
            })
    };
    let first = ask(prompt)?;
    if first.is_empty() {
        bail!("the passphrase is empty; choose one, it protects your signing key");
    }
    if confirm == Confirm::Twice {
        let second = ask("Same passphrase again: ")?;
        if *first != *second {
            bail!("the two passphrases differ; run the command again");
        }
    }
    Ok(first)
}

/// The member's secret key, decrypted with the passphrase (prompt or AVISO_PASSPHRASE).
pub fn load_secret(home: &Path) -> Result<SecretKey> {
    let kf = read_key_file(home)?;
    let pass = passphrase(
        &format!("Passphrase for signing key {}: ", kf.public().fingerprint()),
        Confirm::Once,
    )?;
    kf.open(pass.as_bytes())
        .map_err(|e| open_error(&key_path(home), e))
}

/// The member's public key (no passphrase needed).
pub fn load_public(home: &Path) -> Result<PublicKey> {
    Ok(read_key_file(home)?.public())
}

/// Replace a file atomically with mode 0600: a temporary file beside it, synced, renamed.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let mut rnd = [0u8; 6];
    getrandom::fill(&mut rnd).map_err(|e| anyhow!("cannot get random bytes: {e}"))?;
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        hex::encode(rnd)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Draw `text` as a QR code with Unicode half blocks (two modules per character cell).
pub(crate) fn qr_text(text: &str) -> Result<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| anyhow!("cannot draw a QR code of this text: {e}"))?;
    // Drawn light-on-dark: the half blocks are the light modules and the quiet zone.
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Print a QR code of `text` on stdout. On a colour terminal the colours are set, so it
/// reads the same on light and dark backgrounds.
pub(crate) fn print_qr(text: &str) -> Result<()> {
    let art = qr_text(text)?;
    let colour = crate::output::colour();
    for line in art.lines() {
        if colour {
            println!("\x1b[97;40m{line}\x1b[0m");
        } else {
            println!("{line}");
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct IdReply {
    public_key: PublicKey,
    fingerprint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home: Option<String>,
}

/// Set up the node's files: data directory, node key, API token. A node running on this
/// home already has them; then nothing is touched.
fn set_up_node_files(dir: &Path) -> Result<bool> {
    match Home::open(dir) {
        Ok(home) => {
            home.node_keypair()?;
            home.api_token()?;
            Ok(true)
        }
        Err(HomeError::Locked { .. }) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// `aviso init`.
pub async fn init(cli: &Cli, a: &InitArgs) -> Result<()> {
    let dir = cli.home_dir();
    let path = key_path(&dir);
    let exists = path.exists();
    if exists && !a.force {
        bail!(
            "{} already exists; keep it, or run `aviso init --force` to make a new signing key",
            path.display()
        );
    }
    // Asked first, so a missing terminal or a typo leaves nothing half done.
    let pass = passphrase("Choose a passphrase for your signing key: ", Confirm::Twice)?;
    if pass.chars().count() < 8 {
        eprintln!(
            "note: a passphrase shorter than 8 characters protects the key poorly if this device is taken"
        );
    }
    let node_files = set_up_node_files(&dir)?;
    if !node_files {
        eprintln!(
            "a node is running on {}: its files are left as they are; only the signing key is made",
            dir.display()
        );
    }
    let config = HomePaths::new(&dir).config_path();
    if !config.exists() {
        write_private(&config, DEFAULT_CONFIG_TOML.as_bytes())?;
    }
    let mut seed = Zeroizing::new([0u8; SEED_BYTES]);
    getrandom::fill(seed.as_mut()).map_err(|e| anyhow!("cannot get random bytes: {e}"))?;
    let secret = SecretKey::from_seed(&seed);
    let mut salt = [0u8; SALT_BYTES];
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("cannot get random bytes: {e}"))?;
    getrandom::fill(&mut nonce).map_err(|e| anyhow!("cannot get random bytes: {e}"))?;
    let kf = KeyFile::seal(&secret, pass.as_bytes(), KdfCost::DEFAULT, salt, nonce)?;
    drop(pass);

    if exists {
        let backup = dir.join(format!(
            "{MEMBER_KEY_FILE}.{}.bak",
            crate::cmd::publish::now()
        ));
        std::fs::rename(&path, &backup)
            .with_context(|| format!("cannot move the old key aside to {}", backup.display()))?;
        eprintln!("the old key file is kept as {}", backup.display());
    }
    write_private(&path, kf.to_text().as_bytes())?;

    let public = kf.public();
    if cli.json {
        return crate::output::json(&IdReply {
            public_key: public,
            fingerprint: public.fingerprint(),
            home: Some(dir.display().to_string()),
        });
    }
    let s = crate::output::Style::stdout();
    println!("Your signing key: {}", s.bold(&public.fingerprint()));
    println!("  public key {public}");
    println!("  stored encrypted in {}", path.display());
    println!();
    println!("Next:");
    println!("  organizers: aviso community create --name \"Your group\"");
    println!("  members:    aviso community join INVITE   (the code an organizer gives you)");
    println!("  then:       aviso node                    (keep it running)");
    println!("Give an organizer your fingerprint and public key (`aviso id --qr`) to be listed.");
    Ok(())
}

/// `aviso id`.
pub async fn id(cli: &Cli, a: &IdArgs) -> Result<()> {
    let public = load_public(&cli.home_dir())?;
    if cli.json {
        return crate::output::json(&IdReply {
            public_key: public,
            fingerprint: public.fingerprint(),
            home: None,
        });
    }
    let s = crate::output::Style::stdout();
    println!("fingerprint {}", s.bold(&public.fingerprint()));
    println!("public key  {public}");
    if a.qr {
        println!();
        // Upper case fits the QR code's compact alphanumeric mode; keys parse either way.
        print_qr(&public.to_hex().to_ascii_uppercase())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cheap parameters, for tests only: 8 KiB, one pass.
    const FAST: KdfCost = KdfCost {
        m_cost_kib: 8,
        t_cost: 1,
        p_cost: 1,
    };

    fn sealed(pass: &str) -> (SecretKey, KeyFile) {
        let secret = SecretKey::from_seed(&[7; 32]);
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
        let msg = open_error(Path::new("/h/member.key"), OpenError::WrongPassphrase).to_string();
        assert!(
            msg.starts_with("wrong passphrase for /h/member.key"),
            "{msg}"
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
        bad.public_key = SecretKey::from_seed(&[8; 32]).public();
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
    fn files_are_private_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let (secret, kf) = sealed("pw");
        let path = key_path(tmp.path());
        let err = load_public(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("run `aviso init`"), "{err}");
        write_private(&path, kf.to_text().as_bytes()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(load_public(tmp.path()).unwrap(), secret.public());
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, [MEMBER_KEY_FILE]);
    }

    #[test]
    fn default_cost_is_valid() {
        let c = KdfCost::DEFAULT;
        assert!(Params::new(c.m_cost_kib, c.t_cost, c.p_cost, Some(32)).is_ok());
        assert!(c.m_cost_kib <= MAX_M_COST_KIB);
    }

    #[test]
    fn qr_draws() {
        let art = qr_text(&"AB".repeat(32)).unwrap();
        assert!(art.lines().count() > 10);
        assert!(art.contains('█') || art.contains('▀') || art.contains('▄'));
    }
}
