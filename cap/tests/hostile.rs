//! Malformed and hostile XML gets a clear, typed error, quickly, and never a panic.

mod common;

use std::time::{Duration, Instant};

use aviso_cap::import::ImportError;
use aviso_cap::parse::{MAX_DEPTH, MAX_ELEMENTS, MAX_INPUT_BYTES, MAX_POINTS};
use aviso_cap::{ImportOptions, ParseError, import_xml, parse, parse_bytes};
use common::*;

const NOW: u64 = 1_720_000_000;

fn head() -> String {
    r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
<identifier>h1</identifier><sender>x@y.z</sender><sent>2024-07-03T09:46:40-00:00</sent>
<status>Actual</status><msgType>Alert</msgType><scope>Public</scope>"#
        .to_string()
}

fn info(area: &str) -> String {
    format!(
        "<info><category>Safety</category><event>e</event><urgency>Immediate</urgency>\
         <severity>Severe</severity><certainty>Observed</certainty><headline>h</headline>\
         <area><areaDesc>a</areaDesc>{area}</area></info>"
    )
}

fn doc(body: &str) -> String {
    format!("{}{body}</alert>", head())
}

fn parse_err(xml: &str) -> ParseError {
    match parse(xml) {
        Err(e) => e,
        Ok(a) => panic!("expected an error, parsed {a:?}"),
    }
}

#[test]
fn a_well_formed_baseline_parses() {
    let a = parse(&doc(&info("<circle>37.7,-122.4 1</circle>"))).unwrap();
    assert_eq!(a.infos.len(), 1);
}

#[test]
fn huge_documents() {
    let big = doc(&format!("<note>{}</note>", "a".repeat(MAX_INPUT_BYTES)));
    assert!(matches!(parse_err(&big), ParseError::TooLarge { .. }));
    assert!(matches!(
        parse_bytes(big.as_bytes()),
        Err(ParseError::TooLarge { .. })
    ));
    let msg = parse_err(&big).to_string();
    assert!(msg.contains("at most 1048576 are read"), "{msg}");
}

#[test]
fn deep_nesting() {
    let deep = doc(&format!(
        "{}{}",
        "<x>".repeat(10_000),
        "</x>".repeat(10_000)
    ));
    assert_eq!(parse_err(&deep), ParseError::TooDeep { max: MAX_DEPTH });
    // Deep in a foreign namespace is refused just the same.
    let foreign = doc(&format!(
        "<s:a xmlns:s=\"urn:x\">{}{}</s:a>",
        "<s:a>".repeat(100),
        "</s:a>".repeat(100)
    ));
    assert_eq!(parse_err(&foreign), ParseError::TooDeep { max: MAX_DEPTH });
}

#[test]
fn entity_tricks() {
    let laughs = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n{}]>\n{}",
        (1..10)
            .map(|i| format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!(
                    "&lol{};",
                    if i == 1 {
                        String::new()
                    } else {
                        (i - 1).to_string()
                    }
                )
                .repeat(10)
            ))
            .collect::<String>(),
        doc("<note>&lol9;</note>")
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    );
    assert_eq!(parse_err(&laughs), ParseError::Doctype);
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\
               <alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">&xxe;</alert>";
    assert_eq!(parse_err(xxe), ParseError::Doctype);
    let external = "<!DOCTYPE alert SYSTEM \"http://example.invalid/cap.dtd\"><alert/>";
    assert_eq!(parse_err(external), ParseError::Doctype);
    // Without a DOCTYPE, an entity is simply undeclared.
    assert_eq!(
        parse_err(&doc("<note>&lol9;</note>")),
        ParseError::UnknownEntity("lol9".into())
    );
    // Character references are fine; invalid ones are errors, not panics.
    assert!(parse(&doc("<note>&#x41;&#66;</note>")).is_ok());
    for bad in ["&#x0;", "&#xD800;", "&#99999999999;", "&#xZZ;", "&#;"] {
        assert!(
            parse(&doc(&format!("<note>{bad}</note>"))).is_err(),
            "{bad}"
        );
    }
    assert!(
        parse_err(&doc("<note>&lol9;</note>"))
            .to_string()
            .contains("undeclared entity &lol9;")
    );
    assert!(ParseError::Doctype.to_string().contains("<!DOCTYPE>"));
}

