//! `aviso report send | list | confirm | dismiss`: members send sightings; organizers see
//! the open ones and confirm them with an alert, or dismiss them.
//!
//! A report is never shown as an alert. Confirming one signs an alert whose `confirms`
//! names it; dismissing one signs a retraction (reason `false` by default).

use anyhow::{Result, bail};
use aviso_protocol::feed::{ReportItem, ReportState};
use aviso_protocol::{Body, Category, Kind, MsgType, Report, RetractReason};
use clap::{Args, Subcommand};

use crate::api_client::{Api, fetch_envelope, resolve_all, resolve_id};
use crate::args::Globals;
use crate::args::alert::{AlertArgs, Draft, finish};
use crate::args::{category_parser, reason_parser};
use crate::output::{self, Style};
use crate::render::{Cell, Paint, enum_name, one_line, rel, report_state, table, who};
use crate::sign::{self, send_body};
use aviso_node::compose::{self, ReportOptions};
use aviso_node::feed::{Cursor, CursorError};
use aviso_node::report_list::{LIST_PAGE, MAX_LIST_PAGES, Walk, hidden_reasons};

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Send a sighting. Organizers see it as unverified until they confirm or dismiss it.
    ///
    /// Say what you saw, where (a coarse area cell) and when. Never names, faces or
    /// addresses of people.
    Send(SendArgs),
    /// Organizers: the open reports (unverified, not expired), newest first.
    List {
        /// Also confirmed, dismissed, expired and hidden reports, with the reasons.
        #[arg(long)]
        all: bool,
        /// List at most this many (1 to 500).
        #[arg(long, value_name = "N", default_value_t = 100,
              value_parser = clap::value_parser!(u16).range(1..=500))]
        limit: u16,
        /// Continue an earlier list: the cursor it printed.
        #[arg(long, value_name = "CURSOR", value_parser = cursor_parser)]
        before: Option<Cursor>,
    },
    /// Organizers: confirm a report by sending an alert that verifies it.
    ///
    /// Takes the options of `aviso alert send`; --area and --category default to the
    /// report's.
    Confirm {
        /// The report: its id, or the first characters shown by `aviso report list`.
        id: String,
        #[command(flatten)]
        alert: AlertArgs,
    },
    /// Organizers: mark a report as false (or a duplicate, or a mistake).
    Dismiss {
        /// The report.
        id: String,
        /// Why: false, duplicate, mistaken or withdrawn.
        #[arg(long, value_parser = reason_parser(), default_value = "false")]
        reason: RetractReason,
    },
}

/// Options of `aviso report send`.
#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    /// Where: an area cell (geohash of 3 to 6 characters, e.g. 9q8yy). Repeat, or separate
    /// with commas.
    #[arg(
        long = "area",
        value_name = "CELL",
        value_delimiter = ',',
        required = true
    )]
    pub areas: Vec<String>,
    /// What was seen: usually raid, checkpoint, detention, patrol or other.
    #[arg(long, value_parser = category_parser())]
    pub category: Category,
    /// How long ago it was seen: 10m, 1h ... [default: now].
    #[arg(long, value_name = "DURATION", conflicts_with = "seen_at")]
    pub seen: Option<String>,
    /// When it was seen, in unix seconds.
    #[arg(long, value_name = "UNIX")]
    pub seen_at: Option<String>,
    /// Language of --text (BCP 47: en, es, ht ...).
    #[arg(long, value_name = "TAG", requires = "text")]
    pub lang: Option<String>,
    /// What you saw, in your words.
    #[arg(long, value_name = "TEXT", requires = "lang")]
    pub text: Option<String>,
    /// How long it stays open: 30m, 12h, 2d ... at most 30d.
    #[arg(long, value_name = "DURATION", default_value = "12h")]
    pub expires: String,
}

/// Run a subcommand.
pub async fn run(cli: &Globals, c: &ReportCmd) -> Result<()> {
    match c {
        ReportCmd::Send(a) => {
            let (report, ttl) = build_report(a, aviso_node::unix_now())?;
            send_body(cli, "report", Body::Report(report), ttl).await
        }
        ReportCmd::List { all, limit, before } => list(cli, *all, *limit, *before).await,
        ReportCmd::Confirm { id, alert } => confirm(cli, id, alert).await,
        ReportCmd::Dismiss { id, reason } => sign::retract(cli, id, *reason, Kind::Report).await,
    }
}

/// A report and its life in seconds, from the options.
fn build_report(a: &SendArgs, now: u64) -> Result<(Report, u64)> {
    let o = ReportOptions {
        category: a.category,
        areas: &a.areas,
        seen: a.seen.as_deref(),
        seen_at: a.seen_at.as_deref(),
        lang: a.lang.as_deref(),
        text: a.text.as_deref(),
        expires: &a.expires,
    };
    Ok(compose::report(&o, now)?)
}

