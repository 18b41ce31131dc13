//! OpenAPI schemas (feature `openapi`) of the values that serialize as strings: ids and
//! keys as 64 hex characters, area cells as geohashes. The structs and enums derive theirs
//! where they are defined, so the node's `/v1/openapi.json` describes every protocol type
//! a client reads, field by field.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

use crate::limits::{MAX_AREA_PRECISION, MIN_AREA_PRECISION};
use crate::{Area, CommunityId, Id, PublicKey};

/// A string of 64 lower-case hex characters, described as `what`.
fn hex_32(what: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9a-f]{64}$"))
        .description(Some(what))
        .into()
}

impl PartialSchema for Id {
    fn schema() -> RefOr<Schema> {
        hex_32("an envelope id: SHA-256 of its signed bytes, hex")
    }
}
impl ToSchema for Id {}

impl PartialSchema for CommunityId {
    fn schema() -> RefOr<Schema> {
        hex_32("a community id, derived from its salt and root keys, hex")
    }
}
impl ToSchema for CommunityId {}

impl PartialSchema for PublicKey {
    fn schema() -> RefOr<Schema> {
        hex_32("an ed25519 public key, hex")
    }
}
impl ToSchema for PublicKey {}

impl PartialSchema for Area {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!(
                "^[0-9b-hjkmnp-z]{{{MIN_AREA_PRECISION},{MAX_AREA_PRECISION}}}$"
            )))
            .description(Some("an area cell: a geohash of 3 to 6 characters"))
            .examples(["9q8yy"])
            .into()
    }
}
impl ToSchema for Area {}
