/** Polls `url` until it answers 200 (a role's /health), or throws naming `what` after `ms`. */
export async function waitHealthy(url: string, what: string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${what} did not become healthy at ${url}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
