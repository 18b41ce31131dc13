//! What the pages show, computed from the member's feed: every string already in the
//! member's language, every value already chosen, so the templates only lay it out.
//!
//! Nothing here decides trust: the feed's display rule did. An alert the rule does not
//! show is never rendered as an alert; the only hidden alerts that appear at all are
//! ones that were trusted and then ended (cancelled, all-clear, withdrawn, revoked,
//! expired), in their own list, with the reason.

use aviso_protocol::feed::{AlertItem, ReportItem, ReportState, ResourceItem};
use aviso_protocol::lang::choose_lang;
use aviso_protocol::{Area, Category, Feed, Info, Reason, ResourceKind, Severity, Status};

use crate::i18n::{Arg, Tr, shipped};

/// How long an ended alert stays in the "recently withdrawn" list.
pub const ENDED_SHOWN_FOR_SECS: u64 = 24 * 3600;

/// A block of text in a language that may differ from the page's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The text.
    pub text: String,
    /// Its BCP 47 tag, for the `lang` attribute (screen readers, fonts).
    pub lang: String,
    /// `rtl` or `ltr`, for the `dir` attribute.
    pub dir: &'static str,
}

impl Text {
    /// `text` in the language `lang`.
    pub fn new(text: &str, lang: &str) -> Text {
        let rtl = shipped(lang).is_some_and(|l| l.rtl)
            || ["he", "fa", "ur", "ps", "yi"].contains(&primary(lang).as_str());
        Text {
            text: text.to_owned(),
            lang: lang.to_owned(),
            dir: if rtl { "rtl" } else { "ltr" },
        }
    }
}

fn primary(tag: &str) -> String {
    tag.split('-').next().unwrap_or("").to_ascii_lowercase()
}

/// A language an alert also carries, for its "read in" switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherLanguage {
    /// The tag.
    pub tag: String,
    /// Its name in itself where the pages know it, else the tag.
    pub name: String,
    /// Whether it is the one shown.
    pub current: bool,
}

/// An alert as the alerts page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertCard {
    /// Envelope id, hex: anchors and links.
    pub id: String,
    /// `extreme`, `severe`, `moderate`, `minor` or `unknown`: the CSS class and icon.
    pub severity: &'static str,
    /// The severity in words (never colour alone).
    pub severity_text: String,
    /// The urgency in words.
    pub urgency_text: String,
    /// The category in words.
    pub category_text: String,
    /// One line.
    pub headline: Text,
    /// What is happening.
    pub description: Option<Text>,
    /// What to do: shown prominently.
    pub instruction: Option<Text>,
    /// Where, in words.
    pub place: String,
    /// When it was signed, relative ("5 minutes ago").
    pub ago: String,
    /// Unix seconds, for `<time datetime>` (the browser localizes it).
    pub created_at: u64,
    /// Until when, in words.
    pub until: String,
    /// Expiry, unix seconds.
    pub expires_at: u64,
    /// Who verified it, in plain words.
    pub verified: String,
    /// The signers' names where the member's lists give them.
    pub signers: Option<String>,
    /// A drill or test notice, if it is one.
    pub exercise: Option<String>,
    /// Every language it carries.
    pub languages: Vec<OtherLanguage>,
    /// Severe or extreme, in the member's areas: notify and announce assertively.
    pub urgent: bool,
    /// People responding to it: a count only, never who (`crate::respond`).
    pub responding: u64,
}

/// An alert that was trusted and has ended, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedCard {
    /// Envelope id, hex.
    pub id: String,
    /// The alert's headline.
    pub headline: Text,
    /// Why it left, in words.
    pub reason: String,
    /// The category in words.
    pub category_text: String,
}

/// A report in the separate, unverified list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// Envelope id, hex.
    pub id: String,
    /// The category in words.
    pub category_text: String,
    /// Where, in words.
    pub place: String,
    /// When it was seen, relative.
    pub seen: String,
    /// The member's words, if any.
    pub note: Option<Text>,
    /// `unverified`, `confirmed` or `dismissed`.
    pub state: &'static str,
    /// The state in words.
    pub state_text: String,
}

