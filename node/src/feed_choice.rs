//! A member's feed choices in `config.toml` (`[feed]`): whose trust lists to follow, in
//! which areas and languages. The edits are checked and saved here, for the CLI's `aviso
//! trust` and any other client; sending them to a running node (`PUT /v1/settings`) is the
//! client's part. Also what the trust view (`GET /v1/trust`) shows per list, in order.

use std::path::Path;

use aviso_protocol::trust::{ChosenList, Grant};
use aviso_protocol::{Area, FeedSettings, PublicKey};

use crate::api::wire::{TrustKey, TrustReply};
use crate::config::{Config, ConfigError};

/// Why a feed choice was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ChoiceError {
    /// The configuration cannot be read, parsed or written.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `feed.follow` holds something that is not a key.
    #[error(
        "config.toml: feed.follow has {0:?}, which is not a key of 64 hex characters; fix or remove it"
    )]
    BadFollow(String),
    /// Unfollowing a key that is not followed.
    #[error("you do not follow {fingerprint}; `aviso trust show` lists whom you follow", fingerprint = .0.fingerprint())]
    NotFollowed(PublicKey),
    /// Unfollowing the last followed key, which would fall back to the roots.
    #[error(
        "that would leave no list followed, and an empty list means the community's roots; follow another list first"
    )]
    LastList,
}

/// One change to the feed choices.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Choice {
    /// Follow this list owner too.
    Follow(PublicKey),
    /// Stop following this list owner.
    Unfollow(PublicKey),
    /// Replace the areas (empty: everywhere).
    Areas(Vec<Area>),
    /// Replace the languages (checked tags, most preferred first).
    Languages(Vec<String>),
}

/// The feed choices as saved after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The followed list owners.
    pub follow: Vec<PublicKey>,
    /// The areas as written in the config (empty: everywhere).
    pub areas: Vec<String>,
    /// The languages as written in the config.
    pub languages: Vec<String>,
    /// For [`Choice::Follow`]: the key was followed already.
    pub already: bool,
}

/// The followed keys written in the config; the community's roots when none are.
pub fn followed(cfg: &Config) -> Result<Vec<PublicKey>, ChoiceError> {
    if cfg.feed.follow.is_empty() {
        return Ok(cfg.community()?.map(|c| c.roots).unwrap_or_default());
    }
    cfg.feed
        .follow
        .iter()
        .map(|k| PublicKey::from_hex(k).map_err(|_| ChoiceError::BadFollow(k.clone())))
        .collect()
}

impl Choice {
    /// Make this change in the configuration file of the home `dir` and save it.
    pub fn save(&self, dir: &Path) -> Result<Saved, ChoiceError> {
        let (path, mut cfg) = Config::load_home_file(dir)?;
        let already = self.edit(&mut cfg)?;
        cfg.save(&path)?;
        Ok(Saved {
            follow: followed(&cfg)?,
            areas: cfg.feed.areas,
            languages: cfg.feed.languages,
            already,
        })
    }

    /// Make this change in `cfg`; true when following a key already followed.
    fn edit(&self, cfg: &mut Config) -> Result<bool, ChoiceError> {
        let mut already = false;
        match self {
            Choice::Follow(key) => {
                let mut follow = followed(cfg)?;
                already = follow.contains(key);
                if !already {
                    follow.push(*key);
                }
                cfg.feed.follow = follow.iter().map(PublicKey::to_hex).collect();
            }
            Choice::Unfollow(key) => {
                let mut follow = followed(cfg)?;
                if !follow.contains(key) {
                    return Err(ChoiceError::NotFollowed(*key));
                }
                follow.retain(|k| k != key);
                if follow.is_empty() {
                    return Err(ChoiceError::LastList);
                }
                cfg.feed.follow = follow.iter().map(PublicKey::to_hex).collect();
            }
            Choice::Areas(areas) => {
                cfg.feed.areas = areas.iter().map(|a| a.as_str().to_owned()).collect();
            }
            Choice::Languages(langs) => cfg.feed.languages = langs.clone(),
        }
        Ok(already)
    }

    /// Make this change, as `saved`, in a running node's settings `s`: only the part this
    /// choice is about.
    pub fn patch(&self, saved: &Saved, s: &mut FeedSettings) {
        match self {
            Choice::Follow(_) | Choice::Unfollow(_) => s.follow = saved.follow.clone(),
            Choice::Areas(areas) => s.areas = areas.clone(),
            Choice::Languages(langs) => s.languages = langs.clone(),
        }
    }
}

/// One key's grant in a list, as the trust view shows it.
pub type Row<'a> = (&'a TrustKey, &'a Grant);

/// The keys `list` grants, organizers first, then by label.
pub fn list_rows<'a>(t: &'a TrustReply, list: &ChosenList) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = grants(t).filter(|(_, g)| g.owner == list.owner).collect();
    rows.sort_by(|a, b| (a.1.role as u8, &a.1.label).cmp(&(b.1.role as u8, &b.1.label)));
    rows
}

/// Followed or delegated owners whose lists have not arrived: only their own grant.
pub fn pending(t: &TrustReply) -> Vec<Row<'_>> {
    grants(t)
        .filter(|(k, g)| g.owner == k.key && !t.lists.iter().any(|l| l.owner == g.owner))
        .collect()
}

/// Whether a list from the followed `key` has reached the node.
pub fn has_list(t: &TrustReply, key: &PublicKey) -> bool {
    t.lists.iter().any(|l| l.owner == *key)
}

fn grants(t: &TrustReply) -> impl Iterator<Item = Row<'_>> {
    t.keys
        .iter()
        .flat_map(|k| k.grants.iter().map(move |g| (k, g)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn followed_defaults_to_roots() {
        use aviso_protocol::fixtures;
        let mut cfg = Config::default();
        assert!(followed(&cfg).unwrap().is_empty());
        let root = fixtures::key(2);
        let c = fixtures::community(&root, 1, "x");
        cfg.community = Some(c.to_invite());
        assert_eq!(followed(&cfg).unwrap(), [root.public()]);
        cfg.feed.follow = vec![PublicKey([3; 32]).to_hex()];
        assert_eq!(followed(&cfg).unwrap(), [PublicKey([3; 32])]);
        cfg.feed.follow = vec!["nope".into()];
        assert!(followed(&cfg).is_err());
    }

    #[test]
    fn follow_and_unfollow() {
        use aviso_protocol::fixtures;
        let mut cfg = Config::default();
        let root = fixtures::key(2).public();
        cfg.community = Some(fixtures::community(&fixtures::key(2), 1, "x").to_invite());
        let other = PublicKey([3; 32]);
        assert!(!Choice::Follow(other).edit(&mut cfg).unwrap());
        assert!(Choice::Follow(other).edit(&mut cfg).unwrap());
        assert_eq!(followed(&cfg).unwrap(), [root, other]);
        assert!(matches!(
            Choice::Unfollow(PublicKey([4; 32])).edit(&mut cfg),
            Err(ChoiceError::NotFollowed(_))
        ));
        Choice::Unfollow(root).edit(&mut cfg).unwrap();
        assert_eq!(followed(&cfg).unwrap(), [other]);
        assert!(matches!(
            Choice::Unfollow(other).edit(&mut cfg),
            Err(ChoiceError::LastList)
        ));
        assert_eq!(followed(&cfg).unwrap(), [other]);
    }
}
