//! Limits on the public customer socket, so anonymous clients cannot exhaust the server or
//! fill a queue: open customer sockets per source and in total, and `start`s per source and
//! per entry point (token buckets on the server's clock, kept as GCRA: one instant per key).
//! Memory stays bounded: socket counts exist only for open sockets, and a bucket map sweeps its
//! full (idle) buckets when it reaches [`MAX_KEYS`] and refuses new keys while still full.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use switchboard_engine::ChatEntryId;

use crate::error::ApiError;

/// Open customer sockets per source: a household or an office behind one address has a few
/// tabs open, not dozens.
pub const SOCKETS_PER_SOURCE: u32 = 20;
/// Open customer sockets per server: what one server is sized for (see the chat benchmark).
pub const SOCKETS_TOTAL: u32 = 10_000;
/// `start`s per source: a burst of 20, then one every 3 s (20 a minute). A person starts a
/// conversation or two; a retried `start` counts too.
pub const STARTS_PER_SOURCE: Rate = Rate {
    burst: 20,
    every_ms: 3_000,
};
/// `start`s per entry point: a burst of 120, then ten a second (36,000 an hour, far above
/// any real entry point), so a crowd of sources cannot flood a queue faster than that.
pub const STARTS_PER_ENTRY: Rate = Rate {
    burst: 120,
    every_ms: 100,
};
/// Most keys one bucket map remembers (about 2 MB).
const MAX_KEYS: usize = 50_000;
/// A full map is swept at most this often (a sweep reads every key).
const SWEEP_EVERY_MS: i64 = 1_000;

/// A token bucket: `burst` at once, then one more every `every_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub every_ms: i64,
}

/// How much a server lets customer sockets do; [`Default`] is the constants above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChatLimits {
    pub sockets_per_source: u32,
    pub sockets_total: u32,
    pub starts_per_source: Rate,
    pub starts_per_entry: Rate,
}

impl Default for ChatLimits {
    fn default() -> Self {
        Self {
            sockets_per_source: SOCKETS_PER_SOURCE,
            sockets_total: SOCKETS_TOTAL,
            starts_per_source: STARTS_PER_SOURCE,
            starts_per_entry: STARTS_PER_ENTRY,
        }
    }
}

/// Where a client comes from, for the limits: its IPv4 address, or the /64 network of its
/// IPv6 address (one subscriber's network, which hands out addresses freely).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Source(IpAddr);

impl Source {
    pub fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !u128::from(u64::MAX);
                Source(IpAddr::V6(network.into()))
            }
            v4 => Source(v4),
        }
    }
}

/// One token bucket per key, each kept as the instant it will be full again (GCRA's
/// "theoretical arrival time"): at most `burst` takes ahead of now, one per `every_ms`.
struct Buckets<K> {
    rate: Rate,
    full_at: HashMap<K, i64>,
    swept_at: i64,
}

impl<K: Hash + Eq + Copy> Buckets<K> {
    fn new(rate: Rate) -> Self {
        Self {
            rate,
            full_at: HashMap::new(),
            swept_at: i64::MIN,
        }
    }

    /// The key's next `full_at` if it may take a token now, else the milliseconds to wait.
    fn check(&mut self, key: K, now: i64) -> Result<i64, i64> {
        let every = self.rate.every_ms.max(1);
        if !self.full_at.contains_key(&key) && !self.room(now) {
            return Err(every);
        }
        let full_at = self.full_at.get(&key).copied().unwrap_or(now).max(now);
        let ahead = full_at - now;
        let allowed = i64::from(self.rate.burst.max(1) - 1) * every;
        if ahead > allowed {
            return Err(ahead - allowed);
        }
        Ok(full_at + every)
    }

    /// Whether a new key fits, sweeping full buckets first when the map is at its cap.
    fn room(&mut self, now: i64) -> bool {
        if self.full_at.len() < MAX_KEYS {
            return true;
        }
        if now.saturating_sub(self.swept_at) >= SWEEP_EVERY_MS {
            self.swept_at = now;
            self.full_at.retain(|_, full_at| *full_at > now);
        }
        self.full_at.len() < MAX_KEYS
    }
}

/// Open customer sockets, counted per source and in total.
#[derive(Default)]
struct Sockets {
    total: u32,
    per_source: HashMap<Source, u32>,
}

/// The limits of one server, shared by every customer socket.
pub struct Limits {
    config: ChatLimits,
    sockets: Arc<Mutex<Sockets>>,
    starts: Mutex<(Buckets<Source>, Buckets<ChatEntryId>)>,
}

/// One open customer socket, counted until dropped.
pub struct SocketSlot {
    source: Source,
    sockets: Arc<Mutex<Sockets>>,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut s = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        s.total = s.total.saturating_sub(1);
        if let Some(n) = s.per_source.get_mut(&self.source) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                s.per_source.remove(&self.source);
            }
        }
    }
}

fn too_many(message: &str) -> ApiError {
    ApiError::client(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_connections",
        message,
    )
}

impl Limits {
    pub fn new(config: ChatLimits) -> Self {
        Self {
            config,
            sockets: Arc::default(),
            starts: Mutex::new((
                Buckets::new(config.starts_per_source),
                Buckets::new(config.starts_per_entry),
            )),
        }
    }

    /// Counts a new customer socket from `source`, or refuses it (429 `too_many_connections`).
    pub fn open_socket(&self, source: Source) -> Result<SocketSlot, ApiError> {
        let mut s = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        if s.total >= self.config.sockets_total {
            return Err(too_many(
                "the chat is at capacity; try again in a few minutes",
            ));
        }
        let here = s.per_source.get(&source).copied().unwrap_or(0);
        if here >= self.config.sockets_per_source {
            return Err(too_many(
                "too many chat windows are open from your network; close some and try again",
            ));
        }
        s.total += 1;
        s.per_source.insert(source, here + 1);
        Ok(SocketSlot {
            source,
            sockets: self.sockets.clone(),
        })
    }

