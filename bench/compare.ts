// `npm run bench:compare -- <git ref> [--rounds N]`: the wallet benches (getwork, intake) against
// this tree's build and <ref>'s build, alternately, several rounds in one run, and each figure with
// its ratio — the way to see a regression on a noisy shared machine, where two runs minutes apart
// differ more than two builds do. Both sides run their compiled build (`npm run build`, the
// deployed code) under this tree's load generator; <ref> is checked out in a temporary git worktree
// that is removed afterwards. package.json runs this under `flock /tmp/purepool-tests.lock`.
// `--current-env NAME=VALUE` (repeatable) gives this tree's runs an environment of their own, e.g.
// `--current-env BENCH_FRONTEND_NODE_OPTIONS=--max-semi-space-size=1` for flags on its frontends.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const BENCHES = ['getwork', 'intake'] as const;
type Bench = (typeof BENCHES)[number];

/** Per bench run: small enough that 3 rounds × 2 builds × 2 benches take a few minutes. */
const RUN_ENV: Record<string, string> = {
  BENCH_CONNECT_REQUESTS: process.env.BENCH_CONNECT_REQUESTS ?? '6000',
  BENCH_REQUESTS: process.env.BENCH_REQUESTS ?? '15000',
  BENCH_TLS_REQUESTS: process.env.BENCH_TLS_REQUESTS ?? '1500',
  // The HTTPS reader's Content-Length rule ends every answer of every build (one before the
  // terminators included); the classic reader would wait for the close on those.
  BENCH_NEW_CONNECTION_READER: process.env.BENCH_NEW_CONNECTION_READER ?? 'https',
};

/** The figures compared, per mode; `higher` says which way is better. */
const FIGURES: { key: string; higher: boolean }[] = [
  { key: 'requests_per_sec', higher: true },
  { key: 'p50_ms', higher: false },
  { key: 'p99_ms', higher: false },
  { key: 'rows_per_insert', higher: true },
  { key: 'commits_per_sec', higher: false },
  { key: 'solutions_per_publish', higher: true },
  { key: 'publishes_per_sec', higher: false },
];

interface Side {
  name: string;
  commit: string;
  root: string;
  /** `--current-env NAME=VALUE`: given to this tree's runs only (e.g. BENCH_FRONTEND_NODE_OPTIONS). */
  env?: Record<string, string>;
}

type Samples = Map<string, { current: number[]; other: number[]; ratios: number[] }>;

let worktree: string | null = null;
let running: ChildProcess | null = null;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
}

