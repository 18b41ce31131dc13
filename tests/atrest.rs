//! Encryption at rest and the panic wipe, end to end: real `aviso` processes write alerts,
//! reports and a trust list; then the bytes of every file in their homes are searched.

mod util;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use util::*;

const WAIT: Duration = Duration::from_secs(60);
/// How a file sealed under the data key begins (see `aviso_node::at_rest::write_private`).
const SEALED_FILE: &[u8] = b"aviso-sealed-file/1\n";

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

/// `aviso alert send` of a severe raid alert in `9q8yy` for two hours, in English; the
/// headline and text follow.
const ALERT_SEND: [&str; 12] = [
    "alert",
    "send",
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
];

/// A raid alert in `9q8yy` for two hours, in English, sent by `h`; its id.
fn send_alert(h: &Home, headline: &str, text: &str) -> String {
    let rest = ["--json", "--headline", headline, "--text", text];
    sent_id(&h.ok(&[&ALERT_SEND[..], &rest[..]].concat()))
}

#[test]
fn nothing_readable_at_rest_and_panic_wipes_it_all() {
    let (mut org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let mut m = join("member", &invite, &boot);
    let member_key = public_key(&m);
    let org_key = public_key(&org);
    // The member's private settings (issue 14): where they are, whom they follow; set
    // with the node running (saved sealed, applied live).
    m.ok(&["trust", "areas", "9q8yy", "dr5ru"]);
    m.ok(&["trust", "follow", &member_key]);

    list_add(&org, &[(&m, "member", "Zuleika Quintanilla")]);
    org.ok(&["list", "publish"]);
    let report = sent_id(&send_report(
        &m,
        "raid",
        "es",
        "Furgoneta kumquat frente a la escuela",
    ));
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
    // Signed while the node is down: queued in the outbox, sealed to the node's inbox.
    let queued = send_report(&m, "raid", "en", "Papaya van on Mission");
    assert_eq!(queued.json()["status"], "queued", "{queued:?}");
    let queued = sent_id(&queued);

    let mut needles = vec![
        text("Zuleika Quintanilla"),
        text("Furgoneta kumquat"),
        text("Quokka checkpoint"),
        text("Avoid the corner"),
        text("Papaya van"),
        // The community (its invite names it and its organizer's address) and the
        // member's own area: the private settings, sealed like the rest.
        text("Mission rapid response"),
        text(&invite),
        text(&boot),
        text("dr5ru"),
    ];
    needles.extend(forms("the alert id", &alert));
    needles.extend(forms("the report id", &report));
    needles.extend(forms("the queued report id", &queued));
    // Keys are searched in the store and every file the node writes, config.toml too (the
    // followed lists and the community's roots are sealed). Left for later (see README
    // "Encrypted home"): member.key holds the member's public key in clear (so `aviso id`
    // needs no passphrase).
    let mut keys = forms("the member key", &member_key);
    keys.extend(forms("the organizer key", &org_key));
    assert!(
        org.path().join("list-draft.json").exists(),
        "the organizer's draft is kept"
    );
    for h in [&org, &m] {
        let mut hits = find(h.path(), &needles);
        hits.extend(
            find(h.path(), &keys)
                .into_iter()
                .filter(|hit| !hit.ends_with("member.key")),
        );
        assert!(hits.is_empty(), "[{}] readable at rest: {hits:#?}", h.name);
        // The node key (the peer id others see) and the draft are sealed files.
        for name in ["node.key", "list-draft.json", "private-settings.toml"] {
            let path = h.path().join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                assert!(
                    bytes.starts_with(SEALED_FILE),
                    "[{}] {name} is not sealed",
                    h.name
                );
            }
        }
    }

    // The node opens its outbox and sends what was queued.
    m.start_node(std::slice::from_ref(&boot));
    wait_for("the queued report sent", WAIT, || {
        let feed = m.ok(&["feed", "--all", "--json"]).stdout;
        feed.contains(&queued).then_some(())
    });
    assert!(
        files(&m.path().join("outbox")).is_empty(),
        "the outbox is emptied"
    );
    // The sealed settings are read back by the restarted node.
    let settings = m.get("/v1/settings").expect("settings");
    assert!(
        settings["areas"].to_string().contains("dr5ru"),
        "{settings}"
    );
    assert!(
        settings["follow"].to_string().contains(&member_key),
        "{settings}"
    );

    // Panic with the node running: it wipes and stops; nothing is printed.
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

/// Set `duress` as the duress passphrase of `h` (its node stopped).
fn set_duress(h: &Home, duress: &str) {
    let file = h.path().join("duress");
    std::fs::write(&file, format!("{duress}\n")).expect("write");
    h.ok(&["panic", "--set-duress", file.to_str().expect("utf-8")]);
    std::fs::remove_file(&file).expect("remove");
}

/// The node of `h` stopped, its home is empty, and its log says nothing of a wipe.
fn wiped_silently(h: &mut Home) {
    assert!(h.wait_node_exit(WAIT), "the node stops: {}", h.log());
    let left = files(h.path());
    assert!(left.is_empty(), "left after the wipe: {left:?}");
    assert!(!h.log().to_lowercase().contains("wip"), "{}", h.log());
}

/// Someone forced to sign or unlock in front of another gives the duress passphrase: at
/// the CLI's signing prompt and at the key agent's unlock, it fails exactly like a wrong
/// passphrase, and the home is wiped (the running node with it). Before, only the data
/// key's unlock knew it: the other two just said "wrong passphrase".
#[test]
fn duress_at_the_signing_prompt_and_the_agent_wipes() {
    const DURESS: &str = "let them have it";
    // The CLI's signing prompt, with the node running.
    let (mut org, _invite, _) = organizer_with_community("organizer", "Duress");
    assert!(org.stop_node());
    set_duress(&org, DURESS);
    org.start_node(&[]);
    let send = |pass: &str| {
        let out = org
            .cmd(&[&ALERT_SEND[..], &["--headline", "Forced"][..]].concat())
            .env("AVISO_PASSPHRASE", pass)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.success(), stdout, stderr)
    };
    let wrong = send("a guess");
    assert!(
        !wrong.0 && wrong.2.contains("wrong passphrase"),
        "{wrong:?}"
    );
    assert!(org.path().join("data.key").exists());
    let duress = send(DURESS);
    assert_eq!(
        wrong, duress,
        "the duress passphrase must fail like a wrong one"
    );
    wiped_silently(&mut org);

    // The key agent's unlock (the web app's and `aviso unlock`'s).
    let mut h = Home::new("agent");
    h.ok(&["init"]);
    h.start_node(&[]);
    assert!(h.stop_node());
    set_duress(&h, DURESS);
    h.start_node(&[]);
    let unlock = |pass: &str| {
        h.post(
            "/v1/agent/unlock",
            &serde_json::json!({ "passphrase": pass }),
        )
        .expect("answer")
    };
    let wrong = unlock("a guess");
    assert!(h.path().join("member.key").exists());
    let duress = unlock(DURESS);
    assert_eq!(
        wrong, duress,
        "the duress passphrase must fail like a wrong one"
    );
    wiped_silently(&mut h);
    for x in [&org, &h] {
        let _ = std::fs::remove_file(x.path().join("node.log"));
    }
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
            let (status, _) = org
                .get_status(&format!("/v1/envelopes/{id}"))
                .expect("answer");
            status == 404
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

/// Bytes overwritten at each place in the store's largest file.
const CORRUPT_BYTES: usize = 256;
/// Where (percent into the file's non-zero bytes) they are overwritten: the middle, and
/// either side of it.
const CORRUPT_AT: [usize; 3] = [30, 50, 70];

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
        ids.iter()
            .all(|id| h.get(&format!("/v1/envelopes/{id}")).is_ok())
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
    // Where data is: sled's file has unused, zeroed stretches. Several places in the middle.
    let used: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] != 0).collect();
    for at in CORRUPT_AT {
        let from = used.len() * at / 100;
        for &i in &used[from..(from + CORRUPT_BYTES).min(used.len())] {
            bytes[i] ^= 0x5a;
        }
    }
    std::fs::write(&biggest, &bytes).expect("write");
    println!(
        "corrupted {CORRUPT_BYTES} bytes at {CORRUPT_AT:?}% of {} used bytes in {} ({} bytes)",
        used.len(),
        biggest.display(),
        bytes.len()
    );

    m.start_node(std::slice::from_ref(&boot));
    // Wherever the bytes land, the loss is reported: a record that sled returns but that
    // fails authentication is counted as damaged; records sled drops without a word (it
    // rolls its log back past damage its checksums catch) or cannot read at all (the
    // store is moved aside) are counted as missing against the sealed manifest.
    let damaged = m.get("/v1/status").expect("status")["store"]["damaged"]
        .as_u64()
        .expect("status reports damaged records");
    println!("damaged or missing records reported: {damaged}");
    assert!(damaged > 0, "the loss went unreported: {}", m.log());
    let status = m.ok(&["status"]).stdout;
    assert!(status.contains(&format!("{damaged} record")), "{status}");
    assert!(m.log().contains("fetched again from peers"), "{}", m.log());
    wait_for("the member to catch up", WAIT, || has_all(&m).then_some(()));
}
