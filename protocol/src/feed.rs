//! The display rule and the feed: what one member sees, computed from stored envelopes.
//!
//! Pure: the same envelopes, settings and `now` always give the same feed, whatever the
//! order the envelopes arrived in. Lifecycle messages (cancels, all-clears, retractions,
//! endorsements) keep their effect after they expire, so an ended alert stays ended.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::area::{Area, any_overlap};
use crate::lang::choose_lang;
use crate::trust::TrustView;
use crate::verdict::{Reason, Verdict};
use crate::{
    Alert, Body, Category, Envelope, Id, Info, MsgType, PublicKey, Report, Resource, ResourceInfo,
    RetractReason, Role,
};

/// What the member chose: whose lists to follow, where, in which languages.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedSettings {
    /// List owners the member follows (by default the community's roots).
    pub follow: Vec<PublicKey>,
    /// Areas of interest; empty means everywhere.
    pub areas: Vec<Area>,
    /// Preferred languages, most preferred first.
    pub languages: Vec<String>,
}

/// An alert as the member sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertItem {
    /// Envelope id.
    pub id: Id,
    /// The first alert of its update chain.
    pub thread: Id,
    /// Signer.
    pub author: PublicKey,
    /// The signer's label on the member's lists.
    pub author_label: Option<String>,
    /// Organizers whose endorsements count.
    pub endorsers: Vec<PublicKey>,
    /// Their labels on the member's lists, in the order of `endorsers`.
    #[serde(default)]
    pub endorser_labels: Vec<Option<String>>,
    /// Valid signatures (author and endorsers).
    pub signatures: u8,
    /// Signatures the category needs.
    pub needed: u8,
    /// Creation time.
    pub created_at: u64,
    /// Expiry time.
    pub expires_at: u64,
    /// The text block chosen for the member's languages.
    pub text: Option<Info>,
    /// The whole alert, every language.
    pub alert: Alert,
    /// Whether it is shown as a trusted alert.
    pub shown: bool,
    /// Why not, or how it ended.
    pub reasons: Vec<Reason>,
}

/// Where a report stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReportState {
    /// Nobody has confirmed or dismissed it yet.
    Unverified,
    /// A trusted alert confirms it.
    Confirmed {
        /// The alert.
        by: Id,
    },
    /// Withdrawn by its author or dismissed by an organizer.
    Dismissed {
        /// Who.
        by: PublicKey,
        /// Why.
        why: RetractReason,
    },
}

/// A report as the member sees it: always apart from alerts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportItem {
    /// Envelope id.
    pub id: Id,
    /// Sender.
    pub author: PublicKey,
    /// The sender's label on the member's lists.
    pub author_label: Option<String>,
    /// Creation time.
    pub created_at: u64,
    /// Expiry time.
    pub expires_at: u64,
    /// The report.
    pub report: Report,
    /// Unverified, confirmed or dismissed.
    pub state: ReportState,
    /// Whether it is shown in the unverified view.
    pub shown: bool,
    /// Why not.
    pub reasons: Vec<Reason>,
}

/// A resource notice as the member sees it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceItem {
    /// Envelope id.
    pub id: Id,
    /// Signer.
    pub author: PublicKey,
    /// The signer's label on the member's lists.
    pub author_label: Option<String>,
    /// Creation time.
    pub created_at: u64,
    /// Expiry time.
    pub expires_at: u64,
    /// The text block chosen for the member's languages.
    pub text: Option<ResourceInfo>,
    /// The whole notice.
    pub resource: Resource,
    /// Whether it is shown.
    pub shown: bool,
    /// Why not.
    pub reasons: Vec<Reason>,
}

