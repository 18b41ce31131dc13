//! `aviso`: the command line for members and organizers, and the node daemon.

mod api_client;
mod cmd;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Aviso: a peer-to-peer community alert mesh.
///
/// Members run a node at home and see alerts signed by organizers they trust. Organizers
/// verify reports, sign alerts and resource notices, and keep the trust list.
#[derive(Debug, Parser)]
#[command(
    name = "aviso",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Data directory (keys, store, config). Several nodes on one machine need one each.
    #[arg(long, global = true, env = "AVISO_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,

    /// Print JSON for programs instead of text for people.
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: cmd::Command,
}

impl Cli {
    /// The data directory chosen by flag, environment or default.
    pub fn home_dir(&self) -> PathBuf {
        self.home
            .clone()
            .unwrap_or_else(aviso_node::home::default_home)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(&cli.command);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cmd::run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, filtered by `RUST_LOG`; the node logs at `info` by default, other
/// commands only warnings.
fn init_logs(command: &cmd::Command) {
    // Kademlia warns at every start that it knows no peers yet: true, and not news.
    let default = if matches!(command, cmd::Command::Node(_) | cmd::Command::Demo(_)) {
        "info,libp2p_kad=error"
    } else {
        "warn,libp2p_kad=error"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
