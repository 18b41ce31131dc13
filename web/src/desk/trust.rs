//! `/desk/trust`: the trust list the organizer keeps, in plain words, edited through
//! [`aviso_node::list_draft`] (every edit checked, refused edits say why), and published
//! after a preview of what changes from the version the nodes hold.
//!
//! Only the list's owner edits: the home's key when it is a root of the community (or a
//! draft was started in this home, as `aviso list` does for delegates). Anyone else sees
//! the root's published list, read-only.

use askama::Template;
use aviso_node::list_draft::{self, Draft, DraftError, Expiry, Since, WhenError};
use aviso_protocol::{
    Area, Body, Category, Kind, PublicKey, Revocation, Role, TrustEntry, TrustList,
};
use axum::Router;
use axum::extract::{Query, RawForm, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::LockBox;
use super::signing;
use super::trust_diff::{self, ListChange};
use crate::i18n::{Arg, Tr};
use crate::pages::{FieldError, Frame};
use crate::server::{WebState, context, html, load_feed, settings_of, tr_for};
use crate::view::{self, Places};

/// How long a published version is valid: a year, as `aviso list publish` does by
/// default, within the protocol's 400 days; publishing again renews it.
pub(crate) const LIST_TTL_SECS: u64 = 365 * 86_400;

/// The alert categories offered in the forms: the community categories (the CAP ones are
/// for imported alerts and rarely scoped by hand).
const FORM_CATEGORIES: usize = 5;

/// Most areas typed for one entry (the protocol allows more; a form this long is a
/// mistake).
const MAX_FORM_AREAS: usize = 32;

/// The routes.
pub(crate) fn routes() -> Router<WebState> {
    Router::new()
        .route("/desk/trust", get(page))
        .route("/desk/trust/add", post(add))
        .route("/desk/trust/remove", post(remove))
        .route("/desk/trust/revoke", post(revoke))
        .route("/desk/trust/threshold", post(threshold))
        .route("/desk/trust/publish", get(preview).post(publish))
}

/// One key on the list, in words.
#[derive(Debug, Clone)]
pub(crate) struct EntryRow {
    /// Hex, for the forms.
    pub key: String,
    /// For people.
    pub fingerprint: String,
    /// Who.
    pub label: String,
    /// Role, areas, categories, until when.
    pub scope: String,
}

/// One revoked key, in words.
#[derive(Debug, Clone)]
pub(crate) struct RevokedRow {
    /// For people.
    pub fingerprint: String,
    /// Since when.
    pub since: String,
    /// Why.
    pub reason: String,
}

/// The add-or-change form, as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct EntryForm {
    /// Public key, hex.
    pub key: String,
    /// Who.
    pub label: String,
    /// `organizer` or `member`.
    pub role: String,
    /// Cells, comma-separated.
    pub areas: String,
    /// Category names ticked.
    pub categories: Vec<String>,
    /// A duration or nothing.
    pub expires: String,
    /// Changing an entry already listed.
    pub editing: bool,
}

/// Mistakes to show at the top.
#[derive(Debug, Clone, Default)]
pub(crate) struct Errors {
    /// Each with the field it is about.
    pub errors: Vec<FieldError>,
}

impl EntryForm {
    /// Whether the category named `name` is ticked.
    pub fn has_category(&self, name: &str) -> bool {
        self.categories.iter().any(|c| c == name)
    }
}

