import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AmqpConnectionManagerClass } from 'amqp-connection-manager';
import { AppConfig } from '../config/app-config';
import { isEncrypted } from '../config/link-tls';
import { amqpSocketOptions } from './broker-link';

/**
 * The role's one broker connection (its own broker user), reconnecting on its own. With a comma
 * list of cluster nodes the manager moves on to the next node whenever a connection fails.
 */
@Injectable()
export class BrokerConnection implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BrokerConnection.name);
  readonly manager: AmqpConnectionManagerClass;

  constructor(private readonly config: AppConfig) {
    this.manager = new AmqpConnectionManagerClass([...config.broker.urls], {
      connectionOptions: amqpSocketOptions(config.broker),
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
    });
    this.manager.on('connect', ({ url }: { url: unknown }) =>
      this.logger.log(`connected to the broker at ${describeAmqpUrl(String(url))}`),
    );
    this.manager.on('disconnect', ({ err }: { err?: Error }) =>
      this.logger.warn(`broker connection lost: ${err?.message ?? 'closed'}`),
    );
    // Retries run every second; say so once, then every 30 s, naming the broker (not the password).
    const where = config.broker.urls.map(describeAmqpUrl).join(', ');
    let lastWarned = 0;
    this.manager.on('connectFailed', ({ err }: { err?: Error }) => {
      if (Date.now() - lastWarned < 30_000) return;
      lastWarned = Date.now();
      this.logger.warn(
        `waiting for RabbitMQ at ${where}: ${err?.message ?? 'connection failed'} (retrying every second)`,
      );
    });
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

  /** amqps:// — the connection cannot be clear text (amqplib opens a TLS socket or nothing). */
  isEncrypted(): boolean {
    return isEncrypted(this.config.broker);
  }

  async onModuleDestroy(): Promise<void> {
    await this.manager.close();
  }
}

/** `host:port/vhost` of an AMQP URL, never its password. */
export function describeAmqpUrl(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || (u.protocol === 'amqps:' ? '5671' : '5672')}${u.pathname || '/'}`;
}
