//! Communities and invites.
//!
//! An invite is the community (id, name, root keys, bootstrap addresses) as text:
//! `AVISO1:` then base32 of its canonical bytes and a 4-byte checksum. Upper-case base32
//! fits a QR code's compact alphanumeric mode.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::body::{self, BodyError, exact};
use crate::limits::*;
use crate::{CommunityId, PublicKey};

/// Text before every invite code.
pub const INVITE_PREFIX: &str = "AVISO1:";
/// Most root keys in a community.
pub const MAX_ROOTS: usize = 8;
/// Most bootstrap addresses in an invite.
pub const MAX_BOOTSTRAP: usize = 16;
/// Longest invite text accepted (bounds decoding before anything is allocated).
pub const MAX_INVITE_CHARS: usize = 8 * 1024;

/// One gossip domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Community {
    /// Its id.
    pub id: CommunityId,
    /// Its name, for people.
    pub name: String,
    /// The organizers' list owners: their lists decide what is relayed.
    pub roots: Vec<PublicKey>,
    /// Addresses of nodes to connect to first (multiaddrs with `/p2p/` peer ids).
    pub bootstrap: Vec<String>,
}

/// Why an invite is not usable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InviteError {
    /// Does not start with `AVISO1:`.
    #[error("an invite starts with {INVITE_PREFIX}; check that the whole code was copied")]
    Prefix,
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
}

impl Community {
    /// Check limits.
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

    /// The invite code.
    pub fn to_invite(&self) -> String {
        let mut bytes =
            postcard::to_allocvec(self).expect("encoding a Community into a Vec cannot fail");
        let sum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&sum[..4]);
        format!(
            "{INVITE_PREFIX}{}",
            data_encoding::BASE32_NOPAD.encode(&bytes)
        )
    }

    /// Parse an invite code (white space and case are forgiven).
    pub fn from_invite(code: &str) -> Result<Community, InviteError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() > MAX_INVITE_CHARS {
            return Err(InviteError::TooLong);
        }
        let code = code.to_ascii_uppercase();
        let rest = code
            .strip_prefix(INVITE_PREFIX)
            .ok_or(InviteError::Prefix)?;
        let bytes = data_encoding::BASE32_NOPAD
            .decode(rest.as_bytes())
            .map_err(|_| InviteError::Encoding)?;
        if bytes.len() < 5 {
            return Err(InviteError::Encoding);
        }
        let (content, sum) = bytes.split_at(bytes.len() - 4);
        if Sha256::digest(content)[..4] != *sum {
            return Err(InviteError::Checksum);
        }
        let c: Community = exact(content).map_err(|e| InviteError::Malformed(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_round_trip_and_damage() {
        let c = Community {
            id: CommunityId([9; 32]),
            name: "Mission rapid response".into(),
            roots: vec![PublicKey([3; 32])],
            bootstrap: vec!["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW".into()],
        };
        let code = c.to_invite();
        assert!(code.starts_with(INVITE_PREFIX));
        assert_eq!(Community::from_invite(&code).unwrap(), c);
        assert_eq!(Community::from_invite(&code.to_lowercase()).unwrap(), c);
        let mut damaged = code.clone();
        damaged.pop();
        damaged.push(if code.ends_with('A') { 'B' } else { 'A' });
        assert!(Community::from_invite(&damaged).is_err());
        assert_eq!(Community::from_invite("hello"), Err(InviteError::Prefix));
    }
}
