//! The member's language: every string of the pages goes through Project Fluent.
//!
//! Adding a language is one folder, `web/locales/<tag>/`, with the same `.ftl` files as
//! English (`main.ftl` for the member pages, one more file per part of the app), plus one
//! line in [`LANGUAGES`]; a test checks that every language has every message of English.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Unicode isolation marks around arguments help mixed-direction text in a
        // terminal, but a browser already isolates with `dir`/`<bdi>`; in HTML they
        // only add invisible characters that screen readers may spell out.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language the pages are translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language {
    /// BCP 47 tag, as the folder under `web/locales/` is named.
    pub tag: &'static str,
    /// Its name in itself, for the language switch.
    pub native: &'static str,
    /// Written right to left.
    pub rtl: bool,
    /// Whether a native speaker has reviewed the translation (see `web/TRANSLATING.md`).
    pub reviewed: bool,
}

/// `text`, HTML-escaped, with each pair of backticks turned into a left-to-right `<code>`.
fn code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, part) in text.split('`').enumerate() {
        let inside = i % 2 == 1;
        if inside {
            out.push_str(r#"<code dir="ltr">"#);
        }
        for c in part.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        if inside {
            out.push_str("</code>");
        }
    }
    out
}

/// The languages shipped, in the order the switch lists them.
pub const LANGUAGES: &[Language] = &[
    Language {
        tag: "es",
        native: "Español",
        rtl: false,
        reviewed: false,
    },
    Language {
        tag: "en",
        native: "English",
        rtl: false,
        reviewed: true,
    },
    Language {
        tag: "pt",
        native: "Português",
        rtl: false,
        reviewed: false,
    },
    Language {
        tag: "fr",
        native: "Français",
        rtl: false,
        reviewed: false,
    },
    Language {
        tag: "ht",
        native: "Kreyòl ayisyen",
        rtl: false,
        reviewed: false,
    },
    Language {
        tag: "zh-CN",
        native: "简体中文",
        rtl: false,
        reviewed: false,
    },
    Language {
        tag: "ar",
        native: "العربية",
        rtl: true,
        reviewed: false,
    },
];

/// The language used when nothing the member asked for is shipped.
pub const FALLBACK: &str = "en";

/// The strings of one page view in one language.
#[derive(Debug, Clone)]
pub struct Tr {
    lang: &'static Language,
    id: LanguageIdentifier,
}

impl Tr {
    /// The translator for a shipped language tag (case-insensitive), else English.
    pub fn new(tag: &str) -> Tr {
        let lang = LANGUAGES
            .iter()
            .find(|l| l.tag.eq_ignore_ascii_case(tag))
            .or_else(|| LANGUAGES.iter().find(|l| l.tag == FALLBACK))
            .expect("the fallback language is shipped");
        let id = lang.tag.parse().expect("shipped tags are valid");
        Tr { lang, id }
    }

    /// Choose the language: the member's own choice first (a cookie or their node's
    /// settings), then the browser's `Accept-Language`, then English.
    pub fn negotiate(chosen: &[&str], accept_language: Option<&str>) -> Tr {
        let from_header = accept_language
            .map(parse_accept_language)
            .unwrap_or_default();
        chosen
            .iter()
            .copied()
            .chain(from_header.iter().map(String::as_str))
            .find_map(shipped)
            .map(|l| Tr::new(l.tag))
            .unwrap_or_else(|| Tr::new(FALLBACK))
    }

