import amqplib, { Channel, ChannelModel } from 'amqplib';
import mysql from 'mysql2/promise';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/bootstrap';
import { Role } from '../../src/config/app-config';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { decodeSolutionMessages } from '../../src/messaging/solution-message';
import { roleConfig, roleUrls } from './test-env';

export interface RunningApp {
  app: NestFastifyApplication;
  url: string;
  close(): Promise<void>;
}

/** Boots a role in this process on a random port, as that role's own DB and broker user. */
export async function startRole(
  role: Role,
  overrides: Record<string, string> = {},
): Promise<RunningApp> {
  const app = await createApp(roleConfig(role, overrides));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/** Root connection into this run's database, for assertions and fixtures. */
export async function adminDb(): Promise<mysql.Connection> {
  return mysql.createConnection({ uri: roleUrls().adminDatabaseUrl, supportBigNumbers: true });
}

/** The backend user's broker connection, for counting and draining the queue. */
export async function backendBroker(): Promise<{ connection: ChannelModel; channel: Channel }> {
  const connection = await amqplib.connect(roleUrls().backendAmqpUrl);
  const channel = await connection.createChannel();
  return { connection, channel };
}

export async function queueDepth(channel: Channel, queue = SOLUTION_QUEUE): Promise<number> {
  return (await channel.checkQueue(queue)).messageCount;
}

/**
 * The solutions waiting in a queue — a frontend's group message carries several, so this is not
 * the message count: each message is read and then put back (nacked with requeue).
 */
export async function queuedSolutions(channel: Channel, queue = SOLUTION_QUEUE): Promise<number> {
  let solutions = 0;
  for (;;) {
    const message = await channel.get(queue, { noAck: false });
    if (message === false) break;
    solutions += decodeSolutionMessages(message.content).length;
  }
  channel.nackAll(true);
  return solutions;
}

/** Polls until `probe` returns true or the time is up; returns the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const until = Date.now() + ms;
  let value = await probe();
  while (!done(value) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    value = await probe();
  }
  return value;
}
