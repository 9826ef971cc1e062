//! The spreadsheet import reader on an .xlsx (a zip), with the ticket import's limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_server::api::tickets::import::{MAX_BYTES, MAX_ROWS};
use switchboard_server::sheets;

fuzz_target!(|data: &[u8]| {
    // Told apart by content: make every input a zip, so no time goes to CSV here.
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend_from_slice(data.strip_prefix(b"PK\x03\x04").unwrap_or(data));
    if let Ok(sheet) = sheets::read_limited(&bytes, MAX_BYTES, MAX_ROWS) {
        assert!(sheet.rows.len() <= MAX_ROWS);
    }
});
