//! Mesh audit: finds gossip mesh peers that never deliver, counting in envelopes rather
//! than in time.
//!
//! A black-hole Sybil joins our gossip mesh and forwards nothing: it takes a mesh slot,
//! and with a small mesh a node whose slots are mostly taken misses alerts. Gossipsub's
//! own remedy, P3 mesh-delivery scoring, counts deliveries per unit of time. Alerts are
//! rare (hours or days apart), so any window that catches a black hole within a few
//! alerts would also punish every honest mesh peer of a quiet community, and the mesh
//! would churn while nothing happens.
//!
//! So the node counts in envelopes instead, and only when its mesh failed it. Each time
//! an envelope new to us arrives first from a peer *outside* our mesh (an IWANT answer
//! to its IHAVE, most often), every peer in our mesh at that moment scores a *miss*: an
//! honest mesh peer that held the envelope would have pushed it to us sooner. A mesh
//! peer that brings us anything first has its misses reset. A mesh peer with
//! [`GossipTuning::audit_rounds`](super::GossipTuning) misses in a row is *suspect*: the
//! event loop gives it a negative application score (gossipsub's P5), so gossipsub prunes
//! it from the mesh at the next heartbeat and refuses its grafts, and grafts another peer
//! in its place. Suspicion ends when the peer first-delivers anything or after
//! [`SUSPECT_FOR`].
//!
//! While the mesh delivers, nobody is suspected: a mesh peer that never brings anything
//! first may simply be downstream of us (it had every envelope from us), and pruning it
//! would cut its path. (A first version counted a miss for every mesh peer but the one
//! that delivered; in the simulator it pruned such downstream peers and, with as many
//! black holes as honest nodes, cut the honest mesh apart: the last alerts reached 2% of
//! the nodes. BENCHMARKS.md.) Nothing happens while nothing is published.
//!
//! Off by default (`audit_rounds` 0) until this version is measured in the simulator
//! (`aviso-sim --audit-rounds 3 --audit-score=-20`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use libp2p::PeerId;

/// How long a suspect peer stays out of our mesh, unless it first-delivers something
/// sooner. Thirty minutes: long enough that a black hole, which re-grafts as soon as its
/// prune backoff (one minute) ends, holds no slot for a whole burst of alerts; short
/// enough that an honest peer suspected by bad luck is back well before the next quiet
/// day ends.
pub const SUSPECT_FOR: Duration = Duration::from_secs(30 * 60);
/// Peers audited at once. The connection limits keep the connected peers far below it;
/// suspects stay listed after they disconnect (so reconnecting does not clear them), and
/// this bounds what a stream of fresh Sybil ids can make us remember. Past it, new
/// peers are not audited until entries expire.
pub const MAX_AUDITED: usize = 1024;

#[derive(Debug, Default, Clone, Copy)]
struct Standing {
    /// Envelopes in a row that arrived while the peer was in our mesh, first from
    /// someone else.
    misses: u32,
    /// Until when the peer is suspect.
    suspect_until: Option<Instant>,
}

/// A change of a peer's standing, for the event loop to pass to gossipsub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The peer missed too many envelopes in a row: score it down.
    Suspect(PeerId),
    /// The peer delivered, or its suspicion lapsed: score it as anyone.
    Cleared(PeerId),
}

/// The audit of our mesh peers (see the module doc).
#[derive(Debug)]
pub struct MeshAudit {
    rounds: u32,
    peers: HashMap<PeerId, Standing>,
}

impl MeshAudit {
    /// An audit that suspects a mesh peer after `rounds` misses in a row; 0 turns it off.
    pub fn new(rounds: u32) -> MeshAudit {
        MeshAudit {
            rounds,
            peers: HashMap::new(),
        }
    }

    /// An envelope new to us arrived first from `source`, while `mesh` were our mesh
    /// peers. Returns the peers whose standing changed.
    pub fn delivered(&mut self, source: PeerId, mesh: &[PeerId], now: Instant) -> Vec<Change> {
        let mut changes = Vec::new();
        if self.rounds == 0 {
            return changes;
        }
        if let Some(s) = self.peers.get_mut(&source) {
            s.misses = 0;
            if s.suspect_until.take().is_some() {
                changes.push(Change::Cleared(source));
            }
        }
        if mesh.contains(&source) {
            // Our mesh works: whoever did not bring it may have had it from us.
            return changes;
        }
        for p in mesh {
            if !self.peers.contains_key(p) && self.peers.len() >= MAX_AUDITED {
                continue;
            }
            let s = self.peers.entry(*p).or_default();
            s.misses = s.misses.saturating_add(1);
            if s.misses >= self.rounds && s.suspect_until.is_none() {
                s.suspect_until = Some(now + SUSPECT_FOR);
                changes.push(Change::Suspect(*p));
            }
        }
        changes
    }

