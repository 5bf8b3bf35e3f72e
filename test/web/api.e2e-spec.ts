import type { OpenAPIObject } from '@nestjs/swagger';
import { randomAddress } from '../../src/biblepay/address';
import { RunningApp, startRole } from '../support/harness';
import { poolAddresses } from '../support/test-env';
import type {
  BlockPageDto,
  CompatStatisticsDto,
  CompatSubsidySumDto,
  ErrorDto,
  HourSharesDto,
  MinerSummaryDto,
  PaymentPageDto,
  PoolSummaryDto,
  WorkerDto,
} from '../../src/modules/web/api/dto';
import { isolatedDatabase, IsolatedDatabase } from '../support/isolated-database';
import { SeededPool, seedPool } from './pool-fixture';

let store: IsolatedDatabase;
let seeded: SeededPool;
let frontend: RunningApp;

beforeAll(async () => {
  store = await isolatedDatabase('api');
  seeded = await seedPool(store.factories);
  frontend = await startRole('frontend', {
    DATABASE_URL: store.frontendUrl,
    WEB_CACHE_SECONDS: '0',
    PAYOUT_MINIMUM_MAIN: '25.5',
  });
});

afterAll(async () => {
  await frontend?.close();
  await store?.drop();
});

/** A JSON answer, typed as the DTO the API documents for it. */
async function get<T = ErrorDto>(
  path: string,
): Promise<{ status: number; body: T; type: string | null }> {
  const res = await fetch(`${frontend.url}${path}`);
  const text = await res.text();
  const type = res.headers.get('content-type');
  return {
    status: res.status,
    body: (type?.includes('json') ? JSON.parse(text) : text) as T,
    type,
  };
}

async function expectBadRequest(path: string, message: RegExp): Promise<void> {
  const res = await get<ErrorDto>(path);
  expect({ path, status: res.status }).toEqual({ path, status: 400 });
  expect(res.type).toContain('application/json');
  expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
  expect(res.body.message).toMatch(message);
}

