const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value of a field that is, after trimming, a finite decimal number (`31.4`, `-2`,
 * `1e3`); `undefined` for anything else (empty cells, `~` footnotes, `0x1F`, `Infinity`).
 */
export function parseDecimal(field: string | undefined): number | undefined {
  if (field === undefined) return undefined;
  const text = field.trim();
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