    /// End the suspicions that lapsed by `now`; returns the peers cleared.
    pub fn expire(&mut self, now: Instant) -> Vec<Change> {
        let mut changes = Vec::new();
        for (p, s) in self.peers.iter_mut() {
            if s.suspect_until.is_some_and(|t| t <= now) {
                s.suspect_until = None;
                s.misses = 0;
                changes.push(Change::Cleared(*p));
            }
        }
        changes
    }

    /// `peer`'s last connection closed: forget it, unless it is suspect (reconnecting
    /// must not clear a suspicion; [`MeshAudit::expire`] ends it).
    pub fn disconnected(&mut self, peer: &PeerId) {
        if self
            .peers
            .get(peer)
            .is_some_and(|s| s.suspect_until.is_none())
        {
            self.peers.remove(peer);
        }
    }

    /// Peers suspect now.
    pub fn suspects(&self) -> usize {
        self.peers
            .values()
            .filter(|s| s.suspect_until.is_some())
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peers(n: usize) -> Vec<PeerId> {
        (0..n).map(|_| PeerId::random()).collect()
    }

    #[test]
    fn mesh_peers_become_suspect_after_k_envelopes_that_came_from_outside_the_mesh() {
        let mut a = MeshAudit::new(3);
        let p = peers(4);
        let (mesh, outsider, t) = (&p[..3], p[3], Instant::now());
        // The mesh delivers: nobody is suspected, however often the same peer brings it
        // (the others may have had it from us).
        for _ in 0..20 {
            assert!(a.delivered(p[0], mesh, t).is_empty());
        }
        // The mesh fails three times in a row for p[1] and p[2]; p[0] brought one in
        // between, so its count starts again.
        assert!(a.delivered(outsider, mesh, t).is_empty());
        assert!(a.delivered(outsider, mesh, t).is_empty());
        assert!(a.delivered(p[0], mesh, t).is_empty());
        assert_eq!(
            a.delivered(outsider, mesh, t),
            vec![Change::Suspect(p[1]), Change::Suspect(p[2])]
        );
        assert_eq!(a.suspects(), 2);
    }

    #[test]
    fn suspicion_ends_on_a_first_delivery_or_after_a_while() {
        let mut a = MeshAudit::new(1);
        let p = peers(3);
        let t = Instant::now();
        assert_eq!(a.delivered(p[2], &p[1..2], t), vec![Change::Suspect(p[1])]);
        // It brought something first (through IHAVE, from outside our mesh).
        assert_eq!(a.delivered(p[1], &[], t), vec![Change::Cleared(p[1])]);
        assert_eq!(a.delivered(p[2], &p[1..2], t), vec![Change::Suspect(p[1])]);
        assert!(a.expire(t + SUSPECT_FOR / 2).is_empty());
        assert_eq!(a.expire(t + SUSPECT_FOR), vec![Change::Cleared(p[1])]);
        assert_eq!(a.suspects(), 0);
    }

    #[test]
    fn only_envelopes_count_not_time() {
        // A quiet day suspects nobody: nothing was published, so nobody missed anything.
        let mut a = MeshAudit::new(2);
        let p = peers(3);
        let t = Instant::now();
        assert!(a.expire(t + Duration::from_secs(86_400)).is_empty());
        assert!(a.delivered(p[0], &p[1..], t).is_empty());
        assert!(
            a.delivered(p[0], &p[1..], t + Duration::from_secs(86_400))
                .contains(&Change::Suspect(p[2]))
        );
    }

    #[test]
    fn reconnecting_does_not_clear_a_suspect_and_memory_is_bounded() {
        let mut a = MeshAudit::new(1);
        let p = peers(2);
        let t = Instant::now();
        a.delivered(p[0], &p[1..], t);
        a.disconnected(&p[1]);
        a.disconnected(&p[0]);
        assert_eq!(a.suspects(), 1);
        assert_eq!(a.peers.len(), 1);
        let many = peers(MAX_AUDITED + 10);
        a.delivered(p[0], &many, t);
        assert!(a.peers.len() <= MAX_AUDITED);
        let off = MeshAudit::new(0).delivered(p[0], &p, t);
        assert!(off.is_empty());
    }
}
