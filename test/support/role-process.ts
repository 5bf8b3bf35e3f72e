import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

/**
 * The tree whose build runs: this one, or with BENCH_APP_DIR another checkout (bench:compare runs
 * an older ref's build from a temporary worktree against this tree's load generator).
 */
const ROOT = process.env.BENCH_APP_DIR ?? path.join(__dirname, '..', '..');

/** Every role process still running: killed when the test or bench process exits, whatever happened. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface RoleProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
  /** Resolves when the process has exited (with its exit code or signal). */
  exited: Promise<number | string>;
}

/**
 * What a role process runs: the TypeScript sources through @swc-node/register (tests, and benches by
 * default), or with BENCH_COMPILED=1 the `npm run build` output that `npm start` runs in production,
 * so a bench's RSS is the deployed figure rather than one with a compiler loaded.
 */
function roleEntry(root: string): string[] {
  if (process.env.BENCH_COMPILED !== '1') return ['-r', '@swc-node/register', 'src/main.ts'];
  const main = path.join(root, 'dist', 'src', 'main.js');
  if (!existsSync(main))
    throw new Error(`BENCH_COMPILED=1 needs ${main}: run \`npm run build\` first`);
  return [main];
}

/**
 * Starts `src/main.ts` as its own OS process (its own DB and broker user from `env`) and waits
 * until /health answers 200. `stop()` sends SIGTERM and waits; `child.kill('SIGKILL')` is a crash.
 */
export async function startRoleProcess(
  env: Record<string, string>,
  port: number,
  /** The checkout to run (bench:memory runs frontends of several builds side by side). */
  root: string = ROOT,
): Promise<RoleProcess> {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...roleEntry(root)], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
      // Load generators and tests send everything from 127.0.0.1.
      RATE_LIMIT_ACTION_PER_MINUTE: env.RATE_LIMIT_ACTION_PER_MINUTE ?? '0',
      RATE_LIMIT_WEB_PER_MINUTE: env.RATE_LIMIT_WEB_PER_MINUTE ?? '0',
      MAX_CONNECTIONS_PER_SOURCE: env.MAX_CONNECTIONS_PER_SOURCE ?? '0',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  running.add(child);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const secure = env.TLS_CERT_FILE !== undefined;
  const url = `${secure ? 'https' : 'http'}://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`role process exited with ${child.exitCode}`);
    try {
      const status = secure
        ? await selfSignedStatus(`${url}/health`)
        : (await fetch(`${url}/health`)).status;
      if (status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      child.kill('SIGKILL'); // never leave it running (it would consume other tests' messages)
      throw new Error('role process did not become healthy within 60 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Status of a GET over HTTPS, accepting the self-signed certificates tests and benchmarks make. */
function selfSignedStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { rejectUnauthorized: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