#[test]
fn truncated_documents() {
    let xml = sample("spec-shaped/a4-child-abduction-bilingual.xml");
    // Every cut point inside the root element is an error, never a panic; cuts inside
    // a tag or before the end tag say "truncated".
    let root_end = xml.rfind("</alert>").unwrap();
    let mut truncated = 0;
    for cut in (40..root_end).step_by(7) {
        if !xml.is_char_boundary(cut) {
            continue;
        }
        match parse(&xml[..cut]) {
            Err(ParseError::Truncated) => truncated += 1,
            Err(_) => {}
            Ok(_) => panic!("a document cut at {cut} parsed"),
        }
    }
    assert!(truncated > 100, "{truncated}");
    assert_eq!(parse_err(&xml[..xml.len() / 2]), ParseError::Truncated);
    assert_eq!(parse_err(""), ParseError::Empty);
    assert_eq!(
        parse_err("<?xml version=\"1.0\"?>\n<!-- nothing -->"),
        ParseError::Empty
    );
}

#[test]
fn wrong_root_or_namespace() {
    let xml = sample("spec-shaped/a1-security-advisory.xml");
    let cap10 = xml.replace("cap:1.2", "cap:1.0");
    match parse_err(&cap10) {
        ParseError::NotCap { name, namespace } => {
            assert_eq!(name, "alert");
            assert_eq!(
                namespace.as_deref(),
                Some("urn:oasis:names:tc:emergency:cap:1.0")
            );
        }
        e => panic!("{e}"),
    }
    let none = xml.replace(" xmlns = \"urn:oasis:names:tc:emergency:cap:1.2\"", "");
    assert!(matches!(
        parse_err(&none),
        ParseError::NotCap {
            namespace: None,
            ..
        }
    ));
    let other = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry/></feed>";
    let e = parse_err(other);
    assert!(e.to_string().contains("root element is <feed>"), "{e}");
    let prefix = "<c:alert xmlns:d=\"urn:oasis:names:tc:emergency:cap:1.2\"/>";
    assert!(matches!(parse_err(prefix), ParseError::NotCap { .. }));
    // CAP 1.1 is read (same structure).
    assert!(parse(&xml.replace("cap:1.2", "cap:1.1")).is_ok());
}

