import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { roleEnv } from '../support/test-env';
import { HOSTILE_WORKER, SeededPool, seedPool } from '../web/pool-fixture';

const TOKEN = 'pages-test-token-0123456789abcdef0123';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '../../artifacts/screenshots');

/**
 * Issue 16: the console's pages — sign-in for a session cookie, the form token on every change,
 * the confirmation step — over HTTP, then in Debian's Chromium as an operator uses them.
 */
describe('operator console pages: session, CSRF, confirmation, in Chromium', () => {
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let seeded: SeededPool;
  let backend: RoleProcess;
  let db: mysql.Connection;
  let context: BrowserContext;
  let profile: string;
  const problems: string[] = [];

  const post = (
    route: string,
    body: Record<string, string>,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${backend.url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
      redirect: 'manual',
    });
  const signIn = async (): Promise<string> => {
    const response = await post('/admin/login', { token: TOKEN });
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    return cookie.split(';')[0];
  };
  const disabled = async (address: string): Promise<boolean> => {
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      "SELECT disabled FROM miner WHERE network = 'main' AND address = ?",
      [address],
    );
    return Boolean(row.disabled);
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    pool = await startPoolFixture();
    store = await isolatedDatabase('consolepages');
    db = store.db;
    seeded = await seedPool(store.factories);
    backend = await startRoleProcess(
      roleEnv('backend', {
        ...pool.env,
        DATABASE_URL: store.backendUrl,
        ADMIN_TOKEN: TOKEN,
        ADMIN_TOKEN_LABEL: 'bob',
        BLOCK_POLL_SECONDS: '3600',
        SHAREOUT_INTERVAL_SECONDS: '3600',
        PAYOUT_INTERVAL_SECONDS: '3600',
        RATING_INTERVAL_SECONDS: '3600',
      }),
      await freePort(),
    );
    profile = mkdtempSync(path.join(tmpdir(), 'purepool-console-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await backend?.stop();
    await pool?.close();
    await store?.drop();
  });

  it('exchanges the token for an HttpOnly, SameSite=Strict session cookie; a wrong one gets the sign-in page', async () => {
    const wrong = await post('/admin/login', { token: `${TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That token is not valid.');
    const response = await post('/admin/login', { token: TOKEN });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    expect(response.headers.get('set-cookie')).toMatch(
      /^pp_admin=[^;]+; Path=\/admin; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    const cookie = await signIn();
    const overview = await fetch(`${backend.url}/admin`, { headers: { cookie } });
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await overview.text()).toContain('Open problems');
    // A forged or tampered cookie is no session.
    const forged = await fetch(`${backend.url}/admin`, {
      headers: { cookie: `${cookie.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(401);
  });

  it('accepts a change from a page only with the session’s form token, and only after confirmation', async () => {
    const cookie = await signIn();
    const address = seeded.b.address;
    const minerUrl = `/admin/miners/main/${address}`;
    const page = await (await fetch(`${backend.url}${minerUrl}`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeTruthy();

    const noToken = await post(`${minerUrl}/disable`, { reason: 'x', confirm: 'yes' }, { cookie });
    expect(noToken.status).toBe(403);
    const otherSite = await post(
      `${minerUrl}/disable`,
      { reason: 'x', confirm: 'yes', _csrf: csrf! },
      { cookie, origin: 'https://evil.example' },
    );
    expect(otherSite.status).toBe(403);
    // The API changes nothing for a cookie alone.
    const apiWithCookie = await fetch(`${backend.url}/admin/api/miners/main/${address}/disable`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'x' }),
    });
    expect(apiWithCookie.status).toBe(403);
    expect(await disabled(address)).toBe(false);

    const asked = await post(`${minerUrl}/disable`, { reason: 'spam', _csrf: csrf! }, { cookie });
    expect(asked.status).toBe(200);
    const confirmation = await asked.text();
    expect(confirmation).toContain(`Disable miner ${address}?`);
    expect(await disabled(address)).toBe(false);
    const once = /name="_once" value="([^"]+)"/.exec(confirmation)?.[1];
    expect(once).toMatch(/^[\w-]{22}$/);

    const done = await post(
      `${minerUrl}/disable`,
      { reason: 'spam', _csrf: csrf!, _once: once!, confirm: 'yes' },
      { cookie },
    );
    expect(done.status).toBe(303);
    expect(await disabled(address)).toBe(true);

    const out = await post('/admin/logout', { _csrf: csrf! }, { cookie });
    expect(out.headers.get('set-cookie')).toMatch(/^pp_admin=; .*Max-Age=0/);
  });

  it('books a confirmed change once: the same form sent again changes nothing, a form without its nonce is refused', async () => {
    const cookie = await signIn();
    const { address } = await store.factories.miner({ network: 'main' });
    const minerUrl = `/admin/miners/main/${address}`;
    const page = await (await fetch(`${backend.url}${minerUrl}`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const adjustments = async (): Promise<number> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM ledger_entry l JOIN miner m ON m.id = l.miner_id
          WHERE m.address = ? AND l.category = 'adjustment'`,
        [address],
      );
      return Number(row.n);
    };
    const before = await adjustments();
    const form = { amount: '0.5', reason: 'goodwill', _csrf: csrf };
    const asked = await (await post(`${minerUrl}/adjustments`, form, { cookie })).text();
    const once = /name="_once" value="([^"]+)"/.exec(asked)![1];

    const first = await post(
      `${minerUrl}/adjustments`,
      { ...form, _once: once, confirm: 'yes' },
      { cookie },
    );
    // (the page's text when it is not the redirect: what the console said went wrong)
    expect({ status: first.status, page: first.status === 303 ? '' : await first.text() }).toEqual({
      status: 303,
      page: '',
    });
    const again = await post(
      `${minerUrl}/adjustments`,
      { ...form, _once: once, confirm: 'yes' },
      { cookie },
    );
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already made');
    const bare = await post(`${minerUrl}/adjustments`, { ...form, confirm: 'yes' }, { cookie });
    expect(bare.status).toBe(400);
    expect(await adjustments()).toBe(before + 1);
  });

  it('re-credits a conflicted payment from the problems page: confirmation, one-time form, in the trail', async () => {
    const miner = await store.factories.miner({ network: 'main' });
    const payment = await store.factories.payOut([{ miner, amount: 250_000_000n }]);
    await db.query(
      "UPDATE payment SET wallet_problem = 'conflicted: the wallet reports -1 confirmations', problem_at = UTC_TIMESTAMP(3) WHERE id = ?",
      [payment.id],
    );
    const cookie = await signIn();
    const page = await (
      await fetch(`${backend.url}/admin/problems`, { headers: { cookie } })
    ).text();
    const route = `/admin/payments/main/${payment.batchId}/recredit`;
    expect(page).toContain(`action="${route}"`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const statusOf = async (): Promise<string> => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        'SELECT status FROM payment WHERE id = ?',
        [payment.id],
      );
      return String(row.status);
    };

    const noToken = await post(route, { reason: 'x', confirm: 'yes' }, { cookie });
    expect(noToken.status).toBe(403);
    const asked = await post(route, { reason: 'double spend mined', _csrf: csrf }, { cookie });
    expect(asked.status).toBe(200);
    const confirmation = await asked.text();
    expect(confirmation).toContain(`Re-credit payment ${payment.batchId}?`);
    expect(await statusOf()).toBe('sent');
    const once = /name="_once" value="([^"]+)"/.exec(confirmation)![1];
    const form = { reason: 'double spend mined', _csrf: csrf, _once: once, confirm: 'yes' };
    const done = await post(route, form, { cookie });
    expect({ status: done.status, page: done.status === 303 ? '' : await done.text() }).toEqual({
      status: 303,
      page: '',
    });
    expect(await statusOf()).toBe('failed');
    const again = await post(route, form, { cookie });
    expect(again.status).toBe(409);
    const [[balance]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT COALESCE(SUM(amount), 0) AS b FROM ledger_entry WHERE miner_id = ?',
      [miner.id],
    );
    // The payout's hold (−2.5 BBP, no credit seeded) is given back once: the balance nets to 0.
    expect(BigInt(balance.b)).toBe(0n);
    const [trail] = await db.query<mysql.RowDataPacket[]>(
      "SELECT actor, target, reason FROM admin_action WHERE action = 'payment.recredit'",
    );
    expect(trail).toEqual([
      { actor: 'bob', target: payment.batchId, reason: 'double spend mined' },
    ]);
  });

  it('signs out on the server: a copy of the cookie taken before sign-out opens nothing afterwards', async () => {
    const cookie = await signIn();
    const copy = cookie;
    const page = await (await fetch(`${backend.url}/admin`, { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
    const out = await post('/admin/logout', { _csrf: csrf }, { cookie });
    expect(out.status).toBe(303);
    for (const route of ['/admin', '/admin/problems', '/admin/api/miners?q=x']) {
      const response = await fetch(`${backend.url}${route}`, { headers: { cookie: copy } });
      expect({ route, status: response.status }).toEqual({ route, status: 401 });
    }
    // A new sign-in opens a new session.
    const fresh = await signIn();
    expect((await fetch(`${backend.url}/admin`, { headers: { cookie: fresh } })).status).toBe(200);
  });

  async function openPage(): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    return page;
  }

  it('in Chromium: sign in, search, read a miner’s story, adjust its balance with confirmation, see it in the trail', async () => {
    const page = await openPage();
    // (/admin itself answers 401 with this form; a browser logs that as an error, so start here)
    await page.goto(`${backend.url}/admin/login`);
    expect(await page.textContent('h1')).toBe('Sign in');
    await page.fill('input[name=token]', TOKEN);
    await Promise.all([page.waitForURL(`${backend.url}/admin`), page.click('button[type=submit]')]);
    expect(await page.textContent('h1')).toBe('Overview');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-overview.png'), fullPage: true });

    const address = seeded.a.address;
    await page.fill('header input[name=q]', address);
    await Promise.all([
      page.waitForURL(`**/admin/miners/main/${address}`),
      page.press('header input[name=q]', 'Enter'),
    ]);
    expect(await page.textContent('h1')).toBe(`Miner ${address}`);
    const story = await page.innerText('main');
    expect(story).toContain('100.12345678 BBP');
    expect(story).toContain(HOSTILE_WORKER); // shown as text
    expect(await page.$$eval('main img', (imgs) => imgs.length)).toBe(0);

    await page.fill('input[name=amount]', '-0.12345678');
    await page.fill('form[action$="/adjustments"] input[name=reason]', 'fee refund booked twice');
    await page.click('form[action$="/adjustments"] button');
    expect(await page.textContent('h1')).toBe(`Adjust the balance of ${address}?`);
    expect(await page.innerText('main')).toContain('100 BBP');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-confirm.png'), fullPage: true });
    await Promise.all([
      page.waitForURL(`**/admin/miners/main/${address}`),
      page.click('button:has-text("Book the adjustment")'),
    ]);
    expect(await page.innerText('dd.balance')).toBe('100 BBP');
    expect(await page.innerText('main')).toContain('fee refund booked twice');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-miner.png'), fullPage: true });

    await page.click('a:has-text("Audit trail")');
    const trail = await page.innerText('main');
    expect(trail).toContain('balance.adjust');
    expect(trail).toContain('miner.disable');
    expect(trail).toContain('bob');

    await page.click('a:has-text("Reports & dry runs")');
    await page.click('button:has-text("Run the audit")');
    // this one and the resubmission test's (booked once, though its form was sent twice)
    expect(await page.innerText('section.report')).toContain('Manual adjustments: 2');
    await page.click('a:has-text("Open problems")');
    expect(await page.textContent('h1')).toBe('Open problems');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'console-problems.png'), fullPage: true });
    await page.close();
    expect(problems).toEqual([]);
  });
});
