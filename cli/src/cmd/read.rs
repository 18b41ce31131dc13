//! Being written: status, peers, sync, feed, watch.
use anyhow::{Result, bail};
use clap::Args;

use crate::Cli;

/// Options of `aviso feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {}
/// Options of `aviso watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {}

/// `aviso status`.
pub async fn status(_cli: &Cli) -> Result<()> {
    bail!("not yet implemented")
}
/// `aviso peers`.
pub async fn peers(_cli: &Cli) -> Result<()> {
    bail!("not yet implemented")
}
/// `aviso sync`.
pub async fn sync(_cli: &Cli) -> Result<()> {
    bail!("not yet implemented")
}
/// `aviso feed`.
pub async fn feed(_cli: &Cli, _a: &FeedArgs) -> Result<()> {
    bail!("not yet implemented")
}
/// `aviso watch`.
pub async fn watch(_cli: &Cli, _a: &WatchArgs) -> Result<()> {
    bail!("not yet implemented")
}
