import type { EntityManager } from 'typeorm';
import { backendConfig, newTestService } from '../../../test/support/mocks';
import { parseCoins } from '../../biblepay/amount';
import { LedgerRepository } from '../payout/ledger.repository';
import { RoundRepository } from '../solution/round.repository';
import { BlockRepository, PoolBlock } from './block.repository';
import { ShareoutService } from './shareout.service';

const config = (fee: string) =>
  backendConfig({
    POOL_FEE_PERCENT: fee,
  });

const block = (id: number, subsidy: string): PoolBlock => ({
  id,
  network: 'main',
  height: 1000 + id,
  hash: 'ab'.repeat(32),
  chainTime: new Date('2026-12-05T00:00:00Z'),
  firstSeenAt: new Date('2026-12-05T00:00:05Z'),
  subsidy: parseCoins(subsidy),
  status: 'mature',
  roundAssigned: true,
});

function service(fee = '1.5') {
  const t = newTestService(ShareoutService, [config(fee)]);
  const blocks = t.mock(BlockRepository);
  blocks.transaction.mockImplementation(((work: (m: EntityManager) => unknown) =>
    work({} as EntityManager)) as never);
  blocks.lockMature.mockImplementation((_m, id) => Promise.resolve(block(id, '1')));
  return t;
}

describe('ShareoutService (PROP) with its repositories mocked', () => {
  it('credits subsidy − fee split by weight, to the base unit, and marks the block shared in the same transaction', async () => {
    const t = service('1.5');
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(1, '5492.75')]);
    t.mock(RoundRepository).roundWeights.mockResolvedValue(
      new Map([
        [10, 1n],
        [11, 1n],
        [12, 1n],
      ]),
    );
    const [report] = await t.sut.run('main');
    const distributable = parseCoins('5492.75') - report.fee;
    expect(report.fee).toBe(parseCoins('82.39125')); // 1.5 %, floored to the base unit
    expect([...report.credits.values()].reduce((a, b) => a + b, 0n)).toBe(distributable);
    expect(new Set(report.credits.values()).size).toBe(2); // one miner gets the odd unit
    expect(t.mock(LedgerRepository).insertCredits).toHaveBeenCalledWith(
      expect.anything(),
      'main',
      1,
      report.credits,
    );
    expect(t.mock(BlockRepository).markShared).toHaveBeenCalledWith(
      expect.anything(),
      1,
      report.fee,
      expect.any(String),
      null,
    );
    expect(report.written).toBe(true);
  });

  it('keeps a block whose round has no share as fee, with the reason; a dry run writes nothing', async () => {
    const t = service('0');
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(2, '100')]);
    t.mock(RoundRepository).roundWeights.mockResolvedValue(new Map());
    const [report] = await t.sut.run('main', { dryRun: true });
    expect(report).toMatchObject({ fee: parseCoins('100'), written: false });
    expect(report.feeReason).toMatch(/no share/);
    expect(t.mock(BlockRepository).transaction).not.toHaveBeenCalled();
  });

  it('writes nothing when another backend shared the block first (the row lock says so)', async () => {
    const t = service();
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(3, '10')]);
    t.mock(RoundRepository).roundWeights.mockResolvedValue(new Map([[10, 5n]]));
    t.mock(BlockRepository).lockMature.mockResolvedValue(null);
    const [report] = await t.sut.run('main');
    expect(report.written).toBe(false);
    expect(t.mock(LedgerRepository).insertCredits).not.toHaveBeenCalled();
  });
  it("locks the miners' balance rows before it writes their ledger credits", async () => {
    const t = service();
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(4, '10')]);
    t.mock(RoundRepository).roundWeights.mockResolvedValue(
      new Map([
        [12, 1n],
        [10, 1n],
      ]),
    );
    await t.sut.run('main');
    const ledger = t.mock(LedgerRepository);
    expect(ledger.lockBalanceRows).toHaveBeenCalledWith(expect.anything(), [12, 10]);
    expect(ledger.lockBalanceRows.mock.invocationCallOrder[0]).toBeLessThan(
      ledger.insertCredits.mock.invocationCallOrder[0],
    );
  });

  it('runs its transaction again when InnoDB rolled it back for a deadlock, a bounded number of times', async () => {
    const deadlock = () =>
      Object.assign(new Error('Deadlock found when trying to get lock'), {
        code: 'ER_LOCK_DEADLOCK',
      });
    const t = service();
    const blocks = t.mock(BlockRepository);
    blocks.openPoolBlocks.mockResolvedValue([block(5, '10')]);
    t.mock(RoundRepository).roundWeights.mockResolvedValue(new Map([[10, 5n]]));
    const run = blocks.transaction.getMockImplementation()!;
    blocks.transaction.mockRejectedValueOnce(deadlock()).mockImplementation(run);
    const [report] = await t.sut.run('main');
    expect(report.written).toBe(true);
    expect(blocks.transaction).toHaveBeenCalledTimes(2);

    blocks.transaction.mockClear();
    blocks.transaction.mockImplementation(() => Promise.reject(deadlock()));
    await expect(t.sut.run('main')).rejects.toThrow(/Deadlock/);
    expect(blocks.transaction).toHaveBeenCalledTimes(3);
  });
});
