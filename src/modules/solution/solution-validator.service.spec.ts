import { backendConfig, newTestService } from '../../../test/support/mocks';
import { wellFormedSolution } from '../../../test/support/solutions';
import { encodeBlockHeader } from '../../biblepay/block-header';
import { NodeClients } from '../../biblepay/node-clients';
import { RpcTransportError } from '../../biblepay/rpc';
import type { BiblepayRpcClient, BatchOutcome } from '../../biblepay/rpc';
import type { SolutionMessage } from '../../messaging/solution-message';
import { WorkRef, WorkRepository } from '../mining/work.repository';
import { SourceSuspensionRepository } from '../mining/source-suspension.repository';
import { RejectReason } from './reject-reason';
import { SolutionRepository } from './solution.repository';
import { ChainHistoryService } from './chain-history.service';
import { NodeUnavailableError } from './node-unavailable.error';
import { creditedReceivedAt, SolutionValidatorService } from './solution-validator.service';

const WORK_ID = '7a0f6c1e-3b9d-4f7e-8a21-0c5d9e4b6f33';
const GUID = '2f1c7a52-8c1e-4a0b-9d55-5e8f3f0b7a11';
const EASY = 'f'.repeat(64);
const config = backendConfig();

let n = 0;
const message = (solution: string, ip: string | null = null): SolutionMessage => ({
  v: 1,
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  network: 'main',
  solution,
  miner: 'addr/w',
  threadId: null,
  ip,
  agent: null,
  os: null,
  receivedAt: Date.now(),
});
const work = (overrides: Partial<WorkRef> = {}): WorkRef => ({
  id: WORK_ID,
  network: 'main',
  minerId: 1,
  workerId: 2,
  minerGuid: GUID,
  hashTarget: EASY,
  minerHasAcceptedShare: true,
  createdAt: new Date(Date.now() - 60_000),
  ...overrides,
});

function validator(
  works: WorkRef[],
  recorded: string[] = [],
  suspendedSources = new Map<string, Date>(),
) {
  const t = newTestService(SolutionValidatorService, [config]);
  t.mock(SourceSuspensionRepository).activeAmong.mockResolvedValue(suspendedSources);
  t.mock(SolutionRepository).recordedMessageIds.mockResolvedValue({
    accepted: new Set(recorded),
    rejected: new Set(),
  });
  t.mock(SolutionRepository).acceptedBibleHashes.mockResolvedValue(new Set());
  t.mock(WorkRepository).findWorks.mockResolvedValue(new Map(works.map((w) => [w.id, w])));
  return t;
}

const reasons = (verdicts: Awaited<ReturnType<SolutionValidatorService['validate']>>) =>
  verdicts.map((v) => (v.kind === 'rejected' ? v.row.reason : v.kind));

describe('SolutionValidatorService: the checks before the node (repositories and node mocked)', () => {
  it('rejects cheaply, without asking the node: malformed, unknown work, another miner’s work, suspended, above target', async () => {
    const t = validator([
      work(),
      work({ id: 'b'.repeat(8) + WORK_ID.slice(8), minerGuid: 'someone-else' }),
    ]);
    const verdicts = await t.sut.validate([
      message('not,a,solution'),
      message(wellFormedSolution({ workId: '00000000-0000-4000-8000-000000000000' })),
      message(wellFormedSolution({ workId: 'b'.repeat(8) + WORK_ID.slice(8) })),
    ]);
    expect(reasons(verdicts)).toEqual([
      RejectReason.malformed,
      RejectReason.unknownWork,
      RejectReason.minerMismatch,
    ]);

    const suspended = validator(
      [work()],
      [],
      new Map([['203.0.113.9', new Date(Date.now() + 60_000)]]),
    );
    const fromSources = await suspended.sut.validate([
      message(wellFormedSolution(), '203.0.113.9'),
      message('not,a,solution', '::ffff:203.0.113.10'),
    ]);
    expect(reasons(fromSources)).toEqual([RejectReason.sourceSuspended, RejectReason.malformed]);
    expect(fromSources.map((v) => (v.kind === 'rejected' ? v.row.source : null))).toEqual([
      '203.0.113.9',
      '203.0.113.10',
    ]);
    const hard = validator([work({ hashTarget: '0'.repeat(63) + '1' })]);
    expect(reasons(await hard.sut.validate([message(wellFormedSolution())]))).toEqual([
      RejectReason.aboveTarget,
    ]);
    for (const v of [t, suspended, hard]) expect(v.mock(NodeClients).of).not.toHaveBeenCalled();
  });

  it('a message recorded before (a redelivery) is only acknowledged, never judged again', async () => {
    const m = message(wellFormedSolution());
    const t = validator([work()], [m.id]);
    expect(reasons(await t.sut.validate([m]))).toEqual(['recorded']);
    expect(t.mock(WorkRepository).findWorks).toHaveBeenCalledWith([]);
  });

  it('a block hex without a real 80-byte header is a block mismatch, found locally', async () => {
    const t = validator([work()]);
    const verdicts = await t.sut.validate([message(wellFormedSolution({ blockHex: 'ab' }))]);
    expect(reasons(verdicts)).toEqual([RejectReason.blockMismatch]);
    expect(t.mock(NodeClients).of).not.toHaveBeenCalled();
  });
});