/// A resource notice in the help directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceCard {
    /// Envelope id, hex.
    pub id: String,
    /// The kind, as in the filter (`legal_aid`...).
    pub kind: &'static str,
    /// The kind in words.
    pub kind_text: String,
    /// Name of the service.
    pub name: Text,
    /// What it offers.
    pub description: Option<Text>,
    /// Opening hours, in words.
    pub hours: Option<Text>,
    /// The phone number as written, and its `tel:` form.
    pub phone: Option<(String, String)>,
    /// An `http(s)` address; anything else is dropped.
    pub url: Option<String>,
    /// A public street address.
    pub address: Option<String>,
    /// Languages spoken there, by name.
    pub languages: Vec<String>,
    /// The languages' tags, for the filter.
    pub language_tags: Vec<String>,
    /// Flags in words: free, no ID, confidential, walk-in.
    pub flags: Vec<String>,
    /// No cost.
    pub free: bool,
    /// No ID asked for.
    pub no_id: bool,
    /// Confidential.
    pub confidential: bool,
    /// No appointment needed.
    pub walk_in: bool,
    /// Running now (events) or open now (by structured opening hours).
    pub happening_now: bool,
}

/// Everything the alerts page shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlertsView {
    /// Trusted alerts, most severe first, then newest.
    pub alerts: Vec<AlertCard>,
    /// Trusted alerts that ended in the last day.
    pub ended: Vec<EndedCard>,
    /// Reports, apart.
    pub reports: Vec<ReportRow>,
}

/// Names for area cells ("Mission / 24th St" for `9q8yy`) in the member's language,
/// from the feed's named places; longest prefix wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places(pub Vec<(Area, String)>);

impl Places {
    /// The names the feed carries, each in the first of `languages` it has (else its
    /// default language).
    pub fn from_feed(feed: &Feed, languages: &[String]) -> Places {
        Places(
            feed.places
                .iter()
                .map(|p| (p.place.cell.clone(), p.place.name_in(languages).to_owned()))
                .collect(),
        )
    }

    /// The name of one cell: the named cell's, or the longest named prefix's.
    pub fn name(&self, a: &Area) -> Option<&str> {
        self.0
            .iter()
            .filter(|(cell, _)| cell.covers(a))
            .max_by_key(|(cell, _)| cell.as_str().len())
            .map(|(_, n)| n.as_str())
    }

    /// The words for a list of cells: each named place with its cell after it, as
    /// secondary text ("Mission / 24th St (9q8yy)"), or the cell alone. The cell is
    /// isolated left to right (U+2068 ... U+2069) so that it reads the same inside a
    /// right-to-left sentence.
    pub fn describe(&self, areas: &[Area]) -> String {
        let mut out: Vec<String> = Vec::new();
        for a in areas {
            let words = match self.name(a) {
                Some(n) => format!("{n} (\u{2068}{a}\u{2069})"),
                None => a.to_string(),
            };
            if !out.contains(&words) {
                out.push(words);
            }
        }
        out.join(", ")
    }

    /// The named cells and their words, for a list to pick from (the report form, the
    /// settings), sorted by name.
    pub fn choices(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .0
            .iter()
            .map(|(a, _)| (a.to_string(), self.describe(std::slice::from_ref(a))))
            .collect();
        v.sort_by(|x, y| (&x.1, &x.0).cmp(&(&y.1, &y.0)));
        v
    }
}

/// What the view needs besides the feed.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The member's language.
    pub tr: &'a Tr,
    /// Now, unix seconds.
    pub now: u64,
    /// The member's languages for message text, most wanted first (the page's first).
    pub languages: Vec<String>,
    /// The community's name, for "verified by 2 organizers of ...".
    pub community: String,
    /// Named places, in the member's language.
    pub places: Places,
    /// The member's areas (empty: everywhere), for what counts as urgent.
    pub areas: &'a [Area],
}

impl Context<'_> {
    /// "5 minutes ago", "just now".
    pub fn ago(&self, at: u64) -> String {
        let secs = self.now.saturating_sub(at);
        let tr = self.tr;
        match secs {
            0..60 => tr.t("time-just-now"),
            60..3600 => tr.n("time-minutes-ago", "n", secs / 60),
            3600..86_400 => tr.n("time-hours-ago", "n", secs / 3600),
            _ => tr.n("time-days-ago", "n", secs / 86_400),
        }
    }

    /// A UTC clock time; the page's script replaces it with the phone's local time.
    pub fn clock(&self, at: u64) -> String {
        let day = at / 86_400;
        let s = at % 86_400;
        let today = self.now / 86_400;
        let hm = format!("{:02}:{:02} UTC", s / 3600, (s % 3600) / 60);
        if day == today {
            hm
        } else {
            let d = time::OffsetDateTime::from_unix_timestamp(at as i64)
                .map(|t| t.date().to_string())
                .unwrap_or_default();
            format!("{d} {hm}")
        }
    }

    fn pick<'i, T>(&self, blocks: &'i [T], lang: impl Fn(&T) -> &str) -> Option<&'i T> {
        let tags: Vec<&str> = blocks.iter().map(&lang).collect();
        choose_lang(&self.languages, &tags).and_then(|i| blocks.get(i))
    }
}

