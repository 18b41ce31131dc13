//! Reach between homes behind real NATs: real `aviso` processes in Linux network
//! namespaces, each home a LAN behind its own router namespace with nftables masquerading.
//!
//! Topology (documentation ranges only, never 10.x, 172.16-31.x or 192.168.x):
//! - "internet": a bridge in its own namespace, 203.0.113.0/24;
//! - one community relay (`aviso node --relay`) on it at 203.0.113.10, in no community;
//! - homes `e1`, `e2` behind endpoint-independent NATs (Linux masquerade keeps the source
//!   port: the usual home router) and `s1`, `s2` behind symmetric NATs (`fully-random`: a
//!   new random port for every connection). Each router drops unsolicited inbound
//!   traffic, as home routers do. Each LAN is a /28 of 198.51.100.0/24.
//!
//! The organizer (root) lives in `e1`; every home's member is an organizer, so every
//! ordered pair of NAT types sends and receives. The homes know only the invite, which
//! carries the relay's address; they find each other through rendezvous on the relay.
//!
//! Needs root, `ip` (iproute2) and `nft` (nftables); `.ci/run` installs them. Without them
//! the test says why and passes, except in CI (`CI=true`), where it fails. It removes
//! every namespace it made, also when it fails (a guard, and leftovers from an earlier
//! run with the same prefix are removed at start).

mod util;

use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{PASSPHRASE, aviso_bin, wait_for};

/// Every namespace and interface of this test starts with this.
const PREFIX: &str = "avnat";
/// Bounded waits: start-up, discovery (every 2 s here), hole punching and gossip.
const WAIT: Duration = Duration::from_secs(120);
const RELAY_IP: &str = "203.0.113.10";
const PORT: u16 = 7446;

fn sh(args: &[&str]) -> Result<String, String> {
    let out = Command::new(args[0])
        .args(&args[1..])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", args.join(" ")))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn must(args: &[&str]) -> String {
    sh(args).unwrap_or_else(|e| panic!("{e}"))
}

/// Why this machine cannot build the test network, if it cannot.
fn cannot_run() -> Option<String> {
    match sh(&["id", "-u"]) {
        Ok(u) if u.trim() == "0" => {}
        _ => return Some("not root (network namespaces need root)".into()),
    }
    for tool in ["ip", "nft"] {
        if sh(&["sh", "-c", &format!("command -v {tool}")]).is_err() {
            return Some(format!(
                "`{tool}` is missing (apt-get install iproute2 nftables)"
            ));
        }
    }
    let probe = format!("{PREFIX}-probe");
    let _ = sh(&["ip", "netns", "del", &probe]);
    if let Err(e) = sh(&["ip", "netns", "add", &probe]) {
        return Some(format!("cannot create a network namespace: {e}"));
    }
    let nft = sh(&[
        "ip", "netns", "exec", &probe, "nft", "add", "table", "ip", "t",
    ]);
    let _ = sh(&["ip", "netns", "del", &probe]);
    nft.err()
        .map(|e| format!("nftables does not work here: {e}"))
}

/// The namespaces of one test network; removed on drop.
struct Net {
    namespaces: Vec<String>,
    links: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Nat {
    /// Endpoint-independent mapping (port preserved).
    Eim,
    /// A random port for every connection.
    Symmetric,
}

impl Net {
    fn new() -> Net {
        remove_leftovers();
        let mut net = Net {
            namespaces: vec![],
            links: 0,
        };
        let inet = net.ns("inet");
        must(&["ip", "-n", &inet, "link", "add", "br0", "type", "bridge"]);
        must(&["ip", "-n", &inet, "link", "set", "br0", "up"]);
        net
    }

    fn ns(&mut self, name: &str) -> String {
        let ns = format!("{PREFIX}-{name}");
        must(&["ip", "netns", "add", &ns]);
        self.namespaces.push(ns.clone());
        must(&["ip", "-n", &ns, "link", "set", "lo", "up"]);
        ns
    }

    /// A veth pair: `a_if` in `a`, `b_if` in `b`, both up.
    fn link(&mut self, a: &str, a_if: &str, b: &str, b_if: &str) {
        self.links += 1;
        let (ta, tb) = (
            format!("{PREFIX}{}a", self.links),
            format!("{PREFIX}{}b", self.links),
        );
        must(&[
            "ip", "link", "add", &ta, "type", "veth", "peer", "name", &tb,
        ]);
        for (t, ns, name) in [(&ta, a, a_if), (&tb, b, b_if)] {
            must(&["ip", "link", "set", t, "netns", ns]);
            must(&["ip", "-n", ns, "link", "set", t, "name", name]);
            must(&["ip", "-n", ns, "link", "set", name, "up"]);
        }
    }

