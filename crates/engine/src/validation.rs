//! The one error type for input that breaks a domain rule.

/// A value broke a rule. `field` names the input field so the edge can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

/// The first character the product refuses in any text it is given, if there is one: the
/// C0 and C1 control characters and DEL, except tab, line feed and carriage return (which
/// multi-line text such as notes and messages holds). Decided once, applied at every edge
/// (JSON bodies, query strings, path segments, chat frames), so no database ever sees a NUL.
pub fn refused_char(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
    })
}

#[cfg(test)]
mod tests {
    use super::refused_char;

    #[test]
    fn control_characters_are_refused_and_line_breaks_kept() {
        assert_eq!(refused_char("a\u{0}b"), Some('\u{0}'));
        assert_eq!(refused_char("退货\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(refused_char("x\u{7f}"), Some('\u{7f}'));
        assert_eq!(refused_char("x\u{85}"), Some('\u{85}'));
        assert_eq!(refused_char("第一行\n第二行\r\n\tend"), None);
        assert_eq!(refused_char("emoji 😀 and 中文"), None);
    }
}
