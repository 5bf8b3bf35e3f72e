import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ChannelWrapper } from 'amqp-connection-manager';
import { isObservable, lastValueFrom } from 'rxjs';
import { AppConfig } from '../config/app-config';
import { backoffMs } from '../server/backoff';
import { BrokerConnection } from './broker-connection';
import { solutionQueueNames } from './broker-topology';
import { MESSAGING_METRICS, type MessagingMetrics } from './messaging-metrics';
import type { SolutionBacklog } from './solution-backlog';
import { SOLUTION_BATCH, SolutionBatchOutcome } from './solution-batch';
import {
  clampToDelivery,
  decodeSolutionMessages,
  PoisonMessageError,
  SolutionMessage,
} from './solution-message';

/** One broker message: one solution (v1) or a frontend's group of them (v2). */
interface Delivery {
  messages: SolutionMessage[];
  raw: ConsumeMessage;
  channel: Channel;
}

export interface SolutionQueueStats {
  accepted: number;
  rejected: number;
  alreadyRecorded: number;
  deadLettered: number;
  batches: number;
  nodeWaits: number;
  databaseWaits: number;
  failedAttempts: number;
}

/** What a batch that is neither recorded nor failing waits for. */
export type SolutionWaitReason = 'node' | 'database';

/** The batches waiting for one reason right now: since when the first began, the last error. */
export interface SolutionWait {
  batches: number;
  since: Date;
  message: string;
}

/**
 * The backend's solution consumer as a Nest microservice transport (registered with
 * `connectMicroservice`): it owns the channel, the prefetch, the batching (SOLUTION_BATCH_MAX or
 * SOLUTION_BATCH_WAIT_MS), dead-lettering and ack-after-commit, and hands each batch to the
 * `@EventPattern(SOLUTION_BATCH)` handler. A batch is acked only once its handler reports it
 * recorded, so a crash redelivers it and the recorder makes that harmless. While the node or the
 * database is down (unreachable, read-only, lock waits given up) a batch waits unacked (capped
 * exponential backoff, as long as it takes: nothing is rejected or dead-lettered for their
 * absence; `waiting()` reports it to /health and /metrics); a batch that fails otherwise is split
 * until only the delivery whose solution fails alone is dead-lettered (after
 * SOLUTION_BATCH_ATTEMPTS tries). An unparsable message is dead-lettered at once.
 */
