//! The trust view: what a set of anchor list owners (the community's roots, or the lists a
//! member follows) say about every key, and the relay rule built on it.
//!
//! Built from stored trust-list envelopes; the highest valid version per owner wins, so
//! an older version arriving later changes nothing. Delegation is one level deep: a root
//! list may name delegates whose own lists count within the delegate's scope.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::area::{Area, first_outside};
use crate::verdict::{Reason, Verdict};
use crate::{Body, Category, CommunityId, Envelope, Id, Kind, PublicKey, Role, TrustList};

/// The label of a list owner's own key when its list gives it none. Pages translate it.
pub const OWNER_LABEL: &str = "list owner";

/// Where a grant applies. Empty lists mean "everywhere" and "every category".
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Area cells covered.
    pub areas: Vec<Area>,
    /// Categories covered.
    pub categories: Vec<Category>,
}

impl Scope {
    /// Check that `areas` and `category` lie inside the scope.
    pub fn check(&self, areas: &[Area], category: Option<Category>) -> Result<(), Reason> {
        if let Some(cell) = first_outside(areas, &self.areas) {
            return Err(Reason::OutOfScopeArea { cell: cell.clone() });
        }
        if let Some(c) = category
            && !self.categories.is_empty()
            && !self.categories.contains(&c)
        {
            return Err(Reason::OutOfScopeCategory { category: c });
        }
        Ok(())
    }

    /// The part of `inner` that lies inside `self`; `None` when nothing does.
    pub fn intersect(&self, inner: &Scope) -> Option<Scope> {
        let areas = match (self.areas.is_empty(), inner.areas.is_empty()) {
            (true, _) => inner.areas.clone(),
            (false, true) => self.areas.clone(),
            (false, false) => {
                let mut out: Vec<Area> = Vec::new();
                for a in inner
                    .areas
                    .iter()
                    .filter(|a| self.areas.iter().any(|s| s.covers(a)))
                {
                    out.push(a.clone());
                }
                for s in self
                    .areas
                    .iter()
                    .filter(|s| inner.areas.iter().any(|a| a.covers(s)))
                {
                    if !out.contains(s) {
                        out.push(s.clone());
                    }
                }
                if out.is_empty() {
                    return None;
                }
                out
            }
        };
        let categories = match (self.categories.is_empty(), inner.categories.is_empty()) {
            (true, _) => inner.categories.clone(),
            (false, true) => self.categories.clone(),
            (false, false) => {
                let c: Vec<Category> = inner
                    .categories
                    .iter()
                    .copied()
                    .filter(|c| self.categories.contains(c))
                    .collect();
                if c.is_empty() {
                    return None;
                }
                c
            }
        };
        Some(Scope { areas, categories })
    }
}

/// One permission a key holds, and the list it comes from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// What the key may do.
    pub role: Role,
    /// Where.
    pub scope: Scope,
    /// Until when (unix seconds), if the entry lapses before the list.
    pub expires_at: Option<u64>,
    /// The list owner who granted it.
    pub owner: PublicKey,
    /// The label the owner gave the key.
    pub label: String,
}

/// The list chosen for one owner.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChosenList {
    /// The list's owner.
    pub owner: PublicKey,
    /// The envelope id of the version in force.
    pub id: Id,
    /// Its version number.
    pub version: u64,
    /// Its name.
    pub name: String,
    /// Whether the owner is an anchor (root or followed) rather than a delegate.
    pub anchor: bool,
    /// For a delegate: the scope its entries are limited to.
    pub scope: Scope,
}

/// What the anchor lists say about every key.
#[derive(Debug, Clone, Default)]
pub struct TrustView {
    lists: Vec<ChosenList>,
    grants: HashMap<PublicKey, Vec<Grant>>,
    revoked: HashMap<PublicKey, u64>,
    thresholds: HashMap<Category, u8>,
    owners: HashSet<PublicKey>,
    anchors: HashSet<PublicKey>,
}

