//! Responses to alerts: the relay rule, the display rule, replacement and withdrawal, and
//! unknown kinds from newer nodes.

mod common;

use aviso_protocol::envelope::verify_header;
use aviso_protocol::response::{check_alert, ends};
use aviso_protocol::*;
use common::*;
use proptest::prelude::*;

/// A community whose root lists organizer 2 (for 9q8) and member 3; an alert by 2 made
/// at `NOW - 100`, living 24 hours.
fn setup(w: &World) -> (Vec<Envelope>, Envelope) {
    let l = list(
        1,
        vec![
            entry(&key(2), Role::Organizer, &["9q8"], &[]),
            entry(&key(3), Role::Member, &[], &[]),
            entry(&key(4), Role::Member, &[], &[]),
        ],
    );
    let a = w.sign(
        &key(2),
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        NOW - 100,
    );
    (
        vec![w.sign(&w.root, Body::TrustList(l), NOW - 200), a.clone()],
        a,
    )
}

fn answer(role: ResponderRole, eta: Option<u16>) -> Answer {
    Answer::Responding {
        role,
        eta_minutes: eta,
    }
}

/// A response by `sk` to `alert`, made at `at`, expiring with the alert.
fn respond(w: &World, sk: &SecretKey, alert: &Envelope, answer: Answer, at: u64) -> Envelope {
    let body = Body::Response(Response {
        alert: alert.id(),
        answer,
    });
    Envelope::sign(sk, w.community, &body, at, alert.expires_at()).expect("signs")
}

/// A response by `sk` to `alert` as a driver with no ETA, made at `NOW - 10`.
fn driver(w: &World, sk: &SecretKey, alert: &Envelope) -> Envelope {
    respond(w, sk, alert, answer(ResponderRole::Driver, None), NOW - 10)
}

fn relay(w: &World, envs: &[Envelope], env: &Envelope, target: Option<&Envelope>) -> Verdict {
    relay_verdict_with_target(env, w.community, &w.roots(envs), target, NOW)
}

fn tally(w: &World, envs: &[Envelope]) -> Vec<ResponseTally> {
    compute_feed(envs, &w.settings(), NOW).responses
}

#[test]
fn a_member_responding_to_a_live_alert_is_relayed_and_counted() {
    let w = World::new();
    let (mut envs, a) = setup(&w);
    let r = respond(
        &w,
        &key(3),
        &a,
        answer(ResponderRole::LegalObserver, Some(15)),
        NOW - 10,
    );
    assert!(relay(&w, &envs, &r, Some(&a)).is_ok());
    envs.push(r);
    let t = tally(&w, &envs);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].thread, a.id());
    assert_eq!(t[0].responding, 1);
    assert_eq!(t[0].roles[0].role, ResponderRole::LegalObserver);
    assert_eq!(t[0].roles[0].arrivals, [NOW - 10 + 15 * 60]);
}

#[test]
fn an_organizer_may_respond_too() {
    let w = World::new();
    let (envs, a) = setup(&w);
    let r = driver(&w, &key(2), &a);
    assert!(relay(&w, &envs, &r, Some(&a)).is_ok());
}

#[test]
fn a_key_on_no_list_is_not_relayed_nor_counted() {
    let w = World::new();
    let (mut envs, a) = setup(&w);
    let r = driver(&w, &key(9), &a);
    assert_eq!(
        relay(&w, &envs, &r, Some(&a)).reasons,
        [Reason::UnknownAuthor]
    );
    envs.push(r);
    assert!(tally(&w, &envs).is_empty());
}

#[test]
fn a_response_to_an_unknown_alert_waits_for_it() {
    let w = World::new();
    let (envs, a) = setup(&w);
    let r = driver(&w, &key(3), &a);
    assert_eq!(relay(&w, &envs, &r, None).reasons, [Reason::AlertUnknown]);
    // A report is not an alert.
    let rep = w.sign(&key(3), Body::Report(report(&["9q8yy"])), NOW - 50);
    assert_eq!(check_alert(&r, Some(&rep), NOW), Err(Reason::AlertUnknown));
    // Counted for nobody while the alert is missing.
    let envs_without: Vec<Envelope> = envs.iter().filter(|e| e.id() != a.id()).cloned().collect();
    assert!(tally(&w, &[envs_without, vec![r]].concat()).is_empty());
}

