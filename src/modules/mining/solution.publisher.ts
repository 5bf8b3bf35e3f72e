import { Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ChannelWrapper } from 'amqp-connection-manager';
import { AppConfig } from '../../config/app-config';
import { BrokerConnection } from '../../messaging/broker-connection';
import {
  shardOfWork,
  SOLUTION_EXCHANGE,
  solutionRoutingKey,
} from '../../messaging/broker-topology';
import {
  encodeSolutionMessages,
  estimatedBytes,
  GROUP_BYTES_TARGET,
  SolutionMessage,
} from '../../messaging/solution-message';
import { PoolMetricsService } from '../metrics/pool-metrics.service';

export class PublishError extends Error {}

/**
 * Unconfirmed groups per queue shard before a partial group waits for a confirm. One: the
 * solutions that arrive while a group travels go together in the next (new-connection wallets
 * arrive one per event-loop turn, so a turn alone groups ~1.3). Measured by `npm run bench:intake`,
 * alternating runs (issue 23): 2,646 vs 2,131 solutions/s, 6.1 vs 1.3 solutions per message.
 */
export const PUBLISHES_IN_FLIGHT = 1;

interface Waiting {
  message: SolutionMessage;
  resolve: () => void;
  reject: (error: Error) => void;
}

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
  /** Per queue shard, the solutions waiting for the end of this event-loop turn to go as one group. */
  private readonly waiting = new Map<number, Waiting[]>();
  private flushScheduled = false;
  /** Per queue shard, groups published and not yet confirmed. */
  private readonly inFlight = new Map<number, number>();

  constructor(
    private readonly broker: BrokerConnection,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetricsService,
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

  /**
   * Resolves once the broker holds the solution. With SOLUTION_PUBLISH_BATCH_MAX > 1 the solutions
   * that arrive in the same turn of the event loop, or while the shard's previous group awaits its
   * confirm, travel in one message (group commit): no wait is added when idle, yet under load one
   * confirm answers many wallets. With SOLUTION_QUEUE_SHARDS > 1 the
   * work id picks the queue (one group per queue).
   */
  publish(message: SolutionMessage, workId: string): Promise<void> {
    if (!this.broker.isConnected()) return Promise.reject(new PublishError('broker not connected'));
    const shard = shardOfWork(workId, this.config.solutionQueueShards);
    return new Promise<void>((resolve, reject) => {
      let waiting = this.waiting.get(shard);
      if (!waiting) this.waiting.set(shard, (waiting = []));
      waiting.push({ message, resolve, reject });
      if (waiting.length >= this.config.publishBatchMax) this.flush(shard, waiting, true);
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flushAll());
      }
    });
  }

  private flushAll(force = false): void {
    this.flushScheduled = false;
    for (const [shard, waiting] of this.waiting) this.flush(shard, waiting, force);
  }

  /**
   * Sends the shard's waiting solutions in groups. A partial group waits while
   * PUBLISHES_IN_FLIGHT groups of that shard await their confirm (more solutions join it
   * meanwhile); a full group, or `force`, goes at once.
   */
  private flush(shard: number, waiting: Waiting[], force = false): void {
    while (waiting.length > 0) {
      const inFlight = this.inFlight.get(shard) ?? 0;
      const size = this.groupSize(waiting);
      // A group closed by its size (count or bytes) is full; only a partial one waits.
      if (
        !force &&
        size === waiting.length &&
        size < this.config.publishBatchMax &&
        inFlight >= PUBLISHES_IN_FLIGHT
      )
        return;
      const group = waiting.splice(0, size);
      this.inFlight.set(shard, inFlight + 1);
      this.send(
        shard,
        group.map((w) => w.message),
      )
        .then(
          () => group.forEach((w) => w.resolve()),
          (error: Error) => group.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight.set(shard, (this.inFlight.get(shard) ?? 1) - 1);
          if (waiting.length > 0) this.flush(shard, waiting);
        });
    }
  }

  /**
   * How many of the waiting solutions the next group takes: at most SOLUTION_PUBLISH_BATCH_MAX,
   * closed early at GROUP_BYTES_TARGET — a backend dead-letters a message past
   * MAX_SOLUTION_MESSAGE_BYTES (solution-message.ts), so an honest group stays well under it.
   */
  private groupSize(waiting: readonly Waiting[]): number {
    let take = 0;
    let bytes = 0;
    while (take < waiting.length && take < this.config.publishBatchMax) {
      bytes += estimatedBytes(waiting[take].message);
      if (take > 0 && bytes > GROUP_BYTES_TARGET) break;
      take++;
    }
    return take;
  }

  private async send(shard: number, messages: SolutionMessage[]): Promise<void> {
    const messageId = messages.length === 1 ? messages[0].id : randomUUID();
    try {
      await this.channel.publish(
        SOLUTION_EXCHANGE,
        solutionRoutingKey(shard),
        encodeSolutionMessages(messages),
        {
          persistent: true,
          mandatory: true,
          messageId,
          contentType: 'application/json',
          timestamp: Math.floor(messages[0].receivedAt / 1000),
          timeout: this.config.publishTimeoutMs,
        },
      );
    } catch (error) {
      this.returned.delete(messageId);
      throw new PublishError(`broker did not confirm: ${(error as Error).message}`);
    }
    if (this.returned.delete(messageId)) {
      // Unroutable: the topology is missing (db:setup not run?) — never answer ok.
      this.logger.error(
        `solution message ${messageId} returned unroutable by the broker; run db:setup`,
      );
      throw new PublishError('message was returned unroutable');
    }
    this.metrics?.solutionsPublished(messages.length);
  }

  async onModuleDestroy(): Promise<void> {
    this.flushAll(true);
    await this.channel.close();
  }
}
