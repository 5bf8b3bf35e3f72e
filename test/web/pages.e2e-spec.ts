import { randomAddress } from '../../src/biblepay/address';
import { RunningApp, startRole } from '../support/harness';
import { isolatedDatabase, IsolatedDatabase } from '../support/isolated-database';
import { expectedSharesPerDay, HOSTILE_WORKER, SeededPool, seedPool } from './pool-fixture';

let store: IsolatedDatabase;
let seeded: SeededPool;
let frontend: RunningApp;

beforeAll(async () => {
  store = await isolatedDatabase('pages');
  seeded = await seedPool(store.factories);
  frontend = await startRole('frontend', {
    DATABASE_URL: store.frontendUrl,
    WEB_CACHE_SECONDS: '0',
    POOL_FEE_PERCENT: '1.5',
  });
});

afterAll(async () => {
  await frontend?.close();
  await store?.drop();
});

async function page(path: string): Promise<{ status: number; body: string; res: Response }> {
  const res = await fetch(`${frontend.url}${path}`, { redirect: 'manual' });
  return { status: res.status, body: await res.text(), res };
}

/** The text of the element with this id, tags stripped and whitespace collapsed. */
function textOf(body: string, id: string): string {
  const start = body.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no element #${id}`);
  const open = body.lastIndexOf('<', start);
  const tag = /^<(\w+)/.exec(body.slice(open))![1];
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}\\b[^>]*>`, 'g');
  re.lastIndex = open;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) {
      return body
        .slice(open, m.index)
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    }
  }
  throw new Error(`#${id} is not closed`);
}

function chartData(body: string, id: string): { labels: string[]; datasets: { data: number[] }[] } {
  const m = new RegExp(`<script type="application/json" id="${id}-data">([^<]*)</script>`).exec(
    body,
  );
  if (!m) throw new Error(`no chart data for ${id}`);
  return JSON.parse(m[1]) as { labels: string[]; datasets: { data: number[] }[] };
}

