//! Web Push: a notification reaches a member's phone while the app is closed.
//!
//! The payload is encrypted for the phone alone (RFC 8291, `aes128gcm` of RFC 8188),
//! so the push service that carries it (Google's, Apple's or Mozilla's, chosen by the
//! browser) sees only that a message of a fixed size arrived, and when: every payload
//! is padded to [`PADDED_LEN`], so its length says nothing of the alert. The request
//! carries a VAPID token (RFC 8292) signed by this node's own P-256 key, so the push
//! service only accepts messages for this subscription from this node.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Nonce};
use data_encoding::BASE64URL_NOPAD;
use hkdf::Hkdf;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Every payload is padded to this many bytes of plaintext before encryption, so all
/// notifications look the same to the push service. 2 KiB holds an alert's headline and
/// instruction in any language; longer text is cut (the app shows the whole alert).
pub const PADDED_LEN: usize = 2048;

/// The record size announced in the header (RFC 8188): one record holds the padded
/// payload, its delimiter and the 16-byte tag.
const RECORD_SIZE: u32 = 4096;

/// How long a VAPID token is valid: RFC 8292 allows at most 24 hours; 12 leaves room
/// for clock differences.
pub const VAPID_VALIDITY_SECS: u64 = 12 * 3600;

/// Why a push could not be prepared.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The browser's subscription is malformed.
    #[error("bad push subscription: {0}")]
    Subscription(&'static str),
    /// The endpoint is not an address a push service would have.
    #[error("push endpoint {0:?} is not an https address")]
    Endpoint(String),
    /// The system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
    /// The payload could not be decrypted (receiver side).
    #[error("cannot decrypt the push message: {0}")]
    Decrypt(&'static str),
}

/// A browser's push subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionJson {
    /// The push service's address for this browser.
    pub endpoint: String,
    /// The browser's keys.
    pub keys: SubscriptionKeys,
}

/// The keys of a subscription, base64url.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionKeys {
    /// The browser's P-256 public key, uncompressed (65 bytes).
    pub p256dh: String,
    /// The shared authentication secret (16 bytes).
    pub auth: String,
}

/// A checked subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// The push service's address.
    pub endpoint: String,
    /// The browser's public key.
    pub p256dh: PublicKey,
    /// The authentication secret.
    pub auth: [u8; 16],
}

impl Subscription {
    /// Check a browser's subscription. `allow_http_loopback` admits `http://127.0.0.1`
    /// endpoints, for tests that stand in for the push service.
    pub fn parse(json: &SubscriptionJson, allow_http_loopback: bool) -> Result<Self, PushError> {
        let e = &json.endpoint;
        let https = e.starts_with("https://") && e.len() <= 2048;
        let loopback = allow_http_loopback && e.starts_with("http://127.0.0.1:");
        if !(https || loopback) || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PushError::Endpoint(e.chars().take(80).collect()));
        }
        let key =
            decode(&json.keys.p256dh).ok_or(PushError::Subscription("p256dh is not base64url"))?;
        let p256dh = PublicKey::from_sec1_bytes(&key)
            .map_err(|_| PushError::Subscription("p256dh is not a P-256 public key"))?;
        let auth: [u8; 16] = decode(&json.keys.auth)
            .and_then(|a| a.try_into().ok())
            .ok_or(PushError::Subscription("auth is not 16 bytes of base64url"))?;
        Ok(Subscription {
            endpoint: e.clone(),
            p256dh,
            auth,
        })
    }
}

fn decode(s: &str) -> Option<Vec<u8>> {
    BASE64URL_NOPAD
        .decode(s.trim_end_matches('=').as_bytes())
        .ok()
}

fn random<const N: usize>() -> Result<[u8; N], PushError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| PushError::Random(e.to_string()))?;
    Ok(b)
}

fn random_secret() -> Result<SecretKey, PushError> {
    // A random 32-byte string is a valid P-256 scalar except with probability 2^-32.
    for _ in 0..8 {
        if let Ok(k) = SecretKey::from_slice(&random::<32>()?) {
            return Ok(k);
        }
    }
    Err(PushError::Random("no valid P-256 key in 8 draws".into()))
}

