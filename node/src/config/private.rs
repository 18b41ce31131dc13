//! The member's private settings, kept out of `config.toml`: the community (its invite
//! names the community, its root keys and its organizers' addresses), extra bootstrap
//! peers, the followed lists, the areas (where the member lives and works) and the
//! languages. They live in `private-settings.toml` (TOML), written with
//! [`write_private`]: sealed under the data key once the home has one, in clear before
//! the node's first start (and sealed by it). `config.toml` keeps the operational
//! settings people edit by hand; a private setting written there by hand (or by an
//! older version) still counts, and is moved to the sealed file by the first load in a
//! process that unlocked the home.

use std::path::{Path, PathBuf};

use toml::{Table, Value};

use super::{ConfigError, MAX_CONFIG_BYTES};
use crate::at_rest::{is_unlocked, read_private, write_private};
use crate::home::HomePaths;

/// The top-level keys of [`super::Config`] that say who or where the member is.
pub(super) const PRIVATE_KEYS: [&str; 3] = ["community", "bootstrap", "feed"];

/// The home of the configuration file `config` and the path of its private settings.
pub(super) fn paths(config: &Path) -> (PathBuf, PathBuf) {
    let home = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let settings = HomePaths::new(&home).settings_path();
    (home, settings)
}

/// Take the private keys out of `table`.
pub(super) fn split_off(table: &mut Table) -> Table {
    PRIVATE_KEYS
        .iter()
        .filter_map(|k| table.remove(*k).map(|v| ((*k).to_owned(), v)))
        .collect()
}

/// Whether `table` holds any private key.
pub(super) fn has_private(table: &Table) -> bool {
    PRIVATE_KEYS.iter().any(|k| table.contains_key(*k))
}

/// Overlay `top` on `base`, tables merged key by key.
pub(super) fn overlay(base: &mut Table, top: Table) {
    for (k, v) in top {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(t)) => overlay(b, t),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn private_err(path: &Path, source: crate::at_rest::AtRestError) -> ConfigError {
    ConfigError::Private {
        path: path.to_path_buf(),
        source,
    }
}

/// The stored private settings of `home`, `None` when there are none.
pub(super) fn read(home: &Path, path: &Path) -> Result<Option<Table>, ConfigError> {
    let Some(bytes) =
        read_private(home, path, MAX_CONFIG_BYTES).map_err(|e| private_err(path, e))?
    else {
        return Ok(None);
    };
    let parse_err = |message: String| ConfigError::Parse {
        path: path.to_path_buf(),
        message,
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| parse_err(e.to_string()))?;
    let table: Table = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
    Ok(Some(table))
}

/// Write the private settings of `home` whole.
pub(super) fn write(home: &Path, path: &Path, table: &Table) -> Result<(), ConfigError> {
    let text = toml::to_string_pretty(table).map_err(|e| ConfigError::Write {
        path: path.to_path_buf(),
        why: e.to_string(),
    })?;
    write_private(home, path, text.as_bytes()).map_err(|e| private_err(path, e))
}

/// Move the private settings found in `config.toml` (`file`, its text `text`) into the
/// sealed file, when this process holds the home's data key: the sealed file (`merged`,
/// what they add up to) is written first, then `config.toml` without them (its comments
/// kept), so a crash in between loses nothing.
pub(super) fn migrate(
    config: &Path,
    text: &str,
    file: &Table,
    merged: &Table,
) -> Result<(), ConfigError> {
    let (home, settings) = paths(config);
    if !has_private(file) || !is_unlocked(&home) {
        return Ok(());
    }
    let mut private = merged.clone();
    let private = split_off(&mut private);
    write(&home, &settings, &private)?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| ConfigError::Parse {
        path: config.to_path_buf(),
        message: format!("{e}"),
    })?;
    for k in PRIVATE_KEYS {
        doc.remove(k);
    }
    crate::home::write_atomic(config, doc.to_string().as_bytes()).map_err(|e| ConfigError::Write {
        path: config.to_path_buf(),
        why: e.to_string(),
    })
}
