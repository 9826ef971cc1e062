//! A tenant's time zone: how a local time without an offset (a spreadsheet cell, a typed
//! date-time) becomes an instant, and an instant a calendar day. Zones come from the IANA
//! database compiled into the binary, so nothing is read from the machine and every
//! installation agrees.

use crate::acd::Millis;

/// An IANA time zone (`Asia/Shanghai`, `Europe/Berlin`), daylight saving time included.
#[derive(Debug, Clone)]
pub struct TenantZone {
    name: String,
    zone: jiff::tz::TimeZone,
}

/// The zone a tenant has until its administrator picks one: the product speaks Chinese first.
pub const DEFAULT_ZONE: &str = "Asia/Shanghai";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a time zone of the IANA database (e.g. Asia/Shanghai)")]
pub struct UnknownZone(pub String);

impl TenantZone {
    /// A zone by its IANA name; the name is kept as the database spells it.
    pub fn parse(name: &str) -> Result<Self, UnknownZone> {
        let unknown = || UnknownZone(name.to_owned());
        let name = name.trim();
        // Only names from the database: no POSIX rules or fixed offsets ("UTC+8" is not a place).
        if name.is_empty() || name.len() > 64 || name.contains([',', '<', '>']) {
            return Err(unknown());
        }
        let zone = jiff::tz::TimeZone::get(name).map_err(|_| unknown())?;
        let name = zone.iana_name().unwrap_or(name).to_owned();
        Ok(Self { name, zone })
    }

    /// Coordinated universal time, for times that always carry their offset.
    pub fn utc() -> Self {
        Self {
            name: "UTC".into(),
            zone: jiff::tz::TimeZone::UTC,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Minutes east of UTC at an instant.
    pub fn offset_min_at(&self, at: Millis) -> i32 {
        let ts = jiff::Timestamp::from_millisecond(at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        self.zone.to_offset(ts).seconds() / 60
    }

    /// The instant of a local date and time. A time skipped by a change to summer time is
    /// read in the offset before it, a repeated one as its first occurrence (RFC 5545).
    pub fn instant_of(
        &self,
        (y, m, d): (i32, u32, u32),
        (h, mi, s): (u32, u32, u32),
    ) -> Option<Millis> {
        let part = |v: u32| i8::try_from(v).ok();
        let dt = jiff::civil::DateTime::new(
            i16::try_from(y).ok()?,
            part(m)?,
            part(d)?,
            part(h)?,
            part(mi)?,
            part(s)?,
            0,
        )
        .ok()?;
        Some(self.zone.to_timestamp(dt).ok()?.as_millisecond())
    }

    /// When the local day holding `at` began (its midnight, or the first moment of a day
    /// whose midnight a change to summer time skipped).
    pub fn start_of_day(&self, at: Millis) -> Millis {
        let Ok(ts) = jiff::Timestamp::from_millisecond(at) else {
            return at;
        };
        ts.to_zoned(self.zone.clone())
            .start_of_day()
            .map_or(at, |z| z.timestamp().as_millisecond())
    }

    /// The offsets in force from `from` to `to`: `(since, minutes east of UTC)`, the first
    /// since `from`, then one per change of offset (summer time) before `to`.
    pub fn offsets_between(&self, from: Millis, to: Millis) -> Vec<(Millis, i32)> {
        let mut out = vec![(from, self.offset_min_at(from))];
        let Ok(start) = jiff::Timestamp::from_millisecond(from) else {
            return out;
        };
        for t in self.zone.following(start) {
            let at = t.timestamp().as_millisecond();
            if at >= to {
                break;
            }
            out.push((at, t.offset().seconds() / 60));
        }
        out
    }
}

impl Default for TenantZone {
    fn default() -> Self {
        Self::parse(DEFAULT_ZONE).unwrap_or_else(|_| Self::utc())
    }
}

impl PartialEq for TenantZone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TenantZone {}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn zones_are_known_by_their_iana_names() {
        assert_eq!(TenantZone::default().name(), "Asia/Shanghai");
        assert_eq!(
            TenantZone::parse(" Europe/Berlin ").unwrap().name(),
            "Europe/Berlin"
        );
        for bad in [
            "",
            "Mars/Olympus",
            "UTC+8",
            "EST5EDT,M3.2.0,M11.1.0",
            "../etc/passwd",
        ] {
            assert!(TenantZone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let shanghai = TenantZone::default();
        let morning = shanghai.instant_of((2026, 12, 5), (7, 30, 0)).unwrap();
        let midnight = shanghai.instant_of((2026, 12, 5), (0, 0, 0)).unwrap();
        assert_eq!(shanghai.start_of_day(morning), midnight);
        assert_eq!(shanghai.start_of_day(midnight), midnight);
        assert_eq!(shanghai.start_of_day(midnight - 1), midnight - 24 * HOUR);
    }

    #[test]
    fn local_times_follow_summer_time() {
        let berlin = TenantZone::parse("Europe/Berlin").unwrap();
        let winter = berlin.instant_of((2026, 1, 15), (9, 0, 0)).unwrap();
        let summer = berlin.instant_of((2026, 7, 15), (9, 0, 0)).unwrap();
        assert_eq!(berlin.offset_min_at(winter), 60);
        assert_eq!(berlin.offset_min_at(summer), 120);
        // 2026-03-29 02:30 does not exist in Berlin: read with the offset before the change.
        let skipped = berlin.instant_of((2026, 3, 29), (2, 30, 0)).unwrap();
        let one_thirty = berlin.instant_of((2026, 3, 29), (1, 30, 0)).unwrap();
        assert_eq!(skipped - one_thirty, HOUR);
        let shanghai = TenantZone::default();
        let t = shanghai.instant_of((2026, 11, 21), (9, 30, 0)).unwrap();
        assert_eq!(t % (24 * HOUR), HOUR + HOUR / 2, "01:30 UTC");
        assert_eq!(shanghai.instant_of((2026, 2, 30), (9, 0, 0)), None);
    }

    #[test]
    fn a_range_lists_its_changes_of_offset() {
        let berlin = TenantZone::parse("Europe/Berlin").unwrap();
        let from = berlin.instant_of((2026, 1, 1), (0, 0, 0)).unwrap();
        let to = berlin.instant_of((2027, 1, 1), (0, 0, 0)).unwrap();
        let offsets: Vec<i32> = berlin
            .offsets_between(from, to)
            .iter()
            .map(|o| o.1)
            .collect();
        assert_eq!(offsets, [60, 120, 60]);
        let shanghai = TenantZone::default();
        assert_eq!(shanghai.offsets_between(from, to), [(from, 480)]);
    }
}
