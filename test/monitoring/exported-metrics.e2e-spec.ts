import { metricsDoc } from '../../scripts/docs/metrics';
import { parseCoins } from '../../src/biblepay/amount';
import { mineOneShare } from '../../sim/miner/sim-miner';
import type { SimNodeHandle } from '../../sim/node/sim-node';
import { hoursAgo } from '../support/factories';
import { eventually, RunningApp, startRole } from '../support/harness';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';
import { creditedMiners } from '../support/payout-scenario';
import { startTestSimNode, TEST_HASH_TARGET } from '../support/pool-fixture';
import { exportedFamilies, metricNames, seriesNames } from './metric-names';
import { alertRules, dashboard, dashboardExpressions } from './monitoring-artifacts';

/** Series Prometheus makes itself (scrape health, the alerts it evaluates): no role exports them. */
const MADE_BY_PROMETHEUS = new Set(['up', 'ALERTS']);

/** Where each metric used by an alert or a panel is read, and the ones no running role exports. */
function unexported(
  expressions: { where: string; expr: string }[],
  exported: ReadonlySet<string>,
): string[] {
  const missing: string[] = [];
  for (const { where, expr } of expressions) {
    for (const name of metricNames(expr)) {
      if (!exported.has(name) && !MADE_BY_PROMETHEUS.has(name)) missing.push(`${where}: ${name}`);
    }
  }
  return missing;
}

/** `name{labels} value` lines → value by `name{labels}` (our own series: no escaped quotes). */
function samples(exposition: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const match of exposition.matchAll(/^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/gm))
    values.set(match[1], Number(match[2]));
  return values;
}

