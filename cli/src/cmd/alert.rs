//! `aviso alert send | update | cancel | all-clear | endorse | retract`: organizers sign
//! alerts and act on them. The options and the draft they make are
//! [`crate::args::alert`]; signing and sending is [`crate::sign`].

use anyhow::{Result, anyhow, bail};
use aviso_protocol::limits::MAX_TTL_SHORT_SECS;
use aviso_protocol::{Alert, Body, Endorsement, Envelope, Id, Kind, MsgType, RetractReason, Role};
use clap::{Args, Subcommand};

use crate::api_client::{Api, fetch_envelope, resolve_all, resolve_id};
use crate::args::alert::{AlertArgs, Draft, alert_draft::end_body, finish};
use crate::args::{Globals, reason_parser};
use crate::sign::{
    self, a_kind, cosign_note, hint_for_kind, send_body, send_body_after, thread_expiry,
    tombstone_ttl,
};

/// The format of `--file`, shown by `aviso alert send --help`.
const FILE_HELP: &str = "\
ALERT FILE (--file alert.toml or alert.json)
  The same fields as the options, for long or multilingual texts. Options given on the
  command line win over the file (a list option such as --area replaces the file's list).
  A .json file is read as JSON; anything else as TOML; `-` reads standard input.

    category    = \"raid\"            # raid checkpoint detention patrol other, or a CAP category
    severity    = \"severe\"          # extreme severe moderate minor unknown
    urgency     = \"immediate\"       # immediate expected future past unknown (default immediate)
    certainty   = \"observed\"        # observed likely possible unlikely unknown (default observed)
    status      = \"actual\"          # actual exercise test (default actual)
    areas       = [\"9q8yy\", \"9q8yv\"] # geohash cells, 3 to 6 characters
    place       = \"24th St BART\"    # optional public place description
    onset       = \"now\"             # optional: \"now\" or unix seconds
    expires     = \"6h\"              # 30m, 6h, 2d ... at most 30d
    confirms    = []                # ids of reports this alert verifies

    [[info]]                        # one block per language; the first is the default
    lang        = \"en\"
    headline    = \"Immigration agents at 24th St BART\"
    description = \"\"\"Several agents ...\"\"\"
    instruction = \"\"\"Stay inside ...\"\"\"

  A complete example is in examples/alert.toml.";

/// How to repeat language blocks, shown in help.
const BLOCKS_HELP: &str = "\
LANGUAGE BLOCKS
  Repeat `--lang TAG --headline TEXT [--text TEXT] [--instruction TEXT]` once per language;
  the first block is the default. The n-th --headline, --text and --instruction belong to
  the n-th --lang. When one block has a --text, give every block one (--text \"\" for none).";

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum AlertCmd {
    /// Sign and send a new alert.
    #[command(after_long_help = [BLOCKS_HELP, "\n\n", FILE_HELP].concat())]
    Send(AlertArgs),
    /// Replace an alert with a new version. Options not given are copied from it.
    #[command(after_long_help = [BLOCKS_HELP, "\n\n", FILE_HELP].concat())]
    Update {
        /// The alert to update: its id, or the first characters shown by `aviso feed`.
        id: String,
        #[command(flatten)]
        alert: AlertArgs,
    },
    /// Withdraw an alert: it was wrong or is no longer relevant.
    Cancel(EndArgs),
    /// Declare that the danger an alert warned of is over.
    AllClear(EndArgs),
    /// Co-sign another organizer's alert, cancel, all-clear or retraction (for categories
    /// that need k signatures).
    ///
    /// Your signature counts only when you are an organizer for the alert's area and
    /// category and did not sign it yourself; the command says so before signing.
    Endorse {
        /// The alert (or the retraction of an alert) to co-sign.
        id: String,
    },
    /// Withdraw an alert with a reason (a retraction).
    ///
    /// Its author or an organizer for its area and category may retract it. For a
    /// category that needs k signatures, the retraction takes effect once k organizers
    /// signed it: others co-sign it with `aviso alert endorse <RETRACTION_ID>`.
    Retract {
        /// The message to withdraw.
        id: String,
        /// Why: false, mistaken, duplicate or withdrawn.
        #[arg(long, value_parser = reason_parser())]
        reason: RetractReason,
    },
}

/// Options of `cancel` and `all-clear`.
#[derive(Debug, Clone, Args)]
pub struct EndArgs {
    /// The alert to end.
    pub id: String,
    /// A short explanation shown to members ("agents left at 10:40").
    #[arg(long, value_name = "TEXT")]
    pub reason_text: Option<String>,
    /// Language of --reason-text [default: the alert's first language].
    #[arg(long, value_name = "TAG", requires = "reason_text")]
    pub lang: Option<String>,
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &AlertCmd) -> Result<()> {
    match c {
        AlertCmd::Send(a) => send(cli, a).await,
        AlertCmd::Update { id, alert } => update(cli, id, alert).await,
        AlertCmd::Cancel(e) => end(cli, e, MsgType::Cancel).await,
        AlertCmd::AllClear(e) => end(cli, e, MsgType::AllClear).await,
        AlertCmd::Endorse { id } => endorse(cli, id).await,
        AlertCmd::Retract { id, reason } => sign::retract(cli, id, *reason, Kind::Alert).await,
    }
}

async fn send(cli: &Globals, a: &AlertArgs) -> Result<()> {
    let draft = a.draft(aviso_node::unix_now())?.over(a.file_draft()?);
    let ids = draft.confirms.clone().unwrap_or_default();
    // Full ids need no node, so an alert can be queued in the outbox while it is down;
    // short ids are looked up in what the node holds.
    let confirms = match ids.iter().map(|s| Id::from_hex(s.trim())).collect() {
        Ok(full) => full,
        Err(_) => resolve_all(&Api::connect(&cli.home_dir())?, &ids).await?,
    };
    let (alert, ttl) = finish(draft, MsgType::Alert, vec![], confirms)?;
    send_body(cli, "alert", Body::Alert(alert), ttl).await
}

async fn update(cli: &Globals, id: &str, a: &AlertArgs) -> Result<()> {
    let now = aviso_node::unix_now();
    let from_cli = a.draft(now)?.over(a.file_draft()?);
    let api = Api::connect(&cli.home_dir())?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    let old = expect_alert(&target, &id)?;
    let remaining = target.expires_at().saturating_sub(now);
    let mut draft = from_cli.over(Draft::from_alert(old, remaining));
    draft.keep_old_texts(&old.info);
    let confirms = resolve_all(&api, draft.confirms.as_deref().unwrap_or_default()).await?;
    let (alert, ttl) = finish(draft, MsgType::Update, vec![id], confirms)?;
    let needed = match sign::load_public(&cli.home_dir()) {
        Ok(me) => sign::standing(&api, &me)
            .await
            .map_or(1, |s| s.threshold(old.category)),
        Err(_) => 1,
    };
    // Created after the version it replaces (the display rule orders by what an update
    // names anyway; this keeps times readable too).
    let after = target.created_at().saturating_add(1);
    send_body_after(cli, "update", Body::Alert(alert), ttl, after).await?;
    cosign_note(cli, needed, "the new version replaces the old one");
    Ok(())
}

async fn end(cli: &Globals, e: &EndArgs, msg_type: MsgType) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let id = resolve_id(&api, &e.id).await?;
    let target = fetch_envelope(&api, &id).await?;
    let old = expect_alert(&target, &id)?;
    if matches!(old.msg_type, MsgType::Cancel | MsgType::AllClear) {
        bail!(
            "{} is itself a cancel or all-clear: give the id of the alert it ended",
            id.short()
        );
    }
    let last_expiry = thread_expiry(&api, &target).await?;
    let now = aviso_node::unix_now();
    let (text, lang) = (e.reason_text.as_deref(), e.lang.as_deref());
    let alert = end_body(old, id, msg_type, text, lang)?;
    let ttl = tombstone_ttl(last_expiry, now, MAX_TTL_SHORT_SECS);
    let what = match msg_type {
        MsgType::Cancel => "cancel",
        _ => "all-clear",
    };
    send_body(cli, what, Body::Alert(alert), ttl).await
}

async fn endorse(cli: &Globals, id: &str) -> Result<()> {
    let home = cli.home_dir();
    let api = Api::connect(&home)?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    let me = sign::load_public(&home)?;
    let standing = sign::standing(&api, &me).await?;
    let now = aviso_node::unix_now();
    // What the co-signature is for: an alert, or the retraction of one.
    let (alert_env, what) = match target.body() {
        Body::Retraction(r) => {
            let alert_env = fetch_envelope(&api, &r.target).await.map_err(|_| {
                anyhow!(
                    "the retraction {} withdraws {}, which this node does not hold: only retractions of alerts are co-signed",
                    id.short(),
                    r.target.short()
                )
            })?;
            (alert_env, "retraction")
        }
        _ => (target.clone(), "alert"),
    };
    let a = expect_alert(&alert_env, &alert_env.id())?;
    if target.author() == me {
        bail!(
            "you signed this {what} yourself: your endorsement would not count; another organizer must co-sign it"
        );
    }
    // A co-signature counts from an organizer for the alert's area and category.
    standing
        .check(Role::Organizer, &a.areas, Some(a.category), now)
        .map_err(|r| anyhow!("your endorsement would not count: {r}"))?;
    let ttl = target.expires_at().saturating_sub(now);
    if ttl == 0 {
        bail!(
            "{what} {} has expired: there is nothing to endorse",
            id.short()
        );
    }
    send_body(
        cli,
        "endorsement",
        Body::Endorsement(Endorsement { alert: id }),
        ttl.min(MAX_TTL_SHORT_SECS),
    )
    .await
}

fn expect_alert<'a>(env: &'a Envelope, id: &Id) -> Result<&'a Alert> {
    match env.body() {
        Body::Alert(a) => Ok(a),
        other => bail!(
            "{} is {}, not an alert{}",
            id.short(),
            a_kind(other.kind()),
            hint_for_kind(other.kind())
        ),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::args::alert::tests::old_alert;
    use crate::args::tests::parse_words;
    use crate::args::*;
    use crate::render::enum_name;
    use aviso_protocol::limits::MAX_HEADLINE;
    use aviso_protocol::{Category, Certainty, Severity, Status, Urgency};
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct T {
        #[command(subcommand)]
        cmd: AlertCmd,
    }

    fn parse(line: &str) -> Result<AlertCmd, clap::Error> {
        parse_words::<T>("alert", line).map(|t| t.cmd)
    }

    #[test]
    fn every_enum_name_parses() {
        for (name, c) in CATEGORY_NAMES.iter().zip(Category::ALL) {
            assert_eq!(enum_value::<Category>(name), Some(c));
            assert_eq!(enum_name(&c), *name);
        }
        for n in SEVERITY_NAMES {
            assert!(enum_value::<Severity>(n).is_some(), "{n}");
        }
        for n in URGENCY_NAMES {
            assert!(enum_value::<Urgency>(n).is_some(), "{n}");
        }
        for n in CERTAINTY_NAMES {
            assert!(enum_value::<Certainty>(n).is_some(), "{n}");
        }
        for n in STATUS_NAMES {
            assert!(enum_value::<Status>(n).is_some(), "{n}");
        }
        for n in REASON_NAMES {
            assert!(enum_value::<RetractReason>(n).is_some(), "{n}");
        }
        let c = parse("retract abc --reason duplicate").unwrap();
        assert!(matches!(
            c,
            AlertCmd::Retract {
                reason: RetractReason::Duplicate,
                ..
            }
        ));
        assert!(parse("retract abc").is_err()); // --reason is required
        assert!(matches!(
            parse("all-clear abc --reason-text over").unwrap(),
            AlertCmd::AllClear(_)
        ));
    }

    #[test]
    fn cancel_and_all_clear_bodies() {
        let old = old_alert();
        let id = Id([3; 32]);
        let c = end_body(&old, id, MsgType::Cancel, None, None).unwrap();
        assert_eq!(c.references, vec![id]);
        assert_eq!(c.areas, old.areas);
        assert_eq!(c.category, old.category);
        assert_eq!(c.msg_type, MsgType::Cancel);
        assert!(c.info.is_empty());
        let c = end_body(&old, id, MsgType::AllClear, Some("They left"), None).unwrap();
        assert_eq!(c.info[0].lang, "en");
        assert_eq!(c.info[0].headline, "They left");
        assert_eq!(c.urgency, Urgency::Past);
        let c = end_body(&old, id, MsgType::AllClear, Some("Se fueron"), Some("es")).unwrap();
        assert_eq!(c.info[0].lang, "es");
        assert!(end_body(&old, id, MsgType::Cancel, Some("x"), Some("nope!")).is_err());
        let long = "x".repeat(MAX_HEADLINE + 1);
        assert!(end_body(&old, id, MsgType::Cancel, Some(&long), None).is_err());
    }
}
