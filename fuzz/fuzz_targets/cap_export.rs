//! CAP export of alerts from the network (`aviso cap export`, and feeds for other
//! alerting systems): every alert an envelope can carry, exported, read back by our own
//! CAP reader and imported.
//!
//! Properties: the export parses; importing it gives back the alert, less exactly what
//! `docs/cap-mapping.md` says a round trip loses: `confirms`, leading and trailing white
//! space of texts, characters XML cannot carry (written as U+FFFD), and a place
//! description that is just the list of cells.
#![no_main]

use aviso_cap::{ImportOptions, KnownAlert, SignedAlert, export_xml, import_xml, parse};
use aviso_protocol::{Alert, Envelope};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(env) = Envelope::decode(data) else {
        return;
    };
    let Ok(signed) = SignedAlert::from_envelope(&env) else {
        return;
    };
    // Every reference is known, so each becomes a CAP reference triplet.
    let known: Vec<KnownAlert> = signed
        .alert
        .references
        .iter()
        .map(|id| KnownAlert {
            id: *id,
            author: env.author(),
            created_at: env.created_at().saturating_sub(60),
        })
        .collect();
    let xml = match export_xml(&signed, &known) {
        Ok(xml) => xml,
        // Times CAP cannot write (past year 9999) are refused, not mangled.
        Err(aviso_cap::ExportError::TimeOutOfRange(_)) => return,
        Err(e) => panic!("a valid alert does not export: {e}"),
    };
    if let Err(e) = parse(&xml) {
        panic!("our own export does not parse: {e}\n{xml}");
    }
    let now = env.created_at().saturating_add(1);
    let draft = match import_xml(&xml, &ImportOptions::new(now)) {
        Ok(d) => d,
        Err(e) => panic!("our own export does not import: {e}\n{xml}"),
    };
    assert_eq!(
        draft.alert,
        expected(signed.alert),
        "the round trip changed the alert:\n{xml}"
    );
});

/// Text as CAP carries it: characters XML 1.0 cannot hold become U+FFFD (the writer's
/// rule), and the reader trims every element.
fn carried(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// What an import of `alert`'s export gives back, by the documented mapping.
fn expected(alert: &Alert) -> Alert {
    let mut a = alert.clone();
    a.confirms.clear();
    for i in &mut a.info {
        i.headline = carried(&i.headline);
        i.description = carried(&i.description);
        i.instruction = carried(&i.instruction);
    }
    let cells: Vec<&str> = a.areas.iter().map(|c| c.as_str()).collect();
    a.area_desc = a
        .area_desc
        .as_deref()
        .map(carried)
        .filter(|d| !d.is_empty() && *d != cells.join(", "));
    a
}
