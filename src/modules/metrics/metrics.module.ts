import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { PoolMetricsService } from './pool-metrics.service';

/** One PoolMetricsService per application, injectable everywhere; `/metrics` serves its registry. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [PoolMetricsService],
  exports: [PoolMetricsService],
})
export class MetricsModule {}
