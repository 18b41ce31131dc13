//! Named places: an organizer's names for an area cell ("Mission / 24th St" for `9q8yy`),
//! so members pick and read places, not geohashes.
//!
//! A place notice travels as a [`Resource`] of a reserved shape: kind
//! [`ResourceKind::Other`], `resource_key` `place:<cell>`, `areas` exactly that cell, one
//! info block per language whose `name` is the place's name there. Nothing in the wire
//! format changes, so nodes that predate named places decode, relay and store them like
//! any resource notice (they list the name in their help directory, under "other"). A new
//! body kind would be refused as malformed by those nodes, which then penalize and block
//! the peers that forward it, cutting upgraded nodes off from alerts. Reusing the
//! resource notice also gives place names, for free, the rules they need:
//!
//! - **who may name a cell**: the relay and display rules of resources, an organizer whose
//!   scope covers the cell for [`Category::Resources`] (naming a neighbourhood is the same
//!   public-information work as listing a clinic in it);
//! - **updates**: a newer version from the same author (same key, so same cell) replaces
//!   the older; **withdrawal**: a retraction, by the author or an organizer in scope;
//! - **expiry** at most 400 days, like every resource notice.
//!
//! When two organizers name the same cell, the newest notice wins (then the smaller id):
//! names get corrected by whoever saw the mistake, and every node picks the same name
//! whatever order the notices arrived in ([`resolve`]).

use serde::{Deserialize, Serialize};

use crate::area::Area;
use crate::body::{self, BodyError};
use crate::feed::ResourceItem;
use crate::lang::choose_lang;
use crate::limits::MAX_LANGUAGES;
use crate::{Category, Id, PublicKey, Resource, ResourceInfo, ResourceKind};

/// The `resource_key` prefix of a place notice; the cell follows it.
pub const PLACE_KEY_PREFIX: &str = "place:";

/// Longest place name, in bytes of UTF-8: a street corner or a neighbourhood fits ("Mission /
/// 24th St", "Misión / calle 24"), and a list of places stays readable on a phone.
pub const MAX_PLACE_NAME: usize = 80;

/// The category a trust-list entry needs in its scope to name cells: the same as for
/// resource notices.
pub const PLACE_CATEGORY: Category = Category::Resources;

/// A place's name in one language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceName {
    /// BCP 47 tag.
    pub lang: String,
    /// The name.
    pub name: String,
}

/// Names for one area cell, one per language; the first is the default.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The cell named.
    pub cell: Area,
    /// Its names.
    pub names: Vec<PlaceName>,
}

impl Place {
    /// The resource key of the notice naming `cell`.
    pub fn key_for(cell: &Area) -> String {
        format!("{PLACE_KEY_PREFIX}{cell}")
    }

    /// Check what an author composes: a valid cell, 1 to [`MAX_LANGUAGES`] names in
    /// distinct languages, each non-empty and at most [`MAX_PLACE_NAME`] bytes.
    pub fn validate(&self) -> Result<(), BodyError> {
        self.cell.validate()?;
        if self.names.is_empty() {
            return Err(BodyError::Empty("names"));
        }
        body::count("names", &self.names, MAX_LANGUAGES)?;
        body::langs("names.lang", self.names.iter().map(|n| n.lang.as_str()))?;
        for n in &self.names {
            body::required_text_in("names.name", Some(&n.lang), &n.name, MAX_PLACE_NAME)?;
        }
        Ok(())
    }

    /// The notice that publishes these names.
    pub fn to_resource(&self) -> Resource {
        Resource {
            resource_key: Place::key_for(&self.cell),
            kind: ResourceKind::Other,
            info: self
                .names
                .iter()
                .map(|n| ResourceInfo {
                    lang: n.lang.clone(),
                    name: n.name.clone(),
                    description: String::new(),
                    hours: String::new(),
                })
                .collect(),
            phone: None,
            url: None,
            address: None,
            areas: vec![self.cell.clone()],
            languages_spoken: vec![],
            free: false,
            no_id_required: false,
            confidential: false,
            walk_in: false,
            starts_at: None,
            ends_at: None,
        }
    }

    /// The names a resource notice publishes, if it is a place notice: the reserved
    /// shape, and names that pass [`Place::validate`]. Anything else is an ordinary
    /// resource (older nodes accept longer names; this node shows those as resources
    /// rather than truncate a name).
    pub fn from_resource(r: &Resource) -> Option<Place> {
        let cell = r.resource_key.strip_prefix(PLACE_KEY_PREFIX)?;
        let [area] = r.areas.as_slice() else {
            return None;
        };
        if r.kind != ResourceKind::Other || area.as_str() != cell {
            return None;
        }
        let place = Place {
            cell: area.clone(),
            names: r
                .info
                .iter()
                .map(|i| PlaceName {
                    lang: i.lang.clone(),
                    name: i.name.clone(),
                })
                .collect(),
        };
        place.validate().ok().map(|()| place)
    }

