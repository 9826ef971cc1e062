//! Calendar dates and RFC 3339 times for ticket fields, without a clock or a time zone database.

use crate::acd::Millis;

/// `YYYY-MM-DD` → (year, month, day), if it is a real date.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((yoe + era * 400 + i64::from(m <= 2)) as i32, m, d)
}

/// An RFC 3339 time (`2026-11-21T09:30:00+08:00`, `…Z`, fractions allowed) or a naive
/// `2026-11-21 09:30[:00]` read at `naive_offset_min` east of UTC → Unix milliseconds,
/// truncated to the second.
pub fn parse_datetime(s: &str, naive_offset_min: i32) -> Option<Millis> {
    let s = s.trim();
    if s.len() < 16 || !matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
        return None;
    }
    let (y, mo, d) = parse_date(&s[..10])?;
    let rest = &s[11..];
    let zone_at = rest
        .find(['Z', 'z', '+'])
        .or_else(|| rest.rfind('-'))
        .unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let offset_min = match zone {
        "" => naive_offset_min,
        "Z" | "z" => 0,
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z[1..].split_once(':')?;
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let mi: u32 = parts.next()?.parse().ok()?;
    let sec: u32 = match parts.next() {
        Some(sec) => sec.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec)
        - i64::from(offset_min) * 60;
    Some(secs * 1000)
}

/// Unix milliseconds → `2026-11-21T01:30:00Z`.
pub fn format_utc(ms: Millis) -> String {
    let secs = ms.div_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

/// The calendar day (`YYYY-MM-DD`) of a time, at `offset_min` east of UTC.
pub fn local_date(ms: Millis, offset_min: i32) -> String {
    let secs = ms.div_euclid(1000) + i64::from(offset_min) * 60;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        let t = parse_datetime("2026-11-21T09:30:15+08:00", 0).unwrap();
        assert_eq!(format_utc(t), "2026-11-21T01:30:15Z");
        assert_eq!(parse_datetime("2026-11-21T01:30:15.250Z", 0), Some(t));
        assert_eq!(parse_datetime("2026-11-21 09:30:15", 480), Some(t));
        assert_eq!(
            parse_datetime("2026-11-20T20:30:15-05:00", 0),
            Some(t),
            "negative offsets"
        );
        assert_eq!(local_date(t, 480), "2026-11-21");
        assert_eq!(local_date(t, -600), "2026-11-20");
        for bad in [
            "2026-11-21",
            "2026-13-01T00:00Z",
            "2026-11-21T24:00Z",
            "tomorrow 9am",
        ] {
            assert_eq!(parse_datetime(bad, 0), None, "{bad}");
        }
    }

    #[test]
    fn civil_days_match_across_eras() {
        for days in [-800_000, -1, 0, 59, 60, 10_957, 20_778, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }
}