impl TrustView {
    /// Build the view of `anchors` from the trust-list envelopes in `envelopes` (other
    /// kinds are skipped). Envelopes must already be signature-checked. Anchors are
    /// organizers everywhere; delegates, within their scope.
    ///
    /// Per owner, the highest version wins **even when it has expired**: an expired newest
    /// version grants nothing, but never lets an older version (and the keys it revoked)
    /// back in, and its revocations and thresholds still hold. A list owner revoked at all
    /// (whatever `since`) has its lists ignored: a stolen owner key could otherwise sign a
    /// backdated list that adds keys.
    pub fn build<'a>(
        anchors: &[PublicKey],
        envelopes: impl IntoIterator<Item = &'a Envelope>,
        now: u64,
    ) -> TrustView {
        // The highest version per owner: (version, created_at, id) decides, so the choice
        // does not depend on arrival order.
        let mut best: HashMap<PublicKey, (&Envelope, &TrustList)> = HashMap::new();
        for env in envelopes {
            let Body::TrustList(list) = env.body() else {
                continue;
            };
            let key = (list.version, env.created_at(), env.id());
            match best.get(&env.author()) {
                Some((e, l)) if (l.version, e.created_at(), e.id()) >= key => {}
                _ => {
                    best.insert(env.author(), (env, list));
                }
            }
        }

        let mut view = TrustView {
            anchors: anchors.iter().copied().collect(),
            ..TrustView::default()
        };
        // Revocations and thresholds come from anchor lists only: a delegate cannot revoke
        // a key globally or weaken a threshold.
        for a in anchors {
            let Some((_, list)) = best.get(a) else {
                continue;
            };
            for r in &list.revoked {
                let since = view.revoked.entry(r.key).or_insert(r.since);
                *since = (*since).min(r.since);
            }
            for t in &list.thresholds {
                let k = view.thresholds.entry(t.category).or_insert(t.k);
                *k = (*k).max(t.k);
            }
        }
        let usable = |key: &PublicKey, revoked: &HashMap<PublicKey, u64>| {
            if revoked.contains_key(key) {
                return None;
            }
            best.get(key).copied().filter(|(e, _)| !e.is_expired(now))
        };

        // Anchors first, so a key that is both an anchor and someone's delegate counts as
        // the anchor, whatever the order of `anchors`.
        let everywhere = Scope::default();
        for a in anchors {
            if view.revoked.get(a) == Some(&0) || !view.owners.insert(*a) {
                continue;
            }
            // Entries first, so a label the owner gave itself on its own list is the one
            // people see.
            if let Some((env, list)) = usable(a, &view.revoked) {
                view.apply(env, list, true, &everywhere);
            }
            view.add_owner_grant(*a, &everywhere, OWNER_LABEL);
        }
        for a in anchors {
            let Some((_, list)) = usable(a, &view.revoked) else {
                continue;
            };
            for d in &list.delegates {
                if view.revoked.get(&d.key) == Some(&0) || !view.owners.insert(d.key) {
                    continue;
                }
                let scope = Scope {
                    areas: d.areas.clone(),
                    categories: d.categories.clone(),
                };
                if let Some((denv, dlist)) = usable(&d.key, &view.revoked) {
                    view.apply(denv, dlist, false, &scope);
                }
                view.add_owner_grant(d.key, &scope, &d.label);
            }
        }
        view
    }

    fn add_owner_grant(&mut self, owner: PublicKey, scope: &Scope, label: &str) {
        self.grants.entry(owner).or_default().push(Grant {
            role: Role::Organizer,
            scope: scope.clone(),
            expires_at: None,
            owner,
            label: label.to_owned(),
        });
    }

    fn apply(&mut self, env: &Envelope, list: &TrustList, anchor: bool, limit: &Scope) {
        self.lists.push(ChosenList {
            owner: env.author(),
            id: env.id(),
            version: list.version,
            name: list.name.clone(),
            anchor,
            scope: limit.clone(),
        });
        // A delegate's own revocations remove keys from its own list only.
        let own_revoked: HashSet<PublicKey> = list.revoked.iter().map(|r| r.key).collect();
        for e in &list.entries {
            if !anchor && own_revoked.contains(&e.key) {
                continue;
            }
            let wanted = Scope {
                areas: e.areas.clone(),
                categories: e.categories.clone(),
            };
            let Some(scope) = limit.intersect(&wanted) else {
                continue;
            };
            let expires_at = match e.expires_at {
                Some(x) => Some(x.min(env.expires_at())),
                None => Some(env.expires_at()),
            };
            self.grants.entry(e.key).or_default().push(Grant {
                role: e.role,
                scope,
                expires_at,
                owner: env.author(),
                label: e.label.clone(),
            });
        }
    }

    /// Whether `author` may act as `role` for `areas` and `category` in a message created
    /// at `created_at`, judged at `now`. The error is the most specific reason found.
    pub fn authorize(
        &self,
        author: PublicKey,
        role: Role,
        areas: &[Area],
        category: Option<Category>,
        created_at: u64,
        now: u64,
    ) -> Result<&Grant, Reason> {
        authorize_grants(
            self.grants(&author),
            self.revocation(&author),
            role,
            areas,
            category,
            created_at,
            now,
        )
    }

    /// Signatures each category needs, where more than one.
    pub fn thresholds(&self) -> impl Iterator<Item = (Category, u8)> + '_ {
        self.thresholds.iter().map(|(c, k)| (*c, *k))
    }

    /// Who vouches for a signature by `key` made under `grant`, for counting signatures
    /// toward a threshold: signatures count once per voucher.
    ///
    /// An anchor vouches for each key on its list separately, so each such key is its
    /// own voucher. A delegate vouches for everyone on its list at once: it could list a
    /// second key it controls and endorse its own alerts, so its whole list (itself
    /// included) counts as one signature. A threshold of k therefore needs k organizers
    /// whom the anchors listed (or k different delegates), never one list owner alone.
    pub fn voucher(&self, key: PublicKey, grant: &Grant) -> PublicKey {
        if self.anchors.contains(&grant.owner) {
            key
        } else {
            grant.owner
        }
    }

    /// Whether `key` owns a list that counts (an anchor or a delegate, not revoked).
    pub fn is_list_owner(&self, key: &PublicKey) -> bool {
        self.owners.contains(key)
    }

    /// Signatures an alert of `category` needs.
    pub fn threshold(&self, category: Category) -> u8 {
        self.thresholds.get(&category).copied().unwrap_or(1)
    }

    /// The `since` of a key's revocation, if it is revoked.
    pub fn revocation(&self, key: &PublicKey) -> Option<u64> {
        self.revoked.get(key).copied()
    }

    /// A key's label on the first list that names it.
    pub fn label(&self, key: &PublicKey) -> Option<&str> {
        self.grants
            .get(key)
            .and_then(|g| g.first())
            .map(|g| g.label.as_str())
    }

    /// Every grant a key holds.
    pub fn grants(&self, key: &PublicKey) -> &[Grant] {
        self.grants.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The list versions in force, anchors first.
    pub fn lists(&self) -> &[ChosenList] {
        &self.lists
    }

    /// Every key with a grant, for listing.
    pub fn keys(&self) -> impl Iterator<Item = &PublicKey> {
        self.grants.keys()
    }
}

