//! Helpers shared by the integration tests: sample files, sample alerts, and validation
//! against the official CAP 1.2 schema with xmllint.
#![allow(dead_code)] // each test file uses its own subset

pub mod xsd;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use aviso_protocol::{
    Alert, Area, Category, Certainty, Id, Info, MsgType, PublicKey, SecretKey, Severity, Status,
    Urgency,
};

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

/// Validate `xml` against the official schema (fetched at test time, see [`xsd`]) with
/// `xmllint`. A missing `xmllint` or schema fails the test: this check must run for real.
pub fn validate_with_schema(xml: &str) -> Result<(), String> {
    let xsd = xsd::xsd_path();
    let child = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(xsd)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "xmllint is not installed, so exported CAP cannot be checked against the official \
             schema: install libxml2-utils (apt-get install -y libxml2-utils; .ci/run does)"
        ),
        Err(e) => panic!("cannot run xmllint: {e}"),
    };
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(xml.as_bytes())
        .expect("xmllint reads its input");
    let out = child.wait_with_output().expect("xmllint runs to the end");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// A fixed signing key.
pub fn author() -> PublicKey {
    SecretKey::from_seed(&[7; 32]).public()
}

/// Cells from text.
pub fn cells(list: &[&str]) -> Vec<Area> {
    list.iter()
        .map(|c| Area::parse(c).expect("a valid test cell"))
        .collect()
}

/// A bilingual raid alert with every optional field set.
pub fn raid_alert() -> Alert {
    Alert {
        category: Category::Raid,
        severity: Severity::Severe,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: cells(&["9q8yy", "9q8yv", "9q8z", "9q8yym"]),
        area_desc: Some("24th St BART & Mission St <north side>".into()),
        onset: Some(1_720_000_000),
        info: vec![
            Info {
                lang: "en".into(),
                headline: "Immigration agents at 24th St BART".into(),
                description: "Several agents in plain clothes.\n\nTwo vans on Mission St.".into(),
                instruction: "Stay inside. Do not open the door. Call the hotline: 555-0100."
                    .into(),
            },
            Info {
                lang: "es-MX".into(),
                headline: "Agentes de inmigración en la estación 24th St BART".into(),
                description: "Varios agentes vestidos de civil. «Dos camionetas» — 😀".into(),
                instruction: String::new(),
            },
            Info {
                lang: "zh-Hant".into(),
                headline: "移民執法人員在 24th St BART".into(),
                description: String::new(),
                instruction: "留在室內。".into(),
            },
        ],
        confirms: vec![],
    }
}

/// An id from a byte.
pub fn id(b: u8) -> Id {
    Id([b; 32])
}
