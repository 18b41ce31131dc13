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
#[command(args_conflicts_with_subcommands = true)]
pub struct WebArgs {
    /// Also open the link in this computer's default browser.
    #[arg(long)]
    pub open: bool,
    /// Phones on the home network.
    #[command(subcommand)]
    pub cmd: Option<WebCmd>,
}

/// `aviso web pair | devices | revoke`: phones on the home network.
#[derive(Debug, clap::Subcommand)]
pub enum WebCmd {
    /// Pair a phone or tablet on your home network: a QR code with a one-time link.
    #[command(
        after_help = "The node must serve phones: `aviso node --lan`, or `lan = true` \
        under [web] in config.toml (`aviso web pair --enable` sets it). The code works once, \
        for 10 minutes. docs/phones.md explains how the phone trusts your node."
    )]
    Pair {
        /// Turn on serving phones in config.toml (then restart the node), instead of pairing.
        #[arg(long)]
        enable: bool,
    },
    /// List the paired devices.
    Devices,
    /// Unpair a device now: it is signed out at once.
    Revoke {
        /// The device's id, as `aviso web devices` shows it (8 hex characters).
        id: String,
    },
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

/// Print (and open) a one-time sign-in link for the web app, or run a subcommand.
pub async fn web(cli: &Globals, a: &WebArgs) -> Result<()> {
    match &a.cmd {
        Some(WebCmd::Pair { enable: true }) => return enable_lan(cli),
        Some(WebCmd::Pair { enable: false }) => return pair(cli).await,
        Some(WebCmd::Devices) => return devices(cli).await,
        Some(WebCmd::Revoke { id }) => return revoke(cli, id).await,
        None => {}
    }
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

/// `aviso web pair --enable`: `lan = true` under [web] in config.toml (an operational
/// setting: no need to unlock the home).
fn enable_lan(cli: &Globals) -> Result<()> {
    let (path, mut cfg) = aviso_node::Config::load_home_operational(&cli.home_dir())?;
    cfg.web.lan = true;
    cfg.save_operational(&path)?;
    println!(
        "Phones on the home network: on in {} (listening on {}). Restart the node, then run `aviso web pair`.",
        path.display(),
        cfg.web.lan_listen
    );
    Ok(())
}

/// `aviso web pair`: a one-time pairing link as a QR code, and the CA's fingerprint.
async fn pair(cli: &Globals) -> Result<()> {
    let api = connect(cli)?;
    let Some(reply) = api.web_pair().await? else {
        bail!(
            "this node does not serve phones on the home network; turn it on with \
             `aviso web pair --enable` (or `aviso node --lan`), restart the node, and run \
             `aviso web pair` again"
        );
    };
    if cli.json {
        return crate::output::json(&reply);
    }
    println!(
        "Scan this with the phone's camera (it works once, for {} minutes):",
        reply.expires_in_secs / 60
    );
    crate::render::print_qr(&reply.url)?;
    println!("Or open {}", reply.url);
    println!(
        "(or {} and type the code {})",
        reply.url.split('#').next().unwrap_or_default(),
        reply.code
    );
    println!();
    println!(
        "The phone's browser warns that it does not know the certificate until the phone \
         trusts your node. To trust it (for the installable app and offline use), install \
         {} and check that its SHA-256 fingerprint is exactly:",
        reply.ca_url
    );
    let pairs: Vec<&str> = reply.ca_fingerprint_text.split(' ').collect();
    for half in pairs.chunks(16) {
        println!("  {}", half.join(" "));
    }
    println!("Steps for Android and iPhone: docs/phones.md.");
    Ok(())
}

/// `aviso web devices`.
async fn devices(cli: &Globals) -> Result<()> {
    let api = connect(cli)?;
    let reply = api.web_devices().await?;
    if cli.json {
        return crate::output::json(&reply);
    }
    if reply.devices.is_empty() {
        println!("No device is paired. `aviso web pair` pairs a phone.");
        return Ok(());
    }
    let now = aviso_node::unix_now();
    let rows: Vec<Vec<crate::render::Cell>> = reply
        .devices
        .iter()
        .map(|d| {
            vec![
                d.id.clone().into(),
                crate::output::single_line(&d.name).into(),
                crate::render::rel(d.paired_at, now).into(),
                crate::render::rel(d.last_seen, now).into(),
            ]
        })
        .collect();
    for line in crate::render::table(
        crate::output::Style::stdout(),
        &["ID", "NAME", "PAIRED", "LAST USED"],
        &rows,
    ) {
        println!("{line}");
    }
    Ok(())
}

/// `aviso web revoke ID`.
async fn revoke(cli: &Globals, id: &str) -> Result<()> {
    if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("device ids are 8 hex characters, like 3fa9c01e; see them with `aviso web devices`");
    }
    let api = connect(cli)?;
    let reply = api.web_revoke(&id.to_ascii_lowercase()).await?;
    if cli.json {
        return crate::output::json(&reply);
    }
    println!(
        "Revoked {} ({}): it is signed out now. Pair it again with `aviso web pair`.",
        reply.revoked.id,
        crate::output::single_line(&reply.revoked.name)
    );
    Ok(())
}
