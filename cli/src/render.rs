//! Rendering for people: tables, relative times and dates, labels, and the feed's
//! alerts, reports and resource notices. Text from other people goes through
//! [`crate::output::clean`] (or [`single_line`]) here, at the last step before printing.

use anyhow::{Result, anyhow};
use aviso_protocol::feed::resource_text;
use aviso_protocol::feed::{AlertItem, ReportItem, ReportState, ResourceItem};
use aviso_protocol::{
    Feed, MsgType, PublicKey, Resource, ResourceInfo, ResourceKind, Severity, Status,
};

use crate::output::{Style, clean, single_line};

/// How a table cell is painted (after padding, so colour codes do not skew the columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paint {
    Plain,
    Yellow,
    Green,
    Dim,
}

/// A table cell.
#[derive(Debug, Clone)]
pub(crate) struct Cell(pub String, pub Paint);

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell(s, Paint::Plain)
    }
}

/// Lay out `rows` under `header` in columns two spaces apart; returns the header line and
/// one line per row, without trailing spaces.
pub(crate) fn table(st: Style, header: &[&str], rows: &[Vec<Cell>]) -> Vec<String> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.0.chars().count());
            }
        }
    }
    let line = |cells: Vec<(String, Paint)>| {
        let last = cells.len().saturating_sub(1);
        let mut out = String::new();
        for (i, (text, paint)) in cells.into_iter().enumerate() {
            let pad = widths.get(i).copied().unwrap_or(0);
            let padded = if i == last {
                text
            } else {
                format!("{text:<pad$}  ")
            };
            out.push_str(&match paint {
                Paint::Plain => padded,
                Paint::Yellow => st.yellow(&padded),
                Paint::Green => st.green(&padded),
                Paint::Dim => st.dim(&padded),
            });
        }
        out.trim_end().to_owned()
    };
    let mut lines = vec![
        st.bold(&line(
            header
                .iter()
                .map(|h| (h.to_string(), Paint::Plain))
                .collect(),
        )),
    ];
    for row in rows {
        lines.push(line(row.iter().map(|c| (c.0.clone(), c.1)).collect()));
    }
    lines
}

/// A span of seconds for people, to the nearest minute (then hour) so that a 6 h expiry
/// read a second later still says 6 h: `45 s`, `12 min`, `2 h 5 min`, `1 day`, `3 days 4 h`.
pub(crate) fn span(d: u64) -> String {
    if d < 60 {
        return format!("{d} s");
    }
    let m = (d + 30) / 60;
    if m < 60 {
        return format!("{m} min");
    }
    let (h, mm) = (m / 60, m % 60);
    if h < 24 {
        return if mm == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {mm} min")
        };
    }
    let hours = (m + 30) / 60;
    let (days, hh) = (hours / 24, hours % 24);
    let days = if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    };
    if hh == 0 {
        days
    } else {
        format!("{days} {hh} h")
    }
}

/// `5 min ago` or `in 6 h`, relative to `now`.
pub(crate) fn rel(t: u64, now: u64) -> String {
    if t <= now {
        format!("{} ago", span(now - t))
    } else {
        format!("in {}", span(t - now))
    }
}

pub(crate) fn expiry(t: u64, now: u64) -> String {
    if t <= now {
        format!("expired {}", rel(t, now))
    } else {
        format!("expires {}", rel(t, now))
    }
}

pub(crate) fn human_bytes(b: u64) -> String {
    match b {
        0..=1023 => format!("{b} B"),
        1024..=1_048_575 => format!("{:.1} KiB", b as f64 / 1024.0),
        _ => format!("{:.1} MiB", b as f64 / 1_048_576.0),
    }
}

/// Date and time in UTC, e.g. `2026-05-01 14:03 UTC`.
pub(crate) fn date(t: u64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    i64::try_from(t)
        .ok()
        .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .and_then(|d| d.format(&format).ok())
        .unwrap_or_else(|| format!("unix time {t}"))
}

/// The first line of `s`, cut to `max` characters.
pub(crate) fn one_line(s: &str, max: usize) -> String {
    aviso_node::notify::first_line(&crate::output::clean(s), max)
}

/// The snake_case name of a protocol enum value, for people.
pub(crate) fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "?".into(),
    }
}

