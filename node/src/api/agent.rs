//! The key agent (`/v1/agent/*`) and the web app's sign-in links (`/v1/web/signin`).
//!
//! Unlocking decrypts the member's key file into the node's memory for a limited idle
//! time ([`crate::agent`]); signing then needs no passphrase. Both the CLI and the web app
//! use it; the API token already proves the caller may act for this home.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use zeroize::Zeroizing;

use super::wire::{
    self, AgentReply, ApiError, SignReply, SignRequest, UnlockRequest, WebSigninReply,
};
use super::{AppState, Failure};
use crate::agent::{AgentError, AgentStatus};
use crate::member_key::{self, MemberKeyError};
use crate::session::CODE_TTL;

fn reply(s: AgentStatus) -> AgentReply {
    AgentReply {
        unlocked: s.unlocked,
        public_key: s.public_key.map(|k| k.to_hex()),
        locks_in_secs: s.locks_in_secs,
        retry_after_secs: s.retry_after_secs,
    }
}

impl From<AgentError> for Failure {
    fn from(e: AgentError) -> Failure {
        match e {
            AgentError::Locked => Failure::new(
                StatusCode::CONFLICT,
                e.to_string(),
                "unlock it with `aviso unlock` or in the web app",
            ),
            AgentError::WrongPassphrase { retry_after } => Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.to_string(),
                if retry_after.is_zero() {
                    "try again".to_owned()
                } else {
                    format!("try again in {} seconds", retry_after.as_secs())
                },
            ),
            AgentError::TooSoon { .. } => Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                e.to_string(),
                "wrong passphrases slow down unlocking; wait, then try again",
            ),
            AgentError::KeyFile(_) => Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.to_string(),
                "restore member.key from a backup, or run `aviso init --force` for a new key",
            ),
            AgentError::Sign(_) => Failure::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.to_string(),
                "the message breaks a protocol limit; change it and sign again",
            ),
        }
    }
}

/// The key agent's state.
#[utoipa::path(get, path = wire::paths::AGENT, tag = "agent", responses((status = 200, body = AgentReply)))]
pub(super) async fn status(State(s): State<AppState>) -> Json<AgentReply> {
    Json(reply(s.api.agent.status()))
}

/// Unlock the member's signing key into the node for a limited idle time.
#[utoipa::path(
    post,
    path = wire::paths::AGENT_UNLOCK,
    tag = "agent",
    request_body = UnlockRequest,
    responses(
        (status = 200, body = AgentReply),
        (status = 404, description = "this home has no signing key", body = ApiError),
        (status = 422, description = "wrong passphrase, or a damaged key file", body = ApiError),
        (status = 429, description = "too many wrong passphrases: wait", body = ApiError),
    )
)]
pub(super) async fn unlock(
    State(s): State<AppState>,
    body: Result<Json<UnlockRequest>, JsonRejection>,
) -> Result<Json<AgentReply>, Failure> {
    let Json(req) = body?;
    let passphrase = Zeroizing::new(req.passphrase.into_bytes());
    let agent = s.api.agent.clone();
    let home = s.api.home.clone();
    tokio::task::spawn_blocking(move || {
        let file = member_key::read(&home).map_err(|e| match e {
            MemberKeyError::Missing { .. } => Failure::new(
                StatusCode::NOT_FOUND,
                "this home has no signing key",
                "run `aviso init` to make one",
            ),
            e => Failure::from(AgentError::KeyFile(e.to_string())),
        })?;
        agent
            .unlock_home(&home, &file, &passphrase)
            .map_err(Failure::from)
    })
    .await
    .map_err(Failure::internal)??;
    Ok(Json(reply(s.api.agent.status())))
}

/// Lock the agent now: the key's bytes are zeroized.
#[utoipa::path(post, path = wire::paths::AGENT_LOCK, tag = "agent", responses((status = 200, body = AgentReply)))]
pub(super) async fn lock(State(s): State<AppState>) -> Json<AgentReply> {
    s.api.agent.lock();
    Json(reply(s.api.agent.status()))
}

/// Sign a body with the unlocked key, as an envelope of this node's community.
#[utoipa::path(
    post,
    path = wire::paths::AGENT_SIGN,
    tag = "agent",
    request_body = SignRequest,
    responses(
        (status = 200, body = SignReply),
        (status = 409, description = "the key is locked", body = ApiError),
        (status = 422, description = "the body is malformed or breaks a limit", body = ApiError),
    )
)]
pub(super) async fn sign(
    State(s): State<AppState>,
    body: Result<Json<SignRequest>, JsonRejection>,
) -> Result<Json<SignReply>, Failure> {
    let Json(req) = body?;
    let bad = |what: String, hint: &str| Failure::new(StatusCode::UNPROCESSABLE_ENTITY, what, hint);
    let bytes = hex::decode(&req.body).map_err(|e| {
        bad(
            format!("body is not hex: {e}"),
            "send Body::encode() as hex",
        )
    })?;
    let body = aviso_protocol::Body::decode(req.kind, &bytes).map_err(|e| {
        bad(
            format!("body does not decode: {e}"),
            "send Body::encode() as hex",
        )
    })?;
    let community = s.api.community.as_ref().map(|c| c.id).ok_or_else(|| {
        Failure::new(
            StatusCode::CONFLICT,
            "this node has joined no community",
            "join one with `aviso community join`",
        )
    })?;
    let env = s
        .api
        .agent
        .sign(community, &body, req.created_at, req.expires_at)?;
    Ok(Json(SignReply {
        id: env.id().to_hex(),
        envelope: hex::encode(env.bytes()),
    }))
}

/// A one-time link that signs a browser on this machine in to the web app.
#[utoipa::path(post, path = wire::paths::WEB_SIGNIN, tag = "web", responses((status = 200, body = WebSigninReply)))]
pub(super) async fn web_signin(State(s): State<AppState>) -> Result<Json<WebSigninReply>, Failure> {
    let code = s.api.sessions.new_code().map_err(Failure::internal)?;
    // Bound to every address (a node serving phones on the LAN): the link is for a
    // browser on this machine.
    let host = if s.addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", s.addr.port())
    } else {
        s.addr.to_string()
    };
    Ok(Json(WebSigninReply {
        url: format!("http://{host}/signin?code={code}"),
        expires_in_secs: CODE_TTL.as_secs(),
    }))
}
