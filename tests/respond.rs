//! Responding to an alert end to end: a member answers "I'm responding" as a legal
//! observer in real headless Chromium at phone size; the organizer's node shows one legal
//! observer on its desk page, live; the member withdraws and it goes to zero; the alert
//! ends and the answers are gone on both nodes. Real `aviso` processes on 127.0.0.1.

mod cdp;
mod util;

use std::time::Duration;

use cdp::{Browser, axe, axe_script, set_lang, signed_in, web_base};
use serde_json::Value;
use util::*;

const WAIT: Duration = Duration::from_secs(60);

/// The count the desk page shows for `role`, as the page has it now.
fn desk_count(role: &str) -> String {
    format!(
        "(document.querySelector('tr[data-role=\"{role}\"] td[data-count]') || {{}}).textContent"
    )
}

/// Answer "I'm responding" as a legal observer, there in 15 minutes.
fn going_as_legal_observer(b: &mut Browser) {
    b.eval(
        "document.getElementById('role').value = 'legal-observer';\
         document.getElementById('eta').value = '15';\
         document.getElementById('respond-going').click(); true",
    );
}

fn check_axe(b: &mut Browser, axe_js: &Option<String>, what: &str) {
    if let Some(script) = axe_js {
        let v = axe(b, script);
        assert!(v.is_empty(), "axe-core on {what}: {v:#?}");
    }
}

#[test]
fn a_member_responds_and_the_organizer_sees_it_live() {
    if !cdp::available() {
        return;
    }
    let axe_js = axe_script();
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let member = join("member", &invite, &boot);
    list_add(&org, &[(&member, "member", "Luis")]);
    org.ok(&["list", "publish"]);
    let alert = send_alert(&org, "severe", "Raid on 24th St");
    wait_for("the alert at the member", WAIT, || {
        let live = member.get(&format!("/v1/responses/{alert}")).ok()?;
        live.get("tally").map(|_| ())
    });

    // The organizer's desk: nobody yet.
    let mut desk = signed_in(&org);
    let desk_page = format!("{}/desk/alerts/{alert}/responses", web_base(&org));
    desk.goto(&desk_page);
    assert_eq!(desk.eval(&desk_count("legal-observer")), Value::from("0"));
    check_axe(&mut desk, &axe_js, "the desk's responders page");

    // The member's alert page: the answer box, and a count only.
    let mut b = signed_in(&member);
    let page = format!("{}/alerts/{alert}", web_base(&member));
    b.goto(&page);
    let text = b.text();
    assert!(text.contains("Nobody is responding yet."), "{text}");
    assert!(
        text.contains("Every node of the community sees that your key answered"),
        "{text}"
    );
    check_axe(&mut b, &axe_js, "the alert page with its answer box");

    // Locked: refused, with the way to unlock.
    going_as_legal_observer(&mut b);
    b.wait_for(
        "the locked refusal",
        WAIT,
        "document.querySelector('#respond-error a[href^=\"/unlock?back=/alerts/\"]') !== null",
    );
    b.eval("document.querySelector('#respond-error a').click(); true");
    b.wait_for("the unlock page", WAIT, "location.pathname === '/unlock'");
    b.eval(&format!(
        "document.getElementById('passphrase').value = '{PASSPHRASE}';\
         document.querySelector('form[action=\"/unlock\"]').submit(); true"
    ));
    b.wait_for(
        "back on the alert",
        WAIT,
        &format!("location.pathname === '/alerts/{alert}'"),
    );

    // I'm responding, as a legal observer, in 15 minutes.
    going_as_legal_observer(&mut b);
    b.wait_for(
        "the answer sent",
        WAIT,
        "document.body.innerText.includes('the organizers see that you are on the way')",
    );
    assert!(b.text().contains("1 person is responding."));

    // The organizer's page shows one legal observer without a reload, with the ETA.
    desk.eval("window.__stayed = true");
    desk.wait_for(
        "one legal observer on the desk",
        WAIT,
        &format!("{} === '1'", desk_count("legal-observer")),
    );
    assert_eq!(desk.eval("window.__stayed === true"), Value::from(true));
    let row = desk.eval("document.querySelector('tr[data-role=\"legal-observer\"]').innerText");
    assert!(
        row.as_str().is_some_and(|r| r.contains("minutes")),
        "the ETA: {row}"
    );
    assert!(desk.text().contains("1 person is responding."));
    let api = org
        .get(&format!("/v1/responses/{alert}"))
        .expect("responses");
    assert_eq!(api["tally"]["responding"], 1);
    assert!(
        !api.to_string().contains(&public_key(&member)),
        "no key in the tally: {api}"
    );
    check_axe(&mut desk, &axe_js, "the desk with a responder");

    // The member withdraws: zero on the desk, live.
    b.eval("document.getElementById('respond-withdraw').click(); true");
    b.wait_for(
        "the withdrawal",
        WAIT,
        "document.body.innerText.includes('Your answer was withdrawn.')",
    );
    desk.wait_for(
        "zero legal observers on the desk",
        WAIT,
        &format!("{} === '0'", desk_count("legal-observer")),
    );

    // Arabic: the answer box mirrored, still accessible.
    set_lang(&mut b, "ar");
    b.goto(&page);
    assert_eq!(b.eval("document.documentElement.dir"), Value::from("rtl"));
    assert!(b.text().contains("سأحضر"), "{}", b.text());
    check_axe(&mut b, &axe_js, "the alert page in Arabic");

    // Answer again from the terminal, then the alert ends: gone on both nodes.
    member.ok(&["respond", &alert, "--role", "driver", "--eta", "10m"]);
    desk.wait_for(
        "the driver on the desk",
        WAIT,
        &format!("{} === '1'", desk_count("driver")),
    );
    org.ok(&["alert", "cancel", &alert]);
    desk.wait_for(
        "the desk says the alert ended",
        WAIT,
        "document.querySelector('[data-ended]') !== null",
    );
    for h in [&org, &member] {
        wait_for("the answers gone", WAIT, || {
            let feed = h.ok(&["feed", "--json"]).json();
            let none = feed["responses"].as_array().is_none_or(|r| r.is_empty());
            // Not a live alert any more: the API answers with an error.
            let gone = h
                .get_status(&format!("/v1/responses/{alert}"))
                .is_ok_and(|(status, v)| status == 404 && v.get("error").is_some());
            (none && gone).then_some(())
        });
    }
    // And the command line says why it takes no more answers.
    let late = member.run(&["respond", &alert, "--cant"]);
    assert!(!late.ok);
    assert!(late.stderr.contains("not a live alert"), "{}", late.stderr);
}
