//! Drawing a random sample of contacts to review (抽检): N per agent per week, the same
//! draw for the same seed so it can be repeated and checked.

use std::collections::HashMap;

use crate::acd::Millis;
use crate::{ContactId, UserId};

/// A contact that may be drawn: who served it and the start of its week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub contact: ContactId,
    pub agent: UserId,
    pub week: Millis,
}

/// SplitMix64's finaliser: a well-mixed 64-bit value from any input, so a contact's place
/// in the draw depends on the seed and its id alone.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn rank(seed: u64, contact: ContactId) -> u64 {
    let (hi, lo) = contact.0.as_u64_pair();
    mix(mix(seed ^ hi) ^ lo)
}

/// Up to `per_agent_week` contacts of each agent in each week, picked at random by `seed`:
/// every candidate is ranked by a hash of the seed and its id and the lowest ranks win, so
/// the draw does not depend on the candidates' order. Returned by agent, week, then rank.
pub fn draw(candidates: &[Candidate], per_agent_week: u32, seed: u64) -> Vec<ContactId> {
    let mut ranked: Vec<(UserId, Millis, u64, ContactId)> = candidates
        .iter()
        .map(|c| (c.agent, c.week, rank(seed, c.contact), c.contact))
        .collect();
    ranked.sort_unstable();
    ranked.dedup_by_key(|r| r.3);
    let mut taken: HashMap<(UserId, Millis), u32> = HashMap::new();
    ranked
        .into_iter()
        .filter(|(agent, week, _, _)| {
            let n = taken.entry((*agent, *week)).or_default();
            *n += 1;
            *n <= per_agent_week
        })
        .map(|r| r.3)
        .collect()
}