    /// A host on the internet bridge at `ip`.
    fn on_internet(&mut self, ns: &str, ip: &str) {
        let inet = format!("{PREFIX}-inet");
        let port = format!("p{}", self.links + 1);
        self.link(ns, "eth0", &inet, &port);
        must(&["ip", "-n", &inet, "link", "set", &port, "master", "br0"]);
        must(&[
            "ip",
            "-n",
            ns,
            "addr",
            "add",
            &format!("{ip}/24"),
            "dev",
            "eth0",
        ]);
    }

    /// Home number `i` (1-based) behind a router of kind `nat`; returns the home's
    /// namespace.
    fn home(&mut self, name: &str, i: u8, nat: Nat) -> String {
        let router = self.ns(&format!("r-{name}"));
        let home = self.ns(&format!("h-{name}"));
        self.on_internet(&router, &format!("203.0.113.{}", 20 + i));
        self.link(&router, "eth1", &home, "eth0");
        let lan = 16 * u32::from(i);
        let gw = format!("198.51.100.{}", lan + 1);
        must(&[
            "ip",
            "-n",
            &router,
            "addr",
            "add",
            &format!("{gw}/28"),
            "dev",
            "eth1",
        ]);
        let host = format!("198.51.100.{}/28", lan + 2);
        must(&["ip", "-n", &home, "addr", "add", &host, "dev", "eth0"]);
        must(&["ip", "-n", &home, "route", "add", "default", "via", &gw]);
        must(&[
            "ip",
            "netns",
            "exec",
            &router,
            "sysctl",
            "-qw",
            "net.ipv4.ip_forward=1",
        ]);
        let masq = match nat {
            Nat::Eim => "masquerade",
            Nat::Symmetric => "masquerade fully-random",
        };
        let rules = format!(
            "table ip nat {{
                chain masq {{ type nat hook postrouting priority 100; oifname \"eth0\" {masq}; }}
            }}
            table ip filter {{
                chain lanout {{ type filter hook forward priority 0; policy drop;
                    ct state established,related accept; iifname \"eth1\" accept; }}
                chain wanin {{ type filter hook input priority 0; policy accept;
                    iifname \"eth0\" ct state new drop; }}
            }}"
        );
        let file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(file.path(), rules).expect("rules written");
        let path = file.path().to_str().expect("utf-8 path").to_string();
        must(&["ip", "netns", "exec", &router, "nft", "-f", &path]);
        home
    }
}

fn remove_leftovers() {
    if let Ok(list) = sh(&["ip", "netns", "list"]) {
        for ns in list.lines().filter_map(|l| l.split_whitespace().next()) {
            if ns.starts_with(PREFIX) {
                let _ = sh(&["ip", "netns", "del", ns]);
            }
        }
    }
    if let Ok(links) = sh(&["ip", "-o", "link", "show"]) {
        for l in links.lines() {
            if let Some(name) = l
                .split(": ")
                .nth(1)
                .map(|n| n.split('@').next().unwrap_or(n))
                && name.starts_with(PREFIX)
            {
                let _ = sh(&["ip", "link", "del", name]);
            }
        }
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        for ns in self.namespaces.iter().rev() {
            let _ = sh(&["ip", "netns", "del", ns]);
        }
        remove_leftovers();
    }
}

/// An `aviso` home whose commands and node run inside a network namespace.
struct NsHome {
    ns: String,
    name: String,
    dir: tempfile::TempDir,
    node: Option<Child>,
    started: Option<Instant>,
}

impl NsHome {
    fn new(name: &str, ns: &str) -> NsHome {
        let h = NsHome {
            ns: ns.into(),
            name: name.into(),
            dir: tempfile::tempdir().expect("tempdir"),
            node: None,
            started: None,
        };
        h.ok(&["init"]);
        // Quick discovery for the test; the rest of [reach] as shipped.
        let cfg = h.dir.path().join("config.toml");
        let text = std::fs::read_to_string(&cfg).unwrap_or_default();
        let text = if text.contains("discovery_interval_secs = 60") {
            text.replace(
                "discovery_interval_secs = 60",
                "discovery_interval_secs = 2",
            )
        } else {
            format!("{text}\n[reach]\ndiscovery_interval_secs = 2\n")
        };
        std::fs::write(&cfg, text).expect("config written");
        h
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.ns])
            .arg(aviso_bin())
            .arg("--home")
            .arg(self.dir.path())
            .args(args)
            .env("AVISO_PASSPHRASE", PASSPHRASE)
            .env("AVISO_KEY_FILE", self.dir.path().join("test-data.key"))
            .env("NO_COLOR", "1")
            // The test network uses documentation ranges, which AutoNAT would not count.
            .env("AVISO_PRIVATE_ADDRESSES", "true")
            // No router here offers UPnP; skip the search.
            .env("AVISO_UPNP", "false")
            .env_remove("AVISO_HOME")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        let out = self.cmd(args).output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "[{}] aviso {} failed: {}{}",
                self.name,
                args.join(" "),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        self.run(args)
            .unwrap_or_else(|e| panic!("{e}\n{}", self.log()))
    }

    fn json(&self, args: &[&str]) -> Option<Value> {
        serde_json::from_str(self.run(args).ok()?.trim()).ok()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("node.log")).unwrap_or_default()
    }

    fn start(&mut self, extra: &[&str]) {
        let port = PORT.to_string();
        let tcp = format!("/ip4/0.0.0.0/tcp/{port}");
        let quic = format!("/ip4/0.0.0.0/udp/{port}/quic-v1");
        let mut args = vec![
            "node",
            "--listen",
            &tcp,
            "--listen",
            &quic,
            "--api-listen",
            "127.0.0.1:7447",
            "--no-mdns",
        ];
        args.extend_from_slice(extra);
        let _ = std::fs::remove_file(self.dir.path().join("api.addr"));
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("node.log"))
            .expect("log file");
        let child = self
            .cmd(&args)
            .env(
                "RUST_LOG",
                "aviso_node=debug,libp2p_dcutr=debug,libp2p_relay=debug,info",
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("node starts");
        self.node = Some(child);
        self.started = Some(Instant::now());
        wait_for(&format!("{}'s API", self.name), WAIT, || {
            if let Some(c) = self.node.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                panic!("[{}] node exited ({status}):\n{}", self.name, self.log());
            }
            self.json(&["status", "--json"])
        });
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.node.take() {
            let _ = sh(&["kill", "-TERM", &c.id().to_string()]);
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(20) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    fn status(&self) -> Value {
        self.json(&["status", "--json"]).unwrap_or(Value::Null)
    }

    fn peer_id(&self) -> String {
        self.status()["status"]["peer_id"]
            .as_str()
            .expect("peer id")
            .to_string()
    }

    fn public_key(&self) -> String {
        let v: Value = serde_json::from_str(&self.ok(&["id", "--json"])).expect("id json");
        v["public_key"].as_str().expect("public key").to_string()
    }

    /// Connection kind to `peer` (`direct`/`relayed`), if connected.
    fn link_to(&self, peer: &str) -> Option<String> {
        let v = self.json(&["peers", "--json"])?;
        v["peers"]
            .as_array()?
            .iter()
            .find(|p| p["peer_id"] == peer)
            .and_then(|p| p["connection"].as_str().map(str::to_owned))
    }

    fn shows(&self, alert: &str) -> bool {
        self.json(&["feed", "--json"]).is_some_and(|f| {
            f["alerts"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["id"] == alert && x["shown"] == true))
        })
    }

    fn send_alert(&self, headline: &str) -> String {
        let out = self.ok(&[
            "alert",
            "send",
            "--json",
            "--category",
            "raid",
            "--severity",
            "severe",
            "--expires",
            "2h",
            "--area",
            "9q8yy",
            "--lang",
            "en",
            "--headline",
            headline,
            "--text",
            "Seen from a home behind NAT.",
        ]);
        let v: Value = serde_json::from_str(out.trim()).expect("alert json");
        v["id"].as_str().expect("alert id").to_string()
    }
}

impl Drop for NsHome {
    fn drop(&mut self) {
        if let Some(mut c) = self.node.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::thread::panicking() {
            // Keep the log for the post-mortem: the home directory goes with the test.
            let dir = std::env::temp_dir().join("avnat-logs");
            let _ = std::fs::create_dir_all(&dir);
            let to = dir.join(format!("{}.log", self.name));
            if std::fs::copy(self.dir.path().join("node.log"), &to).is_ok() {
                eprintln!("{}'s node log: {}", self.name, to.display());
            }
        }
    }
}

fn dump_logs(homes: &[&NsHome]) {
    for h in homes {
        let log = h.log();
        let tail: Vec<&str> = log.lines().rev().take(60).collect();
        eprintln!("----- {} (last lines)", h.name);
        for l in tail.into_iter().rev() {
            eprintln!("{l}");
        }
    }
}

#[test]
fn homes_behind_nat_reach_each_other_directly_or_through_the_relay() {
    if let Some(why) = cannot_run() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the NAT test cannot run in CI: {why}"
        );
        eprintln!("skipping the NAT test: {why}");
        return;
    }
    let mut net = Net::new();
    let relay_ns = net.ns("relay");
    net.on_internet(&relay_ns, RELAY_IP);
    let kinds = [
        ("e1", Nat::Eim),
        ("e2", Nat::Eim),
        ("s1", Nat::Symmetric),
        ("s2", Nat::Symmetric),
    ];
    let mut homes: Vec<NsHome> = Vec::new();
    for (i, (name, nat)) in kinds.iter().enumerate() {
        let ns = net.home(name, i as u8 + 1, *nat);
        homes.push(NsHome::new(name, &ns));
    }
    let mut relay = NsHome::new("relay", &relay_ns);

