import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { BenchEnv, RoleProcess, startRoleProcess } from './bench-env';
import { endedPromptly, ReaderKind } from '../../sim/miner/answer-readers';
import { walletRequest } from '../../sim/miner/wallet-http-client';

/**
 * Loads `/Action.aspx` three ways, as docs/PROTOCOL.md §1.1 says clients arrive:
 * - `keep_alive`: an HTTP client that reuses its connections (asks `Connection: keep-alive`; the
 *   frontend runs with ACTION_KEEP_ALIVE=true) — the ceiling;
 * - `new_connection`: a classic `http://` wallet, one TCP connection per request, answer read by
 *   the wallet's plain-HTTP line reader;
 * - `new_tls_connection`: an Evo wallet, one TLS connection (full handshake) per request, answer
 *   read by the HTTPS reader.
 */
export type LoadMode = 'keep_alive' | 'new_connection' | 'new_tls_connection';

export interface ModeFigures {
  requests: number;
  connections: number;
  duration_s: number;
  requests_per_sec: number;
  p50_ms: number;
  p99_ms: number;
  successes: number;
  error_answers: number;
  /** Connection failures, non-2xx, and answers a wallet reader only finished by close or timeout. */
  transport_errors: number;
  /** The frontend's group commit during this mode (see `GroupProbe`), null when it exports none. */
  [group: string]: number | null;
}

/**
 * How well the loaded frontend's group commit grouped during a mode, read from a histogram on its
 * `/metrics` (`_sum` units over `_count` statements): e.g. rows per work INSERT and INSERTs (each
 * one commit) per second. Builds that do not export the histogram report null.
 */
export interface GroupProbe {
  /** Histogram name, e.g. `purepool_work_insert_rows`. */
  metric: string;
  /** Key of units per statement in the mode's figures, e.g. `rows_per_insert`. */
  perGroup: string;
  /** Key of statements per second, e.g. `commits_per_sec`. */
  perSecond: string;
}

async function scrapeHistogram(
  url: string,
  metric: string,
): Promise<{ sum: number; count: number } | null> {
  try {
    const text = await getText(`${url}/metrics`);
    const value = (name: string): number | null => {
      const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
      return match ? Number(match[1]) : null;
    };
    const sum = value(`${metric}_sum`);
    const count = value(`${metric}_count`);
    return sum === null || count === null ? null : { sum, count };
  } catch {
    return null;
  }
}

/** A GET's body, accepting the self-signed certificate of the bench's TLS frontend. */
function getText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    get(url, { rejectUnauthorized: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}

/** Runs `run` and adds the probe's figures for it. */
async function probed(
  url: string,
  probe: GroupProbe | undefined,
  run: () => Promise<ModeFigures>,
): Promise<ModeFigures> {
  if (!probe) return run();
  const before = await scrapeHistogram(url, probe.metric);
  const figures = await run();
  const after = await scrapeHistogram(url, probe.metric);
  if (!before || !after || after.count === before.count) {
    return { ...figures, [probe.perGroup]: null, [probe.perSecond]: null };
  }
  const groups = after.count - before.count;
  return {
    ...figures,
    [probe.perGroup]: Math.round(((after.sum - before.sum) / groups) * 100) / 100,
    [probe.perSecond]: Math.round(groups / figures.duration_s),
  };
}

export interface WalletCall {
  action: string;
  miner: string;
  solution?: string;
  threadId: number;
}

export interface WalletLoad {
  /** The i-th request's wallet headers. */
  call(i: number): WalletCall;
  isSuccess(answer: string): boolean;
}

export async function keepAliveLoad(
  url: string,
  connections: number,
  amount: number,
  load: WalletLoad,
): Promise<ModeFigures> {
  let next = 0;
  let successes = 0;
  let errorAnswers = 0;
  const result = await autocannon({
    url: `${url}/Action.aspx`,
    connections,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const call = load.call(next++);
          return {
            ...req,
            headers: { ...walletHeaders(call), Connection: 'keep-alive' },
            body: call.action,
          };
        },
        onResponse: (_status, body) => {
          if (load.isSuccess(body)) successes++;
          else errorAnswers++;
        },
      },
    ],
  });
  return {
    requests: amount,
    connections,
    duration_s: result.duration,
    requests_per_sec: Math.round(successes / result.duration),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    successes,
    error_answers: errorAnswers,
    transport_errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * The reader of the plain new-connection mode: the classic wallet's (`http`, default), or with
 * BENCH_NEW_CONNECTION_READER=https the HTTPS reader over plain TCP, which also stops by
 * Content-Length — bench:compare uses it, since builds before the terminators (f3093f8) answer
 * getwork with no line the classic reader stops on.
 */
const PLAIN_READER: ReaderKind =
  process.env.BENCH_NEW_CONNECTION_READER === 'https' ? 'https' : 'http';

/** One new connection (TLS when the URL is https) per request, read as the wallet reads it. */
export async function connectionPerRequestLoad(
  url: string,
  connections: number,
  amount: number,
  load: WalletLoad,
): Promise<ModeFigures> {
  const secure = url.startsWith('https:');
  const latencies: number[] = [];
  let next = 0;
  let successes = 0;
  let errorAnswers = 0;
  let transportErrors = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    for (let i = next++; i < amount; i = next++) {
      const call = load.call(i);
      try {
        const answer = await walletRequest({
          pool: url,
          network: 'main',
          action: call.action,
          miner: call.miner,
          solution: call.solution,
          threadId: call.threadId,
          reader: secure ? 'https' : PLAIN_READER,
          ...(secure ? { evo: { sessionId: `bench${i % 1000}`, sni: 'localhost' } } : {}),
        });
        latencies.push(answer.elapsedMs);
        if (!endedPromptly(answer.endedBy)) transportErrors++;
        else if (load.isSuccess(answer.raw)) successes++;
        else errorAnswers++;
      } catch {
        transportErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, () => worker()));
  const duration = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 100) /
    100;
  return {
    requests: amount,
    connections,
    duration_s: Math.round(duration * 100) / 100,
    requests_per_sec: Math.round(successes / duration),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    successes,
    error_answers: errorAnswers,
    transport_errors: transportErrors,
  };
}

