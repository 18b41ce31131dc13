//! `aviso feed`: what the member sees now.
//!
//! The feed is computed by the node (the display rule lives in the protocol crate); this
//! module only renders it. Trusted alerts come first; unverified reports are always set
//! apart and labelled; exercises and tests are labelled on every line they appear.

use anyhow::{Context, Result};
use aviso_protocol::lang::validate_lang;
use clap::Args;

use crate::api_client::Api;
use crate::args::Globals;
use crate::output::{self, Style};
use crate::render::{relang_feed, render_feed};

/// Options of `aviso feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Also hidden items (expired, cancelled, replaced, untrusted ...), with the reasons.
    #[arg(long)]
    pub all: bool,
    /// Show texts in this language when a message has it (overrides your preference for
    /// this call).
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
}

/// `aviso feed`.
pub async fn feed(cli: &Globals, a: &FeedArgs) -> Result<()> {
    if let Some(l) = &a.lang {
        validate_lang(l).context("--lang")?;
    }
    let api = Api::connect(&cli.home_dir())?;
    let mut reply = api.feed(a.all, None, None).await?;
    if let Some(l) = &a.lang {
        relang_feed(&mut reply.feed, l);
    }
    if cli.json {
        return output::json(&reply);
    }
    let st = Style::stdout();
    print!(
        "{}",
        render_feed(&reply.feed, aviso_node::unix_now(), st, a.all)
    );
    if reply.next.is_some() {
        // The node sends the newest page of reports only.
        let all = if a.all { " --all" } else { "" };
        println!(
            "{}",
            st.dim(&format!(
                "(the newest reports only: `aviso report list{all} --limit 500` shows more)"
            ))
        );
    }
    Ok(())
}
