import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataIngestor, type QuestionInfo } from '@lestats/core';
import { type LeStatsServer, serve } from '@lestats/server';
import { type Browser, chromium, type Page } from 'playwright-core';
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
  async function answer<T>(query: string, params: { question: string; state?: string }): Promise<T> {
    const { job_id } = await api<{ job_id: string }>(`/api/${query}`, params);
    const result = await api<{ status: string; data: T }>(`/api/get_results/${job_id}?wait=10000`);
    expect(result.status).toBe('done');
    return result.data;
  }

  async function pickQuestion(question: string): Promise<void> {
    await page.selectOption('#question', question);
    await page.waitForSelector(`#results[data-question="${question}"]:not([aria-busy])`);
  }

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
    expect((await fetch(`${server.url}/api/states`)).headers.get('content-type')).toBe('application/json');
    // What curl sends for /api/get_results/../.. once it has resolved the dot segments.
    const curlLike = await fetch(`${server.url}/`, { headers: { accept: '*/*' } });
    expect(curlLike.status).toBe(404);
    expect(await curlLike.json()).toEqual({ status: 'error', reason: 'not found' });
  });

  it('loads with every question and state to pick from', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.waitForSelector('#question:not([disabled])');
    const states = (await api<{ data: string[] }>('/api/states')).data;
    expect(await page.locator('#question option').allTextContents()).toEqual([
      'Choose a question…',
      ...questions.map((q) => q.question),
    ]);
    expect(await page.locator('#state option').allTextContents()).toEqual(['Choose a state…', ...states]);
    expect(await page.locator('footer').textContent()).toContain('synthetic sample');
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
    const { global_mean } = await answer<{ global_mean: number }>('global_mean', { question });
    expect(await page.locator('#ranking .reference-label').textContent()).toBe(
      `Global mean ${global_mean.toFixed(2)}%`,
    );
    const statesMean = await answer<Record<string, number>>('states_mean', { question });
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
    await page.unroute('**/api/get_results/**');
  });

  it('copes with an unranked question, negative means, quoted categories and states without data', async () => {
    const question = 'Percent of adults who report an unranked oddity';
    const rows = ['Ohio', 'Texas', 'Utah', 'Guam'].flatMap((state, i) => [
      `${question},${state},${i - 2},Total,Total,2020,2020`,
      `${question},${state},${10 + i},"Parents' ""income""",Over $75k,2020,2020`,
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
      // A negative mean is drawn left of zero, not as an empty bar.
      expect(await bars.last().locator('rect').getAttribute('width')).not.toBe('0');

      // Said on the page, rather than asking the API for an answer it refuses.
      await oddPage.selectOption('#state', 'Nevada');
      await oddPage.waitForSelector('#category-chart .hint');
      expect(await oddPage.locator('#category-chart').textContent()).toBe('Nevada has no answers to this question.');
      expect(await oddPage.locator('#error').isHidden()).toBe(true);
    } finally {
      await oddPage.close();
      await odd.close();
    }
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
