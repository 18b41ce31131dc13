//! Importing sample CAP 1.2 messages gives the alerts one would write by hand. The
//! samples were written for this project in the shapes of the CAP 1.2 specification's
//! examples and of public feeds: tests/data/README.md.

mod common;

use aviso_cap::model::{CapMsgType, Point};
use aviso_cap::{CapTime, Draft, ImportOptions, Warning, import_xml, parse};
use aviso_protocol::{Area, Category, Certainty, MsgType, Severity, Status, Urgency};
use common::*;

/// Import a sample `secs` after it was sent.
fn import_after(path: &str, secs: u64) -> Draft {
    let xml = sample(path);
    let sent = parse(&xml).expect("the sample parses").sent.unix;
    import_xml(&xml, &ImportOptions::new(sent + secs)).expect("the sample imports")
}

fn t(s: &str) -> u64 {
    CapTime::parse(s).expect("a valid CAP time").unix
}

/// Every point of every polygon lies in some cell of the draft.
fn assert_covers(d: &Draft, points: impl IntoIterator<Item = Point>) {
    for p in points {
        assert!(
            d.alert
                .areas
                .iter()
                .any(|c| Area::from_lat_lon(p.lat, p.lon, 6).is_ok_and(|fine| c.covers(&fine))),
            "{p:?} is outside {:?}",
            d.alert.areas
        );
    }
}

fn polygon_points(path: &str) -> Vec<Point> {
    parse(&sample(path))
        .expect("the sample parses")
        .infos
        .iter()
        .flat_map(|i| &i.areas)
        .flat_map(|a| &a.polygons)
        .flat_map(|p| p.points.clone())
        .collect()
}

// The samples (tests/data/README.md).
const A1: &str = "spec-shaped/a1-security-advisory.xml";
const A2: &str = "spec-shaped/a2-thunderstorm-warning.xml";
const A3: &str = "spec-shaped/a3-earthquake-update.xml";
const A4: &str = "spec-shaped/a4-child-abduction-bilingual.xml";
const MET_UPDATE: &str = "feed-shaped/met-bilingual-thunderstorm-update.xml";
const ALL_CLEAR: &str = "feed-shaped/allclear-bilingual.xml";
const METEO: &str = "feed-shaped/meteo-four-languages-wind-update.xml";
const CANCEL: &str = "feed-shaped/cancel-signed.xml";
const TSUNAMI: &str = "feed-shaped/tsunami-update.xml";
const FIRE: &str = "feed-shaped/prefixed-fire-circle.xml";

// ---- in the shapes of the specification's examples (CAP 1.2, Appendix A) ----

#[test]
fn a1_security_advisory_without_geometry() {
    let d = import_after(A1, 60);
    let a = &d.alert;
    assert_eq!(d.source.identifier, "sec-adv-2024-0031");
    assert_eq!(d.source.sender, "advisories@security.example.org");
    assert_eq!(d.source.sent.to_string(), "2024-03-08T09:15:00-05:00");
    assert_eq!(a.status, Status::Actual);
    assert_eq!(a.msg_type, MsgType::Alert);
    assert_eq!(a.category, Category::Security);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Immediate, Severity::Severe, Certainty::Likely)
    );
    assert_eq!(a.info.len(), 1);
    let i = &a.info[0];
    assert_eq!(i.lang, "en-US", "CAP's default language");
    assert_eq!(i.headline, "Regional threat level raised to ORANGE");
    // Continuation lines lose their indentation, the paragraph break stays, and the
    // source note follows.
    assert_eq!(
        i.description,
        "The Example Regional Security Office has raised the regional threat level\n\
         from YELLOW (elevated) to ORANGE (high) after reports of planned disruption at\n\
         transport hubs.\n\
         \n\
         The level will be reviewed within 72 hours.\n\
         \n\
         Source: Example Regional Security Office (advisories@security.example.org)\n\
         https://security.example.org/threat-level\n\
         CAP message: advisories@security.example.org,sec-adv-2024-0031,2024-03-08T09:15:00-05:00"
    );
    assert_eq!(
        i.instruction,
        "Expect bag checks and longer queues at stations and airports. Report\n\
         unattended items to staff and follow the instructions of officers on site."
    );
    assert_eq!(
        a.area_desc.as_deref(),
        Some("The whole region and its offshore islands")
    );
    assert!(a.areas.is_empty());
    assert_eq!(a.onset, None);
    assert_eq!(d.ttl_secs, aviso_cap::import::DEFAULT_TTL_SECS);
    assert_eq!(
        d.warnings,
        [
            Warning::NoExpiry,
            Warning::NoGeometry { geocodes: vec![] },
            Warning::Dropped(vec!["parameter", "resource", "event"]),
        ]
    );
}

