//! Property tests: round trips, signature binding, order independence, hostile bytes.
//!
//! `AVISO_FUZZ_CASES` raises the number of cases of the byte-fuzzing properties (the
//! long mode); CI runs the default.

mod common;

use aviso_protocol::limits::*;
use aviso_protocol::*;
use common::*;
use proptest::prelude::*;

fn fuzz_cases() -> u32 {
    std::env::var("AVISO_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000)
}

fn arb_area() -> impl Strategy<Value = Area> {
    "[0-9b-hjkmnp-z]{3,6}".prop_map(|s| Area::parse(&s).expect("alphabet"))
}

fn arb_areas() -> impl Strategy<Value = Vec<Area>> {
    prop::collection::btree_set(arb_area(), 1..5).prop_map(|s| s.into_iter().collect())
}

fn arb_category() -> impl Strategy<Value = Category> {
    prop::sample::select(Category::ALL.to_vec())
}

fn arb_text(max: usize) -> impl Strategy<Value = String> {
    prop::string::string_regex(&format!(".{{1,{}}}", max.min(40))).expect("regex")
}

fn arb_info() -> impl Strategy<Value = Vec<Info>> {
    prop::sample::subsequence(vec!["en", "es", "ht", "zh-Hant", "vi", "ar"], 1..4).prop_flat_map(
        |langs| {
            let n = langs.len();
            (
                Just(langs),
                prop::collection::vec((arb_text(40), arb_text(100), arb_text(100)), n),
            )
                .prop_map(|(langs, texts)| {
                    langs
                        .into_iter()
                        .zip(texts)
                        .map(|(l, (h, d, i))| Info {
                            lang: l.into(),
                            headline: format!("h{h}"),
                            description: d,
                            instruction: i,
                        })
                        .collect()
                })
        },
    )
}

fn arb_id() -> impl Strategy<Value = Id> {
    any::<[u8; 32]>().prop_map(Id)
}

fn arb_alert() -> impl Strategy<Value = Alert> {
    (
        arb_category(),
        arb_areas(),
        arb_info(),
        prop::collection::btree_set(arb_id(), 0..3),
        0u8..4,
        // An onset before the fixtures' expiry: a later one is refused (`OnsetAfterExpiry`).
        prop::option::of(0u64..1_800_000_000),
    )
        .prop_map(|(category, areas, info, refs, t, onset)| {
            let msg_type = [
                MsgType::Alert,
                MsgType::Update,
                MsgType::Cancel,
                MsgType::AllClear,
            ][t as usize];
            let mut references: Vec<Id> = refs.into_iter().collect();
            if msg_type == MsgType::Alert {
                references.clear();
            } else if references.is_empty() {
                references.push(Id([1; 32]));
            }
            Alert {
                category,
                severity: Severity::Moderate,
                urgency: Urgency::Expected,
                certainty: Certainty::Likely,
                status: Status::Exercise,
                msg_type,
                references,
                areas,
                area_desc: None,
                onset,
                info,
                confirms: vec![],
            }
        })
}

fn arb_body() -> impl Strategy<Value = Body> {
    prop_oneof![
        arb_alert().prop_map(Body::Alert),
        (arb_areas(), any::<u64>()).prop_map(|(areas, seen_at)| {
            let mut r = report(&["9q8yy"]);
            r.areas = areas;
            r.seen_at = seen_at;
            Body::Report(r)
        }),
        (arb_text(30), arb_areas()).prop_map(|(k, areas)| {
            // A key of white space alone is refused (as it should be): start with a letter.
            let mut r = resource(&format!("k{k}"), "Clinic");
            r.areas = areas;
            Body::Resource(r)
        }),
        arb_id().prop_map(|alert| Body::Endorsement(Endorsement { alert })),
        arb_id().prop_map(|target| Body::Retraction(Retraction {
            target,
            reason: RetractReason::Duplicate
        })),
        (any::<u64>(), prop::collection::vec(any::<u8>(), 0..4)).prop_map(|(version, seeds)| {
            let entries = seeds
                .iter()
                .enumerate()
                .map(|(i, _)| entry(&key(i as u8 + 10), Role::Member, &[], &[]))
                .collect();
            Body::TrustList(list(version, entries))
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn round_trip_every_kind(body in arb_body(), seed in any::<[u8; 32]>(), created in 1_800_000_000u64..4_000_000_000) {
        let w = World::new();
        let sk = SecretKey::from_seed(&seed);
        let env = Envelope::sign(&sk, w.community, &body, created, created + 3600).unwrap();
        let back = Envelope::decode(env.bytes()).unwrap();
        prop_assert_eq!(&back, &env);
        prop_assert_eq!(back.body(), &body);
        prop_assert_eq!(back.kind(), body.kind());
        prop_assert!(back.verify().is_ok());
        // The id of the raw bytes, without decoding, is the decoded envelope's id.
        prop_assert_eq!(aviso_protocol::envelope::id_of(env.bytes()), env.id());
        // JSON (the API's form) round-trips too.
        let json = serde_json::to_string(&body).unwrap();
        prop_assert_eq!(serde_json::from_str::<Body>(&json).unwrap(), body);
    }

    #[test]
    fn any_single_byte_flip_breaks_it(body in arb_body(), pos in any::<prop::sample::Index>(), bit in 0u8..8) {
        let w = World::new();
        let env = w.sign(&key(2), body, NOW);
        let mut bytes = env.bytes().to_vec();
        let i = pos.index(bytes.len());
        bytes[i] ^= 1 << bit;
        // Either it no longer decodes, or it decodes and the signature fails.
        if let Ok(e) = Envelope::decode(&bytes) {
            prop_assert!(e.verify().is_err(), "flip at {} of {} verified", i, bytes.len());
            // The id covers the signed bytes, not the signature: a flipped signature keeps
            // the id (so the pipeline must never mark an id as seen before verifying).
            if i < bytes.len() - 64 {
                prop_assert_ne!(e.id(), env.id());
            } else {
                prop_assert_eq!(aviso_protocol::envelope::id_of(&bytes), env.id());
            }
        }
    }

    #[test]
    fn relay_is_independent_of_arrival_order(perm in Just(()).prop_perturb(|_, mut rng| {
        let mut v: Vec<usize> = (0..5).collect();
        for i in (1..v.len()).rev() { v.swap(i, rng.random_range(0..=i)); }
        v
    })) {
        let w = World::new();
        let org = key(2);
        let mut l2 = list(2, vec![]);
        l2.revoked.push(Revocation { key: org.public(), since: 0, reason: "x".into() });
        let envs = vec![
            w.sign(&w.root, Body::TrustList(list(1, vec![entry(&org, Role::Organizer, &[], &[])])), NOW - 100),
            w.sign(&w.root, Body::TrustList(l2), NOW - 90),
            w.sign(&w.root, Body::TrustList(list(3, vec![entry(&org, Role::Organizer, &[], &[])])), NOW - 80),
            w.sign(&org, Body::Alert(alert(Category::Raid, &["9q8yy"])), NOW - 10),
            w.sign(&org, Body::Alert(alert(Category::Patrol, &["9q8yy"])), NOW - 5),
        ];
        let shuffled: Vec<Envelope> = perm.iter().map(|&i| envs[i].clone()).collect();
        let a = compute_feed(&envs, &w.settings(), NOW);
        let b = compute_feed(&shuffled, &w.settings(), NOW);
        prop_assert_eq!(&a, &b);
        // v3 is the highest version; it does not carry v2's revocation, and lists the organizer again.
        prop_assert_eq!(a.alerts.iter().filter(|x| x.shown).count(), 2);
    }
}

#[test]
fn kind_is_bound_by_the_signature() {
    // An endorsement body is a 32-byte id; a retraction body is the same id and a reason.
    // Re-label a signed endorsement as a retraction (kind byte, body length, one more
    // byte) and keep the signature: it decodes as a valid retraction, and must not verify.
    let w = World::new();
    let env = w.sign(
        &key(2),
        Body::Endorsement(Endorsement { alert: Id([5; 32]) }),
        NOW,
    );
    let (signed, sig) = env.bytes().split_at(env.bytes().len() - 64);
    let kind_pos = envelope::DOMAIN_TAG.len() + 1 + 32;
    let len_pos = signed.len() - 33;
    let mut b = signed.to_vec();
    assert_eq!((b[kind_pos], b[len_pos]), (4, 32));
    b[kind_pos] = 5;
    b[len_pos] = 33;
    b.push(0); // RetractReason::False
    b.extend_from_slice(sig);
    let relabelled = Envelope::decode(&b).expect("structurally a valid retraction");
    assert_eq!(relabelled.kind(), Kind::Retraction);
    assert!(relabelled.verify().is_err());
    assert!(env.verify().is_ok());
}

#[test]
fn limits_have_typed_errors() {
    let w = World::new();
    let org = key(2);
    let mut a = alert(Category::Raid, &["9q8yy"]);
    a.info = (0..17)
        .map(|i| info(&format!("x{}", (b'a' + i) as char).repeat(1)[..2], "h"))
        .collect();
    let err = Envelope::sign(&org, w.community, &Body::Alert(a), NOW, NOW + 60).unwrap_err();
    assert_eq!(
        err,
        DecodeError::Body(BodyError::TooMany {
            field: "info",
            max: MAX_LANGUAGES,
            len: 17
        })
    );

    let mut a = alert(Category::Raid, &["9q8yy"]);
    a.info[0].headline = "x".repeat(MAX_HEADLINE + 1);
    assert!(matches!(
        Envelope::sign(&org, w.community, &Body::Alert(a), NOW, NOW + 60),
        Err(DecodeError::Body(BodyError::TooLong {
            field: "info.headline",
            ..
        }))
    ));

    let mut a = alert(Category::Raid, &["9q8yy"]);
    a.info[1].lang = "en".into();
    assert!(matches!(
        Envelope::sign(&org, w.community, &Body::Alert(a), NOW, NOW + 60),
        Err(DecodeError::Body(BodyError::Duplicate {
            field: "info.lang",
            ..
        }))
    ));

    let body = Body::Alert(alert(Category::Raid, &["9q8yy"]));
    assert!(matches!(
        Envelope::sign(&org, w.community, &body, NOW, NOW),
        Err(DecodeError::ExpiresBeforeCreated { .. })
    ));
    assert!(matches!(
        Envelope::sign(&org, w.community, &body, NOW, NOW + 31 * 24 * HOUR),
        Err(DecodeError::LifetimeTooLong {
            kind: "alert",
            max_days: 30
        })
    ));
    assert!(Envelope::sign(&org, w.community, &body, u64::MAX - 1, u64::MAX).is_ok());
    let far = Envelope::sign(&org, w.community, &body, u64::MAX - 1, u64::MAX).unwrap();
    assert_eq!(
        far.check_time(NOW),
        Err(TimeError::TooNew {
            ahead: u64::MAX - 1 - NOW
        })
    );

    let big = vec![0u8; MAX_ENVELOPE_BYTES + 1];
    assert_eq!(
        Envelope::decode(&big),
        Err(DecodeError::TooLarge {
            size: MAX_ENVELOPE_BYTES + 1,
            max: MAX_ENVELOPE_BYTES
        })
    );
    assert_eq!(Envelope::decode(b"short"), Err(DecodeError::Truncated(5)));

    // Trailing bytes after the header (inside the signed part) are refused.
    let env = w.sign(&org, body, NOW);
    let mut b = env.bytes().to_vec();
    b.insert(b.len() - 64, 0);
    assert!(matches!(
        Envelope::decode(&b),
        Err(DecodeError::TrailingBytes(1))
    ));

    // A newer envelope version is named as such.
    let mut b = env.bytes().to_vec();
    b[envelope::DOMAIN_TAG.len()] = 2;
    assert_eq!(
        Envelope::decode(&b),
        Err(DecodeError::UnsupportedVersion(2))
    );
}

#[test]
fn length_fields_larger_than_input_do_not_allocate() {
    // An envelope whose body claims 4 GiB: postcard reads the varint and fails on the
    // missing bytes, without allocating.
    let mut b = envelope::DOMAIN_TAG.to_vec();
    b.push(1); // version
    b.extend_from_slice(&[0; 32]); // community
    b.push(1); // kind alert
    b.extend_from_slice(&[0; 32]); // author
    b.extend_from_slice(&[1, 2]); // created, expires
    b.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]); // body length ~ 4 GiB
    b.extend_from_slice(&[0; 64]);
    assert!(matches!(
        Envelope::decode(&b),
        Err(DecodeError::Malformed(_))
    ));
    // 10,000 language blocks claimed in a small body.
    let mut body = postcard::to_allocvec(&alert(Category::Raid, &["9q8yy"])).unwrap();
    body.truncate(8);
    body.extend_from_slice(&[0x90, 0x4e]); // varint 10,000
    assert!(Body::decode(Kind::Alert, &body).is_err());
}

fn valid_samples() -> Vec<Vec<u8>> {
    let w = World::new();
    let org = key(2);
    let mut l = list(
        1,
        vec![entry(&org, Role::Organizer, &["9q8"], &[Category::Raid])],
    );
    l.revoked.push(Revocation {
        key: key(8).public(),
        since: 5,
        reason: "r".into(),
    });
    l.thresholds.push(Threshold {
        category: Category::Raid,
        k: 2,
    });
    [
        Body::TrustList(l),
        Body::Alert(alert(Category::Raid, &["9q8yy"])),
        Body::Report(report(&["9q8yy"])),
        Body::Resource(resource("k", "n")),
        Body::Endorsement(Endorsement { alert: Id([3; 32]) }),
        Body::Retraction(Retraction {
            target: Id([3; 32]),
            reason: RetractReason::False,
        }),
    ]
    .into_iter()
    .map(|b| w.sign(&org, b, NOW).into_bytes())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz_cases()))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = Envelope::decode(&bytes);
        for kind in Kind::ALL {
            let _ = Body::decode(kind, &bytes);
        }
        let _ = Community::from_invite(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn mutated_envelopes_never_panic(
        sample in 0usize..6,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    ) {
        let mut bytes = valid_samples()[sample].clone();
        for (at, val, op) in edits {
            if bytes.is_empty() { break; }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = val,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, val),
            }
        }
        if let Ok(e) = Envelope::decode(&bytes) {
            let _ = e.verify();
            let _ = e.check_time(NOW);
            let w = World::new();
            let _ = relay_verdict(&e, w.community, &TrustView::default(), NOW);
            let _ = compute_feed(std::slice::from_ref(&e), &w.settings(), NOW);
        }
    }

    #[test]
    fn mutated_invites_never_panic_and_never_change_the_community(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<char>()), 1..6)) {
        let c = Community::new(&key(1), [1; community::SALT_LEN], "n", vec![key(1).public(), key(2).public()], vec!["/ip4/127.0.0.1/tcp/1/p2p/x".into()]).expect("valid");
        let mut chars: Vec<char> = c.to_invite().chars().collect();
        for (at, ch) in edits {
            let i = at.index(chars.len());
            chars[i] = ch;
        }
        // Only case and white space are forgiven: anything else is refused, never read as
        // another community.
        if let Ok(got) = Community::from_invite(&chars.into_iter().collect::<String>()) {
            prop_assert_eq!(got, c);
        }
    }
}
