//! Where the secrets that unlock a home's data key come from: a key file, a systemd
//! credential, a passphrase file, `AVISO_PASSPHRASE`, or the terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use aviso_node::at_rest::{self, CREDENTIAL_NAME, Secret};
use zeroize::Zeroizing;

use crate::sign::{Confirm, PASSPHRASE_ENV, passphrase};

/// Every secret offered for the home `dir`; asks on the terminal when none is given.
/// Fails with what to do when there is none and no terminal.
pub fn secrets(
    dir: &Path,
    key_file: Option<&Path>,
    passphrase_file: Option<&Path>,
) -> Result<Vec<Secret>> {
    let mut out = Vec::new();
    if let Some(k) = key_file {
        out.push(Secret::KeyFile(k.to_path_buf()));
    }
    if let Some(creds) = std::env::var_os("CREDENTIALS_DIRECTORY") {
        let c = Path::new(&creds).join(CREDENTIAL_NAME);
        if c.is_file() {
            out.push(Secret::KeyFile(c));
        }
    }
    if let Some(p) = passphrase_file {
        let text = Zeroizing::new(
            std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the passphrase file {}", p.display()))?,
        );
        let line = text.lines().next().unwrap_or("");
        if line.is_empty() {
            return Err(anyhow!(
                "the passphrase file {} is empty; put the passphrase on its first line",
                p.display()
            ));
        }
        out.push(Secret::Passphrase(Zeroizing::new(line.as_bytes().to_vec())));
    }
    let new = !at_rest::is_encrypted(dir);
    // On a terminal the first start always asks for a passphrase too, even with a key
    // file: it is how the member gets in if the key file is lost.
    if std::env::var_os(PASSPHRASE_ENV).is_some()
        || ((out.is_empty() || new) && std::io::stdin().is_terminal())
    {
        let (prompt, confirm) = if new {
            (
                "New passphrase for this node's encrypted data: ",
                Confirm::Twice,
            )
        } else {
            ("Passphrase for this node's encrypted data: ", Confirm::Once)
        };
        let p = passphrase(prompt, confirm)?;
        out.push(Secret::Passphrase(Zeroizing::new(p.as_bytes().to_vec())));
    }
    if out.is_empty() {
        return Err(at_rest::AtRestError::NoSecret {
            dir: dir.to_path_buf(),
        }
        .into());
    }
    Ok(out)
}

/// Unlock the data key of the home `dir` in this process, for its sealed files (the
/// trust-list draft, the node key) that a command reads or writes itself: from
/// `AVISO_KEY_FILE`, `AVISO_PASSPHRASE_FILE`, a systemd credential, `AVISO_PASSPHRASE` or
/// the terminal, as the node does. Nothing to do for a home that has no data key yet.
/// The duress passphrase wipes the home (in [`at_rest::unlock`]) and stops its running
/// node, and fails like a wrong passphrase.
pub async fn unlock_files(dir: &Path) -> Result<()> {
    if !at_rest::is_encrypted(dir) || at_rest::is_unlocked(dir) {
        return Ok(());
    }
    let from_env = |name: &str| std::env::var_os(name).map(PathBuf::from);
    let secrets = secrets(
        dir,
        from_env("AVISO_KEY_FILE").as_deref(),
        from_env("AVISO_PASSPHRASE_FILE").as_deref(),
    )?;
    // Before: a wipe removes the token that reaches the running node.
    let node = aviso_node::api::ApiClient::connect(dir).ok();
    let unlocked = at_rest::unlock(dir, &secrets);
    if unlocked.is_err() && !at_rest::is_encrypted(dir) {
        crate::cmd::panic::stop_wiped(node).await;
    }
    unlocked?;
    Ok(())
}

/// [`unlock_files`] when the member's private settings (the community, followed lists,
/// areas, languages) are in a sealed file, for a command that reads them; a command that
/// writes them calls [`unlock_files`].
pub async fn unlock_settings(dir: &Path) -> Result<()> {
    if aviso_node::home::HomePaths::new(dir)
        .settings_path()
        .exists()
    {
        unlock_files(dir).await?;
    }
    Ok(())
}
