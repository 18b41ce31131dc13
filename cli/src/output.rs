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
