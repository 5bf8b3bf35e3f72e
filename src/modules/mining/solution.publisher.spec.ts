import type { AppConfig } from '../../config/app-config';
import type { BrokerConnection } from '../../messaging/broker-connection';
import { shardOfWork } from '../../messaging/broker-topology';
import {
  decodeSolutionMessages,
  MAX_SOLUTION_MESSAGE_BYTES,
  SolutionMessage,
} from '../../messaging/solution-message';
import { solutionMessage } from '../../../test/support/solutions';
import { PublishError, SolutionPublisher } from './solution.publisher';

const solution = (n: number): SolutionMessage => solutionMessage(n);

/** A confirm channel double: each publish is held until the test confirms or fails it. */
function harness(publishBatchMax: number, connected = true, solutionQueueShards = 1) {
  const published: { key: string; content: Buffer; settle: (error?: Error) => void }[] = [];
  const wrapper = {
    on: jest.fn(),
    close: jest.fn().mockResolvedValue(undefined),
    publish: jest.fn(
      (_exchange: string, key: string, content: Buffer) =>
        new Promise<void>((resolve, reject) =>
          published.push({ key, content, settle: (e) => (e ? reject(e) : resolve()) }),
        ),
    ),
  };
  const broker = {
    manager: { createChannel: () => wrapper },
    isConnected: () => connected,
  } as unknown as BrokerConnection;
  const config = {
    publishTimeoutMs: 1000,
    publishBatchMax,
    solutionQueueShards,
  } as unknown as AppConfig;
  return { publisher: new SolutionPublisher(broker, config), published };
}

const settled = (p: Promise<void>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: Error) => `${e.constructor.name}: ${e.message}`,
  );
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('SolutionPublisher group commit', () => {
  it('publishes the solutions of one event-loop turn as one message, answering each only after its confirm', async () => {
    const { publisher, published } = harness(3);
    const answers = [1, 2, 3, 4].map((n) => settled(publisher.publish(solution(n), `work-${n}`)));
    await nextTurn();
    // batch max 3: a full group goes at once; the fourth waits for its confirm, then goes alone
    expect(published.map((p) => decodeSolutionMessages(p.content).length)).toEqual([3]);
    let answered = 0;
    void Promise.all(answers).then(() => (answered = 4));
    await nextTurn();
    expect(answered).toBe(0); // nobody hears `ok` before the broker confirmed
    published[0].settle();
    await nextTurn();
    expect(published.map((p) => decodeSolutionMessages(p.content).length)).toEqual([3, 1]);
    published[1].settle(new Error('channel closed'));
    expect(await Promise.all(answers)).toEqual([
      'ok',
      'ok',
      'ok',
      'PublishError: broker did not confirm: channel closed',
    ]);
  });

  it('groups wallets arriving one per event-loop turn: while a group awaits its confirm the next ones gather', async () => {
    const { publisher, published } = harness(64);
    const answers: Promise<string>[] = [];
    for (let n = 0; n < 6; n++) {
      answers.push(settled(publisher.publish(solution(n), `work-${n}`)));
      await nextTurn();
    }
    expect(published.map((p) => decodeSolutionMessages(p.content).length)).toEqual([1]);
    published[0].settle();
    await nextTurn();
    expect(published.map((p) => decodeSolutionMessages(p.content).length)).toEqual([1, 5]);
    published[1].settle();
    expect(await Promise.all(answers)).toEqual(Array<string>(6).fill('ok'));
  });

  it('with SOLUTION_PUBLISH_BATCH_MAX=1 sends each solution as its own v1 message', async () => {
    const { publisher, published } = harness(1);
    const answers = [1, 2].map((n) => settled(publisher.publish(solution(n), `work-${n}`)));
    await nextTurn();
    expect(published.map((p) => (JSON.parse(p.content.toString()) as { v: number }).v)).toEqual([
      1, 1,
    ]);
    published.forEach((p) => p.settle());
    expect(await Promise.all(answers)).toEqual(['ok', 'ok']);
  });

  it('closes a group before it could pass the size a backend takes (large block hex)', async () => {
    const { publisher, published } = harness(64);
    // 128 KiB headers each: 40 of them estimate past half of 16 MiB, so they travel in two groups.
    const big = (n: number) => ({ ...solution(n), solution: 'a'.repeat(128 * 1024) });
    const answers = Array.from({ length: 40 }, (_, i) =>
      settled(publisher.publish(big(i + 1), `work-${i}`)),
    );
    // Groups go one at a time (each after the previous confirm): confirm them as they come.
    for (let settledCount = 0; settledCount < 10; settledCount++) {
      await nextTurn();
      published.forEach((p) => p.settle());
    }
    const groups = published.map((p) => decodeSolutionMessages(p.content).length);
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.reduce((a, b) => a + b)).toBe(40);
    expect(Math.max(...published.map((p) => p.content.length))).toBeLessThanOrEqual(
      MAX_SOLUTION_MESSAGE_BYTES,
    );
    expect(new Set(await Promise.all(answers))).toEqual(new Set(['ok']));
  });

  it('refuses at once while the broker is down', async () => {
    const { publisher } = harness(8, false);
    await expect(publisher.publish(solution(1), 'work-1')).rejects.toBeInstanceOf(PublishError);
  });

  it('with SOLUTION_QUEUE_SHARDS=2 routes each solution by its work id, one group per queue', async () => {
    const { publisher, published } = harness(64, true, 2);
    const works = Array.from({ length: 40 }, (_, n) => `work-${n}`);
    const answers = works.map((w, n) => settled(publisher.publish(solution(n), w)));
    await nextTurn();
    expect(published.map((p) => p.key).sort()).toEqual(['solution', 'solution.1']);
    for (const p of published) {
      const shard = p.key === 'solution' ? 0 : 1;
      for (const m of decodeSolutionMessages(p.content)) {
        const n = Number(m.id.slice(-12));
        expect(shardOfWork(works[n], 2)).toBe(shard);
      }
    }
    published.forEach((p) => p.settle());
    expect(new Set(await Promise.all(answers))).toEqual(new Set(['ok']));
  });
});
