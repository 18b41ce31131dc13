//! The signed envelope that wraps every message.
//!
//! Wire form: `DOMAIN_TAG ‖ postcard(Header) ‖ signature[64]`. The signed bytes are
//! everything before the signature, so they are one contiguous slice of what arrived:
//! we verify and store the bytes we received and never re-encode to verify. The id is
//! SHA-256 of the signed bytes. The community id and the kind are inside the signed
//! bytes, so a message cannot be replayed into another community or read as another kind.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::body::{Body, BodyError, exact};
use crate::keys::{PublicKey, SecretKey, SignatureError};
use crate::limits::*;
use crate::{CommunityId, Id};

/// Prefix of every envelope and of its signed bytes (domain separation).
pub const DOMAIN_TAG: &[u8] = b"aviso/v1/envelope";
/// The envelope version this crate reads and writes.
pub const VERSION: u8 = 1;
/// Length of an ed25519 signature.
const SIG_LEN: usize = 64;

/// What an envelope carries.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A trust list.
    TrustList,
    /// An alert.
    Alert,
    /// A report.
    Report,
    /// A resource notice.
    Resource,
    /// An endorsement.
    Endorsement,
    /// A retraction.
    Retraction,
    /// A member's response to an alert.
    Response,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 7] = [
        Kind::TrustList,
        Kind::Alert,
        Kind::Report,
        Kind::Resource,
        Kind::Endorsement,
        Kind::Retraction,
        Kind::Response,
    ];

    /// The kind's tag on the wire: its position in [`Kind::ALL`], which is the postcard
    /// variant index of the enum (a varint). New kinds only ever get new, higher tags.
    pub fn tag(self) -> u32 {
        match self {
            Kind::TrustList => 0,
            Kind::Alert => 1,
            Kind::Report => 2,
            Kind::Resource => 3,
            Kind::Endorsement => 4,
            Kind::Retraction => 5,
            Kind::Response => 6,
        }
    }

    /// The kind with wire tag `tag`, if this node knows it.
    pub fn from_tag(tag: u32) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.tag() == tag)
    }

    /// The longest life an envelope of this kind may have.
    pub fn max_ttl(self) -> u64 {
        match self {
            Kind::Alert | Kind::Report | Kind::Endorsement | Kind::Response => MAX_TTL_SHORT_SECS,
            // Retractions are tombstones: they live as long as their targets could.
            Kind::TrustList | Kind::Resource | Kind::Retraction => MAX_TTL_LONG_SECS,
        }
    }

    /// A stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::TrustList => "trust_list",
            Kind::Alert => "alert",
            Kind::Report => "report",
            Kind::Resource => "resource",
            Kind::Endorsement => "endorsement",
            Kind::Retraction => "retraction",
            Kind::Response => "response",
        }
    }
}

/// The signed fields, in wire order. The kind is read as its raw tag (the same varint
/// postcard writes for the enum), so that a kind this node does not know is told apart
/// from a malformed envelope: see [`DecodeError::UnknownKind`].
#[derive(Serialize, Deserialize)]
struct Header<'a> {
    version: u8,
    community: CommunityId,
    kind: u32,
    author: PublicKey,
    created_at: u64,
    expires_at: u64,
    #[serde(borrow, with = "bytes")]
    body: &'a [u8],
}

/// Encode a byte slice as postcard bytes (length + raw) and borrow it back when decoding.
mod bytes {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'de [u8], D::Error> {
        <&'de [u8] as serde::Deserialize>::deserialize(d)
    }
}