/// Whether a key holding `grants` (and revoked since `revoked_since`, if it is) may act as
/// `role` for `areas` and `category` in a message created at `created_at`, judged at
/// `now`: [`TrustView::authorize`] on one key's grants, for clients that hold only those
/// (the CLI checks, before asking for a passphrase, that what it signs will count). The
/// error is the most specific reason found.
pub fn authorize_grants<'a>(
    grants: &'a [Grant],
    revoked_since: Option<u64>,
    role: Role,
    areas: &[Area],
    category: Option<Category>,
    created_at: u64,
    now: u64,
) -> Result<&'a Grant, Reason> {
    if let Some(since) = revoked_since
        && (since == 0 || created_at >= since)
    {
        return Err(Reason::Revoked { since });
    }
    if grants.is_empty() {
        return Err(Reason::UnknownAuthor);
    }
    let mut best: Option<(u8, Reason)> = None;
    for g in grants {
        let failure = if role == Role::Organizer && g.role != Role::Organizer {
            (0, Reason::NotAuthorized { needs: role })
        } else if g.expires_at.is_some_and(|e| e <= now) {
            (1, Reason::EntryExpired)
        } else if let Err(r) = g.scope.check(areas, category) {
            (2, r)
        } else {
            return Ok(g);
        };
        if best.as_ref().is_none_or(|(rank, _)| failure.0 > *rank) {
            best = Some(failure);
        }
    }
    Err(best.map(|(_, r)| r).unwrap_or(Reason::UnknownAuthor))
}

/// When a message counts as made, for a revocation with `since` > 0: the later of its
/// signed `created_at` and `first_seen`, when this node first saw it (unix seconds;
/// `None` when unknown). A stolen key can sign any `created_at`, but cannot make a node
/// have seen the message earlier than it did: so a message first seen after `since`
/// counts as made after it, whatever it claims. First-seen is each node's own and is
/// never sent to peers. DESIGN.md ("Revocation and backdating") says what this cannot
/// prevent.
pub fn judged_created_at(created_at: u64, first_seen: Option<u64>) -> u64 {
    first_seen.map_or(created_at, |seen| seen.max(created_at))
}

/// The role and scope a kind needs from its author to be relayed.
fn relay_need(env: &Envelope) -> (Role, &[Area], Option<Category>) {
    match env.body() {
        Body::Alert(a) => (Role::Organizer, &a.areas, Some(a.category)),
        Body::Resource(r) => (Role::Organizer, &r.areas, Some(Category::Resources)),
        Body::Endorsement(_) => (Role::Organizer, &[], None),
        // Members retract their own reports; the display rule decides what a retraction
        // by whom may end.
        Body::Retraction(_) => (Role::Member, &[], None),
        Body::Report(r) => (Role::Member, &r.areas, None),
        // Any member may answer any live alert of the community: a responder often comes
        // from outside the alert's cells.
        Body::Response(_) => (Role::Member, &[], None),
        Body::TrustList(_) => (Role::Organizer, &[], None),
    }
}

