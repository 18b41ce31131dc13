//! Fixtures shared by the protocol's integration tests.
#![allow(dead_code)]

use aviso_protocol::*;

pub const NOW: u64 = 1_800_000_000;
pub const HOUR: u64 = 3600;

pub fn key(n: u8) -> SecretKey {
    SecretKey::from_seed(&[n; 32])
}

pub fn area(s: &str) -> Area {
    Area::parse(s).expect("fixture area")
}

pub struct World {
    pub community: CommunityId,
    pub root: SecretKey,
}

impl World {
    pub fn new() -> Self {
        Self {
            community: CommunityId([42; 32]),
            root: key(1),
        }
    }

    pub fn sign(&self, sk: &SecretKey, body: Body, created_at: u64) -> Envelope {
        let ttl = match body.kind() {
            Kind::TrustList | Kind::Resource | Kind::Retraction => 300 * 24 * HOUR,
            _ => 24 * HOUR,
        };
        Envelope::sign(sk, self.community, &body, created_at, created_at + ttl)
            .expect("fixture signs")
    }

    pub fn settings(&self) -> FeedSettings {
        FeedSettings {
            follow: vec![self.root.public()],
            areas: vec![],
            languages: vec!["en".into()],
        }
    }

    pub fn roots(&self, envs: &[Envelope]) -> TrustView {
        TrustView::build(&[self.root.public()], envs, NOW)
    }
}

pub fn entry(sk: &SecretKey, role: Role, areas: &[&str], cats: &[Category]) -> TrustEntry {
    TrustEntry {
        key: sk.public(),
        role,
        label: format!("key {}", sk.public().fingerprint()),
        areas: areas.iter().map(|a| area(a)).collect(),
        categories: cats.to_vec(),
        expires_at: None,
    }
}

pub fn list(version: u64, entries: Vec<TrustEntry>) -> TrustList {
    TrustList {
        name: "Mission rapid response".into(),
        version,
        entries,
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    }
}

pub fn info(lang: &str, headline: &str) -> Info {
    Info {
        lang: lang.into(),
        headline: headline.into(),
        description: format!("{headline}: description"),
        instruction: "Stay inside. Do not open the door.".into(),
    }
}

pub fn alert(category: Category, areas: &[&str]) -> Alert {
    Alert {
        category,
        severity: Severity::Severe,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: areas.iter().map(|a| area(a)).collect(),
        area_desc: Some("near the station".into()),
        onset: None,
        info: vec![
            info("en", "Raid on 24th St"),
            info("es", "Redada en la calle 24"),
        ],
        confirms: vec![],
    }
}

pub fn follow_up(kind: MsgType, target: Id, category: Category, areas: &[&str]) -> Alert {
    let mut a = alert(category, areas);
    a.msg_type = kind;
    a.references = vec![target];
    if kind != MsgType::Update {
        a.info.clear();
    } else {
        a.info = vec![info("en", "Raid moved to 26th St")];
    }
    a
}

pub fn report(areas: &[&str]) -> Report {
    Report {
        category: Category::Raid,
        areas: areas.iter().map(|a| area(a)).collect(),
        seen_at: NOW - 60,
        note: Some(ReportText {
            lang: "es".into(),
            text: "Dos camionetas sin placas".into(),
        }),
    }
}

pub fn resource(key: &str, name: &str) -> Resource {
    Resource {
        resource_key: key.into(),
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
