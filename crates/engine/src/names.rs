//! Validated names and secrets: parse once at the edge, trust everywhere after.

use crate::ValidationError;

/// Trimmed text of 1..=max characters with no control characters.
fn plain_text(field: &'static str, raw: &str, max: usize) -> Result<String, ValidationError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(ValidationError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(text.to_owned())
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, ValidationError> {
                plain_text($field, raw, $max).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_type!(
    /// A person's real or display name (真实姓名 / 对外展示名); Chinese welcome.
    PersonName, "name", 64
);
text_type!(
    /// The name of a role.
    RoleName, "name", 64
);
text_type!(
    /// The name of a skill queue.
    SkillQueueName, "name", 64
);
text_type!(
    /// The name of a category tag.
    TagName, "name", 64
);

/// A tenant's short name, used at login and in URLs: `[a-z][a-z0-9-]{1,31}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantName(String);

impl TenantName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_ascii_lowercase();
        let mut chars = name.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(2..=32).contains(&name.len()) || !starts_with_letter || !rest_ok {
            return Err(ValidationError::new(
                "tenant",
                "must be 2-32 characters: a lowercase letter, then letters, digits or '-'",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TenantName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A login name (登录名), often a phone number or an email address. Case-insensitive:
/// stored lowercased so `Agent1` and `agent1` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LoginName(String);

impl LoginName {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let login = raw.trim().to_lowercase();
        if login.is_empty() || login.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new("login", "must be 1-64 characters"));
        }
        let allowed = |c: char| c.is_alphanumeric() || "._-@+".contains(c);
        if !login.chars().all(allowed) {
            return Err(ValidationError::new(
                "login",
                "may contain only letters, digits and . _ - @ +",
            ));
        }
        Ok(Self(login))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LoginName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A plain-text password on its way to the hasher. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    /// A password chosen by a person: 8-128 characters.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let n = raw.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&n) {
            return Err(ValidationError::new("password", "must be 8-128 characters"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// A password as typed at login: checked only for length, so a huge input cannot
    /// make the hasher work for long.
    pub fn attempt(raw: &str) -> Option<Self> {
        (raw.chars().count() <= Self::MAX_CHARS).then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_is_lowercased_and_restricted() {
        assert_eq!(LoginName::parse(" Agent1 ").unwrap().as_str(), "agent1");
        assert_eq!(
            LoginName::parse("13800138000").unwrap().as_str(),
            "13800138000"
        );
        assert!(LoginName::parse("a b").is_err());
        assert!(LoginName::parse("").is_err());
        assert!(LoginName::parse(&"x".repeat(65)).is_err());
        assert!(LoginName::parse("张三").is_ok());
    }

    #[test]
    fn tenant_name_rules() {
        assert!(TenantName::parse("demo").is_ok());
        assert!(TenantName::parse("Acme-2").is_ok());
        assert!(TenantName::parse("2acme").is_err());
        assert!(TenantName::parse("a").is_err());
        assert!(TenantName::parse("a_b").is_err());
    }

    #[test]
    fn person_names_accept_chinese_and_refuse_control_characters() {
        assert_eq!(PersonName::parse(" 张小明 ").unwrap().as_str(), "张小明");
        assert!(PersonName::parse("a\u{0}b").is_err());
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"名".repeat(64)).is_ok());
        assert!(PersonName::parse(&"名".repeat(65)).is_err());
    }

    #[test]
    fn password_length_and_redacted_debug() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse").unwrap();
        assert_eq!(format!("{p:?}"), "Password(***)");
        assert!(Password::attempt(&"x".repeat(129)).is_none());
    }
}
