//! The ticket list's query string (`q=`, `text=`, `f.<code>=`, status, priority, times,
//! ids, sort and cursor), read as `ApiQuery` reads it, and a saved view's filters (JSON);
//! the search text becomes full-text terms. Input starting with `{` is a view's filters.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use switchboard_engine::ticket::search::{index_terms, query_terms};
use switchboard_engine::TenantZone;
use switchboard_server::api::tickets::lists::{filter_from, filter_from_map, page_from};
use switchboard_server::extract::query_of;

fuzz_target!(|data: &[u8]| {
    let zone = TenantZone::parse("Asia/Shanghai").expect("a zone");
    if data.first() == Some(&b'{') {
        if let Ok(Value::Object(filters)) = serde_json::from_slice::<Value>(data) {
            if let Ok(params) = filter_from_map(&filters, &zone) {
                filter_from(&params, &zone).expect("saved filters read again");
            }
        }
        return;
    }
    let Ok(params) = query_of::<BTreeMap<String, String>>(data) else {
        return;
    };
    let _ = page_from(&params);
    if filter_from(&params, &zone).is_err() {
        return;
    }
    // Every term of a search finds the text it was typed from.
    for text in params.values() {
        let index = index_terms(text);
        for term in query_terms(text) {
            assert!(
                index
                    .split(' ')
                    .any(|i| i == term.text || (term.prefix && i.starts_with(&term.text))),
                "{term:?} of {text:?} is not in its index {index:?}"
            );
            // A CJK pair is matched as a plain substring of the index (`is_cjk_pair`): that
            // is sound only when every place it occurs is a whole term.
            if term.is_cjk_pair() {
                for (at, _) in index.match_indices(&term.text) {
                    let end = at + term.text.len();
                    assert!(
                        index[..at].chars().next_back().is_none_or(|c| c == ' ')
                            && index[end..].chars().next().is_none_or(|c| c == ' '),
                        "{term:?} inside a longer term of {index:?}"
                    );
                }
            }
        }
    }
});
