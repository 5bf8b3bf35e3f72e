import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ChannelWrapper } from 'amqp-connection-manager';
import { AppConfig } from '../../config/app-config';
import { BrokerConnection } from '../../messaging/broker-connection';
import { SOLUTION_QUEUE } from '../../messaging/broker-topology';
import {
  decodeSolutionMessage,
  PoisonMessageError,
  SolutionMessage,
} from '../../messaging/solution-message';
import { PoolMetrics } from '../metrics/pool-metrics.service';
import { MinerSuspender } from './miner-suspender.service';
import { SolutionRecorder } from './solution-recorder.service';
import { SolutionBacklog } from './solution-backlog';
import { NodeUnavailableError, SolutionValidator } from './solution-validator.service';

interface Delivery {
  message: SolutionMessage;
  raw: ConsumeMessage;
  channel: Channel;
}

export interface ConsumerStats {
  accepted: number;
  rejected: number;
  alreadyRecorded: number;
  deadLettered: number;
  batches: number;
  nodeWaits: number;
}

/**
 * Consumes the solution queue as one of possibly several competing backends. Messages are grouped
 * into batches (SOLUTION_BATCH_MAX or SOLUTION_BATCH_WAIT_MS), validated, recorded in one
 * transaction and acked only after that commit: a crash before the ack redelivers them and the
 * recorder makes the redelivery harmless. A message that cannot be parsed is dead-lettered at
 * once. While the node is unreachable the batch waits (backoff) and is retried; nothing is
 * rejected for the node's absence.
 */
@Injectable()
export class SolutionConsumer implements OnApplicationBootstrap, OnModuleDestroy, SolutionBacklog {
  private readonly logger = new Logger(SolutionConsumer.name);
  private channel?: ChannelWrapper;
  private buffer: Delivery[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private stopping = false;
  /** The live subscription (a reconnect makes a new one), cancelled first on shutdown. */
  private consuming?: { channel: Channel; consumerTag: string };
  private readonly idleWaiters: (() => void)[] = [];
  /** Batches waiting out a node outage; shutdown wakes them so they give up at once. */
  private readonly pauses = new Set<() => void>();
  readonly stats: ConsumerStats = {
    accepted: 0,
    rejected: 0,
    alreadyRecorded: 0,
    deadLettered: 0,
    batches: 0,
    nodeWaits: 0,
  };

  constructor(
    private readonly broker: BrokerConnection,
    private readonly validator: SolutionValidator,
    private readonly recorder: SolutionRecorder,
    private readonly suspender: MinerSuspender,
    private readonly config: AppConfig,
    @Optional() private readonly metrics?: PoolMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runBackgroundWork) return;
    this.metrics?.sampledGauge(
      'purepool_solution_queue_depth',
      'Solutions waiting in the broker queue (passive checkQueue at scrape time).',
      () => this.queueDepth(),
    );
    this.metrics?.sampledGauge(
      'purepool_solution_buffered',
      'Solutions delivered to this backend and waiting for a free batch slot.',
      () => Promise.resolve(this.buffer.length),
    );
    this.channel = this.broker.manager.createChannel({
      confirm: false,
      setup: async (channel: ConfirmChannel) => {
        await channel.prefetch(this.config.solution.prefetch);
        const { consumerTag } = await channel.consume(
          SOLUTION_QUEUE,
          (raw) => raw && this.receive(raw, channel),
          { noAck: false },
        );
        this.consuming = { channel, consumerTag };
      },
    });
    this.channel.on('error', (error: Error) =>
      this.logger.warn(`consumer channel: ${error.message}`),
    );
  }

