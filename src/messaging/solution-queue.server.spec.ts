import type { ConsumeMessage } from 'amqplib';
import type { AppConfig } from '../config/app-config';
import type { BrokerConnection } from './broker-connection';
import { SOLUTION_BATCH, SolutionBatchOutcome } from './solution-batch';
import { encodeSolutionMessage, encodeSolutionMessages, SolutionMessage } from './solution-message';
import { solutionMessage } from '../../test/support/solutions';
import { SolutionQueueServer } from './solution-queue.server';

const solution = (n: number): SolutionMessage => solutionMessage(n);

/** A broker double: one channel whose consume callback the test drives, acks and nacks recorded. */
function harness(config: Partial<AppConfig['solution']> = {}) {
  const acked: string[] = [];
  const nacked: { id: string; requeue: boolean }[] = [];
  let deliver: (raw: ConsumeMessage) => void = () => undefined;
  const channel = {
    prefetch: jest.fn().mockResolvedValue(undefined),
    consume: jest.fn((_queue: string, onMessage: (raw: ConsumeMessage) => void) => {
      deliver = onMessage;
      return Promise.resolve({ consumerTag: 'tag' });
    }),
    cancel: jest.fn().mockResolvedValue(undefined),
    ack: (raw: ConsumeMessage) => acked.push(String(raw.properties.messageId)),
    nack: (raw: ConsumeMessage, _all: boolean, requeue: boolean) =>
      nacked.push({ id: String(raw.properties.messageId), requeue }),
  };
  const wrapper = {
    on: jest.fn(),
    close: jest.fn().mockResolvedValue(undefined),
    checkQueue: jest.fn().mockResolvedValue({ messageCount: 0 }),
  };
  const broker = {
    manager: {
      createChannel: ({ setup }: { setup: (c: typeof channel) => Promise<void> }) => {
        void setup(channel);
        return wrapper;
      },
    },
    isConnected: () => true,
  } as unknown as BrokerConnection;
  const appConfig = {
    shutdownTimeoutMs: 1000,
    solutionQueueShards: 1,
    solution: {
      prefetch: 10,
      batchMax: 2,
      batchWaitMs: 1,
      batchesInFlight: 1,
      nodeRetryMaxSeconds: 1,
      batchAttempts: 3,
      ...config,
    },
  } as unknown as AppConfig;
  const server = new SolutionQueueServer(broker, appConfig);
  const send = (content: Buffer, messageId: string) =>
    deliver({ content, properties: { messageId } } as unknown as ConsumeMessage);
  return { server, acked, nacked, send };
}

/** What the pipeline answers for a batch it recorded in full. */
const recordedAll = (batch: readonly SolutionMessage[]): Promise<SolutionBatchOutcome> =>
  Promise.resolve({ status: 'recorded', accepted: batch.length, rejected: 0, alreadyRecorded: 0 });

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
};

