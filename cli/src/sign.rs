//! Signing and sending: the member's key (asked for only when a signature is needed),
//! checks that a signature will count, and handing the signed envelope to the node, or to
//! the outbox when the node is not running (it sends the outbox when it starts).

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use aviso_node::api::wire::Outcome;
use aviso_node::home::HomePaths;
use aviso_node::member_key;
pub(crate) use aviso_node::outgoing::{self, a_kind};
pub(crate) use aviso_node::standing::{self, Standing, tombstone_ttl};
use aviso_protocol::{
    Body, Community, CommunityId, Envelope, Kind, PublicKey, RetractReason, Retraction, Role,
    SecretKey,
};
use serde::Serialize;
use zeroize::Zeroizing;

use crate::api_client::{Api, fetch_envelope, not_running, refusal, resolve_id};
use crate::args::Globals;

/// Environment variable that supplies the passphrase instead of a prompt (for scripts and
/// services). Never a flag: flags show up in `ps` and shell history.
pub const PASSPHRASE_ENV: &str = "AVISO_PASSPHRASE";

/// The community this home serves, from its config.
pub fn community(home: &Path) -> Result<Community> {
    Ok(outgoing::community(home)?)
}

/// The id of the community this home serves: the running node's when it answers, so that
/// signing with the node up does not unlock the home's sealed settings; else from the
/// settings (unlocking the home if they are sealed).
pub async fn community_id(home: &Path) -> Result<CommunityId> {
    if let Ok(api) = Api::connect(home)
        && let Ok(status) = api.status().await
        && let Some(c) = status.community
        && let Ok(id) = CommunityId::from_hex(&c.id)
    {
        return Ok(id);
    }
    crate::unlock::unlock_settings(home).await?;
    Ok(community(home)?.id)
}

/// Where a passphrase comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Asked once (to unlock).
    Once,
    /// Asked twice (to set).
    Twice,
}

/// The passphrase from `AVISO_PASSPHRASE`, else from the terminal.
pub fn passphrase(prompt: &str, confirm: Confirm) -> Result<Zeroizing<String>> {
    if let Some(v) = std::env::var_os(PASSPHRASE_ENV) {
        let v = Zeroizing::new(v.into_string().map_err(|_| {
            anyhow!("{PASSPHRASE_ENV} is not valid UTF-8; set it to the passphrase as text")
        })?);
        if v.is_empty() {
            bail!(
                "{PASSPHRASE_ENV} is set but empty; set it to your passphrase, or unset it to be asked"
            );
        }
        return Ok(v);
    }
    let ask = |p: &str| -> Result<Zeroizing<String>> {
        rpassword::prompt_password(p)
            .map(Zeroizing::new)
            .map_err(|e| {
                anyhow!("no terminal to ask for the passphrase ({e}): set {PASSPHRASE_ENV} instead")
            })
    };
    let first = ask(prompt)?;
    if first.is_empty() {
        bail!("the passphrase is empty; choose one, it protects your signing key");
    }
    if confirm == Confirm::Twice {
        let second = ask("Same passphrase again: ")?;
        if *first != *second {
            bail!("the two passphrases differ; run the command again");
        }
    }
    Ok(first)
}

/// The member's secret key, decrypted with the passphrase (prompt or AVISO_PASSPHRASE).
pub fn load_secret(home: &Path) -> Result<SecretKey> {
    let kf = member_key::read(home)?;
    let pass = passphrase(
        &format!("Passphrase for signing key {}: ", kf.public().fingerprint()),
        Confirm::Once,
    )?;
    match member_key::open(home, &kf, pass.as_bytes()) {
        Ok(secret) => Ok(secret),
        Err(e @ member_key::MemberKeyError::WrongPassphrase { .. })
            if aviso_node::at_rest::is_duress_passphrase(home, pass.as_bytes()) =>
        {
            Err(Duress(e).into())
        }
        Err(e) => Err(e.into()),
    }
}

/// A signing prompt answered with the home's duress passphrase: someone made the member
/// sign in front of them. It reads exactly like a wrong passphrase (the check after any
/// wrong one costs the same derivation); `main` wipes the home when it sees it
/// ([`crate::cmd::panic::wipe_now`]) and prints only this message.
#[derive(Debug)]
pub struct Duress(member_key::MemberKeyError);

impl std::fmt::Display for Duress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Duress {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// The member's public key (no passphrase needed).
pub fn load_public(home: &Path) -> Result<PublicKey> {
    Ok(member_key::read(home)?.public())
}

/// What happened to a signed envelope.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    /// The envelope id (hex).
    pub id: String,
    /// `accepted`, `duplicate` or `queued` (in the outbox, node not running).
    pub status: &'static str,
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
    let now = aviso_node::unix_now();
    Ok(outgoing::sign(&c, secret, body, ttl, now, not_before)?)
}

/// Publish signed envelope bytes through the node, or queue them in the outbox.
pub async fn send_envelope(cli: &Globals, env: &Envelope) -> Result<Sent> {
    let home = cli.home_dir();
    let id = env.id().to_hex();
    // Only a node that is not there gets the outbox (it is read when the node starts);
    // any other failure is reported, so nothing waits unseen behind a running node.
    let api = match Api::connect(&home) {
        Ok(api) => api,
        Err(e) if not_running(&e) => return queue(&home, env),
        Err(e) => return Err(e),
    };
    let reply = match api.publish(env.bytes()).await {
        Ok(r) => r,
        Err(e) if not_running(&e) => return queue(&home, env),
        Err(e) => {
            return Err(
                e.context("the node did not confirm it; check `aviso status`, then send it again")
            );
        }
    };
    let status = match reply.outcome {
        Outcome::Accepted { .. } => "accepted",
        Outcome::Duplicate { .. } => "duplicate",
        other => bail!("the node refused it: {}", refusal(&other)),
    };
    Ok(Sent { id, status })
}

