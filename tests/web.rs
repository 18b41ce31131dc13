//! The web app end to end: real `aviso` processes (an organizer's node and a member's),
//! real headless Chromium at phone size, every request over 127.0.0.1.

mod cdp;
mod util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cdp::{Browser, axe, axe_script, set_lang};
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

#[test]
fn a_member_uses_the_web_app_from_a_phone() {
    if !cdp::available() {
        return;
    }
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let member = join("member", &invite, &boot);
    list_add(&org, &[(&member, "member", "Luis")]);
    org.ok(&["list", "publish"]);
    wait_for_trust_lists(&[&member], 1, WAIT);
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
    // Saved for a restart, among the member's sealed settings.
    let config = member
        .read_sealed("private-settings.toml")
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .expect("the member's settings");
    assert!(
        config.contains(r#""es""#) && config.contains("languages"),
        "saved for a restart: {config}"
    );
    let plain = std::fs::read_to_string(member.path().join("config.toml")).expect("config");
    assert!(!plain.contains("languages ="), "{plain}");
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

    // Web Push on the settings page: the box appears, since the node offers its key and
    // the browser has a push manager. Chromium's own push subscription needs Google's
    // servers, unreachable here, so the page's subscribe and unsubscribe requests are
    // made from the page's context with a subscription the test made.
    b.goto(&format!("{base}/settings"));
    b.wait_for(
        "the Web Push box",
        WAIT,
        "document.getElementById('push').hidden === false",
    );
    let device = aviso_web::push::BrowserKeys::generate().expect("keys");
    let sub = device.subscription("https://push.example.invalid/device-2");
    let js = |path: &str, body: &str| {
        format!(
            "fetch('{path}', {{method: 'POST', credentials: 'same-origin', headers: {{'Content-Type': 'application/json'}}, body: JSON.stringify({body})}}).then(r => r.status)"
        )
    };
    let sub_json = serde_json::to_string(&sub).expect("json");
    assert_eq!(b.eval(&js("/push/subscribe", &sub_json)), Value::from(204));
    assert_eq!(
        stored_endpoints(&member),
        std::slice::from_ref(&sub.endpoint)
    );
    let unsub = serde_json::json!({ "endpoint": sub.endpoint }).to_string();
    assert_eq!(b.eval(&js("/push/unsubscribe", &unsub)), Value::from(204));
    assert!(stored_endpoints(&member).is_empty());

    // The status page says how others reach the node in the page's language.
    b.goto(&format!("{base}/status"));
    let page = b.text();
    assert!(
        !page.contains("reachable") && !page.contains("relay"),
        "reachability in English on a Spanish page: {page}"
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
const PAGES: [&str; 7] = [
    "/",
    "/report",
    "/help",
    "/settings",
    "/status",
    "/unlock",
    "/panic",
];

/// One request the stand-in push service received.
struct Pushed {
    at: Instant,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Pushed {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }
}

/// A stand-in for a push service on 127.0.0.1: it answers every request with the status
/// in `status` and hands the request to the test.
struct PushService {
    addr: String,
    got: std::sync::mpsc::Receiver<Pushed>,
    status: std::sync::Arc<std::sync::atomic::AtomicU16>,
}

impl PushService {
    fn start() -> PushService {
        use std::io::BufRead;
        use std::sync::atomic::{AtomicU16, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr").to_string();
        let (tx, got) = std::sync::mpsc::channel();
        let status = std::sync::Arc::new(AtomicU16::new(201));
        let answer = status.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                let mut r = std::io::BufReader::new(conn);
                let mut line = String::new();
                if r.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
                let mut headers = Vec::new();
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                    if let Some((n, v)) = h.split_once(':') {
                        headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
                    }
                }
                let len = headers
                    .iter()
                    .find(|(n, _)| n == "content-length")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0usize)
                    .min(64 * 1024);
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    continue;
                }
                let at = Instant::now();
                let code = answer.load(Ordering::SeqCst);
                let mut conn = r.into_inner();
                let _ = write!(
                    conn,
                    "HTTP/1.1 {code} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                if tx
                    .send(Pushed {
                        at,
                        path,
                        headers,
                        body,
                    })
                    .is_err()
                {
                    return;
                }
            }
        });
        PushService { addr, got, status }
    }

    fn next(&self) -> Pushed {
        self.got
            .recv_timeout(WAIT)
            .expect("a push request within the wait")
    }
}

