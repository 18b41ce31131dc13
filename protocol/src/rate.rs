//! Rate limiting as a pure state machine: token buckets keyed by peer or author.
//!
//! The caller passes the time in milliseconds. The table is bounded: when it is full, idle
//! (refilled) buckets are dropped first; if none are idle, the new key is refused, so a
//! flood of fresh keys cannot reset anyone's bucket or grow memory.

use std::collections::HashMap;
use std::hash::Hash;

/// A token bucket per key.
#[derive(Debug, Clone)]
pub struct RateLimiter<K> {
    per_sec: u32,
    burst: u32,
    max_keys: usize,
    buckets: HashMap<K, Bucket>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Tokens scaled by 1000, so refills at sub-token resolution stay integer.
    milli_tokens: u64,
    last_ms: u64,
}

impl<K: Hash + Eq + Clone> RateLimiter<K> {
    /// `per_sec` sustained, `burst` at once, at most `max_keys` keys tracked.
    pub fn new(per_sec: u32, burst: u32, max_keys: usize) -> Self {
        Self {
            per_sec,
            burst: burst.max(1),
            max_keys: max_keys.max(1),
            buckets: HashMap::new(),
        }
    }

    fn full(&self) -> u64 {
        u64::from(self.burst) * 1000
    }

    fn refill(&self, b: &mut Bucket, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(b.last_ms);
        let add = elapsed.saturating_mul(u64::from(self.per_sec));
        b.milli_tokens = b.milli_tokens.saturating_add(add).min(self.full());
        b.last_ms = b.last_ms.max(now_ms);
    }

    /// Take one token for `key` at `now_ms`; `false` means over the limit.
    pub fn check(&mut self, key: &K, now_ms: u64) -> bool {
        if !self.buckets.contains_key(key) {
            if self.buckets.len() >= self.max_keys {
                self.prune(now_ms);
                if self.buckets.len() >= self.max_keys {
                    return false;
                }
            }
            self.buckets.insert(
                key.clone(),
                Bucket {
                    milli_tokens: self.full(),
                    last_ms: now_ms,
                },
            );
        }
        let mut b = self.buckets[key];
        self.refill(&mut b, now_ms);
        let ok = b.milli_tokens >= 1000;
        if ok {
            b.milli_tokens -= 1000;
        }
        self.buckets.insert(key.clone(), b);
        ok
    }

    /// Drop buckets that have refilled completely: they carry no state worth keeping.
    pub fn prune(&mut self, now_ms: u64) {
        let full = self.full();
        let (per_sec, burst) = (u64::from(self.per_sec), u64::from(self.burst));
        self.buckets.retain(|_, b| {
            let elapsed = now_ms.saturating_sub(b.last_ms);
            let refilled = b
                .milli_tokens
                .saturating_add(elapsed.saturating_mul(per_sec));
            refilled < full && burst > 0
        });
    }

    /// Keys tracked now.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// Whether no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let mut r = RateLimiter::new(10, 5, 100);
        for _ in 0..5 {
            assert!(r.check(&1, 0));
        }
        assert!(!r.check(&1, 0));
        assert!(r.check(&1, 100)); // 100 ms at 10/s = one token
        assert!(!r.check(&1, 100));
    }

    #[test]
    fn bounded_table() {
        let mut r = RateLimiter::new(1, 1, 3);
        for k in 0..3 {
            assert!(r.check(&k, 0));
        }
        assert!(!r.check(&99, 0), "table full of busy keys refuses new ones");
        assert!(r.check(&99, 5_000), "idle keys are pruned");
        assert!(r.len() <= 3);
    }
}
