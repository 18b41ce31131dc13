//! The body of an envelope, one variant per kind, and the checks every body passes.

use serde::{Deserialize, Serialize};

use crate::area::{Area, AreaError};
use crate::lang::{LangError, validate_lang};
use crate::{Alert, Endorsement, Kind, Report, Resource, Response, Retraction, TrustList};

/// A body that decoded but breaks a rule: which field, which limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// A text field is longer than its limit.
    #[error("{} is {len} bytes; the limit is {max}", field_in(field, lang.as_deref()))]
    TooLong {
        /// The field.
        field: &'static str,
        /// The language of the text block it is in, if it is in one.
        lang: Option<String>,
        /// Its limit in bytes.
        max: usize,
        /// Its length.
        len: usize,
    },
    /// A list has more items than its limit.
    #[error("{field} has {len} items; the limit is {max}")]
    TooMany {
        /// The field.
        field: &'static str,
        /// Its limit.
        max: usize,
        /// Its length.
        len: usize,
    },
    /// A required field or list is empty.
    #[error("{} is empty", field_in(.0, None))]
    Empty(&'static str),
    /// The same value appears twice where values must be unique.
    #[error("{}", duplicate(field, value))]
    Duplicate {
        /// The field.
        field: &'static str,
        /// The repeated value.
        value: String,
    },
    /// An area cell is not a valid geohash.
    #[error(transparent)]
    Area(#[from] AreaError),
    /// A language tag is not BCP 47.
    #[error(transparent)]
    Lang(#[from] LangError),
    /// A value that is out of range or inconsistent with another field.
    #[error("{field}: {why}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        why: &'static str,
    },
}

/// A field for people: `the es headline` for the field `info.headline` of the block in
/// `es`, else the field's name.
fn field_in(field: &str, lang: Option<&str>) -> String {
    match lang {
        Some(l) => format!("the {l} {}", field.rsplit('.').next().unwrap_or(field)),
        None => field.to_owned(),
    }
}

/// A repeated value, in words; a repeated language says what to do.
fn duplicate(field: &str, value: &str) -> String {
    if field.ends_with("lang") || field == "languages_spoken" {
        format!("language {value} is given twice: give one block per language")
    } else {
        format!("{field} lists {value:?} twice")
    }
}

/// A decoded, validated body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// A trust list.
    TrustList(TrustList),
    /// An alert.
    Alert(Alert),
    /// A report.
    Report(Report),
    /// A resource notice.
    Resource(Resource),
    /// An endorsement.
    Endorsement(Endorsement),
    /// A retraction.
    Retraction(Retraction),
    /// A member's response to an alert.
    Response(Response),
}

impl Body {
    /// The kind that goes into the envelope header.
    pub fn kind(&self) -> Kind {
        match self {
            Body::TrustList(_) => Kind::TrustList,
            Body::Alert(_) => Kind::Alert,
            Body::Report(_) => Kind::Report,
            Body::Resource(_) => Kind::Resource,
            Body::Endorsement(_) => Kind::Endorsement,
            Body::Retraction(_) => Kind::Retraction,
            Body::Response(_) => Kind::Response,
        }
    }

    /// Canonical bytes of the body alone.
    pub fn encode(&self) -> Vec<u8> {
        let r = match self {
            Body::TrustList(b) => postcard::to_allocvec(b),
            Body::Alert(b) => postcard::to_allocvec(b),
            Body::Report(b) => postcard::to_allocvec(b),
            Body::Resource(b) => postcard::to_allocvec(b),
            Body::Endorsement(b) => postcard::to_allocvec(b),
            Body::Retraction(b) => postcard::to_allocvec(b),
            Body::Response(b) => postcard::to_allocvec(b),
        };
        r.expect("postcard encoding into a Vec cannot fail for these plain types")
    }

    /// Check every limit and rule of the body.
    pub fn validate(&self) -> Result<(), BodyError> {
        match self {
            Body::TrustList(b) => b.validate(),
            Body::Alert(b) => b.validate(),
            Body::Report(b) => b.validate(),
            Body::Resource(b) => b.validate(),
            Body::Endorsement(_) => Ok(()),
            Body::Retraction(_) => Ok(()),
            Body::Response(b) => b.validate(),
        }
    }

