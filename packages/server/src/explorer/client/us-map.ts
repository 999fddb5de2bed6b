/// <reference lib="dom" />

import { extent } from 'd3-array';
import { geoPath } from 'd3-geo';
import { type ScaleSequential, scaleLinear, scaleSequential } from 'd3-scale';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import atlas from 'us-atlas/states-albers-10m.json';
import { formatPercent } from './format';
import { legend } from './legend';
import { MAP_INTERPOLATOR, NO_DATA_COLOUR } from './palette';
import { type QuestionView, stateTooltip } from './question-view';
import { makeSelectable } from './selectable';
import { html, svg } from './svg';
import type { Tooltip } from './tooltip';

type StatesTopology = Topology<{ states: GeometryCollection<{ name: string }> }>;

// us-atlas ships the 50 states and DC already projected (Albers USA) into a 975×610 frame,
// so the path generator needs no projection.
const FRAME = { width: 975, height: 610 };
const topology = atlas as unknown as StatesTopology;
const SHAPES = feature(topology, topology.objects.states).features.map((shape) => ({
  state: shape.properties.name,
  path: geoPath()(shape) ?? '',
}));
const ON_MAP = new Set(SHAPES.map((shape) => shape.state));

const LEGEND = { width: 420, height: 46, barTop: 16, barHeight: 12, side: 12 };

/** How the map shows values and reports a chosen state. */
export interface MapHooks {
  tooltip: Tooltip;
  onSelect: (state: string) => void;
}

/** The map, the list of places it cannot show, and the colour legend. */
export interface UsMap {
  map: SVGSVGElement;
  offMap: HTMLElement;
  legend: HTMLElement;
}

function colourLegend(colour: ScaleSequential<string>, globalMean: number): SVGSVGElement {
  const [low, high] = colour.domain();
  const x = scaleLinear()
    .domain([low, high])
    .range([LEGEND.side, LEGEND.width - LEGEND.side]);
  const stops = Array.from({ length: 11 }, (_, i) => {
    const t = i / 10;
    return svg('stop', { offset: `${t * 100}%`, 'stop-color': colour(low + t * (high - low)) });
  });
  const chart = svg(
    'svg',
    {
      class: 'colour-legend',
      width: LEGEND.width,
      height: LEGEND.height,
      viewBox: `0 0 ${LEGEND.width} ${LEGEND.height}`,
      role: 'img',
      'aria-label': `Colour scale from ${formatPercent(low)} to ${formatPercent(high)}`,
    },
    svg('defs', {}, svg('linearGradient', { id: 'map-gradient' }, ...stops)),
    svg(
      'text',
      { class: 'axis-label', x: LEGEND.side, y: 10 },
      `Mean of the answers (%) · dashed: global mean ${formatPercent(globalMean)}`,
    ),
    svg('rect', {
      x: LEGEND.side,
      y: LEGEND.barTop,
      width: LEGEND.width - 2 * LEGEND.side,
      height: LEGEND.barHeight,
      fill: 'url(#map-gradient)',
    }),
  );
  for (const tick of x.ticks(5)) {
    chart.append(svg('text', { x: x(tick), y: LEGEND.height - 4, 'text-anchor': 'middle' }, `${tick}%`));
  }
  const at = x(globalMean);
  chart.append(
    svg('line', {
      class: 'reference reference-dashed',
      x1: at,
      x2: at,
      y1: LEGEND.barTop - 3,
      y2: LEGEND.barTop + LEGEND.barHeight + 3,
    }),
  );
  return chart;
}

function offMapList(view: QuestionView, colour: (value: number) => string, hooks: MapHooks): HTMLElement {
  const off = view.ranked.filter((entry) => !ON_MAP.has(entry.state));
  const items = off.map((entry) => {
    const item = html(
      'li',
      {
        class: 'off-map-item',
        'data-state': entry.state,
        'aria-label': `${entry.state}: ${formatPercent(entry.mean)}`,
      },
      svg(
        'svg',
        { width: 14, height: 14, 'aria-hidden': 'true' },
        svg('rect', { width: 14, height: 14, fill: colour(entry.mean) }),
      ),
      html('span', {}, entry.state),
      html('span', { class: 'value' }, `${formatPercent(entry.mean)} · #${entry.rank}`),
    );
    hooks.tooltip.attach(item, () => stateTooltip(view, entry.state));
    makeSelectable(item, () => hooks.onSelect(entry.state));
    return item;
  });
  return html(
    'div',
    { class: 'off-map' },
    html('h4', {}, 'Not on the map'),
    off.length > 0 ? html('ul', {}, ...items) : html('p', {}, 'Every place of this question is on the map.'),
  );
}

/**
 * A choropleth of the 50 states and DC coloured by mean on a colour-blind-safe scale;
 * places the map cannot show (National, territories) are listed beside it with the same
 * colours. Clicking a state chooses it.
 */
export function usMap(view: QuestionView, hooks: MapHooks): UsMap {
  const { tooltip, onSelect } = hooks;
  const [low = 0, high = 1] = extent(view.ranked, (entry) => entry.mean);
  const colour = scaleSequential(MAP_INTERPOLATOR).domain([low, high === low ? low + 1 : high]);
  const map = svg('svg', {
    class: 'us-map',
    viewBox: `0 0 ${FRAME.width} ${FRAME.height}`,
    role: 'group',
    'aria-label': 'Map of the US states coloured by mean',
  });
  for (const shape of SHAPES) {
    const entry = view.byState.get(shape.state);
    const path = svg('path', {
      class: entry ? 'state-shape' : 'state-shape no-data',
      d: shape.path,
      fill: entry ? colour(entry.mean) : NO_DATA_COLOUR,
      'data-state': shape.state,
      'data-mean': entry?.mean,
      role: 'img',
      'aria-label': entry ? `${shape.state}: ${formatPercent(entry.mean)}` : `${shape.state}: no data`,
    });
    tooltip.attach(path, () => stateTooltip(view, shape.state));
    if (entry) makeSelectable(path, () => onSelect(shape.state));
    map.append(path);
  }
  const missing = SHAPES.some((shape) => !view.byState.has(shape.state));
  const mapLegend = html(
    'div',
    { class: 'map-legend' },
    colourLegend(colour, view.globalMean),
    ...(missing ? [legend([{ label: 'No data for this question', colour: NO_DATA_COLOUR }])] : []),
  );
  return { map, offMap: offMapList(view, colour, hooks), legend: mapLegend };
}
