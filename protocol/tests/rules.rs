//! The relay and display rules, case by case.

mod common;

use aviso_protocol::feed::ReportState;
use aviso_protocol::*;
use common::*;

/// A community whose root lists organizer `org` (scope `areas`) and member `mem`.
fn setup(w: &World, org: &SecretKey, areas: &[&str], mem: &SecretKey) -> Vec<Envelope> {
    let l = list(
        1,
        vec![
            entry(org, Role::Organizer, areas, &[]),
            entry(mem, Role::Member, &[], &[]),
        ],
    );
    vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)]
}

fn shown_alerts(feed: &Feed) -> Vec<Id> {
    feed.alerts
        .iter()
        .filter(|a| a.shown)
        .map(|a| a.id)
        .collect()
}

fn reasons_of(feed: &Feed, id: Id) -> Vec<Reason> {
    feed.alerts
        .iter()
        .find(|a| a.id == id)
        .expect("item present")
        .reasons
        .clone()
}

#[test]
fn trusted_alert_is_shown_and_relayed() {
    let w = World::new();
    let org = key(2);
    let mut envs = setup(&w, &org, &["9q8"], &key(3));
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 10,
    );
    assert!(relay_verdict(&a, w.community, &w.roots(&envs), NOW).is_ok());
    envs.push(a.clone());
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![a.id()]);
    let item = &feed.alerts[0];
    assert_eq!(item.signatures, 1);
    assert_eq!(item.text.as_ref().unwrap().lang, "en");
}

#[test]
fn other_community_is_rejected() {
    let w = World::new();
    let org = key(2);
    let envs = setup(&w, &org, &[], &key(3));
    let other = World {
        community: CommunityId([7; 32]),
        root: key(1),
    };
    let a = other.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    assert_eq!(
        relay_verdict(&a, w.community, &w.roots(&envs), NOW).reasons,
        vec![Reason::WrongCommunity]
    );
}

#[test]
fn unknown_author_is_not_relayed_or_shown() {
    let w = World::new();
    let mut envs = setup(&w, &key(2), &[], &key(3));
    let stranger = key(9);
    let a = w.sign(
        &stranger,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW,
    );
    assert_eq!(
        relay_verdict(&a, w.community, &w.roots(&envs), NOW).reasons,
        vec![Reason::UnknownAuthor]
    );
    envs.push(a.clone());
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(reasons_of(&feed, a.id()), vec![Reason::UnknownAuthor]);
}

#[test]
fn member_cannot_sign_alerts_but_can_report() {
    let w = World::new();
    let mem = key(3);
    let envs = setup(&w, &key(2), &[], &mem);
    let roots = w.roots(&envs);
    let a = w.sign(&mem, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    assert_eq!(
        relay_verdict(&a, w.community, &roots, NOW).reasons,
        vec![Reason::NotAuthorized {
            needs: Role::Organizer
        }]
    );
    let r = w.sign(&mem, Body::Report(report(&["9q8yy"])), NOW);
    assert!(relay_verdict(&r, w.community, &roots, NOW).is_ok());
}

#[test]
fn from_the_future_and_expired_are_not_relayed() {
    let w = World::new();
    let org = key(2);
    let envs = setup(&w, &org, &[], &key(3));
    let roots = w.roots(&envs);
    let body = Body::Alert(alert(Category::Raid, &["9q8yy"]));
    let ahead = w.sign(&org, body.clone(), NOW + 31 * 60);
    assert_eq!(
        relay_verdict(&ahead, w.community, &roots, NOW).reasons,
        vec![Reason::FromTheFuture]
    );
    let skewed = w.sign(&org, body.clone(), NOW + 29 * 60);
    assert!(relay_verdict(&skewed, w.community, &roots, NOW).is_ok());
    let old = w.sign(&org, body, NOW - 25 * HOUR);
    assert_eq!(
        relay_verdict(&old, w.community, &roots, NOW).reasons,
        vec![Reason::Expired]
    );
    let mut all = envs.clone();
    all.push(old.clone());
    let feed = compute_feed(&all, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert!(reasons_of(&feed, old.id()).contains(&Reason::Expired));
}

#[test]
fn revocation_since_zero_hides_everything() {
    let w = World::new();
    let org = key(2);
    let mut envs = setup(&w, &org, &[], &key(3));
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 50,
    );
    envs.push(a.clone());
    assert_eq!(
        shown_alerts(&compute_feed(&envs, &w.settings(), NOW)),
        vec![a.id()]
    );
    let mut l = list(2, vec![entry(&org, Role::Organizer, &[], &[])]);
    l.revoked.push(Revocation {
        key: org.public(),
        since: 0,
        reason: "key stolen".into(),
    });
    envs.push(w.sign(&w.root, Body::TrustList(l), NOW - 5));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Revoked { since: 0 }]
    );
    let b = w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    assert!(!relay_verdict(&b, w.community, &w.roots(&envs), NOW).is_ok());
}

#[test]
fn revocation_since_t_keeps_older_messages() {
    let w = World::new();
    let org = key(2);
    let t = NOW - 1000;
    let mut l = list(1, vec![entry(&org, Role::Organizer, &[], &[])]);
    l.revoked.push(Revocation {
        key: org.public(),
        since: t,
        reason: "left".into(),
    });
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 2000)];
    let before = w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), t - 1);
    let at = w.sign(&org, Body::Alert(alert(Category::Patrol, &["9q8yy"])), t);
    envs.extend([before.clone(), at.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![before.id()]);
    assert_eq!(
        reasons_of(&feed, at.id()),
        vec![Reason::Revoked { since: t }]
    );
}

