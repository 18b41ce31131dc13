//! Node configuration: built-in defaults (the embedded `default-config.toml`), overlaid by
//! `config.toml` in the data directory, overlaid by `AVISO_*` environment variables. The
//! CLI applies its flags last, then calls [`Config::validate`]. The member's private
//! settings (community, bootstrap peers, `[feed]`) are kept sealed beside it
//! (`private`), not in `config.toml`.

mod private;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use aviso_protocol::lang::validate_lang;
use aviso_protocol::{Area, Community, FeedSettings, PublicKey};
use libp2p::Multiaddr;
use libp2p::multiaddr::Protocol;
use serde::{Deserialize, Serialize};

/// The documented default configuration, as written by `aviso init`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("default-config.toml");

/// Largest configuration file read: far above any real one, small enough to never matter.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Why the configuration is unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read the configuration {path}: {source}", path = path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this configuration.
    #[error("configuration {path} is invalid: {message}", path = path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the TOML parser said (with line and column).
        message: String,
    },
    /// An environment variable has an unusable value.
    #[error("environment variable {var}={value:?} is invalid: {why}")]
    Env {
        /// The variable.
        var: &'static str,
        /// Its value (truncated).
        value: String,
        /// What to do.
        why: String,
    },
    /// A setting has an unusable value, wherever it came from.
    #[error(
        "setting `{field}` = {value:?} is invalid: {why} (set it in config.toml, the AVISO_* \
         environment or a flag)"
    )]
    Invalid {
        /// The setting, e.g. `feed.areas`.
        field: &'static str,
        /// The offending value (truncated).
        value: String,
        /// What is wrong and what to do.
        why: String,
    },
    /// The data directory does not exist.
    #[error(
        "there is no aviso home at {dir}: run `aviso init` first (or pass the right --home)",
        dir = dir.display()
    )]
    NoHome {
        /// The data directory.
        dir: PathBuf,
    },
    /// The member's private settings cannot be read or written (sealed in a home this
    /// process has not unlocked, damaged).
    #[error("the member's settings {path}: {source}", path = path.display())]
    Private {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: crate::at_rest::AtRestError,
    },
    /// The file cannot be written.
    #[error("cannot write the configuration {path}: {why}", path = path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
}

/// The node's configuration. Missing fields take their defaults; unknown fields are an
/// error, so a typo is not silently ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// libp2p listen addresses.
    pub listen: Vec<String>,
    /// Address of the local HTTP API.
    pub api_listen: String,
    /// Allow `api_listen` on an address that is not loopback. Off: the API hands all that
    /// the node knows (and publishing) to whoever holds the token, and the token is meant
    /// for this machine only; the web app's LAN mode has its own authenticated path.
    pub api_allow_remote: bool,
    /// Discover peers on the LAN with mDNS. Off by default: it announces the node to
    /// everyone on the LAN.
    pub mdns: bool,
    /// Send own envelopes along a Dandelion++ stem before gossiping them
    /// (`net::stem`). Off: neighbours can tell they come from this node's address.
    pub stem: bool,
    /// Peers to connect to first (multiaddrs with `/p2p/`), besides the invite's.
    pub bootstrap: Vec<String>,
    /// The invite code (`AVISO2:...`) of the community this node serves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// Seconds between catch-up syncs with a random peer.
    pub sync_interval_secs: u64,
    /// Seconds between garbage collections of expired envelopes.
    pub gc_interval_secs: u64,
    /// Most peers connected at once.
    pub max_peers: u32,
    /// Seconds an unlocked signing key stays unlocked in the node's key agent without
    /// being used (the web app and `aviso unlock`).
    pub key_agent_idle_secs: u64,
    /// What the member sees.
    pub feed: FeedConfig,
    /// Reachability between homes: relay, port mapping, overlay size.
    pub reach: ReachSettings,
    /// The web app's LAN listener for phones.
    pub web: WebSettings,
}

/// The web app's LAN listener (the `[web]` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebSettings {
    /// Serve the web app over HTTPS on the LAN, to paired devices only.
    pub lan: bool,
    /// Where the LAN listener binds.
    pub lan_listen: String,
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            lan: false,
            lan_listen: "0.0.0.0:7448".into(),
        }
    }
}

/// Reachability settings (the `[reach]` table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReachSettings {
    /// Serve relayed circuits and rendezvous for the community (a reachable machine).
    pub relay: bool,
    /// Ask the home router for a port mapping (UPnP).
    pub upnp: bool,
    /// Count private and documentation address ranges as usable external addresses
    /// (test networks, community networks on private address space).
    pub private_addresses: bool,
    /// Connections the node keeps (at most `max_peers`); it prunes the rest.
    pub target_peers: u32,
    /// Seconds between asking rendezvous points for the community's members.
    pub discovery_interval_secs: u64,
}

