//! `aviso status | peers | sync`: what the node is doing.

use anyhow::Result;
use aviso_node::api::wire::{PeerInfo, StatusReply};

use crate::api_client::Api;
use crate::args::Globals;
use crate::output::{self, Style};
use crate::render::{Cell, human_bytes, rel, span, table};

/// `aviso status`.
pub async fn status(cli: &Globals) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let s = api.status().await?;
    let p = api.peers().await?;
    if cli.json {
        return output::json(&serde_json::json!({ "status": s, "peers": p.peers }));
    }
    print!(
        "{}",
        render_status(&s, &p.peers, aviso_node::unix_now(), Style::stdout())
    );
    Ok(())
}

fn render_status(s: &StatusReply, peers: &[PeerInfo], now: u64, st: Style) -> String {
    let mut o = String::new();
    let label = |o: &mut String, l: &str| o.push_str(&st.bold(&format!("{l:<11}")));
    label(&mut o, "node");
    o.push_str(&format!(
        "{}  (aviso {}, up {})\n",
        s.peer_id,
        s.version,
        span(s.uptime_secs)
    ));
    label(&mut o, "community");
    match &s.community {
        Some(c) => o.push_str(&format!(
            "{}  id {}  ({} root{})\n",
            c.name,
            c.id.get(..12).unwrap_or(&c.id),
            c.roots.len(),
            if c.roots.len() == 1 { "" } else { "s" }
        )),
        None => o.push_str("none (run `aviso community create` or `aviso community join`)\n"),
    }
    label(&mut o, "listening");
    if s.listen_addrs.is_empty() {
        o.push_str("no addresses yet\n");
    }
    for (i, a) in s.listen_addrs.iter().enumerate() {
        if i > 0 {
            o.push_str(&" ".repeat(11));
        }
        o.push_str(a);
        o.push('\n');
    }
    if !s.reachability.summary.is_empty() {
        label(&mut o, "reach");
        o.push_str(&s.reachability.summary);
        o.push('\n');
    }
    label(&mut o, "peers");
    o.push_str(&format!("{} connected\n", s.peers));
    label(&mut o, "stored");
    let kinds: Vec<String> = s
        .store
        .by_kind
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    o.push_str(&format!(
        "{} envelope{}",
        s.store.total,
        if s.store.total == 1 { "" } else { "s" }
    ));
    if !kinds.is_empty() {
        o.push_str(&format!(" ({})", kinds.join(", ")));
    }
    o.push('\n');
    if s.store.damaged > 0 {
        label(&mut o, "damaged");
        o.push_str(&format!(
            "{} record{} damaged or missing at start, fetched again from peers\n",
            s.store.damaged,
            if s.store.damaged == 1 { "" } else { "s" }
        ));
    }
    if !peers.is_empty() {
        label(&mut o, "last sync");
        o.push('\n');
        for p in peers {
            o.push_str(&format!("  {}  {}\n", p.peer_id, sync_summary(p, now, st)));
        }
    }
    o
}

fn sync_summary(p: &PeerInfo, now: u64, st: Style) -> String {
    match &p.last_sync {
        None => st.dim("not yet"),
        Some(s) => {
            let mut t = format!(
                "{}: brought {} envelope{} ({} missing, {} in {} round{})",
                rel(s.at, now),
                s.accepted,
                if s.accepted == 1 { "" } else { "s" },
                s.missing,
                human_bytes(s.bytes_received),
                s.rounds,
                if s.rounds == 1 { "" } else { "s" },
            );
            if s.rejected > 0 {
                t.push_str(&st.yellow(&format!(", {} refused", s.rejected)));
            }
            if let Some(e) = &s.error {
                t.push_str(&st.yellow(&format!(", ended early: {e}")));
            }
            t
        }
    }
}

/// `aviso peers`.
pub async fn peers(cli: &Globals) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let p = api.peers().await?;
    if cli.json {
        return output::json(&p);
    }
    print!(
        "{}",
        render_peers(&p.peers, aviso_node::unix_now(), Style::stdout())
    );
    Ok(())
}