/// The word for a severity and its CSS class.
pub fn severity(tr: &Tr, s: Severity) -> (&'static str, String) {
    let class = match s {
        Severity::Extreme => "extreme",
        Severity::Severe => "severe",
        Severity::Moderate => "moderate",
        Severity::Minor => "minor",
        Severity::Unknown => "unknown",
    };
    (class, tr.t(&format!("severity-{class}")))
}

/// A category in words.
pub fn category(tr: &Tr, c: Category) -> String {
    tr.t(&format!("category-{}", c.name()))
}

/// Every resource kind, in the order of the filter.
pub const KINDS: [ResourceKind; 9] = [
    ResourceKind::LegalAid,
    ResourceKind::Helpline,
    ResourceKind::Shelter,
    ResourceKind::Food,
    ResourceKind::Medical,
    ResourceKind::Transport,
    ResourceKind::Workshop,
    ResourceKind::Event,
    ResourceKind::Other,
];

fn language_name(tag: &str) -> String {
    shipped(tag)
        .filter(|l| l.tag.eq_ignore_ascii_case(tag) || !tag.contains('-'))
        .map(|l| l.native.to_owned())
        .unwrap_or_else(|| tag.to_owned())
}

fn alert_card(cx: &Context, item: &AlertItem, chosen: Option<&str>) -> Option<AlertCard> {
    let tr = cx.tr;
    let a = &item.alert;
    let info: &Info = match chosen {
        Some(tag) => a
            .info
            .iter()
            .find(|i| i.lang.eq_ignore_ascii_case(tag))
            .or_else(|| cx.pick(&a.info, |i| &i.lang))?,
        None => cx.pick(&a.info, |i| &i.lang)?,
    };
    let (sev, severity_text) = severity(tr, a.severity);
    let urgency_text = tr.t(&format!(
        "urgency-{}",
        match a.urgency {
            aviso_protocol::Urgency::Immediate => "immediate",
            aviso_protocol::Urgency::Expected => "expected",
            aviso_protocol::Urgency::Future => "future",
            aviso_protocol::Urgency::Past => "past",
            aviso_protocol::Urgency::Unknown => "unknown",
        }
    ));
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| Text::new(s, &info.lang));
    let mut place = cx.places.describe(&a.areas);
    if let Some(desc) = &a.area_desc {
        place = if place.is_empty() {
            desc.clone()
        } else {
            format!("{desc} ({place})")
        };
    }
    let labels: Vec<String> = std::iter::once(&item.author_label)
        .chain(item.endorser_labels.iter())
        .flatten()
        .map(|l| match l.as_str() {
            aviso_protocol::trust::OWNER_LABEL => tr.t("label-list-owner"),
            _ => l.clone(),
        })
        .collect();
    let urgent = aviso_node::notify::is_critical(a, cx.areas);
    Some(AlertCard {
        id: item.id.to_hex(),
        severity: sev,
        severity_text,
        urgency_text,
        category_text: category(tr, a.category),
        headline: Text::new(&info.headline, &info.lang),
        description: non_empty(&info.description),
        instruction: non_empty(&info.instruction),
        place,
        ago: cx.ago(item.created_at),
        created_at: item.created_at,
        until: tr.s("alert-until", "time", &cx.clock(item.expires_at)),
        expires_at: item.expires_at,
        verified: tr.args(
            "alert-verified",
            &[
                ("count", Arg::Num(u64::from(item.signatures))),
                ("community", Arg::Str(cx.community.clone())),
            ],
        ),
        signers: (!labels.is_empty())
            .then(|| tr.s("alert-verified-by", "names", &labels.join(", "))),
        exercise: match a.status {
            Status::Actual => None,
            Status::Exercise => Some(tr.t("alert-drill")),
            Status::Test => Some(tr.t("alert-test")),
        },
        languages: a
            .info
            .iter()
            .map(|i| OtherLanguage {
                tag: i.lang.clone(),
                name: language_name(&i.lang),
                current: i.lang == info.lang,
            })
            .collect(),
        urgent,
        responding: 0,
    })
}

