import { Global, Module } from '@nestjs/common';
import { NODE_METRICS } from '../../biblepay/node-metrics';
import { MESSAGING_METRICS } from '../../messaging/messaging-metrics';
import { MetricsController } from './metrics.controller';
import { PoolMetricsService } from './pool-metrics.service';

/**
 * One PoolMetricsService per application, injectable everywhere; `/metrics` serves its registry.
 * It also stands in for the metrics interfaces the lower layers own (NODE_METRICS for the BiblePay
 * client, MESSAGING_METRICS for the solution queue), so they report without importing this module.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    PoolMetricsService,
    { provide: NODE_METRICS, useExisting: PoolMetricsService },
    { provide: MESSAGING_METRICS, useExisting: PoolMetricsService },
  ],
  exports: [PoolMetricsService, NODE_METRICS, MESSAGING_METRICS],
})
export class MetricsModule {}
