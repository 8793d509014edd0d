//! An opt-in cache of access tokens already verified, for a resource server whose clients send
//! the same token on many requests: a hit costs a SHA-256 of the token and a map lookup instead
//! of a signature check. Keyed by the token itself (a hit is the exact bytes that were verified;
//! the map's SipHash keys resist collision floods), bounded in size and age, and the expiry is
//! checked again on every hit.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::claims::Claims;

struct Entry {
    claims: Arc<Claims>,
    /// When the entry stops being used, whatever the token's expiry.
    until: Instant,
}

pub(crate) struct VerifiedCache {
    capacity: usize,
    max_age: Duration,
    entries: Mutex<HashMap<Box<str>, Entry>>,
}

impl VerifiedCache {
    pub(crate) fn new(capacity: usize, max_age: Duration) -> Self {
        VerifiedCache { capacity: capacity.max(1), max_age, entries: Mutex::default() }
    }

    /// The claims of a token verified before, if its entry is young enough and the token has
    /// not expired since (`now` and `leeway` in seconds).
    pub(crate) fn get(&self, token: &str, now: u64, leeway: u64) -> Option<Arc<Claims>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(token)?;
        (entry.until > Instant::now() && entry.claims.exp.saturating_add(leeway) >= now)
            .then(|| Arc::clone(&entry.claims))
    }

    pub(crate) fn put(&self, token: &str, claims: Arc<Claims>) {
        let until = Instant::now().checked_add(self.max_age).unwrap_or_else(Instant::now);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= self.capacity {
            let now = Instant::now();
            entries.retain(|_, entry| entry.until > now);
            if entries.len() >= self.capacity {
                // Still full of live entries (a flood of distinct tokens): start over rather
                // than grow; the cost is one more signature check per token.
                entries.clear();
            }
        }
        entries.insert(token.into(), Entry { claims, until });
    }
}