describe('web pages', () => {
  it('redirects / to the first served network', async () => {
    const res = await page('/');
    expect(res.status).toBe(302);
    expect(res.res.headers.get('location')).toBe('/main/');
  });

  it('serves the index with and without the trailing slash, with the pool summary and a search box', async () => {
    for (const path of ['/main/', '/main']) {
      const res = await page(path);
      expect(res.status).toBe(200);
      expect(res.res.headers.get('content-type')).toContain('text/html');
      expect(res.body).toContain('action="/main/search"');
      expect(res.body).toMatch(/Chain height<\/div>\s*<div class="value">1040</);
      expect(res.body).toContain('3 of 6'); // pool blocks of all blocks, last 24 h
    }
  });

  it('answers an unknown network with a 404 page, not an error body', async () => {
    const res = await page('/moon/');
    expect(res.status).toBe(404);
    expect(res.res.headers.get('content-type')).toContain('text/html');
    expect(res.body).toContain('Page not found');
  });

  it('sends a known address from the search box to its miner page', async () => {
    const res = await page(`/main/search?address=${seeded.a.address}`);
    expect(res.status).toBe(303);
    expect(res.res.headers.get('location')).toBe(`/main/miner/${seeded.a.address}/`);
  });

  it('explains an invalid, unknown or other-network address on the index instead of failing', async () => {
    const invalid = await page('/main/search?address=' + encodeURIComponent('B<script>nope'));
    expect(invalid.status).toBe(200);
    expect(textOf(invalid.body, 'search-message')).toContain(
      'is not a valid BiblePay main address',
    );
    expect(invalid.body).not.toContain('<script>nope');

    const unknown = await page(`/main/search?address=${randomAddress('main')}`);
    expect(unknown.status).toBe(200);
    expect(textOf(unknown.body, 'search-message')).toContain('No miner with this address');

    const testnet = await page(`/main/search?address=${seeded.testnetMiner.address}`);
    expect(textOf(testnet.body, 'search-message')).toContain('is a Testnet address');

    const empty = await page('/main/search?address=');
    expect(empty.status).toBe(200);
    expect(textOf(empty.body, 'search-message')).toContain('Enter the BiblePay address');
  });

  it('shows the wallet configuration, the minimum payout of each network and the fee on how-to-join', async () => {
    const res = await page('/main/howtojoin/');
    expect(res.status).toBe(200);
    const config = textOf(res.body, 'wallet-config');
    expect(config).toContain(`pool=${frontend.url}`);
    expect(config).toContain('workerid=ADDRESS/WORKER');
    expect(config).toContain('gen=1');
    expect(config).toContain('genproclimit=');
    const minimums = textOf(res.body, 'payout-minimums');
    expect(minimums).toContain('Mainnet 10 BBP');
    expect(minimums).toContain('Testnet 10,000 tBBP');
    expect(textOf(res.body, 'pool-fee')).toBe('1.5 %');
    // The releases that submit shares, per generation (getwork refuses Evo 1.4.8.x).
    const wallets = textOf(res.body, 'wallet-versions');
    expect(wallets).toContain('Classic (BiblePay 1.1, 1.2) 1.2.0.1');
    expect(wallets).toContain('Evo (BiblePay 1.4) 1.4.4.8, 1.4.5.x 1.4.8.0 and later');
  });

  it('puts POOL_PUBLIC_URL, not the request host, into the pool= line when it is set', async () => {
    const other = await startRole('frontend', {
      DATABASE_URL: store.frontendUrl,
      POOL_PUBLIC_URL: 'https://pool.example.org/',
    });
    try {
      const res = await fetch(`${other.url}/main/howtojoin`);
      expect(await res.text()).toContain('pool=https://pool.example.org\n');
    } finally {
      await other.close();
    }
  });

  it('shows height, 24-hour blocks, coins mined, miners, hashrate, a 7-day chart, top miners and block statuses', async () => {
    const res = await page('/main/statistics');
    expect(res.status).toBe(200);
    expect(textOf(res.body, 'current-height')).toBe('Chain height 1040');
    expect(textOf(res.body, 'all-blocks')).toBe('Blocks (24 h) 6');
    expect(textOf(res.body, 'pool-blocks')).toBe('Pool blocks (24 h) 3 (50 %)');
    // P2 + P4 + P5; the orphaned P3 mined nothing.
    expect(textOf(res.body, 'coins-mined')).toBe('Mined (24 h) 11,234.56789012 BBP');
    expect(textOf(res.body, 'active-miners')).toBe('Active miners (24 h) 2');
    // Last hour: rig1 4 kH/s + rig2 3 kH/s + B 1 kH/s; the testnet miner's 1 MH/s is not main's.
    expect(textOf(res.body, 'pool-hashrate')).toBe('Pool hashrate 8.00 kH/s');

    const chart = chartData(res.body, 'pool-chart');
    const expected = expectedSharesPerDay(seeded, Date.now());
    expect(chart.labels).toEqual(expected.map((d) => d.day.slice(5)));
    expect(chart.datasets[0].data).toEqual(expected.map((d) => d.count));
    expect(chart.datasets[1].data.reduce((a, b) => a + b, 0)).toBe(4); // P1, P2, P4, P5

    const top = res.body.indexOf(seeded.a.address);
    expect(top).toBeGreaterThan(0);
    expect(res.body.indexOf(seeded.b.address)).toBeGreaterThan(top); // A (42 shares) before B (5)

    const blocks = textOf(res.body, 'last-blocks');
    // maturity as the wallet counts it: COINBASE_MATURITY + 1 = 102 (docs/FIDELITY.md)
    expect(blocks).toMatch(/1040 .* pending \(7\/102\)/);
    expect(blocks).toMatch(/1030 .* 1,234\.56789012 BBP mature/);
    expect(blocks).toMatch(/1020 .* orphaned/);
    expect(blocks).toMatch(/1010 .* credited/);
    expect(blocks).toMatch(/1001 .* paid/);
    expect(blocks).not.toContain('1035'); // not a pool block
  });

  it('shows a miner balance, payouts, workers with hashrate, ledger with txids and why shares were rejected', async () => {
    const res = await page(`/main/miner/${seeded.a.address}/`);
    expect(res.status).toBe(200);
    expect(textOf(res.body, 'balance')).toBe('Balance 100.12345678 BBP');
    expect(textOf(res.body, 'total-paid')).toBe('Total paid 3,000 BBP');
    expect(res.body).not.toContain('id="pending-payout"');
    expect(textOf(res.body, 'shares-24h')).toBe('Shares (24 h) 42');
    expect(textOf(res.body, 'hashrate')).toBe('Hashrate 7.00 kH/s');

    const workers = textOf(res.body, 'workers');
    expect(workers).toMatch(/rig1 30 4\.00 kH\/s/);
    expect(workers).toMatch(/rig2 10 3\.00 kH\/s/);
    expect(res.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(res.body).not.toContain(HOSTILE_WORKER);

    const ledger = textOf(res.body, 'ledger');
    expect(ledger).toContain('Block 1001 3,000 BBP');
    expect(ledger).toContain('Block 1010 100.12345678 BBP');
    expect(ledger).toContain(`Payout -3,000 BBP ${seeded.p1Payment.txid}`);
    expect(ledger).toMatch(/Payout failed -50 BBP/);
    expect(ledger).toContain('Payout returned 50 BBP');

    const rejections = textOf(res.body, 'rejections');
    expect(rejections).toMatch(/rig1 above_target bible hash above the work target 3/);
    expect(rejections).toMatch(/rig2 stale_work 1/);
    expect(rejections).not.toContain('wrong_recipient'); // older than 24 h
    expect(res.body).toContain('Insufficient funds in the pool wallet');

    const chart = chartData(res.body, 'miner-chart');
    expect(chart.datasets[0].data).toEqual(
      expectedSharesPerDay(seeded, Date.now(), 'a').map((d) => d.count),
    );
  });

  it('shows a payout still in progress apart from the paid total', async () => {
    const res = await page(`/main/miner/${seeded.b.address}`);
    expect(textOf(res.body, 'balance')).toBe('Balance 0 BBP');
    expect(textOf(res.body, 'total-paid')).toBe('Total paid 1,000.5 BBP');
    expect(textOf(res.body, 'pending-payout')).toBe('Payout being sent 20 BBP');
  });

  it('answers an unknown or invalid miner address with a friendly 404 page', async () => {
    const unknown = await page(`/main/miner/${randomAddress('main')}/`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('Miner not found');
    const invalid = await page('/main/miner/%3Cb%3Ex/');
    expect(invalid.status).toBe(404);
    expect(invalid.body).toContain('not a valid BiblePay main address');
    expect(invalid.body).not.toContain('<b>x');
  });

  it('serves its own stylesheet, chart library and scripts, cacheable, with no third-party URL', async () => {
    const res = await page('/main/statistics');
    const assets = [...res.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.map((a) => a.split('?')[0])).toEqual(
      expect.arrayContaining([
        '/assets/purepool.css',
        '/assets/chart.umd.min.js',
        '/assets/purepool.js',
      ]),
    );
    expect(res.body).not.toMatch(/(?:src|href)="https?:/);
    for (const asset of assets) {
      const r = await fetch(`${frontend.url}${asset.replace(/&amp;/g, '&')}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toContain('immutable');
      expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect(res.res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('web read cache', () => {
  it('reuses a page read for WEB_CACHE_SECONDS but finds a new miner at once', async () => {
    const cached = await startRole('frontend', {
      DATABASE_URL: store.frontendUrl,
      WEB_CACHE_SECONDS: '60',
    });
    try {
      const before = await (await fetch(`${cached.url}/main/statistics`)).text();
      expect(textOf(before, 'active-miners')).toBe('Active miners (24 h) 2');
      const address = randomAddress('main');
      const missing = await fetch(`${cached.url}/main/search?address=${address}`, {
        redirect: 'manual',
      });
      expect(missing.status).toBe(200);

      const newcomer = await store.factories.miner({ network: 'main', address });
      const rig = await store.factories.worker(newcomer, 'new-rig');
      await store.factories.solutions(newcomer, rig, { count: 3 });

      const after = await (await fetch(`${cached.url}/main/statistics`)).text();
      expect(textOf(after, 'active-miners')).toBe('Active miners (24 h) 2'); // still the cached read
      const found = await fetch(`${cached.url}/main/search?address=${address}`, {
        redirect: 'manual',
      });
      expect(found.status).toBe(303); // a miss was not kept

      const uncached = await (await fetch(`${frontend.url}/main/statistics`)).text();
      expect(textOf(uncached, 'active-miners')).toBe('Active miners (24 h) 3');
    } finally {
      await cached.close();
    }
  });
});
