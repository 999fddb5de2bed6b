// Python's str.isprintable() is false for these categories (plus every non-space separator);
// repr() escapes exactly those characters.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function hexEscape(codePoint: number): string {
  const hex = codePoint.toString(16);
  if (codePoint < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (codePoint < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

/**
 * A string literal exactly as Python 3's `repr()` prints it: single quotes unless the
 * string holds `'` and no `"`, backslash escapes for the quote, `\`, control and other
 * non-printable characters.
 */
export function pythonStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  let plainFrom = 0;
  let i = 0;
  // Fast path: most characters are printable ASCII and are copied in runs.
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x5c && c !== 0x27) {
      i++;
      continue;
    }
    const char = String.fromCodePoint(value.codePointAt(i) as number);
    let escaped: string | undefined;
    if (char === quote) escaped = `\\${quote}`;
    else if (char in SIMPLE_ESCAPES) escaped = SIMPLE_ESCAPES[char];
    else if (NON_PRINTABLE.test(char) && char !== ' ') escaped = hexEscape(char.codePointAt(0) as number);
    if (escaped !== undefined) {
      out += value.slice(plainFrom, i) + escaped;
      plainFrom = i + char.length;
    }
    i += char.length;
  }
  return out + value.slice(plainFrom) + quote;
}
