import { backendConfig, newTestService } from '../../../test/support/mocks';
import { wellFormedSolution } from '../../../test/support/solutions';
import { NodeClients } from '../../biblepay/node-clients';
import type { SolutionMessage } from '../../messaging/solution-message';
import { WorkRef, WorkRepository } from '../mining/work.repository';
import { SourceSuspensionRepository } from '../mining/source-suspension.repository';
import { RejectReason } from './reject-reason';
import { SolutionRepository } from './solution.repository';
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
