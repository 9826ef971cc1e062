//! Reading uploaded spreadsheets (.csv, .xlsx) into rows of text, defensively: size, row and
//! decompression limits are checked before any real work, so a zip bomb or a million-row
//! sheet is refused rather than chewed on. An .xlsx is read cell by cell, never as calamine's
//! dense range, which allocates every cell between two far-apart ones.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use quick_xml::events::Event;

/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;
/// Most uncompressed bytes an .xlsx may expand to.
const MAX_UNZIPPED: u64 = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 500;
/// Most cells an .xlsx is read into, the blank ones left of a row's last value included.
const MAX_CELLS: usize = 10_000_000;
/// Excel's grid: columns up to XFD, rows up to 1,048,576.
const MAX_COLUMN: u32 = 16_384;
const MAX_ROW: u32 = 1_048_576;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SheetError {
    #[error("the file is not a .csv or .xlsx spreadsheet")]
    UnknownFormat,
    #[error("the file is larger than {} MB", MAX_UPLOAD / 1024 / 1024)]
    TooLarge,
    #[error("the spreadsheet has more than {0} data rows")]
    TooManyRows(usize),
    #[error("the spreadsheet expands to too much data (possibly a zip bomb)")]
    Bomb,
    #[error("the spreadsheet cannot be read: {0}")]
    Unreadable(String),
    #[error("the spreadsheet is empty")]
    Empty,
    #[error("cell {0} holds a formula; formulas are not accepted, enter the values themselves")]
    Formula(String),
}

/// A parsed sheet: the header cells, then data rows numbered as the spreadsheet shows them.
#[derive(Debug, PartialEq, Eq)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Reads a .csv or .xlsx (told apart by content, not name) with at most `max_rows` data rows.
pub fn read(bytes: &[u8], max_rows: usize) -> Result<Sheet, SheetError> {
    read_limited(bytes, MAX_UPLOAD, max_rows)
}

/// [`read`] with a size limit of its own. Cells holding formulas refuse the whole file:
/// their cached results may be stale, and evaluating them is not our business.
pub fn read_limited(bytes: &[u8], max_bytes: usize, max_rows: usize) -> Result<Sheet, SheetError> {
    if bytes.len() > max_bytes {
        return Err(SheetError::TooLarge);
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, max_rows)?
    } else if std::str::from_utf8(bytes).is_ok() {
        read_csv(bytes, max_rows)?
    } else {
        return Err(SheetError::UnknownFormat);
    };
    let mut numbered = rows.into_iter().enumerate().map(|(i, r)| (i + 1, r));
    let (_, header) = numbered.next().ok_or(SheetError::Empty)?;
    let header = header.into_iter().map(|h| h.trim().to_owned()).collect();
    let rows: Vec<_> = numbered
        .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.len() > max_rows {
        return Err(SheetError::TooManyRows(max_rows));
    }
    Ok(Sheet { header, rows })
}

fn read_csv(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, SheetError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SheetError::UnknownFormat)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Unreadable(e.to_string()))?;
        rows.push(record.iter().map(str::to_owned).collect());
        if rows.len() > max_rows + 1 {
            return Err(SheetError::TooManyRows(max_rows));
        }
    }
    Ok(rows)
}

/// Refuses archives whose entries claim, or turn out, to be too large once inflated, and
/// parts naming a cell beyond Excel's grid (calamine reads references with unchecked
/// arithmetic).
fn guard_zip(bytes: &[u8]) -> Result<(), SheetError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(SheetError::Bomb);
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        // Inflate for real, with a cap, rather than trust the declared size.
        let budget = MAX_UNZIPPED.saturating_sub(total) + 1;
        let mut part = Vec::new();
        entry
            .take(budget)
            .read_to_end(&mut part)
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        total += part.len() as u64;
        if total > MAX_UNZIPPED {
            return Err(SheetError::Bomb);
        }
        if let Some(bad) = bad_reference(&part) {
            return Err(SheetError::Unreadable(format!(
                "the cell reference '{bad}' is outside a spreadsheet"
            )));
        }
    }
    Ok(())
}

