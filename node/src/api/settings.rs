//! `GET /v1/settings`, `PUT /v1/settings`: what the member sees.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;

use super::wire::{self, ApiError, FeedSettings};
use super::{AppState, Failure, read_settings};

/// Most areas of interest in the settings: far more than a member follows.
const MAX_AREAS: usize = 256;
/// Most preferred languages in the settings.
const MAX_LANGUAGES: usize = 32;
/// Most followed list owners in the settings.
const MAX_FOLLOW: usize = 256;

/// The member's feed settings: `follow` (list owners, hex keys), `areas` (geohash cells),
/// `languages` (BCP 47 tags).
#[utoipa::path(
    get,
    path = wire::paths::SETTINGS,
    tag = "settings",
    responses((status = 200, description = "`{follow, areas, languages}`", body = Object))
)]
pub(super) async fn get_settings(State(s): State<AppState>) -> Json<FeedSettings> {
    Json(read_settings(&s.api))
}

/// Replace what the member sees (followed list owners, areas, languages) while the node
/// runs. The CLI also writes them to the sealed private settings so they survive a restart.
#[utoipa::path(
    put,
    path = wire::paths::SETTINGS,
    tag = "settings",
    request_body(content = Object, description = "`{follow, areas, languages}`"),
    responses(
        (status = 200, description = "the settings now in force", body = Object),
        (status = 422, description = "an area, a language or a key is invalid, or there are too many", body = ApiError),
    )
)]
pub(super) async fn put_settings(
    State(s): State<AppState>,
    body: Result<Json<FeedSettings>, JsonRejection>,
) -> Result<Json<FeedSettings>, Failure> {
    let Json(new) = body?;
    let bad = |what: String, hint: &str| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, what, hint);
    for a in &new.areas {
        a.validate().map_err(|e| {
            bad(
                e.to_string(),
                "areas are geohash cells of 3 to 6 characters",
            )
        })?;
    }
    for l in &new.languages {
        aviso_protocol::lang::validate_lang(l)
            .map_err(|e| bad(e.to_string(), "use BCP 47 tags such as en, es, ht"))?;
    }
    if new.areas.len() > MAX_AREAS
        || new.languages.len() > MAX_LANGUAGES
        || new.follow.len() > MAX_FOLLOW
    {
        return Err(bad(
            "too many settings".into(),
            "at most 256 areas, 32 languages, 256 followed keys",
        ));
    }
    *s.api.settings.write().unwrap_or_else(|p| p.into_inner()) = new.clone();
    Ok(Json(new))
}
