//! Communities and invites.
//!
//! A community's id is derived from its root keys:
//! `id = SHA-256("aviso/v1/community" ‖ salt ‖ root keys in ascending order)`, with a
//! random salt chosen when the community is created. So nobody can keep a community's id
//! and put other roots behind it: an invite whose id does not follow from its roots is
//! refused, and a member who already serves a community sees at once when an invite names
//! other roots (its id differs).
//!
//! An invite is also signed by one of its roots, over everything it carries (id, salt,
//! name, roots, bootstrap addresses). So once a member has checked the root fingerprints
//! with an organizer, the name and the bootstrap addresses are vouched for too: nobody who
//! passes the invite along can point it at their own nodes to cut the member off. A member
//! re-shares the invite as it is, signature included; only a root can make a new one.
//!
//! Text form: `AVISO2:` then base32 of `postcard(signed part) ‖ signature[64] ‖
//! checksum[4]`, the checksum being the first 4 bytes of SHA-256 of what precedes it (it
//! tells a typo from tampering). Upper-case base32 fits a QR code's compact alphanumeric
//! mode.
//!
//! What an invite does **not** prove: who gave it to you. Anyone can create a community
//! with a convincing name. Members check the root fingerprints with an organizer in person
//! or over a second channel.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::body::{self, BodyError, exact};
use crate::limits::*;
use crate::{CommunityId, PublicKey, SecretKey};

/// Text before every invite code of this version.
pub const INVITE_PREFIX: &str = "AVISO2:";
/// The invite format version named in [`INVITE_PREFIX`].
const INVITE_VERSION: u32 = 2;
/// Most root keys in a community.
pub const MAX_ROOTS: usize = 8;
/// Most bootstrap addresses in an invite.
pub const MAX_BOOTSTRAP: usize = 16;
/// Longest invite text accepted (bounds decoding before anything is allocated).
pub const MAX_INVITE_CHARS: usize = 8 * 1024;
/// Length of the random salt hashed into a community id. 128 random bits keep the ids of
/// communities with the same roots apart (a collision needs about 2^64 of them); the id's
/// resistance to tampering comes from SHA-256, not from the salt. Kept short because it
/// travels in every invite and QR code.
pub const SALT_LEN: usize = 16;
/// Domain tag of a community id's preimage.
pub const ID_TAG: &[u8] = b"aviso/v1/community";
/// Domain tag of an invite's signed bytes (so an invite signature is never valid as
/// anything else, e.g. an envelope).
pub const INVITE_TAG: &[u8] = b"aviso/v1/invite";
/// Length of an ed25519 signature.
const SIG_LEN: usize = 64;
/// Length of the typo checksum at the end of an invite.
const CHECKSUM_LEN: usize = 4;

/// One gossip domain, as its invite describes it.
///
/// Build one with [`Community::new`]; [`Community::from_invite`] and
/// [`Community::verify`] refuse one whose id does not follow from its salt and roots, or
/// whose signature does not match. The fields are public to read; changing any of them
/// breaks the signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    /// Its id: [`Community::derive_id`] of the salt and the roots.
    pub id: CommunityId,
    /// Random bytes chosen at creation, so the same roots can serve several communities.
    pub salt: [u8; SALT_LEN],
    /// Its name, for people.
    pub name: String,
    /// The organizers' list owners: their lists decide what is relayed.
    pub roots: Vec<PublicKey>,
    /// Addresses of nodes to connect to first (multiaddrs with `/p2p/` peer ids).
    pub bootstrap: Vec<String>,
    /// The root that signed this invite.
    pub signer: PublicKey,
    /// The signer's ed25519 signature over [`INVITE_TAG`] and the other fields.
    pub signature: [u8; SIG_LEN],
}

/// The signed part of an invite, in wire order.
#[derive(Serialize)]
struct SignedRef<'a> {
    id: &'a CommunityId,
    salt: &'a [u8; SALT_LEN],
    name: &'a str,
    roots: &'a [PublicKey],
    bootstrap: &'a [String],
    signer: &'a PublicKey,
}