/// The first `r` or `ref` attribute of an XML part that is not a cell or range inside
/// Excel's grid (top-left first), read as calamine reads attributes. Parts that are not XML
/// are read up to where they stop being XML, as calamine would.
fn bad_reference(xml: &[u8]) -> Option<String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let bad = raw_attributes(e.attributes_raw())
                    .filter(|(key, _)| *key == "r" || *key == "ref")
                    .find(|(_, value)| !in_grid(value));
                if let Some((_, value)) = bad {
                    return Some(value.chars().take(40).collect());
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

/// `key="value"` pairs as calamine's attribute reader (`attrs.rs`) splits them: the key
/// runs to `=`, the value between quotes of either kind; it stops at the first malformed one.
fn raw_attributes(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let (key, after) = rest
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .split_once('=')?;
        let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let (value, tail) = after[1..].split_once(quote).unwrap_or((&after[1..], ""));
        rest = tail;
        Some((
            key.trim_end_matches(|c: char| c.is_ascii_whitespace()),
            value,
        ))
    })
}

/// A cell (`B7`), a row (`7`) or a range (`A1:C9`, top-left first) inside Excel's grid.
fn in_grid(reference: &str) -> bool {
    let corner = |part: &str| -> Option<(u32, u32)> {
        let digits = part.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let letters = &part[..part.len() - digits.len()];
        if letters.len() > 3 || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let column = letters.bytes().fold(0, |n, b| {
            n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1
        });
        let row = digits.parse().unwrap_or(0);
        (column <= MAX_COLUMN && row <= MAX_ROW).then_some((row, column))
    };
    let corners: Option<Vec<_>> = reference.split(':').map(corner).collect();
    match corners.as_deref() {
        Some([_]) => true,
        Some([(r1, c1), (r2, c2)]) => r1 <= r2 && c1 <= c2,
        Some(_) => true,
        None => false,
    }
}

/// The first sheet's rows from its first used row, each from the first used column to its
/// own last value.
fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, SheetError> {
    guard_zip(bytes)?;
    let unreadable = |e: calamine::XlsxError| SheetError::Unreadable(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let name = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(SheetError::Empty)?;
    let mut reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut cells = Vec::new();
    let mut text_bytes = 0;
    while let Some(cell) = reader.next_cell_with_formula().map_err(unreadable)? {
        let (row, col) = cell.pos;
        if cell.formula.is_some_and(|f| !f.is_empty()) {
            return Err(SheetError::Formula(cell_name(row, col)));
        }
        if matches!(cell.value, calamine::DataRef::Empty) {
            continue;
        }
        let text = cell_text(&Data::from(cell.value));
        // Shared strings are stored once and may be named by any number of cells.
        text_bytes += text.len();
        if text_bytes as u64 > MAX_UNZIPPED || cells.len() >= MAX_CELLS {
            return Err(SheetError::Bomb);
        }
        cells.push((row, col, text));
    }
    let (Some(first_row), Some(last_row), Some(first_col)) = (
        cells.iter().map(|c| c.0).min(),
        cells.iter().map(|c| c.0).max(),
        cells.iter().map(|c| c.1).min(),
    ) else {
        return Ok(vec![]);
    };
    if (last_row - first_row) as usize > max_rows {
        return Err(SheetError::TooManyRows(max_rows));
    }
    let mut rows = vec![Vec::new(); (last_row - first_row) as usize + 1];
    let mut width = 0;
    for (row, col, text) in cells {
        let (row, col) = ((row - first_row) as usize, (col - first_col) as usize);
        let cells = &mut rows[row];
        if cells.len() <= col {
            width += col + 1 - cells.len();
            if width > MAX_CELLS {
                return Err(SheetError::Bomb);
            }
            cells.resize(col + 1, String::new());
        }
        cells[col] = text;
    }
    Ok(rows)
}

/// A cell as the user sees it: whole numbers without ".0", formulas by their cached value.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_time(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// `A1`-style name of a zero-based cell position.
fn cell_name(row: u32, col: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        letters.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// An Excel date serial (days since 1899-12-30) as `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS`.
fn excel_time(serial: f64) -> String {
    use switchboard_engine::ticket::time::civil_from_days;
    let secs = (serial * 86_400.0).round() as i64 - 25_569 * 86_400;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    if t == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            t / 3600,
            t % 3600 / 60,
            t % 60
        )
    }
}

