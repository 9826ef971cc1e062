//! What a waiting caller is told every so often (V1, R4): their place in line and the
//! estimated wait, spoken in the queue's languages from digit and phrase prompts
//! ("您是第 十二 位", "You are number twelve in line"), and the queue's voice settings that
//! ask for it. Pure functions: the switch asks the server for the figures when a queue's
//! announcement is due and plays what these return.

use switchboard_engine::ids::{SkillQueueId, TicketTypeId};

/// A language prompts are spoken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Chinese,
    English,
}

impl Language {
    fn prefix(self) -> &'static str {
        match self {
            Language::Chinese => "zh",
            Language::English => "en",
        }
    }
}

/// Where a queue's callers go when they wait too long and the queue has no overflow queue:
/// they may leave a message of at most `max_ms`, which goes `to` a callback task or a ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voicemail {
    pub to: VoicemailTo,
    pub max_ms: u64,
}

/// What a message left becomes: the server makes it so on `CallEvent::VoicemailLeft`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoicemailTo {
    /// A callback task in this task queue.
    Task(SkillQueueId),
    /// A ticket of this type.
    Ticket(TicketTypeId),
}

/// A voice queue's settings beyond routing: announcements and voicemail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueVoice {
    pub queue: SkillQueueId,
    /// Tell callers their place and wait this often; `None`: never.
    pub announce_every_ms: Option<u64>,
    /// The languages announcements are spoken in, in order.
    pub languages: Vec<Language>,
    pub voicemail: Option<Voicemail>,
}

/// Places above this are said as this (a caller does not need "一百二十三").
pub const MAX_SPOKEN: u32 = 99;

/// The prompts of one announcement: the place in line (1 = next) and, when known, the
/// estimated wait in milliseconds, in each language.
pub fn announcement(languages: &[Language], place: u32, wait_ms: Option<u64>) -> Vec<String> {
    let mut out = Vec::new();
    for &lang in languages {
        let p = lang.prefix();
        if place <= 1 {
            out.push(format!("{p}-next"));
        } else {
            out.push(format!("{p}-position-1"));
            out.extend(number(lang, place));
            out.push(format!("{p}-position-2"));
        }
        match wait_ms.map(|ms| ms.div_ceil(60_000)) {
            None => {}
            Some(0 | 1) => out.push(format!("{p}-wait-short")),
            Some(minutes) => {
                out.push(format!("{p}-wait-1"));
                out.extend(number(lang, u32::try_from(minutes).unwrap_or(u32::MAX)));
                out.push(format!("{p}-wait-2"));
            }
        }
    }
    out
}

/// The greeting before a message, in the queue's languages (both when none are set).
pub fn voicemail_greeting(languages: &[Language]) -> Vec<String> {
    let languages = if languages.is_empty() {
        &[Language::Chinese, Language::English][..]
    } else {
        languages
    };
    languages
        .iter()
        .map(|l| format!("{}-voicemail", l.prefix()))
        .collect()
}

/// A number from 0 to 99 as prompts (larger ones as 99): Chinese 十/二十五, English
/// twelve / forty-two.
pub fn number(lang: Language, n: u32) -> Vec<String> {
    let n = n.min(MAX_SPOKEN);
    let p = lang.prefix();
    let say = |k: u32| format!("{p}-{k}");
    match lang {
        Language::Chinese => match (n / 10, n % 10) {
            (0, ones) => vec![say(ones)],
            (1, 0) => vec![say(10)],
            (1, ones) => vec![say(10), say(ones)],
            (tens, 0) => vec![say(tens), say(10)],
            (tens, ones) => vec![say(tens), say(10), say(ones)],
        },
        Language::English => match (n / 10, n % 10) {
            (0 | 1, _) => vec![say(n)],
            (tens, 0) => vec![say(tens * 10)],
            (tens, ones) => vec![say(tens * 10), say(ones)],
        },
    }
}

/// Every prompt an announcement may use, for checking that each is shipped.
pub fn all_prompts() -> Vec<String> {
    let mut out = Vec::new();
    for (lang, numbers) in [
        (Language::Chinese, (0..=10).collect::<Vec<u32>>()),
        (
            Language::English,
            (0..20).chain((2..10).map(|t| t * 10)).collect(),
        ),
    ] {
        let p = lang.prefix();
        for phrase in [
            "next",
            "position-1",
            "position-2",
            "wait-short",
            "wait-1",
            "wait-2",
        ] {
            out.push(format!("{p}-{phrase}"));
        }
        out.extend(numbers.into_iter().map(|k| format!("{p}-{k}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: Vec<String>) -> String {
        v.join(" ")
    }

    #[test]
    fn numbers_are_said_as_people_say_them() {
        let zh = |n| names(number(Language::Chinese, n));
        assert_eq!(zh(0), "zh-0");
        assert_eq!(zh(7), "zh-7");
        assert_eq!(zh(10), "zh-10");
        assert_eq!(zh(12), "zh-10 zh-2");
        assert_eq!(zh(20), "zh-2 zh-10");
        assert_eq!(zh(25), "zh-2 zh-10 zh-5");
        assert_eq!(zh(250), "zh-9 zh-10 zh-9");
        let en = |n| names(number(Language::English, n));
        assert_eq!(en(7), "en-7");
        assert_eq!(en(13), "en-13");
        assert_eq!(en(40), "en-40");
        assert_eq!(en(42), "en-40 en-2");
        assert_eq!(en(1000), "en-90 en-9");
    }

    #[test]
    fn an_announcement_says_the_place_and_the_wait_in_each_language() {
        let both = [Language::Chinese, Language::English];
        assert_eq!(
            names(announcement(&both, 3, Some(150_000))),
            "zh-position-1 zh-3 zh-position-2 zh-wait-1 zh-3 zh-wait-2 \
             en-position-1 en-3 en-position-2 en-wait-1 en-3 en-wait-2"
        );
        assert_eq!(
            names(announcement(&[Language::English], 1, Some(20_000))),
            "en-next en-wait-short"
        );
        assert_eq!(
            names(announcement(&[Language::Chinese], 12, None)),
            "zh-position-1 zh-10 zh-2 zh-position-2"
        );
    }

    #[test]
    fn every_prompt_an_announcement_uses_is_listed() {
        let all = all_prompts();
        for place in 0..120 {
            for wait in [None, Some(0), Some(59_000), Some(61_000), Some(5_940_000)] {
                let both = [Language::Chinese, Language::English];
                for p in announcement(&both, place, wait) {
                    assert!(all.contains(&p), "{p} is not listed");
                }
            }
        }
    }
}
