//! The daemon: opens the home, the store and the swarm, serves the local API, collects
//! garbage on a timer, and shuts down cleanly.

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use aviso_protocol::FeedSettings;
use tokio::sync::{broadcast, watch};
use tracing::{info, warn};

use crate::agent::KeyAgent;
use crate::api::{self, ApiState};
use crate::config::{Config, ConfigError};
use crate::home::{Home, HomeError};
use crate::net::{self, NetConfig};
use crate::pipeline::Pipeline;
use crate::store::{SealedStore, Store, StoreError};

/// Events buffered for slow listeners (API streams) before they lag.
const EVENT_BUFFER: usize = 1_024;
/// How long idle connections stay open: long enough that peers outside the gossip mesh
/// are not dropped (the libp2p default of 10 s would drop them).
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// Why the daemon could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DaemonError {
    /// The data directory.
    #[error(transparent)]
    Home(#[from] HomeError),
    /// The configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The store.
    #[error("{0} (if the data directory is damaged, move it aside and `aviso import` a backup)")]
    Store(#[from] StoreError),
    /// The network.
    #[error(transparent)]
    Net(#[from] net::SpawnError),
    /// The home was not unlocked before the node started.
    #[error("the home is locked: unlock its data key first (a passphrase or a key file)")]
    Locked,
    /// A peer port is taken.
    #[error(
        "cannot listen for peers on {addr}: {source} (is another aviso node running with that port? stop it, or give this one another port with `listen` in config.toml or --listen)"
    )]
    PortInUse {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The web app's LAN listener.
    #[error(transparent)]
    Lan(#[from] crate::lan::LanError),
    /// The local API.
    #[error(
        "cannot serve the local API on {addr}: {source} (is another node using it? set `api_listen` or --api-listen)"
    )]
    Api {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Run a node on `home` with `config` until `shutdown` completes.
pub async fn run(
    home: Home,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DaemonError> {
    run_with_web(home, config, None, shutdown).await
}

/// [`run`], serving the web app's pages (`web`) beside the local API.
pub async fn run_with_web(
    home: Home,
    config: Config,
    web: Option<api::WebMount>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DaemonError> {
    run_with_apps(home, config, web, None, shutdown).await
}

/// [`run_with_web`], also serving `lan` (the web app's router for paired phones) over
/// HTTPS on `[web] lan_listen` when `[web] lan` is on.
pub async fn run_with_apps(
    home: Home,
    config: Config,
    web: Option<api::WebMount>,
    lan: Option<api::WebMount>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), DaemonError> {
    config.validate()?;
    let community = config.community()?;
    let keypair = home.node_keypair()?;
    let peer_id = keypair.public().to_peer_id();
    let token = home.api_token()?;
    // One store per community: envelopes of a community this node left must never be
    // served to (and refused by) the peers of the new one.
    let seal = home.seal().ok_or(DaemonError::Locked)?;
    let store = Arc::new(SealedStore::open_in_home(&home, &seal, community.as_ref())?);
    let dyn_store: Arc<dyn Store> = store.clone();
    let (events, _) = broadcast::channel(EVENT_BUFFER);
    let pipeline = Pipeline::new(dyn_store.clone(), community.clone(), events.clone())?;

    let mut bootstrap = config.bootstrap_addrs()?;
    if let Some(c) = &community {
        bootstrap.extend(c.bootstrap.iter().filter_map(|a| a.parse().ok()));
    }
    bootstrap.retain(|a| net::Client::peer_of(a) != Some(peer_id));
    bootstrap.dedup();
    let net_cfg = NetConfig {
        listen: config.listen_addrs()?,
        bootstrap,
        mdns: config.mdns,
        max_peers: config.max_peers,
        idle_timeout: IDLE_TIMEOUT,
        sync_interval: Duration::from_secs(config.sync_interval_secs),
        gossip: Default::default(),
        reach: net::ReachConfig {
            relay_server: config.reach.relay,
            upnp: config.reach.upnp,
            private_addresses: config.reach.private_addresses,
            // Never above the connection limit.
            target_peers: config.reach.target_peers.min(config.max_peers) as usize,
            discovery_interval: Duration::from_secs(config.reach.discovery_interval_secs),
        },
        stem: net::StemConfig {
            enabled: config.stem,
            ..Default::default()
        },
        sync2: true,
    };
    check_tcp_ports_free(&net_cfg.listen)?;
    let (client, net_task) = net::spawn(keypair, net_cfg, pipeline.clone(), events)?;

    let api_addr = config.api_addr()?;
    let listener = tokio::net::TcpListener::bind(api_addr)
        .await
        .map_err(|source| DaemonError::Api {
            addr: api_addr.to_string(),
            source,
        })?;
    let bound = listener.local_addr().map_err(|source| DaemonError::Api {
        addr: api_addr.to_string(),
        source,
    })?;
    home.write_api_addr(bound)?;
    let settings = match &community {
        Some(c) => config.feed_settings(c),
        None => FeedSettings::default(),
    };
    let state = ApiState::new(
        client.clone(),
        dyn_store.clone(),
        Arc::new(RwLock::new(settings)),
        token,
        peer_id,
        community.clone(),
    )
    .with_agent(
        KeyAgent::new(Duration::from_secs(config.key_agent_idle_secs)),
        home.dir().to_path_buf(),
    )
    .with_seal(seal.clone());
    // A panic anywhere leaves no unlocked key behind; the idle timer locks an unused one.
    state.agent.lock_on_panic();
    let agent_timer = state.agent.spawn_idle_timer();
    let agent = state.agent.clone();
    let (stop_tx, stop_rx) = watch::channel(false);
    let lan_task = match lan.filter(|_| config.web.lan) {
        Some(mount) => Some(
            crate::lan::start(
                home.dir(),
                config.lan_addr()?,
                state.clone(),
                mount,
                stop_rx.clone(),
            )
            .await?
            .1,
        ),
        None => None,
    };
    let api_stop = wait_true(stop_rx.clone());
    let api_task = tokio::spawn(api::serve_with_web(listener, state, web, api_stop));
    let gc_task = tokio::spawn(collect_garbage(
        dyn_store.clone(),
        Duration::from_secs(config.gc_interval_secs),
        wait_true(stop_rx),
    ));
    // What the CLI queued while the node was down is sealed to the inbox.
    let inbox = crate::at_rest::ensure_inbox(home.dir())
        .inspect_err(|e| warn!(error = %e, "cannot open the inbox key; sealed outbox items wait"))
        .ok();
    tokio::spawn(send_outbox(
        home.paths().outbox_dir(),
        client.clone(),
        inbox,
    ));
    match &community {
        Some(c) => info!(peer_id = %peer_id, api = %bound, community = %c.name, "node ready"),
        None => {
            warn!(peer_id = %peer_id, api = %bound, "node ready, but it has joined no community: it will relay nothing (see `aviso community join`)")
        }
    }

    let home_dir = home.dir().to_path_buf();
    tokio::select! {
        _ = shutdown => {}
        _ = crate::at_rest::stop_requested(&home_dir) => {}
    }
    info!("shutting down");
    agent.lock();
    agent_timer.abort();
    let _ = stop_tx.send(true);
    let _ = client.shutdown().await;
    let _ = net_task.await;
    match api_task.await {
        Ok(Err(e)) => warn!(error = %e, "api server ended with an error"),
        Err(e) => warn!(error = %e, "api task failed"),
        Ok(Ok(())) => {}
    }
    let _ = gc_task.await;
    if let Some(task) = lan_task {
        let _ = task.await;
    }
    if let Err(e) = home.remove_api_addr() {
        warn!(error = %e, "cannot remove api.addr");
    }
    drop(pipeline);
    // Last: everything accepted is already flushed; this makes sure of it. After a panic
    // wipe there is nothing left to flush to.
    if !crate::at_rest::is_stop_requested(&home_dir) {
        store.flush()?;
    }
    info!("stopped");
    Ok(())
}

/// Most envelopes taken from the outbox at start-up.
const MAX_OUTBOX: usize = 10_000;

/// Refuse to start when a TCP port we would listen on is taken. libp2p's TCP transport
/// sets SO_REUSEPORT on its listeners, so a second node on an occupied port would bind
/// without error, log "listening", and take half of the first node's incoming connections.
/// A plain bind (SO_REUSEADDR only) fails on a port another socket listens on; the probe
/// is closed at once, before the swarm binds.
fn check_tcp_ports_free(listen: &[libp2p::Multiaddr]) -> Result<(), DaemonError> {
    use libp2p::multiaddr::Protocol;
    for addr in listen {
        let mut parts = addr.iter();
        let ip: std::net::IpAddr = match parts.next() {
            Some(Protocol::Ip4(ip)) => ip.into(),
            Some(Protocol::Ip6(ip)) => ip.into(),
            _ => continue,
        };
        let Some(Protocol::Tcp(port)) = parts.next() else {
            continue;
        };
        if port == 0 {
            continue;
        }
        std::net::TcpListener::bind((ip, port)).map_err(|source| DaemonError::PortInUse {
            addr: addr.to_string(),
            source,
        })?;
    }
    Ok(())
}

/// Publish what the CLI signed while the node was down (`HOME/outbox/`: `*.sealed` to the
/// inbox key, or `*.env` from before). Sent or already stored: removed. Refused: renamed
/// `*.refused`, with the reason in the log, so nothing is lost silently.
async fn send_outbox(
    dir: std::path::PathBuf,
    client: net::Client,
    inbox: Option<crate::at_rest::InboxKey>,
) {
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "env" || x == "sealed"))
        .take(MAX_OUTBOX)
        .collect();
    files.sort();
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) if crate::at_rest::InboxKey::is_sealed(&b) => {
                match inbox.as_ref().and_then(|k| k.open(&b)) {
                    Some(plain) => plain.to_vec(),
                    None => {
                        warn!(path = %path.display(), "cannot open a sealed outbox file");
                        continue;
                    }
                }
            }
            Ok(b) => b,
            Err(e) => {
                warn!(path = %path.display(), error = %e, "cannot read outbox file");
                continue;
            }
        };
        match client.publish(bytes).await {
            Ok(outcome) if outcome.is_stored() => {
                info!(path = %path.display(), "sent from the outbox");
                let _ = std::fs::remove_file(&path);
            }
            Ok(outcome) => {
                warn!(path = %path.display(), ?outcome, "outbox envelope refused; kept as .refused");
                let _ = std::fs::rename(&path, path.with_extension("refused"));
            }
            Err(_) => return,
        }
    }
}

async fn wait_true(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}

/// Remove expired envelopes every `every`, until `stop`.
async fn collect_garbage(store: Arc<dyn Store>, every: Duration, stop: impl Future<Output = ()>) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => return,
            _ = tick.tick() => {
                let s = store.clone();
                match tokio::task::spawn_blocking(move || s.gc(crate::unix_now())).await {
                    Ok(Ok(0)) => {}
                    Ok(Ok(n)) => info!(removed = n, "collected expired envelopes"),
                    Ok(Err(e)) => warn!(error = %e, "garbage collection failed"),
                    Err(e) => warn!(error = %e, "garbage collection task failed"),
                }
            }
        }
    }
}

/// Completes on Ctrl-C, or SIGTERM on unix (what `systemctl stop` sends): the shutdown
/// future to give [`run`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
