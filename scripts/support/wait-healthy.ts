import { existsSync, readFileSync } from 'node:fs';

export interface WaitHealthyOptions {
  /** Give up after this long (default 90 s). */
  ms?: number;
  /**
   * Called between polls: a reason when the process being waited for can no longer become healthy
   * (it exited), so the wait fails at once with that reason instead of after `ms`.
   */
  gone?: () => string | null;
}

/**
 * Polls `url` until it answers 200 (a role's /health), or throws naming `what`: at once when
 * `gone` reports the process exited, else after the time limit with the last answer (a 503 names
 * the failing indicator) or the last connection error.
 */
export async function waitHealthy(
  url: string,
  what: string,
  options: number | WaitHealthyOptions = {},
): Promise<void> {
  const { ms = 90_000, gone } = typeof options === 'number' ? { ms: options } : options;
  const until = Date.now() + ms;
  let last: string;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
      last = `${response.status} ${(await response.text()).slice(0, 500)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    const reason = gone?.();
    if (reason) throw new Error(`${what} did not become healthy at ${url}: ${reason}`);
    if (Date.now() > until)
      throw new Error(`${what} did not become healthy at ${url} within ${ms} ms (last: ${last})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The last `lines` lines of a log file, for an error message ('' when there is none). */
export function logTail(file: string, lines = 15): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}
