import { randomAddress } from '../../src/biblepay/address';
import type { MinerSummaryDto, PoolSummaryDto } from '../../src/modules/web/api/dto';
import { RunningApp, startRole } from '../support/harness';
import { freePort } from '../support/role-process';
import { isolatedDatabase, IsolatedDatabase } from '../support/isolated-database';
import { redisServerInstalled, startRedis, TestRedis } from '../support/redis-server';
import { SeededPool, seedPool } from './pool-fixture';

// The project's machines have Debian's redis-server; elsewhere say so instead of failing.
const withRedis = redisServerInstalled() ? describe : describe.skip;
if (!redisServerInstalled())
  console.warn('shared-cache tests skipped: apt-get install redis-server');

let store: IsolatedDatabase;
let seeded: SeededPool;
let redis: TestRedis;
let one: RunningApp;
let two: RunningApp;

withRedis('shared web cache (CACHE_URL: one Redis for every frontend)', () => {
  beforeAll(async () => {
    store = await isolatedDatabase('cache');
    seeded = await seedPool(store.factories);
    redis = await startRedis();
    const env = { DATABASE_URL: store.frontendUrl, CACHE_URL: redis.url, WEB_CACHE_SECONDS: '60' };
    one = await startRole('frontend', env);
    two = await startRole('frontend', env);
  });

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await redis?.stop();
    await store?.drop();
  });

  const json = async <T>(app: RunningApp, path: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${app.url}${path}`);
    return { status: res.status, body: (await res.json()) as T };
  };

  it('a read one frontend made is served by the other from Redis, not from the database', async () => {
    const first = await json<PoolSummaryDto>(one, '/api/v1/pools/main');
    expect(first.body.currentHeight).toBe(1040);
    await store.factories.block({ network: 'main', height: 1050 });
    const other = await json<PoolSummaryDto>(two, '/api/v1/pools/main');
    expect(other.body.currentHeight).toBe(1040);
    expect(other.body.generatedAt).toBe(first.body.generatedAt);
    expect(redis.cli('KEYS', 'purepool:web::*').split('\n')).toContain(
      'purepool:web::summary:main',
    );
  });

  it('amounts (bigint) and times (Date) come back from Redis as such: exact JSON, whole pages', async () => {
    const path = `/api/v1/pools/main/miners/${seeded.a.address}`;
    const fromDb = await json<MinerSummaryDto>(one, path);
    const fromRedis = await json<MinerSummaryDto>(two, path);
    expect(fromRedis).toEqual(fromDb);
    expect(fromRedis.body).toMatchObject({ balance: '100.12345678', totalPaid: '3000' });
    expect(fromRedis.body.firstSeenAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    const stored = redis.cli('GET', `purepool:web::minerSummary:${seeded.a.id}`);
    expect(stored).toContain('"$type":"bigint"');
    expect(stored).toContain('"$type":"date"');
    // The miner page formats coins from bigint and dates with Date methods: a string would 503.
    const pages = await Promise.all(
      [one, two].map((app) => fetch(`${app.url}/main/miner/${seeded.a.address}/`)),
    );
    expect(pages.map((p) => p.status)).toEqual([200, 200]);
    const [a, b] = await Promise.all(pages.map((p) => p.text()));
    expect(b).toBe(a);
  });

  it('keeps answering from the database while Redis is down', async () => {
    await redis.stop();
    const started = Date.now();
    const fresh = await json<PoolSummaryDto>(two, '/api/v1/pools/test');
    expect(fresh.status).toBe(200);
    const page = await fetch(`${one.url}/main/statistics`);
    expect(page.status).toBe(200);
    await page.arrayBuffer();
    const unknown = await fetch(`${two.url}/api/v1/pools/main/miners/${randomAddress('main')}`);
    expect(unknown.status).toBe(404);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('starts and answers with no Redis at CACHE_URL at all, and closes without waiting for it', async () => {
    const nowhere = `redis://127.0.0.1:${await freePort()}`;
    const alone = await startRole('frontend', {
      DATABASE_URL: store.frontendUrl,
      CACHE_URL: nowhere,
      WEB_CACHE_SECONDS: '60',
    });
    try {
      const started = Date.now();
      const res = await json<PoolSummaryDto>(alone, '/api/v1/pools/main');
      expect(res.status).toBe(200);
      expect(res.body.network).toBe('main');
      expect((await fetch(`${alone.url}/main/`)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      const closing = Date.now();
      await alone.close();
      expect(Date.now() - closing).toBeLessThan(5000);
    }
  });
});