describe("SolutionValidatorService: the nonce limit of the share's own block (node mocked)", () => {
  // The node's rule is CheckNonce(nonce, prevBlockTime, blockTime): elapsed = the block header's
  // time − the previous block's time, max(512, elapsed × 256), any nonce after 30 minutes
  // (src/pow.cpp:284-296 @1.2.0.1; src/rpcpog.cpp:993-1004 @1.4.4.8). Not the receipt time.
  const PREV_HEIGHT = 200_000; // after PODC: no CPID asked for
  const PREV_HASH = 'c'.repeat(64);

  /** One share at prev_height = the node's tip, its block `blockAfter` s after the previous block. */
  async function judge(share: {
    receivedAfter: number;
    blockAfter: number;
    nonce: number;
    prevAgo?: number;
    hashOutcome?: BatchOutcome<unknown>;
  }) {
    const prevTime = Math.floor(Date.now() / 1000) - (share.prevAgo ?? 600);
    const blockTime = prevTime + share.blockAfter;
    const header = encodeBlockHeader({
      version: 536870912,
      prevHash: PREV_HASH,
      merkleRoot: 'd'.repeat(64),
      time: blockTime,
      bits: 0x1e0ffff0,
      nonce: share.nonce,
    });
    const fields = {
      prevHeight: PREV_HEIGHT,
      prevBlockTime: prevTime,
      blockTime,
      nonce: share.nonce,
      blockHex: header.toString('hex') + '00',
    };
    const solution = wellFormedSolution(fields);
    const bibleHash = solution.split(',')[4];
    const t = validator([work({ createdAt: new Date((prevTime - 60) * 1000) })]);
    const m = { ...message(solution), receivedAt: (prevTime + share.receivedAfter) * 1000 };
    t.mock(NodeClients).flavor.mockResolvedValue('classic');
    const batch = jest.fn().mockResolvedValue([
      { ok: true, value: PREV_HEIGHT },
      share.hashOutcome ?? { ok: true, value: bibleHash },
      {
        ok: true,
        value: {
          txid: 'e'.repeat(64),
          recipient: config.poolAddressOf('main'),
          biblehash: bibleHash,
          subsidy: 5000n,
          blockversion: 1201,
          blockmessage: `<MINERGUID>${GUID}</MINERGUID>`,
        },
      },
      { ok: true, value: PREV_HEIGHT },
    ] satisfies BatchOutcome<unknown>[]);
    t.mock(NodeClients).of.mockReturnValue({ batch } as unknown as BiblepayRpcClient);
    t.mock(ChainHistoryService).tip.mockResolvedValue({
      height: PREV_HEIGHT,
      tipTimeMs: prevTime * 1000,
    });
    t.mock(ChainHistoryService).blocks.mockResolvedValue(
      new Map([[PREV_HEIGHT, { height: PREV_HEIGHT, hash: PREV_HASH, time: prevTime }]]),
    );
    const [verdict] = await t.sut.validate([m]);
    return verdict.kind === 'rejected'
      ? { reason: verdict.row.reason, detail: verdict.row.detail }
      : { reason: verdict.kind };
  }

  it("accepts a nonce within its block time's limit though the receipt time would refuse it", async () => {
    // Received 10 s after the previous block (receipt limit 2,560); the block's own time is 100 s
    // after it (a wallet clock ahead of the pool's): limit 25,600.
    await expect(judge({ receivedAfter: 10, blockAfter: 100, nonce: 20_000 })).resolves.toEqual({
      reason: 'accepted',
    });
  });

  it("refuses a nonce above its block time's limit though the receipt time would allow it", async () => {
    // The block's own time is 2 s after the previous block (limit 512); received 100 s after it.
    await expect(judge({ receivedAfter: 100, blockAfter: 2, nonce: 5_000 })).resolves.toEqual({
      reason: RejectReason.nonceTooHigh,
      detail: expect.stringContaining('nonce 5000 > 512'),
    });
  });

  it('any nonce once the block time is more than 30 minutes after the previous block', async () => {
    await expect(
      judge({ receivedAfter: 1801, blockAfter: 1801, nonce: 4_000_000_000, prevAgo: 2400 }),
    ).resolves.toEqual({ reason: 'accepted' });
  });

  it('a block dated beyond what the node would accept buys no larger limit than arrival + 5 minutes', async () => {
    // Classic after height 24,999 refuses a block more than 5 minutes ahead (src/main.cpp:4311
    // @1.2.0.1): received 10 s after the previous block, measured at 310 s → 79,360.
    await expect(
      judge({ receivedAfter: 10, blockAfter: 1801, nonce: 4_000_000_000, prevAgo: 2400 }),
    ).resolves.toEqual({
      reason: RejectReason.nonceTooHigh,
      detail: expect.stringContaining('nonce 4000000000 > 79360'),
    });
  });
});

