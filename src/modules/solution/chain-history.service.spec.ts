import { SchedulerRegistry } from '@nestjs/schedule';
import type { NodeClients } from '../../biblepay/node-clients';
import type { AppConfig } from '../../config/app-config';
import { CHAIN_TIP_POLLER, ChainHistoryService, maxNonce } from './chain-history.service';

describe('max nonce (the node pinfo rule)', () => {
  const tip = { height: 10, tipTimeMs: 1_000_000 };
  it('is 512 right after a block', () => {
    expect(maxNonce(tip, 1_000_000)).toBe(512);
    expect(maxNonce(tip, 1_001_999)).toBe(512);
  });
  it('grows by 256 per second since the tip', () => {
    expect(maxNonce(tip, 1_000_000 + 10_000)).toBe(2560);
  });
  it('opens to 999999999 after 30 minutes without a block', () => {
    expect(maxNonce(tip, 1_000_000 + 1800_000)).toBe(1800 * 256);
    expect(maxNonce(tip, 1_000_000 + 1801_000)).toBe(999_999_999);
  });
});

describe('the tip poller', () => {
  const config = {
    runBackgroundWork: true,
    networks: [],
    solution: { tipRefreshMs: 1000 },
  } as unknown as AppConfig;

  it('runs on the SchedulerRegistry like every other background timer, and leaves with the module', () => {
    const registry = new SchedulerRegistry();
    const history = new ChainHistoryService({} as NodeClients, config, registry);
    history.onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual([CHAIN_TIP_POLLER]);
    history.onModuleDestroy();
    expect(registry.getIntervals()).toEqual([]);
  });

  it('is not started for one-shot commands (no background work)', () => {
    const registry = new SchedulerRegistry();
    const quiet = { ...config, runBackgroundWork: false } as AppConfig;
    new ChainHistoryService({} as NodeClients, quiet, registry).onApplicationBootstrap();
    expect(registry.getIntervals()).toEqual([]);
  });
});