#[test]
fn a2_thunderstorm_warning_polygon() {
    let d = import_after(A2, 60);
    let a = &d.alert;
    assert_eq!(a.category, Category::Met);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Immediate, Severity::Severe, Certainty::Observed)
    );
    assert_eq!(a.info[0].headline, "Severe thunderstorm warning");
    assert_eq!(
        a.info[0].instruction,
        "Move to an interior room on the lowest floor of a sturdy building and stay away from windows."
    );
    assert!(a.info[0].description.starts_with(
        "At 4:38 PM MDT, weather radar showed a severe thunderstorm 12 miles west\nof Cold Spring Junction"
    ));
    assert!(a.info[0].description.ends_with(
        "\n\nSource: Example Weather Office, High Plains (warnings@wx.example.org)\n\
         CAP message: warnings@wx.example.org,WXO-20240521-2242-SVR,2024-05-21T16:42:00-06:00"
    ));
    // The line break inside <areaDesc> is folded.
    assert_eq!(
        a.area_desc.as_deref(),
        Some("Southern Larch County, northwestern Alder County, northern Birch County")
    );
    // Expires 17:45 MDT; imported a minute after 16:42.
    assert_eq!(d.expires_at, t("2024-05-21T17:45:00-06:00"));
    assert_eq!(d.ttl_secs, 62 * 60);
    // The polygon (about 32 x 36 km) at the default precision 5 (about 5 km cells).
    assert_eq!(a.areas.len(), 47);
    assert!(a.areas.iter().all(|c| c.as_str().len() == 5
        && (c.as_str().starts_with("9wv") || c.as_str().starts_with("9wy"))));
    assert_covers(&d, polygon_points(A2));
    assert!(
        a.areas
            .contains(&Area::from_lat_lon(39.13, -104.18, 5).unwrap())
    );
    // A far corner of the bounding box is not in the polygon, and not covered.
    assert!(
        !a.areas
            .contains(&Area::from_lat_lon(38.99, -103.99, 5).unwrap())
    );
    assert_eq!(
        d.warnings,
        [
            // Region codes beside a polygon are not used, and the draft says so.
            Warning::GeocodesNotUsed {
                geocodes: vec!["SAME".into()]
            },
            // What people should do, and whom to contact, are spelled out.
            Warning::ResponseTypes(vec!["Shelter"]),
            Warning::Contact(vec!["Duty forecaster, Example Weather Office".into()]),
            Warning::Dropped(vec!["eventCode", "event"]),
        ]
    );
    assert_eq!(a.validate(), Ok(()));

    // A coarser precision gives fewer, larger cells that still cover it.
    let xml = sample(A2);
    let mut opts = ImportOptions::new(t("2024-05-21T16:43:00-06:00"));
    opts.precision = 4;
    let coarse = import_xml(&xml, &opts).unwrap();
    assert_eq!(coarse.alert.areas.len(), 5);
    assert!(coarse.alert.areas.iter().all(|c| c.as_str().len() == 4));
    assert_covers(&coarse, polygon_points(A2));
}

