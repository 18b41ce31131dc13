//! `aviso demo`: a throw-away local mesh of three nodes with a sample community, trust
//! list, multilingual alert and resource, so a newcomer sees the whole flow at once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use aviso_node::config::Config;
use aviso_node::home::Home;
use aviso_protocol::fixtures::info;
use aviso_protocol::*;
use clap::Args;
use tokio::sync::watch;

use crate::api_client::Api;
use crate::args::Globals;
use crate::render::render_feed;

/// Options of `aviso demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Stop as soon as the alert has reached the third node (for scripts and tests).
    #[arg(long)]
    pub once: bool,
    /// Where to put the three homes (default: a new temporary directory, removed at the end).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

struct Demo {
    dirs: Vec<PathBuf>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<Result<()>>>,
}

fn random_seed() -> Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow!("no randomness from the OS: {e}"))?;
    Ok(seed)
}

impl Demo {
    async fn start_node(
        &mut self,
        dir: &Path,
        community: &Community,
        bootstrap: Vec<String>,
    ) -> Result<Api> {
        let mut home = Home::open(dir)?;
        // A throwaway demo home: a key file beside it unlocks it.
        home.unlock(&[aviso_node::at_rest::Secret::KeyFile(
            dir.join("demo-data.key"),
        )])?;
        let mut cfg = Config::defaults()?;
        cfg.listen = vec!["/ip4/127.0.0.1/tcp/0".into()];
        cfg.api_listen = "127.0.0.1:0".into();
        cfg.mdns = false;
        cfg.bootstrap = bootstrap;
        cfg.community = Some(community.to_invite());
        cfg.feed.languages = vec!["es".into(), "en".into()];
        cfg.save(&home.config_path())?;
        let mut rx = self.stop.subscribe();
        let stop = async move {
            let _ = rx.wait_for(|v| *v).await;
        };
        self.tasks.push(tokio::spawn(async move {
            aviso_node::daemon::run(home, cfg, stop)
                .await
                .map_err(anyhow::Error::from)
        }));
        self.dirs.push(dir.to_path_buf());
        let start = Instant::now();
        loop {
            if let Ok(api) = Api::connect(dir)
                && api.status().await.is_ok()
            {
                return Ok(api);
            }
            if start.elapsed() > Duration::from_secs(20) {
                bail!("the demo node in {} did not start", dir.display());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }
}

/// The node's first listen address with its peer id, for others to dial.
async fn dial_addr(api: &Api) -> Result<String> {
    let status = api.status().await?;
    let addr = status
        .listen_addrs
        .first()
        .ok_or_else(|| anyhow!("the demo node listens nowhere"))?;
    Ok(format!("{addr}/p2p/{}", status.peer_id))
}

async fn publish(api: &Api, env: &Envelope) -> Result<()> {
    let reply = api.publish(env.bytes()).await?;
    if !reply.outcome.is_stored() {
        bail!(
            "the demo node refused a sample message: {:?}",
            reply.outcome
        );
    }
    Ok(())
}

/// `aviso demo`.
pub async fn run(cli: &Globals, a: &DemoArgs) -> Result<()> {
    let tmp;
    let root = match &a.dir {
        Some(d) => d.clone(),
        None => {
            tmp = tempfile::tempdir().context("cannot create a temporary directory")?;
            tmp.path().to_path_buf()
        }
    };
    let organizer = SecretKey::from_seed(&random_seed()?);
    let member = SecretKey::from_seed(&random_seed()?);
    let mut salt = [0; community::SALT_LEN];
    salt.copy_from_slice(&random_seed()?[..community::SALT_LEN]);
    let community = Community::new(
        &organizer,
        salt,
        "Demo: Mission rapid response",
        vec![organizer.public()],
        vec![],
    )?;
    let (stop, _) = watch::channel(false);
    let mut demo = Demo {
        dirs: vec![],
        stop,
        tasks: vec![],
    };
    println!(
        "Starting three nodes on 127.0.0.1 in {} ...",
        root.display()
    );
    let result = async {
        // A line: organizer <-> neighbour <-> member, so the alert crosses two hops.
        let a_api = demo.start_node(&root.join("organizer"), &community, vec![]).await?;
        let b_api = demo.start_node(&root.join("neighbour"), &community, vec![dial_addr(&a_api).await?]).await?;
        let c_api = demo.start_node(&root.join("member"), &community, vec![dial_addr(&b_api).await?]).await?;

        let t = aviso_node::unix_now();
        let list = fixtures::trust_list(
            "Mission rapid response",
            1,
            vec![fixtures::entry(member.public(), Role::Member, "Neighbour with a node")],
        );
        let list = Envelope::sign(&organizer, community.id, &Body::TrustList(list), t, t + 30 * 86_400)?;
        let alert = Alert {
            category: Category::Checkpoint,
            severity: Severity::Severe,
            urgency: Urgency::Immediate,
            certainty: Certainty::Observed,
            status: Status::Exercise,
            msg_type: MsgType::Alert,
            references: vec![],
            areas: vec![Area::parse("9q8yy")?],
            area_desc: Some("Mission St & 24th St".into()),
            onset: Some(t),
            info: vec![
                info("en", "Checkpoint at Mission & 24th", "Agents stopping cars at the corner.", "Avoid the area. You have the right to remain silent."),
                info("es", "Retén en Mission y 24", "Agentes deteniendo carros en la esquina.", "Evite la zona. Tiene derecho a guardar silencio."),
            ],
            confirms: vec![],
        };
        let alert = Envelope::sign(&organizer, community.id, &Body::Alert(alert), t, t + 6 * 3600)?;
        let resource = Resource {
            resource_key: "legal-hotline".into(),
            kind: ResourceKind::Helpline,
            info: vec![
                ResourceInfo { lang: "en".into(), name: "Rapid response hotline".into(), description: "Report raids, get legal help.".into(), hours: "24/7".into() },
                ResourceInfo { lang: "es".into(), name: "Línea de respuesta rápida".into(), description: "Reporte redadas, reciba ayuda legal.".into(), hours: "24/7".into() },
            ],
            phone: Some("+1 415 555 0100".into()),
            url: None,
            address: None,
            areas: vec![Area::parse("9q8y")?],
            languages_spoken: vec!["en".into(), "es".into()],
            free: true,
            no_id_required: true,
            confidential: true,
            walk_in: false,
            starts_at: None,
            ends_at: None,
        };
        let resource = Envelope::sign(&organizer, community.id, &Body::Resource(resource), t, t + 90 * 86_400)?;
        println!("The organizer signs a trust list, a bilingual alert (an exercise) and a hotline notice ...");
        for env in [&list, &alert, &resource] {
            publish(&a_api, env).await?;
        }
        let start = Instant::now();
        loop {
            let feed = c_api.feed(false, None, None).await?.feed;
            let shown = !feed.alerts.is_empty() && !feed.resources.is_empty();
            if shown {
                break;
            }
            if start.elapsed() > Duration::from_secs(30) {
                bail!("the alert did not reach the member's node within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        println!("... and it reached the member's node, two hops away. Its feed (preferred language: es):\n");
        let reply = c_api.feed(false, None, None).await?;
        if cli.json {
            crate::output::json(&reply)?;
        } else {
            let st = crate::output::Style::stdout();
            print!("{}", render_feed(&reply.feed, aviso_node::unix_now(), st, false));
        }
        Ok::<(), anyhow::Error>(())
    }
    .await;
    if result.is_ok() && !a.once {
        println!("\nThe demo mesh keeps running. In another terminal, try:");
        println!("  aviso --home {} watch", root.join("member").display());
        println!("  aviso --home {} status", root.join("organizer").display());
        println!(
            "Press Ctrl-C to stop it{}.",
            if a.dir.is_none() {
                " (the temporary homes are removed)"
            } else {
                ""
            }
        );
        aviso_node::daemon::shutdown_signal().await;
    }
    demo.stop().await;
    result
}
