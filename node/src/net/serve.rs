//! The memory held by answers to peers' sync and fetch requests.
//!
//! An answer stays in memory from the moment it is computed until request-response has
//! written it to the stream (`ResponseSent`) or given up (`InboundFailure`: timeout,
//! closed connection, refused). A peer that asks and never reads keeps it there for the
//! whole stream timeout, and peer ids are free: without a bound, a few dozen connections
//! with many open fetch requests held gigabytes. So every answered request holds a slot
//! here from its arrival to its end, and its bytes count against a per-peer share and a
//! total budget, reserved before the answer is computed (a fetch answer is cut to what
//! was reserved) and released only when the answer is written or abandoned. A request
//! admitted here may wait for its turn to be computed (the event loop computes a few at
//! a time); its reservation bounds how many can wait.
//!
//! Part of the budget is kept for peers on connections this node dialed (bootstrap and
//! discovered peers it chose), so that peers dialing in, whose ids cost nothing, cannot
//! take all of it and stop the node from serving the peers it picked.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

use libp2p::PeerId;
use serde::Serialize;

use super::sync::{FETCH_RESPONSE_BUDGET, MAX_SYNC_MESSAGE, Proto};

/// Bytes of answers held for all peers at once (reserved while computed, then held until
/// written). A flood of unread fetches costs a node two to three times this in resident
/// memory (allocator slack, sled; see BENCHMARKS.md, "Fetch flood"), which keeps it within
/// a few tens of MiB of its size before the flood.
pub const MAX_SERVED_BYTES: usize = 16 * 1024 * 1024;
/// Of [`MAX_SERVED_BYTES`], what only peers on connections we dialed may use: inbound
/// peers, which anyone can create, never get it. Half: the peers a node chose are its
/// lifeline under attack.
pub const SERVED_BYTES_FOR_DIALED: usize = 8 * 1024 * 1024;
/// Bytes of answers held for one peer. A catch-up session has one request outstanding
/// at a time, and a fetch of 256 ordinary envelopes (about 400 B each) is about 100 KiB,
/// so honest peers rarely meet it; larger envelopes come in several answers. Smaller
/// answers also leave less allocator slack behind.
pub const MAX_SERVED_BYTES_PER_PEER: usize = 512 * 1024;
/// Requests of one peer answered or held at once. One is what an honest session uses;
/// two leave room for a retry while an old stream times out.
pub const MAX_SERVED_PER_PEER: usize = 2;
/// Smallest fetch answer worth computing: one envelope of the largest size and its
/// length prefix, so that every answer carries at least one envelope.
pub const MIN_FETCH_ANSWER: usize = aviso_protocol::limits::MAX_ENVELOPE_BYTES + 4;
/// A slot that neither `ResponseSent` nor `InboundFailure` closed this long after its
/// request arrived is released anyway. Request-response times every inbound stream out
/// after the request timeout, so this only guards against a missed event.
pub const MAX_SLOT_AGE: Duration = Duration::from_secs(120);

/// What is held now for answers to peers, for `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServingStats {
    /// Requests being answered or whose answers are not yet written.
    pub replies: usize,
    /// Bytes reserved or held for them.
    pub bytes: usize,
    /// The most bytes ever held at once since the node started.
    pub peak_bytes: usize,
    /// Requests admitted since the node started.
    pub admitted: u64,
    /// Requests refused for lack of room since the node started (the peer retries in a
    /// later session).
    pub refused: u64,
}

#[derive(Debug)]
struct Slot {
    peer: PeerId,
    dialed: bool,
    bytes: usize,
    /// The answer is computed (or the computation failed).
    answered: bool,
    /// Request-response is done with the stream (written, failed, timed out).
    closed: bool,
    since: Instant,
}

#[derive(Debug, Default)]
struct PeerUse {
    replies: usize,
    bytes: usize,
}

/// The ledger of answers held for peers, by request key `K` (the event loop uses the
/// protocol and the inbound request id).
#[derive(Debug)]
pub struct ServeLedger<K> {
    slots: HashMap<K, Slot>,
    peers: HashMap<PeerId, PeerUse>,
    bytes: usize,
    /// Of `bytes`, held for peers on inbound connections.
    inbound_bytes: usize,
    peak: usize,
    admitted: u64,
    refused: u64,
}

impl<K> Default for ServeLedger<K> {
    fn default() -> Self {
        Self {
            slots: HashMap::new(),
            peers: HashMap::new(),
            bytes: 0,
            inbound_bytes: 0,
            peak: 0,
            admitted: 0,
            refused: 0,
        }
    }
}

