#![allow(dead_code)] // each test file uses a different part
//! Helpers for the end-to-end tests (included by each test file as `mod util;`): real `aviso` processes, each with its own temporary
//! home, talking over 127.0.0.1. Every wait is bounded; processes are killed on drop.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The passphrase every test home uses.
pub const PASSPHRASE: &str = "correct horse battery staple";

/// Path of the `aviso` binary that cargo built for these tests.
pub fn aviso_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_aviso"))
}

/// Poll `check` every 100 ms until it yields a value, at most `limit`.
pub fn wait_for<T>(what: &str, limit: Duration, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A home directory and, while it runs, its node process.
pub struct Home {
    /// The temporary directory.
    pub dir: tempfile::TempDir,
    /// A name for messages.
    pub name: String,
    node: Option<Child>,
}

/// What a CLI run printed.
#[derive(Debug)]
pub struct Run {
    /// Exit success.
    pub ok: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Stdout parsed as JSON (panics with the output on failure).
    pub fn json(&self) -> Value {
        assert!(self.ok, "command failed: {}\n{}", self.stdout, self.stderr);
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

impl Home {
    /// A new empty home.
    pub fn new(name: &str) -> Home {
        Home {
            dir: tempfile::tempdir().expect("tempdir"),
            name: name.into(),
            node: None,
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The key file that unlocks the node's encrypted data without a passphrase (the node
    /// creates it at its first start): fast starts in tests.
    pub fn key_file(&self) -> PathBuf {
        self.path().join("test-data.key")
    }

    /// A command for `aviso --home HOME ARGS`, with the test passphrase.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(aviso_bin());
        c.arg("--home").arg(self.path()).args(args);
        c.env("AVISO_PASSPHRASE", PASSPHRASE)
            .env("AVISO_KEY_FILE", self.key_file())
            .env("NO_COLOR", "1")
            .env_remove("AVISO_HOME");
        c.stdin(Stdio::null());
        c
    }

    /// A file of the home sealed under its data key (`rel`, e.g. `lan/ca.der`), opened
    /// here with the home's key file; `None` when there is none.
    pub fn read_sealed(&self, rel: &str) -> Option<Vec<u8>> {
        use aviso_node::at_rest;
        let key_file = at_rest::Secret::KeyFile(self.key_file());
        at_rest::unlock(self.path(), &[key_file]).expect("the key file unlocks the home");
        at_rest::read_private(self.path(), &self.path().join(rel), 1 << 20)
            .expect("the sealed file opens")
            .map(|b| b.to_vec())
    }

    /// Run `aviso ARGS` to completion (at most 60 s).
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = self.cmd(args).output().expect("aviso runs");
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Run and require success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let r = self.run(args);
        assert!(
            r.ok,
            "[{}] aviso {} failed:\n{}\n{}",
            self.name,
            args.join(" "),
            r.stdout,
            r.stderr
        );
        r
    }

    /// Start `aviso node` on free loopback ports, mDNS off, and wait until its API answers.
    pub fn start_node(&mut self, bootstrap: &[String]) {
        self.start_node_with_env(bootstrap, &[]);
    }

    /// [`Home::start_node`], with more environment variables for the node.
    pub fn start_node_with_env(&mut self, bootstrap: &[String], env: &[(&str, &str)]) {
        let mut args = vec![
            "node",
            "--listen",
            "/ip4/127.0.0.1/tcp/0",
            "--api-listen",
            "127.0.0.1:0",
            "--no-mdns",
        ];
        for b in bootstrap {
            args.push("--bootstrap");
            args.push(b);
        }
        let _ = std::fs::remove_file(self.path().join("api.addr"));
        let log = std::fs::File::create(self.path().join("node.log")).expect("log file");
        let child = self
            .cmd(&args)
            .env("RUST_LOG", "aviso_node=debug,info")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("node starts");
        self.node = Some(child);
        wait_for(
            &format!("{}'s API", self.name),
            Duration::from_secs(30),
            || {
                self.assert_running();
                self.api_addr().and_then(|_| self.get("/v1/status").ok())
            },
        );
    }

    fn assert_running(&mut self) {
        if let Some(c) = self.node.as_mut()
            && let Ok(Some(status)) = c.try_wait()
        {
            panic!("[{}] node exited ({status}):\n{}", self.name, self.log());
        }
    }

    /// The running node's process id.
    pub fn pid(&self) -> Option<u32> {
        self.node.as_ref().map(Child::id)
    }

    /// The node's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path().join("node.log")).unwrap_or_default()
    }

    /// Stop the node with SIGTERM and wait for it (a clean shutdown exits 0).
    pub fn stop_node(&mut self) -> bool {
        let Some(mut child) = self.node.take() else {
            return true;
        };
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }

    /// The running node's process id.
    pub fn node_pid(&self) -> Option<u32> {
        self.node.as_ref().map(|c| c.id())
    }

    /// Kill the node with SIGKILL (no shutdown, no flush) and reap it.
    pub fn kill_node(&mut self) {
        if let Some(mut child) = self.node.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Wait (at most `limit`) for the node to exit by itself; whether it exited 0.
    pub fn wait_node_exit(&mut self, limit: Duration) -> bool {
        let Some(mut child) = self.node.take() else {
            return true;
        };
        let status = wait_for("the node to exit", limit, || {
            child.try_wait().ok().flatten()
        });
        status.success()
    }

    fn api_addr(&self) -> Option<SocketAddr> {
        std::fs::read_to_string(self.path().join("api.addr"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    fn token(&self) -> String {
        std::fs::read_to_string(aviso_node::home::HomePaths::new(self.path()).api_token_path())
            .expect("token")
            .trim()
            .to_string()
    }

    /// `(peer id, dialable address with /p2p/)` of the running node.
    pub fn peer_addr(&self) -> String {
        let s = self.get("/v1/status").expect("status");
        let peer = s["peer_id"].as_str().expect("peer id").to_string();
        let addr = s["listen_addrs"][0]
            .as_str()
            .expect("listen address")
            .to_string();
        format!("{addr}/p2p/{peer}")
    }

    /// GET a JSON path of the local API: an error unless the status is 2xx, so that
    /// `wait_for(.., || h.get(..).ok())` waits for the thing to be there, not for any
    /// answer (a 404 is JSON too).
    pub fn get(&self, path: &str) -> Result<Value, String> {
        match self.http("GET", path, None)? {
            (200..=299, v) => Ok(v),
            (status, v) => Err(format!("HTTP {status}: {v}")),
        }
    }

    /// The HTTP status of a GET of the local API, and its JSON answer.
    pub fn get_status(&self, path: &str) -> Result<(u16, Value), String> {
        self.http("GET", path, None)
    }

    /// POST JSON to the local API; returns the JSON answer whatever the status.
    pub fn post(&self, path: &str, body: &Value) -> Result<Value, String> {
        self.http("POST", path, Some(body)).map(|(_, v)| v)
    }

    fn http(&self, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Value), String> {
        let addr = self.api_addr().ok_or("no api.addr")?;
        let mut s =
            TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.token(),
            body.len()
        );
        s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
        let mut resp = String::new();
        s.read_to_string(&mut resp).map_err(|e| e.to_string())?;
        let (head, body) = resp.split_once("\r\n\r\n").ok_or("malformed HTTP answer")?;
        let status: u16 = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("malformed HTTP status line")?;
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(body)
        } else {
            body.to_string()
        };
        let value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
        Ok((status, value))
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Home {
    fn drop(&mut self) {
        if let Some(mut c) = self.node.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// An organizer's home: a key, a community it created (its key the root), and a running
/// node whose address the invite names. Returns the home, the invite and the node's
/// address.
pub fn organizer_with_community(name: &str, community: &str) -> (Home, String, String) {
    let mut org = Home::new(name);
    org.ok(&["init"]);
    org.start_node(&[]);
    org.ok(&["community", "create", "--name", community]);
    // Restarted so that the node serves the community it now belongs to.
    assert!(org.stop_node(), "{}", org.log());
    org.start_node(&[]);
    let invite = org.ok(&["community", "invite", "--json"]).json()["invite"]
        .as_str()
        .expect("invite")
        .to_string();
    let boot = org.peer_addr();
    (org, invite, boot)
}

/// The public key (hex) of a home's signing key.
pub fn public_key(h: &Home) -> String {
    h.ok(&["id", "--json"]).json()["public_key"]
        .as_str()
        .expect("public key")
        .to_string()
}

/// A member's home: key, community joined from the invite, node running.
pub fn join(name: &str, invite: &str, bootstrap: &str) -> Home {
    let mut h = Home::new(name);
    h.ok(&["init"]);
    h.ok(&["community", "join", invite]);
    h.start_node(&[bootstrap.to_string()]);
    h
}

/// `root` adds each home's key to its trust list draft, with a role and a label.
pub fn list_add(root: &Home, entries: &[(&Home, &str, &str)]) {
    for (h, role, label) in entries {
        root.ok(&[
            "list",
            "add",
            &public_key(h),
            "--role",
            role,
            "--label",
            label,
        ]);
    }
}

/// How many trust lists `h`'s node holds (0 while it cannot say).
pub fn trust_lists_held(h: &Home) -> u64 {
    h.get("/v1/status")
        .ok()
        .and_then(|s| s["store"]["by_kind"]["trust_list"].as_u64())
        .unwrap_or(0)
}

/// Wait until each of `homes` holds at least `at_least` trust lists.
pub fn wait_for_trust_lists(homes: &[&Home], at_least: u64, limit: Duration) {
    for h in homes {
        wait_for(&format!("the trust list at {}", h.name), limit, || {
            (trust_lists_held(h) >= at_least).then_some(())
        });
    }
}

/// `h` sends a report of `category` in the area 9q8yy, written in `lang`, with `--json`:
/// what the CLI printed (see [`sent_id`]).
pub fn send_report(h: &Home, category: &str, lang: &str, text: &str) -> Run {
    h.ok(&[
        "report",
        "send",
        "--json",
        "--area",
        "9q8yy",
        "--category",
        category,
        "--lang",
        lang,
        "--text",
        text,
    ])
}

/// The `id` a `--json` send printed.
pub fn sent_id(r: &Run) -> String {
    r.json()["id"].as_str().expect("an id").to_string()
}

/// An alert of `severity` in 9q8yy for two hours, with an English headline, sent from
/// `org`'s home; its id.
pub fn send_alert(org: &Home, severity: &str, headline: &str) -> String {
    sent_id(&org.ok(&[
        "alert",
        "send",
        "--json",
        "--category",
        "raid",
        "--severity",
        severity,
        "--expires",
        "2h",
        "--area",
        "9q8yy",
        "--lang",
        "en",
        "--headline",
        headline,
    ]))
}
