import { randomBytes } from 'node:crypto';
import { randomAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import { rpcCall } from '../node/rpc-client';
import { ChainTip, plausibleTip, TipSource } from './chain-tip';
import { CraftedSolution, craftSolution, CraftOptions, HashCounters, Misbehaviour } from './craft';
import { PoolWork, readGetworkAnswer, readSolutionAnswer, SolutionOutcome } from './protocol';
import { AnswerTimings, AnswerTimingSummary } from './answer-timings';
import { endedPromptly, ReaderKind } from './answer-readers';
import { walletRequest, WalletRequest, WalletResponse } from './wallet-http-client';

export { fetchChainTip, plausibleTip, TipSource } from './chain-tip';
export type { ChainTip } from './chain-tip';
export { breakAddress, craftSolution, isMisbehaviour, MISBEHAVIOURS, searchNonce } from './craft';
export type { CraftedSolution, CraftOptions, HashCounters, Misbehaviour } from './craft';
export { formatSolution, readGetworkAnswer, readSolutionAnswer } from './protocol';
export type { PoolWork, SolutionFields, SolutionOutcome } from './protocol';

export interface SimMinerOptions {
  /** Pool URL, `http(s)://host:port`. */
  pool: string;
  network: Network;
  /** Distinct miners (addresses). */
  miners: number;
  /** Wallets per miner (`ADDRESS/wN`). */
  workers: number;
  /** Mining threads per wallet. */
  threads: number;
  /** At most one share per thread per this many seconds (the wallet: 120). */
  shareSeconds: number;
  /** Stop after this many seconds; 0 = until aborted (or maxShares). */
  durationSeconds: number;
  signal?: AbortSignal;
  /** Node to hand found blocks to (and to learn the tip from). */
  node?: string;
  /** Cycled share by share; 'none' = honest. */
  misbehave: Misbehaviour[];
  /** Explicit miner addresses (else random valid ones of the network). */
  addresses?: string[];
  /** Stop after this many solutions were sent in total. */
  maxShares?: number;
  walletVersion: string;
  /** Block hex padded to about this many characters. */
  blockBytes?: number;
  timeoutMs: number;
  /** The wallet's answer reader; default the one the pool URL implies. */
  reader?: ReaderKind;
  /** Behave as Evo wallets: TLS, SNI, SessionID/WorkerID1/WorkerID2/HTTP_PROTO_VERSION headers. */
  evo: boolean;
  log: (line: string) => void;
  /** Called with every solution answer (tests match each `ok` to the row the pool recorded). */
  onSolutionAnswer?: (answer: {
    bibleHash: string;
    ok: boolean;
    workerId: string;
    /** The pool's ERROR text when refused. */
    error?: string;
  }) => void;
  /** Each thread's first share at a random point of its first period, not all at once. */
  staggerStart?: boolean;
  /** Mine on the last known tip while the node does not answer (see TipSource). */
  keepTipWhenNodeDown?: boolean;
  /** Called with every other failure: a getwork refused, a transport error, a slow answer. */
  onFailure?: (error: string) => void;
}

export interface SimMinerSummary {
  pool: string;
  network: Network;
  workers: string[];
  getworks: number;
  sharesSent: number;
  accepted: number;
  refused: number;
  /** Every refusal and failure, keyed by the pool's ERROR text (or the transport error). */
  errors: Record<string, number>;
  sharesByMisbehaviour: Record<string, number>;
  blocksFound: number;
  blocksAccepted: number;
  /** submitblock answers other than accepted, keyed by the node's reason. */
  blocksRefused: Record<string, number>;
  hashes: number;
  /** The reader the wallets used (`http` = classic plain-HTTP, `https`). */
  reader: ReaderKind;
  /** Per action: answers, how many the reader finished promptly, and wall-clock times. */
  answers: Record<string, AnswerTimingSummary>;
  durationMs: number;
}

export function defaultSimMinerOptions(): Omit<SimMinerOptions, 'pool'> {
  return {
    network: 'main',
    miners: 1,
    workers: 1,
    threads: 1,
    shareSeconds: 120,
    durationSeconds: 0,
    misbehave: ['none'],
    walletVersion: '1.1.9.3',
    timeoutMs: 10_000,
    evo: false,
    log: () => undefined,
  };
}

/**
 * Runs simulated wallets against a pool, each thread as the BiblePay pool miner: getwork, search,
 * submit the 16-field solution, and hand the block to the node when it also meets the network
 * target. All threads share one process and one event loop (the search yields).
 */
export async function runSimMiner(
  overrides: Partial<SimMinerOptions> & { pool: string },
): Promise<SimMinerSummary> {
  const options: SimMinerOptions = { ...defaultSimMinerOptions(), ...overrides };
  const started = Date.now();
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(new Error('stopped'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const timer =
    options.durationSeconds > 0 ? setTimeout(onAbort, options.durationSeconds * 1000) : undefined;

  const addresses =
    options.addresses ??
    Array.from({ length: options.miners }, () => randomAddress(options.network));
  const workerIds = addresses.flatMap((address) =>
    Array.from({ length: options.workers }, (_, w) => `${address}/w${w}`),
  );
  const summary: SimMinerSummary = {
    pool: options.pool,
    network: options.network,
    workers: workerIds,
    getworks: 0,
    sharesSent: 0,
    accepted: 0,
    refused: 0,
    errors: {},
    sharesByMisbehaviour: {},
    blocksFound: 0,
    blocksAccepted: 0,
    blocksRefused: {},
    hashes: 0,
    reader: options.reader ?? (options.evo || options.pool.startsWith('https:') ? 'https' : 'http'),
    answers: {},
    durationMs: 0,
  };
  const timings = new AnswerTimings();
  const count = (map: Record<string, number>, key: string): void => {
    map[key] = (map[key] ?? 0) + 1;
  };
  const tips = new TipSource(
    options.node,
    undefined,
    undefined,
    options.keepTipWhenNodeDown ?? false,
  );
  let shareIndex = 0;
  const nextMisbehaviour = (): Misbehaviour =>
    options.misbehave[shareIndex++ % Math.max(1, options.misbehave.length)] ?? 'none';
  const sharesLeft = (): boolean =>
    options.maxShares === undefined || summary.sharesSent < options.maxShares;

  const request = async (
    req: Omit<WalletRequest, 'pool' | 'network' | 'timeoutMs'> & { network?: string },
    sessionId: string,
  ): Promise<WalletResponse> => {
    const answer = await walletRequest({
      pool: options.pool,
      network: options.network,
      timeoutMs: options.timeoutMs,
      agent: options.walletVersion,
      reader: summary.reader,
      ...(options.evo ? { evo: { sessionId } } : {}),
      ...req,
    });
    timings.record(req.action, answer);
    return promptOrThrow(answer);
  };

  const runWallet = async (workerId: string): Promise<void> => {
    const walletStart = Date.now();
    const sessionId = randomBytes(16).toString('hex');
    const wallet = { hashCounter: 0 };
    await Promise.all(
      Array.from({ length: options.threads }, (_, threadId) =>
        runThread(workerId, threadId, walletStart, wallet, sessionId),
      ),
    );
  };

  const runThread = async (
    workerId: string,
    threadId: number,
    walletStart: number,
    wallet: { hashCounter: number },
    sessionId: string,
  ): Promise<void> => {
    const signal = stop.signal;
    let nextShareAt =
      Date.now() + (options.staggerStart ? Math.random() * options.shareSeconds * 1000 : 0);
    let lastSentAt = -Infinity;
    while (!signal.aborted && sharesLeft()) {
      if (!(await sleepUntil(nextShareAt, signal))) return;
      const roundStart = Date.now();
      nextShareAt = roundStart + options.shareSeconds * 1000;
      try {
        summary.getworks++;
        const answer = await request(
          { action: 'readytomine2', miner: workerId, threadId },
          sessionId,
        );
        const getwork = readGetworkAnswer(answer.raw, options.network);
        if (!getwork.ok) {
          count(summary.errors, getwork.error);
          options.onFailure?.(getwork.error);
          continue;
        }
        const tip = await tips.get();
        const misbehaviour = nextMisbehaviour();
        const counters: HashCounters = {
          threadHashCounter: 0,
          threadStart: roundStart,
          hashCounter: wallet.hashCounter,
          timerStart: walletStart,
        };
        const crafted = await craftSolution({
          work: getwork.work,
          tip,
          network: options.network,
          workerId,
          misbehaviour,
          threadId,
          walletVersion: options.walletVersion,
          counters,
          blockBytes: options.blockBytes,
          signal,
        });
        wallet.hashCounter += crafted.hashes;
        summary.hashes += crafted.hashes;
        for (let i = 0; i < crafted.sends; i++) {
          // The wallet's rule holds at the moment of sending, whatever the search took; a duplicate
          // is a replay and ignores it.
          const paceUntil = i === 0 ? lastSentAt + options.shareSeconds * 1000 : 0;
          if (!(await sleepUntil(paceUntil, signal)) || !sharesLeft()) return;
          lastSentAt = Date.now();
          summary.sharesSent++;
          count(summary.sharesByMisbehaviour, misbehaviour);
          const reply = await request(
            {
              action: crafted.overrides.action ?? 'solution',
              miner: crafted.overrides.miner ?? workerId,
              network: crafted.overrides.network ?? options.network,
              solution: crafted.solution,
              threadId,
            },
            sessionId,
          );
          const outcome = readSolutionAnswer(reply.raw);
          options.onSolutionAnswer?.({
            bibleHash: crafted.fields.bibleHash,
            ok: outcome.ok,
            workerId,
            ...(outcome.ok ? {} : { error: outcome.error }),
          });
          if (outcome.ok) summary.accepted++;
          else {
            summary.refused++;
            count(summary.errors, outcome.error);
          }
        }
        if (crafted.meetsNetworkTarget && options.node) {
          summary.blocksFound++;
          const result = await rpcCall<string | null>(options.node, 'submitblock', [
            crafted.blockHex,
          ]);
          if (result === null) {
            summary.blocksAccepted++;
            tips.invalidate();
            options.log(
              `block ${crafted.block.hash} accepted at height ${crafted.block.header.prevHeight + 1}`,
            );
          } else {
            count(summary.blocksRefused, result);
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        const text = error instanceof Error ? error.message : String(error);
        count(summary.errors, text);
        options.onFailure?.(text);
        // A failing pool or node: do not spin; try again on the next share slot.
      }
    }
  };

  try {
    await Promise.all(workerIds.map((workerId) => runWallet(workerId)));
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    summary.durationMs = Date.now() - started;
    summary.answers = timings.summary();
  }
  return summary;
}

/**
 * An answer the wallet only finished because the server closed or its time ran out is a failure,
 * even when the tags arrived: a real wallet sat waiting for it.
 */
export class SlowAnswerError extends Error {
  constructor(readonly answer: WalletResponse) {
    super(`answer ended by ${answer.endedBy} (${answer.reader} reader)`);
  }
}

export function promptOrThrow(answer: WalletResponse): WalletResponse {
  if (!endedPromptly(answer.endedBy)) throw new SlowAnswerError(answer);
  return answer;
}

/** Sleeps until `at` (ms); false when stopped meanwhile. */
function sleepUntil(at: number, signal: AbortSignal): Promise<boolean> {
  const wait = at - Date.now();
  if (signal.aborted) return Promise.resolve(false);
  if (wait <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, wait);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export class PoolRefusedError extends Error {}

/** One getwork as a wallet sends it; throws PoolRefusedError with the pool's ERROR text. */
export async function requestWork(request: {
  pool: string;
  network: Network;
  workerId: string;
  threadId?: number;
  timeoutMs?: number;
  reader?: ReaderKind;
  localAddress?: string;
}): Promise<PoolWork> {
  const answer = await walletRequest({
    reader: request.reader,
    pool: request.pool,
    network: request.network,
    action: 'readytomine2',
    miner: request.workerId,
    threadId: request.threadId ?? 0,
    timeoutMs: request.timeoutMs,
    localAddress: request.localAddress,
  });
  const outcome = readGetworkAnswer(promptOrThrow(answer).raw, request.network);
  if (!outcome.ok) throw new PoolRefusedError(outcome.error);
  return outcome.work;
}

/** Sends a crafted solution with its header overrides (twice for `duplicate`); one outcome per send. */
export async function submitCrafted(request: {
  pool: string;
  network: Network;
  workerId: string;
  crafted: CraftedSolution;
  threadId?: number;
  timeoutMs?: number;
  reader?: ReaderKind;
  localAddress?: string;
}): Promise<SolutionOutcome[]> {
  const outcomes: SolutionOutcome[] = [];
  for (let i = 0; i < request.crafted.sends; i++) {
    const reply = await walletRequest({
      pool: request.pool,
      network: request.crafted.overrides.network ?? request.network,
      action: request.crafted.overrides.action ?? 'solution',
      miner: request.crafted.overrides.miner ?? request.workerId,
      solution: request.crafted.solution,
      threadId: request.threadId ?? 0,
      timeoutMs: request.timeoutMs,
      reader: request.reader,
      localAddress: request.localAddress,
    });
    outcomes.push(readSolutionAnswer(promptOrThrow(reply).raw));
  }
  return outcomes;
}

export interface OneShare {
  work: PoolWork;
  tip: ChainTip;
  crafted: CraftedSolution;
  outcomes: SolutionOutcome[];
  /** submitblock's answer when the share met the network target (null = accepted). */
  block?: string | null;
}

/**
 * getwork → craft (with a chosen misbehaviour) → submit → submitblock when the block qualifies:
 * one share end to end, for tests that need the pool to see exactly one kind of solution.
 */
export async function mineOneShare(
  request: {
    pool: string;
    network: Network;
    workerId?: string;
    node?: string;
    misbehaviour?: Misbehaviour;
    timeoutMs?: number;
    reader?: ReaderKind;
    /** Local address to connect from (another source than 127.0.0.1 on loopback). */
    localAddress?: string;
  } & Pick<Partial<CraftOptions>, 'threadId' | 'blockBytes' | 'walletVersion' | 'maxHashes'>,
): Promise<OneShare> {
  const workerId = request.workerId ?? `${randomAddress(request.network)}/w0`;
  const work = await requestWork({ ...request, workerId });
  const tip = request.node
    ? await new TipSource(request.node).get()
    : plausibleTip(Math.floor(Date.now() / 1000));
  const crafted = await craftSolution({
    work,
    tip,
    network: request.network,
    workerId,
    misbehaviour: request.misbehaviour,
    threadId: request.threadId,
    blockBytes: request.blockBytes,
    walletVersion: request.walletVersion,
    maxHashes: request.maxHashes,
  });
  const outcomes = await submitCrafted({ ...request, workerId, crafted });
  const block =
    crafted.meetsNetworkTarget && request.node
      ? await rpcCall<string | null>(request.node, 'submitblock', [crafted.blockHex])
      : undefined;
  return { work, tip, crafted, outcomes, block };
}
