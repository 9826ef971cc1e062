//! Skill queue vocabulary: channels, routing strategies, priorities, skill levels (A5, R1).

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $field:literal { $($(#[$vdoc:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Result<Self, $crate::ValidationError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::ValidationError::new(
                        $field,
                        format!("unknown value '{}'; expected one of: {}", code,
                            [$($code),+].join(", ")),
                    )),
                }
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// The media a skill queue serves; it decides which agents can take its contacts.
    Channel, "channel" {
        Voice => "voice",
        Video => "video",
        Chat => "chat",
        Task => "task",
    }
);

code_enum!(
    /// How a queue picks among idle agents (R1).
    RoutingStrategy, "strategy" {
        LongestIdle => "longest_idle",
        RoundRobin => "round_robin",
        LeastOccupied => "least_occupied",
        SkillLevel => "skill_level",
    }
);

macro_rules! bounded_number {
    ($(#[$doc:meta])* $name:ident, $field:literal, $min:literal ..= $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            pub const MIN: u32 = $min;
            pub const MAX: u32 = $max;

            pub fn new(value: i64) -> Result<Self, $crate::ValidationError> {
                if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&value) {
                    Ok(Self(value as u32))
                } else {
                    Err($crate::ValidationError::new(
                        $field,
                        format!("must be between {} and {}", Self::MIN, Self::MAX),
                    ))
                }
            }

            pub fn get(self) -> u32 {
                self.0
            }
        }
    };
}
pub(crate) use bounded_number;

bounded_number!(
    /// Queue importance when an agent in several queues could take a contact from each;
    /// higher goes first.
    QueuePriority, "priority", 0..=100
);
bounded_number!(
    /// An agent's skill in a queue; 10 is the most skilled.
    SkillLevel, "skill_level", 1..=10
);
bounded_number!(
    /// How many chats an agent may hold at once (在线接待上限).
    ChatLimit, "chat_limit", 0..=50
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_parse_back() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()).unwrap(), *c);
        }
        for s in RoutingStrategy::ALL {
            assert_eq!(RoutingStrategy::parse(s.code()).unwrap(), *s);
        }
        let err = Channel::parse("fax").unwrap_err();
        assert_eq!(err.field, "channel");
        assert!(err.message.contains("voice"));
    }

    #[test]
    fn bounds_are_enforced() {
        assert!(SkillLevel::new(0).is_err());
        assert_eq!(SkillLevel::new(10).unwrap().get(), 10);
        assert!(QueuePriority::new(101).is_err());
        assert!(ChatLimit::new(-1).is_err());
    }
}
