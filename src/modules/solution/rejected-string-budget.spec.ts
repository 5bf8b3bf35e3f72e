import { backendConfig, newTestService } from '../../../test/support/mocks';
import { RejectedStringBudget } from './rejected-string-budget';
import { NewRejectedSolution, SolutionRepository } from './solution.repository';
import type { Verdict } from './verdict';

let n = 0;
const rejected = (
  minerId: number | null,
  source: string | null,
  bytes: number,
): Verdict & { kind: 'rejected'; row: NewRejectedSolution } => ({
  kind: 'rejected',
  row: {
    messageId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    network: 'main',
    workId: null,
    minerId,
    workerId: null,
    source,
    reason: 'above_target',
    detail: null,
    bibleHash: null,
    solutionString: 'x'.repeat(bytes),
    insertedAt: new Date(),
  },
});

function budget(
  env: Record<string, string>,
  used: { miner?: number; source?: number; total?: number } = {},
) {
  const t = newTestService(RejectedStringBudget, [backendConfig(env)]);
  const repo = t.mock(SolutionRepository);
  repo.storedRejectedBytes.mockImplementation(
    async (ids) => new Map(ids.map((id) => [id, used.miner ?? 0])),
  );
  repo.storedRejectedBytesBySource.mockImplementation(
    async (sources) => new Map(sources.map((s) => [s, used.source ?? 0])),
  );
  repo.storedRejectedBytesTotal.mockResolvedValue(used.total ?? 0);
  return t;
}

const kept = (verdicts: ReturnType<typeof rejected>[]) =>
  verdicts.map((v) => (v.row.solutionString === null ? 0 : 1));

describe('RejectedStringBudget', () => {
  it('keeps strings only with a known miner and source, within the per-miner budget', async () => {
    const t = budget({ REJECTED_SOLUTION_BYTES_PER_MINER_HOUR: '250' });
    const verdicts = [
      rejected(null, '1.2.3.4', 10),
      rejected(1, null, 10),
      rejected(1, '1.2.3.4', 100),
      rejected(1, '1.2.3.4', 100),
      rejected(1, '1.2.3.4', 100),
      rejected(2, '1.2.3.4', 100),
    ];
    await t.sut.limit(verdicts, new Date());
    expect(kept(verdicts)).toEqual([0, 0, 1, 1, 0, 1]);
  });

  it('bounds one source however many miners it names', async () => {
    const t = budget({ REJECTED_STRING_BYTES_PER_SOURCE_HOUR: '300' }, { source: 100 });
    const verdicts = [1, 2, 3, 4].map((miner) => rejected(miner, '1.2.3.4', 100));
    verdicts.push(rejected(5, '5.6.7.8', 100));
    await t.sut.limit(verdicts, new Date());
    expect(kept(verdicts)).toEqual([1, 1, 0, 0, 1]);
  });

  it('bounds the whole pool per hour (REJECTED_STRING_BYTES_PER_HOUR), read again only every minute', async () => {
    const t = budget({ REJECTED_STRING_BYTES_PER_HOUR: '1000' }, { total: 800 });
    const first = [rejected(1, 'a', 150), rejected(2, 'b', 150)];
    const now = new Date();
    await t.sut.limit(first, now);
    expect(kept(first)).toEqual([1, 0]);
    const second = [rejected(3, 'c', 100)];
    await t.sut.limit(second, new Date(now.getTime() + 1000));
    expect(kept(second)).toEqual([0]); // 950 counted locally since the read
    expect(t.mock(SolutionRepository).storedRejectedBytesTotal).toHaveBeenCalledTimes(1);
  });
});
