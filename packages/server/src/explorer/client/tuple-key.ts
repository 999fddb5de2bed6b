// repr() only ever writes these escapes for the strings it prints (see core's pythonStringRepr).
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', n: '\n', r: '\r', t: '\t' };
const HEX_ESCAPE_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function invalid(key: string, why: string): Error {
  return new Error(`Cannot read the category key ${JSON.stringify(key)}: ${why}`);
}

/**
 * Reads a Python tuple of strings as `repr()` prints it, the keys of the `*_by_category`
 * results: `"('Age (years)', '18 - 24')"` → `['Age (years)', '18 - 24']`. Handles both
 * quote styles, escaped quotes and backslashes, `\n`/`\r`/`\t`, `\x`/`\u`/`\U` escapes and
 * one-element tuples (`('a',)`); anything else is an error naming the key.
 */
export function parseTupleKey(key: string): string[] {
  const items: string[] = [];
  let i = 0;
  const skipSpaces = () => {
    while (key[i] === ' ') i++;
  };
  const readString = (): string => {
    const quote = key[i];
    if (quote !== "'" && quote !== '"') throw invalid(key, `expected a quoted string at offset ${i}`);
    let out = '';
    i++;
    while (i < key.length && key[i] !== quote) {
      if (key[i] !== '\\') {
        out += key[i++];
        continue;
      }
      const code = key[i + 1];
      if (code === undefined) break;
      if (Object.hasOwn(SIMPLE_ESCAPES, code)) {
        out += SIMPLE_ESCAPES[code];
        i += 2;
      } else if (Object.hasOwn(HEX_ESCAPE_DIGITS, code)) {
        const digits = key.slice(i + 2, i + 2 + HEX_ESCAPE_DIGITS[code]);
        if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== HEX_ESCAPE_DIGITS[code]) {
          throw invalid(key, `bad \\${code} escape at offset ${i}`);
        }
        out += String.fromCodePoint(Number.parseInt(digits, 16));
        i += 2 + digits.length;
      } else {
        // Python keeps an unknown escape as written, backslash included.
        out += `\\${code}`;
        i += 2;
      }
    }
    if (key[i] !== quote) throw invalid(key, 'unterminated string');
    i++;
    return out;
  };

  skipSpaces();
  if (key[i] !== '(') throw invalid(key, 'expected "("');
  i++;
  skipSpaces();
  while (key[i] !== ')') {
    items.push(readString());
    skipSpaces();
    if (key[i] === ',') {
      i++;
      skipSpaces();
    } else if (key[i] !== ')') {
      throw invalid(key, `expected "," or ")" at offset ${i}`);
    }
  }
  i++;
  skipSpaces();
  if (i !== key.length) throw invalid(key, `unexpected text after ")" at offset ${i}`);
  if (items.length === 0) throw invalid(key, 'empty tuple');
  return items;
}