impl Errors {
    /// Whether `field` has a mistake.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The trust list page.
#[derive(Template)]
#[template(path = "desk_trust.html")]
pub(crate) struct TrustPage<'a> {
    pub frame: Frame<'a>,
    pub lock: LockBox,
    /// This home owns the list: the forms are shown.
    pub editable: bool,
    /// The list's name.
    pub name: String,
    /// Draft and published versions, in words.
    pub status: String,
    /// The draft differs from the published version.
    pub pending: bool,
    pub entries: Vec<EntryRow>,
    pub revoked: Vec<RevokedRow>,
    pub thresholds: Vec<String>,
    pub delegates: Vec<EntryRow>,
    /// The add form.
    pub add: EntryForm,
    /// Category values and words, for the add form.
    pub categories: Vec<(&'static str, String)>,
    /// Alert category values and words, for thresholds.
    pub alert_categories: Vec<(&'static str, String)>,
    /// After an edit or a publish.
    pub notice: Option<String>,
    /// Refused edits.
    pub form: Errors,
}

/// The publish preview.
#[derive(Template)]
#[template(path = "desk_trust_publish.html")]
pub(crate) struct PublishPage<'a> {
    pub frame: Frame<'a>,
    pub lock: LockBox,
    /// Each change, in words.
    pub changes: Vec<String>,
    /// What the signature covers, in words.
    pub signs: String,
    /// The draft's digest, so the confirmation publishes exactly what was previewed.
    pub digest: String,
    /// The draft changed since the preview the organizer confirmed.
    pub stale: bool,
    /// Why publishing failed.
    pub form: Errors,
}

/// The lists the page works on.
struct Lists {
    /// This home's key.
    owner: Option<PublicKey>,
    /// Its draft, when started.
    draft: Option<Draft>,
    /// The newest version of the list shown that the node holds.
    published: Option<TrustList>,
    /// This home owns the list shown.
    editable: bool,
}

impl Lists {
    /// The draft, or one started from the published version (so the first edit keeps
    /// what is published), or an empty one named after the community.
    fn working(&self, s: &WebState) -> Draft {
        if let Some(d) = &self.draft {
            return d.clone();
        }
        let name = s
            .api
            .community
            .as_ref()
            .map_or_else(|| "Trust list".to_owned(), |c| c.name.clone());
        let mut d = Draft::new(&name);
        if let Some(p) = &self.published {
            d.list = p.clone();
            d.published_version = p.version;
            d.list.version = p.version + 1;
        }
        d
    }
}

/// The newest version of `owner`'s list in the store.
async fn published(s: &WebState, owner: PublicKey) -> Option<TrustList> {
    let store = s.api.store.clone();
    let lists = tokio::task::spawn_blocking(move || store.by_kind(Kind::TrustList))
        .await
        .ok()?
        .ok()?;
    lists
        .iter()
        .filter(|e| e.author() == owner)
        .filter_map(|e| match e.body() {
            Body::TrustList(l) => Some(l),
            _ => None,
        })
        .max_by_key(|l| l.version)
        .cloned()
}

async fn lists(s: &WebState) -> Result<Lists, DraftError> {
    let owner = signing::own_key(s);
    let draft = list_draft::load(&s.api.home)?;
    let roots: &[PublicKey] = s.api.community.as_ref().map_or(&[], |c| &c.roots);
    let editable = owner.is_some_and(|o| roots.contains(&o)) || draft.is_some();
    let shown = if editable {
        owner
    } else {
        roots.first().copied()
    };
    let published = match shown {
        Some(k) => published(s, k).await,
        None => None,
    };
    Ok(Lists {
        owner,
        draft,
        published,
        editable,
    })
}

/// Refused edits, in the page's language.
fn draft_error(tr: &Tr, e: &DraftError) -> String {
    match e {
        DraftError::Revoked { key, .. } => tr.s("lists-error-revoked", "fingerprint", key),
        DraftError::RevokedNotListed(key) => tr.s("lists-error-revoked", "fingerprint", key),
        DraftError::NotListed(key) => tr.s("lists-error-not-listed", "fingerprint", key),
        DraftError::OwnKeyRevoked => tr.t("lists-error-own-key"),
        DraftError::OwnKeyDelegate => tr.t("lists-error-own-key"),
        other => tr.s("error-generic", "why", &other.to_string()),
    }
}

fn when_error(tr: &Tr, e: &WhenError) -> String {
    match e {
        WhenError::Past(_) => tr.t("lists-error-expires-past"),
        WhenError::Future(_) => tr.t("lists-error-since-future"),
        _ => tr.t("lists-error-expires"),
    }
}

fn form_categories(tr: &Tr) -> Vec<(&'static str, String)> {
    let mut v: Vec<(&'static str, String)> = Category::ALL
        .iter()
        .take(FORM_CATEGORIES)
        .map(|c| (c.name(), view::category(tr, *c)))
        .collect();
    v.push((
        Category::Resources.name(),
        view::category(tr, Category::Resources),
    ));
    v
}

fn category_named(name: &str) -> Option<Category> {
    Category::ALL
        .iter()
        .copied()
        .chain([Category::Resources])
        .find(|c| c.name() == name)
}

fn status_words(tr: &Tr, d: &Draft, pending: bool) -> String {
    let published = if d.published_version == 0 {
        tr.t("lists-trust-never-published")
    } else {
        tr.n(
            "lists-trust-published-version",
            "version",
            d.published_version,
        )
    };
    if pending {
        tr.args(
            "lists-trust-draft-pending",
            &[
                ("version", Arg::Num(d.list.version)),
                ("published", Arg::Str(published)),
            ],
        )
    } else {
        published
    }
}

/// The page, with `add` as typed, a notice and errors; `status` for refused edits.
async fn render(
    s: &WebState,
    headers: &HeaderMap,
    add: EntryForm,
    notice: Option<String>,
    form: Errors,
) -> Response {
    let settings = settings_of(s);
    let tr = tr_for(headers, Some(&settings));
    let feed = load_feed(s).await.ok();
    let cx = context(s, &tr, &settings, feed.as_ref());
    let places = &cx.places;
    let l = match lists(s).await {
        Ok(l) => l,
        Err(e) => {
            let msg = draft_error(&tr, &e);
            return (StatusCode::INTERNAL_SERVER_ERROR, msg).into_response();
        }
    };
    let d = if l.editable {
        l.working(s)
    } else {
        let mut d = Draft::new("");
        if let Some(p) = &l.published {
            d.list = p.clone();
            d.published_version = p.version;
        }
        d
    };
    let pending = l.editable && !trust_diff::diff(l.published.as_ref(), &d.list).is_empty();
    let row = |key: &PublicKey, label: &str, scope: String| EntryRow {
        key: key.to_hex(),
        fingerprint: key.fingerprint(),
        label: label.to_owned(),
        scope,
    };
    let status = if !l.editable && l.published.is_none() {
        tr.t("lists-trust-none-published")
    } else {
        status_words(&tr, &d, pending)
    };
    let page = TrustPage {
        frame: Frame::new(&tr, "desk", "/desk/trust"),
        lock: LockBox::of(s, &tr, "/desk/trust"),
        editable: l.editable,
        name: d.list.name.clone(),
        status,
        pending,
        entries: d
            .list
            .entries
            .iter()
            .map(|e| row(&e.key, &e.label, trust_diff::scope(&tr, places, e)))
            .collect(),
        revoked: d
            .list
            .revoked
            .iter()
            .map(|r| RevokedRow {
                fingerprint: r.key.fingerprint(),
                since: trust_diff::since(&tr, r.since),
                reason: r.reason.clone(),
            })
            .collect(),
        thresholds: d
            .list
            .thresholds
            .iter()
            .map(|t| {
                tr.args(
                    "lists-threshold-row",
                    &[
                        ("category", Arg::Str(view::category(&tr, t.category))),
                        ("k", Arg::Num(u64::from(t.k))),
                    ],
                )
            })
            .collect(),
        delegates: d
            .list
            .delegates
            .iter()
            .map(|x| {
                let scope = format!(
                    "{}; {}",
                    trust_diff::areas(&tr, places, &x.areas),
                    trust_diff::categories(&tr, &x.categories)
                );
                row(&x.key, &x.label, scope)
            })
            .collect(),
        add: EntryForm {
            role: if add.role.is_empty() {
                "member".into()
            } else {
                add.role.clone()
            },
            ..add
        },
        categories: form_categories(&tr),
        alert_categories: form_categories(&tr)
            .into_iter()
            .take(FORM_CATEGORIES)
            .collect(),
        notice,
        form,
    };
    let code = if page.form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (code, html(page)).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    edit: Option<String>,
    saved: Option<String>,
    published: Option<u64>,
}

async fn page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let mut add = EntryForm::default();
    // "Change" on an entry fills the form with it.
    let working = match lists(&s).await {
        Ok(l) if l.editable => Some(l.working(&s)),
        _ => None,
    };
    if let Some(hex) = q.edit.as_deref()
        && let Ok(key) = PublicKey::from_hex(hex)
        && let Some(d) = &working
        && let Some(e) = d.list.entries.iter().find(|e| e.key == key)
    {
        add = EntryForm {
            key: e.key.to_hex(),
            label: e.label.clone(),
            role: role_name(e.role).into(),
            areas: e
                .areas
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            categories: e.categories.iter().map(|c| c.name().to_owned()).collect(),
            expires: e
                .expires_at
                .map(|t| {
                    trust_diff::date(t)
                        .trim_matches(['\u{2068}', '\u{2069}'])
                        .to_owned()
                })
                .unwrap_or_default(),
            editing: true,
        };
    }
    let notice = match (q.saved.as_deref(), q.published) {
        (_, Some(v)) => Some(tr.n("lists-trust-published", "version", v)),
        (Some(what), None) => Some(match what {
            "revoked" => tr.t("lists-trust-saved-revoked"),
            _ => tr.t("lists-trust-saved"),
        }),
        _ => None,
    };
    render(&s, &headers, add, notice, Errors::default()).await
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Organizer => "organizer",
        Role::Member => "member",
    }
}

