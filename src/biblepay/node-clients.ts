import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Network } from './network';
import { NodeFlavorDetector, NodeFlavorReport } from './node-flavor-detector';
import { NodeFlavor } from './node-flavor';
import { NODE_METRICS, type NodeMetrics } from './node-metrics';
import { BiblepayRpcClient, BiblepayRpcClientOptions } from './rpc';

/**
 * One RPC client per served network (NODE_RPC_URL_<NET>). Backend only: the frontend's root module
 * does not import BiblepayNodeModule, so a frontend process cannot construct a client.
 */
@Injectable()
export class NodeClients implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NodeClients.name);
  private readonly clients = new Map<Network, BiblepayRpcClient>();
  private readonly flavors = new Map<Network, NodeFlavorDetector>();
  private observer?: BiblepayRpcClientOptions['onCall'];

  constructor(config: AppConfig, @Optional() @Inject(NODE_METRICS) metrics?: NodeMetrics) {
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
    for (const [network, client] of this.clients) {
      this.flavors.set(
        network,
        new NodeFlavorDetector(network, client, config.nodeFlavor[network], () =>
          config.poolAddressOf(network),
        ),
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

  /**
   * The node's generation (NODE_FLAVOR_<NET>, or detected with getnetworkinfo): what the pool sends
   * and how it reads the answers depend on it. Rejects while an `auto` node cannot be asked.
   */
  flavor(network: Network): Promise<NodeFlavor> {
    return this.detector(network).flavor();
  }

  /** What is known about the node's generation and the pool address's label, for /health. */
  flavorReport(network: Network): NodeFlavorReport {
    return this.detector(network).report();
  }

  /** Detects and logs every node's generation at start; a node that is down is asked again later. */
  onApplicationBootstrap(): void {
    for (const [network, detector] of this.flavors) {
      detector.detect().then(
        (report) =>
          report.warnings.length > 0
            ? this.logger.warn(describe(network, report))
            : this.logger.log(describe(network, report)),
        (error: Error) =>
          this.logger.warn(`node ${network}: generation not known yet (${error.message})`),
      );
    }
  }

  private detector(network: Network): NodeFlavorDetector {
    const detector = this.flavors.get(network);
    if (!detector) throw new Error(`network ${network} is not served`);
    return detector;
  }

  entries(): [Network, BiblepayRpcClient][] {
    return [...this.clients.entries()];
  }

  onModuleDestroy(): void {
    for (const client of this.clients.values()) client.close();
  }
}

function describe(network: Network, r: NodeFlavorReport): string {
  const version = r.version ? ` ${r.version}` : '';
  return (
    `node ${network}: ${r.flavor ?? 'unknown'}${version} (NODE_FLAVOR_${network.toUpperCase()}=${r.setting})` +
    r.warnings.map((w) => `; WARNING: ${w}`).join('')
  );
}