#[test]
fn a_response_may_not_outlive_its_alert() {
    let w = World::new();
    let (envs, a) = setup(&w);
    let body = Body::Response(Response {
        alert: a.id(),
        answer: answer(ResponderRole::Driver, None),
    });
    let r = Envelope::sign(&key(3), w.community, &body, NOW - 10, a.expires_at() + 1).unwrap();
    assert_eq!(
        relay(&w, &envs, &r, Some(&a)).reasons,
        [Reason::OutlivesAlert]
    );
}

#[test]
fn an_expired_alert_takes_no_responses_and_shows_none() {
    let w = World::new();
    let (mut envs, a) = setup(&w);
    let r = driver(&w, &key(3), &a);
    let later = a.expires_at() + 1;
    assert_eq!(check_alert(&r, Some(&a), later), Err(Reason::AlertNotLive));
    envs.push(r);
    assert!(
        compute_feed(&envs, &w.settings(), later)
            .responses
            .is_empty()
    );
}

#[test]
fn an_ended_alert_shows_no_responses_and_its_enders_are_recognized() {
    let w = World::new();
    let (mut envs, a) = setup(&w);
    envs.push(driver(&w, &key(3), &a));
    assert_eq!(tally(&w, &envs).len(), 1);
    for kind in [MsgType::Cancel, MsgType::AllClear] {
        let end = w.sign(
            &key(2),
            Body::Alert(follow_up(kind, a.id(), Category::Raid, &["9q8yy"])),
            NOW - 5,
        );
        assert!(ends(&end, &a.id()));
        let ended = [envs.clone(), vec![end]].concat();
        assert!(tally(&w, &ended).is_empty(), "{kind:?}");
    }
    let retraction = w.sign(
        &key(2),
        Body::Retraction(Retraction {
            target: a.id(),
            reason: RetractReason::Mistaken,
        }),
        NOW - 5,
    );
    assert!(ends(&retraction, &a.id()));
    assert!(tally(&w, &[envs.clone(), vec![retraction]].concat()).is_empty());
    // An update does not end the thread: responses to the first version still count.
    let update = w.sign(
        &key(2),
        Body::Alert(follow_up(
            MsgType::Update,
            a.id(),
            Category::Raid,
            &["9q8yy"],
        )),
        NOW - 5,
    );
    assert!(!ends(&update, &a.id()));
    let t = tally(&w, &[envs, vec![update]].concat());
    assert_eq!((t.len(), t[0].thread, t[0].responding), (1, a.id(), 1));
}

#[test]
fn the_latest_answer_replaces_and_a_withdrawal_ends_it() {
    let w = World::new();
    let (mut envs, a) = setup(&w);
    envs.push(respond(
        &w,
        &key(3),
        &a,
        answer(ResponderRole::Driver, Some(30)),
        NOW - 30,
    ));
    envs.push(respond(
        &w,
        &key(3),
        &a,
        answer(ResponderRole::Interpreter, None),
        NOW - 20,
    ));
    envs.push(respond(&w, &key(4), &a, Answer::CantRespond, NOW - 20));
    let t = tally(&w, &envs);
    assert_eq!((t[0].responding, t[0].cant_respond), (1, 1));
    assert_eq!(t[0].roles.len(), 1);
    assert_eq!(t[0].roles[0].role, ResponderRole::Interpreter);
    envs.push(respond(&w, &key(3), &a, Answer::Withdrawn, NOW - 10));
    let t = tally(&w, &envs);
    assert_eq!((t[0].responding, t[0].cant_respond), (0, 1));
    assert!(t[0].roles.is_empty());
    // An older answer arriving late does not come back over the withdrawal.
    envs.push(respond(
        &w,
        &key(3),
        &a,
        answer(ResponderRole::Driver, None),
        NOW - 40,
    ));
    assert_eq!(tally(&w, &envs)[0].responding, 0);
}