@Injectable()
export class SolutionQueueServer
  extends Server
  implements CustomTransportStrategy, SolutionBacklog, OnModuleDestroy
{
  private readonly log = new Logger('SolutionQueue');
  /** Every shard of the solution queue (SOLUTION_QUEUE_SHARDS): each backend consumes them all. */
  private readonly queues: string[];
  private channel?: ChannelWrapper;
  private buffer: Delivery[] = [];
  private bufferedSolutions = 0;
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private stopping = false;
  private drainedOnce?: Promise<void>;
  /** The live subscriptions, one per queue shard (a reconnect makes new ones), cancelled first on shutdown. */
  private consuming?: { channel: Channel; consumerTags: string[] };
  private readonly idleWaiters: (() => void)[] = [];
  /** Batches waiting out a failure; shutdown wakes them so they give up at once. */
  private readonly pauses = new Set<() => void>();
  /** Each batch (a settle call) waiting for the node or the database, and since when. */
  private readonly waits = new Map<
    object,
    { reason: SolutionWaitReason; since: number; message: string }
  >();
  readonly stats: SolutionQueueStats = {
    accepted: 0,
    rejected: 0,
    alreadyRecorded: 0,
    deadLettered: 0,
    batches: 0,
    nodeWaits: 0,
    databaseWaits: 0,
    failedAttempts: 0,
  };

  constructor(
    private readonly broker: BrokerConnection,
    private readonly config: AppConfig,
    @Optional() @Inject(MESSAGING_METRICS) private readonly metrics?: MessagingMetrics,
  ) {
    super();
    this.queues = solutionQueueNames(config.solutionQueueShards);
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    if (this.metrics) {
      solutionQueueGauges(this.metrics, {
        queueDepth: () => this.queueDepth(),
        buffered: () => this.buffer.reduce((n, d) => n + d.messages.length, 0),
        waitingBatches: (reason) => this.waiting()[reason]?.batches ?? 0,
      });
    }
    this.channel = this.broker.manager.createChannel({
      confirm: false,
      setup: async (channel: ConfirmChannel) => {
        await channel.prefetch(this.config.solution.prefetch);
        const consumerTags: string[] = [];
        for (const queue of this.queues) {
          const { consumerTag } = await channel.consume(
            queue,
            (raw) => raw && this.receive(raw, channel),
            { noAck: false },
          );
          consumerTags.push(consumerTag);
        }
        this.consuming = { channel, consumerTags };
      },
    });
    this.channel.on('error', (error: Error) => this.log.warn(`consumer channel: ${error.message}`));
    callback();
  }

  /** No transport events to subscribe to: the broker connection reports its own. */
  on(): void {
    return undefined;
  }

  unwrap<T>(): T {
    if (!this.channel) throw new Error('the solution queue server is not listening');
    return this.channel as T;
  }

  private receive(raw: ConsumeMessage, channel: Channel): void {
    let messages: SolutionMessage[];
    try {
      messages = clampToDelivery(decodeSolutionMessages(raw.content), Date.now());
    } catch (error) {
      if (!(error instanceof PoisonMessageError)) throw error;
      this.stats.deadLettered++;
      this.metrics?.solutionDeadLettered();
      this.log.warn(
        `dead-lettering unparsable message ${raw.properties.messageId ?? '?'}: ${error.message}`,
      );
      safely(() => channel.nack(raw, false, false));
      return;
    }
    this.buffer.push({ messages, raw, channel });
    this.bufferedSolutions += messages.length;
    if (this.bufferedSolutions >= this.config.solution.batchMax) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.config.solution.batchWaitMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopping) return;
    while (this.buffer.length > 0 && this.inFlight < this.config.solution.batchesInFlight) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.process(batch).finally(() => {
        this.inFlight--;
        if (!this.stopping && this.buffer.length > 0) this.flush();
        if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((done) => done());
      });
    }
  }

  /** Whole deliveries up to SOLUTION_BATCH_MAX solutions (at least one delivery, however large). */
  private takeBatch(): Delivery[] {
    let count = 0;
    let take = 0;
    while (take < this.buffer.length) {
      const size = this.buffer[take].messages.length;
      if (take > 0 && count + size > this.config.solution.batchMax) break;
      count += size;
      take++;
    }
    this.bufferedSolutions -= count;
    return this.buffer.splice(0, take);
  }

  /**
   * Records a batch, then settles each delivery: acked once all its solutions are committed,
   * dead-lettered when one of them could not be recorded even alone (the others of a frontend's
   * group are recorded by then: a requeue finds them recorded and changes nothing).
   */
  private async process(batch: Delivery[]): Promise<void> {
    const failed = await this.settle(batch.flatMap((d) => d.messages));
    // Shutting down: leave the batch unacked; the broker redelivers it to a running consumer.
    if (failed === null) return;
    for (const d of batch) {
      if (!d.messages.some((m) => failed.has(m))) {
        safely(() => d.channel.ack(d.raw));
        continue;
      }
      this.stats.deadLettered += d.messages.length;
      this.metrics?.solutionDeadLettered();
      safely(() => d.channel.nack(d.raw, false, false));
    }
  }

  /**
   * Hands `messages` to the handler until they are recorded; returns the solutions that could not
   * be (null: shutting down first). The node or the database being down is waited out, unacked
   * and uncounted. A failure that is not transient (a row the database refuses, a bug) splits the
   * batch in halves at once — and a transient one (the connection broke on this batch while the
   * database answers) after SOLUTION_BATCH_ATTEMPTS tries — so one bad solution never takes the
   * honest shares of its batch with it; a single solution that still fails SOLUTION_BATCH_ATTEMPTS
   * times is given up.
   */
  private async settle(messages: SolutionMessage[]): Promise<Set<SolutionMessage> | null> {
    const self = {};
    try {
      return await this.settleAs(self, messages);
    } finally {
      this.waits.delete(self);
    }
  }

  private async settleAs(
    self: object,
    messages: SolutionMessage[],
  ): Promise<Set<SolutionMessage> | null> {
    let failures = 0;
    for (let attempt = 0; !this.stopping; attempt++) {
      const outcome = await this.handle(messages);
      if (outcome.status === 'recorded') {
        this.stats.accepted += outcome.accepted;
        this.stats.rejected += outcome.rejected;
        this.stats.alreadyRecorded += outcome.alreadyRecorded;
        this.stats.batches++;
        return new Set();
      }
      if (outcome.status === 'node_unavailable') {
        this.stats.nodeWaits++;
        this.waitFor(self, 'node', outcome.message);
      } else if (outcome.status === 'database_unavailable') {
        // Down, read-only or locked: no fault of these solutions, and not counted against them.
        this.stats.databaseWaits++;
        this.waitFor(self, 'database', outcome.message);
      } else {
        this.waits.delete(self);
        this.stats.failedAttempts++;
        failures++;
        const exhausted = failures >= this.config.solution.batchAttempts;
        if (messages.length > 1 && (outcome.transient !== true || exhausted)) {
          this.log.warn(
            `a batch of ${messages.length} failed (${outcome.message}): split to find the solution it fails on`,
          );
          const half = Math.ceil(messages.length / 2);
          const first = await this.settle(messages.slice(0, half));
          if (first === null) return null;
          const second = await this.settle(messages.slice(half));
          if (second === null) return null;
          return new Set([...first, ...second]);
        }
        if (exhausted) {
          this.log.error(
            `dead-lettering solution ${messages[0].id} after ${failures} failed attempts: ${outcome.message}`,
          );
          return new Set(messages);
        }
      }
      // Capped: once the outage ends, a waiting batch is recorded within NODE_RETRY_MAX_SECONDS.
      const waitMs = backoffMs(attempt, 250, this.config.solution.nodeRetryMaxSeconds * 1000);
      this.log.warn(`batch of ${messages.length} waits ${waitMs} ms: ${outcome.message}`);
      await this.pause(waitMs);
    }
    return null;
  }

  private waitFor(self: object, reason: SolutionWaitReason, message: string): void {
    const since = this.waits.get(self);
    this.waits.set(self, {
      reason,
      since: since?.reason === reason ? since.since : Date.now(),
      message,
    });
  }

  /** Whether this process consumes the queue (listen() ran: a backend doing background work). */
  isConsuming(): boolean {
    return this.channel !== undefined && !this.stopping;
  }

  /** The batches held unacked for the node's or the database's outage, by reason. */
  waiting(): Partial<Record<SolutionWaitReason, SolutionWait>> {
    const found: Partial<Record<SolutionWaitReason, SolutionWait>> = {};
    for (const { reason, since, message } of this.waits.values()) {
      const seen = found[reason];
      if (!seen) found[reason] = { batches: 1, since: new Date(since), message };
      else {
        seen.batches++;
        if (since < seen.since.getTime()) seen.since = new Date(since);
      }
    }
    return found;
  }

  /** Runs the batch handler; a handler that is missing or throws anyway counts as a failure. */
  private async handle(messages: SolutionMessage[]): Promise<SolutionBatchOutcome> {
    const handler = this.getHandlerByPattern(SOLUTION_BATCH);
    if (!handler) return { status: 'failed', message: `no handler for ${SOLUTION_BATCH}` };
    try {
      const result: unknown = await handler(messages);
      const outcome = (isObservable(result) ? await lastValueFrom(result) : result) as
        SolutionBatchOutcome | undefined;
      return outcome ?? { status: 'failed', message: 'the batch handler returned nothing' };
    } catch (error) {
      return { status: 'failed', message: (error as Error)?.message ?? String(error) };
    }
  }

  /** Nothing buffered or in validation here, and the queue holds no ready message. */
  async drained(): Promise<boolean> {
    if (this.buffer.length > 0 || this.inFlight > 0) return false;
    return (await this.queueDepth()) === 0;
  }

  /**
   * Ready messages in the solution queues (every shard), by passive declares on the consumer's own
   * channel; null while disconnected or when the broker does not answer within a second.
   */
  private async queueDepth(): Promise<number | null> {
    const channel = this.channel;
    if (!channel || !this.broker.isConnected()) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 1000)));
    try {
      const replies = await Promise.race([
        Promise.all(this.queues.map((queue) => channel.checkQueue(queue))),
        timeout,
      ]);
      return replies?.reduce((sum, reply) => sum + reply.messageCount, 0) ?? null;
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
   * Stops consuming without losing anything: cancels the subscription so no more messages arrive,
   * lets the batches being recorded commit and ack (bounded by SHUTDOWN_TIMEOUT_MS), then closes
   * the channel — which hands the buffered, never-processed messages back to the queue. A batch
   * waiting out a failure stops retrying and goes back unacked too. Idempotent: the graceful
   * shutdown calls it before the data source closes (Nest itself closes microservices only after
   * the module destroy hooks), the module destroy hook and Nest's close call it again.
   */
  drain(): Promise<void> {
    this.drainedOnce ??= this.stop();
    return this.drainedOnce;
  }

  close(): Promise<void> {
    return this.drain();
  }

  onModuleDestroy(): Promise<void> {
    return this.drain();
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    for (const wake of [...this.pauses]) wake();
    const consuming = this.consuming;
    this.consuming = undefined;
    if (consuming) {
      for (const consumerTag of consuming.consumerTags) {
        await consuming.channel.cancel(consumerTag).catch((error: Error) => {
          this.log.warn(`cancelling the subscription: ${error.message}`);
        });
      }
    }
    if (this.inFlight > 0) {
      // Most of SHUTDOWN_TIMEOUT_MS, not all: the channel, the broker connection and the database
      // still close after this, before the process's own deadline.
      const waitMs = Math.floor(this.config.shutdownTimeoutMs * 0.8);
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise((resolve) => (bound = setTimeout(resolve, waitMs))),
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

/** The consumer's gauges (also registered by the metrics reference generator, scripts/docs). */
export function solutionQueueGauges(
  metrics: MessagingMetrics,
  read: {
    queueDepth: () => Promise<number | null>;
    buffered: () => number;
    waitingBatches: (reason: 'node' | 'database') => number;
  },
): void {
  metrics.sampledGauge(
    'purepool_solution_queue_depth',
    'Messages waiting in the solution queues, all shards (passive checkQueue at scrape time); a frontend group is one message.',
    read.queueDepth,
  );
  metrics.sampledGauge(
    'purepool_solution_buffered',
    'Solutions delivered to this backend and waiting for a free batch slot.',
    () => Promise.resolve(read.buffered()),
  );
  metrics.sampledGaugeBy(
    'purepool_solution_batches_waiting',
    'Solution batches held unacked while the node or the database is down (reason: node, database).',
    'reason',
    () =>
      Promise.resolve(
        new Map((['node', 'database'] as const).map((r) => [r, read.waitingBatches(r)] as const)),
      ),
  );
}
