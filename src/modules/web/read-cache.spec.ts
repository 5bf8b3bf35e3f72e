import { READ_CACHE_MAX_ENTRIES, ReadCache } from './read-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ReadCache', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('reuses a loaded value for the configured seconds, then loads again', async () => {
    const cache = new ReadCache(60, clock);
    const load = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
    expect(await cache.get('k', load)).toBe('first');
    now += 59_000;
    expect(await cache.get('k', load)).toBe('first');
    now += 2_000;
    expect(await cache.get('k', load)).toBe('second');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('lets concurrent requests for one key share a single load', async () => {
    const cache = new ReadCache(60, clock);
    const pending = deferred<number>();
    const load = jest.fn(() => pending.promise);
    const all = Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    pending.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed load: the next request tries again', async () => {
    const cache = new ReadCache(60, clock);
    const load = jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValueOnce('ok');
    await expect(cache.get('k', load)).rejects.toThrow('db down');
    expect(await cache.get('k', load)).toBe('ok');
  });

  it('does not keep a value the caller says not to (a miner not found yet)', async () => {
    const cache = new ReadCache(60, clock);
    const load = jest.fn().mockResolvedValueOnce(null).mockResolvedValueOnce({ id: 1 });
    const found = (v: { id: number } | null): boolean => v !== null;
    expect(await cache.get('m', load, found)).toBeNull();
    expect(await cache.get('m', load, found)).toEqual({ id: 1 });
    expect(await cache.get('m', load, found)).toEqual({ id: 1 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('with 0 seconds only shares loads in flight', async () => {
    const cache = new ReadCache(0, clock);
    const load = jest.fn().mockResolvedValue('v');
    await cache.get('k', load);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('holds a bounded number of keys, dropping the oldest', async () => {
    const cache = new ReadCache(60, clock);
    for (let i = 0; i <= READ_CACHE_MAX_ENTRIES; i++) await cache.get(`k${i}`, async () => i);
    expect(cache.size).toBe(READ_CACHE_MAX_ENTRIES);
    const reload = jest.fn().mockResolvedValue('again');
    expect(await cache.get('k0', reload)).toBe('again');
    expect(await cache.get(`k${READ_CACHE_MAX_ENTRIES}`, reload)).toBe(READ_CACHE_MAX_ENTRIES);
  });
});
