//! Catch-up whose cost grows with the difference alone: `/aviso/sync/2`.
//!
//! Every node keeps the first [`MAX_CELLS`] coded cells of a rateless invertible Bloom
//! lookup table ([`aviso_protocol::riblt`]) over the 16-byte keys (id prefixes) of its
//! sync set, the same set as `/aviso/sync/1`'s. A session asks the peer for its first
//! [`FIRST_CELLS`] cells and its set size, XORs them with its own and peels; if that does
//! not yield the whole difference it asks once for as many more as the difference needs
//! (the size gap and the keys found so far give a lower bound), then doubles until it
//! peels. Then it gets the envelopes it lacks by key (`Get`), in batches of
//! [`FETCH_BATCH`], and hands them to the ingest task like `/aviso/sync/1` does. A
//! difference of 100 costs about 150–250 cells of 24 bytes, whatever the store size
//! and wherever the 100 lie in time; negentropy's cost grows with how scattered they are.
//!
//! When the difference is too large for the cells (more than about [`MAX_KEYS`]: a node
//! back after weeks away), the session runs negentropy (`/aviso/sync/1`) instead, which
//! is cheap for a contiguous range. Peers whose identify does not list `/aviso/sync/2`
//! get `/aviso/sync/1` sessions, and every node keeps answering `/aviso/sync/1`.
//!
//! Wire format (docs/protocol.md §5): a request is one tag byte and its fields;
//! - `0x01` Cells: `from` (u32 BE) ‖ `count` (u32 BE), `count` ≤ [`MAX_CELLS_PER_ANSWER`],
//!   `from + count` ≤ [`MAX_CELLS`]; the answer is the set size (u64 BE) ‖ `count` cells
//!   of 24 bytes (key sum ‖ checksum sum, u64 BE).
//! - `0x02` Get: `count` (u32 BE) ‖ `count` keys of 16 bytes, `count` ≤ [`FETCH_BATCH`];
//!   the answer is framed like `/aviso/fetch/1`'s (length u32 BE ‖ envelope, trust lists
//!   first, within the responder's budget).

use std::collections::HashSet;
use std::sync::Arc;

use aviso_protocol::Id;
use aviso_protocol::riblt::{self, CELL_BYTES, Cell, Decoder, Encoder, KEY_BYTES, Key};
use libp2p::{PeerId, StreamProtocol};

use super::sync::{
    FETCH_BATCH, FetchBy, Ingest, MAX_NEED_PER_SESSION, MAX_ROUNDS, Proto, Requester, SyncError,
    SyncServer, SyncStats,
};
use crate::store::Store;

/// Rateless reconciliation and get-by-key.
pub const SYNC2_PROTOCOL: StreamProtocol = StreamProtocol::new("/aviso/sync/2");
/// Cells a node keeps and serves. 4,096 peel a difference of about 2,500; keeping them
/// costs about 2 ln(2,048) ≈ 16 cell updates per stored envelope when the set is built,
/// and 96 KiB.
pub const MAX_CELLS: u32 = 4096;
/// Largest difference (estimated) reconciled with cells; above it negentropy is cheaper
/// (the difference is then mostly a contiguous range of what was published while away)
/// and [`MAX_CELLS`] might not peel it.
pub const MAX_KEYS: usize = 2_000;
/// Cells in one answer: 48 KiB, within the sync message limit.
pub const MAX_CELLS_PER_ANSWER: u32 = 2048;
/// Cells asked in the first round. Peels a difference of up to about 10 at once (the
/// periodic session with a peer that was online too), and costs 776 B when it does not.
pub const FIRST_CELLS: u32 = 32;
/// Cells asked per key of the estimated difference, in the second round: a difference
/// of 100 peels from 1.35–1.7 cells per key, and a third round (doubling) costs more
/// than a little slack.
pub const CELLS_PER_KEY: f64 = 1.75;
/// Cells added to the second round's ask on top of [`CELLS_PER_KEY`]: small differences
/// need relatively more.
pub const EXTRA_CELLS: u32 = 24;
/// Tag of a Cells request.
const TAG_CELLS: u8 = 1;
/// Tag of a Get request.
const TAG_GET: u8 = 2;
/// Largest sync/2 request: a Get of [`FETCH_BATCH`] keys.
pub const MAX_SYNC2_REQUEST: usize = 5 + FETCH_BATCH * KEY_BYTES;

