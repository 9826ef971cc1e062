//! Full-text terms for ticket search (T7). Chinese has no spaces between words, so runs of CJK
//! characters are indexed as overlapping pairs (bigrams): "退货申请" → 退货 货申 申请, and a
//! query matches when all its pairs are present. Other words are indexed lower-cased. Both
//! databases then index space-separated terms with their stock full-text machinery.
//!
//! A ticket's terms come from every field that holds words ([`holds_words`]) and its notes.

use super::{FieldCode, FieldDef, FieldType, FieldValues};

/// One term of a query; `prefix` terms match any indexed term starting with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    pub text: String,
    pub prefix: bool,
}

impl QueryTerm {
    /// An exact pair of CJK characters. In indexed terms it occurs as a plain substring only
    /// where it is a whole term: terms are separated by spaces, CJK terms are at most two
    /// characters, and other terms hold no CJK character. So it can be matched without
    /// looking for word boundaries.
    pub fn is_cjk_pair(&self) -> bool {
        let mut chars = self.text.chars();
        !self.prefix
            && matches!((chars.next(), chars.next(), chars.next()),
                (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
    }
}

/// At most this many terms in one query: the rest are ignored.
pub const MAX_QUERY_TERMS: usize = 16;

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FFFF) // CJK extensions B and later
}

/// Runs of CJK characters and runs of other letters/digits, in order.
fn runs(text: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    for c in text.chars() {
        let kind = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (kind, out.last_mut()) {
            (Some(k), Some((last, run))) if *last == k && !run.is_empty() => run.push(c),
            (Some(k), _) => out.push((k, c.to_string())),
            (None, Some((_, run))) if !run.is_empty() => out.push((false, String::new())),
            (None, _) => {}
        }
    }
    out.retain(|(_, r)| !r.is_empty());
    out
}

fn bigrams(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    if chars.len() == 1 {
        return vec![run.to_owned()];
    }
    chars.windows(2).map(|w| w.iter().collect()).collect()
}

/// The terms of a text, space-separated, each distinct term once, for the full-text index.
pub fn index_terms(text: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::new();
    for (cjk, run) in runs(text) {
        let terms = if cjk {
            bigrams(&run)
        } else {
            vec![run.to_lowercase()]
        };
        for t in terms {
            if seen.insert(t.clone()) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&t);
            }
        }
    }
    out
}

/// Fields whose values are words someone may search for: text, long text, addresses and
/// email addresses, and the options of select and cascade fields by their labels (a path of
/// a cascade field by every label on it). Numbers, dates and times, phone numbers, customer
/// keys and attachments (file ids) are not words: they have filters of their own.
pub fn holds_words(t: FieldType) -> bool {
    use FieldType::*;
    matches!(
        t,
        Text | LongText | Address | Email | SingleSelect | MultiSelect | Cascade
    )
}

/// A ticket's terms: the values of its type's fields that hold words (options by their
/// labels), and the notes so far.
pub fn ticket_terms<'a>(
    fields: &[FieldDef],
    values: &FieldValues,
    notes: impl Iterator<Item = &'a str>,
) -> String {
    let mut all = String::new();
    for f in fields.iter().filter(|f| holds_words(f.field_type)) {
        if let Some(v) = values.get(f.code.as_str()) {
            all.push(' ');
            all.push_str(&f.display_labels(v));
        }
    }
    for n in notes {
        all.push(' ');
        all.push_str(n);
    }
    index_terms(&all)
}

/// Whether an edit of these fields changes the ticket's terms.
pub fn changes_terms(fields: &[FieldDef], changed: &[FieldCode]) -> bool {
    fields
        .iter()
        .any(|f| holds_words(f.field_type) && changed.contains(&f.code))
}

/// What of a type decides its tickets' terms: the codes of the fields that hold words, and
/// the labels of their options. When it changes, the type's tickets are indexed again.
pub fn terms_shape(fields: &[FieldDef]) -> String {
    fn labels(out: &mut String, options: &[super::FieldOption]) {
        for o in options {
            out.push_str(&format!("{}={};", o.value, o.label));
            labels(out, &o.children);
            out.push('|');
        }
    }
    let mut out = String::new();
    for f in fields.iter().filter(|f| holds_words(f.field_type)) {
        out.push_str(f.code.as_str());
        out.push(':');
        labels(&mut out, &f.options);
        out.push('\n');
    }
    out
}

