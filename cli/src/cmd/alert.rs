//! Being written.
use anyhow::{Result, bail};
use clap::Subcommand;

use crate::Cli;

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum AlertCmd {
    /// Not yet implemented.
    Todo,
}

/// Run a subcommand.
pub async fn run(_cli: &Cli, _c: &AlertCmd) -> Result<()> {
    bail!("not yet implemented")
}
