//! Phones on the home network, end to end: a real `aviso` node serving the web app over
//! HTTPS on its "LAN" address (127.0.0.1 here), `aviso web pair`, real headless Chromium
//! that trusts the node's leaf by its SPKI pin (Chromium's documented
//! `--ignore-certificate-errors-spki-list`, not a blanket ignore), and a rustls client
//! that trusts only the node's CA.

mod cdp;
mod util;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use cdp::{Browser, axe, axe_script, set_lang};
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio_rustls::rustls;
use util::*;

const WAIT: Duration = Duration::from_secs(60);

/// One HTTP/1.1 request over TLS to `addr`, trusting only `ca` (DER): the status and the
/// whole answer.
fn https(addr: &str, ca: &[u8], request: &str) -> (u16, String) {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(ca.to_vec()))
        .expect("the CA parses");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let ip: std::net::IpAddr = addr
        .rsplit_once(':')
        .expect("host:port")
        .0
        .parse()
        .expect("ip");
    let conn = rustls::ClientConnection::new(
        Arc::new(config),
        rustls::pki_types::ServerName::IpAddress(ip.into()),
    )
    .expect("tls client");
    let tcp = TcpStream::connect(addr).expect("connect");
    tcp.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(request.as_bytes())
        .expect("a TLS connection the CA vouches for");
    let mut out = Vec::new();
    let _ = tls.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// `aviso web pair --json`: the URL, the code, the CA's fingerprint.
fn pair(h: &Home) -> (String, String, String) {
    let r = h.ok(&["web", "pair", "--json"]).json();
    let s = |k: &str| r[k].as_str().expect(k).to_owned();
    (s("url"), s("code"), s("ca_fingerprint"))
}