#[test]
fn a3_earthquake_update_with_a_point() {
    let d = import_after(A3, 60);
    let a = &d.alert;
    assert_eq!(parse(&sample(A3)).unwrap().msg_type, CapMsgType::Update);
    // The message it updates is not an Aviso alert: a new alert, said so.
    assert_eq!(a.msg_type, MsgType::Alert);
    assert!(d.warnings.contains(&Warning::UpdateBecameAlert));
    assert_eq!(d.unresolved_references.len(), 1);
    let r = &d.unresolved_references[0];
    assert_eq!(r.sender, "quakes@seismo.example.org");
    assert_eq!(r.identifier, "QK-20240407-0193.1");
    assert_eq!(r.sent, "2024-04-07T03:12:00-07:00");
    assert_eq!(a.category, Category::Geo);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Past, Severity::Minor, Certainty::Observed)
    );
    assert_eq!(
        a.info[0].headline,
        "M3.1 earthquake near Salt Wells (reviewed)"
    );
    // The sender name is folded onto one line in the source note.
    assert!(a.info[0].description.ends_with(
        "magnitude. No damage is expected.\n\nSource: Example Regional Seismic Network \
         (quakes@seismo.example.org)\nhttps://seismo.example.org/events/20240407-0193\n\
         CAP message: quakes@seismo.example.org,QK-20240407-0193.2,2024-04-07T03:31:00-07:00"
    ));
    assert_eq!(
        a.area_desc.as_deref(),
        Some("4 km NE of Salt Wells; 19 km S of Marble Ridge; 11 km W of the Gypsum Flats fault")
    );
    // A circle of radius 0 is a point: one cell.
    assert_eq!(a.areas, cells(&["9qkxp"]));
    assert_eq!(
        a.areas[0],
        Area::from_lat_lon(36.4123, -117.0871, 5).unwrap()
    );
    assert_eq!(d.ttl_secs, aviso_cap::import::DEFAULT_TTL_SECS);

    // Told which Aviso alert it updates, it stays an update.
    let mut opts = ImportOptions::new(t("2024-04-07T03:32:00-07:00"));
    opts.references = vec![id(5)];
    let u = import_xml(&sample(A3), &opts).unwrap();
    assert_eq!(u.alert.msg_type, MsgType::Update);
    assert_eq!(u.alert.references, vec![id(5)]);
    assert_eq!(u.alert.validate(), Ok(()));
}

#[test]
fn a4_child_abduction_in_two_languages() {
    let d = import_after(A4, 60);
    let a = &d.alert;
    assert_eq!(d.source.identifier, "ECPD-AMBER-20240915-2005");
    assert_eq!(a.category, Category::Rescue);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Immediate, Severity::Severe, Certainty::Likely)
    );
    let langs: Vec<&str> = a.info.iter().map(|i| i.lang.as_str()).collect();
    assert_eq!(langs, ["en-US", "es-US"]);
    assert_eq!(a.info[0].headline, "Amber Alert in Example County");
    assert_eq!(a.info[1].headline, "Alerta Amber en el condado de Ejemplo");
    assert!(a.info[1].description.starts_with(
        "MENOR: Jamie Example, niña de 6 años, 1,12 m, cabello castaño en dos\ntrenzas"
    ));
    assert!(a.info[1].description.ends_with(
        "con baúl en el techo.\n\nSource: Departamento de Policía de la Ciudad de Ejemplo \
         (amber@police.example.org)\n\
         CAP message: amber@police.example.org,ECPD-AMBER-20240915-2005,2024-09-15T20:05:00-07:00"
    ));
    assert_eq!(
        a.info[1].instruction,
        "Si ve a la menor o el vehículo, llame al 911. No se acerque."
    );
    assert_eq!(a.area_desc.as_deref(), Some("Example County"));
    // Areas named only by SAME (FIPS) county codes: no cells until the organizer adds some.
    assert!(a.areas.is_empty());
    assert_eq!(
        d.warnings,
        [
            Warning::NoExpiry,
            Warning::NoGeometry {
                geocodes: vec!["SAME".into()]
            },
            // One contact per language, each quoted.
            Warning::Contact(vec![
                "Example City Police, missing persons unit, 555-0142".into(),
                "Policía de la Ciudad de Ejemplo, unidad de personas desaparecidas, 555-0142"
                    .into()
            ]),
            Warning::Dropped(vec!["source", "eventCode", "event"]),
        ]
    );
    let mut opts = ImportOptions::new(t("2024-09-15T20:06:00-07:00"));
    opts.areas = cells(&["9q5", "9qh"]);
    let with_cells = import_xml(&sample(A4), &opts).unwrap();
    assert_eq!(with_cells.alert.areas, cells(&["9q5", "9qh"]));
    assert_eq!(with_cells.alert.validate(), Ok(()));
}

// ---- in the shapes of public feeds ----

