import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { PoolMetricsService } from '../modules/metrics/pool-metrics.service';
import { Network } from './network';
import { BiblepayRpcClient, BiblepayRpcClientOptions } from './rpc';

/**
 * One RPC client per served network (NODE_RPC_URL_<NET>). Backend only: the frontend's root module
 * does not import BiblepayNodeModule, so a frontend process cannot construct a client.
 */
@Injectable()
export class NodeClients implements OnModuleDestroy {
  private readonly clients = new Map<Network, BiblepayRpcClient>();
  private observer?: BiblepayRpcClientOptions['onCall'];

  constructor(config: AppConfig, @Optional() metrics?: PoolMetricsService) {
    for (const network of config.networks) {
      const url = config.nodeRpcUrl[network];
      if (!url) throw new Error(`NODE_RPC_URL_${network.toUpperCase()} is not set`);
      this.clients.set(
        network,
        new BiblepayRpcClient({
          url,
          timeoutMs: config.nodeRpcTimeoutMs,
          sendTimeoutMs: config.nodeSendTimeoutMs,
          onCall: (method, ms, outcome) => this.observer?.(method, ms, outcome),
        }),
      );
    }
    // Absent in CLI contexts, which do not import MetricsModule.
    if (metrics) this.observe(metrics.nodeCall);
  }

  /** Lets metrics watch every node call (latency and outcome). */
  observe(observer: BiblepayRpcClientOptions['onCall']): void {
    this.observer = observer;
  }

  of(network: Network): BiblepayRpcClient {
    const client = this.clients.get(network);
    if (!client) throw new Error(`network ${network} is not served`);
    return client;
  }

  entries(): [Network, BiblepayRpcClient][] {
    return [...this.clients.entries()];
  }

  onModuleDestroy(): void {
    for (const client of this.clients.values()) client.close();
  }
}
