//! Browser sign-in for the web app: a one-time link from `aviso web`, then an HttpOnly, SameSite=Strict
//! session cookie. Codes and sessions live in memory only: a restarted node asks for a
//! new link, and nothing about a browser session is written to disk.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// The session cookie's name.
pub const COOKIE: &str = "aviso_session";

/// How long a sign-in link works: enough to copy it into a browser, short enough that
/// a link left in a terminal's scrollback is soon useless.
pub const CODE_TTL: Duration = Duration::from_secs(5 * 60);

/// How long a browser stays signed in without being used.
pub const SESSION_IDLE: Duration = Duration::from_secs(30 * 24 * 3600);

/// Most sign-in links waiting at once; the oldest is dropped beyond.
pub const MAX_CODES: usize = 8;

/// Most signed-in browsers at once; the least recently used is signed out beyond.
pub const MAX_SESSIONS: usize = 32;

/// Secrets are stored by their SHA-256, so a lookup's timing says nothing about them
/// and a memory dump of the map does not hold usable cookies.
type Digest32 = [u8; 32];

fn digest(secret: &str) -> Digest32 {
    Sha256::digest(secret.as_bytes()).into()
}

/// Why a secret could not be made.
#[derive(Debug, thiserror::Error)]
#[error("no randomness available: {0}")]
pub struct RandomError(String);

impl RandomError {
    pub(crate) fn new(why: String) -> RandomError {
        RandomError(why)
    }
}

fn random_hex() -> Result<String, RandomError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| RandomError(e.to_string()))?;
    Ok(hex::encode(b))
}

/// Sign-in codes and sessions.
#[derive(Debug, Default)]
pub struct Sessions {
    codes: Mutex<HashMap<Digest32, Instant>>,
    sessions: Mutex<HashMap<Digest32, Instant>>,
}

impl Sessions {
    /// A new one-time sign-in code.
    pub fn new_code(&self) -> Result<String, RandomError> {
        let code = random_hex()?;
        let now = Instant::now();
        let mut codes = self.codes.lock().unwrap_or_else(|p| p.into_inner());
        codes.retain(|_, made| now.duration_since(*made) < CODE_TTL);
        while codes.len() >= MAX_CODES {
            let oldest = codes.iter().min_by_key(|(_, t)| **t).map(|(k, _)| *k);
            match oldest {
                Some(k) => codes.remove(&k),
                None => break,
            };
        }
        codes.insert(digest(&code), now);
        Ok(code)
    }

    /// Trade a code for a session: `None` if it is unknown, used or expired.
    pub fn redeem(&self, code: &str) -> Result<Option<String>, RandomError> {
        let now = Instant::now();
        let made = self
            .codes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&digest(code));
        match made {
            Some(t) if now.duration_since(t) < CODE_TTL => {
                let session = random_hex()?;
                let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
                sessions.retain(|_, seen| now.duration_since(*seen) < SESSION_IDLE);
                while sessions.len() >= MAX_SESSIONS {
                    let oldest = sessions.iter().min_by_key(|(_, t)| **t).map(|(k, _)| *k);
                    match oldest {
                        Some(k) => sessions.remove(&k),
                        None => break,
                    };
                }
                sessions.insert(digest(&session), now);
                Ok(Some(session))
            }
            _ => Ok(None),
        }
    }

    /// Whether `session` is signed in; counts as use.
    pub fn check(&self, session: &str) -> bool {
        let now = Instant::now();
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        match sessions.get_mut(&digest(session)) {
            Some(seen) if now.duration_since(*seen) < SESSION_IDLE => {
                *seen = now;
                true
            }
            Some(_) => {
                sessions.remove(&digest(session));
                false
            }
            None => false,
        }
    }

    /// Sign a browser out.
    pub fn end(&self, session: &str) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&digest(session));
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_works_once() {
        let s = Sessions::default();
        let code = s.new_code().unwrap();
        let session = s.redeem(&code).unwrap().expect("first use");
        assert!(s.redeem(&code).unwrap().is_none(), "second use");
        assert!(s.check(&session));
        assert!(!s.check("forged"));
        s.end(&session);
        assert!(!s.check(&session));
    }

    #[test]
    fn codes_and_sessions_are_bounded() {
        let s = Sessions::default();
        let codes: Vec<_> = (0..MAX_CODES + 3).map(|_| s.new_code().unwrap()).collect();
        assert_eq!(s.codes.lock().unwrap().len(), MAX_CODES);
        assert!(
            s.redeem(&codes[0]).unwrap().is_none(),
            "the oldest was dropped"
        );
        for _ in 0..MAX_SESSIONS + 3 {
            let c = s.new_code().unwrap();
            s.redeem(&c).unwrap().unwrap();
        }
        assert_eq!(s.sessions.lock().unwrap().len(), MAX_SESSIONS);
    }

    #[test]
    fn cookies_parse() {
        assert_eq!(cookie("a=1; aviso_session=xyz; b=2", COOKIE), Some("xyz"));
        assert_eq!(cookie("aviso_sessionx=1", COOKIE), None);
    }
}
