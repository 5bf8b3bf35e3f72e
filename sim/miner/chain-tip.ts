import { parseCoins } from '../chain/amount';
import { sha256Hex } from '../chain/hash';
import { postJson, rpcCall, SimRpcError } from '../node/rpc-client';

/** What a miner needs to know of the chain to build the next block. */
export interface ChainTip {
  hash: string;
  height: number;
  /** Unix seconds of the tip block. */
  time: number;
  /** Coinbase value of the next block, base units. */
  subsidy: bigint;
  /** The node's target for a block; undefined when no node is known. */
  networkTarget?: string;
  /** The block before the tip (to build a stale share on), when the node told it. */
  previous?: { hash: string; height: number; time: number };
}

/** Subsidy assumed without a node: the simulated node's default. */
export const PLAUSIBLE_SUBSIDY = parseCoins('5492.75');

/** A made-up tip for mining against a pool without any node (shares will not validate). */
export function plausibleTip(nowSeconds: number, height = 1000): ChainTip {
  return {
    hash: sha256Hex(`plausible-tip:${height}`),
    height,
    time: nowSeconds - 60,
    subsidy: PLAUSIBLE_SUBSIDY,
  };
}

/**
 * The node's tip through `getblocktemplate` (previous hash, next height, coinbase value, target)
 * and `getblock` (the tip's time). The coinbase value is read from the reply text so it stays exact.
 */
export async function fetchChainTip(nodeUrl: string, timeoutMs = 5_000): Promise<ChainTip> {
  const response = await postJson(
    nodeUrl,
    { method: 'getblocktemplate', params: [], id: 1 },
    timeoutMs,
  );
  let reply: {
    result?: { previousblockhash: string; height: number; target: string } | null;
    error?: { code: number; message: string } | null;
  };
  try {
    reply = JSON.parse(response.text) as typeof reply;
  } catch {
    throw new SimRpcError(response.status, `node answered HTTP ${response.status}`);
  }
  if (reply.error || !reply.result) {
    throw new SimRpcError(
      reply.error?.code ?? response.status,
      reply.error?.message ?? 'no template',
    );
  }
  const coinbaseValue = /"coinbasevalue":(\d+)/.exec(response.text);
  if (!coinbaseValue) throw new SimRpcError(-1, 'getblocktemplate without coinbasevalue');
  const template = reply.result;
  const prev = await rpcCall<{ time: number; height: number; previousblockhash?: string }>(
    nodeUrl,
    'getblock',
    [template.previousblockhash],
    timeoutMs,
  );
  const before = prev.previousblockhash
    ? await rpcCall<{ time: number; height: number }>(
        nodeUrl,
        'getblock',
        [prev.previousblockhash],
        timeoutMs,
      )
    : undefined;
  return {
    hash: template.previousblockhash,
    height: prev.height,
    time: prev.time,
    subsidy: BigInt(coinbaseValue[1]),
    networkTarget: template.target,
    ...(before && prev.previousblockhash
      ? { previous: { hash: prev.previousblockhash, height: before.height, time: before.time } }
      : {}),
  };
}

/**
 * One tip for all threads of a process, refreshed at most every `maxAgeMs` (and at once after a
 * block was found), so a thousand threads do not each ask the node before every share.
 */
export class TipSource {
  private cached?: { tip: ChainTip; at: number };
  private pending?: Promise<ChainTip>;

  constructor(
    private readonly nodeUrl: string | undefined,
    private readonly maxAgeMs = 1_000,
    private readonly fallback: ChainTip = plausibleTip(Math.floor(Date.now() / 1000)),
    /**
     * Keep answering the last tip while the node fails (a wallet's own node stays up while the
     * pool's is out; the soak's wallets and pool share one simulated node).
     */
    private readonly keepTipWhenNodeDown = false,
  ) {}

  async get(): Promise<ChainTip> {
    if (!this.nodeUrl) return this.fallback;
    if (this.cached && Date.now() - this.cached.at < this.maxAgeMs) return this.cached.tip;
    this.pending ??= fetchChainTip(this.nodeUrl)
      .then(
        (tip) => {
          this.cached = { tip, at: Date.now() };
          return tip;
        },
        (error: unknown) => {
          if (this.keepTipWhenNodeDown && this.cached) return this.cached.tip;
          throw error;
        },
      )
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