/// [`SignedRef`] as decoded.
#[derive(Deserialize)]
struct Signed {
    id: CommunityId,
    salt: [u8; SALT_LEN],
    name: String,
    roots: Vec<PublicKey>,
    bootstrap: Vec<String>,
    signer: PublicKey,
}

/// Why an invite is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InviteError {
    /// Does not start with `AVISO<n>:`.
    #[error("an invite starts with {INVITE_PREFIX}; check that the whole code was copied")]
    Prefix,
    /// An invite of an older format, without the checks this version needs.
    #[error(
        "this invite was made by an older version of Aviso ({found}...); ask an organizer for a new invite ({INVITE_PREFIX}...)"
    )]
    OldVersion {
        /// The prefix found.
        found: String,
    },
    /// An invite of a newer format.
    #[error("this invite was made by a newer version of Aviso ({found}...); update Aviso to join")]
    NewerVersion {
        /// The prefix found.
        found: String,
    },
    /// Longer than any real invite.
    #[error("invite is too long")]
    TooLong,
    /// Not base32, or too short.
    #[error("invite is damaged (not base32); copy it again")]
    Encoding,
    /// The checksum does not match: a typo or a cut.
    #[error("invite checksum does not match; copy it again")]
    Checksum,
    /// The content does not decode.
    #[error("invite content is malformed: {0}")]
    Malformed(String),
    /// The content breaks a rule.
    #[error("invite content is invalid: {0}")]
    Invalid(#[from] BodyError),
    /// The community id does not follow from the salt and root keys: someone changed the
    /// roots (or the id) of a real invite.
    #[error(
        "this invite was altered: its community id {} does not belong to the root keys it names ({}); do not use it, and ask an organizer for a new invite",
        id.short(),
        fingerprints(roots)
    )]
    IdMismatch {
        /// The id the invite claims.
        id: CommunityId,
        /// The roots it names.
        roots: Vec<PublicKey>,
    },
    /// The signer is not one of the roots.
    #[error(
        "this invite is not signed by one of its root keys (signer {}); do not use it, and ask an organizer for a new invite",
        signer.fingerprint()
    )]
    SignerNotRoot {
        /// The key named as signer.
        signer: PublicKey,
    },
    /// The root's signature does not match the content.
    #[error(
        "this invite was altered: its root's signature does not match its name, roots or bootstrap addresses; do not use it, and ask an organizer for a new invite"
    )]
    Signature,
}

