//! Bounds on what a stranger can make the switch do: authentication failures per source
//! address (growing bans, like the web login) and new requests per source per second.

use std::collections::HashMap;
use std::net::IpAddr;

/// Failures allowed before a source is banned; each further failure doubles the ban.
const FREE_FAILURES: u32 = 5;
const FIRST_BAN_MS: u64 = 30_000;
const MAX_BAN_MS: u64 = 3_600_000;
/// Forget a source after this long without failures.
const FORGET_MS: u64 = 3_600_000;
/// Sources remembered at most; beyond it the oldest are forgotten first.
const MAX_SOURCES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Record {
    failures: u32,
    last: u64,
    banned_until: u64,
}

#[derive(Default)]
pub struct AuthGuard {
    sources: HashMap<IpAddr, Record>,
}

impl AuthGuard {
    pub fn banned(&self, source: IpAddr, now: u64) -> bool {
        self.sources
            .get(&source)
            .is_some_and(|r| r.banned_until > now)
    }

    pub fn failed(&mut self, source: IpAddr, now: u64) {
        if self.sources.len() >= MAX_SOURCES && !self.sources.contains_key(&source) {
            self.sources
                .retain(|_, r| now.saturating_sub(r.last) < FORGET_MS);
            if self.sources.len() >= MAX_SOURCES {
                return;
            }
        }
        let r = self.sources.entry(source).or_insert(Record {
            failures: 0,
            last: now,
            banned_until: 0,
        });
        if now.saturating_sub(r.last) > FORGET_MS {
            r.failures = 0;
        }
        r.failures += 1;
        r.last = now;
        if r.failures > FREE_FAILURES {
            let doublings = (r.failures - FREE_FAILURES - 1).min(20);
            r.banned_until = now + (FIRST_BAN_MS << doublings).min(MAX_BAN_MS);
        }
    }

    pub fn succeeded(&mut self, source: IpAddr) {
        self.sources.remove(&source);
    }
}

/// New dialog-creating requests (INVITE, REGISTER, OPTIONS outside a dialog) per source, in
/// one-second windows; a flood from one address does not starve the others.
pub struct RequestRate {
    per_second: u32,
    window: u64,
    counts: HashMap<IpAddr, u32>,
}

impl RequestRate {
    pub fn new(per_second: u32) -> RequestRate {
        RequestRate {
            per_second,
            window: 0,
            counts: HashMap::new(),
        }
    }

    pub fn allow(&mut self, source: IpAddr, now: u64) -> bool {
        let window = now / 1_000;
        if window != self.window {
            self.window = window;
            self.counts.clear();
        }
        let n = self.counts.entry(source).or_insert(0);
        *n += 1;
        *n <= self.per_second
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bans_grow_after_the_free_failures_and_a_success_clears_them() {
        let ip: IpAddr = "127.0.0.9".parse().unwrap_or(IpAddr::from([127, 0, 0, 9]));
        let mut g = AuthGuard::default();
        for _ in 0..FREE_FAILURES {
            g.failed(ip, 0);
        }
        assert!(!g.banned(ip, 0));
        g.failed(ip, 0);
        assert!(g.banned(ip, FIRST_BAN_MS - 1) && !g.banned(ip, FIRST_BAN_MS));
        g.failed(ip, FIRST_BAN_MS);
        assert!(g.banned(ip, 3 * FIRST_BAN_MS - 1));
        g.succeeded(ip);
        assert!(!g.banned(ip, FIRST_BAN_MS));
        let other: IpAddr = IpAddr::from([127, 0, 0, 10]);
        assert!(
            !g.banned(other, 0),
            "one source's failures do not touch another"
        );
    }

    #[test]
    fn the_request_rate_is_per_source_and_per_second() {
        let (a, b) = (IpAddr::from([127, 0, 0, 1]), IpAddr::from([127, 0, 0, 2]));
        let mut r = RequestRate::new(2);
        assert!(r.allow(a, 0) && r.allow(a, 10) && !r.allow(a, 20));
        assert!(r.allow(b, 30));
        assert!(r.allow(a, 1_000));
    }
}