/// The attack `since` alone cannot stop: with the stolen key, sign a new alert dated
/// before `since`. Judged by the later of `created_at` and when the node first saw it,
/// it counts as made after `since`: not relayed as it arrives, not shown when stored.
/// What the node saw before `since` keeps counting, as with `since` alone.
#[test]
fn a_stolen_key_cannot_backdate_past_since() {
    let w = World::new();
    let org = key(2);
    let since = NOW - 1000;
    let mut l = list(1, vec![entry(&org, Role::Organizer, &[], &[])]);
    l.revoked.push(Revocation {
        key: org.public(),
        since,
        reason: "key stolen".into(),
    });
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 2000)];
    let roots = w.roots(&envs);
    // Honest, before the theft, seen then.
    let honest = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        since - 60,
    );
    // Signed by the thief now, dated before `since`.
    let forged = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        since - 30,
    );
    // By `created_at` alone, both pass: the attack.
    assert!(relay_verdict(&forged, w.community, &roots, NOW).is_ok());
    // Arriving now, at a node that has the revocation: not relayed.
    let v = relay_verdict_seen(&forged, w.community, &roots, None, NOW, Some(NOW));
    assert_eq!(v.reasons, vec![Reason::Revoked { since }]);
    // The honest one, first seen before `since`, still passes with its first sighting.
    let seen_then = relay_verdict_seen(&honest, w.community, &roots, None, NOW, Some(since - 59));
    assert!(seen_then.is_ok(), "{seen_then:?}");

    envs.extend([honest.clone(), forged.clone()]);
    let seen = |id: &Id| {
        if *id == honest.id() {
            Some(since - 59)
        } else if *id == forged.id() {
            Some(NOW - 5)
        } else {
            None
        }
    };
    let feed = compute_feed_seen(&envs, &w.settings(), NOW, &seen);
    assert_eq!(shown_alerts(&feed), vec![honest.id()]);
    assert_eq!(
        reasons_of(&feed, forged.id()),
        vec![Reason::Revoked { since }]
    );
    // Without first sightings, the forgery would be shown: the rule is what hides it.
    let blind = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&blind).len(), 2);
}

#[test]
fn first_sightings_matter_only_against_a_revocation_with_since() {
    assert_eq!(judged_created_at(100, None), 100);
    assert_eq!(judged_created_at(100, Some(50)), 100);
    assert_eq!(judged_created_at(100, Some(150)), 150);
    let w = World::new();
    let org = key(2);
    let envs = setup(&w, &org, &[], &key(3));
    // Not revoked: a late first sighting changes nothing.
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 10,
    );
    let mut all = envs.clone();
    all.push(a.clone());
    let feed = compute_feed_seen(&all, &w.settings(), NOW, &|_| Some(NOW));
    assert_eq!(shown_alerts(&feed), vec![a.id()]);
    assert!(relay_verdict_seen(&a, w.community, &w.roots(&envs), None, NOW, Some(NOW)).is_ok());
}

#[test]
fn out_of_scope_area_or_category_is_never_shown() {
    let w = World::new();
    let org = key(2);
    let l = list(
        1,
        vec![entry(&org, Role::Organizer, &["9q8y"], &[Category::Patrol])],
    );
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let ok = w.sign(&org, Body::Alert(alert(Category::Patrol, &["9q8yy"])), NOW);
    let far = w.sign(
        &org,
        Body::Alert(alert(Category::Patrol, &["9q8yy", "dr5ru"])),
        NOW,
    );
    let coarse = w.sign(&org, Body::Alert(alert(Category::Patrol, &["9q8"])), NOW);
    let cat = w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    envs.extend([ok.clone(), far.clone(), coarse.clone(), cat.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![ok.id()]);
    assert_eq!(
        reasons_of(&feed, far.id()),
        vec![Reason::OutOfScopeArea {
            cell: area("dr5ru")
        }]
    );
    assert_eq!(
        reasons_of(&feed, coarse.id()),
        vec![Reason::OutOfScopeArea { cell: area("9q8") }]
    );
    assert_eq!(
        reasons_of(&feed, cat.id()),
        vec![Reason::OutOfScopeCategory {
            category: Category::Raid
        }]
    );
    let roots = w.roots(&envs);
    assert!(!relay_verdict(&far, w.community, &roots, NOW).is_ok());
    assert!(relay_verdict(&ok, w.community, &roots, NOW).is_ok());
}

#[test]
fn highest_trust_list_version_wins_in_any_order() {
    let w = World::new();
    let org = key(2);
    let v1 = w.sign(
        &w.root,
        Body::TrustList(list(1, vec![entry(&org, Role::Organizer, &[], &[])])),
        NOW - 300,
    );
    let v2 = w.sign(&w.root, Body::TrustList(list(2, vec![])), NOW - 200);
    let a = w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    for envs in [
        vec![v1.clone(), v2.clone(), a.clone()],
        vec![v2.clone(), v1.clone(), a.clone()],
    ] {
        let feed = compute_feed(&envs, &w.settings(), NOW);
        assert!(shown_alerts(&feed).is_empty(), "v2 removed the organizer");
        assert_eq!(w.roots(&envs).lists()[0].version, 2);
    }
    // A trust list from someone who is neither root nor delegate is not relayed.
    let rogue = w.sign(&org, Body::TrustList(list(9, vec![])), NOW);
    assert_eq!(
        relay_verdict(&rogue, w.community, &w.roots(&[v1]), NOW).reasons,
        vec![Reason::NotAListOwner]
    );
}

#[test]
fn thresholds_need_k_distinct_in_scope_organizers() {
    let w = World::new();
    let (o1, o2, o3, far) = (key(2), key(3), key(4), key(5));
    let mut l = list(
        1,
        vec![
            entry(&o1, Role::Organizer, &[], &[]),
            entry(&o2, Role::Organizer, &[], &[]),
            entry(&o3, Role::Organizer, &[], &[]),
            entry(&far, Role::Organizer, &["dr5"], &[]),
        ],
    );
    l.thresholds.push(Threshold {
        category: Category::Raid,
        k: 3,
    });
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let a = w.sign(
        &o1,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 10,
    );
    envs.push(a.clone());
    let endorse = |sk: &SecretKey| {
        w.sign(
            sk,
            Body::Endorsement(Endorsement { alert: a.id() }),
            NOW - 5,
        )
    };
    // The author endorsing itself, an out-of-scope organizer, and one valid co-signer (twice).
    envs.extend([endorse(&o1), endorse(&far), endorse(&o2)]);
    envs.push(w.sign(
        &o2,
        Body::Endorsement(Endorsement { alert: a.id() }),
        NOW - 4,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::NeedsSignatures { needed: 3, has: 2 }]
    );
    envs.push(endorse(&o3));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![a.id()]);
    assert_eq!(feed.alerts[0].signatures, 3);
    // A category without a threshold needs one signature.
    let p = w.sign(&o1, Body::Alert(alert(Category::Patrol, &["9q8yy"])), NOW);
    envs.push(p.clone());
    assert!(shown_alerts(&compute_feed(&envs, &w.settings(), NOW)).contains(&p.id()));
}

