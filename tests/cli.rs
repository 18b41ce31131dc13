//! End to end, as people use it: an organizer and members, each with their own home and a
//! real `aviso node` process on loopback, driven only through the `aviso` command line.

mod util;

use std::time::Duration;

use serde_json::Value;
use util::*;

const WAIT: Duration = Duration::from_secs(60);

fn feed(h: &Home, all: bool) -> Value {
    let mut args = vec!["feed", "--json"];
    if all {
        args.push("--all");
    }
    h.ok(&args).json()
}

fn shown_alert<'a>(feed: &'a Value, id: &str) -> Option<&'a Value> {
    feed["alerts"]
        .as_array()?
        .iter()
        .find(|a| a["id"] == id && a["shown"] == true)
}

#[test]
fn organizer_and_members_from_invite_to_revocation() {
    // The organizer: a key, a node, a community whose invite carries the node's address.
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");

    let m1 = join("member-1", &invite, &boot);
    let m2 = join("member-2", &invite, &boot);
    let org2 = join("organizer-2", &invite, &boot);
    let outsider = join("outsider", &invite, &boot);

    // The trust list: two members and a second organizer.
    list_add(
        &org,
        &[
            (&m1, "member", "Luis"),
            (&m2, "member", "Rosa"),
            (&org2, "organizer", "Ana"),
        ],
    );
    org.ok(&["list", "publish"]);
    wait_for_trust_lists(&[&m1, &m2, &org2, &outsider], 1, WAIT);

    // A member reports a sighting; the organizer sees it and confirms it in two languages.
    let report = sent_id(&send_report(
        &m1,
        "raid",
        "es",
        "Dos camionetas sin placas en la 24",
    ));
    wait_for("the report at the organizer", WAIT, || {
        let list = org.ok(&["report", "list", "--json"]).json();
        list["reports"]
            .as_array()?
            .iter()
            .any(|r| r["id"] == report.as_str())
            .then_some(())
    });
    let alert = sent_id(&org.ok(&[
        "report",
        "confirm",
        &report,
        "--json",
        "--severity",
        "severe",
        "--expires",
        "2h",
        "--lang",
        "en",
        "--headline",
        "Raid on 24th St",
        "--text",
        "Two unmarked vans.",
        "--lang",
        "es",
        "--headline",
        "Redada en la calle 24",
        "--text",
        "Dos camionetas sin placas.",
    ]));

    // The other member reads Spanish: the alert is trusted, in Spanish; the report confirmed.
    m2.ok(&["trust", "languages", "es", "en"]);
    wait_for("the confirmed alert in Spanish at member 2", WAIT, || {
        let f = feed(&m2, false);
        let a = shown_alert(&f, &alert)?;
        let confirmed = f["reports"].as_array()?.iter().any(|r| {
            r["id"] == report.as_str()
                && r["state"]["state"] == "confirmed"
                && r["state"]["by"] == alert.as_str()
        });
        (a["text"]["lang"] == "es" && a["text"]["headline"] == "Redada en la calle 24" && confirmed)
            .then_some(())
    });
    let f = feed(&m2, false);
    assert!(
        f["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .all(|a| a["id"] != report.as_str()),
        "a report is never an alert"
    );

    // An outsider cannot get an alert shown anywhere: its own node refuses to relay it.
    let fake = outsider.run(&[
        "alert",
        "send",
        "--category",
        "raid",
        "--severity",
        "extreme",
        "--area",
        "9q8yy",
        "--expires",
        "1h",
        "--lang",
        "en",
        "--headline",
        "FAKE raid everywhere",
    ]);
    assert!(
        !fake.ok,
        "the outsider's alert was accepted: {}",
        fake.stdout
    );
    for h in [&org, &m1, &m2] {
        let all = feed(h, true);
        let leaked = all["alerts"]
            .as_array()
            .expect("alerts")
            .iter()
            .any(|a| a["text"]["headline"] == "FAKE raid everywhere");
        assert!(!leaked, "{} holds the outsider's alert", h.name);
    }

    // The organizer cancels the alert: it disappears from every feed.
    org.ok(&["alert", "cancel", &alert]);
    for h in [&m1, &m2, &org2] {
        wait_for(&format!("the cancel at {}", h.name), WAIT, || {
            shown_alert(&feed(h, false), &alert).is_none().then_some(())
        });
    }

    // The second organizer's alert shows until the organizer revokes that key.
    let second = sent_id(&org2.ok(&[
        "alert",
        "send",
        "--json",
        "--category",
        "patrol",
        "--severity",
        "moderate",
        "--area",
        "9q8yv",
        "--expires",
        "3h",
        "--lang",
        "en",
        "--headline",
        "Patrol car on Valencia",
    ]));
    wait_for("the second organizer's alert at member 2", WAIT, || {
        shown_alert(&feed(&m2, false), &second).map(|_| ())
    });
    org.ok(&[
        "list",
        "revoke",
        &public_key(&org2),
        "--since",
        "0",
        "--reason",
        "phone stolen",
    ]);
    org.ok(&["list", "publish"]);
    wait_for("the revocation at member 2", WAIT, || {
        shown_alert(&feed(&m2, false), &second)
            .is_none()
            .then_some(())
    });
    let hidden = feed(&m2, true);
    let item = hidden["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .find(|a| a["id"] == second.as_str())
        .expect("still stored");
    assert!(
        item["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .any(|r| r["reason"] == "revoked"),
        "{item}"
    );

    // A resource notice, updated: only the new version shows.
    let resource_args = |name: &str| {
        vec![
            "resource".to_string(),
            "send".into(),
            "--key".into(),
            "clinic".into(),
            "--kind".into(),
            "legal_aid".into(),
            "--area".into(),
            "9q8yy".into(),
            "--lang".into(),
            "en".into(),
            "--name".into(),
            name.to_string(),
            "--free".into(),
            "--confidential".into(),
        ]
    };
    let v1: Vec<String> = resource_args("Mission legal clinic");
    org.ok(&v1.iter().map(String::as_str).collect::<Vec<_>>());
    // No pause: a new version signed within the same second still replaces the older.
    let v2: Vec<String> = resource_args("Mission legal clinic (new hours)");
    org.ok(&v2.iter().map(String::as_str).collect::<Vec<_>>());
    wait_for("only the new resource version at member 2", WAIT, || {
        let list = m2.ok(&["resource", "list", "--json"]).json();
        let names: Vec<String> = list["resources"]
            .as_array()?
            .iter()
            .filter_map(|r| r["text"]["name"].as_str().map(str::to_owned))
            .collect();
        (names == ["Mission legal clinic (new hours)"]).then_some(())
    });
}

/// Regression (security review, high 1): with `list threshold raid 2`, one organizer
/// cannot silence a co-signed raid alert by retracting it, and a member cannot retract it
/// at all; a retraction co-signed by a second organizer does end it.
#[test]
fn one_organizer_cannot_silence_a_co_signed_alert() {
    let (root, invite, boot) = organizer_with_community("root", "Mission rapid response");
    let o1 = join("organizer-1", &invite, &boot);
    let o2 = join("organizer-2", &invite, &boot);
    let member = join("member", &invite, &boot);
    list_add(
        &root,
        &[
            (&o1, "organizer", "Ana"),
            (&o2, "organizer", "Beto"),
            (&member, "member", "Luis"),
        ],
    );
    root.ok(&["list", "threshold", "raid", "2"]);
    root.ok(&["list", "publish"]);
    wait_for_trust_lists(&[&o1, &o2, &member], 1, WAIT);
    let alert = sent_id(&o1.ok(&alert_args(
        "2h",
        &[
            "--json",
            "--area",
            "9q8yy",
            "--lang",
            "en",
            "--headline",
            "Raid on 24th St",
        ],
    )));
    wait_for("the alert at the root", WAIT, || {
        root.get(&format!("/v1/envelopes/{alert}")).ok()
    });
    root.ok(&["alert", "endorse", &alert]);
    wait_for("the co-signed alert at the member", WAIT, || {
        shown_alert(&feed(&member, false), &alert).map(|_| ())
    });

    // Regression (issue 17): a report that tries to erase its "unverified" label and
    // redraw itself as an alert on other members' terminals is printed harmless.
    let forged = "vans\x1b[2K\x1b[1A\r\x1b[1;31mSEVERE raid (trusted)\x1b[0m\u{202e}";
    let report = sent_id(&send_report(&member, "raid", "en", forged));
    wait_for("the report at the root", WAIT, || {
        root.get(&format!("/v1/envelopes/{report}")).ok()
    });
    for args in [&["feed"][..], &["report", "list"][..]] {
        let out = root.ok(args).stdout;
        assert!(out.contains("vansSEVERE raid (trusted)"), "{out}");
        assert!(
            !out.chars()
                .any(|c| c == '\x1b' || c == '\r' || c == '\u{202e}'),
            "`aviso {}` printed a terminal escape: {out:?}",
            args.join(" ")
        );
    }

    // Regression (issue 17): a file with a valid header and only bad lines is a failure.
    let bad = root.path().join("bad-export.txt");
    std::fs::write(&bad, "aviso-export v1\nzz-not-hex\n00ff\n").expect("writes");
    let r = root.run(&["import", bad.to_str().expect("utf-8 path")]);
    assert!(
        !r.ok && r.stderr.contains("nothing could be imported"),
        "{}",
        r.stderr
    );

    // A member may not retract it: refused before any signature.
    let refused = member.run(&["alert", "retract", &alert, "--reason", "false"]);
    assert!(!refused.ok, "{}", refused.stdout);
    assert!(
        refused.stderr.contains("may not withdraw"),
        "{}",
        refused.stderr
    );

    // O2 alone: signed and sent, with a note that it waits for a co-signer; the alert stays.
    let retraction = o2.ok(&["alert", "retract", &alert, "--reason", "false"]);
    assert!(
        retraction.stdout.contains("co-sign"),
        "{}",
        retraction.stdout
    );
    let retraction = retraction
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("retraction sent: "))
        .expect("the retraction id")
        .trim()
        .to_string();
    wait_for("the retraction at the member", WAIT, || {
        member.get(&format!("/v1/envelopes/{retraction}")).ok()
    });
    assert!(
        shown_alert(&feed(&member, false), &alert).is_some(),
        "one organizer's retraction silenced a co-signed alert"
    );

    // O2 cannot co-sign its own retraction; the root can, and then the alert ends.
    let own = o2.run(&["alert", "endorse", &retraction]);
    assert!(!own.ok && own.stderr.contains("yourself"), "{}", own.stderr);
    wait_for("the retraction at the root", WAIT, || {
        root.get(&format!("/v1/envelopes/{retraction}")).ok()
    });
    root.ok(&["alert", "endorse", &retraction]);
    wait_for("the co-signed retraction at the member", WAIT, || {
        shown_alert(&feed(&member, false), &alert)
            .is_none()
            .then_some(())
    });

    // Regression (issue 17): updating an alert of a co-signed category says that the new
    // version waits for co-signers.
    let raid = sent_id(&o1.ok(&alert_args(
        "1h",
        &[
            "--json",
            "--area",
            "9q8yy",
            "--lang",
            "en",
            "--headline",
            "Raid on 26th St",
        ],
    )));
    let note = o1.ok(&[
        "alert",
        "update",
        &raid,
        "--lang",
        "en",
        "--headline",
        "Raid over",
    ]);
    assert!(note.stdout.contains("co-sign"), "{}", note.stdout);
    // Logs written to a file carry no colour codes (regression, issue 17).
    for h in [&root, &o1, &member] {
        assert!(!h.log().contains('\x1b'), "ANSI codes in {}'s log", h.name);
    }

    // Regression (issue 17): an update sent at once (within the same second) replaces
    // the alert it names; before, the older text won in 2 to 6 tries of 8.
    for n in 0..3 {
        let first = sent_id(&o1.ok(&[
            "alert",
            "send",
            "--json",
            "--category",
            "patrol",
            "--severity",
            "moderate",
            "--area",
            "9q8yv",
            "--expires",
            "1h",
            "--lang",
            "en",
            "--headline",
            &format!("Patrol car on Valencia ({n})"),
        ]));
        let update = sent_id(&o1.ok(&[
            "alert",
            "update",
            &first,
            "--json",
            "--lang",
            "en",
            "--headline",
            &format!("Patrol car moved to Guerrero ({n})"),
        ]));
        wait_for("the update at the member", WAIT, || {
            let f = feed(&member, false);
            (shown_alert(&f, &update).is_some() && shown_alert(&f, &first).is_none()).then_some(())
        });
    }
}

/// `aviso alert send` with the options every case shares, then `extra`.
fn alert_args<'a>(expires: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "alert",
        "send",
        "--category",
        "raid",
        "--severity",
        "severe",
        "--expires",
        expires,
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_nothing_written() {
    let h = Home::new("bad-input");
    h.ok(&["init"]);
    let wrong = h
        .cmd(&["id"])
        .env("AVISO_PASSPHRASE", "wrong")
        .output()
        .expect("runs");
    assert!(
        wrong.status.success(),
        "reading the public key needs no passphrase"
    );

    let r = h.run(&["community", "join", "AVISO1:NOTANINVITE"]);
    assert!(!r.ok && r.stderr.contains("invite"), "{}", r.stderr);

    let invite = {
        h.ok(&["community", "create", "--name", "Test"]);
        h.ok(&["community", "invite", "--json"]).json()["invite"]
            .as_str()
            .expect("invite")
            .to_string()
    };
    assert!(invite.starts_with("AVISO2:"));
    let send = |extra: &[&str]| h.run(&alert_args("1h", extra));
    let r = send(&["--area", "not-a-cell", "--lang", "en", "--headline", "x"]);
    assert!(!r.ok && r.stderr.contains("geohash"), "{}", r.stderr);
    let r = send(&["--area", "9q8yy", "--lang", "english!", "--headline", "x"]);
    assert!(!r.ok && r.stderr.contains("BCP 47"), "{}", r.stderr);
    let long = "x".repeat(300);
    let r = send(&["--area", "9q8yy", "--lang", "en", "--headline", &long]);
    assert!(!r.ok && r.stderr.contains("headline"), "{}", r.stderr);
    let r = h.run(&alert_args(
        "40d",
        &["--area", "9q8yy", "--lang", "en", "--headline", "x"],
    ));
    assert!(!r.ok && r.stderr.contains("30"), "{}", r.stderr);

    // Wrong passphrase: a clear error and nothing queued.
    let wrong = h
        .cmd(&alert_args(
            "1h",
            &["--area", "9q8yy", "--lang", "en", "--headline", "x"],
        ))
        .env("AVISO_PASSPHRASE", "not the passphrase")
        .output()
        .expect("runs");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("passphrase"));
    assert!(
        !h.path().join("outbox").exists(),
        "nothing was written half-way"
    );

    // No node running: a valid alert is signed and kept in the outbox, not lost.
    let queued = send(&["--area", "9q8yy", "--lang", "en", "--headline", "queued"]);
    assert!(queued.ok, "{}", queued.stderr);
    assert!(queued.stderr.contains("outbox"), "{}", queued.stderr);
    assert_eq!(
        std::fs::read_dir(h.path().join("outbox"))
            .expect("outbox")
            .count(),
        1
    );

    // Reading commands with no node running say what to do.
    let r = h.run(&["feed"]);
    assert!(!r.ok && r.stderr.contains("aviso node"), "{}", r.stderr);

    // Regressions (issue 17). With --json, errors are JSON on stderr.
    let r = h.run(&["feed", "--json"]);
    let e: Value = serde_json::from_str(r.stderr.trim()).expect("a JSON error");
    assert!(
        !r.ok
            && e["error"]
                .as_str()
                .is_some_and(|m| m.contains("aviso node")),
        "{e}"
    );
    // An unknown category is one line, like every other bad input.
    let r = h.run(&["alert", "send", "--category", "raids", "--area", "9q8yy"]);
    assert!(
        !r.ok && r.stderr.trim().lines().count() == 1,
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("raids"), "{}", r.stderr);
    // An onset after the expiry, and a report with empty text, are refused before signing.
    let later = (aviso_node::unix_now() + 7200).to_string();
    let r = send(&[
        "--area",
        "9q8yy",
        "--lang",
        "en",
        "--headline",
        "x",
        "--onset",
        &later,
    ]);
    assert!(!r.ok && r.stderr.contains("onset"), "{}", r.stderr);
    let r = h.run(&[
        "report",
        "send",
        "--area",
        "9q8yy",
        "--category",
        "raid",
        "--lang",
        "es",
        "--text",
        "",
    ]);
    assert!(!r.ok && r.stderr.contains("empty"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_dir(h.path().join("outbox"))
            .expect("outbox")
            .count(),
        1,
        "nothing more was queued"
    );
}

#[test]
fn demo_shows_the_whole_flow_and_stops() {
    let h = Home::new("demo");
    let dir = h.path().join("mesh");
    let r = h.run(&["demo", "--once", "--dir", dir.to_str().expect("utf-8 path")]);
    assert!(r.ok, "demo failed:\n{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("Retén en Mission y 24"),
        "the member sees the alert in Spanish:\n{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Línea de respuesta rápida"),
        "and the hotline notice:\n{}",
        r.stdout
    );
}

#[test]
fn bad_opening_hours_and_place_names_are_refused_in_one_line() {
    let h = Home::new("bad-places");
    h.ok(&["init"]);
    h.ok(&["community", "create", "--name", "Test"]);
    let resource = |extra: &[&str]| {
        let mut args = vec![
            "resource",
            "send",
            "--key",
            "k",
            "--kind",
            "legal_aid",
            "--area",
            "9q8yy",
            "--lang",
            "en",
            "--name",
            "Clinic",
        ];
        args.extend_from_slice(extra);
        h.run(&args)
    };
    let one_line = |r: &Run, says: &str| {
        assert!(
            !r.ok && r.stderr.trim().lines().count() == 1 && r.stderr.contains(says),
            "{}",
            r.stderr
        );
    };
    one_line(
        &resource(&["--open", "mon-fri 9-5", "--tz", "America/Los_Angeles"]),
        "HH:MM",
    );
    one_line(
        &resource(&[
            "--open",
            "weekdays 09:00-17:00",
            "--tz",
            "America/Los_Angeles",
        ]),
        "not a day",
    );
    one_line(
        &resource(&["--open", "mon 09:00-17:00", "--tz", "Mars/Base"]),
        "unknown time zone",
    );
    one_line(&resource(&["--open", "mon 09:00-17:00"]), "--tz");
    one_line(
        &h.run(&[
            "places", "set", "9q8yy", "--name", "A", "--name", "B", "--lang", "en",
        ]),
        "2 names and 1 languages",
    );
    one_line(&h.run(&["places", "set", "9qa", "--name", "A"]), "geohash");
    let long = "x".repeat(81);
    one_line(&h.run(&["places", "set", "9q8yy", "--name", &long]), "80");
    assert!(
        !h.path().join("outbox").exists(),
        "nothing was signed or queued"
    );
}