impl Default for ReachSettings {
    fn default() -> Self {
        ReachSettings {
            relay: false,
            upnp: true,
            private_addresses: false,
            target_peers: 12,
            discovery_interval_secs: 60,
        }
    }
}

/// The member's feed choices, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedConfig {
    /// Hex keys of the list owners followed; empty means the community's roots.
    pub follow: Vec<String>,
    /// Geohash cells of interest; empty means everywhere.
    pub areas: Vec<String>,
    /// BCP 47 language tags, most preferred first.
    pub languages: Vec<String>,
}

// These must match `default-config.toml`; a test checks that they do. They cannot be
// parsed from it here, because serde calls `Default` while parsing.
impl Default for Config {
    fn default() -> Self {
        Config {
            listen: vec![
                "/ip4/0.0.0.0/tcp/7446".into(),
                "/ip4/0.0.0.0/udp/7446/quic-v1".into(),
            ],
            api_listen: "127.0.0.1:7447".into(),
            api_allow_remote: false,
            mdns: false,
            stem: true,
            bootstrap: vec![],
            community: None,
            sync_interval_secs: 300,
            gc_interval_secs: 600,
            max_peers: 64,
            key_agent_idle_secs: 900,
            feed: FeedConfig::default(),
            reach: ReachSettings::default(),
            web: WebSettings::default(),
        }
    }
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            follow: vec![],
            areas: vec![],
            languages: vec!["en".into()],
        }
    }
}

impl Config {
    /// The built-in defaults: the embedded `default-config.toml`.
    pub fn defaults() -> Result<Config, ConfigError> {
        Self::parse(
            DEFAULT_CONFIG_TOML,
            Path::new("<built-in default-config.toml>"),
        )
    }