/// Who signed: their label on the member's lists, else their fingerprint.
pub(crate) fn who(label: Option<&str>, key: &PublicKey) -> String {
    match label {
        Some(l) if !l.trim().is_empty() => single_line(l),
        _ => key.fingerprint(),
    }
}

/// A report's state in words.
pub(crate) fn report_state(s: &ReportState) -> String {
    match s {
        ReportState::Unverified => "unverified".into(),
        ReportState::Confirmed { by } => format!("confirmed by alert {}", by.short()),
        ReportState::Dismissed { by, why } => {
            format!("dismissed ({}) by {}", enum_name(why), by.fingerprint())
        }
    }
}

/// `[EXERCISE]`-style label for anything that is not a real alert.
pub(crate) fn status_label(s: Status, st: Style) -> Option<String> {
    match s {
        Status::Actual => None,
        Status::Exercise => Some(st.yellow(&st.bold("[EXERCISE, not real]"))),
        Status::Test => Some(st.yellow(&st.bold("[TEST, not real]"))),
    }
}

pub(crate) fn severity_label(s: Severity, st: Style) -> String {
    let name = enum_name(&s).to_uppercase();
    match s {
        Severity::Extreme | Severity::Severe => st.red(&name),
        Severity::Moderate => st.yellow(&name),
        Severity::Minor | Severity::Unknown => st.bold(&name),
    }
}

pub(crate) fn kind_label(k: ResourceKind) -> String {
    enum_name(&k).replace('_', " ").to_uppercase()
}

fn indent(o: &mut String, text: &str, prefix: &str) {
    for line in clean(text).trim_end().lines() {
        o.push_str("  ");
        o.push_str(prefix);
        o.push_str(line);
        o.push('\n');
    }
}

