//! Phones on the home network: the web app over HTTPS on the node's LAN address, opt-in
//! (`[web] lan = true` or `aviso node --lan`).
//!
//! - [`ca`]: the node's own CA, name-constrained to its LAN addresses, and the leaf.
//! - [`pairing`]: one-time pairing codes and the paired devices.
//! - [`serve`]: the TLS listener in front of the web app's LAN router.
//!
//! The local API never listens here: the LAN router (built by `aviso-web`) serves only the
//! pages, their assets and live updates, the pairing page and the CA download, and every
//! page needs a paired device's cookie.

pub mod ca;
pub mod pairing;
pub mod serve;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

pub use ca::{CaError, LanCerts};
pub use pairing::{Device, PairError, Pairing};

use crate::api::{ApiState, WebMount};

/// What the LAN listener serves, once it runs.
#[derive(Debug, Clone)]
pub struct Served {
    /// The bound address.
    pub addr: SocketAddr,
    /// The addresses the certificate names (where phones reach the node).
    pub ips: Vec<IpAddr>,
    /// The CA certificate (DER), for the "trust this node" download.
    pub ca_der: Arc<Vec<u8>>,
    /// SHA-256 of the CA certificate.
    pub ca_fingerprint: [u8; 32],
}

impl Served {
    /// `host:port` values phones send in `Host`, lower case.
    pub fn hosts(&self) -> Vec<String> {
        self.ips
            .iter()
            .map(|ip| SocketAddr::new(*ip, self.addr.port()).to_string())
            .collect()
    }

    /// `https://host:port` of the first address.
    pub fn base_url(&self) -> String {
        let host = self.hosts().into_iter().next().unwrap_or_default();
        format!("https://{host}")
    }
}

/// The LAN side's shared state: pairing, and what the listener serves.
#[derive(Debug, Default)]
pub struct Lan {
    /// Pairing codes and paired devices.
    pub pairing: Pairing,
    served: RwLock<Option<Served>>,
}

impl Lan {
    /// What the listener serves; `None` while it is off.
    pub fn served(&self) -> Option<Served> {
        self.served
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_served(&self, s: Served) {
        *self.served.write().unwrap_or_else(|p| p.into_inner()) = Some(s);
    }
}

/// Why the LAN listener could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LanError {
    /// The port.
    #[error(
        "cannot serve phones on {addr}: {source} (set `lan_listen` under [web] in config.toml or AVISO_WEB_LAN_LISTEN)"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// No LAN address was found.
    #[error(
        "no LAN address found for {addr} (is this machine on a network? set `lan_listen` under [web] to its LAN address)"
    )]
    NoAddress {
        /// The configured address.
        addr: SocketAddr,
    },
    /// The certificates.
    #[error(transparent)]
    Ca(#[from] CaError),
}

/// Bind `addr`, make or load the certificates in `home/lan/`, record what is served in
/// `state.lan`, and serve `mount`'s router over TLS until `stop` is true. The bound
/// address and the server's task.
pub async fn start(
    home: &Path,
    addr: SocketAddr,
    state: ApiState,
    mount: WebMount,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>), LanError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| LanError::Bind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| LanError::Bind { addr, source })?;
    let ips = serve::lan_addresses(bound);
    if ips.is_empty() {
        return Err(LanError::NoAddress { addr });
    }
    let dir = home.join("lan");
    let certs = tokio::task::spawn_blocking(move || ca::ensure(&dir, &ips, SystemTime::now()))
        .await
        .map_err(|e| CaError::Read {
            path: home.join("lan"),
            source: std::io::Error::other(e),
        })??;
    let current = ca::CurrentCert::new(certs.certified_key()?);
    let config = ca::server_config(current.clone())?;
    announce(&state.lan, bound, &certs);
    tokio::spawn(renew(
        home.join("lan"),
        bound,
        state.lan.clone(),
        current,
        certs.leaf_der,
        stop.clone(),
    ));
    let app = mount(state, bound, stop.clone());
    let mut stop = stop;
    let task = tokio::spawn(serve::serve(listener, config, app, async move {
        let _ = stop.wait_for(|v| *v).await;
    }));
    Ok((bound, task))
}

/// How often the node looks at its LAN address and its leaf's age: a DHCP lease that moves
/// the address is noticed within this time; the leaf is renewed a month before its end.
pub const RENEW_CHECK: Duration = Duration::from_secs(5 * 60);

/// Record what is served, and say so in the log.
fn announce(lan: &Lan, bound: SocketAddr, certs: &LanCerts) {
    let served = Served {
        addr: bound,
        ips: certs.ips.clone(),
        ca_fingerprint: certs.ca_fingerprint(),
        ca_der: Arc::new(certs.ca_der.clone()),
    };
    if certs.new_ca {
        tracing::info!(
            ca = %ca::fingerprint_text(&served.ca_fingerprint),
            "made a new certificate authority for phones: each phone must trust it (again)"
        );
    }
    tracing::info!(url = %served.base_url(), "serving the web app to paired phones");
    lan.set_served(served);
}

/// Every [`RENEW_CHECK`], a new leaf (and CA) when the address changed or the leaf nears
/// its end, presented from the next handshake on.
async fn renew(
    dir: PathBuf,
    bound: SocketAddr,
    lan: Arc<Lan>,
    current: Arc<ca::CurrentCert>,
    mut leaf: Vec<u8>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.wait_for(|v| *v) => return,
            _ = tokio::time::sleep(RENEW_CHECK) => {}
        }
        let ips = serve::lan_addresses(bound);
        if ips.is_empty() {
            continue;
        }
        let d = dir.clone();
        let certs = match tokio::task::spawn_blocking(move || {
            ca::ensure(&d, &ips, SystemTime::now())
        })
        .await
        {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "cannot renew the LAN certificate");
                continue;
            }
            Err(_) => continue,
        };
        if certs.leaf_der == leaf {
            continue;
        }
        match certs.certified_key() {
            Ok(key) => {
                current.set(key);
                announce(&lan, bound, &certs);
                leaf = certs.leaf_der;
            }
            Err(e) => tracing::warn!(error = %e, "cannot use the renewed LAN certificate"),
        }
    }
}