/// The terms a query needs. A lone CJK character and every other word match as prefixes, so
/// "退" finds 退货 and "refu" finds refund.
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    let mut out: Vec<QueryTerm> = Vec::new();
    for (cjk, run) in runs(query) {
        let single = run.chars().count() == 1;
        let terms = if cjk {
            bigrams(&run)
        } else {
            vec![run.to_lowercase()]
        };
        for text in terms {
            if !out.iter().any(|t| t.text == text) {
                out.push(QueryTerm {
                    text,
                    prefix: !cjk || single,
                });
            }
        }
    }
    out.truncate(MAX_QUERY_TERMS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_indexed_in_pairs_and_other_words_whole() {
        assert_eq!(
            index_terms("客户申请退货 Refund #12345, 退货!"),
            "客户 户申 申请 请退 退货 refund 12345"
        );
        assert_eq!(index_terms("单"), "单");
        assert_eq!(index_terms("  ,. "), "");
    }

    #[test]
    fn a_query_matches_what_contains_it() {
        let index = index_terms("客户申请退货，订单号 A-778");
        let terms = query_terms("申请退货");
        assert!(terms.iter().all(|t| index.split(' ').any(|i| i == t.text)));
        assert_eq!(
            query_terms("退 a-778"),
            [
                QueryTerm {
                    text: "退".into(),
                    prefix: true
                },
                QueryTerm {
                    text: "a".into(),
                    prefix: true
                },
                QueryTerm {
                    text: "778".into(),
                    prefix: true
                },
            ]
        );
        assert!(query_terms("——").is_empty());
        let pairs: Vec<bool> = query_terms("退货 退 ab 申请单")
            .iter()
            .map(QueryTerm::is_cjk_pair)
            .collect();
        assert_eq!(pairs, [true, false, false, true, true]);
        assert_eq!(query_terms(&"字".repeat(40)).len(), 1, "repeats count once");
    }

    #[test]
    fn a_ticket_is_found_by_its_words_options_labels_and_notes() {
        use super::super::{FieldKind, FieldOption, FieldValue, TicketSchema};
        let text = |v: &str| FieldValue::Text(v.into());
        let code = |c: &str| FieldCode::parse(c).unwrap();
        let mut schema = TicketSchema::starter();
        let custom = |c: &str, field_type| FieldDef {
            code: code(c),
            label: c.into(),
            kind: FieldKind::Custom,
            field_type,
            required: false,
            options: vec![],
            default: None,
        };
        schema.fields.push(custom("address", FieldType::Address));
        schema.fields.push(custom("amount", FieldType::Number));
        schema.fields.push(FieldDef {
            options: vec![FieldOption {
                value: "watch".into(),
                label: "智能手表".into(),
                children: vec![],
            }],
            ..custom("product", FieldType::SingleSelect)
        });
        let values: FieldValues = [
            (code("title"), text("退货")),
            (code("description"), text("Refund")),
            (code("phone"), text("13800138000")),
            (code("address"), text("上海市浦东新区 Century Ave")),
            (code("amount"), text("99")),
            (code("product"), text("watch")),
            (code("unknown"), text("gone")),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            ticket_terms(&schema.fields, &values, ["已回电"].into_iter()),
            "退货 refund 上海 海市 市浦 浦东 东新 新区 century ave 智能 能手 手表 已回 回电"
        );
        assert_eq!(
            ticket_terms(&schema.fields, &FieldValues::new(), std::iter::empty()),
            ""
        );
        assert!(changes_terms(&schema.fields, &[code("address")]));
        assert!(changes_terms(&schema.fields, &[code("title")]));
        assert!(!changes_terms(
            &schema.fields,
            &[code("amount"), code("due_at")]
        ));
        let before = terms_shape(&schema.fields);
        schema.fields[9].options[0].label = "手环".into();
        assert_ne!(terms_shape(&schema.fields), before, "a label changed");
        let relabelled = terms_shape(&schema.fields);
        schema.fields[8].label = "金额".into();
        assert_eq!(
            terms_shape(&schema.fields),
            relabelled,
            "not a field of words"
        );
    }
}
