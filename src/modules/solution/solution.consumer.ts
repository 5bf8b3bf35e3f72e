import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
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
import { SolutionRecorder } from './solution-recorder.service';
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
export class SolutionConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SolutionConsumer.name);
  private channel?: ChannelWrapper;
  private buffer: Delivery[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private stopping = false;
  private readonly idleWaiters: (() => void)[] = [];
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
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.channel = this.broker.manager.createChannel({
      confirm: false,
      setup: async (channel: ConfirmChannel) => {
        await channel.prefetch(this.config.solution.prefetch);
        await channel.consume(SOLUTION_QUEUE, (raw) => raw && this.receive(raw, channel), {
          noAck: false,
        });
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
    while (this.buffer.length > 0 && this.inFlight < this.config.solution.batchesInFlight) {
      const batch = this.buffer.splice(0, this.config.solution.batchMax);
      this.inFlight++;
      void this.process(batch).finally(() => {
        this.inFlight--;
        if (this.buffer.length > 0) this.flush();
        else if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((done) => done());
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
        await new Promise((r) => setTimeout(r, waitMs));
      }
    }
    // Shutting down: leave the batch unacked; the broker redelivers it to a running consumer.
  }

  /** Stops taking messages, lets in-flight batches finish (bounded), then closes the channel. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ]);
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
