//! Every page renders in every shipped language from a real feed (signed envelopes
//! through the protocol's display rule), and every language has every message.

use std::collections::BTreeSet;
use std::path::PathBuf;

use askama::Template;
use aviso_protocol::*;
use aviso_web::i18n::{LANGUAGES, Tr};
use aviso_web::pages::*;
use aviso_web::view::{self, Context, HelpFilter, Places};

const NOW: u64 = 1_800_000_000;

fn key(n: u8) -> SecretKey {
    aviso_protocol::fixtures::key(n)
}

fn area(s: &str) -> Area {
    Area::parse(s).expect("fixture area")
}

fn info(lang: &str, headline: &str, instruction: &str) -> Info {
    Info {
        lang: lang.into(),
        headline: headline.into(),
        description: String::new(),
        instruction: instruction.into(),
    }
}

/// A community with a root, an organizer, a member, alerts in three languages, a
/// cancelled alert, a report and two resources.
fn sample_feed() -> Feed {
    let community = CommunityId([42; 32]);
    let (root, org, member) = (key(1), key(2), key(3));
    let sign = |sk: &SecretKey, body: Body, at: u64, ttl: u64| {
        Envelope::sign(sk, community, &body, at, at + ttl).expect("fixture signs")
    };
    let entry = |sk: &SecretKey, role, label: &str| TrustEntry {
        key: sk.public(),
        role,
        label: label.into(),
        areas: vec![],
        categories: vec![],
        expires_at: None,
    };
    let list = TrustList {
        name: "Mission rapid response".into(),
        version: 1,
        entries: vec![
            entry(&org, Role::Organizer, "Ana R."),
            entry(&member, Role::Member, "member"),
        ],
        revoked: vec![],
        thresholds: vec![],
        delegates: vec![],
    };
    let alert = |category, severity, msg_type, references: Vec<Id>, info: Vec<Info>| Alert {
        category,
        severity,
        urgency: Urgency::Immediate,
        certainty: Certainty::Observed,
        status: Status::Actual,
        msg_type,
        references,
        areas: vec![area("9q8yy")],
        area_desc: Some("24th St BART".into()),
        onset: None,
        info,
        confirms: vec![],
    };
    let raid = sign(
        &org,
        Body::Alert(alert(
            Category::Raid,
            Severity::Extreme,
            MsgType::Alert,
            vec![],
            vec![
                info(
                    "es",
                    "Redada en la calle 24",
                    "No abra la puerta. Llame a la línea: 415-200-1548.",
                ),
                info(
                    "en",
                    "Raid on 24th Street",
                    "Do not open the door. Call the hotline: 415-200-1548.",
                ),
                info(
                    "ar",
                    "مداهمة في الشارع 24",
                    "لا تفتح الباب. اتصل بالخط الساخن.",
                ),
            ],
        )),
        NOW - 300,
        6 * 3600,
    );
    let checkpoint = sign(
        &org,
        Body::Alert(alert(
            Category::Checkpoint,
            Severity::Moderate,
            MsgType::Alert,
            vec![],
            vec![info(
                "en",
                "Checkpoint on Mission St",
                "Carry your know-your-rights card.",
            )],
        )),
        NOW - 4000,
        6 * 3600,
    );
    let wrong = sign(
        &org,
        Body::Alert(alert(
            Category::Patrol,
            Severity::Severe,
            MsgType::Alert,
            vec![],
            vec![info(
                "en",
                "Agents at Valencia and 16th",
                "Avoid the corner.",
            )],
        )),
        NOW - 7000,
        6 * 3600,
    );
    let cancel = sign(
        &org,
        Body::Alert(alert(
            Category::Patrol,
            Severity::Severe,
            MsgType::Cancel,
            vec![wrong.id()],
            vec![],
        )),
        NOW - 6000,
        6 * 3600,
    );
    let report = sign(
        &member,
        Body::Report(Report {
            category: Category::Patrol,
            areas: vec![area("9q8yv")],
            seen_at: NOW - 600,
            note: Some(ReportText {
                lang: "es".into(),
                text: "Dos camionetas blancas frente a la escuela".into(),
            }),
        }),
        NOW - 590,
        6 * 3600,
    );
    let resource = |key: &str, kind, name: &str, free, phone: Option<&str>| Resource {
        resource_key: key.into(),
        kind,
        info: vec![ResourceInfo {
            lang: "en".into(),
            name: name.into(),
            description: "Free consultations for immigrants, in Spanish and English.".into(),
            hours: "Mon–Fri 9:00–17:00".into(),
        }],
        phone: phone.map(Into::into),
        url: Some("https://legal.example/".into()),
        address: Some("2301 Mission St".into()),
        areas: vec![area("9q8y")],
        languages_spoken: vec!["es".into(), "en".into()],
        free,
        no_id_required: true,
        confidential: true,
        walk_in: false,
        starts_at: None,
        ends_at: None,
    };
    let legal = sign(
        &org,
        Body::Resource(resource(
            "legal",
            ResourceKind::LegalAid,
            "Mission Legal Clinic",
            true,
            Some("+1 415 555 0100"),
        )),
        NOW - 86_400,
        30 * 86_400,
    );
    let line = sign(
        &org,
        Body::Resource(resource(
            "line",
            ResourceKind::Helpline,
            "Rapid response hotline",
            false,
            Some("415-200-1548"),
        )),
        NOW - 86_400,
        30 * 86_400,
    );
    let trust = sign(&root, Body::TrustList(list), NOW - 90_000, 300 * 86_400);
    let settings = FeedSettings {
        follow: vec![root.public()],
        areas: vec![],
        languages: vec!["es".into(), "en".into()],
    };
    compute_feed(
        &[trust, raid, checkpoint, wrong, cancel, report, legal, line],
        &settings,
        NOW,
    )
}

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web-pages");
    std::fs::create_dir_all(&dir).expect("output folder");
    dir
}