pub(crate) fn cells(areas: &[aviso_protocol::Area]) -> String {
    areas
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn hidden_line(o: &mut String, shown: bool, reasons: &[aviso_protocol::Reason], st: Style) {
    if !shown {
        let r: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        o.push_str(&st.dim(&format!("  not shown: {}", r.join("; "))));
        o.push('\n');
    }
}

fn refs(ids: &[aviso_protocol::Id]) -> String {
    ids.iter().map(|i| i.short()).collect::<Vec<_>>().join(", ")
}

/// The whole feed for people: trusted alerts, then unverified reports apart, then
/// resources. With `all`, hidden items follow the shown ones of each section.
pub(crate) fn render_feed(feed: &Feed, now: u64, st: Style, all: bool) -> String {
    let mut o = String::new();
    let shown = feed.alerts.iter().filter(|a| a.shown).count();
    o.push_str(&st.bold(&format!("ALERTS ({shown})")));
    o.push('\n');
    if feed.alerts.is_empty() {
        o.push_str(&st.dim("  no alerts right now"));
        o.push('\n');
    }
    // The node's order (shown first, then by severity, newest first), except that real
    // alerts come before exercises and tests.
    let mut alerts: Vec<&AlertItem> = feed.alerts.iter().collect();
    alerts.sort_by_key(|a| (!a.shown, a.alert.status != Status::Actual));
    for a in alerts {
        o.push('\n');
        o.push_str(&render_alert(a, now, st));
    }
    if !feed.reports.is_empty() {
        o.push('\n');
        let state = |s: fn(&ReportState) -> bool| {
            feed.reports
                .iter()
                .filter(|r| r.shown && s(&r.state))
                .count()
        };
        let n = state(|s| *s == ReportState::Unverified);
        let confirmed = state(|s| matches!(s, ReportState::Confirmed { .. }));
        o.push_str(&st.yellow(&st.bold(&format!(
            "UNVERIFIED REPORTS ({n}): sightings by members, not confirmed by organizers"
        ))));
        if confirmed > 0 {
            o.push_str(&st.dim(&format!(" · {confirmed} more confirmed by an alert")));
        }
        o.push('\n');
        for r in &feed.reports {
            o.push('\n');
            o.push_str(&render_report(r, now, st));
        }
    }
    if !feed.resources.is_empty() {
        o.push('\n');
        let n = feed.resources.iter().filter(|r| r.shown).count();
        o.push_str(&st.bold(&format!("RESOURCES ({n})")));
        o.push('\n');
        for r in &feed.resources {
            o.push('\n');
            o.push_str(&render_resource(r, now, st));
        }
    }
    if !all {
        o.push('\n');
        o.push_str(&st.dim("(`aviso feed --all` also shows hidden items and why)"));
        o.push('\n');
    }
    o
}

/// One alert, several lines.
pub(crate) fn render_alert(a: &AlertItem, now: u64, st: Style) -> String {
    let mut o = String::new();
    let al = &a.alert;
    // Labels that change how to read the alert come first, apart from the details.
    let mut labels: Vec<String> = Vec::new();
    if let Some(l) = status_label(al.status, st) {
        labels.push(l);
    }
    match al.msg_type {
        MsgType::Alert => {}
        MsgType::Update => labels.push(st.bold("UPDATE:")),
        MsgType::Cancel => labels.push(st.bold(&format!("CANCEL of {}:", refs(&al.references)))),
        MsgType::AllClear => {
            labels.push(st.green(&format!("ALL CLEAR for {}:", refs(&al.references))))
        }
    }
    labels.push(severity_label(al.severity, st));
    let mut head = vec![labels.join(" ")];
    head.push(enum_name(&al.category));
    head.push(cells(&al.areas));
    if let Some(p) = &al.area_desc {
        head.push(single_line(p));
    }
    o.push_str(&head.join(" · "));
    o.push('\n');
    match &a.text {
        Some(t) => {
            o.push_str("  ");
            o.push_str(&st.bold(&single_line(&t.headline)));
            o.push('\n');
            indent(&mut o, &t.description, "");
            if !t.instruction.trim().is_empty() {
                indent(&mut o, &t.instruction, "> ");
            }
        }
        // A cancel or all-clear need not explain itself.
        None if matches!(al.msg_type, MsgType::Cancel | MsgType::AllClear) => {}
        None => o.push_str(&st.dim("  (no text)\n")),
    }
    let mut meta: Vec<String> = Vec::new();
    if let Some(on) = al.onset {
        meta.push(if on <= now {
            format!("started {}", rel(on, now))
        } else {
            format!("starts {}", rel(on, now))
        });
    }
    meta.push(format!("sent {}", rel(a.created_at, now)));
    meta.push(expiry(a.expires_at, now));
    let mut signers = format!("signed by {}", who(a.author_label.as_deref(), &a.author));
    if !a.endorsers.is_empty() {
        let co: Vec<String> = a
            .endorsers
            .iter()
            .enumerate()
            .map(|(i, k)| who(a.endorser_labels.get(i).and_then(Option::as_deref), k))
            .collect();
        signers.push_str(&format!(", co-signed by {}", co.join(", ")));
    }
    meta.push(format!(
        "{signers} ({} of {} signatures)",
        a.signatures, a.needed
    ));
    if al.info.len() > 1 {
        let langs: Vec<&str> = al.info.iter().map(|i| i.lang.as_str()).collect();
        meta.push(format!("in {}", langs.join(", ")));
    }
    if !al.confirms.is_empty() {
        let n = al.confirms.len();
        meta.push(format!(
            "confirms {n} report{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    meta.push(format!("id {}", a.id.short()));
    o.push_str(&st.dim(&format!("  {}", meta.join(" · "))));
    o.push('\n');
    hidden_line(&mut o, a.shown, &a.reasons, st);
    o
}

/// One report, several lines, always labelled as unverified (or how it ended).
pub(crate) fn render_report(r: &ReportItem, now: u64, st: Style) -> String {
    let mut o = String::new();
    let state = match &r.state {
        ReportState::Unverified => st.yellow("UNVERIFIED"),
        ReportState::Confirmed { by } => {
            format!("{} by alert {}", st.green("CONFIRMED"), by.short())
        }
        ReportState::Dismissed { by, why } => format!(
            "{} ({}) by {}",
            st.bold("DISMISSED"),
            enum_name(why),
            by.fingerprint()
        ),
    };
    o.push_str(&format!(
        "{state} · {} · {} · seen {}\n",
        enum_name(&r.report.category),
        cells(&r.report.areas),
        rel(r.report.seen_at, now)
    ));
    if let Some(n) = &r.report.note {
        indent(&mut o, &n.text, &format!("[{}] ", n.lang));
    }
    o.push_str(&st.dim(&format!(
        "  sent by {} · {} · {} · id {}",
        who(r.author_label.as_deref(), &r.author),
        rel(r.created_at, now),
        expiry(r.expires_at, now),
        r.id.short()
    )));
    o.push('\n');
    hidden_line(&mut o, r.shown, &r.reasons, st);
    o
}

/// One resource notice, several lines.
pub(crate) fn render_resource(r: &ResourceItem, now: u64, st: Style) -> String {
    let mut o = String::new();
    let res = &r.resource;
    let name = r
        .text
        .as_ref()
        .map(|t| t.name.as_str())
        .unwrap_or("(no name)");
    o.push_str(&format!(
        "{} · {} · {}\n",
        st.bold(&kind_label(res.kind)),
        st.bold(&single_line(name)),
        cells(&res.areas)
    ));
    if let Some(t) = &r.text {
        indent(&mut o, &t.description, "");
        if !t.hours.trim().is_empty() {
            indent(&mut o, &t.hours, "hours: ");
        }
    }
    if let Some(h) = aviso_protocol::hours::Hours::of(res) {
        indent(&mut o, &h.to_string(), "open: ");
    }
    let contact: Vec<String> = [
        res.phone
            .as_ref()
            .map(|p| format!("phone {}", single_line(p))),
        res.url.as_deref().map(single_line),
        res.address.as_deref().map(single_line),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !contact.is_empty() {
        o.push_str(&format!("  {}\n", contact.join(" · ")));
    }
    let mut flags: Vec<String> = Vec::new();
    if !res.languages_spoken.is_empty() {
        flags.push(format!("speaks {}", res.languages_spoken.join(", ")));
    }
    for (on, what) in [
        (res.free, "free"),
        (res.no_id_required, "no ID required"),
        (res.confidential, "confidential"),
        (res.walk_in, "walk-in"),
    ] {
        if on {
            flags.push(what.into());
        }
    }
    if let Some(s) = res.starts_at {
        flags.push(if s <= now {
            format!("started {}", rel(s, now))
        } else {
            format!("starts {}", rel(s, now))
        });
    }
    if let Some(e) = res.ends_at {
        flags.push(if e <= now {
            format!("ended {}", rel(e, now))
        } else {
            format!("ends {}", rel(e, now))
        });
    }
    if !flags.is_empty() {
        o.push_str(&format!("  {}\n", flags.join(" · ")));
    }
    o.push_str(&st.dim(&format!(
        "  by {} · key {} · updated {} · {} · id {}",
        who(r.author_label.as_deref(), &r.author),
        res.resource_key,
        rel(r.created_at, now),
        expiry(r.expires_at, now),
        r.id.short()
    )));
    o.push('\n');
    hidden_line(&mut o, r.shown, &r.reasons, st);
    o
}

/// Choose every text block again for a member who reads `lang`.
pub(crate) fn relang_feed(feed: &mut Feed, lang: &str) {
    feed.relang(&[lang]);
}

/// The text block of `r` for a member who reads `lang`.
pub(crate) fn relang_resource(r: &Resource, lang: &str) -> Option<ResourceInfo> {
    resource_text(r, &[lang])
}

/// Draw `text` as a QR code with Unicode half blocks (two modules per character cell).
pub(crate) fn qr_text(text: &str) -> Result<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| anyhow!("cannot draw a QR code of this text: {e}"))?;
    // Drawn light-on-dark: the half blocks are the light modules and the quiet zone.
    Ok(code
        .render::<Dense1x2>()
        .dark_color(Dense1x2::Light)
        .light_color(Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// Print a QR code of `text` on stdout. On a colour terminal the colours are set, so it
/// reads the same on light and dark backgrounds.
pub(crate) fn print_qr(text: &str) -> Result<()> {
    let art = qr_text(text)?;
    let colour = crate::output::colour();
    for line in art.lines() {
        if colour {
            println!("\x1b[97;40m{line}\x1b[0m");
        } else {
            println!("{line}");
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::fixtures;
    use aviso_protocol::{Area, Category, Id, Info, Reason, RetractReason};

    pub(crate) const NOW: u64 = 1_750_000_000;

    /// Text without colour codes, whatever the terminal running the tests.
    pub(crate) fn plain(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\x1b' {
                for c in it.by_ref() {
                    if c == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    pub(crate) fn info(lang: &str, headline: &str) -> Info {
        Info {
            lang: lang.into(),
            headline: headline.into(),
            description: format!("{headline}: description"),
            instruction: format!("{headline}: instruction"),
        }
    }

    pub(crate) fn alert_item(id: u8, severity: Severity, status: Status, shown: bool) -> AlertItem {
        let mut alert = fixtures::alert(
            Category::Raid,
            &["9q8yy"],
            vec![info("en", "Agents at BART"), info("es", "Agentes en BART")],
        );
        (alert.severity, alert.status) = (severity, status);
        alert.area_desc = Some("24th St BART".into());
        AlertItem {
            id: Id([id; 32]),
            thread: Id([id; 32]),
            author: PublicKey([1; 32]),
            author_label: Some("maria".into()),
            endorsers: vec![PublicKey([2; 32])],
            endorser_labels: vec![Some("beto".into())],
            signatures: 2,
            needed: 2,
            created_at: NOW - 300,
            expires_at: NOW + 6 * 3600,
            text: Some(alert.info[0].clone()),
            alert,
            shown,
            reasons: if shown {
                vec![]
            } else {
                vec![Reason::NeedsSignatures { needed: 2, has: 1 }]
            },
        }
    }

    pub(crate) fn sample_feed() -> Feed {
        let report = ReportItem {
            id: Id([9; 32]),
            author: PublicKey([3; 32]),
            author_label: None,
            created_at: NOW - 120,
            expires_at: NOW + 3600,
            report: fixtures::report(
                Category::Patrol,
                &["9q8yv"],
                NOW - 600,
                "es",
                "Dos camionetas",
            ),
            state: ReportState::Unverified,
            shown: true,
            reasons: vec![],
        };
        // The fixture's legal clinic, in English and Spanish, not confidential.
        let mut res = fixtures::resource("clinic", "Legal clinic");
        res.info.push(ResourceInfo {
            lang: "es".into(),
            name: "Clínica legal".into(),
            description: "Consultas gratis".into(),
            hours: "lun-vie 9-5".into(),
        });
        (res.phone, res.url, res.confidential) = (Some("415-555-0100".into()), None, false);
        res.areas = vec![Area::parse("9q8").unwrap()];
        res.languages_spoken = vec!["es".into(), "en".into()];
        let resource = ResourceItem {
            id: Id([7; 32]),
            author: PublicKey([1; 32]),
            author_label: Some("maria".into()),
            created_at: NOW - 86_400,
            expires_at: NOW + 30 * 86_400,
            text: res.info.first().cloned(),
            resource: res,
            shown: true,
            reasons: vec![],
        };
        Feed {
            alerts: vec![
                alert_item(4, Severity::Extreme, Status::Actual, true),
                alert_item(5, Severity::Minor, Status::Exercise, true),
                alert_item(6, Severity::Severe, Status::Actual, false),
            ],
            reports: vec![report],
            resources: vec![resource],
            ..Feed::default()
        }
    }

    #[test]
    fn feed_rendering() {
        let feed = sample_feed();
        let out = plain(&render_feed(&feed, NOW, Style::stdout(), true));
        // Alerts first, in the node's order; then reports apart; then resources.
        let a = out.find("ALERTS (2)").unwrap();
        let r = out.find("UNVERIFIED REPORTS (1)").unwrap();
        let s = out.find("RESOURCES (1)").unwrap();
        assert!(a < r && r < s, "{out}");
        assert!(
            out.contains("EXTREME · raid · 9q8yy · 24th St BART"),
            "{out}"
        );
        assert!(out.contains("  Agents at BART\n"), "{out}");
        assert!(out.contains("  Agents at BART: description\n"), "{out}");
        assert!(out.contains("  > Agents at BART: instruction\n"), "{out}");
        assert!(
            out.contains("sent 5 min ago · expires in 6 h · signed by maria, co-signed by beto (2 of 2 signatures) · in en, es"),
            "{out}"
        );
        assert!(out.contains("id 040404040404"), "{out}");
        // Confirmed reports are not counted as unverified (regression, issue 17).
        let mut confirmed = feed.clone();
        let mut r = confirmed.reports[0].clone();
        r.id = Id([9; 32]);
        r.state = ReportState::Confirmed { by: Id([4; 32]) };
        confirmed.reports.push(r);
        let two = plain(&render_feed(&confirmed, NOW, Style::stdout(), true));
        assert!(
            two.contains("UNVERIFIED REPORTS (1)") && two.contains("1 more confirmed by an alert"),
            "{two}"
        );
        // Exercises are labelled.
        assert!(out.contains("[EXERCISE, not real] MINOR · raid"), "{out}");
        // Hidden items carry their reasons.
        assert!(
            out.contains("not shown: needs 2 signatures, has 1"),
            "{out}"
        );
        // Reports: state, reporter fingerprint, text.
        assert!(
            out.contains("UNVERIFIED · patrol · 9q8yv · seen 10 min ago"),
            "{out}"
        );
        assert!(out.contains("  [es] Dos camionetas\n"), "{out}");
        assert!(out.contains(&PublicKey([3; 32]).fingerprint()), "{out}");
        // Resources.
        assert!(out.contains("LEGAL AID · Legal clinic · 9q8"), "{out}");
        assert!(
            out.contains("speaks es, en · free · no ID required"),
            "{out}"
        );
        assert!(out.contains("phone 415-555-0100"), "{out}");
        assert!(!out.contains("--all"), "{out}");

        let out = plain(&render_feed(&Feed::default(), NOW, Style::stdout(), false));
        assert!(out.contains("no alerts right now"), "{out}");
        assert!(out.contains("aviso feed --all"), "{out}");
        assert!(!out.contains("UNVERIFIED REPORTS"), "{out}");
    }

    #[test]
    fn real_alerts_before_exercises() {
        let feed = Feed {
            alerts: vec![
                alert_item(1, Severity::Extreme, Status::Test, true),
                alert_item(2, Severity::Minor, Status::Actual, true),
                alert_item(3, Severity::Extreme, Status::Actual, false),
            ],
            ..Feed::default()
        };
        let out = plain(&render_feed(&feed, NOW, Style::stdout(), true));
        let pos = |id: &str| out.find(id).unwrap();
        assert!(pos("id 020202020202") < pos("id 010101010101"), "{out}");
        assert!(pos("id 010101010101") < pos("id 030303030303"), "{out}");
        assert!(out.contains("[TEST, not real] EXTREME"), "{out}");
    }

    #[test]
    fn relative_times() {
        assert_eq!(rel(NOW - 5, NOW), "5 s ago");
        assert_eq!(rel(NOW + 6 * 3600 - 1, NOW), "in 6 h");
        assert_eq!(rel(NOW + 3600 + 5 * 60, NOW), "in 1 h 5 min");
        assert_eq!(rel(NOW - 86_400, NOW), "1 day ago");
        assert_eq!(rel(NOW + 90 * 86_400 - 2, NOW), "in 90 days");
        assert_eq!(rel(NOW + 86_400 + 3 * 3600, NOW), "in 1 day 3 h");
        assert_eq!(span(59), "59 s");
        assert_eq!(span(89), "1 min");
    }

    #[test]
    fn report_states_in_words() {
        assert_eq!(report_state(&ReportState::Unverified), "unverified");
        assert_eq!(
            report_state(&ReportState::Confirmed { by: Id([1; 32]) }),
            "confirmed by alert 010101010101"
        );
        let d = ReportState::Dismissed {
            by: PublicKey([2; 32]),
            why: RetractReason::False,
        };
        assert!(report_state(&d).starts_with("dismissed (false) by "));
    }

    #[test]
    fn feed_language_override() {
        let mut feed = sample_feed();
        relang_feed(&mut feed, "es-MX");
        assert_eq!(
            feed.alerts[0].text.as_ref().unwrap().headline,
            "Agentes en BART"
        );
        assert_eq!(
            feed.resources[0].text.as_ref().unwrap().name,
            "Clínica legal"
        );
        relang_feed(&mut feed, "fr");
        assert_eq!(
            feed.alerts[0].text.as_ref().unwrap().headline,
            "Agents at BART"
        );
    }

    #[test]
    fn feed_json_round_trips() {
        // `feed --lang --json` re-serializes the typed feed: same field names as the API.
        let feed = sample_feed();
        let v = serde_json::to_value(&feed).unwrap();
        assert!(v["alerts"][0]["alert"]["severity"] == "extreme");
        let back: Feed = serde_json::from_value(v).unwrap();
        assert_eq!(back, feed);
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01 00:00 UTC");
        assert_eq!(date(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(date(1_700_000_000), "2023-11-14 22:13 UTC");
    }

    #[test]
    fn qr_draws() {
        let art = qr_text(&"AB".repeat(32)).unwrap();
        assert!(art.lines().count() > 10);
        assert!(art.contains('█') || art.contains('▀') || art.contains('▄'));
    }
}
