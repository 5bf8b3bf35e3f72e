import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { ENTITIES } from '../../src/entities';
import { retryOnLockConflict } from '../../src/database/lock-retry';
import { databaseOutageOf } from '../../src/database/transient-error';
import { MinerRepository } from '../../src/modules/mining/miner.repository';
import { SolutionPipelineService } from '../../src/modules/solution/solution-pipeline.service';
import { SolutionRecorderService } from '../../src/modules/solution/solution-recorder.service';
import { SolutionRepository } from '../../src/modules/solution/solution.repository';
import type { SolutionValidatorService } from '../../src/modules/solution/solution-validator.service';
import type { Verdict } from '../../src/modules/solution/verdict';
import type { SourceSuspenderService } from '../../src/modules/solution/source-suspender.service';
import type { SolutionMessage } from '../../src/messaging/solution-message';
import { IsolatedDatabase, isolatedDatabase } from '../support/isolated-database';

/**
 * Issue 25, item 5, against a real MariaDB: a lock another connection holds past the lock wait
 * timeout, through the recorder's own retries, and a real deadlock, are the database's state, not
 * the batch's fault — the pipeline reports them as an outage to wait out (never a failure counted
 * towards the dead-letter queue), and the same batch records once the lock is gone.
 */
describe('lock waits and deadlocks on the solution path', () => {
  let store: IsolatedDatabase;
  let backend: DataSource;
  let other: mysql.Connection;

  beforeAll(async () => {
    store = await isolatedDatabase('locks');
    // One connection, so the short lock wait set on it holds for every statement of the recorder.
    backend = new DataSource(dataSourceOptions(store.backendUrl, 1, ENTITIES));
    await backend.initialize();
    await backend.query('SET SESSION innodb_lock_wait_timeout = 1');
    other = store.db;
  });
  afterAll(async () => {
    await backend?.destroy();
    await store?.drop();
  });

  const rejectedRow = (messageId: string): Verdict => ({
    kind: 'rejected',
    row: {
      messageId,
      network: 'main',
      workId: null,
      minerId: null,
      workerId: null,
      source: null,
      reason: 'invalid_solution',
      detail: 'a test row',
      bibleHash: null,
      solutionString: null,
      insertedAt: new Date(),
    },
  });

  const pipelineFor = (verdicts: Verdict[], recorder: Pick<SolutionRecorderService, 'record'>) =>
    new SolutionPipelineService(
      { validate: () => Promise.resolve(verdicts) } as unknown as SolutionValidatorService,
      recorder as SolutionRecorderService,
      { review: () => Promise.resolve([]) } as unknown as SourceSuspenderService,
      backend,
    );

  it('a row lock held past the recorder retries is waited for, then the batch records', async () => {
    const messageId = randomUUID();
    const recorder = new SolutionRecorderService(
      new SolutionRepository(backend),
      new MinerRepository(backend),
    );
    const pipeline = pipelineFor([rejectedRow(messageId)], recorder);
    const message = { id: messageId } as SolutionMessage;

    // Another connection holds the row the recorder must read under a lock (uncommitted insert).
    await other.query('START TRANSACTION');
    await other.query(
      `INSERT INTO rejected_solution (message_id, network, reason, inserted_at)
       VALUES (?, 'main', 'invalid_solution', UTC_TIMESTAMP(3))`,
      [messageId],
    );
    try {
      expect(await pipeline.process([message])).toEqual({
        status: 'database_unavailable',
        message: expect.stringMatching(/lock wait timeout/i),
      });
    } finally {
      await other.query('ROLLBACK');
    }
    expect(await pipeline.process([message])).toEqual({
      status: 'recorded',
      accepted: 0,
      rejected: 1,
      alreadyRecorded: 0,
    });
  }, 30_000);

  it('a deadlock on every retry is waited for too', async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    const insert = `INSERT INTO rejected_solution (message_id, network, reason, inserted_at)
                    VALUES (?, 'main', 'invalid_solution', UTC_TIMESTAMP(3))`;
    for (const id of [mine, theirs]) {
      await other.query(insert, [id]);
    }
    const lock = (q: { query(sql: string, params: unknown[]): Promise<unknown> }, id: string) =>
      q.query('SELECT message_id FROM rejected_solution WHERE message_id = ? FOR UPDATE', [id]);
    // Each attempt crosses the other connection: it holds `theirs` and wants `mine`, this one holds
    // `mine` and wants `theirs`. InnoDB rolls back the lighter transaction — this one: the other
    // has written rows first (inserts, which lock only the rows they add).
    let deadlocks = 0;
    const crossed = (): Promise<unknown> =>
      backend.transaction(async (manager) => {
        await other.query('START TRANSACTION');
        for (let i = 0; i < 5; i++) await other.query(insert, [randomUUID()]);
        await lock(other, theirs);
        await lock(manager, mine);
        const waiting = lock(other, mine);
        try {
          await lock(manager, theirs);
        } catch (error) {
          deadlocks++;
          throw error;
        } finally {
          await waiting.catch(() => undefined);
          await other.query('ROLLBACK');
        }
      });
    const error = await retryOnLockConflict(crossed, 3).then(
      () => new Error('the crossed transaction went through'),
      (e: Error) => e,
    );
    expect(deadlocks).toBe(3);
    expect(error).toMatchObject({ driverError: { code: 'ER_LOCK_DEADLOCK' } });
    expect(databaseOutageOf(error)).toBe('refusing');
    const pipeline = pipelineFor([], { record: () => Promise.reject(error) });
    expect(await pipeline.process([{ id: mine } as SolutionMessage])).toMatchObject({
      status: 'database_unavailable',
    });
  }, 30_000);
});
