//! Export then import gives back every field Aviso keeps.

mod common;

use aviso_cap::{ImportOptions, KnownAlert, SignedAlert, Warning, export_xml, import_xml};
use aviso_protocol::{Alert, Category, MsgType, Severity, Status, Urgency};
use common::*;

const CREATED: u64 = 1_720_000_000;
const EXPIRES: u64 = CREATED + 6 * 3600;

/// Export `alert`, import the XML ten minutes later, and compare.
fn round_trip(alert: &Alert) -> aviso_cap::Draft {
    let known = [KnownAlert {
        id: id(1),
        author: author(),
        created_at: CREATED - 3600,
    }];
    let signed = SignedAlert {
        id: id(0xab),
        author: author(),
        created_at: CREATED,
        expires_at: EXPIRES,
        alert,
    };
    let xml = export_xml(&signed, &known).expect("exports");
    let now = CREATED + 600;
    let draft = import_xml(&xml, &ImportOptions::new(now)).expect("imports its own export");
    assert_eq!(&draft.alert, alert, "round trip changed the alert:\n{xml}");
    assert_eq!(draft.expires_at, EXPIRES);
    assert_eq!(draft.ttl_secs, EXPIRES - now);
    assert!(!draft.expired);
    assert!(draft.source.from_aviso);
    assert_eq!(draft.source.identifier, id(0xab).to_hex());
    assert_eq!(draft.source.sent.unix, CREATED);
    assert!(draft.unresolved_references.is_empty());
    assert!(
        draft.warnings.is_empty(),
        "an Aviso export imports without warnings: {:?}",
        draft.warnings
    );
    assert_eq!(draft.alert.validate(), Ok(()));
    draft
}

#[test]
fn a_multilingual_alert() {
    round_trip(&raid_alert());
}

#[test]
fn every_category_and_scale() {
    for c in Category::ALL {
        for (s, u) in [
            (Severity::Extreme, Urgency::Expected),
            (Severity::Minor, Urgency::Past),
            (Severity::Unknown, Urgency::Unknown),
        ] {
            let mut a = raid_alert();
            a.category = c;
            a.severity = s;
            a.urgency = u;
            round_trip(&a);
        }
    }
}

#[test]
fn statuses_and_message_types() {
    for status in [Status::Actual, Status::Exercise, Status::Test] {
        let mut a = raid_alert();
        a.status = status;
        round_trip(&a);

        let mut u = raid_alert();
        u.status = status;
        u.msg_type = MsgType::Update;
        u.references = vec![id(1)];
        round_trip(&u);

        let mut clear = u.clone();
        clear.msg_type = MsgType::AllClear;
        round_trip(&clear);
        clear.info.clear();
        round_trip(&clear);

        let mut cancel = u.clone();
        cancel.msg_type = MsgType::Cancel;
        round_trip(&cancel);
        cancel.info.clear();
        round_trip(&cancel);
    }
}

#[test]
fn optional_fields_absent_and_cells_of_every_precision() {
    let mut a = raid_alert();
    a.area_desc = None;
    a.onset = None;
    a.areas = cells(&["9q8", "dr5r", "u4pru", "6gkzwg", "9q9", "9q8yyz"]);
    a.info.truncate(1);
    a.info[0].description.clear();
    a.info[0].instruction.clear();
    round_trip(&a);
}

#[test]
fn awkward_text_survives() {
    let mut a = raid_alert();
    a.info[0].headline = "<b>&amp;</b> \"quoted\" 'single' ]]> \u{1F6A8}".into();
    a.info[0].description = "line one\r\nline two\n\n\tindented\nend".into();
    a.info[0].instruction = "&#x41; is not A; <![CDATA[ nor this ]]>".into();
    a.area_desc = Some("Calle 24 & Misión — «norte»".into());
    round_trip(&a);
}

#[test]
fn many_cells_and_languages_at_the_limits() {
    let mut a = raid_alert();
    // 64 cells, none inside another, not merging into a parent.
    let alphabet = b"0123456789bcdefghjkmnpqrstuvwxyz";
    a.areas = (0..64)
        .map(|i| {
            let s = format!(
                "9q{}{}",
                alphabet[i % 32] as char,
                alphabet[(i / 32) * 5] as char
            );
            aviso_protocol::Area::parse(&s).unwrap()
        })
        .collect();
    let langs = [
        "en", "es", "fr", "de", "zh-Hant", "vi", "tl", "ko", "ar", "ht", "pt-BR", "ru", "uk", "fa",
        "hi", "yue",
    ];
    a.info = langs
        .iter()
        .map(|l| aviso_protocol::Info {
            lang: (*l).into(),
            headline: format!("headline in {l}"),
            description: format!("description in {l}"),
            instruction: String::new(),
        })
        .collect();
    assert_eq!(a.validate(), Ok(()));
    round_trip(&a);
}

#[test]
fn references_this_node_does_not_hold_are_named_in_a_note() {
    let mut a = raid_alert();
    a.msg_type = MsgType::Update;
    a.references = vec![id(1), id(2)];
    let signed = SignedAlert {
        id: id(0xab),
        author: author(),
        created_at: CREATED,
        expires_at: EXPIRES,
        alert: &a,
    };
    let xml = export_xml(&signed, &[]).unwrap();
    assert!(xml.contains(&format!(
        "<note>Also applies to Aviso alerts this node no longer holds, so they cannot be named as CAP references: {} {}</note>",
        id(1).to_hex(),
        id(2).to_hex()
    )));
    assert!(!xml.contains("<references>"));
    // Imported without references, the update becomes a new alert, and says so.
    let d = import_xml(&xml, &ImportOptions::new(CREATED)).unwrap();
    assert_eq!(d.alert.msg_type, MsgType::Alert);
    assert!(d.alert.references.is_empty());
    assert!(d.warnings.contains(&Warning::UpdateBecameAlert));
    // Given the ids again, it is the same update.
    let mut opts = ImportOptions::new(CREATED);
    opts.references = vec![id(1), id(2)];
    let d = import_xml(&xml, &opts).unwrap();
    assert_eq!(d.alert, a);
}