fn render_all(tr: &Tr, feed: &Feed) -> Vec<(&'static str, String)> {
    let places = Places(vec![(area("9q8yy"), "Mission / 24th St".into())]);
    let langs = vec![tr.tag().to_owned(), "en".to_owned()];
    let cx = Context {
        tr,
        now: NOW,
        languages: langs,
        community: "Mission rapid response".into(),
        places,
        areas: &[],
    };
    let alerts = view::alerts(&cx, feed);
    let first = alerts.alerts[0].clone();
    let cards = view::resources(&cx, feed, &HelpFilter::default());
    let mut out = vec![
        (
            "alerts",
            AlertsPage {
                frame: Frame::new(tr, "alerts", "/"),
                view: &alerts,
                areas_set: false,
            }
            .render()
            .expect("renders"),
        ),
        (
            "alert",
            AlertPage {
                frame: Frame::new(tr, "alert", "/alerts/x"),
                respond: aviso_web::respond::answer_box(tr, &first, true),
                a: &first,
            }
            .render()
            .expect("renders"),
        ),
        (
            "report",
            ReportPage {
                frame: Frame::new(tr, "report", "/report"),
                form: ReportForm {
                    text: "<script>alert(1)</script>".into(),
                    errors: vec![FieldError {
                        field: "area",
                        message: tr.t("error-category"),
                    }],
                    ..ReportForm::default()
                },
                categories: vec![("raid", view::category(tr, Category::Raid))],
                places: vec![("9q8yy".into(), "Mission / 24th St".into())],
                sent: None,
                locked: true,
            }
            .render()
            .expect("renders"),
        ),
        (
            "help",
            HelpPage {
                frame: Frame::new(tr, "help", "/help"),
                filter: HelpFilter::default(),
                kinds: view::KINDS
                    .iter()
                    .map(|k| (k.name(), tr.t(&format!("kind-{}", k.name()))))
                    .collect(),
                spoken: vec![("es".into(), "Español".into())],
                cards,
            }
            .render()
            .expect("renders"),
        ),
        (
            "settings",
            SettingsPage {
                frame: Frame::new(tr, "settings", "/settings"),
                form: SettingsForm {
                    languages: "es, en".into(),
                    places: vec![("9q8yy".into(), "Mission / 24th St".into(), true)],
                    ..SettingsForm::default()
                },
                follows: vec![("Mission rapid response".into(), "ab12 cd34".into())],
                saved: true,
                devices: Some(aviso_web::lan::Devices {
                    pairing: true,
                    rows: vec![aviso_web::lan::DeviceRow {
                        id: "3fa9c01e".into(),
                        name: "<script>alert(1)</script>".into(),
                        when: tr.args(
                            "devices-when",
                            &[
                                ("paired", aviso_web::i18n::Arg::Str(tr.t("time-just-now"))),
                                ("seen", aviso_web::i18n::Arg::Str(tr.t("time-just-now"))),
                            ],
                        ),
                    }],
                }),
            }
            .render()
            .expect("renders"),
        ),
        (
            "pair-code",
            aviso_web::lan::PairCodePage {
                frame: Frame::new(tr, "settings", "/settings"),
                url: Some("https://198.51.100.7:7448/pair#k3v9-2qxd-8h4m-pz6t".into()),
                code: "k3v9-2qxd-8h4m-pz6t".into(),
                qr_svg: r#"<svg role="img" aria-label="QR" class="qr" viewBox="0 0 1 1"></svg>"#
                    .into(),
                fingerprint: "AB12 CD34".into(),
                minutes: 10,
            }
            .render()
            .expect("renders"),
        ),
        (
            "status",
            StatusPage {
                frame: Frame::new(tr, "status", "/status"),
                community: "Mission rapid response".into(),
                connected: tr.n("status-connected", "peers", 3),
                catch_up: tr.s("status-catch-up", "ago", &cx.ago(NOW - 120)),
                reach: "reachable through relay".into(),
            }
            .render()
            .expect("renders"),
        ),
        (
            "signin",
            SigninPage {
                frame: Frame::new(tr, "signin", "/signin"),
                used: true,
            }
            .render()
            .expect("renders"),
        ),
        (
            "pair",
            aviso_web::lan::PairPage {
                frame: Frame::new(tr, "pair", "/pair"),
                error: Some(tr.t("pair-refused")),
                fingerprint: "AB CD EF".into(),
                name: "Android".into(),
            }
            .render()
            .expect("renders"),
        ),
        (
            "unlock",
            UnlockPage {
                frame: Frame::new(tr, "unlock", "/unlock"),
                intro: tr.n("unlock-intro", "minutes", 15),
                form: UnlockForm::default(),
                back: "/report".into(),
            }
            .render()
            .expect("renders"),
        ),
    ];
    out.push((
        "fragment",
        AlertsFragment {
            frame: Frame::new(tr, "alerts", "/"),
            view: &alerts,
            areas_set: false,
        }
        .render()
        .expect("renders"),
    ));
    out
}

