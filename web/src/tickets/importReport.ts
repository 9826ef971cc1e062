// The import error report as a CSV file (pure): UTF-8 with a byte-order mark so Excel shows
// Chinese, CRLF line ends, RFC 4180 quoting, and cells that a spreadsheet would take for a
// formula (=, +, -, @ at the start) defused with a leading apostrophe.
import type { ImportRowError } from '../api/types';

export const BOM = '\uFEFF';

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: unknown[][]): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The report: a header row in the UI language, then one row per error, sorted by row and column. */
export function importErrorCsv(errors: ImportRowError[], header: [string, string, string]): string {
  const sorted = [...errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || String(a.column ?? '').localeCompare(String(b.column ?? '')));
  return toCsv([header, ...sorted.map((e) => [e.row, e.column, e.message])]);
}

/** Import file checks before upload: .xlsx or .csv, at most 10 MB, not empty. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;

export function importFileProblem(file: { name: string; size: number }): 'type' | 'size' | 'empty' | null {
  const lower = file.name.toLowerCase();
  if (!lower.endsWith('.xlsx') && !lower.endsWith('.csv')) return 'type';
  if (file.size === 0) return 'empty';
  if (file.size > IMPORT_MAX_BYTES) return 'size';
  return null;
}
