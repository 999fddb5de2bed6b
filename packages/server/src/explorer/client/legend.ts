/// <reference lib="dom" />

import { html, svg } from './svg';

/** One legend entry: a colour swatch or a line sample, and what it means. */
export interface LegendItem {
  label: string;
  colour?: string;
  line?: 'solid' | 'dashed';
}

function sample(item: LegendItem): SVGSVGElement {
  const mark = item.line
    ? svg('line', { class: `reference reference-${item.line}`, x1: 1, x2: 21, y1: 7, y2: 7 })
    : svg('rect', { x: 3, y: 1, width: 14, height: 12, fill: item.colour });
  return svg('svg', { width: 22, height: 14, 'aria-hidden': 'true' }, mark);
}

/** A legend as a list of swatches with their labels. */
export function legend(items: LegendItem[]): HTMLUListElement {
  return html('ul', { class: 'legend' }, ...items.map((item) => html('li', {}, sample(item), item.label)));
}
