//! Whether a signature will count, checked before a client asks for the passphrase: what
//! the lists a node follows say about one key (its grants, its revocation, the categories
//! that need k signatures), and how long a tombstone (cancel, all-clear, retraction) must
//! live to end what it names.

use aviso_protocol::feed::Feed;
use aviso_protocol::trust::Grant;
use aviso_protocol::{
    Area, Body, Category, Envelope, Id, PublicKey, Reason, Role, Threshold, TrustView,
    authorize_grants,
};

use crate::api::wire::{RevokedKey, TrustKey, TrustReply};

/// Margin a tombstone outlives its target by, in seconds: for clock differences between
/// nodes.
const TOMBSTONE_MARGIN_SECS: u64 = 3600;

/// What the node's followed lists say about one key (`GET /v1/trust`).
#[derive(Debug, Default)]
pub struct Standing {
    grants: Vec<Grant>,
    revoked_since: Option<u64>,
    thresholds: Vec<Threshold>,
}

impl Standing {
    /// The standing of `me` in the trust view `reply`.
    pub fn of(reply: TrustReply, me: &PublicKey) -> Standing {
        let mine = reply.keys.into_iter().find(|k| k.key == *me);
        Standing {
            revoked_since: mine.as_ref().and_then(|k| k.revoked_since),
            grants: mine.map(|k| k.grants).unwrap_or_default(),
            thresholds: reply.thresholds,
        }
    }

    /// Whether a message signed now as `role` for `areas` and `category` would count.
    pub fn check(
        &self,
        role: Role,
        areas: &[Area],
        category: Option<Category>,
        now: u64,
    ) -> Result<(), Reason> {
        authorize_grants(
            &self.grants,
            self.revoked_since,
            role,
            areas,
            category,
            now,
            now,
        )
        .map(|_| ())
    }

    /// The grants of the key, as the lists give them.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// Whether the key may sign alerts now for some area and category: an organizer
    /// grant in force, not revoked.
    pub fn is_organizer(&self, now: u64) -> bool {
        self.revoked_since.is_none()
            && self
                .grants
                .iter()
                .any(|g| g.role == Role::Organizer && g.expires_at.is_none_or(|e| e > now))
    }

    /// Signatures an alert of `category` needs.
    pub fn threshold(&self, category: Category) -> u8 {
        self.thresholds
            .iter()
            .find(|t| t.category == category)
            .map_or(1, |t| t.k)
    }
}

/// The trust view of a node that follows `follow`, from its stored trust lists `lists`
/// (`GET /v1/trust`; the organizer desk computes it in process).
pub fn trust_reply(follow: Vec<PublicKey>, lists: &[Envelope], now: u64) -> TrustReply {
    let view = TrustView::build(&follow, lists, now);
    let mut keys: Vec<TrustKey> = view
        .keys()
        .map(|k| TrustKey {
            key: *k,
            fingerprint: k.fingerprint(),
            grants: view.grants(k).to_vec(),
            revoked_since: view.revocation(k),
        })
        .collect();
    keys.sort_by_key(|k| k.key);
    let revoked: Vec<RevokedKey> = lists
        .iter()
        .filter_map(|e| match e.body() {
            Body::TrustList(l) if view.lists().iter().any(|c| c.id == e.id()) => Some(&l.revoked),
            _ => None,
        })
        .flatten()
        .map(|r| RevokedKey {
            key: r.key,
            fingerprint: r.key.fingerprint(),
            since: r.since,
            reason: r.reason.clone(),
        })
        .collect();
    let mut thresholds: Vec<Threshold> = view
        .thresholds()
        .map(|(category, k)| Threshold { category, k })
        .collect();
    thresholds.sort_by_key(|t| t.category);
    TrustReply {
        follow,
        lists: view.lists().to_vec(),
        keys,
        revoked,
        thresholds,
    }
}

/// When the last version of the update thread of the alert `target` (which expires at
/// `target_expiry`) expires, from a feed with hidden items. A tombstone ends the whole
/// thread, so it must outlive every version in it: otherwise a node that catches up after
/// the named version was collected shows a longer-lived update again.
pub fn thread_expiry(feed: &Feed, target: Id, target_expiry: u64) -> u64 {
    let thread = feed
        .alerts
        .iter()
        .find(|i| i.id == target)
        .map(|i| i.thread);
    feed.alerts
        .iter()
        .filter(|i| Some(i.thread) == thread)
        .map(|i| i.expires_at)
        .chain([target_expiry])
        .max()
        .unwrap_or(target_expiry)
}

/// A life for a tombstone (cancel, retraction) of something that expires at `target_expiry`:
/// it must outlive it, with an hour's margin for clock differences, within `max`.
pub fn tombstone_ttl(target_expiry: u64, now: u64, max: u64) -> u64 {
    target_expiry
        .saturating_sub(now)
        .saturating_add(TOMBSTONE_MARGIN_SECS)
        .min(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::limits::MAX_TTL_SHORT_SECS;

    const NOW: u64 = 1_750_000_000;

    #[test]
    fn tombstones_outlive_their_target() {
        assert_eq!(tombstone_ttl(NOW + 100, NOW, MAX_TTL_SHORT_SECS), 3700);
        assert_eq!(tombstone_ttl(NOW - 100, NOW, MAX_TTL_SHORT_SECS), 3600);
        let far = NOW + MAX_TTL_SHORT_SECS;
        assert_eq!(
            tombstone_ttl(far, NOW, MAX_TTL_SHORT_SECS),
            MAX_TTL_SHORT_SECS
        );
    }
}
