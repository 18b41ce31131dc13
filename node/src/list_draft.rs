//! An organizer's trust list being edited, before it is signed and published:
//! `HOME/list-draft.json` (mode 0600; sealed under the data key once the home has one, see
//! [`crate::at_rest::write_private`]: its labels name people). Its content:
//!
//! ```text
//! {
//!   "format": 1,
//!   "published_version": 3,        the last version published from this home (0: none)
//!   "list": { "name": ..., "version": 4, "entries": [...], "revoked": [...],
//!             "thresholds": [...], "delegates": [...] }     a TrustList, as JSON
//! }
//! ```
//!
//! Every edit checks the whole would-be list (`TrustList::validate`) before the file is
//! replaced, atomically, so a refused edit leaves the draft as it was.

use std::path::{Path, PathBuf};

use aviso_protocol::{
    BodyError, Category, Delegate, PublicKey, Revocation, Threshold, TrustEntry, TrustList,
};
use serde::{Deserialize, Serialize};

use crate::api::wire::TrustReply;
use crate::home::HomeError;
use crate::input::{DurationError, positive_duration};

/// Name of the draft file in the home.
pub const DRAFT_FILE: &str = "list-draft.json";
/// Format version of the draft file.
const DRAFT_FORMAT: u32 = 1;
/// Largest draft file read (a full list is far smaller).
const MAX_DRAFT_BYTES: u64 = 4 * 1024 * 1024;

/// Why an edit is refused, or the draft cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// A revoked key cannot be listed again.
    #[error(
        "{key} is revoked on your list ({reason}): a revoked key cannot be trusted again; its owner needs a new key (`aviso init --force`)"
    )]
    Revoked {
        /// Its fingerprint.
        key: String,
        /// Why it was revoked.
        reason: String,
    },
    /// Removing a key that is revoked, not listed.
    #[error("{0} is revoked, not listed; a revocation stays on the list")]
    RevokedNotListed(String),
    /// Removing a key that is not listed.
    #[error("{0} is not on your draft list; `aviso list show` lists it")]
    NotListed(String),
    /// Revoking the list owner's own key.
    #[error(
        "you cannot revoke your own key on your own list; if it was stolen, ask another root of the community to revoke it"
    )]
    OwnKeyRevoked,
    /// Showing or publishing when no draft was started.
    #[error(
        "no draft list in {}: start one with `aviso list add KEY --role ... --label ...`",
        .0.display()
    )]
    NoDraft(PathBuf),
    /// Delegating to the list owner's own key.
    #[error("you cannot delegate to your own key: your list already counts")]
    OwnKeyDelegate,
    /// Delegating to a revoked key.
    #[error("{0} is revoked on your list; a revoked key cannot be a delegate")]
    RevokedDelegate(String),
    /// The list would break a rule of the protocol.
    #[error("the list would be invalid: {0}")]
    Invalid(#[from] BodyError),
    /// The file cannot be read.
    #[error("cannot read {path}: {source}", path = path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is far larger than a draft.
    #[error("{path} is too large to be a draft list", path = path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
    },
    /// The file does not parse.
    #[error("{path} is damaged ({why}); fix it, or move it away to start a new draft", path = path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// A format this version does not read.
    #[error("{path} has format {format}; this aviso reads format {DRAFT_FORMAT}: upgrade aviso", path = path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// Its format.
        format: u32,
    },
    /// The draft does not encode.
    #[error("cannot encode the draft: {0}")]
    Encode(String),
    /// The file cannot be written.
    #[error(transparent)]
    Write(#[from] HomeError),
    /// The draft is sealed under the home's data key, which this process does not hold,
    /// or it fails authentication.
    #[error(transparent)]
    Sealed(#[from] crate::at_rest::AtRestError),
}

/// The organizer's draft list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// Format version of the file.
    pub format: u32,
    /// The last version published from this home; 0 before the first.
    pub published_version: u64,
    /// The list as it will be published next.
    pub list: TrustList,
}

impl Draft {
    /// An empty draft.
    pub fn new(name: &str) -> Draft {
        Draft {
            format: DRAFT_FORMAT,
            published_version: 0,
            list: TrustList {
                name: name.to_owned(),
                version: 1,
                entries: vec![],
                revoked: vec![],
                thresholds: vec![],
                delegates: vec![],
            },
        }
    }

    /// Add or replace an entry. Returns whether it replaced one.
    pub fn add(&mut self, entry: TrustEntry) -> Result<bool, DraftError> {
        if let Some(r) = self.list.revoked.iter().find(|r| r.key == entry.key) {
            return Err(DraftError::Revoked {
                key: entry.key.fingerprint(),
                reason: r.reason.clone(),
            });
        }
        if let Some(e) = self.list.entries.iter_mut().find(|e| e.key == entry.key) {
            *e = entry;
            return Ok(true);
        }
        self.list.entries.push(entry);
        Ok(false)
    }

