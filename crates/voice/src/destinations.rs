//! The toll-fraud guard's destination rules (外呼号码规则): which numbers a tenant's agents
//! may call through a trunk. A number is called only when an allow rule matches it and no
//! deny rule does; everything else — international and premium numbers by default — is
//! refused before any leg is placed.

/// One rule: numbers starting with `prefix` (in the normalized form, `+` and digits, see
/// [`normalize_number`](crate::directory::normalize_number)) whose digit count lies in
/// `min_digits..=max_digits`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationRule {
    pub prefix: String,
    pub min_digits: u8,
    pub max_digits: u8,
    pub allow: bool,
    /// What the rule is for (国内手机, 声讯台): shown with a refusal.
    pub label: String,
}

/// A tenant's outbound rules and the most calls one agent may place in a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundPolicy {
    pub rules: Vec<DestinationRule>,
    /// Per agent per day in the tenant's time zone; `None`: no limit.
    pub daily_limit: Option<u32>,
}

/// Why a number may not be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No allow rule covers the number (international numbers, unless a rule names them).
    NoRule,
    /// A deny rule matches it (premium-rate numbers); its label says which.
    Denied(String),
}

impl DestinationRule {
    fn rule(prefix: &str, digits: (u8, u8), allow: bool, label: &str) -> DestinationRule {
        DestinationRule {
            prefix: prefix.to_owned(),
            min_digits: digits.0,
            max_digits: digits.1,
            allow,
            label: label.to_owned(),
        }
    }

    pub fn matches(&self, number: &str) -> bool {
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        number.starts_with(&self.prefix)
            && (usize::from(self.min_digits)..=usize::from(self.max_digits)).contains(&digits)
    }
}

impl Default for OutboundPolicy {
    /// What a tenant has before an admin saves rules: domestic (China) fixed and mobile
    /// numbers, without the premium-rate information services; nothing abroad; 200 calls
    /// per agent per day.
    fn default() -> OutboundPolicy {
        OutboundPolicy {
            rules: vec![
                DestinationRule::rule("+86", (11, 13), true, "国内固话和手机"),
                DestinationRule::rule("+86168", (1, 20), false, "声讯台"),
                DestinationRule::rule("+861259", (1, 20), false, "增值业务"),
            ],
            daily_limit: Some(200),
        }
    }
}

impl OutboundPolicy {
    /// Whether `number` (normalized) may be called; the deny rule's label when not.
    pub fn check(&self, number: &str) -> Result<(), Refusal> {
        let matching = || self.rules.iter().filter(|r| r.matches(number));
        if let Some(deny) = matching()
            .filter(|r| !r.allow)
            .max_by_key(|r| r.prefix.len())
        {
            return Err(Refusal::Denied(deny.label.clone()));
        }
        if matching().any(|r| r.allow) {
            Ok(())
        } else {
            Err(Refusal::NoRule)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::{normalize_number, COUNTRY_CODE};

    fn check(policy: &OutboundPolicy, raw: &str) -> Result<(), Refusal> {
        policy.check(&normalize_number(raw, COUNTRY_CODE).expect("a number"))
    }

    #[test]
    fn by_default_domestic_numbers_only() {
        let p = OutboundPolicy::default();
        assert_eq!(check(&p, "13800138000"), Ok(()));
        assert_eq!(check(&p, "010-12345678"), Ok(()));
        assert_eq!(check(&p, "0755-12345678"), Ok(()));
        assert_eq!(check(&p, "+1 650 555 0100"), Err(Refusal::NoRule));
        assert_eq!(check(&p, "00442079460000"), Err(Refusal::NoRule));
        assert_eq!(
            check(&p, "+8616812345678"),
            Err(Refusal::Denied("声讯台".into()))
        );
        // Short numbers (emergency, bank service lines) need a rule of their own.
        assert_eq!(check(&p, "95588"), Err(Refusal::NoRule));
        assert_eq!(check(&p, "+86138001380001234"), Err(Refusal::NoRule));
    }

    #[test]
    fn the_longest_deny_wins_over_any_allow() {
        let mut p = OutboundPolicy::default();
        p.rules
            .push(DestinationRule::rule("+1", (11, 11), true, "北美"));
        p.rules.push(DestinationRule::rule(
            "+1900",
            (11, 11),
            false,
            "Premium US",
        ));
        assert_eq!(check(&p, "+16505550100"), Ok(()));
        assert_eq!(
            check(&p, "+19005550100"),
            Err(Refusal::Denied("Premium US".into()))
        );
        p.rules
            .push(DestinationRule::rule("95", (5, 5), true, "服务热线"));
        assert_eq!(check(&p, "95588"), Ok(()));
        assert_eq!(check(&p, "955880"), Err(Refusal::NoRule));
    }

    #[test]
    fn no_rules_call_nothing() {
        let p = OutboundPolicy {
            rules: Vec::new(),
            daily_limit: None,
        };
        assert_eq!(check(&p, "13800138000"), Err(Refusal::NoRule));
    }
}
