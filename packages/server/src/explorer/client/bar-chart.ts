/// <reference lib="dom" />

import { extent } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { fitLabel } from './format';
import { makeSelectable } from './selectable';
import { type Attributes, svg } from './svg';
import type { Tooltip } from './tooltip';

/** One bar: its label, value (a percentage), colour and hover text. */
export interface BarRow {
  kind: 'bar';
  label: string;
  value: number;
  colour: string;
  /** Extra attributes of the bar (`data-*`, `class`) for styling and tests. */
  attributes: Attributes;
  tooltip: () => string[];
  /** Called when the bar is clicked or activated from the keyboard. */
  onSelect?: () => void;
}

/** A group heading between bars, e.g. a stratification category. */
export interface HeadingRow {
  kind: 'heading';
  label: string;
  colour: string;
}

/** A vertical line at a value, such as the global mean. */
interface ReferenceLine {
  value: number;
  label: string;
  style: 'solid' | 'dashed';
}

/** Everything a horizontal bar chart draws. */
export interface BarChartSpec {
  rows: (BarRow | HeadingRow)[];
  references: ReferenceLine[];
  axisLabel: string;
  /** What a screen reader announces for the whole chart. */
  description: string;
  tooltip: Tooltip;
  width: number;
  labelWidth: number;
}

const ROW_HEIGHT = 17;
const BAR_FILL = 0.74;
const MARGIN = { top: 18, right: 24, bottom: 42 };
const TICK_COUNT = 6;

function barElement(row: BarRow, x: (value: number) => number, y: number, spec: BarChartSpec): SVGGElement {
  const label = `${row.label}: ${row.value.toFixed(2)}%`;
  const group = svg('g', { ...row.attributes, role: 'img', 'aria-label': label });
  group.append(
    svg(
      'text',
      { class: 'bar-label', x: spec.labelWidth - 6, y: y + ROW_HEIGHT / 2, 'text-anchor': 'end' },
      fitLabel(row.label, spec.labelWidth),
    ),
    svg('rect', {
      class: 'bar-shape',
      x: Math.min(x(0), x(row.value)),
      y: y + (ROW_HEIGHT * (1 - BAR_FILL)) / 2,
      width: Math.abs(x(row.value) - x(0)),
      height: ROW_HEIGHT * BAR_FILL,
      fill: row.colour,
    }),
  );
  spec.tooltip.attach(group, row.tooltip);
  if (row.onSelect) makeSelectable(group, row.onSelect);
  return group;
}

/**
 * A horizontal bar chart from zero (the values are percentages, so bar length is honest;
 * a negative value, which the data allows, runs left of zero),
 * with an x axis, grid lines, labelled reference lines and optional group headings.
 */
export function barChart(spec: BarChartSpec): SVGSVGElement {
  const plotTop = MARGIN.top + spec.references.length * 12;
  const plotHeight = spec.rows.length * ROW_HEIGHT;
  const height = plotTop + plotHeight + MARGIN.bottom;
  const values = [
    ...spec.rows.flatMap((row) => (row.kind === 'bar' ? [row.value] : [])),
    ...spec.references.map((r) => r.value),
  ];
  const [low = 0, high = 0] = extent(values);
  const x = scaleLinear()
    .domain([Math.min(0, low), Math.max(1, high)])
    .range([spec.labelWidth, spec.width - MARGIN.right])
    .nice();
  const chart = svg('svg', {
    class: 'bar-chart',
    width: spec.width,
    height,
    viewBox: `0 0 ${spec.width} ${height}`,
    role: 'group',
    'aria-label': spec.description,
  });

  const axis = svg('g', { class: 'axis' });
  for (const tick of x.ticks(TICK_COUNT)) {
    axis.append(
      svg('line', { class: 'grid', x1: x(tick), x2: x(tick), y1: plotTop, y2: plotTop + plotHeight }),
      svg('text', { x: x(tick), y: plotTop + plotHeight + 14, 'text-anchor': 'middle' }, `${tick}%`),
    );
  }
  axis.append(
    svg('line', { class: 'baseline', x1: x(0), x2: x(0), y1: plotTop, y2: plotTop + plotHeight }),
    svg(
      'text',
      { class: 'axis-label', x: (x.range()[0] + x.range()[1]) / 2, y: height - 8, 'text-anchor': 'middle' },
      spec.axisLabel,
    ),
  );
  chart.append(axis);

  spec.rows.forEach((row, index) => {
    const y = plotTop + index * ROW_HEIGHT;
    if (row.kind === 'bar') {
      chart.append(barElement(row, x, y, spec));
    } else {
      chart.append(
        svg('rect', { x: 4, y: y + 4, width: 10, height: 10, fill: row.colour }),
        svg('text', { class: 'group-heading', x: 18, y: y + ROW_HEIGHT / 2 + 1 }, row.label),
      );
    }
  });

  spec.references.forEach((reference, index) => {
    const at = x(reference.value);
    const labelY = MARGIN.top + index * 12 - 4;
    chart.append(
      svg('line', {
        class: `reference reference-${reference.style}`,
        x1: at,
        x2: at,
        y1: labelY + 4,
        y2: plotTop + plotHeight,
      }),
      svg(
        'text',
        { class: 'reference-label', x: at, y: labelY, 'text-anchor': at > spec.width * 0.7 ? 'end' : 'middle' },
        `${reference.label} ${reference.value.toFixed(2)}%`,
      ),
    );
  });
  return chart;
}