    /// Remove a key's entry and delegation.
    pub fn remove(&mut self, key: &PublicKey) -> Result<(), DraftError> {
        let before = self.list.entries.len() + self.list.delegates.len();
        self.list.entries.retain(|e| e.key != *key);
        self.list.delegates.retain(|d| d.key != *key);
        if self.list.entries.len() + self.list.delegates.len() == before {
            if self.list.revoked.iter().any(|r| r.key == *key) {
                return Err(DraftError::RevokedNotListed(key.fingerprint()));
            }
            return Err(DraftError::NotListed(key.fingerprint()));
        }
        Ok(())
    }

    /// Revoke a key (and take it off the list). `owner` is the list owner's own key.
    pub fn revoke(&mut self, owner: &PublicKey, rev: Revocation) -> Result<(), DraftError> {
        if rev.key == *owner {
            return Err(DraftError::OwnKeyRevoked);
        }
        self.list.entries.retain(|e| e.key != rev.key);
        self.list.delegates.retain(|d| d.key != rev.key);
        match self.list.revoked.iter_mut().find(|r| r.key == rev.key) {
            Some(r) => *r = rev,
            None => self.list.revoked.push(rev),
        }
        Ok(())
    }

    /// Set a category's threshold; 1 removes it.
    pub fn threshold(&mut self, category: Category, k: u8) {
        self.list.thresholds.retain(|t| t.category != category);
        if k > 1 {
            self.list.thresholds.push(Threshold { category, k });
        }
    }

    /// Add or replace a delegate. Returns whether it replaced one.
    pub fn delegate(&mut self, owner: &PublicKey, d: Delegate) -> Result<bool, DraftError> {
        if d.key == *owner {
            return Err(DraftError::OwnKeyDelegate);
        }
        if self.list.revoked.iter().any(|r| r.key == d.key) {
            return Err(DraftError::RevokedDelegate(d.key.fingerprint()));
        }
        if let Some(old) = self.list.delegates.iter_mut().find(|x| x.key == d.key) {
            *old = d;
            return Ok(true);
        }
        self.list.delegates.push(d);
        Ok(false)
    }

    /// Check the would-be list.
    pub fn validate(&self) -> Result<(), DraftError> {
        Ok(self.list.validate()?)
    }

    /// Make the draft the list's next version, optionally renamed: after the last one
    /// published from this home and after `known`, the highest version of the owner's list
    /// a node holds (another home with the same key may have published). The version, once
    /// the list is checked.
    pub fn prepare(&mut self, name: Option<&str>, known: u64) -> Result<u64, DraftError> {
        if let Some(n) = name {
            self.list.name = n.trim().to_owned();
        }
        let version = self.published_version.max(known) + 1;
        self.list.version = version;
        self.validate()?;
        Ok(version)
    }

    /// Record that `version` was published: the draft becomes the version after it.
    pub fn published(&mut self, version: u64) {
        self.published_version = version;
        self.list.version = version + 1;
    }
}

/// The highest version of `owner`'s list in the trust view `reply`, if it holds one.
pub fn known_version(reply: &TrustReply, owner: &PublicKey) -> Option<u64> {
    reply
        .lists
        .iter()
        .filter(|l| l.owner == *owner)
        .map(|l| l.version)
        .max()
}

/// `HOME/list-draft.json`.
pub fn draft_path(home: &Path) -> PathBuf {
    home.join(DRAFT_FILE)
}

/// Read the draft, if there is one.
pub fn load(home: &Path) -> Result<Option<Draft>, DraftError> {
    let path = draft_path(home);
    // Sealed under the data key: its labels name people.
    let Some(text) = crate::at_rest::read_private(home, &path, MAX_DRAFT_BYTES + 1)? else {
        return Ok(None);
    };
    if text.len() as u64 > MAX_DRAFT_BYTES {
        return Err(DraftError::TooLarge { path });
    }
    let d: Draft = serde_json::from_slice(&text).map_err(|e| DraftError::Damaged {
        path: path.clone(),
        why: e.to_string(),
    })?;
    if d.format != DRAFT_FORMAT {
        return Err(DraftError::Format {
            path,
            format: d.format,
        });
    }
    Ok(Some(d))
}

/// Read the draft, which must have been started.
pub fn load_started(home: &Path) -> Result<Draft, DraftError> {
    load(home)?.ok_or_else(|| DraftError::NoDraft(home.to_path_buf()))
}