#[test]
fn weather_service_bilingual_update_with_many_polygons() {
    let d = import_after(MET_UPDATE, 60);
    let a = &d.alert;
    assert_eq!(d.source.identifier, "urn:example:met:2024:0719:0144");
    assert_eq!(d.source.sender, "alerts@met.example.org");
    assert_eq!(a.category, Category::Met);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Immediate, Severity::Moderate, Certainty::Likely)
    );
    let langs: Vec<&str> = a.info.iter().map(|i| i.lang.as_str()).collect();
    assert_eq!(langs, ["en-CA", "fr-CA"]);
    assert_eq!(a.info[0].headline, "severe thunderstorm warning continued");
    assert_eq!(
        a.info[1].headline,
        "avertissement d'orages violents maintenu"
    );
    assert!(a.info[0].description.starts_with(
        "At 8:05 a.m. CST, radar showed a line of thunderstorms moving east at 40 km/h,\nable to produce"
    ));
    assert!(
        a.info[0]
            .description
            .contains("\n\nThe line stretches from Kestrel Lake to Pellow")
    );
    assert!(
        a.info[1]
            .instruction
            .starts_with("Rentrez à l'intérieur dès que le tonnerre gronde.")
    );
    // An update of four earlier messages, none of them Aviso alerts.
    assert_eq!(a.msg_type, MsgType::Alert);
    assert!(d.warnings.contains(&Warning::UpdateBecameAlert));
    let ids: Vec<&str> = d
        .unresolved_references
        .iter()
        .map(|r| r.identifier.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "urn:example:met:2024:0719:0101",
            "urn:example:met:2024:0719:0117",
            "urn:example:met:2024:0719:0126",
            "urn:example:met:2024:0719:0139",
        ]
    );
    assert!(
        d.unresolved_references
            .iter()
            .all(|r| r.sender == "alerts@met.example.org")
    );
    assert_eq!(d.expires_at, t("2024-07-19T20:12:30-00:00"));
    // Six municipal polygons (about 120 x 75 km) do not fit in 64 five-km cells:
    // coarsened to 24 cells of precision 4, and covered.
    assert_eq!(a.areas.len(), 24);
    assert!(a.areas.iter().all(|c| c.as_str().len() == 4));
    assert!(d.warnings.contains(&Warning::Coarsened {
        requested: 5,
        used: 4,
        cells: 24
    }));
    assert_covers(&d, polygon_points(MET_UPDATE));
    // Six area names joined are longer than an alert's place description: cut.
    let desc = a.area_desc.as_deref().unwrap();
    assert!(desc.starts_with(
        "R.M. of Aspen Hollow including Kestrel Lake and Dunmore Siding; R.M. of Coulee Bend"
    ));
    assert!(desc.ends_with('…') && desc.len() <= 256, "{desc}");
    assert!(d.warnings.contains(&Warning::Truncated {
        field: "area description",
        lang: "en-CA".into()
    }));
    assert_eq!(a.validate(), Ok(()));
}

#[test]
fn bilingual_all_clear() {
    let d = import_after(ALL_CLEAR, 60);
    let a = &d.alert;
    // Update + responseType AllClear is CAP's all-clear.
    assert_eq!(a.msg_type, MsgType::AllClear);
    assert!(a.references.is_empty());
    assert!(d.warnings.contains(&Warning::NeedsReferences));
    let ids: Vec<&str> = d
        .unresolved_references
        .iter()
        .map(|r| r.identifier.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "urn:example:met:2023:0611:0902",
            "urn:example:met:2023:0611:0915"
        ]
    );
    assert_eq!((a.urgency, a.severity), (Urgency::Past, Severity::Minor));
    let heads: Vec<&str> = a.info.iter().map(|i| i.headline.as_str()).collect();
    assert_eq!(
        heads,
        ["thunderstorm watch ended", "fin de la veille d'orages"]
    );
    // <instruction/> is no instruction.
    assert!(a.info.iter().all(|i| i.instruction.is_empty()));
    assert_eq!(
        a.area_desc.as_deref(),
        Some("Harrow Point - Elm Bay; Cedar Falls - Lake Vale Park")
    );
    assert_eq!(d.expires_at, t("2023-06-11T22:35:00-00:00"));
    // Two polygons, together about 60 x 35 km: more than 64 five-km cells, so six
    // cells of precision 4.
    assert!(d.warnings.contains(&Warning::Coarsened {
        requested: 5,
        used: 4,
        cells: 6
    }));
    assert_eq!(
        a.areas,
        cells(&["drb9", "drbc", "drbd", "drbf", "drc1", "drc4"])
    );
    assert_covers(&d, polygon_points(ALL_CLEAR));
    // Empty optional elements (<restriction/>, <addresses/>, <note/>, <incidents/>,
    // <contact/>) are absent, not dropped content.
    assert!(d.warnings.contains(&Warning::Dropped(vec![
        "source",
        "code",
        "audience",
        "effective",
        "event"
    ])));
    // With the Aviso alert it ends, it is complete.
    let mut opts = ImportOptions::new(t("2023-06-11T21:38:00-00:00"));
    opts.references = vec![id(9)];
    let d = import_xml(&sample(ALL_CLEAR), &opts).unwrap();
    assert_eq!(d.alert.msg_type, MsgType::AllClear);
    assert_eq!(d.alert.references, vec![id(9)]);
    assert_eq!(d.alert.validate(), Ok(()));
}