function sh(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Stops the bench run in progress: SIGTERM to the bench alone (it drops its database and vhost and
 * exits, killing its role processes), then SIGKILL to its whole process group whatever is left.
 */
function killRunning(): void {
  const pid = running?.pid;
  if (pid !== undefined && running!.exitCode === null && running!.signalCode === null) {
    const signal = (target: number, name: NodeJS.Signals): void => {
      try {
        process.kill(target, name);
      } catch {
        // already gone
      }
    };
    signal(pid, 'SIGTERM');
    const until = Date.now() + 10_000;
    while (Date.now() < until && alive(pid)) execFileSync('sleep', ['0.2']);
    signal(-pid, 'SIGKILL');
  }
  running = null;
}

/** Running (a zombie is not: it is reaped only when this loop's event loop runs again). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function cleanup(): void {
  killRunning();
  if (worktree) {
    try {
      git('worktree', 'remove', '--force', worktree);
    } catch {
      rmSync(worktree, { recursive: true, force: true });
      git('worktree', 'prune');
    }
    worktree = null;
  }
}

/**
 * The other ref's dependencies: a symlink to this tree's node_modules when both package-locks are
 * identical, else `npm ci` once into a cache keyed by the lock's hash (kept between runs, outside
 * the worktree) and a symlink to that.
 */
function provideModules(dir: string): void {
  const lock = readFileSync(path.join(dir, 'package-lock.json'));
  if (lock.equals(readFileSync(path.join(ROOT, 'package-lock.json')))) {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return;
  }
  const hash = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const cache = path.join(os.tmpdir(), 'purepool-bench-compare-modules', hash);
  if (!existsSync(path.join(cache, 'node_modules', '.package-lock.json'))) {
    console.log(`package-lock differs: npm ci for it into ${cache} (once)`);
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    for (const file of ['package.json', 'package-lock.json'])
      execFileSync('cp', [path.join(dir, file), cache]);
    sh(
      'npm',
      ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'],
      cache,
    );
  }
  symlinkSync(path.join(cache, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

/** One bench against one build: the JSON line it ends with. */
function runBench(bench: Bench, side: Side): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', `bench/${bench}.bench.ts`], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...RUN_ENV,
        ...side.env,
        BENCH_COMPILED: '1',
        BENCH_APP_DIR: side.root,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, killed whole on cleanup
    });
    running = child;
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.once('exit', (code) => {
      running = null;
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench:${bench} on ${side.name} exited ${code}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`bench:${bench} on ${side.name}: no JSON line`));
      }
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function record(
  samples: Samples,
  bench: Bench,
  current: Record<string, unknown>,
  other: Record<string, unknown>,
): void {
  const modesOf = (r: Record<string, unknown>): Record<string, Record<string, unknown>> =>
    (r.modes ?? {}) as Record<string, Record<string, unknown>>;
  for (const [mode, figures] of Object.entries(modesOf(current))) {
    const theirs = modesOf(other)[mode] ?? {};
    for (const { key } of FIGURES) {
      const a = figures[key];
      const b = theirs[key];
      if (typeof a !== 'number') continue;
      const id = `${bench}.${mode}.${key}`;
      const entry = samples.get(id) ?? { current: [], other: [], ratios: [] };
      entry.current.push(a);
      if (typeof b === 'number') {
        entry.other.push(b);
        if (b !== 0) entry.ratios.push(a / b);
      }
      samples.set(id, entry);
    }
  }
}

async function main(): Promise<void> {
  let ref: string | undefined;
  let rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const currentEnv: Record<string, string> = {};
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--rounds') rounds = Number(args[++i]);
    else if (args[i] === '--current-env') {
      const [name, ...value] = (args[++i] ?? '').split('=');
      currentEnv[name] = value.join('=');
    } else ref ??= args[i];
  }
  if (!ref || !Number.isInteger(rounds) || rounds < 1) {
    console.error(
      'usage: npm run bench:compare -- <git ref> [--rounds N] [--current-env NAME=VALUE …]',
    );
    process.exit(2);
  }
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const head = git('rev-parse', '--short', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  const withEnv = Object.entries(currentEnv)
    .map(([name, value]) => ` ${name}=${value}`)
    .join('');
  const current: Side = {
    name: `this tree (${head}${dirty ? '+changes' : ''}${withEnv})`,
    commit: head,
    root: ROOT,
    env: currentEnv,
  };

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(130);
    });
  }
  process.once('exit', cleanup);

  worktree = mkdtempSync(path.join(os.tmpdir(), 'purepool-compare-'));
  rmSync(worktree, { recursive: true });
  git('worktree', 'add', '--detach', worktree, commit);
  const other: Side = { name: `${ref} (${commit.slice(0, 7)})`, commit, root: worktree };
  provideModules(worktree);
  console.log(`building ${current.name} and ${other.name}`);
  sh(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    ROOT,
  );
  sh(
    process.execPath,
    [path.join(worktree, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    worktree,
  );

  const samples: Samples = new Map();
  const load: number[] = [os.loadavg()[0]];
  const started = Date.now();
  for (let round = 1; round <= rounds; round++) {
    for (const bench of BENCHES) {
      // Alternate which build goes first, so a trend in the machine's load favours neither.
      const order =
        (round + BENCHES.indexOf(bench)) % 2 === 1 ? [current, other] : [other, current];
      const results = new Map<Side, Record<string, unknown>>();
      for (const side of order) {
        console.log(`round ${round}/${rounds}: bench:${bench} on ${side.name}`);
        results.set(side, await runBench(bench, side));
        load.push(os.loadavg()[0]);
      }
      record(samples, bench, results.get(current)!, results.get(other)!);
    }
  }

  const figures = [...samples.entries()].map(([id, s]) => {
    const key = id.split('.').pop()!;
    return {
      figure: id,
      higher_is_better: FIGURES.find((f) => f.key === key)!.higher,
      current: median(s.current),
      other: s.other.length ? median(s.other) : null,
      ratio: s.ratios.length ? Math.round(median(s.ratios) * 100) / 100 : null,
      ratios: s.ratios.map((r) => Math.round(r * 100) / 100),
    };
  });
  const width = Math.max(...figures.map((f) => f.figure.length));
  console.log(
    `\nbench:compare — ${rounds} rounds, medians; ratio = this tree ÷ ${ref} (median of the rounds' ratios)`,
  );
  console.log(
    `  ${'figure'.padEnd(width)}  ${'this tree'.padStart(10)}  ${ref.padStart(10)}  ratio`,
  );
  for (const f of figures) {
    const better = f.ratio === null ? '' : f.ratio >= 1 === f.higher_is_better ? '' : '  (worse)';
    console.log(
      `  ${f.figure.padEnd(width)}  ${String(f.current).padStart(10)}  ${String(f.other ?? '-').padStart(10)}  ${f.ratio ?? '-'}${better}`,
    );
  }
  const loadavg = {
    min: Math.min(...load),
    median: median(load),
    max: Math.max(...load),
    cpus: os.cpus().length,
  };
  console.log(
    `  load average (1 min) during the run: min ${loadavg.min.toFixed(2)}, median ${loadavg.median.toFixed(2)}, max ${loadavg.max.toFixed(2)} on ${loadavg.cpus} CPUs`,
  );
  console.log(
    JSON.stringify({
      bench: 'compare',
      current: current.name,
      other: other.name,
      rounds,
      duration_s: Math.round((Date.now() - started) / 1000),
      run_env: RUN_ENV,
      loadavg,
      figures,
    }),
  );
}

main()
  .then(() => {
    cleanup();
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error);
    cleanup();
    process.exit(1);
  });
