//! Being written: `aviso demo`.
use anyhow::{Result, bail};
use clap::Args;

use crate::Cli;

/// Options of `aviso demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {}

/// `aviso demo`.
pub async fn run(_cli: &Cli, _a: &DemoArgs) -> Result<()> {
    bail!("not yet implemented")
}