#[test]
fn every_page_renders_in_every_language() {
    let feed = sample_feed();
    let dir = out_dir();
    for lang in LANGUAGES {
        let tr = Tr::new(lang.tag);
        for (page, html) in render_all(&tr, &feed) {
            // No message key leaked through untranslated, no template left unfilled.
            assert!(
                !html.contains("{{") && !html.contains("{%"),
                "{page} {}",
                lang.tag
            );
            // Network text is escaped, never markup.
            assert!(!html.contains("<script>alert"), "{page} {}", lang.tag);
            std::fs::write(dir.join(format!("{}-{page}.html", lang.tag)), &html).expect("write");
        }
    }
    let ar = std::fs::read_to_string(dir.join("ar-alerts.html")).expect("read");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
}

#[test]
fn alerts_page_shows_trusted_alerts_and_keeps_reports_apart() {
    let feed = sample_feed();
    let tr = Tr::new("en");
    let pages = render_all(&tr, &feed);
    let alerts = &pages[0].1;
    // The raid, in the member's first language, with its severity in words.
    assert!(alerts.contains("Raid on 24th Street"));
    assert!(alerts.contains("Extreme danger"));
    assert!(alerts.contains("Verified by one organizer of Mission rapid response"));
    // The cancelled alert is not among the alerts, but in the withdrawn list with why.
    let (live, rest) = alerts.split_once("h-ended").expect("withdrawn list");
    assert!(!live.contains("Agents at Valencia"));
    assert!(rest.contains("Agents at Valencia") && rest.contains("Cancelled"));
    // The report is under the unverified heading, never among alerts.
    let reports_at = alerts.find("Unverified reports").expect("reports");
    let report_at = alerts.find("Dos camionetas").expect("report");
    assert!(report_at > reports_at);
}

/// Every `.ftl` file of English (`main.ftl`, and one per part of the app, such as the
/// organizer desk's) exists in every language, with the same messages.
#[test]
fn every_language_has_every_message() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("locales");
    let ids = |tag: &str, file: &str| -> BTreeSet<String> {
        let text = std::fs::read_to_string(root.join(tag).join(file))
            .unwrap_or_else(|e| panic!("locales/{tag}/{file}: {e}"));
        text.lines()
            .filter_map(|l| l.split_once(" ="))
            .map(|(id, _)| id.to_owned())
            .filter(|id| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            })
            .collect()
    };
    let files = |tag: &str| -> BTreeSet<String> {
        std::fs::read_dir(root.join(tag))
            .unwrap_or_else(|e| panic!("locales/{tag}: {e}"))
            .map(|entry| entry.expect("a locale file").file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".ftl"))
            .collect()
    };
    let english_files = files("en");
    assert!(english_files.contains("main.ftl"));
    for lang in LANGUAGES {
        assert_eq!(files(lang.tag), english_files, "{}: .ftl files", lang.tag);
        for file in &english_files {
            let english = ids("en", file);
            let have = ids(lang.tag, file);
            let missing: Vec<_> = english.difference(&have).collect();
            let extra: Vec<_> = have.difference(&english).collect();
            assert!(missing.is_empty(), "{}/{file} lacks {missing:?}", lang.tag);
            assert!(
                extra.is_empty(),
                "{}/{file} has unknown {extra:?}",
                lang.tag
            );
        }
    }
}

/// The label of a list owner's own key is a word of the protocol ("list owner"): the
/// pages show it in the page's language, not in English.
#[test]
fn the_list_owner_label_is_translated() {
    let mut feed = sample_feed();
    let item = feed
        .alerts
        .iter_mut()
        .find(|a| a.shown)
        .expect("a shown alert");
    item.author_label = Some(aviso_protocol::trust::OWNER_LABEL.into());
    for lang in LANGUAGES.iter().filter(|l| l.tag != "en") {
        let tr = Tr::new(lang.tag);
        let cx = Context {
            tr: &tr,
            now: NOW,
            languages: vec![lang.tag.into()],
            community: "Mission rapid response".into(),
            places: Places::default(),
            areas: &[],
        };
        let signers: Vec<String> = view::alerts(&cx, &feed)
            .alerts
            .into_iter()
            .filter_map(|c| c.signers)
            .collect();
        let words = tr.t("label-list-owner");
        assert!(
            signers.iter().any(|s| s.contains(&words))
                && !signers.iter().any(|s| s.contains("list owner")),
            "{}: {signers:?}",
            lang.tag
        );
    }
}
