//! Pairing codes and paired devices: how a phone on the LAN gets in.
//!
//! `aviso web pair` asks for a code (with the API token, so only someone at the node's
//! machine can). The code travels in the QR code's URL fragment, which browsers never
//! send to a server or put in a `Referer`; the pairing page posts it once. A right code
//! makes a device: a random secret in a `Secure`, `HttpOnly`, `SameSite=Strict` cookie,
//! and a record the member sees and can revoke. Codes are single use, short lived and
//! compared in constant time; wrong codes are counted, and too many cancel every open
//! code until the member asks for a new one.
//!
//! Like browser sessions ([`crate::session`]), codes and devices live in memory only:
//! nothing about them is written to disk, and a restarted node asks each phone to pair
//! again.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::watch;

use crate::session::RandomError;

/// The device cookie's name (not the same-machine session's: the two never mix).
pub const DEVICE_COOKIE: &str = "aviso_device";

/// How long a pairing code works: time to scan it, trust the CA and pair.
pub const PAIR_CODE_TTL: Duration = Duration::from_secs(10 * 60);

/// Open codes at once; the oldest is dropped beyond.
pub const MAX_PAIR_CODES: usize = 4;

/// Wrong codes tried before every open code is cancelled. With 80-bit codes guessing is
/// hopeless anyway; the limit keeps a LAN neighbour from even trying for long.
pub const MAX_FAILED_PAIRINGS: u32 = 10;

/// Paired devices at once: a household's phones and tablets. Beyond, pairing is refused
/// until the member revokes one.
pub const MAX_DEVICES: usize = 16;

/// Longest device name kept, in characters.
pub const MAX_DEVICE_NAME: usize = 40;

/// How long a paired device stays paired without being used.
pub const DEVICE_IDLE: Duration = Duration::from_secs(90 * 24 * 3600);

type Digest32 = [u8; 32];

fn digest(secret: &str) -> Digest32 {
    Sha256::digest(secret.as_bytes()).into()
}

fn random(n: usize) -> Result<Vec<u8>, RandomError> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).map_err(|e| RandomError::new(e.to_string()))?;
    Ok(b)
}