/// The keys derived for one message (RFC 8291 §3.4, RFC 8188 §2.2).
fn derive(
    ecdh_secret: &[u8],
    auth: &[u8; 16],
    ua_public: &[u8],
    as_public: &[u8],
    salt: &[u8; 16],
) -> ([u8; 16], [u8; 12]) {
    let mut key_info = Vec::with_capacity(14 + 65 + 65);
    key_info.extend_from_slice(b"WebPush: info\0");
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(as_public);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), ecdh_secret)
        .expand(&key_info, &mut ikm)
        .expect("32 bytes is a valid HKDF-SHA-256 length");
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let mut cek = [0u8; 16];
    let mut nonce = [0u8; 12];
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .expect("16 bytes is a valid HKDF-SHA-256 length");
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .expect("12 bytes is a valid HKDF-SHA-256 length");
    (cek, nonce)
}

/// Encrypt `plaintext` for `sub`, padded to [`PADDED_LEN`] (cut if longer), with a
/// fresh ephemeral key and salt: the body of the push request.
pub fn encrypt(sub: &Subscription, plaintext: &[u8]) -> Result<Vec<u8>, PushError> {
    let mut padded = plaintext[..plaintext.len().min(PADDED_LEN)].to_vec();
    padded.resize(PADDED_LEN, 0);
    Ok(encrypt_with(
        sub,
        &padded,
        &random_secret()?,
        &random::<16>()?,
    ))
}

/// Encrypt with a given ephemeral key and salt, no padding beyond the delimiter: the
/// deterministic core, checked against RFC 8291's worked example.
pub fn encrypt_with(
    sub: &Subscription,
    data: &[u8],
    as_secret: &SecretKey,
    salt: &[u8; 16],
) -> Vec<u8> {
    let as_public = as_secret.public_key().to_sec1_point(false);
    let ua_public = sub.p256dh.to_sec1_point(false);
    let shared = p256::ecdh::diffie_hellman(as_secret.to_nonzero_scalar(), sub.p256dh.as_affine());
    let (cek, nonce) = derive(
        shared.raw_secret_bytes().as_slice(),
        &sub.auth,
        ua_public.as_bytes(),
        as_public.as_bytes(),
        salt,
    );
    // One record: the data, then 0x02, the delimiter of the last record (RFC 8188 §2).
    let mut record = Vec::with_capacity(data.len() + 1);
    record.extend_from_slice(data);
    record.push(2);
    let cipher = Aes128Gcm::new(&cek.into());
    let sealed = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &record,
                aad: &[],
            },
        )
        .expect("AES-GCM encrypts any length below 64 GiB");
    let mut body = Vec::with_capacity(16 + 4 + 1 + 65 + sealed.len());
    body.extend_from_slice(salt);
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(as_public.as_bytes().len() as u8);
    body.extend_from_slice(as_public.as_bytes());
    body.extend_from_slice(&sealed);
    body
}

/// What a browser does on receipt: decrypt a push body with the subscription's private
/// key and auth secret, and strip the padding. Used by the tests that stand in for the
/// push service and the browser.
pub fn decrypt(ua_secret: &SecretKey, auth: &[u8; 16], body: &[u8]) -> Result<Vec<u8>, PushError> {
    let bad = PushError::Decrypt;
    if body.len() < 21 {
        return Err(bad("shorter than its header"));
    }
    let salt: [u8; 16] = body[..16].try_into().map_err(|_| bad("salt"))?;
    let idlen = usize::from(body[20]);
    let key_end = 21 + idlen;
    let as_public = PublicKey::from_sec1_bytes(body.get(21..key_end).ok_or(bad("key id"))?)
        .map_err(|_| bad("the sender's key is not a P-256 point"))?;
    let ua_public = ua_secret.public_key().to_sec1_point(false);
    let shared = p256::ecdh::diffie_hellman(ua_secret.to_nonzero_scalar(), as_public.as_affine());
    let (cek, nonce) = derive(
        shared.raw_secret_bytes().as_slice(),
        auth,
        ua_public.as_bytes(),
        as_public.to_sec1_point(false).as_bytes(),
        &salt,
    );
    let mut record = Aes128Gcm::new(&cek.into())
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &body[key_end..],
                aad: &[],
            },
        )
        .map_err(|_| bad("authentication failed"))?;
    let end = record
        .iter()
        .rposition(|&b| b != 0)
        .ok_or(bad("no delimiter"))?;
    if record[end] != 2 {
        return Err(bad("not a last record"));
    }
    record.truncate(end);
    while record.last() == Some(&0) {
        record.pop();
    }
    Ok(record)
}

