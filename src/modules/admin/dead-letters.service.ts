import { decodeSolutionMessages } from '../../messaging/solution-message';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { ConfirmChannel, GetMessage } from 'amqplib';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AdminActionRepository } from './admin-action.repository';
import type { ActionContext } from './miner-admin.service';
import { connectToAnyNode } from '../../messaging/broker-connect';
import {
  DEAD_LETTER_QUEUE,
  SOLUTION_EXCHANGE,
  SOLUTION_ROUTING_KEY,
} from '../../messaging/broker-topology';

export interface DeadLetter {
  /** The message id the frontend gave it, or `sha256:…` of its body when it has none. */
  key: string;
  reason: string | null;
  deadLetteredAt: Date | null;
  /** Network and worker id when the body is a solution message (else null). */
  network: string | null;
  miner: string | null;
  /** Solutions the message carries: 1, a frontend group's size, or 0 when it is not readable. */
  solutions: number;
  bytes: number;
  preview: string;
}

/** How far the console looks into the dead-letter queue for one message. */
const SCAN_LIMIT = 5000;

/**
 * The dead-letter queue from the console: list, requeue (back onto the solution exchange, for the
 * consumer to judge again) or discard. It takes messages with `get` on a channel of its own and
 * acks only the one acted on; closing the channel puts every other one back, unchanged.
 */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly config: AppConfig,
    private readonly trail: AdminActionRepository,
  ) {}

  /** Requeue or discard one message, written to the trail with the message as it was. */
  async resolve(
    what: 'requeue' | 'discard',
    key: string,
    reason: string | null,
    who: ActionContext,
  ): Promise<DeadLetter & { actionId: number }> {
    const letter = what === 'requeue' ? await this.requeue(key) : await this.discard(key);
    const actionId = await this.trail.record({
      ...who,
      action: what === 'requeue' ? 'dead-letter.requeue' : 'dead-letter.discard',
      network: letter.network,
      target: key,
      reason,
      before: { queue: 'dead-letter', ...letter },
      after: { queue: what === 'requeue' ? 'solution' : 'discarded' },
    });
    return { ...letter, actionId };
  }

  async count(): Promise<number> {
    return this.withChannel(
      async (channel) => (await channel.checkQueue(DEAD_LETTER_QUEUE)).messageCount,
    );
  }

  async list(limit = 100): Promise<{ total: number; messages: DeadLetter[] }> {
    return this.withChannel(async (channel) => {
      const total = (await channel.checkQueue(DEAD_LETTER_QUEUE)).messageCount;
      const messages: DeadLetter[] = [];
      for (let i = 0; i < Math.min(limit, total); i++) {
        const message = await channel.get(DEAD_LETTER_QUEUE, { noAck: false });
        if (!message) break;
        messages.push(describe(message));
      }
      return { total, messages };
    });
  }

  /** Publishes the message again to the solution queue (confirmed), then removes it here. */
  async requeue(key: string): Promise<DeadLetter> {
    return this.act(key, async (channel, message) => {
      const { headers, ...properties } = message.properties;
      const kept = Object.fromEntries(
        Object.entries((headers ?? {}) as Record<string, unknown>).filter(
          ([name]) => !name.startsWith('x-'),
        ),
      );
      channel.publish(SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY, message.content, {
        ...dropUndefined(properties),
        headers: kept,
        persistent: true,
        mandatory: true,
      });
      await channel.waitForConfirms();
    });
  }

  async discard(key: string): Promise<DeadLetter> {
    return this.act(key, async () => undefined);
  }

  private async act(
    key: string,
    then: (channel: ConfirmChannel, message: GetMessage) => Promise<void>,
  ): Promise<DeadLetter> {
    return this.withChannel(async (channel) => {
      for (let i = 0; i < SCAN_LIMIT; i++) {
        const message = await channel.get(DEAD_LETTER_QUEUE, { noAck: false });
        if (!message) break;
        const letter = describe(message);
        if (letter.key !== key) continue;
        await then(channel, message);
        channel.ack(message);
        return letter;
      }
      throw new NotFoundException(`no dead-lettered message ${key}`);
    });
  }

  private async withChannel<T>(run: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const connection = await connectToAnyNode(this.config.broker);
    try {
      const channel = await connection.createConfirmChannel();
      const result = await run(channel);
      await channel.close(); // unacked messages go back to the queue, in order
      return result;
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined && v !== null),
  ) as Partial<T>;
}

function describe(message: GetMessage): DeadLetter {
  const content = message.content;
  const messageId = message.properties.messageId as string | undefined;
  const key =
    messageId ?? `sha256:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
  const deaths = (message.properties.headers?.['x-death'] ?? []) as {
    reason?: string;
    time?: { value?: number } | Date;
  }[];
  const first = deaths[0];
  const seconds = first?.time instanceof Date ? first.time.getTime() / 1000 : first?.time?.value;
  let network: string | null = null;
  let miner: string | null = null;
  let solutions = 0;
  try {
    const parsed = JSON.parse(content.toString('utf8')) as {
      network?: unknown;
      miner?: unknown;
      solutions?: { network?: unknown; miner?: unknown }[];
    };
    // a frontend's group (v2) is shown by its first solution
    const group = Array.isArray(parsed.solutions) ? parsed.solutions : [parsed];
    const body = group[0] ?? {};
    solutions = readableSolutions(content);
    network = typeof body.network === 'string' ? body.network : null;
    miner = typeof body.miner === 'string' ? body.miner : null;
  } catch {
    // not JSON: a poison message, shown by its preview
  }
  return {
    key,
    reason: first?.reason ?? null,
    deadLetteredAt: seconds ? new Date(seconds * 1000) : null,
    network,
    miner,
    solutions,
    bytes: content.length,
    preview: content.toString('utf8', 0, Math.min(content.length, 300)),
  };
}

/** The solutions a message carries as the consumer would read them; 0 for poison. */
function readableSolutions(content: Buffer): number {
  try {
    return decodeSolutionMessages(content).length;
  } catch {
    return 0;
  }
}
