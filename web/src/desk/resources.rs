//! `/desk/resources`: the organizer's own resource notices (legal aid, helplines,
//! shelters, events...): create, update (a new version with the same key replaces the
//! old one) and withdraw, composed by [`aviso_node::compose::resource`] and signed through
//! the key agent.

use askama::Template;
use aviso_node::compose::{self, ResourceOptions};
use aviso_protocol::feed::ResourceItem;
use aviso_protocol::{Body, Id, Kind, PublicKey, RetractReason, Retraction};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::LockBox;
use super::signing;
use super::trust_diff;
use crate::i18n::{LANGUAGES, Tr};
use crate::pages::{FieldError, Frame};
use crate::server::{WebState, context, html, load_feed, settings_of, tr_for};
use crate::view::{self, Places};

/// How long a notice may be shown, as offered in the form: a month, three, a year.
const EXPIRY_CHOICES: [&str; 3] = ["30d", "90d", "365d"];

/// Longest resource key made from a name: short enough to read in `aviso resource list`.
const MAX_KEY_CHARS: usize = 40;

/// The routes.
pub(crate) fn routes() -> Router<WebState> {
    Router::new()
        .route("/desk/resources", get(page).post(send))
        .route("/desk/resources/withdraw", post(withdraw))
}

/// One of the organizer's notices, in words.
#[derive(Debug, Clone)]
pub(crate) struct NoticeRow {
    /// Envelope id, hex, for withdrawing.
    pub id: String,
    /// Its stable key, for updating.
    pub key: String,
    /// Name, in the page's language where it has one.
    pub name: String,
    /// Kind in words.
    pub kind: String,
    /// Areas in words.
    pub areas: String,
    /// Until when, in words.
    pub until: String,
}

/// The notice form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct NoticeForm {
    pub resource_key: String,
    pub kind: String,
    pub lang: String,
    pub name: String,
    pub description: String,
    pub hours: String,
    pub lang2: String,
    pub name2: String,
    pub description2: String,
    pub hours2: String,
    pub place: String,
    pub areas: String,
    pub phone: String,
    pub url: String,
    pub address: String,
    pub free: bool,
    pub no_id_required: bool,
    pub confidential: bool,
    pub walk_in: bool,
    pub expires: String,
    /// Mistakes to fix.
    #[serde(skip)]
    pub errors: Vec<FieldError>,
}

