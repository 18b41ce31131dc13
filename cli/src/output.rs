//! Output for people (colour only on a terminal, never with NO_COLOR) and for programs.

use std::io::IsTerminal;

use serde::Serialize;

/// Print a value as one line of JSON on stdout.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}

/// Whether stdout is a terminal that wants colour.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// ANSI styles that vanish when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
}

impl Style {
    /// Styles for stdout.
    pub fn stdout() -> Style {
        Style { on: colour() }
    }

    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Bold.
    pub fn bold(self, s: &str) -> String {
        self.wrap("1", s)
    }
    /// Red (danger).
    pub fn red(self, s: &str) -> String {
        self.wrap("1;31", s)
    }
    /// Yellow (unverified, warnings).
    pub fn yellow(self, s: &str) -> String {
        self.wrap("33", s)
    }
    /// Green (ok, confirmed).
    pub fn green(self, s: &str) -> String {
        self.wrap("32", s)
    }
    /// Dim (secondary details).
    pub fn dim(self, s: &str) -> String {
        self.wrap("2", s)
    }
}

/// Text that came from other people (alerts, reports, notices, labels, names) made safe
/// to print on a terminal: escape sequences (ANSI CSI, OSC and other strings), C0 and C1
/// control characters, and bidirectional overrides and isolates are removed; tabs become
/// spaces and Unicode line and paragraph separators become newlines. Without this a
/// member's report could erase its own "unverified" label and redraw itself as an alert
/// on another member's screen. Newlines stay (descriptions have several lines); the
/// renderers print such text indented, and single-line fields through [`single_line`].
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates, then one final byte.
                Some('[') => skip_csi(&mut chars),
                // Strings (OSC, DCS, SOS, PM, APC): up to BEL or ST.
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // A two-character escape: the next character is dropped with it.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if needs_cleaning(c) => {}
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`clean`], on one line: newlines become spaces (headlines, labels, names).
pub fn single_line(s: &str) -> String {
    clean(s).replace('\n', " ")
}

/// Every string in a JSON value, [`clean`]ed (keys too).
pub fn clean_json(v: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::String(s) => Value::String(clean(&s).into_owned()),
        Value::Array(a) => Value::Array(a.into_iter().map(clean_json).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (clean(&k).into_owned(), clean_json(v)))
                .collect(),
        ),
        other => other,
    }
}

/// Whether `c` is removed or replaced by [`clean`].
fn needs_cleaning(c: char) -> bool {
    c != '\n'
        && (c.is_control()
            || matches!(
                c,
                '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
            ))
}

fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    // Parameter (0x30-0x3F) and intermediate (0x20-0x2F) bytes, then a final byte
    // (0x40-0x7E). Anything else ends the sequence where it stands.
    while let Some(&c) = chars.peek() {
        if ('\u{20}'..='\u{3f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dangerous(c: char) -> bool {
        c != '\n' && needs_cleaning(c)
    }

    #[test]
    fn escapes_and_controls_are_removed() {
        // A report that erases its own line and redraws itself as a trusted alert.
        let attack = "seen\x1b[2K\x1b[1A\r\x1b[1;31mSEVERE raid (trusted)\x1b[0m";
        assert_eq!(clean(attack), "seenSEVERE raid (trusted)");
        assert_eq!(clean("title\x1b]0;pwned\x07 ok"), "title ok");
        assert_eq!(clean("a\u{9b}31mb\u{85}c"), "abc");
        assert_eq!(
            clean("evil\u{202e}txt.exe\u{2066}x\u{2069}"),
            "eviltxt.exex"
        );
        assert_eq!(clean("tab\there\u{2028}next"), "tab here\nnext");
        assert_eq!(single_line("two\nlines"), "two lines");
        assert_eq!(
            clean("Redada en la calle 24 · مداهمة · 突袭"),
            "Redada en la calle 24 · مداهمة · 突袭"
        );
        let v = clean_json(serde_json::json!({"a": ["x\x1b[31my", 3], "k\x07": "\u{202e}z"}));
        assert_eq!(v, serde_json::json!({"a": ["xy", 3], "k": "z"}));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]

        /// Whatever the text, nothing that steers a terminal survives, cleaning twice
        /// changes nothing more, and text without such characters is left as it is.
        #[test]
        fn nothing_that_steers_a_terminal_survives(s in any::<String>(), t in "[\\PC\n]*") {
            let c = clean(&s);
            prop_assert!(!c.chars().any(dangerous), "{:?} -> {:?}", s, c);
            prop_assert_eq!(clean(&c), c.clone());
            prop_assert!(!single_line(&s).contains('\n'));
            if !t.chars().any(dangerous) {
                prop_assert_eq!(clean(&t), t.as_str());
            }
        }
    }
}
