//! A report's range and interval as asked (`from`/`to` local dates of the tenant's zone,
//! `interval`: total, month, day, 60, 30 or 15 minutes), checked and turned into what storage reads
//! (days or buckets, from and to) and into each row's period.

use serde::Deserialize;
use switchboard_engine::stats::{interval_of, month_of, DAY_MS};
use switchboard_engine::ticket::time::{
    civil_from_days, days_from_civil, format_local, parse_date,
};
use switchboard_engine::TenantZone;
use switchboard_storage::{Grain, Span};
use utoipa::IntoParams;
use uuid::Uuid;

use crate::api::wire::rfc3339;
use crate::error::{ApiError, ApiResult};

/// The longest range of a report by day or in total.
const MAX_DAYS: i64 = 400;
/// The longest range of a report by 15, 30 or 60 minutes.
const MAX_INTERVAL_DAYS: i64 = 31;

#[derive(Deserialize, IntoParams, Debug, Clone)]
#[into_params(parameter_in = Query)]
pub struct ReportFilter {
    /// The first day, `YYYY-MM-DD` in the tenant's time zone.
    pub from: String,
    /// The last day (included); at most 400 days after `from` (31 for 15-60 minute intervals).
    pub to: String,
    /// `total` (one row per queue or agent), `month` (calendar months, the first and last
    /// cut to the range), `day` (the default), `60`, `30` or `15` (minutes).
    pub interval: Option<String>,
    /// Only these queues (queue report) or agents (agent report): ids separated by commas.
    pub ids: Option<String>,
    /// Only contacts of this channel (agent report): voice, video, chat or task.
    pub channel: Option<String>,
}

/// How a report's rows are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Total,
    Month,
    Day,
    Minutes(i64),
}

impl Interval {
    pub fn code(self) -> String {
        match self {
            Interval::Total => "total".into(),
            Interval::Month => "month".into(),
            Interval::Day => "day".into(),
            Interval::Minutes(m) => m.to_string(),
        }
    }
}

/// A checked report range.
#[derive(Debug, Clone)]
pub struct Range {
    pub from: String,
    pub to: String,
    pub interval: Interval,
    pub zone: TenantZone,
    /// Days since 1970-01-01 of `from`, and of the day after `to`.
    pub first_day: i64,
    pub end_day: i64,
    pub ids: Vec<Uuid>,
}

fn day_number(field: &str, raw: &str) -> ApiResult<i64> {
    let (y, m, d) = parse_date(raw.trim())
        .ok_or_else(|| ApiError::invalid(field, "must be a date, YYYY-MM-DD"))?;
    Ok(days_from_civil(y, m, d))
}

impl Range {
    pub fn parse(f: &ReportFilter, zone: &TenantZone) -> ApiResult<Self> {
        let first_day = day_number("from", &f.from)?;
        let last_day = day_number("to", &f.to)?;
        if last_day < first_day {
            return Err(ApiError::invalid("to", "must not be before from"));
        }
        let interval = match f.interval.as_deref().map(str::trim) {
            None | Some("") | Some("day") => Interval::Day,
            Some("total") => Interval::Total,
            Some("month") => Interval::Month,
            Some("60") => Interval::Minutes(60),
            Some("30") => Interval::Minutes(30),
            Some("15") => Interval::Minutes(15),
            Some(_) => {
                return Err(ApiError::invalid(
                    "interval",
                    "must be total, month, day, 60, 30 or 15",
                ))
            }
        };
        let days = last_day - first_day + 1;
        let limit = match interval {
            Interval::Minutes(_) => MAX_INTERVAL_DAYS,
            _ => MAX_DAYS,
        };
        if days > limit {
            return Err(ApiError::invalid(
                "to",
                format!("the range may span at most {limit} days for this interval"),
            ));
        }
        let ids = f
            .ids
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Uuid::parse_str(s).map_err(|_| ApiError::invalid("ids", "not an id")))
            .collect::<ApiResult<Vec<_>>>()?;
        if ids.len() > 500 {
            return Err(ApiError::invalid("ids", "at most 500"));
        }
        Ok(Self {
            from: f.from.trim().to_owned(),
            to: f.to.trim().to_owned(),
            interval,
            zone: zone.clone(),
            first_day,
            end_day: last_day + 1,
            ids,
        })
    }

    /// The midnight starting a local day.
    pub fn day_start(&self, day: i64) -> i64 {
        let (y, m, d) = civil_from_days(day);
        self.zone
            .instant_of((y, m, d), (0, 0, 0))
            .unwrap_or(day * DAY_MS)
    }

    /// What storage reads: the grain, the span and `from <= at < to` in its keys.
    pub fn read(&self) -> (Grain, Span, i64, i64) {
        match self.interval {
            Interval::Total => (Grain::Day, Span::Total, self.first_day, self.end_day),
            Interval::Month => (Grain::Month, Span::EachPeriod, self.first_day, self.end_day),
            Interval::Day => (Grain::Day, Span::EachPeriod, self.first_day, self.end_day),
            Interval::Minutes(_) => (
                Grain::Bucket,
                Span::EachPeriod,
                self.day_start(self.first_day),
                self.day_start(self.end_day),
            ),
        }
    }

    /// The period a stored row's `at` falls in: its start instant and its label.
    pub fn period_of(&self, at: i64) -> (i64, String) {
        match self.interval {
            Interval::Total => (self.day_start(self.first_day), "total".into()),
            Interval::Month => {
                let (y, m, _) = civil_from_days(month_of(at));
                let first = month_of(at).max(self.first_day);
                (self.day_start(first), format!("{y:04}-{m:02}"))
            }
            Interval::Day => {
                let (y, m, d) = civil_from_days(at);
                (self.day_start(at), format!("{y:04}-{m:02}-{d:02}"))
            }
            Interval::Minutes(m) => {
                let start = interval_of(at, m * 60_000, &self.zone);
                let label = format_local(start, &self.zone);
                // `YYYY-MM-DD HH:MM`: the seconds are always zero.
                (start, label.chars().take(16).collect())
            }
        }
    }
}

