//! Alert templates an organizer keeps for the alerts they send often, in the node's home
//! (`HOME/desk/templates.sealed`), sealed with the home's data key
//! ([`aviso_node::at_rest::Seal`]) like the store: never plaintext on disk. A node without
//! a data key cannot save templates at all.
//!
//! The whole list is one sealed record, bound to its file name, written whole and renamed
//! into place; a few dozen templates of a few KiB each.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use aviso_node::at_rest::Seal;
use serde::{Deserialize, Serialize};

/// Most templates kept: the alerts an organizer sends often, not an archive.
pub const MAX_TEMPLATES: usize = 50;

/// Longest template name, in characters: a short label on a phone.
pub const MAX_NAME_CHARS: usize = 60;

/// Largest templates file read: [`MAX_TEMPLATES`] alerts of at most 16 languages with
/// room to spare. A bigger file is not ours.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

const DIR: &str = "desk";
const FILE: &str = "templates.sealed";
/// Associated data of the sealed record: it cannot be swapped with another sealed file.
const AAD: &[u8] = b"aviso/v1/desk/templates";

/// One read-modify-write at a time in this process (two tabs saving at once).
static WRITING: Mutex<()> = Mutex::new(());

/// Why templates could not be read or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The home has no data key to seal them with.
    #[error("this node keeps no encrypted data, so templates cannot be saved")]
    NoSeal,
    /// The file could not be read or written.
    #[error("{path}: {why}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        why: String,
    },
    /// The file does not open with this home's key, or holds something else.
    #[error("{0}: not a templates file of this node")]
    Corrupt(PathBuf),
    /// [`MAX_TEMPLATES`] are kept already.
    #[error("at most {MAX_TEMPLATES} templates can be kept: delete one first")]
    Full,
    /// A template needs a name.
    #[error("a template needs a name")]
    EmptyName,
}

/// One language block of a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateBlock {
    /// BCP 47 tag.
    pub lang: String,
    /// Headline.
    pub headline: String,
    /// What is happening.
    pub description: String,
    /// What to do.
    pub instruction: String,
}

/// The compose form as saved: everything but what it confirms or updates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// The organizer's name for it.
    pub name: String,
    /// Category (snake_case).
    pub category: String,
    /// Severity (snake_case).
    pub severity: String,
    /// `actual` or `exercise`.
    pub status: String,
    /// Area cells, as typed.
    pub areas: String,
    /// The public place description.
    pub place: String,
    /// The expiry preset.
    pub expires: String,
    /// The language blocks.
    pub blocks: Vec<TemplateBlock>,
}

/// The templates of one home.
#[derive(Debug)]
pub struct Templates {
    path: PathBuf,
    seal: Seal,
}

impl Templates {
    /// The templates of `home`, sealed with `seal`.
    pub fn open(home: &Path, seal: Option<&Seal>) -> Result<Templates, TemplateError> {
        let seal = seal.ok_or(TemplateError::NoSeal)?.clone();
        if home.as_os_str().is_empty() {
            return Err(TemplateError::NoSeal);
        }
        Ok(Templates {
            path: home.join(DIR).join(FILE),
            seal,
        })
    }

