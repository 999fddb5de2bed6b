/// <reference lib="dom" />

import { barChart } from './bar-chart';
import { type LegendItem, legend } from './legend';
import { RANK_COLOURS } from './palette';
import { type QuestionView, rankGroup, stateTooltip } from './question-view';
import type { Tooltip } from './tooltip';

const WIDTH = 470;
const LABEL_WIDTH = 160;

/** The ranking chart with its legend. */
export interface RankingChart {
  legend: HTMLElement;
  chart: SVGSVGElement;
}

/**
 * Every state as a bar, best first, the best and worst five in their own colours and the
 * global mean as a dashed line. Clicking a bar chooses that state.
 */
export function rankingChart(view: QuestionView, tooltip: Tooltip, onSelect: (state: string) => void): RankingChart {
  const ranked = view.info.best !== null;
  const items: LegendItem[] = ranked
    ? [
        { label: 'Best five', colour: RANK_COLOURS.best },
        { label: 'Worst five', colour: RANK_COLOURS.worst },
        { label: 'Other states', colour: RANK_COLOURS.other },
      ]
    : [{ label: 'States (no best or worst: the question has no ranking direction)', colour: RANK_COLOURS.other }];
  items.push({ label: 'Global mean', line: 'dashed' });

  const chart = barChart({
    rows: view.ranked.map(({ state, mean, rank }) => {
      const group = rankGroup(view, state);
      return {
        kind: 'bar',
        label: `${rank}. ${state}`,
        value: mean,
        colour: RANK_COLOURS[group],
        attributes: { class: `bar bar-${group}`, 'data-state': state, 'data-mean': mean },
        tooltip: () => stateTooltip(view, state),
        onSelect: () => onSelect(state),
      };
    }),
    references: [{ value: view.globalMean, label: 'Global mean', style: 'dashed' }],
    axisLabel: 'Mean of the answers (%)',
    description: `States ranked by mean, ${ranked ? 'best' : 'highest'} first`,
    tooltip,
    width: WIDTH,
    labelWidth: LABEL_WIDTH,
  });
  return { legend: legend(items), chart };
}