/// Why bytes are not a well-formed envelope. Peers sending these are penalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Larger than [`MAX_ENVELOPE_BYTES`].
    #[error("envelope is {size} bytes; the limit is {max}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Shorter than a tag and a signature.
    #[error("envelope is truncated ({0} bytes)")]
    Truncated(usize),
    /// Does not start with the domain tag.
    #[error("not an aviso v1 envelope (missing domain tag)")]
    BadTag,
    /// An envelope version this node does not read.
    #[error("unsupported envelope version {0}")]
    UnsupportedVersion(u8),
    /// A well-formed header naming a kind this node does not know (a newer node's kind).
    /// Not the sender's fault: the pipeline ignores it without penalty when its signature
    /// is good ([`verify_header`]). Never stored or forwarded.
    #[error("unknown kind {tag} (from a newer version?)")]
    UnknownKind {
        /// The kind's wire tag.
        tag: u32,
    },
    /// The bytes do not decode.
    #[error("malformed encoding: {0}")]
    Malformed(#[from] postcard::Error),
    /// Bytes left over after a complete value.
    #[error("{0} unexpected trailing bytes")]
    TrailingBytes(usize),
    /// Decodes, but is not in canonical form (e.g. an over-long integer).
    #[error("non-canonical encoding")]
    NonCanonical,
    /// The signature does not verify (only [`verify_header`] checks it while
    /// decoding; [`Envelope::verify`] reports its own error).
    #[error("bad signature")]
    BadSignature,
    /// `expires_at` is not after `created_at`.
    #[error("expires_at ({expires_at}) is not after created_at ({created_at})")]
    ExpiresBeforeCreated {
        /// Creation time.
        created_at: u64,
        /// Expiry time.
        expires_at: u64,
    },
    /// Lives longer than its kind may.
    #[error("a {kind} may live at most {max_days} days")]
    LifetimeTooLong {
        /// The kind.
        kind: &'static str,
        /// The limit in days.
        max_days: u64,
    },
    /// The body breaks a rule.
    #[error("invalid body: {0}")]
    Body(#[from] BodyError),
    /// An alert whose onset is after its own expiry: it would never be in force.
    #[error("the alert's onset ({onset}) is after its expiry ({expires_at})")]
    OnsetAfterExpiry {
        /// The onset.
        onset: u64,
        /// The envelope's expiry.
        expires_at: u64,
    },
}

/// Why a well-formed envelope is not current. Not the sender's fault: ignored, not penalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// Created more than [`MAX_CLOCK_SKEW_SECS`] in our future.
    #[error("created {ahead} s in the future (clock skew limit {MAX_CLOCK_SKEW_SECS} s)")]
    TooNew {
        /// How far ahead.
        ahead: u64,
    },
    /// Already expired.
    #[error("expired")]
    Expired,
}

/// A decoded envelope with its received bytes. Decoding checks structure and limits;
/// [`Envelope::verify`] checks the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Envelope {
    id: Id,
    community: CommunityId,
    kind: Kind,
    author: PublicKey,
    created_at: u64,
    expires_at: u64,
    body: Body,
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Envelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Envelope")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("author", &self.author)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

impl Envelope {
    /// Sign `body` as `secret` for `community`, valid from `created_at` to `expires_at`.
    /// The result is decoded back from its own bytes, so a local message passes exactly
    /// the checks a remote one does.
    pub fn sign(
        secret: &SecretKey,
        community: CommunityId,
        body: &Body,
        created_at: u64,
        expires_at: u64,
    ) -> Result<Envelope, DecodeError> {
        let body_bytes = body.encode();
        let header = Header {
            version: VERSION,
            community,
            kind: body.kind().tag(),
            author: secret.public(),
            created_at,
            expires_at,
            body: &body_bytes,
        };
        let mut bytes = DOMAIN_TAG.to_vec();
        bytes = postcard::to_extend(&header, bytes)?;
        let signature = secret.sign(&bytes);
        bytes.extend_from_slice(&signature);
        Envelope::decode(&bytes)
    }

    /// Decode and check structure, limits, time window and body. Never panics; allocates
    /// at most a small multiple of `bytes.len()`, which is capped first.
    pub fn decode(bytes: &[u8]) -> Result<Envelope, DecodeError> {
        let (_, header) = split(bytes)?;
        let kind =
            Kind::from_tag(header.kind).ok_or(DecodeError::UnknownKind { tag: header.kind })?;
        if header.expires_at - header.created_at > kind.max_ttl() {
            return Err(DecodeError::LifetimeTooLong {
                kind: kind.as_str(),
                max_days: kind.max_ttl() / 86_400,
            });
        }
        let body = Body::decode(kind, header.body)?;
        if let Body::Alert(a) = &body
            && let Some(onset) = a.onset
            && onset >= header.expires_at
        {
            return Err(DecodeError::OnsetAfterExpiry {
                onset,
                expires_at: header.expires_at,
            });
        }
        Ok(Envelope {
            id: id_of(bytes),
            community: header.community,
            kind,
            author: header.author,
            created_at: header.created_at,
            expires_at: header.expires_at,
            body,
            bytes: bytes.to_vec(),
        })
    }

    /// Check the signature with `verify_strict` over the received signed bytes.
    pub fn verify(&self) -> Result<(), SignatureError> {
        let (signed, sig) = self.bytes.split_at(self.bytes.len() - SIG_LEN);
        let sig: &[u8; 64] = sig.try_into().map_err(|_| SignatureError::Invalid)?;
        self.author.verify_strict(signed, sig)
    }

    /// Check that the envelope is current at `now` (unix seconds).
    pub fn check_time(&self, now: u64) -> Result<(), TimeError> {
        check_time(self.created_at, self.expires_at, now)
    }

