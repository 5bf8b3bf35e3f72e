import { randomBytes, randomUUID } from 'node:crypto';
import { randomAddress } from '../../src/biblepay/address';
import { KNOWN_NETWORKS, Network } from '../../src/biblepay/network';
import {
  assembleBlock,
  buildBlockMessage,
  computeTxid,
  DecodedBlock,
  encodeBlock,
  encodeCoinbaseTx,
  nonceHasher,
  SimBlockHeader,
  SimCoinbaseTx,
  SimCpid,
} from '../chain/block-codec';
import { bibleHash, hashMeetsTarget, maxNonce, sha256Hex, targetToBigInt } from '../chain/hash';
import { ChainTip } from './chain-tip';
import { formatSolution, PoolWork, SolutionFields } from './protocol';
import { walletSignsCpid } from '../node/generation';

/**
 * Ways a simulated miner can misbehave. Each crafted solution makes the pool refuse it for one
 * reason: in the frontend (request-level modes: the answer carries an ERROR) or in the backend's
 * validation (content modes: the share is answered ok, then rejected with a reason).
 */
export const MISBEHAVIOURS = [
  'none',
  // content of the solution
  'stale-work', // a work id the pool never gave out
  'duplicate', // the same solution sent twice
  'wrong-recipient', // coinbase pays someone else than the pool
  'above-target', // bible hash above the pool's hash target
  'malformed', // 15 fields instead of 16
  'bad-biblehash', // claims a bible hash the node does not recompute
  'bad-cpid', // CPID signature invalid
  'illegal-cpid', // CPID valid but not allowed to solve this block
  'old-node', // block built by a wallet without CPID fields
  'nonce-too-high', // nonce above the node's pinfo cap
  'wrong-height', // built on the block before the tip
  'tampered-block', // coinbase changed after the block hash was found: block hex does not decode
  'foreign-block', // shares from a block paying the miner himself, a pool-paying block hex attached
  'mixed-header', // the block hex's header has another time than the share's fields
  'wrong-guid-in-coinbase', // the coinbase names another miner's MINERGUID
  'bad-prev-time', // prev_block_time is not the time of the block at prev_height
  // headers of the solution request
  'wrong-network', // NetworkID of the other network
  'unknown-network', // NetworkID the pool does not serve at all
  'invalid-address', // Miner header with an address whose checksum is broken
  'missing-worker', // empty Miner header
  'missing-solution', // empty Solution header
  'unknown-action', // Action the pool does not know
] as const;
export type Misbehaviour = (typeof MISBEHAVIOURS)[number];

export function isMisbehaviour(value: string): value is Misbehaviour {
  return (MISBEHAVIOURS as readonly string[]).includes(value);
}

/** Wallet-wide and per-thread counters that go into the solution (fields 8–12). */
export interface HashCounters {
  threadHashCounter: number;
  threadStart: number;
  hashCounter: number;
  timerStart: number;
}

export interface CraftOptions {
  work: PoolWork;
  tip: ChainTip;
  network: Network;
  /** The wallet's worker id (ADDRESS[/WORKER]): seeds its CPID and the request headers. */
  workerId: string;
  misbehaviour?: Misbehaviour;
  threadId?: number;
  walletVersion?: string;
  /** Counters before this search; the hashes of this search are added. */
  counters?: HashCounters;
  /** Pad the block hex to about this many characters, as real blocks are tens of kilobytes. */
  blockBytes?: number;
  signal?: AbortSignal;
  /** Hashes between two yields to the event loop. */
  yieldEvery?: number;
  /** Give up after this many hashes (a target too hard for a test). */
  maxHashes?: number;
  /** Milliseconds clock. */
  nowMs?: () => number;
}

/** Header overrides for the solution request. */
export interface RequestOverrides {
  network?: string;
  miner?: string;
  action?: string;
}

export interface CraftedSolution {
  fields: SolutionFields;
  /** The `Solution` header value (not 16 fields for `malformed`, empty for `missing-solution`). */
  solution: string;
  block: DecodedBlock;
  blockHex: string;
  transactionHex: string;
  /** Hashes computed by this search. */
  hashes: number;
  /** Counters after this search, to carry into the next one. */
  counters: HashCounters;
  /** The node would accept this block (checked over the tip as the node checks it). */
  meetsNetworkTarget: boolean;
  overrides: RequestOverrides;
  /** How many times to send the solution (2 for `duplicate`). */
  sends: number;
  misbehaviour: Misbehaviour;
}

