//! Named places and structured hours: the relay and display rules, case by case, and
//! their laws as properties.

mod common;

use aviso_protocol::fixtures::place;
use aviso_protocol::hours::Hours;
use aviso_protocol::*;
use common::*;
use proptest::prelude::*;

fn notice(cell: &str, name: &str) -> Body {
    Body::Resource(place(cell, &[("en", name), ("es", &format!("{name} (es)"))]).to_resource())
}

/// A community whose root lists organizers `a` (scope `a_areas`) and `b` (everywhere),
/// both allowed to publish resource notices, hence place names.
fn setup(w: &World, a: &SecretKey, a_areas: &[&str], b: &SecretKey) -> Vec<Envelope> {
    let l = list(
        1,
        vec![
            entry(a, Role::Organizer, a_areas, &[Category::Resources]),
            entry(b, Role::Organizer, &[], &[]),
        ],
    );
    vec![w.sign(&w.root, Body::TrustList(l), NOW - 1000)]
}

fn names(feed: &Feed) -> Vec<(String, String)> {
    feed.places
        .iter()
        .map(|p| {
            (
                p.place.cell.to_string(),
                p.place.name_in(&["en"]).to_owned(),
            )
        })
        .collect()
}

#[test]
fn trusted_names_are_shown_and_kept_out_of_the_help_directory() {
    let w = World::new();
    let (a, b) = (key(2), key(3));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let n = w.sign(&a, notice("9q8yy", "Mission / 24th St"), NOW - 10);
    assert!(relay_verdict(&n, w.community, &w.roots(&envs), NOW).is_ok());
    envs.push(n.clone());
    envs.push(w.sign(&a, Body::Resource(resource("clinic", "Clinic")), NOW - 5));
    // Names are for every cell, whatever the member's own areas.
    let settings = FeedSettings {
        areas: vec![area("dr5")],
        ..w.settings()
    };
    let feed = compute_feed(&envs, &settings, NOW);
    assert_eq!(
        names(&feed),
        vec![("9q8yy".into(), "Mission / 24th St".into())]
    );
    assert_eq!(feed.places[0].id, n.id());
    assert_eq!(
        feed.places[0].place.name_in(&["es"]),
        "Mission / 24th St (es)"
    );
    assert_eq!(feed.resources.len(), 1, "the clinic only");
    assert_eq!(feed.resources[0].resource.resource_key, "clinic");
}

#[test]
fn untrusted_signer_is_ignored() {
    let w = World::new();
    let (a, b, stranger) = (key(2), key(3), key(9));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let n = w.sign(&stranger, notice("9q8yy", "Fake name"), NOW - 10);
    assert!(!relay_verdict(&n, w.community, &w.roots(&envs), NOW).is_ok());
    envs.push(n);
    assert!(compute_feed(&envs, &w.settings(), NOW).places.is_empty());
}

#[test]
fn a_member_cannot_name_places() {
    let w = World::new();
    let (a, mem) = (key(2), key(4));
    let l = list(
        1,
        vec![
            entry(&a, Role::Organizer, &[], &[]),
            entry(&mem, Role::Member, &[], &[]),
        ],
    );
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 1000)];
    let n = w.sign(&mem, notice("9q8yy", "Member's name"), NOW - 10);
    assert!(!relay_verdict(&n, w.community, &w.roots(&envs), NOW).is_ok());
    envs.push(n);
    assert!(compute_feed(&envs, &w.settings(), NOW).places.is_empty());
}

