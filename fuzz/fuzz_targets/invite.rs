//! Invite codes (`Community::from_invite`), as people paste them into `aviso community
//! join` and the config file.
//!
//! Property: an accepted invite re-encodes to an invite that reads back to the same
//! community, and that canonical invite is stable.
#![no_main]

use aviso_protocol::Community;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(c) = Community::from_invite(&text) else {
        return;
    };
    assert_eq!(c.validate(), Ok(()));
    let code = c.to_invite();
    let again = Community::from_invite(&code).expect("a re-encoded invite reads back");
    assert_eq!(again, c);
    assert_eq!(again.to_invite(), code);
});
