import { randomAddress } from '../../src/biblepay/address';
import { RejectReason } from '../../src/modules/solution/reject-reason';
import { mineOneShare } from '../../sim/miner/sim-miner';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import { eventually, RunningApp, startRole } from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format → samples (enough of it for our own series: no escaped quotes). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with this name whose labels include `labels`; undefined if none. */
function valueOf(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches several`);
  return found[0]?.value;
}

async function scrape(app: RunningApp): Promise<{ contentType: string; samples: Sample[] }> {
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  return {
    contentType: res.headers.get('content-type') ?? '',
    samples: parseMetrics(await res.text()),
  };
}

describe('/metrics on the frontend and the backend (real MariaDB, RabbitMQ, simulated node)', () => {
  let pool: PoolFixture;
  let backend: RunningApp;

  beforeAll(async () => {
    pool = await startPoolFixture();
    backend = await startRole('backend', pool.env);
  });
  afterAll(async () => {
    await backend.close();
    await pool.close();
  });

  it('counts frontend requests by action and outcome and times getwork in a histogram', async () => {
    // A frontend of its own, so the counts are exactly what this test sent.
    const frontend = await startRole('frontend', pool.env);
    try {
      const action = (miner: string, network = 'main') =>
        walletRequest({ pool: frontend.url, action: 'readytomine2', miner, network });
      await action(`${randomAddress('main')}/rig1`);
      await action(`${randomAddress('main')}/rig1`, 'nonet');
      await action('not-an-address/rig1');
      await walletRequest({ pool: frontend.url, action: 'bogus', miner: 'x', network: 'main' });

      const { contentType, samples } = await scrape(frontend);
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      const requests = (action: string, outcome: string) =>
        valueOf(samples, 'purepool_action_requests_total', { action, outcome });
      expect(requests('readytomine2', 'ok')).toBe(1);
      expect(requests('readytomine2', 'invalid_network')).toBe(1);
      expect(requests('readytomine2', 'worker_invalid')).toBe(1);
      // The echoed action name never becomes a label value.
      expect(requests('unknown', 'unknown_action')).toBe(1);
      expect(valueOf(samples, 'purepool_getwork_seconds_count')).toBe(3);
      expect(valueOf(samples, 'purepool_getwork_seconds_bucket', { le: '+Inf' })).toBe(3);
      expect(valueOf(samples, 'purepool_intake_seconds_count')).toBe(0);
      expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      await frontend.close();
    }
  });

  it('counts accepted and rejected solutions by reason and times node RPC on the backend', async () => {
    const good = await mineOneShare({
      pool: pool.frontend.url,
      network: 'main',
      node: pool.node.url,
    });
    expect(good.outcomes.every((o) => o.ok)).toBe(true);
    const bad = await mineOneShare({
      pool: pool.frontend.url,
      network: 'main',
      node: pool.node.url,
      misbehaviour: 'above-target',
    });
    expect(bad.outcomes.every((o) => o.ok)).toBe(true);

    const solutions = (samples: Sample[], result: string, reason: string) =>
      valueOf(samples, 'purepool_solutions_total', { network: 'main', result, reason });
    const { samples } = await eventually(
      () => scrape(backend),
      ({ samples }) =>
        solutions(samples, 'accepted', '') === 1 &&
        solutions(samples, 'rejected', RejectReason.aboveTarget) === 1,
    );
    expect(solutions(samples, 'accepted', '')).toBe(1);
    expect(solutions(samples, 'rejected', RejectReason.aboveTarget)).toBe(1);

    const rpcCalls = samples.filter(
      (s) => s.name === 'purepool_node_rpc_seconds_count' && s.labels.outcome === 'ok',
    );
    expect(rpcCalls.length).toBeGreaterThan(0);
    expect(rpcCalls.every((s) => s.labels.method.length > 0 && s.value > 0)).toBe(true);
    // Nothing waits in the queue once both shares are recorded (sampled from the broker on scrape).
    expect(valueOf(samples, 'purepool_solution_queue_depth')).toBe(0);
    // Each app has its own registry: the backend serves no wallet requests.
    expect(samples.some((s) => s.name === 'purepool_action_requests_total')).toBe(false);

    const front = (await scrape(pool.frontend)).samples;
    expect(
      valueOf(front, 'purepool_action_requests_total', { action: 'solution', outcome: 'ok' }),
    ).toBe(2);
    expect(valueOf(front, 'purepool_intake_seconds_count')).toBe(2);
  });
});
