import { Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { Network } from '../../biblepay/network';
import { AppConfig } from '../../config/app-config';
import { JobSchedulerService } from '../../jobs/job-scheduler.service';
import { PoolMetricsService } from '../metrics/pool-metrics.service';
import { HealthSamplerService } from './health-sampler.service';
import { LedgerGauges } from './ledger-gauges';

/**
 * Samples the pool's health for /metrics every METRICS_SAMPLE_SECONDS, as scheduled jobs under
 * their leases (`metrics:<network>`, `metrics:queues`): an audit reads the whole ledger and the
 * wallet's transactions, too much for every scrape of every backend, and never two at once.
 */
@Injectable()
export class MonitoringJobsService implements OnApplicationBootstrap {
  constructor(
    private readonly scheduler: JobSchedulerService,
    private readonly sampler: HealthSamplerService,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetricsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork || !this.metrics) return;
    const gauges = new LedgerGauges(this.metrics.registry, this.config.money.reconcileGraceSeconds);
    const every = this.config.metricsSampleSeconds;
    for (const network of this.config.networks) {
      this.scheduler.schedule(`metrics:${network}`, every, () =>
        this.sampleNetwork(gauges, network),
      );
    }
    this.scheduler.schedule('metrics:queues', every, () => this.sampleQueues(gauges));
  }

  async sampleNetwork(gauges: LedgerGauges, network: Network): Promise<void> {
    let tip: { height: number; timeMs: number };
    try {
      tip = await this.sampler.tip(network);
    } catch (error) {
      gauges.nodeUnreachable(network);
      throw error;
    }
    gauges.nodeAnswered(network, tip.height, tip.timeMs);
    const at = new Date();
    gauges.ledgerSampled(network, await this.sampler.ledger(network, at), at);
  }

  async sampleQueues(gauges: LedgerGauges): Promise<void> {
    const { solutions, deadLetters } = await this.sampler.brokerQueues();
    gauges.queuesSampled(solutions, deadLetters);
  }
}
