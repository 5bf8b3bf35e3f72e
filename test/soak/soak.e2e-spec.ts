import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SOAK_TEST_PORT_BASE } from '../../scripts/soak/runner';
import { runSoakToReport } from '../../scripts/soak/soak';
import { drawSchedule, FAULT_KINDS } from '../../scripts/soak/schedule';
import { runId } from '../support/test-env';

const ROOT = path.join(__dirname, '..', '..');
const SEED = 20261206;
const shape = { seconds: 75, frontends: 2, backends: 2, brokerNodes: 3, maturity: 5 };

describe('the soak (issue 26): a short seeded run through overlapping faults', () => {
  it('draws the same schedule from the same seed, every kind of fault in it', () => {
    const schedule = drawSchedule(SEED, shape);
    expect(drawSchedule(SEED, shape)).toEqual(schedule);
    expect(drawSchedule(SEED + 1, shape)).not.toEqual(schedule);
    expect(new Set(schedule.map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
    // Faults overlap: some fault starts while another is still going on.
    const overlapping = schedule.some((f, i) =>
      schedule.slice(0, i).some((g) => g.seconds > 0 && f.at < g.at + g.seconds),
    );
    expect(overlapping).toBe(true);
  });

  it('records every ok share once, the money adds up, no dead letter, no process left', async () => {
    const outDir = path.join(ROOT, 'artifacts', 'soak', `test-${runId()}`);
    const stateDir = path.join(ROOT, '.soak-test');
    // The run's log goes next to its report; both stay when the soak fails.
    mkdirSync(outDir, { recursive: true });
    const logFile = path.join(outDir, 'soak.log');
    const { summary, report } = await runSoakToReport({
      root: ROOT,
      seed: SEED,
      minutes: shape.seconds / 60,
      wallets: 8,
      shareSeconds: 3,
      sampleSeconds: 2,
      // Pool blocks every ~8 s: a 75 s run shares several out (and pays them) for the checks.
      poolBlockSeconds: 8,
      // A name of this run's own: its database, vhost and broker node names cannot collide.
      name: `soak${runId()}`,
      portBase: SOAK_TEST_PORT_BASE,
      stateDir,
      outDir,
      log: (line) => appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`),
    });
    const failed = summary.checks.filter((c) => c.binding && !c.pass);
    if (failed.length > 0) console.log(`soak failed: its log and report are in ${outDir}`);
    expect(failed.map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
    expect(summary.passed).toBe(true);
    // Every kind of fault was injected and ended (none failed to inject).
    expect(summary.events.filter((e) => e.phase === 'failed')).toEqual([]);
    expect(
      new Set(summary.events.filter((e) => e.phase === 'end').map((e) => e.fault.split(' ')[0])),
    ).toEqual(new Set(FAULT_KINDS));
    expect(summary.wallets_log.ok).toBeGreaterThan(0);
    expect(readFileSync(path.join(outDir, 'timeline.svg'), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(report)).toBe(true);
    expect(existsSync(stateDir)).toBe(false);
    rmSync(outDir, { recursive: true, force: true });
  }, 600_000);
});
