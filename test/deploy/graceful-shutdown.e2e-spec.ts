import type { Channel, ChannelModel } from 'amqplib';
import type mysql from 'mysql2/promise';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { decodeSolutionMessages } from '../../src/messaging/solution-message';
import { randomAddress } from '../../src/biblepay/address';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import {
  adminDb,
  backendBroker,
  eventually,
  queueDepth,
  queuedSolutions,
} from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';
import { freePort, startRoleProcess } from '../support/role-process';
import { craftShares, submitShares } from '../support/share-factory';
import { wellFormedSolution } from '../support/solutions';
import { roleEnv } from '../support/test-env';
import { runEntry, waitHealthy } from './deploy-process';

describe('graceful shutdown on SIGTERM', () => {
  let db: mysql.Connection;
  let broker: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    db = await adminDb();
    broker = await backendBroker();
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
  });
  afterAll(async () => {
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
    await broker.connection.close();
    await db.end();
  });

  /** Takes every message off the queue and returns the solution strings they carry. */
  const drainQueue = async (): Promise<string[]> => {
    const solutions: string[] = [];
    for (;;) {
      const message = await broker.channel.get(SOLUTION_QUEUE, { noAck: true });
      if (!message) return solutions;
      solutions.push(...decodeSolutionMessages(message.content).map((m) => m.solution));
    }
  };

  it('a frontend stopped during a burst of solutions has queued every one it answered ok, and exits 0', async () => {
    const port = await freePort();
    const frontend = runEntry('src/main.ts', {
      ...roleEnv('frontend'),
      HTTP_PORT: String(port),
      LOG_LEVEL: 'info',
    });
    await waitHealthy(frontend, `http://127.0.0.1:${port}`);

    const accepted: string[] = [];
    let notOk = 0;
    let answeredAfterSignal = 0;
    let signalled = false;
    const miner = `${randomAddress('main')}/burst`;
    const total = 4000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        next++;
        const solution = wellFormedSolution();
        const sentAfterSignal = signalled;
        try {
          const answer = await walletRequest({
            pool: `http://127.0.0.1:${port}`,
            action: 'solution',
            miner,
            network: 'main',
            solution,
            timeoutMs: 20_000,
          });
          if (answer.body.includes('<STATUS>ok</STATUS>')) accepted.push(solution);
          else notOk++;
          if (signalled && !sentAfterSignal) answeredAfterSignal++;
        } catch {
          notOk++; // refused: the listener is closed
        }
        if (!signalled && accepted.length >= 400) {
          signalled = true;
          frontend.kill('SIGTERM');
        }
      }
    };
    await Promise.all(Array.from({ length: 48 }, worker));

    expect(await frontend.exited).toBe(0);
    expect(frontend.output()).toMatch(/SIGTERM: finishing in-flight work/);
    expect(frontend.output()).toMatch(/stopped cleanly/);
    // The signal came mid-burst: requests already in flight were still answered, later ones refused.
    expect(answeredAfterSignal).toBeGreaterThan(0);
    expect(notOk).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThanOrEqual(400);

    const queued = new Set(await drainQueue());
    const lost = accepted.filter((s) => !queued.has(s));
    expect(lost).toEqual([]);
  }, 120_000);

  describe('a backend stopped in the middle of a batch', () => {
    let pool: PoolFixture;
    beforeAll(async () => {
      pool = await startPoolFixture();
    });
    afterAll(async () => {
      pool.node.faults.latencyMs = 0;
      await pool.close();
    });

    const counts = async (workIds: string[]) => {
      const [[row]] = await db.query<mysql.RowDataPacket[]>(
        `SELECT (SELECT COUNT(*) FROM solution WHERE work_id IN (?)) AS accepted,
                (SELECT COUNT(*) FROM rejected_solution WHERE work_id IN (?)) AS rejected,
                (SELECT COUNT(*) - COUNT(DISTINCT bible_hash) FROM solution) AS twice`,
        [workIds, workIds],
      );
      const accepted = Number(row.accepted);
      const rejected = Number(row.rejected);
      return { accepted, rejected, recorded: accepted + rejected, twice: Number(row.twice) };
    };

    it('finishes and acks its running batch, leaves the rest queued, and a restart records each share exactly once', async () => {
      const shares = await craftShares({
        pool: pool.frontend.url,
        node: pool.node.url,
        count: 600,
        misbehave: (i) => (i % 10 === 0 ? 'above-target' : 'none'),
      });
      const published = shares.length;
      expect(await submitShares(pool.frontend.url, shares)).toBe(published);
      expect(await queuedSolutions(broker.channel)).toBe(published);
      const workIds = shares.map((s) => s.workId);

      // A slow node makes every batch last ~1 s, so the signal lands while one is being validated.
      pool.node.faults.latencyMs = 500;
      const env = roleEnv('backend', {
        ...pool.env,
        SOLUTION_BATCH_MAX: '25',
        SOLUTION_BATCHES_IN_FLIGHT: '1',
        SHUTDOWN_TIMEOUT_MS: '15000',
      });
      const first = await startRoleProcess(env, await freePort());
      await eventually(
        () => counts(workIds),
        (c) => c.recorded >= 50,
        60_000,
      );
      const atSignal = (await counts(workIds)).recorded;
      const signalledAt = Date.now();
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(15_000);

      const afterExit = await counts(workIds);
      // The batch in flight at the signal was finished, not dropped...
      expect(afterExit.recorded).toBeGreaterThan(atSignal);
      expect(afterExit.recorded).toBeLessThan(published);
      // ...and acked: the queue holds exactly what was not recorded (a committed but unacked
      // message would come back and make the sum larger).
      expect(
        await eventually(
          async () => (await queuedSolutions(broker.channel)) + afterExit.recorded,
          (n) => n === published,
        ),
      ).toBe(published);

      pool.node.faults.latencyMs = 0;
      const second = await startRoleProcess(env, await freePort());
      try {
        const final = await eventually(
          () => counts(workIds),
          (c) => c.recorded >= published,
          90_000,
        );
        expect(final.recorded).toBe(published);
        expect(final.twice).toBe(0);
        expect(final.rejected).toBe(shares.filter((s) => s.misbehaviour !== 'none').length);
        expect(
          await eventually(
            () => queueDepth(broker.channel),
            (n) => n === 0,
          ),
        ).toBe(0);
      } finally {
        await second.stop();
      }
    }, 240_000);
  });
});
