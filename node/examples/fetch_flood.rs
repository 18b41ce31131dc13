//! Fetch flood: the resident memory of a node whose peers ask for envelopes and never
//! read the answers, beside the same node idle, in the same run.
//!
//! The victim is this program again, as a child process (so its memory is its own): it
//! opens a sled store of signed reports of the largest size a report may have, starts the
//! node's swarm on `127.0.0.1` and waits. The parent reads the child's `VmRSS` from
//! `/proc/<pid>/status`:
//!
//! 1. **idle**: 3 s after the victim listens;
//! 2. **warm**: after one honest client fetched every envelope once (256 ids a request,
//!    reading every answer) and 3 s of rest: the node's memory is what serving a full
//!    catch-up leaves behind (sled's page cache among it), so what follows is the
//!    attack's own cost. The peak during that fetch is printed too;
//! 3. **attack**: `connections` fresh peer ids (one connection each) each keep `open`
//!    fetch requests of 256 ids open and never read an answer, sending a new wave every
//!    second for `seconds` (longer than the node's 20 s stream timeout, so answers that
//!    time out are asked again). The attackers know the ids, as they would from
//!    `/aviso/sync/1`. The peak is the kernel's `VmHWM`, reset before the attack (through
//!    `/proc/<pid>/clear_refs`), or else the highest of samples every 50 ms.
//!
//! ```text
//! cargo run --release -p aviso-node --example fetch_flood -- \
//!     [--envelopes 40000] [--connections 60] [--open 16] [--seconds 30]
//! ```
//!
//! It uses only what the node had before the serving limits, so the same program measures
//! a node without them.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aviso_node::net::sync::{FETCH_BATCH, FETCH_PROTOCOL, decode_envelopes, encode_ids};
use aviso_node::net::{self, NetConfig};
use aviso_node::pipeline::Pipeline;
use aviso_node::store::{SledStore, Store};
use aviso_protocol::{
    Area, Body, Category, Community, Envelope, Id, Report, ReportText, Role, SecretKey, TrustEntry,
    TrustList,
};
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, StreamExt};
use libp2p::request_response::{self, ProtocolSupport};
use libp2p::swarm::SwarmEvent;
use libp2p::{Multiaddr, PeerId, StreamProtocol, Swarm, identity, noise, tcp, yamux};

/// Set in the child process to the directory of the prepared store.
const CHILD_ENV: &str = "AVISO_FETCH_FLOOD_VICTIM";
const MIB: f64 = 1024.0 * 1024.0;
const GEOHASH: &[u8] = b"0123456789bcdefghjkmnpqrstuvwxyz";

#[derive(Debug, Clone, Copy)]
struct Args {
    envelopes: usize,
    connections: usize,
    open: usize,
    seconds: u64,
}

fn args() -> Args {
    let mut a = Args {
        envelopes: 40_000,
        connections: 60,
        open: 16,
        seconds: 30,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let value = it.next().and_then(|v| v.parse::<u64>().ok());
        let Some(v) = value else {
            eprintln!(
                "usage: fetch_flood [--envelopes N] [--connections N] [--open N] [--seconds N]"
            );
            std::process::exit(2);
        };
        match flag.as_str() {
            "--envelopes" => a.envelopes = v as usize,
            "--connections" => a.connections = v as usize,
            "--open" => a.open = v as usize,
            "--seconds" => a.seconds = v,
            _ => {
                eprintln!("unknown flag {flag}: use --envelopes, --connections, --open, --seconds");
                std::process::exit(2);
            }
        }
    }
    a
}

fn community() -> (Community, SecretKey, SecretKey) {
    let root = aviso_protocol::fixtures::key(1);
    let member = aviso_protocol::fixtures::key(3);
    let c = Community::new(&root, [42; 16], "Fetch flood", vec![root.public()], vec![])
        .expect("a valid community");
    (c, root, member)
}

/// A report of the largest size a report may have: 64 cells and a 4 KiB note.
fn report(c: &Community, member: &SecretKey, n: usize, now: u64) -> Envelope {
    let areas = (0..64)
        .map(|i| {
            let prefix = if i < 32 { "9q8y" } else { "9q8z" };
            let cell = format!("{prefix}{}", GEOHASH[i % 32] as char);
            Area::parse(&cell).expect("cell")
        })
        .collect();
    let text = format!("{n:0>4096}");
    let body = Report {
        category: Category::Patrol,
        areas,
        seen_at: now,
        note: Some(ReportText {
            lang: "en".into(),
            text,
        }),
    };
    Envelope::sign(member, c.id, &Body::Report(body), now, now + 24 * 3600).expect("signs")
}

