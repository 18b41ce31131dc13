//! Member signing keys: ed25519, verified with `verify_strict` only.

use std::fmt;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::id::{de_32, parse_hex_32, ser_32};

/// Why a signature did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The author field is not a valid ed25519 point (or is a weak, small-order key).
    #[error("author is not a valid ed25519 public key")]
    BadKey,
    /// The signature does not match the signed bytes and the author.
    #[error("signature does not verify")]
    Invalid,
}

/// An ed25519 public key of a member or organizer.
///
/// Prints as a short fingerprint in logs (`Debug`), in full hex with `Display` and in JSON.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// Raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Full lower-case hex: what `--json` and the trust list tools show.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parse 64 hex characters.
    pub fn from_hex(s: &str) -> Result<Self, crate::ParseError> {
        parse_hex_32(s)
            .map(Self)
            .ok_or(crate::ParseError::Hex { expected: 64 })
    }

    /// A short fingerprint for people: four groups of four hex digits of SHA-256 of the key,
    /// e.g. `3f2a-9c1d-07be-5e44`. Hashing first means look-alike keys do not give
    /// look-alike fingerprints.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0);
        let h = hex::encode(&digest[..8]);
        format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
    }

    /// Verify `signature` over `message` with `verify_strict`, which rejects malleable
    /// signatures and small-order keys.
    pub fn verify_strict(
        &self,
        message: &[u8],
        signature: &[u8; 64],
    ) -> Result<(), SignatureError> {
        let key = VerifyingKey::from_bytes(&self.0).map_err(|_| SignatureError::BadKey)?;
        if key.is_weak() {
            return Err(SignatureError::BadKey);
        }
        let sig = ed25519_dalek::Signature::from_bytes(signature);
        key.verify_strict(message, &sig)
            .map_err(|_| SignatureError::Invalid)
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::str::FromStr for PublicKey {
    type Err = crate::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

impl Serialize for PublicKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_32(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_32(d).map(Self)
    }
}

/// A member's secret signing key. Zeroized on drop; `Debug` never shows it.
pub struct SecretKey(SigningKey);

impl SecretKey {
    /// A key from 32 bytes of seed. The caller supplies the randomness (this crate does no
    /// I/O); use the operating system's generator, e.g. `getrandom`.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(seed))
    }

    /// The seed, for encrypting to disk. Zeroized when dropped.
    pub fn to_seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.0.to_bytes())
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// Sign `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SecretKey(<redacted>, public {})",
            self.public().fingerprint()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_redaction() {
        let sk = SecretKey::from_seed(&[1; 32]);
        let pk = sk.public();
        let sig = sk.sign(b"hello");
        assert!(pk.verify_strict(b"hello", &sig).is_ok());
        assert_eq!(
            pk.verify_strict(b"hellp", &sig),
            Err(SignatureError::Invalid)
        );
        let dbg = format!("{sk:?}");
        assert!(dbg.contains("redacted"));
        assert!(!dbg.contains(&hex::encode([1u8; 32])));
        assert_eq!(pk.fingerprint().len(), 19);
    }

    #[test]
    fn small_order_key_is_rejected() {
        // The identity point: a small-order key that would verify forged signatures
        // under lax verification.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let pk = PublicKey(identity);
        assert_eq!(
            pk.verify_strict(b"x", &[0; 64]),
            Err(SignatureError::BadKey)
        );
    }
}