#[test]
fn out_of_area_cell_is_ignored() {
    let w = World::new();
    let (a, b) = (key(2), key(3));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let inside = w.sign(&a, notice("9q8yy", "Mission"), NOW - 10);
    let outside = w.sign(&a, notice("dr5ru", "Not my city"), NOW - 10);
    assert!(!relay_verdict(&outside, w.community, &w.roots(&envs), NOW).is_ok());
    envs.extend([inside, outside]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(names(&feed), vec![("9q8yy".into(), "Mission".into())]);
}

#[test]
fn an_entry_without_the_resources_capability_cannot_name_places() {
    let w = World::new();
    let a = key(2);
    let l = list(
        1,
        vec![entry(&a, Role::Organizer, &["9q8"], &[Category::Raid])],
    );
    let mut envs = vec![w.sign(&w.root, Body::TrustList(l), NOW - 1000)];
    let n = w.sign(&a, notice("9q8yy", "Mission"), NOW - 10);
    assert!(!relay_verdict(&n, w.community, &w.roots(&envs), NOW).is_ok());
    envs.push(n);
    assert!(compute_feed(&envs, &w.settings(), NOW).places.is_empty());
}

#[test]
fn newer_version_supersedes() {
    let w = World::new();
    let (a, b) = (key(2), key(3));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let v1 = w.sign(&a, notice("9q8yy", "Mision"), NOW - 100);
    let v2 = w.sign(&a, notice("9q8yy", "Mission / 24th St"), NOW - 50);
    envs.extend([v2.clone(), v1]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(
        names(&feed),
        vec![("9q8yy".into(), "Mission / 24th St".into())]
    );
    assert_eq!(feed.places[0].id, v2.id());
}

#[test]
fn withdrawn_disappears_and_the_older_version_does_not_come_back() {
    let w = World::new();
    let (a, b) = (key(2), key(3));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let v1 = w.sign(&a, notice("9q8yy", "Old name"), NOW - 100);
    let v2 = w.sign(&a, notice("9q8yy", "Mission"), NOW - 50);
    let withdraw = w.sign(
        &a,
        Body::Retraction(Retraction {
            target: v2.id(),
            reason: RetractReason::Withdrawn,
        }),
        NOW - 10,
    );
    envs.extend([v1, v2, withdraw]);
    assert!(compute_feed(&envs, &w.settings(), NOW).places.is_empty());
}

#[test]
fn expired_names_disappear() {
    let w = World::new();
    let (a, b) = (key(2), key(3));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let n = Envelope::sign(
        &a,
        w.community,
        &notice("9q8yy", "Mission"),
        NOW - 100,
        NOW - 1,
    )
    .expect("signs");
    envs.push(n);
    assert!(compute_feed(&envs, &w.settings(), NOW).places.is_empty());
}

#[test]
fn conflicting_names_newest_wins_then_smallest_id() {
    let w = World::new();
    let (a, b) = (key(2), key(3));
    let mut envs = setup(&w, &a, &["9q8"], &b);
    let by_a = w.sign(&a, notice("9q8yy", "Mission"), NOW - 100);
    let by_b = w.sign(&b, notice("9q8yy", "La Misión"), NOW - 50);
    envs.extend([by_b.clone(), by_a.clone()]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(names(&feed), vec![("9q8yy".into(), "La Misión".into())]);
    // Signed in the same second: the smaller id wins, on every node.
    let tie_a = w.sign(&a, notice("9q8yz", "Tie A"), NOW - 20);
    let tie_b = w.sign(&b, notice("9q8yz", "Tie B"), NOW - 20);
    let want = if tie_a.id() < tie_b.id() {
        "Tie A"
    } else {
        "Tie B"
    };
    envs.extend([tie_a, tie_b]);
    let feed = compute_feed(&envs, &w.settings(), NOW);
    assert_eq!(names(&feed)[1], ("9q8yz".into(), want.into()));
}

#[test]
fn a_coarse_name_names_the_finer_cells_inside_it() {
    let named = vec![
        NamedPlace {
            id: Id([1; 32]),
            author: key(2).public(),
            author_label: None,
            created_at: NOW,
            place: place("9q8y", &[("en", "Mission")]),
        },
        NamedPlace {
            id: Id([2; 32]),
            author: key(2).public(),
            author_label: None,
            created_at: NOW,
            place: place("9q8yy", &[("en", "24th St")]),
        },
    ];
    let name = |c: &str| place::place_for(&named, &area(c)).map(|p| p.place.name_in(&["en"]));
    assert_eq!(name("9q8yyk"), Some("24th St"));
    assert_eq!(name("9q8yz"), Some("Mission"));
    assert_eq!(name("9q8"), None, "a finer name never names a coarser cell");
}

fn arb_hours() -> impl Strategy<Value = Hours> {
    let span =
        (1u8..128, 0u16..1440, 1u16..=1440).prop_filter_map("opens and closes", |(d, o, c)| {
            (o != c).then_some(hours::Span {
                days: d,
                open: o,
                close: c,
            })
        });
    (
        proptest::collection::vec(span, 0..4),
        "[A-Z][a-z]{2,8}/[A-Z][a-z_]{2,10}",
    )
        .prop_map(|(spans, tz)| Hours { spans, tz })
}

proptest! {
    /// Whatever order notices arrive in, every node shows the same name for each cell.
    #[test]
    fn names_do_not_depend_on_arrival_order(
        picks in proptest::collection::vec((0usize..2, 0usize..3, 0u64..50), 1..8),
        shuffle in any::<u64>(),
    ) {
        let w = World::new();
        let (a, b) = (key(2), key(3));
        let cells = ["9q8yy", "9q8yz", "9q8y"];
        let mut envs = setup(&w, &a, &["9q8"], &b);
        for (i, (who, cell, t)) in picks.iter().enumerate() {
            let k = if *who == 0 { &a } else { &b };
            envs.push(w.sign(k, notice(cells[*cell], &format!("n{i}")), NOW - 100 + t));
        }
        let first = compute_feed(&envs, &w.settings(), NOW).places;
        let mut rest = envs.split_off(1);
        let n = rest.len();
        rest.rotate_left((shuffle as usize) % n);
        if shuffle % 2 == 0 {
            rest.reverse();
        }
        envs.extend(rest);
        prop_assert_eq!(first, compute_feed(&envs, &w.settings(), NOW).places);
    }

    /// The canonical text of a schedule reads back as the same schedule, and what is
    /// open is decided the same way.
    #[test]
    fn hours_text_round_trips(h in arb_hours(), day in 0u8..7, minute in 0u16..1440) {
        let back = Hours::from_text(&h.to_string()).expect("own text parses");
        prop_assert_eq!(back.is_open_at(day, minute), h.is_open_at(day, minute));
        prop_assert_eq!(back, h);
    }

    /// No text makes the schedule reader panic.
    #[test]
    fn hours_reader_never_panics(s in ".{0,80}") {
        let _ = Hours::from_text(&s);
    }
}
