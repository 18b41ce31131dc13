//! 32-byte identifiers: envelope ids and community ids.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Serialize 32 bytes as hex for people (JSON) and as 32 raw bytes for the wire.
pub(crate) fn ser_32<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        s.serialize_str(&hex::encode(bytes))
    } else {
        bytes.serialize(s)
    }
}

/// The inverse of [`ser_32`].
pub(crate) fn de_32<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
    if d.is_human_readable() {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_hex_32(&s).ok_or_else(|| serde::de::Error::custom("expected 64 hex characters"))
    } else {
        <[u8; 32]>::deserialize(d)
    }
}

/// Parse exactly 64 hex characters.
pub(crate) fn parse_hex_32(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s.trim(), &mut out).ok()?;
    Some(out)
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; 32]);

        impl $name {
            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }
            /// Full lower-case hex.
            pub fn to_hex(&self) -> String {
                hex::encode(self.0)
            }
            /// Parse 64 hex characters.
            pub fn from_hex(s: &str) -> Result<Self, crate::ParseError> {
                parse_hex_32(s).map(Self).ok_or(crate::ParseError::Hex { expected: 64 })
            }
            /// The first 12 hex characters: enough for people to tell ids apart.
            pub fn short(&self) -> String {
                hex::encode(&self.0[..6])
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.short())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.to_hex())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_hex(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ser_32(&self.0, s)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                de_32(d).map(Self)
            }
        }
    };
}

id_type!(
    /// The id of an envelope: SHA-256 of its signed bytes. Also the gossipsub message id,
    /// the sync item id and the store key.
    Id
);
id_type!(
    /// The id of a community (one gossip domain), chosen at random when it is created.
    CommunityId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_json_form() {
        let id = Id([7; 32]);
        assert_eq!(Id::from_hex(&id.to_hex()).unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", id.to_hex()));
        assert_eq!(serde_json::from_str::<Id>(&json).unwrap(), id);
        assert!(Id::from_hex("zz").is_err());
        let bytes = postcard::to_allocvec(&id).unwrap();
        assert_eq!(bytes.len(), 32);
    }
}