    /// The language's tag, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag
    }

    /// `rtl` or `ltr`, for `<html dir>`.
    pub fn dir(&self) -> &'static str {
        if self.lang.rtl { "rtl" } else { "ltr" }
    }

    /// The language being shown.
    pub fn language(&self) -> &'static Language {
        self.lang
    }

    /// A message with no arguments.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.id, key)
    }

    /// A message as HTML, where a command written between backticks (`` `aviso web` ``)
    /// becomes `<code dir="ltr">`: a command reads left to right inside Arabic too, and the
    /// backticks are not shown. Everything else is escaped.
    pub fn t_code(&self, key: &str) -> String {
        code_spans(&self.t(key))
    }

    /// A message with arguments (numbers select plural forms).
    pub fn args(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Arg::Num(n) => FluentValue::from(*n),
                    Arg::Str(s) => FluentValue::from(s.clone()),
                };
                (Cow::Borrowed(*k), v)
            })
            .collect();
        LOCALES.lookup_with_args(&self.id, key, &map)
    }

    /// A message with one number argument.
    pub fn n(&self, key: &str, name: &'static str, n: u64) -> String {
        self.args(key, &[(name, Arg::Num(n))])
    }

    /// A message with one text argument.
    pub fn s(&self, key: &str, name: &'static str, s: &str) -> String {
        self.args(key, &[(name, Arg::Str(s.to_owned()))])
    }
}

/// An argument of a message.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A number: plural forms select on it.
    Num(u64),
    /// Text, inserted as is (the template escapes it).
    Str(String),
}

/// The shipped language that serves `tag`: exact, else the same primary language
/// (`es-MX` is served by `es`, `zh-Hans-CN` and `zh` by `zh-CN`).
pub fn shipped(tag: &str) -> Option<&'static Language> {
    let primary = |t: &str| t.split('-').next().unwrap_or("").to_ascii_lowercase();
    LANGUAGES
        .iter()
        .find(|l| l.tag.eq_ignore_ascii_case(tag))
        .or_else(|| LANGUAGES.iter().find(|l| primary(l.tag) == primary(tag)))
}

/// The tags of an `Accept-Language` header, most wanted first (RFC 9110 §12.5.4).
/// Bounded: at most 16 entries are read, so a hostile header costs nothing.
pub fn parse_accept_language(header: &str) -> Vec<String> {
    let mut tags: Vec<(u16, usize, String)> = header
        .split(',')
        .take(16)
        .enumerate()
        .filter_map(|(i, part)| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            if tag.is_empty() || tag == "*" || aviso_protocol::lang::validate_lang(tag).is_err() {
                return None;
            }
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| (q.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0) * 1000.0) as u16)
                .unwrap_or(1000);
            (q > 0).then(|| (q, i, tag.to_owned()))
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_orders_by_quality() {
        assert_eq!(
            parse_accept_language("en;q=0.5, es-MX, ar;q=0.9, *;q=0.1, fr;q=0"),
            ["es-MX", "ar", "en"]
        );
        assert!(parse_accept_language("").is_empty());
        assert!(parse_accept_language(&"x".repeat(10_000)).is_empty());
    }

    #[test]
    fn negotiation_prefers_the_members_choice() {
        assert_eq!(Tr::negotiate(&["ar"], Some("es")).tag(), "ar");
        assert_eq!(Tr::negotiate(&[], Some("es-MX,en;q=0.5")).tag(), "es");
        assert_eq!(Tr::negotiate(&[], Some("zh-Hans-CN")).tag(), "zh-CN");
        assert_eq!(Tr::negotiate(&[], Some("de")).tag(), "en");
        assert_eq!(Tr::negotiate(&["xx"], None).tag(), "en");
        assert_eq!(Tr::new("ar").dir(), "rtl");
    }

    #[test]
    fn plural_forms_select_on_numbers() {
        let en = Tr::new("en");
        assert_eq!(en.n("time-minutes-ago", "n", 1), "1 minute ago");
        assert_eq!(en.n("time-minutes-ago", "n", 5), "5 minutes ago");
    }

    #[test]
    fn commands_become_left_to_right_code() {
        assert_eq!(
            code_spans("Run `aviso web` <now> & \"then\""),
            r#"Run <code dir="ltr">aviso web</code> &lt;now&gt; &amp; &quot;then&quot;"#
        );
        assert_eq!(code_spans("no command"), "no command");
        let ar = Tr::new("ar").t_code("signin-intro");
        assert!(ar.contains(r#"<code dir="ltr">aviso web</code>"#), "{ar}");
        assert!(!ar.contains('`'));
    }
}
