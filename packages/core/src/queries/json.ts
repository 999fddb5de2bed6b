/** An ordered query result: key order is part of the result, so it is kept as entries. */
export type ResultEntries = ReadonlyArray<readonly [key: string, value: number | ResultEntries]>;

/**
 * A float written the way Python's `json` module writes it: integral values keep a
 * trailing `.0` so Python clients read a float, `-0` is written `0.0`.
 */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (value === 0) return '0.0';
  const text = String(value);
  return Number.isInteger(value) && !text.includes('e') ? `${text}.0` : text;
}

/** Serialises a result to JSON text, in its entry order, with Python float formatting. */
export function resultToJson(entries: ResultEntries): string {
  let out = '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, value] = entries[i] as readonly [string, number | ResultEntries];
    if (i > 0) out += ',';
    out += `${JSON.stringify(key)}:${typeof value === 'number' ? formatFloat(value) : resultToJson(value)}`;
  }
  return `${out}}`;
}

/** Turns ordered entries into plain objects (JavaScript reorders integer-like keys; JSON output does not). */
export function entriesToObject(entries: ResultEntries): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, entry] of entries) {
    const value = typeof entry === 'number' ? entry : entriesToObject(entry);
    // Assigning a state named `__proto__` would replace the prototype and lose the key, so
    // that one key is defined; every other key is assigned, which is about twice as fast.
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
