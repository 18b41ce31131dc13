#![allow(dead_code)] // each test file uses a different part
//! A small driver for real headless Chromium over the Chrome DevTools Protocol, for the
//! web app's end-to-end tests (included as `mod cdp;`).
//!
//! Chromium starts with its own empty profile and the flags that keep it off the
//! network (no background networking, component updates, sync or QUIC), listens for
//! DevTools on a free loopback port, and is killed on drop. Every wait is bounded.
//!
//! Why not a CDP crate: the tests need a dozen commands; the generated protocol crates
//! compile the whole protocol (minutes on a 2-core machine) for them.

use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// A running browser with one page.
pub struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Every URL the page asked for (Network.requestWillBeSent), in order.
    pub requests: Vec<String>,
    /// Console messages and exceptions the page logged.
    pub console: Vec<String>,
    /// Bytes received over the network (compressed, headers included), since the last
    /// [`Browser::reset_counters`].
    pub bytes: u64,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the browser is installed; tests skip without it, except in CI (`CI=true`),
/// where `.ci/run` installs it and its absence is a failure.
pub fn available() -> bool {
    let here = Path::new(CHROMIUM).exists();
    if !here {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium package"
        );
        eprintln!("skipping: {CHROMIUM} is not installed (apt-get install chromium)");
    }
    here
}

impl Browser {
    /// Start Chromium and open a blank page of `width` x `height` CSS pixels.
    pub fn launch(width: u32, height: u32) -> Browser {
        Browser::launch_with(width, height, &[])
    }

