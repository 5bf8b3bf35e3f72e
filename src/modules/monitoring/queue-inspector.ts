import { Injectable } from '@nestjs/common';
import { BrokerConnection } from '../../messaging/broker-connection';

export interface QueueStats {
  messages: number;
  consumers: number;
}

const TIMEOUT_MS = 1000;

/**
 * Reads a queue's depth and consumer count by a passive declare, on a channel of its own opened
 * for the one question: a passive declare of a missing queue closes its channel, which must not
 * be the consumer's.
 */
@Injectable()
export class QueueInspector {
  constructor(private readonly broker: BrokerConnection) {}

  /** null while the broker is unreachable or slow to answer. */
  async inspect(queue: string): Promise<QueueStats | null> {
    const connection = this.broker.manager.connection;
    if (!connection || !this.broker.isConnected()) return null;
    const channel = await connection.createChannel();
    channel.on('error', () => undefined); // a missing queue: answered below as null
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, TIMEOUT_MS, null)));
    try {
      const reply = await Promise.race([channel.checkQueue(queue), timeout]).catch(() => null);
      return reply && { messages: reply.messageCount, consumers: reply.consumerCount };
    } finally {
      clearTimeout(timer);
      await channel.close().catch(() => undefined);
    }
  }
}