/// A node's sync set for `/aviso/sync/2`: its ids, sorted, and its first cells.
#[derive(Debug)]
pub struct Set2 {
    ids: Vec<Id>,
    cells: Encoder,
}

impl Set2 {
    /// The set of `ids` (any order, no repeats).
    pub fn new(ids: impl IntoIterator<Item = Id>) -> Self {
        Self::update(None, ids)
    }

    /// The set of `ids` (any order, no repeats), its cells updated from `old`'s when
    /// given: only the ids in one of the two sets touch them (about 16 cell updates
    /// each), so a store of a million that gained a few envelopes costs a sort and a
    /// merge, not a million keys' worth of cells.
    pub fn update(old: Option<&Set2>, ids: impl IntoIterator<Item = Id>) -> Self {
        let mut ids: Vec<Id> = ids.into_iter().collect();
        ids.sort_unstable();
        let toggle = |cells: &mut Encoder, id: &Id| cells.toggle(&riblt::key_of(&id.0));
        let Some(old) = old else {
            let mut cells = Encoder::new(MAX_CELLS as usize);
            ids.iter().for_each(|id| toggle(&mut cells, id));
            return Self { ids, cells };
        };
        let mut cells = old.cells.clone();
        let (mut a, mut b) = (old.ids.iter().peekable(), ids.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x == y => {
                    a.next();
                    b.next();
                }
                (Some(x), Some(y)) if x < y => {
                    toggle(&mut cells, x);
                    a.next();
                }
                (_, Some(y)) => {
                    toggle(&mut cells, y);
                    b.next();
                }
                (Some(x), None) => {
                    toggle(&mut cells, x);
                    a.next();
                }
                (None, None) => break,
            }
        }
        Self { ids, cells }
    }

    /// The store's sync set at `now`, without the embargoed ids, updated from `old`.
    pub(crate) fn of_store(
        store: &dyn Store,
        now: u64,
        embargo: &HashSet<Id>,
        old: Option<&Set2>,
    ) -> Result<Self, SyncError> {
        let items = store.sync_items(now)?;
        Ok(Self::update(
            old,
            items
                .into_iter()
                .map(|(_, id)| id)
                .filter(|id| !embargo.contains(id)),
        ))
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// No ids.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id with key `key`, if held.
    pub fn id_of(&self, key: &Key) -> Option<Id> {
        let i = self.ids.partition_point(|id| id.0[..KEY_BYTES] < key[..]);
        self.ids
            .get(i)
            .filter(|id| id.0[..KEY_BYTES] == key[..])
            .copied()
    }

    /// The answer to a Cells request.
    pub fn answer_cells(&self, from: u32, count: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + count as usize * CELL_BYTES);
        out.extend_from_slice(&(self.ids.len() as u64).to_be_bytes());
        let cells = self
            .cells
            .cells()
            .iter()
            .skip(from as usize)
            .take(count as usize);
        for c in cells {
            c.encode(&mut out);
        }
        out
    }
}

/// A sync/2 request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sync2Request {
    /// Cells `from..from + count`.
    Cells {
        /// First cell.
        from: u32,
        /// How many.
        count: u32,
    },
    /// The envelopes with these keys.
    Get(Vec<Key>),
}

impl Sync2Request {
    /// Its wire form.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Sync2Request::Cells { from, count } => {
                let mut out = vec![TAG_CELLS];
                out.extend_from_slice(&from.to_be_bytes());
                out.extend_from_slice(&count.to_be_bytes());
                out
            }
            Sync2Request::Get(keys) => {
                let mut out = Vec::with_capacity(5 + keys.len() * KEY_BYTES);
                out.push(TAG_GET);
                out.extend_from_slice(&(keys.len() as u32).to_be_bytes());
                keys.iter().for_each(|k| out.extend_from_slice(k));
                out
            }
        }
    }

    /// Read a request, refusing anything out of bounds.
    pub fn decode(b: &[u8]) -> Result<Self, SyncError> {
        let bad = SyncError::BadSync2;
        let (&tag, rest) = b.split_first().ok_or(bad("empty request"))?;
        let (n, rest) = rest
            .split_first_chunk::<4>()
            .ok_or(bad("truncated request"))?;
        let n = u32::from_be_bytes(*n);
        match tag {
            TAG_CELLS => {
                let count = rest
                    .try_into()
                    .map(u32::from_be_bytes)
                    .map_err(|_| bad("cells request is not 9 bytes"))?;
                if count == 0
                    || count > MAX_CELLS_PER_ANSWER
                    || n.checked_add(count).is_none_or(|end| end > MAX_CELLS)
                {
                    return Err(bad("cells request out of range"));
                }
                Ok(Sync2Request::Cells { from: n, count })
            }
            TAG_GET => {
                let n = n as usize;
                if n > FETCH_BATCH || rest.len() != n * KEY_BYTES {
                    return Err(bad("get request is not a count and that many keys"));
                }
                let keys = rest
                    .chunks_exact(KEY_BYTES)
                    .map(|c| c.try_into().expect("chunks of a key's size"))
                    .collect();
                Ok(Sync2Request::Get(keys))
            }
            _ => Err(bad("unknown request")),
        }
    }

    /// Which answer budget the serving ledger reserves for it ([`super::serve`]): a
    /// fetch's for a Get, a sync message's for anything else (refused later if bad).
    pub fn budget_class(request: &[u8]) -> Proto {
        if request.first() == Some(&TAG_GET) {
            Proto::Fetch
        } else {
            Proto::Sync
        }
    }
}

