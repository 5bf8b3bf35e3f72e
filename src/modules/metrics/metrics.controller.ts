import { Controller, Get, Header } from '@nestjs/common';
import { PoolMetricsService } from './pool-metrics.service';

/** `GET /metrics` in the Prometheus text format, on every role's HTTP port. */
@Controller()
export class MetricsController {
  constructor(private readonly metrics: PoolMetricsService) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}
