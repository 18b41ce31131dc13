//! Regression (security): an invite must not silently replace the root keys a member
//! trusts. Before the fix, an invite that kept a community's id but carried an attacker's
//! root key and bootstrap address was taken by `aviso community join` without `--force`
//! and without a word: the member's node stayed on the real topic, looked connected, and
//! from then on trusted only the attacker.
//!
//! Real `aviso` processes in temporary homes, on 127.0.0.1; the forged invites are built
//! with the protocol crate, as an attacker would.

mod util;

use std::time::Duration;

use aviso_protocol::community::SALT_LEN;
use aviso_protocol::{Community, PublicKey};
use serde_json::Value;
use util::*;

const WAIT: Duration = Duration::from_secs(60);

fn shown(h: &Home) -> Value {
    h.ok(&["community", "show", "--json"]).json()
}

fn shown_roots(h: &Home) -> Vec<String> {
    shown(h)["roots"]
        .as_array()
        .expect("roots")
        .iter()
        .map(|r| r["key"].as_str().expect("key").to_string())
        .collect()
}

/// `aviso community join ARGS` must fail with one line on stderr; returns it.
fn refused(h: &Home, args: &[&str]) -> String {
    let mut all = vec!["community", "join"];
    all.extend_from_slice(args);
    let r = h.run(&all);
    assert!(
        !r.ok,
        "[{}] aviso {} was accepted:\n{}\n{}",
        h.name,
        all.join(" "),
        r.stdout,
        r.stderr
    );
    let msg = r.stderr.trim();
    assert_eq!(msg.lines().count(), 1, "one line: {msg}");
    msg.to_string()
}

#[test]
fn an_invite_cannot_silently_replace_the_roots() {
    // The real community: an organizer's node, and a member on it.
    let (org, real_invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let real = Community::from_invite(&real_invite).expect("the real invite is valid");
    let root: PublicKey = real.roots[0];

    let mut member = Home::new("member");
    member.ok(&["init"]);
    let joined = member.ok(&["community", "join", &real_invite]);
    assert!(
        joined.stdout.contains(&root.fingerprint()),
        "join says which roots the member follows:\n{}",
        joined.stdout
    );
    member.start_node(std::slice::from_ref(&boot));
    let member_key = member.ok(&["id", "--json"]).json()["public_key"]
        .as_str()
        .expect("public key")
        .to_string();
    org.ok(&[
        "list",
        "add",
        &member_key,
        "--role",
        "member",
        "--label",
        "M",
    ]);
    org.ok(&["list", "publish"]);
    wait_for("the real trust list at the member", WAIT, || {
        member
            .get("/v1/status")
            .ok()?
            .pointer("/store/by_kind/trust_list")?
            .as_u64()
            .filter(|n| *n >= 1)
    });

    // The attacker: their own root key, and their own node in the bootstrap list.
    let attacker = aviso_protocol::fixtures::key(66);
    let peer = boot.rsplit("/p2p/").next().expect("a peer id");
    let evil_boot = format!("/ip4/127.0.0.1/tcp/9/p2p/{peer}");

    // 1. The attack: the real id and name, the attacker's root and address; the checksum
    //    is computed again, so only the id's binding to its roots can tell.
    let mut forged = Community::new(
        &attacker,
        real.salt,
        real.name.clone(),
        vec![attacker.public()],
        vec![evil_boot.clone()],
    )
    .expect("the attacker signs");
    forged.id = real.id;
    let code = forged.to_invite();
    let msg = refused(&member, &[&code]);
    assert!(msg.contains("altered"), "{msg}");
    assert!(msg.contains(&attacker.public().fingerprint()), "{msg}");
    assert!(msg.contains(&root.fingerprint()), "{msg}");
    // No flag makes an altered invite acceptable.
    refused(&member, &["--force", "--replace-roots", &code]);

    // 2. The real id and roots, the attacker's address: the root's signature tells.
    let mut swapped = real.clone();
    swapped.bootstrap = vec![evil_boot.clone()];
    let msg = refused(&member, &[&swapped.to_invite()]);
    assert!(msg.contains("altered"), "{msg}");

    assert_eq!(shown_roots(&member), [root.to_hex()], "nothing changed");
    assert_eq!(shown(&member)["id"], real.id.to_hex());

    // 3. A well-formed community of the attacker's with the same name: another id, other
    //    roots. Refused, with the old and the new fingerprints side by side; --force is
    //    not enough.
    let theirs = Community::new(
        &attacker,
        [5; SALT_LEN],
        real.name.clone(),
        vec![attacker.public()],
        vec![evil_boot.clone()],
    )
    .expect("the attacker signs");
    let code = theirs.to_invite();
    let msg = refused(&member, &[&code]);
    assert!(
        msg.contains(&root.fingerprint()) && msg.contains(&attacker.public().fingerprint()),
        "{msg}"
    );
    assert!(msg.contains("--replace-roots"), "{msg}");
    let msg = refused(&member, &["--force", &code]);
    assert!(msg.contains("--replace-roots"), "{msg}");
    assert_eq!(shown_roots(&member), [root.to_hex()], "nothing changed");

    // 4. The same community again, a new invite its root signed with another address:
    //    taken as is.
    let extra = format!("/ip4/127.0.0.1/tcp/10/p2p/{peer}");
    let updated = org
        .ok(&[
            "community",
            "invite",
            "--update",
            "--bootstrap",
            &extra,
            "--json",
        ])
        .json()["invite"]
        .as_str()
        .expect("invite")
        .to_string();
    let r = member.ok(&["community", "join", &updated]);
    assert!(r.stdout.contains("same id, same roots"), "{}", r.stdout);
    let s = shown(&member);
    assert_eq!(s["id"], real.id.to_hex());
    assert!(
        s["bootstrap"]
            .as_array()
            .expect("bootstrap")
            .iter()
            .any(|b| b == extra.as_str()),
        "{s}"
    );
    // A member cannot sign one.
    let r = member.run(&["community", "invite", "--update"]);
    assert!(!r.ok && r.stderr.contains("only a root"), "{}", r.stderr);

    // 5. The member checked the new fingerprints and confirms: the change is printed.
    let r = member.ok(&["community", "join", "--replace-roots", &code]);
    assert!(
        r.stdout.contains("root keys you trust changed"),
        "{}",
        r.stdout
    );
    let before = r.stdout.find(&root.fingerprint()).expect("old fingerprint");
    let after = r
        .stdout
        .find(&attacker.public().fingerprint())
        .expect("new fingerprint");
    assert!(before < after, "old, then new:\n{}", r.stdout);
    assert_eq!(shown_roots(&member), [attacker.public().to_hex()]);
    let j = member
        .ok(&[
            "community",
            "join",
            "--json",
            "--replace-roots",
            &real_invite,
        ])
        .json();
    assert_eq!(j["change"], "roots_replaced");
    assert_eq!(j["previous"]["roots"][0]["key"], attacker.public().to_hex());
    assert_eq!(j["roots"][0]["key"], root.to_hex());
}
