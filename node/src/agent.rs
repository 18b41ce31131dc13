//! The key agent: the node holds a member's or organizer's signing key in memory for a
//! short while, so the web app can sign without the browser ever seeing the key.
//!
//! - The key stays in its passphrase-encrypted file ([`crate::member_key`]); unlocking
//!   decrypts it into this process only. Nothing unencrypted is ever written.
//! - It locks itself after [`DEFAULT_IDLE`] without a signature (configurable), on
//!   [`KeyAgent::lock`], on shutdown and on panic (the hook in [`KeyAgent::lock_on_panic`]);
//!   locking drops the key, whose bytes are zeroized.
//! - Wrong passphrases slow down: after [`FREE_ATTEMPTS`] failures, each attempt waits
//!   twice as long as the last, up to [`MAX_DELAY`], so a browser session that leaks
//!   cannot be used to guess the passphrase quickly (Argon2id already costs about half
//!   a second per guess).

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use aviso_protocol::{Body, CommunityId, DecodeError, Envelope, PublicKey, SecretKey};

use crate::member_key::{KeyFile, OpenError};

/// How long an unlocked key stays unlocked without being used: long enough to read a
/// report, write an alert in two languages and sign it; short enough that a phone left
/// on a table is not a signing device for the rest of the day.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(15 * 60);

/// Wrong passphrases allowed before attempts are slowed down (typing mistakes).
pub const FREE_ATTEMPTS: u32 = 3;

/// The delay after the first slowed attempt; it doubles with each further failure.
pub const FIRST_DELAY: Duration = Duration::from_secs(2);

/// The longest delay between attempts.
pub const MAX_DELAY: Duration = Duration::from_secs(300);

/// Why the agent refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// No key is unlocked.
    #[error("the signing key is locked: unlock it first")]
    Locked,
    /// The passphrase is wrong.
    #[error("wrong passphrase")]
    WrongPassphrase {
        /// How long before the next attempt is accepted.
        retry_after: Duration,
    },
    /// Too many wrong passphrases: wait.
    #[error("too many attempts: wait {} seconds", retry_after.as_secs().max(1))]
    TooSoon {
        /// How long to wait.
        retry_after: Duration,
    },
    /// The key file cannot be used.
    #[error("{0}")]
    KeyFile(String),
    /// The message cannot be signed (it breaks a protocol limit).
    #[error("cannot sign: {0}")]
    Sign(String),
}

/// What the agent holds, for status displays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AgentStatus {
    /// Whether a key is unlocked.
    pub unlocked: bool,
    /// Its public key, when unlocked.
    pub public_key: Option<PublicKey>,
    /// Seconds until it locks itself if unused.
    pub locks_in_secs: Option<u64>,
    /// Seconds before another unlock attempt is accepted, after wrong passphrases.
    pub retry_after_secs: Option<u64>,
}

struct Unlocked {
    /// Zeroized when dropped (ed25519-dalek's `ZeroizeOnDrop`), boxed so that it is
    /// never moved again once unlocked.
    secret: Box<SecretKey>,
    last_used: Instant,
}

#[derive(Default)]
struct Inner {
    key: Option<Unlocked>,
    failures: u32,
    not_before: Option<Instant>,
}

/// The node's key agent. Cloning shares it.
#[derive(Clone)]
pub struct KeyAgent {
    inner: Arc<Mutex<Inner>>,
    idle: Duration,
}

impl std::fmt::Debug for KeyAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyAgent")
            .field("idle", &self.idle)
            .finish_non_exhaustive()
    }
}

impl KeyAgent {
    /// A locked agent that locks an unused key after `idle`.
    pub fn new(idle: Duration) -> KeyAgent {
        KeyAgent {
            inner: Arc::new(Mutex::new(Inner::default())),
            idle,
        }
    }

