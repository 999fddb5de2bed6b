import { open } from 'node:fs/promises';
import { csvParseRows } from 'd3-dsv';
import { fail, LeStatsError } from '../errors';

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const READ_SIZE = 8 * 1024 * 1024;

/** Receives parsed rows one at a time, so no file-sized array of rows is ever built. */
export type RowHandler = (row: string[]) => void;

/** Reading progress in bytes, for progress bars on big files. */
export type ProgressHandler = (bytesRead: number, totalBytes: number) => void;

/** Parses RFC 4180 CSV text (d3-dsv) and hands each non-blank row to `onRow`. */
export function parseCsvRows(text: string, onRow: RowHandler): void {
  csvParseRows(text, (row) => {
    if (row.length > 1 || row[0] !== '') onRow(row);
    return null;
  });
}

/**
 * The index just past the last line end of `text` that lies outside quotes, or -1.
 * `text` must start at a row boundary; `""` escapes toggle twice and so cancel out.
 */
export function lastRowEnd(text: string): number {
  let end = text.lastIndexOf('\n');
  if (end < 0) return -1;
  let quotes = 0;
  for (let i = text.indexOf('"'); i !== -1 && i < end; i = text.indexOf('"', i + 1)) quotes++;
  // An odd count means that newline sits inside a quoted field: step back to an earlier one.
  while (quotes % 2 === 1) {
    const previous = text.lastIndexOf('\n', end - 1);
    if (previous < 0) return -1;
    for (let i = previous + 1; i < end; i++) if (text.charCodeAt(i) === QUOTE) quotes--;
    end = previous;
  }
  return text.charCodeAt(end) === NEWLINE ? end + 1 : -1;
}

/**
 * Streams a CSV file through {@link parseCsvRows} in bounded chunks cut at row
 * boundaries, so a file of any size parses without a string near V8's length limit.
 * The UTF-8 decoder drops a leading byte-order mark.
 */
export async function readCsvFile(path: string, onRow: RowHandler, onProgress?: ProgressHandler): Promise<void> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw fail.data('unreadable_file', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, error);
  }
  try {
    const { size } = await file.stat();
    const decoder = new TextDecoder('utf-8');
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    let carry = '';
    let read = 0;
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) break;
      read += bytesRead;
      const text = carry + decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      const end = lastRowEnd(text);
      if (end < 0) {
        carry = text;
      } else {
        parseCsvRows(text.slice(0, end), onRow);
        carry = text.slice(end);
      }
      onProgress?.(read, size);
    }
    carry += decoder.decode();
    if (carry !== '') parseCsvRows(carry, onRow);
  } catch (error) {
    if (error instanceof LeStatsError) throw error;
    throw fail.data('unreadable_file', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, error);
  } finally {
    await file.close();
  }
}