const scrape = async (app: RunningApp): Promise<string> => {
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

const WALLET = parseCoins('3');
const CREDIT = parseCoins('5');

/**
 * A real frontend and backend (their own DB and broker users, a database of this file's own, the
 * simulated node): the backend's monitoring jobs sample the ledger's health, and every metric that
 * config/prometheus/alerts.yml and config/grafana/purepool.json read is exported by one of them.
 */
describe('exported metrics: the ledger health gauges and the alerts/dashboard cross-check', () => {
  let store: IsolatedDatabase;
  let node: SimNodeHandle;
  let backend: RunningApp;
  let frontend: RunningApp;

  beforeAll(async () => {
    store = await isolatedDatabase('monitoring');
    node = await startTestSimNode({ walletBalance: WALLET });
    const env = {
      NETWORKS: 'main',
      NODE_RPC_URL_MAIN: node.url,
      POOL_HASH_TARGET: TEST_HASH_TARGET,
      NODE_TIP_REFRESH_MS: '0',
      SOLUTION_BATCH_WAIT_MS: '5',
      METRICS_SAMPLE_SECONDS: '0.2',
      // The seeded ledger below is not the chain's: keep the chain walk off its heights.
      REORG_DEPTH_MAIN: '1',
      CHAIN_WALK_START_DEPTH: '0',
      // An intent an hour old stays open (younger than the window): no payout is made meanwhile.
      PAYOUT_RECONCILE_GRACE_SECONDS: '86400',
    };
    backend = await startRole('backend', { ...env, DATABASE_URL: store.backendUrl });
    frontend = await startRole('frontend', { ...env, DATABASE_URL: store.frontendUrl });
  });
  afterAll(async () => {
    await frontend?.close();
    await backend?.close();
    await node?.close();
    await store?.drop();
  });

  it('samples a sound ledger as ok, then one the wallet cannot cover as short, unproven, not ok', async () => {
    const tip = Number(await node.call('getblockcount'));
    const sound = await eventually(
      async () => samples(await scrape(backend)),
      (s) => s.get('purepool_audit_ok{network="main"}') !== undefined,
    );
    expect(sound.get('purepool_audit_ok{network="main"}')).toBe(1);
    expect(sound.get('purepool_audit_problems{network="main"}')).toBe(0);
    expect(sound.get('purepool_owed_base_units{network="main"}')).toBe(0);
    expect(sound.get('purepool_wallet_spendable_base_units{network="main"}')).toBe(Number(WALLET));
    expect(sound.get('purepool_funding_shortfall_base_units{network="main"}')).toBe(0);
    expect(sound.get('purepool_oldest_open_payment_seconds{network="main"}')).toBe(0);
    expect(sound.get('purepool_unclaimed_wallet_sends{network="main"}')).toBe(0);
    expect(sound.get('purepool_node_up{network="main"}')).toBe(1);
    expect(sound.get('purepool_node_tip_height{network="main"}')).toBe(tip);
    expect(sound.get('purepool_node_tip_age_seconds{network="main"}')).toBeGreaterThanOrEqual(0);
    expect(sound.get('purepool_payout_reconcile_window_seconds')).toBe(86400);
    expect(sound.get('purepool_solution_queue_consumers')).toBeGreaterThanOrEqual(1);
    expect(sound.get('purepool_dead_letter_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(sound.get('purepool_health_up{indicator="node_main"}')).toBe(1);
    expect(sound.get('purepool_health_up{indicator="database"}')).toBe(1);

    // Two miners credited 5 BBP each by a block the wallet never received; a payment left open.
    await creditedMiners(store.factories, 2, CREDIT);
    await store.factories.payment({ status: 'intent', total: CREDIT, createdAt: hoursAgo(1) });
    const short = await eventually(
      async () => samples(await scrape(backend)),
      (s) => s.get('purepool_audit_ok{network="main"}') === 0,
    );
    expect(short.get('purepool_audit_ok{network="main"}')).toBe(0);
    expect(short.get('purepool_audit_problems{network="main"}')).toBeGreaterThan(0);
    expect(short.get('purepool_owed_base_units{network="main"}')).toBe(Number(2n * CREDIT));
    expect(short.get('purepool_funding_shortfall_base_units{network="main"}')).toBe(
      Number(2n * CREDIT - WALLET),
    );
    expect(short.get('purepool_pool_blocks{network="main",status="shared"}')).toBe(1);
    const open = short.get('purepool_oldest_open_payment_seconds{network="main"}') ?? 0;
    expect(open).toBeGreaterThan(3600 - 60);
    expect(open).toBeLessThan(3600 + 60);
  });

  it('exports every metric an alert rule or a dashboard panel reads, on a frontend or a backend', async () => {
    // Traffic, so every counter the panels rate has moved at least once.
    const share = await mineOneShare({ pool: frontend.url, network: 'main', node: node.url });
    expect(share.outcomes.every((o) => o.ok)).toBe(true);
    const expositions = await Promise.all([scrape(frontend), scrape(backend)]);
    const exported = new Set(
      expositions.flatMap((text) => [...seriesNames(exportedFamilies(text))]),
    );
    expect(exported).toContain('purepool_getwork_seconds_bucket');
    expect(exported).toContain('purepool_audit_ok');

    // docs/METRICS.md (generated by `npm run docs:metrics` without running roles) lists every
    // family the running roles export: a gauge registered somewhere the generator does not know
    // would be missing from the reference.
    const documented = new Set(
      [...metricsDoc().matchAll(/^\| `(purepool_\w+)` \|/gm)].map((match) => match[1]),
    );
    const families = expositions.flatMap((text) => [...exportedFamilies(text).keys()]);
    const undocumented = families.filter((f) => f.startsWith('purepool_') && !documented.has(f));
    expect(documented.size).toBeGreaterThan(20);
    expect([...new Set(undocumented)]).toEqual([]);

    const alerts = alertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr }));
    const panels = dashboardExpressions(dashboard());
    expect(alerts.length).toBeGreaterThan(10);
    expect(panels.length).toBeGreaterThan(20);
    expect(unexported([...alerts, ...panels], exported)).toEqual([]);

    // The check can fail: a made-up metric, or a histogram read by its bare name, is caught.
    expect(
      unexported(
        [
          {
            where: 'panel "made up"',
            expr: 'sum(rate(purepool_made_up_total{network="main"}[5m]))',
          },
          { where: 'panel "bare"', expr: 'rate(purepool_getwork_seconds[5m])' },
        ],
        exported,
      ),
    ).toEqual([
      'panel "made up": purepool_made_up_total',
      'panel "bare": purepool_getwork_seconds',
    ]);
  });

  it('reads metric names out of PromQL, not functions, labels, keywords or durations', () => {
    const expr = `histogram_quantile(0.99, sum by (le, method) (rate(purepool_node_rpc_seconds_bucket{method=~"exec.*", x='a b'}[$__rate_interval])))
      > on (job) group_left () max without (instance) (purepool_payout_reconcile_window_seconds offset 5m) * 1e8
      and absent(purepool_solution_queue_consumers) unless sum(up{job="purepool-backend"}) by (job) > bool 0.5`;
    expect([...metricNames(expr)].sort()).toEqual([
      'purepool_node_rpc_seconds_bucket',
      'purepool_payout_reconcile_window_seconds',
      'purepool_solution_queue_consumers',
      'up',
    ]);
  });
});