impl<K: Hash + Eq + Copy> ServeLedger<K> {
    /// Take a slot for request `key`, of protocol `proto`, from `peer` (over a
    /// connection we `dialed` or not) and reserve room for its answer: returns the
    /// answer's byte budget, or `None` when there is no room (refuse the request).
    pub fn admit(
        &mut self,
        key: K,
        proto: Proto,
        peer: PeerId,
        dialed: bool,
        now: Instant,
    ) -> Option<usize> {
        let used = self.peers.get(&peer);
        let (replies, peer_bytes) = used.map_or((0, 0), |u| (u.replies, u.bytes));
        let pool_left = if dialed {
            MAX_SERVED_BYTES.saturating_sub(self.bytes)
        } else {
            (MAX_SERVED_BYTES - SERVED_BYTES_FOR_DIALED)
                .saturating_sub(self.inbound_bytes)
                .min(MAX_SERVED_BYTES.saturating_sub(self.bytes))
        };
        let room = MAX_SERVED_BYTES_PER_PEER
            .saturating_sub(peer_bytes)
            .min(pool_left);
        let (want, least) = match proto {
            Proto::Sync | Proto::Sync2 => (MAX_SYNC_MESSAGE, MAX_SYNC_MESSAGE),
            Proto::Fetch => (FETCH_RESPONSE_BUDGET, MIN_FETCH_ANSWER),
        };
        let budget = want.min(room);
        if replies >= MAX_SERVED_PER_PEER || budget < least || self.slots.contains_key(&key) {
            self.refused += 1;
            return None;
        }
        self.slots.insert(
            key,
            Slot {
                peer,
                dialed,
                bytes: budget,
                answered: false,
                closed: false,
                since: now,
            },
        );
        let u = self.peers.entry(peer).or_default();
        u.replies += 1;
        u.bytes += budget;
        self.add(budget, dialed);
        self.admitted += 1;
        Some(budget)
    }

    /// The answer to `key` is computed (`len` bytes; 0 if it failed): hold its size (at
    /// most what was reserved) until it is written, or release the slot if the stream is
    /// already gone.
    pub fn answered(&mut self, key: K, len: usize) {
        let Some(slot) = self.slots.get_mut(&key) else {
            return;
        };
        slot.answered = true;
        let (peer, dialed, before) = (slot.peer, slot.dialed, slot.bytes);
        let after = len.min(before);
        slot.bytes = after;
        let closed = slot.closed;
        self.sub(before - after, dialed);
        if let Some(u) = self.peers.get_mut(&peer) {
            u.bytes -= before - after;
        }
        if closed {
            self.release(&key);
        }
    }

    /// Request-response is done with the stream of `key` (`ResponseSent` or
    /// `InboundFailure`). Releases the slot unless the answer is still being computed:
    /// until then its memory is in use.
    pub fn closed(&mut self, key: K) {
        let Some(slot) = self.slots.get_mut(&key) else {
            return;
        };
        slot.closed = true;
        if slot.answered {
            self.release(&key);
        }
    }

    /// Release slots older than [`MAX_SLOT_AGE`]; returns how many.
    pub fn expire(&mut self, now: Instant) -> usize {
        let old: Vec<K> = self
            .slots
            .iter()
            .filter(|(_, s)| now.saturating_duration_since(s.since) > MAX_SLOT_AGE)
            .map(|(k, _)| *k)
            .collect();
        for key in &old {
            self.release(key);
        }
        old.len()
    }

    /// What is held now.
    pub fn stats(&self) -> ServingStats {
        ServingStats {
            replies: self.slots.len(),
            bytes: self.bytes,
            peak_bytes: self.peak,
            admitted: self.admitted,
            refused: self.refused,
        }
    }

    fn release(&mut self, key: &K) {
        let Some(slot) = self.slots.remove(key) else {
            return;
        };
        self.sub(slot.bytes, slot.dialed);
        if let Some(u) = self.peers.get_mut(&slot.peer) {
            u.replies -= 1;
            u.bytes -= slot.bytes;
            if u.replies == 0 {
                self.peers.remove(&slot.peer);
            }
        }
    }

    fn add(&mut self, bytes: usize, dialed: bool) {
        self.bytes += bytes;
        if !dialed {
            self.inbound_bytes += bytes;
        }
        self.peak = self.peak.max(self.bytes);
    }