    /// Decode the body of `kind` from `bytes`: exact (no trailing bytes), canonical and
    /// valid. Never panics; allocation is bounded by `bytes.len()`.
    pub fn decode(kind: Kind, bytes: &[u8]) -> Result<Body, crate::DecodeError> {
        let body = match kind {
            Kind::TrustList => Body::TrustList(exact(bytes)?),
            Kind::Alert => Body::Alert(exact(bytes)?),
            Kind::Report => Body::Report(exact(bytes)?),
            Kind::Resource => Body::Resource(exact(bytes)?),
            Kind::Endorsement => Body::Endorsement(exact(bytes)?),
            Kind::Retraction => Body::Retraction(exact(bytes)?),
            Kind::Response => Body::Response(exact(bytes)?),
        };
        if body.encode() != bytes {
            return Err(crate::DecodeError::NonCanonical);
        }
        body.validate()?;
        Ok(body)
    }
}

/// Decode `T` from all of `bytes`, refusing trailing bytes.
pub(crate) fn exact<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, crate::DecodeError> {
    let (v, rest) = postcard::take_from_bytes::<T>(bytes).map_err(crate::DecodeError::from)?;
    if !rest.is_empty() {
        return Err(crate::DecodeError::TrailingBytes(rest.len()));
    }
    Ok(v)
}

// ---- checks shared by the bodies ----

pub(crate) fn text(field: &'static str, s: &str, max: usize) -> Result<(), BodyError> {
    text_in(field, None, s, max)
}

/// [`text`] of a field in the text block of language `lang`.
pub(crate) fn text_in(
    field: &'static str,
    lang: Option<&str>,
    s: &str,
    max: usize,
) -> Result<(), BodyError> {
    if s.len() > max {
        return Err(BodyError::TooLong {
            field,
            lang: lang.map(str::to_owned),
            max,
            len: s.len(),
        });
    }
    Ok(())
}

pub(crate) fn required_text(field: &'static str, s: &str, max: usize) -> Result<(), BodyError> {
    required_text_in(field, None, s, max)
}

/// [`required_text`] of a field in the text block of language `lang`.
pub(crate) fn required_text_in(
    field: &'static str,
    lang: Option<&str>,
    s: &str,
    max: usize,
) -> Result<(), BodyError> {
    if s.trim().is_empty() {
        return Err(BodyError::Empty(field));
    }
    text_in(field, lang, s, max)
}

pub(crate) fn opt_text(
    field: &'static str,
    s: &Option<String>,
    max: usize,
) -> Result<(), BodyError> {
    s.as_deref().map_or(Ok(()), |s| text(field, s, max))
}

pub(crate) fn count<T>(field: &'static str, v: &[T], max: usize) -> Result<(), BodyError> {
    if v.len() > max {
        return Err(BodyError::TooMany {
            field,
            max,
            len: v.len(),
        });
    }
    Ok(())
}

pub(crate) fn unique<T: PartialEq + std::fmt::Debug>(
    field: &'static str,
    v: &[T],
) -> Result<(), BodyError> {
    for (i, a) in v.iter().enumerate() {
        if v[..i].contains(a) {
            return Err(BodyError::Duplicate {
                field,
                value: format!("{a:?}"),
            });
        }
    }
    Ok(())
}

pub(crate) fn areas(
    field: &'static str,
    v: &[Area],
    max: usize,
    required: bool,
) -> Result<(), BodyError> {
    if required && v.is_empty() {
        return Err(BodyError::Empty(field));
    }
    count(field, v, max)?;
    for a in v {
        a.validate()?;
    }
    unique(field, v)
}

pub(crate) fn langs<'a>(
    field: &'static str,
    tags: impl Iterator<Item = &'a str>,
) -> Result<(), BodyError> {
    let mut seen: Vec<&str> = Vec::new();
    for t in tags {
        validate_lang(t)?;
        if seen.iter().any(|s| s.eq_ignore_ascii_case(t)) {
            return Err(BodyError::Duplicate {
                field,
                value: t.to_owned(),
            });
        }
        seen.push(t);
    }
    Ok(())
}
