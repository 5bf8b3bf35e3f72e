import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import amqp, { AmqpConnectionManager } from 'amqp-connection-manager';
import { AppConfig } from '../config/app-config';

/** The role's one broker connection (its own broker user), reconnecting on its own. */
@Injectable()
export class BrokerConnection implements OnModuleDestroy {
  private readonly logger = new Logger(BrokerConnection.name);
  readonly manager: AmqpConnectionManager;

  constructor(config: AppConfig) {
    this.manager = amqp.connect([config.amqpUrl], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
    });
    this.manager.on('connect', () => this.logger.log('connected to the broker'));
    this.manager.on('disconnect', ({ err }) =>
      this.logger.warn(`broker connection lost: ${err?.message ?? 'closed'}`),
    );
    this.manager.on('connectFailed', ({ err }) =>
      this.logger.warn(`cannot reach the broker: ${err?.message}`),
    );
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  async onModuleDestroy(): Promise<void> {
    await this.manager.close();
  }
}
