import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { randomAddress } from '../../src/biblepay/address';
import {
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_QUEUE,
  SOLUTION_EXCHANGE,
} from '../../src/messaging/broker-topology';
import { encodeSolutionMessages } from '../../src/messaging/solution-message';
import { mineOneShare, PoolRefusedError, requestWork } from '../../sim/miner/sim-miner';
import { backendBroker, eventually, queueDepth, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, RoleProcess, startRoleProcess } from '../support/role-process';
import { solutionMessage } from '../support/solutions';
import { roleEnv } from '../support/test-env';
import { CliResult, runCli } from '../support/backend-cli';

const TOKEN = 'console-test-token-0123456789abcdef';
const OTHER = 'second-operator-token-fedcba9876543210';

/**
 * Issue 16: the operator console's JSON API on the backend, behind its token. Real frontend,
 * backend process, MariaDB, RabbitMQ and simulated node; its own database so the audit sees only
 * this pool's ledger.
 */
describe('operator console: authentication, actions, audit trail (JSON API)', () => {
  let pool: PoolFixture;
  let store: IsolatedDatabase;
  let frontend: RunningApp;
  let backend: RoleProcess;
  let env: Record<string, string>;
  let db: mysql.Connection;
  const address = randomAddress('main');
  const minerPath = `/admin/api/miners/main/${address}`;

  const api = (
    route: string,
    options: {
      token?: string | null;
      method?: string;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ) =>
    fetch(`${backend.url}${route}`, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(options.token === null ? {} : { authorization: `Bearer ${options.token ?? TOKEN}` }),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: 'manual',
    });
  const json = async (response: Response): Promise<Record<string, unknown>> =>
    (await response.json()) as Record<string, unknown>;
  const getwork = () =>
    requestWork({ pool: frontend.url, network: 'main', workerId: `${address}/rig1` });

  beforeAll(async () => {
    pool = await startPoolFixture();
    store = await isolatedDatabase('console');
    db = store.db;
    frontend = await startRole('frontend', {
      ...pool.env,
      DATABASE_URL: store.frontendUrl,
      MINER_CACHE_SECONDS: '1',
      WEB_CACHE_SECONDS: '0',
    });
    env = roleEnv('backend', {
      ...pool.env,
      DATABASE_URL: store.backendUrl,
      ADMIN_TOKEN: TOKEN,
      ADMIN_TOKEN_LABEL: 'alice',
      ADMIN_ALLOW_IPS: '127.0.0.0/8, ::1',
      ADMIN_LOGIN_FAILURES_PER_MINUTE: '8',
      TRUST_PROXY: '127.0.0.1',
      BLOCK_POLL_SECONDS: '3600',
      SHAREOUT_INTERVAL_SECONDS: '3600',
      PAYOUT_INTERVAL_SECONDS: '3600',
      RATING_INTERVAL_SECONDS: '3600',
    });
    backend = await startRoleProcess(env, await freePort());
    const share = await mineOneShare({
      pool: frontend.url,
      network: 'main',
      node: pool.node.url,
      workerId: `${address}/rig1`,
    });
    expect(share.outcomes).toEqual([{ ok: true, workId: share.work.workId }]);
  });
  afterAll(async () => {
    await backend?.stop();
    await frontend?.close();
    await pool?.close();
    await store?.drop();
  });

  it('without a token gives nothing: 401 with a JSON body on the API, the sign-in page elsewhere', async () => {
    for (const route of [
      '/admin/api/miners?q=' + address,
      minerPath,
      '/admin/api/actions',
      '/admin/api/docs',
      '/admin/api/docs-json',
    ]) {
      const response = await api(route, { token: null });
      expect({ route, status: response.status }).toEqual({ route, status: 401 });
      const text = await response.text();
      expect(text).not.toContain(address);
      if (route !== '/admin/api/docs' && route !== '/admin/api/docs-json') {
        expect(JSON.parse(text)).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    }
    const page = await api(`/admin/miners/main/${address}`, { token: null });
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('Sign in');
    expect(html).not.toContain(address);
  });

  it('documents its API in its own OpenAPI document, behind the same token', async () => {
    const doc = (await json(await api('/admin/api/docs-json'))) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/api/miners',
        '/admin/api/miners/{network}/{address}',
        '/admin/api/miners/{network}/{address}/disable',
        '/admin/api/miners/{network}/{address}/enable',
        '/admin/api/miners/{network}/{address}/adjustments',
        '/admin/api/actions',
      ]),
    );
    // The public API's document lists none of them.
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/admin/api'))).toBe(true);
  });

  it('refuses a token that is wrong by one character', async () => {
    const wrong = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('f') ? 'e' : 'f'}`;
    const response = await api(minerPath, { token: wrong });
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ statusCode: 401 });
    expect((await api(minerPath)).status).toBe(200);
  });

  it('keeps the console to the allow-list, judged on the client address TRUST_PROXY yields', async () => {
    const outside = await api(minerPath, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(outside.status).toBe(403);
    expect(await outside.text()).not.toContain(address);
    const inside = await api(minerPath, { headers: { 'x-forwarded-for': '127.0.0.2' } });
    expect(inside.status).toBe(200);
  });

  it('finds the miner and tells its whole story', async () => {
    const found = await json(await api(`/admin/api/miners?q=${address.slice(0, 12)}`));
    expect(found.miners).toEqual([
      expect.objectContaining({ network: 'main', address, disabled: false, balance: '0' }),
    ]);
    const byWorker = await json(await api('/admin/api/miners?q=rig1'));
    expect(byWorker.miners).toEqual(
      expect.arrayContaining([expect.objectContaining({ address, workers: ['rig1'] })]),
    );
    const story = await json(await api(minerPath));
    expect(story).toMatchObject({
      miner: { address, network: 'main', disabled: false },
      balance: '0',
      workers: [expect.objectContaining({ name: 'rig1', shares: 1 })],
      shares: [expect.objectContaining({ worker: 'rig1' })],
    });
    expect((await api('/admin/api/miners/main/BnotAnAddress')).status).toBe(400);
    expect((await api(`/admin/api/miners/main/${randomAddress('main')}`)).status).toBe(404);
  });

  it('disables a miner (its next getwork gets the protocol error) and enabling it restores work', async () => {
    expect((await api(`${minerPath}/disable`, { body: {} })).status).toBe(400); // reason required
    const off = await api(`${minerPath}/disable`, { body: { reason: 'botnet reports' } });
    expect(off.status).toBe(200);
    expect(await json(off)).toMatchObject({ address, disabled: true, changed: true });
    const refused = await eventually(
      () =>
        getwork().then(
          () => null,
          (e: unknown) => e,
        ),
      (e) => e instanceof PoolRefusedError,
      5_000,
    );
    expect(refused).toBeInstanceOf(PoolRefusedError);
    expect((refused as Error).message).toBe(`Miner ${address} is disabled`);
    // Again: nothing changes, nothing is recorded.
    expect(
      await json(await api(`${minerPath}/disable`, { body: { reason: 'again' } })),
    ).toMatchObject({ changed: false, actionId: null });

    const on = await api(`${minerPath}/enable`, { body: { reason: 'owner explained, fixed' } });
    expect(await json(on)).toMatchObject({ disabled: false, changed: true });
    const work = await eventually(
      () => getwork().catch(() => null),
      (w) => w !== null,
      5_000,
    );
    expect(work?.minerGuid).toBeTruthy();
  });

  it('books a balance adjustment in its own ledger category: on the public page, and the audit passes', async () => {
    for (const [body, message] of [
      [{ amount: '1.123456789', reason: 'x' }, /not a coin amount/],
      [{ amount: 2.5, reason: 'x' }, /decimal string/],
      [{ amount: '0', reason: 'x' }, /not be zero/],
      [{ amount: '-1', reason: 'x' }, /would leave it negative/],
      [{ amount: '1' }, /reason is required/],
    ] as const) {
      const refused = await api(`${minerPath}/adjustments`, { body });
      expect(refused.status).toBe(400);
      expect(String((await json(refused)).message)).toMatch(message);
    }
    const booked = await api(`${minerPath}/adjustments`, {
      body: { amount: '2.5', reason: 'goodwill for the node outage' },
    });
    expect(booked.status).toBe(201);
    expect(await json(booked)).toMatchObject({
      amount: '2.5',
      balanceBefore: '0',
      balanceAfter: '2.5',
    });
    const down = await json(
      await api(`${minerPath}/adjustments`, { body: { amount: '-0.5', reason: 'double booking' } }),
    );
    expect(down).toMatchObject({ balanceBefore: '2.5', balanceAfter: '2' });
    const [entries] = await db.query<mysql.RowDataPacket[]>(
      "SELECT amount, note FROM ledger_entry WHERE category = 'adjustment' ORDER BY id",
    );
    expect(entries.map((e) => [String(e.amount), String(e.note)])).toEqual([
      ['250000000', 'goodwill for the node outage'],
      ['-50000000', 'double booking'],
    ]);

    const page = await (await fetch(`${frontend.url}/main/miner/${address}/`)).text();
    expect(page).toContain('Adjustment by the pool: goodwill for the node outage');
    expect(page).toContain('Adjustment by the pool: double booking');

    const audit = await cli(['audit']);
    expect(audit.code).toBe(0);
    expect(audit.out).toContain('main: OK');
    expect(audit.out).toContain('manual adjustments (operator console): 2, Σ 2 BBP');
    const report = await json(await api('/admin/api/reports/audit', { body: { network: 'main' } }));
    expect(report).toMatchObject({ ok: true, adjustments: { count: 2, total: '2' } });
  });

  it('runs dry runs and reports without changing anything', async () => {
    const before = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) n FROM ledger_entry');
    const plan = await json(
      await api('/admin/api/dry-runs/payouts', { body: { network: 'main' } }),
    );
    expect(plan).toMatchObject({ network: 'main' });
    const shareout = await api('/admin/api/dry-runs/shareout', { body: { network: 'main' } });
    expect(shareout.status).toBe(200);
    const funding = await json(
      await api('/admin/api/reports/funding', { body: { network: 'main' } }),
    );
    expect(funding).toHaveProperty('required');
    expect((await api('/admin/api/reports/funding', { body: { network: 'nope' } })).status).toBe(
      400,
    );
    const after = await db.query<mysql.RowDataPacket[]>('SELECT COUNT(*) n FROM ledger_entry');
    expect(after[0]).toEqual(before[0]);
  });

  it('lists a dead-lettered frontend group with its solution count, network and worker', async () => {
    const { connection, channel } = await backendBroker();
    try {
      const miner = `${randomAddress('main')}/dlq`;
      const key = `group-${randomUUID()}`;
      // as the consumer dead-letters a batch that kept failing
      channel.publish(
        DEAD_LETTER_EXCHANGE,
        '',
        encodeSolutionMessages([solutionMessage(1, { miner }), solutionMessage(2, { miner })]),
        {
          persistent: true,
          messageId: key,
        },
      );
      const listed = await eventually(
        async () =>
          (await json(await api('/admin/api/dead-letters'))).messages as Record<string, unknown>[],
        (m) => m.some((x) => x.key === key),
        10_000,
      );
      expect(listed.find((x) => x.key === key)).toMatchObject({
        network: 'main',
        miner,
        solutions: 2,
      });
      expect((await api(`/admin/api/dead-letters/${key}/discard`, { body: {} })).status).toBe(200);
    } finally {
      await connection.close();
    }
  });

  it('requeues or discards dead-lettered solution messages', async () => {
    const { connection, channel } = await backendBroker();
    try {
      const poison = (tag: string) =>
        channel.publish(SOLUTION_EXCHANGE, 'solution', Buffer.from(`not a solution ${tag}`), {
          persistent: true,
          messageId: `poison-${tag}-${Date.now()}`,
        });
      const tag = Math.random().toString(36).slice(2, 8);
      poison(tag);
      const listed = await eventually(
        async () =>
          (await json(await api('/admin/api/dead-letters'))).messages as {
            key: string;
            preview: string;
          }[],
        (m) => m.some((x) => x.preview === `not a solution ${tag}`),
        10_000,
      );
      const mine = listed.find((x) => x.preview === `not a solution ${tag}`)!;
      const depth = await queueDepth(channel, DEAD_LETTER_QUEUE);

      const requeued = await api(`/admin/api/dead-letters/${mine.key}/requeue`, {
        body: { reason: 'after the consumer fix' },
      });
      expect(requeued.status).toBe(200);
      // A poison message goes back to the dead-letter queue after its second try.
      await eventually(
        async () =>
          (await json(await api('/admin/api/dead-letters'))).messages as { key: string }[],
        (m) => m.some((x) => x.key === mine.key),
        10_000,
      );
      const discarded = await api(`/admin/api/dead-letters/${mine.key}/discard`, { body: {} });
      expect(discarded.status).toBe(200);
      expect(await queueDepth(channel, DEAD_LETTER_QUEUE)).toBe(depth - 1);
      expect((await api(`/admin/api/dead-letters/${mine.key}/discard`, { body: {} })).status).toBe(
        404,
      );
    } finally {
      await connection.close();
    }
  });

  it('writes every action to the trail: who, when, what, before and after', async () => {
    const trail = await json(await api('/admin/api/actions'));
    const actions = trail.actions as {
      actor: string;
      action: string;
      target: string | null;
      reason: string | null;
      before: unknown;
      after: unknown;
      createdAt: string;
    }[];
    const kinds = actions.map((a) => a.action);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'miner.disable',
        'miner.enable',
        'balance.adjust',
        'payouts.dry-run',
        'shareout.dry-run',
        'report.audit',
        'report.funding',
        'dead-letter.requeue',
        'dead-letter.discard',
      ]),
    );
    expect(
      actions.every((a) => a.actor === 'alice' && !Number.isNaN(Date.parse(a.createdAt))),
    ).toBe(true);
    expect(actions.find((a) => a.action === 'miner.disable')).toMatchObject({
      target: address,
      reason: 'botnet reports',
      before: { disabled: false },
      after: { disabled: true },
    });
    expect(
      actions.find((a) => a.action === 'balance.adjust' && a.reason === 'double booking'),
    ).toMatchObject({ before: { balance: '2.5' }, after: { balance: '2', amount: '-0.5' } });
    expect(JSON.stringify(trail)).not.toContain(TOKEN);
  });

  it('limits failed sign-ins per address: past the limit even the right token gets 429', async () => {
    let status = 0;
    for (let i = 0; i < 10 && status !== 429; i++)
      status = (await api(minerPath, { token: OTHER })).status;
    expect(status).toBe(429);
    expect((await api(minerPath)).status).toBe(429);
    const login = await fetch(`${backend.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${TOKEN}`,
      redirect: 'manual',
    });
    expect(login.status).toBe(429);
  });

  const cli = (args: string[]): Promise<CliResult> => runCli(env, [...args, '--network', 'main']);
});
