//! What real agency feeds showed the bridge getting wrong: legacy encodings, region codes
//! beside geometry, areas across the antimeridian, and losses that change what people do.
//! One test per finding; the messages are original (tests/data/README.md).

mod common;

use aviso_cap::import::ImportError;
use aviso_cap::parse::MAX_INPUT_BYTES;
use aviso_cap::{
    ImportOptions, ParseError, SignedAlert, Warning, export_xml, import, import_xml, parse,
    parse_bytes,
};
use aviso_protocol::Area;
use common::*;

const LATIN1: &str = "encoded/latin1-wind-warning.xml";
const CP1252: &str = "encoded/cp1252-heat-advisory.xml";

fn bytes(path: &str) -> Vec<u8> {
    let p = data(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// The warnings as the organizer reads them.
fn said(warnings: &[Warning]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}

fn says(warnings: &[Warning], words: &[&str]) -> bool {
    said(warnings)
        .iter()
        .any(|w| words.iter().all(|word| w.contains(word)))
}

/// A minimal message around one `<info>` body part.
fn doc(info_extra: &str, area: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>fid-1</identifier><sender>ops@example.org</sender><sent>2025-03-01T10:00:00-00:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Safety</category><event>e</event>{info_extra}<urgency>Immediate</urgency>
<severity>Severe</severity><certainty>Observed</certainty><headline>h</headline>
<area><areaDesc>a</areaDesc>{area}</area></info></alert>"#
    )
}

fn import_now(xml: &str) -> Result<aviso_cap::Draft, ImportError> {
    let sent = parse(xml).expect("the message parses").sent.unix;
    import_xml(xml, &ImportOptions::new(sent + 60))
}

// ---- 1. encodings ----

#[test]
fn iso_8859_1_messages_are_decoded() {
    let raw = bytes(LATIN1);
    assert!(std::str::from_utf8(&raw).is_err(), "the sample is Latin-1");
    let cap = parse_bytes(&raw).expect("an ISO-8859-1 message is read");
    let i = &cap.infos[0];
    assert_eq!(
        i.headline.as_deref(),
        Some("Vigilance orange : vents violents sur la côte d'Émeraude")
    );
    assert_eq!(
        i.contact.as_deref(),
        Some("Prévisionniste de permanence : 05 55 00 01 00")
    );
    assert_eq!(
        i.areas[0].area_desc,
        "Côte d'Émeraude, de Pléneuf à Saint-Brévin"
    );
    let d = import(&cap, &ImportOptions::new(cap.sent.unix + 60)).expect("it imports");
    assert!(d.alert.info[0].instruction.starts_with("Restez chez vous"));
    assert!(d.alert.info[0].instruction.contains("Éloignez-vous"));
    assert_eq!(d.alert.validate(), Ok(()));
}

#[test]
fn windows_1252_messages_are_decoded() {
    // Curly quotes, the en dash, the ellipsis and the euro sign are the bytes 0x80 to
    // 0x9F, where Windows-1252 and ISO-8859-1 differ.
    let cap = parse_bytes(&bytes(CP1252)).expect("a Windows-1252 message is read");
    let i = &cap.infos[0];
    assert_eq!(
        i.headline.as_deref(),
        Some("Aviso rojo por calor – hasta 44 °C en el valle")
    );
    assert!(
        i.description
            .as_deref()
            .unwrap()
            .ends_with("noches “tropicales” por encima de 25 °C…")
    );
    assert!(
        i.instruction
            .as_deref()
            .unwrap()
            .ends_with("(entrada 0 €).")
    );
    // The same bytes declared ISO-8859-1 read the same (as browsers and the WHATWG
    // Encoding Standard do: real ISO-8859-1 text has no C1 control characters).
    let text = String::from_utf8_lossy(&bytes(CP1252)).into_owned();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"windows-1252\"?>"));
    let relabelled = [
        b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".as_slice(),
        &bytes(CP1252)["<?xml version=\"1.0\" encoding=\"windows-1252\"?>".len()..],
    ]
    .concat();
    assert_eq!(parse_bytes(&relabelled).unwrap(), cap);
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded() {
    let utf8 = sample("spec-shaped/a4-child-abduction-bilingual.xml");
    let expected = parse(&utf8).unwrap();
    let declared = utf8.replacen("\"UTF-8\"", "\"UTF-16\"", 1);
    assert_ne!(declared, utf8);
    for little in [true, false] {
        let mut raw: Vec<u8> = if little {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in declared.encode_utf16() {
            raw.extend(if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        assert_eq!(
            parse_bytes(&raw).unwrap(),
            expected,
            "little endian: {little}"
        );
    }
    // Without the mark, UTF-16 is refused (XML requires the mark), with a clear reason.
    let bare: Vec<u8> = declared
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let e = parse_bytes(&bare).unwrap_err();
    assert!(e.to_string().contains("UTF-16"), "{e}");
}

#[test]
fn decoding_keeps_the_bounds_and_refuses_what_it_cannot_read() {
    // The size limit applies to the bytes, before decoding.
    let latin1_doc = |n: usize| -> Vec<u8> {
        let xml = doc("", "<circle>48.1,-1.6 1</circle>").replacen("UTF-8", "ISO-8859-1", 1);
        let (before, after) = xml.split_once("<info>").unwrap();
        // é is one byte in ISO-8859-1 and two once decoded.
        [
            before.as_bytes(),
            b"<note>",
            &vec![0xE9; n],
            b"</note><info>",
            after.as_bytes(),
        ]
        .concat()
    };
    let fixed = latin1_doc(0).len();
    // Exactly at the limit in bytes, almost twice as long once decoded: read.
    let at_limit = latin1_doc(MAX_INPUT_BYTES - fixed);
    assert_eq!(at_limit.len(), MAX_INPUT_BYTES);
    let cap = parse_bytes(&at_limit).expect("a document within the limit is read");
    assert_eq!(cap.note.unwrap().len(), 2 * (MAX_INPUT_BYTES - fixed));
    // One byte more: refused before any decoding.
    assert!(matches!(
        parse_bytes(&latin1_doc(MAX_INPUT_BYTES - fixed + 1)),
        Err(ParseError::TooLarge { .. })
    ));
    let head = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n";
    // Depth is still bounded after decoding.
    let deep = [
        head.as_bytes(),
        b"<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">",
        &b"<x>".repeat(100),
    ]
    .concat();
    assert!(matches!(
        parse_bytes(&deep),
        Err(ParseError::TooDeep { .. })
    ));
    // An encoding nobody knows is refused by name.
    let unknown = doc("", "").replacen("UTF-8", "EBCDIC-FR", 1);
    let e = parse_bytes(unknown.as_bytes()).unwrap_err();
    assert!(e.to_string().contains("ebcdic-fr"), "{e}");
    // Bytes that are not valid in the declared encoding are refused, not replaced.
    let bad_utf8 = [doc("", "").as_bytes(), b"<!-- \xff -->"].concat();
    assert_eq!(parse_bytes(&bad_utf8), Err(ParseError::NotUtf8));
    let sjis = doc("", "").replacen("UTF-8", "Shift_JIS", 1);
    let (before, after) = sjis.split_once("<info>").unwrap();
    // 0x81 starts a two-byte character; "<" cannot end it.
    let bad_sjis = [
        before.as_bytes(),
        b"<note>\x81</note><info>",
        after.as_bytes(),
    ]
    .concat();
    let e = parse_bytes(&bad_sjis).unwrap_err();
    assert!(e.to_string().contains("Shift_JIS"), "{e}");
}

// ---- 2. region codes beside geometry ----

#[test]
fn region_geocodes_beside_geometry_are_reported() {
    // A polygon with a postcode and an ISO 3166-2 code: the cells come from the polygon,
    // and the draft says the codes were not used.
    let cap = parse_bytes(&bytes(LATIN1)).unwrap();
    let d = import(&cap, &ImportOptions::new(cap.sent.unix + 60)).unwrap();
    assert!(!d.alert.areas.is_empty());
    assert!(
        says(&d.warnings, &["postcode", "ISO 3166-2"]),
        "{:?}",
        said(&d.warnings)
    );
    // SAME beside a polygon, UGC and CAP-CP beside a circle.
    let a2 = import_now(&sample("spec-shaped/a2-thunderstorm-warning.xml")).unwrap();
    assert!(says(&a2.warnings, &["SAME"]), "{:?}", said(&a2.warnings));
    let circle = doc(
        "",
        "<circle>61.2,-149.9 5</circle>\
         <geocode><valueName>UGC</valueName><value>AKZ101</value></geocode>\
         <geocode><valueName>profile:CAP-CP:Location:0.3</valueName><value>4806016</value></geocode>",
    );
    let d = import_now(&circle).unwrap();
    assert!(
        says(&d.warnings, &["UGC", "profile:CAP-CP:Location:0.3"]),
        "{:?}",
        said(&d.warnings)
    );
    // Replaced by --area: said too.
    let a4 = sample("spec-shaped/a4-child-abduction-bilingual.xml");
    let mut opts = ImportOptions::new(parse(&a4).unwrap().sent.unix + 60);
    opts.areas = cells(&["9q5"]);
    let d = import_xml(&a4, &opts).unwrap();
    assert!(says(&d.warnings, &["SAME"]), "{:?}", said(&d.warnings));
    // An Aviso export (geohash geocodes only) has nothing to report.
    let signed = SignedAlert {
        id: id(1),
        author: author(),
        created_at: 1_720_000_000,
        expires_at: 1_720_003_600,
        alert: &raid_alert(),
    };
    let xml = export_xml(&signed, &[]).unwrap();
    let d = import_xml(&xml, &ImportOptions::new(1_720_000_060)).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", said(&d.warnings));
}

// ---- 4. the antimeridian ----

fn covers(areas: &[Area], lat: f64, lon: f64) -> bool {
    let fine = Area::from_lat_lon(lat, lon, 6).expect("a valid point");
    areas.iter().any(|c| c.covers(&fine))
}

#[test]
fn a_circle_across_the_antimeridian_is_covered_on_both_sides() {
    // 10 km around a point 2 km west of the antimeridian (at 16.8° S, 1 km is 0.0094°).
    let d = import_now(&doc("", "<circle>-16.8,179.98 10</circle>")).unwrap();
    let a = &d.alert.areas;
    assert!(covers(a, -16.8, 179.98), "centre: {a:?}");
    assert!(covers(a, -16.8, 179.999), "west of the line: {a:?}");
    assert!(covers(a, -16.8, -179.999), "across the line: {a:?}");
    assert!(covers(a, -16.8, -179.95), "7 km across the line: {a:?}");
    assert!(!covers(a, -16.8, -179.8), "beyond the radius: {a:?}");
    assert!(
        !d.warnings
            .iter()
            .any(|w| matches!(w, Warning::Coarsened { .. }))
    );
    assert!(a.iter().all(|c| c.as_str().len() == 5), "{a:?}");
    // Mirrored: a centre just east of the line reaches west of it.
    let d = import_now(&doc("", "<circle>-16.8,-179.98 10</circle>")).unwrap();
    assert!(covers(&d.alert.areas, -16.8, 179.95));
    assert!(covers(&d.alert.areas, -16.8, -179.95));
    assert!(!covers(&d.alert.areas, -16.8, 179.8));
}

#[test]
fn a_polygon_across_the_antimeridian_is_covered_on_both_sides() {
    // About 32 x 22 km, from 179.85° E to 179.85° W: the short way, not around the world.
    let poly =
        "<polygon>-16.0,179.85 -16.0,-179.85 -16.2,-179.85 -16.2,179.85 -16.0,179.85</polygon>";
    let d = import_now(&doc("", poly)).expect("a small polygon is not too large");
    let a = &d.alert.areas;
    assert!(covers(a, -16.1, 179.9) && covers(a, -16.1, -179.9), "{a:?}");
    assert!(
        covers(a, -16.1, 179.999) && covers(a, -16.1, -179.999),
        "{a:?}"
    );
    // Nothing far from the line (the long way round would cover the Greenwich side).
    for c in a {
        let (_, lon0, _, lon1) = c.bounds();
        assert!(lon0 >= 179.5 || lon1 <= -179.5, "{c} is far from the line");
    }
    assert!(
        !d.warnings
            .iter()
            .any(|w| matches!(w, Warning::Coarsened { .. }))
    );
}

#[test]
fn a_polygon_around_a_pole_is_refused_for_that_reason() {
    let around = "<polygon>85,0 85,90 85,180 85,-90 85,0</polygon>";
    let e = import_now(&doc("", around)).unwrap_err();
    assert!(e.to_string().contains("pole"), "{e}");
}

// ---- 5. what changes what people do ----

#[test]
fn response_types_contact_and_signatures_are_spelled_out() {
    let cap = parse_bytes(&bytes(LATIN1)).unwrap();
    let d = import(&cap, &ImportOptions::new(cap.sent.unix + 60)).unwrap();
    assert!(
        says(&d.warnings, &["responseType", "Shelter", "Monitor"]),
        "{:?}",
        said(&d.warnings)
    );
    assert!(
        says(&d.warnings, &["contact", "05 55 00 01 00"]),
        "{:?}",
        said(&d.warnings)
    );
    let cancel = import_now(&sample("feed-shaped/cancel-signed.xml")).unwrap();
    assert!(
        says(&cancel.warnings, &["signature", "NOT verified"]),
        "{:?}",
        said(&cancel.warnings)
    );
    // No signature, no such warning.
    assert!(!says(&d.warnings, &["signature"]));
}

#[test]
fn an_export_names_the_cap_message_the_alert_relays() {
    let cap = parse_bytes(&bytes(LATIN1)).unwrap();
    let d = import(&cap, &ImportOptions::new(cap.sent.unix + 60)).unwrap();
    let signed = SignedAlert {
        id: id(2),
        author: author(),
        created_at: cap.sent.unix + 120,
        expires_at: d.expires_at,
        alert: &d.alert,
    };
    let xml = export_xml(&signed, &[]).unwrap();
    assert!(
        xml.contains(
            "<valueName>AVISO_SOURCE_REFERENCE</valueName>\n      \
             <value>vigilance@meteo.example.org,VIG-2025-02-11-0417,2025-02-11T05:30:00+01:00</value>"
        ),
        "{xml}"
    );
    // Read back, the parameter is Aviso's own: nothing is reported dropped.
    let back = import_xml(&xml, &ImportOptions::new(cap.sent.unix + 180)).unwrap();
    assert_eq!(back.alert, d.alert);
    assert!(back.warnings.is_empty(), "{:?}", said(&back.warnings));
}

// ---- 6. errors for people ----

#[test]
fn not_cap_errors_read_as_sentences() {
    let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry/></feed>";
    let e = parse(atom).unwrap_err().to_string();
    assert!(!e.contains("Some(") && !e.contains("None"), "{e}");
    assert!(
        e.contains("<feed> in namespace http://www.w3.org/2005/Atom"),
        "{e}"
    );
    let bare = parse("<alert><identifier>x</identifier></alert>")
        .unwrap_err()
        .to_string();
    assert!(
        !bare.contains("None") && bare.contains("no namespace"),
        "{bare}"
    );
}
