//! The node's typed client ([`ApiClient`]) as the commands use it: errors in words for
//! people, and every string that came from the network made safe for a terminal
//! ([`output::clean`]) before any command sees it, so none can forget to.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::api::wire::{
    AgentReply, EnvelopeReply, ExportReply, FeedQuery, FeedReply, FeedSettings, Outcome,
    PeersReply, PublishReply, StatusReply, SyncReply, TrustReply, WebSigninReply,
};
use aviso_node::api::{ApiClient, ApiEvent, ClientError};
use aviso_protocol::{Envelope, Id};
use futures::{Stream, StreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::output;

/// Whether `e` says that no node answers on the home: not an error for commands that can
/// work without one (they save to the config or the outbox).
pub fn not_running(e: &anyhow::Error) -> bool {
    e.downcast_ref::<ClientError>()
        .is_some_and(ClientError::is_not_running)
}

/// Why the node did not store an envelope it was given, in its words.
pub fn refusal(outcome: &Outcome) -> &str {
    match outcome {
        Outcome::Ignored { reason }
        | Outcome::Throttled { reason, .. }
        | Outcome::Rejected { reason } => reason,
        _ => "refused",
    }
}

/// Talks to the node that runs on a home.
#[derive(Debug, Clone)]
pub struct Api(ApiClient);

impl Api {
    /// Find the node running on `home` (its `api.addr` and `api.token`).
    pub fn connect(home: &Path) -> Result<Api> {
        ApiClient::connect(home).map(Api).map_err(error)
    }

    /// `POST /v1/web/signin`: a one-time sign-in link for the web app.
    pub async fn web_signin(&self) -> Result<WebSigninReply> {
        cleaned(self.0.web_signin().await)
    }

    /// `POST /v1/web/pair`: a one-time pairing code for a phone; `None` when the node does
    /// not serve phones on the LAN.
    pub async fn web_pair(&self) -> Result<Option<aviso_node::api::wire::WebPairReply>> {
        match self.0.web_pair().await {
            Err(e) if e.status() == Some(409) => Ok(None),
            r => cleaned(r).map(Some),
        }
    }

    /// `GET /v1/web/devices`: the paired devices.
    pub async fn web_devices(&self) -> Result<aviso_node::api::wire::DevicesReply> {
        cleaned(self.0.web_devices().await)
    }

    /// `POST /v1/web/devices/{id}/revoke`: unpair a device.
    pub async fn web_revoke(&self, id: &str) -> Result<aviso_node::api::wire::RevokeReply> {
        cleaned(self.0.web_revoke(id).await)
    }

    /// `POST /v1/agent/unlock`: unlock the member's key into the node's agent.
    pub async fn unlock(&self, passphrase: &str) -> Result<AgentReply> {
        cleaned(self.0.unlock(passphrase).await)
    }

    /// `POST /v1/agent/lock`: lock the node's agent now.
    pub async fn lock(&self) -> Result<AgentReply> {
        cleaned(self.0.lock().await)
    }

    /// `GET /v1/status`.
    pub async fn status(&self) -> Result<StatusReply> {
        cleaned(self.0.status().await)
    }

    /// `GET /v1/peers`.
    pub async fn peers(&self) -> Result<PeersReply> {
        cleaned(self.0.peers().await)
    }

    /// `GET /v1/feed`: one page; `all` with hidden items, `reports` and `before` page the
    /// reports.
    pub async fn feed(
        &self,
        all: bool,
        reports: Option<usize>,
        before: Option<String>,
    ) -> Result<FeedReply> {
        let query = FeedQuery {
            all,
            reports,
            before,
        };
        cleaned(self.0.feed(&query).await)
    }

    /// `POST /v1/publish`: what the pipeline did with signed envelope bytes.
    pub async fn publish(&self, envelope: &[u8]) -> Result<PublishReply> {
        cleaned(self.0.publish(envelope).await)
    }

    /// `GET /v1/settings`.
    pub async fn settings(&self) -> Result<FeedSettings> {
        cleaned(self.0.settings().await)
    }

    /// `PUT /v1/settings`.
    pub async fn put_settings(&self, settings: &FeedSettings) -> Result<FeedSettings> {
        cleaned(self.0.put_settings(settings).await)
    }

    /// `GET /v1/trust`.
    pub async fn trust(&self) -> Result<TrustReply> {
        cleaned(self.0.trust().await)
    }

    /// `POST /v1/sync`.
    pub async fn sync(&self) -> Result<SyncReply> {
        cleaned(self.0.sync().await)
    }

    /// `GET /v1/export`.
    pub async fn export(&self) -> Result<ExportReply> {
        cleaned(self.0.export().await)
    }

    /// `GET /v1/events`: the live events, each cleaned; the first error ends it.
    pub async fn events(&self) -> Result<impl Stream<Item = Result<ApiEvent>> + use<>> {
        let stream = self.0.events().await.map_err(error)?;
        Ok(stream.map(cleaned))
    }

    /// `GET /v1/responses/{id}`: the answers to a live alert; with `author`, also when
    /// that key's next answer should be made.
    pub async fn responses(
        &self,
        id: &Id,
        author: Option<&aviso_protocol::PublicKey>,
    ) -> Result<aviso_node::api::wire::ResponsesReply> {
        let reply = match author {
            Some(a) => self.0.responses_for(id, a).await,
            None => self.0.responses(id).await,
        };
        match reply {
            Err(e) if e.status() == Some(404) => bail!(
                "{} is not a live alert on this node: it may have ended or expired (see \
                 `aviso feed`)",
                id.short()
            ),
            r => cleaned(r),
        }
    }

    /// `GET /v1/envelopes/{id}`, decoded from the bytes as received.
    async fn envelope(&self, id: &Id) -> Result<Envelope> {
        let reply: EnvelopeReply = match self.0.envelope(id).await {
            Err(e) if e.status() == Some(404) => bail!(
                "no envelope {id} is stored on this node: it may have expired or not \
                 reached it yet (see `aviso feed --all`)"
            ),
            r => r.map_err(error)?,
        };
        let bytes =
            hex::decode(reply.bytes.trim()).context("the node sent an envelope that is not hex")?;
        Envelope::decode(&bytes).map_err(|e| anyhow!("the node sent a malformed envelope: {e}"))
    }
}

/// A reply with every string [`output::clean`]ed, or the error in words.
fn cleaned<T: Serialize + DeserializeOwned>(reply: Result<T, ClientError>) -> Result<T> {
    let value = serde_json::to_value(reply.map_err(error)?)?;
    serde_json::from_value(output::clean_json(value))
        .context("unexpected answer from the node after cleaning")
}

/// A client error for people. The node's own words (an error and a hint) are cleaned;
/// "not running" stays a [`ClientError`], for [`not_running`].
fn error(e: ClientError) -> anyhow::Error {
    if e.is_not_running() {
        return anyhow::Error::new(e);
    }
    anyhow!(output::single_line(&e.to_string()))
}

/// Fetch a stored envelope and decode its received bytes.
pub async fn fetch_envelope(api: &Api, id: &Id) -> Result<Envelope> {
    api.envelope(id).await
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
    let found = api.0.ids(&t).await.map_err(error)?;
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// Text from the network is cleaned before any command sees it: a report that erases
    /// its own line and redraws itself as a trusted alert, written as JSON escapes.
    #[test]
    fn replies_are_cleaned() {
        let reply: StatusReply = serde_json::from_str(
            r#"{"version": "1", "peer_id": "seen\u001b[2K\u001b[1A\rSEVERE\u202e",
                "listen_addrs": [], "peers": 0, "store": {"total": 0, "by_kind": {}},
                "uptime_secs": 0, "community": null}"#,
        )
        .unwrap();
        assert_eq!(cleaned(Ok(reply)).unwrap().peer_id, "seenSEVERE");
        let e = error(ClientError::Api {
            status: 400,
            error: "bad\x1b]0;pwned\x07 request".into(),
            hint: "fix\nit".into(),
        });
        assert_eq!(e.to_string(), "bad request (fix it)");
    }

    #[test]
    fn id_prefixes() {
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
    }
}
