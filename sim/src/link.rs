//! Simulated links: an in-memory libp2p transport whose connections behave like TCP
//! over a path with fixed one-way latency and random segment loss, and that counts what
//! each node sends.
//!
//! # The link model
//!
//! A connection is a pair of one-way pipes. Each write is stamped with the time it
//! reaches the other end: `now + latency`, plus a retransmission delay when a segment of
//! it is lost, and never earlier than the write before it (TCP delivers in order, so a
//! lost segment holds up everything behind it on that connection: head-of-line blocking,
//! which yamux inherits for all its streams). The reader sees the bytes only from that
//! time on.
//!
//! Loss is drawn per TCP segment (`ceil(len / MSS)` segments per write; Nagle is off, as
//! libp2p sets `nodelay`). A lost segment costs one retransmission timeout,
//! `RTO = 200 ms + 2 × latency` (Linux's minimum RTO on top of the round trip), doubling
//! for each further loss of the same segment. This is the slow case: a sparse gossip
//! stream rarely has the three later segments that trigger fast retransmit, and we do not
//! model tail-loss probes, so real TCP would recover sooner, not later. ACKs are not
//! modelled (their loss costs a real stack little), nor is bandwidth (an alert is a few
//! hundred bytes; home uplinks move that in well under a millisecond).
//!
//! Connection setup costs one round trip (the SYN exchange) before the first byte; a dial
//! to a node that is down fails after that round trip, like a refused TCP connection.
//!
//! # What is counted
//!
//! - Bytes and segments each node writes into its connections: everything on the wire
//!   above TCP (noise frames, yamux, every protocol), without TCP/IP headers.
//! - Copies of each simulated alert that reach a node, found in the decrypted stream
//!   (between noise and yamux) by a marker that every simulated alert carries in its
//!   headline. Noise stays on, so the CPU cost of encryption is in the figures; the
//!   marker is how we see messages through it. A copy is counted whether gossip (a mesh
//!   push or an IWANT answer) or a sync fetch carried it.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use futures::future::{BoxFuture, FutureExt, TryFutureExt};
use futures::{AsyncRead, AsyncWrite};
use libp2p::core::muxing::StreamMuxerBox;
use libp2p::core::transport::{
    Boxed, DialOpts, ListenerId, Transport, TransportError, TransportEvent,
};
use libp2p::core::upgrade::{InboundConnectionUpgrade, OutboundConnectionUpgrade, UpgradeInfo};
use libp2p::multiaddr::Protocol;
use libp2p::{Multiaddr, PeerId, identity, noise, yamux};
use tokio::sync::mpsc;
use tokio::time::{Instant, Sleep};

use crate::rng::Rng;

/// Linux's minimum retransmission timeout (`TCP_RTO_MIN`).
pub const RTO_MIN: Duration = Duration::from_millis(200);
/// Segment payload of a 1500-byte Ethernet path with TCP timestamps.
pub const MSS: usize = 1448;
/// Bytes queued in one direction of one connection before the writer waits, like a
/// socket send buffer: bounds memory if a reader stalls.
pub const MAX_IN_FLIGHT: usize = 1 << 20;
/// Largest single write accepted at once; larger writes are split by the caller's retry.
const MAX_WRITE: usize = 64 * 1024;
/// Retransmissions of one segment before we stop adding backoff (a real stack would
/// give up on the connection around here).
const MAX_BACKOFFS: u32 = 6;
/// How long a connection may take to set up (noise and yamux), as libp2p's builder sets.
pub const CONNECTION_TIMEOUT: Duration = Duration::from_secs(10);

/// Every simulated alert carries this in its headline, followed by [`MARKER_DIGITS`]
/// decimal digits of its index, so copies can be counted in the decrypted stream.
pub const MARKER_PREFIX: &[u8] = "⚑sim".as_bytes();
/// Digits of the alert index after the prefix.
pub const MARKER_DIGITS: usize = 5;
const MARKER_LEN: usize = MARKER_PREFIX.len() + MARKER_DIGITS;