describe('SolutionValidatorService: a node that does not know exec biblehash (node mocked)', () => {
  it('is node trouble, never a verdict on the share', async () => {
    // What the client makes of {"Command":"biblehash","Error":"Unknown command: biblehash"}.
    const t = validator([work()]);
    t.mock(NodeClients).flavor.mockResolvedValue('classic');
    t.mock(ChainHistoryService).tip.mockResolvedValue({ height: 1000, tipTimeMs: 0 });
    t.mock(ChainHistoryService).blocks.mockResolvedValue(new Map());
    const unknown = new RpcTransportError(
      'exec biblehash',
      'bad_response',
      'the node does not know exec biblehash: Unknown command: biblehash',
    );
    const batch = jest.fn().mockResolvedValue([
      { ok: true, value: 1000 },
      { ok: false, error: unknown },
      { ok: false, error: unknown },
      { ok: true, value: 1000 },
    ]);
    t.mock(NodeClients).of.mockReturnValue({ batch } as unknown as BiblepayRpcClient);
    const header = encodeBlockHeader({
      version: 1,
      prevHash: 'c'.repeat(64),
      merkleRoot: 'd'.repeat(64),
      time: 1_700_000_000,
      bits: 0,
      nonce: 7,
    });
    const solution = wellFormedSolution({
      blockTime: 1_700_000_000,
      nonce: 7,
      blockHex: header.toString('hex'),
    });
    const error = await t.sut.validate([message(solution)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeUnavailableError);
    expect((error as Error).message).toContain('Unknown command: biblehash');
  });
});

describe('creditedReceivedAt: the arrival time a share is credited with', () => {
  const work = 1_700_000_000_000;
  const now = work + 600_000;
  it.each([
    ['a time between the work and now, as claimed', work + 1000, work + 1000],
    ['a time in the future: now', now + 3_600_000, now],
    ['a time before its work was handed out: the work time', work - 3_600_000, work],
  ])('%s', (_case, claimed, credited) => {
    expect(creditedReceivedAt(claimed, work, now)).toBe(credited);
  });
});