#[test]
fn missing_and_invalid_fields() {
    let xml = sample("spec-shaped/a2-thunderstorm-warning.xml");
    let cases: [(&str, &str, ParseError); 6] = [
        (
            "<sent>2024-05-21T16:42:00-06:00</sent>",
            "",
            ParseError::Missing {
                element: "sent",
                parent: "alert",
            },
        ),
        (
            "<identifier>WXO-20240521-2242-SVR</identifier>",
            "<identifier>  </identifier>",
            ParseError::Missing {
                element: "identifier",
                parent: "alert",
            },
        ),
        (
            "<urgency>Immediate</urgency>",
            "",
            ParseError::Missing {
                element: "urgency",
                parent: "info",
            },
        ),
        (
            "<category>Met</category>",
            "",
            ParseError::Missing {
                element: "category",
                parent: "info",
            },
        ),
        (
            "<status>Actual</status>",
            "<status>Maybe</status>",
            ParseError::InvalidValue {
                element: "status",
                value: "Maybe".into(),
                expected: "Actual, Exercise, System, Test or Draft",
            },
        ),
        (
            "<expires>2024-05-21T17:45:00-06:00</expires>",
            "<expires>tomorrow</expires>",
            ParseError::InvalidValue {
                element: "expires",
                value: "tomorrow".into(),
                expected: "a date-time like 2003-06-17T14:57:00-07:00",
            },
        ),
    ];
    for (from, to, expected) in cases {
        let bad = xml.replace(from, to);
        assert_ne!(bad, xml, "{from}");
        assert_eq!(parse_err(&bad), expected, "{from} -> {to}");
    }
    let e = parse_err(&xml.replace("<sent>2024-05-21T16:42:00-06:00</sent>", ""));
    assert_eq!(e.to_string(), "<alert> has no <sent> (required by CAP 1.2)");
    for (poly, why) in [
        ("39.12,-104.40 38.98,-104.18", "too few points"),
        (
            "39.12,-104.40 38.98 39.16,-103.98 39.12,-104.40",
            "a lone number",
        ),
        (
            "95,-104.40 38.98,-104.18 39.16,-103.98 95,-104.40",
            "latitude out of range",
        ),
        (
            "inf,-104 38.98,-104.18 39.16,-103.98 inf,-104",
            "not finite",
        ),
    ] {
        let bad = xml.replace(
            "39.12,-104.40 38.98,-104.18 39.16,-103.98 39.27,-104.16 39.12,-104.40",
            poly,
        );
        assert!(
            matches!(
                parse_err(&bad),
                ParseError::InvalidValue {
                    element: "polygon",
                    ..
                }
            ),
            "{why}"
        );
    }
    assert!(matches!(
        parse_err(&doc(&info("<circle>10,10 -1</circle>"))),
        ParseError::InvalidValue {
            element: "circle",
            ..
        }
    ));
    assert!(matches!(
        parse_err(&doc("<references>a,b</references>")),
        ParseError::InvalidValue {
            element: "references",
            ..
        }
    ));
}

#[test]
fn too_many_elements_points_or_namespaces() {
    let many = doc(&"<code>c</code>".repeat(MAX_ELEMENTS + 1));
    assert_eq!(
        parse_err(&many),
        ParseError::TooManyElements { max: MAX_ELEMENTS }
    );
    let points = "1,1 ".repeat(MAX_POINTS + 1);
    let many_points = doc(&info(&format!("<polygon>{points}</polygon>")));
    assert_eq!(
        parse_err(&many_points),
        ParseError::TooManyPoints { max: MAX_POINTS }
    );
    let decls: String = (0..200)
        .map(|i| format!(" xmlns:p{i}=\"urn:x{i}\""))
        .collect();
    let many_ns = doc(&format!("<note{decls}>n</note>"));
    assert!(matches!(parse_err(&many_ns), ParseError::Malformed { .. }));
}

#[test]
fn encodings_and_stray_content() {
    let xml = sample("spec-shaped/a1-security-advisory.xml");
    assert_eq!(
        parse_bytes(b"<alert>\xff\xfe</alert>"),
        Err(ParseError::NotUtf8)
    );
    let bom = [b"\xEF\xBB\xBF".as_slice(), xml.as_bytes()].concat();
    assert!(parse_bytes(&bom).is_ok());
    // Other encodings are decoded from bytes (tests/fidelity.rs); text is already
    // decoded, so a declaration of another encoding there is a mistake of the caller.
    let latin1 = xml.replace("encoding = \"UTF-8\"", "encoding = \"ISO-8859-1\"");
    assert_eq!(
        parse_err(&latin1),
        ParseError::DecodedText("iso-8859-1".into())
    );
    assert!(parse_bytes(latin1.as_bytes()).is_ok());
    // The declaration the parser reads must agree with the one the bytes were decoded by.
    let twice = xml.replace(
        "<alert ",
        "<?xml version=\"1.0\" encoding=\"KOI8-R\"?><alert ",
    );
    assert!(parse_bytes(twice.as_bytes()).is_err());
    assert_eq!(
        parse_err(&format!("{xml}<alert/>")),
        ParseError::TrailingContent
    );
    assert_eq!(
        parse_err(&format!("{xml} trailing text")),
        ParseError::TrailingContent
    );
    assert!(parse(&format!("{xml}\n<!-- a comment -->\n")).is_ok());
    assert!(matches!(
        parse_err(&format!("junk {xml}")),
        ParseError::Malformed { .. }
    ));
    assert!(matches!(
        parse_err(&xml.replace("</headline>", "</headlin>")),
        ParseError::Malformed { .. }
    ));
    let e = parse_err(&xml.replace("<status>", "<status a=\"1\" a=\"2\">"));
    assert!(e.to_string().contains("malformed XML at byte"), "{e}");
    assert!(parse(&xml.replace("<status>", "<status lang=\"en\">")).is_ok());
}

