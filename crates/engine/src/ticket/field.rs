//! Ticket fields (T1): their codes, types and options, and turning raw input into valid values.

use super::time::{parse_date, parse_datetime};
use super::FieldError;
use crate::acd::Millis;
use crate::queue::code_enum;
use crate::zone::TenantZone;

code_enum!(
    /// What a field holds, and so how its input is checked.
    FieldType, "type" {
        Text => "text",
        LongText => "long_text",
        Number => "number",
        Date => "date",
        DateTime => "datetime",
        SingleSelect => "single_select",
        MultiSelect => "multi_select",
        /// A path in an option tree, from the root (e.g. province → city).
        Cascade => "cascade",
        Phone => "phone",
        Email => "email",
        Address => "address",
        /// A customer key.
        Member => "member",
        /// A list of file ids.
        Attachment => "attachment",
    }
);

code_enum!(
    /// Where a field comes from: every type has the system fields; business and custom ones
    /// are the tenant's.
    FieldKind, "kind" {
        System => "system",
        Business => "business",
        Custom => "custom",
    }
);

impl FieldType {
    /// Select and cascade fields: their values come from a fixed set of options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            FieldType::SingleSelect | FieldType::MultiSelect | FieldType::Cascade
        )
    }
}

/// A field code: `[a-z][a-z0-9_]{0,31}`; the same in types, templates and import sheets.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldCode(String);

impl FieldCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let mut chars = raw.chars();
        let ok = raw.len() <= 32
            && chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        match ok {
            true => Ok(Self(raw.to_owned())),
            false => Err(FieldError::new(
                raw,
                "a field code is 1-32 characters: a lowercase letter, then lowercase letters, digits or _",
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// So a ticket's values (keyed by code) can be looked up by a plain `&str`.
impl std::borrow::Borrow<str> for FieldCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FieldCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One choice of a select or cascade field; only cascade options have children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOption {
    pub value: String,
    pub label: String,
    pub children: Vec<FieldOption>,
}

/// A field of a ticket type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    pub code: FieldCode,
    pub label: String,
    pub kind: FieldKind,
    pub field_type: FieldType,
    pub required: bool,
    pub options: Vec<FieldOption>,
    pub default: Option<FieldValue>,
}

/// Input as it arrives, before it is checked against a field (JSON or a spreadsheet cell).
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Empty,
    Text(String),
    Number(f64),
    List(Vec<String>),
}

/// A checked value. Times are Unix milliseconds; numbers keep their canonical text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    Time(Millis),
    List(Vec<String>),
}

impl FieldValue {
    /// One line of text for lists, exports and search: lists joined with `;`, cascade paths
    /// with `/` by the caller if wanted.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Text(t) => t.clone(),
            FieldValue::Time(ms) => ms.to_string(),
            FieldValue::List(items) => items.join(";"),
        }
    }
}

const MAX_TEXT: usize = 500;
const MAX_LONG_TEXT: usize = 10_000;
const MAX_LIST: usize = 50;

impl FieldDef {
    /// Checks raw input against this field. `Ok(None)` is an empty value (allowed or not is
    /// for the caller: required fields are checked on the whole ticket).
    pub fn parse_value(
        &self,
        raw: &RawValue,
        zone: &TenantZone,
    ) -> Result<Option<FieldValue>, FieldError> {
        let bad = |message: &str| FieldError::new(self.code.as_str(), message);
        let text = match raw {
            RawValue::Empty => return Ok(None),
            RawValue::Text(t) if t.trim().is_empty() => return Ok(None),
            RawValue::List(l) if l.is_empty() => return Ok(None),
            RawValue::Text(t) => Some(t.trim().to_owned()),
            RawValue::Number(n) => Some(canonical_number(*n).ok_or_else(|| bad("not a number"))?),
            RawValue::List(_) => None,
        };
        use FieldType::*;
        let value = match (self.field_type, text) {
            (Text | Address | Member, Some(t)) => FieldValue::Text(bounded(&t, MAX_TEXT, &bad)?),
            (LongText, Some(t)) => FieldValue::Text(bounded(&t, MAX_LONG_TEXT, &bad)?),
            (Number, Some(t)) => FieldValue::Text(
                t.parse::<f64>()
                    .ok()
                    .and_then(canonical_number)
                    .ok_or_else(|| bad("must be a number"))?,
            ),
            (Date, Some(t)) => {
                parse_date(&t).ok_or_else(|| bad("must be a date like 2026-11-21"))?;
                FieldValue::Text(t)
            }
            (DateTime, Some(t)) => FieldValue::Time(
                parse_datetime(&t, zone)
                    .ok_or_else(|| bad("must be a date and time like 2026-11-21T09:30:00+08:00"))?,
            ),
            (Phone, Some(t)) => FieldValue::Text(phone(&t).ok_or_else(|| {
                bad("must be a phone number: digits, optionally with +, spaces, - or ()")
            })?),
            (Email, Some(t)) => {
                FieldValue::Text(email(&t).ok_or_else(|| bad("must be an email address"))?)
            }
            (SingleSelect, Some(t)) => FieldValue::Text(self.option(&self.options, &t)?),
            (MultiSelect, text) => FieldValue::List(self.options_list(raw, text, &bad)?),
            (Cascade, text) => FieldValue::List(self.cascade_path(raw, text, &bad)?),
            (Attachment, text) => FieldValue::List(list_of(raw, text, ';', &bad)?),
            (_, None) => return Err(bad("expects a single value, not a list")),
        };
        Ok(Some(value))
    }