#[test]
fn meteoalarm_style_four_languages() {
    let d = import_after(METEO, 60);
    let a = &d.alert;
    let langs: Vec<&str> = a.info.iter().map(|i| i.lang.as_str()).collect();
    assert_eq!(langs, ["nl-BE", "fr-BE", "en-GB", "de-BE"]);
    assert_eq!(
        a.info[0].headline,
        "Gele waarschuwing voor wind in de provincie Luxemburg"
    );
    assert_eq!(
        a.info[3].headline,
        "Gelbe Warnung vor Wind in der Provinz Luxemburg"
    );
    assert_eq!(
        a.info[2].description,
        "Gusts up to 75 km/h over the Ardennes. Beware of falling branches.\n\nSource: \
         Example Weather Service (warnings@meteo.example.org)\nhttps://meteo.example.org/en/warnings\n\
         CAP message: warnings@meteo.example.org,2.49.0.0.999.0.EX.20240815061500.7734,\
         2024-08-15T06:15:00+02:00"
    );
    assert_eq!(a.category, Category::Met);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Future, Severity::Moderate, Certainty::Likely)
    );
    assert_eq!(a.onset, Some(t("2024-08-15T12:00:00+02:00")));
    assert_eq!(d.expires_at, t("2024-08-15T22:00:00+02:00"));
    assert_eq!(a.msg_type, MsgType::Alert);
    assert_eq!(d.unresolved_references.len(), 1);
    assert_eq!(
        d.unresolved_references[0].identifier,
        "2.49.0.0.999.0.EX.20240814180000.7711"
    );
    assert_eq!(a.area_desc.as_deref(), Some("Luxemburg"));
    assert_eq!(
        d.warnings,
        [
            Warning::UpdateBecameAlert,
            Warning::NoGeometry {
                geocodes: vec!["NUTS2".into()]
            },
            Warning::ResponseTypes(vec!["Monitor"]),
            Warning::Dropped(vec!["effective", "parameter", "event"]),
        ]
    );
}

#[test]
fn bare_cancel_with_a_signature() {
    let d = import_after(CANCEL, 60);
    let a = &d.alert;
    assert_eq!(a.msg_type, MsgType::Cancel);
    assert_eq!(a.status, Status::Actual);
    assert!(a.info.is_empty());
    // No <info>: nothing to classify it by until the alert it ends is known.
    assert_eq!(
        (a.category, a.severity),
        (Category::Other, Severity::Unknown)
    );
    assert_eq!(d.source.sender, "ops@county-alerts.example.org");
    assert_eq!(d.unresolved_references.len(), 1);
    assert_eq!(
        d.unresolved_references[0].identifier,
        "EXCO-1b6e0d44-93c2-4f17-a8d5-60e2b9f3c1aa"
    );
    assert_eq!(d.unresolved_references[0].sent, "2024-02-10T06:55:03-07:00");
    // The ds:Signature (a foreign namespace) is skipped, not reported.
    assert_eq!(
        d.warnings,
        [
            Warning::NeedsReferences,
            Warning::NoExpiry,
            Warning::NoGeometry { geocodes: vec![] },
            // The agency's signature is noticed and said to be unverified.
            Warning::SignatureNotVerified,
            Warning::Dropped(vec!["source", "code"]),
        ]
    );
    // Not yet valid: it names no Aviso alert and no area.
    assert!(a.validate().is_err());
    let mut opts = ImportOptions::new(t("2024-02-10T07:49:12-07:00"));
    opts.references = vec![id(4)];
    opts.areas = cells(&["9x0"]);
    let done = import_xml(&sample(CANCEL), &opts).unwrap();
    assert_eq!(done.alert.references, vec![id(4)]);
    assert_eq!(done.alert.validate(), Ok(()));
}

