import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { backendConfig, newTestService } from '../../../test/support/mocks';
import { NodeClients } from '../../biblepay/node-clients';
import { RpcError } from '../../biblepay/rpc';
import { RoundRepository } from '../solution/round.repository';
import { SolutionBacklog } from '../../messaging/solution-backlog';
import { BlockRepository, PoolBlock } from './block.repository';
import { RoundKeeperService } from './round-keeper.service';

const HASH = 'ab'.repeat(32);
const config = backendConfig({
  MATURITY_CONFIRMATIONS_MAIN: '10',
  ORPHAN_CONFIRMATIONS: '3',
  ROUND_BACKLOG_WAIT_SECONDS: '600',
});
const block = (height: number, hash = HASH): PoolBlock => ({
  id: height,
  network: 'main',
  height,
  hash,
  chainTime: new Date('2026-12-05T00:00:00Z'),
  firstSeenAt: new Date('2026-12-05T00:00:05Z'),
  subsidy: 1n,
  status: 'pending',
  roundAssigned: false,
});

function keeper(tip: number, chain: (height: number) => string, backlog?: SolutionBacklog) {
  // ModuleRef's `get` is abstract (not on its prototype): hand in a real stand-in.
  const moduleRef = Object.assign(Object.create(ModuleRef.prototype) as ModuleRef, {
    get: () => {
      if (!backlog) throw new Error('no backlog');
      return backlog;
    },
  });
  const t = newTestService(RoundKeeperService, [config, moduleRef]);
  const client = {
    getBlockCount: jest.fn().mockResolvedValue(tip),
    getBlockHash: jest.fn((height: number) =>
      height > tip
        ? Promise.reject(new RpcError('getblockhash', -8, 'Block height out of range'))
        : Promise.resolve(chain(height)),
    ),
  };
  t.mock(NodeClients).of.mockReturnValue(client as never);
  const blocks = t.mock(BlockRepository);
  blocks.orphanedPoolBlocks.mockResolvedValue([]);
  blocks.transaction.mockImplementation(((work: (m: EntityManager) => unknown) =>
    work({} as EntityManager)) as never);
  blocks.transition.mockResolvedValue(true);
  blocks.markRoundAssigned.mockResolvedValue(true);
  return t;
}

describe('RoundKeeperService (maturity, rounds, orphans) with its repositories mocked', () => {
  it('fixes a round at maturity once the backlog has drained, then marks the block mature', async () => {
    const t = keeper(109, () => HASH, { drained: () => Promise.resolve(true) });
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(100)]);
    const end = new Date('2026-12-05T00:00:03.123Z');
    t.mock(RoundRepository).roundEnd.mockResolvedValue(end);
    const result = await t.sut.update('main');
    expect(result).toMatchObject({ assigned: 1, matured: 1, waiting: 0 });
    // the round ends where the pool saw the block (RoundRepository.roundEnd), not at its header time
    expect(t.mock(RoundRepository).roundEnd).toHaveBeenCalledWith(
      expect.objectContaining({ id: 100, hash: HASH }),
      expect.anything(),
    );
    expect(t.mock(RoundRepository).assignRound).toHaveBeenCalledWith(
      expect.anything(),
      'main',
      100,
      end,
    );
    expect(t.mock(BlockRepository).transition).toHaveBeenCalledWith(100, 'pending', 'mature', 10);
  });

  it('assigns nothing when another run fixed the round first (the mark is conditional)', async () => {
    const t = keeper(109, () => HASH, { drained: () => Promise.resolve(true) });
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(100)]);
    t.mock(BlockRepository).markRoundAssigned.mockResolvedValue(false);
    expect(await t.sut.update('main')).toMatchObject({ assigned: 0, matured: 0 });
    expect(t.mock(RoundRepository).assignRound).not.toHaveBeenCalled();
    expect(t.mock(BlockRepository).transition).not.toHaveBeenCalled();
  });

  it('lets a mature round wait while shares are still queued', async () => {
    const t = keeper(109, () => HASH, { drained: () => Promise.resolve(false) });
    t.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(100)]);
    expect(await t.sut.update('main')).toMatchObject({ assigned: 0, waiting: 1 });
    expect(t.mock(RoundRepository).assignRound).not.toHaveBeenCalled();
  });

  it('orphans nothing above a node that is behind, and a replaced block only once buried deep enough', async () => {
    const above = keeper(99, () => HASH);
    above.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(100)]);
    expect(await above.sut.update('main')).toMatchObject({ orphaned: 0, waiting: 1 });

    const shallow = keeper(101, () => 'cd'.repeat(32));
    shallow.mock(BlockRepository).openPoolBlocks.mockResolvedValue([block(100)]);
    expect(await shallow.sut.update('main')).toMatchObject({ orphaned: 0, waiting: 1 });
  });
});