    /// Defaults, overlaid by the member's private settings beside `path`, overlaid by the
    /// file at `path` if it exists, overlaid by the `AVISO_*` environment. Private
    /// settings found in the file are moved to the sealed file when this process has
    /// unlocked the home. Does not validate: apply flags, then call [`Config::validate`].
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Self::load_with(path, |var| std::env::var(var).ok())
    }

    /// [`Config::load`] with an injectable environment lookup.
    pub fn load_with(
        path: &Path,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mut config = Self::load_split(path)?;
        config.apply_env(env)?;
        Ok(config)
    }

    /// The file at `path` over the private settings beside it (see [`Config::load`]).
    fn load_split(path: &Path) -> Result<Config, ConfigError> {
        let (home, settings) = private::paths(path);
        let parse_err = |path: &Path, e: &dyn std::fmt::Display| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let text = read_bounded(path)?;
        let mut file = toml::Table::new();
        if let Some(text) = &text {
            // Its own errors, with line and column.
            Self::parse(text, path)?;
            file = toml::from_str(text).map_err(|e| parse_err(path, &e))?;
        }
        let mut merged = private::read(&home, &settings)?.unwrap_or_default();
        Self::parse(
            &toml::to_string(&merged).map_err(|e| parse_err(&settings, &e))?,
            &settings,
        )?;
        private::overlay(&mut merged, file.clone());
        let config = Self::parse(
            &toml::to_string(&merged).map_err(|e| parse_err(path, &e))?,
            path,
        )?;
        if let Some(text) = &text {
            private::migrate(path, text, &file, &merged)?;
        }
        Ok(config)
    }

    /// Parse TOML text; fields it does not set keep their defaults.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Overlay the `AVISO_LISTEN`, `AVISO_API_LISTEN`, `AVISO_API_ALLOW_REMOTE`,
    /// `AVISO_MDNS`, `AVISO_BOOTSTRAP` and `AVISO_COMMUNITY` variables found by `env`.
    pub fn apply_env(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = env("AVISO_LISTEN") {
            self.listen = split_list(&v);
        }
        if let Some(v) = env("AVISO_API_ALLOW_REMOTE") {
            self.api_allow_remote = parse_bool(&v).ok_or_else(|| ConfigError::Env {
                var: "AVISO_API_ALLOW_REMOTE",
                value: truncate(&v),
                why: "use true, false, 1 or 0".into(),
            })?;
        }
        if let Some(v) = env("AVISO_API_LISTEN") {
            self.api_listen = v.trim().to_owned();
        }
        if let Some(v) = env("AVISO_MDNS") {
            self.mdns = parse_bool(&v).ok_or_else(|| ConfigError::Env {
                var: "AVISO_MDNS",
                value: truncate(&v),
                why: "use true, false, 1 or 0".into(),
            })?;
        }
        if let Some(v) = env("AVISO_BOOTSTRAP") {
            self.bootstrap = split_list(&v);
        }
        for (var, field) in [
            ("AVISO_RELAY", &mut self.reach.relay),
            ("AVISO_UPNP", &mut self.reach.upnp),
            ("AVISO_PRIVATE_ADDRESSES", &mut self.reach.private_addresses),
            ("AVISO_WEB_LAN", &mut self.web.lan),
            ("AVISO_STEM", &mut self.stem),
        ] {
            if let Some(v) = env(var) {
                *field = parse_bool(&v).ok_or_else(|| ConfigError::Env {
                    var,
                    value: truncate(&v),
                    why: "use true, false, 1 or 0".into(),
                })?;
            }
        }
        if let Some(v) = env("AVISO_WEB_LAN_LISTEN") {
            self.web.lan_listen = v.trim().to_owned();
        }
        if let Some(v) = env("AVISO_COMMUNITY") {
            let v = v.trim();
            self.community = (!v.is_empty()).then(|| v.to_owned());
        }
        Ok(())
    }

    /// Check every setting, naming the first bad one and what to do about it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.listen_addrs()?;
        let api = self.api_addr()?;
        if !api.ip().is_loopback() && !self.api_allow_remote {
            return Err(invalid(
                "api_listen",
                &self.api_listen,
                "the local API must listen on a loopback address (127.0.0.1 or [::1]):                  whoever reaches it with the token can read everything and publish; to                  serve it elsewhere on purpose (behind your own firewall and TLS), set                  api_allow_remote = true",
            ));
        }
        self.bootstrap_addrs()?;
        self.lan_addr()?;
        self.community()?;
        self.follow_keys()?;
        self.areas()?;
        for lang in &self.feed.languages {
            validate_lang(lang).map_err(|e| invalid("feed.languages", lang, e))?;
        }
        for (field, value) in [
            ("sync_interval_secs", self.sync_interval_secs),
            ("gc_interval_secs", self.gc_interval_secs),
            ("max_peers", u64::from(self.max_peers)),
            ("reach.target_peers", u64::from(self.reach.target_peers)),
            (
                "reach.discovery_interval_secs",
                self.reach.discovery_interval_secs,
            ),
            ("key_agent_idle_secs", self.key_agent_idle_secs),
        ] {
            if value == 0 {
                return Err(invalid(field, "0", "must be at least 1"));
            }
        }
        Ok(())
    }

    /// The listen addresses, parsed.
    pub fn listen_addrs(&self) -> Result<Vec<Multiaddr>, ConfigError> {
        self.listen
            .iter()
            .map(|a| parse_multiaddr("listen", a, "/ip4/0.0.0.0/tcp/7446"))
            .collect()
    }

    /// The bootstrap addresses, parsed; each must name its peer with `/p2p/`.
    pub fn bootstrap_addrs(&self) -> Result<Vec<Multiaddr>, ConfigError> {
        self.bootstrap
            .iter()
            .map(|a| {
                let addr =
                    parse_multiaddr("bootstrap", a, "/ip4/192.0.2.7/tcp/7446/p2p/12D3KooW...")?;
                if !addr.iter().any(|p| matches!(p, Protocol::P2p(_))) {
                    return Err(invalid(
                        "bootstrap",
                        a,
                        "add the peer id: the address must end in /p2p/<peer id> (ask its \
                         operator for `aviso status`)",
                    ));
                }
                Ok(addr)
            })
            .collect()
    }

    /// The API address, parsed.
    pub fn api_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.api_listen.parse().map_err(|_| {
            invalid(
                "api_listen",
                &self.api_listen,
                "expected an IP address and port, e.g. 127.0.0.1:7447",
            )
        })
    }

    /// The LAN listener's address, parsed.
    pub fn lan_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.web.lan_listen.parse().map_err(|_| {
            invalid(
                "web.lan_listen",
                &self.web.lan_listen,
                "expected an IP address and port, e.g. 0.0.0.0:7448",
            )
        })
    }

    /// The community named by the invite code, if any.
    pub fn community(&self) -> Result<Option<Community>, ConfigError> {
        self.community
            .as_deref()
            .map(|code| Community::from_invite(code).map_err(|e| invalid("community", code, e)))
            .transpose()
    }

    /// The followed list owners as written (empty means the community's roots).
    fn follow_keys(&self) -> Result<Vec<PublicKey>, ConfigError> {
        self.feed
            .follow
            .iter()
            .map(|k| {
                PublicKey::from_hex(k).map_err(|_| {
                    invalid(
                        "feed.follow",
                        k,
                        "expected a key of 64 hex characters (see `aviso id --json`)",
                    )
                })
            })
            .collect()
    }

    /// The areas of interest, parsed.
    fn areas(&self) -> Result<Vec<Area>, ConfigError> {
        self.feed
            .areas
            .iter()
            .map(|a| Area::parse(a).map_err(|e| invalid("feed.areas", a, e)))
            .collect()
    }

    /// What the member sees in `community`: the followed keys (the community's roots when
    /// none are set), areas and languages. Entries that do not parse are left out; call
    /// [`Config::validate`] first to report them.
    pub fn feed_settings(&self, community: &Community) -> FeedSettings {
        let mut follow: Vec<PublicKey> = if self.feed.follow.is_empty() {
            community.roots.clone()
        } else {
            self.feed
                .follow
                .iter()
                .filter_map(|k| PublicKey::from_hex(k).ok())
                .collect()
        };
        dedup(&mut follow);
        let mut areas: Vec<Area> = self
            .feed
            .areas
            .iter()
            .filter_map(|a| Area::parse(a).ok())
            .collect();
        dedup(&mut areas);
        let mut languages: Vec<String> = self
            .feed
            .languages
            .iter()
            .filter(|l| validate_lang(l).is_ok())
            .cloned()
            .collect();
        dedup(&mut languages);
        FeedSettings {
            follow,
            areas,
            languages,
        }
    }

    /// The configuration file as written, without the `AVISO_*` environment (so that
    /// saving it back does not write the environment into the file).
    pub fn load_file(path: &Path) -> Result<Config, ConfigError> {
        Self::load_with(path, |_| None)
    }

    /// The configuration file of the home `dir` as written (see [`Config::load_file`]),
    /// and its path, to change settings and [`Config::save`] them back.
    pub fn load_home_file(dir: &Path) -> Result<(PathBuf, Config), ConfigError> {
        if !dir.is_dir() {
            return Err(ConfigError::NoHome {
                dir: dir.to_path_buf(),
            });
        }
        let path = crate::home::HomePaths::new(dir).config_path();
        let config = Self::load_file(&path)?;
        Ok((path, config))
    }

    /// Write this configuration: the member's private settings to the sealed file beside
    /// `path` (first, and only when they changed), the rest to `path`, atomically (mode
    /// 0600). An existing file keeps its comments and layout: only the settings that
    /// differ from what it says are rewritten, added or removed, and private settings
    /// written in it by hand are taken out.
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let (home, settings) = private::paths(path);
        let mut all: toml::Table = toml::to_string(self)
            .and_then(|t| toml::from_str(&t).map_err(serde::ser::Error::custom))
            .map_err(|e| ConfigError::Write {
                path: settings.clone(),
                why: e.to_string(),
            })?;
        let new_private = private::split_off(&mut all);
        if private::read(&home, &settings)?.as_ref() != Some(&new_private) {
            private::write(&home, &settings, &new_private)?;
        }
        self.write_file(path, true)
    }

    /// The operational settings of the home `dir` as its `config.toml` alone says,
    /// readable while the home is locked, and the file's path: change them and
    /// [`Config::save_operational`] them back. Its private settings are only those
    /// written in that file by hand (usually none): do not use them.
    pub fn load_home_operational(dir: &Path) -> Result<(PathBuf, Config), ConfigError> {
        if !dir.is_dir() {
            return Err(ConfigError::NoHome {
                dir: dir.to_path_buf(),
            });
        }
        let path = crate::home::HomePaths::new(dir).config_path();
        let config = match read_bounded(&path)? {
            Some(text) => Self::parse(&text, &path)?,
            None => Config::default(),
        };
        Ok((path, config))
    }

    /// Write back to `path` a configuration from [`Config::load_home_operational`], the
    /// member's private settings left alone.
    pub fn save_operational(&self, path: &Path) -> Result<(), ConfigError> {
        self.write_file(path, false)
    }

    /// Write `config.toml` (see [`Config::save`]), without the private settings when
    /// `strip_private` (they are saved elsewhere).
    fn write_file(&self, path: &Path, strip_private: bool) -> Result<(), ConfigError> {
        let write_err = |why: String| ConfigError::Write {
            path: path.to_path_buf(),
            why,
        };
        let strip = |doc: &mut toml_edit::Table| {
            if strip_private {
                for k in private::PRIVATE_KEYS {
                    doc.remove(k);
                }
            }
        };
        let toml_doc = |c: &Config| -> Result<toml_edit::DocumentMut, ConfigError> {
            let text = toml::to_string_pretty(c).map_err(|e| write_err(e.to_string()))?;
            let mut doc: toml_edit::DocumentMut = text
                .parse()
                .map_err(|e: toml_edit::TomlError| write_err(e.to_string()))?;
            strip(doc.as_table_mut());
            Ok(doc)
        };
        let new = toml_doc(self)?;
        let text = match read_bounded(path)? {
            None => new.to_string(),
            Some(text) => {
                let mut doc: toml_edit::DocumentMut =
                    text.parse().map_err(|e| ConfigError::Parse {
                        path: path.to_path_buf(),
                        message: format!("{e}"),
                    })?;
                let old = toml_doc(&Self::parse(&text, path)?)?;
                merge_changes(doc.as_table_mut(), old.as_table(), new.as_table());
                strip(doc.as_table_mut());
                doc.to_string()
            }
        };
        crate::home::write_atomic(path, text.as_bytes()).map_err(|e| write_err(e.to_string()))
    }
}