#[test]
fn tsunami_update_with_onset() {
    let d = import_after(TSUNAMI, 60);
    let a = &d.alert;
    assert_eq!(d.source.sender, "https://tsunami.example.org/");
    assert_eq!(a.category, Category::Geo);
    assert_eq!(
        (a.urgency, a.severity, a.certainty),
        (Urgency::Immediate, Severity::Extreme, Certainty::Likely)
    );
    assert_eq!(a.onset, Some(t("2024-11-03T08:14:20-00:00")));
    assert_eq!(d.expires_at, t("2024-11-03T09:14:20-00:00"));
    assert_eq!(a.info[0].lang, "en-US");
    assert_eq!(
        a.info[0].headline,
        "Tsunami warning remains in effect for the coast from Cape Grenville to Seal Point, \
         including the Otter Islands"
    );
    assert!(
        a.info[0]
            .instruction
            .starts_with("Move now to high ground or inland")
    );
    assert!(a.info[0].description.ends_with(
        "\n\nSource: Example Tsunami Warning Centre (https://tsunami.example.org/)\n\
         https://tsunami.example.org/events/k7q2mz/3\n\
         CAP message: https://tsunami.example.org/,TSU-EX-3-k7q2mz,2024-11-03T08:14:20-00:00"
    ));
    assert_eq!(a.msg_type, MsgType::Alert);
    assert_eq!(d.unresolved_references.len(), 1);
    assert_eq!(d.unresolved_references[0].sender, "TSUEX");
    assert_eq!(d.unresolved_references[0].identifier, "TSU-EX-2-k7q2mz");
    assert_eq!(
        d.warnings,
        [
            Warning::UpdateBecameAlert,
            Warning::NoGeometry {
                geocodes: vec!["UGC".into()]
            },
            // "Evacuate" changes what people do: spelled out, not one word in a list.
            Warning::ResponseTypes(vec!["Evacuate"]),
            Warning::Dropped(vec!["source", "code", "incidents", "parameter", "event"]),
        ]
    );
}

#[test]
fn prefixed_namespace_circle_and_duplicate_language() {
    let d = import_after(FIRE, 60);
    let a = &d.alert;
    assert_eq!(
        d.source.identifier,
        "tag:fire.example.org,2024-12-02:incident-5521"
    );
    assert_eq!(a.category, Category::Fire);
    assert!(d.warnings.contains(&Warning::ExtraCategories));
    assert!(
        d.warnings
            .contains(&Warning::DuplicateLanguage("en-AU".into()))
    );
    assert_eq!(a.info.len(), 1);
    assert_eq!(a.info[0].headline, "Wattle Gully grass fire");
    assert_eq!(
        a.info[0].instruction,
        "Prepare to leave if the fire approaches. Keep up to date."
    );
    // Escaped markup in the description stays text.
    assert!(
        a.info[0].description.starts_with(
            "ALERT LEVEL: Watch and Act<br />LOCATION: Kellet Road, Wattle Gully<br />"
        )
    );
    assert_eq!(d.expires_at, t("2024-12-03T15:20:00+11:00"));
    // A 25 km circle (given twice): too many 5 km cells, so 6 cells of precision 4
    // around the centre.
    assert!(d.warnings.contains(&Warning::Coarsened {
        requested: 5,
        used: 4,
        cells: 6
    }));
    assert_eq!(
        a.areas,
        cells(&["r383", "r386", "r387", "r389", "r38d", "r38e"])
    );
    let centre = Area::from_lat_lon(-36.121, 146.883, 6).unwrap();
    assert!(a.areas.iter().any(|c| c.covers(&centre)));
    assert_eq!(a.area_desc.as_deref(), Some("Wattle Gully and surrounds"));
    assert_eq!(a.validate(), Ok(()));
}

#[test]
fn expired_messages_and_long_expiries() {
    // Imported long after it expired: the default life, flagged.
    let xml = sample(A2);
    let d = import_xml(&xml, &ImportOptions::new(1_800_000_000)).unwrap();
    assert!(d.expired);
    assert_eq!(d.ttl_secs, aviso_cap::import::DEFAULT_TTL_SECS);
    assert!(d.warnings.contains(&Warning::Expired {
        at: CapTime::parse("2024-05-21T17:45:00-06:00").unwrap()
    }));
    // An explicit life wins, clamped to 30 days.
    let mut opts = ImportOptions::new(1_800_000_000);
    opts.expires_in = Some(90 * 86_400);
    let d = import_xml(&xml, &opts).unwrap();
    assert_eq!(d.ttl_secs, 30 * 86_400);
    assert!(
        d.warnings
            .contains(&Warning::ExpiryClamped { max_days: 30 })
    );
    // An expiry two months out is clamped too.
    let far = xml.replace("2024-05-21T17:45:00-06:00", "2024-07-21T17:45:00-06:00");
    assert_ne!(far, xml);
    let d = import_xml(&far, &ImportOptions::new(t("2024-05-21T16:50:00-06:00"))).unwrap();
    assert_eq!(d.ttl_secs, 30 * 86_400);
}
