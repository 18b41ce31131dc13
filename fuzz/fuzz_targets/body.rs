//! Every body decoder (`Body::decode` for each kind), on its own: the envelope target
//! reaches bodies only through a valid header; here the fuzzer works on the body bytes
//! directly.
//!
//! Input: a kind byte (index into `Kind::ALL`, modulo its length), then the body bytes.
//! Properties: an accepted body re-encodes to exactly its input, decodes again to itself,
//! is valid, and survives the JSON the API shows it as.
#![no_main]

use aviso_protocol::{Body, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&k, bytes)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[k as usize % Kind::ALL.len()];
    let Ok(body) = Body::decode(kind, bytes) else {
        return;
    };
    assert_eq!(body.kind(), kind);
    assert_eq!(body.encode(), bytes, "accepted a non-canonical body");
    assert_eq!(Body::decode(kind, &body.encode()).as_ref(), Ok(&body));
    assert_eq!(body.validate(), Ok(()));
    let json = serde_json::to_string(&body).expect("a body serializes to JSON");
    let back: Body = serde_json::from_str(&json).expect("a body's JSON reads back");
    assert_eq!(back, body, "JSON changed the body: {json}");
});
