import { createCache } from 'cache-manager';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import {
  createWebCacheStore,
  READ_CACHE_MAX_ENTRIES,
  TAGGED_SERIALIZATION,
} from './cache/web-cache-store';
import { memoryReadCache, ReadCache, SHARED_STORE_RETRY_MS } from './read-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** A Redis stand-in: a Keyv over a Map that holds only text, with the shared store's serializer. */
function serializingStore(): { keyv: Keyv; texts: Map<string, unknown> } {
  const texts = new Map<string, unknown>();
  return { keyv: new Keyv({ store: texts, ...TAGGED_SERIALIZATION }), texts };
}

describe('ReadCache (cache-manager, memory store)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reuses a loaded value for the configured seconds, then loads again', async () => {
    const cache = memoryReadCache(60);
    const load = jest.fn().mockResolvedValueOnce('first').mockResolvedValueOnce('second');
    expect(await cache.get('k', load)).toBe('first');
    jest.setSystemTime(Date.now() + 59_000);
    expect(await cache.get('k', load)).toBe('first');
    jest.setSystemTime(Date.now() + 2_000);
    expect(await cache.get('k', load)).toBe('second');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('lets concurrent requests for one key share a single load', async () => {
    const cache = memoryReadCache(60);
    const pending = deferred<number>();
    const load = jest.fn(() => pending.promise);
    const all = Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    pending.resolve(7);
    expect(await all).toEqual([7, 7, 7]);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed load: the next request tries again', async () => {
    const cache = memoryReadCache(60);
    const load = jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValueOnce('ok');
    await expect(cache.get('k', load)).rejects.toThrow('db down');
    expect(await cache.get('k', load)).toBe('ok');
  });

  it('does not keep a value the caller says not to (a miner not found yet)', async () => {
    const cache = memoryReadCache(60);
    const load = jest.fn().mockResolvedValueOnce(null).mockResolvedValueOnce({ id: 1 });
    const found = (v: { id: number } | null): boolean => v !== null;
    expect(await cache.get('m', load, found)).toBeNull();
    expect(await cache.get('m', load, found)).toEqual({ id: 1 });
    expect(await cache.get('m', load, found)).toEqual({ id: 1 });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('with 0 seconds only shares loads in flight and stores nothing', async () => {
    const store = createWebCacheStore(null);
    const cache = new ReadCache(createCache({ stores: [store] }), 0);
    const pending = deferred<string>();
    const load = jest.fn(() => pending.promise);
    const both = Promise.all([cache.get('k', load), cache.get('k', load)]);
    pending.resolve('v');
    expect(await both).toEqual(['v', 'v']);
    await cache.get('k', jest.fn().mockResolvedValue('again'));
    expect(load).toHaveBeenCalledTimes(1);
    expect(await store.get('k')).toBeUndefined();
  });

  it('holds a bounded number of keys, dropping the least recently used', async () => {
    const cache = memoryReadCache(60);
    await cache.get('k0', async () => 0);
    for (let i = 1; i <= READ_CACHE_MAX_ENTRIES; i++) {
      await cache.get(`k${i}`, async () => i);
      if (i === 1) await cache.get('k0', async () => -1); // k0 used again: k1 is now the oldest
    }
    const reload = jest.fn().mockResolvedValue('again');
    expect(await cache.get('k0', reload)).toBe(0);
    expect(await cache.get(`k${READ_CACHE_MAX_ENTRIES}`, reload)).toBe(READ_CACHE_MAX_ENTRIES);
    expect(reload).not.toHaveBeenCalled();
    expect(await cache.get('k1', reload)).toBe('again');
  });
});

describe('cached values keep their types', () => {
  const value = {
    balance: 10_012_345_678n,
    negative: -5n,
    huge: 2n ** 70n,
    createdAt: new Date('2024-05-06T07:08:09.123Z'),
    lastPaidAt: null as Date | null,
    rows: [{ amount: 1n, at: new Date(0), txid: 'ab' }],
    // Objects of our own whose keys look like the serializer's tags stay as they are.
    lookalike: { $type: 'bigint', value: '1' },
    dollars: { $$x: 1, $y: [2] },
    text: 'a "quoted" \u2028 line',
  };

  it.each([
    ['memory (kept by reference)', () => createWebCacheStore(null)],
    ['a serializing store (as Redis)', () => serializingStore().keyv],
  ])('through %s: bigint stays bigint, Date stays Date', async (_name, makeStore) => {
    const cache = new ReadCache(createCache({ stores: [makeStore()] }), 60);
    await cache.get('v', async () => value);
    const hit = await cache.get<typeof value>('v', () =>
      Promise.reject(new Error('not from the store')),
    );
    expect(hit).toEqual(value);
    expect(typeof hit.balance).toBe('bigint');
    expect(hit.huge).toBe(2n ** 70n);
    expect(hit.createdAt).toBeInstanceOf(Date);
    expect(hit.createdAt.getTime()).toBe(value.createdAt.getTime());
    expect(hit.rows[0].at).toBeInstanceOf(Date);
  });

  it('the shared store holds text, not objects', async () => {
    const { keyv, texts } = serializingStore();
    await new ReadCache(createCache({ stores: [keyv] }), 60).get('v', async () => value);
    const [stored] = [...texts.values()];
    expect(typeof stored).toBe('string');
    expect(stored).toContain('"$type":"bigint","value":"10012345678"');
  });
});

describe('ReadCache with a shared store that fails', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A store adapter whose calls never answer (a Redis behind a dead link). */
  function hangingStore(): { keyv: Keyv; calls: jest.Mock } {
    const calls = jest.fn(() => new Promise<never>(() => undefined));
    const adapter = {
      get: calls,
      set: calls,
      delete: calls,
      clear: calls,
      on: () => adapter,
      opts: {},
    } as unknown as KeyvStoreAdapter;
    return { keyv: new Keyv({ store: adapter, ...TAGGED_SERIALIZATION }), calls };
  }

  it('reads from the database after a short wait, then skips the store for a while', async () => {
    jest.useFakeTimers({
      now: 1_000_000,
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    const { keyv, calls } = hangingStore();
    const cache = new ReadCache(createCache({ stores: [keyv] }), 60, { shared: true });
    const load = jest.fn().mockResolvedValue('from db');
    const first = cache.get('k', load);
    await jest.advanceTimersByTimeAsync(300);
    expect(await first).toBe('from db');
    expect(calls).toHaveBeenCalledTimes(1);
    expect(await cache.get('k2', load)).toBe('from db');
    expect(calls).toHaveBeenCalledTimes(1);
    jest.setSystemTime(Date.now() + SHARED_STORE_RETRY_MS);
    const later = cache.get('k3', load);
    await jest.advanceTimersByTimeAsync(300);
    expect(await later).toBe('from db');
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('a store that errors costs only a database read', async () => {
    const keyv = new Keyv({ store: new Map(), ...TAGGED_SERIALIZATION });
    jest.spyOn(keyv, 'get').mockRejectedValue(new Error('ECONNREFUSED'));
    const cache = new ReadCache(createCache({ stores: [keyv] }), 60, { shared: true });
    expect(await cache.get('k', async () => 5)).toBe(5);
  });
});