    /// SHA-256 of the signed bytes.
    pub fn id(&self) -> Id {
        self.id
    }
    /// The community it belongs to.
    pub fn community(&self) -> CommunityId {
        self.community
    }
    /// Its kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Who signed it.
    pub fn author(&self) -> PublicKey {
        self.author
    }
    /// Creation time (unix seconds), as claimed by the author.
    pub fn created_at(&self) -> u64 {
        self.created_at
    }
    /// Expiry time (unix seconds).
    pub fn expires_at(&self) -> u64 {
        self.expires_at
    }
    /// Whether it has expired at `now`.
    pub fn is_expired(&self, now: u64) -> bool {
        self.expires_at <= now
    }
    /// The decoded body.
    pub fn body(&self) -> &Body {
        &self.body
    }
    /// The bytes as received: what is stored and forwarded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    /// Consume into the received bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The signed part of an envelope's bytes and its decoded header: the size limit, the
/// domain tag, then [`decode_header`].
fn split(bytes: &[u8]) -> Result<(&[u8], Header<'_>), DecodeError> {
    if bytes.len() > MAX_ENVELOPE_BYTES {
        return Err(DecodeError::TooLarge {
            size: bytes.len(),
            max: MAX_ENVELOPE_BYTES,
        });
    }
    if bytes.len() < DOMAIN_TAG.len() + SIG_LEN {
        return Err(DecodeError::Truncated(bytes.len()));
    }
    let signed = signed_part(bytes);
    let encoded = signed.strip_prefix(DOMAIN_TAG).ok_or(DecodeError::BadTag)?;
    Ok((signed, decode_header(encoded, bytes.len())?))
}

/// The header of an envelope (the bytes after the domain tag, before the signature):
/// exact, canonical, with a version this node reads and `expires_at` after `created_at`.
/// The kind is not looked at. `len` is the whole envelope's length, for errors.
fn decode_header(encoded: &[u8], len: usize) -> Result<Header<'_>, DecodeError> {
    // The version is the first byte: check it before reading the rest, so a future
    // version with another layout gets a clear error rather than a parse error.
    match encoded.first() {
        Some(&VERSION) => {}
        Some(&v) => return Err(DecodeError::UnsupportedVersion(v)),
        None => return Err(DecodeError::Truncated(len)),
    }
    let header: Header<'_> = exact(encoded)?;
    if postcard::to_allocvec(&header)?.as_slice() != encoded {
        return Err(DecodeError::NonCanonical);
    }
    if header.expires_at <= header.created_at {
        return Err(DecodeError::ExpiresBeforeCreated {
            created_at: header.created_at,
            expires_at: header.expires_at,
        });
    }
    Ok(header)
}

/// What [`verify_header`] found: a well-formed header with a good signature. For an
/// envelope of a kind this node does not know (what a newer node may send), the pipeline
/// ignores it (not stored, not forwarded) without penalizing the peer that forwarded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedHeader {
    /// The kind's wire tag.
    pub tag: u32,
    /// The community it was signed for.
    pub community: CommunityId,
}

/// Check the header and signature of `bytes`, whatever its kind and without reading its
/// body: for an envelope that [`Envelope::decode`] refused with
/// [`DecodeError::UnknownKind`]. `Err` means it is malformed or badly signed after all
/// (the sender is penalized, as for any other kind).
pub fn verify_header(bytes: &[u8]) -> Result<SignedHeader, DecodeError> {
    let (signed, header) = split(bytes)?;
    let sig: &[u8; SIG_LEN] = bytes
        .get(signed.len()..)
        .and_then(|s| s.try_into().ok())
        .ok_or(DecodeError::Truncated(bytes.len()))?;
    header
        .author
        .verify_strict(signed, sig)
        .map_err(|_| DecodeError::BadSignature)?;
    Ok(SignedHeader {
        tag: header.kind,
        community: header.community,
    })
}

/// The id of an envelope's wire bytes: SHA-256 of everything before the trailing
/// signature, exactly what [`Envelope::decode`] computes, without decoding or checking
/// anything. Cheap: the network layer uses it to match fetched bytes against the ids it
/// asked for before the pipeline judges them. For bytes that are not an envelope the
/// result is meaningless but well defined (bytes shorter than a signature hash whole).
pub fn id_of(bytes: &[u8]) -> Id {
    Id(Sha256::digest(signed_part(bytes)).into())
}

/// The signed bytes of an envelope's wire bytes: all but the trailing signature (all of
/// them, if shorter than a signature).
fn signed_part(bytes: &[u8]) -> &[u8] {
    bytes
        .len()
        .checked_sub(SIG_LEN)
        .map_or(bytes, |n| &bytes[..n])
}

/// The time rule alone: not more than the skew limit in the future, not expired.
pub fn check_time(created_at: u64, expires_at: u64, now: u64) -> Result<(), TimeError> {
    if created_at > now.saturating_add(MAX_CLOCK_SKEW_SECS) {
        return Err(TimeError::TooNew {
            ahead: created_at - now,
        });
    }
    if expires_at <= now {
        return Err(TimeError::Expired);
    }
    Ok(())
}