/// The headline marker of alert `index`.
pub fn marker(index: usize) -> String {
    format!(
        "{}{index:0width$}",
        std::str::from_utf8(MARKER_PREFIX).unwrap_or_default(),
        width = MARKER_DIGITS
    )
}

/// Latency and loss of every link.
#[derive(Debug, Clone, Copy)]
pub struct LinkModel {
    /// One-way delay.
    pub latency: Duration,
    /// Probability that one TCP segment is lost.
    pub loss: f64,
}

impl LinkModel {
    /// The retransmission timeout: minimum RTO plus the round trip.
    pub fn rto(&self) -> Duration {
        RTO_MIN + self.latency * 2
    }

    /// Extra delay of a write of `len` bytes from lost segments, and how many
    /// retransmissions it took.
    fn loss_delay(&self, len: usize, rng: &mut Rng) -> (Duration, u64) {
        if self.loss <= 0.0 {
            return (Duration::ZERO, 0);
        }
        let mut worst = Duration::ZERO;
        let mut retransmits = 0;
        for _ in 0..len.div_ceil(MSS).max(1) {
            let mut delay = Duration::ZERO;
            let mut k = 0;
            while k < MAX_BACKOFFS && rng.unit() < self.loss {
                delay += self.rto() * (1 << k);
                k += 1;
            }
            retransmits += u64::from(k);
            worst = worst.max(delay);
        }
        (worst, retransmits)
    }
}

/// What one node sent and received.
#[derive(Debug, Default)]
pub struct NodeStats {
    /// Bytes written into its connections (above TCP).
    pub bytes_sent: AtomicU64,
    /// TCP segments those bytes took.
    pub segments_sent: AtomicU64,
    /// Segments that had to be retransmitted.
    pub retransmits: AtomicU64,
    /// Copies of simulated alerts received.
    pub copies_received: AtomicU64,
}

/// A connection offered to a listener.
struct Incoming {
    pipe: Pipe,
    from: u64,
}

/// The shared medium: who listens on which port, the link model, the counters.
#[derive(Debug)]
pub struct Hub {
    model: LinkModel,
    seed: u64,
    listeners: Mutex<HashMap<u64, (u64, mpsc::UnboundedSender<Incoming>)>>,
    /// If set, the only links that exist: a dial from `a` to `b` is refused unless
    /// `reachable[a]` holds `b`.
    reachable: Option<Vec<Vec<usize>>>,
    next_token: AtomicU64,
    dials: Mutex<HashMap<(u64, u64), u64>>,
    /// Dials refused because no link exists (see `reachable`) or nobody listens.
    pub refused: AtomicU64,
    /// Per node.
    pub nodes: Vec<NodeStats>,
    /// Per alert: copies received by any node.
    pub copies: Vec<AtomicU64>,
}

impl std::fmt::Debug for Incoming {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Incoming")
            .field("from", &self.from)
            .finish()
    }
}

impl Hub {
    /// A medium for `nodes` nodes and `alerts` marked alerts. With `reachable`
    /// (sorted adjacency lists), only those links can be dialed, like peers behind NATs
    /// and firewalls that only their known neighbours reach; without, any node reaches
    /// any other.
    pub fn new(
        model: LinkModel,
        seed: u64,
        nodes: usize,
        alerts: usize,
        reachable: Option<Vec<Vec<usize>>>,
    ) -> Arc<Hub> {
        Arc::new(Hub {
            model,
            seed,
            listeners: Mutex::new(HashMap::new()),
            reachable,
            next_token: AtomicU64::new(1),
            dials: Mutex::new(HashMap::new()),
            refused: AtomicU64::new(0),
            nodes: (0..nodes).map(|_| NodeStats::default()).collect(),
            copies: (0..alerts).map(|_| AtomicU64::new(0)).collect(),
        })
    }

