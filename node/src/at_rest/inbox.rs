//! The node's **inbox**: what the CLI writes for the node while the node is down and the
//! data key is not at hand (the outbox of envelopes signed then) is sealed to a public
//! key of the node, whose private half is a sealed file under the data key.
//!
//! ```text
//! HOME/inbox.pub   the X25519 public key, hex (public: it opens nothing)
//! HOME/inbox.key   its private key, sealed under the data key (see write_private)
//! a sealed item:   "aviso-inbox/1\n" ‖ ephemeral public key (32) ‖ nonce ‖ XChaCha20-Poly1305
//!                  key = HMAC-SHA-256(X25519(ephemeral, inbox), tag ‖ ephemeral ‖ inbox)
//! ```
//!
//! A sealed box (ECIES): the writer needs no secret and can read nothing back; on disk
//! only the number and sizes of items show. The node makes the key at its first unlocked
//! start; before that, items are written in clear as they were.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use super::{AtRestError, KEY_BYTES, hmac_sha256, random, read_private, write_private};
use crate::member_key::NONCE_BYTES;

/// The inbox's public key in the home.
const INBOX_PUB: &str = "inbox.pub";
/// The inbox's private key in the home (a sealed file).
const INBOX_KEY: &str = "inbox.key";
/// First bytes of a sealed item (and its associated data).
const MAGIC: &[u8] = b"aviso-inbox/1\n";
/// Domain of the derived key.
const KDF_TAG: &[u8] = b"aviso/v1/inbox";

/// The inbox's private key, in memory only.
pub struct InboxKey(Zeroizing<[u8; KEY_BYTES]>);

impl std::fmt::Debug for InboxKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InboxKey(<redacted>)")
    }
}

fn public_of(secret: &[u8; KEY_BYTES]) -> [u8; KEY_BYTES] {
    x25519_dalek::x25519(*secret, x25519_dalek::X25519_BASEPOINT_BYTES)
}

/// The item key from the shared point; `None` for a low-order point (shared secret 0).
fn item_key(shared: [u8; KEY_BYTES], eph: &[u8], inbox: &[u8]) -> Option<XChaCha20Poly1305> {
    let shared = Zeroizing::new(shared);
    if shared.iter().all(|b| *b == 0) {
        return None;
    }
    let key = hmac_sha256(&shared[..], &[KDF_TAG, eph, inbox]);
    XChaCha20Poly1305::new_from_slice(&key[..]).ok()
}

/// The inbox key of the unlocked `home`, made (and its public half written) if there is
/// none yet.
pub fn ensure_inbox(home: &Path) -> Result<InboxKey, AtRestError> {
    let path = home.join(INBOX_KEY);
    let secret = match read_private(home, &path, 1024)? {
        Some(b) => {
            let s: [u8; KEY_BYTES] = b.as_slice().try_into().map_err(|_| AtRestError::Damaged {
                path: path.clone(),
                why: "not an inbox key".into(),
            })?;
            Zeroizing::new(s)
        }
        None => {
            let s = random::<KEY_BYTES>()?;
            write_private(home, &path, &s[..])?;
            s
        }
    };
    let public = hex::encode(public_of(&secret));
    let pub_path = home.join(INBOX_PUB);
    if std::fs::read_to_string(&pub_path).ok().as_deref() != Some(public.as_str()) {
        crate::home::write_atomic(&pub_path, public.as_bytes())?;
    }
    Ok(InboxKey(secret))
}

/// `plain` sealed to the inbox of `home`; `None` when the home has no inbox yet (its node
/// never started with the data key).
pub fn seal_to_inbox(home: &Path, plain: &[u8]) -> Result<Option<Vec<u8>>, AtRestError> {
    let Ok(text) = std::fs::read_to_string(home.join(INBOX_PUB)) else {
        return Ok(None);
    };
    let inbox: [u8; KEY_BYTES] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| AtRestError::Damaged {
            path: home.join(INBOX_PUB),
            why: "not a public key".into(),
        })?;
    let eph = random::<KEY_BYTES>()?;
    let eph_pub = public_of(&eph);
    let cipher =
        item_key(x25519_dalek::x25519(*eph, inbox), &eph_pub, &inbox).ok_or_else(|| {
            AtRestError::Damaged {
                path: home.join(INBOX_PUB),
                why: "a low-order point".into(),
            }
        })?;
    let nonce = random::<NONCE_BYTES>()?;
    let ct = cipher
        .encrypt(
            &XNonce::from(*nonce),
            Payload {
                msg: plain,
                aad: MAGIC,
            },
        )
        .map_err(|_| AtRestError::Crypto("seal to the inbox".into()))?;
    Ok(Some([MAGIC, &eph_pub[..], &nonce[..], &ct].concat()))
}

impl InboxKey {
    /// Whether `bytes` is a sealed item (else it is one written in clear).
    pub fn is_sealed(bytes: &[u8]) -> bool {
        bytes.starts_with(MAGIC)
    }

    /// The content of a sealed item; `None` if it is not one or fails authentication.
    pub fn open(&self, bytes: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let (eph, rest) = rest.split_at_checked(KEY_BYTES)?;
        let (nonce, ct) = rest.split_at_checked(NONCE_BYTES)?;
        let eph: [u8; KEY_BYTES] = eph.try_into().ok()?;
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        let inbox = public_of(&self.0);
        let cipher = item_key(x25519_dalek::x25519(*self.0, eph), &eph, &inbox)?;
        cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ct,
                    aad: MAGIC,
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_to_the_inbox_opens_only_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path();
        assert!(seal_to_inbox(home, b"x").unwrap().is_none(), "no inbox yet");
        let pass = super::super::Secret::Passphrase(Zeroizing::new(b"p".to_vec()));
        super::super::create(home, &[pass]).unwrap();
        let key = ensure_inbox(home).unwrap();
        let sealed = seal_to_inbox(home, b"Quokka checkpoint").unwrap().unwrap();
        assert!(InboxKey::is_sealed(&sealed));
        assert!(!sealed.windows(6).any(|w| w == b"Quokka"));
        assert_eq!(key.open(&sealed).unwrap().as_slice(), b"Quokka checkpoint");
        // The same key again at the next start; another key opens nothing.
        assert_eq!(
            ensure_inbox(home)
                .unwrap()
                .open(&sealed)
                .unwrap()
                .as_slice(),
            b"Quokka checkpoint"
        );
        let other = InboxKey(random::<KEY_BYTES>().unwrap());
        assert!(other.open(&sealed).is_none());
        let mut bad = sealed.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(key.open(&bad).is_none());
        assert!(key.open(b"aviso-inbox/1\nshort").is_none());
    }
}
