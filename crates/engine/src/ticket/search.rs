//! Full-text terms for ticket search (T7). Chinese has no spaces between words, so runs of CJK
//! characters are indexed as overlapping pairs (bigrams): "退货申请" → 退货 货申 申请, and a
//! query matches when all its pairs are present. Other words are indexed lower-cased. Both
//! databases then index space-separated terms with their stock full-text machinery.

use super::{FieldValue, FieldValues};

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

/// A ticket's terms: its title, its description and the notes so far.
pub fn ticket_terms<'a>(values: &FieldValues, notes: impl Iterator<Item = &'a str>) -> String {
    let text_of = |code: &str| {
        values
            .get(code)
            .map(FieldValue::display)
            .unwrap_or_default()
    };
    let mut all = format!("{} {}", text_of("title"), text_of("description"));
    for n in notes {
        all.push(' ');
        all.push_str(n);
    }
    index_terms(&all)
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
    fn a_ticket_is_found_by_its_title_description_and_notes() {
        let text = |v: &str| FieldValue::Text(v.into());
        let code = |c: &str| super::super::FieldCode::parse(c).unwrap();
        let values: FieldValues = [
            (code("title"), text("退货")),
            (code("description"), text("Refund")),
            (code("phone"), text("13800138000")),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            ticket_terms(&values, ["已回电"].into_iter()),
            "退货 refund 已回 回电"
        );
        assert_eq!(ticket_terms(&FieldValues::new(), std::iter::empty()), "");
    }
}