/// What a target's scope is, for acting on it: its areas and the category an organizer
/// needs (`None` for kinds nobody but their author may withdraw).
fn target_scope(target: &Envelope) -> Option<(&[Area], Category)> {
    match target.body() {
        Body::Alert(a) => Some((&a.areas, a.category)),
        Body::Report(r) => Some((&r.areas, r.category)),
        Body::Resource(r) => Some((&r.areas, Category::Resources)),
        Body::TrustList(_) | Body::Endorsement(_) | Body::Retraction(_) | Body::Response(_) => None,
    }
}

/// The relay rule with the message a retraction or endorsement names, when this node
/// holds it: what the display rule would never honour is not stored or relayed either, so
/// a listed key cannot fill every node's storage with retractions, dismissals and
/// endorsements that count for nothing.
///
/// - A retraction of a held message needs its author, or an organizer in scope for the
///   target's area and category. Of a message not held yet, an organizer (the scope is
///   checked by the display rule once the target arrives); a member's retraction waits
///   (ignored now, fetched again by catch-up once its report is here).
/// - An endorsement of a held alert needs an organizer in scope for it, other than the
///   alert's author.
/// - A response needs the alert it answers held, live and outliving it
///   ([`crate::response::check_alert`]); whether a held cancel, all-clear or retraction
///   ended that alert is for the node to look up ([`crate::response::ends`]).
pub fn relay_verdict_with_target(
    env: &Envelope,
    community: CommunityId,
    roots: &TrustView,
    target: Option<&Envelope>,
    now: u64,
) -> Verdict {
    relay_verdict_seen(env, community, roots, target, now, None)
}

/// [`relay_verdict_with_target`] on a node that knows when it first saw `env`
/// (`first_seen`; a node judging an envelope as it arrives passes `now`): revocations
/// with `since` > 0 judge it as made at [`judged_created_at`], so an envelope from a
/// revoked key that reaches a node after the revocation did is not stored or relayed,
/// whatever `created_at` it claims.
pub fn relay_verdict_seen(
    env: &Envelope,
    community: CommunityId,
    roots: &TrustView,
    target: Option<&Envelope>,
    now: u64,
    first_seen: Option<u64>,
) -> Verdict {
    let made = judged_created_at(env.created_at(), first_seen);
    let v = relay_verdict_made(env, community, roots, now, made);
    if !v.is_ok() {
        return v;
    }
    let organizer = |areas: &[Area], category| {
        roots
            .authorize(env.author(), Role::Organizer, areas, category, made, now)
            .map(|_| ())
    };
    let result = match (env.body(), target) {
        (Body::Retraction(_), Some(t)) if t.author() == env.author() => Ok(()),
        (Body::Retraction(_), Some(t)) => match target_scope(t) {
            Some((areas, category)) => organizer(areas, Some(category)),
            None => Err(Reason::NoAuthorityOverTarget),
        },
        (Body::Retraction(_), None) => organizer(&[], None),
        (Body::Endorsement(_), Some(t)) => match t.body() {
            Body::Alert(_) if t.author() == env.author() => Err(Reason::NoAuthorityOverTarget),
            Body::Alert(a) => organizer(&a.areas, Some(a.category)),
            _ => Ok(()),
        },
        (Body::Response(_), alert) => crate::response::check_alert(env, alert, now),
        _ => Ok(()),
    };
    result.into()
}

/// The relay rule: whether every node of `community` stores and forwards `env`.
///
/// `env` must be decoded and signature-checked. `roots` is the view of the community's
/// root keys. Trust lists need a root or delegate author; alerts, resources and
/// endorsements an organizer in scope; reports a member or organizer in scope. See
/// [`relay_verdict_with_target`] for retractions and endorsements of a held message.
pub fn relay_verdict(
    env: &Envelope,
    community: CommunityId,
    roots: &TrustView,
    now: u64,
) -> Verdict {
    relay_verdict_made(env, community, roots, now, env.created_at())
}

/// [`relay_verdict`] with revocations judged as if `env` was made at `made`.
fn relay_verdict_made(
    env: &Envelope,
    community: CommunityId,
    roots: &TrustView,
    now: u64,
    made: u64,
) -> Verdict {
    if env.community() != community {
        return Verdict::no(Reason::WrongCommunity);
    }
    if let Err(e) = env.check_time(now) {
        return Verdict::no(match e {
            crate::TimeError::Expired => Reason::Expired,
            crate::TimeError::TooNew { .. } => Reason::FromTheFuture,
        });
    }
    if env.kind() == Kind::TrustList {
        if let Some(since) = roots.revocation(&env.author())
            && (since == 0 || made >= since)
        {
            return Verdict::no(Reason::Revoked { since });
        }
        if !roots.is_list_owner(&env.author()) {
            return Verdict::no(Reason::NotAListOwner);
        }
        return Verdict::ok();
    }
    let (role, areas, category) = relay_need(env);
    roots
        .authorize(env.author(), role, areas, category, made, now)
        .map(|_| ())
        .into()
}
