import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import amqplib from 'amqplib';
import mysql from 'mysql2/promise';
import { coinsToBase } from '../../src/biblepay/amount';
import { DEAD_LETTER_QUEUE } from '../../src/messaging/broker-topology';
import { postJson } from '../../sim/node/rpc-client';
import { SOAK_FEE_PPM, SoakRun } from './runner';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

export interface Check {
  name: string;
  pass: boolean;
  /** False: reported, but the soak's verdict does not depend on it (memory on a short run). */
  binding: boolean;
  detail: string;
  data?: unknown;
}

/**
 * Largest remainder, written again here on purpose (not src/modules/block/split.ts): the verdict
 * recomputes each shareout from the raw solution rows with code of its own. Ties: smaller miner id.
 */
export function independentSplit(
  amount: bigint,
  weights: Map<number, bigint>,
): Map<number, bigint> {
  const total = [...weights.values()].reduce((a, b) => a + b, 0n);
  const parts = new Map<number, bigint>();
  if (total === 0n) return parts;
  const order = [...weights.entries()].map(([miner, w]) => ({
    miner,
    floor: (amount * w) / total,
    rest: (amount * w) % total,
  }));
  let left = amount - order.reduce((a, o) => a + o.floor, 0n);
  order.sort((a, b) => (a.rest === b.rest ? a.miner - b.miner : a.rest > b.rest ? -1 : 1));
  for (const o of order) {
    parts.set(o.miner, o.floor + (left > 0n ? 1n : 0n));
    if (left > 0n) left--;
  }
  return parts;
}

type Rows = mysql.RowDataPacket[];

/** A DECIMAL/BIGINT column read as text (bigNumberStrings) to an exact bigint. */
const big = (value: unknown): bigint => BigInt(String(value));