/// A code as people may type it: letters and digits only, lower case.
fn normalize(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(64)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A paired device, as the member sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Device {
    /// Short id, for `aviso web revoke`.
    pub id: String,
    /// The name the member gave it, or its platform.
    pub name: String,
    /// When it paired, unix seconds.
    pub paired_at: u64,
    /// When it was last used, unix seconds.
    pub last_seen: u64,
}

/// Why a pairing was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairError {
    /// Unknown, used or expired code.
    #[error("this pairing code is wrong, used or expired")]
    Refused,
    /// Too many wrong codes: every open code was cancelled.
    #[error("too many wrong pairing codes; run `aviso web pair` again")]
    TooManyAttempts,
    /// The device list is full.
    #[error("{MAX_DEVICES} devices are paired already; revoke one first")]
    Full,
    /// No randomness.
    #[error(transparent)]
    Random(#[from] RandomError),
}

#[derive(Debug)]
struct Paired {
    device: Device,
    secret: Digest32,
    used: Instant,
}

#[derive(Debug, Default)]
struct Inner {
    codes: Vec<(Digest32, Instant)>,
    failures: u32,
    devices: Vec<Paired>,
}

/// Pairing codes and paired devices.
#[derive(Debug)]
pub struct Pairing {
    inner: Mutex<Inner>,
    /// Bumped on every revocation, so open live-update streams check their device again.
    revoked: watch::Sender<u64>,
}

impl Default for Pairing {
    fn default() -> Self {
        Pairing {
            inner: Mutex::default(),
            revoked: watch::channel(0).0,
        }
    }
}

impl Pairing {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new one-time pairing code (16 base32 characters, 80 bits). Asking for one also
    /// clears the count of wrong codes.
    pub fn new_code(&self) -> Result<String, RandomError> {
        let code = data_encoding::BASE32_NOPAD
            .encode(&random(10)?)
            .to_ascii_lowercase();
        let now = Instant::now();
        let mut inner = self.lock();
        inner
            .codes
            .retain(|(_, made)| now.duration_since(*made) < PAIR_CODE_TTL);
        if inner.codes.len() >= MAX_PAIR_CODES {
            inner.codes.remove(0);
        }
        inner.codes.push((digest(&code), now));
        inner.failures = 0;
        Ok(code)
    }

    /// Trade a code for a device named `name` (cut to [`MAX_DEVICE_NAME`]): the device and
    /// the secret for its cookie.
    pub fn pair(
        &self,
        code: &str,
        name: &str,
        now_unix: u64,
    ) -> Result<(Device, String), PairError> {
        let presented = digest(&normalize(code));
        let now = Instant::now();
        let mut inner = self.lock();
        if inner.failures >= MAX_FAILED_PAIRINGS {
            return Err(PairError::TooManyAttempts);
        }
        inner
            .codes
            .retain(|(_, made)| now.duration_since(*made) < PAIR_CODE_TTL);
        // Every open code is compared, in constant time, whichever matches.
        let mut found = None;
        for (i, (d, _)) in inner.codes.iter().enumerate() {
            if bool::from(d.ct_eq(&presented)) {
                found = Some(i);
            }
        }
        let Some(i) = found else {
            inner.failures += 1;
            if inner.failures >= MAX_FAILED_PAIRINGS {
                inner.codes.clear();
                tracing::warn!("too many wrong pairing codes: every open code is cancelled");
                return Err(PairError::TooManyAttempts);
            }
            return Err(PairError::Refused);
        };
        inner
            .devices
            .retain(|p| now.duration_since(p.used) < DEVICE_IDLE);
        if inner.devices.len() >= MAX_DEVICES {
            return Err(PairError::Full);
        }
        inner.codes.remove(i);
        let secret = hex::encode(random(32)?);
        let mut id = hex::encode(random(4)?);
        while inner.devices.iter().any(|p| p.device.id == id) {
            id = hex::encode(random(4)?);
        }
        let name: String = name
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_DEVICE_NAME)
            .collect();
        let device = Device {
            id,
            name: name.trim().to_owned(),
            paired_at: now_unix,
            last_seen: now_unix,
        };
        inner.devices.push(Paired {
            device: device.clone(),
            secret: digest(&secret),
            used: now,
        });
        Ok((device, secret))
    }

    /// The id of the device whose cookie is `secret`, if it is paired; counts as use.
    pub fn check(&self, secret: &str, now_unix: u64) -> Option<String> {
        let presented = digest(secret);
        let now = Instant::now();
        let mut inner = self.lock();
        inner
            .devices
            .retain(|p| now.duration_since(p.used) < DEVICE_IDLE);
        let p = inner
            .devices
            .iter_mut()
            .find(|p| bool::from(p.secret.ct_eq(&presented)))?;
        p.used = now;
        p.device.last_seen = now_unix;
        Some(p.device.id.clone())
    }

    /// Whether device `id` is still paired (an open stream asks after a revocation).
    pub fn is_paired(&self, id: &str) -> bool {
        self.lock().devices.iter().any(|p| p.device.id == id)
    }

    /// The paired devices, oldest first.
    pub fn devices(&self) -> Vec<Device> {
        self.lock()
            .devices
            .iter()
            .map(|p| p.device.clone())
            .collect()
    }

    /// Unpair device `id`: its cookie is refused from now on, and its open streams end.
    /// Whether it was paired.
    pub fn revoke(&self, id: &str) -> bool {
        let removed = {
            let mut inner = self.lock();
            let before = inner.devices.len();
            inner.devices.retain(|p| p.device.id != id);
            inner.devices.len() != before
        };
        if removed {
            self.revoked.send_modify(|g| *g += 1);
        }
        removed
    }

    /// Changes on every revocation.
    pub fn revocations(&self) -> watch::Receiver<u64> {
        self.revoked.subscribe()
    }
}

