import type { SoakRun, Tracked } from './runner';
import { faultsCheck, memoryCheck } from './verdict';

/**
 * A 30-minute run sampled every 20 s: each process's RSS is `rss(name, t)` (default 100 MiB until
 * minute 25, then `last[name]`).
 */
function run(
  last: Record<string, number>,
  roles: Record<string, string>,
  rss: (name: string, t: number) => number = (name, t) => (t >= 25 * 60 ? last[name] : 100),
): SoakRun {
  const startedAt = 1_000_000;
  const tracked: Tracked[] = Object.entries(roles).map(([name, role]) => ({
    name,
    role,
    pids: [{ pid: 1, startedAt }],
    group: true,
  }));
  const samples = Array.from({ length: 91 }, (_, i) => ({
    t: i * 20,
    okPerSecond: 10,
    errors: {},
    queue: 0,
    deadLetters: 0,
    rssMb: Object.fromEntries(Object.keys(roles).map((name) => [name, rss(name, i * 20)])),
  }));
  return {
    options: { minutes: 30 },
    startedAt,
    samples,
    tracked,
  } as unknown as SoakRun;
}

const roles = {
  frontend1: 'frontend',
  backend1: 'backend',
  'sim-node': 'sim-node',
  wallets: 'wallets',
};

describe('memoryCheck', () => {
  it('binds on the pool roles only: the simulator and the wallets growing is reported, not a failure', () => {
    const check = memoryCheck(
      run({ frontend1: 105, backend1: 108, 'sim-node': 146, wallets: 130 }, roles),
    );
    expect(check.binding).toBe(true);
    expect(check.pass).toBe(true);
    expect(check.detail).toContain('sim-node median 100→146 MiB, peak 100→146 MiB (46 %)');
    expect(check.detail).toContain('wallets median 100→130 MiB, peak 100→130 MiB (30 %)');
    expect(check.detail).toMatch(/information only.*sim-node/);
  });

  it('fails when a frontend or a backend creeps past 10 %', () => {
    const backend = memoryCheck(
      run({ frontend1: 100, backend1: 111, 'sim-node': 100, wallets: 100 }, roles),
    );
    expect(backend.pass).toBe(false);
    expect(backend.detail).toContain('backend1 median 100→111 MiB, peak 100→111 MiB (11 %)');
    const frontend = memoryCheck(
      run({ frontend1: 120, backend1: 100, 'sim-node': 100, wallets: 100 }, roles),
    );
    expect(frontend.pass).toBe(false);
  });

  it('a sawtooth is not creep: a single early trough against a late peak passes', () => {
    // Collections every minute: 90 MiB after, 125 MiB before, the whole run long.
    const saw = (_: string, t: number): number => (Math.floor(t / 30) % 2 ? 125 : 90);
    const check = memoryCheck(run({}, roles, saw));
    expect(check.pass).toBe(true);
    expect(check.detail).toContain('backend1 median 90→90 MiB, peak 125→125 MiB (0 %)');
  });

  it('creep under a sawtooth fails: the medians and peaks both move', () => {
    const creep = (name: string, t: number): number =>
      (Math.floor(t / 30) % 2 ? 125 : 90) + (name === 'backend1' ? t / 60 : 0);
    const check = memoryCheck(run({}, roles, creep));
    expect(check.pass).toBe(false);
    expect(check.detail).toMatch(
      /backend1 median [\d.]+→[\d.]+ MiB, peak [\d.]+→[\d.]+ MiB \(2\d %\)/,
    );
  });

  it('a peak that climbs while the median holds still fails', () => {
    const spikes = (name: string, t: number): number =>
      name === 'frontend1' && t >= 25 * 60 && t % 120 === 0 ? 140 : 100;
    expect(memoryCheck(run({}, roles, spikes)).pass).toBe(false);
  });

  it('fails when no frontend or no backend could be judged', () => {
    const check = memoryCheck(
      run({ backend1: 100, 'sim-node': 100 }, { backend1: 'backend', 'sim-node': 'sim-node' }),
    );
    expect(check.pass).toBe(false);
  });
});

describe('the soak verdict: faults', () => {
  it('fails when a fault could not be injected or its victim did not come back', () => {
    const ok = faultsCheck({
      events: [
        { t: 7, fault: 'kill-backend #2 6s', phase: 'start' },
        { t: 19, fault: 'kill-backend #2 6s', phase: 'end' },
      ],
    });
    expect(ok).toMatchObject({ pass: true, binding: true, detail: '1 faults ended' });
    const failed = faultsCheck({
      events: [
        { t: 7, fault: 'kill-backend #2 6s', phase: 'start' },
        {
          t: 14,
          fault: 'kill-backend #2 6s',
          phase: 'failed',
          detail: 'backend2 did not become healthy at …: it exited; … EADDRINUSE',
        },
      ],
    });
    expect(failed.pass).toBe(false);
    expect(failed.detail).toMatch(/t\+14 s kill-backend #2 6s: backend2 .*EADDRINUSE/);
  });
});
