//! What the center counts (P1, P2): the measures of a skill queue and of an agent, kept as
//! sums (or maxima) per 15-minute bucket, and the ratios derived from them.

use std::marker::PhantomData;

use crate::acd::Millis;

/// The length of the finest interval aggregates are kept for. Every time zone in use today
/// is offset from UTC by a multiple of 15 minutes, so a bucket lies in exactly one local
/// quarter hour, hour and day.
pub const BUCKET_MS: Millis = 15 * 60 * 1000;

/// The start of the bucket holding `at`.
pub fn bucket_of(at: Millis) -> Millis {
    at.div_euclid(BUCKET_MS) * BUCKET_MS
}

/// How two values of a measure combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    Sum,
    Max,
}

/// A family of measures stored side by side (one column each).
pub trait Measure: Copy + Eq + std::fmt::Debug + 'static {
    const ALL: &'static [Self];
    fn index(self) -> usize;
    /// The column (and wire field) name.
    fn column(self) -> &'static str;
    fn merge(self) -> Merge {
        Merge::Sum
    }
}

/// Room for the largest family; unused slots stay zero.
const SLOTS: usize = 24;

macro_rules! measures {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $column:literal $(, $merge:ident)?;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl Measure for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];
            fn index(self) -> usize {
                self as usize
            }
            fn column(self) -> &'static str {
                match self {
                    $($name::$variant => $column,)+
                }
            }
            fn merge(self) -> Merge {
                match self {
                    $($name::$variant => measures!(@merge $($merge)?),)+
                }
            }
        }
    };
    (@merge) => { Merge::Sum };
    (@merge max) => { Merge::Max };
}

measures!(
    /// A skill queue's figures. A queue visit starts when a contact enters the queue (arrives,
    /// overflows in, is transferred in) and ends when it is answered, abandoned, times out,
    /// overflows out or is cancelled; a service (an agent's handling) ends when the agent
    /// finishes wrap-up or transfers the contact on.
    QueueMeasure {
        /// Visits started: arrivals, overflows in and transfers in.
        Offered => "offered";
        TransferredIn => "transferred_in";
        OverflowedIn => "overflowed_in";
        /// Visits answered by an agent.
        Answered => "answered";
        /// Answered within the queue's service-level time.
        AnsweredInTarget => "answered_in_target";
        /// The waits of answered visits, summed (ASA = this / answered).
        AnswerWaitMs => "answer_wait_ms";
        /// The customer left while waiting or ringing.
        Abandoned => "abandoned";
        /// Abandoned before the queue's short-abandon time (counted apart, not in the SL).
        AbandonedShort => "abandoned_short";
        AbandonWaitMs => "abandon_wait_ms";
        /// The queue's maximum wait ran out with nowhere to overflow.
        TimedOut => "timed_out";
        OverflowedOut => "overflowed_out";
        /// The queue was removed while the contact waited.
        Cancelled => "cancelled";
        /// Outbound contacts placed in this queue's name.
        Outbound => "outbound";
        /// Services ended (wrap-up finished, or transferred on).
        Handled => "handled";
        TalkMs => "talk_ms";
        HoldMs => "hold_ms";
        WrapMs => "wrap_ms";
        TransferredOut => "transferred_out";
        /// Offers that rang out unanswered (RONA).
        NoAnswers => "no_answers";
        /// The longest wait of a visit that ended (answered, abandoned, timed out, overflowed).
        MaxWaitMs => "max_wait_ms", max;
    }
);

measures!(
    /// An agent's contact figures on one channel.
    AgentMeasure {
        Offers => "offers";
        Answered => "answered";
        Outbound => "outbound";
        Handled => "handled";
        TalkMs => "talk_ms";
        HoldMs => "hold_ms";
        WrapMs => "wrap_ms";
        TransferredOut => "transferred_out";
        NoAnswers => "no_answers";
    }
);

/// One value per measure of a family.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Figures<M> {
    values: [i64; SLOTS],
    _family: PhantomData<M>,
}

impl<M: Measure> Default for Figures<M> {
    fn default() -> Self {
        Self {
            values: [0; SLOTS],
            _family: PhantomData,
        }
    }
}

impl<M: Measure> std::fmt::Debug for Figures<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for m in M::ALL.iter().filter(|m| self.get(**m) != 0) {
            map.entry(&m.column(), &self.get(*m));
        }
        map.finish()
    }
}

impl<M: Measure> Figures<M> {
    pub fn of(pairs: &[(M, i64)]) -> Self {
        let mut f = Self::default();
        for (m, v) in pairs {
            f.add(*m, *v);
        }
        f
    }