/// A device name from a browser's `User-Agent`: its platform only, nothing that tells one
/// phone from another.
pub fn platform_name(user_agent: &str) -> &'static str {
    let ua = user_agent;
    if ua.contains("iPhone") {
        "iPhone"
    } else if ua.contains("iPad") {
        "iPad"
    } else if ua.contains("Android") {
        "Android"
    } else if ua.contains("CrOS") {
        "ChromeOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Macintosh") {
        "Mac"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        "Browser"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_pairs_once() {
        let p = Pairing::default();
        let code = p.new_code().unwrap();
        assert_eq!(code.len(), 16);
        // Typed by hand, in capitals with dashes: the same code.
        let typed = format!("{}-{}", &code[..8], &code[8..]).to_uppercase();
        let (device, secret) = p.pair(&typed, "Ana's phone", 100).unwrap();
        assert_eq!(device.name, "Ana's phone");
        assert!(matches!(
            p.pair(&code, "again", 100),
            Err(PairError::Refused)
        ));
        assert_eq!(p.check(&secret, 200), Some(device.id.clone()));
        assert_eq!(p.devices()[0].last_seen, 200);
        assert_eq!(p.check("forged", 200), None);
    }

    #[test]
    fn codes_expire() {
        let p = Pairing::default();
        let code = p.new_code().unwrap();
        // Age the code past its lifetime.
        p.lock().codes[0].1 = Instant::now() - PAIR_CODE_TTL - Duration::from_secs(1);
        assert!(matches!(p.pair(&code, "x", 0), Err(PairError::Refused)));
    }

    #[test]
    fn wrong_codes_cancel_every_open_code() {
        let p = Pairing::default();
        let code = p.new_code().unwrap();
        for i in 0..MAX_FAILED_PAIRINGS - 1 {
            assert!(
                matches!(p.pair("wrongwrongwrong1", "x", 0), Err(PairError::Refused)),
                "attempt {i}"
            );
        }
        assert!(matches!(
            p.pair("wrongwrongwrong1", "x", 0),
            Err(PairError::TooManyAttempts)
        ));
        // Even the right code no longer works.
        assert!(matches!(
            p.pair(&code, "x", 0),
            Err(PairError::TooManyAttempts)
        ));
        // A new code (from the member, with the token) starts over.
        let fresh = p.new_code().unwrap();
        assert!(p.pair(&fresh, "x", 0).is_ok());
        assert!(matches!(p.pair(&code, "x", 0), Err(PairError::Refused)));
    }

    #[test]
    fn codes_and_devices_are_bounded() {
        let p = Pairing::default();
        let codes: Vec<_> = (0..MAX_PAIR_CODES + 2)
            .map(|_| p.new_code().unwrap())
            .collect();
        assert_eq!(p.lock().codes.len(), MAX_PAIR_CODES);
        assert!(matches!(p.pair(&codes[0], "x", 0), Err(PairError::Refused)));
        let p = Pairing::default();
        for _ in 0..MAX_DEVICES {
            let c = p.new_code().unwrap();
            p.pair(&c, "x", 0).unwrap();
        }
        let c = p.new_code().unwrap();
        assert!(matches!(p.pair(&c, "x", 0), Err(PairError::Full)));
        let long = "n".repeat(500);
        let p = Pairing::default();
        let c = p.new_code().unwrap();
        assert_eq!(p.pair(&c, &long, 0).unwrap().0.name.len(), MAX_DEVICE_NAME);
    }

    #[test]
    fn a_revoked_device_is_refused_at_once_and_streams_hear_of_it() {
        let p = Pairing::default();
        let c = p.new_code().unwrap();
        let (device, secret) = p.pair(&c, "x", 0).unwrap();
        let rx = p.revocations();
        assert!(p.revoke(&device.id));
        assert!(rx.has_changed().unwrap());
        assert_eq!(p.check(&secret, 1), None);
        assert!(!p.is_paired(&device.id));
        assert!(!p.revoke(&device.id));
        assert!(p.devices().is_empty());
    }

    #[test]
    fn platform_names() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36";
        assert_eq!(platform_name(android), "Android");
        assert_eq!(
            platform_name("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)"),
            "iPhone"
        );
        assert_eq!(platform_name(""), "Browser");
    }
}