/// What a browser holds for one subscription: its P-256 key and auth secret. The
/// tests that stand in for a browser and its push service use it to subscribe and to
/// read what the node sent.
#[derive(Debug, Clone)]
pub struct BrowserKeys {
    secret: SecretKey,
    auth: [u8; 16],
}

impl BrowserKeys {
    /// New random keys.
    pub fn generate() -> Result<BrowserKeys, PushError> {
        Ok(BrowserKeys {
            secret: random_secret()?,
            auth: random::<16>()?,
        })
    }

    /// The subscription a browser would post, for `endpoint`.
    pub fn subscription(&self, endpoint: &str) -> SubscriptionJson {
        SubscriptionJson {
            endpoint: endpoint.to_owned(),
            keys: SubscriptionKeys {
                p256dh: BASE64URL_NOPAD
                    .encode(self.secret.public_key().to_sec1_point(false).as_bytes()),
                auth: BASE64URL_NOPAD.encode(&self.auth),
            },
        }
    }

    /// Decrypt a push body sent to this subscription.
    pub fn decrypt(&self, body: &[u8]) -> Result<Vec<u8>, PushError> {
        decrypt(&self.secret, &self.auth, body)
    }
}

/// This node's VAPID key: the push service accepts messages for a subscription only
/// when they are signed by the key the browser subscribed with.
#[derive(Debug, Clone)]
pub struct Vapid {
    key: SigningKey,
}

impl Vapid {
    /// A new random key.
    pub fn generate() -> Result<Vapid, PushError> {
        Ok(Vapid {
            key: SigningKey::from(random_secret()?),
        })
    }

    /// The key from its 32 secret bytes (as stored in the node's home).
    pub fn from_bytes(bytes: &[u8; 32]) -> Option<Vapid> {
        SecretKey::from_slice(bytes).ok().map(|k| Vapid {
            key: SigningKey::from(k),
        })
    }

    /// The 32 secret bytes, to store.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes().into()
    }

    /// The public key in base64url, uncompressed: the browser's
    /// `applicationServerKey`, and the `k=` of the header.
    pub fn public_key(&self) -> String {
        BASE64URL_NOPAD.encode(self.key.verifying_key().to_sec1_point(false).as_bytes())
    }

    /// The `Authorization` header for a push to `endpoint` (RFC 8292 §3): a JWT for the
    /// endpoint's origin, valid [`VAPID_VALIDITY_SECS`], signed with ES256.
    pub fn authorization(&self, endpoint: &str, subject: &str, now: u64) -> String {
        let origin = origin(endpoint);
        let header = BASE64URL_NOPAD.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let claims = serde_json::json!({
            "aud": origin,
            "exp": now + VAPID_VALIDITY_SECS,
            "sub": subject,
        });
        let claims = BASE64URL_NOPAD.encode(claims.to_string().as_bytes());
        let signing_input = format!("{header}.{claims}");
        let sig: Signature = self.key.sign(signing_input.as_bytes());
        let jwt = format!(
            "{signing_input}.{}",
            BASE64URL_NOPAD.encode(&sig.to_bytes())
        );
        format!("vapid t={jwt}, k={}", self.public_key())
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            format!("{scheme}://{host}")
        }
        None => url.to_owned(),
    }
}

