//! Being written: `aviso init`, `aviso id`, and the encrypted key file.
use anyhow::{Result, bail};
use aviso_protocol::{PublicKey, SecretKey};
use clap::Args;
use std::path::Path;

use crate::Cli;

/// Options of `aviso init`.
#[derive(Debug, Args)]
pub struct InitArgs {}
/// Options of `aviso id`.
#[derive(Debug, Args)]
pub struct IdArgs {}

/// `aviso init`.
pub async fn init(_cli: &Cli, _a: &InitArgs) -> Result<()> {
    bail!("not yet implemented")
}
/// `aviso id`.
pub async fn id(_cli: &Cli, _a: &IdArgs) -> Result<()> {
    bail!("not yet implemented")
}
/// The member's secret key, decrypted with the passphrase (prompt or AVISO_PASSPHRASE).
pub fn load_secret(_home: &Path) -> Result<SecretKey> {
    bail!("not yet implemented")
}
/// The member's public key (no passphrase needed).
pub fn load_public(_home: &Path) -> Result<PublicKey> {
    bail!("not yet implemented")
}
