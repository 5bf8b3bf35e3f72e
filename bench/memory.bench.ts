// `npm run bench:memory`: a frontend and a backend (compiled with BENCH_COMPILED=1) under rounds of
// real getwork + solution load for BENCH_MEMORY_SECONDS, then idle. Samples each role's RSS, and with
// BENCH_HEAP_DIR takes V8 heap snapshots (`--heapsnapshot-signal`, which collects garbage first) at
// idle, after the first round, at the end of the load and after the idle tail: compare them with
// `node -r @swc-node/register bench/support/heap-diff.ts a.heapsnapshot b.heapsnapshot`.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomAddress } from '../src/biblepay/address';
import { freePort, RoleProcess } from '../test/support/role-process';
import { craftShares, submitShares } from '../test/support/share-factory';
import { report, rssMb, startBenchPool, startRoleProcess } from './support/bench-env';

const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 180);
const ROUND = Number(process.env.BENCH_MEMORY_ROUND ?? 1_000);
const MINERS = Number(process.env.BENCH_MEMORY_MINERS ?? 200);
const HEAP_DIR = process.env.BENCH_HEAP_DIR;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Asks the role for a heap snapshot and waits until the file is complete. */
async function snapshot(role: RoleProcess, name: string): Promise<void> {
  if (!HEAP_DIR || role.child.pid === undefined) return;
  const dir = path.join(HEAP_DIR, name);
  const before = new Set(readdirSync(dir));
  role.child.kill('SIGUSR2');
  // Node writes the file and then logs nothing: wait until a new file stops growing.
  let last = -1;
  for (;;) {
    await sleep(1_000);
    const fresh = readdirSync(dir).filter((f) => !before.has(f));
    if (fresh.length === 0) continue;
    const { size } = await import('node:fs').then((fs) => fs.statSync(path.join(dir, fresh[0])));
    if (size > 0 && size === last) return;
    last = size;
  }
}

async function main(): Promise<void> {
  const { env, node, common } = await startBenchPool('memory');
  const heapOptions = (name: string): Record<string, string> => {
    if (!HEAP_DIR) return {};
    mkdirSync(path.join(HEAP_DIR, name), { recursive: true });
    const dir = path.join(HEAP_DIR, name);
    const extra = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
    return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${extra}`.trim() };
  };
  const frontend = await startRoleProcess(
    {
      ...common,
      ...heapOptions('frontend'),
      ROLE: 'frontend',
      DATABASE_URL: env.urls.frontendDb,
      AMQP_URL: env.urls.frontendMq,
    },
    await freePort(),
  );
  const backend = await startRoleProcess(
    {
      ...common,
      ...heapOptions('backend'),
      ROLE: 'backend',
      DATABASE_URL: env.urls.backendDb,
      AMQP_URL: env.urls.backendMq,
    },
    await freePort(),
  );
  const roles = { frontend, backend };
  const figures: Record<string, number> = {};
  /** Prints every sample; the JSON keeps idle, round1, loaded, after and the highest (`max`). */
  const sample = (label: string): void => {
    const now = Object.entries(roles).map(([name, role]) => [name, rssMb(role.child.pid)] as const);
    for (const [name, mb] of now) {
      if (!label.startsWith('round') || label === 'round1') figures[`rss_mb_${name}_${label}`] = mb;
      figures[`rss_mb_${name}_max`] = Math.max(figures[`rss_mb_${name}_max`] ?? 0, mb);
    }
    console.log(`${label}: ${now.map(([name, mb]) => `${name} ${mb} MB`).join(', ')}`);
  };
  try {
    await sleep(10_000);
    sample('idle');
    await snapshot(frontend, 'frontend');
    await snapshot(backend, 'backend');
    // The same miners every round, as in production (new ones would fill the miner cache).
    const addresses = Array.from({ length: MINERS }, () => randomAddress('main'));
    const until = Date.now() + SECONDS * 1000;
    let round = 0;
    let ok = 0;
    while (Date.now() < until) {
      const shares = await craftShares({
        pool: frontend.url,
        node: node.url,
        count: ROUND,
        addresses,
      });
      ok += await submitShares(frontend.url, shares);
      round++;
      sample(`round${round}`);
      if (round === 1) {
        await snapshot(frontend, 'frontend');
        await snapshot(backend, 'backend');
      }
    }
    figures.rounds = round;
    figures.solutions_ok = ok;
    sample('loaded');
    await snapshot(frontend, 'frontend');
    await snapshot(backend, 'backend');
    await sleep(30_000);
    sample('after');
    await snapshot(frontend, 'frontend');
    await snapshot(backend, 'backend');
    sample('after_snapshots');
    report('memory', figures);
  } finally {
    await backend.stop();
    await frontend.stop();
    await node.close();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
