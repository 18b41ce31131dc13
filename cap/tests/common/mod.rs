//! Helpers shared by the integration tests: sample files, sample alerts, and validation
//! against the official CAP 1.2 schema with xmllint (skipped, loudly, on a machine
//! without xmllint or the schema, unless `CI` is set).
#![allow(dead_code)] // each test file uses its own subset

pub mod xsd;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Once, OnceLock};

use aviso_protocol::{Alert, Area, Category, Id, PublicKey, fixtures};

/// The folder of test data.
pub fn data(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// A sample message as text.
pub fn sample(path: &str) -> String {
    let p = data(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Every sample CAP message (those shaped like the specification's examples, then those
/// shaped like public feeds), as (path, text).
pub fn all_samples() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["spec-shaped", "feed-shaped"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(data(dir))
            .expect("the test data folders exist")
            .map(|e| e.expect("readable directory entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        files.sort();
        for p in files {
            let name = format!(
                "{dir}/{}",
                p.file_name().expect("a file has a name").to_string_lossy()
            );
            out.push((name.clone(), sample(&name)));
        }
    }
    out
}

/// The official-schema check: xmllint with the official CAP 1.2 schema.
#[derive(Debug, Clone, Copy)]
pub struct SchemaCheck {
    xsd: &'static Path,
}

/// Whether a missing xmllint or schema may skip the check: not in CI (`CI` set to
/// anything but empty, `0` or `false`, as CI services set it), where the check must run.
pub fn may_skip(ci: Option<&str>) -> bool {
    !ci.is_some_and(|v| !matches!(v.trim(), "" | "0" | "false"))
}

/// The schema check, when it can run here. When xmllint or the schema is missing it fails
/// the test in CI; elsewhere (a fresh machine) it returns `None`, so the caller skips the
/// check, and says so once per test process, loudly, on the terminal itself (libtest
/// captures `eprintln!` of passing tests, not writes to the stderr handle).
pub fn schema_check() -> Option<SchemaCheck> {
    static AVAILABLE: OnceLock<Result<&'static Path, String>> = OnceLock::new();
    static WARNED: Once = Once::new();
    let why = match AVAILABLE.get_or_init(available) {
        Ok(xsd) => return Some(SchemaCheck { xsd }),
        Err(why) => why,
    };
    if !may_skip(std::env::var("CI").ok().as_deref()) {
        panic!("{why}\nCI is set, so the official-schema check may not be skipped.");
    }
    WARNED.call_once(|| {
        let _ = writeln!(
            std::io::stderr(),
            "\n*** WARNING: CAP official-schema checks SKIPPED (they run when CI is set) ***\n\
             {why}\n"
        );
    });
    None
}

/// xmllint and the schema, or why not.
fn available() -> Result<&'static Path, String> {
    match Command::new("xmllint").arg("--version").output() {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "xmllint is not installed, so exported CAP cannot be checked against \
                 the official schema: install libxml2-utils (apt-get install -y \
                 libxml2-utils; .ci/run does)"
                    .into(),
            );
        }
        Err(e) => return Err(format!("cannot run xmllint: {e}")),
    }
    xsd::xsd().map_err(Clone::clone)
}

impl SchemaCheck {
    /// Validate `xml` (any encoding it declares) against the official schema.
    pub fn validate(&self, xml: impl AsRef<[u8]>) -> Result<(), String> {
        let mut child = Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(self.xsd)
            .arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("xmllint ran a moment ago");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(xml.as_ref())
            .expect("xmllint reads its input");
        let out = child.wait_with_output().expect("xmllint runs to the end");
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

/// A fixed signing key.
pub fn author() -> PublicKey {
    aviso_protocol::fixtures::key(7).public()
}

/// Cells from text.
pub fn cells(list: &[&str]) -> Vec<Area> {
    fixtures::areas(list)
}

/// A bilingual raid alert with every optional field set.
pub fn raid_alert() -> Alert {
    let mut alert = fixtures::alert(
        Category::Raid,
        &["9q8yy", "9q8yv", "9q8z", "9q8yym"],
        vec![
            fixtures::info(
                "en",
                "Immigration agents at 24th St BART",
                "Several agents in plain clothes.\n\nTwo vans on Mission St.",
                "Stay inside. Do not open the door. Call the hotline: 555-0100.",
            ),
            fixtures::info(
                "es-MX",
                "Agentes de inmigración en la estación 24th St BART",
                "Varios agentes vestidos de civil. «Dos camionetas» — 😀",
                "",
            ),
            fixtures::info("zh-Hant", "移民執法人員在 24th St BART", "", "留在室內。"),
        ],
    );
    alert.area_desc = Some("24th St BART & Mission St <north side>".into());
    alert.onset = Some(1_720_000_000);
    alert
}

/// An id from a byte.
pub fn id(b: u8) -> Id {
    Id([b; 32])
}
