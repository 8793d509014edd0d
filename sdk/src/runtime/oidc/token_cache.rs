//! A small cache keyed by a token's exact bytes (a hit is the very token that was checked; the
//! map's SipHash keys resist collision floods), bounded in size and in the age of its entries.
//! Two caches use it: the verifier's opt-in cache of verified access tokens (a hit is a map
//! lookup instead of a signature check) and the resource server's cache of introspection
//! responses (a client's burst of requests costs one introspection).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) struct TokenCache<V> {
    capacity: usize,
    max_age: Duration,
    /// Each value with the instant it stops being used.
    entries: Mutex<HashMap<Box<str>, (V, Instant)>>,
}

impl<V: Clone> TokenCache<V> {
    pub(crate) fn new(capacity: usize, max_age: Duration) -> Self {
        TokenCache { capacity: capacity.max(1), max_age, entries: Mutex::default() }
    }

    /// The value kept for `token`, if it is younger than the maximum age.
    pub(crate) fn get(&self, token: &str) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (value, until) = entries.get(token)?;
        (*until > Instant::now()).then(|| value.clone())
    }

    pub(crate) fn put(&self, token: &str, value: V) {
        let until = Instant::now().checked_add(self.max_age).unwrap_or_else(Instant::now);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            let now = Instant::now();
            entries.retain(|_, (_, until)| *until > now);
            if entries.len() >= self.capacity {
                // Still full of live entries (a flood of distinct tokens): start over rather
                // than grow; the cost is one more check per token.
                entries.clear();
            }
        }
        entries.insert(token.into(), (value, until));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_age_out_and_the_size_stays_bounded() {
        let cache = TokenCache::new(2, Duration::from_secs(60));
        cache.put("a", 1);
        cache.put("b", 2);
        assert_eq!((cache.get("a"), cache.get("b"), cache.get("c")), (Some(1), Some(2), None));
        cache.put("c", 3); // full of live entries: starts over
        assert_eq!((cache.get("a"), cache.get("c")), (None, Some(3)));
        let young = TokenCache::new(10, Duration::ZERO);
        young.put("a", 1);
        assert_eq!(young.get("a"), None);
    }
}