/// Apply to `doc` (a file as people wrote it) what changed from `old` to `new` (both as
/// serialized from a [`Config`]): changed values are replaced in place with the
/// decoration (comments) around them kept, new ones added, dropped ones removed.
fn merge_changes(doc: &mut toml_edit::Table, old: &toml_edit::Table, new: &toml_edit::Table) {
    use toml_edit::Item;
    let gone: Vec<String> = old
        .iter()
        .filter(|(k, _)| !new.contains_key(k))
        .map(|(k, _)| k.to_owned())
        .collect();
    for k in gone {
        doc.remove(&k);
    }
    for (k, n) in new.iter() {
        let o = old.get(k);
        if let Item::Table(nt) = n {
            let empty = toml_edit::Table::new();
            let ot = o.and_then(Item::as_table).unwrap_or(&empty);
            if !doc.contains_key(k) {
                doc.insert(k, Item::Table(toml_edit::Table::new()));
            }
            if let Some(dt) = doc.get_mut(k).and_then(Item::as_table_mut) {
                merge_changes(dt, ot, nt);
            }
            continue;
        }
        // Unchanged: left as written, or left out if the file leaves it to the default.
        if o.is_some_and(|o| o.to_string().trim() == n.to_string().trim()) {
            continue;
        }
        match doc.get_mut(k) {
            Some(Item::Value(v)) => {
                let decor = v.decor().clone();
                if let Some(nv) = n.as_value() {
                    *v = nv.clone();
                    *v.decor_mut() = decor;
                }
            }
            _ => {
                doc.insert(k, n.clone());
            }
        }
    }
}

