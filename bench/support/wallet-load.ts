import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchEnv, RoleProcess, startRoleProcess } from './bench-env';
import { endedPromptly } from '../../sim/miner/answer-readers';
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
          reader: secure ? 'https' : 'http',
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
 * is read: `keepAlive` requests (BENCH_REQUESTS), BENCH_CONNECT_REQUESTS new connections,
 * BENCH_TLS_REQUESTS new TLS connections.
 */
export async function loadThreeWays(
  frontends: LoadFrontends,
  connections: number,
  keepAlive: number,
  load: WalletLoad,
): Promise<Record<LoadMode, ModeFigures>> {
  const connect = Number(process.env.BENCH_CONNECT_REQUESTS ?? 30_000);
  const tls = Number(process.env.BENCH_TLS_REQUESTS ?? 15_000);
  return {
    keep_alive: await keepAliveLoad(frontends.plain.url, connections, keepAlive, load),
    new_connection: await connectionPerRequestLoad(frontends.plain.url, connections, connect, load),
    new_tls_connection: await connectionPerRequestLoad(
      frontends.secure.url,
      connections,
      tls,
      load,
    ),
  };
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
  modes: Record<LoadMode, ModeFigures>,
  checks: Record<string, number | string | boolean>,
): void {
  const rows = (Object.keys(modes) as LoadMode[]).map((mode) => {
    const f = modes[mode];
    return [
      MODE_LABELS[mode],
      String(f.requests_per_sec),
      String(f.p50_ms),
      String(f.p99_ms),
      String(f.requests),
      String(f.error_answers + f.transport_errors),
    ];
  });
  const table = [['mode', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors'], ...rows];
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