/// Check and write the draft (atomically, mode 0600; nothing is written if it is invalid).
pub fn save(home: &Path, d: &Draft) -> Result<(), DraftError> {
    d.validate()?;
    let mut text =
        serde_json::to_string_pretty(d).map_err(|e| DraftError::Encode(e.to_string()))?;
    text.push('\n');
    let text = zeroize::Zeroizing::new(text);
    Ok(crate::at_rest::write_private(
        home,
        &draft_path(home),
        text.as_bytes(),
    )?)
}

/// When an entry lapses, as given: a unix time or a duration from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// A unix time.
    At(u64),
    /// Seconds from now.
    In(u64),
}

/// Since when a revoked key's signatures are not trusted, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// A unix time (0: everything).
    At(u64),
    /// The time of the edit.
    Now,
}

/// Unix times below this are taken for a forgotten unit (2001-09-09).
const MIN_UNIX: u64 = 1_000_000_000;

/// Why an entry's expiry or a revocation's start is refused. Each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WhenError {
    /// A number too large for a time.
    #[error("{0:?} is too large")]
    TooLarge(String),
    /// A small number: a duration without its unit.
    #[error("{0} has no unit: write a duration like {0}d, or a unix time (seconds since 1970)")]
    NoUnit(String),
    /// Not a duration.
    #[error(transparent)]
    Duration(#[from] DurationError),
    /// Not `now` or a number.
    #[error("{0:?} is not a unix time; give 0, now, or seconds since 1970")]
    NotUnix(String),
    /// A number too small to be a time.
    #[error(
        "{0} is not a plausible unix time; give 0 (everything it ever signed), now, or seconds since 1970"
    )]
    Implausible(String),
    /// An expiry that has passed.
    #[error("--expires {0} is in the past; give a later unix time or a duration like 90d")]
    Past(u64),
    /// An expiry beyond the end of time.
    #[error("--expires is too far in the future")]
    TooFar,
    /// A revocation that starts later.
    #[error(
        "--since {0} is in the future: what the key signs until then would stay trusted; give 0 or now"
    )]
    Future(u64),
}

impl Expiry {
    /// Parse a duration or a unix time.
    pub fn parse(s: &str) -> Result<Expiry, WhenError> {
        let t = s.trim();
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            let n: u64 = t.parse().map_err(|_| WhenError::TooLarge(t.to_owned()))?;
            if n < MIN_UNIX {
                return Err(WhenError::NoUnit(t.to_owned()));
            }
            return Ok(Expiry::At(n));
        }
        Ok(positive_duration(t).map(Expiry::In)?)
    }

    /// The unix time, which must be in the future.
    pub fn resolve(self, now: u64) -> Result<u64, WhenError> {
        match self {
            Expiry::At(t) if t <= now => Err(WhenError::Past(t)),
            Expiry::At(t) => Ok(t),
            Expiry::In(d) => now.checked_add(d).ok_or(WhenError::TooFar),
        }
    }
}

