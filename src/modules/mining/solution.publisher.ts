import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ChannelWrapper } from 'amqp-connection-manager';
import { AppConfig } from '../../config/app-config';
import { BrokerConnection } from '../../messaging/broker-connection';
import { SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY } from '../../messaging/broker-topology';
import { encodeSolutionMessage, SolutionMessage } from '../../messaging/solution-message';

export class PublishError extends Error {}

/**
 * Publishes solutions as persistent, `mandatory` messages on a confirm channel. `publish` resolves
 * only when the broker has confirmed the message AND did not return it as unroutable — a confirm
 * alone is also sent for a message no queue took.
 */
@Injectable()
export class SolutionPublisher implements OnModuleDestroy {
  private readonly logger = new Logger(SolutionPublisher.name);
  private readonly channel: ChannelWrapper;
  /** Message ids the broker returned; basic.return always arrives before that message's ack. */
  private readonly returned = new Set<string>();

  constructor(
    private readonly broker: BrokerConnection,
    private readonly config: AppConfig,
  ) {
    this.channel = broker.manager.createChannel({
      confirm: true,
      publishTimeout: config.publishTimeoutMs,
      setup: async (channel: ConfirmChannel) => {
        channel.on('return', (message: ConsumeMessage) => {
          const id = message.properties.messageId as string | undefined;
          if (id) this.returned.add(id);
        });
        // Passive check only: the frontend's broker user may not declare anything.
        await channel.checkExchange(SOLUTION_EXCHANGE);
      },
    });
    this.channel.on('error', (error: Error) =>
      this.logger.warn(`solution channel: ${error.message}`),
    );
  }

  async publish(message: SolutionMessage): Promise<void> {
    if (!this.broker.isConnected()) throw new PublishError('broker not connected');
    try {
      await this.channel.publish(
        SOLUTION_EXCHANGE,
        SOLUTION_ROUTING_KEY,
        encodeSolutionMessage(message),
        {
          persistent: true,
          mandatory: true,
          messageId: message.id,
          contentType: 'application/json',
          timestamp: Math.floor(message.receivedAt / 1000),
          timeout: this.config.publishTimeoutMs,
        },
      );
    } catch (error) {
      this.returned.delete(message.id);
      throw new PublishError(`broker did not confirm: ${(error as Error).message}`);
    }
    if (this.returned.delete(message.id)) {
      // Unroutable: the topology is missing (db:setup not run?) — never answer ok.
      this.logger.error(`solution ${message.id} returned unroutable by the broker; run db:setup`);
      throw new PublishError('message was returned unroutable');
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.channel.close();
  }
}
