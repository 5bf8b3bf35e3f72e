import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

export interface CliResult {
  /** The process's exit code: 0, or the code it failed with. */
  code: number;
  /** Its stdout; when it failed, stdout then stderr. */
  out: string;
}

/**
 * Runs the pool's CLI (`src/cli/main.ts args…`) as a backend with `env`, the broker given 2 s;
 * never throws on a failing command (the test reads `code` and `out`).
 */
export async function runCli(env: Record<string, string>, args: string[]): Promise<CliResult> {
  try {
    const { stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'src/cli/main.ts', ...args],
      { cwd: ROOT, env: { ...process.env, ...env, BROKER_CONNECT_WAIT_MS: '2000' } },
    );
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}
