//! The pages, as askama templates compiled into the binary.

use askama::Template;

use crate::i18n::{LANGUAGES, Language, Tr};
use crate::view::{AlertCard, AlertsView, HelpFilter, ResourceCard};

/// Bumped with the assets, so browsers fetch new ones after an upgrade.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

/// What every page has around its content.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    /// The member's language.
    pub tr: &'a Tr,
    /// Which page: `alerts`, `report`, `help`, `settings`, `status` (the current
    /// navigation entry), or another name for pages outside the navigation.
    pub page: &'static str,
    /// This page's path, for the language switch to come back to.
    pub path: String,
    /// For cache-busting asset links.
    pub version: &'static str,
    /// The language switch.
    pub languages: &'static [Language],
    /// Whether the navigation links to the organizer desk (this node's key is an
    /// organizer's; see [`crate::desk::nav_shown`]).
    pub desk: bool,
}

impl<'a> Frame<'a> {
    /// The frame of `page` at `path`.
    pub fn new(tr: &'a Tr, page: &'static str, path: impl Into<String>) -> Frame<'a> {
        Frame {
            tr,
            page,
            path: path.into(),
            version: ASSET_VERSION,
            languages: LANGUAGES,
            desk: crate::desk::nav_shown(),
        }
    }

    /// The navigation: message key, address, page name.
    pub fn nav(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        let mut nav = vec![
            ("nav-alerts", "/", "alerts"),
            ("nav-report", "/report", "report"),
            ("nav-help", "/help", "help"),
            ("nav-settings", "/settings", "settings"),
            ("nav-status", "/status", "status"),
        ];
        if self.desk {
            nav.push(("nav-desk", "/desk", "desk"));
        }
        nav
    }
}

/// A mistake in a form, worded in the member's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's `id`, so the message links to it.
    pub field: &'static str,
    /// What to change.
    pub message: String,
}

/// What the member typed in the report form, kept when it comes back with errors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportForm {
    /// Category (snake_case).
    pub category: String,
    /// A named place's cell.
    pub place: String,
    /// An area code typed or filled from the location.
    pub area: String,
    /// Minutes ago.
    pub when: u32,
    /// The description.
    pub text: String,
    /// Mistakes to fix.
    pub errors: Vec<FieldError>,
}

impl ReportForm {
    /// Whether `field` has a mistake.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The settings form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    /// Language tags, comma-separated.
    pub languages: String,
    /// Area codes, comma-separated (those not among `places`).
    pub areas: String,
    /// Named places: cell, words, whether followed.
    pub places: Vec<(String, String, bool)>,
    /// Notify of severe alerts while the app is open.
    pub notify: bool,
    /// With a sound.
    pub sound: bool,
    /// Mistakes to fix.
    pub errors: Vec<FieldError>,
}

impl SettingsForm {
    /// Whether `field` has a mistake.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The unlock form: only errors, never the passphrase back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnlockForm {
    /// Mistakes to fix.
    pub errors: Vec<FieldError>,
}

impl UnlockForm {
    /// Whether `field` has a mistake.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

/// The alerts page.
#[derive(Debug, Template)]
#[template(path = "alerts.html")]
pub struct AlertsPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// Alerts, ended alerts and reports.
    pub view: &'a AlertsView,
    /// Whether the member chose areas (for the empty-list wording).
    pub areas_set: bool,
}

/// The alerts and reports alone, which the page's script swaps in on live updates.
#[derive(Debug, Template)]
#[template(path = "alerts_list.html")]
pub struct AlertsFragment<'a> {
    /// For the strings.
    pub frame: Frame<'a>,
    /// Alerts, ended alerts and reports.
    pub view: &'a AlertsView,
    /// Whether the member chose areas.
    pub areas_set: bool,
}

/// One alert, in a chosen language.
#[derive(Debug, Template)]
#[template(path = "alert.html")]
pub struct AlertPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The alert.
    pub a: &'a AlertCard,
    /// Answering it, and how many are responding.
    pub respond: crate::respond::RespondBox,
}

/// Report what you see.
#[derive(Debug, Template)]
#[template(path = "report.html")]
pub struct ReportPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// What was typed, and mistakes.
    pub form: ReportForm,
    /// Category values and words.
    pub categories: Vec<(&'static str, String)>,
    /// Named places: cell and name.
    pub places: Vec<(String, String)>,
    /// After sending: what happens next.
    pub sent: Option<String>,
    /// The key is locked: the form asks for the passphrase too.
    pub locked: bool,
}

/// Help near you.
#[derive(Debug, Template)]
#[template(path = "help.html")]
pub struct HelpPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The filter in force.
    pub filter: HelpFilter,
    /// Kind values and words.
    pub kinds: Vec<(&'static str, String)>,
    /// Languages spoken by some resource: tag and name.
    pub spoken: Vec<(String, String)>,
    /// What matches.
    pub cards: Vec<ResourceCard>,
}

/// Settings.
#[derive(Debug, Template)]
#[template(path = "settings.html")]
pub struct SettingsPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The values, and mistakes.
    pub form: SettingsForm,
    /// Followed list owners: label and fingerprint.
    pub follows: Vec<(String, String)>,
    /// Just saved.
    pub saved: bool,
    /// Paired phones, on this machine only (`None` on the LAN).
    pub devices: Option<crate::lan::Devices>,
}

/// Status.
#[derive(Debug, Template)]
#[template(path = "status.html")]
pub struct StatusPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The community's name.
    pub community: String,
    /// Connected peers, in words.
    pub connected: String,
    /// Last catch-up, in words.
    pub catch_up: String,
    /// How others reach this node, in words.
    pub reach: String,
}

/// Sign in: how to get a link.
#[derive(Debug, Template)]
#[template(path = "signin.html")]
pub struct SigninPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// The link was used or expired.
    pub used: bool,
}

/// Unlock the key.
#[derive(Debug, Template)]
#[template(path = "unlock.html")]
pub struct UnlockPage<'a> {
    /// Around it.
    pub frame: Frame<'a>,
    /// What unlocking does, for how long.
    pub intro: String,
    /// Mistakes.
    pub form: UnlockForm,
    /// Where to go after (a local path).
    pub back: String,
}