    /// A value as people read it: option values become their labels (a cascade path joined
    /// with `/`, several options with `; `); other values as [`FieldValue::display`].
    pub fn display_labels(&self, value: &FieldValue) -> String {
        let label = |options: &[FieldOption], v: &str| {
            options
                .iter()
                .find(|o| o.value == v)
                .map_or_else(|| v.to_owned(), |o| o.label.clone())
        };
        match (self.field_type, value) {
            (FieldType::SingleSelect, FieldValue::Text(v)) => label(&self.options, v),
            (FieldType::MultiSelect, FieldValue::List(vs)) => vs
                .iter()
                .map(|v| label(&self.options, v))
                .collect::<Vec<_>>()
                .join("; "),
            (FieldType::Cascade, FieldValue::List(path)) => {
                let mut level = self.options.as_slice();
                let mut out = Vec::with_capacity(path.len());
                for v in path {
                    out.push(label(level, v));
                    level = level
                        .iter()
                        .find(|o| &o.value == v)
                        .map_or(&[][..], |o| o.children.as_slice());
                }
                out.join("/")
            }
            _ => value.display(),
        }
    }

    /// The option value meant by `input` (its value or its label) among `options`.
    fn option(&self, options: &[FieldOption], input: &str) -> Result<String, FieldError> {
        options
            .iter()
            .find(|o| o.value == input)
            .or_else(|| options.iter().find(|o| o.label == input))
            .map(|o| o.value.clone())
            .ok_or_else(|| {
                let allowed: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
                FieldError::new(
                    self.code.as_str(),
                    format!(
                        "'{input}' is not one of the options: {}",
                        allowed.join(", ")
                    ),
                )
            })
    }

    fn options_list(
        &self,
        raw: &RawValue,
        text: Option<String>,
        bad: &dyn Fn(&str) -> FieldError,
    ) -> Result<Vec<String>, FieldError> {
        let mut out = Vec::new();
        for item in list_of(raw, text, ';', bad)? {
            let value = self.option(&self.options, &item)?;
            if !out.contains(&value) {
                out.push(value);
            }
        }
        Ok(out)
    }

    fn cascade_path(
        &self,
        raw: &RawValue,
        text: Option<String>,
        bad: &dyn Fn(&str) -> FieldError,
    ) -> Result<Vec<String>, FieldError> {
        let mut level = &self.options;
        let mut path = Vec::new();
        for step in list_of(raw, text, '/', bad)? {
            if level.is_empty() {
                return Err(bad("the path goes deeper than the options"));
            }
            let value = self.option(level, &step)?;
            level = &level
                .iter()
                .find(|o| o.value == value)
                .expect("option just found")
                .children;
            path.push(value);
        }
        Ok(path)
    }

    /// Checks the definition itself: options where they are needed, a valid default.
    pub fn check(&self) -> Result<(), FieldError> {
        let bad = |m: &str| FieldError::new(self.code.as_str(), m);
        let label = self.label.trim();
        if label.is_empty() || label.chars().count() > 64 {
            return Err(bad("a field label is 1-64 characters"));
        }
        let needs_options = self.field_type.has_options();
        if needs_options && self.options.is_empty() {
            return Err(bad("a select or cascade field needs options"));
        }
        if !needs_options && !self.options.is_empty() {
            return Err(bad("only select and cascade fields have options"));
        }
        check_options(&self.options, self.field_type == FieldType::Cascade, &bad)?;
        if let Some(default) = &self.default {
            let raw = match default {
                FieldValue::Text(t) => RawValue::Text(t.clone()),
                FieldValue::Time(ms) => RawValue::Text(super::time::format_utc(*ms)),
                FieldValue::List(l) => RawValue::List(l.clone()),
            };
            self.parse_value(&raw, &TenantZone::default())?;
        }
        Ok(())
    }
}

