//! `aviso panic`: the panic wipe, and setting the duress passphrase.

use anyhow::{Context, Result, bail};
use aviso_node::at_rest;
use clap::Args;
use zeroize::Zeroizing;

use crate::args::Globals;
use crate::sign::{Confirm, passphrase};

/// Options of `aviso panic`.
#[derive(Debug, Args)]
pub struct PanicArgs {
    /// Really destroy everything now. Required: there is no undo and no question asked.
    #[arg(long, conflicts_with = "set_duress")]
    pub now: bool,
    /// Instead of wiping, set a duress passphrase: entering it where the node asks for
    /// its passphrase wipes the home silently, then fails like a wrong passphrase. Asks for
    /// the passphrase (or uses the key file) that unlocks the home, then for the duress
    /// passphrase twice, or reads it from FILE's first line (`-` asks).
    #[arg(long, value_name = "FILE")]
    pub set_duress: Option<std::path::PathBuf>,
    /// The key file that unlocks the home (to prove the right to set a duress passphrase).
    #[arg(long, value_name = "FILE", env = "AVISO_KEY_FILE")]
    pub key_file: Option<std::path::PathBuf>,
    /// The file holding the passphrase that unlocks the home.
    #[arg(long, value_name = "FILE", env = "AVISO_PASSPHRASE_FILE")]
    pub passphrase_file: Option<std::path::PathBuf>,
}

/// Run `aviso panic`.
pub async fn run(cli: &Globals, args: &PanicArgs) -> Result<()> {
    let dir = cli.home_dir();
    if let Some(file) = &args.set_duress {
        let secrets = crate::unlock::secrets(
            &dir,
            args.key_file.as_deref(),
            args.passphrase_file.as_deref(),
        )?;
        let duress = if file.as_os_str() == "-" {
            let p = passphrase("Duress passphrase: ", Confirm::Twice)?;
            Zeroizing::new(p.as_bytes().to_vec())
        } else {
            let text = Zeroizing::new(
                std::fs::read_to_string(file)
                    .with_context(|| format!("cannot read {}", file.display()))?,
            );
            Zeroizing::new(text.lines().next().unwrap_or("").as_bytes().to_vec())
        };
        if duress.is_empty() {
            bail!("the duress passphrase is empty; choose one");
        }
        at_rest::set_duress(&dir, &secrets, &duress)?;
        println!("Duress passphrase set.");
        return Ok(());
    }
    if !args.now {
        bail!("`aviso panic` destroys this node's keys and data for good: run `aviso panic --now`");
    }
    wipe_now(&dir).await;
    Ok(())
}

/// Wipe the home `dir`: the running node wipes and stops; then the same again here, for
/// a node that is not running or did not answer. Prints nothing.
pub async fn wipe_now(dir: &std::path::Path) {
    stop_wiped(aviso_node::api::ApiClient::connect(dir).ok()).await;
    at_rest::wipe(dir);
}

/// Have the running `node` (if any) wipe its home and stop, waiting a little at most.
pub async fn stop_wiped(node: Option<aviso_node::api::ApiClient>) {
    if let Some(api) = node {
        let _ = tokio::time::timeout(PANIC_API_WAIT, api.panic()).await;
    }
}

/// How long `aviso panic` waits for the running node before wiping the home itself: the
/// node's wipe takes milliseconds; a node that does not answer by then is not waited for.
const PANIC_API_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
