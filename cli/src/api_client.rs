//! A small client for the node's local API (127.0.0.1, bearer token from the home).

use std::path::Path;
use std::time::Duration;

use crate::output;
use anyhow::{Context, Result, anyhow, bail};
use aviso_node::home::HomePaths;
use aviso_protocol::{Envelope, Id};
use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// No node answers on the home: not an error for commands that can work without one
/// (they save to the config or the outbox). Find it with `err.is::<NotRunning>()`.
#[derive(Debug)]
pub struct NotRunning(pub String);

impl std::fmt::Display for NotRunning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotRunning {}

/// Talks to the node that runs on a home.
#[derive(Debug, Clone)]
pub struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Api {
    /// Find the node running on `home` (its `api.addr` and `api.token`).
    pub fn connect(home: &Path) -> Result<Api> {
        let paths = HomePaths::new(home);
        let addr = paths.read_api_addr().map_err(|e| match e {
            aviso_node::home::HomeError::NotRunning { .. } => {
                anyhow::Error::new(NotRunning(e.to_string()))
            }
            e => anyhow!("{e}"),
        })?;
        let token = paths.read_api_token().map_err(|e| anyhow!("{e}"))?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .build()
            .context("cannot build the HTTP client")?;
        Ok(Api {
            base: format!("http://{addr}"),
            token,
            http,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response> {
        let resp = req.bearer_auth(&self.token).send().await.map_err(|e| {
            if e.is_connect() {
                anyhow::Error::new(NotRunning(format!(
                    "the node at {} is not answering: is `aviso node` running on this home? ({e})",
                    self.base
                )))
            } else {
                anyhow!("request to the node failed: {e}")
            }
        })?;
        Ok(resp)
    }

    async fn decode<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T> {
        let status = resp.status();
        let text = resp.text().await.context("cannot read the node's answer")?;
        if !status.is_success() {
            let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
            let error = output::single_line(v["error"].as_str().unwrap_or(&text));
            match v["hint"].as_str() {
                Some(hint) if !hint.is_empty() => bail!("{error} ({})", output::single_line(hint)),
                _ => bail!("{error} (HTTP {status})"),
            }
        }
        // Everything the node serves may carry other people's text: clean every string
        // once here, so no caller can forget to (see `output::clean`).
        let v: serde_json::Value = serde_json::from_str(&text).with_context(|| {
            format!("unexpected answer from the node: {}", output::clean(&text))
        })?;
        serde_json::from_value(output::clean_json(v))
            .with_context(|| format!("unexpected answer from the node: {}", output::clean(&text)))
    }

    /// GET a JSON resource.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        let resp = self
            .send(
                self.http
                    .get(self.url(path))
                    .timeout(Duration::from_secs(30)),
            )
            .await?;
        Self::decode(resp).await
    }

    /// POST JSON and read JSON back. Errors carry the node's explanation.
    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        let req = self
            .http
            .post(self.url(path))
            .json(body)
            .timeout(Duration::from_secs(60));
        Self::decode(self.send(req).await?).await
    }

    /// PUT JSON and read JSON back.
    pub async fn put<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> Result<T> {
        let req = self
            .http
            .put(self.url(path))
            .json(body)
            .timeout(Duration::from_secs(30));
        Self::decode(self.send(req).await?).await
    }

    /// POST JSON and return the raw response, whatever its status (for publish, whose
    /// 422 answers carry an outcome).
    pub async fn post_raw(
        &self,
        path: &str,
        body: &impl Serialize,
    ) -> Result<(u16, serde_json::Value)> {
        let req = self
            .http
            .post(self.url(path))
            .json(body)
            .timeout(Duration::from_secs(60));
        let resp = self.send(req).await?;
        let status = resp.status().as_u16();
        let v = resp
            .json()
            .await
            .context("unexpected answer from the node")?;
        Ok((status, output::clean_json(v)))
    }

    /// Open the server-sent event stream.
    pub async fn events(&self) -> Result<reqwest::Response> {
        let resp = self.send(self.http.get(self.url("/v1/events"))).await?;
        if resp.status().is_success() {
            return Ok(resp);
        }
        Err(Self::decode::<serde_json::Value>(resp)
            .await
            .err()
            .unwrap_or_else(|| anyhow!("event stream refused")))
    }
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
    #[derive(Deserialize)]
    struct Ids {
        ids: Vec<Id>,
    }
    let found: Ids = api.get(&format!("/v1/ids?prefix={t}")).await?;
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

/// The node's answer for `GET /v1/envelopes/{id}` (the fields used here).
#[derive(Debug, Deserialize)]
struct EnvelopeReply {
    bytes: String,
}

/// Fetch a stored envelope and decode its received bytes.
pub(crate) async fn fetch_envelope(api: &Api, id: &Id) -> Result<Envelope> {
    let reply: EnvelopeReply = api.get(&format!("/v1/envelopes/{id}")).await.map_err(|e| {
        // The API answers 404 with "no envelope ... is stored".
        if e.to_string().starts_with("no envelope") {
            anyhow!(
                "no envelope {id} is stored on this node: it may have expired or not \
                     reached it yet (see `aviso feed --all`)"
            )
        } else {
            e
        }
    })?;
    let bytes =
        hex::decode(reply.bytes.trim()).context("the node sent an envelope that is not hex")?;
    Envelope::decode(&bytes).map_err(|e| anyhow!("the node sent a malformed envelope: {e}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

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
