//! `aviso respond <alert> --role ROLE [--eta 15m] | --cant | --withdraw`: answer a live
//! alert. The answer is signed with your key and gossiped to every node of the
//! community: organizers see how many are coming in each role, members a count.

use anyhow::{Result, bail};
use aviso_protocol::response::MAX_ETA_MINUTES;
use aviso_protocol::{Answer, ResponderRole};
use clap::{ArgGroup, Args};

use crate::api_client::{Api, fetch_envelope, resolve_id};
use crate::args::Globals;
use crate::sign;

/// Seconds a response ends before its alert: signing reads the clock again, and a
/// response that outlived its alert by one second would be refused.
const SIGN_MARGIN_SECS: u64 = 5;

/// Options of `aviso respond`.
#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("answer").required(true).args(["role", "cant", "withdraw"])))]
pub struct RespondArgs {
    /// The alert: its id, or the first characters shown by `aviso feed`.
    pub alert: String,
    /// I'm responding, as: legal-observer, driver, interpreter or accompaniment.
    #[arg(long, value_name = "ROLE", value_parser = role_parser)]
    pub role: Option<ResponderRole>,
    /// When you expect to be there: 10m, 1h ... (at most 12h).
    #[arg(long, value_name = "DURATION", requires = "role")]
    pub eta: Option<String>,
    /// I can't respond this time.
    #[arg(long)]
    pub cant: bool,
    /// Take back your earlier answer to this alert.
    #[arg(long)]
    pub withdraw: bool,
}

fn role_parser(s: &str) -> Result<ResponderRole, String> {
    ResponderRole::parse(s).ok_or_else(|| {
        let names: Vec<&str> = ResponderRole::ALL.iter().map(|r| r.as_str()).collect();
        format!("not a role: use one of {}", names.join(", "))
    })
}

/// The answer the options give.
fn answer(a: &RespondArgs) -> Result<Answer> {
    if a.cant {
        return Ok(Answer::CantRespond);
    }
    if a.withdraw {
        return Ok(Answer::Withdrawn);
    }
    let Some(role) = a.role else {
        bail!("say how you answer: --role ROLE, --cant or --withdraw");
    };
    let eta_minutes = match &a.eta {
        None => None,
        Some(s) => {
            let secs = aviso_node::input::duration_of("--eta", s)?;
            let minutes = u16::try_from(secs.div_ceil(60))
                .ok()
                .filter(|m| *m <= MAX_ETA_MINUTES);
            let Some(m) = minutes else {
                bail!("--eta {s} is too far away: give at most 12h");
            };
            Some(m)
        }
    };
    Ok(Answer::Responding { role, eta_minutes })
}

/// Answer a live alert: the response lives as long as the alert (never longer).
pub async fn respond(cli: &Globals, a: &RespondArgs) -> Result<()> {
    let answer = answer(a)?;
    let api = Api::connect(&cli.home_dir())?;
    let id = resolve_id(&api, &a.alert).await?;
    // Only a live alert takes answers; this also says so before any passphrase is asked.
    api.responses(&id, None).await?;
    let alert = fetch_envelope(&api, &id).await?;
    let what = match answer {
        Answer::Responding { .. } => "response",
        Answer::CantRespond => "answer",
        Answer::Withdrawn => "withdrawal",
    };
    // The key first (a passphrase prompt takes its time), then the life: to the alert's
    // end, which a response may not outlive.
    let home = cli.home_dir();
    let secret = sign::load_secret(&home)?;
    let ttl = alert
        .expires_at()
        .saturating_sub(aviso_node::unix_now() + SIGN_MARGIN_SECS);
    if ttl == 0 {
        bail!("{} has expired: it takes no answers", id.short());
    }
    // After this key's latest answer, to the second, so that this one replaces it (the
    // web app may have dated its last answer a second ahead).
    let not_before = api
        .responses(&id, Some(&secret.public()))
        .await?
        .next_answer_at
        .unwrap_or(0);
    let body = aviso_node::respond::body(id, answer);
    let sent = sign::sign_and_send(cli, &secret, &body, ttl, not_before).await?;
    sign::print_sent(cli, what, &sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(role: Option<&str>, eta: Option<&str>) -> RespondArgs {
        RespondArgs {
            alert: "abcdef".into(),
            role: role.map(|r| role_parser(r).expect("a role")),
            eta: eta.map(str::to_owned),
            cant: false,
            withdraw: false,
        }
    }

    #[test]
    fn options_give_the_answer() {
        assert_eq!(
            answer(&args(Some("legal-observer"), Some("15m"))).unwrap(),
            Answer::Responding {
                role: ResponderRole::LegalObserver,
                eta_minutes: Some(15)
            }
        );
        assert!(answer(&args(Some("driver"), Some("13h"))).is_err());
        assert!(role_parser("pilot").is_err());
    }
}
