//! The LAN listener: TLS in front of the web app's router, for axum's `serve`.
//!
//! Handshakes run in their own tasks, bounded in number and time, so a phone on a slow
//! link (or a neighbour who opens connections and sends nothing) never holds up the
//! others; finished ones are handed to the HTTP server in order of completion.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;

/// Handshakes in progress at once: a household's devices with room to spare. Beyond,
/// new connections wait in the kernel's backlog.
pub const MAX_HANDSHAKES: usize = 32;

/// Longest a TLS handshake may take: a phone on a weak Wi-Fi needs a second or two.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Finished handshakes waiting for the HTTP server.
const READY_QUEUE: usize = 16;

/// A TCP listener that yields TLS streams.
#[derive(Debug)]
pub struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TlsListener {
    /// Accept on `tcp`, completing handshakes with `config`.
    pub fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, ready) = mpsc::channel(READY_QUEUE);
        let acceptor = TlsAcceptor::from(config);
        let slots = Arc::new(Semaphore::new(MAX_HANDSHAKES));
        let task = tokio::spawn(async move {
            loop {
                let Ok(permit) = slots.clone().acquire_owned().await else {
                    return;
                };
                let (stream, peer) = match tcp.accept().await {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of file descriptors and the like: wait, as axum does.
                        tracing::debug!(error = %e, "lan accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        Ok(Ok(tls)) => {
                            let _ = tx.send((tls, peer)).await;
                        }
                        Ok(Err(e)) => {
                            tracing::debug!(%peer, error = %e, "lan tls handshake failed")
                        }
                        Err(_) => tracing::debug!(%peer, "lan tls handshake timed out"),
                    }
                });
            }
        });
        Ok(TlsListener { ready, local, task })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(x) => x,
            // The accept task ended (the runtime is shutting down): nothing more comes.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Serve `app` over TLS on `listener` until `shutdown`.
pub async fn serve(
    listener: TcpListener,
    config: ServerConfig,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = TlsListener::new(listener, Arc::new(config))?;
    axum::serve(tls, app).with_graceful_shutdown(shutdown).await
}

/// The addresses phones reach a listener on `listen` at: that address when it is a
/// specific one, else the address this machine reaches its network with (the one its
/// default route leaves from), if any.
pub fn lan_addresses(listen: SocketAddr) -> Vec<IpAddr> {
    if !listen.ip().is_unspecified() {
        return vec![listen.ip()];
    }
    primary_address(listen.is_ipv6()).into_iter().collect()
}

/// The source address of the default route. Connecting a UDP socket sends nothing; it
/// only asks the kernel which address a packet would leave from.
fn primary_address(v6: bool) -> Option<IpAddr> {
    // Documentation addresses (RFC 5737, RFC 3849): never a real peer.
    let (bind, probe) = if v6 {
        ("[::]:0", "[2001:db8::1]:9")
    } else {
        ("0.0.0.0:0", "192.0.2.1:9")
    };
    let s = std::net::UdpSocket::bind(bind).ok()?;
    s.connect(probe).ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specific_address_is_kept() {
        let a: SocketAddr = "127.0.0.1:7448".parse().unwrap();
        assert_eq!(lan_addresses(a), vec![a.ip()]);
        let any: SocketAddr = "0.0.0.0:7448".parse().unwrap();
        for ip in lan_addresses(any) {
            assert!(!ip.is_loopback() && !ip.is_unspecified());
        }
    }
}