fn check_options(
    options: &[FieldOption],
    tree: bool,
    bad: &dyn Fn(&str) -> FieldError,
) -> Result<(), FieldError> {
    if options.len() > 1000 {
        return Err(bad("at most 1000 options per level"));
    }
    for (i, o) in options.iter().enumerate() {
        let value_ok = !o.value.trim().is_empty() && o.value.chars().count() <= 64;
        let label_ok = !o.label.trim().is_empty() && o.label.chars().count() <= 64;
        if !value_ok || !label_ok || o.value.contains([';', '/']) {
            return Err(bad(
                "option values and labels are 1-64 characters; values have no ; or /",
            ));
        }
        if options[..i]
            .iter()
            .any(|p| p.value == o.value || p.label == o.label)
        {
            return Err(bad("option values and labels are unique on each level"));
        }
        if !tree && !o.children.is_empty() {
            return Err(bad("only cascade options have children"));
        }
        check_options(&o.children, tree, bad)?;
    }
    Ok(())
}

fn bounded(text: &str, max: usize, bad: &dyn Fn(&str) -> FieldError) -> Result<String, FieldError> {
    if text.chars().count() > max {
        return Err(bad(&format!("must be at most {max} characters")));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(bad("must not contain control characters"));
    }
    Ok(text.to_owned())
}

/// A list from JSON, or from one text split at `sep` (a spreadsheet cell: `a;b`, `广东/深圳`).
fn list_of(
    raw: &RawValue,
    text: Option<String>,
    sep: char,
    bad: &dyn Fn(&str) -> FieldError,
) -> Result<Vec<String>, FieldError> {
    let items: Vec<String> = match (raw, text) {
        (RawValue::List(l), _) => l.iter().map(|s| s.trim().to_owned()).collect(),
        (_, Some(t)) => t
            .split([sep, if sep == ';' { '；' } else { sep }])
            .map(|s| s.trim().to_owned())
            .collect(),
        _ => vec![],
    };
    if items.len() > MAX_LIST
        || items
            .iter()
            .any(|i| i.is_empty() || i.chars().count() > 200)
    {
        return Err(bad("a list of at most 50 non-empty items"));
    }
    Ok(items)
}

fn canonical_number(n: f64) -> Option<String> {
    (n.is_finite() && n.abs() < 1e15).then(|| {
        if n.fract() == 0.0 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        }
    })
}

fn phone(raw: &str) -> Option<String> {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let ok = (3..=20).contains(&digits)
        && raw
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    ok.then(|| raw.to_owned())
}

fn email(raw: &str) -> Option<String> {
    let (local, domain) = raw.split_once('@')?;
    let ok = !local.is_empty()
        && raw.len() <= 254
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !raw
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@');
    ok.then(|| raw.to_owned())
}