    /// The address node `node` listens on.
    pub fn addr(node: usize) -> Multiaddr {
        Multiaddr::empty().with(Protocol::Memory(node as u64 + 1))
    }

    /// Total bytes sent by all nodes.
    pub fn bytes_sent(&self) -> u64 {
        self.nodes
            .iter()
            .map(|n| n.bytes_sent.load(Ordering::Relaxed))
            .sum()
    }

    /// Totals of (bytes, segments, retransmits) over all nodes.
    pub fn totals(&self) -> (u64, u64, u64) {
        self.nodes.iter().fold((0, 0, 0), |(b, s, r), n| {
            (
                b + n.bytes_sent.load(Ordering::Relaxed),
                s + n.segments_sent.load(Ordering::Relaxed),
                r + n.retransmits.load(Ordering::Relaxed),
            )
        })
    }

    /// Copies of each alert received so far.
    pub fn copies(&self) -> Vec<u64> {
        self.copies
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .collect()
    }

    fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
        // Nothing panics while holding these locks; recover rather than cascade.
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn register(&self, port: u64, tx: mpsc::UnboundedSender<Incoming>) -> Result<u64, ()> {
        let mut l = Self::lock(&self.listeners);
        if l.contains_key(&port) {
            return Err(());
        }
        let token = self.next_token.fetch_add(1, Ordering::Relaxed);
        l.insert(port, (token, tx));
        Ok(token)
    }

    fn unregister(&self, port: u64, token: u64) {
        let mut l = Self::lock(&self.listeners);
        if l.get(&port).is_some_and(|(t, _)| *t == token) {
            l.remove(&port);
        }
    }

    /// An independent loss stream for the `n`th connection from `from` to `to`.
    fn link_rng(&self, from: u64, to: u64, direction: u64) -> Rng {
        let n = {
            let mut d = Self::lock(&self.dials);
            let c = d.entry((from, to)).or_insert(0);
            *c += 1;
            *c
        };
        Rng::derive(self.seed, &[0x11a1c, from, to, n, direction])
    }

    fn pipe_pair(self: &Arc<Self>, from: u64, to: u64) -> (Pipe, Pipe) {
        let forward = Arc::new(Mutex::new(Dir::default()));
        let back = Arc::new(Mutex::new(Dir::default()));
        let a = Pipe::new(
            self.clone(),
            port_node(from),
            forward.clone(),
            back.clone(),
            self.link_rng(from, to, 0),
        );
        let b = Pipe::new(
            self.clone(),
            port_node(to),
            back,
            forward,
            self.link_rng(from, to, 1),
        );
        (a, b)
    }

    /// Count the marked alerts in `data` received by `node`.
    fn count_marker(&self, node: usize, index: usize) {
        if let Some(c) = self.copies.get(index) {
            c.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(n) = self.nodes.get(node) {
            n.copies_received.fetch_add(1, Ordering::Relaxed);
        }
    }
}

fn port_node(port: u64) -> usize {
    port.saturating_sub(1) as usize
}

/// One direction of a connection.
#[derive(Default)]
struct Dir {
    queue: VecDeque<Chunk>,
    queued: usize,
    last_due: Option<Instant>,
    reader: Option<Waker>,
    writer: Option<Waker>,
    writer_closed: bool,
    reader_closed: bool,
}

struct Chunk {
    due: Instant,
    data: Vec<u8>,
    read: usize,
}

/// One end of a simulated TCP connection.
pub struct Pipe {
    hub: Arc<Hub>,
    node: usize,
    tx: Arc<Mutex<Dir>>,
    rx: Arc<Mutex<Dir>>,
    timer: Pin<Box<Sleep>>,
    rng: Rng,
}

impl std::fmt::Debug for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipe").field("node", &self.node).finish()
    }
}