#[test]
fn cancel_and_all_clear_need_scope_over_the_target() {
    let w = World::new();
    let (org, other) = (key(2), key(3));
    let l = list(
        1,
        vec![
            entry(&org, Role::Organizer, &["9q8"], &[]),
            entry(&other, Role::Organizer, &["dr5"], &[]),
        ],
    );
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 50,
    );
    envs.push(a.clone());
    // `other` has no scope over 9q8yy: its cancel (in its own area) does nothing.
    let bogus = w.sign(
        &other,
        Body::Alert(follow_up(
            MsgType::Cancel,
            a.id(),
            Category::Raid,
            &["dr5ru"],
        )),
        NOW - 40,
    );
    envs.push(bogus.clone());
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![a.id()]);
    assert!(reasons_of(&feed, bogus.id()).contains(&Reason::NoAuthorityOverTarget));
    // An all-clear by the root (scope everywhere) ends it.
    let clear = w.sign(
        &w.root,
        Body::Alert(follow_up(
            MsgType::AllClear,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 30,
    );
    envs.push(clear.clone());
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::AllClear { by: clear.id() }]
    );
}

#[test]
fn cancel_by_author_ends_the_whole_update_chain() {
    let w = World::new();
    let org = key(2);
    let mut envs = setup(&w, &org, &[], &key(3));
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 50,
    );
    let u = w.sign(
        &org,
        Body::Alert(follow_up(
            MsgType::Update,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 40,
    );
    envs.extend([a.clone(), u.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        shown_alerts(&feed),
        vec![u.id()],
        "the update replaces the original"
    );
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Superseded { by: u.id() }]
    );
    assert_eq!(
        feed.alerts.iter().find(|x| x.id == u.id()).unwrap().thread,
        a.id()
    );
    let c = w.sign(
        &org,
        Body::Alert(follow_up(
            MsgType::Cancel,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 30,
    );
    envs.push(c.clone());
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, u.id()),
        vec![Reason::Cancelled { by: c.id() }]
    );
    // The cancel keeps its effect after it expires.
    let later = c.expires_at() + 1;
    assert!(
        compute_feed(&envs, &w.settings(), later)
            .alerts
            .iter()
            .all(|x| !x.shown)
    );
}

#[test]
fn retraction_by_author_hides_the_alert() {
    let w = World::new();
    let (org, stranger) = (key(2), key(9));
    let mut envs = setup(&w, &org, &[], &key(3));
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 50,
    );
    let fake = w.sign(
        &stranger,
        Body::Retraction(Retraction {
            target: a.id(),
            reason: RetractReason::False,
        }),
        NOW - 45,
    );
    envs.extend([a.clone(), fake]);
    assert_eq!(
        shown_alerts(&compute_feed(&envs, &w.settings(), NOW)),
        vec![a.id()]
    );
    envs.push(w.sign(
        &org,
        Body::Retraction(Retraction {
            target: a.id(),
            reason: RetractReason::Mistaken,
        }),
        NOW - 40,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Retracted {
            by: org.public(),
            why: RetractReason::Mistaken
        }]
    );
}

