//! One module per group of subcommands. Each parses its options, asks the node (or signs),
//! and renders; commands share code only through `args`, `render`, `output`, `sign` and
//! the API client, never through each other.

use anyhow::Result;
use clap::Subcommand;

use crate::args::Globals;

pub mod alert;
pub mod cap;
pub mod community;
pub mod data;
pub mod demo;
pub mod feed;
pub mod keys;
pub mod list;
pub mod node;
pub mod panic;
pub mod places;
pub mod report;
pub mod resource;
pub mod respond;
pub mod status;
pub mod trust;
pub mod watch;
pub mod web;

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up this machine: data directory, node key and your signing key (encrypted).
    Init(keys::InitArgs),
    /// Show your signing key's fingerprint, to read out or show as a QR code.
    Id(keys::IdArgs),
    /// Run the node: connect to peers, relay and store alerts, serve the local API.
    Node(node::NodeArgs),
    /// Show this node: peer id, addresses, peers, stored envelopes, last syncs.
    Status,
    /// List connected peers.
    Peers,
    /// Catch up with every connected peer now (the node also does it by itself).
    Sync,
    /// Create a community, print its invite, or join one.
    #[command(subcommand)]
    Community(community::CommunityCmd),
    /// Choose whose trust lists you follow, and see who is on them.
    #[command(subcommand)]
    Trust(trust::TrustCmd),
    /// Organizers: edit and publish your trust list (who may sign what, where).
    #[command(subcommand)]
    List(list::ListCmd),
    /// Organizers: send, update, cancel, all-clear, endorse and retract alerts.
    #[command(subcommand)]
    Alert(alert::AlertCmd),
    /// Send a sighting; organizers list, confirm or dismiss reports.
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// Answer a live alert: I'm responding (with a role and an ETA), I can't, or withdraw.
    ///
    /// Every node of the community sees that your key answered this alert; members see
    /// only a count, organizers a count per role with ETAs.
    Respond(respond::RespondArgs),
    /// Resource notices: legal aid, helplines, shelters, workshops.
    #[command(subcommand)]
    Resource(resource::ResourceCmd),
    /// Organizers: name area cells ("Mission / 24th St" for 9q8yy); list the names.
    #[command(subcommand)]
    Places(places::PlacesCmd),
    /// What you see now: trusted alerts first, then unverified reports.
    Feed(feed::FeedArgs),
    /// Follow new alerts, reports and resources as they are shown.
    ///
    /// With --json, one JSON object per line, always tagged with `event`:
    /// `{"event": "shown", "type": "alert" | "report" | "resource", "item": {...}}` for
    /// what is newly shown, and `{"event": "withdrawn", "type": ..., "id": ...,
    /// "reasons": [...]}` for what stops being shown.
    Watch(watch::WatchArgs),
    /// Import and export alerts as OASIS CAP 1.2 XML (Common Alerting Protocol).
    #[command(subcommand)]
    Cap(cap::CapCmd),
    /// Write every stored envelope to a file (a backup that outlives any storage engine).
    Export(data::ExportArgs),
    /// Read envelopes from a file written by `aviso export`; each is checked again.
    Import(data::ImportArgs),
    /// Open the web app: print a one-time sign-in link for a browser on this computer.
    Web(web::WebArgs),
    /// Unlock your signing key into the running node, so the web app can sign.
    Unlock,
    /// Lock the node's key agent now: it forgets your unlocked signing key.
    Lock,
    /// Panic wipe: destroy this node's keys and data now (`--now`), or set a duress
    /// passphrase (`--set-duress`). Works with the node running or not.
    Panic(panic::PanicArgs),
    /// Start a throw-away local mesh of three nodes with a sample community.
    Demo(demo::DemoArgs),
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// Run the chosen command (`completions` and `man` are the binary's own).
pub async fn run(command: &Command, cli: &Globals) -> Result<()> {
    match command {
        Command::Init(a) => keys::init(cli, a).await,
        Command::Id(a) => keys::id(cli, a).await,
        Command::Node(a) => node::run(cli, a).await,
        Command::Status => status::status(cli).await,
        Command::Peers => status::peers(cli).await,
        Command::Sync => status::sync(cli).await,
        Command::Community(c) => community::run(cli, c).await,
        Command::Trust(c) => trust::run(cli, c).await,
        Command::List(c) => list::run(cli, c).await,
        Command::Alert(c) => alert::run(cli, c).await,
        Command::Report(c) => report::run(cli, c).await,
        Command::Resource(c) => resource::run(cli, c).await,
        Command::Respond(a) => respond::respond(cli, a).await,
        Command::Places(c) => places::run(cli, c).await,
        Command::Feed(a) => feed::feed(cli, a).await,
        Command::Watch(a) => watch::watch(cli, a).await,
        Command::Cap(c) => cap::run(cli, c).await,
        Command::Export(a) => data::export(cli, a).await,
        Command::Import(a) => data::import(cli, a).await,
        Command::Demo(a) => demo::run(cli, a).await,
        Command::Panic(a) => panic::run(cli, a).await,
        Command::Web(a) => web::web(cli, a).await,
        Command::Unlock => web::unlock(cli).await,
        Command::Lock => web::lock(cli).await,
        Command::Completions { .. } | Command::Man => {
            unreachable!("the binary prints completions and the man page itself")
        }
    }
}
