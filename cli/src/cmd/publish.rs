//! Signing a body with the member's key and handing it to the node, or to the outbox
//! when the node is not running (it sends the outbox when it starts).

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::config::Config;
use aviso_node::home::HomePaths;
use aviso_protocol::{Body, Community, Envelope, SecretKey};
use serde::Serialize;

use crate::Cli;
use crate::api_client::{Api, NotRunning};

/// What happened to a signed envelope.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    /// The envelope id (hex).
    pub id: String,
    /// `accepted`, `duplicate` or `queued` (in the outbox, node not running).
    pub status: &'static str,
}

/// The community this home serves, from its config.
pub fn community(home: &Path) -> Result<Community> {
    let cfg = Config::load(&HomePaths::new(home).config_path())?;
    cfg.community()?
        .ok_or_else(|| anyhow!("this home has joined no community: run `aviso community create` (organizers) or `aviso community join INVITE`"))
}

/// Current unix time.
pub fn now() -> u64 {
    aviso_node::unix_now()
}

/// Sign `body` with `secret` for the home's community, valid for `ttl` seconds from now.
pub fn sign(home: &Path, secret: &SecretKey, body: &Body, ttl: u64) -> Result<Envelope> {
    sign_after(home, secret, body, ttl, 0)
}

/// [`sign`], created no earlier than `not_before` (unix seconds): a new version of a
/// resource notice is created after the version it replaces even when both are signed
/// within one second (creation times have one-second resolution).
pub fn sign_after(
    home: &Path,
    secret: &SecretKey,
    body: &Body,
    ttl: u64,
    not_before: u64,
) -> Result<Envelope> {
    let c = community(home)?;
    let t = now().max(not_before);
    let max = body.kind().max_ttl();
    if ttl == 0 || ttl > max {
        bail!(
            "the expiry must be between 1 second and {} days from now",
            max / 86_400
        );
    }
    Envelope::sign(secret, c.id, body, t, t + ttl).map_err(|e| anyhow!("cannot sign: {e}"))
}

/// Publish signed envelope bytes through the node, or queue them in the outbox.
pub async fn send_envelope(cli: &Cli, env: &Envelope) -> Result<Sent> {
    let home = cli.home_dir();
    let id = env.id().to_hex();
    // Only a node that is not there gets the outbox (it is read when the node starts);
    // any other failure is reported, so nothing waits unseen behind a running node.
    let api = match Api::connect(&home) {
        Ok(api) => api,
        Err(e) if e.is::<NotRunning>() => return queue(&home, env),
        Err(e) => return Err(e),
    };
    let body = serde_json::json!({ "envelope": hex::encode(env.bytes()) });
    let (code, v) = match api.post_raw("/v1/publish", &body).await {
        Ok(r) => r,
        Err(e) if e.is::<NotRunning>() => return queue(&home, env),
        Err(e) => {
            return Err(
                e.context("the node did not confirm it; check `aviso status`, then send it again")
            );
        }
    };
    match v["outcome"].as_str() {
        Some("accepted") => Ok(Sent {
            id,
            status: "accepted",
        }),
        Some("duplicate") => Ok(Sent {
            id,
            status: "duplicate",
        }),
        _ => {
            let reason = v["reason"]
                .as_str()
                .or(v["error"].as_str())
                .unwrap_or("unknown reason");
            bail!("the node refused it (HTTP {code}): {reason}")
        }
    }
}

/// Sign (created no earlier than `not_before`) and publish in one step.
pub async fn sign_and_send(
    cli: &Cli,
    secret: &SecretKey,
    body: &Body,
    ttl: u64,
    not_before: u64,
) -> Result<Sent> {
    let env = sign_after(&cli.home_dir(), secret, body, ttl, not_before)?;
    send_envelope(cli, &env).await
}

fn queue(home: &Path, env: &Envelope) -> Result<Sent> {
    let dir = home.join("outbox");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("{}.env", env.id().to_hex()));
    let tmp = dir.join(format!(".{}.tmp", env.id().to_hex()));
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        f.write_all(env.bytes())
            .and_then(|()| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
    }
    std::fs::rename(&tmp, &path).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "the node is not running: saved to the outbox ({}); it is sent when `aviso node` starts",
        path.display()
    );
    Ok(Sent {
        id: env.id().to_hex(),
        status: "queued",
    })
}

/// Print what happened, for people or as JSON.
pub fn print_sent(cli: &Cli, what: &str, sent: &Sent) -> Result<()> {
    if cli.json {
        return crate::output::json(sent);
    }
    match sent.status {
        "queued" => println!("{what} signed and queued: {}", sent.id),
        "duplicate" => println!("{what} was already stored: {}", sent.id),
        _ => println!("{what} sent: {}", sent.id),
    }
    Ok(())
}