#[test]
fn a_tally_names_no_key() {
    let w = World::new();
    let (mut envs, a) = setup(&w);
    envs.push(respond(
        &w,
        &key(3),
        &a,
        answer(ResponderRole::Driver, Some(5)),
        NOW - 10,
    ));
    let json = serde_json::to_string(&tally(&w, &envs)).unwrap();
    assert!(!json.contains(&key(3).public().to_string()), "{json}");
}

#[test]
fn an_unknown_kind_is_told_apart_from_a_malformed_envelope() {
    let w = World::new();
    let bytes = fixtures::unknown_kind(&key(2), w.community, 100, b"from the future", NOW, HOUR);
    assert_eq!(
        Envelope::decode(&bytes).unwrap_err(),
        DecodeError::UnknownKind { tag: 100 }
    );
    let h = verify_header(&bytes).expect("well-formed, well signed");
    assert_eq!((h.tag, h.community), (100, w.community));
    // A bad signature on an unknown kind is still the sender's fault.
    let mut forged = bytes.clone();
    let last = forged.len() - 1;
    forged[last] ^= 1;
    assert_eq!(
        verify_header(&forged).unwrap_err(),
        DecodeError::BadSignature
    );
    // Every kind this node knows keeps its tag (the postcard variant index).
    for (i, k) in Kind::ALL.into_iter().enumerate() {
        assert_eq!(k.tag() as usize, i);
        assert_eq!(Kind::from_tag(k.tag()), Some(k));
    }
    assert_eq!(Kind::from_tag(Kind::ALL.len() as u32), None);
}

fn arb_answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        (
            0usize..4,
            prop::option::of(0u16..=response::MAX_ETA_MINUTES)
        )
            .prop_map(|(r, eta)| answer(ResponderRole::ALL[r], eta)),
        Just(Answer::CantRespond),
        Just(Answer::Withdrawn),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn responses_round_trip(ans in arb_answer(), id in any::<[u8; 32]>(), at in 1_800_000_000u64..1_900_000_000) {
        let w = World::new();
        let body = Body::Response(Response { alert: Id(id), answer: ans });
        let env = Envelope::sign(&key(3), w.community, &body, at, at + 3600).unwrap();
        let back = Envelope::decode(env.bytes()).unwrap();
        prop_assert_eq!(back.body(), &body);
        prop_assert_eq!(back.kind(), Kind::Response);
        prop_assert!(back.verify().is_ok());
        let json = serde_json::to_string(&body).unwrap();
        prop_assert_eq!(serde_json::from_str::<Body>(&json).unwrap(), body);
    }

    /// Whatever order the answers arrive in, the tally is the same: each key's latest
    /// answer by `(created_at, id)` counts.
    #[test]
    fn the_tally_is_independent_of_arrival_order(
        answers in prop::collection::vec((3u8..6, arb_answer(), 0u64..5), 1..10),
        seed in any::<u64>(),
    ) {
        let w = World::new();
        let (mut envs, a) = setup(&w);
        let l = list(2, (2u8..6).map(|k| entry(&key(k), if k == 2 { Role::Organizer } else { Role::Member }, if k == 2 { &["9q8"][..] } else { &[][..] }, &[])).collect());
        envs.push(w.sign(&w.root, Body::TrustList(l), NOW - 150));
        for (k, ans, dt) in &answers {
            envs.push(respond(&w, &key(*k), &a, *ans, NOW - 50 + dt));
        }
        let mut shuffled = envs.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let x = tally(&w, &envs);
        prop_assert_eq!(&x, &tally(&w, &shuffled));
        let people: std::collections::HashSet<u8> = answers.iter().map(|(k, _, _)| *k).collect();
        let counted = x.first().map_or(0, |t| t.responding + t.cant_respond);
        prop_assert!(counted as usize <= people.len());
    }
}
