import type { Channel } from 'amqplib';

/**
 * Broker names, declared once by `npm run db:setup` (the frontend's broker user may not declare).
 * Solutions are published to a direct exchange with `mandatory`, so a missing binding comes back
 * as a returned message instead of a silent confirm.
 */
export const SOLUTION_EXCHANGE = 'purepool.solutions';
export const SOLUTION_QUEUE = 'purepool.solutions';
export const SOLUTION_ROUTING_KEY = 'solution';
export const DEAD_LETTER_EXCHANGE = 'purepool.solutions.dlx';
export const DEAD_LETTER_QUEUE = 'purepool.solutions.dead';

/** Most solution queues (SOLUTION_QUEUE_SHARDS): one per broker core is the useful range. */
export const MAX_SOLUTION_QUEUE_SHARDS = 16;

/**
 * Shard k of the solution queue and its routing key. Shard 0 keeps the unsharded names, so an
 * install with SOLUTION_QUEUE_SHARDS=1 (the default) is what it always was.
 */
export function solutionQueueName(shard: number): string {
  return shard === 0 ? SOLUTION_QUEUE : `${SOLUTION_QUEUE}.${shard}`;
}

export function solutionRoutingKey(shard: number): string {
  return shard === 0 ? SOLUTION_ROUTING_KEY : `${SOLUTION_ROUTING_KEY}.${shard}`;
}

export function solutionQueueNames(shards: number): string[] {
  return Array.from({ length: shards }, (_, k) => solutionQueueName(k));
}

/**
 * The shard of a work id (FNV-1a, so every frontend picks the same): all shares of one work go
 * through one queue, and the shards fill evenly.
 */
export function shardOfWork(workId: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < workId.length; i++) {
    hash ^= workId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

/** Broker permission regexes (configure, write, read) per role. */
export const BROKER_PERMISSIONS = {
  frontend: { configure: '^$', write: `^${escape(SOLUTION_EXCHANGE)}$`, read: '^$' },
  backend: { configure: '^purepool\\..*', write: '^purepool\\..*', read: '^purepool\\..*' },
} as const;

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const SOLUTION_QUEUE_TYPES = ['classic', 'quorum'] as const;
export type SolutionQueueType = (typeof SOLUTION_QUEUE_TYPES)[number];

export interface SolutionQueueOptions {
  type: SolutionQueueType;
  /** SOLUTION_QUEUE_SHARDS: solution queues, each bound with its own routing key. */
  shards: number;
  /** Quorum only: deliveries of one message (crash redeliveries included) before it is dead-lettered. */
  deliveryLimit: number;
  /**
   * SOLUTION_QUEUE_MAX_BYTES: what one solution queue may hold. A full queue refuses new messages
   * (`reject-publish`: the publisher's confirm becomes a nack, the wallet hears "temporarily
   * unavailable") instead of filling the broker's disk while no backend consumes.
   */
  maxBytes: number;
}

/** Default SOLUTION_QUEUE_MAX_BYTES: hours of a busy pool's shares, far from a broker disk's size. */
export const DEFAULT_SOLUTION_QUEUE_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * The queue arguments per type. A quorum queue dead-letters both a nack without requeue (the
 * consumer's verdict on a poison batch) and a message past its delivery limit (a message that
 * keeps killing its consumer); the DLQ has no limit, so the console browsing it loses nothing.
 */
export function solutionQueueArguments(
  options: Pick<SolutionQueueOptions, 'type' | 'deliveryLimit' | 'maxBytes'>,
): {
  queue: Record<string, unknown>;
  deadLetter: Record<string, unknown>;
} {
  if (options.type === 'quorum') {
    return {
      queue: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
        'x-delivery-limit': options.deliveryLimit,
        'x-max-length-bytes': options.maxBytes,
        'x-overflow': 'reject-publish',
      },
      deadLetter: { 'x-queue-type': 'quorum' },
    };
  }
  return {
    queue: {
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      'x-queue-type': 'classic',
      'x-queue-version': 2,
      'x-max-length-bytes': options.maxBytes,
      'x-overflow': 'reject-publish',
    },
    deadLetter: { 'x-queue-type': 'classic' },
  };
}

export async function declareSolutionTopology(
  channel: Channel,
  options: SolutionQueueOptions = {
    type: 'classic',
    deliveryLimit: 10,
    shards: 1,
    maxBytes: DEFAULT_SOLUTION_QUEUE_MAX_BYTES,
  },
): Promise<void> {
  const args = solutionQueueArguments(options);
  await channel.assertExchange(SOLUTION_EXCHANGE, 'direct', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'fanout', { durable: true });
  for (let shard = 0; shard < options.shards; shard++) {
    const queue = solutionQueueName(shard);
    await channel.assertQueue(queue, { durable: true, arguments: args.queue });
    await channel.bindQueue(queue, SOLUTION_EXCHANGE, solutionRoutingKey(shard));
  }
  await channel.assertQueue(DEAD_LETTER_QUEUE, { durable: true, arguments: args.deadLetter });
  await channel.bindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '');
}
