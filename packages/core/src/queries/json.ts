/** An ordered query result: key order is part of the result, so it is kept as entries. */
export type ResultEntries = ReadonlyArray<readonly [key: string, value: number | ResultEntries]>;

/**
 * A float written the way Python's `json` module writes it (`repr`): integral values keep a
 * trailing `.0` so Python clients read a float, `-0` is written `0.0`, and magnitudes below
 * 1e-4 or from 1e16 up take an exponent of at least two digits with its sign (`1e-05`, `1e+16`).
 */
export function formatFloat(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (value === 0) return '0.0';
  // Both languages print the shortest digits that read back to the same double; they differ
  // only in where the exponent form starts (JavaScript: below 1e-6 or from 1e21) and how it looks.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return Number.isInteger(value) ? `${text}.0` : text;
  }
  // toExponential always signs its exponent: `1e+16`, `1e-7`.
  const [digits, exponent] = value.toExponential().split('e') as [string, string];
  return `${digits}e${exponent[0]}${exponent.slice(1).padStart(2, '0')}`;
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
