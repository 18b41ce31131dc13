//! Catch-up after gossip dropped for load.
//!
//! Gossipsub records a message id in its duplicate cache when the message arrives, before
//! the node judges it (and, for messages over 1 KB, tells its mesh peers IDONTWANT), and
//! gossipsub 0.50 (libp2p 0.57) offers no way to forget an id: an `Ignore` verdict only
//! removes the message from the memcache. So when the node drops a copy for
//! load (the sending peer over its rate limit, the ingest queue full), identical copies
//! from honest peers are dropped as duplicates for the whole duplicate-cache window (ten
//! minutes), and gossip never delivers that envelope. An attacker can use this to hide a
//! real alert: spend its own budget, then forward the alert first.
//!
//! Every load drop therefore schedules catch-up by negentropy reconciliation with peers
//! other than the ones that were over their own limit: a round soon after the drop
//! (debounced, so a flood costs one round a second) and one more a while after the last
//! drop, for copies that were still on their way to our neighbours at the first round.
//! This state machine decides when; the event loop picks the peers and runs the sessions.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use libp2p::PeerId;

/// Delay from a load drop to the catch-up round it triggers. Drops within it share the
/// round, so a flood costs at most one round per delay. One second: the honest copy of a
/// message a neighbour sent us has normally reached it (and been stored there) by then.
pub const CATCH_UP_DELAY: Duration = Duration::from_secs(1);
/// Delay from the last load drop to a final round, for a copy that reached our honest
/// neighbours only after the first round. Gossip crosses a mesh of a thousand nodes in
/// well under a second and gossipsub's own IHAVE repair within a few heartbeats; ten
/// seconds leaves room for a slow path.
pub const CATCH_UP_AGAIN: Duration = Duration::from_secs(10);
/// Peers reconciled with in one round: the best-scored one and one in rotation, so
/// neither a high score bought by quiet Sybils nor bad luck in the rotation can keep the
/// node from an honest peer for long.
pub const CATCH_UP_PEERS: usize = 2;
/// Peers remembered as over their own limit until the rounds they caused are done.
/// Bounded so a flood of fresh peer ids cannot grow memory; past it, more flooders may
/// merely be asked in a round (and have nothing to give).
pub const MAX_FLOODERS: usize = 256;

/// When to catch up after load drops, and from whom not to.
#[derive(Debug, Default)]
pub struct LoadCatchUp {
    next: Option<Instant>,
    again: Option<Instant>,
    flooders: HashSet<PeerId>,
    drops: u64,
    rounds: u64,
}

impl LoadCatchUp {
    /// Record a message dropped for load at `now`; `flooder` is the sending peer when
    /// the drop was for that peer's own limit (it is not asked for the copy).
    pub fn dropped(&mut self, flooder: Option<PeerId>, now: Instant) {
        self.drops += 1;
        if let Some(p) = flooder
            && self.flooders.len() < MAX_FLOODERS
        {
            self.flooders.insert(p);
        }
        if self.next.is_none() {
            self.next = Some(now + CATCH_UP_DELAY);
        }
        self.again = Some(now + CATCH_UP_AGAIN);
    }

    /// A round found peers to ask but could start no session with them (every session
    /// slot busy, or a session with each already running, perhaps reconciled before the
    /// copy reached that peer): try again after [`CATCH_UP_DELAY`], still leaving out
    /// the round's `left_out`.
    pub fn retry(&mut self, left_out: HashSet<PeerId>, now: Instant) {
        for p in left_out {
            if self.flooders.len() >= MAX_FLOODERS {
                break;
            }
            self.flooders.insert(p);
        }
        if self.next.is_none() {
            self.next = Some(now + CATCH_UP_DELAY);
        }
    }

    /// When the next round is due, if any.
    pub fn deadline(&self) -> Option<Instant> {
        match (self.next, self.again) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// If a round is due at `now`, the peers to leave out of it (those over their own
    /// limit since the rounds began). Forgets them after the last round.
    pub fn due(&mut self, now: Instant) -> Option<HashSet<PeerId>> {
        if self.next.is_some_and(|t| t <= now) {
            self.next = None;
        } else if self.again.is_some_and(|t| t <= now) {
            self.again = None;
        } else {
            return None;
        }
        self.rounds += 1;
        if self.deadline().is_none() {
            Some(std::mem::take(&mut self.flooders))
        } else {
            Some(self.flooders.clone())
        }
    }

    /// Messages dropped for load so far.
    pub fn drops(&self) -> u64 {
        self.drops
    }

    /// Catch-up rounds run so far.
    pub fn rounds(&self) -> u64 {
        self.rounds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drop_schedules_a_round_soon_and_one_later() {
        let t0 = Instant::now();
        let mut c = LoadCatchUp::default();
        assert_eq!(c.deadline(), None);
        assert!(c.due(t0 + Duration::from_secs(3600)).is_none());
        let flooder = PeerId::random();
        c.dropped(Some(flooder), t0);
        assert_eq!(c.deadline(), Some(t0 + CATCH_UP_DELAY));
        assert!(c.due(t0).is_none(), "not before the delay");
        let left_out = c.due(t0 + CATCH_UP_DELAY).expect("first round");
        assert!(left_out.contains(&flooder));
        assert_eq!(c.deadline(), Some(t0 + CATCH_UP_AGAIN));
        let left_out = c.due(t0 + CATCH_UP_AGAIN).expect("last round");
        assert!(
            left_out.contains(&flooder),
            "still left out of the last round"
        );
        assert_eq!(c.deadline(), None);
        assert_eq!((c.drops(), c.rounds()), (1, 2));
        // Forgotten after the last round.
        c.dropped(None, t0 + CATCH_UP_AGAIN);
        let left_out = c.due(t0 + CATCH_UP_AGAIN + CATCH_UP_DELAY).expect("round");
        assert!(left_out.is_empty());
    }

    #[test]
    fn a_round_that_started_nothing_is_tried_again() {
        let t0 = Instant::now();
        let mut c = LoadCatchUp::default();
        let flooder = PeerId::random();
        c.dropped(Some(flooder), t0);
        // Both rounds come due together; the last one can start no session.
        let t1 = t0 + CATCH_UP_AGAIN;
        assert!(c.due(t1).is_some());
        let left_out = c.due(t1).expect("last round");
        assert_eq!(c.deadline(), None);
        c.retry(left_out, t1);
        assert_eq!(c.deadline(), Some(t1 + CATCH_UP_DELAY));
        let left_out = c.due(t1 + CATCH_UP_DELAY).expect("the retry");
        assert!(left_out.contains(&flooder), "the flooder is still left out");
    }

    #[test]
    fn a_flood_costs_one_round_per_delay() {
        let t0 = Instant::now();
        let mut c = LoadCatchUp::default();
        let mut rounds = 0;
        // 10 s of drops every millisecond, checked every millisecond.
        for ms in 0..10_000u64 {
            let now = t0 + Duration::from_millis(ms);
            c.dropped(Some(PeerId::random()), now);
            if c.due(now).is_some() {
                rounds += 1;
            }
        }
        assert!((9..=10).contains(&rounds), "{rounds} rounds");
        assert!(c.flooders.len() <= MAX_FLOODERS);
        // Then the final round, 10 s after the last drop, and nothing after it.
        let last = t0 + Duration::from_millis(9_999);
        let mut after = 0;
        for ms in 1..=20_000u64 {
            if c.due(last + Duration::from_millis(ms)).is_some() {
                after += 1;
            }
        }
        assert_eq!(after, 2, "the pending debounced round and the final one");
        assert!(c.flooders.is_empty());
    }
}
