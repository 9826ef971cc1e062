//! Ticket field input: a JSON value (the API, `schema::raw_value`) or a spreadsheet cell's
//! text (the import) checked against a field of each type. The first byte picks the field
//! type, the second whether the rest is JSON or cell text. A value that passes enters
//! again, as the API writes it back, unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use switchboard_engine::ticket::{
    FieldCode, FieldDef, FieldKind, FieldOption, FieldType, FieldValue, RawValue,
};
use switchboard_engine::TenantZone;
use switchboard_server::api::tickets::schema::{raw_value, value_json};

fn option(value: &str, label: &str, children: Vec<FieldOption>) -> FieldOption {
    FieldOption {
        value: value.into(),
        label: label.into(),
        children,
    }
}

fn field(field_type: FieldType) -> FieldDef {
    let options = match field_type {
        FieldType::SingleSelect | FieldType::MultiSelect => vec![
            option("refund", "退款", vec![]),
            option("repair", "维修 Repair", vec![]),
            option("a", "b", vec![]),
            option("b", "c", vec![]),
        ],
        FieldType::Cascade => vec![
            option(
                "gd",
                "广东",
                vec![
                    option("sz", "深圳", vec![option("ns", "南山", vec![])]),
                    option("gz", "广州", vec![]),
                ],
            ),
            option("bj", "北京", vec![option("cy", "朝阳", vec![])]),
        ],
        _ => vec![],
    };
    let def = FieldDef {
        code: FieldCode::parse("f").expect("a code"),
        label: "字段".into(),
        kind: FieldKind::Custom,
        field_type,
        required: false,
        options,
        default: None,
    };
    def.check().expect("a valid field");
    def
}

fuzz_target!(|data: &[u8]| {
    let [which, how, rest @ ..] = data else {
        return;
    };
    let def = field(FieldType::ALL[usize::from(*which) % FieldType::ALL.len()]);
    let zone = TenantZone::parse("Asia/Shanghai").expect("a zone");
    let raw = if how % 2 == 0 {
        let Ok(v) = serde_json::from_slice::<Value>(rest) else {
            return;
        };
        match raw_value("f", &v) {
            Ok(raw) => raw,
            Err(_) => return,
        }
    } else {
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        RawValue::Text(text.to_owned())
    };
    let Ok(Some(value)) = def.parse_value(&raw, &zone) else {
        return;
    };
    if let (FieldType::Date, FieldValue::Text(date)) = (def.field_type, &value) {
        let digits_and_dashes = date.len() == 10
            && date.bytes().enumerate().all(|(i, b)| {
                matches!(i, 4 | 7) == (b == b'-') && (b == b'-' || b.is_ascii_digit())
            });
        assert!(digits_and_dashes, "a date stored as {date:?}");
    }
    let _ = def.display_labels(&value);
    let again = raw_value("f", &value_json(&value)).expect("written back as a raw value");
    assert_eq!(
        def.parse_value(&again, &zone).ok().flatten(),
        Some(value.clone()),
        "{:?} written back as {again:?}",
        def.field_type
    );
});
