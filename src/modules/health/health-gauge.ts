import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HealthIndicatorFunction, HealthIndicatorResult } from '@nestjs/terminus';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { HEALTH_INDICATORS } from './health.tokens';

/**
 * `/health` as a gauge, `purepool_health_up{indicator}` (1 up, 0 down), so Prometheus can alert on
 * the indicator that fails rather than only on a process that stopped answering (`up`). The same
 * indicator functions as /health, run when /metrics is scraped.
 */
@Injectable()
export class HealthGauge implements OnModuleInit {
  /** The key each indicator function answered with last: a function that throws keeps its name. */
  private readonly keys: (string | undefined)[] = [];

  constructor(
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicatorFunction[],
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  onModuleInit(): void {
    this.metrics?.sampledGaugeBy(
      'purepool_health_up',
      "The role's /health indicators: 1 up, 0 down (database, broker, node_<network>).",
      'indicator',
      () => this.read(),
    );
  }

  async read(): Promise<Map<string, number>> {
    const values = new Map<string, number>();
    await Promise.all(
      this.indicators.map(async (indicator, i) => {
        try {
          for (const [key, result] of Object.entries(await run(indicator))) {
            this.keys[i] = key;
            values.set(key, result.status === 'up' ? 1 : 0);
          }
        } catch {
          const key = this.keys[i];
          if (key !== undefined) values.set(key, 0);
        }
      }),
    );
    return values;
  }
}

/** An indicator is a function (answering a result or an attempt) or an attempt itself. */
async function run(indicator: HealthIndicatorFunction): Promise<HealthIndicatorResult> {
  return typeof indicator === 'function' ? await indicator() : await indicator;
}