/// The victim's store: a trust list naming the member, and `n` of its largest reports.
fn prepare(dir: &Path, n: usize) -> Vec<Id> {
    let (c, root, member) = community();
    let now = aviso_node::unix_now();
    let store = SledStore::open(&dir.join("store")).expect("store opens");
    let list = TrustList {
        name: "Flood".into(),
        version: 1,
        entries: vec![TrustEntry {
            key: member.public(),
            role: Role::Member,
            label: "m".into(),
            areas: vec![],
            categories: vec![],
            expires_at: None,
        }],
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    };
    let list = Envelope::sign(
        &root,
        c.id,
        &Body::TrustList(list),
        now,
        now + 300 * 24 * 3600,
    )
    .expect("signs");
    store.insert(&list).expect("insert");
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let e = report(&c, &member, i, now);
        store.insert(&e).expect("insert");
        ids.push(e.id());
    }
    store.flush().expect("flush");
    ids
}

/// A memory figure of process `pid` from `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in
/// bytes.
fn status(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .expect("status line")
        * 1024
}

/// Resident set size of process `pid`, in bytes.
fn rss(pid: u32) -> u64 {
    status(pid, "VmRSS")
}

/// Reset the kernel's peak-RSS mark (`VmHWM`) of `pid`, so it then gives the peak of what
/// follows, sampling gaps included. Whether it worked is up to the kernel.
fn reset_peak(pid: u32) -> bool {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").is_ok()
}

/// The victim: open the store, start the swarm, print the address, run until stdin ends.
fn victim(dir: PathBuf) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async move {
        let (c, _, _) = community();
        let store: Arc<dyn Store> =
            Arc::new(SledStore::open(&dir.join("store")).expect("store opens"));
        let (events, _) = tokio::sync::broadcast::channel(1024);
        let pipeline = Pipeline::new(store, Some(c), events.clone()).expect("pipeline");
        let keypair = identity::Keypair::ed25519_from_bytes([7; 32]).expect("key");
        let peer = keypair.public().to_peer_id();
        let cfg = NetConfig {
            listen: vec!["/ip4/127.0.0.1/tcp/0".parse().expect("addr")],
            sync_interval: Duration::from_secs(3600),
            ..NetConfig::default()
        };
        let (client, _handle) = net::spawn(keypair, cfg, pipeline, events).expect("spawns");
        let addr = loop {
            let st = client.status().await.expect("status");
            if let Some(a) = st.listen_addrs.first() {
                break a.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        println!("listening {addr}/p2p/{peer}");
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin().lock().read_line(&mut line).unwrap_or(0) > 0 {}
        })
        .await
        .expect("stdin");
        let _ = client.shutdown().await;
    });
}

/// Raw bytes both ways; `read` says whether answers are read at all.
#[derive(Debug, Clone, Copy)]
struct Codec {
    read: bool,
}

impl request_response::Codec for Codec {
    type Protocol = StreamProtocol;
    type Request = Vec<u8>;
    type Response = Vec<u8>;

    async fn read_request<T>(&mut self, _: &StreamProtocol, _: &mut T) -> std::io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        Err(std::io::Error::other("this peer only asks"))
    }

    async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> std::io::Result<Vec<u8>>
    where
        T: AsyncRead + Unpin + Send,
    {
        if !self.read {
            futures::future::pending::<()>().await;
        }
        let mut buf = Vec::new();
        io.take(16 << 20).read_to_end(&mut buf).await?;
        Ok(buf)
    }

    async fn write_request<T>(
        &mut self,
        _: &StreamProtocol,
        io: &mut T,
        req: Vec<u8>,
    ) -> std::io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        io.write_all(&req).await
    }

    async fn write_response<T>(
        &mut self,
        _: &StreamProtocol,
        _: &mut T,
        _: Vec<u8>,
    ) -> std::io::Result<()>
    where
        T: AsyncWrite + Unpin + Send,
    {
        Err(std::io::Error::other("this peer only asks"))
    }
}

fn client(read: bool, to: &Multiaddr) -> Swarm<request_response::Behaviour<Codec>> {
    let cfg = request_response::Config::default()
        .with_request_timeout(Duration::from_secs(3600))
        .with_max_concurrent_streams(4096);
    let mut swarm = libp2p::SwarmBuilder::with_new_identity()
        .with_tokio()
        .with_tcp(
            tcp::Config::default(),
            noise::Config::new,
            yamux::Config::default,
        )
        .expect("tcp")
        .with_behaviour(|_| {
            request_response::Behaviour::with_codec(
                Codec { read },
                [(FETCH_PROTOCOL, ProtocolSupport::Outbound)],
                cfg,
            )
        })
        .expect("behaviour")
        .with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(3600)))
        .build();
    swarm.dial(to.clone()).expect("dials");
    swarm
}

