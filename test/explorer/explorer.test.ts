import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataIngestor, type QuestionInfo } from '@lestats/core';
import { type LeStatsServer, serve } from '@lestats/server';
import { scaleSequential } from 'd3-scale';
import { interpolateCividis } from 'd3-scale-chromatic';
import { type Browser, chromium, type Locator, type Page, type Request, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Real headless Chromium (Debian's `chromium` package) driven by playwright-core. Without
// the browser a local run skips these tests and says so; CI must not pass without them.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_BROWSER = existsSync(CHROMIUM);
const IN_CI = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());
if (!HAS_BROWSER) {
  const missing = `No Chromium at ${CHROMIUM} for the explorer's browser tests (apt-get install chromium, or set CHROMIUM_PATH)`;
  if (IN_CI) throw new Error(`${missing}. CI is set, so this is a failure, not a skip.`);
  console.warn(`\n⚠ ${missing}: skipping test/explorer only.\n`);
}

const ASSETS = fileURLToPath(new URL('../../packages/server/dist/explorer/index.html', import.meta.url));
// `UPDATE_SCREENSHOT=1 npx vitest run test/explorer` refreshes the README's screenshot.
const SCREENSHOT = fileURLToPath(new URL('../../docs/explorer.png', import.meta.url));

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The body of a query route's POST. */
interface QueryParams {
  question: string;
  state?: string;
}

/** A promise and the function that settles it, for a test to decide when something happens. */
function settable<T = void>() {
  let settle: (value: T) => void = () => {};
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

describe.skipIf(!HAS_BROWSER)('the explorer page in headless Chromium', () => {
  let dir: string;
  let server: LeStatsServer;
  let browser: Browser;
  let page: Page;
  let questions: QuestionInfo[];

  async function api<T>(path: string, body?: object): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method: body ? 'POST' : 'GET',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as T;
  }

  /** The answer of one query, fetched the way any API client does. */
  async function answer<T>(query: string, params: QueryParams): Promise<T> {
    const { job_id } = await api<{ job_id: string }>(`/api/${query}`, params);
    const result = await api<{ status: string; data: T }>(`/api/get_results/${job_id}?wait=10000`);
    expect(result.status).toBe('done');
    return result.data;
  }

  async function pickQuestion(question: string): Promise<void> {
    await page.selectOption('#question', question);
    await page.waitForSelector(`#results[data-question="${question}"]:not([aria-busy])`);
  }

  /** A question's mean by state and its global mean, as any API client gets them. */
  async function meansOf(question: string) {
    const [statesMean, { global_mean: globalMean }] = await Promise.all([
      answer<Record<string, number>>('states_mean', { question }),
      answer<{ global_mean: number }>('global_mean', { question }),
    ]);
    return { statesMean, globalMean };
  }

  /** A new load of the page, so a test does not depend on what the one before it chose. */
  async function freshPage(question?: string): Promise<void> {
    await page.goto(server.url);
    await page.waitForSelector('#question:not([disabled])');
    if (question) await pickQuestion(question);
  }

  /**
   * Holds the page's POST to `/api/<query>` whose parameters match until `release()`, which lets
   * it through (or refuses it as a full queue would) and resolves once the page has read the
   * last reply of that job and had time to use it.
   */
  async function holdJob(query: string, matches: (params: QueryParams) => boolean) {
    const refuse = settable<boolean>();
    const arrived = settable();
    const lastReplyRead = settable();
    const finished = (test: (request: Request) => boolean) =>
      void page.waitForEvent('requestfinished', test).then(() => lastReplyRead.settle());
    const pattern = `**/api/${query}`;
    const hold = async (route: Route) => {
      if (!matches(route.request().postDataJSON())) return route.fallback();
      arrived.settle();
      if (await refuse.promise) {
        finished((request) => request === route.request());
        return route.fulfill({ status: 503, json: { status: 'error', reason: 'queue full' } });
      }
      const response = await route.fetch();
      const { job_id } = (await response.json()) as { job_id: string };
      finished((request) => request.url().includes(`/api/get_results/${job_id}?`));
      await route.fulfill({ response });
    };
    await page.route(pattern, hold);
    return {
      arrived: arrived.promise,
      async release(outcome: 'answer' | 'refusal' = 'answer'): Promise<void> {
        refuse.settle(outcome === 'refusal');
        await lastReplyRead.promise;
        // The page parses the body after the request finishes; 200 ms is ample for that.
        await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
        await page.unroute(pattern, hold);
      },
    };
  }

  /** A synthetic pointer move over Texas's shape that puts the pointer exactly at (x, y). */
  const pointerOverTexasAt = (x: number, y: number) =>
    page
      .locator('#map .state-shape[data-state="Texas"]')
      .evaluate(
        (el, [clientX, clientY]) => el.dispatchEvent(new PointerEvent('pointermove', { clientX, clientY })),
        [x, y],
      );

  /** One attribute of every element a locator matches, in document order. */
  const attributeOf = (locator: Locator, name: string) =>
    locator.evaluateAll((els, attribute) => els.map((el) => el.getAttribute(attribute)), name);

  /** The map's colour for a mean: the page's sequential cividis scale over the question's means. */
  const mapColour = (means: number[]) => {
    const low = Math.min(...means);
    const high = Math.max(...means);
    return scaleSequential(interpolateCividis).domain([low, high === low ? low + 1 : high]);
  };

  const questionWith = (best: QuestionInfo['best']) => {
    const found = questions.find((q) => q.best === best);
    if (!found) throw new Error(`the sample has no question whose best is ${best}`);
    return found.question;
  };

  beforeAll(async () => {
    if (!existsSync(ASSETS))
      throw new Error(`The explorer is not built (${ASSETS} is missing): run npm run build first`);
    dir = await mkdtemp(join(tmpdir(), 'lestats-explorer-'));
    server = await serve({
      data: DataIngestor.sample(),
      port: 0,
      threads: 2,
      resultsDir: join(dir, 'results'),
      log: { file: join(dir, 'webserver.log') },
    });
    questions = (await api<{ data: QuestionInfo[] }>('/api/questions')).data;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is served as HTML at / and /explorer while /api stays JSON', async () => {
    for (const path of ['/', '/explorer']) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toContain('<title>Le Stats Sportif · explorer</title>');
    }
    const script = await fetch(`${server.url}/explorer/explorer.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // The licences of the d3 modules and us-atlas it inlines ask for their notice to travel with it.
    expect(await script.text()).toMatch(/^\/\*! Le Stats Sportif explorer\. Bundles d3-array, d3-geo,/);
    expect((await fetch(`${server.url}/api/states`)).headers.get('content-type')).toBe('application/json');
    // What curl sends for /api/get_results/../.. once it has resolved the dot segments.
    const curlLike = await fetch(`${server.url}/`, { headers: { accept: '*/*' } });
    expect(curlLike.status).toBe(404);
    expect(await curlLike.json()).toEqual({ status: 'error', reason: 'not found' });
  });

  it('loads with every question and state to pick from', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await freshPage();
    const states = (await api<{ data: string[] }>('/api/states')).data;
    expect(await page.locator('#question option').allTextContents()).toEqual([
      'Choose a question…',
      ...questions.map((q) => q.question),
    ]);
    expect(await page.locator('#state option').allTextContents()).toEqual(['Choose a state…', ...states]);
    expect(await page.locator('footer').textContent()).toContain('synthetic sample');
    const { dataset } = await api<{ dataset: { rows: number; kept: number } }>('/api/health');
    await expect
      .poll(() => page.locator('#dataset').textContent())
      .toContain(`(${dataset.kept.toLocaleString('en')} of ${dataset.rows.toLocaleString('en')} rows counted)`);
    expect(await page.locator('#status').textContent()).toBe('Choose a question to rank the states.');
    // The one box every chart mark shares starts out of sight.
    expect(await page.locator('.tooltip').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('draws one bar per state, best first, and the 51 map shapes with the rest listed beside', async () => {
    for (const best of ['max', 'min'] as const) {
      const question = questionWith(best);
      await pickQuestion(question);
      const statesMean = await answer<Record<string, number>>('states_mean', { question });
      const best5 = await answer<Record<string, number>>('best5', { question });
      const worst5 = await answer<Record<string, number>>('worst5', { question });

      const bars = page.locator('#ranking .bar');
      expect(await bars.count()).toBe(Object.keys(statesMean).length);
      const first = bars.first();
      expect(await first.getAttribute('data-state')).toBe(Object.keys(best5)[0]);
      expect(Number(await first.getAttribute('data-mean'))).toBeCloseTo(Object.values(best5)[0], 9);
      const highlighted = async (group: string) =>
        (
          await page
            .locator(`#ranking .bar-${group}`)
            .evaluateAll((els) => els.map((el) => el.getAttribute('data-state')))
        ).sort();
      expect(await highlighted('best')).toEqual(Object.keys(best5).sort());
      expect(await highlighted('worst')).toEqual(Object.keys(worst5).sort());

      expect(await page.locator('#map .state-shape').count()).toBe(51);
      expect(await page.locator('#map .state-shape.no-data').count()).toBe(0);
      expect((await page.locator('#off-map li').allTextContents()).map((text) => text.split(/\d/)[0])).toEqual(
        Object.keys(statesMean)
          .filter((state) => ['National', 'Guam', 'Puerto Rico', 'Virgin Islands'].includes(state))
          .sort((a, b) => (best === 'min' ? statesMean[a] - statesMean[b] : statesMean[b] - statesMean[a])),
      );
      expect(await page.locator('#title').textContent()).toBe(question);
      const subtitle = await page.locator('#subtitle').textContent();
      expect(subtitle).toContain('percentages');
      // The sentence that says which end is good must follow the question's direction.
      expect(subtitle).toContain(best === 'min' ? 'Lower is better' : 'Higher is better');
    }
  });

  it('shows the global mean as a reference line and values on hover', async () => {
    const question = questionWith('min');
    const { statesMean, globalMean } = await meansOf(question);
    expect(await page.locator('#ranking .reference-label').textContent()).toBe(`Global mean ${globalMean.toFixed(2)}%`);
    await page.hover('#map .state-shape[data-state="Texas"]');
    const tooltip = page.locator('.tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toContain(`Mean: ${statesMean.Texas.toFixed(2)}%`);
    await page.hover('#ranking .bar >> nth=0');
    expect(await tooltip.textContent()).toContain('Rank 1 of');
  });

  it("draws a chosen state's means by category, from the list or from the map", async () => {
    const question = questionWith('min');
    await page.selectOption('#state', 'Ohio');
    await page.waitForSelector('#category-card[data-state="Ohio"] .category-bar');
    const byCategory = await answer<Record<string, Record<string, number>>>('state_mean_by_category', {
      question,
      state: 'Ohio',
    });
    const keys = Object.keys(byCategory.Ohio);
    expect(await page.locator('#category-chart .category-bar').count()).toBe(keys.length);
    const firstBar = page.locator('#category-chart .category-bar').first();
    expect(await firstBar.getAttribute('data-category')).toBe('Age (years)');
    expect(Number(await firstBar.getAttribute('data-mean'))).toBe(byCategory.Ohio[keys[0]]);
    expect(await page.locator('#category-legend li').count()).toBe(
      new Set(keys.map((k) => k.split("', '")[0])).size + 2,
    );

    await page.click('#map .state-shape[data-state="Texas"]');
    await page.waitForSelector('#category-card[data-state="Texas"] .category-bar');
    expect(await page.locator('#state').inputValue()).toBe('Texas');
    expect(await page.locator('#ranking .bar.selected').getAttribute('data-state')).toBe('Texas');

    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (process.env.UPDATE_SCREENSHOT) await writeFile(SCREENSHOT, png);
  });

  it('shows why when a job fails', async () => {
    await page.route('**/api/get_results/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: '{"status":"error","reason":"worker died"}',
      }),
    );
    await page.selectOption('#state', 'Utah');
    const error = page.locator('#error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(
      /Could not load Utah's answers by category\. The state_mean_by_category job job_id_\d+ failed: worker died\./,
    );
    // No stale progress line or half-drawn card beside the error.
    expect(await page.locator('#status').textContent()).toBe('');
    expect(await page.locator('#category-card').isHidden()).toBe(true);
    await page.unroute('**/api/get_results/**');
    // The next answer that arrives takes the error away.
    await page.selectOption('#state', 'Ohio');
    await page.waitForSelector('#category-card[data-state="Ohio"] .category-bar');
    expect(await page.locator('#error').isHidden()).toBe(true);
  });

  it('copes with an unranked question, negative means, quoted categories and states without data', async () => {
    const question = 'Percent of adults who report an unranked oddity';
    // Longer than the category chart's label column holds.
    const LONG_STRATUM = 'Over $75k and living with both parents in one home';
    const rows = ['Ohio', 'Texas', 'Utah', 'Guam'].flatMap((state, i) => [
      `${question},${state},${i - 2},Total,Total,2020,2020`,
      `${question},${state},${10 + i},"Parents' ""income""",${LONG_STRATUM},2020,2020`,
    ]);
    // Nevada answers another question only: a state to pick that has no data for this one.
    rows.push('Percent of adults who report another oddity,Nevada,5,Total,Total,2020,2020');
    const odd = await serve({
      data: DataIngestor.fromString(
        ['Question,LocationDesc,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd', ...rows].join(
          '\n',
        ),
      ),
      port: 0,
      threads: 1,
      resultsDir: join(dir, 'odd-results'),
      log: { file: join(dir, 'odd.log') },
    });
    const oddPage = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    try {
      await oddPage.goto(odd.url);
      await oddPage.waitForSelector('#question:not([disabled])');
      await oddPage.selectOption('#question', question);
      await oddPage.waitForSelector(`#results[data-question="${question}"]:not([aria-busy])`);
      // No direction: nothing is best or worst, and the bars run from the highest mean down.
      expect(
        await oddPage.locator('#ranking .bar').evaluateAll((els) => els.map((el) => el.getAttribute('data-state'))),
      ).toEqual(['Guam', 'Utah', 'Texas', 'Ohio']);
      expect(await oddPage.locator('#ranking .bar-best, #ranking .bar-worst').count()).toBe(0);
      expect(await oddPage.locator('#map .state-shape.no-data').count()).toBe(48);
      expect(await oddPage.locator('#map-legend').textContent()).toContain('No data for this question');
      expect(await oddPage.locator('#ranking-legend li').allTextContents()).toEqual([
        'States (no best or worst: the question has no ranking direction)',
        'Global mean',
      ]);
      expect(await oddPage.locator('#ranking svg.bar-chart').getAttribute('aria-label')).toBe(
        'States ranked by mean, highest first',
      );
      expect(await oddPage.locator('#subtitle').textContent()).toContain(
        'This question has no ranking direction, so no best or worst five are marked.',
      );
      // A state without data is drawn in the legend's no-data grey, says so, and is no button.
      const nevada = oddPage.locator('#map .state-shape[data-state="Nevada"]');
      expect(await nevada.getAttribute('fill')).toBe(
        await oddPage.locator('#map-legend .legend rect').getAttribute('fill'),
      );
      expect(await nevada.getAttribute('aria-label')).toBe('Nevada: no data');
      expect(await nevada.getAttribute('data-mean')).toBeNull();
      expect(await nevada.getAttribute('role')).toBe('img');
      expect(await nevada.getAttribute('tabindex')).toBeNull();

      await oddPage.selectOption('#state', 'Ohio');
      await oddPage.waitForSelector('#category-card[data-state="Ohio"] .category-bar');
      const bars = oddPage.locator('#category-chart .category-bar');
      expect(
        await bars.evaluateAll((els) =>
          els.map((el) => [el.getAttribute('data-category'), el.getAttribute('data-mean')]),
        ),
      ).toEqual([
        [`Parents' "income"`, '10'],
        ['Total', '-2'],
      ]);
      // A label too long for its column is cut short with an ellipsis (the bar's data keeps it whole).
      const cut = (await bars.first().locator('.bar-label').textContent()) ?? '';
      expect(cut).toMatch(/^Over \$75k.*…$/);
      expect(cut.length).toBeLessThan(LONG_STRATUM.length);
      expect(LONG_STRATUM.startsWith(cut.slice(0, -1))).toBe(true);
      expect(await bars.first().getAttribute('data-stratum')).toBe(LONG_STRATUM);
      // A negative mean is drawn left of zero, not as an empty bar: it ends at the zero line.
      const negative = bars.last().locator('rect');
      const width = Number(await negative.getAttribute('width'));
      expect(width).toBeGreaterThan(0);
      const zero = Number(await oddPage.locator('#category-chart .baseline').getAttribute('x1'));
      expect(Number(await negative.getAttribute('x')) + width).toBeCloseTo(zero, 6);

      // Said on the page, rather than asking the API for an answer it refuses.
      await oddPage.selectOption('#state', 'Nevada');
      await oddPage.waitForSelector('#category-chart .hint');
      expect(await oddPage.locator('#category-chart').textContent()).toBe('Nevada has no answers to this question.');
      expect(await oddPage.locator('#error').isHidden()).toBe(true);

      // A question only one place answers, and that place on the map: nothing to list beside
      // it, and its one mean still gets a colour (the low end of the scale).
      const other = 'Percent of adults who report another oddity';
      await oddPage.selectOption('#question', other);
      await oddPage.waitForSelector(`#results[data-question="${other}"]:not([aria-busy])`);
      expect(await oddPage.locator('#off-map').textContent()).toBe(
        'Not on the mapEvery place of this question is on the map.',
      );
      expect(await oddPage.locator('#map .state-shape[data-state="Nevada"]').getAttribute('fill')).toBe(
        mapColour([5])(5),
      );
    } finally {
      await oddPage.close();
      await odd.close();
    }
  });

  it('colours bars, map and legends as its legends and scale say', async () => {
    const question = questionWith('max');
    await freshPage(question);
    const { statesMean, globalMean } = await meansOf(question);

    // The subtitle promises best five in blue and worst five in vermillion (Okabe & Ito).
    const groupColours = { best: '#0072B2', worst: '#D55E00', other: '#A3A3A3' };
    for (const [group, colour] of Object.entries(groupColours)) {
      const fills = await attributeOf(page.locator(`#ranking .bar-${group} rect`), 'fill');
      expect(fills.length).toBeGreaterThan(0);
      expect(new Set(fills)).toEqual(new Set([colour]));
    }
    const legendItems = page.locator('#ranking-legend li');
    expect(await legendItems.allTextContents()).toEqual(['Best five', 'Worst five', 'Other states', 'Global mean']);
    expect(await attributeOf(page.locator('#ranking-legend li rect'), 'fill')).toEqual(Object.values(groupColours));
    expect(await legendItems.last().locator('line.reference-dashed').count()).toBe(1);

    // Every place, on the map or listed beside it, in the colour of the one cividis scale.
    const colour = mapColour(Object.values(statesMean));
    const shapes = await page
      .locator('#map .state-shape')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-state'), el.getAttribute('fill')]));
    expect(shapes).toHaveLength(51);
    for (const [state, fill] of shapes) expect(fill, String(state)).toBe(colour(statesMean[String(state)]));
    const offMap = await page
      .locator('#off-map li')
      .evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-state'), el.querySelector('rect')?.getAttribute('fill')]),
      );
    expect(offMap.length).toBeGreaterThan(0);
    for (const [state, fill] of offMap) expect(fill, String(state)).toBe(colour(statesMean[String(state)]));

    // The colour legend runs over the same scale, low to high, with its ticks in percent
    // and the global mean's dashed mark where that value falls between them.
    const [low, high] = colour.domain();
    const stops = await attributeOf(page.locator('#map-legend linearGradient stop'), 'stop-color');
    expect(stops).toEqual(Array.from({ length: 11 }, (_, i) => colour(low + (i / 10) * (high - low))));
    const legend = page.locator('#map-legend svg.colour-legend');
    expect(await legend.locator('.axis-label').textContent()).toBe(
      `Mean of the answers (%) · dashed: global mean ${globalMean.toFixed(2)}%`,
    );
    const ticks = await legend
      .locator('text:not(.axis-label)')
      .evaluateAll((els) => els.map((el) => [el.textContent ?? '', Number(el.getAttribute('x'))] as const));
    expect(ticks.length).toBeGreaterThan(1);
    for (const [text] of ticks) expect(text).toMatch(/^\d+(\.\d+)?%$/);
    const [[t0, x0], [t1, x1]] = ticks.map(([text, x]) => [Number.parseFloat(text), x] as const);
    const mark = Number(await legend.locator('line.reference-dashed').getAttribute('x1'));
    expect(mark).toBeCloseTo(x0 + ((globalMean - t0) * (x1 - x0)) / (t1 - t0), 6);
  });

  it('draws the ranking as honest bars from zero, top to bottom, labelled and axis in percent', async () => {
    const question = questionWith('min');
    await freshPage(question);
    const { statesMean, globalMean } = await meansOf(question);
    const bars = await page.locator('#ranking .bar').evaluateAll((els) =>
      els.map((el) => {
        const rect = el.querySelector('rect') as SVGRectElement;
        return {
          state: el.getAttribute('data-state') ?? '',
          label: el.querySelector('.bar-label')?.textContent,
          aria: el.getAttribute('aria-label'),
          role: el.getAttribute('role'),
          x: Number(rect.getAttribute('x')),
          width: Number(rect.getAttribute('width')),
          top: rect.getBoundingClientRect().top,
        };
      }),
    );
    expect(bars.map((bar) => bar.state)).toEqual(Object.keys(statesMean));
    const zero = Number(await page.locator('#ranking .baseline').getAttribute('x1'));
    const pxPerPoint = bars[0].width / statesMean[bars[0].state];
    bars.forEach((bar, i) => {
      const mean = statesMean[bar.state];
      expect(bar.label).toBe(`${i + 1}. ${bar.state}`);
      expect(bar.aria).toBe(`${i + 1}. ${bar.state}: ${mean.toFixed(2)}%`);
      expect(bar.role).toBe('button');
      // Every bar starts at the zero line and its length is proportional to its mean.
      expect(bar.x).toBeCloseTo(zero, 6);
      expect(bar.width).toBeCloseTo(mean * pxPerPoint, 6);
      if (i > 0) expect(bar.top).toBeGreaterThan(bars[i - 1].top);
    });
    expect(Number(await page.locator('#ranking line.reference-dashed').getAttribute('x1'))).toBeCloseTo(
      zero + globalMean * pxPerPoint,
      6,
    );
    const axis = await page.locator('#ranking .axis text:not(.axis-label)').allTextContents();
    expect(axis[0]).toBe('0%');
    for (const text of axis) expect(text).toMatch(/^\d+(\.\d+)?%$/);
    expect(await page.locator('#ranking .axis-label').textContent()).toBe('Mean of the answers (%)');
    expect(await page.locator('#ranking svg.bar-chart').getAttribute('aria-label')).toBe(
      'States ranked by mean, best first',
    );
  });

  it('shows its progress, the global mean and a hint until a state is chosen', async () => {
    const question = questionWith('min');
    await freshPage(question);
    const { statesMean, globalMean } = await meansOf(question);
    expect(await page.locator('#status').textContent()).toMatch(
      new RegExp(`^${Object.keys(statesMean).length} places\\. Hover a bar`),
    );
    expect(await page.locator('#subtitle').textContent()).toContain(`Global mean ${globalMean.toFixed(2)}%.`);
    expect(await page.locator('#category-title').textContent()).toBe('Answers by category');
    expect(await page.locator('#category-chart').textContent()).toMatch(/^Choose a state \(click its bar/);
  });

  it("draws a state's categories in their own colours, with its mean, headings and hover text", async () => {
    const question = questionWith('min');
    await freshPage(question);
    await page.selectOption('#state', 'Ohio');
    await page.waitForSelector('#category-card[data-state="Ohio"] .category-bar');
    const {
      statesMean: { Ohio: ohioMean },
      globalMean,
    } = await meansOf(question);
    const bars = await page
      .locator('#category-chart .category-bar')
      .evaluateAll((els) =>
        els.map((el) => [el.getAttribute('data-category') ?? '', el.querySelector('rect')?.getAttribute('fill')]),
      );
    const categories = [...new Set(bars.map(([category]) => category))];
    expect(await page.locator('#category-chart .group-heading').allTextContents()).toEqual(categories);
    // One colour per category, the same in its bars and its legend swatch, none shared.
    const legendFills = await attributeOf(page.locator('#category-legend li rect'), 'fill');
    expect(legendFills).toHaveLength(categories.length);
    expect(new Set(legendFills).size).toBe(categories.length);
    for (const [category, fill] of bars) expect(fill, String(category)).toBe(legendFills[categories.indexOf(category)]);
    expect(await page.locator('#category-chart .reference-label').allTextContents()).toEqual([
      `Ohio mean ${ohioMean.toFixed(2)}%`,
      `Global mean ${globalMean.toFixed(2)}%`,
    ]);
    expect(await page.locator('#category-chart line.reference-solid').count()).toBe(1);
    expect(await page.locator('#category-chart line.reference-dashed').count()).toBe(1);

    const first = page.locator('#category-chart .category-bar').first();
    const stratum = (await first.getAttribute('data-stratum')) ?? '';
    const mean = Number(await first.getAttribute('data-mean'));
    await first.locator('rect').hover();
    const tooltip = page.locator('.tooltip');
    await expect.poll(() => tooltip.textContent()).toContain('Ohio · Age (years)');
    const text = await tooltip.textContent();
    expect(text).toContain(`${stratum}: ${mean.toFixed(2)}%`);
    expect(text).toContain(
      `${Math.abs(mean - ohioMean).toFixed(2)} points ${mean > ohioMean ? 'above' : 'below'} the state's mean (${ohioMean.toFixed(2)}%)`,
    );
  });

  it('works from the keyboard, the off-map list and the bars as well as the map', async () => {
    const question = questionWith('min');
    await freshPage(question);
    const statesMean = await answer<Record<string, number>>('states_mean', { question });
    const tooltip = page.locator('.tooltip');

    // Tab from the controls reaches the chart: the first bar takes focus.
    await page.focus('#state');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-state'))).toBe(
      Object.keys(statesMean)[0],
    );

    // A bar is a button: clicking it chooses its state.
    const third = page.locator('#ranking .bar >> nth=2');
    const thirdState = (await third.getAttribute('data-state')) ?? '';
    await third.locator('rect').click();
    await page.waitForSelector(`#category-card[data-state="${thirdState}"] .category-bar`);
    expect(await page.locator('#state').inputValue()).toBe(thirdState);
    // Leaving a mark with the pointer hides its values.
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    await page.mouse.move(1, 1);
    await expect.poll(() => tooltip.isHidden()).toBe(true);

    // Focus shows the values and leaving focus hides them; Enter or Space chooses.
    const utah = page.locator('#map .state-shape[data-state="Utah"]');
    expect(await utah.getAttribute('role')).toBe('button');
    await utah.focus();
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.textContent()).toContain(`Mean: ${statesMean.Utah.toFixed(2)}%`);
    await page.locator('#question').focus();
    await expect.poll(() => tooltip.isHidden()).toBe(true);
    await utah.press('Enter');
    await page.waitForSelector('#category-card[data-state="Utah"] .category-bar');
    // The chosen outline is drawn last, so no neighbour's stroke covers it.
    expect(await page.locator('#map .state-shape >> nth=-1').getAttribute('data-state')).toBe('Utah');

    const ohio = page.locator('#map .state-shape[data-state="Ohio"]');
    await ohio.focus();
    await ohio.press(' ');
    await page.waitForSelector('#category-card[data-state="Ohio"] .category-bar');
    // Space on a chart mark chooses it and does not also scroll the page.
    expect(
      await ohio.evaluate((el) =>
        el.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true })),
      ),
    ).toBe(false);

    // The places off the map: their mean and rank, their values on hover, chosen by a click.
    const ranks = new Map(Object.keys(statesMean).map((state, i) => [state, i + 1]));
    const national = page.locator('#off-map li[data-state="National"]');
    expect(await national.textContent()).toBe(`National${statesMean.National.toFixed(2)}% · #${ranks.get('National')}`);
    await national.hover();
    await expect.poll(() => tooltip.textContent()).toContain(`Mean: ${statesMean.National.toFixed(2)}%`);
    expect(await tooltip.locator('strong').textContent()).toBe('National');
    await page.mouse.move(1, 1);
    await expect.poll(() => tooltip.isHidden()).toBe(true);
    // An HTML list item only takes focus with a tabindex (SVG marks take it from their focus
    // listeners in Chromium), so this is where the keyboard depends on it.
    await national.focus();
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    expect(await tooltip.locator('strong').textContent()).toBe('National');
    await national.press('Enter');
    await page.waitForSelector('#category-card[data-state="National"] .category-bar');
  });

  it('keeps its box of values inside the window, beside the pointer', async () => {
    await freshPage(questionWith('min'));
    const box = page.locator('.tooltip');
    const { width, height } = await page.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight }));
    await pointerOverTexasAt(100, 100);
    let at = await box.boundingBox();
    expect(at?.x).toBe(114);
    expect(at?.y).toBe(114);
    // Right at the window's corner.
    await pointerOverTexasAt(width - 2, height - 2);
    at = await box.boundingBox();
    if (!at) throw new Error('the tooltip is not shown');
    expect(at.x + at.width).toBeLessThanOrEqual(width - 2);
    expect(at.y + at.height).toBeLessThanOrEqual(height);
  });

  it('drops an answer or a refusal that arrives after a newer choice, so a slow job never shows stale charts', async () => {
    const [first, second, third, fourth] = questions.filter((q) => q.best).map((q) => q.question);
    await freshPage(first);

    const card = page.locator('#category-card');
    const error = page.locator('#error');
    const texas = await holdJob('state_mean_by_category', (params) => params.state === 'Texas');
    const utah = await holdJob('state_mean_by_category', (params) => params.state === 'Utah');
    await page.selectOption('#state', 'Texas');
    await texas.arrived;
    await page.selectOption('#state', 'Utah');
    await utah.arrived;
    await page.selectOption('#state', 'Ohio');
    await page.waitForSelector('#category-card[data-state="Ohio"] .category-bar');
    await texas.release();
    await utah.release('refusal');
    expect(await card.getAttribute('data-state')).toBe('Ohio');
    expect(await card.isVisible()).toBe(true);
    expect(await page.locator('#category-title').textContent()).toMatch(/^Ohio: /);
    expect(await error.isHidden()).toBe(true);

    const results = page.locator('#results');
    const answered = await holdJob('states_mean', (params) => params.question === second);
    const refused = await holdJob('states_mean', (params) => params.question === third);
    const newest = await holdJob('states_mean', (params) => params.question === fourth);
    for (const [question, held] of [
      [second, answered],
      [third, refused],
      [fourth, newest],
    ] as const) {
      await page.selectOption('#question', question);
      await held.arrived;
    }
    await answered.release();
    await refused.release('refusal');
    // Neither stale reply draws, hides the charts, shows an error or ends the newest load's busy mark.
    expect(await results.getAttribute('data-question')).toBe(first);
    expect(await results.isVisible()).toBe(true);
    expect(await results.getAttribute('aria-busy')).toBe('true');
    expect(await error.isHidden()).toBe(true);
    await newest.release();
    await page.waitForSelector(`#results[data-question="${fourth}"]:not([aria-busy])`);
    const means = await answer<Record<string, number>>('states_mean', { question: fourth });
    expect(await page.locator('#ranking .bar').count()).toBe(Object.keys(means).length);
    expect(await card.getAttribute('data-state')).toBe('Ohio');
  });

  it('keeps its box of values inside a window narrower than twice the box', async () => {
    await freshPage(questionWith('min'));
    await page.setViewportSize({ width: 320, height: 600 });
    try {
      const box = page.locator('.tooltip');
      await pointerOverTexasAt(160, 100);
      const at = await box.boundingBox();
      if (!at) throw new Error('the tooltip is not shown');
      // Too wide for either side of the pointer, it is pinned to the window's left edge.
      expect(at.width).toBeGreaterThan(160 - 14);
      expect(at.x).toBe(4);
    } finally {
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
  });

  it('keeps the chosen state, its mark and its categories when the question changes', async () => {
    const first = questionWith('min');
    const second = questionWith('max');
    await freshPage(first);
    await page.selectOption('#state', 'Texas');
    await page.waitForSelector('#category-card[data-state="Texas"] .category-bar');
    await pickQuestion(second);
    await page.waitForSelector('#category-card[data-state="Texas"] .category-bar');
    expect(await page.locator('#ranking .bar.selected').getAttribute('data-state')).toBe('Texas');
    expect(await page.locator('#map .state-shape.selected').getAttribute('data-state')).toBe('Texas');
    const byCategory = await answer<Record<string, Record<string, number>>>('state_mean_by_category', {
      question: second,
      state: 'Texas',
    });
    expect(Number(await page.locator('#category-chart .category-bar >> nth=0').getAttribute('data-mean'))).toBe(
      Object.values(byCategory.Texas)[0],
    );
  });

  it('shows a readable error instead of charts once the server refuses new jobs', async () => {
    await expect.poll(async () => (await api<{ status: string }>('/api/graceful_shutdown')).status).toBe('done');
    await page.selectOption('#question', questionWith('max'));
    const error = page.locator('#error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/The server refused \/api\/\w+: shutting down \(HTTP 503\)\./);
    expect(await error.textContent()).toContain('Restart it to ask more.');
    expect(await page.locator('#results').isHidden()).toBe(true);
  });
});
