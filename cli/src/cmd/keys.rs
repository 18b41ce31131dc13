//! `aviso init`, `aviso id`, and the member's encrypted key file.
//!
//! The file's format and its encryption are in `aviso_node::keyfile`, which the node's
//! key agent shares.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::config::DEFAULT_CONFIG_TOML;
use aviso_node::home::{Home, HomeError, HomePaths};
pub use aviso_node::keyfile::{
    KdfCost, KeyFile, MEMBER_KEY_FILE, OpenError, PASSPHRASE_ENV, ReadError,
};
use aviso_protocol::{PublicKey, SecretKey};
use clap::Args;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::Cli;

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

/// `HOME/member.key`.
pub fn key_path(home: &Path) -> PathBuf {
    home.join(MEMBER_KEY_FILE)
}

/// Read and parse the key file, with errors that say what to do.
fn read_key_file(home: &Path) -> Result<KeyFile> {
    let path = key_path(home);
    KeyFile::read(&path).map_err(|e| match e {
        ReadError::Missing => anyhow!("no signing key in {}: run `aviso init`", home.display()),
        ReadError::Io(why) => anyhow!("cannot read {}: {why}", path.display()),
        ReadError::TooLarge => anyhow!(
            "{} is too large to be a key file; restore it from a backup",
            path.display()
        ),
        ReadError::Open(e) => open_error(&path, e),
        e => anyhow!("{}: {e}", path.display()),
    })
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
        e => anyhow!("{}: {e}", path.display()),
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

/// The passphrase of the signing key, asked once (or from `AVISO_PASSPHRASE`).
pub fn ask_passphrase(prompt: &str) -> Result<Zeroizing<String>> {
    passphrase(prompt, Confirm::Once)
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
    let (_secret, kf) = KeyFile::create(pass.as_bytes(), KdfCost::DEFAULT)?;
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
    fn wrong_passphrase_names_the_file() {
        let msg = open_error(Path::new("/h/member.key"), OpenError::WrongPassphrase).to_string();
        assert!(
            msg.starts_with("wrong passphrase for /h/member.key"),
            "{msg}"
        );
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
    fn qr_draws() {
        let art = qr_text(&"AB".repeat(32)).unwrap();
        assert!(art.lines().count() > 10);
        assert!(art.contains('█') || art.contains('▀') || art.contains('▄'));
    }
}