/** The checks that read the pool's database, broker and wallet (before teardown). */
export async function judge(soak: SoakRun): Promise<Check[]> {
  const db = await mysql.createConnection({
    uri: `${soak.db.adminUrl}/purepool_${soak.options.name}`,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    const recorded = await recordedRows(db);
    return [
      faultsCheck(soak),
      sharesCheck(soak, recorded),
      await auditCheck(soak),
      await moneyCheck(soak, db),
      await deadLetterCheck(soak, recorded),
      memoryCheck(soak),
    ];
  } finally {
    await db.end();
  }
}

/** Every fault of the schedule was injected and ended: a role it killed came back healthy. */
export function faultsCheck(soak: Pick<SoakRun, 'events'>): Check {
  const failed = soak.events.filter((e) => e.phase === 'failed');
  const ended = soak.events.filter((e) => e.phase === 'end').length;
  return {
    name: 'every fault injected and recovered from',
    pass: failed.length === 0,
    binding: true,
    detail:
      failed.length === 0
        ? `${ended} faults ended`
        : failed.map((e) => `t+${e.t} s ${e.fault}: ${e.detail ?? 'failed'}`).join('; '),
  };
}

interface Recorded {
  rows: number;
  solutionRows: number;
  duplicateRejections: number;
}

async function recordedRows(db: mysql.Connection): Promise<Map<string, Recorded>> {
  const [rows] = await db.query<Rows>(
    `SELECT bible_hash, COUNT(*) n, SUM(src = 's') s, SUM(reason = 'duplicate_bible_hash') d FROM (
       SELECT bible_hash, 's' src, NULL reason FROM solution UNION ALL
       SELECT bible_hash, 'r' src, reason FROM rejected_solution WHERE bible_hash IS NOT NULL) x
      GROUP BY bible_hash`,
  );
  return new Map(
    rows.map((r) => [
      String(r.bible_hash),
      { rows: Number(r.n), solutionRows: Number(r.s), duplicateRejections: Number(r.d ?? 0) },
    ]),
  );
}

/** Point 2a: every share a wallet was answered `ok` for is in the database exactly once. */
function sharesCheck(soak: SoakRun, recorded: Map<string, Recorded>): Check {
  const missing: string[] = [];
  const twice: string[] = [];
  for (const [hash, ok] of soak.tally.honestOk) {
    const r = recorded.get(hash);
    if (!r || r.rows < ok) missing.push(hash);
    else if (ok > 1 || r.rows > 1) twice.push(hash);
  }
  // The misbehaving wallets send some solutions twice on purpose: each ok must have its row, and
  // a bible hash is never accepted twice.
  for (const [hash, ok] of soak.tally.junkOk) {
    const r = recorded.get(hash);
    if (!r || r.rows < ok) missing.push(hash);
    else if (r.solutionRows > 1) twice.push(hash);
  }
  const honestOk = [...soak.tally.honestOk.values()].reduce((a, b) => a + b, 0);
  const junkOk = [...soak.tally.junkOk.values()].reduce((a, b) => a + b, 0);
  const withoutOk = [...recorded.keys()].filter(
    (h) => !soak.tally.honestOk.has(h) && !soak.tally.junkOk.has(h),
  ).length;
  const pass = missing.length === 0 && twice.length === 0 && honestOk > 0;
  return {
    name: 'every ok share recorded exactly once',
    pass,
    binding: true,
    detail:
      `${honestOk} honest + ${junkOk} junk ok answers in the wallets' logs; ${missing.length} missing, ` +
      `${twice.length} recorded twice; ${withoutOk} recorded shares no wallet heard ok for (answer lost)`,
    data: { honestOk, junkOk, missing: missing.slice(0, 20), twice: twice.slice(0, 20), withoutOk },
  };
}

/** Point 2b: the pool's own audit, which proves the ledger against the wallet. */
async function auditCheck(soak: SoakRun): Promise<Check> {
  const backend = soak.state.processes.find((p) => p.name === 'backend1');
  const env = { ...process.env, ...backend?.env, RUN_BACKGROUND_WORK: 'false', LOG_LEVEL: 'warn' };
  let stdout: string;
  let failed = false;
  try {
    ({ stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'src/cli/main.ts', 'audit'],
      { cwd: ROOT, env, timeout: 180_000 },
    ));
  } catch (error) {
    failed = true;
    stdout = String((error as { stdout?: string }).stdout ?? (error as Error).message);
  }
  // A payment whose send timed out, lost its reply or failed after the wallet took it is held
  // (PAYOUT_RECONCILE_GRACE_SECONDS, then until found or released by an operator: never paid
  // twice). The audit names it; it is explained when the wallet shows no send of that batch, so
  // the miners' money is held, not gone.
  const problems = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(
      (l) => l !== '' && !/^main: /.test(l) && !/^wallet received/.test(l) && !/^note:/.test(l),
    );
  const held = problems
    .map(
      (l) =>
        /^payment ([0-9a-f-]{36}) \(intent\) has no txid and is older than the reconcile window$/.exec(
          l,
        )?.[1],
    )
    .filter((b): b is string => b !== undefined);
  const comments = new Set(
    (await walletRows(soak.state.nodeRpcUrl)).map((r) => r.comment ?? '').filter((c) => c !== ''),
  );
  const heldWithoutSend = held.filter((b) => ![...comments].some((c) => c.includes(b)));
  const onlyHeld = problems.length > 0 && heldWithoutSend.length === problems.length;
  const ok = /main: OK/.test(stdout);
  return {
    name: 'audit exact against the wallet',
    pass: ok || onlyHeld,
    binding: true,
    detail:
      (onlyHeld
        ? `explained: ${held.length} payment(s) held for the operator (unproven send; the wallet shows no send of the batch, nothing left it): `
        : '') + stdout.trim().split('\n').slice(0, 8).join(' | '),
    data: { failed, held },
  };
}

interface WalletRow {
  category: string;
  address: string;
  amount: string;
  comment?: string;
}

