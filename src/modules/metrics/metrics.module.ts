import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { PoolMetrics } from './pool-metrics.service';

/** One PoolMetrics per application, injectable everywhere; `/metrics` serves its registry. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [PoolMetrics],
  exports: [PoolMetrics],
})
export class MetricsModule {}
