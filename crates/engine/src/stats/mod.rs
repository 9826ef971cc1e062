//! Figures of running the center (issue #16): the tally turns the routing engine's events
//! into interval aggregates (`tally.rs`: 15-minute buckets per queue, per agent and channel,
//! and agents' time per state), `figures.rs` names the measures and their ratios (service
//! level, ASA, AHT, abandon rate), `board.rs` is the wallboard (now, today, a sliding
//! window). Pure like the engine: events and times in, figures out.

mod board;
mod figures;
mod tally;

pub use board::{Board, BoardView, QueueBoard, ReasonCount, StateCounts};
pub use figures::{
    bucket_of, ratio, AgentMeasure, AgentRatios, Figures, Measure, Merge, QueueMeasure,
    QueueRatios, BUCKET_MS,
};
pub use tally::{Increment, QueueTargets, Tallied, Tally};

use crate::acd::Millis;
use crate::ticket::time::{civil_from_days, days_from_civil};
use crate::TenantZone;

pub const DAY_MS: Millis = 24 * 60 * 60 * 1000;

/// The tenant's local day holding `at`, as days since 1970-01-01 (the key of day
/// aggregates). A bucket lies in one local day, since offsets are whole quarter hours.
pub fn day_of(at: Millis, zone: &TenantZone) -> i64 {
    let offset = Millis::from(zone.offset_min_at(at)) * 60_000;
    (at + offset).div_euclid(DAY_MS)
}

/// The month holding local day `day` (days since 1970-01-01), as the number of its first
/// day: the key of month aggregates, which let a long report sum a few rows per subject.
pub fn month_of(day: i64) -> i64 {
    if !CALENDAR.contains(&day) {
        return day;
    }
    let (y, m, _) = civil_from_days(day);
    days_from_civil(y, m, 1)
}

/// The first day of the month after the one starting on `month` (see [`month_of`]).
pub fn month_after(month: i64) -> i64 {
    if !CALENDAR.contains(&month) {
        return month + 1;
    }
    match civil_from_days(month) {
        (y, 12, _) => days_from_civil(y + 1, 1, 1),
        (y, m, _) => days_from_civil(y, m + 1, 1),
    }
}

/// Days the calendar arithmetic takes (about ±27,000 years); a range read may go to
/// `i64::MAX`, which has no month.
const CALENDAR: std::ops::Range<i64> = -10_000_000..10_000_000;

/// The start of the local interval of `grain_ms` (15, 30 or 60 minutes) holding `at`: the
/// boundaries fall on the local clock's quarter, half or whole hours, and an hour repeated
/// when summer time ends stays two intervals.
pub fn interval_of(at: Millis, grain_ms: Millis, zone: &TenantZone) -> Millis {
    let offset = Millis::from(zone.offset_min_at(at)) * 60_000;
    at - (at + offset).rem_euclid(grain_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_intervals_follow_the_local_clock() {
        let shanghai = TenantZone::parse("Asia/Shanghai").unwrap();
        // 2026-12-04T16:00:00Z is midnight of the 5th in Shanghai.
        let midnight = 1_796_400_000_000;
        assert_eq!(
            day_of(midnight - 1, &shanghai) + 1,
            day_of(midnight, &shanghai)
        );
        let kolkata = TenantZone::parse("Asia/Kolkata").unwrap();
        // +05:30: a local hour starts on a UTC half hour.
        let at = midnight + 45 * 60_000;
        assert_eq!(
            interval_of(at, 3_600_000, &kolkata) % 3_600_000,
            30 * 60_000
        );
        assert_eq!(interval_of(at, 900_000, &kolkata), bucket_of(at));
    }

    #[test]
    fn months_start_on_their_first_day() {
        // 2024-02-29 is day 19782; February 2024 starts on day 19754 and has 29 days.
        assert_eq!(month_of(19_782), 19_754);
        assert_eq!(month_of(19_754), 19_754);
        assert_eq!(month_after(19_754), 19_783);
        assert_eq!(month_of(19_783), 19_783);
        // Before 1970 too: 1969-12-31 is day -1, December 1969 starts on day -31.
        assert_eq!(month_of(-1), -31);
        assert_eq!(month_after(-31), 0);
    }
}
