import { Controller, Get, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
} from '@nestjs/terminus';
import { HEALTH_INDICATORS } from './health.tokens';

/**
 * How long one check's answer is reused. `/health` is open to anyone who reaches the port; without
 * this, every hit ran a database query and a broker check, so a flood of hits was a flood of
 * queries. Now a flood costs at most one check a second, and concurrent hits share it.
 */
export const HEALTH_REUSE_MS = 1_000;

/** `/health`: 200 when every indicator of this role is up, 503 naming the failing one otherwise. */
@Controller('health')
export class HealthController {
  private last: { startedAt: number; result: Promise<HealthCheckResult> } | null = null;

  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicatorFunction[],
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    const now = Date.now();
    if (!this.last || now - this.last.startedAt >= HEALTH_REUSE_MS) {
      const result = this.health.check(this.indicators);
      // A failed check (503) is an answer to share like any other, not an unhandled rejection.
      result.catch(() => undefined);
      this.last = { startedAt: now, result };
    }
    return this.last.result;
  }
}
