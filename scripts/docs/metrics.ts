import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import { parse } from 'yaml';
import { solutionQueueGauges } from '../../src/messaging/solution-queue.server';
import type { AppConfig } from '../../src/config/app-config';
import { ShareoutReversalService } from '../../src/modules/block/shareout-reversal.service';
import { HealthGauge } from '../../src/modules/health/health-gauge';
import { PoolMetricsService } from '../../src/modules/metrics/pool-metrics.service';
import { LedgerGauges } from '../../src/modules/monitoring/ledger-gauges';
import { PayoutService } from '../../src/modules/payout/payout.service';
import { generatedNotice, table } from './markdown';

/**
 * docs/METRICS.md from the prom-client registry the metrics module builds (PoolMetricsService) and
 * the gauges the other modules add to it, registered here the way the running roles register them;
 * docs/ALERTS.md from config/prometheus/alerts.yml. test/monitoring/exported-metrics.e2e-spec.ts
 * checks that every family the running roles export is listed in METRICS.md.
 */

export const METRICS_COMMAND = 'npm run docs:metrics';
const ALERTS = 'config/prometheus/alerts.yml';

interface Family {
  name: string;
  type: string;
  labels: string[];
  help: string;
}

interface Source {
  title: string;
  where: string;
  register: (metrics: PoolMetricsService) => void;
}

/**
 * Who adds which gauges to the registry, in the order a backend does. A service that starts
 * registering metrics of its own needs a line here: the exported-metrics e2e test names any family
 * a running role exports that METRICS.md lacks.
 */
const SOURCES: Source[] = [
  {
    title: 'Requests, shares, node calls and payments',
    where: '`src/modules/metrics/pool-metrics.service.ts` (both roles; each fills its own series)',
    register: () => undefined,
  },
  {
    title: 'Health',
    where: '`src/modules/health/health-gauge.ts` (both roles: the `/health` indicators)',
    register: (metrics) => new HealthGauge([], metrics).onModuleInit(),
  },
  {
    title: 'Solution queue (backend)',
    where: '`src/messaging/solution-queue.server.ts` (the backend consuming the solution queues)',
    register: (metrics) =>
      solutionQueueGauges(metrics, {
        queueDepth: () => Promise.resolve(null),
        buffered: () => 0,
        waitingBatches: () => 0,
      }),
  },
  {
    title: 'Block reversals (backend)',
    where: '`src/modules/block/shareout-reversal.service.ts` (read from the ledger at scrape time)',
    register: (metrics) =>
      new ShareoutReversalService(
        {} as never,
        {} as never,
        {} as never,
        { networks: [] } as unknown as AppConfig,
        metrics,
      ).onApplicationBootstrap(),
  },
  {
    title: 'Payments (backend)',
    where: '`src/modules/payout/payout.service.ts` (read from the payments at scrape time)',
    register: (metrics) =>
      new PayoutService(
        {} as never,
        {} as never,
        {} as never,
        { networks: [] } as unknown as AppConfig,
        {} as never,
        metrics,
      ).onApplicationBootstrap(),
  },
  {
    title: 'Ledger, wallet, node and queues (backend monitoring jobs)',
    where:
      '`src/modules/monitoring/ledger-gauges.ts` (sampled every `METRICS_SAMPLE_SECONDS` by the backend)',
    register: (metrics) => new LedgerGauges(metrics.registry, 0),
  },
];

function families(registry: Registry, skip: ReadonlySet<string>): Family[] {
  return registry
    .getMetricsAsArray()
    .filter((m) => m.name.startsWith('purepool_') && !skip.has(m.name))
    .map((m) => ({
      name: m.name,
      type: String(m.type),
      labels: [...((m as unknown as { labelNames?: string[] }).labelNames ?? [])],
      help: m.help,
    }));
}

/** Every purepool_ family, grouped by the code that registers it. */
export function metricFamilies(): { source: Source; families: Family[] }[] {
  const metrics = new PoolMetricsService();
  const seen = new Set<string>();
  return SOURCES.map((source) => {
    source.register(metrics);
    const added = families(metrics.registry, seen);
    for (const f of added) seen.add(f.name);
    return { source, families: added };
  });
}

export function metricsDoc(): string {
  const groups = metricFamilies();
  const count = groups.reduce((n, g) => n + g.families.length, 0);
  const parts = [
    '# Metrics',
    generatedNotice(
      [
        'src/modules/metrics/pool-metrics.service.ts',
        'src/modules/health/health-gauge.ts',
        'src/messaging/solution-queue.server.ts',
        'src/modules/monitoring/ledger-gauges.ts',
        'src/modules/payout/payout.service.ts',
      ],
      METRICS_COMMAND,
    ),
    'Every role serves Prometheus metrics at `GET /metrics` on its HTTP port (the frontend on ' +
      '8000, the backend on 8001; never rate-limited). Scrape jobs must be named `purepool-…` ' +
      '(`purepool-frontend`, `purepool-backend`) for the alert rules ([ALERTS.md](ALERTS.md)); the ' +
      'Grafana dashboard is `config/grafana/purepool.json`; how to set it up: ' +
      '[RUNBOOK.md](RUNBOOK.md). Amounts are in base units (1 BBP = 100,000,000). Besides the ' +
      `${count} families below, every role exports prom-client's default process and Node.js ` +
      'metrics (`process_*`, `nodejs_*`).',
  ];
  for (const { source, families } of groups) {
    if (families.length === 0) continue;
    parts.push(`## ${source.title}`, `Registered by ${source.where}.`);
    parts.push(
      table(
        ['metric', 'type', 'labels', 'meaning'],
        families.map((f) => [
          `\`${f.name}\``,
          f.type,
          f.labels.map((l) => `\`${l}\``).join(', '),
          f.help,
        ]),
      ),
    );
  }
  return parts.join('\n\n') + '\n';
}

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; runbook_url?: string };
}

export function alertsDoc(root: string): string {
  const rules = parse(readFileSync(join(root, ALERTS), 'utf8')) as {
    groups: { name: string; rules: AlertRule[] }[];
  };
  const parts = [
    '# Alerts',
    generatedNotice([ALERTS], METRICS_COMMAND),
    `The Prometheus alert rules in \`${ALERTS}\` (load them with ` +
      '`rule_files: [/etc/prometheus/purepool/alerts.yml]`; tested with `promtool test rules` in ' +
      '`test/monitoring/alert-rules.e2e-spec.ts`). Severity `critical`: miners or money are ' +
      'affected now; `warning`: look today. Each links to what to do in [RUNBOOK.md](RUNBOOK.md); ' +
      'the metrics they read are in [METRICS.md](METRICS.md).',
  ];
  for (const group of rules.groups) {
    parts.push(`## Group \`${group.name}\``);
    parts.push(
      table(
        ['alert', 'severity', 'for', 'fires when', 'summary'],
        group.rules.map((rule) => {
          const runbook = rule.annotations?.runbook_url?.replace(/^docs\//, '');
          return [
            runbook ? `[${rule.alert}](${runbook})` : rule.alert,
            rule.labels?.severity ?? '',
            rule.for ?? '',
            `\`${rule.expr.trim().replace(/\s+/g, ' ')}\``,
            rule.annotations?.summary ?? '',
          ];
        }),
      ),
    );
  }
  return parts.join('\n\n') + '\n';
}
