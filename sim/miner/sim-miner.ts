import { randomAddress } from '../../src/biblepay/address';
import { Network } from '../../src/biblepay/network';
import { rpcCall } from '../node/rpc-client';
import { ChainTip, plausibleTip, TipSource } from './chain-tip';
import { CraftedSolution, craftSolution, CraftOptions, HashCounters, Misbehaviour } from './craft';
import { PoolWork, readGetworkAnswer, readSolutionAnswer, SolutionOutcome } from './protocol';
import { AnswerTimings, AnswerTimingSummary } from './answer-timings';
import { endedPromptly, ReaderKind } from './answer-readers';
import { newSessionId, walletRequest, WalletRequest, WalletResponse } from './wallet-http-client';
import { WALLET_PROFILES, WalletProfile, WalletVersion } from './wallet-profiles';

export { fetchChainTip, plausibleTip, TipSource } from './chain-tip';
export type { ChainTip } from './chain-tip';
export { breakAddress, craftSolution, isMisbehaviour, MISBEHAVIOURS, searchNonce } from './craft';
export type { CraftedSolution, CraftOptions, HashCounters, Misbehaviour } from './craft';
export { formatSolution, readGetworkAnswer, readSolutionAnswer } from './protocol';
export type { PoolWork, SolutionFields, SolutionOutcome } from './protocol';
export { isWalletVersion, WALLET_PROFILES, WALLET_VERSIONS } from './wallet-profiles';
export type { WalletProfile, WalletVersion } from './wallet-profiles';

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
  /**
   * Be this real wallet release (wallet-profiles.ts): its request bytes, reader, whether it sends
   * shares at all, and — unless `fast` — its cadence: one work unit shared by the wallet's threads,
   * getwork at most every 3 minutes per thread, the classic 2-minute share gate, work dropped after
   * 7 (classic) / 15 (Evo) minutes. Overrides `walletVersion` and `evo`.
   */
  wallet?: WalletVersion;
  /**
   * Today's quick cadence (each thread: getwork, one share, paced by `shareSeconds`) even with a
   * `wallet`. Without a `wallet` the cadence is always the quick one.
   */
  fast?: boolean;
  /** How a request reaches the pool (tests replace it); default walletRequest. */
  send?: (request: WalletRequest) => Promise<WalletResponse>;
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
  /** Shares found but not submitted: the wallet release sends none (1.4.8.4). */
  sharesWithheld: number;
  /** The wallet release simulated, if any, and the cadence it ran. */
  wallet: WalletVersion | null;
  cadence: 'fast' | 'real';
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

/** What a wallet's threads share: the hash counter and the "poolcache" work unit. */
interface WalletState {
  hashCounter: number;
  cache: PoolWork | null;
  cachedAt: number;
  /** The last work a getwork brought, and when the thread that asked woke for it. */
  fetched?: { work: PoolWork; at: number };
  /** A getwork another thread has under way. */
  asking?: Promise<PoolWork | null> | null;
}