/// Sign in with a one-time link, as `aviso web` gives; the session cookie.
fn session_cookie(member: &Home, addr: &str) -> String {
    let link = member.ok(&["web", "--json"]).json()["url"]
        .as_str()
        .expect("a link")
        .to_owned();
    let path = link.trim_start_matches(&format!("http://{addr}"));
    let (_, answer) = http(
        addr,
        &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    answer
        .lines()
        .find_map(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("set-cookie: aviso_session=").then(|| {
                l["set-cookie: ".len()..]
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        })
        .expect("a session cookie")
}

/// POST JSON from the app's own origin with the session; the status and the answer.
fn post_json(addr: &str, cookie: &str, path: &str, body: &Value) -> (u16, String) {
    let body = body.to_string();
    http(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nCookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn stored_endpoints(member: &Home) -> Vec<String> {
    let text = member
        .read_sealed("push/subscriptions.json")
        .unwrap_or_else(|| b"[]".to_vec());
    let v: Value = serde_json::from_slice(&text).expect("subscriptions file");
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["subscription"]["endpoint"].as_str().map(str::to_owned))
        .collect()
}

/// Web Push end to end, with real processes: the member's device subscribes through the
/// web app; an organizer's extreme alert reaches the member's node, which pushes it to
/// the (stand-in) push service, encrypted for the device and signed with the node's
/// VAPID key; a moderate alert is not pushed; a 410 removes the subscription.
#[test]
fn web_push_reaches_the_device() {
    use aviso_web::push::{BrowserKeys, verify_authorization};
    let (org, invite, boot) = organizer_with_community("organizer", "Mission rapid response");
    let mut member = Home::new("member");
    member.ok(&["init"]);
    member.ok(&["community", "join", &invite]);
    member.start_node_with_env(
        &[boot],
        &[
            ("AVISO_PUSH_ALLOW_HTTP_LOOPBACK", "1"),
            ("RUST_LOG", "aviso_node=debug,aviso_web=debug,info"),
        ],
    );
    let addr = api_addr(&member);
    let cookie = session_cookie(&member, &addr);

    let (status, answer) = http(
        &addr,
        &format!(
            "GET /push/key HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 200, "{answer}");
    let key: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or_default())
        .expect("JSON key");
    let key = key["key"].as_str().expect("key").to_owned();
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(member.path().join("push/vapid.key"))
            .expect("the VAPID key in the home")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the VAPID key is private");

    let service = PushService::start();
    let device = BrowserKeys::generate().expect("keys");
    let endpoint = format!("http://{}/push/device-1", service.addr);
    let sub = serde_json::to_value(device.subscription(&endpoint)).expect("json");
    let (status, answer) = post_json(&addr, &cookie, "/push/subscribe", &sub);
    assert_eq!(status, 204, "{answer}");
    assert_eq!(stored_endpoints(&member), std::slice::from_ref(&endpoint));
    let mut bad = sub.clone();
    bad["endpoint"] = "javascript:alert(1)".into();
    let (status, _) = post_json(&addr, &cookie, "/push/subscribe", &bad);
    assert_eq!(status, 422, "an endpoint that is not a push service's");
    let (status, _) = post_json(&addr, "aviso_session=forged", "/push/subscribe", &sub);
    assert_eq!(status, 401, "no session, no subscription");

    let alert = |severity: &str, headline: &str| send_alert(&org, severity, headline);
    // A moderate alert is shown but not pushed (the open page would not notify either).
    let moderate = alert("moderate", "Patrol car parked on Valencia");
    wait_for("the moderate alert at the member", WAIT, || {
        member.get(&format!("/v1/envelopes/{moderate}")).ok()
    });
    let sent = Instant::now();
    let raid = alert("extreme", "Raid on 24th St");
    let got = service.next();
    let arrived = got.at.saturating_duration_since(sent);
    assert_eq!(got.path, "/push/device-1");
    assert_eq!(got.header("content-encoding"), "aes128gcm");
    assert_eq!(got.header("urgency"), "high");
    let ttl: u64 = got.header("ttl").parse().expect("a TTL");
    assert!(
        ttl > 0 && ttl <= 2 * 3600,
        "TTL within the alert's life: {ttl}"
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    assert_eq!(
        verify_authorization(got.header("authorization"), &endpoint, now),
        Ok(key.clone()),
        "a VAPID token for the endpoint's origin, valid under 24 h, signed by the node's key"
    );
    let payload: Value =
        serde_json::from_slice(&device.decrypt(&got.body).expect("the device decrypts it"))
            .expect("a JSON payload");
    assert_eq!(
        payload["id"],
        Value::from(raid.clone()),
        "the extreme alert, not the moderate one"
    );
    assert_eq!(payload["url"], Value::from(format!("/alerts/{raid}")));
    assert_eq!(payload["body"], "Raid on 24th St");
    assert_eq!(payload["title"], "Extreme danger: Raid");
    let node_ms: Option<u64> = member.log().lines().find_map(|l| {
        l.contains("web push sent")
            .then(|| {
                l.split("after_change_ms=")
                    .nth(1)?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            })
            .flatten()
    });
    eprintln!(
        "web-push: arrived at the push service {} ms after `alert send` returned; {} ms after the member's node accepted it (node log)",
        arrived.as_millis(),
        node_ms.map(|m| m.to_string()).unwrap_or_else(|| "?".into())
    );

    // The push service says the device is gone: the node forgets it.
    service
        .status
        .store(410, std::sync::atomic::Ordering::SeqCst);
    alert("severe", "Checkpoint at 16th and Mission");
    let gone = service.next();
    assert_eq!(gone.header("urgency"), "high");
    wait_for("the subscription to be deleted", WAIT, || {
        stored_endpoints(&member).is_empty().then_some(())
    });
}
