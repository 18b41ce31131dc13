//! The event loop's side of private publishing: sends and receives `/aviso/stem/1` and
//! carries out what [`super::super::stem::Stem`] decides.

use std::time::Instant;

use libp2p::PeerId;
use libp2p::request_response::{self, Message};
use tracing::{debug, warn};

use super::{BLOCK_FOR, EventLoop, Job, JobReply};
use crate::net::Event;
use crate::net::stem::Action;
use crate::pipeline::{Outcome, Source};
use aviso_protocol::Id;

impl EventLoop {
    /// Connected peers that may carry a stem: subscribed to the community's topic and
    /// speaking the stem protocol, in a stable order (so a seeded stem repeats).
    fn stem_eligible(&self) -> Vec<PeerId> {
        let Some(topic) = &self.topic else {
            return Vec::new();
        };
        let hash = topic.hash();
        let mut peers: Vec<PeerId> = self
            .swarm
            .behaviour()
            .gossipsub
            .all_peers()
            .filter(|(p, topics)| {
                topics.contains(&&hash) && self.stem.is_speaker(p) && self.swarm.is_connected(p)
            })
            .map(|(p, _)| *p)
            .collect();
        peers.sort();
        peers
    }

    /// Whether `peer` is a connected member of the community's gossip (subscribed to its
    /// topic): the only peers whose stem envelopes we take.
    fn in_community(&self, peer: &PeerId) -> bool {
        let Some(topic) = &self.topic else {
            return false;
        };
        let hash = topic.hash();
        self.swarm
            .behaviour()
            .gossipsub
            .all_peers()
            .any(|(p, topics)| p == peer && topics.contains(&&hash))
    }

    /// Keep sync from offering what is on a stem now.
    fn update_embargo(&mut self) {
        self.server.set_embargo(self.stem.pending_ids());
    }

    /// `id` came to us by gossip: whatever stem it was on is over. Returns whether we
    /// held it on a fallback timer (so we have not gossiped it ourselves).
    pub(super) fn stem_seen(&mut self, id: &Id) -> bool {
        let before = self.stem.pending();
        self.stem.seen_in_gossip(id);
        let held = self.stem.pending() != before;
        if held {
            self.update_embargo();
        }
        held
    }

    /// Publish to gossip ourselves, and say so on the event stream.
    fn fluff(&mut self, id: Id, bytes: Vec<u8>, expires_at: u64, how: &'static str) {
        if expires_at <= crate::unix_now() {
            return;
        }
        self.gossip(bytes, expires_at);
        let _ = self.events.send(Event::Gossiped { id, how });
    }

    /// Our own envelope is stored: start it on a stem, or gossip it when the stem is off
    /// or no peer can take it.
    pub(super) fn publish_own(&mut self, outcome: &Outcome, bytes: Vec<u8>, expires_at: u64) {
        let id = match outcome {
            Outcome::Accepted { id, .. } | Outcome::Duplicate { id } => *id,
            _ => return,
        };
        let eligible = if self.stem.enabled() {
            self.stem_eligible()
        } else {
            Vec::new()
        };
        match self
            .stem
            .originate(id, &bytes, expires_at, &eligible, Instant::now())
        {
            Some(to) => {
                debug!(id = %id.short(), "own envelope on the stem");
                self.update_embargo();
                self.swarm.behaviour_mut().stem.send_request(&to, bytes);
            }
            None => self.fluff(id, bytes, expires_at, "direct"),
        }
    }

    /// A stem request or the end of one of ours.
    pub(super) fn on_stem(&mut self, ev: request_response::Event<Vec<u8>, Vec<u8>>) {
        match ev {
            request_response::Event::Message {
                peer,
                message:
                    Message::Request {
                        request, channel, ..
                    },
                ..
            } => {
                // Dropping the channel refuses: only members of the community's gossip
                // may hand us envelopes this way.
                if !self.in_community(&peer) {
                    debug!(peer = %super::short(&peer), "stem request from outside the community refused");
                    return;
                }
                let _ = self
                    .swarm
                    .behaviour_mut()
                    .stem
                    .send_response(channel, Vec::new());
                let job = Job {
                    bytes: request,
                    source: Source::Stem(peer),
                    reply: JobReply::Stem,
                };
                // Full: dropped like gossip under load; the sender's fallback timer
                // publishes it anyway.
                if self.jobs.try_send(job).is_err() {
                    debug!(peer = %super::short(&peer), "stem envelope dropped: ingest queue full");
                }
            }
            request_response::Event::OutboundFailure { peer, error, .. } => {
                // The fallback timer covers what did not get through.
                debug!(peer = %super::short(&peer), error = %error, "stem hand-off failed");
            }
            _ => {}
        }
    }

    /// An envelope `peer` handed us by stem went through the pipeline.
    pub(super) fn on_stem_judged(
        &mut self,
        peer: PeerId,
        bytes: Vec<u8>,
        expires_at: Option<u64>,
        outcome: Outcome,
    ) {
        let (id, new) = match (&outcome, expires_at) {
            (Outcome::Accepted { id, .. }, Some(_)) => (*id, true),
            (Outcome::Duplicate { id }, Some(_)) => (*id, false),
            (Outcome::Rejected { reason }, _) => {
                // Honest nodes hand on only what they validated: this one is hostile.
                warn!(peer = %super::short(&peer), %reason, "invalid envelope on the stem; blocking");
                self.swarm.behaviour_mut().blocked.block_peer(peer);
                self.blocked.insert(peer, Instant::now() + BLOCK_FOR);
                return;
            }
            // Ignored or throttled: not passed on, so the stem carries only what
            // gossip would.
            _ => {
                debug!(peer = %super::short(&peer), ?outcome, "stem envelope not passed on");
                return;
            }
        };
        let expires_at = expires_at.unwrap_or_default();
        let eligible = self.stem_eligible();
        match self
            .stem
            .relay(id, &bytes, expires_at, peer, new, &eligible, Instant::now())
        {
            Action::Forward(to) => {
                self.update_embargo();
                self.swarm.behaviour_mut().stem.send_request(&to, bytes);
            }
            Action::Fluff => {
                self.update_embargo();
                self.fluff(id, bytes, expires_at, "stem");
            }
            Action::Nothing => {}
        }
    }

    /// Fluff what did not come back through gossip in time.
    pub(super) fn stem_fallbacks(&mut self) {
        let due = self.stem.due(Instant::now());
        if !due.is_empty() {
            self.update_embargo();
        }
        for (bytes, expires_at, own) in due {
            let id = aviso_protocol::envelope::id_of(&bytes);
            debug!(id = %id.short(), own, "stem fallback timer fired");
            self.fluff(id, bytes, expires_at, "fallback");
        }
    }
}