/// Answer a peer's sync/2 request from `server`'s cached set, within `budget` bytes for
/// a Get.
pub fn handle(
    server: &SyncServer,
    request: &[u8],
    now: u64,
    budget: usize,
) -> Result<Vec<u8>, SyncError> {
    let req = Sync2Request::decode(request)?;
    let set = server.set2(now)?;
    match req {
        Sync2Request::Cells { from, count } => Ok(set.answer_cells(from, count)),
        Sync2Request::Get(keys) => {
            // Only ids of the current set: never an embargoed or expired one.
            let ids: Vec<Id> = keys.iter().filter_map(|k| set.id_of(k)).collect();
            server.handle_fetch_within(&super::sync::encode_ids(&ids), now, budget)
        }
    }
}

/// What a session does next.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step {
    /// Send this request and feed the answer to [`Reconciler::on_answer`].
    Ask(Vec<u8>),
    /// The difference is found: the keys this node lacks (at most
    /// [`MAX_NEED_PER_SESSION`]).
    Done(Vec<Key>),
    /// The difference is too large for cells: reconcile with negentropy instead.
    Negentropy,
}

/// The initiator's side of the cell exchange, as a state machine (the session and the
/// benchmark drive it).
#[derive(Debug)]
pub struct Reconciler {
    set: Arc<Set2>,
    decoder: Decoder,
    /// Cells asked in the request in flight.
    asked: u32,
}

impl Reconciler {
    /// Reconcile our `set` with a peer's.
    pub fn new(set: Arc<Set2>) -> Self {
        Self {
            set,
            decoder: Decoder::new(),
            asked: 0,
        }
    }

    /// The first request.
    pub fn start(&mut self) -> Vec<u8> {
        self.ask(FIRST_CELLS)
    }

    fn ask(&mut self, total: u32) -> Vec<u8> {
        let from = self.decoder.len() as u32;
        let count = total
            .min(MAX_CELLS)
            .saturating_sub(from)
            .clamp(1, MAX_CELLS_PER_ANSWER);
        self.asked = count;
        Sync2Request::Cells { from, count }.encode()
    }

    /// Take the peer's answer to our last request.
    pub fn on_answer(&mut self, answer: &[u8]) -> Result<Step, SyncError> {
        let bad = SyncError::BadSync2;
        let (n, cells) = answer
            .split_first_chunk::<8>()
            .ok_or(bad("truncated cells answer"))?;
        let theirs = u64::from_be_bytes(*n);
        if cells.len() != self.asked as usize * CELL_BYTES {
            return Err(bad("cells answer of the wrong length"));
        }
        let from = self.decoder.len();
        let ours = self.set.cells.cells().get(from..).unwrap_or_default();
        let diff = cells.chunks_exact(CELL_BYTES).zip(ours).map(|(c, o)| {
            let mut c = Cell::decode(c.try_into().expect("chunks of a cell's size"));
            c.xor(o);
            c
        });
        self.decoder.extend(diff)?;
        if self.decoder.is_done() {
            let mut lack: Vec<Key> = self
                .decoder
                .found()
                .iter()
                .filter(|k| self.set.id_of(k).is_none())
                .copied()
                .collect();
            lack.truncate(MAX_NEED_PER_SESSION);
            return Ok(Step::Done(lack));
        }
        // A lower bound of the difference: the size gap, plus twice the keys found on the
        // smaller side (each one hid one of the larger side's in the gap).
        let found_ours = self
            .decoder
            .found()
            .iter()
            .filter(|k| self.set.id_of(k).is_some())
            .count();
        let found_theirs = self.decoder.found().len() - found_ours;
        let ours_n = self.set.len() as u64;
        let estimate = (theirs.saturating_sub(ours_n) as usize + 2 * found_ours)
            .max(ours_n.saturating_sub(theirs) as usize + 2 * found_theirs)
            .max(self.decoder.found().len() + 1);
        let have = self.decoder.len() as u32;
        if estimate > MAX_KEYS || have >= MAX_CELLS {
            return Ok(Step::Negentropy);
        }
        let second = have <= FIRST_CELLS;
        let want = if second {
            (estimate as f64 * CELLS_PER_KEY) as u32 + EXTRA_CELLS
        } else {
            0
        };
        Ok(Step::Ask(self.ask(want.max(2 * have))))
    }
}