#[test]
fn messages_aviso_must_not_carry() {
    let xml = sample("spec-shaped/a1-security-advisory.xml");
    let opts = ImportOptions::new(NOW);
    let err = |x: &str| import_xml(x, &opts).unwrap_err();
    assert_eq!(
        err(&xml.replace("<status>Actual", "<status>System")),
        ImportError::Status("System")
    );
    assert_eq!(
        err(&xml.replace("<status>Actual", "<status>Draft")),
        ImportError::Status("Draft")
    );
    assert_eq!(
        err(&xml.replace("<msgType>Alert", "<msgType>Ack")),
        ImportError::MsgType("Ack")
    );
    assert_eq!(
        err(&xml.replace("<scope>Public", "<scope>Private")),
        ImportError::Scope("Private")
    );
    assert_eq!(
        err(&xml.replace("<scope>Public", "<scope>Restricted")),
        ImportError::Scope("Restricted")
    );
    let no_info = doc("");
    assert_eq!(err(&no_info), ImportError::NoInfo);
    assert_eq!(
        err(&xml.replace("<info>", "<info><language>english please</language>")),
        ImportError::Language("english please".into())
    );
    let bad_geohash = doc(&info(
        "<geocode><valueName>geohash</valueName><value>9qa</value></geocode>",
    ));
    assert_eq!(err(&bad_geohash), ImportError::Geohash("9qa".into()));
    let world = doc(&info(
        "<polygon>-80,-179 -80,179 80,179 80,-179 -80,-179</polygon>",
    ));
    let e = err(&world);
    assert!(matches!(e, ImportError::Area(_)), "{e}");
    assert!(e.to_string().contains("too large for one alert"));
    let mut p = ImportOptions::new(NOW);
    p.precision = 7;
    assert_eq!(import_xml(&xml, &p).unwrap_err(), ImportError::Precision(7));
    assert!(
        ImportError::Scope("Private")
            .to_string()
            .contains("refusing to re-publish")
    );
}

#[test]
fn geometry_work_is_bounded() {
    // A zigzag of 40 000 points over a large region: the cover must give up on fine
    // cells rather than spin.
    let mut pts = Vec::new();
    for i in 0..20_000 {
        let lon = -120.0 + f64::from(i) * 0.0005;
        pts.push(format!("{},{lon}", if i % 2 == 0 { 30.0 } else { 40.0 }));
    }
    for i in (0..20_000).rev() {
        let lon = -120.0 + f64::from(i) * 0.0005;
        pts.push(format!("{},{lon}", if i % 2 == 0 { 29.9 } else { 39.9 }));
    }
    pts.push(pts[0].clone());
    let xml = doc(&info(&format!("<polygon>{}</polygon>", pts.join(" "))));
    let start = Instant::now();
    let r = import_xml(&xml, &ImportOptions::new(NOW));
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "took {:?}",
        start.elapsed()
    );
    match r {
        Ok(d) => assert!(d.alert.areas.len() <= 64),
        Err(e) => assert!(matches!(e, ImportError::Area(_)), "{e}"),
    }
}