/** The wallet's transaction list, amounts as exact text (never through a double). */
async function walletRows(nodeUrl: string): Promise<WalletRow[]> {
  const response = await postJson(
    nodeUrl,
    { method: 'listtransactions', params: ['*', 1_000_000, 0], id: 1 },
    60_000,
  );
  const text = response.text.replace(/"amount":(-?[0-9.]+)/g, '"amount":"$1"');
  return (JSON.parse(text) as { result: WalletRow[] }).result;
}

/** The wallet's sends per address, exact. */
async function walletSends(nodeUrl: string): Promise<Map<string, bigint>> {
  const sent = new Map<string, bigint>();
  for (const row of await walletRows(nodeUrl)) {
    if (row.category !== 'send') continue;
    sent.set(row.address, (sent.get(row.address) ?? 0n) - coinsToBase(row.amount));
  }
  return sent;
}

/**
 * Point 2c: every shared-out block's credits are the largest-remainder split of subsidy − 1.5 %
 * over its round's share weights, to the base unit; a block reversed after a deep reorg is taken
 * back exactly; and no miner received from the wallet more than the ledger credited them.
 */
async function moneyCheck(soak: SoakRun, db: mysql.Connection): Promise<Check> {
  const problems: string[] = [];
  const [blocks] = await db.query<Rows>(
    `SELECT id, height, subsidy, pool_fee, reversed_at FROM block
      WHERE is_pool_block = 1 AND shared_out_at IS NOT NULL ORDER BY height, id`,
  );
  const [weights] = await db.query<Rows>(
    'SELECT block_id, miner_id, SUM(share_weight) w FROM solution WHERE block_id IS NOT NULL GROUP BY block_id, miner_id',
  );
  const [ledger] = await db.query<Rows>(
    `SELECT block_id, miner_id, category, SUM(amount) a FROM ledger_entry
      WHERE category IN ('share', 'reversal') GROUP BY block_id, miner_id, category`,
  );
  const byBlock = new Map<number, Map<number, bigint>>();
  for (const w of weights) {
    const m = byBlock.get(Number(w.block_id)) ?? new Map<number, bigint>();
    m.set(Number(w.miner_id), big(w.w));
    byBlock.set(Number(w.block_id), m);
  }
  const entries = new Map<string, bigint>();
  for (const l of ledger) entries.set(`${l.block_id}/${l.miner_id}/${l.category}`, big(l.a));
  let reversedBlocks = 0;
  for (const b of blocks) {
    const subsidy = big(b.subsidy);
    const w = byBlock.get(Number(b.id)) ?? new Map<number, bigint>();
    const total = [...w.values()].reduce((x, y) => x + y, 0n);
    const fee = total === 0n ? subsidy : (subsidy * SOAK_FEE_PPM) / 1_000_000n;
    if (b.pool_fee !== null && big(b.pool_fee) !== fee)
      problems.push(`block ${b.height}: fee ${b.pool_fee}, expected ${fee}`);
    const expected = independentSplit(subsidy - fee, w);
    const miners = new Set([...expected.keys()]);
    for (const key of entries.keys()) {
      const [blockId, minerId, category] = key.split('/');
      if (Number(blockId) === Number(b.id) && category === 'share') miners.add(Number(minerId));
    }
    for (const miner of miners) {
      const want = expected.get(miner) ?? 0n;
      const got = entries.get(`${b.id}/${miner}/share`) ?? 0n;
      if (want !== got)
        problems.push(`block ${b.height} miner ${miner}: credited ${got}, split gives ${want}`);
      if (b.reversed_at !== null) {
        // Taken back from the balance what is still there; what a payment already holds is the
        // pool's loss (the audit's note), never more than was credited.
        const back = entries.get(`${b.id}/${miner}/reversal`) ?? 0n;
        if (back > 0n || back < -got)
          problems.push(`block ${b.height} miner ${miner}: reversed ${back} of ${got}`);
      }
    }
    if (b.reversed_at !== null) reversedBlocks++;
  }
  // Per miner: what the wallet sent them against what the ledger credited them.
  const [miners] = await db.query<Rows>(
    `SELECT m.id, m.address,
            COALESCE(SUM(CASE WHEN l.category IN ('share', 'reversal', 'adjustment') THEN l.amount END), 0) credited,
            COALESCE(SUM(CASE WHEN l.category = 'reversal' THEN 1 ELSE 0 END), 0) reversals
       FROM miner m LEFT JOIN ledger_entry l ON l.miner_id = m.id GROUP BY m.id, m.address`,
  );
  const sent = await walletSends(soak.state.nodeRpcUrl);
  let overpaid = 0;
  let explained = 0;
  let paidMiners = 0;
  let totalSent = 0n;
  let totalCredited = 0n;
  const known = new Set<string>();
  for (const m of miners) {
    known.add(String(m.address));
    const out = sent.get(String(m.address)) ?? 0n;
    const credited = big(m.credited);
    totalSent += out;
    totalCredited += credited;
    if (out > 0n) paidMiners++;
    if (out <= credited) continue;
    if (Number(m.reversals) > 0) {
      explained++;
      continue;
    }
    overpaid++;
    problems.push(`miner ${m.address}: the wallet sent ${out}, the ledger credited ${credited}`);
  }
  for (const [address, out] of sent) {
    if (!known.has(address)) problems.push(`the wallet sent ${out} to ${address}, no miner`);
  }
  return {
    name: 'per miner: sent ≤ credited, credited = split of mature pool blocks',
    pass: problems.length === 0 && blocks.length > 0,
    binding: true,
    detail:
      `${blocks.length} blocks shared out (${reversedBlocks} reversed after a deep reorg), ` +
      `${miners.length} miners, ${paidMiners} paid; Σ sent ${totalSent} ≤ Σ credited ${totalCredited} base units; ` +
      `${overpaid} overpaid, ${explained} paid before a reversal (pool loss, explained); ${problems.length} problems`,
    data: { problems: problems.slice(0, 30) },
  };
}