/// Sign (created no earlier than `not_before`) and publish in one step.
pub async fn sign_and_send(
    cli: &Globals,
    secret: &SecretKey,
    body: &Body,
    ttl: u64,
    not_before: u64,
) -> Result<Sent> {
    let id = community_id(&cli.home_dir()).await?;
    let env = outgoing::sign_for(id, secret, body, ttl, aviso_node::unix_now(), not_before)?;
    send_envelope(cli, &env).await
}

fn queue(home: &Path, env: &Envelope) -> Result<Sent> {
    let path = HomePaths::new(home).queue_outbox(&env.id().to_hex(), env.bytes())?;
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
pub fn print_sent(cli: &Globals, what: &str, sent: &Sent) -> Result<()> {
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

/// Validate `body`, then ask for the key (only now, so a typo costs no passphrase), sign,
/// publish (or queue when the node is not running) and print the id.
pub(crate) async fn send_body(cli: &Globals, what: &str, body: Body, ttl: u64) -> Result<()> {
    send_body_after(cli, what, body, ttl, 0).await
}

/// [`send_body`], created no earlier than `not_before` (see [`sign_after`]).
pub(crate) async fn send_body_after(
    cli: &Globals,
    what: &str,
    body: Body,
    ttl: u64,
    not_before: u64,
) -> Result<()> {
    outgoing::check(&body, what, ttl, aviso_node::unix_now())?;
    let home = cli.home_dir();
    community_id(&home).await?;
    let secret = load_secret(&home)?;
    let sent = sign_and_send(cli, &secret, &body, ttl, not_before).await?;
    print_sent(cli, what, &sent)
}

/// Withdraw `id` (which must be of `kind`) with a retraction that outlives it.
///
/// Before asking for the passphrase, checks that the retraction will count: its author
/// may withdraw its own message; anyone else must be an organizer for the target's area
/// and category (and, for resources, hold the `resources` permission). A retraction of
/// an alert whose category needs k signatures waits for k - 1 co-signers.
pub(crate) async fn retract(
    cli: &Globals,
    id: &str,
    reason: RetractReason,
    kind: Kind,
) -> Result<()> {
    let home = cli.home_dir();
    let api = Api::connect(&home)?;
    let id = resolve_id(&api, id).await?;
    let target = fetch_envelope(&api, &id).await?;
    if target.kind() != kind {
        bail!(
            "{} is {}, not {}{}",
            id.short(),
            a_kind(target.kind()),
            a_kind(kind),
            hint_for_kind(target.kind())
        );
    }
    let me = load_public(&home)?;
    let standing = standing(&api, &me).await?;
    let now = aviso_node::unix_now();
    let (areas, category, needed) = outgoing::retract_scope(target.body(), &standing);
    if target.author() != me {
        standing
            .check(Role::Organizer, areas, category, now)
            .map_err(|r| {
                anyhow!(
                    "you may not withdraw {} {}: {r}; only its author or an organizer for its area and category can",
                    a_kind(kind),
                    id.short()
                )
            })?;
    }
    let lives_until = match target.kind() {
        Kind::Alert => thread_expiry(&api, &target).await?,
        _ => target.expires_at(),
    };
    let ttl = tombstone_ttl(
        lives_until,
        aviso_node::unix_now(),
        Kind::Retraction.max_ttl(),
    );
    let body = Body::Retraction(Retraction { target: id, reason });
    send_body(cli, "retraction", body, ttl).await?;
    cosign_note(cli, needed, "the retraction takes effect");
    Ok(())
}

/// When the last version of `target`'s update thread expires (see
/// [`standing::thread_expiry`]).
pub(crate) async fn thread_expiry(api: &Api, target: &Envelope) -> Result<u64> {
    let feed = api.feed(true, None, None).await?.feed;
    Ok(standing::thread_expiry(
        &feed,
        target.id(),
        target.expires_at(),
    ))
}

/// For a category that needs `needed` signatures, say what waits for co-signers.
pub(crate) fn cosign_note(cli: &Globals, needed: u8, effect: &str) {
    if needed > 1 && !cli.json {
        let more = needed - 1;
        let (s, verb) = if more == 1 { ("", "s") } else { ("s", "") };
        println!(
            "Alerts of this category need {needed} signatures: {effect} once {more} more organizer{s} co-sign{verb} it with `aviso alert endorse <ID>`."
        );
    }
}

/// What the running node's followed lists say about `me`.
pub(crate) async fn standing(api: &Api, me: &PublicKey) -> Result<Standing> {
    Ok(Standing::of(api.trust().await?, me))
}

/// Which command acts on a kind, for "wrong kind" errors.
pub(crate) fn hint_for_kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Alert => ": use `aviso alert ...`",
        Kind::Report => ": use `aviso report confirm` or `aviso report dismiss`",
        Kind::Resource => ": use `aviso resource send` (same --key) or `aviso resource withdraw`",
        _ => "",
    }
}
