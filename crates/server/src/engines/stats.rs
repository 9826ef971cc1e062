//! The figures beside one tenant's engine: its tally, whose increments the actor stores with
//! each turn, and its wallboard (today in the tenant's zone, the last 30 minutes, now).
//! Rebuilt at start by replaying the stored events (`StatsStore::events_for_replay`), which
//! is also how the wallboard is drawn as of any past moment (with the queues' targets of
//! then: `StatsStore::queue_target_changes`).

use std::collections::HashMap;

use switchboard_engine::stats::{Board, BoardView, QueueTargets, Tally, DAY_MS};
use switchboard_engine::{SkillQueueId, TenantId, TenantZone};
use switchboard_storage::{QueueTargetsRecord, Storage};

use super::recall;

/// The wallboard's sliding window.
pub const WINDOW_MS: i64 = 30 * 60 * 1000;

/// A tenant's tally and wallboard.
pub struct CenterStats {
    pub tally: Tally,
    pub board: Board,
    pub zone: TenantZone,
    pub targets: HashMap<SkillQueueId, QueueTargetsRecord>,
    /// Something on the wallboard changed since it was last sent.
    pub dirty: bool,
}

/// The tally's targets from a queue's stored ones.
pub fn tally_targets(t: &QueueTargetsRecord) -> QueueTargets {
    QueueTargets {
        answer_within_ms: i64::from(t.answer_within_s) * 1000,
        short_abandon_ms: i64::from(t.short_abandon_s) * 1000,
    }
}

/// The local day holding `at`: its start and its end (the next day's start).
pub fn day_bounds(zone: &TenantZone, at: i64) -> (i64, i64) {
    let start = zone.start_of_day(at);
    // A day is 23 to 25 hours long: 26 hours on is always within the next one.
    let end = zone.start_of_day(start + DAY_MS + 2 * 3_600_000);
    (start, end.max(start + 1))
}

impl CenterStats {
    /// The tenant's figures as they stand at `at` (now, or a past moment), rebuilt from the
    /// stored events. `live`: the actor's own, whose agents' time is counted from where the
    /// stored figures stop.
    pub async fn replayed(
        store: &dyn Storage,
        tenant: TenantId,
        at: i64,
        live: bool,
    ) -> anyhow::Result<Self> {
        let zone = store.tenant_zone(tenant).await?;
        let (day_start, day_end) = day_bounds(&zone, at);
        let from = day_start.min(at - WINDOW_MS);
        let events = store.events_for_replay(tenant, from, at).await?;
        let mut changes = store
            .queue_target_changes(tenant, at)
            .await?
            .into_iter()
            .peekable();
        let mut stats = Self {
            tally: Tally::new(),
            board: Board::new(day_start, day_end, WINDOW_MS),
            zone,
            targets: HashMap::new(),
            dirty: true,
        };
        // Each contact counts against the targets in force when it was answered or left.
        for stored in &events {
            while let Some((_, t)) = changes.next_if(|(t_at, _)| *t_at <= stored.record.at) {
                stats.set_targets(t);
            }
            let Some(event) = recall::event_of(&stored.record) else {
                continue;
            };
            stats.tally.handle(&event);
            for inc in stats.tally.drain() {
                stats.board.add(&inc);
            }
        }
        for (_, t) in changes {
            stats.set_targets(t);
        }
        let tally = &mut stats.tally;
        if live {
            // Agents' time already stored must not be counted again.
            if let Some(to) = store.stat_flushed_to(tenant).await? {
                tally.handle_timeout(to);
                tally.drain();
            }
        } else {
            tally.handle_timeout(at);
            tally.drain();
        }
        Ok(stats)
    }

    /// The wallboard at `now` over the engine's queues.
    pub fn view(&mut self, now: i64, queues: &[SkillQueueId]) -> BoardView {
        self.board.view(now, &self.tally, queues)
    }

    /// A new day in the tenant's zone: today's sums start again.
    pub fn roll_day(&mut self, now: i64) {
        if now >= self.board.day_end() {
            let (start, end) = day_bounds(&self.zone, now);
            self.board.roll(start, end);
            self.dirty = true;
        }
    }

    /// A queue's targets, its saved ones or the defaults.
    pub fn targets_of(&self, queue: SkillQueueId) -> QueueTargetsRecord {
        self.targets
            .get(&queue)
            .copied()
            .unwrap_or_else(|| QueueTargetsRecord::default_for(queue))
    }

    pub fn set_targets(&mut self, t: QueueTargetsRecord) {
        self.tally.set_targets(t.queue, tally_targets(&t));
        self.targets.insert(t.queue, t);
        self.dirty = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_23_to_25_hours_around_summer_time() {
        let ny = TenantZone::parse("America/New_York").unwrap();
        // 2026-03-08 12:00 local (spring forward that night at 02:00).
        let (s, e) = day_bounds(&ny, 1_772_989_200_000);
        assert_eq!(e - s, 23 * 3_600_000);
        // 2026-11-01 12:00 local (fall back).
        let (s, e) = day_bounds(&ny, 1_793_552_400_000);
        assert_eq!(e - s, 25 * 3_600_000);
        let sh = TenantZone::parse("Asia/Shanghai").unwrap();
        let (s, e) = day_bounds(&sh, 1_796_399_400_000);
        assert_eq!(e - s, DAY_MS);
        assert!(s <= 1_796_399_400_000 && 1_796_399_400_000 < e);
    }
}
