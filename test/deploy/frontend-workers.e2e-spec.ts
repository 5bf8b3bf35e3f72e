import type { Channel, ChannelModel } from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomAddress } from '../../src/biblepay/address';
import { SOLUTION_QUEUE } from '../../src/messaging/broker-topology';
import { isAlive } from '../../scripts/cluster/local-cluster';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import { backendBroker, eventually, queuedSolutions } from '../support/harness';
import { freePort } from '../support/role-process';
import { wellFormedSolution } from '../support/solutions';
import { roleEnv } from '../support/test-env';
import { runEntry, waitHealthy } from './deploy-process';

/** The live child processes of `pid` (the frontend's workers). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['--ppid', String(pid), '-o', 'pid='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

describe('FRONTEND_PROCESSES=2: two frontend workers on one port', () => {
  let broker: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    broker = await backendBroker();
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
  });
  afterAll(async () => {
    await broker.channel.purgeQueue(SOLUTION_QUEUE);
    await broker.connection.close();
  });

  it('answers wallets on one port from two worker processes, replaces one killed with -9, and SIGTERM stops them all with exit 0', async () => {
    const port = await freePort();
    const pool = `http://127.0.0.1:${port}`;
    const frontend = runEntry('src/main.ts', {
      ...roleEnv('frontend'),
      HTTP_PORT: String(port),
      FRONTEND_PROCESSES: '2',
      LOG_LEVEL: 'info',
    });
    const primary = frontend.child.pid!;
    let workers: number[] = [];
    try {
      await waitHealthy(frontend, pool);
      workers = await eventually(
        () => Promise.resolve(childrenOf(primary)),
        (pids) => pids.length === 2,
        30_000,
      );
      expect(workers).toHaveLength(2);

      const miner = `${randomAddress('main')}/workers`;
      const submitMany = async (count: number): Promise<number> => {
        const answers = await Promise.all(
          Array.from({ length: count }, () =>
            walletRequest({
              pool,
              action: 'solution',
              miner,
              network: 'main',
              solution: wellFormedSolution(),
            })
              .then((a) => a.body.includes('<STATUS>ok</STATUS>'))
              .catch(() => false),
          ),
        );
        return answers.filter(Boolean).length;
      };
      // every answer on a new connection, as classic wallets connect: the primary hands them out
      expect(await submitMany(100)).toBe(100);

      process.kill(workers[0], 'SIGKILL');
      const replaced = await eventually(
        () => Promise.resolve(childrenOf(primary)),
        (pids) => pids.length === 2 && !pids.includes(workers[0]),
        30_000,
      );
      expect(replaced).toContain(workers[1]);
      await frontend.waitForOutput(
        new RegExp(`frontend worker ${workers[0]} exited \\(SIGKILL\\)`),
      );
      await waitHealthy(frontend, pool);
      expect(await submitMany(100)).toBe(100);
      // every solution answered ok is in the queue, from whichever worker took it
      expect(await queuedSolutions(broker.channel)).toBe(200);
      workers = replaced;
    } finally {
      frontend.kill('SIGTERM');
      expect({ exit: await frontend.exited, output: frontend.output() }).toMatchObject({ exit: 0 });
    }
    for (const pid of workers) expect(isAlive(pid)).toBe(false);
  }, 120_000);
});
