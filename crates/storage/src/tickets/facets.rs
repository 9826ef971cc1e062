//! A ticket's status and its select and cascade values as search tokens ("facets"), kept
//! beside its full-text terms in the same index, so a search by text, status and options is
//! one probe of that index, rare together even when each part is common.
//!
//! A token is a marker and the hex of the UTF-8 text: letters and digits only, so both
//! databases' tokenizers keep it whole, and SQL (migrations 0009 and 0010, and the rebuild
//! when a type's facet fields change) computes the same tokens. Only option fields are
//! facets: free values (order numbers, phones) would add a distinct long token per ticket to
//! the index, which made writing a million tickets 2.5 times slower.
//!
//! Which fields are facets is per tenant: the union of its types' `facet_fields`. Invariant:
//! every ticket holding a value of a code in that union has the value's facet. Writers read
//! the union under a shared lock; saving a type takes it exclusively and rebuilds the facets
//! of the tickets holding codes that joined the union. A code that leaves the union keeps
//! its tokens until the ticket is next saved: unused, and harmless.

use std::collections::BTreeSet;
use std::fmt::Write;

use switchboard_engine::ticket::search::QueryTerm;
use switchboard_engine::ticket::FieldValues;

use super::values::value_rows;

/// How a transaction holds its tenant's facet fields: shared by writers of tickets,
/// exclusive by a type's save. Taken before any ticket row, so the two never wait on each
/// other in opposite orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FacetLock {
    Shared,
    Exclusive,
}

/// The field codes whose values are facets, for one tenant.
pub(crate) type FacetFields = BTreeSet<String>;

fn hex_into(out: &mut String, text: &str) {
    for byte in text.as_bytes() {
        let _ = write!(out, "{byte:02x}");
    }
}

/// The facet of a ticket in this status.
pub(crate) fn status_facet(status: &str) -> String {
    let mut out = String::from("zs");
    hex_into(&mut out, status);
    out
}

/// The facet of a field value: `zf`, the code, `x` (never a hex digit), the value.
pub(crate) fn field_facet(code: &str, value: &str) -> String {
    let mut out = String::from("zf");
    hex_into(&mut out, code);
    out.push('x');
    hex_into(&mut out, value);
    out
}

/// All facets of a ticket, space-separated: its status, then each indexed value
/// (`values::value_rows`, as `ticket_values` holds them) of a facet field.
pub(crate) fn ticket_facets(status: &str, values: &FieldValues, fields: &FacetFields) -> String {
    let mut out = status_facet(status);
    for (code, value) in value_rows(values) {
        if fields.contains(&code) {
            out.push(' ');
            out.push_str(&field_facet(&code, &value));
        }
    }
    out
}

/// A user's search term as it may be matched: a prefix that could begin a facet token ("z",
/// "zs6…") matches only that exact word, or searching "z" would find every ticket.
pub(crate) fn user_term(mut term: QueryTerm) -> QueryTerm {
    let mut chars = term.text.chars();
    let facet_like = chars.next() == Some('z')
        && match chars.next() {
            None => true,
            Some('s' | 'f') => chars.all(|c| c.is_ascii_hexdigit() || c == 'x'),
            Some(_) => false,
        };
    term.prefix &= !facet_like;
    term
}

/// The union of types' stored facet fields (`ticket_types.facet_fields`: codes, space-separated).
pub(crate) fn facet_fields_union<'a>(stored: impl IntoIterator<Item = &'a str>) -> FacetFields {
    stored
        .into_iter()
        .flat_map(str::split_whitespace)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_engine::ticket::{FieldCode, FieldValue};

    #[test]
    fn facets_are_hex_tokens() {
        assert_eq!(status_facet("done"), "zs646f6e65");
        assert_eq!(status_facet("待办"), "zse5be85e58a9e");
        assert_eq!(field_facet("p", "w"), "zf70x77");
    }

    #[test]
    fn prefixes_of_facet_tokens_match_exactly() {
        let prefix = |text: &str| {
            user_term(QueryTerm {
                text: text.into(),
                prefix: true,
            })
            .prefix
        };
        assert!(!prefix("z"));
        assert!(!prefix("zs6e"));
        assert!(!prefix("zf70x77"));
        assert!(prefix("zebra"));
        assert!(prefix("zsk"));
        assert!(prefix("refu"));
    }

    #[test]
    fn only_facet_fields_values_are_facets() {
        let mut values = FieldValues::new();
        let code = |c: &str| FieldCode::parse(c).unwrap();
        values.insert(code("product"), FieldValue::Text("w".into()));
        values.insert(code("order_no"), FieldValue::Text("A-1".into()));
        values.insert(code("tags"), FieldValue::List(vec!["a".into(), "b".into()]));
        let fields = facet_fields_union(["product tags", "", "tags"]);
        assert_eq!(fields.len(), 2);
        assert_eq!(
            ticket_facets("new", &values, &fields),
            format!(
                "{} {} {} {}",
                status_facet("new"),
                field_facet("product", "w"),
                field_facet("tags", "a"),
                field_facet("tags", "b")
            )
        );
    }
}