async fn confirm(cli: &Globals, id: &str, a: &AlertArgs) -> Result<()> {
    let now = aviso_node::unix_now();
    let from_cli = a.draft(now)?.over(a.file_draft()?);
    let api = Api::connect(&cli.home_dir())?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    let Body::Report(report) = target.body() else {
        bail!(
            "{} is a {}, not a report{}",
            id.short(),
            target.kind().as_str(),
            sign::hint_for_kind(target.kind())
        );
    };
    let defaults = Draft {
        category: Some(report.category),
        areas: Some(report.areas.iter().map(|c| c.to_string()).collect()),
        ..Draft::default()
    };
    let draft = from_cli.over(defaults);
    let mut confirms = vec![id];
    confirms.extend(resolve_all(&api, draft.confirms.as_deref().unwrap_or_default()).await?);
    let (body, ttl) = finish(draft, MsgType::Alert, vec![], confirms)?;
    send_body(cli, "alert", Body::Alert(body), ttl).await
}

fn cursor_parser(s: &str) -> Result<Cursor, String> {
    s.trim().parse().map_err(|e: CursorError| e.to_string())
}

async fn list(cli: &Globals, all: bool, limit: u16, before: Option<Cursor>) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let mut walk = Walk::new(all, usize::from(limit));
    let mut from = before;
    for _ in 0..MAX_LIST_PAGES {
        let page = api
            .feed(true, Some(LIST_PAGE), from.map(|c| c.to_string()))
            .await?;
        let next: Option<Cursor> = match &page.next {
            Some(c) => Some(cursor_parser(c).map_err(|e| anyhow::anyhow!("the node sent {e}"))?),
            None => None,
        };
        from = walk.page(page.feed.reports, next);
        if from.is_none() {
            break;
        }
    }
    let (reports, more) = walk.finish();
    if cli.json {
        #[derive(serde::Serialize)]
        struct Out<'a> {
            reports: &'a [ReportItem],
            next: Option<String>,
        }
        let next = more.map(|c| c.to_string());
        return output::json(&Out {
            reports: &reports,
            next,
        });
    }
    let st = Style::stdout();
    print!("{}", render_list(&reports, aviso_node::unix_now(), st, all));
    if let Some(c) = more {
        let all = if all { " --all" } else { "" };
        println!(
            "{}",
            st.dim(&format!("more: aviso report list{all} --before {c}"))
        );
    }
    Ok(())
}