    // The relay: a reachable machine in no community.
    relay.start(&["--relay"]);
    let relay_addr = format!("/ip4/{RELAY_IP}/tcp/{PORT}/p2p/{}", relay.peer_id());

    // The organizer in e1 creates the community; the invite carries the relay.
    let (org, members) = homes.split_at_mut(1);
    let org = &mut org[0];
    org.start(&["--bootstrap", &relay_addr]);
    org.ok(&[
        "community",
        "create",
        "--name",
        "Homes",
        "--bootstrap",
        &relay_addr,
    ]);
    org.stop();
    org.start(&[]);
    let invite_json: Value =
        serde_json::from_str(org.ok(&["community", "invite", "--json"]).trim()).expect("json");
    let invite = invite_json["invite"].as_str().expect("invite").to_string();

    // The members join with the invite alone, in a start order that varies between runs.
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0) as usize;
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.rotate_left(seed % members.len());
    eprintln!(
        "start order: e1, {}",
        order
            .iter()
            .map(|i| members[*i].name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    );
    for &i in &order {
        let m = &mut members[i];
        m.ok(&["community", "join", &invite]);
        m.start(&[]);
    }
    for m in members.iter() {
        org.ok(&[
            "list",
            "add",
            &m.public_key(),
            "--role",
            "organizer",
            "--label",
            &m.name,
        ]);
    }
    org.ok(&["list", "publish"]);
    let all: Vec<&NsHome> = std::iter::once(&*org).chain(members.iter()).collect();
    for h in &all {
        wait_for(&format!("the trust list at {}", h.name), WAIT, || {
            h.status()["status"]["store"]["by_kind"]["trust_list"]
                .as_u64()
                .filter(|n| *n >= 1)
        });
        let r = h.status()["status"]["reachability"].clone();
        eprintln!("{}: {}", h.name, r["summary"]);
    }

    // Every home reaches every other: directly where both NATs keep the port.
    let ids: Vec<String> = all.iter().map(|h| h.peer_id()).collect();
    let mut links: BTreeMap<(String, String), String> = BTreeMap::new();
    for (i, a) in all.iter().enumerate() {
        for (j, b) in all.iter().enumerate() {
            if i >= j {
                continue;
            }
            let both_eim = a.name.starts_with('e') && b.name.starts_with('e');
            let what = format!(
                "{} <-> {} connected{}",
                a.name,
                b.name,
                if both_eim { " directly" } else { "" }
            );
            let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                wait_for(&what, WAIT, || {
                    let l = a.link_to(&ids[j]).or_else(|| b.link_to(&ids[i]))?;
                    (!both_eim || l == "direct").then_some(l)
                })
            }));
            match found {
                Ok(l) => {
                    links.insert((a.name.clone(), b.name.clone()), l);
                }
                Err(e) => {
                    dump_logs(&all);
                    std::panic::resume_unwind(e);
                }
            }
        }
    }

    // Every home sends an alert; every other home shows it (each ordered pair).
    let mut sent: Vec<(String, String)> = Vec::new();
    for h in &all {
        sent.push((
            h.name.clone(),
            h.send_alert(&format!("Raid seen from {}", h.name)),
        ));
    }
    let mut delivered = 0;
    for (from, id) in &sent {
        for h in all.iter().filter(|h| &h.name != from) {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                wait_for(&format!("{from}'s alert at {}", h.name), WAIT, || {
                    h.shows(id).then_some(())
                })
            }));
            if let Err(e) = r {
                dump_logs(&all);
                std::panic::resume_unwind(e);
            }
            delivered += 1;
        }
    }

    // The final links: EIM pairs hole punched, symmetric pairs relayed.
    for ((a, b), _) in links.clone() {
        let (ia, ib) = (
            all.iter().position(|h| h.name == a).expect("a"),
            all.iter().position(|h| h.name == b).expect("b"),
        );
        let l = all[ia]
            .link_to(&ids[ib])
            .or_else(|| all[ib].link_to(&ids[ia]))
            .unwrap_or_else(|| "not connected".into());
        links.insert((a, b), l);
    }
    eprintln!(
        "delivered {delivered}/{} alerts",
        sent.len() * (all.len() - 1)
    );
    for ((a, b), l) in &links {
        eprintln!("link {a} <-> {b}: {l}");
    }
    let punched = |h: &NsHome| {
        let r = &h.status()["status"]["reachability"];
        (
            r["hole_punch_ok"].as_u64().unwrap_or(0),
            r["hole_punch_failed"].as_u64().unwrap_or(0),
        )
    };
    let mut eim_punches = 0;
    for h in &all {
        let (ok, failed) = punched(h);
        eprintln!(
            "hole punches at {}: {ok} succeeded, {failed} failed",
            h.name
        );
        if h.name.starts_with('e') {
            eim_punches += ok;
        }
    }
    // The direct link between the EIM homes came from a hole punch (their routers drop
    // unsolicited inbound connections, so nothing else can make it).
    assert!(
        eim_punches >= 1,
        "no hole punch succeeded between e1 and e2"
    );
    for ((a, b), l) in &links {
        if a.starts_with('s') || b.starts_with('s') {
            assert_eq!(l, "relayed", "{a} <-> {b} behind a symmetric NAT");
        } else {
            assert_eq!(l, "direct", "{a} <-> {b} both behind EIM NATs");
        }
    }
    drop(all);

    // Catch-up after a restart, for a home of each NAT type: alerts sent while they were
    // away arrive when they come back.
    let (e2, s2) = {
        let e2 = members.iter().position(|h| h.name == "e2").expect("e2");
        let s2 = members.iter().position(|h| h.name == "s2").expect("s2");
        (e2, s2)
    };
    members[e2].stop();
    members[s2].stop();
    let s1 = members.iter().position(|h| h.name == "s1").expect("s1");
    let away = [
        org.send_alert("Sent while e2 and s2 were away (from e1)"),
        members[s1].send_alert("Sent while e2 and s2 were away (from s1)"),
    ];
    let mut first_alert = BTreeMap::new();
    for i in [e2, s2] {
        members[i].start(&[]);
        let started = members[i].started.expect("started");
        for id in &away {
            let h = &members[i];
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                wait_for(&format!("catch-up at {}", h.name), WAIT, || {
                    h.shows(id).then_some(())
                })
            }));
            if let Err(e) = r {
                dump_logs(&[&*org, &members[i]]);
                std::panic::resume_unwind(e);
            }
        }
        first_alert.insert(i, started.elapsed());
    }
    let org_id = org.peer_id();
    let h = &members[e2];
    wait_for("e2 direct to e1 again after its restart", WAIT, || {
        (h.link_to(&org_id).as_deref() == Some("direct")).then_some(())
    });
    let direct = h.started.expect("started").elapsed();
    eprintln!(
        "timing: e2 (EIM) start to both missed alerts {} ms, to a direct link with e1 {} ms (at most; polled); \
         s2 (symmetric) start to both missed alerts {} ms",
        first_alert[&e2].as_millis(),
        direct.as_millis(),
        first_alert[&s2].as_millis()
    );

    // What the relay served.
    let r = relay.status()["status"]["reachability"].clone();
    eprintln!("relay: {r}");
    for h in members.iter_mut() {
        h.stop();
    }
    org.stop();
    relay.stop();
}