describe('compatibility API (original field names)', () => {
  it('answers /:network/api/statistics with the original fields and exact coins', async () => {
    const res = await get<CompatStatisticsDto>('/main/api/statistics');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      network: 'main',
      days: 1,
      current_height: 1040,
      all_blocks: 6,
      pool_blocks: 3,
      pool_blocks_percent: 50,
      bbp_mined: 11234.56789012,
      miners_count: 2,
    });
  });

  it('answers block_subsidysum with the sum and count of all blocks in the last days', async () => {
    // Last day: P2, P4, P5 (5000 + 1234.56789012 + 5000) and three others at 4000.25.
    expect((await get<CompatSubsidySumDto>('/main/api/block_subsidysum/1')).body).toEqual({
      sum: 23235.31789012,
      count: 6,
    });
    // Two days: also P1 and the other block of 30 h ago.
    expect((await get<CompatSubsidySumDto>('/main/api/block_subsidysum/2')).body).toEqual({
      sum: 32235.56789012,
      count: 8,
    });
    expect((await get<CompatSubsidySumDto>('/test/api/block_subsidysum/1')).body).toEqual({
      sum: null,
      count: 0,
    });
  });

  it('refuses bad days with a 400 JSON body and an unknown network with a 404 JSON body', async () => {
    await expectBadRequest('/main/api/block_subsidysum/0', /days must be an integer from 1/);
    await expectBadRequest('/main/api/block_subsidysum/abc', /days/);
    await expectBadRequest('/main/api/block_subsidysum/-3', /days/);
    await expectBadRequest('/main/api/block_subsidysum/99999999999999999999', /days/);
    const unknown = await get('/moon/api/statistics');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('REST API /api/v1', () => {
  it('lists every served network with its summary, amounts as exact strings', async () => {
    const res = await get<PoolSummaryDto[]>('/api/v1/pools');
    expect(res.status).toBe(200);
    expect(res.body.map((p) => p.network)).toEqual(['main', 'test']);
    const main = res.body[0];
    expect(main).toMatchObject({
      network: 'main',
      poolAddress: poolAddresses().main,
      currentHeight: 1040,
      last24h: { allBlocks: 6, poolBlocks: 3, poolBlocksPercent: 50, coinsMined: '11234.56789012' },
      activeMiners: 2,
      hashesPerSecond: 8000,
      workers: 3,
      payoutMinimum: '25.5',
      feePercent: '0',
    });
    expect(res.body[1]).toMatchObject({ network: 'test', activeMiners: 1, currentHeight: null });
    const { generatedAt: _one, ...mainSummary } = main;
    const { generatedAt: _other, ...again } = (await get<PoolSummaryDto>('/api/v1/pools/main'))
      .body;
    expect(again).toEqual(mainSummary);
    expect((await get('/api/v1/pools/moon')).status).toBe(404);
  });

  it('pages through the pool blocks newest first, or through every block', async () => {
    const first = await get<BlockPageDto>('/api/v1/pools/main/blocks?page=1&pageSize=2');
    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 5 });
    expect(first.body.items).toEqual([
      expect.objectContaining({
        height: 1040,
        status: 'pending',
        confirmations: 7,
        poolBlock: true,
        subsidy: '5000',
        finder: seeded.b.address,
      }),
      expect.objectContaining({ height: 1030, status: 'mature', subsidy: '1234.56789012' }),
    ]);
    const last = await get<BlockPageDto>('/api/v1/pools/main/blocks?page=3&pageSize=2');
    expect(last.body.items.map((b) => [b.height, b.status])).toEqual([[1001, 'paid']]);
    const middle = await get<BlockPageDto>('/api/v1/pools/main/blocks?page=2&pageSize=2');
    expect(middle.body.items.map((b) => b.status)).toEqual(['orphaned', 'credited']);
    const all = await get<BlockPageDto>('/api/v1/pools/main/blocks?pool=false&pageSize=100');
    expect(all.body.total).toBe(9);
    expect(all.body.items.map((b) => b.height)).toEqual([
      1040, 1035, 1030, 1025, 1020, 1015, 1010, 1001, 995,
    ]);
    expect((await get<BlockPageDto>('/api/v1/pools/main/blocks?page=9')).body.items).toEqual([]);
  });

  it('refuses malformed paging and flags with 400 and a message naming the parameter', async () => {
    await expectBadRequest(
      '/api/v1/pools/main/blocks?page=0',
      /^page must be an integer from 1 to/,
    );
    await expectBadRequest('/api/v1/pools/main/blocks?page=abc', /^page/);
    await expectBadRequest('/api/v1/pools/main/blocks?page=1.5', /^page/);
    await expectBadRequest('/api/v1/pools/main/blocks?page=1&page=2', /^page/);
    await expectBadRequest(
      '/api/v1/pools/main/blocks?pageSize=101',
      /^pageSize must be an integer from 1 to 100/,
    );
    await expectBadRequest('/api/v1/pools/main/blocks?pool=maybe', /^pool must be true or false/);
    await expectBadRequest(
      `/api/v1/pools/main/miners/${seeded.a.address}/shares?hours=169`,
      /^hours must be an integer from 1 to 168/,
    );
    await expectBadRequest(
      `/api/v1/pools/main/miners/${seeded.a.address}/payments?pageSize=0`,
      /^pageSize/,
    );
  });

  it('summarises a miner from the ledger: balance, credits, sent payouts and pending ones', async () => {
    const a = await get<MinerSummaryDto>(`/api/v1/pools/main/miners/${seeded.a.address}`);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      network: 'main',
      address: seeded.a.address,
      disabled: false,
      balance: '100.12345678',
      totalCredited: '3100.12345678',
      totalPaid: '3000',
      pendingPayout: '0',
      shares24h: 42,
      hashesPerSecond: 7000,
      activeWorkers: 3,
    });
    const b = await get<MinerSummaryDto>(`/api/v1/pools/main/miners/${seeded.b.address}`);
    expect(b.body).toMatchObject({ balance: '0', totalPaid: '1000.5', pendingPayout: '20' });
    const disabled = await get<MinerSummaryDto>(
      `/api/v1/pools/main/miners/${seeded.disabled.address}`,
    );
    expect(disabled.body).toMatchObject({ disabled: true, shares24h: 0, lastShareAt: null });
  });

  it('answers an unknown miner with 404 and an invalid address with 400, as JSON', async () => {
    const unknown = await get(`/api/v1/pools/main/miners/${randomAddress('main')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'no miner with this address on main',
    });
    // A testnet miner's address is not a main address at all.
    await expectBadRequest(
      `/api/v1/pools/main/miners/${seeded.testnetMiner.address}`,
      /not a valid BiblePay main address/,
    );
    await expectBadRequest('/api/v1/pools/main/miners/%3Cscript%3E/workers', /address/);
    for (const sub of ['workers', 'payments', 'shares']) {
      expect((await get(`/api/v1/pools/main/miners/${randomAddress('main')}/${sub}`)).status).toBe(
        404,
      );
    }
  });

  it('lists a miner’s active workers with shares, weight and hashrate', async () => {
    const res = await get<WorkerDto[]>(`/api/v1/pools/main/miners/${seeded.a.address}/workers`);
    const byName = Object.fromEntries(res.body.map((w) => [w.name, w]));
    expect(Object.keys(byName).sort()).toEqual(['<img src=x onerror=alert(1)>', 'rig1', 'rig2']);
    expect(byName.rig1).toMatchObject({ shares: 30, shareWeight: '30', hashesPerSecond: 4000 });
    expect(byName.rig2).toMatchObject({ shares: 10, hashesPerSecond: 3000 });
    expect(byName['<img src=x onerror=alert(1)>']).toMatchObject({ shares: 2, hashesPerSecond: 0 });
  });

  it('lists a miner’s payouts newest first with status and txid', async () => {
    const a = await get<PaymentPageDto>(`/api/v1/pools/main/miners/${seeded.a.address}/payments`);
    expect(a.body).toMatchObject({ page: 1, pageSize: 20, total: 2 });
    expect(a.body.items).toEqual([
      expect.objectContaining({ amount: '50', status: 'failed', txid: null }),
      expect.objectContaining({ amount: '3000', status: 'sent', txid: seeded.p1Payment.txid }),
    ]);
    const b = await get<PaymentPageDto>(
      `/api/v1/pools/main/miners/${seeded.b.address}/payments?pageSize=1&page=1`,
    );
    expect(b.body.total).toBe(2);
    expect(b.body.items).toEqual([
      expect.objectContaining({ amount: '20', status: 'intent', txid: null }),
    ]);
  });

  it('counts a miner’s accepted and rejected shares per UTC hour, zero-filled', async () => {
    const hours = 3;
    const res = await get<HourSharesDto[]>(
      `/api/v1/pools/main/miners/${seeded.a.address}/shares?hours=${hours}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(hours);
    const now = Date.now();
    const currentHour = Math.floor(now / 3_600_000) * 3_600_000;
    const expected = Array.from({ length: hours }, (_, i) => {
      const start = currentHour - (hours - 1 - i) * 3_600_000;
      return {
        hour: new Date(start).toISOString(),
        accepted: seeded.shares.filter(
          (s) => s.miner === 'a' && s.at >= start && s.at < start + 3_600_000,
        ).length,
      };
    });
    expect(
      res.body.map((h) => ({
        hour: h.hour,
        accepted: h.accepted,
      })),
    ).toEqual(expected);
    const rejected = res.body.reduce((sum, h) => sum + h.rejected, 0);
    expect(rejected).toBe(4); // 3 above_target two hours ago + 1 stale_work, all within 3 hours
    const day = await get<HourSharesDto[]>(`/api/v1/pools/main/miners/${seeded.a.address}/shares`);
    expect(day.body).toHaveLength(24);
  });

  it('never answers a 500 to malformed paths or queries', async () => {
    const paths = [
      '/api/v1/pools/main/blocks?page=%00',
      '/api/v1/pools/main/blocks?pageSize[]=1',
      '/api/v1/pools/%E2%82%AC/blocks',
      '/api/v1/pools/main/miners/' + 'B'.repeat(500),
      '/main/api/block_subsidysum/1e3',
      '/main/miner/' + encodeURIComponent('"><script>') + '/',
      '/main/search?address=' + 'x'.repeat(5000),
      '/main/search?address=a&address=b',
    ];
    for (const path of paths) {
      const res = await fetch(`${frontend.url}${path}`, { redirect: 'manual' });
      await res.arrayBuffer();
      expect({ path, status: res.status < 500 }).toEqual({ path, status: true });
    }
  });
});

