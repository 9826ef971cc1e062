//! Login throttling per account and per client address, so passwords cannot be guessed
//! quickly. Failures count in a fixed window; the caller passes the time in.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

/// How long failures are remembered.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed logins allowed per account in a window.
pub const PER_ACCOUNT: u32 = 5;
/// Failed logins allowed per client address in a window (an office may share one address).
pub const PER_ADDRESS: u32 = 30;
/// Above this many remembered keys, expired ones are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Clone, Copy)]
struct Window {
    /// Clock milliseconds.
    started: i64,
    failures: u32,
}

/// Time from `start` to `now` (both clock milliseconds); zero if the clock went back.
fn since(start: i64, now: i64) -> Duration {
    Duration::from_millis(u64::try_from(now - start).unwrap_or(0))
}

struct Counter<K> {
    limit: u32,
    windows: HashMap<K, Window>,
}

impl<K: Hash + Eq> Counter<K> {
    fn new(limit: u32) -> Self {
        Self {
            limit,
            windows: HashMap::new(),
        }
    }

    /// Seconds until `key` may try again, if it is over its limit.
    fn blocked_for(&self, key: &K, now: i64) -> Option<u64> {
        let w = self.windows.get(key)?;
        let elapsed = since(w.started, now);
        (w.failures >= self.limit && elapsed < WINDOW).then(|| (WINDOW - elapsed).as_secs().max(1))
    }

    fn fail(&mut self, key: K, now: i64) {
        if self.windows.len() >= SWEEP_AT {
            self.windows.retain(|_, w| since(w.started, now) < WINDOW);
        }
        let w = self.windows.entry(key).or_insert(Window {
            started: now,
            failures: 0,
        });
        if since(w.started, now) >= WINDOW {
            *w = Window {
                started: now,
                failures: 0,
            };
        }
        w.failures += 1;
    }
}

pub struct LoginLimiter {
    inner: Mutex<(Counter<String>, Counter<IpAddr>)>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self {
            inner: Mutex::new((Counter::new(PER_ACCOUNT), Counter::new(PER_ADDRESS))),
        }
    }
}

impl LoginLimiter {
    /// `Err(seconds)` when this account or address must wait before trying again.
    pub fn check(&self, account: &str, addr: IpAddr, now: i64) -> Result<(), u64> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let wait = guard
            .0
            .blocked_for(&account.to_owned(), now)
            .max(guard.1.blocked_for(&addr, now));
        wait.map_or(Ok(()), Err)
    }

    pub fn failed(&self, account: &str, addr: IpAddr, now: i64) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.fail(account.to_owned(), now);
        guard.1.fail(addr, now);
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn succeeded(&self, account: &str) {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.0.windows.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn account_blocks_after_its_limit_and_recovers_after_the_window() {
        let l = LoginLimiter::default();
        let t0 = 1_700_000_000_000;
        for _ in 0..PER_ACCOUNT {
            assert!(l.check("demo/agent1", A, t0).is_ok());
            l.failed("demo/agent1", A, t0);
        }
        let wait = l.check("demo/agent1", A, t0).unwrap_err();
        assert_eq!(wait, WINDOW.as_secs());
        assert!(
            l.check("demo/agent2", A, t0).is_ok(),
            "other accounts are unaffected"
        );
        assert!(l
            .check("demo/agent1", A, t0 + WINDOW.as_millis() as i64)
            .is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let l = LoginLimiter::default();
        let t0 = 1_700_000_000_000;
        for _ in 0..PER_ACCOUNT - 1 {
            l.failed("x", A, t0);
        }
        l.succeeded("x");
        l.failed("x", A, t0);
        assert!(l.check("x", A, t0).is_ok());
    }

    #[test]
    fn address_blocks_across_accounts() {
        let l = LoginLimiter::default();
        let t0 = 1_700_000_000_000;
        for i in 0..PER_ADDRESS {
            l.failed(&format!("user{i}"), A, t0);
        }
        assert!(l.check("fresh", A, t0).is_err());
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(l.check("fresh", other, t0).is_ok());
    }
}
