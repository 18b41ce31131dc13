//! A small client for the node's local API (127.0.0.1, bearer token from the home).

use std::path::Path;
use std::time::Duration;

use crate::output;
use anyhow::{Context, Result, anyhow, bail};
use aviso_node::home::HomePaths;
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
