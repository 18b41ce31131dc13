//! Sample values for tests, benchmarks, the simulator and the demo (feature
//! `test-utils`): keys from a seed, communities, trust lists, alerts, reports and
//! resources.
//!
//! Fixtures only build values. They sign with the ordinary [`Envelope::sign`] and skip
//! no check: what they make passes or fails validation exactly as anything else would.
//! They panic on a bad argument (an invalid area cell, say), which is what a test wants.
//! Keys from [`key`] are public knowledge: never use them for anything real.

use crate::community::SALT_LEN;
use crate::{
    Alert, Area, Body, Category, Certainty, Community, CommunityId, Envelope, Info, MsgType, Place,
    PlaceName, PublicKey, Report, ReportText, Resource, ResourceInfo, ResourceKind, Role,
    SecretKey, Severity, Status, TrustEntry, TrustList, Urgency,
};

/// A fixed "now" for tests that pass the time in (2027-01-15).
pub const NOW: u64 = 1_800_000_000;
/// One hour in seconds.
pub const HOUR: u64 = 3_600;
/// One day in seconds.
pub const DAY: u64 = 24 * HOUR;

/// The signing key whose seed is 32 bytes of `n`: the same key in every test.
pub fn key(n: u8) -> SecretKey {
    SecretKey::from_seed(&[n; 32])
}

/// An area cell from text.
///
/// # Panics
/// If `cell` is not a valid cell.
pub fn area(cell: &str) -> Area {
    Area::parse(cell).expect("a valid fixture area cell")
}

/// Area cells from text.
///
/// # Panics
/// If any is not a valid cell.
pub fn areas(cells: &[&str]) -> Vec<Area> {
    cells.iter().map(|c| area(c)).collect()
}

/// A community named `name` whose one root key is `root`, with a fixed salt (`salt`
/// bytes of `salt_byte`): the same id every time for the same arguments.
///
/// # Panics
/// If `name` breaks the community's limits.
pub fn community(root: &SecretKey, salt_byte: u8, name: &str) -> Community {
    Community::new(
        root,
        [salt_byte; SALT_LEN],
        name,
        vec![root.public()],
        vec![],
    )
    .expect("a valid fixture community")
}

/// A trust-list entry for `key` in `role`, unscoped (every area, every category) and
/// without expiry.
pub fn entry(key: PublicKey, role: Role, label: impl Into<String>) -> TrustEntry {
    TrustEntry {
        key,
        role,
        label: label.into(),
        areas: vec![],
        categories: vec![],
        expires_at: None,
    }
}

/// A trust list with `entries`, no revocations, thresholds or delegates.
pub fn trust_list(name: impl Into<String>, version: u64, entries: Vec<TrustEntry>) -> TrustList {
    TrustList {
        name: name.into(),
        version,
        entries,
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    }
}

/// One language's text of an alert.
pub fn info(lang: &str, headline: &str, description: &str, instruction: &str) -> Info {
    Info {
        lang: lang.into(),
        headline: headline.into(),
        description: description.into(),
        instruction: instruction.into(),
    }
}

/// An actual, severe, immediate, observed alert of `category` in `cells`, with `info`:
/// no references, place description, onset or confirmations.
///
/// # Panics
/// If a cell is invalid.
pub fn alert(category: Category, cells: &[&str], info: Vec<Info>) -> Alert {
    Alert {
        category,
        severity: Severity::Severe,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: areas(cells),
        area_desc: None,
        onset: None,
        info,
        confirms: vec![],
    }
}

/// A raid alert in cell `9q8yy` with one English text: `headline`, then `description`
/// and `instruction`.
pub fn raid(headline: &str, description: &str, instruction: &str) -> Alert {
    alert(
        Category::Raid,
        &["9q8yy"],
        vec![info("en", headline, description, instruction)],
    )
}

/// A report of `category` in `cells`, seen at `seen_at`, with a note in `lang`.
///
/// # Panics
/// If a cell is invalid.
pub fn report(category: Category, cells: &[&str], seen_at: u64, lang: &str, text: &str) -> Report {
    Report {
        category,
        areas: areas(cells),
        seen_at,
        note: Some(ReportText {
            lang: lang.into(),
            text: text.into(),
        }),
    }
}

