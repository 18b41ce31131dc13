//! `aviso node`: run the daemon in the foreground.

use anyhow::{Context, Result};
use aviso_node::config::Config;
use aviso_node::home::Home;
use clap::Args;

use crate::args::Globals;

/// Options of `aviso node`. Flags override `AVISO_*` environment variables, which override
/// the config file (`config.toml` in the home), which overrides the built-in defaults.
#[derive(Debug, Args)]
pub struct NodeArgs {
    /// Listen address (multiaddr), repeatable, e.g. /ip4/0.0.0.0/tcp/7446.
    #[arg(long, value_name = "MULTIADDR")]
    pub listen: Vec<String>,
    /// Address of the local API, e.g. 127.0.0.1:7447 (port 0 picks a free one).
    #[arg(long, value_name = "ADDR")]
    pub api_listen: Option<String>,
    /// A peer to connect to (multiaddr ending in /p2p/<peer id>), repeatable.
    #[arg(long, value_name = "MULTIADDR")]
    pub bootstrap: Vec<String>,
    /// Do not look for peers on the local network (mDNS; off unless the config turns it on).
    #[arg(long)]
    pub no_mdns: bool,
    /// Look for peers on the local network (mDNS). This announces the node to everyone on
    /// the LAN.
    #[arg(long, conflicts_with = "no_mdns")]
    pub mdns: bool,
    /// Serve the community as a relay (on a machine others can reach: a VPS, a home with a
    /// forwarded port): relayed connections within limits, and rendezvous.
    #[arg(long)]
    pub relay: bool,
    /// Also serve the web app to paired phones over HTTPS on the home network (`[web]` in
    /// config.toml; pair a phone with `aviso web pair`).
    #[arg(long)]
    pub lan: bool,
    /// Unlock this node's encrypted data with the passphrase in FILE (first line), for
    /// starts with no terminal. Without it, a terminal start asks for the passphrase.
    #[arg(long, value_name = "FILE", env = "AVISO_PASSPHRASE_FILE")]
    pub passphrase_file: Option<std::path::PathBuf>,
    /// Unlock this node's encrypted data with a key file (at least 32 random bytes),
    /// created at the first start if missing: a start at boot with nobody at the keyboard.
    /// Whoever holds this file and the data directory can read it all: keep it elsewhere.
    /// A systemd credential named `aviso-data-key` works the same.
    #[arg(long, value_name = "FILE", env = "AVISO_KEY_FILE")]
    pub key_file: Option<std::path::PathBuf>,
}

/// Load the config for `home`, with the environment and `args` applied, and validate it.
pub fn config_with(home: &Home, args: &NodeArgs) -> Result<Config> {
    let mut cfg = Config::load(&home.config_path())?;
    if !args.listen.is_empty() {
        cfg.listen = args.listen.clone();
    }
    if let Some(a) = &args.api_listen {
        cfg.api_listen = a.clone();
    }
    cfg.bootstrap.extend(args.bootstrap.iter().cloned());
    if args.no_mdns {
        cfg.mdns = false;
    }
    if args.mdns {
        cfg.mdns = true;
    }
    if args.relay {
        cfg.reach.relay = true;
    }
    if args.lan {
        cfg.web.lan = true;
    }
    cfg.validate()?;
    Ok(cfg)
}

/// Run until Ctrl-C or SIGTERM.
pub async fn run(cli: &Globals, args: &NodeArgs) -> Result<()> {
    let dir = cli.home_dir();
    let mut home = Home::open(&dir)?;
    let secrets = crate::unlock::secrets(
        &dir,
        args.key_file.as_deref(),
        args.passphrase_file.as_deref(),
    )?;
    // First: the member's settings are sealed.
    home.unlock(&secrets)?;
    let cfg =
        config_with(&home, args).with_context(|| format!("in {}", home.config_path().display()))?;
    let (web, lan) = aviso_web::server::mounts();
    aviso_node::daemon::run_with_apps(
        home,
        cfg,
        Some(web),
        Some(lan),
        aviso_node::daemon::shutdown_signal(),
    )
    .await?;
    Ok(())
}
