// `npm run bench:memory`: a frontend and a backend (compiled with BENCH_COMPILED=1) under rounds of
// real getwork + solution load for BENCH_MEMORY_SECONDS, then idle. Samples each role's RSS, and with
// BENCH_HEAP_DIR takes V8 heap snapshots (`--heapsnapshot-signal`, which collects garbage first) at
// idle, after the first round, at the end of the load and after the idle tail: compare them with
// `node -r @swc-node/register bench/support/heap-diff.ts a.heapsnapshot b.heapsnapshot`.
// BENCH_MEMORY_BLOCK_SECONDS=N (default 0: no chain): the simulated chain grows every N s and one
// share in BENCH_MEMORY_BLOCK_ODDS (default 8192) is a pool block, and the backend matures, shares
// out and pays them (the soak's job intervals), so its block, shareout and payout paths run too.
// BENCH_HEAP_EVERY=S: with BENCH_HEAP_DIR, a further snapshot of each role every S s of load.
// BENCH_MEMORY_FRONTENDS='[{"name":"a"},{"name":"b","env":{"NODE_OPTIONS":"…"},"appDir":"/x"}]':
// several frontends side by side (their own environment, or another checkout's build), each round
// sent to each of them in turn (the first one rotating), one backend behind them all; the JSON then
// carries every figure per frontend name and each one's solutions per second while it was loaded.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { randomAddress } from '../src/biblepay/address';
import { rpcCall } from '../sim/node/rpc-client';
import { CLUSTER_BACKEND_JOBS } from '../scripts/cluster/local-cluster';
import { TEST_HASH_TARGET } from '../test/support/pool-fixture';
import { freePort, type RoleProcess } from '../test/support/role-process';
import { craftShares, submitShares } from '../test/support/share-factory';
import { report, rssMb, startBenchPool, startRoleProcess } from './support/bench-env';

const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 180);
const ROUND = Number(process.env.BENCH_MEMORY_ROUND ?? 1_000);
const MINERS = Number(process.env.BENCH_MEMORY_MINERS ?? 200);
const HEAP_DIR = process.env.BENCH_HEAP_DIR;
const ROLE_NODE_OPTIONS = process.env.BENCH_ROLE_NODE_OPTIONS ?? '';
const BLOCK_SECONDS = Number(process.env.BENCH_MEMORY_BLOCK_SECONDS ?? 0);
const BLOCK_ODDS = BigInt(process.env.BENCH_MEMORY_BLOCK_ODDS ?? 8192);
const HEAP_EVERY = Number(process.env.BENCH_HEAP_EVERY ?? 0);
/** Idle seconds after the load: RSS sampled at 30 s and at the end. */
const IDLE_SECONDS = Number(process.env.BENCH_MEMORY_IDLE_SECONDS ?? 90);

interface FrontendVariant {
  name: string;
  /** Environment of this frontend only (NODE_OPTIONS is appended to the roles' own). */
  env?: Record<string, string>;
  /** A checkout whose build this frontend runs (BENCH_COMPILED=1), instead of this one's. */
  appDir?: string;
}
const FRONTENDS = JSON.parse(
  process.env.BENCH_MEMORY_FRONTENDS ?? '[{"name":"frontend"}]',
) as FrontendVariant[];