    /// The name for a member who reads `languages` (most wanted first), falling back to
    /// the first name.
    pub fn name_in<S: AsRef<str>>(&self, languages: &[S]) -> &str {
        let tags: Vec<&str> = self.names.iter().map(|n| n.lang.as_str()).collect();
        choose_lang(languages, &tags)
            .and_then(|i| self.names.get(i))
            .map_or(self.cell.as_str(), |n| n.name.as_str())
    }
}

/// A cell's name as the member's node shows it: the winning notice for the cell.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedPlace {
    /// The notice's envelope id.
    pub id: Id,
    /// Who named it.
    pub author: PublicKey,
    /// The author's label on the member's lists.
    pub author_label: Option<String>,
    /// When the notice was signed.
    pub created_at: u64,
    /// The cell and its names.
    pub place: Place,
}

/// Split the place notices out of `resources` and pick one per cell: among the shown
/// ones (trusted, current, not superseded, not withdrawn; the feed's rule for resources,
/// whatever the member's areas), the newest, then the smallest id. Returns the named
/// places by cell; `resources` keeps every other notice.
pub fn resolve(resources: &mut Vec<ResourceItem>) -> Vec<NamedPlace> {
    let mut winners: std::collections::BTreeMap<Area, NamedPlace> = Default::default();
    resources.retain(|item| {
        let Some(place) = Place::from_resource(&item.resource) else {
            return true;
        };
        let shown = item.shown
            || item
                .reasons
                .iter()
                .all(|r| *r == crate::Reason::OutsideYourAreas);
        let better = |cur: &NamedPlace| {
            (item.created_at, std::cmp::Reverse(item.id))
                > (cur.created_at, std::cmp::Reverse(cur.id))
        };
        if shown && winners.get(&place.cell).is_none_or(better) {
            winners.insert(
                place.cell.clone(),
                NamedPlace {
                    id: item.id,
                    author: item.author,
                    author_label: item.author_label.clone(),
                    created_at: item.created_at,
                    place,
                },
            );
        }
        false
    });
    winners.into_values().collect()
}

/// The named place that names `cell`: the named cell equal to it, else its longest named
/// ancestor (a name for `9q8y` also names `9q8yy`); never a finer cell.
pub fn place_for<'a>(places: &'a [NamedPlace], cell: &Area) -> Option<&'a NamedPlace> {
    places
        .iter()
        .filter(|p| p.place.cell.covers(cell))
        .max_by_key(|p| p.place.cell.as_str().len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::place;

    #[test]
    fn round_trips_through_a_resource() {
        let p = place(
            "9q8yy",
            &[("en", "Mission / 24th St"), ("es", "Misión / calle 24")],
        );
        let r = p.to_resource();
        assert!(r.validate().is_ok());
        assert_eq!(Place::from_resource(&r), Some(p.clone()));
        assert_eq!(p.name_in(&["es-MX"]), "Misión / calle 24");
        assert_eq!(p.name_in(&["ar"]), "Mission / 24th St");
    }

    #[test]
    fn other_shapes_are_ordinary_resources() {
        let p = place("9q8yy", &[("en", "Mission")]);
        let mut wrong_cell = p.to_resource();
        wrong_cell.areas = vec![Area::parse("9q8yz").unwrap()];
        let mut two_cells = p.to_resource();
        two_cells.areas.push(Area::parse("9q8yz").unwrap());
        let mut kind = p.to_resource();
        kind.kind = ResourceKind::Shelter;
        let mut long = p.to_resource();
        long.info[0].name = "x".repeat(MAX_PLACE_NAME + 1);
        for r in [wrong_cell, two_cells, kind, long] {
            assert_eq!(Place::from_resource(&r), None, "{r:?}");
        }
    }

    #[test]
    fn validation_names_the_rule() {
        assert!(place("9q8yy", &[]).validate().is_err());
        assert!(place("9q8yy", &[("en", " ")]).validate().is_err());
        assert!(
            place("9q8yy", &[("en", "a"), ("EN", "b")])
                .validate()
                .is_err()
        );
        assert!(place("9q8yy", &[("e1", "a")]).validate().is_err());
    }
}
