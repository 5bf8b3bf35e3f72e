/**
 * What the messaging layer reports to metrics, as an interface of its own: the metrics module
 * (PoolMetricsService) implements it and provides it under MESSAGING_METRICS, so this layer needs
 * nothing from src/modules. Absent (CLI, tests): nothing is reported.
 */
export interface MessagingMetrics {
  /** A gauge read at scrape time; a failing read leaves the last value. */
  sampledGauge(name: string, help: string, read: () => Promise<number | null>): void;
  /** A gauge with one label, each label value read at scrape time. */
  sampledGaugeBy(
    name: string,
    help: string,
    label: string,
    read: () => Promise<ReadonlyMap<string, number>>,
  ): void;
  /** One solution message the consumer dead-lettered. */
  solutionDeadLettered(): void;
}

export const MESSAGING_METRICS = Symbol('MESSAGING_METRICS');