/** Point 2d: the dead-letter queue is empty, or every message in it is explained. */
async function deadLetterCheck(soak: SoakRun, recorded: Map<string, Recorded>): Promise<Check> {
  const explained: string[] = [];
  const unexplained: string[] = [];
  for (const url of soak.state.setupEnv.BACKEND_AMQP_URL.split(',')) {
    let connection: amqplib.ChannelModel | null = null;
    try {
      connection = await amqplib.connect(url, { timeout: 3000 });
      const channel = await connection.createChannel();
      const taken: amqplib.GetMessage[] = [];
      for (;;) {
        const message = await channel.get(DEAD_LETTER_QUEUE, { noAck: false });
        if (!message) break;
        taken.push(message);
        const death = (
          message.properties.headers?.['x-death'] as { reason?: string }[] | undefined
        )?.[0];
        const hashes = message.content.toString('utf8').match(/[0-9a-f]{64}/g) ?? [];
        const allRecorded = hashes.length > 0 && hashes.every((h) => recorded.has(h));
        const line = `${message.properties.messageId ?? '?'}: ${death?.reason ?? 'no x-death'}, ${hashes.length} hashes${allRecorded ? ', all recorded' : ''}`;
        (allRecorded ? explained : unexplained).push(line);
      }
      for (const m of taken) channel.nack(m, false, true);
      await channel.close();
      break;
    } catch {
      // that node is not answering: the next one
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  return {
    name: 'dead-letter queue empty or explained',
    pass: unexplained.length === 0,
    binding: true,
    detail:
      explained.length + unexplained.length === 0
        ? 'empty'
        : `${explained.length} explained (their shares are recorded), ${unexplained.length} unexplained`,
    data: { explained, unexplained },
  };
}

/** The pool's own processes: the memory check binds on these. */
const POOL_ROLES = ['frontend', 'backend'];
/** The soak's test doubles: their memory is reported as information only. */
const INFORMATION_ROLES = ['sim-node', 'wallets'];

/**
 * Point 2e: each pool process's resident memory in the last five minutes within 10 % of its value
 * at minute five. RSS is a sawtooth (V8 lets the heap grow to a multiple of the live size before a
 * full collection, then shrinks it), so one sample is not "its value": the check compares like with
 * like — the five minutes from minute five after the process's (latest) start against the last five
 * minutes of the run, median against median and peak against peak, each within 10 %. Creep moves
 * both; a sawtooth moves neither. A run shorter than 30 minutes compares the same proportions (a
 * sixth of the run) and only reports: warm-up dominates a short run. Binds on the frontends and
 * backends only; the simulated node and the wallet processes are measured the same way and listed
 * as information (they keep the chain and the wallets' logs, which grow by design).
 */
export function memoryCheck(soak: SoakRun): Check {
  const seconds = soak.options.minutes * 60;
  const long = seconds >= 30 * 60;
  const span = Math.min(300, seconds / 6);
  const during = soak.samples.filter((s) => s.t <= seconds);
  type Judged = {
    from: number;
    reference: { median: number; peak: number };
    last: { median: number; peak: number };
    ratio: number;
  };
  const judged: Record<string, Judged> = {};
  const information: Record<string, Judged> = {};
  const skipped: string[] = [];
  for (const t of soak.tracked) {
    const pool = POOL_ROLES.includes(t.role);
    if (!pool && !INFORMATION_ROLES.includes(t.role)) continue;
    const started = (t.pids[t.pids.length - 1].startedAt - soak.startedAt) / 1000;
    const from = Math.max(0, started) + span;
    const lastFrom = seconds - span;
    const rss = (lo: number, hi: number): number[] =>
      during.filter((s) => s.t >= lo && s.t < hi && s.rssMb[t.name]).map((s) => s.rssMb[t.name]);
    const early = rss(from, Math.min(from + span, lastFrom));
    const late = rss(lastFrom, seconds + 1);
    if (from >= lastFrom || early.length === 0 || late.length === 0) {
      if (pool) skipped.push(`${t.name} (restarted at t+${Math.round(started)} s)`);
      continue;
    }
    const reference = { median: median(early), peak: Math.max(...early) };
    const last = { median: median(late), peak: Math.max(...late) };
    const ratio = Math.max(last.median / reference.median, last.peak / reference.peak);
    (pool ? judged : information)[t.name] = { from, reference, last, ratio };
  }
  const creeping = Object.entries(judged).filter(([, j]) => j.ratio > 1.1);
  const roles = new Set(Object.keys(judged).map((n) => n.replace(/\d+$/, '')));
  const pass = creeping.length === 0 && roles.has('frontend') && roles.has('backend');
  const figures = (of: Record<string, Judged>): string =>
    Object.entries(of)
      .map(
        ([n, j]) =>
          `${n} median ${mib(j.reference.median)}→${mib(j.last.median)} MiB, peak ${mib(j.reference.peak)}→${mib(j.last.peak)} MiB (${Math.round((j.ratio - 1) * 100)} %)`,
      )
      .join(', ');
  const info = Object.keys(information).length
    ? `; information only (test doubles, not judged): ${figures(information)}`
    : '';
  return {
    name: 'resident memory flat (last five minutes within 10 % of the five from minute five, median and peak)',
    pass,
    binding: long,
    detail:
      `${long ? '' : `short run (${soak.options.minutes} min): windows of ${Math.round(span)} s from ${Math.round(span)} s after each process's start and at the end — reported, not binding; `}` +
      `${figures(judged)}${skipped.length ? `; not judged: ${skipped.join(', ')}` : ''}${info}`,
    data: { judged, information },
  };
}

/** MiB to one decimal place, for the report. */
const mib = (value: number): number => Math.round(value * 10) / 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Point 2f: nothing the soak started is left (process groups, children, anything in its state dir). */
export function processCheck(left: string[]): Check {
  return {
    name: 'no process left afterwards',
    pass: left.length === 0,
    binding: true,
    detail: left.length === 0 ? 'none left' : `${left.length} left: ${left.join('; ')}`,
  };
}
