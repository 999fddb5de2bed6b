/// <reference lib="dom" />

import { type BarRow, barChart, type HeadingRow } from './bar-chart';
import type { CategoryGroup } from './categories';
import { describeDifference, formatPercent } from './format';
import { legend } from './legend';
import { categoryColour } from './palette';
import type { Tooltip } from './tooltip';

const WIDTH = 620;
const LABEL_WIDTH = 230;

/** The category chart with its legend. */
export interface CategoryChart {
  legend: HTMLElement;
  chart: SVGSVGElement;
}

/** What the category chart compares each stratum with. */
export interface CategoryReferences {
  state: string;
  stateMean: number;
  globalMean: number;
}

/**
 * One state's means by stratification category: a heading per category and its strata as
 * bars in the category's colour, against the state's overall mean and the global mean.
 */
export function categoryChart(
  groups: CategoryGroup[],
  references: CategoryReferences,
  tooltip: Tooltip,
): CategoryChart {
  const { state, stateMean, globalMean } = references;
  const rows = groups.flatMap(({ category, strata }, index): (HeadingRow | BarRow)[] => {
    const colour = categoryColour(index);
    return [
      { kind: 'heading', label: category, colour },
      ...strata.map(
        ({ stratum, mean }): BarRow => ({
          kind: 'bar',
          label: stratum,
          value: mean,
          colour,
          attributes: { class: 'category-bar', 'data-category': category, 'data-stratum': stratum, 'data-mean': mean },
          tooltip: () => [
            `${state} · ${category}`,
            `${stratum}: ${formatPercent(mean)}`,
            describeDifference(mean, stateMean, `the state's mean (${formatPercent(stateMean)})`),
          ],
        }),
      ),
    ];
  });
  const chart = barChart({
    rows,
    references: [
      { value: stateMean, label: `${state} mean`, style: 'solid' },
      { value: globalMean, label: 'Global mean', style: 'dashed' },
    ],
    axisLabel: 'Mean of the answers (%)',
    description: `${state}: means by stratification category`,
    tooltip,
    width: WIDTH,
    labelWidth: LABEL_WIDTH,
  });
  const items = groups.map(({ category }, index) => ({ label: category, colour: categoryColour(index) }));
  return {
    legend: legend([...items, { label: `${state} mean`, line: 'solid' }, { label: 'Global mean', line: 'dashed' }]),
    chart,
  };
}