/// Apply `f` to the draft and save it; on success back to the page with a notice.
async fn edit(
    s: &WebState,
    headers: &HeaderMap,
    add: EntryForm,
    saved: &str,
    f: impl FnOnce(&mut Draft, &PublicKey) -> Result<(), FieldError>,
) -> Response {
    let tr = tr_for(headers, Some(&settings_of(s)));
    let refuse = |add: EntryForm, e: FieldError| async move {
        render(s, headers, add, None, Errors { errors: vec![e] }).await
    };
    let l = match lists(s).await {
        Ok(l) => l,
        Err(e) => {
            let e = FieldError {
                field: "entries",
                message: draft_error(&tr, &e),
            };
            return refuse(add, e).await;
        }
    };
    let (true, Some(owner)) = (l.editable, l.owner) else {
        let e = FieldError {
            field: "entries",
            message: tr.t("lists-trust-read-only"),
        };
        return refuse(add, e).await;
    };
    let mut d = l.working(s);
    if let Err(e) = f(&mut d, &owner) {
        return refuse(add, e).await;
    }
    let home = s.api.home.clone();
    let saved_draft = tokio::task::spawn_blocking(move || list_draft::save(&home, &d)).await;
    match saved_draft {
        Ok(Ok(())) => Redirect::to(&format!("/desk/trust?saved={saved}")).into_response(),
        Ok(Err(e)) => {
            let e = FieldError {
                field: "entries",
                message: draft_error(&tr, &e),
            };
            refuse(add, e).await
        }
        Err(e) => {
            let e = FieldError {
                field: "entries",
                message: tr.s("error-generic", "why", &e.to_string()),
            };
            refuse(add, e).await
        }
    }
}