    /// Every template, by name.
    pub fn list(&self) -> Result<Vec<Template>, TemplateError> {
        let bytes = match std::fs::metadata(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io(e)),
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                return Err(TemplateError::Corrupt(self.path.clone()));
            }
            Ok(_) => std::fs::read(&self.path).map_err(|e| self.io(e))?,
        };
        let plain = self
            .seal
            .decrypt(AAD, &bytes)
            .ok_or_else(|| TemplateError::Corrupt(self.path.clone()))?;
        let mut list: Vec<Template> = serde_json::from_slice(&plain)
            .map_err(|_| TemplateError::Corrupt(self.path.clone()))?;
        list.truncate(MAX_TEMPLATES);
        Ok(list)
    }

    /// The template named `name`.
    pub fn get(&self, name: &str) -> Result<Option<Template>, TemplateError> {
        Ok(self.list()?.into_iter().find(|t| t.name == name))
    }

    /// Save `t`, replacing a template of the same name.
    pub fn save(&self, mut t: Template) -> Result<(), TemplateError> {
        t.name = t.name.trim().chars().take(MAX_NAME_CHARS).collect();
        if t.name.is_empty() {
            return Err(TemplateError::EmptyName);
        }
        let _one = WRITING.lock().unwrap_or_else(|p| p.into_inner());
        let mut list = self.list()?;
        let full = list.len() >= MAX_TEMPLATES;
        match list.iter_mut().find(|x| x.name == t.name) {
            Some(old) => *old = t,
            None if full => return Err(TemplateError::Full),
            None => list.push(t),
        }
        list.sort_by_key(|t| t.name.to_lowercase());
        self.write(&list)
    }

    /// Delete the template named `name`; whether there was one.
    pub fn remove(&self, name: &str) -> Result<bool, TemplateError> {
        let _one = WRITING.lock().unwrap_or_else(|p| p.into_inner());
        let mut list = self.list()?;
        let before = list.len();
        list.retain(|t| t.name != name);
        if list.len() == before {
            return Ok(false);
        }
        self.write(&list)?;
        Ok(true)
    }

    fn write(&self, list: &[Template]) -> Result<(), TemplateError> {
        let plain =
            zeroize::Zeroizing::new(serde_json::to_vec(list).map_err(|e| TemplateError::Io {
                path: self.path.clone(),
                why: e.to_string(),
            })?);
        let sealed = self
            .seal
            .encrypt(AAD, &plain)
            .map_err(|e| TemplateError::Io {
                path: self.path.clone(),
                why: e.to_string(),
            })?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        }
        aviso_node::home::write_atomic(&self.path, &sealed).map_err(|e| TemplateError::Io {
            path: self.path.clone(),
            why: e.to_string(),
        })
    }

    fn io(&self, e: std::io::Error) -> TemplateError {
        TemplateError::Io {
            path: self.path.clone(),
            why: e.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn raid(name: &str) -> Template {
        Template {
            name: name.into(),
            category: "raid".into(),
            severity: "severe".into(),
            status: "actual".into(),
            areas: "9q8yy".into(),
            place: String::new(),
            expires: "2h".into(),
            blocks: vec![TemplateBlock {
                lang: "en".into(),
                headline: "Raid at the market".into(),
                description: String::new(),
                instruction: "Do not open the door.".into(),
            }],
        }
    }

    #[test]
    fn templates_are_sealed_on_disk_and_come_back() {
        let home = tempfile::tempdir().unwrap();
        let seal = Seal::new(&[7; 32]);
        let t = Templates::open(home.path(), Some(&seal)).unwrap();
        assert!(t.list().unwrap().is_empty());
        t.save(raid("Market raid")).unwrap();
        t.save(raid("  Checkpoint  ")).unwrap();
        let mut changed = raid("Market raid");
        changed.severity = "extreme".into();
        t.save(changed.clone()).unwrap();
        let names: Vec<String> = t.list().unwrap().into_iter().map(|x| x.name).collect();
        assert_eq!(names, ["Checkpoint", "Market raid"]);
        assert_eq!(t.get("Market raid").unwrap(), Some(changed));
        // Nothing readable on disk.
        let raw = std::fs::read(home.path().join(DIR).join(FILE)).unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains("Market") && !text.contains("open the door"));
        // Another home's key does not open it; no key, no templates.
        let other = Templates::open(home.path(), Some(&Seal::new(&[8; 32]))).unwrap();
        assert!(matches!(other.list(), Err(TemplateError::Corrupt(_))));
        assert!(matches!(
            Templates::open(home.path(), None),
            Err(TemplateError::NoSeal)
        ));
        assert!(t.remove("Checkpoint").unwrap());
        assert!(!t.remove("Checkpoint").unwrap());
        assert!(matches!(t.save(raid("   ")), Err(TemplateError::EmptyName)));
    }

    #[test]
    fn templates_are_bounded() {
        let home = tempfile::tempdir().unwrap();
        let seal = Seal::new(&[7; 32]);
        let t = Templates::open(home.path(), Some(&seal)).unwrap();
        for i in 0..MAX_TEMPLATES {
            t.save(raid(&format!("t{i}"))).unwrap();
        }
        assert!(matches!(t.save(raid("one more")), Err(TemplateError::Full)));
        // Replacing one is still allowed.
        t.save(raid("t3")).unwrap();
        let long = "x".repeat(MAX_NAME_CHARS * 2);
        t.remove("t0").unwrap();
        t.save(raid(&long)).unwrap();
        assert!(t.get(&"x".repeat(MAX_NAME_CHARS)).unwrap().is_some());
    }
}