fn render_peers(peers: &[PeerInfo], now: u64, st: Style) -> String {
    if peers.is_empty() {
        return "no peers connected (the node keeps trying its bootstrap peers and the local network)\n".into();
    }
    let rows: Vec<Vec<Cell>> = peers
        .iter()
        .map(|p| {
            let score = p
                .score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "-".into());
            let rtt = p
                .rtt_ms
                .map(|r| format!("{r} ms"))
                .unwrap_or_else(|| "-".into());
            let last = match &p.last_sync {
                None => "-".into(),
                Some(s) => format!("{} (+{})", rel(s.at, now), s.accepted),
            };
            let mesh = if p.in_mesh { "yes" } else { "no" };
            vec![
                p.peer_id.clone().into(),
                p.address.clone().into(),
                p.connection.clone().into(),
                mesh.to_owned().into(),
                score.into(),
                rtt.into(),
                last.into(),
            ]
        })
        .collect();
    let header = [
        "PEER ID",
        "ADDRESS",
        "LINK",
        "MESH",
        "SCORE",
        "RTT",
        "LAST SYNC",
    ];
    let mut o = table(st, &header, &rows).join("\n");
    o.push('\n');
    o
}

/// `aviso sync`.
pub async fn sync(cli: &Globals) -> Result<()> {
    let api = Api::connect(&cli.home_dir())?;
    let reply = api.sync().await?;
    if cli.json {
        return output::json(&reply);
    }
    match reply.started {
        0 => println!("no peers connected: nothing to catch up with"),
        n => println!(
            "started {n} catch-up session{}; `aviso status` shows what they brought",
            if n == 1 { "" } else { "s" }
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::render::tests::{NOW, plain};

    #[test]
    fn status_and_peers_rendering() {
        let s: StatusReply = serde_json::from_value(serde_json::json!({
            "version": "0.1.0", "peer_id": "12D3KooWabc",
            "listen_addrs": ["/ip4/127.0.0.1/tcp/7446", "/ip4/127.0.0.1/udp/7446/quic-v1"],
            "peers": 1, "store": {"total": 3, "by_kind": {"alert": 2, "trust_list": 1, "report": 0}},
            "uptime_secs": 7500,
            "community": {"id": "00112233445566778899", "name": "Mission", "roots": ["aa"]},
            "reachability": {"state": "relayed", "summary": "behind a router: reachable through relay /ip4/203.0.113.1/tcp/7446/p2p/12D3KooWrelay/p2p-circuit/p2p/12D3KooWabc",
                             "public_addrs": [], "reservations": [], "relay_server": false,
                             "relayed_circuits": 0, "relay_reservations_served": 0,
                             "hole_punch_ok": 0, "hole_punch_failed": 0, "upnp": null}
        }))
        .unwrap();
        let p: aviso_node::api::wire::PeersReply =
            serde_json::from_value(serde_json::json!({"peers": [{
                "peer_id": "12D3KooWpeer", "address": "/ip4/127.0.0.1/tcp/9", "in_mesh": true,
                "score": 1.5, "rtt_ms": 3, "connection": "relayed",
                "last_sync": {"at": NOW - 120, "rounds": 2, "fetches": 1, "bytes_sent": 10,
                              "bytes_received": 2048, "missing": 4, "accepted": 4, "rejected": 0,
                              "error": null}
            }]}))
            .unwrap();
        let out = plain(&render_status(&s, &p.peers, NOW, Style::stdout()));
        assert!(
            out.contains("12D3KooWabc  (aviso 0.1.0, up 2 h 5 min)"),
            "{out}"
        );
        assert!(out.contains("Mission  id 001122334455  (1 root)"), "{out}");
        assert!(
            out.contains("           /ip4/127.0.0.1/udp/7446/quic-v1"),
            "{out}"
        );
        assert!(out.contains("3 envelopes (alert 2, trust_list 1)"), "{out}");
        assert!(!out.contains("damaged"), "{out}");
        let mut d = s.clone();
        d.store.damaged = 2;
        let out = plain(&render_status(&d, &p.peers, NOW, Style::stdout()));
        assert!(
            out.contains(
                "damaged    2 records damaged or missing at start, fetched again from peers"
            ),
            "{out}"
        );
        assert!(
            out.contains("reach      behind a router: reachable through relay /ip4/203.0.113.1"),
            "{out}"
        );
        assert!(
            out.contains(
                "12D3KooWpeer  2 min ago: brought 4 envelopes (4 missing, 2.0 KiB in 2 rounds)"
            ),
            "{out}"
        );
        let out = plain(&render_peers(&p.peers, NOW, Style::stdout()));
        assert!(out.contains("yes"), "{out}");
        assert!(out.contains("1.5"), "{out}");
        assert!(out.contains("relayed"), "{out}");
        assert!(out.contains("3 ms"), "{out}");
        assert!(out.contains("2 min ago (+4)"), "{out}");
        assert!(render_peers(&[], NOW, Style::stdout()).contains("no peers"));
    }
}
