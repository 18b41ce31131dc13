//! `aviso alert send | update | cancel | all-clear | endorse | retract`: organizers sign
//! alerts and act on them.
//!
//! Also the helpers that `report` and `resource` share: durations, times, area cells,
//! language blocks, envelope ids (full or a unique prefix), fetching a target from the
//! node, and validating then signing a body.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use aviso_protocol::lang::validate_lang;
use aviso_protocol::limits::{
    MAX_AREAS, MAX_HEADLINE, MAX_LANGUAGES, MAX_REFERENCES, MAX_SHORT, MAX_TEXT, MAX_TTL_SHORT_SECS,
};
use aviso_protocol::trust::Grant;
use aviso_protocol::{
    Alert, Area, Body, Category, Certainty, Endorsement, Envelope, Feed, Id, Info, Kind, MsgType,
    PublicKey, Reason, RetractReason, Retraction, Role, Severity, Status, Threshold, Urgency,
    authorize_grants,
};
use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::Cli;
use crate::api_client::Api;
use crate::cmd::publish;

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

/// The options of an alert, shared by `send`, `update` and `report confirm`.
#[derive(Debug, Clone, Default, Args)]
pub struct AlertArgs {
    /// What it is about: the community's own categories first, then the CAP ones.
    #[arg(long, value_parser = category_parser())]
    pub category: Option<Category>,
    /// How bad.
    #[arg(long, value_parser = severity_parser())]
    pub severity: Option<Severity>,
    /// How soon to act [default: immediate].
    #[arg(long, value_parser = urgency_parser())]
    pub urgency: Option<Urgency>,
    /// How sure [default: observed].
    #[arg(long, value_parser = certainty_parser())]
    pub certainty: Option<Certainty>,
    /// Real, or a drill or test (shown labelled as such) [default: actual].
    #[arg(long, value_parser = status_parser())]
    pub status: Option<Status>,
    /// An area cell (geohash of 3 to 6 characters, e.g. 9q8yy). Repeat, or separate with commas.
    #[arg(long = "area", value_name = "CELL", value_delimiter = ',')]
    pub areas: Vec<String>,
    /// A public place description ("24th St BART"). Never a home address.
    #[arg(long, value_name = "TEXT")]
    pub place: Option<String>,
    /// When it starts or started: `now` or unix seconds.
    #[arg(long, value_name = "UNIX|now")]
    pub onset: Option<String>,
    /// How long it is shown: 30m, 6h, 2d ... at most 30d.
    #[arg(long, value_name = "DURATION")]
    pub expires: Option<String>,
    /// Language of a text block (BCP 47: en, es, es-MX, ht ...). Starts a block.
    #[arg(long, value_name = "TAG")]
    pub lang: Vec<String>,
    /// One line for notifications, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub headline: Vec<String>,
    /// What is happening, in the block's language.
    #[arg(long, visible_alias = "description", value_name = "TEXT")]
    pub text: Vec<String>,
    /// What to do, in the block's language.
    #[arg(long, value_name = "TEXT")]
    pub instruction: Vec<String>,
    /// Read the alert from a TOML or JSON file (see below).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// A report this alert verifies. Repeatable.
    #[arg(long = "confirms", value_name = "REPORT_ID")]
    pub confirms: Vec<String>,
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
pub async fn run(cli: &Cli, c: &AlertCmd) -> Result<()> {
    match c {
        AlertCmd::Send(a) => send(cli, a).await,
        AlertCmd::Update { id, alert } => update(cli, id, alert).await,
        AlertCmd::Cancel(e) => end(cli, e, MsgType::Cancel).await,
        AlertCmd::AllClear(e) => end(cli, e, MsgType::AllClear).await,
        AlertCmd::Endorse { id } => endorse(cli, id).await,
        AlertCmd::Retract { id, reason } => retract(cli, id, *reason, Kind::Alert).await,
    }
}

async fn send(cli: &Cli, a: &AlertArgs) -> Result<()> {
    let draft = Draft::from_args(a, publish::now())?.over(Draft::from_file_opt(a)?);
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

async fn update(cli: &Cli, id: &str, a: &AlertArgs) -> Result<()> {
    let now = publish::now();
    let from_cli = Draft::from_args(a, now)?.over(Draft::from_file_opt(a)?);
    let api = Api::connect(&cli.home_dir())?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    let old = expect_alert(&target, &id)?;
    let remaining = target.expires_at().saturating_sub(now);
    let mut draft = from_cli.over(Draft::from_alert(old, remaining));
    draft.keep_old_texts(&old.info);
    let confirms = resolve_all(&api, draft.confirms.as_deref().unwrap_or_default()).await?;
    let (alert, ttl) = finish(draft, MsgType::Update, vec![id], confirms)?;
    let needed = match crate::cmd::keys::load_public(&cli.home_dir()) {
        Ok(me) => Standing::fetch(&api, &me)
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

/// For a category that needs `needed` signatures, say what waits for co-signers.
fn cosign_note(cli: &Cli, needed: u8, effect: &str) {
    if needed > 1 && !cli.json {
        let more = needed - 1;
        let (s, verb) = if more == 1 { ("", "s") } else { ("s", "") };
        println!(
            "Alerts of this category need {needed} signatures: {effect} once {more} more organizer{s} co-sign{verb} it with `aviso alert endorse <ID>`."
        );
    }
}

async fn end(cli: &Cli, e: &EndArgs, msg_type: MsgType) -> Result<()> {
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
    let now = publish::now();
    let alert = end_body(
        old,
        id,
        msg_type,
        e.reason_text.as_deref(),
        e.lang.as_deref(),
    )?;
    let ttl = tombstone_ttl(last_expiry, now, MAX_TTL_SHORT_SECS);
    let what = match msg_type {
        MsgType::Cancel => "cancel",
        _ => "all-clear",
    };
    send_body(cli, what, Body::Alert(alert), ttl).await
}

/// When the last version of `target`'s update thread expires. A tombstone (cancel,
/// all-clear, retraction) ends the whole thread, so it must outlive every version in it:
/// otherwise a node that catches up after the named version was collected shows a
/// longer-lived update again.
async fn thread_expiry(api: &Api, target: &Envelope) -> Result<u64> {
    let feed: Feed = api.get("/v1/feed?all=true").await?;
    let id = target.id();
    let thread = feed.alerts.iter().find(|i| i.id == id).map(|i| i.thread);
    Ok(feed
        .alerts
        .iter()
        .filter(|i| Some(i.thread) == thread)
        .map(|i| i.expires_at)
        .chain([target.expires_at()])
        .max()
        .unwrap_or(target.expires_at()))
}

async fn endorse(cli: &Cli, id: &str) -> Result<()> {
    let home = cli.home_dir();
    let api = Api::connect(&home)?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    let me = crate::cmd::keys::load_public(&home)?;
    let standing = Standing::fetch(&api, &me).await?;
    let now = publish::now();
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

/// What the node's followed lists say about this home's key, to check before asking for
/// the passphrase that a signature will count (`GET /v1/trust`).
#[derive(Debug, Default)]
pub(crate) struct Standing {
    grants: Vec<Grant>,
    revoked_since: Option<u64>,
    thresholds: Vec<Threshold>,
}

impl Standing {
    /// The standing of `me` on the lists the running node follows.
    pub(crate) async fn fetch(api: &Api, me: &PublicKey) -> Result<Standing> {
        #[derive(Deserialize)]
        struct Key {
            key: PublicKey,
            grants: Vec<Grant>,
            revoked_since: Option<u64>,
        }
        #[derive(Deserialize)]
        struct Reply {
            keys: Vec<Key>,
            #[serde(default)]
            thresholds: Vec<Threshold>,
        }
        let reply: Reply = api.get("/v1/trust").await?;
        let mine = reply.keys.into_iter().find(|k| k.key == *me);
        Ok(Standing {
            revoked_since: mine.as_ref().and_then(|k| k.revoked_since),
            grants: mine.map(|k| k.grants).unwrap_or_default(),
            thresholds: reply.thresholds,
        })
    }

    /// Whether a message signed now as `role` for `areas` and `category` would count.
    pub(crate) fn check(
        &self,
        role: Role,
        areas: &[Area],
        category: Option<Category>,
        now: u64,
    ) -> Result<(), Reason> {
        authorize_grants(
            &self.grants,
            self.revoked_since,
            role,
            areas,
            category,
            now,
            now,
        )
        .map(|_| ())
    }

    /// Signatures an alert of `category` needs.
    pub(crate) fn threshold(&self, category: Category) -> u8 {
        self.thresholds
            .iter()
            .find(|t| t.category == category)
            .map_or(1, |t| t.k)
    }
}

/// The body of a cancel or all-clear of `old` (whose id is `id`).
fn end_body(
    old: &Alert,
    id: Id,
    msg_type: MsgType,
    reason_text: Option<&str>,
    lang: Option<&str>,
) -> Result<Alert> {
    let info = match reason_text.map(str::trim).filter(|t| !t.is_empty()) {
        None => vec![],
        Some(text) => {
            let lang = lang
                .map(str::to_owned)
                .or_else(|| old.info.first().map(|i| i.lang.clone()))
                .unwrap_or_else(|| "en".into());
            validate_lang(&lang).map_err(|e| anyhow!("--lang: {e}"))?;
            check_len("--reason-text", text, MAX_HEADLINE, "keep it to one line")?;
            vec![Info {
                lang,
                headline: text.to_owned(),
                description: String::new(),
                instruction: String::new(),
            }]
        }
    };
    let alert = Alert {
        category: old.category,
        severity: old.severity,
        urgency: if msg_type == MsgType::AllClear {
            Urgency::Past
        } else {
            old.urgency
        },
        certainty: old.certainty,
        status: old.status,
        msg_type,
        references: vec![id],
        areas: old.areas.clone(),
        area_desc: old.area_desc.clone(),
        onset: None,
        info,
        confirms: vec![],
    };
    alert
        .validate()
        .map_err(|e| anyhow!("invalid alert: {e}"))?;
    Ok(alert)
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

/// "an alert", "a report" ...: a kind with its article, for messages.
pub(crate) fn a_kind(kind: Kind) -> String {
    let name = kind.as_str().replace('_', " ");
    match kind {
        Kind::Alert | Kind::Endorsement => format!("an {name}"),
        _ => format!("a {name}"),
    }
}

/// Which command acts on a kind, for "wrong kind" errors.
pub(crate) fn hint_for_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Alert => ": use `aviso alert ...`",
        Kind::Report => ": use `aviso report confirm` or `aviso report dismiss`",
        Kind::Resource => ": use `aviso resource send` (same --key) or `aviso resource withdraw`",
        _ => "",
    }
}

// ---- building an alert from options, a file, and (for updates) the alert it replaces ----

/// An alert being assembled from layers: command line over file over updated alert.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Draft {
    pub category: Option<Category>,
    pub severity: Option<Severity>,
    pub urgency: Option<Urgency>,
    pub certainty: Option<Certainty>,
    pub status: Option<Status>,
    pub areas: Option<Vec<String>>,
    pub place: Option<String>,
    pub onset: Option<u64>,
    /// Seconds from now.
    pub ttl: Option<u64>,
    pub info: Option<Vec<Info>>,
    pub confirms: Option<Vec<String>>,
    /// Language blocks came from the command line without any --text: an update keeps
    /// each language's old description.
    pub keep_text: bool,
    /// The same for --instruction.
    pub keep_instruction: bool,
}

impl Draft {
    /// The command-line layer.
    pub fn from_args(a: &AlertArgs, now: u64) -> Result<Draft> {
        let blocks = zip_blocks(
            &a.lang,
            ("--headline", &a.headline),
            &[("--text", &a.text), ("--instruction", &a.instruction)],
        )?;
        Ok(Draft {
            category: a.category,
            severity: a.severity,
            urgency: a.urgency,
            certainty: a.certainty,
            status: a.status,
            areas: non_empty(&a.areas),
            place: a.place.clone(),
            onset: a
                .onset
                .as_deref()
                .map(|s| parse_time(s, now).context("--onset"))
                .transpose()?,
            ttl: a
                .expires
                .as_deref()
                .map(|s| parse_duration(s).context("--expires"))
                .transpose()?,
            keep_text: !blocks.is_empty() && a.text.is_empty(),
            keep_instruction: !blocks.is_empty() && a.instruction.is_empty(),
            info: (!blocks.is_empty()).then(|| blocks.into_iter().map(info_from_row).collect()),
            confirms: non_empty(&a.confirms),
        })
    }

    /// The file layer, if `--file` was given.
    pub fn from_file_opt(a: &AlertArgs) -> Result<Draft> {
        match &a.file {
            None => Ok(Draft::default()),
            Some(path) => {
                let text = read_input(path)?;
                Draft::from_file_text(&text, path, publish::now())
                    .with_context(|| format!("in {}", path.display()))
            }
        }
    }

    /// Parse an alert file: JSON when the name ends in `.json` (or the text starts with
    /// `{` when read from standard input), TOML otherwise.
    pub fn from_file_text(text: &str, path: &Path, now: u64) -> Result<Draft> {
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || (path == Path::new("-") && text.trim_start().starts_with('{'));
        let f: AlertFile = if is_json {
            serde_json::from_str(text).map_err(|e| anyhow!("not a valid alert file: {e}"))?
        } else {
            toml::from_str(text).map_err(|e| anyhow!("not a valid alert file: {e}"))?
        };
        Ok(Draft {
            category: f.category,
            severity: f.severity,
            urgency: f.urgency,
            certainty: f.certainty,
            status: f.status,
            areas: f.areas,
            place: f.place,
            onset: match f.onset {
                None => None,
                Some(TimeValue::Unix(t)) => Some(t),
                Some(TimeValue::Text(s)) => Some(parse_time(&s, now).context("onset")?),
            },
            ttl: f
                .expires
                .as_deref()
                .map(|s| parse_duration(s).context("expires"))
                .transpose()?,
            info: f.info.map(|v| {
                v.into_iter()
                    .map(|i| Info {
                        lang: i.lang,
                        headline: i.headline,
                        description: i.description,
                        instruction: i.instruction,
                    })
                    .collect()
            }),
            confirms: f.confirms,
            keep_text: false,
            keep_instruction: false,
        })
    }

    /// The layer of an alert being updated: everything but what it confirms; it lives as
    /// long as the old one had left.
    pub fn from_alert(a: &Alert, remaining: u64) -> Draft {
        Draft {
            category: Some(a.category),
            severity: Some(a.severity),
            urgency: Some(a.urgency),
            certainty: Some(a.certainty),
            status: Some(a.status),
            areas: Some(a.areas.iter().map(|c| c.to_string()).collect()),
            place: a.area_desc.clone(),
            onset: a.onset,
            ttl: (remaining > 0).then_some(remaining),
            info: (!a.info.is_empty()).then(|| a.info.clone()),
            confirms: None,
            keep_text: false,
            keep_instruction: false,
        }
    }

    /// `self`, with what it lacks taken from `lower`.
    pub fn over(self, lower: Draft) -> Draft {
        Draft {
            category: self.category.or(lower.category),
            severity: self.severity.or(lower.severity),
            urgency: self.urgency.or(lower.urgency),
            certainty: self.certainty.or(lower.certainty),
            status: self.status.or(lower.status),
            areas: self.areas.or(lower.areas),
            place: self.place.or(lower.place),
            onset: self.onset.or(lower.onset),
            ttl: self.ttl.or(lower.ttl),
            info: self.info.or(lower.info),
            confirms: self.confirms.or(lower.confirms),
            keep_text: self.keep_text,
            keep_instruction: self.keep_instruction,
        }
    }

    /// For an update: blocks given on the command line without --text (or --instruction)
    /// keep the old alert's text in the same language, so changing a headline does not
    /// erase the rest. Give --text "" to clear it.
    pub fn keep_old_texts(&mut self, old: &[Info]) {
        let Some(info) = &mut self.info else { return };
        for i in info {
            let Some(o) = old.iter().find(|o| o.lang.eq_ignore_ascii_case(&i.lang)) else {
                continue;
            };
            if self.keep_text {
                i.description.clone_from(&o.description);
            }
            if self.keep_instruction {
                i.instruction.clone_from(&o.instruction);
            }
        }
    }
}

/// An alert file (TOML or JSON). Unknown fields are errors, so a typo is not ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertFile {
    category: Option<Category>,
    severity: Option<Severity>,
    urgency: Option<Urgency>,
    certainty: Option<Certainty>,
    status: Option<Status>,
    areas: Option<Vec<String>>,
    place: Option<String>,
    onset: Option<TimeValue>,
    expires: Option<String>,
    confirms: Option<Vec<String>>,
    info: Option<Vec<FileInfo>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TimeValue {
    Unix(u64),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileInfo {
    lang: String,
    headline: String,
    #[serde(default, alias = "text")]
    description: String,
    #[serde(default)]
    instruction: String,
}

fn info_from_row(row: Vec<String>) -> Info {
    let mut it = row.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Info {
        lang: next(),
        headline: next(),
        description: next(),
        instruction: next(),
    }
}

/// Check a draft and turn it into an alert and its life in seconds. Every error is one
/// line that says what to do.
pub(crate) fn finish(
    d: Draft,
    msg_type: MsgType,
    references: Vec<Id>,
    confirms: Vec<Id>,
) -> Result<(Alert, u64)> {
    let category = d.category.ok_or_else(|| {
        anyhow!(
            "missing --category: raid, checkpoint, detention, patrol or other (or a CAP category)"
        )
    })?;
    let severity = d.severity.ok_or_else(|| {
        anyhow!("missing --severity: extreme, severe, moderate, minor or unknown")
    })?;
    let areas = parse_areas(d.areas.as_deref().unwrap_or_default())?;
    let place = d
        .place
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    if let Some(p) = &place {
        check_len(
            "--place",
            p,
            MAX_SHORT,
            "describe a public place in a few words",
        )?;
    }
    let info = d.info.unwrap_or_default();
    if info.is_empty() {
        bail!("missing text: add a language block (--lang en --headline \"...\") or use --file");
    }
    check_blocks(&info)?;
    let ttl = d.ttl.ok_or_else(|| {
        anyhow!("missing --expires: how long the alert is shown, e.g. 30m, 6h or 2d (at most 30d)")
    })?;
    check_ttl(ttl, MAX_TTL_SHORT_SECS, "an alert")?;
    let mut unique_confirms: Vec<Id> = Vec::new();
    for c in confirms {
        if !unique_confirms.contains(&c) {
            unique_confirms.push(c);
        }
    }
    if unique_confirms.len() > MAX_REFERENCES {
        bail!("an alert may confirm at most {MAX_REFERENCES} reports: send several alerts");
    }
    let alert = Alert {
        category,
        severity,
        urgency: d.urgency.unwrap_or(Urgency::Immediate),
        certainty: d.certainty.unwrap_or(Certainty::Observed),
        status: d.status.unwrap_or(Status::Actual),
        msg_type,
        references,
        areas,
        area_desc: place,
        onset: d.onset,
        info,
        confirms: unique_confirms,
    };
    alert
        .validate()
        .map_err(|e| anyhow!("invalid alert: {e}"))?;
    Ok((alert, ttl))
}

/// Languages, headlines and texts of alert blocks.
fn check_blocks(info: &[Info]) -> Result<()> {
    if info.len() > MAX_LANGUAGES {
        bail!(
            "{} languages: at most {MAX_LANGUAGES} fit in one alert",
            info.len()
        );
    }
    let mut seen: Vec<&str> = Vec::new();
    for i in info {
        validate_lang(&i.lang)?;
        if seen.iter().any(|s| s.eq_ignore_ascii_case(&i.lang)) {
            bail!(
                "language {} is given twice: give one block per language",
                i.lang
            );
        }
        seen.push(&i.lang);
        if i.headline.trim().is_empty() {
            bail!(
                "the {} headline is empty: every block needs a headline",
                i.lang
            );
        }
        let l = &i.lang;
        check_len(
            &format!("the {l} headline"),
            &i.headline,
            MAX_HEADLINE,
            "shorten it and put details in --text",
        )?;
        check_len(
            &format!("the {l} text"),
            &i.description,
            MAX_TEXT,
            "shorten it or link to details",
        )?;
        check_len(
            &format!("the {l} instruction"),
            &i.instruction,
            MAX_TEXT,
            "shorten it",
        )?;
    }
    Ok(())
}

// ---- shared by alert, report and resource ----

fn non_empty(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

/// Read a file, or standard input for `-`.
pub(crate) fn read_input(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .context("cannot read standard input")?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Fail with one line when `text` is longer than `max` bytes.
pub(crate) fn check_len(what: &str, text: &str, max: usize, hint: &str) -> Result<()> {
    if text.len() > max {
        bail!("{what} is {} bytes; the limit is {max}: {hint}", text.len());
    }
    Ok(())
}

/// Check a life in seconds against a kind's limit.
pub(crate) fn check_ttl(ttl: u64, max: u64, what: &str) -> Result<()> {
    if ttl == 0 {
        bail!("--expires must be in the future: give a duration such as 30m, 6h or 2d");
    }
    if ttl > max {
        bail!(
            "--expires {} is too long: {what} may live at most {} days",
            human_secs(ttl),
            max / 86_400
        );
    }
    Ok(())
}

/// Group repeated per-language options by position: the n-th value of each belongs to
/// the n-th `--lang`. `required` must appear once per language; each of `optional` either
/// never or once per language. Returns rows `[lang, required, optional...]`.
pub(crate) fn zip_blocks(
    langs: &[String],
    required: (&str, &[String]),
    optional: &[(&str, &[String])],
) -> Result<Vec<Vec<String>>> {
    let n = langs.len();
    let (rname, rvals) = required;
    if rvals.len() != n {
        if n == 0 {
            bail!(
                "{rname} needs a language: put --lang TAG before it, e.g. --lang en {rname} \"...\""
            );
        }
        bail!(
            "{n} --lang but {} {rname}: each language block needs one --lang and one {rname}",
            rvals.len()
        );
    }
    for (name, vals) in optional {
        if !vals.is_empty() && vals.len() != n {
            if n == 0 {
                bail!("{name} needs a language: put --lang TAG and {rname} before it");
            }
            bail!(
                "{n} language blocks but {} {name}: give {name} once per --lang \
                 ({name} \"\" where there is none), or use --file",
                vals.len()
            );
        }
    }
    Ok((0..n)
        .map(|i| {
            let mut row = vec![langs[i].trim().to_owned(), rvals[i].clone()];
            for (_, vals) in optional {
                row.push(vals.get(i).cloned().unwrap_or_default());
            }
            row
        })
        .collect())
}

/// Parse area cells, dropping repeats.
pub(crate) fn parse_areas(cells: &[String]) -> Result<Vec<Area>> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        bail!(
            "missing --area: give at least one cell, a geohash of 3 to 6 characters (e.g. 9q8yy)"
        );
    }
    let mut out: Vec<Area> = Vec::new();
    for c in cells.iter().filter(|c| !c.trim().is_empty()) {
        let a = Area::parse(c)?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    if out.len() > MAX_AREAS {
        bail!(
            "{} area cells: at most {MAX_AREAS}; use shorter (larger) cells",
            out.len()
        );
    }
    Ok(out)
}

/// Parse a duration such as `90s`, `30m`, `6h`, `2d`, `1w` or `1h30m`, in seconds.
pub(crate) fn parse_duration(s: &str) -> Result<u64> {
    let bad =
        || anyhow!("{s:?} is not a duration: use a number and a unit, like 30m, 6h, 2d or 1h30m");
    let t = s.trim().to_ascii_lowercase();
    if t.is_empty() {
        return Err(bad());
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        bail!("{s:?} has no unit: write {s}s, {s}m, {s}h or {s}d");
    }
    let mut total: u64 = 0;
    let mut rest = t.as_str();
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let (num, after) = rest.split_at(digits);
        let after = after.trim_start();
        let letters = after
            .bytes()
            .take_while(|b| b.is_ascii_alphabetic())
            .count();
        let (unit, after) = after.split_at(letters);
        if num.is_empty() || unit.is_empty() {
            return Err(bad());
        }
        let n: u64 = num.parse().map_err(|_| bad())?;
        let mult = match unit {
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 7 * 86_400,
            _ => return Err(bad()),
        };
        total = n
            .checked_mul(mult)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        rest = after.trim_start();
    }
    Ok(total)
}

/// Seconds as a short duration: `45s`, `30m`, `6h`, `1h30m`, `2d`, `2d6h`.
pub(crate) fn human_secs(s: u64) -> String {
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    let mut out = String::new();
    for (v, u) in [(d, "d"), (h, "h"), (m, "m"), (sec, "s")] {
        if v > 0 {
            out.push_str(&format!("{v}{u}"));
        }
    }
    if out.is_empty() { "0s".into() } else { out }
}

/// Parse `now` or unix seconds.
pub(crate) fn parse_time(s: &str, now: u64) -> Result<u64> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    match t.parse::<u64>() {
        // Before 2001: surely milliseconds-vs-seconds confusion or a typo.
        Ok(v) if (1_000_000_000..100_000_000_000).contains(&v) => Ok(v),
        Ok(_) => bail!("{t:?} is not a unix time in seconds (e.g. `date +%s` gives {now})"),
        Err(_) => bail!("{t:?} is not a time: give `now` or unix seconds (e.g. {now})"),
    }
}

/// A life for a tombstone (cancel, retraction) of something that expires at `target_expiry`:
/// it must outlive it, with an hour's margin for clock differences, within `max`.
pub(crate) fn tombstone_ttl(target_expiry: u64, now: u64, max: u64) -> u64 {
    target_expiry
        .saturating_sub(now)
        .saturating_add(3600)
        .min(max)
}

/// An envelope id from its 64 hex characters, or from a unique prefix of at least 6
/// (what `aviso feed` shows) looked up in what the node holds.
pub(crate) async fn resolve_id(api: &Api, s: &str) -> Result<Id> {
    let t = s.trim().to_ascii_lowercase();
    if let Ok(id) = Id::from_hex(&t) {
        return Ok(id);
    }
    if t.len() < 6 || t.len() > 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!(
            "{s:?} is not an envelope id: give its 64 hex characters, or the first 12 shown by `aviso feed`"
        );
    }
    // The node looks the prefix up in the whole store: the feed holds one page of reports.
    #[derive(Deserialize)]
    struct Ids {
        ids: Vec<Id>,
    }
    let found: Ids = api.get(&format!("/v1/ids?prefix={t}")).await?;
    match_prefix(&t, found.ids.into_iter())
}

/// The one id among `ids` starting with `prefix`.
pub(crate) fn match_prefix(prefix: &str, ids: impl Iterator<Item = Id>) -> Result<Id> {
    let mut found: Vec<Id> = ids.filter(|i| i.to_hex().starts_with(prefix)).collect();
    found.dedup();
    match found.as_slice() {
        [id] => Ok(*id),
        [] => bail!(
            "no envelope {prefix} is stored on this node: check the id with `aviso feed --all`"
        ),
        many => bail!(
            "{prefix} matches {} envelopes: give more characters of the id",
            many.len()
        ),
    }
}

/// Resolve every id in `ids`.
pub(crate) async fn resolve_all(api: &Api, ids: &[String]) -> Result<Vec<Id>> {
    let mut out = Vec::with_capacity(ids.len());
    for s in ids {
        out.push(resolve_id(api, s).await?);
    }
    Ok(out)
}

/// The node's answer for `GET /v1/envelopes/{id}` (the fields used here).
#[derive(Debug, Deserialize)]
struct EnvelopeReply {
    bytes: String,
}

/// Fetch a stored envelope and decode its received bytes.
pub(crate) async fn fetch_envelope(api: &Api, id: &Id) -> Result<Envelope> {
    let reply: EnvelopeReply = api.get(&format!("/v1/envelopes/{id}")).await.map_err(|e| {
        // The API answers 404 with "no envelope ... is stored".
        if e.to_string().starts_with("no envelope") {
            anyhow!(
                "no envelope {id} is stored on this node: it may have expired or not \
                     reached it yet (see `aviso feed --all`)"
            )
        } else {
            e
        }
    })?;
    let bytes =
        hex::decode(reply.bytes.trim()).context("the node sent an envelope that is not hex")?;
    Envelope::decode(&bytes).map_err(|e| anyhow!("the node sent a malformed envelope: {e}"))
}

/// Withdraw `id` (which must be of `kind`) with a retraction that outlives it.
///
/// Before asking for the passphrase, checks that the retraction will count: its author
/// may withdraw its own message; anyone else must be an organizer for the target's area
/// and category (and, for resources, hold the `resources` permission). A retraction of
/// an alert whose category needs k signatures waits for k - 1 co-signers.
pub(crate) async fn retract(cli: &Cli, id: &str, reason: RetractReason, kind: Kind) -> Result<()> {
    let home = cli.home_dir();
    let api = Api::connect(&home)?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    if target.kind() != kind {
        bail!(
            "{} is {}, not {}{}",
            id.short(),
            a_kind(target.kind()),
            a_kind(kind),
            hint_for_kind(target.kind())
        );
    }
    let me = crate::cmd::keys::load_public(&home)?;
    let standing = Standing::fetch(&api, &me).await?;
    let now = publish::now();
    let (areas, category, needed) = match target.body() {
        Body::Alert(a) => (
            a.areas.as_slice(),
            Some(a.category),
            standing.threshold(a.category),
        ),
        Body::Report(r) => (r.areas.as_slice(), Some(r.category), 1),
        Body::Resource(r) => (r.areas.as_slice(), Some(Category::Resources), 1),
        _ => (&[][..], None, 1),
    };
    if target.author() != me {
        standing
            .check(Role::Organizer, areas, category, now)
            .map_err(|r| {
                anyhow!(
                    "you may not withdraw {} {}: {r}; only its author or an organizer for its area and category can",
                    a_kind(kind),
                    id.short()
                )
            })?;
    }
    let lives_until = match target.kind() {
        Kind::Alert => thread_expiry(&api, &target).await?,
        _ => target.expires_at(),
    };
    let ttl = tombstone_ttl(lives_until, publish::now(), Kind::Retraction.max_ttl());
    let body = Body::Retraction(Retraction { target: id, reason });
    send_body(cli, "retraction", body, ttl).await?;
    cosign_note(cli, needed, "the retraction takes effect");
    Ok(())
}

/// Validate `body`, then ask for the key (only now, so a typo costs no passphrase), sign,
/// publish (or queue when the node is not running) and print the id.
pub(crate) async fn send_body(cli: &Cli, what: &str, body: Body, ttl: u64) -> Result<()> {
    send_body_after(cli, what, body, ttl, 0).await
}

/// [`send_body`], created no earlier than `not_before` (see [`publish::sign_after`]).
pub(crate) async fn send_body_after(
    cli: &Cli,
    what: &str,
    body: Body,
    ttl: u64,
    not_before: u64,
) -> Result<()> {
    body.validate()
        .map_err(|e| anyhow!("invalid {what}: {e}"))?;
    check_ttl(ttl, body.kind().max_ttl(), &format!("a {what}"))?;
    if let Body::Alert(a) = &body
        && let Some(onset) = a.onset
        && onset >= publish::now().saturating_add(ttl)
    {
        bail!(
            "the onset is after the alert expires: give a later --expires, or an earlier --onset"
        );
    }
    let home = cli.home_dir();
    publish::community(&home)?;
    let secret = crate::cmd::keys::load_secret(&home)?;
    let sent = publish::sign_and_send(cli, &secret, &body, ttl, not_before).await?;
    publish::print_sent(cli, what, &sent)
}

// ---- enum values on the command line ----

/// Category names, in [`Category::ALL`] order.
pub(crate) const CATEGORY_NAMES: [&str; 16] = [
    "raid",
    "checkpoint",
    "detention",
    "patrol",
    "other",
    "geo",
    "met",
    "safety",
    "security",
    "rescue",
    "fire",
    "health",
    "env",
    "transport",
    "infra",
    "cbrne",
];
const SEVERITY_NAMES: [&str; 5] = ["extreme", "severe", "moderate", "minor", "unknown"];
const URGENCY_NAMES: [&str; 5] = ["immediate", "expected", "future", "past", "unknown"];
const CERTAINTY_NAMES: [&str; 5] = ["observed", "likely", "possible", "unlikely", "unknown"];
const STATUS_NAMES: [&str; 3] = ["actual", "exercise", "test"];
const REASON_NAMES: [&str; 4] = ["false", "mistaken", "duplicate", "withdrawn"];

/// A protocol enum from its snake_case name (as in JSON).
pub(crate) fn enum_value<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.replace('-', "_"))).ok()
}