  private receive(raw: ConsumeMessage, channel: Channel): void {
    let message: SolutionMessage;
    try {
      message = decodeSolutionMessage(raw.content);
    } catch (error) {
      if (!(error instanceof PoisonMessageError)) throw error;
      this.stats.deadLettered++;
      this.metrics?.solutionDeadLettered();
      this.logger.warn(
        `dead-lettering unparsable message ${raw.properties.messageId ?? '?'}: ${error.message}`,
      );
      safely(() => channel.nack(raw, false, false));
      return;
    }
    this.buffer.push({ message, raw, channel });
    if (this.buffer.length >= this.config.solution.batchMax) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.config.solution.batchWaitMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopping) return;
    while (this.buffer.length > 0 && this.inFlight < this.config.solution.batchesInFlight) {
      const batch = this.buffer.splice(0, this.config.solution.batchMax);
      this.inFlight++;
      void this.process(batch).finally(() => {
        this.inFlight--;
        if (!this.stopping && this.buffer.length > 0) this.flush();
        if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((done) => done());
      });
    }
  }

  private async process(batch: Delivery[]): Promise<void> {
    for (let attempt = 0; !this.stopping; attempt++) {
      try {
        const verdicts = await this.validator.validate(batch.map((d) => d.message));
        const result = await this.recorder.record(verdicts);
        this.stats.accepted += result.accepted;
        this.stats.rejected += result.rejected;
        this.stats.alreadyRecorded += result.alreadyRecorded;
        this.stats.batches++;
        for (const d of batch) safely(() => d.channel.ack(d.raw));
        await this.suspender.review(verdicts).catch((error: Error) => {
          this.logger.warn(`reviewing miners for suspension: ${error.message}`);
        });
        return;
      } catch (error) {
        const waitMs = Math.min(
          this.config.solution.nodeRetryMaxSeconds * 1000,
          250 * 2 ** Math.min(attempt, 10),
        );
        if (error instanceof NodeUnavailableError) this.stats.nodeWaits++;
        this.logger.warn(
          `batch of ${batch.length} waits ${waitMs} ms: ${(error as Error).message}`,
        );
        await this.pause(waitMs);
      }
    }
    // Shutting down: leave the batch unacked; the broker redelivers it to a running consumer.
  }

  /** Nothing buffered or in validation here, and the queue holds no ready message. */
  async drained(): Promise<boolean> {
    if (this.buffer.length > 0 || this.inFlight > 0) return false;
    return (await this.queueDepth()) === 0;
  }

  /**
   * Ready messages in the solution queue, by a passive declare on the consumer's own channel;
   * null while disconnected or when the broker does not answer within a second.
   */
  private async queueDepth(): Promise<number | null> {
    const channel = this.channel;
    if (!channel || !this.broker.isConnected()) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 1000)));
    try {
      const reply = await Promise.race([channel.checkQueue(SOLUTION_QUEUE), timeout]);
      return reply?.messageCount ?? null;
    } finally {
      clearTimeout(timer);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.pauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.pauses.add(wake);
    });
  }

  /**
   * Shutdown (runs before the broker connection and the database close): cancels the subscription
   * so no more messages arrive, lets the batches being validated commit and ack (bounded by
   * SHUTDOWN_TIMEOUT_MS), then closes the channel — which hands the buffered, never-processed
   * messages back to the queue for the next consumer. A batch waiting out a node outage stops
   * retrying and goes back unacked too.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    for (const wake of [...this.pauses]) wake();
    const consuming = this.consuming;
    this.consuming = undefined;
    if (consuming) {
      await consuming.channel.cancel(consuming.consumerTag).catch((error: Error) => {
        this.logger.warn(`cancelling the subscription: ${error.message}`);
      });
    }
    if (this.inFlight > 0) {
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise((resolve) => (bound = setTimeout(resolve, this.config.shutdownTimeoutMs))),
      ]);
      clearTimeout(bound);
    }
    await this.channel?.close();
  }
}

/** An ack/nack on a channel that has since closed just fails; the broker redelivers, that is fine. */
function safely(action: () => void): void {
  try {
    action();
  } catch {
    // channel closed
  }
}
