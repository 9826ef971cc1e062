//! The spreadsheet import reader on text: CSV, with the ticket import's limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard_server::sheets;

fuzz_target!(|data: &[u8]| {
    if data.starts_with(b"PK\x03\x04") {
        return; // sheet_xlsx's
    }
    if let Ok(sheet) = sheets::read(data, 2000) {
        assert!(sheet.rows.len() <= 2000);
        assert!(
            sheet.rows.windows(2).all(|w| w[0].0 < w[1].0),
            "rows in order"
        );
    }
});
