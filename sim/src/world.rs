//! The simulated community: a root, organizers, the trust list that authorizes them, and
//! the alerts they publish. All keys come from the seed.

use aviso_node::unix_now;
use aviso_protocol::community::SALT_LEN;
use aviso_protocol::{Alert, Body, Category, Community, Envelope, Role, SecretKey, fixtures};

use crate::link::marker;
use crate::rng::Rng;

/// How long simulated envelopes live: far longer than any run.
const TTL_SECS: u64 = 24 * 3600;

/// Why the world cannot be built.
#[derive(Debug, thiserror::Error)]
#[error("cannot sign a simulated envelope: {0}")]
pub struct WorldError(String);

/// The community and everything signed before the run starts.
#[derive(Debug)]
pub struct World {
    /// The community every node serves.
    pub community: Community,
    /// The root's trust list naming the organizers; every node holds it from the start,
    /// as a node that joined the community would.
    pub trust_list: Envelope,
    /// The alerts, in publishing order. Alert `i` carries [`marker`]`(i)` in its headline.
    pub alerts: Vec<Envelope>,
    /// Which organizer signed each alert.
    pub authors: Vec<usize>,
}

impl World {
    /// Sign a trust list with `organizers` organizers and `alerts` alerts, each by an
    /// organizer drawn from `rng`.
    pub fn new(organizers: usize, alerts: usize, rng: &mut Rng) -> Result<World, WorldError> {
        let root = SecretKey::from_seed(&rng.bytes32());
        let orgs: Vec<SecretKey> = (0..organizers.max(1))
            .map(|_| SecretKey::from_seed(&rng.bytes32()))
            .collect();
        let mut salt = [0; SALT_LEN];
        salt.copy_from_slice(&rng.bytes32()[..SALT_LEN]);
        let community = Community::new(
            &root,
            salt,
            "Simulated community",
            vec![root.public()],
            vec![],
        )
        .map_err(|e| WorldError(e.to_string()))?;
        let now = unix_now();
        let sign = |sk: &SecretKey, body: &Body| {
            Envelope::sign(sk, community.id, body, now, now + TTL_SECS)
                .map_err(|e| WorldError(e.to_string()))
        };
        let list = fixtures::trust_list(
            "Simulated organizers",
            1,
            orgs.iter()
                .enumerate()
                .map(|(i, sk)| {
                    fixtures::entry(sk.public(), Role::Organizer, format!("organizer {i}"))
                })
                .collect(),
        );
        let trust_list = sign(&root, &Body::TrustList(list))?;
        let mut out = Vec::with_capacity(alerts);
        let mut authors = Vec::with_capacity(alerts);
        for i in 0..alerts {
            let author = rng.below(orgs.len());
            out.push(sign(&orgs[author], &Body::Alert(alert_body(i)))?);
            authors.push(author);
        }
        Ok(World {
            community,
            trust_list,
            alerts: out,
            authors,
        })
    }
}

/// A typical alert (a raid in one cell, English and Spanish text, as the protocol
/// benchmark's), with the marker of alert `index` in its headline.
fn alert_body(index: usize) -> Alert {
    let mut alert = fixtures::alert(
        Category::Raid,
        &["9q8yy"],
        vec![
            fixtures::info(
                "en",
                &format!("{} Checkpoint reported at 5th and Main", marker(index)),
                "Several vehicles stopping people near the bus stop.",
                "Avoid the area; know your rights.",
            ),
            fixtures::info(
                "es",
                "Retén reportado en la 5 y Main",
                "Varios vehículos deteniendo a personas cerca de la parada.",
                "Evite la zona; conozca sus derechos.",
            ),
        ],
    );
    alert.area_desc = Some("Corner of 5th and Main".into());
    alert
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn world_is_seeded_and_alerts_carry_their_marker() {
        let w = World::new(3, 4, &mut Rng::new(9)).expect("signs");
        let again = World::new(3, 4, &mut Rng::new(9)).expect("signs");
        assert_eq!(w.community.id, again.community.id);
        assert_eq!(w.authors, again.authors);
        for (i, a) in w.alerts.iter().enumerate() {
            let m = marker(i);
            assert!(
                a.bytes().windows(m.len()).any(|x| x == m.as_bytes()),
                "alert {i} carries its marker"
            );
            assert!(a.verify().is_ok());
        }
    }
}
