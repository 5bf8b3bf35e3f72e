import { ChildProcess, spawn } from 'node:child_process';
import https from 'node:https';
import path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');

export interface WatchedProcess {
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves once `pattern` appears in the output (rejects after `ms`). */
  waitForOutput(pattern: RegExp, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs a Node entry point of the repository as its own OS process — `src/main.ts` through the
 * TypeScript loader, or a compiled file as the image runs it — with `env` on top of this
 * process's environment, keeping its output for assertions.
 */
export function runEntry(
  entry: string,
  env: Record<string, string>,
  options: { typescript?: boolean } = {},
): WatchedProcess {
  const loader = options.typescript === false ? [] : ['-r', '@swc-node/register'];
  const child = spawn(process.execPath, [...loader, entry], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    listeners.forEach((l) => l());
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    output: () => text,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitForOutput: (pattern, ms = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(text)) return;
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${String(pattern)} in the output within ${ms} ms:\n${text}`));
        }, ms);
        listeners.add(check);
        check();
      }),
  };
}

/** GET over http or https (self-signed certificates accepted); resolves with the status code. */
export function probe(url: string): Promise<number> {
  if (url.startsWith('http:'))
    return fetch(url).then(
      (r) => r.status,
      () => 0,
    );
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
  });
}

/** Polls `${base}/health` until it answers 200; fails early if the process exits. */
export async function waitHealthy(proc: WatchedProcess, base: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while ((await probe(`${base}/health`)) !== 200) {
    if (proc.child.exitCode !== null)
      throw new Error(`process exited with ${proc.child.exitCode}:\n${proc.output()}`);
    if (Date.now() > until) throw new Error(`not healthy within ${ms} ms:\n${proc.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
