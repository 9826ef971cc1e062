//! How a ticket's field values are kept: one JSON object per ticket (text as strings, times as
//! numbers, lists as arrays), plus one `ticket_values` row per short value for field search.

use serde_json::{Map, Value};
use switchboard_engine::ticket::{FieldCode, FieldValue, FieldValues};

use crate::StorageError;

/// Values longer than this are not indexed for exact-match field search (descriptions).
const MAX_INDEXED: usize = 200;

pub fn encode_values(values: &FieldValues) -> String {
    let map: Map<String, Value> = values
        .iter()
        .map(|(code, v)| {
            let json = match v {
                FieldValue::Text(t) => Value::String(t.clone()),
                FieldValue::Time(ms) => Value::from(*ms),
                FieldValue::List(items) => items.iter().cloned().map(Value::String).collect(),
            };
            (code.as_str().to_owned(), json)
        })
        .collect();
    Value::Object(map).to_string()
}

pub fn decode_values(text: &str) -> Result<FieldValues, StorageError> {
    let corrupt = |what: &str| StorageError::Corrupt(format!("ticket fields: {what}"));
    let Value::Object(map) = serde_json::from_str(text).map_err(|_| corrupt("not JSON"))? else {
        return Err(corrupt("not an object"));
    };
    map.into_iter()
        .map(|(code, v)| {
            let code = FieldCode::parse(&code).map_err(|_| corrupt("bad code"))?;
            let value = match v {
                Value::String(s) => FieldValue::Text(s),
                Value::Number(n) => {
                    FieldValue::Time(n.as_i64().ok_or_else(|| corrupt("bad time"))?)
                }
                Value::Array(items) => FieldValue::List(
                    items
                        .into_iter()
                        .map(|i| {
                            i.as_str()
                                .map(str::to_owned)
                                .ok_or_else(|| corrupt("bad list"))
                        })
                        .collect::<Result<_, _>>()?,
                ),
                _ => return Err(corrupt("bad value")),
            };
            Ok((code, value))
        })
        .collect()
}

/// System fields whose text a ticket keeps in a column of the same name (every type has
/// them, with these codes and text types): a filter on one reads the column, so
/// `ticket_values` holds no rows of them (three fewer rows per ticket to write and index).
pub(crate) const IN_COLUMNS: [&str; 3] = ["title", "customer", "phone"];

/// The column holding a field's text, if it is one of `IN_COLUMNS`.
pub(crate) fn column_of(code: &str) -> Option<&'static str> {
    IN_COLUMNS.into_iter().find(|c| *c == code)
}

/// `(code, value)` rows for field search: one per text or time, one per list item.
pub(crate) fn value_rows(values: &FieldValues) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (code, v) in values {
        let code = code.as_str();
        match v {
            FieldValue::Text(t) if t.chars().count() <= MAX_INDEXED => {
                rows.push((code.to_owned(), t.clone()))
            }
            FieldValue::Text(_) => {}
            FieldValue::Time(ms) => rows.push((code.to_owned(), ms.to_string())),
            FieldValue::List(items) => {
                for i in items {
                    if !rows.iter().any(|(c, x)| c == code && x == i) {
                        rows.push((code.to_owned(), i.clone()));
                    }
                }
            }
        }
    }
    rows
}

/// A system field's text, as the ticket's own column keeps it.
pub(crate) fn text_of(values: &FieldValues, code: &str) -> Option<String> {
    values.get(code).map(FieldValue::display)
}

pub(crate) fn time_of(values: &FieldValues, code: &str) -> Option<i64> {
    match values.get(code) {
        Some(FieldValue::Time(ms)) => Some(*ms),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let mut values = FieldValues::new();
        let code = |c: &str| FieldCode::parse(c).unwrap();
        values.insert(code("title"), FieldValue::Text("退货".into()));
        values.insert(code("due_at"), FieldValue::Time(1_790_000_000_000));
        values.insert(
            code("tags"),
            FieldValue::List(vec!["vip".into(), "vip".into(), "急".into()]),
        );
        values.insert(code("description"), FieldValue::Text("长".repeat(300)));
        assert_eq!(decode_values(&encode_values(&values)).unwrap(), values);
        assert_eq!(
            value_rows(&values).len(),
            4,
            "description is not indexed; duplicates once"
        );
        assert!(decode_values("[1]").is_err());
    }
}
