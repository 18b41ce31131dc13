//! Being written: `aviso cap import | export`.
use anyhow::{Result, bail};
use clap::Subcommand;

use crate::Cli;

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CapCmd {
    /// Not yet implemented.
    Todo,
}

/// Run a subcommand.
pub async fn run(_cli: &Cli, _c: &CapCmd) -> Result<()> {
    bail!("not yet implemented")
}
