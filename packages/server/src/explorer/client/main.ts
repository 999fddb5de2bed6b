/// <reference lib="dom" />

import { ApiError, fetchDataset, fetchQuestions, fetchStates, type QuestionInfo, runQuery } from './api';
import { groupByCategory } from './categories';
import { categoryChart } from './category-chart';
import { formatPercent } from './format';
import { type QuestionView, questionView } from './question-view';
import { rankingChart } from './ranking-chart';
import { html } from './svg';
import { Tooltip } from './tooltip';
import { usMap } from './us-map';

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}`);
  return found as T;
}

const ui = {
  question: byId<HTMLSelectElement>('question'),
  state: byId<HTMLSelectElement>('state'),
  status: byId('status'),
  error: byId('error'),
  results: byId('results'),
  title: byId('title'),
  subtitle: byId('subtitle'),
  rankingLegend: byId('ranking-legend'),
  ranking: byId('ranking'),
  map: byId('map'),
  offMap: byId('off-map'),
  mapLegend: byId('map-legend'),
  categoryCard: byId('category-card'),
  categoryTitle: byId('category-title'),
  categoryLegend: byId('category-legend'),
  categoryChart: byId('category-chart'),
  dataset: byId('dataset'),
};
const tooltip = new Tooltip(document.body);

let questions: QuestionInfo[] = [];
let view: QuestionView | undefined;
let selectedState = '';
// Each load takes a ticket; an answer that arrives after a newer load started is dropped,
// so quick changes of question or state never show stale charts.
let questionTicket = 0;
let stateTicket = 0;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// What a person can do about the refusals the SPEC names.
const ADVICE: Record<string, string> = {
  'shutting down':
    'The server is shutting down: it finishes the jobs it has accepted but takes no new ones. Restart it to ask more.',
  'queue full': 'The server has too many jobs waiting. Try again in a moment.',
};

function showError(context: string, error: unknown): void {
  const advice = error instanceof ApiError && error.reason ? ADVICE[error.reason] : undefined;
  ui.error.textContent = `${context}. ${messageOf(error)}${advice ? ` ${advice}` : ''}`;
  ui.error.hidden = false;
  ui.status.textContent = '';
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

function directionSentence(info: QuestionInfo): string {
  if (info.best === 'min')
    return 'Lower is better: the best five (blue) have the lowest means, the worst five (vermillion) the highest.';
  if (info.best === 'max')
    return 'Higher is better: the best five (blue) have the highest means, the worst five (vermillion) the lowest.';
  return 'This question has no ranking direction, so no best or worst five are marked.';
}

function markSelected(state: string): void {
  document.querySelectorAll('.selected').forEach((marked) => {
    marked.classList.remove('selected');
  });
  if (!state) return;
  document.querySelectorAll(`[data-state="${CSS.escape(state)}"]`).forEach((mark) => {
    mark.classList.add('selected');
    // A map outline drawn last is not hidden under its neighbours' strokes.
    if (mark.classList.contains('state-shape')) mark.parentNode?.append(mark);
  });
}

function renderQuestion(current: QuestionView): void {
  ui.title.textContent = current.info.question;
  ui.subtitle.textContent = `All figures are percentages: the mean of the answers over the counted rows. Global mean ${formatPercent(current.globalMean)}. ${directionSentence(current.info)}`;
  const ranking = rankingChart(current, tooltip, selectState);
  ui.rankingLegend.replaceChildren(ranking.legend);
  ui.ranking.replaceChildren(ranking.chart);
  const map = usMap(current, { tooltip, onSelect: selectState });
  ui.map.replaceChildren(map.map);
  ui.offMap.replaceChildren(map.offMap);
  ui.mapLegend.replaceChildren(map.legend);
  ui.results.hidden = false;
  ui.results.dataset.question = current.info.question;
}

/** Puts a line of text where the category chart goes (a hint, progress, or why there is none). */
function categoryMessage(title: string, text: string): void {
  ui.categoryCard.hidden = false;
  delete ui.categoryCard.dataset.state;
  ui.categoryTitle.textContent = title;
  ui.categoryLegend.replaceChildren();
  ui.categoryChart.replaceChildren(html('p', { class: 'hint' }, text));
}

async function loadState(state: string): Promise<void> {
  const current = view;
  const ticket = ++stateTicket;
  if (!current) return;
  clearError();
  if (!state) {
    categoryMessage(
      'Answers by category',
      'Choose a state (click its bar or its shape on the map, or pick it above) to see its answers by age, education, gender, income and race.',
    );
    return;
  }
  const title = `${state}: mean by stratification category, in percent`;
  const entry = current.byState.get(state);
  if (!entry) {
    categoryMessage(title, `${state} has no answers to this question.`);
    return;
  }
  categoryMessage(title, 'Loading…');
  try {
    const answer = await runQuery<Record<string, Record<string, number>>>('state_mean_by_category', {
      question: current.info.question,
      state,
    });
    if (ticket !== stateTicket || current !== view) return;
    const groups = groupByCategory(answer[state] ?? {});
    if (groups.length === 0) {
      categoryMessage(title, `${state} has no answers by category for this question.`);
      return;
    }
    const chart = categoryChart(groups, { state, stateMean: entry.mean, globalMean: current.globalMean }, tooltip);
    ui.categoryLegend.replaceChildren(chart.legend);
    ui.categoryChart.replaceChildren(chart.chart);
    ui.categoryCard.dataset.state = state;
  } catch (error) {
    if (ticket !== stateTicket || current !== view) return;
    ui.categoryCard.hidden = true;
    showError(`Could not load ${state}'s answers by category`, error);
  }
}