/// One catch-up session with `peer` over `/aviso/sync/2` (falling back to
/// `/aviso/sync/1` for a large difference); see [`super::sync::run_session`].
pub(super) async fn session(
    peer: PeerId,
    requester: &Requester,
    ingest: &Ingest,
    server: Arc<SyncServer>,
    stats: &mut SyncStats,
) -> Result<(), SyncError> {
    let now = crate::unix_now();
    let s = server.clone();
    let set = tokio::task::spawn_blocking(move || s.set2(now)).await??;
    let mut rec = Reconciler::new(set);
    let mut msg = rec.start();
    let lack = loop {
        if stats.rounds as usize >= MAX_ROUNDS {
            return Err(SyncError::TooManyRounds(MAX_ROUNDS));
        }
        stats.rounds += 1;
        stats.bytes_sent += msg.len() as u64;
        let resp = requester.ask(peer, Proto::Sync2, msg).await?;
        stats.bytes_received += resp.len() as u64;
        match rec.on_answer(&resp)? {
            Step::Ask(next) => msg = next,
            Step::Done(lack) => break lack,
            Step::Negentropy => {
                stats.protocol = "sync/2+1".into();
                return super::sync::session(peer, requester, ingest, server, stats).await;
            }
        }
    };
    stats.missing = lack.len() as u64;
    let need = lack.iter().map(key_id).collect();
    super::sync::fetch_missing(peer, requester, ingest, need, FetchBy::Key, stats).await
}