/// A clap parser that accepts exactly `names`, each a serde name of `T`.
pub(crate) fn names_parser<T>(names: &'static [&'static str]) -> impl TypedValueParser<Value = T>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(names).map(|s| {
        enum_value::<T>(&s).expect("every listed name is a serde name of the enum (tested)")
    })
}

pub(crate) fn category_parser() -> impl TypedValueParser<Value = Category> {
    names_parser(&CATEGORY_NAMES)
}
fn severity_parser() -> impl TypedValueParser<Value = Severity> {
    names_parser(&SEVERITY_NAMES)
}
fn urgency_parser() -> impl TypedValueParser<Value = Urgency> {
    names_parser(&URGENCY_NAMES)
}
fn certainty_parser() -> impl TypedValueParser<Value = Certainty> {
    names_parser(&CERTAINTY_NAMES)
}
fn status_parser() -> impl TypedValueParser<Value = Status> {
    names_parser(&STATUS_NAMES)
}
pub(crate) fn reason_parser() -> impl TypedValueParser<Value = RetractReason> {
    names_parser(&REASON_NAMES)
}

/// The snake_case name of a protocol enum value, for people.
pub(crate) fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "?".into(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use clap::Parser;

    const NOW: u64 = 1_750_000_000;

    #[derive(Debug, Parser)]
    struct T {
        #[command(subcommand)]
        cmd: AlertCmd,
    }

    /// Words of a command line; `_` stands for a space inside one argument.
    fn words(line: &str) -> Vec<String> {
        line.split_whitespace()
            .map(|w| w.replace('_', " "))
            .collect()
    }

    fn parse(line: &str) -> Result<AlertCmd, clap::Error> {
        T::try_parse_from(std::iter::once("alert".to_owned()).chain(words(line))).map(|t| t.cmd)
    }

    fn send_args(line: &str) -> AlertArgs {
        match parse(&format!("send {line}")).unwrap() {
            AlertCmd::Send(a) => a,
            other => panic!("{other:?}"),
        }
    }

    fn build(line: &str) -> Result<(Alert, u64)> {
        Draft::from_args(&send_args(line), NOW)
            .and_then(|d| finish(d, MsgType::Alert, vec![], vec![]))
    }

    fn build_err(line: &str) -> String {
        match build(line) {
            Ok(_) => panic!("accepted {line}"),
            Err(e) => format!("{e:#}"),
        }
    }

    const BASE: &str = "--category raid --severity severe --expires 6h";

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m").unwrap(), 1800);
        assert_eq!(parse_duration("6h").unwrap(), 6 * 3600);
        assert_eq!(parse_duration("2d").unwrap(), 2 * 86_400);
        assert_eq!(parse_duration("1w").unwrap(), 7 * 86_400);
        assert_eq!(parse_duration("1h30m").unwrap(), 5400);
        assert_eq!(parse_duration(" 1h 30m ").unwrap(), 5400);
        assert_eq!(parse_duration("90s").unwrap(), 90);
        assert_eq!(parse_duration("2 days").unwrap(), 2 * 86_400);
        assert_eq!(parse_duration("6H").unwrap(), 6 * 3600);
        for bad in [
            "",
            "h",
            "6",
            "6x",
            "1.5h",
            "-2h",
            "h6",
            "99999999999999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        let e = parse_duration("6").unwrap_err().to_string();
        assert!(e.contains("no unit"), "{e}");
        assert_eq!(human_secs(5400), "1h30m");
        assert_eq!(human_secs(40 * 86_400), "40d");
        assert_eq!(human_secs(0), "0s");
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("now", NOW).unwrap(), NOW);
        assert_eq!(parse_time("1750000100", NOW).unwrap(), 1_750_000_100);
        assert!(parse_time("12", NOW).is_err());
        assert!(parse_time("1750000000000", NOW).is_err()); // milliseconds
        assert!(parse_time("tomorrow", NOW).is_err());
    }

    #[test]
    fn ttl_limits() {
        assert!(check_ttl(3600, MAX_TTL_SHORT_SECS, "an alert").is_ok());
        assert!(check_ttl(0, MAX_TTL_SHORT_SECS, "an alert").is_err());
        let e = check_ttl(31 * 86_400, MAX_TTL_SHORT_SECS, "an alert").unwrap_err();
        assert!(e.to_string().contains("at most 30 days"), "{e}");
        assert_eq!(tombstone_ttl(NOW + 100, NOW, MAX_TTL_SHORT_SECS), 3700);
        assert_eq!(tombstone_ttl(NOW - 100, NOW, MAX_TTL_SHORT_SECS), 3600);
        let far = NOW + MAX_TTL_SHORT_SECS;
        assert_eq!(
            tombstone_ttl(far, NOW, MAX_TTL_SHORT_SECS),
            MAX_TTL_SHORT_SECS
        );
    }

    #[test]
    fn language_blocks_zip_by_position() {
        let a = send_args(
            "--lang en --headline Raid --text Agents --lang es --headline Redada --text Agentes",
        );
        let info = Draft::from_args(&a, NOW).unwrap().info.unwrap();
        assert_eq!(info.len(), 2);
        let es = Info {
            lang: "es".into(),
            headline: "Redada".into(),
            description: "Agentes".into(),
            instruction: String::new(),
        };
        assert_eq!(info[1], es);
        assert_eq!(info[0].description, "Agents");

        // Counts that do not line up are refused with a clear message.
        let e = |line: &str| {
            Draft::from_args(&send_args(line), NOW)
                .unwrap_err()
                .to_string()
        };
        let m = e("--lang en --lang es --headline Raid");
        assert!(m.contains("2 --lang but 1 --headline"), "{m}");
        let m = e("--lang en --headline A --lang es --headline B --text x");
        assert!(m.contains("2 language blocks but 1 --text"), "{m}");
        let m = e("--headline Raid");
        assert!(m.contains("put --lang TAG before it"), "{m}");
    }

    #[test]
    fn alert_from_args() {
        let (alert, ttl) = build(
            "--category raid --severity severe --area 9q8yy,9Q8YV --area 9q8yy \
             --place 24th_St_BART --onset now --expires 6h \
             --lang en --headline Agents_at_24th_St --instruction Stay_inside",
        )
        .unwrap();
        assert_eq!(ttl, 6 * 3600);
        assert_eq!(alert.category, Category::Raid);
        assert_eq!(alert.severity, Severity::Severe);
        assert_eq!(alert.urgency, Urgency::Immediate);
        assert_eq!(alert.certainty, Certainty::Observed);
        assert_eq!(alert.status, Status::Actual);
        let cells: Vec<&str> = alert.areas.iter().map(Area::as_str).collect();
        assert_eq!(cells, ["9q8yy", "9q8yv"]);
        assert_eq!(alert.area_desc.as_deref(), Some("24th St BART"));
        assert_eq!(alert.onset, Some(NOW));
        assert_eq!(alert.info[0].headline, "Agents at 24th St");
        assert_eq!(alert.info[0].instruction, "Stay inside");
        assert_eq!(alert.msg_type, MsgType::Alert);
    }

    #[test]
    fn alert_validation_errors_are_one_line_with_a_hint() {
        let with = |extra: &str| build_err(&format!("{BASE} --lang en --headline H {extra}"));
        assert!(with("").contains("missing --area"));
        assert!(with("--area 9q").contains("geohash of 3 to 6"));
        assert!(with("--area 9qa8y").contains("not a geohash"));
        let e = with("--area 9q8yy --lang en_US --headline x");
        assert!(e.contains("BCP 47"), "{e}");
        let e = with("--area 9q8yy --lang EN --headline x");
        assert!(e.contains("language EN is given twice"), "{e}");
        let long = "x".repeat(MAX_HEADLINE + 1);
        let e = build_err(&format!("{BASE} --area 9q8yy --lang es --headline {long}"));
        assert!(
            e.contains("the es headline is 257 bytes; the limit is 256"),
            "{e}"
        );
        let e = build_err(
            "--category raid --severity severe --expires 31d --area 9q8yy --lang es --headline H",
        );
        assert!(e.contains("at most 30 days"), "{e}");
        let e = build_err("--severity severe --expires 6h --area 9q8yy --lang es --headline H");
        assert!(e.contains("missing --category"), "{e}");
        let e = build_err("--category raid --severity severe --area 9q8yy --lang es --headline H");
        assert!(e.contains("missing --expires"), "{e}");
        let e = build_err(&format!("{BASE} --area 9q8yy"));
        assert!(e.contains("missing text"), "{e}");
        let e = build_err(&format!("{BASE} --area 9q8yy --lang en --headline _"));
        assert!(e.contains("headline is empty"), "{e}");
        for e in [with(""), with("--area 9q")] {
            assert!(!e.contains('\n'), "{e}");
        }
        // clap refuses unknown enum values and lists the allowed ones.
        let e = parse("send --severity huge").unwrap_err().to_string();
        assert!(e.contains("extreme"), "{e}");
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
    fn alert_from_the_example_toml_file() {
        let text = include_str!("../../../examples/alert.toml");
        let d = Draft::from_file_text(text, Path::new("alert.toml"), NOW).unwrap();
        let (alert, ttl) = finish(d, MsgType::Alert, vec![], vec![]).unwrap();
        assert_eq!(alert.category, Category::Raid);
        assert_eq!(alert.onset, Some(NOW));
        assert_eq!(alert.info.len(), 2);
        assert_eq!(alert.info[0].lang, "en");
        assert_eq!(alert.info[1].lang, "es");
        assert!(alert.info[1].instruction.contains("orden firmada"));
        assert_eq!(ttl, 6 * 3600);
    }

    #[test]
    fn alert_from_json_and_command_line_wins() {
        let json = r#"{
            "category": "checkpoint", "severity": "moderate", "status": "exercise",
            "areas": ["9q8yy"], "onset": 1750000100, "expires": "2h",
            "info": [
                {"lang": "en", "headline": "Checkpoint drill", "text": "A drill"},
                {"lang": "ht", "headline": "Egzèsis"}
            ]
        }"#;
        let file = Draft::from_file_text(json, Path::new("a.json"), NOW).unwrap();
        let a = send_args("--severity severe --area 9q8yv");
        let d = Draft::from_args(&a, NOW).unwrap().over(file);
        let (alert, ttl) = finish(d, MsgType::Alert, vec![], vec![]).unwrap();
        assert_eq!(ttl, 7200);
        assert_eq!(alert.category, Category::Checkpoint);
        assert_eq!(alert.severity, Severity::Severe);
        assert_eq!(alert.status, Status::Exercise);
        assert_eq!(alert.areas, vec![Area::parse("9q8yv").unwrap()]);
        assert_eq!(alert.onset, Some(1_750_000_100));
        assert_eq!(alert.info[0].description, "A drill");
        assert_eq!(alert.info[1].lang, "ht");

        // Standard input: JSON when it starts with `{`, else TOML.
        assert!(Draft::from_file_text(json, Path::new("-"), NOW).is_ok());
        let toml = "category = \"raid\"\nexpires = \"1h\"";
        assert_eq!(
            Draft::from_file_text(toml, Path::new("-"), NOW)
                .unwrap()
                .ttl,
            Some(3600)
        );
        // A typo in a field name is an error, not silently ignored.
        let bad = "category = \"raid\"\nseverty = \"severe\"";
        let e = Draft::from_file_text(bad, Path::new("a.toml"), NOW).unwrap_err();
        assert!(e.to_string().contains("severty"), "{e}");
        let e =
            Draft::from_file_text(r#"{"severity": "huge"}"#, Path::new("a.json"), NOW).unwrap_err();
        assert!(e.to_string().contains("huge"), "{e}");
        let e = Draft::from_file_text("expires = \"soon\"", Path::new("a.toml"), NOW).unwrap_err();
        assert!(format!("{e:#}").contains("not a duration"), "{e:#}");
    }

    fn old_alert() -> Alert {
        build(
            "--category raid --severity moderate --area 9q8yy --expires 6h \
             --lang en --headline Old --text Old_text --instruction Old_todo \
             --lang es --headline Viejo --text Texto --instruction Hacer",
        )
        .unwrap()
        .0
    }

    fn update_draft(line: &str, old: &Alert, remaining: u64) -> Draft {
        let mut d = Draft::from_args(&send_args(line), NOW)
            .unwrap()
            .over(Draft::from_alert(old, remaining));
        d.keep_old_texts(&old.info);
        d
    }

    #[test]
    fn update_copies_what_is_not_given() {
        let old = old_alert();
        let target = Id([9; 32]);
        let d = update_draft("--severity extreme", &old, 1000);
        let (new, ttl) = finish(d, MsgType::Update, vec![target], vec![]).unwrap();
        assert_eq!(ttl, 1000);
        assert_eq!(new.severity, Severity::Extreme);
        assert_eq!(new.category, Category::Raid);
        assert_eq!(new.info, old.info);
        assert_eq!(new.references, vec![target]);
        assert_eq!(new.msg_type, MsgType::Update);

        // New headlines keep the old texts of their language unless --text is given.
        let d = update_draft(
            "--lang es --headline Nuevo --lang en --headline New",
            &old,
            1000,
        );
        let (new, _) = finish(d, MsgType::Update, vec![target], vec![]).unwrap();
        assert_eq!(new.info[0].headline, "Nuevo");
        assert_eq!(new.info[0].description, "Texto");
        assert_eq!(new.info[1].instruction, "Old todo");
        let d = update_draft("--lang en --headline New --text New_text", &old, 1000);
        let (new, _) = finish(d, MsgType::Update, vec![target], vec![]).unwrap();
        assert_eq!(new.info.len(), 1);
        assert_eq!(new.info[0].description, "New text");
        assert_eq!(new.info[0].instruction, "Old todo");

        // An expired target gives no default expiry.
        let d = update_draft("--severity extreme", &old, 0);
        let e = finish(d, MsgType::Update, vec![target], vec![]).unwrap_err();
        assert!(e.to_string().contains("missing --expires"), "{e}");
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

    #[test]
    fn id_prefixes_and_kinds() {
        let a = Id([0xab; 32]);
        let b = Id([0xac; 32]);
        assert_eq!(match_prefix("abab", [a, b].into_iter()).unwrap(), a);
        let e = match_prefix("a", [a, b].into_iter())
            .unwrap_err()
            .to_string();
        assert!(e.contains("matches 2"), "{e}");
        let e = match_prefix("ff", [a, b].into_iter())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no envelope ff is stored on this node"), "{e}");
        assert_eq!(a_kind(Kind::Alert), "an alert");
        assert_eq!(a_kind(Kind::TrustList), "a trust list");
    }
}
