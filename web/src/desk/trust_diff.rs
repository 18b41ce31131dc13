//! What publishing the draft changes: the draft against the version last published, as a
//! list of changes, and each change in words for the publish preview.
//!
//! Pure functions of two lists, so the preview the organizer confirms is exactly what the
//! signed list changes (the unit tests below check both the changes and their words).

use aviso_protocol::{Area, Category, Delegate, Revocation, Role, TrustEntry, TrustList};

use crate::i18n::{Arg, Tr};
use crate::view::{self, Places};

/// One difference between the published list and the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListChange<'a> {
    /// The list's name.
    Renamed {
        /// Before.
        from: &'a str,
        /// After.
        to: &'a str,
    },
    /// A key newly on the list.
    Added(&'a TrustEntry),
    /// A key taken off the list (not revoked).
    Removed(&'a TrustEntry),
    /// A key whose role, label, areas, categories or expiry changed.
    Changed {
        /// Before.
        old: &'a TrustEntry,
        /// After.
        new: &'a TrustEntry,
    },
    /// A key newly revoked, or revoked from another time or for another reason.
    Revoked(&'a Revocation),
    /// A revocation that the draft no longer has.
    Unrevoked(&'a Revocation),
    /// Signatures needed for a category (1 when the list sets none).
    Threshold {
        /// The category.
        category: Category,
        /// Before.
        from: u8,
        /// After.
        to: u8,
    },
    /// A delegate newly trusted.
    DelegateAdded(&'a Delegate),
    /// A delegate no longer trusted.
    DelegateRemoved(&'a Delegate),
    /// A delegate whose label or scope changed.
    DelegateChanged {
        /// Before.
        old: &'a Delegate,
        /// After.
        new: &'a Delegate,
    },
}

fn threshold_of(list: &TrustList, c: Category) -> u8 {
    list.thresholds
        .iter()
        .find(|t| t.category == c)
        .map_or(1, |t| t.k)
}

/// What `new` changes from `old` (`None`: nothing published yet), in a stable order:
/// name, revocations, added, changed, removed, thresholds, delegates. A key both taken off
/// and revoked shows once, as revoked.
pub(crate) fn diff<'a>(old: Option<&'a TrustList>, new: &'a TrustList) -> Vec<ListChange<'a>> {
    let mut out = Vec::new();
    let empty: (&[TrustEntry], &[Revocation], &[Delegate]) = (&[], &[], &[]);
    let (old_entries, old_revoked, old_delegates) = old.map_or(empty, |o| {
        (
            o.entries.as_slice(),
            o.revoked.as_slice(),
            o.delegates.as_slice(),
        )
    });
    if let Some(o) = old
        && o.name != new.name
    {
        out.push(ListChange::Renamed {
            from: &o.name,
            to: &new.name,
        });
    }
    for r in &new.revoked {
        if !old_revoked.contains(r) {
            out.push(ListChange::Revoked(r));
        }
    }
    for r in old_revoked {
        if !new.revoked.iter().any(|n| n.key == r.key) {
            out.push(ListChange::Unrevoked(r));
        }
    }
    for e in &new.entries {
        if !old_entries.iter().any(|o| o.key == e.key) {
            out.push(ListChange::Added(e));
        }
    }
    for e in &new.entries {
        if let Some(o) = old_entries.iter().find(|o| o.key == e.key && *o != e) {
            out.push(ListChange::Changed { old: o, new: e });
        }
    }
    for o in old_entries {
        let listed = new.entries.iter().any(|e| e.key == o.key);
        let revoked = new.revoked.iter().any(|r| r.key == o.key);
        if !listed && !revoked {
            out.push(ListChange::Removed(o));
        }
    }
    let mut categories: Vec<Category> = new
        .thresholds
        .iter()
        .chain(old.map_or(&[][..], |o| o.thresholds.as_slice()))
        .map(|t| t.category)
        .collect();
    categories.sort();
    categories.dedup();
    for c in categories {
        let from = old.map_or(1, |o| threshold_of(o, c));
        let to = threshold_of(new, c);
        if from != to {
            out.push(ListChange::Threshold {
                category: c,
                from,
                to,
            });
        }
    }
    for d in &new.delegates {
        match old_delegates.iter().find(|o| o.key == d.key) {
            None => out.push(ListChange::DelegateAdded(d)),
            Some(o) if o != d => out.push(ListChange::DelegateChanged { old: o, new: d }),
            Some(_) => {}
        }
    }
    for o in old_delegates {
        let kept = new.delegates.iter().any(|d| d.key == o.key);
        let revoked = new.revoked.iter().any(|r| r.key == o.key);
        if !kept && !revoked {
            out.push(ListChange::DelegateRemoved(o));
        }
    }
    out
}

/// A date (UTC), the same in every language: 2026-11-30, isolated left to right (U+2068
/// ... U+2069) so that it reads the same inside a right-to-left sentence.
pub(crate) fn date(at: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp(i64::try_from(at).unwrap_or(i64::MAX))
        .map(|t| format!("\u{2068}{}\u{2069}", t.date()))
        .unwrap_or_default()
}

/// A role in words.
pub(crate) fn role(tr: &Tr, r: Role) -> String {
    tr.t(match r {
        Role::Organizer => "lists-role-organizer",
        Role::Member => "lists-role-member",
    })
}

/// Areas in words: named places by name; none means everywhere.
pub(crate) fn areas(tr: &Tr, places: &Places, a: &[Area]) -> String {
    if a.is_empty() {
        tr.t("lists-scope-everywhere")
    } else {
        places.describe(a)
    }
}

/// Categories in words; none means every category and resource notices.
pub(crate) fn categories(tr: &Tr, c: &[Category]) -> String {
    if c.is_empty() {
        tr.t("lists-scope-all-categories")
    } else {
        c.iter()
            .map(|c| view::category(tr, *c))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Until when an entry holds.
pub(crate) fn until(tr: &Tr, expires_at: Option<u64>) -> String {
    match expires_at {
        Some(t) => tr.s("lists-scope-until", "date", &date(t)),
        None => tr.t("lists-scope-with-list"),
    }
}

/// An entry's scope in one line: role, areas, categories, until when.
pub(crate) fn scope(tr: &Tr, places: &Places, e: &TrustEntry) -> String {
    tr.args(
        "lists-scope",
        &[
            ("role", Arg::Str(role(tr, e.role))),
            ("areas", Arg::Str(areas(tr, places, &e.areas))),
            ("categories", Arg::Str(categories(tr, &e.categories))),
            ("until", Arg::Str(until(tr, e.expires_at))),
        ],
    )
}

/// A delegate's scope in one line.
fn delegate_scope(tr: &Tr, places: &Places, d: &Delegate) -> String {
    tr.args(
        "lists-delegate-scope",
        &[
            ("areas", Arg::Str(areas(tr, places, &d.areas))),
            ("categories", Arg::Str(categories(tr, &d.categories))),
        ],
    )
}

/// Since when a revoked key's signatures are not trusted.
pub(crate) fn since(tr: &Tr, since: u64) -> String {
    if since == 0 {
        tr.t("lists-since-everything")
    } else {
        tr.s("lists-since-date", "date", &date(since))
    }
}

/// A change in words, in the page's language.
pub(crate) fn words(tr: &Tr, places: &Places, c: &ListChange<'_>) -> String {
    let who = |label: &str, key: &aviso_protocol::PublicKey| -> Vec<(&'static str, Arg)> {
        vec![
            ("label", Arg::Str(label.to_owned())),
            ("fingerprint", Arg::Str(key.fingerprint())),
        ]
    };
    match c {
        ListChange::Renamed { from, to } => tr.args(
            "lists-diff-renamed",
            &[
                ("from", Arg::Str((*from).to_owned())),
                ("to", Arg::Str((*to).to_owned())),
            ],
        ),
        ListChange::Added(e) => {
            let mut a = who(&e.label, &e.key);
            a.push(("scope", Arg::Str(scope(tr, places, e))));
            tr.args("lists-diff-added", &a)
        }
        ListChange::Removed(e) => tr.args("lists-diff-removed", &who(&e.label, &e.key)),
        ListChange::Changed { old, new } => {
            let mut a = who(&new.label, &new.key);
            a.push(("old", Arg::Str(scope(tr, places, old))));
            a.push(("new", Arg::Str(scope(tr, places, new))));
            if old.label != new.label {
                a.push(("was", Arg::Str(old.label.clone())));
                tr.args("lists-diff-changed-renamed", &a)
            } else {
                tr.args("lists-diff-changed", &a)
            }
        }
        ListChange::Revoked(r) => tr.args(
            "lists-diff-revoked",
            &[
                ("fingerprint", Arg::Str(r.key.fingerprint())),
                ("since", Arg::Str(since(tr, r.since))),
                ("reason", Arg::Str(r.reason.clone())),
            ],
        ),
        ListChange::Unrevoked(r) => {
            tr.s("lists-diff-unrevoked", "fingerprint", &r.key.fingerprint())
        }
        ListChange::Threshold { category, from, to } => tr.args(
            "lists-diff-threshold",
            &[
                ("category", Arg::Str(view::category(tr, *category))),
                ("from", Arg::Num(u64::from(*from))),
                ("to", Arg::Num(u64::from(*to))),
            ],
        ),
        ListChange::DelegateAdded(d) => {
            let mut a = who(&d.label, &d.key);
            a.push(("scope", Arg::Str(delegate_scope(tr, places, d))));
            tr.args("lists-diff-delegate-added", &a)
        }
        ListChange::DelegateRemoved(d) => {
            tr.args("lists-diff-delegate-removed", &who(&d.label, &d.key))
        }
        ListChange::DelegateChanged { new, .. } => {
            let mut a = who(&new.label, &new.key);
            a.push(("scope", Arg::Str(delegate_scope(tr, places, new))));
            tr.args("lists-diff-delegate-changed", &a)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::{PublicKey, Threshold};

    fn key(n: u8) -> PublicKey {
        aviso_protocol::fixtures::key(n).public()
    }

    fn entry(n: u8, role: Role, label: &str) -> TrustEntry {
        TrustEntry {
            key: key(n),
            role,
            label: label.into(),
            areas: vec![],
            categories: vec![],
            expires_at: None,
        }
    }

    fn list(entries: Vec<TrustEntry>) -> TrustList {
        TrustList {
            name: "Mission".into(),
            version: 1,
            entries,
            revoked: vec![],
            thresholds: vec![],
            delegates: vec![],
        }
    }

    #[test]
    fn the_same_list_changes_nothing() {
        let a = list(vec![entry(2, Role::Organizer, "Ana")]);
        let mut b = a.clone();
        b.version = 2;
        assert!(diff(Some(&a), &b).is_empty());
    }

    #[test]
    fn nothing_published_yet_adds_everything() {
        let b = list(vec![
            entry(2, Role::Organizer, "Ana"),
            entry(3, Role::Member, "Luis"),
        ]);
        let d = diff(None, &b);
        assert_eq!(
            d,
            [
                ListChange::Added(&b.entries[0]),
                ListChange::Added(&b.entries[1])
            ]
        );
    }

    #[test]
    fn every_kind_of_change() {
        let ana = entry(2, Role::Organizer, "Ana");
        let luis = entry(3, Role::Member, "Luis");
        let bea = entry(4, Role::Organizer, "Bea");
        let del = Delegate {
            key: key(6),
            label: "Eastside".into(),
            areas: vec![],
            categories: vec![],
        };
        let mut a = list(vec![ana.clone(), luis.clone(), bea.clone()]);
        a.thresholds = vec![Threshold {
            category: Category::Patrol,
            k: 2,
        }];
        a.delegates = vec![del.clone()];

        let mut b = a.clone();
        b.name = "Mission RR".into();
        // Luis becomes an organizer for one cell until a date; Bea is revoked (and so
        // off the list); Carla is added; raids need two signatures, patrols one again;
        // Eastside's scope narrows.
        let mut luis2 = luis.clone();
        luis2.role = Role::Organizer;
        luis2.areas = vec![Area::parse("9q8yy").unwrap()];
        luis2.expires_at = Some(1_900_000_000);
        let carla = entry(5, Role::Member, "Carla");
        b.entries = vec![ana.clone(), luis2.clone(), carla.clone()];
        let rev = Revocation {
            key: key(4),
            since: 0,
            reason: "phone stolen".into(),
        };
        b.revoked = vec![rev.clone()];
        b.thresholds = vec![Threshold {
            category: Category::Raid,
            k: 2,
        }];
        let mut del2 = del.clone();
        del2.categories = vec![Category::Raid];
        b.delegates = vec![del2.clone()];

        let d = diff(Some(&a), &b);
        assert_eq!(
            d,
            [
                ListChange::Renamed {
                    from: "Mission",
                    to: "Mission RR"
                },
                ListChange::Revoked(&rev),
                ListChange::Added(&carla),
                ListChange::Changed {
                    old: &luis,
                    new: &luis2
                },
                ListChange::Threshold {
                    category: Category::Raid,
                    from: 1,
                    to: 2
                },
                ListChange::Threshold {
                    category: Category::Patrol,
                    from: 2,
                    to: 1
                },
                ListChange::DelegateChanged {
                    old: &del,
                    new: &del2
                },
            ]
        );

        // The same changes in words, as the preview shows them.
        let tr = Tr::new("en");
        let places = Places(vec![(Area::parse("9q8yy").unwrap(), "24th St".into())]);
        let said: Vec<String> = d.iter().map(|c| words(&tr, &places, c)).collect();
        let fp = |n: u8| key(n).fingerprint();
        assert_eq!(
            said,
            [
                "List renamed from “Mission” to “Mission RR”".to_owned(),
                format!(
                    "Revoke {}: nothing it ever signed is trusted any more. Reason: phone stolen",
                    fp(4)
                ),
                format!(
                    "Add Carla ({}): member (sends reports); everywhere; all categories and resource notices; as long as the list",
                    fp(5)
                ),
                format!(
                    "Change Luis ({}): was member (sends reports); everywhere; all categories and resource notices; as long as the list. Now organizer (signs alerts and resource notices); 24th St (\u{2068}9q8yy\u{2069}); all categories and resource notices; until \u{2068}2030-03-17\u{2069}",
                    fp(3)
                ),
                "Raid: 1 → 2 signatures needed".to_owned(),
                "Agents patrolling: 2 → 1 signature needed".to_owned(),
                format!("Change delegate Eastside ({}): now everywhere; Raid", fp(6)),
            ]
        );

        // And back: everything undone, each in its own words.
        let back = diff(Some(&b), &a);
        assert!(back.contains(&ListChange::Unrevoked(&rev)));
        assert!(back.contains(&ListChange::Removed(&carla)));
        assert!(back.contains(&ListChange::Added(&bea)));
    }

    #[test]
    fn removing_and_delegates_in_words() {
        let ana = entry(2, Role::Organizer, "Ana");
        let del = Delegate {
            key: key(6),
            label: "Eastside".into(),
            areas: vec![],
            categories: vec![],
        };
        let mut a = list(vec![ana.clone()]);
        let b = list(vec![]);
        a.delegates = vec![del.clone()];
        let d = diff(Some(&a), &b);
        assert_eq!(
            d,
            [ListChange::Removed(&ana), ListChange::DelegateRemoved(&del)]
        );
        let tr = Tr::new("en");
        let places = Places::default();
        assert_eq!(
            words(&tr, &places, &d[0]),
            format!("Take Ana ({}) off the list", key(2).fingerprint())
        );
        let d = diff(Some(&b), &a);
        assert_eq!(
            words(&tr, &places, &d[1]),
            format!(
                "Trust the list of Eastside ({}): everywhere; all categories and resource notices",
                key(6).fingerprint()
            )
        );
        // Every language words every change (no message id shows through).
        for lang in crate::i18n::LANGUAGES {
            let tr = Tr::new(lang.tag);
            for c in diff(Some(&a), &b).iter().chain(diff(Some(&b), &a).iter()) {
                let w = words(&tr, &places, c);
                assert!(!w.contains("lists-"), "{}: {w}", lang.tag);
            }
        }
    }
}
