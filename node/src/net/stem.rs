//! Private publishing: a Dandelion++ stem for this node's own envelopes (Fanti et al.,
//! "Dandelion++: Lightweight Cryptocurrency Networking with Formal Anonymity
//! Guarantees", 2018).
//!
//! Gossip from the author's home makes the author's node the first to announce an
//! envelope, and the neighbours that see it first can link the signing key to a home
//! address. So an envelope this node signs is first handed, over `/aviso/stem/1`, to one
//! peer (the *stem*); each node on the stem hands it on to its own successor or
//! publishes it to gossip (*fluffs* it), and only then does it spread. Envelopes from
//! others are gossiped at once, as before.
//!
//! As in Dandelion++:
//! - time is cut in epochs of [`EPOCH`]; in each, a node picks [`SUCCESSORS`] stem
//!   successors among its peers and is either a *relayer* (probability
//!   [`StemConfig::forward_probability`], q) or a *diffuser* for the whole epoch: a
//!   relayer hands every stem envelope on, a diffuser fluffs it. Per-epoch rather than
//!   per-message choices keep an observer from learning more by watching many envelopes.
//! - own envelopes always go to the same successor in an epoch; envelopes relayed from
//!   one peer always go to the same successor too (pseudorandom forwarding), never back
//!   to the peer they came from when another is there.
//! - the wire carries the envelope's bytes and nothing else: no hop counter, no flag that
//!   tells an author's first hop from any other.
//! - every node that handed an envelope on (the author too) keeps it with a fallback
//!   timer, and fluffs it itself unless it came back through gossip first: a stem node
//!   that drops it, or leaves, delays the envelope but never loses it. The timers are
//!   random, so which node's fires first says little about who the author is.
//!
//! A stem node runs the envelope through the whole pipeline (signature, relay rule, rate
//! limits) before it does anything with it, so the stem cannot carry what gossip would
//! not; and it takes stem envelopes only from connected peers subscribed to the
//! community's topic. This module holds the state and the decisions; the event loop
//! sends and receives.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use aviso_protocol::Id;
use libp2p::{PeerId, StreamProtocol};

/// The stem protocol: a request is one envelope's bytes; the answer is empty.
pub const STEM_PROTOCOL: StreamProtocol = StreamProtocol::new("/aviso/stem/1");
/// Largest stem request: one envelope.
pub const MAX_STEM_REQUEST: usize = aviso_protocol::limits::MAX_ENVELOPE_BYTES;
/// Largest stem answer: nothing is said back.
pub const MAX_STEM_RESPONSE: usize = 0;
/// Stem streams open at once on one connection. Above the sync protocols' 4: a member
/// may publish a small burst (an alert, its translations' updates, a list) and each
/// envelope is one stream; past this, extra streams are refused and those envelopes
/// wait for their fallback timer instead (slower, never lost).
pub const MAX_STEM_STREAMS: usize = 32;
/// How long the choice of successors and of relayer or diffuser lasts: ten minutes, as
/// Dandelion++ suggests. Longer epochs give an observer fewer fresh paths to intersect;
/// shorter ones recover sooner from a successor that drops everything (which only costs
/// the fallback delay meanwhile).
pub const EPOCH: Duration = Duration::from_secs(600);
/// Stem successors picked per epoch (Dandelion++ uses two: a 4-regular stem graph
/// rather than a line that one well-placed peer can map).
pub const SUCCESSORS: usize = 2;
/// q, the probability that a node is a relayer for an epoch. A stem is then 1/(1-q) hops
/// long on average (the author's hop plus a geometric tail). One hop costs about three
/// link latencies, not one: request-response negotiates the protocol of each new stream
/// (a round trip) before the envelope goes (one way), about 150 ms at 50 ms links. The
/// goal is at most 300 ms added, so at most 2 hops on average (q ≤ 0.5); measured in
/// the simulator at 100 nodes and 50 ms links (BENCHMARKS.md, "Private publishing"),
/// q = 0.5 added 258 ms at the median but 359 ms on average, q = 0.33 added 172 ms and
/// 236 ms. A longer stem hides the author better against colluding stem nodes; the first
/// gossiper is a node other than the author either way.
pub const FORWARD_PROBABILITY: f64 = 0.33;
/// Shortest fallback wait. The envelope should be back through gossip well before: a
/// 5-hop stem (1% of stems are longer at q = 0.33) plus gossip across a mesh takes about
/// a second at 50 ms links; two seconds
/// leave room for a slow phone's link without fluffing early (fluffing early shows who
/// holds it, which is what the stem hides).
pub const FALLBACK_BASE: Duration = Duration::from_secs(2);
/// Mean of the random part added to [`FALLBACK_BASE`] (exponential, as in
/// Dandelion++): one second, so the author's timer fires first only about half the time
/// when a stem node drops the envelope right after it.
pub const FALLBACK_MEAN_EXTRA: Duration = Duration::from_secs(1);
/// Cap on the random part: a black-hole stem node delays an envelope by at most
/// [`FALLBACK_BASE`] plus this.
pub const FALLBACK_MAX_EXTRA: Duration = Duration::from_secs(4);
/// Envelopes held on a fallback timer at once (our own and those we handed on). Above
/// it, our own go straight to gossip and relayed ones are fluffed at once: memory stays
/// bounded (at most this many envelopes of at most 64 KiB) and nothing is lost.
pub const MAX_PENDING: usize = 256;

