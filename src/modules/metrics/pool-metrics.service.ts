import { Injectable, Optional } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RpcCallOutcome } from '../../biblepay/rpc';
import { ProtocolError } from '../../biblepay/pool-protocol';
import { AppConfig } from '../../config/app-config';
import type { NodeMetrics } from '../../biblepay/node-metrics';
import type { MessagingMetrics } from '../../messaging/messaging-metrics';

/** Wallet actions we answer; anything else is counted as `unknown` so a client cannot mint labels. */
const ACTIONS = ['readytomine2', 'solution'] as const;
type ActionLabel = (typeof ACTIONS)[number] | 'unknown';

/** Getwork answers in ~1 ms when cached, intake waits for the broker's confirm (up to seconds). */
const REQUEST_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];
/** Rows per work INSERT, solutions per broker message: how well a group commit groups. */
const GROUP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
const RPC_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every Prometheus series the pool exports, on a registry of its own (not prom-client's global
 * one, so several apps in one test process do not clash). Services call the small methods below;
 * each is a few map lookups so the `/Action.aspx` hot path stays cheap.
 */
@Injectable()
export class PoolMetricsService implements NodeMetrics, MessagingMetrics {
  readonly registry = new Registry();

  private readonly actionRequests = new Counter({
    name: 'purepool_action_requests_total',
    help: 'Wallet requests to /Action.aspx by action and outcome (ok or the error class).',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly getworkSeconds = new Histogram({
    name: 'purepool_getwork_seconds',
    help: 'Time to answer a readytomine2 (getwork) request.',
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  private readonly intakeSeconds = new Histogram({
    name: 'purepool_intake_seconds',
    help: 'Time to answer a solution submission (until the broker confirmed it).',
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });
  private readonly workInsertRows = new Histogram({
    name: 'purepool_work_insert_rows',
    help: 'Work rows per INSERT of the frontend group commit (_count: INSERTs, each one commit).',
    buckets: GROUP_BUCKETS,
    registers: [this.registry],
  });
  private readonly solutionPublishSize = new Histogram({
    name: 'purepool_solution_publish_size',
    help: 'Solutions per broker message of the frontend group commit (_count: confirmed publishes).',
    buckets: GROUP_BUCKETS,
    registers: [this.registry],
  });
  private readonly solutions = new Counter({
    name: 'purepool_solutions_total',
    help: 'Solutions recorded by the backend: accepted, rejected (with reason) or dead_lettered.',
    labelNames: ['network', 'result', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly nodeRpcSeconds = new Histogram({
    name: 'purepool_node_rpc_seconds',
    help: 'Node RPC exchanges (a batch counts once) by method and outcome.',
    labelNames: ['method', 'outcome'] as const,
    buckets: RPC_BUCKETS,
    registers: [this.registry],
  });
  private readonly nodeRpcErrors = new Counter({
    name: 'purepool_node_rpc_errors_total',
    help: 'Node RPC exchanges that failed (rpc_error: the node said no; transport_error: no answer).',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly blocksFound = new Counter({
    name: 'purepool_blocks_found_total',
    help: 'Blocks stored by the chain walk; pool="true" for blocks paying the pool address.',
    labelNames: ['network', 'pool'] as const,
    registers: [this.registry],
  });
  private readonly blocksReversed = new Counter({
    name: 'purepool_blocks_reversed_total',
    help: 'Shared-out pool blocks orphaned by a deep reorg whose credits this process reversed.',
    labelNames: ['network'] as const,
    registers: [this.registry],
  });
  private readonly poolLoss = new Counter({
    name: 'purepool_pool_loss_base_units_total',
    help: 'Reversed credits that had already been paid out (the pool loss), in base units.',
    labelNames: ['network'] as const,
    registers: [this.registry],
  });
  private readonly payouts = new Counter({
    name: 'purepool_payouts_total',
    help: 'Payout runs that tried a sendmany, by status (sent, failed, uncertain).',
    labelNames: ['network', 'status'] as const,
    registers: [this.registry],
  });
  private readonly payoutAmount = new Counter({
    name: 'purepool_payout_amount_base_units_total',
    help: 'Amount paid out by sent payments, in base units (1 BBP = 100000000).',
    labelNames: ['network'] as const,
    registers: [this.registry],
  });

  /** The two answers a healthy pool gives most, bound once. */
  private readonly getworkOk = this.actionRequests.labels('readytomine2', 'ok');
  private readonly intakeOk = this.actionRequests.labels('solution', 'ok');

  constructor(@Optional() config?: AppConfig) {
    collectDefaultMetrics({ register: this.registry });
    if (config) this.startAtZero(config);
  }

  /**
   * The series the alert rules compare over time exist from the start at 0: a counter's first
   * sample is its baseline for rate() and increase(), so a first failed payout or a first accepted
   * share counted on a series born at 1 would be invisible to them.
   */
  private startAtZero(config: AppConfig): void {
    if (config.runsFrontend) {
      this.getworkOk.inc(0);
      this.intakeOk.inc(0);
    }
    if (!config.runsBackend) return;
    for (const network of config.networks) {
      this.solutions.inc({ network, result: 'accepted', reason: '' }, 0);
      this.blocksFound.inc({ network, pool: 'true' }, 0);
      for (const status of ['sent', 'failed', 'uncertain'])
        this.payouts.inc({ network, status }, 0);
      this.payoutAmount.inc({ network }, 0);
    }
  }

  /** One `/Action.aspx` answer: `body` is what the wallet got, `seconds` how long it took. */
  actionAnswered(actionHeader: string | string[] | undefined, body: string, seconds: number): void {
    const action = actionLabel(actionHeader);
    const outcome = outcomeOf(body);
    if (action === 'readytomine2') {
      this.getworkSeconds.observe(seconds);
      if (outcome === 'ok') return this.getworkOk.inc();
    } else if (action === 'solution') {
      this.intakeSeconds.observe(seconds);
      if (outcome === 'ok') return this.intakeOk.inc();
    }
    this.actionRequests.inc({ action, outcome });
  }

  /** One work INSERT of `rows` rows committed (the frontend's group commit). */
  workInserted(rows: number): void {
    this.workInsertRows.observe(rows);
  }

  /** One broker message carrying `solutions` solutions confirmed. */
  solutionsPublished(solutions: number): void {
    this.solutionPublishSize.observe(solutions);
  }

  solutionsRecorded(network: string, result: 'accepted' | 'rejected', reason = '', n = 1): void {
    if (n > 0) this.solutions.inc({ network, result, reason }, n);
  }

  /** An unparsable message: its network is unknown. */
  solutionDeadLettered(): void {
    this.solutions.inc({ network: 'unknown', result: 'dead_lettered', reason: 'unparsable' });
  }

  /** Shaped for `NodeClients.observe`. */
  readonly nodeCall = (method: string, durationMs: number, outcome: RpcCallOutcome): void => {
    this.nodeRpcSeconds.observe({ method, outcome }, durationMs / 1000);
    if (outcome !== 'ok') this.nodeRpcErrors.inc({ method, outcome });
  };

  blocksStored(network: string, poolBlocks: number, otherBlocks: number): void {
    if (poolBlocks > 0) this.blocksFound.inc({ network, pool: 'true' }, poolBlocks);
    if (otherBlocks > 0) this.blocksFound.inc({ network, pool: 'false' }, otherBlocks);
  }

  blockReversed(network: string, lossBaseUnits: bigint): void {
    this.blocksReversed.inc({ network });
    if (lossBaseUnits > 0n) this.poolLoss.inc({ network }, Number(lossBaseUnits));
  }

  payoutFinished(network: string, status: string, amountBaseUnits: bigint): void {
    this.payouts.inc({ network, status });
    // A counter is a float64: exact up to 2^53 base units (~90 million BBP), plenty per process.
    if (status === 'sent') this.payoutAmount.inc({ network }, Number(amountBaseUnits));
  }

  /**
   * A gauge read when /metrics is scraped (e.g. the broker's queue depth). A failing or slow
   * source leaves the gauge at its last value rather than failing the scrape.
   */
  sampledGauge(name: string, help: string, read: () => Promise<number | null>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const value = await read().catch(() => null);
        if (value !== null) this.set(value);
      },
    });
  }

  /** Like sampledGauge, one series per network (e.g. totals read from the database). */
  sampledNetworkGauge(
    name: string,
    help: string,
    networks: readonly string[],
    read: (network: string) => Promise<number | null>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames: ['network'],
      registers: [this.registry],
      async collect() {
        for (const network of networks) {
          const value = await read(network).catch(() => null);
          if (value !== null) this.set({ network }, value);
        }
      },
    });
  }

  /** Like sampledGauge, one series per key `read` returns under the label `label`. */
  sampledGaugeBy(
    name: string,
    help: string,
    label: string,
    read: () => Promise<ReadonlyMap<string, number>>,
  ): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      async collect() {
        const values = await read().catch(() => new Map<string, number>());
        for (const [key, value] of values) this.set({ [label]: key }, value);
      },
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

function actionLabel(header: string | string[] | undefined): ActionLabel {
  const value = ((Array.isArray(header) ? header[0] : header) ?? '').trim();
  return (ACTIONS as readonly string[]).includes(value) ? (value as ActionLabel) : 'unknown';
}

const ERROR_CLASSES: [string | RegExp, string][] = [
  [ProtocolError.invalidNetwork, 'invalid_network'],
  [ProtocolError.workerIdMissing, 'worker_missing'],
  [/^WorkerID .* is invalid$/, 'worker_invalid'],
  [/^Miner .* is disabled$/, 'miner_disabled'],
  [/^Source .* is suspended until /, 'source_suspended'],
  [/^Miner .* has too many workers /, 'too_many_workers'],
  [ProtocolError.solutionMissing, 'solution_missing'],
  [ProtocolError.invalidSolution, 'invalid_solution'],
  [ProtocolError.unavailable, 'unavailable'],
  [ProtocolError.rateLimited, 'rate_limited'],
  [/^UNKNOWN ACTION/, 'unknown_action'],
];

/** `ok`, or the class of the protocol error in the body (never the echoed input itself). */
export function outcomeOf(body: string): string {
  const start = body.indexOf('<ERROR>');
  if (start < 0) return 'ok';
  const message = body.slice(start + 7, body.indexOf('</ERROR>', start));
  for (const [pattern, label] of ERROR_CLASSES) {
    if (typeof pattern === 'string' ? message === pattern : pattern.test(message)) return label;
  }
  return 'error';
}
