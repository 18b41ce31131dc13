//! The pipeline's relay rule against what a retraction or endorsement names: what the
//! display rule would never honour is not stored (so not relayed), with a real sled store.

mod common;

use std::sync::Arc;

use aviso_node::pipeline::{Outcome, Pipeline, Source};
use aviso_node::store::{SledStore, Store};
use aviso_protocol::*;
use common::*;
use tokio::sync::broadcast;

#[tokio::test]
async fn retractions_and_endorsements_that_cannot_count_are_not_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let w = World::new();
    let store: Arc<dyn Store> =
        Arc::new(SledStore::open(&dir.path().join("store")).expect("opens"));
    let (events, _) = broadcast::channel(16);
    let p = Pipeline::new(store.clone(), Some(w.community.clone()), events).expect("pipeline");
    let other_member = key(9);
    let entry = |sk: &SecretKey, role| TrustEntry {
        key: sk.public(),
        role,
        label: "test".into(),
        areas: vec![],
        categories: vec![],
        expires_at: None,
    };
    let list = w.sign(
        &w.root,
        Body::TrustList(TrustList {
            name: "Test list".into(),
            version: 1,
            entries: vec![
                entry(&w.org, Role::Organizer),
                entry(&w.member, Role::Member),
                entry(&other_member, Role::Member),
            ],
            revoked: vec![],
            thresholds: vec![],
            delegates: vec![],
        }),
        300 * 24 * HOUR,
    );
    assert!(p.ingest(list.bytes(), Source::Local).await.is_stored());
    let report = w.report(&w.member, "two vans");
    let alert = w.alert(&w.org, "Raid on 24th St");
    for env in [&report, &alert] {
        assert!(p.ingest(env.bytes(), Source::Local).await.is_stored());
    }
    let retract = |sk: &SecretKey, target: Id| {
        w.sign(
            sk,
            Body::Retraction(Retraction {
                target,
                reason: RetractReason::False,
            }),
            24 * HOUR,
        )
    };
    // Another member's retraction of the report, a member's of the alert, the author's
    // own endorsement: ignored, not stored.
    for env in [
        retract(&other_member, report.id()),
        retract(&w.member, alert.id()),
        w.endorse(&w.org, alert.id()),
    ] {
        let out = p.ingest(env.bytes(), Source::Local).await;
        assert!(matches!(out, Outcome::Ignored { .. }), "{out:?}");
        assert!(!store.contains(&env.id()).expect("readable"));
    }
    // The report's author and the organizer may.
    for env in [retract(&w.member, report.id()), retract(&w.org, alert.id())] {
        let out = p.ingest(env.bytes(), Source::Local).await;
        assert!(out.is_stored(), "{out:?}");
    }
}
