import { SchedulerRegistry } from '@nestjs/schedule';
import type { NodeClients } from '../../biblepay/node-clients';
import type { AppConfig } from '../../config/app-config';
import { CHAIN_TIP_POLLER, ChainHistoryService } from './chain-history.service';

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
