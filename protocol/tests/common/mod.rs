//! Fixtures shared by the protocol's integration tests.
#![allow(dead_code, unused_imports)]

use aviso_protocol::*;

pub use aviso_protocol::fixtures::{HOUR, NOW, area, key, resource};

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
    fixtures::trust_list("Mission rapid response", version, entries)
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
    let mut a = fixtures::alert(
        category,
        areas,
        vec![
            info("en", "Raid on 24th St"),
            info("es", "Redada en la calle 24"),
        ],
    );
    a.area_desc = Some("near the station".into());
    a
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
    fixtures::report(
        Category::Raid,
        areas,
        NOW - 60,
        "es",
        "Dos camionetas sin placas",
    )
}
