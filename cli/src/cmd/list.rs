//! Being written.
use anyhow::{Result, bail};
use clap::Subcommand;

use crate::Cli;

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum ListCmd {
    /// Not yet implemented.
    Todo,
}

/// Run a subcommand.
pub async fn run(_cli: &Cli, _c: &ListCmd) -> Result<()> {
    bail!("not yet implemented")
}
