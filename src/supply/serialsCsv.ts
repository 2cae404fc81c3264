/**
 * A lot's serial file as manufacturers export it: RFC 4180 CSV (quotes, `""` escapes, CRLF, BOM),
 * comma, semicolon, tab or pipe separated, with a header row that names the serial column. Parsed
 * with csv-parse (never by splitting lines), so that `"Serial;Expiry"` or `"Q1"` never become serials.
 */
import { parse } from "csv-parse/sync";
import { GS1Error } from "../gs1/checkDigit";
import { checkSerialOrLot } from "../gs1/elementString";

/** Header names taken as the serial column (case-insensitive); only unambiguous ones. */
export const SERIAL_COLUMN_NAMES = ["serial", "serial number", "serialnumber", "serial_number", "sn (21)", "(21)"];

/** Delimiters tried, in order, when none is given. */
export const CSV_DELIMITERS = [",", ";", "\t", "|"] as const;

/** A serial that appears more than once, with every line (1-based, as an editor shows it) it is on. */
export interface DuplicateSerial {
  serial: string;
  lines: number[];
}

/** A parsed serial file. */
export interface SerialsCsv {
  serials: string[];
  /** The line (1-based) each serial is on. */
  lines: number[];
  /** The delimiter used (given or detected). */
  delimiter: string;
  /** The serial column's header as written, and its position (0-based). */
  column: string;
  columnIndex: number;
}

/** A human name of a delimiter. */
export function delimiterName(d: string): string {
  return d === "\t" ? "tab" : d === "," ? "comma" : d === ";" ? "semicolon" : d === "|" ? "pipe" : JSON.stringify(d);
}

/** A row of the file: its fields and the line (1-based) it ends on. */
interface Row {
  record: string[];
  line: number;
}

function parseRows(text: string, delimiter: string): Row[] {
  try {
    // on_record rather than `info: true`: the same line numbers, three times faster on a million rows.
    const parseRecords = parse as unknown as (input: string, options: object) => Row[];
    return parseRecords(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      on_record: (record: string[], context: { lines: number }) => ({ record, line: context.lines }),
    });
  } catch (e) {
    const err = e as { message?: string };
    throw new GS1Error(`serials CSV is not valid CSV (${delimiterName(delimiter)}-separated): ${err.message ?? e}`);
  }
}

function serialColumn(header: readonly string[]): number {
  return header.findIndex((h) => SERIAL_COLUMN_NAMES.includes(h.trim().toLowerCase()));
}

/**
 * Parses a serial file. The first non-empty row is the header and must name the serial column
 * (`serial`, `serial number`, …); the delimiter is `delimiter`, else the first of comma, semicolon,
 * tab, pipe that splits the header into a row naming that column. Every serial is checked as a GS1
 * AI (21) value (1-20 characters of CSET 82); the error names its line. Duplicates are not refused
 * here: {@link duplicateSerials} lists them all.
 */
export function readSerialsCsv(text: string, options: { delimiter?: string } = {}): SerialsCsv {
  let delimiter = options.delimiter;
  if (delimiter !== undefined) {
    if (delimiter === "\\t" || delimiter.toLowerCase() === "tab") delimiter = "\t";
    if (delimiter.length !== 1) throw new GS1Error(`a CSV delimiter is one character: "${delimiter}"`);
  }
  const candidates = delimiter !== undefined ? [delimiter] : [...CSV_DELIMITERS];
  let chosen: string | undefined;
  let header: string[] = [];
  const headerLine = text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .find((l) => l.trim() !== "");
  if (headerLine === undefined) throw new GS1Error("serials CSV is empty");
  for (const d of candidates) {
    let rows: Row[];
    try {
      rows = parseRows(headerLine, d);
    } catch {
      continue;
    }
    if (rows.length > 0 && serialColumn(rows[0].record) !== -1) {
      chosen = d;
      header = rows[0].record;
      break;
    }
    if (header.length === 0 && rows.length > 0) header = rows[0].record;
  }
  if (chosen === undefined) {
    const sep = delimiter !== undefined ? ` (${delimiterName(delimiter)}-separated)` : "";
    throw new GS1Error(
      `serials CSV has no column named "serial" in its header${sep}: first row is ${JSON.stringify(headerLine)}` +
        (delimiter === undefined ? " (tried comma, semicolon, tab and pipe)" : ""),
    );
  }
  const columnIndex = serialColumn(header);
  const rows = parseRows(text, chosen);
  const serials: string[] = [];
  const lines: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const { record, line } = rows[i];
    const value = (record[columnIndex] ?? "").trim();
    if (value === "") throw new GS1Error(`serials CSV line ${line} has no serial in column "${header[columnIndex]}"`);
    try {
      checkSerialOrLot("21", value);
    } catch (e) {
      throw new GS1Error(`serials CSV line ${line}: ${(e as Error).message}`);
    }
    serials.push(value);
    lines.push(line);
  }
  if (serials.length === 0) throw new GS1Error("serials CSV has a header but no serials");
  return { serials, lines, delimiter: chosen, column: header[columnIndex].trim(), columnIndex };
}

/** Every serial that appears more than once, with all its lines, in the order first seen. */
export function duplicateSerials(csv: Pick<SerialsCsv, "serials" | "lines">): DuplicateSerial[] {
  const first = new Map<string, number>();
  const dups = new Map<string, number[]>();
  for (let i = 0; i < csv.serials.length; i++) {
    const s = csv.serials[i];
    const seen = first.get(s);
    if (seen === undefined) {
      first.set(s, i);
      continue;
    }
    const list = dups.get(s);
    if (list) list.push(csv.lines[i]);
    else dups.set(s, [csv.lines[seen], csv.lines[i]]);
  }
  return [...dups].map(([serial, lines]) => ({ serial, lines }));
}