/** One mining thread of a wallet process: who it mines as and what it shares with its wallet. */
interface ThreadContext {
  workerId: string;
  threadId: number;
  /** When the wallet process started (its hash-rate timer). */
  walletStart: number;
  wallet: WalletState;
  /** The wallet process's session id (Evo). */
  sessionId: string;
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
  const profile: WalletProfile | undefined = options.wallet
    ? WALLET_PROFILES[options.wallet]
    : undefined;
  if (profile) {
    options.walletVersion = profile.version;
    options.evo = profile.evo;
  }
  const cadence = profile && !options.fast ? 'real' : 'fast';
  const send = options.send ?? walletRequest;
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
    sharesWithheld: 0,
    wallet: profile?.version ?? null,
    cadence,
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
    const answer = await send({
      pool: options.pool,
      network: options.network,
      timeoutMs: options.timeoutMs,
      agent: options.walletVersion,
      reader: summary.reader,
      ...(options.evo ? { evo: { sessionId } } : {}),
      ...(profile ? { wallet: profile } : {}),
      ...req,
    });
    timings.record(req.action, answer);
    return promptOrThrow(answer);
  };

  const runWallet = async (workerId: string): Promise<void> => {
    const walletStart = Date.now();
    // One per wallet process: GetRandHash().GetHex(), 64 hex (miner.cpp:1403-1404 @1.4.4.8).
    const sessionId = newSessionId();
    const wallet: WalletState = { hashCounter: 0, cache: null, cachedAt: 0 };
    await Promise.all(
      Array.from({ length: options.threads }, (_, threadId) => {
        const thread: ThreadContext = { workerId, threadId, walletStart, wallet, sessionId };
        return cadence === 'real' && profile ? runRealThread(profile, thread) : runThread(thread);
      }),
    );
  };

  /** The search for one share on `work` (the wallet's nonce loop). */
  const search = async (
    work: PoolWork,
    { workerId, threadId, walletStart, wallet }: ThreadContext,
    threadStart: number,
    misbehaviour: Misbehaviour,
  ): Promise<CraftedSolution> => {
    const tip = await tips.get();
    const counters: HashCounters = {
      threadHashCounter: 0,
      threadStart,
      hashCounter: wallet.hashCounter,
      timerStart: walletStart,
    };
    const crafted = await craftSolution({
      work,
      tip,
      network: options.network,
      workerId,
      misbehaviour,
      threadId,
      walletVersion: options.walletVersion,
      counters,
      blockBytes: options.blockBytes,
      signal: stop.signal,
    });
    wallet.hashCounter += crafted.hashes;
    summary.hashes += crafted.hashes;
    return crafted;
  };

  /** One `solution` request; its answer counted. */
  const submit = async (
    crafted: CraftedSolution,
    misbehaviour: Misbehaviour,
    { workerId, threadId, sessionId }: ThreadContext,
  ): Promise<void> => {
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
  };

  /** A share that also meets the network target is a block: handed to the node. */
  const offerBlock = async (crafted: CraftedSolution): Promise<void> => {
    if (!crafted.meetsNetworkTarget || !options.node) return;
    summary.blocksFound++;
    const result = await rpcCall<string | null>(options.node, 'submitblock', [crafted.blockHex]);
    if (result === null) {
      summary.blocksAccepted++;
      tips.invalidate();
      options.log(
        `block ${crafted.block.hash} accepted at height ${crafted.block.header.prevHeight + 1}`,
      );
    } else {
      count(summary.blocksRefused, result);
    }
  };

  const getwork = async ({
    workerId,
    threadId,
    sessionId,
  }: ThreadContext): Promise<PoolWork | null> => {
    summary.getworks++;
    const answer = await request({ action: 'readytomine2', miner: workerId, threadId }, sessionId);
    const outcome = readGetworkAnswer(answer.raw, options.network);
    if (outcome.ok) return outcome.work;
    count(summary.errors, outcome.error);
    options.onFailure?.(outcome.error);
    return null;
  };

  /**
   * An error in a thread's round (a failing pool or node): counted and reported, and the thread
   * goes on — unless the run is stopping, when it is nobody's failure and the thread ends (false).
   */
  const survives = (error: unknown): boolean => {
    if (stop.signal.aborted) return false;
    const text = error instanceof Error ? error.message : String(error);
    count(summary.errors, text);
    options.onFailure?.(text);
    return true;
  };

  /** The quick cadence: each thread asks for work, searches, sends one share per `shareSeconds`. */
  const runThread = async (thread: ThreadContext): Promise<void> => {
    const signal = stop.signal;
    let nextShareAt =
      Date.now() + (options.staggerStart ? Math.random() * options.shareSeconds * 1000 : 0);
    let lastSentAt = -Infinity;
    while (!signal.aborted && sharesLeft()) {
      if (!(await sleepUntil(nextShareAt, signal))) return;
      const roundStart = Date.now();
      nextShareAt = roundStart + options.shareSeconds * 1000;
      try {
        const work = await getwork(thread);
        if (!work) continue;
        const misbehaviour = nextMisbehaviour();
        const crafted = await search(work, thread, roundStart, misbehaviour);
        if (profile && !profile.submitsShares) summary.sharesWithheld++;
        else {
          for (let i = 0; i < crafted.sends; i++) {
            // The wallet's rule holds at the moment of sending, whatever the search took; a
            // duplicate is a replay and ignores it.
            const paceUntil = i === 0 ? lastSentAt + options.shareSeconds * 1000 : 0;
            if (!(await sleepUntil(paceUntil, signal)) || !sharesLeft()) return;
            lastSentAt = Date.now();
            await submit(crafted, misbehaviour, thread);
          }
        }
        await offerBlock(crafted);
      } catch (error) {
        // A failing pool or node: do not spin; try again on the next share slot.
        if (!survives(error)) return;
      }
    }
  };

  /**
   * The release's own cadence (BibleMiner: miner.cpp:715-1065 @1.2.0.1, :1000-1350 @1.4.4.8), per
   * thread: no work → getwork once more than 3 minutes passed since the last (the first at once),
   * taken from the wallet-wide cache when another thread filled it; a found share is sent (classic:
   * only once more than 2 minutes passed since this thread's last) and the thread then has no work
   * until its next getwork; work not used up is dropped after 7 / 15 minutes; every 3 minutes the
   * thread clears the cache. A release that sends no shares keeps searching its work until it is
   * dropped. The search itself takes the time it takes (an easy pool target: milliseconds).
   */
  const runRealThread = async (wp: WalletProfile, thread: ThreadContext): Promise<void> => {
    const { threadId, wallet } = thread;
    const signal = stop.signal;
    const s = (seconds: number): number => seconds * 1000;
    // nLastReadyToMine = now - 480; classic nLastShareSubmitted and nLastClearCache likewise
    // (miner.cpp:715-717 @1.2.0.1); Evo clears the cache 3 minutes after the start (:1005 @1.4.4.8).
    const begun = Date.now();
    let lastReady = begun - s(480);
    let lastShare = begun - s(480);
    let lastClear = wp.evo ? begun : begun - s(480);
    let work: PoolWork | null = null;
    let threadStart = begun;
    // Each thread clears the wallet's cache every more than 3 minutes, checked all the time in
    // the real loop: here the clear moments are computed, and a work unit written after the last
    // one survives it.
    const period = s(wp.cacheClearSeconds + 1);
    const clearCacheWhenDue = (): void => {
      const now = Date.now();
      if (now < lastClear + period) return;
      lastClear += Math.floor((now - lastClear) / period) * period;
      if (wallet.cache && wallet.cachedAt < lastClear) wallet.cache = null;
    };
    while (!signal.aborted && sharesLeft()) {
      try {
        clearCacheWhenDue();
        if (work === null) {
          // More than the gate: the first whole second past it (GetAdjustedTime() is seconds).
          if (!(await sleepUntil(lastReady + s(wp.getworkGateSeconds + 1), signal))) return;
          lastReady = Date.now();
          // Classic: thread N first sleeps N × 100 ms, then BusyWait (miner.cpp:554-556 @1.2.0.1);
          // Evo serialises the whole call on csBusyWait (miner.cpp:800 @1.4.4.8).
          if (!wp.evo && threadId > 0 && !(await sleepUntil(Date.now() + 100 * threadId, signal)))
            return;
          clearCacheWhenDue();
          if (wallet.asking) await wallet.asking.catch(() => null);
          if (wallet.cache) work = wallet.cache;
          else if (wp.evo && wallet.fetched && wallet.fetched.at === lastReady) {
            // Woken at the same moment as the thread that asked: blocked on the lock while it
            // talked to the pool, it reads the cache before any search ends.
            work = wallet.fetched.work;
          } else {
            const asking = getwork(thread);
            wallet.asking = asking;
            try {
              work = await asking;
            } finally {
              wallet.asking = null;
            }
            wallet.cache = work;
            wallet.cachedAt = Date.now();
            wallet.fetched = work ? { work, at: lastReady } : undefined;
            // Classic sleeps a second after a getwork that brought work (miner.cpp:629 @1.2.0.1).
            if (work && !wp.evo && !(await sleepUntil(Date.now() + 1000, signal))) return;
          }
          if (work === null) continue;
        }
        const dropAt = lastReady + s(wp.refreshSeconds + 1);
        if (!wp.submitsShares) {
          // Mines the network target only (miner.cpp:1147-1151 @1.4.8.4): shares it would have
          // found go nowhere; the work is kept until it is dropped.
          const crafted = await search(work, thread, threadStart, nextMisbehaviour());
          summary.sharesWithheld++;
          await offerBlock(crafted);
          if (!(await sleepUntil(dropAt, signal))) return;
          // ClearCache("poolcache") with the drop (:1291-1304 @1.4.4.8) — of this work, not of
          // the one another thread has fetched since.
          if (wallet.cache === work) wallet.cache = null;
          work = null;
          continue;
        }
        const shareAt = wp.shareGateSeconds > 0 ? lastShare + s(wp.shareGateSeconds + 1) : 0;
        if (shareAt >= dropAt) {
          // The gate outlasts the work: dropped unused.
          if (!(await sleepUntil(dropAt, signal))) return;
          work = null;
          continue;
        }
        if (!(await sleepUntil(shareAt, signal))) return;
        const misbehaviour = nextMisbehaviour();
        const crafted = await search(work, thread, threadStart, misbehaviour);
        lastShare = Date.now();
        threadStart = lastShare;
        // UpdatePoolProgress clears the shared cache before it sends (miner.cpp:456 @1.2.0.1,
        // :768 @1.4.4.8); the thread's target is 0 until its next getwork (:955-963 @1.2.0.1).
        wallet.cache = null;
        work = null;
        for (let i = 0; i < crafted.sends && sharesLeft(); i++) {
          await submit(crafted, misbehaviour, thread);
        }
        await offerBlock(crafted);
      } catch (error) {
        if (!survives(error)) return;
        work = null;
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
  /** Ask as this wallet release (its request bytes and reader). */
  wallet?: WalletVersion;
}): Promise<PoolWork> {
  const answer = await walletRequest({
    ...(request.wallet ? { wallet: WALLET_PROFILES[request.wallet] } : {}),
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
  wallet?: WalletVersion;
}): Promise<SolutionOutcome[]> {
  const outcomes: SolutionOutcome[] = [];
  for (let i = 0; i < request.crafted.sends; i++) {
    const reply = await walletRequest({
      ...(request.wallet ? { wallet: WALLET_PROFILES[request.wallet] } : {}),
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
    /** This wallet release's request bytes, reader and `<VER>` (it sends whatever it is told). */
    wallet?: WalletVersion;
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
    walletVersion: request.wallet ?? request.walletVersion,
    maxHashes: request.maxHashes,
  });
  const outcomes = await submitCrafted({ ...request, workerId, crafted });
  const block =
    crafted.meetsNetworkTarget && request.node
      ? await rpcCall<string | null>(request.node, 'submitblock', [crafted.blockHex])
      : undefined;
  return { work, tip, crafted, outcomes, block };
}