/// How the stem behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct StemConfig {
    /// Send own envelopes along a stem first (default). Off: they go straight to gossip.
    /// The node relays others' stems either way.
    pub enabled: bool,
    /// q: the probability of being a relayer for an epoch.
    pub forward_probability: f64,
    /// Shortest fallback wait.
    pub fallback_base: Duration,
    /// Seed for the stem's random choices; `None` draws one from the system. The
    /// simulator sets it so a run can be repeated.
    pub seed: Option<u64>,
}

impl Default for StemConfig {
    fn default() -> Self {
        StemConfig {
            enabled: true,
            forward_probability: FORWARD_PROBABILITY,
            fallback_base: FALLBACK_BASE,
            seed: None,
        }
    }
}

/// What to do with an envelope that arrived by stem and passed the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Hand it to this peer.
    Forward(PeerId),
    /// Publish it to gossip now.
    Fluff,
    /// Nothing: it is already on its way (a stem that looped back to us).
    Nothing,
}

/// An envelope held on a fallback timer.
#[derive(Debug)]
struct Pending {
    bytes: Vec<u8>,
    expires_at: u64,
    fluff_at: Instant,
    own: bool,
}

/// The stem's state: this epoch's choices and the envelopes on fallback timers.
#[derive(Debug)]
pub struct Stem {
    cfg: StemConfig,
    rng: u64,
    epoch_started: Option<Instant>,
    relayer: bool,
    /// This epoch's successors: at most [`SUCCESSORS`].
    successors: Vec<PeerId>,
    /// Which successor envelopes from each peer go to, this epoch: at most one entry per
    /// connected peer (forgotten when it disconnects).
    routes: HashMap<PeerId, PeerId>,
    /// At most [`MAX_PENDING`].
    pending: HashMap<Id, Pending>,
    /// Connected peers whose identify lists [`STEM_PROTOCOL`]: at most the connected
    /// peers (forgotten when one disconnects).
    speakers: HashSet<PeerId>,
}

impl Stem {
    /// A stem with no epoch started yet.
    pub fn new(cfg: StemConfig) -> Stem {
        let rng = cfg.seed.unwrap_or_else(|| {
            let mut b = [0u8; 8];
            // Without system randomness the choices are still spread by the clock; they
            // are not secrets, only unpredictability for an observer.
            if getrandom::fill(&mut b).is_err() {
                b = (crate::unix_now_ms() ^ 0x9e37_79b9_7f4a_7c15).to_le_bytes();
            }
            u64::from_le_bytes(b)
        });
        Stem {
            cfg,
            rng,
            epoch_started: None,
            relayer: false,
            successors: Vec::new(),
            routes: HashMap::new(),
            pending: HashMap::new(),
            speakers: HashSet::new(),
        }
    }

