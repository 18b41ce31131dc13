//! Named places as an organizer composes them: names typed on the command line (or in a
//! form) become a [`Place`], whose notice the protocol carries as a resource notice
//! (`aviso_protocol::place`).

use aviso_protocol::body::BodyError;
use aviso_protocol::lang::validate_lang;
use aviso_protocol::{Area, Feed, NamedPlace, Place, PlaceName, PublicKey};

/// Why typed names cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlaceInputError {
    /// The cell is not a geohash cell.
    #[error(transparent)]
    Area(#[from] aviso_protocol::area::AreaError),
    /// A language tag is not BCP 47.
    #[error(transparent)]
    Lang(#[from] aviso_protocol::lang::LangError),
    /// Names and languages do not pair up.
    #[error(
        "{names} names and {langs} languages: give one --lang before or after each --name (or a single --name for your own language)"
    )]
    Unpaired {
        /// How many names.
        names: usize,
        /// How many languages.
        langs: usize,
    },
    /// The names break a rule of place notices.
    #[error("{0}")]
    Invalid(#[from] BodyError),
}

/// The names of `cell`: `names[i]` in `langs[i]`, or a single name in `default_lang`
/// when no language is given. Checked as the protocol checks place notices.
pub fn compose(
    cell: &str,
    names: &[String],
    langs: &[String],
    default_lang: &str,
) -> Result<Place, PlaceInputError> {
    let cell = Area::parse(cell)?;
    let langs: Vec<String> = match (names.len(), langs.len()) {
        (1, 0) => vec![default_lang.to_owned()],
        (n, l) if n == l && n > 0 => langs.to_vec(),
        (n, l) => return Err(PlaceInputError::Unpaired { names: n, langs: l }),
    };
    let mut out = Vec::with_capacity(names.len());
    for (name, lang) in names.iter().zip(langs) {
        validate_lang(&lang)?;
        out.push(PlaceName {
            lang,
            name: name.trim().to_owned(),
        });
    }
    let place = Place { cell, names: out };
    place.validate()?;
    Ok(place)
}

/// The named place of `cell` in `feed` that `author` signed, if it is the one shown.
pub fn own<'a>(feed: &'a Feed, author: &PublicKey, cell: &Area) -> Option<&'a NamedPlace> {
    feed.places
        .iter()
        .find(|p| p.author == *author && p.place.cell == *cell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pair_with_languages() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let p = compose("9Q8YY", &s(&["Mission"]), &[], "en").unwrap();
        assert_eq!(p.cell.as_str(), "9q8yy");
        assert_eq!(p.names[0].lang, "en");
        let p = compose("9q8yy", &s(&["Mission", "Misión"]), &s(&["en", "es"]), "en").unwrap();
        assert_eq!(p.name_in(&["es"]), "Misión");
        for (names, langs) in [
            (s(&["a", "b"]), s(&["en"])),
            (s(&[]), s(&[])),
            (s(&["a"]), s(&["en", "es"])),
        ] {
            assert!(matches!(
                compose("9q8yy", &names, &langs, "en"),
                Err(PlaceInputError::Unpaired { .. })
            ));
        }
        assert!(compose("9q8yy", &s(&[" "]), &[], "en").is_err());
        assert!(compose("9q8yy", &s(&["a", "b"]), &s(&["en", "EN"]), "en").is_err());
        assert!(compose("9qa", &s(&["a"]), &[], "en").is_err());
    }
}