export function walletHeaders(call: WalletCall): Record<string, string> {
  return {
    'User-Agent': 'Mozilla/5.0/1.1.9.3',
    Action: call.action,
    Agent: '1.1.9.3',
    Miner: call.miner,
    NetworkID: 'main',
    OS: 'LIN',
    Solution: call.solution ?? '',
    ThreadID: String(call.threadId),
  };
}

export interface LoadFrontends {
  /** Plain HTTP, ACTION_KEEP_ALIVE=true (the keep-alive way needs it). */
  plain: RoleProcess;
  /** HTTPS with a certificate made for the run. */
  secure: RoleProcess;
  stop(): Promise<void>;
}

/** The two frontends a three-way run loads: plain on `port`, TLS on `port + 2`. */
export async function startLoadFrontends(
  env: BenchEnv,
  port: number,
  extra: Record<string, string> = {},
): Promise<LoadFrontends> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'purepool-bench-'));
  const { cert, key } = benchCertificate(dir);
  const frontendEnv = {
    ROLE: 'frontend',
    DATABASE_URL: env.urls.frontendDb,
    AMQP_URL: env.urls.frontendMq,
    NETWORKS: 'main',
    POOL_ADDRESS_MAIN: env.poolAddress.main,
    ACTION_KEEP_ALIVE: 'true',
    // BENCH_FRONTEND_NODE_OPTIONS: Node/V8 flags for these frontends only (not the load generator).
    ...(process.env.BENCH_FRONTEND_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_FRONTEND_NODE_OPTIONS }
      : {}),
    ...extra,
  };
  const plain = await startRoleProcess(frontendEnv, port);
  const secure = await startRoleProcess(
    { ...frontendEnv, TLS_CERT_FILE: cert, TLS_KEY_FILE: key },
    port + 2,
  );
  return {
    plain,
    secure,
    stop: async () => {
      await Promise.all([plain.stop(), secure.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The three ways one after the other, each a fixed request count (not a duration) so every answer
 * is read: BENCH_CONNECT_REQUESTS new connections (first: what wallets do), `keepAlive` requests
 * (BENCH_REQUESTS), BENCH_TLS_REQUESTS new TLS connections. BENCH_MODES (comma list of
 * new_connection, keep_alive, new_tls_connection) runs only some of them.
 */
export async function loadThreeWays(
  frontends: LoadFrontends,
  connections: number,
  keepAlive: number,
  load: WalletLoad,
  probe?: GroupProbe,
): Promise<Partial<Record<LoadMode, ModeFigures>>> {
  const connect = Number(process.env.BENCH_CONNECT_REQUESTS ?? 30_000);
  const tls = Number(process.env.BENCH_TLS_REQUESTS ?? 15_000);
  const wanted = new Set(
    (process.env.BENCH_MODES ?? 'new_connection,keep_alive,new_tls_connection').split(','),
  );
  const plain = frontends.plain.url;
  const secure = frontends.secure.url;
  const runs: [LoadMode, string, () => Promise<ModeFigures>][] = [
    ['new_connection', plain, () => connectionPerRequestLoad(plain, connections, connect, load)],
    ['keep_alive', plain, () => keepAliveLoad(plain, connections, keepAlive, load)],
    ['new_tls_connection', secure, () => connectionPerRequestLoad(secure, connections, tls, load)],
  ];
  const modes: Partial<Record<LoadMode, ModeFigures>> = {};
  for (const [mode, url, run] of runs) {
    if (wanted.has(mode)) modes[mode] = await probed(url, probe, run);
  }
  return modes;
}

/**
 * A certificate for the TLS mode: ECDSA P-256 (what current public CAs issue by default), made
 * with the openssl CLI into `dir`.
 */
export function benchCertificate(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'bench.crt');
  const key = path.join(dir, 'bench.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

const MODE_LABELS: Record<LoadMode, string> = {
  keep_alive: 'keep-alive',
  new_connection: 'new connection per request',
  new_tls_connection: 'new TLS connection per request',
};

/** The three modes side by side for people, then one JSON line carrying them all (last line). */
export function reportModes(
  name: string,
  modes: Partial<Record<LoadMode, ModeFigures>>,
  checks: Record<string, number | string | boolean>,
  probe?: GroupProbe,
): void {
  const extra = probe ? [probe.perGroup, probe.perSecond] : [];
  const rows = (Object.keys(modes) as LoadMode[]).map((mode) => {
    const f = modes[mode]!;
    return [
      MODE_LABELS[mode],
      String(f.requests_per_sec),
      String(f.p50_ms),
      String(f.p99_ms),
      String(f.requests),
      String(f.error_answers + f.transport_errors),
      ...extra.map((key) => String(f[key] ?? '-')),
    ];
  });
  const table = [['mode', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', ...extra], ...rows];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  console.log(`\n${name}`);
  for (const row of table) {
    console.log(
      `  ${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')}`,
    );
  }
  for (const [key, value] of Object.entries(checks)) console.log(`  ${key}: ${value}`);
  console.log(JSON.stringify({ bench: name, ...checks, modes }));
}