/// Fetch every id once, reading every answer: what an honest catch-up does.
async fn warm_up(to: &Multiaddr, peer: PeerId, ids: &[Id]) -> usize {
    let mut swarm = client(true, to);
    let mut got = 0;
    let mut queue: std::collections::VecDeque<Id> = ids.iter().copied().collect();
    while !queue.is_empty() {
        let batch: Vec<Id> = queue.drain(..queue.len().min(FETCH_BATCH)).collect();
        swarm
            .behaviour_mut()
            .send_request(&peer, encode_ids(&batch));
        let answer = loop {
            match swarm.select_next_some().await {
                SwarmEvent::Behaviour(request_response::Event::Message {
                    message: request_response::Message::Response { response, .. },
                    ..
                }) => break response,
                SwarmEvent::Behaviour(request_response::Event::OutboundFailure {
                    error, ..
                }) => panic!("warm-up fetch failed: {error}"),
                _ => {}
            }
        };
        let envs = decode_envelopes(&answer).expect("framing");
        assert!(!envs.is_empty(), "the victim served nothing");
        got += envs.len();
        let served: std::collections::HashSet<Id> = envs
            .iter()
            .map(|b| aviso_protocol::envelope::id_of(b))
            .collect();
        // What did not fit in the answer is asked again.
        queue.extend(batch.into_iter().filter(|id| !served.contains(id)));
    }
    got
}

fn main() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        victim(PathBuf::from(dir));
        return;
    }
    let a = args();
    let dir = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let ids = prepare(dir.path(), a.envelopes);
    eprintln!("stored {} reports in {:.1?}", ids.len(), t.elapsed());

    let mut child = Command::new(std::env::current_exe().expect("own path"))
        .env(CHILD_ENV, dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("victim starts");
    let pid = child.id();
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    out.read_line(&mut line)
        .expect("victim reports its address");
    let addr: Multiaddr = line
        .trim()
        .strip_prefix("listening ")
        .expect("address line")
        .parse()
        .expect("multiaddr");
    let peer = match addr.iter().last() {
        Some(libp2p::multiaddr::Protocol::P2p(p)) => p,
        _ => panic!("no peer id in {addr}"),
    };

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (idle, warm_peak, warm, peak, served) = rt.block_on(async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let idle = rss(pid);
        reset_peak(pid);
        let t = Instant::now();
        let served = warm_up(&addr, peer, &ids).await;
        eprintln!("warm-up fetched {served} envelopes in {:.1?}", t.elapsed());
        let warm_peak = status(pid, "VmHWM");
        tokio::time::sleep(Duration::from_secs(3)).await;
        let warm = rss(pid);
        let reset = reset_peak(pid);

        let mut attackers = Vec::new();
        for c in 0..a.connections {
            let mut swarm = client(false, &addr);
            let ids = ids.clone();
            let open = a.open;
            attackers.push(tokio::spawn(async move {
                let mut wave = tokio::time::interval(Duration::from_secs(1));
                let mut k = 0usize;
                loop {
                    tokio::select! {
                        _ = swarm.select_next_some() => {}
                        _ = wave.tick() => {
                            for _ in 0..open {
                                // Windows spread over the store, a different one each time.
                                let from = (c * open + k) * FETCH_BATCH % (ids.len() - FETCH_BATCH);
                                k += 1;
                                let req = encode_ids(&ids[from..from + FETCH_BATCH]);
                                swarm.behaviour_mut().send_request(&peer, req);
                            }
                        }
                    }
                }
            }));
        }
        let end = Instant::now() + Duration::from_secs(a.seconds);
        let mut peak = 0;
        while Instant::now() < end {
            peak = peak.max(rss(pid));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if reset {
            peak = peak.max(status(pid, "VmHWM"));
        }
        for t in attackers {
            t.abort();
        }
        (idle, warm_peak, warm, peak, served)
    });
    drop(child.stdin.take());
    let _ = child.wait();

    let m = |b: u64| b as f64 / MIB;
    println!(
        "\n{} reports stored ({served} fetched in the warm-up); {} connections x {} open fetch \
         requests, never read, for {} s",
        a.envelopes, a.connections, a.open, a.seconds
    );
    println!("| victim RSS | MiB |");
    println!("|---|---|");
    println!("| idle | {:.1} |", m(idle));
    println!(
        "| peak during the honest full fetch | {:.1} |",
        m(warm_peak)
    );
    println!("| warm (3 s after it) | {:.1} |", m(warm));
    println!("| peak under the attack | {:.1} |", m(peak));
    println!(
        "| peak above idle / above warm | +{:.1} / +{:.1} |",
        m(peak.saturating_sub(idle)),
        m(peak.saturating_sub(warm))
    );
}
