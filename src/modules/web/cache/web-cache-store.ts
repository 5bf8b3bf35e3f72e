import { Keyv, type KeyvOptions } from 'keyv';
import { LRUCache } from 'lru-cache';
import { parseTagged, stringifyTagged } from './tagged-json';

/** Most distinct keys one frontend keeps in memory; the least recently used go first. */
export const READ_CACHE_MAX_ENTRIES = 2000;

/** Keys in a shared store are `purepool:web::<key>`: a Redis may serve other things too. */
export const SHARED_CACHE_NAMESPACE = 'purepool:web';

/**
 * The cache-manager store of the web reads. Without CACHE_URL: this process's memory, values kept
 * as they are (no serialization), bounded by READ_CACHE_MAX_ENTRIES (paged API reads make many
 * keys). With CACHE_URL: Redis, shared by every frontend, values written as tagged JSON so bigint
 * amounts and Dates come back as such.
 */
export function createWebCacheStore(cacheUrl: string | null): Keyv {
  if (cacheUrl === null) {
    const memory = new Keyv({
      store: new LRUCache<string, object>({ max: READ_CACHE_MAX_ENTRIES }),
    });
    // Kept by reference, as the pages used them before: nothing to serialize in one process.
    memory.serialize = undefined;
    memory.deserialize = undefined;
    return memory;
  }
  return sharedStore(cacheUrl);
}

function sharedStore(cacheUrl: string): Keyv {
  // Loaded only when a shared cache is configured: the Redis client costs every process ~10 MB.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: KeyvRedis } = require('@keyv/redis') as typeof import('@keyv/redis');
  const adapter = new KeyvRedis(
    {
      url: cacheUrl,
      // Fail fast while Redis is away (the read goes to the database) instead of queueing.
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        reconnectStrategy: (attempts: number) => Math.min(100 * 2 ** attempts, 2000),
      },
    },
    { namespace: SHARED_CACHE_NAMESPACE, throwOnConnectError: true },
  );
  // Its errors are logged by ReadCache, which then skips it for a few seconds.
  return new Keyv(adapter, {
    namespace: SHARED_CACHE_NAMESPACE,
    useKeyPrefix: false,
    ...TAGGED_SERIALIZATION,
  });
}

/** Keyv's serialization hooks for a store that holds text: tagged JSON (bigint, Date). */
export const TAGGED_SERIALIZATION: Pick<KeyvOptions, 'serialize' | 'deserialize'> = {
  serialize: (data) => stringifyTagged(data),
  deserialize: (text) => parseTagged(text),
};
