import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeStatsDataError } from '../errors';
import { lastRowEnd, MAX_ROW_CHARS, parseCsvRows, readCsvFile } from './csv';

function rowsOf(text: string): string[][] {
  const rows: string[][] = [];
  parseCsvRows(text, (row) => rows.push(row));
  return rows;
}

async function fileRows(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  await readCsvFile(path, (row) => rows.push(row));
  return rows;
}

const quoteField = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

describe('parseCsvRows', () => {
  it('reads quoted fields with commas, newlines and "" escapes', () => {
    expect(rowsOf('a,b\n"c,d","e\nf"\n"g""h",""\n"""",x')).toEqual([
      ['a', 'b'],
      ['c,d', 'e\nf'],
      ['g"h', ''],
      ['"', 'x'],
    ]);
  });

  it('accepts CRLF line ends and keeps a CRLF inside quotes', () => {
    expect(rowsOf('a,b\r\n"c\r\nd",e\r\n')).toEqual([
      ['a', 'b'],
      ['c\r\nd', 'e'],
    ]);
  });

  it('skips blank lines, with or without a trailing newline', () => {
    expect(rowsOf('a\n\n\nb\n')).toEqual([['a'], ['b']]);
    expect(rowsOf('\r\na\r\n\r\nb')).toEqual([['a'], ['b']]);
    expect(rowsOf('a,b')).toEqual([['a', 'b']]);
    expect(rowsOf('a,b\n\n')).toEqual([['a', 'b']]);
    expect(rowsOf('')).toEqual([]);
    expect(rowsOf('\n\n')).toEqual([]);
  });

  it('keeps field values exactly, spaces included, and rows of empty fields', () => {
    expect(rowsOf(' a , b \n,\n \n')).toEqual([[' a ', ' b '], ['', ''], [' ']]);
  });
});

describe('lastRowEnd', () => {
  it.each([
    ['a,b\nc,d\n', 8],
    ['a,b\nc,d', 4],
    ['a,b\r\nc', 5],
    ['abc', -1],
    ['', -1],
    ['"x\ny"\n', 6],
    ['a\n"x\ny', 2],
    ['"x\ny\nz', -1],
    ['"a""b"\nc', 7],
    ['"a\n""\nb', -1],
    ['"a\n"""\nb', 7],
    ['a\n"b\nc"\n"d\ne', 8],
    // A quote inside an unquoted field is a plain character, as d3-dsv reads it.
    ['a,Say "hi,b\n"m\nl",c\n', 20],
    ['ab"c\nd', 5],
    // d3-dsv takes the character after a closing quote as the delimiter.
    ['"a"x"b\nc"\nd', 10],
  ])('lastRowEnd(%j) is %i', (text, end) => {
    expect(lastRowEnd(text)).toBe(end);
  });

  it('finds the last row boundary of any prefix of RFC 4180 text', () => {
    const field = fc.string({ unit: fc.constantFrom('a', '"', ',', '\n', '\r', ' ', 'é'), maxLength: 5 });
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n'), fc.nat(), (rows, lineEnd, cut) => {
        let text = '';
        const boundaries: number[] = [];
        for (const row of rows) {
          text += row.map(quoteField).join(',') + lineEnd;
          boundaries.push(text.length);
        }
        const prefix = text.slice(0, cut % (text.length + 1));
        const expected = boundaries.filter((end) => end <= prefix.length).at(-1) ?? -1;
        return lastRowEnd(prefix) === expected;
      }),
      { seed: 4180, numRuns: 2000 },
    );
  });

  it('cuts any text, valid CSV or not, only where parsing the two parts changes nothing', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '"', ',', '\n', '\r'), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.nat(), (whole, cut) => {
        const prefix = whole.slice(0, cut % (whole.length + 1));
        const end = lastRowEnd(prefix);
        if (end < 0) return true;
        expect([...rowsOf(whole.slice(0, end)), ...rowsOf(whole.slice(end))]).toEqual(rowsOf(whole));
        return true;
      }),
      { seed: 2025, numRuns: 3000 },
    );
  });
});

