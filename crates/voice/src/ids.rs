//! Tags, branches and Call-IDs: unpredictable to a stranger (SHA-256 of a secret seed and a
//! counter), reproducible in tests (the same seed gives the same ids).

use sha2::{Digest, Sha256};
use switchboard_sip::via::BRANCH_COOKIE;

pub struct Ids {
    seed: [u8; 32],
    counter: u64,
}

impl Ids {
    pub fn new(seed: [u8; 32]) -> Ids {
        Ids { seed, counter: 0 }
    }

    /// 16 hex digits (64 bits, more than RFC 3261's 32 for tags).
    pub fn token(&mut self) -> String {
        self.counter += 1;
        let digest = Sha256::new()
            .chain_update(self.seed)
            .chain_update(self.counter.to_be_bytes())
            .finalize();
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn branch(&mut self) -> String {
        format!("{BRANCH_COOKIE}{}", self.token())
    }

    pub fn call_id(&mut self) -> String {
        format!("{}{}@switchboard", self.token(), self.token())
    }

    pub fn number(&mut self) -> u64 {
        self.counter += 1;
        let digest = Sha256::new()
            .chain_update(self.seed)
            .chain_update(self.counter.to_be_bytes())
            .finalize();
        u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()) >> 1
    }
}