describe('SolutionQueueServer (the consumer as a Nest transport)', () => {
  it('hands batches to the SOLUTION_BATCH handler and acks them only once recorded', async () => {
    const { server, acked, send } = harness();
    const seen: number[] = [];
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        seen.push(batch.length);
        return recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    for (const n of [1, 2, 3]) send(encodeSolutionMessage(solution(n)), `m${n}`);
    await until(() => acked.length === 3);
    expect(acked).toEqual(['m1', 'm2', 'm3']);
    expect(seen).toEqual([2, 1]);
    expect(server.stats).toMatchObject({ accepted: 3, batches: 2 });
    await server.drain();
  });

  it('hands a frontend group (v2) to the handler whole and acks its one broker message after it is recorded', async () => {
    const { server, acked, send } = harness({ batchMax: 4 });
    const seen: string[][] = [];
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        seen.push(batch.map((m) => m.id.slice(-1)));
        return recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    send(encodeSolutionMessages([solution(1), solution(2), solution(3)]), 'g1');
    send(encodeSolutionMessages([solution(4), solution(5)]), 'g2'); // 3 + 2 > 4: a batch of its own
    send(encodeSolutionMessage(solution(6)), 'm6');
    await until(() => acked.length === 3);
    expect(acked).toEqual(['g1', 'g2', 'm6']);
    expect(seen).toEqual([
      ['1', '2', '3'],
      ['4', '5', '6'],
    ]);
    expect(server.stats).toMatchObject({ accepted: 6, batches: 2 });
    await server.drain();
  });

  it('dead-letters a group larger than any frontend sends, unhandled; the next message is handled', async () => {
    const { server, acked, nacked, send } = harness({ batchMax: 2000 });
    const seen: number[] = [];
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        seen.push(batch.length);
        return recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    send(encodeSolutionMessages(Array.from({ length: 1001 }, (_, i) => solution(i + 1))), 'big');
    send(encodeSolutionMessage(solution(5000)), 'm1');
    await until(() => acked.length === 1);
    expect(nacked).toEqual([{ id: 'big', requeue: false }]);
    expect(acked).toEqual(['m1']);
    expect(seen).toEqual([1]);
    await server.drain();
  });

  it('takes receivedAt no later than the delivery: a frontend cannot date a share into the future', async () => {
    const { server, acked, send } = harness();
    const seen: number[] = [];
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        seen.push(...batch.map((m) => m.receivedAt));
        return recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    const before = Date.now();
    const future = before + 24 * 3_600_000;
    send(encodeSolutionMessage({ ...solution(1), receivedAt: future }), 'm1');
    const after = Date.now();
    await until(() => acked.length === 1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeGreaterThanOrEqual(before);
    expect(seen[0]).toBeLessThanOrEqual(after);
    await server.drain();
  });

  it('dead-letters an unparsable message at once', async () => {
    const { server, nacked, send } = harness();
    server.listen(() => undefined);
    await until(() => true, 0);
    send(Buffer.from('garbage'), 'bad');
    expect(nacked).toEqual([{ id: 'bad', requeue: false }]);
    await server.drain();
  });

  it('waits out a node outage without giving up, but dead-letters a batch that keeps failing', async () => {
    const { server, acked, nacked, send } = harness({ batchAttempts: 3 });
    let calls = 0;
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        calls++;
        if (batch[0].id.endsWith('1')) {
          // node down four times, then up: more tries than batchAttempts, still recorded
          return Promise.resolve(
            calls <= 4
              ? { status: 'node_unavailable', message: 'down' }
              : { status: 'recorded', accepted: 1, rejected: 0, alreadyRecorded: 0 },
          );
        }
        return Promise.resolve({ status: 'failed', message: 'constraint violated' });
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    send(encodeSolutionMessage(solution(1)), 'm1');
    await until(() => acked.length === 1, 10_000);
    expect(acked).toEqual(['m1']);
    expect(server.stats.nodeWaits).toBe(4);

    send(encodeSolutionMessage(solution(2)), 'm2');
    await until(() => nacked.length === 1, 10_000);
    expect(nacked).toEqual([{ id: 'm2', requeue: false }]);
    expect(server.stats.failedAttempts).toBe(3);
    await server.drain();
  }, 20_000);

  it('waits out a database outage unacked, however long, and says so; nothing is split or dead-lettered', async () => {
    const { server, acked, nacked, send } = harness({
      batchMax: 4,
      batchWaitMs: 20,
      batchAttempts: 2,
    });
    let down = true;
    const sizes: number[] = [];
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        sizes.push(batch.length);
        return down
          ? Promise.resolve({ status: 'database_unavailable', message: 'connect ECONNREFUSED' })
          : recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    for (const n of [1, 2, 3]) send(encodeSolutionMessage(solution(n)), `m${n}`);
    // Far more tries than batchAttempts (2): still whole, still unacked.
    await until(() => sizes.length >= 5, 10_000);
    expect(sizes.every((n) => n === 3)).toBe(true);
    expect(acked).toEqual([]);
    expect(nacked).toEqual([]);
    expect(server.waiting()).toEqual({
      database: { batches: 1, since: expect.any(Date), message: 'connect ECONNREFUSED' },
    });
    down = false;
    await until(() => acked.length === 3, 10_000);
    expect(acked).toEqual(['m1', 'm2', 'm3']);
    expect(nacked).toEqual([]);
    expect(server.stats).toMatchObject({ deadLettered: 0, failedAttempts: 0, accepted: 3 });
    expect(server.stats.databaseWaits).toBeGreaterThanOrEqual(5);
    expect(server.waiting()).toEqual({});
    await server.drain();
  }, 20_000);

  it('a poison delivery during a database outage is still found once the database is back', async () => {
    const { server, acked, nacked, send } = harness({
      batchMax: 4,
      batchWaitMs: 20,
      batchAttempts: 2,
    });
    let outages = 3;
    const poison = solution(2).id;
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        if (outages-- > 0)
          return Promise.resolve({ status: 'database_unavailable', message: 'down' });
        if (batch.some((m) => m.id === poison)) {
          return Promise.resolve({ status: 'failed', message: 'refused', transient: false });
        }
        return recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    for (const n of [1, 2, 3]) send(encodeSolutionMessage(solution(n)), `m${n}`);
    await until(() => acked.length + nacked.length === 3, 10_000);
    expect(acked.sort()).toEqual(['m1', 'm3']);
    expect(nacked).toEqual([{ id: 'm2', requeue: false }]);
    await server.drain();
  }, 20_000);

  it('splits a failing batch until only the delivery of the solution that fails alone is dead-lettered', async () => {
    const { server, acked, nacked, send } = harness({ batchMax: 8, batchWaitMs: 20 });
    const recorded: string[] = [];
    const poison = solution(5).id;
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        if (batch.some((m) => m.id === poison)) {
          return Promise.resolve({ status: 'failed', message: 'data too long', transient: false });
        }
        recorded.push(...batch.map((m) => m.id.slice(-1)));
        return recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    for (const n of [1, 2, 3]) send(encodeSolutionMessage(solution(n)), `m${n}`);
    send(encodeSolutionMessages([solution(4), solution(5), solution(6)]), 'g'); // poison in a group
    send(encodeSolutionMessage(solution(7)), 'm7');
    await until(() => acked.length + nacked.length === 5, 10_000);
    expect(acked.sort()).toEqual(['m1', 'm2', 'm3', 'm7']);
    expect(nacked).toEqual([{ id: 'g', requeue: false }]);
    // Every honest solution is recorded, those of the poisoned group included.
    expect(recorded.sort()).toEqual(['1', '2', '3', '4', '6', '7']);
    expect(server.stats.failedAttempts).toBeLessThanOrEqual(3 + 3); // 3 halvings + 3 tries alone
    await server.drain();
  }, 20_000);

  it('retries a batch whose failure is transient whole before splitting it', async () => {
    const { server, acked, send } = harness({ batchMax: 8, batchWaitMs: 20, batchAttempts: 3 });
    const sizes: number[] = [];
    server.addHandler(
      SOLUTION_BATCH,
      (batch: SolutionMessage[]): Promise<SolutionBatchOutcome> => {
        sizes.push(batch.length);
        return sizes.length <= 2
          ? Promise.resolve({ status: 'failed', message: 'connection lost', transient: true })
          : recordedAll(batch);
      },
      true,
    );
    server.listen(() => undefined);
    await until(() => true, 0);
    for (const n of [1, 2, 3, 4]) send(encodeSolutionMessage(solution(n)), `m${n}`);
    await until(() => acked.length === 4, 10_000);
    expect(sizes).toEqual([4, 4, 4]);
    await server.drain();
  }, 20_000);
});