/** The pool's share target (TEST_HASH_TARGET) divided by the odds: one share in `odds` is a block. */
function networkTarget(odds: bigint): string {
  const pool = BigInt(`0x${TEST_HASH_TARGET}`);
  return (pool / odds).toString(16).padStart(64, '0');
}

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
  const { env, node, common } = await startBenchPool(
    'memory',
    BLOCK_SECONDS > 0
      ? { blockSeconds: BLOCK_SECONDS, networkTarget: networkTarget(BLOCK_ODDS), maturity: 5 }
      : {},
  );
  // With a chain: mature, share out and pay as often as the soak does (scripts/cluster).
  const chainJobs: Record<string, string> =
    BLOCK_SECONDS > 0
      ? {
          ...CLUSTER_BACKEND_JOBS,
          POOL_FEE_PERCENT: '1.5',
          PAYOUT_SCHEME: 'prop',
        }
      : {};
  // BENCH_ROLE_NODE_OPTIONS: V8 flags for the role processes only (not the load generator), to
  // compare e.g. `--max-semi-space-size=2` with the defaults at the same load.
  const heapOptions = (name: string): Record<string, string> => {
    const base = `${process.env.NODE_OPTIONS ?? ''} ${ROLE_NODE_OPTIONS}`.trim();
    if (!HEAP_DIR) return base ? { NODE_OPTIONS: base } : {};
    mkdirSync(path.join(HEAP_DIR, name), { recursive: true });
    const dir = path.join(HEAP_DIR, name);
    const extra = `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${dir}`;
    return { NODE_OPTIONS: `${base} ${extra}`.trim() };
  };
  const frontends: Record<string, RoleProcess> = {};
  for (const variant of FRONTENDS) {
    const base = heapOptions(variant.name);
    const nodeOptions = [base.NODE_OPTIONS, variant.env?.NODE_OPTIONS].filter(Boolean).join(' ');
    frontends[variant.name] = await startRoleProcess(
      {
        ...common,
        ...variant.env,
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        ROLE: 'frontend',
        DATABASE_URL: env.urls.frontendDb,
        AMQP_URL: env.urls.frontendMq,
      },
      await freePort(),
      variant.appDir,
    );
  }
  const backend = await startRoleProcess(
    {
      ...common,
      ...heapOptions('backend'),
      ...chainJobs,
      ROLE: 'backend',
      DATABASE_URL: env.urls.backendDb,
      AMQP_URL: env.urls.backendMq,
    },
    await freePort(),
  );
  const roles: Record<string, RoleProcess> = { ...frontends, backend };
  const snapshotAll = async (): Promise<void> => {
    for (const [name, role] of Object.entries(roles)) await snapshot(role, name);
  };
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
    await snapshotAll();
    // The same miners every round, as in production (new ones would fill the miner cache).
    const addresses = Array.from({ length: MINERS }, () => randomAddress('main'));
    const until = Date.now() + SECONDS * 1000;
    let round = 0;
    let ok = 0;
    let nextHeap = Date.now() + HEAP_EVERY * 1000;
    const names = Object.keys(frontends);
    const busyMs: Record<string, number> = {};
    const okOf: Record<string, number> = {};
    while (Date.now() < until) {
      const shares: Awaited<ReturnType<typeof craftShares>> = [];
      for (let i = 0; i < names.length; i++) {
        const name = names[(round + i) % names.length];
        const started = Date.now();
        const sent = await craftShares({
          pool: frontends[name].url,
          node: node.url,
          count: ROUND,
          addresses,
        });
        const accepted = await submitShares(frontends[name].url, sent);
        busyMs[name] = (busyMs[name] ?? 0) + Date.now() - started;
        okOf[name] = (okOf[name] ?? 0) + accepted;
        ok += accepted;
        shares.push(...sent);
      }
      // As a wallet does: a share that is also a block goes to the node (the first one wins).
      for (const share of shares.filter((s) => s.blockHex !== undefined)) {
        const refused = await rpcCall<string | null>(node.url, 'submitblock', [share.blockHex]);
        if (refused === null) figures.blocks_submitted = (figures.blocks_submitted ?? 0) + 1;
      }
      round++;
      sample(`round${round}`);
      if (round === 1 || (HEAP_EVERY > 0 && Date.now() >= nextHeap)) {
        await snapshotAll();
        nextHeap = Date.now() + HEAP_EVERY * 1000;
      }
    }
    figures.rounds = round;
    figures.solutions_ok = ok;
    if (names.length > 1)
      for (const name of names) {
        figures[`solutions_ok_${name}`] = okOf[name];
        figures[`solutions_per_sec_${name}`] = Math.round((okOf[name] / busyMs[name]) * 1000);
      }
    if (BLOCK_SECONDS > 0) Object.assign(figures, await chainFigures(env.urls.adminDb));
    sample('loaded');
    await snapshotAll();
    await sleep(30_000);
    sample('after');
    // V8's memory reducer starts 30 s after the load (--gc-memory-reducer-start-delay-ms): the
    // second idle figure is what an idle role settles at.
    if (IDLE_SECONDS > 30) {
      await sleep((IDLE_SECONDS - 30) * 1000);
      sample(`after${IDLE_SECONDS}`);
    }
    await snapshotAll();
    sample('after_snapshots');
    report('memory', figures);
  } finally {
    await backend.stop();
    for (const frontend of Object.values(frontends)) await frontend.stop();
    await node.close();
    await env.teardown();
  }
}

/** What the backend did with the chain: pool blocks by status, shared-out blocks, payments. */
async function chainFigures(url: string): Promise<Record<string, number>> {
  const db = await mysql.createConnection(url);
  try {
    const count = async (sql: string): Promise<number> => {
      const [rows] = await db.query<mysql.RowDataPacket[]>(sql);
      return Number(rows[0].n);
    };
    return {
      chain_blocks: await count('SELECT COUNT(*) n FROM block'),
      pool_blocks: await count('SELECT COUNT(*) n FROM block WHERE is_pool_block'),
      ledger_entries: await count('SELECT COUNT(*) n FROM ledger_entry'),
      payments: await count('SELECT COUNT(*) n FROM payment'),
    };
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
