import path from 'node:path';
import { summarise, SoakSummary, writeReport } from './report';
import { defaultSoakOptions, SoakOptions, SoakRun, startSoak, teardown } from './runner';
import { Check, judge, processCheck } from './verdict';

export interface SoakRequest extends Partial<Omit<SoakOptions, 'seed' | 'outDir'>> {
  seed: number;
  outDir: string;
  root: string;
}

/**
 * The whole soak: run, judge, stop everything (process groups, children included), check that
 * nothing is left, write the report. Whatever fails on the way, the teardown runs.
 */
export async function runSoakToReport(
  request: SoakRequest,
): Promise<{ summary: SoakSummary; report: string }> {
  const { root, ...rest } = request;
  const options: SoakOptions = { ...defaultSoakOptions(root), ...rest };
  let run: SoakRun | null = null;
  let checks: Check[] = [];
  let failure: Error | null = null;
  const interrupted = (): void => {
    failure = new Error('interrupted');
  };
  process.once('SIGINT', interrupted);
  try {
    run = await startSoak(options, (r) => (run = r));
    checks = await judge(run);
  } catch (error) {
    failure = error as Error;
    options.log(`soak failed: ${failure.stack ?? failure.message}`);
  } finally {
    const left = await teardown(run, options);
    checks.push(processCheck(left));
    process.removeListener('SIGINT', interrupted);
  }
  if (failure || !run) {
    checks.unshift({
      name: 'the soak ran to its end',
      pass: false,
      binding: true,
      detail: failure?.message ?? 'no run',
    });
  }
  const summary = run
    ? summarise(run, checks)
    : ({ seed: options.seed, passed: false, checks } as unknown as SoakSummary);
  summary.passed = checks.every((c) => c.pass || !c.binding);
  const report = run ? writeReport(options.outDir, summary) : path.join(options.outDir, 'none');
  return { summary, report };
}