/** Modes whose block is a real block on the tip, worth handing to the node when it qualifies. */
const HONEST_BLOCKS = new Set<Misbehaviour>([
  'none',
  'stale-work',
  'duplicate',
  'wrong-recipient',
  'above-target',
  'malformed',
  'bad-biblehash',
  'bad-cpid',
  'illegal-cpid',
  'old-node',
  'nonce-too-high',
  'wrong-network',
  'unknown-network',
  'invalid-address',
  'missing-worker',
  'missing-solution',
  'unknown-action',
]);

const DEFAULT_WALLET_VERSION = '1.1.9.3';
const OLD_WALLET_VERSION = '1.1.1.1';
/** Above the node's largest cap (999999999), so any `pinfo` refuses it. */
const NONCE_TOO_HIGH_START = 1_000_000_000;

/**
 * Builds one solution for a getwork answer, as the wallet does: a block on the tip paying the
 * pool address with `<MINERGUID>` in its coinbase message, searched nonce by nonce (extra nonce
 * bumped when the node's nonce cap is reached) until the bible hash is <= the pool's target —
 * then bent the way `misbehaviour` says. Yields to the event loop every `yieldEvery` hashes.
 */
export async function craftSolution(options: CraftOptions): Promise<CraftedSolution> {
  const misbehaviour = options.misbehaviour ?? 'none';
  const nowMs = options.nowMs ?? Date.now;
  const startedMs = nowMs();
  const counters: HashCounters = options.counters ?? {
    threadHashCounter: 0,
    threadStart: startedMs,
    hashCounter: 0,
    timerStart: startedMs,
  };
  const { work, tip } = options;

  // wrong-height: the block builds on the block before the tip (a stale share).
  const prev =
    misbehaviour === 'wrong-height'
      ? (tip.previous ?? {
          hash: sha256Hex(`before:${tip.hash}`),
          height: tip.height - 1,
          time: tip.time - 60,
        })
      : {
          hash: tip.hash,
          height: tip.height,
          time: misbehaviour === 'bad-prev-time' ? tip.time - 1 : tip.time,
        };
  const time =
    Math.max(Math.floor(startedMs / 1000), prev.time + 1) +
    (misbehaviour === 'mixed-header' ? 1 : 0);
  const header: SimBlockHeader = {
    version: 536870912,
    prevHash: prev.hash,
    prevHeight: prev.height,
    time,
    prevTime: prev.time,
    nonce: 0,
  };

  const walletVersion = options.walletVersion ?? DEFAULT_WALLET_VERSION;
  const cpid = cpidFor(options.workerId, misbehaviour, () =>
    walletSignsCpid(walletVersion, options.network, prev.height),
  );
  const poolPaying = misbehaviour !== 'wrong-recipient' && misbehaviour !== 'foreign-block';
  const recipient = poolPaying
    ? work.address
    : misbehaviour === 'foreign-block'
      ? options.workerId.split('/')[0] // solo mining for himself
      : otherAddress(options.network, work.address);
  const coinbaseFor = (extraNonce: number, payTo = recipient): SimCoinbaseTx => ({
    version: 1,
    height: prev.height + 1,
    extraNonce,
    outputs: [
      {
        address: payTo,
        value: tip.subsidy,
        message: buildBlockMessage({
          walletVersion:
            misbehaviour === 'old-node'
              ? OLD_WALLET_VERSION
              : (options.walletVersion ?? DEFAULT_WALLET_VERSION),
          minerGuid: misbehaviour === 'wrong-guid-in-coinbase' ? randomUUID() : work.minerGuid,
          cpid,
        }),
      },
    ],
    cpid,
  });

  const found = await searchNonce({
    header,
    coinbaseFor,
    target: work.hashTarget,
    // Every search starts from its own extra nonce: two threads with the same work build different
    // blocks even when their coinbase carries no random CPID signature (post-PODC, Evo).
    firstExtraNonce: randomBytes(3).readUIntBE(0, 3),
    above: misbehaviour === 'above-target',
    startNonce: misbehaviour === 'nonce-too-high' ? NONCE_TOO_HIGH_START : 0,
    // The wallet respects the node's cap; nonce-too-high deliberately does not.
    nonceCap:
      misbehaviour === 'nonce-too-high' ? Number.MAX_SAFE_INTEGER : maxNonce(time - tip.time),
    signal: options.signal,
    yieldEvery: options.yieldEvery ?? 256,
    maxHashes: options.maxHashes ?? 50_000_000,
  });

  const filler = options.blockBytes ? fillerFor(options.blockBytes) : undefined;
  // The block the share's fields describe; the attached block hex is another one for the attacks.
  let block = assembleBlock({ header: found.header, coinbase: found.coinbase, filler });
  const attached =
    misbehaviour === 'foreign-block'
      ? // Same time, nonce and previous block, but the coinbase pays the pool: another hash.
        assembleBlock({
          header: found.header,
          coinbase: coinbaseFor(found.coinbase.extraNonce, work.address),
          filler,
        })
      : misbehaviour === 'mixed-header'
        ? assembleBlock({
            header: { ...found.header, time: found.header.time - 1 },
            coinbase: found.coinbase,
            filler,
          })
        : block;
  let blockHex = encodeBlock(attached);
  let transactionHex = attached.coinbaseHex;
  if (misbehaviour === 'tampered-block') {
    // The hash was found for the honest coinbase; paying someone else afterwards breaks the block.
    const tamperedCoinbase = {
      ...block.coinbase,
      outputs: [
        { ...block.coinbase.outputs[0], address: otherAddress(options.network, work.address) },
      ],
    };
    block = {
      ...block,
      coinbase: tamperedCoinbase,
      coinbaseHex: encodeCoinbaseTx(tamperedCoinbase),
    };
    blockHex = encodeBlock(block);
    transactionHex = block.coinbaseHex;
  }

  let claimedBibleHash = block.bibleHash;
  if (misbehaviour === 'bad-biblehash') {
    // Still below the target, but not what the node recomputes from the other fields.
    const honest = BigInt(`0x${block.bibleHash}`);
    claimedBibleHash = (honest > 0n ? honest - 1n : 1n).toString(16).padStart(64, '0');
  }

  const endMs = nowMs();
  const after: HashCounters = {
    threadHashCounter: counters.threadHashCounter + found.hashes,
    threadStart: counters.threadStart,
    hashCounter: counters.hashCounter + found.hashes,
    timerStart: counters.timerStart,
  };
  const fields: SolutionFields = {
    blockHash: block.hash,
    blockTime: block.header.time,
    prevBlockTime: block.header.prevTime,
    prevHeight: block.header.prevHeight,
    bibleHash: claimedBibleHash,
    minerGuid: work.minerGuid,
    workId: misbehaviour === 'stale-work' ? randomUUID() : work.workId,
    threadId: options.threadId ?? 0,
    threadHashCounter: after.threadHashCounter,
    threadStart: after.threadStart,
    hashCounter: after.hashCounter,
    timerStart: after.timerStart,
    timerEnd: Math.max(endMs, after.timerStart + 1),
    nonce: block.header.nonce,
    blockHex,
    transactionHex,
  };

  let solution = formatSolution(fields);
  if (misbehaviour === 'malformed') solution = solution.split(',').slice(0, 15).join(',');
  if (misbehaviour === 'missing-solution') solution = '';

  // The node checks proof of work against its own tip; only an honest-height block can pass.
  const powHash = bibleHash({
    blockHash: block.hash,
    blockTime: block.header.time,
    prevBlockTime: tip.time,
    prevHeight: tip.height,
    nonce: block.header.nonce,
  });
  const meetsNetworkTarget =
    tip.networkTarget !== undefined &&
    HONEST_BLOCKS.has(misbehaviour) &&
    hashMeetsTarget(powHash, tip.networkTarget);

  return {
    fields,
    solution,
    block,
    blockHex,
    transactionHex,
    hashes: found.hashes,
    counters: after,
    meetsNetworkTarget,
    overrides: overridesFor(misbehaviour, options),
    sends: misbehaviour === 'duplicate' ? 2 : 1,
    misbehaviour,
  };
}