describe('readCsvFile', () => {
  const READ_SIZE = 8 * 1024 * 1024;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lestats-csv-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // ASCII filler rows of exactly `bytes` bytes, so the next byte lands where a test wants it.
  function filler(bytes: number): string {
    let out = '';
    let left = bytes;
    while (left > 0) {
      const length = left > 1003 ? 1000 : left;
      out += length === 1 ? '\n' : `${'f'.repeat(length - 2)},\n`;
      left -= length;
    }
    return out;
  }

  it('streams a file bigger than one read into the same rows as parsing it whole', async () => {
    // Byte layout: a BOM; a quoted multi-line field straddling the first 8 MiB read and
    // so long that the second read holds no row end at all; an emoji split by the
    // second read boundary inside that field; a CRLF split by the third; no final newline.
    const parts: string[] = [];
    let bytes = 0;
    const add = (piece: string) => {
      parts.push(piece);
      bytes += Buffer.byteLength(piece);
    };
    add('\uFEFFid,text\n');
    add(filler(READ_SIZE - 100 - bytes));
    add('long,"starts before the first read ends, with ""quotes"", commas\nand newlines\r\n');
    const chunk = 'more "" text, and\nlines\r\n';
    add(chunk.repeat(Math.floor((2 * READ_SIZE - 2 - bytes) / chunk.length)));
    add('x'.repeat(2 * READ_SIZE - 2 - bytes));
    add('\u{1F600} ends after the second read"\n');
    add(filler(3 * READ_SIZE - 1 - 'crlf,"x"'.length - bytes));
    add('crlf,"x"\r\n');
    add('last,"row ""without"" newline"');
    const file = Buffer.from(parts.join(''), 'utf8');
    expect(file.subarray(2 * READ_SIZE - 2, 2 * READ_SIZE + 2).toString()).toBe('\u{1F600}');
    expect(file.subarray(3 * READ_SIZE - 1, 3 * READ_SIZE + 1).toString()).toBe('\r\n');

    const path = join(dir, 'big.csv');
    await writeFile(path, file);
    const progress: number[] = [];
    const rows: string[][] = [];
    await readCsvFile(
      path,
      (row) => rows.push(row),
      (read, total) => {
        expect(total).toBe(file.length);
        progress.push(read);
      },
    );
    const expected = rowsOf(parts.join('').slice(1));
    expect(rows.length).toBe(expected.length);
    expect(rows).toEqual(expected);
    expect(rows[0]).toEqual(['id', 'text']);
    expect(rows.find((row) => row[0] === 'long')?.[1]).toMatch(
      /^starts before.*\u{1F600} ends after the second read$/su,
    );
    expect(rows.at(-2)).toEqual(['crlf', 'x']);
    expect(rows.at(-1)).toEqual(['last', 'row "without" newline']);
    expect(progress).toEqual([READ_SIZE, 2 * READ_SIZE, 3 * READ_SIZE, file.length]);
  });

  it('drops a leading byte-order mark and reads small files', async () => {
    const path = join(dir, 'bom.csv');
    await writeFile(path, '\uFEFFa,"b\r\nc"\r\n\r\nd,e');
    expect(await fileRows(path)).toEqual([
      ['a', 'b\r\nc'],
      ['d', 'e'],
    ]);
  });

  it('reads an empty file as no rows', async () => {
    const path = join(dir, 'empty.csv');
    await writeFile(path, '');
    expect(await fileRows(path)).toEqual([]);
  });

  it('fails with unreadable_file for a missing path or a directory', async () => {
    const missing = join(dir, 'nope.csv');
    await expect(fileRows(missing)).rejects.toMatchObject({
      name: 'LeStatsDataError',
      code: 'unreadable_file',
      message: `cannot read ${missing}: ENOENT`,
    });
    const folder = join(dir, 'folder.csv');
    await mkdir(folder);
    await expect(fileRows(folder)).rejects.toMatchObject({ name: 'LeStatsDataError', code: 'unreadable_file' });
  });

  it('fails with row_too_long, having held a bounded part of it, for a file without row ends', async () => {
    const path = join(dir, 'one-line.csv');
    // Three reads' worth of one row: held whole, it would take 24 Mi characters and more.
    await writeFile(path, `a,"${'x'.repeat(3 * 8 * 1024 * 1024)}`);
    let rows = 0;
    await expect(
      readCsvFile(path, () => {
        rows++;
      }),
    ).rejects.toMatchObject({
      name: 'LeStatsDataError',
      code: 'row_too_long',
      message: `cannot read ${path}: a row longer than 16 Mi characters (not a CSV file, or a quote never closed)`,
    });
    expect(rows).toBe(0);
    // Just under the bound, a long row is still read.
    await writeFile(path, `a,${'x'.repeat(MAX_ROW_CHARS - 10)}\nb,c\n`);
    expect((await fileRows(path)).map((row) => row.length)).toEqual([2, 2]);
  });

  it("passes the row handler's own errors through", async () => {
    const path = join(dir, 'handler.csv');
    await writeFile(path, 'a\nb\n');
    const refused = new LeStatsDataError('missing_columns', 'no such column');
    await expect(
      readCsvFile(path, () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
  });
});