describe('OpenAPI', () => {
  it('documents the v1 and compatibility endpoints at /api/docs-json and serves the UI at /api/docs', async () => {
    const doc = await get<OpenAPIObject>('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.info.title).toBe('Purepool API');
    expect(Object.keys(doc.body.paths).sort()).toEqual([
      '/api/v1/pools',
      '/api/v1/pools/{network}',
      '/api/v1/pools/{network}/blocks',
      '/api/v1/pools/{network}/miners/{address}',
      '/api/v1/pools/{network}/miners/{address}/payments',
      '/api/v1/pools/{network}/miners/{address}/shares',
      '/api/v1/pools/{network}/miners/{address}/workers',
      '/{network}/api/block_subsidysum/{days}',
      '/{network}/api/statistics',
    ]);
    const blocks = doc.body.paths['/api/v1/pools/{network}/blocks'].get!;
    const parameters = (blocks.parameters ?? []) as { name: string }[];
    expect(parameters.map((p) => p.name).sort()).toEqual(['network', 'page', 'pageSize', 'pool']);
    expect(Object.keys(blocks.responses).sort()).toEqual(['200', '400', '404']);
    const summary = doc.body.components!.schemas!.MinerSummaryDto as {
      properties: Record<string, { type?: string }>;
    };
    expect(summary.properties.balance.type).toBe('string');

    const ui = await fetch(`${frontend.url}/api/docs`);
    expect(ui.status).toBe(200);
    const html = await ui.text();
    expect(html).toContain('swagger-ui');
    const script = /src="\.\/([^"]*swagger-ui-bundle\.js)"/.exec(html);
    expect(script).not.toBeNull();
    const bundle = await fetch(`${frontend.url}/api/docs/${script![1]}`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});

describe('database failure', () => {
  it('answers 503 (a page for browsers, JSON for the API) when the data cannot be read, never 500', async () => {
    await store.db.query('RENAME TABLE block TO block_away');
    try {
      const api = await get('/api/v1/pools/main');
      expect(api.status).toBe(503);
      expect(api.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect((await get('/main/api/statistics')).status).toBe(503);
      const page = await fetch(`${frontend.url}/main/statistics`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('Temporarily unavailable');
    } finally {
      await store.db.query('RENAME TABLE block_away TO block');
    }
    expect((await get('/api/v1/pools/main')).status).toBe(200);
  });
});
