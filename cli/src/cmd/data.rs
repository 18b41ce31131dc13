//! Being written: export and import.
use anyhow::{Result, bail};
use clap::Args;

use crate::Cli;

/// Options of `aviso export`.
#[derive(Debug, Args)]
pub struct ExportArgs {}
/// Options of `aviso import`.
#[derive(Debug, Args)]
pub struct ImportArgs {}

/// `aviso export`.
pub async fn export(_cli: &Cli, _a: &ExportArgs) -> Result<()> {
    bail!("not yet implemented")
}
/// `aviso import`.
pub async fn import(_cli: &Cli, _a: &ImportArgs) -> Result<()> {
    bail!("not yet implemented")
}