/// A free, confidential legal-aid resource `resource_key` named `name` in cell `9q8yy`,
/// with an English text, a phone number and a web address.
pub fn resource(resource_key: &str, name: &str) -> Resource {
    Resource {
        resource_key: resource_key.into(),
        kind: ResourceKind::LegalAid,
        info: vec![ResourceInfo {
            lang: "en".into(),
            name: name.into(),
            description: "Free consultations".into(),
            hours: "Mon-Fri 9-5".into(),
        }],
        phone: Some("+1 415 555 0100".into()),
        url: Some("https://example.org".into()),
        address: None,
        areas: vec![area("9q8yy")],
        languages_spoken: vec!["en".into(), "es".into()],
        free: true,
        no_id_required: true,
        confidential: true,
        walk_in: false,
        starts_at: None,
        ends_at: None,
    }
}

/// Names for `cell`: `(lang, name)` pairs, the first the default.
///
/// # Panics
/// If the cell is invalid.
pub fn place(cell: &str, names: &[(&str, &str)]) -> Place {
    Place {
        cell: area(cell),
        names: names
            .iter()
            .map(|(l, n)| PlaceName {
                lang: (*l).into(),
                name: (*n).into(),
            })
            .collect(),
    }
}

/// `body` signed by `key` for `community`, created at `created_at`, living `ttl` seconds.
///
/// # Panics
/// If the envelope breaks a rule (a body over its limits, a lifetime too long for its
/// kind): fixtures are meant to be valid.
pub fn sign(
    key: &SecretKey,
    community: CommunityId,
    body: &Body,
    created_at: u64,
    ttl: u64,
) -> Envelope {
    Envelope::sign(key, community, body, created_at, created_at + ttl)
        .expect("a valid fixture envelope")
}

/// The wire bytes of an envelope of kind tag `tag` (one this crate does not know, as a
/// newer node would send), signed by `key` for `community`, created at `created_at`,
/// living `ttl` seconds, with `body` as its opaque body bytes (at most 127 of them).
///
/// # Panics
/// If `tag` is a kind this crate knows or does not fit one byte of varint (`tag` < 128),
/// or the body is longer than 127 bytes.
pub fn unknown_kind(
    key: &SecretKey,
    community: CommunityId,
    tag: u8,
    body: &[u8],
    created_at: u64,
    ttl: u64,
) -> Vec<u8> {
    assert!(tag < 128 && crate::Kind::from_tag(u32::from(tag)).is_none());
    let len = u8::try_from(body.len()).ok().filter(|l| *l < 128);
    let len = len.expect("a body of at most 127 bytes");
    // A known kind's envelope with the same header fields, its kind byte replaced and
    // its body swapped: the header is one kind byte after the version and community.
    let known = sign(
        key,
        community,
        &Body::Endorsement(crate::Endorsement {
            alert: crate::Id([0; 32]),
        }),
        created_at,
        ttl,
    );
    let signed = &known.bytes()[..known.bytes().len() - 64];
    let kind_at = crate::envelope::DOMAIN_TAG.len() + 1 + 32;
    // The endorsement body is the last 33 bytes: its length (32) and the id.
    let mut bytes = signed[..signed.len() - 33].to_vec();
    bytes[kind_at] = tag;
    bytes.push(len);
    bytes.extend_from_slice(body);
    let signature = key.sign(&bytes);
    bytes.extend_from_slice(&signature);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_deterministic_and_valid() {
        assert_eq!(key(1).public(), key(1).public());
        assert_ne!(key(1).public(), key(2).public());
        let root = key(1);
        let c = community(&root, 42, "Test");
        assert_eq!(c.id, community(&root, 42, "Test").id);
        let list = trust_list("L", 1, vec![entry(key(2).public(), Role::Organizer, "org")]);
        let env = sign(&root, c.id, &Body::TrustList(list), NOW, DAY);
        assert!(env.verify().is_ok());
        let a = sign(&key(2), c.id, &Body::Alert(raid("h", "d", "i")), NOW, HOUR);
        assert!(a.verify().is_ok());
        let r = report(Category::Patrol, &["9q8yy"], NOW, "en", "seen");
        assert!(
            sign(&key(3), c.id, &Body::Report(r), NOW, HOUR)
                .verify()
                .is_ok()
        );
        let res = resource("clinic", "Clinic");
        assert!(
            sign(&key(2), c.id, &Body::Resource(res), NOW, DAY)
                .verify()
                .is_ok()
        );
    }
}
