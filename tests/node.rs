//! End to end: real `aviso node` processes on loopback, each with its own home.

mod util;

use std::time::Duration;

use aviso_protocol::*;
use serde_json::json;
use util::*;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

struct Fixture {
    community: Community,
    root: SecretKey,
    org: SecretKey,
}

impl Fixture {
    fn new() -> Fixture {
        let root = fixtures::key(1);
        Fixture {
            community: fixtures::community(&root, 7, "E2E community"),
            root,
            org: fixtures::key(2),
        }
    }

    /// A home whose config serves the community.
    fn home(&self, name: &str) -> Home {
        let h = Home::new(name);
        let cfg = format!("community = \"{}\"\n", self.community.to_invite());
        std::fs::write(h.path().join("config.toml"), cfg).expect("config written");
        h
    }

    fn sign(&self, sk: &SecretKey, body: Body, ttl: u64) -> Envelope {
        fixtures::sign(sk, self.community.id, &body, now(), ttl)
    }

    fn trust_list(&self) -> Envelope {
        let entry = fixtures::entry(self.org.public(), Role::Organizer, "Ana");
        let list = fixtures::trust_list("E2E list", 1, vec![entry]);
        self.sign(&self.root, Body::TrustList(list), 30 * 86_400)
    }

    fn alert(&self, headline: &str) -> Envelope {
        let mut a = fixtures::raid(headline, "Agents at the station", "Stay inside");
        a.area_desc = Some("24th St".into());
        self.sign(&self.org, Body::Alert(a), 3600)
    }
}

fn publish(h: &Home, env: &Envelope) -> serde_json::Value {
    h.post(
        "/v1/publish",
        &json!({ "envelope": hex::encode(env.bytes()) }),
    )
    .expect("publish answered")
}

