//! Fetch messages (`/aviso/fetch/1`) on both sides: the node's own sync server answering a
//! peer's request for ids over a real store, and a client splitting a peer's response into
//! envelopes.
//!
//! Input: `0` then a request to the server, or `1` then a response to a client.
//! Properties: a request the server accepts is exactly a count and that many ids; the
//! answer holds only envelopes asked for, each once, within the response limit; a
//! response splits into pieces that tile it exactly.
#![no_main]

use std::collections::HashSet;
use std::sync::LazyLock;

use aviso_fuzz::{NOW, SyncFixture};
use aviso_node::net::sync::{
    FETCH_BATCH, MAX_FETCH_REQUEST, MAX_FETCH_RESPONSE, decode_envelopes, decode_ids, encode_ids,
};
use aviso_protocol::envelope::id_of as envelope_id;
use aviso_protocol::limits::MAX_ENVELOPE_BYTES;
use aviso_protocol::{Envelope, Id};
use libfuzzer_sys::fuzz_target;

static FIXTURE: LazyLock<SyncFixture> = LazyLock::new(SyncFixture::new);

fuzz_target!(|data: &[u8]| {
    let Some((&side, msg)) = data.split_first() else {
        return;
    };
    if side % 2 == 0 {
        if msg.len() > MAX_FETCH_REQUEST {
            return;
        }
        if let Ok(ids) = decode_ids(msg) {
            assert!(ids.len() <= FETCH_BATCH);
            assert_eq!(encode_ids(&ids), msg);
        }
        let Ok(answer) = FIXTURE.server.handle_fetch(msg, NOW) else {
            return;
        };
        assert!(answer.len() <= MAX_FETCH_RESPONSE);
        let asked: HashSet<Id> = decode_ids(msg)
            .expect("the server answered a valid request")
            .into_iter()
            .collect();
        let mut served = HashSet::new();
        for bytes in decode_envelopes(&answer).expect("the server's answer splits") {
            let id = envelope_id(bytes);
            assert!(asked.contains(&id), "served an envelope nobody asked for");
            assert!(served.insert(id), "served the same envelope twice");
            let env = Envelope::decode(bytes).expect("the server serves what it stored");
            assert!(!env.is_expired(NOW), "served an expired envelope");
        }
    } else {
        if msg.len() > MAX_FETCH_RESPONSE {
            return;
        }
        let Ok(pieces) = decode_envelopes(msg) else {
            return;
        };
        let mut total = 0;
        for p in &pieces {
            assert!(p.len() <= MAX_ENVELOPE_BYTES);
            total += 4 + p.len();
            let _ = Envelope::decode(p);
        }
        assert_eq!(total, msg.len());
    }
});