#[test]
fn reports_are_apart_and_confirmed_by_trusted_alerts() {
    let w = World::new();
    let (org, mem, outsider) = (key(2), key(3), key(9));
    let mut envs = setup(&w, &org, &[], &mem);
    let r = w.sign(&mem, Body::Report(report(&["9q8yy"])), NOW - 100);
    let r2 = w.sign(&mem, Body::Report(report(&["9q8yz"])), NOW - 90);
    let r3 = w.sign(&outsider, Body::Report(report(&["9q8yy"])), NOW - 80);
    envs.extend([r.clone(), r2.clone(), r3.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(feed.alerts.is_empty(), "a report is never an alert");
    let shown: Vec<Id> = feed
        .reports
        .iter()
        .filter(|x| x.shown)
        .map(|x| x.id)
        .collect();
    assert_eq!(shown.len(), 2);
    assert!(!shown.contains(&r3.id()));
    // An untrusted alert confirming it does not confirm it.
    let mut fake = alert(Category::Raid, &["9q8yy"]);
    fake.confirms = vec![r.id()];
    envs.push(w.sign(&outsider, Body::Alert(fake.clone()), NOW - 60));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(
        feed.reports
            .iter()
            .all(|x| x.state == ReportState::Unverified)
    );
    let confirm = w.sign(&org, Body::Alert(fake), NOW - 50);
    // The organizer dismisses the other report as false.
    let dismiss = w.sign(
        &org,
        Body::Retraction(Retraction {
            target: r2.id(),
            reason: RetractReason::False,
        }),
        NOW - 40,
    );
    envs.extend([confirm.clone(), dismiss]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    let state = |id: Id| {
        feed.reports
            .iter()
            .find(|x| x.id == id)
            .unwrap()
            .state
            .clone()
    };
    assert_eq!(state(r.id()), ReportState::Confirmed { by: confirm.id() });
    assert_eq!(
        state(r2.id()),
        ReportState::Dismissed {
            by: org.public(),
            why: RetractReason::False
        }
    );
    assert_eq!(shown_alerts(&feed), vec![confirm.id()]);
}

#[test]
fn resources_show_latest_version_only() {
    let w = World::new();
    let org = key(2);
    let mut envs = setup(&w, &org, &[], &key(3));
    let v1 = w.sign(
        &org,
        Body::Resource(resource("clinic", "Legal clinic")),
        NOW - 100,
    );
    let v2 = w.sign(
        &org,
        Body::Resource(resource("clinic", "Legal clinic (new hours)")),
        NOW - 50,
    );
    let other = w.sign(
        &org,
        Body::Resource(resource("hotline", "Hotline")),
        NOW - 70,
    );
    envs.extend([v2.clone(), v1.clone(), other.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    let shown: Vec<Id> = feed
        .resources
        .iter()
        .filter(|x| x.shown)
        .map(|x| x.id)
        .collect();
    assert_eq!(shown.len(), 2);
    assert!(shown.contains(&v2.id()) && shown.contains(&other.id()));
    let old = feed.resources.iter().find(|x| x.id == v1.id()).unwrap();
    assert_eq!(old.reasons, vec![Reason::Superseded { by: v2.id() }]);
}

#[test]
fn member_areas_and_language_choice() {
    let w = World::new();
    let org = key(2);
    let mut envs = setup(&w, &org, &[], &key(3));
    let near = w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    let far = w.sign(&org, Body::Alert(alert(Category::Raid, &["dr5ru"])), NOW);
    envs.extend([near.clone(), far.clone()]);
    let settings = FeedSettings {
        areas: vec![area("9q8")],
        languages: vec!["es-MX".into()],
        ..w.settings()
    };
    let feed = compute_feed(&envs, &settings, NOW);
    assert_eq!(shown_alerts(&feed), vec![near.id()]);
    assert_eq!(reasons_of(&feed, far.id()), vec![Reason::OutsideYourAreas]);
    assert_eq!(feed.alerts[0].text.as_ref().unwrap().lang, "es");
}

#[test]
fn delegates_are_trusted_within_their_scope_only() {
    let w = World::new();
    let (delegate, dorg) = (key(6), key(7));
    let mut root_list = list(1, vec![]);
    root_list.delegates.push(Delegate {
        key: delegate.public(),
        label: "Oakland network".into(),
        areas: vec![area("9q9")],
        categories: vec![],
    });
    let dlist = list(1, vec![entry(&dorg, Role::Organizer, &[], &[])]);
    let mut envs = vec![
        w.sign(&w.root, Body::TrustList(root_list), NOW - 100),
        w.sign(&delegate, Body::TrustList(dlist), NOW - 90),
    ];
    let roots = w.roots(&envs);
    assert!(relay_verdict(&envs[1], w.community, &roots, NOW).is_ok());
    let inside = w.sign(&dorg, Body::Alert(alert(Category::Raid, &["9q9p1"])), NOW);
    let outside = w.sign(&dorg, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW);
    envs.extend([inside.clone(), outside.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![inside.id()]);
}

#[test]
fn not_following_the_root_shows_nothing() {
    let w = World::new();
    let org = key(2);
    let mut envs = setup(&w, &org, &[], &key(3));
    envs.push(w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW));
    let settings = FeedSettings {
        follow: vec![],
        ..w.settings()
    };
    assert!(shown_alerts(&compute_feed(&envs, &settings, NOW)).is_empty());
}

#[test]
fn a_cancelled_alert_no_longer_confirms_but_an_all_clear_one_does() {
    let w = World::new();
    let (org, mem) = (key(2), key(3));
    let mut envs = setup(&w, &org, &[], &mem);
    let r1 = w.sign(&mem, Body::Report(report(&["9q8yy"])), NOW - 100);
    let r2 = w.sign(&mem, Body::Report(report(&["9q8yz"])), NOW - 99);
    let confirm = |r: &Envelope, t| {
        let mut a = alert(Category::Raid, &["9q8yy"]);
        a.confirms = vec![r.id()];
        w.sign(&org, Body::Alert(a), t)
    };
    let (a1, a2) = (confirm(&r1, NOW - 90), confirm(&r2, NOW - 89));
    let cancel = w.sign(
        &org,
        Body::Alert(follow_up(
            MsgType::Cancel,
            a1.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 80,
    );
    let clear = w.sign(
        &org,
        Body::Alert(follow_up(
            MsgType::AllClear,
            a2.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 80,
    );
    envs.extend([r1.clone(), r2.clone(), a1, a2.clone(), cancel, clear]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    let state = |id: Id| {
        feed.reports
            .iter()
            .find(|x| x.id == id)
            .unwrap()
            .state
            .clone()
    };
    assert_eq!(
        state(r1.id()),
        ReportState::Unverified,
        "the confirming alert was withdrawn as wrong"
    );
    assert_eq!(
        state(r2.id()),
        ReportState::Confirmed { by: a2.id() },
        "the danger ended; the fact stands"
    );
}

#[test]
fn reasons_read_as_words() {
    assert_eq!(
        Reason::NotAuthorized {
            needs: Role::Organizer
        }
        .to_string(),
        "author is not a listed organizer"
    );
    assert_eq!(
        Reason::OutOfScopeCategory {
            category: Category::Raid
        }
        .to_string(),
        "out of scope: category raid"
    );
    assert_eq!(
        Reason::NeedsSignatures { needed: 2, has: 1 }.to_string(),
        "needs 2 signatures, has 1"
    );
}

#[test]
fn an_owner_label_on_its_own_list_is_the_one_shown() {
    let w = World::new();
    let mut l = list(1, vec![]);
    l.entries.push(TrustEntry {
        key: w.root.public(),
        role: Role::Organizer,
        label: "Mission coordinators".into(),
        areas: vec![],
        categories: vec![],
        expires_at: None,
    });
    let envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 10)];
    assert_eq!(
        w.roots(&envs).label(&w.root.public()),
        Some("Mission coordinators")
    );
    assert_eq!(w.roots(&[]).label(&w.root.public()), Some("list owner"));
}

// ---- regressions from the security review ----

/// A raid needs two signatures: a single organizer can neither replace it with an update
/// in another category nor declare it all clear.
#[test]
fn one_key_cannot_update_or_clear_a_co_signed_alert() {
    let w = World::new();
    let (o1, o2) = (key(2), key(3));
    let mut l = list(
        1,
        vec![
            entry(&o1, Role::Organizer, &[], &[]),
            entry(&o2, Role::Organizer, &[], &[]),
        ],
    );
    l.thresholds.push(Threshold {
        category: Category::Raid,
        k: 2,
    });
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let a = w.sign(
        &o1,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 50,
    );
    envs.push(a.clone());
    envs.push(w.sign(
        &o2,
        Body::Endorsement(Endorsement { alert: a.id() }),
        NOW - 49,
    ));
    assert_eq!(
        shown_alerts(&compute_feed(&envs, &w.settings(), NOW)),
        vec![a.id()]
    );

    let sneaky = w.sign(
        &o2,
        Body::Alert(follow_up(
            MsgType::Update,
            a.id(),
            Category::Other,
            &["9q8yy"],
        )),
        NOW - 40,
    );
    let clear = w.sign(
        &o2,
        Body::Alert(follow_up(
            MsgType::AllClear,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 30,
    );
    envs.extend([sneaky.clone(), clear.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        shown_alerts(&feed),
        vec![a.id()],
        "the co-signed alert stands"
    );
    assert!(
        reasons_of(&feed, sneaky.id()).contains(&Reason::NeedsSignatures { needed: 2, has: 1 })
    );
    // With a second signature the all-clear counts.
    envs.push(w.sign(
        &o1,
        Body::Endorsement(Endorsement { alert: clear.id() }),
        NOW - 20,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::AllClear { by: clear.id() }]
    );
}

/// A stolen delegate key signs a list adding a new key; the root revokes the delegate with
/// a `since` before that list: nothing the list grants is trusted.
#[test]
fn a_revoked_list_owner_lists_count_for_nothing_whatever_since() {
    let w = World::new();
    let (delegate, evil) = (key(6), key(66));
    let mut root_list = list(1, vec![]);
    root_list.delegates.push(Delegate {
        key: delegate.public(),
        label: "partner".into(),
        areas: vec![],
        categories: vec![],
    });
    let mut envs = vec![
        w.sign(&w.root, Body::TrustList(root_list.clone()), NOW - 10_000),
        w.sign(
            &delegate,
            Body::TrustList(list(1, vec![entry(&evil, Role::Organizer, &[], &[])])),
            NOW - 2 * HOUR,
        ),
    ];
    let bad = w.sign(
        &evil,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - HOUR,
    );
    envs.push(bad.clone());
    assert_eq!(
        shown_alerts(&compute_feed(&envs, &w.settings(), NOW)),
        vec![bad.id()]
    );
    let mut v2 = root_list;
    v2.version = 2;
    v2.revoked.push(Revocation {
        key: delegate.public(),
        since: NOW - 3 * HOUR,
        reason: "stolen".into(),
    });
    envs.push(w.sign(&w.root, Body::TrustList(v2), NOW - 100));
    assert!(shown_alerts(&compute_feed(&envs, &w.settings(), NOW)).is_empty());
}

/// The newest version expires: it grants nothing, and the older version (which the newest
/// replaced, revocations included) does not come back.
#[test]
fn an_expired_newest_list_never_brings_back_an_older_one() {
    let w = World::new();
    let org = key(2);
    let v1 = w.sign(
        &w.root,
        Body::TrustList(list(1, vec![entry(&org, Role::Organizer, &[], &[])])),
        NOW - 100,
    );
    let mut l2 = list(2, vec![]);
    l2.revoked.push(Revocation {
        key: org.public(),
        since: 0,
        reason: "left".into(),
    });
    let v2 = Envelope::sign(
        &w.root,
        w.community,
        &Body::TrustList(l2),
        NOW - 50,
        NOW - 10,
    )
    .expect("signs");
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 5,
    );
    let feed = compute_feed(&[v1, v2, a.clone()], &w.settings(), NOW);
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Revoked { since: 0 }]
    );
}

/// Bob cancels Ana's false alert, then Bob's entry lapses: the alert stays cancelled.
#[test]
fn a_cancel_outlives_the_cancellers_entry() {
    let w = World::new();
    let (ana, bob) = (key(2), key(3));
    let mut bob_entry = entry(&bob, Role::Organizer, &[], &[]);
    bob_entry.expires_at = Some(NOW - 10);
    let l = list(1, vec![entry(&ana, Role::Organizer, &[], &[]), bob_entry]);
    let a = w.sign(
        &ana,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 100,
    );
    let c = w.sign(
        &bob,
        Body::Alert(follow_up(
            MsgType::Cancel,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 50,
    );
    let envs = vec![
        w.sign(&w.root, Body::TrustList(l), NOW - 200),
        a.clone(),
        c.clone(),
    ];
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Cancelled { by: c.id() }]
    );
}

/// Carl may act on Bob's update (his area) but not on Ana's original (another area):
/// cancelling the update ends only the update.
#[test]
fn a_cancel_ends_only_what_its_author_may_end() {
    let w = World::new();
    let (ana, bob, carl) = (key(2), key(3), key(4));
    let l = list(
        1,
        vec![
            entry(&ana, Role::Organizer, &[], &[]),
            entry(&bob, Role::Organizer, &[], &[]),
            entry(&carl, Role::Organizer, &["9q8yz"], &[]),
        ],
    );
    let a = w.sign(
        &ana,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 100,
    );
    let u = w.sign(
        &bob,
        Body::Alert(follow_up(
            MsgType::Update,
            a.id(),
            Category::Raid,
            &["9q8yz"],
        )),
        NOW - 90,
    );
    let c = w.sign(
        &carl,
        Body::Alert(follow_up(
            MsgType::Cancel,
            u.id(),
            Category::Raid,
            &["9q8yz"],
        )),
        NOW - 80,
    );
    let envs = vec![
        w.sign(&w.root, Body::TrustList(l), NOW - 200),
        a.clone(),
        u.clone(),
        c.clone(),
    ];
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        reasons_of(&feed, u.id()),
        vec![Reason::Cancelled { by: c.id() }]
    );
    assert_eq!(
        shown_alerts(&feed),
        vec![a.id()],
        "Ana's alert is not Carl's to end"
    );
}

/// The newest version of a thread expired: the older version it replaced stays hidden.
#[test]
fn an_expired_update_does_not_bring_back_the_version_it_replaced() {
    let w = World::new();
    let org = key(2);
    let l = list(1, vec![entry(&org, Role::Organizer, &[], &[])]);
    let a = Envelope::sign(
        &org,
        w.community,
        &Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 5 * HOUR,
        NOW + 19 * HOUR,
    )
    .expect("signs");
    let u = Envelope::sign(
        &org,
        w.community,
        &Body::Alert(follow_up(
            MsgType::Update,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 4 * HOUR,
        NOW - HOUR,
    )
    .expect("signs");
    let envs = vec![
        w.sign(&w.root, Body::TrustList(l), NOW - 10 * HOUR),
        a.clone(),
        u.clone(),
    ];
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Superseded { by: u.id() }]
    );
}

/// A key that is both a followed anchor and another anchor's delegate counts as an anchor,
/// whatever the order of the follow list.
#[test]
fn an_anchor_is_an_anchor_whatever_the_follow_order() {
    let w = World::new();
    let (other_root, org) = (key(8), key(9));
    let mut root_list = list(1, vec![]);
    root_list.delegates.push(Delegate {
        key: other_root.public(),
        label: "d".into(),
        areas: vec![area("9q9")],
        categories: vec![],
    });
    let envs = vec![
        w.sign(&w.root, Body::TrustList(root_list), NOW - 100),
        w.sign(
            &other_root,
            Body::TrustList(list(1, vec![entry(&org, Role::Organizer, &[], &[])])),
            NOW - 90,
        ),
    ];
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 10,
    );
    let mut all = envs.clone();
    all.push(a.clone());
    for follow in [
        vec![w.root.public(), other_root.public()],
        vec![other_root.public(), w.root.public()],
    ] {
        let settings = FeedSettings {
            follow,
            ..w.settings()
        };
        assert_eq!(
            shown_alerts(&compute_feed(&all, &settings, NOW)),
            vec![a.id()]
        );
    }
}

// ---- Regressions from the adversarial review (issue 16) ----

/// A raid alert that needs two signatures, co-signed by O1 and the root's O3.
fn co_signed_raid(
    w: &World,
    o1: &SecretKey,
    o2: &SecretKey,
    o3: &SecretKey,
) -> (Vec<Envelope>, Envelope) {
    let mut l = list(
        1,
        vec![
            entry(o1, Role::Organizer, &[], &[]),
            entry(o2, Role::Organizer, &[], &[]),
            entry(o3, Role::Organizer, &[], &[]),
        ],
    );
    l.thresholds.push(Threshold {
        category: Category::Raid,
        k: 2,
    });
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let a = w.sign(o1, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW - 50);
    envs.push(a.clone());
    envs.push(w.sign(
        o3,
        Body::Endorsement(Endorsement { alert: a.id() }),
        NOW - 49,
    ));
    (envs, a)
}

/// High 1: one organizer (or one stolen key) cannot silence a co-signed alert with a
/// retraction, whether or not it signed the alert; a co-signed retraction still works.
#[test]
fn one_key_cannot_retract_a_co_signed_alert() {
    let w = World::new();
    let (o1, o2, o3) = (key(2), key(3), key(4));
    let (mut envs, a) = co_signed_raid(&w, &o1, &o2, &o3);
    assert_eq!(
        shown_alerts(&compute_feed(&envs, &w.settings(), NOW)),
        vec![a.id()]
    );
    let retract = |sk: &SecretKey, at: u64| {
        w.sign(
            sk,
            Body::Retraction(Retraction {
                target: a.id(),
                reason: RetractReason::False,
            }),
            at,
        )
    };
    // O2 never signed the alert; the alert's own author alone is one key too.
    let by_o2 = retract(&o2, NOW - 40);
    let by_author = retract(&o1, NOW - 39);
    envs.extend([by_o2.clone(), by_author]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        shown_alerts(&feed),
        vec![a.id()],
        "one key cannot retract it"
    );
    // O2's retraction co-signed by a second organizer counts.
    envs.push(w.sign(
        &o3,
        Body::Endorsement(Endorsement { alert: by_o2.id() }),
        NOW - 30,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::Retracted {
            by: o2.public(),
            why: RetractReason::False
        }]
    );
}

/// Medium 6: an organizer outside a report's area or category cannot confirm it.
#[test]
fn a_confirmation_needs_scope_over_the_report() {
    let w = World::new();
    let (near, far, fire, mem) = (key(2), key(4), key(5), key(3));
    let l = list(
        1,
        vec![
            entry(&near, Role::Organizer, &["9q8"], &[]),
            entry(&far, Role::Organizer, &["dr5"], &[]),
            entry(&fire, Role::Organizer, &[], &[Category::Fire]),
            entry(&mem, Role::Member, &[], &[]),
        ],
    );
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let r = w.sign(&mem, Body::Report(report(&["9q8yy"])), NOW - 90);
    envs.push(r.clone());
    let confirming = |sk: &SecretKey, cat: Category, cell: &str, at: u64| {
        let mut a = alert(cat, &[cell]);
        a.confirms = vec![r.id()];
        w.sign(sk, Body::Alert(a), at)
    };
    // Each is a trusted alert in its own scope, but neither covers the raid report in 9q8.
    let far_alert = confirming(&far, Category::Raid, "dr5ru", NOW - 80);
    let fire_alert = confirming(&fire, Category::Fire, "9q8yy", NOW - 70);
    envs.extend([far_alert.clone(), fire_alert.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).contains(&far_alert.id()));
    assert!(shown_alerts(&feed).contains(&fire_alert.id()));
    let state = |feed: &Feed| {
        feed.reports
            .iter()
            .find(|x| x.id == r.id())
            .unwrap()
            .state
            .clone()
    };
    assert_eq!(state(&feed), ReportState::Unverified);
    let ok = confirming(&near, Category::Raid, "9q8yy", NOW - 60);
    envs.push(ok.clone());
    assert_eq!(
        state(&compute_feed(&envs, &w.settings(), NOW)),
        ReportState::Confirmed { by: ok.id() }
    );
    // A dismissal by the fire-only organizer does not count either.
    envs.push(w.sign(
        &fire,
        Body::Retraction(Retraction {
            target: r.id(),
            reason: RetractReason::False,
        }),
        NOW - 50,
    ));
    assert_eq!(
        state(&compute_feed(&envs, &w.settings(), NOW)),
        ReportState::Confirmed { by: ok.id() }
    );
}

/// Medium 7: a key listed for one alert category (a weather feed for `fire`) cannot
/// publish trusted resource notices; `resources` on its entry allows it.
#[test]
fn resources_need_the_resources_permission() {
    let w = World::new();
    let (weather, clinic, all) = (key(2), key(3), key(4));
    let l = list(
        1,
        vec![
            entry(&weather, Role::Organizer, &[], &[Category::Fire]),
            entry(&clinic, Role::Organizer, &[], &[Category::Resources]),
            entry(&all, Role::Organizer, &[], &[]),
        ],
    );
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let roots = w.roots(&envs);
    let honeypot = w.sign(
        &weather,
        Body::Resource(resource(
            "clinic",
            "Free immigration legal clinic, no ID required",
        )),
        NOW - 10,
    );
    assert_eq!(
        relay_verdict(&honeypot, w.community, &roots, NOW).reasons,
        vec![Reason::OutOfScopeCategory {
            category: Category::Resources
        }]
    );
    let real = w.sign(
        &clinic,
        Body::Resource(resource("clinic", "Mission legal clinic")),
        NOW - 9,
    );
    let general = w.sign(
        &all,
        Body::Resource(resource("hotline", "Hotline")),
        NOW - 8,
    );
    for env in [&real, &general] {
        assert!(relay_verdict(env, w.community, &roots, NOW).is_ok());
    }
    envs.extend([honeypot.clone(), real.clone(), general.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    let shown: Vec<Id> = feed
        .resources
        .iter()
        .filter(|r| r.shown)
        .map(|r| r.id)
        .collect();
    assert_eq!(shown.len(), 2);
    assert!(!shown.contains(&honeypot.id()));
    // `resources` is a permission, never the category of an alert, a report or a threshold.
    let mut a = alert(Category::Raid, &["9q8yy"]);
    a.category = Category::Resources;
    assert!(Body::Alert(a).validate().is_err());
    let mut r = report(&["9q8yy"]);
    r.category = Category::Resources;
    assert!(Body::Report(r).validate().is_err());
    let mut t = list(2, vec![]);
    t.thresholds.push(Threshold {
        category: Category::Resources,
        k: 2,
    });
    assert!(Body::TrustList(t).validate().is_err());
}

/// Low 8: a delegate lists a second key it controls and endorses its own alerts: one
/// list owner cannot meet a threshold alone. Keys the anchor listed count separately.
#[test]
fn one_delegate_cannot_meet_a_threshold_alone() {
    let w = World::new();
    let (delegate, puppet, o1) = (key(6), key(7), key(2));
    let mut root_list = list(1, vec![entry(&o1, Role::Organizer, &[], &[])]);
    root_list.delegates.push(Delegate {
        key: delegate.public(),
        label: "Oakland network".into(),
        areas: vec![],
        categories: vec![],
    });
    root_list.thresholds.push(Threshold {
        category: Category::Raid,
        k: 2,
    });
    let dlist = list(1, vec![entry(&puppet, Role::Organizer, &[], &[])]);
    let mut envs = vec![
        w.sign(&w.root, Body::TrustList(root_list), NOW - 100),
        w.sign(&delegate, Body::TrustList(dlist), NOW - 90),
    ];
    let a = w.sign(
        &delegate,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 50,
    );
    envs.push(a.clone());
    envs.push(w.sign(
        &puppet,
        Body::Endorsement(Endorsement { alert: a.id() }),
        NOW - 49,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        reasons_of(&feed, a.id()),
        vec![Reason::NeedsSignatures { needed: 2, has: 1 }]
    );
    // An organizer the root listed is a second voucher.
    envs.push(w.sign(
        &o1,
        Body::Endorsement(Endorsement { alert: a.id() }),
        NOW - 48,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(shown_alerts(&feed), vec![a.id()]);
    assert_eq!(feed.alerts[0].signatures, 2);
    assert_eq!(feed.alerts[0].endorsers, vec![o1.public()]);
}

// ---- Regressions from testing as a new user would (issue 17) ----

/// An update signed in the same second as the alert it names supersedes it, whatever the
/// ids say; the thread is still named by the first alert.
#[test]
fn an_update_in_the_same_second_supersedes_what_it_names() {
    let w = World::new();
    let org = key(2);
    let envs0 = setup(&w, &org, &[], &key(3));
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 10,
    );
    // Find an update whose id sorts before the alert's (about one try in two).
    let u = (0..64)
        .map(|n| {
            let mut body = follow_up(MsgType::Update, a.id(), Category::Raid, &["9q8yy"]);
            body.info[0].headline = format!("Raid moved to 26th St ({n})");
            w.sign(&org, Body::Alert(body), NOW - 10)
        })
        .find(|u| u.id() < a.id())
        .expect("an update with a smaller id");
    // And a second update of the update, in the same second again.
    let u2 = (0..64)
        .map(|n| {
            let mut body = follow_up(MsgType::Update, u.id(), Category::Raid, &["9q8yy"]);
            body.info[0].headline = format!("Raid over at 26th St ({n})");
            w.sign(&org, Body::Alert(body), NOW - 10)
        })
        .find(|x| x.id() < u.id())
        .expect("an update with a smaller id");
    for order in [
        vec![a.clone(), u.clone(), u2.clone()],
        vec![u2.clone(), u.clone(), a.clone()],
    ] {
        let mut envs = envs0.clone();
        envs.extend(order);
        let feed = compute_feed(&envs, &w.settings(), NOW);
        assert_eq!(shown_alerts(&feed), vec![u2.id()]);
        assert_eq!(
            reasons_of(&feed, a.id()),
            vec![Reason::Superseded { by: u2.id() }]
        );
        assert_eq!(
            reasons_of(&feed, u.id()),
            vec![Reason::Superseded { by: u2.id() }]
        );
        let item = feed.alerts.iter().find(|x| x.id == u2.id()).unwrap();
        assert_eq!(
            item.thread,
            a.id(),
            "the thread is named by its first alert"
        );
    }
}

/// An alert whose onset is after its expiry is refused; so is a report with empty text.
#[test]
fn onset_after_expiry_and_empty_report_text_are_refused() {
    let w = World::new();
    let org = key(2);
    let mut a = alert(Category::Raid, &["9q8yy"]);
    a.onset = Some(NOW + 25 * HOUR);
    let e = Envelope::sign(
        &org,
        w.community,
        &Body::Alert(a.clone()),
        NOW,
        NOW + 24 * HOUR,
    )
    .unwrap_err();
    assert!(matches!(e, DecodeError::OnsetAfterExpiry { .. }), "{e}");
    assert!(e.to_string().contains("onset"), "{e}");
    a.onset = Some(NOW + HOUR);
    assert!(Envelope::sign(&org, w.community, &Body::Alert(a), NOW, NOW + 24 * HOUR).is_ok());
    let mut r = report(&["9q8yy"]);
    for blank in ["", "  \n"] {
        r.note.as_mut().unwrap().text = blank.into();
        assert_eq!(
            Body::Report(r.clone()).validate(),
            Err(BodyError::Empty("note.text"))
        );
    }
}

/// Retractions, dismissals and endorsements that the display rule would never honour are
/// not relayed either, once the node holds their target.
#[test]
fn the_relay_rule_refuses_what_would_never_count() {
    let w = World::new();
    let (org, far, mem, mem2) = (key(2), key(4), key(3), key(5));
    let l = list(
        1,
        vec![
            entry(&org, Role::Organizer, &["9q8"], &[]),
            entry(&far, Role::Organizer, &["dr5"], &[]),
            entry(&mem, Role::Member, &[], &[]),
            entry(&mem2, Role::Member, &[], &[]),
        ],
    );
    let envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let roots = w.roots(&envs);
    let relay = |env: &Envelope, target: Option<&Envelope>| {
        relay_verdict_with_target(env, w.community, &roots, target, NOW)
    };
    let report = w.sign(&mem, Body::Report(report(&["9q8yy"])), NOW - 50);
    let a = w.sign(
        &org,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 40,
    );
    let retract = |sk: &SecretKey, target: &Envelope| {
        w.sign(
            sk,
            Body::Retraction(Retraction {
                target: target.id(),
                reason: RetractReason::False,
            }),
            NOW - 30,
        )
    };
    // Its author and an organizer in scope may; another member and a far organizer not.
    assert!(relay(&retract(&mem, &report), Some(&report)).is_ok());
    assert!(relay(&retract(&org, &report), Some(&report)).is_ok());
    assert!(!relay(&retract(&mem2, &report), Some(&report)).is_ok());
    assert_eq!(
        relay(&retract(&far, &report), Some(&report)).reasons,
        vec![Reason::OutOfScopeArea {
            cell: area("9q8yy")
        }]
    );
    assert!(!relay(&retract(&mem2, &a), Some(&a)).is_ok());
    // Target not here yet: an organizer's is kept, a member's waits for catch-up.
    assert!(relay(&retract(&far, &a), None).is_ok());
    assert!(!relay(&retract(&mem2, &a), None).is_ok());
    // Nobody withdraws someone else's trust list.
    assert!(!relay(&retract(&org, &envs[0]), Some(&envs[0])).is_ok());
    // Endorsements: not the author's own, not from outside the alert's scope.
    let endorse = |sk: &SecretKey| {
        w.sign(
            sk,
            Body::Endorsement(Endorsement { alert: a.id() }),
            NOW - 20,
        )
    };
    assert!(!relay(&endorse(&org), Some(&a)).is_ok());
    assert!(!relay(&endorse(&far), Some(&a)).is_ok());
    assert!(relay(&endorse(&far), None).is_ok());
    assert!(relay(&endorse(&w.root), Some(&a)).is_ok());
}

// ---- Regressions from the review of the fixes above ----

fn raid_threshold_list(entries: Vec<TrustEntry>) -> TrustList {
    let mut l = list(1, entries);
    l.thresholds.push(Threshold {
        category: Category::Raid,
        k: 2,
    });
    l
}

/// One key cannot end or replace a co-signed version by naming an older, one-signature
/// version of the same thread.
#[test]
fn naming_an_older_version_does_not_bypass_the_threads_threshold() {
    let w = World::new();
    let (o1, o2, x) = (key(2), key(3), key(4));
    let l = raid_threshold_list(vec![
        entry(&o1, Role::Organizer, &[], &[]),
        entry(&o2, Role::Organizer, &[], &[]),
        entry(&x, Role::Organizer, &["9q8"], &[Category::Patrol]),
    ]);
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let a1 = w.sign(
        &o1,
        Body::Alert(alert(Category::Patrol, &["9q8yy"])),
        NOW - 60,
    );
    let mut up = follow_up(MsgType::Update, a1.id(), Category::Raid, &["9q8yy"]);
    up.info = vec![info("en", "Now a raid")];
    let u = w.sign(&o1, Body::Alert(up), NOW - 50);
    let cosign = w.sign(
        &o2,
        Body::Endorsement(Endorsement { alert: u.id() }),
        NOW - 49,
    );
    envs.extend([a1.clone(), u.clone(), cosign]);
    assert_eq!(
        shown_alerts(&compute_feed(&envs, &w.settings(), NOW)),
        vec![u.id()]
    );
    // X, a patrol-only organizer, "updates" the first version to a false alarm, and
    // cancels it.
    let mut fake = follow_up(MsgType::Update, a1.id(), Category::Patrol, &["9q8yy"]);
    fake.info = vec![info("en", "False alarm")];
    let u2 = w.sign(&x, Body::Alert(fake), NOW - 40);
    let c = w.sign(
        &x,
        Body::Alert(follow_up(
            MsgType::Cancel,
            a1.id(),
            Category::Patrol,
            &["9q8yy"],
        )),
        NOW - 30,
    );
    envs.extend([u2.clone(), c]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        shown_alerts(&feed),
        vec![u.id()],
        "the co-signed version stands"
    );
    assert!(reasons_of(&feed, u2.id()).contains(&Reason::NeedsSignatures { needed: 2, has: 1 }));
}

/// Co-signers of a cancel count only with authority over the alert it ends, judged when
/// they signed: a `fire`-only key adds nothing, and an entry that lapses later does not
/// bring the cancelled alert back.
#[test]
fn co_signers_of_a_cancel_need_authority_over_its_target() {
    let w = World::new();
    let (o1, o2, o3, fire) = (key(2), key(3), key(4), key(5));
    let mut lapsing = entry(&o2, Role::Organizer, &[], &[]);
    lapsing.expires_at = Some(NOW - 10);
    let l = raid_threshold_list(vec![
        entry(&o1, Role::Organizer, &[], &[]),
        lapsing,
        entry(&o3, Role::Organizer, &[], &[]),
        entry(&fire, Role::Organizer, &[], &[Category::Other]),
    ]);
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let r = w.sign(
        &o1,
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 60,
    );
    let co = w.sign(
        &o3,
        Body::Endorsement(Endorsement { alert: r.id() }),
        NOW - 59,
    );
    // O1 cancels it as `other`; the `other`-only key co-signs.
    let c = w.sign(
        &o1,
        Body::Alert(follow_up(
            MsgType::Cancel,
            r.id(),
            Category::Other,
            &["9q8yy"],
        )),
        NOW - 40,
    );
    let weak = w.sign(
        &fire,
        Body::Endorsement(Endorsement { alert: c.id() }),
        NOW - 39,
    );
    envs.extend([r.clone(), co, c.clone(), weak]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        shown_alerts(&feed),
        vec![r.id()],
        "a fire-only co-signer adds nothing"
    );
    // O2 co-signs while listed; its entry lapses at NOW - 10: the cancel keeps its effect.
    envs.push(w.sign(
        &o2,
        Body::Endorsement(Endorsement { alert: c.id() }),
        NOW - 30,
    ));
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).is_empty());
    assert_eq!(
        reasons_of(&feed, r.id()),
        vec![Reason::Cancelled { by: c.id() }]
    );
}

/// A confirmation needs the signatures the report's category needs.
#[test]
fn one_key_cannot_confirm_a_report_of_a_co_signed_category() {
    let w = World::new();
    let (o1, mem) = (key(2), key(3));
    let l = raid_threshold_list(vec![
        entry(&o1, Role::Organizer, &[], &[]),
        entry(&mem, Role::Member, &[], &[]),
    ]);
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 100)];
    let r = w.sign(&mem, Body::Report(report(&["9q8yy"])), NOW - 90);
    let mut a = alert(Category::Other, &["9q8yy"]);
    a.confirms = vec![r.id()];
    let confirm = w.sign(&o1, Body::Alert(a), NOW - 80);
    envs.extend([r.clone(), confirm.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert!(shown_alerts(&feed).contains(&confirm.id()));
    let state = feed
        .reports
        .iter()
        .find(|x| x.id == r.id())
        .unwrap()
        .state
        .clone();
    assert_eq!(state, ReportState::Unverified);
}
