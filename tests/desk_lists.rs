//! The organizer desk's lists end to end: an organizer keeps the trust list, resource
//! notices and invites in a real headless Chromium, against real `aviso` processes on
//! 127.0.0.1; a member's node and page follow.

mod cdp;
mod util;

use std::path::PathBuf;
use std::time::Duration;

use aviso_protocol::{Community, PublicKey};
use cdp::{Browser, axe, axe_script, set_lang, signed_in, web_base};
use serde_json::Value;
use util::*;

const WAIT: Duration = Duration::from_secs(60);

/// Every page this part of the desk adds.
const PAGES: [&str; 4] = [
    "/desk/trust",
    "/desk/trust/publish",
    "/desk/resources",
    "/desk/invites",
];

fn fingerprint(h: &Home) -> String {
    PublicKey::from_hex(&public_key(h))
        .expect("a key")
        .fingerprint()
}

/// The version of `owner`'s list a node follows.
fn list_version(h: &Home, owner: &str) -> Option<u64> {
    let trust = h.get("/v1/trust").ok()?;
    trust["lists"]
        .as_array()?
        .iter()
        .filter(|l| l["owner"] == owner)
        .filter_map(|l| l["version"].as_u64())
        .max()
}

/// The texts of the publish preview's changes.
fn preview(b: &mut Browser, base: &str) -> Vec<String> {
    b.goto(&format!("{base}/desk/trust/publish"));
    let v =
        b.eval("Array.from(document.querySelectorAll('#changes li')).map(li => li.textContent)");
    v.as_array()
        .expect("a list")
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Confirm the preview on the open page and wait for the published notice.
fn confirm_publish(b: &mut Browser, version: u64) {
    b.eval("document.getElementById('publish').submit(); true");
    b.wait_for(
        "the list to be published",
        WAIT,
        &format!("document.body.innerText.includes('Version {version} published')"),
    );
}

/// The dark modules of the QR code on the page, `side` modules a side with its quiet
/// zone, read back from its SVG (one `M{x} {y}h{w}v{h}H{x}V{y}` rectangle per run of dark
/// pixels), row by row.
fn qr_modules(b: &mut Browser, side: usize) -> Vec<bool> {
    let view = b.eval("document.querySelector('#invite-qr svg').getAttribute('viewBox')");
    let size: usize = view
        .as_str()
        .expect("a viewBox")
        .split(' ')
        .nth(2)
        .and_then(|s| s.parse().ok())
        .expect("a size");
    assert_eq!(size % side, 0, "whole pixels per module: {size} for {side}");
    let unit = size / side;
    let d = b.eval("document.querySelector('#invite-qr svg path').getAttribute('d')");
    let mut grid = vec![false; side * side];
    for rect in d
        .as_str()
        .expect("a path")
        .split('M')
        .filter(|m| !m.is_empty())
    {
        let nums: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(|n| n.parse().expect("a number"))
            .collect();
        let [left, top, width, height, ..] = nums[..] else {
            panic!("not a rectangle: {rect}");
        };
        for y in (top..top + height).step_by(unit) {
            for x in (left..left + width).step_by(unit) {
                grid[(y / unit) * side + x / unit] = true;
            }
        }
    }
    grid
}

#[test]
fn an_organizer_keeps_the_lists_in_the_browser() {
    if !cdp::available() {
        return;
    }
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let owner = public_key(&org);
    let member = join("member", &invite, &boot);
    let bea = join("bea", &invite, &boot);
    // A key to add from the page: Carla's device need not run a node.
    let carla = Home::new("carla");
    carla.ok(&["init"]);

    // The list as published from the CLI: Bea organizes, Luis is a member.
    org.ok(&[
        "list",
        "add",
        &public_key(&bea),
        "--role",
        "organizer",
        "--label",
        "Bea",
    ]);
    org.ok(&[
        "list",
        "add",
        &public_key(&member),
        "--role",
        "member",
        "--label",
        "Luis",
    ]);
    org.ok(&["list", "publish"]);
    wait_for("version 1 at the member and at Bea", WAIT, || {
        (list_version(&member, &owner) == Some(1) && list_version(&bea, &owner) == Some(1))
            .then_some(())
    });
    let checkpoint = send_alert(&bea, "severe", "Checkpoint on Mission St");

    // The member's page shows Bea's alert.
    let mut mb = signed_in(&member);
    let mbase = web_base(&member);
    wait_for("Bea's alert on the member's page", WAIT, || {
        mb.goto(&format!("{mbase}/"));
        let shown = mb.eval(&format!(
            "document.getElementById('a-{checkpoint}') !== null"
        ));
        (shown == true).then_some(())
    });

    // The organizer's desk shows the published list in words.
    let mut b = signed_in(&org);
    let base = web_base(&org);
    b.goto(&format!("{base}/desk/trust"));
    let page = b.text();
    assert!(page.contains("Bea") && page.contains("Luis"), "{page}");
    assert!(page.contains("version 1 published"), "{page}");
    assert!(
        page.contains("organizer (signs alerts and resource notices); everywhere; all categories and resource notices; as long as the list"),
        "{page}"
    );
    assert!(page.contains("Your signing key is locked."), "{page}");

    // A refused edit says why and keeps what was typed.
    b.eval(
        "document.getElementById('key').value = 'not a key';\
         document.getElementById('label').value = 'Carla';\
         document.getElementById('add-form').submit(); true",
    );
    b.wait_for(
        "the errors",
        WAIT,
        "document.getElementById('errors') !== null",
    );
    assert!(b.text().contains("That is not a public key"));
    assert_eq!(
        b.eval("document.getElementById('label').value"),
        Value::from("Carla")
    );

    // Carla is added as an organizer for raids in one cell.
    b.eval(&format!(
        "document.getElementById('key').value = '{}';\
         document.getElementById('label').value = 'Carla';\
         document.getElementById('role').value = 'organizer';\
         document.getElementById('areas').value = '9q8yy';\
         document.querySelector('input[name=category][value=raid]').checked = true;\
         document.getElementById('add-form').submit(); true",
        public_key(&carla)
    ));
    b.wait_for(
        "the draft to be saved",
        WAIT,
        "document.body.innerText.includes('Draft saved')",
    );

    // The preview lists exactly that change; the key is locked, so it offers to unlock.
    let changes = preview(&mut b, &base);
    assert_eq!(
        changes,
        [format!(
            "Add Carla ({}): organizer (signs alerts and resource notices); 9q8yy; Raid; as long as the list",
            fingerprint(&carla)
        )]
    );
    assert!(
        b.text()
            .contains("signs the list “Mission rapid response”, version 2")
    );
    assert_eq!(
        b.eval("document.getElementById('publish') === null"),
        Value::from(true),
        "no signing while locked"
    );
    b.eval("document.querySelector('main a.button.primary').click(); true");
    b.wait_for("the unlock page", WAIT, "location.pathname === '/unlock'");
    b.eval(&format!(
        "document.getElementById('passphrase').value = '{PASSPHRASE}';\
         document.querySelector('form[action=\"/unlock\"]').submit(); true"
    ));
    b.wait_for(
        "the preview again, unlocked",
        WAIT,
        "location.pathname === '/desk/trust/publish' && document.getElementById('publish') !== null",
    );
    confirm_publish(&mut b, 2);
    wait_for("version 2 at the member", WAIT, || {
        (list_version(&member, &owner) == Some(2)).then_some(())
    });
    let trust = member.get("/v1/trust").expect("trust");
    assert!(
        trust["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| k["key"] == public_key(&carla).as_str()),
        "Carla is trusted at the member: {trust}"
    );
    assert!(preview(&mut b, &base).is_empty(), "nothing left to publish");

    // Revoking Bea's key (everything it ever signed) hides her alert on the member's page.
    b.goto(&format!("{base}/desk/trust"));
    b.eval(&format!(
        "const f = document.querySelector('#k-{} form[action=\"/desk/trust/revoke\"]');\
         f.querySelector('input[name=reason]').value = 'phone stolen';\
         f.submit(); true",
        public_key(&bea)
    ));
    b.wait_for(
        "the revocation in the draft",
        WAIT,
        "document.body.innerText.includes('Key revoked in the draft')",
    );
    assert_eq!(
        preview(&mut b, &base),
        [format!(
            "Revoke {}: nothing it ever signed is trusted any more. Reason: phone stolen",
            fingerprint(&bea)
        )]
    );
    mb.goto(&format!("{mbase}/"));
    assert_eq!(
        mb.eval(&format!(
            "document.getElementById('a-{checkpoint}') !== null"
        )),
        Value::from(true)
    );
    confirm_publish(&mut b, 3);
    mb.wait_for(
        "Bea's alert to leave the member's open page",
        WAIT,
        &format!("document.getElementById('a-{checkpoint}') === null"),
    );

    // A resource notice made in the form shows on the member's help page.
    b.goto(&format!("{base}/desk/resources"));
    b.eval(
        "document.getElementById('kind').value = 'legal_aid';\
         document.getElementById('name').value = 'Know your rights clinic';\
         document.getElementById('hours').value = 'Tuesdays 6-8 pm';\
         document.getElementById('areas').value = '9q8yy';\
         document.querySelector('input[name=free]').checked = true;\
         document.getElementById('resource-form').submit(); true",
    );
    b.wait_for(
        "the notice to be published",
        WAIT,
        "document.body.innerText.includes('Notice published')",
    );
    assert!(b.text().contains("Know your rights clinic"));
    wait_for("the notice on the member's help page", WAIT, || {
        mb.goto(&format!("{mbase}/help"));
        mb.text().contains("Know your rights clinic").then_some(())
    });

    // The invite page: its QR code draws the text beside it, a valid invite of this
    // community.
    b.goto(&format!("{base}/desk/invites"));
    let code = b.eval("document.getElementById('invite-code').value");
    let code = code.as_str().expect("the invite text").to_owned();
    let c = Community::from_invite(&code).expect("a valid invite");
    assert_eq!(c.name, "Mission rapid response");
    assert_eq!(code, invite, "the invite members join with");
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .expect("a QR code");
    // Four light modules of quiet zone on each side.
    let quiet = 4;
    let side = qr.width() + 2 * quiet;
    let grid = qr_modules(&mut b, side);
    assert_eq!(
        grid.iter().filter(|m| **m).count(),
        qr.to_colors()
            .iter()
            .filter(|c| **c == qrcode::Color::Dark)
            .count(),
        "nothing drawn in the quiet zone"
    );
    for (i, m) in qr.to_colors().iter().enumerate() {
        let (x, y) = (i % qr.width() + quiet, i / qr.width() + quiet);
        assert_eq!(
            grid[y * side + x],
            *m == qrcode::Color::Dark,
            "module {x},{y} of the QR code"
        );
    }

    // Accessibility at phone and desktop size, in English and Arabic; screenshots when
    // asked for. The publish preview is shown with a change pending.
    org.ok(&["list", "threshold", "raid", "2"]);
    let axe_js = axe_script();
    let shots = std::env::var("AVISO_SCREENSHOTS").ok().map(PathBuf::from);
    for (w, h, size) in [(360, 780, "phone"), (1280, 900, "desktop")] {
        b.viewport(w, h, w < 600);
        for lang in ["en", "ar", "es"] {
            set_lang(&mut b, lang);
            for page in PAGES {
                b.goto(&format!("{base}{page}"));
                assert_eq!(b.eval("document.documentElement.lang"), Value::from(lang));
                if let Some(dir) = &shots {
                    let name = page.trim_start_matches('/').replace('/', "-");
                    b.screenshot(&dir.join(format!("{size}-{lang}-{name}.png")));
                }
                if let Some(script) = &axe_js {
                    let v = axe(&mut b, script);
                    assert!(
                        v.is_empty(),
                        "axe-core on {page} in {lang} at {size}: {v:#?}"
                    );
                }
            }
        }
    }
}

/// Another organizer's desk shows the owner's list read-only.
#[test]
fn only_the_owner_edits_the_list() {
    if !cdp::available() {
        return;
    }
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let other = join("other", &invite, &boot);
    org.ok(&[
        "list",
        "add",
        &public_key(&other),
        "--role",
        "organizer",
        "--label",
        "Bea",
    ]);
    org.ok(&["list", "publish"]);
    let owner = public_key(&org);
    wait_for("the list at the other organizer", WAIT, || {
        list_version(&other, &owner).filter(|v| *v >= 1)
    });
    let mut b = signed_in(&other);
    let base = web_base(&other);
    b.goto(&format!("{base}/desk/trust"));
    let page = b.text();
    assert!(
        page.contains("Only the owner of this list can change it"),
        "{page}"
    );
    assert!(page.contains("Bea"), "{page}");
    assert_eq!(
        b.eval("document.getElementById('add-form') === null"),
        Value::from(true)
    );
    // A forged form post is refused too, and writes no draft.
    let status = b.eval(
        "fetch('/desk/trust/remove', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'key=00'}).then(r => r.status)",
    );
    assert_eq!(status, Value::from(422));
    assert!(!other.path().join("list-draft.json").exists());
}
