//! Encryption at rest and the panic wipe, end to end: real `aviso` processes write alerts,
//! reports and a trust list; then the bytes of every file in their homes are searched.

mod util;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use util::*;

const WAIT: Duration = Duration::from_secs(60);

/// Every file under `dir`, except the test's own capture of the node's stderr (`node.log`:
/// the node writes no log file; the test harness does).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.file_name().is_some_and(|n| n != "node.log") {
            out.push(p);
        }
    }
    out
}

/// Which of `needles` (name, bytes) occur in which file under `dir`.
fn find(dir: &Path, needles: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut hits = Vec::new();
    for f in files(dir) {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        for (name, n) in needles {
            if bytes.windows(n.len()).any(|w| w == &n[..]) {
                hits.push(format!("{name} in {}", f.display()));
            }
        }
    }
    hits
}

/// The text, hex and raw bytes of a 32-byte value given in hex.
fn forms(name: &str, hex: &str) -> Vec<(String, Vec<u8>)> {
    let raw: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect();
    vec![
        (format!("{name} (hex)"), hex.as_bytes().to_vec()),
        (format!("{name} (raw)"), raw),
    ]
}

fn text(s: &str) -> (String, Vec<u8>) {
    (format!("{s:?}"), s.as_bytes().to_vec())
}

/// A raid alert in `9q8yy` for two hours, in English, sent by `h`; its id.
fn send_alert(h: &Home, headline: &str, text: &str) -> String {
    sent_id(&h.ok(&[
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
        text,
    ]))
}

