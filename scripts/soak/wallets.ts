// The soak's simulated wallets, a process of their own (`SOAK_WALLETS` is their JSON options):
// every solution answer and every other failure goes to their own log (JSON lines), which the
// verdict compares with the database — the pool's own counters play no part in it.
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { Misbehaviour } from '../../sim/miner/craft';
import { runSimMiner } from '../../sim/miner/sim-miner';

export interface WalletsConfig {
  pool: string;
  node: string;
  miners: number;
  workers: number;
  shareSeconds: number;
  /** 0: until SIGTERM. */
  durationSeconds: number;
  misbehave: Misbehaviour[];
  /** Explicit miner addresses (the honest wallets' addresses are fixed by the runner). */
  addresses?: string[];
  log: string;
  timeoutMs: number;
}

/** One line of a wallets log: a solution answer (`h` set) or another failure (`f` set). */
export interface WalletLogLine {
  /** ms since the epoch. */
  t: number;
  /** Worker id (`ADDRESS/wN`) of an answer. */
  w?: string;
  /** Bible hash of the solution answered. */
  h?: string;
  ok?: boolean;
  /** The pool's ERROR text of a refused solution. */
  e?: string;
  /** A getwork refusal, transport error or slow answer. */
  f?: string;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.SOAK_WALLETS ?? '') as WalletsConfig;
  const out = createWriteStream(config.log, { flags: 'a' });
  const write = (line: WalletLogLine): void => {
    out.write(`${JSON.stringify(line)}\n`);
  };
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  const summary = await runSimMiner({
    pool: config.pool,
    node: config.node,
    network: 'main',
    miners: config.miners,
    workers: config.workers,
    threads: 1,
    shareSeconds: config.shareSeconds,
    durationSeconds: config.durationSeconds,
    misbehave: config.misbehave,
    addresses: config.addresses,
    timeoutMs: config.timeoutMs,
    signal: stop.signal,
    staggerStart: true,
    keepTipWhenNodeDown: true,
    onSolutionAnswer: ({ bibleHash, ok, workerId, error }) =>
      write({ t: Date.now(), w: workerId, h: bibleHash, ok, ...(error ? { e: error } : {}) }),
    onFailure: (error) => write({ t: Date.now(), f: error }),
  });
  await new Promise<void>((resolve) => out.end(resolve));
  process.stdout.write(`${JSON.stringify({ ...summary, answers: undefined })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