    /// Identify told us whether `peer` speaks the stem protocol.
    pub fn speaks(&mut self, peer: PeerId, yes: bool) {
        if yes {
            self.speakers.insert(peer);
        } else {
            self.speakers.remove(&peer);
        }
    }

    /// Whether `peer` said it speaks the stem protocol.
    pub fn is_speaker(&self, peer: &PeerId) -> bool {
        self.speakers.contains(peer)
    }

    /// Whether own envelopes take the stem.
    pub fn enabled(&self) -> bool {
        self.cfg.enabled
    }

    /// SplitMix64: a few lines, no dependency; these draws are not secrets.
    fn next_u64(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick(&mut self, from: &[PeerId]) -> Option<PeerId> {
        if from.is_empty() {
            return None;
        }
        let i = (self.next_u64() % from.len() as u64) as usize;
        Some(from[i])
    }

    /// Start a new epoch when due, and replace successors that are no longer
    /// `eligible` (connected, in the community, speaking the stem protocol).
    fn refresh(&mut self, eligible: &[PeerId], now: Instant) {
        if self
            .epoch_started
            .is_none_or(|t| now.duration_since(t) >= EPOCH)
        {
            self.epoch_started = Some(now);
            self.relayer = self.unit() < self.cfg.forward_probability;
            self.successors.clear();
            self.routes.clear();
        }
        // Only the lost ones are replaced: re-drawing all on every disconnect would let a
        // peer that comes and goes make us show it fresh paths.
        self.successors.retain(|p| eligible.contains(p));
        self.routes
            .retain(|from, to| eligible.contains(from) && eligible.contains(to));
        while self.successors.len() < SUCCESSORS {
            let left: Vec<PeerId> = eligible
                .iter()
                .filter(|p| !self.successors.contains(p))
                .copied()
                .collect();
            match self.pick(&left) {
                Some(p) => self.successors.push(p),
                None => break,
            }
        }
    }

    fn fallback_at(&mut self, now: Instant) -> Instant {
        let u = self.unit();
        // Exponential with the configured mean, capped.
        let extra = FALLBACK_MEAN_EXTRA.as_secs_f64() * -(1.0 - u).ln();
        let extra = Duration::from_secs_f64(extra.min(FALLBACK_MAX_EXTRA.as_secs_f64()));
        now + self.cfg.fallback_base + extra
    }

    /// Our own envelope `id`, stored: the peer to hand it to, holding it on a fallback
    /// timer, or `None` to gossip it directly (the stem is off, no peer can take it, or
    /// too many are held already).
    pub fn originate(
        &mut self,
        id: Id,
        bytes: &[u8],
        expires_at: u64,
        eligible: &[PeerId],
        now: Instant,
    ) -> Option<PeerId> {
        if !self.cfg.enabled || self.pending.len() >= MAX_PENDING {
            return None;
        }
        if self.pending.contains_key(&id) {
            // Published again while still on the stem: it is on its way.
            return self.successors.first().copied();
        }
        self.refresh(eligible, now);
        let to = *self.successors.first()?;
        self.hold(id, bytes, expires_at, true, now);
        Some(to)
    }

    /// Keep `id` on a fallback timer.
    fn hold(&mut self, id: Id, bytes: &[u8], expires_at: u64, own: bool, now: Instant) {
        let fluff_at = self.fallback_at(now);
        self.pending.insert(
            id,
            Pending {
                bytes: bytes.to_vec(),
                expires_at,
                fluff_at,
                own,
            },
        );
    }

    /// An envelope that `from` handed us by stem passed the pipeline: what to do now.
    /// `new` says whether the pipeline stored it just now (rather than holding it
    /// already).
    // Each input is a plain value the decision needs; a struct would only rename them.
    #[allow(clippy::too_many_arguments)]
    pub fn relay(
        &mut self,
        id: Id,
        bytes: &[u8],
        expires_at: u64,
        from: PeerId,
        new: bool,
        eligible: &[PeerId],
        now: Instant,
    ) -> Action {
        if !new {
            // A loop. If we handed it on before, the stem went round: end it here, as
            // a diffuser would, unless it is our own (fluffing that would show us as
            // its first gossiper; our timer covers it).
            return match self.pending.get(&id) {
                Some(p) if !p.own => {
                    self.pending.remove(&id);
                    Action::Fluff
                }
                _ => Action::Nothing,
            };
        }
        self.refresh(eligible, now);
        if !self.relayer || self.pending.len() >= MAX_PENDING {
            return Action::Fluff;
        }
        let to = match self.routes.get(&from) {
            Some(to) => Some(*to),
            None => {
                let choices: Vec<PeerId> = self
                    .successors
                    .iter()
                    .filter(|p| **p != from)
                    .copied()
                    .collect();
                let to = self.pick(&choices);
                if let Some(to) = to {
                    self.routes.insert(from, to);
                }
                to
            }
        };
        let Some(to) = to.filter(|to| *to != from) else {
            // Nobody else to hand it to.
            return Action::Fluff;
        };
        self.hold(id, bytes, expires_at, false, now);
        Action::Forward(to)
    }

    /// The envelope came to us through gossip: someone fluffed it; stop its timer.
    pub fn seen_in_gossip(&mut self, id: &Id) {
        self.pending.remove(id);
    }

    /// A peer's last connection closed: forget its routes.
    pub fn peer_gone(&mut self, peer: &PeerId) {
        self.speakers.remove(peer);
        self.successors.retain(|p| p != peer);
        self.routes.retain(|from, to| from != peer && to != peer);
    }

    /// When the next fallback timer fires, if any is set.
    pub fn deadline(&self) -> Option<Instant> {
        self.pending.values().map(|p| p.fluff_at).min()
    }

    /// The envelopes whose fallback timer has fired, with their expiry and whether they
    /// are our own: fluff them now.
    pub fn due(&mut self, now: Instant) -> Vec<(Vec<u8>, u64, bool)> {
        let ids: Vec<Id> = self
            .pending
            .iter()
            .filter(|(_, p)| p.fluff_at <= now)
            .map(|(id, _)| *id)
            .collect();
        ids.into_iter()
            .filter_map(|id| self.pending.remove(&id))
            .map(|p| (p.bytes, p.expires_at, p.own))
            .collect()
    }

    /// Envelopes held on a fallback timer now.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// The ids of the envelopes held on a fallback timer: not yet gossiped by anyone we
    /// know of, so not to be offered to peers by sync either.
    pub fn pending_ids(&self) -> HashSet<Id> {
        self.pending.keys().copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peers(n: usize) -> Vec<PeerId> {
        (0..n).map(|_| PeerId::random()).collect()
    }

    fn stem(q: f64, seed: u64) -> Stem {
        Stem::new(StemConfig {
            forward_probability: q,
            seed: Some(seed),
            ..StemConfig::default()
        })
    }

    #[test]
    fn own_envelopes_go_to_one_successor_per_epoch_and_wait_on_a_timer() {
        let ps = peers(5);
        let mut s = stem(0.5, 1);
        let t0 = Instant::now();
        let a = s.originate(Id([1; 32]), b"a", u64::MAX, &ps, t0).unwrap();
        let b = s.originate(Id([2; 32]), b"b", u64::MAX, &ps, t0).unwrap();
        assert_eq!(a, b, "one successor for own envelopes in an epoch");
        assert_eq!(s.pending(), 2);
        let deadline = s.deadline().unwrap();
        assert!(deadline >= t0 + FALLBACK_BASE);
        assert!(deadline <= t0 + FALLBACK_BASE + FALLBACK_MAX_EXTRA);
        assert!(s.due(t0).is_empty());
        // One came back through gossip; the other's timer fires.
        s.seen_in_gossip(&Id([1; 32]));
        let fired = s.due(t0 + FALLBACK_BASE + FALLBACK_MAX_EXTRA);
        assert_eq!(fired, vec![(b"b".to_vec(), u64::MAX, true)]);
        assert_eq!(s.deadline(), None);
    }

    #[test]
    fn no_peer_or_stem_off_means_direct_gossip() {
        let mut s = stem(0.5, 2);
        assert_eq!(s.originate(Id([1; 32]), b"a", 9, &[], Instant::now()), None);
        let mut off = Stem::new(StemConfig {
            enabled: false,
            ..StemConfig::default()
        });
        assert_eq!(
            off.originate(Id([1; 32]), b"a", 9, &peers(3), Instant::now()),
            None
        );
        assert_eq!(s.pending() + off.pending(), 0);
    }

    #[test]
    fn relayers_forward_away_from_the_sender_and_diffusers_fluff() {
        let ps = peers(2);
        let now = Instant::now();
        let mut relayer = stem(1.0, 3);
        for i in 0..20u8 {
            match relayer.relay(Id([i; 32]), b"x", 9, ps[0], true, &ps, now) {
                Action::Forward(to) => assert_eq!(to, ps[1], "never back to the sender"),
                other => panic!("a relayer forwards: {other:?}"),
            }
        }
        // Its only peer is the sender: nobody to hand it to, so it fluffs.
        assert_eq!(
            relayer.relay(Id([99; 32]), b"x", 9, ps[0], true, &ps[..1], now),
            Action::Fluff
        );
        let mut diffuser = stem(0.0, 4);
        assert_eq!(
            diffuser.relay(Id([1; 32]), b"x", 9, ps[0], true, &ps, now),
            Action::Fluff
        );
        assert_eq!(diffuser.pending(), 0);
    }

    #[test]
    fn a_loop_ends_at_a_relayer_but_never_makes_the_author_fluff() {
        let ps = peers(3);
        let now = Instant::now();
        let mut s = stem(1.0, 5);
        let id = Id([7; 32]);
        assert!(matches!(
            s.relay(id, b"x", 9, ps[0], true, &ps, now),
            Action::Forward(_)
        ));
        assert_eq!(s.relay(id, b"x", 9, ps[1], false, &ps, now), Action::Fluff);
        assert_eq!(s.pending(), 0);
        let own = Id([8; 32]);
        s.originate(own, b"o", 9, &ps, now).unwrap();
        assert_eq!(
            s.relay(own, b"o", 9, ps[2], false, &ps, now),
            Action::Nothing
        );
        assert_eq!(s.pending(), 1, "the author's timer still covers it");
    }

    #[test]
    fn pending_is_bounded_and_overflow_goes_direct() {
        let ps = peers(3);
        let now = Instant::now();
        let mut s = stem(1.0, 6);
        for i in 0..MAX_PENDING as u32 {
            let mut id = [0u8; 32];
            id[..4].copy_from_slice(&i.to_be_bytes());
            assert!(s.originate(Id(id), b"x", 9, &ps, now).is_some());
        }
        assert_eq!(s.originate(Id([255; 32]), b"x", 9, &ps, now), None);
        assert_eq!(
            s.relay(Id([254; 32]), b"x", 9, ps[0], true, &ps, now),
            Action::Fluff
        );
        assert_eq!(s.pending(), MAX_PENDING);
    }

    #[test]
    fn successors_last_an_epoch_and_only_lost_ones_are_replaced() {
        let ps = peers(6);
        let t0 = Instant::now();
        let mut s = stem(0.5, 7);
        let first = s.originate(Id([1; 32]), b"a", 9, &ps, t0).unwrap();
        let others: Vec<PeerId> = ps.iter().filter(|p| **p != first).copied().collect();
        let kept = s.successors[1];
        let second = s.originate(Id([2; 32]), b"a", 9, &others, t0).unwrap();
        assert_eq!(second, kept, "the remaining successor moves up, no re-draw");
        // A new epoch draws again (after enough epochs, some other peer).
        let mut seen = std::collections::HashSet::new();
        for e in 1..40u32 {
            let t = t0 + EPOCH * e;
            let mut id = [3u8; 32];
            id[..4].copy_from_slice(&e.to_be_bytes());
            seen.insert(s.originate(Id(id), b"a", 9, &ps, t).unwrap());
        }
        assert!(seen.len() > 2, "epochs draw fresh successors: {seen:?}");
    }
}