function selectState(state: string): void {
  selectedState = state;
  ui.state.value = state;
  markSelected(state);
  void loadState(state);
}

async function loadQuestion(info: QuestionInfo): Promise<void> {
  const ticket = ++questionTicket;
  stateTicket++;
  view = undefined;
  clearError();
  ui.results.setAttribute('aria-busy', 'true');
  ui.status.textContent = 'Computing the answers…';
  const params = { question: info.question };
  try {
    const [statesMean, globalMean, best5, worst5] = await Promise.all([
      runQuery<Record<string, number>>('states_mean', params),
      runQuery<{ global_mean: number }>('global_mean', params),
      info.best ? runQuery<Record<string, number>>('best5', params) : undefined,
      info.best ? runQuery<Record<string, number>>('worst5', params) : undefined,
    ]);
    if (ticket !== questionTicket) return;
    view = questionView(info, { statesMean, globalMean, best5, worst5 });
    renderQuestion(view);
    ui.state.disabled = false;
    ui.status.textContent = `${view.ranked.length} places. Hover a bar or a state for its values; click one, or pick a state above, for its answers by category.`;
    markSelected(selectedState);
    await loadState(selectedState);
  } catch (error) {
    if (ticket !== questionTicket) return;
    ui.results.hidden = true;
    showError(`Could not load “${info.question}”`, error);
  } finally {
    if (ticket === questionTicket) ui.results.removeAttribute('aria-busy');
  }
}

function fillSelect(select: HTMLSelectElement, placeholder: string, values: string[]): void {
  select.replaceChildren(
    html('option', { value: '' }, placeholder),
    ...values.map((value) => html('option', { value }, value)),
  );
}

async function showDataset(): Promise<void> {
  try {
    const { source, rows, kept } = await fetchDataset();
    const note = source === 'sample' ? 'the built-in synthetic sample, not real CDC data' : source;
    ui.dataset.textContent = `Data set: ${note} (${kept.toLocaleString('en')} of ${rows.toLocaleString('en')} rows counted).`;
  } catch (error) {
    ui.dataset.textContent = `Data set: unknown (${messageOf(error)}).`;
  }
}

async function start(): Promise<void> {
  ui.question.addEventListener('change', () => {
    const info = questions.find((q) => q.question === ui.question.value);
    if (info) void loadQuestion(info);
  });
  ui.state.addEventListener('change', () => selectState(ui.state.value));
  void showDataset();
  try {
    const [questionList, states] = await Promise.all([fetchQuestions(), fetchStates()]);
    questions = questionList;
    fillSelect(
      ui.question,
      'Choose a question…',
      questions.map((q) => q.question),
    );
    fillSelect(ui.state, 'Choose a state…', states);
    ui.question.disabled = false;
    ui.status.textContent =
      questions.length > 0 ? 'Choose a question to rank the states.' : 'The data set has no questions to show.';
  } catch (error) {
    showError('Could not load the questions', error);
  }
}

void start();
