//! The envelope decoder, as every envelope from the network meets it; then what the node
//! does with a decoded envelope: signature check, time check, the relay rule and the
//! display rule.
//!
//! Properties: an accepted envelope is exactly its input (decode then re-encode gives the
//! same bytes), its id is SHA-256 of the signed bytes (as the gossip path computes it
//! without decoding), its body is valid and of its kind.
#![no_main]

use std::sync::LazyLock;

use aviso_fuzz::{COMMUNITY, NOW, envelopes, reencode, root};
use aviso_protocol::{Envelope, FeedSettings, TrustView, compute_feed, relay_verdict};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

/// The community's view of its root lists, and the stored fixtures a feed is computed
/// over.
static WORLD: LazyLock<(TrustView, Vec<Envelope>, FeedSettings)> = LazyLock::new(|| {
    let envs = envelopes();
    let view = TrustView::build(&[root().public()], &envs, NOW);
    let settings = FeedSettings {
        follow: vec![root().public()],
        areas: vec![],
        languages: vec!["es".into()],
    };
    (view, envs, settings)
});

fuzz_target!(|data: &[u8]| {
    let Ok(env) = Envelope::decode(data) else {
        return;
    };
    assert_eq!(env.bytes(), data);
    assert_eq!(reencode(&env), data, "accepted a non-canonical envelope");
    let signed = &data[..data.len() - 64];
    assert_eq!(env.id().0, <[u8; 32]>::from(Sha256::digest(signed)));
    assert_eq!(aviso_protocol::envelope::id_of(data), env.id());
    assert_eq!(env.body().kind(), env.kind());
    assert_eq!(env.body().validate(), Ok(()));
    assert!(env.expires_at() > env.created_at());
    assert!(env.expires_at() - env.created_at() <= env.kind().max_ttl());

    let _ = env.verify();
    for now in [0, env.created_at(), env.expires_at(), NOW, u64::MAX] {
        let _ = env.check_time(now);
    }
    let (view, stored, settings) = &*WORLD;
    for now in [env.created_at(), NOW] {
        let _ = relay_verdict(&env, COMMUNITY, view, now);
    }
    // The display rule over the stored fixtures and this envelope, trusted or not.
    let mut all = stored.clone();
    all.push(env.clone());
    let _ = compute_feed(&all, settings, env.created_at().saturating_add(1));
    // A second copy (a duplicate from another peer) changes nothing and panics nothing.
    all.push(env);
    let _ = compute_feed(&all, settings, NOW);
});