/// Why a trusted alert ended, if every reason it is hidden is an ending (never for an
/// alert that was not trusted in the first place).
fn ending(tr: &Tr, reasons: &[Reason]) -> Option<String> {
    let mut out = None;
    for r in reasons {
        let key = match r {
            Reason::Cancelled { .. } => "ended-cancelled",
            Reason::AllClear { .. } => "ended-all-clear",
            Reason::Retracted { .. } => "ended-retracted",
            Reason::Revoked { .. } => "ended-revoked",
            Reason::Expired => "ended-expired",
            _ => return None,
        };
        out.get_or_insert_with(|| tr.t(key));
    }
    out
}

/// The alerts page from a feed.
pub fn alerts(cx: &Context, feed: &Feed) -> AlertsView {
    let mut view = AlertsView::default();
    for item in &feed.alerts {
        if item.shown {
            if let Some(mut card) = alert_card(cx, item, None) {
                card.responding = crate::respond::responding(&feed.responses, item.thread);
                view.alerts.push(card);
            }
        } else if cx.now.saturating_sub(item.expires_at) <= ENDED_SHOWN_FOR_SECS
            && let Some(reason) = ending(cx.tr, &item.reasons)
            && let Some(info) = cx.pick(&item.alert.info, |i| &i.lang)
        {
            view.ended.push(EndedCard {
                id: item.id.to_hex(),
                headline: Text::new(&info.headline, &info.lang),
                reason,
                category_text: category(cx.tr, item.alert.category),
            });
        }
    }
    view.reports = feed
        .reports
        .iter()
        .filter(|r| r.shown)
        .map(|r| report_row(cx, r))
        .collect();
    view
}

/// One alert in a chosen language, for its own page; `None` unless the feed shows it.
pub fn alert(cx: &Context, feed: &Feed, id: &str, lang: Option<&str>) -> Option<AlertCard> {
    feed.alerts
        .iter()
        .find(|a| a.shown && a.id.to_hex() == id)
        .and_then(|a| {
            let mut card = alert_card(cx, a, lang)?;
            card.responding = crate::respond::responding(&feed.responses, a.thread);
            Some(card)
        })
}

/// How a member sees `item` in `lang` (or their own languages), shown or not: the
/// organizer desk previews and lists alerts with the member page's own card.
pub fn card(cx: &Context, item: &AlertItem, lang: Option<&str>) -> Option<AlertCard> {
    alert_card(cx, item, lang)
}

fn report_row(cx: &Context, item: &ReportItem) -> ReportRow {
    let tr = cx.tr;
    let (state, key) = match item.state {
        ReportState::Unverified => ("unverified", "report-state-unverified"),
        ReportState::Confirmed { .. } => ("confirmed", "report-state-confirmed"),
        ReportState::Dismissed { .. } => ("dismissed", "report-state-dismissed"),
    };
    ReportRow {
        id: item.id.to_hex(),
        category_text: category(tr, item.report.category),
        place: cx.places.describe(&item.report.areas),
        seen: tr.s("report-seen", "ago", &cx.ago(item.report.seen_at)),
        note: item
            .report
            .note
            .as_ref()
            .map(|n| Text::new(&n.text, &n.lang)),
        state,
        state_text: tr.t(key),
    }
}

/// What the help directory is filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct HelpFilter {
    /// A kind (`legal_aid`...), or empty for all.
    pub kind: String,
    /// A language tag spoken there, or empty for any.
    pub lang: String,
    /// Only free services.
    pub free: bool,
    /// Only services that ask for no ID.
    pub no_id: bool,
    /// Only confidential services.
    pub confidential: bool,
    /// Only services with no appointment needed.
    pub walk_in: bool,
    /// Only what is open now: events running now, and services whose structured
    /// opening hours say they are open (those with hours in words only are left out).
    pub now: bool,
}

