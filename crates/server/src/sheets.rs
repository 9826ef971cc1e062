//! Reading uploaded spreadsheets (.csv, .xlsx) into rows of text, defensively: size, row and
//! decompression limits are checked before any real work, so a zip bomb or a million-row
//! sheet is refused rather than chewed on.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

/// Largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 5 * 1024 * 1024;
/// Most uncompressed bytes an .xlsx may expand to.
const MAX_UNZIPPED: u64 = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 500;

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

/// Refuses archives whose entries claim, or turn out, to be too large once inflated.
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
        let inflated = std::io::copy(&mut entry.take(budget), &mut std::io::sink())
            .map_err(|e| SheetError::Unreadable(e.to_string()))?;
        total += inflated;
        if total > MAX_UNZIPPED {
            return Err(SheetError::Bomb);
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], max_rows: usize) -> Result<Vec<Vec<String>>, SheetError> {
    guard_zip(bytes)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(SheetError::Empty)?
        .map_err(|e| SheetError::Unreadable(e.to_string()))?;
    if range.height() > max_rows + 1 {
        return Err(SheetError::TooManyRows(max_rows));
    }
    if let Some(name) = book.sheet_names().first().cloned() {
        if let Ok(formulas) = book.worksheet_formula(&name) {
            if let Some((row, col, _)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
                let (start_row, start_col) = formulas.start().unwrap_or((0, 0));
                return Err(SheetError::Formula(cell_name(
                    row as u32 + start_row,
                    col as u32 + start_col,
                )));
            }
        }
    }
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
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
