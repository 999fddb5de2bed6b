/** A bound a figure must stay within: `on` says whether the value or the ratio to the baseline is checked. */
interface Target {
  on: 'value' | 'ratio';
  op: '<=' | '>=';
  limit: number;
}

/** One measured figure, as printed in a table row and written to results.json. */
export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** The reference measured in the same run, in the same unit. */
  baseline?: number;
  /** What the baseline is, e.g. `csvParseRows`. */
  baselineName?: string;
  /** value / baseline. */
  ratio?: number;
  targets?: Target[];
  /** Whether every target holds; absent when there is no target. */
  pass?: boolean;
  note?: string;
}

/** What a metric is made from; ratio and pass are derived. */
export type MetricInput = Omit<Metric, 'ratio' | 'pass'>;

function holds(target: Target, value: number, ratio: number | undefined): boolean {
  const x = target.on === 'value' ? value : ratio;
  if (x === undefined || !Number.isFinite(x)) return false;
  return target.op === '<=' ? x <= target.limit : x >= target.limit;
}

/** Builds a metric, computing its ratio to the baseline and whether its targets hold. */
export function metric(input: MetricInput): Metric {
  const ratio = input.baseline === undefined || input.baseline === 0 ? undefined : input.value / input.baseline;
  const out: Metric = { ...input, ...(ratio === undefined ? {} : { ratio }) };
  if (input.targets !== undefined && input.targets.length > 0) {
    out.pass = input.targets.every((target) => holds(target, input.value, ratio));
  }
  return out;
}

/** Three significant digits, no exponent for everyday magnitudes, thousands kept whole. */
function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  if (abs >= 100) return x.toFixed(0);
  if (abs >= 10) return x.toFixed(1);
  if (abs >= 1) return x.toFixed(2);
  if (abs === 0) return '0';
  return x.toPrecision(3);
}

function formatTarget(target: Target, unit: string): string {
  const op = target.op === '<=' ? '≤' : '≥';
  return target.on === 'value' ? `${op} ${target.limit} ${unit}` : `ratio ${op} ${target.limit}`;
}

const HEADER = ['metric', 'value', 'unit', 'baseline', 'ratio', 'target', 'pass'];
const RIGHT_ALIGNED = new Set([1, 3, 4]);

/** The rows of a table as cells, header first. */
function tableCells(metrics: readonly Metric[]): string[][] {
  return [
    HEADER,
    ...metrics.map((m) => [
      m.name,
      formatNumber(m.value),
      m.unit,
      m.baseline === undefined ? '' : `${formatNumber(m.baseline)}${m.baselineName ? ` (${m.baselineName})` : ''}`,
      m.ratio === undefined ? '' : `${formatNumber(m.ratio)}x`,
      (m.targets ?? []).map((t) => formatTarget(t, m.unit)).join(' & '),
      m.pass === undefined ? '' : m.pass ? 'pass' : 'FAIL',
    ]),
  ];
}

/** An aligned plain-text table with a title line, ready to print. */
export function formatTable(title: string, metrics: readonly Metric[]): string {
  const cells = tableCells(metrics);
  const widths = HEADER.map((_, c) => Math.max(...cells.map((row) => (row[c] as string).length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (RIGHT_ALIGNED.has(c) ? cell.padStart(widths[c] as number) : cell.padEnd(widths[c] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [title, line(cells[0] as string[]), rule, ...cells.slice(1).map(line)].join('\n');
}