impl Pipe {
    fn new(hub: Arc<Hub>, node: usize, tx: Arc<Mutex<Dir>>, rx: Arc<Mutex<Dir>>, rng: Rng) -> Pipe {
        Pipe {
            hub,
            node,
            tx,
            rx,
            timer: Box::pin(tokio::time::sleep(Duration::ZERO)),
            rng,
        }
    }
}

impl AsyncRead for Pipe {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        loop {
            let mut guard = Hub::lock(&this.rx);
            let dir = &mut *guard;
            let due = match dir.queue.front_mut() {
                None if dir.writer_closed => return Poll::Ready(Ok(0)),
                None => {
                    dir.reader = Some(cx.waker().clone());
                    return Poll::Pending;
                }
                Some(chunk) if chunk.due <= Instant::now() => {
                    let n = buf.len().min(chunk.data.len() - chunk.read);
                    buf[..n].copy_from_slice(&chunk.data[chunk.read..chunk.read + n]);
                    chunk.read += n;
                    if chunk.read == chunk.data.len() {
                        let len = chunk.data.len();
                        dir.queue.pop_front();
                        dir.queued -= len;
                        if let Some(w) = dir.writer.take() {
                            w.wake();
                        }
                    }
                    return Poll::Ready(Ok(n));
                }
                Some(chunk) => chunk.due,
            };
            drop(guard);
            this.timer.as_mut().reset(due);
            if this.timer.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
    }
}

impl AsyncWrite for Pipe {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let mut dir = Hub::lock(&this.tx);
        if dir.reader_closed || dir.writer_closed {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        if dir.queued >= MAX_IN_FLIGHT {
            dir.writer = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let n = buf.len().min(MAX_WRITE);
        if n == 0 {
            return Poll::Ready(Ok(0));
        }
        let model = this.hub.model;
        let (extra, retransmits) = model.loss_delay(n, &mut this.rng);
        let mut due = Instant::now() + model.latency + extra;
        if let Some(last) = dir.last_due {
            due = due.max(last);
        }
        dir.last_due = Some(due);
        dir.queue.push_back(Chunk {
            due,
            data: buf[..n].to_vec(),
            read: 0,
        });
        dir.queued += n;
        if let Some(w) = dir.reader.take() {
            w.wake();
        }
        drop(dir);
        if let Some(s) = this.hub.nodes.get(this.node) {
            s.bytes_sent.fetch_add(n as u64, Ordering::Relaxed);
            s.segments_sent
                .fetch_add(n.div_ceil(MSS) as u64, Ordering::Relaxed);
            s.retransmits.fetch_add(retransmits, Ordering::Relaxed);
        }
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut dir = Hub::lock(&self.tx);
        dir.writer_closed = true;
        if let Some(w) = dir.reader.take() {
            w.wake();
        }
        Poll::Ready(Ok(()))
    }
}

impl Drop for Pipe {
    fn drop(&mut self) {
        {
            let mut tx = Hub::lock(&self.tx);
            tx.writer_closed = true;
            if let Some(w) = tx.reader.take() {
                w.wake();
            }
        }
        let mut rx = Hub::lock(&self.rx);
        rx.reader_closed = true;
        rx.queue.clear();
        rx.queued = 0;
        if let Some(w) = rx.writer.take() {
            w.wake();
        }
    }
}

struct Listener {
    id: ListenerId,
    port: u64,
    token: u64,
    announced: bool,
    rx: mpsc::UnboundedReceiver<Incoming>,
}

/// The raw transport of one node: dials and listens on `/memory/<port>` through the hub.
pub struct SimTransport {
    hub: Arc<Hub>,
    node: usize,
    listeners: Vec<Listener>,
}

impl std::fmt::Debug for SimTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimTransport")
            .field("node", &self.node)
            .finish()
    }
}

impl SimTransport {
    /// The raw transport of `node`.
    pub fn new(hub: Arc<Hub>, node: usize) -> SimTransport {
        SimTransport {
            hub,
            node,
            listeners: Vec::new(),
        }
    }