export interface NonceSearch {
  header: SimBlockHeader;
  coinbaseFor: (extraNonce: number) => SimCoinbaseTx;
  firstExtraNonce: number;
  target: string;
  /** Look for a hash above the target instead (to craft `above-target`). */
  above?: boolean;
  startNonce: number;
  /** Largest nonce to try before moving to the next extra nonce. */
  nonceCap: number;
  signal?: AbortSignal;
  yieldEvery: number;
  maxHashes: number;
}

/** Nonce loop: bible hash over (block hash, time, prev time, prev height, nonce) until it fits. */
export async function searchNonce(
  search: NonceSearch,
): Promise<{ header: SimBlockHeader; coinbase: SimCoinbaseTx; hashes: number }> {
  const target = targetToBigInt(search.target);
  if (search.above && target >= (1n << 256n) - 1n) {
    throw new RangeError('no hash can be above the largest target');
  }
  let hashes = 0;
  for (let extraNonce = search.firstExtraNonce; ; extraNonce++) {
    const coinbase = search.coinbaseFor(extraNonce);
    const txid = computeTxid(encodeCoinbaseTx(coinbase));
    const header = { ...search.header };
    const hashOf = nonceHasher(header, txid);
    for (
      let nonce = search.startNonce;
      nonce <= Math.max(search.nonceCap, search.startNonce);
      nonce++
    ) {
      header.nonce = nonce;
      const hash = hashOf(nonce);
      const value = BigInt(
        `0x${bibleHash({ blockHash: hash, blockTime: header.time, prevBlockTime: header.prevTime, prevHeight: header.prevHeight, nonce })}`,
      );
      hashes++;
      if (search.above ? value > target : value <= target) return { header, coinbase, hashes };
      if (hashes % search.yieldEvery === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (search.signal?.aborted) throw abortError(search.signal);
      }
      if (hashes >= search.maxHashes)
        throw new Error(`no share found within ${search.maxHashes} hashes`);
    }
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/**
 * The CPID signature the wallet writes into its coinbase: an honest wallet signs only where its
 * version did (generation.ts `walletSignsCpid`: 1.1.x always, 1.2.x inside PODC, Evo never); the
 * CPID misbehaviours always carry one.
 */
function cpidFor(
  workerId: string,
  misbehaviour: Misbehaviour,
  signs: () => boolean,
): SimCpid | undefined {
  if (misbehaviour === 'old-node') return undefined;
  if (misbehaviour !== 'bad-cpid' && misbehaviour !== 'illegal-cpid' && !signs()) return undefined;
  const cpid = sha256Hex(`cpid:${workerId.split('/')[0]}`).slice(0, 32);
  return {
    cpid,
    signature: sha256Hex(`cpidsig:${cpid}:${randomBytes(8).toString('hex')}`),
    signatureValid: misbehaviour !== 'bad-cpid',
    legal: misbehaviour !== 'bad-cpid' && misbehaviour !== 'illegal-cpid',
    legalityNarr: misbehaviour === 'illegal-cpid' ? 'CPID_SOLVED_RECENT_BLOCK' : '',
  };
}

function otherAddress(network: Network, not: string): string {
  let address = randomAddress(network);
  while (address === not) address = randomAddress(network);
  return address;
}

/** A valid-looking address with a broken checksum (last character changed). */
export function breakAddress(address: string): string {
  const last = address[address.length - 1];
  return address.slice(0, -1) + (last === '1' ? '2' : '1');
}

function overridesFor(misbehaviour: Misbehaviour, options: CraftOptions): RequestOverrides {
  switch (misbehaviour) {
    case 'wrong-network':
      return { network: KNOWN_NETWORKS.find((n) => n !== options.network) };
    case 'unknown-network':
      return { network: 'regtest' };
    case 'invalid-address': {
      const [address, ...rest] = options.workerId.split('/');
      return { miner: [breakAddress(address), ...rest].join('/') };
    }
    case 'missing-worker':
      return { miner: '' };
    case 'unknown-action':
      return { action: 'readytomine3' };
    default:
      return {};
  }
}

/** Filler that makes the block hex about `hexLength` characters long. */
function fillerFor(hexLength: number): string {
  // A filler of n characters adds n bytes to the block, which are 2n hex characters; about 3000
  // hex characters are header, coinbase and framing.
  const fillerChars = Math.max(0, Math.floor((hexLength - 3000) / 2));
  return randomBytes(Math.ceil(fillerChars / 2))
    .toString('hex')
    .slice(0, fillerChars);
}
