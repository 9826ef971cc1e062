//! Web chat vocabulary (M1, M2, M9): who sent a message, what kind it is, entry point names.

use crate::queue::code_enum;
use crate::ValidationError;

code_enum!(
    /// Who wrote a chat message.
    Sender, "sender" {
        Customer => "customer",
        Agent => "agent",
        /// The system: "agent joined", "transferred", "withdrawn"…
        System => "system",
    }
);

code_enum!(
    /// What a chat message carries.
    MessageKind, "kind" {
        Text => "text",
        /// An uploaded image or file; the body is its JSON description.
        File => "file",
        /// A link card to a document of the library (M2).
        Document => "document",
        /// A system notice; the body is its JSON description.
        Notice => "notice",
    }
);

/// The URL name of a chat entry point, e.g. `web` in `/chat/demo/web`: `[a-z0-9-]{1,32}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntryName(String);

impl EntryName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_ascii_lowercase();
        let ok = (1..=32).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(ValidationError::new(
                "entry",
                "must be 1-32 characters: lowercase letters, digits or '-'",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Most characters in one chat message.
pub const MAX_MESSAGE_CHARS: usize = 5000;

/// The text of a chat message: 1-5000 characters after trimming.
pub fn message_text(raw: &str) -> Result<String, ValidationError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ValidationError::new("text", "must not be empty"));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ValidationError::new(
            "text",
            format!("must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_and_message_texts() {
        assert_eq!(EntryName::parse(" Web ").unwrap().as_str(), "web");
        assert!(EntryName::parse("a b").is_err());
        assert_eq!(message_text(" 你好 ").unwrap(), "你好");
        assert!(message_text("   ").is_err());
        assert!(message_text(&"字".repeat(5001)).is_err());
        assert_eq!(Sender::parse("agent").unwrap(), Sender::Agent);
    }
}