    fn my_port(&self) -> u64 {
        self.node as u64 + 1
    }
}

impl Drop for SimTransport {
    fn drop(&mut self) {
        for l in &self.listeners {
            self.hub.unregister(l.port, l.token);
        }
    }
}

fn memory_port(addr: &Multiaddr) -> Option<u64> {
    match addr.iter().next() {
        Some(Protocol::Memory(p)) if p > 0 => Some(p),
        _ => None,
    }
}

impl Transport for SimTransport {
    type Output = Pipe;
    type Error = io::Error;
    type ListenerUpgrade = futures::future::Ready<Result<Pipe, io::Error>>;
    type Dial = BoxFuture<'static, Result<Pipe, io::Error>>;

    fn listen_on(
        &mut self,
        id: ListenerId,
        addr: Multiaddr,
    ) -> Result<(), TransportError<io::Error>> {
        let Some(port) = memory_port(&addr) else {
            return Err(TransportError::MultiaddrNotSupported(addr));
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let token = self
            .hub
            .register(port, tx)
            .map_err(|()| TransportError::Other(io::ErrorKind::AddrInUse.into()))?;
        self.listeners.push(Listener {
            id,
            port,
            token,
            announced: false,
            rx,
        });
        Ok(())
    }

    fn remove_listener(&mut self, id: ListenerId) -> bool {
        let Some(i) = self.listeners.iter().position(|l| l.id == id) else {
            return false;
        };
        let l = self.listeners.remove(i);
        self.hub.unregister(l.port, l.token);
        true
    }

    fn dial(
        &mut self,
        addr: Multiaddr,
        _: DialOpts,
    ) -> Result<Self::Dial, TransportError<io::Error>> {
        let Some(port) = memory_port(&addr) else {
            return Err(TransportError::MultiaddrNotSupported(addr));
        };
        let (hub, from) = (self.hub.clone(), self.my_port());
        let refused = self.hub.reachable.as_ref().is_some_and(|r| {
            r.get(self.node)
                .is_none_or(|adj| adj.binary_search(&port_node(port)).is_err())
        });
        Ok(async move {
            if refused {
                hub.refused.fetch_add(1, Ordering::Relaxed);
                return Err(io::ErrorKind::ConnectionRefused.into());
            }
            // SYN, SYN-ACK: one round trip before either side may send.
            tokio::time::sleep(hub.model.latency * 2).await;
            let listener = Hub::lock(&hub.listeners)
                .get(&port)
                .map(|(_, tx)| tx.clone());
            let Some(listener) = listener else {
                hub.refused.fetch_add(1, Ordering::Relaxed);
                return Err(io::ErrorKind::ConnectionRefused.into());
            };
            let (mine, theirs) = hub.pipe_pair(from, port);
            listener
                .send(Incoming { pipe: theirs, from })
                .map_err(|_| io::Error::from(io::ErrorKind::ConnectionRefused))?;
            Ok(mine)
        }
        .boxed())
    }

    fn poll(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<TransportEvent<Self::ListenerUpgrade, io::Error>> {
        let this = self.get_mut();
        for l in &mut this.listeners {
            let local_addr = Multiaddr::empty().with(Protocol::Memory(l.port));
            if !l.announced {
                l.announced = true;
                return Poll::Ready(TransportEvent::NewAddress {
                    listener_id: l.id,
                    listen_addr: local_addr,
                });
            }
            if let Poll::Ready(Some(inc)) = l.rx.poll_recv(cx) {
                return Poll::Ready(TransportEvent::Incoming {
                    listener_id: l.id,
                    upgrade: futures::future::ready(Ok(inc.pipe)),
                    local_addr,
                    send_back_addr: Multiaddr::empty().with(Protocol::Memory(inc.from)),
                });
            }
        }
        Poll::Pending
    }
}

/// Noise, with the decrypted stream passed through a [`Tap`] that counts marked alerts.
/// Offers the same protocol name as plain noise, so it costs no extra negotiation.
#[derive(Clone)]
pub struct TappedNoise {
    noise: noise::Config,
    hub: Arc<Hub>,
    node: usize,
}

impl std::fmt::Debug for TappedNoise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TappedNoise")
            .field("node", &self.node)
            .finish()
    }
}

