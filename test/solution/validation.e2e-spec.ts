import { randomAddress } from '../../src/biblepay/address';
import type { Channel, ChannelModel } from 'amqplib';
import { randomUUID } from 'node:crypto';
import type mysql from 'mysql2/promise';
import {
  SOLUTION_EXCHANGE,
  SOLUTION_QUEUE,
  SOLUTION_ROUTING_KEY,
  DEAD_LETTER_QUEUE,
} from '../../src/messaging/broker-topology';
import { encodeSolutionMessage } from '../../src/messaging/solution-message';
import { RejectReason } from '../../src/modules/solution/reject-reason';
import { mineOneShare, Misbehaviour } from '../../sim/miner/sim-miner';
import { walletRequest } from '../../sim/miner/wallet-http-client';
import {
  adminDb,
  backendBroker,
  eventually,
  queueDepth,
  RunningApp,
  startRole,
} from '../support/harness';
import { PoolFixture, startPoolFixture } from '../support/pool-fixture';

describe('backend solution validation (real MariaDB, RabbitMQ, simulated node)', () => {
  let pool: PoolFixture;
  let backend: RunningApp;
  let db: mysql.Connection;
  let broker: { connection: ChannelModel; channel: Channel };

  beforeAll(async () => {
    // A 1.1.3.8 node judges a fresh block's CPID at any height, and SOLUTION_REQUIRE_CPID=true asks
    // for one at the sim's low heights (auto would ask only inside the PODC window, 33,440–107,000).
    pool = await startPoolFixture({ clientVersion: 1_010_308 });
    backend = await startRole('backend', { ...pool.env, SOLUTION_REQUIRE_CPID: 'true' });
    db = await adminDb();
    broker = await backendBroker();
  });
  afterAll(async () => {
    await backend.close();
    await pool.close();
    await db.end();
    await broker.connection.close();
  });

  /** Where the message with this work id ended up: 'accepted' or the rejection reason. */
  const outcomeOf = async (workId: string, expected = 1): Promise<string[]> => {
    const read = async (): Promise<string[]> => {
      const [accepted] = await db.query<mysql.RowDataPacket[]>(
        'SELECT id FROM solution WHERE work_id = ?',
        [workId],
      );
      const [rejected] = await db.query<mysql.RowDataPacket[]>(
        'SELECT reason FROM rejected_solution WHERE work_id = ? ORDER BY id',
        [workId],
      );
      return [...accepted.map(() => 'accepted'), ...rejected.map((r) => r.reason as string)];
    };
    return eventually(read, (o) => o.length >= expected);
  };

  const share = (misbehaviour: Misbehaviour = 'none') =>
    mineOneShare({ pool: pool.frontend.url, network: 'main', node: pool.node.url, misbehaviour });

  it('accepts a good share with its share weight, hashrate and worker, and stamps the miner', async () => {
    const one = await share();
    expect(one.outcomes).toEqual([{ ok: true, workId: one.work.workId }]);
    expect(await outcomeOf(one.work.workId)).toEqual(['accepted']);
    const [[row]] = await db.query<mysql.RowDataPacket[]>(
      `SELECT s.bible_hash, s.share_weight, s.hashes_per_second, s.network, m.last_accepted_solution_at, m.guid
         FROM solution s JOIN miner m ON m.id = s.miner_id WHERE s.work_id = ?`,
      [one.work.workId],
    );
    expect(row.bible_hash).toBe(one.crafted.fields.bibleHash);
    expect(Number(row.share_weight)).toBe(1_000_000); // the work had the base target
    expect(row.network).toBe('main');
    expect(row.guid).toBe(one.work.minerGuid);
    expect(row.last_accepted_solution_at).not.toBeNull();
  });

  it.each<[Misbehaviour, string]>([
    ['stale-work', RejectReason.unknownWork],
    ['above-target', RejectReason.aboveTarget],
    ['bad-biblehash', RejectReason.bibleHashMismatch],
    ['tampered-block', RejectReason.coinbaseUndecodable],
    ['wrong-recipient', RejectReason.wrongRecipient],
    // A classic node reports a block without a CPID signature as an invalid signature.
    ['old-node', RejectReason.cpidSignatureInvalid],
    ['bad-cpid', RejectReason.cpidSignatureInvalid],
    ['illegal-cpid', RejectReason.cpidIllegal],
    ['nonce-too-high', RejectReason.nonceTooHigh],
    ['wrong-height', RejectReason.staleHeight],
    ['foreign-block', RejectReason.blockMismatch],
    ['mixed-header', RejectReason.blockMismatch],
    ['wrong-guid-in-coinbase', RejectReason.foreignBlock],
    ['bad-prev-time', RejectReason.badPrevTime],
  ])(
    'rejects a %s share with reason %s (answered ok by the frontend first)',
    async (mode, reason) => {
      // A stale share is one that arrived after the next block appeared; a tip only seconds old
      // still counts as just arrived (SOLUTION_STALE_GRACE_MS, 2 s): let it age first.
      if (mode === 'wrong-height') {
        const tipTimeMs = pool.node.chain.tip.header.time * 1000;
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, tipTimeMs + 3500 - Date.now())),
        );
      }
      const one = await share(mode);
      expect(one.outcomes.every((o) => o.ok)).toBe(true);
      const workId = one.crafted.fields.workId;
      expect(await outcomeOf(workId)).toEqual([reason]);
    },
  );

  it('rejects the second copy of a share as a duplicate bible hash', async () => {
    const one = await share('duplicate');
    expect(one.outcomes).toHaveLength(2);
    expect(await outcomeOf(one.work.workId, 2)).toEqual(['accepted', RejectReason.duplicate]);
  });

  it("rejects a share quoting another miner's work", async () => {
    const mine = await share();
    await outcomeOf(mine.work.workId);
    const other = await share();
    await outcomeOf(other.work.workId);
    // Mine's solution, but claiming the other's work id: work/miner mismatch.
    const fields = mine.crafted.solution.split(',');
    fields[6] = other.work.workId;
    fields[4] = 'f'.repeat(0) + fields[4];
    const res = await walletRequest({
      pool: pool.frontend.url,
      action: 'solution',
      miner: `${randomAddress('main')}/w0`,
      network: 'main',
      solution: fields.join(','),
    });
    expect(res.raw).toContain('<STATUS>ok</STATUS>');
    const reasons = await outcomeOf(other.work.workId, 2);
    expect(reasons).toContain(RejectReason.minerMismatch);
  });

  it('rejects a malformed solution that reached the queue without the frontend', async () => {
    const id = randomUUID();
    broker.channel.publish(
      SOLUTION_EXCHANGE,
      SOLUTION_ROUTING_KEY,
      encodeSolutionMessage({
        v: 1,
        id,
        network: 'main',
        solution: 'not,a,solution',
        miner: '',
        threadId: null,
        ip: null,
        agent: null,
        os: null,
        receivedAt: Date.now(),
      }),
      { persistent: true, messageId: id },
    );
    const [rows] = await eventually(
      () =>
        db.query<mysql.RowDataPacket[]>(
          'SELECT reason FROM rejected_solution WHERE message_id = ?',
          [id],
        ),
      ([r]) => r.length > 0,
    );
    expect(rows[0].reason).toBe(RejectReason.malformed);
  });

  it('dead-letters a message that is not a solution message, and records nothing for it', async () => {
    const before = await queueDepth(broker.channel, DEAD_LETTER_QUEUE);
    broker.channel.publish(SOLUTION_EXCHANGE, SOLUTION_ROUTING_KEY, Buffer.from('{"poison":true'), {
      persistent: true,
      messageId: 'poison-1',
    });
    expect(
      await eventually(
        () => queueDepth(broker.channel, DEAD_LETTER_QUEUE),
        (n) => n > before,
      ),
    ).toBe(before + 1);
    expect(await queueDepth(broker.channel, SOLUTION_QUEUE)).toBe(0);
    await broker.channel.purgeQueue(DEAD_LETTER_QUEUE);
  });

  it('records a redelivered message once: a second copy with the same message id changes nothing', async () => {
    const one = await share();
    await outcomeOf(one.work.workId);
    const [[original]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT message_id FROM solution WHERE work_id = ?',
      [one.work.workId],
    );
    const [[counts]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT (SELECT COUNT(*) FROM solution) a, (SELECT COUNT(*) FROM rejected_solution) r',
    );
    broker.channel.publish(
      SOLUTION_EXCHANGE,
      SOLUTION_ROUTING_KEY,
      encodeSolutionMessage({
        v: 1,
        id: original.message_id as string,
        network: 'main',
        solution: one.crafted.solution,
        miner: '',
        threadId: '0',
        ip: null,
        agent: null,
        os: null,
        receivedAt: Date.now(),
      }),
      { persistent: true },
    );
    await eventually(
      () => queueDepth(broker.channel),
      (n) => n === 0,
    );
    await new Promise((r) => setTimeout(r, 300));
    const [[after]] = await db.query<mysql.RowDataPacket[]>(
      'SELECT (SELECT COUNT(*) FROM solution) a, (SELECT COUNT(*) FROM rejected_solution) r',
    );
    expect(after).toEqual(counts);
  });
});
