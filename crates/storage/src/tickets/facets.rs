//! A ticket's status and short field values as search tokens ("facets"), kept beside its
//! full-text terms in the same index. A search narrowed by status or field then asks that one
//! index for tickets having every term and every facet, instead of intersecting large sets.
//!
//! A token is a marker and the hex of the UTF-8 text: letters and digits only, so both
//! databases' tokenizers keep it whole, and migration 0009 computes the same tokens in SQL.

use std::fmt::Write;

use switchboard_engine::ticket::FieldValues;

use super::values::value_rows;

/// Longer values (as `code=value`) get no facet; a search for one uses the value table.
const MAX_FACET_BYTES: usize = 100;

fn token(marker: &str, text: &str) -> String {
    let mut out = String::with_capacity(marker.len() + text.len() * 2);
    out.push_str(marker);
    for byte in text.as_bytes() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

pub(crate) fn status_facet(status: &str) -> String {
    token("zs", status)
}

/// The facet of a field value, if it is short enough to have one.
pub(crate) fn field_facet(code: &str, value: &str) -> Option<String> {
    let pair = format!("{code}={value}");
    (pair.len() <= MAX_FACET_BYTES).then(|| token("zf", &pair))
}

/// All facets of a ticket, space separated.
pub(crate) fn facets(status: &str, values: &FieldValues) -> String {
    let mut out = status_facet(status);
    for (code, value) in value_rows(values) {
        if let Some(f) = field_facet(&code, &value) {
            out.push(' ');
            out.push_str(&f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use switchboard_engine::ticket::{FieldCode, FieldValue};

    #[test]
    fn facets_are_hex_tokens_of_status_and_short_values() {
        let mut values = FieldValues::new();
        let code = |c: &str| FieldCode::parse(c).unwrap();
        values.insert(code("product"), FieldValue::Text("手表".into()));
        values.insert(code("note"), FieldValue::Text("长".repeat(40)));
        let f = facets("done", &values);
        assert_eq!(
            f, "zs646f6e65 zf70726f647563743de6898be8a1a8",
            "status, then product=手表; the 120-byte note has none"
        );
        assert!(f.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '));
        assert_eq!(
            field_facet("product", "手表").as_deref(),
            f.split(' ').nth(1)
        );
    }
}