/// The fields every type has. Their code and type are fixed; label, required and default may
/// change per type.
pub fn system_fields() -> Vec<FieldDef> {
    let field = |code: &str, label: &str, field_type, required| FieldDef {
        code: FieldCode(code.into()),
        label: label.into(),
        kind: FieldKind::System,
        field_type,
        required,
        options: vec![],
        default: None,
    };
    let priority = FieldDef {
        options: [
            ("low", "低"),
            ("normal", "普通"),
            ("high", "高"),
            ("urgent", "紧急"),
        ]
        .into_iter()
        .map(|(value, label)| FieldOption {
            value: value.into(),
            label: label.into(),
            children: vec![],
        })
        .collect(),
        default: Some(FieldValue::Text("normal".into())),
        ..field("priority", "优先级", FieldType::SingleSelect, false)
    };
    vec![
        field("title", "标题", FieldType::Text, true),
        field("description", "描述", FieldType::LongText, false),
        priority,
        field("customer", "客户", FieldType::Member, false),
        field("phone", "电话", FieldType::Phone, false),
        field("email", "邮箱", FieldType::Email, false),
        field("due_at", "截止时间", FieldType::DateTime, false),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value as the field reads it, in the default zone.
    fn parse(f: &FieldDef, raw: &RawValue) -> Result<Option<FieldValue>, FieldError> {
        f.parse_value(raw, &TenantZone::default())
    }

    fn def(field_type: FieldType, options: Vec<FieldOption>) -> FieldDef {
        FieldDef {
            code: FieldCode::parse("f").unwrap(),
            label: "F".into(),
            kind: FieldKind::Custom,
            field_type,
            required: false,
            options,
            default: None,
        }
    }

    fn opt(value: &str, label: &str, children: Vec<FieldOption>) -> FieldOption {
        FieldOption {
            value: value.into(),
            label: label.into(),
            children,
        }
    }

    fn text(s: &str) -> RawValue {
        RawValue::Text(s.into())
    }

    #[test]
    fn codes_are_checked() {
        assert!(FieldCode::parse("address_1").is_ok());
        for bad in ["", "1a", "Address", "a-b", "地址", &"a".repeat(33)] {
            assert!(FieldCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_are_checked_by_type() {
        let number = def(FieldType::Number, vec![]);
        assert_eq!(
            parse(&number, &text(" 12.50 ")).unwrap(),
            Some(FieldValue::Text("12.5".into()))
        );
        assert_eq!(
            parse(&number, &RawValue::Number(3.0)).unwrap(),
            Some(FieldValue::Text("3".into()))
        );
        assert!(parse(&number, &text("twelve")).is_err());
        assert_eq!(parse(&number, &text("  ")).unwrap(), None);

        let date = def(FieldType::Date, vec![]);
        assert!(parse(&date, &text("2026-02-28")).is_ok());
        assert!(parse(&date, &text("2026-02-30")).is_err());

        let phone = def(FieldType::Phone, vec![]);
        assert!(parse(&phone, &text("+86 138-0013-8000")).is_ok());
        assert!(parse(&phone, &text("call me")).is_err());
        let email = def(FieldType::Email, vec![]);
        assert!(parse(&email, &text("li.lei@example.cn")).is_ok());
        assert!(parse(&email, &text("li.lei@")).is_err());

        let long = def(FieldType::Text, vec![]);
        assert!(parse(&long, &text(&"字".repeat(501))).is_err());
        assert!(parse(&long, &RawValue::List(vec!["a".into()])).is_err());
    }

    #[test]
    fn selects_take_values_or_labels_and_refuse_others() {
        let colors = vec![opt("red", "红色", vec![]), opt("blue", "蓝色", vec![])];
        let single = def(FieldType::SingleSelect, colors.clone());
        assert_eq!(
            parse(&single, &text("红色")).unwrap(),
            Some(FieldValue::Text("red".into()))
        );
        let err = parse(&single, &text("green")).unwrap_err();
        assert!(err.message.contains("red, blue"), "{}", err.message);

        let multi = def(FieldType::MultiSelect, colors);
        assert_eq!(
            parse(&multi, &text("蓝色；red;blue")).unwrap(),
            Some(FieldValue::List(vec!["blue".into(), "red".into()]))
        );
    }

    #[test]
    fn cascades_follow_the_tree() {
        let tree = vec![opt(
            "gd",
            "广东",
            vec![opt("sz", "深圳", vec![]), opt("gz", "广州", vec![])],
        )];
        let f = def(FieldType::Cascade, tree);
        assert_eq!(
            parse(&f, &text("广东/深圳")).unwrap(),
            Some(FieldValue::List(vec!["gd".into(), "sz".into()]))
        );
        assert!(parse(&f, &text("广东/北京")).is_err());
        assert!(parse(&f, &text("gd/sz/x")).is_err());
        assert!(f.check().is_ok());
    }

    #[test]
    fn option_values_are_shown_by_their_labels() {
        let colors = vec![opt("red", "红色", vec![]), opt("blue", "蓝色", vec![])];
        let single = def(FieldType::SingleSelect, colors.clone());
        assert_eq!(
            single.display_labels(&FieldValue::Text("red".into())),
            "红色"
        );
        assert_eq!(
            single.display_labels(&FieldValue::Text("gone".into())),
            "gone",
            "a value whose option was removed shows as stored"
        );
        let multi = def(FieldType::MultiSelect, colors);
        let both = FieldValue::List(vec!["blue".into(), "red".into()]);
        assert_eq!(multi.display_labels(&both), "蓝色; 红色");
        let tree = vec![opt("gd", "广东", vec![opt("sz", "深圳", vec![])])];
        let cascade = def(FieldType::Cascade, tree);
        let path = FieldValue::List(vec!["gd".into(), "sz".into()]);
        assert_eq!(cascade.display_labels(&path), "广东/深圳");
        let plain = def(FieldType::Text, vec![]);
        assert_eq!(plain.display_labels(&FieldValue::Text("red".into())), "red");
    }

    #[test]
    fn definitions_are_checked() {
        assert!(def(FieldType::SingleSelect, vec![]).check().is_err());
        assert!(def(FieldType::Text, vec![opt("a", "A", vec![])])
            .check()
            .is_err());
        let dup = vec![opt("a", "A", vec![]), opt("a", "B", vec![])];
        assert!(def(FieldType::SingleSelect, dup).check().is_err());
        let mut with_default = def(FieldType::Number, vec![]);
        with_default.default = Some(FieldValue::Text("x".into()));
        assert!(with_default.check().is_err());
        for f in system_fields() {
            f.check().unwrap();
        }
    }
}
