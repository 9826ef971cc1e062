//! Login throttling, so passwords cannot be guessed quickly and a guesser cannot lock the
//! real user out. Failures are counted per (account, source address) and, separately, per
//! source address; past a few free failures each key must wait a delay that doubles with
//! every further failure (capped), and is forgotten after a quiet spell. Nothing is a
//! lock-out: once a key's delay has passed, the right password gets in. The caller passes
//! the time in (the server's clock).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;

/// Failures per (account, source) before delays start.
pub const FREE_PER_ACCOUNT: u32 = 3;
/// Failures per source (all accounts) before delays start: an office may share an address.
pub const FREE_PER_SOURCE: u32 = 30;
/// The first delay; each further failure doubles it.
const FIRST_DELAY_MS: i64 = 1_000;
/// The longest delay.
pub const MAX_DELAY_MS: i64 = 15 * 60 * 1000;
/// A key with no failure for this long starts afresh.
pub const FORGET_MS: i64 = 15 * 60 * 1000;
/// Keys remembered at most per map; beyond it the stalest is dropped.
const MAX_KEYS: usize = 100_000;

#[derive(Clone, Copy)]
struct Failures {
    count: u32,
    last_ms: i64,
}

impl Failures {
    /// Milliseconds until the next try is allowed, if it is not yet.
    fn wait_ms(&self, free: u32, now: i64) -> Option<i64> {
        if self.count < free || now - self.last_ms >= FORGET_MS {
            return None;
        }
        let doublings = (self.count - free).min(20);
        let delay = (FIRST_DELAY_MS << doublings).min(MAX_DELAY_MS);
        let left = self.last_ms + delay - now;
        (left > 0).then_some(left)
    }
}

struct Counter<K> {
    free: u32,
    keys: HashMap<K, Failures>,
}

impl<K: Hash + Eq + Clone> Counter<K> {
    fn new(free: u32) -> Self {
        Self {
            free,
            keys: HashMap::new(),
        }
    }

    fn wait_ms(&self, key: &K, now: i64) -> Option<i64> {
        self.keys.get(key)?.wait_ms(self.free, now)
    }

    fn fail(&mut self, key: K, now: i64) {
        if self.keys.len() >= MAX_KEYS && !self.keys.contains_key(&key) {
            self.make_room(now);
        }
        let f = self.keys.entry(key).or_insert(Failures {
            count: 0,
            last_ms: now,
        });
        if now - f.last_ms >= FORGET_MS {
            f.count = 0;
        }
        f.count = f.count.saturating_add(1);
        f.last_ms = now;
    }

    /// Forgets quiet keys; if none is quiet, the stalest one.
    fn make_room(&mut self, now: i64) {
        self.keys.retain(|_, f| now - f.last_ms < FORGET_MS);
        if self.keys.len() >= MAX_KEYS {
            let stalest = self
                .keys
                .iter()
                .min_by_key(|(_, f)| f.last_ms)
                .map(|(k, _)| k.clone());
            if let Some(k) = stalest {
                self.keys.remove(&k);
            }
        }
    }
}

/// Failures of one account from one address, and of one address in all.
struct Counters {
    account: Counter<(String, IpAddr)>,
    source: Counter<IpAddr>,
}

pub struct LoginLimiter {
    inner: Mutex<Counters>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Counters {
                account: Counter::new(FREE_PER_ACCOUNT),
                source: Counter::new(FREE_PER_SOURCE),
            }),
        }
    }
}

impl LoginLimiter {
    /// `Err(seconds)` when this account from this address, or this address, must wait.
    pub fn check(&self, account: &str, source: IpAddr, now: i64) -> Result<(), u64> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let wait = guard
            .account
            .wait_ms(&(account.to_owned(), source), now)
            .max(guard.source.wait_ms(&source, now));
        match wait {
            Some(ms) => Err(u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1)),
            None => Ok(()),
        }
    }

    pub fn failed(&self, account: &str, source: IpAddr, now: i64) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.account.fail((account.to_owned(), source), now);
        guard.source.fail(source, now);
    }

    /// A successful login clears the account's failures from this address (not the
    /// address's own, or one valid account would wash a guesser's record clean).
    pub fn succeeded(&self, account: &str, source: IpAddr) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.account.keys.remove(&(account.to_owned(), source));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 2));
    const T0: i64 = 1_700_000_000_000;

    #[test]
    fn delays_grow_and_the_right_password_gets_in_once_they_pass() {
        let l = LoginLimiter::default();
        let mut now = T0;
        for _ in 0..FREE_PER_ACCOUNT {
            assert!(l.check("demo/admin", A, now).is_ok());
            l.failed("demo/admin", A, now);
        }
        // Each further failure doubles the wait: 1 s, 2 s, 4 s…
        for expected_s in [1, 2, 4, 8] {
            assert_eq!(l.check("demo/admin", A, now), Err(expected_s));
            now += i64::try_from(expected_s).unwrap() * 1000;
            assert!(
                l.check("demo/admin", A, now).is_ok(),
                "allowed once the delay passed"
            );
            l.failed("demo/admin", A, now);
        }
        assert_eq!(l.check("demo/admin", A, now), Err(16));
        assert!(
            l.check("demo/admin", B, now).is_ok(),
            "the same account from elsewhere"
        );
        assert!(
            l.check("demo/agent1", A, now).is_ok(),
            "another account here"
        );
        now += 16_000;
        l.succeeded("demo/admin", A);
        assert!(l.check("demo/admin", A, now).is_ok());
    }

    #[test]
    fn delays_are_capped_and_forgotten_after_a_quiet_spell() {
        let l = LoginLimiter::default();
        for _ in 0..40 {
            l.failed("x", A, T0);
        }
        let capped = l.check("x", A, T0).unwrap_err();
        assert_eq!(capped, u64::try_from(MAX_DELAY_MS / 1000).unwrap());
        assert!(l.check("x", A, T0 + FORGET_MS).is_ok());
    }

    #[test]
    fn many_accounts_from_one_source_slow_that_source_only() {
        let l = LoginLimiter::default();
        for i in 0..FREE_PER_SOURCE {
            l.failed(&format!("user{i}"), A, T0);
        }
        assert_eq!(
            l.check("someone-else", A, T0),
            Err(1),
            "the source waits a second"
        );
        assert!(
            l.check("someone-else", A, T0 + 1000).is_ok(),
            "not locked out"
        );
        assert!(
            l.check("someone-else", B, T0).is_ok(),
            "other sources unaffected"
        );
    }

    #[test]
    fn memory_is_bounded() {
        let mut c = Counter::<u32>::new(1);
        for i in 0..(MAX_KEYS as u32 + 10) {
            c.fail(i, T0 + i64::from(i));
        }
        assert!(c.keys.len() <= MAX_KEYS);
        assert!(!c.keys.contains_key(&0), "the stalest went first");
    }
}