/// The organizers' table of reports.
pub(crate) fn render_list(reports: &[ReportItem], now: u64, st: Style, all: bool) -> String {
    if reports.is_empty() {
        return if all {
            "no reports are stored on this node\n".into()
        } else {
            "no open reports (use --all for confirmed, dismissed and expired ones)\n".into()
        };
    }
    let rows: Vec<Vec<Cell>> = reports
        .iter()
        .map(|r| {
            let area: Vec<&str> = r.report.areas.iter().map(|a| a.as_str()).collect();
            let paint = match r.state {
                ReportState::Unverified => Paint::Yellow,
                ReportState::Confirmed { .. } => Paint::Green,
                ReportState::Dismissed { .. } => Paint::Dim,
            };
            let text = r
                .report
                .note
                .as_ref()
                .map(|n| format!("[{}] {}", n.lang, one_line(&n.text, 80)))
                .unwrap_or_default();
            vec![
                r.id.short().into(),
                rel(r.report.seen_at, now).into(),
                area.join(",").into(),
                enum_name(&r.report.category).into(),
                Cell(report_state(&r.state), paint),
                who(r.author_label.as_deref(), &r.author).into(),
                text.into(),
            ]
        })
        .collect();
    let header = [
        "ID", "SEEN", "AREA", "CATEGORY", "STATE", "REPORTER", "TEXT",
    ];
    let lines = table(st, &header, &rows);
    let mut out = String::new();
    let mut lines = lines.into_iter();
    if let Some(h) = lines.next() {
        out.push_str(&h);
        out.push('\n');
    }
    for (r, line) in reports.iter().zip(lines) {
        out.push_str(&line);
        out.push('\n');
        // A dismissal is already in the state column.
        let hidden = hidden_reasons(r);
        if all && !hidden.is_empty() {
            out.push_str(&st.dim(&format!("{:<12}  not shown: {}", "", hidden.join("; "))));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::args::tests::parse_words;
    use aviso_node::report_list::is_open;
    use aviso_protocol::Reason;
    use aviso_protocol::{Area, Id, PublicKey};
    use clap::Parser;

    const NOW: u64 = 1_750_000_000;

    #[derive(Debug, Parser)]
    struct T {
        #[command(subcommand)]
        cmd: ReportCmd,
    }

    fn parse(line: &str) -> Result<ReportCmd, clap::Error> {
        parse_words::<T>("report", line).map(|t| t.cmd)
    }

    fn send(line: &str) -> SendArgs {
        match parse(&format!("send {line}")).unwrap() {
            ReportCmd::Send(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn list_paging_options() {
        match parse("list").unwrap() {
            ReportCmd::List { all, limit, before } => {
                assert_eq!((all, limit, before), (false, 100, None));
            }
            other => panic!("{other:?}"),
        }
        let c = Cursor {
            created_at: NOW,
            id: Id([7; 32]),
        };
        match parse(&format!("list --all --limit 500 --before {c}")).unwrap() {
            ReportCmd::List { all, limit, before } => {
                assert_eq!((all, limit, before), (true, 500, Some(c)));
            }
            other => panic!("{other:?}"),
        }
        for bad in ["--limit 0", "--limit 501", "--before abc", "--limit x"] {
            assert!(parse(&format!("list {bad}")).is_err(), "{bad}");
        }
    }

    #[test]
    fn report_from_args() {
        let a = send("--area 9q8yy --category patrol --seen 10m --lang es --text Dos_camionetas");
        let (r, ttl) = build_report(&a, NOW).unwrap();
        assert_eq!(ttl, 12 * 3600);
        assert_eq!(r.seen_at, NOW - 600);
        assert_eq!(r.category, Category::Patrol);
        assert_eq!(r.areas, vec![Area::parse("9q8yy").unwrap()]);
        let note = r.note.unwrap();
        assert_eq!(
            (note.lang.as_str(), note.text.as_str()),
            ("es", "Dos camionetas")
        );

        let a = send("--area 9q8yy --category raid --expires 2d --seen-at 1749999000");
        let (r, ttl) = build_report(&a, NOW).unwrap();
        assert_eq!((r.seen_at, ttl), (1_749_999_000, 2 * 86_400));
        assert!(r.note.is_none());
    }

    #[test]
    fn report_errors() {
        assert!(parse("send --category raid").is_err()); // no --area
        assert!(parse("send --area 9q8yy --category raid --text x").is_err()); // no --lang
        assert!(parse("send --area 9q8yy --category raid --seen 5m --seen-at 1750000000").is_err());
        let e = |line: &str| build_report(&send(line), NOW).unwrap_err().to_string();
        assert!(e("--area 9q8yy --category raid --seen-at 1760000000").contains("future"));
        assert!(e("--area 9q8yy --category raid --expires 40d").contains("30 days"));
        assert!(e("--area 9q8yy --category raid --seen 40d").contains("30 days ago"));
        assert!(e("--area zz --category raid").contains("geohash"));
        assert!(e("--area 9q8yy --category raid --lang xx_1 --text t").contains("BCP 47"));
        let d = parse("dismiss abcdef").unwrap();
        assert!(matches!(
            d,
            ReportCmd::Dismiss {
                reason: RetractReason::False,
                ..
            }
        ));
        assert!(matches!(
            parse("confirm abcdef --severity severe").unwrap(),
            ReportCmd::Confirm { .. }
        ));
    }

    fn item(state: ReportState, reasons: Vec<Reason>) -> ReportItem {
        ReportItem {
            id: Id([5; 32]),
            author: PublicKey([1; 32]),
            author_label: Some("ana".into()),
            created_at: NOW - 300,
            expires_at: NOW + 3600,
            report: aviso_protocol::fixtures::report(
                Category::Raid,
                &["9q8yy"],
                NOW - 600,
                "es",
                "Dos camionetas\nen la esquina",
            ),
            state,
            shown: reasons.is_empty(),
            reasons,
        }
    }

    #[test]
    fn open_reports_and_table() {
        assert!(is_open(&item(ReportState::Unverified, vec![])));
        assert!(is_open(&item(
            ReportState::Unverified,
            vec![Reason::OutsideYourAreas]
        )));
        assert!(!is_open(&item(
            ReportState::Unverified,
            vec![Reason::Expired]
        )));
        assert!(!is_open(&item(
            ReportState::Confirmed { by: Id([7; 32]) },
            vec![]
        )));
        let st = Style::stdout();
        let t = render_list(
            &[item(
                ReportState::Confirmed { by: Id([7; 32]) },
                vec![Reason::Expired],
            )],
            NOW,
            st,
            true,
        );
        assert!(t.contains("050505050505"), "{t}");
        assert!(t.contains("10 min ago"), "{t}");
        assert!(t.contains("confirmed by alert 070707070707"), "{t}");
        assert!(t.contains("ana"), "{t}");
        assert!(t.contains("[es] Dos camionetas…"), "{t}");
        assert!(t.contains("not shown: expired"), "{t}");
        assert!(render_list(&[], NOW, st, false).contains("no open reports"));
    }
}
