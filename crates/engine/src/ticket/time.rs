//! Calendar dates and RFC 3339 times for ticket fields, without a clock. Times without an
//! offset are read in the tenant's zone (`TenantZone`).

use crate::acd::Millis;
use crate::zone::TenantZone;

/// `YYYY-MM-DD` → (year, month, day), if it is a real date.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    // Digits only where digits go: `str::parse` would also take a sign ("2026-+1-+5").
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 4 | 7) {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
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
/// `2026-11-21 09:30[:00]` read in `zone` → Unix milliseconds, truncated to the second.
pub fn parse_datetime(s: &str, zone: &TenantZone) -> Option<Millis> {
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
    let (clock, zone_part) = rest.split_at(zone_at);
    // "09:30:00 +08:00", as an export writes it, reads like "09:30:00+08:00".
    let clock = clock.trim_end();
    let offset_min = match zone_part {
        "" => None,
        "Z" | "z" => Some(0),
        z => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let (h, m) = z[1..].split_once(':')?;
            // Digits only: the sign was read already ("+-5:00" is no offset, and a second
            // sign let hours past the range below overflow).
            let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
            if !digits(h) || !digits(m) {
                return None;
            }
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            Some(sign * (h * 60 + m))
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
    let Some(offset_min) = offset_min else {
        return zone.instant_of((y, mo, d), (h, mi, sec));
    };
    let secs = days_from_civil(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + sec)
        - i64::from(offset_min) * 60;
    Some(secs * 1000)
}

/// `YYYY-MM-DD`, `between`, `HH:MM:SS` of a count of seconds since 1970-01-01 00:00.
fn clock(secs: i64, between: char) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}{between}{:02}:{:02}:{:02}",
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

/// Seconds since 1970-01-01 00:00 on `zone`'s clock at the instant `ms`.
fn local_secs(ms: Millis, zone: &TenantZone) -> i64 {
    ms.div_euclid(1000) + i64::from(zone.offset_min_at(ms)) * 60
}

/// Unix milliseconds → `2026-11-21T01:30:00Z`.
pub fn format_utc(ms: Millis) -> String {
    clock(ms.div_euclid(1000), 'T') + "Z"
}

/// Unix milliseconds → `2026-11-21 09:30:00`, the clock time in `zone`: what a spreadsheet
/// shows, and what an import reads back in the same zone.
pub fn format_local(ms: Millis, zone: &TenantZone) -> String {
    clock(local_secs(ms, zone), ' ')
}

/// Unix milliseconds → `2026-11-21 09:30:00 +08:00`: the clock time in `zone` with its offset
/// at that instant, so that whoever reads it (a spreadsheet in another zone, an import) knows
/// the instant. [`parse_datetime`] reads it back.
pub fn format_local_offset(ms: Millis, zone: &TenantZone) -> String {
    let offset = zone.offset_min_at(ms);
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    format!(
        "{} {sign}{:02}:{:02}",
        format_local(ms, zone),
        abs / 60,
        abs % 60
    )
}

/// The calendar day (`YYYY-MM-DD`) of a time in `zone`.
pub fn local_date(ms: Millis, zone: &TenantZone) -> String {
    let (y, m, d) = civil_from_days(local_secs(ms, zone).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip() {
        let shanghai = TenantZone::default();
        let honolulu = TenantZone::parse("Pacific/Honolulu").unwrap();
        let t = parse_datetime("2026-11-21T09:30:15+08:00", &honolulu).unwrap();
        assert_eq!(format_utc(t), "2026-11-21T01:30:15Z");
        assert_eq!(
            parse_datetime("2026-11-21T01:30:15.250Z", &honolulu),
            Some(t)
        );
        assert_eq!(parse_datetime("2026-11-21 09:30:15", &shanghai), Some(t));
        assert_eq!(
            parse_datetime("2026-11-20 15:30:15", &honolulu),
            Some(t),
            "a naive time is read in the zone"
        );
        assert_eq!(
            parse_datetime("2026-11-20T20:30:15-05:00", &shanghai),
            Some(t),
            "negative offsets"
        );
        assert_eq!(local_date(t, &shanghai), "2026-11-21");
        assert_eq!(format_local(t, &shanghai), "2026-11-21 09:30:15");
        assert_eq!(
            parse_datetime(&format_local(t, &honolulu), &honolulu),
            Some(t),
            "a local time reads back in its zone"
        );
        assert_eq!(local_date(t, &honolulu), "2026-11-20");
        assert_eq!(
            format_local_offset(t, &shanghai),
            "2026-11-21 09:30:15 +08:00"
        );
        assert_eq!(
            format_local_offset(t, &honolulu),
            "2026-11-20 15:30:15 -10:00"
        );
        for zone in [&shanghai, &honolulu] {
            assert_eq!(
                parse_datetime(&format_local_offset(t, zone), &TenantZone::utc()),
                Some(t),
                "a time with its offset reads back in any zone"
            );
        }
        for bad in [
            "2026-11-21",
            "2026-13-01T00:00Z",
            "2026-11-21T24:00Z",
            "tomorrow 9am",
            // Found by the ticket_field fuzz target: a second sign overflowed the hours.
            "2026-11-21 -1121 +-110101000:00",
            "2026-11-21T09:30+-05:00",
            "2026-11-21T09:30-+05:00",
            // Signs where digits go (the ticket_field target's date check found the first).
            "2026-+1-+5 09:30Z",
            "-999-01-01 09:30:00Z",
            "+999-01-01T09:30Z",
        ] {
            assert_eq!(parse_datetime(bad, &shanghai), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_digits_and_dashes() {
        assert_eq!(parse_date("2024-02-29"), Some((2024, 2, 29)));
        for bad in [
            "2026-+1-+5",
            "-999-01-01",
            "+999-01-01",
            "2026-1-021",
            "2023-02-29",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
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