/// The help directory, filtered.
pub fn resources(cx: &Context, feed: &Feed, filter: &HelpFilter) -> Vec<ResourceCard> {
    feed.resources
        .iter()
        .filter(|r| r.shown)
        .filter_map(|r| resource_card(cx, r))
        .filter(|c| filter.kind.is_empty() || c.kind == filter.kind)
        .filter(|c| {
            filter.lang.is_empty()
                || c.language_tags
                    .iter()
                    .any(|t| aviso_protocol::lang::lang_matches(&filter.lang, t))
        })
        .filter(|c| !filter.free || c.free)
        .filter(|c| !filter.no_id || c.no_id)
        .filter(|c| !filter.confidential || c.confidential)
        .filter(|c| !filter.walk_in || c.walk_in)
        .filter(|c| !filter.now || c.happening_now)
        .collect()
}

/// A `tel:` address from a number as written: digits and one leading `+`, else none.
pub fn tel(phone: &str) -> Option<String> {
    let plus = phone.trim_start().starts_with('+');
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    (3..=20)
        .contains(&digits.len())
        .then(|| format!("tel:{}{digits}", if plus { "+" } else { "" }))
}

/// An address safe to link: `http` or `https` only (never `javascript:` or `data:`).
pub fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    ((lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_whitespace() || c.is_control()))
    .then(|| u.to_owned())
}

fn resource_card(cx: &Context, item: &ResourceItem) -> Option<ResourceCard> {
    let tr = cx.tr;
    let r = &item.resource;
    let info = cx.pick(&r.info, |i| &i.lang)?;
    let non_empty = |s: &str| (!s.trim().is_empty()).then(|| Text::new(s, &info.lang));
    let mut flags = Vec::new();
    for (on, key) in [
        (r.free, "help-free"),
        (r.no_id_required, "help-no-id"),
        (r.confidential, "help-confidential"),
        (r.walk_in, "help-walk-in"),
    ] {
        if on {
            flags.push(tr.t(key));
        }
    }
    let happening_now = aviso_node::hours::open_now(r, cx.now).unwrap_or(false);
    Some(ResourceCard {
        id: item.id.to_hex(),
        kind: r.kind.name(),
        kind_text: tr.t(&format!("kind-{}", r.kind.name())),
        name: Text::new(&info.name, &info.lang),
        description: non_empty(&info.description),
        hours: non_empty(&info.hours),
        // The number is isolated left to right (U+2066 ... U+2069), so that inside a
        // right-to-left sentence its digit groups keep their order.
        phone: r
            .phone
            .as_ref()
            .and_then(|p| tel(p).map(|t| (format!("\u{2066}{p}\u{2069}"), t))),
        url: r.url.as_deref().and_then(safe_url),
        address: r.address.clone().filter(|a| !a.trim().is_empty()),
        languages: r
            .languages_spoken
            .iter()
            .map(|t| language_name(t))
            .collect(),
        language_tags: r.languages_spoken.clone(),
        flags,
        free: r.free,
        no_id: r.no_id_required,
        confidential: r.confidential,
        walk_in: r.walk_in,
        happening_now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_links_and_dialable_numbers() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
        assert_eq!(safe_url("https://a.example/x y"), None);
        assert_eq!(
            safe_url(" https://a.example/ "),
            Some("https://a.example/".into())
        );
        assert_eq!(tel("+1 (415) 555-0100"), Some("tel:+14155550100".into()));
        assert_eq!(tel("call us"), None);
    }

    #[test]
    fn places_name_the_longest_prefix() {
        let p = Places(vec![
            (Area::parse("9q8y").unwrap(), "Mission".into()),
            (Area::parse("9q8yy").unwrap(), "Mission / 24th St".into()),
        ]);
        assert_eq!(
            p.describe(&[Area::parse("9q8yyk").unwrap()]),
            "Mission / 24th St (\u{2068}9q8yyk\u{2069})"
        );
        assert_eq!(
            p.describe(&[Area::parse("9q8yz").unwrap()]),
            "Mission (\u{2068}9q8yz\u{2069})"
        );
        assert_eq!(p.describe(&[Area::parse("9q9").unwrap()]), "9q9");
        assert_eq!(
            p.choices(),
            vec![
                (
                    "9q8y".to_owned(),
                    "Mission (\u{2068}9q8y\u{2069})".to_owned()
                ),
                (
                    "9q8yy".to_owned(),
                    "Mission / 24th St (\u{2068}9q8yy\u{2069})".to_owned()
                ),
            ]
        );
    }
}