fn pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Parse a `YYYY-MM-DD` date (the value of a date input) as midnight UTC.
fn parse_date(s: &str) -> Option<u64> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    let date = time::Date::from_calendar_date(y, time::Month::try_from(m).ok()?, d).ok()?;
    u64::try_from(date.midnight().assume_utc().unix_timestamp()).ok()
}

/// An entry's expiry as typed: nothing (with the list), a duration (90d) or a date.
fn parse_expiry(s: &str, now: u64) -> Result<Option<u64>, WhenError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let e = match parse_date(t) {
        Some(at) => Expiry::At(at),
        None => Expiry::parse(t)?,
    };
    e.resolve(now).map(Some)
}

async fn add(State(s): State<WebState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let p = pairs(&body);
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let form = EntryForm {
        key: field(&p, "key").trim().to_owned(),
        label: field(&p, "label").trim().to_owned(),
        role: field(&p, "role").to_owned(),
        areas: field(&p, "areas").to_owned(),
        categories: p
            .iter()
            .filter(|(k, _)| k == "category")
            .map(|(_, v)| v.clone())
            .take(FORM_CATEGORIES + 1)
            .collect(),
        expires: field(&p, "expires").trim().to_owned(),
        editing: field(&p, "editing") == "true",
    };
    let mut errors = Vec::new();
    let key = PublicKey::from_hex(&form.key).ok();
    if key.is_none() {
        errors.push(FieldError {
            field: "key",
            message: tr.t("lists-error-key"),
        });
    }
    if form.label.is_empty() {
        errors.push(FieldError {
            field: "label",
            message: tr.s("error-required", "field", &tr.t("lists-add-label")),
        });
    }
    let role = match form.role.as_str() {
        "organizer" => Role::Organizer,
        _ => Role::Member,
    };
    let mut areas: Vec<Area> = Vec::new();
    for a in form
        .areas
        .split([',', ' '])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .take(MAX_FORM_AREAS)
    {
        match Area::parse(&a.to_ascii_lowercase()) {
            Ok(area) if areas.contains(&area) => {}
            Ok(area) => areas.push(area),
            Err(_) => errors.push(FieldError {
                field: "areas",
                message: tr.args(
                    "error-area",
                    &[
                        ("field", Arg::Str(tr.t("lists-add-areas"))),
                        ("value", Arg::Str(a.chars().take(20).collect())),
                    ],
                ),
            }),
        }
    }
    let mut categories: Vec<Category> = form
        .categories
        .iter()
        .filter_map(|c| category_named(c))
        .collect();
    categories.dedup();
    let expires_at = match parse_expiry(&form.expires, aviso_node::unix_now()) {
        Ok(e) => e,
        Err(e) => {
            errors.push(FieldError {
                field: "expires",
                message: when_error(&tr, &e),
            });
            None
        }
    };
    let Some(key) = key.filter(|_| errors.is_empty()) else {
        return render(&s, &headers, form, None, Errors { errors }).await;
    };
    let entry = TrustEntry {
        key,
        role,
        label: form.label.clone(),
        areas,
        categories,
        expires_at,
    };
    edit(&s, &headers, form, "added", |d, _| {
        d.add(entry).map(|_| ()).map_err(|e| FieldError {
            field: "key",
            message: draft_error(&tr, &e),
        })
    })
    .await
}

