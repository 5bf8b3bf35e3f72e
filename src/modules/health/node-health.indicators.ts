import { Injectable } from '@nestjs/common';
import { HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { NodeClients } from '../../biblepay/node-clients';

/** `node_<network>` indicators for /health: the node answers getblockcount within 3 s. */
@Injectable()
export class NodeHealthIndicators {
  constructor(
    private readonly nodes: NodeClients,
    private readonly indicator: HealthIndicatorService,
  ) {}

  indicators(): HealthIndicatorFunction[] {
    return this.nodes.entries().map(
      ([network, client]) =>
        () =>
          this.indicator
            .check(`node_${network}`)
            .attempt(async () => ({ height: await client.getBlockCount() }))
            .withTimeout(3000),
    );
  }
}