    /// [`Browser::launch`] with more command-line switches.
    pub fn launch_with(width: u32, height: u32, extra: &[String]) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let child = Command::new(CHROMIUM)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={width},{height}"))
            .args(extra)
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromium");
        let port_file: PathBuf = profile.path().join("DevToolsActivePort");
        let start = Instant::now();
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(p), Some(path)) = (lines.next(), lines.next()) {
                    break (p.trim().to_owned(), path.trim().to_owned());
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "chromium did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let url = format!("ws://127.0.0.1:{port}{path}");
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).expect("devtools port");
        let (ws, _) = tungstenite::client(url.as_str(), stream).expect("devtools websocket");
        ws.get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let mut b = Browser {
            child,
            _profile: profile,
            ws,
            session: String::new(),
            next_id: 0,
            requests: Vec::new(),
            console: Vec::new(),
            bytes: 0,
        };
        let target = b.call_browser("Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().expect("target id").to_owned();
        let attached = b.call_browser(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().expect("session").to_owned();
        b.call("Page.enable", json!({}));
        b.call("Network.enable", json!({}));
        b.call("Runtime.enable", json!({}));
        b.viewport(width, height, width < 600);
        b
    }

    fn send(&mut self, method: &str, params: Value, session: Option<String>) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .expect("send to devtools");
        let start = Instant::now();
        loop {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "no answer to {method}"
            );
            let Some(v) = self.read() else { continue };
            if v["id"].as_u64() == Some(id) {
                if let Some(err) = v.get("error") {
                    panic!("{method} failed: {err}");
                }
                return v["result"].clone();
            }
        }
    }

    /// One message from the browser, if one arrives within the read timeout; events
    /// are recorded on the way.
    fn read(&mut self) -> Option<Value> {
        match self.ws.read() {
            Ok(Message::Text(t)) => {
                let v: Value = serde_json::from_str(t.as_str()).ok()?;
                self.record(&v);
                Some(v)
            }
            Ok(_) => None,
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                None
            }
            Err(e) => panic!("devtools connection lost: {e}"),
        }
    }

    fn record(&mut self, v: &Value) {
        match v["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                if let Some(u) = v["params"]["request"]["url"].as_str() {
                    self.requests.push(u.to_owned());
                }
            }
            Some("Network.loadingFinished") => {
                self.bytes += v["params"]["encodedDataLength"].as_f64().unwrap_or(0.0) as u64;
            }
            Some("Runtime.consoleAPICalled") => {
                let args = &v["params"]["args"];
                let text: Vec<String> = args
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| a["value"].to_string())
                    .collect();
                self.console.push(text.join(" "));
            }
            Some("Runtime.exceptionThrown") => {
                self.console
                    .push(format!("exception: {}", v["params"]["exceptionDetails"]));
            }
            _ => {}
        }
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
    }

    /// Open another page in the same browser, in a context of its own (cookies do not
    /// tell ports apart, and every node is on 127.0.0.1), and send the following commands
    /// to it; returns its session, for [`Browser::use_page`]. One browser serves several
    /// people's pages in a test.
    pub fn new_page(&mut self) -> String {
        let context = self.call_browser("Target.createBrowserContext", json!({}));
        let target = self.call_browser(
            "Target.createTarget",
            json!({"url": "about:blank", "browserContextId": context["browserContextId"]}),
        );
        let target_id = target["targetId"].as_str().expect("target id").to_owned();
        let attached = self.call_browser(
            "Target.attachToTarget",
            json!({"targetId": target_id, "flatten": true}),
        );
        self.session = attached["sessionId"].as_str().expect("session").to_owned();
        self.call("Page.enable", json!({}));
        self.call("Network.enable", json!({}));
        self.call("Runtime.enable", json!({}));
        self.session.clone()
    }

    /// The session of the page commands go to now.
    pub fn page(&self) -> String {
        self.session.clone()
    }

    /// Send the following commands to the page of `session`, brought to the front (a
    /// page in the background has its timers slowed down).
    pub fn use_page(&mut self, session: &str) {
        self.session = session.to_owned();
        self.call("Page.bringToFront", json!({}));
    }

    /// A command to the page.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.send(method, params, Some(s))
    }

    /// Emulate a screen of `width` x `height` (a phone when `mobile`).
    pub fn viewport(&mut self, width: u32, height: u32, mobile: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// Open `url` and wait until the page has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for(
            "the page to load",
            Duration::from_secs(30),
            "document.readyState === 'complete'",
        );
    }

    /// Evaluate `js` in the page (promises awaited) and return its value.
    pub fn eval(&mut self, js: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": js, "awaitPromise": true, "returnByValue": true}),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("script failed: {ex}\n{js}");
        }
        r["result"]["value"].clone()
    }

    /// Wait until `js` is true in the page, at most `limit`.
    pub fn wait_for(&mut self, what: &str, limit: Duration, js: &str) {
        let start = Instant::now();
        loop {
            let r = self.call(
                "Runtime.evaluate",
                json!({"expression": format!("!!({js})"), "returnByValue": true}),
            );
            if r["result"]["value"].as_bool() == Some(true) {
                return;
            }
            if start.elapsed() >= limit {
                let page = self.text();
                panic!(
                    "timed out after {limit:?} waiting for {what}; console: {:?}; page:\n{}",
                    self.console,
                    page.chars().take(3000).collect::<String>()
                );
            }
            // Drain events while waiting.
            let _ = self.read();
        }
    }

    /// Forget the requests and bytes seen so far.
    pub fn reset_counters(&mut self) {
        self.requests.clear();
        self.bytes = 0;
    }

    /// Wait a moment for the browser's pending events (network accounting) to arrive.
    pub fn settle(&mut self) {
        let until = Instant::now() + Duration::from_millis(500);
        while Instant::now() < until {
            let _ = self.read();
        }
    }

    /// The page's text.
    pub fn text(&mut self) -> String {
        self.eval("document.body.innerText")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// A PNG of the whole page, written to `path`.
    pub fn screenshot(&mut self, path: &Path) {
        let r = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let data = r["data"].as_str().expect("screenshot data");
        let bytes = data_encoding::BASE64
            .decode(data.as_bytes())
            .expect("base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, bytes).expect("write screenshot");
    }
}

/// axe-core's script, installed by `.ci/run` from the npm registry.
pub fn axe_script() -> Option<String> {
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
pub fn axe(b: &mut Browser, script: &str) -> Vec<String> {
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

/// Choose the page language on this browser, as the language switch does.
pub fn set_lang(b: &mut Browser, lang: &str) {
    b.eval(&format!(
        "fetch('/lang', {{method: 'POST', headers: {{'Content-Type': 'application/x-www-form-urlencoded'}}, body: 'to={lang}&back=%2F'}}).then(() => true)"
    ));
}

/// The address of `h`'s web app: the node serves it beside its API.
pub fn web_base(h: &crate::util::Home) -> String {
    let addr = std::fs::read_to_string(h.path().join("api.addr")).expect("api.addr");
    format!("http://{}", addr.trim())
}

/// A browser at phone size, signed in to `h`'s web app with a one-time link.
pub fn signed_in(h: &crate::util::Home) -> Browser {
    let link = h.ok(&["web", "--json"]).json()["url"]
        .as_str()
        .expect("a sign-in link")
        .to_owned();
    let mut b = Browser::launch(360, 780);
    b.goto(&link);
    assert_eq!(b.eval("location.pathname"), Value::from("/"), "signed in");
    b
}