#[test]
fn nothing_readable_at_rest_and_panic_wipes_it_all() {
    let (mut org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let mut m = join("member", &invite, &boot);
    let member_key = public_key(&m);
    let org_key = public_key(&org);

    org.ok(&[
        "list",
        "add",
        &member_key,
        "--role",
        "member",
        "--label",
        "Zuleika Quintanilla",
    ]);
    org.ok(&["list", "publish"]);
    let report = sent_id(&m.ok(&[
        "report",
        "send",
        "--json",
        "--area",
        "9q8yy",
        "--category",
        "raid",
        "--lang",
        "es",
        "--text",
        "Furgoneta kumquat frente a la escuela",
    ]));
    let alert = send_alert(
        &org,
        "Quokka checkpoint on Valencia",
        "Avoid the corner of 24th and Valencia.",
    );
    for h in [&org, &m] {
        wait_for(&format!("both messages at {}", h.name), WAIT, || {
            let feed = h.ok(&["feed", "--all", "--json"]).stdout;
            (feed.contains(&alert) && feed.contains(&report)).then_some(())
        });
    }
    assert!(org.stop_node() && m.stop_node());

    let mut needles = vec![
        text("Zuleika Quintanilla"),
        text("Furgoneta kumquat"),
        text("Quokka checkpoint"),
        text("Avoid the corner"),
    ];
    needles.extend(forms("the alert id", &alert));
    needles.extend(forms("the report id", &report));
    // Keys are searched in the store and every file the node writes. Left for later (see
    // README "Encrypted home"): config.toml still holds the community and followed lists,
    // and member.key the member's public key in clear (so `aviso id` needs no passphrase).
    let mut keys = forms("the member key", &member_key);
    keys.extend(forms("the organizer key", &org_key));
    for h in [&org, &m] {
        // Left for later: the organizer's trust-list draft (`list-draft.json`), kept in
        // clear by the CLI between `list add` and `list publish`.
        let mut hits: Vec<String> = find(h.path(), &needles)
            .into_iter()
            .filter(|hit| !hit.ends_with("list-draft.json"))
            .collect();
        hits.extend(find(h.path(), &keys).into_iter().filter(|hit| {
            !hit.ends_with("config.toml")
                && !hit.ends_with("member.key")
                && !hit.ends_with("list-draft.json")
        }));
        assert!(hits.is_empty(), "[{}] readable at rest: {hits:#?}", h.name);
    }

    // Panic with the node running: it wipes and stops; nothing is printed.
    m.start_node(std::slice::from_ref(&boot));
    let start = Instant::now();
    let r = m.run(&["panic", "--now"]);
    let took = start.elapsed();
    assert!(r.ok, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty() && r.stderr.is_empty(), "{r:?}");
    assert!(m.wait_node_exit(WAIT), "{}", m.log());
    println!("aviso panic --now with the node running took {took:?}");
    let left = files(m.path());
    assert!(left.is_empty(), "left after the wipe: {left:?}");
    assert!(!m.log().to_lowercase().contains("wip"), "{}", m.log());
    assert!(!m.log().to_lowercase().contains("panic"), "{}", m.log());

    // Without the node: on the organizer's home directly.
    let r = org.run(&["panic", "--now"]);
    assert!(r.ok && r.stdout.is_empty() && r.stderr.is_empty(), "{r:?}");
    assert!(files(org.path()).is_empty());

    // The member sets up again from the invite.
    m.ok(&["init"]);
    m.ok(&["community", "join", &invite]);
    assert!(!m.run(&["panic"]).ok, "panic without --now must refuse");
    let _ = std::fs::remove_file(m.path().join("node.log"));
}

#[test]
fn duress_passphrase_wipes_and_fails_like_a_wrong_one() {
    let mut h = Home::new("duress");
    h.ok(&["init"]);
    let run_with = |h: &Home, file: &Path| {
        let out = h
            .cmd(&[
                "node",
                "--api-listen",
                "127.0.0.1:0",
                "--listen",
                "/ip4/127.0.0.1/tcp/0",
            ])
            .env_remove("AVISO_KEY_FILE")
            .env_remove("AVISO_PASSPHRASE")
            .env("AVISO_PASSPHRASE_FILE", file)
            .output()
            .expect("runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The first start makes the data key, wrapped by the test's key file and passphrase.
    h.start_node(&[]);
    assert!(h.stop_node());
    let duress = h.path().join("duress");
    std::fs::write(&duress, "let them have it\n").expect("write");
    h.ok(&["panic", "--set-duress", duress.to_str().expect("utf-8")]);

    let wrong = h.path().join("wrong");
    std::fs::write(&wrong, "a guess\n").expect("write");
    let (ok, wrong_err) = run_with(&h, &wrong);
    assert!(!ok);
    assert!(h.path().join("data.key").exists());
    let (ok, duress_err) = run_with(&h, &duress);
    assert!(!ok);
    assert_eq!(
        wrong_err.replace(wrong.to_str().expect("utf-8"), ""),
        duress_err.replace(duress.to_str().expect("utf-8"), ""),
        "the duress passphrase must fail exactly like a wrong one"
    );
    assert!(!h.path().join("data.key").exists(), "the data key is gone");
    assert!(
        !h.path().join("member.key").exists(),
        "the signing key is gone"
    );
}

#[test]
fn a_non_interactive_start_without_a_secret_says_what_to_do() {
    let h = Home::new("nosecret");
    let out = h
        .cmd(&[
            "node",
            "--api-listen",
            "127.0.0.1:0",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
        ])
        .env_remove("AVISO_KEY_FILE")
        .env_remove("AVISO_PASSPHRASE")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--passphrase-file") && err.contains("--key-file"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

/// Kill rounds in [`acknowledged_envelopes_survive_kill_9`]: a few here; the BENCHMARKS
/// run sets `AVISO_KILL9_ROUNDS=100`.
const KILL9_ROUNDS: usize = 5;
/// Acknowledged envelopes to wait for in each round before the kill; more keep coming
/// while it lands.
const KILL9_ACKS_PER_ROUND: usize = 10;

/// Signed alerts of the organizer of `h`, one per call, each new.
fn alert_signer(h: &Home, invite: &str) -> impl FnMut() -> (String, String) + use<> {
    use aviso_protocol::{
        Alert, Area, Body, Category, Certainty, Community, Envelope, Info, MsgType, Severity,
        Status, Urgency,
    };
    let kf = aviso_node::member_key::read(h.path()).expect("member key");
    let secret = aviso_node::member_key::open(h.path(), &kf, PASSPHRASE.as_bytes()).expect("opens");
    let community = Community::from_invite(invite).expect("invite").id;
    let mut n = 0u64;
    move || {
        n += 1;
        let alert = Alert {
            category: Category::Raid,
            severity: Severity::Severe,
            urgency: Urgency::Immediate,
            certainty: Certainty::Observed,
            status: Status::Actual,
            msg_type: MsgType::Alert,
            references: vec![],
            areas: vec![Area::parse("9q8yy").expect("cell")],
            area_desc: None,
            onset: None,
            info: vec![Info {
                lang: "en".into(),
                headline: format!("Durability {n}"),
                description: String::new(),
                instruction: String::new(),
            }],
            confirms: vec![],
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs();
        let env = Envelope::sign(&secret, community, &Body::Alert(alert), now, now + 7200)
            .expect("signs");
        (env.id().to_hex(), hex_of(env.bytes()))
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// kill -9 while envelopes are being written, with encryption on: every envelope the node
/// acknowledged (`accepted`) is there after the restart.
#[test]
fn acknowledged_envelopes_survive_kill_9() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let rounds = std::env::var("AVISO_KILL9_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(KILL9_ROUNDS);
    let (mut org, invite, _) = organizer_with_community("kill9", "Durability");
    let mut sign = alert_signer(&org, &invite);
    let mut acked: Vec<String> = Vec::new();
    let start = Instant::now();
    for round in 0..rounds {
        if round > 0 {
            org.start_node(&[]);
        }
        let pid = org.node_pid().expect("running");
        let count = AtomicUsize::new(0);
        let signed: Vec<(String, String)> = (0..400).map(|_| sign()).collect();
        let new_acks = std::thread::scope(|s| {
            let writer = s.spawn(|| {
                let mut mine = Vec::new();
                for (id, hex) in &signed {
                    let body = serde_json::json!({ "envelope": hex });
                    match org.post("/v1/publish", &body) {
                        Ok(r) if r["outcome"] == "accepted" => {
                            mine.push(id.clone());
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(r) => panic!("publish refused: {r}"),
                        Err(_) => break,
                    }
                }
                mine
            });
            wait_for("acknowledged envelopes", WAIT, || {
                (count.load(Ordering::Relaxed) >= KILL9_ACKS_PER_ROUND).then_some(())
            });
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            writer.join().expect("writer")
        });
        org.kill_node();
        acked.extend(new_acks);
        assert!(!acked.is_empty());
    }
    org.start_node(&[]);
    let lost: Vec<&String> = acked
        .iter()
        .filter(|id| {
            let r = org.get(&format!("/v1/envelopes/{id}")).expect("answer");
            r.get("error").is_some()
        })
        .collect();
    println!(
        "kill -9: {rounds} kills, {} acknowledged envelopes, {} lost, {:.1?}",
        acked.len(),
        lost.len(),
        start.elapsed()
    );
    assert!(lost.is_empty(), "lost after kill -9: {lost:?}");
}

/// Bytes overwritten in the middle of the store's largest file.
const CORRUPT_BYTES: usize = 256;

/// Bytes damaged in the middle of the encrypted store: the node starts, says how many
/// records it dropped, and fetches them again from a peer.
#[test]
fn a_damaged_store_is_reported_and_caught_up_from_a_peer() {
    let (org, invite, boot) = organizer_with_community("organizer", "Integrity");
    let mut m = join("member", &invite, &boot);
    let mut ids = Vec::new();
    for n in 0..20 {
        ids.push(send_alert(
            &org,
            &format!("Integrity check {n}"),
            "Stay inside.",
        ));
    }
    let has_all = |h: &Home| {
        ids.iter().all(|id| {
            h.get(&format!("/v1/envelopes/{id}"))
                .is_ok_and(|r| r.get("error").is_none())
        })
    };
    wait_for("the alerts at the member", WAIT, || {
        has_all(&m).then_some(())
    });
    assert!(m.stop_node());

    let biggest = files(&m.path().join("sealed"))
        .into_iter()
        .max_by_key(|f| std::fs::metadata(f).map(|x| x.len()).unwrap_or(0))
        .expect("store files");
    let mut bytes = std::fs::read(&biggest).expect("read");
    // Where data is: sled's file has unused, zeroed stretches.
    let used: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] != 0).collect();
    let mid = used.len() / 2;
    let hit: Vec<usize> = used[mid..(mid + CORRUPT_BYTES).min(used.len())].to_vec();
    for i in hit {
        bytes[i] ^= 0x5a;
    }
    std::fs::write(&biggest, &bytes).expect("write");
    println!(
        "corrupted {CORRUPT_BYTES} of {} used bytes in {} ({} bytes)",
        used.len(),
        biggest.display(),
        bytes.len()
    );

    m.start_node(std::slice::from_ref(&boot));
    wait_for("the member to catch up", WAIT, || has_all(&m).then_some(()));
    // What is reported depends on where the bytes land: a record that sled returns but that
    // fails authentication is counted in `damaged` (see the store's unit tests); damage that
    // sled's own checksums catch makes sled roll its log back to the last intact write
    // without saying so; damage that keeps sled from opening makes the node move the store
    // aside and say so. In every case the node starts and catches up, as checked above.
    let damaged = m.get("/v1/status").expect("status")["store"]["damaged"]
        .as_u64()
        .expect("status reports damaged records");
    println!("damaged records reported: {damaged}");
}