    /// Takes a `start` from `source` at `entry`, or says how many seconds to wait: both
    /// buckets must have a token, and a refusal takes none.
    pub fn start(&self, source: Source, entry: ChatEntryId, now: i64) -> Result<(), u64> {
        let mut guard = self.starts.lock().unwrap_or_else(|p| p.into_inner());
        let (per_source, per_entry) = &mut *guard;
        let wait_s = |ms: i64| u64::try_from((ms + 999) / 1000).unwrap_or(1).max(1);
        let by_source = per_source.check(source, now).map_err(wait_s)?;
        let by_entry = per_entry.check(entry, now).map_err(wait_s)?;
        per_source.full_at.insert(source, by_source);
        per_entry.full_at.insert(entry, by_entry);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_700_000_000_000;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    fn limits(sockets_per_source: u32, sockets_total: u32) -> Limits {
        Limits::new(ChatLimits {
            sockets_per_source,
            sockets_total,
            ..ChatLimits::default()
        })
    }

    #[test]
    fn a_source_gets_its_burst_then_one_start_per_interval() {
        let l = limits(1, 1);
        let (a, entry) = (Source::of(ip("198.51.100.1")), ChatEntryId::new());
        for _ in 0..STARTS_PER_SOURCE.burst {
            assert_eq!(l.start(a, entry, T0), Ok(()));
        }
        assert_eq!(l.start(a, entry, T0), Err(3), "wait one interval");
        assert_eq!(l.start(a, entry, T0 + 2_999), Err(1));
        assert_eq!(l.start(a, entry, T0 + 3_000), Ok(()));
        assert!(
            l.start(a, entry, T0 + 3_000).is_err(),
            "one token per interval"
        );
        let b = Source::of(ip("198.51.100.2"));
        assert_eq!(
            l.start(b, entry, T0),
            Ok(()),
            "other sources are unaffected"
        );
        // Full again one burst's worth of intervals after the last token taken (at T0 + 3 s).
        let later = T0 + STARTS_PER_SOURCE.every_ms * i64::from(STARTS_PER_SOURCE.burst + 1);
        for _ in 0..STARTS_PER_SOURCE.burst {
            assert_eq!(l.start(a, entry, later), Ok(()), "the burst refills");
        }
    }

    #[test]
    fn an_entry_point_limits_every_source_together() {
        let l = limits(1, 1);
        let (entry, other) = (ChatEntryId::new(), ChatEntryId::new());
        let source = |n: u32| Source::of(IpAddr::V4(std::net::Ipv4Addr::from(0x0a00_0000 + n)));
        for n in 0..STARTS_PER_ENTRY.burst {
            assert_eq!(l.start(source(n), entry, T0), Ok(()));
        }
        assert_eq!(l.start(source(9_999), entry, T0), Err(1));
        assert_eq!(l.start(source(9_999), other, T0), Ok(()), "per entry point");
        assert_eq!(
            l.start(source(9_998), entry, T0 + STARTS_PER_ENTRY.every_ms),
            Ok(())
        );
    }

    #[test]
    fn a_refused_start_takes_no_token_from_its_source() {
        let l = Limits::new(ChatLimits {
            starts_per_entry: Rate {
                burst: 1,
                every_ms: 60_000,
            },
            ..ChatLimits::default()
        });
        let (a, b) = (Source::of(ip("192.0.2.1")), Source::of(ip("192.0.2.2")));
        let entry = ChatEntryId::new();
        assert_eq!(l.start(b, entry, T0), Ok(()));
        for _ in 0..100 {
            assert!(l.start(a, entry, T0).is_err());
        }
        assert_eq!(l.start(a, ChatEntryId::new(), T0), Ok(()));
    }

    #[test]
    fn ipv6_sources_are_their_64_bit_networks() {
        assert_eq!(
            Source::of(ip("2001:db8:1:2::1")),
            Source::of(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            Source::of(ip("2001:db8:1:2::1")),
            Source::of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            Source::of(ip("::ffff:192.0.2.7")),
            Source::of(ip("192.0.2.7"))
        );
    }

    #[test]
    fn the_bucket_map_stays_bounded() {
        let mut b = Buckets::new(STARTS_PER_SOURCE);
        for n in 0..MAX_KEYS as u32 {
            let full_at = b.check(n, T0).expect("room");
            b.full_at.insert(n, full_at);
        }
        assert!(b.check(u32::MAX, T0).is_err(), "full of busy keys: refused");
        assert!(b.check(1, T0).is_ok(), "known keys still take tokens");
        let idle = T0 + STARTS_PER_SOURCE.every_ms;
        assert!(b.check(u32::MAX, idle).is_ok(), "idle keys are swept");
        assert!(b.full_at.is_empty());
    }

    #[test]
    fn sockets_count_per_source_and_in_total() {
        let l = limits(2, 3);
        let (a, b, c) = (
            Source::of(ip("198.51.100.1")),
            Source::of(ip("198.51.100.2")),
            Source::of(ip("198.51.100.3")),
        );
        let a1 = l.open_socket(a).expect("first");
        let _a2 = l.open_socket(a).expect("second");
        let refused = l.open_socket(a).err().expect("third from a");
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let _b1 = l.open_socket(b).expect("another source");
        assert!(l.open_socket(c).is_err(), "the server is full");
        drop(a1);
        let _c1 = l.open_socket(c).expect("a closed socket frees its place");
        assert!(l.open_socket(a).is_err());
    }
}
