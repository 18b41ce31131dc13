//! `/desk/alerts/new`: compose an alert with one block per language, from a report
//! (`?confirm=<id>`, repeated for a group), from a saved template (`?template=<name>`) or
//! from the alert it updates (`?update=<id>`).
//!
//! The flow has a confirm step: "Preview" shows each language as a member will see it
//! (the member page's own card, [`crate::view::card`]) and what the signature will sign
//! and count for; only then is "Sign and send" offered. The preview carries a digest of
//! the alert it showed, and signing refuses an alert that differs from it, so nobody
//! signs what they did not see. Alerts are made by [`aviso_node::alert_draft`], as the
//! CLI makes them.

use aviso_node::alert_draft::{Draft, DraftError, DraftOptions, finish};
use aviso_protocol::feed::AlertItem;
use aviso_protocol::{Alert, Body, Category, Envelope, Id, MsgType, Severity, Status};
use axum::extract::{RawForm, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use super::templates::{Template, TemplateBlock, Templates};
use super::{Desk, LockBox, desk_feed, field, pairs, parse_ids, sign_and_publish};
use crate::i18n::{Tr, shipped};
use crate::pages::{FieldError, Frame};
use crate::server::{WebState, categories, context};
use crate::view::AlertCard;

/// How long an alert is shown: the presets offered (value, seconds). Raids and
/// checkpoints move within the hour; a detention matters for a day.
pub const EXPIRY_PRESETS: [(&str, u64); 4] = [
    ("30m", 30 * 60),
    ("2h", 2 * 3600),
    ("6h", 6 * 3600),
    ("24h", 24 * 3600),
];

/// The severities offered, most severe first.
const SEVERITIES: [Severity; 4] = [
    Severity::Extreme,
    Severity::Severe,
    Severity::Moderate,
    Severity::Minor,
];

/// Most language blocks in one form (the protocol's limit per message).
const MAX_BLOCKS: usize = aviso_protocol::limits::MAX_LANGUAGES;

/// One language block of the form.
#[derive(Debug, Clone, Default)]
pub(crate) struct BlockForm {
    /// BCP 47 tag.
    pub lang: String,
    /// The language's name, in itself.
    pub name: String,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// Headline.
    pub headline: String,
    /// What is happening.
    pub description: String,
    /// What to do.
    pub instruction: String,
    /// The standard instruction for the category in this language, if shipped.
    pub template: String,
}

/// The compose form.
#[derive(Debug, Clone, Default)]
pub(crate) struct ComposeForm {
    /// Category (snake_case).
    pub category: String,
    /// Severity (snake_case).
    pub severity: String,
    /// `actual` or `exercise`.
    pub status: String,
    /// Area cells, as typed.
    pub areas: String,
    /// The public place description.
    pub place: String,
    /// The expiry preset.
    pub expires: String,
    /// Language tags of the blocks, comma-separated (to add or remove languages).
    pub langs: String,
    /// The language blocks.
    pub blocks: Vec<BlockForm>,
    /// Reports it confirms (hex).
    pub confirms: Vec<String>,
    /// The alert it updates (hex), or "".
    pub update: String,
    /// A name to save it under as a template.
    pub template_name: String,
    /// Mistakes.
    pub errors: Vec<FieldError>,
}

impl ComposeForm {
    /// Whether `field` has a mistake.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// What the preview shows before signing.
#[derive(Debug)]
pub(crate) struct Preview {
    /// Each language as a member will see it.
    pub cards: Vec<AlertCard>,
    /// What the signature signs, line by line.
    pub summary: Vec<(String, String)>,
    /// Whether the signature counts.
    pub counts: bool,
    /// What it counts for, in words.
    pub counts_text: String,
    /// The digest of the alert shown.
    pub digest: String,
}

#[derive(askama::Template)]
#[template(path = "desk_compose.html")]
struct ComposePage<'a> {
    frame: Frame<'a>,
    lock: LockBox,
    form: ComposeForm,
    categories: Vec<(&'static str, String)>,
    severities: Vec<(&'static str, String)>,
    expiries: Vec<(&'static str, String)>,
    templates: Vec<String>,
    places: Vec<(String, String)>,
    preview: Option<Preview>,
    /// How many reports it confirms, in words, or "".
    confirms_text: String,
    notice: Option<String>,
    error: Option<String>,
}

fn severities(tr: &Tr) -> Vec<(&'static str, String)> {
    SEVERITIES
        .iter()
        .map(|s| crate::view::severity(tr, *s))
        .collect()
}

fn expiries(tr: &Tr) -> Vec<(&'static str, String)> {
    EXPIRY_PRESETS
        .iter()
        .map(|(v, _)| (*v, tr.t(&format!("desk-expires-{v}"))))
        .collect()
}

/// The standard instruction for `category` in `lang`, if the app speaks `lang`.
fn instruction_template(lang: &str, category: &str) -> String {
    // The categories of people's reports; CAP categories have no standard instruction.
    if !["raid", "checkpoint", "detention", "patrol", "other"].contains(&category) {
        return String::new();
    }
    // `es-MX` is served by `es`; `zh-TW` is not served by `zh-CN` (another script).
    match shipped(lang) {
        Some(l) if l.tag.eq_ignore_ascii_case(lang) || !l.tag.contains('-') => {
            Tr::new(l.tag).t(&format!("desk-instruction-{category}"))
        }
        _ => String::new(),
    }
}

fn block(lang: &str, category: &str) -> BlockForm {
    let text = crate::view::Text::new("", lang);
    BlockForm {
        lang: lang.to_owned(),
        name: shipped(lang)
            .filter(|l| l.tag.eq_ignore_ascii_case(lang) || !lang.contains('-'))
            .map_or_else(|| lang.to_owned(), |l| l.native.to_owned()),
        dir: text.dir,
        template: instruction_template(lang, category),
        ..BlockForm::default()
    }
}

/// Language tags from a comma- or space-separated list: valid, unique, bounded.
fn lang_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in text
        .split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if aviso_protocol::lang::validate_lang(t).is_ok()
            && !out.iter().any(|x| x.eq_ignore_ascii_case(t))
            && out.len() < MAX_BLOCKS
        {
            out.push(t.to_owned());
        }
    }
    out
}

/// Give `form` exactly the blocks of `langs`, keeping what was typed in each.
fn set_languages(form: &mut ComposeForm, langs: &[String]) {
    let old = std::mem::take(&mut form.blocks);
    for l in langs {
        let b = old
            .iter()
            .find(|b| b.lang.eq_ignore_ascii_case(l))
            .cloned()
            .map(|mut b| {
                b.template = instruction_template(&b.lang, &form.category);
                b
            })
            .unwrap_or_else(|| {
                // A language added starts from the standard instruction in it.
                let mut b = block(l, &form.category);
                b.instruction.clone_from(&b.template);
                b
            });
        form.blocks.push(b);
    }
    form.langs = langs.join(", ");
}

fn fill_blocks(form: &mut ComposeForm, info: &[aviso_protocol::Info]) {
    let langs: Vec<String> = info.iter().map(|i| i.lang.clone()).collect();
    set_languages(form, &langs);
    for (b, i) in form.blocks.iter_mut().zip(info) {
        b.headline.clone_from(&i.headline);
        b.description.clone_from(&i.description);
        b.instruction.clone_from(&i.instruction);
    }
}

async fn envelope(s: &WebState, id: Id) -> Option<Envelope> {
    let store = s.api.store.clone();
    tokio::task::spawn_blocking(move || store.get(&id))
        .await
        .ok()?
        .ok()?
}

/// The form a page opens with, from the query.
async fn initial(
    s: &WebState,
    d: &Desk,
    query: &[(String, String)],
) -> (ComposeForm, Option<String>) {
    let mut form = ComposeForm {
        category: field(query, "category").to_owned(),
        severity: "severe".into(),
        status: "actual".into(),
        expires: "2h".into(),
        ..ComposeForm::default()
    };
    if !Category::ALL.iter().any(|c| c.name() == form.category) {
        form.category = "raid".into();
    }
    let mut error = None;
    let mut langs = lang_list(field(query, "langs"));
    let name = field(query, "template");
    if !name.is_empty() {
        match Templates::open(&s.api.home, s.api.seal.as_ref()).and_then(|t| t.get(name)) {
            Ok(Some(t)) => {
                form.category = t.category;
                form.severity = t.severity;
                form.status = t.status;
                form.areas = t.areas;
                form.place = t.place;
                form.expires = t.expires;
                form.template_name = t.name;
                let info: Vec<aviso_protocol::Info> = t
                    .blocks
                    .into_iter()
                    .map(|b| aviso_protocol::Info {
                        lang: b.lang,
                        headline: b.headline,
                        description: b.description,
                        instruction: b.instruction,
                    })
                    .collect();
                fill_blocks(&mut form, &info);
            }
            Ok(None) => error = Some(d.tr.t("error-not-found")),
            Err(e) => error = Some(d.tr.s("error-generic", "why", &e.to_string())),
        }
    }
    let update = field(query, "update");
    if let Ok(id) = Id::from_hex(update) {
        match envelope(s, id).await {
            Some(env) => match env.body() {
                Body::Alert(a) => {
                    let remaining = env.expires_at().saturating_sub(d.now);
                    let draft = Draft::from_alert(a, remaining);
                    form.update = id.to_hex();
                    form.category = a.category.name().to_owned();
                    form.severity = crate::view::severity(&d.tr, a.severity).0.to_owned();
                    form.status = status_name(a.status).to_owned();
                    form.areas = super::cells(&a.areas);
                    form.place = draft.place.unwrap_or_default();
                    form.expires = EXPIRY_PRESETS
                        .iter()
                        .find(|(_, secs)| *secs >= remaining)
                        .map_or("24h", |(v, _)| *v)
                        .to_owned();
                    fill_blocks(&mut form, &a.info);
                }
                _ => error = Some(d.tr.t("error-not-found")),
            },
            None => error = Some(d.tr.t("error-not-found")),
        }
    }
    let confirms = parse_ids(
        query
            .iter()
            .filter(|(k, _)| k == "confirm")
            .map(|(_, v)| v.as_str()),
    );
    for id in confirms {
        if let Some(env) = envelope(s, id).await
            && let Body::Report(r) = env.body()
        {
            if form.confirms.is_empty() {
                form.category = r.category.name().to_owned();
                form.areas = super::cells(&r.areas);
            }
            form.confirms.push(id.to_hex());
        }
    }
    if form.blocks.is_empty() {
        if langs.is_empty() {
            let mut wanted = vec![d.tr.tag().to_owned()];
            wanted.extend(d.settings.languages.iter().cloned());
            // And the languages the community's alerts are written in, most used first.
            if let Ok(feed) = desk_feed(s).await {
                wanted.extend(community_languages(&feed));
            }
            langs = lang_list(&wanted.join(","));
        }
        // A new alert starts from the standard instruction of its category.
        set_languages(&mut form, &langs);
    } else if !langs.is_empty() {
        set_languages(&mut form, &langs);
    }
    (form, error)
}

/// Most languages a new alert starts with from the community's own alerts.
const COMMUNITY_LANGUAGES: usize = 3;

/// The languages of the alerts on this node, most used first (at most
/// [`COMMUNITY_LANGUAGES`]).
fn community_languages(feed: &aviso_protocol::Feed) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for i in feed.alerts.iter().flat_map(|a| &a.alert.info) {
        match counts
            .iter_mut()
            .find(|(l, _)| l.eq_ignore_ascii_case(&i.lang))
        {
            Some((_, n)) => *n += 1,
            None => counts.push((i.lang.clone(), 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
        .into_iter()
        .take(COMMUNITY_LANGUAGES)
        .map(|(l, _)| l)
        .collect()
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Exercise => "exercise",
        Status::Test => "test",
        _ => "actual",
    }
}

/// The form as sent.
fn from_pairs(p: &[(String, String)]) -> ComposeForm {
    let all = |name: &str| -> Vec<String> {
        p.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .take(MAX_BLOCKS)
            .collect()
    };
    let mut form = ComposeForm {
        category: field(p, "category").to_owned(),
        severity: field(p, "severity").to_owned(),
        status: field(p, "status").to_owned(),
        areas: field(p, "areas").trim().to_owned(),
        place: field(p, "place").trim().to_owned(),
        expires: field(p, "expires").to_owned(),
        langs: field(p, "langs").to_owned(),
        confirms: parse_ids(
            p.iter()
                .filter(|(k, _)| k == "confirm")
                .map(|(_, v)| v.as_str()),
        )
        .iter()
        .map(Id::to_hex)
        .collect(),
        update: Id::from_hex(field(p, "update"))
            .map(|i| i.to_hex())
            .unwrap_or_default(),
        template_name: field(p, "template_name").trim().to_owned(),
        ..ComposeForm::default()
    };
    let (langs, heads, descs, todos) = (
        all("lang"),
        all("headline"),
        all("description"),
        all("instruction"),
    );
    for (i, l) in lang_list(&langs.join(",")).iter().enumerate() {
        let mut b = block(l, &form.category);
        b.headline = heads
            .get(i)
            .map(|x| x.trim().to_owned())
            .unwrap_or_default();
        b.description = descs
            .get(i)
            .map(|x| x.trim().to_owned())
            .unwrap_or_default();
        b.instruction = todos
            .get(i)
            .map(|x| x.trim().to_owned())
            .unwrap_or_default();
        form.blocks.push(b);
    }
    form
}

/// The alert the form describes and its life, or the form's mistakes.
fn build(d: &Desk, form: &mut ComposeForm) -> Option<(Alert, u64)> {
    let tr = &d.tr;
    let category = Category::ALL
        .iter()
        .copied()
        .find(|c| c.name() == form.category);
    if category.is_none() {
        form.errors.push(FieldError {
            field: "category",
            message: tr.t("error-category"),
        });
    }
    let severity = SEVERITIES
        .iter()
        .copied()
        .find(|s| crate::view::severity(tr, *s).0 == form.severity);
    if severity.is_none() {
        form.errors.push(FieldError {
            field: "severity",
            message: tr.t("desk-error-severity"),
        });
    }
    let Some(&(expires, _)) = EXPIRY_PRESETS.iter().find(|(v, _)| *v == form.expires) else {
        form.errors.push(FieldError {
            field: "expires",
            message: tr.t("desk-error-expires"),
        });
        return None;
    };
    let areas: Vec<String> = form
        .areas
        .split([',', ' '])
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    if areas.is_empty() {
        form.errors.push(FieldError {
            field: "areas",
            message: tr.s("error-required", "field", &tr.t("desk-areas")),
        });
    }
    let mut lang = Vec::new();
    let mut headline = Vec::new();
    let mut text = Vec::new();
    let mut instruction = Vec::new();
    for b in &form.blocks {
        if b.headline.is_empty() {
            if !b.description.is_empty() {
                form.errors.push(FieldError {
                    field: "headline-0",
                    message: tr.s("desk-error-headline", "language", &b.name),
                });
            }
            continue;
        }
        lang.push(b.lang.clone());
        headline.push(b.headline.clone());
        text.push(b.description.clone());
        instruction.push(b.instruction.clone());
    }
    if lang.is_empty() {
        form.errors.push(FieldError {
            field: "headline-0",
            message: tr.t("desk-error-text"),
        });
    }
    if !form.errors.is_empty() {
        return None;
    }
    let place = (!form.place.is_empty()).then_some(form.place.as_str());
    let opts = DraftOptions {
        category,
        severity,
        status: Some(if form.status == "exercise" {
            Status::Exercise
        } else {
            Status::Actual
        }),
        areas: &areas,
        place,
        expires: Some(expires),
        lang: &lang,
        headline: &headline,
        text: &text,
        instruction: &instruction,
        ..DraftOptions::default()
    };
    let confirms: Vec<Id> = parse_ids(form.confirms.iter().map(String::as_str));
    let (msg_type, references) = match Id::from_hex(&form.update) {
        Ok(id) => (MsgType::Update, vec![id]),
        Err(_) => (MsgType::Alert, vec![]),
    };
    let made = Draft::from_options(&opts, d.now)
        .and_then(|draft| finish(draft, msg_type, references, confirms));
    match made {
        Ok(x) => Some(x),
        Err(e) => {
            let (field, message) = match &e {
                DraftError::MissingText => ("headline-0", tr.t("desk-error-text")),
                DraftError::Input(_) => ("areas", tr.s("error-generic", "why", &e.to_string())),
                _ => ("headline-0", tr.s("error-generic", "why", &e.to_string())),
            };
            form.errors.push(FieldError { field, message });
            None
        }
    }
}

/// The digest of what is signed: the alert and its life.
fn digest(alert: &Alert, ttl: u64) -> String {
    let json = serde_json::to_vec(&(alert, ttl)).unwrap_or_default();
    data_encoding::HEXLOWER.encode(&Sha256::digest(&json))
}

fn preview(
    s: &WebState,
    d: &Desk,
    feed: &aviso_protocol::Feed,
    alert: &Alert,
    ttl: u64,
) -> Preview {
    let tr = &d.tr;
    let cx = context(s, tr, &d.settings, Some(feed));
    let (counts, counts_text) = d.counts_for(&alert.areas, alert.category);
    let item = AlertItem {
        id: Id([0; 32]),
        thread: Id([0; 32]),
        author: d.me.unwrap_or(aviso_protocol::PublicKey([0; 32])),
        author_label: d.standing.grants().first().map(|g| g.label.clone()),
        endorsers: vec![],
        endorser_labels: vec![],
        signatures: 1,
        needed: d.standing.threshold(alert.category),
        created_at: d.now,
        expires_at: d.now + ttl,
        text: None,
        alert: alert.clone(),
        shown: true,
        reasons: vec![],
    };
    let cards = alert
        .info
        .iter()
        .filter_map(|i| crate::view::card(&cx, &item, Some(&i.lang)))
        .collect();
    let kind = match alert.msg_type {
        MsgType::Update => tr.s(
            "desk-sign-update",
            "id",
            &alert.references.first().map(Id::short).unwrap_or_default(),
        ),
        _ => tr.t("desk-sign-alert"),
    };
    let preset = EXPIRY_PRESETS
        .iter()
        .find(|(_, secs)| *secs == ttl)
        .map_or_else(
            || ttl.to_string(),
            |(v, _)| tr.t(&format!("desk-expires-{v}")),
        );
    let mut summary = vec![
        (tr.t("desk-sign-what"), kind),
        (
            tr.t("desk-category"),
            crate::view::category(tr, alert.category),
        ),
        (
            tr.t("desk-severity"),
            crate::view::severity(tr, alert.severity).1,
        ),
        (tr.t("desk-areas"), cx.places.describe(&alert.areas)),
        (tr.t("desk-expires"), preset),
        (
            tr.t("desk-languages"),
            alert
                .info
                .iter()
                .map(|i| i.lang.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            tr.t("desk-sign-key"),
            d.me.map(|k| k.fingerprint()).unwrap_or_default(),
        ),
    ];
    if !alert.confirms.is_empty() {
        summary.push((
            tr.t("desk-sign-confirms"),
            tr.n(
                "desk-sign-confirms-count",
                "count",
                alert.confirms.len() as u64,
            ),
        ));
    }
    Preview {
        cards,
        summary,
        counts,
        counts_text,
        digest: digest(alert, ttl),
    }
}

async fn render(
    s: &WebState,
    d: &Desk,
    form: ComposeForm,
    preview: Option<Preview>,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    let templates = Templates::open(&s.api.home, s.api.seal.as_ref())
        .and_then(|t| t.list())
        .map(|l| l.into_iter().map(|t| t.name).collect())
        .unwrap_or_default();
    let places = match crate::server::load_feed(s).await {
        Ok(feed) => {
            let languages = vec![d.tr.tag().to_owned()];
            crate::view::Places::from_feed(&feed, &languages).choices()
        }
        Err(_) => vec![],
    };
    let bad = !form.errors.is_empty() || error.is_some();
    let confirms_text = if form.confirms.is_empty() {
        String::new()
    } else {
        d.tr.n(
            "desk-sign-confirms-count",
            "count",
            form.confirms.len() as u64,
        )
    };
    let page = ComposePage {
        frame: Frame::new(&d.tr, "desk", "/desk/alerts/new"),
        lock: d.lock("/desk/alerts/new"),
        categories: categories(&d.tr),
        severities: severities(&d.tr),
        expiries: expiries(&d.tr),
        templates,
        places,
        form,
        preview,
        confirms_text,
        notice,
        error,
    };
    let failed = bad;
    super::answer(page, failed)
}

pub(super) async fn page(
    State(s): State<WebState>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let d = match Desk::load(&s, &headers).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let query = pairs(q.unwrap_or_default().as_bytes());
    let (form, error) = initial(&s, &d, &query).await;
    render(&s, &d, form, None, None, error).await
}

pub(super) async fn send(
    State(s): State<WebState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let d = match Desk::load(&s, &headers).await {
        Ok(d) => d,
        Err(r) => return r,
    };
    let p = pairs(&body);
    let mut form = from_pairs(&p);
    let tr = &d.tr;
    match field(&p, "action") {
        "langs" => {
            let langs = lang_list(&form.langs);
            set_languages(&mut form, &langs);
            render(&s, &d, form, None, None, None).await
        }
        "delete_template" => {
            let name = form.template_name.trim().to_owned();
            let removed =
                Templates::open(&s.api.home, s.api.seal.as_ref()).and_then(|x| x.remove(&name));
            // The form was the template list's, not the alert: start a fresh one.
            let (fresh, _) = initial(&s, &d, &[]).await;
            match removed {
                Ok(true) => {
                    let notice = tr.s("desk-template-deleted", "name", &name);
                    render(&s, &d, fresh, None, Some(notice), None).await
                }
                Ok(false) => {
                    let error = tr.s("desk-template-missing", "name", &name);
                    render(&s, &d, fresh, None, None, Some(error)).await
                }
                Err(e) => {
                    let error = tr.s("error-generic", "why", &e.to_string());
                    render(&s, &d, fresh, None, None, Some(error)).await
                }
            }
        }
        "save" => {
            let t = Template {
                name: form.template_name.clone(),
                category: form.category.clone(),
                severity: form.severity.clone(),
                status: form.status.clone(),
                areas: form.areas.clone(),
                place: form.place.clone(),
                expires: form.expires.clone(),
                blocks: form
                    .blocks
                    .iter()
                    .map(|b| TemplateBlock {
                        lang: b.lang.clone(),
                        headline: b.headline.clone(),
                        description: b.description.clone(),
                        instruction: b.instruction.clone(),
                    })
                    .collect(),
            };
            let name = t.name.clone();
            let saved = Templates::open(&s.api.home, s.api.seal.as_ref()).and_then(|x| x.save(t));
            match saved {
                Ok(()) => {
                    let notice = tr.s("desk-template-saved", "name", &name);
                    render(&s, &d, form, None, Some(notice), None).await
                }
                Err(e) => {
                    let error = tr.s("error-generic", "why", &e.to_string());
                    render(&s, &d, form, None, None, Some(error)).await
                }
            }
        }
        action => {
            let Some((alert, ttl)) = build(&d, &mut form) else {
                return render(&s, &d, form, None, None, None).await;
            };
            let feed = match desk_feed(&s).await {
                Ok(f) => f,
                Err(r) => return r,
            };
            let shown = preview(&s, &d, &feed, &alert, ttl);
            if action != "sign" {
                return render(&s, &d, form, Some(shown), None, None).await;
            }
            if field(&p, "digest") != shown.digest {
                let notice = tr.t("desk-sign-changed");
                return render(&s, &d, form, Some(shown), Some(notice), None).await;
            }
            // An update is created after the version it replaces.
            let mut not_before = 0;
            if let Ok(old) = Id::from_hex(&form.update)
                && let Some(env) = envelope(&s, old).await
            {
                not_before = env.created_at().saturating_add(1);
            }
            match sign_and_publish(&s, tr, "alert", Body::Alert(alert), ttl, not_before).await {
                Ok(id) => {
                    Redirect::to(&format!("/desk/alerts/{}?sent=true", id.to_hex())).into_response()
                }
                Err(e) => {
                    let error = e.words(tr);
                    render(&s, &d, form, Some(shown), None, Some(error)).await
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_lists_are_valid_unique_and_bounded() {
        assert_eq!(
            lang_list("en, es,EN ht  zh-CN"),
            ["en", "es", "ht", "zh-CN"]
        );
        assert_eq!(lang_list("tag!, fr"), ["fr"]);
        let many: Vec<String> = (b'a'..=b'z').map(|c| format!("a{}", c as char)).collect();
        assert_eq!(lang_list(&many.join(",")).len(), MAX_BLOCKS);
    }

    #[test]
    fn standard_instructions_come_in_each_shipped_language() {
        let en = instruction_template("en", "raid");
        assert!(en.starts_with("Do not open the door"), "{en}");
        assert!(instruction_template("es-MX", "raid").starts_with("No abras"));
        assert!(instruction_template("zh-TW", "raid").is_empty());
        assert!(instruction_template("de", "raid").is_empty());
        assert!(instruction_template("en", "fire").is_empty());
    }
}