/// Fingerprints of `keys`, comma separated, for messages.
pub fn fingerprints(keys: &[PublicKey]) -> String {
    keys.iter()
        .map(PublicKey::fingerprint)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Community {
    /// A community signed by `signer`, which must be one of `roots`; its id is derived
    /// from `salt` and `roots`. Draw `salt` at random for a new community; reuse the salt
    /// of an existing one (with the same roots) to sign a new invite for it, e.g. with
    /// other bootstrap addresses.
    pub fn new(
        signer: &SecretKey,
        salt: [u8; SALT_LEN],
        name: impl Into<String>,
        roots: Vec<PublicKey>,
        bootstrap: Vec<String>,
    ) -> Result<Community, InviteError> {
        let mut c = Community {
            id: Self::derive_id(&salt, &roots),
            salt,
            name: name.into(),
            roots,
            bootstrap,
            signer: signer.public(),
            signature: [0; SIG_LEN],
        };
        c.validate()?;
        if !c.roots.contains(&c.signer) {
            return Err(InviteError::SignerNotRoot { signer: c.signer });
        }
        c.signature = signer.sign(&c.signed_bytes());
        Ok(c)
    }

    /// The id of the community with this salt and these roots (in any order).
    pub fn derive_id(salt: &[u8; SALT_LEN], roots: &[PublicKey]) -> CommunityId {
        let mut sorted: Vec<&PublicKey> = roots.iter().collect();
        sorted.sort();
        let mut h = Sha256::new();
        h.update(ID_TAG);
        h.update(salt);
        for k in sorted {
            h.update(k.as_bytes());
        }
        CommunityId(h.finalize().into())
    }

    /// Whether `other` names the same root keys (in any order).
    pub fn same_roots(&self, other: &Community) -> bool {
        self.roots.len() == other.roots.len() && self.roots.iter().all(|k| other.roots.contains(k))
    }

    /// Check limits only (see [`Community::verify`] for everything).
    pub fn validate(&self) -> Result<(), BodyError> {
        body::required_text("name", &self.name, MAX_SHORT)?;
        if self.roots.is_empty() {
            return Err(BodyError::Empty("roots"));
        }
        body::count("roots", &self.roots, MAX_ROOTS)?;
        body::unique("roots", &self.roots)?;
        body::count("bootstrap", &self.bootstrap, MAX_BOOTSTRAP)?;
        for b in &self.bootstrap {
            body::text("bootstrap", b, MAX_URL)?;
        }
        Ok(())
    }

    /// Check limits, that the id follows from the salt and roots, and the root's
    /// signature.
    pub fn verify(&self) -> Result<(), InviteError> {
        self.validate()?;
        if Self::derive_id(&self.salt, &self.roots) != self.id {
            return Err(InviteError::IdMismatch {
                id: self.id,
                roots: self.roots.clone(),
            });
        }
        if !self.roots.contains(&self.signer) {
            return Err(InviteError::SignerNotRoot {
                signer: self.signer,
            });
        }
        self.signer
            .verify_strict(&self.signed_bytes(), &self.signature)
            .map_err(|_| InviteError::Signature)
    }

    /// The canonical encoding of the signed part.
    fn encode_signed(&self) -> Vec<u8> {
        postcard::to_allocvec(&SignedRef {
            id: &self.id,
            salt: &self.salt,
            name: &self.name,
            roots: &self.roots,
            bootstrap: &self.bootstrap,
            signer: &self.signer,
        })
        .expect("encoding an invite into a Vec cannot fail")
    }

    /// What the root signs: [`INVITE_TAG`] then the signed part.
    fn signed_bytes(&self) -> Vec<u8> {
        let mut bytes = INVITE_TAG.to_vec();
        bytes.extend_from_slice(&self.encode_signed());
        bytes
    }

    /// The invite code. A member passes on the invite they joined with unchanged,
    /// signature included.
    pub fn to_invite(&self) -> String {
        let mut bytes = self.encode_signed();
        bytes.extend_from_slice(&self.signature);
        let sum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&sum[..CHECKSUM_LEN]);
        format!(
            "{INVITE_PREFIX}{}",
            data_encoding::BASE32_NOPAD.encode(&bytes)
        )
    }

    /// Parse and check an invite code (white space and case are forgiven): limits, the id
    /// against the roots, and the root's signature.
    pub fn from_invite(code: &str) -> Result<Community, InviteError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() > MAX_INVITE_CHARS {
            return Err(InviteError::TooLong);
        }
        let code = code.to_ascii_uppercase();
        let rest = match code.strip_prefix(INVITE_PREFIX) {
            Some(rest) => rest,
            None => return Err(version_error(&code)),
        };
        let bytes = data_encoding::BASE32_NOPAD
            .decode(rest.as_bytes())
            .map_err(|_| InviteError::Encoding)?;
        if bytes.len() < SIG_LEN + CHECKSUM_LEN + 1 {
            return Err(InviteError::Encoding);
        }
        let (content, sum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
        if Sha256::digest(content)[..CHECKSUM_LEN] != *sum {
            return Err(InviteError::Checksum);
        }
        let (signed, signature) = content.split_at(content.len() - SIG_LEN);
        let s: Signed = exact(signed).map_err(|e| InviteError::Malformed(e.to_string()))?;
        let c = Community {
            id: s.id,
            salt: s.salt,
            name: s.name,
            roots: s.roots,
            bootstrap: s.bootstrap,
            signer: s.signer,
            signature: signature.try_into().map_err(|_| InviteError::Encoding)?,
        };
        c.verify()?;
        Ok(c)
    }
}

