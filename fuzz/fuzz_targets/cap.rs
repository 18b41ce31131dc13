//! The CAP reader and import (`aviso cap import`): bytes from a file or a feed, parsed,
//! imported into an alert draft, and written back.
//!
//! Properties: a parsed message written as CAP reads back, and writing it again gives the
//! same XML; a draft's alert that validates signs into an envelope that decodes.
#![no_main]

use aviso_cap::{ImportOptions, import, parse, parse_bytes, write};
use aviso_fuzz::{NOW, organizer};
use aviso_protocol::{Body, DecodeError, Envelope};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(cap) = parse_bytes(data) else {
        return;
    };
    // Writing drops what it must (resources, characters XML cannot carry); after that
    // one pass, reading and writing again change nothing.
    let xml = write(&cap);
    let again = match parse(&xml) {
        Ok(again) => again,
        Err(e) => panic!("our own CAP output does not parse: {e}\n{xml}"),
    };
    assert_eq!(write(&again), xml, "a second write differs");
    assert_eq!(parse(&xml).as_ref(), Ok(&again));
    // One precision per input (3 to 6, from its length): covering a polygon at several
    // is the slow part, and the corpus holds inputs of every length.
    let mut opts = ImportOptions::new(NOW);
    opts.precision = 3 + data.len() % 4;
    if let Ok(draft) = import(&cap, &opts) {
        assert_eq!(draft.expires_at, NOW + draft.ttl_secs);
        for w in &draft.warnings {
            let _ = w.to_string();
        }
        if draft.alert.validate().is_ok() && draft.ttl_secs > 0 {
            let ttl = draft
                .ttl_secs
                .min(aviso_protocol::limits::MAX_TTL_SHORT_SECS);
            let body = Body::Alert(draft.alert);
            match Envelope::sign(&organizer(), aviso_fuzz::COMMUNITY, &body, NOW, NOW + ttl) {
                // Sixteen languages of full-length text are valid but do not fit an
                // envelope: the CLI says so before signing.
                Ok(_) | Err(DecodeError::TooLarge { .. }) => {}
                Err(e) => panic!("a valid imported alert does not sign: {e}"),
            }
        }
    }
});
