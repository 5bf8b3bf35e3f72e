/**
 * Requests per key in a sliding minute, estimated from two fixed windows (the "sliding window
 * counter"): estimate = this window's count + last window's count × the part of last window still
 * inside the sliding minute. One Map lookup per request; at each rollover the older window's map
 * is dropped whole, so pruning costs nothing and memory is bounded by the keys of two windows.
 * Refused requests are not counted: a client over the limit still gets `limit` answers a minute.
 */
export class SlidingWindowLimiter {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private windowStart: number;

  constructor(
    readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    if (!(limit > 0)) throw new Error('a rate limit must be more than 0');
    this.windowStart = this.alignedStart(now());
  }

  /** Counts one request for `key` and returns true, or returns false when it is over the limit. */
  take(key: string): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) this.roll(now);
    const count = this.current.get(key) ?? 0;
    const previous = this.previous.get(key);
    if (count + 1 > this.limit) return false;
    if (previous !== undefined) {
      const overlap = 1 - (now - this.windowStart) / this.windowMs;
      if (count + 1 + previous * overlap > this.limit) return false;
    }
    this.current.set(key, count + 1);
    return true;
  }

  /** Whether `take(key)` would succeed now, without counting anything. */
  allows(key: string): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) this.roll(now);
    const count = this.current.get(key) ?? 0;
    const previous = this.previous.get(key) ?? 0;
    const overlap = 1 - (now - this.windowStart) / this.windowMs;
    return count + 1 <= this.limit && count + 1 + previous * overlap <= this.limit;
  }

  /** Whole seconds until the current window ends (a fair Retry-After). */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.windowStart + this.windowMs - this.now()) / 1000));
  }

  /** Keys tracked in the two windows (for tests and metrics). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private roll(now: number): void {
    const start = this.alignedStart(now);
    this.previous =
      start - this.windowStart === this.windowMs ? this.current : new Map<string, number>();
    this.current = new Map<string, number>();
    this.windowStart = start;
  }

  private alignedStart(now: number): number {
    return now - (now % this.windowMs);
  }
}

/**
 * The key a client is limited by: its IP, with IPv4-mapped IPv6 written as IPv4 and an IPv6
 * address cut to its /64 (one subscriber usually holds a whole /64 and could rotate through it).
 */
export function clientKey(ip: string | undefined): string {
  if (!ip) return '?';
  if (!ip.includes(':')) return ip;
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  const [head, tail] = ip.split('::', 2);
  const headGroups = head ? head.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [
          ...headGroups,
          ...new Array<string>(Math.max(0, 8 - headGroups.length - tailLength(tail))).fill('0'),
          ...(tail ? tail.split(':') : []),
        ];
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

function tailLength(tail: string): number {
  return tail ? tail.split(':').length : 0;
}
