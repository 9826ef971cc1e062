//! The server's one clock. Every time the server reads, and every timer it waits for, comes
//! from here, so a test moves time forward instead of sleeping on the wall clock.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// Milliseconds since the Unix epoch, as the operating system says.
fn system_ms() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// A cheap handle on the clock; clones share it.
///
/// Production uses [`Clock::system`]. Tests use [`Clock::steerable`]: it runs with the system
/// clock (so nothing a test does not care about stands still) and [`Clock::advance`] moves it
/// forward at once, waking every timer that is then due.
#[derive(Clone)]
pub struct Clock(Arc<Inner>);

struct Inner {
    /// How far this clock is ahead of the system clock.
    ahead_ms: AtomicI64,
    /// Told whenever the clock jumps, so sleepers recompute their deadline.
    moved: Notify,
}

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Inner {
            ahead_ms: AtomicI64::new(0),
            moved: Notify::new(),
        }))
    }

    /// A clock a test can move forward. Same as the system clock until it is moved.
    pub fn steerable() -> Self {
        Self::system()
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        system_ms().saturating_add(self.0.ahead_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `by`; timers due by then fire without waiting.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.0.ahead_ms.fetch_add(ms, Ordering::Relaxed);
        self.0.moved.notify_waiters();
    }

    /// Returns once this clock reads `at_ms` or later.
    pub async fn sleep_until(&self, at_ms: i64) {
        loop {
            // Registered before the clock is read, so a jump in between is not missed.
            let moved = self.0.moved.notified();
            let left = at_ms.saturating_sub(self.now_ms());
            if left <= 0 {
                return;
            }
            let left = Duration::from_millis(u64::try_from(left).unwrap_or(u64::MAX));
            tokio::select! {
                _ = tokio::time::sleep(left) => {}
                _ = moved => {}
            }
        }
    }

    /// Returns once this clock reads `at_ms` or later, or never when there is no deadline.
    pub async fn sleep_until_maybe(&self, at_ms: Option<i64>) {
        match at_ms {
            Some(at) => self.sleep_until(at).await,
            None => std::future::pending().await,
        }
    }
}

/// The media path's clock: monotonic microseconds since the runner started. Audio runs in
/// real time whatever a test does to [`Clock`], so it has its own. (The only other monotonic
/// reading is how long a SIP message waited for the switch, which is load, not time.)
#[derive(Clone, Copy)]
pub struct MediaClock {
    start: tokio::time::Instant,
}

impl MediaClock {
    pub fn start() -> Self {
        Self {
            start: tokio::time::Instant::now(),
        }
    }

    pub fn now(&self) -> switchboard_media::Instant {
        let us = u64::try_from(self.start.elapsed().as_micros()).unwrap_or(u64::MAX);
        switchboard_media::Instant::from_micros(us)
    }

    /// Returns once the media clock reads `at` or later (at once when there is nothing due,
    /// never when `at` is `None`).
    pub async fn sleep_until(&self, at: Option<switchboard_media::Instant>) {
        match at {
            Some(at) => {
                let due = self.start + Duration::from_micros(at.as_micros());
                tokio::time::sleep_until(due).await;
            }
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task sleeping until an hour from now on `clock`, already waiting.
    async fn sleeper_for_an_hour(clock: &Clock) -> (i64, tokio::task::JoinHandle<()>) {
        let due = clock.now_ms() + 3_600_000;
        let sleeper = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(due).await }
        });
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished());
        (due, sleeper)
    }

    #[tokio::test]
    async fn advancing_wakes_a_sleeper_at_once() {
        let clock = Clock::steerable();
        let (due, sleeper) = sleeper_for_an_hour(&clock).await;
        clock.advance(Duration::from_secs(3600));
        tokio::time::timeout(Duration::from_secs(5), sleeper)
            .await
            .expect("woken by the jump, not after an hour")
            .expect("sleeper ran");
        assert!(clock.now_ms() >= due);
    }

    #[tokio::test]
    async fn a_small_jump_keeps_the_sleeper_waiting() {
        let clock = Clock::steerable();
        let (_, sleeper) = sleeper_for_an_hour(&clock).await;
        clock.advance(Duration::from_secs(60));
        tokio::task::yield_now().await;
        assert!(!sleeper.is_finished(), "59 minutes are still left");
        sleeper.abort();
    }
}
