import type { RpcCallOutcome } from './rpc';

/**
 * What the BiblePay client reports to metrics, as an interface of its own: the metrics module
 * (PoolMetricsService) implements it and provides it under NODE_METRICS, so this layer needs
 * nothing from src/modules. Absent (CLI contexts): nothing is reported.
 */
export interface NodeMetrics {
  /** Every node exchange (a batch counts once): method, duration and outcome. */
  readonly nodeCall: (method: string, durationMs: number, outcome: RpcCallOutcome) => void;
}

export const NODE_METRICS = Symbol('NODE_METRICS');
