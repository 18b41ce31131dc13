//! A rateless invertible Bloom lookup table (Yang, Gilad, Alizadeh, "Practical Rateless
//! Set Reconciliation", SIGCOMM 2024) over 16-byte keys, for `/aviso/sync/2`.
//!
//! Each side maps every key of its set to an endless sequence of **coded cells**: cell 0
//! holds every key, cell `i` about one key in `1 + i/2`. A cell is the XOR of its keys and
//! the XOR of their checksums. XOR-ing the cells of two sets cancels what they share and
//! leaves the cells of their symmetric difference; a cell holding one key is *pure*
//! (its checksum matches its sum), which yields that key, and removing it from the other
//! cells it maps to makes more cells pure (peeling). A difference of `d` keys peels from
//! about 1.35–1.7 × `d` cells, whatever the sets' size; and since cells are rateless, the
//! receiver asks for more until it peels, without knowing `d` beforehand.
//!
//! Keys are the first 16 bytes of envelope ids (SHA-256 outputs, so uniform); the
//! checksum and the mapping derive from the key with a public 64-bit mix (see
//! [`checksum`] and [`indices`]; docs/protocol.md specifies both bit for bit). Pure code:
//! no I/O, bounded work for any input (a forged cell stream cannot make peeling loop).

use std::collections::HashSet;

/// Bytes of a key: a prefix of an envelope id. 128 bits: two ids of a store sharing it
/// by chance is about 2^-88 at a million ids, and grinding one costs about 2^64 hashes.
pub const KEY_BYTES: usize = 16;
/// Bytes of one cell on the wire: the key sum and the 64-bit checksum sum.
pub const CELL_BYTES: usize = KEY_BYTES + 8;
/// A key: the first [`KEY_BYTES`] of an envelope id.
pub type Key = [u8; KEY_BYTES];

/// The multiplier of the mapping's pseudo-random sequence (from the paper's reference
/// implementation).
const MAPPING_MULTIPLIER: u64 = 0xda94_2042_e4dd_58b5;
/// Domain separation of the checksum: `"aviso/s2"` as a big-endian integer.
const CHECKSUM_TAG: u64 = 0x6176_6973_6f2f_7332;

/// The key of an envelope id: its first [`KEY_BYTES`].
pub fn key_of(id: &[u8; 32]) -> Key {
    let mut k = [0u8; KEY_BYTES];
    k.copy_from_slice(&id[..KEY_BYTES]);
    k
}

/// SplitMix64's finalizer: a bijective 64-bit mix.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The checksum of a key, which also seeds its mapping:
/// `mix(lo ^ mix(hi ^ TAG))` with `lo`, `hi` the key's halves as little-endian `u64`.
pub fn checksum(key: &Key) -> u64 {
    let (lo, hi) = key.split_at(8);
    let lo = u64::from_le_bytes(lo.try_into().expect("a key has two 8-byte halves"));
    let hi = u64::from_le_bytes(hi.try_into().expect("a key has two 8-byte halves"));
    mix(lo ^ mix(hi ^ CHECKSUM_TAG))
}

/// The cells below `limit` that `key` maps to, in increasing order (always 0 first).
pub fn indices(key: &Key, limit: u64) -> Indices {
    Indices {
        prng: checksum(key),
        next: 0,
        limit,
    }
}

/// Iterator of [`indices`].
#[derive(Debug, Clone)]
pub struct Indices {
    prng: u64,
    next: u64,
    limit: u64,
}

impl Iterator for Indices {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.next >= self.limit {
            return None;
        }
        let i = self.next;
        self.prng = self.prng.wrapping_mul(MAPPING_MULTIPLIER);
        // The gap to the next index makes cell `i` hold a key with probability about
        // 1 / (1 + i/2). IEEE arithmetic (sqrt and ceil are exact), no fused
        // operations, so every platform computes the same indices.
        let gap = ((i as f64 + 1.5)
            * ((1u64 << 32) as f64 / ((self.prng as f64) + 1.0).sqrt() - 1.0))
            .ceil();
        // `as` saturates; a gap of at least 1 keeps the sequence increasing.
        self.next = i.saturating_add((gap as u64).max(1));
        Some(i)
    }
}

/// One coded cell: the XOR of its keys and the XOR of their checksums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// XOR of the keys.
    pub sum: Key,
    /// XOR of the keys' checksums.
    pub check: u64,
}

impl Cell {
    /// Add or remove (the same, under XOR) a key with its checksum.
    pub fn toggle(&mut self, key: &Key, check: u64) {
        for (s, k) in self.sum.iter_mut().zip(key) {
            *s ^= k;
        }
        self.check ^= check;
    }

