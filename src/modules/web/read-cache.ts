interface Entry {
  expires: number;
  value: Promise<unknown>;
}

/** Most distinct keys kept; the oldest go first (paged API reads make many keys). */
export const READ_CACHE_MAX_ENTRIES = 2000;

/**
 * Every page and API read goes through here: a result is reused for WEB_CACHE_SECONDS, and
 * requests that arrive while the same read is running wait for it instead of starting another,
 * so a burst of visitors costs the database one query per key and period. A failed read is
 * not kept: the next request tries again.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;

  constructor(
    ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = ttlSeconds * 1000;
  }

  /** `keep` decides whether a loaded value may be reused (e.g. not a "not found"). */
  get<T>(
    key: string,
    load: () => Promise<T>,
    keep: (value: T) => boolean = () => true,
  ): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (hit) this.entries.delete(key);

    const value = load();
    const entry: Entry = { expires: Number.POSITIVE_INFINITY, value };
    this.entries.set(key, entry);
    this.evictOverflow();
    value.then(
      (loaded) => {
        // Counted from when the read finished, so a slow read is still reused for the full period.
        entry.expires = this.now() + this.ttlMs;
        if ((this.ttlMs === 0 || !keep(loaded)) && this.entries.get(key) === entry)
          this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOverflow(): void {
    while (this.entries.size > READ_CACHE_MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (oldest.done) return;
      this.entries.delete(oldest.value);
    }
  }
}
