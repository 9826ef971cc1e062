//! The quality report's figures: reviews counted and averaged per key (agent, queue, item)
//! and per week or month in the tenant's zone.

use std::collections::BTreeMap;

use super::QualityError;
use crate::acd::Millis;
use crate::queue::code_enum;
use crate::ticket::time::{civil_from_days, days_from_civil};
use crate::zone::TenantZone;

/// The longest range a report or a contact search covers: a year and a day.
pub const MAX_RANGE_MS: Millis = 366 * 86_400_000;

code_enum!(
    /// How a report cuts time.
    Period, "period" {
        /// Weeks starting on Monday.
        Week => "week",
        Month => "month",
    }
);

/// Refuses an empty or inverted range and one longer than `MAX_RANGE_MS`.
pub fn check_range(from: Millis, to: Millis) -> Result<(), QualityError> {
    if to <= from {
        return Err(QualityError::new("to", "must be after 'from'"));
    }
    if to - from > MAX_RANGE_MS {
        return Err(QualityError::new(
            "to",
            "the range may cover at most a year",
        ));
    }
    Ok(())
}

/// When the week (from Monday) or month holding `at` began, in the tenant's zone.
pub fn period_start(at: Millis, period: Period, zone: &TenantZone) -> Millis {
    let local = at + Millis::from(zone.offset_min_at(at)) * 60_000;
    let days = local.div_euclid(86_400_000);
    let first = match period {
        // 1970-01-01 was a Thursday, three days after a Monday.
        Period::Week => civil_from_days(days - (days + 3).rem_euclid(7)),
        Period::Month => {
            let (y, m, _) = civil_from_days(days);
            civil_from_days(days_from_civil(y, m, 1))
        }
    };
    zone.instant_of(first, (0, 0, 0)).unwrap_or(at)
}

/// Reviews counted and summed under one key and period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figure {
    pub count: u32,
    pub failed_critical: u32,
    /// The sum of the scores, in hundredths of a percent.
    pub sum_centi: u64,
}

impl Figure {
    /// The average score in hundredths of a percent, rounded half up.
    pub fn average_centi(&self) -> u32 {
        if self.count == 0 {
            return 0;
        }
        let n = u64::from(self.count);
        u32::try_from((self.sum_centi + n / 2) / n).unwrap_or(u32::MAX)
    }

    fn add(&mut self, centi: u32, failed: bool) {
        self.count += 1;
        self.failed_critical += u32::from(failed);
        self.sum_centi += u64::from(centi);
    }
}

/// Sums `(key, when, score in hundredths, failed critical)` rows per key and period start.
pub fn tally<K: Ord>(
    rows: impl IntoIterator<Item = (K, Millis, u32, bool)>,
    period: Period,
    zone: &TenantZone,
) -> BTreeMap<(K, Millis), Figure> {
    let mut out: BTreeMap<(K, Millis), Figure> = BTreeMap::new();
    for (key, at, centi, failed) in rows {
        out.entry((key, period_start(at, period, zone)))
            .or_default()
            .add(centi, failed);
    }
    out
}
