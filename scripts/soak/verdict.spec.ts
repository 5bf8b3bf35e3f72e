import type { SoakRun, Tracked } from './runner';
import { memoryCheck } from './verdict';

/**
 * A 30-minute run sampled every minute: each process's RSS at minute five is 100 MiB, and in the
 * last five minutes `last[name]`.
 */
function run(last: Record<string, number>, roles: Record<string, string>): SoakRun {
  const startedAt = 1_000_000;
  const tracked: Tracked[] = Object.entries(roles).map(([name, role]) => ({
    name,
    role,
    pids: [{ pid: 1, startedAt }],
    group: true,
  }));
  const samples = Array.from({ length: 31 }, (_, minute) => ({
    t: minute * 60,
    okPerSecond: 10,
    errors: {},
    queue: 0,
    deadLetters: 0,
    rssMb: Object.fromEntries(
      Object.keys(roles).map((name) => [name, minute >= 25 ? last[name] : 100]),
    ),
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
    expect(check.detail).toContain('sim-node 100→146 MiB (46 %)');
    expect(check.detail).toContain('wallets 100→130 MiB (30 %)');
    expect(check.detail).toMatch(/information only.*sim-node/);
  });

  it('fails when a frontend or a backend creeps past 10 %', () => {
    const backend = memoryCheck(
      run({ frontend1: 100, backend1: 111, 'sim-node': 100, wallets: 100 }, roles),
    );
    expect(backend.pass).toBe(false);
    expect(backend.detail).toContain('backend1 100→111 MiB (11 %)');
    const frontend = memoryCheck(
      run({ frontend1: 120, backend1: 100, 'sim-node': 100, wallets: 100 }, roles),
    );
    expect(frontend.pass).toBe(false);
  });

  it('fails when no frontend or no backend could be judged', () => {
    const check = memoryCheck(
      run({ backend1: 100, 'sim-node': 100 }, { backend1: 'backend', 'sim-node': 'sim-node' }),
    );
    expect(check.pass).toBe(false);
  });
});