impl Since {
    /// Parse `now`, 0 or a unix time.
    pub fn parse(s: &str) -> Result<Since, WhenError> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("now") {
            return Ok(Since::Now);
        }
        let n: u64 = t.parse().map_err(|_| WhenError::NotUnix(t.to_owned()))?;
        if n != 0 && n < MIN_UNIX {
            return Err(WhenError::Implausible(t.to_owned()));
        }
        Ok(Since::At(n))
    }

    /// The unix time, which must not be in the future.
    pub fn resolve(self, now: u64) -> Result<u64, WhenError> {
        match self {
            Since::Now => Ok(now),
            Since::At(t) if t > now => Err(WhenError::Future(t)),
            Since::At(t) => Ok(t),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use aviso_protocol::{Area, Role};

    fn key(n: u8) -> PublicKey {
        aviso_protocol::fixtures::key(n).public()
    }

    fn entry(n: u8, role: Role) -> TrustEntry {
        TrustEntry {
            key: key(n),
            role,
            label: format!("person {n}"),
            areas: vec![],
            categories: vec![],
            expires_at: None,
        }
    }

    #[test]
    fn publishing_versions() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(
            load_started(tmp.path()),
            Err(DraftError::NoDraft(_))
        ));
        let mut d = Draft::new("Mission");
        d.add(entry(2, Role::Organizer)).unwrap();
        assert_eq!(d.prepare(Some(" Mission RR "), 0).unwrap(), 1);
        assert_eq!(d.list.name, "Mission RR");
        d.published(1);
        assert_eq!((d.published_version, d.list.version), (1, 2));
        // Another home of the same key published version 5.
        assert_eq!(d.prepare(None, 5).unwrap(), 6);
        let reply = TrustReply {
            follow: vec![],
            lists: vec![],
            keys: vec![],
            revoked: vec![],
            thresholds: vec![],
        };
        assert_eq!(known_version(&reply, &key(1)), None);
    }

    #[test]
    fn draft_editing() {
        let me = key(1);
        let mut d = Draft::new("Mission");
        assert!(!d.add(entry(2, Role::Organizer)).unwrap());
        assert!(!d.add(entry(3, Role::Member)).unwrap());
        // Adding again replaces.
        let mut changed = entry(3, Role::Organizer);
        changed.label = "renamed".into();
        assert!(d.add(changed).unwrap());
        assert_eq!(d.list.entries.len(), 2);
        assert_eq!(d.list.entries[1].label, "renamed");
        d.validate().unwrap();

        d.remove(&key(2)).unwrap();
        assert!(d.remove(&key(2)).is_err());

        d.threshold(Category::Raid, 2);
        d.threshold(Category::Raid, 3);
        assert_eq!(
            d.list.thresholds,
            [Threshold {
                category: Category::Raid,
                k: 3
            }]
        );
        d.threshold(Category::Raid, 1);
        assert!(d.list.thresholds.is_empty());

        let del = Delegate {
            key: key(4),
            label: "Eastside".into(),
            areas: vec![Area::parse("9q8").unwrap()],
            categories: vec![],
        };
        assert!(!d.delegate(&me, del.clone()).unwrap());
        assert!(d.delegate(&me, del.clone()).unwrap());
        assert!(d.delegate(&me, Delegate { key: me, ..del }).is_err());

        // Revoking takes the key off the list and off the delegates; it cannot come back.
        let rev = |k: PublicKey| Revocation {
            key: k,
            since: 0,
            reason: "phone stolen".into(),
        };
        d.revoke(&me, rev(key(3))).unwrap();
        d.revoke(&me, rev(key(4))).unwrap();
        assert!(d.list.entries.is_empty());
        assert!(d.list.delegates.is_empty());
        assert_eq!(d.list.revoked.len(), 2);
        d.revoke(&me, rev(key(3))).unwrap();
        assert_eq!(d.list.revoked.len(), 2, "revoking again updates");
        let err = d.add(entry(3, Role::Member)).unwrap_err().to_string();
        assert!(err.contains("revoked"), "{err}");
        assert!(
            d.remove(&key(3))
                .unwrap_err()
                .to_string()
                .contains("revoked")
        );
        assert!(d.revoke(&me, rev(me)).is_err());
        d.validate().unwrap();
    }

    #[test]
    fn invalid_drafts_are_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path();
        let mut d = Draft::new("Mission");
        d.add(entry(2, Role::Organizer)).unwrap();
        save(home, &d).unwrap();
        assert_eq!(load(home).unwrap(), Some(d.clone()));

        let mut bad = d.clone();
        bad.list.entries[0].label = "x".repeat(10_000);
        let err = save(home, &bad).unwrap_err().to_string();
        assert!(err.contains("invalid"), "{err}");
        bad.list.name.clear();
        assert!(save(home, &bad).is_err());
        // The file still holds the last good draft.
        assert_eq!(load(home).unwrap(), Some(d));

        std::fs::write(draft_path(home), "{").unwrap();
        let err = load(home).unwrap_err().to_string();
        assert!(err.contains("damaged"), "{err}");
    }

    #[test]
    fn draft_json_uses_names() {
        let mut d = Draft::new("Mission");
        let mut e = entry(2, Role::Organizer);
        e.categories = vec![Category::Raid];
        e.areas = vec![Area::parse("9q8yy").unwrap()];
        d.add(e).unwrap();
        let text = serde_json::to_string(&d).unwrap();
        assert!(text.contains("\"organizer\""), "{text}");
        assert!(text.contains("\"raid\""), "{text}");
        assert!(text.contains("\"9q8yy\""), "{text}");
        assert!(text.contains(&key(2).to_hex()), "{text}");
    }

    #[test]
    fn expiries_and_since() {
        assert_eq!(Expiry::parse("30d"), Ok(Expiry::In(30 * 86_400)));
        assert_eq!(Expiry::parse("1900000000"), Ok(Expiry::At(1_900_000_000)));
        let e = Expiry::parse("30").unwrap_err().to_string();
        assert!(e.contains("30d"), "{e}");
        let now = 1_800_000_000;
        assert_eq!(Expiry::In(60).resolve(now).unwrap(), now + 60);
        assert!(Expiry::At(now - 1).resolve(now).is_err());
        assert_eq!(Since::parse("0"), Ok(Since::At(0)));
        assert_eq!(Since::parse("NOW"), Ok(Since::Now));
        assert!(Since::parse("5").is_err());
        assert!(Since::parse("yesterday").is_err());
        assert!(Since::At(now + 10).resolve(now).is_err());
        assert_eq!(Since::Now.resolve(now).unwrap(), now);
    }
}