#[test]
fn a_phone_pairs_over_https_and_a_revoked_one_is_refused() {
    if !cdp::available() {
        return;
    }
    let (mut org, _invite, _boot) = organizer_with_community("organizer", "Mission rapid response");

    // Off by default: no pairing, and the command says how to turn it on.
    let off = org.run(&["web", "pair"]);
    assert!(!off.ok);
    assert!(
        off.stderr.contains("aviso web pair --enable"),
        "{}",
        off.stderr
    );

    // Turn it on, on the loopback address standing in for the LAN.
    assert!(org.stop_node(), "{}", org.log());
    org.ok(&["web", "pair", "--enable"]);
    let config_path = org.path().join("config.toml");
    let config = std::fs::read_to_string(&config_path).expect("config");
    assert!(config.contains("lan = true"), "{config}");
    std::fs::write(
        &config_path,
        config.replace(
            r#"lan_listen = "0.0.0.0:7448""#,
            r#"lan_listen = "127.0.0.1:0""#,
        ),
    )
    .expect("config");
    org.start_node(&[]);

    let (url, code, fingerprint) = pair(&org);
    let base = url.split("/pair#").next().expect("base").to_owned();
    assert!(base.starts_with("https://127.0.0.1:"), "{url}");
    assert_eq!(url, format!("{base}/pair#{code}"));
    let addr = base.trim_start_matches("https://").to_owned();
    let human = org.ok(&["web", "pair"]).stdout;
    assert!(
        human.contains("/pair#") && human.contains("SHA-256"),
        "{human}"
    );

    // The chain: a client that trusts only the node's CA (as a phone that installed it)
    // connects; the CA it trusts is the one `aviso web pair` names.
    let ca = org.read_sealed("lan/ca.der").expect("the CA");
    assert_eq!(hex::encode(Sha256::digest(&ca)), fingerprint);
    let (status, body) = https(
        &addr,
        &ca,
        &format!("GET /ca.crt HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("application/x-x509-ca-cert"));
    let (status, _) = https(
        &addr,
        &ca,
        &format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(status, 401, "no device, no page");
    // The local API is not served here.
    let (status, _) = https(
        &addr,
        &ca,
        &format!("GET /v1/status HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    assert!(status == 401 || status == 404, "{status}");

    // Chromium trusts the node's leaf by its public key pin.
    let leaf = org.read_sealed("lan/leaf.der").expect("the leaf");
    let (_, cert) = x509_parser::parse_x509_certificate(&leaf).expect("leaf parses");
    let pin = data_encoding::BASE64.encode(&Sha256::digest(cert.public_key().raw));
    let mut b = Browser::launch_with(
        360,
        780,
        &[format!("--ignore-certificate-errors-spki-list={pin}")],
    );

    // The pairing URL: the page takes the code from the fragment; one tap pairs.
    b.goto(&url);
    assert_eq!(
        b.eval("location.hash"),
        Value::from(""),
        "the code leaves the address bar"
    );
    assert_eq!(
        b.eval("document.getElementById('code').value"),
        Value::from(code.as_str())
    );
    b.eval("document.getElementById('name').value = 'Ana phone'; document.getElementById('pair-submit').click(); true");
    b.wait_for(
        "the alerts page after pairing",
        WAIT,
        "location.pathname === '/' && document.body.innerText.includes('Unverified reports')",
    );
    assert_eq!(b.eval("location.protocol"), Value::from("https:"));
    assert_eq!(
        b.eval("document.cookie"),
        Value::from(""),
        "the device cookie is HttpOnly"
    );

    // The CA the page offers is the one the terminal named.
    let got = b.eval(
        "fetch('/ca.crt').then(r => r.arrayBuffer()).then(b => crypto.subtle.digest('SHA-256', b))\
         .then(d => Array.from(new Uint8Array(d)).map(x => x.toString(16).padStart(2, '0')).join(''))",
    );
    assert_eq!(got, Value::from(fingerprint.as_str()));

    // An alert arrives in the open page live, over the TLS stream.
    let alert = send_alert(&org, "extreme", "Raid on 24th St");
    b.wait_for(
        "the alert in the paired phone's page",
        WAIT,
        &format!("document.getElementById('a-{alert}') !== null"),
    );

    // The same code again: refused.
    let again = b.eval(&format!(
        "fetch('/pair', {{method: 'POST', headers: {{'Content-Type': 'application/x-www-form-urlencoded'}}, body: 'code={code}&name=x'}}).then(r => r.status)"
    ));
    assert_eq!(again, Value::from(401), "a used pairing code");

    // Cross-site and rebinding requests are refused, even with a right code.
    let (_, code2, _) = pair(&org);
    let form = format!("code={code2}&name=evil");
    let (status, _) = https(
        &addr,
        &ca,
        &format!(
            "POST /pair HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(status, 403, "cross-site POST");
    let (status, _) = https(
        &addr,
        &ca,
        &format!(
            "POST /pair HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
            form.len()
        ),
    );
    assert_eq!(status, 403, "a plain-http origin");
    let (status, _) = https(
        &addr,
        &ca,
        "GET /pair HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 403, "foreign Host");

    // The device list; revoking the phone refuses it at once, open stream included.
    let devices = org.ok(&["web", "devices", "--json"]).json();
    let list = devices["devices"].as_array().expect("devices");
    assert_eq!(list.len(), 1, "{devices}");
    assert_eq!(list[0]["name"], "Ana phone");
    let id = list[0]["id"].as_str().expect("id").to_owned();
    assert!(org.ok(&["web", "devices"]).stdout.contains("Ana phone"));
    b.eval(
        "window.__es = new EventSource('/events'); \
         new Promise(r => { __es.onopen = () => r(true); setTimeout(() => r(false), 10000); })",
    );
    assert_eq!(
        b.eval("window.__es.readyState"),
        Value::from(1),
        "stream open"
    );
    let bad = org.run(&["web", "revoke", "nothex!"]);
    assert!(!bad.ok && bad.stderr.contains("aviso web devices"));
    org.ok(&["web", "revoke", &id]);
    b.wait_for(
        "the revoked phone's stream to end for good",
        WAIT,
        "window.__es.readyState === 2",
    );
    b.goto(&format!("{base}/"));
    assert!(
        b.text().contains("Pair this phone"),
        "a revoked device sees the pairing page"
    );
    let status = b.eval("fetch('/status').then(r => r.status)");
    assert_eq!(status, Value::from(401));
    assert!(
        org.ok(&["web", "devices", "--json"]).json()["devices"]
            .as_array()
            .expect("devices")
            .is_empty()
    );

    // Accessibility of the pairing page, at 360 px, in Spanish, English and Arabic.
    let axe_js = axe_script();
    if let Some(script) = &axe_js {
        for lang in ["es", "en", "ar"] {
            set_lang(&mut b, lang);
            b.goto(&format!("{base}/pair"));
            assert_eq!(b.eval("document.documentElement.lang"), Value::from(lang));
            let v = axe(&mut b, script);
            assert!(v.is_empty(), "axe-core on /pair in {lang}: {v:#?}");
        }
    }

    // Paired again; on the node's own machine, the settings page lists it and revokes it.
    let (url, _, _) = pair(&org);
    b.goto(&url);
    b.eval("document.getElementById('pair-submit').click(); true");
    b.wait_for("paired again", WAIT, "location.pathname === '/'");
    let link = org.ok(&["web", "--json"]).json()["url"]
        .as_str()
        .expect("a link")
        .to_owned();
    let local = link.split("/signin").next().expect("base").to_owned();
    let mut desk = Browser::launch(360, 780);
    desk.goto(&link);
    desk.goto(&format!("{local}/settings"));
    let page = desk.text();
    assert!(
        page.contains("Paired devices") && page.contains("Linux"),
        "{page}"
    );
    if let Some(script) = &axe_js {
        for lang in ["es", "en", "ar"] {
            set_lang(&mut desk, lang);
            desk.goto(&format!("{local}/settings"));
            let v = axe(&mut desk, script);
            assert!(
                v.is_empty(),
                "axe-core on /settings with a device in {lang}: {v:#?}"
            );
        }
    }
    desk.eval("document.querySelector('form[action$=\"/revoke\"] button').click(); true");
    desk.wait_for(
        "the device gone from the settings page",
        WAIT,
        "location.pathname === '/settings' && document.querySelector('form[action$=\"/revoke\"]') === null",
    );
    b.goto(&format!("{base}/"));
    assert_eq!(
        b.eval("document.getElementById('pair-form') !== null"),
        Value::from(true),
        "revoked from the settings page: the pairing page"
    );
    // Paired a third time from the settings page's button, with no terminal: the page
    // shows the address as a QR code and as text, and the phone opens it.
    desk.goto(&format!("{local}/settings"));
    desk.eval("document.getElementById('pair-phone').click(); true");
    desk.wait_for(
        "the pairing code page",
        WAIT,
        "document.getElementById('pair-url') !== null && document.querySelector('svg.qr') !== null",
    );
    let url = desk
        .eval("document.getElementById('pair-url').textContent")
        .as_str()
        .expect("the pairing address")
        .to_owned();
    assert!(url.starts_with(&format!("{base}/pair#")), "{url}");
    if let Some(script) = &axe_js {
        let v = axe(&mut desk, script);
        assert!(v.is_empty(), "axe-core on the pairing code page: {v:#?}");
    }
    if let Some(dir) = std::env::var_os("AVISO_SCREENSHOTS") {
        desk.screenshot(&std::path::Path::new(&dir).join("pair-code-phone.png"));
    }
    // Phones cannot list or revoke devices: the settings page on the LAN has no list.
    b.goto(&url);
    b.eval("document.getElementById('pair-submit').click(); true");
    b.wait_for("paired a third time", WAIT, "location.pathname === '/'");
    b.goto(&format!("{base}/settings"));
    assert_eq!(
        b.eval("document.getElementById('devices') === null"),
        Value::from(true)
    );
    assert_eq!(
        b.eval("fetch('/settings/devices/00000000/revoke', {method: 'POST'}).then(r => r.status)"),
        Value::from(404)
    );
}