impl UpgradeInfo for TappedNoise {
    type Info = <noise::Config as UpgradeInfo>::Info;
    type InfoIter = <noise::Config as UpgradeInfo>::InfoIter;
    fn protocol_info(&self) -> Self::InfoIter {
        self.noise.protocol_info()
    }
}

impl<C> InboundConnectionUpgrade<C> for TappedNoise
where
    C: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Output = (PeerId, Tap<noise::Output<C>>);
    type Error = noise::Error;
    type Future = BoxFuture<'static, Result<Self::Output, noise::Error>>;

    fn upgrade_inbound(self, socket: C, info: Self::Info) -> Self::Future {
        let (hub, node) = (self.hub, self.node);
        self.noise
            .upgrade_inbound(socket, info)
            .map_ok(move |(peer, out)| (peer, Tap::new(out, hub, node)))
            .boxed()
    }
}

impl<C> OutboundConnectionUpgrade<C> for TappedNoise
where
    C: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    type Output = (PeerId, Tap<noise::Output<C>>);
    type Error = noise::Error;
    type Future = BoxFuture<'static, Result<Self::Output, noise::Error>>;

    fn upgrade_outbound(self, socket: C, info: Self::Info) -> Self::Future {
        let (hub, node) = (self.hub, self.node);
        self.noise
            .upgrade_outbound(socket, info)
            .map_ok(move |(peer, out)| (peer, Tap::new(out, hub, node)))
            .boxed()
    }
}

/// A decrypted stream that counts the marked alerts read through it.
pub struct Tap<S> {
    inner: S,
    hub: Arc<Hub>,
    node: usize,
    scanner: Scanner,
}

impl<S> std::fmt::Debug for Tap<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tap").field("node", &self.node).finish()
    }
}

