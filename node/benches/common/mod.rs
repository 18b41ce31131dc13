//! Fixtures shared by the node's benchmarks.
#![allow(dead_code)] // each bench uses a part

use aviso_protocol::{Alert, Category, fixtures};

/// A typical alert body, like the protocol benchmark's: a raid in one cell, English and
/// Spanish text; signed, about 400 bytes. `n` makes each one distinct.
pub fn alert_body(n: impl std::fmt::Display) -> Alert {
    fixtures::alert(
        Category::Raid,
        &["9q8yy"],
        vec![
            fixtures::info(
                "en",
                &format!("Raid reported near 24th St station #{n}"),
                "Two unmarked vans and agents at the corner.",
                "Stay inside and call the hotline.",
            ),
            fixtures::info(
                "es",
                &format!("Redada cerca de la calle 24 #{n}"),
                "Dos camionetas sin placas en la esquina.",
                "Quédese adentro y llame.",
            ),
        ],
    )
}
