import { randomAddress } from '../../biblepay/address';
import { AppConfig } from '../../config/app-config';
import { MinerRegistryService } from './miner-registry.service';
import { MinerRepository, MinerRow } from './miner.repository';

function registry(entries: number) {
  let nextId = 1;
  const ids = new Map<string, number>();
  const row = (address: string): MinerRow => {
    if (!ids.has(address)) ids.set(address, nextId++);
    const id = ids.get(address)!;
    return {
      id,
      guid: `guid-${id}`,
      disabled: false,
      hashTarget: null,
      suspendedUntil: null,
      suspendedReason: null,
    };
  };
  const repository = {
    findOrCreateMiner: jest.fn(async (_network: string, address: string) => row(address)),
    findOrCreateWorker: jest.fn(async (minerId: number) => ({ id: minerId * 100, replaced: null })),
    findMiner: jest.fn(async () => null),
  };
  const config = new AppConfig({
    ROLE: 'frontend',
    DATABASE_URL: 'mysql://u:p@127.0.0.1:3306/db',
    AMQP_URL: 'amqp://u:p@127.0.0.1:5672/v',
    POOL_ADDRESS_MAIN: randomAddress('main'),
    MINER_CACHE_ENTRIES: String(entries),
  });
  const registry = new MinerRegistryService(repository as unknown as MinerRepository, config);
  const getwork = (address: string) => registry.resolve('main', address, null, 'rig');
  return { registry, repository, getwork };
}

describe('MinerRegistryService (bounded LRU of miners on the getwork path)', () => {
  it('answers a steady miner from memory: one miner read and one worker read, ever', async () => {
    const { repository, getwork } = registry(10);
    const address = randomAddress('main');
    for (let i = 0; i < 5; i++) expect((await getwork(address)).workerId).toBe(100);
    expect(repository.findOrCreateMiner).toHaveBeenCalledTimes(1);
    expect(repository.findOrCreateWorker).toHaveBeenCalledTimes(1);
  });

  it('past MINER_CACHE_ENTRIES drops only the least recently seen miner', async () => {
    const { registry: r, repository, getwork } = registry(3);
    const [a, b, c, d] = Array.from({ length: 4 }, () => randomAddress('main'));
    await getwork(a);
    await getwork(b);
    await getwork(c);
    await getwork(a); // a is fresh again: b is now the oldest
    await getwork(d);
    expect(r.size).toBe(3);
    repository.findOrCreateMiner.mockClear();
    await getwork(a);
    await getwork(c);
    await getwork(d);
    expect(repository.findOrCreateMiner).not.toHaveBeenCalled();
    await getwork(b);
    expect(repository.findOrCreateMiner).toHaveBeenCalledTimes(1);
  });

  it('never holds more than the bound, and a flood of new miners leaves the recent ones cached', async () => {
    const { registry: r, repository, getwork } = registry(100);
    const addresses = Array.from({ length: 250 }, () => randomAddress('main'));
    for (const address of addresses) {
      await getwork(address);
      expect(r.size).toBeLessThanOrEqual(100);
    }
    repository.findOrCreateMiner.mockClear();
    for (const address of addresses.slice(-100)) await getwork(address);
    expect(repository.findOrCreateMiner).not.toHaveBeenCalled();
  });

  it('drops miners not seen for MINER_CACHE_SECONDS: it holds the active miners, not every one since start', async () => {
    // An expired entry is never used again (the next getwork re-reads the miner and starts a new
    // entry), so miners that stopped mining must not sit in memory until MINER_CACHE_ENTRIES is hit.
    const { registry: r, getwork } = registry(10_000);
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      for (let i = 0; i < 500; i++) await getwork(randomAddress('main'));
      expect(r.size).toBe(500);
      now.mockReturnValue(1_000_000 + 61_000); // past MINER_CACHE_SECONDS (60)
      const steady = randomAddress('main');
      await getwork(steady);
      expect(r.size).toBe(1);
      await getwork(steady);
      expect(r.size).toBe(1);
    } finally {
      now.mockRestore();
    }
  });
});