    fn state(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves the key to be dropped with the guard's
        // owner; the data is still consistent (every field is set in one step).
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Unlock `file` with `passphrase`. Slow on purpose (Argon2id): call it from a
    /// blocking task.
    pub fn unlock(&self, file: &KeyFile, passphrase: &[u8]) -> Result<PublicKey, AgentError> {
        self.unlock_at(file, passphrase, Instant::now())
    }

    /// [`KeyAgent::unlock`] for the member key of `home`, which also knows the home's
    /// duress passphrase: someone forced to unlock in front of another gives it, and it
    /// fails exactly like a wrong passphrase (the same error; the same cost, one more
    /// Argon2id derivation after any failure) while the home is wiped and the node told
    /// to stop. Nothing logged says so.
    pub fn unlock_home(
        &self,
        home: &std::path::Path,
        file: &KeyFile,
        passphrase: &[u8],
    ) -> Result<PublicKey, AgentError> {
        let unlocked = self.unlock(file, passphrase);
        if matches!(unlocked, Err(AgentError::WrongPassphrase { .. }))
            && crate::at_rest::is_duress_passphrase(home, passphrase)
        {
            self.lock();
            crate::at_rest::wipe(home);
            crate::at_rest::request_stop(home);
        }
        unlocked
    }

    fn unlock_at(
        &self,
        file: &KeyFile,
        passphrase: &[u8],
        now: Instant,
    ) -> Result<PublicKey, AgentError> {
        if let Some(t) = self.state().not_before
            && now < t
        {
            return Err(AgentError::TooSoon {
                retry_after: t - now,
            });
        }
        // Decrypted and boxed in a frame below this one, so that every stack copy of the
        // seed (the decrypted value, its moves into the box) lies where `scrub_stack`
        // overwrites; only the box's address comes back here.
        let opened = open_boxed(file, passphrase);
        scrub_stack();
        match opened {
            Ok(secret) => {
                let public = secret.public();
                let mut s = self.state();
                s.key = Some(Unlocked {
                    secret,
                    last_used: now,
                });
                s.failures = 0;
                s.not_before = None;
                drop(s);
                Ok(public)
            }
            Err(OpenError::WrongPassphrase) => {
                let mut s = self.state();
                s.failures = s.failures.saturating_add(1);
                let delay = delay_after(s.failures);
                s.not_before = (!delay.is_zero()).then_some(now + delay);
                Err(AgentError::WrongPassphrase { retry_after: delay })
            }
            Err(e) => Err(AgentError::KeyFile(e.to_string())),
        }
    }

    /// Lock now: the key's bytes are zeroized.
    pub fn lock(&self) {
        let key = self.state().key.take();
        drop(key);
    }

    /// Lock if the key has not been used for the idle time; returns whether it locked.
    pub fn expire_idle(&self) -> bool {
        self.expire_idle_at(Instant::now())
    }

    fn expire_idle_at(&self, now: Instant) -> bool {
        let mut s = self.state();
        let idle = s
            .key
            .as_ref()
            .is_some_and(|k| now.saturating_duration_since(k.last_used) >= self.idle);
        if idle {
            s.key = None;
        }
        idle
    }

    /// Where it stands.
    pub fn status(&self) -> AgentStatus {
        let now = Instant::now();
        let s = self.state();
        AgentStatus {
            unlocked: s.key.is_some(),
            public_key: s.key.as_ref().map(|k| k.secret.public()),
            locks_in_secs: s.key.as_ref().map(|k| {
                self.idle
                    .saturating_sub(now.saturating_duration_since(k.last_used))
                    .as_secs()
            }),
            retry_after_secs: s
                .not_before
                .filter(|t| *t > now)
                .map(|t| (t - now).as_secs().max(1)),
        }
    }

    /// The unlocked key's public key, if any.
    pub fn public(&self) -> Option<PublicKey> {
        self.state().key.as_ref().map(|k| k.secret.public())
    }

    /// Sign `body` as an envelope of `community`; counts as use (the idle clock restarts).
    pub fn sign(
        &self,
        community: CommunityId,
        body: &Body,
        created_at: u64,
        expires_at: u64,
    ) -> Result<Envelope, AgentError> {
        let mut s = self.state();
        let key = s.key.as_mut().ok_or(AgentError::Locked)?;
        key.last_used = Instant::now();
        let signed = Envelope::sign(&key.secret, community, body, created_at, expires_at)
            .map_err(|e: DecodeError| AgentError::Sign(e.to_string()));
        drop(s);
        // Signing hashes the seed (SHA-512, for the expanded key) in frames below this
        // one; their buffers are not zeroized.
        scrub_stack();
        signed
    }

    /// Lock every few seconds if idle, until the agent is dropped everywhere else.
    pub fn spawn_idle_timer(&self) -> tokio::task::JoinHandle<()> {
        let weak: Weak<Mutex<Inner>> = Arc::downgrade(&self.inner);
        let idle = self.idle;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(IDLE_CHECK.min(idle));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                KeyAgent { inner, idle }.expire_idle();
            }
        })
    }

    /// Install a panic hook that locks the agent before the panic is reported, then
    /// calls the previous hook. A panic anywhere in the node then leaves no key behind
    /// even if the process is kept alive or dumped.
    pub fn lock_on_panic(&self) {
        let weak = Arc::downgrade(&self.inner);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(inner) = weak.upgrade() {
                // try_lock: the panicking thread may hold the lock; then unwinding drops
                // the guard's owner and its key.
                if let Ok(mut s) = inner.try_lock() {
                    s.key = None;
                }
            }
            previous(info);
        }));
    }
}