    /// XOR another cell in: the cell of the symmetric difference.
    pub fn xor(&mut self, other: &Cell) {
        self.toggle(&other.sum, other.check);
    }

    /// Holds no key (or keys that cancel).
    pub fn is_zero(&self) -> bool {
        self.check == 0 && self.sum == [0; KEY_BYTES]
    }

    /// Holds exactly one key (up to a 2^-64 chance of a false match).
    pub fn is_pure(&self) -> bool {
        !self.is_zero() && checksum(&self.sum) == self.check
    }

    /// Append the wire form: the sum, then the checksum big-endian.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.sum);
        out.extend_from_slice(&self.check.to_be_bytes());
    }

    /// Read the wire form.
    pub fn decode(b: &[u8; CELL_BYTES]) -> Cell {
        let (sum, check) = b.split_at(KEY_BYTES);
        Cell {
            sum: sum.try_into().expect("a cell starts with a key"),
            check: u64::from_be_bytes(check.try_into().expect("a cell ends with 8 bytes")),
        }
    }
}

/// The first cells of a set, kept up to date as keys come and go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoder {
    cells: Vec<Cell>,
}

impl Encoder {
    /// The first `len` cells of the empty set.
    pub fn new(len: usize) -> Self {
        Self {
            cells: vec![Cell::default(); len],
        }
    }

    /// Add a key that is not in the set, or remove one that is. Touches about
    /// `2 ln(len)` cells.
    pub fn toggle(&mut self, key: &Key) {
        let check = checksum(key);
        for i in indices(key, self.cells.len() as u64) {
            self.cells[i as usize].toggle(key, check);
        }
    }

    /// The cells.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }
}

/// Why peeling stopped without the whole difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// A key came out twice: the cells are not those of two sets (a forged stream).
    #[error("cells are inconsistent: a key peeled twice")]
    Inconsistent,
    /// More keys than the cells could honestly hold.
    #[error("cells yield more keys than they can hold")]
    TooManyKeys,
}

/// Peels the difference of two sets from their cells, given in order.
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    /// Difference cells received so far, with the keys found removed.
    cells: Vec<Cell>,
    /// Keys found, in the order found.
    found: Vec<Key>,
    seen: HashSet<Key>,
    failed: Option<DecodeError>,
}

impl Decoder {
    /// A decoder with no cells.
    pub fn new() -> Self {
        Self::default()
    }

