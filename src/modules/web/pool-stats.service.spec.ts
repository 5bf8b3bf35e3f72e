import { randomAddress } from '../../biblepay/address';
import { AppConfig } from '../../config/app-config';
import { forecastBlocksToday, PoolStatsService } from './pool-stats.service';
import { memoryReadCache } from './read-cache';
import { BlockRow, WebReadModel } from './web-read-model';

const block = (id: number, status: BlockRow['status']): BlockRow => ({
  id,
  height: 100 + id,
  hash: 'ab'.repeat(32),
  chainTime: new Date(),
  subsidy: 500_000_000_000n,
  recipient: 'B',
  isPoolBlock: true,
  status,
  confirmations: 0,
  finderAddress: null,
  sharedOutAt: null,
});

describe('PoolStatsService', () => {
  it('forecasts today like the original: yesterday and today so far as a rate, times 24', () => {
    const days = [{ poolBlocks: 9 }, { poolBlocks: 12 }, { poolBlocks: 6 }];
    // 18 blocks in 24 + 12 hours → 12 a day.
    expect(forecastBlocksToday(days, new Date('2026-11-28T12:00:00Z'))).toBe(12);
    expect(forecastBlocksToday(days, new Date('2026-11-28T00:00:00Z'))).toBe(18);
    expect(forecastBlocksToday([{ poolBlocks: 3 }], new Date())).toBe(0);
  });

  it('shows a shared block as paid only when the repository says every miner was paid since', async () => {
    const repo = {
      blocks: jest
        .fn()
        .mockResolvedValue([
          block(1, 'pending'),
          block(2, 'shared'),
          block(3, 'shared'),
          block(4, 'orphaned'),
          block(5, 'mature'),
        ]),
      countBlocks: jest.fn().mockResolvedValue(5),
      paidBlockIds: jest.fn().mockResolvedValue(new Set([3])),
    } as unknown as WebReadModel;
    const config = new AppConfig({
      ROLE: 'frontend',
      DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/db',
      AMQP_URL: 'amqp://u:p@127.0.0.1:5672/v',
      POOL_ADDRESS_MAIN: randomAddress('main'),
    });
    const service = new PoolStatsService(repo, memoryReadCache(60), config);
    const page = await service.blocksPage('main', true, 1, 5);
    expect(page.blocks.map((b) => b.displayStatus)).toEqual([
      'pending',
      'credited',
      'paid',
      'orphaned',
      'mature',
    ]);
    expect(repo.paidBlockIds).toHaveBeenCalledWith('main', [2, 3]);
  });
});
