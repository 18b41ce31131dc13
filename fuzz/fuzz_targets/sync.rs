//! Negentropy reconciliation messages (`/aviso/sync/1`) on both sides: the node's own
//! sync server answering a peer's message over a real store, and a client in a session
//! reading a peer's answer.
//!
//! Input: `0` then a message to the server, or `1` then an answer to a client.
//! Properties: the server's answer fits the message limit a peer's codec reads; a client
//! asks for no more ids than the peer could have named in one message.
#![no_main]

use std::sync::LazyLock;

use aviso_fuzz::{NOW, SyncFixture};
use aviso_node::net::sync::MAX_SYNC_MESSAGE;
use libfuzzer_sys::fuzz_target;

static FIXTURE: LazyLock<SyncFixture> = LazyLock::new(SyncFixture::new);

fuzz_target!(|data: &[u8]| {
    let Some((&side, msg)) = data.split_first() else {
        return;
    };
    // The codec refuses larger messages before anything reads them.
    if msg.len() > MAX_SYNC_MESSAGE {
        return;
    }
    if side % 2 == 0 {
        if let Ok(answer) = FIXTURE.server.handle_sync(msg, NOW) {
            assert!(
                answer.len() <= MAX_SYNC_MESSAGE,
                "the server answered {} bytes; peers read at most {MAX_SYNC_MESSAGE}",
                answer.len()
            );
        }
    } else {
        let mut ne = FIXTURE.client_session();
        let (mut have, mut need) = (Vec::new(), Vec::new());
        if let Ok(Some(next)) = ne.reconcile_with_ids(msg, &mut have, &mut need) {
            assert!(next.len() <= MAX_SYNC_MESSAGE);
        }
        // An id costs at least 32 bytes of the message that named it.
        assert!(
            need.len() <= msg.len() / 32,
            "{} ids from {} bytes",
            need.len(),
            msg.len()
        );
    }
});
