//! `aviso web`, `aviso unlock`, `aviso lock`: the web app and the node's key agent.

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;

use crate::api_client::{Api, not_running};
use crate::args::Globals;
use crate::sign::{self, Confirm};

/// Options of `aviso web`.
#[derive(Debug, Args)]
#[command(
    after_help = "The link signs one browser on this computer in to the web app that your \
    node serves; it works once, for 5 minutes. The browser then stays signed in until the \
    node restarts or you sign out."
)]
pub struct WebArgs {
    /// Also open the link in this computer's default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Serialize)]
struct LinkReply {
    url: String,
    expires_in_secs: u64,
}

fn connect(cli: &Globals) -> Result<Api> {
    Api::connect(&cli.home_dir()).map_err(|e| {
        if not_running(&e) {
            anyhow::anyhow!("{e}; start it with `aviso node` first")
        } else {
            e
        }
    })
}

/// Print (and open) a one-time sign-in link for the web app.
pub async fn web(cli: &Globals, a: &WebArgs) -> Result<()> {
    let api = connect(cli)?;
    let link = api.web_signin().await?;
    if a.open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        if let Err(e) = std::process::Command::new(opener)
            .arg(&link.url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
        {
            eprintln!("cannot open a browser ({opener}: {e}); open the link yourself");
        }
    }
    if cli.json {
        return crate::output::json(&LinkReply {
            url: link.url,
            expires_in_secs: link.expires_in_secs,
        });
    }
    println!(
        "Open this link in a browser on this computer (it works once, for {} minutes):",
        link.expires_in_secs / 60
    );
    println!("{}", link.url);
    Ok(())
}

/// Unlock the signing key into the node's key agent.
pub async fn unlock(cli: &Globals) -> Result<()> {
    let home = cli.home_dir();
    let api = connect(cli)?;
    let public = sign::load_public(&home)?;
    let pass = sign::passphrase(
        &format!("Passphrase for signing key {}: ", public.fingerprint()),
        Confirm::Once,
    )?;
    let reply = api
        .unlock(&pass)
        .await
        .context("the node did not unlock the key")?;
    if cli.json {
        return crate::output::json(&reply);
    }
    let minutes = reply.locks_in_secs.unwrap_or(0).div_ceil(60);
    if !reply.unlocked {
        bail!("the node did not unlock the key");
    }
    println!(
        "Unlocked {} in the node: the web app can sign for {minutes} minutes after its last use. `aviso lock` locks it now.",
        public.fingerprint()
    );
    Ok(())
}

/// Lock the node's key agent now.
pub async fn lock(cli: &Globals) -> Result<()> {
    let api = connect(cli)?;
    let reply = api.lock().await?;
    if cli.json {
        return crate::output::json(&reply);
    }
    println!("Locked: the node holds no signing key.");
    Ok(())
}