impl<S> Tap<S> {
    fn new(inner: S, hub: Arc<Hub>, node: usize) -> Tap<S> {
        Tap {
            inner,
            hub,
            node,
            scanner: Scanner::default(),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tap<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(n)) = &r {
            let (hub, node) = (&this.hub, this.node);
            this.scanner
                .scan(&buf[..*n], |index| hub.count_marker(node, index));
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tap<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_close(cx)
    }
}

/// Finds markers in a stream read in arbitrary pieces.
#[derive(Debug, Default)]
struct Scanner {
    /// The last `MARKER_LEN - 1` bytes seen, so a marker split across reads is found.
    carry: Vec<u8>,
    buf: Vec<u8>,
}

impl Scanner {
    fn scan(&mut self, data: &[u8], mut found: impl FnMut(usize)) {
        if data.is_empty() {
            return;
        }
        self.buf.clear();
        self.buf.extend_from_slice(&self.carry);
        self.buf.extend_from_slice(data);
        let buf = &self.buf;
        let mut i = 0;
        while i + MARKER_LEN <= buf.len() {
            let Some(off) = buf[i..=buf.len() - MARKER_LEN]
                .iter()
                .position(|b| *b == MARKER_PREFIX[0])
            else {
                break;
            };
            let at = i + off;
            let m = &buf[at..at + MARKER_LEN];
            if m.starts_with(MARKER_PREFIX) {
                let digits = &m[MARKER_PREFIX.len()..];
                if digits.iter().all(u8::is_ascii_digit) {
                    let index = digits
                        .iter()
                        .fold(0usize, |acc, d| acc * 10 + usize::from(d - b'0'));
                    found(index);
                    i = at + MARKER_LEN;
                    continue;
                }
            }
            i = at + 1;
        }
        // A marker fully inside the carry was counted in an earlier call: it needs
        // MARKER_LEN bytes and the carry holds one fewer.
        let keep = (MARKER_LEN - 1).min(buf.len());
        self.carry = buf[buf.len() - keep..].to_vec();
    }
}

/// The full transport of simulated node `node`: simulated TCP, noise (tapped), yamux,
/// negotiated with multistream-select V1Lazy like libp2p's builder does for TCP.
pub fn node_transport(
    hub: Arc<Hub>,
    node: usize,
    key: &identity::Keypair,
) -> Result<Boxed<(PeerId, StreamMuxerBox)>, noise::Error> {
    let secure = TappedNoise {
        noise: noise::Config::new(key)?,
        hub: hub.clone(),
        node,
    };
    Ok(SimTransport::new(hub, node)
        .upgrade(libp2p::core::upgrade::Version::V1Lazy)
        .authenticate(secure)
        .multiplex(yamux::Config::default())
        .timeout(CONNECTION_TIMEOUT)
        .boxed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::{AsyncReadExt, AsyncWriteExt};

    fn count(chunks: &[&[u8]]) -> Vec<usize> {
        let mut s = Scanner::default();
        let mut found = Vec::new();
        for c in chunks {
            s.scan(c, |i| found.push(i));
        }
        found
    }

    #[test]
    fn scanner_finds_markers_whole_split_and_repeated() {
        let m7 = marker(7);
        let m42 = marker(42);
        let whole = format!("xx{m7}yy{m42}zz");
        assert_eq!(count(&[whole.as_bytes()]), vec![7, 42]);
        let b = whole.as_bytes();
        for cut in 0..b.len() {
            assert_eq!(count(&[&b[..cut], &b[cut..]]), vec![7, 42], "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = b.chunks(1).collect();
        assert_eq!(count(&bytes), vec![7, 42]);
        assert_eq!(count(&[b"\xe2\x9a\x91sim12"]), Vec::<usize>::new());
    }

    #[test]
    fn loss_delay_follows_the_model() {
        let m = LinkModel {
            latency: Duration::from_millis(50),
            loss: 0.0,
        };
        assert_eq!(m.rto(), Duration::from_millis(300));
        let mut rng = Rng::new(1);
        assert_eq!(m.loss_delay(10_000, &mut rng), (Duration::ZERO, 0));
        let lossy = LinkModel { loss: 0.1, ..m };
        let trials = 20_000;
        let delayed = (0..trials)
            .filter(|_| lossy.loss_delay(100, &mut rng).0 > Duration::ZERO)
            .count();
        let share = delayed as f64 / trials as f64;
        assert!((0.09..0.11).contains(&share), "{share}");
        // Three segments: P(any lost) = 1 - 0.9^3 = 0.271.
        let delayed = (0..trials)
            .filter(|_| lossy.loss_delay(3 * MSS, &mut rng).0 > Duration::ZERO)
            .count();
        let share = delayed as f64 / trials as f64;
        assert!((0.25..0.29).contains(&share), "{share}");
    }

    #[tokio::test]
    async fn pipes_deliver_in_order_after_the_latency_and_close() {
        let hub = Hub::new(
            LinkModel {
                latency: Duration::from_millis(30),
                loss: 0.0,
            },
            1,
            2,
            0,
            None,
        );
        let (mut a, mut b) = hub.pipe_pair(1, 2);
        let start = Instant::now();
        a.write_all(b"hello ").await.expect("writes");
        a.write_all(b"world").await.expect("writes");
        a.close().await.expect("closes");
        let mut got = Vec::new();
        b.read_to_end(&mut got).await.expect("reads");
        assert_eq!(got, b"hello world");
        assert!(start.elapsed() >= Duration::from_millis(30));
        assert_eq!(hub.nodes[0].bytes_sent.load(Ordering::Relaxed), 11);
        drop(b);
        assert!(a.write_all(b"x").await.is_err(), "peer gone");
    }
}