impl NoticeForm {
    /// Whether `field` has a mistake.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The resources page.
#[derive(Template)]
#[template(path = "desk_resources.html")]
pub(crate) struct ResourcesPage<'a> {
    pub frame: Frame<'a>,
    pub lock: LockBox,
    /// The organizer's notices.
    pub notices: Vec<NoticeRow>,
    /// The form.
    pub form: NoticeForm,
    /// Updating the notice with this key.
    pub editing: bool,
    /// Kind values and words.
    pub kinds: Vec<(&'static str, String)>,
    /// Language tags and names.
    pub languages: Vec<(&'static str, &'static str)>,
    /// Named places: cell and words.
    pub places: Vec<(String, String)>,
    /// Expiry values and words.
    pub expiries: Vec<(&'static str, String)>,
    /// What the signature will cover.
    pub signs: String,
    /// After sending or withdrawing.
    pub notice: Option<String>,
}

fn own(feed_resources: &[ResourceItem], me: Option<PublicKey>) -> Vec<&ResourceItem> {
    feed_resources
        .iter()
        .filter(|r| Some(r.author) == me)
        .collect()
}

async fn render(
    s: &WebState,
    headers: &HeaderMap,
    form: NoticeForm,
    editing: bool,
    notice: Option<String>,
) -> Response {
    let settings = settings_of(s);
    let tr = tr_for(headers, Some(&settings));
    let feed = load_feed(s).await.ok();
    let cx = context(s, &tr, &settings, feed.as_ref());
    let me = signing::own_key(s);
    let notices = feed
        .as_ref()
        .map(|f| own(&f.resources, me))
        .unwrap_or_default()
        .into_iter()
        .map(|r| row(&tr, &cx.places, r))
        .collect();
    let signs = tr.s(
        "lists-resource-signs",
        "fingerprint",
        &me.map(|k| k.fingerprint()).unwrap_or_default(),
    );
    let code = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ResourcesPage {
        frame: Frame::new(&tr, "desk", "/desk/resources"),
        lock: LockBox::of(s, &tr, "/desk/resources"),
        notices,
        form: NoticeForm {
            lang: if form.lang.is_empty() {
                tr.tag().to_owned()
            } else {
                form.lang.clone()
            },
            expires: if form.expires.is_empty() {
                EXPIRY_CHOICES[1].to_owned()
            } else {
                form.expires.clone()
            },
            ..form
        },
        editing,
        kinds: view::KINDS
            .iter()
            .map(|k| (k.name(), tr.t(&format!("kind-{}", k.name()))))
            .collect(),
        languages: LANGUAGES.iter().map(|l| (l.tag, l.native)).collect(),
        places: cx.places.choices(),
        expiries: EXPIRY_CHOICES
            .iter()
            .map(|e| {
                let days: u64 = e.trim_end_matches('d').parse().unwrap_or(0);
                (*e, tr.n("lists-resource-expires-days", "days", days))
            })
            .collect(),
        signs,
        notice,
    };
    (code, html(page)).into_response()
}

fn row(tr: &Tr, places: &Places, r: &ResourceItem) -> NoticeRow {
    NoticeRow {
        id: r.id.to_hex(),
        key: r.resource.resource_key.clone(),
        name: r
            .text
            .as_ref()
            .map(|t| t.name.clone())
            .or_else(|| r.resource.info.first().map(|i| i.name.clone()))
            .unwrap_or_default(),
        kind: tr.t(&format!("kind-{}", r.resource.kind.name())),
        areas: trust_diff::areas(tr, places, &r.resource.areas),
        until: tr.s("lists-scope-until", "date", &trust_diff::date(r.expires_at)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    edit: Option<String>,
    sent: Option<String>,
}

async fn page(
    State(s): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let notice = match q.sent.as_deref() {
        Some("withdrawn") => Some(tr.t("lists-resource-withdrawn")),
        Some(_) => Some(tr.t("lists-resource-sent")),
        None => None,
    };
    let me = signing::own_key(&s);
    let mut form = NoticeForm::default();
    let mut editing = false;
    if let Some(key) = q.edit.as_deref()
        && let Ok(feed) = load_feed(&s).await
        && let Some(r) = own(&feed.resources, me)
            .into_iter()
            .find(|r| r.resource.resource_key == key)
    {
        let res = &r.resource;
        // Text blocks, not the opening hours' structured block (`zxx`).
        let mut blocks = res.info.iter().filter(|i| i.lang != "zxx");
        let first = blocks.next();
        let second = blocks.next();
        let days = r.expires_at.saturating_sub(aviso_node::unix_now()) / 86_400;
        form = NoticeForm {
            resource_key: res.resource_key.clone(),
            kind: res.kind.name().to_owned(),
            lang: first.map(|i| i.lang.clone()).unwrap_or_default(),
            name: first.map(|i| i.name.clone()).unwrap_or_default(),
            description: first.map(|i| i.description.clone()).unwrap_or_default(),
            hours: first.map(|i| i.hours.clone()).unwrap_or_default(),
            lang2: second.map(|i| i.lang.clone()).unwrap_or_default(),
            name2: second.map(|i| i.name.clone()).unwrap_or_default(),
            description2: second.map(|i| i.description.clone()).unwrap_or_default(),
            hours2: second.map(|i| i.hours.clone()).unwrap_or_default(),
            areas: res
                .areas
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            phone: res.phone.clone().unwrap_or_default(),
            url: res.url.clone().unwrap_or_default(),
            address: res.address.clone().unwrap_or_default(),
            free: res.free,
            no_id_required: res.no_id_required,
            confidential: res.confidential,
            walk_in: res.walk_in,
            expires: EXPIRY_CHOICES
                .iter()
                .find(|e| {
                    e.trim_end_matches('d')
                        .parse::<u64>()
                        .is_ok_and(|d| d >= days)
                })
                .copied()
                .unwrap_or(EXPIRY_CHOICES[2])
                .to_owned(),
            ..NoticeForm::default()
        };
        editing = true;
    }
    render(&s, &headers, form, editing, notice).await
}

/// A stable key from a name: lower-case letters and digits joined by dashes.
fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
        if key.chars().count() >= MAX_KEY_CHARS {
            break;
        }
    }
    let key = key.trim_end_matches('-').to_owned();
    if key.is_empty() { "notice".into() } else { key }
}

async fn send(
    State(s): State<WebState>,
    headers: HeaderMap,
    Form(mut f): Form<NoticeForm>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let me = signing::own_key(&s);
    let feed = load_feed(&s).await.ok();
    let mine = feed
        .as_ref()
        .map(|feed| {
            own(&feed.resources, me)
                .into_iter()
                .map(|r| (r.resource.resource_key.clone(), r.created_at))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let editing = !f.resource_key.trim().is_empty();
    let key = if editing {
        f.resource_key.trim().to_owned()
    } else {
        // A new notice never replaces another one of the organizer's.
        let base = key_from_name(&f.name);
        let mut key = base.clone();
        let mut n = 2;
        while mine.iter().any(|(k, _)| *k == key) && n < 1000 {
            key = format!("{base}-{n}");
            n += 1;
        }
        key
    };
    let kind = view::KINDS.iter().copied().find(|k| k.name() == f.kind);
    let Some(kind) = kind else {
        f.errors.push(FieldError {
            field: "kind",
            message: tr.t("lists-resource-error-kind"),
        });
        return render(&s, &headers, f, editing, None).await;
    };
    let mut lang = vec![f.lang.trim().to_owned()];
    let mut name = vec![f.name.clone()];
    let mut description = vec![f.description.clone()];
    let mut hours = vec![f.hours.clone()];
    if !f.name2.trim().is_empty() {
        lang.push(f.lang2.trim().to_owned());
        name.push(f.name2.clone());
        description.push(f.description2.clone());
        hours.push(f.hours2.clone());
    }
    let mut areas: Vec<String> = f
        .areas
        .split([',', ' '])
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    if !f.place.is_empty() && !areas.contains(&f.place) {
        areas.push(f.place.clone());
    }
    if f.name.trim().is_empty() {
        f.errors.push(FieldError {
            field: "name",
            message: tr.s("error-required", "field", &tr.t("lists-resource-name")),
        });
    }
    if areas.is_empty() {
        f.errors.push(FieldError {
            field: "areas",
            message: tr.s("error-required", "field", &tr.t("lists-resource-areas")),
        });
    }
    let expires = if EXPIRY_CHOICES.contains(&f.expires.as_str()) {
        f.expires.clone()
    } else {
        EXPIRY_CHOICES[1].to_owned()
    };
    let opt = |v: &str| Some(v.to_owned()).filter(|v| !v.trim().is_empty());
    let (phone, url, address) = (opt(&f.phone), opt(&f.url), opt(&f.address));
    let o = ResourceOptions {
        key: &key,
        kind,
        lang: &lang,
        name: &name,
        description: &description,
        hours: &hours,
        phone: phone.as_deref(),
        url: url.as_deref(),
        address: address.as_deref(),
        areas: &areas,
        speaks: &[],
        free: f.free,
        no_id_required: f.no_id_required,
        confidential: f.confidential,
        walk_in: f.walk_in,
        starts_at: None,
        ends_at: None,
        expires: &expires,
    };
    let now = aviso_node::unix_now();
    let composed = if f.errors.is_empty() {
        compose::resource(&o, now).map_err(|e| tr.s("error-generic", "why", &e.to_string()))
    } else {
        Err(String::new())
    };
    let (res, ttl) = match composed {
        Ok(x) => x,
        Err(message) => {
            if !message.is_empty() {
                f.errors.push(FieldError {
                    field: "name",
                    message,
                });
            }
            return render(&s, &headers, f, editing, None).await;
        }
    };
    // A new version is created after the one it replaces, even within one second.
    let not_before = mine
        .iter()
        .filter(|(k, _)| *k == key)
        .map(|(_, at)| at + 1)
        .max()
        .unwrap_or(0);
    match signing::sign_and_publish(&s, &tr, &Body::Resource(res), ttl, not_before).await {
        Ok(_) => Redirect::to("/desk/resources?sent=1").into_response(),
        Err(message) => {
            f.errors.push(FieldError {
                field: "name",
                message,
            });
            render(&s, &headers, f, editing, None).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WithdrawFields {
    id: String,
}

async fn withdraw(
    State(s): State<WebState>,
    headers: HeaderMap,
    Form(w): Form<WithdrawFields>,
) -> Response {
    let tr = tr_for(&headers, Some(&settings_of(&s)));
    let me = signing::own_key(&s);
    let feed = load_feed(&s).await.ok();
    let target = Id::from_hex(w.id.trim()).ok().and_then(|id| {
        feed.as_ref()?
            .resources
            .iter()
            .find(|r| r.id == id && Some(r.author) == me)
            .map(|r| (r.id, r.expires_at))
    });
    let mut form = NoticeForm::default();
    let Some((id, expires_at)) = target else {
        form.errors.push(FieldError {
            field: "notices",
            message: tr.t("error-not-found"),
        });
        return render(&s, &headers, form, false, None).await;
    };
    let now = aviso_node::unix_now();
    let ttl = aviso_node::standing::tombstone_ttl(expires_at, now, Kind::Retraction.max_ttl());
    let body = Body::Retraction(Retraction {
        target: id,
        reason: RetractReason::Withdrawn,
    });
    match signing::sign_and_publish(&s, &tr, &body, ttl, 0).await {
        Ok(_) => Redirect::to("/desk/resources?sent=withdrawn").into_response(),
        Err(message) => {
            form.errors.push(FieldError {
                field: "notices",
                message,
            });
            render(&s, &headers, form, false, None).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_from_names() {
        assert_eq!(
            key_from_name("Mission Legal Clinic"),
            "mission-legal-clinic"
        );
        assert_eq!(key_from_name("  ¡Clínica!  "), "clínica");
        assert_eq!(key_from_name("***"), "notice");
        assert!(key_from_name(&"a".repeat(100)).chars().count() <= MAX_KEY_CHARS);
    }

    #[test]
    fn kinds_are_offered() {
        assert!(view::KINDS.contains(&aviso_protocol::ResourceKind::LegalAid));
    }
}