    pub fn get(&self, m: M) -> i64 {
        self.values[m.index()]
    }

    /// Counts `value` in (summed, or kept when larger for a maximum).
    pub fn add(&mut self, m: M, value: i64) {
        let slot = &mut self.values[m.index()];
        *slot = match m.merge() {
            Merge::Sum => *slot + value,
            Merge::Max => (*slot).max(value),
        };
    }

    pub fn set(&mut self, m: M, value: i64) {
        self.values[m.index()] = value;
    }

    pub fn merge(&mut self, other: &Self) {
        for m in M::ALL {
            self.add(*m, other.get(*m));
        }
    }

    pub fn is_zero(&self) -> bool {
        self.values.iter().all(|v| *v == 0)
    }
}

/// A ratio of two figures; `None` when there is nothing to divide by.
pub fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// What a report and the wallboard show of a queue's sums.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueRatios {
    /// Answered within the target over answered + abandoned (not short) + timed out.
    pub service_level: Option<f64>,
    /// Average speed of answer, ms.
    pub asa_ms: Option<f64>,
    /// Average handle time (talk + hold + wrap-up) per service ended, ms.
    pub aht_ms: Option<f64>,
    /// Abandoned (not short) over offered.
    pub abandon_rate: Option<f64>,
}

impl QueueRatios {
    pub fn of(f: &Figures<QueueMeasure>) -> Self {
        use QueueMeasure::*;
        let abandoned = f.get(Abandoned) - f.get(AbandonedShort);
        let handle = f.get(TalkMs) + f.get(HoldMs) + f.get(WrapMs);
        Self {
            service_level: ratio(
                f.get(AnsweredInTarget),
                f.get(Answered) + abandoned + f.get(TimedOut),
            ),
            asa_ms: ratio(f.get(AnswerWaitMs), f.get(Answered)),
            aht_ms: ratio(handle, f.get(Handled)),
            abandon_rate: ratio(abandoned, f.get(Offered) - f.get(AbandonedShort)),
        }
    }
}

/// An agent's averages over their contact figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgentRatios {
    pub aht_ms: Option<f64>,
    pub avg_talk_ms: Option<f64>,
    pub avg_hold_ms: Option<f64>,
    pub avg_wrap_ms: Option<f64>,
}

impl AgentRatios {
    pub fn of(f: &Figures<AgentMeasure>) -> Self {
        use AgentMeasure::*;
        let handled = f.get(Handled);
        Self {
            aht_ms: ratio(f.get(TalkMs) + f.get(HoldMs) + f.get(WrapMs), handled),
            avg_talk_ms: ratio(f.get(TalkMs), handled),
            avg_hold_ms: ratio(f.get(HoldMs), handled),
            avg_wrap_ms: ratio(f.get(WrapMs), handled),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_quarter_hours_before_and_after_the_epoch() {
        assert_eq!(bucket_of(0), 0);
        assert_eq!(bucket_of(BUCKET_MS - 1), 0);
        assert_eq!(bucket_of(BUCKET_MS), BUCKET_MS);
        assert_eq!(bucket_of(-1), -BUCKET_MS);
    }

    #[test]
    fn maxima_merge_as_maxima_and_sums_as_sums() {
        let mut a = Figures::of(&[(QueueMeasure::Offered, 2), (QueueMeasure::MaxWaitMs, 900)]);
        let b = Figures::of(&[(QueueMeasure::Offered, 3), (QueueMeasure::MaxWaitMs, 400)]);
        a.merge(&b);
        assert_eq!(a.get(QueueMeasure::Offered), 5);
        assert_eq!(a.get(QueueMeasure::MaxWaitMs), 900);
    }

    #[test]
    fn the_service_level_leaves_short_abandons_out() {
        use QueueMeasure::*;
        let f = Figures::of(&[
            (Offered, 10),
            (Answered, 8),
            (AnsweredInTarget, 6),
            (Abandoned, 2),
            (AbandonedShort, 1),
        ]);
        let r = QueueRatios::of(&f);
        assert_eq!(r.service_level, Some(6.0 / 9.0));
        assert_eq!(r.abandon_rate, Some(1.0 / 9.0));
        assert_eq!(QueueRatios::of(&Figures::default()).service_level, None);
    }

    #[test]
    fn columns_are_unique_and_fit() {
        for cols in [
            QueueMeasure::ALL
                .iter()
                .map(|m| m.column())
                .collect::<Vec<_>>(),
            AgentMeasure::ALL.iter().map(|m| m.column()).collect(),
        ] {
            assert!(cols.len() <= SLOTS);
            let mut sorted = cols.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), cols.len());
        }
    }
}