fn key_field(tr: &Tr, p: &[(String, String)]) -> Result<PublicKey, FieldError> {
    PublicKey::from_hex(field(p, "key").trim()).map_err(|_| FieldError {
        field: "entries",
        message: tr.t("lists-error-key"),
    })
}

async fn remove(State(s): State<WebState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let p = pairs(&body);
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    edit(&s, &headers, EntryForm::default(), "removed", |d, _| {
        let key = key_field(&tr, &p)?;
        d.remove(&key).map_err(|e| FieldError {
            field: "entries",
            message: draft_error(&tr, &e),
        })
    })
    .await
}

async fn revoke(State(s): State<WebState>, headers: HeaderMap, RawForm(body): RawForm) -> Response {
    let p = pairs(&body);
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let now = aviso_node::unix_now();
    edit(&s, &headers, EntryForm::default(), "revoked", |d, owner| {
        let key = key_field(&tr, &p)?;
        let reason = field(&p, "reason").trim().to_owned();
        if reason.is_empty() {
            return Err(FieldError {
                field: "entries",
                message: tr.s("error-required", "field", &tr.t("lists-revoke-reason")),
            });
        }
        let since = match field(&p, "since") {
            "now" => Ok(Since::Now),
            "date" => parse_date(field(&p, "since_date"))
                .map(Since::At)
                .ok_or_else(|| tr.t("lists-error-date")),
            _ => Ok(Since::At(0)),
        };
        let since = since
            .and_then(|x| x.resolve(now).map_err(|e| when_error(&tr, &e)))
            .map_err(|message| FieldError {
                field: "entries",
                message,
            })?;
        let rev = Revocation { key, since, reason };
        d.revoke(owner, rev).map_err(|e| FieldError {
            field: "entries",
            message: draft_error(&tr, &e),
        })
    })
    .await
}

async fn threshold(
    State(s): State<WebState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let p = pairs(&body);
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    edit(&s, &headers, EntryForm::default(), "threshold", |d, _| {
        let category = category_named(field(&p, "category"))
            .filter(|c| c.is_alert_category())
            .ok_or_else(|| FieldError {
                field: "threshold-category",
                message: tr.t("error-category"),
            })?;
        let k: u8 = field(&p, "k")
            .trim()
            .parse()
            .ok()
            .filter(|k| (1..=aviso_protocol::limits::MAX_THRESHOLD).contains(k))
            .ok_or_else(|| FieldError {
                field: "threshold-k",
                message: tr.n(
                    "lists-error-threshold",
                    "max",
                    u64::from(aviso_protocol::limits::MAX_THRESHOLD),
                ),
            })?;
        d.threshold(category, k);
        Ok(())
    })
    .await
}

/// A digest of the list to be signed, so that the confirmation signs what was previewed.
fn digest(list: &TrustList) -> String {
    let json = serde_json::to_vec(list).unwrap_or_default();
    data_encoding::HEXLOWER.encode(&Sha256::digest(&json))
}

