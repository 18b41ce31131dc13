//! BCP 47 language tags (well-formedness per RFC 5646, simplified) and language choice.

use crate::limits::MAX_LANG_TAG;

/// Why a string is not a language tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a BCP 47 language tag (e.g. en, es, es-MX, zh-Hant, ht)")]
pub struct LangError(pub String);

/// Check that `tag` is a well-formed BCP 47 tag: a primary language of 2 to 3 letters
/// (or 5 to 8 for registered ones), then subtags of 1 to 8 letters and digits.
pub fn validate_lang(tag: &str) -> Result<(), LangError> {
    let bad = || LangError(tag.chars().take(40).collect());
    if tag.is_empty() || tag.len() > MAX_LANG_TAG {
        return Err(bad());
    }
    let mut parts = tag.split('-');
    let primary = parts.next().ok_or_else(bad)?;
    let primary_ok =
        matches!(primary.len(), 2..=3 | 5..=8) && primary.bytes().all(|b| b.is_ascii_alphabetic());
    if !primary_ok {
        return Err(bad());
    }
    for sub in parts {
        if sub.is_empty() || sub.len() > 8 || !sub.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(bad());
        }
    }
    Ok(())
}

/// Whether a message block in language `have` serves a member who asked for `want`.
/// Exact match, or the same primary language (`es` serves `es-MX` and the reverse).
pub fn lang_matches(want: &str, have: &str) -> bool {
    let primary = |t: &str| t.split('-').next().unwrap_or("").to_ascii_lowercase();
    want.eq_ignore_ascii_case(have) || primary(want) == primary(have)
}

/// Choose which of `available` to show for a member whose preferences are `wanted`, in
/// order: the first preference with an exact match, then the first with a same-language
/// match, else the message's first block. Returns an index into `available`.
pub fn choose_lang<S: AsRef<str>>(wanted: &[S], available: &[&str]) -> Option<usize> {
    if available.is_empty() {
        return None;
    }
    for w in wanted {
        if let Some(i) = available
            .iter()
            .position(|h| h.eq_ignore_ascii_case(w.as_ref()))
        {
            return Some(i);
        }
        if let Some(i) = available.iter().position(|h| lang_matches(w.as_ref(), h)) {
            return Some(i);
        }
    }
    Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        for ok in ["en", "es", "es-MX", "zh-Hant-TW", "ht", "yue", "sr-Latn"] {
            assert!(validate_lang(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "e",
            "english-",
            "en--US",
            "e1",
            "en_US",
            "x-toolongsubtag",
        ] {
            assert!(validate_lang(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn choice() {
        let avail = ["en", "es-MX"];
        assert_eq!(choose_lang(&["es"], &avail), Some(1));
        assert_eq!(choose_lang(&["fr", "en"], &avail), Some(0));
        assert_eq!(choose_lang(&["fr"], &avail), Some(0));
        assert_eq!(choose_lang::<&str>(&[], &[]), None);
    }
}