/// Everything a member could see, shown items first; hidden ones carry their reasons.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Feed {
    /// Alerts: shown first, then by severity, newest first.
    pub alerts: Vec<AlertItem>,
    /// Reports, newest first.
    pub reports: Vec<ReportItem>,
    /// Resources, by kind and name.
    pub resources: Vec<ResourceItem>,
    /// Names of area cells, one per named cell, by cell ([`crate::place`]). Place
    /// notices are resources on the wire; they appear here, not in `resources`.
    #[serde(default)]
    pub places: Vec<crate::place::NamedPlace>,
    /// Answers to the alerts shown (apart from the member's areas), one tally per alert
    /// thread that has any, by thread id: counts only, no keys ([`crate::response`]).
    #[serde(default)]
    pub responses: Vec<crate::response::ResponseTally>,
}

impl Feed {
    /// Only what is shown.
    pub fn shown(mut self) -> Feed {
        self.alerts.retain(|a| a.shown);
        self.reports.retain(|r| r.shown);
        self.resources.retain(|r| r.shown);
        self
    }

    /// Choose every text block again for a member who reads `languages` (most preferred
    /// first), e.g. for a one-off `--lang`.
    pub fn relang<S: AsRef<str>>(&mut self, languages: &[S]) {
        for a in &mut self.alerts {
            a.text = alert_text(&a.alert, languages);
        }
        for r in &mut self.resources {
            r.text = resource_text(&r.resource, languages);
        }
    }
}

/// The text block of `a` for a member who reads `languages`, most preferred first.
pub fn alert_text<S: AsRef<str>>(a: &Alert, languages: &[S]) -> Option<Info> {
    let langs: Vec<&str> = a.info.iter().map(|i| i.lang.as_str()).collect();
    choose_lang(languages, &langs).and_then(|k| a.info.get(k).cloned())
}

/// The text block of `r` for a member who reads `languages`, most preferred first.
pub fn resource_text<S: AsRef<str>>(r: &Resource, languages: &[S]) -> Option<ResourceInfo> {
    let langs: Vec<&str> = r.info.iter().map(|i| i.lang.as_str()).collect();
    choose_lang(languages, &langs).and_then(|k| r.info.get(k).cloned())
}

/// Union-find over alert indices, for update chains.
struct Threads(Vec<usize>);

