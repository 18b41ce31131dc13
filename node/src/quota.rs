//! Per-author storage quotas: how much one key may have stored on every node at once.
//!
//! The rate limits bound how fast an author publishes, not how much piles up: at 20
//! envelopes a second, one key could store about 8 GB a day on every node, kept up to 30
//! days. A quota bounds what each author has stored (until garbage collection removes
//! it, which gives the quota back). Over quota, the pipeline ignores the envelope: not
//! stored, not relayed, no penalty for the peer that forwarded it.
//!
//! Every node applies the same numbers, so the community agrees on what is stored, and
//! the role comes from the community's root lists (the relay rule's view), not from the
//! lists a member follows.

use aviso_protocol::{Envelope, Role, TrustView};

use crate::store::{Quota, is_charged};

/// What a member key may have stored. Members send reports (a few a day; the CLI's
/// default life is 12 hours, the longest 30 days) and retract their own. Ten reports a day
/// kept the full 30 days is 300; a report is at most about 5 KB (a 4 KiB note and 64
/// area cells) and usually a few hundred bytes, so 1 MiB holds 200 of the largest. One
/// misbehaving member then costs each node 1 MiB, not gigabytes, and 300 items in an
/// organizer's report list.
pub const MEMBER_QUOTA: Quota = Quota {
    envelopes: 300,
    bytes: 1024 * 1024,
};

/// What an organizer key (or a list owner) may have stored. Organizers send alerts,
/// updates, cancels and all-clears, endorse others' alerts, confirm and dismiss reports
/// (each one envelope) and keep resource notices (up to 400 days). A busy raid response
/// is a few dozen of these a day; 100 a day kept the full 30 days is 3,000. Alerts carry
/// every translation: a typical one is 0.5 to 2 KB, the largest 64 KiB, so 32 MiB leaves
/// room for 500 of the largest. Organizer keys are few and vetted; a stolen one is
/// revoked, and until then costs each node at most 32 MiB and 3,000 items in every feed.
pub const ORGANIZER_QUOTA: Quota = Quota {
    envelopes: 3_000,
    bytes: 32 * 1024 * 1024,
};

/// The quota `env` counts against, judged by the community's root view `roots` at `now`:
/// the organizer quota when its author holds an organizer grant (anywhere, any category),
/// the member quota otherwise, and none for what is not charged (trust lists, see
/// [`is_charged`]).
pub fn quota_for(env: &Envelope, roots: &TrustView, now: u64) -> Option<Quota> {
    if !is_charged(env.kind()) {
        return None;
    }
    let organizer = roots
        .authorize(
            env.author(),
            Role::Organizer,
            &[],
            None,
            env.created_at(),
            now,
        )
        .is_ok();
    Some(if organizer {
        ORGANIZER_QUOTA
    } else {
        MEMBER_QUOTA
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aviso_protocol::fixtures::{NOW, key};
    use aviso_protocol::{Body, Category, CommunityId, Report, SecretKey, TrustEntry, fixtures};

    fn sign(sk: &SecretKey, body: &Body) -> Envelope {
        Envelope::sign(sk, CommunityId([1; 32]), body, NOW, NOW + 3600).expect("signs")
    }

    fn report() -> Body {
        Body::Report(Report {
            category: Category::Patrol,
            areas: fixtures::areas(&["9q8yy"]),
            seen_at: NOW,
            note: None,
        })
    }

    fn entry(n: u8, role: Role, areas: &[&str]) -> TrustEntry {
        let mut entry = fixtures::entry(key(n).public(), role, "");
        entry.areas = fixtures::areas(areas);
        entry
    }

    fn list() -> Body {
        Body::TrustList(fixtures::trust_list(
            "roots",
            1,
            vec![
                entry(2, Role::Organizer, &[]),
                // An organizer for one district only is still an organizer.
                entry(3, Role::Organizer, &["9q8z"]),
                entry(4, Role::Member, &[]),
            ],
        ))
    }

    #[test]
    fn role_decides_the_quota_and_trust_lists_are_not_charged() {
        let tl = sign(&key(1), &list());
        let roots = TrustView::build(&[key(1).public()], [&tl], NOW);
        let of = |n: u8| quota_for(&sign(&key(n), &report()), &roots, NOW);
        assert_eq!(of(1), Some(ORGANIZER_QUOTA), "the root");
        assert_eq!(of(2), Some(ORGANIZER_QUOTA));
        assert_eq!(
            of(3),
            Some(ORGANIZER_QUOTA),
            "a report outside its district"
        );
        assert_eq!(of(4), Some(MEMBER_QUOTA));
        assert_eq!(
            of(5),
            Some(MEMBER_QUOTA),
            "unknown (the relay rule refuses it)"
        );
        assert_eq!(quota_for(&tl, &roots, NOW), None);
        const {
            assert!(MEMBER_QUOTA.envelopes < ORGANIZER_QUOTA.envelopes);
            assert!(MEMBER_QUOTA.bytes < ORGANIZER_QUOTA.bytes);
        }
    }
}
