//! `aviso`: the command line for members and organizers, and the node daemon.

mod api_client;
mod args;
mod cmd;
mod output;
mod render;
mod sign;
mod unlock;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
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
    let result = match &cli.command {
        cmd::Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "aviso", &mut std::io::stdout());
            Ok(())
        }
        cmd::Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut std::io::stdout())
            .map_err(Into::into),
        command => {
            let globals = args::Globals {
                home: cli.home_dir(),
                json: cli.json,
            };
            let result = runtime.block_on(cmd::run(command, &globals));
            if let Err(e) = &result
                && e.chain().any(|c| c.is::<sign::Duress>())
            {
                runtime.block_on(cmd::panic::wipe_now(&globals.home));
            }
            result
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            print_error(cli.json, &format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// An error on stderr: one line for people, or `{"error": ...}` with `--json`.
fn print_error(json: bool, message: &str) {
    if json {
        eprintln!("{}", serde_json::json!({ "error": message }));
    } else {
        eprintln!("error: {message}");
    }
}

/// Bad arguments: help and version as clap prints them; any other error as one line (the
/// first paragraph of clap's message, its lines joined) with a pointer to `--help`, or as
/// JSON with `--json`. Exit code 2, as clap's own.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit();
    }
    let json = std::env::args_os().any(|a| a == "--json");
    print_error(json, &one_line_usage(&e.render().to_string()));
    ExitCode::from(2)
}

/// clap's rendered error as one line: its first paragraph, lines joined, without the
/// leading `error: `, then a pointer to `--help`.
fn one_line_usage(rendered: &str) -> String {
    let first: Vec<&str> = rendered
        .trim()
        .split("\n\n")
        .next()
        .unwrap_or("")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let text = first.join(" ");
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    format!("{text} (see --help)")
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
    // Colour only on a terminal: logs written to a file or a pipe (journald, a service
    // log) stay plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr())
        && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .try_init();
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// An unknown category (a value parser listing dozens of values) reads as one line.
    #[test]
    fn usage_errors_are_one_line() {
        let e = Cli::try_parse_from(["aviso", "alert", "send", "--category", "raids"]).unwrap_err();
        let line = one_line_usage(&e.render().to_string());
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("raids") && line.contains("raid"), "{line}");
        assert!(line.ends_with("(see --help)"), "{line}");
        assert!(!line.starts_with("error:"), "{line}");
    }
}