    /// Cells received so far.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// No cell received yet.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Add the next difference cells (theirs XOR ours, indices `len()..`) and peel what
    /// can be peeled.
    pub fn extend(&mut self, diff: impl IntoIterator<Item = Cell>) -> Result<(), DecodeError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let start = self.cells.len();
        self.cells.extend(diff);
        let end = self.cells.len() as u64;
        // Keys already found are gone from the old cells; take them out of the new ones.
        for key in &self.found {
            let check = checksum(key);
            for i in indices(key, end).skip_while(|&i| i < start as u64) {
                self.cells[i as usize].toggle(key, check);
            }
        }
        let pure: Vec<usize> = (start..self.cells.len())
            .filter(|&i| self.cells[i].is_pure())
            .collect();
        let r = self.peel(pure);
        if let Err(e) = r {
            self.failed = Some(e);
        }
        r
    }

    fn peel(&mut self, mut stack: Vec<usize>) -> Result<(), DecodeError> {
        let end = self.cells.len() as u64;
        while let Some(i) = stack.pop() {
            let cell = self.cells[i];
            if !cell.is_pure() {
                continue;
            }
            // Honest cells of a difference of d keys hold d keys; every peel empties a
            // cell, so more keys than cells means the stream is forged.
            if self.found.len() >= self.cells.len() {
                return Err(DecodeError::TooManyKeys);
            }
            if !self.seen.insert(cell.sum) {
                return Err(DecodeError::Inconsistent);
            }
            for j in indices(&cell.sum, end) {
                let c = &mut self.cells[j as usize];
                c.toggle(&cell.sum, cell.check);
                if c.is_pure() {
                    stack.push(j as usize);
                }
            }
            self.found.push(cell.sum);
        }
        Ok(())
    }

    /// The whole difference is found: cell 0, which holds every key, is empty (a
    /// nonempty set of keys XOR-ing to zero in key and checksum has chance ~2^-192).
    pub fn is_done(&self) -> bool {
        self.failed.is_none() && self.cells.first().is_some_and(Cell::is_zero)
    }

    /// The keys found so far (of both sides of the difference).
    pub fn found(&self) -> &[Key] {
        &self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(seed: u64, n: usize) -> Vec<Key> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                let mut k = [0u8; KEY_BYTES];
                s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                k[..8].copy_from_slice(&mix(s).to_le_bytes());
                s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                k[8..].copy_from_slice(&mix(s).to_le_bytes());
                k
            })
            .collect()
    }

    /// Cells needed to peel `ours` against `theirs`, one cell at a time; the keys found.
    fn reconcile(ours: &[Key], theirs: &[Key], max: usize) -> (usize, HashSet<Key>) {
        let (mut a, mut b) = (Encoder::new(max), Encoder::new(max));
        ours.iter().for_each(|k| a.toggle(k));
        theirs.iter().for_each(|k| b.toggle(k));
        let mut d = Decoder::new();
        for i in 0..max {
            let mut c = b.cells()[i];
            c.xor(&a.cells()[i]);
            d.extend([c]).expect("honest cells decode");
            if d.is_done() {
                return (i + 1, d.found().iter().copied().collect());
            }
        }
        (max + 1, HashSet::new())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any two sets whose difference is up to a few hundred keys (on either side)
        /// peel to exactly that difference, within 3 cells per key plus 40.
        #[test]
        fn any_difference_peels_to_exactly_itself(
            seed in any::<u64>(), common in 0usize..3000, only_a in 0usize..200, only_b in 0usize..200,
        ) {
            let all = keys(seed, common + only_a + only_b);
            let (shared, rest) = all.split_at(common);
            let (a_only, b_only) = rest.split_at(only_a);
            let a: Vec<Key> = shared.iter().chain(a_only).copied().collect();
            let b: Vec<Key> = shared.iter().chain(b_only).copied().collect();
            let d = only_a + only_b;
            let bound = 3 * d + 40;
            let (cells, found) = reconcile(&a, &b, bound);
            prop_assert!(cells <= bound, "{d} keys needed {cells} cells");
            let want: HashSet<Key> = a_only.iter().chain(b_only).copied().collect();
            prop_assert_eq!(found, want);
        }
    }

    /// The average cost at the sizes sync/2 is built for: about 1.5 cells per key at 100.
    #[test]
    fn a_hundred_keys_take_about_one_and_a_half_cells_each() {
        let mut total = 0;
        for seed in 0..20 {
            let all = keys(seed, 1100);
            let (cells, found) = reconcile(&all[..1000], &all, 400);
            assert_eq!(found.len(), 100);
            total += cells;
        }
        let mean = total as f64 / 20.0 / 100.0;
        assert!((1.2..1.9).contains(&mean), "mean {mean} cells per key");
    }

    /// Equal sets are seen equal from cell 0 alone.
    #[test]
    fn equal_sets_decode_from_one_cell() {
        let all = keys(7, 500);
        assert_eq!(reconcile(&all, &all, 10).0, 1);
    }

    /// Indices start at 0, increase, and thin out like 1 / (1 + i/2).
    #[test]
    fn indices_increase_and_thin_out() {
        let ks = keys(3, 4000);
        let mut hits = vec![0u32; 64];
        for k in &ks {
            let idx: Vec<u64> = indices(k, 64).collect();
            assert_eq!(idx.first(), Some(&0));
            assert!(idx.windows(2).all(|w| w[0] < w[1]));
            idx.iter().for_each(|&i| hits[i as usize] += 1);
        }
        for (i, &h) in hits.iter().enumerate().skip(1) {
            let p = h as f64 / ks.len() as f64;
            let expect = 1.0 / (1.0 + i as f64 / 2.0);
            assert!(
                (p - expect).abs() < 0.06 + expect * 0.2,
                "cell {i}: {p} vs {expect}"
            );
        }
    }

    /// A forged stream (the same pure cell everywhere) stops with an error instead of
    /// peeling forever.
    #[test]
    fn forged_cells_cannot_make_peeling_loop() {
        let k = keys(9, 1)[0];
        let pure = Cell {
            sum: k,
            check: checksum(&k),
        };
        let mut d = Decoder::new();
        let r = d.extend(vec![pure; 64]);
        assert!(r.is_err() || !d.is_done(), "{r:?}");
        assert!(d.found().len() <= 64);
        // Garbage never panics and never finds more keys than cells.
        let mut d = Decoder::new();
        let junk: Vec<Cell> = keys(10, 100)
            .into_iter()
            .map(|sum| Cell { sum, check: 1 })
            .collect();
        let _ = d.extend(junk);
        assert!(d.found().len() <= 100);
    }

    #[test]
    fn cells_round_trip_on_the_wire() {
        let c = Cell {
            sum: keys(1, 1)[0],
            check: 0x0102_0304_0506_0708,
        };
        let mut out = Vec::new();
        c.encode(&mut out);
        assert_eq!(out.len(), CELL_BYTES);
        assert_eq!(Cell::decode(out.as_slice().try_into().unwrap()), c);
    }
}