/// How often the idle timer looks.
const IDLE_CHECK: Duration = Duration::from_secs(5);

/// The wait before the next attempt after `failures` wrong passphrases.
fn delay_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::ZERO;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(16);
    (FIRST_DELAY * 2u32.pow(doublings)).min(MAX_DELAY)
}

/// Open `file` straight into a box. Never inlined: its frame (and those of the
/// decryption) lie below the caller's, where the caller's `scrub_stack` reaches.
#[inline(never)]
fn open_boxed(file: &KeyFile, passphrase: &[u8]) -> Result<Box<SecretKey>, OpenError> {
    file.open(passphrase).map(Box::new)
}

/// Overwrite the stack below this frame, where decrypting the key left copies of its
/// bytes (the derived key and the seed pass through locals that are zeroized, but
/// moves of values leave their old bytes behind).
#[inline(never)]
fn scrub_stack() {
    let mut buf = [0u8; 64 * 1024];
    std::hint::black_box(&mut buf);
    zeroize::Zeroize::zeroize(&mut buf[..]);
    std::hint::black_box(&buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::member_key::KdfCost;

    const FAST: KdfCost = KdfCost {
        m_cost_kib: 8,
        t_cost: 1,
        p_cost: 1,
    };

    fn file() -> (SecretKey, KeyFile) {
        let secret = aviso_protocol::fixtures::key(9);
        let kf = KeyFile::seal(&secret, b"pass", FAST, [1; 16], [2; 24]).unwrap();
        (secret, kf)
    }

    #[test]
    fn locked_agent_refuses_to_sign() {
        let agent = KeyAgent::new(DEFAULT_IDLE);
        let body = Body::Report(aviso_protocol::Report {
            category: aviso_protocol::Category::Patrol,
            areas: vec![aviso_protocol::Area::parse("9q8yy").unwrap()],
            seen_at: 1,
            note: None,
        });
        assert_eq!(
            agent.sign(CommunityId([1; 32]), &body, 10, 20).unwrap_err(),
            AgentError::Locked
        );
        let (secret, kf) = file();
        assert_eq!(agent.unlock(&kf, b"pass").unwrap(), secret.public());
        let env = agent.sign(CommunityId([1; 32]), &body, 10, 20).unwrap();
        assert_eq!(env.author(), secret.public());
        agent.lock();
        assert_eq!(
            agent.sign(CommunityId([1; 32]), &body, 10, 20).unwrap_err(),
            AgentError::Locked
        );
        assert!(!agent.status().unlocked);
    }

    #[test]
    fn wrong_passphrases_slow_down() {
        let agent = KeyAgent::new(DEFAULT_IDLE);
        let (_, kf) = file();
        let t0 = Instant::now();
        for _ in 0..FREE_ATTEMPTS - 1 {
            assert_eq!(
                agent.unlock_at(&kf, b"nope", t0),
                Err(AgentError::WrongPassphrase {
                    retry_after: Duration::ZERO
                })
            );
        }
        assert_eq!(
            agent.unlock_at(&kf, b"nope", t0),
            Err(AgentError::WrongPassphrase {
                retry_after: FIRST_DELAY
            })
        );
        // Even the right passphrase is refused until the delay has passed.
        assert!(matches!(
            agent.unlock_at(&kf, b"pass", t0),
            Err(AgentError::TooSoon { .. })
        ));
        assert_eq!(
            agent.unlock_at(&kf, b"nope", t0 + FIRST_DELAY),
            Err(AgentError::WrongPassphrase {
                retry_after: FIRST_DELAY * 2
            })
        );
        assert!(agent.unlock_at(&kf, b"pass", t0 + FIRST_DELAY * 3).is_ok());
        assert_eq!(delay_after(100), MAX_DELAY);
    }

    #[test]
    fn idle_key_locks_itself() {
        let agent = KeyAgent::new(Duration::from_secs(60));
        let (_, kf) = file();
        let t0 = Instant::now();
        agent.unlock_at(&kf, b"pass", t0).unwrap();
        assert!(!agent.expire_idle_at(t0 + Duration::from_secs(59)));
        assert!(agent.status().unlocked);
        assert!(agent.expire_idle_at(t0 + Duration::from_secs(60)));
        assert!(!agent.status().unlocked);
    }
}
