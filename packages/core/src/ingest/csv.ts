import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { csvParseRows } from 'd3-dsv';
import { fail, LeStatsError } from '../errors';

const QUOTE = 0x22;
const COMMA = 0x2c;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const READ_SIZE = 8 * 1024 * 1024;
/** The longest row a file may hold, in characters; a BRFSS row has a few hundred. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

/** Receives parsed rows one at a time, so no file-sized array of rows is ever built. */
export type RowHandler = (row: string[]) => void;

/** Reading progress in bytes, for progress bars on big files. */
export type ProgressHandler = (bytesRead: number, totalBytes: number) => void;

const unreadable = (path: string, error: unknown) =>
  fail.data('unreadable_file', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, error);

/** Parses RFC 4180 CSV text (d3-dsv) and hands each non-blank row to `onRow`. */
export function parseCsvRows(text: string, onRow: RowHandler): void {
  csvParseRows(text, (row) => {
    if (row.length > 1 || row[0] !== '') onRow(row);
    return null;
  });
}

/**
 * The index just past the last line end of `text` that lies outside quoted fields, or -1.
 * `text` must start at a row boundary. Quotes are read exactly as d3-dsv reads them, so a
 * file parses the same in chunks as in one piece: a quote opens a quoted field only where
 * a field starts, `""` inside it is an escaped quote, any other quote is a plain character.
 */
export function lastRowEnd(text: string): number {
  // Quoted fields as [open, close] pairs, close = Infinity when the text ends inside one.
  const spans: number[] = [];
  let fieldStart = 0;
  let quote = text.indexOf('"');
  while (quote !== -1) {
    const before = text.charCodeAt(quote - 1);
    if (quote !== fieldStart && before !== COMMA && before !== NEWLINE && before !== RETURN) {
      quote = text.indexOf('"', quote + 1);
      continue;
    }
    let close = text.indexOf('"', quote + 1);
    while (close !== -1 && text.charCodeAt(close + 1) === QUOTE) close = text.indexOf('"', close + 2);
    if (close === -1) {
      spans.push(quote, Number.POSITIVE_INFINITY);
      break;
    }
    spans.push(quote, close);
    // d3-dsv takes the character after a closing quote as the delimiter, whatever it is.
    fieldStart = close + 2;
    quote = text.indexOf('"', close + 1);
  }
  let end = text.lastIndexOf('\n');
  for (let k = spans.length - 2; end >= 0 && k >= 0; k -= 2) {
    const open = spans[k] as number;
    if (open > end) continue;
    if (end > (spans[k + 1] as number)) break;
    end = text.lastIndexOf('\n', open - 1);
  }
  return end < 0 ? -1 : end + 1;
}

/**
 * Streams a CSV file through {@link parseCsvRows} in bounded chunks cut at row
 * boundaries, so a file of any size parses without a string near V8's length limit.
 * A leading UTF-8 byte-order mark is dropped. Rows of up to {@link MAX_ROW_CHARS} are always
 * read; once more than that of a row is held without its end, reading stops with a
 * `row_too_long` error (a longer row whose end arrives in the same read still passes).
 */
export async function readCsvFile(path: string, onRow: RowHandler, onProgress?: ProgressHandler): Promise<void> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const { size } = await file.stat();
    // StringDecoder keeps multi-byte characters split across reads whole, and decodes about
    // three times faster than TextDecoder; unlike TextDecoder it keeps the BOM.
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    let carry = '';
    let read = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) break;
      let text = carry + decoder.write(buffer.subarray(0, bytesRead));
      if (read === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      read += bytesRead;
      const end = lastRowEnd(text);
      if (end < 0) {
        // Not a CSV file (or a quote never closed): without a bound, the row so far would be
        // held and scanned again on every read until memory ran out.
        if (text.length > MAX_ROW_CHARS) {
          throw fail.data(
            'row_too_long',
            `cannot read ${path}: a row longer than ${MAX_ROW_CHARS / 1024 / 1024} Mi characters (not a CSV file, or a quote never closed)`,
          );
        }
        carry = text;
      } else {
        parseCsvRows(text.slice(0, end), onRow);
        carry = text.slice(end);
      }
      onProgress?.(read, size);
    }
    carry += decoder.end();
    if (carry !== '') parseCsvRows(carry, onRow);
  } catch (error) {
    if (error instanceof LeStatsError) throw error;
    throw unreadable(path, error);
  } finally {
    await file.close();
  }
}