/// Check a VAPID `Authorization` header as a push service does: the token's signature
/// by the key in `k=`, its audience and its expiry. Returns the public key.
pub fn verify_authorization(
    header: &str,
    endpoint: &str,
    now: u64,
) -> Result<String, &'static str> {
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier;
    let rest = header.strip_prefix("vapid ").ok_or("not a vapid header")?;
    let mut t = None;
    let mut k = None;
    for part in rest.split(',') {
        let part = part.trim();
        if let Some(v) = part.strip_prefix("t=") {
            t = Some(v);
        } else if let Some(v) = part.strip_prefix("k=") {
            k = Some(v);
        }
    }
    let (t, k) = (t.ok_or("no token")?, k.ok_or("no key")?);
    let key = VerifyingKey::from_sec1_bytes(&decode(k).ok_or("key not base64url")?)
        .map_err(|_| "key is not a P-256 point")?;
    let (input, sig) = t.rsplit_once('.').ok_or("token has no signature")?;
    let sig = Signature::from_slice(&decode(sig).ok_or("signature not base64url")?)
        .map_err(|_| "signature is not 64 bytes")?;
    key.verify(input.as_bytes(), &sig)
        .map_err(|_| "bad signature")?;
    let claims = input.split('.').nth(1).ok_or("token has no claims")?;
    let claims: serde_json::Value =
        serde_json::from_slice(&decode(claims).ok_or("claims not base64url")?)
            .map_err(|_| "claims not JSON")?;
    if claims["aud"].as_str() != Some(origin(endpoint).as_str()) {
        return Err("wrong audience");
    }
    let exp = claims["exp"].as_u64().ok_or("no expiry")?;
    if exp <= now || exp > now + 24 * 3600 {
        return Err("expired or valid too long");
    }
    Ok(k.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> Vec<u8> {
        decode(s).expect("base64url")
    }

    /// RFC 8291, Appendix A: the worked example, byte for byte.
    #[test]
    fn rfc8291_example() {
        let ua_secret =
            SecretKey::from_slice(&b64("q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94")).unwrap();
        let as_secret =
            SecretKey::from_slice(&b64("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")).unwrap();
        let sub = Subscription::parse(
            &SubscriptionJson {
                endpoint: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV".into(),
                keys: SubscriptionKeys {
                    p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4".into(),
                    auth: "BTBZMqHH6r4Tts7J_aSIgg".into(),
                },
            },
            false,
        )
        .unwrap();
        assert_eq!(
            sub.p256dh.to_sec1_point(false).as_bytes(),
            ua_secret.public_key().to_sec1_point(false).as_bytes()
        );
        let salt: [u8; 16] = b64("DGv6ra1nlYgDCS1FRnbzlw").try_into().unwrap();
        let body = encrypt_with(
            &sub,
            b"When I grow up, I want to be a watermelon",
            &as_secret,
            &salt,
        );
        assert_eq!(
            BASE64URL_NOPAD.encode(&body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
        assert_eq!(
            decrypt(&ua_secret, &sub.auth, &body).unwrap(),
            b"When I grow up, I want to be a watermelon"
        );
    }

    #[test]
    fn every_payload_has_the_same_length() {
        let ua = random_secret().unwrap();
        let sub = Subscription {
            endpoint: "https://push.example.net/x".into(),
            p256dh: ua.public_key(),
            auth: [7; 16],
        };
        let short = encrypt(&sub, b"hi").unwrap();
        let long = encrypt(&sub, &[b'x'; 5000]).unwrap();
        assert_eq!(short.len(), long.len());
        assert_eq!(decrypt(&ua, &sub.auth, &short).unwrap(), b"hi");
        let mut tampered = short.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(decrypt(&ua, &sub.auth, &tampered).is_err());
    }

    #[test]
    fn vapid_tokens_verify_and_expire() {
        let v = Vapid::generate().unwrap();
        let ep = "https://push.example.net/push/abc?x=1";
        let h = v.authorization(ep, "mailto:node@aviso.invalid", 1_000);
        assert_eq!(verify_authorization(&h, ep, 1_000), Ok(v.public_key()));
        assert!(verify_authorization(&h, "https://other.example/push", 1_000).is_err());
        assert!(verify_authorization(&h, ep, 1_000 + VAPID_VALIDITY_SECS).is_err());
        let other = Vapid::generate().unwrap();
        let forged = h.replace(&v.public_key(), &other.public_key());
        assert!(verify_authorization(&forged, ep, 1_000).is_err());
        let again = Vapid::from_bytes(&v.to_bytes()).unwrap();
        assert_eq!(again.public_key(), v.public_key());
    }

    #[test]
    fn subscriptions_are_checked() {
        let ua = random_secret().unwrap();
        let good = SubscriptionJson {
            endpoint: "https://fcm.example/send/x".into(),
            keys: SubscriptionKeys {
                p256dh: BASE64URL_NOPAD.encode(ua.public_key().to_sec1_point(false).as_bytes()),
                auth: BASE64URL_NOPAD.encode(&[1; 16]),
            },
        };
        assert!(Subscription::parse(&good, false).is_ok());
        let http = SubscriptionJson {
            endpoint: "http://127.0.0.1:9/x".into(),
            ..good.clone()
        };
        assert!(Subscription::parse(&http, false).is_err());
        assert!(Subscription::parse(&http, true).is_ok());
        let js = SubscriptionJson {
            endpoint: "javascript:alert(1)".into(),
            ..good.clone()
        };
        assert!(Subscription::parse(&js, true).is_err());
        let mut short = good.clone();
        short.keys.auth = "AAAA".into();
        assert!(Subscription::parse(&short, false).is_err());
    }
}