/// Read a file that may be missing, refusing absurd sizes.
fn read_bounded(path: &Path) -> Result<Option<String>, ConfigError> {
    use std::io::Read;
    let read_err = |source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_err(e)),
    };
    let mut text = String::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(read_err)?;
    if text.len() as u64 > MAX_CONFIG_BYTES {
        return Err(ConfigError::Parse {
            path: path.to_path_buf(),
            message: format!("larger than {MAX_CONFIG_BYTES} bytes"),
        });
    }
    Ok(Some(text))
}

fn parse_multiaddr(
    field: &'static str,
    text: &str,
    example: &str,
) -> Result<Multiaddr, ConfigError> {
    text.parse().map_err(|e| {
        invalid(
            field,
            text,
            format!("not a multiaddr ({e}); write it like {example}"),
        )
    })
}

fn invalid(field: &'static str, value: &str, why: impl ToString) -> ConfigError {
    ConfigError::Invalid {
        field,
        value: truncate(value),
        why: why.to_string(),
    }
}

/// Values are echoed in errors; keep a pasted essay out of the terminal.
fn truncate(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Remove later duplicates, keeping the order (the order of languages is a preference).
fn dedup<T: PartialEq>(items: &mut Vec<T>) {
    let mut i = 0;
    while i < items.len() {
        if items[..i].contains(&items[i]) {
            items.remove(i);
        } else {
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    fn community() -> Community {
        let root = aviso_protocol::fixtures::key(3);
        Community::new(
            &root,
            [9; aviso_protocol::community::SALT_LEN],
            "Mission rapid response",
            vec![root.public(), aviso_protocol::fixtures::key(4).public()],
            vec![],
        )
        .unwrap()
    }

    fn field_of(err: ConfigError) -> &'static str {
        match err {
            ConfigError::Invalid { field, .. } => field,
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn embedded_defaults_parse_and_match_default() {
        let parsed = Config::defaults().unwrap();
        assert_eq!(parsed, Config::default());
        parsed.validate().unwrap();
        assert_eq!(parsed.api_listen, "127.0.0.1:7447");
        assert_eq!(parsed.listen.len(), 2);
        assert_eq!(parsed.feed.languages, ["en"]);
        // Quiet on the LAN unless asked: mDNS announces the node to everyone there.
        assert!(!parsed.mdns);
        assert_eq!(parsed.community().unwrap(), None);
    }

    #[test]
    fn missing_file_gives_defaults() {
        let tmp = tempfile::tempdir().unwrap();
        let c = Config::load_with(&tmp.path().join("config.toml"), no_env).unwrap();
        assert_eq!(c, Config::default());
    }

    #[test]
    fn file_overrides_defaults_field_by_field() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        std::fs::write(
            &path,
            "mdns = false\nmax_peers = 8\n[feed]\nareas = [\"9q8yy\"]\n",
        )
        .unwrap();
        let c = Config::load_with(&path, no_env).unwrap();
        assert!(!c.mdns);
        assert_eq!(c.max_peers, 8);
        assert_eq!(c.feed.areas, ["9q8yy"]);
        // Untouched fields keep their defaults, also inside [feed].
        assert_eq!(c.feed.languages, ["en"]);
        assert_eq!(c.api_listen, "127.0.0.1:7447");
        c.validate().unwrap();
    }

    #[test]
    fn unknown_fields_and_bad_toml_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        std::fs::write(&path, "mdsn = false\n").unwrap();
        let err = Config::load_with(&path, no_env).unwrap_err();
        assert!(matches!(err, ConfigError::Parse { .. }), "{err:?}");
        assert!(err.to_string().contains("mdsn"), "{err}");
        std::fs::write(&path, "[feed]\nlanguage = [\"es\"]\n").unwrap();
        assert!(Config::load_with(&path, no_env).is_err());
        std::fs::write(&path, "max_peers = \"many\"\n").unwrap();
        assert!(Config::load_with(&path, no_env).is_err());
    }

    #[test]
    fn env_overrides_file() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        std::fs::write(&path, "api_listen = \"127.0.0.1:9000\"\nmdns = true\n").unwrap();
        let code = community().to_invite();
        let vars = [
            (
                "AVISO_LISTEN",
                "/ip4/127.0.0.1/tcp/0, /ip4/127.0.0.1/udp/0/quic-v1",
            ),
            ("AVISO_API_LISTEN", "127.0.0.1:0"),
            ("AVISO_MDNS", "0"),
            (
                "AVISO_BOOTSTRAP",
                "/ip4/127.0.0.1/tcp/1/p2p/12D3KooWGzh5BfYTDcY3eXKaRXyzwKfHf1aUNeXHdKWZJqfgZYHn",
            ),
            ("AVISO_COMMUNITY", code.as_str()),
        ];
        let c = Config::load_with(&path, env(&vars)).unwrap();
        assert_eq!(
            c.listen,
            ["/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"]
        );
        assert_eq!(c.api_listen, "127.0.0.1:0");
        assert!(!c.mdns);
        assert_eq!(c.bootstrap.len(), 1);
        c.validate().unwrap();
        assert_eq!(c.community().unwrap(), Some(community()));

        let err = Config::load_with(&path, env(&[("AVISO_MDNS", "maybe")])).unwrap_err();
        assert!(
            matches!(
                err,
                ConfigError::Env {
                    var: "AVISO_MDNS",
                    ..
                }
            ),
            "{err:?}"
        );
        // An empty list variable clears the list; an empty community unsets it.
        let c = Config::load_with(
            &path,
            env(&[("AVISO_BOOTSTRAP", ""), ("AVISO_COMMUNITY", " ")]),
        )
        .unwrap();
        assert!(c.bootstrap.is_empty());
        assert_eq!(c.community, None);
    }

    #[test]
    fn a_remote_api_needs_the_explicit_setting() {
        let mut c = Config {
            api_listen: "192.0.2.7:7447".into(),
            ..Config::default()
        };
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("loopback") && e.contains("api_allow_remote"),
            "{e}"
        );
        c.api_allow_remote = true;
        c.validate().unwrap();
        c.api_listen = "[::1]:7447".into();
        c.api_allow_remote = false;
        c.validate().unwrap();
    }

    #[test]
    fn bad_values_name_their_field() {
        let base = Config::default();
        type Change = Box<dyn Fn(&mut Config)>;
        let cases: Vec<(&str, Change)> = vec![
            (
                "listen",
                Box::new(|c| c.listen = vec!["0.0.0.0:7446".into()]),
            ),
            (
                "api_listen",
                Box::new(|c| c.api_listen = "localhost".into()),
            ),
            // Regression (issue 17): a non-loopback API address needs api_allow_remote.
            (
                "api_listen",
                Box::new(|c| c.api_listen = "0.0.0.0:7447".into()),
            ),
            (
                "bootstrap",
                Box::new(|c| c.bootstrap = vec!["/ip4/1.2.3.4/tcp/7446".into()]),
            ),
            (
                "bootstrap",
                Box::new(|c| c.bootstrap = vec!["nonsense".into()]),
            ),
            (
                "community",
                Box::new(|c| c.community = Some("AVISO1:XYZ".into())),
            ),
            (
                "feed.follow",
                Box::new(|c| c.feed.follow = vec!["abcd".into()]),
            ),
            (
                "feed.areas",
                Box::new(|c| c.feed.areas = vec!["9q8yyzzz".into()]),
            ),
            (
                "feed.areas",
                Box::new(|c| c.feed.areas = vec!["aaaaa".into()]),
            ),
            (
                "feed.languages",
                Box::new(|c| c.feed.languages = vec!["en_US".into()]),
            ),
            ("sync_interval_secs", Box::new(|c| c.sync_interval_secs = 0)),
            ("gc_interval_secs", Box::new(|c| c.gc_interval_secs = 0)),
            ("max_peers", Box::new(|c| c.max_peers = 0)),
        ];
        for (field, change) in cases {
            let mut c = base.clone();
            change(&mut c);
            let err = c.validate().unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains(field), "{msg}");
            assert_eq!(field_of(err), field);
        }
    }

    #[test]
    fn feed_settings_default_to_the_roots() {
        let mut c = Config::default();
        let s = c.feed_settings(&community());
        assert_eq!(s.follow, community().roots);
        assert!(s.areas.is_empty());
        assert_eq!(s.languages, ["en"]);

        c.feed.follow = vec![PublicKey([7; 32]).to_hex(), PublicKey([7; 32]).to_hex()];
        c.feed.areas = vec!["9Q8YY".into()];
        c.feed.languages = vec!["es".into(), "en".into(), "es".into()];
        let s = c.feed_settings(&community());
        assert_eq!(s.follow, [PublicKey([7; 32])]);
        assert_eq!(s.areas, [Area::parse("9q8yy").unwrap()]);
        assert_eq!(s.languages, ["es", "en"]);
    }

    #[test]
    fn saving_keeps_comments() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        std::fs::write(&path, DEFAULT_CONFIG_TOML).unwrap();
        let mut c = Config::load_file(&path).unwrap();
        c.feed.areas = vec!["9q8yy".into()];
        c.mdns = true;
        c.community = Some(community().to_invite());
        c.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        // Every comment line of the original is still there.
        for line in DEFAULT_CONFIG_TOML
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
        {
            assert!(text.contains(line), "lost {line:?} in\n{text}");
        }
        assert_eq!(Config::load_file(&path).unwrap(), c);
        // A hand-written file with a comment beside a value keeps it too.
        std::fs::write(
            &path,
            "mdns = true # on the LAN\n\n[reach]\n# mine\ntarget_peers = 12\n",
        )
        .unwrap();
        let mut c = Config::load_file(&path).unwrap();
        c.mdns = false;
        c.reach.target_peers = 9;
        c.feed.areas = vec!["9q8".into()];
        c.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("mdns = false # on the LAN"), "{text}");
        assert!(text.contains("# mine\ntarget_peers = 9"), "{text}");
        // The member's areas are not in config.toml but in the private settings.
        assert!(!text.contains("9q8") && !text.contains("feed"), "{text}");
        let private = std::fs::read_to_string(tmp.path().join("private-settings.toml")).unwrap();
        assert!(private.contains("9q8"), "{private}");
        assert!(
            !text.contains("listen"),
            "unchanged defaults are not written: {text}"
        );
        assert_eq!(Config::load_file(&path).unwrap(), c);
    }

    /// A home's config.toml written by hand (or by an older version) with the member's
    /// private settings in it.
    fn config_with_private(code: &str) -> String {
        format!(
            "community = \"{code}\"\nbootstrap = [\"{BOOT}\"]\n{DEFAULT_CONFIG_TOML}\n\
             [feed]\n# mine\nfollow = [\"{}\"]\nareas = [\"9q8yy\"]\nlanguages = [\"ht\"]\n",
            PublicKey([7; 32]).to_hex()
        )
    }

    const BOOT: &str =
        "/ip4/198.51.100.9/tcp/7446/p2p/12D3KooWGzh5BfYTDcY3eXKaRXyzwKfHf1aUNeXHdKWZJqfgZYHn";

    fn private_strings(code: &str) -> [String; 5] {
        [
            code.to_owned(),
            "198.51.100.9".into(),
            PublicKey([7; 32]).to_hex(),
            "9q8yy".into(),
            "\"ht\"".into(),
        ]
    }

    #[test]
    fn private_settings_move_to_the_sealed_file_at_the_first_unlocked_load() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path();
        let path = home.join("config.toml");
        let code = community().to_invite();
        std::fs::write(&path, config_with_private(&code)).unwrap();
        // No data key yet: read as written, left in place.
        let before = Config::load_file(&path).unwrap();
        assert_eq!(before.community.as_deref(), Some(code.as_str()));
        assert_eq!(before.feed.areas, ["9q8yy"]);
        assert_eq!(before.bootstrap, [BOOT]);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            config_with_private(&code)
        );

        let pass = crate::at_rest::Secret::Passphrase(zeroize::Zeroizing::new(b"p".to_vec()));
        crate::at_rest::create(home, std::slice::from_ref(&pass)).unwrap();
        // Unlocked: the same configuration, the private part moved and sealed.
        assert_eq!(Config::load_file(&path).unwrap(), before);
        let text = std::fs::read_to_string(&path).unwrap();
        let sealed = std::fs::read(home.join("private-settings.toml")).unwrap();
        for s in private_strings(&code) {
            assert!(!text.contains(&s), "{s} left in config.toml:\n{text}");
            assert!(
                !sealed.windows(s.len()).any(|w| w == s.as_bytes()),
                "{s} in clear in the private settings"
            );
        }
        for line in DEFAULT_CONFIG_TOML
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
        {
            assert!(text.contains(line), "lost {line:?} in\n{text}");
        }
        assert_eq!(Config::load_file(&path).unwrap(), before);

        // Saving writes private settings to the sealed file only.
        let mut c = before.clone();
        c.feed.areas = vec!["dr5ru".into()];
        c.mdns = true;
        c.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("mdns = true") && !text.contains("dr5ru"),
            "{text}"
        );
        assert_eq!(Config::load_file(&path).unwrap(), c);

        // A value written in config.toml by hand wins, and is moved in turn.
        std::fs::write(&path, format!("{text}\n[feed]\nlanguages = [\"fr\"]\n")).unwrap();
        let hand = Config::load_file(&path).unwrap();
        assert_eq!(hand.feed.languages, ["fr"]);
        assert_eq!(hand.feed.areas, ["dr5ru"]);
        assert!(!std::fs::read_to_string(&path).unwrap().contains("\"fr\""));
        assert_eq!(Config::load_file(&path).unwrap(), hand);

        // The same home where this process has not unlocked it: the private settings
        // are refused with what to do; the operational ones can still be changed.
        let copy = tempfile::tempdir().unwrap();
        for entry in std::fs::read_dir(home).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
            }
        }
        let copy_path = copy.path().join("config.toml");
        let err = Config::load_file(&copy_path).unwrap_err();
        assert!(matches!(err, ConfigError::Private { .. }), "{err:?}");
        assert!(err.to_string().contains("AVISO_KEY_FILE"), "{err}");
        let (p, mut ops) = Config::load_home_operational(copy.path()).unwrap();
        ops.web.lan = true;
        ops.save_operational(&p).unwrap();
        crate::at_rest::unlock(copy.path(), &[pass]).unwrap();
        let after = Config::load_file(&copy_path).unwrap();
        assert!(after.web.lan);
        assert_eq!(after.feed, hand.feed);
        assert_eq!(after.community, hand.community);
    }

    #[test]
    fn overlay_merges_tables_key_by_key() {
        let mut base: toml::Table =
            toml::from_str("community = \"a\"\n[feed]\nareas = [\"9q8\"]\nlanguages = [\"es\"]\n")
                .unwrap();
        let top: toml::Table =
            toml::from_str("mdns = true\n[feed]\nlanguages = [\"fr\"]\n").unwrap();
        private::overlay(&mut base, top);
        let mut c: Config =
            Config::parse(&toml::to_string(&base).unwrap(), Path::new("x")).unwrap();
        assert!(c.mdns);
        assert_eq!(c.feed.areas, ["9q8"]);
        assert_eq!(c.feed.languages, ["fr"]);
        let mut t: toml::Table = toml::from_str(&toml::to_string(&c).unwrap()).unwrap();
        let p = private::split_off(&mut t);
        assert!(
            p.contains_key("community") && p.contains_key("feed") && p.contains_key("bootstrap")
        );
        assert!(!private::has_private(&t) && t.contains_key("mdns"));
        c.community = None;
        assert_eq!(Config::default().feed, FeedConfig::default());
    }

    #[test]
    fn save_round_trips() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.toml");
        let mut c = Config {
            community: Some(community().to_invite()),
            mdns: false,
            ..Config::default()
        };
        c.feed.areas = vec!["9q8yy".into()];
        c.save(&path).unwrap();
        assert_eq!(Config::load_with(&path, no_env).unwrap(), c);
        c.community = None;
        c.save(&path).unwrap();
        assert_eq!(Config::load_with(&path, no_env).unwrap(), c);
    }
}
