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

/** Broker permission regexes (configure, write, read) per role. */
export const BROKER_PERMISSIONS = {
  frontend: { configure: '^$', write: `^${escape(SOLUTION_EXCHANGE)}$`, read: '^$' },
  backend: { configure: '^purepool\\..*', write: '^purepool\\..*', read: '^purepool\\..*' },
} as const;

function escape(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function declareSolutionTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(SOLUTION_EXCHANGE, 'direct', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'fanout', { durable: true });
  await channel.assertQueue(SOLUTION_QUEUE, {
    durable: true,
    arguments: {
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
      'x-queue-type': 'classic',
      'x-queue-version': 2,
    },
  });
  await channel.assertQueue(DEAD_LETTER_QUEUE, {
    durable: true,
    arguments: { 'x-queue-type': 'classic' },
  });
  await channel.bindQueue(SOLUTION_QUEUE, SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY);
  await channel.bindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '');
}
