import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AmqpConnectionManagerClass } from 'amqp-connection-manager';
import { AppConfig } from '../config/app-config';

/** The role's one broker connection (its own broker user), reconnecting on its own. */
@Injectable()
export class BrokerConnection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BrokerConnection.name);
  readonly manager: AmqpConnectionManagerClass;

  constructor(private readonly config: AppConfig) {
    this.manager = new AmqpConnectionManagerClass([config.amqpUrl], {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
    });
    this.manager.on('connect', () => this.logger.log('connected to the broker'));
    this.manager.on('disconnect', ({ err }: { err?: Error }) =>
      this.logger.warn(`broker connection lost: ${err?.message ?? 'closed'}`),
    );
  }

  /** Waits (bounded) for the first connection so a fresh process is ready when it starts listening. */
  async onModuleInit(): Promise<void> {
    const wait = this.config.brokerConnectWaitMs;
    try {
      await this.manager.connect({ timeout: wait > 0 ? wait : 1 });
    } catch (error) {
      this.logger.warn(
        `broker not reachable after ${wait} ms (${(error as Error).message}); retrying in the background`,
      );
    }
  }

  isConnected(): boolean {
    return this.manager.isConnected();
  }

  async onModuleDestroy(): Promise<void> {
    await this.manager.close();
  }
}
