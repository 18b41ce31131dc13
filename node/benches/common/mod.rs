//! Fixtures shared by the node's benchmarks.
#![allow(dead_code)] // each bench uses a part

use aviso_protocol::{Alert, Area, Category, Certainty, Info, MsgType, Severity, Status, Urgency};

/// A typical alert body, like the protocol benchmark's: a raid in one cell, English and
/// Spanish text; signed, about 400 bytes. `n` makes each one distinct.
pub fn alert_body(n: impl std::fmt::Display) -> Alert {
    let info = |lang: &str, headline: String, description: &str, instruction: &str| Info {
        lang: lang.into(),
        headline,
        description: description.into(),
        instruction: instruction.into(),
    };
    Alert {
        category: Category::Raid,
        severity: Severity::Severe,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type: MsgType::Alert,
        references: vec![],
        areas: vec![Area::parse("9q8yy").expect("bench area")],
        area_desc: None,
        onset: None,
        info: vec![
            info(
                "en",
                format!("Raid reported near 24th St station #{n}"),
                "Two unmarked vans and agents at the corner.",
                "Stay inside and call the hotline.",
            ),
            info(
                "es",
                format!("Redada cerca de la calle 24 #{n}"),
                "Dos camionetas sin placas en la esquina.",
                "Quédese adentro y llame.",
            ),
        ],
        confirms: vec![],
    }
}