/// A period's start as the API shows it.
pub fn period_start(ms: i64) -> String {
    rfc3339(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(from: &str, to: &str, interval: Option<&str>) -> ReportFilter {
        ReportFilter {
            from: from.into(),
            to: to.into(),
            interval: interval.map(str::to_owned),
            ids: None,
            channel: None,
        }
    }

    #[test]
    fn bad_ranges_are_refused_with_their_field() {
        let zone = TenantZone::parse("Asia/Shanghai").unwrap();
        let err = |f: ReportFilter| match Range::parse(&f, &zone) {
            Err(ApiError::Client { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            err(filter("2026-12-05", "2026-12-04", None)),
            Some("to".into())
        );
        assert_eq!(
            err(filter("2026-01-01", "2027-12-31", None)),
            Some("to".into())
        );
        assert_eq!(
            err(filter("2026-11-01", "2026-12-04", Some("15"))),
            Some("to".into())
        );
        assert_eq!(
            err(filter("yesterday", "2026-12-04", None)),
            Some("from".into())
        );
        assert_eq!(
            err(filter("2026-12-01", "2026-12-04", Some("7"))),
            Some("interval".into())
        );
        assert!(Range::parse(&filter("2026-09-06", "2026-12-04", Some("total")), &zone).is_ok());
    }

    #[test]
    fn periods_are_local_days_and_quarter_hours() {
        let zone = TenantZone::parse("Asia/Shanghai").unwrap();
        let r = Range::parse(&filter("2026-12-05", "2026-12-05", Some("30")), &zone).unwrap();
        let (grain, _, from, to) = r.read();
        assert_eq!(grain, Grain::Bucket);
        assert_eq!(to - from, DAY_MS);
        // 2026-12-04T16:00Z is midnight of the 5th in Shanghai; 16:45Z is 00:45.
        assert_eq!(
            r.period_of(1_796_400_000_000 + 45 * 60_000).1,
            "2026-12-05 00:30"
        );
        let days = Range::parse(&filter("2026-12-05", "2026-12-05", None), &zone).unwrap();
        let (_, _, first, end) = days.read();
        assert_eq!(
            days.period_of(first),
            (1_796_400_000_000, "2026-12-05".into())
        );
        assert_eq!(end - first, 1);
    }

    #[test]
    fn months_are_cut_to_the_range() {
        let zone = TenantZone::parse("Asia/Shanghai").unwrap();
        let r = Range::parse(&filter("2026-11-20", "2026-12-05", Some("month")), &zone).unwrap();
        let (grain, span, first, _) = r.read();
        assert_eq!((grain, span), (Grain::Month, Span::EachPeriod));
        // November starts before the range: its period starts on the 20th; December on the 1st.
        assert_eq!(r.period_of(first + 3).1, "2026-11");
        assert_eq!(r.period_of(first + 3).0, r.day_start(first));
        let december = first + 11;
        assert_eq!(
            r.period_of(december + 4),
            (r.day_start(december), "2026-12".into())
        );
    }
}