fn shown_alert_ids(h: &Home) -> Vec<String> {
    h.get("/v1/feed")
        .ok()
        .and_then(|f| f["alerts"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn three_nodes_relay_an_alert_published_through_the_api() {
    let f = Fixture::new();
    let mut a = f.home("A");
    let mut b = f.home("B");
    let mut c = f.home("C");
    a.start_node(&[]);
    b.start_node(&[a.peer_addr()]);
    c.start_node(&[b.peer_addr()]);

    let list = f.trust_list();
    assert_eq!(publish(&a, &list)["outcome"], "accepted");
    let alert = f.alert("Raid on 24th St");
    assert_eq!(publish(&a, &alert)["outcome"], "accepted");
    let id = alert.id().to_hex();
    for h in [&b, &c] {
        wait_for(
            &format!("the alert in {}'s feed", h.name),
            Duration::from_secs(60),
            || shown_alert_ids(h).contains(&id).then_some(()),
        );
    }
    let feed = c.get("/v1/feed").expect("feed");
    assert_eq!(feed["alerts"][0]["text"]["headline"], "Raid on 24th St");
    assert_eq!(feed["alerts"][0]["author_label"], "Ana");

    // An alert by a key no list authorizes is refused at the door and shown nowhere.
    let stranger = fixtures::key(66);
    let fake = f.sign(
        &stranger,
        Body::Alert(match f.alert("Fake").body() {
            Body::Alert(a) => a.clone(),
            _ => unreachable!("fixture is an alert"),
        }),
        3600,
    );
    let refused = publish(&a, &fake);
    assert_eq!(refused["outcome"], "ignored", "{refused}");

    for h in [&mut a, &mut b, &mut c] {
        assert!(h.stop_node(), "{} shut down cleanly:\n{}", h.name, h.log());
    }
}

#[test]
fn a_second_node_on_the_same_home_refuses_clearly() {
    let f = Fixture::new();
    let mut a = f.home("A");
    a.start_node(&[]);
    let second = a.run(&[
        "node",
        "--listen",
        "/ip4/127.0.0.1/tcp/0",
        "--api-listen",
        "127.0.0.1:0",
        "--no-mdns",
    ]);
    assert!(!second.ok);
    assert!(
        second.stderr.contains("already running"),
        "{}",
        second.stderr
    );
    assert!(a.stop_node());
}

/// Regression (issue 17): libp2p listens with SO_REUSEPORT, so a second node on an
/// occupied peer port used to log "listening" and take half of the first node's incoming
/// connections. It now refuses to start. A non-loopback API address is refused too.
#[test]
fn a_second_node_on_the_same_port_or_a_remote_api_is_refused() {
    let f = Fixture::new();
    let mut a = f.home("A");
    a.start_node(&[]);
    let taken = a.get("/v1/status").expect("status")["listen_addrs"]
        .as_array()
        .expect("addresses")
        .iter()
        .filter_map(|v| v.as_str())
        .find(|s| s.contains("/tcp/"))
        .expect("a tcp address")
        .to_string();
    let b = f.home("B");
    let second = b.run(&[
        "node",
        "--listen",
        &taken,
        "--api-listen",
        "127.0.0.1:0",
        "--no-mdns",
    ]);
    assert!(!second.ok, "a second node started on {taken}");
    assert!(
        second.stderr.contains("another aviso node"),
        "{}",
        second.stderr
    );
    let remote = b.run(&[
        "node",
        "--listen",
        "/ip4/127.0.0.1/tcp/0",
        "--api-listen",
        "0.0.0.0:0",
        "--no-mdns",
    ]);
    assert!(!remote.ok);
    assert!(
        remote.stderr.contains("api_allow_remote"),
        "{}",
        remote.stderr
    );
    assert!(a.stop_node());
}

/// Regression (issue 17): a bootstrap list with a dead address of the peer before its
/// live one. The addresses are dialled together, so the live one connects at once;
/// before, it was refused while the dead dial was pending, and joining took 8 to 33 s.
#[test]
fn a_dead_bootstrap_address_does_not_delay_joining() {
    let f = Fixture::new();
    let mut a = f.home("A");
    a.start_node(&[]);
    let live = a.peer_addr();
    let peer = live.rsplit('/').next().expect("peer id").to_string();
    let dead_port = std::net::UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .expect("a free port")
        .port();
    let dead = format!("/ip4/127.0.0.1/udp/{dead_port}/quic-v1/p2p/{peer}");
    let mut b = f.home("B");
    let start = std::time::Instant::now();
    b.start_node(&[dead, live]);
    wait_for("B connected to A", Duration::from_secs(60), || {
        let s = b.get("/v1/status").ok()?;
        (s["peers"].as_u64()? >= 1).then_some(())
    });
    let took = start.elapsed();
    println!("from starting the node to its first connection, dead address first: {took:?}");
    assert!(took < Duration::from_secs(10), "joining took {took:?}");
    assert!(a.stop_node() && b.stop_node());
}

#[test]
fn bad_config_and_damaged_home_give_clear_errors() {
    let h = Home::new("bad");
    std::fs::write(h.path().join("config.toml"), "mdns = \"perhaps\"\n").expect("write");
    let r = h.run(&["node", "--no-mdns"]);
    assert!(!r.ok);
    assert!(r.stderr.contains("config.toml"), "{}", r.stderr);

    let h = Home::new("corrupt");
    std::fs::write(h.path().join("node.key"), b"not a key").expect("write");
    let r = h.run(&[
        "node",
        "--listen",
        "/ip4/127.0.0.1/tcp/0",
        "--api-listen",
        "127.0.0.1:0",
        "--no-mdns",
    ]);
    assert!(!r.ok);
    assert!(r.stderr.contains("node.key"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn envelopes_survive_a_restart_and_the_outbox_is_sent_at_start() {
    let f = Fixture::new();
    let mut a = f.home("A");
    a.start_node(&[]);
    let list = f.trust_list();
    publish(&a, &list);
    assert!(a.stop_node());
    // Signed while the node was down: the CLI leaves it in the outbox.
    let alert = f.alert("queued while offline");
    let outbox = a.path().join("outbox");
    std::fs::create_dir_all(&outbox).expect("outbox");
    std::fs::write(
        outbox.join(format!("{}.env", alert.id().to_hex())),
        alert.bytes(),
    )
    .expect("write");
    a.start_node(&[]);
    let id = alert.id().to_hex();
    wait_for(
        "the outbox alert in the feed",
        Duration::from_secs(30),
        || shown_alert_ids(&a).contains(&id).then_some(()),
    );
    let status = a.get("/v1/status").expect("status");
    assert_eq!(status["store"]["total"], 2, "{status}");
    assert!(
        !outbox.join(format!("{id}.env")).exists(),
        "sent envelopes leave the outbox"
    );
    assert!(a.stop_node());
}

/// Where `needle` occurs in the readable memory of process `pid` (the addresses), read
/// through `/proc/<pid>/maps` and `/proc/<pid>/mem`. Read-only file mappings (the
/// binary's code, shared libraries) are skipped: a secret the process decrypted is on
/// its heap, its stacks or in its writable data.
fn find_in_memory(pid: u32, needle: &[u8]) -> Vec<u64> {
    use std::os::unix::fs::FileExt;
    /// Bytes read at once; consecutive chunks overlap by the needle's length.
    const CHUNK: u64 = 1 << 20;
    let maps = std::fs::read_to_string(format!("/proc/{pid}/maps")).expect("maps");
    let mem = std::fs::File::open(format!("/proc/{pid}/mem"))
        .expect("mem (run as root or as the node's parent)");
    let mut found = Vec::new();
    let mut buf = vec![0u8; CHUNK as usize + needle.len()];
    for line in maps.lines() {
        let mut parts = line.split_whitespace();
        let (Some(range), Some(perms)) = (parts.next(), parts.next()) else {
            continue;
        };
        let path = parts.nth(3).unwrap_or("");
        let readable = perms.starts_with('r');
        let file_read_only = path.starts_with('/') && !perms.contains('w');
        if !readable || file_read_only || path == "[vvar]" || path == "[vsyscall]" {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        let mut at = start;
        while at < end {
            let len = (end - at).min(CHUNK + needle.len() as u64) as usize;
            let Ok(n) = mem.read_at(&mut buf[..len], at) else {
                break;
            };
            let first = needle[0];
            let hay = &buf[..n];
            let mut i = 0;
            while i + needle.len() <= hay.len() {
                if hay[i] == first && &hay[i..i + needle.len()] == needle {
                    found.push(at + i as u64);
                }
                i += 1;
            }
            if n == 0 {
                break;
            }
            at += CHUNK;
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The key agent leaves no copy of the secret seed in the node's memory once locked:
/// the search finds the seed while the key is unlocked (so it works), and nowhere after
/// `lock`, even after the key signed.
#[test]
fn a_locked_key_is_nowhere_in_the_node_memory() {
    if !std::path::Path::new("/proc/self/mem").exists() {
        return;
    }
    let (org, _, _) = organizer_with_community("organizer", "Memory test");
    let kf = aviso_node::member_key::read(org.path()).expect("key file");
    let seed = aviso_node::member_key::open(org.path(), &kf, PASSPHRASE.as_bytes())
        .expect("the test passphrase opens it")
        .to_seed();
    let pid = org.pid().expect("the node runs");
    assert!(
        find_in_memory(pid, seed.as_ref()).is_empty(),
        "the seed is in the node's memory before any unlock"
    );

    let r = org
        .post("/v1/agent/unlock", &json!({ "passphrase": PASSPHRASE }))
        .expect("unlock");
    assert_eq!(r["unlocked"], true, "{r}");
    let body = Body::Report(fixtures::report(
        Category::Patrol,
        &["9q8yy"],
        now(),
        "en",
        "memory test",
    ));
    let signed = org
        .post(
            "/v1/agent/sign",
            &json!({
                "kind": "report",
                "body": hex::encode(body.encode()),
                "created_at": now(),
                "expires_at": now() + 3600,
            }),
        )
        .expect("sign");
    assert!(signed["envelope"].is_string(), "{signed}");
    let unlocked = find_in_memory(pid, seed.as_ref());
    assert!(
        !unlocked.is_empty(),
        "the search does not find the unlocked seed: it proves nothing"
    );
    eprintln!(
        "agent-memory: the unlocked seed is at {} places",
        unlocked.len()
    );

    let r = org.post("/v1/agent/lock", &json!({})).expect("lock");
    assert_eq!(r["unlocked"], false, "{r}");
    let left: Vec<String> = find_in_memory(pid, seed.as_ref())
        .iter()
        .map(|a| format!("{a:#x}"))
        .collect();
    assert!(
        left.is_empty(),
        "the seed is still in memory after lock at {left:?}"
    );
}
