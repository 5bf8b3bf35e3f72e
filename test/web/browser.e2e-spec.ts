import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { RunningApp, startRole } from '../support/harness';
import { isolatedDatabase, IsolatedDatabase } from '../support/isolated-database';
import { SeededPool, seedPool } from './pool-fixture';

/**
 * The pages in a real browser: Debian's Chromium driven by playwright-core (no browser download;
 * scripts/ensure-chromium.sh installs it). Screenshots go to artifacts/screenshots/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '../../artifacts/screenshots');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The little of the DOM the page scripts below touch (the test build has no DOM typings). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}
interface BrowserGlobals {
  document: {
    getElementById(id: string): unknown;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  Chart?: { getChart(canvas: Canvas): unknown };
}

let store: IsolatedDatabase;
let seeded: SeededPool;
let frontend: RunningApp;
let context: BrowserContext;
let profile: string;
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run scripts/ensure-chromium.sh (installs Debian's chromium)`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  store = await isolatedDatabase('browser');
  seeded = await seedPool(store.factories);
  frontend = await startRole('frontend', {
    DATABASE_URL: store.frontendUrl,
    WEB_CACHE_SECONDS: '0',
  });
  profile = mkdtempSync(path.join(tmpdir(), 'purepool-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await frontend?.close();
  await store?.drop();
});

/** Every console error, failed script and CSP violation of a page ends up in `problems`. */
async function openPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  return page;
}

/**
 * Waits until the chart starter has drawn the canvas, then asks Chart.js for the chart and counts
 * the canvas pixels that are not transparent: a chart that failed to draw leaves none.
 */
async function drawnChart(
  page: Page,
  canvasId: string,
): Promise<{ chart: boolean; inked: number }> {
  await page.waitForSelector(`#${canvasId}[data-chart-ready="true"]`, { timeout: 10_000 });
  return page.evaluate((id) => {
    const browser = globalThis as unknown as BrowserGlobals;
    const canvas = browser.document.getElementById(id) as Canvas;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
    return { chart: browser.Chart?.getChart(canvas) !== undefined, inked };
  }, canvasId);
}

describe('pages in Chromium', () => {
  it('searches a miner from the index and shows its page with a drawn chart and its payments', async () => {
    const page = await openPage();
    await page.goto(`${frontend.url}/`);
    expect(new URL(page.url()).pathname).toBe('/main/');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'index.png'), fullPage: true });

    await page.fill('#address', seeded.a.address);
    await Promise.all([
      page.waitForURL(`**/main/miner/${seeded.a.address}/`),
      page.click('form.search button'),
    ]);
    expect(await page.textContent('#miner-address')).toBe(seeded.a.address);

    const chart = await drawnChart(page, 'miner-chart');
    expect(chart.chart).toBe(true);
    expect(chart.inked).toBeGreaterThan(500);

    const ledger = await page.innerText('#ledger');
    expect(ledger).toContain(seeded.p1Payment.txid);
    expect(ledger).toContain('-3,000 BBP');
    expect(await page.innerText('#balance')).toContain('100.12345678 BBP');
    // The hostile worker name is shown as text, not run as markup.
    expect(await page.innerText('#workers')).toContain('<img src=x onerror=alert(1)>');
    expect(await page.$$eval('#workers img', (imgs) => imgs.length)).toBe(0);

    await page.screenshot({ path: path.join(SCREENSHOTS, 'miner.png'), fullPage: true });
    await page.close();
  });

  it('shows a friendly message for an unknown address typed into the search box', async () => {
    const page = await openPage();
    await page.goto(`${frontend.url}/main/`);
    await page.fill('#address', 'not-an-address');
    await Promise.all([
      page.waitForURL('**/main/search?address=*'),
      page.click('form.search button'),
    ]);
    expect(await page.innerText('#search-message')).toContain(
      'is not a valid BiblePay main address',
    );
    await page.close();
  });

  it('reaches the statistics page from the navigation and draws its 7-day chart', async () => {
    const page = await openPage();
    await page.goto(`${frontend.url}/main/`);
    await Promise.all([
      page.waitForURL('**/main/statistics'),
      page.click('nav a:text("Statistics")'),
    ]);
    const chart = await drawnChart(page, 'pool-chart');
    expect(chart.chart).toBe(true);
    expect(chart.inked).toBeGreaterThan(500);
    expect(await page.innerText('#last-blocks')).toContain('paid');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'statistics.png'), fullPage: true });
    await page.close();
  });

  it('fits a phone screen without sideways scrolling of the page', async () => {
    const page = await openPage();
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, url] of [
      ['phone-index', '/main/'],
      ['phone-statistics', '/main/statistics'],
      ['phone-miner', `/main/miner/${seeded.a.address}/`],
    ]) {
      await page.goto(`${frontend.url}${url}`);
      const overflow = await page.evaluate(() => {
        const root = (globalThis as unknown as BrowserGlobals).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect({ url, overflow }).toEqual({ url, overflow: 0 });
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    }
    await page.close();
  });

  it('loaded every page without a script error, a failed request or a blocked resource', () => {
    expect(problems).toEqual([]);
  });
});