/// Why `code` (upper case, no white space) lacks [`INVITE_PREFIX`]: another version's
/// prefix (`AVISO<n>:`), or none.
fn version_error(code: &str) -> InviteError {
    let Some((head, _)) = code.split_once(':') else {
        return InviteError::Prefix;
    };
    let found = format!("{head}:");
    match head.strip_prefix("AVISO").map(str::parse::<u32>) {
        Some(Ok(v)) if v < INVITE_VERSION => InviteError::OldVersion { found },
        Some(Ok(v)) if v > INVITE_VERSION => InviteError::NewerVersion { found },
        _ => InviteError::Prefix,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SecretKey {
        SecretKey::from_seed(&[n; 32])
    }

    fn community() -> Community {
        Community::new(
            &key(1),
            [9; SALT_LEN],
            "Mission rapid response",
            vec![key(1).public(), key(2).public()],
            vec!["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW".into()],
        )
        .unwrap()
    }

    /// The invite code of `c` as it is, without signing again (what an attacker can
    /// make): a valid checksum over whatever the fields say.
    fn forged(c: &Community) -> String {
        c.to_invite()
    }

    #[test]
    fn invite_round_trip_and_damage() {
        let c = community();
        c.verify().unwrap();
        let code = c.to_invite();
        assert!(code.starts_with(INVITE_PREFIX));
        assert_eq!(Community::from_invite(&code).unwrap(), c);
        assert_eq!(Community::from_invite(&code.to_lowercase()).unwrap(), c);
        let spaced: String = code
            .chars()
            .enumerate()
            .flat_map(|(i, ch)| (i % 8 == 0).then_some(' ').into_iter().chain([ch]))
            .collect();
        assert_eq!(Community::from_invite(&spaced).unwrap(), c);
        // Re-sharing keeps the same code.
        assert_eq!(Community::from_invite(&code).unwrap().to_invite(), code);

        let mut damaged = code.clone();
        damaged.pop();
        damaged.push(if code.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(Community::from_invite(&damaged), Err(InviteError::Checksum));
        let cut = &code[..code.len() - 10];
        assert!(Community::from_invite(cut).is_err());
        assert_eq!(Community::from_invite("hello"), Err(InviteError::Prefix));
        assert_eq!(
            Community::from_invite("AVISO2:1"),
            Err(InviteError::Encoding)
        );
        assert_eq!(
            Community::from_invite(&"A".repeat(MAX_INVITE_CHARS + 1)),
            Err(InviteError::TooLong)
        );
    }

    #[test]
    fn id_is_derived_from_salt_and_roots_in_any_order() {
        let c = community();
        let reversed: Vec<PublicKey> = c.roots.iter().rev().copied().collect();
        assert_eq!(Community::derive_id(&c.salt, &reversed), c.id);
        assert_ne!(Community::derive_id(&[8; SALT_LEN], &c.roots), c.id);
        assert_ne!(Community::derive_id(&c.salt, &c.roots[..1]), c.id);
        let again = Community::new(&key(2), c.salt, "Another name", reversed, vec![]).unwrap();
        assert_eq!(again.id, c.id, "any root can sign a new invite for it");
        assert!(again.same_roots(&c));
    }

    #[test]
    fn tampered_roots_with_the_same_id_are_refused() {
        let real = community();
        let attacker = key(66);

        // Another root in place of a real one, id kept, checksum recomputed.
        let mut t = real.clone();
        t.roots[1] = attacker.public();
        let e = Community::from_invite(&forged(&t)).unwrap_err();
        assert!(matches!(e, InviteError::IdMismatch { .. }), "{e:?}");
        let msg = e.to_string();
        assert!(msg.contains("altered"), "{msg}");
        assert!(msg.contains(&attacker.public().fingerprint()), "{msg}");

        // An extra root, id kept.
        let mut t = real.clone();
        t.roots.push(attacker.public());
        assert!(matches!(
            Community::from_invite(&forged(&t)),
            Err(InviteError::IdMismatch { .. })
        ));

        // Only the attacker's root, signed by the attacker, the real id kept.
        let mut t = Community::new(
            &attacker,
            real.salt,
            real.name.clone(),
            vec![attacker.public()],
            vec!["/ip4/203.0.113.66/tcp/7446/p2p/12D3KooWevil".into()],
        )
        .unwrap();
        t.id = real.id;
        t.signature = attacker.sign(&t.signed_bytes());
        assert!(matches!(
            Community::from_invite(&forged(&t)),
            Err(InviteError::IdMismatch { .. })
        ));

        // A fully consistent community of the attacker's: a valid invite, but another id,
        // so a member of the real one sees the change.
        let own = Community::new(
            &attacker,
            real.salt,
            real.name.clone(),
            vec![attacker.public()],
            vec![],
        )
        .unwrap();
        assert_ne!(own.id, real.id);
        assert!(!own.same_roots(&real));
    }

    #[test]
    fn name_and_bootstrap_are_signed_by_a_root() {
        let real = community();

        // Other bootstrap addresses, id and roots kept.
        let mut t = real.clone();
        t.bootstrap = vec!["/ip4/203.0.113.66/tcp/7446/p2p/12D3KooWevil".into()];
        assert_eq!(
            Community::from_invite(&forged(&t)),
            Err(InviteError::Signature)
        );
        let mut t = real.clone();
        t.name = "Renamed".into();
        assert_eq!(
            Community::from_invite(&forged(&t)),
            Err(InviteError::Signature)
        );

        // Signed again by an outsider who names themselves as signer.
        let outsider = key(66);
        let mut t = real.clone();
        t.bootstrap.clear();
        t.signer = outsider.public();
        t.signature = outsider.sign(&t.signed_bytes());
        assert_eq!(
            Community::from_invite(&forged(&t)),
            Err(InviteError::SignerNotRoot {
                signer: outsider.public()
            })
        );
        assert!(matches!(
            Community::new(&outsider, [1; SALT_LEN], "x", vec![key(1).public()], vec![]),
            Err(InviteError::SignerNotRoot { .. })
        ));

        // A signature over the tag-less bytes (e.g. lifted from elsewhere) does not count.
        let mut t = real.clone();
        t.signature = key(1).sign(&t.encode_signed());
        assert_eq!(t.verify(), Err(InviteError::Signature));
    }

    #[test]
    fn other_versions_are_named() {
        let old = "AVISO1:AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYUCULBOGAZDINRYHI6D4QA";
        let e = Community::from_invite(old).unwrap_err();
        assert!(matches!(e, InviteError::OldVersion { .. }), "{e:?}");
        assert!(e.to_string().contains("older version"), "{e}");
        assert!(matches!(
            Community::from_invite("aviso9:ABC"),
            Err(InviteError::NewerVersion { .. })
        ));
        assert_eq!(
            Community::from_invite("AVISOX:ABC"),
            Err(InviteError::Prefix)
        );
    }

    #[test]
    fn limits_are_checked_when_creating() {
        let r = key(1);
        assert!(matches!(
            Community::new(&r, [0; SALT_LEN], " ", vec![r.public()], vec![]),
            Err(InviteError::Invalid(BodyError::Empty("name")))
        ));
        assert!(matches!(
            Community::new(&r, [0; SALT_LEN], "x", vec![r.public(), r.public()], vec![]),
            Err(InviteError::Invalid(BodyError::Duplicate { .. }))
        ));
        let many = (0..=MAX_BOOTSTRAP).map(|i| format!("/b/{i}")).collect();
        assert!(matches!(
            Community::new(&r, [0; SALT_LEN], "x", vec![r.public()], many),
            Err(InviteError::Invalid(BodyError::TooMany { .. }))
        ));
    }
}
