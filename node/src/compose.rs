//! Reports and resource notices composed from what a person gives (the CLI's options, the
//! web app's forms), checked before anything is signed. The protocol checks the limits
//! (`validate`); this reads people's input and says in one line what to change.

use aviso_protocol::limits::{MAX_CLOCK_SKEW_SECS, MAX_TTL_LONG_SECS, MAX_TTL_SHORT_SECS};
use aviso_protocol::{
    BodyError, Category, Report, ReportText, Resource, ResourceInfo, ResourceKind,
};

use crate::input::{
    InputError, check_ttl, duration_of, lang_tags, parse_areas, time_of, zip_blocks,
};

/// Why a report or resource notice cannot be made. Each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ComposeError {
    /// An option that does not parse.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Seen longer ago than a report lives.
    #[error("--seen {0}: that is more than 30 days ago; report what is happening now")]
    SeenTooLongAgo(String),
    /// Seen in the future.
    #[error("--seen-at is in the future: give when you saw it (unix seconds), or --seen 10m")]
    SeenInFuture,
    /// A report text that is blank.
    #[error("--text is empty: say what you saw, or leave --text out")]
    EmptyText,
    /// A report that breaks a protocol rule.
    #[error("invalid report: {0}")]
    InvalidReport(BodyError),
    /// A resource notice without its key.
    #[error("--key is empty: choose a short stable name, e.g. mission-legal-clinic")]
    EmptyKey,
    /// A language block of a notice without a name (the block's language).
    #[error("the {0} --name is empty: every block needs a name")]
    EmptyName(String),
    /// A resource notice that breaks a protocol rule.
    #[error("invalid resource notice: {0}")]
    InvalidResource(BodyError),
}

/// What a member gives for a report.
#[derive(Debug, Clone, Copy)]
pub struct ReportOptions<'a> {
    /// What was seen.
    pub category: Category,
    /// Area cells.
    pub areas: &'a [String],
    /// How long ago it was seen (a duration); wins over `seen_at`.
    pub seen: Option<&'a str>,
    /// When it was seen (unix seconds or `now`).
    pub seen_at: Option<&'a str>,
    /// The language of `text`.
    pub lang: Option<&'a str>,
    /// What was seen, in the member's words.
    pub text: Option<&'a str>,
    /// How long it stays open (a duration).
    pub expires: &'a str,
}

/// A report and its life in seconds.
pub fn report(a: &ReportOptions<'_>, now: u64) -> Result<(Report, u64), ComposeError> {
    let areas = parse_areas(a.areas)?;
    let seen_at = match (a.seen, a.seen_at) {
        (Some(ago), _) => {
            let d = duration_of("--seen", ago)?;
            if d > MAX_TTL_SHORT_SECS {
                return Err(ComposeError::SeenTooLongAgo(ago.to_owned()));
            }
            now.saturating_sub(d)
        }
        (None, Some(t)) => time_of("--seen-at", t, now)?,
        (None, None) => now,
    };
    if seen_at > now + MAX_CLOCK_SKEW_SECS {
        return Err(ComposeError::SeenInFuture);
    }
    let note = match (a.lang, a.text) {
        (_, Some(text)) if text.trim().is_empty() => return Err(ComposeError::EmptyText),
        (Some(lang), Some(text)) => Some(ReportText {
            lang: lang.trim().to_owned(),
            text: text.trim().to_owned(),
        }),
        _ => None,
    };
    let ttl = duration_of("--expires", a.expires)?;
    check_ttl(ttl, MAX_TTL_SHORT_SECS, "a report")?;
    let report = Report {
        category: a.category,
        areas,
        seen_at,
        note,
    };
    report.validate().map_err(ComposeError::InvalidReport)?;
    Ok((report, ttl))
}

/// What an organizer gives for a resource notice. Language blocks are given by position:
/// the n-th name, description and hours belong to the n-th language.
#[derive(Debug, Clone, Copy)]
pub struct ResourceOptions<'a> {
    /// The author's stable name for the notice.
    pub key: &'a str,
    /// What kind of help.
    pub kind: ResourceKind,
    /// The language of each block.
    pub lang: &'a [String],
    /// The name of each block.
    pub name: &'a [String],
    /// The description of each block (none, or one per block).
    pub description: &'a [String],
    /// The opening hours of each block (none, or one per block).
    pub hours: &'a [String],
    /// A phone number.
    pub phone: Option<&'a str>,
    /// A web address.
    pub url: Option<&'a str>,
    /// A public street address.
    pub address: Option<&'a str>,
    /// Area cells served.
    pub areas: &'a [String],
    /// Languages spoken there.
    pub speaks: &'a [String],
    /// No cost.
    pub free: bool,
    /// No identity document asked for.
    pub no_id_required: bool,
    /// Confidential.
    pub confidential: bool,
    /// No appointment needed.
    pub walk_in: bool,
    /// For events: when it starts.
    pub starts_at: Option<&'a str>,
    /// For events: when it ends.
    pub ends_at: Option<&'a str>,
    /// How long the notice is shown (a duration).
    pub expires: &'a str,
}

/// A resource notice and its life in seconds.
pub fn resource(a: &ResourceOptions<'_>, now: u64) -> Result<(Resource, u64), ComposeError> {
    let key = a.key.trim();
    if key.is_empty() {
        return Err(ComposeError::EmptyKey);
    }
    let rows = zip_blocks(
        a.lang,
        ("--name", a.name),
        &[("--description", a.description), ("--hours", a.hours)],
    )?;
    let mut info: Vec<ResourceInfo> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut it = row.into_iter();
        let mut next = || it.next().unwrap_or_default();
        let i = ResourceInfo {
            lang: next(),
            name: next().trim().to_owned(),
            description: next(),
            hours: next(),
        };
        if i.name.is_empty() {
            return Err(ComposeError::EmptyName(i.lang));
        }
        info.push(i);
    }
    let opt = |v: Option<&str>| {
        v.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let time = |v: Option<&str>, flag: &str| v.map(|s| time_of(flag, s, now)).transpose();
    let ttl = duration_of("--expires", a.expires)?;
    check_ttl(ttl, MAX_TTL_LONG_SECS, "a resource notice")?;
    let res = Resource {
        resource_key: key.to_owned(),
        kind: a.kind,
        info,
        phone: opt(a.phone),
        url: opt(a.url),
        address: opt(a.address),
        areas: parse_areas(a.areas)?,
        languages_spoken: lang_tags(a.speaks, "--speaks")?,
        free: a.free,
        no_id_required: a.no_id_required,
        confidential: a.confidential,
        walk_in: a.walk_in,
        starts_at: time(a.starts_at, "--starts-at")?,
        ends_at: time(a.ends_at, "--ends-at")?,
    };
    res.validate().map_err(ComposeError::InvalidResource)?;
    Ok((res, ttl))
}