/// A small, reproducible random generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Snippets that tend to find parser bugs.
const SNIPPETS: [&str; 20] = [
    "<",
    ">",
    "&",
    "&amp;",
    "&#x0;",
    "&#1114112;",
    "<!DOCTYPE x>",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?pi x?>",
    "</alert>",
    "<info>",
    "</info>",
    "xmlns:q=\"\"",
    "<polygon>1,1 2,2 3,3 1,1</polygon>",
    "<circle>0,0 20000</circle>",
    "\u{FEFF}",
    "<geocode><valueName>geohash</valueName><value>zzzzzzzzz</value></geocode>",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = v.len();
        match rng.below(7) {
            0 if len > 0 => {
                // delete a range
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                v.drain(a..b);
            }
            1 => {
                // insert random bytes
                let at = rng.below(len + 1);
                let bytes: Vec<u8> = (0..1 + rng.below(8)).map(|_| rng.next() as u8).collect();
                v.splice(at..at, bytes);
            }
            2 => {
                // insert a snippet
                let at = rng.below(len + 1);
                let s = SNIPPETS[rng.below(SNIPPETS.len())].as_bytes();
                v.splice(at..at, s.iter().copied());
            }
            3 if len > 0 => {
                // duplicate a range
                let a = rng.below(len);
                let b = (a + 1 + rng.below(200)).min(len);
                let copy = v[a..b].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, copy);
            }
            4 if len > 0 => {
                // flip a byte
                let at = rng.below(len);
                v[at] ^= 1 << rng.below(8);
            }
            5 if len > 0 => {
                // truncate
                v.truncate(rng.below(len));
            }
            _ if len > 0 => {
                // change a digit (moves coordinates and times)
                let at = rng.below(len);
                if v[at].is_ascii_digit() {
                    v[at] = b'0' + rng.below(10) as u8;
                }
            }
            _ => {}
        }
    }
    v
}

#[test]
fn random_mutations_never_panic() {
    let mut seeds: Vec<(String, Vec<u8>)> = all_samples()
        .into_iter()
        .filter(|(_, xml)| xml.len() < 12_000)
        .map(|(name, xml)| (name, xml.into_bytes()))
        .collect();
    // Other encodings: Latin-1, Windows-1252, and UTF-16 with its byte-order mark.
    for name in [
        "encoded/latin1-wind-warning.xml",
        "encoded/cp1252-heat-advisory.xml",
    ] {
        seeds.push((name.into(), std::fs::read(data(name)).unwrap()));
    }
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            sample("spec-shaped/a3-earthquake-update.xml")
                .replacen("\"UTF-8\"", "\"UTF-16\"", 1)
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    seeds.push(("utf-16".into(), utf16));
    let signed = aviso_cap::SignedAlert {
        id: id(1),
        author: author(),
        created_at: NOW,
        expires_at: NOW + 3600,
        alert: &raid_alert(),
    };
    seeds.push((
        "export".into(),
        aviso_cap::export_xml(&signed, &[]).unwrap().into_bytes(),
    ));
    let mut rng = Rng(0x5EED_CA9E);
    let (mut ok, mut failed) = (0, 0);
    const ROUNDS: usize = 1500;
    for round in 0..ROUNDS {
        let (name, xml) = &seeds[round % seeds.len()];
        let input = mutate(&mut rng, xml);
        let result = std::panic::catch_unwind(|| {
            let cap = parse_bytes(&input)?;
            aviso_cap::import(&cap, &ImportOptions::new(NOW))
                .map(|_| ())
                .map_err(|e| ParseError::Malformed {
                    position: 0,
                    message: e.to_string(),
                })
        });
        match result {
            Ok(Ok(())) => ok += 1,
            Ok(Err(e)) => {
                assert!(!e.to_string().is_empty());
                failed += 1;
            }
            Err(_) => panic!(
                "round {round} on {name} panicked; input:\n{}",
                String::from_utf8_lossy(&input)
            ),
        }
    }
    // Both outcomes occur, so the mutations are neither all harmless nor all fatal.
    assert!(ok > 50 && failed > 50, "ok {ok}, failed {failed}");
}