    fn sub(&mut self, bytes: usize, dialed: bool) {
        self.bytes -= bytes;
        if !dialed {
            self.inbound_bytes -= bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1024 * 1024;

    #[test]
    fn one_peer_gets_two_answers_within_its_share() {
        let mut l = ServeLedger::default();
        let (p, t) = (PeerId::random(), Instant::now());
        assert_eq!(
            l.admit(1, Proto::Fetch, p, false, t),
            Some(MAX_SERVED_BYTES_PER_PEER)
        );
        assert_eq!(l.admit(2, Proto::Fetch, p, false, t), None, "share used up");
        // The first answer turns out small: room for a second one.
        l.answered(1, 100 * 1024);
        assert_eq!(
            l.admit(2, Proto::Fetch, p, false, t),
            Some(MAX_SERVED_BYTES_PER_PEER - 100 * 1024)
        );
        assert_eq!(l.admit(3, Proto::Sync, p, false, t), None, "two at once");
        assert_eq!(l.stats().refused, 2);
        // Written: the slot is free again.
        l.closed(1);
        assert_eq!(l.admit(3, Proto::Sync, p, false, t), Some(MAX_SYNC_MESSAGE));
        assert_eq!(l.stats().replies, 2);
    }

    #[test]
    fn a_slot_is_held_until_both_answered_and_closed() {
        let mut l = ServeLedger::default();
        let (p, t) = (PeerId::random(), Instant::now());
        l.admit(1, Proto::Fetch, p, true, t).expect("room");
        // The stream timed out while the answer was computed: still held.
        l.closed(1);
        assert_eq!(l.stats().bytes, MAX_SERVED_BYTES_PER_PEER);
        l.answered(1, 5);
        let st = l.stats();
        assert_eq!(
            (st.replies, st.bytes, st.peak_bytes),
            (0, 0, MAX_SERVED_BYTES_PER_PEER)
        );
        // Unknown keys (refused requests) are no-ops.
        l.closed(9);
        l.answered(9, 10);
        assert_eq!(l.stats().replies, 0);
    }

    #[test]
    fn inbound_peers_cannot_take_the_part_kept_for_dialed_ones() {
        let mut l = ServeLedger::default();
        let t = Instant::now();
        let mut key = 0;
        let mut inbound = 0;
        while let Some(b) = {
            key += 1;
            l.admit(key, Proto::Fetch, PeerId::random(), false, t)
        } {
            inbound += b;
        }
        assert!(inbound <= MAX_SERVED_BYTES - SERVED_BYTES_FOR_DIALED);
        assert!(inbound + MIN_FETCH_ANSWER > MAX_SERVED_BYTES - SERVED_BYTES_FOR_DIALED);
        // A peer we dialed is still served, and dialed peers can fill the rest.
        let mut dialed = 0;
        while let Some(b) = {
            key += 1;
            l.admit(key, Proto::Fetch, PeerId::random(), true, t)
        } {
            dialed += b;
        }
        assert!(dialed >= SERVED_BYTES_FOR_DIALED - MIN_FETCH_ANSWER);
        assert!(l.stats().peak_bytes <= MAX_SERVED_BYTES);
    }

    #[test]
    fn old_slots_are_released() {
        let mut l = ServeLedger::default();
        let (p, t) = (PeerId::random(), Instant::now());
        l.admit(1, Proto::Sync, p, false, t).expect("room");
        assert_eq!(l.expire(t + MAX_SLOT_AGE), 0);
        assert_eq!(l.expire(t + MAX_SLOT_AGE + Duration::from_secs(1)), 1);
        assert_eq!(l.stats().bytes, 0);
        assert!(l.peers.is_empty());
    }

    /// Any order of events keeps every bound and the books balanced.
    #[test]
    fn bounds_hold_under_any_order_of_events() {
        let peers: Vec<PeerId> = (0..40).map(|_| PeerId::random()).collect();
        let t = Instant::now();
        let mut l = ServeLedger::default();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for key in 0..20_000u64 {
            let r = next();
            let peer = peers[(r % 40) as usize];
            let proto = if r & 64 == 0 {
                Proto::Fetch
            } else {
                Proto::Sync
            };
            l.admit(key, proto, peer, r & 128 == 0, t);
            // Some earlier request moves on: answered with some size, or closed.
            let old = key.saturating_sub(next() % 50);
            if next() % 2 == 0 {
                l.answered(old, (next() % (5 * MIB as u64)) as usize);
            } else {
                l.closed(old);
            }
            assert!(l.bytes <= MAX_SERVED_BYTES);
            assert!(l.inbound_bytes <= MAX_SERVED_BYTES - SERVED_BYTES_FOR_DIALED);
            assert_eq!(l.bytes, l.slots.values().map(|s| s.bytes).sum::<usize>());
            for (p, u) in &l.peers {
                assert!(u.replies <= MAX_SERVED_PER_PEER && u.bytes <= MAX_SERVED_BYTES_PER_PEER);
                let mine: Vec<&Slot> = l.slots.values().filter(|s| s.peer == *p).collect();
                assert_eq!(u.replies, mine.len());
                assert_eq!(u.bytes, mine.iter().map(|s| s.bytes).sum::<usize>());
            }
        }
        assert!(l.stats().peak_bytes <= MAX_SERVED_BYTES);
    }
}
