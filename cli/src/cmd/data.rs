//! `aviso export` and `aviso import`: a store as a plain file of envelopes, so the data
//! outlives any storage engine.
//!
//! File format: the line `aviso-export v1`, then one envelope per line as lower-case hex
//! of its received bytes. Text, so it survives email and copy-paste; every envelope is
//! checked again on import, so a damaged or forged line cannot slip in.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use aviso_node::api::wire::Outcome;
use clap::Args;

use crate::api_client::{Api, not_running, refusal};
use crate::args::Globals;

const HEADER: &str = "aviso-export v1";
/// Longest line accepted: one envelope of the largest size, in hex.
const MAX_LINE: usize = 2 * aviso_protocol::limits::MAX_ENVELOPE_BYTES + 2;

/// Options of `aviso export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Where to write (`-` for standard output).
    pub file: PathBuf,
}

/// Options of `aviso import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file written by `aviso export` (`-` for standard input).
    pub file: PathBuf,
}

/// `aviso export FILE`.
pub async fn export(cli: &Globals, a: &ExportArgs) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let reply = api.export().await?;
    let mut text =
        String::with_capacity(reply.envelopes.iter().map(|e| e.len() + 1).sum::<usize>() + 16);
    text.push_str(HEADER);
    text.push('\n');
    for e in &reply.envelopes {
        text.push_str(e);
        text.push('\n');
    }
    if a.file.as_os_str() == "-" {
        std::io::stdout().write_all(text.as_bytes())?;
    } else {
        aviso_node::home::write_atomic(&a.file, text.as_bytes())?;
    }
    if cli.json {
        crate::output::json(&serde_json::json!({ "exported": reply.envelopes.len() }))?;
    } else if a.file.as_os_str() != "-" {
        println!(
            "exported {} envelopes to {}",
            reply.envelopes.len(),
            a.file.display()
        );
    }
    Ok(())
}

/// `aviso import FILE`.
pub async fn import(cli: &Globals, a: &ImportArgs) -> Result<()> {
    let reader: Box<dyn BufRead> = if a.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f = std::fs::File::open(&a.file)
            .with_context(|| format!("cannot open {}", a.file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let mut lines = reader.lines();
    match lines.next() {
        Some(Ok(h)) if h.trim() == HEADER => {}
        _ => bail!(
            "{} is not an aviso export (it must start with `{HEADER}`)",
            a.file.display()
        ),
    }
    let api = Api::connect(&cli.home_dir())?;
    let (mut stored, mut duplicate, mut refused) = (0u64, 0u64, 0u64);
    for (n, line) in lines.enumerate() {
        let line = line.with_context(|| format!("cannot read line {}", n + 2))?;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bytes = match hex::decode(line) {
            Ok(b) if line.len() <= MAX_LINE => b,
            _ => {
                eprintln!("line {}: not an envelope (skipped)", n + 2);
                refused += 1;
                continue;
            }
        };
        let why = match api.publish(&bytes).await {
            Ok(reply) => match reply.outcome {
                Outcome::Accepted { .. } => {
                    stored += 1;
                    continue;
                }
                Outcome::Duplicate { .. } => {
                    duplicate += 1;
                    continue;
                }
                other => refusal(&other).to_owned(),
            },
            Err(e) if not_running(&e) => return Err(e),
            Err(e) => format!("{e:#}"),
        };
        refused += 1;
        eprintln!("line {}: {why}", n + 2);
    }
    if cli.json {
        crate::output::json(
            &serde_json::json!({ "stored": stored, "duplicate": duplicate, "refused": refused }),
        )?;
    } else {
        println!("imported: {stored} stored, {duplicate} already there, {refused} refused");
    }
    // Nothing usable in the file is a failure, not a silent success.
    if stored == 0 && duplicate == 0 && refused > 0 {
        bail!(
            "nothing could be imported from {}: all {refused} envelopes were refused (the reasons are above)",
            a.file.display()
        );
    }
    Ok(())
}