/// The preview page of `d` against `published`.
fn preview_page<'a>(
    s: &WebState,
    tr: &'a Tr,
    places: &Places,
    d: &Draft,
    (published, owner): (Option<&TrustList>, &PublicKey),
    stale: bool,
    form: Errors,
) -> PublishPage<'a> {
    let changes = trust_diff::diff(published, &d.list)
        .iter()
        .map(|c: &ListChange<'_>| trust_diff::words(tr, places, c))
        .collect();
    let version = d.published_version.max(published.map_or(0, |p| p.version)) + 1;
    let now = aviso_node::unix_now();
    let signs = tr.args(
        "lists-publish-signs",
        &[
            ("name", Arg::Str(d.list.name.clone())),
            ("version", Arg::Num(version)),
            ("fingerprint", Arg::Str(owner.fingerprint())),
            ("until", Arg::Str(trust_diff::date(now + LIST_TTL_SECS))),
        ],
    );
    PublishPage {
        frame: Frame::new(tr, "desk", "/desk/trust/publish"),
        lock: LockBox::of(s, tr, "/desk/trust/publish"),
        changes,
        signs,
        digest: digest(&d.list),
        stale,
        form,
    }
}

/// The lists, the owner's key and the named places, for publishing; anyone but the
/// owner goes back to the list.
async fn owned(s: &WebState, tr: &Tr) -> Result<(Lists, PublicKey, Places), Response> {
    let l = lists(s)
        .await
        .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, draft_error(tr, &e)).into_response())?;
    let (true, Some(owner)) = (l.editable, l.owner) else {
        return Err(Redirect::to("/desk/trust").into_response());
    };
    let settings = settings_of(s);
    let feed = load_feed(s).await.ok();
    let places = context(s, tr, &settings, feed.as_ref()).places;
    Ok((l, owner, places))
}

async fn preview(State(s): State<WebState>, headers: HeaderMap) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let (l, owner, places) = match owned(&s, &tr).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let d = l.working(&s);
    html(preview_page(
        &s,
        &tr,
        &places,
        &d,
        (l.published.as_ref(), &owner),
        false,
        Errors::default(),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PublishFields {
    digest: String,
}

async fn publish(
    State(s): State<WebState>,
    headers: HeaderMap,
    axum::extract::Form(f): axum::extract::Form<PublishFields>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let (l, owner, places) = match owned(&s, &tr).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let mut d = l.working(&s);
    let again = |d: &Draft, stale: bool, message: Option<String>| {
        let form = Errors {
            errors: message
                .map(|message| FieldError {
                    field: "publish",
                    message,
                })
                .into_iter()
                .collect(),
        };
        let page = preview_page(
            &s,
            &tr,
            &places,
            d,
            (l.published.as_ref(), &owner),
            stale,
            form,
        );
        (StatusCode::UNPROCESSABLE_ENTITY, html(page)).into_response()
    };
    // The draft changed since the preview (another tab, the CLI): show the new changes.
    if f.digest != digest(&d.list) {
        return again(&d, true, None);
    }
    if trust_diff::diff(l.published.as_ref(), &d.list).is_empty() {
        return Redirect::to("/desk/trust").into_response();
    }
    let known = l.published.as_ref().map_or(0, |p| p.version);
    let version = match d.prepare(None, known) {
        Ok(v) => v,
        Err(e) => return again(&d, false, Some(draft_error(&tr, &e))),
    };
    let body = Body::TrustList(d.list.clone());
    if let Err(message) = signing::sign_and_publish(&s, &tr, &body, LIST_TTL_SECS, 0).await {
        return again(&d, false, Some(message));
    }
    d.published(version);
    let home = s.api.home.clone();
    let saved = tokio::task::spawn_blocking(move || list_draft::save(&home, &d)).await;
    if !matches!(saved, Ok(Ok(()))) {
        tracing::warn!("the published list's draft could not be saved");
    }
    Redirect::to(&format!("/desk/trust?published={version}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_expiries() {
        assert_eq!(parse_date("2030-03-17"), Some(1_899_936_000));
        assert_eq!(parse_date("2030-13-01"), None);
        assert_eq!(parse_date("tomorrow"), None);
        let now = 1_800_000_000;
        assert_eq!(parse_expiry("", now), Ok(None));
        assert_eq!(parse_expiry("30d", now), Ok(Some(now + 30 * 86_400)));
        assert_eq!(parse_expiry("2030-03-17", now), Ok(Some(1_899_936_000)));
        assert!(parse_expiry("2020-01-01", now).is_err());
    }
}
