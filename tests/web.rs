//! The web app end to end: real `aviso` processes (an organizer's node and a member's),
//! real headless Chromium at phone size, every request over 127.0.0.1.

mod cdp;
mod util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cdp::Browser;
use serde_json::Value;
use util::*;

const WAIT: Duration = Duration::from_secs(60);

fn api_addr(h: &Home) -> String {
    std::fs::read_to_string(h.path().join("api.addr"))
        .expect("api.addr")
        .trim()
        .to_string()
}

/// A raw HTTP/1.1 request to the node's web server; the status code and the body.
fn http(addr: &str, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    s.write_all(request.as_bytes()).expect("write");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// axe-core's script, installed by `.ci/run` from the npm registry.
fn axe_script() -> Option<String> {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target.join("axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(s) => Some(s),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{} is missing in CI: .ci/run installs axe-core",
                path.display()
            );
            eprintln!("skipping the accessibility check: no {}", path.display());
            None
        }
    }
}

/// Run axe-core on the open page: WCAG 2.x A and AA rules; the violations, as text.
fn axe(b: &mut Browser, script: &str) -> Vec<String> {
    b.eval(script);
    let r = b.eval(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']}})\
         .then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))",
    );
    r.as_array()
        .into_iter()
        .flatten()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_member_uses_the_web_app_from_a_phone() {
    if !cdp::available() {
        return;
    }
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let member = join("member", &invite, &boot);
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
    wait_for("the trust list at the member", WAIT, || {
        member
            .get("/v1/status")
            .ok()
            .and_then(|s| s["store"]["by_kind"]["trust_list"].as_u64())
            .filter(|n| *n >= 1)
    });
    // The clinic is open all week, the hotline closed all week: "open now" keeps one and
    // drops the other at any time the test runs.
    for (key, kind, name, free, open) in [
        (
            "clinic",
            "legal_aid",
            "Mission legal clinic",
            true,
            "mon-sun 00:00-24:00",
        ),
        (
            "line",
            "helpline",
            "Rapid response hotline",
            false,
            "closed",
        ),
    ] {
        let mut args = vec![
            "resource",
            "send",
            "--key",
            key,
            "--kind",
            kind,
            "--area",
            "9q8yy",
            "--lang",
            "en",
            "--name",
            name,
            "--phone",
            "+1 415 555 0100",
            "--open",
            open,
            "--tz",
            "America/Los_Angeles",
        ];
        if free {
            args.push("--free");
        }
        org.ok(&args);
    }
    // The organizer names the cell; members read the name, not the geohash.
    org.ok(&[
        "places",
        "set",
        "9q8yy",
        "--name",
        "Mission / 24th St",
        "--lang",
        "en",
        "--name",
        "Misión / calle 24",
        "--lang",
        "es",
    ]);
    wait_for("the place name at the member", WAIT, || {
        let places = member.ok(&["places", "list", "--json"]).json();
        (places["places"][0]["place"]["cell"] == "9q8yy").then_some(())
    });
    assert!(
        member
            .ok(&["places", "list"])
            .stdout
            .contains("Mission / 24th St")
    );
    let addr = api_addr(&member);
    let base = format!("http://{addr}");

    // Sign in with the one-time link; the link works once.
    let link = member.ok(&["web", "--json"]).json()["url"]
        .as_str()
        .expect("a link")
        .to_owned();
    assert!(link.starts_with(&format!("{base}/signin?code=")), "{link}");
    let mut b = Browser::launch(360, 780);
    b.goto(&link);
    assert_eq!(b.eval("location.pathname"), Value::from("/"));
    let page = b.text();
    assert!(
        page.contains("Alerts") && page.contains("Unverified reports"),
        "{page}"
    );
    let path = link.trim_start_matches(&base);
    let (status, body) = http(
        &addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 401, "a used link is refused: {body}");
    let (status, _) = http(
        &addr,
        &format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 401, "no session, no page");

    // An alert published by the organizer appears in the open page, without a reload.
    b.eval("window.__stayed = true");
    let sent_at = Instant::now();
    let alert = sent_id(&org.ok(&[
        "alert",
        "send",
        "--json",
        "--category",
        "raid",
        "--severity",
        "extreme",
        "--expires",
        "2h",
        "--area",
        "9q8yy",
        "--lang",
        "en",
        "--headline",
        "Raid on 24th St",
        "--instruction",
        "Do not open the door.",
    ]));
    b.wait_for(
        "the alert in the open page",
        WAIT,
        &format!("document.getElementById('a-{alert}') !== null"),
    );
    let shown_after = sent_at.elapsed();
    assert_eq!(
        b.eval("window.__stayed === true"),
        Value::from(true),
        "no reload"
    );
    let page = b.text();
    assert!(page.contains("Raid on 24th St") && page.contains("Do not open the door."));
    assert!(page.contains("Extreme danger"), "severity in words");
    assert!(
        page.contains("Mission / 24th St (\u{2068}9q8yy\u{2069})"),
        "the place by name: {page}"
    );
    assert!(
        page.contains("Verified by one organizer of Mission rapid response"),
        "{page}"
    );
    eprintln!(
        "web-latency: alert shown {} ms after `alert send` returned",
        shown_after.as_millis()
    );

    // A cancel removes it, with its reason.
    org.ok(&["alert", "cancel", &alert]);
    b.wait_for(
        "the cancel in the open page",
        WAIT,
        &format!("document.getElementById('a-{alert}') === null && document.getElementById('e-{alert}') !== null"),
    );
    assert!(b.text().contains("Cancelled"));

    // A report sent from the page reaches the organizer as unverified. The key is
    // locked: the form asks for the passphrase once. Named places are offered by name.
    b.goto(&format!("{base}/report"));
    assert_eq!(
        b.eval("document.querySelector('#place option[value=\"9q8yy\"]').textContent"),
        Value::from("Mission / 24th St (\u{2068}9q8yy\u{2069})")
    );
    b.eval(&format!(
        "document.getElementById('category').value = 'patrol';\
         document.getElementById('area').value = '9q8yy';\
         document.getElementById('text').value = 'Two white vans by the school';\
         document.getElementById('passphrase').value = '{PASSPHRASE}';\
         document.querySelector('form[action=\"/report\"]').submit(); true"
    ));
    b.wait_for(
        "the report to be sent",
        WAIT,
        "document.body.innerText.includes('Report sent')",
    );
    wait_for("the report at the organizer", WAIT, || {
        let feed = org.ok(&["feed", "--json"]).json();
        feed["reports"].as_array()?.iter().find(|r| {
            r["report"]["note"]["text"] == "Two white vans by the school"
                && r["state"]["state"] == "unverified"
        })?;
        Some(())
    });

    // A form with a mistake keeps what was typed and says what to change.
    b.goto(&format!("{base}/report"));
    b.eval(
        "document.getElementById('area').value = 'not a cell!';\
         document.getElementById('text').value = 'kept';\
         document.querySelector('form[action=\"/report\"]').submit(); true",
    );
    b.wait_for(
        "the form's errors",
        WAIT,
        "document.getElementById('errors') !== null",
    );
    assert_eq!(
        b.eval("document.getElementById('text').value"),
        Value::from("kept")
    );
    assert_eq!(
        b.eval("document.activeElement.id"),
        Value::from("errors"),
        "focus on the errors"
    );

    // Help near you: the filters narrow the directory.
    b.goto(&format!("{base}/help"));
    let all = b.text();
    assert!(all.contains("Mission legal clinic") && all.contains("Rapid response hotline"));
    b.goto(&format!("{base}/help?kind=legal_aid"));
    let legal = b.text();
    assert!(legal.contains("Mission legal clinic") && !legal.contains("Rapid response hotline"));
    b.goto(&format!("{base}/help?free=true"));
    assert!(!b.text().contains("Rapid response hotline"));
    b.goto(&format!("{base}/help?now=true"));
    let open = b.text();
    assert!(
        open.contains("Mission legal clinic") && !open.contains("Rapid response hotline"),
        "open now, by the structured hours: {open}"
    );
    assert_eq!(
        b.eval("document.querySelector('a[href^=\"tel:\"]').getAttribute('href')"),
        Value::from("tel:+14155550100")
    );

    // Settings persist, and the pages follow the member's language.
    b.goto(&format!("{base}/settings"));
    b.eval(
        "document.getElementById('languages').value = 'es, en';\
         document.querySelector('form[action=\"/settings\"]').submit(); true",
    );
    b.wait_for(
        "the settings to be saved",
        WAIT,
        "document.body.innerText.includes('Guardado')",
    );
    b.goto(&format!("{base}/settings"));
    assert_eq!(
        b.eval("document.getElementById('languages').value"),
        Value::from("es, en")
    );
    assert_eq!(member.get("/v1/settings").unwrap()["languages"][0], "es");
    let config = std::fs::read_to_string(member.path().join("config.toml")).expect("config");
    assert!(
        config.contains(r#""es""#) && config.contains("languages"),
        "saved for a restart: {config}"
    );
    b.goto(&base);
    assert!(b.text().contains("Alertas"));

    // Areas of interest picked by name: the place shows in the member's language, and
    // ticking it follows its cell.
    b.goto(&format!("{base}/settings"));
    assert!(b.text().contains("Misión / calle 24"), "{}", b.text());
    b.eval(
        "document.querySelector('input[name=place][value=\"9q8yy\"]').checked = true;\
         document.querySelector('form[action=\"/settings\"]').submit(); true",
    );
    b.wait_for(
        "the place to be followed",
        WAIT,
        "document.body.innerText.includes('Guardado')",
    );
    let areas = member.get("/v1/settings").unwrap()["areas"].clone();
    assert_eq!(areas, serde_json::json!(["9q8yy"]));
    assert_eq!(
        b.eval("document.querySelector('input[name=place][value=\"9q8yy\"]').checked"),
        Value::from(true)
    );

    // Cross-site and rebinding requests are refused.
    let form = "to=ar&back=%2F";
    let (status, _) = http(
        &addr,
        &format!(
            "POST /lang HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(status, 403, "cross-site POST");
    let (status, _) = http(
        &addr,
        "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403, "foreign Host");

    // Every request the pages made went to the node itself.
    let foreign: Vec<_> = b
        .requests
        .iter()
        .filter(|u| !u.starts_with(&base) && !u.starts_with("data:") && *u != "about:blank")
        .collect();
    assert!(foreign.is_empty(), "requests off the node: {foreign:?}");

    // The first load of the alerts page, compressed, with its script, style and icons.
    let mut fresh = Browser::launch(360, 780);
    let link = member.ok(&["web", "--json"]).json()["url"]
        .as_str()
        .expect("a link")
        .to_owned();
    fresh.goto(&link);
    fresh.settle();
    eprintln!(
        "web-first-load: {} bytes for the alerts page, every asset included",
        fresh.bytes
    );

    // Accessibility: axe-core on every page, in Spanish, English and Arabic.
    let axe_js = axe_script();
    if let Some(script) = &axe_js {
        for lang in ["es", "en", "ar"] {
            set_lang(&mut b, lang);
            for page in PAGES {
                b.goto(&format!("{base}{page}"));
                assert_eq!(b.eval("document.documentElement.lang"), Value::from(lang));
                let v = axe(&mut b, script);
                assert!(v.is_empty(), "axe-core on {page} in {lang}: {v:#?}");
            }
        }
        // The check itself works: an image without a text alternative is caught.
        b.eval(
            "document.body.insertAdjacentHTML('beforeend', '<img src=\"/assets/icon.svg\">'); true",
        );
        let v = axe(&mut b, script);
        assert!(v.iter().any(|v| v.starts_with("image-alt")), "{v:?}");
    }

    // Screenshots for the README and for review, when asked for: at phone and desktop
    // size, in Spanish and Arabic, each page checked by axe-core at that size too.
    if let Ok(dir) = std::env::var("AVISO_SCREENSHOTS") {
        let dir = PathBuf::from(dir);
        let raid = sent_id(&org.ok(&[
            "alert",
            "send",
            "--json",
            "--category",
            "raid",
            "--severity",
            "extreme",
            "--expires",
            "2h",
            "--area",
            "9q8yy",
            "--lang",
            "es",
            "--headline",
            "Redada en la calle 24",
            "--instruction",
            "No abra la puerta. Llame a la línea de respuesta rápida.",
        ]));
        wait_for("the raid at the member", WAIT, || {
            member.get(&format!("/v1/envelopes/{raid}")).ok()
        });
        for (w, h, size) in [(390, 844, "phone"), (1280, 900, "desktop")] {
            b.viewport(w, h, w < 600);
            for lang in ["es", "ar"] {
                set_lang(&mut b, lang);
                for page in PAGES {
                    b.goto(&format!("{base}{page}"));
                    let name = page.trim_start_matches('/');
                    let name = if name.is_empty() { "alerts" } else { name };
                    b.screenshot(&dir.join(format!("{size}-{lang}-{name}.png")));
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
}

/// Every page of the member's app.
const PAGES: [&str; 6] = ["/", "/report", "/help", "/settings", "/status", "/unlock"];

/// Choose the page language on this browser, as the language switch does.
fn set_lang(b: &mut Browser, lang: &str) {
    b.eval(&format!(
        "fetch('/lang', {{method: 'POST', headers: {{'Content-Type': 'application/x-www-form-urlencoded'}}, body: 'to={lang}&back=%2F'}}).then(() => true)"
    ));
}
