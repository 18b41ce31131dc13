//! Server time to render the alerts page for a feed of 500 items, beside the time to
//! compute that feed from its signed envelopes (the display rule): the reference.
//!
//! `cargo bench -p aviso-web --bench render`

use askama::Template;
use aviso_protocol::fixtures::{self, DAY, HOUR, NOW, key};
use aviso_protocol::{Body, Category, FeedSettings, Role, Severity, compute_feed};
use aviso_web::i18n::Tr;
use aviso_web::pages::{AlertsPage, Frame};
use aviso_web::view::{self, Context, Places};
use criterion::{Criterion, criterion_group, criterion_main};

/// 400 alerts and 100 reports from one organizer and one member.
fn envelopes() -> (Vec<aviso_protocol::Envelope>, FeedSettings) {
    let root = key(1);
    let org = key(2);
    let member = key(3);
    let community = fixtures::community(&root, 9, "Mission rapid response");
    let list = fixtures::trust_list(
        "Mission rapid response",
        1,
        vec![
            fixtures::entry(org.public(), Role::Organizer, "Ana"),
            fixtures::entry(member.public(), Role::Member, "Luis"),
        ],
    );
    let mut envs = vec![fixtures::sign(
        &root,
        community.id,
        &Body::TrustList(list),
        NOW - DAY,
        300 * DAY,
    )];
    for i in 0..400u64 {
        let mut a = fixtures::raid(
            &format!("Raid number {i}"),
            "Agents at the corner",
            "Do not open the door.",
        );
        a.severity = [Severity::Extreme, Severity::Severe, Severity::Moderate][(i % 3) as usize];
        envs.push(fixtures::sign(
            &org,
            community.id,
            &Body::Alert(a),
            NOW - i * 60,
            12 * HOUR,
        ));
    }
    for i in 0..100u64 {
        let r = fixtures::report(
            Category::Patrol,
            &["9q8yy"],
            NOW - i * 60,
            "es",
            "Dos camionetas",
        );
        envs.push(fixtures::sign(
            &member,
            community.id,
            &Body::Report(r),
            NOW - i * 60,
            6 * HOUR,
        ));
    }
    let settings = FeedSettings {
        follow: vec![root.public()],
        areas: vec![],
        languages: vec!["es".into(), "en".into()],
    };
    (envs, settings)
}

fn bench(c: &mut Criterion) {
    let (envs, settings) = envelopes();
    let feed = compute_feed(&envs, &settings, NOW);
    assert_eq!(
        feed.alerts.iter().filter(|a| a.shown).count(),
        400,
        "every alert shown"
    );
    let tr = Tr::new("es");
    let places = Places::default();
    let render = || {
        let cx = Context {
            tr: &tr,
            now: NOW,
            languages: vec!["es".into(), "en".into()],
            community: "Mission rapid response".into(),
            places: places.clone(),
            areas: &[],
        };
        let v = view::alerts(&cx, &feed);
        AlertsPage {
            frame: Frame::new(&tr, "alerts", "/"),
            view: &v,
            areas_set: false,
        }
        .render()
        .expect("renders")
    };
    let html = render();
    eprintln!("alerts page for 500 items: {} bytes of HTML", html.len());
    let mut g = c.benchmark_group("alerts_page_500_items");
    g.sample_size(20);
    g.bench_function("compute_feed (reference)", |b| {
        b.iter(|| compute_feed(&envs, &settings, NOW))
    });
    g.bench_function("render (view + template)", |b| b.iter(render));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