/// One column of an import template.
pub struct TemplateColumn<'a> {
    pub code: &'a str,
    pub label: &'a str,
    pub note: &'a str,
    /// Allowed values, offered as a dropdown.
    pub options: Option<Vec<String>>,
}

/// An .xlsx template: row 1 holds the field codes (what import reads), a comment on each
/// header gives its label and rules, option columns get dropdowns, and a second sheet
/// explains everything.
pub fn xlsx_template(
    columns: &[TemplateColumn<'_>],
    instructions: &[&str],
) -> anyhow::Result<Vec<u8>> {
    xlsx_template_with(columns, instructions, false)
}

/// [`xlsx_template`], with the labels in row 2 when `label_row` (data then starts in row 3;
/// the importer skips a row that repeats the labels).
pub fn xlsx_template_with(
    columns: &[TemplateColumn<'_>],
    instructions: &[&str],
    label_row: bool,
) -> anyhow::Result<Vec<u8>> {
    use rust_xlsxwriter::{DataValidation, Format, Note, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name("import")?;
    for (col, c) in columns.iter().enumerate() {
        let col = u16::try_from(col)?;
        sheet.write_string_with_format(0, col, c.code, &bold)?;
        sheet.set_column_width(col, 22)?;
        sheet.insert_note(
            0,
            col,
            &Note::new(format!("{}: {}", c.label, c.note)).set_author("Switchboard"),
        )?;
        if label_row {
            sheet.write_string_with_format(1, col, c.label, &Format::new().set_italic())?;
        }
        let first = if label_row { 2 } else { 1 };
        if let Some(options) = &c.options {
            // A list longer than Excel's 255-character limit stays a note only.
            let joined: usize = options.iter().map(|o| o.chars().count() + 1).sum();
            if !options.is_empty() && joined < 255 {
                let list: Vec<&str> = options.iter().map(String::as_str).collect();
                let rule = DataValidation::new().allow_list_strings(&list)?;
                sheet.add_data_validation(first, col, 100_000, col, &rule)?;
            }
        }
    }
    let help = book.add_worksheet();
    help.set_name("说明 instructions")?;
    help.set_column_width(0, 110)?;
    for (row, line) in instructions.iter().enumerate() {
        help.write_string(u32::try_from(row)?, 0, *line)?;
    }
    let base = instructions.len() as u32 + 1;
    for (i, c) in columns.iter().enumerate() {
        help.write_string(
            base + i as u32,
            0,
            format!("{} — {}: {}", c.code, c.label, c.note),
        )?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_numbered_like_the_sheet_and_blank_rows_skipped() {
        let sheet = read(
            "\u{feff}login,real_name\nA,张三\n,\nb,李四\n".as_bytes(),
            10,
        )
        .unwrap();
        assert_eq!(sheet.header, ["login", "real_name"]);
        assert_eq!(
            sheet.rows,
            vec![
                (2, vec!["A".into(), "张三".into()]),
                (4, vec!["b".into(), "李四".into()])
            ]
        );
    }

    #[test]
    fn limits_are_enforced() {
        let many = "h\n".to_owned() + &"x\n".repeat(11);
        assert_eq!(read(many.as_bytes(), 10), Err(SheetError::TooManyRows(10)));
        assert_eq!(
            read(&[0xff, 0xfe, 0x00], 10),
            Err(SheetError::UnknownFormat)
        );
        assert_eq!(read(b"", 10), Err(SheetError::Empty));
        assert_eq!(
            read(&vec![b'a'; MAX_UPLOAD + 1], 10),
            Err(SheetError::TooLarge)
        );
    }

    #[test]
    fn dates_and_cell_names_read_like_excel_shows_them() {
        assert_eq!(excel_time(46_347.0), "2026-11-21");
        assert_eq!(excel_time(46_347.5), "2026-11-21 12:00:00");
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(9, 27), "AB10");
    }

    #[test]
    fn formulas_are_refused() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "title").unwrap();
        sheet.write_formula(1, 0, "=1+1").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(read(&bytes, 10), Err(SheetError::Formula("A2".into())));
    }

    #[test]
    fn a_template_reads_back_with_its_header() {
        let cols = [TemplateColumn {
            code: "login",
            label: "登录名",
            note: "required",
            options: Some(vec!["a".into()]),
        }];
        let bytes = xlsx_template(&cols, &["hello"]).unwrap();
        let sheet = read(&bytes, 10).unwrap();
        assert_eq!(sheet.header, ["login"]);
        assert!(sheet.rows.is_empty());
    }

    /// Inputs the fuzzer found (fuzz/regressions/sheet_xlsx/): a reference past what a
    /// `u32` holds (calamine's arithmetic overflowed), and two far-apart cells (calamine's
    /// dense range asked for 52 GB).
    #[test]
    fn fuzzed_sheets_are_refused_or_read_cell_by_cell() {
        let overflow =
            include_bytes!("../../../fuzz/regressions/sheet_xlsx/reference-overflow.xlsx");
        assert!(
            matches!(read(overflow, 100_000), Err(SheetError::Unreadable(m)) if m.contains("outside a spreadsheet"))
        );
        let sparse = include_bytes!("../../../fuzz/regressions/sheet_xlsx/far-apart-cells.xlsx");
        let sheet = read(sparse, 100_000).unwrap();
        assert_eq!(sheet.header.len(), 7);
        assert_eq!(
            sheet.rows.last().map(|(n, r)| (*n, r.len())),
            Some((99_999, 16_384))
        );
        assert_eq!(read(sparse, 99_000), Err(SheetError::TooManyRows(99_000)));
    }

    /// Every input kept from the sheet targets reads or is refused, as the import reads it.
    #[test]
    fn every_kept_sheet_is_read_or_refused() {
        for target in ["sheet_csv", "sheet_xlsx"] {
            for (name, bytes) in crate::fuzz_regressions(target) {
                if let Ok(sheet) = read(&bytes, 100_000) {
                    assert!(sheet.rows.len() <= 100_000, "{name}");
                }
            }
        }
    }

    #[test]
    fn references_are_checked_against_the_grid() {
        for ok in ["A1", "XFD1048576", "7", "a1:c9", "B2:B2", ""] {
            assert!(in_grid(ok), "{ok}");
        }
        for bad in [
            "XFE1",
            "A1048577",
            "AAAA1",
            "A99999999",
            "C9:A1",
            "A2:B1",
            "A1!",
        ] {
            assert!(!in_grid(bad), "{bad}");
        }
        let attrs: Vec<_> = raw_attributes(r#" r="A1" ref = 'B2:C3' t="s" x"#).collect();
        assert_eq!(attrs, [("r", "A1"), ("ref", "B2:C3"), ("t", "s")]);
        assert_eq!(
            bad_reference(br#"<row r="1"><c r="ZZZZ1"/></row>"#).as_deref(),
            Some("ZZZZ1")
        );
        assert_eq!(bad_reference(b"<not xml"), None);
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        use std::io::Write;
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
            let zeros = vec![0u8; 1024 * 1024];
            for _ in 0..70 {
                zip.write_all(&zeros).unwrap();
            }
            zip.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(
            bytes.len() < MAX_UPLOAD,
            "the bomb itself is small: {}",
            bytes.len()
        );
        assert_eq!(read(&bytes, 10), Err(SheetError::Bomb));
    }
}