impl Threads {
    fn root(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    /// Join `update` to the thread of the `target` it names. The target's root stays the
    /// root, so a thread is named by its first alert even when an update carries the same
    /// second (and so may sort before it).
    fn join(&mut self, update: usize, target: usize) {
        let (ru, rt) = (self.root(update), self.root(target));
        if ru != rt {
            self.0[ru] = rt;
        }
    }
}

/// Compute what a member sees. `envelopes` must be signature-checked (they come from the
/// store, whose only door is the validation pipeline).
pub fn compute_feed(envelopes: &[Envelope], settings: &FeedSettings, now: u64) -> Feed {
    compute_feed_seen(envelopes, settings, now, &|_| None)
}

/// [`compute_feed`] on a node that knows when it first saw each envelope (`first_seen`,
/// unix seconds): against a revocation with `since` > 0, a message counts as made at
/// [`crate::trust::judged_created_at`], the later of its `created_at` and its first
/// sighting, so a stolen key cannot backdate new messages before `since`.
pub fn compute_feed_seen(
    envelopes: &[Envelope],
    settings: &FeedSettings,
    now: u64,
    first_seen: &dyn Fn(&Id) -> Option<u64>,
) -> Feed {
    let trust = TrustView::build(&settings.follow, envelopes, now);
    // Only a revocation with `since` > 0 looks at first sightings (and only then is the
    // node asked for them).
    let made = |e: &Envelope| match trust.revocation(&e.author()) {
        Some(since) if since > 0 => {
            crate::trust::judged_created_at(e.created_at(), first_seen(&e.id()))
        }
        _ => e.created_at(),
    };
    let mut endorsements: HashMap<Id, Vec<&Envelope>> = HashMap::new();
    let mut retractions: HashMap<Id, Vec<(&Envelope, RetractReason)>> = HashMap::new();
    let mut alerts: Vec<(&Envelope, &Alert)> = Vec::new();
    let mut reports: Vec<(&Envelope, &Report)> = Vec::new();
    let mut resources: Vec<(&Envelope, &Resource)> = Vec::new();
    let mut responses: Vec<(&Envelope, &crate::Response)> = Vec::new();
    for env in envelopes {
        match env.body() {
            Body::Alert(a) => alerts.push((env, a)),
            Body::Report(r) => reports.push((env, r)),
            Body::Resource(r) => resources.push((env, r)),
            Body::Endorsement(e) => endorsements.entry(e.alert).or_default().push(env),
            Body::Retraction(r) => retractions
                .entry(r.target)
                .or_default()
                .push((env, r.reason)),
            Body::Response(r) => responses.push((env, r)),
            Body::TrustList(_) => {}
        }
    }
    let report_index: HashMap<Id, &Report> = reports.iter().map(|(e, r)| (e.id(), *r)).collect();
    // Oldest first, so thread roots are first alerts and output order is stable.
    alerts.sort_by_key(|(e, _)| (e.created_at(), e.id()));

    // Who may end or replace a message: its author, or an organizer whose scope covers it.
    // Judged when the actor acted: a cancel keeps its effect after the canceller's list
    // entry lapses (revocation still voids it, through `authorize`).
    let may_act_on = |actor: &Envelope, target: &Envelope, areas: &[Area], cat| {
        actor.author() == target.author()
            || trust
                .authorize(
                    actor.author(),
                    Role::Organizer,
                    areas,
                    cat,
                    made(actor),
                    actor.created_at(),
                )
                .is_ok()
    };
    // Signatures toward a threshold count once per voucher (`TrustView::voucher`): one
    // delegate cannot meet a threshold alone with keys it listed itself.
    let voucher_of = |key: PublicKey, areas: &[Area], cat, created_at: u64, judged_at: u64| {
        trust
            .authorize(key, Role::Organizer, areas, cat, created_at, judged_at)
            .ok()
            .map(|g| trust.voucher(key, g))
    };
    // The signatures with which `actor` (an update, cancel, all-clear or retraction) acts
    // on `target`: its author and the organizers endorsing it, each counted when it has
    // authority over the *target* (its author, or an organizer in the target's scope),
    // judged when it signed, once per voucher. Co-signers in the actor's own scope only
    // (a `fire`-only key endorsing a cancel of a raid alert) count for nothing.
    let acting_signatures = |actor: &Envelope, target: &Envelope, areas: &[Area], cat| -> u8 {
        if !may_act_on(actor, target, areas, cat) {
            return 0;
        }
        // The target's own author acts with one signature even outside its scope now.
        let mut vouchers: Vec<PublicKey> = vec![
            voucher_of(actor.author(), areas, cat, made(actor), actor.created_at())
                .unwrap_or(actor.author()),
        ];
        for e in endorsements.get(&actor.id()).into_iter().flatten() {
            if e.author() != actor.author()
                && may_act_on(e, target, areas, cat)
                && let Some(v) = voucher_of(e.author(), areas, cat, made(e), e.created_at())
                && !vouchers.contains(&v)
            {
                vouchers.push(v);
            }
        }
        u8::try_from(vouchers.len()).unwrap_or(u8::MAX)
    };
    // A retraction counts when its author may act on the target with the signatures the
    // target needs (for an alert, what its whole update thread needs): one stolen key
    // cannot silence a co-signed alert.
    let retraction_counts = |r: &Envelope, target: &Envelope, areas: &[Area], cat, needed: u8| {
        acting_signatures(r, target, areas, cat) >= needed.max(1)
    };
    let retracted_by = |target: &Envelope, areas: &[Area], cat, needed: u8| {
        retractions.get(&target.id()).and_then(|rs| {
            rs.iter()
                .filter(|(r, _)| retraction_counts(r, target, areas, cat, needed))
                .min_by_key(|(r, _)| (r.created_at(), r.id()))
                .map(|(r, why)| {
                    let reason = Reason::Retracted {
                        by: r.author(),
                        why: *why,
                    };
                    (reason, *r)
                })
        })
    };
    let retracted = |target: &Envelope, areas: &[Area], cat| {
        retracted_by(target, areas, cat, 1).map(|(r, _)| r)
    };

    // 1. Each alert on its own: author, expiry, signatures.
    let index: HashMap<Id, usize> = alerts
        .iter()
        .enumerate()
        .map(|(i, (e, _))| (e.id(), i))
        .collect();
    let mut base: Vec<Verdict> = Vec::with_capacity(alerts.len());
    let mut sigs: Vec<(Vec<PublicKey>, u8, u8)> = Vec::with_capacity(alerts.len());
    for (env, a) in &alerts {
        let mut v = Verdict::ok();
        let is_lifecycle = matches!(a.msg_type, MsgType::Cancel | MsgType::AllClear);
        // A cancel or all-clear is judged when it was made: its effect is permanent.
        let judged_at = if is_lifecycle { env.created_at() } else { now };
        let authorized = trust.authorize(
            env.author(),
            Role::Organizer,
            &a.areas,
            Some(a.category),
            made(env),
            judged_at,
        );
        if let Err(r) = &authorized {
            v.push(r.clone());
        }
        let mut vouchers: Vec<PublicKey> = Vec::new();
        if let Ok(g) = authorized {
            vouchers.push(trust.voucher(env.author(), g));
        }
        let mut endorsers: Vec<PublicKey> = Vec::new();
        for e in endorsements.get(&env.id()).into_iter().flatten() {
            if e.author() != env.author()
                && !endorsers.contains(&e.author())
                && let Some(v) = voucher_of(e.author(), &a.areas, Some(a.category), made(e), now)
                && !vouchers.contains(&v)
            {
                vouchers.push(v);
                endorsers.push(e.author());
            }
        }
        let has = u8::try_from(vouchers.len()).unwrap_or(u8::MAX);
        let needed = trust.threshold(a.category);
        if !is_lifecycle && authorized.is_ok() && has < needed {
            v.push(Reason::NeedsSignatures { needed, has });
        }
        if !is_lifecycle && env.is_expired(now) {
            v.push(Reason::Expired);
        }
        base.push(v);
        sigs.push((endorsers, has, needed));
    }

    // 2. Lifecycle: updates join threads; cancels and all-clears end them. Acting on an
    // alert needs as many signatures as its whole update thread needs (the highest
    // threshold of any version in it), counted over the target (`acting_signatures`):
    // one stolen key can neither replace nor end a co-signed raid alert, not even by
    // naming an older, lower-threshold version of the same thread.
    let mut threads = Threads((0..alerts.len()).collect());
    let mut enders: Vec<(usize, Reason, &Envelope)> = Vec::new();
    let mut no_authority: HashSet<usize> = HashSet::new();
    let mut short_of: HashMap<usize, (u8, u8)> = HashMap::new();
    // Versions that a trusted update names: an update supersedes what it names whatever
    // the clocks say (two versions signed in the same second, or a skewed clock).
    let mut replaced: HashSet<usize> = HashSet::new();
    // Every (actor, target, signatures) where the actor may act on the target at all.
    let mut acts: Vec<(usize, usize, u8)> = Vec::new();
    let mut names_known: HashSet<usize> = HashSet::new();
    for (i, (env, a)) in alerts.iter().enumerate() {
        // An expired update still joins its thread (the newer head then decides).
        let trusted = base[i].reasons.iter().all(|r| *r == Reason::Expired);
        if a.msg_type == MsgType::Alert || !trusted {
            continue;
        }
        for t in &a.references {
            let Some(&j) = index.get(t) else { continue };
            names_known.insert(i);
            let (tenv, ta) = alerts[j];
            if j == i || !may_act_on(env, tenv, &ta.areas, Some(ta.category)) {
                continue;
            }
            acts.push((
                i,
                j,
                acting_signatures(env, tenv, &ta.areas, Some(ta.category)),
            ));
        }
    }
    // Provisional threads, each update judged against the version it names; then what
    // each provisional thread needs.
    let mut provisional = Threads((0..alerts.len()).collect());
    for &(i, j, has) in &acts {
        if alerts[i].1.msg_type == MsgType::Update && has >= trust.threshold(alerts[j].1.category) {
            provisional.join(i, j);
        }
    }
    let mut thread_need: HashMap<usize, u8> = HashMap::new();
    for (m, (_, ma)) in alerts.iter().enumerate() {
        let k = thread_need.entry(provisional.root(m)).or_insert(1);
        *k = (*k).max(trust.threshold(ma.category));
    }
    let need_of = |m: usize, provisional: &mut Threads| {
        let root = provisional.root(m);
        thread_need.get(&root).copied().unwrap_or(1)
    };
    let mut acted: HashSet<usize> = HashSet::new();
    for &(i, j, has) in &acts {
        let needed = need_of(j, &mut provisional);
        if has < needed {
            short_of.insert(i, (needed, has));
            continue;
        }
        acted.insert(i);
        let env = alerts[i].0;
        match alerts[i].1.msg_type {
            MsgType::Update => {
                threads.join(i, j);
                replaced.insert(j);
            }
            MsgType::Cancel => enders.push((j, Reason::Cancelled { by: env.id() }, env)),
            MsgType::AllClear => enders.push((j, Reason::AllClear { by: env.id() }, env)),
            MsgType::Alert => {}
        }
    }
    for i in names_known {
        // Short of signatures is its own reason, not a lack of authority.
        if !acted.contains(&i) && !short_of.contains_key(&i) {
            no_authority.insert(i);
        }
    }
    for (i, (env, a)) in alerts.iter().enumerate() {
        let needed = need_of(i, &mut provisional);
        if let Some((r, actor)) = retracted_by(env, &a.areas, Some(a.category), needed) {
            enders.push((i, r, actor));
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..alerts.len() {
        members.entry(threads.root(i)).or_default().push(i);
    }
    // An ender with authority over the whole thread ends it; otherwise it ends only the
    // message it names (an organizer cannot end, through an update, alerts outside its
    // scope).
    let mut ended: HashMap<usize, Reason> = HashMap::new();
    let mut ended_one: HashMap<usize, Reason> = HashMap::new();
    for (j, r, actor) in enders {
        let root = threads.root(j);
        let whole = members.get(&root).into_iter().flatten().all(|&m| {
            let (menv, ma) = alerts[m];
            may_act_on(actor, menv, &ma.areas, Some(ma.category))
        });
        if whole {
            ended.entry(root).or_insert(r);
        } else {
            ended_one.entry(j).or_insert(r);
        }
    }
    // The newest version of each thread, trusted apart from expiry: when it has expired
    // the thread shows nothing (an older version never comes back). A version that a
    // trusted update names is never the head; among versions nobody replaced (concurrent
    // updates of one version), the newest wins.
    let mut heads: HashMap<usize, usize> = HashMap::new();
    for (i, (env, a)) in alerts.iter().enumerate() {
        if base[i].reasons.iter().all(|r| *r == Reason::Expired)
            && !no_authority.contains(&i)
            && !replaced.contains(&i)
            && !ended_one.contains_key(&i)
            && matches!(a.msg_type, MsgType::Alert | MsgType::Update)
        {
            let root = threads.root(i);
            let newer = heads.get(&root).is_none_or(|&h| {
                let he = alerts[h].0;
                (env.created_at(), env.id()) > (he.created_at(), he.id())
            });
            if newer {
                heads.insert(root, i);
            }
        }
    }

    let mut feed = Feed::default();
    let mut confirmed: HashMap<Id, Id> = HashMap::new();
    for (i, (env, a)) in alerts.iter().enumerate() {
        let root = threads.root(i);
        let mut v = base[i].clone();
        if matches!(a.msg_type, MsgType::Cancel | MsgType::AllClear) {
            v.push(Reason::LifecycleMessage);
        }
        if no_authority.contains(&i) {
            v.push(Reason::NoAuthorityOverTarget);
        }
        if let Some(&(needed, has)) = short_of.get(&i) {
            v.push(Reason::NeedsSignatures { needed, has });
        }
        if let Some(r) = ended.get(&root).or(ended_one.get(&i)) {
            v.push(r.clone());
        } else if v.is_ok()
            && let Some(&h) = heads.get(&root).filter(|&&h| h != i)
        {
            v.push(Reason::Superseded {
                by: alerts[h].0.id(),
            });
        }
        // A confirmation counts when the alert itself is trusted and was not withdrawn as
        // wrong (retracted or cancelled); an all-clear ends the danger, not the fact.
        if base[i].is_ok()
            && !ended
                .get(&root)
                .or(ended_one.get(&i))
                .is_some_and(|r| matches!(r, Reason::Retracted { .. } | Reason::Cancelled { .. }))
        {
            // The confirming organizer must be in scope for the report's own area and
            // category, as a dismissal must: an organizer for 9q9 or for `fire` cannot
            // mark a raid report in 9q8 "confirmed".
            for c in &a.confirms {
                // With as many signatures as the report's category needs: one key cannot
                // mark a raid report confirmed through a one-signature `other` alert.
                let in_scope = report_index.get(c).is_some_and(|r| {
                    sigs[i].1 >= trust.threshold(r.category)
                        && trust
                            .authorize(
                                env.author(),
                                Role::Organizer,
                                &r.areas,
                                Some(r.category),
                                made(env),
                                now,
                            )
                            .is_ok()
                });
                if in_scope {
                    confirmed.entry(*c).or_insert(env.id());
                }
            }
        }
        if !any_overlap(&a.areas, &settings.areas) {
            v.push(Reason::OutsideYourAreas);
        }
        let (endorsers, signatures, needed) = sigs[i].clone();
        feed.alerts.push(AlertItem {
            id: env.id(),
            thread: alerts[root].0.id(),
            author: env.author(),
            author_label: trust.label(&env.author()).map(str::to_owned),
            endorser_labels: endorsers
                .iter()
                .map(|k| trust.label(k).map(str::to_owned))
                .collect(),
            endorsers,
            signatures,
            needed,
            created_at: env.created_at(),
            expires_at: env.expires_at(),
            text: alert_text(a, &settings.languages),
            alert: (*a).clone(),
            shown: v.is_ok(),
            reasons: v.reasons,
        });
    }
    feed.alerts.sort_by(|x, y| {
        (y.shown, y.alert.severity.rank(), y.created_at, y.id).cmp(&(
            x.shown,
            x.alert.severity.rank(),
            x.created_at,
            x.id,
        ))
    });

    // Answers to alerts, counted per thread.
    feed.responses = tally_responses(&feed.alerts, &responses, now, |env| {
        trust
            .authorize(env.author(), Role::Member, &[], None, made(env), now)
            .is_ok()
    });

    // 3. Reports: members' sightings, apart from alerts.
    for (env, r) in &reports {
        let mut v = Verdict::ok();
        if env.is_expired(now) {
            v.push(Reason::Expired);
        }
        if let Err(e) = trust.authorize(env.author(), Role::Member, &r.areas, None, made(env), now)
        {
            v.push(e);
        }
        let state = match retracted(env, &r.areas, Some(r.category)) {
            Some(Reason::Retracted { by, why }) => {
                v.push(Reason::Retracted { by, why });
                ReportState::Dismissed { by, why }
            }
            _ => match confirmed.get(&env.id()) {
                Some(by) => ReportState::Confirmed { by: *by },
                None => ReportState::Unverified,
            },
        };
        if !any_overlap(&r.areas, &settings.areas) {
            v.push(Reason::OutsideYourAreas);
        }
        feed.reports.push(ReportItem {
            id: env.id(),
            author: env.author(),
            author_label: trust.label(&env.author()).map(str::to_owned),
            created_at: env.created_at(),
            expires_at: env.expires_at(),
            report: (*r).clone(),
            state,
            shown: v.is_ok(),
            reasons: v.reasons,
        });
    }
    feed.reports
        .sort_by_key(|r| std::cmp::Reverse((r.shown, r.created_at, r.id)));

    // 4. Resources: the latest valid version per (author, resource_key).
    let mut latest: BTreeMap<(PublicKey, &str), (u64, Id)> = BTreeMap::new();
    let mut res_base: Vec<Verdict> = Vec::with_capacity(resources.len());
    for (env, r) in &resources {
        let mut v = Verdict::ok();
        if env.is_expired(now) {
            v.push(Reason::Expired);
        }
        if let Err(e) = trust.authorize(
            env.author(),
            Role::Organizer,
            &r.areas,
            Some(Category::Resources),
            made(env),
            now,
        ) {
            v.push(e);
        }
        if v.is_ok() {
            let k = (env.author(), r.resource_key.as_str());
            let cand = (env.created_at(), env.id());
            if latest.get(&k).is_none_or(|cur| cand > *cur) {
                latest.insert(k, cand);
            }
        }
        res_base.push(v);
    }
    for ((env, r), mut v) in resources.iter().zip(res_base) {
        if v.is_ok()
            && let Some((_, head)) = latest.get(&(env.author(), r.resource_key.as_str()))
            && *head != env.id()
        {
            v.push(Reason::Superseded { by: *head });
        }
        if let Some(rr) = retracted(env, &r.areas, Some(Category::Resources)) {
            v.push(rr);
        }
        if !any_overlap(&r.areas, &settings.areas) {
            v.push(Reason::OutsideYourAreas);
        }
        feed.resources.push(ResourceItem {
            id: env.id(),
            author: env.author(),
            author_label: trust.label(&env.author()).map(str::to_owned),
            created_at: env.created_at(),
            expires_at: env.expires_at(),
            text: resource_text(r, &settings.languages),
            resource: (*r).clone(),
            shown: v.is_ok(),
            reasons: v.reasons,
        });
    }
    feed.resources.sort_by(|x, y| {
        let name = |i: &ResourceItem| i.text.as_ref().map(|t| t.name.clone()).unwrap_or_default();
        (!x.shown, x.resource.kind, name(x), x.id).cmp(&(!y.shown, y.resource.kind, name(y), y.id))
    });
    feed.places = crate::place::resolve(&mut feed.resources);
    feed
}

/// The response tallies of the alert threads that are live for the member (shown, apart
/// from the member's areas): per thread, each key's latest answer (by `(created_at, id)`,
/// whatever the arrival order) from a key `listed` as a member or organizer, unexpired.
/// A withdrawal is an answer that counts as none.
fn tally_responses(
    alerts: &[AlertItem],
    responses: &[(&Envelope, &crate::Response)],
    now: u64,
    listed: impl Fn(&Envelope) -> bool,
) -> Vec<crate::response::ResponseTally> {
    let live = |a: &AlertItem| a.reasons.iter().all(|r| *r == Reason::OutsideYourAreas);
    let live_threads: HashSet<Id> = alerts
        .iter()
        .filter(|a| live(a))
        .map(|a| a.thread)
        .collect();
    let thread_of: HashMap<Id, Id> = alerts
        .iter()
        .filter(|a| live_threads.contains(&a.thread))
        .map(|a| (a.id, a.thread))
        .collect();
    let mut latest: BTreeMap<(Id, PublicKey), (u64, Id, crate::Answer)> = BTreeMap::new();
    for (env, r) in responses {
        let Some(&thread) = thread_of.get(&r.alert) else {
            continue;
        };
        if env.is_expired(now) || !listed(env) {
            continue;
        }
        let cand = (env.created_at(), env.id(), r.answer);
        let slot = latest.entry((thread, env.author())).or_insert(cand);
        if (cand.0, cand.1) > (slot.0, slot.1) {
            *slot = cand;
        }
    }
    let mut tallies: BTreeMap<Id, crate::response::ResponseTally> = BTreeMap::new();
    for ((thread, _), (created_at, _, answer)) in latest {
        if answer == crate::Answer::Withdrawn {
            continue;
        }
        tallies
            .entry(thread)
            .or_insert_with(|| crate::response::ResponseTally::new(thread))
            .add(answer, created_at);
    }
    tallies.into_values().collect()
}