/// A key as an id padded with zeros (how [`FetchBy::Key`] names what it wants).
fn key_id(key: &Key) -> Id {
    let mut id = [0u8; 32];
    id[..KEY_BYTES].copy_from_slice(key);
    Id(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u64) -> Id {
        use sha2::{Digest, Sha256};
        Id(Sha256::digest(n.to_be_bytes()).into())
    }

    /// Drive a reconciliation between two sets in memory: rounds, bytes, and the keys
    /// the client lacks.
    fn drive(client: &[Id], server: &[Id]) -> (usize, usize, Step) {
        let (c, s) = (
            Arc::new(Set2::new(client.iter().copied())),
            Set2::new(server.iter().copied()),
        );
        let mut rec = Reconciler::new(c);
        let mut msg = rec.start();
        let (mut rounds, mut bytes) = (0, 0);
        loop {
            rounds += 1;
            let Sync2Request::Cells { from, count } = Sync2Request::decode(&msg).unwrap() else {
                panic!("cells asked")
            };
            let answer = s.answer_cells(from, count);
            bytes += msg.len() + answer.len();
            match rec.on_answer(&answer).unwrap() {
                Step::Ask(next) => msg = next,
                other => return (rounds, bytes, other),
            }
        }
    }

    /// 100 missing among 20,000 take two round trips in almost every case and at most
    /// three, under 8 KB, and find exactly the 100.
    #[test]
    fn a_hundred_missing_take_at_most_three_round_trips() {
        let mut two = 0;
        for seed in 0..40u64 {
            let all: Vec<Id> = (0..20_000).map(|i| id(seed * 1_000_000 + i)).collect();
            let lacking: Vec<Id> = all.iter().step_by(200).copied().collect();
            let client: Vec<Id> = all
                .iter()
                .filter(|i| !lacking.contains(i))
                .copied()
                .collect();
            let (rounds, bytes, step) = drive(&client, &all);
            let Step::Done(lack) = step else {
                panic!("decodes")
            };
            let want: HashSet<Key> = lacking.iter().map(|i| riblt::key_of(&i.0)).collect();
            assert_eq!(lack.into_iter().collect::<HashSet<_>>(), want);
            assert!(rounds <= 3, "seed {seed}: {rounds} rounds");
            assert!(bytes < 8_000, "seed {seed}: {bytes} B");
            two += usize::from(rounds == 2);
        }
        assert!(two >= 30, "two round trips in {two} of 40");
    }

    #[test]
    fn equal_sets_take_one_round_trip_and_a_large_difference_goes_to_negentropy() {
        let all: Vec<Id> = (0..5_000).map(id).collect();
        let (rounds, _, step) = drive(&all, &all);
        assert_eq!(rounds, 1);
        assert!(matches!(step, Step::Done(l) if l.is_empty()));
        let (rounds, _, step) = drive(&all[..2_000], &all);
        assert_eq!(rounds, 1);
        assert!(matches!(step, Step::Negentropy));
    }

    #[test]
    fn requests_out_of_bounds_are_refused() {
        let ok = Sync2Request::Cells {
            from: 10,
            count: 20,
        };
        assert_eq!(Sync2Request::decode(&ok.encode()).unwrap(), ok);
        let get = Sync2Request::Get(vec![[7; 16]; 3]);
        assert_eq!(Sync2Request::decode(&get.encode()).unwrap(), get);
        for bad in [
            Sync2Request::Cells { from: 0, count: 0 },
            Sync2Request::Cells {
                from: 0,
                count: MAX_CELLS_PER_ANSWER + 1,
            },
            Sync2Request::Cells {
                from: MAX_CELLS - 1,
                count: 2,
            },
            Sync2Request::Cells {
                from: u32::MAX,
                count: 2,
            },
            Sync2Request::Get(vec![[1; 16]; FETCH_BATCH + 1]),
        ] {
            assert!(Sync2Request::decode(&bad.encode()).is_err(), "{bad:?}");
        }
        for junk in [
            &[][..],
            &[1],
            &[3, 0, 0, 0, 0],
            &[2, 0, 0, 0, 1, 5],
            &[1, 0, 0, 0, 0, 0, 0, 0, 1, 9],
        ] {
            assert!(Sync2Request::decode(junk).is_err(), "{junk:?}");
        }
    }

    /// A peer answering with forged or short cells ends the session with an error,
    /// never a panic or an endless peel.
    #[test]
    fn forged_answers_are_errors() {
        let set = Arc::new(Set2::new((0..100).map(id)));
        let mut rec = Reconciler::new(set.clone());
        rec.start();
        assert!(rec.on_answer(&[0; 7]).is_err());
        let mut rec = Reconciler::new(set.clone());
        rec.start();
        assert!(rec.on_answer(&[0; 8 + CELL_BYTES]).is_err(), "too short");
        // Every cell the same pure key: inconsistent.
        let k = [9u8; 16];
        let pure = Cell {
            sum: k,
            check: riblt::checksum(&k),
        };
        let mut answer = 100u64.to_be_bytes().to_vec();
        for (i, o) in set
            .cells
            .cells()
            .iter()
            .take(FIRST_CELLS as usize)
            .enumerate()
        {
            let mut c = if i % 2 == 0 { pure } else { Cell::default() };
            c.xor(o);
            c.encode(&mut answer);
        }
        let mut rec = Reconciler::new(set);
        rec.start();
        let r = rec.on_answer(&answer);
        assert!(!matches!(r, Ok(Step::Done(_))), "{r:?}");
    }

    /// Updating a set's cells from an older set gives the cells of a fresh build.
    #[test]
    fn updated_cells_equal_fresh_ones() {
        let old = Set2::new((0..3000).map(id));
        let now: Vec<Id> = (500..3200).map(id).collect();
        let updated = Set2::update(Some(&old), now.iter().copied());
        let fresh = Set2::new(now);
        assert_eq!(updated.ids, fresh.ids);
        assert_eq!(updated.cells, fresh.cells);
        let emptied = Set2::update(Some(&fresh), []);
        assert_eq!(emptied.cells, Encoder::new(MAX_CELLS as usize));
    }

    #[test]
    fn keys_map_back_to_ids() {
        let set = Set2::new((0..1000).map(id));
        for n in [0, 17, 999] {
            assert_eq!(set.id_of(&riblt::key_of(&id(n).0)), Some(id(n)));
        }
        assert_eq!(set.id_of(&riblt::key_of(&id(5000).0)), None);
    }
}
