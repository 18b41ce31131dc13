//! Which peers' catch-up answers were useful, and whom a catch-up round asks.
//!
//! A catch-up round after a load drop (see [`super::load`]) asks
//! [`CATCH_UP_PEERS`] peers. Chosen by gossip score alone, the first pick can be a
//! withholder: a peer that answers sync and fetch from an empty store (or not at all)
//! hides nothing honest peers hold, but a round that asks only withholders and a peer in
//! rotation that happens to be one too recovers nothing. So the node remembers, per
//! connected peer, whether each of its last [`HISTORY`] sessions brought envelopes we
//! lacked, and a round asks first the peer whose answers were useful most often (ties:
//! the better gossip score), then one in rotation among the others, so a peer never
//! asked, or honest but quiet until now, still gets its turn.
//!
//! The state is bounded: at most [`MAX_TRACKED`] peers, each forgotten when its last
//! connection closes.

use std::collections::HashMap;

use libp2p::PeerId;

use super::load::CATCH_UP_PEERS;

/// Sessions remembered per peer: the last eight, one bit each. Long enough that one
/// session that found nothing (the node was already in sync with that peer, as most are)
/// does not erase a peer's record, short enough that a peer that turns withholder loses
/// its preference within a few rounds.
pub const HISTORY: u32 = u8::BITS;
/// Peers remembered at most. Connection limits keep the connected peers well below
/// this (a target of 8 to 16, see DESIGN.md); it bounds memory should they not.
pub const MAX_TRACKED: usize = 256;

/// What each connected peer's last sessions brought (see the module documentation).
#[derive(Debug, Default)]
pub struct Helpful {
    /// Per peer, one bit per session, newest lowest: 1 if it brought envelopes we lacked.
    peers: HashMap<PeerId, u8>,
}

impl Helpful {
    /// Record a finished session with `peer`: `brought` says whether it stored envelopes
    /// we lacked. A peer beyond [`MAX_TRACKED`] replaces the least useful one.
    pub fn answered(&mut self, peer: PeerId, brought: bool) {
        if self.peers.len() >= MAX_TRACKED
            && !self.peers.contains_key(&peer)
            && let Some(worst) = self
                .peers
                .iter()
                .min_by_key(|(p, h)| (h.count_ones(), **p))
                .map(|(p, _)| *p)
        {
            self.peers.remove(&worst);
        }
        let h = self.peers.entry(peer).or_default();
        *h = (*h << 1) | u8::from(brought);
    }

    /// Forget `peer` (its last connection closed).
    pub fn forget(&mut self, peer: &PeerId) {
        self.peers.remove(peer);
    }

    /// How many of `peer`'s last [`HISTORY`] sessions brought envelopes we lacked.
    pub fn useful(&self, peer: &PeerId) -> u32 {
        self.peers.get(peer).map_or(0, |h| h.count_ones())
    }

    /// Peers remembered now.
    pub fn len(&self) -> usize {
        self.peers.len()
    }

    /// Whether no peer is remembered.
    pub fn is_empty(&self) -> bool {
        self.peers.is_empty()
    }

    /// Whom a catch-up round asks among `candidates` (peer, gossip score): the most
    /// useful (ties: best score, then peer id), then up to [`CATCH_UP_PEERS`] − 1 of the
    /// others in rotation, starting at `rotation`.
    pub fn choose(&self, mut candidates: Vec<(PeerId, f64)>, rotation: usize) -> Vec<PeerId> {
        candidates.sort_by(|a, b| {
            self.useful(&b.0)
                .cmp(&self.useful(&a.0))
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        let Some((first, rest)) = candidates.split_first() else {
            return Vec::new();
        };
        let mut chosen = vec![first.0];
        if !rest.is_empty() {
            chosen.extend(
                (0..CATCH_UP_PEERS - 1)
                    .map(|i| rest[(rotation + i) % rest.len()].0)
                    .take(rest.len()),
            );
        }
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peers(n: usize) -> Vec<PeerId> {
        (0..n).map(|_| PeerId::random()).collect()
    }

    /// The hostile runs' gap: the best-scored peer was a withholder, and the rotation
    /// could land on another, so the honest peer that had answered usefully before was
    /// not asked. Now it is asked first, whatever the scores and the rotation.
    #[test]
    fn a_peer_whose_answers_were_useful_is_asked_first() {
        let p = peers(4);
        let (honest, withholders) = (p[0], &p[1..]);
        let mut h = Helpful::default();
        for w in withholders {
            h.answered(*w, false);
        }
        h.answered(honest, true);
        // Withholders score better (as quiet Sybils can).
        let candidates = vec![
            (withholders[0], 10.0),
            (withholders[1], 5.0),
            (withholders[2], 5.0),
            (honest, 0.0),
        ];
        for rotation in 0..8 {
            let chosen = h.choose(candidates.clone(), rotation);
            assert_eq!(chosen.len(), CATCH_UP_PEERS);
            assert_eq!(chosen[0], honest, "rotation {rotation}");
        }
        // Before the fix the pick was by score alone: the first withholder.
        assert_eq!(Helpful::default().choose(candidates, 0)[0], withholders[0]);
    }

    #[test]
    fn without_a_record_the_best_score_goes_first_and_the_rest_rotate() {
        let p = peers(3);
        let h = Helpful::default();
        let candidates = vec![(p[0], 1.0), (p[1], 3.0), (p[2], 2.0)];
        let (a, b) = (h.choose(candidates.clone(), 0), h.choose(candidates, 1));
        assert_eq!(a[0], p[1]);
        assert_eq!(b[0], p[1]);
        assert_ne!(a[1], b[1], "the second pick rotates");
        assert!(h.choose(Vec::new(), 0).is_empty());
        assert_eq!(h.choose(vec![(p[0], 0.0)], 3), vec![p[0]]);
    }

    #[test]
    fn a_peer_that_stops_answering_usefully_loses_its_preference() {
        let p = peers(2);
        let mut h = Helpful::default();
        h.answered(p[0], true);
        h.answered(p[1], true);
        h.answered(p[1], true);
        assert_eq!(h.useful(&p[1]), 2);
        for _ in 0..HISTORY {
            h.answered(p[1], false);
        }
        assert_eq!(h.useful(&p[1]), 0);
        assert_eq!(h.choose(vec![(p[0], 0.0), (p[1], 9.0)], 0)[0], p[0]);
    }

    #[test]
    fn state_is_bounded_and_forgets_disconnected_peers() {
        let mut h = Helpful::default();
        let keep = PeerId::random();
        h.answered(keep, true);
        for p in peers(MAX_TRACKED * 2) {
            h.answered(p, false);
        }
        assert_eq!(h.len(), MAX_TRACKED);
        assert_eq!(h.useful(&keep), 1, "the useful peer is not the one evicted");
        h.forget(&keep);
        assert_eq!(h.useful(&keep), 0);
        assert_eq!(h.len(), MAX_TRACKED - 1);
    }
}
