import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { HEALTH_INDICATORS } from './health.tokens';

/** `/health`: 200 when every indicator of this role is up, 503 naming the failing one otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicatorFunction[],
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check(this.indicators);
  }
}
